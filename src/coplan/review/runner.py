"""Running the rules over a plan, and the report that results."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from coplan.agreed import unmet
from coplan.model import Plan, ReviewSettings
from coplan.review.engine import Context, Finding, Registry, Rule, Severity, Subject
from coplan.words import count

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
    # The rules by id, made when first asked for (a report of thousands of findings asks
    # once per finding): the list it was made from, its length then, and the index.
    _index: tuple[list[Rule], int, dict[str, Rule]] | None = field(
        default=None, init=False, repr=False, compare=False)

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
        index = self._index
        if index is None or index[0] is not self.rules or index[1] != len(self.rules):
            by_id: dict[str, Rule] = {}
            for r in self.rules:
                by_id.setdefault(r.id, r)  # the first of a repeated id, as before
            index = self._index = (self.rules, len(self.rules), by_id)
        return index[2].get(rule_id)

    @property
    def to_agree(self) -> int:
        """How many values the plan has not yet agreed (CP-AGR-001's findings)."""
        return sum(1 for f in self.findings if f.rule == AGREED_RULE)

    @property
    def draft(self) -> bool:
        """A plan with things still to agree is a draft, whatever else it gets right."""
        return self.to_agree > 0 or (AGREED_RULE in self.skipped and bool(unmet(self.plan)))

    @property
    def lowered(self) -> list[Lowered]:
        """The thresholds the plan's [review] table makes easier to meet than coplan's."""
        return lowered_thresholds(self.plan)

    def verdict(self) -> str:
        """The one-line verdict every report format shows."""
        count = (self.to_agree or len(unmet(self.plan))) if self.draft else 0
        things = f"{count} thing{'s' if count != 1 else ''} still to agree"
        if self.errors:
            return ("Co-production is not yet built into every part of this plan"
                    + (f" (a draft: {things})." if count else "."))
        if count:
            return f"Draft: {things}, so co-production cannot yet be called built in."
        return "No errors: co-production is built into every stage."


AGREED_RULE = "CP-AGR-001"


@dataclass(frozen=True, slots=True)
class Lowered:
    """A review threshold the plan made easier to meet."""

    key: str
    value: str
    usual: str
    line: int

    def describe(self) -> str:
        return (f"[review] {self.key} = {self.value} (coplan's usual threshold is "
                f"{self.usual}): the checks that use it are easier to pass")


def lowered_thresholds(plan: Plan) -> list[Lowered]:
    settings = plan.review
    usual = ReviewSettings()
    found = []
    if settings.min_voices < usual.min_voices:
        found.append(Lowered("min_voices", str(settings.min_voices), str(usual.min_voices),
                             settings.line_of("min_voices")))
    if settings.feedback_within_days > usual.feedback_within_days:
        found.append(Lowered("feedback_within", count(settings.feedback_within_days, "working day"),
                             count(usual.feedback_within_days, "working day"),
                             settings.line_of("feedback_within")))
    if settings.papers_ahead_days < usual.papers_ahead_days:
        found.append(Lowered("papers_ahead", count(settings.papers_ahead_days, "working day"),
                             count(usual.papers_ahead_days, "working day"),
                             settings.line_of("papers_ahead")))
    return found


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
            schedule = make_schedule(plan, today=today)
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
