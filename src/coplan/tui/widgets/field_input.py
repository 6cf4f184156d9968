"""A one-line text field whose typing Ctrl+Z takes back and Ctrl+Y puts again.

Textual's ``Input`` keeps no history, so in a form Ctrl+Z did nothing at all: a person who
tabbed into a field (which selects its text), typed, and so replaced a whole title had no
way back but retyping it.  The multi-line fields (``TextArea``) already undo; this gives the
one-line fields the same, in the steps a person expects from a word processor: a run of
typing is taken back a word at a time, a run of deleting as one, and anything else (a
paste, clearing the field, typing over a selection) as a step of its own.

The history belongs to the field while its form is open; the app's own Ctrl+Z, which
undoes changes to the plan, is not reached from inside a form.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from coplan.tui.widgets.keys_in_order import KeysInOrder

__all__ = ["FieldInput", "Step", "step_of"]

# What kind of change a value's change was: one character typed (or typed over a selection),
# one deleted, or other.
Step = str


def step_of(old: str, new: str) -> tuple[Step, int, str]:
    """The kind of change from ``old`` to ``new``, where it happened, and the text put in.

    The change is what lies between the longest common start and the longest common end
    of the two values (not overlapping): ``("type", at, char)`` for one character put in,
    ``("type over", at, char)`` for one typed over a selection, ``("delete", at, "")`` for
    one taken out, ``("other", at, text)`` for anything else.
    """
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    removed = old[start:len(old) - end]
    added = new[start:len(new) - end]
    if len(added) == 1:
        return ("type over" if removed else "type"), start, added
    if not added and len(removed) == 1:
        return "delete", start, ""
    return "other", start, added


class FieldInput(KeysInOrder, Input):
    """An ``Input`` with Ctrl+Z (undo typing) and Ctrl+Y (redo), word by word, that takes
    keys in the order typed however fast they come (``KeysInOrder``)."""

    # Textual's Input notes the width of its text at every key; as a plain reactive that
    # lays the whole form out again (every field, label and help) each time, though a
    # field's own width never follows its text.  Here it only repaints the field: typing
    # costs a fraction of what it did, and keys queue up behind nothing.
    virtual_size = Reactive(Size(0, 0), repaint=True)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+z", "undo_typing", "Undo typing", show=False),
        Binding("ctrl+y", "redo_typing", "Redo typing", show=False),
    ]

    def __init__(self, value: str | None = None, *, offer: str = "", **options: Any) -> None:
        # A value offered, not filled in: → in the empty field puts it in (``Field.offer``).
        self.offer = offer
        # Set before Input's own set-up, which gives the field its first value.
        self._undo: list[str] = []
        self._redo: list[str] = []
        # The value as it stood after the last change seen.  (Not a two-argument watcher's
        # old value: Textual hands the watcher the set-up's first value as a change from "",
        # which would be a step to undo back to an empty field.)
        self._shown = value or ""
        self._run: Step | None = None  # the kind of the step being added to, if any
        self._run_at = -1  # where the next character of that run would go
        self._run_has_word = False  # whether that run has typed more than spaces
        self._restoring = False
        # Tabbing into a field puts the cursor at the end of its text with nothing
        # selected: typing adds to a name, never replaces it whole (which autosave then
        # saved, unnoticed).  Ctrl+U or Ctrl+A then typing still replace it on purpose.
        options.setdefault("select_on_focus", False)
        super().__init__(value, **options)

    def watch_value(self, value: str) -> None:
        """Note each change: a new step to undo, or more of the one being made."""
        old, self._shown = self._shown, value
        if self._restoring or old == value:
            return
        kind, at, added = step_of(old, value)
        if kind == "type":  # the next character along, and not the start of a second word
            joins = (self._run == "type" and at == self._run_at
                     and not (self._run_has_word and old[at - 1:at].isspace()
                              and not added.isspace()))
        else:  # Delete takes out the character at the place, Backspace the one before it
            joins = self._run == "delete" == kind and at in (self._run_at, self._run_at - 1)
        if not joins:
            self._undo.append(old)
            self._run_has_word = False
        self._redo.clear()
        # Typing over a selection starts a run of typing: what follows joins it.
        self._run = "type" if kind == "type over" else kind
        self._run_at = at + 1 if self._run == "type" else at
        self._run_has_word = self._run_has_word or not added.isspace()

    def action_cursor_right(self, select: bool = False) -> None:
        """→ in an empty field that offers a value puts it in (as Textual's own → takes a
        completion); anywhere else it moves the cursor."""
        if self.offer and not self.value and not select:
            self.value = self.offer
            self.cursor_position = len(self.value)
            return
        super().action_cursor_right(select)

    def _restore(self, value: str) -> None:
        _kind, at, added = step_of(self.value, value)
        self._restoring = True
        try:
            self.value = value
        finally:
            self._restoring = False
        self._shown = value
        self._run = None
        self.cursor_position = at + len(added)

    def action_undo_typing(self) -> None:
        """Put the field back as it was before the last step of typing."""
        if not self._undo:
            self.app.bell()
            return
        self._redo.append(self.value)
        self._restore(self._undo.pop())

    def action_redo_typing(self) -> None:
        """Put back the step of typing last undone."""
        if not self._redo:
            self.app.bell()
            return
        self._undo.append(self.value)
        self._restore(self._redo.pop())
