"""The plan file's schema, declared once: every key's kind, default, meaning and links.

Each key of the plan file is declared on the field of the model dataclass it fills
(``model.py``), with ``key(...)``: the kind of value it holds (text, a date, a working
length, a word from a vocabulary, a list of person ids...), its default, whether it is
required, and the one-line meaning people read.  Tables and arrays of tables are declared
the same way with ``table(...)`` and ``tables(...)``.  Everything else is derived from
these declarations, so adding an optional key is one declaration plus the code that uses
it:

* the loader (``planfile``) reads and checks every key, with located, plain messages;
* the list of known keys, and near-miss suggestions for unknown ones;
* line numbers for every item and key (``Located``);
* references between items (person, stage and decision ids) and the places that hold
  person ids, which removing a person must clean up (``edit``);
* how the three-way merge knows items apart (``merge``);
* the JSON Schema that editors use to complete and check keys (``coplan schema``);
* the key tables of ``docs/plan-format.md``, which a test keeps equal to these.

A kind reads one value that is present in the file and returns the model's value, or
``BAD`` after noting a problem (the field's default is then used).  Kinds never raise for
anything a person wrote.  Nothing here does I/O or imports anything heavy.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Container, Iterator, Mapping
from datetime import date, datetime, time
from operator import attrgetter
from typing import Any, ClassVar

from coplan import vocab
from coplan.durations import (
    DurationError,
    WorkLength,
    parse_buffer,
    parse_clock,
    parse_offset,
    parse_work,
)
from coplan.errors import one_of, suggest
from coplan.records import dataclass
from coplan.words import a

KeyPath = tuple[str | int, ...]

MISSING: Any = object()
"""A key the file does not have."""

BAD: Any = object()
"""What a kind returns after noting a problem: the field's default stands in."""

META = "coplan"
"""The name of the dataclass field metadata entry that holds a key's declaration."""

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
FIRST_YEAR, LAST_YEAR = 1970, 2200

# Limits on what a plan may hold (docs/plan-format.md, "Limits", says why each is where it
# is): far beyond any real plan, near enough that nothing a plan says can exhaust memory,
# run dates past the calendar's end, or break a document or calendar made from it.
LONGEST_LINE = 500  # characters in a one-line text (a title, a name, an id list entry)
LONGEST_TEXT = 20_000  # characters in a text that may run over several lines
LONGEST_ID = 64
ID_RULE = (
    f"a short name, of at most {LONGEST_ID} characters, made of plain letters (`a` to `z`, "
    "`A` to `Z`, no accents), digits, `-`, `_` or `.`, starting with a letter or digit, such as "
    "`\"aims\"` or `\"expert-1\"`; never empty, and no spaces. Every document and "
    "calendar coplan makes carries these characters safely (a calendar entry's UID, a "
    "spreadsheet cell, a file name; TaskJuggler's ids are made from them), and none of them "
    "can start a spreadsheet formula. Ids must be unique within their table; "
    "renaming one in the app renames every place the plan names it. Two ids that differ "
    "only in capital letters (`Co-design` and `co-design`) are two ids to coplan, but "
    "calendars, file names and people take them as one: the review warns about such a "
    "pair (CP-ID-001), and the app will not make one")
"""What an id may hold, in the words docs/plan-format.md shows (``schema_docs``)."""
MOST_WORKING_DAYS = 2_600  # about ten years of five-day weeks, in any working length
MOST_ENTRIES = 1_000  # entries in one list, such as who takes part
# Characters a text cannot hold: controls (C0, DEL and C1), the Unicode line and paragraph
# separators in a one-line text (a calendar or a spreadsheet would show them as a break,
# or not at all), and the explicit direction controls (embeddings, overrides, isolates:
# U+202A-U+202E, U+2066-U+2069), which reorder the text around them in every document
# that shows it ("Trojan source").  Right-to-left text itself, and the marks U+200E and
# U+200F that such text needs, are welcome.
_UNPRINTABLE_LINE = re.compile(  # line breaks included
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_DIRECTION = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_PERCENT_TEXT = re.compile(r"^\s*(\d{1,3})\s*%\s*$")
# Bank details: an IBAN (two letters, two check digits, then mostly digits); a sort code
# ("12-34-56", "12 34 56") with an eight-digit account number near it; either named as such
# ("sort 123456", "s/c 12-34-56", "acct 12345678", "a/c no. 1234 5678"); or a card number
# (13 to 19 digits, whole or in the groups printed on cards, that passes the Luhn check
# every card number passes, so that other long numbers are not refused).  Six digits alone
# are a sort code only where they are named one: beside an eight-digit number they are as
# often a count beside a date written as "20270812".  A plan is shared; these never belong
# in it.
_DIGIT_RUN = re.compile(r"\d\d[- ]?\d\d[- ]?\d\d")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b")
_SORT_CODE = r"\d{2}(?:-\d{2}-| \d{2} |\d{2})\d{2}"  # written one way throughout
_SORT_CODE_SPLIT = r"\d{2}(?:-\d{2}-| \d{2} )\d{2}"  # as above, in pairs
_ACCOUNT = re.compile(
    # (a sort code right after another number is that number's end: "07700 90 01 23")
    rf"(?<![\w-])(?<!\d ){_SORT_CODE_SPLIT}(?![\w-])\D{{0,40}}(?<!\d)\d{{8}}(?![\w-])"
    rf"|(?<![\w-])\d{{8}}(?![\w-])\D{{0,40}}(?<![\w-]){_SORT_CODE_SPLIT}(?![\w-])"
    r"|(?i:\b(?:account|acct|acc|a/c)\.?(?:\s*(?:number|num|no)\b\.?|\s*#)?\s*[:=]?\s*)"
    r"(?:\d{6,10}|\d{4}[ -]\d{4})(?![\d-])"
    rf"|(?i:\b(?:sort\s*code|sort|s/c)\s*[:=]?\s*){_SORT_CODE}(?![\d-])")
# A card number: 13 to 19 digits in one run, or in fours ("4111 1111 1111 1111"), or as
# American Express prints them ("3714 496353 98431"); cards start with 2 to 6.  Not part of a
# longer number (nor of a run of groups: "2002 2000 0000 0000 0007"), nor after "+" (a phone
# number).
_CARD = re.compile(
    r"(?<![\d+.,/-])(?:[2-6]\d{12,18}(?![.,/-]?\d)"
    r"|(?<!\d )(?:[2-6]\d{3} \d{4} \d{4} \d{4}|3\d{3} \d{6} \d{5})(?![ .,/-]?\d)"
    r"|(?:[2-6]\d{3}-\d{4}-\d{4}-\d{4}|3\d{3}-\d{6}-\d{5})(?![.,/-]?\d))")


def _luhn(digits: str) -> bool:
    """Whether ``digits`` pass the Luhn check that every card number passes."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = ord(c) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# All that ``check_text`` looks for, in one search: a character that cannot be shown (a
# line break among them in a one-line text) or six digits close together (which every
# pattern of bank details has).  Where it finds nothing, the text is as it should be.
# Each starts with one set of characters (either kind, or a digit), so that a search
# skips straight to the next such character: written as the two joined with "|", it
# tried both at every character of every text read (1,300 searches to read MINDS).
# Each finds what the two joined with "|" find, at the same places (a test checks).
_ODD_LINE = re.compile(f"[{_UNPRINTABLE_LINE.pattern[1:-1]}\\d]"
                       f"(?:(?<=[{_UNPRINTABLE_LINE.pattern[1:-1]}])"
                       "|(?<=\\d)\\d[- ]?\\d\\d[- ]?\\d\\d)")
_ODD_TEXT = re.compile(f"[{_CONTROL.pattern[1:-1]}\\d]"
                       f"(?:(?<=[{_CONTROL.pattern[1:-1]}])"
                       "|(?<=\\d)\\d[- ]?\\d\\d[- ]?\\d\\d)")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_DATE_TEXT = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}\s*$")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def date_trouble(text: str) -> tuple[str, str] | None:
    """Why ``text``, written like a date (YYYY-MM-DD), is not one, and how to write it
    ("there is no month 13"); None when it is a date, or not written like one."""
    if not _DATE_TEXT.match(text):
        return None
    import calendar

    year, month, day = (int(n) for n in text.strip().split("-"))
    if not 1 <= month <= 12:
        swapped = (f"; if you meant day {month} of month {day}, write {year}-{day:02d}-"
                   f"{month:02d}" if 1 <= day <= 12 and
                   month <= calendar.monthrange(year, day)[1] else "")
        return (f"there is no month {month} (months go from 01 to 12)",
                f"write the date as YYYY-MM-DD: the year, then the month, then the day{swapped}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return (f"{_MONTH_NAMES[month - 1]} {year} has {last} days",
                "check the day, and write the date as YYYY-MM-DD")
    if len(text.strip()) != 10:
        return ("the month and the day each need two digits",
                f"write it as {year}-{month:02d}-{day:02d}")
    return None


def looks_like_bank_details(text: str) -> bool:
    """Whether ``text`` holds what looks like someone's bank details."""
    if not _DIGIT_RUN.search(text):  # every pattern below has six digits close together
        return False
    if _ACCOUNT.search(text):
        return True
    if any(_luhn("".join(c for c in m.group() if c.isdigit())) for m in _CARD.finditer(text)):
        return True
    return any(sum(c.isdigit() for c in m.group()) >= 10 for m in _IBAN.finditer(text))


# Letters that are not a plain letter with marks on it, written as English writes them.
_OWN_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o",
                              "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
                              "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i"})
_APOSTROPHES = re.compile(r"(?<=\w)['’‘`](?=\w)")


def plain_letters(text: str) -> str:
    """``text`` with accents taken off its letters ("Zoë" -> "Zoe", "Siân" -> "Sian",
    "Straße" -> "Strasse"), as an id must be written."""
    import unicodedata

    apart = unicodedata.normalize("NFKD", text.translate(_OWN_LETTERS))
    return "".join(c for c in apart if not unicodedata.combining(c))


def slug(text: str, fallback: str = "item", limit: int | None = None, *,
         fold: bool = True) -> str:
    """``"Advisory group (monthly)"`` -> ``"advisory-group-monthly"``: the one way coplan
    makes an id from words (new stage and people's ids from their names, ids suggested in
    messages), cut to ``limit`` characters if given, where a word ends.  Accented letters
    are folded, and an apostrophe inside a word is left out: "Zoë’s café" ->
    ``zoes-cafe``.

    ``fold=False`` makes ids as coplan made them before it folded letters ("zo-s-caf"):
    for ids a plan does not write down (a meeting's, from its title), which must not change
    under it (a meeting's calendar events are known by it)."""
    if fold:
        text = _APOSTROPHES.sub("", plain_letters(text))
    made = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if fold or looks_like_bank_details(made):
        made = without_long_numbers(made)
    return cut_at_word(made, limit) or fallback


