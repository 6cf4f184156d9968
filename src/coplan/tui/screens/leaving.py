"""Asked when coplan is closed with changes it cannot save: the plan file cannot be read
(someone is half-way through a hand edit), and writing over it would lose their work.

Nothing is thrown away without asking: the changes can be kept in a copy beside the plan
(named so it is found next to it), or coplan can stay open until the file is put right
(then they are saved with it), or they can be thrown away, after a second, explicit yes.
Staying open is the safe answer: it is focused first, and Esc gives it.
"""

from __future__ import annotations

from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button

from coplan.tui.widgets.key_hints import KeyHints
from coplan.tui.widgets.literal import Static

Choice = Literal["wait", "copy", "discard"]


class LeavingScreen(ModalScreen[Choice]):
    """Three answers; ``copy_name`` is the name the copy would have."""

    BINDINGS = [Binding("escape", "wait", "Stay open")]

    def __init__(self, plan_name: str, copy_name: str) -> None:
        super().__init__()
        self.plan_name = plan_name
        self.copy_name = copy_name

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm unsaved"):
            yield Static(f"Your changes are not saved: {self.plan_name} cannot be read "
                         "just now (it is being changed by hand), and saving over it would "
                         "lose that work. Stay open until it is put right (your changes are "
                         f"then saved with it), keep your changes in a copy beside it "
                         f"({self.copy_name}) and leave, or throw them away?",
                         id="dialog-title")
            with Horizontal(id="buttons"):
                yield Button("Stay open", id="wait", variant="primary")
                yield Button("Keep a copy and leave", id="copy", variant="success")
                yield Button("Throw them away…", id="discard", variant="error")
            yield KeyHints("Tab: the next answer", "Enter: answer", "Esc: stay open",
                           classes="form-keys")

    def on_mount(self) -> None:
        self.query_one("#wait", Button).focus()

    @on(Button.Pressed)
    def _answer(self, event: Button.Pressed) -> None:
        choice = event.button.id
        if choice in ("wait", "copy", "discard"):
            self.dismiss(choice)  # type: ignore[arg-type]

    def action_wait(self) -> None:
        self.dismiss("wait")
