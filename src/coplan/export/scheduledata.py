"""The schedule as plain data: the stable JSON contract and the CSV for spreadsheets.

The JSON shape is documented in docs/scheduling.md and versioned (``version``); fields are
only ever added, never renamed or removed, within a version.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from coplan.schedule import Schedule
from coplan.vocab import PHASE

FORMAT_VERSION = 1
_KIND_ORDER = {"stage": 0, "milestone": 0, "buffer": 1, "checkpoint": 2, "session": 3,
               "meeting": 4}


def status(start: date, end: date, today: date | None) -> str | None:
    """Where an item stands on ``today``: done, in progress or not started."""
    if today is None:
        return None
    if end < today:
        return "done"
    if start <= today:
        return "in progress"
    return "not started"


def baseline_finishes(sched: Schedule) -> dict[str, date]:
    """Each stage's finish in the saved baseline (the schedule as agreed), by stage id."""
    return {b.stage: b.finish for b in sched.plan.baseline.stages if b.finish is not None}


def slipped(end: date, planned: date | None) -> int | None:
    """Calendar days a finish has moved since the baseline (later: more than 0)."""
    return None if planned is None else (end - planned).days


def items(sched: Schedule, today: date | None = None, *,
          dates_as_text: bool = False) -> list[dict[str, Any]]:
    """Every dated item of the schedule, in date order; a stage in the saved baseline also
    says where the baseline had it finish and how far it has slipped since.  With
    ``dates_as_text``, each date is written as JSON writes it (``2027-01-11``)."""
    out: list[dict[str, Any]] = []
    # (the schedule's dates are a few hundred days, each written many times)
    day: Callable[[Any], Any] = _Iso().__getitem__ if dates_as_text else _same
    baseline = baseline_finishes(sched)
    for sid in sched.order:
        out.append(_stage_row(sid, sched.stages[sid], day, today, baseline))
    out += _other_rows(sched, day)
    for s in sched.sessions:
        out.append(_session_row(s, day))
    out += _meeting_rows(sched, day)
    out.sort(key=lambda r: (r["start"], _KIND_ORDER[r["kind"]], r["id"]))
    return out


def _stage_row(sid: str, t: Any, day: Callable[[Any], Any], today: date | None,
               baseline: dict[str, date]) -> dict[str, Any]:
    stage = t.stage
    row: dict[str, Any] = {
        "id": sid, "kind": "milestone" if stage.milestone else "stage",
        "title": stage.title, "start": day(t.start), "end": day(t.end),
        "phase": stage.phase, "duration": stage.duration_days,
        "after": [d.stage for d in stage.after],
        "early_start": day(t.early_start), "early_finish": day(t.early_finish),
        "late_start": day(t.late_start), "late_finish": day(t.late_finish),
        "total_float": t.total_float, "free_float": t.free_float,
        "critical": t.critical, "slow_down_days": t.buffer_days,
        "deadline": day(stage.deadline),
        "touchpoints": len(stage.touchpoints),
    }
    if today is not None:
        row["status"] = status(t.start, t.end, today)
    if sid in baseline:
        row["baseline_finish"] = day(baseline[sid])
        row["slipped_days"] = slipped(t.end, baseline[sid])
    return row


def _other_rows(sched: Schedule, day: Callable[[Any], Any]) -> list[dict[str, Any]]:
    """The slow-down buffers and the reflection checkpoints."""
    out: list[dict[str, Any]] = []
    buffers = list(sched.buffers)
    if sched.project_buffer:
        buffers.append(sched.project_buffer)
    for b in buffers:
        out.append({"id": b.id, "kind": "buffer", "title": b.title, "start": day(b.start),
                    "end": day(b.end), "stage": b.stage, "days": b.days})
    for c in sched.checkpoints:
        out.append({"id": c.id, "kind": "checkpoint", "title": c.title,
                    "start": day(c.day), "end": day(c.day), "time": c.time.strftime("%H:%M"),
                    "length_minutes": c.length_minutes, "reason": c.reason,
                    "phases": list(c.phases), "blocks": c.blocks, "prompts": list(c.prompts)})
    return out


