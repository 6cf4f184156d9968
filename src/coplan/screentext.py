"""Text for a terminal of any width: lines broken only between words, and tables that fit.

People read coplan's reports in whatever window they have, often 80 columns or fewer, or in
a narrow pane beside the app.  Rich, left to itself, narrows a table that is too wide by
splitting words ("plannin/g") or cutting them short ("Decision-mak…").  The pieces here
never do: a table gets column widths no narrower than its longest word, and when even that
does not fit, the same facts are shown as a list, one item per row, wrapped with an indent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

Cell = Text | str
SMALL_WANT = 10  # cells a column may lack and still be given its whole width first


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


_WORD = re.compile(r"\s*\S+\s*")  # rich's word: the word and the spaces after it


def _one_cell_each(text: str) -> bool:
    """Whether every character of ``text`` is printable and one cell wide (no tabs, line
    breaks, wide or joining characters): then its width is its length."""
    return text.isprintable() and (text.isascii() or all(
        get_character_cell_size(c) == 1 for c in set(text)))


def cells(text: str) -> int:
    """``text``'s width in cells, as rich's ``cell_len`` counts it (a text of one-cell
    characters, the usual case, by its length)."""
    return len(text) if _one_cell_each(text) else cell_len(text)


def _divided(text: str, width: int) -> list[str]:
    """Rich's ``Text.wrap`` of a text of one-cell characters (``_one_cell_each``) with
    overflow "fold", as strings: break before a word that does not fit, split a word
    longer than a line, and cut each line to the width (its spaces at the end kept)."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # longer than a line: folded into pieces of a line each
            pieces = [word[i:i + width] for i in range(0, len(word), width)]
            for piece in pieces[:-1]:
                if start:
                    breaks.append(start)
                start += len(piece)
            if start:
                breaks.append(start)
            offset = len(pieces[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    ends = [0, *breaks, len(text)]
    return [text[a:b][:width] for a, b in pairwise(ends)]


def wrapped_plain(text: str, width: int) -> list[str] | None:
    """What ``wrapped`` gives for ``text`` (as plain strings), worked out without rich,
    for a text of printable characters one cell wide each (``_one_cell_each``); None for
    any other text, to be wrapped by ``wrapped``."""
    if not _one_cell_each(text):
        return None
    width = max(width, 10)
    if len(text) <= width:
        return [text.rstrip()]
    return [line.rstrip() for line in _divided(text, width)]


def indented(console: Console, text: Text, width: int, indent: int,
             first: Text | None = None) -> Iterable[Text]:
    """``text`` wrapped to ``width`` with every line indented by ``indent`` cells; when
    ``first`` is given it stands at the start of the first line instead of the indent."""
    lines = wrapped(console, text, width - indent)
    for n, line in enumerate(lines):
        yield ((first if first is not None and n == 0 else Text(" " * indent)) + line)


def _longest_word(cell: Cell) -> int:
    text = cell.plain if isinstance(cell, Text) else cell
    if _one_cell_each(text):  # then so is every word: its width is its length
        return max(map(len, text.split()), default=0)
    return max((Text(word).cell_len for word in text.split()), default=0)


def _width(cell: Cell) -> int:
    text = cell.plain if isinstance(cell, Text) else cell
    if _one_cell_each(text):  # printable: one line
        return len(text)
    return max((Text(line).cell_len for line in text.splitlines()), default=0)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[Cell]],
                  wrap: Sequence[bool], room: int, gap: int = 2) -> list[int] | None:
    """Widths for the columns so that the table fits in ``room`` cells with no word split,
    or None when it cannot.  Columns that may wrap are narrowed, never below their longest
    word; the others keep their full width.  Spare room goes to the wrapping columns in
    proportion to what they would still like."""
    columns = list(zip(headers, *rows, strict=False)) if rows else [(h,) for h in headers]
    most = [max(_width(c) for c in column) for column in columns]
    least = [max(_longest_word(c) for c in column) if w else m
             for column, w, m in zip(columns, wrap, most, strict=True)]
    room -= gap * (len(headers) - 1)
    if sum(most) <= room:
        return most
    if sum(least) > room:
        return None
    widths = list(least)
    spare = room - sum(widths)
    # Columns that need only a little more to sit on one line (a date, "on time") get it
    # first: a short value broken over two lines reads worse than a long title that wraps.
    for i in sorted(range(len(widths)), key=lambda i: most[i] - least[i]):
        want = most[i] - widths[i]
        if 0 < want <= SMALL_WANT and want <= spare:
            widths[i] += want
            spare -= want
    wants = [m - n for m, n in zip(most, widths, strict=True)]
    total_want = sum(wants)
    for i, want in enumerate(wants):
        widths[i] += spare * want // total_want if total_want else 0
    # Hand out what integer division left over, one cell at a time, to columns still short.
    left = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: -(most[i] - widths[i])):
        if left <= 0:
            break
        if widths[i] < most[i]:
            widths[i] += 1
            left -= 1
    return widths


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
