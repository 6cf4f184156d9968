"""The day coplan takes as today, and the moment of an export: one rule for every command.

A running project is scheduled from what actually happened (stages' ``started`` and
``finished``) as of a day, so every command that dates the plan, and the app, must agree on
that day or they show different finishes for the same file.  It is ``--today`` where a
command was given one; else the date of ``SOURCE_DATE_EPOCH`` where that is set (the
reproducible-builds convention: a build, a CI job or a test suite gives the same output on
any day); else the computer's clock.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


def moment_from_environment() -> datetime | None:
    """``SOURCE_DATE_EPOCH`` as a moment, or None (meaning: now) where it is not set or is
    not a moment this computer can hold (words, or a number of seconds past the year 9999),
    as with any other unusable value."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def today(given: date | None = None) -> date:
    """``given`` if there is one; else ``SOURCE_DATE_EPOCH``'s date; else the clock's."""
    if given is not None:
        return given
    moment = moment_from_environment()
    return moment.date() if moment is not None else date.today()
