"""``coplan check`` for machines and documents: JSON, SARIF 2.1.0, JUnit XML, Markdown.

A plan that could not be read is in every format too (``Unreadable``), as an error a tool
shows, never as an empty run that looks like a clean one: a SARIF result at each problem's
line with the run marked unsuccessful, a JUnit test case in error, an entry in the JSON and
a section in the Markdown.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from coplan import __version__
from coplan.errors import Problem
from coplan.escape import markdown_inline, xml_text
from coplan.records import dataclass
from coplan.review.engine import Rule, Severity
from coplan.review.for_others import Summarised as Summarised  # (made here before)
from coplan.review.for_others import for_others as for_others
from coplan.review.runner import Report
from coplan.review.summary import IM_PHASES, rung_bar, summarise
from coplan.vocab import FRAMEWORKS, LADDER, ROLE
from coplan.words import count

INFORMATION_URI = "https://github.com/coplan-team/coplan"
SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
UNREADABLE_RULE = "CP-READ"
# The version of ``coplan check --format json`` (docs/json.md): 2 since a finding the plan
# accepts (``[[review.accept]]``) is in each plan's ``accepted``, no longer in ``findings``.
JSON_VERSION = 2


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A plan ``coplan check`` was given but could not read, and every problem found."""

    file: str
    problems: tuple[Problem, ...]

    def summary(self) -> str:
        n = len(self.problems)
        return f"{self.file} could not be read ({n} problem{'s' if n != 1 else ''}), so it " \
               "was not reviewed"


def _problem_text(p: Problem) -> str:
    return f"{p.message}. Fix: {p.hint}" if p.hint else p.message


def _problem_dict(p: Problem) -> dict[str, Any]:
    return {"file": p.file, "line": p.line or None, "column": p.column or None,
            "message": p.message, "fix": p.hint or None}


def _finding_dict(report: Report, f: Any) -> dict[str, Any]:
    return {"rule": f.rule, "severity": f.severity.label, "message": f.message, "fix": f.fix,
            "file": f.file, "line": f.line,
            "subject": {"kind": f.subject.kind, "id": f.subject.id, "stage": f.subject.stage,
                        "entry": f.subject.entry, "person": f.subject.person}}


def _accepted_dict(report: Report, f: Any) -> dict[str, Any]:
    """An accepted finding (``[[review.accept]]``) as the JSON gives it: a finding, with
    the ``reason`` the plan gives for accepting it."""
    return {**_finding_dict(report, f), "reason": f.accepted}


def _json_findings(findings: Sequence[Any]) -> Iterator[str]:
    """``json.dumps([_finding_dict(report, f) for f in findings], ensure_ascii=False)``,
    in pieces made as they are asked for (``json_pieces``), with each text encoded once:
    a large plan's findings say the same few things many times over (49,000 findings, 60
    messages), in the same file.  Each value is what ``json.dumps`` makes of it, between
    the separators it puts."""
    import json

    encoded: dict[str, str] = {}  # each text as JSON
    heads: dict[tuple[Any, ...], str] = {}  # what a finding starts with, up to its line

    def enc(value: Any) -> str:
        if value.__class__ is str:
            found = encoded.get(value)
            if found is None:
                found = encoded[value] = json.dumps(value, ensure_ascii=False)
            return found
        if value.__class__ is int:
            return int.__repr__(value)
        return json.dumps(value, ensure_ascii=False)

    yield "["
    between = ""
    for f in findings:
        key = (f.rule, f.severity, f.message, f.fix, f.file)
        head = heads.get(key)
        if head is None:
            head = heads[key] = (
                f'{{"rule": {enc(f.rule)}, "severity": {enc(f.severity.label)}, "message": '
                f'{enc(f.message)}, "fix": {enc(f.fix)}, "file": {enc(f.file)}, "line": ')
        subject = f.subject
        yield (f'{between}{head}{enc(f.line)}, "subject": {{"kind": {enc(subject.kind)}, '
               f'"id": {enc(subject.id)}, "stage": {enc(subject.stage)}, '
               f'"entry": {enc(subject.entry)}, "person": {enc(subject.person)}}}}}')
        between = ", "
    yield "]"


def to_json(reports: Sequence[Report], unreadable: Sequence[Unreadable] = ()) -> str:
    return "".join(json_pieces(reports, unreadable))


