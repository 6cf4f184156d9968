"""Accepting one finding with a reason (``[[review.accept]]``), not its whole rule.

An accepted finding is not counted, is shown with its reason in every report format, and
an acceptance that no longer matches a finding is reported, so none pile up unseen.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_edits import REGISTRY, parse
from test_report_formats import _validate, sarif_validator  # noqa: F401 (a fixture)

from coplan.cli import cli
from coplan.edit import PlanDocument
from coplan.model import Acceptance
from coplan.review import review
from coplan.review.engine import Finding, Severity
from coplan.review.report_formats import for_others, to_json, to_markdown
from coplan.review.runner import acceptance_keys, acceptance_of

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"
TODAY = date(2027, 9, 10)  # MINDS at month eight: a payment and a feedback note overdue
# Six voices asked of each touchpoint: CP-INC-002 finds something about nearly every one.
TEXT = EXAMPLE.read_text(encoding="utf-8").replace("min_voices = 2", "min_voices = 6")
REASON = "The venue flooded: we phoned everyone that week, and the note went late"


def _plan(extra: str = "", text: str = TEXT) -> object:
    return parse(text + extra, "minds.toml")


def _review(extra: str = "", **options: object) -> object:
    return review(_plan(extra), registry=REGISTRY, today=TODAY, **options)  # type: ignore[arg-type]


BASE = _review()


def _key(f: Finding) -> tuple[str, tuple[str, str, int], str]:
    """What an acceptance names of a finding: its rule, subject and entry, and the person
    where the rule makes one finding for each person about that one thing."""
    return (f.rule, f.subject.key, f.subject.person)


def _entry(f: Finding, reason: str = REASON) -> str:
    keys = {**acceptance_keys(f), "reason": reason}
    return "\n[[review.accept]]\n" + "".join(
        f"{k} = {json.dumps(v)}\n" for k, v in keys.items())


def _first(rule: str) -> Finding:
    return next(f for f in BASE.findings if f.rule == rule)  # type: ignore[attr-defined]


# -- the engine ---------------------------------------------------------------------------------

def test_an_accepted_finding_is_not_counted_and_keeps_its_reason() -> None:
    late = _first("CP-DEL-001")
    assert late.subject.entry == 1  # (a session record: the entry names it)
    report = _review(_entry(late))
    assert late not in report.findings
    assert report.accepted == [replace(late, accepted=REASON)]
    assert report.errors == BASE.errors - 1
    assert (report.warnings, report.infos) == (BASE.warnings, BASE.infos)
    assert acceptance_of(report.plan, late) == 0


def test_the_rule_stays_on_for_everything_else() -> None:
    voices = [f for f in BASE.findings if f.rule == "CP-INC-002"]
    assert len(voices) > 3
    report = _review(_entry(voices[1]))
    assert [f for f in report.findings if f.rule == "CP-INC-002"] == \
        [voices[0], *voices[2:]]
    assert [f.subject.id for f in report.accepted] == [voices[1].subject.id]


def test_an_acceptance_that_matches_nothing_is_reported_at_its_line() -> None:
    late = _first("CP-DEL-001")
    stale = _entry(replace(late, subject=replace(late.subject, entry=9)))
    report = _review(stale)
    [warning] = [f for f in report.findings if f not in BASE.findings]
    assert warning.severity == Severity.WARNING and warning.rule == "CP-DEL-001"
    assert "finds nothing about it now" in warning.message
    assert "touchpoint 'community-drop-in', session record 9" in warning.message
    lines = (TEXT + stale).splitlines()
    assert lines[warning.line - 1] == "[[review.accept]]"
    assert not report.accepted


def test_an_unknown_rule_and_a_second_entry_are_reported() -> None:
    late = _first("CP-DEL-001")
    unknown = "\n[[review.accept]]\nrule = \"CP-NOPE-001\"\nreason = \"typo\"\n"
    report = _review(_entry(late) + _entry(late, "again") + unknown)
    said = [f.message for f in report.findings if f not in BASE.findings]
    assert len(said) == 2
    assert any("'CP-NOPE-001'" in m and "not a rule coplan knows" in m for m in said)
    assert any("a second time" in m for m in said)
    assert [f.accepted for f in report.accepted] == [REASON]  # the first entry's reason


def test_an_acceptance_of_a_rule_that_did_not_run_waits() -> None:
    """Switched off, or left out on the command line: the acceptance is not stale, it
    may match when the rule runs again."""
    late = _first("CP-DEL-001")
    switched = _entry(late) + '\n[review.skip]\n"CP-DEL-001" = "we are behind"\n'
    report = _review(switched)
    assert not report.accepted and report.findings == [
        f for f in BASE.findings if f.rule != "CP-DEL-001"]
    report = _review(_entry(late), ignore=["CP-DEL"])
    assert not report.accepted
    assert not [f for f in report.findings if "review.accept" in f.message]


def test_a_stage_renamed_is_renamed_in_its_acceptance(tmp_path: Path) -> None:
    """The stage an acceptance names is carried with a rename, as the records' are."""
    path = tmp_path / "plan.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8") + "\n[[review.accept]]\n"
                    'rule = "CP-STG-007"\nstage = "approvals"  # the committee\'s limits\n'
                    'reason = "shown so the protocol explains the limits"\n', encoding="utf-8")
    doc = PlanDocument.open(path)
    doc.rename_stage("approvals", "ethics")
    assert 'stage = "ethics"  # the committee\'s limits\n' in doc.text()
    plan = parse(doc.text(), "minds.toml")
    report = review(plan, registry=REGISTRY, today=TODAY)
    assert [(f.rule, f.subject.id) for f in report.accepted] == [("CP-STG-007", "ethics")]


