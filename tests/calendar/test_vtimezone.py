"""The VTIMEZONE coplan writes says the same UTC offset as zoneinfo, hour by hour.

Each VTIMEZONE is read back from its text (not from coplan's objects): every STANDARD and
DAYLIGHT part's yearly RRULE is expanded from its 1970 DTSTART with ``dateutil.rrule``, each
onset is turned into a UTC instant with the part's TZOFFSETFROM, and the offset in force at
any instant is the TZOFFSETTO of the latest onset before it.  That is what a calendar program
does, and it is compared with ``zoneinfo`` every half hour for two days around every
transition, and at noon every day, from 2025 to 2040.
"""

from __future__ import annotations

import bisect
import re
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icskit import export, write_plan

from coplan.export.vtimezone import UnsupportedZone, vtimezone, yearly_rules

FIRST, LAST = 2025, 2040

ZONES = [
    "Europe/London",
    "Europe/Dublin",  # tzdata gives Ireland a negative DST: winter is the "daylight" saving
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",  # daylight saving abolished in 2019
    "Australia/Sydney",  # southern hemisphere: summer time spans the new year
    "Pacific/Auckland",
    "Asia/Kolkata",  # no daylight saving
]

# Windows time zone names, which calendar programs do not reliably resolve from a TZID.
WINDOWS_WORDS = ("Standard Time", "Daylight Time", "GMT Standard", "W. Europe",
                 "Eastern Standard", "Pacific Standard", "AUS Eastern", "India Standard",
                 "E. South America", "New Zealand Standard")


def _offset(text: str) -> timedelta:
    m = re.fullmatch(r"([+-])(\d\d)(\d\d)(\d\d)?", text)
    assert m, f"bad UTC offset {text!r}"
    sign = -1 if m.group(1) == "-" else 1
    return sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3)),
                            seconds=int(m.group(4) or 0))


def parts(ics: bytes) -> tuple[str, list[dict[str, str]]]:
    """The TZID and the STANDARD/DAYLIGHT parts of a VTIMEZONE, read from its text."""
    lines = ics.decode().replace("\r\n ", "").split("\r\n")
    tzid = ""
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        name, _, value = line.partition(":")
        if line in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
            current = {"KIND": value}
        elif line in ("END:STANDARD", "END:DAYLIGHT"):
            assert current is not None
            found.append(current)
            current = None
        elif current is not None:
            assert name not in current, f"{name} twice in one part"
            current[name] = value
        elif name == "TZID":
            tzid = value
    return tzid, found


class Reader:
    """The UTC offset at any instant, as a calendar program reads it from the parts."""

    def __init__(self, found: list[dict[str, str]], until: int = LAST + 1) -> None:
        onsets: list[tuple[datetime, timedelta]] = []
        for part in found:
            start = datetime.strptime(part["DTSTART"], "%Y%m%dT%H%M%S")
            before, after = _offset(part["TZOFFSETFROM"]), _offset(part["TZOFFSETTO"])
            if "RRULE" in part:
                rule = rrulestr(part["RRULE"], dtstart=start)
                local = rule.between(start, datetime(until, 12, 31), inc=True)
            else:
                local = [start]
            onsets += [((t - before).replace(tzinfo=UTC), after) for t in local]
        onsets.sort()
        self.times = [t for t, _ in onsets]
        self.offsets = [o for _, o in onsets]
        first = min(found, key=lambda p: p["DTSTART"])
        self.initial = _offset(first["TZOFFSETFROM"])

    def offset(self, moment: datetime) -> timedelta:
        i = bisect.bisect_right(self.times, moment)
        return self.offsets[i - 1] if i else self.initial


