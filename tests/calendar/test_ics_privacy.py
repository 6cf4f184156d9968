"""Nothing personal leaves the plan through a calendar.

A plan full of personal details (names shared and not, email addresses, organisations,
access needs, a diagnosis written as a free-text need, names inside the team's own free
text and ids) is exported for every audience.  In every calendar, anywhere in the bytes:
no email address, no organisation, no free-text need, no name of anyone who did not agree to
share it (in any case, even inside a UID), and need labels only as the session's access
arrangements, never beside a person.  Shared names do appear, and a person's calendar holds
only the sessions and meetings they are in.
"""

from __future__ import annotations

import re

import pytest
from icskit import Component, categories, export, parse, unfold, write_plan

PLAN = """\
[project]
title = "Listening to Samira Khan's story"
start = 2027-03-01
timezone = "Europe/London"
holidays = "GB-ENG"
summary = "Samira Khan and Al Brown, with Priya Nair, look at crisis care."

[project.reflection]
every = "2w"
prompts = ["Did Samira feel heard?", "What did Jo Bloggs say about Al?",
           "Is Dr Nair still able to come?", "How is Sam Jones?"]

[[person]]
id = "samira"
name = "Samira Khan"
kind = "lived-experience"
share_name = false
needs = ["bsl-interpreter", "other: diagnosis of bipolar disorder"]
needs_asked = 2027-01-01
email = "samira.khan@example.org"
organisation = "Mindful Futures charity"
papers_ahead = "2w"
role = "Co-researcher; recently discharged from Ward 7"

[[person]]
id = "al"
name = "Al Brown"
kind = "carer"
share_name = false
needs = ["other: caring for a son with autism"]
needs_asked = 2027-01-01
email = "al.brown@example.net"

[[person]]
id = "jo"
name = "Jo Bloggs"
kind = "lived-experience"
share_name = true
needs = ["childcare"]
needs_asked = 2027-01-01
email = "jo@example.com"

[[person]]
id = "lee"
name = "Lee Grant"
kind = "researcher"
share_name = true
email = "lee.grant@uni.example.ac.uk"
organisation = "University of Exampleton"

[[person]]
id = "priya"
name = "Dr Priya Nair"
kind = "clinician"
share_name = false
email = "p.nair@nhs.example"
organisation = "Riverside Trust"

[[person]]
id = "sam-h"
name = "Sam Hill"
kind = "lived-experience"
share_name = true

[[person]]
id = "sam-j"
name = "Sam Jones"
kind = "carer"
share_name = false
needs = ["other: hearing voices at night"]
needs_asked = 2027-01-01

[governance]
lead = "lee"
co_leads = ["samira"]

[payment]
standard = "hourly"
rate = "£25 an hour, agreed with Samira and Al"

[support]
contact = "lee"
withdraw = "Anyone can stop at any time."

[[stage]]
id = "aims"
title = "Samira's aims"
duration = "4w"
can_change = "What Al and Samira decide to focus on"
fixed = "Dr Nair's clinic times"

  [[stage.decision]]
  id = "focus"
  what = "Which of Samira's experiences we focus on"

  [[stage.touchpoint]]
  id = "interview-samira"
  title = "Interview with Samira Khan"
  purpose = "Samira and Al tell their stories; Jo Bloggs chairs, Sam Hill takes notes."
  format = "one-to-one"
  ladder = "co-production"
  role = "decision-maker"
  who = ["samira", "al", "lee"]
  access = [
    "bsl-interpreter",
    "other: diagnosis of bipolar disorder",
    "other: caring for a son with autism",
    "other: step-free room",
  ]
  support = ["named-contact", "other: Al's cousin can come along"]
  aftercare = ["debrief"]
  where = "Samira's home, or Brown family kitchen"
  feedback = "Al will hear back from Lee Grant"
  feedback_within = "1w"
  papers_ahead = "2w"
  influences = ["focus"]
  time = "11:00"
  heard_by = "Priya Nair"

  [[stage.touchpoint]]
  id = "group"
  title = "Group session"
  purpose = "Jo Bloggs and Sam Hill plan the next step; Sam Jones joins by phone."
  format = "workshop"
  who = ["jo", "lee", "sam-h"]
  access = ["childcare"]
  when = "+1w"

  [[stage.touchpoint]]
  id = "clinic-priya"
  title = "Clinical advice from Dr Priya Nair"
  format = "workshop"
  who = ["priya", "sam-j", "jo"]
  access = ["childcare", "other: hearing voices at night"]
  when = "+2w"
  where = "Nair's clinic"

  [[stage.touchpoint]]
  id = "researchers"
  title = "Researchers' planning"
  format = "other"
  who = ["lee", "priya"]
  when = "+3w"

[[stage]]
id = "report"
title = "Report for Samira"
duration = "0d"
after = ["aims"]

[[meeting]]
id = "advisory"
title = "Advisory group with Khan"
every = "2w"
day = "tue"
time = "14:00"
length = "1h"
who = ["samira", "jo", "lee", "priya"]
where = "Room 2; ask Samira or Priya"
purpose = "Samira Khan chairs; Al Brown sends apologies."

[[meeting]]
id = "al-check-in"
title = "Carers' check-in with Al"
every = "4w"
day = "thu"
time = "16:00"
length = "30m"
who = ["al", "sam-j"]
where = "Phone: Al calls Sam Jones"
"""

