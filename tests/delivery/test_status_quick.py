"""``delivery.status`` works out once what a plan of thousands of sessions repeats (the
day so many working days after a day, what each person is due at sessions alike) and
says at once that a session with nothing in the ledger is owed as priced; the rules on
the delivery record share the status, the day each session was held and each session's
subject through the review's ``Shared``, and write each day once.  The status and the
rules as first written (the plain ways, below) and as they are now agree on the example
with its delivery record, ledger, people and settings changed at random, on days before,
during and after it."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan import delivery
from coplan.costs import FEE_PAYMENTS, Activity, Pricer, activities, cost_plan, payment_of
from coplan.delivery import (
    DEFAULT_PAY_WITHIN,
    Later,
    Overdue,
    Owing,
    SessionState,
    StageState,
    Status,
    _paid_for,
    _pence,
    _touchpoints_of,
    as_of,
    keeps_delivery_record,
    paid_as_staff,
    status,
)
from coplan.model import PaymentMade, Plan, SessionRecord, Touchpoint
from coplan.planfile import load_plan
from coplan.plugins import all_rules
from coplan.review.engine import Context, Shared, Subject
from coplan.review.rules._subjects import touchpoint_subject
from coplan.schedule import Schedule, ScheduleError, schedule

ROOT = Path(__file__).resolve().parents[2]
MINDS = ROOT / "examples" / "minds-discharge.toml"


def _record_for(tp: Touchpoint, number: int) -> SessionRecord | None:
    return next((r for r in tp.records if r.session == number), None)


def plain_status(plan: Plan, sched: Schedule, today: date) -> Status:
    """``status`` as it was first written: each held session priced on its own."""
    plan, later = plain_as_of(plan, sched, today)
    cal = sched.calendar
    review = plan.review
    pay_within = plan.payment.within_days
    pay_within = DEFAULT_PAY_WITHIN if pay_within is None else pay_within
    states = [SessionState(s, _record_for(plan_tp, s.number))
              for s, plan_tp in _touchpoints_of(plan, sched, bool(later))]
    pricer = Pricer(plan)
    recording = keeps_delivery_record(plan)
    overdue: list[Overdue] = []
    ledger = _paid_for(plan)
    settled: set[tuple[str, str, int]] = set()
    owed: dict[str, int] = {}
    paid: dict[str, int] = {}
    days_to_pay: list[int] = []
    first_paid: dict[str, date] = {}
    for entry in plan.paid:
        if entry.paid is None:
            continue
        paid[entry.who] = paid.get(entry.who, 0) + round((entry.amount + entry.expenses) * 100)
        if entry.amount <= 0 and entry.method != "voucher":
            continue  # (expenses alone are not earnings: no benefits advice before them)
        if entry.who not in first_paid or entry.paid < first_paid[entry.who]:
            first_paid[entry.who] = entry.paid

    owing: list[Owing] = []

    def owe(person_id: str, pence: int, due: date, what: str, tp_id: str,
            number: int, kind: str = "claimed", expenses: int = 0) -> None:
        owed[person_id] = owed.get(person_id, 0) + pence
        title = what.split(" of '", 1)[1][:-1] if tp_id and " of '" in what else ""
        owing.append(Owing(person_id, tp_id, number, pence, due, kind, title, expenses))
        if due < today:
            overdue.append(Overdue("payment", due, tp_id, person_id, number, what))

    for state in states:
        tp = state.touchpoint
        number = state.session.number
        if state.record is None:
            if recording and state.session.day < today:
                overdue.append(Overdue("record", state.session.day, tp.id, "", number,
                                       f"session {number} of '{tp.title}': nothing is "
                                       "recorded"))
            continue
        if state.record.status == "moved":  # (due on its new day)
            if recording and state.day < today:
                overdue.append(Overdue("record", state.day, tp.id, "", number,
                                       f"session {number} of '{tp.title}', moved from "
                                       f"{state.session.day:%d %b %Y}: nothing is recorded"))
            continue
        if not state.held:
            continue
        held = state.day
        within = tp.feedback_within_days if tp.feedback_within_days is not None \
            else review.feedback_within_days
        due = cal.date_at(cal.index(held) + within)
        if state.record.feedback_sent is None and due < today:
            overdue.append(Overdue("feedback", due, tp.id, "", number,
                                   f"people at session {number} of '{tp.title}' have not "
                                   "heard back"))
        activity = Activity(tp.id, tp.title, held, state.session.length_minutes, tp.mode,
                            state.attended, tp.payment, state.session.stage, number)
        priced = pricer.by_person(activity)
        pay_due = cal.date_at(cal.index(held) + pay_within)
        for person in plan.lived_in(state.attended):
            key = (person.id, tp.id, number)
            settled.add(key)
            due_pence, due_expenses = priced.get(person.id, (0, 0))
            entries = ledger.get(key, [])
            done = [e for e in entries if e.paid is not None]
            claims = [e for e in entries if e.paid is None]
            what = f"{person.name or person.id}, for session {number} of '{tp.title}'"
            if done:
                paid_on = min(e.paid for e in done if e.paid is not None)
                days_to_pay.append(cal.index(paid_on) - cal.index(held))
                claimed = sum(_pence(e) for e in claims)
                if claimed:
                    owe(person.id, claimed, pay_due, what, tp.id, number,
                        expenses=sum(round(e.expenses * 100) for e in claims))
                continue
            if claims:
                claimed = sum(_pence(e) for e in claims)
                owe(person.id, claimed or due_pence, pay_due, what, tp.id, number,
                    "claimed" if claimed else "not claimed",
                    sum(round(e.expenses * 100) for e in claims) if claimed else due_expenses)
                continue
            if due_pence == 0 and payment_of(plan, person, activity) not in FEE_PAYMENTS:
                continue
            owe(person.id, due_pence, pay_due, what, tp.id, number, "not claimed",
                due_expenses)

    titles = {t.id: t.title for t in plan.touchpoints} | {m.id: m.title for m in plan.meetings}
    for key, entries in ledger.items():
        if key in settled:
            continue
        person_id, activity_id, number = key
        claimant = plan.person(person_id)
        name = (claimant.name or person_id) if claimant is not None else person_id
        for entry in entries:
            if entry.paid is not None:
                continue
            since = entry.claimed
            due = cal.date_at(cal.index(since) + pay_within) if since is not None else today
            title = titles.get(activity_id, activity_id)
            what = f"{name}, for session {number} of '{title}'" if activity_id else name
            owe(person_id, _pence(entry), due, what, activity_id, number,
                expenses=round(entry.expenses * 100))

    for person in plan.people:
        first = first_paid.get(person.id)
        if first is None or person.benefits_advice in ("not-applicable", "declined") or \
                paid_as_staff(person):
            continue
        offered = person.benefits_advice_on
        if (person.benefits_advice in (None, "not-yet") and offered is None) or \
                (offered is not None and offered > first):
            overdue.append(Overdue("benefits-advice", first, "", person.id, 0,
                                   f"{person.name or person.id} was paid with no benefits advice "
                                   "offered "
                                   "first"))

    noted = {r.checkpoint for r in plan.reflections if r.checkpoint}
    noted_days = {r.date for r in plan.reflections}
    for number, checkpoint in enumerate(sched.checkpoints, start=1):
        if recording and checkpoint.day < today and number not in noted and \
                checkpoint.day not in noted_days:
            overdue.append(Overdue("reflection", checkpoint.day, "", "", number,
                                   f"checkpoint {number}: nothing noted"))

    overdue.sort(key=lambda o: (o.due, o.kind, o.touchpoint, o.person))
    baseline = {b.stage: b for b in plan.baseline.stages}
    stage_states = []
    for stage in plan.stages:
        timing = sched.stages[stage.id]
        base = baseline.get(stage.id)
        finish = stage.finished or timing.end
        if stage.finished is not None:
            word = "done"
        elif stage.started is not None or timing.start <= today:
            word = "late" if timing.end < today else "under way"
        else:
            word = "to come"
        stage_states.append(StageState(stage, word, timing.start, timing.end, finish,
                                       base.finish if base else None))
    return Status(today=today, finish=sched.finish, finish_by=plan.project.finish_by,
                  baseline_finish=plan.baseline.finish, sessions=states, stages=stage_states,
                  overdue=overdue, recording=recording, owed={k: v / 100 for k, v in owed.items()},
                  owing=owing, paid={k: v / 100 for k, v in paid.items()},
                  currency=plan.budget.currency,
                  days_to_pay=days_to_pay, later=later,
                  names={p.id: p.name for p in plan.people if p.name})


def plain_as_of(plan: Plan, sched: Schedule, today: date) -> tuple[Plan, list[Later]]:
    """``as_of`` as it was first written: every touchpoint's records copied."""
    later: list[Later] = []
    planned = {(s.touchpoint.id, s.number): s.planned_day or s.day for s in sched.sessions}
    stages = []
    for stage in plan.stages:
        new = stage
        if stage.started is not None and stage.started > today:
            later.append(Later(stage.started, f"stage '{stage.title}' is recorded as started",
                               "started", stage.line_of("started") or stage.line, "stage",
                               stage.id))
            new = replace(new, started=None, progress=None, finished=None)
        elif stage.finished is not None and stage.finished > today:
            later.append(Later(stage.finished, f"stage '{stage.title}' is recorded as "
                               "finished", "finished", stage.line_of("finished") or stage.line,
                               "stage", stage.id))
            new = replace(new, finished=None, progress=None)  # (noted later too)
        if new.progress is not None and new.progress_on is not None and \
                new.progress_on > today:
            later.append(Later(new.progress_on, f"stage '{stage.title}' is recorded as "
                               f"{new.progress}% done", "progress_on",
                               stage.line_of("progress_on"), "stage", stage.id))
            new = replace(new, progress=None, progress_on=None)
        touchpoints = []
        for tp in new.touchpoints:
            records = []
            for n, record in enumerate(tp.records, 1):  # (n: the record's entry)
                held = (record.on if record.on is not None else
                        planned.get((tp.id, record.session))) \
                    if record.status == "held" else None
                line = record.line or tp.line
                if held is not None and held > today:
                    later.append(Later(held, f"session {record.session} of '{tp.title}' is "
                                       "recorded as held", "on", record.line_of("on") or line,
                                       "touchpoint", tp.id, n))
                    continue
                sent = record.feedback_sent
                if sent is not None and sent > today:
                    later.append(Later(sent, f"feedback on session {record.session} of "
                                       f"'{tp.title}' is recorded as sent", "feedback_sent",
                                       record.line_of("feedback_sent") or line, "touchpoint",
                                       tp.id, n))
                    record = replace(record, feedback_sent=None)
                records.append(record)
            touchpoints.append(tp if len(records) == len(tp.records) and
                               all(a is b for a, b in zip(records, tp.records, strict=True))
                               else replace(tp, records=tuple(records)))
        if any(a is not b for a, b in zip(touchpoints, new.touchpoints, strict=True)):
            new = replace(new, touchpoints=tuple(touchpoints))
        stages.append(new)
    paid = []
    for at, entry in enumerate(plan.paid, 1):  # (at: the ledger's entry)
        # (no name: the review's reports of this are read by others)
        what = "a payment" + (f" for '{entry.for_activity}'" if entry.for_activity else "") \
            + (f" (session {entry.session})" if entry.session else "")
        if entry.claimed is not None and entry.claimed > today:
            later.append(Later(entry.claimed, f"{what} is recorded as claimed", "claimed",
                               entry.line_of("claimed") or entry.line, "paid", "", at))
            continue
        if entry.paid is not None and entry.paid > today:
            later.append(Later(entry.paid, f"{what} is recorded as paid", "paid",
                               entry.line_of("paid") or entry.line, "paid", "", at))
            if entry.claimed is None:
                continue
            entry = replace(entry, paid=None)  # claimed by then, so an open claim
        paid.append(entry)
    reflections = delivery._dated_by(plan.reflections, today, "a reflection is recorded",
                                     "reflection", later)
    impact = delivery._dated_by(plan.impact, today, "an impact log entry is recorded", "impact",
                                later)
    if not later:
        return plan, later
    later.sort(key=lambda item: (item.line, item.day))
    return replace(plan, stages=tuple(stages), paid=tuple(paid),
                   reflections=tuple(reflections), impact=tuple(impact)), later


