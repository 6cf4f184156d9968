"""Reading the short lengths people write in plans: ``"3d"``, ``"2w"``, ``"90m"``, ``"25%"``.

Two kinds of length appear in a plan and they must not be confused:

* **work lengths** count working days: ``d`` is a working day and ``w`` a working week (as
  many working days as the plan's week has, five by default).  ``"0d"`` makes a milestone.
* **clock lengths** say how long a session lasts: ``h`` hours and ``m`` minutes
  (``"2h"``, ``"90m"``, ``"1h30m"``).

Buffers may also be a share of a stage (``"25%"``) or, for the project buffer, ``"rss"``.
"""

from __future__ import annotations

import re

from coplan.records import dataclass

_WORK = re.compile(r"^\s*(\d+)\s*([dw])\s*$", re.IGNORECASE)
_CLOCK = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*$", re.IGNORECASE)
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
_OFFSET = re.compile(r"^\s*([+-])\s*(\d+)\s*([dw])\s*$", re.IGNORECASE)


class DurationError(ValueError):
    """A length could not be read: ``said`` what is wrong, ``hint`` how to write it (the
    message is both, for anything that shows one line)."""

    def __init__(self, said: str, hint: str = "") -> None:
        super().__init__(f"{said}; {hint}" if hint else said)
        self.said = said
        self.hint = hint


@dataclass(frozen=True, slots=True)
class WorkLength:
    """A length in working time, before the plan's week length is known."""

    amount: int
    unit: str  # "d" or "w"

    def days(self, days_per_week: int) -> int:
        return self.amount * (days_per_week if self.unit == "w" else 1)

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


@dataclass(frozen=True, slots=True)
class Share:
    """A share of something, such as ``25%`` of a stage's length."""

    percent: float

    def of(self, days: int) -> int:
        """The share of ``days``, rounded up to whole working days (a started day counts)."""
        if days <= 0 or self.percent <= 0:
            return 0
        hundredths = round(self.percent * 100)
        return -(-days * hundredths // 10000)

    def __str__(self) -> str:
        return f"{self.percent:g}%"


@dataclass(frozen=True, slots=True)
class RootSumSquare:
    """The project buffer sized as critical chain planning does: the square root of the
    sum of the squares of the stage buffers on the critical chain."""

    def __str__(self) -> str:
        return "rss"


Buffer = WorkLength | Share | RootSumSquare


def parse_work(text: str) -> WorkLength:
    """``"3d"`` or ``"2w"``: whole working days or weeks."""
    match = _WORK.match(text) if isinstance(text, str) else None
    if not match:
        raise DurationError(
            f"'{text}' is not a length in working time", "write a whole number with d "
            "(working days) or w (working weeks), such as \"3d\" or \"2w\""
        )
    return WorkLength(int(match.group(1)), match.group(2).lower())


def parse_clock(text: str) -> int:
    """``"2h"``, ``"90m"`` or ``"1h30m"``: minutes of clock time, more than zero."""
    match = _CLOCK.match(text) if isinstance(text, str) else None
    if not match or not (match.group(1) or match.group(2)):
        raise DurationError(
            f"'{text}' is not a session length", "write hours and minutes such as "
            "\"2h\", \"90m\" or \"1h30m\""
        )
    minutes = int(match.group(1) or 0) * 60 + int(match.group(2) or 0)
    if minutes <= 0:
        raise DurationError(f"'{text}' is no time at all: a session needs a length",
                            "write how long it lasts, such as \"2h\"")
    if minutes > 24 * 60:
        raise DurationError(f"'{text}' is longer than a day",
                            "split it into several sessions")
    return minutes


def parse_buffer(text: str, *, allow_rss: bool = False) -> Buffer:
    """A buffer: a share (``"25%"``), a work length (``"3d"``), or ``"rss"`` where allowed."""
    if isinstance(text, str):
        if allow_rss and text.strip().lower() == "rss":
            return RootSumSquare()
        match = _PERCENT.match(text)
        if match:
            percent = float(match.group(1))
            if percent > 500:
                raise DurationError(f"'{text}' is more than five times the stage",
                                    "check the number: is it a typo?")
            return Share(percent)
        if _WORK.match(text):
            return parse_work(text)
    options = '"25%", "3d", "1w"' + (' or "rss"' if allow_rss else "")
    raise DurationError(f"'{text}' is not a buffer size", f"write one such as {options}")


def parse_offset(text: str) -> tuple[int, WorkLength]:
    """``"+1w"`` or ``"-2d"``: a signed offset in working time (sign is +1 or -1)."""
    match = _OFFSET.match(text) if isinstance(text, str) else None
    if not match:
        raise DurationError(
            f"'{text}' is not an offset",
            "write + or - then a length, such as \"+1w\" or \"-2d\""
        )
    sign = 1 if match.group(1) == "+" else -1
    return sign, WorkLength(int(match.group(2)), match.group(3).lower())


def format_minutes(minutes: int) -> str:
    """90 -> ``"1h30m"``; 120 -> ``"2h"``; 45 -> ``"45m"``."""
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours}h{mins:02d}m"
    return f"{hours}h" if hours else f"{mins}m"


def plain_minutes(minutes: int) -> str:
    """90 -> ``"1 hour 30 minutes"``, for people rather than files."""
    hours, mins = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours != 1 else ""))
    if mins:
        parts.append(f"{mins} minute" + ("s" if mins != 1 else ""))
    return " ".join(parts) or "no time"


def plain_days(days: int) -> str:
    """3 -> ``"3 working days"``."""
    return f"{days:,} working day" + ("s" if days not in (1, -1) else "")


def calendar_days(days: int) -> str:
    """9 -> ``"9 calendar days"``: the days between two dates, weekends and holidays
    included.  Every length a person reads says which kind of day it counts, since a
    working length (``plain_days``) is often shown beside it."""
    return f"{days:,} calendar day" + ("s" if days not in (1, -1) else "")
