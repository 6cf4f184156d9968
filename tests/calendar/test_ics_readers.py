"""coplan's calendars, read by programs that are not coplan: the ``recurring-ical-events``
package (on top of icalendar) and Mozilla's ical.js (the library inside Thunderbird).

Small plans in Europe/London and America/New_York have standing meetings running across the
spring and autumn clock changes, public holidays and a closure.  Both readers expand the
meetings, and the tests check the exact occurrences: the local time stays the same across a
clock change while the UTC instant moves by an hour, holidays and closures are missing, and
sessions and all-day items come out where the plan puts them.  Every expected date and time
below is written out by hand, not computed by coplan.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from icskit import ROOT, export, write_plan

from conftest import need

JS = ROOT / "tests" / "js"

# -- the plans ------------------------------------------------------------------------------

LONDON = """\
[project]
title = "Clock change study"
start = 2027-03-01
timezone = "Europe/London"
holidays = "GB-ENG"
closures = [{ from = 2027-10-25, to = 2027-10-29, why = "Half-term: we do not meet" }]

[project.reflection]
every = "8w"
after_each_phase = false

[[person]]
id = "sam"
kind = "lived-experience"

[[person]]
id = "jo"
kind = "carer"

[[person]]
id = "lead"
kind = "researcher"

[[stage]]
id = "spring"
title = "Spring work"
duration = "6w"

  [[stage.touchpoint]]
  id = "before-change"
  title = "Spring session before the clocks go forward"
  format = "workshop"
  who = ["sam", "jo", "lead"]
  when = 2027-03-24
  time = "10:30"
  length = "2h"

  [[stage.touchpoint]]
  id = "after-change"
  title = "Spring session after the clocks go forward"
  format = "workshop"
  who = ["sam", "jo", "lead"]
  when = 2027-03-31
  time = "10:30"
  length = "2h"

[[stage]]
id = "autumn"
title = "Autumn work"
duration = "4w"
not_before = 2027-10-18
after = ["spring"]

  [[stage.touchpoint]]
  id = "autumn-sessions"
  title = "Autumn session"
  format = "workshop"
  who = ["sam", "jo", "lead"]
  when = [2027-10-20, 2027-11-03]
  time = "13:15"
  length = "90m"

[[stage]]
id = "findings"
title = "Findings shared"
duration = "0d"
not_before = 2027-12-01

[[meeting]]
id = "advisory"
title = "Advisory group"
every = "1w"
day = "mon"
time = "14:00"
length = "90m"
who = ["sam", "jo", "lead"]
from = 2027-03-15
until = 2027-11-08

[[meeting]]
id = "planning"
title = "Planning group"
every = "2w"
day = "thu"
time = "09:30"
length = "1h"
who = ["sam", "lead"]
from = 2027-09-30
until = 2027-11-25
"""

NEW_YORK = """\
[project]
title = "Clock change study, New York"
start = 2027-01-04
timezone = "America/New_York"
holidays = "US-NY"

[[person]]
id = "ria"
kind = "lived-experience"

[[person]]
id = "dev"
kind = "researcher"

[[stage]]
id = "winter"
title = "Winter work"
duration = "12w"

  [[stage.touchpoint]]
  id = "evenings"
  title = "Evening session"
  format = "workshop"
  who = ["ria", "dev"]
  when = [2027-03-12, 2027-03-16]
  time = "18:00"
  length = "2h"

[[meeting]]
id = "steering"
title = "Steering group"
every = "2w"
day = "mon"
time = "11:00"
length = "1h"
who = ["ria", "dev"]
from = 2027-01-04
until = 2027-03-29

