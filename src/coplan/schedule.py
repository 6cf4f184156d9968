"""Turning a plan into dated work: the critical path, slow-down time and reflection.

Conventions (also in docs/plan-format.md):

* Time is counted in **working days** of the plan's calendar (``workcal``).  Internally a
  stage occupies the half-open range of day indices ``[early_start, early_finish)``.
* A stage's ``start`` is its first working day and its ``end`` its last working day,
  inclusive.  A stage with no predecessors starts on the first working day on or after
  the project start (or its ``not_before`` date, if later).
* A ``0d`` stage is a **milestone**.  It is reached at the end of the day its last
  predecessor finishes (or on the day it may first happen, when nothing comes before it).
* Links are finish-to-start with an optional **lag** in working days.
* **Slowing down**: after each stage with a lived-experience touchpoint comes a slow-down
  buffer (a share of the stage, or a fixed length; each stage may override it) that its
  successors wait for.  A **project buffer** (a share, a fixed length, or ``rss``: the root
  of the sum of the squares of the stage buffers on the critical chain) protects the end.
* **Reflection checkpoints** come the working day after each phase ends and, between
  them, often enough that no gap is longer than ``every``.  They only hold stages up when
  the plan says ``blocks = true``; then every stage that follows a stage of an earlier
  phase waits for that phase's checkpoint.
* Floats are in working days; a stage is **critical** when its total float is zero.
  Deadlines never move anything: a missed deadline is reported.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Container, Iterable
from dataclasses import field, fields, replace
from datetime import date, time
from operator import attrgetter

from coplan.durations import RootSumSquare, Share, WorkLength
from coplan.model import Meeting, Plan, Stage, Touchpoint
from coplan.records import dataclass
from coplan.schema import LAST_YEAR
from coplan.vocab import PHASE
from coplan.words import count
from coplan.workcal import WorkCalendar


@dataclass(frozen=True, slots=True)
class StageTiming:
    """When a stage happens, and how much it could slip."""

    stage: Stage
    start: date
    end: date
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    total_float: int
    free_float: int
    critical: bool
    buffer_days: int
    es: int = field(repr=False, default=0)
    ef: int = field(repr=False, default=0)

    @property
    def id(self) -> str:
        return self.stage.id


@dataclass(frozen=True, slots=True)
class BufferItem:
    """Time added after a stage (or before the finish) because co-production is slower."""

    id: str
    stage: str | None
    days: int
    start: date
    end: date
    title: str


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A time to stop and take stock together."""

    id: str
    day: date
    title: str
    reason: str
    phases: tuple[str, ...]
    time: time
    length_minutes: int
    prompts: tuple[str, ...]
    blocks: bool


@dataclass(frozen=True, slots=True)
class Gate:
    """A blocking reflection checkpoint as the schedule uses it: one working day after every
    stage of ``phase`` (and its slow-down time), which the stages of other phases that follow
    that phase wait for.  Exports to other planning tools carry gates as tasks of their own,
    so those tools arrive at coplan's dates."""

    id: str
    phase: str
    title: str
    day: date
    waits_for: tuple[str, ...]
    holds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Session:
    """A dated touchpoint session."""

    id: str
    touchpoint: Touchpoint
    stage: Stage
    day: date
    time: time
    length_minutes: int
    number: int
    of: int
    # What the delivery record says became of it, in a schedule whose sessions follow the
    # record (``delivery.as_recorded``, which every output uses): held, moved or cancelled
    # ("planned": nothing recorded, or a schedule as planned); and the day it was planned
    # for where the record puts it on another (``day``).
    status: str = "planned"
    planned_day: date | None = None

    @property
    def moved(self) -> bool:
        """Whether the record puts it on another day than planned (``recorded.moved``,
        which gives it a ``planned_day``)."""
        return self.planned_day is not None


@dataclass(frozen=True, slots=True)
class MeetingSeries:
    """A standing meeting expanded over the project, with the dates it cannot happen."""

    meeting: Meeting
    first: date
    until: date
    dates: tuple[date, ...]
    skipped: tuple[tuple[date, str], ...]


@dataclass(frozen=True, slots=True)
class MissedDeadline:
    """A stage that ends after its deadline, and by how many days."""

    stage: str
    deadline: date
    end: date
    days_late: int


@dataclass(slots=True)
class Schedule:
    """Everything dated.  Derived from the plan, never stored."""

    plan: Plan
    calendar: WorkCalendar
    slow_down: bool
    start: date
    stages: dict[str, StageTiming]
    order: list[str]
    buffers: list[BufferItem]
    project_buffer: BufferItem | None
    checkpoints: list[Checkpoint]
    sessions: list[Session]
    meetings: list[MeetingSeries]
    finish: date
    finish_without_slow_down: date
    critical_path: list[str]
    missed: list[MissedDeadline]
    added_days: int
    gates: list[Gate] = field(default_factory=list)
    # The day it was dated from what actually happened as of (None: as planned, the
    # delivery record left aside): another schedule of the same plan takes the same day.
    as_of: date | None = None
    # The day its sessions follow the delivery record as of (``delivery.as_recorded``; None:
    # each session on the day it was planned for).
    recorded: date | None = None
    # What the critical-path passes worked out, for ``schedule_added`` (None: not kept).
    work: _Work | None = field(default=None, repr=False, compare=False)

    def timing(self, stage_id: str) -> StageTiming:
        return self.stages[stage_id]

    @property
    def stage_buffer_days(self) -> int:
        return sum(b.days for b in self.buffers)


_TOO_FAR = (f"the plan would run past the year {LAST_YEAR}, beyond the years coplan plans "
            "for; check the lengths of the longest chain of stages")


def _within_calendar(cal: WorkCalendar, index: int) -> None:
    """Refuse a schedule that would run past the calendar coplan plans in, before any date
    that far is worked out (working days are counted without holidays here, which only
    ever come on top: anything past this bound is certainly too far)."""
    if index > cal.weekdays_before(date(LAST_YEAR + 1, 1, 1)):
        raise ScheduleError(_TOO_FAR)


class ScheduleError(ValueError):
    """The plan cannot be scheduled (it should have failed validation first)."""


def _has_lived_touchpoint(plan: Plan, stage: Stage) -> bool:
    return any(plan.lived_among(t.who) for t in stage.touchpoints)


def stage_buffer_days(plan: Plan, stage: Stage) -> int:
    """The slow-down buffer after ``stage``: zero unless it involves lived experience."""
    if stage.milestone or not _has_lived_touchpoint(plan, stage):
        return 0
    return buffer_size_days(plan, stage)


