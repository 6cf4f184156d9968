"""The working calendar: holidays by region, closures, and fast arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.model import Closure
from coplan.workcal import UnknownRegion, WorkCalendar, check_region


def slow_add(cal: WorkCalendar, day: date, n: int) -> date:
    """Day-by-day reference implementation."""
    while not cal.is_working(day):
        day += timedelta(days=1)
    step = 1 if n >= 0 else -1
    for _ in range(abs(n)):
        day += timedelta(days=step)
        while not cal.is_working(day):
            day += timedelta(days=step)
    return day


def test_english_bank_holidays_are_not_working_days() -> None:
    cal = WorkCalendar(region="GB-ENG", first_year=2027)
    assert not cal.is_working(date(2027, 12, 27))  # Christmas Day substitute (Monday)
    assert not cal.is_working(date(2027, 3, 29))  # Easter Monday
    assert cal.holiday_name(date(2027, 3, 26)) == "Good Friday"
    assert cal.is_working(date(2027, 3, 30))


def test_scotland_differs_from_england() -> None:
    eng = WorkCalendar(region="GB-ENG", first_year=2027)
    sct = WorkCalendar(region="GB-SCT", first_year=2027)
    assert sct.holiday_name(date(2027, 1, 4)) is not None  # 2 January substitute
    assert eng.holiday_name(date(2027, 1, 4)) is None
    assert not eng.is_working(date(2027, 3, 29)) and sct.is_working(date(2027, 3, 29))


def test_closures_and_working_week() -> None:
    cal = WorkCalendar(working_days=(1, 2, 3), first_year=2027,
                       closures=[Closure(start=date(2027, 6, 1), end=date(2027, 6, 9),
                                         why="summer break")])
    assert not cal.is_working(date(2027, 6, 7))  # a Monday: not in the working week
    assert cal.holiday_name(date(2027, 6, 2)) == "summer break"
    assert cal.on_or_after(date(2027, 6, 1)) == date(2027, 6, 10)  # the next Thursday
    assert cal.add(date(2027, 5, 25), 3) == date(2027, 6, 10)


@pytest.mark.parametrize("code,expected", [("gb-eng", "GB-ENG"), ("US_NY", "US-NY"),
                                           ("GB", "GB"), ("us-ca", "US-CA")])
def test_region_codes_are_normalised(code: str, expected: str) -> None:
    assert check_region(code) == expected


def test_unknown_regions_suggest_a_fix() -> None:
    with pytest.raises(UnknownRegion) as info:
        check_region("GB-ENGLAND")
    assert "GB-ENG" in info.value.hint
    with pytest.raises(UnknownRegion):
        check_region("XX")


@settings(max_examples=150, deadline=None)
@given(start=st.dates(date(2025, 1, 1), date(2035, 12, 31)), n=st.integers(-400, 1500),
       region=st.sampled_from([None, "GB-ENG", "GB-WLS", "US-CA"]),
       week=st.sampled_from([(0, 1, 2, 3, 4), (0, 2, 4), (5, 6), (1, 2, 3, 4, 5)]))
def test_fast_arithmetic_matches_day_by_day(start: date, n: int, region: str | None,
                                            week: tuple[int, ...]) -> None:
    cal = WorkCalendar(working_days=week, region=region, first_year=2025,
                       closures=[Closure(start=date(2026, 12, 20), end=date(2027, 1, 5))])
    assert cal.add(start, n) == slow_add(cal, start, n)
    end = cal.add(start, n)
    assert cal.between(cal.on_or_after(start), end) == n


def test_long_plans_reach_decades_ahead() -> None:
    cal = WorkCalendar(region="GB-ENG", first_year=2027)
    far = cal.add(date(2027, 1, 4), 20_000)
    assert far.year > 2100
    assert cal.is_working(far)
    assert cal.index(far) - cal.index(date(2027, 1, 4)) == 20_000
