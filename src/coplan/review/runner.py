"""Running the rules over a plan, and the report that results."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from coplan.model import Plan
from coplan.review.engine import Context, Finding, Registry, Rule, Severity, Subject

if TYPE_CHECKING:
    from coplan.schedule import Schedule


@dataclass(slots=True)
class Report:
    """What ``coplan check`` found in one plan."""

    plan: Plan
    schedule: Schedule | None
    findings: list[Finding]
    rules: list[Rule]
    skipped: dict[str, str] = field(default_factory=dict)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    @property
    def infos(self) -> int:
        return self.count(Severity.INFO)

    def by_rule(self) -> Counter[str]:
        return Counter(f.rule for f in self.findings)

    def passed(self) -> list[Rule]:
        failing = {f.rule for f in self.findings}
        return [r for r in self.rules if r.id not in failing]

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def _matches(rule_id: str, patterns: Iterable[str]) -> bool:
    """``CP-PAY``, ``PAY`` and ``CP-PAY-001`` all match ``CP-PAY-001``."""
    for pattern in patterns:
        p = pattern.strip().upper()
        if not p:
            continue
        if rule_id == p or rule_id.startswith(p + "-") or f"-{p}-" in f"{rule_id}-":
            return True
    return False


def review(plan: Plan, schedule: Schedule | None = None, *, registry: Registry,
           select: Iterable[str] = (), ignore: Iterable[str] = (),
           today: date | None = None) -> Report:
    """Run every rule of ``registry`` (or the selected ones) and collect the findings.

    The caller says which rules: ``coplan.plugins.all_rules()`` for coplan's and every
    plugin's (what ``coplan check`` and the app run), ``builtin_rules()`` for coplan's own.
    ``today`` is the day the review is made on: the rules on what actually happened (late
    feedback, late payment) need it, and say nothing without it.
    """
    if schedule is None:
        from coplan.schedule import ScheduleError
        from coplan.schedule import schedule as make_schedule

        try:
            schedule = make_schedule(plan)
        except ScheduleError:
            schedule = None
    select = [s for s in select if s.strip()]
    ignore = [s for s in ignore if s.strip()]
    rules: list[Rule] = []
    skipped: dict[str, str] = {}
    for candidate in registry:
        if select and not _matches(candidate.id, select):
            continue
        if _matches(candidate.id, ignore):
            skipped[candidate.id] = "left out on the command line (--ignore)"
            continue
        reason = plan.review.skip.get(candidate.id)
        if reason:
            skipped[candidate.id] = reason
            continue
        rules.append(candidate)
    findings: list[Finding] = []
    name = plan.file_name
    known = {r.id for r in registry}
    for rule_id in plan.review.skip:
        if rule_id not in known:
            findings.append(Finding(
                rule_id, Severity.WARNING,
                f"[review.skip] switches off '{rule_id}', which is not a rule coplan knows, "
                "so nothing was switched off", Subject("project", "review", "",
                                                       plan.review.line_of("skip")),
                "check the rule id against 'coplan check --format json' or docs/review.md",
                name))
    for current in rules:
        ctx = Context(plan=plan, schedule=schedule, rule=current, today=today)
        severity = current.severity_for(plan)
        try:
            for subject, message in current.check(ctx):
                findings.append(Finding(current.id, severity, message, subject, current.fix,
                                        name))
        except Exception as exc:  # a rule with a bug must not stop the review
            findings.append(Finding(
                current.id, Severity.WARNING,
                f"this rule could not run ({type(exc).__name__}: {exc}); its result is "
                "unknown", Subject("project", line=plan.project.line),
                "report this to whoever wrote the rule", name))
    findings.sort(key=lambda f: (f.line or 10**9, -f.severity, f.rule))
    return Report(plan=plan, schedule=schedule, findings=findings, rules=rules, skipped=skipped)
