"""Renaming any entry with an id carries the new id to every place that names it.

Before, a stage's rename reached the records, but renaming a decision, a touchpoint or a
meeting that a record of what happened named was refused (the record would name nothing),
and a person's id could not be changed at all.  Now one rename path serves every kind with
an id, and finds what names it from the schema (``Kind.targets``, ``Kind.names``).

The properties, over the examples and templates and any entry in them: after a rename the
plan is valid; its data is the old data with the entry's id, and every value of a key that
names such entries and named the old id, changed to the new one, and nothing else; and the
text differs only in those values (comments, layout and order stay).
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from coplan.edit import EditError, PlanDocument
from coplan.model import Plan
from coplan.planfile import parse_plan
from coplan.schema import Key, meeting_id, place_of, places, schema_of

ROOT = Path(__file__).resolve().parents[1]
FILES = [*sorted((ROOT / "examples").glob("*.toml")),
         *sorted((ROOT / "templates" / "plans").glob("*.toml"))]
TEXTS = {path.name: path.read_text(encoding="utf-8") for path in FILES}
KINDS = (("stage",), ("person",), ("meeting",), ("stage", "touchpoint"), ("stage", "decision"))


def _naming(where: tuple[str, ...]) -> set[tuple[tuple[str, ...], str]]:
    """(path of a table, key) of every key the schema says names entries at ``where``."""
    out = set()
    for place in places(Plan):
        for member in schema_of(place.model).members:
            spec = member.spec
            if isinstance(spec, Key) and (where in spec.kind.targets or (
                    len(where) == 1 and spec.kind.names == where[0])):
                out.add((place.path, member.toml))
    return out


def _entries(data: dict[str, Any], where: tuple[str, ...]) -> list[tuple[Any, dict[str, Any]]]:
    """(holder, entry) for each entry at ``where`` in plain parsed data."""
    found: list[tuple[Any, dict[str, Any]]] = [(None, data)]
    for name in where:
        step = []
        for _holder, table in found:
            value = table.get(name)
            items = value if isinstance(value, list) else [value] if value else []
            step.extend((table, v) for v in items if isinstance(v, dict))
        found = step
    return found


def _ident(where: tuple[str, ...], holder: Any, entry: dict[str, Any]) -> str:
    if entry.get("id"):
        return str(entry["id"]).strip()
    if where == ("meeting",):
        return meeting_id(str(entry.get("title", "")))
    index = next(i for i, e in enumerate(holder["touchpoint"]) if e is entry)
    return f"{holder['id']}-{index + 1}"


def _renamed_data(data: dict[str, Any], where: tuple[str, ...], index: int, new: str,
                  ) -> dict[str, Any]:
    """What the parsed data should be once entry ``index`` at ``where`` is ``new``: an
    oracle written on plain dicts, from the schema's declarations alone."""
    holder, entry = _entries(data, where)[index]
    old = _ident(where, holder, entry)
    moves = {where: {old: new}}
    if where == ("stage",):  # touchpoints that make their id from the stage's
        moves[("stage", "touchpoint")] = {
            f"{old}-{i + 1}": f"{new}-{i + 1}" for i, tp in enumerate(entry.get("touchpoint", []))
            if not tp.get("id")}
    entry["id"] = new
    for target, mapping in moves.items():
        for at, key in _naming(target):
            for _h, table in _entries(data, at):
                value = table.get(key)
                if isinstance(value, str) and value.strip() in mapping:
                    table[key] = mapping[value.strip()]
                elif isinstance(value, dict) and str(value.get("stage", "")) in mapping:
                    value["stage"] = mapping[value["stage"]]
                elif isinstance(value, list):
                    for i, item in enumerate(value):
                        if isinstance(item, str) and item.strip() in mapping:
                            value[i] = mapping[item.strip()]
                        elif isinstance(item, dict) and item.get("stage") in mapping:
                            item["stage"] = mapping[item["stage"]]
    return data


@st.composite
def renames(draw: st.DrawFn) -> tuple[str, tuple[str, ...], int, str]:
    name = draw(st.sampled_from(sorted(TEXTS)))
    data = tomllib.loads(TEXTS[name])
    where = draw(st.sampled_from([w for w in KINDS if _entries(data, w)]))
    index = draw(st.integers(0, len(_entries(data, where)) - 1))
    new = draw(st.from_regex(r"\A[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?\Z"))
    return name, where, index, new


def _table(doc: PlanDocument, where: tuple[str, ...], index: int) -> Any:
    return doc._tables_at(where)[index]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # (shrinking a plan is slow)
@given(case=renames())
def test_a_rename_changes_the_id_and_what_names_it_and_nothing_else(
        case: tuple[str, tuple[str, ...], int, str]) -> None:
    name, where, index, new = case
    before = TEXTS[name]
    data = tomllib.loads(before)
    holder, entry = _entries(data, where)[index]
    old = _ident(where, holder, entry)
    had_id = bool(entry.get("id"))
    taken = {_ident(where, h, e) for h, e in _entries(data, where) if e is not entry
             and (where != ("stage", "decision") or h is holder)}
    doc = PlanDocument(before)
    if new in taken:
        with pytest.raises(EditError, match="already"):
            doc.rename(where, _table(doc, where, index), new)
        assert doc.text() == before
        return
    doc.rename(where, _table(doc, where, index), new)
    after = doc.text()
    parse_plan(after, name)  # still a valid plan
    assert tomllib.loads(after) == _renamed_data(data, where, index, new)
    # The text: each changed line is the old line with the id's values changed.
    rows_before, rows_after = before.splitlines(), after.splitlines()
    added = [r for r in difflib.ndiff(rows_before, rows_after) if r.startswith("+ ")]
    if had_id:
        assert len(rows_before) == len(rows_after)
        changed = [(a, b) for a, b in zip(rows_before, rows_after, strict=True) if a != b]
        assert changed or old == new
        for a, b in changed:
            assert _unquoted(a, old) == _unquoted(b, new) or where == ("stage",), (a, b)
            assert a.split("#")[1:] == b.split("#")[1:]  # a comment after it stays
    else:  # the entry made its id: it is now written, and references changed as ever
        assert any(row.strip() == f'id = "{new}"' for row in [r[2:] for r in added])