[[meeting]]
id = "peer"
title = "Peer group"
every = "1w"
day = "thu"
time = "17:30"
length = "1h"
who = ["ria", "dev"]
from = 2027-10-28
until = 2027-11-25
"""

# -- what a calendar program must show: (local wall-clock time, UTC instant) ---------------

# British Summer Time in 2027: from 01:00 UTC on 28 March to 01:00 UTC on 31 October.
BST = (datetime(2027, 3, 28, 1), datetime(2027, 10, 31, 1))
# English bank holidays on Mondays in the meeting's span, and the half-term closure.
LONDON_SKIPPED_MONDAYS = {date(2027, 3, 29): "Easter Monday", date(2027, 5, 3): "Early May",
                          date(2027, 5, 31): "Spring bank holiday",
                          date(2027, 8, 30): "Summer bank holiday",
                          date(2027, 10, 25): "half-term closure"}


def _london(day: date, hh: int, mm: int) -> tuple[str, str]:
    local = datetime(day.year, day.month, day.day, hh, mm)
    summer = BST[0] <= local - timedelta(hours=1) < BST[1]
    utc = local - timedelta(hours=1 if summer else 0)
    return local.isoformat(), utc.isoformat() + "Z"


def _mondays() -> list[tuple[str, str]]:
    out = []
    day = date(2027, 3, 15)
    while day <= date(2027, 11, 8):
        if day not in LONDON_SKIPPED_MONDAYS:
            out.append(_london(day, 14, 0))
        day += timedelta(weeks=1)
    return out


LONDON_EXPECTED: dict[str, list[tuple[str, str]]] = {
    "Advisory group": _mondays(),
    "Planning group": [
        ("2027-09-30T09:30:00", "2027-09-30T08:30:00Z"),
        ("2027-10-14T09:30:00", "2027-10-14T08:30:00Z"),
        # 28 October falls in the half-term closure
        ("2027-11-11T09:30:00", "2027-11-11T09:30:00Z"),
        ("2027-11-25T09:30:00", "2027-11-25T09:30:00Z"),
    ],
    "Spring session before the clocks go forward: Spring work": [
        ("2027-03-24T10:30:00", "2027-03-24T10:30:00Z")],
    "Spring session after the clocks go forward: Spring work": [
        ("2027-03-31T10:30:00", "2027-03-31T09:30:00Z")],
    "Autumn session: Autumn work (1 of 2)": [("2027-10-20T13:15:00", "2027-10-20T12:15:00Z")],
    "Autumn session: Autumn work (2 of 2)": [("2027-11-03T13:15:00", "2027-11-03T13:15:00Z")],
}
LONDON_EXDATES = {"Advisory group": sorted(_london(d, 14, 0) for d in LONDON_SKIPPED_MONDAYS),
                  "Planning group": [("2027-10-28T09:30:00", "2027-10-28T08:30:00Z")]}
LONDON_LENGTH = {"Advisory group": timedelta(minutes=90), "Planning group": timedelta(hours=1)}

NEW_YORK_EXPECTED: dict[str, list[tuple[str, str]]] = {
    # Eastern Daylight Time in 2027: from 14 March to 7 November.
    "Steering group": [
        ("2027-01-04T11:00:00", "2027-01-04T16:00:00Z"),
        # 18 January: Martin Luther King Jr. Day
        ("2027-02-01T11:00:00", "2027-02-01T16:00:00Z"),
        # 15 February: Washington's Birthday
        ("2027-03-01T11:00:00", "2027-03-01T16:00:00Z"),
        ("2027-03-15T11:00:00", "2027-03-15T15:00:00Z"),
        ("2027-03-29T11:00:00", "2027-03-29T15:00:00Z"),
    ],
    "Peer group": [
        ("2027-10-28T17:30:00", "2027-10-28T21:30:00Z"),
        ("2027-11-04T17:30:00", "2027-11-04T21:30:00Z"),
        # 11 November: Veterans Day
        ("2027-11-18T17:30:00", "2027-11-18T22:30:00Z"),
        # 25 November: Thanksgiving
    ],
    "Evening session: Winter work (1 of 2)": [("2027-03-12T18:00:00", "2027-03-12T23:00:00Z")],
    "Evening session: Winter work (2 of 2)": [("2027-03-16T18:00:00", "2027-03-16T22:00:00Z")],
}
NEW_YORK_EXDATES = {
    "Steering group": [("2027-01-18T11:00:00", "2027-01-18T16:00:00Z"),
                       ("2027-02-15T11:00:00", "2027-02-15T16:00:00Z")],
    "Peer group": [("2027-11-11T17:30:00", "2027-11-11T22:30:00Z"),
                   ("2027-11-25T17:30:00", "2027-11-25T22:30:00Z")],
}

CASES = {
    "london": (LONDON, "Europe/London", LONDON_EXPECTED, LONDON_EXDATES),
    "new-york": (NEW_YORK, "America/New_York", NEW_YORK_EXPECTED, NEW_YORK_EXDATES),
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("readers")
    files = {}
    for name, (text, *_rest) in CASES.items():
        plan = write_plan(folder, text, f"{name}.toml")
        result = export(plan, "--no-state")
        assert result.code == 0, result.stderr
        files[name] = plan.with_suffix(".ics")
    return files


# -- recurring-ical-events -----------------------------------------------------------------

def _utc(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).replace(tzinfo=None).isoformat() + "Z"


def python_occurrences(path: Path) -> dict[str, list[Any]]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    found: dict[str, list[Any]] = defaultdict(list)
    for event in recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2029, 1, 1)):
        found[str(event["SUMMARY"])].append((event["DTSTART"].dt, event["DTEND"].dt))
    return {k: sorted(v, key=lambda se: str(se[0])) for k, v in found.items()}


@pytest.mark.parametrize("case", list(CASES))
def test_recurring_ical_events_expands_meetings_and_sessions(case: str,
                                                             exported: dict[str, Path]) -> None:
    _text, zone, expected, _ex = CASES[case]
    found = python_occurrences(exported[case])
    for summary, occurrences in expected.items():
        got = found.get(summary)
        assert got is not None, f"{summary!r} missing; found {sorted(found)}"
        as_read = [(start.replace(tzinfo=None).isoformat(), _utc(start)) for start, _ in got]
        assert as_read == occurrences, summary
        for start, end in got:
            assert isinstance(start, datetime) and start.tzinfo is not None, "floating time"
            assert getattr(start.tzinfo, "key", None) == zone
            assert end > start


def test_london_meeting_lengths_and_clock_changes(exported: dict[str, Path]) -> None:
    found = python_occurrences(exported["london"])
    for summary, length in LONDON_LENGTH.items():
        assert {end - start for start, end in found[summary]} == {length}
    advisory = {start.date(): start for start, _ in found["Advisory group"]}
    # The Mondays either side of each clock change: same wall-clock time, an hour apart in UTC.
    assert _utc(advisory[date(2027, 3, 22)]) == "2027-03-22T14:00:00Z"
    assert _utc(advisory[date(2027, 4, 5)]) == "2027-04-05T13:00:00Z"
    assert _utc(advisory[date(2027, 10, 18)]) == "2027-10-18T13:00:00Z"
    assert _utc(advisory[date(2027, 11, 1)]) == "2027-11-01T14:00:00Z"
    assert {s.hour for s in advisory.values()} == {14}
    for skipped in LONDON_SKIPPED_MONDAYS:
        assert skipped not in advisory, f"{LONDON_SKIPPED_MONDAYS[skipped]} should be skipped"


def test_all_day_items_are_dates_with_exclusive_end(exported: dict[str, Path]) -> None:
    from coplan.planfile import parse_plan
    from coplan.schedule import schedule

    found = python_occurrences(exported["london"])
    milestone = found["Milestone: Findings shared"]
    assert milestone == [(date(2027, 12, 1), date(2027, 12, 2))]
    checkpoints = sorted((s, e) for k, v in found.items() if k.startswith("Stop and take stock")
                         for s, e in v)
    assert checkpoints
    for start, end in checkpoints:
        assert type(start) is date and type(end) is date
        assert end == start + timedelta(days=1)
    # ... on the days the schedule gives.
    sched = schedule(parse_plan(LONDON, "london.toml"))
    assert [s for s, _ in checkpoints] == [c.day for c in sched.checkpoints]


# -- ical.js --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def icaljs() -> Path:
    node = need("node")
    npm = need("npm")
    if not (JS / "node_modules" / "ical.js" / "package.json").exists():
        command = [npm, "ci", "--prefix", str(JS), "--no-audit", "--no-fund"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600,
                                cwd=JS)
        if result.returncode != 0:
            message = f"npm ci could not install ical.js:\n{result.stderr[-2000:]}"
            if os.environ.get("COPLAN_REQUIRE_TOOLS"):
                pytest.fail(message)
            pytest.skip(message)
    return Path(node)


def read_with_icaljs(node: Path, path: Path, limit: int = 100) -> dict[str, Any]:
    result = subprocess.run([str(node), str(JS / "read_ics.mjs"), str(path), str(limit)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.external
@pytest.mark.parametrize("case", list(CASES))
def test_icaljs_expands_meetings_and_sessions(case: str, icaljs: Path,
                                              exported: dict[str, Path]) -> None:
    _text, zone, expected, exdates = CASES[case]
    data = read_with_icaljs(icaljs, exported[case])
    assert data["version"] == "2.0"
    assert data["method"] == "PUBLISH"
    assert data["timezones"] == [zone]
    for summary, occurrences in expected.items():
        matching = [e for e in data["events"] if e["summary"] == summary]
        assert len(matching) == 1, summary
        event = matching[0]
        got = [(o["start"]["local"], o["start"]["utc"]) for o in event["occurrences"]]
        assert got == occurrences, summary
        for o in event["occurrences"]:
            # The zone was found (ical.js has no zone database: it came from the VTIMEZONE).
            assert o["start"]["zone"] == zone and o["end"]["zone"] == zone
            assert not o["start"]["isDate"]
        if summary in exdates:
            assert event["rrule"] and event["rrule"].startswith("FREQ=WEEKLY")
            assert sorted((x["local"], x["utc"]) for x in event["exdates"]) == exdates[summary]
        else:
            assert event["rrule"] is None and event["exdates"] == []
        assert [a["trigger"] for a in event["alarms"]] == ["-P1D"]


@pytest.mark.external
def test_icaljs_reads_all_day_items(icaljs: Path, exported: dict[str, Path]) -> None:
    data = read_with_icaljs(icaljs, exported["london"])
    all_day = [e for e in data["events"] if e["start"]["isDate"]]
    assert {e["summary"] for e in all_day} >= {"Milestone: Findings shared"}
    for event in all_day:
        start = date.fromisoformat(event["start"]["local"])
        end = date.fromisoformat(event["end"]["local"])
        assert event["end"]["isDate"]
        assert end == start + timedelta(days=1)
        assert event["transp"] == "TRANSPARENT"
        assert event["start"]["zone"] == "floating"  # a date belongs to no zone
    milestone = next(e for e in all_day if e["summary"] == "Milestone: Findings shared")
    assert milestone["start"]["local"] == "2027-12-01"


@pytest.mark.external
@pytest.mark.parametrize("case", list(CASES))
def test_both_readers_agree(case: str, icaljs: Path, exported: dict[str, Path]) -> None:
    data = read_with_icaljs(icaljs, exported[case], limit=400)
    theirs = sorted((e["summary"], o["start"]["utc"] or o["start"]["local"],
                     o["end"]["utc"] or o["end"]["local"])
                    for e in data["events"] for o in e["occurrences"])
    ours = sorted((summary, *(_utc(t) if isinstance(t, datetime) else t.isoformat()
                              for t in (start, end)))
                  for summary, found in python_occurrences(exported[case]).items()
                  for start, end in found)
    assert len(ours) > 20 if case == "london" else len(ours) > 8
    assert theirs == ours


def test_js_reader_is_pinned() -> None:
    package = json.loads((JS / "package.json").read_text())
    assert package["dependencies"]["ical.js"][0].isdigit(), "pin an exact version"
    lock = json.loads((JS / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/ical.js"]["version"] == \
        package["dependencies"]["ical.js"]
    assert "ical.js" in (JS / "read_ics.mjs").read_text(encoding="utf-8")


@pytest.mark.external
def test_icaljs_reads_a_zone_whose_clocks_move_for_ramadan(icaljs: Path, tmp_path: Path) -> None:
    """Africa/Casablanca has no yearly rule (its clocks go back for Ramadan, on dates that
    move): ical.js, with no zone database of its own, must find each session's UTC instant
    from the changes the VTIMEZONE lists."""
    plan = write_plan(tmp_path, """\
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
""")
    done = export(plan, "--no-state")
    assert done.code == 0, done.stderr
    out = tmp_path / "plan.ics"
    data = read_with_icaljs(icaljs, out)
    assert data["timezones"] == ["Africa/Casablanca"]
    zone = ZoneInfo("Africa/Casablanca")
    starts = sorted(o["start"]["utc"] for e in data["events"] for o in e["occurrences"]
                    if not o["start"]["isDate"])
    expected = sorted(_utc(datetime(d.year, d.month, d.day, 10, tzinfo=zone))
                      for d in (date(2027, 2, 1), date(2027, 2, 15), date(2027, 3, 22),
                                date(2028, 2, 14)))
    assert starts == expected
    assert expected[1] == "2027-02-15T10:00:00Z" and expected[0] == "2027-02-01T09:00:00Z"



# -- sessions the delivery record moved or cancelled ---------------------------------------

MOVED_AND_CANCELLED = """
    [[stage.touchpoint.record]]
    session = 1
    status = "moved"
    on = 2027-03-26
    why = "Sam was unwell"
