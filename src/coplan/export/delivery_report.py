"""``coplan budget`` and ``coplan status`` as text, JSON and CSV.

Both are for the team and its leads.  The budget names no one (its lines are by stage and
kind of cost, fit for a grant application); the status names people by their id where it
is about them (a payment owed), as the plan itself does.

The JSON of each is a contract scripts and CI rely on (docs/json.md): the budget is an
object with ``format`` ("coplan-budget"), ``currency``, ``total``, ``funded`` (or null),
``lines`` (each with ``item`` and ``amount``; ``total`` is their sum) and ``complete``
(whether everything could be priced); the status has ``format`` ("coplan-status"),
``today``, ``finish``, ``baseline_finish`` (or null) and ``overdue`` (each with ``kind``,
what it concerns, and ``due``).  Keys are only ever added.
"""

from __future__ import annotations

import io
from typing import Any

from coplan.costs import Costing, budget_lines
from coplan.delivery import Status, count_sessions, owed_by_person
from coplan.durations import calendar_days
from coplan.escape import spreadsheet_cell
from coplan.export.budget_words import funded_from, line_by_line
from coplan.model import Plan
from coplan.money import written as _money
from coplan.words import count

BUDGET_VERSION = 2  # 2: ``as_recorded.sessions`` counted as the status counts them
# (``recorded.count_sessions``: total, held, moved, cancelled, not_recorded), "moved" as
# everywhere else, where it had been held, moved (still to be held), cancelled, planned
STATUS_VERSION = 4  # 2: sessions counted as total, held, moved, cancelled, not_recorded;
# later (records dated after today).  3: "moved" as everywhere else (``delivery.moved``: on
# another day than planned, held there or still to be), counted beside held and
# not_recorded, which with cancelled add up to the total.  4: ``owing``, what each sum in
# ``owed`` is made of (activity, session, amount, due, kind), which adds up to it




def budget_data(costing: Costing, plan: Plan) -> dict[str, Any]:
    lines = budget_lines(costing, plan)
    amounts = [amount for _, amount in lines]
    unpriced: dict[tuple[str, str], set[str]] = {}
    for item in costing.unpriced:
        unpriced.setdefault((item.what, item.reason), set()).add(item.person)
    return {
        "format": "coplan-budget",
        "version": BUDGET_VERSION,
        "currency": costing.currency,
        # Summed as a reader sums the lines, so that total == sum of the amounts exactly.
        "total": sum(amounts),
        "fees": costing.fees,
        "expenses": costing.expenses,
        "paid_hours": round(costing.hours, 2),
        "funded": costing.funded,
        "funded_fees": costing.funded_fees,
        "funded_expenses": costing.funded_expenses,
        "shortfall": None if costing.shortfall is None else round(costing.shortfall, 2),
        "lines": [{"item": item, "amount": amount} for item, amount in lines],
        "unpriced": [{"what": what, "reason": reason, "people": len(people)}
                     for (what, reason), people in unpriced.items()],
        # Whether every cost the plan says will be paid could be priced: only then is
        # ``total`` what the plan costs, and ``shortfall`` what it lacks (or, below zero,
        # has to spare). Where nothing could be priced ``total`` is 0 and says nothing.
        "complete": not costing.unpriced,
        # Fees priced by a rate of another kind than their activity is paid by (a session
        # paid per session with no rate per session: priced by the hour), and how.
        "priced_otherwise": [{"reason": reason, "people": len(people)}
                             for reason, people in _otherwise(costing).items()],
        "priced_items": costing.priced,
        "funded_from": _funded_from(costing),
    }


def budget_json(costing: Costing, plan: Plan) -> str:
    import json

    return json.dumps(budget_data(costing, plan), indent=2, ensure_ascii=False) + "\n"


