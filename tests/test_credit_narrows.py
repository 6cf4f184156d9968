"""A person's chosen credit rules how everything made for others shows them: ``credit``
only narrows ``share_name`` (docs/plan-format.md, "share_name and credit").

Found by trying the product: a person with ``share_name = true`` and ``credit =
"initials"`` was named in full in the protocol's tables, the calendars, the spreadsheets and
the review's reports, though they had asked to be credited by their initials.  The copy for
others keeps ``credit`` (the protocol shows it), so a name there could not be told from the
label standing in for it; the copy now marks its people as already shown
(``Person._as_shown``).
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
from coplan.export.contract import Options, run_export
from coplan.model import Person, Plan, Project
from coplan.planfile import load_plan
from coplan.privacy import Redaction, initials
from coplan.schedule import schedule
from coplan.sharing import shared_plan
from export_sweep import STAMP, case_ids, export_cases, exported, exporter_named
from test_privacy_sweep import _text, _without_the_path

NAMES = ["Tendai Moyo", "Amara Kone", "Sam Ruiz", "Kofi Asante", "Bea Okoro", "Zola Banda"]
CREDITS = [None, "named", "initials", "anonymous"]
AUDIENCES = ["team", "lived-experience", "leads", "anonymous", "p0", "own"]


def named_in_full(person: Person) -> bool:
    """The rule, said plainly: the name only where they share it and chose to be credited
    by it."""
    return person.share_name and person.credit in (None, "named")


def _words_of(text: str, person: Person) -> list[str]:
    return [w for w in person.name.split()
            if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", text, re.IGNORECASE)]


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    count = draw(st.integers(min_value=1, max_value=len(NAMES)))
    people = tuple(Person(id=f"p{i}", name=NAMES[i],
                          kind=draw(st.sampled_from(["community", "carer", "researcher"])),
                          share_name=draw(st.booleans()),
                          credit=draw(st.sampled_from(CREDITS)))
                   for i in range(count))
    return Plan(project=Project(title="t"), people=people)


@settings(max_examples=300, deadline=None)
@given(plans(), st.sampled_from(AUDIENCES))
def test_the_copy_shows_a_name_only_as_credit_and_share_name_allow(plan: Plan,
                                                                   audience: str) -> None:
    """For every mix of choices and every audience: a person's name is in the copy (its
    people, and the team's words) exactly where they share it and chose to be credited by
    it (in a document that names nobody, nowhere); one who chose initials is shown by
    them; and what every exporter asks of the copy (``shown_name``, ``may_be_named``)
    is the copy's name as it stands."""
    own = audience == "own"
    reader = "p0" if own else audience
    anonymous = audience == "anonymous"
    copy, hide = shared_plan(plan, reader, own=own, anonymous=anonymous)
    for person, shown in zip(plan.people, copy.people, strict=True):
        if own and person.id == "p0":
            assert shown.name == person.name
            continue
        allowed = named_in_full(person) and not anonymous
        said = [hide.text(f"{person.name} chairs."), hide.text(f"Ask {person.name.split()[0]}."),
                shown.name, privacy.shown_name(shown)]
        for text in said:
            assert bool(_words_of(text, person)) is allowed, (text, person)
        assert privacy.shown_name(shown) == shown.name
        assert privacy.may_be_named(shown)
        if person.credit == "initials" and not anonymous:
            assert shown.name.startswith(initials(person)), shown.name
        assert shown.credit == person.credit  # (the protocol shows how they chose)
        assert copy.agreed_to_be_named(shown) is named_in_full(person)


def test_the_plan_itself_says_the_same() -> None:
    """``shown_name`` and ``may_be_named`` of the plan's own entries (the journal's, the
    app's table) follow the same rule as the copy."""
    kofi = Person(id="kofi", name="Kofi Asante", kind="community", share_name=True,
                  credit="initials")
    plan = Plan(project=Project(title="t"), people=(kofi,))
    assert not privacy.may_be_named(kofi)
    assert privacy.shown_name(kofi) == "K.A. (community member)"
    assert not plan.agreed_to_be_named(kofi)
    assert Redaction(plan).text("Kofi Asante and Kofi agreed.") == "K.A. and K.A. agreed."
    named = Person(id="lee", name="Lee Grant", share_name=True, credit="named")
    assert privacy.may_be_named(named) and privacy.shown_name(named) == "Lee Grant"
    hidden = Person(id="bea", name="Bea Okoro", kind="carer", credit="named")
    assert privacy.shown_name(hidden) == "B.O. (carer)"  # (share_name = false always hides)


