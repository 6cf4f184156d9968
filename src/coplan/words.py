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
