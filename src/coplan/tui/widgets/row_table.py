"""A table that draws only the rows on screen, so a plan of thousands of stages (or a
review of thousands of findings) opens and updates at once.

Textual's ``DataTable`` measures every cell of every row it is given; with a thousand
stages and four thousand findings that alone takes seconds, and it cannot insert a row in
the middle.  Here the rows are a list of keys and a function that makes one row's cells
when (and only when) that row is drawn, so replacing every row costs next to nothing.

Columns have fixed widths (the last may take the rest of the line); on a screen too narrow
for them the columns in sight give up room, so that none is cut off by the edge.  Up, down, Page Up,
Page Down, Home and End move the cursor; Enter (or a click on the highlighted row) chooses
it.  The cursor is drawn in reverse video, so it never relies on colour alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from coplan.tui.widgets.fit import fit, without_bar
from coplan.tui.widgets.fitted_table import fitted_widths

Cell = str | tuple[str, str]
"""A cell: plain text, or (text, meaning) where meaning is one of "error", "warning", "ok",
"info" or "muted" and is drawn in the theme's colour for it.  Cells are plain values, so a
row that has not changed is drawn from the cache even after every row was replaced."""
RowFunction = Callable[[int], Sequence[Cell]]


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a row table: its label and width."""

    label: str
    width: int  # 0: whatever is left of the line (only for the last column)


