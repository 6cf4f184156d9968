"""The schedule as a table a person can read in a terminal (rich), or as the same
characters without rich where it goes to a file or a pipe (``plain_schedule``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from coplan.durations import calendar_days, plain_days
from coplan.export.scheduledata import baseline_finishes, slipped, status
from coplan.records import dataclass
from coplan.schedule import Schedule
from coplan.vocab import PHASE
from coplan.words import plural

if TYPE_CHECKING:
    from io import StringIO

    from rich.console import Console, RenderableType

CRITICAL, NOT_CRITICAL = "■ yes", "  no"


def _day(value: date) -> str:
    return value.strftime("%d %b %Y")


@dataclass(slots=True)
class _Layout:
    """What the schedule shows, as plain strings: the table, and the lines under it."""

    title: str
    headers: list[str]
    wrap: list[bool]
    justify: list[str]
    rows: list[list[str]]
    finish: str
    against: str | None
    critical_path: list[str]
    checkpoints: list[str]
    missed: list[str]
    legend: str = ""  # which kind of day each column counts


def _layout(sched: Schedule, today: date | None) -> _Layout:
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
    rows: list[list[str]] = []
    for sid in sched.order:
        t = sched.stages[sid]
        stage = t.stage
        row = [
            f"◆ {stage.title}" if stage.milestone else stage.title,
            PHASE.label(stage.phase) if stage.phase else "",
            _day(t.start),
            _day(t.end) if not stage.milestone else "milestone",
            str(stage.duration_days),
            f"+{t.buffer_days}" if t.buffer_days else "",
            str(t.total_float),
            CRITICAL if t.critical else NOT_CRITICAL,
        ]
        if today:
            row.append(status(t.start, t.end, today) or "")
        if baseline:
            moved = slipped(t.end, baseline.get(sid))
            row.append("" if moved is None else "on time" if moved == 0
                       else f"{moved:+,d} calendar {plural('day', moved)}")
        rows.append(row)
    finish = f"Finish: {_day(sched.finish)}"
    if sched.slow_down:
        project_buffer = sched.project_buffer.days if sched.project_buffer else 0
        # Buffers after stages that run side by side overlap in time: then the parts add up
        # to more than the finish moves, and the line says why.
        beside = sched.stage_buffer_days + project_buffer > sched.added_days
        finish += (f"  (without slowing down: {_day(sched.finish_without_slow_down)}"
                   f"; co-production adds {plain_days(sched.added_days)}: "
                   f"{plain_days(sched.stage_buffer_days)} after stages"
                   + (" (some side by side)" if beside else ""))
        if sched.project_buffer:
            finish += f" and a project buffer of {plain_days(sched.project_buffer.days)}"
        # Later stages that wait for a reflection checkpoint move the finish too: then the
        # parts come to less than it moves, and the line says what makes up the rest.
        if sched.gates and sched.stage_buffer_days + project_buffer < sched.added_days:
            finish += "; waiting for reflection checkpoints adds the rest"
        finish += ")"
    moved = slipped(sched.finish, plan.baseline.finish)
    against = None
    if moved is not None and plan.baseline.finish is not None:
        against = "Against the baseline: " + (
            "on time" if moved == 0 else
            f"{calendar_days(abs(moved))} {'later' if moved > 0 else 'earlier'} than "
            f"{_day(plan.baseline.finish)}")
    legend = "Days, Slow (time to slow down) and Float count working days" + (
        "; vs baseline counts calendar days." if baseline else ".")
    return _Layout(
        title=f"{plan.project.title}: schedule", headers=headers, wrap=wrap, justify=justify,
        rows=rows, finish=finish, against=against, legend=legend,
        critical_path=[sched.stages[s].stage.title for s in sched.critical_path],
        checkpoints=[_day(c.day) for c in sched.checkpoints],
        missed=[f"! Deadline missed: '{m.stage}' ends {_day(m.end)}, "
                f"{plain_days(m.days_late)} after its deadline {_day(m.deadline)}."
                for m in sched.missed])


def _in_words(headers: Sequence[str], row: Sequence[str]) -> tuple[str, str]:
    """One stage on a screen too narrow for the table: the same facts, in words (its
    title, set in bold, and the rest)."""
    facts = dict(zip(headers, row, strict=True))
    rest = f" ({facts['Phase']})" if facts["Phase"] else ""
    when = (f"{facts['Start']}, milestone" if facts["End"] == "milestone"
            else f"{facts['Start']} to {facts['End']}")
    rest += f": {when}, {plain_days(int(facts['Days']))}"
    if facts["Slow"]:
        rest += f", {facts['Slow']} slow-down"
    rest += f", float {facts['Float']}"
    if facts["Critical"].strip() == CRITICAL:
        rest += ", ■ critical"
    if facts.get("Status"):
        rest += f", {facts['Status']}"
    if facts.get("vs baseline"):
        rest += f", {facts['vs baseline']} against the baseline"
    return facts["Stage"], rest


def render(sched: Schedule, today: date | None = None) -> RenderableType:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from coplan.screentext import Cell, FittedTable, Listing, heading

    layout = _layout(sched, today)
    headers = layout.headers
    rows: list[list[Cell]] = [
        [Text(row[0]), *row[1:7], Text(row[7], style="bold" if row[7] == CRITICAL else ""),
         *row[8:]] for row in layout.rows]

    def as_lines(row: Sequence[Cell]) -> Text:
        title, rest = _in_words(headers, [c.plain if isinstance(c, Text) else c for c in row])
        return Text(title, style="bold") + Text(rest)

    table = FittedTable(headers, rows, wrap=layout.wrap, justify=layout.justify,
                        as_lines=as_lines,
                        table=lambda: Table(header_style="bold", expand=False, pad_edge=False,
                                            show_edge=False, padding=(0, 1, 0, 0),
                                            box=box.SIMPLE_HEAD))
    lines: list[RenderableType] = [heading(layout.title), table, Text(layout.legend)]
    summary = Text()
    summary.append("Finish: ", style="bold")
    summary.append(layout.finish.removeprefix("Finish: "))
    lines.append(summary)
    if layout.against is not None:
        label = "Against the baseline: "
        lines.append(Text(label, style="bold") + Text(layout.against.removeprefix(label)))
    if layout.critical_path:
        lines.append(Listing(Text("Critical path: ", style="bold"), layout.critical_path,
                             " → "))
    if layout.checkpoints:
        lines.append(Listing(Text("Reflection checkpoints: ", style="bold"),
                             layout.checkpoints))
    for missed in layout.missed:
        lines.append(Text(missed, style="bold"))
    return Group(*lines)


def plain_schedule(sched: Schedule, today: date | None, width: int) -> str | None:
    """The characters ``print_schedule`` writes at ``width`` where rich prints plain text
    (``plaintext.plain_width``), worked out without rich; None where a text holds
    characters that are not one cell wide or markup, or the width is too narrow for the
    plain layout to be sure of rich's, to be printed by rich."""
    from coplan import plaintext as pt

    layout = _layout(sched, today)
    if width < 24 or any("[" in c or ":" in c for row in layout.rows for c in row[1:]):
        return None
    out: list[str] = []

    def add(text: str) -> bool:
        lines = pt.printed(text, width)
        if lines is None:
            return False
        out.extend(lines)
        return True

    if not add(layout.title):
        return None
    table = _plain_table(layout, width)
    if table is None:
        return None
    out.extend(table)
    if not add(layout.legend) or not add(layout.finish) or \
            (layout.against is not None and not add(layout.against)):
        return None
    for label, items, separator in (("Critical path: ", layout.critical_path, " → "),
                                    ("Reflection checkpoints: ", layout.checkpoints, ", ")):
        if items:
            listed = _plain_listing(label, items, separator, width)
            if listed is None:
                return None
            out.extend(listed)
    for missed in layout.missed:
        if not add(missed):
            return None
    return "".join(line + "\n" for line in out)