# -- every exporter, audience and report ---------------------------------------------------

PLAN = """\
[project]
title = "Crisis care, planned with Kofi"
start = 2027-03-01
timezone = "Europe/London"
holidays = "GB-ENG"
summary = "Kofi Asante and Lee Grant help plan crisis care."

[[person]]
id = "kofi"
name = "Kofi Asante"
kind = "community"
share_name = true          # may be named, but chose to be credited by initials
credit = "initials"
role = "Community co-researcher"
needs = []
needs_asked = 2027-01-01

[[person]]
id = "tendai-m"            # an id that is her name, and a letter of it
name = "Tendai Moyo"
kind = "community"
share_name = true
credit = "anonymous"
needs = []
needs_asked = 2027-01-01

[[person]]
id = "zola"
name = "Zola Banda"
kind = "community"
credit = "anonymous"
needs = []
needs_asked = 2027-01-01

[[person]]
id = "expert-3"            # an id that is no name, but hers alone
name = "Amara Kone"
kind = "community"
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

[protocol]
coauthors = ["kofi", "tendai-m", "zola", "expert-3", "lee"]

[[stage]]
id = "interviews"
title = "Interviews Kofi leads"
duration = "4w"
phase = "design"
can_change = "What Kofi decides to focus on"

  [[stage.touchpoint]]
  id = "talk"
  title = "Talking with Kofi"
  purpose = "Kofi Asante takes notes; ASANTE checks them."
  format = "workshop"
  mode = "in-person"
  ladder = "co-production"
  role = "decision-maker"
  who = ["kofi", "tendai-m", "zola", "expert-3", "lee"]
  feedback = "Kofi hears back from Lee Grant"
  time = "11:00"

[[stage]]
id = "analysis"
title = "Making sense together"
duration = "2w"
phase = "analyse"
after = ["interviews"]

  [[stage.touchpoint]]
  id = "sense"
  title = "Making sense"
  purpose = "Reading the interviews together."
  format = "workshop"
  mode = "online-live"
  ladder = "co-design"
  role = "advisor"
  who = ["tendai-m", "lee"]
  time = "11:00"

[[meeting]]
id = "advisory"
title = "Advisory group with Kofi"
every = "2w"
day = "tue"
time = "14:00"
length = "1h"
who = ["kofi", "tendai-m", "zola", "expert-3", "lee"]
purpose = "Kofi Asante chairs."
"""

# Kofi is shown by his initials; the three who chose to be anonymous by "someone", all
# alike: never a name, their initials, their ids, or a numbered "someone" that tells one
# from another.
NEVER = [r"kofi", r"asante", r"tendai", r"moyo", r"zola", r"banda", r"amara", r"kone",
         r"expert-3", r"someone-\d", r"\bT\.M\.", r"\bZ\.B\.", r"\bA\.K\."]


def _assert_not_named(text: str, what: str) -> None:
    for pattern in NEVER:
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


CASES = export_cases(("kofi", "tendai-m", "expert-3"))


@pytest.mark.parametrize(("name", "fmt", "audience"), CASES, ids=case_ids(CASES))
def test_no_export_names_someone_who_chose_initials(plan_path: Path, name: str, fmt: str,
                                                   audience: str) -> None:
    exporter = exporter_named(name)
    if exporter.for_them_alone and audience == "kofi":
        pytest.skip("a document for Kofi alone names Kofi to himself")
    text = _text(exported(plan_path, name, fmt, audience))
    if exporter.for_them_alone and audience in ("tendai-m", "expert-3"):
        # (her own pack names her to herself, by her name and id, and nobody else)
        own = {"tendai-m": ("tendai", "moyo", r"\bT\.M\."),
               "expert-3": ("amara", "kone", "expert-3", r"\bA\.K\.")}[audience]
        for pattern in own:
            text = re.sub(pattern, "", text, flags=0 if "\\." in pattern else re.IGNORECASE)
    _assert_not_named(text, f"export {name} --format {fmt} --audience {audience}")


