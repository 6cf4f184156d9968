"""The review engine: small self-describing rules, a registry, and a runner.

A rule is one function that looks at the plan (and its schedule) and yields findings.
Each rule carries what a reviewer needs to trust it: an id such as ``CP-STG-001``, a
severity, a title, why it matters in plain language, how to fix it, and the published
frameworks it comes from.

There is no global list of rules: a rule goes into the ``Registry`` it is given, and
``review()`` runs the registry its caller passes.  coplan's own rule modules each keep a
registry of their own (``RULES``), gathered by ``coplan.review.rules.register``; the
application collects every plugin's rules through the ``coplan_register_rules`` hook
(``coplan.plugins.all_rules``), so built-in rules register exactly as a plugin's rules do.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from coplan.model import Plan, Stage
from coplan.records import dataclass
from coplan.schema import field_text, joined_texts_apart, joined_texts_apart_quick

if TYPE_CHECKING:
    from coplan.schedule import Schedule


class Severity(enum.IntEnum):
    """How much a finding matters.  Errors mean co-production is not yet built in."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Subject:
    """What a finding is about: the project, a stage, a touchpoint, a person, a meeting."""

    kind: str
    id: str = ""
    stage: str = ""
    line: int = 0
    # Where the finding is about one entry of a list of tables (a touchpoint's session
    # record; an entry of the ledger ``paid``, ``id``), which one, counting from 1 (0: no
    # one entry): the app reads the plan without lines, and still finds the entry by it.
    entry: int = 0
    # Where a rule makes one finding for each person about the one subject and entry (a
    # payment owed to each person who came to a session), the person's id: what tells
    # those findings apart, and what an acceptance names to accept one of them.
    person: str = ""

    @property
    def key(self) -> tuple[str, str, int]:
        """What the subject is, as an acceptance names it (``model.Acceptance.about``):
        its kind, its id (a touchpoint's is the plan's own; a project's, the part) and
        the entry."""
        return (self.kind, self.id, self.entry)

    def describe(self) -> str:
        if self.kind == "project":
            return "the project"
        if self.kind == "touchpoint":
            return f"touchpoint '{self.id}' of stage '{self.stage}'"
        return f"{self.kind} '{self.id}'"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule found: the rule, how serious, about what, and the fix."""

    rule: str
    severity: Severity
    message: str
    subject: Subject
    fix: str = ""
    file: str = ""
    # Why the team accepted it (``[[review.accept]]``), where it did: an accepted finding
    # is in the report's ``accepted``, not its ``findings``, and counts as nothing.
    accepted: str = ""

    @property
    def line(self) -> int:
        return self.subject.line


_T = TypeVar("_T")


class Shared:
    """What several rules read of one plan, worked out once in a review when a rule first
    asks for it, and dropped with the review (``runner.review`` hands the same one to
    every rule; a context made on its own has one of its own)."""

    __slots__ = ("_days", "_made", "_texts", "quick")

    def __init__(self, *, quick: bool = False) -> None:
        self._texts: dict[int, tuple[object, tuple[str, str]]] = {}
        self._made: dict[str, Any] = {}
        self._days: dict[date, str] = {}
        # The texts are gathered by the walks written out for each class (a large plan:
        # ``schema.joined_texts_apart_quick``), the same texts.
        self.quick = quick

    def once(self, name: str, make: Callable[[], _T]) -> _T:
        """``make()``, worked out when a rule first asks for ``name`` in this review (of
        one plan and its schedule), and given to each rule that asks after."""
        made = self._made
        if name not in made:
            made[name] = make()
        return made[name]  # type: ignore[no-any-return]

    def day(self, day: date) -> str:
        """``f"{day:%d %b %Y}"``, a day as findings write it ("05 Dec 2026"), written once
        in a review for each day: the 49,000 findings of a large plan's delivery record
        name a dozen days, and ``strftime`` costs more than the rest of such a finding."""
        words = self._days.get(day)
        if words is None:
            words = self._days[day] = f"{day:%d %b %Y}"
        return words

    def texts(self, item: object) -> tuple[str, str]:
        """``schema.joined_texts_apart(item)``: the texts of an entry of the plan (a
        stage with its touchpoints, a person), for the privacy rules (the first) and what
        is not yet agreed (both)."""
        kept = self._texts.get(id(item))
        if kept is None or kept[0] is not item:
            kept = self._texts[id(item)] = (
                item, (joined_texts_apart_quick if self.quick else joined_texts_apart)(item))
        return kept[1]


@dataclass(slots=True)
class Context:
    """What a rule sees, with helpers to make findings about items."""

    plan: Plan
    schedule: Schedule | None
    rule: Rule | None = None
    found: list[Finding] = field(default_factory=list)
    today: date | None = None  # the day the review is made on (rules on what happened)
    shared: Shared = field(default_factory=Shared, repr=False, compare=False)

    @property
    def claims(self) -> bool:
        return self.plan.project.claims_coproduction

    def project(self, line: int = 0) -> Subject:
        return Subject("project", "", "", line or self.plan.project.line)


Check = Callable[[Context], Iterable[tuple[Subject, str]]]
StageCheck = Callable[[Context, Stage], Iterable[tuple[Subject, str]]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A review rule: its id, title, severity, why it matters and how to fix it."""

    id: str
    title: str
    severity: Severity
    why: str
    fix: str
    sources: tuple[str, ...]
    group: str
    check: Check = field(repr=False, compare=False)
    strict: Severity | None = None  # severity when the plan claims to be co-produced
    # Severity when the protocol is marked agreed: what a draft may still leave open, a
    # protocol the team calls agreed should not (CP-META-007's gaps).
    agreed: Severity | None = None
    origin: str = "coplan"
    # Its findings weigh a person's own needs or circumstances (what a venue must offer
    # them, when they can come): reports for others give only the rule's title.
    personal: bool = False
    # The keys (or tables) of the file that put a finding right, the first the usual one,
    # as the fix names them ({governance.lead} in the fix as written): the app opens the
    # form that holds the first with the focus on it.
    fields: tuple[str, ...] = ()
    # A value for the first field that puts it right by itself, as a form takes it ("rss",
    # "6w", a word to tick, "true"); "" where only people can say what it should be.
    suggest: str = ""
    # For a rule that looks at each stage on its own (its touchpoints, and nothing of any
    # other stage, nor the schedule): the check of one stage.  ``check`` is then every
    # stage's in turn, and a review kept between edits (``runner.Kept``) runs it again
    # only for the stages that changed.
    per_stage: StageCheck | None = field(default=None, repr=False, compare=False)
    # For a rule that looks across stages: it reads neither the schedule nor any stage's
    # length or links (``duration``, ``after``), so a review kept between edits
    # (``runner.Kept``) keeps its findings over an edit that changes only those.
    undated: bool = False
    # Keys among ``fields`` that the fix does not name: a rule whose findings are each
    # about one of many keys names the key in each finding's message instead.
    leads: tuple[str, ...] = ()

    def severity_for(self, plan: Plan) -> Severity:
        severity = self.severity
        if self.agreed is not None and protocol_agreed(plan):
            severity = max(self.agreed, severity)
        if plan.project.claims_coproduction and self.strict is not None:
            return max(self.strict, severity)
        return severity


