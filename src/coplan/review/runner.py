"""Running the rules over a plan, and the report that results."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import field, fields, replace
from datetime import date
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING

from coplan.agreed import unmet
from coplan.model import Acceptance, Located, Plan, ReviewSettings, Stage
from coplan.records import dataclass
from coplan.review.engine import Context, Finding, Registry, Rule, Severity, Shared, Subject
from coplan.words import count
from coplan.words import count as counted

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
    # The findings the plan accepts one at a time (``[[review.accept]]``), each with its
    # reason (``Finding.accepted``): shown with it, counted as nothing.
    accepted: list[Finding] = field(default_factory=list)
    # What ``--select`` chose, where it chose: then the other rules did not run, and the
    # verdict must not speak for the whole review.
    selected: tuple[str, ...] = ()
    # The rules that raised instead of finishing, with the kind of error: their results are
    # unknown, so the review is not whole (SARIF's run is not successful, JUnit's case is
    # in error).
    failed: dict[str, str] = field(default_factory=dict)
    # The rules by id, made when first asked for (a report of thousands of findings asks
    # once per finding): the list it was made from, its length then, and the index.
    _index: tuple[list[Rule], int, dict[str, Rule]] | None = field(
        default=None, init=False, repr=False, compare=False)
    # How many findings of each severity, and of each rule, counted when first asked for
    # (every format asks for the errors, warnings, infos and values to agree, and the
    # command for its exit status: a pass over 49,000 findings each): the list counted,
    # its length then, and the counts.
    _tally: tuple[list[Finding], int, Counter[Severity]] | None = field(
        default=None, init=False, repr=False, compare=False)
    _rule_tally: tuple[list[Finding], int, Counter[str]] | None = field(
        default=None, init=False, repr=False, compare=False)

    def count(self, severity: Severity) -> int:
        findings = self.findings
        tally = self._tally
        if tally is None or tally[0] is not findings or tally[1] != len(findings):
            tally = self._tally = (findings, len(findings),
                                   Counter(map(_SEVERITY_OF, findings)))
        return tally[2][severity]

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
        return Counter(self._by_rule())

    def _by_rule(self) -> Counter[str]:
        """How many findings each rule has (counted once while the findings stay the
        same: ``count``)."""
        findings = self.findings
        tally = self._rule_tally
        if tally is None or tally[0] is not findings or tally[1] != len(findings):
            tally = self._rule_tally = (findings, len(findings),
                                        Counter(map(_RULE_OF, findings)))
        return tally[2]

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
        return self._by_rule()[AGREED_RULE]

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
        if self.selected:
            return (f"No errors from {counted(len(self.rules), 'rule')} chosen with --select "
                    f"({', '.join(self.selected)}); the others did not run, so this is not "
                    "the whole review.")
        return "No errors: co-production is built into every stage."


AGREED_RULE = "CP-AGR-001"
_SEVERITY_OF = attrgetter("severity")
_RULE_OF = attrgetter("rule")
QUICK_TEXTS = 500  # stages from which a review gathers their texts by written-out walks


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


def unknown_ids(registry: Iterable[Rule], patterns: Iterable[str]) -> list[str]:
    """The ids or groups in ``patterns`` (``--select``, ``--ignore``) that match no rule of
    ``registry``: a typo there would choose nothing and let a review pass unseen."""
    rules = [r.id for r in registry]
    return [p.strip() for p in patterns
            if p.strip() and not any(_matches(rule_id, [p]) for rule_id in rules)]


def _matches(rule_id: str, patterns: Iterable[str]) -> bool:
    """``CP-PAY``, ``PAY`` and ``CP-PAY-001`` all match ``CP-PAY-001``."""
    for pattern in patterns:
        p = pattern.strip().upper()
        if not p:
            continue
        if rule_id == p or rule_id.startswith(p + "-") or f"-{p}-" in f"{rule_id}-":
            return True
    return False


_DATES = ("duration_days", "after")  # what an edit may change for ``Rule.undated`` rules
_NOT_DATES = tuple(f.name for f in fields(Stage) if f.name not in _DATES)


def _alike(before: object, after: object) -> bool:
    """Whether two values are equal, lines included (a ``Located`` item's ``key_lines``
    are left out of its equality)."""
    if before is after:
        return True
    if type(before) is not type(after):
        return False
    if isinstance(before, tuple):
        assert isinstance(after, tuple)
        return len(before) == len(after) and all(map(_alike, before, after))
    if isinstance(before, Located):
        assert isinstance(after, Located)
        return before.key_lines == after.key_lines and all(
            _alike(getattr(before, f.name), getattr(after, f.name)) for f in fields(before))
    return before == after


def dates_apart(before: Stage, after: Stage) -> bool:
    """Whether ``after`` is ``before`` with at most its length and links changed, every
    other value and every line as they were."""
    return before.key_lines == after.key_lines and all(
        _alike(getattr(before, name), getattr(after, name)) for name in _NOT_DATES)


class Kept:
    """What the rules that look at each stage on its own (``Rule.per_stage``) found in
    each stage, kept from one review to the next (the app reviews after every edit).

    Such a rule looks again only at the stages that are not the very objects the last
    review looked at (the loader keeps the stages an edit did not touch), and at every
    stage when anything else it may read has changed: any part of the plan but its
    stages (people, settings, the file's name), or the day the review is made on.  Only
    stages with findings are kept, so keeping costs little on the first review.

    And what the rules that look across stages but read no dates (``Rule.undated``)
    found, kept whole over an edit that changed only stages' lengths and links (every
    other value and every line as they were, the rest of the plan and the day too): such
    a rule would find the very same.
    """

    def __init__(self) -> None:
        self.around: tuple[object, ...] | None = None
        self.stages: dict[str, Stage] = {}  # the last review's stages, by id
        self.changed: set[str] = set()  # stages (by id) the review under way looks at again
        # By rule id: the rule and, for each stage with findings, its findings.
        self.found: dict[str, tuple[Rule, dict[str, list[Finding]]]] = {}
        self.ran: set[str] = set()  # the rules the last review ran this way
        self.order: tuple[str, ...] = ()  # the stages' ids in the plan's order
        self._place: dict[str, int] | None = None  # where each is in it, when first needed
        # The stages of the last review are in the same order in this one (which may
        # have one stage more, anywhere): what they found is in the plan's order.
        self.same_order = False
        # The undated rules' findings, by rule id (with the rule), kept while every edit
        # since changed only lengths and links (``dates_only``); and those the last
        # review ran.
        self.whole: dict[str, tuple[Rule, list[Finding]]] = {}
        self.whole_ran: set[str] = set()
        self.dates_only = False

    def start(self, plan: Plan, today: date | None) -> None:
        around = (today, *(getattr(plan, f.name) for f in fields(Plan)
                           if f.name != "stages" and not f.name.startswith("_")))
        stages = {s.id: s for s in plan.stages}
        if around != self.around or len(stages) != len(plan.stages):
            self.found = {}
        else:  # only what the last review found is up to date with self.stages
            self.found = {r: kept for r, kept in self.found.items() if r in self.ran}
        same = around == self.around and len(stages) == len(plan.stages)
        self.around = around
        last = self.stages
        self.changed = {sid for sid, stage in stages.items() if last.get(sid) is not stage}
        # Placeholder marks are found by line (a plan that has them is read afresh each
        # time): such plans are reviewed in full.
        self.dates_only = (same and not plan.marked and tuple(stages) == self.order
                           and all(dates_apart(last[sid], stages[sid])
                                   for sid in self.changed))
        self.whole = ({r: kept for r, kept in self.whole.items() if r in self.whole_ran}
                      if self.dates_only else {})
        self.whole_ran = set()
        self.stages = stages
        self.ran = set()
        order = tuple(stages)
        old = self.order
        if len(order) == len(old) + 1:  # a stage added: the others as they were?
            at = next((i for i, (a, b) in enumerate(zip(old, order, strict=False)) if a != b),
                      len(old))
            self.same_order = order[:at] == old[:at] and order[at + 1:] == old[at:]
        else:
            self.same_order = order == old
        self.order = order
        self._place = None

    def run(self, rule: Rule, ctx: Context, severity: Severity, name: str) -> list[Finding]:
        """The rule's findings, stage by stage, as ``rule.check`` would give them."""
        one = rule.per_stage
        assert one is not None
        last = self.found.get(rule.id)
        fresh = last is None or last[0] is not rule
        before = {} if last is None else last[1]
        if not fresh and self.same_order:
            return self._again(rule, ctx, severity, name, before)
        now: dict[str, list[Finding]] = {}
        out: list[Finding] = []
        if fresh:  # every stage
            looked = [(stage.id, stage, True) for stage in ctx.plan.stages]
        else:  # the stages with findings last time that are still there, and the changed
            changed, stages = self.changed, self.stages
            if self._place is None:
                self._place = {sid: i for i, sid in enumerate(self.order)}
            sids = sorted({sid for sid in before if sid in stages} | changed,
                          key=self._place.__getitem__)
            looked = [(sid, stages[sid], sid in changed) for sid in sids]
        for sid, stage, again in looked:
            if again:
                got = [Finding(rule.id, severity, message, subject, rule.fix, name)
                       for subject, message in one(ctx, stage)]
            else:
                got = before[sid]
            if got:
                now[sid] = got
                out.extend(got)
        self.found[rule.id] = (rule, now)
        self.ran.add(rule.id)
        return out

    def kept_whole(self, rule: Rule) -> list[Finding] | None:
        """The findings of an undated rule (``Rule.undated``) as the last review made
        them, when this review would find the same; None when it must run."""
        kept = self.whole.get(rule.id)
        if kept is None or kept[0] is not rule:
            return None
        self.whole_ran.add(rule.id)
        return kept[1]

    def keep_whole(self, rule: Rule, found: list[Finding]) -> None:
        """What an undated rule found in this review, for the next."""
        self.whole[rule.id] = (rule, found)
        self.whole_ran.add(rule.id)

    def _again(self, rule: Rule, ctx: Context, severity: Severity, name: str,
               before: dict[str, list[Finding]]) -> list[Finding]:
        """``run`` when the plan has the stages of the last review in the same order
        (``same_order``): what was found in each stage is in the plan's order already
        (``now`` is filled in that order), so only the changed stages are looked at again,
        in place, a stage with findings that had none going in where it belongs; the
        findings are those lists one after another."""
        one = rule.per_stage
        assert one is not None
        now = dict(before)
        placed: list[tuple[str, list[Finding]]] = []  # stages with findings, new among them
        for sid in self.changed:
            got = [Finding(rule.id, severity, message, subject, rule.fix, name)
                   for subject, message in one(ctx, self.stages[sid])]
            if not got:
                now.pop(sid, None)
            elif sid in now:
                now[sid] = got
            else:
                placed.append((sid, got))
        if placed:
            if self._place is None:
                self._place = {sid: i for i, sid in enumerate(self.order)}
            place = self._place
            items = list(now.items())
            spots = [place[sid] for sid, _ in items]
            for sid, got in sorted(placed, key=lambda item: place[item[0]]):
                i = bisect.bisect(spots, place[sid])
                spots.insert(i, place[sid])
                items.insert(i, (sid, got))
            now = dict(items)
        self.found[rule.id] = (rule, now)
        self.ran.add(rule.id)
        return list(chain.from_iterable(now.values()))


