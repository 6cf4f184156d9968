"""What the team wrote about how the work went leaves the team only as the one rule set in
``sharing`` says, field by field, in every export (whatever is registered, so a new one
is held to it too), for every audience and for a person's own view:

* why a session was moved or cancelled never (it is often someone's absence or health),
  though it still counts as moved;
* a session record's notes never;
* what a reflection noticed and changed only where the team marked it ``share = true``.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from coplan.export.contract import Exporter, Options, run_export
from coplan.planfile import parse_plan
from coplan.plugins import all_exporters
from coplan.schedule import schedule
from coplan.sharing import KEPT_PRIVATE, REASON_KEPT, shared_plan

PLAN = """\
[project]
title = "Getting home"
start = 2027-03-01
aim = "People who have left a ward shape how discharge works."

[[person]]
id = "tendai"
name = "Tendai Moyo"
kind = "lived-experience"
payment = "not-offered"
payment_reason = "Declined: worried about losing ESA after the stroke"

[[person]]
id = "morag"
name = "Morag Campbell"
kind = "carer"
share_name = true

[[person]]
id = "kit"
name = "Kit Shaw"
kind = "researcher"
share_name = true

[governance]
lead = "kit"

[[stage]]
id = "listen"
title = "Listening"
duration = "6w"
started = 2027-03-01
finished = 2027-04-09

  [[stage.touchpoint]]
  id = "drop-in"
  title = "Drop-in"
  format = "workshop"
  ladder = "co-production"
  role = "partner"
  who = ["tendai", "morag", "kit"]
  when = ["+2d", "+10d", "+20d"]

    [[stage.touchpoint.record]]
    session = 1
    status = "held"
    on = 2027-03-10
    why = "Moved a week: Tendai was in hospital with pneumonia"
    attended = ["tendai", "morag", "kit"]
    contributed = "People said the invitation sounded like the hospital."
    changed = "The invitation now starts with who the peer researchers are."
    notes = "Morag's husband had a fall the night before; offer her a later start"

    [[stage.touchpoint.record]]
    session = 2
    status = "cancelled"
    why = "Cancelled: the facilitator had chemotherapy that week"

[[reflection]]
date = 2027-03-20
who = ["tendai", "morag", "kit"]
noticed = "Morag missed the practice interviews because her care fell through."
changed = "Replacement care is booked a week ahead."

