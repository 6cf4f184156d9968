"""What a report for others looks for in a finding's words is found alike either way.

``sharing.shared_report`` looks through its first messages with ``str`` methods, for
someone's needs and for the person a payment finding names, and through the rest with
one pattern of the plan's words (``sharing._Looked``): compiling a pattern costs a small
plan's report more than the rest of it.  Both ways must give the same words to readers,
or a finding would name someone in one report and not in another.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coplan import sharing
from coplan.planfile import load_plan
from coplan.privacy import mentions_needs

ROOT = Path(__file__).resolve().parents[1]
_BASE = load_plan(ROOT / "examples" / "minds-discharge.toml")

# Pieces of names and texts that meet at word boundaries in every way: letters beyond
# ASCII, digits, '_', '-', '.', names inside names, names that are parts of others.
_PIECES = ["Sam", "Sam Hill", "sam", "Hill", "Amara Mensah", "Mensah", "T.", "T.M.", "Zoë",
           "Zoë_2", "O'Neil", "de Souza", "Kit", "Kitty", "lee", "lee-2", "Dr Priya Nair",
           "Ø", "ß", "1"]
_GLUE = ["", " ", "_", "-", ".", "'", "é", "9", ", ", "(", ")", "x", "owed to ", "Ù"]
_TEXTS = st.lists(st.sampled_from(_PIECES + _GLUE), max_size=10).map("".join)
_NAMES = st.lists(st.sampled_from(_PIECES), max_size=6, unique=True)


def _pattern_replaced(text: str, names: list[str]) -> str:
    """As ``sharing._payee``'s pattern replaces the first person named."""
    ordered = sorted(set(names), key=len, reverse=True)
    if not ordered:
        return text
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(n) for n in ordered)
                         + r")(?![\w])")
    return pattern.sub(sharing.ONE_PERSON, text, count=1)


@given(_TEXTS, _NAMES)
def test_the_first_person_named_is_found_as_the_pattern_finds_them(text: str,
                                                                   names: list[str]) -> None:
    ordered = tuple(sorted(set(names), key=len, reverse=True))
    assert sharing._first_named_replaced(text, ordered) == _pattern_replaced(text, names)


def test_a_name_is_found_only_as_a_whole_word_and_the_longest_first() -> None:
    names = ("Sam Hill", "Sam")
    assert sharing._first_named_replaced("owed to Sam Hill, Sam", names) == \
        "owed to one person, Sam"
    assert sharing._first_named_replaced("Samuel and Sam_1 and Sam", names) == \
        "Samuel and Sam_1 and one person"
    assert sharing._first_named_replaced("Zoë Samé", ("Sam",)) == "Zoë Samé"


@given(st.lists(_TEXTS, max_size=3 * sharing.FEW_TEXTS // 2),
       st.lists(st.sampled_from([p.lower() for p in _PIECES if len(p) > 3]), unique=True))
def test_needs_are_found_alike_in_the_first_messages_and_the_rest(
        texts: list[str], needs: list[str]) -> None:
    words = frozenset(needs)
    looked = sharing._Looked(_BASE, words)
    for text in texts:
        assert looked.says_needs(text) == mentions_needs(text, words)


@given(st.lists(_TEXTS, min_size=1, max_size=3 * sharing.FEW_TEXTS // 2), _NAMES)
def test_a_payee_is_said_alike_in_the_first_messages_and_the_rest(
        texts: list[str], names: list[str]) -> None:
    people = tuple(replace(p, name=n) for p, n in zip(_BASE.people, names, strict=False))
    plan = replace(_BASE, people=people + _BASE.people[len(people):])
    every = [w for p in plan.people for w in (p.name, p.id) if w]
    looked = sharing._Looked(plan, frozenset())
    for text in texts:
        assert looked.without_payee(text) == _pattern_replaced(text, every)
