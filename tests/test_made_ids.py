"""Every id coplan makes fits, is unused, says something, and never reads as bank details.

coplan makes ids from people's words (a new stage's from its title, a person's from their
name, a meeting's from its title when it writes none), from other ids (a copy's
``-copy``, a clash's ``-2``) and from a stage's id and a number (a touchpoint that writes
none: ``aims-2``).  Each is written into the plan (an entry's ``id``, a payment's
``for``), so each must be one the plan takes: at most ``LONGEST_ID`` characters, and
without a number that reads as an account number, sort code or card number (which the
loader refuses in any text, and which leaks a number a person typed into a name into
every output that shows the id).  A meeting's and a touchpoint's made ids name them in
calendars and payments, so they stay exactly as they were (a long one too: payments
already name it), except where they read as bank details, which no plan can name.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.edit import PlanDocument
from coplan.errors import PlanError
from coplan.merge import flatten
from coplan.planfile import parse_plan
from coplan.schema import (
    ID_PATTERN,
    LONGEST_ID,
    fitted_id,
    looks_like_bank_details,
    meeting_id,
    slug,
    touchpoint_id,
    unused_id,
)

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True)

# Words as people write them in titles and names: letters, numbers written in the ways
# bank details, phone numbers and dates are written, and the marks between them.
_NUMBERS = st.sampled_from(["12-34-56", "12 34 56", "12.34.56", "12345678", "1234 5678",
                            "4111 1111 1111 1111", "4111.1111.1111.1111", "07700 900123",
                            "2027-03-04", "2027-03", "2", "12", "2024", "acct 12345678",
                            "sort 123456", "a/c 12345678"])
_WORDS = st.sampled_from(["Review", "peer", "Zoë’s", "café", "and", "group", "s/c", "no.",
                          "account", "acc", "call"])
TEXT = st.lists(st.one_of(_WORDS, _NUMBERS), min_size=1, max_size=8).map(" ".join)


def _fine(made: str) -> None:
    assert made and len(made) <= LONGEST_ID, made
    assert ID_PATTERN.match(made), made
    assert not looks_like_bank_details(made), made


def _stage_plan(sid: str, touchpoints: int, extra: str = "") -> str:
    return (f'[project]\ntitle = "Ids"\nstart = 2027-01-04\n\n[[stage]]\nid = "{sid}"\n'
            'title = "A stage"\nduration = "2w"\n'
            + "".join('\n  [[stage.touchpoint]]\n  title = "Session"\n'
                      for _ in range(touchpoints)) + extra)


@SETTINGS
@given(TEXT)
def test_an_id_made_from_words_carries_no_long_number(text: str) -> None:
    """A new stage's, person's or touchpoint's id from its title or name: no number of six
    digits or more (a date aside), so no bank details and no phone number."""
    made = slug(text, limit=40)
    _fine(made)
    for number in re.findall(r"\d+(?:-\d+)*", made):
        assert sum(c.isdigit() for c in number) < 6 or re.fullmatch(
            r"20\d\d-\d\d(-\d\d)?", number), (text, made)


def test_an_id_made_from_words_keeps_its_words_and_dates() -> None:
    assert slug("Ann 07700 900123") == "ann"
    assert slug("12.34.56 and 12345678") == "and"
    assert slug("Review 2027-03") == "review-2027-03"
    assert slug("Workshop 2027-03-04, room 12") == "workshop-2027-03-04-room-12"
    assert slug("4111 1111 1111 1111", "person") == "person"


@SETTINGS
@given(TEXT)
def test_a_meeting_id_stays_as_it_was_unless_it_read_as_bank_details(title: str) -> None:
    """A meeting's id names its calendar events and its payments: made as before, except
    where that read as bank details (which no plan can name: the loader refuses it)."""
    made = meeting_id(title)
    before = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "item"
    assert not looks_like_bank_details(made)
    assert made == before or looks_like_bank_details(before)


def test_a_meeting_id_that_would_read_as_bank_details_is_made_without_it() -> None:
    assert meeting_id("4111.1111.1111.1111 catch-up") == "catch-up"
    assert meeting_id("Catch-up 12.34.56 and 12345678") == \
        "catch-up-12-34-56-and-12345678"  # (not bank details: as it was)


STEMS = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,12}){0,8}", fullmatch=True) \
    .filter(lambda s: len(s) <= LONGEST_ID and not looks_like_bank_details(s))


@SETTINGS
@given(STEMS, st.sampled_from(["", "-copy", "-2", "-12", "-345678"]),
       st.sets(st.text("abc-0123456789", max_size=12), max_size=5))
def test_an_id_made_from_another_fits_and_is_unused(stem: str, tail: str,
                                                     taken: set[str]) -> None:
    _fine(fitted_id(stem, tail))
    made = unused_id(stem, taken, tail)
    _fine(made)
    assert made not in taken


def test_an_id_cut_to_fit_that_would_read_as_bank_details_is_made_without_it() -> None:
    """``acc123456-7`` is an id the plan takes; cut where its word ends it would be
    ``acc123456``, an account number."""
    assert fitted_id("acc123456-7", "", 9) == "acc"
    assert not looks_like_bank_details(fitted_id("acc123456-7-review", "-copy", 14))


@SETTINGS
@given(st.integers(40, LONGEST_ID), st.integers(1, 12))
def test_a_touchpoint_without_an_id_is_named_alike_everywhere(length: int, count: int) -> None:
    """The loader, the editor and the merge make the same id for a touchpoint that writes
    none (``schema.touchpoint_id``), as it always was: what names it keeps working."""
    sid = ("peer-support-redesign-" * 3)[:length].rstrip("-")
    text = _stage_plan(sid, count)
    made = [tp.id for tp in parse_plan(text).stages[0].touchpoints]
    assert made == [f"{sid}-{n}" for n in range(1, count + 1)]
    assert made[-1] == touchpoint_id(sid, count)
    assert PlanDocument(text).touchpoint_ids() == set(made)
    assert {p[3] for p in flatten(text) if len(p) == 4 and p[2] == "touchpoint"} == set(made)


@pytest.mark.parametrize("where", ["stage", "person"])
def test_an_id_written_too_long_is_told_with_its_line_and_a_fix(where: str) -> None:
    """An id a person writes that is too long: the message says where, how long, the
    most, and an id to write instead that the plan takes."""
    long_id = "co-producing-a-better-discharge-from-mental-health-hospital-together"
    text = _stage_plan("aims", 0)
    if where == "stage":
        text = text.replace('id = "aims"', f'id = "{long_id}"')
    else:
        text += f'\n[[person]]\nid = "{long_id}"\nname = "Sam"\nkind = "lived-experience"\n'
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "plan.toml")
    message = str(caught.value)
    line = text.splitlines().index(f'id = "{long_id}"') + 1
    assert f"plan.toml:{line}:" in message
    assert f"{len(long_id)} characters long" in message and str(LONGEST_ID) in message
    suggested = re.search(r'for example id = "([^"]+)"', message)
    assert suggested is not None
    _fine(suggested.group(1))
    assert long_id.startswith(suggested.group(1))
