"""Text laid out as rich lays it out, for output that is plain text (a file, a pipe, a CI
log), worked out without importing rich's console, text and tables (15 ms of a command's
start-up).  ``screentext`` draws with rich where styles are shown; these give the same
characters where they are not.  Widths of characters beyond ASCII are counted by rich's
own ``rich.cells`` (imported only when such a character appears, past the few that rich
counts one cell wide and coplan's reports use: ``ONE_CELL``), so they agree with it.
"""

from __future__ import annotations

import builtins
import os
import re
import sys
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import IO

SMALL_WANT = 10  # cells a column may lack and still be given its whole width first

_WORD = re.compile(r"\s*\S+\s*")  # rich's word: the word and the spaces after it

# Characters beyond ASCII that rich counts one cell wide, known without asking it
# (importing rich.cells is 1.4 ms): Latin-1's printable letters and signs, the marks
# coplan's reports and tables draw, and English typography.  A test asks rich of each.
ONE_CELL = frozenset(
    [chr(c) for c in range(0xA1, 0x100) if chr(c).isprintable()]
    + list("\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u203a\u20ac\u2192\u2500\u2588"
           "\u25a0\u25b2\u25c6\u25cf\u270e\u2714\u2716"))


def one_cell_each(text: str) -> bool:
    """Whether every character of ``text`` is printable and one cell wide (no tabs, line
    breaks, wide or joining characters): then its width is its length."""
    if not text.isprintable():
        return False
    if text.isascii():
        return True
    others = set(text).difference(ONE_CELL)
    if "".join(others).isascii():  # (each of them is)
        return True
    from rich.cells import get_character_cell_size

    return all(get_character_cell_size(c) == 1 for c in others)


def cells(text: str) -> int:
    """``text``'s width in cells, as rich's ``cell_len`` counts it (a text of one-cell
    characters, the usual case, by its length)."""
    if one_cell_each(text):
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def divided(text: str, width: int) -> list[str]:
    """Rich's ``Text.wrap`` of a text of one-cell characters (``one_cell_each``) with
    overflow "fold", as strings: break before a word that does not fit, split a word
    longer than a line, and cut each line to the width (its spaces at the end kept)."""
    if text[:1] != " " and "  " not in text and width > 0 and text.isprintable() and \
            max(map(len, text.split(" "))) <= width:  # (printable: " " its only space)
        return _divided_simply(text, width)
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


def _divided_simply(text: str, width: int) -> list[str]:
    """``divided`` for a text whose words are one space apart, none longer than a line
    (the usual message): each line ends before the first word that would pass the
    width, found with ``str.rfind`` from the width on rather than word by word (a line
    keeps the space after its last word, as ``divided`` does, and is cut to the width).
    The whole text fits where the end of its last word does."""
    end = len(text.rstrip(" "))
    rfind = text.rfind
    lines = []
    start = 0
    while end > start + width:
        limit = start + width  # the first place past the line
        # a word that ends at the limit fits; else the line ends before the word there
        cut = limit + 1 if text[limit] == " " else rfind(" ", start, limit) + 1
        lines.append(text[start:cut][:width])
        start = cut
    lines.append(text[start:][:width])
    return lines


def wrapped_plain(text: str, width: int) -> list[str] | None:
    """What ``screentext.wrapped`` gives for ``text`` (as plain strings), for a text of
    printable characters one cell wide each (``one_cell_each``); None for any other text,
    to be wrapped by rich."""
    if not one_cell_each(text):
        return None
    width = max(width, 10)
    if len(text) <= width:
        return [text.rstrip()]
    return [line.rstrip() for line in divided(text, width)]


def printed(text: str, width: int) -> list[str] | None:
    """The lines rich's ``Console.print`` writes for a ``Text`` of ``text`` (no styles
    that change its characters, justified by default) at ``width``: the text itself when
    it fits, else wrapped as ``Text.wrap`` wraps it, with the spaces at a line's end kept.
    None for a text that is not one-cell characters, to be printed by rich."""
    if not one_cell_each(text) or width < 1:
        return None
    return [text] if len(text) <= width else divided(text, width)


def _longest_word(text: str) -> int:
    if one_cell_each(text):  # then so is every word: its width is its length
        return max(map(len, text.split()), default=0)
    return max((cells(word) for word in text.split()), default=0)


