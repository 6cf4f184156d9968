"""Reports show people only as they agreed: a plan full of private details (names not to be
shared, email addresses, needs that reveal health, organisations) leaves none of them in a
report for an audience that must not see them.  The contributor pack holds its own
person's details and nothing of anyone else's.  Where the record is empty, every report
says "Not recorded yet" instead of inventing an answer."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from click.testing import CliRunner
from reports_support import (
    EXAMPLES,
    docx_text,
    example,
    export,
    export_example,
    plan_from,
    read_html,
)

from coplan.cli import cli

PRIVATE = """
[project]
title = "Private study"
start = 2027-01-11
aim = "Zebedee Quux and Yolanda Vex help decide everything."

[[person]]
id = "zq"
name = "Zebedee Quux"
kind = "lived-experience"
share_name = false
email = "zebedee@secret.example"
needs = ["other: SECRET-NEED-ZQ because of epilepsy"]
organisation = "Quux Secret Clinic"
role = "Co-researcher"
payment = "hourly"
benefits_advice = "offered"

[[person]]
id = "yv"
name = "Yolanda Vex"
kind = "carer"
share_name = false
email = "yolanda@secret.example"
needs = ["other: SECRET-NEED-YV"]
role = "Carer voice"
payment = "hourly"
benefits_advice = "offered"

[[person]]
id = "lead"
name = "Dr Lena Open"
kind = "researcher"
share_name = true

[support]
contact = "lead"
withdraw = "Zebedee or Yolanda can stop at any time."

[[stage]]
id = "aims"
title = "Aims"
duration = "2w"
started = 2027-01-11
finished = 2027-01-22

  [[stage.decision]]
  id = "question"
  what = "The question"
  by = "end"

  [[stage.touchpoint]]
  id = "aims-1"
  title = "Aims workshop"
  who = ["zq", "yv", "lead"]
  length = "2h"
  ladder = "co-production"
  influences = ["question"]

    [[stage.touchpoint.record]]
    session = 1
    status = "held"
    on = 2027-01-12
    attended = ["zq", "yv", "lead"]
    contributed = "Zebedee described the ward; Yolanda Vex spoke about visiting."
    changed = "Quux's point about visiting changed the question."
    feedback_sent = 2027-01-15

[[impact]]
date = 2027-01-15
touchpoint = "aims-1"
decision = "question"
who = ["zq", "yv"]
hoped = "Zebedee hoped the question would cover visiting."
changed = "The question now covers visiting, as Yolanda asked."
why_it_matters = "Families matter."
contributor_view = "Vex: we were heard."

[[reflection]]
date = 2027-01-20
noticed = "Zebedee was tired after the workshop."

[payment]
within = "2w"

  [[payment.rates]]
  amount = 25
  per = "hour"

