"""Meeting calendars (iCalendar) that Outlook, Google, Apple Calendar and Thunderbird import
correctly, and re-import without duplicates.

The rules calendar programs depend on, and how this module keeps them:

* every event has a **stable UID** made from the plan and the item (never random, never a
  counter), so re-importing an updated file replaces events instead of duplicating them;
* **SEQUENCE** rises whenever an item's time, place or recurrence changes between exports;
  what is needed to know that is kept in a small state file beside the plan
  (``.<plan>.ics-state.json``: UID -> sequence and a fingerprint of the timing); a session
  the delivery record shows moved or cancelled is never below the changes it shows (1 for
  each), state file or not;
* timed events carry the plan's IANA ``TZID`` with a VTIMEZONE in yearly-rule form (or,
  for a zone whose clocks change differently from year to year, each change listed);
  all-day items (reflection checkpoints, milestones, buffers) are dates with an exclusive
  DTEND and are transparent (they do not block anyone's time);
* standing meetings are one event with an RRULE and EXDATEs for holidays and closures;
* the file is published (``METHOD:PUBLISH``) with an organiser and no attendee lines: who
  takes part is said in the description, by name only for people who agreed to share it.

Nothing personal leaves the plan: no email address, access need or health detail is ever
written, and names only where ``share_name = true``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from coplan import __version__, privacy
from coplan.durations import plain_minutes
from coplan.escape import one_line
from coplan.export.scheduledata import session_title
from coplan.fileio import read_small_text
from coplan.model import Meeting, Person, Plan, Stage, Touchpoint
from coplan.records import dataclass
from coplan.schedule import Schedule, Session
from coplan.vocab import (
    ACCESS,
    AFTERCARE,
    FORMAT,
    LADDER,
    PAYMENT,
    ROLE,
    SUPPORT,
    mode_label,
    own_words,
)
from coplan.words import count

PRODID = "-//coplan//coplan co-production planner//EN"
KINDS = ("sessions", "checkpoints", "meetings", "milestones", "buffers")
DEFAULT_KINDS = ("sessions", "checkpoints", "meetings", "milestones")
AUDIENCES = ("team", "lived-experience", "leads")
ORGANIZER = "mailto:no-reply@coplan.invalid"


class CalendarError(ValueError):
    """An export option that cannot be honoured (an unknown audience or kind: ``usage``),
    or a plan whose calendar cannot be written."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(slots=True)
class ExportOptions:
    """What a calendar holds, and for whom."""

    audience: str = "team"
    include: tuple[str, ...] = DEFAULT_KINDS
    start: date | None = None
    end: date | None = None
    stamp: datetime = field(default_factory=lambda: datetime.now(UTC))
    plan_key: str = "plan"


