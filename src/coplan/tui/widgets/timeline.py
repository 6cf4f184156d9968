"""The timeline: a Gantt chart drawn in the terminal.

Stages are bars; slow-down buffers are drawn with a different pattern (░), not only a
different colour; critical stages use a solid bar (█) and the others a shaded one (▓);
milestones are ◆ and reflection checkpoints ◇ on their own row; today is a │ line.  The
stage names stay in view while the chart scrolls sideways.  Zoom shows a column per day
(weeks) or per week (months).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coplan.session import Views

LABEL_WIDTH = 28
STAGE_CRITICAL = "█"
STAGE = "▓"
BUFFER = "░"
MILESTONE = "◆"
CHECKPOINT = "◇"
TODAY = "│"


@dataclass(frozen=True, slots=True)
class Row:
    label: Text
    chart: Text


def build_rows(views: Views, zoom: str, today: date | None) -> tuple[list[Row], int]:
    """The chart as rows of text; returns the rows and the chart's width in columns."""
    sched = views.schedule
    if sched is None or not sched.stages:
        return [Row(Text("Nothing to show yet"), Text(""))], 0
    start = sched.start - timedelta(days=sched.start.weekday())
    end = sched.finish + timedelta(days=7)
    per = 1 if zoom == "weeks" else 7

    def col(day: date) -> int:
        return (day - start).days // per

    width = col(end) + 1
    rows: list[Row] = []

    header = [" "] * width
    day = start
    while day <= end:
        if zoom == "weeks" and day.weekday() == 0:
            label = f"{day:%d %b}"
        elif zoom == "months" and day.day <= 7 and day.weekday() == 0:
            label = f"{day:%b %Y}"
        else:
            label = ""
        c = col(day)
        for i, ch in enumerate(label):
            if c + i < width and header[c + i] == " ":
                header[c + i] = ch
        day += timedelta(days=1 if zoom == "weeks" else 7)
    rows.append(Row(Text("", style="bold"), Text("".join(header), style="bold")))

    marks = [" "] * width
    for cp in sched.checkpoints:
        marks[col(cp.day)] = CHECKPOINT
    rows.append(Row(Text("Stop and take stock", style="italic"), Text("".join(marks))))

    today_col = col(today) if today and start <= today <= end else None
    for sid in sched.order:
        timing = sched.stages[sid]
        stage = timing.stage
        chart = Text(" " * width)
        if stage.milestone:
            chart.stylize("", 0, 0)
            chart = Text(" " * col(timing.start) + MILESTONE + " " * (width - col(timing.start)
                                                                       - 1))
            chart.stylize("bold", col(timing.start), col(timing.start) + 1)
        else:
            a, b = col(timing.start), col(timing.end) + 1
            glyph = STAGE_CRITICAL if timing.critical else STAGE
            style = "bold red" if timing.critical else "blue"
            chart = Text(" " * a + glyph * (b - a) + " " * (width - b))
            chart.stylize(style, a, b)
            if timing.buffer_days:
                buffer = next((x for x in sched.buffers if x.stage == sid), None)
                if buffer:
                    c, d = col(buffer.start), col(buffer.end) + 1
                    plain = chart.plain
                    chart = Text(plain[:c] + BUFFER * (d - c) + plain[d:])
                    chart.stylize(style, a, b)
                    chart.stylize("yellow", c, d)
        if today_col is not None and chart.plain[today_col] == " ":
            plain = chart.plain
            spans = chart.spans
            chart = Text(plain[:today_col] + TODAY + plain[today_col + 1:])
            chart.spans = list(spans)
            chart.stylize("magenta", today_col, today_col + 1)
        label = Text(("◆ " if stage.milestone else "") + stage.title)
        if timing.critical:
            label.append(" ■")
        rows.append(Row(label, chart))
    if sched.project_buffer:
        pb = sched.project_buffer
        c, d = col(pb.start), col(pb.end) + 1
        chart = Text(" " * c + BUFFER * (d - c) + " " * (width - d))
        chart.stylize("yellow", c, d)
        rows.append(Row(Text("Project buffer", style="italic"), chart))
    key = Text(f"{STAGE_CRITICAL} critical stage  {STAGE} stage  {BUFFER} slowing down  "
               f"{MILESTONE} milestone  {CHECKPOINT} reflection  {TODAY} today", style="dim")
    rows.append(Row(Text("Key", style="dim"), key))
    return rows, max(width, len(key.plain))


class Timeline(ScrollView, can_focus=True):
    """A scrollable Gantt chart with the stage names kept in view."""

    zoom: reactive[str] = reactive("weeks")

    BINDINGS = [("z", "toggle_zoom", "Zoom"), ("left", "scroll_left", "Earlier"),
                ("right", "scroll_right", "Later")]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.rows: list[Row] = []
        self.views: Views | None = None
        self.today: date | None = None

    def show(self, views: Views, today: date | None) -> None:
        self.views = views
        self.today = today
        self._rebuild()

    def _rebuild(self) -> None:
        if self.views is None:
            return
        self.rows, width = build_rows(self.views, self.zoom, self.today)
        self.virtual_size = Size(LABEL_WIDTH + 1 + width, len(self.rows))
        self.refresh()

    def watch_zoom(self) -> None:
        self._rebuild()

    def action_toggle_zoom(self) -> None:
        self.zoom = "months" if self.zoom == "weeks" else "weeks"

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.size.width
        if index >= len(self.rows):
            return Strip.blank(width)
        row = self.rows[index]
        label = row.label.copy()
        label.truncate(LABEL_WIDTH, overflow="ellipsis", pad=True)
        chart_width = max(0, width - LABEL_WIDTH - 1)
        chart = row.chart[scroll_x:scroll_x + chart_width]
        chart.truncate(chart_width, pad=True)
        line = Text.assemble(label, Text("│", style="dim"), chart)
        segments = list(line.render(self.app.console))
        segments = [Segment(s.text.replace("\n", ""), s.style or Style()) for s in segments]
        return Strip(segments, width).crop(0, width)