def test_the_protocol_credits_them_as_they_chose(plan_path: Path) -> None:
    from coplan.export.exporters import PROTOCOL

    plan = load_plan(plan_path)
    text = run_export(PROTOCOL, plan, schedule(plan), Options(format="md", when=STAMP)
                      ).decode()
    assert "| K.A. (community member) | Community member | Initials only |" in text
    assert "| Lee Grant | Researcher | Named in full |" in text
    assert "Everyone here agreed to be named." not in text
    assert "People are named only if they agreed to it and to be credited by name; " in text
    assert "Those who chose not to be credited at all appear without name or initials, " \
        "all alike." in text


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "markdown"])
def test_no_review_report_names_them(plan_path: Path, fmt: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(plan_path), "--format", fmt])
    assert result.exit_code in (0, 1), result.output
    _assert_not_named(_without_the_path(result.output, plan_path), f"check --format {fmt}")


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_no_schedule_names_them(plan_path: Path, fmt: str) -> None:
    result = CliRunner().invoke(cli, ["schedule", str(plan_path), "--format", fmt])
    assert result.exit_code == 0, result.output
    _assert_not_named(result.output, f"schedule --format {fmt}")


# -- ids -----------------------------------------------------------------------------------

@st.composite
def named_ids(draw: st.DrawFn) -> Plan:
    """People whose ids are their names, written as teams write them ("tendai-m",
    "kofi_asante", "moyo.t")."""
    count = draw(st.integers(min_value=1, max_value=len(NAMES)))
    people = []
    for i in range(count):
        first, last = NAMES[i].lower().split()
        pid = draw(st.sampled_from([f"{first}-{last[0]}", f"{first}_{last}", f"{last}.{first[0]}",
                                    first, f"{first}-{last}-2"]))
        people.append(Person(id=pid, name=NAMES[i],
                             kind=draw(st.sampled_from(["community", "carer", "researcher"])),
                             share_name=draw(st.booleans()),
                             credit=draw(st.sampled_from(CREDITS))))
    return Plan(project=Project(title="t"), people=tuple(people))


@settings(max_examples=300, deadline=None)
@given(named_ids(), st.sampled_from(["team", "lived-experience", "leads", "anonymous"]))
def test_no_id_for_others_keeps_a_hidden_persons_id(plan: Plan, audience: str) -> None:
    """A person's id that is their name is never in an id of a copy for others where
    their name may not be: not whole, not a word of it, not the letter left over
    ("someone-m" was Tendai Moyo's, "ka-a" Kofi Asante's); that of someone who chose to
    be anonymous is "someone", numbered, nothing else; and ids made from theirs
    ("talk-tendai-m") change the same way."""
    anonymous = audience == "anonymous"
    hide = Redaction(plan, audience, anonymous=anonymous)
    made = [f"talk-{p.id}" for p in plan.people] + [f"{p.id}.notes" for p in plan.people]
    hide.learn_ids([*(p.id for p in plan.people), *made])
    for p in plan.people:
        if named_in_full(p) and not anonymous:
            continue
        short = privacy.SOMEONE if p.credit == "anonymous" else \
            hide.tags[p.id].replace(".", "").lower()
        for said in (hide.id(p.id), hide.id(f"talk-{p.id}"), hide.id(f"{p.id}.notes")):
            words = {w for w in re.split(r"[-_.]", said) if w and not w.isdigit()}
            assert words <= {short, "talk", "notes"}, (p.id, said)
        if p.credit == "anonymous":
            assert re.fullmatch(rf"{privacy.SOMEONE}(-\d+)?", hide.id(p.id)), hide.id(p.id)


# -- counts of people ----------------------------------------------------------------------

def test_the_involvement_matrix_counts_everyone_shown_alike(plan_path: Path) -> None:
    """Three people who chose to be anonymous are "someone" to others, all alike, so they
    share the matrix's row (a row each would tell them apart by what each does); the row
    says they are three, so the matrix counts four people with lived experience, not two."""
    import json

    result = CliRunner().invoke(cli, ["check", str(plan_path), "--format", "json"])
    matrix = json.loads(result.output)["plans"][0]["summary"]["involvement_matrix"]
    assert list(matrix) == ["K.A. (community member)", "someone (3 people)"]
    assert matrix["someone (3 people)"] == {"preparation": "decision-maker",
                                            "execution": "advisor"}
    text = CliRunner().invoke(cli, ["check", str(plan_path), "--format", "markdown"]).output
    assert "someone (3 people)" in text


def test_the_protocols_involvement_matrix_counts_everyone_shown_alike(plan_path: Path) -> None:
    """The protocol's own Involvement Matrix, likewise: one row for the three, saying so,
    and its count of roles agreed is of four people."""
    from coplan.export.exporters import PROTOCOL

    plan = load_plan(plan_path)
    text = run_export(PROTOCOL, plan, schedule(plan), Options(format="md", when=STAMP)
                      ).decode()
    assert "| K.A. (community member) | Decision-maker | – | – |" in text
    assert "| someone (3 people) | Decision-maker | Advisor | – |" in text
    assert "| someone | Decision-maker |" not in text
    assert "Roles agreed with the person: 0 of 4." in text


