"""The copy of a plan that others read: made once, before any exporter or report sees it.

Every export goes through ``exporting.run_export``, and every report of the review and of
the schedule through the command line; each is made from ``for_audience(plan, schedule,
audience)``, not from the plan itself.  So privacy does not depend on each exporter's care
(a plugin's included): what is not in the copy cannot be written.

In the copy, for every audience (the team's own exports included, since files travel):

* every text the team wrote, at any depth of the plan (found through the schema, so a key
  added later is covered), has hidden names, email addresses and phone numbers taken out
  (``privacy.Redaction``), and every id that carries a hidden name is changed the same way
  wherever it appears;
* nobody's private details (``PRIVATE_DETAILS``, the keys the schema declares private:
  access needs, how early they want papers, email address, other names, organisation,
  when they can take part) are in the copy;
* a person who did not agree to share their name is named by their label ("S.O. (peer
  researcher)"); their own description of their role (``role``) is replaced by how others'
  copies describe them, and what they agreed to give in time by a phrase that says it was
  agreed;
* every session shows the same arrangements (``Arrangements``): the measures that serve
  everyone and are in place at every session of the plan (a standard), and, where any
  session has more, one line that says arrangements are made with individual people,
  never which or how many.  What a session shows is so the same whoever takes part in it:
  arrangements ticked for the people who need them (as CP-ACC-002 asks) would otherwise
  say, across a calendar, who needs what ("Step-free access" at the 19 of 20 sessions L.
  attends and at none without L.);
* the team's own words about how the work went follow one rule set, field by field
  (``_kept_words``): closures give no reason, nor do sessions moved or cancelled (it is often
  someone's absence or health: "Dev was unwell"); a session record's notes stay with the
  team; what a reflection noticed and changed goes out only where the team marked it
  ``share = true`` (reflections say how people are), and only if its words name nobody
  who was not part of it (their agreement was not asked: CP-PRI-004).  What people said
  and what changed because of it, and the impact log, are what reports are for, and go out
  redacted as above;
* nobody's payment (how they are paid) or benefits advice (whether and when it was
  offered) is in the copy (``PAY_DETAILS``), and the payments ledger names nobody; the
  review's findings about what one person is owed or was paid say "one person"
  (``ABOUT_SOMEONES_PAY``);
* a document that counts people and names none (an exporter's ``names_nobody``) is made
  from a copy that hides everyone, those who share their name too (``anonymous``).

A person's own view (the audience is their id) is written as if it could be passed on (a
calendar is forwarded): it names nobody who has not agreed, themselves included.  Only a
document for that person alone (an exporter that says ``for_them_alone``, such as a
contributor's pack) keeps their own name, role and needs in their copy, and the
arrangements of the sessions they take part in whole.  Leads see what
everyone else sees: a lead who needs to know someone's needs reads the plan itself.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import fields, replace
from operator import attrgetter
from typing import Any

from coplan import schema, vocab
from coplan.model import Closure, Person, Plan, ReflectionRecord, SessionRecord, Touchpoint
from coplan.privacy import (
    ROLE_KEPT,
    SOMEONE,
    Redaction,
    kept_in_team,
    mentions_needs,
)
from coplan.privacy import redaction as make_redaction
from coplan.schedule import Schedule

SESSION_WIDE = frozenset({
    "step-free-access", "accessible-toilet", "seating-or-rest-space", "hearing-loop",
    "live-captions", "large-print", "screen-reader-friendly", "easy-read", "plain-language",
    "papers-in-advance", "frequent-breaks", "shorter-sessions", "quiet-room",
    "non-digital-alternative", "venue-checked", "materials-tested", "facilitator-briefed",
})
"""Access measures that serve everyone in a session (the venue, the papers, the pace).
Every other measure is made for someone.  Even these are ticked for the people who need
them, so a copy for others lists one only where every session of the plan has it
(``Arrangements``)."""


INDIVIDUAL = "other: arrangements made with individual people, not listed"
"""What every session of a copy for others shows in place of the arrangements made for
particular people, where any session of the plan has one: the same words on every session,
so that they say nothing about who takes part in which."""


class Arrangements:
    """What a copy for others shows of each session's arrangements: the same on every
    session of the plan, so that it does not depend on who takes part.

    Teams tick each person's needs on the sessions that person attends (CP-ACC-002 asks
    them to), so any arrangement shown on some sessions and not others says who needs it
    to anyone who can see who attends which: a measure that serves everyone (a step-free
    venue) as much as one made for someone, and a count or a line shown only on some
    sessions as much as the arrangement itself.  Every session therefore shows the
    ``standard``: the measures that serve everyone (``SESSION_WIDE``) and are in place at
    every session of the plan (a standard says nothing about any one person); and, where
    any session has any other arrangement, ``INDIVIDUAL`` on every session (whether one
    session has such an arrangement or all of them do, and however many).  A person's own
    copy shows the arrangements of their own sessions whole (``_Walker.access``)."""

    def __init__(self, plan: Plan) -> None:
        standard: set[str] | None = None
        seen: dict[tuple[str, ...], None] = {}  # (touchpoints are written alike)
        for stage in plan.stages:
            for tp in stage.touchpoints:
                access = tp.access
                if access in seen:
                    continue
                seen[access] = None
                here = {a for a in access if a in SESSION_WIDE}
                standard = here if standard is None else standard & here
        self.standard = standard or set()
        more = any(a not in self.standard for access in seen for a in access)
        self.shown: tuple[str, ...] = (
            *(a for a in vocab.ACCESS.ids() if a in self.standard),
            *((INDIVIDUAL,) if more else ()))


KEPT_PRIVATE = "agreed with them, and kept between them and the team"
"""What others read for the time a person who keeps their name private gives: what they
agreed can say what their life is like ("while on the ward")."""

PAY_DETAILS = ("payment", "benefits_advice", "benefits_advice_on")
"""A person's keys that say how they are paid and whether they were offered benefits
advice: payment details, which no copy for others holds (only a person's own copy)."""

PRIVATE_DETAILS = schema.private_fields(Person)
"""A person's private details, as the schema declares them (``Key.private``): access needs
and how early they want papers, contact, other names, organisation, how they are paid and
why not, benefits advice, when they can take part.  No copy for others holds any of them
(only a person's own copy); the protected view of a served app reads the same list."""

EMPTY_DETAILS: dict[str, Any] = {f.name: f.default for f in fields(Person)
                                    if f.name in PRIVATE_DETAILS}
"""Each private detail as a copy for others has it: empty (as a plan without it reads)."""

REASON_KEPT = "The reason is kept within the team."
"""What others read for why a session was moved or cancelled: the reason is often someone's
absence or health.  (The copy keeps that there was a reason, so the reports still say
which sessions did not go to plan; what moved the days say, ``delivery.moved``.)"""


Reads = Mapping[str, tuple[str, ...]]
"""What one document made from the copy for others reads of the plan: for each table of
the plan it reads (a class of ``coplan.model``, by name: ``"Stage"``), the fields it
reads (``("id", "title")``; an empty tuple where it reads none of them but holds the table
in another's field).  Given to ``for_audience`` (an exporter's ``Exporter.reads``), it
makes the narrow copy (``narrowed``)."""

ALWAYS_HELD: dict[str, tuple[str, ...]] = {"Plan": ("stages", "meetings"),
                                           "Stage": ("touchpoints",), "Touchpoint": (),
                                           "Meeting": ()}
"""What every narrow copy holds: the plan's stages, their touchpoints and its meetings,
which the copy's schedule points at (each stage's timing, each session, each series of
meetings), with none of their fields but these unless a document declares them."""

_NARROWED: dict[tuple[tuple[str, tuple[str, ...]], ...], dict[type, tuple[str, ...]]] = {}


def narrowed(reads: Reads) -> dict[type, tuple[str, ...]]:
    """What the narrow copy made for ``reads`` holds, by class: the fields declared (with
    ``ALWAYS_HELD``), each found through the model and checked, once per declaration.

    The narrow copy is the copy for others (everything in it made as the whole copy has
    it: redacted, ids changed, private details left out) of those fields alone: every
    field not declared is left at its default (empty), never passed on as written, so a
    document that reads a field it did not declare sees nothing, never a private value.
    Raises ValueError for a declaration that names a table or field the plan does not
    have, or that holds a table (a field of tables) without saying what it reads of it."""
    if isinstance(reads, str):
        raise ValueError("reads is a table of class names, each with the fields read")
    key = tuple(sorted((name, tuple(sorted(set(names)))) for name, names in reads.items()))
    found = _NARROWED.get(key)
    if found is None:
        found = _NARROWED[key] = _resolved(reads)
    return found


def _resolved(reads: Reads) -> dict[type, tuple[str, ...]]:
    from dataclasses import is_dataclass

    from coplan import model

    held: dict[type, set[str]] = {}
    for name, names in (*ALWAYS_HELD.items(), *reads.items()):
        cls = getattr(model, name, None)
        if not isinstance(cls, type) or not is_dataclass(cls) or \
                cls.__module__ != model.__name__:
            raise ValueError(f"reads names '{name}', which is not a table of a plan "
                             "(a class of coplan.model)")
        if isinstance(names, str):
            raise ValueError(f"reads gives {name} the text '{names}': give a tuple of "
                             f"field names, ('{names}',)")
        init = {f.name for f in fields(cls) if f.init}
        for field in names:
            if field not in init:
                raise ValueError(f"reads names '{name}.{field}', which a {name} does not have")
        held.setdefault(cls, set()).update(names)
    for cls, fields_held in held.items():
        for member in schema.schema_of(cls).members:
            if member.field not in fields_held:
                continue
            spec = member.spec
            inner = spec.model if isinstance(spec, schema.Sub) else (
                spec.kind.model if isinstance(spec.kind, schema.Links) else None)
            if inner is not None and inner not in held:
                raise ValueError(
                    f"reads holds {cls.__name__}.{member.field}, so it must say what it "
                    f"reads of a {inner.__name__} (\"{inner.__name__}\": () for nothing)")
    return {cls: tuple(sorted(fields_held)) for cls, fields_held in held.items()}


def _narrow(item: Any, held: tuple[str, ...], changes: dict[str, Any]) -> Any:
    """``item`` as the narrow copy has it: each field of ``held`` as the whole copy has
    it (``changes``, else as written), every other one at its default; and a person's
    mark that their name is as its readers may see it (``Person._as_shown``), which is
    no key of the plan, so never declared."""
    made = {name: changes[name] if name in changes else getattr(item, name)
            for name in held}
    if "_as_shown" in changes:
        made["_as_shown"] = changes["_as_shown"]
    return type(item)(**made)


def _kept_words(item: Any, plan: Plan) -> dict[str, Any]:
    """The team's own words about how the work went, as any copy for others has them: the
    one rule set every exporter and report follows (they all read the copy), from
    ``privacy.kept_in_team``.  A session moved or cancelled keeps that it had a reason
    (``REASON_KEPT``); every other such word is left out.  An item of another kind
    changes nothing here."""
    changes: dict[str, Any] = {}
    for key in kept_in_team(item, plan):
        if getattr(item, key):
            changes[key] = REASON_KEPT if key == "why" and isinstance(item, SessionRecord) \
                else ""
    return changes


def for_audience(plan: Plan, schedule: Schedule, audience: str = "team", *,
                 own: bool = False, anonymous: bool = False,
                 reads: Reads | None = None) -> tuple[Plan, Schedule]:
    """The plan and its schedule as ``audience`` may read them (see the module's
    docstring); ``own``: the audience is a person, and this is for them alone;
    ``anonymous``: a document that counts people and names none (``privacy.Redaction``),
    so that everyone is hidden in it, those who share their name too; ``reads``: what
    the one document made from it reads (``Reads``), so that the copy holds only that
    (the narrow copy), every other value left empty.  A copy already made is returned as
    it is."""
    if plan.shared_with is not None:
        return plan, schedule
    shared, hide = shared_plan(plan, audience, own=own, anonymous=anonymous, reads=reads)
    return shared, shared_schedule(schedule, shared, hide)


def shared_plan(plan: Plan, audience: str = "team", *, own: bool = False,
                anonymous: bool = False, reads: Reads | None = None
                ) -> tuple[Plan, Redaction]:
    """The copy of ``plan`` for ``audience``, and the redaction it was made with (with
    ``reads``, the narrow copy: ``narrowed``)."""
    hide = make_redaction(plan, audience, own=own, anonymous=anonymous)
    if hide.may_rename_ids:  # (else no id changes, and there is nothing to learn)
        hide.learn_ids(_ids(plan))
    walker = _Walker(hide, plan, audience if own else "",
                     None if reads is None else narrowed(reads))
    shared = walker.item(plan)
    # The lines marked '# placeholder' stay known, so what is not yet agreed stays a gap.
    shared = replace(shared, shared_with=audience, path=plan.path, marked=plan.marked,
                     agreed_names=agreed_names(plan, hide))
    return shared, hide


def agreed_names(plan: Plan, hide: Redaction) -> frozenset[str]:
    """The ids, as a copy made with ``hide`` has them, of the people of ``plan`` who agreed
    to be named (``Plan.agreed_names``)."""
    return frozenset(hide.id(p.id) for p in plan.people if p.named_to_others)


class Parts:
    """Chosen parts of the copy of ``plan`` for ``audience`` (``shared_plan``, not for one
    person alone), each worked out as the copy has it without making the copy: the same
    redaction, its ids learnt from the whole plan, and the same walk for each item asked
    about.  A review's report for others reads a few of the copy's values (the project's
    title, each stage's title, the people) of a plan of 75,000 items.

    ``outline`` is the copy's project, people and review settings in a plan of nothing
    else (stages, meetings and the record are left out, not redacted): what a report reads
    of the plan beyond its stages.  Never a copy to export from."""

    def __init__(self, plan: Plan, audience: str = "team") -> None:
        hide = make_redaction(plan, audience)
        if hide.may_rename_ids:  # (as ``shared_plan`` does: every id of the plan)
            hide.learn_ids(_ids(plan))
        self.hide = hide
        self.walker = walker = _Walker(hide, plan, "")
        # Whether the walk of the whole plan starts in an entry found unchanged.
        self.same = same = id(plan) in hide.unchanged
        self._how: dict[type, dict[str, str]] = {}
        self.outline = Plan(project=walker.item(plan.project, same),
                            people=tuple([walker.item(p, same) for p in plan.people]),
                            review=walker.item(plan.review, same), path=plan.path,
                            marked=plan.marked, shared_with=audience,
                            agreed_names=agreed_names(plan, hide))

    def within(self, item: Any, same: bool) -> bool:
        """Whether the walk keeps ``item``'s texts unread (``same``: it is inside an
        entry found unchanged; else it is one itself)."""
        return same or id(item) in self.hide.unchanged

    def kept(self, model: type, *names: str) -> bool:
        """Whether the copy keeps each of these members of every ``model`` as written."""
        how = self._steps_of(model)
        return all(name not in how for name in names)

    def _steps_of(self, model: type) -> dict[str, str]:
        found = self._how.get(model)
        if found is None:
            found = self._how[model] = dict(_steps(model, self.walker.renames_ids))
            special = next((c for c in _SPECIAL if issubclass(model, c)), None)
            if special is not None:  # (changed by its class: see ``_Walker.item``)
                for name in _SPECIAL_FIELDS.get(special) or (
                        f.name for f in fields(model)):
                    found[name] = _WHOLE
        return found

    def value(self, item: Any, name: str, same: bool) -> Any:
        """``item``'s member ``name`` as the copy has it, ``same`` as ``within`` says
        for the item (its texts are kept as written)."""
        how = self._steps_of(type(item)).get(name)
        value = getattr(item, name)
        if how is None:
            return value
        hide = self.hide
        if how is _TEXT:
            return value if same or not value or not isinstance(value, str) \
                else hide.text(value)
        if how is _TEXTS:
            return value if same or not value or not isinstance(value, tuple) else tuple(
                [hide.text(v) if isinstance(v, str) else v for v in value])
        if how is _ID:
            return hide.id(value) if value else value
        if how is _REF:
            if isinstance(value, str):
                return hide.id(value) if value else value
            return self.walker.refs(value) if isinstance(value, tuple) else value
        return getattr(self.walker.item(item, same), name)  # (a table, or changed by class)


ABOUT_SOMEONES_PAY = frozenset({"CP-DEL-002", "CP-DEL-003", "CP-DEL-017", "CP-PAY-004",
                                "CP-PAY-011"})
"""The review's rules whose findings say what one person is owed or was paid, or whether
they were offered benefits advice: payment details stay out of what others read, so their
findings say "one person", as the progress report for leads does."""

ONE_PERSON = "one person"


def _payees(plan: Plan) -> tuple[str, ...]:
    """Every person of ``plan``, by name or id (as findings write them), longest first."""
    return tuple(sorted({w for p in plan.people for w in (p.name, p.id) if w}, key=len,
                        reverse=True))


def _payee(plan: Plan) -> re.Pattern[str] | None:
    """Every person of ``plan``, by name or id (as findings write them), as whole words."""
    names = _payees(plan)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])"
                      ) if names else None


