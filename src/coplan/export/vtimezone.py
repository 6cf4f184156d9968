"""VTIMEZONE components in the yearly-rule form calendar programs handle best.

Outlook and Google Calendar read a time zone most reliably as a STANDARD and a DAYLIGHT
part, each with a yearly ``RRULE`` (such as "the last Sunday of March") anchored in 1970.
This module derives those rules from Python's ``zoneinfo`` for the years a plan spans and
checks, year by year, that the rules give exactly the transitions zoneinfo knows.  A zone
without daylight saving gets one STANDARD part.

A zone whose clocks do not change the same way every year within the plan's years (such as
Africa/Casablanca, whose clocks move for Ramadan, or a country ending daylight saving) has
no yearly rule; its VTIMEZONE lists each change instead, for exactly those years
(``listed_changes``).
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from coplan.records import dataclass

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class UnsupportedZone(ValueError):
    """The zone's rules changed within the plan's years, so one yearly rule cannot say it."""


@dataclass(frozen=True, slots=True)
class Transition:
    """A change of UTC offset, in local wall-clock time before the change."""

    local: datetime  # naive, wall-clock time just before the change
    offset_from: timedelta
    offset_to: timedelta
    name: str


@dataclass(frozen=True, slots=True)
class YearlyRule:
    """A time zone change that happens on the same weekday of a month every year."""

    month: int
    week: int  # 1..4, or -1 for the last
    weekday: int  # 0 = Monday
    at: timedelta  # local time of day before the change
    offset_from: timedelta
    offset_to: timedelta
    name: str

    def on(self, year: int) -> datetime:
        """The naive local moment this rule fires in ``year``."""
        days = calendar.monthrange(year, self.month)[1]
        if self.week > 0:
            first = date(year, self.month, 1)
            day = 1 + (self.weekday - first.weekday()) % 7 + 7 * (self.week - 1)
        else:
            last = date(year, self.month, days)
            day = days - (last.weekday() - self.weekday) % 7
        return datetime(year, self.month, day) + self.at

    def rrule(self) -> dict[str, object]:
        prefix = "" if self.week > 0 else "-"
        return {"freq": "yearly", "bymonth": self.month,
                "byday": f"{prefix}{abs(self.week)}{_DAYS[self.weekday]}"}


def transitions(zone: ZoneInfo, year: int) -> list[Transition]:
    """Every change of UTC offset in ``year``, found hour by hour in UTC."""
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    before = moment.astimezone(zone).utcoffset()
    step = timedelta(hours=1)
    while moment < end:
        after_moment = moment + step
        after = after_moment.astimezone(zone).utcoffset()
        if after != before and before is not None and after is not None:
            # Narrow to the minute.
            lo, hi = moment, after_moment
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(zone).utcoffset() == before:
                    lo = mid
                else:
                    hi = mid
            change = hi.replace(second=0, microsecond=0)
            local = (change + before).replace(tzinfo=None)
            name = change.astimezone(zone).tzname() or ""
            found.append(Transition(local, before, after, name))
            before = after
        moment = after_moment
    return found


def _rule_for(t: Transition) -> YearlyRule:
    days = calendar.monthrange(t.local.year, t.local.month)[1]
    day = t.local.day
    week = -1 if day + 7 > days else (day - 1) // 7 + 1
    at = t.local - datetime(t.local.year, t.local.month, t.local.day)
    return YearlyRule(t.local.month, week, t.local.weekday(), at, t.offset_from, t.offset_to,
                      t.name)


def yearly_rules(zone: ZoneInfo, first_year: int, last_year: int) -> list[YearlyRule]:
    """The rules that reproduce every transition from ``first_year`` to ``last_year``."""
    sample = transitions(zone, first_year)
    rules = [_rule_for(t) for t in sample]
    for year in range(first_year, last_year + 1):
        actual = [(t.local, t.offset_from, t.offset_to) for t in transitions(zone, year)]
        predicted = sorted((r.on(year), r.offset_from, r.offset_to) for r in rules)
        if actual != predicted:
            raise UnsupportedZone(f"{zone.key} changes its rules in {year}")
        # Rules that repeat every year must also bring the clocks back to where they were
        # on 1 January: a year with only one change (daylight saving ending for good, as in
        # America/Sao_Paulo in 2019) matches its own transitions but, said as a yearly rule,
        # would put every January of the plan on the wrong offset.
        if rules:
            ordered = sorted(rules, key=lambda r: r.on(year))
            new_year = datetime(year, 1, 1, tzinfo=UTC).astimezone(zone).utcoffset()
            chained = all(a.offset_to == b.offset_from
                          for a, b in zip(ordered, [*ordered[1:], ordered[0]], strict=True))
            if not chained or ordered[0].offset_from != new_year:
                raise UnsupportedZone(f"{zone.key} does not change its clocks the same way "
                                      f"every year around {year}")
    return rules


def vtimezone(name: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for ``name`` valid from ``first_year`` to ``last_year``: yearly rules
    where they say it, else every change listed."""
    zone = ZoneInfo(name)
    try:
        rules = yearly_rules(zone, first_year, last_year)
    except UnsupportedZone:
        return listed_changes(zone, name, first_year, last_year)
    tz = Timezone()
    tz.add("tzid", name)
    if not rules:
        offset = datetime(first_year, 1, 1, tzinfo=zone).utcoffset() or timedelta(0)
        part: TimezoneStandard | TimezoneDaylight = TimezoneStandard()
        part.add("tzname", datetime(first_year, 1, 1, tzinfo=zone).tzname() or name)
        part.add("dtstart", datetime(1970, 1, 1))
        part.add("tzoffsetfrom", offset)
        part.add("tzoffsetto", offset)
        tz.add_component(part)
        return tz
    for r in sorted(rules, key=lambda r: r.offset_to):
        part = TimezoneDaylight() if r.offset_to > r.offset_from else TimezoneStandard()
        part.add("tzname", r.name)
        part.add("tzoffsetfrom", r.offset_from)
        part.add("tzoffsetto", r.offset_to)
        part.add("dtstart", r.on(1970))
        part.add("rrule", r.rrule())
        tz.add_component(part)
    return tz