def json_pieces(reports: Sequence[Report],
                unreadable: Sequence[Unreadable] = ()) -> Iterator[str]:
    """``to_json``'s document in pieces, each finding's made only as it is asked for, so
    that it can be written out a part at a time (``cli_common.write_pieces``): a large
    plan's findings are 19 MB of text, which was held whole, and again encoded, at the
    peak of ``check``'s memory."""
    import json

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    # Each plan written as ``json.dumps`` writes it, with its findings written out in
    # their place between the keys before them and the summary after (``_json_findings``).
    head = dumps({"format": "coplan-check", "version": JSON_VERSION, "coplan": __version__})
    yield head[:-1]
    yield ', "plans": ['
    for n, report in enumerate(reports):
        s = summarise(report)
        plan = dumps({
            "file": report.plan.file_name, "title": report.plan.project.title,
            "errors": report.errors, "warnings": report.warnings, "infos": report.infos,
            "verdict": report.verdict(), "draft": report.draft, "to_agree": report.to_agree,
            "lowered_thresholds": [{"key": t.key, "value": t.value, "usual": t.usual,
                                    "line": t.line} for t in report.lowered],
            "rules_checked": [r.id for r in report.rules],
            "rules_skipped": report.skipped})
        tail = dumps({
            "accepted": [_accepted_dict(report, f) for f in report.accepted],
            "summary": {
                "stages": s.stages, "stages_with_lived_experience": s.covered,
                "share_co_design_or_deeper": round(s.deep_share, 3),
                "deepest_rung": {d.stage: d.rung for d in s.depths},
                "rung_reasons": {d.stage: d.reason for d in s.depths if d.reason},
                "involvement_matrix": s.matrix,
                "slow_down_added_working_days": s.added_days,
                "finish": s.finish, "finish_without_slow_down": s.finish_without,
                "reflection_checkpoints": s.checkpoints,
            }})
        yield ", " if n else ""
        yield plan[:-1]
        yield ', "findings": '
        yield from _json_findings(report.findings)
        yield ", "
        yield tail[1:]
    # No indent: the standard library's C encoder is several times faster on large plans.
    tail = dumps({"unreadable": [{"file": u.file,
                                  "problems": [_problem_dict(p) for p in u.problems]}
                                 for u in unreadable]})
    yield "], "
    yield tail[1:]
    yield "\n"


def _sources(rule: Rule) -> list[str]:
    return [FRAMEWORKS[s].name for s in rule.sources if s in FRAMEWORKS]


def _help_uri(rule: Rule) -> str | None:
    return next((FRAMEWORKS[s].url for s in rule.sources if s in FRAMEWORKS), None)


def _artifact_uri(file: str) -> str:
    """A plan's path as a URI reference: percent-encoded, with '/' between folders."""
    path = Path(file)
    return path.as_uri() if path.is_absolute() else quote(path.as_posix())


def to_sarif(reports: Sequence[Report], unreadable: Sequence[Unreadable] = ()) -> str:
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
        # A finding the plan accepts is a result with a suppression (SARIF 3.35): a
        # viewer shows it as suppressed, with the team's reason as its justification.
        for f in (*report.findings, *report.accepted):
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
            if f.accepted:
                result["suppressions"] = [{"kind": "inSource", "status": "accepted",
                                           "justification": f.accepted}]
            results.append(result)
    notifications = [
        {"level": "note", "message": {"text": f"{rule_id} switched off: {reason}"},
         "descriptor": {"id": rule_id}}
        for report in reports for rule_id, reason in sorted(report.skipped.items())]
    notifications += [
        {"level": "warning", "message": {"text": f"{report.plan.file_name}: threshold lowered: "
                                                 f"{t.describe()}"}}
        for report in reports for t in report.lowered]

    if unreadable:
        index[UNREADABLE_RULE] = len(descriptors)
        descriptors.append({
            "id": UNREADABLE_RULE, "name": "PlanCouldNotBeRead",
            "shortDescription": {"text": "The plan could not be read"},
            "fullDescription": {"text": "coplan reviews only a plan it can read: nothing in "
                                        "this file was checked."},
            "help": {"text": "Put right each problem at its line ('coplan validate' lists "
                             "the same), then check the plan again."},
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["co-production", "plan file"]}})
    for u in unreadable:
        for p in u.problems:
            location = {"artifactLocation": {"uri": _artifact_uri(p.file or u.file)}}
            if p.line > 0:
                location["region"] = {"startLine": p.line, **(
                    {"startColumn": p.column} if p.column > 0 else {})}
            results.append({"ruleId": UNREADABLE_RULE, "ruleIndex": index[UNREADABLE_RULE],
                            "level": "error", "message": {"text": _problem_text(p)},
                            "locations": [{"physicalLocation": location}]})

    failed = [(report, rule_id, why) for report in reports
              for rule_id, why in sorted(report.failed.items())]
    invocation: dict[str, Any] = {"executionSuccessful": not unreadable and not failed}
    if unreadable:
        invocation["exitCode"] = 2
    execution = [
        {"level": "error", "message": {"text": u.summary()},
         "locations": [{"physicalLocation": {"artifactLocation": {
             "uri": _artifact_uri(u.file)}}}]} for u in unreadable]
    execution += [
        {"level": "error", "message": {"text": f"{report.plan.file_name}: the rule "
                                               f"{rule_id} could not run ({why}); its result "
                                               "is unknown"},
         "descriptor": {"id": rule_id}} for report, rule_id, why in failed]
    if execution:
        invocation["toolExecutionNotifications"] = execution
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
                for report in reports], "unreadable": [u.file for u in unreadable]},
        }],
    }
    import json

    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


