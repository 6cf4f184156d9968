"""Properties every schedule must have, on random plans (hypothesis)."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.planfile import parse_plan
from coplan.schedule import Schedule, schedule
from plangen import random_plan

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

plans = st.builds(
    lambda seed, n, weekdays: parse_plan(random_plan(seed, n, weekdays=weekdays,
                                                     not_before_share=0.2)),
    st.integers(0, 10**9), st.integers(1, 60),
    st.sampled_from([None, ["mon", "tue", "wed", "thu", "fri"], ["tue", "thu"],
                     ["sat", "sun"]]),
)


def _ready(sched: Schedule, stage_id: str) -> int:
    """The first day index a stage may start, from its predecessors, buffers and lags."""
    cal = sched.calendar
    stage = sched.stages[stage_id].stage
    ready = cal.index(sched.plan.project.start)
    if stage.not_before:
        ready = max(ready, cal.index(stage.not_before))
    for dep in stage.after:
        pred = sched.stages[dep.stage]
        ready = max(ready, pred.ef + pred.buffer_days + dep.lag_days)
    return ready


@settings(max_examples=80, deadline=None)
@given(plans, st.booleans())
def test_stages_start_after_predecessors_buffers_and_lags(plan, slow) -> None:
    sched = schedule(plan, slow_down=slow)
    cal = sched.calendar
    for sid, t in sched.stages.items():
        assert t.es == _ready(sched, sid)
        for dep in t.stage.after:
            pred = sched.stages[dep.stage]
            if not t.stage.milestone and not pred.stage.milestone:
                gap = cal.between(pred.end, t.start) - 1
                assert gap >= pred.buffer_days + dep.lag_days
            assert t.start >= pred.end or (pred.stage.milestone or t.stage.milestone)


@settings(max_examples=80, deadline=None)
@given(plans, st.booleans())
def test_every_date_is_a_working_day(plan, slow) -> None:
    sched = schedule(plan, slow_down=slow)
    cal = sched.calendar
    for t in sched.stages.values():
        for day in (t.start, t.end, t.late_start, t.late_finish):
            assert cal.is_working(day), (t.id, day)
    for b in sched.buffers:
        assert cal.is_working(b.start) and cal.is_working(b.end)
        assert cal.between(b.start, b.end) + 1 == b.days
    for c in sched.checkpoints:
        assert cal.is_working(c.day)
    assert cal.is_working(sched.finish)


@settings(max_examples=80, deadline=None)
@given(plans, st.booleans())
def test_floats_are_never_negative_and_zero_on_the_critical_path(plan, slow) -> None:
    sched = schedule(plan, slow_down=slow)
    for t in sched.stages.values():
        assert t.total_float >= 0
        assert t.free_float >= 0
        assert t.free_float <= t.total_float
        assert t.critical == (t.total_float == 0)
    assert sched.critical_path, "a plan with stages has a critical path"
    for sid in sched.critical_path:
        assert sched.stages[sid].total_float == 0
    # The critical path runs back to back: each stage is driven by the one before it.
    for before, after in zip(sched.critical_path, sched.critical_path[1:], strict=False):
        b, a = sched.stages[before], sched.stages[after]
        lag = next(d.lag_days for d in a.stage.after if d.stage == before)
        assert a.es == b.ef + b.buffer_days + lag


@settings(max_examples=80, deadline=None)
@given(plans)
def test_slowing_down_never_makes_anything_earlier(plan) -> None:
    plain = schedule(plan, slow_down=False)
    slow = schedule(plan, slow_down=True)
    for sid in plain.stages:
        assert slow.stages[sid].start >= plain.stages[sid].start
        assert slow.stages[sid].end >= plain.stages[sid].end
    assert slow.finish >= plain.finish
    assert slow.finish_without_slow_down == plain.finish
    if any(t.stage.duration_days for t in plain.stages.values()):
        # (a plan of milestones only has no length to add to; its finish is its start)
        assert slow.added_days == slow.calendar.between(plain.finish, slow.finish)


def _without_buffers(text: str) -> str:
    """A generated plan with no ``[project.slow_down]`` buffers: its last phase then ends
    on the finish day."""
    head, found, rest = text.partition("[project.slow_down]\n")
    return head + rest.split("\n\n", 1)[1] if found else text


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 60), st.booleans())
def test_checkpoints_are_never_more_than_every_apart(seed, n, buffers) -> None:
    text = random_plan(seed, n, not_before_share=0.2)
    plan = parse_plan(text if buffers else _without_buffers(text))
    sched = schedule(plan, slow_down=True)
    cal = sched.calendar
    every = plan.project.reflection.every_days
    marks = [cal.index(sched.start)] + [cal.index(c.day) for c in sched.checkpoints] \
        + [cal.index(sched.finish)]
    assert marks == sorted(marks)
    for a, b in itertools.pairwise(marks):
        assert b - a <= every
    # one after each phase
    phases = {t.stage.phase for t in sched.stages.values() if t.stage.phase}
    covered = [p for c in sched.checkpoints for p in c.phases]
    assert sorted(covered) == sorted(phases), "each phase's end is marked once"
    ids = [c.id for c in sched.checkpoints]
    assert len(ids) == len(set(ids)), "two checkpoints share an id (and a calendar UID)"


def test_a_phase_ending_on_the_finish_is_one_checkpoint() -> None:
    """With nothing after the last stage (no slowing down, no project buffer), the last
    phase ends on the finish day: that day is one checkpoint, not two with one id."""
    plan = parse_plan("""