FEW_TEXTS = 32
"""How many of a report's messages ``shared_report`` looks through word by word, for
someone's needs or a payee's name, before it makes the words into one pattern
(``_Looked``).  Compiling a pattern of a plan's words is ``re``'s own Python, not kept
between runs (the words are the plan's): about 3 million instructions for MINDS's 24 ways
of writing its people's needs, and 1.5 for its people's names, more than the rest of its
report for others, which has five findings; a large plan's report has thousands of
messages, for which one pattern is quicker."""


class _Looked:
    """What a report for others looks for in each message and reason it shows: whether it
    says someone's needs (``privacy.mentions_needs``), and the first payee it names
    (``_payee``), each found with ``str`` methods for the first ``FEW_TEXTS`` texts and by
    the one pattern after."""

    def __init__(self, plan: Plan, needs: frozenset[str]) -> None:
        self.plan = plan
        self.needs = needs
        self.asked = 0  # texts asked about whether they say someone's needs
        self.named = 0  # messages asked about who is paid
        self.names: tuple[str, ...] | None = None  # (``_payees``, when first needed)
        self.payee: re.Pattern[str] | bool | None = None  # (``_payee``, likewise)

    def says_needs(self, text: str) -> bool:
        """``mentions_needs(text, needs)``: whether ``text`` says any of the words."""
        self.asked += 1
        if self.asked > FEW_TEXTS:
            return mentions_needs(text, self.needs)
        if not self.needs:
            return False
        lowered = text.lower()
        return any(word in lowered for word in self.needs)

    def without_payee(self, message: str) -> str:
        """``message`` with the first person it names (as ``_payee`` finds them) said as
        ``ONE_PERSON``: ``_payee(plan).sub(ONE_PERSON, message, count=1)``."""
        self.named += 1
        if self.named > FEW_TEXTS:
            if self.payee is None:
                self.payee = _payee(self.plan) or False
            return self.payee.sub(ONE_PERSON, message, count=1) \
                if isinstance(self.payee, re.Pattern) else message
        if self.names is None:
            self.names = _payees(self.plan)
        return _first_named_replaced(message, self.names)