def _same(quick: Status, plain: Status) -> None:
    for f in dataclasses.fields(Status):
        a, b = getattr(quick, f.name), getattr(plain, f.name)
        assert a == b, f.name
        if isinstance(a, dict):
            assert list(a) == list(b), f.name  # in the same order too


# -- the example with its delivery record changed at random ------------------------------

_PEOPLE = ["sam", "lee", "tendai", "amara", "dev", "morag", "kit", "nadia", "nobody"]
_DAYS = [None, date(2027, 1, 11), date(2027, 2, 3), date(2027, 3, 2), date(2027, 6, 1),
         date(2027, 9, 30), date(2030, 1, 1)]
_TODAY = [date(2027, 1, 4), date(2027, 2, 20), date(2027, 6, 1), date(2027, 9, 10),
          date(2028, 3, 1)]


@st.composite
def _running(draw: st.DrawFn) -> tuple[Plan, date]:
    plan = load_plan(MINDS)
    records = itertools.cycle(draw(st.lists(st.fixed_dictionaries({
        "status": st.sampled_from(["held", "held", "moved", "cancelled"]),
        "on": st.sampled_from(_DAYS),
        "attended": st.one_of(  # (few lists, so that sessions alike are common)
            st.sampled_from([(), ("sam",), ("sam", "dev"), ("tendai", "sam", "lee")]),
            st.lists(st.sampled_from(_PEOPLE), max_size=4).map(tuple)),
        "feedback_sent": st.sampled_from(_DAYS),
    }), min_size=1, max_size=12)))
    extra = draw(st.integers(0, 3))  # sessions recorded beyond the first
    stages = []
    for stage in plan.stages:
        tps = []
        for tp in stage.touchpoints:
            kept = list(tp.records)
            if draw(st.booleans()):
                kept = [dataclasses.replace(r, **next(records)) for r in kept]
            for number in range(len(kept) + 1, len(kept) + 1 + extra):
                if draw(st.booleans()):
                    kept.append(SessionRecord(session=number, **next(records)))
            tps.append(dataclasses.replace(
                tp, records=tuple(kept),
                length_minutes=draw(st.sampled_from([tp.length_minutes, 60, 120])),
                who=draw(st.sampled_from([tp.who, tp.who, ("sam", "dev"), ("tendai", "lee")])),
                mode=draw(st.sampled_from([tp.mode, "online", "in-person"])),
                payment=draw(st.sampled_from([tp.payment, None, "session", "expenses-only"])),
                feedback_within_days=draw(st.sampled_from([tp.feedback_within_days, None,
                                                           3]))))
        stages.append(dataclasses.replace(
            stage, touchpoints=tuple(tps),
            started=draw(st.sampled_from([stage.started, None, date(2027, 3, 1)])),
            finished=draw(st.sampled_from([stage.finished, None, date(2027, 8, 1)]))))
    touchpoints = [tp.id for s in stages for tp in s.touchpoints] + ["steering", "other"]
    paid = tuple(PaymentMade(
        who=draw(st.sampled_from(_PEOPLE)), for_activity=draw(st.sampled_from(touchpoints)),
        session=draw(st.sampled_from([None, 1, 2])), claimed=draw(st.sampled_from(_DAYS)),
        paid=draw(st.sampled_from(_DAYS)), amount=draw(st.sampled_from([0.0, 12.5, 40.0])),
        expenses=draw(st.sampled_from([0.0, 3.2])))
        for _ in range(draw(st.integers(0, 8))))
    people = tuple(dataclasses.replace(
        p, payment=draw(st.sampled_from([p.payment, None, None, "declined", "session"])),
        benefits_advice=draw(st.sampled_from([p.benefits_advice, None, "not-yet"])),
        benefits_advice_on=draw(st.sampled_from(_DAYS)))
        for p in plan.people)
    plan = dataclasses.replace(
        plan, stages=tuple(stages), people=people,
        paid=plan.paid + paid if draw(st.booleans()) else paid,
        payment=dataclasses.replace(
            plan.payment, within_days=draw(st.sampled_from([None, 0, 5, 20])),
            standard=draw(st.sampled_from([plan.payment.standard, None, "expenses-only"]))),
        review=dataclasses.replace(plan.review,
                                   feedback_within_days=draw(st.sampled_from([5, 10, 15]))))
    return plan, draw(st.sampled_from(_TODAY))