def buffer_size_days(plan: Plan, stage: Stage) -> int:
    """The slow-down buffer after ``stage`` were it to involve lived experience (its own
    ``slow_down``, else the project's stage buffer, in working days)."""
    size = stage.slow_down or plan.project.slow_down.stage_buffer
    if isinstance(size, Share):
        return size.of(stage.duration_days)
    if isinstance(size, WorkLength):
        return size.days(plan.project.days_per_week)
    return 0


@dataclass(slots=True)
class _Node:
    """One stage as the critical-path pass sees it."""

    id: str
    duration: int
    buffer: int
    floor: int
    preds: list[tuple[str, int]]
    milestone: bool
    es: int = 0
    ef: int = 0
    driven: bool = False
    shown: int = 0  # the day index a milestone is shown on (stages: their last day)
    lf: int = 0
    ls: int = 0
    free: int = 0
    # What actually happened (the delivery record), as day indexes: a finished stage keeps
    # its real dates; a started one starts when it did and ends no sooner than ``until``.
    started: int | None = None
    finished: int | None = None
    until: int = 0

    def copy(self) -> _Node:
        """A node alike, to change (a schedule's nodes are shared by the schedules made
        from it: ``schedule_added``, ``schedule_changed``)."""
        return _Node(self.id, self.duration, self.buffer, self.floor, self.preds,
                     self.milestone, self.es, self.ef, self.driven, self.shown, self.lf,
                     self.ls, self.free, self.started, self.finished, self.until)


def _cpm(nodes: dict[str, _Node], order: list[str], origin: int, *,
         backward: bool = True) -> int:
    """Forward and (unless ``backward`` is False: only the finish is wanted) backward
    passes; returns the finish index (exclusive)."""
    succs: dict[str, list[tuple[str, int]]] = {n: [] for n in order} if backward else {}
    for nid in order:
        node = nodes[nid]
        _forward(node, nodes, origin)
        if backward:
            for pred, lag in node.preds:
                succs[pred].append((nid, lag))
    finish = max((nodes[n].ef + nodes[n].buffer for n in order), default=origin)
    if not backward:
        return finish
    for nid in reversed(order):
        node = nodes[nid]
        node.lf, node.ls, node.free = _backward(node, succs[nid], nodes, finish)
    return finish


def keeps_record(plan: Plan) -> bool:
    """Whether the plan records what actually happened to its stages."""
    return any(s.started is not None or s.finished is not None for s in plan.stages)


def _project_buffer_days(plan: Plan, nodes: dict[str, _Node], critical: list[str],
                         finish_stages: int, origin: int) -> int:
    """The project buffer's working days, as the plan sizes it: the root of the sum of the
    squares of the critical chain's stage buffers, a share of the stages' span, or a
    length (for a full schedule and for stages changed alike)."""
    size = plan.project.slow_down.project_buffer
    if isinstance(size, RootSumSquare):
        return math.ceil(math.sqrt(sum(nodes[s].buffer ** 2 for s in critical)))
    if isinstance(size, Share):
        return size.of(finish_stages - origin)
    if isinstance(size, WorkLength):
        return size.days(plan.project.days_per_week)
    return 0


def _node_of(plan: Plan, stage: Stage, cal: WorkCalendar, origin: int, now: int | None,
             with_slow: bool, known: Container[str]) -> _Node:
    """A stage as the critical-path passes see it (links only to stages in ``known``), run
    on from what actually happened where ``now`` is the day to plan from: one way of making
    it for the whole schedule, a stage added and stages changed."""
    node = _Node(id=stage.id, duration=stage.duration_days,
                 buffer=stage_buffer_days(plan, stage) if with_slow else 0,
                 floor=cal.index(stage.not_before) if stage.not_before else origin,
                 preds=[(d.stage, d.lag_days) for d in stage.after if d.stage in known],
                 milestone=stage.milestone)
    if now is not None:
        _from_reality(node, stage, cal, now)
    return node


def _with_buffer(node: _Node, plan: Plan, stage: Stage) -> _Node:
    """``node`` (of ``stage``, made without slow-down and not yet dated) as ``_node_of``
    makes it with slow-down: the same, with the stage's buffer, and links of its own."""
    return _Node(node.id, node.duration, stage_buffer_days(plan, stage), node.floor,
                 list(node.preds), node.milestone, node.es, node.ef, node.driven,
                 node.shown, node.lf, node.ls, node.free, node.started, node.finished,
                 node.until)


def happened(stage: Stage, cal: WorkCalendar, now: int) -> str | None:
    """What the delivery record says had happened to ``stage`` by day index ``now``, as
    the schedule reads it: "finished", "started", or None (to come; a start or finish
    recorded after that day had not happened yet, ``delivery.as_of``).  The exports to
    other planning tools ask it, so that they carry what the schedule was dated from."""
    started = cal.index(stage.started) if stage.started is not None else None
    if started is not None and started > now:
        return None
    if stage.finished is not None and cal.index(stage.finished) <= now:
        return "finished"
    return "started" if started is not None else None


def dated_from_record(sched: Schedule) -> int | None:
    """The day index ``sched`` was dated from what actually happened as of (its
    ``as_of``, where the plan keeps a delivery record and that day is not before the
    project's start), or None: dated as planned."""
    if sched.as_of is None or sched.as_of < sched.plan.project.start \
            or not keeps_record(sched.plan):
        return None
    return sched.calendar.index(sched.as_of)


def project_buffer_after(sched: Schedule) -> tuple[list[str], list[str]]:
    """What the project buffer comes after, as an export to another planning tool links
    it (each stage after its slow-down buffer): the stages nothing waits for, and no
    blocking checkpoint; dated from what happened (``dated_from_record``), every stage
    and every blocking checkpoint (their gates' ids), since what really happened need not
    follow the links (a stage under way can end after one that waits for it has
    finished) and the buffer comes after all of them, as the schedule has it."""
    if dated_from_record(sched) is None:
        waited_for = {d.stage for s in sched.plan.stages for d in s.after}
        return [s.id for s in sched.plan.stages if s.id not in waited_for], []
    return [s.id for s in sched.plan.stages], [g.id for g in sched.gates]


