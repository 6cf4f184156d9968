"""A form saved without change writes nothing; a one-field change writes only that value.

Over every bundled example and template, for every form that edits something already in the
file (each stage, touchpoint, person and meeting, the slow-down and reflection settings and
the protocol):

* opening the form and saving it untouched leaves the file byte for byte as it was;
* changing one field (hypothesis chooses the plan, the item, the field and a new valid
  value) changes only the lines of that value: the changed lines, widened to whole
  statements, hold that key and nothing else, and the file read as data differs in that
  one value only.

The answers are made as the form makes them (``answers``: what each widget shows when the
form opens, then the change); a Pilot test in test_tui_forms checks that the real form
shows exactly these values.
"""

from __future__ import annotations

import difflib
import pickle
import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coplan import schema
from coplan.edit import PlanDocument
from coplan.model import Plan
from coplan.planfile import parse_plan
from coplan.tui import forms
from coplan.tui.screens.form import Field, answers

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted([*ROOT.glob("examples/*.toml"), *ROOT.glob("templates/plans/*.toml")])

# A form: (name, where its values live in the file as data, fields, apply)
Form = tuple[str, tuple[Any, ...], list[Field], Callable[[PlanDocument, dict[str, Any]], object]]


@cache
def _plan(path: Path) -> tuple[str, Plan]:
    text = path.read_text(encoding="utf-8")
    return text, parse_plan(text, str(path), path=path)


@cache
@cache
def _parsed(path: Path) -> bytes:
    return pickle.dumps(PlanDocument(_plan(path)[0]).doc)


def _fresh(path: Path) -> PlanDocument:
    """The plan at ``path`` open for editing (a copy of one parse: parsing is slow)."""
    doc = PlanDocument.__new__(PlanDocument)
    doc.path, doc.original, doc.doc = None, _plan(path)[0], pickle.loads(_parsed(path))
    return doc


def _forms(path: Path) -> list[Form]:
    """Every form that edits something in the plan at ``path``, opened on it."""
    text, plan = _plan(path)
    doc = PlanDocument(text)
    found: list[Form] = []
    for si, stage in enumerate(plan.stages):
        found.append((f"stage {stage.id}", ("stage", si), forms.stage_fields(plan, stage, doc),
                      lambda d, v, s=stage: forms.apply_stage(d, plan, s, v)))
        for tp in stage.touchpoints:
            found.append((f"touchpoint {stage.id}/{tp.index}",
                          ("stage", si, "touchpoint", tp.index),
                          forms.touchpoint_fields(plan, stage, tp, doc),
                          lambda d, v, s=stage, t=tp: forms.apply_touchpoint(d, s, t, v)))
    for pi, person in enumerate(plan.people):
        found.append((f"person {person.id}", ("person", pi),
                      forms.person_fields(plan, person, doc),
                      lambda d, v, p=person: forms.apply_person(d, plan, p, v)))
    for mi, meeting in enumerate(plan.meetings):
        found.append((f"meeting {meeting.id}", ("meeting", mi),
                      forms.meeting_fields(plan, meeting, doc),
                      lambda d, v, m=meeting: forms.apply_meeting(d, m, v)))
    found.append(("settings", ("project",), forms.settings_fields(plan, doc),
                  lambda d, v: forms.apply_settings(d, v)))
    found.append(("protocol", ("protocol",), forms.protocol_fields(plan, doc),
                  lambda d, v: forms.apply_protocol(d, v)))
    # Every other table and entry of the file, in the form made from the schema.
    for place in schema.places(Plan)[1:]:
        if place.path in TUNED:
            continue
        for t in forms.targets_of(place.path, plan):
            where = tuple(x for part, at in zip(t.path, t.at, strict=True)
                          for x in (part, at) if x is not None)
            found.append((f"table {'.'.join(t.path)} {t.at}", where,
                          forms.item_fields(plan, t, doc),
                          lambda d, v, t=t: forms.apply_item(d, plan, t, v)))
    return found


TUNED = {("stage",), ("stage", "touchpoint"), ("person",), ("meeting",), ("protocol",)}
"""Tables with a form of their own on a tab (above); every other one has the form made from
the schema."""


