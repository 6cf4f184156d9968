"""Ids people and tools can tell apart: two ids that differ only in capital letters.

coplan compares ids exactly, so ``Co-design`` and ``co-design`` are two stages to it.  But
the places the plan goes treat them as one: a calendar that files events by UID without
regard to case, a file system that does not tell ``Co-design.ics`` from ``co-design.ics``,
a spreadsheet's lookup, and people reading a list aloud.  The plan may still hold such a
pair (refusing it would stop a plan that reads today), so the review warns, and the app
refuses to make one (``edit.PlanDocument.rename``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import person_subject, stage_subject, touchpoint_subject

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


def same_but_for_case(ids: Iterable[str]) -> dict[int, str]:
    """For each id (by its place in ``ids``) that differs from an earlier one only in
    capital letters, that earlier id; an id written twice exactly is not one of them
    (reading the plan refuses that already)."""
    ids = list(ids)
    if _all_folded(ids):  # (the usual case, found at C speed: no id has a capital)
        return {}
    first: dict[str, str] = {}
    out: dict[int, str] = {}
    for i, ident in enumerate(ids):
        if not ident:
            continue
        folded = ident.casefold()
        earlier = first.setdefault(folded, ident)
        if earlier != ident:
            out[i] = earlier
    return out


def _all_folded(ids: Iterable[str]) -> bool:
    """Whether no id has a letter that folds to another (so no two can differ only in
    capitals)."""
    joined = "\x00".join(ids)
    return joined == joined.casefold()


@RULES.rule("CP-ID-001", "Ids differ by more than capital letters", Severity.WARNING,
            why="coplan takes two ids that differ only in capital letters (Co-design and "
                "co-design) as two, but calendars, file names, spreadsheets and people take "
                "them as one: a calendar may put one stage's events in the other's place, "
                "and an export may write one file over the other.",
            fix="Rename one of the two so that they differ by more than capital letters "
                "(in the app, its 'Short id': every place the plan names it follows).",
            undated=True)
def ids_apart(ctx: Context) -> Found:
    plan = ctx.plan
    stages = plan.stages
    for i, earlier in same_but_for_case(s.id for s in stages).items():
        yield stage_subject(stages[i]), (
            f"stage '{stages[i].id}' and stage '{earlier}' differ only in capital letters")
    tps = [tp for s in stages for tp in s.touchpoints]
    for i, earlier in same_but_for_case(tp.id for tp in tps).items():
        yield touchpoint_subject(tps[i], "id"), (
            f"touchpoint '{tps[i].id}' and touchpoint '{earlier}' differ only in "
            "capital letters")
    for stage in stages if not _all_folded(d.id for s in stages for d in s.decisions) else ():
        decisions = stage.decisions
        for i, earlier in same_but_for_case(d.id for d in decisions).items():
            yield Subject("stage", stage.id, stage.id, decisions[i].line_of("id")), (
                f"decision '{decisions[i].id}' and decision '{earlier}' of stage "
                f"'{stage.id}' differ only in capital letters")
    people = plan.people
    for i, earlier in same_but_for_case(p.id for p in people).items():
        yield person_subject(people[i], "id"), (
            f"person '{people[i].id}' and person '{earlier}' differ only in capital letters")
    meetings = plan.meetings
    for i, earlier in same_but_for_case(m.id for m in meetings).items():
        yield Subject("meeting", meetings[i].id, "", meetings[i].line_of("id")), (
            f"meeting '{meetings[i].id}' and meeting '{earlier}' differ only in capital "
            "letters")
