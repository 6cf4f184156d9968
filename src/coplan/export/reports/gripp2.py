"""GRIPP2 (Staniszewska and colleagues, 2017), short form and long form, filled from the plan
and its delivery record.  Every item says what the record holds; where it holds nothing, the
item says "Not recorded yet" and what would answer it, so that a paper never claims more
involvement than happened.  People are counted, never named."""

from __future__ import annotations

from coplan.export.reports import record
from coplan.export.reports.common import Context, day
from coplan.export.reports.document import Report, bullets, gap, para
from coplan.money import written as money
from coplan.vocab import EVALUATION, FORMAT, SETTING
from coplan.words import count


def gripp2(ctx: Context, form: str) -> Report:
    plan = ctx.plan
    long = form == "long"
    report = Report(
        title=f"{plan.project.title}: GRIPP2 {'long' if long else 'short'} form",
        subtitle=f"Reporting involvement with the GRIPP2 {'long' if long else 'short'} form "
                 f"(Staniszewska and colleagues, 2017), from the delivery record as of "
                 f"{day(ctx.today)}. Items the record cannot answer yet say so.",
        produced=ctx.today, kind="gripp2")
    if long:
        _abstract(ctx, report)
        _definition(ctx, report)
        _theory(ctx, report)
    s = report.section("aim", "Aim" if not long else "Aims")
    if plan.project.aim.strip():
        para(s, ctx.viewer.text(plan.project.aim))
    else:
        gap(s, "the aim of involvement in this project ([project] aim).")
    _methods(ctx, report, long)
    if long:
        _capture(ctx, report)
        _economics(ctx, report)
    s = report.section("results", "Results")
    record.impact_results(ctx, s)
    if long:
        views = [e for e in plan.impact if e.contributor_view.strip()]
        if views:
            para(s, "In contributors' own words:")
            bullets(s, [ctx.viewer.text(e.contributor_view) for e in views])
    s = report.section("discussion", "Discussion" if not long else "Discussion and extent "
                       "of influence")
    record.extent(ctx, s)
    if long:
        s = report.section("conclusions", "Conclusions")
        gap(s, "the team's conclusions about involvement and what it means for future work: "
               "for the team and the people involved to write together.")
    s = report.section("reflections", "Reflections and critical perspective")
    record.reflections(ctx, s)
    return report


def _abstract(ctx: Context, report: Report) -> None:
    s = report.section("abstract", "Abstract")
    if ctx.plan.project.summary.strip():
        para(s, ctx.viewer.text(ctx.plan.project.summary))
    else:
        gap(s, "a plain-language summary of the project ([project] summary).")
    para(s, record.sessions_summary(ctx))


def _definition(ctx: Context, report: Report) -> None:
    s = report.section("definition", "Background and definition of involvement")
    terms = [t for t in ctx.plan.protocol.terms
             if any(w in t.term.lower() for w in ("co-production", "involvement",
                                                   "lived experience"))]
    if terms:
        bullets(s, [f"{t.term}: {ctx.viewer.text(t.meaning)}" for t in terms])
    else:
        gap(s, "how the project defines involvement or co-production (a [[protocol.term]] "
               "for it).")
    para(s, f"Setting: {SETTING.label(ctx.plan.project.setting).lower()}. The plan "
            + ("says the project is co-produced." if ctx.plan.project.claims_coproduction
               else "does not claim the project is co-produced."))


def _theory(ctx: Context, report: Report) -> None:
    s = report.section("theory", "Concepts and theory")
    rungs = any(r.ladder for t in ctx.plan.touchpoints for r in t.records)
    standards = any(e.standard for e in ctx.plan.impact)
    if not rungs and not standards:
        gap(s, "how involvement was described and judged: no session record names the rung "
               "it reached, and no impact entry names a UK Standard.")
        return
    if rungs:
        para(s, "How deep involvement went is recorded against the ladder of co-production "
                "(Think Local Act Personal), session by session.")
    if standards:
        para(s, "What changed is recorded against the UK Standards for Public Involvement "
                "(NIHR and partners, 2019).")


def _methods(ctx: Context, report: Report, long: bool) -> None:
    s = report.section("methods", "Methods")
    held = ctx.held()
    if not held:
        gap(s, "how people were involved: no session is recorded as held yet "
               "([[stage.touchpoint.record]]).")
    else:
        para(s, record.sessions_summary(ctx))
        formats = sorted({FORMAT.label(st.touchpoint.format) for st in held})
        para(s, "Ways of working so far: " + ", ".join(f.lower() for f in formats) + ".")
    people = record.people_involved(ctx)
    if people:
        para(s, people)
    record.involvement_table(ctx, s)
    if long:
        support = ctx.plan.support
        if support.training.strip():
            para(s, "Training and support: " + ctx.viewer.text(support.training))
        else:
            gap(s, "what training and support contributors had ([support] training).")
        routes = ctx.plan.recruitment.routes
        if routes:
            para(s, "How people were found: " + "; ".join(ctx.viewer.text(r) for r in routes)
                 + ".")


def _capture(ctx: Context, report: Report) -> None:
    s = report.section("capture", "Capturing the impact of involvement")
    methods = [EVALUATION.label(m) for m in ctx.plan.evaluation.methods]
    if methods:
        para(s, "Planned ways of capturing impact: " + "; ".join(methods) + ".")
    entries = list(ctx.plan.impact)
    if entries:
        both = sum(1 for e in entries if e.contributor_view.strip() and e.team_view.strip())
        para(s, f"Recorded so far: {count(len(entries), 'entry', 'entries')} in the impact "
                f"log, {both} with both the contributors' and the team's view, and "
                f"{count(len(ctx.plan.reflections), 'reflection')} at checkpoints.")
    else:
        gap(s, "any capture of impact: the impact log has no entries.")


def _economics(ctx: Context, report: Report) -> None:
    s = report.section("economics", "Economic assessment")
    costing = ctx.costing
    if costing.costs:
        para(s, f"The plan's involvement costs, worked out from its rate card and sessions: "
                f"{money(costing.total, costing.currency)} ({money(costing.fees, costing.currency)}"
                f" for people's time, {money(costing.expenses, costing.currency)} in expenses, "
                f"{costing.hours:,.0f} paid hours)."
             + (f" Budgeted: {money(costing.funded, costing.currency)}."
                if costing.funded is not None else ""))
    else:
        gap(s, "what involvement costs: the plan has no rate card ([[payment.rates]]).")
    line = record.paid_line(ctx)
    if line:
        para(s, line)
    else:
        gap(s, "what has been paid: the payments ledger ([[paid]]) is empty.")
