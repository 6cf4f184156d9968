"""The schedule as a table a person can read in a terminal (rich)."""

from __future__ import annotations

from datetime import date

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from coplan.durations import plain_days
from coplan.export.scheduledata import baseline_finishes, slipped, status
from coplan.schedule import Schedule
from coplan.vocab import PHASE


def _day(value: date) -> str:
    return value.strftime("%d %b %Y")


def render(sched: Schedule, today: date | None = None) -> RenderableType:
    plan = sched.plan
    table = Table(title=f"{plan.project.title}: schedule", title_justify="left",
                  header_style="bold", expand=False, pad_edge=False, box=box.SIMPLE_HEAD)
    table.add_column("Stage", overflow="fold", ratio=3, min_width=10)
    table.add_column("Phase", overflow="fold", ratio=2, min_width=6)
    table.add_column("Start", no_wrap=True)
    table.add_column("End", no_wrap=True)
    table.add_column("Days", justify="right")
    table.add_column("Slow", justify="right")
    table.add_column("Float", justify="right")
    table.add_column("Critical", no_wrap=True)
    if today:
        table.add_column("Status", no_wrap=True)
    baseline = baseline_finishes(sched)
    if baseline:
        table.add_column("vs baseline", justify="right", no_wrap=True)
    for sid in sched.order:
        t = sched.stages[sid]
        stage = t.stage
        name = Text(stage.title)
        if stage.milestone:
            name = Text("◆ ") + name
        row: list[Text | str] = [
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
                       else f"{moved:+d} days")
        table.add_row(*row)

    lines: list[RenderableType] = [table]
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
            f"{abs(moved)} days {'later' if moved > 0 else 'earlier'} than "
            f"{_day(plan.baseline.finish)}"))
    if sched.critical_path:
        titles = [sched.stages[s].stage.title for s in sched.critical_path]
        lines.append(Text("Critical path: ", style="bold") + Text(" → ".join(titles)))
    if sched.checkpoints:
        cp = Text("Reflection checkpoints: ", style="bold")
        cp.append(", ".join(_day(c.day) for c in sched.checkpoints))
        lines.append(cp)
    for missed in sched.missed:
        lines.append(Text(f"! Deadline missed: '{missed.stage}' ends {_day(missed.end)}, "
                          f"{plain_days(missed.days_late)} after its deadline "
                          f"{_day(missed.deadline)}.", style="bold"))
    return Group(*lines)


def print_schedule(sched: Schedule, today: date | None = None,
                   console: Console | None = None) -> None:
    (console or Console()).print(render(sched, today))
