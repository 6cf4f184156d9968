"""Text fields that take every key in the order it was typed, and a multi-line one.

Textual hands a key to the focused field, which puts a printable character in at once; a key
the field has a binding for (Backspace, Delete, the arrows, Home, End) it does not act on
there: the key travels back up, through the queue of every container around the field, and
the binding runs only when it reaches the app.  Keys typed one by one never notice.  Keys
that arrive together (a burst from a remote session, a screen reader's or an input method's
text, a busy computer) do: a letter typed after a Backspace is put in while the Backspace is
still on its way up, so it deletes the wrong character, or, after Tab, a character in the
next field.  ``KeysInOrder`` runs the field's own bindings where the key arrives, in the
field's turn, so nothing overtakes anything.

(Textual's own, 8.2.8: an app with only ``Input("abc")``, the cursor at the end, given
Backspace three times, "x" and "y" at once, holds "ab", not "xy".)
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import TextArea

__all__ = ["FieldArea", "KeysInOrder"]


class KeysInOrder:
    """For a text field: its own key bindings run as the key arrives, in typing order.

    (What the app or the form binds, such as Ctrl+S and Tab, is bound with priority and
    handled before the key is handed to the field, so it keeps its order too.)"""

    async def _on_key(self, event: events.Key) -> None:
        node: Any = self
        for binding in node._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await node.app.run_action(binding.action, node):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)  # type: ignore[misc]


class FieldArea(KeysInOrder, TextArea):
    """A form's multi-line text: keys in order, and Ctrl+Home / Ctrl+End to go to the
    start or the end of the whole text (with Shift, selecting as it goes)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+home", "text_start", "Start of the text", show=False),
        Binding("ctrl+end", "text_end", "End of the text", show=False),
        Binding("ctrl+shift+home", "text_start(True)", "Select to the start", show=False),
        Binding("ctrl+shift+end", "text_end(True)", "Select to the end", show=False),
    ]

    def action_text_start(self, select: bool = False) -> None:
        """Move the cursor to the start of the text."""
        self.move_cursor((0, 0), select=select)

    def action_text_end(self, select: bool = False) -> None:
        """Move the cursor to the end of the text."""
        self.move_cursor(self.document.end, select=select)
