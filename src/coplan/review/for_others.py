"""A review's report as readers outside the team may read it: every report of ``coplan
check`` (text, JSON, SARIF, JUnit, Markdown) is made from it, since each leaves the
team's screen (a CI log, a pre-commit hook's output, a bid).

A module of its own, apart from the formats for tools (``report_formats``), so that the
text report, which is what most runs write, does not import them.
"""

from __future__ import annotations

from coplan.records import dataclass
from coplan.review.runner import AGREED_RULE, Report
from coplan.review.summary import Summary, summary_for_others


@dataclass(slots=True)
class Summarised(Report):
    """A review's report with its summary worked out already (``summarise`` gives it): a
    report for others made from an outline of its plan (``for_others``), whose stages are
    not in it."""

    summary: Summary | None = None


def for_others(report: Report, audience: str = "team") -> Report:
    """``report`` as readers outside the team may read it, for every format:
    ``sharing.shared_report`` of the copy of its plan for ``audience``, made without
    copying the whole plan.  What the formats read of the copy (the file's name, the
    project's title, the review settings, and for the summary each stage's id, title,
    phase and rungs, its touchpoints' people, roles and reasons for their rung, the
    people) is worked out as the copy has it (``sharing.Parts``), from the same redaction.
    Where the report would read more (the values not yet agreed, when the rule that
    counts them is switched off) or the copy changes what the summary reads as written,
    the whole copy is made."""
    from coplan.model import Stage, Touchpoint
    from coplan.sharing import Parts, shared_plan, shared_report

    plan = report.plan
    if plan.shared_with is None and AGREED_RULE not in report.skipped:
        parts = Parts(plan, audience)
        if parts.kept(Stage, "phase") and parts.kept(Touchpoint, "ladder", "role"):
            out = shared_report(report, parts.outline, plan)
            return Summarised(out.plan, out.schedule, out.findings, out.rules, out.skipped,
                              selected=out.selected, failed=out.failed,
                              accepted=out.accepted,
                              summary=summary_for_others(out, plan, parts))
    made: Report = shared_report(report, shared_plan(plan, audience)[0], plan)
    return made


__all__ = ["Summarised", "for_others"]
