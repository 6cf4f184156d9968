"""Costs come from the plan: rates, sessions, preparation and travel time, and needs.

Each expectation here is worked out by hand from the small plan below, so that a change to
the arithmetic shows up as a number that no longer matches.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.costs import budget_lines, cost_plan
from coplan.planfile import parse_plan
from coplan.schedule import schedule

PLAN = """
[project]
title = "Costing"
start = 2027-01-11

[[person]]
id = "sam"
kind = "lived-experience"
payment = "hourly"
needs = ["childcare"]

[[person]]
id = "jo"
kind = "carer"
payment = "hourly"
needs = ["replacement-care"]

[[person]]
id = "ali"
kind = "lived-experience"
payment = "declined"

[[person]]
id = "kit"
kind = "researcher"

[[stage]]
id = "aims"
title = "Aims"
duration = "2w"

  [[stage.touchpoint]]
  id = "aims-1"
  who = ["sam", "jo", "ali", "kit"]
  length = "2h"
  mode = "in-person"
  when = ["start", "+1w"]

[[stage]]
id = "write"
title = "Write"
duration = "1w"
after = ["aims"]

  [[stage.touchpoint]]
  id = "write-1"
  who = ["sam"]
  length = "90m"
  mode = "online-live"

[payment]
preparation = "50%"
travel_time = "1h"

  [[payment.rates]]
  amount = 20
  per = "hour"

  [[payment.rates]]
  amount = 100
  per = "session"
  kind = "carer"

  [[payment.costs]]
  expense = "travel"
  amount = 10
  per = "session"

  [[payment.costs]]
  expense = "childcare"
  amount = 8
  per = "hour"

[budget]
involvement = 500

  [[budget.lines]]
  item = "Fees"
  amount = 300
  use = "fees"

  [[budget.lines]]
  item = "Expenses"
  amount = 100
  use = "expenses"