def zoneinfo_changes(zone: ZoneInfo, first: int, last: int) -> list[datetime]:
    """Every UTC instant zoneinfo changes offset (found every 3 hours, then to the minute)."""
    changes = []
    moment = datetime(first, 1, 1, tzinfo=UTC)
    end = datetime(last + 1, 1, 1, tzinfo=UTC)
    step = timedelta(hours=3)
    before = moment.astimezone(zone).utcoffset()
    while moment < end:
        after = (moment + step).astimezone(zone).utcoffset()
        if after != before:
            lo, hi = moment, moment + step
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                lo, hi = (mid, hi) if mid.astimezone(zone).utcoffset() == before else (lo, mid)
            changes.append(hi.replace(second=0, microsecond=0))
            before = after
        moment += step
    return changes


@cache
def generated(name: str, first: int = FIRST, last: int = LAST) -> bytes:
    data: bytes = vtimezone(name, first, last).to_ical()
    return data


def _check(name: str, first: int, last: int) -> int:
    zone = ZoneInfo(name)
    tzid, found = parts(generated(name, first, last))
    assert tzid == name
    reader = Reader(found)
    moments: list[datetime] = []
    for change in zoneinfo_changes(zone, first, last):
        moments += [change + timedelta(minutes=30 * k) for k in range(-96, 97)]
        moments += [change - timedelta(minutes=1), change]
    day = date(first, 1, 1)
    while day.year <= last:
        moments.append(datetime(day.year, day.month, day.day, 12, tzinfo=UTC))
        day += timedelta(days=1)
    wrong = [(m, reader.offset(m), m.astimezone(zone).utcoffset()) for m in moments
             if reader.offset(m) != m.astimezone(zone).utcoffset()]
    assert not wrong, f"{name}: the VTIMEZONE disagrees with zoneinfo at {wrong[:5]}"
    return len(moments)


@pytest.mark.parametrize("name", ZONES)
def test_rules_reproduce_zoneinfo_offsets(name: str) -> None:
    checked = _check(name, FIRST, LAST)
    assert checked > 5000


@pytest.mark.parametrize("name", ZONES)
def test_parts_are_yearly_rules_anchored_in_1970(name: str) -> None:
    data = generated(name)
    text = data.decode()
    _, found = parts(data)
    assert found
    for part in found:
        assert part["DTSTART"].startswith("1970"), part
        assert re.fullmatch(r"\d{8}T\d{6}", part["DTSTART"]), "DTSTART must be local time"
        assert part.get("TZNAME"), part
        before, after = _offset(part["TZOFFSETFROM"]), _offset(part["TZOFFSETTO"])
        if "RRULE" in part:
            assert re.fullmatch(r"FREQ=YEARLY;BYDAY=-?[1-4](MO|TU|WE|TH|FR|SA|SU);"
                                r"BYMONTH=\d{1,2}", part["RRULE"]), part["RRULE"]
            assert part["KIND"] == ("DAYLIGHT" if after > before else "STANDARD"), part
        else:
            assert before == after and part["KIND"] == "STANDARD", part
    kinds = sorted(p["KIND"] for p in found)
    assert kinds in (["STANDARD"], ["DAYLIGHT", "STANDARD"]), kinds
    for word in WINDOWS_WORDS:
        assert word not in text


@pytest.mark.parametrize(("name", "daylight", "standard"), [
    ("Europe/London", "BST", "GMT"),
    ("Europe/Dublin", "IST", "GMT"),
    ("America/New_York", "EDT", "EST"),
    ("Australia/Sydney", "AEDT", "AEST"),
])
def test_daylight_and_standard_names(name: str, daylight: str, standard: str) -> None:
    _, found = parts(generated(name))
    names = {p["KIND"]: p["TZNAME"] for p in found}
    assert names == {"DAYLIGHT": daylight, "STANDARD": standard}


@pytest.mark.parametrize(("name", "offset"), [("Asia/Kolkata", "+0530"),
                                              ("America/Sao_Paulo", "-0300")])
def test_zone_without_daylight_saving_has_one_fixed_part(name: str, offset: str) -> None:
    _, found = parts(generated(name))
    assert len(found) == 1
    assert found[0]["TZOFFSETFROM"] == found[0]["TZOFFSETTO"] == offset
    assert "RRULE" not in found[0]


