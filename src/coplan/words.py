"""Counting in plain English: "1 touchpoint", "2 touchpoints", "1 person", "3 people".

One place for it, so that no message says "1 touchpoints" (tests/test_plurals.py looks for
counts written any other way)."""

from __future__ import annotations

IRREGULAR = {"person": "people", "this": "these", "is": "are", "was": "were", "has": "have"}


def plural(word: str, n: int) -> str:
    """``word`` as it reads after the number ``n``."""
    if n == 1 or n == -1:
        return word
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def count(n: int, word: str, many: str | None = None) -> str:
    """``n`` and ``word`` together: ``count(1, "rule")`` is "1 rule", ``count(0, "rule")``
    "0 rules" (``many`` when the plural is not made by the usual rules).  Large numbers get
    thousands separators."""
    return f"{n:,} {word if n in (1, -1) else (many or plural(word, n))}"


def listed(items: list[str]) -> str:
    """Items as a sentence lists them: "Sam", "Sam and Lee", "Sam, Lee and Kit"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# Letters whose names start with a vowel sound ("an MD file", "an ODT file")
_VOWEL_LETTERS = frozenset("AEFHILMNORSX")
# Words spelt with a vowel that start with a consonant sound ("a user", "a one-to-one")
_SAID_AS_CONSONANT = ("eu", "one", "uni", "use", "usu", "uk", "ubiq")
# Words spelt with a consonant that start with a vowel sound ("an hour")
_SAID_AS_VOWEL = ("hour", "honest", "honour", "heir")


def a(words: str) -> str:
    """``words`` with "a" or "an" before them, as they are said: "an other", "a workshop",
    "an online survey", "a one-to-one", "an hour", "an ICS file" (an abbreviation in
    capitals is said letter by letter).  For words made from a vocabulary, whose first
    word nobody wrote for this sentence: "a other" read like a slip."""
    first = words.split(" ", 1)[0].strip("'\"(")
    if not first:
        return f"a {words}"
    letters = first.rstrip(".,;:")
    if len(letters) > 1 and letters.isupper():
        return f"{'an' if letters[0] in _VOWEL_LETTERS else 'a'} {words}"
    low = letters.lower()
    if low.startswith(_SAID_AS_VOWEL):
        return f"an {words}"
    if low.startswith(_SAID_AS_CONSONANT):
        return f"a {words}"
    return f"{'an' if low[:1] in 'aeiou' else 'a'} {words}"