def _plain_table(layout: _Layout, width: int) -> list[str] | None:
    """``FittedTable``'s lines for the schedule's table (rich's ``SIMPLE_HEAD`` box
    without edges: a rule under the headers), or its rows in words."""
    from coplan import plaintext as pt

    return pt.table_lines(layout.headers, layout.rows, layout.wrap, width,
                          justify=layout.justify, rule=True,
                          in_words=lambda row: "".join(_in_words(layout.headers, row)))


def _plain_listing(label: str, items: Sequence[str], separator: str, width: int,
                   indent: int = 2) -> list[str] | None:
    """``screentext.Listing``'s lines, as plain strings."""
    from coplan import plaintext as pt

    if not all(pt.one_cell_each(t) for t in (label, separator, *items)) or width - indent < 10:
        return None
    out: list[str] = []
    line = label
    for n, item in enumerate(items):
        piece = item + (separator.rstrip() if n < len(items) - 1 else "")
        gap = "" if n == 0 else " "
        if n and len(line) + len(gap) + len(piece) > width:
            out.append(line)
            line = " " * indent
            gap = ""
        room = width - len(line) - len(gap)
        if len(piece) > room:
            words = piece.split(" ")
            head: list[str] = []
            while words and len(" ".join([*head, words[0]])) <= room:
                head.append(words.pop(0))
            if head:
                line += gap + " ".join(head)
            parts = pt.wrapped_plain(" ".join(words), width - indent)
            if parts is None:
                return None
            for part in parts:
                if line.strip():
                    out.append(line)
                line = " " * indent + part
            continue
        line += gap + piece
    out.append(line)
    return out if all(len(x) <= width for x in out) else None


def print_schedule(sched: Schedule, today: date | None = None,
                   console: Console | None = None) -> None:
    if console is None:
        from coplan.plaintext import plain_width

        width = plain_width(None)
        text = None if width is None else plain_schedule(sched, today, width)
        if text is not None:
            import sys

            sys.stdout.write(text)
            sys.stdout.flush()
            return
        from rich.console import Console
    (console or Console()).print(render(sched, today))


def schedule_text(sched: Schedule, today: date | None, file: StringIO, width: int) -> str:
    """What a ``Console(file=file, width=width)`` would write of the schedule (for
    ``--output``): worked out without rich where it writes plain text."""
    from coplan.plaintext import plain_width

    plain = plain_width(file, width)
    text = None if plain is None else plain_schedule(sched, today, plain)
    if text is not None:
        return text
    from rich.console import Console

    console = Console(file=file, width=width)
    console.print(render(sched, today))
    return file.getvalue()