def _first_named_replaced(text: str, names: tuple[str, ...]) -> str:
    """``text`` with the first of ``names`` (longest first) written in it as a whole word
    (no letter, digit or '_' just before or after, as ``\\w`` reads them) said as
    ``ONE_PERSON``; where two start at the same place, the longer: what the pattern of
    ``_payee`` replaces, found with ``str.find``."""
    at_best, length = -1, 0
    end_of_text = len(text)
    for name in names:
        at = text.find(name)
        while at >= 0 and (at_best < 0 or at < at_best):
            end = at + len(name)
            if (at == 0 or not _is_word(text[at - 1])) and (
                    end == end_of_text or not _is_word(text[end])):
                at_best, length = at, len(name)
                break
            at = text.find(name, at + 1)
    if at_best < 0:
        return text
    return text[:at_best] + ONE_PERSON + text[at_best + length:]


def _is_word(char: str) -> bool:
    """Whether ``char`` is a word character as ``re``'s ``\\w`` reads one in a text."""
    return char.isalnum() or char == "_"


def shared_report(report: Any, shared: Plan, original: Plan | None = None) -> Any:
    """A review's report for the readers of ``shared``: each finding's words redacted,
    a finding that would say someone's access needs told by its rule's title only, and
    one about what a person is owed or was paid (``ABOUT_SOMEONES_PAY``) without who."""
    if report.plan is shared or report.plan.shared_with is not None:
        return report
    source = original or report.plan
    hide = make_redaction(source, shared.shared_with or "team")
    looked = _Looked(source, hide.needs)
    # Where the redaction changes no id, a subject that names no person stays as written
    # (most of a large plan's subjects: one for each finding).
    renames = hide.renames_ids
    rules: dict[str, Any] = {}  # each rule, by its id (``report.rule``), looked up once

    def rule_of(rule_id: str) -> Any:
        if rule_id not in rules:
            rules[rule_id] = report.rule(rule_id) if hasattr(report, "rule") else None
        return rules[rule_id]

    def _shared_reason(reason: str, rule_id: str) -> str:
        """Why the team accepted a finding or switched a rule off, as readers see it: not
        at all where the rule's findings are about someone's needs or pay, which readers
        are told without who (the reason would say who again: "M.C. asked us to pay her
        next week")."""
        rule = rule_of(rule_id)
        if rule_id in ABOUT_SOMEONES_PAY:
            return "a reason about someone's pay, kept to the plan itself"
        if looked.says_needs(reason) or getattr(rule, "personal", False):
            return "a reason about someone's own needs, kept to the plan itself"
        return hide.text(reason)

    def person_id(pid: str) -> str:
        """A person's id as readers see it: that of someone who chose to be anonymous is
        "someone", never numbered ("someone-2" told them apart, finding by finding and
        from one report to the next), as their name is."""
        return SOMEONE if pid in hide.unnamed else hide.id(pid)

    fixes: dict[str, str] = {}  # each fix as redacted (a rule's is the same in each finding)
    # What readers see of each finding's words, worked out once for each rule, message and
    # fix: a large plan's findings say the same few things many times over (a payment owed
    # for each copy of a session), and each is a function of those three alone.
    said: dict[tuple[str, str, str], tuple[str, str]] = {}
    # Each subject as readers see it, by the subject as written (kept with it, so that its
    # id is not another's) and whether the finding is about someone's pay.
    subjects: dict[tuple[int, bool], tuple[Any, Any]] = {}

    def shown(found: Any) -> list[Any]:
        findings = []
        for f in found:
            words = said.get((f.rule, f.message, f.fix))
            if words is None:
                message, fix = f.message, f.fix
                rule = rule_of(f.rule)
                if looked.says_needs(message) or getattr(rule, "personal", False):
                    message = (f"{rule.title} (the details name someone's own needs, so they "
                               "are kept to the plan itself)") if rule is not None else \
                        "a finding about someone's own needs, kept to the plan itself"
                    fix = ""
                if f.rule in ABOUT_SOMEONES_PAY:  # (the person comes first in it)
                    message = looked.without_payee(message)
                shared_fix = fixes.get(fix)
                if shared_fix is None:
                    shared_fix = fixes[fix] = hide.text(fix)
                words = said[(f.rule, f.message, f.fix)] = (hide.text(message), shared_fix)
            message, shared_fix = words
            written = f.subject
            pay = f.rule in ABOUT_SOMEONES_PAY
            # (findings share subjects: the people owed for one session, its one subject)
            known = subjects.get((id(written), pay)) if renames or pay or bool(
                getattr(written, "person", "")) else (written, written)
            if known is not None and known[0] is written:
                subject = known[1]
            else:
                subject = written
                if pay and subject.kind == "person":
                    subject = replaced(subject, {"id": ""})
                if getattr(subject, "person", ""):  # (the one of a finding for each person)
                    subject = replaced(subject, {"person": "" if pay
                                                 else person_id(subject.person)})
                sid = person_id(subject.id) if subject.kind == "person" else hide.id(subject.id)
                stage = hide.id(subject.stage)
                if sid != subject.id or stage != subject.stage:
                    subject = replaced(subject, {"id": sid, "stage": stage})
                subjects[(id(written), pay)] = (written, subject)
            reason = f.accepted and _shared_reason(f.accepted, f.rule)
            # (a finding that says the same to its readers is kept as it is)
            if subject is written and message == f.message and shared_fix == f.fix \
                    and reason == f.accepted:
                findings.append(f)
            elif _finding_shaped(f.__class__):
                findings.append(f.__class__(f.rule, f.severity, message, subject, shared_fix,
                                            f.file, reason))
            else:
                findings.append(replaced(f, {"message": message, "fix": shared_fix,
                                             "subject": subject, "accepted": reason}))
        return findings

    out = copy.copy(report)
    out.plan = shared
    out.findings = shown(report.findings)
    # What the plan accepts, and why (the team's own words, redacted as the rest are).
    out.accepted = shown(getattr(report, "accepted", ()))
    out.skipped = {rule: _shared_reason(reason, rule)
                   for rule, reason in report.skipped.items()}
    return out


