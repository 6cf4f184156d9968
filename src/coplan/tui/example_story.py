"""What a newcomer is told when the plan open is a copy of a bundled example.

The bundled examples tell a project part way through, and what coplan finds in them (the
MINDS drop-in's people not heard back from, its payments overdue) is part of the story they
tell, not a fault of the example or of coplan.  Opened by ``coplan demo``, the app says so in
the example's own words: the latest reflection it records by the day it is opened on, where
the team noticed what had gone wrong.  Nothing is hidden: every finding is still shown.
"""

from __future__ import annotations

from datetime import date

from coplan.model import Plan, ReflectionRecord

__all__ = ["story_line", "story_notice"]


def story_notice(plan: Plan, example: str, today: date) -> str:
    """The words that say where the example's findings come from."""
    words = (f"This is a copy of the bundled example '{example}', a project part way "
             f"through, seen as things stood on {today.day} {today:%B %Y} (the day coplan "
             "takes as today). What the Review tab finds in it is part of its story, not a "
             "fault of the example")
    latest = _latest(plan, today)
    if latest is not None and latest.date is not None:
        noticed = latest.noticed.strip()
        words += (f": its latest reflection ({latest.date:%d %b %Y}) says “{noticed}”"
                  + ("" if noticed.endswith((".", "!", "?")) else "."))
    else:
        words += "."
    return words + " Put the findings right to try coplan, or leave them."


def story_line(plan: Plan, example: str, today: date) -> str:
    """The same, in one short line for the Review tab, above the findings."""
    latest = _latest(plan, today)
    why = (f", as its reflection of {latest.date:%d %b %Y} says" if latest is not None
           and latest.date is not None else "")
    return (f"The example '{example}' is part way through: these findings are part of "
            f"its story{why}.")


def _latest(plan: Plan, today: date) -> ReflectionRecord | None:
    """The latest reflection by ``today`` that says what the team noticed."""
    said = [r for r in plan.reflections if r.date is not None and r.date <= today and r.noticed]
    return max(said, key=lambda r: r.date or today, default=None)
