"""The copy for others is made the quick way exactly as the plain way makes it.

``sharing._Walker`` looks at each class's members grouped by what they hold, redacts no
text the privacy rules found unchanged, and works out each list of ids written alike once;
``shared_report`` redacts each rule's fix once and keeps a finding that says the same to
its readers.  Here the plain ways (each member in the schema's order, every list of ids
and every fix on its own, every finding made again) are written out, and both ways make
equal copies of the bundled plans and of plans whose people, texts and lists of who takes
part are drawn at random: people who keep their names private and people who share
them, ids that are names, ids nobody declared, and values that are not texts at all.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coplan import privacy, sharing
from coplan.model import Closure, Person, ReflectionRecord, SessionRecord, Touchpoint
from coplan.planfile import load_plan
from coplan.plugins import all_rules
from coplan.privacy import mentions_needs
from coplan.review import review
from coplan.review.rules import privacy_text
from coplan.schedule import schedule
from test_loader_fuzz import FUZZ

ROOT = Path(__file__).resolve().parents[1]
MINDS = ROOT / "examples" / "minds-discharge.toml"
PLANS = [*sorted((ROOT / "examples").glob("*.toml")),
         *sorted((ROOT / "templates" / "plans").glob("*.toml"))]


class _PlainWalker(sharing._Walker):
    """The walk as it was first written: every member in the schema's order."""

    def item(self, item: Any, same: bool = False) -> Any:
        changes: dict[str, Any] = {}
        hide = self.hide
        same = same or id(item) in hide.unchanged
        for field, how in sharing._steps(type(item), self.renames_ids):
            value = getattr(item, field)
            if how is sharing._TEXT:
                if same or not value or not isinstance(value, str):
                    continue
                new: Any = hide.text(value)
            elif how is sharing._ID:
                if not value:
                    continue
                new = hide.id(value)
            elif how is sharing._SUBS:
                new = tuple([self.item(c, same) for c in value])
            elif how is sharing._LINKS:
                new = tuple([self.item(d) for d in value])
            elif how is sharing._SUB:
                new = self.item(value, same)
            elif how is sharing._REF:
                if isinstance(value, str):
                    new = hide.id(value) if value else value
                elif isinstance(value, tuple):
                    new = tuple([hide.id(v) if isinstance(v, str) else v for v in value])
                else:
                    continue
            else:
                if same or not isinstance(value, tuple):
                    continue
                new = tuple([hide.text(v) if isinstance(v, str) else v for v in value])
            if new is not value and new != value:
                changes[field] = new
        if isinstance(item, Person):
            changes.update(self.person(item))
        elif isinstance(item, Touchpoint):
            access = changes.get("access", item.access)
            shown = self.access(item, access)
            if shown != item.access:
                changes["access"] = shown
            else:
                changes.pop("access", None)
        elif isinstance(item, Closure) and item.why:
            changes["why"] = ""
        elif isinstance(item, SessionRecord):
            if item.why:
                changes["why"] = sharing.REASON_KEPT
            if item.notes:
                changes["notes"] = ""
        elif isinstance(item, ReflectionRecord) and (
                not item.share or privacy.named_without_agreeing(self.plan, item)):
            for key in ("noticed", "changed"):
                if getattr(item, key):
                    changes[key] = ""
        return sharing.replaced(item, changes) if changes else item


