"""Help: every action and its key, and the words coplan uses, in plain language."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

from coplan.model import Plan
from coplan.tui.actions import ACTIONS
from coplan.tui.widgets.literal import Static, cell
from coplan.vocab import FRAMEWORKS, LADDER, ROLE

KEY_NAMES = {"question_mark": "?", "delete": "Delete", "slash": "/",
             "left_square_bracket": "[", "right_square_bracket": "]", "ctrl+z": "Ctrl+Z",
             "ctrl+y": "Ctrl+Y", "ctrl+s": "Ctrl+S", "ctrl+q": "Ctrl+Q", "ctrl+p": "Ctrl+P"}


def key_name(key: str) -> str:
    return KEY_NAMES.get(key, key.upper() if key.startswith("f") and key[1:].isdigit()
                         else key)


MORE_KEYS = (
    ("Ctrl+P", "command palette: find any action by typing part of its name."),
    ("Tab", "move to the next part of the screen; Shift+Tab goes back."),
    ("Enter", "plan: open the selected stage's touchpoint; review: go to what a finding is "
              "about; people and meetings: change the selected one."),
    ("z", "timeline: zoom between weeks and months."),
    ("n", "timeline: scroll to today."),
    ("← →", "timeline: earlier and later."),
    ("↑ ↓", "timeline: choose the stage before or after; what it waits for is marked ◂."),
    ("Ctrl+S", "in a form: save it."),
    ("→", "in an empty field of a form that offers a value in grey (today's date, say): "
          "put it in."),
    ("Escape", "in a dialog: go back one level, to the list it was chosen from (the "
               "dialog's last line says where), or close it; a form with changes asks first "
               "whether to save them; a question whether to delete something keeps it, and "
               "says so."),
)


def help_rows() -> list[tuple[str, str]]:
    """Every key and what it does, in the order the help screen shows them."""
    rows = [(key_name(spec.key), f"{spec.palette_title}. {spec.help}") for spec in ACTIONS]
    return rows + list(MORE_KEYS)


def _plain(rows: list[tuple[str, str]]) -> str:
    return "\n".join(f"{a}  {b}" for a, b in rows)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    @property
    def text(self) -> str:
        """What the screen says, as plain text."""
        return _plain(help_rows())

    def compose(self) -> ComposeResult:
        table = Table(show_edge=False, box=None, pad_edge=False)
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("What it does")
        for key, what in help_rows():
            table.add_row(cell(key), cell(what))
        with Vertical(id="dialog", classes="help"):
            yield Static("Keys and help", id="dialog-title")
            with VerticalScroll():
                yield Static(Text("Everything can be done with the keyboard. Up and down "
                                  "scroll; Escape closes this.\n"))
                yield Static(table)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


def glossary_rows(plan: Plan | None) -> list[tuple[str, str]]:
    """The words coplan uses and what they mean, with the plan's own glossary last."""
    rows: list[tuple[str, str]] = []
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
    rows += basics
    ladder = FRAMEWORKS["tlap-ladder"]
    rows.append(("", ""))
    rows.append(("The ladder", f"From {ladder.credit} ({ladder.url}), lowest to highest:"))
    rows += [(f"  {term.label}", term.meaning) for term in LADDER]
    matrix = FRAMEWORKS["involvement-matrix"]
    rows.append(("", ""))
    rows.append(("Roles", f"From the Involvement Matrix, {matrix.credit} ({matrix.url}):"))
    rows += [(f"  {term.label}", term.meaning) for term in ROLE]
    if plan and plan.protocol.terms:
        rows.append(("", ""))
        rows.append(("Our words", "Agreed in this plan's glossary:"))
        rows += [(f"  {t.term}", t.meaning) for t in plan.protocol.terms]
    return rows


def glossary(plan: Plan | None) -> Table:
    table = Table(show_edge=False, box=None, pad_edge=False, show_header=False)
    table.add_column("Word", style="bold", no_wrap=True)
    # A word longer than the column (a source's address) goes on over the next lines
    # rather than being cut off with "…": it can be read and copied whole.
    table.add_column("Meaning", overflow="fold")
    for word, meaning in glossary_rows(plan):
        table.add_row(cell(word), cell(meaning))
    return table


class GlossaryScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, plan: Plan | None) -> None:
        super().__init__()
        self.plan = plan

    @property
    def text(self) -> str:
        """What the screen says, as plain text."""
        return _plain(glossary_rows(self.plan))

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="help"):
            yield Static("What the words mean", id="dialog-title")
            with VerticalScroll():
                yield Static(glossary(self.plan))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
