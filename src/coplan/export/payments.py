"""The payments a finance office makes and owes, from the plan's ledger and delivery record.

A finance officer matched ``coplan status`` against each person's pack by hand: nothing
listed the payments.  This lists, as things stood on a day and for a range of days or all
of them, each payment made (the day, who, what for, the fee and expenses, how it was paid,
the claim it settled) and each amount owed (``delivery.status(...).owing``: claimed, not
claimed yet, or for a session called off at short notice, with the day it is due by).

It is for the team: people must be named to be paid, so they are named as the plan names
them.  It holds dates and amounts only: never bank details (the plan never holds them),
a payment's note, needs, health or benefits, and its header says so.  Amounts are in the
plan's currency; a spreadsheet gets numbers it can add up (never a formula: text goes
through ``escape.spreadsheet_cell``), a document gets them written as every report writes
them (``money.written``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from coplan.delivery import Owing, owed_by_person, status
from coplan.escape import csv_row, spreadsheet_cell
from coplan.model import PaymentMade, Plan
from coplan.money import written
from coplan.recorded import as_of
from coplan.records import dataclass
from coplan.schedule import schedule as make_schedule
from coplan.vocab import PAYMENT_METHOD
from coplan.words import count

if TYPE_CHECKING:
    from coplan.export.reports.document import Report

FOR_WHOM = ("For the team and its finance office: it names the people to be paid, as the "
            "plan names them. It holds dates and amounts only: never bank details (the plan "
            "never holds them), notes, needs, health or benefits. Do not share it further.")
"""Whom the list is for, and what it never holds: said at the top of every format."""

OWED_WORDS = {"claimed": "Claimed, not paid yet", "not claimed": "Not claimed yet",
              "called off": "Called off at short notice"}
"""Why an amount is owed (``Owing.kind``), in the words of the list."""


@dataclass(frozen=True, slots=True)
class PaymentRow:
    """One line of the list: a payment made, or an amount owed."""

    state: str  # "Paid" or "Owed"
    person: str  # as the plan names them
    what_for: str  # the touchpoint's or meeting's title, with the session; or "Other"
    kind: str  # "session", "meeting", "expenses" (expenses alone) or "other"
    session: int | None
    fee: int  # pence
    expenses: int  # pence
    paid_on: date | None = None
    due: date | None = None
    how_paid: str = ""
    claimed: date | None = None
    owed_because: str = ""

    @property
    def total(self) -> int:
        return self.fee + self.expenses


@dataclass(slots=True)
class Payments:
    """The list as things stood on ``today``, for days ``start`` to ``end`` (None: all)."""

    title: str
    today: date
    currency: str
    start: date | None
    end: date | None
    paid: list[PaymentRow]
    owed: list[PaymentRow]

    @property
    def covers(self) -> str:
        """The days it covers, in words."""
        if self.start and self.end:
            return f"from {_day(self.start)} to {_day(self.end)}"
        if self.start:
            return f"from {_day(self.start)}"
        if self.end:
            return f"up to {_day(self.end)}"
        return "all days"


def _day(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


def payments(plan: Plan, today: date, start: date | None = None,
             end: date | None = None, shown: Plan | None = None) -> Payments:
    """The payments made on days ``start`` to ``end`` (either None: no limit) and the
    amounts owed on ``today`` falling due on those days.  The sums and the people come
    from ``plan`` itself (a copy for an audience leaves out the needs that expenses are
    priced from, and people are named to be paid); the titles of the project and its
    activities from ``shown``, the team's copy (where the team's words name someone who
    did not agree to it, it says who they are instead), in the same order."""
    now = make_schedule(plan, today=today)
    seen, _ = as_of(plan, now, today)
    found = status(plan, now, today)
    shown = shown or plan
    names = {p.id: p.name or p.id for p in plan.people}
    titles = {t.id: (c.title, len(t.when) > 1)
              for t, c in zip(plan.touchpoints, shown.touchpoints, strict=False)}
    meetings = {m.id: c.title for m, c in zip(plan.meetings, shown.meetings, strict=False)}

    def within(day: date | None) -> bool:
        return day is not None and (start is None or day >= start) and \
            (end is None or day <= end)

    def what(activity: str, number: int | None) -> tuple[str, str]:
        """What a payment or amount is for, in words, and its kind."""
        if activity in meetings:
            return f"{meetings[activity]} (meeting {number or 1})", "meeting"
        if activity in titles:
            title, several = titles[activity]
            return (f"{title} (session {number or 1})" if several else title), "session"
        return "Other", "other"

    paid: list[PaymentRow] = []
    for entry in seen.paid:
        if entry.paid is None or not within(entry.paid):
            continue
        words, kind = what(entry.for_activity, entry.session)
        paid.append(PaymentRow(
            "Paid", names.get(entry.who, entry.who), words,
            "expenses" if not entry.amount and entry.expenses else kind,
            entry.session or (1 if entry.for_activity else None),
            round(entry.amount * 100), round(entry.expenses * 100), paid_on=entry.paid,
            how_paid=PAYMENT_METHOD.label(entry.method) if entry.method else "",
            claimed=entry.claimed))
    paid.sort(key=lambda r: (r.paid_on or today, r.person.casefold(), r.what_for))

    owed: list[PaymentRow] = []
    claims = {(e.who, e.for_activity, e.session or 1): e for e in seen.paid if e.paid is None}
    for who, items in owed_by_person(found).items():
        for item in items:
            if not within(item.due):
                continue
            owed.append(_owed_row(item, names.get(who, who), what, claims))
    return Payments(shown.project.title or "The project", today, found.currency, start, end,
                    paid, owed)


def _owed_row(item: Owing, name: str, what: Callable[[str, int | None], tuple[str, str]],
              claims: dict[tuple[str, str, int], PaymentMade]) -> PaymentRow:
    words, kind = what(item.activity, item.session)
    claim = claims.get((item.who, item.activity, item.session)) \
        if item.kind == "claimed" else None
    return PaymentRow(
        "Owed", name, words, "expenses" if item.fee == 0 and item.expenses else kind,
        item.session if item.activity else None, item.fee, item.expenses, due=item.due,
        claimed=claim.claimed if claim is not None else None,
        owed_because=OWED_WORDS.get(item.kind, item.kind))


def _summary(found: Payments) -> tuple[str, str]:
    """What was paid and what is owed, in sentences."""
    cur = found.currency
    fees = sum(r.fee for r in found.paid) / 100
    spent = sum(r.expenses for r in found.paid) / 100
    paid = (f"Paid: {written(fees + spent, cur)} in "
            f"{count(len(found.paid), 'payment')} ({written(fees, cur)} in fees, "
            f"{written(spent, cur)} in expenses)." if found.paid else "Paid: nothing.")
    people = {r.person for r in found.owed}
    owed_total = sum(r.total for r in found.owed) / 100
    owed = (f"Owed on {_day(found.today)}: {written(owed_total, cur)} to "
            f"{count(len(people), 'person', 'people')}, the longest owed first."
            if found.owed else f"Owed on {_day(found.today)}: nothing.")
    return paid, owed


def _what_for(row: PaymentRow) -> str:
    """What a row is for, in a document: its title, and "expenses only" where no fee is
    in it (a spreadsheet has the kind in a column of its own)."""
    return f"{row.what_for}, expenses only" if row.kind == "expenses" else row.what_for


# -- a spreadsheet -------------------------------------------------------------------------

def csv_columns(currency: str) -> list[str]:
    return ["state", "paid on", "due by", "person", "for", "kind", "session",
            f"fee ({currency})", f"expenses ({currency})", f"total ({currency})", "how paid",
            "claimed on", "owed because"]


def to_csv(found: Payments) -> str:
    """The list for a spreadsheet or a finance system to import: the columns on the first
    line, then each payment made and each amount owed, and nothing else.  A sentence
    above the columns, or totals among the rows, made ``csv.DictReader``, pandas and a
    finance system's import read the sentence as the only column and the totals as
    payments; whom the list is for and its totals are said when it is written
    (``csv_notes``) and in its documents.  Amounts are numbers in the plan's currency
    (named in the columns), so a spreadsheet adds them up; no cell starts a formula."""

    def text(value: object) -> str:
        return str(spreadsheet_cell(value))

    def iso(day: date | None) -> str:
        return day.isoformat() if day else ""

    lines = [csv_row(csv_columns(found.currency))]
    for row in [*found.paid, *found.owed]:
        lines.append(csv_row([
            row.state, iso(row.paid_on), iso(row.due), text(row.person), text(row.what_for),
            row.kind, str(row.session or ""), _pounds(row.fee), _pounds(row.expenses),
            _pounds(row.total), text(row.how_paid), iso(row.claimed), row.owed_because]))
    return "".join(lines)


def _pounds(pence: int) -> str:
    """An amount as a spreadsheet's number: "12.50"."""
    return f"{pence / 100:.2f}"


