"""An id is never empty, and nothing names an empty id.

``id = ""`` on a stage or a person was accepted (and ``who = [""]``, ``after = [""]``):
an item nobody can name, links that name nothing.  Every kind with an id, and every key
that names one, is found from the schema (``Id`` keys; keys whose kind has ``targets``),
emptied in a copy of the MINDS example, and must be refused with its line, column and a
fix; ``coplan validate`` exits 2.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tomlkit.items import Array

from coplan.edit import PlanDocument
from coplan.errors import PlanError
from coplan.model import Plan
from coplan.planfile import parse_plan
from coplan.schema import ID_PATTERN, ID_RULE, Id, Key, places, schema_of

ROOT = Path(__file__).resolve().parents[1]
MINDS = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")


def _keys(want: type | None) -> list[tuple[tuple[str, ...], str]]:
    """(path of a table, key) for every id key (``want`` Id) or key naming ids (None)."""
    out = []
    for place in places(Plan):
        for member in schema_of(place.model).members:
            spec = member.spec
            if not isinstance(spec, Key):
                continue
            if (want is Id and isinstance(spec.kind, Id) and not spec.kind.names) or \
                    (want is None and spec.kind.targets):
                out.append((place.path, member.toml))
    return out


ID_KEYS = _keys(Id)
REF_KEYS = _keys(None)


def _emptied(path: tuple[str, ...], key: str, empty: str) -> str | None:
    """MINDS with ``key`` of the first table at ``path`` that has it made ``empty`` (the
    first entry, in a list); None when the example has no such key."""
    doc = PlanDocument(MINDS)
    for table in doc._tables_at(path):
        value = table.get(key)
        if value is None:
            continue
        if isinstance(value, Array):
            if not len(value) or not isinstance(value[0], str):
                continue
            value[0] = empty
        elif isinstance(value, str):
            table[key] = empty
        else:
            continue
        return doc.text()
    return None


def test_the_schema_has_the_ids_and_references_this_checks() -> None:
    assert {p for p, _ in ID_KEYS} >= {("stage",), ("person",), ("meeting",),
                                       ("stage", "touchpoint"), ("stage", "decision")}
    assert len(REF_KEYS) > 10


@pytest.mark.parametrize("empty", ["", "   "])
@pytest.mark.parametrize(("path", "key"), ID_KEYS + REF_KEYS,
                         ids=[".".join((*p, k)) for p, k in ID_KEYS + REF_KEYS])
def test_an_empty_id_or_a_name_of_one_is_refused_where_it_is(
        path: tuple[str, ...], key: str, empty: str) -> None:
    text = _emptied(path, key, empty)
    if text is None:
        pytest.skip(f"the example has no {'.'.join((*path, key))}")
    with pytest.raises(PlanError) as refused:
        parse_plan(text, "plan.toml")
    problems = [p for p in refused.value.problems if "empty" in p.message]
    assert problems, [p.message for p in refused.value.problems]
    problem = problems[0]
    line = text.splitlines()[problem.line - 1]
    assert line.lstrip().startswith(key), (line, problem)
    assert problem.column == len(line) - len(line.lstrip()) + 1
    assert problem.hint.startswith("write ")


def test_validate_refuses_an_empty_stage_id_with_exit_2(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    text = _emptied(("stage",), "id", "")
    assert text is not None
    plan.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "coplan", "validate", str(plan)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "'id' in a stage is empty" in done.stderr + done.stdout
    assert 'fix: write a short name, such as id = "aims"' in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_every_example_and_template_still_has_good_ids() -> None:
    """What the rule allows is what the examples and templates use."""
    files = [*sorted((ROOT / "examples").glob("*.toml")),
             *sorted((ROOT / "templates").rglob("*.toml"))]
    assert files
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith('id = "'):
                assert ID_PATTERN.match(line.split('"')[1]), (path, line)


def test_the_rule_is_said_in_plan_format_md() -> None:
    page = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    assert f"- *id*: {ID_RULE}." in page


@pytest.mark.parametrize("typed", ["", " ", "   "])
def test_the_apps_id_fields_do_not_take_an_empty_id(typed: str) -> None:
    from coplan.tui.forms import check_id, id_check

    assert check_id(typed) is not None
    assert id_check(set())(typed) is not None


@pytest.mark.parametrize(("path", "written", "refused"), [
    (("person",), "sam", ""), (("person",), "sam", "sam smith"),
    (("stage",), "priorities", ""),
])
def test_a_refused_id_gives_one_error_not_one_for_each_place_naming_it(
        path: tuple[str, ...], written: str, refused: str) -> None:
    """A person's id left empty (or written so it cannot be used) was one error and 57
    more, one for each place that names the id it was meant to have: now the places are
    said once, at the first, with how many, and how to put it right."""
    text = MINDS.replace(f'\nid = "{written}"\n', f'\nid = "{refused}"\n', 1)
    assert text != MINDS
    with pytest.raises(PlanError) as refused_plan:
        parse_plan(text, "plan.toml")
    problems = refused_plan.value.problems
    assert len(problems) == 2, [p.message for p in problems]
    folded = problems[1]
    assert f"other places name '{written}'" in folded.message or \
        f"other place name '{written}'" in folded.message, folded.message
    assert "refused above" in folded.message
    assert folded.hint == f'give it id = "{written}", or change \'{written}\' where it is named'
    assert folded.line > problems[0].line


def test_a_mistyped_name_is_still_said_where_no_id_was_refused() -> None:
    text = MINDS.replace('who = ["sam"', 'who = ["sma"', 1)
    assert text != MINDS
    with pytest.raises(PlanError) as refused:
        parse_plan(text, "plan.toml")
    assert refused.value.problems[0].message.endswith(
        "names 'sma', who is not a person in this plan")