[[paid]]
who = "zq"
for = "aims-1"
session = 1
paid = 2027-01-20
amount = 50
"""

SECRETS = ("Zebedee", "Quux", "Yolanda", "Vex", "secret.example", "SECRET-NEED", "epilepsy",
           "Secret Clinic")
TODAY = date(2027, 2, 1)
GROUP_REPORTS = [("gripp2", {"form": "short"}), ("gripp2", {"form": "long"}), ("impact", {}),
                 ("feedback", {}), ("progress", {})]


def _texts(plan_text: str, name: str, audience: str, **values: object) -> list[str]:
    plan = plan_from(plan_text)
    out = []
    for fmt in ("md", "html", "docx"):
        data = export(plan, name, fmt, audience=audience, today=TODAY, **values)
        if fmt == "docx":
            out.append(docx_text(data)[1])
        elif fmt == "html":
            out.append(read_html(data).all_text)
            out.append(data.decode("utf-8"))  # attributes and titles too
        else:
            out.append(data.decode("utf-8"))
    return out


@pytest.mark.parametrize(("name", "values"), GROUP_REPORTS,
                         ids=[f"{n}-{v.get('form', '')}" for n, v in GROUP_REPORTS])
def test_no_private_detail_in_reports_for_others(name: str, values: dict[str, object]) -> None:
    from reports_support import BY_NAME

    for audience in BY_NAME[name].audiences:
        for text in _texts(PRIVATE, name, audience, **values):
            for secret in SECRETS:
                assert secret not in text, (name, audience, secret)
        if name in ("impact", "feedback") and audience != "leads":
            # what they said is there, with their initials where their name was
            assert "Z.Q." in "\n".join(_texts(PRIVATE, name, audience, **values))


def test_a_persons_own_view_shows_them_and_nobody_else() -> None:
    for text in _texts(PRIVATE, "contributor-pack", "lived-experience", person="zq"):
        assert "Zebedee Quux" in text  # it goes to them: their own name
        assert "SECRET-NEED-ZQ" in text  # and the support agreed with them
        for secret in ("Yolanda", "Vex", "SECRET-NEED-YV", "yolanda@", "zebedee@"):
            assert secret not in text, secret
    for text in _texts(PRIVATE, "feedback", "lived-experience", person="yv"):
        assert "Zebedee" not in text and "Quux" not in text and "SECRET" not in text


def test_every_report_says_what_is_not_recorded_yet() -> None:
    empty = PRIVATE.split("    [[stage.touchpoint.record]]")[0].replace(
        "started = 2027-01-11\nfinished = 2027-01-22\n", "")
    plan = plan_from(empty)
    assert not plan.impact and not plan.reflections and not plan.paid
    for name, values in [*GROUP_REPORTS, ("contributor-pack", {"person": "zq"})]:
        md = export(plan, name, "md", today=TODAY, **values).decode("utf-8")
        assert "Not recorded yet" in md, name
    short = export(plan, "gripp2", "md", today=TODAY, form="short").decode("utf-8")
    # methods, results, discussion and reflections each say so
    assert short.count("Not recorded yet") >= 4
    progress = export(plan, "progress", "md", today=TODAY).decode("utf-8")
    for words in ("a baseline to measure slippage against", "the date the project must finish "
                  "by", "the plan keeps no delivery record yet"):
        assert words in progress
    assert not re.search(r"\b\d+ entries\b", short)


def test_the_person_must_be_someone_and_the_pack_is_for_one_person(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, _ = EXAMPLES["minds"]
    runner = CliRunner()
    done = runner.invoke(cli, ["export", "feedback", str(path), "--person", "samm"])
    assert done.exit_code == 64
    assert "--person samm: nobody in minds-discharge.toml has that id; did you mean 'sam'?" \
        in done.output
    done = runner.invoke(cli, ["export", "feedback", str(path), "--person", "sam",
                               "--audience", "team"])
    assert done.exit_code == 64 and "say different things" in done.output
    done = runner.invoke(cli, ["export", "contributor-pack", str(path), "--today",
                               "2027-09-10"])
    assert done.exit_code == 0, done.output  # for the group: what everyone should know
    assert "# Taking part: what everyone should know" in done.output
    assert "## Pay" in done.output and "## Your next dates" not in done.output
    for name in ("Amara", "Morag", "Dev", "Sam", "£229.50"):
        assert name not in done.output, name
    done = runner.invoke(cli, ["export", "contributor-pack", str(path), "--person", "nadia"])
    assert done.exit_code == 64 and "not someone with lived experience" in done.output
    # It lists the ids the command takes (the plan's own, on the team's own screen), not
    # those of the copy made for others ("s", "t"), which the command refuses.
    assert "a contributor pack is for amara, sam, dev, morag, lee, tendai" in done.output
    for listed in ("sam", "tendai"):
        again = runner.invoke(cli, ["export", "contributor-pack", str(path), "--person",
                                    listed, "--today", "2027-09-10"])
        assert again.exit_code == 0, again.output
    out = tmp_path / "pack.docx"
    done = runner.invoke(cli, ["export", "contributor-pack", str(path), "--person", "dev",
                               "--today", "2027-09-10", "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert "Dev Sharma" in docx_text(out.read_bytes())[1]


SCRIPT = '<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) | cell'


def test_what_people_wrote_stays_text_in_every_report() -> None:
    from markdown_it import MarkdownIt

    hostile = PRIVATE.replace("Zebedee described the ward", SCRIPT).replace(
        "Families matter.", SCRIPT).replace(
        'title = "Aims workshop"', f"title = '{SCRIPT}'")
    plan = plan_from(hostile)
    for name, values in [*GROUP_REPORTS, ("contributor-pack", {"person": "zq"}),
                         ("feedback", {"person": "yv"})]:
        html = export(plan, name, "html", today=TODAY, **values).decode("utf-8")
        assert "<script" not in html and "<img" not in html, name
        assert "alert(1)" in read_html(html.encode("utf-8")).all_text, name  # shown as text
        md = export(plan, name, "md", today=TODAY, **values).decode("utf-8")
        tokens = MarkdownIt("commonmark").enable("table").parse(md)
        inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
        assert not [t for t in tokens if t.type == "html_block"], name
        assert not [c for c in inline if c.type in ("html_inline", "link_open")], name


def test_a_plan_with_nothing_in_it_yet_still_gets_honest_reports() -> None:
    plan = plan_from('[project]\ntitle = "Tiny"\nstart = 2027-01-11\n')
    for name, values in GROUP_REPORTS:
        for fmt in ("md", "html", "docx"):
            data = export(plan, name, fmt, today=TODAY, **values)
            assert data
        md = export(plan, name, "md", today=TODAY, **values).decode("utf-8")
        assert "Not recorded yet" in md, name
        lines = md.splitlines()
        for i, line in enumerate(lines):  # no table is only a header
            if line.startswith("|---"):
                assert lines[i + 1].startswith("| "), (name, lines[i - 1])
    progress = export(plan, "progress", "md", today=TODAY).decode("utf-8")
    assert "The plan has no stages yet." in progress


# Every way the examples' people are written in the team's words: names, parts of names,
# and the initials the team itself wrote for those who keep their name private.
_NAMED = re.compile(r"\b(?:Amara|Mensah|Sam|Dev|Sharma|Morag|Campbell|Lee|Tendai|Nadia|Hale"
                    r"|Priya|Nair|Kit|Owen|Maya|Jon|Bea|Okoro|Alex|Hannah|Leon)\b"
                    r"|(?<![\w.'’])[A-Z]\.(?:[A-Z]\.)*(?=['’\s,;:)]|$)")


@pytest.mark.parametrize(("name", "report", "audience"), [
    ("minds", "gripp2", "team"), ("minds", "gripp2", "leads"),
    ("teaching", "gripp2", "team"), ("minds", "impact", "leads"),
    ("teaching", "impact", "leads"), ("minds", "progress", "leads")])
def test_reports_that_count_people_name_nobody(name: str, report: str,
                                               audience: str) -> None:
    """GRIPP2, and the impact and progress reports for leads, count people and name none
    (docs/running.md): not in the team's words either, where people are said by who they
    are, those who share their name and the initials the team wrote included."""
    for form in ("short", "long") if report == "gripp2" else ("",):
        values = {"form": form} if form else {}
        text = export_example(name, report, audience=audience, **values).decode()
        found = [m.group(0) for m in _NAMED.finditer(text)]
        assert not found, (report, audience, form, found)
    if (name, report) == ("minds", "gripp2"):
        # (T., the plan's only community member, chose not to be credited: the example's
        # words say "a co-researcher", of whom the plan has several); Morag, the only
        # carer, agreed to be named.
        assert "The paper version, a co-researcher's idea, brought in" in text
        assert "which a carer and one other helped write" in text  # (not "someone and")
        assert "community member's" not in text


def test_reports_that_may_name_people_name_those_who_agreed() -> None:
    """The impact report for people with lived experience names who took part, as they
    agreed; the team's words there keep the initials the team wrote."""
    text = export_example("minds", "impact", audience="lived-experience").decode()
    assert "Morag Campbell" in text and "S. (person with lived experience)" in text