"""
CANCELLED = """
    [[stage.touchpoint.record]]
    session = 1
    status = "cancelled"
    why = "the venue flooded"
"""


def _with_records(text: str) -> str:
    moved = 'when = 2027-03-24\n  time = "10:30"\n  length = "2h"\n'
    gone = 'when = 2027-03-31\n  time = "10:30"\n  length = "2h"\n'
    assert moved in text and gone in text
    return text.replace(moved, moved + MOVED_AND_CANCELLED).replace(gone, gone + CANCELLED)


def _sessions(data: bytes) -> dict[str, Any]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")
            if "session" in [str(c) for c in e.get("categories").cats]}


def test_a_moved_session_is_on_its_new_day_and_a_cancelled_one_is_cancelled(
        tmp_path: Path) -> None:
    """An earlier export put both sessions on their planned days; exported again after the
    record says one moved and one was cancelled, the same UIDs come back with a higher
    SEQUENCE: the moved one on its new day, the cancelled one with STATUS:CANCELLED, so a
    calendar that has them updates the one and removes the other."""
    path = write_plan(tmp_path, LONDON, "london.toml")
    first = export(path)
    assert first.code == 0, first.stderr
    before = _sessions(first.data)
    path.write_text(_with_records(LONDON), encoding="utf-8")
    second = export(path)
    assert second.code == 0, second.stderr
    after = _sessions(second.data)
    assert set(after) == set(before)  # the same UIDs: updated, not duplicated
    london = ZoneInfo("Europe/London")
    by_summary = {str(e["summary"]): e for e in after.values()}
    moved = next(e for s, e in by_summary.items() if s.startswith("Spring session before"))
    gone = next(e for s, e in by_summary.items() if "after the clocks" in s)
    assert moved.decoded("dtstart") == datetime(2027, 3, 26, 10, 30, tzinfo=london)
    assert "STATUS" not in moved
    assert str(gone["status"]) == "CANCELLED"
    assert str(gone["summary"]).startswith("Cancelled: ")
    assert gone.decoded("dtstart") == datetime(2027, 3, 31, 10, 30, tzinfo=london)
    for uid in (str(moved["uid"]), str(gone["uid"])):
        assert int(after[uid]["sequence"]) == int(before[uid]["sequence"]) + 1
    # The reason is the team's: often someone's health, it never goes in a calendar.
    assert "unwell" not in second.text and "flooded" not in second.text
    assert "Moved from Wednesday 24 March 2027." in str(moved["description"])
    # No reminder for a cancelled session.
    assert not gone.walk("VALARM")
    # Exported again with nothing changed, the sequences stay where they are.
    third = _sessions(export(path).data)
    assert {u: int(e["sequence"]) for u, e in third.items()} == \
        {u: int(e["sequence"]) for u, e in after.items()}


@pytest.mark.external
def test_icaljs_reads_moved_and_cancelled_sessions(icaljs: Path, tmp_path: Path) -> None:
    path = write_plan(tmp_path, _with_records(LONDON), "london.toml")
    done = export(path)
    assert done.code == 0, done.stderr
    data = read_with_icaljs(icaljs, path.with_name("london.ics"))
    events = {e["summary"]: e for e in data["events"]}
    moved = next(e for s, e in events.items() if s.startswith("Spring session before"))
    gone = next(e for s, e in events.items() if "after the clocks" in s)
    assert moved["start"]["local"] == "2027-03-26T10:30:00"
    assert moved["start"]["utc"] == "2027-03-26T10:30:00Z"  # (GMT until 28 March)
    assert moved["status"] is None
    assert gone["status"] == "CANCELLED"
    assert gone["start"]["local"] == "2027-03-31T10:30:00"


def test_a_session_moved_or_cancelled_has_a_higher_sequence_without_the_state(
        tmp_path: Path) -> None:
    """Trial 11: a cancelled session came out with SEQUENCE:0 where the export kept no
    state from before (the first export after the record, --no-state, another computer,
    the state file deleted), so a calendar that had imported it as planned could keep it.
    RFC 5545 asks SEQUENCE to rise with each change of status or time: a session the
    record shows moved or cancelled is 1 at the least, whatever the state says; the
    others stay 0."""
    (tmp_path / "before").mkdir()
    planned = _sessions(export(write_plan(tmp_path / "before", LONDON, "london.toml"),
                               "--no-state").data)
    assert {int(e["sequence"]) for e in planned.values()} == {0}
    path = write_plan(tmp_path, _with_records(LONDON), "london.toml")
    for args in (["--no-state"], []):  # without the state, and with a fresh one
        after = _sessions(export(path, *args).data)
        assert set(after) == set(planned)
        changed = {u for u, e in after.items()
                   if str(e.get("status", "")) == "CANCELLED" or "Moved from" in
                   str(e["description"])}
        assert len(changed) == 2
        for uid, event in after.items():
            assert int(event["sequence"]) == (1 if uid in changed else 0), event["summary"]
    # A state saved before (the sessions already changed, at 0) is raised too, and kept.
    state = path.with_name(".london.ics-state.json")
    saved = json.loads(state.read_text(encoding="utf-8"))
    for entry in saved["events"].values():
        entry["sequence"] = 0
    state.write_text(json.dumps(saved), encoding="utf-8")
    again = _sessions(export(path).data)
    assert sorted(int(e["sequence"]) for e in again.values()).count(1) == 2


def test_a_session_moved_then_cancelled_has_had_two_changes(tmp_path: Path) -> None:
    from dataclasses import replace

    from coplan.export.ics import record_changes
    from coplan.planfile import load_plan
    from coplan.schedule import schedule

    session = schedule(load_plan(write_plan(tmp_path, LONDON, "plain.toml"))).sessions[0]
    moved = replace(session, planned_day=session.day - timedelta(days=2), status="moved")
    assert [record_changes(s) for s in (session, moved, replace(session, status="cancelled"),
                                        replace(moved, status="cancelled"))] == [0, 1, 1, 2]


@pytest.mark.external
def test_icaljs_reads_the_raised_sequence_of_a_cancelled_session(icaljs: Path,
                                                                 tmp_path: Path) -> None:
    path = write_plan(tmp_path, _with_records(LONDON), "london.toml")
    assert export(path, "--no-state").code == 0
    data = read_with_icaljs(icaljs, path.with_name("london.ics"))
    events = {e["summary"]: e for e in data["events"]}
    gone = next(e for s, e in events.items() if "after the clocks" in s)
    moved = next(e for s, e in events.items() if s.startswith("Spring session before"))
    assert gone["status"] == "CANCELLED" and gone["sequence"] == 1
    assert moved["sequence"] == 1
