"""The JSON Schema and ``coplan validate`` judge a value alike.

An editor marks a value by the schema (``coplan schema``); coplan judges it by the kinds in
``schema.py``.  Where the two disagree a person is told a valid plan is wrong, or sees no
mark until coplan refuses the value (an id with a no-break space after it; "99999999w").
So, for every kind whose verdict the schema can say, generated values are judged both
ways and must be judged alike.

Where they cannot be compared, and why:
- the week: ``"600w"`` is within reach in a week of one working day and not in one of
  five, and the schema does not know the plan's week.  It bounds weeks as the longest
  week allows, so the verdicts are compared in a one-day week, and in a five-day week the
  schema never refuses what coplan takes;
- texts (a title, a name, an entry of a list): coplan also refuses bank details, which a
  pattern cannot say, so values with six digits close together are not compared; and the
  schema's ``maxLength`` counts the spaces around a text too (no value here is so long);
- dates and times of day: a TOML date or time reaches a checker as text, with its
  seconds (``"10:00:00"``), unlike one written in quotes;
- digits other than 0 to 9 (``"٣d"``): the values here are made of ASCII.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coplan import vocab
from coplan.schema import (
    _DIGIT_RUN,
    BAD,
    Amount,
    BufferLength,
    Choice,
    Choices,
    Clock,
    Id,
    Kind,
    Percent,
    PersonRefs,
    Reader,
    Sessions,
    Text,
    Weeks,
    WholeNumber,
    Work,
)

KINDS: dict[str, Kind] = {
    "id": Id(), "work": Work(), "weeks": Weeks(), "buffer": BufferLength(),
    "buffer or rss": BufferLength(allow_rss=True), "clock": Clock(), "percent": Percent(),
    "percent to 400": Percent(most=400), "amount": Amount(),
    "whole number": WholeNumber(minimum=1), "ladder word": Choice(vocab.LADDER),
    "access needs": Choices(vocab.ACCESS), "person ids": PersonRefs(), "title": Text(),
    "long text": Text(multiline=True), "text with words": Text(required_words=True),
}

# What values are made of: digits, units, signs, spaces of several kinds, letters.
PIECES = st.sampled_from([
    *"0123456789", "0", "00", "9", "99999999", "2600", "2601", "520", "52", "53", "500",
    "d", "D", "w", "W", "h", "H", "m", "M", "min", "MIN", "%", ".", "+", "-", "_", ":",
    " ", "\u00a0", "\t", "\n", "\u2003", "\x00", "\x1f", "\u2028", "\u202e", "\r\n",
    "rss", "RSS", "other:", "Other: ", "co", "design",
    "co-design", "Co_Design", "informing", "large-print", "large print", "a", "Z", "é",
    "x" * 63, "é" * 3, "sam", "id.1",
])
TEXTS = st.lists(PIECES, max_size=6).map("".join)
SCALARS = st.one_of(TEXTS, st.integers(min_value=-10, max_value=10**13),
                    st.floats(min_value=-1e13, max_value=1e13, allow_nan=False),
                    st.booleans())
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3))


def coplan_takes(kind: Kind, value: Any, per_week: int) -> bool:
    r = Reader()
    r.per_week = per_week
    return kind.read(r, value, ("key",), "key", "a test") is not BAD and not r.problems


def schema_takes(kind: Kind, value: Any) -> bool:
    validator = jsonschema.Draft4Validator(kind.json(),
                                           format_checker=jsonschema.FormatChecker())
    return bool(validator.is_valid(value))


def comparable(name: str, value: Any) -> bool:
    texts = [value] if isinstance(value, str) else \
        [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
    # six digits close together may be bank details, which coplan refuses in any text
    return not any(_DIGIT_RUN.search(t) for t in texts)


@pytest.mark.parametrize("name", list(KINDS))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=VALUES)
@example(value="discharge\u00a0")  # an id with a no-break space after it
@example(value="99999999w")
@example(value="2601d")
@example(value="25h")
@example(value="0m")
@example(value="-5")
@example(value=-5)
@example(value=10**13)
@example(value="Co_Design")
@example(value=["large print", "other: a quiet room", ""])
@example(value=["other:\u202e"])
@example(value="other:\x1f")
@example(value="Other:\x1fa room")
@example(value="other: a room\u2066")
@example(value="x" * 65)
def test_the_schema_and_coplan_judge_a_value_alike(name: str, value: Any) -> None:
    kind = KINDS[name]
    if not comparable(name, value):
        return
    assert schema_takes(kind, value) == coplan_takes(kind, value, per_week=1), \
        (name, value, kind.json())
    if not schema_takes(kind, value):  # in any week, what the schema refuses coplan does
        assert not coplan_takes(kind, value, per_week=5), (name, value)


@settings(max_examples=300, deadline=None)
@given(value=VALUES)
@example(value=["start", "+99999999w"])
@example(value="+2601d")
def test_sessions_are_judged_alike_apart_from_dates(value: Any) -> None:
    """Sessions (one moment or a list): offsets and words are compared; a date as text is
    a TOML date, which reaches a checker as text (see the module's notes)."""
    from coplan.model import When

    kind = Sessions(When)
    texts = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    if any(isinstance(t, str) and any(c.isdigit() for c in t) and "-" in t.strip()[1:]
           for t in texts):
        return  # could be read as a date
    assert schema_takes(kind, value) == coplan_takes(kind, value, per_week=1), \
        (value, kind.json())


def test_a_mistake_the_brief_named_is_judged_alike() -> None:
    """The two values a person's trial found judged differently."""
    assert coplan_takes(Id(), "discharge\u00a0", 5)
    assert schema_takes(Id(), "discharge\u00a0")
    assert not coplan_takes(Work(), "99999999w", 1)
    assert not schema_takes(Work(), "99999999w")
