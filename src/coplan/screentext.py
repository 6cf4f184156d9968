"""Text for a terminal of any width: lines broken only between words, and tables that fit.

People read coplan's reports in whatever window they have, often 80 columns or fewer, or in
a narrow pane beside the app.  Rich, left to itself, narrows a table that is too wide by
splitting words ("plannin/g") or cutting them short ("Decision-mak…").  The pieces here
never do: a table gets column widths no narrower than its longest word, and when even that
does not fit, the same facts are shown as a list, one item per row, wrapped with an indent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from coplan.plaintext import SMALL_WANT, cells, one_cell_each, wrapped_plain
from coplan.plaintext import column_widths as plain_column_widths
from coplan.plaintext import divided as _divided

Cell = Text | str
__all__ = ["SMALL_WANT", "Cell", "FittedTable", "Listing", "cells", "column_widths", "heading",
           "indented", "wrapped", "wrapped_plain"]


def wrapped(console: Console, text: Text, width: int) -> list[Text]:
    """``text`` broken into lines of at most ``width`` cells at spaces (only a word longer
    than a whole line is ever split), with no trailing spaces."""
    plain = text.plain
    if text.justify in (None, "default") and "\n" not in plain and "\t" not in plain \
            and cell_len(plain) <= max(width, 10):
        line = text.copy()  # one line that fits: what wrapping it would give
        line.rstrip()
        return [line]
    lines = list(text.wrap(console, max(width, 10), overflow="fold"))
    for line in lines:
        line.rstrip()  # in place
    return lines or [Text("")]


def _one_cell_each(text: str) -> bool:
    return one_cell_each(text)


def indented(console: Console, text: Text, width: int, indent: int,
             first: Text | None = None) -> Iterable[Text]:
    """``text`` wrapped to ``width`` with every line indented by ``indent`` cells; when
    ``first`` is given it stands at the start of the first line instead of the indent."""
    lines = wrapped(console, text, width - indent)
    for n, line in enumerate(lines):
        yield ((first if first is not None and n == 0 else Text(" " * indent)) + line)


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Cell]],
                  wrap: Sequence[bool], room: int, gap: int = 2) -> list[int] | None:
    """``plaintext.column_widths`` of the cells' texts."""
    return plain_column_widths(headers, [[_plain(c) for c in row] for row in rows], wrap,
                               room, gap)


