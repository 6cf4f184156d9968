"""``coplan check`` for machines and documents: JSON, SARIF 2.1.0, JUnit XML, Markdown."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

from coplan import __version__
from coplan.escape import markdown_inline, xml_text
from coplan.review.engine import Rule, Severity
from coplan.review.runner import Report
from coplan.review.summary import IM_PHASES, rung_bar, summarise
from coplan.vocab import FRAMEWORKS, LADDER, ROLE
from coplan.words import count

INFORMATION_URI = "https://github.com/coplan-team/coplan"
SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _finding_dict(report: Report, f: Any) -> dict[str, Any]:
    return {"rule": f.rule, "severity": f.severity.label, "message": f.message, "fix": f.fix,
            "file": f.file, "line": f.line,
            "subject": {"kind": f.subject.kind, "id": f.subject.id, "stage": f.subject.stage}}


def to_json(reports: Sequence[Report]) -> str:
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
            "findings": [_finding_dict(report, f) for f in report.findings],
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
    # No indent: the standard library's C encoder is several times faster on large plans.
    return json.dumps({"format": "coplan-check", "version": 1, "coplan": __version__,
                       "plans": out}, ensure_ascii=False) + "\n"


def _sources(rule: Rule) -> list[str]:
    return [FRAMEWORKS[s].name for s in rule.sources if s in FRAMEWORKS]


def _help_uri(rule: Rule) -> str | None:
    return next((FRAMEWORKS[s].url for s in rule.sources if s in FRAMEWORKS), None)


def _artifact_uri(file: str) -> str:
    """A plan's path as a URI reference: percent-encoded, with '/' between folders."""
    path = Path(file)
    return path.as_uri() if path.is_absolute() else quote(path.as_posix())


def to_sarif(reports: Sequence[Report]) -> str:
    rules: dict[str, Rule] = {}
    for report in reports:
        for rule in report.rules:
            rules.setdefault(rule.id, rule)
    ordered = sorted(rules.values(), key=lambda r: r.id)
    index = {r.id: i for i, r in enumerate(ordered)}
    descriptors = []
    for rule in ordered:
        descriptor: dict[str, Any] = {
            "id": rule.id,
            "name": "".join(w.capitalize() for w in rule.title.replace("-", " ").split()
                            if w.isalnum()) or rule.id,
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.why},
            "help": {"text": f"{rule.fix} Sources: {', '.join(_sources(rule)) or 'coplan'}."},
            "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
            "properties": {"tags": ["co-production", rule.group, *rule.sources]},
        }
        uri = _help_uri(rule)
        if uri:
            descriptor["helpUri"] = uri
        descriptors.append(descriptor)
    results = []
    for report in reports:
        for f in report.findings:
            location: dict[str, Any] = {"artifactLocation": {"uri": _artifact_uri(f.file)}}
            if f.line > 0:
                location["region"] = {"startLine": f.line}
            result: dict[str, Any] = {
                "ruleId": f.rule, "level": SARIF_LEVEL[f.severity],
                "message": {"text": f"{f.message}. Fix: {f.fix}" if f.fix else f.message},
                "locations": [{"physicalLocation": location}],
            }
            if f.rule in index:
                result["ruleIndex"] = index[f.rule]
            results.append(result)
    notifications = [
        {"level": "note", "message": {"text": f"{rule_id} switched off: {reason}"},
         "descriptor": {"id": rule_id}}
        for report in reports for rule_id, reason in sorted(report.skipped.items())]
    notifications += [
        {"level": "warning", "message": {"text": f"{report.plan.file_name}: threshold lowered: "
                                                 f"{t.describe()}"}}
        for report in reports for t in report.lowered]

    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolConfigurationNotifications"] = notifications
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "coplan", "version": __version__,
                                "informationUri": INFORMATION_URI, "rules": descriptors}},
            "invocations": [invocation],
            "results": results,
            "properties": {"plans": [
                {"file": report.plan.file_name, "verdict": report.verdict(),
                 "draft": report.draft, "toAgree": report.to_agree,
                 "loweredThresholds": [t.describe() for t in report.lowered]}
                for report in reports]},
        }],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


