"""Resolving conflicts: the same field changed by two people, shown side by side.

For each conflict people choose: keep theirs, keep mine, or write a new value together.
Nothing is overwritten until someone chooses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioSet

from coplan.merge import Conflict, shown
from coplan.tui.widgets.field_input import FieldInput
from coplan.tui.widgets.key_hints import KeyHints
from coplan.tui.widgets.literal import Label, Static
from coplan.tui.widgets.literal import words as as_written
from coplan.tui.widgets.plain_state import Choice


def _show(value: Any) -> str:
    if isinstance(value, str) and not value.startswith("<"):
        return value
    if value is None:
        return "(nothing)"
    return shown(value)


class ConflictScreen(ModalScreen[dict[Any, Any] | None]):
    """Returns {conflict path: "theirs" | "mine" | ("value", text)}, or None to decide
    later (nothing is saved meanwhile)."""

    # Ctrl+S saves the choices, as it saves every form (a trial pressed it here and
    # nothing happened).
    BINDINGS = [Binding("escape", "later", "Decide later"),
                Binding("ctrl+s", "save_choices", "Save these choices", priority=True)]
    AUTO_FOCUS = "#choice-0"  # the first choice, not the scrolling list around it

    def __init__(self, conflicts: list[Conflict], who: str = "someone else", *,
                 words: Callable[[str], str] | None = None) -> None:
        """``words`` gives each text the dialog shows (both values, where they are, who
        made the other change) as the person may read it: in the protected view of a
        served app, as the copy of the plan for them says it (``CoplanApp.for_viewer``)."""
        super().__init__()
        self.conflicts = conflicts
        self.who = who
        self.words = words or (lambda text: text)

    def compose(self) -> ComposeResult:
        say = self.words
        with Vertical(id="dialog", classes="form"):
            yield Static(say(f"Two changes to the same thing: yours and {self.who}'s"),
                         id="dialog-title")
            yield Static("Nothing has been overwritten. For each one, choose which to keep, "
                         "or write what you agree together.", classes="intro")
            with VerticalScroll(id="fields"):
                for i, conflict in enumerate(self.conflicts):
                    yield Label(say(conflict.describe(self.who)), classes="field-label")
                    with RadioSet(id=f"choice-{i}"):
                        yield Choice(as_written(say(f"Keep theirs: {_show(conflict.theirs)}")),
                                     value=True)
                        yield Choice(as_written(say(f"Keep mine: {_show(conflict.mine)}")))
                        yield Choice(as_written("Write a new value"))
                    yield FieldInput(placeholder="the value you agree", id=f"value-{i}")
            with Horizontal(id="buttons"):
                # Beside the buttons, as in every form: under them, at 80x24, the keys
                # were pushed out of the dialog (and a notice covered what was left).
                yield KeyHints("Tab: next", "Enter: choose", "Ctrl+S: save",
                               "Esc: decide later", classes="form-keys")
                yield Button("Save these choices", variant="primary", id="resolve")
                yield Button("Decide later", id="later")

    def on_mount(self) -> None:
        # The first choice has the focus; the words above it (where, and both values)
        # stay in view with it: scrolled to show all of the choices, a narrow screen hid
        # the first line of them.
        self.call_after_refresh(self.query_one("#fields", VerticalScroll).scroll_home,
                                animate=False)

    def choices(self) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for i, conflict in enumerate(self.conflicts):
            picked = self.query_one(f"#choice-{i}", RadioSet).pressed_index
            if picked == 1:
                out[conflict.path] = "mine"
            elif picked == 2:
                out[conflict.path] = ("value", self.query_one(f"#value-{i}", Input).value)
            else:
                out[conflict.path] = "theirs"
        return out

    @on(Button.Pressed, "#resolve")
    def action_save_choices(self) -> None:
        self.dismiss(self.choices())

    @on(Button.Pressed, "#later")
    def action_later(self) -> None:
        self.dismiss(None)
