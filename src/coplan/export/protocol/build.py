"""Build the protocol's content from a plan, its schedule and its review report."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from coplan.agreed import without_unmet
from coplan.export.protocol import sec_intro, sec_meta, sec_support, sec_working
from coplan.export.protocol.builder import Builder, new_document
from coplan.export.protocol.content import Document
from coplan.model import Plan

if TYPE_CHECKING:
    from coplan.review.engine import Registry
    from coplan.review.runner import Report
    from coplan.schedule import Schedule

SECTIONS = (
    sec_intro.control, sec_intro.summary, sec_intro.why, sec_intro.meaning, sec_intro.who,
    sec_working.roles, sec_working.stages, sec_working.timeline, sec_working.access,
    sec_support.support, sec_support.payment, sec_support.communication, sec_support.budget,
    sec_support.impact, sec_support.risks, sec_support.ethics, sec_support.reporting,
    sec_meta.changing, sec_meta.how_coproduced, sec_meta.glossary,
    sec_meta.appendix_check, sec_meta.appendix_gaps, sec_meta.appendix_frameworks,
)


def build_protocol(plan: Plan, schedule: Schedule, report: Report | None = None, *,
                   rules: Registry | None = None, plain: bool = False,
                   produced: date | None = None, source: Plan | None = None) -> Document:
    """The co-produced co-production protocol as format-neutral content.

    Its review appendix comes from ``report``, else from reviewing the plan with ``rules``
    (default: coplan's own; the command line and the app pass every plugin's too).
    ``source`` is the plan itself where ``plan`` is the copy made for others (how people
    are paid, and their benefits advice, are counted from it)."""
    if report is None:
        from coplan.review.rules import builtin_rules
        from coplan.review.runner import review

        report = review(plan, schedule, registry=rules if rules is not None else builtin_rules())
    # Written from the plan without what it has not yet agreed: each such value is a gap
    # (the same definition as the review's CP-AGR-001, coplan.agreed).
    b = Builder(without_unmet(plan), schedule, report, plain=plain,
                produced=produced or date.today(),
                source=None if source is None else without_unmet(source))
    title = b.say("Co-production protocol", "How we work together")
    doc = new_document(b, f"{title}: {b.t(plan.project.title)}")
    for make in SECTIONS:
        doc.sections.append(make(b))
    sec_meta.finish(doc, b)
    return doc