class RowTable(ScrollView, can_focus=True):
    """Rows drawn on demand; the cursor row is ``cursor_row``, its key ``cursor_key``."""

    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        & > .rowtable--header { text-style: bold; background: $panel; color: $foreground; }
        & > .rowtable--even-row { background: $surface-lighten-1 50%; }
        & > .rowtable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .rowtable--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .rowtable--empty { text-style: italic; }
        & > .rowtable--error { color: $text-error; text-style: bold; }
        & > .rowtable--warning { color: $text-warning; }
        & > .rowtable--ok { color: $text-success; }
        & > .rowtable--info { color: $text-secondary; }
        & > .rowtable--muted { color: $foreground 70%; }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "rowtable--header", "rowtable--even-row", "rowtable--cursor", "rowtable--empty",
        "rowtable--error", "rowtable--warning", "rowtable--ok", "rowtable--info",
        "rowtable--muted"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "choose", "Choose", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    class _RowMessage(Message):
        def __init__(self, table: RowTable, index: int, key: str | None) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.key = key

        @property
        def control(self) -> RowTable:
            return self.table

    class RowHighlighted(_RowMessage):
        """The cursor moved to a row."""

    class RowSelected(_RowMessage):
        """A row was chosen (Enter, or a click on the highlighted row)."""

    def __init__(self, columns: Sequence[Column], *, empty: str = "Nothing here yet.",
                 name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.empty = empty
        self.keys: list[str] = []
        self._index: dict[str, int] = {}
        self._make_row: RowFunction = lambda i: ()
        self._cache: dict[tuple[Cell, ...], list[Segment]] = {}
        # The cells each row on screen was last drawn with, by row, and what the whole
        # table was drawn with (the columns, the lines the rows start at): replacing the
        # rows draws again only the lines whose cells changed.
        self._drawn: dict[int, tuple[Cell, ...]] = {}
        self._drawn_as: tuple[object, ...] = ()
        self._fitted: tuple[object, list[int]] = ((), [])  # widths, and what for

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme: object) -> None:
        self._cache.clear()
        self.refresh()

    # -- data -----------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return len(self.keys)

    def set_rows(self, keys: Sequence[str], make_row: RowFunction, *,
                 keep: str | None = None) -> None:
        """Replace every row; the cursor stays on ``keep`` (or the current key) if present,
        and otherwise on the same position."""
        keep = keep if keep is not None else self.cursor_key
        old_row = self.cursor_row
        old_count = len(self.keys)
        self.keys = list(keys)
        self._index = {k: i for i, k in enumerate(self.keys)}
        self._make_row = make_row
        self._set_virtual_size(Size(self._line_width(), len(self.keys) + 1))
        row = self._index.get(keep, old_row) if keep is not None else old_row
        row = max(0, min(row, len(self.keys) - 1))
        if row != self.cursor_row or keep != self.cursor_key:
            self.cursor_row = row  # (draws every line again)
        if old_count == len(self.keys) and self.keys and self._drawn_as == self._looks():
            self._refresh_changed()
        else:
            self.refresh()

    def _set_virtual_size(self, size: Size) -> None:
        """Set the size of the rows.  A change of their number alone, in a table whose
        own size the layout fixes and whose scrollbar shows before and after, needs no
        layout of the whole screen (Textual lays out every widget again when a virtual
        size changes, and draws the screen again: a quarter of adding a stage): the
        scrollbar is told the new size, and the table is drawn again."""
        old = self.virtual_size
        height = self.styles.height
        parent = self.parent
        if (size.width == old.width and size.height != old.height
                and self.styles.overflow_y == "auto" and self.show_vertical_scrollbar
                and height is not None and not height.is_auto
                and self.styles.min_height is None and self.styles.max_height is None
                and isinstance(parent, Widget) and parent.styles.height is not None
                and not parent.styles.height.is_auto
                and min(old.height, size.height) > self.size.height):
            self.set_reactive(RowTable.virtual_size, size)
            self.vertical_scrollbar.window_virtual_size = size.height
            self.scroll_y = self.validate_scroll_y(self.scroll_y)
            return
        self.virtual_size = size

    def _looks(self) -> tuple[object, ...]:
        """What every line of the table depends on besides its own row's cells."""
        return (tuple(self.columns), self.empty, self.cursor_row, self.scroll_offset,
                self.size, self.has_focus, self.app.theme)

    def _refresh_changed(self) -> None:
        """Draw again only the lines on screen whose row's cells are not what they
        were drawn with."""
        top = self.scroll_offset.y
        width = self.size.width
        drawn = self._drawn
        for index in range(top, min(top + max(0, self.size.height - 1), len(self.keys))):
            if drawn.get(index) != tuple(self._make_row(index)):
                self.refresh(Region(0, index - top + 1, width, 1))


    @property
    def cursor_key(self) -> str | None:
        if 0 <= self.cursor_row < len(self.keys):
            return self.keys[self.cursor_row]
        return None

    def index_of(self, key: str) -> int | None:
        return self._index.get(key)

    def move_to(self, key: str) -> bool:
        index = self._index.get(key)
        if index is None:
            return False
        self.cursor_row = index
        return True

    # -- cursor ---------------------------------------------------------------------------
    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self.keys) - 1)) if self.keys else 0

    def watch_cursor_row(self, row: int) -> None:
        self._keep_in_view(row)
        self.refresh()
        self.post_message(self.RowHighlighted(self, row, self.cursor_key))

    def _keep_in_view(self, row: int) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False, immediate=True)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 2)

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= self._page()

    def action_page_down(self) -> None:
        self.cursor_row += self._page()

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self.keys) - 1

    def action_choose(self) -> None:
        if self.keys:
            self.post_message(self.RowSelected(self, self.cursor_row, self.cursor_key))

    async def _on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        row = event.y - 1 + round(self.scroll_y)
        if not 0 <= row < len(self.keys):
            return
        if row == self.cursor_row:
            self.action_choose()
        else:
            self.cursor_row = row

    # -- drawing --------------------------------------------------------------------------
    def _widths(self) -> list[int]:
        """The columns' widths on this screen: as declared, the last one taking what is
        left of the line; on a screen too narrow for them, fitted (``fitted_widths``:
        the columns in sight give up room, none cut by the edge)."""
        room = self.scrollable_content_region.width
        key = (tuple(self.columns), room)
        if self._fitted[0] == key:
            return self._fitted[1]
        widths = [c.width for c in self.columns]
        if widths and widths[-1] == 0:
            used = sum(w + 1 for w in widths[:-1])
            widths[-1] = max(10, room - used - 2)
        if room > 0 and sum(w + 1 for w in widths) + 1 > room:
            widths = fitted_widths(widths, room - 1, padding=1, first_share=0.5)
        self._fitted = (key, widths)
        return widths

    def _line_width(self) -> int:
        return sum(w + 1 for w in self._widths()) + 1

    def on_resize(self) -> None:
        self._cache.clear()  # a column that takes the rest of the line changed width
        self.virtual_size = Size(self._line_width(), len(self.keys) + 1)
        self._keep_in_view(self.cursor_row)

    def _assemble(self, cells: Sequence[Cell]) -> Text:
        line = Text(" ", end="", no_wrap=True)
        for width, cell, column in zip(self._widths(), cells, self.columns, strict=False):
            if isinstance(cell, tuple):
                text = Text(cell[0], style=self.get_component_rich_style(
                    f"rowtable--{cell[1]}", partial=True))
            else:
                text = Text(cell)
            if width < column.width:  # narrowed: its bars give way in every row alike,
                text = without_bar(text)  # its words stay ("Deepest rung": the rung)
            text = fit(text, width)  # a mark at its end, such as "(copy)", kept
            line.append_text(text)
            line.append(" ")
        return line

    def _segments(self, cells: Sequence[Cell]) -> list[Segment]:
        """A row drawn once (without the row's own background), then kept."""
        key = tuple(cells)
        segments = self._cache.get(key)
        if segments is None:
            segments = [s for s in self._assemble(cells).render(self.app.console)
                        if s.text != "\n"]
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[key] = segments
        return segments

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if y == 0:
            style = self.get_component_rich_style("rowtable--header")
            return self._strip(self._segments([c.label for c in self.columns]), style,
                               scroll_x, width)
        index = y - 1 + scroll_y
        base = self.rich_style
        if not self.keys:
            if y == 1:
                style = self.get_component_rich_style("rowtable--empty")
                empty = [s for s in Text(" " + self.empty, end="").render(self.app.console)]
                return self._strip(empty, base + style, 0, width)
            return Strip.blank(width, base)
        if index >= len(self.keys):
            return Strip.blank(width, base)
        style = base
        if index % 2:
            style += self.get_component_rich_style("rowtable--even-row")
        over = None
        if index == self.cursor_row:
            # The cursor's colours win over a cell's own, so the row reads as one bar.
            over = self.get_component_rich_style("rowtable--cursor")
            style += over
        cells = tuple(self._make_row(index))
        looks = self._looks()
        if self._drawn_as != looks:  # every line is drawn again: forget the old ones
            self._drawn = {}
            self._drawn_as = looks
        self._drawn[index] = cells
        return self._strip(self._segments(cells), style, scroll_x, width, over)

    def _strip(self, drawn: list[Segment], style: Style, scroll_x: int, width: int,
               over: Style | None = None) -> Strip:
        segments = [Segment(s.text, style + s.style if s.style else style) for s in drawn]
        if over is not None:
            segments = [Segment(s.text, (s.style or style) + over) for s in segments]
        return Strip(segments).crop(scroll_x, scroll_x + width).extend_cell_length(width,
                                                                                    style)
