"""coplan's schedule agrees with TaskJuggler 3 (tj3) on the same plan: the examples as they
are (slow-down buffers, the project buffer, blocking reflection checkpoints), and generated
plans.

tj3 reports a dependent task's start as the moment its predecessor ends (17:00 on the last
working day); such starts are rolled forward to the next working day before comparing.
"""

from __future__ import annotations

import csv
import os
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

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


ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))


def tj3_rows(sched: Schedule, folder: Path) -> list[dict[str, Any]]:
    """Run tj3 on the export and return its report's rows."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "plan.tjp"
    source.write_text(to_tjp(sched), encoding="utf-8")
    result = subprocess.run(["tj3", "--no-color", "--silent", "-o", str(folder), str(source)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    with (folder / "coplan-dates.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def run_tj3(sched: Schedule, folder: Path) -> dict[str, tuple[datetime, datetime]]:
    return {row["Id"]: (datetime.strptime(row["Start"], "%Y-%m-%d %H:%M"),
                        datetime.strptime(row["End"], "%Y-%m-%d %H:%M"))
            for row in tj3_rows(sched, folder)}


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
    all_ids = _ids(sched)
    for gate in sched.gates:
        start, end = dates[all_ids[f"{gate.id}~gate"]]
        tj_day = roll(sched, start, milestone=False)
        if (tj_day, end.date()) != (gate.day, gate.day):
            mismatches.append(f"{gate.id}: coplan {gate.day}, tj3 {start}..{end}")
    assert not mismatches, "\n".join(mismatches[:20])
    if sched.project_buffer:
        _, end = dates[all_ids["project~buffer"]]
        assert end.date() == sched.finish


def _ids(sched: Schedule) -> dict[str, str]:
    from coplan.export.tjp import _assign

    return _assign(sched).used


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_match_tj3(tmp_path: Path, path: Path) -> None:
    """Each example exactly as ``coplan schedule`` dates it, blocking checkpoints included
    (MINDS has seven): tj3 arrives at the same dates and the same finish."""
    from coplan.planfile import load_plan

    sched = schedule(load_plan(path))
    compare(sched, tmp_path)


def test_blocking_checkpoints_hold_the_next_phase_in_tj3(tmp_path: Path) -> None:
    text = random_plan(21, 60)
    assert "blocks = " not in text
    text = text.replace("[project.reflection]", "[project.reflection]\nblocks = true")
    sched = schedule(parse_plan(text))
    assert sched.gates, "the generated plan should have blocking checkpoints"
    compare(sched, tmp_path)


def test_text_reads_back_unchanged_in_tj3(tmp_path: Path) -> None:
    """TaskJuggler expands ${...} and $(...) even inside quotes; titles must not change."""
    titles = ["Cost ${x} and ${projectstart}", "Read $(HOME) aloud", 'The "quoted" part',
              "Ends in a backslash \\", 'A backslash \\" before a quote',
              "£25 for Zoë’s café"]
    body = "".join(f"[[stage]]\nid = 's{i}'\ntitle = '''{t}'''\nduration = '2d'\n"
                   for i, t in enumerate(titles))
    plan = parse_plan("[project]\ntitle = 'Escapes ${x}'\nstart = 2027-03-01\n" + body)
    sched = schedule(plan, slow_down=False)
    tj3_rows(sched, tmp_path)
    # tj3 writes quotes inside a field as they are (not doubled), so split lines by hand.
    lines = (tmp_path / "coplan-dates.csv").read_text(encoding="utf-8").splitlines()[1:]
    fields = [line[1:-1].split('";"') for line in lines]
    names = {f[0]: f[1].replace("\u200b", "") for f in fields}
    ids = task_ids(sched)
    assert [names[ids[f"s{i}"]] for i in range(len(titles))] == titles


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


AS_OF = {
    "before the start": date(2027, 1, 5),
    "on the first day": date(2027, 1, 11),
    "mid-way, aims under way": date(2027, 3, 10),
    "stages ran late, interviews 10% done": date(2027, 9, 10),
    "a Saturday, interviews under way": date(2027, 10, 16),
    "after the planned end": date(2028, 9, 1),
    "interviews late to start": date(2027, 10, 1),
}


def minds_as_of(today: date):  # type: ignore[no-untyped-def]
    """MINDS dated as of ``today``; on 1 Oct 2027 as if the interviews had not started yet
    (their record taken out), so that what is still to come must wait for today."""
    from coplan.planfile import load_plan, parse_plan

    path = next(p for p in EXAMPLES if p.stem == "minds-discharge")
    if today != date(2027, 10, 1):
        return schedule(load_plan(path), today=today)
    text = path.read_text(encoding="utf-8")
    for line in ('started = 2027-09-06', 'progress = "10%"', 'progress_on = 2027-09-08'):
        assert line in text
        text = text.replace(line, "")
    return schedule(parse_plan(text), today=today)


@pytest.mark.parametrize("today", list(AS_OF.values()), ids=list(AS_OF))
def test_minds_dated_from_what_happened_matches_tj3(tmp_path: Path, today: date) -> None:
    """``export tjp --today`` carries what actually happened (``now``, the real starts and
    lengths of the stages finished and under way, ``complete``, nothing to come before
    today): tj3 dates every stage, buffer and checkpoint as ``coplan schedule --today``
    does, and reaches its finish (trial 14: it finished MINDS on 11 Jul 2028 where coplan
    said 26 Jul 2028 as of 10 Sep 2027)."""
    sched = minds_as_of(today)
    compare(sched, tmp_path)
    dates = run_tj3(sched, tmp_path / "again")
    ids = _ids(sched)
    wrong = []
    for buffer in sched.buffers:
        start, end = dates[ids[f"{buffer.stage}~slow"]]
        got = (roll(sched, start, milestone=False), end.date())
        if got != (buffer.start, buffer.end):
            wrong.append(f"{buffer.id}: coplan {buffer.start}..{buffer.end}, tj3 {got}")
    assert not wrong, "\n".join(wrong)
    assert sched.project_buffer is not None
    start, _ = dates[ids["project~buffer"]]
    assert roll(sched, start, milestone=False) == sched.project_buffer.start


@pytest.mark.parametrize("seed", range(int(os.environ.get("SEEDS", "8"))))
def test_generated_records_match_tj3(tmp_path: Path, seed: int) -> None:
    """Generated plans (lags, holidays, closures, ``not_before`` dates, milestones; half
    with blocking checkpoints) with a made-up delivery record (stages started early or
    late, some on a day off, finished late or early, some with no start recorded, under
    way with their progress or without), seen from a day mid-way: tj3 dates the export
    as ``coplan schedule --today`` does."""
    from plangen import with_record

    text = random_plan(100 + seed, 40, not_before_share=0.2)
    if seed % 2:
        text = text.replace("[project.reflection]", "[project.reflection]\nblocks = true")
    text, today = with_record(text, seed)
    compare(schedule(parse_plan(text), today=today), tmp_path)
