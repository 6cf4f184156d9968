"""The team's working calendar: which days are working days, and arithmetic on them.

A working day is a day of the plan's working week that is neither a public holiday (from
the ``holidays`` package, by region such as ``GB-ENG`` or ``US-CA``) nor a team closure.
Dates are local dates in the plan's time zone.

Arithmetic never walks day by day: working weekdays are counted with whole weeks and a
small table, and holidays are subtracted by bisection in a sorted list, so adding 5,000
working days costs about as much as adding one.  Public holidays are generated a few years
at a time, as far ahead as a plan reaches.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from coplan.model import Closure, Project
from coplan.regions import UnknownRegion, check_region

__all__ = ["UnknownRegion", "WorkCalendar", "check_region"]


def _holidays_for(region: str, years: Iterable[int]) -> dict[date, str]:
    from coplan import holiday_cache

    wanted = list(years)
    cached = holiday_cache.lookup(region, wanted)
    if cached is not None:
        return cached
    import holidays

    country, _, subdiv = region.partition("-")
    found: Any = holidays.country_holidays(country, subdiv=subdiv or None, years=wanted)
    result = {d: str(name) for d, name in found.items()}
    holiday_cache.store(region, wanted, result)
    return result


class WorkCalendar:
    """Working days of one plan, with fast counting in both directions."""

    def __init__(self, working_days: Iterable[int] = (0, 1, 2, 3, 4), region: str | None = None,
                 closures: Iterable[Closure] = (), first_year: int = 2000,
                 timezone: str = "Europe/London") -> None:
        self.working_days = tuple(sorted(set(working_days))) or (0, 1, 2, 3, 4)
        self.region = region
        self.timezone = timezone
        self.per_week = len(self.working_days)
        # Align the counting base to a Monday well before the plan starts.
        start = date(max(first_year - 1, 1), 1, 1)
        self._base = start.toordinal() - start.weekday()
        self._prefix = [0] * 8
        for day in range(7):
            self._prefix[day + 1] = self._prefix[day] + (day in self.working_days)
        self._offsets = list(self.working_days)
        self._names: dict[int, str] = {}
        for closure in closures:
            day_ = closure.start
            # Closures are short and finite; expanding them once is cheap.
            while day_ <= closure.end:
                self._names.setdefault(day_.toordinal(), closure.why or "team closure")
                day_ += timedelta(days=1)
        self._years_to = start.year - 1
        self._first_year = start.year
        self._off: list[int] = []
        self._rebuild()
        self._ensure_year(first_year + 2)

    @classmethod
    def for_project(cls, project: Project) -> WorkCalendar:
        return cls(project.working_days, project.holidays, project.closures,
                   project.start.year, project.timezone)

    # -- holidays -------------------------------------------------------------------------
    def _rebuild(self) -> None:
        self._dates: dict[int, date] = {}  # memo of date_at; holidays change it
        self._off = sorted(o for o in self._names
                           if o >= self._base and (o - self._base) % 7 in self.working_days)

    def _ensure_year(self, year: int) -> None:
        if year <= self._years_to:
            return
        target = year + 3
        if self.region:
            found = _holidays_for(self.region, range(self._years_to + 1, target + 1))
            for day_, name in found.items():
                self._names.setdefault(day_.toordinal(), name)
        self._years_to = target
        self._rebuild()

    def holiday_name(self, day: date) -> str | None:
        """Why ``day`` is not worked (a holiday's name or a closure's reason), if it is one."""
        self._ensure_year(day.year)
        return self._names.get(day.toordinal())

    # -- questions about days -------------------------------------------------------------
    def is_working(self, day: date) -> bool:
        self._ensure_year(day.year)
        return day.weekday() in self.working_days and day.toordinal() not in self._names

    def weekdays_before(self, day: date) -> int:
        """How many days of the working week come before ``day``, holidays not counted."""
        return self._weekdays_before(day.toordinal())

    def _weekdays_before(self, ordinal: int) -> int:
        weeks, rest = divmod(ordinal - self._base, 7)
        return weeks * self.per_week + self._prefix[rest]

    def index(self, day: date) -> int:
        """How many working days come before ``day`` (from the calendar's base)."""
        self._ensure_year(day.year)
        ordinal = day.toordinal()
        return self._weekdays_before(ordinal) - bisect_left(self._off, ordinal)

    def _nth_weekday(self, n: int) -> int:
        weeks, rest = divmod(n, self.per_week)
        return self._base + weeks * 7 + self._offsets[rest]

    def date_at(self, index: int) -> date:
        """The working day with this index: ``date_at(index(d)) == d`` for working days."""
        found = self._dates.get(index)
        if found is None:
            found = self._dates[index] = self._date_at(index)
        return found

    def _date_at(self, index: int) -> date:
        skipped = 0
        while True:
            ordinal = self._nth_weekday(index + skipped)
            year = date.fromordinal(ordinal).year
            if year > self._years_to:
                self._ensure_year(year)
                continue
            now = bisect_right(self._off, ordinal)
            if now == skipped:
                return date.fromordinal(ordinal)
            skipped = now

    def on_or_after(self, day: date) -> date:
        """``day`` if it is a working day, else the next working day."""
        return self.date_at(self.index(day))

    def on_or_before(self, day: date) -> date:
        """``day`` if it is a working day, else the working day before it."""
        if self.is_working(day):
            return day
        return self.date_at(self.index(day) - 1)

    def add(self, day: date, days: int) -> date:
        """The working day ``days`` working days after (or before) ``day``."""
        return self.date_at(self.index(self.on_or_after(day)) + days)

    def between(self, first: date, last: date) -> int:
        """Working days from ``first`` up to but not including ``last``."""
        return self.index(last) - self.index(first)

    def non_working_weekdays(self, first: date, last: date) -> list[tuple[date, str]]:
        """Holidays and closures that fall on working weekdays in ``[first, last]``."""
        self._ensure_year(last.year)
        lo = bisect_left(self._off, first.toordinal())
        hi = bisect_right(self._off, last.toordinal())
        return [(date.fromordinal(o), self._names[o]) for o in self._off[lo:hi]]
