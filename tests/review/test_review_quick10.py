"""The tenth round's quicker ways around the review give what the plain ways give.

Each quick way is held to the plain one it stands for: a report's findings counted once
while they stay the same, the report for others made with each subject redacted once and
each finding made again by its class, and a rung's rank read from a table of the ladder.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan import sharing
from coplan.model import Stage, Touchpoint
from coplan.planfile import load_plan
from coplan.plugins import all_rules
from coplan.privacy import redaction as make_redaction
from coplan.review import review
from coplan.review.engine import Finding, Severity, Subject
from coplan.review.runner import AGREED_RULE, Report
from coplan.sharing import ABOUT_SOMEONES_PAY, ONE_PERSON, Parts, replaced, shared_report
from coplan.vocab import LADDER

ROOT = Path(__file__).resolve().parents[2]
MINDS = ROOT / "examples" / "minds-discharge.toml"
DAY = date(2027, 9, 10)


def _report(path: Path = MINDS, day: date = DAY) -> Report:
    return review(load_plan(path), registry=all_rules(), today=day)


# -- the findings counted once ------------------------------------------------------------

def _plain_counts(report: Report) -> tuple[int, int, int, int, dict[str, int]]:
    findings = report.findings
    return (sum(1 for f in findings if f.severity == Severity.ERROR),
            sum(1 for f in findings if f.severity == Severity.WARNING),
            sum(1 for f in findings if f.severity == Severity.INFO),
            sum(1 for f in findings if f.rule == AGREED_RULE),
            {r: sum(1 for f in findings if f.rule == r) for r in {f.rule for f in findings}})


def _counts(report: Report) -> tuple[int, int, int, int, dict[str, int]]:
    return (report.errors, report.warnings, report.infos, report.to_agree,
            dict(report.by_rule()))


_SEVERITIES = st.sampled_from(list(Severity))
_RULES = st.sampled_from([AGREED_RULE, "CP-DEL-002", "CP-STG-001", "X-1"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_RULES, _SEVERITIES), max_size=12),
       st.lists(st.tuples(_RULES, _SEVERITIES), max_size=4),
       st.lists(st.tuples(_RULES, _SEVERITIES), max_size=4))
def test_the_counts_follow_the_findings_as_they_change(
        first: list[tuple[str, Severity]], added: list[tuple[str, Severity]],
        other: list[tuple[str, Severity]]) -> None:
    """Counted, then the list grown in place, then another list given: each time what a
    pass over the findings gives."""

    def made(pairs: list[tuple[str, Severity]]) -> list[Finding]:
        return [Finding(rule, severity, "m", Subject("project")) for rule, severity in pairs]

    report = _report()
    report.findings = made(first)
    assert _counts(report) == _plain_counts(report)
    report.findings.extend(made(added))
    assert _counts(report) == _plain_counts(report)
    report.findings = made(other)
    assert _counts(report) == _plain_counts(report)
    # (a copy counts its own findings)
    twin = copy.copy(report)
    twin.findings = made(first)
    assert _counts(twin) == _plain_counts(twin)
    assert _counts(report) == _plain_counts(report)


def test_the_counts_of_a_review_are_a_pass_over_its_findings() -> None:
    for day in (date(2026, 12, 5), DAY):
        report = _report(day=day)
        assert _counts(report) == _plain_counts(report)
        shown = copy.copy(report)
        shown.findings = list(report.findings[:7])
        assert _counts(shown) == _plain_counts(shown)


# -- the report for others ----------------------------------------------------------------

def _shared_as_first_written(report: Any, shared: Any, original: Any) -> Any:
    """``sharing.shared_report`` as the ninth round left it: each finding's subject
    redacted on its own, and each finding changed made by ``replaced``."""
    source = original or report.plan
    hide = make_redaction(source, shared.shared_with or "team")
    needs = hide.needs
    findings = []
    payee: re.Pattern[str] | bool | None = None
    for f in report.findings:
        message, fix = f.message, f.fix
        rule = report.rule(f.rule)
        if sharing.mentions_needs(message, needs) or getattr(rule, "personal", False):
            message = (f"{rule.title} (the details name someone's own needs, so they "
                       "are kept to the plan itself)") if rule is not None else \
                "a finding about someone's own needs, kept to the plan itself"
            fix = ""
        if f.rule in ABOUT_SOMEONES_PAY:
            if payee is None:
                payee = sharing._payee(source) or False
            if isinstance(payee, re.Pattern):
                message = payee.sub(ONE_PERSON, message, count=1)
        message, shared_fix = hide.text(message), hide.text(fix)
        subject = f.subject
        if f.rule in ABOUT_SOMEONES_PAY and subject.kind == "person":
            subject = replaced(subject, {"id": ""})
        if subject.person:  # (who is owed is not told; anyone else's id is hidden as ids are)
            subject = replaced(subject, {"person": "" if f.rule in ABOUT_SOMEONES_PAY
                                         else hide.id(subject.person)})
        sid, stage = hide.id(subject.id), hide.id(subject.stage)
        if sid != subject.id or stage != subject.stage:
            subject = replaced(subject, {"id": sid, "stage": stage})
        findings.append(f if subject is f.subject and message == f.message
                        and shared_fix == f.fix
                        else replaced(f, {"message": message, "fix": shared_fix,
                                          "subject": subject}))
    return findings


@pytest.mark.parametrize("day", [date(2026, 12, 5), DAY])
def test_the_report_for_others_is_what_it_was(day: date) -> None:
    report = _report(day=day)
    parts = Parts(report.plan, "team")
    made = shared_report(report, parts.outline, report.plan).findings
    plain = _shared_as_first_written(report, parts.outline, report.plan)
    assert made == plain
    assert [type(f) for f in made] == [type(f) for f in plain]
    kept = [f is g for f, g in zip(made, report.findings, strict=True)]
    assert kept == [f is g for f, g in zip(plain, report.findings, strict=True)]
    if day == DAY:  # (payments owed: both ways are met)
        assert not all(kept) and any(kept)


_PEOPLE = ["amara", "sam", "dev", "nobody", ""]
_KINDS = ["person", "touchpoint", "stage", "project"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(ABOUT_SOMEONES_PAY | {"CP-STG-001"})),
                          st.sampled_from(_KINDS), st.sampled_from(_PEOPLE),
                          st.integers(0, 2), st.booleans()), min_size=1, max_size=12))
def test_findings_sharing_subjects_are_told_each_as_on_their_own(
        drawn: list[tuple[str, str, str, int, bool]]) -> None:
    """Findings about people (by ids that are hidden names or not), of the rules about
    pay and others, some sharing one subject object, some with equal subjects of their
    own: each as the plain way tells it (a subject of a finding about pay and of one
    that is not, the same object, told apart)."""
    report = _report()
    shared_subjects: dict[tuple[str, str, int], Subject] = {}
    findings = []
    for rule, kind, who, line, share in drawn:
        key = (kind, who, line)
        if share:
            subject = shared_subjects.setdefault(key, Subject(kind, who, who, line))
        else:
            subject = Subject(kind, who, who, line)
        findings.append(Finding(rule, Severity.ERROR, f"payment owed to {who or 'x'}",
                                subject, "pay it", report.plan.file_name))
    report.findings = findings
    parts = Parts(report.plan, "team")
    made = shared_report(report, parts.outline, report.plan).findings
    assert made == _shared_as_first_written(report, parts.outline, report.plan)


def test_one_subject_of_a_finding_about_pay_and_of_one_not_is_told_apart() -> None:
    report = _report()
    person = Subject("person", "amara", "", 3)
    pay = sorted(ABOUT_SOMEONES_PAY)[0]
    for rules in ((pay, "CP-STG-001"), ("CP-STG-001", pay)):
        report.findings = [Finding(rule, Severity.ERROR, "about amara", person, "fix it",
                                   report.plan.file_name) for rule in rules]
        parts = Parts(report.plan, "team")
        made = shared_report(report, parts.outline, report.plan).findings
        assert made == _shared_as_first_written(report, parts.outline, report.plan)
        assert {f.subject.id for f in made if f.rule == pay} == {""}


def test_a_finding_is_made_again_by_its_class_only_with_a_findings_fields() -> None:
    assert sharing._finding_shaped(Finding)
    assert not sharing._finding_shaped(Subject)

    @dataclasses.dataclass(frozen=True)
    class Reordered:
        rule: str
        message: str
        severity: Severity
        subject: Subject
        fix: str = ""
        file: str = ""

    assert not sharing._finding_shaped(Reordered)


# -- a rung's rank -------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["", *(t.id for t in LADDER), "co_design", "co_production"]),
                max_size=6))
def test_a_rungs_rank_is_the_ladders(rungs: list[str]) -> None:
    plan = load_plan(MINDS)
    stage: Stage = plan.stages[0]
    tp: Touchpoint = stage.touchpoints[0]
    tps = tuple(dataclasses.replace(tp, ladder=rung or None) for rung in rungs)
    for each in tps:
        assert each.ladder_rank == (LADDER[each.ladder].rank if each.ladder else 0)
    stage = dataclasses.replace(stage, touchpoints=tps)
    best = max((t for t in tps if t.ladder), key=lambda t: LADDER[t.ladder or ""].rank,
               default=None)
    assert stage.deepest_ladder == (best.ladder if best else None)