def csv_notes(found: Payments) -> list[str]:
    """What the person writing the spreadsheet is told beside it (the file itself holds
    only the columns and rows: ``to_csv``): what it covers, its totals as the documents
    say them, and whom it is for."""
    paid, owed = _summary(found)
    return [f"As things stood on {_day(found.today)} ({found.covers}). {paid} {owed}",
            FOR_WHOM]


# -- a document (Markdown, a web page, Word) -------------------------------------------------

def to_report(found: Payments) -> Report:
    """The list as a report (``reports.document.Report``), for Markdown, HTML and Word."""
    from coplan.export.reports.document import Report, para, table

    cur = found.currency
    report = Report(title=f"{found.title}: payments",
                    subtitle=f"Payments made and owed as things stood on {_day(found.today)}"
                             f" ({found.covers}).",
                    produced=found.today, kind="payments")
    s = report.section("for-whom", "Who this is for")
    para(s, FOR_WHOM)
    paid_words, owed_words = _summary(found)
    para(s, paid_words)
    para(s, owed_words)

    def money(pence: int) -> str:
        return written(pence / 100, cur)

    s = report.section("paid", "Payments made")
    if found.paid:
        table(s, "Each payment made, by the day it was paid",
              ["Paid on", "Person", "What for", "Fee", "Expenses", "How paid", "Claimed on"],
              [[_day(r.paid_on) if r.paid_on else "", r.person, _what_for(r), money(r.fee),
                money(r.expenses), r.how_paid, _day(r.claimed) if r.claimed else ""]
               for r in found.paid], row_headers=False)
    else:
        para(s, "No payment was made on these days.")
    s = report.section("owed", "Owed")
    if found.owed:
        table(s, "Each amount owed, the person owed the longest first",
              ["Person", "What for", "Fee", "Expenses", "Why owed", "Claimed on", "Due by"],
              [[r.person, _what_for(r), money(r.fee), money(r.expenses), r.owed_because,
                _day(r.claimed) if r.claimed else "", _day(r.due) if r.due else ""]
               for r in found.owed])
    else:
        para(s, "Nothing is owed." if found.start is None and found.end is None else
                "Nothing owed falls due on these days.")
    return report