def budget_csv(costing: Costing, plan: Plan) -> str:
    """The budget lines for a spreadsheet, then the total (cells never start a formula)."""
    import csv  # (only for CSV)

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["item", f"amount ({costing.currency})"])
    for item, amount in budget_lines(costing, plan):
        writer.writerow([_cell(item), f"{amount:.2f}"])
    writer.writerow(["Total", f"{costing.total:.2f}"])
    if costing.funded is not None:
        writer.writerow(["Funded", f"{costing.funded:.2f}"])
    # What could not be priced, without an amount, so that a spreadsheet never shows the
    # total as what the plan costs when part of it is not counted.
    unpriced: dict[str, set[str]] = {}
    for missing in costing.unpriced:
        unpriced.setdefault(missing.reason, set()).add(missing.person)
    for reason, people in unpriced.items():
        writer.writerow([_cell(f"Not priced, for {count(len(people), 'person')}: {reason} "
                               "(not in the total)"), ""])
    for reason, people in _otherwise(costing).items():
        writer.writerow([_cell(f"Priced otherwise, for {count(len(people), 'person')}: "
                               f"{reason} (in the total)"), ""])
    return out.getvalue()


def _otherwise(costing: Costing) -> dict[str, set[str]]:
    """Who had a fee priced by a rate of another kind than the activity is paid by, by
    how it was priced (``costs.PricedOtherwise``)."""
    found: dict[str, set[str]] = {}
    for item in costing.otherwise:
        found.setdefault(item.reason, set()).add(item.person)
    return found


def _cell(text: str) -> object:
    return spreadsheet_cell(text)


def _funded_from(costing: Costing) -> str | None:
    """Which part of the plan the budget set against the costs comes from (the JSON's
    ``funded_from``)."""
    if costing.funded is None:
        return None
    return "involvement" if costing.funded_fees is None and costing.funded_expenses is None \
        else "lines"


def _unpriced_people(costing: Costing) -> int:
    return len({u.person for u in costing.unpriced})


def budget_verdict(costing: Costing, involvement: float | None = None) -> str | None:
    """The costs set against the budget in words, or None where no budget is set.

    A finance officer reads "to spare" as money not needed: it is said only of a costing
    that priced everything.  Where nothing could be priced there is nothing to set against
    the budget; where some costs could not be, the sum is of those that could.
    """
    if costing.funded is None:
        return None
    cur = costing.currency
    funded = f"Funded: {_money(costing.funded, cur)} ({funded_from(costing, involvement)})"
    if costing.unpriced and not costing.priced:
        return (f"{funded}. Nothing in the plan could be priced yet, so the costs cannot be "
                "set against it.")
    gap = costing.total - costing.funded
    if costing.unpriced:
        return (f"{funded}. The costs priced so far come to {_money(costing.total, cur)}"
                + (f", {_money(gap, cur)} more than the budget" if gap > 0 else "")
                + f"; the costs for {count(_unpriced_people(costing), 'person')} could not be "
                "priced (above), so what the plan costs in all is not known yet."
                + line_by_line(costing))
    verdict = (f"{_money(-gap, cur)} to spare" if gap <= 0 else
               f"{_money(gap, cur)} short: the budget does not cover the plan")
    return f"{funded}, which leaves {verdict}." + line_by_line(costing)