def listed_changes(zone: ZoneInfo, name: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for ``name`` that lists each change of offset from the start of
    ``first_year`` to the end of ``last_year``: the offset on 1 January of the first year,
    then one part for each change, at the local time before it (as RFC 5545 says).  One
    part each rather than RDATE lists: ical.js (Thunderbird) reads only the RDATEs of a part
    that has them, not its DTSTART.

    Not icalendar's ``Timezone.from_tzinfo``: up to icalendar 7.3 at least, it writes a
    change that puts the clocks forward at the local time after the change, an hour late
    (Europe/London's in 2027 at 02:00 GMT rather than 01:00), which the tests catch."""
    first = datetime(first_year, 1, 1)
    start = first.replace(tzinfo=zone)
    offset = start.utcoffset() or timedelta(0)
    tz = Timezone()
    tz.add("tzid", name)
    part: TimezoneStandard | TimezoneDaylight = TimezoneStandard()
    part.add("tzname", start.tzname() or name)
    part.add("dtstart", first)
    part.add("tzoffsetfrom", offset)
    part.add("tzoffsetto", offset)
    tz.add_component(part)
    for year in range(first_year, last_year + 1):
        for t in transitions(zone, year):
            part = TimezoneDaylight() if t.offset_to > t.offset_from else TimezoneStandard()
            part.add("tzname", t.name or name)
            part.add("tzoffsetfrom", t.offset_from)
            part.add("tzoffsetto", t.offset_to)
            part.add("dtstart", t.local)
            tz.add_component(part)
    return tz
