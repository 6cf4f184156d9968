"""The reports for others are made from an outline of the plan exactly as from its copy.

``coplan check`` writes a report that leaves the team (text, json, sarif, markdown, junit),
so it reads the plan only as its copy for others has it (``sharing``).  Making that copy
of a large plan walks every item, while the reports read a handful of its values;
``for_others.for_others`` works out only those (``sharing.Parts``, with the same
redaction).  Here both ways make every format of reports of plans whose people (hidden
and shown, ids that are names), stage titles and ids, touchpoints' people, roles, rungs
and reasons for their rung are drawn at random, for every audience, and the bytes must be
the same; and whatever a plan says, a hidden person's name never reaches a report.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan import privacy, sharing
from coplan.planfile import load_plan
from coplan.plugins import all_rules
from coplan.review import report_formats as rf
from coplan.review import review
from coplan.review.engine import Severity
from coplan.review.report_formats import Summarised
from coplan.review.report_plain import plain_report
from coplan.review.report_text import print_report
from coplan.review.rules import privacy_text
from coplan.review.summary import summarise
from coplan.schedule import ScheduleError, schedule
from coplan.vocab import LADDER, ROLE
from test_loader_fuzz import FUZZ

ROOT = Path(__file__).resolve().parents[2]
MINDS = ROOT / "examples" / "minds-discharge.toml"
PLANS = [*sorted((ROOT / "examples").glob("*.toml")),
         *sorted((ROOT / "templates" / "plans").glob("*.toml"))]
DAY = date(2027, 9, 10)
# Each example reviews a plan twice over: fewer than the loader's fuzzing runs.
FEW = settings(FUZZ, max_examples=int(os.environ.get("COPLAN_FUZZ_EXAMPLES", "40")))
_BASE = load_plan(MINDS)


def _formats(reports: list[Any]) -> dict[str, str]:
    return {"json": rf.to_json(reports), "sarif": rf.to_sarif(reports),
            "markdown": rf.to_markdown(reports),
            "junit": rf.to_junit(reports, strict=True), **_texts(reports)}


def _texts(reports: list[Any]) -> dict[str, str]:
    """The text report (what CI logs show) as plain text, at a screen's width and a narrow
    one, and as rich prints it with styles: made from the report for others too."""
    from rich.console import Console

    out: dict[str, str] = {}
    for report in reports:
        for width in (100, 44):
            out[f"text {width}"] = out.get(f"text {width}", "") + str(
                plain_report(report, width))
        console = Console(file=io.StringIO(), width=100, force_terminal=True,
                          color_system="truecolor")
        print_report(report, console)
        out["text, styled"] = out.get("text, styled", "") + console.file.getvalue()
    return out


def _reviewed(plan: Any, ignore: tuple[str, ...] = ()) -> Any:
    for cache in (privacy._MADE, privacy_text._FOUND):
        cache.clear()
    privacy_text._ENTRIES[0] = {}
    try:
        sched = schedule(plan, today=DAY)
    except ScheduleError:
        sched = None
    return review(plan, sched, registry=all_rules(), ignore=list(ignore), today=DAY)


def _both_ways(report: Any, audience: str = "team") -> tuple[dict[str, str], dict[str, str]]:
    """Every format of the report for others as ``coplan check`` makes it, and as made
    from the whole copy of the plan (the plain way)."""
    plan = report.plan
    quick = rf.for_others(report, audience)
    plain = sharing.shared_report(report, sharing.shared_plan(plan, audience)[0], plan)
    return _formats([quick]), _formats([plain])


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_each_bundled_plan_reports_alike_both_ways(path: Path) -> None:
    report = _reviewed(load_plan(path))
    for audience in ("team", "leads", "lived-experience"):
        quick, plain = _both_ways(report, audience)
        assert quick == plain
    # (made from an outline: the summary was worked out without the copy's stages)
    assert isinstance(rf.for_others(report), Summarised)


def test_a_report_that_counts_what_is_not_yet_agreed_from_the_plan_makes_the_copy() -> None:
    """With the rule that counts what is not yet agreed switched off, the verdict counts
    it in the plan for others itself: the whole copy is made, and says the same."""
    plan = dataclasses.replace(_BASE, stages=tuple(
        dataclasses.replace(s, title="TBC") for s in _BASE.stages))
    report = _reviewed(plan, ignore=("CP-AGR-001",))
    made = rf.for_others(report)
    assert not isinstance(made, Summarised) and made.plan.stages
    assert made.draft
    quick, plain = _both_ways(report)
    assert quick == plain


# -- plans drawn at random ----------------------------------------------------------------

_NAMES = ["Sam", "Lee", "T.", "Amara Mensah", "Kit Brennan", "Tendai Moyo", "Owen Price",
          "Dr Nadia Hale", "Sam Hill", "de Souza", ""]
_IDS = ["sam", "lee", "tendai", "amara", "kit", "owen", "nadia", "dev", "morag",
        "priya", "gareth", "nobody", "Sam", ""]
_WORDS = st.lists(st.sampled_from([
    "Sam", "sam", "LEE", "Tendai", "T.", "tendai", " ", "met", "with", "Kit", "Hill",
    "sam@example.org", "07700 900123", ".", "Amara Mensah", "Owen", "TBC", "'s", "Souza"]),
    max_size=7).map("".join)


@st.composite
def _plans(draw: st.DrawFn) -> Any:
    plan = _BASE
    people = tuple(dataclasses.replace(
        p, name=draw(st.sampled_from(_NAMES)) or p.name, share_name=draw(st.booleans()),
        kind=draw(st.sampled_from([p.kind, "lived-experience", "carer", "researcher"])))
        for p in plan.people)
    whos = itertools.cycle(draw(st.lists(st.lists(st.sampled_from(_IDS), max_size=5).map(
        tuple), min_size=1, max_size=6)))
    words = itertools.cycle(draw(st.lists(_WORDS, min_size=1, max_size=6)))
    ladders = itertools.cycle(draw(st.lists(st.sampled_from([None, *(r.id for r in LADDER)]),
                                            min_size=1, max_size=5)))
    roles = itertools.cycle(draw(st.lists(st.sampled_from([None, *(r.id for r in ROLE)]),
                                          min_size=1, max_size=5)))
    # A stage whose id carries someone's id ("recruit-sam"), links to it renamed too.
    renamed = {s.id: f"{s.id}-{draw(st.sampled_from(_IDS[:6]))}"
               for s in plan.stages if draw(st.integers(0, 3)) == 0}
    stages = []
    for stage in plan.stages:
        tps = tuple(dataclasses.replace(tp, who=next(whos), rung_reason=next(words),
                                        ladder=next(ladders), role=next(roles))
                    for tp in stage.touchpoints)
        after = tuple(dataclasses.replace(d, stage=renamed.get(d.stage, d.stage))
                      for d in stage.after)
        stages.append(dataclasses.replace(stage, id=renamed.get(stage.id, stage.id),
                                          touchpoints=tps, title=next(words), after=after))
    return dataclasses.replace(plan, people=people, stages=tuple(stages))


@FEW
@given(_plans(), st.sampled_from(["team", "leads", "lived-experience", "sam", "lee"]))
def test_a_random_plan_reports_alike_both_ways(plan: Any, audience: str) -> None:
    report = _reviewed(plan)
    quick, plain = _both_ways(report, audience)
    assert quick == plain


@FEW
@given(_plans())
def test_the_summary_for_others_is_the_summary_of_the_copy(plan: Any) -> None:
    """The summary itself, field by field (the formats show most of it, not all)."""
    report = _reviewed(plan)
    quick = rf.for_others(report)
    plain = sharing.shared_report(report, sharing.shared_plan(plan)[0], plan)
    assert isinstance(quick, Summarised)
    assert summarise(quick) == summarise(plain)
    assert quick.findings == plain.findings


# -- privacy ------------------------------------------------------------------------------

_HIDDEN = ["Zorba Quillfeather", "Ysolde Varnack", "Quint"]  # nobody else's words


@st.composite
def _plans_with_hidden_people(draw: st.DrawFn) -> tuple[Any, list[str]]:
    """MINDS with some people who keep their names private given names found nowhere
    else, written into the stages' titles and ids, the touchpoints' reasons for their
    rung and who takes part; the others share theirs."""
    plan = _BASE
    hidden = draw(st.lists(st.integers(0, len(plan.people) - 1), min_size=1, max_size=3,
                           unique=True))
    people = []
    names = []
    for i, p in enumerate(plan.people):
        if i in hidden:
            name = _HIDDEN[hidden.index(i)]
            names.append(name)
            people.append(dataclasses.replace(p, name=name, share_name=False,
                                              id=name.split()[0].lower()))
        else:
            people.append(dataclasses.replace(p, share_name=True))
    ids = {plan.people[i].id: people[i].id for i in hidden}
    said = st.sampled_from([*names, *(n.upper() for n in names), *ids.values(),
                            *(n.split()[-1] for n in names), "met", "a", " "])
    words = itertools.cycle(draw(st.lists(st.lists(said, min_size=1, max_size=4).map(" ".join),
                                          min_size=1, max_size=5)))
    stages = []
    for n, stage in enumerate(plan.stages):
        tps = tuple(dataclasses.replace(tp, who=tuple(ids.get(w, w) for w in tp.who),
                                        rung_reason=next(words))
            for tp in stage.touchpoints)
        stages.append(dataclasses.replace(stage, touchpoints=tps,
                                          title=f"{stage.title} {next(words)}"
                                                f" with {names[n % len(names)]}"))
        if n == 0:  # a stage named after someone (nothing links to the first)
            stages[-1] = dataclasses.replace(stages[-1],
                                             id=f"{stage.id}-{next(iter(ids.values()))}")
    return dataclasses.replace(plan, people=tuple(people), stages=tuple(stages)), names


def _hidden_words(names: list[str]) -> re.Pattern[str]:
    words = {w.lower() for n in names for w in n.split()}
    return re.compile(r"(?<![\w])(?:" + "|".join(sorted(words, key=len, reverse=True))
                      + r")(?![\w])", re.IGNORECASE)


@FEW
@given(_plans_with_hidden_people())
def test_no_report_for_others_names_anyone_who_keeps_their_name_private(
        drawn: tuple[Any, list[str]]) -> None:
    plan, names = drawn
    report = _reviewed(plan)
    # (the names are in the plan, where the review reads them)
    assert _hidden_words(names).search(" ".join(s.title for s in plan.stages))
    for fmt, text in _formats([rf.for_others(report)]).items():
        found = _hidden_words(names).search(text)
        assert found is None, (fmt, text[max(0, found.start() - 80):found.end() + 80])


# -- JSON, written out ---------------------------------------------------------------------

def _plain_json(reports: list[Any], unreadable: Any = ()) -> str:
    """``to_json`` as first written: the whole document made, then one ``json.dumps``."""
    import json

    out = []
    for report in reports:
        s = summarise(report)
        out.append({
            "file": report.plan.file_name, "title": report.plan.project.title,
            "errors": report.errors, "warnings": report.warnings, "infos": report.infos,
            "verdict": report.verdict(), "draft": report.draft, "to_agree": report.to_agree,
            "lowered_thresholds": [{"key": t.key, "value": t.value, "usual": t.usual,
                                    "line": t.line} for t in report.lowered],
            "rules_checked": [r.id for r in report.rules],
            "rules_skipped": report.skipped,
            "findings": [rf._finding_dict(report, f) for f in report.findings],
            "accepted": [rf._accepted_dict(report, f) for f in report.accepted],
            "summary": {
                "stages": s.stages, "stages_with_lived_experience": s.covered,
                "share_co_design_or_deeper": round(s.deep_share, 3),
                "deepest_rung": {d.stage: d.rung for d in s.depths},
                "rung_reasons": {d.stage: d.reason for d in s.depths if d.reason},
                "involvement_matrix": s.matrix,
                "slow_down_added_working_days": s.added_days,
                "finish": s.finish, "finish_without_slow_down": s.finish_without,
                "reflection_checkpoints": s.checkpoints,
            },
        })
    return json.dumps({"format": "coplan-check", "version": 2, "coplan": rf.__version__,
                       "plans": out,
                       "unreadable": [{"file": u.file,
                                       "problems": [rf._problem_dict(p) for p in u.problems]}
                                      for u in unreadable]}, ensure_ascii=False) + "\n"


# Texts of every kind JSON escapes or keeps: quotes, backslashes, control characters, lone
# surrogates, characters outside the first plane, and the same text said again.
_ANY_TEXT = st.one_of(st.sampled_from(["", "Sam", 'say "no"', "a\\b", "\x1b[31m", "é"]),
                      st.text(st.characters(blacklist_categories=()), max_size=12))


@st.composite
def _findings(draw: st.DrawFn) -> list[Any]:
    from coplan.review.engine import Finding, Severity, Subject

    texts = draw(st.lists(_ANY_TEXT, min_size=1, max_size=5))
    said = st.sampled_from(texts)
    return [Finding(draw(said), draw(st.sampled_from(list(Severity))), draw(said),
                    Subject(draw(said), draw(said), draw(said),
                            draw(st.one_of(st.integers(-5, 10**12), st.just(True)))),
                    draw(said), draw(said))
            for _ in range(draw(st.integers(0, 12)))]


@FEW
@given(_findings())
def test_findings_written_out_are_what_json_makes_of_them(findings: list[Any]) -> None:
    import json

    assert "".join(rf._json_findings(findings)) == json.dumps(
        [rf._finding_dict(None, f) for f in findings], ensure_ascii=False)  # type: ignore[arg-type]


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_the_json_report_is_the_plain_ways(path: Path) -> None:
    from coplan.errors import Problem

    report = _reviewed(load_plan(path))
    unreadable = [rf.Unreadable("bad.toml", (Problem("bad.toml", 3, 1, 'it "broke"',
                                                     "mend it"),))]
    for made in ([report], [rf.for_others(report)], [report, rf.for_others(report)], []):
        assert rf.to_json(made) == _plain_json(made)
        assert rf.to_json(made, unreadable) == _plain_json(made, unreadable)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_the_junit_report_is_the_plain_ways(path: Path) -> None:
    report = _reviewed(load_plan(path))
    mixed = rf.for_others(report)
    # findings said twice over, and alike but for their severity
    mixed.findings = [*mixed.findings, *mixed.findings[::3], *(
        dataclasses.replace(f, severity=Severity.ERROR) for f in mixed.findings[::2])]
    for made in ([report], [mixed], [report, mixed]):
        for strict in (False, True):
            assert rf.to_junit(made, strict=strict) == _plain_junit(made, strict=strict)


def _plain_junit(reports: list[Any], *, strict: bool = False, unreadable: Any = ()) -> str:
    """``to_junit`` as first written: each rule's findings picked out of all of them, and
    those not failing found by looking each up among those that do."""
    from xml.etree import ElementTree as ET

    root = ET.Element("testsuites", name="coplan check")
    for u in unreadable:
        suite = ET.SubElement(root, "testsuite", name=f"coplan check: {u.file}", tests="1",
                              failures="0", errors="1", skipped="0")
        case = ET.SubElement(suite, "testcase", classname="coplan.plan",
                             name=f"{rf.UNREADABLE_RULE} The plan can be read")
        error = ET.SubElement(case, "error", type="unreadable", message=u.summary())
        error.text = "\n".join(str(p) for p in u.problems)
    for report in reports:
        suite = ET.SubElement(root, "testsuite", name=f"coplan check: {report.plan.file_name}")
        failures = 0
        cases = 0
        for rule in report.rules:
            cases += 1
            case = ET.SubElement(suite, "testcase", classname=f"coplan.{rule.group}",
                                 name=f"{rule.id} {rule.title}")
            found = [f for f in report.findings if f.rule == rule.id]
            failing = [f for f in found if f.severity == Severity.ERROR
                       or (strict and f.severity == Severity.WARNING)]
            if failing:
                failures += 1
                failure = ET.SubElement(case, "failure", type=failing[0].severity.label,
                                        message=failing[0].message)
                failure.text = "\n".join(f"{f.file}:{f.line}: {f.severity.label}: {f.message}"
                                         f"\n  fix: {f.fix}" for f in failing)
            others = [f for f in found if f not in failing]
            if others:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(f"{f.file}:{f.line}: {f.severity.label}: {f.message}"
                                     for f in others)
        for rule_id, reason in sorted(report.skipped.items()):
            cases += 1
            case = ET.SubElement(suite, "testcase", classname="coplan.skipped", name=rule_id)
            ET.SubElement(case, "skipped", message=reason)
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="verdict", value=report.verdict())
        ET.SubElement(props, "property", name="to_agree", value=str(report.to_agree))
        for t in report.lowered:
            ET.SubElement(props, "property", name=f"lowered:{t.key}", value=t.describe())
        suite.insert(0, suite[-1])
        del suite[-1]
        suite.set("tests", str(cases))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(len(report.skipped)))
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + rf.xml_text(ET.tostring(root, encoding="unicode")) + "\n")
