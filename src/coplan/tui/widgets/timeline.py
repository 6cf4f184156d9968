"""The timeline: a Gantt chart drawn in the terminal.

Stages are bars; slow-down buffers are drawn with a different pattern (░), not only a
different colour; critical stages use a solid bar (█) and the others a shaded one (▓);
milestones are ◆ and reflection checkpoints ◇ on their own row; today is a │ line.  The
stage names stay in view while the chart scrolls sideways.  Zoom shows a column per day
(weeks) or per week (months); labels along the top always have a space between them.

Up and down choose a stage (the same one the Plan tab and its keys act on): its name is
shown in reverse, and the stages it waits for are marked ◂ beside their names.

Only the lines on screen are drawn, so a plan of a thousand stages scrolls and updates at
once: ``Chart`` works out where each bar goes (cheap numbers), and ``Chart.line`` makes the
text of one line when it is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coplan.schedule import BufferItem, StageTiming
from coplan.session import Views
from coplan.tui.widgets.fit import fit

LABEL_WIDTH = 28
STAGE_CRITICAL = "█"
STAGE = "▓"
CRITICAL = "■"  # after the name of a stage on the critical path, as on the Plan tab
BUFFER = "░"
MILESTONE = "◆"
CHECKPOINT = "◇"
TODAY = "│"
BASELINE = "┆"
WAITED_FOR = "◂"


@dataclass(frozen=True, slots=True)
class Bar:
    """One stage's line: where its bar and its slow-down time fall, in columns."""

    label: str
    start: int
    end: int  # exclusive
    kind: str  # "critical", "stage", "milestone", "buffer"
    buffer: tuple[int, int] | None = None
    stage: str = ""
    baseline: int | None = None  # the column of its finish in the saved baseline


