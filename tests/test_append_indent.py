"""An entry added to an array of tables is written as the entries before it are.

A new user recorded session 1 of a touchpoint in the app, noted something more on it, then
recorded session 2: its header was written six spaces in, after two blank lines (tomlkit
put the array's own indent in front of the entry's, and a blank line of its own).  Any
number of records (up to the touchpoint's three sessions) added and changed in turn, in
one document, are each written four spaces in (as the example's records are), with one
blank line before each."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.edit import PlanDocument
from coplan.planfile import parse_plan

MINDS = Path(__file__).resolve().parents[1] / "examples" / "minds-discharge.toml"
TEXT = MINDS.read_text(encoding="utf-8")
PLAN = parse_plan(TEXT, with_lines=False)
CHECK_INS = next(t for t in PLAN.touchpoints if t.id == "fieldwork-check-ins")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["add", "note"]), min_size=1, max_size=6)
       .filter(lambda steps: steps.count("add") + (steps[0] == "note") <= 3))
def test_records_added_and_changed_in_turn_are_written_alike(steps: list[str]) -> None:
    doc = PlanDocument(TEXT)
    added = 0
    for step in steps:
        if step == "add" or added == 0:
            added += 1
            doc.add_record(CHECK_INS.stage, CHECK_INS.index,
                           {"session": added, "status": "held"})
        else:
            doc.set_record(CHECK_INS.stage, CHECK_INS.index, added, "notes", f"note {added}")
    text = doc.text()
    part = text.split('  heard_by = "Priya and the management group"\n', 1)[1]
    part = "\n" + part.split("[[stage]]", 1)[0]  # (the line heard_by ends)
    headers = re.findall(r"(\n+)( *)\[\[stage\.touchpoint\.record\]\]", part)
    assert len(headers) == added
    assert all(ends == "\n\n" and spaces == "    " for ends, spaces in headers), headers
    reread = parse_plan(text, with_lines=False)
    tp = next(t for t in reread.touchpoints if t.id == "fieldwork-check-ins")
    assert [r.session for r in tp.records] == list(range(1, added + 1))
