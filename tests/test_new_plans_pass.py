"""`coplan new` from every template and example gives a plan that passes `coplan check` on
the day it is made: an example's record of what happened stays with the example (a new
project has none), and closures keep their days of the calendar."""

from __future__ import annotations

import functools
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coplan.cli import cli
from coplan.model import Plan
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


# -- what a new plan from an example says, and where its closures go -----------------------

_EXAMPLE_PATHS = {t.name: t.path for t in examples()}


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_a_new_plan_has_no_banner_over_what_was_left_out(tmp_path: Path, name: str) -> None:
    """A new plan reads as if the team had written it fresh: the banners that introduced
    the example's record (the decision log, the delivery record, the payments ledger)
    go with it, and no comment is left standing over nothing that was not so already in
    the example.  Every other comment stays, word for word."""
    from coplan.edit import _comments_alone

    path = tmp_path / "plan.toml"
    code, out = run("new", str(path), "--template", name, "--start", "2031-03-03")
    assert code == 0, out
    text = path.read_text(encoding="utf-8")
    source = _EXAMPLE_PATHS[name].read_text(encoding="utf-8")
    alone = [block for _s, _e, block in _comments_alone(text)]
    assert alone == [block for _s, _e, block in _comments_alone(source)]
    assert not any(word in comment.lower() for comment in _comments(text)
                   for word in ("decision log", "delivery record", "payments ledger"))
    left = _comments(text)
    it = iter(_comments(source))
    assert all(any(c == s for s in it) for c in left), "comments kept in order, unchanged"
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_comments_standing_alone_in_the_example_stay() -> None:
    """Only the comments the record's removal left alone go: opening words written
    over nothing in the example itself stay."""
    from coplan.edit import PlanDocument

    text = ('# Opening words.\n\n# More words.\n\n[project]\nname = "P"\nstart = 2027-01-04\n'
            '\n[[stage]]\nid = "a"\nduration = "1w"\n\n# ---\n# The log.\n# ---\n\n'
            '[[log]]\ndate = 2027-01-05\nwhat = "Agreed."\n\n# Settings.\n\n'
            '[review]\nmin_voices = 2\n\n# The record.\n\n[[reflection]]\n'
            'date = 2027-02-01\nnoticed = "Fine."\n')
    doc = PlanDocument(text)
    assert doc.drop_record() == 2
    assert doc.text() == ('# Opening words.\n\n# More words.\n\n[project]\nname = "P"\n'
                          'start = 2027-01-04\n\n[[stage]]\nid = "a"\nduration = "1w"\n\n'
                          '# Settings.\n\n[review]\nmin_voices = 2\n')


@functools.cache
def _example(name: str) -> tuple[str, Plan]:
    from coplan.planfile import parse_plan

    text = _EXAMPLE_PATHS[name].read_text(encoding="utf-8")
    return text, parse_plan(text, name)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(EXAMPLES)),
       start=st.dates(min_value=date(1971, 1, 1), max_value=date(2195, 12, 31)))
def test_closures_move_by_whole_years_for_any_start(name: str, start: date) -> None:
    """Whatever the new start, however many years from the example's: every closure
    keeps its days of the calendar (29 February becomes the 28th in a year without one)
    and its length, and stays where it was in the project to within half a year (the
    whole years nearest the move); every other date moves with the start exactly."""
    from coplan.edit import PlanDocument
    from coplan.planfile import parse_plan

    text, before = _example(name)
    days = (start - before.project.start).days
    doc = PlanDocument(text)
    doc.drop_record()
    doc.shift_dates(days)
    doc.set_project("start", start)
    after = parse_plan(doc.text(), name)
    assert len(after.project.closures) == len(before.project.closures)
    for old, new in zip(before.project.closures, after.project.closures, strict=True):
        for was, now in ((old.start, new.start), (old.end, new.end)):
            assert (now.month, now.day) == (was.month, was.day) or \
                (was.month, was.day, now.month, now.day) == (2, 29, 2, 28)
        assert abs((new.end - new.start).days - (old.end - old.start).days) <= 1
        moved = (new.start - start).days - (old.start - before.project.start).days
        assert abs(moved) <= 184, (old, new)
    if before.project.finish_by is not None:
        assert after.project.finish_by == before.project.finish_by + timedelta(days=days)
