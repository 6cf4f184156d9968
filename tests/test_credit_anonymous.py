"""A person who chose not to be credited (``credit = "anonymous"``) is never shown by name
or initials in anything made for others: only their own copy names them.

Found by trying the product: the MINDS example's Tendai chose to be anonymous, and the
protocol's acknowledgements and tables, the calendars, the packs and the review's reports
all showed "T." (her initials), so a reader could tell her apart and, in a small group,
work out who she was.  ``share_name`` says whether a name may be shown; ``credit`` how the
person is credited: "anonymous" holds everywhere, whatever ``share_name`` says.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan import privacy
from coplan.cli import cli
from coplan.model import Person, Plan, Project
from coplan.planfile import load_plan
from coplan.privacy import SOMEONE, Redaction, initials
from coplan.sharing import shared_plan
from export_sweep import case_ids, export_cases, exported, exporter_named
from test_privacy_sweep import _text, _without_the_path

ROOT = Path(__file__).resolve().parents[1]
MINDS = ROOT / "examples" / "minds-discharge.toml"

# Names whose initials are all different, whose words are no one else's, and none an
# everyday word (a hidden "Lee" is left in "the lee of the hill": ``EVERYDAY_NAME_WORDS``).
NAMES = ["Tendai Moyo", "Amara Kone", "Sam Ruiz", "Kofi Asante", "Bea Okoro", "Zola Banda"]
CREDITS = [None, "named", "initials", "anonymous"]


def _shows(text: str, person: Person) -> list[str]:
    """Each way ``text`` shows ``person``: a word of their name (any case) or their
    initials as a word of their own."""
    found = [w for w in person.name.split()
             if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", text, re.IGNORECASE)]
    letters = initials(person)
    if re.search(rf"(?<![\w.]){re.escape(letters)}(?![\w])", text):
        found.append(letters)
    return found


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    count = draw(st.integers(min_value=1, max_value=len(NAMES)))
    people = tuple(Person(id=f"p{i}", name=NAMES[i],
                          kind=draw(st.sampled_from(["community", "carer", "researcher"])),
                          share_name=draw(st.booleans()),
                          credit=draw(st.sampled_from(CREDITS)))
                   for i in range(count))
    return Plan(project=Project(title="t"), people=people)


def _texts(plan: Plan) -> list[str]:
    """The team's words about everyone, in every way they write people."""
    out = []
    for p in plan.people:
        first, last = p.name.split()
        out += [f"{p.name} chairs.", f"Ask {first}.", f"{last.upper()} and {first} agreed",
                f"In {initials(p)}'s words", f"Ask {initials(p)}", f"{first.lower()} said so"]
    return out


@settings(max_examples=200, deadline=None)
@given(plans(), st.sampled_from(["team", "lived-experience", "leads", "anonymous", "p0",
                                 "own"]))
def test_no_output_for_others_shows_someone_anonymous(plan: Plan, audience: str) -> None:
    """For every mix of people's choices and every audience, nobody who chose to be
    anonymous is shown in the copy's names, ids or the team's words (the reader's own
    copy excepted), and everyone who did is said alike: a reader cannot tell them
    apart."""
    own = audience == "own"
    hide = Redaction(plan, "p0" if own else audience, own=own,
                     anonymous=audience == "anonymous")
    copy, _ = shared_plan(plan, "p0" if own else audience, own=own,
                          anonymous=audience == "anonymous")
    texts = [hide.text(t) for t in _texts(plan)]
    anonymous = [p for p in plan.people if p.credit == "anonymous" and not (own and p.id == "p0")]
    for p in anonymous:
        shown = copy.people[plan.people.index(p)]
        assert not _shows(shown.name, p), (shown.name, p)
        assert not re.search(r"[A-Z]\.", shown.name), shown.name  # (no initials at all)
        assert shown.name in (SOMEONE, privacy.who_they_are(p)), shown.name
        assert not _shows(shown.id, p), shown.id
        for said in texts:
            assert not _shows(said, p), (said, p)
    for a in anonymous:
        for b in anonymous:
            if privacy.role_of(a) == privacy.role_of(b):
                assert hide.labels[a.id] == hide.labels[b.id]
    if own:  # their own copy names them as the plan does
        assert copy.people[0].name == plan.people[0].name


def test_a_credit_other_than_anonymous_keeps_what_share_name_says() -> None:
    people = (Person(id="a", name="Amara Kone", kind="community", share_name=True,
                     credit="named"),
              Person(id="s", name="Sam Ruiz", kind="community", share_name=False,
                     credit="initials"),
              Person(id="t", name="Tendai Moyo", kind="community", share_name=True,
                     credit="anonymous"))
    hide = Redaction(Plan(project=Project(title="t"), people=people))
    assert hide.text("Amara, Sam and Tendai Moyo met. Ask Tendai.") == \
        "Amara, S.R. and someone met. Ask someone."
    assert hide.labels == {"a": "Amara Kone", "s": "S.R. (community member)",
                           "t": "someone"}
    assert privacy.shown_name(people[2]) == SOMEONE


