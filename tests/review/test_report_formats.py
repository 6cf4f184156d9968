"""``coplan check`` for machines and documents, read back with real readers.

SARIF is validated against the published OASIS SARIF 2.1.0 schema (tests/data/, see its
README for where the copy came from); JUnit XML is read with ``junitparser``; Markdown is
parsed with ``markdown-it-py``; JSON is checked for its structure.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from markdown_it.token import Token
from plan_edits import REGISTRY, append, drop, edited, good_text, key, parse, sub

from coplan.cli import cli
from coplan.review import review
from coplan.review.report_formats import to_sarif
from coplan.vocab import FRAMEWORKS

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
SCHEMA_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/" \
    "sarif-schema-2.1.0.json"

SKIP_REASON = "Our disagreements process is in the trust's policy, which we link to"
# Errors (CP-SUP-001, CP-PAY-002), a warning (CP-SUP-003), a note (CP-STG-007), a rule
# switched off (CP-WT-002, whose finding then does not appear).
BAD_TEXT = edited(drop(key("contact")), drop(key("staff_training")),
                  drop(key("standard")), drop(key("payment", after='id = "aims-review"')),
                  drop(key("disagreements")),
                  append(f'[review.skip]\n"CP-WT-002" = "{SKIP_REASON}"'))


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("plans")
    out = {}
    for name, text in (("good", good_text()), ("bad", BAD_TEXT)):
        out[name] = folder / f"{name}.toml"
        out[name].write_text(text, encoding="utf-8")
    return out


def check(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", *map(str, args)])
    return result.exit_code, result.stdout


# -- SARIF --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_validator():
    if not SCHEMA_FILE.exists():  # pragma: no cover - the file is committed
        pytest.fail(f"the published SARIF 2.1.0 schema is missing: {SCHEMA_FILE}")
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema.get("id") == SCHEMA_ID, "not the published OASIS SARIF 2.1.0 schema"
    # Validate with the draft the schema declares (draft-04 for the OASIS file).
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


# RFC 3986 characters: a URI reference never holds spaces or other raw characters.
URI_REFERENCE = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


def _validate(validator, text: str) -> dict:
    data = json.loads(text)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    for result in data["runs"][0]["results"]:
        for location in result["locations"]:
            uri = location["physicalLocation"]["artifactLocation"]["uri"]
            assert URI_REFERENCE.match(uri), f"not a URI reference: {uri!r}"
    return data


def test_the_schema_is_used_as_declared_and_rejects_broken_sarif(sarif_validator) -> None:
    assert type(sarif_validator).__name__ == "Draft4Validator"
    data = json.loads(to_sarif([review(parse(good_text()), registry=REGISTRY)]))
    assert sarif_validator.is_valid(data)
    data["runs"][0]["results"][0]["level"] = "fatal"
    assert not sarif_validator.is_valid(data)
    del data["runs"][0]["tool"]
    assert not sarif_validator.is_valid(data)


def test_sarif_of_a_good_plan_is_valid(paths, sarif_validator) -> None:
    code, out = check(paths["good"], "--format", "sarif")
    assert code == 0
    data = _validate(sarif_validator, out)
    run = data["runs"][0]
    assert data["version"] == "2.1.0"
    assert run["tool"]["driver"]["name"] == "coplan"
    assert len(run["tool"]["driver"]["rules"]) == len(REGISTRY)
    assert [(r["ruleId"], r["level"]) for r in run["results"]] == [("CP-STG-007", "note")]


def test_sarif_of_a_bad_plan_is_valid_and_points_at_lines(paths, sarif_validator) -> None:
    code, out = check(paths["bad"], "--format", "sarif")
    assert code == 1
    data = _validate(sarif_validator, out)
    run = data["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert "CP-WT-002" not in {r["id"] for r in rules}  # switched off, so not run
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"CP-SUP-001": "error", "CP-PAY-002": "error", "CP-SUP-003": "warning",
                      "CP-STG-007": "note"}
    support = BAD_TEXT.splitlines().index("[support]") + 1
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        (location,) = result["locations"]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == paths["bad"].as_uri()
        if result["ruleId"].startswith("CP-SUP-"):
            assert location["physicalLocation"]["region"] == {"startLine": support}
    sup = next(r for r in rules if r["id"] == "CP-SUP-001")
    assert sup["defaultConfiguration"] == {"level": "error"}
    assert sup["helpUri"] == FRAMEWORKS["ukspi"].url
    assert "UK Standards for Public Involvement" in sup["help"]["text"]
    (note,) = run["invocations"][0]["toolConfigurationNotifications"]
    assert note["descriptor"] == {"id": "CP-WT-002"}
    assert SKIP_REASON in note["message"]["text"]


def test_sarif_of_several_plans_and_awkward_file_names(tmp_path: Path, sarif_validator):
    plans = []
    for name in ("my plan.toml", "plän #2.toml"):
        path = tmp_path / name
        path.write_text(BAD_TEXT, encoding="utf-8")
        plans.append(path)
    relative = Path("tests/review/data/good-plan.toml")
    code, out = check(*plans, "--format", "sarif")
    assert code == 1
    data = _validate(sarif_validator, out)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in data["runs"][0]["results"]}
    assert uris == {p.as_uri() for p in plans}
    # A relative path stays relative (as code-scanning services expect), with '/'.
    report = review(parse(good_text(), name=str(relative)), registry=REGISTRY)
    data = _validate(sarif_validator, to_sarif([report]))
    location = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "tests/review/data/good-plan.toml"


# -- JUnit ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def junitparser():
    return pytest.importorskip(
        "junitparser", reason="junitparser (a JUnit XML reader) belongs in the 'test' extra")


def _suites(junitparser, text: str) -> list:
    xml = junitparser.JUnitXml.fromstring(text.encode("utf-8"))
    return list(xml) if isinstance(xml, junitparser.JUnitXml) else [xml]


def test_junit_one_suite_per_plan_one_case_per_rule(paths, junitparser) -> None:
    code, out = check(paths["good"], paths["bad"], "--format", "junit")
    assert code == 1
    good, bad = _suites(junitparser, out)
    assert good.name == f"coplan check: {paths['good']}"
    assert (good.tests, good.failures, good.errors, good.skipped) == (len(REGISTRY), 0, 0, 0)
    assert all(case.is_passed for case in good)
    assert bad.name == f"coplan check: {paths['bad']}"
    assert (bad.tests, bad.failures, bad.errors, bad.skipped) == (len(REGISTRY), 2, 0, 1)
    cases = {case.name.split()[0]: case for case in bad}
    assert len(cases) == len(REGISTRY)
    failed = {rid for rid, case in cases.items()
              if any(isinstance(r, junitparser.Failure) for r in case.result)}
    assert failed == {"CP-SUP-001", "CP-PAY-002"}
    (failure,) = cases["CP-SUP-001"].result
    assert failure.type == "error"
    assert failure.message == "there is no named contact for people involved"
    support = BAD_TEXT.splitlines().index("[support]") + 1
    assert f"{paths['bad']}:{support}: error:" in failure.text
    assert cases["CP-SUP-001"].classname == "coplan.SUP"
    assert cases["CP-SUP-001"].name == "CP-SUP-001 People know whom to contact"
    # A warning does not fail the case, but is reported in its output.
    assert cases["CP-SUP-003"].is_passed
    assert "warning: no learning is planned for staff" in cases["CP-SUP-003"].system_out
    skipped = cases["CP-WT-002"]
    assert skipped.is_skipped
    (skip,) = skipped.result
    assert isinstance(skip, junitparser.Skipped) and skip.message == SKIP_REASON


def test_junit_strict_fails_warnings_too(paths, junitparser) -> None:
    code, out = check(paths["bad"], "--format", "junit", "--strict")
    assert code == 1
    (bad,) = _suites(junitparser, out)
    assert bad.failures == 3
    case = next(c for c in bad if c.name.startswith("CP-SUP-003"))
    (failure,) = case.result
    assert isinstance(failure, junitparser.Failure) and failure.type == "warning"


# -- Markdown -------------------------------------------------------------------------------------

def _markdown(text: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(text)


def _headings(tokens: list[Token]) -> list[tuple[str, str]]:
    return [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens)
            if t.type == "heading_open"]


def _tables(tokens: list[Token]) -> list[list[list[str]]]:
    tables: list[list[list[str]]] = []
    row: list[str] = []
    for i, t in enumerate(tokens):
        if t.type == "table_open":
            tables.append([])
        elif t.type == "tr_open":
            row = []
        elif t.type in ("th_open", "td_open"):
            row.append(tokens[i + 1].content)
        elif t.type == "tr_close":
            tables[-1].append(row)
    return tables


def test_markdown_of_a_bad_plan(paths) -> None:
    code, out = check(paths["bad"], "--format", "markdown")
    assert code == 1
    tokens = _markdown(out)
    assert _headings(tokens) == [
        ("h1", "Co-production review: MINDS: co-producing a better discharge from mental "
               "health hospital"),
        ("h2", "At a glance"),
        ("h3", "How deep each stage goes"),
        ("h3", "Involvement Matrix: highest role per phase"),
        ("h2", "Findings"),
        ("h2", "Rules switched off, and why"),
        ("h2", "Frameworks the rules draw on"),
    ]
    depth, matrix, findings = _tables(tokens)
    assert depth[0] == ["Stage", "Phase", "Deepest rung", "Depth", "Lived experience",
                        "Why this rung"]
    assert len(depth) == 1 + 12
    assert depth[1][0] == "Hearing what matters about leaving hospital"
    assert depth[1][2:] == ["Co-production", "`███████`", "yes", "–"]
    assert depth[4][2:] == ["Co-design", "`██████·`", "yes", "–"]
    assert matrix[0] == ["Person", "Preparation", "Execution", "Implementation"]
    assert ["Amara Mensah", "Decision-maker", "Decision-maker", "Decision-maker"] in matrix
    assert findings[0] == ["Where", "Severity", "Rule", "Finding", "How to fix"]
    support = BAD_TEXT.splitlines().index("[support]") + 1
    rows = {r[2]: r for r in findings[1:]}
    assert set(rows) == {"CP-SUP-001", "CP-SUP-003", "CP-PAY-002", "CP-STG-007"}
    assert rows["CP-SUP-001"][:2] == [f"line {support}", "error"]
    assert rows["CP-SUP-003"][1] == "warning"
    assert rows["CP-STG-007"][1] == "info"
    assert all(len(r) == 5 for r in findings)
    assert "**Co-production is not yet built into every part of this plan.**" in out
    assert f"- **CP-WT-002**: {SKIP_REASON}" in out
    links = {t.attrs["href"] for t in tokens if t.type == "inline" for t in t.children or []
             if t.type == "link_open"}
    assert links <= {f.url for f in FRAMEWORKS.values()}
    assert FRAMEWORKS["ukspi"].url in links


def test_markdown_of_a_good_plan(paths) -> None:
    code, out = check(paths["good"], "--format", "markdown")
    assert code == 0
    tokens = _markdown(out)
    assert ("h2", "Rules switched off, and why") not in _headings(tokens)
    assert "**No errors: co-production is built into every stage.**" in out
    assert "Stages with a lived-experience touchpoint: **12 of 12**" in out


def test_markdown_tables_survive_pipes_in_what_people_wrote(tmp_path: Path) -> None:
    text = edited(sub('title = "Ethics and approvals"', 'title = "Ethics | approvals"'),
                  sub("The ethics committee has the final say",
                      "The committee (REC | HRA) has the final say"))
    path = tmp_path / "pipes.toml"
    path.write_text(text, encoding="utf-8")
    code, out = check(path, "--format", "markdown")
    assert code == 0
    depth, _, findings = _tables(_markdown(out))
    assert all(len(r) == 6 for r in depth) and all(len(r) == 5 for r in findings)
    assert "Ethics | approvals" in [r[0] for r in depth]
    (row,) = [r for r in findings if r[2] == "CP-STG-007"]
    assert "(REC | HRA)" in row[3]


# -- JSON ------------------------------------------------------------------------------------------

def test_json_structure(paths) -> None:
    code, out = check(paths["good"], paths["bad"], "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["format"] == "coplan-check" and data["version"] == 2
    assert isinstance(data["coplan"], str)
    good, bad = data["plans"]
    assert set(good) == {"file", "title", "errors", "warnings", "infos", "rules_checked",
                         "rules_skipped", "findings", "summary", "verdict", "draft",
                         "to_agree", "lowered_thresholds", "accepted"}
    assert (good["draft"], good["to_agree"], good["lowered_thresholds"]) == (False, 0, [])
    assert good["file"] == str(paths["good"])
    assert (good["errors"], good["warnings"], good["infos"]) == (0, 0, 1)
    assert good["rules_checked"] == [r.id for r in REGISTRY]
    assert (bad["errors"], bad["warnings"], bad["infos"]) == (2, 1, 1)
    assert bad["rules_skipped"] == {"CP-WT-002": SKIP_REASON}
    assert "CP-WT-002" not in bad["rules_checked"]
    support = BAD_TEXT.splitlines().index("[support]") + 1
    sup = next(f for f in bad["findings"] if f["rule"] == "CP-SUP-001")
    assert sup == {
        "rule": "CP-SUP-001", "severity": "error",
        "message": "there is no named contact for people involved",
        "fix": "Name them in 'Named contact' (Support).",
        "file": str(paths["bad"]), "line": support,
        "subject": {"kind": "project", "id": "support", "stage": "", "entry": 0,
                    "person": ""}}
    pay = next(f for f in bad["findings"] if f["rule"] == "CP-PAY-002")
    assert pay["subject"] == {"kind": "touchpoint", "id": "aims-review", "stage": "aims",
                              "entry": 0, "person": ""}
    assert [f["line"] for f in bad["findings"]] == sorted(f["line"] for f in bad["findings"])
    summary = good["summary"]
    assert summary["stages"] == summary["stages_with_lived_experience"] == 12
    assert summary["share_co_design_or_deeper"] == 1.0
    assert summary["deepest_rung"]["approvals"] == "co-design"
    assert summary["involvement_matrix"]["Amara Mensah"] == {
        "preparation": "decision-maker", "execution": "decision-maker",
        "implementation": "decision-maker"}
    assert summary["slow_down_added_working_days"] > 0
    assert summary["finish"] > summary["finish_without_slow_down"]
    assert summary["reflection_checkpoints"] > 0


@pytest.mark.parametrize("width", [40, 100])
def test_plain_text_report_is_what_rich_would_print(width: int) -> None:
    """Written to a file or a pipe, the findings are laid out without drawing each line
    with rich (a large plan has thousands); the text must be the same to the character,
    wrapped lines, wide characters and words longer than a line included."""
    import io

    from rich.console import Console

    from coplan.review.report_text import print_report

    long_word = "Re" + "a" * 70 + "ding"
    text = BAD_TEXT.replace("Reading the draft at home", f"报告 😀 {long_word} the draft 读") \
        .replace('"Ethics and approvals"', f'"Ethics and approvals, {long_word} 审批 and more"')
    report = review(parse(text), registry=REGISTRY)
    assert len(report.findings) >= 3
    assert any("报告" in f.message for f in report.findings)
    quick, drawn = io.StringIO(), io.StringIO()
    print_report(report, Console(file=quick, width=width))
    # Recording makes the console draw every line with rich, as on a terminal.
    print_report(report, Console(file=drawn, width=width, record=True))
    assert quick.getvalue() == drawn.getvalue()
    assert "报告 😀" in quick.getvalue() and long_word[:30] in quick.getvalue()


# -- a plan that could not be read ------------------------------------------------------------

BROKEN = 'title = "x"\n[project\n'


def test_an_unreadable_plan_is_an_error_in_every_format(paths, tmp_path: Path, sarif_validator,
                                                        junitparser) -> None:
    """Never an empty, successful-looking run: a tool reading the report sees the error."""
    broken = tmp_path / "broken plan.toml"
    broken.write_text(BROKEN, encoding="utf-8")
    code, out = check(broken, paths["good"], "--format", "sarif")
    assert code == 2
    data = _validate(sarif_validator, out)
    run = data["runs"][0]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False and invocation["exitCode"] == 2
    assert str(broken) in invocation["toolExecutionNotifications"][0]["message"]["text"]
    errors = [r for r in run["results"] if r["ruleId"] == "CP-READ"]
    assert errors and all(r["level"] == "error" for r in errors)
    location = errors[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("broken%20plan.toml")
    assert location["region"]["startLine"] == 2
    rules = run["tool"]["driver"]["rules"]
    assert rules[errors[0]["ruleIndex"]]["id"] == "CP-READ"
    assert run["properties"]["unreadable"] == [str(broken)]
    # Only the unreadable plan: still a valid SARIF file that says so.
    code, out = check(broken, "--format", "sarif")
    assert code == 2
    only = _validate(sarif_validator, out)["runs"][0]
    assert only["invocations"][0]["executionSuccessful"] is False and only["results"]

    code, out = check(broken, paths["good"], "--format", "junit")
    assert code == 2
    suites = _suites(junitparser, out)
    assert len(suites) == 2
    bad = next(s for s in suites if str(broken) in s.name)
    assert (bad.tests, bad.errors, bad.failures) == (1, 1, 0)
    (case,) = list(bad)
    (error,) = case.result
    assert isinstance(error, junitparser.Error) and "could not be read" in error.message
    assert f"{broken}:2" in (error.text or "")

    code, out = check(broken, "--format", "json")
    assert code == 2
    document = json.loads(out)
    assert document["plans"] == []
    (entry,) = document["unreadable"]
    assert entry["file"] == str(broken) and entry["problems"][0]["line"] == 2

    code, out = check(broken, paths["good"], "--format", "markdown")
    assert code == 2
    assert f"# Not reviewed: {broken} could not be read" in out
    assert "- line 2: " in out
