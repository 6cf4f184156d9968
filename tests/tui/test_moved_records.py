"""The app says what "moved" means as everything else does (``delivery.moved``), records no
attendance for a session that did not happen, and a finding about one session's record
leads to that record, in its words (trial 9, D3, S1, S3, S5)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coplan.delivery import HELD_ONLY, as_recorded
from coplan.edit import PlanDocument
from coplan.planfile import parse_plan
from coplan.review import review
from coplan.review.rules import builtin_rules
from coplan.schedule import schedule
from coplan.tui import forms
from coplan.tui.editing import fix_for, form_for
from coplan.tui.panes.delivery import what_happened, when
from coplan.tui.screens.form import answers

MINDS = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"
CHECK_INS = '  heard_by = "Priya and the management group"\n'
MOVED = ('\n    [[stage.touchpoint.record]]\n    session = 1\n    status = "moved"\n'
         '    on = 2027-10-01\n    why = "Priya was away"\n')


def _minds(record: str = "") -> str:
    text = MINDS.read_text(encoding="utf-8")
    return text.replace(CHECK_INS, CHECK_INS + record) if record else text


def _rows(text: str, today: date, *, recorded: bool = False) -> dict[str, str]:
    plan = parse_plan(text, with_lines=False)
    sched = schedule(plan, today=today)
    if recorded:  # (a schedule that already follows the record, as the Plan tab's may)
        sched = as_recorded(sched, today)
    return {s.id: f"{when(s)} | {what_happened(s, today)}" for s in sched.sessions}


@pytest.mark.parametrize("recorded", [False, True])
def test_the_tab_says_moved_from_the_planned_day(recorded: bool) -> None:
    rows = _rows(_minds(MOVED), date(2027, 9, 30), recorded=recorded)
    assert rows["fieldwork-check-ins.1"] == "Fri 01 Oct 2027 | → moved from 20 Sep"
    assert rows["community-drop-in"] == "Thu 12 Aug 2027 | ✔ held, moved from 11 Aug"
    assert rows["fieldwork-check-ins.2"].endswith("| planned")
    moved = [r for r in rows.values() if "moved from" in r]
    assert len(moved) == 6  # as status counts them: five held elsewhere, one to come


def test_a_moved_session_whose_new_day_has_come_is_not_recorded_yet() -> None:
    rows = _rows(_minds(MOVED), date(2027, 10, 10))
    assert rows["fieldwork-check-ins.1"] == \
        "Fri 01 Oct 2027 | … not recorded yet, moved from 20 Sep"


def _record_form(text: str, status: str, **chosen: object) -> tuple[PlanDocument, str]:
    plan = parse_plan(text, with_lines=False)
    tp = next(t for t in plan.touchpoints if t.id == "fieldwork-check-ins")
    record = next((r for r in tp.records if r.session == 1), None)
    fields = forms.record_fields(plan, tp, record, date(2027, 9, 20))
    doc = PlanDocument(text)
    forms.apply_record(doc, tp, 1, record, answers(fields, status=status, on="2027-10-01",
                                                   why="Priya was away", **chosen))
    return doc, doc.text()


@pytest.mark.parametrize("status", ["moved", "cancelled"])
def test_a_session_that_did_not_happen_has_no_attendance(status: str) -> None:
    _, after = _record_form(_minds(), status)
    record = next(r for t in parse_plan(after).touchpoints if t.id == "fieldwork-check-ins"
                  for r in t.records)
    assert record.status == status and record.why == "Priya was away"
    for key in HELD_ONLY:
        assert getattr(record, key) in (None, "", ()), key


def test_a_new_held_record_keeps_who_came() -> None:
    # (a new record holds only what the person chose: who came, the rung and role reached)
    tp = next(t for t in parse_plan(_minds(), with_lines=False).touchpoints
              if t.id == "fieldwork-check-ins")
    _, after = _record_form(_minds(), "held", attended=list(tp.who), ladder=tp.ladder,
                            role=tp.role)
    record = next(r for t in parse_plan(after).touchpoints if t.id == "fieldwork-check-ins"
                  for r in t.records)
    assert record.attended and record.ladder and record.role


def test_a_held_record_changed_to_cancelled_loses_its_attendance() -> None:
    held = ('\n    [[stage.touchpoint.record]]\n    session = 1\n    status = "held"\n'
            '    attended = ["dev", "sam"]   # Sam came late\n    ladder = "co-design"\n'
            '    notes = "Kept"\n')
    _, after = _record_form(_minds(held), "cancelled")
    record = next(r for t in parse_plan(after).touchpoints if t.id == "fieldwork-check-ins"
                  for r in t.records)
    assert record.status == "cancelled" and not record.attended and record.ladder is None
    assert record.notes == "Kept"


def test_the_form_says_what_a_session_that_did_not_happen_keeps() -> None:
    plan = parse_plan(_minds(), with_lines=False)
    tp = next(t for t in plan.touchpoints if t.id == "fieldwork-check-ins")
    status = forms.record_fields(plan, tp, None, date(2027, 9, 20))[0]
    assert status.key == "status" and status.explain is not None
    assert "who came" in status.explain("moved") and "who came" in status.explain("cancelled")
    assert status.explain("held") == ""


def test_a_finding_about_a_record_leads_to_that_record_without_lines() -> None:
    # The app reads the plan without lines: the hint still names the record that exists,
    # not a new one ("add one"), and in English ("What happened at").
    plan = parse_plan(_minds(), with_lines=False)
    registry = builtin_rules()
    found = review(plan, registry=registry, today=date(2027, 9, 10)).findings
    late = next(f for f in found if f.rule == "CP-DEL-001")
    fix = fix_for(plan, late, registry.get("CP-DEL-001"))
    assert fix is not None and not fix.target.new and fix.key == "feedback_sent"
    title = form_for(plan, None, fix.target).title
    assert title.startswith("What happened at 'Drop-in at the community centre': session 1")
    assert "add one" not in title


def test_a_finding_about_a_payment_leads_to_that_payment_without_lines() -> None:
    text = _minds().replace('who = "dev"\nfor = "practice-interviews"\nsession = 1\n'
                            'claimed = 2027-04-13\npaid = 2027-04-21',
                            'who = "dev"\nfor = "practice-interviews"\nsession = 1\n'
                            'claimed = 2027-04-13\npaid = 2027-04-12', 1)
    assert text != _minds()
    plan = parse_plan(text, with_lines=False)
    registry = builtin_rules()
    found = review(plan, registry=registry, today=date(2027, 9, 10)).findings
    early = next(f for f in found if f.rule == "CP-DEL-012")
    fix = fix_for(plan, early, registry.get("CP-DEL-012"))
    assert fix is not None and not fix.target.new
    entry = plan.paid[fix.target.at[-1]]  # type: ignore[index]
    assert (entry.who, entry.for_activity, entry.paid) == ("dev", "practice-interviews",
                                                           date(2027, 4, 12))


def test_the_day_a_session_was_called_off_is_recorded_in_the_app() -> None:
    """A new user could not record a late cancellation in the app: the record form had no
    "Called off on", the day that decides whether people are paid for it (CP-DEL-020's fix
    named a field the form never showed).  The form asks it, the file gets it only for a
    session cancelled, and a record changed to held or moved has it taken out."""
    plan = parse_plan(_minds(), with_lines=False)
    tp = next(t for t in plan.touchpoints if t.id == "fieldwork-check-ins")
    fields = forms.record_fields(plan, tp, None, date(2027, 9, 20))
    asked = next(f for f in fields if f.key == "cancelled_on")
    assert asked.label == "Called off on" and "called off" in asked.help
    _, after = _record_form(_minds(), "cancelled", cancelled_on="2027-09-17")
    record = next(r for t in parse_plan(after).touchpoints if t.id == "fieldwork-check-ins"
                  for r in t.records)
    assert record.status == "cancelled" and record.cancelled_on == date(2027, 9, 17)
    _, moved = _record_form(_minds(), "moved", cancelled_on="2027-09-17")
    assert "cancelled_on" not in moved, "only a session cancelled says when it was called off"
    tp_after = next(t for t in parse_plan(after, with_lines=False).touchpoints
                    if t.id == "fieldwork-check-ins")
    doc = PlanDocument(after)
    record = tp_after.records[0]
    forms.apply_record(doc, tp_after, 1, record, answers(
        forms.record_fields(plan, tp_after, record, date(2027, 9, 20)), status="held"))
    assert "cancelled_on" not in doc.text() and 'status = "held"' in doc.text()


def test_the_form_says_what_the_day_called_off_decides_where_the_plan_pays_for_it() -> None:
    text = _minds().replace("[payment]\n", "[payment]\ncancelled_notice = \"2d\"\n", 1)
    plan = parse_plan(text, with_lines=False)
    assert plan.payment.cancelled_notice == 2
    tp = next(t for t in plan.touchpoints if t.id == "fieldwork-check-ins")
    asked = next(f for f in forms.record_fields(plan, tp, None, date(2027, 9, 20))
                 if f.key == "cancelled_on")
    assert "less than 2 working days ahead, the people invited are paid" in asked.help
