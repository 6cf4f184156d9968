"""The progress report for leads and funders: each stage against the baseline (slippage),
the finish against the baseline and the date the project must finish by, what involvement
costs against its budget and what has been paid, and what is overdue.  For leads and
funders it names no one: people are counted.  For the team, people appear as they agreed
(``privacy.shown_name``)."""

from __future__ import annotations

from coplan.delivery import Overdue
from coplan.durations import calendar_days
from coplan.export.budget_words import funded_from, line_by_line
from coplan.export.reports import record
from coplan.export.reports.common import Context, day
from coplan.export.reports.document import Report, gap, para, table
from coplan.money import written as money
from coplan.words import count

KIND_WORDS = {"feedback": "Feedback not sent", "payment": "Payment not made",
              "benefits-advice": "Paid before benefits advice was offered",
              "record": "Session not recorded", "reflection": "Reflection not noted"}


def progress(ctx: Context) -> Report:
    plan, st = ctx.plan, ctx.status
    report = Report(
        title=f"{plan.project.title}: progress report",
        subtitle=f"Where the project stands on {day(ctx.today)}: the schedule against the "
                 f"baseline, costs against the budget, and what is overdue.",
        produced=ctx.today, kind="progress")
    s = report.section("finish", "The finish")
    line = f"The project is now due to finish on {day(st.finish)}."
    if st.baseline_finish is not None:
        moved = (st.finish - st.baseline_finish).days
        line += (f" That is {calendar_days(moved)} later than the baseline "
                 f"({day(st.baseline_finish)})." if moved > 0 else
                 f" That is {calendar_days(-moved)} earlier than the baseline "
                 f"({day(st.baseline_finish)})." if moved < 0 else " As in the baseline.")
    para(s, line)
    if st.baseline_finish is None:
        gap(s, "a baseline to measure slippage against (coplan baseline save).")
    if st.finish_by is not None:
        margin = st.margin_days or 0
        para(s, f"It must finish by {day(st.finish_by)}: "
                + (f"{calendar_days(margin)} to spare." if margin >= 0 else
                   f"{calendar_days(-margin)} past it."))
    else:
        gap(s, "the date the project must finish by ([project] finish_by).")
    para(s, record.sessions_summary(ctx))
    if not st.recording:
        gap(s, "what has happened: the plan keeps no delivery record yet.")

    s = report.section("stages", "Stages against the baseline")
    rows = []
    for state in st.stages:
        base = next((b for b in plan.baseline.stages if b.stage == state.stage.id), None)
        timing = ctx.now.stages[state.stage.id]
        start = state.stage.started or timing.start
        slipped = state.slipped_days
        rows.append([
            state.stage.title,
            f"{day(base.start)} to {day(base.finish)}" if base else "No baseline",
            f"{day(start)} to {day(state.finish)}",
            state.state + (f" ({state.stage.progress}%)" if state.stage.progress is not None
                           and state.state != "done" else ""),
            "-" if slipped is None else ("on time" if slipped == 0 else
                                         f"{calendar_days(slipped)} later" if slipped > 0
                                         else f"{calendar_days(-slipped)} earlier"),
        ])
    if rows:
        table(s, "Each stage: as agreed in the baseline, and as it is now",
              ["Stage", "Baseline", "Actual or now planned", "State", "Finish moved"], rows)
    else:
        para(s, "The plan has no stages yet.")

    s = report.section("costs", "Costs against the budget")
    costing = ctx.costing
    cur = costing.currency
    if costing.costs:
        para(s, f"Involvement costs worked out from the plan: {money(costing.total, cur)} "
                f"({money(costing.fees, cur)} for people's time, "
                f"{money(costing.expenses, cur)} in expenses).")
    else:
        gap(s, "what involvement costs: the plan has no rate card ([[payment.rates]]).")
    whence = "" if costing.funded is None else \
        f" ({funded_from(costing, plan.budget.involvement)})"
    if costing.funded is not None and not costing.costs:
        # (nothing priced is not money to spare)
        para(s, f"Budgeted for it: {money(costing.funded, cur)}{whence}. Nothing in the plan "
                "could be "
                "priced yet, so the costs cannot be set against it.")
    elif costing.funded is not None and costing.unpriced:
        short = costing.total - costing.funded
        para(s, f"Budgeted for it: {money(costing.funded, cur)}{whence}. The costs priced so far "
                f"come to {money(costing.total, cur)}"
                + (f", {money(short, cur)} more than the budget" if short > 0 else "")
                + "; not all could be priced, so what the plan costs in all is not known "
                  "yet.")
    elif costing.funded is not None:
        short = costing.total - costing.funded
        para(s, f"Budgeted for it: {money(costing.funded, cur)}{whence}, which leaves "
                + (f"{money(-short, cur)} to spare." if short <= 0 else
                   f"{money(short, cur)} short: the budget does not cover the plan.")
                + line_by_line(costing))
    else:
        gap(s, "the involvement budget ([budget]).")
    if costing.unpriced:
        gap(s, f"the cost of {count(len(costing.unpriced), 'item')} the plan could not "
               "price: " + "; ".join(sorted({u.reason for u in costing.unpriced})) + ".")
    if costing.otherwise:  # (as ``coplan budget`` says it: no one named)
        para(s, "Priced otherwise, for "
                f"{count(len({o.person for o in costing.otherwise}), 'person', 'people')}: "
                + "; ".join(sorted({o.reason for o in costing.otherwise})) + ".")
    line = record.paid_line(ctx)
    para(s, line) if line else gap(s, "what has been paid: the payments ledger is empty.")
    owed = ctx.owed
    if owed:
        total = sum(owed.values())
        para(s, f"Owed now: {money(total, cur)} to {count(len(owed), 'person', 'people')}.")
        if ctx.viewer.audience != "leads":
            table(s, "Owed now, by person", ["Person", "Owed"],
                  [[ctx.viewer.name(who), money(amount, cur)] for who, amount in owed.items()])
    days = ctx.source_status.days_to_pay
    if days:
        within = plan.payment.within_days
        late = sum(1 for d in days if within is not None and d > within)
        para(s, f"Time to pay: {count(max(days), 'working day')} at the longest, "
                f"{sorted(days)[len(days) // 2]} usually"
                + (f", against a promise of {within}: {late} of "
                   f"{count(len(days), 'payment')} took longer." if within is not None
                   else "."))

    s = report.section("overdue", "What is overdue")
    overdue = ctx.source_status.overdue
    if not overdue:
        para(s, "Nothing is overdue.")
    else:
        table(s, f"Overdue on {day(ctx.today)}", ["What", "About", "Was due"],
              [[KIND_WORDS.get(o.kind, o.kind), _about(ctx, o), day(o.due)]
               for o in overdue])
    return report


def _about(ctx: Context, item: Overdue) -> str:
    parts = []
    tp = ctx.shared_touchpoint(item.touchpoint) if item.touchpoint else None
    if tp is not None:
        parts.append(f"session {item.session} of {tp.title}" if item.session else tp.title)
    elif item.kind == "reflection":
        parts.append(f"reflection checkpoint {item.session}")
    if item.person:
        person = ctx.shared_person(item.person)
        parts.append("one person" if ctx.viewer.audience == "leads" or person is None
                     else ctx.viewer.name(person.id))
    return ", ".join(parts) or item.kind
