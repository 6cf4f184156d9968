"""The quick first look of CP-PRI-003 never passes over a text the rule would point at.

``might_say_health`` finds which health or care words occur at all with plain substring
searches and lets a text through to the full pattern only if it holds one of them; texts
beyond ASCII always go through.  Here texts are made of the words, their capitals, parts of
longer words, the characters whose capitals match ASCII letters in the pattern ("ſ", the
Kelvin sign, dotted "İ") and ordinary words, and the quick look is held to the pattern."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.planfile import load_plan
from coplan.plugins import all_rules
from coplan.review.engine import Context, Subject
from coplan.review.rules.privacy_health import (
    _HEALTH,
    HEALTH_WORDS,
    PeopleFinder,
    _outgoing,
    _people_words,
    might_say_health,
    says_health,
    says_someones_health,
)

MINDS = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"

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


@settings(max_examples=500, deadline=None)
@given(texts)
def test_health_words_are_found_without_the_pattern_where_the_pattern_finds_them(
        text: str) -> None:
    assert says_health(text) == (_HEALTH.search(text) is not None), text


def test_health_words_are_found_at_the_edges_of_words() -> None:
    # ``says_health`` looks for the words as written: lower case, ASCII.
    assert all(w.isascii() and w == w.lower() for w in HEALTH_WORDS)
    for text in ("ill", "Ill.", "(ILL)", "was ill", "ill-timed", "a&e", "A&E visit",
                 "still", "ill_", "&ill", "ill&", "illness", "skills", "ill2", "2ill",
                 "in  hospital", "was In Hospital", "self-harming", "self harm", "",
                 "a sick day", "the sickness", "still ill", "the skills of an ill",
                 "sick\nnote", "\u017fick", "\u212aidney"):
        assert says_health(text) == (_HEALTH.search(text) is not None), text


def test_words_that_occur_nowhere_are_not_looked_for() -> None:
    might = might_say_health(["The session moved to Tuesday.", "We agreed the aims."])
    assert not might("The session moved to Tuesday.")
    assert not might("")
    assert might("\u017fick of waiting")  # beyond ASCII: always looked at in full


# -- the rule looks at each text once ------------------------------------------------------

_SAID = ["", "Sam was unwell, so the session moved.", "The session moved.", "She was in "
         "hospital.", "T.M. had a fall. We met online.", "We agreed the aims.",
         "The ward's treatment plans were discussed.", "Amara was sectioned last week."]


def _plain_health(ctx: Context) -> list[tuple[Subject, str]]:
    """CP-PRI-003 as first written: each text of each record looked at in turn."""
    people = _people_words(ctx.plan)
    outgoing = list(_outgoing(ctx.plan))
    might = might_say_health(text for _, _, _, text in outgoing)
    found = []
    for where, key, item, text in outgoing:
        if might(text) and says_someones_health(text, people):
            line_of = getattr(item, "line_of", None)
            line = line_of(key) if line_of is not None else 0
            found.append((ctx.project(line), f"'{key}' in {where} says something about "
                          "someone's health or care, and goes in reports for others"))
    return found


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_SAID), min_size=1, max_size=6))
def test_the_rule_finds_what_looking_at_each_text_in_turn_finds(said: list[str]) -> None:
    plan = load_plan(MINDS)
    words = itertools.cycle(said)
    stages = tuple(dataclasses.replace(s, touchpoints=tuple(dataclasses.replace(
        tp, records=tuple(dataclasses.replace(r, contributed=next(words), changed=next(words),
                                              feedback_how=next(words)) for r in tp.records))
        for tp in s.touchpoints)) for s in plan.stages)
    plan = dataclasses.replace(plan, stages=stages)
    ctx = Context(plan=plan, schedule=None)
    rule = all_rules().get("CP-PRI-003")
    assert rule is not None
    quick = list(rule.check(ctx))
    assert quick == _plain_health(ctx)
    assert bool(quick) == any(says_someones_health(s, _people_words(plan)) for s in said)


# -- the people's names found without the pattern ----------------------------------------

_NAME_PIECES = ["Sam", "Hill", "Amara", "Mensah", "O'Neil", "de Souza", "Jo-Ann", "Dr",
                "Al", "ſam", "\u212ait", "Kit", "Zoë", "T.", "x", "_"]
_SENTENCE_PIECES = [*_NAME_PIECES, "sam", "SAM", "hill", "amara", "kit", "KIT", "s.", "S.",
                    "t.m.", "T.M.", "he", "HE", "she", "her", "Hers", "the", "was", "unwell",
                    " ", ".", ",", "'", "-", "_", "9", "é", "’", "\n", "(", ")"]


def _person(n: int, name: str, aliases: list[str]) -> dict[str, object]:
    return {"id": f"p{n}", "name": name, "aliases": aliases}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(_NAME_PIECES), min_size=1, max_size=3)
                          .map(" ".join),
                          st.lists(st.lists(st.sampled_from(_NAME_PIECES), min_size=1,
                                            max_size=2).map("".join), max_size=2)),
                max_size=4),
       st.lists(st.lists(st.sampled_from(_SENTENCE_PIECES), max_size=10).map("".join),
                min_size=1, max_size=4))
def test_the_finder_finds_what_the_pattern_finds(people: list[tuple[str, list[str]]],
                                                  sentences: list[str]) -> None:
    plan = load_plan(MINDS)
    plan = dataclasses.replace(plan, people=tuple(
        dataclasses.replace(plan.people[0], id=f"p{n}", name=name, aliases=tuple(aliases))
        for n, (name, aliases) in enumerate(people)))
    finder = PeopleFinder(plan)
    pattern = _people_words(plan)
    for sentence in sentences:
        expected = pattern is not None and pattern.search(sentence) is not None
        assert (finder.search(sentence) is not None) == expected, (people, sentence)


def test_the_finder_keeps_to_the_edges_of_words() -> None:
    plan = load_plan(MINDS)
    plan = dataclasses.replace(plan, people=(dataclasses.replace(
        plan.people[0], id="p1", name="Sam Hill", aliases=()),))
    finder = PeopleFinder(plan)
    for sentence, says in [("Sam came.", True), ("Samuel came.", False), ("x.Sam", False),
                           ("_Sam", False), ("(Sam)", True), ("SAM HILL", True),
                           ("S.H. came", True), ("AS.H. came", False), ("Sam9", False),
                           ("sam_", False), ("it was he", True), ("the", False),
                           ("Samuel met Sam", True), ("the hill, then Hill.", True)]:
        assert (finder.search(sentence) is not None) == says, sentence
