"""The Timeline tab: the stages over time, opening where the selected stage is.

Up and down choose a stage here as on the Plan tab (it is the same selected stage, so the
stage keys act on it); the line above the chart says in words which stage it is and what
it waits for.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from coplan.session import Views
from coplan.tui.panes.base import Pane
from coplan.tui.panes.plan import PlanPane
from coplan.tui.widgets.text import show
from coplan.tui.widgets.timeline import WAITED_FOR, Timeline


class TimelinePane(Pane):
    """A Gantt chart of the schedule (its own keys: choose a stage, zoom, earlier, later,
    now)."""

    MAIN = "#gantt"

    def compose(self) -> ComposeResult:
        yield Static("", id="timeline-said")
        yield Timeline(id="gantt")

    def refresh_from(self, views: Views) -> None:
        self.query_one(Timeline).show(views, self.host.today)
        self._say()

    def shown(self) -> None:
        """Mark the stage selected on the Plan tab, and bring it into view."""
        timeline = self.query_one(Timeline)
        timeline.selected = self.host.pane(PlanPane).selected_stage
        self.call_after_refresh(timeline.select_stage, timeline.selected)
        self.call_after_refresh(self._say)

    @on(Timeline.StageSelected)
    def _chosen(self, event: Timeline.StageSelected) -> None:
        # One selected stage for every tab: if the Plan tab's list hides it, it shows every
        # stage again (and says so).
        self.host.pane(PlanPane).show_stage(event.stage_id)
        self._say()

    def _say(self) -> None:
        """Which stage is selected, and what it waits for, in words."""
        timeline = self.query_one(Timeline)
        plan = self.session.plan
        stage = plan.stage(timeline.selected) if timeline.selected else None
        keys = "↑ ↓ choose a stage · z weeks or months · ← → earlier, later · n today"
        if stage is None:
            show(self.query_one("#timeline-said", Static), keys)
            return
        stages = [plan.stage(d.stage) for d in stage.after]
        names = [f"‘{s.title}’" for s in stages if s is not None]
        waits = (f"waits for {_and(names)} (marked {WAITED_FOR})" if names else
                 "waits for no other stage")
        show(self.query_one("#timeline-said", Static),
             f"Selected: ‘{stage.title}’, which {waits}.   {keys}")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
