"""How far along a stage is counts from the day it was measured (trial 11, D5).

MINDS says its interviews are "10%" done.  Taken as today's figure whatever day it is,
the same ten per cent moved the finish from 26 July to 21 August 2028 between September
and October, past the date the project must finish by, and CP-DEL-009 blamed the time for
co-production.  With the day it was measured (``progress_on``) the work left counts from
that day; a figure with no day, or an old one, is pointed at by CP-DEL-021."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.delivery import as_of
from coplan.planfile import parse_plan
from coplan.plugins import all_rules
from coplan.review import review
from coplan.schedule import schedule

MINDS = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"
MEASURED = "progress_on = 2027-09-08\n"


def _minds(measured: str | None = MEASURED) -> str:
    text = MINDS.read_text(encoding="utf-8")
    assert text.count(MEASURED) == 1
    return text.replace(MEASURED, measured or "")


def _finish(text: str, today: date) -> date:
    plan = parse_plan(text, with_lines=False)
    plan, _ = as_of(plan, schedule(plan, today=today), today)
    return schedule(plan, today=today).stages["interviews"].end


def test_a_figure_with_its_day_does_not_move_the_finish_as_days_pass() -> None:
    september, october = date(2027, 9, 10), date(2027, 10, 6)
    assert _finish(_minds(), september) == _finish(_minds(), october)
    # Without its day, the same figure is taken as each day's own: the finish moves.
    assert _finish(_minds(None), october) > _finish(_minds(None), september)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=95))
def test_the_work_left_counts_from_the_day_measured(days_later: int, done: int) -> None:
    text = _minds().replace('progress = "10%"', f'progress = "{done}%"')
    measured = date(2027, 9, 8)
    plan = parse_plan(text, with_lines=False)
    sched = schedule(plan, today=measured)
    end = sched.stages["interviews"].end
    today = measured + timedelta(days=days_later)
    if today < end:
        assert _finish(text, today) == end, "nothing new is known: the finish stays"
    else:
        later = _finish(text, today)
        assert later > today, "a stage not recorded finished ends after today"


def test_a_figure_measured_after_the_day_seen_from_is_not_known_yet() -> None:
    text = _minds("progress_on = 2027-10-01\n")
    plan = parse_plan(text)
    seen, later = as_of(plan, schedule(plan, today=date(2027, 9, 20)), date(2027, 9, 20))
    stage = next(s for s in seen.stages if s.id == "interviews")
    assert stage.progress is None and stage.progress_on is None
    assert any(item.key == "progress_on" and "10% done" in item.what for item in later)


def _findings(text: str, today: date) -> list[str]:
    plan = parse_plan(text)
    report = review(plan, registry=all_rules(), today=today, select=["CP-DEL-021"])
    return [f.message for f in report.findings if f.rule == "CP-DEL-021"]


def test_the_review_points_at_a_figure_with_no_day_or_an_old_one() -> None:
    assert _findings(_minds(), date(2027, 9, 10)) == []
    assert _findings(_minds(), date(2027, 10, 6)) == [], "18 working days: not old yet"
    old = _findings(_minds(), date(2027, 10, 20))
    assert len(old) == 1 and "10% done on 08 Sep 2027, 30 working days ago" in old[0]
    undated = _findings(_minds(None), date(2027, 9, 10))
    assert len(undated) == 1 and "with no day saying when that was measured" in undated[0]
    finished = _minds().replace(MEASURED, MEASURED + "finished = 2027-09-10\n")
    assert _findings(finished, date(2027, 12, 1)) == []