def test_lists_of_people_count_everyone(plan_path: Path) -> None:
    """Every list of people for others has one entry for each person, those shown alike
    included: three anonymous co-authors are three rows, and a calendar's session says
    "someone" three times."""
    from coplan.export.exporters import ICS, PROTOCOL

    plan = load_plan(plan_path)
    text = run_export(PROTOCOL, plan, schedule(plan), Options(format="md", when=STAMP)
                      ).decode()
    assert text.count("| someone | Not said, as they asked | Not named |") == 3
    ics = _text(run_export(ICS, plan, schedule(plan), Options(format="ics", when=STAMP,
                                                              audience="team")))
    assert "Who takes part: K.A. (community member)\\, someone\\, someone\\, someone\\, " \
           "Lee Grant" in ics


def test_no_table_says_who_someone_anonymous_is(plan_path: Path) -> None:
    """Four people of the plan are community members, so those who chose to be anonymous
    are "someone", not "a community member"; no table beside them says what their stand-in
    leaves out, and the one who chose initials is shown with his."""
    from coplan.export.exporters import PROTOCOL

    plan = load_plan(plan_path)
    text = run_export(PROTOCOL, plan, schedule(plan), Options(format="md", when=STAMP)
                      ).decode()
    assert not re.search(r"\| someone \| Community member", text)
    assert "| K.A. (community member) | Community member | Initials only |" in text
    assert "| someone | Not said, as they asked | Not written yet |" in text
    assert privacy.kind_shown(Person(id="a", name="a community member", kind="community",
                                     credit="anonymous", _as_shown=True))
    assert not privacy.kind_shown(Person(id="a", kind="community", credit="anonymous"))


@st.composite
def involved(draw: st.DrawFn) -> Plan:
    """People of every choice and kind, taking part in touchpoints of stages of every
    phase, as roles of every rank."""
    from coplan.model import Stage, Touchpoint

    count = draw(st.integers(min_value=1, max_value=len(NAMES)))
    people = tuple(Person(id=f"p{i}", name=NAMES[i],
                          kind=draw(st.sampled_from(["community", "carer", "researcher"])),
                          share_name=draw(st.booleans()),
                          credit=draw(st.sampled_from(CREDITS)))
                   for i in range(count))
    ids = [p.id for p in people]
    stages = []
    for n in range(draw(st.integers(min_value=1, max_value=3))):
        tps = tuple(Touchpoint(id=f"t{n}{k}", title="Session", format="workshop",
                               role=draw(st.sampled_from(["co-thinker", "advisor",
                                                          "decision-maker"])),
                               who=tuple(draw(st.lists(st.sampled_from(ids), unique=True,
                                                       max_size=len(ids)))))
                    for k in range(draw(st.integers(min_value=1, max_value=2))))
        stages.append(Stage(id=f"s{n}", title="Stage", duration_days=5,
                            phase=draw(st.sampled_from(["design", "analyse", "share"])),
                            touchpoints=tps))
    return Plan(project=Project(title="t"), people=people, stages=tuple(stages))


def _people_in(row: str) -> int:
    found = re.fullmatch(r".* \((\d+) people\)", row)
    return int(found.group(1)) if found else 1


@settings(max_examples=60, deadline=None)
@given(involved(), st.sampled_from(["team", "lived-experience", "leads"]))
def test_the_matrix_for_others_counts_each_person_once(plan: Plan, audience: str) -> None:
    """For every mix of choices and every audience, the check summary's Involvement
    Matrix for others has one row for each way a person with lived experience is shown,
    and its rows count every such person who takes part, once: people shown alike share
    a row that says how many they are."""
    from coplan.plugins import all_rules
    from coplan.review import review
    from coplan.review.summary import summarise
    from coplan.sharing import shared_report

    copy, _ = shared_plan(plan, audience)
    report = shared_report(review(plan, None, registry=all_rules()), copy, plan)
    matrix = summarise(report).matrix
    taking_part = {pid for stage in plan.stages for tp in stage.touchpoints for pid in tp.who
                   if (p := plan.person(pid)) is not None and p.lived}
    assert sum(_people_in(row) for row in matrix) == len(taking_part)
    shown = {privacy.shown_name(p) for p in copy.people if p.lived and
             plan.people[copy.people.index(p)].id in taking_part}
    assert len(matrix) == len(shown)
