"""Outputs for others describe a person who keeps their name private by what the plan says
they are (``kind``) or their own words (``described_as``), never by a role nobody gave them
(found by trying the product twice: a peer-support service redesign's calendars, protocol
and review called every peer "co-researcher with lived experience", though nobody in it was
researching; and in research, a person who only reads the newsletter was shown as a
co-researcher, under "Role, in their words", and so recorded in the journal)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.model import Person
from coplan.privacy import role_of, shown_name, who_they_are
from coplan.sync import describe_changes

ROOT = Path(__file__).resolve().parents[1]
MINDS = ROOT / "examples" / "minds-discharge.toml"
RESEARCH_WORDS = ("co-researcher with lived experience", "young co-researcher")


def test_the_words_for_a_person_are_what_the_plan_says_they_are() -> None:
    peer = Person(id="p", name="Robin Hale", kind="lived-experience")
    young = Person(id="y", name="Ash Lee", kind="young-person")
    for setting in ("research", "service", "education", "other"):
        assert role_of(peer, setting) == "person with lived experience"
        assert role_of(young, setting) == "young person"
        assert shown_name(peer, setting) == "R.H. (person with lived experience)"
        assert who_they_are(peer, setting) == "a person with lived experience"
    # Their own words always win.
    own = Person(id="o", name="Robin Hale", kind="lived-experience", described_as="peer")
    assert role_of(own, "research") == role_of(own, "service") == "peer"


@pytest.fixture
def service_plan(tmp_path: Path) -> Path:
    text = MINDS.read_text(encoding="utf-8")
    assert 'setting = "research"' in text
    path = tmp_path / "service.toml"
    path.write_text(text.replace('setting = "research"', 'setting = "service"', 1),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("args", [
    ["export", "ics", "--audience", "team"],
    ["export", "protocol", "--format", "md"],
    ["export", "gripp2", "--audience", "leads"],
    ["check", "--format", "json"],
    ["check", "--format", "sarif"],
])
def test_a_service_plan_calls_nobody_a_co_researcher(service_plan: Path, tmp_path: Path,
                                                     args: list[str]) -> None:
    out = tmp_path / "out"
    export = args[0] == "export"
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        cli, [*args, str(service_plan), "--today", "2027-09-10",
              *(["-o", str(out)] if export else [])])
    assert result.exit_code in (0, 1), result.output
    text = out.read_text(encoding="utf-8") if export else result.output
    text = " ".join(text.replace("\r\n ", "").split())  # calendars' folded lines, wrapping
    assert "person with lived experience" in text
    assert not any(words in text for words in RESEARCH_WORDS)


def test_the_research_example_calls_nobody_a_co_researcher_either(tmp_path: Path) -> None:
    out = tmp_path / "team.ics"
    result = CliRunner().invoke(cli, ["export", "ics", str(MINDS), "--audience", "team",
                                      "-o", str(out), "--today", "2027-09-10"])
    assert result.exit_code == 0, result.output
    text = " ".join(out.read_text(encoding="utf-8").replace("\r\n ", "").split())
    assert "(person with lived experience)" in text
    assert not any(words in text for words in RESEARCH_WORDS)


def test_the_journal_says_a_person_as_the_plan_s_setting_does() -> None:
    before = '[project]\ntitle = "T"\nsetting = "SETTING"\n'
    after = before + ('\n[[person]]\nid = "rh"\nname = "Robin Hale"\n'
                      'kind = "lived-experience"\n')
    assert describe_changes(before.replace("SETTING", "service"),
                            after.replace("SETTING", "service")) == [
        "added R.H. (person with lived experience) to the people"]
    assert describe_changes(before.replace("SETTING", "research"),
                            after.replace("SETTING", "research")) == [
        "added R.H. (person with lived experience) to the people"]
