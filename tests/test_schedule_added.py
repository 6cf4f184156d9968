"""A stage added to a plan is dated without dating the whole plan again
(``schedule.schedule_added``, which the app uses after an edit that adds a stage): its
schedule must be exactly what scheduling the plan afresh gives, whatever the plan, the
stage added and the settings (hypothesis), and it must be used, not always given up."""

from __future__ import annotations

import random
import re
from dataclasses import fields
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.edit import PlanDocument
from coplan.errors import PlanError
from coplan.export.scheduledata import to_csv, to_json
from coplan.planfile import parse_plan
from coplan.schedule import Schedule, ScheduleError, schedule, schedule_added
from plangen import random_plan

TODAY = date(2027, 3, 1)


def _fields(sched: Schedule) -> dict[str, Any]:
    """Every field (the kept passes too: ``work``), the calendar by what it holds."""
    out = {f.name: getattr(sched, f.name) for f in fields(sched) if f.name != "calendar"}
    cal = sched.calendar
    out["calendar"] = (cal.working_days, cal.region, [cal.date_at(n) for n in range(0, 900, 9)])
    return out


def _settings(text: str, rng: random.Random) -> str:
    """The generated plan with its slow-down and reflection settings varied, and now and
    then a delivery record (what actually happened, as of ``TODAY``)."""
    slow = rng.choice(["", "enabled = false\n"])
    reflect = rng.choice(["", "after_each_phase = false\n", "enabled = false\n",
                          "blocks = true\n"])
    text = text.replace("[project.slow_down]\n", "[project.slow_down]\n" + slow, 1)
    if rng.random() < 0.3:
        text = re.sub(r'stage_buffer = "[^"]*"', 'stage_buffer = "3d"', text, count=1)
    text = text.replace("[project.reflection]\n", "[project.reflection]\n" + reflect, 1)
    if rng.random() < 0.4:
        document = PlanDocument(text)
        for sid in document.stage_ids()[: rng.randrange(1, 6)]:
            if rng.random() < 0.5:
                document.set_stage(sid, "started", TODAY - timedelta(days=rng.randrange(5, 90)))
            if rng.random() < 0.3:
                document.set_stage(sid, "finished", TODAY - timedelta(days=rng.randrange(1, 4)))
        text = document.text()
    return text


def _add(text: str, rng: random.Random, n: int) -> str:
    """``text`` with one stage more, of any kind, waiting for stages chosen at random (or
    none), written where the editor writes it."""
    document = PlanDocument(text)
    ids = document.stage_ids()
    after: list[str] = []
    if ids and rng.random() < 0.9:
        after = rng.sample(ids, min(len(ids), rng.randrange(1, 4)))
    extra: dict[str, Any] = {}
    if after and rng.random() < 0.2:
        extra["after"] = [after[0], {"stage": after[-1], "lag": f"{rng.randrange(1, 4)}d"}] \
            if len(after) > 1 else [{"stage": after[0], "lag": "2d"}]
    if rng.random() < 0.2:
        extra["not_before"] = TODAY + timedelta(days=rng.randrange(-400, 300))
    if rng.random() < 0.2:
        extra["deadline"] = TODAY + timedelta(days=rng.randrange(-300, 300))
    if rng.random() < 0.1:
        extra["started"] = TODAY - timedelta(days=rng.randrange(1, 30))
        if rng.random() < 0.5:
            extra["finished"] = TODAY - timedelta(days=rng.randrange(0, 1))
    if rng.random() < 0.1:
        extra["slow_down"] = rng.choice(["0d", "2d", "50%"])
    duration = rng.choice(["0d", "1d", "3d", "2w", "6w", "40w"])
    phase = rng.choice([None, "design", "analyse", "governance"])  # (governance: new)
    document.add_stage(f"added-{n}", f"Added {n}", duration, phase=phase,
                               after=after, extra=extra)
    if rng.random() < 0.5:
        when = rng.choice(["start", "end", "+1d", "-2d", [TODAY + timedelta(days=30)]])
        who = rng.choice([["le1"], ["r1"], ["le1", "r1"]])
        touchpoint = {"title": "Talk it over", "format": "workshop", "who": who, "when": when}
        if rng.random() < 0.3:
            touchpoint["time"] = "14:00"
        index = document.stage_ids().index(f"added-{n}")
        document.add_item(("stage", "touchpoint"), (index, None), touchpoint)
    return document.text()


def _check(seed: int, stages: int, additions: int) -> tuple[int, int]:
    """Add stages one after another to a random plan, each dated from the schedule before
    it where that can be done; the times it was, and the times it was tried."""
    rng = random.Random(seed)
    text = _settings(random_plan(seed, stages, max_duration=rng.choice([3, 10, 30])), rng)
    plan = parse_plan(text, with_lines=False)
    try:
        sched: Schedule | None = schedule(plan, today=TODAY)
    except ScheduleError:
        return 0, 0
    used = tried = 0
    for n in range(additions):
        added = _add(text, rng, n)
        try:
            plan = parse_plan(added, with_lines=False)
        except PlanError:  # an addition the loader refuses (a session before the start...)
            continue
        text = added
        try:
            fresh = schedule(plan, today=TODAY)
        except ScheduleError:
            assert sched is None or schedule_added(sched, plan, today=TODAY) is None
            sched = None
            continue
        made = None if sched is None else schedule_added(sched, plan, today=TODAY)
        tried += sched is not None
        if made is not None:
            used += 1
            assert _fields(made) == _fields(fresh)
            assert made.plan is plan
            assert all(t.stage is plan.stage(sid) for sid, t in made.stages.items())
            assert to_json(made, TODAY) == to_json(fresh, TODAY)
            assert to_csv(made, TODAY) == to_csv(fresh, TODAY)
            sched = made
        else:
            sched = fresh
    return used, tried


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 40), st.integers(1, 6))
def test_a_stage_added_is_dated_as_a_fresh_schedule_dates_it(seed: int, stages: int,
                                                            additions: int) -> None:
    _check(seed, stages, additions)


def test_the_schedule_of_an_added_stage_is_worked_out_from_the_last_one() -> None:
    """Most additions are dated from the schedule before them (so the comparison above
    is made), and some are not (the finish moves, blocking checkpoints...)."""
    used = tried = 0
    for seed in range(40):
        u, t = _check(seed, 30, 5)
        used, tried = used + u, tried + t
    assert tried > 150
    assert 0.4 * tried < used < tried


def test_a_wrong_late_date_would_be_found() -> None:
    """The comparison sees the kept passes: a schedule whose backward pass stopped one
    stage short differs from the fresh one."""
    text = random_plan(11, 20, max_duration=3)
    plan = parse_plan(text, with_lines=False)
    sched = schedule(plan, today=TODAY)
    document = PlanDocument(text)
    first = document.stage_ids()[0]
    document.add_stage("late", "Late", "60w", after=[first])
    longer = parse_plan(document.text(), with_lines=False)
    fresh = schedule(longer, today=TODAY)
    made = schedule_added(sched, longer, today=TODAY)
    assert made is None or _fields(made) == _fields(fresh)
    document = PlanDocument(text)
    document.add_stage("short", "Short", "1d", after=[first])
    shorter = parse_plan(document.text(), with_lines=False)
    made = schedule_added(sched, shorter, today=TODAY)
    assert made is not None and made.work is not None
    assert _fields(made) == _fields(schedule(shorter, today=TODAY))
    node = made.work.nodes[first]
    node.ls -= 1  # as if the pass had gone wrong
    assert _fields(made) != _fields(schedule(shorter, today=TODAY))