# -- the plan -----------------------------------------------------------------------------

def _ids(plan: Plan) -> list[str]:
    """Every id declared anywhere in the plan (stages, touchpoints, people, decisions...)."""
    found: list[str] = []
    _collect_ids(plan, found)
    return found


def _collect_ids(item: Any, found: list[str]) -> None:
    # (Not a function nested in _ids: one that calls itself is a reference cycle, kept
    # until the cycle collector runs.)
    for field, array, sub in _id_steps(type(item)):
        value = getattr(item, field)
        if not sub:
            if value:
                found.append(value)
        elif array:
            for child in value:
                _collect_ids(child, found)
        else:
            _collect_ids(value, found)


_ID_STEPS: dict[type, list[tuple[str, bool, bool]]] = {}


def _id_steps(model: type) -> list[tuple[str, bool, bool]]:
    """Where ids are in items of ``model``, worked out once per class, in the schema's
    order: (field, an array of tables, a table or array of tables): an id field itself,
    or a table in which (at any depth) an id may be declared.  Tables that can hold no
    id are not looked at."""
    found = _ID_STEPS.get(model)
    if found is None:
        _ID_STEPS[model] = [("", False, True)]  # (a table that holds itself may hold ids)
        found = []
        for member in schema.schema_of(model).members:
            spec = member.spec
            if isinstance(spec, schema.Sub):
                if _id_steps(spec.model):
                    found.append((member.field, spec.array, True))
            elif isinstance(spec.kind, schema.Id):
                found.append((member.field, False, False))
        _ID_STEPS[model] = found
    return found


