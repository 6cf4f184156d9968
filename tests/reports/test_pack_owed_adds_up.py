"""A person's pack lists every amount it says they are owed (trial 11, D3).

Sam's pack said "We owe you £138.75" beside a table whose only unpaid row was £101.25:
a session he came to and had not claimed for yet was counted in the sum and listed
nowhere, and a session called off at short notice the same.  For every person with lived
experience of both examples, on days across their record, and with a late cancellation,
the rows not paid yet add up to the sum the pack says."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from reports_support import EXAMPLES, example, export, plan_from

from coplan.planfile import load_plan

_MONEY = re.compile(r"£([\d,]+\.\d\d)")


def _owed_rows(md: str) -> tuple[float, float | None]:
    """The unpaid rows' sum and the sum the pack says (None where it says none)."""
    pay = md.split("## Your pay", 1)[1].split("\n## ", 1)[0]
    rows = 0.0
    for line in pay.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[3].startswith("Not "):
            for cell in cells[1:3]:
                found = _MONEY.fullmatch(cell)
                rows += float(found.group(1).replace(",", "")) if found else 0.0
    said = re.search(r"We owe you £([\d,]+\.\d\d)", pay)
    return round(rows, 2), float(said.group(1).replace(",", "")) if said else None


def _days(name: str) -> list[date]:
    story = EXAMPLES[name][1]
    return [story - timedelta(days=d) for d in (120, 40, 0)] + [story + timedelta(days=30)]


def _without_open_claims(name: str) -> str:
    """The example with every claim not paid yet taken out of its ledger: the sessions
    those people came to are then owed with nothing in the ledger (not claimed yet)."""
    text = EXAMPLES[name][0].read_text(encoding="utf-8")
    head, *entries = re.split(r"(?m)^(?=\[\[paid\]\]\n)", text)
    kept = [e for e in entries if re.search(r"(?m)^paid = ", e)]
    assert len(kept) < len(entries), "the example has open claims"
    return head + "".join(kept)


@pytest.mark.parametrize("claims", ["as written", "not claimed yet"])
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_rows_not_paid_add_up_to_what_the_pack_says_is_owed(name: str,
                                                                claims: str) -> None:
    plan = load_plan(EXAMPLES[name][0]) if claims == "as written" else \
        plan_from(_without_open_claims(name))
    checked = 0
    for today in _days(name):
        for person in plan.people:
            if not person.lived:
                continue
            md = export(plan, "contributor-pack", today=today, person=person.id).decode()
            rows, said = _owed_rows(md)
            assert rows == (said or 0.0), (name, today, person.id, rows, said)
            checked += bool(said)
    assert checked, "some pack says someone is owed something"


def test_a_session_called_off_at_short_notice_is_a_row_of_its_own() -> None:
    plan = example("minds")
    tp = next(t for t in plan.touchpoints if t.id == "fieldwork-check-ins")
    text = EXAMPLES["minds"][0].read_text(encoding="utf-8")
    anchor = '  heard_by = "Priya and the management group"\n'
    assert anchor in text and "[payment]\n" in text
    text = text.replace("[payment]\n", '[payment]\ncancelled_notice = "3d"\n', 1).replace(
        anchor, anchor + '\n    [[stage.touchpoint.record]]\n    session = 1\n'
        '    status = "cancelled"\n    cancelled_on = 2027-09-17\n')
    late = plan_from(text)
    person = next(p for p in tp.who if (q := plan.person(p)) is not None and q.lived)
    md = export(late, "contributor-pack", today=date(2027, 10, 20), person=person).decode()
    assert "Not paid yet (called off at short notice)" in md
    rows, said = _owed_rows(md)
    assert said is not None and rows == said


def test_the_pack_says_a_session_moved_and_one_called_off() -> None:
    """Trial 11, D4: a session moved from 18 to 25 October was listed on the 25th with no
    word of its planned day, and a session still to come that was called off simply left
    the list."""
    plan = example("minds")
    tp = next(t for t in plan.touchpoints if t.id == "fieldwork-check-ins")
    person = next(p for p in tp.who if (q := plan.person(p)) is not None and q.lived)
    text = EXAMPLES["minds"][0].read_text(encoding="utf-8")
    anchor = '  heard_by = "Priya and the management group"\n'
    text = text.replace(anchor, anchor + '\n    [[stage.touchpoint.record]]\n    session = 1\n'
                        '    status = "moved"\n    on = 2027-10-01\n    why = "Priya was away"\n'
                        '\n    [[stage.touchpoint.record]]\n    session = 2\n'
                        '    status = "cancelled"\n    why = "the ward closed to visitors"\n')
    md = export(plan_from(text), "contributor-pack", today=date(2027, 9, 10),
                person=person).decode()
    dates = md.split("## Your next dates", 1)[1].split("\n## ", 1)[0]
    assert "Friday 1 October 2027" in dates
    assert "(session 1 of 3), moved from Monday 20 September 2027" in dates
    assert "called off, so you do not need to come" in dates
    called_off = dates.split("do not need to come", 1)[1]
    assert "(session 2 of 3), planned for" in called_off
    assert "ward closed" not in md, "why it was called off stays with the team"