def test_an_acceptance_needs_a_rule_and_a_reason() -> None:
    from coplan.errors import PlanError

    with pytest.raises(PlanError) as caught:
        _plan('\n[[review.accept]]\nrule = "CP-DEL-001"\ntouchpoint = "x"\n')
    assert "reason" in str(caught.value)


# -- the property -------------------------------------------------------------------------------

_SUBJECTS = sorted({_key(f) for f in BASE.findings})  # type: ignore[attr-defined]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.sampled_from(_SUBJECTS)))
def test_an_acceptance_suppresses_exactly_its_finding_and_nothing_else(
        chosen: set[tuple[str, tuple[str, str, int], str]]) -> None:
    """Whatever findings are accepted, those (and only those) leave the counted findings
    and are shown as accepted; every other finding is as it was, in the same order.  One
    finding each: a rule's findings about one session record, one for each person owed,
    are accepted one at a time."""
    base = BASE.findings  # type: ignore[attr-defined]
    assert len(_SUBJECTS) == len(base)  # (each finding is named apart from the others)
    plan = _plan()
    by = {"touchpoint": "touchpoint", "stage": "stage", "person": "person",
          "meeting": "meeting", "project": "part"}
    accepted = tuple(Acceptance(rule=rule, reason=f"reason {i}", entry=entry,
                                **({by[kind]: id_} if id_ else {}),  # type: ignore[arg-type]
                                **({"person": person} if person else {}))
                     for i, (rule, (kind, id_, entry), person) in enumerate(sorted(chosen)))
    plan = replace(plan, review=replace(plan.review, accepted=accepted))  # type: ignore[type-var]
    report = review(plan, registry=REGISTRY, today=TODAY)
    assert report.findings == [f for f in base if _key(f) not in chosen]
    assert [replace(f, accepted="") for f in report.accepted] == \
        [f for f in base if _key(f) in chosen]
    reasons = {key: f"reason {i}" for i, key in enumerate(sorted(chosen))}
    assert all(f.accepted == reasons[_key(f)] for f in report.accepted)


# -- every report format, end to end ------------------------------------------------------------

@pytest.fixture(scope="module")
def accepted_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("accept") / "minds.toml"
    path.write_text(TEXT + _entry(_first("CP-DEL-001")), encoding="utf-8")
    return path