def _plain_report(report: Any, shared: Any, original: Any) -> Any:
    hide = privacy.redaction(original, shared.shared_with or "team")

    def person_id(pid: str) -> str:  # (anonymous people's ids are "someone", unnumbered)
        return privacy.SOMEONE if pid in hide.unnamed else hide.id(pid)

    findings = []
    for f in report.findings:
        message, fix = f.message, f.fix
        rule = report.rule(f.rule)
        if mentions_needs(message, hide.needs) or getattr(rule, "personal", False):
            message = (f"{rule.title} (the details name someone's own needs, so they are "
                       "kept to the plan itself)") if rule is not None else \
                "a finding about someone's own needs, kept to the plan itself"
            fix = ""
        subject = f.subject
        if f.rule in sharing.ABOUT_SOMEONES_PAY:  # who is owed or was paid: "one person"
            found = sorted((m.start(), -len(n), n) for p in original.people
                           for n in {p.name, p.id} if n
                           for m in re.finditer(rf"(?<!\w){re.escape(n)}(?!\w)", message))
            if found:
                at, _, n = found[0]
                message = message[:at] + "one person" + message[at + len(n):]
            if subject.kind == "person":
                subject = sharing.replaced(subject, {"id": ""})
            if subject.person:  # (the one of a finding for each person owed)
                subject = sharing.replaced(subject, {"person": ""})
        elif subject.person:
            subject = sharing.replaced(subject, {"person": person_id(subject.person)})
        subject = sharing.replaced(subject, {"id": person_id(subject.id)
                                             if subject.kind == "person" else hide.id(subject.id),
                                             "stage": hide.id(subject.stage)})
        findings.append(sharing.replaced(f, {"message": hide.text(message),
                                             "fix": hide.text(fix), "subject": subject}))
    out = copy.copy(report)
    out.plan = shared
    out.findings = findings
    return out


def _both_ways(plan: Any, audience: str = "team", own: bool = False) -> tuple[Any, Any]:
    """The copy made after a review (whose privacy rules tell the team's copy which
    entries' texts do not change), and the plain walk's with nothing known."""
    privacy._MADE.clear()
    privacy_text._FOUND.clear()
    privacy_text._ENTRIES[0] = {}
    review(plan, None, registry=all_rules(), select=["CP-PRI"])
    quick, _ = sharing.shared_plan(plan, audience, own=own)
    privacy._MADE.clear()
    hide = privacy.redaction(plan, audience, own=own)
    if hide.may_rename_ids:
        hide.learn_ids(sharing._ids(plan))
    plain = _PlainWalker(hide, plan, audience if own else "").item(plan)
    plain = dataclasses.replace(plain, shared_with=audience, path=plan.path,
                                marked=plan.marked)
    return quick, plain


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_the_copy_of_each_bundled_plan_is_the_plain_walks(path: Path) -> None:
    plan = load_plan(path)
    for audience, own in (("team", False), ("leads", False),
                          *((p.id, True) for p in plan.people[:2])):
        quick, plain = _both_ways(plan, audience, own)
        assert quick == plain


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_the_report_for_others_is_the_plain_ways(path: Path) -> None:
    plan = load_plan(path)
    report = review(plan, None, registry=all_rules())
    privacy._MADE.clear()
    shared, _ = sharing.shared_plan(plan)
    quick = sharing.shared_report(report, shared, plan)
    plain = _plain_report(report, shared, plan)
    assert quick.findings == plain.findings
    assert [f.subject for f in quick.findings] == [f.subject for f in plain.findings]


_NAMES = st.sampled_from(["Sam", "Lee", "T.", "Amara Mensah", "Kit Brennan", "Tendai Moyo",
                          "Owen Price", "Dr Nadia Hale", ""])
_WHO = st.sampled_from(["sam", "lee", "tendai", "amara", "kit", "nobody", "sam-2", "owen",
                        "", "Sam"])
_WORDS = st.lists(st.sampled_from(["Sam", "sam", "LEE", "Tendai", "T.", "tendai", " ",
                                   "met", "sam@example.org", "07700 900123", ".", "Kit"]),
                  max_size=6).map("".join)


@st.composite
def _plans(draw: st.DrawFn) -> Any:
    plan = load_plan(MINDS)
    people = tuple(dataclasses.replace(p, name=draw(_NAMES) or p.name,
                                       share_name=draw(st.booleans()))
                   for p in plan.people)
    whos = itertools.cycle(draw(st.lists(st.lists(_WHO, max_size=5).map(tuple),
                                         min_size=1, max_size=6)))
    words = itertools.cycle(draw(st.lists(_WORDS, min_size=1, max_size=6)))
    stages = []
    for stage in plan.stages:
        tps = tuple(dataclasses.replace(tp, who=next(whos), purpose=next(words))
                    for tp in stage.touchpoints)
        stages.append(dataclasses.replace(stage, touchpoints=tps, title=next(words)))
    return dataclasses.replace(plan, people=people, stages=tuple(stages))


