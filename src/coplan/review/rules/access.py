"""Accessibility: needs asked, needs met, papers in good time, online with a way round."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, time

from coplan.model import Person, Stage
from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import (
    involved_lived,
    name_list,
    named,
    person_subject,
    touchpoint_subject,
    tp_name,
)
from coplan.vocab import ACCESS, MODE

Found = Iterator[tuple[Subject, str]]

# Formats where people meet and papers go out beforehand.
_MEETINGS = {"workshop", "focus-group", "advisory-group", "steering-group",
             "co-design-session", "co-analysis-session", "co-writing-session",
             "priority-setting", "panel", "citizens-jury", "interview-panel",
             "ethics-committee", "teaching-session", "training"}

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


@RULES.rule("CP-ACC-001", "Everyone is asked about access needs", Severity.ERROR,
            why="Accessibility is a precondition of co-production: people can only take part "
                "fully if they have been asked what they need. \"None\" is a fine answer.",
            fix="Ask, then record the day you asked ({person.needs_asked}) and what they need "
                "({person.needs}).",
            sources=("scie", "shaping-our-lives"))
def needs_asked(ctx: Context) -> Found:
    for person in involved_lived(ctx.plan):
        if not person.needs_asked and not person.needs:
            yield person_subject(person), f"{named(person)} has not been asked about access needs"


@RULES.stage_rule("CP-ACC-002", "Every access need is met where the person takes part",
                  Severity.ERROR,
            personal=True,
            why="A need that is known but not met keeps someone out as surely as not asking.",
            fix="Tick the matching measure in {stage.touchpoint.access}.",
            sources=("scie", "ukspi"))
def needs_met(ctx: Context, stage: Stage) -> Found:
    # Those with needs among each list of who takes part, worked out once per review (a
    # few dozen lists, written alike, for 19,000 touchpoints).
    needing: dict[tuple[str, ...], list[tuple[str, tuple[str, ...]]]] = ctx.shared.once(
        "who needs what", dict)
    # And the needs each list leaves unmet, for each way of meeting them (touchpoints are
    # written alike too): (who needs it, the need), in the order they are said.
    unmet: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[str, str]]] = \
        ctx.shared.once("needs unmet", dict)
    for tp in stage.touchpoints:
        access = tp.access
        alike = (tp.who, access) if access.__class__ is tuple else None
        missing = unmet.get(alike) if alike is not None else None
        if missing is None:
            who = needing.get(tp.who)
            if who is None:
                who = needing[tp.who] = [(named(person), person.needs) for pid in tp.who
                                         if (person := ctx.plan.person(pid)) is not None
                                         and person.needs]
            missing = [(name, need) for name, needs in who for need in needs
                       if need not in access]
            if alike is not None:
                unmet[alike] = missing
        for name, need in missing:
            yield touchpoint_subject(tp, "access"), (
                f"{tp_name(ctx.plan, tp)} does not provide "
                f"'{ACCESS.label(need) if need in ACCESS else need}', which {name} needs")


@RULES.stage_rule("CP-ACC-003", "Papers go out in good time", Severity.WARNING,
            why="People need time to read, think and ask before a meeting; a week is a common "
                "minimum, and some people need longer.",
            fix="Set {stage.touchpoint.papers_ahead} (such as 1w), no shorter than anyone "
                "attending needs.",
            sources=("ukspi",))
def papers_ahead(ctx: Context, stage: Stage) -> Found:
    floor = ctx.plan.review.papers_ahead_days
    # The days ahead each list of who takes part needs, worked out once per review.
    ahead: dict[tuple[str, ...], int] = ctx.shared.once("papers ahead for", dict)
    for tp in stage.touchpoints:
        needed = ahead.get(tp.who)
        if needed is None:
            needed = floor
            for pid in tp.who:
                person = ctx.plan.person(pid)
                if person and person.papers_ahead_days:
                    needed = max(needed, person.papers_ahead_days)
            ahead[tp.who] = needed
        if tp.papers_ahead_days is None:
            if tp.format in _MEETINGS:
                yield touchpoint_subject(tp), f"{tp_name(ctx.plan, tp)} does not say when " \
                    "papers go out"
        elif tp.papers_ahead_days < needed:
            yield touchpoint_subject(tp, "papers_ahead"), (
                f"papers for {tp_name(ctx.plan, tp)} go out {tp.papers_ahead_days} working "
                f"days ahead; {needed} are needed")


@RULES.stage_rule("CP-ACC-004", "Online sessions have support or an offline alternative",
            Severity.WARNING,
            why="Online-only involvement excludes people without devices, data or confidence "
                "online. Where a touchpoint does not say how people take part, nobody can "
                "tell whether it is online, and so whether anyone is shut out.",
            fix="Tick digital support or a non-digital alternative in "
                "{stage.touchpoint.access}; where how people take part is not yet agreed, "
                "agree it with them and record it ({stage.touchpoint.mode}).",
            suggest="digital-support",
            sources=("ukspi",))
def online_alternative(ctx: Context, stage: Stage) -> Found:
    for tp in stage.touchpoints:
        if tp.mode is None:
            # (the schema once took it to be in person, and so passed it: CP-INC-005 said
            # "every touchpoint is an other, in person" of a plan of newsletters)
            if ctx.plan.lived_among(tp.who):
                yield touchpoint_subject(tp), (
                    f"{tp_name(ctx.plan, tp)} does not say how people take part (in person, "
                    "online, by phone, on paper), so nobody can tell whether anyone is shut "
                    "out of it")
            continue
        term = MODE.get(tp.mode)
        if term and term.extra.get("online") and not (
                "digital-support" in tp.access or "non-digital-alternative" in tp.access):
            yield touchpoint_subject(tp, "mode"), (
                f"{tp_name(ctx.plan, tp)} is online with no help getting online and no other "
                "way to take part")


@RULES.rule("CP-ACC-007", "Meetings say how people take part", Severity.WARNING,
            why="Whether a meeting is in person, online, by phone or on paper decides what its "
                "members must prepare: travel and a venue they can reach, a device, data and "
                "help getting online, or papers in time. A standing meeting that does not say "
                "leaves them unable to prepare or to ask for what they need, and nobody can "
                "tell whether anyone is shut out (CP-ACC-004 says the same of touchpoints).",
            fix="Agree with the meeting's members how they take part, and record it in "
                "{meeting.mode}.",
            sources=("ukspi", "shaping-our-lives"), undated=True)
def meetings_say_how(ctx: Context) -> Found:
    for meeting in ctx.plan.meetings:
        if meeting.mode is None and ctx.plan.lived_among(meeting.who):
            yield Subject("meeting", meeting.id, "", meeting.line), (
                f"the meeting '{meeting.title}' does not say how its members take part (in "
                "person, online, by phone, on paper), so they cannot tell whether to plan "
                "travel, get online or ask for papers, and nobody can tell whether anyone is "
                "shut out of it")


_OWN_TIME = frozenset({"online-async", "paper"})  # people choose when
_DAYTIME = (time(9, 0), time(17, 0))


_WORK = re.compile(r"\b(?:full[- ]time (?:job|work)|works? (?:full|part)[- ]time|in (?:paid )?"
                   r"(?:full[- ]time )?work\b|day job|shift work)", re.IGNORECASE)
_CARING = re.compile(r"\b(?:cares? for|carer for|looks? after (?:her|his|their|a|an|my) |"
                     r"young children|school run)", re.IGNORECASE)
_STUDY = re.compile(r"\b(?:at school|in (?:year|form) \d+|sixth form|college student|"
                    r"university student)\b", re.IGNORECASE)


# Words each of the three patterns above matches only where one of them is in the text,
# in any case: every way each pattern can match holds one ("full time work" holds "time",
# "in paid work" "work"; "cares for" "care", "looks after" "look"; "in year 9" "year",
# "sixth form" "form").  tests/review/test_circumstances_quick.py holds them to the patterns.
_WORK_WORDS = ("time", "work", "day job")
_CARING_WORDS = ("care", "look", "young children", "school run")
_STUDY_WORDS = ("school", "year", "form", "student")


def _may_say(low: str | None, words: tuple[str, ...]) -> bool:
    """Whether a text may match the pattern of ``words`` (above): False only where the
    text is in ASCII (``low``: its lower case; None for a text beyond ASCII, where ``re``
    matches capitals more widely than lower-casing does) and holds none of them."""
    return low is None or any(word in low for word in words)


def circumstances(person: Person) -> set[str]:
    """What decides when ``person`` can take part: what the plan records, and what their
    own words say (a role "works full time", a carer).

    Each pattern ignores case and is tried at every character: about a microsecond a
    character, three patterns over a few hundred characters for each person on a small
    plan, where most people's words hold none of the words the patterns need
    (``_may_say``), which plain searches of the lower case rule out first."""
    found = set(person.circumstances)
    said = f"{person.role} {person.time_commitment}"
    low = said.lower() if said.isascii() else None
    if _may_say(low, _WORK_WORDS) and _WORK.search(said):
        found.add("works-weekdays")
    if _may_say(low, _CARING_WORDS) and _CARING.search(said):
        found.add("caring")
    if _may_say(low, _STUDY_WORDS) and _STUDY.search(said):
        found.add("studies-weekdays")
    return found


def _clash(person: Person, day: date, start: time, minutes: int, access: tuple[str, ...],
           known: list[str] | None = None) -> str:
    """Why a session at ``start`` on ``day`` does not suit ``person``, or "" (``known``:
    their ``circumstances``, sorted, when worked out already)."""
    kinds = sorted(circumstances(person)) if known is None else known
    if not kinds:
        return ""
    begin = start.hour * 60 + start.minute
    end = begin + minutes
    weekday = day.weekday() < 5
    daytime = begin < _DAYTIME[1].hour * 60 and end > _DAYTIME[0].hour * 60
    for c in kinds:
        if c == "mornings-hard" and begin < 12 * 60:
            return f"it starts at {start:%H:%M}, and mornings are hard for {named(person)}"
        if c == "evenings-hard" and end > 17 * 60:
            return f"it runs past 17:00, and evenings are hard for {named(person)}"
        if c in ("works-weekdays", "studies-weekdays") and weekday and daytime \
                and person.payment != "salaried":
            what = "in work" if c == "works-weekdays" else "studying"
            return (f"it is on a weekday at {start:%H:%M}, when {named(person)} is {what}")
        if c == "caring" and weekday and daytime and not {"replacement-care", "childcare"} \
                & set(access):
            return (f"it is on a weekday at {start:%H:%M}, {named(person)} looks after someone, "
                    "and no replacement care or childcare is arranged")
    return ""


@RULES.rule("CP-ACC-005", "Times suit the people who come", Severity.ERROR, personal=True,
            why="A session at a time someone cannot make shuts them out as surely as stairs: "
                "mornings for someone whose medication makes them hard, weekday daytimes for "
                "people in work, at school or caring without cover.",
            fix="Move the session ({stage.touchpoint.time}, or a day that suits), offer it at "
                "a second time, or arrange what makes the time possible (replacement care, "
                "time off agreed with an employer); record {person.circumstances} as "
                "they tell you.",
            sources=("ukspi", "shaping-our-lives", "scie"))
def times_suit(ctx: Context) -> Found:
    for person in involved_lived(ctx.plan):
        if "time-of-day" in person.needs and not {"mornings-hard", "evenings-hard"} & set(
                person.circumstances):
            yield person_subject(person, "needs"), (
                f"{named(person)} needs a particular time of day, but the plan does not say which "
                "('circumstances', such as \"mornings-hard\"), so sessions cannot be "
                "checked against it")
    if ctx.schedule is None:
        return
    told: set[tuple[str, str]] = set()
    kinds: dict[str, list[str]] = {}  # each person's circumstances, read once
    # For each list of who takes part (a few dozen lists, written alike), those in it
    # whose lives may decide when they can come, with their circumstances.
    timed: dict[tuple[str, ...], list[tuple[str, Person, list[str]]]] = {}
    for session in ctx.schedule.sessions:
        tp = session.touchpoint
        if tp.mode in _OWN_TIME:
            continue
        who = timed.get(tp.who)
        if who is None:
            who = timed[tp.who] = []
            for pid in tp.who:
                attendee = ctx.plan.person(pid)
                if attendee is None:
                    continue
                known = kinds.get(pid)
                if known is None:
                    known = kinds[pid] = sorted(circumstances(attendee))
                if known:  # (else nothing in their life decides when they can come)
                    who.append((pid, attendee, known))
        for pid, attendee, known in who:
            if (tp.id, pid) in told:
                continue
            why = _clash(attendee, session.day, session.time, session.length_minutes, tp.access,
                         known)
            if why:
                told.add((tp.id, pid))
                yield touchpoint_subject(tp, "time" if tp.time else "when"), (
                    f"{tp_name(ctx.plan, tp)} does not suit {named(attendee)} on "
                    f"{session.day:%d %b %Y}: {why}")
    for series in ctx.schedule.meetings:
        meeting = series.meeting
        if meeting.mode in _OWN_TIME or not series.dates:
            continue
        for pid in meeting.who:
            member = ctx.plan.person(pid)
            if member is None:
                continue
            why = _clash(member, series.dates[0], meeting.time, meeting.length_minutes, ())
            if why:
                yield Subject("meeting", meeting.id, "", meeting.line_of("time")), (
                    f"the meeting '{meeting.title}' does not suit {named(member)}: {why}")


_NO_LIFT = re.compile(r"\bno lift\b|\bwithout (?:a )?lift\b|\bstairs? only\b|\bonly by stairs\b"
                      r"|\bnot step[- ]free\b|\bno (?:step[- ]free|wheelchair) access\b"
                      r"|\bsteps? (?:up|down) to\b|\blift (?:is )?(?:out of order|broken)\b",
                      re.IGNORECASE)
_UPSTAIRS = re.compile(r"\b(?:[1-9](?:st|nd|rd|th)|first|second|third|fourth|fifth|top|upper)"
                       r"[- ]floor\b|\bupstairs\b|\bbasement\b", re.IGNORECASE)
_LIFT = re.compile(r"\b(?:lift|elevator|step[- ]free|ramp)\b", re.IGNORECASE)
_HARD_TO_REACH = re.compile(r"\bno (?:public transport|buses|bus service|parking)\b"
                            r"|\bnot on a bus route\b", re.IGNORECASE)
_STEP_FREE_NEEDS = frozenset({"step-free-access"})
_TRAVEL_NEEDS = frozenset({"travel-booked", "taxi"})


@RULES.rule("CP-ACC-006", "The place suits the people who come", Severity.ERROR,
            personal=True,
            why="A venue described as up stairs with no lift, or out of reach without a car, "
                "contradicts a step-free or travel need on the same plan: ticking the need in "
                "the access list does not make the building accessible.",
            fix="Choose a venue that meets the needs and say so in {stage.touchpoint.where} "
                '(such as "ground floor, step-free"), or arrange the travel and say how.',
            sources=("scie", "ukspi", "shaping-our-lives"), undated=True)
def places_suit(ctx: Context) -> Found:
    needing: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}
    # What is wrong with each place for each list of who takes part with what is
    # arranged, worked out once: a team meets in the same few places with the same people.
    problems: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for tp in ctx.plan.touchpoints:
        if tp.mode in ("in-person", "hybrid"):
            key = (tp.where, tp.who, tp.access)
            found = problems.get(key)
            if found is None:
                found = problems[key] = list(_place_problems(ctx, tp.where, tp.who, tp.access,
                                                              needing))
            for problem in found:
                yield touchpoint_subject(tp, "where"), f"{tp_name(ctx.plan, tp)} {problem}"
    for meeting in ctx.plan.meetings:
        if meeting.mode in ("in-person", "hybrid"):
            for problem in _place_problems(ctx, meeting.where, meeting.who, ()):
                yield Subject("meeting", meeting.id, "", meeting.line_of("where")), \
                    f"the meeting '{meeting.title}' {problem}"


def _place_problems(ctx: Context, where: str, who: tuple[str, ...],
                    access: tuple[str, ...],
                    needing: dict[tuple[str, ...], tuple[list[str], list[str]]] | None = None
                    ) -> Iterator[str]:
    """What makes ``where`` unsuitable for ``who``; ``needing``: who needs it step-free
    and who needs travel arranged, for each list of who takes part, kept by the caller
    (a few dozen lists, written alike, for 19,000 touchpoints)."""
    if not where:
        return
    found = None if needing is None else needing.get(who)
    if found is None:
        people = [p for p in (ctx.plan.person(i) for i in who) if p is not None]
        found = ([p.id for p in people if not _STEP_FREE_NEEDS.isdisjoint(p.needs)],
                 [p.id for p in people if not _TRAVEL_NEEDS.isdisjoint(p.needs)])
        if needing is not None:
            needing[who] = found
    step_free, travel = found
    # (what the place is like is read only where someone needs it step-free)
    if (step_free or "step-free-access" in access) and (
            _NO_LIFT.search(where) or (_UPSTAIRS.search(where) and not _LIFT.search(where))):
        whose = (f"{name_list(step_free)} need{'s' if len(step_free) == 1 else ''} step-free "
                 "access" if step_free else "its access list promises step-free access")
        yield f"is at '{where}', which is not step-free, but {whose}"
    if travel and _HARD_TO_REACH.search(where) and "taxi" not in access:
        yield (f"is at '{where}', which is hard to reach, and {name_list(travel)} "
               f"need{'s' if len(travel) == 1 else ''} travel arranged; no taxi is booked")
