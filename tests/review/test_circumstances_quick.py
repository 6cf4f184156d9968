"""CP-ACC-005 and CP-ACC-006 read what decides when someone can come from their own words
(``access.circumstances``) with three patterns; each is tried only where the words hold
one of the words it needs (``_may_say``).  Here texts are made of the patterns' phrases,
their capitals, parts of them, the characters whose capitals match ASCII letters in a
pattern ("ſ", the Kelvin sign, dotted "İ") and ordinary words, and the quick look is held
to the patterns: it never passes over a text a pattern finds something in."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.review.rules.access import (
    _CARING,
    _CARING_WORDS,
    _STUDY,
    _STUDY_WORDS,
    _WORK,
    _WORK_WORDS,
    _may_say,
)

_PHRASES = [
    "full time job", "full-time work", "works full time", "work part-time", "in paid work",
    "in full time work", "in work", "day job", "shift work", "cares for", "care for",
    "carer for", "looks after her ", "look after my ", "young children", "school run",
    "at school", "in year 9", "in form 10", "sixth form", "college student",
    "university student",
]
_PIECES = [*_PHRASES, *(p.upper() for p in _PHRASES), *(p.title() for p in _PHRASES),
           "full", "time", "tim", "work", "wor", "job", "day", "shift", "car", "care", "look",
           "loo", "after", "young", "child", "school", "schoo", "run", "year", "form", "for",
           "student", "studen", "at", "in", "paid", " ", "-", ".", "7", "ſ", "\u212a",
           "İ", "ı", "é", "\n", "Sam", "volunteer", "retired"]
texts = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)
_PATTERNS = ((_WORK, _WORK_WORDS), (_CARING, _CARING_WORDS), (_STUDY, _STUDY_WORDS))


def _low(text: str) -> str | None:
    return text.lower() if text.isascii() else None


@settings(max_examples=600, deadline=None)
@given(texts)
def test_a_pattern_is_passed_over_only_where_it_finds_nothing(text: str) -> None:
    for pattern, words in _PATTERNS:
        if pattern.search(text) is not None:
            assert _may_say(_low(text), words), (text, pattern.pattern)


def test_every_phrase_is_looked_for() -> None:
    for phrase in _PHRASES:
        for text in (phrase, phrase.upper(), f"Mostly {phrase.title()}, weekly"):
            for pattern, words in _PATTERNS:
                if pattern.search(text) is not None:
                    assert _may_say(_low(text), words), (text, pattern.pattern)
    assert not _may_say("a retired volunteer", _WORK_WORDS)
    assert _may_say(None, _STUDY_WORDS)  # beyond ASCII: always looked at with the pattern