# A number in an id (digits, or groups of them joined by "-", "_" or "."), and one that
# is a date or a month ("2027-03-04", "2027-03"), which says something to a reader.
_NUMBER = re.compile(r"\d+(?:[-_.]\d+)*")
_DATE_NUMBER = re.compile(r"(?:19|20)\d\d[-_.](?:0?[1-9]|1[0-2])(?:[-_.][0-3]?\d)?")


def without_long_numbers(made: str) -> str:
    """``made`` (an id coplan makes from someone's words) without the numbers of six
    digits or more in it, dates aside: an account number, sort code or card number
    (``"12.34.56 and 12345678"`` makes ``12-34-56-and-12345678``, which reads as bank
    details), or a phone number typed into a name, does not belong in an id, which every
    output of the plan shows.  ("" when nothing else is left: the caller's fallback.)"""
    def kept(number: re.Match[str]) -> str:
        text = number.group()
        digits = sum(c.isdigit() for c in text)
        return text if digits < 6 or _DATE_NUMBER.fullmatch(text) else ""

    out = _NUMBER.sub(kept, made)
    if out == made:
        return made
    return re.sub(r"[-_.]*-[-_.]*|[-_.]{2,}", "-", out).strip("-_.")


def cut_at_word(made: str, limit: int | None) -> str:
    """A made id of at most ``limit`` characters, cut where a word ends
    ("redesigning-the-peer-support-offer", not "...-offer-toget"), unless that would keep
    less than half of it (one long first word is cut where the limit falls)."""
    if limit is None or len(made) <= limit:
        return made
    if made[limit] == "-":
        return made[:limit]
    end = made.rfind("-", 0, limit)
    return made[:end] if end >= limit // 2 else made[:limit].rstrip("-")


def fitted_id(stem: str, tail: str = "", limit: int = LONGEST_ID) -> str:
    """``stem`` with ``tail`` after it (``"-copy"``, ``"-2"``) in at most ``limit``
    characters (an id's most): the stem cut where a word ends to leave the tail its room
    (``cut_at_word``), so an id coplan makes from another is one the plan takes."""
    made = stem + tail if len(stem) + len(tail) <= limit else \
        cut_at_word(stem, max(1, limit - len(tail))).rstrip("-_.") + tail
    if _DIGIT_RUN.search(made) is not None and looks_like_bank_details(made):
        # (the stem cut, or joined to the tail, reads as bank details: made without its
        # long numbers, as an id from words is)
        plain = without_long_numbers(stem) or "item"
        if plain != stem:
            return fitted_id(plain, tail, limit)
    return made


def unused_id(stem: str, taken: Container[str], tail: str = "",
              limit: int = LONGEST_ID) -> str:
    """``stem`` with ``tail`` after it, or with ``-2``, ``-3``… after that, whichever is
    not ``taken`` yet: always within ``limit`` (``fitted_id``).  The one way coplan
    makes a new id beside others (a copy, a clash in a merge, a new entry's)."""
    candidate, n = fitted_id(stem, tail, limit), 2
    while candidate in taken:
        candidate, n = fitted_id(stem, f"{tail}-{n}", limit), n + 1
    return candidate


def meeting_id(title: str) -> str:
    """The id of a meeting whose entry writes none, made from its title: one function for
    the loader, the editor and the merge, so that each finds the meeting the others mean
    (its calendar events and the payments for it are known by it, so it is made as before
    letters were folded, and not cut to an id's most: a plan that names it keeps working),
    never with what reads as bank details (``slug``)."""
    return slug(title, fold=False)


def touchpoint_id(stage_id: str, number: int) -> str:
    """The id of a touchpoint whose entry writes none: its stage's id and its number in
    the stage (``aims-2``).  One function for the loader, the editor, the merge and the
    app, so that each names the touchpoint the others mean.

    It is not cut to an id's most (a stage id of 63 characters makes one of 65): payments
    and records already name such ids as they are.  Where coplan writes one down (a
    touchpoint copied, removed before it, or its stage renamed), it writes one that fits
    instead and renames what names it (``edit``)."""
    return f"{stage_id}-{number}"


# -- reading values ---------------------------------------------------------------------

def upto(most: int, *, zeros: bool = True) -> str:
    """A pattern for a whole number from 0 to ``most`` as coplan reads one (``int`` of
    the digits: leading zeros allowed), so that the JSON Schema refuses the lengths and
    shares coplan refuses as out of reach.  No look-around: taplo's regular expressions
    have none."""
    digits = str(most)
    parts = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, d in enumerate(digits):
        if d != "0":
            rest = len(digits) - i - 1
            parts.append(digits[:i] + (f"[0-{int(d) - 1}]" if d != "1" else "0")
                         + (rf"\d{{{rest}}}" if rest else ""))
    parts.append(digits)
    return ("0*" if zeros else "") + "(?:" + "|".join(parts) + ")"


