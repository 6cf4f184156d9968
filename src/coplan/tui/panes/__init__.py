"""The app's tabs, declared once.

``PANES`` is the tab list: each tab's id, label, number key, pane class and line of help.
The app composes its tabs from it, brings hidden tabs up to date from it, and the action
registry (``tui/actions.py``) makes each tab's number key, palette entry and line of help
from it.  A new tab is one module under ``panes/`` and one line here.
"""

from __future__ import annotations

from dataclasses import dataclass

from coplan.tui.panes.base import Host, Pane
from coplan.tui.panes.delivery import DeliveryPane
from coplan.tui.panes.meetings import MeetingsPane
from coplan.tui.panes.people import PeoplePane
from coplan.tui.panes.plan import PlanPane
from coplan.tui.panes.protocol import ProtocolPane
from coplan.tui.panes.review import ReviewPane
from coplan.tui.panes.timeline import TimelinePane

__all__ = ["PANES", "Host", "Pane", "PaneSpec"]


@dataclass(frozen=True, slots=True)
class PaneSpec:
    """One tab: ``key`` shows it; ``help`` says what it shows (help and palette)."""

    id: str
    label: str
    key: str
    pane: type[Pane]
    help: str

    @property
    def title(self) -> str:
        """The tab's label as the tab bar shows it: its key first ("1 Plan")."""
        return f"{self.key} {self.label}"


PANES: tuple[PaneSpec, ...] = (
    PaneSpec("plan", "Plan", "1", PlanPane, "The stages, in the order they happen."),
    PaneSpec("timeline", "Timeline", "2", TimelinePane, "A chart of the stages over time."),
    PaneSpec("review", "Review", "3", ReviewPane, "What coplan check finds, live."),
    PaneSpec("people", "People", "4", PeoplePane, "Who is involved."),
    PaneSpec("meetings", "Meetings", "5", MeetingsPane, "Standing meetings."),
    PaneSpec("protocol", "Protocol", "6", ProtocolPane,
             "A preview of the co-production protocol."),
    PaneSpec("delivery", "Delivery", "7", DeliveryPane,
             "What actually happened: sessions, payments and the impact log."),
)