def _from_reality(node: _Node, stage: Stage, cal: WorkCalendar, now: int) -> None:
    """Set what actually happened to ``stage`` on its node, as of day index ``now``
    (``happened``)."""
    state = happened(stage, cal, now)
    if state is None:
        node.floor = max(node.floor, now)
        return
    started = cal.index(stage.started) if stage.started is not None else None
    if state == "finished":
        assert stage.finished is not None
        node.finished = cal.index(stage.finished)
        node.started = started if started is not None else node.finished + 1 - node.duration
        node.started = min(node.started, node.finished + 1)
        node.duration = node.finished + 1 - node.started
        return
    assert started is not None  # (started, not finished)
    node.started = started
    if stage.progress is not None and stage.finished is None:
        left = math.ceil(node.duration * (100 - stage.progress) / 100)
        # The work left counts from the day the figure was measured (today's, where
        # the record does not say); not finished, it ends after the day we are on.
        measured = now if stage.progress_on is None else \
            min(now, max(started, cal.index(stage.progress_on)))
        node.until = max(measured + max(left, 1), now + 1)
        return
    left = max(0, node.duration - (now - node.started))
    # Not finished, so it ends no sooner than the day after the one we are on.
    node.until = now + max(left, 1)


def schedule(plan: Plan, *, slow_down: bool = True, today: date | None = None) -> Schedule:
    """Date every stage, buffer, checkpoint, session and meeting of ``plan``.

    With ``today``, a plan that keeps a delivery record (stages' ``started`` and
    ``finished``) is scheduled from what actually happened: see ``keeps_record``."""
    from coplan.graph import describe_loop, find_loops, plan_order

    cal = WorkCalendar.for_project(plan.project)
    preds, found = plan_order(plan)  # found once for the loader too
    if found is None:
        loop = next(find_loops(preds, known_loop=True), [])
        raise ScheduleError("stages wait for each other in a loop: " + describe_loop(loop))
    order = list(found)  # the Schedule's own list
    origin = cal.index(plan.project.start)
    use_slow = slow_down and plan.project.slow_down.enabled

    known = {s.id for s in plan.stages}

    # Re-planning from reality: with a day to plan from, and a plan that keeps a delivery
    # record, finished stages keep their real dates, started ones run on from when they
    # began, and nothing yet to start can start before that day.
    now = cal.index(today) if today is not None and keeps_record(plan) else None

    def build(with_slow: bool) -> dict[str, _Node]:
        return {stage.id: _node_of(plan, stage, cal, origin, now, with_slow, known)
                for stage in plan.stages}

    node_order = list(order)
    blocking: dict[str, str] = {}
    holds: dict[str, list[str]] = {}
    reflection = plan.project.reflection
    gated = use_slow and reflection.enabled and reflection.blocks
    if use_slow:
        # The finish without slow-down needs only a forward pass of its own.  The nodes
        # with slow-down are those without, each with its stage's buffer (made once: a
        # node reads its stage's links, dates and delivery record).
        plain_nodes = build(False)
        nodes = {stage.id: _with_buffer(plain_nodes[stage.id], plan, stage)
                 for stage in plan.stages}
        plain_finish = _cpm(plain_nodes, order, origin, backward=False)
        if gated:
            node_order, blocking, holds = _add_blocking_checkpoints(plan, nodes, order, preds)
        finish_stages = _cpm(nodes, node_order, origin)
    else:  # one pass: the plan as scheduled is the plan without slow-down
        nodes = plain_nodes = build(False)
        finish_stages = plain_finish = _cpm(nodes, node_order, origin)
    _within_calendar(cal, finish_stages)

    timings: dict[str, StageTiming] = {}
    for stage in plan.stages:
        n = nodes[stage.id]
        timings[stage.id] = _timing(stage, n, cal, origin)

    critical = _critical_path(nodes, node_order, finish_stages, origin, set(blocking))
    buffers = [
        BufferItem(id=f"{sid}.slow-down", stage=sid, days=nodes[sid].buffer,
                   start=cal.date_at(nodes[sid].ef), end=cal.date_at(nodes[sid].ef
                                                                      + nodes[sid].buffer - 1),
                   title=f"Slowing down after: {plan.stage(sid).title}")  # type: ignore[union-attr]
        for sid in order if nodes[sid].buffer > 0
    ]
    project_buffer_days = (_project_buffer_days(plan, nodes, critical, finish_stages, origin)
                           if use_slow else 0)
    project_buffer = None
    if project_buffer_days > 0:
        project_buffer = BufferItem(
            id="project.slow-down", stage=None, days=project_buffer_days,
            start=cal.date_at(finish_stages), end=cal.date_at(finish_stages + project_buffer_days
                                                               - 1),
            title="Project buffer: time held back to protect the end date")
    finish_index = finish_stages + project_buffer_days
    _within_calendar(cal, finish_index)
    finish = cal.date_at(max(finish_index - 1, origin))
    if finish.year > LAST_YEAR:
        raise ScheduleError(_TOO_FAR)
    plain_end = cal.date_at(max(plain_finish - 1, origin))

    checkpoints: list[Checkpoint] = []
    if use_slow and reflection.enabled:
        checkpoints = _checkpoints(plan, nodes, order, cal, origin, max(finish_index - 1, origin),
                                   blocking)
    gates = [Gate(id=f"reflect.{phase}", phase=phase,
                  title=f"Stop and take stock: after {PHASE.label(phase)}",
                  day=cal.date_at(nodes[cid].es),
                  waits_for=tuple(pred for pred, _ in nodes[cid].preds),
                  holds=tuple(holds[cid])) for cid, phase in blocking.items()]
    sessions = _sessions(plan, timings, cal)
    meetings = [_meeting_series(m, plan.project.start, finish, cal) for m in plan.meetings]
    missed = [
        MissedDeadline(s.id, s.deadline, timings[s.id].end,
                       cal.between(s.deadline, timings[s.id].end) if cal.is_working(s.deadline)
                       else cal.between(cal.on_or_before(s.deadline), timings[s.id].end))
        for s in plan.stages if s.deadline and timings[s.id].end > s.deadline
    ]
    return Schedule(
        plan=plan, calendar=cal, slow_down=use_slow, start=cal.date_at(origin),
        stages=timings, order=order, buffers=buffers, project_buffer=project_buffer,
        checkpoints=checkpoints, sessions=sessions, meetings=meetings, finish=finish,
        finish_without_slow_down=plain_end, critical_path=critical, missed=missed,
        added_days=max(0, finish_index - plain_finish), gates=gates, as_of=today,
        work=None if gated else _Work(nodes, plain_nodes, origin, now, finish_stages,
                                      plain_finish, finish_index),
    )


def _timing(stage: Stage, n: _Node, cal: WorkCalendar, origin: int) -> StageTiming:
    if stage.milestone:
        at = n.shown if n.driven and n.es > origin else n.es
        day = cal.date_at(at)
        late_at = n.ls - 1 if n.driven and n.ls > origin else n.ls
        late = cal.date_at(max(late_at, at))
        start = end = early_finish = day
        late_start = late_finish = late
    else:
        start = cal.date_at(n.es)
        end = early_finish = cal.date_at(n.ef - 1)
        late_start = cal.date_at(n.ls)
        late_finish = cal.date_at(n.lf - 1)
    total = n.ls - n.es
    # (each field in its place, as declared: a thousandth of a second at 1,000 stages
    # beside naming each)
    return StageTiming(stage, start, end, start, early_finish, late_start, late_finish,
                       total, n.free, total == 0 and n.finished is None,  # (done: behind us)
                       n.buffer, n.es, n.ef)


