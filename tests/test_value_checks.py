"""The quick ways a value is checked say what the full checks say: the same value, and the
same problems in the same words (hypothesis, on texts made of what the checks look for).

``check_text`` first looks for anything it could object to in one search; an id of the
allowed characters with no six digits close together is taken at once; a working length
already worked out for the week is taken from what was worked out.  The plain checks they
stand for are written out here as they were before."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan import schema
from coplan.schema import (
    BAD,
    ID_PATTERN,
    LONGEST_ID,
    LONGEST_LINE,
    LONGEST_TEXT,
    Id,
    Reader,
    Text,
    Work,
    check_text,
    looks_like_bank_details,
    slug,
)

# Letters, digits, the separators of sort codes and account numbers, line breaks, control
# characters, letters and digits beyond ASCII, and bank details whole and in parts.
_PIECES = ["a", "Z", "0", "1", "7", "-", " ", "_", ".", "\n", "\r", "\t", "\x00", "\x07",
           "\x0b", "\x0c", "\x7f", "\x1b", "\x85", "\x9b", "\u2028", "\u2029", "\u202e",
           "\u2066", "\u200f", "é", "٣", "GB", "29", "NWBK", "60-16-13",
           "31926819", "sort code ", "account number: ", "12345678", "+44", "@",
           "60-16-13 31926819",
           "GB29 NWBK 6016 1331 9268 19", "GB29NWBK60161331926819", "sort code 601613",
           "account no. 12345678", "12 34 56", "2027-01-11"]
texts = st.lists(st.sampled_from(_PIECES), max_size=10).map("".join)


def _plain_check_text(r: Reader, text: str, path: Any, key: str, what: str, *,
                      multiline: bool = False, most: int | None = None) -> Any:
    """``check_text`` as it was: every check in turn."""
    limit = most or (LONGEST_TEXT if multiline else LONGEST_LINE)
    if len(text) > limit:
        r.fail(path, f"'{key}' in {what} is {len(text):,} characters long; coplan keeps it to "
               f"{limit:,}", "shorten it, or put the detail in a document and say where it is")
        return BAD
    odd = (schema._CONTROL if multiline else schema._UNPRINTABLE_LINE).search(text)
    if odd is not None and not multiline and odd.group() in schema._LINE_BREAKS:
        r.fail(path, f"'{key}' in {what} runs over more than one line; it is shown on one line "
               "(in calendars and tables)", "write it on one line")
        return BAD
    if looks_like_bank_details(text):
        r.fail(path, f"'{key}' in {what} looks like bank details (an account number, sort "
               "code, card number or IBAN); bank details never go in the plan", "keep them in "
               "your finance system; the plan records only dates and amounts")
        return BAD
    if odd is not None and odd.group() in schema._DIRECTION:
        r.fail(path, f"'{key}' in {what} holds a direction control (U+{ord(odd.group()):04X}) "
               "that would reorder the text around it in every document that shows it",
               "remove it: right-to-left writing shows the right way without it")
        return BAD
    if odd is not None:
        r.fail(path, f"'{key}' in {what} holds a control character (U+{ord(odd.group()):04X}) "
               "that cannot be shown", "remove it; it often comes from copying text out of "
               "another program")
        return BAD
    return text


def _plain_id(r: Reader, value: Any, path: Any, key: str, what: str) -> Any:
    """``Id.read`` as it was: read as text, then checked as an id (an empty one, refused
    before either, as ``Id.read`` refuses it)."""
    if isinstance(value, str) and not value.strip():
        return Id.read(Id(), r, value, path, key, what)
    text = Text.read(Id(), r, value, path, key, what)
    if text is BAD:
        return BAD
    if len(text) > LONGEST_ID:
        r.fail(path, f"'{key}' in {what} is {len(text)} characters long; an id is a short "
               f"name of at most {LONGEST_ID}", f'for example id = "{slug(text, limit=40)}"')
        return BAD
    if text and not ID_PATTERN.match(text):
        r.fail(path, f"'{text}' cannot be used as an id: use plain letters (a to z, no "
               "accents), digits, '-', '_' or '.', starting with a letter or digit",
               f'for example id = "{slug(text, limit=40)}"')
        return BAD
    return text


def _both(quick: Any, plain: Any, *args: Any, **kwargs: Any) -> None:
    first, second = Reader(), Reader()
    assert quick(first, *args, **kwargs) == plain(second, *args, **kwargs)
    assert first.problems == second.problems


@settings(max_examples=400, deadline=None)
@given(texts, st.booleans(), st.sampled_from([None, 5, 20]), st.integers(0, 3))
def test_a_text_is_checked_as_every_check_in_turn_would(text: str, multiline: bool,
                                                        most: int | None, longer: int) -> None:
    text = text * (1 + longer * 60)  # (and some too long for where they are)
    _both(check_text, _plain_check_text, text, ("stage", 0, "title"), "title", "stage 's1'",
          multiline=multiline, most=most)


@settings(max_examples=400, deadline=None)
@given(st.one_of(texts, texts.map(lambda t: t * 12),
                 st.sampled_from([1, True, ["a"], "  s1  ", "GB29NWBK60161331926819",
                                  "60-16-13-31926819", "a" * 64, "a" * 65, "-a"])))
def test_an_id_is_checked_as_text_then_as_an_id_would_be(value: Any) -> None:
    kind = Id()
    _both(kind.read, lambda r, *a: _plain_id(r, *a), value, ("stage", 0, "id"), "id",
          "a stage")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["3d", " 2w ", "0d", "10W", "2600d", "2601d", "520w", "521w", "3",
                        "2x", "", "d", "1.5w"]), st.sampled_from([1, 3, 5, 7]))
def test_a_working_length_worked_out_before_is_what_working_it_out_gives(value: str,
                                                                         week: int) -> None:
    def plain(r: Reader, *args: Any) -> Any:
        schema._WORKING_DAYS.clear()  # worked out afresh
        return Work().read(r, *args)

    for _ in range(2):  # (the second time, it was worked out the first)
        first, second = Reader(), Reader()
        first.per_week = second.per_week = week
        assert Work().read(first, value, ("stage", 0, "duration"), "duration", "a stage") \
            == plain(second, value, ("stage", 0, "duration"), "duration", "a stage")
        assert first.problems == second.problems


def test_the_texts_above_hold_what_each_check_looks_for() -> None:
    """Each problem ``check_text`` can find is found in some of the texts the test above
    is given (so that a quick way that missed one would be caught)."""
    found: set[str] = set()
    for multiline in (False, True):
        for text in ["60-16-13 31926819", "GB29 NWBK 6016 1331 9268 19", "a\nb", "a\x07",
                     "a" * 600, "sort code 601613", "2027-01-11 12 34 56"]:
            r = Reader()
            check_text(r, text, ("a",), "k", "w", multiline=multiline)
            found.update(message.split("; ")[0].split(" ", 3)[-1] for _, message, _ in
                         r.problems)
    assert found >= {"looks like bank details (an account number, sort code, card number or "
                     "IBAN)",
                     "runs over more than one line", "holds a control character (U+0007) "
                     "that cannot be shown", "is 600 characters long"}


def _plain_text_read(kind: Text, r: Reader, value: Any, path: Any, key: str,
                     what: str) -> Any:
    """``Text.read`` of a text as it was: stripped, then every check in turn."""
    text = value.strip()
    if kind.required_words and not text:
        r.fail(path, f"'{key}' in {what} is empty", schema.required_hint(key))
    return _plain_check_text(r, text, path, key, what, multiline=kind.multiline)


def _plain_strings_read(r: Reader, value: Any, path: Any, key: str, what: str) -> Any:
    """``Strings.read`` of a list as it was: each entry checked with its own path."""
    out = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            text = item.strip()
            if not text:  # a blank entry says nothing: refused (test_blank_entries)
                schema.blank_entry(r, schema.Strings(), (*path, i), key, what, item)
            elif _plain_check_text(r, text, (*path, i), key, what) is not BAD:
                out.append(text)
        else:
            r.fail((*path, i), f"each entry of '{key}' in {what} should be text, "
                   f"not {schema.describe_value(item)}", "put it in quotes")
    return tuple(out)


long_texts = st.integers(LONGEST_LINE - 3, LONGEST_LINE + 3).map(lambda n: " x" + "a" * n)


@settings(max_examples=400, deadline=None)
@given(st.one_of(texts, long_texts), st.booleans(), st.booleans())
def test_a_text_is_read_as_checking_it_in_turn_reads_it(text: str, multiline: bool,
                                                        required: bool) -> None:
    kind = Text(multiline=multiline, required_words=required)
    fast, plain = Reader(), Reader()
    assert kind.read(fast, text, ("k",), "k", "here") == \
        _plain_text_read(kind, plain, text, ("k",), "k", "here")
    assert fast.problems == plain.problems


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(texts, long_texts, st.integers(0, 3)), max_size=5))
def test_a_list_of_texts_is_read_as_checking_each_in_turn_reads_it(value: list[Any]) -> None:
    fast, plain = Reader(), Reader()
    assert schema.Strings().read(fast, value, ("k",), "k", "here") == \
        _plain_strings_read(plain, value, ("k",), "k", "here")
    assert fast.problems == plain.problems


_JOINED = {  # the one search of check_text, as it was written: the two ways joined
    "line": re.compile(schema._UNPRINTABLE_LINE.pattern + "|" + schema._DIGIT_RUN.pattern),
    "text": re.compile(schema._CONTROL.pattern + "|" + schema._DIGIT_RUN.pattern),
}
_QUICK = {"line": schema._ODD_LINE, "text": schema._ODD_TEXT}
# Digits beyond ASCII (\d is every decimal digit) and characters either side of each set.
_ODD_PIECES = st.sampled_from([*_PIECES, "\x08", "\x09", "\x0a", "\x0d", "\x0e", "\x1f",
                               "\x20", "\x7e", "\x80", "٣٤", "１２", "9"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_ODD_PIECES, max_size=14).map("".join), st.sampled_from(["line", "text"]))
def test_the_one_search_finds_what_the_two_ways_joined_find(text: str, kind: str) -> None:
    quick, joined = _QUICK[kind], _JOINED[kind]
    assert [m.span() for m in quick.finditer(text)] == \
        [m.span() for m in joined.finditer(text)]
    assert (quick.search(text) is None) == (joined.search(text) is None)


def test_the_one_search_skips_to_the_characters_it_starts_with() -> None:
    # (what makes it quick: a set of characters first, not a choice of two ways)
    for pattern in _QUICK.values():
        assert pattern.pattern.startswith("[") and "|" not in pattern.pattern.split("]")[0]
        assert pattern.search("x" * 40 + "\x07") is not None
        assert pattern.search("sort 60-16-13") is not None
        assert pattern.search("12-34-5 and 1 2 3") is None


@pytest.mark.parametrize(("text", "multiline", "says"), [
    ("Hearing what matters\u2028second line", False, "runs over more than one line"),
    ("Hearing\u2029what matters", False, "runs over more than one line"),
    ("Hearing\x85what matters", False, "runs over more than one line"),
    ("Sam \u202eevol", False, "holds a direction control (U+202E)"),
    ("Sam \u2066x\u2069", True, "holds a direction control (U+2066)"),
    ("a\x9bb", True, "holds a control character (U+009B)"),
])
def test_line_separators_and_direction_controls_are_refused(text: str, multiline: bool,
                                                            says: str) -> None:
    """What goes as-is into a calendar's SUMMARY, a .tjp task name or a CSV cell: a
    Unicode line separator splits it (the docs' limits say one-line texts have no line
    breaks); a right-to-left override reorders the text around it in every document."""
    r = Reader()
    assert check_text(r, text, ("a",), "k", "w", multiline=multiline) is BAD
    assert says in r.problems[0][1], r.problems


@pytest.mark.parametrize("text", ["\u05e9\u05e8\u05d4 Cohen", "Sara\u200f", "Zoë’s café",
                                  "\u0633\u0627\u0631\u0627"])
def test_right_to_left_writing_and_accents_are_welcome(text: str) -> None:
    r = Reader()
    assert check_text(r, text, ("a",), "k", "w") == text and not r.problems


@pytest.mark.parametrize(("name", "made"), [
    ("Zoë’s café check-in", "zoes-cafe-check-in"), ("Siân Ó Briain", "sian-o-briain"),
    ("zoé", "zoe"), ("Straße", "strasse"), ("Bjørn Ødegård", "bjorn-odegard"),
    ("O'Brien", "obrien"), ("Advisory group (monthly)", "advisory-group-monthly"),
    ("東京", "item"),
])
def test_ids_made_from_names_fold_accented_letters(name: str, made: str) -> None:
    """An id made from a name keeps its letters, without their accents, rather than
    dropping them ("zo-s-caf"); the id suggested for "zoé" is "zoe"."""
    assert slug(name) == made
    r = Reader()
    Id().read(r, name, ("person", 0, "id"), "id", "person 1")
    if made != name:
        assert r.problems and r.problems[0][2] == f'for example id = "{made}"'
        assert "plain letters (a to z, no accents)" in r.problems[0][1]


def test_a_meetings_id_made_from_its_title_does_not_change() -> None:
    """A meeting's id is made from its title when the plan writes none; its calendar
    events are known by it, so it stays as coplan always made it."""
    from coplan.planfile import parse_plan

    plan = parse_plan('[project]\ntitle = "T"\nstart = 2027-01-11\n\n[[meeting]]\n'
                      'title = "Café des réunions"\nevery = "1w"\nday = "tue"\n')
    assert plan.meetings[0].id == "caf-des-r-unions"
