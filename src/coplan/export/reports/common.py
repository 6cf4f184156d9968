"""What every report shares: the day it is written, the plan re-planned from what happened,
where the project stands, and what the reader may see of each person.

``Viewer`` is the one place a report decides how a person appears: by the name they agreed
to share (``privacy.shown_name``) or their initials and role, whatever the audience; the
team's free text passes through ``privacy.redact``.  Needs, contact details, health and bank
details are never read here, so no report can write them (the contributor pack shows a
person their own agreed support, and nothing of anyone else's).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from coplan import privacy
from coplan.costs import Costing, cost_plan
from coplan.delivery import SessionState, Status, as_of, owed_by_person, status
from coplan.export.contract import AUDIENCES, ExportError
from coplan.model import Person, Plan, Touchpoint
from coplan.records import dataclass
from coplan.schedule import Schedule, ScheduleError
from coplan.schedule import schedule as make_schedule


def day(when: date | None) -> str:
    """A date as people write it: 5 February 2027."""
    return f"{when.day} {when:%B %Y}" if when else ""


def long_day(when: date) -> str:
    """With the weekday, for someone planning their week: Friday 5 February 2027."""
    return f"{when:%A} {day(when)}"


def sentence(text: str) -> str:
    """Text that ends as a sentence does (the team's own words may not)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?)\"'" else text + "."


@dataclass(slots=True)
class Viewer:
    """Who a report is for, and so what it may show of people."""

    plan: Plan
    audience: str  # team, leads, lived-experience, or a person's id

    @property
    def person(self) -> Person | None:
        """The reader, where the report is one person's own."""
        return None if self.audience in AUDIENCES else self.plan.person(self.audience)

    def name(self, person_id: str) -> str:
        if self.person is not None and person_id == self.person.id:
            return "you"
        found = self.plan.person(person_id)
        if found is None:
            return "someone"
        return privacy.shown_name(found, self.plan.project.setting)

    def names(self, ids: Iterable[str]) -> str:
        return ", ".join(self.name(i) for i in ids)

    def text(self, text: str) -> str:
        """The team's own words, with the names of people who did not agree to share them
        replaced by their initials."""
        return privacy.redact(text.strip(), self.plan)

    def lived_count(self, ids: Iterable[str]) -> int:
        return len(self.plan.lived_in(tuple(ids)))


@dataclass(slots=True)
class Context:
    """One report's view of the project on ``today``.

    ``plan`` is the copy made for the report's audience (``sharing.for_audience``): every
    word and name a report writes comes from it.  ``source`` is the plan itself, used only
    for figures that need what the copy leaves out (what people's needs cost, and so the
    costs, what is owed and what is overdue), which reports give in sums or against the
    copy's own people and touchpoints (``shared_person``), never with the detail behind them.
    """

    plan: Plan
    planned: Schedule  # the schedule as the command line and the app made it
    now: Schedule  # re-planned from what actually happened, as of today
    today: date
    status: Status
    viewer: Viewer
    source: Plan
    source_status: Status
    costing: Costing

    @property
    def currency(self) -> str:
        return self.plan.budget.currency

    def held(self) -> list[SessionState]:
        return [s for s in self.status.sessions if s.held]

    def touchpoint(self, tp_id: str) -> Touchpoint | None:
        return next((t for t in self.plan.touchpoints if t.id == tp_id), None)

    def session_name(self, state: SessionState) -> str:
        tp = state.touchpoint
        of = state.session.of
        return f"{tp.title} (session {state.session.number} of {of})" if of > 1 else tp.title

    def shared_person(self, source_id: str) -> Person | None:
        """The copy's person for a person of the plan itself (the copy keeps their order)."""
        ids = [p.id for p in self.source.people]
        return self.plan.people[ids.index(source_id)] if source_id in ids else None

    def source_id(self, person: Person) -> str:
        """The plan's own id for a person of the copy."""
        index = next(i for i, p in enumerate(self.plan.people) if p.id == person.id)
        return self.source.people[index].id

    def shared_touchpoint(self, source_id: str) -> Touchpoint | None:
        ids = [t.id for t in self.source.touchpoints]
        return self.plan.touchpoints[ids.index(source_id)] if source_id in ids else None

    @property
    def owed(self) -> dict[str, float]:
        """What is owed now, by the copy's person id, the person owed the longest first
        (then by name), as ``coplan status`` lists them."""
        out: dict[str, float] = {}
        owed = self.source_status.owed
        first = list(owed_by_person(self.source_status))
        for who in first + [who for who in owed if who not in first]:
            amount = owed.get(who, 0.0)
            person = self.shared_person(who)
            if amount and person is not None:
                out[person.id] = out.get(person.id, 0.0) + amount
        return out


def context(plan: Plan, planned: Schedule, today: date, audience: str,
            source: tuple[Plan, Schedule] | None = None) -> Context:
    original, original_schedule = source if source is not None else (plan, planned)
    try:
        now = make_schedule(plan, today=today)
        source_now = now if original is plan else make_schedule(original, today=today)
    except ScheduleError as exc:
        raise ExportError(str(exc), about_plan=True) from None
    found = status(plan, now, today)
    source_status = found if original is plan else status(original, source_now, today)
    # Every report is written as things stood on ``today``: what is dated after it (a
    # session held, a payment, a reflection, an impact entry) had not happened yet.
    seen, _ = as_of(plan, now, today)
    seen_source = seen if original is plan else as_of(original, source_now, today)[0]
    return Context(seen, planned, now, today, found, Viewer(seen, audience), seen_source,
                   source_status, cost_plan(original, original_schedule))