def _critical_path(nodes: dict[str, _Node], order: list[str], finish: int, origin: int,
                   skip: set[str]) -> list[str]:
    """One driving chain of zero-float stages from the start to the finish."""
    ends = [n for n in order if nodes[n].ls == nodes[n].es
            and nodes[n].ef + nodes[n].buffer == finish]
    if not ends:
        return []
    current = ends[-1]
    chain = [current]
    while True:
        node = nodes[current]
        previous = None
        for pred, lag in node.preds:
            p = nodes[pred]
            if p.ls == p.es and p.ef + p.buffer + lag == node.es and p.finished is None:
                previous = pred
        if previous is None:
            break
        chain.append(previous)
        current = previous
    return [n for n in reversed(chain) if n not in skip]


def _phase_ends(plan: Plan, nodes: dict[str, _Node], order: list[str]) -> dict[str, int]:
    ends: dict[str, int] = {}
    for sid in order:
        stage = plan.stage(sid)
        if stage is None or not stage.phase:
            continue
        n = nodes[sid]
        ends[stage.phase] = max(ends.get(stage.phase, n.ef), n.ef)
    return ends


def _gate_node(phase: str) -> str:
    """The schedule's node for a phase's blocking checkpoint ("~" is in no stage's id)."""
    return f"~reflect.{phase}"


def _add_blocking_checkpoints(plan: Plan, nodes: dict[str, _Node], order: list[str],
                              preds: dict[str, list[str]]
                              ) -> tuple[list[str], dict[str, str], dict[str, list[str]]]:
    """Insert a one-day checkpoint node per phase that later phases wait for.  Returns the
    new order, each checkpoint node's phase, and the stages each checkpoint holds up."""
    from coplan.graph import followers, topological

    graph = {node: list(befores) for node, befores in preds.items()}
    next_of = followers(preds)
    phase_of = {s.id: s.phase for s in plan.stages}
    blocking: dict[str, str] = {}
    holds: dict[str, list[str]] = {}
    # Successors in the graph as it grows (checkpoints included), to see whether a new
    # checkpoint would close a loop without copying the graph to try it.
    succ = {node: list(after) for node, after in next_of.items()}
    in_phase: dict[str, list[str]] = {}  # each phase's stages, in the plan's order
    for sid, phase in phase_of.items():
        if phase:
            found = in_phase.get(phase)
            if found is None:
                in_phase[phase] = [sid]
            else:
                found.append(sid)
    for phase, members in in_phase.items():
        cid = _gate_node(phase)
        later = sorted({v for u in members for v in next_of.get(u, ())
                        if phase_of.get(v) and phase_of[v] != phase})
        if not later:
            continue
        # The checkpoint waits for the members and the later stages wait for it: a loop
        # unless no member can be reached from a later stage.
        if _reaches(succ, later, set(members)):
            continue  # phases interleave; this checkpoint cannot hold the next phase up
        graph[cid] = list(members)
        succ[cid] = list(later)
        for m in members:
            succ.setdefault(m, []).append(cid)
        for f in later:
            graph[f].append(cid)
        blocking[cid] = phase
        holds[cid] = later
        nodes[cid] = _Node(id=cid, duration=1, buffer=0, floor=0,
                           preds=[(m, 0) for m in members], milestone=False)
        for f in later:
            nodes[f].preds.append((cid, 0))
    # Ties broken by the stages' order, then the checkpoints by name: each node's place
    # in that order, as a number (quicker to compare than the pair).
    position = {sid: i for i, sid in enumerate(order)}
    rank = dict(position)
    rank.update((n, len(position) + i) for i, n in enumerate(
        sorted(n for n in graph if n not in position)))
    new_order = topological(list(graph), graph, key=rank.__getitem__)
    assert new_order is not None  # every checkpoint added kept the graph free of loops
    return new_order, blocking, holds


def _reaches(succ: dict[str, list[str]], starts: list[str], targets: set[str]) -> bool:
    """Whether any of ``targets`` can be reached from ``starts`` along ``succ``."""
    seen = set(starts)
    stack = list(starts)
    while stack:
        node = stack.pop()
        if node in targets:
            return True
        for nxt in succ.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False


def _checkpoints(plan: Plan, nodes: dict[str, _Node], order: list[str], cal: WorkCalendar,
                 origin: int, last: int, blocking: dict[str, str]) -> list[Checkpoint]:
    reflection = plan.project.reflection
    marks: dict[int, list[str]] = {}
    if reflection.after_each_phase:
        for phase, end in _phase_ends(plan, nodes, order).items():
            cid = _gate_node(phase)
            at = nodes[cid].es if cid in blocking else end
            marks.setdefault(min(at, last), []).append(phase)
    every = reflection.every_days
    indices = sorted(marks)
    result: list[tuple[int, list[str]]] = []
    previous = origin
    # (the finish is a stop of its own unless a phase already ends there: then once only)
    for at in indices if indices and indices[-1] == last else [*indices, last]:
        while at - previous > every:
            previous += every
            result.append((previous, []))
        if at in marks:
            result.append((at, marks[at]))
        previous = max(previous, at)
    checkpoints = []
    # Each checkpoint is named by what it is, never by its place in the list, so that an
    # edit which moves the schedule leaves every other checkpoint's identity (and its
    # calendar UID) alone: the end of a phase is ``reflect.<phase>``, and the stops between
    # are counted from the phase checkpoint before them (or from the start).
    since, stops = "reflect.start", 0
    for at, phases in result:
        day = cal.date_at(at)
        if phases:
            cid = "reflect." + "+".join(phases)
            since, stops = cid, 0
        else:
            stops += 1
            cid = f"{since}.{stops}"
        if phases:
            names = " and ".join(PHASE.label(p) for p in phases)
            title = f"Stop and take stock: after {names}"
            reason = f"the end of {names}"
        else:
            title = "Stop and take stock"
            reason = f"no more than {count(every, 'working day')} since the last time we took stock"
        checkpoints.append(Checkpoint(
            id=cid, day=day, title=title, reason=reason, phases=tuple(phases),
            time=reflection.time, length_minutes=reflection.length_minutes,
            prompts=reflection.prompts,
            blocks=any(_gate_node(p) in blocking for p in phases)))
    return checkpoints


