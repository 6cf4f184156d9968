"""Reviews on reality: what actually happened, set against what the plan promised.

These rules read the delivery record (session records, the payments ledger, reflections,
stage actuals) as of the day the review is made (``ctx.today``); with no day, or no record,
they say nothing.  Money rules read the costs worked out from the plan (``coplan.costs``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from coplan.costs import Costing, cost_plan
from coplan.delivery import (
    Overdue,
    called_off_late,
    cancellation_due,
    counts_as_earnings,
    paid_as_staff,
    record_for,
)
from coplan.durations import calendar_days
from coplan.model import PaymentMade, Touchpoint
from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import (
    MANY_AHEAD,
    delivery_status,
    later_day_advice,
    name_list,
    named,
    person_subject,
    table_subject,
    touchpoint_subject,
)
from coplan.schedule import MeetingSeries, Schedule
from coplan.vocab import EXPENSE, LADDER
from coplan.words import count

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""

_status = delivery_status  # (the delivery rules' own short name for it)


def _overdue(ctx: Context, kind: str) -> list[Overdue]:
    """What the status on the review's day finds overdue of one kind ("feedback",
    "payment", "benefits-advice", "record"), in its order: sorted into kinds once per
    review (five rules read it, and a large plan's day has 38,000 items)."""
    found = _status(ctx)
    if found is None:
        return []
    overdue = found.overdue

    def by_kind() -> dict[str, list[Overdue]]:
        kinds: dict[str, list[Overdue]] = {}
        for item in overdue:
            same = kinds.get(item.kind)
            if same is None:
                kinds[item.kind] = [item]
            else:
                same.append(item)
        return kinds

    return ctx.shared.once("overdue by kind", by_kind).get(kind, [])


def _costing(ctx: Context) -> Costing | None:
    """What the plan costs (worked out once per review; the rules need only the total, and
    what could not be priced)."""
    if ctx.schedule is None:
        return None
    plan, sched = ctx.plan, ctx.schedule
    return ctx.shared.once("costing", lambda: cost_plan(plan, sched, itemised=False))


def _touchpoints(ctx: Context) -> dict[str, Touchpoint]:
    """Each touchpoint by its id (the first, as the file has them), an index made once per
    review: a rule asks once for each session it reports on."""
    touchpoints = ctx.plan.touchpoints
    return ctx.shared.once("touchpoints by id", lambda: {
        t.id: t for t in reversed(touchpoints)})


def _touchpoint(ctx: Context, tp_id: str) -> Touchpoint | None:
    """The touchpoint with id ``tp_id`` (the first, as the file has them)."""
    return _touchpoints(ctx).get(tp_id)


def _record_subjects(ctx: Context) -> Callable[[Touchpoint, int], Subject]:
    """``subject(tp, session)``: the record of session ``session`` of ``tp`` (its first),
    where it has one; else the touchpoint.  Where each touchpoint's first record of each
    session is, is found once in a review (in one pass over its records), when a rule first
    asks about it: the rules ask once for each session they report on, and looking
    through the records for each made a touchpoint of a thousand records cost a million
    comparisons."""
    firsts: dict[int, tuple[Touchpoint, dict[int, int]]] = ctx.shared.once(
        "first records", dict)

    def subject(tp: Touchpoint, session: int) -> Subject:
        kept = firsts.get(id(tp))
        if kept is None or kept[0] is not tp:
            first: dict[int, int] = {}
            for n, r in enumerate(tp.records):
                first.setdefault(r.session, n)
            kept = firsts[id(tp)] = (tp, first)
        at = kept[1].get(session)
        if at is None:
            return Subject("touchpoint", tp.id, tp.stage, tp.line, 0)
        record = tp.records[at]
        return Subject("touchpoint", tp.id, tp.stage, record.line or tp.line, at + 1)

    return subject


def _session_subjects(ctx: Context) -> Callable[[str, int], Subject | None]:
    """``_record_subjects``' subject of session ``number`` of the touchpoint with id ``tp_id``, None
    where there is no such touchpoint: made once in a review for each session, which
    findings about what is overdue name once for each person owed (37,000 payments on a
    large plan's day, for 12,000 sessions)."""
    made: dict[tuple[str, int], Subject | None] = ctx.shared.once("session subjects", dict)
    by_id = _touchpoints(ctx)
    of_record = _record_subjects(ctx)

    def subject(tp_id: str, number: int) -> Subject | None:
        key = (tp_id, number)
        if key in made:
            return made[key]
        tp = by_id.get(tp_id)
        found = made[key] = None if tp is None else of_record(tp, number)
        return found

    return subject


@RULES.rule("CP-DEL-001", "People hear back in the time promised", Severity.ERROR,
            why="Telling people what was done with what they said, when it was promised, is "
                "what makes involvement worth their time; silence teaches them it was not.",
            fix="Send the 'you said, we did' note, and record the day it went: "
                "{stage.touchpoint.record.feedback_sent}.",
            sources=("ukspi", "lundy"))
def feedback_on_time(ctx: Context) -> Found:
    subject, day = _session_subjects(ctx), ctx.shared.day
    for item in _overdue(ctx, "feedback"):
        where = subject(item.touchpoint, item.session)
        if where is not None:
            yield where, f"{item.what}: it was due on {day(item.due)}"


@RULES.rule("CP-DEL-002", "People are paid in the time promised", Severity.ERROR,
            why="Late payment costs people who can least afford it, and breaks the promise "
                "the payment policy made; it is one of the commonest reasons people stop "
                "taking part.",
            fix="Pay what is owed and record it in {paid} (y on the Delivery tab).",
            sources=("nihr-payment",))
def payment_on_time(ctx: Context) -> Found:
    subject, day = _session_subjects(ctx), ctx.shared.day
    # (the people owed for one session come one after another: its subject is asked once)
    last: tuple[str, int] | None = None
    where: Subject | None = None
    for item in _overdue(ctx, "payment"):
        if (item.touchpoint, item.session) != last:
            last = (item.touchpoint, item.session)
            where = subject(*last)
        if where is not None:  # (one finding for each person owed: the person tells them apart)
            yield Subject(where.kind, where.id, where.stage, where.line, where.entry,
                          item.person), f"payment owed to {item.what}, due on {day(item.due)}"


@RULES.rule("CP-DEL-003", "Benefits advice comes before the first payment", Severity.ERROR,
            why="A fee or vouchers can affect someone's benefits; they must be offered "
                "independent advice before they are paid, not after. Expenses repaid alone "
                "are not earnings, and need no advice first.",
            fix="Offer independent benefits advice and record the date "
                "({person.benefits_advice_on}); pause payments until it has been offered.",
            sources=("nihr-payment",))
def advice_first(ctx: Context) -> Found:
    for item in _overdue(ctx, "benefits-advice"):
        person = ctx.plan.person(item.person)
        if person is not None:
            yield person_subject(person, "benefits_advice_on"), (
                f"{named(person)} was paid on {item.due:%d %b %Y} with no benefits advice offered "
                "before it")


@RULES.rule("CP-DEL-004", "Sessions held have people with lived experience in them",
            Severity.ERROR,
            why="A session recorded as held with no one with lived experience there was not "
                "co-produced, whatever the plan said.",
            fix="Record who came ({stage.touchpoint.record.attended}); if no one with lived "
                "experience could, record the session as moved or cancelled "
                "({stage.touchpoint.record.status}), and why.",
            sources=("tlap-ladder", "ukspi"))
def someone_came(ctx: Context) -> Found:
    subject = _record_subjects(ctx)
    for tp in ctx.plan.touchpoints:
        for record in tp.records:
            if record.status == "held" and record.attended and \
                    not ctx.plan.lived_among(record.attended):
                yield subject(tp, record.session), (
                    f"session {record.session} of '{tp.title}' was held with no one with lived "
                    "experience there")


@RULES.rule("CP-DEL-005", "A session that fell short of its rung says why", Severity.WARNING,
            why="Involvement often goes less deep than planned; saying why, honestly, is how "
                "the team learns and how reviewers trust the rest of the record.",
            fix="Say in the session's record what happened ({stage.touchpoint.record.changed} "
                "or {stage.touchpoint.record.notes}), or note it at the next reflection.",
            sources=("tlap-ladder", "gripp2"))
def shortfall_explained(ctx: Context) -> Found:
    subject = _record_subjects(ctx)
    for tp in ctx.plan.touchpoints:
        planned = LADDER[tp.ladder].rank if tp.ladder else 0
        for record in tp.records:
            if record.status != "held" or not record.ladder:
                continue
            reached = LADDER[record.ladder].rank
            if reached < planned and not (record.notes or record.changed):
                yield subject(tp, record.session), (
                    f"session {record.session} of '{tp.title}' reached "
                    f"{LADDER.label(record.ladder).lower()}, below the "
                    f"{LADDER.label(tp.ladder or '').lower()} planned, and the record does not "
                    "say why")


@RULES.rule("CP-DEL-006", "What sessions changed goes in the impact log", Severity.WARNING,
            why="Impact is only known if it is written down as it happens: what people's "
                "input changed, or that it changed nothing, and why.",
            fix="Add an entry for the touchpoint to {impact} (i on the Delivery tab).",
            sources=("gripp2", "ukspi", "pirit", "phwe-impact-log"))
def impact_logged(ctx: Context) -> Found:
    logged = {entry.touchpoint for entry in ctx.plan.impact}
    for tp in ctx.plan.touchpoints:
        if not tp.records or tp.id in logged:
            continue
        held = [r for r in tp.records if r.status == "held"]
        if held:
            yield touchpoint_subject(tp), (
                f"'{tp.title}' has {len(held)} session{'s' if len(held) != 1 else ''} held and "
                "nothing in the impact log")


@RULES.rule("CP-DEL-007", "The budget covers what the plan costs", Severity.WARNING,
            why="A budget that does not cover the sessions, preparation time and people's "
                "needs the plan sets out means someone goes unpaid or out of pocket later.",
            fix="Raise the fees and expenses lines in {budget.lines}, or plan fewer paid "
                "hours; 'coplan budget' shows where the money goes.",
            sources=("nihr-payment",), strict=Severity.ERROR)
def budget_covers(ctx: Context) -> Found:
    costing = _costing(ctx)
    if costing is None or costing.funded is None or not costing.priced:
        return
    gap = costing.shortfall or 0
    if gap > 0.005:
        yield table_subject(ctx, "budget"), (
            f"the plan costs {costing.total:,.2f} {costing.currency} for people's time and "
            f"expenses, {gap:,.2f} more than the {costing.funded:,.2f} budgeted for them")


@RULES.rule("CP-DEL-008", "Every need that costs money is costed", Severity.WARNING,
            why="Care, childcare, an assistant or data are what let some people take part at "
                "all; a cost nobody priced is a cost nobody budgeted.",
            fix="Add what it costs to {payment.costs}.",
            sources=("nihr-payment",))
def needs_costed(ctx: Context) -> Found:
    costing = _costing(ctx)
    costs = ctx.plan.payment.costs
    if costing is None or not costs:
        return
    missing = list(dict.fromkeys(u.what for u in costing.unpriced if u.what != "fee"))
    if missing:
        words = [EXPENSE.label(m).lower() for m in missing]
        yield Subject("project", "payment", "", costs[0].line or ctx.plan.payment.line), (
            f"people's needs call for {name_list(words, quote=False)}, which "
            f"{'has' if len(words) == 1 else 'have'} no cost in [[payment.costs]]")


@RULES.rule("CP-DEL-009", "The plan finishes by the date it must", Severity.ERROR,
            why="A plan that runs past its end date (the end of its funding, say) will cut "
                "something short, and it is usually the slow, careful involvement.",
            fix="Move {project.finish_by}, shorten stages that are not co-produced, or start "
                "sooner ({project.start}); never cut the slow-down time silently.",
            sources=("ukspi",))
def finishes_in_time(ctx: Context) -> Found:
    must = ctx.plan.project.finish_by
    sched: Schedule | None = ctx.schedule
    if must is None or sched is None or sched.finish <= must:
        return
    late = (sched.finish - must).days
    if sched.finish_without_slow_down <= must:
        message = (f"the plan finishes on {sched.finish:%d %b %Y}, {calendar_days(late)} after "
                   f"it must ({must:%d %b %Y}): without its slow-down time it would finish in "
                   "time, so the time for co-production is what pushes it past")
    else:
        message = (f"the plan finishes on {sched.finish:%d %b %Y}, {calendar_days(late)} after "
                   f"it must ({must:%d %b %Y})")
    yield ctx.project(ctx.plan.project.line_of("finish_by")), message


@RULES.rule("CP-DEL-010", "What happened is recorded", Severity.INFO,
            why="The record of what actually happened is what the reports, the impact log "
                "and the payments are made from.",
            fix="Record each session that has passed ({stage.touchpoint.record}: r on the "
                "Delivery tab).",
            sources=("gripp2",))
def recorded(ctx: Context) -> Found:
    missing = _overdue(ctx, "record")
    if missing:
        yield ctx.project(), (f"{count(len(missing), 'session')} whose day has passed "
                              f"{'has' if len(missing) == 1 else 'have'} nothing recorded")


WHOLE_RECORD_AHEAD = MANY_AHEAD
"""From this many entries dated after today, CP-DEL-011 says the record is told from a
later day in one finding, rather than one finding for each entry."""


@RULES.rule("CP-DEL-011", "The record says only what has happened", Severity.ERROR,
            why="A session held, a payment made or a stage finished on a day still to come "
                "has not happened; counted as done, it hides what is overdue and says the "
                "project is further on than it is. Reports as things stood on a day leave "
                "out what is dated after it.",
            fix="Check the date (a typing slip, such as the wrong year, is the usual cause); "
                "if it is a plan, not a record, take it out until it has happened.",
            sources=("gripp2",))
def nothing_from_later(ctx: Context) -> Found:
    found = _status(ctx)
    if found is None or ctx.today is None:
        return
    day = ctx.shared.day
    today = day(ctx.today)
    if len(found.later) >= WHOLE_RECORD_AHEAD:
        # Not a typing slip: the record is told from a later day (an example, a rehearsal,
        # a machine's clock set wrong).  One finding says so and how to review it as of
        # that day, where one for each entry buried everything else the review found.
        first = min(found.later, key=lambda item: (item.day, item.line))
        last = max(item.day for item in found.later)
        yield ctx.project(first.line), (
            f"{len(found.later)} entries of the record are dated after today ({today}), "
            f"from {day(first.day)} to {day(last)}, so none of them is counted. "
            + later_day_advice("record", last, first.what, first.day, day))
        return
    for item in found.later:
        yield Subject(item.kind if item.kind in ("stage", "touchpoint") else "project",
                      item.ref or item.kind, item.ref if item.kind == "stage" else
                      _stage_of(ctx, item.ref), item.line or ctx.plan.project.line,
                      item.entry), (
            f"{item.what} on {day(item.day)}, after today ({today}), so it is not counted")


def _stage_of(ctx: Context, tp_id: str) -> str:
    tp = _touchpoint(ctx, tp_id) if tp_id else None
    return tp.stage if tp is not None else ""


def _payment_subject(ctx: Context, line: int, at: int) -> Subject:
    """Entry ``at`` (from 0) of the ledger, at ``line``."""
    return Subject("project", "paid", "", line or ctx.plan.project.line, at + 1)


def _held_days(ctx: Context) -> dict[tuple[str, int], date]:
    """The day each session recorded as held was held (its record's date, else its
    planned day): worked out once per review, for the two rules that ask."""
    sched = ctx.schedule
    return ctx.shared.once("held days", lambda: {} if sched is None else _held_on(sched))


def _held_on(sched: Schedule) -> dict[tuple[str, int], date]:
    out: dict[tuple[str, int], date] = {}
    for session in sched.sessions:
        number = session.number
        for record in session.touchpoint.records:  # (the first for the session)
            if record.session == number:
                if record.status == "held":
                    out[(session.touchpoint.id, number)] = record.on or session.day
                break
    return out


def _session_words(ctx: Context, activity: str, number: int | None) -> str:
    tp = _touchpoint(ctx, activity)
    if tp is None:
        series = _meetings(ctx).get(activity)
        if series is not None:
            return f"meeting {number or 1} of '{series.meeting.title or activity}'"
    title = tp.title if tp is not None else activity
    return f"session {number or 1} of '{title}'"


def _meetings(ctx: Context) -> dict[str, MeetingSeries]:
    """Each standing meeting's dates in the schedule, by the meeting's id (a payment's
    session of a meeting is the meeting on its date of that number: 1 is the first)."""
    sched = ctx.schedule
    if sched is None:
        return {}
    return ctx.shared.once("meetings by id", lambda: {
        s.meeting.id: s for s in reversed(sched.meetings)})


def _meeting_day(ctx: Context, activity: str, number: int) -> date | None:
    """The day of meeting ``number`` of the standing meeting ``activity`` (None: it is no
    meeting, or has no meeting of that number)."""
    if _touchpoint(ctx, activity) is not None:
        return None  # (a touchpoint's sessions are its own)
    series = _meetings(ctx).get(activity)
    if series is None or number > len(series.dates):
        return None
    return series.dates[number - 1]


@RULES.rule("CP-DEL-012", "Payments come after the session and the claim", Severity.WARNING,
            why="A payment dated before the session it pays for, or before the claim for it, "
                "is usually a slip in the ledger; where it was paid in advance on purpose, a "
                "note saying so keeps the ledger honest for whoever checks it.",
            fix="Check the dates in {paid} (claimed and paid), or say in its note that it was "
                "paid in advance.",
            sources=("nihr-payment",))
def paid_in_order(ctx: Context) -> Found:
    held = _held_days(ctx)
    for at, entry in enumerate(ctx.plan.paid):
        if entry.paid is None:
            continue
        what = _session_words(ctx, entry.for_activity, entry.session)
        day = held.get((entry.for_activity, entry.session or 1))
        meeting = None if day is not None else \
            _meeting_day(ctx, entry.for_activity, entry.session or 1)
        ahead = counts_as_earnings(entry)  # (expenses are best repaid ahead: pre-booked
        # travel, care paid for in advance, so nobody pays up front)
        if day is not None and entry.paid < day and ahead:
            yield _payment_subject(ctx, entry.line_of("paid"), at), (
                f"a payment for {what} is recorded as paid on {entry.paid:%d %b %Y}, before "
                f"the session was held ({day:%d %b %Y})")
        elif meeting is not None and entry.paid < meeting and ahead and \
                (ctx.today is None or meeting <= ctx.today):  # (else: CP-DEL-018)
            yield _payment_subject(ctx, entry.line_of("paid"), at), (
                f"a payment for {what} is recorded as paid on {entry.paid:%d %b %Y}, before "
                f"the meeting's day ({meeting:%d %b %Y})")
        elif entry.claimed is not None and entry.paid < entry.claimed:
            yield _payment_subject(ctx, entry.line_of("paid"), at), (
                f"a payment for {what} is recorded as paid on {entry.paid:%d %b %Y}, before "
                f"it was claimed ({entry.claimed:%d %b %Y})")


@RULES.rule("CP-DEL-013", "Payments are for sessions the person came to", Severity.WARNING,
            why="A payment for a session the record says someone did not come to is either "
                "a gap in the record of who came or a payment made in error; either way the "
                "figures for who took part and who was paid no longer agree.",
            fix="Add them to who came ({stage.touchpoint.record.attended}), or check the "
                "payment's 'for' and 'session' in {paid} (a payment for a cancelled session "
                "can say so in its note; one called off at short notice is paid as "
                "{payment.cancelled_notice} says).",
            sources=("nihr-payment",))
def paid_for_attending(ctx: Context) -> Found:
    # (a fee for a session called off at short notice is what the policy pays: CP-DEL-020)
    late = {(tp.id, number) for tp, number, _ in _late_cancellations(ctx)}
    for at, entry in enumerate(ctx.plan.paid):
        tp = _touchpoint(ctx, entry.for_activity)
        if tp is None or "cancel" in entry.note.lower() or \
                (entry.for_activity, entry.session or 1) in late:
            continue
        record = next((r for r in tp.records if r.session == (entry.session or 1)), None)
        if record is None:
            continue
        what = _session_words(ctx, entry.for_activity, entry.session)
        if record.status == "cancelled" and counts_as_earnings(entry):
            # (expenses already spent on a session called off are repaid: nobody is
            # left out of pocket)
            yield _payment_subject(ctx, entry.line, at), (
                f"a payment is recorded for {what}, which was cancelled")
        elif record.status == "held" and record.attended and entry.who not in record.attended:
            yield _payment_subject(ctx, entry.line, at), (
                f"a payment is recorded for {what} for someone the record does not list "
                "among who came")


@RULES.rule("CP-DEL-014", "Each session is paid for once", Severity.WARNING,
            why="Two entries for one person and one session pay them twice, or leave an open "
                "claim beside the payment that settled it, so what is owed is counted wrong "
                "and the person is told two things.",
            fix="Keep one entry in {paid} per person and session: record the payment on the "
                "claim's own entry (its 'paid' date), or join fee and expenses in one entry.",
            sources=("nihr-payment",))
def paid_once(ctx: Context) -> Found:
    seen: dict[tuple[str, str, int], int] = {}
    for at, entry in enumerate(ctx.plan.paid):
        key = (entry.who, entry.for_activity, entry.session or 1)
        if not entry.for_activity:
            continue
        if key in seen:
            yield _payment_subject(ctx, entry.line, at), (
                f"a second payment entry for one person for "
                f"{_session_words(ctx, entry.for_activity, entry.session)} (the first is on "
                f"line {seen[key]})" if seen[key] else
                f"a second payment entry for one person for "
                f"{_session_words(ctx, entry.for_activity, entry.session)}")
        else:
            seen[key] = entry.line


@RULES.rule("CP-DEL-015", "Reflections are for checkpoints the schedule has", Severity.WARNING,
            why="A reflection noted against a checkpoint the schedule does not have counts "
                "for none of them, so a checkpoint can look missed when it was not.",
            fix="Check the number in {reflection.checkpoint} against the checkpoints "
                "'coplan schedule' lists, or leave it out if it was not a checkpoint.",
            sources=("gripp2",))
def reflection_checkpoints(ctx: Context) -> Found:
    sched = ctx.schedule
    if sched is None:
        return
    have = len(sched.checkpoints)
    for at, note in enumerate(ctx.plan.reflections):
        if note.checkpoint is not None and note.checkpoint > have:
            yield Subject("project", "reflection", "",
                          note.line_of("checkpoint") or ctx.plan.project.line, at + 1), (
                f"a reflection is for checkpoint {note.checkpoint}, but the schedule has "
                f"{count(have, 'checkpoint')}")


@RULES.rule("CP-DEL-022", "Reflections are held with people with lived experience",
            Severity.WARNING, strict=Severity.ERROR,
            why="Stopping to take stock together is the point of a reflection: the team "
                "alone can note how it thinks the work is going, but not how it feels to "
                "the people it is done with, and what they would change.",
            fix="Invite people with lived experience to the next reflection and name them in "
                "{reflection.who}; if they came, add them there. If they chose not to come, "
                "say why in {reflection.noticed}, and accept this finding with the reason.",
            sources=("ukspi", "gripp2", "scie"), undated=True)
def reflections_together(ctx: Context) -> Found:
    plan = ctx.plan
    lived = plan.lived_among
    day = ctx.shared.day
    for at, note in enumerate(plan.reflections):
        if lived(note.who):
            continue
        dated = f"of {day(note.date)}" if note.date else f"number {at + 1}"
        staff = [p for p in (plan.person(i) for i in note.who) if p is not None]
        there = (f"only {name_list([named(p) for p in staff], quote=False)} took part"
                 if staff else "it does not say who took part")
        yield Subject("project", "reflection", "",
                      note.line_of("who") or note.line or plan.project.line, at + 1), (
            f"the reflection {dated} was held with nobody with lived experience: {there}")


@RULES.rule("CP-DEL-016", "Feedback goes after the session", Severity.ERROR,
            why="People cannot hear what was done with their input before they gave it: "
                "feedback dated before its session is a slip, and the session then counts "
                "as answered when it may not be.",
            fix="Check {stage.touchpoint.record.feedback_sent}, and the session's day "
                "({stage.touchpoint.record.on}).",
            sources=("ukspi",))
def feedback_after(ctx: Context) -> Found:
    # (a record with its own day is checked when the plan is read; this is for a session
    # held on its planned day, which the schedule gives)
    held: dict[tuple[str, int], date] | None = None
    day, subject = ctx.shared.day, _record_subjects(ctx)
    for tp in ctx.plan.touchpoints:
        for record in tp.records:
            sent = record.feedback_sent
            if sent is None or record.on is not None:  # (nothing sent; or its own day)
                continue
            when = tp.when[record.session - 1] if record.session <= len(tp.when) else None
            if when is not None and when.anchor == "date":
                continue
            if held is None:
                held = _held_days(ctx)
            held_on = held.get((tp.id, record.session))
            if held_on is not None and sent < held_on:
                yield subject(tp, record.session), (
                    f"feedback on session {record.session} of '{tp.title}' is recorded as "
                    f"sent on {day(sent)}, before the session was held "
                    f"({day(held_on)})")


@RULES.rule("CP-DEL-017", "Nobody paid through their job is paid a fee as well",
            Severity.WARNING,
            why="Someone whose time on the project is paid through their job (their payment "
                "is 'salaried') takes part as staff. A fee on top pays them twice for the "
                "same time, and goes against most employers' and funders' rules: involvement "
                "fees are for people who take part from outside their work. Benefits advice "
                "is not the question for them; the fee is.",
            fix="Check who the entry in {paid} is for, and repay expenses alone as expenses "
                "(a fee of 0). If the person now takes part outside their job, say how they "
                "are paid ({person.payment}) and offer them benefits advice first.",
            sources=("nihr-payment",))
def no_fee_on_a_salary(ctx: Context) -> Found:
    for at, entry in enumerate(ctx.plan.paid):
        if not counts_as_earnings(entry):
            continue  # (expenses repaid: staff have them too)
        person = ctx.plan.person(entry.who)
        if person is None or not paid_as_staff(person):
            continue
        what = f" for {_session_words(ctx, entry.for_activity, entry.session)}" \
            if entry.for_activity else ""
        yield _payment_subject(ctx, entry.line_of("amount") or entry.line, at), (
            f"{named(person)} is paid through their job, but the payments ledger pays them a "
            f"fee{what}")


def _session_line(entry: PaymentMade) -> int:
    """The line of a payment's session (else the payment's own), looked up only for a
    finding: the lines of an entry's keys are found in the file's text when first asked
    for (``tomltext``), which for a ledger of dozens of payments cost more than the rule."""
    return entry.line_of("session") or entry.line


@RULES.rule("CP-DEL-018", "Payments are for sessions that have happened", Severity.WARNING,
            why="A payment for a meeting the schedule does not have, or for a session or "
                "meeting still to come, pays for time nobody has given yet. It is usually the "
                "wrong number or the wrong activity in the ledger, and then what people were "
                "paid for no longer matches what happened.",
            fix="Check the payment's 'for' and 'session' in {paid} against the dates 'coplan "
                "schedule' lists (for a standing meeting, 1 is its first meeting); if it was "
                "paid in advance on purpose, say so in its note.",
            sources=("nihr-payment",))
def paid_for_what_happened(ctx: Context) -> Found:
    sched = ctx.schedule
    if sched is None or not ctx.plan.paid:
        return
    today = ctx.today
    days: dict[tuple[str, int], date] | None = None  # (each session's day, made once)
    for at, entry in enumerate(ctx.plan.paid):
        number = entry.session or 1
        if today is not None and any(d is not None and d > today
                                     for d in (entry.claimed, entry.paid)):
            continue  # (recorded as after today: CP-DEL-011 says so)
        if "advance" in entry.note.lower():
            continue
        tp = _touchpoint(ctx, entry.for_activity)
        series = _meetings(ctx).get(entry.for_activity) if tp is None else None
        what = _session_words(ctx, entry.for_activity, number)
        if series is not None:
            if number > len(series.dates):
                yield _payment_subject(ctx, _session_line(entry), at), (
                    f"a payment is for {what}, but the schedule has "
                    f"{count(len(series.dates), 'meeting')} of it")
                continue
            day = series.dates[number - 1]
        elif tp is not None and today is not None:
            # (a session recorded as held or cancelled: the record's rules read it)
            record = next((r for r in tp.records if r.session == number), None)
            if record is not None and record.status != "moved":
                continue
            if days is None:
                days = {(s.touchpoint.id, s.number): s.day for s in sched.sessions}
            found = record.on if record is not None and record.on is not None else \
                days.get((tp.id, number))
            if found is None:
                continue
            day = found
        else:
            continue
        if today is not None and day > today and counts_as_earnings(entry):
            # (expenses repaid ahead of a session are good practice: nobody pays up front)
            yield _payment_subject(ctx, _session_line(entry), at), (
                f"a payment is for {what}, on {day:%d %b %Y}, which has not happened yet")


@RULES.rule("CP-DEL-019", "The baseline names stages the plan has", Severity.WARNING,
            why="Slippage is measured stage by stage against the baseline: an entry naming a "
                "stage the plan no longer has (its id changed, or it was removed) measures "
                "nothing, and that stage is shown with no baseline, so its slippage record "
                "is lost without a word.",
            fix="If the stage's id changed, write the new id in {baseline.stage.stage}; if "
                "the stage was removed on purpose, the entry is its record: save a new "
                "baseline once the team has agreed the changed plan "
                "('coplan baseline save --replace'), or switch this rule off with the reason.",
            sources=("gripp2",), undated=True)
def baseline_stages(ctx: Context) -> Found:
    entries = ctx.plan.baseline.stages
    if not entries:
        return
    have = {stage.id for stage in ctx.plan.stages}
    for entry in entries:
        if entry.stage not in have:
            yield Subject("project", "baseline", "",
                          entry.line_of("stage") or entry.line or ctx.plan.project.line), (
                f"the baseline has dates for stage '{entry.stage}', which the plan no "
                "longer has, so that stage's slippage is not measured")


def _late_cancellations(ctx: Context) -> list[tuple[Touchpoint, int, dict[str, int]]]:
    """Each session recorded as cancelled at short notice (``delivery.called_off_late``),
    with what each person who was to come is due for it (``cancellation_due``): worked
    out once per review, for the two rules that ask."""
    plan, sched = ctx.plan, ctx.schedule
    if sched is None or plan.payment.cancelled_notice is None:
        return []

    def find() -> list[tuple[Touchpoint, int, dict[str, int]]]:
        from coplan.costs import Pricer

        assert sched is not None
        pricer = Pricer(plan)
        found = []
        for session in sched.sessions:
            tp = session.touchpoint
            if not tp.records:
                continue
            record = record_for(tp, session.number)
            planned = session.planned_day or session.day
            if called_off_late(plan, sched, record, planned):
                found.append((tp, session.number, cancellation_due(plan, pricer, tp, session)))
        return found

    return ctx.shared.once("late cancellations", find)


@RULES.rule("CP-DEL-020", "Sessions called off at short notice are paid for", Severity.WARNING,
            why="People who kept the time free for a session called off at short notice "
                "are paid for it under the plan's own payment policy; a fee nobody records "
                "is a fee nobody pays, and the people it is owed to are the ones least "
                "able to chase it.",
            fix="Record what each person who was to come is paid for it in {paid} (the "
                "policy's share or amount: {payment.cancelled_paid}, "
                "{payment.cancelled_fee}), or correct the day it was called off "
                "({stage.touchpoint.record.cancelled_on}).",
            sources=("nihr-payment",), personal=True)
def cancellations_paid(ctx: Context) -> Found:
    late = _late_cancellations(ctx)
    if not late:
        return
    fees = {(e.who, e.for_activity, e.session or 1) for e in ctx.plan.paid if e.amount > 0}
    subject = _record_subjects(ctx)
    for tp, number, due in late:
        unpaid = [pid for pid, pence in due.items() if pence and (pid, tp.id, number)
                  not in fees]
        record = record_for(tp, number)
        if unpaid and record is not None and record.cancelled_on is not None:
            notice = count(ctx.plan.payment.cancelled_notice or 0, "working day")
            yield subject(tp, number), (
                f"session {number} of '{tp.title or tp.id}' was called off on "
                f"{record.cancelled_on:%d %b %Y}, with less notice than the {notice} "
                "below which the payment policy pays for it, and the payments ledger has "
                "no fee for it for "
                f"{count(len(unpaid), 'person')} who {'was' if len(unpaid) == 1 else 'were'} "
                "to come")


STALE_PROGRESS_DAYS = 20
"""How many working days (four weeks) a stage's ``progress`` may be old before CP-DEL-021
asks for a fresh figure."""


@RULES.rule("CP-DEL-021", "How far along a stage is, is up to date", Severity.WARNING,
            why="The schedule counts a started stage's work left from its 'how far along' "
                "figure, from the day it was measured. A figure with no day is taken as "
                "today's, so one nobody updates moves the finish later every day (a new "
                "user's finish slipped four weeks past its end date, and the review blamed "
                "the time for co-production); an old dated one says little about today.",
            fix="Write how far along the stage is now in {stage.progress}, with the day you "
                "measured it in {stage.progress_on} (or record {stage.finished}).",
            sources=("gripp2",))
def progress_current(ctx: Context) -> Found:
    today, sched = ctx.today, ctx.schedule
    if today is None or sched is None:
        return
    cal = sched.calendar
    for stage in ctx.plan.stages:
        if stage.progress is None or stage.finished is not None or stage.started is None \
                or stage.started > today:
            continue
        where = Subject("stage", stage.id, stage.id, stage.line_of(
            "progress_on" if stage.progress_on is not None else "progress"))
        if stage.progress_on is None:
            yield where, (
                f"stage '{stage.title}' is {stage.progress}% done, with no day saying when "
                "that was measured: the finish is worked out as if it were today's figure, "
                "so it moves later each day it is not updated")
            continue
        old = cal.index(today) - cal.index(min(stage.progress_on, today))
        if old > STALE_PROGRESS_DAYS:
            yield where, (
                f"stage '{stage.title}' was {stage.progress}% done on "
                f"{stage.progress_on:%d %b %Y}, {count(old, 'working day')} ago: the finish "
                "is worked out from that figure")