class FittedTable:
    """A table of rows that is drawn as a table when it fits the width without splitting a
    word, and otherwise as a list made by ``as_lines`` (one entry per row)."""

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[Cell]], *,
                 wrap: Sequence[bool], as_lines: Callable[[Sequence[Cell]], Text],
                 justify: Sequence[str] | None = None, table: Callable[[], Table] | None = None,
                 ) -> None:
        self.headers, self.rows, self.wrap = list(headers), [list(r) for r in rows], list(wrap)
        self.as_lines = as_lines
        self.justify = list(justify) if justify else ["left"] * len(self.headers)
        self.make_table = table or self._default_table

    def plain_lines(self, console: Console, width: int) -> list[str] | None:
        """The lines this prints at ``width`` as plain text, worked out without drawing
        the table with rich (a large plan's table has thousands of rows), for a table of
        coplan's own kind whose every cell is one-cell characters (``_one_cell_each``)
        justified left; None for any other, to be drawn by rich."""
        if self.make_table is not self._default_table or \
                any(j != "left" for j in self.justify):
            return None
        table: list[list[Cell]] = [list(self.headers), *self.rows]
        texts: list[list[str]] = []
        for cells_of_row in table:
            row_texts = [_plain_cell(console, c) for c in cells_of_row]
            if None in row_texts:
                return None
            texts.append([t or "" for t in row_texts])
        widths = column_widths(self.headers, self.rows, self.wrap, width, gap=2)
        if widths is None or min(widths, default=0) < 1 or sum(widths) + 2 * (
                len(widths) - 1) > width:
            return None
        last = len(widths) - 1
        out: list[str] = []
        for number, row in enumerate(texts):
            columns = [(_divided(c, w) if wraps else [c[:w]]) if c else [""]
                       for c, w, wraps in zip(row, widths, self.wrap, strict=True)]
            height = max(len(lines) for lines in columns)
            if number == 0:  # rich sets the headers at the foot of their row
                columns = [[""] * (height - len(lines)) + lines for lines in columns]
            for n in range(height):
                out.append("".join(
                    ("" if i == 0 else " ") + (lines[n] if n < len(lines) else "").ljust(w)
                    + ("" if i == last else " ")
                    for i, (lines, w) in enumerate(zip(columns, widths, strict=True))
                ).rstrip())
        return out

    @staticmethod
    def _default_table() -> Table:
        return Table(box=None, pad_edge=False, show_edge=False, header_style="bold")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.make_table()
        _top, right, _bottom, left = table.padding
        gap = right + left + (1 if table.box is not None else 0)
        edges = (2 if table.box is not None and table.show_edge else 0) + (
            right + left if table.pad_edge else 0)
        widths = column_widths(self.headers, self.rows, self.wrap,
                               options.max_width - edges, gap=gap)
        if widths is None:
            for row in self.rows:
                yield from indented(console, self.as_lines(row), options.max_width, 4,
                                    first=Text("  "))
            return
        for header, width, wraps, justify in zip(self.headers, widths, self.wrap,
                                                 self.justify, strict=True):
            table.add_column(header, width=width, no_wrap=not wraps, overflow="fold",
                             justify=justify)  # type: ignore[arg-type]
        for row in self.rows:
            table.add_row(*row)
        # Drawn line by line without the spaces that pad the last column, so that copied or
        # saved output has no trailing blanks.
        for line in console.render_lines(table, options, pad=False):
            text = Text()
            for segment in line:
                if not segment.control:
                    text.append(segment.text, segment.style)
            text.rstrip()
            yield text


def _plain_cell(console: Console, cell: Cell) -> str | None:
    """A table cell's text as rich prints it (a string is read as rich markup, with
    emoji codes), when all its characters are one cell wide; else None."""
    if isinstance(cell, Text):
        text = cell.plain
    elif "[" in cell or ":" in cell:
        try:
            text = console.render_str(cell).plain
        except Exception:  # rich's own drawing says what is wrong with it
            return None
    else:
        text = cell
    return text if _one_cell_each(text) else None


class Listing:
    """A label and a list of items ("Reflection checkpoints: 31 Mar 2027, 13 May 2027, …")
    broken into lines only between items, never inside one (a date stays whole), with the
    lines after the first indented."""

    def __init__(self, label: Text, items: Sequence[str], separator: str = ", ",
                 indent: int = 2) -> None:
        self.label, self.items, self.separator, self.indent = label, list(items), separator, indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        line = self.label.copy()
        for n, item in enumerate(self.items):
            piece = item + (self.separator.rstrip() if n < len(self.items) - 1 else "")
            gap = "" if n == 0 else " "
            if n and line.cell_len + len(gap) + Text(piece).cell_len > width:
                yield line
                line = Text(" " * self.indent)
                gap = ""
            room = width - line.cell_len - len(gap)
            if Text(piece).cell_len > room:
                # One item longer than a line: only then is it broken, between its words,
                # starting on the line it belongs to.
                words = piece.split(" ")
                head: list[str] = []
                while words and Text(" ".join([*head, words[0]])).cell_len <= room:
                    head.append(words.pop(0))
                if head:
                    line.append(gap + " ".join(head))
                for part in wrapped(console, Text(" ".join(words)), width - self.indent):
                    if line.plain.strip():
                        yield line
                    line = Text(" " * self.indent) + part
                continue
            line.append(gap + piece)
        yield line


def heading(text: str) -> RenderableType:
    """A table's title as its own line, so it is never padded or cut to the table's width."""
    return Text(text, style="bold")
