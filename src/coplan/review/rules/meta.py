"""The protocol itself is co-produced: written, reviewed and signed off together."""

from __future__ import annotations

from collections.abc import Iterator

from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import table_subject

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


@RULES.rule("CP-META-001", "The protocol is written with people with lived experience",
            Severity.ERROR,
            why="A co-production protocol written without the people it is about is not "
                "co-produced.",
            fix="Name co-authors with lived experience in {protocol.coauthors}, or record a "
                "round of review with them and what changed ({protocol.review}).",
            sources=("nihr-coproduction", "four-pi"))
def coauthored(ctx: Context) -> Found:
    p = ctx.plan.protocol
    authors = ctx.plan.lived_among(p.coauthors)
    reviewed = any(ctx.plan.lived_among(r.who) and r.changes for r in p.reviews)
    if not authors and not reviewed:
        yield table_subject(ctx, "protocol"), "nobody with lived experience wrote or " \
            "reviewed the protocol"


@RULES.rule("CP-META-002", "People with lived experience signed off this version", Severity.WARNING,
            why="Joint ownership means the people involved agree the protocol, version by "
                "version.",
            fix="Record each sign-off of this version in {protocol.signoff}.",
            sources=("nihr-coproduction",))
def signed_off(ctx: Context) -> Found:
    p = ctx.plan.protocol
    current = [s for s in p.signoffs if not s.version or s.version == p.version]
    if not ctx.plan.lived_among(tuple(s.who for s in current)):
        yield table_subject(ctx, "protocol"), (
            f"nobody with lived experience has signed off version {p.version} of the protocol")


@RULES.rule("CP-META-003", "The protocol has a review date", Severity.WARNING,
            why="The protocol is a living document: it should be looked at again together.",
            fix="Set {protocol.next_review}.",
            sources=("scie", "ukspi"))
def review_date(ctx: Context) -> Found:
    if ctx.plan.protocol.next_review is None:
        yield table_subject(ctx, "protocol"), "the protocol has no date for its next review"


@RULES.rule("CP-META-004", "The protocol is reviewed by its date", Severity.WARNING,
            why="A review date is a promise to look at the protocol again together; once it "
                "has passed, the protocol may no longer say how the team works, and the "
                "people who signed it off have not been asked whether it still does.",
            fix="Review the protocol with the people involved, then set the next date in "
                "{protocol.next_review} and record the round and what changed in "
                "{protocol.review}.",
            sources=("scie", "ukspi"))
def reviewed_by_its_date(ctx: Context) -> Found:
    p, today = ctx.plan.protocol, ctx.today
    due = p.next_review
    if today is None or due is None or due >= today:
        return
    day = ctx.shared.day
    held = max((r.date for r in p.reviews if r.date is not None and due <= r.date <= today),
               default=None)
    status = f" ({p.status})" if p.status else ""
    said = (f"it was reviewed on {day(held)}, but the next review date was not moved on"
            if held is not None else "no review round is recorded since")
    yield table_subject(ctx, "protocol", "next_review"), (
        f"the protocol{status} was due to be reviewed on {day(due)}, which has passed: {said}")
