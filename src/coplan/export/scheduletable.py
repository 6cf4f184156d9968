"""The schedule as a table a person can read in a terminal (rich)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from coplan.durations import plain_days
from coplan.export.scheduledata import baseline_finishes, slipped, status
from coplan.schedule import Schedule
from coplan.screentext import Cell, FittedTable, Listing, heading
from coplan.vocab import PHASE
from coplan.words import count, plural


def _day(value: date) -> str:
    return value.strftime("%d %b %Y")


def render(sched: Schedule, today: date | None = None) -> RenderableType:
    plan = sched.plan
    headers = ["Stage", "Phase", "Start", "End", "Days", "Slow", "Float", "Critical"]
    wrap = [True, True, False, False, False, False, False, False]
    justify = ["left", "left", "left", "left", "right", "right", "right", "left"]
    if today:
        headers.append("Status")
        wrap.append(False)
        justify.append("left")
    baseline = baseline_finishes(sched)
    if baseline:
        headers.append("vs baseline")
        wrap.append(False)
        justify.append("right")
    rows: list[list[Cell]] = []
    for sid in sched.order:
        t = sched.stages[sid]
        stage = t.stage
        name = Text(stage.title)
        if stage.milestone:
            name = Text("◆ ") + name
        row: list[Cell] = [
            name,
            PHASE.label(stage.phase) if stage.phase else "",
            _day(t.start),
            _day(t.end) if not stage.milestone else "milestone",
            str(stage.duration_days),
            f"+{t.buffer_days}" if t.buffer_days else "",
            str(t.total_float),
            Text("■ yes", style="bold") if t.critical else Text("  no"),
        ]
        if today:
            row.append(status(t.start, t.end, today) or "")
        if baseline:
            moved = slipped(t.end, baseline.get(sid))
            row.append("" if moved is None else "on time" if moved == 0
                       else f"{moved:+d} {plural('day', moved)}")
        rows.append(row)

    def as_lines(row: Sequence[Cell]) -> Text:
        """One stage on a screen too narrow for the table: the same facts, in words."""
        facts = dict(zip(headers, (c.plain if isinstance(c, Text) else c for c in row),
                         strict=True))
        text = Text(facts["Stage"], style="bold")
        if facts["Phase"]:
            text.append(f" ({facts['Phase']})")
        when = (f"{facts['Start']}, milestone" if facts["End"] == "milestone"
                else f"{facts['Start']} to {facts['End']}")
        text.append(f": {when}, {count(int(facts['Days']), 'day')}")
        if facts["Slow"]:
            text.append(f", {facts['Slow']} slow-down")
        text.append(f", float {facts['Float']}")
        if facts["Critical"].strip() == "■ yes":
            text.append(", ■ critical")
        if facts.get("Status"):
            text.append(f", {facts['Status']}")
        if facts.get("vs baseline"):
            text.append(f", {facts['vs baseline']} against the baseline")
        return text

    table = FittedTable(headers, rows, wrap=wrap, justify=justify, as_lines=as_lines,
                        table=lambda: Table(header_style="bold", expand=False, pad_edge=False,
                                            show_edge=False, padding=(0, 1, 0, 0),
                                            box=box.SIMPLE_HEAD))
    lines: list[RenderableType] = [heading(f"{plan.project.title}: schedule"), table]
    summary = Text()
    summary.append("Finish: ", style="bold")
    summary.append(_day(sched.finish))
    if sched.slow_down:
        summary.append("  (without slowing down: ")
        summary.append(_day(sched.finish_without_slow_down))
        summary.append(f"; co-production adds {plain_days(sched.added_days)}: "
                       f"{plain_days(sched.stage_buffer_days)} after stages")
        if sched.project_buffer:
            summary.append(f" and a project buffer of {plain_days(sched.project_buffer.days)}")
        summary.append(")")
    lines.append(summary)
    moved = slipped(sched.finish, plan.baseline.finish)
    if moved is not None and plan.baseline.finish is not None:
        lines.append(Text("Against the baseline: ", style="bold") + Text(
            "on time" if moved == 0 else
            f"{count(abs(moved), 'day')} {'later' if moved > 0 else 'earlier'} than "
            f"{_day(plan.baseline.finish)}"))
    if sched.critical_path:
        titles = [sched.stages[s].stage.title for s in sched.critical_path]
        lines.append(Listing(Text("Critical path: ", style="bold"), titles, " → "))
    if sched.checkpoints:
        lines.append(Listing(Text("Reflection checkpoints: ", style="bold"),
                             [_day(c.day) for c in sched.checkpoints]))
    for missed in sched.missed:
        lines.append(Text(f"! Deadline missed: '{missed.stage}' ends {_day(missed.end)}, "
                          f"{plain_days(missed.days_late)} after its deadline "
                          f"{_day(missed.deadline)}.", style="bold"))
    return Group(*lines)


def print_schedule(sched: Schedule, today: date | None = None,
                   console: Console | None = None) -> None:
    (console or Console()).print(render(sched, today))