def _check(path: Path, *args: str) -> tuple[int, str]:
    done = CliRunner().invoke(cli, ["check", str(path), "--today", "2027-09-10", *args])
    return done.exit_code, done.stdout


def test_the_text_report_shows_it_with_its_reason(accepted_plan: Path) -> None:
    code, out = _check(accepted_plan, "--no-summary")
    assert code == 1  # (other errors remain)
    assert "Accepted with a reason (not counted):" in out
    section = out[out.index("Accepted with a reason"):]
    assert "CP-DEL-001" in section and "accepted: The venue flooded" in section
    assert f"{BASE.errors - 1} errors" in " ".join(out.split())  # type: ignore[attr-defined]


def test_the_json_report_lists_it_apart_with_its_reason(accepted_plan: Path) -> None:
    _, out = _check(accepted_plan, "--format", "json")
    data = json.loads(out)
    assert data["version"] == 2
    [plan] = data["plans"]
    [late] = plan["accepted"]
    assert (late["rule"], late["reason"]) == ("CP-DEL-001", REASON)
    assert late["subject"] == {"kind": "touchpoint", "id": "community-drop-in",
                               "stage": "recruit", "entry": 1, "person": ""}
    assert all(f["rule"] != "CP-DEL-001" for f in plan["findings"])
    assert plan["errors"] == BASE.errors - 1  # type: ignore[attr-defined]


def test_sarif_marks_it_suppressed_with_the_justification(
        accepted_plan: Path, sarif_validator: object) -> None:  # noqa: F811
    _, out = _check(accepted_plan, "--format", "sarif")
    data = _validate(sarif_validator, out)
    suppressed = [r for r in data["runs"][0]["results"] if r.get("suppressions")]
    assert [(r["ruleId"], r["suppressions"]) for r in suppressed] == [
        ("CP-DEL-001", [{"kind": "inSource", "status": "accepted", "justification": REASON}])]


def test_junit_skips_it_with_the_reason(accepted_plan: Path) -> None:
    _, out = _check(accepted_plan, "--format", "junit")
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None
    [case] = [c for c in suite.iter("testcase") if c.get("classname") == "coplan.accepted"]
    assert case.get("name", "").startswith("CP-DEL-001 about touchpoint 'community-drop-in'")
    skipped = case.find("skipped")
    assert skipped is not None and skipped.get("message") == f"accepted: {REASON}"
    assert suite.get("skipped") == "1"
    failing = next(c for c in suite.iter("testcase")
                   if c.get("name", "").startswith("CP-DEL-001 "))
    assert failing.find("failure") is None  # its one finding is accepted


def test_markdown_has_a_section_for_it(accepted_plan: Path) -> None:
    _, out = _check(accepted_plan, "--format", "markdown")
    section = out[out.index("## Findings accepted, and why"):]
    assert "| CP-DEL-001 |" in section and REASON in section


def test_readers_outside_the_team_see_the_reason_without_a_hidden_name() -> None:
    """The reason is the team's own words: redacted as any other (Sam keeps her name
    private), for findings accepted and rules switched off alike."""
    late = _first("CP-DEL-001")
    report = _review(_entry(late, "Sam phoned everyone that week")
                     + '\n[review.skip]\n"CP-STG-007" = "Sam says it is fine"\n')
    shared = for_others(report)
    for text in (to_json([shared]), to_markdown([shared])):
        assert "Sam" not in text
        assert "S. phoned everyone" in text and "S. says it is fine" in text


def test_a_reason_about_someones_pay_is_kept_to_the_plan() -> None:
    """A finding about what one person is owed says "one person" to readers outside the
    team; the reason it was accepted would say who again ("M.C. asked us to pay her next
    week", in initials), so readers are told only that there was one, and the team's own
    screen keeps it whole."""
    from coplan.sharing import ABOUT_SOMEONES_PAY

    owed = next(f for f in BASE.findings if f.rule in ABOUT_SOMEONES_PAY)  # type: ignore[attr-defined]
    said = "Morag Campbell asked us to pay her with next month's claim"
    report = _review(_entry(owed, said)
                     + f'\n[review.skip]\n"{owed.rule}" = "Morag Campbell prefers cash"\n')
    assert any(f.accepted == said for f in report.accepted) or report.skipped  # type: ignore[attr-defined]
    shared = for_others(report)
    for text in (to_json([shared]), to_markdown([shared])):
        # (Morag shares her name, so it is elsewhere in the report: the reasons are not)
        assert "next month's claim" not in text and "prefers cash" not in text
        assert "a reason about someone's pay, kept to the plan itself" in text


