"""A review that was not whole never passes as one (found by trying the product in CI):
``--select`` with a typo chose no rule and printed "No errors: co-production is built into
every stage" with exit 0; a plugin's error rule that raised was a warning, JUnit passed its
test case and SARIF said the run succeeded."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.planfile import load_plan
from coplan.review import review
from coplan.review.engine import Registry, Severity, rule
from coplan.review.report_formats import to_junit, to_sarif

ROOT = Path(__file__).resolve().parents[2]
MINDS = ROOT / "examples" / "minds-discharge.toml"


@pytest.mark.parametrize("option", ["--select", "--ignore"])
@pytest.mark.parametrize("given", ["CP-NOPE", "CP-PAY,NOPE", "cp-pay-999"])
def test_a_rule_id_that_matches_nothing_is_a_usage_error(option: str, given: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(MINDS), option, given,
                                      "--today", "2027-09-10"])
    assert result.exit_code == 64, result.output
    unknown = [g for g in given.split(",") if g not in ("CP-PAY",)]
    for word in unknown:
        assert word in result.output
    assert "not the id of a rule" in result.output
    assert option in result.output


@pytest.mark.parametrize("given", ["CP-PAY", "pay", "CP-STG-007", "STG,ACC"])
def test_ids_and_groups_that_match_are_taken(given: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(MINDS), "--select", given,
                                      "--today", "2027-09-10", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.output)["plans"][0]["rules_checked"]


def test_a_selection_does_not_speak_for_the_whole_review() -> None:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        cli, ["check", str(ROOT / "examples" / "teaching-workshop.toml"), "--select",
              "CP-STG-007", "--format", "json"])
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.output)["plans"][0]["verdict"]
    assert "built into every stage" not in verdict
    assert "1 rule chosen with --select (CP-STG-007)" in verdict
    assert "not the whole review" in verdict
    whole = CliRunner().invoke(cli, ["check", str(ROOT / "examples" / "teaching-workshop.toml"),
                                     "--format", "json"])
    assert "--select" not in json.loads(whole.output)["plans"][0]["verdict"]


def _crashing(severity: Severity) -> Registry:
    registry = Registry()

    @rule("X-BAD-001", "Breaks", severity, why="A test.", fix="None.", registry=registry)
    def broken(ctx):  # type: ignore[no-untyped-def]
        raise KeyError("no such key")
        yield  # (a generator, as rules are)

    @rule("X-OK-001", "Works", Severity.INFO, why="A test.", fix="None.", registry=registry)
    def works(ctx):  # type: ignore[no-untyped-def]
        return iter(())

    return registry


@pytest.mark.parametrize("severity", [Severity.ERROR, Severity.WARNING, Severity.INFO])
def test_a_rule_that_could_not_run_is_not_a_pass(severity: Severity) -> None:
    plan = load_plan(MINDS)
    report = review(plan, registry=_crashing(severity))
    crash = [f for f in report.findings if f.rule == "X-BAD-001"]
    assert [f.severity for f in crash] == [max(severity, Severity.WARNING)]
    assert report.errors == (1 if severity == Severity.ERROR else 0)
    assert report.failed == {"X-BAD-001": "KeyError"}

    sarif = json.loads(to_sarif([report]))
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["descriptor"] == {"id": "X-BAD-001"} and note["level"] == "error"
    assert "could not run" in note["message"]["text"]

    suite = ET.fromstring(to_junit([report])).find("testsuite")
    assert suite is not None and suite.get("errors") == "1"
    cases = {c.get("name", "").split()[0]: c for c in suite.iter("testcase")}
    assert cases["X-BAD-001"].find("error") is not None
    assert cases["X-BAD-001"].find("failure") is None  # unknown, not failed
    assert cases["X-OK-001"].find("error") is None


def test_a_whole_review_is_successful_in_sarif_and_junit() -> None:
    plan = load_plan(MINDS)
    registry = Registry()

    @rule("X-OK-001", "Works", Severity.INFO, why="A test.", fix="None.", registry=registry)
    def works(ctx):  # type: ignore[no-untyped-def]
        return iter(())

    report = review(plan, registry=registry)
    assert report.failed == {}
    invocation = json.loads(to_sarif([report]))["runs"][0]["invocations"][0]
    assert invocation == {"executionSuccessful": True}
    assert ET.fromstring(to_junit([report])).find("testsuite").get("errors") == "0"  # type: ignore[union-attr]
