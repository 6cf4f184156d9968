"""Fees paid per session, and sessions called off at short notice.

An activity paid per session (``payment = "session"``) is priced by a rate per session
where one fits the person (one for their kind before one for everyone, as hourly rates are
chosen); where none does, it is priced by the time it takes and the costing says so
(``Costing.otherwise``), as every output that prices does, and the review points at it
(CP-PAY-012).  A plan can pay sessions called off at short notice (``[payment]
cancelled_notice``, ``cancelled_paid``, ``cancelled_fee``): the budget as recorded costs
them so, and the review points at one with no fee in the ledger (CP-DEL-020).

Each figure here is worked out by hand from the small plan below.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.cli import cli
from coplan.costs import SESSION, Activity, Pricer, choose_rate, cost_plan, paid_per_session
from coplan.delivery import CALLED_OFF, cost_as_recorded, status
from coplan.model import Person, Plan, Rate
from coplan.planfile import parse_plan
from coplan.review import review
from coplan.review.rules import builtin_rules as registry
from coplan.schedule import schedule

# Two people with lived experience (one a carer) at a two-hour teaching session paid per
# session (two of them, a week apart), and a planning meeting paid by the hour.  No
# preparation or travel time, so that the arithmetic is plain.
PLAN = """
[project]
title = "Session fees"
start = 2027-01-11

[[person]]
id = "sam"
kind = "lived-experience"
payment = "hourly"

[[person]]
id = "jo"
kind = "carer"
payment = "hourly"

[[stage]]
id = "teach"
title = "Teaching"
duration = "2w"

  [[stage.touchpoint]]
  id = "teaching"
  title = "Co-teaching"
  who = ["sam", "jo"]
  length = "2h"
  mode = "online-live"
  payment = "session"
  when = ["start", "+1w"]
{records}
  [[stage.touchpoint]]
  id = "planning"
  title = "Planning"
  who = ["sam", "jo"]
  length = "2h"
  mode = "online-live"
  payment = "hourly"