# -- several findings about one thing -----------------------------------------------------------

DROP_IN = ("touchpoint", "community-drop-in", 1)


def test_one_of_the_payments_owed_for_a_session_is_accepted_alone() -> None:
    """CP-DEL-002 finds a payment owed to each of two people at one session record: the
    app's acceptance names the person, and accepts that one."""
    owed = [f for f in BASE.findings if f.rule == "CP-DEL-002"]  # type: ignore[attr-defined]
    assert [(f.subject.key, f.subject.person) for f in owed] == [
        (DROP_IN, "morag"), (DROP_IN, "tendai")]
    keys = acceptance_keys(owed[1])
    assert keys == {"rule": "CP-DEL-002", "touchpoint": "community-drop-in", "entry": 1,
                    "person": "tendai"}
    report = _review(_entry(owed[1]))
    assert [f.subject.person for f in report.accepted] == ["tendai"]  # type: ignore[attr-defined]
    assert [f.subject.person for f in report.findings  # type: ignore[attr-defined]
            if f.rule == "CP-DEL-002"] == ["morag"]
    assert acceptance_of(_plan(_entry(owed[1])), owed[1]) == 0  # type: ignore[arg-type]
    assert acceptance_of(_plan(_entry(owed[1])), owed[0]) is None  # type: ignore[arg-type]


def test_an_acceptance_written_before_still_accepts_them_all_and_says_how_to_name_one(
        ) -> None:
    old = ('\n[[review.accept]]\nrule = "CP-DEL-002"\ntouchpoint = "community-drop-in"\n'
           f'entry = 1\nreason = "{REASON}"\n')
    report = _review(old)
    assert [f.subject.person for f in report.accepted] == ["morag", "tendai"]  # type: ignore[attr-defined]
    said = [f for f in report.findings if f.subject.key == ("project", "review", 1)]  # type: ignore[attr-defined]
    assert len(said) == 1 and said[0].severity == Severity.INFO
    assert "accepts 2 of CP-DEL-002's findings" in said[0].message
    assert "one for each person" in said[0].message
    assert "'Person'" in said[0].fix and "Review tab (A)" in said[0].fix
    assert report.errors == BASE.errors - 2  # type: ignore[attr-defined]


LATER = '''
[[reflection]]
date = 2027-10-01
noticed = "One from later."

[[reflection]]
date = 2027-11-01
noticed = "Another from later."
'''


def test_findings_about_entries_of_the_record_name_each_entry() -> None:
    """CP-DEL-011 finds each reflection dated after today: each about its own entry, so
    one acceptance names one; one without an entry (as written before) names them all."""
    report = _review(LATER)
    later = [f for f in report.findings if f.rule == "CP-DEL-011"]  # type: ignore[attr-defined]
    first = len(_plan().reflections)  # type: ignore[attr-defined]
    assert [f.subject.key for f in later] == [("project", "reflection", first + 1),
                                             ("project", "reflection", first + 2)]
    one = _review(LATER + _entry(later[1]))
    assert [f.subject.entry for f in one.accepted] == [first + 2]  # type: ignore[attr-defined]
    both = _review(LATER + '\n[[review.accept]]\nrule = "CP-DEL-011"\npart = "reflection"\n'
                   f'reason = "{REASON}"\n')
    assert len(both.accepted) == 2  # type: ignore[attr-defined]
    said = [f for f in both.findings if f.subject.key == ("project", "review", 1)]  # type: ignore[attr-defined]
    assert len(said) == 1 and "one for each entry" in said[0].message
    assert "'Which entry'" in said[0].fix
