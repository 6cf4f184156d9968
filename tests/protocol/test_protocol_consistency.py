"""The protocol's own sentences never contradict the plan.

Every example and template is rendered (standard and plain language) with each setting its
boilerplate depends on flipped: everyone paid or nobody paid, expenses covered or not, one
recruitment route or several, feedback after every touchpoint or not, reflection at each
phase or none, a named contact or none, everyone named or nobody.  Each flip lists the
sentences that would contradict it; none may appear.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from protocol_support import PLANS

from coplan.export.protocol.build import build_protocol
from coplan.export.protocol.render_text import render
from coplan.model import Plan
from coplan.planfile import load_plan
from coplan.schedule import schedule

PRODUCED = date(2027, 1, 4)


def _people(plan: Plan, **changes: object) -> Plan:
    people = tuple(replace(p, **changes) if p.lived else p for p in plan.people)  # type: ignore[arg-type]
    return _with(plan, people=people)


def _with(plan: Plan, **changes: object) -> Plan:
    fields = {name: getattr(plan, name) for name in (
        "project", "people", "stages", "meetings", "governance", "support", "payment",
        "recruitment", "communication", "evaluation", "budget", "protocol", "log", "review",
        "reflections", "impact", "paid", "baseline")}
    fields.update(changes)
    out = Plan(**fields)  # type: ignore[arg-type]
    out.path = plan.path
    return out


def volunteers(plan: Plan) -> Plan:
    plan = _people(plan, payment="not-offered", payment_reason="They chose to volunteer.")
    return _with(plan, payment=replace(plan.payment, standard="not-offered",
                                       payment_reason="Everyone chose to volunteer."))


def everyone_paid(plan: Plan) -> Plan:
    plan = _people(plan, payment="hourly")
    return _with(plan, payment=replace(plan.payment, standard="hourly"))


def no_expenses(plan: Plan) -> Plan:
    return _with(plan, payment=replace(plan.payment, expenses=()))


def one_route(plan: Plan) -> Plan:
    routes = plan.recruitment.routes[:1] or ("Our peer support network",)
    return _with(plan, recruitment=replace(plan.recruitment, routes=routes))


def one_without_feedback(plan: Plan) -> Plan:
    stages = list(plan.stages)
    for i, stage in enumerate(stages):
        tps = list(stage.touchpoints)
        for j, tp in enumerate(tps):
            if plan.lived_in(tp.who):
                tps[j] = replace(tp, feedback="")
                stages[i] = replace(stage, touchpoints=tuple(tps))
                return _with(plan, stages=tuple(stages))
    return plan


def no_reflection(plan: Plan) -> Plan:
    project = plan.project
    return _with(plan, project=replace(project, reflection=replace(
        project.reflection, enabled=False, after_each_phase=False)))


def no_contact(plan: Plan) -> Plan:
    return _with(plan, support=replace(plan.support, contact=""))


def all_named(plan: Plan) -> Plan:
    """Everyone agreed to be named, and to be credited by name (``credit`` only narrows
    ``share_name``: "initials" or "anonymous" keeps a shared name from others)."""
    return _with(plan, people=tuple(replace(p, share_name=True, credit="named")
                                    for p in plan.people))


def none_named(plan: Plan) -> Plan:
    return _with(plan, people=tuple(replace(p, share_name=False) for p in plan.people))


def participants(plan: Plan) -> Plan:
    """No ethics review, and one person with lived experience who is really interviewed."""
    people = list(plan.people)
    for i, p in enumerate(people):
        if p.lived:
            people[i] = replace(p, role="Research participant: interviewed about discharge")
            break
    plan = _with(plan, people=tuple(people))
    return _with(plan, project=replace(plan.project, ethics_review=False))


# Each flip, and the sentences that would contradict the plan it makes.
FLIPS: dict[str, tuple[Callable[[Plan], Plan], tuple[str, ...]]] = {
    "volunteers": (volunteers, (r"are paid for their time", r"paid fairly",
                                r"chooses whether to be paid", r"decline fees")),
    "everyone-paid": (everyone_paid, (r"not paid fees", r"not paid for their time")),
    "no-expenses": (no_expenses, (r"nobody is out of pocket", r"Nobody pays for anything",
                                  r"still have their expenses paid", r"we still pay your costs")),
    "one-route": (one_route, (r"several routes", r"more than one way")),
    "feedback-missing": (one_without_feedback, (r"After every touchpoint",
                                                r"After each session we tell")),
    "no-reflection": (no_reflection, (r"checkpoints at the end of each phase",
                                      r"when each part of the project ends")),
    "no-contact": (no_contact, (r"kept by the named contact",)),
    "all-named": (all_named, (r"others appear by their initials",
                              r"Otherwise we use their initials")),
    "participants": (participants, (r"not research participants", r"They are not being "
                                    r"studied")),
    "none-named": (none_named, (r"Everyone here agreed to be named",
                                r"Everyone here said yes to using their name")),
}


def _team_words(plan: Plan) -> list[str]:
    """Everything the team wrote, longest first: their words are theirs to keep, and the
    test is about coplan's own sentences."""
    from coplan.agreed import declared_values, placeholder

    found = set()
    for _, _, _, value, spec in declared_values(plan, ()):
        if spec is None or not isinstance(value, str) or len(value) <= 12:
            continue
        marked = placeholder(value)
        for words in (value, marked[1] if marked else ""):
            if len(words) > 12:
                found.add(" ".join(words.split()).rstrip("."))
    return sorted(found, key=len, reverse=True)