@settings(max_examples=80, deadline=None)
@given(_running())
def test_the_status_is_what_the_plain_way_says(running: tuple[Plan, date]) -> None:
    plan, today = running
    try:
        sched = schedule(plan, today=today)
    except ScheduleError:
        return
    _same(status(plan, sched, today), plain_status(plan, sched, today))


def test_the_example_on_every_kind_of_day() -> None:
    """(and the test above could prove little were nothing owed or overdue)"""
    plan = load_plan(MINDS)
    kinds: set[str] = set()
    owed = paid = False
    for today in itertools.chain(_TODAY, (date(2027, 1, 4) + timedelta(days=30 * n)
                                          for n in range(12))):
        sched = schedule(plan, today=today)
        quick = status(plan, sched, today)
        _same(quick, plain_status(plan, sched, today))
        kinds.update(o.kind for o in quick.overdue)
        owed = owed or bool(quick.owed)
        paid = paid or bool(quick.days_to_pay)
    assert kinds >= {"feedback", "payment", "record"}, kinds
    assert owed and paid


# -- the rules on the delivery record, as first written ------------------------------------

def _tp(plan: Plan, tp_id: str) -> Touchpoint | None:
    return next((t for t in plan.touchpoints if t.id == tp_id), None)


def _record_subject(tp: Touchpoint, session: int) -> Subject:
    at = next((n for n, r in enumerate(tp.records) if r.session == session), -1)
    record = tp.records[at] if at >= 0 else None
    return Subject("touchpoint", tp.id, tp.stage, record.line if record and record.line
                   else tp.line, at + 1)