def test_every_bundled_plan_has_each_kind_of_form() -> None:
    kinds = {name.split()[0] for path in BUNDLED for name, *_ in _forms(path)}
    assert kinds == {"stage", "touchpoint", "person", "meeting", "settings", "protocol",
                     "table"}
    tables = {name.split()[1] for path in BUNDLED for name, *_ in _forms(path)
              if name.startswith("table")}
    assert {"project", "governance", "payment", "payment.rates", "budget", "log",
            "stage.decision", "review"} <= tables


@pytest.mark.parametrize("path", BUNDLED, ids=[p.name for p in BUNDLED])
def test_saving_any_form_untouched_changes_nothing(path: Path) -> None:
    text, _ = _plan(path)
    doc = PlanDocument(text)
    for name, _where, fields, apply in _forms(path):
        apply(doc, answers(fields))
        assert doc.text() == text, f"{path.name}: saving the {name} form untouched changed it"


# -- one field changed -------------------------------------------------------------------

SAMPLES: dict[Any, list[str]] = {
    forms.check_work: ["3d", "2w", "1w", "0d"],
    forms.check_clock: ["45m", "2h", "1h15m"],
    forms.check_time: ["09:30", "17:45"],
    forms.check_date: ["2027-05-04", "2028-01-31"],
    forms.check_when: ["start, +1w", "end", "+2d", "start, +2w, +4w", "2027-06-01"],
    forms.check_weeks: ["3w", "6w"],
    forms.check_buffer: ["10%", "2d"],
    forms.check_buffer_or_rss: ["rss", "15%", "1w"],
    forms.check_percent: ["50%", "0%"],
    forms.check_moment: ["start", "end", "+1w", "2027-06-01"],
    forms.check_amount: ["37.50", "120"],
    forms.check_whole_number: ["2", "7"],
    forms.check_id: ["another-id"],
    forms.check_reasons: ["CP-PAY-008: the funder sets the budget"],
}
TEXTS = ["Changed words", "A line with \"quotes\" and a \\ backslash"]
LINES = ["First line\nsecond line", "One line now"]


def _new_values(spec: Field) -> list[Any]:
    """Valid answers for ``spec`` other than the one it shows."""
    shown = answers([spec])[spec.key]
    options = [v for _, v in spec.options]
    if spec.kind == "select":
        candidates: list[Any] = options
    elif spec.kind == "multi":
        candidates = [[v for v in options if v in shown] + [o] if o not in shown
                      else [v for v in shown if v != o] for o in options]
    elif spec.kind == "switch":
        candidates = [not shown]
    elif isinstance(spec.check, forms.AmountCheck):  # (in the plan's own currency)
        candidates = SAMPLES[forms.check_amount]
    elif spec.check in SAMPLES:
        candidates = SAMPLES[spec.check]
    elif spec.kind == "multiline":
        candidates = LINES
    else:
        candidates = TEXTS
    return [c for c in candidates if c != shown and (c or not spec.required)]


def _cases() -> list[tuple[Path, int, str]]:
    return [(path, i, spec.key) for path in BUNDLED
            for i, (_, _, fields, _) in enumerate(_forms(path))
            for spec in fields if spec.key != "id" and _new_values(spec)]


CASES = _cases()


def _exists(data: Any, where: tuple[Any, ...]) -> bool:
    for step in where:
        if isinstance(step, str) and (not isinstance(data, dict) or step not in data):
            return False
        data = data[step]
    return True


def _at(data: Any, where: tuple[Any, ...]) -> Any:
    for step in where:
        data = data[step]
    return data


def _parses_as(lines: list[str]) -> dict[str, Any] | None:
    try:
        return tomllib.loads("".join(lines))
    except tomllib.TOMLDecodeError:
        return None


