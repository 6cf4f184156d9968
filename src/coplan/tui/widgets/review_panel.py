"""The review panel: the findings of `coplan check`, live, with a way to each one."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from coplan.review.engine import Finding, Severity
from coplan.session import Views
from coplan.tui.widgets.row_table import Cell, Column, RowTable

MARK = {Severity.ERROR: ("✖ error", "error"),
        Severity.WARNING: ("▲ warning", "warning"),
        Severity.INFO: ("● note", "info")}

COLUMNS = (Column("Severity", 10), Column("Where", 26), Column("Rule", 15),
           Column("What coplan found", 0))

# Findings with a quick fix, by rule: what pressing f opens.
TOUCHPOINT_FIXES = frozenset({
    "CP-STG-004", "CP-LAD-005", "CP-LAD-007", "CP-ROL-001", "CP-INC-002", "CP-ACC-002",
    "CP-ACC-003", "CP-ACC-004", "CP-WEL-002", "CP-PAY-002", "CP-COM-001", "CP-COM-002",
    "CP-LUN-003", "CP-STG-002", "CP-STG-003"})


def fix_kind(finding: Finding) -> str:
    """Which form f opens for a finding: "add-touchpoint", "touchpoint", "settings",
    "protocol", or "" when there is no quick fix."""
    if finding.rule == "CP-STG-001" and finding.subject.kind == "stage":
        return "add-touchpoint"
    if finding.rule in TOUCHPOINT_FIXES and finding.subject.kind == "touchpoint":
        return "touchpoint"
    if finding.rule.startswith("CP-SLO"):
        return "settings"
    if finding.rule.startswith("CP-META") or finding.rule in ("CP-WEL-001", "CP-WEL-005"):
        return "protocol"
    return ""


FIX_WORDS = {"add-touchpoint": "press f to add a touchpoint here",
             "touchpoint": "press f to open the touchpoint",
             "settings": "press f to open the slow-down settings",
             "protocol": "press f to open the protocol text"}


def where(views: Views, finding: Finding) -> str:
    subject = finding.subject
    stage = views.plan.stage(subject.stage) if subject.stage else None
    if stage is not None:
        return stage.title
    if subject.kind == "person":
        person = views.plan.person(subject.id)
        return (person.name or person.id) if person else subject.id
    if subject.kind == "meeting":
        return f"meeting {subject.id}"
    return "the whole plan"


class ReviewPanel(RowTable):
    """One row per finding, most serious first; the row key is its place in the list."""

    def __init__(self, **kwargs: str | None) -> None:
        super().__init__(COLUMNS, empty="✔ Nothing to report: every check passed.", **kwargs)
        self.findings: list[Finding] = []
        self.views: Views | None = None

    def refresh_from(self, views: Views) -> None:
        self.views = views
        keep = self.selected
        sched = views.schedule
        order = {sid: i for i, sid in enumerate(sched.order)} if sched else {
            s.id: i for i, s in enumerate(views.plan.stages)}
        self.findings = sorted(views.report.findings, key=lambda f: (
            -f.severity, order.get(f.subject.stage, -1), f.rule, f.subject.id))
        keys = [f"{f.rule}:{f.subject.kind}:{f.subject.stage}:{f.subject.id}:{i}"
                for i, f in enumerate(self.findings)]
        self.set_rows(keys, self._row, keep=self._key_like(keep, keys))

    @staticmethod
    def _key_like(finding: Finding | None, keys: list[str]) -> str | None:
        if finding is None:
            return None
        prefix = f"{finding.rule}:{finding.subject.kind}:{finding.subject.stage}:" \
                 f"{finding.subject.id}:"
        return next((k for k in keys if k.startswith(prefix)), None)

    def _row(self, index: int) -> Sequence[Cell]:
        f = self.findings[index]
        assert self.views is not None
        return (MARK[f.severity], where(self.views, f), f.rule, f.message)

    @property
    def selected(self) -> Finding | None:
        if 0 <= self.cursor_row < len(self.findings):
            return self.findings[self.cursor_row]
        return None

    def select_rule(self, rule: str, stage: str | None = None) -> bool:
        """Move to the first finding of ``rule`` (about ``stage`` if given)."""
        for i, f in enumerate(self.findings):
            if f.rule == rule and (stage is None or f.subject.stage == stage):
                self.cursor_row = i
                return True
        return False


def explain(views: Views, finding: Finding | None) -> Text:
    """The selected finding in full: what, why it matters, how to fix it."""
    if finding is None:
        return Text("")
    rule = next((r for r in views.report.rules if r.id == finding.rule), None)
    word, _ = MARK[finding.severity]
    text = Text()
    text.append(f"{word.split()[0]} {finding.rule}", style="bold")
    if rule is not None:
        text.append(f": {rule.title}", style="bold")
    message = finding.message[:1].upper() + finding.message[1:]
    text.append("\n" + message + ("" if message.endswith((".", "!", "?")) else "."))
    if rule is not None and rule.why:
        text.append(f"\nWhy it matters: {rule.why}")
    if finding.fix:
        text.append(f"\nTo put it right: {finding.fix}")
    kind = fix_kind(finding)
    text.append("\n" + (f"Enter goes to it; {FIX_WORDS[kind]}." if kind
                        else "Enter goes to it; there is no quick fix for this one."),
                style="italic")
    return text


class FindingDetails(Static):
    def show(self, views: Views, finding: Finding | None) -> None:
        self.update(explain(views, finding))