[project]
title = "One stage"
start = 2027-01-11

[[stage]]
id = "aims"
title = "Aims"
phase = "design"
duration = "3w"
""")
    sched = schedule(plan)
    assert [(c.id, c.day) for c in sched.checkpoints] == [("reflect.design", date(2027, 1, 29))]


def test_milestone_conventions() -> None:
    plan = parse_plan("""
[project]
title = "Milestones"
start = 2027-01-09   # a Saturday: work starts on Monday the 11th

[[stage]]
id = "start"
title = "Kick-off"
duration = "0d"

[[stage]]
id = "write"
title = "Write"
duration = "1w"
after = ["start"]

[[stage]]
id = "done"
title = "Written"
duration = "0d"
after = ["write"]

[[stage]]
id = "next"
title = "Next"
duration = "2d"
after = [{ stage = "done", lag = "1d" }]
""")
    sched = schedule(plan, slow_down=False)
    t = sched.stages
    assert t["start"].start == t["start"].end == date(2027, 1, 11)
    assert (t["write"].start, t["write"].end) == (date(2027, 1, 11), date(2027, 1, 15))
    # reached at the end of the day the writing finishes
    assert t["done"].start == date(2027, 1, 15)
    # one working day's lag after Friday's milestone: Monday is skipped, work starts Tuesday
    assert (t["next"].start, t["next"].end) == (date(2027, 1, 19), date(2027, 1, 20))
    assert sched.finish == date(2027, 1, 20)


def test_missed_deadlines_are_reported_not_moved() -> None:
    plan = parse_plan("""
[project]
title = "Late"
start = 2027-03-01

[[stage]]
id = "a"
title = "A"
duration = "2w"
deadline = 2027-03-05
""")
    sched = schedule(plan)
    assert sched.stages["a"].end == date(2027, 3, 12)
    [missed] = sched.missed
    assert (missed.stage, missed.deadline, missed.end, missed.days_late) == \
        ("a", date(2027, 3, 5), date(2027, 3, 12), 5)


def test_slow_down_buffers_and_rss_project_buffer() -> None:
    plan = parse_plan("""
[project]
title = "Buffers"
start = 2027-03-01

[project.slow_down]
stage_buffer = "50%"
project_buffer = "rss"

[[person]]
id = "sam"
kind = "lived-experience"

[[stage]]
id = "a"
title = "A"
duration = "6d"
  [[stage.touchpoint]]
  who = ["sam"]

[[stage]]
id = "b"
title = "B"
duration = "8d"
after = ["a"]
slow_down = "2d"
  [[stage.touchpoint]]
  who = ["sam"]