# Words that must never appear, in any case, anywhere in the file.
NEVER = ["samira", "khan", "priya", "nair", "jones", "brown", "@example", "example.",
         "exampleton", "mindful", "riverside", "bipolar", "diagnosis", "autism",
         "caring for a son", "hearing voices", "ward 7", "bsl-interpreter",
         "needs_asked"]
# Short names: as whole words, with their capital (so "also" or "all" do not count).
NEVER_WORDS = [r"\bAl\b", r"\bAl's\b"]
SHARED = ["Jo Bloggs", "Lee Grant", "Sam Hill"]
NEED_LABELS = ["British Sign Language interpreter", "Childcare"]

# Who is in what (keyword of the event's title -> person ids), written out from the plan.
ATTENDS = {
    "Interview": {"samira", "al", "lee"},
    "Group session": {"jo", "lee", "sam-h"},
    "Clinical advice": {"priya", "sam-j", "jo"},
    "Researchers' planning": {"lee", "priya"},
    "Advisory group": {"samira", "jo", "lee", "priya"},
    "check-in": {"al", "sam-j"},
}
PEOPLE = ["samira", "al", "jo", "lee", "priya", "sam-h", "sam-j"]
LIVED = {"samira", "al", "jo", "sam-h", "sam-j"}
AUDIENCES = ["team", "lived-experience", "leads", *PEOPLE]
ALL = "sessions,checkpoints,meetings,milestones,buffers"


