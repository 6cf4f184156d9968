"""coplan's schedule agrees with TaskJuggler 3 (tj3) on the same plan.

tj3 reports a dependent task's start as the moment its predecessor ends (17:00 on the last
working day); such starts are rolled forward to the next working day before comparing.
"""

from __future__ import annotations

import csv
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import need
from coplan.export.tjp import task_ids, to_tjp
from coplan.planfile import parse_plan
from coplan.schedule import Schedule, schedule
from plangen import random_plan

pytestmark = pytest.mark.external


@pytest.fixture(autouse=True)
def _tj3() -> None:
    need("tj3")


def run_tj3(sched: Schedule, folder: Path) -> dict[str, tuple[datetime, datetime]]:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "plan.tjp"
    source.write_text(to_tjp(sched), encoding="utf-8")
    result = subprocess.run(["tj3", "--no-color", "--silent", "-o", str(folder), str(source)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {}
    with (folder / "coplan-dates.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            rows[row["Id"]] = (datetime.strptime(row["Start"], "%Y-%m-%d %H:%M"),
                               datetime.strptime(row["End"], "%Y-%m-%d %H:%M"))
    return rows


def roll(sched: Schedule, moment: datetime, *, milestone: bool) -> date:
    """A tj3 moment as the working day coplan means by it."""
    cal = sched.calendar
    if moment.hour >= 17:
        return moment.date() if milestone else cal.add(moment.date(), 1)
    return cal.on_or_after(moment.date())


def compare(sched: Schedule, folder: Path) -> None:
    dates = run_tj3(sched, folder)
    ids = task_ids(sched)
    mismatches = []
    for sid, timing in sched.stages.items():
        start, end = dates[ids[sid]]
        milestone = timing.stage.milestone
        tj_start = roll(sched, start, milestone=milestone)
        tj_end = tj_start if milestone else end.date()
        if (tj_start, tj_end) != (timing.start, timing.end):
            mismatches.append(f"{sid}: coplan {timing.start}..{timing.end}, "
                              f"tj3 {start}..{end} -> {tj_start}..{tj_end}")
    assert not mismatches, "\n".join(mismatches[:20])
    if sched.project_buffer:
        _, end = dates[next(v for k, v in _ids(sched).items() if k == "project~buffer")]
        assert end.date() == sched.finish


def _ids(sched: Schedule) -> dict[str, str]:
    from coplan.export.tjp import _assign

    return _assign(sched).used


@pytest.mark.parametrize("seed,stages", [(1, 150), (2, 250), (3, 300), (4, 120), (5, 200)])
def test_plain_schedule_matches_tj3(tmp_path: Path, seed: int, stages: int) -> None:
    plan = parse_plan(random_plan(seed, stages))
    compare(schedule(plan, slow_down=False), tmp_path)


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_schedule_with_slow_down_matches_tj3(tmp_path: Path, seed: int) -> None:
    text = random_plan(seed, 150).replace("[project.reflection]",
                                          "[project.reflection]\nblocks = false")
    plan = parse_plan(text)
    sched = schedule(plan, slow_down=True)
    assert sched.buffers, "the generated plan should have slow-down buffers"
    compare(sched, tmp_path)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), stages=st.integers(1, 40),
       weekdays=st.sampled_from([None, ["mon", "tue", "wed", "thu", "fri"], ["sat", "sun", "mon"]]))
def test_random_small_plans_match_tj3(tmp_path_factory: pytest.TempPathFactory, seed: int,
                                      stages: int, weekdays: list[str] | None) -> None:
    plan = parse_plan(random_plan(seed, stages, weekdays=weekdays, not_before_share=0.3))
    compare(schedule(plan, slow_down=False), tmp_path_factory.mktemp("tj3"))