"""


@pytest.fixture()
def plan():
    return parse_plan(PLAN)


def test_fees_follow_rates_preparation_and_travel(plan) -> None:
    costing = cost_plan(plan, schedule(plan))
    fees = {(c.person, c.activity, c.day.isoformat()): c.amount
            for c in costing.costs if c.kind == "fee"}
    # sam in person: 2h + 50% preparation + 1h travel = 4h at £20; online: 1.5h + 0.75h
    assert fees[("sam", "aims-1", "2027-01-11")] == 80.0
    assert fees[("sam", "aims-1", "2027-01-18")] == 80.0
    assert fees[("sam", "write-1", "2027-01-27")] == 45.0  # after aims and its slow-down time
    # jo is a carer: £100 a session, however long
    assert fees[("jo", "aims-1", "2027-01-11")] == 100.0
    # ali declined a fee; kit is a researcher, paid through their job
    assert not [k for k in fees if k[0] in ("ali", "kit")]
    assert costing.fees == 80 + 80 + 45 + 100 + 100
    assert costing.hours == pytest.approx(4 + 4 + 2.25 + 4 + 4)


def test_expenses_follow_needs_and_coming_in_person(plan) -> None:
    costing = cost_plan(plan, schedule(plan))
    expenses = sorted((c.person, c.what, c.activity, c.amount) for c in costing.costs
                      if c.kind == "expense")
    # In person: travel for everyone with lived experience who comes (ali too: expenses
    # are paid to people who decline a fee); childcare for sam by the hour (2h + 1h travel)
    assert ("ali", "travel", "aims-1", 10.0) in expenses
    assert ("sam", "childcare", "aims-1", 24.0) in expenses
    assert ("sam", "childcare", "write-1", 12.0) in expenses  # online: 1.5h, no travel
    assert ("sam", "travel", "write-1", 10.0) not in expenses
    # jo needs replacement care, which has no cost in the plan: said, not guessed
    assert {u.what for u in costing.unpriced} == {"replacement-care"}
    assert costing.expenses == 10 * 6 + 24 * 2 + 12


def test_the_budget_is_set_against_what_is_funded(plan) -> None:
    costing = cost_plan(plan, schedule(plan))
    assert costing.funded == 400  # the lines for fees and expenses, not the whole budget
    assert costing.total == 405 + 120
    assert costing.shortfall == pytest.approx(125)


def test_budget_json_is_the_documented_contract(plan, tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["budget", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["currency"] == "GBP"
    assert data["funded"] == 400
    assert data["total"] == sum(line["amount"] for line in data["lines"])
    assert data["total"] == pytest.approx(525)
    assert all({"item", "amount"} <= set(line) for line in data["lines"])
    assert not any(name in result.output for name in ("sam", "jo", "ali", "kit"))


def test_budget_lines_add_up_on_the_bundled_examples() -> None:
    root = Path(__file__).resolve().parents[2]
    for path in sorted((root / "examples").glob("*.toml")):
        plan = parse_plan(path.read_text(encoding="utf-8"))
        costing = cost_plan(plan, schedule(plan))
        lines = budget_lines(costing, plan)
        assert round(sum(a for _, a in lines), 2) == round(costing.total, 2)


def test_budget_csv_never_starts_a_formula(tmp_path: Path) -> None:
    text = PLAN.replace('title = "Aims"', 'title = "=HYPERLINK(1)"')
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["budget", str(path), "--format", "csv"])
    assert result.exit_code == 0
    assert "=HYPERLINK" in result.output
    assert not any(line.startswith(("=", "+", "-", "@")) for line in result.output.splitlines())


@pytest.mark.parametrize("plan_file", ["examples/minds-discharge.toml",
                                       "examples/teaching-workshop.toml",
                                       *(f"templates/plans/{p.name}" for p in sorted(
                                           (Path(__file__).resolve().parents[2] / "templates"
                                            / "plans").glob("*.toml")))])
def test_one_pricer_prices_each_activity_as_a_fresh_one_would(plan_file: str) -> None:
    """The delivery record prices thousands of sessions one by one with one ``Pricer``,
    which keeps each person's rate and expenses: every activity, priced after all the
    others, costs what a pricer that has seen nothing else makes of it, and pricing them
    together costs what pricing them one by one adds up to."""
    from coplan.costs import Pricer, activities
    from coplan.planfile import load_plan

    plan = load_plan(Path(__file__).resolve().parents[2] / plan_file)
    sched = schedule(plan)
    done = activities(plan, sched)
    shared = Pricer(plan)
    one_by_one = [shared.costing([a]) for a in done]
    for activity, priced in zip(done, one_by_one, strict=True):
        assert priced == Pricer(plan).costing([activity])
    together = cost_plan(plan, sched)
    assert together.costs == [c for p in one_by_one for c in p.costs]
    assert together.costs or together.unpriced or not done


@pytest.mark.parametrize("plan_file", ["examples/minds-discharge.toml",
                                       "examples/teaching-workshop.toml",
                                       *(f"templates/plans/{p.name}" for p in sorted(
                                           (Path(__file__).resolve().parents[2] / "templates"
                                            / "plans").glob("*.toml")))])
def test_a_costing_without_its_items_adds_up_to_the_itemised_one(plan_file: str) -> None:
    """The review needs only a costing's total and what could not be priced, so it prices
    without keeping one item per fee and expense: the count, total, hours, budget and the
    unpriced are what the itemised costing gives."""
    from coplan.planfile import load_plan

    plan = load_plan(Path(__file__).resolve().parents[2] / plan_file)
    sched = schedule(plan)
    full = cost_plan(plan, sched)
    short = cost_plan(plan, sched, itemised=False)
    assert short.costs == []
    assert (short.priced, short.total_pence, short.total, short.shortfall) == \
        (len(full.costs), full.total_pence, full.total, full.shortfall)
    assert short.priced == full.priced
    by_person: dict[str, int] = {}
    for cost in full.costs:
        by_person[cost.person] = by_person.get(cost.person, 0) + cost.pence
    assert short.pence_by_person == by_person
    # one activity at a time, as the delivery record prices each held session
    from coplan.costs import Pricer, activities

    pricer = Pricer(plan)
    for activity in activities(plan, sched):
        one, alone = pricer.costing([activity]), pricer.costing([activity], itemised=False)
        due = pricer.by_person(activity)
        assert {p: total for p, (total, _) in due.items()} == alone.pence_by_person
        # (and how much of it is expenses, which a pack shows apart from the fee)
        assert {p: spent for p, (_, spent) in due.items()} == \
            {p: sum(c.pence for c in one.costs if c.person == p and c.kind == "expense")
             for p in due}
        assert alone.pence_by_person == {p: sum(c.pence for c in one.costs if c.person == p)
                                         for p in dict.fromkeys(c.person for c in one.costs)}
    assert (short.unpriced, short.hours, short.funded, short.funded_fees,
            short.funded_expenses, short.currency) == \
        (full.unpriced, full.hours, full.funded, full.funded_fees, full.funded_expenses,
         full.currency)


def test_what_each_person_is_due_is_kept_only_for_activities_alike(plan) -> None:
    """A pricer keeps what a person is due at an activity for the next one of the same
    length, way of taking part and payment: for every activity of the hand-worked plan
    and the bundled ones (each person's rate, needs and payment differ), it is what a
    pricer that has seen nothing else works out."""
    import dataclasses

    from coplan.costs import FEE_PAYMENTS, Pricer, activities
    from coplan.planfile import load_plan

    root = Path(__file__).resolve().parents[2]
    plans = [plan, *(load_plan(p) for p in [*sorted((root / "examples").glob("*.toml")),
                                           *sorted((root / "templates" / "plans")
                                                   .glob("*.toml"))])]
    # and each with nobody choosing how they are paid (the activity's payment then counts)
    plans += [dataclasses.replace(p, people=tuple(dataclasses.replace(x, payment=None)
                                                  for x in p.people)) for p in plans]
    checked = 0
    for each in plans:
        shared = Pricer(each)
        done = activities(each, schedule(each))
        payments = sorted({a.payment or "" for a in done} | set(FEE_PAYMENTS) | {"declined"})
        # and the first few again, paid, held and timed every other way
        alike = [dataclasses.replace(a, payment=pay or None, mode=mode, minutes=minutes)
                 for a in done[:6] for pay in ["", *payments]
                 for mode in ("online", "in-person")
                 for minutes in (a.minutes, a.minutes + 45)]
        for activity in [*done, *alike]:
            for person in each.lived_in(activity.who):
                assert shared.due(person, activity) == Pricer(each).due(person, activity)
                checked += 1
        assert len(shared._due) <= checked
    assert checked > 100


def test_the_hand_worked_plan_totals_the_same_without_its_items(plan) -> None:
    sched = schedule(plan)
    full, short = cost_plan(plan, sched), cost_plan(plan, sched, itemised=False)
    assert full.costs and full.unpriced  # the plan has both, so the comparison says something
    assert (short.priced, short.total_pence, short.unpriced, short.hours) == \
        (len(full.costs), full.total_pence, full.unpriced, full.hours)
    assert len(short.pence_by_person) > 1


def test_activities_alike_are_priced_once_and_added_up_as_each_was(plan) -> None:
    """A costing without its items works out who is due what once for the activities
    alike (the same people, length, way of taking part and payment) and adds it up for
    each in turn: the activities of every bundled plan and the hand-worked one, and the
    first of them again held and paid every other way, in an order that mixes them,
    total what the itemised costing gives."""
    import dataclasses

    from coplan.costs import FEE_PAYMENTS, Pricer, activities
    from coplan.planfile import load_plan

    root = Path(__file__).resolve().parents[2]
    plans = [plan, *(load_plan(p) for p in [*sorted((root / "examples").glob("*.toml")),
                                           *sorted((root / "templates" / "plans")
                                                   .glob("*.toml"))])]
    plans += [dataclasses.replace(p, people=tuple(dataclasses.replace(x, payment=None)
                                                  for x in p.people)) for p in plans]
    for each in plans:
        done = activities(each, schedule(each))
        payments = sorted({a.payment or "" for a in done} | set(FEE_PAYMENTS) | {"declined"})
        alike = [dataclasses.replace(a, payment=pay or None, mode=mode, minutes=minutes,
                                     who=tuple(a.who) if n % 2 else (*a.who, "nobody"))
                 for n, a in enumerate(done[:6]) for pay in ["", *payments]
                 for mode in ("online", "in-person")
                 for minutes in (a.minutes, a.minutes + 45)]
        mixed = [x for pair in zip(alike, [*done, *done][:len(alike)], strict=False)
                 for x in pair] + done
        full = Pricer(each).costing(mixed)
        short = Pricer(each).costing(mixed, itemised=False)
        assert (short.priced, short.total_pence, short.unpriced, short.hours) == \
            (len(full.costs), full.total_pence, full.unpriced, full.hours)
        by_person: dict[str, int] = {}
        for cost in full.costs:
            by_person[cost.person] = by_person.get(cost.person, 0) + cost.pence
        assert short.pence_by_person == by_person


# -- the budget as a finance officer reads it ------------------------------------------

def _budget(tmp_path: Path, text: str, *args: str) -> str:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["budget", str(path), *args])
    assert result.exit_code == 0, result.output
    return result.output


def _amount_ends(text: str) -> set[int]:
    import re

    return {len(line) for line in text.splitlines() if re.search(r"\S  +£[\d,.]+$", line)}


@pytest.mark.parametrize("which", ["hand-worked", "no-rates", "short-titles"])
def test_every_amount_of_the_budget_stands_in_one_column(tmp_path: Path, which: str,
                                                         no_rates_text: str) -> None:
    """The totals' labels are as wide as the widest line's: short lines (or none) never
    push the totals' amounts out of the column."""
    text = {"hand-worked": PLAN, "no-rates": no_rates_text,
            "short-titles": PLAN.replace('title = "Aims"', 'title = "A"')
            .replace('title = "Write"', 'title = "W"')}[which]
    out = _budget(tmp_path, text)
    assert len(_amount_ends(out)) <= 1, out
    assert "\n\n\n" not in out, "no empty line follows another"


def test_nothing_priced_is_never_money_to_spare(tmp_path: Path, no_rates_text: str) -> None:
    out = " ".join(_budget(tmp_path, no_rates_text).split())
    assert "to spare" not in out
    assert "Total" not in out, "a total of nothing priced says nothing"
    assert "cannot be set against it" in out
    assert "no rate card" in out
    data = json.loads(_budget(tmp_path, no_rates_text, "--format", "json"))
    assert (data["format"], data["complete"], data["priced_items"], data["funded_from"]) == \
        ("coplan-budget", False, 0, "involvement")
    csv_text = _budget(tmp_path, no_rates_text, "--format", "csv")
    assert "Not priced, for 1 person" in csv_text


def test_a_budget_partly_priced_says_the_total_is_not_all(tmp_path: Path) -> None:
    out = " ".join(_budget(tmp_path, PLAN).split())  # replacement care has no cost: one
    # person not priced
    assert "to spare" not in out and "short:" not in out
    assert "priced so far come to £525.00" in out
    assert "Line by line: fees £405.00 priced against £300.00 budgeted" in out
    data = json.loads(_budget(tmp_path, PLAN, "--format", "json"))
    assert data["complete"] is False and data["funded_from"] == "lines"


def test_a_budget_fully_priced_says_what_is_to_spare(tmp_path: Path) -> None:
    text = PLAN.replace('needs = ["replacement-care"]', "needs = []")
    out = " ".join(_budget(tmp_path, text).split())
    assert "which leaves £" in out and "short: the budget does not cover the plan" in out
    assert json.loads(_budget(tmp_path, text, "--format", "json"))["complete"] is True
