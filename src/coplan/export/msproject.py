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
"""

from __future__ import annotations

from datetime import date, datetime, time
from xml.etree import ElementTree as ET

from coplan.escape import xml_text
from coplan.schedule import Schedule
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
    for sid in sched.order:
        t = sched.stages[sid]
        stage = t.stage
        preds = [(wait_key(dep.stage), dep.lag_days) for dep in stage.after]
        preds += [(gid, 0) for gid in gates_before.get(sid, [])]
        if stage.not_before:
            # The first day it may happen: a constraint on a day off is read differently
            # by different programs.
            not_before[sid] = sched.calendar.on_or_after(stage.not_before)
        rows.append((sid, stage.title, t.start, t.end, stage.duration_days, stage.milestone,
                     preds))
        buffer = buffers.get(sid)
        if buffer:
            rows.append((f"{sid}~slow", f"Slowing down after: {stage.title}", buffer.start,
                         buffer.end, buffer.days, False, [(sid, 0)]))
    if sched.project_buffer:
        pb = sched.project_buffer
        waited = {d.stage for s in plan.stages for d in s.after}
        sinks = [s.id for s in plan.stages if s.id not in waited]
        rows.append(("project~buffer", pb.title, pb.start, pb.end, pb.days, False,
                     [(wait_key(s), 0) for s in sinks]))
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
        add(task, "Finish", _at(last, 17))
        add(task, "Duration", _duration(days))
        add(task, "DurationFormat", 7)
        # Nothing done yet: what MS Project writes for a task not started, and what a
        # scheduler needs to plan the rest of it.
        add(task, "ActualDuration", _duration(0))
        add(task, "RemainingDuration", _duration(days))
        add(task, "PercentComplete", 0)
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