@FUZZ
@given(_plans(), st.sampled_from(["team", "lived-experience", "sam", "lee"]))
def test_the_copy_of_a_random_plan_is_the_plain_walks(plan: Any, audience: str) -> None:
    quick, plain = _both_ways(plan, audience)
    assert quick == plain
    report = review(plan, None, registry=all_rules(), select=["CP-STG", "CP-COM", "CP-PRI"])
    privacy._MADE.clear()
    shared, _ = sharing.shared_plan(plan, audience)
    assert sharing.shared_report(report, shared, plan).findings == \
        _plain_report(report, shared, plan).findings


def test_a_list_of_ids_is_worked_out_once_for_each_way_it_is_written() -> None:
    """Lists of ids written alike are redacted once; a list holding a value that is
    not a text is redacted on its own each time (so nothing equal to it stands in)."""
    plan = load_plan(MINDS)
    privacy._MADE.clear()
    hide = privacy.redaction(plan)
    hide.learn_ids(sharing._ids(plan))
    walker = sharing._Walker(hide, plan, "")
    first = walker.refs(("sam", "amara"))
    assert first == ("s", "amara") and walker.refs(("sam", "amara")) is first
    assert walker.refs((1, "sam")) == (1, "s") and (1, "sam") not in walker._refs
    assert walker.refs((True,)) == (True,) and walker.refs((1,)) == (1,)


def test_a_finding_that_names_needs_loses_its_fix_and_its_neighbours_keep_theirs() -> None:
    """Findings of one rule, some naming someone's needs and some not, and fixes that
    name a hidden person: each is redacted as the plain way does it."""
    plan = load_plan(MINDS)
    privacy._MADE.clear()
    hide = privacy.redaction(plan)
    need = sorted(hide.needs)[0]
    report = review(plan, None, registry=all_rules())
    made = []
    for n, f in enumerate(report.findings[:6] * 2):
        message = f"{f.message}: {need}" if n % 3 == 0 else f"{f.message} with Sam"
        made.append(dataclasses.replace(f, message=message,
                                        fix=f.fix + (" Ask Sam." if n % 2 else "")))
    report.findings = made
    shared, _ = sharing.shared_plan(plan)
    quick = sharing.shared_report(report, shared, plan).findings
    assert quick == _plain_report(report, shared, plan).findings
    assert {f.fix for f in quick} > {""}


def test_words_said_many_times_are_redacted_as_each_rule_says_them() -> None:
    """A large plan's findings say the same few things many times over, and the report for
    others works out each rule's words once: the same message under a rule about someone's
    pay, a rule about needs and a plain rule must still come out as each rule has it."""
    plan = load_plan(MINDS)
    privacy._MADE.clear()
    report = review(plan, schedule(plan, today=date(2027, 9, 10)), registry=all_rules(),
                    today=date(2027, 9, 10))
    pay = next(f for f in report.findings if f.rule in sharing.ABOUT_SOMEONES_PAY)
    personal = next(r.id for r in report.rules if getattr(r, "personal", False))
    plain = next(f for f in report.findings if f.rule not in sharing.ABOUT_SOMEONES_PAY)
    made = []
    for f in (pay, plain) * 3:
        for rule in (f.rule, pay.rule, personal, plain.rule):
            made.append(dataclasses.replace(f, rule=rule, message=pay.message, fix=f.fix))
    report.findings = made
    shared, _ = sharing.shared_plan(plan)
    quick = sharing.shared_report(report, shared, plan).findings
    assert quick == _plain_report(report, shared, plan).findings
    assert len({f.message for f in quick}) == 3
