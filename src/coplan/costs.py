"""What the plan's involvement costs, worked out from the plan rather than typed in.

Every dated session of every touchpoint, and every meeting of every standing group, is
costed for each person with lived experience who takes part: a fee from the rate card
(``[[payment.rates]]``: the most specific rate that fits the person, of the kind the
activity is paid by: a rate per session for one paid per session, else one by the hour,
half day or day), for the session's length plus the preparation and travel time the plan
pays for (a rate per session pays each session once, whatever its length), unless the person is not
paid a fee (they declined, or are salaried); and the expenses their taking part brings
(``[[payment.costs]]``): travel and food for everyone who comes in person, care, childcare,
an assistant or data for those whose needs call for them.

The result is a list of priced items (``Cost``), what could not be priced and why
(``Unpriced``: a person with no rate that fits, a need with no cost), what was priced by a
rate of another kind than the activity is paid by and how (``PricedOtherwise``: a session
paid per session where only an hourly rate fits, never priced so silently), and the budget the
plan has for them, so that the total can be set against what is funded.  Money is kept
in pence (whole numbers), so that totals add up exactly in every report.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from datetime import date

from coplan.model import ExpenseCost, Meeting, Person, Plan, Rate, Stage, Touchpoint
from coplan.records import dataclass
from coplan.schedule import Schedule, Session
from coplan.vocab import EXPENSE, NEED_EXPENSE

FEE_PAYMENTS = frozenset({"hourly", "session", "honorarium", "voucher"})
"""Payment words that mean a fee for time (the others: expenses only, or none)."""

IN_PERSON = frozenset({"in-person", "hybrid"})
EVERYONE_IN_PERSON = frozenset({"travel", "subsistence"})
"""Expenses that everyone coming in person has; the others follow people's needs."""

_UNIT_HOURS = {"half-day": 4, "day": 8}


@dataclass(frozen=True, slots=True)
class Activity:
    """One occasion people take part in: a touchpoint session or a standing meeting."""

    id: str  # the touchpoint's or meeting's id
    title: str
    day: date
    minutes: int
    mode: str | None  # (None: not yet agreed, so no venue or travel is counted)
    who: tuple[str, ...]
    payment: str | None
    stage: Stage | None = None
    session: int = 1


@dataclass(frozen=True, slots=True)
class Cost:
    """One priced item: a fee, or one kind of expense, for one person at one activity."""

    kind: str  # "fee" or "expense"
    what: str  # "fee", or the expense's id ("travel")
    person: str
    activity: str
    activity_title: str
    stage: str | None
    phase: str | None
    day: date
    units: float  # hours, half days, days or sessions
    unit: str
    pence: int

    @property
    def amount(self) -> float:
        return self.pence / 100


@dataclass(frozen=True, slots=True)
class Unpriced:
    """Something the plan says will be paid for, with no rate or cost to price it."""

    person: str
    what: str  # "fee" or an expense id
    activity: str
    reason: str


@dataclass(frozen=True, slots=True)
class PricedOtherwise:
    """A fee priced by a rate of another kind than the activity is paid by: a session paid
    per session where no rate per session fits the person (priced by the time it takes, at
    the rate that does fit), or one paid by the time where only a rate per session fits
    (priced as one session).  The costing says so; the review's CP-PAY-012 points at it."""

    person: str
    activity: str
    paid: str  # how the activity is paid: "session" or "time"
    per: str  # what the rate used is per: "hour", "half-day", "day" or "session"
    reason: str


