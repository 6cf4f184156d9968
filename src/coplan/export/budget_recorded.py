"""``coplan budget`` once sessions are recorded: what was planned beside what the record says.

The plan's own costing prices every session as written.  Once the team records what
happened, a finance officer needs both: the budget as planned (what the grant was costed
on) and as the delivery record says (sessions held priced for who came, moved ones on
their new day, cancelled ones not priced but for what the payments ledger shows was paid
for them, such as a late-cancellation fee; sessions not recorded yet as planned).  Like
the budget itself, nothing here names anyone: lines are by stage and kind of cost.
"""

from __future__ import annotations

import io
from typing import Any

from coplan.costs import Costing, budget_lines
from coplan.delivery import RecordedCosting
from coplan.escape import spreadsheet_cell
from coplan.export.budget_words import funded_from, line_by_line
from coplan.model import Plan
from coplan.money import written as _money
from coplan.words import count


def _sessions(recorded: RecordedCosting) -> str:
    """"12 sessions held of 34 planned; 3 sessions moved and 2 cancelled; 19 not recorded
    yet (priced as planned)": counted and said as ``coplan status`` says them
    (``recorded.count_sessions``), "moved" as everywhere (on another day than planned, held
    there or still to be)."""
    n = recorded.sessions
    said = f"{count(n.held, 'session')} held of {n.total} planned"
    if n.moved or n.cancelled:
        said += f"; {count(n.moved, 'session')} moved and {n.cancelled} cancelled"
    if n.not_recorded:
        said += f"; {n.not_recorded} not recorded yet (priced as planned)"
    return said


def compared_lines(planned: Costing, recorded: RecordedCosting, plan: Plan
                   ) -> list[tuple[str, float, float]]:
    """Every budget line with its amount as planned and as recorded (0 where a line has
    none), in the plan's order, the record's own lines (fees for sessions cancelled) after
    those of their stage."""
    before = dict(budget_lines(planned, plan))
    after = dict(budget_lines(recorded.costing, plan))
    items = list(before)
    for item in after:
        if item not in before:
            items.append(item)
    return [(item, before.get(item, 0.0), after.get(item, 0.0)) for item in items]


def recorded_data(planned: Costing, recorded: RecordedCosting | None,
                  plan: Plan) -> dict[str, Any] | None:
    """The JSON budget's ``as_recorded``: None until a session is recorded."""
    if recorded is None:
        return None
    costing = recorded.costing
    lines = budget_lines(costing, plan)
    return {
        "today": recorded.today.isoformat(),
        "sessions": recorded.sessions.as_dict(),
        "total": sum(amount for _, amount in lines),
        "fees": costing.fees,
        "expenses": costing.expenses,
        "paid_hours": round(costing.hours, 2),
        "shortfall": None if costing.shortfall is None else round(costing.shortfall, 2),
        "lines": [{"item": item, "amount": amount} for item, amount in lines],
    }


def budget_json(data: dict[str, Any], planned: Costing, recorded: RecordedCosting | None,
                plan: Plan) -> str:
    """The budget's JSON (``data``, from ``delivery_report.budget_data``) with its
    ``as_recorded`` part: keys only ever added."""
    import json

    return json.dumps({**data, "as_recorded": recorded_data(planned, recorded, plan)},
                      indent=2, ensure_ascii=False) + "\n"


def budget_csv(planned: Costing, recorded: RecordedCosting, plan: Plan) -> str:
    """The budget lines for a spreadsheet with a column for each: as planned and as
    recorded; then the totals and the budget (cells never start a formula)."""
    import csv  # (only for CSV)

    cur = planned.currency
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["item", f"planned ({cur})",
                     f"as recorded on {recorded.today.isoformat()} ({cur})"])
    for item, before, after in compared_lines(planned, recorded, plan):
        writer.writerow([spreadsheet_cell(item), f"{before:.2f}", f"{after:.2f}"])
    writer.writerow(["Total", f"{planned.total:.2f}", f"{recorded.costing.total:.2f}"])
    if planned.funded is not None:
        writer.writerow(["Funded", f"{planned.funded:.2f}", f"{planned.funded:.2f}"])
    writer.writerow([spreadsheet_cell(f"Sessions: {_sessions(recorded)}"), "", ""])
    return out.getvalue()


def recorded_text(planned: Costing, recorded: RecordedCosting, plan: Plan,
                  width: int | None = None) -> str:
    """What follows the budget in words once sessions are recorded: the lines whose
    amount the record changes, planned beside recorded, and both totals."""
    import textwrap

    cur = planned.currency
    rows = ["", f"As the delivery record says on {recorded.today:%d %b %Y}: "
                f"{_sessions(recorded)}."]
    changed = [(item, before, after)
               for item, before, after in compared_lines(planned, recorded, plan)
               if round(before, 2) != round(after, 2)]
    totals = [("Total", planned.total, recorded.costing.total)]
    shown = [*changed, *totals]
    money = max(len(_money(v, cur)) for _, a, b in shown for v in (a, b))
    money = max(money, len("As recorded"))
    longest = max(len(item) for item, _, _ in shown)
    column = longest if width is None else max(20, min(longest, width - 6 - 2 * money))
    rows += ["", f"  {'':<{column}}  {'Planned':>{money}}  {'As recorded':>{money}}"]
    for item, before, after in shown:
        if item == "Total" and changed:
            rows.append("")
        parts = textwrap.wrap(item, column, break_long_words=False,
                              break_on_hyphens=False) or [""]
        rows.append(f"  {parts[0]:<{column}}  {_money(before, cur):>{money}}  "
                    f"{_money(after, cur):>{money}}")
        rows += [f"    {part}" for part in parts[1:]]
    if changed:
        rows += ["", "Lines not shown cost as planned."]
    if planned.funded is not None and not recorded.costing.unpriced:
        gap = recorded.costing.total - planned.funded
        rows += ["", f"As recorded, the plan costs {_money(abs(gap), cur)} "
                     + ("less than" if gap <= 0 else "more than")
                     + f" the {_money(planned.funded, cur)} funded ("
                     + funded_from(recorded.costing, plan.budget.involvement) + ")."
                     + line_by_line(recorded.costing)]
    return "\n".join(rows) + "\n"
