"""Roles: who holds what role, agreed with them, and whether anyone shares power."""

from __future__ import annotations

from collections.abc import Iterator

from coplan.model import Stage
from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import (
    involved_lived,
    involving,
    named,
    person_subject,
    touchpoint_subject,
    tp_name,
)

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


@RULES.stage_rule("CP-ROL-001", "Everyone taking part has a role", Severity.ERROR,
            why="The Involvement Matrix asks, for every activity, what role people hold: "
                "listener, co-thinker, advisor, partner or decision-maker.",
            fix="Choose {stage.touchpoint.role}.",
            sources=("involvement-matrix",))
def role_recorded(ctx: Context, stage: Stage) -> Found:
    for tp in stage.touchpoints:
        if not tp.role and ctx.plan.lived_among(tp.who):
            yield touchpoint_subject(tp), f"{tp_name(ctx.plan, tp)} does not say what role " \
                "people hold"


@RULES.rule("CP-ROL-002", "Roles are agreed with the people who hold them", Severity.WARNING,
            why="Roles should be talked through and agreed with each person, not set for them.",
            fix="Record when the role was agreed with them: {person.role_agreed}.",
            sources=("involvement-matrix", "nihr-coproduction"), undated=True)
def role_agreed(ctx: Context) -> Found:
    for person in involved_lived(ctx.plan):
        if person.role_agreed is None:
            yield person_subject(person), f"{named(person)}'s role has not been agreed with them"


@RULES.rule("CP-ROL-003", "Roles are written down with the time they take", Severity.WARNING,
            why="People need to know what they are signing up to: what the role is, and how much "
                "time it takes.",
            fix="Describe the role briefly in {person.role}, and what it asks in "
                "{person.time_commitment}.",
            sources=("nihr-coproduction",), undated=True)
def role_described(ctx: Context) -> Found:
    for person in involved_lived(ctx.plan):
        missing = [k for k, v in (("role description", person.role),
                                  ("time commitment", person.time_commitment)) if not v]
        if missing:
            yield person_subject(person), f"{named(person)} has no written " \
                f"{' or '.join(missing)}"


@RULES.rule("CP-ROL-004", "Groups have terms of reference", Severity.WARNING,
            why="A standing group needs agreed terms of reference: its purpose, who is in it, "
                "how it decides.",
            fix="Write {meeting.terms_of_reference}.",
            sources=("nihr-coproduction",), undated=True)
def terms_of_reference(ctx: Context) -> Found:
    for meeting in ctx.plan.meetings:
        if not meeting.terms_of_reference:
            yield Subject("meeting", meeting.id, "", meeting.line), \
                f"the {meeting.title} has no terms of reference"


@RULES.rule("CP-ROL-005", "People with lived experience share decisions somewhere",
            Severity.WARNING, strict=Severity.ERROR,
            why="Co-production means sharing power: somewhere in the project, people with lived "
                "experience are partners or decision-makers.",
            fix="Make people with lived experience partners or decision-makers "
                "({stage.touchpoint.role}) in at least one touchpoint.",
            sources=("involvement-matrix", "nihr-coproduction"), undated=True)
def shares_power(ctx: Context) -> Found:
    tps = involving(ctx)
    if tps and not any(t.role in ("partner", "decision-maker") for t in tps):
        yield ctx.project(), "nobody with lived experience is a partner or decision-maker " \
            "at any stage"
