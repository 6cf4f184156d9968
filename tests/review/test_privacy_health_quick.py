"""The quick first look of CP-PRI-003 never passes over a text the rule would point at.

``might_say_health`` finds which health or care words occur at all with plain substring
searches and lets a text through to the full pattern only if it holds one of them; texts
beyond ASCII always go through.  Here texts are made of the words, their capitals, parts of
longer words, the characters whose capitals match ASCII letters in the pattern ("ſ", the
Kelvin sign, dotted "İ") and ordinary words, and the quick look is held to the pattern."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.review.rules.privacy_health import _HEALTH, HEALTH_WORDS, might_say_health

_PIECES = [*HEALTH_WORDS, *(w.upper() for w in HEALTH_WORDS), *(w.title() for w in HEALTH_WORDS),
           "still", "will", "skills", "illness", "A&E", "a & e", "ſick", "\u212aidney",
           "İll", "sıck", " ", ".", "-", "&", "Sam", "T.M.", "was", "she", "the session moved",
           "é", "\n", "Ill", "ILL", "Self-Harm", "self harm", "In Hospital", "in  hospital"]
texts = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=6), texts)
def test_the_quick_look_lets_through_every_text_the_pattern_finds(others: list[str],
                                                                   text: str) -> None:
    might = might_say_health([*others, text])
    for each in (*others, text):
        if _HEALTH.search(each) is not None:
            assert might(each), each


def test_words_that_occur_nowhere_are_not_looked_for() -> None:
    might = might_say_health(["The session moved to Tuesday.", "We agreed the aims."])
    assert not might("The session moved to Tuesday.")
    assert not might("")
    assert might("\u017fick of waiting")  # beyond ASCII: always looked at in full
