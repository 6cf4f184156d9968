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

__all__ = ["MIN_WIDTH", "FittedTable", "fitted_widths"]

MIN_WIDTH = 14  # a column is made no narrower than this (or its widest cell)
FIRST_SHARE = 0.28  # the first column keeps at least this share of the width
PADDING = 2  # a space either side of each cell (DataTable's cell padding)
EDGE = 2  # before the table is laid out: room kept for its edge and its scrollbar


def fitted_widths(natural: Sequence[int], room: int, whole: Sequence[int] = (),
                  padding: int = PADDING, first_share: float = FIRST_SHARE) -> list[int]:
    """Column widths for a table ``room`` cells wide, from each column's ``natural``
    width (its widest cell), each column taking ``padding`` cells more.

    As many columns as can be in sight at their least are: the widest of them after the
    first give up room one cell at a time, none below ``MIN_WIDTH`` (nor those at the
    indexes in ``whole``, a date, at all); then the first, down to ``FIRST_SHARE`` of the
    width (``first_share``: more where the first column is long names, fewer columns
    then in sight).  The columns after them start at the right edge, whole, to be scrolled to: the
    last column in sight reaches the edge rather than the edge cutting the next one."""
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

    for first in (1, 0):
        while total() > room:
            narrowable = [i for i in range(first, shown) if widths[i] > least[i]]
            if not narrowable:
                break
            widest = max(narrowable, key=lambda i: (widths[i] - least[i], i))
            widths[widest] -= 1
    if shown < len(widths) and total() < room:
        widths[shown - 1] += room - total()
    return widths


class FittedTable(DataTable[Text | str]):
    """A row-per-item table whose columns fit its width (see the module's docstring)."""

    COLUMNS: tuple[str, ...] = ()
    WHOLE: tuple[str, ...] = ()  # columns never narrowed (a day cut short says nothing)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self._rows: list[tuple[str, tuple[Text | str, ...]]] = []
        self._widths: list[int] = []

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

    def _fill(self, *, force: bool = False) -> None:
        room = self.scrollable_content_region.width or self.app.size.width - 2 * EDGE
        widths = fitted_widths(self._natural(), room,
                               [self.COLUMNS.index(name) for name in self.WHOLE])
        if not force and widths == self._widths:
            return
        self._widths = widths
        row = self.cursor_row
        self.clear(columns=True)
        for label, width in zip(self.COLUMNS, widths, strict=True):
            self.add_column(fit(Text(label), width, pad=False), key=label, width=width)
        for key, cells in self._rows:
            self.add_row(*(fit(cell.copy() if isinstance(cell, Text) else Text(cell), width,
                               pad=False)
                           for cell, width in zip(cells, widths, strict=True)), key=key)
        if self._rows:
            self.move_cursor(row=min(row, len(self._rows) - 1))

    def on_resize(self, event: events.Resize) -> None:
        if self._rows:
            self._fill()
