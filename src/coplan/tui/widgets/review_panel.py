"""The review panel: the findings of `coplan check`, live, with a way to each one."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from coplan.review.engine import Finding, Severity
from coplan.session import Views

MARK = {Severity.ERROR: ("✖ error", "status-error"),
        Severity.WARNING: ("▲ warning", "status-warning"),
        Severity.INFO: ("● note", "status-info")}


class ReviewPanel(DataTable[Text | str]):
    """One row per finding; the row key is its index in the report."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.findings: list[Finding] = []

    def on_mount(self) -> None:
        for column in ("Severity", "Where", "Rule", "What coplan found"):
            self.add_column(column, key=column)

    def refresh_from(self, views: Views) -> None:
        row = self.cursor_row
        self.clear()
        self.findings = sorted(views.report.findings, key=lambda f: (-f.severity, f.line))
        for i, f in enumerate(self.findings):
            word, style = MARK[f.severity]
            where = f.subject.stage or (f.subject.id if f.subject.kind == "person" else "plan")
            stage = views.plan.stage(where)
            self.add_row(Text(word, style=style), stage.title if stage else where, f.rule,
                         f.message, key=str(i))
        if self.findings:
            self.move_cursor(row=min(row, len(self.findings) - 1))

    @property
    def selected(self) -> Finding | None:
        if not self.findings or self.cursor_row >= len(self.findings):
            return None
        return self.findings[self.cursor_row]
