"""The Timeline tab: the stages over time, opening where the selected stage is."""

from __future__ import annotations

from textual.app import ComposeResult

from coplan.session import Views
from coplan.tui.panes.base import Pane
from coplan.tui.panes.plan import PlanPane
from coplan.tui.widgets.timeline import Timeline


class TimelinePane(Pane):
    """A Gantt chart of the schedule (its own keys: zoom, earlier, later, now)."""

    MAIN = "#gantt"

    def compose(self) -> ComposeResult:
        yield Timeline(id="gantt")

    def refresh_from(self, views: Views) -> None:
        self.query_one(Timeline).show(views, self.host.today)

    def shown(self) -> None:
        """Mark the stage selected on the Plan tab, and bring it into view."""
        timeline = self.query_one(Timeline)
        timeline.selected = self.host.pane(PlanPane).selected_stage
        self.call_after_refresh(timeline.select_stage, timeline.selected)
