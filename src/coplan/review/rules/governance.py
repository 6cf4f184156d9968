"""Governance and working together: leads, shared decisions, ground rules."""

from __future__ import annotations

from collections.abc import Iterator

from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import table_subject

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


@RULES.rule("CP-GOV-001", "A named lead for involvement", Severity.ERROR,
            why="Someone must be responsible for involvement and co-production, with the time "
                "to do it.",
            fix="Name them in {governance.lead}.",
            sources=("ukspi",))
def named_lead(ctx: Context) -> Found:
    if not ctx.plan.governance.lead:
        yield table_subject(ctx, "governance"), "nobody is named as the involvement lead"


@RULES.rule("CP-GOV-002", "Lived experience in how the project is run", Severity.WARNING,
            strict=Severity.ERROR,
            why="Sharing power includes the decisions about running the project: people with "
                "lived experience on the steering group or as co-leads.",
            fix="Add people with lived experience to {governance.co_leads} or "
                "{governance.board}.",
            sources=("ukspi", "nihr-coproduction", "tlap-ladder"))
def lived_governance(ctx: Context) -> Found:
    g = ctx.plan.governance
    if not ctx.plan.lived_among((*g.co_leads, *g.board)):
        yield table_subject(ctx, "governance"), "nobody with lived experience is a co-lead or " \
            "on the board that runs the project"


@RULES.rule("CP-GOV-003", "How decisions are made is agreed", Severity.WARNING,
            why="People need to know how decisions are taken (consensus, a vote) and how their "
                "views count.",
            fix="Describe it in {governance.decisions}.",
            sources=("nihr-coproduction",))
def decision_rules(ctx: Context) -> Found:
    if not ctx.plan.governance.decisions:
        yield table_subject(ctx, "governance"), "the plan does not say how decisions are made"


@RULES.rule("CP-WT-001", "Ground rules agreed together", Severity.WARNING, strict=Severity.ERROR,
            why="Agreeing how to work together, early, makes a safe space everyone shares.",
            fix="Record them in {governance.ground_rules}.",
            sources=("nihr-coproduction", "four-pi"))
def ground_rules(ctx: Context) -> Found:
    if not ctx.plan.governance.ground_rules:
        yield table_subject(ctx, "governance"), "there are no ground rules agreed together"


@RULES.rule("CP-WT-002", "A way to resolve disagreements", Severity.WARNING,
            why="Disagreement is part of working together; people need a fair way to raise and "
                "settle it.",
            fix="Describe it in {governance.disagreements}.",
            sources=("ukspi",))
def disagreements(ctx: Context) -> Found:
    if not ctx.plan.governance.disagreements:
        yield table_subject(ctx, "governance"), "there is no way to raise and resolve " \
            "disagreements"


@RULES.rule("CP-WT-004", "Key decisions are logged with who took part", Severity.INFO,
            why="A log of decisions and who made them is the evidence of shared ownership, and "
                "feeds the final report.",
            fix="Add entries to {log}: the date, what was decided and who took part.",
            sources=("nihr-coproduction", "gripp2"))
def decision_log(ctx: Context) -> Found:
    if not ctx.plan.log:
        yield ctx.project(), "no decisions are logged yet"
