"""An edit that changes stages in place (a length, a link, a lag, a date a stage may not
start before...) is dated without dating the whole plan again (``schedule.schedule_changed``,
which the app uses after such an edit): its schedule must be exactly what scheduling the
plan afresh gives, whatever the plan, the edit and the settings (hypothesis), and it must
be used, not always given up."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.edit import EditError, PlanDocument
from coplan.errors import PlanError
from coplan.export.scheduledata import to_csv, to_json
from coplan.planfile import parse_plan
from coplan.schedule import Schedule, ScheduleError, schedule, schedule_changed
from plangen import random_plan
from test_schedule_added import TODAY, _fields, _settings

LENGTHS = ["0d", "1d", "3d", "4w", "2w", "10d", "0w", "6w", "40w"]


def _edit(text: str, rng: random.Random) -> str:
    """``text`` with one to three stages changed in a way that may move dates."""
    document = PlanDocument(text)
    ids = document.stage_ids()
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        sid = rng.choice(ids)
        kind = rng.random()
        try:
            if kind < 0.45:  # a length, to or from zero, in days or weeks
                document.set_stage(sid, "duration", rng.choice(LENGTHS))
            elif kind < 0.6:  # a link more, now and then with a lag
                on = rng.choice(ids)
                lag = rng.choice([None, None, "2d", "1w"])
                document.add_dependency(sid, on, lag)
            elif kind < 0.7:  # a link less
                after = document.stage(sid).get("after")
                if after:
                    first = after if isinstance(after, str) else after[0]
                    on = first if isinstance(first, str) else first["stage"]
                    document.remove_dependency(sid, str(on))
            elif kind < 0.77:
                document.set_stage(sid, "not_before",
                                   TODAY + timedelta(days=rng.randrange(-400, 300)))
            elif kind < 0.83:
                document.set_stage(sid, "deadline",
                                   TODAY + timedelta(days=rng.randrange(-300, 300)))
            elif kind < 0.88:
                document.set_stage(sid, "slow_down", rng.choice(["0d", "2d", "50%"]))
            elif kind < 0.92:
                document.set_stage(sid, "phase", rng.choice(["design", "analyse", "share"]))
            elif kind < 0.96:
                document.set_stage(sid, "title", "A new title")  # (moves nothing)
            else:
                document.set_stage(sid, "started",
                                   TODAY - timedelta(days=rng.randrange(1, 30)))
        except EditError:  # (a link that would close a loop)
            continue
    return document.text()


def _check(seed: int, stages: int, edits: int) -> tuple[int, int]:
    """Edit a random plan again and again, each schedule made from the one before it where
    that can be done; the times it was, and the times it was tried."""
    rng = random.Random(seed)
    text = _settings(random_plan(seed, stages, max_duration=rng.choice([3, 10, 30])), rng)
    if rng.random() < 0.5:  # a standing meeting, held until the plan's finish
        text += ('\n[[meeting]]\nid = "team"\ntitle = "Team meeting"\nevery = "2w"\n'
                 'day = "wed"\nwho = ["le1", "r1"]\n')
    plan = parse_plan(text, with_lines=False)
    try:
        sched: Schedule | None = schedule(plan, today=TODAY)
    except ScheduleError:
        return 0, 0
    used = tried = 0
    for _ in range(edits):
        edited = _edit(text, rng)
        try:
            plan = parse_plan(edited, with_lines=False)
        except PlanError:
            continue
        text = edited
        try:
            fresh = schedule(plan, today=TODAY)
        except ScheduleError:
            assert sched is None or schedule_changed(sched, plan, today=TODAY) is None
            sched = None
            continue
        made = None if sched is None else schedule_changed(sched, plan, today=TODAY)
        tried += sched is not None
        if made is not None:
            used += 1
            _same(made, fresh)
            assert made.plan is plan
            assert all(t.stage is plan.stage(sid) for sid, t in made.stages.items())
            assert all(s.stage is plan.stage(s.stage.id) for s in made.sessions)
            sched = made
        else:
            sched = fresh
    return used, tried


def _same(made: Schedule, fresh: Schedule) -> None:
    got: dict[str, Any] = _fields(made)
    want: dict[str, Any] = _fields(fresh)
    for name in want:
        assert got[name] == want[name], name
    assert to_json(made, TODAY) == to_json(fresh, TODAY)
    assert to_csv(made, TODAY) == to_csv(fresh, TODAY)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 40), st.integers(1, 8))
def test_a_changed_stage_is_dated_as_a_fresh_schedule_dates_it(seed: int, stages: int,
                                                               edits: int) -> None:
    _check(seed, stages, edits)


def test_the_schedule_after_a_change_is_worked_out_from_the_last_one() -> None:
    """Most changes are dated from the schedule before them (so the comparison above is
    made), and some are not (blocking checkpoints, a title alone...)."""
    used = tried = 0
    for seed in range(40):
        u, t = _check(seed, 30, 6)
        used, tried = used + u, tried + t
    assert tried > 150
    assert 0.5 * tried < used < tried


def _lengthened(text: str, sid: str, length: str) -> str:
    document = PlanDocument(text)
    document.set_stage(sid, "duration", length)
    return document.text()


def test_a_length_written_in_weeks_or_days_or_zero_is_dated_alike() -> None:
    """The same length spelled "3d", "4w" or "0d" (a stage become a milestone, and back)."""
    text = random_plan(5, 60, max_duration=10)
    sched = schedule(parse_plan(text, with_lines=False), today=TODAY)
    for sid, length in [("s10", "4w"), ("s10", "3d"), ("s30", "0d"), ("s30", "2w"),
                        ("s0", "0w"), ("s59", "40w"), ("s59", "1d")]:
        text = _lengthened(text, sid, length)
        plan = parse_plan(text, with_lines=False)
        made = schedule_changed(sched, plan, today=TODAY)
        assert made is not None, (sid, length)
        _same(made, schedule(plan, today=TODAY))
        sched = made


def test_a_wrong_forward_pass_would_be_found() -> None:
    """The comparison sees the kept passes: a schedule whose forward pass left out a stage
    that waits for the one lengthened differs from the fresh one."""
    text = random_plan(11, 20, max_duration=3)
    sched = schedule(parse_plan(text, with_lines=False), today=TODAY)
    longer = parse_plan(_lengthened(text, "s3", "6w"), with_lines=False)
    made = schedule_changed(sched, longer, today=TODAY)
    assert made is not None and made.work is not None
    fresh = schedule(longer, today=TODAY)
    _same(made, fresh)
    moved = [sid for sid, t in made.stages.items() if t.es != sched.stages[sid].es]
    assert len(moved) > 1
    made.work.nodes[moved[-1]].es -= 1  # as if the pass had stopped short
    assert _fields(made) != _fields(fresh)


MILESTONES = """
[project]
title = "Milestones"
start = 2027-01-04

