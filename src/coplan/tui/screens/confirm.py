"""A yes/no question, with the safe answer focused first.

Every question the app asks before it changes something (delete a stage, a touchpoint, a
person or a meeting) is one of these, and all behave as every other dialog does: the
keys are said under the buttons, Esc gives the safe answer, which takes the person back
one level (to the list the question came from, where there was one, else to where they
were), and a notice says that nothing was changed.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from coplan.tui.widgets.key_hints import KeyHints
from coplan.tui.widgets.literal import Static, words

CAN_UNDO = "Ctrl+Z can undo it afterwards."
"""What a question about a change says of undoing it.  A question is asked before
anything is done: it says what the answer *would* do ("the plan would end on ..."),
never as if done ("The plan now ends ...", "(Ctrl+Z undoes it.)" read as if the
deletion had been made)."""


class ConfirmScreen(ModalScreen[bool]):
    """``True`` for yes.  ``kept`` is what the notice says when the answer is no (what
    stays as it was); ``back`` names the list the question came from ("the
    touchpoints"), which No and Esc go back to (the caller shows it again)."""

    BINDINGS = [Binding("escape", "no", "No")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No", *,
                 kept: str = "", back: str = "") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no
        self.kept = kept
        self.back = back

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm"):
            yield Static(self.question, id="dialog-title")
            with Horizontal(id="buttons"):
                yield Button(words(self.no), id="no", variant="primary")
                yield Button(words(self.yes), id="yes", variant="error")
            no = self.no[:1].lower() + self.no[1:]
            yield KeyHints("Tab: the other answer", "Enter: answer",
                           f"Esc: {no}" + (f", back to {self.back}" if self.back else ""),
                           classes="form-keys")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        if self.kept:
            self.app.notify(self.kept, timeout=5)
        self.dismiss(False)
