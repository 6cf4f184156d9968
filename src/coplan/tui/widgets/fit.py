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

__all__ = ["fit", "marked_end"]

# What may end a name and is kept: bracketed words (short ones: a long bracketed part is
# part of the name), then a state mark.
_END = re.compile(r"(?:\s*\([^()]{1,20}\))*(?:\s*[■◆▶✖✔⚠])?$")


def marked_end(plain: str) -> int:
    """How many characters at the end of ``plain`` are a mark to keep (0: none)."""
    match = _END.search(plain)
    return len(match.group(0)) if match and match.group(0).strip() else 0


def fit(text: Text, width: int, *, pad: bool = True) -> Text:
    """``text`` in ``width`` cells (padded with spaces when ``pad``); when it is too long, cut
    with "…" before its marked end (``marked_end``), which is kept whole while it takes no
    more than half the width.  Styles are kept."""
    if text.cell_len <= width:
        if pad:
            text.pad_right(width - text.cell_len)
        return text
    keep = marked_end(text.plain)
    tail_cells = cell_len(text.plain[len(text.plain) - keep:]) if keep else 0
    if not keep or tail_cells * 2 > width:
        text.truncate(width, overflow="ellipsis", pad=pad)
        return text
    head = text[:len(text.plain) - keep]
    tail = text[len(text.plain) - keep:]
    head.truncate(width - tail_cells - 1)
    head.rstrip()
    head.append("…")
    head.append_text(tail)
    head.truncate(width, pad=pad)
    return head
