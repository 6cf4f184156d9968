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
from coplan.schema import Choices, Key, Strings, places, schema_of
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


def _choice_lists() -> list[tuple[tuple[str, ...], str]]:
    """(path of a table, key) for every list of a vocabulary's words that takes
    ``"other: ..."`` for the team's own words."""
    return [(path, key) for path, key in LISTS
            for member in schema_of(next(p.model for p in places(Plan) if p.path == path))
            .members if member.toml == key and isinstance(member.spec, Key)
            and isinstance(member.spec.kind, Choices) and not member.spec.kind.free_text]


CHOICES = _choice_lists()


def test_there_are_lists_of_words_that_take_other() -> None:
    assert {"needs", "access", "expenses"} <= {k for _, k in CHOICES}, CHOICES


@pytest.mark.parametrize("bare", ["other:", "Other:   ", "OTHER:\x1f"])
@pytest.mark.parametrize(("path", "key"), CHOICES, ids=[".".join((*p, k)) for p, k in CHOICES])
def test_other_with_no_words_after_it_is_refused_at_its_line(
        path: tuple[str, ...], key: str, bare: str) -> None:
    """``"other:"`` alone names nothing anyone could arrange: refused like a blank entry,
    by ``validate`` and by the JSON Schema alike (a unit separator, which Python counts
    as a space, is a space here too)."""
    text = _with_blank(path, key, bare)
    if text is None:
        pytest.skip(f"the example has no {'.'.join(path)}")
    with pytest.raises(PlanError) as refused:
        parse_plan(text, "plan.toml")
    problems = [p for p in refused.value.problems if "no words after 'other:'" in p.message]
    assert len(problems) == 1, [p.message for p in refused.value.problems]
    assert problems[0].line > 0 and '"other: a quiet room"' in problems[0].hint
    data = tomlkit.parse(text).unwrap()
    errors = list(jsonschema.Draft4Validator(plan_json_schema()).iter_errors(data))
    assert errors, f"the JSON Schema takes {bare!r} in {key}"


def test_other_in_capitals_is_shown_as_the_teams_own_words() -> None:
    """Every report finds the team's own words the same way, whatever the case of
    "Other:" (the pack showed "Other: a quiet room" whole where the protocol did not)."""
    from coplan.vocab import own_words

    assert own_words("Other:  a quiet room ") == "a quiet room"
    assert own_words("other: a quiet room") == "a quiet room"
    assert own_words("large-print") is None
    assert own_words("other") is None
