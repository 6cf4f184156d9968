"""Pick one item from a list, with a reason shown when a choice is refused."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from coplan.tui.widgets.key_hints import KeyHints
from coplan.tui.widgets.literal import Static, words


class PickScreen(ModalScreen[str | None]):
    """Choose from ``options`` (label, value); ``refuse`` may explain why a value cannot be
    chosen, and the dialog then stays open with that explanation."""


    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, options: Sequence[tuple[str, str]], *, intro: str = "",
                 refuse: Callable[[str], str | None] | None = None,
                 leads_on: bool = False, escape: str = "closes") -> None:
        super().__init__()
        # Choosing leads on to another screen (the next list, a form): the app keeps the
        # keys typed straight after Enter for it (``CoplanApp.on_event``).
        self.LEADS_ON = leads_on
        self.pick_title = title
        self.options = list(options)
        self.intro = intro
        self.refuse = refuse
        self.escape = escape  # what Esc does, in words: "closes", or "goes back"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="pick"):
            yield Static(self.pick_title, id="dialog-title")
            if self.intro:
                yield Static(self.intro, classes="intro")
            if self.options:
                yield OptionList(*[Option(words(self._label(label, value)), id=value)
                                   for label, value in self.options], id="choices")
            else:
                yield Static("There is nothing to choose from.", classes="intro")
            yield Static("", id="refusal", classes="field-error")
            yield KeyHints("↑ ↓ move", "Enter chooses", f"Esc {self.escape}",
                           classes="form-keys")

    # Marking every refused choice up front means asking about each; past this many
    # choices the reason is given only when one is picked.
    MARK_REFUSED_UP_TO = 300

    def _label(self, label: str, value: str) -> str:
        if self.refuse is None or len(self.options) > self.MARK_REFUSED_UP_TO:
            return label
        return f"{label}   ✖ not possible" if self.refuse(value) else label

    def on_mount(self) -> None:
        if self.options:
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        value = event.option.id or ""
        reason = self.refuse(value) if self.refuse else None
        if reason:
            self.query_one("#refusal", Static).update(f"✖ {reason}")
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