def from_one(most: int) -> str:
    """``upto(most)`` without zero: a whole number from 1 to ``most``."""
    digits = str(most)
    parts = [rf"[1-9]\d{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for i, d in enumerate(digits):
        low = 1 if i == 0 else 0
        if int(d) > low:
            rest = len(digits) - i - 1
            parts.append(digits[:i] + f"[{low}-{int(d) - 1}]"
                         + (rf"\d{{{rest}}}" if rest else ""))
    parts.append(digits)
    return "0*(?:" + "|".join(parts) + ")"


class Reader:
    """Notes problems by key path while the loader reads a plan.

    ``per_week`` is the plan's working week, known once the project's ``working_days``
    are read: working lengths such as ``"2w"`` depend on it.
    """

    __slots__ = ("per_week", "problems")

    def __init__(self) -> None:
        self.problems: list[tuple[KeyPath, str, str]] = []
        self.per_week = 5

    def fail(self, path: KeyPath, message: str, hint: str = "") -> None:
        self.problems.append((path, message, hint))


def describe_value(value: object) -> str:
    """A value as a person would recognise it in their file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, time):
        return f"the time {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return str(value)


def required_hint(key: str) -> str:
    examples = {"title": 'title = "Co-producing a better discharge"',
                "start": "start = 2027-01-11", "id": 'id = "aims"',
                "duration": 'duration = "2w"', "name": 'name = "Sam"',
                "stage": 'stage = "aims"'}
    return f"add {examples[key]}" if key in examples else f"add {key} = ..."


def weekday(name: str) -> int | None:
    """0 for "mon" or "Monday", ... 6 for "sun"; None for anything else ("monkey")."""
    found = name.strip().lower()
    for index, (short, full) in enumerate(zip(vocab.WEEKDAYS, vocab.WEEKDAY_NAMES,
                                              strict=True)):
        if found in (short, full.lower()):
            return index
    return None


class Kind:
    """How one key's value is written, read and checked."""

    doc: ClassVar[str] = "text"  # the type as docs/plan-format.md names it
    form: ClassVar[str] = "text"  # the app's input: text, multiline, select, multi, switch
    ref: ClassVar[str | None] = None  # "person", "stage" or "decision" when it names ids
    # What a value names without being checked against the plan, since it may name an
    # item removed since (a baseline's stage): renaming the item renames it too.
    names: ClassVar[str | None] = None
    # For a kind that names ids (``ref``): the arrays of the file whose entries' ids it
    # names (("stage", "touchpoint"),), so an edit can find what names an entry it removes.
    targets: ClassVar[tuple[tuple[str, ...], ...]] = ()

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        raise NotImplementedError

    def json(self) -> dict[str, Any]:
        return {"type": "string"}

    def default(self, r: Reader, declared: Any) -> Any:
        """The model's value when the key is left out (some depend on the plan's week)."""
        return declared

    def ids(self, value: Any) -> tuple[str, ...]:
        """The ids a value of this kind names (for kinds with ``ref``)."""
        return ()


def check_text(r: Reader, text: str, path: KeyPath, key: str, what: str, *,
               multiline: bool = False, most: int | None = None) -> Any:
    """``text`` if it is printable and not too long for where it is; else a problem.

    Control characters cannot be shown, and break calendars, XML and spreadsheets made
    from the plan; a line break in a title or a name would split a calendar entry.
    """
    limit = most or (LONGEST_TEXT if multiline else LONGEST_LINE)
    if len(text) <= limit and (_ODD_TEXT if multiline else _ODD_LINE).search(text) is None:
        return text
    if len(text) > limit:
        r.fail(path, f"'{key}' in {what} is {len(text):,} characters long; coplan keeps it to "
               f"{limit:,}", "shorten it, or put the detail in a document and say where it is")
        return BAD
    odd = (_CONTROL if multiline else _UNPRINTABLE_LINE).search(text)
    if odd is not None and not multiline and odd.group() in _LINE_BREAKS:
        r.fail(path, f"'{key}' in {what} runs over more than one line; it is shown on one line "
               "(in calendars and tables)", "write it on one line")
        return BAD
    if looks_like_bank_details(text):
        r.fail(path, f"'{key}' in {what} looks like bank details (an account number, sort "
               "code, card number or IBAN); bank details never go in the plan", "keep them in "
               "your finance system; the plan records only dates and amounts")
        return BAD
    if odd is not None and odd.group() in _DIRECTION:
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


def _wrong_type(r: Reader, value: Any, path: KeyPath, key: str, what: str, wanted: str,
                hint: str = "") -> Any:
    r.fail(path, f"'{key}' in {what} should be {wanted}, not {describe_value(value)}", hint)
    return BAD


def _escaped(chars: re.Pattern[str]) -> str:
    """A character class of ``chars`` written with escapes (``\\x00``, ``\\u2028``), as
    JSON Schema's readers (Python's, ECMAScript's, Rust's) all read it."""
    return "".join(c if c in "[]-^" else f"\\x{ord(c):02x}" if ord(c) < 0x100
                   else f"\\u{ord(c):04x}" for c in chars.pattern)


def text_json(*, multiline: bool = False, most: int | None = None,
              words: bool = False) -> dict[str, Any]:
    """Text as ``check_text`` takes it: spaces around are not part of it, and within
    them no character that cannot be shown, and no more than ``most`` characters.  (Bank
    details, which it refuses too, no pattern can say; and ``maxLength`` counts the spaces
    around as well: a counted repeat in the pattern instead, ``{0,20000}``, is more than
    some editors' regular expressions take.)"""
    chars = _escaped(_CONTROL if multiline else _UNPRINTABLE_LINE)
    limit = most or (LONGEST_TEXT if multiline else LONGEST_LINE)
    shown = f"[^{chars[1:]}*"  # (chars[1:]: the class without its opening bracket)
    # with ``words``, at least one character that is not a space
    word = f"[^\\s{chars[1:]}{shown}" if words else ""
    return {"type": "string", "pattern": f"^\\s*{shown}{word}\\s*$", "maxLength": limit}


class Text(Kind):
    """Words in quotes.  Leading and trailing spaces are not part of the value."""

    def __init__(self, *, multiline: bool = False, required_words: bool = False) -> None:
        self.multiline = multiline
        self.required_words = required_words

    @property
    def form(self) -> str:  # type: ignore[override]
        return "multiline" if self.multiline else "text"

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if not isinstance(value, str):
            hint = "" if isinstance(value, (list, dict)) else f'put it in quotes: {key} = "{value}"'
            if isinstance(value, bool):
                hint = f'put it in quotes: {key} = "{describe_value(value)}"'
            return _wrong_type(r, value, path, key, what, "text in quotes", hint)
        text = value.strip()
        if self.required_words and not text:
            r.fail(path, f"'{key}' in {what} is empty", required_hint(key))
        elif not self.multiline and len(text) <= LONGEST_LINE and \
                _ODD_LINE.search(text) is None:
            return text  # (what ``check_text`` takes at once)
        return check_text(r, text, path, key, what, multiline=self.multiline)

    def json(self) -> dict[str, Any]:
        return text_json(multiline=self.multiline, words=self.required_words)


class Id(Text):
    """A short id: letters, digits, ``-``, ``_`` or ``.``, starting with a letter or digit
    (``ID_RULE`` says what an id may hold, and why).  ``made`` says how the item makes its
    own id when the key is left out (a touchpoint's, from its stage); an id written but
    empty is refused either way: it names nothing, and every link to it would too."""

    doc = "id"

    def __init__(self, *, made: str = "", example: str = "aims") -> None:
        super().__init__()
        self.made = made
        self.example = example

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if isinstance(value, str):
            # (an id of the allowed characters holds no line break or control character,
            # and, without six digits close together, no bank details: nothing to say)
            text = value.strip()
            if len(text) <= LONGEST_ID and ID_PATTERN.match(text) is not None \
                    and _DIGIT_RUN.search(text) is None:
                return text
            if not text:
                hint = f'write a short name, such as {key} = "{self.example}"'
                if self.made:
                    hint += f", or take the line out and coplan makes one ({self.made})"
                r.fail(path, f"'{key}' in {what} is empty"
                       + (" (only spaces)" if value else "") + "; an id is how the rest of "
                       "the plan names it, so it cannot be empty", hint)
                return BAD
        text = super().read(r, value, path, key, what)
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

    def json(self) -> dict[str, Any]:
        # As read: spaces around (a no-break space too) are not part of it, it is at most
        # LONGEST_ID long, and never empty (an item that makes its own, a touchpoint from
        # its stage, a meeting from its title, does so when the key is left out).
        return {"type": "string",
                "pattern": rf"^\s*[A-Za-z0-9][A-Za-z0-9_.-]{{0,{LONGEST_ID - 1}}}\s*$"}


class Flag(Kind):
    doc = "true/false"
    form = "switch"

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if isinstance(value, bool):
            return value
        hint = ""
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no"):
            word = "true" if value.strip().lower() in ("true", "yes") else "false"
            hint = f"write {key} = {word} (no quotes)"
        return _wrong_type(r, value, path, key, what, "true or false", hint)

    def json(self) -> dict[str, Any]:
        return {"type": "boolean"}


class WholeNumber(Kind):
    doc = "whole number"

    def __init__(self, minimum: int | None = None) -> None:
        self.minimum = minimum

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return _wrong_type(r, value, path, key, what, "a whole number",
                               f"write a number without quotes, such as {key} = 3")
        if self.minimum is not None and value < self.minimum:
            r.fail(path, f"'{key}' should be {self.minimum} or more, not {value}",
                   f"write {key} = {self.minimum} or a larger number")
            return BAD
        return value

    def json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        return out


class Amount(Kind):
    """An amount of money or another number (``12000`` or ``12000.50``)."""

    doc = "number"

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            r.fail(path, f"'{key}' in {what} should be an amount, not "
                   f"{describe_value(value)}",
                   f"write the number without quotes, such as {key} = {_as_amount(value)}")
            return BAD
        if not 0 <= value <= 1e12:  # also refuses nan and inf, which compare false
            r.fail(path, f"'{key}' in {what} should be an amount of zero or more, not "
                   f"{describe_value(value)}", f"write a number such as {key} = 12000")
            return BAD
        return float(value)

    def json(self) -> dict[str, Any]:
        return {"type": "number", "minimum": 0, "maximum": 1e12}


def _as_amount(value: Any) -> str:
    """A quoted amount as the number it means ("£37.50" is 37.50), for a fix; 12000 where
    the text is not one."""
    if isinstance(value, str):
        from coplan.money import read_amount

        try:
            number = read_amount(value)
        except ValueError:
            # ("£37,50": the pence after a comma, as much of Europe writes them)
            comma = re.fullmatch(r"\D{0,3}\s*(\d+),(\d{1,2})\s*", value)
            return f"{comma[1]}.{comma[2]:0<2}" if comma else "12000"
        return f"{number:.2f}" if not number.is_integer() else str(int(number))
    return "12000"


def read_date(r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
    """A calendar date within the years coplan plans for."""
    if isinstance(value, datetime):
        r.fail(path, f"'{key}' in {what} should be a date without a time",
               f"write {key} = {value.date().isoformat()}")
        value = value.date()
    elif not isinstance(value, date):
        if isinstance(value, str) and _DATE_TEXT.match(value):
            trouble = date_trouble(value)
            if trouble is not None:
                r.fail(path, f"'{key}' in {what} is {describe_value(value)}, which is not a "
                       f"date: {trouble[0]}", f"{trouble[1]}, without quotes")
                return BAD
            r.fail(path, f"'{key}' in {what} is a date written as text",
                   f"remove the quotes: {key} = {value.strip()}")
            return BAD
        return _wrong_type(r, value, path, key, what, "a date", _date_hint(key, value))
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        r.fail(path, f"'{key}' in {what} is {value.isoformat()}, which is outside the years "
               f"coplan plans for ({FIRST_YEAR} to {LAST_YEAR})", "check the year")
        return BAD
    return value


_DAY_FIRST = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def _date_hint(key: str, value: Any) -> str:
    """How to write the date meant: a date written day first, as many people write it
    ("12/08/2027"), is shown in the plan's own form, with the day it would be, so that
    the person can see whether it is the one they meant."""
    found = _DAY_FIRST.match(value) if isinstance(value, str) else None
    if found:
        day, month, year = (int(n) for n in found.groups())
        try:
            meant = date(year, month, day)
        except ValueError:
            meant = None
        if meant is not None:
            return (f"write it year first, without quotes: {key} = {meant.isoformat()} "
                    f"if you mean {meant.day} {meant:%B %Y}")
    return f"write a date year first, without quotes, such as {key} = 2027-03-15"


_DATE_JSON = {"type": "string", "format": "date"}


class Day(Kind):
    doc = "date"

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        return read_date(r, value, path, key, what)

    def json(self) -> dict[str, Any]:
        return dict(_DATE_JSON)


class DayOrFlag(Kind):
    """A date, or ``true``/``false`` where the date is not known."""

    doc = "date (or true/false)"

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if isinstance(value, bool):
            return value
        return read_date(r, value, path, key, what)

    def json(self) -> dict[str, Any]:
        return {"type": ["string", "boolean"], "format": "date"}


class Work(Kind):
    """A length in working time (``"3d"``, ``"2w"``), read as working days."""

    doc = "working time"

    def __init__(self, default: str | None = None) -> None:
        self.default_text = default

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if isinstance(value, str):  # (a length already worked out, within reach)
            days = _WORKING_DAYS.get((value, r.per_week))
            if days is not None and days <= MOST_WORKING_DAYS:
                return days
        if isinstance(value, int) and not isinstance(value, bool):
            r.fail(path, f"'{key}' in {what} should say its unit: d for working days or w "
                   "for working weeks", f'write {key} = "{value}d"')
            return BAD
        known = (value, r.per_week) if isinstance(value, str) else None
        days = _WORKING_DAYS.get(known) if known is not None else None
        if days is None:
            try:
                days = parse_work(value).days(r.per_week)
            except DurationError as exc:
                r.fail(path, f"{exc.said} (in {what})", exc.hint)
                return BAD
            if known is not None and len(_WORKING_DAYS) < 4096:
                _WORKING_DAYS[known] = days
        return within_reach(r, days, value, path, key, what)

    def default(self, r: Reader, declared: Any) -> Any:
        if self.default_text is None:
            return declared
        return parse_work(self.default_text).days(r.per_week)

    def json(self) -> dict[str, Any]:
        return {"type": "string", "pattern": rf"^\s*{_WITHIN_REACH}\s*[dDwW]\s*$"}


# A number of working days or weeks coplan plans for, as the JSON Schema says it: the
# schema does not know the plan's working week, so weeks are bound as in a week of one
# working day (the longest any week allows); coplan itself refuses fewer weeks where the
# week has more days.
_WITHIN_REACH = upto(MOST_WORKING_DAYS)


_WORKING_DAYS: dict[tuple[str, int], int] = {}
"""Working lengths as written ("2w") and the working days each is in a week of so many
days: a large plan writes a few lengths thousands of times."""


def within_reach(r: Reader, days: int, written: str, path: KeyPath, key: str,
                 what: str) -> Any:
    """A working length no longer than coplan plans for (about ten years)."""
    if days > MOST_WORKING_DAYS:
        r.fail(path, f"'{key}' in {what} is {describe_value(written.strip())}, more than "
               f"{MOST_WORKING_DAYS:,} "
               "working days (about ten years); coplan does not plan that far",
               "check the number and its unit: d is a working day, w a working week")
        return BAD
    return days


class Weeks(Kind):
    """A whole number of weeks (``"4w"``), for how often a meeting recurs."""

    doc = 'whole weeks (`"1w"`, `"2w"`, `"4w"` …)'

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        try:
            if not isinstance(value, str):
                raise DurationError(f"'{value}' needs a unit")
            length = parse_work(value)
            if length.unit != "w" or length.amount < 1:
                raise DurationError(f"'{value}' should be a number of weeks")
        except DurationError:
            r.fail(path, f"'{key}' in {what} should be a number of weeks, such as \"1w\", "
                   "\"2w\" or \"4w\"", f'write {key} = "4w"')
            return BAD
        if length.amount > 52:
            r.fail(path, f"'{key}' in {what} is {describe_value(value)}; a standing meeting "
                   "meets at least once a year", f'write at most {key} = "52w"')
            return BAD
        return length.amount

    def json(self) -> dict[str, Any]:
        return {"type": "string", "pattern": rf"^\s*{from_one(52)}\s*[wW]\s*$"}


class Clock(Kind):
    """A length of clock time (``"2h"``, ``"90m"``, ``"1h30m"``), read as minutes."""

    doc = "clock time"

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            r.fail(path, f"'{key}' in {what} should say its unit: h or m",
                   f'write {key} = "{value}m" for minutes or "{value}h" for hours')
            return BAD
        try:
            return parse_clock(value)
        except DurationError as exc:
            r.fail(path, f"{exc.said} (in {what})", exc.hint)
            return BAD

    def json(self) -> dict[str, Any]:
        return {"type": "string", "pattern": _CLOCK_JSON}


def _clock_pattern() -> str:
    """``"2h"``, ``"90m"``, ``"1h30min"`` as ``parse_clock`` reads them (any case), of
    more than no time and at most a day (24 hours)."""
    hours, minutes = "\\s*[hH]", "\\s*[mM](?:[iI][nN])?"
    forms = [from_one(24) + hours, from_one(24 * 60) + minutes,
             f"0+{hours}\\s*{from_one(24 * 60)}{minutes}",
             f"0*24{hours}\\s*0+{minutes}"]
    forms += [f"0*{h}{hours}\\s*{upto(24 * 60 - 60 * h)}{minutes}" for h in range(1, 24)]
    return "^\\s*(?:" + "|".join(forms) + ")\\s*$"


_CLOCK_JSON = _clock_pattern()


class TimeOfDay(Kind):
    doc = "time of day"

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if isinstance(value, time):
            return value.replace(second=0, microsecond=0, tzinfo=None)
        if isinstance(value, str):
            match = _TIME.match(value.strip())
            if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
                return time(int(match.group(1)), int(match.group(2)))
        r.fail(path, f"'{key}' in {what} should be a time of day on the 24-hour clock, not "
               f"{describe_value(value)}", f'write {key} = "14:00"')
        return BAD

    def json(self) -> dict[str, Any]:
        # A TOML time (10:00:00) reaches a schema checker as text, seconds and all.
        return {"type": "string",
                "pattern": r"^\s*([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?\s*$"}


class BufferLength(Kind):
    """Slow-down time: a share (``"25%"``), a working length, or ``"rss"`` where allowed."""

    def __init__(self, *, allow_rss: bool = False) -> None:
        self.allow_rss = allow_rss

    @property
    def doc(self) -> str:  # type: ignore[override]
        return ('buffer (`%`, `d`, `w` or `"rss"`)' if self.allow_rss
                else "buffer (`%`, `d` or `w`)")

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        try:
            if isinstance(value, int) and not isinstance(value, bool):
                raise DurationError(f"'{value}' needs a unit",
                                    f"write it as \"{value}d\", \"{value}w\" or \"{value}%\"")
            size = parse_buffer(value, allow_rss=self.allow_rss)
        except DurationError as exc:
            r.fail(path, f"{exc.said} (in {what})", exc.hint)
            return BAD
        if isinstance(size, WorkLength) and \
                within_reach(r, size.days(r.per_week), value, path, key, what) is BAD:
            return BAD
        return size

    def json(self) -> dict[str, Any]:
        # a share of at most 500% (five times the stage), a working length within reach
        share = rf"(?:{upto(499)}(?:\.\d+)?|0*500(?:\.0+)?)\s*%"
        pattern = (rf"^\s*({share}|{_WITHIN_REACH}\s*[dDwW]"
                   + (r"|[rR][sS][sS]" if self.allow_rss else "") + r")\s*$")
        return {"type": "string", "pattern": pattern}


class Choice(Kind):
    """One word from a vocabulary (``vocab``); hyphens, underscores and case are alike."""

    form = "select"

    def __init__(self, words: vocab.Vocabulary, heading: str = "", anchor: str = "") -> None:
        self.words = words
        self.heading = heading or words.name  # its heading in the docs' Allowed values
        self.anchor = anchor or _anchor(self.heading)

    @property
    def doc(self) -> str:  # type: ignore[override]
        return f"one of [{self.heading}](#{self.anchor})"

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if not isinstance(value, str):
            r.fail(path, f"'{key}' in {what} should be one of the {self.words.name} words, "
                   f"not {describe_value(value)}",
                   f"write one in quotes: {one_of(self.words.ids())}")
            return BAD
        term = self.words.get(value)
        if term is None:
            hint = suggest(vocab.normalise(value), self.words.ids()) or \
                f"use one of {one_of(self.words.ids())}"
            r.fail(path, f"'{value}' is not {a(self.words.name)} coplan knows (in {what})", hint)
            return BAD
        return term.id

    def json(self) -> dict[str, Any]:
        # The words for editors to offer, and each as coplan reads it (any case, '_' or a
        # space for '-').
        return {"type": "string", "anyOf": [{"enum": self.words.ids()},
                                            {"pattern": word_pattern(self.words.ids())}]}


_OTHER = r"\s*[Oo][Tt][Hh][Ee][Rr]:"  # "other: ..." in a list of words, as coplan reads it


class Strings(Kind):
    """A list of text; one item in quotes is accepted where a list is expected."""

    doc = "list of text"
    form = "list"

    def __init__(self, *, allow_single: bool = True) -> None:
        self.allow_single = allow_single

    def items(self, r: Reader, value: Any, path: KeyPath, key: str,
              what: str) -> list[tuple[int, str]] | Any:
        if isinstance(value, str) and self.allow_single:
            text = value.strip()
            if not text:
                blank_entry(r, self, path, key, what, value)
                return BAD
            if check_text(r, text, path, key, what) is BAD:
                return []
            return [(-1, text)]
        if not isinstance(value, list):
            r.fail(path, f"'{key}' in {what} should be a list of text, not "
                   f"{describe_value(value)}", f'write it as a list in quotes, such as '
                   f'{key} = ["a", "b"]')
            return BAD
        if len(value) > MOST_ENTRIES:
            r.fail(path, f"'{key}' in {what} has {len(value):,} entries; coplan keeps a list to "
                   f"{MOST_ENTRIES:,}", "split it, or keep the full list in a document")
            return BAD
        out = []
        for i, item in enumerate(value):
            if isinstance(item, str):
                text = item.strip()
                if not text:  # says nothing: refused, not passed over
                    blank_entry(r, self, (*path, i), key, what, item)
                    continue
                # (what ``check_text`` takes at once, taken here without its path)
                if (len(text) <= LONGEST_LINE and _ODD_LINE.search(text) is None) or \
                        check_text(r, text, (*path, i), key, what) is not BAD:
                    out.append((i, text))
            else:
                r.fail((*path, i), f"each entry of '{key}' in {what} should be text, "
                       f"not {describe_value(item)}", "put it in quotes")
        return out

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        found = self.items(r, value, path, key, what)
        return BAD if found is BAD else tuple([text for _, text in found])

    def json(self) -> dict[str, Any]:
        one = text_json(words=True)  # (an entry is never empty: ``blank_entry``)
        array = {"type": "array", "items": one, "maxItems": MOST_ENTRIES}
        return either(array, one) if self.allow_single else array


class Choices(Strings):
    """A list of vocabulary words; ``other: ...`` entries (or, with ``free_text``, any
    words) are kept as the team wrote them."""

    form = "multi"

    def __init__(self, words: vocab.Vocabulary, heading: str = "", anchor: str = "", *,
                 free_text: bool = False) -> None:
        super().__init__()
        self.words = words
        self.free_text = free_text
        self.heading = heading or words.name
        self.anchor = anchor or _anchor(self.heading)

    @property
    def doc(self) -> str:  # type: ignore[override]
        own = " or your own words" if self.free_text else ""
        return f"list of [{self.heading}](#{self.anchor}) values{own}"

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        found = self.items(r, value, path, key, what)
        if found is BAD:
            return BAD
        out = []
        for i, item in found:
            term = self.words.get(item)
            if term is not None:
                out.append(term.id)
            elif self.free_text:
                out.append(item)
            elif (own := vocab.own_words(item)) is not None:
                if own:
                    out.append(item)
                else:  # "other:" alone says nothing the team could act on
                    r.fail((*path, i) if i >= 0 else path,
                           f"an entry of '{key}' in {what} has no words after 'other:'",
                           'say what is needed after it, such as "other: a quiet room", '
                           "or take the entry out")
            else:
                hint = suggest(vocab.normalise(item), self.words.ids()) or (
                    f"use one of {one_of(self.words.ids())}, or write \"other: ...\" in your "
                    "own words")
                r.fail((*path, i) if i >= 0 else path,
                       f"'{item}' is not {a(self.words.name)} coplan knows (in {what})", hint)
        return tuple(out)

    def json(self) -> dict[str, Any]:
        if self.free_text:
            item: dict[str, Any] = {**text_json(), "examples": self.words.ids()}
            return either({"type": "array", "items": item, "maxItems": MOST_ENTRIES}, item)
        # A word as coplan reads it (any case, '_' or a space for '-') or "other: ...";
        # the list of words stays for editors to offer.  Both only say anything of text, so
        # beside a list they hold of its entries alone (no test of the whole list).
        # ("other: ..." is the team's own words, held to what any one-line text with words
        # may hold: at least one that is not a space, and spaces around not part of it)
        own = text_json(words=True)["pattern"].removeprefix("^\\s*")
        words = {"anyOf": [{"enum": self.words.ids()},
                           {"pattern": word_pattern(self.words.ids(), _OTHER + own)}]}
        return either({"type": "array", "items": {"type": "string", **words},
                       "maxItems": MOST_ENTRIES}, {"type": "string"}, words)


class Percent(Kind):
    """A share written with a percent sign (``"60%"``), read as a whole number of percent."""

    doc = "percentage"

    def __init__(self, most: int = 100) -> None:
        self.most = most

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        match = _PERCENT_TEXT.match(value) if isinstance(value, str) else None
        if match is None or int(match.group(1)) > self.most:
            r.fail(path, f"'{key}' in {what} should be a percentage from 0% to {self.most}%, "
                   f"not {describe_value(value)}", f'write {key} = "50%"')
            return BAD
        return int(match.group(1))

    def json(self) -> dict[str, Any]:
        return {"type": "string",
                "pattern": rf"^\s*{upto(self.most, zeros=False)}\s*%\s*$"}


_REF_WORDS = {"person": "a person", "stage": "a stage", "decision": "a decision",
              "touchpoint": "a touchpoint", "activity": "a touchpoint or meeting"}


def blank_entry(r: Reader, kind: Kind, path: KeyPath, key: str, what: str,
                written: str) -> None:
    """Refuse an entry of a list of words or ids that is empty or only spaces (``needs =
    [" "]``): it says nothing, and was passed over as if not written."""
    if kind.targets:  # a list of ids: an empty one names nothing
        empty_ref(r, kind, path, key, what)
        return
    spaces = " (only spaces)" if written else ""
    if path and isinstance(path[-1], int):
        r.fail(path, f"'{key}' in {what} has an empty entry{spaces}, which says nothing",
               "take the empty entry out, or write what you meant in it")
    else:  # one entry written without the list around it
        r.fail(path, f"'{key}' in {what} is empty{spaces}, which says nothing",
               f"write what you meant, or {key} = [] for none")


def empty_ref(r: Reader, kind: Kind, path: KeyPath, key: str, what: str) -> None:
    """Note that ``key`` names an empty id (``""``, or only spaces): it names nothing,
    which the plan cannot mean; before, it was taken as not written at all."""
    whom = _REF_WORDS.get(kind.ref or "", "an entry")
    r.fail(path, f"'{key}' in {what} names an empty id", f"write the id of {whom} in the "
           "plan, or take the empty entry out")


class OneRef(Text):
    """The id of one entry of the plan (``targets`` says which arrays' entries)."""

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if isinstance(value, str) and not value.strip():
            empty_ref(r, self, path, key, what)
            return BAD
        return super().read(r, value, path, key, what)

    def ids(self, value: Any) -> tuple[str, ...]:
        return (value,) if value else ()

    def json(self) -> dict[str, Any]:
        return text_json(words=True)


class TouchpointRef(OneRef):
    """The id of a touchpoint in the plan."""

    doc = "touchpoint id"
    form = "touchpoint"
    ref = "touchpoint"
    targets = (("stage", "touchpoint"),)


class ActivityRef(OneRef):
    """The id of a touchpoint or of a standing meeting."""

    doc = "touchpoint or meeting id"
    form = "activity"
    ref = "activity"
    targets = (("stage", "touchpoint"), ("meeting",))


class DecisionRef(OneRef):
    """The id of a decision of the stage in question."""

    doc = "decision id"
    form = "decision"
    ref = "decision"
    targets = (("stage", "decision"),)


class PersonRef(OneRef):
    """The id of a person in the plan."""

    doc = "person id"
    form = "person"
    ref = "person"
    targets = (("person",),)


class PersonRefs(Strings):
    """A list of ids of people in the plan."""

    doc = "list of person ids"
    form = "people"
    ref = "person"
    targets = (("person",),)

    def ids(self, value: Any) -> tuple[str, ...]:
        return tuple(value)


class StageRef(OneRef):
    """The id of a stage in the plan."""

    doc = "stage id"
    form = "stage"
    ref = "stage"
    targets = (("stage",),)


class KeptStageRef(Id):
    """The id of a stage in a record kept after the stage itself may be gone (a baseline's
    entry): renamed with the stage, never refused for naming none."""

    doc = "stage id"
    names = "stage"


class DecisionRefs(Strings):
    """A list of ids of the stage's own decisions."""

    doc = "list of decision ids"
    form = "decisions"
    ref = "decision"
    targets = (("stage", "decision"),)

    def ids(self, value: Any) -> tuple[str, ...]:
        return tuple(value)


def _anchor(title: str) -> str:
    """The anchor GitHub gives a heading of docs/plan-format.md's Allowed values."""
    return _NOT_IN_ANCHOR.sub("", title.lower()).replace(" ", "-")


_NOT_IN_ANCHOR = re.compile(r"[^a-z0-9 -]")


# -- declaring keys and tables ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Key:
    """One key of the plan file, as declared on a model field."""

    toml: str  # the key as written in the file ("" until bound to its field)
    kind: Kind
    doc: str
    required: bool = False
    default_doc: str = ""  # how the default reads in the docs, when it is not the value
    label: str = ""  # the app's label for it
    example: str = ""  # a value to show in messages and docs
    field: str = ""  # the model field it fills
    # For a key of a person: whether it is one of their private details (``True``: in no
    # copy of the plan made for others, and in a served app shown only to them and to the
    # people who look after private details), or shown to others as the rest of their
    # entry is (``False``).  Every key of a person says which (a test checks); ``None``
    # for keys that are not about one person.
    private: bool | None = None

    @property
    def ref(self) -> str | None:
        return self.kind.ref


@dataclass(frozen=True, slots=True)
class Sub:
    """A table (``[project.slow_down]``) or array of tables (``[[stage.touchpoint]]``)
    inside another, filling a model field with an item or a tuple of items."""

    toml: str
    model: type
    doc: str
    array: bool = False
    inline: bool = False  # an array written inline: closures = [{ ... }, { ... }]
    required: bool = False
    default_doc: str = ""
    label: str = ""
    field: str = ""


def key(kind: Kind, doc: str, *, toml: str = "", default: Any = None,
        factory: Callable[[], Any] | None = None, required: bool = False,
        default_doc: str = "", label: str = "", example: str = "",
        private: bool | None = None) -> Any:
    """Declare a model field as a key of the plan file (see the module's docstring);
    ``private`` for each key of a person (``Key.private``)."""
    spec = Key(toml, kind, doc, required, default_doc, label, example, private=private)
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata={META: spec})
    return dataclasses.field(default=default, metadata={META: spec})


def table(model: type, doc: str, *, toml: str = "", default_doc: str = "see below",
          label: str = "") -> Any:
    """Declare a model field as a table of the plan file."""
    return dataclasses.field(default_factory=model,
                             metadata={META: Sub(toml, model, doc, default_doc=default_doc,
                                                 label=label)})


def tables(model: type, doc: str, *, toml: str = "", inline: bool = False,
           label: str = "") -> Any:
    """Declare a model field as an array of tables (a tuple of items)."""
    return dataclasses.field(default=(),
                             metadata={META: Sub(toml, model, doc, array=True, inline=inline,
                                                 default_doc="`[]`", label=label)})


@dataclass(frozen=True, slots=True)
class Shape:
    """How the items of one model class are written and named in the file.

    ``anonymous`` names an item in messages before its id is known (``"a stage"``);
    ``named`` once it is (``"stage '{id}'"``).  They may use ``{n}`` (its number, from
    1), ``{parent}`` (what holds it) and ``{name}`` (the value of ``name_from``).
    ``identity`` is the key that tells items of an array apart ("id"); without one, the
    merge knows an item by its whole content.
    """

    anonymous: str
    named: str = ""
    name_from: tuple[str, ...] = ("id",)
    identity: str | None = None
    plural: str = ""  # "stages", for "list of stages" in the docs and messages
    within: str = ""  # where ids must differ, when not plan-wide: " in {parent}"
    heading: str = ""  # the docs' heading for its key table
    kept: str = ""  # for a record about one person: what it records ("has been paid")
    # For a record of what happened (a session held, a reflection, a payment): one entry in
    # words ("session record"). Such entries are history: removing what they name never
    # rewrites them.
    history: str = ""


SHAPE_ATTR = "__coplan_shape__"


def shape(anonymous: str, named: str = "", *, name_from: tuple[str, ...] = ("id",),
          identity: str | None = None, plural: str = "", within: str = "",
          heading: str = "", kept: str = "", history: str = "") -> Callable[[type], type]:
    """Class decorator: how a model's items are named in messages and known in merges."""

    def mark(cls: type) -> type:
        setattr(cls, SHAPE_ATTR, Shape(anonymous, named, name_from, identity, plural,
                                       within, heading, kept, history))
        return cls

    return mark


@dataclass(frozen=True, slots=True)
class Member:
    """A declared field of a model: a key, or a table/array of tables."""

    field: str
    spec: Key | Sub
    default: Any

    @property
    def toml(self) -> str:
        return self.spec.toml


@dataclass(frozen=True, slots=True)
class Schema:
    """A model class's declared members, in the order they are declared."""

    model: type
    members: tuple[Member, ...]
    by_toml: Mapping[str, Member]
    shape: Shape
    # What the loader walks, made once: (field, key in the file, spec, kind or None for a
    # table), and each field's default.
    steps: tuple[tuple[str, str, Key | Sub, Kind | None], ...] = ()
    defaults: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    # The members that name ids or hold tables: all a walk over references needs.
    linked: tuple[Member, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(m.toml for m in self.members)

    def key(self, toml: str) -> Key | None:
        member = self.by_toml.get(toml)
        return member.spec if member and isinstance(member.spec, Key) else None

    def subs(self) -> Iterator[Member]:
        return (m for m in self.members if isinstance(m.spec, Sub))


_SCHEMAS: dict[type, Schema] = {}
# (declaration class) -> how ``_bound`` copies one of it: ``_binder``
_BINDERS: dict[type, Callable[[Any, str, str], Any]] = {}


def _bound(spec: Key | Sub, toml: str, field: str) -> Key | Sub:
    """``dataclasses.replace(spec, toml=toml, field=field)``: a copy of the declaration
    that knows its key and field, made as ``replace`` makes it (the class's ``__init__``
    given every field), without looking up its fields again: the start of every command
    that reads a plan binds about 280 of them."""
    cls = type(spec)
    bind = _BINDERS.get(cls)
    if bind is None:
        bind = _BINDERS[cls] = _binder(cls)
    return bind(spec, toml, field)  # type: ignore[no-any-return]


def _binder(cls: type) -> Callable[[Any, str, str], Any]:
    """For ``_bound``: a declaration of ``cls`` copied with its ``toml`` and ``field``.
    Every field of ``Key`` and ``Sub`` is a parameter of ``__init__``, in the order of the
    fields, so the copy passes them all at once (a class where that is not so is copied by
    ``replace`` itself)."""
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    if not all(f.init for f in fields) or "toml" not in names or "field" not in names:
        return lambda spec, toml, field: dataclasses.replace(spec, toml=toml, field=field)
    values_of = attrgetter(*names)
    at_toml, at_field = names.index("toml"), names.index("field")

    def bind(spec: Any, toml: str, field: str) -> Any:
        values = list(values_of(spec))
        values[at_toml] = toml
        values[at_field] = field
        return cls(*values)

    return bind


def schema_of(model: type) -> Schema:
    """The declared members of ``model`` (worked out once per class)."""
    found = _SCHEMAS.get(model)
    if found is not None:
        return found
    members = []
    for f in dataclasses.fields(model):
        spec = f.metadata.get(META)
        if spec is None:
            continue
        spec = _bound(spec, spec.toml or f.name, f.name)
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:  # pragma: no cover - every declared field has a default
            default = None
        members.append(Member(f.name, spec, default))
    steps = tuple((m.field, m.toml, m.spec, m.spec.kind if isinstance(m.spec, Key) else None)
                  for m in members)
    found = Schema(model, tuple(members), {m.toml: m for m in members},
                   getattr(model, SHAPE_ATTR, Shape("an entry")), steps,
                   {m.field: m.default for m in members},
                   tuple(m for m in members if isinstance(m.spec, Sub) or m.spec.ref))
    _SCHEMAS[model] = found
    return found


@dataclass(frozen=True, slots=True)
class Place:
    """Where a table sits in the file: its header, the model it fills, how it holds."""

    path: tuple[str, ...]  # ("stage", "touchpoint")
    model: type
    sub: Sub | None  # None for the whole plan

    @property
    def header(self) -> str:
        name = ".".join(self.path)
        if self.sub is None:
            return ""
        if self.sub.inline:
            return f"{name} = [{{ … }}]"
        return f"[[{name}]]" if self.sub.array else f"[{name}]"


_PLACES: dict[type, dict[tuple[str, ...], Place]] = {}


def places(root: type) -> list[Place]:
    """Every table of the file under ``root`` (the Plan), outermost first."""
    return list(_places(root).values())


def _places(root: type) -> dict[tuple[str, ...], Place]:
    # Worked out once per class, as ``schema_of`` is: every review rule's fix names keys
    # of the file, looked up here when the rules are made.
    found = _PLACES.get(root)
    if found is None:
        found = {(): Place((), root, None)}
        _walk_places(root, (), found)
        _PLACES[root] = found
    return found


def _walk_places(model: type, path: tuple[str, ...],
                 out: dict[tuple[str, ...], Place]) -> None:
    for member in schema_of(model).subs():
        sub = member.spec
        assert isinstance(sub, Sub)
        where = (*path, sub.toml)
        out.setdefault(where, Place(where, sub.model, sub))
        _walk_places(sub.model, where, out)


def place_of(root: type, path: tuple[str, ...]) -> Place | None:
    """The table at ``path`` (such as ``("payment", "rates")``) under ``root``."""
    return _places(root).get(path)


FIELD_REF = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)*)\}")
"""A reference to a key or table of the file in a text meant for people (a review rule's
fix): ``{governance.lead}``, ``{stage.touchpoint.aftercare}``, ``{log}``."""


