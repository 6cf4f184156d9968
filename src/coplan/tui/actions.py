"""One registry of user actions, feeding key bindings, the command palette and help.

Each action has a key, a name in the command palette with a category ("stage: add
touchpoint"), and a plain-language line of help.  Nothing else in the app declares keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True, slots=True)
class ActionSpec:
    action: str
    key: str
    category: str
    title: str
    help: str
    show: bool = True
    footer: str = ""  # a short label to show in the footer ("" keeps it out of the footer)
    rank: int = 99  # place in the footer: what a room needs most comes first

    @property
    def palette_title(self) -> str:
        return f"{self.category}: {self.title}"


ACTIONS: tuple[ActionSpec, ...] = (
    # views
    ActionSpec("show_tab('plan')", "1", "view", "plan", "The stages, in the order they happen."),
    ActionSpec("show_tab('timeline')", "2", "view", "timeline",
               "A chart of the stages over time."),
    ActionSpec("show_tab('review')", "3", "view", "review",
               "What coplan check finds, live."),
    ActionSpec("show_tab('people')", "4", "view", "people", "Who is involved."),
    ActionSpec("show_tab('meetings')", "5", "view", "meetings", "Standing meetings."),
    ActionSpec("show_tab('protocol')", "6", "view", "protocol",
               "A preview of the co-production protocol."),
    # stages
    ActionSpec("add_stage", "a", "stage", "add a stage", "Add a new stage after the selected one.",
               footer="Add stage", rank=2),
    ActionSpec("edit_stage", "e", "stage", "edit", "Change the selected stage's name, phase or "
               "length.", footer="Edit", rank=3),
    ActionSpec("add_touchpoint", "t", "stage", "add touchpoint",
               "Plan how people with lived experience take part in the selected stage.",
               footer="Touchpoint", rank=4),
    ActionSpec("edit_touchpoint", "T", "stage", "edit a touchpoint",
               "Change one of the selected stage's touchpoints.", show=False),
    ActionSpec("add_dependency", "l", "stage", "link to an earlier stage",
               "Make the selected stage wait for another one.", show=False),
    ActionSpec("remove_dependency", "L", "stage", "remove a link",
               "Stop the selected stage waiting for another one.", show=False),
    ActionSpec("delete_selected", "delete", "edit", "delete the selected item",
               "Delete the selected stage (or, on the People and Meetings tabs, the selected "
               "person or meeting). Asks first.", show=False),
    ActionSpec("delete_touchpoint", "D", "stage", "delete a touchpoint",
               "Remove one of the selected stage's touchpoints (asks first).", show=False),
    # people and meetings
    ActionSpec("add_person", "p", "people", "add a person", "Add someone to the plan.",
               show=False),
    ActionSpec("edit_person", "P", "people", "edit the selected person",
               "Change a person's details (on the People tab).", show=False),
    ActionSpec("add_meeting", "m", "meeting", "add a standing meeting",
               "A meeting that repeats, such as a steering group.", show=False),
    # plan-wide
    ActionSpec("edit_settings", "s", "plan", "slow-down and reflection settings",
               "How much time to add for co-production, and how often to stop and reflect.",
               show=False),
    ActionSpec("edit_protocol", "o", "protocol", "edit protocol text",
               "The purpose, boundaries, distress process and other agreements.", show=False),
    ActionSpec("add_term", "g", "protocol", "add a glossary term",
               "Explain a word everyone should understand the same way.", show=False),
    ActionSpec("add_signoff", "S", "protocol", "record a sign-off",
               "Someone agreed this version of the protocol.", show=False),
    ActionSpec("log_decision", "d", "plan", "log a decision",
               "Record a decision and who took part in it.", footer="Decision", rank=8),
    ActionSpec("fix_finding", "f", "review", "fix the selected finding",
               "Open the form that puts right the finding selected on the Review tab (on the "
               "Plan tab: the selected stage's most serious one), where there is a quick fix.",
               show=False),
    ActionSpec("export", "x", "export", "calendar or protocol",
               "Export a meeting calendar or the protocol document.", footer="Export",
               rank=7),
    ActionSpec("undo", "ctrl+z", "edit", "undo", "Undo the last change.", footer="Undo", rank=5),
    ActionSpec("redo", "ctrl+y", "edit", "redo", "Redo what was undone.", show=False),
    ActionSpec("save", "ctrl+s", "file", "save now", "Save the plan (it also saves itself "
               "shortly after each change).", footer="Save", rank=6),
    ActionSpec("toggle_contrast", "f2", "display", "high contrast",
               "Switch the high-contrast theme on or off.", show=False),
    ActionSpec("toggle_presentation", "f3", "display", "presentation layout",
               "A larger, simpler layout for a shared screen.", show=False),
    ActionSpec("explain_terms", "question_mark", "help", "explain words",
               "What words such as 'co-design' and 'touchpoint' mean.", show=False),
    ActionSpec("help", "f1", "help", "keys and help", "Every action and its key.",
               footer="Help", rank=1),
    ActionSpec("quit", "ctrl+q", "file", "quit", "Save and leave coplan.", footer="Quit", rank=0),
)


def bindings() -> list[BindingType]:
    """Key bindings for every action, those shown in the footer first, in footer order."""
    ordered = sorted(ACTIONS, key=lambda a: a.rank if a.show and a.footer else 100)
    return [Binding(a.key, a.action, a.footer or a.title, show=a.show and bool(a.footer),
                    id=a.action.split("(")[0] + (a.key if "(" in a.action else ""),
                    tooltip=a.help, key_display=_display(a.key))
            for a in ordered]


def _display(key: str) -> str | None:
    """How the footer writes a key: function keys as on the keyboard ("F1")."""
    if key.startswith("f") and key[1:].isdigit():
        return key.upper()
    return None
