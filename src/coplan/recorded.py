"""Sessions as the delivery record says them, and the plan as things stood on a day.

Every output that shows a session dates it as the record says (``as_recorded``: every
export through ``run_export``, and ``coplan schedule``), and every count of what has
happened reads the record as it stood on a day (``as_of``).  These are apart from
``delivery`` (where a running project stands, what is owed and overdue: ``coplan status``
and the review's rules on reality) so that the schedule and the exports, which only put
sessions on their days, do not import the classes of the status (3.7 million
instructions of each on the MINDS example); ``delivery`` gives every name here as its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from operator import attrgetter
from typing import Protocol, TypeVar

from coplan.model import ImpactEntry, Plan, ReflectionRecord, SessionRecord, Touchpoint
from coplan.records import dataclass
from coplan.schedule import Schedule, Session


@dataclass(frozen=True, slots=True)
class Later:
    """Something the delivery record says happened on a day after the one things are seen
    from: not counted then (``as_of``)."""

    day: date
    what: str  # in words: "session 1 of 'Drop-in' is recorded as held"
    key: str  # the key that holds the date: on, feedback_sent, paid, claimed, started, ...
    line: int  # where it is written (0: not known)
    kind: str  # what it is in: stage, touchpoint, paid, reflection, impact
    ref: str = ""  # the stage's or touchpoint's id, where it is in one
    entry: int = 0  # which entry, from 1: a touchpoint's session record, the ledger's, ...


def record_for(tp: Touchpoint, number: int) -> SessionRecord | None:
    for record in tp.records:  # (a loop: asked for each of thousands of sessions)
        if record.session == number:
            return record
    return None


def moved(planned: date, record: SessionRecord | None) -> bool:
    """Whether a session planned for ``planned`` moved, as ``record`` says: recorded as
    moved to a new day (and not recorded as held there yet), or held on another day than
    the one planned.  The one meaning of "moved" everywhere: ``coplan status`` counts it,
    the reports say how many moved, the Delivery tab says "moved from" the planned day, and
    the exports give the planned day beside the new one (``as_recorded``).

    A reason (``why``) does not make a session moved, nor does its lack keep one from it:
    the days say it.  A session cancelled did not move.  ``planned`` is the day the plan
    gives it now: a stage that started late takes its sessions with it, so a session held
    on its stage's new day did not move."""
    if record is None or record.status == "cancelled":
        return False
    if record.status == "moved":
        return True
    return record.on is not None and record.on != planned