def _held_days(ctx: Context) -> dict[tuple[str, int], date]:
    out: dict[tuple[str, int], date] = {}
    for session in ctx.schedule.sessions if ctx.schedule is not None else ():
        record = next((r for r in session.touchpoint.records
                       if r.session == session.number), None)
        if record is not None and record.status == "held":
            out[(session.touchpoint.id, session.number)] = record.on or session.day
    return out


def _plain_status(ctx: Context) -> Status | None:
    if ctx.today is None or ctx.schedule is None or not keeps_delivery_record(ctx.plan):
        return None
    return plain_status(ctx.plan, ctx.schedule, ctx.today)


def _feedback_on_time(ctx: Context) -> Iterator[Any]:
    found = _plain_status(ctx)
    for item in found.overdue if found else ():
        tp = _tp(ctx.plan, item.touchpoint) if item.kind == "feedback" else None
        if tp is not None:
            yield _record_subject(tp, item.session), (
                f"{item.what}: it was due on {item.due:%d %b %Y}")


def _payment_on_time(ctx: Context) -> Iterator[Any]:
    found = _plain_status(ctx)
    for item in found.overdue if found else ():
        if item.kind != "payment":
            continue
        tp = _tp(ctx.plan, item.touchpoint)
        if tp is not None:  # (one for each person owed, told apart by the person)
            yield replace(_record_subject(tp, item.session), person=item.person), (
                f"payment owed to {item.what}, due on {item.due:%d %b %Y}")