def _sessions(plan: Plan, timings: dict[str, StageTiming], cal: WorkCalendar,
              stages: Iterable[Stage] | None = None) -> list[Session]:
    """The sessions of ``stages`` (default: every stage of the plan), sorted."""
    out = []
    session_time = plan.project.session_time
    for stage in plan.stages if stages is None else stages:
        if not stage.touchpoints:
            continue
        timing = timings[stage.id]
        milestone = stage.milestone
        for tp in stage.touchpoints:
            dates = len(tp.when)
            at = tp.time or session_time
            for number, when in enumerate(tp.when, start=1):
                # (a stage's start and end are working days: no offset, no counting)
                anchor = when.anchor
                if anchor == "date" and when.on is not None:
                    day = when.on
                elif anchor == "end":
                    day = cal.date_at(cal.index(timing.end) + min(0, when.offset_days)) \
                        if not milestone and when.offset_days < 0 else timing.end
                else:
                    day = cal.date_at(cal.index(timing.start) + max(0, when.offset_days)) \
                        if not milestone and when.offset_days > 0 else timing.start
                # (each field in its place, as declared)
                out.append(Session(tp.id if dates == 1 else f"{tp.id}.{number}", tp, stage,
                                   day, at, tp.length_minutes, number, dates))
    out.sort(key=_SESSION_ORDER)
    return out


def _meeting_series(meeting: Meeting, project_start: date, finish: date,
                    cal: WorkCalendar) -> MeetingSeries:
    from datetime import timedelta

    begin = meeting.start or project_start
    until = meeting.until or finish
    first = begin + timedelta(days=(meeting.day - begin.weekday()) % 7)
    dates = []
    skipped = []
    step = timedelta(weeks=meeting.every_weeks)
    day = first
    while day <= until:
        reason = cal.holiday_name(day)
        if reason:
            skipped.append((day, reason))
        else:
            dates.append(day)
        day += step
    return MeetingSeries(meeting=meeting, first=first, until=until, dates=tuple(dates),
                         skipped=tuple(skipped))


# -- adding a stage to a schedule ---------------------------------------------------------

@dataclass(slots=True)
class _Work:
    """What the critical-path passes of a schedule worked out, kept for extending it: the
    nodes of the plan as scheduled and without slow-down, and the finishes.  Never changed
    once made (a schedule worked out from it copies what it changes), so schedules made
    from one another may share it."""

    nodes: dict[str, _Node]
    plain: dict[str, _Node]
    origin: int
    now: int | None
    finish_stages: int
    plain_finish: int
    finish_index: int
    succs: dict[str, list[tuple[str, int]]] | None = field(default=None, compare=False)
    # Each stage's place in the order of dating (``order``: the schedule's), when asked.
    places: tuple[list[str], dict[str, int]] | None = field(default=None, compare=False)

    def position(self, order: list[str]) -> dict[str, int]:
        """Each stage's place in ``order`` (kept while the order stays the same)."""
        if self.places is None or self.places[0] != order:
            self.places = (order, {sid: i for i, sid in enumerate(order)})
        return self.places[1]

    def successors(self) -> dict[str, list[tuple[str, int]]]:
        if self.succs is None:
            succs: dict[str, list[tuple[str, int]]] = {n: [] for n in self.nodes}
            for nid, node in self.nodes.items():
                for pred, lag in node.preds:
                    succs[pred].append((nid, lag))
            self.succs = succs
        return self.succs


# What of a stage the schedule never reads (everything else of it may move a date), and
# what of a touchpoint it does read (its sessions' days, times and lengths, and whether a
# person with lived experience takes part, which gives the stage its slow-down time).
_UNDATED = frozenset({"line", "key_lines", "title", "can_change", "fixed", "constrained",
                      "decisions", "notes", "touchpoints"})
_STAGE_DATED = tuple(f.name for f in fields(Stage) if f.name not in _UNDATED)
_TOUCHPOINT_DATED = ("stage", "id", "who", "when", "time", "length_minutes")


def dated_alike(before: Stage, after: Stage) -> bool:
    """Whether the schedule dates ``after`` exactly as it dated ``before`` (in the same
    plan around them)."""
    if any(getattr(before, name) != getattr(after, name) for name in _STAGE_DATED):
        return False
    if len(before.touchpoints) != len(after.touchpoints):
        return False
    return all(b is a or all(getattr(b, name) == getattr(a, name) for name in _TOUCHPOINT_DATED)
               for b, a in zip(before.touchpoints, after.touchpoints, strict=True))


def _forward(node: _Node, nodes: dict[str, _Node], origin: int) -> None:
    """The forward pass for one node, its predecessors already dated (``_cpm`` runs it
    over every node; ``schedule_added`` over a new one)."""
    floor = max(origin, node.floor)
    ready = floor
    for pred, lag in node.preds:
        p = nodes[pred]
        ready = max(ready, p.ef + p.buffer + lag)
    if node.started is not None:
        ready = node.started
    node.es = ready
    node.ef = ready + node.duration
    if node.finished is not None:
        node.ef = max(node.finished + 1, node.es)
    elif node.started is not None:
        node.ef = max(node.ef, node.until)
    # Reached because something before it finished (not because of a date)?
    node.driven = bool(node.preds) and ready > floor
    if node.duration:
        node.shown = node.ef - 1
    elif not node.driven:
        node.shown = ready
    else:
        # The end of the day the wait ended: the driving stage's last day, a driving
        # milestone's own day, or the last day of a buffer or lag.
        candidates = []
        for pred, lag in node.preds:
            p = nodes[pred]
            if p.ef + p.buffer + lag == ready:
                candidates.append(p.shown if not lag and not p.buffer else ready - 1)
        node.shown = max(candidates, default=ready)  # (or when it started)


def _backward(node: _Node, succs: list[tuple[str, int]], nodes: dict[str, _Node],
              finish: int) -> tuple[int, int, int]:
    """The backward pass of ``_cpm`` for one node: its late finish, late start and free
    float, its successors already worked out."""
    latest = finish
    earliest_next = finish
    for succ, lag in succs:
        s = nodes[succ]
        latest = min(latest, s.ls - lag)
        earliest_next = min(earliest_next, s.es - lag)
    if node.finished is not None:
        # Done: its dates are what happened, with no float left to give or take.
        return node.ef, node.es, 0
    lf = latest - node.buffer
    ls = lf - node.duration
    if node.started is not None:
        # Under way: it began when it did, so what float it has is at its end.
        ls = node.es + (lf - node.ef)
    return lf, ls, earliest_next - (node.ef + node.buffer)