@dataclass(slots=True)
class Costing:
    """The plan's involvement costs, and the budget set against them."""

    currency: str
    costs: list[Cost]
    unpriced: list[Unpriced]
    funded: float | None  # [budget] involvement, or the lines for fees and expenses
    funded_fees: float | None
    funded_expenses: float | None
    hours: float = 0.0  # paid contributor-hours, preparation and travel included
    notes: list[str] = field(default_factory=list)
    otherwise: list[PricedOtherwise] = field(default_factory=list)
    # Without the items (``Pricer.costing(..., itemised=False)``: a review needs only the
    # total, the delivery record each person's due), ``costs`` stays empty and these count
    # and add up what it would hold, in all and for each person.
    itemised: bool = True
    counted: int = 0
    summed_pence: int = 0
    pence_by_person: dict[str, int] = field(default_factory=dict)

    @property
    def priced(self) -> int:
        """How many items were priced (``len(costs)`` when itemised)."""
        return len(self.costs) if self.itemised else self.counted

    @property
    def total_pence(self) -> int:
        if not self.itemised:
            return self.summed_pence
        return sum(c.pence for c in self.costs)

    @property
    def total(self) -> float:
        return self.total_pence / 100

    @property
    def fees(self) -> float:
        return sum(c.pence for c in self.costs if c.kind == "fee") / 100

    @property
    def expenses(self) -> float:
        return sum(c.pence for c in self.costs if c.kind == "expense") / 100

    def by(self, key: Callable[[Cost], str | None]) -> dict[str, float]:
        """Totals grouped by ``key`` (a person, a stage, a phase), in first-seen order."""
        out: dict[str, int] = defaultdict(int)
        for cost in self.costs:
            out[key(cost) or ""] += cost.pence
        return {k: v / 100 for k, v in out.items()}

    @property
    def shortfall(self) -> float | None:
        """How much more the plan costs than is funded for it (None when nothing is
        funded; zero or less when the budget covers it)."""
        return None if self.funded is None else self.total - self.funded


def activities(plan: Plan, sched: Schedule) -> list[Activity]:
    """Every dated occasion of involvement: touchpoint sessions, then standing meetings."""
    out = [Activity(s.touchpoint.id, s.touchpoint.title, s.day, s.length_minutes,
                    s.touchpoint.mode, s.touchpoint.who, s.touchpoint.payment, s.stage,
                    s.number)
           for s in sched.sessions]
    return out + activities_of_meetings(sched)


def activities_of_meetings(sched: Schedule) -> list[Activity]:
    """Every meeting of the standing groups, as ``activities`` lists them."""
    out: list[Activity] = []
    for series in sched.meetings:
        meeting: Meeting = series.meeting
        out += [Activity(meeting.id, meeting.title, day, meeting.length_minutes, meeting.mode,
                         meeting.who, None, None, number)
                for number, day in enumerate(series.dates, start=1)]
    return out


SESSION = "session"
"""How a rate per session (``Rate.per``), and an activity paid per session (``payment``),
say it."""

BASES = frozenset({"hourly", SESSION})
"""Payment words that say what a fee is paid for: the time given, or each session."""


def rate_for(plan: Plan, person: Person, *, per_session: bool = False) -> Rate | None:
    """The rate ``person``'s fee is priced by (``choose_rate``)."""
    return choose_rate(plan, person, per_session=per_session)[0]


def choose_rate(plan: Plan, person: Person, *, per_session: bool = False
                ) -> tuple[Rate | None, bool]:
    """The rate that fits ``person`` at an activity paid per session (``per_session``) or
    by the time given, and whether it is of another kind than that (the costing then says
    how it priced the fee: ``PricedOtherwise``; the review's CP-PAY-012 points at it).

    Rates fit from the most specific: one naming the person, then one for their kind, then
    one for everyone (the first of each written in the plan).  An activity paid per
    session is priced by the most specific rate per session that fits, else by the most
    specific rate of any kind (by the time it takes: never silently).  One paid by the
    time is priced by the most specific rate that fits, by the time where one of the same
    standing is (a rate per session for carers is what a carer is paid, even at an hourly
    session; a general rate by the hour before a general rate per session)."""
    rates = plan.payment.rates
    if not rates:
        return None, False
    levels = (lambda r: person.id in r.people,
              lambda r: not r.people and r.kind == person.kind,
              lambda r: not r.people and r.kind is None)
    if per_session:
        for pool in ([r for r in rates if r.per == SESSION], rates):
            for fits in levels:
                found = next((r for r in pool if fits(r)), None)
                if found is not None:
                    return found, found.per != SESSION
        return None, False
    for fits in levels:
        fitting = [r for r in rates if fits(r)]
        if fitting:
            found = next((r for r in fitting if r.per != SESSION), fitting[0])
            return found, found.per == SESSION and not any(
                r.per != SESSION and any(f(r) for f in levels) for r in rates)
    return None, False


