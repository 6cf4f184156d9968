"""Agreement to share: a reflection marked to share speaks for those who took part in it.

A reflection's ``share = true`` records that the people who took part agreed that what was
noticed and changed may go in reports for others.  Its words can talk about someone else
("X came despite her treatment"), whose agreement nobody asked: the copy for others leaves
such a reflection out (``sharing``), and this rule says so to the team, with the line, so
that they can ask the person or rewrite it.
"""

from __future__ import annotations

from collections.abc import Iterator

from coplan.privacy import named_without_agreeing, people_named
from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.words import count, listed

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


@RULES.rule("CP-PRI-004", "A reflection marked to share names only people who took part",
            Severity.WARNING,
            why="Marking a reflection to share records that the people who took part "
                "agreed. Someone else it talks about was not asked, and reports for others "
                "can give them away even with their name hidden (their role, the day). "
                "Such a reflection is left out of everything shared until it is put right.",
            fix="Rewrite {reflection.noticed} (and what was changed) without them, or, if "
                "they agreed, add them to {reflection.who}.",
            sources=("hra",), undated=True)
def reflection_names_others(ctx: Context) -> Found:
    plan = ctx.plan
    names = {p.id: p.name or p.id for p in plan.people}
    for n, note in enumerate(plan.reflections, start=1):
        if not note.share:
            continue
        others = named_without_agreeing(plan, note)
        if not others:
            continue
        key = "noticed" if set(others) & people_named(plan, note.noticed) else "changed"
        # (by its date, as the reflection log shows it; its place in the file only when
        # it has none)
        dated = f" of {ctx.shared.day(note.date)}" if note.date else f" number {n}"
        who = listed([names[o] for o in others])
        verb = "is" if len(others) == 1 else "are"
        took_part = count(len(note.who), "person")
        yield Subject("project", "reflection", "", note.line_of(key) or note.line), (
            f"the reflection{dated} is marked to share but names {who}, who {verb} not "
            f"among the {took_part} who took part; it is left out of reports for others")