def session_title(s: Any) -> str:
    """A session as calendars and schedules title it: its touchpoint and its stage ("Writing
    the question together: Agreeing the question and aims"), and which of several it is;
    one title alone where it already holds the other ("Learning session 1: ward teams plan
    their first changes", not "Learning session 1: Learning session 1: ...")."""
    what: str = s.touchpoint.title
    stage: str = s.stage.title
    if stage.casefold().startswith(what.casefold()):
        title = stage
    elif stage.casefold() in what.casefold():
        title = what
    else:
        title = f"{what}: {stage}"
    return title + (f" ({s.number} of {s.of})" if s.of > 1 else "")


def _session_row(s: Any, day: Callable[[Any], Any]) -> dict[str, Any]:
    """A session as the delivery record has it (``delivery.as_recorded``): on the day it
    moved to, what became of it (``status``) and, where it moved, the day it was planned
    for (``planned_day``)."""
    row = {"id": s.id, "kind": "session", "title": session_title(s),
           "start": day(s.day), "end": day(s.day), "time": s.time.strftime("%H:%M"),
           "length_minutes": s.length_minutes, "stage": s.stage.id,
           "touchpoint": s.touchpoint.id, "format": s.touchpoint.format,
           "mode": s.touchpoint.mode, "ladder": s.touchpoint.ladder, "status": s.status}
    if s.planned_day is not None:
        row["planned_day"] = day(s.planned_day)
    return row