@dataclass(slots=True)
class SequenceState:
    """What earlier exports wrote, so a moved item gets a higher SEQUENCE."""

    entries: dict[str, dict[str, object]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> SequenceState:
        try:
            text = read_small_text(path)
        except (OSError, ValueError):
            return cls()
        return cls.loads(text)

    @classmethod
    def loads(cls, text: str | None) -> SequenceState:
        """The state from the text an earlier export saved (None or anything unreadable:
        a fresh state, so sequences restart at 0)."""
        if text is None:
            return cls()
        try:
            data = json.loads(text)
        except ValueError:
            return cls()
        entries = data.get("events", {}) if isinstance(data, dict) else {}
        return cls({k: v for k, v in entries.items() if isinstance(v, dict)})

    def sequence(self, uid: str, fingerprint: str, at_least: int = 0) -> int:
        """The SEQUENCE of the item ``uid`` whose timing is ``fingerprint``: as earlier
        exports wrote it, one higher where the timing changed since, and never below
        ``at_least`` (the changes the plan itself shows: ``record_changes``), so a
        calendar that has the item from any earlier export, or from one made without
        this state, applies the change."""
        entry = self.entries.get(uid)
        if entry is None:
            self.entries[uid] = {"sequence": at_least, "fingerprint": fingerprint}
            return at_least
        raw = entry.get("sequence", 0)
        try:
            seq = int(raw) if isinstance(raw, int | str) else 0
        except ValueError:
            seq = 0
        if entry.get("fingerprint") != fingerprint:
            seq += 1
        seq = max(seq, at_least)
        if entry.get("fingerprint") != fingerprint or entry.get("sequence") != seq:
            self.entries[uid] = {"sequence": seq, "fingerprint": fingerprint}
        return seq

    def dumps(self) -> str:
        return json.dumps({"about": "coplan calendar state: keeps SEQUENCE rising when an "
                                    "event moves; safe to delete (sequences restart at 0)",
                           "events": dict(sorted(self.entries.items()))},
                          indent=1, sort_keys=False) + "\n"


def state_path(plan_path: Path) -> Path:
    return plan_path.with_name(f".{plan_path.stem}.ics-state.json")


def plan_key(plan: Plan) -> str:
    """The stable part of every UID: the plan file's name, made safe."""
    stem = plan.path.stem if plan.path else plan.project.title
    return re.sub(r"[^a-z0-9-]+", "-", stem.lower()).strip("-") or "plan"


def event_uid(key: str, kind: str, item: str) -> str:
    """The UID of one item: the same for the same plan and item in every export, and
    different for every other.  Ids and file names are the team's own words and often hold
    a name ("interview-sam"), so they are hashed rather than written."""
    digest = hashlib.sha256(f"{key}\x1f{kind}\x1f{item}".encode()).hexdigest()[:32]
    return f"{kind}-{digest}@coplan"


# -- privacy ----------------------------------------------------------------------------

def shown_name(person: Person, setting: str) -> str:
    return privacy.shown_name(person, setting)


def who_line(plan: Plan, ids: Sequence[str]) -> str:
    names = [shown_name(p, plan.project.setting) for i in ids if (p := plan.person(i)) is not None]
    if not names:
        return ""
    return ", ".join(names)


# -- audiences --------------------------------------------------------------------------

def _leads(plan: Plan) -> set[str]:
    g = plan.governance
    return {i for i in (g.lead, *g.co_leads, plan.support.contact) if i}


def attends(plan: Plan, audience: str, who: Sequence[str]) -> bool:
    if audience in ("team", "leads"):
        return True
    if audience == "lived-experience":
        return bool(plan.lived_in(tuple(who)))
    return audience in who


def check_audience(plan: Plan, audience: str) -> None:
    if audience in AUDIENCES or plan.person(audience) is not None:
        return
    from coplan.errors import suggest

    options = [*AUDIENCES, *(p.id for p in plan.people)]
    hint = suggest(audience, options) or "use team, lived-experience, leads or a person's id"
    raise CalendarError(f"'{audience}' is not an audience: {hint}", usage=True)


def is_lead_view(plan: Plan, audience: str) -> bool:
    return audience == "leads" or audience in _leads(plan)


# -- descriptions -----------------------------------------------------------------------

def _labels(words: Iterable[str], vocabulary: object) -> list[str]:
    out = []
    for w in words:
        term = vocabulary.get(w)  # type: ignore[attr-defined]
        out.append(term.label if term else own_words(w) or w)
    return out


def _shared_access(plan: Plan, access: Iterable[str]) -> list[str]:
    """The access measures a session can show everyone: the known measures, and the team's
    own words except where they repeat a person's own need (which can say a diagnosis)."""
    personal = {n.strip().lower() for p in plan.people for n in p.needs if n not in ACCESS}
    shown: list[str] = []
    kept_private = False
    for item in access:
        if item not in ACCESS and item.strip().lower() in personal:
            kept_private = True
            continue
        shown.extend(_labels((item,), ACCESS))
    if kept_private:
        shown.append("other arrangements agreed with the people taking part")
    return shown


def session_description(plan: Plan, session: Session) -> str:
    return privacy.redact(_session_description(plan, session), plan)


def _session_description(plan: Plan, session: Session) -> str:
    tp: Touchpoint = session.touchpoint
    stage: Stage = session.stage
    lines = [f"Part of: {stage.title}"]
    if tp.purpose:
        lines.append(f"What this session is for: {tp.purpose}")
    decisions = [d.what or d.id for d in stage.decisions if d.id in tp.influences]
    if decisions:
        lines.append("What can change because of it: " + "; ".join(decisions))
    elif stage.can_change:
        lines.append(f"What can change because of it: {stage.can_change}")
    if stage.fixed:
        lines.append(f"What cannot change, and why: {stage.fixed}")
    how = f"{FORMAT.label(tp.format)}, {mode_label(tp.mode).lower()}"
    lines.append(f"How: {how}, {plain_minutes(tp.length_minutes)}")
    if tp.ladder or tp.role:
        depth = []
        if tp.ladder:
            depth.append(f"{LADDER.label(tp.ladder).lower()} on the ladder of co-production")
        if tp.role:
            depth.append(f"people take part as {ROLE.label(tp.role).lower()}s")
        lines.append("How deep: " + "; ".join(depth))
    who = who_line(plan, tp.who)
    if who:
        lines.append(f"Who takes part: {who}")
    access = _shared_access(plan, tp.access)
    if access:
        lines.append("Access arrangements: " + "; ".join(access))
    if tp.papers_ahead_days:
        lines.append(f"Papers: sent {count(tp.papers_ahead_days, 'working day')} before")
    support = _labels(tp.support, SUPPORT)
    if support:
        lines.append("Support: " + "; ".join(support))
    after = _labels(tp.aftercare, AFTERCARE)
    if after:
        lines.append("Afterwards: " + "; ".join(after))
    if tp.feedback:
        when = (f" (within {count(tp.feedback_within_days, 'working day')})"
                if tp.feedback_within_days else "")
        lines.append(f"How you will hear back: {tp.feedback}{when}")
    payment = tp.payment or plan.payment.standard
    if payment:
        text = PAYMENT.label(payment)
        if plan.payment.rate and payment in ("hourly", "session", "honorarium"):
            text += f" ({plan.payment.rate})"
        lines.append(f"Payment: {text}; expenses are covered")
    if plan.support.withdraw:
        lines.append("You can pause or stop at any time; nothing you have earned is lost.")
    return "\n".join(lines)


def meeting_description(plan: Plan, meeting: Meeting) -> str:
    return privacy.redact(_meeting_description(plan, meeting), plan)


def _meeting_description(plan: Plan, meeting: Meeting) -> str:
    lines = []
    if meeting.purpose:
        lines.append(f"What this meeting is for: {meeting.purpose}")
    lines.append(f"How: {FORMAT.label(meeting.format)}, {mode_label(meeting.mode).lower()}, "
                 f"{plain_minutes(meeting.length_minutes)}, every "
                 f"{meeting.every_weeks if meeting.every_weeks > 1 else ''} "
                 f"week{'s' if meeting.every_weeks > 1 else ''}".replace("every  ", "every "))
    who = who_line(plan, meeting.who)
    if who:
        lines.append(f"Who takes part: {who}")
    if meeting.where:
        lines.append(f"Where: {meeting.where}")
    if plan.payment.standard:
        lines.append(f"Payment: {PAYMENT.label(plan.payment.standard)}; expenses are covered")
    return "\n".join(lines)


# -- building the calendar --------------------------------------------------------------

def session_day(session: Session) -> tuple[date, bool, str]:
    """The day a session is (or was) on, whether it is cancelled, and a line saying so,
    as the schedule has it (``run_export`` gives every exporter the sessions as the
    delivery record says: ``delivery.as_recorded``).  A session moved, or held on another
    day than planned, says where it moved from.  (The reason is never given: it is often
    someone's health or absence.)"""
    if session.status == "cancelled":
        return session.day, True, "This session is cancelled."
    planned = session.planned_day
    if planned is not None:
        return session.day, False, f"Moved from {planned:%A} {planned.day} {planned:%B %Y}."
    return session.day, False, ""


def record_changes(session: Session) -> int:
    """How many material changes (RFC 5545 asks SEQUENCE to rise with each) the delivery
    record shows a session has had since it was planned: moved to another day, and
    cancelled.  A calendar that imported the session as planned, from an export made
    before or without the state file, still sees a higher SEQUENCE and applies the
    change (a cancelled session written with SEQUENCE:0 may be ignored)."""
    return (session.planned_day is not None) + (session.status == "cancelled")


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _in_range(day: date, options: ExportOptions) -> bool:
    return (options.start is None or day >= options.start) and \
        (options.end is None or day <= options.end)


def _base_event(uid: str, summary: str, stamp: datetime, sequence: int) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("summary", summary)
    return event


def _timed(event: Event, day: date, start: time, minutes: int, zone: ZoneInfo) -> None:
    begin = datetime.combine(day, start, tzinfo=zone)
    event.add("dtstart", begin)
    event.add("dtend", begin + timedelta(minutes=minutes))


def _all_day(event: Event, first: date, last: date) -> None:
    event.add("dtstart", first)
    event.add("dtend", last + timedelta(days=1))
    event.add("transp", "TRANSPARENT")


def _reminder(event: Event, before: timedelta, text: str) -> None:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", -before)
    event.add_component(alarm)


def build_calendar(sched: Schedule, options: ExportOptions,
                   state: SequenceState | None = None) -> Calendar:
    """The calendar for one audience.  ``state`` (updated in place) gives SEQUENCE."""
    plan = sched.plan
    check_audience(plan, options.audience)
    for kind in options.include:
        if kind not in KINDS:
            raise CalendarError(f"'{kind}' is not something a calendar can include; use "
                                f"{', '.join(KINDS)}", usage=True)
    state = state if state is not None else SequenceState()
    zone = ZoneInfo(plan.project.timezone)
    key = options.plan_key
    stamp = options.stamp.astimezone(UTC).replace(microsecond=0)
    lead_view = is_lead_view(plan, options.audience)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    audience_name = {"team": "the whole team", "lived-experience": "people with lived "
                     "experience", "leads": "leads"}.get(options.audience)
    if audience_name is None:
        person = plan.person(options.audience)
        audience_name = shown_name(person, plan.project.setting) if person else options.audience
    audience_name = privacy.redact(audience_name, plan)
    # One-line properties and parameters: a line break in a title must never end them.
    cal.add("x-wr-calname", one_line(privacy.redact(
        f"{plan.project.title}: co-production calendar", plan)))
    cal.add("x-wr-caldesc", one_line(privacy.redact(
        f"Sessions, reflection checkpoints and meetings of {plan.project.title}, for "
        f"{audience_name}. Made by coplan {__version__}.", plan)))
    cal.add("x-wr-timezone", plan.project.timezone)

    events: list[Event] = []
    timed_days: list[date] = []
    organizer = vCalAddress(ORGANIZER)
    organizer.params["cn"] = vText(one_line(privacy.redact(
        f"{plan.project.title} (involvement lead)", plan)))

    def finish(event: Event) -> Event:
        event["organizer"] = organizer
        events.append(event)
        return event

    if "sessions" in options.include:
        for session in sched.sessions:
            tp = session.touchpoint
            # What the delivery record says became of it: a session moved (or held on
            # another day) is on its new day; one cancelled keeps its UID and says so
            # (STATUS:CANCELLED, SEQUENCE raised), so calendars that have it remove it.
            day, cancelled, note = session_day(session)
            if not attends(plan, options.audience, tp.who) or not _in_range(day, options):
                continue
            uid = event_uid(key, "session", session.id)
            where = tp.where or mode_label(tp.mode)
            seq = state.sequence(uid, _fingerprint(day, session.time, session.length_minutes,
                                                   where, *(("cancelled",) if cancelled
                                                            else ())),
                                 at_least=record_changes(session))
            title = privacy.redact(session_title(session), plan)
            event = _base_event(uid, f"Cancelled: {title}" if cancelled else title, stamp,
                                seq)
            _timed(event, day, session.time, session.length_minutes, zone)
            event.add("location", privacy.redact(where, plan))
            description = session_description(plan, session)
            event.add("description", f"{note}\n{description}" if note else description)
            event.add("categories", ["co-production", "session"])
            if cancelled:
                event.add("status", "CANCELLED")
                event.add("transp", "TRANSPARENT")  # (it no longer takes anyone's time)
                finish(event)
                continue
            event.add("transp", "OPAQUE")
            _reminder(event, timedelta(days=1), f"Tomorrow: {title}")
            if lead_view and tp.papers_ahead_days:
                cal_ = sched.calendar
                send = cal_.add(day, -tp.papers_ahead_days)
                _reminder(event, day - send,
                          f"Papers out today for '{title}' ({tp.papers_ahead_days} working "
                          "days ahead, as access needs ask)")
            timed_days.append(day)
            finish(event)

    if "checkpoints" in options.include:
        for cp in sched.checkpoints:
            if not _in_range(cp.day, options):
                continue
            uid = event_uid(key, "checkpoint", cp.id)
            seq = state.sequence(uid, _fingerprint(cp.day))
            event = _base_event(uid, privacy.redact(cp.title, plan), stamp, seq)
            _all_day(event, cp.day, cp.day)
            prompts = "\n".join(f"- {p}" for p in cp.prompts)
            event.add("description", privacy.redact(
                f"A time to stop and take stock together ({cp.reason}).\n"
                f"Suggested time: {cp.time:%H:%M}, {plain_minutes(cp.length_minutes)}.\n"
                f"Questions to talk about:\n{prompts}", plan))
            event.add("categories", ["co-production", "reflection"])
            finish(event)

    if "milestones" in options.include:
        for sid in sched.order:
            timing = sched.stages[sid]
            if not timing.stage.milestone or not _in_range(timing.start, options):
                continue
            uid = event_uid(key, "milestone", sid)
            seq = state.sequence(uid, _fingerprint(timing.start))
            event = _base_event(uid, privacy.redact(f"Milestone: {timing.stage.title}", plan),
                                stamp, seq)
            _all_day(event, timing.start, timing.start)
            event.add("categories", ["co-production", "milestone"])
            finish(event)

    if "buffers" in options.include:
        buffers = list(sched.buffers) + ([sched.project_buffer] if sched.project_buffer else [])
        for b in buffers:
            if (options.start is not None and b.end < options.start) or \
                    (options.end is not None and b.start > options.end):
                continue
            uid = event_uid(key, "buffer", b.id)
            seq = state.sequence(uid, _fingerprint(b.start, b.end))
            event = _base_event(uid, privacy.redact(b.title, plan), stamp, seq)
            _all_day(event, b.start, b.end)
            event.add("description", "Time set aside because co-production takes longer: "
                                     "to build understanding, send papers ahead and hear back.")
            event.add("categories", ["co-production", "slowing down"])
            finish(event)

    if "meetings" in options.include:
        for series in sched.meetings:
            m = series.meeting
            if not attends(plan, options.audience, m.who):
                continue
            dates = [d for d in series.dates if _in_range(d, options)]
            skipped = [d for d, _ in series.skipped if _in_range(d, options)]
            every = [*dates, *skipped]
            if not dates:
                continue
            first, last = min(every), max(every)
            uid = event_uid(key, "meeting", m.id)
            where = m.where or mode_label(m.mode)
            seq = state.sequence(uid, _fingerprint(first, last, m.time, m.length_minutes,
                                                   m.every_weeks, where, tuple(skipped)))
            title = privacy.redact(m.title, plan)
            event = _base_event(uid, title, stamp, seq)
            _timed(event, first, m.time, m.length_minutes, zone)
            until = datetime.combine(last, m.time, tzinfo=zone).astimezone(UTC)
            rule: dict[str, object] = {"freq": "weekly", "byday": ("MO", "TU", "WE", "TH", "FR",
                                                                  "SA", "SU")[m.day],
                                       "until": until}
            if m.every_weeks > 1:
                rule["interval"] = m.every_weeks
            event.add("rrule", rule)
            for day in skipped:
                event.add("exdate", datetime.combine(day, m.time, tzinfo=zone))
            event.add("location", privacy.redact(where, plan))
            event.add("description", meeting_description(plan, m))
            event.add("categories", ["co-production", "meeting"])
            event.add("transp", "OPAQUE")
            _reminder(event, timedelta(days=1), f"Tomorrow: {title}")
            timed_days.extend((first, last))
            finish(event)

    if timed_days:
        from coplan.export.vtimezone import vtimezone

        cal.add_component(vtimezone(plan.project.timezone, min(timed_days).year,
                                    max(timed_days).year))
    for event in events:
        cal.add_component(event)
    return cal


def to_ics(sched: Schedule, options: ExportOptions, state: SequenceState | None = None) -> bytes:
    data: bytes = build_calendar(sched, options, state).to_ical()
    return data