def to_junit(reports: Sequence[Report], *, strict: bool = False) -> str:
    """One test suite per plan, one test case per rule: a rule fails on an error finding
    (or on a warning too, with ``strict``)."""
    root = ET.Element("testsuites", name="coplan check")
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
            + xml_text(ET.tostring(root, encoding="unicode")) + "\n")


def _cell(text: str) -> str:
    return markdown_inline(text)


def to_markdown(reports: Sequence[Report]) -> str:
    """A reviewer's report to attach to an application or an ethics submission."""
    out: list[str] = []
    for report in reports:
        plan = report.plan
        s = summarise(report)
        out.append(f"# Co-production review: {_cell(plan.project.title)}")
        out.append("")
        out.append(f"Checked by coplan {__version__} against {count(len(report.rules), 'rule')} on "
                   f"`{plan.file_name}`.")
        out.append("")
        out.append(f"**{_cell(report.verdict())}** {count(report.errors, 'error')}, "
                   f"{count(report.warnings, 'warning')}, {count(report.infos, 'note')}.")
        out.append("")
        for t in report.lowered:
            out.append(f"- **Threshold lowered**: {_cell(t.describe())}.")
        if report.lowered:
            out.append("")
        out.append("## At a glance")
        out.append("")
        out.append(f"- Stages with a lived-experience touchpoint: **{s.covered} of {s.stages}**")
        out.append(f"- Stages reaching co-design or deeper: **{round(s.deep_share * 100)}%**")
        if s.finish:
            out.append(f"- Time added for co-production: **{count(s.added_days, 'working day')}**"
                       + (f" (finish {s.finish} instead of {s.finish_without})"
                          if s.added_days else f" (finish {s.finish})"))
            out.append(f"- Reflection checkpoints: **{s.checkpoints}**")
        out.append("")
        out.append("### How deep each stage goes")
        out.append("")
        out.append("| Stage | Phase | Deepest rung | Depth | Lived experience | Why this rung |")
        out.append("|---|---|---|---|---|---|")
        for d in s.depths:
            out.append(f"| {_cell(d.title)} | {_cell(d.phase)} | "
                       f"{LADDER.label(d.rung) if d.rung else 'none'} | `{rung_bar(d.rank)}` | "
                       f"{'yes' if d.covered else '**no**'} | {_cell(d.reason) or '–'} |")
        out.append("")
        if s.people:
            out.append("### Involvement Matrix: highest role per phase")
            out.append("")
            out.append("| Person | " + " | ".join(p.capitalize() for p in IM_PHASES) + " |")
            out.append("|---|" + "---|" * len(IM_PHASES))
            for person in s.people:
                row = s.matrix[person]
                cells = [ROLE.label(row[p]) if row.get(p) else "–" for p in IM_PHASES]
                out.append(f"| {_cell(person)} | " + " | ".join(cells) + " |")
            out.append("")
        out.append("## Findings")
        out.append("")
        if not report.findings:
            out.append("No findings.")
        else:
            out.append("| Where | Severity | Rule | Finding | How to fix |")
            out.append("|---|---|---|---|---|")
            for f in report.findings:
                where = f"line {f.line}" if f.line else "plan"
                out.append(f"| {where} | {f.severity.label} | {f.rule} | {_cell(f.message)} | "
                           f"{_cell(f.fix)} |")
        out.append("")
        if report.skipped:
            out.append("## Rules switched off, and why")
            out.append("")
            for rule_id, reason in sorted(report.skipped.items()):
                out.append(f"- **{rule_id}**: {_cell(reason)}")
            out.append("")
        used = sorted({s for r in report.rules for s in r.sources if s in FRAMEWORKS})
        if used:
            out.append("## Frameworks the rules draw on")
            out.append("")
            for fid in used:
                fw = FRAMEWORKS[fid]
                out.append(f"- [{fw.name}]({fw.url}), {fw.credit}")
            out.append("")
    return "\n".join(out)
