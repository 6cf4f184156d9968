"""A blank entry in a list of words is refused where it is written.

``needs = [" "]`` was accepted and meant nothing (the entry was passed over, as if not
written).  Every list of text the schema declares (needs, support, roles, aliases,
channels, ...; ids have their own test, test_empty_ids) is found from the schema, given an
empty and a spaces-only entry in a copy of the MINDS example, and must be refused at its
line with a fix, by ``validate`` and by the JSON Schema alike; plan-format.md says so.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import tomlkit

from coplan.edit import PlanDocument
from coplan.errors import PlanError
from coplan.model import Plan
from coplan.planfile import parse_plan
from coplan.schema import Key, Strings, places, schema_of
from coplan.schema_json import plan_json_schema

ROOT = Path(__file__).resolve().parents[1]
MINDS = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")


def _lists() -> list[tuple[tuple[str, ...], str]]:
    """(path of a table, key) for every list of words that names no ids."""
    out = []
    for place in places(Plan):
        for member in schema_of(place.model).members:
            spec = member.spec
            if isinstance(spec, Key) and isinstance(spec.kind, Strings) and \
                    not spec.kind.targets:
                out.append((place.path, member.toml))
    return out


LISTS = _lists()


def _with_blank(path: tuple[str, ...], key: str, blank: str) -> str | None:
    """MINDS with ``key = ["...", blank]`` in the first table at ``path``."""
    doc = PlanDocument(MINDS)
    tables = doc._tables_at(path)
    if not tables:
        return None
    table = tables[0]
    value = table.get(key)
    entries = list(value) if isinstance(value, list) else []
    table[key] = tomlkit.array()
    for entry in [*entries, blank]:
        table[key].append(entry)
    return doc.text()


def test_the_schema_has_the_lists_this_checks() -> None:
    keys = {k for _, k in LISTS}
    assert {"needs", "aliases", "channels", "support", "access"} <= keys, keys


@pytest.mark.parametrize("blank", ["", "   "])
@pytest.mark.parametrize(("path", "key"), LISTS, ids=[".".join((*p, k)) for p, k in LISTS])
def test_a_blank_entry_is_refused_at_its_line_with_a_fix(
        path: tuple[str, ...], key: str, blank: str) -> None:
    text = _with_blank(path, key, blank)
    if text is None:
        pytest.skip(f"the example has no {'.'.join(path)}")
    with pytest.raises(PlanError) as refused:
        parse_plan(text, "plan.toml")
    problems = [p for p in refused.value.problems if "empty entry" in p.message]
    assert len(problems) == 1, [p.message for p in refused.value.problems]
    problem = problems[0]
    assert f"'{key}' in " in problem.message and "says nothing" in problem.message
    assert problem.hint == "take the empty entry out, or write what you meant in it"
    assert problem.line > 0
    data = tomlkit.parse(text).unwrap()
    errors = list(jsonschema.Draft4Validator(plan_json_schema()).iter_errors(data))
    assert errors, f"the JSON Schema takes a blank entry in {key}"


def test_a_single_blank_instead_of_a_list_is_refused_too() -> None:
    doc = PlanDocument(MINDS)
    doc.table("communication")["channels"] = " "
    with pytest.raises(PlanError) as refused:
        parse_plan(doc.text(), "plan.toml")
    assert any("'channels' in [communication] is empty (only spaces)" in p.message
               and p.hint == "write what you meant, or channels = [] for none"
               for p in refused.value.problems), refused.value.problems


def test_plan_format_md_says_a_blank_entry_is_refused() -> None:
    page = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    assert "An entry that is empty or only spaces is refused" in page
