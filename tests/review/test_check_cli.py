"""``coplan check`` as a person (or a CI job) runs it: exit codes, what the text shows, files.

Exit status: 0 no errors (with --strict, no warnings either), 1 errors, 2 a plan that
cannot be read.  Severity is shown by a symbol and a word, never by colour alone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from plan_edits import REGISTRY, drop, edited, good_text, key, parse, sub

from coplan.cli import cli
from coplan.durations import plain_days
from coplan.schedule import schedule

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))

# An error (CP-SUP-001) and a warning (CP-SUP-003), both pointing at [support].
BAD_TEXT = edited(drop(key("contact")), drop(key("staff_training")))
# Only a warning: CP-SUP-003.
WARNING_TEXT = edited(drop(key("staff_training")))


def run(*args: str | Path) -> Result:
    # A wide console so findings stay on one line; no colour (as in a CI log or a pipe).
    env = {"COLUMNS": "200", "FORCE_COLOR": None, "NO_COLOR": None, "TERM": "dumb"}
    return CliRunner().invoke(cli, ["check", *map(str, args)], env=env)


@pytest.fixture
def plans(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in (("good", good_text()), ("bad", BAD_TEXT), ("warning", WARNING_TEXT),
                       ("broken", 'title = "x"\n[project\n')):
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        out[name] = path
    return out


def support_line(text: str) -> int:
    return text.splitlines().index("[support]") + 1


# -- exit codes -----------------------------------------------------------------------------

def test_a_good_plan_exits_0(plans) -> None:
    result = run(plans["good"])
    assert result.exit_code == 0, result.output
    assert "✔ No errors: co-production is built into every stage." in result.stdout
    assert f"0 errors, 0 warnings, 1 note from {len(REGISTRY)} rules" in result.stdout
    assert result.stderr == ""


def test_a_plan_with_errors_exits_1(plans) -> None:
    result = run(plans["bad"])
    assert result.exit_code == 1, result.output
    assert "✖ Co-production is not yet built into every part of this plan" in result.stdout
    assert "1 error, 1 warning, 1 note" in result.stdout


def test_warnings_fail_only_with_strict(plans) -> None:
    assert run(plans["warning"]).exit_code == 0
    assert run(plans["warning"], "--strict").exit_code == 1
    assert run(plans["good"], "--strict").exit_code == 0  # a note never fails


@pytest.mark.parametrize("name", ["broken", "missing"])
def test_an_unreadable_plan_exits_2(plans, tmp_path: Path, name: str) -> None:
    path = plans.get(name, tmp_path / "missing.toml")
    result = run(path)
    assert result.exit_code == 2
    assert str(path) in result.stderr
    assert "Traceback" not in result.output


def test_a_folder_is_not_a_plan(tmp_path: Path) -> None:
    result = run(tmp_path)
    assert result.exit_code == 2
    assert "folder" in result.stderr


def test_several_plans_at_once(plans) -> None:
    result = run(plans["good"], plans["warning"])
    assert result.exit_code == 0
    assert result.stdout.count("coplan check: MINDS") == 2
    assert f"({plans['good']})" in result.stdout and f"({plans['warning']})" in result.stdout
    assert run(plans["good"], plans["warning"], "--strict").exit_code == 1
    assert run(plans["good"], plans["bad"]).exit_code == 1
    assert run(plans["bad"], plans["good"]).exit_code == 1


def test_an_unreadable_plan_among_others_exits_2_and_the_rest_are_still_checked(plans):
    result = run(plans["good"], plans["broken"], plans["bad"])
    assert result.exit_code == 2
    assert str(plans["broken"]) in result.stderr
    assert f"({plans['good']})" in result.stdout and f"({plans['bad']})" in result.stdout
    result = run(plans["broken"], plans["good"], "--format", "json")
    assert result.exit_code == 2
    assert [p["file"] for p in json.loads(result.stdout)["plans"]] == [str(plans["good"])]


# The day each example's delivery record runs to (docs/running.md), and what is overdue on
# it, which the docs show on purpose.  Checked on an earlier day, an example's record holds
# things that had not happened yet, and the review says so (CP-DEL-011).
# (MINDS's protocol is agreed, and its review date, 15 Jun 2027, has passed with no round
# recorded: a true finding, CP-META-004, the example keeps for the reviewer to see)
EXAMPLE_DAYS = {"minds-discharge.toml": ("2027-09-10", {"CP-DEL-001", "CP-DEL-002",
                                                        "CP-META-004"}),
                "teaching-workshop.toml": ("2027-11-15", set())}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_passes_strictly(example: Path) -> None:
    day, overdue = EXAMPLE_DAYS[example.name]
    result = run(example, "--strict", "--no-summary", "--today", day)
    if not overdue:
        assert result.exit_code == 0, result.output
    found = run(example, "--strict", "--today", day, "--format", "json")
    rules = {f["rule"] for p in json.loads(found.stdout)["plans"] for f in p["findings"]
             if f["severity"] != "info"}
    assert rules == overdue, result.output


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_an_example_checked_before_its_record_says_what_is_dated_later(example: Path) -> None:
    result = run(example, "--today", "2027-01-01", "--format", "json")
    assert result.exit_code == 1
    found = [f for p in json.loads(result.stdout)["plans"] for f in p["findings"]
             if f["severity"] == "error"]
    assert {f["rule"] for f in found} == {"CP-DEL-011"}
    # The whole record is ahead of the day: one finding says so and how to review it as
    # of the day it runs to (one for each entry buried everything else: 88 for MINDS)
    assert len(found) == 1, [f["message"] for f in found]
    message = found[0]["message"]
    day, _ = EXAMPLE_DAYS[example.name]
    last = re.search(r"coplan check --today (\d{4}-\d\d-\d\d)", message)
    assert last and "entries of the record are dated after today (01 Jan 2027)" in message
    assert last.group(1) <= day and found[0]["line"] > 0
    again = run(example, "--today", last.group(1), "--format", "json")
    assert not [f for p in json.loads(again.stdout)["plans"] for f in p["findings"]
                if f["rule"] == "CP-DEL-011"]


def test_a_few_entries_dated_later_are_each_found_at_their_line(tmp_path: Path) -> None:
    """Below ``WHOLE_RECORD_AHEAD`` entries, each is its own finding, at its own line (a
    typing slip is the usual cause)."""
    from coplan.review.rules.delivery import WHOLE_RECORD_AHEAD

    minds = next(p for p in EXAMPLES if p.name == "minds-discharge.toml")
    text = minds.read_text(encoding="utf-8")
    found = run(minds, "--today", "2027-09-10", "--format", "json", "--select", "CP-DEL-011")
    assert not [f for p in json.loads(found.stdout)["plans"] for f in p["findings"]]
    slip = next(d for d in sorted(set(re.findall(r"= (2027-0[89]-\d\d)\b", text)),
                                  reverse=True)
                if 1 < text.count(f"= {d}") < WHOLE_RECORD_AHEAD)
    text = text.replace(f"= {slip}", f"= {int(slip[:4]) + 1}{slip[4:]}")  # the year mistyped
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    found = run(path, "--today", "2027-09-10", "--format", "json", "--select", "CP-DEL-011")
    each = [f for p in json.loads(found.stdout)["plans"] for f in p["findings"]]
    assert 1 <= len(each) < WHOLE_RECORD_AHEAD
    assert all("after today (10 Sep 2027)" in f["message"] and "--today" not in f["message"]
               for f in each)
    assert len({f["line"] for f in each}) == len(each)


# -- what the text shows ----------------------------------------------------------------------

def test_findings_show_file_line_symbol_and_word(plans) -> None:
    result = run(plans["bad"])
    out = result.stdout
    line = support_line(BAD_TEXT)
    assert re.search(rf"{re.escape(str(plans['bad']))}:{line}\s+✖ error\s+CP-SUP-001\s+"
                     r"there is no named contact", out)
    assert re.search(rf"{re.escape(str(plans['bad']))}:{line}\s+▲ warning\s+CP-SUP-003\s+"
                     r"no learning is planned for staff", out)
    constrained = key("constrained")(BAD_TEXT)
    assert re.search(rf":{constrained}\s+● info\s+CP-STG-007", out)
    assert "fix: Name them in 'Named contact' (Support)." in out
    assert "\x1b[" not in result.output, "severity must not rely on colour"


def test_findings_are_grouped_the_whole_plan_first_then_by_stage(plans) -> None:
    text = edited(drop(key("contact")), drop(key("role_agreed", after='id = "sam"')),
                  drop(key("purpose", after='id = "priorities-workshop"')))
    path = plans["good"].with_name("grouped.toml")
    path.write_text(text, encoding="utf-8")
    out = run(path, "--no-summary").stdout
    headings = [h for h in ("The whole plan", "People",
                            "Stage: Hearing what matters about leaving hospital (priorities)",
                            "Stage: Ethics and approvals (approvals)") if h in out]
    assert len(headings) == 4
    assert sorted(headings, key=out.index) == headings


def test_the_summary_for_reviewers(plans) -> None:
    out = run(plans["good"]).stdout
    assert "Summary for reviewers" in out
    assert "Stages with a lived-experience touchpoint: 12 of 12" in out
    assert "reaching co-design or deeper: 100%" in out
    # The heat map: one row per stage, depth drawn by length and pattern, named in words.
    assert "How deep each stage goes (ladder of co-production)" in out
    assert re.search(r"Hearing what matters about leaving hospital\s+███████ Co-production", out)
    assert re.search(r"Ethics and approvals\s+██████· Co-design", out)
    # The Involvement Matrix: names only for people who agreed to share them.
    assert "Involvement Matrix: highest role per phase" in out
    assert re.search(r"Person\s+Preparation\s+Execution\s+Implementation", out)
    assert re.search(r"Amara Mensah\s+Decision-maker\s+Decision-maker\s+Decision-maker", out)
    # Others by the label every other output gives them (JSON, SARIF, the exports).
    matrix = out[out.index("Involvement Matrix"):out.index("Slowing down")]
    assert re.search(r"S\. \(person with\s+lived\s+experience\)", matrix), matrix
    assert "L. (peer support worker)" in matrix
    # (Tendai chose not to be credited: a stand-in, never "T.")
    assert re.search(r"^someone\s+Decision-maker", matrix, re.MULTILINE) and "T." not in matrix
    assert "Sam" not in matrix and "Tendai" not in matrix and "Lee" not in matrix
    shared = json.loads(run(plans["good"], "--format", "json").stdout)["plans"][0]["summary"]
    for label in ("S. (person with lived experience)", "someone"):
        assert label in shared["involvement_matrix"], shared["involvement_matrix"]
    # Slowing down, in working days, from the schedule itself.
    sched = schedule(parse(good_text()))
    assert sched.added_days > 0
    flat = " ".join(out.split())
    assert (f"Slowing down: co-production moves the end {plain_days(sched.added_days)} later"
            in flat)
    assert f"finish {sched.finish.isoformat()} instead of " \
        f"{sched.finish_without_slow_down.isoformat()}" in flat
    assert f"{len(sched.checkpoints)} reflection checkpoints" in flat


def test_the_summary_flags_a_stage_without_lived_experience(plans) -> None:
    text = edited(sub('who = ["dev", "sam", "tendai", "kit", "priya"]', 'who = ["kit", "priya"]'))
    path = plans["good"].with_name("staff-only.toml")
    path.write_text(text, encoding="utf-8")
    result = run(path)
    assert result.exit_code == 1
    assert "Stages with a lived-experience touchpoint: 11 of 12" in result.stdout
    assert re.search(r"Training and supporting peer interviewers\s+██████· Co-design\s+"
                     r"✖ no lived experience\s+✖ 1 error", result.stdout)
    who = key("who", after='id = "training-days"')(text)
    assert re.search(rf"{re.escape(str(path))}:{who}\s+✖ error\s+CP-STG-002", result.stdout)


def test_no_summary_shows_findings_only(plans) -> None:
    out = run(plans["bad"], "--no-summary").stdout
    assert "CP-SUP-001" in out
    assert "Summary for reviewers" not in out and "Involvement Matrix" not in out
    assert "✖ Co-production is not yet built into every part of this plan" in out


def test_select_and_ignore_on_the_command_line(plans) -> None:
    result = run(plans["bad"], "--select", "CP-SUP-003, CP-STG", "--format", "json")
    data = json.loads(result.stdout)["plans"][0]
    assert result.exit_code == 0  # the error's rule was not selected
    assert sorted({f["rule"] for f in data["findings"]}) == ["CP-STG-007", "CP-SUP-003"]
    result = run(plans["bad"], "--ignore", "SUP", "--format", "json")
    data = json.loads(result.stdout)["plans"][0]
    assert result.exit_code == 0
    assert "CP-SUP-001" in data["rules_skipped"]
    assert data["rules_skipped"]["CP-SUP-001"] == "left out on the command line (--ignore)"


# -- writing to a file -------------------------------------------------------------------------

def test_text_output_to_a_file(plans, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "check.txt"
    out.parent.mkdir()
    result = run(plans["bad"], "-o", out)
    assert result.exit_code == 1
    assert result.stdout == ""
    written = out.read_text(encoding="utf-8")
    assert f"{plans['bad']}:{support_line(BAD_TEXT)}" in written
    assert "✖ error" in written and "Summary for reviewers" in written
    assert "\x1b[" not in written


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "markdown"])
def test_other_formats_to_a_file(plans, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"check.{fmt}"
    result = run(plans["bad"], "--format", fmt, "--output", out)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"Wrote {out}" in result.stderr
    written = out.read_text(encoding="utf-8")
    assert "CP-SUP-001" in written
    # The same report as on the screen.
    assert written == run(plans["bad"], "--format", fmt).stdout


def test_an_unknown_rule_in_review_skip_is_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from coplan.cli import cli

    plan = tmp_path / "plan.toml"
    plan.write_text('[project]\ntitle = "T"\nstart = 2027-01-11\n\n[review.skip]\n'
                    '"CP-NOPE-999" = "a typo"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(plan), "--format", "json"])
    import json

    findings = json.loads(result.output)["plans"][0]["findings"]
    unknown = [f for f in findings if f["rule"] == "CP-NOPE-999"]
    assert len(unknown) == 1
    assert "not a rule coplan knows" in unknown[0]["message"]
    assert unknown[0]["line"] == 6  # the entry's own line, not the [review.skip] header


@pytest.mark.parametrize("text, lines", [
    # each entry at its own line, however its rule id is written
    ('[review]\nmin_voices = 2\n\n  [review.skip]\n  "CP-NOPE-1" = "a typo"\n'
     '  cp-nope-2 = "lower case"\n  "CP-GOV-001" = "known"\n', {"CP-NOPE-1": 9, "CP-NOPE-2": 10}),
    # written inline, the entries share the line of 'skip'
    ('[review]\nskip = { "CP-NOPE-1" = "a typo", cp-nope-2 = "b" }\n',
     {"CP-NOPE-1": 6, "CP-NOPE-2": 6}),
])
def test_a_finding_about_an_entry_of_review_skip_points_at_the_entry(  # type: ignore[no-untyped-def]
        tmp_path, text, lines) -> None:
    import json

    from click.testing import CliRunner

    from coplan.cli import cli

    plan = tmp_path / "plan.toml"
    plan.write_text('[project]\ntitle = "T"\nstart = 2027-01-11\n\n' + text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(plan), "--format", "json"])
    findings = json.loads(result.output)["plans"][0]["findings"]
    assert {f["rule"]: f["line"] for f in findings if "NOPE" in f["rule"]} == lines