[[person]]
id = "r1"
kind = "researcher"

[[stage]]
id = "a"
title = "A"
duration = "5d"

[[stage]]
id = "b"
title = "B"
duration = "0d"
not_before = 2027-01-11

[[stage]]
id = "m0"
title = "M0"
duration = "0d"
after = ["a", "b"]

[[stage]]
id = "m1"
title = "M1"
duration = "0d"
after = ["m0"]
"""


def test_a_milestone_shown_on_another_day_moves_the_milestones_after_it() -> None:
    """A milestone is shown on the day of what it waited for: when that changes, and not
    the day it is reached, the milestones that wait for it are shown on another day too."""
    sched = schedule(parse_plan(MILESTONES, with_lines=False), today=TODAY)
    for text in (MILESTONES.replace("not_before = 2027-01-11", "not_before = 2027-01-05"),
                 MILESTONES):
        plan = parse_plan(text, with_lines=False)
        made = schedule_changed(sched, plan, today=TODAY)
        fresh = schedule(plan, today=TODAY)
        assert made is not None
        assert made.stages["m1"].start != sched.stages["m1"].start
        _same(made, fresh)
        sched = made


TIES = """
[project]
title = "Ties"
start = 2027-01-04

[[person]]
id = "r1"
kind = "researcher"

[[stage]]
id = "a"
title = "A"
duration = "5d"

[[stage.touchpoint]]
id = "x"
title = "Talk"
format = "workshop"
who = ["r1"]
when = ["start", "end"]

[[stage]]
id = "b"
title = "B"
duration = "3d"

[[stage.touchpoint]]
id = "x.2"
title = "Talk"
format = "workshop"
who = ["r1"]
when = "end"
"""


def test_two_sessions_on_the_same_day_time_and_id_are_in_the_order_of_their_stages() -> None:
    """Sessions alike in day, time and id ("x.2": the second date of "x", and a
    touchpoint of that id) follow their stages' order in the file: a stage whose session
    comes to share them, whether it is the one above or below, is not put in its place
    without that order (each schedule is the fresh one, or scheduled afresh)."""
    sched = schedule(parse_plan(TIES, with_lines=False), today=TODAY)
    for a, b in [("5d", "5d"), ("5d", "2d"), ("3d", "5d"), ("5d", "5d"), ("4d", "5d"),
                 ("5d", "5d"), ("5d", "1w")]:
        plan = parse_plan(_lengthened(_lengthened(TIES, "a", a), "b", b), with_lines=False)
        made = schedule_changed(sched, plan, today=TODAY)
        fresh = schedule(plan, today=TODAY)
        if made is not None:
            _same(made, fresh)
        sched = fresh
