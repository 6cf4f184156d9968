"""A report for others never lets a reader work out who a hidden person is, and a shared
reflection speaks only for those who took part in it.

Found by trying the product: a reflection marked to share ("Tendai came despite her chemo;
Lee was worried about his benefits being stopped") named two people who were not part of
it; the report for leads hid their names behind "a community member" and "a peer support
worker", each the only one in the plan (the same report counted them), so a funder learnt
about two people's health and benefits who had agreed to nothing.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from coplan import privacy, sharing
from coplan.cli import cli
from coplan.model import ReflectionRecord
from coplan.planfile import load_plan
from coplan.plugins import all_rules
from coplan.privacy import SMALL_GROUP, people_named, stand_in, who_they_are
from coplan.review import review
from test_loader_fuzz import FUZZ

ROOT = Path(__file__).resolve().parents[1]
MINDS = ROOT / "examples" / "minds-discharge.toml"
TOLD = ("Tendai came despite her chemo; Lee was worried about his benefits being "
        "stopped.")
REFLECTION = f"""
[[reflection]]
date = 2027-09-08
who = ["amara", "sam", "dev", "kit"]
noticed = "{TOLD}"
changed = "We check in with everyone before each session."
share = true
"""


@pytest.fixture
def told(tmp_path: Path) -> Path:
    path = tmp_path / "told.toml"
    path.write_text(MINDS.read_text(encoding="utf-8") + REFLECTION, encoding="utf-8")
    return path


def _run(*args: str) -> str:
    # (wide, so that a long temporary path and its line stay on one line)
    result = CliRunner(env={"COLUMNS": "250"}).invoke(cli, [*args, "--today", "2027-09-10"])
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_who_a_text_names() -> None:
    plan = load_plan(MINDS)
    assert people_named(plan, TOLD) == {"tendai", "lee"}
    # initials as the team writes them, ids that are names, any case of a whole name
    assert people_named(plan, "T.'s idea, backed by AMARA MENSAH") == {"tendai", "amara"}
    assert people_named(plan, "the Harbour group met") == frozenset()
    # a part of a name that is an everyday word counts only as a name is written
    assert people_named(plan, "the price list") == frozenset()
    assert people_named(plan, "Price agreed") == {"owen"}


def test_a_shared_reflection_naming_others_is_left_out_of_every_copy(told: Path) -> None:
    plan = load_plan(told)
    note = plan.reflections[-1]
    assert privacy.named_without_agreeing(plan, note) == ("lee", "tendai")
    for audience, anonymous in (("team", False), ("lived-experience", False),
                                ("leads", True), ("sam", False)):
        shared, _ = sharing.shared_plan(plan, audience, anonymous=anonymous)
        kept = shared.reflections[-1]
        assert (kept.noticed, kept.changed) == ("", ""), audience
        # the other shared reflections, which name only people who took part, go out
        assert any(r.noticed for r in shared.reflections), audience
    # once those it names took part (and so agreed), it goes out
    agreed = dataclasses.replace(note, who=(*note.who, "lee", "tendai"))
    plan = dataclasses.replace(plan, reflections=(*plan.reflections[:-1], agreed))
    shared, _ = sharing.shared_plan(plan, "team")
    assert shared.reflections[-1].noticed != ""


@pytest.mark.parametrize("exporter", ["gripp2", "progress", "impact"])
def test_the_report_for_leads_gives_nobody_away(told: Path, tmp_path: Path,
                                                exporter: str) -> None:
    out = tmp_path / f"{exporter}.md"
    _run("export", exporter, str(told), "--audience", "leads", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "chemo" not in text and "benefits being stopped" not in text
    # roles held by fewer people than a small group are never a stand-in for a name
    plan = load_plan(told)
    for person in plan.people:
        if person.share_name:
            continue
        alike = sum(1 for p in plan.people if privacy.role_of(p) == privacy.role_of(person))
        if alike < SMALL_GROUP:
            assert not re.search(rf"\b{re.escape(who_they_are(person))}'s\b", text), \
                (exporter, person.id)


def test_the_reflection_left_out_is_counted_in_the_report(told: Path, tmp_path: Path) -> None:
    out = tmp_path / "gripp2.md"
    _run("export", "gripp2", str(told), "--audience", "leads", "-o", str(out))
    text = " ".join(out.read_text(encoding="utf-8").split())
    assert "More reflections kept within the team: 2" in text
    assert "only if it names nobody else" in text


def test_check_says_so_with_the_line(told: Path) -> None:
    output = " ".join(_run("check", str(told)).split())
    line = told.read_text(encoding="utf-8").splitlines().index(f'noticed = "{TOLD}"') + 1
    assert f"told.toml:{line} ▲ warning CP-PRI-004" in output
    # (as every report of a review says a person who keeps their name private: the text
    # report goes to CI logs and hooks' output too)
    # (Tendai chose not to be credited: never her initials, "T.")
    assert "names L. and someone, who are not among the 4 people who took part" in output
    assert "Lee" not in output
    # the bundled plans name only people who took part in what they share
    assert "CP-PRI-004" not in _run("check", str(MINDS))


def test_the_rule_finds_nothing_where_everyone_named_took_part() -> None:
    plan = load_plan(MINDS)
    report = review(plan, None, registry=all_rules(), select=["CP-PRI-004"])
    assert report.findings == []
    note = ReflectionRecord(date=None, who=("sam",), noticed="Sam and Kit felt heard.",
                            share=True)
    plan = dataclasses.replace(plan, reflections=(note,))
    report = review(plan, None, registry=all_rules(), select=["CP-PRI-004"])
    assert [f.message for f in report.findings] == [
        "the reflection number 1 is marked to share but names Kit Brennan, who is not among the 1 "
        "person who took part; it is left out of reports for others"]
    unshared = dataclasses.replace(note, share=False)
    plan = dataclasses.replace(plan, reflections=(unshared,))
    assert review(plan, None, registry=all_rules(), select=["CP-PRI-004"]).findings == []


_KINDS = st.sampled_from(["lived-experience", "carer", "peer-worker", "community",
                          "researcher", "facilitator"])


@FUZZ
@given(st.lists(st.tuples(_KINDS, st.booleans()), min_size=1, max_size=12))
def test_a_stand_in_never_points_at_one_hidden_person(people: list[tuple[str, bool]]) -> None:
    """In a document that names nobody, a person who keeps their name private is said by
    their role only where at least a small group share it; and the team's words naming
    them come out as that stand-in."""
    base = load_plan(MINDS).people[0]
    made = tuple(dataclasses.replace(base, id=f"p{n}", name=f"Zorblat{chr(65 + n)} Quoon",
                                     aliases=(), described_as="", kind=kind, share_name=share)
                 for n, (kind, share) in enumerate(people))
    plan = dataclasses.replace(load_plan(MINDS), people=made)
    hide = privacy.Redaction(plan, "leads", anonymous=True)
    for person in made:
        said = stand_in(person, made)
        alike = sum(1 for p in made if privacy.role_of(p) == privacy.role_of(person))
        if not person.share_name and alike < SMALL_GROUP:
            assert said == privacy.SOMEONE
        else:
            assert said == who_they_are(person)
        assert hide.text(f"{person.name} spoke.").lower() == f"{said} spoke.".lower()