def protocol_agreed(plan: Plan) -> bool:
    """Whether the plan's protocol says it is agreed (its ``status``, as people write it)."""
    return plan.protocol.status.strip().lower() == "agreed"


GROUPS: dict[str, str] = {
    "AGR": "Agreed, not placeholders",
    "ID": "Ids people and tools can tell apart",
    "STG": "Every stage has co-production built in",
    "LAD": "Depth: the ladder of co-production",
    "ROL": "Roles people hold",
    "INC": "Inclusion: the right people, enough of them, many ways in",
    "ACC": "Accessibility",
    "WT": "Working together",
    "SUP": "Support and learning",
    "WEL": "Wellbeing and aftercare",
    "PAY": "Payment, expenses and recognition",
    "COM": "Closing the loop: feedback and communication",
    "LUN": "Being heard: voice, audience and influence",
    "GOV": "Governance",
    "IMP": "Impact and evaluation",
    "SLO": "Slowing down and reflection",
    "FIX": "Fixed formulas",
    "REP": "Reporting and ethics",
    "ETH": "Ethics review",
    "EDU": "Education",
    "META": "A co-produced protocol",
    "DEL": "What actually happened: the delivery record",
    "PRI": "Privacy in the team's own words",
}


class Registry:
    """Rules, by id.  Plugins add theirs through the same ``add``."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        self._order: list[Rule] | None = None  # in the order reports list them

    def add(self, rule: Rule) -> Rule:
        if rule.id in self._rules and self._rules[rule.id].check is not rule.check:
            raise ValueError(f"two rules share the id {rule.id}")
        self._rules[rule.id] = rule
        self._order = None
        return rule

    def update(self, rules: Iterable[Rule]) -> None:
        """Add every rule of ``rules`` (another registry, or any iterable of rules).

        Another registry's rules are taken as it holds them, not in the order reports list
        them: that order is this registry's to work out, and sorting each of the 18 theme
        registries as ``check`` gathers them was about 1 million instructions."""
        for each in rules._rules.values() if isinstance(rules, Registry) else rules:
            self.add(each)

    def rule(self, id: str, title: str, severity: Severity, *, why: str, fix: str,
             sources: tuple[str, ...] = (),
             strict: Severity | None = None,
             personal: bool = False, suggest: str = "",
             undated: bool = False,
             agreed: Severity | None = None,
             leads: tuple[str, ...] = ()) -> Callable[[Check], Check]:
        """Decorate a check function to add it to this registry as a rule (``undated``:
        see ``Rule.undated``; ``agreed``: ``Rule.agreed``; ``leads``: keys the rule's
        ``fields`` hold besides those its fix names, for a rule whose findings are each
        about one of many keys, which its fix cannot list in a sentence)."""
        return rule(id, title, severity, why=why, fix=fix, sources=sources, strict=strict,
                    registry=self, personal=personal, suggest=suggest, undated=undated,
                    agreed=agreed, leads=leads)

    def stage_rule(self, id: str, title: str, severity: Severity, *, why: str, fix: str,
                   sources: tuple[str, ...] = (), strict: Severity | None = None,
                   personal: bool = False, suggest: str = ""
                   ) -> Callable[[StageCheck], Check]:
        """Decorate the check of one stage to add it to this registry as a rule that
        looks at each stage on its own: it may read the stage, its touchpoints and
        anything of the plan but the other stages (the people, the settings), never the
        schedule.  The name decorated stands for the whole plan's check."""

        def wrap(one: StageCheck) -> Check:
            def check(ctx: Context) -> Iterable[tuple[Subject, str]]:
                for stage in ctx.plan.stages:
                    yield from one(ctx, stage)

            check.__name__ = check.__qualname__ = one.__name__
            check.__doc__ = one.__doc__
            # (whose the rule is: for one of coplan's own, ``_made`` puts the fix in words
            # when it is first read, not as the rule is made)
            check.__module__ = one.__module__
            self.add(_made(id, title, severity, check, why=why, fix=fix, sources=sources,
                           strict=strict, personal=personal, suggest=suggest,
                           per_stage=one))
            return check

        return wrap

    def __iter__(self) -> Iterator[Rule]:
        if self._order is None:  # sorted once, not at every review (the app reviews often)
            places = {group: at for at, group in enumerate(GROUPS)}
            self._order = sorted(self._rules.values(),
                                 key=lambda rule: _rule_order(rule, places))
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def get(self, rule_id: str) -> Rule | None:
        return self._rules.get(rule_id)