def paid_per_session(plan: Plan, person: Person, payment: str | None) -> bool:
    """Whether ``person``'s fee at an activity paid as ``payment`` says (a touchpoint's
    ``payment``; None for a standing meeting) is paid per session rather than for the
    time given: the activity says so (``payment = "session"``: a teaching session paid
    £150 whatever its length), else the person's own payment, else the plan's
    (``[payment] standard``).  A person's own payment says how they take it (a fee,
    vouchers, none), the activity's what it is paid for, so an activity paid by the hour
    or per session decides for everyone at it."""
    for said in (payment, person.payment, plan.payment.standard):
        if said in BASES:
            return said == SESSION
    return False


def priced_otherwise_reason(rate: Rate, per_session: bool) -> str:
    """How a fee paid per session (or by the time) was priced with a rate of the other
    kind, in words for the budget and the review."""
    if per_session:
        return (f"paid per session, but no rate per session in [[payment.rates]] fits "
                f"them: priced by the time it takes, at {rate_words(rate)}")
    return (f"paid by the time given, but the only rate in [[payment.rates]] that fits "
            f"them is per session: priced as one session, at {rate_words(rate)}")


def rate_words(rate: Rate) -> str:
    """A rate as people say it: "25 an hour", "150 a session"."""
    return f"{rate.amount:g} {_PER_WORD.get(rate.per, rate.per)}"


_PER_WORD = {"hour": "an hour", "half-day": "a half day", "day": "a day", SESSION: "a session"}


def payment_of(plan: Plan, person: Person, activity: Activity) -> str | None:
    """How ``person`` is paid at ``activity``: their own choice first (someone who
    declines a fee declines it everywhere), then the activity's, then the plan's."""
    return person.payment or activity.payment or plan.payment.standard


def _units(minutes: float, unit: str) -> float:
    hours = minutes / 60
    if unit == "session":
        return 1.0
    if unit in _UNIT_HOURS:
        return float(math.ceil(hours / _UNIT_HOURS[unit] - 1e-9))
    return hours


def _pence(amount: float, units: float) -> int:
    return round(amount * units * 100)


def _expenses_of(person: Person, activity: Activity) -> set[str]:
    """The expenses ``person`` has at ``activity``: travel and food in person, and what
    their needs call for."""
    found = {NEED_EXPENSE[n] for n in person.needs if n in NEED_EXPENSE}
    if activity.mode in IN_PERSON:
        found |= EVERYONE_IN_PERSON
    return found


def _cost(kind: str, what: str, person: Person, activity: Activity, units: float, unit: str,
          pence: int) -> Cost:
    stage = activity.stage
    return Cost(kind, what, person.id, activity.id, activity.title,
                stage.id if stage else None, stage.phase if stage else None, activity.day,
                units, unit, pence)


def _new_costing(plan: Plan, *, itemised: bool
                 ) -> tuple[Costing, Callable[[str, str, str, str], None],
                            Callable[[str, str, str, str], None]]:
    """An empty costing of ``plan``, and the ways to note what could not be priced and a
    fee priced by a rate of another kind than its activity is paid by (the person, the
    activity, the rate's unit and why): once for each person, thing and activity,
    however often it comes up."""
    funded, funded_fees, funded_expenses = _funded(plan)
    costing = Costing(plan.budget.currency, [], [], funded, funded_fees, funded_expenses,
                      itemised=itemised)
    seen: set[tuple[str, str, str]] = set()

    def unpriced(person: str, what: str, activity: str, reason: str) -> None:
        if (person, what, activity) not in seen:
            seen.add((person, what, activity))
            costing.unpriced.append(Unpriced(person, what, activity, reason))

    def otherwise(person: str, activity: str, per: str, reason: str) -> None:
        if (person, "", activity) not in seen:
            seen.add((person, "", activity))
            costing.otherwise.append(PricedOtherwise(
                person, activity, "time" if per == SESSION else SESSION, per, reason))

    return costing, unpriced, otherwise


