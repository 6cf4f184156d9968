"""The protocol itself is co-produced: written, reviewed and signed off together."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from typing import Any

from coplan.model import Plan
from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import (
    MANY_AHEAD,
    delivery_status,
    later_day_advice,
    named,
    person_subject,
    table_subject,
)
from coplan.words import count, listed

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


@RULES.rule("CP-META-005", "A protocol marked agreed is signed off by its co-authors",
            Severity.WARNING,
            why="'Agreed' tells a funder or an ethics committee that the people with lived "
                "experience who wrote the protocol stand behind it. While one of them has not "
                "signed off this version, it is a draft, whatever its status says (what is "
                "still a placeholder, CP-AGR-001 finds).",
            fix="Set {protocol.status} to \"draft\" until each co-author has signed off "
                "this version, then record their sign-offs in {protocol.signoff}.",
            sources=("nihr-coproduction", "ukspi"))
def agreed_means_agreed(ctx: Context) -> Found:
    p = ctx.plan.protocol
    if p.status.strip().lower() != "agreed":
        return
    signed = {s.who for s in p.signoffs
              if (not s.version or s.version == p.version) and
              (s.date is None or ctx.today is None or s.date <= ctx.today)}
    # (where nobody with lived experience signed this version, CP-META-002 says so)
    unsigned = [x for x in ctx.plan.lived_among(p.coauthors) if x.id not in signed] \
        if ctx.plan.lived_among(tuple(sorted(signed))) else []
    if unsigned:
        names = [named(x) for x in unsigned]
        yield table_subject(ctx, "protocol", "status"), (
            f"the protocol is marked agreed, but {listed(names)} "
            f"{'has' if len(names) == 1 else 'have'} not signed off version {p.version}, "
            f"which {'they' if len(names) == 1 else 'they each'} co-wrote")


DONE_AHEAD = MANY_AHEAD
"""From this many things recorded as done on a day after today, CP-META-006 says the plan
is told from a later day in one finding, as CP-DEL-011 does for the record."""


@RULES.rule("CP-META-006", "What the plan says was agreed or done is not dated ahead",
            Severity.WARNING,
            why="A sign-off, a role agreed, needs asked about or a policy agreed on a day still "
                "to come has not happened: the plan tells its readers that people were asked "
                "and agreed when they have not been yet.",
            fix="Check the date (a typing slip, such as the wrong year, is the usual cause); if "
                "it is planned, not done, leave the date out until it has happened.",
            sources=("nihr-coproduction",))
def nothing_done_ahead(ctx: Context) -> Found:
    today = ctx.today
    if today is None:
        return
    plan, marked = ctx.plan, ctx.plan.marked
    ahead: list[tuple[date, Subject, str]] = []

    def note(when: object, subject: Callable[[], Subject], what: str) -> None:
        # (a subject is made only for a date ahead: finding a key's line reads the item's
        # lines, which most of a plan's items never need)
        if isinstance(when, date) and when > today:
            found = subject()
            if found.line not in marked:
                ahead.append((when, found, what))

    p = plan.protocol
    for s in p.signoffs:
        note(s.date, partial(_dated, "protocol", s),
             f"a sign-off of version {s.version or p.version} of the protocol")
    for r in p.reviews:
        note(r.date, partial(_dated, "protocol", r),
             "a review round of the protocol")
    for person in plan.people:
        note(person.role_agreed, partial(person_subject, person, "role_agreed"),
             f"{named(person)}'s role, as agreed with them,")
        note(person.needs_asked, partial(person_subject, person, "needs_asked"),
             f"asking {named(person)} what they need")
    note(plan.payment.agreed, partial(table_subject, ctx, "payment", "agreed"),
         "the payment policy, as agreed,")
    for entry in plan.log:
        note(entry.date, partial(_dated, "", entry),
             "a decision in the decision log")
    # (the record, reflections and the impact log included, is CP-DEL-011's)
    day = ctx.shared.day
    if len(ahead) >= DONE_AHEAD:
        first = min(ahead, key=lambda a: (a[0], a[1].line))
        last = max(a[0] for a in ahead)
        # (the day the record runs to too, where it runs ahead as well: CP-DEL-011 then
        # names that day, and one --today should answer both findings)
        record = delivery_status(ctx)
        if record is not None and len(record.later) >= MANY_AHEAD:
            last = max(last, max(item.day for item in record.later))
        yield first[1], (
            f"{count(len(ahead), 'thing')} the plan records as agreed or done are dated "
            f"after today ({day(today)}), from {day(first[0])} to "
            f"{day(max(a[0] for a in ahead))}. "
            + later_day_advice("plan", last, first[2], first[0], day))
        return
    for when, subject, what in sorted(ahead, key=lambda a: a[1].line):
        yield subject, f"{what} is dated {day(when)}, after today ({day(today)})"


def _dated(table: str, item: Any) -> Subject:
    """A finding about an entry's date, at its line (an entry of the protocol's, or of
    the decision log for ``table`` "")."""
    return Subject("project", table, "", item.line_of("date") or item.line)



def _left_out_keys() -> tuple[str, ...]:
    """The keys CP-META-007's findings may be about, each once: where the app leads."""
    from coplan.protocol_gaps import QUESTIONS

    return tuple(dict.fromkeys(q.key for q in QUESTIONS if not q.found_by))


@RULES.rule("CP-META-007", "The protocol answers what it asks", Severity.WARNING,
            agreed=Severity.ERROR,
            why="The protocol shows every question the plan leaves out (its principles, its "
                "risks, how it was written together, ...) as an open gap, counted at the top. "
                "A draft may still have some, and passes the check with them as warnings; a "
                "protocol marked agreed tells a funder or an ethics committee that the team "
                "has agreed all of it, so there each gap is an error (what is written but not "
                "yet agreed, CP-AGR-001 finds, in the same way).",
            fix="Agree the answer together and write it where the finding says; until then, "
                "set 'Status' (Protocol) to \"draft\".",
            sources=("nihr-coproduction", "ukspi"), undated=True, leads=_left_out_keys())
def protocol_answers(ctx: Context) -> Found:
    from coplan.protocol_gaps import left_out
    from coplan.schema import field_words

    plan = ctx.plan
    status = plan.protocol.status.strip()
    agreed = status.lower() == "agreed"
    for q in left_out(plan):
        table, _, key = q.key.partition(".")
        item = getattr(plan, table)
        # (about the key itself: the app leads to it, and accepting one finding accepts
        # only that one)
        subject = Subject("project", q.key, "", item.line_of(key) or item.line
                          or plan.project.line)
        where = field_words(Plan, q.key)
        if agreed:
            yield subject, (f"the protocol is marked agreed, but it does not say {q.topic} "
                            f"(write it in {where})")
        else:
            said = f" ({status})" if status else ""
            yield subject, (f"the protocol{said} does not say yet {q.topic} (write it in "
                            f"{where}): it shows this as a gap to agree together")
