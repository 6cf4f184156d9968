"""What the costs set against the budget say, in the words both ``coplan budget`` and the
progress report use: where the budget set against them comes from, and each line's
costs against it.

A funder read "Budgeted for it: £30,500" in the progress report beside "Total involvement
budget: £36,000" in the protocol, and the command line's "(the [[budget.lines]] for fees and
expenses)" in the file's own syntax: the two figures are both right (the lines for fees and
expenses, and the whole), and each report now says which it is, and which line is over.
"""

from __future__ import annotations

from coplan.costs import Costing
from coplan.money import written


def funded_from(costing: Costing, involvement: float | None) -> str:
    """Which part of the budget the costs are set against, in plain words: the budget's
    lines for fees and expenses where it has them (with the whole ``involvement`` budget
    beside it, where that is more), else the involvement budget."""
    if costing.funded_fees is None and costing.funded_expenses is None:
        return "the involvement budget"
    whole = (f", of {written(involvement, costing.currency)} for involvement in all"
             if involvement is not None and costing.funded is not None
             and involvement > costing.funded else "")
    return f"the budget's lines for fees and expenses{whole}"


def line_by_line(costing: Costing) -> str:
    """Fees and expenses each against their own lines of the budget, where it has them,
    with what is over or to spare on each (" Line by line: ..."), or ""."""
    cur, said = costing.currency, []
    for what, cost, funded in (("fees", costing.fees, costing.funded_fees),
                               ("expenses", costing.expenses, costing.funded_expenses)):
        if funded is None:
            continue
        left = round(funded - cost, 2)
        state = (f"{written(-left, cur)} over" if left < 0 else
                 f"{written(left, cur)} to spare" if left > 0 else "all of it")
        said.append(f"{what} {written(cost, cur)} priced against {written(funded, cur)} "
                    f"budgeted ({state})")
    return f" Line by line: {'; '.join(said)}." if said else ""


__all__ = ["funded_from", "line_by_line"]