_SUB, _SUBS, _ID = "sub", "subs", "id"
_LINKS, _REF, _TEXT, _TEXTS = "links", "ref", "text", "texts"
_STEPS: dict[tuple[type, bool], list[tuple[str, str]]] = {}
# Items ``_Walker.item`` changes by their class (after the last two, ``_kept_words``).
_SPECIAL = (Person, Touchpoint, Closure, SessionRecord, ReflectionRecord)
# The members each of those classes may have changed by its class (``Parts``): all, but
# for a touchpoint only the arrangements shown.
_SPECIAL_FIELDS: dict[type, tuple[str, ...]] = {Touchpoint: ("access",)}
_WHOLE = "whole"  # (``Parts``: a member worked out by walking its item)


def _steps(model: type, renames_ids: bool = True) -> list[tuple[str, str]]:
    """The members of ``model`` the copy may change, worked out once per class: (field,
    what it holds: a table, an array of tables, links to stages, an id, another id or ids,
    a text, texts).  Values of other kinds (dates, numbers, words from a vocabulary) are
    never changed, so are not looked at.  Where the redaction changes no id
    (``renames_ids`` false), ids are not looked at either, nor tables in which nothing
    else could change (a stage's links, which hold only the ids of stages)."""
    key = (model, renames_ids)
    found = _STEPS.get(key)
    if found is None:
        _STEPS[key] = [("", _SUB)]  # (a table that holds itself may hold what changes)
        found = []
        for member in schema.schema_of(model).members:
            spec = member.spec
            if isinstance(spec, schema.Sub):
                if renames_ids or _changes(spec.model, renames_ids):
                    found.append((member.field, _SUBS if spec.array else _SUB))
                continue
            kind = spec.kind
            if isinstance(kind, schema.Links):
                if renames_ids or _changes(kind.model, renames_ids):
                    found.append((member.field, _LINKS))
            elif isinstance(kind, schema.Id):
                if renames_ids:
                    found.append((member.field, _ID))
            elif kind.ref is not None:
                if renames_ids:
                    found.append((member.field, _REF))
            elif isinstance(kind, schema.Text):
                found.append((member.field, _TEXT))
            elif isinstance(kind, schema.Strings):
                found.append((member.field, _TEXTS))
        _STEPS[key] = found
    return found


