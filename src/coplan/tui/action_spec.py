"""What one user action is: its key, its name in the command palette, its line of help.

Kept apart from the registry (``tui/actions.py``) so that each pane can declare its own
actions beside the code that carries them out, and the registry can gather them all.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One action: ``action`` names the method that does it (``action_<name>``)."""

    action: str
    key: str
    category: str
    title: str
    help: str
    show: bool = True
    footer: str = ""  # a short label to show in the footer ("" keeps it out of the footer)
    rank: int = 99  # place in the footer: what a room needs most comes first
    pane: str = ""  # the pane that owns it ("" for the app itself); set by the registry
    # Heard even with a dialog open, which otherwise hides the app's keys (Ctrl+Q: the
    # app then says what to do rather than nothing at all).
    priority: bool = False

    @property
    def palette_title(self) -> str:
        return f"{self.category}: {self.title}"

    @property
    def run(self) -> str:
        """What a key or the command palette runs: the app's own action, or the pane's
        (done by the pane on screen when it has its own way, else by the pane that owns
        it; see ``CoplanApp.action_in_pane``)."""
        if not self.pane:
            return self.action
        return f"in_pane({self.pane!r}, {self.action!r})"