def budget_text(costing: Costing, plan: Plan, width: int | None = None) -> str:
    """The costing for people to read; with ``width`` (a screen's), each line's item wraps
    between words within its column so that the amounts stay in theirs.  Nothing is cut.

    Every amount, the lines' and the totals', stands in one column, as wide as the
    widest amount; where nothing could be priced no sum of nothing is shown.
    """
    import textwrap

    cur = costing.currency
    rows = [f"Involvement costs worked out from the plan ({cur})"]
    lines = budget_lines(costing, plan)
    nothing_priced = bool(costing.unpriced) and not costing.priced
    sums = [] if nothing_priced else [
        ("Fees for people's time", costing.fees), ("Expenses", costing.expenses),
        ("Total", costing.total)]
    shown = [*lines, *sums]
    longest = max((len(item) for item, _ in shown), default=20)
    amount_width = max((len(_money(amount, cur)) for _, amount in shown), default=12)
    column = longest if width is None else max(20, min(longest, width - 6 - amount_width))
    if lines:
        rows.append("")
    for item, amount in lines:
        parts = textwrap.wrap(item, column, break_long_words=False,
                              break_on_hyphens=False) or [""]
        rows.append(f"  {parts[0].ljust(column)}  {_money(amount, cur):>{amount_width}}")
        rows += [f"    {part}" for part in parts[1:]]
    if sums:
        rows.append("")
        rows += [f"  {label:<{column}}  {_money(amount, cur):>{amount_width}}"
                 for label, amount in sums]
        rows.append(f"  ({costing.hours:,.1f} paid hours, preparation and travel included)")
    no_rates = not costing.costs and not plan.payment.rates
    if nothing_priced and no_rates:
        rows += ["", f"Nothing could be priced: the plan has no rate card, so no fees or "
                     f"expenses are counted for the {count(_unpriced_people(costing), 'person')} "
                     "paid for their time. Add the rates people are paid in [[payment.rates]] "
                     "(docs/plan-format.md)."]
    elif costing.unpriced:
        kinds = sorted({u.reason for u in costing.unpriced})
        rows += ["", f"Not priced, for {count(_unpriced_people(costing), 'person')}: "
                 + "; ".join(kinds) + "."]
    for reason, people in _otherwise(costing).items():
        rows += ["", f"Priced otherwise, for {count(len(people), 'person')}: {reason} "
                 "(coplan check says where; add the rate to [[payment.rates]])."]
    verdict = budget_verdict(costing, plan.budget.involvement)
    rows += ["", verdict if verdict is not None else
             "No involvement budget is set ([budget] involvement)."]
    return "\n".join(rows) + "\n"


def status_data(status: Status) -> dict[str, Any]:
    # Every key, always (0 where none): "total" is every planned session, as the text's
    # "of 34 planned", and held, cancelled and not_recorded (nothing recorded of it
    # happening yet: a session moved to a day still to come is that too) add up to it.
    # "moved" counts the sessions on another day than planned, held there or still to be:
    # each is in held or not_recorded as well.
    counts = count_sessions(status.sessions).as_dict()
    return {
        "format": "coplan-status",
        "version": STATUS_VERSION,
        "today": status.today.isoformat(),
        "finish": status.finish.isoformat(),
        "finish_by": status.finish_by.isoformat() if status.finish_by else None,
        "margin_days": status.margin_days,
        "baseline_finish": status.baseline_finish.isoformat() if status.baseline_finish
        else None,
        "sessions": counts,
        "stages": [{"id": s.stage.id, "state": s.state, "finish": s.finish.isoformat(),
                    "baseline_finish": s.baseline_finish.isoformat() if s.baseline_finish
                    else None, "slipped_days": s.slipped_days} for s in status.stages],
        "recording": status.recording,
        "overdue": [o.as_dict() for o in status.overdue],
        "owed": {who: round(amount, 2) for who, amount in status.owed.items() if amount},
        # (each amount's fee and expenses, as the payments export gives them: added
        # within version 4, as new keys are)
        "owing": [{"person": o.who, "activity": o.activity, "session": o.session,
                   "amount": o.pence / 100, "fee": o.fee / 100, "expenses": o.expenses / 100,
                   "due": o.due.isoformat(), "kind": o.kind}
                  for o in sorted(status.owing, key=lambda o: (o.due, o.activity, o.session,
                                                               o.who)) if o.pence],
        "currency": status.currency,
        "later": [{"day": item.day.isoformat(), "what": item.what, "key": item.key,
                   "line": item.line} for item in status.later],
    }


def status_json(status: Status) -> str:
    import json

    return json.dumps(status_data(status), indent=2, ensure_ascii=False) + "\n"