def _statement_keys(before: list[str], after: list[str]) -> set[str]:
    """The keys the changed lines hold, with the lines around them added until both sides
    are whole TOML statements."""
    ops = [op for op in difflib.SequenceMatcher(None, before, after, autojunk=False)
           .get_opcodes() if op[0] != "equal"]
    assert ops, "nothing changed"
    i1, i2 = ops[0][1], ops[-1][2]
    j1, j2 = ops[0][3], ops[-1][4]
    for grow in range(0, 60):
        for up in range(0, grow + 1):
            down = grow - up
            if i1 - up < 0 or j1 - up < 0 or i2 + down > len(before) or j2 + down > len(after):
                continue
            old = _parses_as(before[i1 - up:i2 + down])
            new = _parses_as(after[j1 - up:j2 + down])
            if old is not None and new is not None:
                return set(_flat(old)) | set(_flat(new))
    raise AssertionError("the changed lines are not whole statements")


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and value:
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(CASES), st.data())
def test_changing_one_field_changes_only_that_value(case: tuple[Path, int, str],
                                                    data: st.DataObject) -> None:
    path, index, key = case
    text, _ = _plan(path)
    name, where, fields, apply = _forms(path)[index]
    spec = next(f for f in fields if f.key == key)
    value = data.draw(st.sampled_from(_new_values(spec)), label="new value")
    doc = _fresh(path)
    apply(doc, answers(fields, **{key: value}))
    after = doc.text()
    assert after != text, f"{path.name}: changing '{key}' of the {name} form wrote nothing"
    keys = _statement_keys(text.splitlines(keepends=True), after.splitlines(keepends=True))
    # A table the file did not have yet is written with its header: "[review]" above
    # "min_voices = 2" is the one statement "review.min_voices".
    new_table = ".".join(str(w) for w in where) + f".{key}"
    assert keys <= {key, new_table, *(k for k in keys if k.startswith(f"{key}."))}, (
        f"{path.name}: changing '{key}' of the {name} form changed the lines of {keys}")
    old_data, new_data = tomllib.loads(text), tomllib.loads(after)
    existed = _exists(old_data, where)
    holder_old = _at(old_data, where) if existed else {}
    holder_new = _at(new_data, where)
    if name == "settings":  # two tables in one form
        holder_old, holder_new = old_data["project"], new_data["project"]
        for table in ("slow_down", "reflection"):
            holder_old.setdefault(table, {})
            holder_old[table].pop(key, None)
            holder_new.get(table, {}).pop(key, None)
    else:
        holder_old.pop(key, None)
        holder_new.pop(key, None)
        if not existed and not holder_new:
            _at(new_data, where[:-1]).pop(where[-1])  # the table made for the value
    assert old_data == new_data, f"{path.name}: changing '{key}' of {name} changed other values"


# -- the person's own spelling ------------------------------------------------------------

MINDS = ROOT / "examples" / "minds-discharge.toml"


def _first_touchpoint() -> tuple[list[Field], Callable[[PlanDocument, dict[str, Any]], object]]:
    _name, _, fields, apply = next(f for f in _forms(MINDS) if f[0].startswith("touchpoint"))
    return fields, apply


def test_a_form_shows_values_as_they_are_written() -> None:
    fields, _ = _first_touchpoint()
    shown = answers(fields)
    assert shown["when"] == "start"
    assert shown["feedback_within"] == "4w"
    assert shown["papers_ahead"] == "1w"
    assert shown["length"] == "20m"
    assert shown["purpose"].startswith("Let anyone with experience of discharge")
    assert "\n" in shown["purpose"]
    text, plan = _plan(MINDS)
    settings_shown = answers(forms.settings_fields(plan, PlanDocument(text)))
    assert settings_shown["length"] == "90m" and settings_shown["every"] == "6w"


def test_sessions_typed_are_kept_as_typed_with_their_comment() -> None:
    fields, apply = _first_touchpoint()
    doc = _fresh(MINDS)
    apply(doc, answers(fields, when="start, +2w, +4w"))
    changed = [line for line in difflib.unified_diff(_plan(MINDS)[0].splitlines(),
                                                     doc.text().splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == [
        '-  when = "start"                    # open for the first three weeks of the stage',
        '+  when = ["start", "+2w", "+4w"]                    # open for the first three '
        'weeks of the stage']


def test_a_changed_purpose_stays_on_several_lines() -> None:
    fields, apply = _first_touchpoint()
    doc = _fresh(MINDS)
    apply(doc, answers(fields, purpose="Let anyone tell us what matters.\nNo names needed."))
    assert 'purpose = """\nLet anyone tell us what matters.\nNo names needed.\n"""' in doc.text()
    assert doc.text().count("\n") == _plan(MINDS)[0].count("\n") - 1


def test_unticking_a_need_keeps_the_order_of_the_others() -> None:
    fields, apply = _first_touchpoint()
    doc = _fresh(MINDS)
    shown = answers(fields)
    apply(doc, answers(fields, access=[a for a in shown["access"] if a != "easy-read"]
                       + ["large-print"]))
    assert ('access = ["plain-language", "frequent-breaks", "digital-support", '
            '"non-digital-alternative", "materials-tested", "large-print"]') in doc.text()
