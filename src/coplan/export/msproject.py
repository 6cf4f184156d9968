"""The schedule as Microsoft Project XML (MSPDI), which MS Project, ProjectLibre and
GanttProject import.

Stages become tasks with their scheduled start and finish, links become finish-to-start
predecessor links with their lag, the working week and every holiday and closure become
the project calendar, and slow-down buffers become tasks of their own (named as such) that
the next stages wait for, so the imported plan keeps the time set aside for co-production.
A blocking reflection checkpoint is a one-day task after its phase that the next phase
waits for, and a stage's ``not_before`` date a "start no earlier than" constraint, so a
program that schedules the file again (MS Project, or MPXJ's scheduler) reaches coplan's
dates and finish.

Exported ``--today`` once the project has started (a schedule dated from what actually
happened), the file carries it as MS Project records progress: the project's status date
is that day; a stage finished has its ActualStart, ActualFinish and ActualDuration (how
long it really took), 100% complete and nothing remaining; a stage under way has its
ActualStart, the work done (the recorded progress, else the working days gone) and the work
remaining, which ends where coplan expects it to; neither waits for anything any longer.
A stage still to come may start no earlier than that day (a "start no earlier than"
constraint, or its own ``not_before`` if later), since nothing can start in the past.  A
program scheduling the file again keeps finished stages where they were and reaches
``coplan schedule --today``'s dates.
"""

from __future__ import annotations

from datetime import date, datetime, time
from xml.etree import ElementTree as ET

from coplan.escape import xml_text
from coplan.schedule import (
    Schedule,
    StageTiming,
    dated_from_record,
    happened,
    project_buffer_after,
)
from coplan.schema import slug

NS = "http://schemas.microsoft.com/project"
MINUTES_PER_DAY = 480
_DAY_TYPE = {6: 1, 0: 2, 1: 3, 2: 4, 3: 5, 4: 6, 5: 7}  # Python weekday -> MSPDI DayType


def _at(day: date, hour: int) -> str:
    return datetime.combine(day, time(hour, 0)).isoformat()


def _duration(days: int) -> str:
    return f"PT{days * 8}H0M0S"


def _add(parent: ET.Element, tag: str, text: object) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = str(text)
    return element