def _funded(plan: Plan) -> tuple[float | None, float | None, float | None]:
    budget = plan.budget
    fees = [line.amount for line in budget.lines if line.use == "fees"]
    expenses = [line.amount for line in budget.lines if line.use == "expenses"]
    fee_total = sum(fees) if fees else None
    expense_total = sum(expenses) if expenses else None
    if fees or expenses:
        return (fee_total or 0.0) + (expense_total or 0.0), fee_total, expense_total
    return budget.involvement, None, None


def cost_plan(plan: Plan, sched: Schedule, *,
              only: Iterable[Activity] | None = None, itemised: bool = True) -> Costing:
    """Price every activity of ``plan`` (or only those given) for each person with lived
    experience who takes part (without ``itemised``, only the total and what could not be
    priced are kept: a plan of 10,000 stages has 390,000 items)."""
    if only is None and not itemised:  # (the sessions as they are: see ``_occasions``)
        return Pricer(plan).summed(_occasions(plan, sched))
    return Pricer(plan).costing(activities(plan, sched) if only is None else only,
                                itemised=itemised)


# An occasion people take part in, as the costing without items reads it: who takes
# part, the length, the way of taking part, the payment, the id, and the session or
# activity it is (an ``Activity`` is made of a session only where one is needed).
_Occasion = tuple[tuple[str, ...], int, str | None, str | None, str, Activity | Session]


def _occasions(plan: Plan, sched: Schedule) -> Iterator[_Occasion]:
    """``activities(plan, sched)`` as ``Pricer.summed`` reads them, in the same order,
    without making an ``Activity`` of each of the plan's sessions (60,000 on a large
    plan, each alike in all the costing reads to others of its touchpoint)."""
    for s in sched.sessions:
        tp = s.touchpoint
        yield tp.who, s.length_minutes, tp.mode, tp.payment, tp.id, s
    for each in activities_of_meetings(sched):
        yield each.who, each.minutes, each.mode, each.payment, each.id, each


def _activity(occasion: Activity | Session) -> Activity:
    """The activity a session is (``activities``), or the activity given."""
    if isinstance(occasion, Activity):
        return occasion
    tp = occasion.touchpoint
    return Activity(tp.id, tp.title, occasion.day, occasion.length_minutes, tp.mode, tp.who,
                    tp.payment, occasion.stage, occasion.number)


_Otherwise = tuple[str, str] | None  # a rate's unit and why it prices a fee paid otherwise
_Due = tuple[tuple[float, int, _Otherwise] | str | None, tuple[tuple[str, int | None], ...]]


class _Alike:
    """What is due at one kind of activity (``Pricer.summed``): to each person, in the
    order they take part (``due``); each one's pence (``pence``) and who is paid anything
    (``paid``), in the order the items would add them; the hours of the fees, in order;
    how many items are priced and their pence; whether anything could not be priced, and
    whether anything is to be noted (``noted``: that, or a fee priced by a rate of another
    kind than the activity is paid by)."""

    __slots__ = ("counted", "due", "hours", "noted", "paid", "pence", "summed", "unpriced")

    def __init__(self, due: list[tuple[str, _Due]]) -> None:
        self.due = due
        hours: list[float] = []
        pence: list[tuple[str, int]] = []
        self.unpriced = False
        noted = False
        for pid, (fee, expenses) in due:
            if isinstance(fee, tuple):
                hours.append(fee[0])
                pence.append((pid, fee[1]))
                noted = noted or fee[2] is not None
            elif fee is not None:
                self.unpriced = True
            for _, amount in expenses:
                if amount is None:
                    self.unpriced = True
                else:
                    pence.append((pid, amount))
        self.hours = tuple(hours)
        self.pence = pence
        self.paid = list(dict.fromkeys(pid for pid, _ in pence))
        self.counted = len(pence)
        self.summed = sum(amount for _, amount in pence)
        self.noted = noted or self.unpriced


_EXACT = 1 << 32  # (hours that are whole multiples of 2**-32 add up exactly: ``_hours``)


