"""Asked when a changed form is being closed: save the changes, throw them away, or go on."""

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

Choice = Literal["save", "discard", "keep"]


class UnsavedScreen(ModalScreen[Choice]):
    """Three answers, the safe one (keep editing) focused first; Escape keeps editing."""

    BINDINGS = [Binding("escape", "keep", "Keep editing")]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm unsaved"):
            yield Static(f"You changed {self.what}. Save the changes before closing?",
                         id="dialog-title")
            with Horizontal(id="buttons"):
                yield Button("Keep editing", id="keep", variant="primary")
                yield Button("Save", id="save", variant="success")
                yield Button("Throw them away", id="discard", variant="error")
            yield KeyHints("Tab: the next answer", "Enter: answer", "Esc: keep editing",
                           classes="form-keys")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    @on(Button.Pressed)
    def _answer(self, event: Button.Pressed) -> None:
        choice = event.button.id
        if choice in ("save", "discard", "keep"):
            self.dismiss(choice)  # type: ignore[arg-type]

    def action_keep(self) -> None:
        self.dismiss("keep")
