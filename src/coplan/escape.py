"""Text made safe for the format it is written into.

A plan's text is written by people, and what they write ends up in spreadsheets, Markdown
reports, web pages, XML and calendars that other programs open.  Whatever it says, it must
stay text there: never a spreadsheet formula, never markup a browser runs, never a broken
XML file or calendar line.  Every exporter and report writes people's text through one of
these functions, chosen by its target; none of them changes what a reader sees as words.
Nothing here imports anything beyond the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def spreadsheet_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as the text it is.

    Text starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or line break) is read by
    Excel, LibreOffice and Google Sheets as a formula, which can fetch web pages or run
    commands; OWASP's advice is a leading apostrophe, which the spreadsheet hides.  Numbers
    (``-3``, ``+1.5``) and anything that is not text are left as they are, so sums still
    work.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) \
            and not _NUMBER.match(value):
        return "'" + value
    return value


def csv_row(cells: Sequence[str]) -> str:
    """One row of a CSV file, ending in ``\r\n``, exactly as ``csv.writer`` with its
    ``excel`` dialect writes it: a cell holding a comma, a double quote or a line break is
    put in double quotes (its own double quotes doubled); a row of one empty cell is
    ``""``.  Written here rather than with ``csv``, whose import (half a millisecond) was
    a tenth of what a spreadsheet export of a small plan does beyond ``coplan schedule``."""
    line = ",".join(cells)
    if line.count(",") == len(cells) - 1 and '"' not in line and "\r" not in line \
            and "\n" not in line:
        return '""\r\n' if line == "" and len(cells) == 1 else line + "\r\n"
    return ",".join('"' + cell.replace('"', '""') + '"'
                    if "," in cell or '"' in cell or "\r" in cell or "\n" in cell else cell
                    for cell in cells) + "\r\n"


# Only what could make a link, an image or a table column: emphasis and code spans are
# harmless, and escaping them would litter the Markdown people read as plain text.
_MARKDOWN_SPECIAL = re.compile(r"([\\\[\]|])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def markdown_inline(text: str) -> str:
    """Words for one line of Markdown (a heading, a table cell, a list item): shown as
    written, never as links, images, table columns or HTML.

    HTML's own characters become entities, so ``<script>`` and ``<img onerror=...>`` are
    text in any Markdown renderer, whether or not it allows raw HTML; the characters that
    make links and columns are escaped with a backslash; line breaks become spaces, so a
    table row stays one row.
    """
    if "\n" in text or "\r" in text:  # (a regex over the spaces around would be quadratic)
        text = " ".join(p.strip() for p in text.splitlines() if p.strip())
    text = "".join(_HTML.get(c, c) for c in text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def one_line(text: str) -> str:
    """Text for a place that holds one line (a calendar's name, a header): line breaks
    and other control characters become single spaces."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", text).strip()


# Characters XML 1.0 does not allow at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """Text an XML file may hold: characters XML forbids are left out (the XML writer
    escapes ``<``, ``>`` and ``&`` itself)."""
    return _NOT_XML.sub("", text)


__all__ = ["csv_row", "markdown_inline", "one_line", "spreadsheet_cell", "xml_text"]