def schedule_added(old: Schedule, plan: Plan, *, today: date | None = None) -> Schedule | None:
    """The schedule of ``plan``, made from ``old`` (the schedule of the plan before one
    stage was added, as of the same ``today``), or None when it must be worked out afresh.

    That is when ``plan`` is ``old``'s plan with one stage more that nothing waits for,
    the other stages dated alike, and the project, meetings and people with lived
    experience the same.  Nothing before the new stage moves: it needs only its own
    forward pass.  If it ends before the stages' finish, the finish stays, and the backward
    pass changes only for the stages it waits for, and those they wait for, as far as
    their late dates change; otherwise (or with blocking reflection checkpoints, whose
    nodes this does not keep) None.  The result is what ``schedule(plan, today=today)``
    gives, field by field (tests/test_schedule_added.py compares them)."""
    from coplan.graph import plan_order

    work = old.work
    before = old.plan
    if (work is None or old.as_of != today or len(plan.stages) != len(before.stages) + 1
            or plan.project != before.project or plan.meetings != before.meetings
            or plan._lived.keys() != before._lived.keys()):
        return None
    # The new stage, and the others: the same objects, or dated alike.
    at = next((i for i, (b, a) in enumerate(zip(before.stages, plan.stages, strict=False))
               if b.id != a.id), len(before.stages))
    new = plan.stages[at]
    changed: dict[str, tuple[Stage, Stage]] = {}
    for b, a in zip(before.stages, plan.stages[:at] + plan.stages[at + 1:], strict=True):
        if b is not a:
            if b.id != a.id or not dated_alike(b, a):
                return None
            changed[a.id] = (b, a)
    nodes = work.nodes
    if new.id in nodes:
        return None
    preds, found = plan_order(plan)
    if found is None or any(new.id in waits for waits in preds.values()):
        return None  # (a loop; or something waits for the new stage)
    cal = old.calendar
    now = cal.index(today) if today is not None and keeps_record(plan) else None
    if now != work.now:
        return None
    origin = work.origin

    def node(with_slow: bool) -> _Node:
        return _node_of(plan, new, cal, origin, now, with_slow, nodes)

    if any(d.stage == new.id for d in new.after):
        return None
    added = node(old.slow_down)
    _forward(added, nodes, origin)
    finish_stages = work.finish_stages
    if added.ef + added.buffer > finish_stages:
        return None  # the finish moves, and with it every late date
    if old.slow_down:
        plain_added = node(False)
        _forward(plain_added, work.plain, origin)
        plain = dict(work.plain)
        plain[new.id] = plain_added
        plain_finish = max(work.plain_finish, plain_added.ef)
    else:
        plain, plain_finish = nodes, work.plain_finish
    nodes = dict(nodes)
    nodes[new.id] = added
    succs = dict(work.successors())
    succs[new.id] = []
    for pred, lag in added.preds:
        succs[pred] = [*succs[pred], (new.id, lag)]
    if not old.slow_down:
        plain = nodes

    # The backward pass, from the new stage back through what it waits for, in the
    # reverse of the order of dating, as far as a late start changes.
    order = list(found)
    added.lf, added.ls, added.free = _backward(added, [], nodes, finish_stages)
    redone = {new.id}
    if added.preds:
        import heapq

        position = {sid: i for i, sid in enumerate(order)}
        queue = [(-position[p], p) for p in dict.fromkeys(p for p, _ in added.preds)]
        heapq.heapify(queue)
        queued = {p for _, p in queue}
        while queue:
            _, sid = heapq.heappop(queue)
            current = nodes[sid]
            lf, ls, free = _backward(current, succs[sid], nodes, finish_stages)
            if (lf, ls, free) == (current.lf, current.ls, current.free):
                continue
            copy = current.copy()
            copy.lf, copy.ls, copy.free = lf, ls, free
            nodes[sid] = copy
            redone.add(sid)
            if ls != current.ls:
                for pred, _ in current.preds:
                    if pred not in queued:
                        queued.add(pred)
                        heapq.heappush(queue, (-position[pred], pred))

    timings: dict[str, StageTiming] = {}
    kept = old.stages
    for stage in plan.stages:
        sid = stage.id
        if sid in redone:
            timings[sid] = _timing(stage, nodes[sid], cal, origin)
        else:
            timing = kept[sid]
            timings[sid] = timing if timing.stage is stage else replace(timing, stage=stage)
    critical = _critical_path(nodes, order, finish_stages, origin, set())
    project_buffer = old.project_buffer
    if old.slow_down:  # (with the stages' finish kept, only a buffer sized by the chain moves)
        days = _project_buffer_days(plan, nodes, critical, finish_stages, origin)
        if days != (project_buffer.days if project_buffer else 0):
            return None  # the finish moves
    finish_index = work.finish_index

    old_buffers = {b.stage: b for b in old.buffers}
    buffers = []
    for sid in order:
        n = nodes[sid]
        if n.buffer <= 0:
            continue
        item = old_buffers.get(sid)
        if item is None or sid in changed:
            item = BufferItem(id=f"{sid}.slow-down", stage=sid, days=n.buffer,
                              start=cal.date_at(n.ef), end=cal.date_at(n.ef + n.buffer - 1),
                              title=f"Slowing down after: {plan.stage(sid).title}")  # type: ignore[union-attr]
        buffers.append(item)

    reflection = plan.project.reflection
    checkpoints = list(old.checkpoints)
    if old.slow_down and reflection.enabled and reflection.after_each_phase and new.phase:
        checkpoints = _checkpoints(plan, nodes, order, cal, origin,
                                   max(finish_index - 1, origin), {})

    sessions = old.sessions
    if changed:
        swap: dict[int, tuple[Touchpoint, Stage]] = {
            id(bt): (at_, a) for b, a in changed.values()
            for bt, at_ in zip(b.touchpoints, a.touchpoints, strict=True)}
        sessions = [s if (found_ := swap.get(id(s.touchpoint))) is None
                    else replace(s, touchpoint=found_[0], stage=found_[1]) for s in sessions]
    else:
        sessions = list(sessions)
    for session in _sessions(plan, timings, cal, [new]):
        key = (session.day, session.time, session.id)
        place = bisect.bisect_left(sessions, key, key=_session_key)
        if place < len(sessions) and _session_key(sessions[place]) == key:
            return None  # (the same day, time and id: placed by the order of the stages)
        sessions.insert(place, session)

    meetings = [m if m.meeting is n else replace(m, meeting=n)
                for m, n in zip(old.meetings, plan.meetings, strict=True)]
    missed = list(old.missed)
    if new.deadline and timings[new.id].end > new.deadline:
        end = timings[new.id].end
        late = MissedDeadline(new.id, new.deadline, end,
                              cal.between(new.deadline, end) if cal.is_working(new.deadline)
                              else cal.between(cal.on_or_before(new.deadline), end))
        place_of = {s.id: i for i, s in enumerate(plan.stages)}
        missed.insert(sum(place_of[m.stage] < at for m in missed), late)
    return Schedule(
        plan=plan, calendar=cal, slow_down=old.slow_down, start=old.start,
        stages=timings, order=order, buffers=buffers, project_buffer=project_buffer,
        checkpoints=checkpoints, sessions=sessions, meetings=meetings, finish=old.finish,
        finish_without_slow_down=cal.date_at(max(plain_finish - 1, origin)),
        critical_path=critical, missed=missed,
        added_days=max(0, finish_index - plain_finish), gates=[], as_of=today,
        work=_Work(nodes, plain, origin, now, finish_stages, plain_finish, finish_index,
                   succs),
    )