def _unquoted(row: str, ident: str) -> str:
    return row.replace(f'"{ident}"', '"<id>"')


def test_a_decision_named_by_the_impact_log_is_renamed_there_too() -> None:
    """The case the brief names: a decision a record names, renamed in its stage only."""
    text = TEXTS["minds-discharge.toml"]
    twin = text.replace('"themes"', '"focus"')  # another stage's decision 'focus'
    parse_plan(twin)
    doc = PlanDocument(twin)
    stage = doc.stage("priorities")
    decision = next(d for d in stage["decision"] if d["id"] == "focus")
    doc.rename(("stage", "decision"), decision, "main-focus")
    after = doc.text()
    plan = parse_plan(after)
    assert next(d.id for d in plan.stage("priorities").decisions) == "main-focus"  # type: ignore[union-attr]
    assert any(d.id == "focus" for d in plan.stage("analysis").decisions)  # type: ignore[union-attr]
    assert 'decision = "main-focus"' in after
    assert 'influences = ["main-focus"]' in after


def test_a_stage_rename_carries_the_ids_its_touchpoints_make() -> None:
    text = """[project]
title = "Made ids"
start = 2027-01-04

[[person]]
id = "sam"
kind = "lived-experience"

[[stage]]
id = "aims"  # the first stage
title = "Aims"
duration = "2w"

  [[stage.touchpoint]]
  format = "workshop"
  who = ["sam"]

[[paid]]
who = "sam"
for = "aims-1"
session = 1
paid = 2027-01-08
amount = 25.0
"""
    parse_plan(text)
    doc = PlanDocument(text)
    doc.rename_stage("aims", "goals")
    after = doc.text()
    assert after == text.replace('id = "aims"', 'id = "goals"').replace(
        'for = "aims-1"', 'for = "goals-1"')
    assert parse_plan(after).stage("goals").touchpoints[0].id == "goals-1"  # type: ignore[union-attr]


def test_a_touchpoint_without_an_id_given_one_carries_what_names_it() -> None:
    """A touchpoint that writes no id is named by the one it makes ("aims-1"): given an
    id of its own, the payment that named it names the new one (it was left naming an
    id nobody had), and nothing is said to be lost while the plan is as it was."""
    text = """[project]
title = "Made ids"
start = 2027-01-04

[[person]]
id = "sam"
kind = "lived-experience"

[[stage]]
id = "aims"
title = "Aims"
duration = "2w"

  [[stage.touchpoint]]
  format = "workshop"
  who = ["sam"]

[[paid]]
who = "sam"
for = "aims-1"
session = 1
paid = 2027-01-08
amount = 25.0
"""
    parse_plan(text)
    doc = PlanDocument(text)
    assert doc.history_lost() == ""
    doc.rename(("stage", "touchpoint"), doc.stage("aims")["touchpoint"][0], "drop-in")
    after = doc.text()
    assert after == text.replace('  format = "workshop"', '  id = "drop-in"\n  format = "workshop"'
                                 ).replace('for = "aims-1"', 'for = "drop-in"')
    assert parse_plan(after).stage("aims").touchpoints[0].id == "drop-in"  # type: ignore[union-attr]
    doc.rename(("stage", "touchpoint"), doc.stage("aims")["touchpoint"][0], "")  # make one
    assert doc.text() == text


def test_a_meeting_retitled_without_an_id_carries_its_made_id() -> None:
    text = TEXTS["minds-discharge.toml"]
    plan = parse_plan(text)
    meeting = plan.meetings[0]
    doc = PlanDocument(text)
    table = doc.meeting(meeting.id)
    had = table.get("id")
    if had is not None:
        del table["id"]
        text = doc.text()
        doc = PlanDocument(text)
        table = doc.meeting(meeting_id(meeting.title))
    old = meeting_id(str(table["title"]))
    doc.set_meeting(old, "title", "Project board")
    after = doc.text()
    parse_plan(after)
    if f'"{old}"' in text:
        assert f'"{old}"' not in after and '"project-board"' in after


@pytest.mark.parametrize("bad", ["", "  ", "has space", "é", "-lead", "x" * 65])
def test_a_rename_to_an_id_the_rule_does_not_allow_is_refused(bad: str) -> None:
    doc = PlanDocument(TEXTS["minds-discharge.toml"])
    with pytest.raises(EditError):
        doc.rename(("person",), doc.person("sam"), bad)
    assert doc.text() == TEXTS["minds-discharge.toml"]


def test_every_kind_with_an_id_has_the_one_rename_path() -> None:
    from coplan.edit import _identity_key

    with_ids = {place.path for place in places(Plan) if _identity_key(place.path)}
    assert with_ids == set(KINDS)
    for where in KINDS:
        assert place_of(Plan, where) is not None