def _impact_logged(ctx: Context) -> Iterator[Any]:
    logged = {entry.touchpoint for entry in ctx.plan.impact}
    for tp in ctx.plan.touchpoints:
        held = [r for r in tp.records if r.status == "held"]
        if held and tp.id not in logged:
            yield touchpoint_subject(tp), (
                f"'{tp.title}' has {len(held)} session{'s' if len(held) != 1 else ''} held and "
                "nothing in the impact log")


def _nothing_from_later(ctx: Context) -> Iterator[Any]:
    found = _plain_status(ctx)
    later = list(found.later) if found else []
    if len(later) >= 5:  # the record told from a later day: one finding
        first = sorted(later, key=lambda item: (item.day, item.line))[0]
        last = max(item.day for item in later)
        yield Subject("project", "", "", first.line or ctx.plan.project.line), (
            f"{len(later)} entries of the record are dated after today "
            f"({ctx.today:%d %b %Y}), from {first.day:%d %b %Y} to {last:%d %b %Y}, so none "
            "of them is counted. A record told from a later day (an example, a rehearsal) "
            f"is reviewed as of that day: coplan check --today {last:%Y-%m-%d}. Otherwise "
            f"check the dates, starting with the first: {first.what} on "
            f"{first.day:%d %b %Y}")
        return
    for item in later:
        tp = _tp(ctx.plan, item.ref) if item.ref else None
        yield Subject(item.kind if item.kind in ("stage", "touchpoint") else "project",
                      item.ref or item.kind, item.ref if item.kind == "stage" else
                      (tp.stage if tp is not None else ""),
                      item.line or ctx.plan.project.line, item.entry), (
            f"{item.what} on {item.day:%d %b %Y}, after today ({ctx.today:%d %b %Y}), so it is "
            "not counted")


