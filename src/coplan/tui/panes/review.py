"""The Review tab: what ``coplan check`` finds, live, each finding with a way to it.

Its action, the quick fix (f), opens the form that puts a finding right: here, for the
finding selected; on any other tab, for the most serious finding about the selected stage.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from coplan.review.engine import Finding
from coplan.session import Views
from coplan.tui.action_spec import ActionSpec
from coplan.tui.panes.base import Pane
from coplan.tui.panes.people import PeoplePane
from coplan.tui.panes.plan import PlanPane
from coplan.tui.panes.protocol import ProtocolPane
from coplan.tui.widgets.review_panel import FindingDetails, ReviewPanel, fix_kind
from coplan.tui.widgets.row_table import RowTable


class ReviewPane(Pane):
    """The counts, the findings (most serious first) and the selected one in full."""

    MAIN = "#findings"
    ACTIONS: ClassVar[tuple[ActionSpec, ...]] = (
        ActionSpec("fix_finding", "f", "review", "fix the selected finding",
                   "Open the form that puts right the finding selected on the Review tab (on "
                   "the Plan tab: the selected stage's most serious one), where there is a "
                   "quick fix.", show=False),
    )

    def compose(self) -> ComposeResult:
        yield Static("", id="review-summary")
        yield ReviewPanel(id="findings")
        yield FindingDetails("", id="finding-details")

    @property
    def panel(self) -> ReviewPanel:
        return self.query_one(ReviewPanel)

    def refresh_from(self, views: Views) -> None:
        report = views.report
        errors, warnings, infos = report.errors, report.warnings, report.infos
        self.query_one("#review-summary", Static).update(
            f"✖ {errors} error{'s' if errors != 1 else ''}   ▲ {warnings} to look at   "
            f"● {infos} note{'s' if infos != 1 else ''}   "
            + (f"✎ {report.to_agree} still to agree (a draft)   " if report.draft else "")
            + "Enter: go to it · f: quick fix")
        self.panel.refresh_from(views)
        self.query_one(FindingDetails).show(views, self.panel.selected)

    @on(RowTable.RowHighlighted, "#findings")
    def _finding_highlighted(self) -> None:
        self.query_one(FindingDetails).show(self.session.views, self.panel.selected)

    @on(RowTable.RowSelected, "#findings")
    def _finding_chosen(self) -> None:
        """Enter on a finding: go to what it is about."""
        finding = self.panel.selected
        if finding is None:
            return
        stage = finding.subject.stage
        if stage and self.session.plan.stage(stage):
            self.host.pane(PlanPane).focus_stage(stage)
        elif finding.subject.kind == "person":
            self.host.show_tab("people")
            self.host.pane(PeoplePane).select_person(finding.subject.id)
        elif finding.subject.kind == "meeting":
            self.host.show_tab("meetings")
        self.notify(f"{finding.rule}: {finding.message.rstrip('.')}. {finding.fix}".strip(),
                    timeout=8)

    # -- quick fixes ----------------------------------------------------------------------
    def _finding_to_fix(self) -> Finding | None:
        """The finding f applies to: the one selected here when this tab is on screen, or
        else the first one with a quick fix about the selected stage."""
        if self.in_view:
            return self.panel.selected
        sid = self.host.pane(PlanPane).selected_stage
        about = [f for f in self.session.report.findings if sid and f.subject.stage == sid]
        fixable = [f for f in about if fix_kind(f)]
        if not fixable:
            self.notify("Nothing here has a quick fix. The Review tab (3) lists everything "
                        "coplan found.", timeout=5)
            return None
        return min(fixable, key=lambda f: -f.severity)

    def action_fix_finding(self) -> None:
        finding = self._finding_to_fix()
        if finding is None:
            return
        plan = self.session.plan
        stages = self.host.pane(PlanPane)
        kind = fix_kind(finding)
        if kind == "add-touchpoint":
            sid = finding.subject.stage or stages.selected_stage
            if sid:
                stages.add_touchpoint(sid)
        elif kind == "touchpoint":
            stage = plan.stage(finding.subject.stage)
            tp = next((t for t in stage.touchpoints if t.id == finding.subject.id), None) \
                if stage else None
            if stage is not None and tp is not None:
                stages.edit_touchpoint(stage.id, tp.index)
        elif kind == "settings":
            stages.action_edit_settings()
        elif kind == "protocol":
            self.host.pane(ProtocolPane).action_edit_protocol()
        else:
            self.notify(f"No quick fix for {finding.rule}. {finding.fix}", timeout=8)