def _changes(model: type, renames_ids: bool) -> bool:
    """Whether the copy may change an item of ``model`` at all."""
    return bool(_steps(model, renames_ids)) or issubclass(model, _SPECIAL)


_GROUPED: dict[tuple[type, bool], tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...],
                                         tuple[str, ...], tuple[tuple[str, str], ...]]] = {}


def _grouped_steps(model: type, renames_ids: bool
                   ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...],
                              tuple[tuple[str, str], ...]]:
    """``_steps(model, renames_ids)`` by what each member holds: texts, lists of texts,
    ids, other items' ids, and tables (with how: a table, an array of them, links),
    each in the schema's order; worked out once per class.  (Which member changes does
    not depend on the order they are looked at in.)"""
    key = (model, renames_ids)
    found = _GROUPED.get(key)
    if found is None:
        steps = _steps(model, renames_ids)
        found = _GROUPED[key] = (
            tuple(f for f, how in steps if how is _TEXT),
            tuple(f for f, how in steps if how is _TEXTS),
            tuple(f for f, how in steps if how is _ID),
            tuple(f for f, how in steps if how is _REF),
            tuple((f, how) for f, how in steps if how in (_SUB, _SUBS, _LINKS)))
    return found


# Each class's init fields read in one call, and each field's place among them (None for a
# class ``replaced`` leaves to ``dataclasses.replace``).
_INIT: dict[type, tuple[Callable[[Any], tuple[Any, ...]], dict[str, int]] | None] = {}


def _init_of(cls: type) -> tuple[Callable[[Any], tuple[Any, ...]], dict[str, int]] | None:
    found = fields(cls)
    names = [f.name for f in found if f.init]
    if not names or len(found) != len(getattr(cls, "__dataclass_fields__", ())) or any(
            f.kw_only is True for f in found):
        return None
    if len(names) == 1:  # (``attrgetter`` of one name gives the value itself)
        name = names[0]
        return (lambda item: (getattr(item, name),)), {name: 0}
    return attrgetter(*names), {name: at for at, name in enumerate(names)}


def replaced(item: Any, changes: dict[str, Any]) -> Any:
    """``dataclasses.replace(item, **changes)``, with the fields passed to the class worked
    out once per class rather than at every call (the copy of a plan of 10,000 stages
    replaces 40,000 items), read in one call and passed in their places.  A class with
    pseudo-fields (``InitVar``, ``ClassVar``) or fields passed only by name goes through
    ``replace`` itself, as does a change of a field the class is not made with."""
    cls = type(item)
    if cls in _INIT:
        init = _INIT[cls]
    else:
        init = _INIT[cls] = _init_of(cls)
    if init is None:
        return replace(item, **changes)
    read, places = init
    values = list(read(item))
    for name, value in changes.items():
        at = places.get(name)
        if at is None:  # (refused as ``replace`` refuses it)
            return replace(item, **changes)
        values[at] = value
    return cls(*values)


# A finding's fields, as ``replaced`` passes them to its class (``_finding_shaped``).
_FINDING_FIELDS = {"rule": 0, "severity": 1, "message": 2, "subject": 3, "fix": 4, "file": 5,
                   "accepted": 6}
_SHAPED: dict[type, bool] = {}


def _finding_shaped(cls: type) -> bool:
    """Whether ``cls`` is made with a finding's fields in their order and nothing else
    (a review's ``Finding``), so that ``cls(rule, severity, message, subject, fix, file,
    accepted)``
    is ``replaced`` of one of them: the report for others of a large plan makes 37,000
    findings again (a payment's says "one person"), each a third as long so."""
    found = _SHAPED.get(cls)
    if found is None:
        if cls not in _INIT:
            _INIT[cls] = _init_of(cls)
        init = _INIT[cls]
        found = _SHAPED[cls] = init is not None and init[1] == _FINDING_FIELDS
    return found


_WALK_STEPS: dict[tuple[type, bool, int], Any] = {}
"""``_Walker._steps_for`` by class, whether ids are renamed and the narrow copy's
declaration (``narrowed``'s, kept for the process: its id is its own), worked out once
a process rather than once a walk."""