def _feedback_after(ctx: Context) -> Iterator[Any]:
    held = _held_days(ctx)
    for tp in ctx.plan.touchpoints:
        for record in tp.records:
            day = held.get((tp.id, record.session))
            sent = record.feedback_sent
            when = tp.when[record.session - 1] if record.session <= len(tp.when) else None
            dated = record.on is not None or (when is not None and when.anchor == "date")
            if not dated and day is not None and sent is not None and sent < day:
                yield _record_subject(tp, record.session), (
                    f"feedback on session {record.session} of '{tp.title}' is recorded as "
                    f"sent on {sent:%d %b %Y}, before the session was held "
                    f"({day:%d %b %Y})")


PLAIN = {"CP-DEL-001": _feedback_on_time, "CP-DEL-002": _payment_on_time,
         "CP-DEL-006": _impact_logged, "CP-DEL-011": _nothing_from_later,
         "CP-DEL-016": _feedback_after}
RULES = all_rules()


def _both_ways(plan: Plan, today: date) -> dict[str, list[Any]]:
    """What each rule finds, both ways (the rules in the order a review runs them, all
    with the one context of a review); what the plain ways found."""
    try:
        sched = schedule(plan, today=today)
    except ScheduleError:
        sched = None
    ctx = Context(plan=plan, schedule=sched, today=today)
    found = {}
    for rule_id, plain in PLAIN.items():
        rule = RULES.get(rule_id)
        assert rule is not None
        quick = list(rule.check(ctx))
        assert quick == list(plain(ctx)), rule_id
        found[rule_id] = quick
    return found