def field_ref(root: type, ref: str) -> tuple[Place, Key | None]:
    """The table and key ``ref`` names (``"governance.lead"``; ``"log"`` names a table);
    ``KeyError`` for a reference to nothing in the file."""
    parts = tuple(ref.split("."))
    place = place_of(root, parts)
    if place is not None:
        return place, None
    place = place_of(root, parts[:-1])
    spec = schema_of(place.model).key(parts[-1]) if place is not None else None
    if place is None or spec is None:
        raise KeyError(f"'{ref}' names no key or table of the plan file")
    return place, spec


_ITEM_WORDS = re.compile(r"^an? ([a-z -]+?)(?: in \{parent\})?$")


def _item_words(place: Place) -> str:
    """How words name one entry of an array: "the touchpoint", "the person"."""
    anonymous = schema_of(place.model).shape.anonymous
    match = _ITEM_WORDS.match(anonymous)
    return f"the {match.group(1) if match else place.path[-1]}"


def _table_words(root: type, place: Place) -> str:
    label = place.sub.label if place.sub is not None and place.sub.label else place.path[-1]
    parent = place_of(root, place.path[:-1]) if len(place.path) > 1 else None
    if parent is None or parent.sub is None:
        return label
    return f"{label} of {_item_words(parent)}" if parent.sub.array else label