def _hours(start: float, in_turn: list[tuple[float, ...]]) -> float:
    """``start`` with every hour of ``in_turn`` added to it one by one, in order.

    Where every value is a whole number of 2**-32ths (an hour, a half, a quarter: the
    usual lengths) and the sum stays below 2**20, each sum along the way is exact, so
    the result is the exact sum, whatever the order: it is added up as whole numbers,
    once for each distinct value.  Otherwise (a length of 50 minutes is 0.8333... hours,
    and each sum rounds) they are added in order, as the items would be."""
    counts: dict[float, int] = {}
    for hours in in_turn:
        for h in hours:
            counts[h] = counts.get(h, 0) + 1
    units = 0
    exact = True
    for value, n in (*counts.items(), (start, 1)):
        scaled = value * _EXACT  # (exact: a power of two)
        # (-0.0 too goes the plain way: added one by one, -0.0 stays -0.0 to the last bit)
        if not (0 < value < 1 << 20 or (value == 0 and math.copysign(1.0, value) > 0)) or \
                scaled != int(scaled):
            exact = False
            break
        units += int(scaled) * n
    if exact and units < _EXACT << 20:
        return units / _EXACT  # (exact: below 2**52 of 2**-32ths)
    total = start
    for hours in in_turn:
        for h in hours:
            total += h
    return total


