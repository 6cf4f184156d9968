"""Bank details are refused in every text of a plan, in the ways people write them, and
ordinary text with numbers in it is not (hypothesis, both ways round)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.errors import PlanError
from coplan.planfile import parse_plan
from coplan.schema import _DIGIT_RUN, looks_like_bank_details


def _luhn_digit(body: str) -> str:
    """The last digit that makes ``body`` + it pass the Luhn check."""
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:  # (doubled: it will be second from the right)
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


@st.composite
def sort_codes(draw: st.DrawFn, split: bool = False) -> str:
    """A sort code as people write it: "12-34-56", "12 34 56", or (named) "123456"."""
    pairs = [draw(st.text(alphabet="0123456789", min_size=2, max_size=2)) for _ in range(3)]
    return draw(st.sampled_from(["-", " "] if split else ["-", " ", ""])).join(pairs)


accounts = st.text(alphabet="0123456789", min_size=8, max_size=8)


@st.composite
def bank_details(draw: st.DrawFn) -> str:
    sort, split, account = draw(sort_codes()), draw(sort_codes(split=True)), draw(accounts)
    spaced = f"{account[:4]} {account[4:]}"
    return draw(st.sampled_from([
        f"paid to acct {account}, sort {sort}",
        f"acct {account} sort code {sort}",
        f"a/c {account} s/c {sort}",
        f"account no. {spaced}",
        f"Account number: {account}",
        f"sortcode {sort}",
        f"Sort code: {sort}",
        f"{split} {account}",
        f"{account}, {split}",
        f"bank {split} / {account}",
    ]))


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from("23456"))
    size = draw(st.sampled_from([13, 15, 16, 19]))
    body = first + draw(st.text(alphabet="0123456789", min_size=size - 2,
                                max_size=size - 2))
    number = body + _luhn_digit(body)
    if size == 16:
        sep = draw(st.sampled_from([" ", "-", ""]))
        number = sep.join(number[i:i + 4] for i in range(0, 16, 4))
    return draw(st.sampled_from(["card {}", "{}", "paid by card {} on the day", "({})"])
                ).format(number)


words = st.sampled_from(["", "Paid ", "Claimed on the day. ", "note: ", "see "])


@settings(max_examples=300, deadline=None)
@given(words, st.one_of(bank_details(), card_numbers()), words)
def test_bank_account_and_card_numbers_are_refused(before: str, found: str,
                                                   after: str) -> None:
    text = before + found + " " + after
    assert looks_like_bank_details(text), text
    # (the one search that lets most texts through at once would find it too)
    assert _DIGIT_RUN.search(text) is not None


@st.composite
def ordinary(draw: st.DrawFn) -> str:
    """A piece of the text a plan holds, with numbers in it but no bank details."""
    when = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
    return draw(st.sampled_from([
        when.isoformat(),
        f"{when:%d/%m/%Y}",
        f"{when.day} {when:%B %Y}",
        f"{when:%Y%m%d}",
        f"from {when.isoformat()} {when.replace(day=1).isoformat()}",
        f"07700 900{draw(st.integers(0, 999)):03d}",
        f"+44 7700 900{draw(st.integers(0, 999)):03d}",
        f"0117 496 {draw(st.integers(0, 9999)):04d}",
        "NHS number " + " ".join(str(draw(st.integers(10 ** (n - 1), 10 ** n - 1)))
                                 for n in (3, 3, 4)),
        f"ref {draw(st.integers(10**9, 10**11))}",
        f"£{draw(st.floats(0, 10**7, allow_nan=False)):,.2f}",
        f"{draw(st.integers(0, 10**6))} people came",
        f"session {draw(st.integers(1, 99))} of {draw(st.integers(1, 99))}",
        f"{draw(st.integers(1, 500))} sessions, {draw(st.integers(1, 5000))} hours",
        "10:30 to 12:00",
    ]))


@st.composite
def not_cards(draw: st.DrawFn) -> str:
    """A card-shaped number that fails the Luhn check, so is not a card's."""
    body = draw(st.sampled_from("23456")) + draw(st.text(alphabet="0123456789",
                                                          min_size=14, max_size=14))
    wrong = str((int(_luhn_digit(body)) + draw(st.integers(1, 9))) % 10)
    number = body + wrong
    return " ".join(number[i:i + 4] for i in range(0, 16, 4))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ordinary(), not_cards()), min_size=1, max_size=4),
       st.sampled_from([" ", ", ", "; ", " and "]))
def test_ordinary_numbers_are_not_taken_for_bank_details(pieces: list[str],
                                                         joined: str) -> None:
    text = joined.join(pieces)
    assert not looks_like_bank_details(text), text


@pytest.mark.parametrize("note", ["paid to acct 12345678, sort 123456",
                                  "card 4111 1111 1111 1111", "a/c 12345678 s/c 12-34-56"])
def test_a_payment_note_with_an_account_or_card_number_is_refused(note: str) -> None:
    source = (f'[project]\ntitle = "t"\nstart = 2027-01-04\n\n[[stage]]\nid = "a"\n'
              f'duration = "1w"\n\n[[paid]]\nwho = "x"\nnote = "{note}"\n')
    with pytest.raises(PlanError) as raised:
        parse_plan(source)
    assert any("looks like bank details" in p.message for p in raised.value.problems)