[[stage]]
id = "c"
title = "C (no lived experience: no buffer)"
duration = "3d"
after = ["b"]
""")
    sched = schedule(plan)
    assert [b.days for b in sched.buffers] == [3, 2]
    # rss of the buffers on the critical chain: sqrt(3^2 + 2^2) = 3.6 -> 4 working days
    assert sched.project_buffer is not None and sched.project_buffer.days == 4
    assert sched.added_days == 3 + 2 + 4
    assert sched.finish_without_slow_down == date(2027, 3, 23)  # 17 working days
    assert sched.calendar.between(sched.finish_without_slow_down, sched.finish) == 9


def test_blocking_checkpoints_hold_the_next_phase() -> None:
    text = """
[project]
title = "Blocking"
start = 2027-03-01

[project.reflection]
blocks = {blocks}

[[stage]]
id = "a"
title = "A"
phase = "design"
duration = "1w"

[[stage]]
id = "b"
title = "B"
phase = "collect"
duration = "1w"
after = ["a"]
"""
    free = schedule(parse_plan(text.replace("{blocks}", "false")))
    held = schedule(parse_plan(text.replace("{blocks}", "true")))
    assert free.stages["b"].start == date(2027, 3, 8)
    assert held.stages["b"].start == date(2027, 3, 9)
    design = [c for c in held.checkpoints if c.phases == ("design",)]
    assert design and design[0].day == date(2027, 3, 8) and design[0].blocks


def test_sessions_and_meetings_get_dates() -> None:
    plan = parse_plan("""
[project]
title = "Sessions"
start = 2027-03-01
holidays = "GB-ENG"

[[person]]
id = "sam"
kind = "lived-experience"

[[stage]]
id = "a"
title = "A"
duration = "3w"
  [[stage.touchpoint]]
  who = ["sam"]
  when = ["start", "+1w", "end", "-2d", 2027-03-20]
  time = "11:30"

[[meeting]]
title = "Steering group"
every = "2w"
day = "mon"
from = 2027-03-15
until = 2027-04-30
""")
    sched = schedule(plan, slow_down=False)
    days = [s.day for s in sched.sessions]
    assert days == [date(2027, 3, 1), date(2027, 3, 8), date(2027, 3, 17),
                    date(2027, 3, 19), date(2027, 3, 20)]
    assert {s.time.isoformat() for s in sched.sessions} == {"11:30:00"}
    [series] = sched.meetings
    # Easter Monday 2027 is 29 March: skipped, not silently moved
    assert series.dates == (date(2027, 3, 15), date(2027, 4, 12), date(2027, 4, 26))
    assert series.skipped == ((date(2027, 3, 29), "Easter Monday"),)


def test_a_milestone_after_a_milestone_shares_its_day() -> None:
    """A milestone waiting for another milestone is reached at the same moment, even when
    the first one waited for a date that falls on a non-working day (found by comparing
    with TaskJuggler on random plans)."""
    plan = parse_plan("""
[project]
title = "Milestones in a row"
start = 2026-11-02
working_days = ["sat", "sun", "mon"]

[[stage]]
id = "gate"
title = "Gate"
duration = "0d"
not_before = 2026-11-13   # a Friday: not a working day here

