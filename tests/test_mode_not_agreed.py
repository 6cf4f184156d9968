"""A touchpoint or meeting whose ``mode`` the team has not written is not said to be in
person: every output says how people take part is not yet agreed, the costs count no venue
or travel for it, and the review finds it where people with lived experience take part.

Found by trying the product: the schema took a missing ``mode`` to be "in-person", so a
newsletter read "Other; in person" in the protocol and CP-INC-005 said "every touchpoint is
an other, in person".
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.export.contract import Options, run_export
from coplan.planfile import parse_plan
from coplan.plugins import all_exporters
from coplan.review import review
from coplan.review.rules import builtin_rules
from coplan.schedule import schedule
from coplan.vocab import MODE_NOT_AGREED, mode_label
from export_sweep import STAMP

PLAN = """\
[project]
title = "Newsletters"
start = 2027-03-01
timezone = "Europe/London"

[payment]
standard = "hourly"
expenses = ["travel", "subsistence"]

  [[payment.rates]]
  amount = 25
  per = "hour"

[[person]]
id = "sam"
name = "Sam"
kind = "lived-experience"
share_name = true
needs = []
needs_asked = 2027-01-01
payment = "hourly"

[[person]]
id = "kit"
name = "Kit"
kind = "lived-experience"
share_name = true
needs = []
needs_asked = 2027-01-01
payment = "hourly"

[[stage]]
id = "news"
title = "Keeping people in touch"
duration = "4w"

  [[stage.touchpoint]]
  id = "spring-news"
  title = "Spring newsletter"
  purpose = "What we did and what comes next"
  who = ["sam", "kit"]
  time = "11:00"

  [[stage.touchpoint]]
  id = "summer-news"
  title = "Summer newsletter"
  purpose = "What changed because of what people said"
  who = ["sam", "kit"]
  time = "11:00"

[[meeting]]
id = "group"
title = "Advisory group"
every = "4w"
day = "tue"
time = "14:00"
length = "1h"
who = ["sam", "kit"]
"""


# "in person" said of a session (not in the list of the ways people can take part)
IN_PERSON = re.compile(r"in person(?!, online)", re.IGNORECASE)


def _plan():  # type: ignore[no-untyped-def]
    return parse_plan(PLAN, "plan.toml")


def test_a_mode_left_out_is_none() -> None:
    plan = _plan()
    assert all(tp.mode is None for tp in plan.touchpoints)
    assert all(m.mode is None for m in plan.meetings)
    assert mode_label(None) == MODE_NOT_AGREED and mode_label("phone") == "By phone"


def test_the_review_says_so_and_never_calls_it_in_person() -> None:
    report = review(_plan(), registry=builtin_rules())
    said = [f.message for f in report.findings]
    assert not any(IN_PERSON.search(m) for m in said), said
    gaps = [f.message for f in report.findings if f.rule == "CP-ACC-004"]
    assert len(gaps) == 2 and all("does not say how people take part" in m for m in gaps)
    five = [f.message for f in report.findings if f.rule == "CP-INC-005"]
    assert five == ["every touchpoint is an other, way of taking part not yet agreed"]


@pytest.mark.parametrize(("name", "fmt"), [("protocol", "md"), ("ics", "ics"),
                                           ("impact", "md")])
def test_no_output_says_in_person(name: str, fmt: str) -> None:
    plan = _plan()
    exporter = all_exporters().get(name)
    assert exporter is not None
    text = " ".join(run_export(exporter, plan, schedule(plan), Options(
        format=fmt, audience="team", when=STAMP)).decode().replace("\r\n ", "").split())
    assert not IN_PERSON.search(text.lower()), name
    if name != "impact":  # (the impact report says how only of sessions held)
        assert "not yet agreed" in text.lower(), name


def test_the_schedule_says_none() -> None:
    result = CliRunner().invoke(cli, ["schedule", str(_write()), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [r for r in json.loads(result.output)["items"] if r.get("kind") == "session"] \
        if isinstance(json.loads(result.output), dict) else []
    assert rows and all(r["mode"] is None for r in rows), result.output[:400]


def _write():  # type: ignore[no-untyped-def]
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp(prefix="mend13a-mode-")) / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_the_costs_count_no_venue_or_travel() -> None:
    from coplan.costs import EVERYONE_IN_PERSON, _expenses_of, activities

    plan = _plan()
    found = activities(plan, schedule(plan))
    assert found
    person = plan.person("sam")
    assert person is not None
    assert all(not (_expenses_of(person, a) & EVERYONE_IN_PERSON) for a in found)
    # (said in person, the same sessions have travel)
    in_person = parse_plan(PLAN.replace('  time = "11:00"', '  time = "11:00"\n  mode = '
                                        '"in-person"'), "plan.toml")
    assert all(_expenses_of(person, a) & EVERYONE_IN_PERSON
               for a in activities(in_person, schedule(in_person)) if a.stage is not None)
