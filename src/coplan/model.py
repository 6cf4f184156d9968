"""The plan as typed, validated data: what a team agreed, with no I/O and no UI.

Every item remembers the line of the plan file it came from (``line``, and ``key_lines``
for its fields) so that reviewers and error messages can point at it.  Values are already
resolved: lengths in working days or minutes, enumerations as canonical ids (see
``vocab``).  The loader (``planfile``) builds these; nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from coplan.durations import Buffer, RootSumSquare, Share
from coplan.vocab import LADDER, is_lived


@dataclass(frozen=True, slots=True)
class Located:
    """Where an item stands in the plan file."""

    line: int = 0
    key_lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, key: str) -> int:
        """The line of one of the item's keys, or the item's own line."""
        return self.key_lines.get(key, self.line)


@dataclass(frozen=True, slots=True)
class Closure(Located):
    """Days the team does not work (an office closure, a summer break), inclusive."""

    start: date = date.min
    end: date = date.min
    why: str = ""


@dataclass(frozen=True, slots=True)
class SlowDown(Located):
    """How much time the plan adds because co-production takes longer."""

    stage_buffer: Buffer = field(default_factory=lambda: Share(20.0))
    project_buffer: Buffer = field(default_factory=RootSumSquare)
    enabled: bool = True


DEFAULT_PROMPTS: tuple[str, ...] = (
    "How are we working together? Does everyone feel heard and able to speak?",
    "What has changed since we last stopped, in the project and in our lives?",
    "How are people feeling? Does anyone need more support, a break or a different role?",
    "What have we done with what people told us, and have we told them?",
    "Is there anything we should slow down, stop or do differently?",
)


@dataclass(frozen=True, slots=True)
class Reflection(Located):
    """Reflection checkpoints: times the team stops to take stock."""

    enabled: bool = True
    every_days: int = 30
    after_each_phase: bool = True
    length_minutes: int = 120
    time: time = time(14, 0)
    blocks: bool = False
    prompts: tuple[str, ...] = DEFAULT_PROMPTS


@dataclass(frozen=True, slots=True)
class Project(Located):
    title: str = ""
    start: date = date.min
    timezone: str = "Europe/London"
    working_days: tuple[int, ...] = (0, 1, 2, 3, 4)
    holidays: str | None = None
    closures: tuple[Closure, ...] = ()
    claims_coproduction: bool = False
    setting: str = "research"
    summary: str = ""
    summary_co_written: bool = False
    aim: str = ""
    lived_experience_sought: str = ""
    sensitive_topic: bool = False
    ethics_review: bool = False
    session_time: time = time(10, 0)
    slow_down: SlowDown = field(default_factory=SlowDown)
    reflection: Reflection = field(default_factory=Reflection)

    @property
    def days_per_week(self) -> int:
        return len(self.working_days)


@dataclass(frozen=True, slots=True)
class Person(Located):
    id: str = ""
    name: str = ""
    kind: str = "other"
    share_name: bool = False
    needs: tuple[str, ...] = ()
    needs_asked: date | bool = False
    papers_ahead_days: int | None = None
    payment: str | None = None
    benefits_advice: str | None = None
    terms_given: date | None = None
    role: str = ""
    time_commitment: str = ""
    role_agreed: date | None = None
    credit: str | None = None
    email: str | None = None
    organisation: str = ""

    @property
    def lived(self) -> bool:
        """Whether this person brings lived experience (a service user, carer, ...)."""
        return is_lived(self.kind)


@dataclass(frozen=True, slots=True)
class Dependency(Located):
    """This stage waits for ``stage`` to finish, then ``lag_days`` working days more."""

    stage: str = ""
    lag_days: int = 0


@dataclass(frozen=True, slots=True)
class Decision(Located):
    """A decision taken in a stage, and by when (``start``, ``end``, ``+2w``, or a date)."""

    id: str = ""
    what: str = ""
    by: str | date = "end"


@dataclass(frozen=True, slots=True)
class When:
    """When a touchpoint session happens within its stage."""

    anchor: str = "start"  # "start", "end" or "date"
    offset_days: int = 0  # working days after start (or before end when negative)
    on: date | None = None

    def __str__(self) -> str:
        if self.anchor == "date" and self.on:
            return self.on.isoformat()
        if self.offset_days:
            return f"{'+' if self.offset_days > 0 else '-'}{abs(self.offset_days)}d"
        return self.anchor


@dataclass(frozen=True, slots=True)
class Touchpoint(Located):
    """A point where people with lived experience take part in a stage."""

    stage: str = ""
    index: int = 0
    id: str = ""
    title: str = ""
    purpose: str = ""
    format: str = "other"
    mode: str = "in-person"
    ladder: str | None = None
    role: str | None = None
    who: tuple[str, ...] = ()
    when: tuple[When, ...] = (When(),)
    time: time | None = None
    length_minutes: int = 120
    where: str = ""
    support: tuple[str, ...] = ()
    aftercare: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    feedback: str = ""
    feedback_within_days: int | None = None
    payment: str | None = None
    papers_ahead_days: int | None = None
    influences: tuple[str, ...] = ()
    heard_by: str = ""
    demanding: bool = False
    solo_reason: str = ""
    anonymous: bool = False
    towle: str | None = None
    achieved: str | None = None

    @property
    def ladder_rank(self) -> int:
        return LADDER[self.ladder].rank if self.ladder else 0


@dataclass(frozen=True, slots=True)
class Stage(Located):
    id: str = ""
    title: str = ""
    phase: str | None = None
    duration_days: int = 0
    after: tuple[Dependency, ...] = ()
    not_before: date | None = None
    deadline: date | None = None
    slow_down: Buffer | None = None
    can_change: str = ""
    fixed: str = ""
    constrained: str = ""
    decisions: tuple[Decision, ...] = ()
    touchpoints: tuple[Touchpoint, ...] = ()
    notes: str = ""

    @property
    def milestone(self) -> bool:
        return self.duration_days == 0

    @property
    def deepest_ladder(self) -> str | None:
        """The highest rung any touchpoint of this stage reaches."""
        best = max((t for t in self.touchpoints if t.ladder), key=lambda t: t.ladder_rank,
                   default=None)
        return best.ladder if best else None


@dataclass(frozen=True, slots=True)
class Meeting(Located):
    """A standing meeting that recurs through the project (a steering group, say)."""

    id: str = ""
    title: str = ""
    every_weeks: int = 4
    day: int = 1
    time: time = time(14, 0)
    length_minutes: int = 90
    who: tuple[str, ...] = ()
    where: str = ""
    start: date | None = None
    until: date | None = None
    purpose: str = ""
    terms_of_reference: str = ""
    format: str = "advisory-group"
    mode: str = "in-person"


@dataclass(frozen=True, slots=True)
class Governance(Located):
    lead: str = ""
    co_leads: tuple[str, ...] = ()
    board: tuple[str, ...] = ()
    decisions: str = ""
    disagreements: str = ""
    ground_rules: str = ""
    heard_by: str = ""


@dataclass(frozen=True, slots=True)
class Support(Located):
    contact: str = ""
    induction: str = ""
    training: str = ""
    staff_training: str = ""
    withdraw: str = ""
    safeguarding: str = ""
    confidentiality: str = ""
    buddy: str = ""
    anonymous_route: str = ""


@dataclass(frozen=True, slots=True)
class PaymentPolicy(Located):
    policy: str = ""
    agreed: date | None = None
    standard: str | None = None
    rate: str = ""
    rate_source: str = ""
    expenses: tuple[str, ...] = ()
    method: str = ""
    within_days: int | None = None
    prepaid_travel: bool = False
    benefits_advice: str = ""
    recognition: str = ""
    budgeting_with_contributors: bool = False


@dataclass(frozen=True, slots=True)
class Outreach:
    group: str = ""
    action: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Barrier:
    barrier: str = ""
    mitigation: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Recruitment(Located):
    routes: tuple[str, ...] = ()
    underserved: tuple[Outreach, ...] = ()
    barriers: tuple[Barrier, ...] = ()
    selection: str = ""


@dataclass(frozen=True, slots=True)
class Communication(Located):
    channels: tuple[str, ...] = ()
    between_meetings: str = ""
    plain_language: str = ""


@dataclass(frozen=True, slots=True)
class Evaluation(Located):
    methods: tuple[str, ...] = ()
    when: str = ""
    co_designed: bool = False
    domains: tuple[str, ...] = ()
    reflection_log: str = ""


@dataclass(frozen=True, slots=True)
class BudgetLine:
    item: str = ""
    amount: float = 0.0
    line: int = 0


@dataclass(frozen=True, slots=True)
class Budget(Located):
    involvement: float | None = None
    currency: str = "GBP"
    lines: tuple[BudgetLine, ...] = ()


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    term: str = ""
    meaning: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Signoff:
    who: str = ""
    date: date | None = None
    version: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class ProtocolReview:
    """A round in which people reviewed the protocol, and what changed because of it."""

    date: date | None = None
    who: tuple[str, ...] = ()
    changes: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Risk:
    risk: str = ""
    response: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Protocol(Located):
    """The parts of the co-production protocol only people can write."""

    version: str = "0.1"
    status: str = "draft"
    purpose: str = ""
    can_change: str = ""
    cannot_change: str = ""
    principles: str = ""
    boundaries: str = ""
    distress: str = ""
    signposting: str = ""
    data_handling: str = ""
    ethics: str = ""
    how_coproduced: str = ""
    next_review: date | None = None
    reporting: str = ""
    coauthors: tuple[str, ...] = ()
    terms: tuple[GlossaryTerm, ...] = ()
    signoffs: tuple[Signoff, ...] = ()
    reviews: tuple[ProtocolReview, ...] = ()
    risks: tuple[Risk, ...] = ()


@dataclass(frozen=True, slots=True)
class LogEntry(Located):
    """A decision the team took, who took part, and which stage it belongs to."""

    date: date | None = None
    what: str = ""
    who: tuple[str, ...] = ()
    stage: str = ""


@dataclass(frozen=True, slots=True)
class ReviewSettings(Located):
    """Thresholds for ``coplan check`` and rules switched off (each with its reason)."""

    min_voices: int = 2
    feedback_within_days: int = 20
    papers_ahead_days: int = 5
    milestones_need_touchpoints: bool = False
    skip: Mapping[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Plan:
    """A whole plan.  Lookups by id are built once, on creation."""

    project: Project
    people: tuple[Person, ...] = ()
    stages: tuple[Stage, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    governance: Governance = field(default_factory=Governance)
    support: Support = field(default_factory=Support)
    payment: PaymentPolicy = field(default_factory=PaymentPolicy)
    recruitment: Recruitment = field(default_factory=Recruitment)
    communication: Communication = field(default_factory=Communication)
    evaluation: Evaluation = field(default_factory=Evaluation)
    budget: Budget = field(default_factory=Budget)
    protocol: Protocol = field(default_factory=Protocol)
    log: tuple[LogEntry, ...] = ()
    review: ReviewSettings = field(default_factory=ReviewSettings)
    path: Path | None = None
    _people: dict[str, Person] = field(default_factory=dict, init=False, repr=False)
    _stages: dict[str, Stage] = field(default_factory=dict, init=False, repr=False)
    _lived: dict[str, Person] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._people = {p.id: p for p in self.people}
        self._lived = {p.id: p for p in self.people if p.lived}
        self._stages = {s.id: s for s in self.stages}

    def person(self, person_id: str) -> Person | None:
        return self._people.get(person_id)

    def stage(self, stage_id: str) -> Stage | None:
        return self._stages.get(stage_id)

    @property
    def touchpoints(self) -> list[Touchpoint]:
        return [t for s in self.stages for t in s.touchpoints]

    def lived_in(self, ids: tuple[str, ...]) -> list[Person]:
        """The people with lived experience among ``ids``."""
        lived = self._lived
        return [lived[i] for i in ids if i in lived]

    @property
    def file_name(self) -> str:
        return str(self.path) if self.path else "<plan>"