def test_a_persons_own_pack_gives_their_own_name_where_the_team_wrote_their_initials() -> None:
    """Text written for Sam says "in Sam's words", not "in S.'s words": the initials the
    team wrote for the person the pack is for are their name again in their own copy, and
    only theirs (another person's initials stay), and only where nobody else of the plan
    has the same initials."""
    text = export_example("minds", "contributor-pack", person="sam").decode()
    assert "in Sam's words" in text and "S.'s" not in text
    # (another person's initials stay: L. chose to be credited by them)
    from coplan.privacy import Redaction

    assert Redaction(example("minds"), "sam", own=True).text("in L.'s words") == "in L.'s words"
    tendai = export_example("minds", "contributor-pack", person="tendai").decode()
    assert "This pack is for you, T.\n" in tendai  # (a name ending as a sentence does)
    # Two people with the same initials: "S." could be either, so it stays as written.

    plan = example("minds")
    twin = replace(plan, people=(*plan.people, replace(plan.people[0], id="sol", name="Sol",
                                                         share_name=False)))
    assert Redaction(twin, "sam", own=True).text("in S.'s words") == "in S.'s words"
    assert Redaction(plan, "sam", own=True).text("in S.'s words. U.S. rules") == \
        "in Sam's words. U.S. rules"


def test_people_said_as_someone_are_counted_not_listed() -> None:
    """Where everyone keeps their name private and no role has five holders, the team's
    words read "which two people helped write", not "which someone and someone helped
    write" (GRIPP2 for leads, and every report that names nobody)."""
    plan = example("minds")
    private = replace(plan, people=tuple(replace(p, share_name=False) for p in plan.people))
    for report, values in (("gripp2", {"form": "long"}), ("impact", {})):
        text = export(private, report, "md", audience="leads", today=EXAMPLES["minds"][1],
                      **values).decode()
        assert "someone and someone" not in text.lower(), report
        assert not [m.group(0) for m in _NAMED.finditer(text)], report
    gripp2 = export(private, "gripp2", "md", audience="leads", today=EXAMPLES["minds"][1],
                    form="long").decode()
    assert "which two people helped write" in gripp2


