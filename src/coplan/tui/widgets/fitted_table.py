"""A table of a few hundred rows whose columns fit the screen's width.

Textual's ``DataTable`` makes each column as wide as its widest cell and lets the row run
off the right of a narrow screen: at 80 columns the Delivery tab's session names were out of
sight altogether, and the last column in sight was cut in the middle of a word ("Trust
resear").  Here each table says which column tells its rows apart (the first, always
whole while it can be); when the row is too wide for the screen, the widest of the other
columns give up room first, down to ``MIN_WIDTH``, and a cell too long for its column is
cut between words with "…" (``fit``).  The widths are worked out again when the screen's
width changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from coplan.tui.widgets.fit import fit

__all__ = ["MIN_WIDTH", "FittedTable", "fitted_widths", "stacked"]

MIN_WIDTH = 14  # a column is made no narrower than this (or its widest cell)
FIRST_SHARE = 0.28  # the first column keeps at least this share of the width
PADDING = 2  # a space either side of each cell (DataTable's cell padding)
EDGE = 2  # before the table is laid out: room kept for its edge and its scrollbar


def fitted_widths(natural: Sequence[int], room: int, whole: Sequence[int] = (),
                  padding: int = PADDING, first_share: float = FIRST_SHARE,
                  keep: Sequence[int] = ()) -> list[int]:
    """Column widths for a table ``room`` cells wide, from each column's ``natural``
    width (its widest cell), each column taking ``padding`` cells more.

    As many columns as can be in sight at their least are: the widest of them after the
    first give up room one cell at a time, none below ``MIN_WIDTH`` (nor those at the
    indexes in ``whole``, a date, at all); then the first, down to ``FIRST_SHARE`` of the
    width (``first_share``: more where the first column is long names, fewer columns
    then in sight).  The columns at the indexes in ``keep`` (words that say how things
    stand) give up room last of all.  The columns after them start at the right edge,
    whole, to be scrolled to: the last column in sight reaches the edge rather than the
    edge cutting the next one."""
    widths = list(natural)
    if not widths:
        return widths
    least = [w if i in whole else min(w, MIN_WIDTH) for i, w in enumerate(widths)]
    least[0] = min(widths[0], max(MIN_WIDTH, int(room * first_share)))
    shown, used = 0, 0
    for width in least:
        if used + width + padding > room and shown:
            break
        used += width + padding
        shown += 1

    def total() -> int:
        return sum(w + padding for w in widths[:shown])

    for first, kept in ((1, True), (0, True), (0, False)):
        while total() > room:
            narrowable = [i for i in range(first, shown) if widths[i] > least[i]
                          and not (kept and i in keep)]
            if not narrowable:
                break
            widest = max(narrowable, key=lambda i: (widths[i] - least[i], i))
            widths[widest] -= 1
    if shown < len(widths) and total() < room:
        widths[shown - 1] += room - total()
    return widths


def stacked(columns: Sequence[str], pairs: Sequence[tuple[str, str]]
            ) -> list[tuple[int, ...]]:
    """The columns of a table whose row is two lines high: each of ``pairs`` (upper,
    lower) shares one column, the lower under the upper; as indexes into ``columns``, in
    their order (the place of the upper)."""
    lower = {columns.index(b): columns.index(a) for a, b in pairs}
    upper = {a: b for b, a in lower.items()}
    return [(i, upper[i]) if i in upper else (i,)
            for i in range(len(columns)) if i not in lower]


class FittedTable(DataTable[Text | str]):
    """A row-per-item table whose columns fit its width (see the module's docstring).

    A table whose row is wider than the screen even with its columns at their least
    (``fitted_widths`` leaves some out of sight, to be scrolled to) stacks the pairs
    it names in ``STACK`` (upper, lower): each pair shares one column, its row two lines
    high, so that every column's words are in sight without scrolling sideways."""

    COLUMNS: tuple[str, ...] = ()
    WHOLE: tuple[str, ...] = ()  # columns never narrowed (a day cut short says nothing)
    # Columns whose words say how things stand ("⚠ 2 overdue since 26 Aug"): they give up
    # room last, and the row is stacked (``STACK``) sooner than they are cut.
    WORDS: tuple[str, ...] = ()
    STACK: tuple[tuple[str, str], ...] = ()  # (upper, lower): one column, when narrow

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self._rows: list[tuple[str, tuple[Text | str, ...]]] = []
        self._widths: list[int] = []
        self._columns: list[tuple[int, ...]] | None = None

    def on_mount(self) -> None:
        for column in self.COLUMNS:
            self.add_column(column, key=column)

    def set_rows(self, rows: Sequence[tuple[str, Sequence[Text | str]]]) -> None:
        """Show these rows (key, cells), the cursor kept on the same line."""
        self._rows = [(key, tuple(cells)) for key, cells in rows]
        self._fill(force=True)

    def values(self, key: str) -> dict[str, Text | str]:
        """A row's cells by column, whole (as they were given, before any was cut short
        to fit the screen)."""
        cells = next(cells for k, cells in self._rows if k == key)
        return dict(zip(self.COLUMNS, cells, strict=True))

    def _natural(self) -> list[int]:
        widths = [len(label) for label in self.COLUMNS]
        for _, cells in self._rows:
            for i, cell in enumerate(cells):
                length = cell.cell_len if isinstance(cell, Text) else Text(cell).cell_len
                widths[i] = max(widths[i], length)
        return widths

    def _layout(self, room: int) -> tuple[list[tuple[int, ...]], list[int]]:
        """The columns on a screen ``room`` cells wide (each a tuple of the indexes of
        ``COLUMNS`` it shows, one above the other) and their widths."""
        natural = self._natural()
        whole = [self.COLUMNS.index(name) for name in self.WHOLE]
        words = [self.COLUMNS.index(name) for name in self.WORDS]
        columns: list[tuple[int, ...]] = [(i,) for i in range(len(self.COLUMNS))]
        widths = fitted_widths(natural, room, whole, keep=words)

        def cut(columns: list[tuple[int, ...]], widths: list[int]) -> int:
            """How many of the columns of words are cut short (or out of sight)."""
            shown = {i: w for c, w in zip(columns, widths, strict=True) for i in c}
            return sum(1 for i in words if shown.get(i, 0) < natural[i])

        if self.STACK and (sum(w + PADDING for w in widths) > room or cut(columns, widths)):
            two = stacked(self.COLUMNS, self.STACK)
            two_widths = fitted_widths(
                [max(natural[i] for i in c) for c in two], room,
                [n for n, c in enumerate(two) if any(i in whole for i in c)],
                keep=[n for n, c in enumerate(two) if any(i in words for i in c)])
            if sum(w + PADDING for w in widths) > room or \
                    cut(two, two_widths) < cut(columns, widths):
                columns, widths = two, two_widths
        return columns, widths

    @property
    def stacked(self) -> bool:
        """Whether the rows are two lines high, pairs of columns sharing one (``STACK``)."""
        return self._columns is not None and len(self._columns) < len(self.COLUMNS)

    def _fill(self, *, force: bool = False) -> None:
        room = self.scrollable_content_region.width or self.app.size.width - 2 * EDGE
        columns, widths = self._layout(room)
        if not force and widths == self._widths and columns == self._columns:
            return
        self._widths, self._columns = widths, columns
        row = self.cursor_row
        self.clear(columns=True)
        height = max(len(c) for c in columns) if columns else 1
        self.header_height = height

        def cell(of: tuple[Text | str, ...], indexes: tuple[int, ...], width: int) -> Text:
            lines = [fit(value.copy() if isinstance(value, Text) else Text(value), width,
                         pad=False) for value in (of[i] for i in indexes)]
            return Text("\n").join(lines)

        labels = tuple(Text(label) for label in self.COLUMNS)
        for indexes, width in zip(columns, widths, strict=True):
            self.add_column(cell(labels, indexes, width), key=self.COLUMNS[indexes[0]],
                            width=width)
        for key, cells in self._rows:
            self.add_row(*(cell(cells, indexes, width)
                           for indexes, width in zip(columns, widths, strict=True)),
                         key=key, height=height)
        if self._rows:
            self.move_cursor(row=min(row, len(self._rows) - 1))
        self._room = room
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        """Fit again when the room changed as the rows went in (a vertical scrollbar
        came or went once they were laid out: the table no longer fitted its room)."""
        room = self.scrollable_content_region.width
        if self._rows and room and room != getattr(self, "_room", room):
            self._fill()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        """A vertical scrollbar that comes or goes takes or gives back the room of its
        width, and it can come a refresh after the rows went in (once they are laid out):
        fit to the new room then, or the last column stays cut by the edge.  This cannot
        go back and forth: a narrower room only ever makes the rows as high or higher
        (pairs stacked two lines high), so the scrollbar it brought stays."""
        if self._rows:
            self.call_after_refresh(self._refit)

    def on_resize(self, event: events.Resize) -> None:
        if self._rows:
            self._fill()