[payment]
standard = "hourly"
{policy}
  [[payment.rates]]
  amount = 25
  per = "hour"
{rates}
[budget]
involvement = 5000
"""

SESSION_RATE = '\n  [[payment.rates]]\n  amount = 150\n  per = "session"\n'
CARER_SESSION_RATE = '\n  [[payment.rates]]\n  amount = 120\n  per = "session"\n  kind = "carer"\n'


def plan_text(rates: str = "", records: str = "", policy: str = "") -> str:
    return PLAN.format(rates=rates, records=records, policy=policy)


def plan_of(rates: str = "", records: str = "", policy: str = "") -> Plan:
    return parse_plan(plan_text(rates, records, policy))


def fees(plan: Plan) -> dict[tuple[str, str, str], float]:
    costing = cost_plan(plan, schedule(plan))
    return {(c.person, c.activity, c.day.isoformat()): c.amount
            for c in costing.costs if c.kind == "fee"}


# -- paid per session ----------------------------------------------------------------------

def test_a_session_paid_per_session_is_priced_by_the_rate_per_session() -> None:
    plan = plan_of(SESSION_RATE)
    found = fees(plan)
    assert found[("sam", "teaching", "2027-01-11")] == 150.0  # not 2h at £25
    assert found[("jo", "teaching", "2027-01-18")] == 150.0
    assert found[("sam", "planning", "2027-01-11")] == 50.0  # by the hour, as it is paid
    assert cost_plan(plan, schedule(plan)).otherwise == []


def test_a_rate_per_session_for_the_persons_kind_comes_before_a_general_one() -> None:
    plan = plan_of(SESSION_RATE + CARER_SESSION_RATE)
    found = fees(plan)
    assert found[("jo", "teaching", "2027-01-11")] == 120.0
    assert found[("sam", "teaching", "2027-01-11")] == 150.0
    # Paid by the hour, jo is paid the carers' rate all the same: a rate for their kind
    # before a general one, whatever it is per (the rate card's own choice).
    assert found[("jo", "planning", "2027-01-11")] == 120.0
    assert found[("sam", "planning", "2027-01-11")] == 50.0


def test_with_no_rate_per_session_the_costing_says_it_priced_by_the_hour() -> None:
    plan = plan_of()
    sched = schedule(plan)
    costing = cost_plan(plan, sched)
    assert fees(plan)[("sam", "teaching", "2027-01-11")] == 50.0
    assert {(o.person, o.activity, o.paid, o.per) for o in costing.otherwise} == {
        ("sam", "teaching", SESSION, "hour"), ("jo", "teaching", SESSION, "hour")}
    assert "priced by the time it takes, at 25 an hour" in costing.otherwise[0].reason
    # The costing without items (the review's) says the same.
    summed = cost_plan(plan, sched, itemised=False)
    assert [(o.person, o.activity) for o in summed.otherwise] == \
        [(o.person, o.activity) for o in costing.otherwise]
    assert summed.total_pence == costing.total_pence


def test_a_person_paid_per_session_takes_it_to_activities_that_do_not_say() -> None:
    plan = plan_of(SESSION_RATE)
    sam = plan.person("sam")
    assert sam is not None
    assert paid_per_session(plan, sam, "session") and not paid_per_session(plan, sam, "hourly")
    assert not paid_per_session(plan, sam, None)  # sam's own: hourly
    assert paid_per_session(plan, Person(id="x", payment="session"), None)
    assert paid_per_session(plan, Person(id="x", payment="voucher"), "session")


def test_what_is_owed_for_a_session_held_follows_the_rate_per_session() -> None:
    held = '\n    [[stage.touchpoint.record]]\n    session = 1\n    on = 2027-01-11\n'
    plan = plan_of(SESSION_RATE, held)
    now = status(plan, schedule(plan, today=date(2027, 1, 14)), date(2027, 1, 14))
    assert now.owed == {"sam": 150.0, "jo": 150.0}


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_budget_says_how_it_priced_a_session_with_no_rate_per_session(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(plan_text(), encoding="utf-8")
    text = " ".join(_run("budget", str(path)).split())
    assert "Priced otherwise, for 2 people: paid per session, but no rate per session" in text
    data = json.loads(_run("budget", str(path), "--format", "json"))
    assert data["priced_otherwise"] == [{"reason": data["priced_otherwise"][0]["reason"],
                                         "people": 2}]
    assert "Priced otherwise, for 2 people" in _run("budget", str(path), "--format", "csv")
    path.write_text(plan_text(SESSION_RATE), encoding="utf-8")
    assert "Priced otherwise" not in _run("budget", str(path))
    assert json.loads(_run("budget", str(path), "--format", "json"))["priced_otherwise"] == []


def test_check_points_at_the_touchpoint_paid_per_session(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    text = plan_text()
    path.write_text(text, encoding="utf-8")
    out = _run("check", str(path), "--format", "json")
    found = [f for f in json.loads(out)["plans"][0]["findings"] if f["rule"] == "CP-PAY-012"]
    line = text.splitlines().index('  payment = "session"') + 1
    assert [f["line"] for f in found] == [line]
    path.write_text(plan_text(SESSION_RATE), encoding="utf-8")
    out = _run("check", str(path), "--format", "json")
    assert not [f for f in json.loads(out)["plans"][0]["findings"]
                if f["rule"] == "CP-PAY-012"]


def test_the_teaching_example_prices_its_teaching_at_its_rate_per_session() -> None:
    from coplan.planfile import load_plan

    example = Path(__file__).parents[2] / "examples" / "teaching-workshop.toml"
    plan = load_plan(example)
    costing = cost_plan(plan, schedule(plan))
    teaching = {c.amount for c in costing.costs
                if c.kind == "fee" and c.activity in ("teaching-a", "teaching-b")}
    assert teaching == {150.0}
    assert costing.otherwise == []
    report = review(plan, schedule(plan), registry=registry())
    assert not [f for f in report.findings if f.rule == "CP-PAY-012"]
    # Its claims for the first teaching session are what the rate card says.
    assert {p.amount for p in plan.paid if p.for_activity == "teaching-a"} == {150.0}


_KINDS = ("lived-experience", "carer")
_rates = st.lists(st.builds(
    lambda amount, per, kind, named: Rate(amount=float(amount), per=per, kind=kind,
                                          people=("sam",) if named else ()),
    st.integers(1, 300), st.sampled_from(["hour", "half-day", "day", SESSION]),
    st.sampled_from([None, *_KINDS]), st.booleans()), max_size=5)


@settings(max_examples=300, deadline=None)
@given(rates=_rates, kind=st.sampled_from(_KINDS),
       payment=st.sampled_from(["session", "hourly", None]),
       own=st.sampled_from(["session", "hourly", "voucher", None]))
def test_never_priced_by_the_time_where_a_rate_per_session_fits(
        rates: list[Rate], kind: str, payment: str | None, own: str | None) -> None:
    """An activity paid per session is priced by a rate per session whenever one fits the
    person, and is said to be priced otherwise exactly when none does."""
    from dataclasses import replace

    base = plan_of()
    person = Person(id="sam", kind=kind, payment=own)
    plan = replace(base, payment=replace(base.payment, rates=tuple(rates)))
    per_session = paid_per_session(plan, person, payment)
    rate, other = choose_rate(plan, person, per_session=per_session)

    def fits(r: Rate) -> bool:
        return "sam" in r.people or (not r.people and r.kind in (None, kind))

    session_fits = any(fits(r) and r.per == SESSION for r in rates)
    time_fits = any(fits(r) and r.per != SESSION for r in rates)
    if not (session_fits or time_fits):
        assert rate is None
        return
    assert rate is not None and fits(rate)
    if per_session:
        assert (rate.per == SESSION) == session_fits
        assert other == (not session_fits)
    else:
        assert other == (rate.per == SESSION and not time_fits)
    # The pricer prices it by the rate chosen, one session or the hours it takes.
    activity = Activity("t", "T", date(2027, 1, 11), 120, "online-live", ("sam",), payment)
    fee = Pricer(plan).fee(person, activity, 120)
    assert fee is not None
    assert fee[0] is rate and fee[1] == (1.0 if rate.per == SESSION else fee[1])
    assert (fee[2] is not None) == other


# -- sessions called off at short notice --------------------------------------------------

CANCELLED = """
    [[stage.touchpoint.record]]
    session = 1
    on = 2027-01-11

    [[stage.touchpoint.record]]
    session = 2
    status = "cancelled"
    why = "The room was double-booked"
    cancelled_on = {day}