def review(plan: Plan, schedule: Schedule | None = None, *, registry: Registry,
           select: Iterable[str] = (), ignore: Iterable[str] = (),
           today: date | None = None, kept: Kept | None = None) -> Report:
    """Run every rule of ``registry`` (or the selected ones) and collect the findings.

    The caller says which rules: ``coplan.plugins.all_rules()`` for coplan's and every
    plugin's (what ``coplan check`` and the app run), ``builtin_rules()`` for coplan's own.
    ``today`` is the day the review is made on: the rules on what actually happened (late
    feedback, late payment) need it, and say nothing without it.  ``kept``: what the last
    review of the same session found stage by stage (see ``Kept``); the findings are the
    same either way.
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
    failed: dict[str, str] = {}
    name = plan.file_name
    known = {r.id for r in registry}
    for rule_id in plan.review.skip:
        if rule_id not in known:
            findings.append(Finding(
                rule_id, Severity.WARNING,
                f"[review.skip] switches off '{rule_id}', which is not a rule coplan knows, "
                "so nothing was switched off here", Subject("project", "review", "",
                                                            plan.review.line_of_skip(rule_id)),
                "check the rule id for a typo against 'coplan check --format json' or "
                "docs/review.md; a rule of a plugin counts only where that plugin is "
                "installed ('coplan plugins' lists them)",
                name))
    if kept is not None:
        kept.start(plan, today)
    # What several rules read, worked out once for this review (the texts of a plan of
    # many stages gathered by walks written out for it: see ``Shared.quick``).
    shared = Shared(quick=len(plan.stages) >= QUICK_TEXTS)
    for current in rules:
        ctx = Context(plan=plan, schedule=schedule, rule=current, today=today, shared=shared)
        severity = current.severity_for(plan)
        if kept is not None and current.per_stage is not None:
            try:
                findings.extend(kept.run(current, ctx, severity, name))
                continue
            except Exception:  # the plain way below says it could not run
                kept.found.pop(current.id, None)
        whole = kept is not None and current.undated and current.per_stage is None
        if whole:
            assert kept is not None
            got = kept.kept_whole(current)
            if got is not None:
                findings.extend(got)
                continue
        own: list[Finding] = []
        add, rule_id, fix = own.append, current.id, None
        try:
            for subject, message in current.check(ctx):
                if fix is None:  # (read when first needed: see ``engine._Unworded``)
                    fix = current.fix
                add(Finding(rule_id, severity, message, subject, fix, name))
        except Exception as exc:  # a rule with a bug must not stop the review
            # ... nor pass it: what it would have found is unknown, so the finding has the
            # rule's own weight (an error rule's could have been an error), and the formats
            # for tools say the review was not whole (``Report.failed``).
            findings.extend(own)
            # (only the kind of error: what it says may quote the plan, and the formats
            # that say it go to others; the finding's message is shared as findings are)
            failed[current.id] = type(exc).__name__
            findings.append(Finding(
                current.id, max(severity, Severity.WARNING),
                f"this rule could not run ({type(exc).__name__}: {exc}); its result is "
                "unknown", Subject("project", line=plan.project.line),
                "report this to whoever wrote the rule", name))
        else:
            findings.extend(own)
            if whole:
                assert kept is not None
                kept.keep_whole(current, own)
    accepted: list[Finding] = []
    if plan.review.accepted:
        findings, accepted = accept(findings, plan, {r.id for r in rules}, known)
    order = lambda f: (f.line or 10**9, -f.severity, f.rule)  # noqa: E731
    findings.sort(key=order)
    accepted.sort(key=order)
    return Report(plan=plan, schedule=schedule, findings=findings, rules=rules, skipped=skipped,
                  accepted=accepted, selected=tuple(p.strip().upper() for p in select),
                  failed=failed)


def accept(findings: list[Finding], plan: Plan, ran: Collection[str],
           known: Collection[str]) -> tuple[list[Finding], list[Finding]]:
    """``findings`` apart: those no acceptance of the plan (``[[review.accept]]``) names,
    with a warning for each acceptance that names no finding, and those it names, each
    with its reason (the first acceptance's, where two name it).

    An acceptance names the finding of its rule about what it names (``Subject.key``),
    and, where the rule makes one for each person about that one thing (a payment owed to
    each person who came), the person (``Acceptance.one_person``).  One that leaves out
    what tells several findings apart (the person, or the entry of a record where the
    rule's findings about it are each about one entry, as an acceptance written before
    they were) still accepts them all, as it did, and the report says so plainly, with
    how to name one.  One of a rule that did not run (switched off, or left out on the
    command line) is left as it is: it may match when the rule runs again."""
    wanted: dict[tuple[str, tuple[str, str, int]], list[Acceptance]] = {}
    for acceptance in plan.review.accepted:
        wanted.setdefault((acceptance.rule.strip().upper(), acceptance.about),
                          []).append(acceptance)
    rules = {rule for rule, _ in wanted}
    # (an acceptance without an entry, for a thing whose findings are each about one
    # entry: it names them all; none of the rule's findings is about the thing itself)
    whole = {(f.rule, f.subject.kind, f.subject.id) for f in findings
             if f.rule in rules and not f.subject.entry}
    kept: list[Finding] = []
    accepted: list[Finding] = []
    matched: dict[int, list[Finding]] = {}
    for f in findings:
        match = _matching(wanted, f, whole) if f.rule in rules else None
        if match is None:
            kept.append(f)
        else:
            matched.setdefault(id(match), []).append(f)
            accepted.append(replace(f, accepted=match.reason))
    name = plan.file_name
    for at, acceptance in enumerate(plan.review.accepted):
        rule_id = acceptance.rule.strip().upper()
        where = Subject("project", "review", "", acceptance.line
                        or plan.review.line_of("accepted"), at + 1)
        # (about the entry of [[review.accept]], counting from 1: the app, which reads
        # the plan without lines, opens it by that)
        what = _described(acceptance)
        names = matched.get(id(acceptance), [])
        if len(names) > 1:
            kept.append(Finding(rule_id, Severity.INFO, _names_several(acceptance, names, what),
                                where, _narrowed(names), name))
        if names or (rule_id in known and rule_id not in ran):
            continue
        if rule_id not in known:
            message = (f"[[review.accept]] accepts a finding of '{rule_id}' about {what}, "
                       "but that is not a rule coplan knows, so nothing was accepted here")
            fix = ("check the rule id for a typo against 'coplan check --format json' or "
                   "docs/review.md; a rule of a plugin counts only where that plugin is "
                   "installed ('coplan plugins' lists them)")
        elif any(other.rule.strip().upper() == rule_id and other.about == acceptance.about
                 and other.one_person == acceptance.one_person
                 for other in plan.review.accepted[:at]):
            message = (f"[[review.accept]] accepts {rule_id}'s finding about {what} a second "
                       "time; the first entry's reason is the one reports show")
            fix = "take out one of the two entries"
        else:
            message = (f"[[review.accept]] accepts {rule_id}'s finding about {what}, but "
                       f"{rule_id} finds nothing about it now (it was put right, or what "
                       "the entry names has changed), so the entry accepts nothing")
            fix = ("take the entry out; if the finding is still there under another name, "
                   "accept it again from the Review tab (A) or name it as 'coplan check "
                   "--format json' gives its subject")
        kept.append(Finding(rule_id, Severity.WARNING, message, where, fix, name))
    return kept, accepted


def _matching(wanted: Mapping[tuple[str, tuple[str, str, int]], list[Acceptance]],
              f: Finding, whole: Collection[tuple[str, str, str]]) -> Acceptance | None:
    """The first acceptance that names ``f``: about its subject and entry, and its person
    where the acceptance names one; else, for a finding about one entry of a thing none
    of whose findings is about the thing itself, one about the thing without an entry."""
    subject = f.subject
    for acceptance in wanted.get((f.rule, subject.key), ()):
        if acceptance.one_person in ("", subject.person):
            return acceptance
    if subject.entry and (f.rule, subject.kind, subject.id) not in whole:
        for acceptance in wanted.get((f.rule, (subject.kind, subject.id, 0)), ()):
            if acceptance.one_person in ("", subject.person):
                return acceptance
    return None


def _names_several(acceptance: Acceptance, names: Sequence[Finding], what: str) -> str:
    """Said of an acceptance that names several findings: how many, and that each is
    accepted with its reason."""
    return (f"[[review.accept]] accepts {len(names)} of {names[0].rule}'s findings about "
            f"{what} with one reason: {_apart(names)}, and each is accepted")


def _apart(names: Sequence[Finding]) -> str:
    people = {f.subject.person for f in names if f.subject.person}
    entries = {f.subject.entry for f in names}
    if len(entries) > 1:
        return "one for each entry"
    return "one for each person" if len(people) > 1 else "findings about one thing"


def _narrowed(names: Sequence[Finding]) -> str:
    """How to accept one of several findings an acceptance names."""
    if len({f.subject.entry for f in names}) > 1:
        return ("to accept one of them, write its 'Which entry' in the acceptance (as "
                "'coplan check --format json' gives its subject's entry), or accept it from "
                "the Review tab (A); to keep accepting them all, nothing needs doing")
    return ("to accept one of them, write the person it is about in the acceptance's "
            "'Person' (as 'coplan check --format json' gives its subject's person), or "
            "accept it from the Review tab (A); to keep accepting them all, nothing needs "
            "doing")


_ABOUT_KEY = {"touchpoint": "touchpoint", "stage": "stage", "person": "person",
              "meeting": "meeting", "project": "part"}


def acceptance_keys(finding: Finding) -> dict[str, str | int]:
    """The keys of a ``[[review.accept]]`` entry that accepts ``finding`` (its reason
    left to the person): the rule, what it is about, and the entry where it is one."""
    kind, id_, entry = finding.subject.key
    keys: dict[str, str | int] = {"rule": finding.rule}
    if id_ and kind in _ABOUT_KEY:
        keys[_ABOUT_KEY[kind]] = id_
    if entry:
        keys["entry"] = entry
    if finding.subject.person and kind != "person":
        keys["person"] = finding.subject.person  # (one of a finding for each person)
    return keys


def acceptance_of(plan: Plan, finding: Finding) -> int | None:
    """Which entry of ``[[review.accept]]`` (from 0) accepts ``finding``, if one does."""
    wanted: dict[tuple[str, tuple[str, str, int]], list[Acceptance]] = {}
    for a in plan.review.accepted:
        wanted.setdefault((a.rule.strip().upper(), a.about), []).append(a)
    whole = set() if finding.subject.entry else {
        (finding.rule, finding.subject.kind, finding.subject.id)}
    match = _matching(wanted, finding, whole)
    return next((i for i, a in enumerate(plan.review.accepted) if a is match), None)


def _described(acceptance: Acceptance) -> str:
    """What an acceptance names, in words: "touchpoint 'x', session record 2"."""
    kind, id_, entry = acceptance.about
    what = (f"{kind} '{id_}'" if kind != "project" else
            f"the project's {id_}" if id_ else "the project")
    if entry:
        what += f", {'session record' if kind == 'touchpoint' else 'entry'} {entry}"
    if acceptance.one_person:
        what += f", person '{acceptance.one_person}'"
    return what