@pytest.fixture(scope="module")
def calendars(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("privacy")
    # Even the file's name holds a name: it is the stable part of every UID.
    plan = write_plan(folder, PLAN, "samira-khan-project.toml")
    out = {}
    for audience in AUDIENCES:
        result = export(plan, "--no-state", "--include", ALL, "--audience", audience,
                        out=folder / f"{audience}.ics")
        assert result.code == 0, result.stderr
        out[audience] = result.data
    return out


def readable(data: bytes) -> str:
    """The whole file as one text: unfolded, with TEXT escapes undone."""
    text = "\n".join(unfold(data))
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def timed_keywords(cal: Component) -> set[str]:
    found = set()
    for event in cal.events:
        if categories(event) & {"session", "meeting"}:
            summary = event.text("SUMMARY")
            matches = [k for k in ATTENDS if k in summary]
            assert len(matches) == 1, summary
            found.add(matches[0])
    return found


@pytest.mark.parametrize("audience", AUDIENCES)
def test_nothing_personal_in_any_calendar(calendars: dict[str, bytes], audience: str) -> None:
    data = calendars[audience]
    for form in (data.decode("utf-8"), readable(data), data.decode().replace("\r\n ", "")):
        lowered = form.lower()
        for word in NEVER:
            assert word not in lowered, f"{word!r} in the {audience} calendar"
        for pattern in NEVER_WORDS:
            assert not re.search(pattern, form), f"{pattern} in the {audience} calendar"
    # The only addresses are the organiser's no-reply one and the UIDs' domain.
    for address in re.findall(r"[\w.+-]+@[\w.-]+", readable(data)):
        assert address in ("no-reply@coplan.invalid", ) or \
            re.fullmatch(r"[a-z]+-[0-9a-f]{32}@coplan", address), address


@pytest.mark.parametrize("audience", AUDIENCES)
def test_needs_only_as_a_sessions_arrangements(calendars: dict[str, bytes],
                                               audience: str) -> None:
    text = readable(calendars[audience])
    for line in text.split("\n"):
        if any(label in line for label in NEED_LABELS):
            assert line.startswith(("DESCRIPTION:Access arrangements:",
                                    "Access arrangements:")), line
        # A line that names or describes a person never also holds a need.
        if "Who takes part" in line or "(carer)" in line or "lived experience)" in line:
            assert not any(label in line for label in NEED_LABELS), line
    assert "needs" not in text.replace("as access needs ask", "")


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_session_says_the_same_of_its_arrangements(calendars: dict[str, bytes],
                                                         audience: str) -> None:
    """The interview has a BSL interpreter and the team's own words (which here say a
    diagnosis); the researchers' planning has nothing arranged.  Listed or counted, what
    each session shows would say who needs what to anyone who sees who takes part: every
    session says the same one line, that arrangements are made with individual people."""
    text = readable(calendars[audience])
    lines = [x for x in text.split("\n") if x.startswith(("Access arrangements:",
                                                          "DESCRIPTION:Access arrangements:"))]
    descriptions = [x for x in text.split("\n") if x.startswith("DESCRIPTION:Part of:")]
    assert lines, audience
    assert {x.removeprefix("DESCRIPTION:") for x in lines} == {
        "Access arrangements: arrangements made with individual people, not listed"}
    # one on every session the calendar holds (the researchers' planning included)
    assert len(lines) == len(descriptions), (len(lines), len(descriptions))
    assert "BSL" not in text and "bipolar" not in text and "Childcare" not in text


@pytest.mark.parametrize("audience", ["team", "leads", "jo", "lee"])
def test_shared_names_appear(calendars: dict[str, bytes], audience: str) -> None:
    text = readable(calendars[audience])
    for name in SHARED:
        if audience in ("team", "leads"):
            assert name in text, name
    assert "Jo Bloggs" in text  # Jo is in sessions all four calendars hold
    # Hidden people appear by initials and role.
    if audience in ("team", "leads"):
        assert "S.K. (person with lived experience)" in text
        assert "A.B. (carer)" in text
        assert "S.J. (carer)" in text


def test_a_shared_full_name_is_left_whole(calendars: dict[str, bytes]) -> None:
    # Sam Hill shares their name; Sam Jones does not.  "Sam Hill" stays as written, while a
    # bare "Sam" in free text could be either and is hidden.
    text = readable(calendars["team"])
    assert "Jo Bloggs and Sam Hill plan the next step; S.J. joins by phone." in text
    assert "Sam Hill takes notes" in text
    assert "How is S.J.?" in text


def test_titles_are_not_taken_for_names(calendars: dict[str, bytes]) -> None:
    text = readable(calendars["team"])
    assert "Is Dr P.N. still able to come?" in text
    # A full name is replaced whole, title and all.
    assert "Clinical advice from P.N.: S.K.'s aims" in text


def test_reflection_prompts_and_every_free_text_are_redacted(calendars: dict[str, bytes]
                                                              ) -> None:
    text = readable(calendars["team"])
    assert "- Did S.K. feel heard?" in text
    assert "- What did Jo Bloggs say about A.B.?" in text
    assert "X-WR-CALNAME:Listening to S.K.'s story: co-production calendar" in text
    assert 'ORGANIZER;CN="Listening to S.K.\'s story (involvement lead)"' in text
    assert "What this session is for: S.K. and A.B. tell their stories" in text
    assert "What can change because of it: Which of S.K.'s experiences we focus on" in text
    assert "What cannot change, and why: Dr P.N.'s clinic times" in text
    assert "LOCATION:S.K.'s home, or A.B. family kitchen" in text
    assert "DESCRIPTION:Tomorrow: Interview with S.K.: S.K.'s aims" in text
    assert "Where: Room 2; ask S.K. or P.N." in text


@pytest.mark.parametrize("audience", ["team", "leads", *PEOPLE])
def test_a_persons_calendar_holds_only_what_they_attend(calendars: dict[str, bytes],
                                                        audience: str) -> None:
    found = timed_keywords(parse(calendars[audience]))
    if audience in ("team", "leads"):
        assert found == set(ATTENDS)
    else:
        assert found == {k for k, who in ATTENDS.items() if audience in who}


def test_lived_experience_calendar(calendars: dict[str, bytes]) -> None:
    found = timed_keywords(parse(calendars["lived-experience"]))
    assert found == {k for k, who in ATTENDS.items() if who & LIVED}
    assert "Researchers' planning" not in found


def test_papers_reminder_for_the_lead_only(calendars: dict[str, bytes]) -> None:
    for audience in AUDIENCES:
        has = b"Papers out today" in calendars[audience]
        # lee leads, samira co-leads; both attend the interview, which sends papers ahead.
        assert has == (audience in ("leads", "lee", "samira")), audience