@settings(max_examples=60, deadline=None)
@given(_running())
def test_the_delivery_rules_find_what_their_plain_ways_find(running: tuple[Plan, date]) -> None:
    _both_ways(*running)


def test_the_plain_ways_find_something_in_the_example() -> None:
    plan = load_plan(MINDS)
    # Feedback recorded as sent before the day a session was planned for.
    stages = tuple(dataclasses.replace(s, touchpoints=tuple(dataclasses.replace(
        tp, records=tuple(dataclasses.replace(r, on=None, feedback_sent=date(2027, 1, 4))
                          for r in tp.records)) for tp in s.touchpoints)) for s in plan.stages)
    # No impact log; payments dated before their sessions and claims (and CP-DEL-012,
    # which reads the days sessions were held that CP-DEL-016 reads).
    slips = dataclasses.replace(plan, impact=(), paid=tuple(
        dataclasses.replace(e, paid=date(2027, 1, 5)) for e in plan.paid))
    found: set[str] = set()
    for each, today in ((plan, date(2027, 9, 10)), (plan, date(2027, 3, 1)),
                        (dataclasses.replace(plan, stages=stages), date(2027, 9, 10)),
                        (slips, date(2027, 9, 10))):
        found.update(rule_id for rule_id, got in _both_ways(each, today).items() if got)
    assert found == set(PLAIN), set(PLAIN) - found


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_a_review_writes_each_day_as_strftime_does(day: date) -> None:
    shared = Shared()
    assert shared.day(day) == f"{day:%d %b %Y}"
    assert shared.day(day) == f"{day:%d %b %Y}"  # (as kept)


@settings(max_examples=60, deadline=None)
@given(_running())
def test_the_costing_of_the_sessions_as_they_are_is_the_itemised_one(
        running: tuple[Plan, date]) -> None:
    """``cost_plan(..., itemised=False)`` reads the schedule's sessions without making an
    activity of each (``costs._occasions``): its count, total, hours (added in the same
    order, to the last bit), each person's share and what could not be priced are what
    the itemised costing of every activity gives."""
    plan, today = running
    try:
        sched = schedule(plan, today=today)
    except ScheduleError:
        return
    full, short = cost_plan(plan, sched), cost_plan(plan, sched, itemised=False)
    by_person: dict[str, int] = {}
    for cost in full.costs:
        by_person[cost.person] = by_person.get(cost.person, 0) + cost.pence
    assert (short.priced, short.total_pence, short.hours, short.unpriced) == \
        (len(full.costs), full.total_pence, full.hours, full.unpriced)
    assert list(short.pence_by_person.items()) == list(by_person.items())
    assert short == Pricer(plan).costing(activities(plan, sched), itemised=False)


@settings(max_examples=80, deadline=None)
@given(_running())
def test_the_record_as_of_a_day_is_what_the_plain_way_says(running: tuple[Plan, date]) -> None:
    """``as_of`` copies only the touchpoints (and stages) a record of which it leaves out
    or changes, and works out the planned days only when a record held has no day of
    its own: the plan it gives (its every stage, touchpoint and record the very ones
    given where nothing changed) and what it left out are the plain way's."""
    plan, today = running
    try:
        sched = schedule(plan, today=today)
    except ScheduleError:
        return
    (quick, later), (plain, plain_later) = as_of(plan, sched, today), \
        plain_as_of(plan, sched, today)
    assert later == plain_later
    assert quick == plain
    assert (quick is plan) == (plain is plan)
    for mine, theirs, given_stage in zip(quick.stages, plain.stages, plan.stages, strict=True):
        assert (mine is given_stage) == (theirs is given_stage)
        for a, b, c in zip(mine.touchpoints, theirs.touchpoints, given_stage.touchpoints,
                           strict=True):
            assert (a is c) == (b is c)
            assert [x is y for x, y in zip(a.records, c.records, strict=False)] == \
                [x is y for x, y in zip(b.records, c.records, strict=False)]
