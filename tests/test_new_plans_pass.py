"""`coplan new` from every template and example gives a plan that passes `coplan check` on
the day it is made: an example's record of what happened stays with the example (a new
project has none), and closures keep their days of the calendar."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.planfile import load_plan
from coplan.resources import examples, plan_templates

NAMES = sorted({t.name for t in [*plan_templates(), *examples()]})
EXAMPLES = {t.name for t in examples()}


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    done = CliRunner().invoke(cli, list(args), env=env)
    return done.exit_code, done.output


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("start", [None, "2027-03-01", "2029-10-08"])
def test_a_new_plan_passes_its_own_check_on_the_day_it_is_made(
        tmp_path: Path, name: str, start: str | None) -> None:
    path = tmp_path / "plan.toml"
    # Made on Friday 5 December 2026 (the clock's day through SOURCE_DATE_EPOCH), or on
    # the Friday before the start given.
    made = date(2026, 12, 5) if start is None else \
        date.fromisoformat(start) - timedelta(days=3)
    epoch = str(int((made - date(1970, 1, 1)).total_seconds()))
    args = ["new", str(path), "--template", name] + (["--start", start] if start else [])
    code, out = run(*args, env={"SOURCE_DATE_EPOCH": epoch})
    assert code == 0, out
    plan = load_plan(path)
    assert plan.project.start == (date(2026, 12, 7) if start is None
                                  else date.fromisoformat(start))
    code, out = run("check", str(path), "--today", made.isoformat())
    assert code == 0, out
    if name in EXAMPLES:
        assert not any(t.records for t in plan.touchpoints)
        assert not (plan.reflections or plan.log or plan.impact or plan.paid)
        assert not plan.baseline.stages and plan.baseline.finish is None
        assert all(s.started is None and s.finished is None for s in plan.stages)


def test_an_example_says_its_record_is_left_out(tmp_path: Path) -> None:
    code, out = run("new", str(tmp_path / "md.toml"), "--template", "minds-discharge",
                    "--start", "2027-03-01")
    assert code == 0, out
    assert "from the 'minds-discharge' example" in out
    assert "record of what happened" in " ".join(out.split())


def test_closures_keep_their_days_of_the_calendar(tmp_path: Path) -> None:
    """A Christmas closure stays at Christmas, whatever the start: it moves by whole
    years, while the plan's own rhythm moves with the start."""
    source = load_plan(Path(__file__).resolve().parents[1] / "examples" /
                       "minds-discharge.toml")
    christmas = next(c for c in source.project.closures if "Christmas" in c.why)
    for start, years in (("2027-03-01", 0), ("2028-01-10", 1), ("2026-06-01", -1)):
        path = tmp_path / f"md-{start}.toml"
        code, out = run("new", str(path), "--template", "minds-discharge", "--start", start)
        assert code == 0, out
        plan = load_plan(path)
        moved = next(c for c in plan.project.closures if "Christmas" in c.why)
        assert (moved.start.month, moved.start.day) == (12, 24)
        assert (moved.end.month, moved.end.day) == (1, 3)
        assert moved.start.year == christmas.start.year + years, start