_KIND_WORDS = {"feedback": "Feedback not sent", "payment": "Payment not made",
               "benefits-advice": "Paid before benefits advice",
               "record": "Session not recorded", "reflection": "Reflection not noted"}


def status_text(status: Status) -> str:
    rows = [f"Where the project stands on {status.today:%d %b %Y}", ""]
    line = f"Finish: {status.finish:%d %b %Y}"
    if status.baseline_finish is not None:
        moved = (status.finish - status.baseline_finish).days
        base = f"{status.baseline_finish:%d %b %Y}"
        line += (f" ({calendar_days(moved)} later than the baseline, {base})" if moved > 0
                 else f" ({calendar_days(-moved)} earlier than the baseline)" if moved < 0
                 else " (as in the baseline)")
    rows.append(line)
    if status.finish_by is not None:
        margin = status.margin_days or 0
        rows.append(f"Must finish by {status.finish_by:%d %b %Y}: "
                    + (f"{calendar_days(margin)} to spare." if margin >= 0 else
                       f"{calendar_days(-margin)} past it."))
    n = count_sessions(status.sessions)
    line = f"Sessions: {n.held} held of {n.total} planned"
    if n.moved or n.cancelled:  # (as the reports say it: ``sessions_summary``)
        line += f"; {count(n.moved, 'session')} moved and {n.cancelled} cancelled"
    rows.append(line + ".")
    rows.append("")
    if not status.recording:
        passed = sum(1 for s in status.sessions if s.session.day < status.today)
        rows.append(f"No delivery record is kept yet: {passed} of the planned sessions' days "
                    "have passed. Record what happened in the app's Delivery view, or in the "
                    "plan (docs/running.md).")
        rows.append("")
    if status.later:
        rows.append(f"Dated after {status.today:%d %b %Y}, so not counted "
                    f"({len(status.later)}):")
        shown = status.later if len(status.later) <= 5 else status.later[:4]
        rows += [f"  line {item.line}: {item.what} on {item.day:%d %b %Y}"
                 if item.line else f"  {item.what} on {item.day:%d %b %Y}" for item in shown]
        if len(shown) < len(status.later):
            rows.append(f"  and {len(status.later) - len(shown)} more (coplan check "
                        "--today lists them all)")
        rows.append("")
    if not status.overdue:
        rows.append("Nothing is overdue.")
    else:
        rows.append(f"Overdue ({len(status.overdue)}):")
        for item in status.overdue:
            rows.append(f"  {_KIND_WORDS.get(item.kind, item.kind)}: {item.what} "
                        f"(due {item.due:%d %b %Y})")
    rows += _owed_rows(status)
    return "\n".join(rows) + "\n"


_OWING_WORDS = {"claimed": "claimed", "not claimed": "not claimed yet",
                "called off": "for the short notice"}



def _owed_rows(status: Status) -> list[str]:
    """What is owed, to whom, for what and by when (``Status.owing``): the person owed the
    longest first (their earliest amount due first), people owed as long in the order of
    their names, and under each what makes up their sum, first due first, so whoever pays
    people can work down the list."""
    items = owed_by_person(status)
    if not items:
        return []
    cur = status.currency
    total = sum(status.owed.get(who, 0.0) for who in items)
    rows = ["", f"Owed now ({_money(total, cur)} to {count(len(items), 'person', 'people')}, "
            "the longest owed first):"]
    for who, owings in items.items():
        rows.append(f"  {status.names.get(who, who)}: {_money(status.owed[who], cur)}")
        for owing in owings:
            late = " (overdue)" if owing.due < status.today else ""
            about = owing.about or "a claim"
            spent = f" ({_money(owing.expenses / 100, cur)} of it expenses)" \
                if owing.expenses else ""
            rows.append(f"    {_money(owing.pence / 100, cur)} for {about}, "
                        f"{_OWING_WORDS.get(owing.kind, owing.kind)}{spent}; due "
                        f"{owing.due:%d %b %Y}{late}")
    return rows