def _rule_order(rule: Rule, places: dict[str, int]) -> tuple[int, str]:
    """Where ``rule`` goes in reports: by its group's place in ``GROUPS`` (``places``,
    each group's, worked out once for a sort), then by id."""
    group = rule.id.split("-")[1] if rule.id.count("-") >= 2 else ""
    return (places.get(group, len(places)), rule.id)


def make_rule(id: str, title: str, severity: Severity, check: Check, *, why: str, fix: str,
              sources: tuple[str, ...] = (), strict: Severity | None = None,
              origin: str = "coplan", personal: bool = False, suggest: str = "") -> Rule:
    """A rule from its parts; ``group`` comes from the id (``CP-STG-001`` is in STG).

    ``fix`` names the keys of the file that put a finding right as references, such as
    ``{governance.lead}``: they are written in plain words, as the app's forms label them
    ("'Involvement lead' (Governance)"), and become the rule's ``fields``."""
    return _made(id, title, severity, check, why=why, fix=fix, sources=sources,
                 strict=strict, origin=origin, personal=personal, suggest=suggest)


def _made(id: str, title: str, severity: Severity, check: Check, *, why: str, fix: str,
          sources: tuple[str, ...], strict: Severity | None, personal: bool, suggest: str,
          origin: str = "coplan", per_stage: StageCheck | None = None,
          undated: bool = False, agreed: Severity | None = None,
          leads: tuple[str, ...] = ()) -> Rule:
    """``make_rule``, with the fields the decorators set besides (made once, rather than
    made and then copied with ``replace``: a hundred rules are made as ``check`` starts).

    The fix of one of coplan's own rules is put in words when it is first read
    (``_Unworded``): a review of a small plan reads the fixes of the few rules that find
    something.  A plugin's is put in words at once, so that a reference to no key fails
    where the rule is made."""
    group = id.split("-")[1] if id.count("-") >= 2 else "other"
    words: str | _Unworded
    fields: tuple[str, ...] | _Unworded
    if ("{" in fix or leads) and getattr(check, "__module__", "").startswith(_OWN):
        words = fields = _Unworded(fix, leads)
    else:
        words, fields = _worded(fix, leads)
    return Rule(id=id, title=title, severity=severity, why=why, fix=words,  # type: ignore[arg-type]
                sources=sources, group=group, check=check, strict=strict, origin=origin,
                personal=personal, fields=fields, suggest=suggest,  # type: ignore[arg-type]
                per_stage=per_stage, undated=undated, agreed=agreed, leads=leads)


