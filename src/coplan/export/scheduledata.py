"""The schedule as plain data: the stable JSON contract and the CSV for spreadsheets.

The JSON shape is documented in docs/scheduling.md and versioned (``version``); fields are
only ever added, never renamed or removed, within a version.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

from coplan.escape import spreadsheet_cell
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
        t = sched.stages[sid]
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
        out.append(row)
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
    for s in sched.sessions:
        out.append({"id": s.id, "kind": "session",
                    "title": f"{s.touchpoint.title}: {s.stage.title}"
                    + (f" ({s.number} of {s.of})" if s.of > 1 else ""),
                    "start": day(s.day), "end": day(s.day),
                    "time": s.time.strftime("%H:%M"),
                    "length_minutes": s.length_minutes, "stage": s.stage.id,
                    "touchpoint": s.touchpoint.id, "format": s.touchpoint.format,
                    "mode": s.touchpoint.mode, "ladder": s.touchpoint.ladder})
    for series in sched.meetings:
        m = series.meeting
        for on in series.dates:
            out.append({"id": f"{m.id}@{on.isoformat()}", "kind": "meeting", "title": m.title,
                        "start": day(on), "end": day(on), "time": m.time.strftime("%H:%M"),
                        "length_minutes": m.length_minutes, "meeting": m.id})
    out.sort(key=lambda r: (r["start"], _KIND_ORDER[r["kind"]], r["id"]))
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
        "items": items(sched, today, dates_as_text=dates_as_text),
    }


def _default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(sched: Schedule, today: date | None = None) -> str:
    """The JSON document: one item per line, so it stays readable and diffs well.

    The items are encoded in one call of the standard library's C encoder (an indented
    dump falls back to pure Python and is several times slower on large plans), and the
    list is then broken into lines between items (``_one_per_line``).
    """
    import json

    data = to_data(sched, today, dates_as_text=True)
    rows = data.pop("items")
    encode = json.JSONEncoder(ensure_ascii=False, default=_default).encode
    head = ",\n".join(f" {encode(k)}: {encode(v)}" for k, v in data.items())
    return "{\n" + head + ',\n "items": [\n' + _one_per_line(rows, encode) + "\n ]\n}\n"


_BETWEEN = '}, {"'
"""Where one item ends and the next begins in a JSON list of flat objects: inside an
item, a brace appears only in a text, and a quote in a text is always escaped."""


def _one_per_line(rows: list[dict[str, Any]], encode: Callable[[object], str]) -> str:
    """``rows`` as JSON objects, one a line, each indented by two spaces and followed by a
    comma (but the last): what encoding each row on its own and joining them gives."""
    if not rows:
        return ""
    text = encode(rows)[1:-1]
    # Every boundary is one of _BETWEEN and no other is, unless an item holds an object
    # of its own (none does now; if one ever did, each row is encoded alone instead).
    if text.count(_BETWEEN) != len(rows) - 1:
        return ",\n".join("  " + encode(row) for row in rows)
    return "  " + text.replace(_BETWEEN, '},\n  {"')


CSV_COLUMNS = ("id", "kind", "title", "phase", "start", "end", "duration", "after",
               "early_start", "late_start", "total_float", "free_float", "critical",
               "slow_down_days", "deadline", "time", "length_minutes", "status",
               "baseline_finish", "slipped_days")


def to_csv(sched: Schedule, today: date | None = None) -> str:
    """One row per item, for spreadsheets; lists are joined with spaces."""
    import csv  # (only for CSV: the table and JSON do without it)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in items(sched, today):
        values = []
        for column in CSV_COLUMNS:
            value = row.get(column)
            if column == "phase" and value:
                value = PHASE.label(value)
            if isinstance(value, list):
                value = " ".join(value)
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            elif isinstance(value, date):
                value = value.isoformat()
            values.append("" if value is None else spreadsheet_cell(value))
        writer.writerow(values)
    return buffer.getvalue()
