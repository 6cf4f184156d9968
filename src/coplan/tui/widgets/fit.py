"""Fitting a name into a column without cutting off what marks its state.

A name too long for its column is cut, with "…" where it was cut.  What a name ends with can
be what tells two rows apart or says something about the row: the "■" after a stage on the
critical path, the "(copy)" after a copied stage, "(round 2)".  Cut off with the name, two
rows look the same and the mark is lost.  So the end of the name that is such a mark is kept
whole, and the "…" goes before it: "Designing the study a… (copy)".
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text

__all__ = ["fit", "marked_end", "shorten", "without_bar"]

# What may end a name and is kept: bracketed words (short ones: a long bracketed part is
# part of the name), then a state mark.
_END = re.compile(r"(?:\s*\([^()]{1,20}\))*(?:\s*[■◆▶✖✔⚠])?$")


def marked_end(plain: str) -> int:
    """How many characters at the end of ``plain`` are a mark to keep (0: none)."""
    match = _END.search(plain)
    return len(match.group(0)) if match and match.group(0).strip() else 0


_TRAILING = " ,;:—–-·/("


def word_cut(plain: str, width: int) -> int:
    """Where to cut ``plain`` so that it and a "…" after it take ``width`` cells: after
    the last whole word that fits (a cut in the middle of a word reads as another word:
    "part…" for "participants"), else inside the one word too long for the width ("…"
    still says it goes on).  One-cell characters assumed."""
    if width <= 1:
        return 0
    space = plain.rfind(" ", 0, width)  # the words before it, and "…", fit in width
    if space > 0:
        end = len(plain[:space].rstrip(_TRAILING))
        if end:
            return end
    return width - 1


def shorten(words: str, width: int) -> str:
    """``words`` in at most ``width`` cells, cut between words where they are too long,
    with "…" after the last whole word ("MINDS: a better discharge from mental health…"):
    never inside a word, unless the first word alone is too long."""
    if cell_len(words) <= width:
        return words
    return (words[:word_cut(words, width)] + "…")[:max(0, width)]


# A bar drawn before a cell's words ("███···· co-design", the Plan tab's deepest rung):
# it shows again what the words say, so it is what gives way when the cell is too long.
_BAR = re.compile(r"^[█▓▒░·]+ (?=\S)")


def without_bar(text: Text) -> Text:
    """``text`` without the bar before its words, if it has one (styles kept)."""
    bar = _BAR.match(text.plain)
    return text[bar.end():] if bar else text


def fit(text: Text, width: int, *, pad: bool = True) -> Text:
    """``text`` in ``width`` cells (padded with spaces when ``pad``); when it is too long, a
    bar before its words goes first (the words say what the bar shows), then it is cut
    with "…" before its marked end (``marked_end``), which is kept whole while it takes no
    more than half the width.  Styles are kept."""
    if text.cell_len > width:
        text = without_bar(text)
    if text.cell_len <= width:
        if pad:
            text.pad_right(width - text.cell_len)
        return text
    keep = marked_end(text.plain)
    tail_cells = cell_len(text.plain[len(text.plain) - keep:]) if keep else 0
    if not keep or tail_cells * 2 > width:
        cut = text[:word_cut(text.plain, width)]
        cut.append("…")
        if pad:
            cut.pad_right(width - cut.cell_len)
        return cut
    head = text[:len(text.plain) - keep]
    tail = text[len(text.plain) - keep:]
    head = head[:word_cut(head.plain, width - tail_cells)]
    head.rstrip()
    head.append("…")
    head.append_text(tail)
    head.truncate(width, pad=pad)
    return head