def to_junit(reports: Sequence[Report], *, strict: bool = False,
             unreadable: Sequence[Unreadable] = ()) -> str:
    """One test suite per plan, one test case per rule: a rule fails on an error finding
    (or on a warning too, with ``strict``).  A plan that could not be read is a suite whose
    one test case is in error."""
    from xml.etree import ElementTree as ET

    root = ET.Element("testsuites", name="coplan check")
    for u in unreadable:
        suite = ET.SubElement(root, "testsuite", name=f"coplan check: {u.file}", tests="1",
                              failures="0", errors="1", skipped="0")
        case = ET.SubElement(suite, "testcase", classname="coplan.plan",
                             name=f"{UNREADABLE_RULE} The plan can be read")
        error = ET.SubElement(case, "error", type="unreadable", message=u.summary())
        error.text = "\n".join(str(p) for p in u.problems)
    for report in reports:
        suite = ET.SubElement(root, "testsuite", name=f"coplan check: {report.plan.file_name}")
        failures = errors = 0
        cases = 0
        by_rule: dict[str, list[Any]] = {}  # each rule's findings, in the report's order
        for f in report.findings:
            by_rule.setdefault(f.rule, []).append(f)
        for rule in report.rules:
            cases += 1
            case = ET.SubElement(suite, "testcase", classname=f"coplan.{rule.group}",
                                 name=f"{rule.id} {rule.title}")
            found = by_rule.get(rule.id, [])
            if rule.id in report.failed:  # it raised: its result is unknown, not failed
                errors += 1
                error = ET.SubElement(case, "error", type="rule-could-not-run",
                                      message=f"the rule could not run "
                                              f"({report.failed[rule.id]})")
                error.text = "its result is unknown: report this to whoever wrote the rule"
                found = [f for f in found if not f.message.startswith("this rule could not run (")]
            failing = [f for f in found if f.severity == Severity.ERROR
                       or (strict and f.severity == Severity.WARNING)]
            if failing:
                failures += 1
                failure = ET.SubElement(case, "failure", type=failing[0].severity.label,
                                        message=failing[0].message)
                failure.text = "\n".join(f"{f.file}:{f.line}: {f.severity.label}: {f.message}"
                                         f"\n  fix: {f.fix}" for f in failing)
            # (those not failing: a finding equal to a failing one has its severity, so
            # fails too)
            others = [f for f in found if not (f.severity == Severity.ERROR
                                               or (strict and f.severity == Severity.WARNING))]
            if others:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(f"{f.file}:{f.line}: {f.severity.label}: {f.message}"
                                     for f in others)
        for rule_id, reason in sorted(report.skipped.items()):
            cases += 1
            case = ET.SubElement(suite, "testcase", classname="coplan.skipped", name=rule_id)
            ET.SubElement(case, "skipped", message=reason)
        # Each finding the plan accepts: a test case of its own, skipped with the reason.
        for f in report.accepted:
            cases += 1
            case = ET.SubElement(suite, "testcase", classname="coplan.accepted",
                                 name=f"{f.rule} about {_about(f)}"
                                      + (f" (line {f.line})" if f.line else ""))
            skipped = ET.SubElement(case, "skipped", message=f"accepted: {f.accepted}")
            skipped.text = f"{f.file}:{f.line}: {f.severity.label}: {f.message}"
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="verdict", value=report.verdict())
        ET.SubElement(props, "property", name="to_agree", value=str(report.to_agree))
        for t in report.lowered:
            ET.SubElement(props, "property", name=f"lowered:{t.key}", value=t.describe())
        suite.insert(0, suite[-1])
        del suite[-1]
        suite.set("tests", str(cases))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        suite.set("skipped", str(len(report.skipped) + len(report.accepted)))
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + xml_text(ET.tostring(root, encoding="unicode")) + "\n")


def _about(f: Any) -> str:
    """What a finding is about, in words, with the entry where it is about one."""
    what: str = f.subject.describe()
    what += f", entry {f.subject.entry}" if f.subject.entry else ""
    return what + (f", person '{f.subject.person}'" if f.subject.person else "")


def _cell(text: str) -> str:
    return markdown_inline(text)


def to_markdown(reports: Sequence[Report], unreadable: Sequence[Unreadable] = ()) -> str:
    """A reviewer's report to attach to an application or an ethics submission."""
    out: list[str] = []
    for u in unreadable:
        out.append(f"# Not reviewed: {_cell(u.file)} could not be read")
        out.append("")
        out.append("Nothing in this plan was checked. Put right each problem, then check it "
                   "again:")
        out.append("")
        for p in u.problems:
            where = f"line {p.line}: " if p.line else ""
            out.append(f"- {where}{_cell(_problem_text(p))}")
        out.append("")
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
        if report.accepted:
            out.append("## Findings accepted, and why")
            out.append("")
            out.append("Not counted above: the team accepted each of these with a reason.")
            out.append("")
            out.append("| Where | Severity | Rule | Finding | Why it is accepted |")
            out.append("|---|---|---|---|---|")
            for f in report.accepted:
                where = f"line {f.line}" if f.line else "plan"
                out.append(f"| {where} | {f.severity.label} | {f.rule} | {_cell(f.message)} | "
                           f"{_cell(f.accepted)} |")
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