def _actuals(timing: StageTiming, state: str, now: int) -> tuple[int, int, int]:
    """A stage started, as MS Project records it: (its duration as it now stands, the
    working days of it done, its percent complete), for a stage ``state`` (finished or
    started) as of day index ``now``."""
    took = timing.ef - timing.es
    if state == "finished":
        return took, took, 100
    stage = timing.stage
    if stage.progress is not None:  # the work done, as the schedule counts what is left
        done = stage.duration_days - -(-stage.duration_days * (100 - stage.progress) // 100)
    else:
        done = now - timing.es  # the working days gone
    done = max(0, min(done, took - 1))  # (not finished: some of it is left)
    return took, done, done * 100 // took if took else 0


def to_msproject(sched: Schedule) -> str:
    plan = sched.plan
    from coplan.privacy import redact

    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}Project")

    def add(parent: ET.Element, tag: str, text: object) -> ET.Element:
        return _add(parent, f"{{{NS}}}{tag}", text)

    add(root, "SaveVersion", 14)
    # The project's (shared) title, not the file's name: a file is often named after people.
    add(root, "Name", f"{slug(plan.project.title, 'plan', limit=60)}.xml")
    add(root, "Title", redact(plan.project.title, plan))
    add(root, "ScheduleFromStart", 1)
    add(root, "StartDate", _at(sched.start, 9))
    add(root, "FinishDate", _at(sched.finish, 17))
    add(root, "CalendarUID", 1)
    add(root, "DefaultStartTime", "09:00:00")
    add(root, "DefaultFinishTime", "17:00:00")
    add(root, "MinutesPerDay", MINUTES_PER_DAY)
    add(root, "MinutesPerWeek", MINUTES_PER_DAY * plan.project.days_per_week)
    add(root, "DaysPerMonth", 20)
    add(root, "DurationFormat", 7)
    now = dated_from_record(sched)
    origin = sched.calendar.index(sched.start)
    if now is not None:  # the day progress is recorded as of
        add(root, "StatusDate", _at(sched.calendar.date_at(now), 9))

    calendars = ET.SubElement(root, f"{{{NS}}}Calendars")
    calendar = ET.SubElement(calendars, f"{{{NS}}}Calendar")
    add(calendar, "UID", 1)
    add(calendar, "Name", "coplan working days")
    add(calendar, "IsBaseCalendar", 1)
    add(calendar, "BaseCalendarUID", -1)
    weekdays = ET.SubElement(calendar, f"{{{NS}}}WeekDays")
    for weekday in range(7):
        day = ET.SubElement(weekdays, f"{{{NS}}}WeekDay")
        add(day, "DayType", _DAY_TYPE[weekday])
        working = weekday in plan.project.working_days
        add(day, "DayWorking", 1 if working else 0)
        if working:
            times = ET.SubElement(day, f"{{{NS}}}WorkingTimes")
            for start, end in (("09:00:00", "13:00:00"), ("14:00:00", "18:00:00")):
                period = ET.SubElement(times, f"{{{NS}}}WorkingTime")
                add(period, "FromTime", start)
                add(period, "ToTime", end)
    exceptions = ET.SubElement(calendar, f"{{{NS}}}Exceptions")
    for closed, why in sched.calendar.non_working_weekdays(sched.start, sched.finish):
        exception = ET.SubElement(exceptions, f"{{{NS}}}Exception")
        period = ET.SubElement(exception, f"{{{NS}}}TimePeriod")
        add(period, "FromDate", _at(closed, 0))
        add(period, "ToDate", datetime.combine(closed, time(23, 59)).isoformat())
        add(exception, "Occurrences", 1)
        add(exception, "Name", why)
        add(exception, "Type", 1)
        add(exception, "DayWorking", 0)

    tasks = ET.SubElement(root, f"{{{NS}}}Tasks")
    uids: dict[str, int] = {}
    next_uid = 1
    rows: list[tuple[str, str, date, date, int, bool, list[tuple[str, int]]]] = []
    buffers = {b.stage: b for b in sched.buffers}

    def wait_key(sid: str) -> str:
        return f"{sid}~slow" if sid in buffers else sid

    gates_before: dict[str, list[str]] = {}
    for gate in sched.gates:
        for held in gate.holds:
            gates_before.setdefault(held, []).append(f"{gate.id}~gate")
    not_before: dict[str, date] = {}
    actual: dict[str, tuple[str, int, int]] = {}  # stage started: state, work done, percent
    for sid in sched.order:
        t = sched.stages[sid]
        stage = t.stage
        preds = [(wait_key(dep.stage), dep.lag_days) for dep in stage.after]
        preds += [(gid, 0) for gid in gates_before.get(sid, [])]
        days = stage.duration_days
        state = happened(stage, sched.calendar, now) if now is not None else None
        if state is not None and now is not None:
            # What actually happened: its own dates, waiting for nothing.
            days, done, percent = _actuals(t, state, now)
            actual[sid] = (state, done, percent)
            preds = []
        elif stage.not_before or (now is not None and now > origin):
            # The first day it may happen: a constraint on a day off is read differently
            # by different programs.  Still to come, not before the day it is dated as of.
            earliest = sched.calendar.index(stage.not_before) if stage.not_before else origin
            not_before[sid] = sched.calendar.date_at(earliest if now is None
                                                     else max(earliest, now))
        # (a milestone recorded as started, not reached, holds what follows until after
        # today, as a task of its own length)
        rows.append((sid, stage.title, t.start, t.end, days, stage.milestone and not days,
                     preds))
        buffer = buffers.get(sid)
        if buffer:
            rows.append((f"{sid}~slow", f"Slowing down after: {stage.title}", buffer.start,
                         buffer.end, buffer.days, False, [(sid, 0)]))
    if sched.project_buffer:
        pb = sched.project_buffer
        ends, gates = project_buffer_after(sched)
        rows.append(("project~buffer", pb.title, pb.start, pb.end, pb.days, False,
                     [(wait_key(s), 0) for s in ends] + [(f"{g}~gate", 0) for g in gates]))
    # Gates come last, so every other task keeps the number it has without them.
    rows += [(f"{gate.id}~gate", gate.title, gate.day, gate.day, 1, False,
              [(wait_key(m), 0) for m in gate.waits_for]) for gate in sched.gates]
    for key, *_ in rows:
        uids[key] = next_uid
        next_uid += 1
    for key, title, first, last, days, milestone, preds in rows:
        task = ET.SubElement(tasks, f"{{{NS}}}Task")
        add(task, "UID", uids[key])
        add(task, "ID", uids[key])
        add(task, "Name", redact(title, plan))
        add(task, "Type", 1)
        add(task, "IsNull", 0)
        add(task, "OutlineLevel", 1)
        add(task, "Start", _at(first, 9) if not milestone else _at(first, 17))
        state, done, percent = actual.get(key, ("", 0, 0))
        # A stage finished ends when the calendar's working day does (18:00: its hours are
        # 9 to 1 and 2 to 6), so that its actual dates hold its actual duration.
        add(task, "Finish", _at(last, 18 if state == "finished" else 17))
        add(task, "Duration", _duration(days))
        add(task, "DurationFormat", 7)
        if state:
            add(task, "ActualStart", _at(first, 9) if days else _at(first, 17))
            if state == "finished":
                add(task, "ActualFinish", _at(last, 18))
        # Nothing done yet (a task not started): what MS Project writes for it, and what a
        # scheduler needs to plan the rest of it.
        add(task, "ActualDuration", _duration(done))
        add(task, "RemainingDuration", _duration(days - done))
        add(task, "PercentComplete", percent)
        add(task, "Milestone", 1 if milestone else 0)
        add(task, "Summary", 0)
        add(task, "Critical", 1 if key in sched.stages and sched.stages[key].critical else 0)
        add(task, "CalendarUID", -1)
        if key in not_before:
            add(task, "ConstraintType", 4)  # start no earlier than
            add(task, "ConstraintDate", _at(not_before[key], 9))
        for pred, lag in preds:
            if pred not in uids:
                continue
            link = ET.SubElement(task, f"{{{NS}}}PredecessorLink")
            add(link, "PredecessorUID", uids[pred])
            add(link, "Type", 1)
            add(link, "CrossProject", 0)
            add(link, "LinkLag", lag * MINUTES_PER_DAY * 10)
            add(link, "LagFormat", 7)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + \
        xml_text(ET.tostring(root, encoding="unicode")) + "\n"
