"""What coplan's own documents of the schedule read of the copy for others: each one's
declaration (``sharing.Reads``), so that it is given the narrow copy, which holds only
these fields (``sharing.narrowed``), rather than the whole copy of the plan.

Plain data and nothing else, so that declaring an exporter (``exporters.py``, read to
build the command line) imports nothing.  The schedule's own values (dates, buffers,
checkpoints, sessions' days and times) are not the plan's and are in every copy's
schedule: these are the plan's fields the documents read through it (a stage's title,
a session's touchpoint, a meeting's title).  ``tests/test_narrow_copy.py`` makes each
document from the whole copy and from the narrow one and holds them to the same bytes,
so a field read but not declared shows there.
"""

from __future__ import annotations

RECORD: dict[str, tuple[str, ...]] = {
    "Touchpoint": ("id", "records"),
    "SessionRecord": ("on", "session", "status"),
}
"""What the sessions as the delivery record says read (``recorded.as_recorded``, which
every export and ``coplan schedule`` run on the copy): each touchpoint's records, the
session each is of, what became of it and its day."""

TABLE: dict[str, tuple[str, ...]] = {
    "Plan": ("baseline", "project"),
    "Project": ("title",),
    "Baseline": ("finish", "stages"),
    "BaselineStage": ("finish", "stage"),
    "Stage": ("duration_days", "phase", "title"),
}
"""``coplan schedule``'s table (``scheduletable``): the project's title, each stage's
title, phase and length (and so whether it is a milestone), and the baseline's
finishes."""

SCHEDULE: dict[str, tuple[str, ...]] = {
    "Plan": ("baseline", "project"),
    "Project": ("title",),
    "Baseline": ("finish", "stages"),
    "BaselineStage": ("finish", "stage"),
    "Stage": ("after", "deadline", "duration_days", "id", "phase", "title"),
    "Dependency": ("stage",),
    "Touchpoint": ("format", "id", "ladder", "mode", "records", "title"),
    "SessionRecord": RECORD["SessionRecord"],
    "Meeting": ("id", "length_minutes", "time", "title"),
}
"""The schedule as data (``scheduledata``: ``coplan schedule --format json`` and
``csv``, ``coplan export csv``): the table's fields, each stage's id, links and
deadline, each session's touchpoint (its title, format, mode and rung, and its records,
``RECORD``), and each meeting's id, title, time and length."""