@pytest.mark.parametrize("claims", ["as written", "not claimed yet"])
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_status_says_what_each_sum_owed_is_made_of(name: str, claims: str) -> None:
    """``coplan status`` (text and JSON) lists, under each person owed, what for and by
    when: a finance officer could see whom to pay, not for what or by when."""
    import json

    from coplan.delivery import status
    from coplan.export.delivery_report import status_data, status_text
    from coplan.schedule import schedule

    plan = load_plan(EXAMPLES[name][0]) if claims == "as written" else \
        plan_from(_without_open_claims(name))
    for today in _days(name):
        now = status(plan, schedule(plan, today=today), today)
        data = json.loads(json.dumps(status_data(now)))
        summed: dict[str, float] = {}
        for item in data["owing"]:
            summed[item["person"]] = round(summed.get(item["person"], 0) + item["amount"], 2)
            assert item["kind"] in ("claimed", "not claimed", "called off")
        assert summed == data["owed"], (name, claims, today)
        text = status_text(now)
        for item in now.owing:
            if item.pence:
                assert f"£{item.pence / 100:,.2f} for {item.about}" in text


@pytest.mark.parametrize("claims", ["as written", "not claimed yet"])
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_status_splits_each_amount_owed_into_fee_and_expenses(name: str, claims: str) -> None:
    """``coplan status``'s JSON gives each amount owed (``owing``) its ``fee`` and its
    ``expenses``, as the payments export does (keys added: every key it had is as it
    was), and the text says how much of an amount is expenses."""
    import json

    from coplan.delivery import status
    from coplan.export.delivery_report import status_data, status_text
    from coplan.schedule import schedule

    plan = load_plan(EXAMPLES[name][0]) if claims == "as written" else \
        plan_from(_without_open_claims(name))
    with_expenses = 0
    for today in _days(name):
        now = status(plan, schedule(plan, today=today), today)
        data = json.loads(json.dumps(status_data(now)))
        owings = sorted((o for o in now.owing if o.pence),
                        key=lambda o: (o.due, o.activity, o.session, o.who))
        assert len(data["owing"]) == len(owings)
        text = " ".join(status_text(now).split())
        for item, owing in zip(data["owing"], owings, strict=True):
            assert list(item) == ["person", "activity", "session", "amount", "fee",
                                  "expenses", "due", "kind"]
            assert (item["fee"], item["expenses"]) == (owing.fee / 100, owing.expenses / 100)
            assert round(item["fee"] + item["expenses"], 2) == item["amount"]
            said = f"(£{owing.expenses / 100:,.2f} of it expenses)"
            assert (said in text) == bool(owing.expenses), (name, today, owing)
            with_expenses += owing.expenses > 0
    assert with_expenses, "the examples owe some expenses"


def test_a_pack_says_what_people_said_before_what_changed_because_of_it() -> None:
    """Trial 11: "What changed: those two questions were taken out" referred to nothing;
    what people said at the session (its record's ``contributed``) comes first."""
    plan = example("minds")
    person = "tendai"
    md = export(plan, "contributor-pack", today=EXAMPLES["minds"][1], person=person).decode()
    said = md.split("## What happened with what you said", 1)[1]
    mine = [r for t in plan.touchpoints for r in t.records
            if r.status == "held" and person in r.attended and r.contributed.strip()]
    assert mine and said.count("What people said: ") == len(mine)
    assert said.index("What people said: ") < said.index("What changed: ")


def test_the_gripp2_results_follow_the_impact_log_by_date() -> None:
    text = EXAMPLES["minds"][0].read_text(encoding="utf-8")
    plan = plan_from(text)
    dated = sorted((e for e in plan.impact if e.date), key=lambda e: e.date)
    assert len(dated) > 2 and list(plan.impact) != sorted(plan.impact, key=lambda e: e.date)
    md = export(plan, "gripp2", today=EXAMPLES["minds"][1], form="short").decode()
    results = md.split("## Results", 1)[1].split("\n## ", 1)[0]
    places = [results.find(e.changed[:40]) for e in dated if e.changed[:40] in results]
    assert len(places) > 2 and places == sorted(places)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_rows_not_claimed_yet_give_the_fee_and_expenses_apart(name: str) -> None:
    """Trial 11: a "Not claimed yet" row put the fee and the expenses the plan expects
    together in the Fee column ("None claimed" under Expenses); it splits them as the paid
    rows do, each as ``coplan status`` works it out."""
    from coplan.delivery import status
    from coplan.schedule import schedule

    plan = plan_from(_without_open_claims(name))
    today = EXAMPLES[name][1]
    now = status(plan, schedule(plan, today=today), today)
    checked = with_expenses = 0
    for person in plan.people:
        mine = [o for o in now.owing if o.who == person.id and o.kind == "not claimed"
                and o.pence]
        if not person.lived or not mine:
            continue
        md = export(plan, "contributor-pack", today=today, person=person.id).decode()
        pay = md.split("## Your pay", 1)[1].split("\n## ", 1)[0]
        rows = [[c.strip() for c in line.strip().strip("|").split("|")]
                for line in pay.splitlines() if line.rstrip().endswith("| Not claimed yet |")]
        assert len(rows) == len(mine), (person.id, rows)
        for owing in mine:
            fee, expenses = f"£{owing.fee / 100:,.2f}", f"£{owing.expenses / 100:,.2f}"
            assert [fee, expenses] in [row[1:3] for row in rows], (person.id, rows, owing)
            checked += 1
            with_expenses += owing.expenses > 0
    assert checked and with_expenses, "some row not claimed yet has expenses of its own"