def test_sao_paulo_after_2019_and_across_the_change() -> None:
    # Brazil's last daylight saving ended in February 2019.  From 2020 on, one fixed part.
    _check("America/Sao_Paulo", 2020, 2030)
    # 2019 had one change and no return: as a yearly rule it would put every January on
    # the wrong offset, so there is no yearly rule; each change is listed instead.
    for first, last in [(2019, 2019), (2018, 2020), (2019, 2021)]:
        with pytest.raises(UnsupportedZone):
            yearly_rules(ZoneInfo("America/Sao_Paulo"), first, last)
        _, found = parts(generated("America/Sao_Paulo", first, last))
        assert not any("RRULE" in p for p in found)
        _check("America/Sao_Paulo", first, last)


# Morocco moves its clocks back an hour for Ramadan, on dates that move every year.
@pytest.mark.parametrize(("first", "last"), [(2027, 2028), (2025, 2035), (2030, 2032)])
def test_casablanca_is_exported_with_each_change_listed(first: int, last: int) -> None:
    with pytest.raises(UnsupportedZone):
        yearly_rules(ZoneInfo("Africa/Casablanca"), first, last)
    _, found = parts(generated("Africa/Casablanca", first, last))
    changes = zoneinfo_changes(ZoneInfo("Africa/Casablanca"), first, last)
    assert len(found) == 1 + len(changes) and not any("RRULE" in p for p in found)
    assert found[0]["DTSTART"] == f"{first}0101T000000"
    assert _check("Africa/Casablanca", first, last) > 300


CASABLANCA = """\
[project]
title = "Across Ramadan"
start = 2027-01-04
timezone = "Africa/Casablanca"

[[person]]
id = "ana"
kind = "lived-experience"

[[stage]]
id = "one"
title = "One"
duration = "20w"

  [[stage.touchpoint]]
  id = "talk"
  format = "workshop"
  who = ["ana"]
  when = [2027-02-01, 2027-02-15, 2027-03-22, 2028-02-14]
  time = "10:00"
"""


def test_a_plan_across_ramadan_exports_and_reads_back(tmp_path: Path) -> None:
    """Before 2027-02-07 and after 2027-03-14 Casablanca is UTC+1; between, UTC+0."""
    plan = write_plan(tmp_path, CASABLANCA)
    done = export(plan, "--no-state")
    assert done.code == 0, done.stderr
    text = done.text.replace("\r\n ", "")
    assert "DTSTART;TZID=Africa/Casablanca:20270215T100000" in text
    tzid, found = parts(done.data)
    assert tzid == "Africa/Casablanca"
    reader = Reader(found)
    zone = ZoneInfo("Africa/Casablanca")
    for day, hours in [(date(2027, 2, 1), 1), (date(2027, 2, 15), 0), (date(2027, 3, 22), 1),
                       (date(2028, 2, 14), 0)]:
        local = datetime(day.year, day.month, day.day, 10, tzinfo=zone)
        assert local.utcoffset() == timedelta(hours=hours)
        assert reader.offset(local.astimezone(UTC)) == timedelta(hours=hours), day
    # Sao Paulo across the end of its daylight saving, too.
    sao = write_plan(tmp_path, CASABLANCA.replace("Africa/Casablanca", "America/Sao_Paulo")
                     .replace("2027-", "2018-").replace("2028-", "2019-"), "sao.toml")
    assert export(sao, "--no-state").code == 0


@pytest.mark.parametrize("name", ["Europe/London", "America/New_York", "Australia/Sydney"])
def test_a_one_year_plan_gets_rules_that_hold_for_other_years(name: str) -> None:
    # The rules are derived from the plan's years, but written as open-ended yearly rules;
    # for these zones they stay right for years beyond the plan too.
    data = generated(name, 2027, 2027)
    zone = ZoneInfo(name)
    reader = Reader(parts(data)[1])
    for change in zoneinfo_changes(zone, 2025, 2040):
        for moment in (change - timedelta(minutes=1), change):
            assert reader.offset(moment) == moment.astimezone(zone).utcoffset(), moment