class _Told(Protocol):
    """A session as a count reads it: what its record says (held, moved, cancelled, or
    "planned": nothing recorded) and whether it moved (``moved``)."""

    @property
    def status(self) -> str: ...

    @property
    def moved(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class SessionCounts:
    """The planned sessions counted as the delivery record says: the one count that
    ``coplan status`` (and its JSON), ``coplan budget`` (and its JSON), the progress and
    GRIPP2 reports give.  ``held``, ``cancelled`` and ``not_recorded`` (nothing recorded
    of it happening yet: a session moved to a day still to come is that too) add up to
    ``total``; ``moved`` counts the sessions on another day than planned (``moved``),
    held there or still to be, each in ``held`` or ``not_recorded`` as well."""

    total: int
    held: int
    moved: int
    cancelled: int
    not_recorded: int

    def as_dict(self) -> dict[str, int]:
        return {"total": self.total, "held": self.held, "moved": self.moved,
                "cancelled": self.cancelled, "not_recorded": self.not_recorded}


def count_sessions(sessions: Iterable[_Told]) -> SessionCounts:
    """``sessions`` (a schedule's as the record says them, ``as_recorded``, or the
    status's ``delivery.SessionState``) counted: ``SessionCounts``."""
    total = held = moved_ = cancelled = 0
    for session in sessions:
        total += 1
        held += session.status == "held"
        cancelled += session.status == "cancelled"
        moved_ += session.moved
    return SessionCounts(total, held, moved_, cancelled, total - held - cancelled)


def recorded_day(planned: date, record: SessionRecord | None) -> date:
    """The day a session planned for ``planned`` is on as ``record`` says: the day it was
    held on or moved to; a session cancelled, or with no day recorded, stays on the day
    it was planned for."""
    if record is None or record.on is None or record.status == "cancelled":
        return planned
    return record.on


def as_recorded(sched: Schedule, today: date) -> Schedule:
    """``sched`` with its sessions as the delivery record says, as things stood on
    ``today`` (``as_of``): the one way every output that shows a session (every export,
    coplan's own and plugins' alike, through ``run_export``; ``coplan schedule``) dates it.

    A session moved, or held on another day than planned, is on the record's day, with the
    day it was planned for as its ``planned_day``; one cancelled stays on the day it was
    planned for.  Each says what its record says (``status``: held, moved or cancelled;
    "planned" where nothing is recorded).  A session recorded as held on a day after
    ``today`` had not happened yet, so it is as planned.  The sessions are in order of
    their days again.  ``sched`` itself where its sessions already follow the record as
    of ``today``."""
    if sched.recorded is not None:
        if sched.recorded == today:
            return sched
        sched = replace(sched, recorded=None, sessions=sorted(
            (s if s.status == "planned" else
             replace(s, day=s.planned_day or s.day, status="planned", planned_day=None)
             for s in sched.sessions), key=_IN_ORDER))
    plan = sched.plan
    if not any(s.touchpoint.records for s in sched.sessions):
        return replace(sched, recorded=today)
    seen, later = as_of(plan, sched, today)
    sessions = []
    for session, tp in _touchpoints_of(seen, sched, bool(later)):
        record = record_for(tp, session.number) if tp.records else None
        if record is None:
            sessions.append(session)
            continue
        day = recorded_day(session.day, record)
        sessions.append(replace(session, day=day, status=record.status,
                                planned_day=session.day if moved(session.day, record)
                                else None))
    sessions.sort(key=_IN_ORDER)
    return replace(sched, sessions=sessions, recorded=today)


_IN_ORDER = attrgetter("day", "time", "id")  # (as the schedule orders its sessions)


def as_of(plan: Plan, sched: Schedule, today: date) -> tuple[Plan, list[Later]]:
    """``plan`` as things stood on ``today``: its delivery record without what is dated
    after it (a session held, feedback sent, a payment made or claimed, a stage started or
    finished, a reflection or an impact entry), and what was left out.

    A payment made after ``today`` but claimed by then is an open claim; a stage finished
    after it is under way, and one started after it is to come (its progress with it).
    Sessions moved or cancelled stay as recorded: a decision about a later day is known
    before it.  ``sched`` gives the planned day of a session recorded as held without a
    date of its own."""
    later: list[Later] = []
    planned: dict[tuple[str, int], date] | None = None  # made when first needed
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
        if new.progress_on is not None and new.progress_on > today and \
                new.progress is not None:
            later.append(Later(new.progress_on, f"stage '{stage.title}' is recorded as "
                               f"{new.progress}% done", "progress_on",
                               stage.line_of("progress_on"), "stage", stage.id))
            new = replace(new, progress=None, progress_on=None)
        # A touchpoint (and its stage) is copied only where a record of it is left out or
        # changed: most are as they were.
        touchpoints: list[Touchpoint] | None = None
        for at, tp in enumerate(new.touchpoints):
            records: list[SessionRecord] | None = None
            for n, record in enumerate(tp.records):
                held = None
                if record.status == "held":
                    held = record.on
                    if held is None:
                        if planned is None:
                            planned = {(s.touchpoint.id, s.number): s.planned_day or s.day
                                       for s in sched.sessions}
                        held = planned.get((tp.id, record.session))
                sent = record.feedback_sent
                if (held is None or held <= today) and (sent is None or sent <= today):
                    if records is not None:
                        records.append(record)
                    continue
                if records is None:
                    records = list(tp.records[:n])
                line = record.line or tp.line
                if held is not None and held > today:
                    later.append(Later(held, f"session {record.session} of '{tp.title}' is "
                                       "recorded as held", "on", record.line_of("on") or line,
                                       "touchpoint", tp.id, n + 1))
                    continue
                assert sent is not None
                later.append(Later(sent, f"feedback on session {record.session} of "
                                   f"'{tp.title}' is recorded as sent", "feedback_sent",
                                   record.line_of("feedback_sent") or line, "touchpoint",
                                   tp.id, n + 1))
                records.append(replace(record, feedback_sent=None))
            if records is not None:
                if touchpoints is None:
                    touchpoints = list(new.touchpoints[:at])
                touchpoints.append(replace(tp, records=tuple(records)))
            elif touchpoints is not None:
                touchpoints.append(tp)
        if touchpoints is not None:
            new = replace(new, touchpoints=tuple(touchpoints))
        stages.append(new)
    paid = []
    for at, entry in enumerate(plan.paid, 1):
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
    reflections = _dated_by(plan.reflections, today, "a reflection is recorded",
                            "reflection", later)
    impact = _dated_by(plan.impact, today, "an impact log entry is recorded", "impact", later)
    if not later:
        return plan, later
    later.sort(key=lambda item: (item.line, item.day))
    return replace(plan, stages=tuple(stages), paid=tuple(paid),
                   reflections=tuple(reflections), impact=tuple(impact)), later


_Dated = TypeVar("_Dated", ReflectionRecord, ImpactEntry)


def _dated_by(entries: Sequence[_Dated], today: date, what: str, kind: str,
              later: list[Later]) -> list[_Dated]:
    """The entries (reflections, the impact log) dated by ``today``; each dated after it is
    added to ``later`` instead."""
    kept = []
    for at, entry in enumerate(entries, 1):
        if entry.date is not None and entry.date > today:
            later.append(Later(entry.date, what, "date", entry.line_of("date") or entry.line,
                               kind, "", at))
            continue
        kept.append(entry)
    return kept


def _touchpoints_of(plan: Plan, sched: Schedule,
                    copied: bool) -> list[tuple[Session, Touchpoint]]:
    """Each scheduled session with its touchpoint as ``plan`` has it (where ``as_of``
    ``copied`` the plan, some without records dated later)."""
    if not copied:
        return [(s, s.touchpoint) for s in sched.sessions]
    by_id = {t.id: t for t in plan.touchpoints}
    return [(s, by_id.get(s.touchpoint.id, s.touchpoint)) for s in sched.sessions]