class Pricer:
    """Prices activities of one plan: what does not change from one activity to the next
    (the plan's costs and budget, each person's rate and expenses) is worked out once, so
    that pricing thousands of sessions one by one (the delivery record) costs no more than
    pricing them together."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        pay = plan.payment
        self.prep = (pay.preparation or 0) / 100
        self.travel = pay.travel_time or 0
        self.costs_by_expense: dict[str, ExpenseCost] = {}
        for cost in pay.costs:
            self.costs_by_expense.setdefault(cost.expense, cost)
        self._rates: dict[tuple[int, bool], tuple[Rate | None, bool]] = {}
        self._expenses: dict[tuple[int, bool], list[str]] = {}
        self._due: dict[tuple[int, int, bool, str | None], _Due] = {}

    def rate(self, person: Person, per_session: bool = False) -> Rate | None:
        return self.chosen(person, per_session)[0]

    def chosen(self, person: Person, per_session: bool = False) -> tuple[Rate | None, bool]:
        """``choose_rate`` for ``person``, worked out once for each."""
        key = (id(person), per_session)  # the plan (and so its people) is kept by this pricer
        found = self._rates.get(key)
        if found is None:
            found = self._rates[key] = choose_rate(self.plan, person, per_session=per_session)
        return found

    def fee(self, person: Person, activity: Activity, minutes: float
            ) -> tuple[Rate, float, _Otherwise] | None:
        """The rate ``person``'s fee at ``activity`` is priced by, the units of it in
        ``minutes`` of paid time, and what the rate is per and why, where it is of another
        kind than the activity is paid by (else None); None where no rate fits them."""
        per_session = paid_per_session(self.plan, person, activity.payment)
        rate, other = self.chosen(person, per_session)
        if rate is None:
            return None
        otherwise = (rate.per, priced_otherwise_reason(rate, per_session)) if other else None
        return rate, _units(minutes, rate.per), otherwise

    def expenses(self, person: Person, activity: Activity) -> list[str]:
        """``_expenses_of(person, activity)`` in order."""
        key = (id(person), activity.mode in IN_PERSON)
        found = self._expenses.get(key)
        if found is None:
            found = self._expenses[key] = sorted(_expenses_of(person, activity))
        return found

    def due(self, person: Person, activity: Activity) -> _Due:
        """What ``person`` is due at ``activity``, as ``costing`` works it out: the fee
        (None where they are not paid one, "" where no rate fits them, else the hours,
        the pence, and the rate's unit and why where it is of another kind than the
        activity is paid by: ``PricedOtherwise``) and each expense with its pence (None:
        a need with no cost given).  Kept for each person, length, way of taking part and
        payment, which is all it depends on (whether a fee is per session comes of the
        payment; a touchpoint's sessions are alike; a plan has thousands)."""
        in_person = activity.mode in IN_PERSON
        key = (id(person), activity.minutes, in_person, activity.payment)
        found = self._due.get(key)
        if found is not None:
            return found
        travel = self.travel if in_person else 0
        fee: tuple[float, int, _Otherwise] | str | None = None
        if payment_of(self.plan, person, activity) in FEE_PAYMENTS:
            minutes = activity.minutes * (1 + self.prep) + travel
            priced = self.fee(person, activity, minutes)
            if priced is None:
                fee = ""
            else:
                rate, units, otherwise = priced
                fee = (minutes / 60, _pence(rate.amount, units), otherwise)
        expenses: list[tuple[str, int | None]] = []
        for expense in self.expenses(person, activity):
            known = self.costs_by_expense.get(expense)
            if known is None:
                if expense not in EVERYONE_IN_PERSON:  # a need with no cost given
                    expenses.append((expense, None))
                continue
            minutes = activity.minutes + travel
            expenses.append((expense, _pence(known.amount, _units(minutes, known.per))))
        found = self._due[key] = (fee, tuple(expenses))
        return found

    def by_person(self, activity: Activity) -> dict[str, tuple[int, int]]:
        """What each person is due at ``activity``, in pence, and how much of it is
        expenses (so a fee and expenses can be shown apart, as the ledger keeps them): the
        ``pence_by_person`` of its costing without items, without making one (the
        delivery record asks for each of thousands of held sessions)."""
        out: dict[str, tuple[int, int]] = {}
        for person in self.plan.lived_among(activity.who):
            fee, expenses = self.due(person, activity)
            pid = person.id
            total, spent = out.get(pid, (0, 0))
            priced = False
            if isinstance(fee, tuple):
                total += fee[1]
                priced = True
            for _, pence in expenses:
                if pence is not None:
                    total += pence
                    spent += pence
                    priced = True
            if priced:  # (only those with something priced, as ``pence_by_person``)
                out[pid] = (total, spent)
        return out

    def summed(self, occasions: Iterable[_Occasion]) -> Costing:
        """``costing(..., itemised=False)`` of the activities ``occasions`` stand for (see
        ``_Occasion``): the total and what could not be priced, added up from what each
        person is due (``due``).

        Activities alike in all that is due at them (the same list of who takes part,
        length, way of taking part and payment: a touchpoint's sessions) are counted, and
        what is due at each is added once for all of them (whole pence, counted exactly in
        any order).  The hours are a sum of floats, which the items add in their order: they
        are added so (``_hours``).  Only where something could not be priced is each
        activity gone through in turn, as that is noted for each."""
        plan = self.plan
        costing, unpriced, otherwise = _new_costing(plan, itemised=False)
        by_person = costing.pence_by_person
        due = self.due
        # For each kind of activity alike: who is due what (in order), the hours of its
        # fees, and whether anything could not be priced; then how many there are.
        alike: dict[tuple[tuple[str, ...], int, bool, str | None], _Alike] = {}
        times: dict[tuple[tuple[str, ...], int, bool, str | None], int] = {}
        hours_in_turn: list[tuple[float, ...]] = []  # each activity's fees' hours, in order
        for who, minutes, mode, payment, activity_id, occasion in occasions:
            key = (who, minutes, mode in IN_PERSON, payment)
            kept = alike.get(key)
            if kept is None:
                activity = _activity(occasion)
                kept = alike[key] = _Alike([(person.id, due(person, activity))
                                            for person in plan.lived_among(who)])
                times[key] = 0
                for pid in kept.paid:  # (each person's total, in the order first paid)
                    by_person.setdefault(pid, 0)
            times[key] += 1
            if kept.hours:
                hours_in_turn.append(kept.hours)
            if kept.noted:
                for pid, (fee, expenses) in kept.due:
                    if isinstance(fee, tuple):
                        if fee[2] is not None:
                            otherwise(pid, activity_id, *fee[2])
                    elif fee is not None:
                        unpriced(pid, "fee", activity_id,
                                 "no rate in [[payment.rates]] fits them")
                    for expense, pence in expenses:
                        if pence is None:
                            unpriced(pid, expense, activity_id,
                                     f"{EXPENSE.label(expense).lower()} has no cost in "
                                     "[[payment.costs]]")
        counted = summed = 0
        for key, n in times.items():
            kept = alike[key]
            counted += kept.counted * n
            summed += kept.summed * n
            for pid, pence in kept.pence:
                by_person[pid] += pence * n
        costing.hours = _hours(costing.hours, hours_in_turn)
        costing.counted, costing.summed_pence = counted, summed
        return costing

    def costing(self, activities: Iterable[Activity], *, itemised: bool = True) -> Costing:
        if not itemised:  # the same, added up from what each person is due (``summed``)
            return self.summed((a.who, a.minutes, a.mode, a.payment, a.id, a)
                               for a in activities)
        plan = self.plan
        prep, travel, costs_by_expense = self.prep, self.travel, self.costs_by_expense
        costing, unpriced, otherwise = _new_costing(plan, itemised=itemised)
        counted = summed = 0
        by_person = costing.pence_by_person

        for activity in activities:
            in_person = activity.mode in IN_PERSON
            for person in plan.lived_among(activity.who):
                if payment_of(plan, person, activity) in FEE_PAYMENTS:
                    minutes = activity.minutes * (1 + prep) + (travel if in_person else 0)
                    priced = self.fee(person, activity, minutes)
                    if priced is None:
                        unpriced(person.id, "fee", activity.id,
                                 "no rate in [[payment.rates]] fits them")
                    else:
                        rate, units, noted = priced
                        if noted is not None:
                            otherwise(person.id, activity.id, *noted)
                        costing.hours += minutes / 60
                        if itemised:
                            costing.costs.append(_cost("fee", "fee", person, activity, units,
                                                       rate.per, _pence(rate.amount, units)))
                        else:
                            pence = _pence(rate.amount, units)
                            counted += 1
                            summed += pence
                            by_person[person.id] = by_person.get(person.id, 0) + pence
                for expense in self.expenses(person, activity):
                    known = costs_by_expense.get(expense)
                    if known is None:
                        if expense not in EVERYONE_IN_PERSON:  # a need with no cost given
                            unpriced(person.id, expense, activity.id,
                                     f"{EXPENSE.label(expense).lower()} has no cost in "
                                     "[[payment.costs]]")
                        continue
                    minutes = activity.minutes + (travel if in_person else 0)
                    units = _units(minutes, known.per)
                    if itemised:
                        costing.costs.append(_cost("expense", expense, person, activity,
                                                   units, known.per,
                                                   _pence(known.amount, units)))
                    else:
                        pence = _pence(known.amount, units)
                        counted += 1
                        summed += pence
                        by_person[person.id] = by_person.get(person.id, 0) + pence
        costing.counted, costing.summed_pence = counted, summed
        return costing


def budget_lines(costing: Costing, plan: Plan) -> list[tuple[str, float]]:
    """The costs as the lines of a grant application's budget: fees and each kind of
    expense, for each stage (in the plan's order) and each standing meeting.  No person is
    named.  The amounts add up to ``costing.total`` exactly (both are whole pence)."""
    titles = {s.id: s.title for s in plan.stages}
    meetings = {m.id: m.title for m in plan.meetings}
    grouped: dict[tuple[int, str, str], int] = defaultdict(int)
    order = {s.id: i for i, s in enumerate(plan.stages)}
    for cost in costing.costs:
        if cost.stage is not None:
            where, rank = f"stage: {titles.get(cost.stage, cost.stage)}", order.get(cost.stage, 0)
        else:
            where = f"meetings: {meetings.get(cost.activity, cost.activity)}"
            rank = len(order) + list(meetings).index(cost.activity) \
                if cost.activity in meetings else len(order) + len(meetings)
        what = ("Fees for time" if cost.kind == "fee" else EXPENSE.label(cost.what)) \
            if cost.what != "cancelled" else \
            f"{'Fees' if cost.kind == 'fee' else 'Expenses'} paid for sessions cancelled"
        grouped[(rank, where, what)] += cost.pence
    def order_of(entry: tuple[tuple[int, str, str], int]) -> tuple[int, bool, str]:
        (rank, _, what), _ = entry
        return rank, what != "Fees for time", what  # fees first, then expenses A to Z

    return [(f"{what} ({where})", pence / 100)
            for (_, where, what), pence in sorted(grouped.items(), key=order_of)]


def touchpoint_of(plan: Plan, activity_id: str) -> Touchpoint | None:
    """The touchpoint with this id, if the activity is one."""
    return next((t for t in plan.touchpoints if t.id == activity_id), None)