def _session_key(session: Session) -> tuple[date, time, str]:
    return session.day, session.time, session.id


_SESSION_ORDER = attrgetter("day", "time", "id")  # (``_session_key``, quicker)


# -- an edit that changes stages (a length, a link...) --------------------------------------

def schedule_changed(old: Schedule, plan: Plan, *, today: date | None = None) -> Schedule | None:
    """The schedule of ``plan``, made from ``old`` (the schedule of the plan before an edit
    that changed some of its stages: a length, a link, a date it may not start before...,
    as of the same ``today``), or None when it must be worked out afresh.

    The forward pass is run again only for the stages changed and those that wait for a
    stage whose end moved, in the order of dating; the backward pass for the stages whose
    own dates or whose successors' dates moved, from the last back, as far as a late date
    changes, or for every stage when the finish moves (every late date hangs from it).
    The slow-down buffers, sessions, checkpoints and missed deadlines of the stages that
    moved are worked out again, and the checkpoints and meetings when the finish or the
    end of a phase moves.

    None (schedule afresh) when the edit did more than change stages in place: the
    project's settings (the calendar, slow-down, reflection), the meetings or the people
    with lived experience changed, a stage was added, removed, moved or renamed (the
    order and every id-keyed list would move); when ``old`` kept no passes (blocking
    reflection checkpoints, whose nodes and order this does not keep); when the plan
    now has a loop or runs past the years coplan plans for (the full schedule says why);
    when whether the plan keeps a delivery record changed (every stage's earliest day
    moves with it); and when a session dated again comes on the same day, at the same
    time and with the same id as another (the full schedule orders those by the stages'
    places in the file; when many sessions move, two sessions with the same id at all).
    The result is what ``schedule(plan, today=today)`` gives, field by field
    (tests/test_schedule_changed.py compares them)."""
    from coplan.graph import plan_order

    work = old.work
    before = old.plan
    if (work is None or old.as_of != today or len(plan.stages) != len(before.stages)
            or plan.project != before.project or plan.meetings != before.meetings
            or plan._lived.keys() != before._lived.keys()):
        return None
    changed: dict[str, tuple[Stage, Stage]] = {}
    moved_stage: set[str] = set()  # dated differently (not only a new object)
    for b, a in zip(before.stages, plan.stages, strict=True):
        if b is not a:
            if b.id != a.id:
                return None
            changed[a.id] = (b, a)
            if not dated_alike(b, a):
                moved_stage.add(a.id)
    if not moved_stage:
        return None  # (nothing moves: ``session.reschedule`` keeps such a schedule)
    cal = old.calendar
    now = cal.index(today) if today is not None and keeps_record(plan) else None
    if now != work.now:
        return None
    _, found = plan_order(plan)
    if found is None:
        return None
    order = list(found)
    position = work.position(order)
    origin = work.origin
    known = work.nodes.keys()

    def node(stage: Stage, with_slow: bool) -> _Node:
        return _node_of(plan, stage, cal, origin, now, with_slow, known)

    # The successors, where a changed stage's links changed.
    succs = work.successors()
    relinked = [sid for sid in moved_stage
                if [p for p, _ in work.nodes[sid].preds]
                != [d.stage for d in changed[sid][1].after if d.stage in known]
                or [lag for _, lag in work.nodes[sid].preds]
                != [d.lag_days for d in changed[sid][1].after if d.stage in known]]
    if relinked:
        succs = dict(succs)
        for sid in relinked:
            for pred, _ in work.nodes[sid].preds:
                succs[pred] = [(s, lag) for s, lag in succs[pred] if s != sid]
        for sid in relinked:
            for d in changed[sid][1].after:
                if d.stage in known:
                    succs[d.stage] = [*succs[d.stage], (sid, d.lag_days)]

    def forward(kept: dict[str, _Node], with_slow: bool
                ) -> tuple[dict[str, _Node], set[str]]:
        """The forward pass over what a change reaches: the nodes, and those redone."""
        nodes = dict(kept)
        dirty = set(moved_stage)  # (changed, or waiting for a stage whose end moved)
        redone: set[str] = set()
        for sid in order[min(position[sid] for sid in moved_stage):]:
            if sid not in dirty:
                continue
            current = kept[sid]
            if sid in moved_stage:
                made = node(changed[sid][1], with_slow)
                made.lf, made.ls, made.free = current.lf, current.ls, current.free
                _forward(made, nodes, origin)
                if made == current:
                    continue
            else:
                made = current.copy()
                _forward(made, nodes, origin)
                if made.ef == current.ef and made.es == current.es and \
                        made.shown == current.shown and made.driven == current.driven:
                    continue
            nodes[sid] = made
            redone.add(sid)
            if made.ef != current.ef or made.buffer != current.buffer or \
                    made.shown != current.shown:
                dirty.update(succ for succ, _ in succs[sid])
        return nodes, redone

    nodes, redone = forward(work.nodes, old.slow_down)
    finish_stages = max((n.ef + n.buffer for n in nodes.values()), default=origin)
    if old.slow_down:
        plain, _ = forward(work.plain, False)
        plain_finish = max((n.ef for n in plain.values()), default=origin)
    else:
        plain, plain_finish = nodes, finish_stages
    try:
        _within_calendar(cal, finish_stages)
    except ScheduleError:
        return None  # (the full schedule says why)

    # The backward pass.
    if finish_stages != work.finish_stages:
        for sid in reversed(order):
            current = nodes[sid]
            values = _backward(current, succs[sid], nodes, finish_stages)
            if values != (current.lf, current.ls, current.free):
                if sid not in redone:
                    current = nodes[sid] = current.copy()
                    redone.add(sid)
                current.lf, current.ls, current.free = values
    else:
        # From the stages redone (their own dates moved) and the stages whose successors
        # changed (relinked), back through what they wait for, as far as a date a
        # predecessor reads (a late start, an early start) changes.
        start = set(redone)
        for sid in relinked:
            start.update(p for p, _ in work.nodes[sid].preds)
            start.update(p for p, _ in nodes[sid].preds)
        last = max((position[sid] for sid in start), default=-1)
        for sid in reversed(order[:last + 1]):
            if sid not in start:
                continue
            current = nodes[sid]
            values = _backward(current, succs[sid], nodes, finish_stages)
            was = work.nodes[sid]
            if values != (current.lf, current.ls, current.free):
                if sid not in redone:
                    current = nodes[sid] = current.copy()
                    redone.add(sid)
                current.lf, current.ls, current.free = values
            if current.ls != was.ls or current.es != was.es:
                start.update(pred for pred, _ in current.preds)
        # (a stage no longer waited for: its old predecessors are in ``start``)

    # The timings, in the plan's order as before (the same ids in the same places): those
    # of the stages redone made again, the others kept (with the plan's stage).
    timings = dict(old.stages)
    moved: list[Stage] = []  # stages whose sessions may have moved
    for sid in redone.union(changed):
        stage = changed[sid][1] if sid in changed else timings[sid].stage
        timing = timings[sid]
        if sid in redone:
            timings[sid] = made = _timing(stage, nodes[sid], cal, origin)
            if sid in changed or made.start != timing.start or made.end != timing.end:
                moved.append(stage)
        elif timing.stage is stage:
            timings[sid] = timing
        else:
            timings[sid] = replace(timing, stage=stage)
            if sid in moved_stage:
                moved.append(stage)

    critical = _critical_path(nodes, order, finish_stages, origin, set())
    project_buffer_days = (_project_buffer_days(plan, nodes, critical, finish_stages, origin)
                           if old.slow_down else 0)
    project_buffer = old.project_buffer
    if (project_buffer_days, finish_stages) != (project_buffer.days if project_buffer else 0,
                                                work.finish_stages):
        project_buffer = None
        if project_buffer_days > 0:
            project_buffer = BufferItem(
                id="project.slow-down", stage=None, days=project_buffer_days,
                start=cal.date_at(finish_stages),
                end=cal.date_at(finish_stages + project_buffer_days - 1),
                title="Project buffer: time held back to protect the end date")
    finish_index = finish_stages + project_buffer_days
    try:
        _within_calendar(cal, finish_index)
    except ScheduleError:
        return None
    finish = cal.date_at(max(finish_index - 1, origin)) if finish_index != work.finish_index \
        else old.finish
    if finish.year > LAST_YEAR:
        return None

    # The slow-down buffers, in the order of dating: those of the stages redone or changed
    # made again, in place when the order and which stages have one stayed the same.
    place: dict[str, int] = {}
    if order == old.order and all((work.nodes[sid].buffer > 0) == (nodes[sid].buffer > 0)
                                  for sid in moved_stage):
        buffers = list(old.buffers)
        place = {b.stage: i for i, b in enumerate(buffers)}  # type: ignore[misc]
        again: Iterable[str] = redone.union(changed)
    else:
        buffers = []
        again = order
    for sid in again:
        n = nodes[sid]
        if n.buffer <= 0:
            continue
        item = BufferItem(id=f"{sid}.slow-down", stage=sid, days=n.buffer,
                          start=cal.date_at(n.ef), end=cal.date_at(n.ef + n.buffer - 1),
                          title=f"Slowing down after: {plan.stage(sid).title}")  # type: ignore[union-attr]
        if sid in place:
            buffers[place[sid]] = item
        else:
            buffers.append(item)

    reflection = plan.project.reflection
    checkpoints = list(old.checkpoints)
    if old.slow_down and reflection.enabled:
        # The phases' ends: the stages redone or changed, in a phase before or after
        # (a phase's checkpoints follow the order of the phases' first stages too).
        phased = reflection.after_each_phase and (order != old.order or any(
            (changed[sid][0].phase if sid in changed else None)
            or plan.stage(sid).phase for sid in redone | moved_stage))  # type: ignore[union-attr]
        if phased or finish_index != work.finish_index:
            checkpoints = _checkpoints(plan, nodes, order, cal, origin,
                                       max(finish_index - 1, origin), {})

    sessions = old.sessions
    if changed:
        swap: dict[int, tuple[Touchpoint, Stage]] = {
            id(bt): (at_, a) for sid, (b, a) in changed.items() if sid not in moved_stage
            for bt, at_ in zip(b.touchpoints, a.touchpoints, strict=True)}
        sessions = [s if (found_ := swap.get(id(s.touchpoint))) is None
                    else replace(s, touchpoint=found_[0], stage=found_[1]) for s in sessions]
    if moved:
        gone = {s.id for s in moved}
        sessions = [s for s in sessions if s.stage.id not in gone]
        redated = _sessions(plan, timings, cal, moved)
        if len(redated) <= 64:  # each put in its place
            for session in redated:
                key = _SESSION_ORDER(session)
                spot = bisect.bisect_left(sessions, key, key=_SESSION_ORDER)
                if spot < len(sessions) and _SESSION_ORDER(sessions[spot]) == key:
                    return None  # (the same day, time and id: placed by the stages' order)
                sessions.insert(spot, session)
        else:
            sessions += redated
            sessions.sort(key=_SESSION_ORDER)
            if len({s.id for s in sessions}) != len(sessions):
                return None  # (as above; two sessions with the same id, to be sure)
    else:
        sessions = list(sessions)

    if finish != old.finish:
        meetings = [_meeting_series(m, plan.project.start, finish, cal) for m in plan.meetings]
    else:
        meetings = [m if m.meeting is n else replace(m, meeting=n)
                    for m, n in zip(old.meetings, plan.meetings, strict=True)]
    missed = [
        MissedDeadline(s.id, s.deadline, timings[s.id].end,
                       cal.between(s.deadline, timings[s.id].end) if cal.is_working(s.deadline)
                       else cal.between(cal.on_or_before(s.deadline), timings[s.id].end))
        for s in plan.stages if s.deadline and timings[s.id].end > s.deadline
    ]
    return Schedule(
        plan=plan, calendar=cal, slow_down=old.slow_down, start=old.start,
        stages=timings, order=order, buffers=buffers, project_buffer=project_buffer,
        checkpoints=checkpoints, sessions=sessions, meetings=meetings, finish=finish,
        finish_without_slow_down=cal.date_at(max(plain_finish - 1, origin)),
        critical_path=critical, missed=missed,
        added_days=max(0, finish_index - plain_finish), gates=[], as_of=today,
        work=_Work(nodes, plain, origin, now, finish_stages, plain_finish, finish_index,
                   succs, (order, position)),
    )
