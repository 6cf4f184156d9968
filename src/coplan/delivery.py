"""Where a running project stands: what happened, what is owed, and what is overdue.

The plan says what was intended; its delivery record (session records, stage actuals, the
payments ledger, reflections) says what happened.  This module sets one against the other
as of a given day:

* every planned session, with its record if it has one (held, moved, cancelled, or not
  recorded yet);
* what is overdue: people not told what happened to their input within the time promised
  (``feedback``), people not paid within ``[payment] within`` (``payment``), paid before
  anyone offered them benefits advice (``benefits-advice``), sessions whose day has passed
  with nothing recorded (``record``), checkpoints with no reflection noted (``reflection``);
* what is owed to each person now, from the sessions they came to and the fees and
  expenses the plan's rates give;
* each stage's state (done, under way, late, to come) and its slippage against the
  baseline.

Nothing here writes: ``coplan status`` prints it, the app shows it, and the review's rules
on reality read it.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date

from coplan.costs import FEE_PAYMENTS, Activity, Pricer, payment_of
from coplan.model import PaymentMade, Plan, SessionRecord, Stage, Touchpoint
from coplan.records import dataclass
from coplan.schedule import Schedule, Session, keeps_record

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
        if self.record is not None and self.record.on is not None:
            return self.record.on
        return self.session.day

    @property
    def held(self) -> bool:
        return self.record is not None and self.record.status == "held"

    @property
    def attended(self) -> tuple[str, ...]:
        """Who came (as recorded; the planned people until it is recorded)."""
        if self.record is not None and self.record.attended:
            return self.record.attended
        return self.touchpoint.who


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
    names: dict[str, str] = field(default_factory=dict)  # person id -> name, for the team
    paid: dict[str, float] = field(default_factory=dict)
    currency: str = "GBP"
    days_to_pay: list[int] = field(default_factory=list)  # working days, per payment made

    @property
    def margin_days(self) -> int | None:
        """Calendar days between the finish and the date the project must finish by
        (negative: past it)."""
        return None if self.finish_by is None else (self.finish_by - self.finish).days


def keeps_delivery_record(plan: Plan) -> bool:
    """Whether the team records what happens: any session record, stage actual, payment
    or reflection."""
    return bool(plan.paid or plan.reflections or plan.impact or keeps_record(plan)
                or any(t.records for t in plan.touchpoints))


def record_for(tp: Touchpoint, number: int) -> SessionRecord | None:
    return next((r for r in tp.records if r.session == number), None)


def sessions(sched: Schedule) -> list[SessionState]:
    return [SessionState(s, record_for(s.touchpoint, s.number)) for s in sched.sessions]


def _paid_for(plan: Plan) -> dict[tuple[str, str, int], list[PaymentMade]]:
    found: dict[tuple[str, str, int], list[PaymentMade]] = {}
    for entry in plan.paid:
        found.setdefault((entry.who, entry.for_activity, entry.session or 1), []).append(entry)
    return found


def status(plan: Plan, sched: Schedule, today: date) -> Status:
    """Where ``plan`` stands on ``today``, from its delivery record."""
    cal = sched.calendar
    review = plan.review
    pay_within = plan.payment.within_days
    pay_within = DEFAULT_PAY_WITHIN if pay_within is None else pay_within
    states = sessions(sched)
    pricer = Pricer(plan)  # each held session is priced on its own
    # A plan that records nothing yet is told so once, not session by session.
    recording = keeps_delivery_record(plan)
    overdue: list[Overdue] = []
    ledger = _paid_for(plan)
    owed: dict[str, int] = {}
    paid: dict[str, int] = {}
    days_to_pay: list[int] = []
    first_paid: dict[str, date] = {}
    for entry in plan.paid:
        paid[entry.who] = paid.get(entry.who, 0) + round((entry.amount + entry.expenses) * 100)
        if entry.paid is not None and (entry.who not in first_paid or
                                       entry.paid < first_paid[entry.who]):
            first_paid[entry.who] = entry.paid

    for state in states:
        tp = state.touchpoint
        number = state.session.number
        if state.record is None:
            if recording and state.session.day < today:
                overdue.append(Overdue("record", state.session.day, tp.id, "", number,
                                       f"session {number} of '{tp.title}': nothing is "
                                       "recorded"))
            continue
        if not state.held:
            continue
        held = state.day
        within = tp.feedback_within_days if tp.feedback_within_days is not None \
            else review.feedback_within_days
        due = cal.date_at(cal.index(held) + within)
        if state.record.feedback_sent is None and due < today:
            overdue.append(Overdue("feedback", due, tp.id, "", number,
                                   f"people at session {number} of '{tp.title}' have not "
                                   "heard back"))
        activity = Activity(tp.id, tp.title, held, state.session.length_minutes, tp.mode,
                            state.attended, tp.payment, state.session.stage, number)
        priced = pricer.by_person(activity)  # what each person is due
        pay_due = cal.date_at(cal.index(held) + pay_within)
        for person in plan.lived_in(state.attended):
            due_pence = priced.get(person.id, 0)
            entries = ledger.get((person.id, tp.id, number), [])
            done = [e for e in entries if e.paid is not None]
            if done:
                paid_on = min(e.paid for e in done if e.paid is not None)
                days_to_pay.append(cal.index(paid_on) - cal.index(held))
                continue
            if due_pence == 0 and payment_of(plan, person, activity) not in FEE_PAYMENTS:
                continue
            owed[person.id] = owed.get(person.id, 0) + due_pence
            if pay_due < today:
                overdue.append(Overdue("payment", pay_due, tp.id, person.id, number,
                                       f"{person.name or person.id}, for session {number} of "
                                       f"'{tp.title}'"))

    for person in plan.people:
        first = first_paid.get(person.id)
        if first is None or person.benefits_advice in ("not-applicable", "declined"):
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

    overdue.sort(key=lambda o: (o.due, o.kind, o.touchpoint, o.person))
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
                  paid={k: v / 100 for k, v in paid.items()}, currency=plan.budget.currency,
                  days_to_pay=days_to_pay,
                  names={p.id: p.name for p in plan.people if p.name})


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