def _text(plan: Plan, plain: bool, *, theirs: bool = False) -> str:
    # As the exporter builds it: from the copy made for its audience, the plan itself
    # beside it (a copy stands a hidden name in for its initials, and its sentences about
    # who agreed to what must still say what the plan says)
    # and its review of the plan itself, told as the audience may read it)
    from coplan.review.rules import builtin_rules
    from coplan.review.runner import review
    from coplan.sharing import for_audience, shared_report

    sched = schedule(plan)
    shared, shared_schedule = for_audience(plan, sched, "team")
    report = shared_report(review(plan, sched, registry=builtin_rules()), shared, plan)
    doc = build_protocol(shared, shared_schedule, report, plain=plain, produced=PRODUCED,
                         source=plan)
    # The review appendix quotes findings, which may name the very thing that is missing.
    doc.sections = [s for s in doc.sections if s.id != "appendix-check"]
    text = " ".join(render(doc, "md").split())
    if theirs:
        return text
    for words in _team_words(plan):
        for form in (words, words[:1].lower() + words[1:], words[:1].upper() + words[1:]):
            text = text.replace(form, " ")
    return text


@pytest.mark.parametrize("flip", sorted(FLIPS))
@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_no_sentence_contradicts_the_plan(path: Path, flip: str) -> None:
    change, contradictions = FLIPS[flip]
    plan = change(load_plan(path))
    for plain in (False, True):
        text = _text(plan, plain)
        for pattern in contradictions:
            assert not re.search(pattern, text), (flip, plain, pattern)


def test_volunteers_are_told_so_with_the_reason() -> None:
    plan = volunteers(load_plan(PLANS[0]))
    text = _text(plan, False, theirs=True)
    assert "people with lived experience are not paid fees for their time in this project " \
           "(everyone chose to volunteer)" in text


def test_the_flips_change_what_the_protocol_says() -> None:
    """Each flip's sentences do appear for the opposite setting, so the test can fail."""
    plan = load_plan(next(p for p in PLANS if p.stem == "minds-discharge"))
    opposite = {"volunteers": everyone_paid, "everyone-paid": volunteers,
                "no-expenses": lambda p: p, "one-route": lambda p: p,
                "feedback-missing": lambda p: p, "no-reflection": lambda p: p,
                "no-contact": lambda p: p, "all-named": none_named, "none-named": all_named,
                "participants": lambda p: _with(p, project=replace(p.project,
                                                                   ethics_review=False))}
    for flip, (_, contradictions) in FLIPS.items():
        text = _text(opposite[flip](plan), False) + " " + _text(opposite[flip](plan), True)
        assert any(re.search(p, text) for p in contradictions), flip


def test_circumstances_and_venue_findings_stay_private_in_the_protocol() -> None:
    text = (Path(PLANS[0]).read_text(encoding="utf-8")
            .replace('needs_asked = 2026-11-16\npapers_ahead = "2w"',
                     'needs_asked = 2026-11-16\npapers_ahead = "2w"\n'
                     'circumstances = ["mornings-hard"]')
            .replace('where = "Trust research office, ground floor meeting room"',
                     'where = "Trust research office, 3rd floor, no lift"'))
    from coplan.planfile import parse_plan

    plan = parse_plan(text, "plan.toml")
    md = " ".join(render(build_protocol(plan, schedule(plan), produced=PRODUCED), "md").split())
    assert "Times suit the people who come: not yet for everyone" in md
    assert "The place suits the people who come: not yet for everyone" in md
    assert "mornings are hard" not in md and "needs step-free access" not in md