[[stage]]
id = "next"
title = "Straight after the gate"
duration = "0d"
after = ["gate"]
""")
    sched = schedule(plan, slow_down=False)
    assert sched.stages["gate"].start == date(2026, 11, 14)  # the Saturday after
    assert sched.stages["next"].start == date(2026, 11, 14)


def _blocking_by_trial(stages: list[tuple[str, str]], preds: dict[str, list[str]]
                       ) -> tuple[list[str], dict[str, str]]:
    """Reflection checkpoints that hold the next phase up, found the plain way: try each
    on a copy of the graph and keep it when the copy has no loop (what the scheduler
    did before it learnt to ask whether a later stage reaches the phase instead)."""
    from coplan.graph import followers, topological
    from coplan.schedule import _gate_node

    graph = {node: list(befores) for node, befores in preds.items()}
    next_of = followers(preds)
    phase_of = dict(stages)
    blocking: dict[str, str] = {}
    for phase in dict.fromkeys(p for p in phase_of.values() if p):
        cid = _gate_node(phase)
        members = [s for s, p in phase_of.items() if p == phase]
        later = sorted({v for u in members for v in next_of.get(u, ())
                        if phase_of.get(v) and phase_of[v] != phase})
        if not later:
            continue
        trial = {node: list(befores) for node, befores in graph.items()}
        trial[cid] = list(members)
        for f in later:
            trial[f].append(cid)
        if topological(list(trial), trial) is None:
            continue
        graph = trial
        blocking[cid] = phase
    position = {sid: i for i, sid in enumerate(preds)}
    order = topological(list(graph), graph, key=lambda n: (position.get(n, len(position)), n))
    assert order is not None
    return order, blocking


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 14).flatmap(lambda n: st.tuples(
    st.lists(st.sampled_from(["", "design", "collect", "analyse"]), min_size=n, max_size=n),
    st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))))
def test_blocking_checkpoints_are_those_that_close_no_loop(case: tuple[list[str], list[
        tuple[int, int]]]) -> None:
    from types import SimpleNamespace

    from coplan.schedule import _add_blocking_checkpoints, _Node

    phases, links = case
    ids = [f"s{i}" for i in range(len(phases))]
    # Links only go forwards, so the stages never wait in a loop; phases interleave freely.
    preds = {sid: sorted({ids[a] for a, b in links if b == i and a < b})
             for i, sid in enumerate(ids)}
    plan = SimpleNamespace(stages=[SimpleNamespace(id=sid, phase=p)
                                   for sid, p in zip(ids, phases, strict=True)])
    nodes = {sid: _Node(id=sid, duration=1, buffer=0, floor=0,
                        preds=[(p, 0) for p in preds[sid]], milestone=False) for sid in ids}
    order, blocking, holds = _add_blocking_checkpoints(plan, nodes, ids, preds)  # type: ignore[arg-type]
    assert (order, blocking) == _blocking_by_trial(list(zip(ids, phases, strict=True)), preds)
    assert set(holds) == set(blocking)
    for cid in blocking:
        assert nodes[cid].preds  # each checkpoint waits for its phase


def test_a_milestone_marked_started_is_dated_when_it_started() -> None:
    """A milestone after another stage that the delivery record says started on a day of
    its own is on that day (scheduling it used to fail when no stage before it ended then:
    found by the app's random edits)."""
    plan = parse_plan("""
[project]
title = "A milestone with a record"
start = 2027-01-04

[[stage]]
id = "work"
title = "Work"
duration = "1w"

[[stage]]
id = "done"
title = "Done"
duration = "0d"
after = ["work"]
started = 2027-02-01
""")
    sched = schedule(plan, slow_down=False, today=date(2027, 3, 1))
    assert sched.stages["done"].start == date(2027, 2, 1)
    assert sched.stages["done"].end == date(2027, 2, 1)


@settings(max_examples=60, deadline=None)
@given(st.one_of(plans, st.sampled_from(["minds-discharge", "teaching-workshop"]).map(
    lambda name: parse_plan((EXAMPLES / f"{name}.toml").read_text(encoding="utf-8")))),
    st.sampled_from([None, date(2027, 3, 1), date(2027, 9, 15), date(2028, 6, 1)]))
def test_a_node_with_its_buffer_is_the_node_made_with_slow_down(plan, today) -> None:
    """``schedule`` makes each stage's node once and gives it its buffer
    (``_with_buffer``): the very node ``_node_of`` makes with slow-down, delivery record
    and all, with links of its own."""
    from coplan.schedule import _node_of, _with_buffer, keeps_record
    from coplan.workcal import WorkCalendar

    cal = WorkCalendar.for_project(plan.project)
    origin = cal.index(plan.project.start)
    now = cal.index(today) if today is not None and keeps_record(plan) else None
    known = {s.id for s in plan.stages}
    for stage in plan.stages:
        plain = _node_of(plan, stage, cal, origin, now, False, known)
        made = _with_buffer(plain, plan, stage)
        assert made == _node_of(plan, stage, cal, origin, now, True, known)
        assert made.preds is not plain.preds
