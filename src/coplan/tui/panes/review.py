"""The Review tab: what ``coplan check`` finds, live, each finding with the form that puts
it right.

Enter (or f) on a finding opens the form that puts it right, at the field its rule names,
with the value that puts it right offered where one does; on any other tab, f does so for
the most serious finding about the selected stage.  w goes to what a finding is about.  A
finding that does not fit the project can be accepted with a reason (A): that finding
only (an entry of ``[[review.accept]]``, the default) or its whole rule (switched off in
``[review.skip]``); the reason shows in every report.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult

from coplan.edit import PlanDocument
from coplan.review.engine import Finding, Severity
from coplan.review.runner import acceptance_keys, acceptance_of
from coplan.session import Views
from coplan.tui import editing
from coplan.tui.action_spec import ActionSpec
from coplan.tui.forms import Target
from coplan.tui.panes.base import Pane
from coplan.tui.panes.people import PeoplePane
from coplan.tui.panes.plan import PlanPane
from coplan.tui.screens.form import Field, FormScreen
from coplan.tui.widgets.literal import Static
from coplan.tui.widgets.review_panel import FindingDetails, ReviewPanel
from coplan.tui.widgets.row_table import RowTable
from coplan.tui.widgets.text import show


class ReviewPane(Pane):
    """The counts, the findings (most serious first) and the selected one in full."""

    MAIN = "#findings"
    ACTIONS: ClassVar[tuple[ActionSpec, ...]] = (
        ActionSpec("fix_finding", "f", "review", "fix the selected finding",
                   "Open the form that puts right the finding selected on the Review tab (on "
                   "the Plan tab: the selected stage's most serious one), at the field to "
                   "change.", footer="Fix", rank=2),
        ActionSpec("accept_finding", "A", "review", "accept a finding with a reason",
                   "Accept the selected finding with a reason: this finding only (it is "
                   "written in the review settings and no longer counted), or its whole rule "
                   "(switched off); every report shows why.",
                   footer="Accept", rank=3),
        ActionSpec("go_to_finding", "w", "review", "show where the finding is",
                   "Go to what the selected finding is about (its stage, person or meeting).",
                   footer="Where", rank=4),
    )

    def compose(self) -> ComposeResult:
        yield Static("", id="review-summary")
        yield ReviewPanel(id="findings")
        yield FindingDetails("", id="finding-details")

    def on_resize(self) -> None:
        self.query_one(FindingDetails).fit_under(self.panel)

    @property
    def panel(self) -> ReviewPanel:
        return self.query_one(ReviewPanel)

    def refresh_from(self, views: Views) -> None:
        report = views.report
        # One pass over the findings (a large plan has tens of thousands), not one for
        # each count.
        counts = Counter(f.severity for f in report.findings)
        errors, warnings, infos = (counts[Severity.ERROR], counts[Severity.WARNING],
                                   counts[Severity.INFO])
        to_agree = report.to_agree
        draft = to_agree > 0 or report.draft
        accepted = len(report.skipped) + len(report.accepted)
        show(self.query_one("#review-summary", Static),
             f"✖ {errors} error{'s' if errors != 1 else ''}   ▲ {warnings} to look at   "
            f"● {infos} note{'s' if infos != 1 else ''}   "
            + (f"✓ {accepted} accepted with a reason   " if accepted else "")
            + (f"✎ {to_agree} still to agree (a draft)   " if draft else "")
            + "Enter: put it right · A: accept with a reason · w: where it is"
            + (f"\n{self.host.story}" if self.host.story else ""))
        self.panel.refresh_from(views)
        self._show_details()

    def _show_details(self) -> None:
        self.query_one(FindingDetails).show(self.session.views, self.panel.selected,
                                            self.panel.selected_accepted, self.session)

    @on(RowTable.RowHighlighted, "#findings")
    def _finding_highlighted(self) -> None:
        self._show_details()

    @on(RowTable.RowSelected, "#findings")
    def _finding_chosen(self) -> None:
        """Enter on a finding: open the form that puts it right (or, for one accepted
        with a reason, the review settings where the reason is written)."""
        if self.panel.selected_accepted is not None:
            self._edit_accepted()
            return
        finding = self.panel.selected
        if finding is None:
            return
        if finding.subject.key[:2] == ABOUT_SETTINGS:
            self._edit_settings(finding)
            return
        unrecorded = editing.session_to_record(self.session, finding)
        if unrecorded is not None:
            from coplan.tui.panes.delivery import DeliveryPane

            self.host.pane(DeliveryPane).record(unrecorded)
            return
        if self._fix_of(finding) is None:
            self.action_go_to_finding()
            return
        self._fix(finding)

    def action_go_to_finding(self) -> None:
        finding = self.panel.selected if self.in_view else None
        if finding is None:
            self.notify("Choose a finding on the Review tab (3) first.", severity="warning")
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

    # -- putting it right -----------------------------------------------------------------
    def _fix_of(self, finding: Finding) -> editing.Fix | None:
        return editing.fix_for(self.session.plan, finding,
                               self.session.report.rule(finding.rule))

    def _finding_to_fix(self) -> Finding | None:
        """The finding f applies to: the one selected here when this tab is on screen, or
        else the most serious one about the selected stage."""
        if self.in_view:
            return self.panel.selected
        sid = self.host.pane(PlanPane).selected_stage
        about = [f for f in self.session.report.findings if sid and f.subject.stage == sid]
        fixable = [f for f in about if self._fix_of(f) is not None]
        if not fixable:
            self.notify("Nothing to put right about this stage. The Review tab (3) lists "
                        "everything coplan found.", timeout=5)
            return None
        return min(fixable, key=lambda f: -f.severity)

    def action_fix_finding(self) -> None:
        finding = self._finding_to_fix()
        if finding is not None:
            self._fix(finding)

    @work(group="dialog")
    async def _fix(self, finding: Finding) -> None:
        _, finding, fix = editing.leads_to(self.session, finding)
        if fix is None:
            self.notify(f"{finding.rule}: {finding.fix}", timeout=8)
            return
        await editing.open_form(self.app, fix.target, focus=fix.key, suggest=fix.suggest,
                                prefill=fix.prefill,
                                intro=f"{finding.rule}: {finding.message[:1].upper()}"
                                      f"{finding.message[1:].rstrip('.')}.\n"
                                      f"To put it right: {finding.fix}")

    # -- accepting it -------------------------------------------------------------------------
    def action_accept_finding(self) -> None:
        finding = self.panel.selected if self.in_view else None
        if finding is None:
            self.notify("Choose a finding on the Review tab (3) first.", severity="warning")
            return
        if finding.subject.key[:2] == ABOUT_SETTINGS:
            # (an entry of the review settings that accepts or switches off nothing:
            # accepting that would only hide a mistake in the acceptances themselves)
            self.notify("This is about the review settings themselves: Enter opens them, to "
                        "put the entry right or take it out.", severity="warning", timeout=8)
            return
        self._accept(finding)

    @work(group="dialog")
    async def _accept(self, finding: Finding) -> None:
        rule = self.session.report.rule(finding.rule)
        count = sum(1 for f in self.session.report.findings if f.rule == finding.rule)
        others = count - 1
        what = finding.subject.describe()
        await self.app.push_screen_wait(FormScreen(
            f"Accept {finding.rule} with a reason", [
                Field("scope", "What to accept", kind="select", value=ONE, options=(
                    (f"This finding only (about {what})", ONE),
                    (f"The whole rule: switch {finding.rule} off "
                     f"({count} finding{'s' if count != 1 else ''} now, and any later)",
                     WHOLE)),
                    explain=lambda scope: (
                        "The check stays on for everything else"
                        + (f" ({others} other finding{'s' if others != 1 else ''} now)"
                           if others else "") + "." if scope == ONE else
                        "Every finding of this check, now and later, is switched off.")),
                Field("reason", "Why this does not fit our project", required=True,
                      help="Every report shows this reason beside what it accepts, so say "
                           "it plainly.")],
            intro=(f"{rule.title if rule else finding.rule}. Accepting it is written in the "
                   "review settings; taking the entry out there counts it again."),
            submit_label="Accept",
            save=lambda values: self.host.attempt(
                f"accepted {finding.rule} with a reason"
                + (" for this finding only" if values["scope"] != WHOLE else ""),
                lambda doc: _write_acceptance(doc, finding, values["scope"],
                                              values["reason"]))))

    @work(group="dialog")
    async def _edit_settings(self, finding: Finding) -> None:
        """The entry of the review settings a finding about them is at: an acceptance
        (its ``entry``), else the rules switched off."""
        at = finding.subject.entry - 1
        if not 0 <= at < len(self.session.plan.review.accepted):
            await editing.open_form(self.app, Target(("review",), (None,)), focus="skip")
        else:
            await editing.open_form(self.app, Target(("review", "accept"), (None, at)),
                                    focus="rule")

    @work(group="dialog")
    async def _edit_accepted(self) -> None:
        accepted = self.panel.selected_accepted
        found = accepted.finding if accepted is not None else None
        at = acceptance_of(self.session.plan, found) if found is not None else None
        if at is None:
            await editing.open_form(self.app, Target(("review",), (None,)), focus="skip")
        else:
            await editing.open_form(self.app, Target(("review", "accept"), (None, at)),
                                    focus="reason")


# What a finding about the review settings themselves is about (an entry of [review.skip]
# or [[review.accept]] that switches off or accepts nothing).
ABOUT_SETTINGS = ("project", "review")
ONE, WHOLE = "finding", "rule"  # what A accepts: the finding only, or its whole rule


def _write_acceptance(doc: PlanDocument, finding: Finding, scope: str, reason: str) -> None:
    """The exact TOML for accepting ``finding``: an entry of ``[[review.accept]]`` naming
    it (the default), or its rule in ``[review.skip]``; nothing else changes."""
    if scope == WHOLE:
        doc.set_in(_skip_table(doc), finding.rule, reason)
    else:
        doc.add_item(("review", "accept"), (None, None),
                     {**acceptance_keys(finding), "reason": reason})


def _skip_table(doc: PlanDocument) -> Any:
    """The plan's ``[review.skip]`` table, made if it is not there yet."""
    return doc.item_at(("review", "skip"), (None, None), create=True)
