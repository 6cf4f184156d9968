"""Helpers the rules share: subjects that point at the right line, and common questions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from coplan.model import Person, Plan, Stage, Touchpoint
from coplan.review.engine import Context, Subject

if TYPE_CHECKING:
    from coplan.delivery import Status
    from coplan.schedule import Schedule


def stage_subject(stage: Stage) -> Subject:
    return Subject("stage", stage.id, stage.id, stage.line)


def touchpoint_subject(tp: Touchpoint, key: str = "") -> Subject:
    return Subject("touchpoint", tp.id, tp.stage, tp.line_of(key) if key else tp.line)


def person_subject(person: Person, key: str = "") -> Subject:
    return Subject("person", person.id, "", person.line_of(key) if key else person.line)


def table_subject(ctx: Context, table: str, key: str = "") -> Subject:
    item = getattr(ctx.plan, table)
    line = item.line_of(key) if key else item.line
    return Subject("project", table, "", line or ctx.plan.project.line)


def named(person: Person) -> str:
    """A person as findings name them: by the name the team wrote for them (every copy for
    others hides it as it hides every name), else by their id.  Findings once named some
    people by their id ("morgan-lee has had no written terms", "Morgan-lee" at the start
    of a sentence in the protocol) and others by name."""
    return person.name or person.id


def tp_name(plan: Plan, tp: Touchpoint) -> str:
    """A touchpoint as people wrote it, quoted: titles keep their own case and wording."""
    stage = plan.stage(tp.stage)
    title = stage.title if stage else tp.stage
    return f"the touchpoint '{tp.title or tp.id}' in '{title}'"


def involved_lived(plan: Plan) -> list[Person]:
    """People with lived experience who take part in at least one touchpoint or meeting
    (worked out once per plan: ten rules ask, and a large plan has 50,000 touchpoints;
    the plan is kept with it, as its list of touchpoints is kept on it)."""
    last = _INVOLVED[0]
    if last is not None and last[0] is plan:
        return list(last[1])
    ids = {i for t in plan.touchpoints for i in t.who} | {i for m in plan.meetings for i in m.who}
    found = tuple(p for p in plan.people if p.lived and p.id in ids)
    _INVOLVED[0] = (plan, found)
    return list(found)


_INVOLVED: list[tuple[Plan, tuple[Person, ...]] | None] = [None]


def involving(ctx: Context) -> tuple[Touchpoint, ...]:
    """The touchpoints people with lived experience take part in (``plan.lived_in`` of
    who takes part), in the plan's order: worked out once per review for the rules that
    look at these alone (a large plan has 19,000 touchpoints)."""
    plan = ctx.plan
    lived = plan.lived_among
    return ctx.shared.once("involving", lambda: tuple(
        [t for t in plan.touchpoints if lived(t.who)]))


def first_lived_session(ctx: Context) -> date | None:
    """The first day people with lived experience take part: a touchpoint session or a
    standing meeting they attend."""
    if ctx.schedule is None:
        return None
    first = first_lived_day(ctx)
    days = [] if first is None else [first]
    days += [series.dates[0] for series in ctx.schedule.meetings
             if series.dates and ctx.plan.lived_among(series.meeting.who)]
    return min(days, default=None)


def first_lived_day(ctx: Context) -> date | None:
    """The day of the first touchpoint session people with lived experience take part
    in (worked out once per review: two rules ask, and a large plan has 60,000
    sessions)."""
    sched, plan = ctx.schedule, ctx.plan
    if sched is None:
        return None
    def first() -> date | None:
        lived = plan.lived_among
        found = None
        for s in sched.sessions:
            if lived(s.touchpoint.who):
                day = s.day
                if found is None or day < found:
                    found = day
        return found

    return ctx.shared.once("first lived day", first)


def first_sessions(schedule: Schedule) -> dict[str, date]:
    """The day of each touchpoint's first session, by the touchpoint's id (worked out once
    per schedule: two rules ask, and a large plan has 60,000 sessions; the schedule is kept
    with it)."""
    last = _FIRST[0]
    if last is not None and last[0] is schedule:
        return last[1]
    first: dict[str, date] = {}
    for session in schedule.sessions:
        tid = session.touchpoint.id
        first[tid] = min(first.get(tid, session.day), session.day)
    _FIRST[0] = (schedule, first)
    return first


_FIRST: list[tuple[Schedule, dict[str, date]] | None] = [None]


def name_list(items: list[str], limit: int = 4, *, quote: bool = True,
              last: str = "and") -> str:
    shown = [f"'{i}'" if quote else i for i in items[:limit]]
    if len(items) > limit:
        shown.append(f"{len(items) - limit} more")
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + f" {last} " + shown[-1]


MANY_AHEAD = 5
"""From this many things dated after today, CP-DEL-011 (the record) and CP-META-006 (the
plan's agreements) each say so in one finding (``later_day_advice``), rather than one
finding for each."""


def delivery_status(ctx: Context) -> Status | None:
    """The project's status on the review's day (worked out once per review: the delivery
    rules read it, and it weighs every session of the plan); None without a day, a
    schedule or a delivery record."""
    from coplan.delivery import keeps_delivery_record, status

    if ctx.today is None or ctx.schedule is None or not keeps_delivery_record(ctx.plan):
        return None
    plan, sched, today = ctx.plan, ctx.schedule, ctx.today
    return ctx.shared.once("delivery status",
                           lambda: status(plan, sched, today, itemised=False))


def later_day_advice(what: str, last: date, first: str, first_day: date,
                     day: Callable[[date], str]) -> str:
    """What a finding says where many things are dated after today (a plan or a record
    told from a later day: an example, a rehearsal): the ``--today`` that reviews it as of
    ``last``, else the date to check first.  CP-DEL-011 (the record) and CP-META-006 (the
    plan's agreements) say it alike, and name the same day where both fire."""
    return (f"A {what} told from a later day (an example, a rehearsal) is reviewed as of "
            f"that day: coplan check --today {last.isoformat()}. Otherwise check the dates, "
            f"starting with the first: {first} on {day(first_day)}")