class _Walker:
    """Makes the copy: every declared key of every item, by the kind of value it holds."""

    def __init__(self, hide: Redaction, plan: Plan, audience: str,
                 reads: dict[type, tuple[str, ...]] | None = None) -> None:
        self.hide = hide
        self.plan = plan
        # The narrow copy (``narrowed``): each class's fields it holds; None: all of them.
        self.reads = reads
        self.reader = plan.person(audience)
        self.renames_ids = hide.renames_ids
        self._arrangements: Arrangements | None = None  # (made when first needed)
        self._refs: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        # Each class's steps (``_grouped_steps``), and which of the classes ``item``
        # changes by their class it is of (0 for none), found once per class for this walk.
        self.steps: dict[type, tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...],
                                           tuple[str, ...], tuple[tuple[str, str], ...]],
                                     int]] = {}

    def item(self, item: Any, same: bool = False) -> Any:
        changes: dict[str, Any] = {}
        hide = self.hide
        # Texts the privacy rules have already found unchanged (``same``: in an entry
        # found so) are not redacted again.
        same = same or id(item) in hide.unchanged
        cls = type(item)
        found = self.steps.get(cls)
        if found is None:
            key = (cls, self.renames_ids, id(self.reads))
            found = _WALK_STEPS.get(key)
            if found is None:
                found = _WALK_STEPS[key] = self._steps_for(cls)
            self.steps[cls] = found
        (texts, lists, ids, refs, tables), special = found
        if not same:
            for field in texts:  # the team's own words
                value = getattr(item, field)
                if not value or not isinstance(value, str):
                    continue
                new: Any = hide.text(value)
                if new is not value and new != value:
                    changes[field] = new
            for field in lists:  # the team's own words, a list of them
                value = getattr(item, field)
                if not value or not isinstance(value, tuple):
                    continue
                new = tuple([hide.text(v) if isinstance(v, str) else v for v in value])
                if new != value:
                    changes[field] = new
        for field in ids:
            value = getattr(item, field)
            if not value:
                continue
            new = hide.id(value)
            if new is not value and new != value:
                changes[field] = new
        for field in refs:  # another item's id, or ids
            value = getattr(item, field)
            if isinstance(value, str):
                new = hide.id(value) if value else value
            elif isinstance(value, tuple):
                new = self.refs(value)
            else:
                continue
            if new is not value and new != value:
                changes[field] = new
        narrow = self.reads is not None
        for field, how in tables:
            value = getattr(item, field)
            if how is _SUBS:
                if not value:  # (none: nothing to copy)
                    continue
                new = tuple([self.item(c, same) for c in value])
            elif how is _LINKS:
                new = tuple([self.item(d) for d in value])
            else:
                new = self.item(value, same)
            # (the narrow copy makes every item it holds again: no need to compare)
            if new is not value and (narrow or new != value):
                changes[field] = new
        if not special:
            pass
        elif special == 1:  # a Person
            changes.update(self.person(item))
        elif special == 2:  # a Touchpoint
            shown = self.access(item, changes.get("access", item.access))
            if shown != item.access:
                changes["access"] = shown
            else:
                changes.pop("access", None)
        elif special == 3:  # the team's own words about how the work went
            changes.update(_kept_words(item, self.plan))
        if narrow:
            return _narrow(item, self.reads[cls], changes)  # type: ignore[index]
        return replaced(item, changes) if changes else item

    def _steps_for(self, cls: type) -> tuple[
            tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...],
                  tuple[tuple[str, str], ...]], int]:
        """``cls``'s steps (``_grouped_steps``), and which of the classes the copy
        changes by their class it is of (0 for none; 3 for those of ``_kept_words``).
        In the narrow copy, only the steps of the fields it holds: a class it does not
        hold at all is a bug in the declaration (``narrowed`` makes sure of it)."""
        grouped = _grouped_steps(cls, self.renames_ids)
        special = next((i for i, c in enumerate(_SPECIAL, start=1) if issubclass(cls, c)), 0)
        special = min(special, 3)
        if self.reads is None:
            return grouped, special
        held = set(self.reads.get(cls, ()))
        if cls not in self.reads:  # (only a field outside the schema could hold one)
            raise ValueError(f"the narrow copy holds no {cls.__name__}: declare it")
        texts, lists, ids, refs, tables = grouped
        narrow = (tuple(f for f in texts if f in held), tuple(f for f in lists if f in held),
                  tuple(f for f in ids if f in held), tuple(f for f in refs if f in held),
                  tuple((f, how) for f, how in tables if f in held))
        if special == 2 and "access" not in held:  # (the arrangements are not held)
            special = 0
        return narrow, special

    def refs(self, value: tuple[Any, ...]) -> tuple[Any, ...]:
        """A list of ids as the copy has it, worked out once for each list written
        alike (the people of a plan's sessions are the same few lists over and over)."""
        for v in value:
            if v.__class__ is not str:  # (only lists of plain texts are kept)
                return self._each_ref(value)
        new = self._refs.get(value)
        if new is None:
            new = self._refs[value] = self._each_ref(value)
        return new

    def _each_ref(self, value: tuple[Any, ...]) -> tuple[Any, ...]:
        hide = self.hide
        return tuple([hide.id(v) if isinstance(v, str) else v for v in value])

    def person(self, person: Person) -> dict[str, Any]:
        if person is self.reader:  # their own copy
            return {}
        # Every private detail is left out (how each person is paid and whether they were
        # offered benefits advice too: the protocol counts them from the plan itself,
        # ``Options.source``) ...
        changes: dict[str, Any] = {key: empty for key, empty in EMPTY_DETAILS.items()
                                   if getattr(person, key) != empty}
        # ... and their name is as the copy's readers may see it, to be shown as it stands
        # (``Person._as_shown``): ``credit`` stays what they chose, and "initials" with
        # ``share_name = true`` would else read as a name the label stands in for.
        changes["_as_shown"] = True
        # ... but others read that there is a reason someone is not paid (the reason is
        # between them and the team: it can say what their benefits or health are)
        if person.payment_reason:
            changes["payment_reason"] = KEPT_PRIVATE
        if person.id in self.hide.tags:  # hidden (in a document that names nobody, all)
            changes.update(name=self.hide.labels[person.id], share_name=True,
                           role=ROLE_KEPT if person.role.strip() else "",
                           time_commitment=KEPT_PRIVATE if person.time_commitment else "")
        return changes

    def access(self, tp: Touchpoint, access: tuple[str, ...]) -> tuple[str, ...]:
        """The arrangements a session shows: in a person's own copy, those of a session
        they take part in whole (the team's own words counted, since they can say someone
        else's diagnosis); else the same on every session (``Arrangements``)."""
        if self.reader is not None and self.reader.id in tp.who:
            shown = [a for a in access if not a.lower().startswith("other")]
            counted = len(access) - len(shown)
            if counted:
                shown.append(f"other: {counted} arrangement{'s' if counted != 1 else ''} "
                             "made with individual people")
            return tuple(shown)
        if self._arrangements is None:
            self._arrangements = Arrangements(self.plan)
        return self._arrangements.shown


