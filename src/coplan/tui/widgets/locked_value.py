"""A form's value that may be read but not changed: it takes the focus, as every field does.

In the protected view of a served app a value shown otherwise than the file has it (a name
shown as initials, access arrangements counted) is offered read-only
(``Field.locked``).  Textual's disabled state would keep it out of the way of Tab: a
person using the keyboard alone, or a screen reader, could never reach it to read it, and
the reason it is locked written under it.  Here every kind of field (a line of text,
several lines, a list of choices, ticks, a switch) is shown as its value in words, in a
read-only text that Tab reaches, whose text can be moved through and copied, and that no
key changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.widgets import TextArea

__all__ = ["WITHHELD", "LockedValue", "locked_words"]

NOTHING_CHOSEN = "(nothing chosen)"
NOTHING_TICKED = "(nothing ticked)"
WITHHELD = "(something is written here that this view does not show)"
"""A locked value shown empty: a field is locked only where the view shows it otherwise
than the file has it, so an empty one holds words kept from this view (the team's note
on a session), and "(empty)" would tell the person there is nothing there."""


def locked_words(kind: str, value: Any, options: Sequence[tuple[str, str]],
                 chosen: set[Any]) -> str:
    """A locked field's value as words: the text as it is (``WITHHELD`` where it is shown
    empty); the label of the option chosen; each option ticked, on a line of its own with
    ``[x]``; "Yes" or "No" for a switch."""
    if kind == "switch":
        return "Yes" if value else "No"
    if kind == "select":
        label = next((name for name, option in options if option == value), None)
        return label if label is not None else (str(value) if value else NOTHING_CHOSEN)
    if kind == "multi":
        ticked = [f"[x] {name}" for name, option in options if option in chosen]
        return "\n".join(ticked) if ticked else NOTHING_TICKED
    text = str(value or "")
    return text if text.strip() else WITHHELD


class LockedValue(TextArea):
    """A value the form shows but does not let change: read-only, and focusable."""

    DEFAULT_CSS = """
    LockedValue { height: auto; max-height: 6; }
    """

    def __init__(self, words: str, *, id: str) -> None:
        super().__init__(words, id=id, read_only=True, soft_wrap=True,
                         show_line_numbers=False, classes="locked")
