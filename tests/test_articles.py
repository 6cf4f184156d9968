"""Sentences built from a vocabulary say "a" or "an" as the words are said (found by
trying the product: CP-INC-005 read "every touchpoint is a other, in person")."""

from __future__ import annotations

import pytest

from coplan.words import a


@pytest.mark.parametrize(("words", "said"), [
    ("other", "an other"),
    ("workshop", "a workshop"),
    ("online survey", "an online survey"),
    ("one-to-one conversation", "a one-to-one conversation"),
    ("hour", "an hour"),
    ("access need or measure", "an access need or measure"),
    ("user group", "a user group"),
    ("ODT", "an ODT"),
    ("ICS", "an ICS"),
    ("PDF", "a PDF"),
    ("JSON", "a JSON"),
    ("UK standard", "a UK standard"),
])
def test_a_or_an(words: str, said: str) -> None:
    assert a(words) == said


def test_the_one_way_in_says_its_article() -> None:
    """CP-INC-005 on a plan whose every touchpoint is of format "other"."""
    from datetime import date

    from coplan.model import Plan, Project, Stage, Touchpoint
    from coplan.review.engine import Context
    from coplan.review.rules.inclusion import many_ways_in

    tps = tuple(Touchpoint(id=f"t{i}", stage="s", title="T", format="other", mode="phone")
                for i in range(2))
    plan = Plan(project=Project(title="P", start=date(2027, 1, 4)),
                stages=(Stage(id="s", title="S", touchpoints=tps),))
    said = [message for _, message in many_ways_in(Context(plan, None))]
    assert said == ["every touchpoint is an other, by phone"]