def field_words(root: type, ref: str) -> str:
    """A key or table of the file in plain words, named as the app's forms label it:
    ``{governance.lead}`` is "'Involvement lead' (Governance)", ``{stage.touchpoint.who}``
    "the touchpoint's 'Who takes part'", ``{log}`` "the Decision log"."""
    place, spec = field_ref(root, ref)
    if spec is None:
        return ("the " if len(place.path) == 1 else "") + _table_words(root, place)
    label = f"'{spec.label or spec.toml}'"
    if place.sub is not None and place.sub.array:
        return f"{_item_words(place)}'s {label}"
    return f"{label} ({_table_words(root, place)})"


def field_text(root: type, text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` with each ``{reference}`` put in plain words, and the references in the
    order they appear."""
    if "{" not in text:  # (most texts name no key: nothing to look for)
        return text, ()
    refs = tuple(FIELD_REF.findall(text))
    if not refs:
        return text, ()
    words = _FIELD_WORDS.setdefault(root, {})
    for ref in refs:
        if ref not in words:
            words[ref] = field_words(root, ref)
    return FIELD_REF.sub(lambda m: words[m.group(1)], text), refs


# (root, reference) -> ``field_words``: the review's hundred rules name 150 keys between
# them, some many times, each looked up as the rules are made (the schema never changes)
_FIELD_WORDS: dict[type, dict[str, str]] = {}


def records_about(root: type) -> list[tuple[tuple[str, ...], Key, Shape]]:
    """Arrays whose entries are records about one person (a sign-off, a payment): the
    table's path, the key naming the person, and the entries' shape."""
    out = []
    for place in places(root):
        shape_of = schema_of(place.model).shape
        if not shape_of.kept:
            continue
        for member in schema_of(place.model).members:
            if isinstance(member.spec, Key) and member.spec.ref == "person" and \
                    member.spec.required:
                out.append((place.path, member.spec, shape_of))
    return out


def history_places(root: type) -> list[Place]:
    """The arrays of tables whose entries are records of what happened (a session's
    record, a reflection, the decision and impact logs, a sign-off, a payment), as their
    shapes declare them (``history``)."""
    return [place for place in places(root) if schema_of(place.model).shape.history]


def history_refs(root: type) -> list[tuple[tuple[str, ...], Key]]:
    """Every key of a record of what happened that names other entries of the file (an
    impact entry's touchpoint and decision, a payment's activity, a reflection's people),
    as (path of the record's table, key); the key's ``kind.targets`` says which arrays'
    entries it names.  What an edit must not take away while a record names it."""
    return [(place.path, member.spec) for place in history_places(root)
            for member in schema_of(place.model).members
            if isinstance(member.spec, Key) and member.spec.kind.targets]


def key_paths(root: type, ref: str, *,
              kept: bool = False) -> list[tuple[tuple[str, ...], Key]]:
    """Every key under ``root`` that names ids of ``ref`` ("person", "stage", ...), as
    (path of its table, key); with ``kept``, also the keys that name them unchecked, in
    records kept after the item may be gone (``Kind.names``: a baseline's stage)."""
    out = []
    for place in places(root):
        for member in schema_of(place.model).members:
            if isinstance(member.spec, Key) and (member.spec.ref == ref or (
                    kept and member.spec.kind.names == ref)):
                out.append((place.path, member.spec))
    return out


def identities(root: type) -> dict[str, str | None]:
    """Arrays of tables by their key in the file, with the key that tells entries apart
    (None: entries are known by their whole content)."""
    out: dict[str, str | None] = {}
    for place in places(root):
        if place.sub is not None and place.sub.array and not place.sub.inline:
            # By name, the outermost first: [[stage]] is known by its id, while the
            # [[baseline.stage]] entries (whose name a merge cannot tell apart) by content.
            out.setdefault(place.path[-1], schema_of(place.model).shape.identity)
    return out


# -- kinds with a shape of their own -----------------------------------------------------

class Weekdays(Kind):
    """The working week: a list of days ("mon" … "sun", or full names), each once."""

    doc = "list of days"
    form = "multi"

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if not isinstance(value, list):
            r.fail(path, f"'{key}' in {what} should be a list of text, not "
                   f"{describe_value(value)}", f'write it as a list in quotes, such as '
                   f'{key} = ["a", "b"]')
            return BAD
        days: list[int] = []
        names = 0
        for i, name in enumerate(value):
            if not isinstance(name, str):
                r.fail((*path, i), f"each entry of '{key}' in {what} should be text, "
                       f"not {describe_value(name)}", 'write days in quotes, such as "mon"')
                continue
            if not name.strip():
                continue
            names += 1
            index = weekday(name)
            if index is None:
                r.fail((*path, i), f"'{name.strip()}' is not a day of the week",
                       suggest(name.strip().lower(), vocab.WEEKDAYS) or
                       'write days as "mon", "tue", ...')
                continue
            if index in days:
                r.fail((*path, i), f"'{name.strip()}' is listed twice in {key}",
                       "remove one of the two")
                continue
            days.append(index)
        if not names:
            r.fail(path, f"{key} is empty; a plan needs at least one working day a week",
                   'write working_days = ["mon", "tue", "wed", "thu", "fri"]')
            return BAD
        return tuple(sorted(days)) if days else BAD

    def json(self) -> dict[str, Any]:
        return {"type": "array", "minItems": 1, "uniqueItems": True,
                "items": {"enum": [*vocab.WEEKDAYS,
                                   *(n.lower() for n in vocab.WEEKDAY_NAMES)]}}


class Weekday(Kind):
    """One day of the week, read as 0 (Monday) to 6 (Sunday)."""

    doc = "day of the week"
    form = "select"

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        day = weekday(value) if isinstance(value, str) else None
        if day is None:
            r.fail(path, f"'{key}' in {what} should be a day of the week such as \"tue\", not "
                   f"{describe_value(value)}", suggest(str(value).lower(), vocab.WEEKDAYS))
            return BAD
        return day

    def json(self) -> dict[str, Any]:
        return {"enum": [*vocab.WEEKDAYS, *(n.lower() for n in vocab.WEEKDAY_NAMES)]}


# Windows names people copy from their computer's settings, and the IANA names coplan needs.
_WINDOWS_ZONES = {
    "gmt standard time": "Europe/London", "greenwich standard time": "Atlantic/Reykjavik",
    "w. europe standard time": "Europe/Berlin", "romance standard time": "Europe/Paris",
    "central europe standard time": "Europe/Budapest", "irish standard time": "Europe/Dublin",
    "eastern standard time": "America/New_York", "central standard time": "America/Chicago",
    "mountain standard time": "America/Denver", "pacific standard time": "America/Los_Angeles",
    "aus eastern standard time": "Australia/Sydney", "india standard time": "Asia/Kolkata",
    "new zealand standard time": "Pacific/Auckland", "utc": "UTC",
}


class TimeZone(Text):
    """An IANA time zone name; Windows names are recognised and translated in the fix."""

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        name = super().read(r, value, path, key, what)
        if name is BAD or not name:
            return BAD
        from coplan import zonecache

        if ("/" in name or name == "UTC") and zonecache.known_zone(name):
            return name  # found by zoneinfo before, in a file that has not changed
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

        try:
            if "/" not in name and name != "UTC":
                raise ZoneInfoNotFoundError(name)
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            windows = _WINDOWS_ZONES.get(name.lower())
            hint = (f"'{name}' is a Windows name; write timezone = \"{windows}\"" if windows
                    else suggest(name, sorted(available_timezones()))) or \
                'use an IANA time zone name such as "Europe/London" or "America/New_York"'
            r.fail(path, f"'{name}' is not a time zone coplan knows", hint)
            return BAD
        zonecache.remember_zone(name)
        return name


class HolidayRegion(Kind):
    """A public-holiday region code such as ``"GB-ENG"``; ``"none"`` or ``false`` for none."""

    doc = "text"

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if value is False or (isinstance(value, str)
                              and value.strip().lower() in ("", "none", "no")):
            return None
        if not isinstance(value, str):
            r.fail(path, f"'{key}' should be a region code, not {describe_value(value)}",
                   f'write it in quotes, such as {key} = "GB-ENG"')
            return BAD
        from coplan.regions import UnknownRegion, check_region

        try:
            return check_region(value)
        except UnknownRegion as exc:
            r.fail(path, str(exc), exc.hint)
            return BAD

    def json(self) -> dict[str, Any]:
        return {"anyOf": [{"type": "string", "examples": ["GB-ENG", "GB-SCT", "none"]},
                          {"enum": [False]}]}


class VersionText(Kind):
    """A version such as ``"1.0"``; a bare number is accepted and read as text."""

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            r.fail(path, f"'{key}' in {what} should be text, not {describe_value(value)}",
                   f'write it in quotes, such as {key} = "1.0"')
            return BAD
        return value.strip()

    def json(self) -> dict[str, Any]:
        return {"type": ["string", "number"]}


_OFFSET_JSON = r"^\s*[+-]\s*\d+\s*[dDwW]\s*$"
# "start", "end", an offset or a date as text (a TOML date reaches a checker as text).
_MOMENT_JSON = (r"^\s*(start|end|[+-]\s*" + upto(MOST_WORKING_DAYS) + r"\s*[dDwW])\s*$"
                r"|^\d{4}-\d{2}-\d{2}$")


_MOMENT_HINT = ('write "start", "end", an offset such as "+1w" (after the start) or "-2d" '
                "(before the end), or a date without quotes such as 2027-03-01")


class Moment(Kind):
    """When something happens in a stage: ``"start"``, ``"end"``, an offset (``"+2w"``
    after the start, ``"-1w"`` before the end) or a date.  Read as the text or the date."""

    doc = '`"start"`, `"end"`, an offset or a date'

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if isinstance(value, date) and not isinstance(value, datetime):
            return read_date(r, value, path, key, what)
        if isinstance(value, str) and value.strip() in ("start", "end"):
            return value.strip()
        if isinstance(value, str):
            try:
                _, length = parse_offset(value)
            except DurationError as exc:
                if _DATE_TEXT.match(value):
                    return read_date(r, value, path, key, what)
                r.fail(path, f"{exc.said} (in {what})", f'{exc.hint}; or write "start", "end" '
                       "or a date without quotes such as 2027-03-01")
                return BAD
            if within_reach(r, length.days(r.per_week), value, path, key, what) is BAD:
                return BAD
            return value.strip()
        r.fail(path, f"'{key}' in {what} should be \"start\", \"end\", an offset or a date, "
               f"not {describe_value(value)}", _MOMENT_HINT)
        return BAD

    def json(self) -> dict[str, Any]:
        return {"type": "string", "pattern": _MOMENT_JSON}


class Sessions(Kind):
    """When a touchpoint's sessions happen: one moment or a list of them, each read as
    ``model.When``."""

    doc = '`"start"`, `"end"`, offset, date, or a list of these'

    def __init__(self, model: type) -> None:
        self.model = model  # model.When: anchor, offset_days, on

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        When = self.model
        values = value if isinstance(value, list) else [value]
        if len(values) > MOST_ENTRIES:
            r.fail(path, f"'{key}' in {what} has {len(values):,} sessions; coplan keeps a list "
                   f"to {MOST_ENTRIES:,}", "split the series across stages")
            return BAD
        out = []
        for i, item in enumerate(values):
            vpath = (*path, i) if isinstance(value, list) else path
            if isinstance(item, date) and not isinstance(item, datetime):
                day = read_date(r, item, vpath, key, what)
                if day is not BAD:
                    out.append(When(anchor="date", on=day))
            elif isinstance(item, str) and item.strip() in ("start", "end"):
                out.append(When(anchor=item.strip()))
            elif isinstance(item, str):
                try:
                    sign, length = parse_offset(item)
                    if length.days(r.per_week) > MOST_WORKING_DAYS:
                        within_reach(r, length.days(r.per_week), item, vpath, key, what)
                        continue
                except DurationError:
                    if _DATE_TEXT.match(item):
                        read_date(r, item, vpath, key, what)
                        continue
                    r.fail(vpath, f"'{key}' in {what} should be \"start\", \"end\", an offset "
                           f"or a date, not {describe_value(item)}", _MOMENT_HINT)
                    continue
                out.append(When(anchor="start" if sign > 0 else "end",
                                offset_days=sign * length.days(r.per_week)))
            else:
                r.fail(vpath, f"'{key}' in {what} should be \"start\", \"end\", an offset or a "
                       f"date, not {describe_value(item)}", _MOMENT_HINT)
        return tuple(out) or BAD

    def json(self) -> dict[str, Any]:
        one = Moment().json()
        return either({"type": "array", "items": one, "minItems": 1}, one)


def link_entries(value: Any) -> list[tuple[int, Any]]:
    """The entries of a stage's ``after``, whatever way it is written (``"aims"``,
    ``["aims", "design"]``, ``{ stage = "aims", lag = "1w" }`` or a list mixing both), as
    (index, entry): a single value is entry 0.

    This is the one place the shape of ``after`` is decoded: the loader, the editor and
    the merge all read it here.
    """
    # (a list, as a plan most often writes it, is known first: asking whether a value is
    # a Mapping goes through the abstract class's own check, slower than the rest)
    if type(value) is list:
        return list(enumerate(value))
    if isinstance(value, (str, Mapping)):
        return [(0, value)]
    if isinstance(value, list):
        return list(enumerate(value))
    return []


def link_stage(entry: Any) -> str | None:
    """The stage id one entry of ``after`` names, or None if it names none."""
    if isinstance(entry, str):
        return entry.strip()
    if isinstance(entry, Mapping) and isinstance(entry.get("stage"), str):
        return str(entry["stage"]).strip()
    return None


def linked_stages(value: Any) -> list[str]:
    """The stage ids a stage's ``after`` names (for graphs and edits)."""
    return [s for _, e in link_entries(value) if (s := link_stage(e)) is not None]


class Links(Kind):
    """A stage's ``after``: the stages it waits for, each an id or ``{ stage, lag }``."""

    doc = "list of stage ids or links"
    form = "links"
    ref = "stage"
    targets = (("stage",),)

    def __init__(self, model: type) -> None:
        self.model = model  # model.Dependency: stage, lag_days

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        Dependency = self.model
        if not isinstance(value, (list, str, Mapping)):
            r.fail(path, f"'{key}' in {what} should list the stages it waits for, not "
                   f"{describe_value(value)}", f'write it such as {key} = ["aims"] or '
                   f'{key} = [{{ stage = "aims", lag = "1w" }}]')
            return BAD
        deps = []
        for i, entry in link_entries(value):
            if isinstance(entry, str):
                if not entry.strip():
                    empty_ref(r, self, (*path, i) if isinstance(value, list) else path,
                              key, what)
                    continue
                deps.append(Dependency(stage=entry.strip()))
            elif isinstance(entry, (dict, Mapping)):
                dep = read_link(r, entry, (*path, i), what, Dependency)
                if dep is not None:
                    deps.append(dep)
            else:
                r.fail((*path, i), f"each entry of '{key}' in {what} should be a stage id, "
                       f"not {describe_value(entry)}", 'write a stage id in quotes, such as '
                       '"aims", or { stage = "aims", lag = "1w" }')
        return tuple(deps)

    def ids(self, value: Any) -> tuple[str, ...]:
        return tuple([d.stage for d in value])

    def json(self) -> dict[str, Any]:
        one = either({"type": "string"}, json_object(self.model))
        return either({"type": "array", "items": one}, one)


def read_link(r: Reader, entry: Mapping[str, Any], path: KeyPath, what: str,
              model: type) -> Any:
    """One ``{ stage = "aims", lag = "1w" }`` link, checked against its declared keys."""
    shape_of = schema_of(model)
    link_what = f"a link in {what}"
    for name in entry:
        if name not in shape_of.by_toml:
            hint = unknown_key_hint(name, model, list(shape_of.keys))
            r.fail((*path, name), f"{link_what} has a key coplan does not know: '{name}'", hint)
    stage = entry.get("stage", MISSING)
    if stage is MISSING:
        r.fail(path, f"{link_what} needs 'stage'", required_hint("stage"))
        return None
    target = _LINK_STAGE.read(r, stage, (*path, "stage"), "stage", link_what)
    if target is BAD or not target:
        return None
    lag = 0
    if "lag" in entry:
        days = _LINK_LAG.read(r, entry["lag"], (*path, "lag"), "lag", link_what)
        lag = 0 if days is BAD else days
    return model(stage=target, lag_days=lag)


_LINK_STAGE, _LINK_LAG = Text(required_words=True), Work()  # (how a link's keys are read)


class SkipReasons(Kind):
    """Review rules switched off, each rule id with the reason it does not fit."""

    doc = "table"
    form = "reasons"

    def read(self, r: Reader, value: Any, path: KeyPath, key: str, what: str) -> Any:
        if not isinstance(value, Mapping):
            r.fail(path, f"{key} should be a table, not {describe_value(value)}",
                   f"write [review.{key}] on a line of its own, with a line for each rule "
                   "below it")
            return BAD
        skip: dict[str, str] = {}
        for rule_id, reason in value.items():
            if not isinstance(reason, str) or not reason.strip():
                r.fail((*path, rule_id), f"rule {rule_id} is switched off without a reason; the "
                       "report shows the reason, so say why",
                       f'write "{rule_id}" = "why this rule does not fit our project"')
                continue
            skip[rule_id.strip().upper()] = reason.strip()
        return skip

    def json(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}}


# -- JSON Schema ------------------------------------------------------------------------

_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


PRIVATE_WORDS = ("Private: in nothing made for others, and in a plan served to web browsers "
                 "shown only to the person and to the people who look after private details.")
"""What the reference and editors say of a key declared private (``Key.private``)."""


def private_fields(model: type) -> tuple[str, ...]:
    """The fields of ``model`` (a person) declared private (``Key.private``): the one list
    the copy for others, the protected view of a served app and the docs all read."""
    return tuple(m.field for m in schema_of(model).members
                 if isinstance(m.spec, Key) and m.spec.private)


def private_keys(model: type) -> frozenset[str]:
    """The keys of ``model`` (a person), as a plan file writes them, declared private:
    what a message about the file (a refused value, a clash in a merge) never quotes."""
    return frozenset(m.toml for m in schema_of(model).members
                     if isinstance(m.spec, Key) and m.spec.private)


NOTES_BELONG = ("notes of the team's own belong in a comment: start the line with # (every "
                "edit keeps comments)")
"""Where the team's own notes about an entry go: there is no key for them, and a plan
file's comments are kept by every edit coplan makes (``unknown_key_hint``)."""


NOTE_KEYS = frozenset({"note", "notes", "comment", "comments", "remark", "remarks", "memo",
                       "info", "details", "description", "about", "misc", "todo"})
"""Keys a team writes for its own notes, answered by where notes belong."""


def unknown_key_hint(name: str, model: type, keys: list[str] | None = None) -> str:
    """What the message about an unknown key ``name`` in a table of ``model`` suggests:
    the key meant ("did you mean 'share_name'?"), else the keys known there (``keys``,
    else every key of ``model``).

    A private key (``private_keys``) is suggested only for a misspelling of it
    (``_misspelt``): a key that is a word of its own, such as ``notes`` on a person, was
    offered "did you mean 'needs'?", which steered the team's free text about someone into
    their access needs.  Where such a key is near only a private one, the hint says where
    the team's notes belong instead (``NOTES_BELONG``)."""
    known = list(schema_of(model).by_toml) if keys is None else keys
    private = private_keys(model)
    if name.lower().strip("_-") in NOTE_KEYS:  # (never "did you mean 'time_commitment'?")
        return f"{NOTES_BELONG}; known keys here: {one_of(known)}"
    hint = suggest(name, known)
    meant = hint[len("did you mean '"):-2] if hint else ""
    if meant in private and not _misspelt(name, meant):
        hint = suggest(name, [k for k in known if k not in private])
        if not hint:
            return f"{NOTES_BELONG}; known keys here: {one_of(known)}"
    return hint or f"known keys here: {one_of(known)}"


def _misspelt(name: str, key: str) -> bool:
    """Whether ``name`` is ``key`` misspelt: the same once case and "-" or "_" are set
    aside, one letter added, left out, changed or two swapped ("need", "emial",
    "benefit_advice"), or its singular or plural ("alias")."""
    a = name.lower().replace("-", "").replace("_", "")
    b = key.lower().replace("_", "")
    if a == b:
        return True
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    if len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 2:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and
                                  a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def meaning(spec: Key | Sub) -> str:
    """A key's meaning as the reference and editors show it: its doc, and for a private
    detail, that it is one."""
    if isinstance(spec, Key) and spec.private:
        return f"{spec.doc} {PRIVATE_WORDS}"
    return spec.doc


def _described(doc: str, label: str) -> dict[str, Any]:
    """Hover text for editors: the meaning in words (and with its Markdown links)."""
    out = {"description": _LINK.sub(r"\1", doc), "markdownDescription": doc}
    if label:
        out["title"] = label
    return out


def json_object(model: type) -> dict[str, Any]:
    """The JSON Schema of one model's table: its declared keys and tables, nothing else."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for member in schema_of(model).members:
        spec = member.spec
        if isinstance(spec, Sub):
            properties[member.toml] = _json_sub(spec)
            continue
        properties[member.toml] = {**spec.kind.json(), **_described(meaning(spec),
                                                                     spec.label)}
        if spec.required:
            required.append(member.toml)
    out: dict[str, Any] = {"type": "object", "additionalProperties": False,
                           "properties": properties}
    if required:
        out["required"] = required
    return out


def _json_sub(sub: Sub) -> dict[str, Any]:
    item = json_object(sub.model)
    described = _described(sub.doc, sub.label)
    if not sub.array:
        return {**item, **described}
    array = {"type": "array", "items": item}
    if sub.inline:
        return {**array, **described}
    # [[stage]] is the way to write them; a single [stage] table is read as one entry.
    return {**either(array, item), **described}


# What each keyword of JSON Schema says something of: only values of these types.
_KEYWORD_TYPES = {
    "items": "array", "minItems": "array", "maxItems": "array", "uniqueItems": "array",
    "properties": "object", "additionalProperties": "object", "required": "object",
    "patternProperties": "object",
    "pattern": "string", "format": "string", "minLength": "string", "maxLength": "string",
    "minimum": "number", "maximum": "number",
}


def either(*alternatives: dict[str, Any]) -> dict[str, Any]:
    """One schema for a value that may be any of ``alternatives``, each of its own type
    (a list of tables or one table, a list of words or one word), with no ``anyOf``.

    An ``anyOf`` around a list fails as a whole: an editor (and ``best_match``) then
    reports the entire list, or every entry of the plan's stages, for one bad value
    inside it.  A list of types with each type's own keywords is what coplan reads, and
    reports each mistake at the value itself.  A keyword that is not one type's own (an
    ``anyOf`` of text forms, with no ``type`` of its own) must say nothing of the other
    types' values: ``either`` is given it only so.
    """
    types: list[str] = []
    out: dict[str, Any] = {}
    for alternative in alternatives:
        kind = alternative.get("type")
        for one in (kind if isinstance(kind, list) else [kind] if kind else []):
            if one not in types:
                types.append(one)
        for keyword, value in alternative.items():
            if keyword == "type":
                continue
            owner = _KEYWORD_TYPES.get(keyword)
            assert owner is None or owner == kind or keyword not in out, keyword
            assert keyword not in out or out[keyword] == value, keyword
            out[keyword] = value
    return {"type": types, **out}


def word_pattern(words: list[str], *more: str) -> str:
    """A pattern for the words of a vocabulary as ``vocab.normalise`` reads them: any
    case, ``_`` or a space for ``-``, spaces around; and the patterns ``more`` (each
    matched from the start)."""
    def one(word: str) -> str:
        return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else
                       "[-_ ]" if c == "-" else re.escape(c) for c in word)

    alternatives = "|".join(one(w) for w in words)
    return f"^\\s*({alternatives})\\s*$" + "".join(f"|^{m}" for m in more)


# -- every text of an item at once ----------------------------------------------------------

_JOINED: dict[tuple[type, bool], tuple[tuple[str, ...], tuple[str, ...],
                                       tuple[tuple[str, bool], ...]]] = {}


def _joined_steps(model: type, ids: bool) -> tuple[tuple[str, ...], tuple[str, ...],
                                                  tuple[tuple[str, bool], ...]]:
    """The fields of ``model`` that hold a text, those that hold a list of texts (with
    ``ids``, or not, those that hold ids), and its tables (with whether each is an
    array), worked out once per class."""
    found = _JOINED.get((model, ids))
    if found is None:
        texts, lists, tables = [], [], []
        for member in schema_of(model).members:
            spec = member.spec
            if isinstance(spec, Sub):
                tables.append((member.field, spec.array))
                continue
            kind = spec.kind
            if not ids and (isinstance(kind, Id) or getattr(kind, "ref", None) is not None):
                continue
            if isinstance(kind, Text):
                texts.append(member.field)
            elif isinstance(kind, Strings):
                lists.append(member.field)
        found = _JOINED[(model, ids)] = (tuple(texts), tuple(lists), tuple(tables))
    return found


def joined_texts(item: Any, *, ids: bool = True) -> str:
    """Every text ``item`` holds, at any depth (each value of a text or a list of texts,
    in it and in every table inside it; without ``ids``, leaving out those that hold
    ids), each between two "\\x00" characters.

    A search of the whole for a word, an email address or a phone number finds it where
    any one text holds it: nothing is a letter, a digit or a space on either side of a
    text that was not so at its ends.  So where a search of the whole finds nothing, no
    text holds it, which one search tells at once for thousands of texts (a search may
    also find what spans two texts: then each is looked at on its own)."""
    out: list[str] = [""]
    _join(item, out, ids)
    out.append("")
    return "\x00".join(out)


def _join(item: Any, out: list[str], ids: bool) -> None:
    texts, lists, tables = _joined_steps(type(item), ids)
    for field in texts:
        value = getattr(item, field)
        if value.__class__ is str:
            out.append(value)
    for field in lists:
        for value in getattr(item, field):
            if value.__class__ is str:
                out.append(value)
    for field, array in tables:
        value = getattr(item, field)
        if array:
            for child in value:
                _join(child, out, ids)
        elif value is not None:
            _join(value, out, ids)


_APART: dict[type, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...],
                         tuple[tuple[str, bool], ...]]] = {}


def joined_texts_apart(item: Any) -> tuple[str, str]:
    """``joined_texts(item, ids=False)``, and the single texts that ``ids=True`` adds to
    it (each id, and each text that names another item; not the lists of them) joined the
    same way: both from one walk, for the rules that read one and those that read every
    single text (``agreed``)."""
    plain: list[str] = [""]
    others: list[str] = [""]
    _join_apart(item, plain, others)
    plain.append("")
    others.append("")
    return "\x00".join(plain), "\x00".join(others)


def _apart_steps(model: type) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...],
                                        tuple[tuple[str, bool], ...]]:
    steps = _APART.get(model)
    if steps is None:
        texts, _all_lists, tables = _joined_steps(model, True)
        kept_texts, kept_lists, _ = _joined_steps(model, False)
        steps = _APART[model] = (kept_texts, kept_lists,
                                 tuple(f for f in texts if f not in kept_texts), tables)
    return steps


def joined_texts_apart_quick(item: Any) -> tuple[str, str]:
    """``joined_texts_apart(item)``, by a walk written out for each class (``_Walks``):
    each field read by name, with no loop over the names.  A third quicker, for the review
    of a large plan (10,000 stages); writing and compiling the walks costs about what
    walking a few hundred stages saves, so a small plan is walked the plain way."""
    plain: list[str] = [""]
    others: list[str] = [""]
    _WALKS[item.__class__](item, plain.append, others.append)
    plain.append("")
    others.append("")
    return "\x00".join(plain), "\x00".join(others)


class _Walks(dict[type, Callable[[Any, Callable[[str], None], Callable[[str], None]], None]]):
    """For each class, the walk of ``_join_apart`` written out as a function of its own,
    made when the class is first walked."""

    def __missing__(self, model: type) -> Callable[[Any, Callable[[str], None],
                                                    Callable[[str], None]], None]:
        texts, lists, other_texts, tables = _apart_steps(model)
        lines = ["def walk(item, plain, others):", " pass"]
        for name in texts:
            lines += [f" value = item.{name}", " if value.__class__ is str: plain(value)"]
        for name in lists:
            lines += [f" for value in item.{name}:",
                      "  if value.__class__ is str: plain(value)"]
        for name in other_texts:
            lines += [f" value = item.{name}", " if value.__class__ is str: others(value)"]
        for name, array in tables:
            if array:
                lines += [f" for child in item.{name}:",
                          "  walks[child.__class__](child, plain, others)"]
            else:
                lines += [f" child = item.{name}", " if child is not None:",
                          "  walks[child.__class__](child, plain, others)"]
        names: dict[str, Any] = {"walks": self}
        exec(compile("\n".join(lines), f"<walk of {model.__name__}>", "exec"), names)
        walk = self[model] = names["walk"]
        return walk  # type: ignore[no-any-return]


_WALKS = _Walks()


def _join_apart(item: Any, plain: list[str], others: list[str]) -> None:
    texts, lists, other_texts, tables = _apart_steps(type(item))
    for field in texts:
        value = getattr(item, field)
        if value.__class__ is str:
            plain.append(value)
    for field in lists:
        for value in getattr(item, field):
            if value.__class__ is str:
                plain.append(value)
    for field in other_texts:
        value = getattr(item, field)
        if value.__class__ is str:
            others.append(value)
    for field, array in tables:
        value = getattr(item, field)
        if array:
            for child in value:
                _join_apart(child, plain, others)
        elif value is not None:
            _join_apart(value, plain, others)
