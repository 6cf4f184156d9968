"""One registry of user actions, feeding key bindings, the command palette and help.

Each action has a key, a name in the command palette with a category ("stage: add
touchpoint"), and a plain-language line of help.  They are gathered here from three
places, so nothing is written twice: a "view" action per tab (from the tab list,
``panes.PANES``), each pane's own actions (declared beside the code that does them), and
the app's own (saving, undo, display, help).  Nothing else in the app declares keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from textual.binding import Binding, BindingType

from coplan.tui.action_spec import ActionSpec
from coplan.tui.panes import PANES, PaneSpec

__all__ = ["ACTIONS", "APP_ACTIONS", "ActionSpec", "bindings", "registry"]

# What the app itself does, whatever tab is on screen.
APP_ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("edit_plan", "E", "plan", "edit any part of the plan",
               "Every part of the plan file, by its tables and lists: project settings, "
               "payment and rates, budget, the decision log, a stage's decisions, review "
               "settings and the rest.", show=False),
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
    ActionSpec("quit", "ctrl+q", "file", "quit", "Save and leave coplan.", footer="Quit", rank=0,
               priority=True),
)


def registry(panes: Sequence[PaneSpec]) -> tuple[ActionSpec, ...]:
    """Every action, in the order help lists them: the tabs, each tab's own, the app's."""
    views = [ActionSpec(f"show_tab({p.id!r})", p.key, "view", p.id, p.help) for p in panes]
    owned = [replace(spec, pane=p.id) for p in panes for spec in p.pane.ACTIONS]
    return (*views, *owned, *APP_ACTIONS)


ACTIONS: tuple[ActionSpec, ...] = registry(PANES)


def bindings(actions: Sequence[ActionSpec] = ACTIONS) -> list[BindingType]:
    """Key bindings for every action, those shown in the footer first, in footer order."""
    ordered = sorted(actions, key=lambda a: a.rank if a.show and a.footer else 100)
    return [Binding(a.key, a.run, a.footer or a.title, show=a.show and bool(a.footer),
                    id=a.action.split("(")[0] + (a.key if "(" in a.action else ""),
                    tooltip=a.help, key_display=_display(a.key), priority=a.priority)
            for a in ordered]


def _display(key: str) -> str | None:
    """How the footer writes a key: function keys as on the keyboard ("F1")."""
    if key.startswith("f") and key[1:].isdigit():
        return key.upper()
    return None