def _width(text: str) -> int:
    if one_cell_each(text):  # printable: one line
        return len(text)
    return max((cells(line) for line in text.splitlines()), default=0)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]],
                  wrap: Sequence[bool], room: int, gap: int = 2) -> list[int] | None:
    """Widths for the columns (of the cells' texts) so that the table fits in ``room``
    cells with no word split, or None when it cannot.  Columns that may wrap are narrowed,
    never below their longest word; the others keep their full width.  Spare room goes to
    the wrapping columns in proportion to what they would still like."""
    # (each column's widths from its distinct texts: a long table repeats many)
    columns = [set(column) for column in zip(headers, *rows, strict=False)] if rows else \
        [{h} for h in headers]
    most = [max(map(_width, column)) for column in columns]
    least = [max(map(_longest_word, column)) if w else m
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


def plain_width(file: IO[str] | None, width: int | None = None,
                environ: dict[str, str] | None = None) -> int | None:
    """The width a ``rich.console.Console(file=file, width=width)`` lays text out at when
    it writes plain text to ``file`` (standard output when None), or None where it would
    write anything else: styles (a terminal, or ``FORCE_COLOR`` / ``TTY_COMPATIBLE=1``
    saying to act as one), Windows' own console, a notebook.  Follows rich's
    ``Console.is_terminal`` and ``Console.size``."""
    env = os.environ if environ is None else environ
    if sys.platform == "win32" or hasattr(builtins, "get_ipython") or \
            getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return None
    target = sys.stdout if file is None else file
    if target is None:
        return None
    encoding = (getattr(target, "encoding", None) or "utf-8").lower()
    if not encoding.startswith("utf"):  # rich would draw boxes and rules in ASCII
        return None
    compatible = env.get("TTY_COMPATIBLE", "")
    if compatible == "1":
        return None
    if compatible != "0":
        force = env.get("FORCE_COLOR")
        if force is not None:
            if force != "":
                return None
        else:
            isatty = getattr(target, "isatty", None)
            try:
                if isatty is not None and isatty():
                    return None
            except ValueError:
                pass
    columns = env.get("COLUMNS")
    if width is None and columns is not None and columns.isdigit():
        width = int(columns)
    if width is not None:
        return width if width >= 1 else None
    found = None
    for descriptor in (0, 1, 2):
        try:
            found = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return found or 80


_EMOJI_CODE = re.compile(r":\S*?:")  # where rich could read an emoji code (":smile:")


def as_printed_cell(text: str) -> str | None:
    """A table cell given as a string, as rich draws it (it reads a string as markup with
    emoji codes): the string itself where it holds neither a bracket nor anything between
    two colons that could be an emoji code, and is one-cell characters; else None."""
    if "[" in text or (":" in text and _EMOJI_CODE.search(text)) or not one_cell_each(text):
        return None
    return text


def table_lines(headers: Sequence[str], rows: Sequence[Sequence[str]], wrap: Sequence[bool],
                width: int, *, justify: Sequence[str] | None = None, rule: bool = False,
                in_words: Callable[[Sequence[str]], str] | None = None) -> list[str] | None:
    """The lines of ``screentext.FittedTable`` at ``width`` for cells that are one-cell
    text as drawn (``as_printed_cell``): the columns two cells apart, headers at the foot
    of their row, with a rule of "─" under them when ``rule`` (rich's ``SIMPLE_HEAD``
    box without edges); where the table does not fit, each row ``in_words``, wrapped with
    an indent.  None where a cell is not such text, or a line would be wider than
    ``width`` (rich would break it again)."""
    if not all(map(one_cell_each, {c for row in [headers, *rows] for c in row})):
        return None
    justify = list(justify) if justify else ["left"] * len(headers)
    widths = column_widths(headers, rows, wrap, width, gap=2)
    out: list[str] = []
    # Each distinct row is laid out once (a long table repeats many: each stage's rung).
    done: dict[tuple[str, ...], list[str]] = {}
    if widths is None:
        if in_words is None:
            return None
        for row in rows:
            key = tuple(row)
            lines = done.get(key)
            if lines is None:
                wrapped = wrapped_plain(in_words(row), width - 4)
                if wrapped is None:
                    return None
                lines = done[key] = [("  " if n == 0 else "    ") + line
                                     for n, line in enumerate(wrapped)]
                if any(len(line) > width for line in lines):
                    return None
            out.extend(lines)
        return out
    if min(widths, default=0) < 1:
        return None
    layout = list(zip(widths, wrap, justify, strict=True))
    for number, row in enumerate([headers, *rows]):
        key = tuple(row)
        lines = done.get(key) if number else None
        if lines is None:
            lines = _row_lines(key, layout, header=number == 0)
            if lines is None or any(len(line) > width for line in lines):
                return None
            if number:
                done[key] = lines
        out.extend(lines)
        if number == 0 and rule:
            out.append("─" * (sum(widths) + 2 * (len(widths) - 1)))
            if len(out[-1]) > width:
                return None
    return out


def _row_lines(row: tuple[str, ...], layout: list[tuple[int, bool, str]], *, header: bool
               ) -> list[str] | None:
    """One row of ``table_lines``: each cell wrapped to its column (only where it is
    longer than the column: ``divided`` gives a text that fits as it is), the lines of
    the headers set at the foot of their row; None where a line is wider than its
    column."""
    columns = [((divided(c, w) if len(c) > w else [c]) if wraps else [c]) if c else [""]
               for c, (w, wraps, _) in zip(row, layout, strict=True)]
    if any(len(line) > w for lines, (w, _, _) in zip(columns, layout, strict=True)
           for line in lines):
        return None
    height = max(len(lines) for lines in columns)
    if header:  # rich sets the headers at the foot of their row
        columns = [[""] * (height - len(lines)) + lines for lines in columns]
    return [" ".join(_justified(lines[n] if n < len(lines) else "", w, how)
                     for lines, (w, _, how) in zip(columns, layout, strict=True)).rstrip()
            for n in range(height)]


def _justified(text: str, width: int, justify: str) -> str:
    """A cell's line padded to its column as rich pads it (with the cell's right padding)."""
    return (text.rstrip().rjust(width) if justify == "right" else text.ljust(width)) + " "