_OWN = "coplan.review.rules."  # (the modules of coplan's own rules, tested to name keys)


class _Unworded:
    """A rule's fix as written, its ``{references}`` not yet put in words: what ``Rule``
    holds in both ``fix`` and ``fields`` until either is first read (``_Worded``)."""

    __slots__ = ("leads", "text")

    def __init__(self, text: str, leads: tuple[str, ...] = ()) -> None:
        self.text, self.leads = text, leads


def _worded(fix: str, leads: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """A fix in words and its fields: the keys it names, then ``leads`` (each checked, as
    the fix's own references are, to name a key or table of the plan file)."""
    words, fields = field_text(Plan, fix)
    if leads:
        _, more = field_text(Plan, " ".join(f"{{{k}}}" for k in leads))
        fields = (*fields, *(k for k in more if k not in fields))
    return words, fields


class _Worded:
    """``Rule.fix`` and ``Rule.fields``: the value in the field's slot, where the fix is
    put in words (``field_text``) and both slots set when either is first read; to
    everything outside, the fields of the dataclass as they always were."""

    __slots__ = ("fields", "fix", "own", "slot")

    def __init__(self, slot: Any, fix: Any, fields: Any) -> None:
        self.slot, self.fix, self.fields = slot, fix, fields
        self.own = slot is fix

    def __get__(self, rule: Rule | None, owner: type | None = None) -> Any:
        if rule is None:
            return self.slot
        value = self.slot.__get__(rule, owner)
        if value.__class__ is _Unworded:
            words, fields = _worded(value.text, value.leads)
            self.fix.__set__(rule, words)
            self.fields.__set__(rule, fields)
            return words if self.own else fields
        return value

    def __set__(self, rule: Rule, value: Any) -> None:
        self.slot.__set__(rule, value)

    def __delete__(self, rule: Rule) -> None:
        self.slot.__delete__(rule)


def _word_lazily(cls: type) -> None:
    fix, fields = cls.__dict__["fix"], cls.__dict__["fields"]
    type.__setattr__(cls, "fix", _Worded(fix, fix, fields))
    type.__setattr__(cls, "fields", _Worded(fields, fix, fields))


_word_lazily(Rule)


def rule(id: str, title: str, severity: Severity, *, why: str, fix: str, registry: Registry,
         sources: tuple[str, ...] = (),
         strict: Severity | None = None, personal: bool = False,
         suggest: str = "", undated: bool = False,
         agreed: Severity | None = None,
         leads: tuple[str, ...] = ()) -> Callable[[Check], Check]:
    """Decorate a check function to add it to ``registry`` as a rule (a plugin's
    ``coplan_register_rules(registry)`` passes the registry it is given)."""

    def wrap(check: Check) -> Check:
        registry.add(_made(id, title, severity, check, why=why, fix=fix, sources=sources,
                           strict=strict, personal=personal, suggest=suggest,
                           undated=undated, agreed=agreed, leads=leads))
        return check

    return wrap