class Chart:
    """Where everything falls on the chart, for one schedule and zoom.

    ``before``: the chart of the schedule before an edit.  A stage whose timing (the very
    object: a schedule kept after an edit that moved no date keeps the timings of the
    stages it did not change), slow-down time and baseline finish are those that chart
    had keeps its bar, when the chart starts, ends and is zoomed alike."""

    def __init__(self, views: Views, zoom: str, today: date | None,
                 before: Chart | None = None) -> None:
        self.bars: list[Bar] = []
        # Each stage's bar, with what it was made from (for the next chart's ``before``).
        self.made: dict[str, tuple[object, object, date | None, Bar]] = {}
        self.width = 0
        self.today_col: int | None = None
        self.header = ""
        self.labels: list[tuple[int, int]] = []  # where each label along the top is
        self.marks = ""
        sched = views.schedule
        if sched is None or not sched.stages:
            return
        self.origin = sched.start - timedelta(days=sched.start.weekday())
        end = sched.finish + timedelta(days=7)
        self.per = per = 1 if zoom == "weeks" else 7
        self.width = width = self.col(end) + 1

        header = [" "] * width
        labels: list[tuple[int, str]] = []
        day = self.origin
        year = self.origin.year
        while day <= end:
            if zoom == "weeks" and day.weekday() == 0:
                # The first week of each later year says which year it is: the heading
                # names only the year the chart starts in.
                labels.append((self.col(day), f"{day:%d %b %Y}" if day.year != year
                               else f"{day:%d %b}"))
                year = day.year
            elif zoom == "months" and (day.day <= 7 or day == self.origin):
                labels.append((self.col(day), f"{day:%b}"))  # a month is 4 columns or more
            day += timedelta(days=per)
        if len(labels) > 1 and labels[1][0] - labels[0][0] <= len(labels[0][1]):
            del labels[0]  # the first month shows only a week or two: name the next one
        for c, label in labels:
            if _free(header, c, len(label)):
                header[c:c + len(label)] = label
                self.labels.append((c, c + len(label)))
        self.header = "".join(header)[:width]
        years = sorted({sched.start.year, sched.finish.year})
        self.years = (f"Weeks from {self.origin:%d %b %Y}" if zoom == "weeks" else
                      "Months of " + "–".join(str(y) for y in years))

        marks = [" "] * width
        for cp in sched.checkpoints:
            marks[self.col(cp.day)] = CHECKPOINT
        self.marks = "".join(marks)

        if today and self.origin <= today <= end:
            self.today_col = self.col(today)
        buffers = {b.stage: b for b in sched.buffers}
        planned = {b.stage: b.finish for b in views.plan.baseline.stages if b.finish}
        kept = before.made if before is not None and before.made and (
            before.origin, before.per, before.width) == (self.origin, per, width) else {}
        made = self.made
        bars = self.bars
        for sid in sched.order:
            timing = sched.stages[sid]
            buffer = buffers.get(sid)
            finish = planned.get(sid)
            old = kept.get(sid)
            if old is not None and old[0] is timing and old[1] is buffer and old[2] == finish:
                bar = old[3]
            else:
                bar = self._bar(sid, timing, buffer, finish)
            made[sid] = (timing, buffer, finish, bar)
            bars.append(bar)
        if sched.project_buffer:
            pb = sched.project_buffer
            self.bars.append(Bar("Project buffer", self.col(pb.start), self.col(pb.end) + 1,
                                 "buffer"))

    def _bar(self, sid: str, timing: StageTiming, buffer: BufferItem | None,
             finish: date | None) -> Bar:
        stage = timing.stage
        a = self.col(timing.start)
        if stage.milestone:
            return Bar("◆ " + stage.title, a, a + 1, "milestone", stage=sid)
        span = (self.col(buffer.start), self.col(buffer.end) + 1) if buffer else None
        base = self.col(finish) if finish is not None else None
        title = stage.title + (f" {CRITICAL}" if timing.critical else "")
        return Bar(title, a, self.col(timing.end) + 1,
                   "critical" if timing.critical else "stage", span, sid,
                   base if base is not None and 0 <= base < self.width else None)

    def stage_rows(self) -> list[str]:
        """The stages on the chart, top to bottom (what up and down move through)."""
        return [bar.stage for bar in self.bars if bar.stage]

    def row_of(self, stage_id: str) -> int | None:
        """The line a stage's bar is on."""
        for i, bar in enumerate(self.bars):
            if bar.stage == stage_id:
                return i + 2
        return None

    def col(self, day: date) -> int:
        return (day - self.origin).days // self.per

    @property
    def height(self) -> int:
        return len(self.bars) + 2 if self.width else 1

    # What every mark means, said under the chart (``TimelinePane``), where it is seen
    # whatever the chart's width or scroll: in the chart's last line it was cut off at the
    # right, and at 80x24 below the fold.
    KEY = (f"{STAGE_CRITICAL} {CRITICAL} on the critical path: if it slips, the end slips · "
           f"{STAGE} stage · {BUFFER} slowing down · {MILESTONE} milestone · "
           f"{CHECKPOINT} reflection · {TODAY} today · {BASELINE} baseline finish · "
           f"{WAITED_FOR} what the selected stage waits for")

    def line(self, index: int, styles: dict[str, Style]) -> tuple[Text, Text]:
        """The label and the chart text of line ``index``."""
        if not self.width:
            return Text("Nothing to show yet: add a stage on the Plan tab."), Text("")
        if index == 0:
            return Text(self.years, style="bold"), Text(self.header, style="bold")
        if index == 1:
            return Text("Stop and take stock", style="italic"), Text(self.marks)
        bar = self.bars[index - 2]
        chars = [" "] * self.width
        glyph = {"critical": STAGE_CRITICAL, "stage": STAGE, "milestone": MILESTONE,
                 "buffer": BUFFER}[bar.kind]
        chars[bar.start:bar.end] = glyph * (bar.end - bar.start)
        if bar.buffer:
            c, d = bar.buffer
            chars[c:d] = BUFFER * (d - c)
        if bar.baseline is not None:
            chars[bar.baseline] = BASELINE  # a shape of its own, inside the bar or beyond it
        if self.today_col is not None and chars[self.today_col] == " ":
            chars[self.today_col] = TODAY
        chart = Text("".join(chars))
        chart.stylize(styles[bar.kind], bar.start, bar.end)
        if bar.buffer:
            chart.stylize(styles["buffer"], *bar.buffer)
        if self.today_col is not None and chars[self.today_col] == TODAY:
            chart.stylize(styles["today"], self.today_col, self.today_col + 1)
        label = Text(bar.label, style="italic" if bar.kind == "buffer" else "")
        return label, chart