"""
# Session 2 is on Monday 18 January 2027: called off the Friday before is one working
# day's notice; the Wednesday before, three.
LATE, EARLY = "2027-01-15", "2027-01-13"
TODAY = date(2027, 2, 1)


def _called_off(plan: Plan) -> dict[str, int]:
    recorded = cost_as_recorded(plan, schedule(plan, today=TODAY), TODAY)
    assert recorded is not None
    return {c.person: c.pence for c in recorded.costing.costs if c.what == CALLED_OFF}


@pytest.mark.parametrize(("policy", "expected"), [
    ('cancelled_notice = "2d"\n', {"sam": 15000, "jo": 15000}),  # in full by default
    ('cancelled_notice = "2d"\ncancelled_paid = "50%"\n', {"sam": 7500, "jo": 7500}),
    ('cancelled_notice = "2d"\ncancelled_fee = 40\n', {"sam": 4000, "jo": 4000}),
    ('cancelled_notice = "2d"\ncancelled_fee = 40\ncancelled_paid = "50%"\n',
     {"sam": 4000, "jo": 4000}),  # the fixed amount, where both are given
    ("", {}),  # no notice in the plan: nothing is paid
], ids=["in-full", "a-share", "a-fixed-amount", "fixed-before-share", "no-policy"])
def test_a_session_called_off_late_is_costed_as_the_policy_says(
        policy: str, expected: dict[str, int]) -> None:
    plan = plan_of(SESSION_RATE, CANCELLED.format(day=LATE), policy)
    assert _called_off(plan) == expected


def test_a_session_called_off_in_good_time_costs_nothing() -> None:
    plan = plan_of(SESSION_RATE, CANCELLED.format(day=EARLY), 'cancelled_notice = "2d"\n')
    assert _called_off(plan) == {}


def test_the_ledger_is_what_was_paid_where_it_records_a_fee() -> None:
    ledger = ('\n[[paid]]\nwho = "sam"\nfor = "teaching"\nsession = 2\npaid = 2027-01-20\n'
              'amount = 100\n')
    plan = parse_plan(plan_text(SESSION_RATE, CANCELLED.format(day=LATE),
                                'cancelled_notice = "2d"\n') + ledger)
    assert _called_off(plan) == {"sam": 10000, "jo": 15000}  # sam's as paid; jo's as due


def _findings(text: str, rule: str) -> list[int]:
    plan = parse_plan(text)
    report = review(plan, schedule(plan, today=TODAY), registry=registry(), today=TODAY)
    return [f.line for f in report.findings if f.rule == rule]


def test_review_points_at_a_late_cancellation_nobody_was_paid_for() -> None:
    text = plan_text(SESSION_RATE, CANCELLED.format(day=LATE), 'cancelled_notice = "2d"\n')
    # (its header, the line before its status: one less than the status's index from 0)
    record = text.splitlines().index('    status = "cancelled"') - 1
    assert _findings(text, "CP-DEL-020") == [record]
    # In good time, or with both fees in the ledger, there is nothing to say.
    early = plan_text(SESSION_RATE, CANCELLED.format(day=EARLY), 'cancelled_notice = "2d"\n')
    assert _findings(early, "CP-DEL-020") == []
    paid = text + "".join(f'\n[[paid]]\nwho = "{who}"\nfor = "teaching"\nsession = 2\n'
                          f"paid = 2027-01-20\namount = 150\n" for who in ("sam", "jo"))
    assert _findings(paid, "CP-DEL-020") == []
    # ... and a fee paid for it is not a payment for a session nobody came to.
    assert _findings(paid, "CP-DEL-013") == []


def test_a_late_cancellation_finding_is_personal() -> None:
    assert next(r for r in registry() if r.id == "CP-DEL-020").personal


@pytest.mark.parametrize(("line", "said"), [
    ("cancelled_notice = 2", "should say its unit"),
    ('cancelled_paid = 50', "should be a percentage"),
    ('cancelled_paid = "150%"', "should be a percentage"),
    ('cancelled_fee = "40"', "should be an amount"),
])
def test_validate_refuses_cancellation_keys_written_wrong(tmp_path: Path, line: str,
                                                          said: str) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(plan_text(policy=line + "\n"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code != 0
    assert said in " ".join(result.output.split())


def test_the_json_schema_has_the_cancellation_keys() -> None:
    data = json.loads(_run("schema"))
    text = json.dumps(data)
    for name in ("cancelled_notice", "cancelled_paid", "cancelled_fee", "cancelled_on"):
        assert f'"{name}"' in text


def test_the_budget_as_recorded_shows_the_fees_for_a_late_cancellation(
        tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(plan_text(SESSION_RATE, CANCELLED.format(day=LATE),
                              'cancelled_notice = "2d"\ncancelled_paid = "50%"\n'),
                    encoding="utf-8")
    out = " ".join(_run("budget", str(path), "--today", TODAY.isoformat()).split())
    assert "Fees paid for sessions cancelled (stage: Teaching) £0.00 £150.00" in out
    data = json.loads(_run("budget", str(path), "--today", TODAY.isoformat(),
                           "--format", "json"))
    lines = {line["item"]: line["amount"] for line in data["as_recorded"]["lines"]}
    assert lines["Fees paid for sessions cancelled (stage: Teaching)"] == 150.0


def test_what_is_owed_counts_a_late_cancellation_until_the_ledger_records_it() -> None:
    policy = 'cancelled_notice = "2d"\ncancelled_paid = "50%"\n'
    plan = plan_of(SESSION_RATE, CANCELLED.format(day=LATE), policy)
    owed = status(plan, schedule(plan, today=TODAY), TODAY).owed
    assert owed == {"sam": 150.0 + 75.0, "jo": 150.0 + 75.0}  # session 1, and half of 2
    ledger = ('\n[[paid]]\nwho = "sam"\nfor = "teaching"\nsession = 2\npaid = 2027-01-20\n'
              'amount = 75\n')
    plan = parse_plan(plan_text(SESSION_RATE, CANCELLED.format(day=LATE), policy) + ledger)
    owed = status(plan, schedule(plan, today=TODAY), TODAY).owed
    assert owed == {"sam": 150.0, "jo": 150.0 + 75.0}
    early = plan_of(SESSION_RATE, CANCELLED.format(day=EARLY), policy)
    assert status(early, schedule(early, today=TODAY), TODAY).owed == \
        {"sam": 150.0, "jo": 150.0}


def test_the_progress_report_says_a_fee_was_priced_otherwise(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(plan_text(), encoding="utf-8")
    md = _run("export", "progress", str(path), "--today", "2027-02-01")
    assert "Priced otherwise, for 2 people: paid per session, but no rate per session" in \
        " ".join(md.split())
    path.write_text(plan_text(SESSION_RATE), encoding="utf-8")
    assert "Priced otherwise" not in _run("export", "progress", str(path), "--today",
                                          "2027-02-01")
