"""A fresh template is a draft: every template's new plan is reported with its count of
things still to agree, and never as having co-production built into every stage, in any
report format.  The protocol and the check count the same things as not yet agreed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.agreed import placeholder, unmet, without_unmet
from coplan.cli import cli
from coplan.planfile import load_plan, parse_plan

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p.stem for p in (ROOT / "templates" / "plans").glob("*.toml"))
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
BUILT_IN = "built into every stage"
ENV = {"COLUMNS": "200", "FORCE_COLOR": None, "NO_COLOR": None, "TERM": "dumb"}


@pytest.fixture(scope="module", params=TEMPLATES)
def fresh(request, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp(request.param) / "plan.toml"
    result = CliRunner().invoke(cli, ["new", str(path), "--template", request.param,
                                      "--start", "2027-01-11"])
    assert result.exit_code == 0, result.output
    return path


def check(path: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["check", str(path), *args], env=ENV)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_new_says_the_plan_is_a_draft(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    result = CliRunner().invoke(cli, ["new", str(path), "--template", "research-study"])
    assert result.exit_code == 0
    count = len(unmet(load_plan(path)))
    assert f"It is a draft: {count} things in it are placeholders" in result.output


def test_templates_are_all_covered() -> None:
    assert len(TEMPLATES) >= 5


def test_fresh_template_is_a_draft_in_text(fresh: Path) -> None:
    out = check(fresh)
    assert BUILT_IN not in " ".join(out.split())
    assert "Draft: " in out and "still to agree" in out
    assert "CP-AGR-001" in out


def test_fresh_template_is_a_draft_in_json(fresh: Path) -> None:
    (plan,) = json.loads(check(fresh, "--format", "json"))["plans"]
    assert plan["draft"] is True
    count = sum(1 for f in plan["findings"] if f["rule"] == "CP-AGR-001")
    assert plan["to_agree"] == count > 10
    assert all(f["severity"] == "warning" for f in plan["findings"] if f["rule"] == "CP-AGR-001")
    assert BUILT_IN not in plan["verdict"]
    assert f"Draft: {count} things still to agree" in plan["verdict"]


@pytest.mark.parametrize("fmt", ["markdown", "sarif", "junit"])
def test_fresh_template_is_a_draft_in_every_format(fresh: Path, fmt: str) -> None:
    out = check(fresh, "--format", fmt)
    assert BUILT_IN not in " ".join(out.split())
    assert "Draft: " in out and "still to agree" in out


def test_the_check_counts_what_the_protocol_leaves_open(fresh: Path) -> None:
    """The protocol is written from the plan without its unmet values: each is a gap there,
    and none of their words reach the document as if agreed."""
    from coplan.export.protocol.build import build_protocol
    from coplan.schedule import schedule

    plan = load_plan(fresh)
    found = unmet(plan)
    assert found
    blank = without_unmet(plan, found)
    assert {u.why for u in unmet(blank)} == {"placeholder"}  # drafts and gaps in the protocol
    sched = schedule(plan)
    doc = build_protocol(plan, sched)
    assert len(doc.gaps) == len(build_protocol(blank, sched).gaps) > 0
    from coplan.export.protocol.render_text import render

    doc.sections = [s for s in doc.sections if s.id != "appendix-check"]  # quotes findings
    shown = " ".join(render(doc, "md").split())
    for u in found:
        if u.why == "template" and u.key in {"policy", "withdraw", "distress", "purpose"}:
            words = " ".join(u.value.split())[:30]
            for at in [i for i in range(len(shown)) if shown.startswith(words, i)]:
                assert "not yet agreed" in shown[max(0, at - 80):at], u.describe()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_finished_examples_are_not_drafts(example: Path) -> None:
    assert unmet(load_plan(example)) == []
    out = check(example)
    assert "Draft:" not in out


@pytest.mark.parametrize("text", ["TBC", "tbd", "To be confirmed", "To agree", "to agree later",
                                  "Draft to agree: monthly", "Co-researcher (to agree)",
                                  "Venue TBC, probably the library", "To check: the rate",
                                  "To arrange: advice", "???"])
def test_placeholders_in_words(text: str) -> None:
    assert placeholder(text) is not None


@pytest.mark.parametrize("text", ["Monthly, on Tuesdays", "We want to agree a fair way to vote",
                                  "The ethics committee has the final say",
                                  "Peer researchers decide together"])
def test_answers_are_not_placeholders(text: str) -> None:
    assert placeholder(text) is None


@pytest.mark.parametrize("comment", ["# placeholder", "# TBC", "# todo: ask them",
                                     "# to be confirmed with the group"])
def test_comments_that_mark_a_value(comment: str) -> None:
    text = f'[project]\ntitle = "x"\nstart = 2027-01-11  {comment}\n'
    assert [(u.key, u.why) for u in unmet(parse_plan(text), {})] == [("start", "marked")]


def test_a_placeholder_comment_marks_only_its_own_line() -> None:
    text = ('[project]\ntitle = "x"  # a title, not a placeholder question\n'
            'start = 2027-01-11\nsummary = "# placeholder inside text is not a comment"\n'
            'summary_co_written = true  # placeholder: write it together\n')
    plan = parse_plan(text)
    assert [(u.key, u.why) for u in unmet(plan, {})] == [("title", "marked"),
                                                          ("summary_co_written", "marked")]


def test_the_exported_protocol_leaves_marked_values_out(fresh: Path, tmp_path: Path) -> None:
    """Through the command line (a plan read without its lines, then copied for its
    readers): a date marked '# placeholder' is a gap, not an agreed date."""
    out = tmp_path / "protocol.md"
    result = CliRunner().invoke(cli, ["export", "protocol", str(fresh), "-o", str(out),
                                      "--format", "md"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    plan = load_plan(fresh)
    if any(u.key == "agreed" and u.where == ("payment",) for u in unmet(plan)):
        assert "Policy agreed on" not in text
    assert "the date we agree the payment policy" in text


def _placeholder_searching_everything(text: str) -> tuple[str, str] | None:
    """``placeholder`` as it was first written: every search on every text."""
    from coplan import agreed

    if not text or not text.strip():
        return ("empty", "")
    match = agreed._PLACEHOLDER.match(text)
    if match:
        rest = text[match.end():].strip()
        if match.group(0).strip().lower().startswith("draft") and rest:
            return ("draft", rest)
        return ("empty", rest)
    trailing = agreed._TRAILING.search(text)
    if trailing:
        return ("draft", text[:trailing.start()].strip())
    if agreed._ANYWHERE.search(text):
        return ("draft", text.strip())
    return None


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(
    ["TBC", "tbd", "Tba", "to be", "To Be", "confirmed", "agreed", "decided", "???", "??",
     "(", ")", " (to agree)", "(TBC)", "draft", "to agree", ":", " ", "\t", "x", "é",
     "\u212a", "ſ", "notbc", "tb", "c"]), max_size=8).map("".join))
def test_placeholder_looks_only_where_its_words_could_be(text: str) -> None:
    """The searches skipped for a text without a bracket, "tb", "to be " or "???" could
    not have found anything in it."""
    assert placeholder(text) == _placeholder_searching_everything(text)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([*(ROOT / "templates" / "plans" / f"{t}.toml" for t in TEMPLATES),
                        *EXAMPLES]), st.data())
def test_unmet_reads_only_what_could_be_unmet(path: Path, data) -> None:
    """Looking only at a table's texts where none of its lines is marked finds what
    looking at every value finds, in the same order, whichever lines are marked."""
    from coplan import agreed
    from coplan.schema import Sub, schema_of

    plan = load_plan(path)
    last = path.read_text(encoding="utf-8").count("\n") + 2
    marked = set(plan.marked) | data.draw(st.sets(st.integers(1, last), max_size=40))
    templates = agreed.template_wordings()
    checked = 0
    for member in schema_of(type(plan)).members:
        spec = member.spec
        if not isinstance(spec, Sub):
            continue
        value = getattr(plan, member.field)
        for child in (value if spec.array else (value,)):
            for lines in (marked, set(), set(plan.marked)):
                fast = agreed._unmet_in_table(child, (spec.toml,), lines, templates)
                plain = agreed._unmet_in(agreed._values_of(child, (spec.toml,)), lines,
                                         templates)
                assert fast == plain
                checked += len(plain)
    assert checked or not agreed.unmet(plan)


def _file_keys() -> set[str]:
    """Every key of the plan file written with an underscore (``benefits_advice``)."""
    from coplan.model import Plan
    from coplan.schema import schema_of

    found: set[str] = set()
    seen: set[type] = set()

    def walk(model: type) -> None:
        if model in seen:
            return
        seen.add(model)
        for member in schema_of(model).members:
            spec = member.spec
            toml = getattr(spec, "toml", "")
            if "_" in toml:
                found.add(toml)
            sub = getattr(spec, "model", None)
            if isinstance(sub, type):
                walk(sub)

    walk(Plan)
    return found


def test_findings_name_keys_in_the_forms_words_not_the_files(fresh: Path) -> None:
    """A reviewer (or a person with lived experience reading the report) is told what is
    left to agree as the app's forms name it ("'Benefits advice'", "'Ground rules'
    (Governance)"), never by the file's key (``benefits_advice``)."""
    import re

    keys = _file_keys()
    assert {"benefits_advice", "ground_rules", "anonymous_route"} <= keys
    report = json.loads(check(fresh, "--format", "json"))
    findings = [f for plan in report["plans"] for f in plan["findings"]]
    assert any(f["rule"] == "CP-AGR-001" for f in findings)
    for f in findings:
        named = set(re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", f["message"])) & keys
        assert not named, f"{f['rule']}: {f['message']}"


@pytest.mark.parametrize("template", ["research-study", "young-people-families"])
def test_a_draft_passes_and_a_protocol_marked_agreed_with_gaps_fails(
        template: str, tmp_path: Path) -> None:
    """A draft passes the check while it is worked on (exit 0; --strict turns it away); the
    same plan with its protocol marked agreed says it is no longer a draft, and fails: each
    placeholder (CP-AGR-001) and each question left out (CP-META-007) is then an error. The
    trial's plan: a template with the protocol's status changed and nothing else done."""
    path = tmp_path / "plan.toml"
    made = CliRunner().invoke(cli, ["new", str(path), "--template", template,
                                    "--start", "2027-01-11"])
    assert made.exit_code == 0, made.output

    def run(*args: str) -> tuple[int, dict]:
        result = CliRunner().invoke(cli, ["check", str(path), "--format", "json", *args],
                                    env=ENV)
        return result.exit_code, json.loads(result.stdout)

    def severities(data: dict, rule: str) -> set[str]:
        return {f["severity"] for f in data["plans"][0]["findings"] if f["rule"] == rule}

    code, data = run()
    assert code == 0
    assert severities(data, "CP-AGR-001") == {"warning"}
    assert severities(data, "CP-META-007") == {"warning"}
    assert run("--strict")[0] == 1
    text = path.read_text(encoding="utf-8")
    assert 'status = "draft"' in text
    path.write_text(text.replace('status = "draft"', 'status = "agreed"', 1), encoding="utf-8")
    code, data = run()
    assert code == 1
    assert severities(data, "CP-AGR-001") == {"error"}
    assert severities(data, "CP-META-007") == {"error"}
