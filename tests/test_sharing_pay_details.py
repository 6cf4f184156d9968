"""How each person is paid, and whether and when they were offered benefits advice, are
payment details: the copy of the plan made for others (``sharing``) holds nobody's, so no
exporter, a plugin's included, can write them; only a person's own copy (a contributor's
pack) keeps their own.  The protocol still counts them, from the plan itself, and says the
same as before."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from coplan.export.contract import Exporter, Format, Options, run_export
from coplan.export.exporters import PROTOCOL
from coplan.model import Person, Plan
from coplan.planfile import load_plan
from coplan.review import review
from coplan.review.rules import builtin_rules
from coplan.schedule import Schedule, schedule
from coplan.sharing import PAY_DETAILS, for_audience

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "minds-discharge.toml"
WHEN = datetime(2027, 9, 10, 9, 0, tzinfo=UTC)


def _details(person: Person) -> tuple[object, ...]:
    return tuple(getattr(person, key) for key in PAY_DETAILS)


def _walk(item: object, seen: set[int], found: list[Person]) -> None:
    """Every person reachable from ``item`` through the fields of coplan's dataclasses,
    lists, tuples and tables (as a plugin that writes out whatever it is given would)."""
    if id(item) in seen or isinstance(item, (str, int, float, bool, date, type(None))):
        return
    seen.add(id(item))
    if isinstance(item, Person):
        found.append(item)
    if isinstance(item, dict):
        for value in item.values():
            _walk(value, seen, found)
        return
    if isinstance(item, (list, tuple, set, frozenset)):
        for value in item:
            _walk(value, seen, found)
        return
    if not type(item).__module__.startswith("coplan."):
        return
    slots = [s for c in type(item).__mro__ for s in getattr(c, "__slots__", ())]
    names = [*slots, *getattr(item, "__dict__", {})]
    for name in names:
        if not name.startswith("_"):  # (what is there to be read, not what is private)
            _walk(getattr(item, name, None), seen, found)


@pytest.mark.parametrize("audience", ["team", "leads", "lived-experience", "amara"])
def test_no_copy_for_others_holds_anyones_payment_or_benefits_advice(audience: str) -> None:
    plan = load_plan(EXAMPLE)
    assert any(p.payment for p in plan.people) and any(p.benefits_advice_on or
                                                       p.benefits_advice for p in plan.people)
    copy, copied = for_audience(plan, schedule(plan), audience)
    assert copied.plan is copy
    for person in copy.people:
        assert _details(person) == (None, None, None), person.id
    # A person's own copy (a contributor's pack, for them alone) keeps their own only.
    own, _ = for_audience(plan, schedule(plan), "amara", own=True)
    mine = next(p for p in plan.people if p.id == "amara")
    for person in own.people:
        assert _details(person) == (_details(mine) if person.id == "amara"
                                    else (None, None, None)), person.id


def test_a_plugin_exporter_cannot_reach_anyones_payment_or_benefits_advice() -> None:
    """An exporter that walks everything it is given, the plan, the schedule and the
    options, finds people, and no payment or benefits advice in any of them: the plan
    itself (``Options.source``) goes to coplan's own exporters only.  It can still ask for
    the review, made of the plan itself and told as its readers may read it."""
    plan = load_plan(EXAMPLE)
    reached: list[Person] = []
    reviews = []

    def run(shared: Plan, sched: Schedule, options: Options) -> bytes:
        assert options.source is None
        for given in (shared, sched, options):
            _walk(given, set(), reached)
        reviews.append(options.review(shared, sched))
        return b""

    nosy = Exporter(name="nosy", title="Everything", description="Everything it is given.",
                    formats=(Format("txt", ".txt", "text/plain"),),
                    audiences=("team", "leads", "lived-experience"), per_person=True, run=run)
    for audience in ("team", "leads", "lived-experience", "amara"):
        run_export(nosy, plan, schedule(plan, today=WHEN.date()),
                   Options(audience=audience, when=WHEN))
    assert len(reached) >= len(plan.people)
    assert {_details(p) for p in reached} == {(None, None, None)}
    # The review is of the plan itself (its people's needs and payments known), told as
    # the audience may read it.
    expected = review(plan, schedule(plan, today=WHEN.date()), registry=builtin_rules())
    assert [f.rule for f in reviews[0].findings] == [f.rule for f in expected.findings]
    assert reviews[0].plan.shared_with == "team"


def test_the_protocol_counts_payment_and_benefits_advice_as_before() -> None:
    """The protocol's counts come from the plan itself: the same as the plan says."""
    plan = load_plan(EXAMPLE)
    text = run_export(PROTOCOL, plan, schedule(plan, today=WHEN.date()),
                      Options(format="md", when=WHEN)).decode()
    line = next(x for x in text.splitlines() if x.startswith("Benefits advice so far"))
    counts = {}
    for p in plan.people:
        if p.lived and p.payment not in (None, "salaried"):
            counts[p.benefits_advice] = counts.get(p.benefits_advice, 0) + 1
    assert sum(counts.values()) >= 4
    from coplan.vocab import BENEFITS_ADVICE

    for word, n in counts.items():
        label = BENEFITS_ADVICE.label(word).lower() if word else "not recorded"
        assert f"{label}: {n}" in line, (label, line)
    # Everyone with lived experience is paid a fee or in vouchers (Lee's time is released
    # by the trust, so is not), counted from the plan itself.
    lived = [p for p in plan.people if p.lived]
    paid = [p for p in lived if (p.payment or plan.payment.standard) not in
            ("declined", "expenses-only", "not-offered", "salaried")]
    assert 0 < len(paid) < len(lived)
    assert f"{len(paid)} of {len(lived)} people with lived experience are paid" in text


def test_a_fee_to_someone_paid_through_their_job_is_told_of_one_person() -> None:
    """CP-DEL-017 says whom the ledger pays a fee on the team's own screen, and "one
    person" in what others read (``ABOUT_SOMEONES_PAY``); nobody paid through their job is
    said to be owed benefits advice."""
    from coplan.planfile import parse_plan
    from coplan.sharing import shared_report

    text = EXAMPLE.read_text(encoding="utf-8") + (
        '\n[[paid]]\nwho = "kit"\nfor = "priorities-survey"\nsession = 1\n'
        'claimed = 2027-01-11\npaid = 2027-02-03\namount = 12.5\n')
    plan = parse_plan(text)
    report = review(plan, schedule(plan, today=WHEN.date()), registry=builtin_rules(),
                    today=WHEN.date())
    found = [f for f in report.findings if f.rule == "CP-DEL-017"]
    assert [f.message.split(",")[0] for f in found] == ["Kit Brennan is paid through their job"]
    assert not [f for f in report.findings if f.rule == "CP-DEL-003" and "Kit" in f.message]
    copy, _ = for_audience(plan, schedule(plan), "leads")
    told = [f.message for f in shared_report(report, copy, plan).findings
            if f.rule == "CP-DEL-017"]
    assert told == ["one person is paid through their job, but the payments ledger pays "
                    "them a fee for session 1 of 'Anonymous survey: what made leaving "
                    "hospital hard or easier?'"]