class Timeline(ScrollView, can_focus=True):
    """A scrollable Gantt chart with the stage names kept in view."""

    DEFAULT_CSS = """
    Timeline {
        & > .timeline--critical { color: $accent; text-style: bold; }
        & > .timeline--stage { color: $primary-lighten-2; }
        & > .timeline--milestone { color: $foreground; text-style: bold; }
        & > .timeline--buffer { color: $warning; }
        & > .timeline--today { color: $secondary-lighten-2; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--critical", "timeline--stage", "timeline--milestone", "timeline--buffer",
        "timeline--today"}

    zoom: reactive[str] = reactive("weeks")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("z", "toggle_zoom", "Zoom"),
        Binding("left", "scroll_left", "Earlier", show=False),
        Binding("right", "scroll_right", "Later", show=False),
        Binding("n", "show_today", "Now", show=False),
        Binding("home", "show_start", "Start", show=False),
        Binding("up", "select_next(-1)", "Earlier stage", show=False),
        Binding("down", "select_next(1)", "Later stage", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.chart: Chart | None = None
        self.views: Views | None = None
        self.today: date | None = None
        self.selected: str | None = None
        self.waits_for: frozenset[str] = frozenset()
        self._first = True
        # Until the chart is first brought into view (``_first_view``, once the widget has
        # its size), choosing a stage only marks it: a scroll worked out from a size still
        # being laid out would move the chart by however far layout had got.
        self._first_pending = True
        # What each line on screen was last drawn from, by line of the chart, and what
        # every line depends on (scroll, size, zoom, theme): a new chart after an edit
        # draws again only the lines that changed.
        self._drawn: dict[int, object] = {}
        self._drawn_as: tuple[object, ...] = ()

    def show(self, views: Views, today: date | None) -> None:
        self.views = views
        self.today = today
        self._rebuild()

    class StageSelected(Message):
        """Up or down chose another stage on the chart."""

        def __init__(self, stage_id: str) -> None:
            super().__init__()
            self.stage_id = stage_id

    def action_select_next(self, step: int) -> None:
        """Choose the stage ``step`` lines down (up when negative) from the selected one."""
        self._settle()
        stages = self.chart.stage_rows() if self.chart else []
        if not stages:
            return
        here = stages.index(self.selected) if self.selected in stages else \
            (-1 if step > 0 else len(stages))
        chosen = stages[max(0, min(len(stages) - 1, here + step))]
        if chosen != self.selected:
            self.select_stage(chosen)
            self.post_message(self.StageSelected(chosen))

    def select_stage(self, stage_id: str | None, *, reveal: bool = True) -> None:
        """Mark the selected stage (and what it waits for), and bring its line into view:
        its name always, its bar too when ``reveal`` (else the chart stays at the weeks
        it shows, today's on opening)."""
        self.selected = stage_id
        self._find_waits()
        row = self.chart.row_of(stage_id) if self.chart and stage_id else None
        if row is not None and self.chart is not None and not self._first_pending:
            height = self.scrollable_content_region.height
            top = round(self.scroll_y)
            if height and not top + 1 <= row < top + height:
                self.scroll_to(y=max(0, row - height // 2), animate=False, immediate=True)
            bar = self.chart.bars[row - 2]
            width = max(1, self.size.width - LABEL_WIDTH - 1)
            left = round(self.scroll_x)
            if reveal and not left <= bar.start < left + width:
                self.scroll_to(x=max(0, bar.start - width // 4), animate=False,
                               immediate=True)
        self.refresh()

    def _find_waits(self) -> None:
        stage = self.views.plan.stage(self.selected) if self.views and self.selected else None
        self.waits_for = frozenset(d.stage for d in stage.after) if stage else frozenset()

    def _rebuild(self) -> None:
        if self.views is None:
            return
        self._find_waits()
        self.chart = Chart(self.views, self.zoom, self.today, self.chart)
        self.virtual_size = Size(LABEL_WIDTH + 1 + self.chart.width,
                                 self.chart.height)
        if self._drawn_as == self._looks():
            self._refresh_changed()
        else:
            self.refresh()
        if self._first and self.size.width and self.size.height:
            self._first = False
            self.call_after_refresh(self._first_view)

    def on_resize(self) -> None:
        # (not while it has no height: the key under it takes its lines first, and a
        # view scrolled then did not stay)
        if self._first and self.chart is not None and self.size.height:
            self._first = False
            self.call_after_refresh(self._first_view)

    def _first_view(self) -> None:
        """Open at today, for a project under way (what a team running it looks at
        first), with the selected stage's name in view; before the project starts or after
        it ends, where the selected stage is (Home goes to the start, n back to today).
        Once: a key pressed before the chart was first shown (``_settle``) has done it
        already, and what the key did is not undone."""
        if not self._first_pending:
            return
        self._first_pending = False
        under_way = self.chart is not None and self.chart.today_col is not None
        rows = self.chart.stage_rows() if self.chart else []
        # A stage chosen on the Plan tab (not the first, which is chosen until one is)
        # is what the person came to see: its bar.
        chosen = bool(self.selected and rows and self.selected != rows[0])
        if self.selected and self.chart and self.chart.row_of(self.selected) is not None:
            self.select_stage(self.selected, reveal=chosen or not under_way)
        if (under_way and not chosen) or not self.selected:
            self.action_show_today()

    def watch_zoom(self) -> None:
        self._rebuild()
        self.action_show_today()

    def _settle(self) -> None:
        """Bring the chart into view first, where a key comes before that: what the key
        does then starts from the view it opens on, however quickly it was pressed."""
        if self._first_pending and self.chart is not None:
            self._first_view()

    def action_toggle_zoom(self) -> None:
        self._settle()
        self.zoom = "months" if self.zoom == "weeks" else "weeks"

    def action_show_today(self) -> None:
        """Scroll so that today (or the start, before the project begins) is in view."""
        self._settle()
        chart = self.chart
        if chart is None or chart.today_col is None:
            self.scroll_to(x=0, animate=False, immediate=True)
            return
        chart_width = max(0, self.size.width - LABEL_WIDTH - 1)
        self.scroll_to(x=max(0, chart.today_col - chart_width // 3), animate=False,
                       immediate=True)

    def action_show_start(self) -> None:
        """Scroll back to where the project starts."""
        self._settle()
        self.scroll_to(x=0, animate=False, immediate=True)

    def _looks(self) -> tuple[object, ...]:
        """What every line depends on besides what the chart says on it."""
        return (self.scroll_offset, self.size, self.zoom, self.has_focus, self.app.theme)

    def _says(self, index: int) -> object:
        """Everything line ``index`` of the chart is drawn from (besides ``_looks``)."""
        chart = self.chart
        if chart is None or index >= chart.height:
            return None
        frame = (chart.width, chart.header, chart.marks, chart.today_col,
                 getattr(chart, "years", ""), chart.height)
        bar = chart.bars[index - 2] if 2 <= index < len(chart.bars) + 2 else None
        if bar is None:
            return (index if index < 2 else -1, frame)
        return (frame, bar, bar.stage in self.waits_for, bar.stage == self.selected)

    def _refresh_changed(self) -> None:
        """Draw again only the lines on screen that would now be drawn differently."""
        top = self.scroll_offset.y
        width = self.size.width
        for y in range(self.size.height):
            if self._drawn.get(top + y) != self._says(top + y):
                self.refresh(Region(0, y, width, 1))

    def _styles(self) -> dict[str, Style]:
        return {name: self.get_component_rich_style(f"timeline--{name}", partial=True)
                for name in ("critical", "stage", "milestone", "buffer", "today")}

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.size.width
        chart = self.chart
        base = self.rich_style
        looks = self._looks()
        if self._drawn_as != looks:  # every line is drawn again: forget the old ones
            self._drawn = {}
            self._drawn_as = looks
        self._drawn[index] = self._says(index)
        if chart is None or index >= chart.height:
            return Strip.blank(width, base)
        label, row = chart.line(index, self._styles())
        label = fit(label, LABEL_WIDTH)  # the critical mark is never cut off
        bar_index = index - 2
        bar = chart.bars[bar_index] if 0 <= bar_index < len(chart.bars) else None
        if bar is not None and self.waits_for and bar.stage in self.waits_for:
            # What the selected stage waits for: a shape beside the name, not colour alone.
            label = Text.assemble(Text(WAITED_FOR + " ", style="bold"), label)
            label = fit(label, LABEL_WIDTH)  # the critical mark is never cut off
        if self.selected and bar is not None and bar.stage == self.selected:
            label.stylize("bold reverse")  # the selected stage
        chart_width = max(0, self.scrollable_content_region.width - LABEL_WIDTH - 1)
        part = row[scroll_x:scroll_x + chart_width]
        if index == 0:
            part = _whole_labels(chart.labels, part, scroll_x)
        part.truncate(chart_width, pad=True)
        line = Text.assemble(label, Text("│", style="dim"), part, no_wrap=True, end="")
        segments = [Segment(s.text, base + s.style if s.style else base)
                    for s in line.render(self.app.console) if s.text != "\n"]
        return Strip(segments).crop(0, width).extend_cell_length(width, base)


def _whole_labels(labels: list[tuple[int, int]], part: Text, start: int) -> Text:
    """The labels along the top as far as they are in sight whole: one cut by either edge
    of the view ("eb" for "Feb", "Aug" for "23 Aug") is left out rather than shown in part."""
    end = start + len(part.plain)
    plain = list(part.plain)
    for a, b in labels:
        if a < start < b or a < end < b:
            for c in range(max(a, start), min(b, end)):
                plain[c - start] = " "
    if plain == list(part.plain):
        return part
    kept = Text("".join(plain), style=part.style)
    for span in part.spans:
        kept.stylize(span.style, span.start, span.end)
    return kept


def _free(line: list[str], column: int, length: int) -> bool:
    """Can a label of ``length`` go whole at ``column``, with a space on either side?"""
    start = max(0, column - 1)
    return column + length <= len(line) and all(ch == " " for ch in line[start:column + length + 1])
