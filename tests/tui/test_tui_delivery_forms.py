"""The Delivery tab's payment and impact forms settle what the record already says.

MINDS on 10 September 2027: the community drop-in was planned for 11 August and held on
12 August; Tendai and Morag claimed for it that day and are not paid yet.  A payment made
from the app marks that claim paid (the rest of the file stays byte for byte); a session
already paid is not paid twice; an impact entry credits the people who came and can name
the decision their input fed.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

import pytest
from forms_pilot import choose, focus, save, tick, type_into
from tui_support import SIZE, make_app, settle

from coplan.edit import EditError, PlanDocument
from coplan.model import BudgetLine, PaymentMade
from coplan.planfile import load_plan
from coplan.tui import forms
from coplan.tui.panes.delivery import DeliveryTable
from coplan.tui.screens.form import FormScreen
from coplan.tui.screens.pick import PickScreen

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


async def _open_on(pilot: object, app: object, touchpoint: str) -> None:
    await pilot.press("7")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    table = app.query_one(DeliveryTable)  # type: ignore[attr-defined]
    session = next(s for s in table.sessions.values()
                   if s.touchpoint.id == touchpoint and s.number == 1)
    table.move_cursor(row=table.get_row_index(session.id))
    await pilot.pause()  # type: ignore[attr-defined]


async def test_a_payment_settles_the_open_claim_and_changes_nothing_else(
        plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    assert before.count(CLAIM) == 1
    app = make_app(plan_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_on(pilot, app, DROP_IN)
        await pilot.press("y")
        await pilot.pause()
        pick = app.screen
        assert isinstance(pick, PickScreen)
        labels = [label for label, _ in pick.options]
        assert any(label.startswith("T.: ") and "claimed on 12 Aug 2027" in label
                   and "not paid yet" in label for label in labels), labels
        assert [v for _, v in pick.options] == ["tendai", "morag"], \
            "the people with lived experience who came (Lee was invited, Kit is staff)"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        values = app.screen.values()
        assert values["who"] == "tendai"
        assert values["claimed"] == "2027-08-12", "the claim's day, not the planned 11 Aug"
        assert (values["amount"], values["expenses"]) == ("137.5", "20")
        assert values["paid"] == "", "the day it was paid is not filled in for the team"
        await type_into(pilot, "note", "paid by bank transfer")
        await save(pilot)
        assert isinstance(app.screen, FormScreen), "settling a claim needs the paid day"
        await focus(pilot, "paid")
        await pilot.press("right")  # today's, offered
        await save(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    after = plan_path.read_text(encoding="utf-8")
    # The paid day goes where the plan format puts it, after the day claimed (not after
    # the note at the end of the entry).
    settled = CLAIM.replace("claim received; not paid yet", "paid by bank transfer") \
        .replace("claimed = 2027-08-12\n", "claimed = 2027-08-12\npaid = 2027-09-10\n")
    assert after == before.replace(CLAIM, settled), "only the claim's paid day and note change"
    plan = load_plan(plan_path)
    mine = [p for p in plan.paid if (p.who, p.for_activity) == ("tendai", DROP_IN)]
    assert len(mine) == 1 and mine[0].paid == TODAY


MORAG_CLAIM = CLAIM.replace('"tendai"', '"morag"').replace("expenses = 20", "expenses = 92")


async def test_a_form_turned_to_another_person_settles_their_own_claim(
        plan_path: Path) -> None:
    """Found by trying the product: the form filled from Tendai's claim, "Who" changed to
    Morag, saved with today's date, marked Morag's claim paid with Tendai's expenses (20,
    not her 92) and cleared her note.  Her claim keeps its own amounts and note; the line
    under "Who" says whose claim saving settles; Tendai's claim is untouched."""
    before = plan_path.read_text(encoding="utf-8")
    assert before.count(CLAIM) == 1 and before.count(MORAG_CLAIM) == 1
    app = make_app(plan_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_on(pilot, app, DROP_IN)
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("enter")  # Tendai, the first who came
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.values()["expenses"] == "20"
        await choose(pilot, "who", "morag")
        said = str(form.query_one("#help-who").render())
        assert "Morag Campbell's own claim" in said and "£92.00 expenses" in said, said
        await focus(pilot, "paid")
        await pilot.press("right")  # today's, offered
        await save(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    after = plan_path.read_text(encoding="utf-8")
    settled = MORAG_CLAIM.replace("claimed = 2027-08-12\n",
                                  "claimed = 2027-08-12\npaid = 2027-09-10\n")
    assert after == before.replace(MORAG_CLAIM, settled), \
        "only Morag's paid day is written: her amounts and note stay hers"
    assert CLAIM in after, "Tendai's claim is still open, as it was"


async def test_a_session_already_paid_is_not_paid_again(plan_path: Path) -> None:
    plan = load_plan(plan_path)
    done = next(p for p in plan.paid if p.paid is not None and p.for_activity != DROP_IN
                and any(t.id == p.for_activity for t in plan.touchpoints))
    before = plan_path.read_text(encoding="utf-8")
    doc = PlanDocument(before)
    values = {"who": done.who, "for": done.for_activity, "session": str(done.session or 1),
              "claimed": "", "paid": TODAY.isoformat(), "amount": "10", "expenses": "",
              "method": None, "note": ""}
    with pytest.raises(EditError, match="a session is paid once"):
        forms.apply_payment(doc, plan, values)
    assert doc.text() == before

    app = make_app(plan_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_on(pilot, app, done.for_activity)
        await pilot.press("y")
        await pilot.pause()
        if isinstance(app.screen, PickScreen):  # choosing the person paid is refused
            order = [v for _, v in app.screen.options]
            await pilot.press(*["down"] * order.index(done.who), "enter")
            await pilot.pause()
            assert isinstance(app.screen, PickScreen)
            assert "a session is paid once" in str(app.screen.query_one("#refusal").render())
            await pilot.press("escape")
        else:
            assert isinstance(app.screen, FormScreen)
            await type_into(pilot, "amount", "10")
            await save(pilot)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert plan_path.read_text(encoding="utf-8") == before


def test_without_a_claim_a_payment_is_added_from_the_day_it_was_held(plan_path: Path) -> None:
    text = plan_path.read_text(encoding="utf-8").replace(CLAIM, "")
    plan_path.write_text(text, encoding="utf-8")
    plan = load_plan(plan_path)
    from coplan.schedule import schedule

    session = next(s for s in schedule(plan, today=TODAY).sessions
                   if s.touchpoint.id == DROP_IN and s.number == 1)
    assert session.day == date(2027, 8, 11)
    shown = forms.payment_fields(plan, session, TODAY, "tendai")
    fields = {f.key: f.value for f in shown}
    offers = {f.key: f.offer for f in shown}
    assert fields["claimed"] == "" and fields["paid"] == "", "offered, not filled in"
    assert offers["claimed"] == "2027-08-12", "held a day late: the held day, as recorded"
    assert offers["paid"] == TODAY.isoformat()
    assert fields["amount"] == ""
    doc = PlanDocument(text)
    forms.apply_payment(doc, plan, {**fields, "amount": "137.5", "claimed": offers["claimed"],
                                    "paid": offers["paid"]})
    new = doc.text()
    old_lines, new_lines = text.splitlines(), new.splitlines()
    diff = [d for d in difflib.ndiff(old_lines, new_lines) if d[:1] in "+-"]
    assert all(d.startswith("+ ") for d in diff), "nothing written before changes"
    assert "+ [[paid]]" in diff and '+ claimed = 2027-08-12' in diff
    added = load_plan_text(new)
    mine = [p for p in added.paid if (p.who, p.for_activity) == ("tendai", DROP_IN)]
    assert len(mine) == 1 and mine[0].claimed == date(2027, 8, 12) and mine[0].paid == TODAY


def load_plan_text(text: str) -> object:
    from coplan.planfile import parse_plan

    return parse_plan(text, "plan.toml")


async def test_the_impact_form_credits_who_came_and_links_a_decision(plan_path: Path) -> None:
    app = make_app(plan_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_on(pilot, app, DROP_IN)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        values = app.screen.values()
        assert values["who"] == [], "whose input it was is the team's to tick"
        who = next(f for f in app.screen.fields if f.key == "who")
        assert sorted(v for _, v in who.options[:2]) == ["morag", "tendai"], \
            "who came first (Kit is staff); Lee was invited but did not come"
        assert "came to the session: T., Morag" in who.help or \
            "came to the session: Morag, T." in who.help, who.help
        await tick(pilot, "who", "tendai", "morag")
        decision = next(v for _, v in app.screen.fields[2].options)
        assert app.screen.fields[2].key == "decision"
        await choose(pilot, "decision", decision)
        await type_into(pilot, "changed", "The invitation names the drop-in's host.")
        await save(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    plan = load_plan(plan_path)
    entry = plan.impact[-1]
    assert entry.changed.startswith("The invitation names")
    assert sorted(entry.who) == ["morag", "tendai"]
    stage, _, chosen = decision.partition(":")
    assert entry.decision == chosen
    owner = next(s for s in plan.stages if any(t.id == DROP_IN for t in s.touchpoints))
    assert stage == owner.id, "the touchpoint's own stage's decisions come first"


@pytest.mark.parametrize(("typed", "says"), [
    ("2027-02-30", "February 2027 has 28 days"),
    ("2027-13-01", "there is no month 13"),
    ("2027-3-5", "two digits"),
    ("12/08/2027", "year-month-day"),
])
async def test_a_date_that_does_not_exist_is_named_in_every_date_field(
        plan_path: Path, typed: str, says: str) -> None:
    assert says in (forms.check_date(typed) or "")
    app = make_app(plan_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_on(pilot, app, DROP_IN)
        await pilot.press("i")
        await pilot.pause()
        await type_into(pilot, "date", typed)
        await type_into(pilot, "changed", "Something changed.")
        await save(pilot)
        assert isinstance(app.screen, FormScreen), "not saved with a wrong date"
        assert says in str(app.screen.query_one("#form-error").render()) + " ".join(
            str(w.render()) for w in app.screen.query(".field-error"))


async def test_the_tab_says_overdue_in_words_and_shows_payments(plan_path: Path) -> None:
    app = make_app(plan_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        table = app.query_one(DeliveryTable)
        rows = {s.touchpoint.id: [str(c) for c in table.values(key).values()][1:]
                for key, s in table.sessions.items() if s.number == 1}
        drop_in = rows[DROP_IN]
        assert drop_in[:2] == ["Thu 12 Aug 2027", "✔ held, moved from 11 Aug"], \
            "held a day after it was planned: the day it happened, and that it moved"
        assert drop_in[2] == "⚠ overdue since 26 Aug"
        assert drop_in[3] == "⚠ 2 overdue since 26 Aug", "Tendai and Morag, not paid"
        interviews = rows["peer-interviews"]
        assert interviews[2] == "not yet, due 20 Sep", interviews
        assert interviews[3] == "2 owed, due 20 Sep", interviews
        assert any(r[3].startswith("✔ paid (") for r in rows.values()), rows
        order = [s for s in table.sessions.values()]
        days = [(r.on if (r := next((x for x in s.touchpoint.records
                                     if x.session == s.number), None)) and r.on
                 and r.status in ("held", "moved") else s.day) for s in order]
        assert days == sorted(days), "in the order they happen"


async def test_esc_goes_back_one_level_in_the_plan_browser(plan_path: Path) -> None:
    from forms_pilot import pick

    app = make_app(plan_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        top = app.screen
        assert isinstance(top, PickScreen)
        assert "Esc closes" in str(top.query_one(".form-keys").render())
        payments = next(v for label, v in top.options if label.startswith("Payments made"))
        await pick(pilot, payments)
        listing = app.screen
        assert isinstance(listing, PickScreen) and listing is not top
        assert "Esc goes back" in str(listing.query_one(".form-keys").render())
        labels = [label for label, _ in listing.options]
        assert "T.: Drop-in at the community centre, session 1 · £157.50 · owed, claimed " \
            "12 Aug 2027" in labels, labels
        assert any("· paid " in label for label in labels)
        first = listing.options[0][1]
        await pick(pilot, first)  # a payment's form
        assert isinstance(app.screen, FormScreen)
        assert "Esc: back to the list" in str(app.screen.query_one(".form-keys").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen), "Esc in the form: back to the payments"
        assert [label for label, _ in app.screen.options] == labels
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen), "Esc in the payments: back to the top"
        assert app.screen.pick_title == top.pick_title
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PickScreen | FormScreen), "Esc at the top closes"


async def test_esc_in_the_payment_form_goes_back_to_the_people(plan_path: Path) -> None:
    from forms_pilot import pick

    app = make_app(plan_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_on(pilot, app, DROP_IN)
        await pilot.press("y")
        await pilot.pause()
        await pick(pilot, "morag")
        assert isinstance(app.screen, FormScreen)
        assert app.screen.values()["expenses"] == "92", "Morag's own claim"
        assert "Esc: back to the people who came" in str(
            app.screen.query_one(".form-keys").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PickScreen | FormScreen)


def test_a_payment_added_through_e_settles_the_claim_too(plan_path: Path) -> None:
    from coplan.tui.editing import form_for
    from coplan.tui.forms import Target

    text = plan_path.read_text(encoding="utf-8")
    plan = load_plan(plan_path)
    form = form_for(plan, None, Target(("paid",), (), new=True))
    values = {f.key: "" for f in form.fields}
    values.update({"who": "tendai", "for": DROP_IN, "session": "1",
                   "paid": TODAY.isoformat(), "amount": "137.5", "expenses": "20",
                   "claimed": "2027-08-12", "note": "claim received; not paid yet",
                   "method": None})
    doc = PlanDocument(text)
    form.apply(doc, values)
    assert doc.text() == text.replace(CLAIM, CLAIM.replace(
        "claimed = 2027-08-12\n", "claimed = 2027-08-12\npaid = 2027-09-10\n"))


async def test_an_amount_written_another_way_is_refused_never_read_wrong(
        plan_path: Path) -> None:
    """A new user typed Tendai's fee as "£37,50": the file got ``amount = 3750``.  A comma
    where the point belongs, or another currency's sign, is refused with how to write it;
    what the person then writes is what the file gets."""
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_on(pilot, app, DROP_IN)
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("enter")  # Tendai, whose claim is open
        await pilot.pause()
        await focus(pilot, "paid")
        await pilot.press("right")
        for typed, words in (("£37,50", "a point before the pence, not a comma"),
                             ("1.234,50", "a point before the pence"),
                             ("$37.50", "this plan's amounts are in pounds (GBP)")):
            await type_into(pilot, "amount", typed)
            await save(pilot)
            assert isinstance(app.screen, FormScreen), typed
            problems = dict(app.screen.problems())
            assert words in problems.get("amount", ""), (typed, problems)
        await type_into(pilot, "amount", "£1,037.50")
        await save(pilot)
        assert not isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
    after = plan_path.read_text(encoding="utf-8")
    assert "amount = 1037.5\n" in after and "amount = 3750" not in after
    # The paid day added, and the note that said it was not paid cleared (the form asks,
    # Yes as offered: tests/tui/test_tui_claim_note.py), and nothing else.
    assert after.count("\n") == before.count("\n")
    assert before.count('note = "claim received; not paid yet"') == \
        after.count('note = "claim received; not paid yet"') + 1


def test_every_amount_field_checks_the_plans_own_currency(plan_path: Path) -> None:
    """The form of any table (E) asks amounts in the plan's currency too."""
    plan = load_plan(plan_path)
    for model in (PaymentMade, BudgetLine):
        fields = forms.key_fields(plan, model)
        amounts = [f for f in fields if f.key in ("amount", "expenses")]
        assert amounts, model
        for field in amounts:
            assert field.check("€5") is not None and "pounds (GBP)" in field.check("€5")
            assert field.check("£5") is None and field.check("5,00") is not None


def test_a_payment_nobody_has_claimed_offers_the_fee_the_plan_gives(plan_path: Path) -> None:
    """Trial 11: a new payment started empty although coplan knows the amount.  The fee
    and the expenses the plan's rates give the person for that session are offered (→),
    never filled in; an open claim fills the form from the claim instead."""
    from coplan.costs import Activity, Pricer
    from coplan.schedule import schedule

    plan = load_plan(plan_path)
    sched = schedule(plan, today=TODAY)
    session = next(s for s in sched.sessions
                   if s.touchpoint.id == "fieldwork-check-ins" and s.number == 1)
    tp = session.touchpoint
    who = next(p for p in tp.who if (q := plan.person(p)) is not None and q.lived)
    fee, expenses = Pricer(plan).due(plan.person(who), Activity(  # type: ignore[arg-type]
        tp.id, tp.title, session.day, session.length_minutes, tp.mode, tuple(tp.who),
        tp.payment, session.stage, 1))
    assert isinstance(fee, tuple) and fee[1]
    fields = {f.key: f for f in forms.payment_fields(plan, session, TODAY, who)}
    assert fields["amount"].value == "" and fields["amount"].offer == \
        forms._amount_text(fee[1] / 100)
    assert f"£{fee[1] / 100:,.2f}, the fee the plan's rates give" in fields["amount"].help
    spent = sum(p for _, p in expenses if p)
    assert (fields["expenses"].offer or "") == (forms._amount_text(spent / 100) if spent
                                                else "")
    drop_in = next(s for s in sched.sessions if s.touchpoint.id == DROP_IN)
    claimed = {f.key: f for f in forms.payment_fields(plan, drop_in, TODAY, "tendai")}
    assert claimed["amount"].value == "137.5" and not getattr(claimed["amount"], "offer", "")
