"""The Timeline tab: the stages over time, opening where the selected stage is.

Up and down choose a stage here as on the Plan tab (it is the same selected stage, so the
stage keys act on it); the line above the chart says in words which stage it is and what
it waits for.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult

from coplan.session import Views
from coplan.tui.panes.base import Pane
from coplan.tui.panes.plan import PlanPane
from coplan.tui.widgets.literal import Static
from coplan.tui.widgets.text import show
from coplan.tui.widgets.timeline import TODAY, WAITED_FOR, Chart, Timeline


class TimelinePane(Pane):
    """A Gantt chart of the schedule (its own keys: choose a stage, zoom, earlier, later,
    now)."""

    MAIN = "#gantt"
    KEYS_OF = ("plan",)  # its stages are the Plan tab's: a, e and t act on the one chosen

    def compose(self) -> ComposeResult:
        yield Static("", id="timeline-said")
        yield Timeline(id="gantt")
        yield Static(Chart.KEY, id="timeline-key", classes="marks-key")

    def refresh_from(self, views: Views) -> None:
        self.query_one(Timeline).show(views, self.host.today)
        self._say()

    def shown(self) -> None:
        """Mark the stage selected on the Plan tab, and bring it into view."""
        timeline = self.query_one(Timeline)
        # At once, not after the next refresh: a key pressed meanwhile (down, to choose
        # the next stage) would otherwise be undone by it, on a busy machine.
        chosen = self.host.pane(PlanPane).selected_stage
        timeline.select_stage(chosen, reveal=chosen != timeline.selected)
        self._say()

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
        keys = ("↑ ↓ choose a stage · z weeks or months · ← → earlier, later · "
                "n today · Home the start")
        keys = f"{self._today()}   {keys}"
        if stage is None:
            show(self.query_one("#timeline-said", Static), keys)
            return
        stages = [plan.stage(d.stage) for d in stage.after]
        names = [f"‘{s.title}’" for s in stages if s is not None]
        waits = (f"waits for {_and(names)} (marked {WAITED_FOR})" if names else
                 "waits for no other stage")
        show(self.query_one("#timeline-said", Static),
             f"Selected: ‘{stage.title}’, which {waits}.   {keys}")


    def _today(self) -> str:
        """Where today is, in words (the chart marks it with a line, not colour alone)."""
        timeline = self.query_one(Timeline)
        today = self.host.today
        sched = self.session.views.schedule
        words = f"Today, {today:%a %d %b %Y}"
        if timeline.chart is not None and timeline.chart.today_col is not None:
            return f"{words}, is the {TODAY} line."
        if sched is not None and sched.stages and today < sched.start:
            return f"{words}, is before the project starts."
        if sched is not None and sched.stages:
            return f"{words}, is after the project ends."
        return f"{words}."


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
