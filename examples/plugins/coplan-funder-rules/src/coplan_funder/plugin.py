"""The hooks this plugin implements.  coplan finds this module through the entry point
``funder = "coplan_funder.plugin"`` in the ``coplan`` group (see pyproject.toml)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coplan.export.contract import Exporter, Format, Options
from coplan.plugins import hookimpl
from coplan.review import Severity, Subject
from coplan.review.engine import Context, Registry, rule

if TYPE_CHECKING:
    from coplan.model import Plan
    from coplan.schedule import Schedule

# The funder's own policy: a share of the budget for involvement.
MIN_INVOLVEMENT_SHARE = 0.05


def _register(registry: Registry) -> None:
    @rule("FUNDER-PAY-001", "Every touchpoint names its payment under our policy",
          Severity.ERROR, registry=registry,
          why="Our funding terms require every activity with public contributors to say how "
              "they are paid, so that the costs in the application are complete.",
          fix="Choose {stage.touchpoint.payment} for each touchpoint (hourly, session, "
              "voucher, expenses only or declined), even where {payment.standard} covers it.",
          sources=("nihr-payment",))
    def payment_on_every_touchpoint(ctx: Context):  # type: ignore[no-untyped-def]
        for tp in ctx.plan.touchpoints:
            if ctx.plan.lived_in(tp.who) and not tp.payment:
                yield (Subject("touchpoint", tp.id, tp.stage, tp.line),
                       f"touchpoint '{tp.id}' does not name its payment as the funder requires")

    @rule("FUNDER-BUD-001", "Involvement has its share of the budget", Severity.WARNING,
          registry=registry,
          why="The funder expects at least a set share of the budget to support involvement.",
          fix="Raise {budget.involvement}, or explain the difference in the application.")
    def budget_share(ctx: Context):  # type: ignore[no-untyped-def]
        budget = ctx.plan.budget
        total = sum(line.amount for line in budget.lines)
        if budget.involvement is None or not total:
            return
        share = budget.involvement / max(total, budget.involvement)
        if share < MIN_INVOLVEMENT_SHARE:
            yield (ctx.project(budget.line),
                   f"involvement is {share:.0%} of the budget; the funder expects "
                   f"{MIN_INVOLVEMENT_SHARE:.0%}")


@hookimpl
def coplan_register_rules(registry: Registry) -> None:
    _register(registry)


def funder_report(plan: Plan, schedule: Schedule, options: Options) -> bytes:
    """The funder's table: each stage, its touchpoints, who takes part and the payment."""
    from coplan.privacy import shown_name
    from coplan.vocab import PAYMENT

    lines = [f"# Involvement summary for the funder: {plan.project.title}", "",
             "| Stage | Touchpoint | People with lived experience | Payment |",
             "|---|---|---|---|"]
    for stage in plan.stages:
        for tp in stage.touchpoints:
            people = ", ".join(shown_name(p) for p in plan.lived_in(tp.who))
            payment = PAYMENT.label(tp.payment or plan.payment.standard or "") \
                if (tp.payment or plan.payment.standard) else "not stated"
            lines.append(f"| {stage.title} | {tp.title} | {people} | {payment} |")
    return ("\n".join(lines) + "\n").encode("utf-8")


FUNDER_REPORT = Exporter(
    name="funder-report",
    title="The funder's involvement table",
    description="The funder's table: each stage, its touchpoints, who takes part and the "
                "payment.",
    formats=(Format("md", ".md", "text/markdown", title="Markdown"),),
    run=funder_report,
)


@hookimpl
def coplan_exporters() -> list[Exporter]:
    return [FUNDER_REPORT]


@hookimpl
def coplan_plan_templates() -> list[Path]:
    return [Path(__file__).parent / "templates" / "funder-study.toml"]
