"""Accessibility: needs asked, needs met, papers in good time, online with a way round."""

from __future__ import annotations

from collections.abc import Iterator

from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import (
    involved_lived,
    person_subject,
    touchpoint_subject,
    tp_name,
)
from coplan.vocab import ACCESS, MODE

Found = Iterator[tuple[Subject, str]]

# Formats where people meet and papers go out beforehand.
_MEETINGS = {"workshop", "focus-group", "advisory-group", "steering-group",
             "co-design-session", "co-analysis-session", "co-writing-session",
             "priority-setting", "panel", "citizens-jury", "interview-panel",
             "ethics-committee", "teaching-session", "training"}

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


@RULES.rule("CP-ACC-001", "Everyone is asked about access needs", Severity.ERROR,
            why="Accessibility is a precondition of co-production: people can only take part "
                "fully if they have been asked what they need. \"None\" is a fine answer.",
            fix="Ask, then record the answer: 'needs' and 'needs_asked = <date>' on the person.",
            sources=("scie", "shaping-our-lives"))
def needs_asked(ctx: Context) -> Found:
    for person in involved_lived(ctx.plan):
        if not person.needs_asked and not person.needs:
            yield person_subject(person), f"{person.id} has not been asked about access needs"


@RULES.rule("CP-ACC-002", "Every access need is met where the person takes part", Severity.ERROR,
            why="A need that is known but not met keeps someone out as surely as not asking.",
            fix="Add the matching measure to the touchpoint's 'access' list.",
            sources=("scie", "ukspi"))
def needs_met(ctx: Context) -> Found:
    for tp in ctx.plan.touchpoints:
        for pid in tp.who:
            person = ctx.plan.person(pid)
            if person is None:
                continue
            for need in person.needs:
                if need not in tp.access:
                    yield touchpoint_subject(tp, "access"), (
                        f"{tp_name(ctx.plan, tp)} does not provide "
                        f"'{ACCESS.label(need) if need in ACCESS else need}', which {pid} needs")


@RULES.rule("CP-ACC-003", "Papers go out in good time", Severity.WARNING,
            why="People need time to read, think and ask before a meeting; a week is a common "
                "minimum, and some people need longer.",
            fix="Set 'papers_ahead' on the touchpoint (such as \"1w\"), no shorter than anyone "
                "attending needs.",
            sources=("ukspi",))
def papers_ahead(ctx: Context) -> Found:
    floor = ctx.plan.review.papers_ahead_days
    for tp in ctx.plan.touchpoints:
        needed = floor
        for pid in tp.who:
            person = ctx.plan.person(pid)
            if person and person.papers_ahead_days:
                needed = max(needed, person.papers_ahead_days)
        if tp.papers_ahead_days is None:
            if tp.format in _MEETINGS:
                yield touchpoint_subject(tp), f"{tp_name(ctx.plan, tp)} does not say when " \
                    "papers go out"
        elif tp.papers_ahead_days < needed:
            yield touchpoint_subject(tp, "papers_ahead"), (
                f"papers for {tp_name(ctx.plan, tp)} go out {tp.papers_ahead_days} working "
                f"days ahead; {needed} are needed")


@RULES.rule("CP-ACC-004", "Online sessions have support or an offline alternative",
            Severity.WARNING,
            why="Online-only involvement excludes people without devices, data or confidence "
                "online.",
            fix="Add 'digital-support' or 'non-digital-alternative' to the touchpoint's 'access'.",
            sources=("ukspi",))
def online_alternative(ctx: Context) -> Found:
    for tp in ctx.plan.touchpoints:
        term = MODE.get(tp.mode)
        if term and term.extra.get("online") and not (
                {"digital-support", "non-digital-alternative"} & set(tp.access)):
            yield touchpoint_subject(tp, "mode"), (
                f"{tp_name(ctx.plan, tp)} is online with no help getting online and no other "
                "way to take part")
