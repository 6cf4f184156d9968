"""The rules calendar programs depend on, checked on the bytes ``coplan export ics`` writes.

Stable UIDs and rising SEQUENCE (so re-importing replaces events instead of duplicating
them), DTSTAMP in UTC, a fixed PRODID, METHOD:PUBLISH with an organiser and no attendees,
all-day items as transparent dates, reminders, filters, and byte-identical output for the
same plan and options.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from icskit import (
    EXAMPLES,
    Component,
    by_summary,
    categories,
    export,
    export_process,
    parse,
    unfold,
    write_plan,
)

from coplan.export.ics import PRODID, state_path
from coplan.planfile import parse_plan
from coplan.schedule import schedule

PLAN = """\
[project]
title = "Sequence study"
start = 2027-01-11
timezone = "Europe/London"
holidays = "GB-ENG"

[[person]]
id = "sam"
name = "Sam Reed"
kind = "lived-experience"

[[person]]
id = "kim"
name = "Kim Lowe"
kind = "researcher"
share_name = true

[governance]
lead = "kim"

[[stage]]
id = "aims"
title = "Agreeing aims"
duration = "3w"

  [[stage.touchpoint]]
  id = "kick-off"
  title = "Kick-off"
  format = "workshop"
  who = ["sam", "kim"]
  when = "start"
  time = "10:00"
  papers_ahead = "1w"

  [[stage.touchpoint]]
  id = "aims-check"
  title = "Checking the aims"
  format = "workshop"
  who = ["sam", "kim"]
  when = "+2w"
  time = "14:00"

[[stage]]
id = "design"
title = "Designing"
duration = "4w"
after = ["aims"]

  [[stage.touchpoint]]
  id = "design-ws"
  title = "Design workshop"
  format = "co-design-session"
  who = ["sam", "kim"]
  when = ["start", "+2w"]
  time = "10:00"

[[stage]]
id = "launch"
title = "Launch"
duration = "0d"
after = ["design"]