def _meeting_rows(sched: Schedule, day: Callable[[Any], Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for series in sched.meetings:
        m = series.meeting
        for on in series.dates:
            out.append({"id": f"{m.id}@{on.isoformat()}", "kind": "meeting", "title": m.title,
                        "start": day(on), "end": day(on), "time": m.time.strftime("%H:%M"),
                        "length_minutes": m.length_minutes, "meeting": m.id})
    return out


class _Iso(dict[Any, Any]):
    """Each date as JSON writes it (``2027-01-11``; None stays None), worked out once."""

    def __missing__(self, value: date | None) -> str | None:
        text = self[value] = None if value is None else value.isoformat()
        return text


def _same(value: Any) -> Any:
    return value


def to_data(sched: Schedule, today: date | None = None, *,
            dates_as_text: bool = False) -> dict[str, Any]:
    return {**_head(sched, today),
            "items": items(sched, today, dates_as_text=dates_as_text)}


def _head(sched: Schedule, today: date | None) -> dict[str, Any]:
    """What the JSON says before its items."""
    plan = sched.plan
    return {
        "format": "coplan-schedule",
        "version": FORMAT_VERSION,
        "title": plan.project.title,
        "start": sched.start,
        "finish": sched.finish,
        "finish_without_slow_down": sched.finish_without_slow_down,
        "baseline_finish": plan.baseline.finish,
        "finish_slipped_days": slipped(sched.finish, plan.baseline.finish),
        "added_working_days": sched.added_days,
        "slow_down": sched.slow_down,
        "today": today,
        "critical_path": sched.critical_path,
        "missed_deadlines": [
            {"stage": m.stage, "deadline": m.deadline, "end": m.end,
             "working_days_late": m.days_late} for m in sched.missed],
    }


def _default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


class _NotPlain(Exception):
    """A value ``_plain_json`` does not write (it is left to the standard library's)."""


def _text_writer() -> Callable[[str], str]:
    """A text as JSON writes it, quoted: the standard library's own C function, without
    importing the ``json`` package (its decoder among it) for it."""
    try:
        from _json import encode_basestring
    except ImportError:  # pragma: no cover - a Python without the C part of json
        from json.encoder import py_encode_basestring as encode_basestring
    return encode_basestring


def _plain_json(value: object, text: Callable[[str], str]) -> str:
    """What ``json.JSONEncoder(ensure_ascii=False, default=_default).encode`` writes for
    ``value`` made of texts, whole numbers, true and false, None, dates, lists and tables
    with texts for keys, as a schedule's head and rows are (``text``: ``_text_writer``);
    raises ``_NotPlain`` for anything else (a float, say)."""
    if isinstance(value, str) and type(value) is str:
        return text(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if isinstance(value, dict) and kind is dict:
        parts = []
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            parts.append(f"{text(key)}: {_plain_json(item, text)}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, (list, tuple)) and (kind is list or kind is tuple):
        return "[" + ", ".join([_plain_json(item, text) for item in value]) + "]"
    if isinstance(value, date) and kind is date:
        return text(value.isoformat())
    raise _NotPlain


def _encoder() -> Callable[[object], str]:
    """``json.JSONEncoder(ensure_ascii=False, default=_default).encode``: written here
    where a value is plain (``_plain_json``), so that a schedule's JSON does not import the
    ``json`` package; by it otherwise."""
    text = _text_writer()

    def encode(value: object) -> str:
        try:
            return _plain_json(value, text)
        except (_NotPlain, RecursionError):  # (a value holding itself: as json says)
            import json

            return json.JSONEncoder(ensure_ascii=False, default=_default).encode(value)

    return encode


def to_json(sched: Schedule, today: date | None = None) -> str:
    """The JSON document: one item per line, so it stays readable and diffs well.

    Each item's line is what the standard library's encoder writes for its row of
    ``items`` (``json.dumps(row, ensure_ascii=False)``): stages and sessions, nearly
    every item of a large plan, are written straight from the schedule (``_item_lines``)
    rather than made into a table of twenty fields each first; the few others are encoded
    one by one.
    """
    encode = _encoder()
    head = ",\n".join(f" {encode(k)}: {encode(v)}" for k, v in _head(sched, today).items())
    lines = _item_lines(sched, today, encode)
    # (one join makes the whole text: each copy of a large schedule's JSON is megabytes)
    start, end = "{\n" + head + ',\n "items": [\n', "\n ]\n}\n"
    if not lines:
        return start + end
    lines[0] = start + "  " + lines[0]
    lines[-1] += end
    return ",\n  ".join(lines)


def _item_lines(sched: Schedule, today: date | None,
                encode: Callable[[object], str]) -> list[str]:
    """The JSON text of each row of ``items(sched, today)``, in its order."""
    text = _text_writer()
    day = _JsonDate()
    plain: Callable[[Any], Any] = _Iso().__getitem__  # (for rows encoded as tables)
    clock = _Clock()
    baseline = baseline_finishes(sched)
    # (start as text, order of the kind, id, place, line): sorted as ``items`` sorts its
    # rows, the place keeping rows that tie in the order they were made (a stable sort).
    found: list[tuple[str, int, str, int, str]] = []
    for sid in sched.order:
        t = sched.stages[sid]
        try:
            line = _stage_line(sid, t, day, text, today, baseline)
        except TypeError:  # a value the encoder writes some other way
            line = None
        if line is None:
            line = encode(_stage_row(sid, t, plain, today, baseline))
        found.append((plain(t.start), 0, sid, len(found), line))
    for row in _other_rows(sched, plain):
        found.append((row["start"], _KIND_ORDER[row["kind"]], row["id"], len(found),
                      encode(row)))
    for s in sched.sessions:
        try:
            line = _session_line(s, day, text, clock)
        except TypeError:
            line = None
        if line is None:
            line = encode(_session_row(s, plain))
        found.append((plain(s.day), 3, s.id, len(found), line))
    for row in _meeting_rows(sched, plain):
        found.append((row["start"], 4, row["id"], len(found), encode(row)))
    found.sort()
    return [entry[4] for entry in found]


_JSON_TRUTH = {True: "true", False: "false"}


def _stage_line(sid: str, t: Any, day: _JsonDate, text: Callable[[str], str],
                today: date | None, baseline: dict[str, date]) -> str | None:
    """``encode(_stage_row(...))``, written directly; None where a value is not of the
    type this writes (the row is then encoded as a table).  Raises TypeError for a text
    that is not one."""
    stage = t.stage
    duration, total, free, buffer = (stage.duration_days, t.total_float, t.free_float,
                                     t.buffer_days)
    if type(duration) is not int or type(total) is not int or type(free) is not int \
            or type(buffer) is not int or type(t.critical) is not bool:
        return None
    after = ", ".join([text(d.stage) for d in stage.after])
    line = (f'{{"id": {text(sid)}, "kind": "{"milestone" if stage.milestone else "stage"}", '
            f'"title": {text(stage.title)}, "start": {day[t.start]}, "end": {day[t.end]}, '
            f'"phase": {text(stage.phase)}, "duration": {duration}, "after": [{after}], '
            f'"early_start": {day[t.early_start]}, "early_finish": {day[t.early_finish]}, '
            f'"late_start": {day[t.late_start]}, "late_finish": {day[t.late_finish]}, '
            f'"total_float": {total}, "free_float": {free}, '
            f'"critical": {_JSON_TRUTH[t.critical]}, "slow_down_days": {buffer}, '
            f'"deadline": {day[stage.deadline]}, "touchpoints": {len(stage.touchpoints)}')
    if today is not None:
        said = status(t.start, t.end, today)
        line += f', "status": {"null" if said is None else text(said)}'
    if sid in baseline:
        planned = baseline[sid]
        late = slipped(t.end, planned)
        line += (f', "baseline_finish": {day[planned]}, '
                 f'"slipped_days": {"null" if late is None else late}')
    return line + "}"


def _session_line(s: Any, day: _JsonDate, text: Callable[[str], str],
                  clock: _Clock) -> str | None:
    """``encode(_session_row(...))``, written directly (see ``_stage_line``)."""
    tp = s.touchpoint
    minutes, ladder, mode = s.length_minutes, tp.ladder, tp.mode
    if type(minutes) is not int or type(s.number) is not int or type(s.of) is not int:
        return None
    on = day[s.day]
    moved = "" if s.planned_day is None else f', "planned_day": {day[s.planned_day]}'
    return (f'{{"id": {text(s.id)}, "kind": "session", "title": {text(session_title(s))}, '
            f'"start": {on}, "end": {on}, "time": {clock[s.time]}, '
            f'"length_minutes": {minutes}, "stage": {text(s.stage.id)}, '
            f'"touchpoint": {text(tp.id)}, "format": {text(tp.format)}, '
            f'"mode": {"null" if mode is None else text(mode)}, '
            f'"ladder": {"null" if ladder is None else text(ladder)}, '
            f'"status": {text(s.status)}{moved}}}')


class _JsonDate(dict[Any, str]):
    """Each date as JSON text (``"2027-01-11"`` with its quotes; None is ``null``), worked
    out once.  Anything else is a TypeError, as the encoder's ``_default`` says."""

    def __missing__(self, value: date | None) -> str:
        if value is None:
            found = "null"
        elif isinstance(value, date):
            found = f'"{value.isoformat()}"'
        else:
            raise TypeError(f"cannot write {type(value).__name__} as a date")
        self[value] = found
        return found


class _Clock(dict[Any, str]):
    """Each time of day as JSON text (``"14:00"``), worked out once."""

    def __missing__(self, value: Any) -> str:
        found = self[value] = f'"{value.strftime("%H:%M")}"'
        return found


CSV_COLUMNS = ("id", "kind", "title", "phase", "start", "end", "duration", "after",
               "early_start", "late_start", "total_float", "free_float", "critical",
               "slow_down_days", "deadline", "time", "length_minutes", "status",
               "baseline_finish", "slipped_days", "planned_day")


def to_csv(sched: Schedule, today: date | None = None) -> str:
    """One row per item, for spreadsheets; lists are joined with spaces.

    The rows of ``items(sched, today)``, in its order: sessions and meetings, most of a
    plan's rows, are written straight from the schedule (``_session_cells``, and as
    ``_meeting_rows`` has them) rather than made into tables first, with twelve or more
    of their 21 cells empty; the few others as tables.  (For MINDS, 104 of its 126 rows:
    2.7 million instructions of ``coplan export csv``.)"""
    from coplan.escape import csv_row, spreadsheet_cell

    def cells(row: dict[str, Any]) -> list[str]:
        return ["" if (value := row.get(column)) is None
                else _csv_cell(value, column, spreadsheet_cell) for column in CSV_COLUMNS]

    baseline = baseline_finishes(sched)
    # (start, order of the kind, id, place, line): sorted as ``items`` sorts its rows, the
    # place keeping rows that tie in the order they were made (a stable sort).
    found: list[tuple[Any, int, str, int, str]] = []
    for sid in sched.order:
        row = _stage_row(sid, sched.stages[sid], _same, today, baseline)
        found.append((row["start"], 0, row["id"], len(found), csv_row(cells(row))))
    for row in _other_rows(sched, _same):
        found.append((row["start"], _KIND_ORDER[row["kind"]], row["id"], len(found),
                      csv_row(cells(row))))
    for s in sched.sessions:
        found.append((s.day, 3, s.id, len(found),
                      csv_row(_session_cells(s, spreadsheet_cell))))
    for series in sched.meetings:
        m = series.meeting
        title = _csv_text(m.title, "title", spreadsheet_cell)
        clock = _csv_text(m.time.strftime("%H:%M"), "time", spreadsheet_cell)
        minutes = _csv_text(m.length_minutes, "length_minutes", spreadsheet_cell)
        for on in series.dates:  # (as ``_meeting_rows``)
            mid = f"{m.id}@{on.isoformat()}"
            day = _csv_cell(on, "start", spreadsheet_cell)
            found.append((on, 4, mid, len(found), csv_row(
                [_csv_cell(mid, "id", spreadsheet_cell), "meeting", title, "", day, day,
                 "", "", "", "", "", "", "", "", "", clock, minutes, "", "", "", ""])))
    found.sort()
    return csv_row(CSV_COLUMNS) + "".join([entry[4] for entry in found])


def _session_cells(s: Any, plain: Callable[[object], object]) -> list[str]:
    """The cells of a session's row of ``items`` (``_session_row``), in ``CSV_COLUMNS``'
    order, each as ``_csv_cell`` writes it: its id, kind, title, day (start and end),
    time, length, status and the day it was planned for; nothing in the other columns."""
    day = "" if s.day is None else _csv_cell(s.day, "start", plain)
    planned = "" if s.planned_day is None else _csv_cell(s.planned_day, "planned_day", plain)
    return [_csv_text(s.id, "id", plain), "session",
            _csv_text(session_title(s), "title", plain), "", day, day,
            "", "", "", "", "", "", "", "", "",
            _csv_text(s.time.strftime("%H:%M"), "time", plain),
            _csv_text(s.length_minutes, "length_minutes", plain),
            _csv_text(s.status, "status", plain), "", "", planned]


def _csv_text(value: Any, column: str, plain: Callable[[object], object]) -> str:
    """``_csv_cell`` of one value of a session's row (None: an empty cell)."""
    return "" if value is None else _csv_cell(value, column, plain)


def _csv_cell(value: Any, column: str, plain: Callable[[object], object]) -> str:
    """One value as its CSV cell's text, as ``csv.writer`` writes it: a phase by its label,
    a list joined with spaces, yes or no, a date as ISO, nothing as empty, and text a
    spreadsheet would take for a formula made plain (``plain``: ``spreadsheet_cell``)."""
    if value is None:
        return ""
    if column != "phase":  # (the kinds of almost every cell, the quick way)
        kind = type(value)
        if kind is str:
            return str(plain(value))
        if kind is int:
            return str(value)
        if kind is date:
            day: date = value
            return day.isoformat()  # (starts with a digit: never a formula)
    elif value:
        value = PHASE.label(value)
    if isinstance(value, list):
        value = " ".join(value)
    elif isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, date):
        value = value.isoformat()
    cell = "" if value is None else plain(value)
    return cell if isinstance(cell, str) else str(cell)
