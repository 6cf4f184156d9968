"""Rules that look at the cheap things first find what they found before.

On a plan of 10,000 stages every rule's walk of 19,000 touchpoints counts, so some rules
ask first what costs least (is the feedback written? is the limit kept?) and only then who
takes part; share the day of each touchpoint's first session between the two rules that
need it (``_subjects.first_sessions``, worked out once per schedule); work out each
decision's due day once per stage; and leave out people whose lives set no times.  Each
is written here as it was first written (the plain way), and both ways give the same
findings on the example with its touchpoints, people and settings changed at random.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.agreed import written
from coplan.planfile import load_plan
from coplan.plugins import all_rules
from coplan.review.engine import Context
from coplan.review.rules import _subjects, access, coverage, feedback, inclusion
from coplan.review.rules._subjects import involved_lived, named, touchpoint_subject, tp_name
from coplan.schedule import ScheduleError, schedule
from coplan.words import count

ROOT = Path(__file__).resolve().parents[2]
MINDS = ROOT / "examples" / "minds-discharge.toml"
RULES = all_rules()
DAY = date(2027, 6, 1)


# -- the plain ways ---------------------------------------------------------------------

def _feedback_planned(ctx: Context) -> Iterator[Any]:
    for tp in ctx.plan.touchpoints:
        if ctx.plan.lived_in(tp.who) and not tp.feedback:
            yield touchpoint_subject(tp), f"{tp_name(ctx.plan, tp)} has no plan for telling " \
                "people what happened to their input"


def _feedback_soon(ctx: Context) -> Iterator[Any]:
    limit = ctx.plan.review.feedback_within_days
    for tp in ctx.plan.touchpoints:
        if not tp.feedback or not ctx.plan.lived_in(tp.who):
            continue
        if tp.feedback_within_days is None:
            yield touchpoint_subject(tp, "feedback"), f"{tp_name(ctx.plan, tp)} does not " \
                "say by when people hear back"
        elif tp.feedback_within_days > limit:
            yield touchpoint_subject(tp, "feedback_within"), (
                f"people hear back from {tp_name(ctx.plan, tp)} after "
                f"{count(tp.feedback_within_days, 'working day')}; the plan's limit is {limit}")


def _audience(ctx: Context) -> Iterator[Any]:
    default = written(ctx.plan.governance.heard_by)
    for tp in ctx.plan.touchpoints:
        if ctx.plan.lived_in(tp.who) and not (written(tp.heard_by) or default):
            yield touchpoint_subject(tp), f"{tp_name(ctx.plan, tp)} does not say who, with " \
                "the power to act, hears people's views"


def _role_recorded(ctx: Context) -> Iterator[Any]:
    for tp in ctx.plan.touchpoints:
        if ctx.plan.lived_in(tp.who) and not tp.role:
            yield touchpoint_subject(tp), f"{tp_name(ctx.plan, tp)} does not say what role " \
                "people hold"


def _touchpoint_payment(ctx: Context) -> Iterator[Any]:
    standard = ctx.plan.payment.standard
    for tp in ctx.plan.touchpoints:
        if ctx.plan.lived_in(tp.who) and not (tp.payment or standard):
            yield touchpoint_subject(tp), f"{tp_name(ctx.plan, tp)} does not say what people " \
                "are paid"


def _first(ctx: Context) -> dict[str, date]:
    first: dict[str, date] = {}
    for session in ctx.schedule.sessions if ctx.schedule is not None else ():
        tid = session.touchpoint.id
        first[tid] = min(first.get(tid, session.day), session.day)
    return first


def _no_tokenism(ctx: Context) -> Iterator[Any]:
    if ctx.schedule is None:
        return
    first = _first(ctx)
    for stage in ctx.plan.stages:
        decisions = {d.id: d for d in stage.decisions}
        for tp in stage.touchpoints:
            for did in tp.influences:
                decision = decisions.get(did)
                if decision is None or tp.id not in first:
                    continue
                due = coverage.decision_date(ctx, stage, decision)
                if due is not None and first[tp.id] >= due:
                    yield touchpoint_subject(tp, "when"), (
                        f"{tp_name(ctx.plan, tp)} happens on {first[tp.id]:%d %b %Y}, not "
                        f"before the decision '{decision.what or did}' is due "
                        f"({due:%d %b %Y}): people would be asked once it is too late")


def _influences_named(ctx: Context) -> Iterator[Any]:
    first = _first(ctx)
    for stage in ctx.plan.stages:
        if not stage.decisions:
            continue
        dues = [d for d in (coverage.decision_date(ctx, stage, dec)
                            for dec in stage.decisions) if d is not None]
        for tp in stage.touchpoints:
            if tp.influences or not ctx.plan.lived_in(tp.who):
                continue
            day = first.get(tp.id)
            if day is not None and dues and day >= max(dues):
                yield touchpoint_subject(tp, "when"), (
                    f"{tp_name(ctx.plan, tp)} names no decision it feeds and happens on "
                    f"{day:%d %b %Y}, when every decision of the stage is already due: they "
                    "would be taken before anyone is heard")
            else:
                yield touchpoint_subject(tp), (
                    f"{tp_name(ctx.plan, tp)} does not say which of the stage's decisions it "
                    "feeds into ('influences')")


def _times_suit(ctx: Context) -> Iterator[Any]:
    for person in involved_lived(ctx.plan):
        if "time-of-day" in person.needs and not {"mornings-hard", "evenings-hard"} & set(
                person.circumstances):
            yield person_subject(person), "needs"
    if ctx.schedule is None:
        return
    told: set[tuple[str, str]] = set()
    for session in ctx.schedule.sessions:
        tp = session.touchpoint
        if tp.mode in access._OWN_TIME:
            continue
        for pid in tp.who:
            attendee = ctx.plan.person(pid)
            if attendee is None or (tp.id, pid) in told:
                continue
            why = access._clash(attendee, session.day, session.time, session.length_minutes,
                                tp.access)
            if why:
                told.add((tp.id, pid))
                yield touchpoint_subject(tp, "time" if tp.time else "when"), (
                    f"{tp_name(ctx.plan, tp)} does not suit {named(attendee)} on "
                    f"{session.day:%d %b %Y}: {why}")
    for series in ctx.schedule.meetings:
        meeting = series.meeting
        if meeting.mode in access._OWN_TIME or not series.dates:
            continue
        for pid in meeting.who:
            member = ctx.plan.person(pid)
            if member is None:
                continue
            why = access._clash(member, series.dates[0], meeting.time,
                                meeting.length_minutes, ())
            if why:
                yield meeting.id, (f"the meeting '{meeting.title}' does not suit "
                                   f"{named(member)}: {why}")


def person_subject(person: Any) -> Any:
    return _subjects.person_subject(person, "needs")


def _place_problems(ctx: Context, where: str, who: tuple[str, ...],
                    access_list: tuple[str, ...]) -> Iterator[str]:
    if not where:
        return
    people = [p for p in (ctx.plan.person(i) for i in who) if p is not None]
    step_free = [p.id for p in people if access._STEP_FREE_NEEDS & set(p.needs)]
    no_lift = access._NO_LIFT.search(where) or (access._UPSTAIRS.search(where)
                                                and not access._LIFT.search(where))
    if no_lift and (step_free or "step-free-access" in access_list):
        whose = (f"{_subjects.name_list(step_free)} need{'s' if len(step_free) == 1 else ''} "
                 "step-free access" if step_free else "its access list promises step-free "
                 "access")
        yield f"is at '{where}', which is not step-free, but {whose}"
    travel = [p.id for p in people if access._TRAVEL_NEEDS & set(p.needs)]
    if travel and access._HARD_TO_REACH.search(where) and "taxi" not in access_list:
        yield (f"is at '{where}', which is hard to reach, and {_subjects.name_list(travel)} "
               f"need{'s' if len(travel) == 1 else ''} travel arranged; no taxi is booked")


def _places_suit(ctx: Context) -> Iterator[Any]:
    for tp in ctx.plan.touchpoints:
        if tp.mode in ("in-person", "hybrid"):
            for problem in _place_problems(ctx, tp.where, tp.who, tp.access):
                yield touchpoint_subject(tp, "where"), f"{tp_name(ctx.plan, tp)} {problem}"
    for meeting in ctx.plan.meetings:
        if meeting.mode in ("in-person", "hybrid"):
            for problem in _place_problems(ctx, meeting.where, meeting.who, ()):
                yield meeting.id, f"the meeting '{meeting.title}' {problem}"


def _starts_early(ctx: Context) -> Iterator[Any]:
    sched = ctx.schedule
    if sched is None or not ctx.plan.stages:
        return
    sessions = [s for s in sched.sessions if ctx.plan.lived_in(s.touchpoint.who)]
    if not sessions:
        return
    first = min(sessions, key=lambda s: s.day)
    early = [t for t in sched.stages.values()
             if t.stage.phase in ("identify", "funding", "design", "needs", "curriculum")
             and not t.stage.milestone]
    candidates = early or [t for t in sched.stages.values() if not t.stage.milestone]
    if not candidates:
        return
    limit = min(candidates, key=lambda t: t.end)
    if first.day > limit.end:
        yield ctx.project(), (
            f"the first session with people with lived experience is on {first.day:%d %b %Y}, "
            f"after '{limit.stage.title}' has ended ({limit.end:%d %b %Y})")


def _policy_first(ctx: Context) -> Iterator[Any]:
    from coplan.review.rules._subjects import table_subject

    pay = ctx.plan.payment
    if not pay.policy:
        yield table_subject(ctx, "payment"), "there is no payment and recognition policy"
        return
    first = None
    if ctx.schedule is not None:
        days = [s.day for s in ctx.schedule.sessions if ctx.plan.lived_in(s.touchpoint.who)]
        days += [series.dates[0] for series in ctx.schedule.meetings
                 if series.dates and ctx.plan.lived_in(series.meeting.who)]
        first = min(days, default=None)
    if pay.agreed is None:
        yield table_subject(ctx, "payment", "policy"), "the payment policy has no date it " \
            "was agreed"
    elif first is not None and pay.agreed > first:
        yield table_subject(ctx, "payment", "agreed"), (
            f"the payment policy was agreed on {pay.agreed:%d %b %Y}, after involvement "
            f"starts ({first:%d %b %Y})")


def _needs_met(ctx: Context) -> Iterator[Any]:
    from coplan.vocab import ACCESS

    for tp in ctx.plan.touchpoints:
        for pid in tp.who:
            person = ctx.plan.person(pid)
            if person is None:
                continue
            for need in person.needs:
                if need not in tp.access:
                    yield touchpoint_subject(tp, "access"), (
                        f"{tp_name(ctx.plan, tp)} does not provide "
                        f"'{ACCESS.label(need) if need in ACCESS else need}', which "
                        f"{named(person)} needs")


def _papers_ahead(ctx: Context) -> Iterator[Any]:
    floor = ctx.plan.review.papers_ahead_days
    for tp in ctx.plan.touchpoints:
        needed = floor
        for pid in tp.who:
            person = ctx.plan.person(pid)
            if person and person.papers_ahead_days:
                needed = max(needed, person.papers_ahead_days)
        if tp.papers_ahead_days is None:
            if tp.format in access._MEETINGS:
                yield touchpoint_subject(tp), f"{tp_name(ctx.plan, tp)} does not say when " \
                    "papers go out"
        elif tp.papers_ahead_days < needed:
            yield touchpoint_subject(tp, "papers_ahead"), (
                f"papers for {tp_name(ctx.plan, tp)} go out {tp.papers_ahead_days} working "
                f"days ahead; {needed} are needed")


def _feedback_real(ctx: Context) -> Iterator[Any]:
    for tp in ctx.plan.touchpoints:
        if not tp.feedback or not ctx.plan.lived_in(tp.who):
            continue
        if not written(tp.feedback):
            yield touchpoint_subject(tp, "feedback"), (
                f"{tp_name(ctx.plan, tp)} says only that feedback is still to agree")
            continue
        found = feedback.at_the_end(tp.feedback)
        if not found:
            continue
        stage = ctx.plan.stage(tp.stage)
        if not (stage is not None and stage.phase in ("share", "evaluate")):
            yield touchpoint_subject(tp, "feedback"), (
                f"people hear back from {tp_name(ctx.plan, tp)} only through "
                f"'{found.group(0)}', long after the touchpoint")


def _participants_apart(ctx: Context) -> Iterator[Any]:
    for person in involved_lived(ctx.plan):
        said = inclusion._PARTICIPANT_ROLE.search(person.role)
        if said:
            yield _subjects.person_subject(person, "role"), (
                f"{named(person)}'s role reads as a research participant's ('{said.group(0)}'), "
                "not a contributor's")
    for tp in ctx.plan.touchpoints:
        if tp.format == "peer-research" or not ctx.plan.lived_in(tp.who):
            continue
        found = inclusion.studied(f"{tp.title} {tp.purpose}")
        if found:
            yield touchpoint_subject(tp, "purpose"), (
                f"{tp_name(ctx.plan, tp)} studies the people in it ('{found.group(0)}'): "
                "they are research participants there, not contributors")


def _shares_power(ctx: Context) -> Iterator[Any]:
    tps = [t for t in ctx.plan.touchpoints if ctx.plan.lived_in(t.who)]
    if tps and not any(t.role in ("partner", "decision-maker") for t in tps):
        yield ctx.project(), "nobody with lived experience is a partner or decision-maker " \
            "at any stage"


PLAIN = {"CP-ACC-002": _needs_met, "CP-ACC-003": _papers_ahead,
         "CP-STG-006": _starts_early, "CP-PAY-001": _policy_first,
         "CP-COM-001": _feedback_planned, "CP-COM-002": _feedback_soon,
         "CP-LUN-003": _audience, "CP-ROL-001": _role_recorded,
         "CP-PAY-002": _touchpoint_payment, "CP-STG-003": _no_tokenism,
         "CP-STG-008": _influences_named, "CP-ACC-005": _times_suit,
         "CP-ACC-006": _places_suit, "CP-COM-005": _feedback_real,
         "CP-INC-009": _participants_apart, "CP-ROL-005": _shares_power}


def _quick(ctx: Context, rule_id: str) -> list[Any]:
    found = []
    for subject, message in RULES.get(rule_id).check(ctx):  # type: ignore[union-attr]
        if rule_id == "CP-ACC-005" and subject.kind == "person":
            message = "needs"
        found.append((subject.id if subject.kind == "meeting" else subject, message))
    return found


def _plain(ctx: Context, rule_id: str) -> list[Any]:
    return list(PLAIN[rule_id](ctx))


# -- plans changed at random -------------------------------------------------------------

_WHO = st.lists(st.sampled_from(["sam", "lee", "tendai", "amara", "kit", "priya", "dev",
                                 "nobody"]), max_size=4).map(tuple)
_TEXT = st.sampled_from(["", "TBC", "A 'you said, we did' note", "to agree",
                         "Ward 3, first floor", "upstairs, no lift", "ground floor, ramp",
                         "no buses after six", "the board", "in the final report",
                         "We interview them about their care", "Shape the questions"])


@st.composite
def _plans(draw: st.DrawFn) -> Any:
    plan = load_plan(MINDS)
    values = {name: itertools.cycle(draw(st.lists(strategy, min_size=1, max_size=5)))
              for name, strategy in {
                  "who": _WHO, "feedback": _TEXT, "heard_by": _TEXT, "where": _TEXT,
                  "role": st.sampled_from(["", "co-researcher", "advisor", "participant",
                                           "partner"]),
                  "purpose": _TEXT,
                  "format": st.sampled_from(["workshop", "peer-research", "survey"]),
                  "payment": st.sampled_from(["", "fee", "voucher", "none"]),
                  "feedback_within_days": st.sampled_from([None, 5, 10, 15, 20]),
                  "mode": st.sampled_from(["in-person", "hybrid", "online", "paper"]),
                  "access": st.lists(st.sampled_from(
                      ["step-free-access", "taxi", "childcare", "quiet-room"]),
                      max_size=2).map(tuple),
                  "influences": st.lists(st.sampled_from(
                      ["outcomes", "design", "nothing"]), max_size=2).map(tuple),
                  "papers_ahead_days": st.sampled_from([None, 2, 5, 10]),
              }.items()}
    stages = []
    for stage in plan.stages:
        decisions = tuple(dataclasses.replace(d, id=draw(st.sampled_from(
            ["outcomes", "design", d.id]))) for d in stage.decisions)
        tps = tuple(dataclasses.replace(tp, **{k: next(v) for k, v in values.items()})
                    for tp in stage.touchpoints)
        stages.append(dataclasses.replace(stage, touchpoints=tps, decisions=decisions))
    people = tuple(dataclasses.replace(
        p, papers_ahead_days=draw(st.sampled_from([None, 0, 3, 8])),
        needs=tuple(draw(st.lists(st.sampled_from(
            ["step-free-access", "travel-booked", "taxi", "time-of-day"]), max_size=2))),
        circumstances=tuple(draw(st.lists(st.sampled_from(
            ["mornings-hard", "evenings-hard", "caring", "works-weekdays"]), max_size=2))))
        for p in plan.people)
    plan = dataclasses.replace(
        plan, stages=tuple(stages), people=people,
        governance=dataclasses.replace(plan.governance, heard_by=draw(_TEXT)),
        payment=dataclasses.replace(plan.payment, standard=draw(st.sampled_from(["", "fee"]))),
        review=dataclasses.replace(plan.review,
                                   feedback_within_days=draw(st.sampled_from([5, 10, 15]))))
    return plan


@settings(max_examples=200, deadline=None)
@given(_plans())
def test_the_rules_find_what_their_plain_ways_find(plan: Any) -> None:
    try:
        sched = schedule(plan, today=DAY)
    except ScheduleError:
        sched = None
    ctx = Context(plan=plan, schedule=sched, today=DAY)
    for rule_id in PLAIN:
        assert _quick(ctx, rule_id) == _plain(ctx, rule_id), rule_id


def test_the_plain_ways_find_something_here() -> None:
    """(or the test above could prove little): each rule finds something in some plan."""
    found: set[str] = set()

    @settings(max_examples=100, deadline=None, database=None, derandomize=True)
    @given(_plans())
    def look(plan: Any) -> None:
        try:
            sched = schedule(plan, today=DAY)
        except ScheduleError:
            return
        ctx = Context(plan=plan, schedule=sched, today=DAY)
        found.update(rule_id for rule_id in PLAIN if _plain(ctx, rule_id))

    look()
    # (the two that look at the first day anyone takes part: the test below)
    # (and CP-ROL-005, which finds something only where no touchpoint anyone with lived
    # experience takes part in has them as partners: rare among plans drawn at random)
    assert found >= set(PLAIN) - {"CP-STG-003", "CP-STG-006", "CP-PAY-001", "CP-ROL-005"}, \
        set(PLAIN) - found


def test_involvement_that_starts_late_is_found_both_ways() -> None:
    """CP-STG-006 (the first day people with lived experience take part, worked out once
    per review and shared with CP-PAY-001) finds what its plain way finds where only the
    last stage involves anyone."""
    plan = load_plan(MINDS)
    stages = tuple(s if i == len(plan.stages) - 1 else dataclasses.replace(
        s, touchpoints=tuple(dataclasses.replace(tp, who=()) for tp in s.touchpoints))
        for i, s in enumerate(plan.stages))
    late = dataclasses.replace(plan, stages=stages)
    found = set()
    for each in (plan, late):
        for agreed in (plan.payment.agreed, None, date(2027, 1, 6), date(2031, 1, 6)):
            each = dataclasses.replace(each, payment=dataclasses.replace(each.payment,
                                                                         agreed=agreed))
            ctx = Context(plan=each, schedule=schedule(each, today=DAY), today=DAY)
            for rule_id in ("CP-STG-006", "CP-PAY-001"):
                assert _quick(ctx, rule_id) == _plain(ctx, rule_id)
                found.update(m for _, m in _plain(ctx, rule_id))
    assert len(found) == 4, found  # late involvement; no date, and two dates too late


def test_the_first_sessions_are_worked_out_for_each_schedule() -> None:
    plan = load_plan(MINDS)
    first, second = schedule(plan, today=DAY), schedule(plan, today=date(2027, 9, 1))
    for sched in (first, second, first):
        ctx = Context(plan=plan, schedule=sched)
        assert _subjects.first_sessions(sched) == _first(ctx)
    assert _subjects.first_sessions(first) is _subjects.first_sessions(first)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["sam", "lee", "tendai", "amara", "kit", "priya",
                                          "dev", "nobody", ""]), max_size=6), max_size=8))
def test_who_has_lived_experience_is_what_reading_each_id_says(lists: list[list[str]]) -> None:
    """``Plan.lived_in`` keeps its answer for each list of ids it is asked about; each
    answer is the caller's own (changing it changes no later answer)."""
    plan = load_plan(MINDS)
    lived = {p.id: p for p in plan.people if p.lived}
    for ids in [tuple(x) for x in lists] * 2:
        got = plan.lived_in(ids)
        assert got == [lived[i] for i in ids if i in lived]
        got.append(plan.people[0])
        got.reverse()
    assert plan.lived_in(["sam", "lee"]) == [lived[i] for i in ("sam", "lee") if i in lived]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from("+-"), st.integers(0, 60), st.sampled_from(["d", "w", "D", "W"]),
       st.integers(1, 7))
def test_a_decisions_day_is_read_as_parse_offset_reads_it(sign: str, amount: int, unit: str,
                                                          week: int) -> None:
    """``coverage._offset`` (kept for each way a decision's day is written) is what
    ``parse_offset`` reads, asked twice."""
    from coplan.durations import parse_offset

    by = f"{sign}{amount}{unit}"
    read, length = parse_offset(by)
    for _ in range(2):
        assert coverage._offset(by, week) == (read, length.days(week))


def test_shared_decisions_are_looked_for_among_those_involved_both_ways() -> None:
    """CP-ROL-005 (the touchpoints with lived experience, shared by the review) finds what
    its plain way finds where nobody is a partner, and where someone is."""
    plan = load_plan(MINDS)
    advisors = dataclasses.replace(plan, stages=tuple(dataclasses.replace(
        s, touchpoints=tuple(dataclasses.replace(tp, role="advisor") for tp in s.touchpoints))
        for s in plan.stages))
    found = []
    for each in (plan, advisors):
        ctx = Context(plan=each, schedule=None, today=DAY)
        assert _quick(ctx, "CP-ROL-005") == _plain(ctx, "CP-ROL-005")
        found.append(bool(_plain(ctx, "CP-ROL-005")))
    assert found == [False, True]
