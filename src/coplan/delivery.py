"""Where a running project stands: what happened, what is owed, and what is overdue.

The plan says what was intended; its delivery record (session records, stage actuals, the
payments ledger, reflections) says what happened.  This module sets one against the other
as of a given day:

* every planned session, with its record if it has one (held, moved, cancelled, or not
  recorded yet); a session moved is one on another day than planned (``moved``);
* what is overdue: people not told what happened to their input within the time promised
  (``feedback``), people not paid within ``[payment] within`` (``payment``), paid before
  anyone offered them benefits advice (``benefits-advice``), sessions whose day (for one
  moved, its new day) has passed with nothing recorded (``record``), checkpoints with no
  reflection noted (``reflection``);
* what is owed to each person now, from the sessions they came to and the fees and
  expenses the plan's rates give, and from sessions called off at short notice that the
  payment policy pays for (``called_off_late``);
* each stage's state (done, under way, late, to come) and its slippage against the
  baseline.

Everything is seen as things stood on that day (``as_of``): a session held, a payment
made, feedback sent, a stage started or finished, a reflection or an impact entry dated
after it had not happened yet, so it is not counted, and is listed (``Status.later``) for
the review to report: a record of something that has not happened yet is a mistake.

Nothing here writes: ``coplan status`` prints it, the app shows it, and the review's rules
on reality read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from datetime import date
from operator import attrgetter
from typing import TYPE_CHECKING

from coplan.model import (
    PaymentMade,
    Person,
    Plan,
    SessionRecord,
    Stage,
    Touchpoint,
)

# Sessions as the record says them and the plan as of a day, in a module of their own for
# the schedule and the exports (``coplan.recorded``), and given here as this module's own.
from coplan.recorded import Later as Later
from coplan.recorded import SessionCounts as SessionCounts
from coplan.recorded import _dated_by as _dated_by
from coplan.recorded import _touchpoints_of
from coplan.recorded import as_of as as_of
from coplan.recorded import as_recorded as as_recorded
from coplan.recorded import count_sessions as count_sessions
from coplan.recorded import moved as moved
from coplan.recorded import record_for as record_for
from coplan.recorded import recorded_day as recorded_day
from coplan.records import dataclass
from coplan.schedule import Schedule, Session, keeps_record

if TYPE_CHECKING:  # (the costing is imported only where a cost is worked out)
    from coplan.costs import Costing, Pricer

DEFAULT_PAY_WITHIN = 20  # working days, when [payment] within is not given (four weeks)


@dataclass(frozen=True, slots=True)
class SessionState:
    """One planned session and what became of it."""

    session: Session
    record: SessionRecord | None

    @property
    def touchpoint(self) -> Touchpoint:
        return self.session.touchpoint

    @property
    def status(self) -> str:
        """held, moved, cancelled, or "planned" (nothing recorded)."""
        return self.record.status if self.record else "planned"

    @property
    def day(self) -> date:
        """The day it happened (or now happens), else the day it was planned for."""
        return recorded_day(self.session.planned_day or self.session.day, self.record)

    @property
    def held(self) -> bool:
        return self.record is not None and self.record.status == "held"

    @property
    def moved(self) -> bool:
        """Whether it moved to another day than planned (``moved``)."""
        return moved(self.session.planned_day or self.session.day, self.record)

    @property
    def awaited(self) -> bool:
        """Whether it is still to be held: nothing recorded, or recorded as moved to a new
        day (where it is due, as any session is on its day)."""
        return self.record is None or self.record.status == "moved"

    @property
    def attended(self) -> tuple[str, ...]:
        """Who came (as recorded; the planned people until it is recorded)."""
        if self.record is not None and self.record.attended:
            return self.record.attended
        return self.touchpoint.who


@dataclass(frozen=True, slots=True)
class Owing:
    """One amount that makes up what a person is owed (``Status.owed``): a claim in the
    ledger not paid yet, a session they came to that nothing in the ledger accounts for
    (not claimed yet), or a session called off at short notice.  What a person is owed
    is the sum of theirs, so anything that lists them adds up to it."""

    who: str  # the person's id
    activity: str  # the touchpoint's (or meeting's) id; "" for a claim for no activity
    session: int
    pence: int
    due: date  # the day it should be paid by
    kind: str  # "claimed" (in the ledger), "not claimed" (a session came to), "called off"
    title: str = ""  # the touchpoint's or meeting's title ("" for a claim for no activity)
    expenses: int = 0  # how much of ``pence`` is expenses (claimed, or as the plan expects)

    @property
    def fee(self) -> int:
        """How much of ``pence`` is the fee (what is not expenses), in pence."""
        return self.pence - self.expenses

    @property
    def about(self) -> str:
        """What it is for, in words naming no one: "session 1 of 'Drop-in at the centre'"
        (made only when asked: a large plan owes tens of thousands)."""
        if not self.title:
            return ""
        said = f"session {self.session} of '{self.title}'"
        return f"{said}, called off at short notice" if self.kind == "called off" else said


@dataclass(frozen=True, slots=True)
class Overdue:
    """Something promised whose day has passed."""

    kind: str  # feedback, payment, benefits-advice, record, reflection
    due: date
    touchpoint: str = ""  # the touchpoint's (or meeting's) id, where it is about one
    person: str = ""  # the person's id, where it is about one
    session: int = 0  # the session's number (a reflection's: the checkpoint's)
    what: str = ""  # in words

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind, "due": self.due.isoformat(),
                                  "what": self.what}
        if self.touchpoint:
            out["touchpoint"] = self.touchpoint
        if self.person:
            out["person"] = self.person
        if self.session:
            out["checkpoint" if self.kind == "reflection" else "session"] = self.session
        return out


@dataclass(frozen=True, slots=True)
class StageState:
    """Where one stage stands: done, under way, late or to come, with its dates."""

    stage: Stage
    state: str  # done, under way, late, to come
    planned_start: date
    planned_finish: date
    finish: date  # actual, or as now scheduled
    baseline_finish: date | None

    @property
    def slipped_days(self) -> int | None:
        """Calendar days the finish has moved since the baseline (None: no baseline)."""
        if self.baseline_finish is None:
            return None
        return (self.finish - self.baseline_finish).days


@dataclass(slots=True)
class Status:
    """Where the project stands on ``today``."""

    today: date
    finish: date
    finish_by: date | None
    baseline_finish: date | None
    sessions: list[SessionState]
    stages: list[StageState]
    overdue: list[Overdue]
    recording: bool = True  # whether the plan keeps a delivery record at all
    owed: dict[str, float] = field(default_factory=dict)  # person id -> amount
    owing: list[Owing] = field(default_factory=list)  # what ``owed`` is made of
    names: dict[str, str] = field(default_factory=dict)  # person id -> name, for the team
    paid: dict[str, float] = field(default_factory=dict)
    currency: str = "GBP"
    days_to_pay: list[int] = field(default_factory=list)  # working days, per payment made
    later: list[Later] = field(default_factory=list)  # dated after today: not counted

    @property
    def margin_days(self) -> int | None:
        """Calendar days between the finish and the date the project must finish by
        (negative: past it)."""
        return None if self.finish_by is None else (self.finish_by - self.finish).days


STAFF_PAYMENT = "salaried"
"""How a person's ``payment`` says they take part as staff: their time on the project is
paid through their job, not by involvement fees."""


def paid_as_staff(person: Person) -> bool:
    """Whether ``person`` takes part as staff, paid through their job (``payment``)."""
    return person.payment == STAFF_PAYMENT


def counts_as_earnings(entry: PaymentMade) -> bool:
    """Whether a payment can affect someone's benefits: a fee, or anything paid in
    vouchers.  Expenses repaid (travel, replacement care) are not earnings for benefits
    (nor for a salary: staff have theirs repaid too), so a payment of expenses alone
    needs no benefits advice before it and is no fee on top of a job."""
    return entry.amount > 0 or entry.method == "voucher"


def keeps_delivery_record(plan: Plan) -> bool:
    """Whether the team records what happens: any session record, stage actual, payment
    or reflection."""
    return bool(plan.paid or plan.reflections or plan.impact or keeps_record(plan)
                or any(t.records for t in plan.touchpoints))


def sessions(sched: Schedule) -> list[SessionState]:
    return [SessionState(s, record_for(s.touchpoint, s.number)) for s in sched.sessions]


HELD_ONLY = ("attended", "contributed", "ladder", "role", "feedback_sent", "feedback_how")
"""A session record's keys that say what happened at a session held: who came, what they
contributed, the rung it reached and the role people held, and when they heard back.  A
session moved or cancelled did not happen (not yet, or not at all), so it has none of
these: the app's record form does not write them for one (its reason, what changed and its
notes it keeps)."""


_OVERDUE_ORDER = attrgetter("due", "kind", "touchpoint", "person")


@dataclass(frozen=True, slots=True)
class RecordedCosting:
    """What the involvement costs as the delivery record says on ``today``, beside the
    plan's own costing: sessions held priced for who came, moved ones on their new day,
    cancelled ones not priced, but what the payments ledger records as paid (or claimed)
    for them (a late-cancellation fee, expenses already spent), and for one called off at
    short notice what the payment policy pays each person who was to come and has
    nothing in the ledger for it (``called_off_late``); sessions with nothing
    recorded, as planned.  ``sessions`` counts them as every output does (``count_sessions``)."""

    today: date
    costing: Costing
    sessions: SessionCounts


def cost_as_recorded(plan: Plan, sched: Schedule, today: date) -> RecordedCosting | None:
    """The costing of ``plan`` as its delivery record stood on ``today``; None where no
    session is recorded yet (the plan's own costing is then the only one)."""
    from coplan.costs import Activity, Cost, Pricer, activities_of_meetings

    recorded = as_recorded(sched, today)
    if all(session.status == "planned" for session in recorded.sessions):
        return None
    counts = count_sessions(recorded.sessions)
    seen, _later = as_of(plan, sched, today)
    by_id = {t.id: t for t in seen.touchpoints}
    occasions: list[Activity] = []
    called_off: dict[tuple[str, int], Session] = {}
    for session in recorded.sessions:
        tp = by_id.get(session.touchpoint.id, session.touchpoint)
        if session.status == "cancelled":
            called_off[(tp.id, session.number)] = session
            continue
        record = record_for(tp, session.number) if session.status == "held" else None
        who = record.attended if record is not None and record.attended else tp.who
        occasions.append(Activity(tp.id, tp.title, session.day, session.length_minutes,
                                  tp.mode, who, tp.payment, session.stage, session.number))
    pricer = Pricer(plan)
    costing = pricer.costing([*occasions, *activities_of_meetings(sched)])
    in_ledger: set[tuple[str, str, int]] = set()
    for entry in seen.paid:  # (what was paid, or claimed, for a session called off)
        off = called_off.get((entry.for_activity, entry.session or 1))
        if off is None:
            continue
        in_ledger.add((entry.who, entry.for_activity, entry.session or 1))
        stage = off.stage
        for kind, amount in (("fee", entry.amount), ("expense", entry.expenses)):
            if amount:
                costing.costs.append(Cost(
                    kind, CALLED_OFF, entry.who, entry.for_activity, off.touchpoint.title,
                    stage.id if stage else None, stage.phase if stage else None,
                    off.day, 1, "session", round(amount * 100)))
    # Sessions called off at short notice, for each person who was to come with nothing
    # in the ledger for it: what the payment policy pays them.
    for (tp_id, number), off in called_off.items():
        tp = by_id.get(tp_id, off.touchpoint)
        if not called_off_late(plan, sched, record_for(tp, number), off.day):
            continue
        stage = off.stage
        for person_id, pence in cancellation_due(plan, pricer, tp, off).items():
            if pence and (person_id, tp_id, number) not in in_ledger:
                costing.costs.append(Cost(
                    "fee", CALLED_OFF, person_id, tp_id, tp.title,
                    stage.id if stage else None, stage.phase if stage else None,
                    off.day, 1, "session", pence))
    return RecordedCosting(today, costing, counts)


CALLED_OFF = "cancelled"
"""What a cost paid for a session called off is (``Cost.what``): a late-cancellation fee,
or expenses already spent, as the payments ledger records them (or, for a session called
off at short notice with nothing in the ledger, as the payment policy says)."""


def called_off_late(plan: Plan, sched: Schedule, record: SessionRecord | None,
                    planned: date) -> bool:
    """Whether a session planned for ``planned`` was called off at short notice, as
    ``record`` says, so that people are paid for it (``[payment] cancelled_notice``):
    recorded as cancelled, on a day (``cancelled_on``) fewer working days before
    ``planned`` than the notice (or on it, or after it).  A plan that pays nothing for
    sessions called off, or a record that does not say when, is not."""
    notice = plan.payment.cancelled_notice
    if notice is None or record is None or record.status != "cancelled" or \
            record.cancelled_on is None:
        return False
    cal = sched.calendar
    return cal.index(planned) - cal.index(record.cancelled_on) < notice


def cancellation_pence(plan: Plan, fee_pence: int) -> int:
    """What a person is paid for a session called off at short notice, in pence, whose
    fee for it would have been ``fee_pence``: the fixed amount (``cancelled_fee``), else
    the share of the fee (``cancelled_paid``; in full where it is not given)."""
    pay = plan.payment
    if pay.cancelled_fee is not None:
        return round(pay.cancelled_fee * 100)
    share = 100 if pay.cancelled_paid is None else pay.cancelled_paid
    return round(fee_pence * share / 100)


def cancellation_due(plan: Plan, pricer: Pricer, tp: Touchpoint, session: Session
                     ) -> dict[str, int]:
    """What each person who was to come to ``session`` of ``tp`` (people with lived
    experience paid a fee there) is due for it, called off at short notice: in pence, by
    their id (``cancellation_pence`` of the fee the session was costed at)."""
    from coplan.costs import Activity

    activity = Activity(tp.id, tp.title, session.day, session.length_minutes, tp.mode,
                        tp.who, tp.payment, session.stage, session.number)
    due: dict[str, int] = {}
    for person in plan.lived_among(tp.who):
        fee, _expenses = pricer.due(person, activity)
        if isinstance(fee, tuple):
            due[person.id] = cancellation_pence(plan, fee[1])
        elif fee == "" and plan.payment.cancelled_fee is not None:
            due[person.id] = cancellation_pence(plan, 0)  # (a fixed amount needs no rate)
    return due


def _pence(entry: PaymentMade) -> int:
    return round((entry.amount + entry.expenses) * 100)


def _expenses_pence(entries: list[PaymentMade]) -> int:
    """The expenses of ledger entries, in pence (the part of their ``_pence`` that is)."""
    return sum(round(e.expenses * 100) for e in entries)


def _paid_for(plan: Plan) -> dict[tuple[str, str, int], list[PaymentMade]]:
    found: dict[tuple[str, str, int], list[PaymentMade]] = {}
    for entry in plan.paid:
        found.setdefault((entry.who, entry.for_activity, entry.session or 1), []).append(entry)
    return found


def status(plan: Plan, sched: Schedule, today: date, *, itemised: bool = True) -> Status:
    """Where ``plan`` stands on ``today``, from its delivery record as it stood then
    (``as_of``).  ``itemised=False`` leaves out what each sum owed is made of
    (``Status.owing``), which the review never reads: a large plan owes tens of thousands.

    What is owed comes from the sessions people came to, priced by the plan's rates, and
    from the ledger's open claims (a claim recorded with no day paid): a claim is owed until
    a payment is recorded for it, whoever the session's record says came."""
    # (the costing is imported here: the exports and the schedule put sessions on the
    # days the record says, ``as_recorded``, and price nothing)
    from coplan.costs import FEE_PAYMENTS, IN_PERSON, Activity, Pricer, payment_of

    plan, later = as_of(plan, sched, today)
    cal = sched.calendar
    review = plan.review
    pay_within = plan.payment.within_days
    pay_within = DEFAULT_PAY_WITHIN if pay_within is None else pay_within
    states = [SessionState(s, record_for(plan_tp, s.number) if plan_tp.records else None)
              for s, plan_tp in _touchpoints_of(plan, sched, bool(later))]
    pricer = Pricer(plan)  # each held session is priced on its own
    paid_when_called_off = plan.payment.cancelled_notice is not None
    # A plan that records nothing yet is told so once, not session by session.
    recording = keeps_delivery_record(plan)
    overdue: list[Overdue] = []
    ledger = _paid_for(plan)
    settled: set[tuple[str, str, int]] = set()  # the ledger's keys the sessions account for
    owed: dict[str, int] = {}
    paid: dict[str, int] = {}
    days_to_pay: list[int] = []
    first_paid: dict[str, date] = {}
    for entry in plan.paid:
        if entry.paid is None:
            continue  # an open claim: owed, not paid
        paid[entry.who] = paid.get(entry.who, 0) + round((entry.amount + entry.expenses) * 100)
        if not counts_as_earnings(entry):
            continue  # (expenses repaid: no benefits advice needed before them)
        if entry.who not in first_paid or entry.paid < first_paid[entry.who]:
            first_paid[entry.who] = entry.paid

    owing: list[Owing] = []

    def owe(person_id: str, pence: int, due: date, name: str, title: str, tp_id: str,
            number: int, kind: str = "claimed", expenses: int = 0) -> None:
        """Owe ``person_id`` (called ``name``) ``pence`` for session ``number`` of the
        activity called ``title`` ("" for a claim for no activity), by ``due``, of which
        ``expenses`` pence are expenses."""
        owed[person_id] = owed.get(person_id, 0) + pence
        item = Owing(person_id, tp_id, number, pence, due, kind, title, expenses)
        if itemised:
            owing.append(item)
        if due < today:
            about = item.about
            overdue.append(Overdue("payment", due, tp_id, person_id, number,
                                   f"{name}, for {about}" if about else name))

    # A plan of thousands of sessions holds many on the same days, with the same people
    # for the same length: the day so many working days after a day, and what each
    # person is due at a session (``Pricer.by_person``, which depends only on who came,
    # the length, whether in person and the payment), are worked out once for each.
    days_after: dict[tuple[date, int], date] = {}
    # Who is due what at sessions alike, with what the loop below reads of each: their
    # id, the pence, whether a session with nothing in the ledger is owed them at all
    # (nothing is due and they are not paid a fee there), and how a finding names them.
    people_alike: dict[tuple[tuple[str, ...], int, bool, str | None],
                       list[tuple[str, int, bool, str, int]]] = {}

    for state in states:
        session = state.session
        tp = session.touchpoint
        number = session.number
        record = state.record
        if record is None or record.status == "moved":
            # A session moved is due on its new day, as any other is on its own: once that
            # day has passed with nothing more recorded, what happened is overdue.
            day = state.day
            if recording and day < today:
                planned = session.planned_day or session.day
                where = "" if record is None else f", moved from {planned:%d %b %Y}"
                overdue.append(Overdue("record", day, tp.id, "", number,
                                       f"session {number} of '{tp.title}'{where}: nothing "
                                       "is recorded"))
            continue
        if record.status != "held":
            if paid_when_called_off and record.status == "cancelled":
                _owe_for_called_off(plan, sched, pricer, session, record, ledger, owe,
                                     days_after, pay_within)
            continue
        held = record.on  # (``state.day`` of a session held)
        if held is None:
            held = session.planned_day or session.day
        within = tp.feedback_within_days if tp.feedback_within_days is not None \
            else review.feedback_within_days
        due = days_after.get((held, within))  # (``after``)
        if due is None:
            due = days_after[(held, within)] = cal.date_at(cal.index(held) + within)
        if record.feedback_sent is None and due < today:
            overdue.append(Overdue("feedback", due, tp.id, "", number,
                                   f"people at session {number} of '{tp.title}' have not "
                                   "heard back"))
        attended = record.attended or tp.who  # (``state.attended``)
        alike = (attended, session.length_minutes, tp.mode in IN_PERSON, tp.payment)
        people = people_alike.get(alike)
        if people is None:
            activity = Activity(tp.id, tp.title, held, session.length_minutes, tp.mode,
                                attended, tp.payment, session.stage, number)
            priced = pricer.by_person(activity)  # what each person is due
            people = people_alike[alike] = [
                (person.id, priced.get(person.id, (0, 0))[0],
                 not priced.get(person.id, (0, 0))[0]
                 and payment_of(plan, person, activity) not in FEE_PAYMENTS,
                 person.name or person.id, priced.get(person.id, (0, 0))[1])
                for person in plan.lived_among(attended)]
        pay_due = days_after.get((held, pay_within))
        if pay_due is None:
            pay_due = days_after[(held, pay_within)] = cal.date_at(cal.index(held)
                                                                   + pay_within)
        late = pay_due < today
        tp_id = tp.id
        for pid, due_pence, unpaid, name, due_expenses in people:
            key = (pid, tp_id, number)
            entries = ledger.get(key) if ledger else None
            if not entries:  # (nothing in the ledger: the usual case, said at once)
                if unpaid:
                    continue
                owed[pid] = owed.get(pid, 0) + due_pence
                if itemised:
                    owing.append(Owing(pid, tp_id, number, due_pence, pay_due,
                                       "not claimed", tp.title, due_expenses))
                if late:
                    overdue.append(Overdue(
                        "payment", pay_due, tp_id, pid, number,
                        f"{name}, for session {number} of '{tp.title}'"))
                continue
            settled.add(key)
            done = [e for e in entries if e.paid is not None]
            claims = [e for e in entries if e.paid is None]
            if done:
                paid_on = min(e.paid for e in done if e.paid is not None)
                days_to_pay.append(cal.index(paid_on) - cal.index(held))
                # (a claim beside a payment for the same session is owed as claimed)
                claimed = sum(_pence(e) for e in claims)
                if claimed:
                    owe(pid, claimed, pay_due, name, tp.title, tp_id, number,
                        expenses=_expenses_pence(claims))
                continue
            claimed = sum(_pence(e) for e in claims)
            owe(pid, claimed or due_pence, pay_due, name, tp.title, tp_id, number,
                "claimed" if claimed else "not claimed",
                _expenses_pence(claims) if claimed else due_expenses)

    # Open claims no held session accounts for (the record does not list the person, or
    # the claim is for a standing meeting): owed as claimed, due from the claim's day.
    titles = {t.id: t.title for t in plan.touchpoints} | {m.id: m.title for m in plan.meetings}
    for key, entries in ledger.items():
        if key in settled:
            continue
        person_id, activity_id, number = key
        claimant = plan.person(person_id)
        name = (claimant.name or person_id) if claimant is not None else person_id
        for entry in entries:
            if entry.paid is not None:
                continue
            since = entry.claimed
            due = cal.date_at(cal.index(since) + pay_within) if since is not None else today
            title = titles.get(activity_id, activity_id)
            owe(person_id, _pence(entry), due, name, title if activity_id else "",
                activity_id, number, expenses=_expenses_pence([entry]))

    for person in plan.people:
        first = first_paid.get(person.id)
        # (someone paid through their job takes part as staff: benefits advice is not the
        # question for them, a fee is: the review's CP-DEL-017)
        if first is None or person.benefits_advice in ("not-applicable", "declined") or \
                paid_as_staff(person):
            continue
        # Advice recorded without its date is taken as given; not offered yet, or dated
        # after the first payment, is not.
        offered = person.benefits_advice_on
        if (person.benefits_advice in (None, "not-yet") and offered is None) or \
                (offered is not None and offered > first):
            overdue.append(Overdue("benefits-advice", first, "", person.id, 0,
                                   f"{person.name or person.id} was paid with no benefits advice "
                                   "offered "
                                   "first"))

    noted = {r.checkpoint for r in plan.reflections if r.checkpoint}
    noted_days = {r.date for r in plan.reflections}
    for number, checkpoint in enumerate(sched.checkpoints, start=1):
        if recording and checkpoint.day < today and number not in noted and \
                checkpoint.day not in noted_days:
            overdue.append(Overdue("reflection", checkpoint.day, "", "", number,
                                   f"checkpoint {number}: nothing noted"))

    overdue.sort(key=_OVERDUE_ORDER)
    baseline = {b.stage: b for b in plan.baseline.stages}
    stage_states = []
    for stage in plan.stages:
        timing = sched.stages[stage.id]
        base = baseline.get(stage.id)
        finish = stage.finished or timing.end
        if stage.finished is not None:
            word = "done"
        elif stage.started is not None or timing.start <= today:
            word = "late" if timing.end < today else "under way"
        else:
            word = "to come"
        stage_states.append(StageState(stage, word, timing.start, timing.end, finish,
                                       base.finish if base else None))
    return Status(today=today, finish=sched.finish, finish_by=plan.project.finish_by,
                  baseline_finish=plan.baseline.finish, sessions=states, stages=stage_states,
                  overdue=overdue, recording=recording, owed={k: v / 100 for k, v in owed.items()},
                  owing=owing,
                  paid={k: v / 100 for k, v in paid.items()}, currency=plan.budget.currency,
                  days_to_pay=days_to_pay, later=later,
                  names={p.id: p.name for p in plan.people if p.name})


def _owe_for_called_off(plan: Plan, sched: Schedule, pricer: Pricer, session: Session,
                        record: SessionRecord,
                        ledger: dict[tuple[str, str, int], list[PaymentMade]],
                        owe: Callable[..., None],
                        days_after: dict[tuple[date, int], date], pay_within: int) -> None:
    """What ``status`` owes for a session called off at short notice (``called_off_late``):
    to each person who was to come with nothing in the ledger for it, what the payment
    policy pays them, due within ``[payment] within`` of the day it was planned for (what
    the ledger records for it, a claim or a payment, is counted as the ledger's own)."""
    planned = session.planned_day or session.day
    if not called_off_late(plan, sched, record, planned):
        return
    tp = session.touchpoint
    pay_due = days_after.get((planned, pay_within))
    if pay_due is None:
        cal = sched.calendar
        pay_due = days_after[(planned, pay_within)] = cal.date_at(cal.index(planned)
                                                                  + pay_within)
    for pid, pence in cancellation_due(plan, pricer, tp, session).items():
        if not pence or ledger.get((pid, tp.id, session.number)):
            continue
        person = plan.person(pid)
        name = (person.name or pid) if person is not None else pid
        owe(pid, pence, pay_due, name, tp.title, tp.id, session.number, "called off")


def feedback_due(plan: Plan, sched: Schedule, tp: Touchpoint, held: date) -> date:
    """The day people at a session held on ``held`` should have heard back by (as
    ``status`` counts it: the touchpoint's promise, else the review's)."""
    within = tp.feedback_within_days if tp.feedback_within_days is not None \
        else plan.review.feedback_within_days
    cal = sched.calendar
    return cal.date_at(cal.index(held) + within)


def payment_due(plan: Plan, sched: Schedule, held: date) -> date:
    """The day a session held on ``held`` should be paid for by (``[payment] within``)."""
    within = plan.payment.within_days
    cal = sched.calendar
    return cal.date_at(cal.index(held) + (DEFAULT_PAY_WITHIN if within is None else within))


def owed_by_person(status: Status) -> dict[str, list[Owing]]:
    """Each person owed (by id) with the amounts that make up their sum, in the order a
    reader can follow: the person owed the longest first (by their earliest amount due),
    then by name (as the team knows them, letter case aside, then id); each person's
    amounts first due first.  Amounts of nothing are left out."""
    items: dict[str, list[Owing]] = {}
    for owing in sorted(status.owing, key=lambda o: (o.due, o.activity, o.session)):
        if owing.pence:
            items.setdefault(owing.who, []).append(owing)

    def order(who: str) -> tuple[date, str, str, str]:
        name = status.names.get(who, who)
        return (items[who][0].due, name.casefold(), name, who)

    return {who: items[who] for who in sorted(items, key=order)}
