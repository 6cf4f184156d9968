"""The plan view: stages in the order they happen, with depth and a clear status marker."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from coplan.review.engine import Severity
from coplan.session import Views
from coplan.vocab import LADDER, PHASE

# Most important first: at 80 columns the first three are what a room needs to see.
COLUMNS = (("Stage", 26), ("Status", 22), ("Deepest rung", 21), ("Lived experience", 22),
           ("Phase", 16), ("Start", 11), ("End", 11), ("Days", 4))


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def status_of(views: Views, stage_id: str) -> tuple[str, str]:
    """A symbol and a word (never colour alone) for a stage's state, and a style."""
    plan = views.plan
    stage = plan.stage(stage_id)
    if stage is None:
        return "", ""
    errors = sum(1 for f in views.report.findings
                 if f.severity == Severity.ERROR and (f.subject.stage == stage_id))
    covered = any(plan.lived_in(t.who) for t in stage.touchpoints)
    if not covered and not stage.milestone:
        return "✖ no lived experience", "status-error"
    if errors:
        return f"✖ {errors} error{'s' if errors != 1 else ''}", "status-error"
    warnings = sum(1 for f in views.report.findings
                   if f.severity == Severity.WARNING and f.subject.stage == stage_id)
    if warnings:
        return f"▲ {warnings} to look at", "status-warning"
    return "✔ ok", "status-ok"


class StageTable(DataTable[Text | str]):
    """Stages as rows, keyed by stage id."""

    DEFAULT_CSS = ""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        for column, width in COLUMNS:
            self.add_column(column, key=column, width=width)

    def refresh_from(self, views: Views) -> None:
        """Redraw from the plan, keeping the selected stage selected."""
        selected = self.selected_stage
        self.clear()
        plan = views.plan
        sched = views.schedule
        order = sched.order if sched else [s.id for s in plan.stages]
        for sid in order:
            stage = plan.stage(sid)
            if stage is None:
                continue
            timing = sched.stages.get(sid) if sched else None
            rung = stage.deepest_ladder
            people = sorted({p.name or p.id for t in stage.touchpoints
                             for p in plan.lived_in(t.who)})
            word, style = status_of(views, sid)
            marker = "■ " if timing and timing.critical else ""
            title = Text(_fit(("◆ " if stage.milestone else "") + marker + stage.title, 26))
            rank = LADDER[rung].rank if rung else 0
            self.add_row(
                title,
                Text(word, style=style),
                f"{'█' * rank}{'·' * (7 - rank)} {LADDER.label(rung) if rung else 'none'}",
                _fit(", ".join(people) if people else "nobody yet", 22),
                _fit(PHASE.label(stage.phase), 16) if stage.phase else "",
                f"{timing.start:%d %b %Y}" if timing else "",
                f"{timing.end:%d %b %Y}" if timing and not stage.milestone else "",
                str(stage.duration_days),
                key=sid,
            )
        if selected and selected in order:
            self.select_stage(selected)

    @property
    def selected_stage(self) -> str | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:
            return None
        return str(key.value) if key and key.value is not None else None

    def select_stage(self, stage_id: str) -> None:
        try:
            row = self.get_row_index(stage_id)
        except Exception:
            return
        self.move_cursor(row=row)