[[meeting]]
id = "advisory"
title = "Advisory group"
every = "2w"
day = "wed"
time = "14:00"
length = "1h"
who = ["sam", "kim"]
where = "Room 1"
"""

ALL = "sessions,checkpoints,meetings,milestones,buffers"
KICK_OFF = "Kick-off: Agreeing aims"
AIMS_CHECK = "Checking the aims: Agreeing aims"
DESIGN = ("Design workshop: Designing (1 of 2)", "Design workshop: Designing (2 of 2)")
LAUNCH = "Milestone: Launch"
ADVISORY = "Advisory group"


def sequences(cal: Component) -> dict[str, int]:
    return {e.text("SUMMARY"): int(e.get("SEQUENCE") or -1)
            for e in cal.events if not e.text("SUMMARY").startswith("Stop and take stock")}


def uids(cal: Component) -> dict[str, str]:
    return {e.text("SUMMARY"): e.get("UID") or "" for e in cal.events
            if not e.text("SUMMARY").startswith("Stop and take stock")}


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return write_plan(tmp_path, PLAN)


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    path = tmp_path / "teaching-workshop.toml"
    shutil.copy(EXAMPLES / "teaching-workshop.toml", path)
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- UIDs -----------------------------------------------------------------------------------

def test_uids_unique_stable_and_one_event_each(workshop: Path, tmp_path: Path) -> None:
    first = export(workshop, "--no-state", "--include", ALL).calendar
    second = export(workshop, "--no-state", "--include", ALL,
                    stamp="2028-06-01T12:00:00Z").calendar
    ids = [e.get("UID") for e in first.events]
    assert len(ids) == len(set(ids)) > 20
    assert all(re.fullmatch(r"[a-z]+-[0-9a-f]{32}@coplan", i or "") for i in ids), ids[:3]
    assert [e.get("UID") for e in second.events] == ids
    # The same event has the same UID in every audience's calendar.
    team = {e.text("SUMMARY") + (e.get("DTSTART") or ""): e.get("UID") for e in first.events}
    for audience in ("leads", "lived-experience", "jon"):
        cal = export(workshop, "--no-state", "--include", ALL, "--audience", audience).calendar
        for event in cal.events:
            assert team[event.text("SUMMARY") + (event.get("DTSTART") or "")] == \
                event.get("UID")
    # Another plan (another file) gets other UIDs.
    other = tmp_path / "another-workshop.toml"
    shutil.copy(workshop, other)
    theirs = {e.get("UID") for e in export(other, "--no-state", "--include", ALL).calendar.events}
    assert not theirs & set(ids)


def test_checkpoint_uids_follow_what_the_checkpoint_is(tmp_path: Path) -> None:
    """After an edit that moves the schedule (and adds a stop between phases), every
    checkpoint that is still there keeps its UID and its title; only moved ones rise in
    SEQUENCE, and the new stop gets a UID of its own."""
    minds = tmp_path / "minds-discharge.toml"
    shutil.copy(EXAMPLES / "minds-discharge.toml", minds)

    def checkpoints(cal: Component) -> dict[str, tuple[str, str, int]]:
        return {e.get("UID") or "": (e.text("SUMMARY"), e.get("DTSTART") or "",
                                     int(e.get("SEQUENCE") or 0))
                for e in cal.events if "reflection" in categories(e)}

    before = checkpoints(export(minds, "--include", "checkpoints").calendar)
    assert len(before) == 15
    # (A stage not yet started: those already done keep the dates they actually had.)
    edit(minds, 'title = "Making sense of what people told us"\nphase = "analyse"\n'
                'duration = "7w"',
         'title = "Making sense of what people told us"\nphase = "analyse"\n'
         'duration = "21w"')
    after = checkpoints(export(minds, "--include", "checkpoints").calendar)
    kept = before.keys() & after.keys()
    assert len(kept) >= 14 and len(after) > len(before)
    for uid in kept:
        (title, day, _), (new_title, new_day, sequence) = before[uid], after[uid]
        assert new_title == title, (title, new_title)
        assert sequence == (0 if new_day == day else 1), (title, day, new_day)
    assert any(after[uid][1] != before[uid][1] for uid in kept), "the edit moves checkpoints"
    phase_ends = {t for t, _, _ in before.values() if "after" in t}
    assert phase_ends <= {after[uid][0] for uid in kept}
    assert len(after) == len(set(after))


# -- SEQUENCE -------------------------------------------------------------------------------

def test_first_export_writes_state_beside_the_plan(plan: Path) -> None:
    assert state_path(plan) == plan.with_name(".plan.ics-state.json")
    assert not state_path(plan).exists()
    result = export(plan, "--include", ALL)
    assert result.code == 0, result.stderr
    assert set(sequences(result.calendar).values()) == {0}
    state = json.loads(state_path(plan).read_text(encoding="utf-8"))
    assert set(state["events"]) == {e.get("UID") for e in result.calendar.events}
    # Nothing changed: the same bytes again, and the same sequences.
    again = export(plan, "--include", ALL)
    assert again.data == result.data


def test_moving_one_session_raises_only_its_sequence(plan: Path) -> None:
    before = export(plan).calendar
    edit(plan, 'when = "+2w"', 'when = "+1w"')
    moved = export(plan).calendar
    assert uids(moved) == uids(before)
    assert sequences(moved) == {**sequences(before), AIMS_CHECK: 1}
    # A new time of day for another session.
    edit(plan, 'when = "start"\n  time = "10:00"', 'when = "start"\n  time = "11:30"')
    retimed = export(plan).calendar
    assert sequences(retimed) == {**sequences(before), AIMS_CHECK: 1, KICK_OFF: 1}
    assert "T113000" in (by_summary(retimed)[KICK_OFF].get("DTSTART") or "")
    # Moved again: the sequence keeps rising; re-exporting unchanged keeps it.
    edit(plan, 'when = "+1w"', 'when = "end"')
    assert sequences(export(plan).calendar)[AIMS_CHECK] == 2
    assert sequences(export(plan).calendar)[AIMS_CHECK] == 2


def test_longer_stage_moves_what_follows(plan: Path) -> None:
    before = export(plan, "--include", ALL).calendar
    edit(plan, 'duration = "3w"', 'duration = "4w"')
    after = export(plan, "--include", ALL).calendar
    old, new = sequences(before), sequences(after)
    assert uids(after).items() >= {k: v for k, v in uids(before).items() if k in new}.items()
    # The first stage's own sessions did not move ...
    assert new[KICK_OFF] == 0 and new[AIMS_CHECK] == 0
    # ... everything after it did, and the standing meeting now runs a week longer.
    for summary in (*DESIGN, LAUNCH, ADVISORY):
        assert old[summary] == 0 and new[summary] == 1, summary
        assert by_summary(before)[summary].get("DTSTART") != \
            by_summary(after)[summary].get("DTSTART") or summary == ADVISORY
    assert by_summary(before)[ADVISORY].get("RRULE") != by_summary(after)[ADVISORY].get("RRULE")


def test_changing_a_meetings_place_raises_its_sequence(plan: Path) -> None:
    before = export(plan).calendar
    edit(plan, 'where = "Room 1"', 'where = "Room 2, ground floor"')
    after = export(plan).calendar
    assert sequences(after) == {**sequences(before), ADVISORY: 1}
    assert by_summary(after)[ADVISORY].text("LOCATION") == "Room 2, ground floor"
    edit(plan, 'time = "14:00"\nlength = "1h"', 'time = "15:00"\nlength = "1h"')
    assert sequences(export(plan).calendar)[ADVISORY] == 2
    edit(plan, 'every = "2w"', 'every = "4w"')
    final = export(plan).calendar
    assert sequences(final)[ADVISORY] == 3
    assert "INTERVAL=4" in (by_summary(final)[ADVISORY].get("RRULE") or "")


def test_no_state_gives_sequence_zero_and_leaves_the_state_alone(plan: Path) -> None:
    export(plan)
    edit(plan, 'when = "+2w"', 'when = "+1w"')
    assert sequences(export(plan).calendar)[AIMS_CHECK] == 1
    saved = state_path(plan).read_bytes()
    edit(plan, 'when = "+1w"', 'when = "end"')
    fresh = export(plan, "--no-state")
    assert set(sequences(fresh.calendar).values()) == {0}
    assert state_path(plan).read_bytes() == saved


def test_no_state_writes_no_file(plan: Path) -> None:
    export(plan, "--no-state", "--include", ALL)
    assert not state_path(plan).exists()
    assert [p.name for p in plan.parent.iterdir() if p.name.startswith(".")] == []


def test_state_file_option(plan: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "kept" / "state.json"
    elsewhere.parent.mkdir()
    export(plan, "--state", str(elsewhere))
    assert elsewhere.exists() and not state_path(plan).exists()
    edit(plan, 'when = "+2w"', 'when = "+1w"')
    assert sequences(export(plan, "--state", str(elsewhere)).calendar)[AIMS_CHECK] == 1


def test_damaged_state_file_is_not_fatal(plan: Path) -> None:
    state_path(plan).write_text("{not json", encoding="utf-8")
    result = export(plan)
    assert result.code == 0 and set(sequences(result.calendar).values()) == {0}
    state = json.loads(state_path(plan).read_text(encoding="utf-8"))
    uid = next(iter(state["events"]))
    state["events"][uid]["sequence"] = "many"
    state_path(plan).write_text(json.dumps(state), encoding="utf-8")
    assert export(plan).code == 0


# -- DTSTAMP and determinism -----------------------------------------------------------------

def stamps(cal: Component) -> set[str]:
    return {e.get("DTSTAMP") or "" for e in cal.events}


def test_dtstamp_is_utc_from_stamp(plan: Path) -> None:
    assert stamps(export(plan, "--no-state", stamp="2027-01-04T10:00:00+01:00").calendar) == \
        {"20270104T090000Z"}
    assert stamps(export(plan, "--no-state", stamp="2027-01-04T10:00:00").calendar) == \
        {"20270104T100000Z"}
    assert stamps(export(plan, "--no-state", stamp="2027-07-01T08:15:30-04:00").calendar) == \
        {"20270701T121530Z"}


def test_dtstamp_from_source_date_epoch(plan: Path) -> None:
    result = export(plan, "--no-state", stamp=None, env={"SOURCE_DATE_EPOCH": "1800000000"})
    assert stamps(result.calendar) == {"20270115T080000Z"}
    again = export(plan, "--no-state", stamp=None, env={"SOURCE_DATE_EPOCH": "1800000000"})
    assert again.data == result.data
    # Without either, it is now, still in UTC.
    now = export(plan, "--no-state", stamp=None, env={"SOURCE_DATE_EPOCH": None})
    assert all(re.fullmatch(r"\d{8}T\d{6}Z", s) for s in stamps(now.calendar))


def test_bad_stamp_is_a_plain_message(plan: Path) -> None:
    result = export(plan, "--no-state", stamp="next tuesday")
    assert result.code == 64 and "--stamp" in result.stderr


def test_same_plan_same_options_same_bytes_across_processes(workshop: Path,
                                                           tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2", "3"):
        out = tmp_path / f"out-{seed}.ics"
        done = export_process(workshop, "--no-state", "--include", ALL, "--audience", "leads",
                              out=out, env={"PYTHONHASHSEED": seed,
                                            "SOURCE_DATE_EPOCH": "1800000000"})
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    in_process = export(workshop, "--no-state", "--include", ALL, "--audience", "leads",
                        stamp="2027-01-15T08:00:00Z")
    assert in_process.data == outputs[0]


# -- the calendar's frame --------------------------------------------------------------------

def test_header_organizer_and_no_attendees(workshop: Path) -> None:
    for audience in ("team", "leads", "maya"):
        result = export(workshop, "--no-state", "--include", ALL, "--audience", audience)
        data = result.data
        lines = unfold(data)
        assert lines[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}"]
        assert PRODID == "-//coplan//coplan co-production planner//EN"
        assert "METHOD:PUBLISH" in lines and "CALSCALE:GREGORIAN" in lines
        assert lines[-2:] == ["END:VCALENDAR", ""]
        assert b"ATTENDEE" not in data
        for raw in data.split(b"\r\n"):
            assert len(raw) <= 75, raw
        cal = result.calendar
        assert cal.events
        for event in cal.events:
            for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"):
                event.one(name)
            organizer = event.one("ORGANIZER")
            assert organizer.value == "mailto:no-reply@coplan.invalid"
            assert organizer.params["CN"].endswith("(involvement lead)")


def test_timed_events_carry_the_plans_zone(workshop: Path) -> None:
    cal = export(workshop, "--no-state", "--include", ALL).calendar
    zones = cal.sub("VTIMEZONE")
    assert [z.get("TZID") for z in zones] == ["Europe/London"]
    for event in cal.events:
        for name in ("DTSTART", "DTEND", "EXDATE"):
            for prop in event.all(name):
                if prop.params.get("VALUE") == "DATE":
                    assert re.fullmatch(r"\d{8}", prop.value)
                else:
                    # Never floating (no zone) and never UTC-only: the plan's own zone.
                    assert prop.params.get("TZID") == "Europe/London", (name, prop)
                    assert re.fullmatch(r"\d{8}T\d{6}", prop.value), prop
        if "meeting" in categories(event):
            rule = event.get("RRULE") or ""
            assert re.search(r"UNTIL=\d{8}T\d{6}Z", rule), rule


def test_all_day_items(plan: Path) -> None:
    cal = export(plan, "--no-state", "--include", ALL).calendar
    sched = schedule(parse_plan(PLAN, "plan.toml"))
    buffers = {b.title: b for b in [*sched.buffers, sched.project_buffer] if b}
    seen = set()
    for event in cal.events:
        kinds = categories(event) - {"co-production"}
        start, end = event.one("DTSTART"), event.one("DTEND")
        if kinds & {"reflection", "milestone", "slowing down"}:
            seen |= kinds
            assert start.params == {"VALUE": "DATE"} and end.params == {"VALUE": "DATE"}
            first = date.fromisoformat(start.value)
            last = date.fromisoformat(end.value) - timedelta(days=1)  # DTEND is exclusive
            if "slowing down" in kinds:
                buffer = buffers[event.text("SUMMARY")]
                assert (first, last) == (buffer.start, buffer.end)
            else:
                assert first == last
            assert event.get("TRANSP") == "TRANSPARENT"
            assert not event.sub("VALARM")
        else:
            assert kinds & {"session", "meeting"}
            assert event.get("TRANSP") == "OPAQUE"
    assert seen == {"reflection", "milestone", "slowing down"}
    assert by_summary(cal)[LAUNCH].get("DTSTART") == sched.timing("launch").start.strftime(
        "%Y%m%d")


# -- reminders -------------------------------------------------------------------------------

def alarms(event: Component) -> list[tuple[str, str]]:
    return [(a.get("TRIGGER") or "", a.text("DESCRIPTION")) for a in event.sub("VALARM")]


def papers(cal: Component) -> dict[str, int]:
    """Summary -> days before the session of its 'papers out' reminder."""
    found = {}
    for event in cal.events:
        for trigger, text in alarms(event):
            if text.startswith("Papers out today"):
                m = re.fullmatch(r"-P(\d+)D", trigger)
                assert m, trigger
                found[event.text("SUMMARY")] = int(m.group(1))
    return found


@pytest.mark.parametrize("audience", ["team", "lived-experience", "jon", "leads", "leon",
                                      "maya"])
def test_reminders(workshop: Path, audience: str) -> None:
    cal = export(workshop, "--no-state", "--audience", audience).calendar
    timed = [e for e in cal.events if categories(e) & {"session", "meeting"}]
    assert timed
    for event in timed:
        first = event.sub("VALARM")[0]
        assert first.get("ACTION") == "DISPLAY"
        assert first.get("TRIGGER") == "-P1D"
        assert first.text("DESCRIPTION") == f"Tomorrow: {event.text('SUMMARY')}"
    found = papers(cal)
    lead = audience in ("leads", "leon", "maya")  # the lead and a co-lead
    sessions = {e.text("SUMMARY") for e in timed if "session" in categories(e)}
    if not lead:
        assert found == {}
        return
    # Every session in this plan sends papers ahead: two working weeks (ten working days),
    # or one for the review after the first run.
    ahead = {tp.title: tp.papers_ahead_days
             for tp in parse_plan(workshop.read_text(encoding="utf-8"), "w.toml").touchpoints}
    assert set(found) == sessions
    for summary, days in found.items():
        wanted = next(v for t, v in ahead.items() if summary.startswith(f"{t}: "))
        assert wanted in (5, 10)
        start = date.fromisoformat((by_summary(cal)[summary].get("DTSTART") or "")[-15:-7])
        sent = start - timedelta(days=days)
        assert sent.weekday() < 5, (summary, sent)
        weekdays = sum((sent + timedelta(days=i)).weekday() < 5 for i in range(days))
        # At least that many weekdays ahead; more only for holidays and the half-term.
        assert wanted <= weekdays <= wanted + 5, (summary, days)


def test_papers_reminder_only_when_papers_ahead_is_set(plan: Path) -> None:
    cal = export(plan, "--no-state", "--audience", "leads").calendar
    assert papers(cal) == {KICK_OFF: 7}
    assert papers(export(plan, "--no-state", "--audience", "kim").calendar) == {KICK_OFF: 7}
    assert papers(export(plan, "--no-state", "--audience", "sam").calendar) == {}


# -- filters -------------------------------------------------------------------------------

def _day(prop_value: str) -> date:
    return date.fromisoformat(prop_value[:8])


def test_from_and_to(workshop: Path) -> None:
    first, last = date(2027, 10, 1), date(2027, 11, 10)
    whole = export(workshop, "--no-state", "--include", ALL).calendar
    cut = export(workshop, "--no-state", "--include", ALL, "--from", first.isoformat(),
                 "--to", last.isoformat()).calendar
    assert 0 < len(cut.events) < len(whole.events)
    for event in cut.events:
        start = _day(event.get("DTSTART") or "")
        end = _day(event.get("DTEND") or "")
        if "slowing down" in categories(event):
            assert start <= last and end > first  # overlaps the range
        else:
            assert first <= start <= last, event.text("SUMMARY")
        rule = event.get("RRULE")
        if rule:
            until = re.search(r"UNTIL=(\d{8})", rule)
            assert until and _day(until.group(1)) <= last + timedelta(days=1)
    # Everything in the range is there: the sessions of the whole calendar that fall in it.
    inside = {e.get("UID") for e in whole.events if "session" in categories(e)
              and first <= _day(e.get("DTSTART") or "") <= last}
    assert inside and inside == {e.get("UID") for e in cut.events if "session" in categories(e)}


def test_buffer_across_the_whole_range_is_kept(workshop: Path) -> None:
    # The project buffer runs from 16 to 20 December 2027; a range inside it still shows it.
    cal = export(workshop, "--no-state", "--include", "buffers", "--from", "2027-12-17",
                 "--to", "2027-12-17").calendar
    assert [e.text("SUMMARY") for e in cal.events] == \
        ["Project buffer: time held back to protect the end date"]


@pytest.mark.parametrize(("include", "expected"), [
    ("sessions", {"session"}),
    ("meetings", {"meeting"}),
    ("checkpoints", {"reflection"}),
    ("milestones", {"milestone"}),
    ("buffers", {"slowing down"}),
    ("sessions,meetings", {"session", "meeting"}),
    (ALL, {"session", "meeting", "reflection", "milestone", "slowing down"}),
])
def test_include(plan: Path, include: str, expected: set[str]) -> None:
    cal = export(plan, "--no-state", "--include", include).calendar
    kinds = {k for e in cal.events for k in categories(e)} - {"co-production"}
    assert kinds == expected
    # A VTIMEZONE only when something is timed.
    assert bool(cal.sub("VTIMEZONE")) == bool(expected & {"session", "meeting"})


def test_default_include_leaves_out_buffers(plan: Path) -> None:
    cal = export(plan, "--no-state").calendar
    kinds = {k for e in cal.events for k in categories(e)} - {"co-production"}
    assert kinds == {"session", "meeting", "reflection", "milestone"}


def test_unknown_include_is_a_plain_message(workshop: Path) -> None:
    result = export(workshop, "--no-state", "--include", "sessions,meeting")
    assert result.code == 64
    assert "'meeting'" in result.stderr and "meetings" in result.stderr


@pytest.mark.parametrize(("audience", "hint"), [("lead", "did you mean 'leads'?"),
                                                ("mya", "did you mean 'maya'?"),
                                                ("nobody-at-all", "use team, lived-experience")])
def test_unknown_audience(workshop: Path, tmp_path: Path, audience: str, hint: str) -> None:
    out = tmp_path / "out.ics"
    done = export_process(workshop, "--no-state", "--audience", audience, out=out)
    assert done.returncode == 64
    assert f"'{audience}' is not an audience" in done.stderr and hint in done.stderr
    assert "Traceback" not in done.stderr and "bug" not in done.stderr
    assert not out.exists()


def test_parse_helper_agrees_with_the_raw_text(plan: Path) -> None:
    data = export(plan, "--no-state").data
    assert parse(data).name == "VCALENDAR"
    assert data.count(b"BEGIN:VEVENT") == len(parse(data).events)


# -- descriptions ----------------------------------------------------------------------------

def test_descriptions_say_what_people_need_to_know(workshop: Path) -> None:
    cal = export(workshop, "--no-state", "--include", ALL).calendar
    first = by_summary(cal)["Getting to know each other and agreeing the outcomes: Agreeing "
                            "what students should take away"]
    lines = first.text("DESCRIPTION").split("\n")
    heads = [line.split(":")[0] for line in lines]
    for wanted in ("Part of", "What this session is for", "What can change because of it",
                   "What cannot change, and why", "How", "Who takes part",
                   "Access arrangements", "Papers", "Support", "Afterwards",
                   "How you will hear back", "Payment"):
        assert wanted in heads, wanted
    text = "\n".join(lines)
    assert "What can change because of it: The learning outcomes for the workshop; Which " \
        "topics we cover" in text
    assert "Who takes part: Maya Patel, J. (person with lived experience)" in text
    assert "How you will hear back: The agreed outcomes and ground rules, sent in writing " \
        "within the week (within 5 working days)" in text
    assert "Payment: An involvement fee by the hour (£25 an hour for planning and " \
        "evaluation; £150 for each two-hour teaching session" in text
    assert text.endswith("You can pause or stop at any time; nothing you have earned is lost.")
    assert first.text("LOCATION") == "Medical school, seminar room 3 (step-free), with lunch"
    # One standing meeting: one event, repeating, with its purpose and place.
    meetings = [e for e in cal.events if "meeting" in categories(e)]
    assert len(meetings) == 1
    meeting = meetings[0]
    assert meeting.get("RRULE") and meeting.all("EXDATE")
    described = meeting.text("DESCRIPTION")
    assert described.startswith("What this meeting is for: Keep the work moving")
    assert "every 2 weeks" in described and "Where: Online video call" in described
    # A checkpoint says why, when and what to talk about.
    checkpoint = next(e for e in cal.events if "reflection" in categories(e))
    said = checkpoint.text("DESCRIPTION")
    assert said.startswith("A time to stop and take stock together (")
    assert "Suggested time: 15:00, 1 hour." in said and "\n- " in said


@pytest.mark.parametrize(("what", "stage", "title"), [
    ("Writing the aim together", "Agreeing the aim", "Writing the aim together: Agreeing the aim"),
    ("Learning session 1", "Learning session 1: ward teams plan their first changes",
     "Learning session 1: ward teams plan their first changes"),
    ("learning SESSION 1", "Learning session 1: ward teams", "Learning session 1: ward teams"),
    ("Drop-in for the interviews", "Interviews", "Drop-in for the interviews"),
])
def test_a_session_title_says_each_words_once(what: str, stage: str, title: str) -> None:
    """A session's title is its touchpoint's and its stage's, but once where one already
    holds the other (the service-improvement template's calendar said "Learning session 1:
    Learning session 1: ward teams plan their first changes")."""
    from types import SimpleNamespace

    from coplan.export.scheduledata import session_title

    one = SimpleNamespace(touchpoint=SimpleNamespace(title=what),
                          stage=SimpleNamespace(title=stage), number=1, of=1)
    assert session_title(one) == title
    two = SimpleNamespace(**{**vars(one), "number": 2, "of": 3})
    assert session_title(two) == f"{title} (2 of 3)"