[[reflection]]
date = 2027-04-09
who = ["tendai", "morag", "kit"]
noticed = "Online sessions tire people more than we expected."
changed = "Online sessions are now ninety minutes with a break."
share = true
"""

PRIVATE = ["pneumonia", "in hospital", "chemotherapy", "had a fall", "later start",
           "care fell through", "replacement care is booked", "losing esa", "stroke"]
SHARED = "online sessions tire people"
WHEN = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


def _text(data: bytes) -> str:
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                             if n.endswith((".xml", ".rels")))
    return data.decode("utf-8", "replace").replace("\r\n ", "")


def _cases() -> list[tuple[str, str, str]]:
    cases = []
    for exporter in all_exporters():
        audiences = [*exporter.audiences,
                     *(["tendai", "morag"] if exporter.per_person else [])]
        fmt = next((f for f in exporter.formats if not f.unavailable() and
                    not f.binary), None) or exporter.formats[0]
        for audience in audiences:
            cases.append((exporter.name, fmt.name, audience))
    return cases


@pytest.mark.parametrize(("name", "fmt", "audience"), _cases(),
                         ids=["-".join(c) for c in _cases()])
def test_no_export_tells_what_stays_with_the_team(name: str, fmt: str, audience: str) -> None:
    exporter = all_exporters().get(name)
    assert isinstance(exporter, Exporter)
    format_ = next(f for f in exporter.formats if f.name == fmt)
    missing = format_.unavailable()
    if missing:
        pytest.skip(missing)
    plan = parse_plan(PLAN)
    options = Options(format=fmt, audience=audience, when=WHEN)
    if "today" in {o.name for o in exporter.options}:
        options = Options(format=fmt, audience=audience, when=WHEN,
                          values={"today": date(2027, 6, 1)})
    text = _text(run_export(exporter, plan, schedule(plan), options)).lower()
    for words in PRIVATE:
        assert words not in text, f"{words!r} in export {name} --audience {audience}"


def test_the_copy_keeps_that_a_session_moved_and_what_the_team_agreed_to_share() -> None:
    plan = parse_plan(PLAN)
    for audience in ("team", "leads", "lived-experience", "tendai"):
        copy, _ = shared_plan(plan, audience, own=audience == "tendai")
        records = copy.touchpoints[0].records
        assert [r.why for r in records] == [REASON_KEPT, REASON_KEPT]
        assert [r.notes for r in records] == ["", ""]
        kept, shared = copy.reflections
        assert (kept.noticed, kept.changed) == ("", "")
        assert kept.date == plan.reflections[0].date  # (still counted)
        assert SHARED in shared.noticed.lower()
        # Why someone is not paid stays between them and the team (their own copy has it).
        reason = copy.people[0].payment_reason
        assert ("ESA" in reason) if audience == "tendai" else reason == KEPT_PRIVATE
    # The plan itself, the team's own view, keeps every word.
    assert "pneumonia" in plan.touchpoints[0].records[0].why


def test_gripp2_reports_the_shared_reflection_and_counts_the_other() -> None:
    exporter = all_exporters().get("gripp2")
    assert isinstance(exporter, Exporter)
    plan = parse_plan(PLAN)
    for audience in exporter.audiences:
        text = run_export(exporter, plan, schedule(plan), Options(
            format="md", audience=audience, when=WHEN, values={"today": date(2027, 6, 1)})
        ).decode()
        assert SHARED in text.lower()
        assert "More reflections kept within the team: 1" in text
        assert "Drop-in (session 1 of 3): moved, and held on 10 March 2027. " \
            f"{REASON_KEPT}" in text


def test_a_reflection_marked_to_share_says_so_in_the_plan_format() -> None:
    root = Path(__file__).resolve().parents[1]
    page = (root / "docs" / "plan-format.md").read_text(encoding="utf-8")
    assert "| `share` | true/false | `false` |" in page


@pytest.mark.parametrize("fmt", ["json", "sarif", "markdown", "junit"])
def test_the_reviews_reports_for_others_say_one_person_is_owed_not_who(
        fmt: str, tmp_path: Path) -> None:
    """Payment details stay out of what others read: the review's reports made for others
    say a payment is owed, or someone was paid before benefits advice, as the progress
    report for leads does ("one person"), never who."""
    from click.testing import CliRunner

    from coplan.cli import cli

    root = Path(__file__).resolve().parents[1]
    text = (root / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")
    # Morag, who shares her name, has not been offered benefits advice (CP-PAY-004).
    text = text.replace('benefits_advice = "signposted"\n', "", 1)
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--today", "2027-09-10",
                                      "--format", fmt])
    assert result.exit_code == 1, result.output
    out = result.output
    assert out.count("payment owed to one person, for session 1 of 'Drop-in at the "
                     "community centre'") >= 2
    assert "one person is paid but has not been offered benefits advice" in out
    said = [part for part in re.split(r'["\n|<>]', out)
            if "owed to" in part or "benefits advice" in part]
    assert said
    for part in said:
        for who in ("Morag", "morag", "T.", "Tendai", "tendai"):
            assert who not in part, part


def test_the_review_points_at_health_in_the_words_that_go_out() -> None:
    """CP-PRI-003 points at a sentence that goes out in reports and says someone and their
    health or care; not at the study's topic alone, nor at words that stay with the team
    (why a session moved, notes, reflections not marked to share)."""
    from coplan.review import review
    from coplan.review.rules import builtin_rules
    from coplan.review.rules.privacy_health import _people_words, says_someones_health

    plan = parse_plan(PLAN)
    people = _people_words(plan)
    for said in ("Tendai was in hospital, so Morag led it.", "T. was unwell.",
                 "Her care fell through.", "Kit had a fall the week before."):
        assert says_someones_health(said, people), said
    for said in ("People said leaving hospital felt rushed.", "Morag chaired the drop-in.",
                 "Twenty people came. Medication at discharge confused them.",
                 "The illness model of the ward was questioned by the group."):
        assert not says_someones_health(said, people), said
    # The plan's private words stay with the team, so they are not pointed at.
    assert not [f for f in review(plan, None, registry=builtin_rules(),
                                  select=["CP-PRI-003"]).findings]
    told = parse_plan(PLAN.replace('changed = "The invitation now starts with who the peer '
                                   'researchers are."', 'changed = "The invitation changed. '
                                   'Tendai was in hospital, so Morag led it."'))
    found = review(told, None, registry=builtin_rules(), select=["CP-PRI-003"]).findings
    assert [f.message for f in found] == [
        "'changed' in record 1 of touchpoint 'drop-in' says something about someone's "
        "health or care, and goes in reports for others"]
    assert found[0].line == PLAN.splitlines().index(
        '    changed = "The invitation now starts with who the peer researchers are."') + 1


def test_an_impact_entry_or_reflection_is_named_by_its_date() -> None:
    """CP-PRI-003 names an impact log entry or a shared reflection by its date, not by its
    place in the file ("impact log entry 1" told nobody which one)."""
    from coplan.review import review
    from coplan.review.rules import builtin_rules

    told = parse_plan(PLAN + '''
[[impact]]
date = 2027-03-04
touchpoint = "drop-in"
changed = "Tendai was in hospital, so Morag led it."
''')
    found = review(told, None, registry=builtin_rules(), select=["CP-PRI-003"]).findings
    assert [f.message for f in found] == [
        "'changed' in the impact log entry of 2027-03-04 says something about someone's "
        "health or care, and goes in reports for others"], [f.message for f in found]