def test_the_minds_example_never_shows_tendais_initials(tmp_path: Path) -> None:
    plan = load_plan(MINDS)
    tendai = plan.person("tendai")
    assert tendai is not None and tendai.credit == "anonymous" and tendai.name == "T."
    copy, hide = shared_plan(plan)
    assert [p.name for p in copy.people if p.credit == "anonymous"] == [SOMEONE]
    assert hide.text("T. and Sam co-chair; Tendai agreed.") == \
        "Someone and S. co-chair; someone agreed."
    own, _ = shared_plan(plan, "tendai", own=True)
    assert own.person("tendai") is not None and own.person("tendai").name == "T."  # type: ignore[union-attr]


# -- every exporter, audience and report ---------------------------------------------------

PLAN = """\
[project]
title = "Crisis care, planned together"
start = 2027-03-01
timezone = "Europe/London"
holidays = "GB-ENG"
summary = "Tendai Moyo and Zola help plan crisis care; T.M. and Z.B. co-chair."

[[person]]
id = "tendai"
name = "Tendai Moyo"
kind = "community"
share_name = true          # may be named, but chose to be credited anonymously
credit = "anonymous"
role = "Community co-researcher"
needs = []
needs_asked = 2027-01-01

[[person]]
id = "zola"
name = "Zola Banda"
kind = "lived-experience"
share_name = false
credit = "anonymous"
needs = []
needs_asked = 2027-01-01

[[person]]
id = "lee"
name = "Lee Grant"
kind = "researcher"
share_name = true
credit = "named"

[governance]
lead = "lee"

[[stage]]
id = "interview-tendai"
title = "Interviews Tendai leads"
duration = "4w"
can_change = "What Tendai and Zola Banda decide to focus on"

  [[stage.decision]]
  id = "focus"
  what = "Which of Moyo's questions we ask first"

  [[stage.touchpoint]]
  id = "talk-zola"
  title = "Talking with Zola"
  purpose = "Zola tells her story; T.M. takes notes; Z.B. checks them."
  format = "workshop"
  mode = "in-person"
  ladder = "co-production"
  role = "decision-maker"
  who = ["tendai", "zola", "lee"]
  feedback = "Tendai hears back from Lee Grant"
  influences = ["focus"]
  time = "11:00"

[[meeting]]
id = "advisory"
title = "Advisory group with Tendai"
every = "2w"
day = "tue"
time = "14:00"
length = "1h"
who = ["tendai", "zola", "lee"]
purpose = "Tendai Moyo chairs."
"""

NEVER = {"tendai": [r"tendai", r"moyo", r"\bT\.M\.", r"(?<![\w.])T\.(?![\w])"],
         "zola": [r"zola", r"banda", r"\bZ\.B\.", r"(?<![\w.])Z\.(?![\w])"]}


def _assert_nobody_anonymous(text: str, what: str, reader: str = "") -> None:
    """Neither anonymous person is shown (``reader``: the one a document for them alone
    is for, who sees their own name)."""
    for pattern in [p for who, ways in NEVER.items() if who != reader for p in ways]:
        found = re.search(pattern, text, 0 if "\\." in pattern else re.IGNORECASE)
        assert found is None, \
            f"{pattern} in {what}: {text[max(0, found.start() - 60):found.end() + 60]!r}"


@pytest.fixture(scope="module")
def plan_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("credit") / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    return path


CASES = export_cases(("tendai", "zola"))


@pytest.mark.parametrize(("name", "fmt", "audience"), CASES, ids=case_ids(CASES))
def test_no_export_shows_anyone_anonymous(plan_path: Path, name: str, fmt: str,
                                          audience: str) -> None:
    exporter = exporter_named(name)
    # A document for one person alone names them to themselves, and nobody else.
    alone = audience if exporter.for_them_alone and audience not in exporter.audiences else ""
    _assert_nobody_anonymous(_text(exported(plan_path, name, fmt, audience)),
                             f"export {name} --format {fmt} --audience {audience}", alone)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "markdown"])
def test_no_review_report_shows_anyone_anonymous(plan_path: Path, fmt: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(plan_path), "--format", fmt])
    assert result.exit_code in (0, 1), result.output
    _assert_nobody_anonymous(_without_the_path(result.output, plan_path),
                             f"check --format {fmt}")


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_no_schedule_shows_anyone_anonymous(plan_path: Path, fmt: str) -> None:
    result = CliRunner().invoke(cli, ["schedule", str(plan_path), "--format", fmt])
    assert result.exit_code == 0, result.output
    _assert_nobody_anonymous(result.output, f"schedule --format {fmt}")