@pytest.mark.parametrize(("written", "said"), [
    ("which Sam and Morag helped write", "which two people helped write"),
    ("Sam and Morag's idea", "Two people's idea"),
    ("Sam, Morag, and Dev came", "Three people came"),
    ("Dev & Sam came", "Two people came"),
    ("Thanks to Sam, Morag led it", "Thanks to someone, someone led it"),  # not a list
    ("asked Sam, then Morag", "asked someone, then someone"),
])
def test_counted_lists_read_as_a_person_would_write_them(written: str, said: str) -> None:
    from coplan.privacy import Redaction

    plan = example("minds")
    private = replace(plan, people=tuple(replace(p, share_name=False) for p in plan.people))
    assert Redaction(private, "leads", anonymous=True).text(written) == said


def test_a_count_says_no_more_than_the_list_did() -> None:
    """Which of the people who keep their name private a sentence names cannot be told
    from what readers see: any two of them give the same words, any three the same, and
    a role said beside them stays a role."""
    from itertools import combinations

    from coplan.privacy import Redaction

    plan = example("minds")
    private = replace(plan, people=tuple(replace(p, share_name=False) for p in plan.people))
    hide = Redaction(private, "leads", anonymous=True)
    names = [p.name for p in private.people if p.name and
             hide.text(p.name).lower() == "someone"]
    assert len(names) >= 3
    for n in (2, 3):
        said = {hide.text(f"which {', '.join(group[:-1])} and {group[-1]} helped write")
                for group in combinations(names, n)}
        assert said == {f"which {['two', 'three'][n - 2]} people helped write"}


def _contact_kept_private(role: str = "facilitator") -> str:
    """PRIVATE with a contact who keeps their name from others' copies, whose role in
    their own words is what their kind says ("facilitator: facilitator" was the fault),
    and the team's ways of getting in touch."""
    return PRIVATE.replace('contact = "lead"', 'contact = "jo"') + f"""
[[person]]
id = "jo"
name = "Jo Marsh"
kind = "facilitator"
share_name = false
role = "{role}"

[communication]
channels = ["Phone or text the project phone"]
"""


def test_a_persons_own_pack_names_their_contact_and_says_how_to_reach_them() -> None:
    """The contact agreed to be reached by the people they support, so each one's own
    pack names them (with the initials the team's words in the pack use) and says how to
    reach them; no sentence repeats a role it has just said."""
    for text in _texts(_contact_kept_private(), "contributor-pack", "zq"):
        assert "Your contact is Jo Marsh (J.M.), facilitator." in text, text
        assert "Phone or text the project phone" in text
        assert "facilitator: facilitator" not in text.lower()
    own = _texts(_contact_kept_private("Involvement lead"), "contributor-pack", "zq")[0]
    assert "Your contact is Jo Marsh (J.M.), involvement lead." in own


def test_the_group_pack_keeps_a_private_contacts_name_and_still_says_how_to_reach_them(
) -> None:
    """The general pack may go to anyone: the contact is their initials and role, once,
    and the team's ways of getting in touch follow."""
    for text in _texts(_contact_kept_private(), "contributor-pack", "lived-experience"):
        assert "Jo Marsh" not in text and "Marsh" not in text
        assert "Your contact is J.M. (facilitator)." in text, text
        assert "Phone or text the project phone" in text
