"""The plan view: stages in the order they happen, with depth and a clear status marker."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from coplan.review.engine import Severity
from coplan.session import Views
from coplan.tui.widgets.row_table import Cell, Column, RowTable
from coplan.vocab import LADDER, PHASE

# Most important first: at 80 columns the first three are what a room needs to see.
COLUMNS = (Column("Stage", 28), Column("Status", 21), Column("Deepest rung", 21),
           Column("Lived experience", 22), Column("Phase", 16), Column("Start", 11),
           Column("End", 11), Column("Days", 4))


# For a shared screen: fewer columns, whole names.
PRESENTATION_COLUMNS = (Column("Stage", 50), Column("Status", 21), Column("Deepest rung", 21),
                        Column("Lived experience", 0))


class StageRows:
    """What each stage's row says, worked out once per change of the plan."""

    def __init__(self, views: Views) -> None:
        self.views = views
        plan = views.plan
        sched = views.schedule
        self.order = list(sched.order) if sched else [s.id for s in plan.stages]
        counts: Counter[tuple[str | None, Severity]] = Counter(
            (f.subject.stage, f.severity) for f in views.report.findings)
        self.counts = counts

    def status(self, stage_id: str) -> tuple[str, str]:
        """A symbol and a word (never colour alone) for a stage's state, and its meaning."""
        plan = self.views.plan
        stage = plan.stage(stage_id)
        if stage is None:
            return "", ""
        covered = any(plan.lived_in(t.who) for t in stage.touchpoints)
        exempt = stage.milestone and not plan.review.milestones_need_touchpoints
        if not covered and not exempt:
            return "✖ no lived experience", "error"
        errors = self.counts[(stage_id, Severity.ERROR)]
        if errors:
            return f"✖ {errors} error{'s' if errors != 1 else ''}", "error"
        warnings = self.counts[(stage_id, Severity.WARNING)]
        if warnings:
            return f"▲ {warnings} to look at", "warning"
        return "✔ ok", "ok"

    def row(self, index: int) -> Sequence[Cell]:
        sid = self.order[index]
        plan = self.views.plan
        sched = self.views.schedule
        stage = plan.stage(sid)
        if stage is None:
            return (sid,)
        timing = sched.stages.get(sid) if sched else None
        rung = stage.deepest_ladder
        people = sorted({p.name or p.id for t in stage.touchpoints
                         for p in plan.lived_in(t.who)})
        mark = "◆ " if stage.milestone else "■ " if timing and timing.critical else "  "
        rank = LADDER[rung].rank if rung else 0
        return (
            mark + stage.title,
            self.status(sid),
            f"{'█' * rank}{'·' * (7 - rank)} {LADDER.label(rung) if rung else 'none'}",
            ", ".join(people) if people else ("nobody yet", "muted"),
            PHASE.label(stage.phase) if stage.phase else "",
            f"{timing.start:%d %b %Y}" if timing else "",
            f"{timing.end:%d %b %Y}" if timing and not stage.milestone else "",
            str(stage.duration_days),
        )


class StageTable(RowTable):
    """Stages as rows, keyed by stage id; ■ marks the critical path, ◆ a milestone."""

    def __init__(self, **kwargs: str | None) -> None:
        super().__init__(COLUMNS, empty="No stages yet: press a to add the first one.",
                         **kwargs)

    def set_presentation(self, on: bool) -> None:
        """Fewer, wider columns for reading across a room."""
        self.columns = list(PRESENTATION_COLUMNS if on else COLUMNS)
        self.set_rows(self.keys, self._make_row)

    def refresh_from(self, views: Views) -> None:
        """Redraw from the plan, keeping the selected stage selected."""
        rows = StageRows(views)
        self.set_rows(rows.order, rows.row)

    @property
    def selected_stage(self) -> str | None:
        return self.cursor_key

    def select_stage(self, stage_id: str) -> None:
        self.move_to(stage_id)
