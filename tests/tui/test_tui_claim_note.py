"""Marking a claim paid asks whether to clear a note that only says it is not paid yet
(trial 11: T.'s claim, marked paid, kept "claim received; not paid yet").

Nothing the person wrote goes without their word: the form shows the note in its words
with the question, pre-set to Yes; No keeps it; a note they changed is kept as typed; a
note that says more than that is not asked about; and a form that did not start from the
claim (E, add a payment) keeps the claim's note when its own note field is left empty.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from forms_pilot import focus, form, pick, save
from tui_support import SIZE, make_app, settle

from coplan.edit import PlanDocument
from coplan.planfile import load_plan
from coplan.tui import forms
from coplan.tui.editing import form_for
from coplan.tui.forms import CLEAR_NOTE, Target, says_only_unpaid
from coplan.tui.panes.delivery import DeliveryTable
from coplan.tui.screens.form import FormValues

TODAY = date(2027, 9, 10)
DROP_IN = "community-drop-in"
CLAIM = '''[[paid]]
who = "tendai"
for = "community-drop-in"
session = 1
claimed = 2027-08-12
amount = 137.5
expenses = 20
note = "claim received; not paid yet"
'''
SETTLED = CLAIM.replace("claimed = 2027-08-12\n", "claimed = 2027-08-12\npaid = 2027-09-10\n")
CLEARED = SETTLED.replace('note = "claim received; not paid yet"\n', "")


@pytest.mark.parametrize(("note", "only_unpaid"), [
    ("claim received; not paid yet", True), ("Unpaid", True), ("awaiting payment", True),
    ("Claimed, not yet paid.", True), ("still owed", True), ("claim received", False),
    ("Paid late: she was in hospital", False), ("not paid yet, asked for cash", False),
    ("", False), ("Receipts for the taxi are with Kit; not paid yet", False)])
def test_which_notes_only_say_a_claim_is_not_paid(note: str, only_unpaid: bool) -> None:
    assert says_only_unpaid(note) is only_unpaid


async def _pay_tendai(plan_path: Path, clear: bool | None) -> str:
    """Mark T.'s claim paid from the Delivery tab (y), answering the question ``clear``
    (None: as it is offered)."""
    app = make_app(plan_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        table = app.query_one(DeliveryTable)
        session = next(s for s in table.sessions.values()
                       if s.touchpoint.id == DROP_IN and s.number == 1)
        table.move_cursor(row=table.get_row_index(session.id))
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pick(pilot, "tendai")
        fields = {f.key: f for f in form(pilot).fields}
        asked = fields[CLEAR_NOTE]
        assert asked.value is True and asked.kind == "switch"
        assert "“claim received; not paid yet”" in asked.help
        assert fields["note"].value == "claim received; not paid yet", "shown as written"
        if clear is False:
            switch = await focus(pilot, CLEAR_NOTE)
            switch.value = False
            await pilot.pause()
        await focus(pilot, "paid")
        await pilot.press("right")
        await save(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    return plan_path.read_text(encoding="utf-8")


async def test_yes_clears_the_note_and_changes_nothing_else(plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    assert before.count(CLAIM) == 1
    assert await _pay_tendai(plan_path, None) == before.replace(CLAIM, CLEARED)


async def test_no_keeps_the_note(plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    assert await _pay_tendai(plan_path, False) == before.replace(CLAIM, SETTLED)


def test_marking_the_claim_paid_through_e_asks_too(plan_path: Path) -> None:
    text = plan_path.read_text(encoding="utf-8")
    plan = load_plan(plan_path)
    index = next(n for n, p in enumerate(plan.paid)
                 if (p.who, p.for_activity, p.paid) == ("tendai", DROP_IN, None))
    doc = PlanDocument(text)
    made = form_for(plan, doc, Target(("paid",), (index,)), today=TODAY)
    shown = {f.key: f.value for f in made.fields}
    assert shown[CLEAR_NOTE] is True
    for clear, expected in ((True, CLEARED), (False, SETTLED)):
        doc = PlanDocument(text)
        made.apply(doc, FormValues({**shown, "paid": TODAY.isoformat(), CLEAR_NOTE: clear},
                                   shown))
        assert doc.text() == text.replace(CLAIM, expected), clear
    # Not asked where the entry is paid already, or its note says more.
    paid = next(n for n, p in enumerate(plan.paid) if p.paid is not None)
    assert CLEAR_NOTE not in {f.key for f in form_for(plan, None, Target(("paid",), (paid,)),
                                                      today=TODAY).fields}


def test_a_payment_added_through_e_keeps_the_claims_note_it_did_not_show(
        plan_path: Path) -> None:
    """E, Payments made, add one: the form starts empty, not from the claim; saved with
    its note left empty it settles the claim and keeps the claim's note (it was removed
    without a word)."""
    text = plan_path.read_text(encoding="utf-8")
    plan = load_plan(plan_path)
    made = form_for(plan, None, Target(("paid",), (), new=True), today=TODAY)
    shown = {f.key: f.value for f in made.fields}
    values = {**shown, "who": "tendai", "for": DROP_IN, "session": "1",
              "paid": TODAY.isoformat(), "amount": "137.5", "expenses": "20",
              "claimed": "2027-08-12"}
    doc = PlanDocument(text)
    made.apply(doc, FormValues(values, shown))
    assert doc.text() == text.replace(CLAIM, SETTLED)
    doc = PlanDocument(text)
    forms.apply_payment(doc, plan, FormValues({**values, "note": "paid in cash"}, shown))
    assert doc.text() == text.replace(CLAIM, SETTLED.replace(
        "claim received; not paid yet", "paid in cash"))