# -- the schedule -------------------------------------------------------------------------

def shared_schedule(schedule: Schedule, shared: Plan, hide: Redaction) -> Schedule:
    """``schedule`` re-pointed at the items of ``shared``, its words redacted, and its
    calendar's closures without their reasons.  Nothing is scheduled again: the copy has
    the same dates."""
    old = schedule.plan
    # Each stage of the plan's copy by the original's id (``shared.stages`` matches
    # ``old.stages`` one for one); a stage not in the plan stays as it is.
    new_stage = {s.id: n for s, n in zip(old.stages, shared.stages, strict=True)}
    rename = hide.id if hide.renames_ids else None

    def touchpoint_of(old_stage: Any, new: Any, tp: Any) -> Any:
        if new is old_stage:
            return tp
        for i, t in enumerate(old_stage.touchpoints):
            if t is tp:
                return new.touchpoints[i]
        return tp

    timings = {}
    for k, t in schedule.stages.items():
        stage = new_stage.get(t.stage.id, t.stage)
        timings[k if rename is None else rename(k)] = t if stage is t.stage \
            else replaced(t, {"stage": stage})
    # Each of the schedule's own texts redacted once: its checkpoints say the project's
    # few prompts, titles and reasons over and over (MINDS: 15 checkpoints, each with the
    # same five prompts; ten titles).
    said: dict[str, str] = {}

    def text(value: str) -> str:
        found = said.get(value)
        if found is None:
            found = said[value] = hide.text(value)
        return found

    prompts: dict[tuple[str, ...], tuple[str, ...]] = {}

    def prompts_of(value: tuple[str, ...]) -> tuple[str, ...]:
        if type(value) is not tuple:  # (as written, a list say: not to be kept by)
            return tuple([text(p) for p in value])
        found = prompts.get(value)
        if found is None:
            found = prompts[value] = tuple([text(p) for p in value])
        return found

    # (``replaced``, not ``dataclasses.replace``: the one works out each class's fields
    # once, the other at each of the schedule's 40 to 60 items)
    buffers = [replaced(b, {"id": hide.id(b.id),
                            "stage": hide.id(b.stage) if b.stage else b.stage,
                            "title": text(b.title)}) for b in schedule.buffers]
    project_buffer = schedule.project_buffer
    if project_buffer is not None:
        project_buffer = replaced(project_buffer, {"title": text(project_buffer.title)})
    checkpoints = [replaced(c, {"id": hide.id(c.id), "title": text(c.title),
                                "reason": text(c.reason), "prompts": prompts_of(c.prompts)})
                   for c in schedule.checkpoints]
    # Each touchpoint of a stage the copy made again, by the original's identity (the
    # narrow copy makes every stage again: many sessions, each looked up once).
    new_touchpoint = {id(t): n for stage, made in zip(old.stages, shared.stages, strict=True)
                      if made is not stage
                      for t, n in zip(stage.touchpoints, made.touchpoints, strict=False)}
    sessions = []
    for s in schedule.sessions:
        stage = new_stage.get(s.stage.id, s.stage)
        tp = new_touchpoint.get(id(s.touchpoint)) if stage is not s.stage else None
        if tp is None:
            tp = touchpoint_of(s.stage, stage, s.touchpoint)
        sid = s.id if rename is None else rename(s.id)
        sessions.append(s if sid is s.id and stage is s.stage and tp is s.touchpoint
                        else replaced(s, {"id": sid, "stage": stage, "touchpoint": tp}))
    meeting_index = {id(m): i for i, m in enumerate(old.meetings)}
    closures = {c.why for c in old.project.closures if c.why}
    meetings = [replaced(m, {"meeting": shared.meetings[meeting_index[id(m.meeting)]]
                             if id(m.meeting) in meeting_index else m.meeting,
                             "skipped": tuple((d, "team closure" if why in closures else why)
                                              for d, why in m.skipped)})
                for m in schedule.meetings]
    missed = [replaced(m, {"stage": hide.id(m.stage)}) for m in schedule.missed]
    gates = [replaced(g, {"waits_for": tuple(hide.id(s) for s in g.waits_for),
                          "holds": tuple(hide.id(s) for s in g.holds)})
             for g in schedule.gates]
    calendar = copy.copy(schedule.calendar)
    names = getattr(calendar, "_names", None)
    if isinstance(names, dict) and closures:
        calendar._names = {d: ("team closure" if why in closures else why)
                           for d, why in names.items()}
    return replace(schedule, plan=shared, calendar=calendar, stages=timings,
                   order=[hide.id(i) for i in schedule.order], buffers=buffers,
                   project_buffer=project_buffer, checkpoints=checkpoints,
                   sessions=sessions, meetings=meetings,
                   critical_path=[hide.id(i) for i in schedule.critical_path],
                   missed=missed, gates=gates)


__all__ = ["ABOUT_SOMEONES_PAY", "ALWAYS_HELD", "EMPTY_DETAILS", "INDIVIDUAL", "PAY_DETAILS",
           "PRIVATE_DETAILS", "SESSION_WIDE", "Arrangements", "Reads", "agreed_names",
           "for_audience", "narrowed", "shared_plan", "shared_report", "shared_schedule"]
