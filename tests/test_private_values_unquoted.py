"""A refused value of a person's private detail is never quoted in the message about it.

``validate``'s messages go to CI logs and hooks' output, which others read: "'Pat has
bipolar disorder; phone ...' is not a circumstance coplan knows" put a person's health in a
public log.  For every key of a person declared private (``Key.private``), a value the plan
refuses, holding a word found nowhere else, is given to the loader: the problem keeps its
line and fix, and never the word.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomlkit

from coplan.edit import PlanDocument
from coplan.errors import PlanError
from coplan.model import Person
from coplan.planfile import NOT_REPEATED, parse_plan
from coplan.schema import private_keys

ROOT = Path(__file__).resolve().parents[1]
MINDS = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")
SECRET = "Zephyrine bipolar 07700 900123"

# A value each private key refuses, with the secret words in it.
REFUSED: dict[str, object] = {
    "aliases": [f"{SECRET}\x07"], "benefits_advice": SECRET,
    "benefits_advice_on": SECRET, "circumstances": [SECRET], "email": f"{SECRET}\x07",
    "needs": [SECRET], "needs_asked": SECRET, "organisation": f"{SECRET}\x07",
    "papers_ahead": SECRET, "payment": SECRET, "payment_reason": f"{SECRET}\x07",
}


def test_every_private_key_has_a_refused_value_here() -> None:
    assert set(REFUSED) == set(private_keys(Person))


@pytest.mark.parametrize("key", sorted(REFUSED))
def test_a_refused_private_value_is_not_quoted(key: str) -> None:
    doc = PlanDocument(MINDS)
    doc.set_person("dev", key, REFUSED[key])
    with pytest.raises(PlanError) as refused:
        parse_plan(doc.text(), "plan.toml")
    problems = refused.value.problems
    assert problems, key
    for p in problems:
        assert "Zephyrine" not in p.message and "Zephyrine" not in p.hint, (key, p)
        assert "07700" not in p.message and "07700" not in p.hint, (key, p)
        assert p.line > 0, (key, p)
    assert any(key in p.message or NOT_REPEATED in p.message for p in problems), problems


def test_a_refused_value_of_another_key_is_still_quoted() -> None:
    """Only private details are kept out: a stage's misspelt ladder word is named."""
    doc = PlanDocument(MINDS)
    data = tomlkit.parse(doc.text())
    stage = data["stage"][0]["id"]
    doc.set_stage(str(stage), "duration", "Zephyrine")
    with pytest.raises(PlanError) as refused:
        parse_plan(doc.text(), "plan.toml")
    assert any("Zephyrine" in p.message for p in refused.value.problems)
