"""Help: every action and its key, and the words coplan uses, in plain language."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from coplan.model import Plan
from coplan.tui.actions import ACTIONS
from coplan.vocab import FRAMEWORKS, LADDER, ROLE

KEY_NAMES = {"question_mark": "?", "delete": "Delete", "ctrl+z": "Ctrl+Z",
             "ctrl+y": "Ctrl+Y", "ctrl+s": "Ctrl+S", "ctrl+q": "Ctrl+Q", "ctrl+p": "Ctrl+P"}


def key_name(key: str) -> str:
    return KEY_NAMES.get(key, key.upper() if key.startswith("f") and key[1:].isdigit()
                         else key)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        table = Table(show_edge=False, box=None, pad_edge=False)
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("What it does")
        for spec in ACTIONS:
            table.add_row(key_name(spec.key), f"{spec.palette_title}. {spec.help}")
        table.add_row("Ctrl+P", "command palette: find any action by typing part of its name.")
        table.add_row("Tab", "move to the next part of the screen; Shift+Tab goes back.")
        table.add_row("z", "timeline: zoom between weeks and months.")
        with Vertical(id="dialog", classes="help"):
            yield Static("Keys and help", id="dialog-title")
            with VerticalScroll():
                yield Static(Text("Everything can be done with the keyboard. Press Escape "
                                  "to close this.\n"))
                yield Static(table)

    def action_close(self) -> None:
        self.dismiss(None)


def glossary(plan: Plan | None) -> Table:
    table = Table(show_edge=False, box=None, pad_edge=False, show_header=False)
    table.add_column("Word", style="bold", no_wrap=True)
    table.add_column("Meaning")
    basics = [
        ("Co-production", "People with lived experience and professionals work as equals, "
                          "sharing power and decisions from the start to the end."),
        ("Lived experience", "Knowing something from your own life: using services, caring "
                             "for someone, living with a condition."),
        ("Stage", "A part of the project, such as deciding the aims or making sense of "
                  "findings."),
        ("Touchpoint", "A planned moment when people with lived experience take part in a "
                       "stage: a workshop, a survey, a conversation."),
        ("Slowing down", "Extra time the plan sets aside because doing things together takes "
                         "longer. It is planned, not apologised for."),
        ("Reflection checkpoint", "A time to stop and take stock together: how we work, "
                                  "what has changed, how people feel."),
        ("Critical path", "The stages that decide the end date: if one slips, the end slips."),
        ("Float", "How long a stage can slip without moving the end date."),
    ]
    for word, meaning in basics:
        table.add_row(word, meaning)
    ladder = FRAMEWORKS["tlap-ladder"]
    table.add_row("", "")
    table.add_row("The ladder", f"From {ladder.credit} ({ladder.url}), lowest to highest:")
    for term in LADDER:
        table.add_row(f"  {term.label}", term.meaning)
    matrix = FRAMEWORKS["involvement-matrix"]
    table.add_row("", "")
    table.add_row("Roles", f"From the Involvement Matrix, {matrix.credit} ({matrix.url}):")
    for term in ROLE:
        table.add_row(f"  {term.label}", term.meaning)
    if plan and plan.protocol.terms:
        table.add_row("", "")
        table.add_row("Our words", "Agreed in this plan's glossary:")
        for t in plan.protocol.terms:
            table.add_row(f"  {t.term}", t.meaning)
    return table


class GlossaryScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, plan: Plan | None) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="help"):
            yield Static("What the words mean", id="dialog-title")
            with VerticalScroll():
                yield Static(glossary(self.plan))

    def action_close(self) -> None:
        self.dismiss(None)
