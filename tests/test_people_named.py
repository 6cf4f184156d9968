"""``people_named`` reads a text of ASCII characters without the pattern of names
(``privacy.Naming.named``): held here to the pattern (``Naming.named_plainly``) for random
people and texts made of their names' pieces, initials, punctuation and characters beyond
ASCII, and for the texts of the bundled plans."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.planfile import load_plan
from coplan.privacy import _naming, _naming_key, people_named
from coplan.review.rules.privacy_text import _texts

ROOT = Path(__file__).resolve().parents[1]
PLANS = [*sorted((ROOT / "examples").glob("*.toml")),
         *sorted((ROOT / "templates" / "plans").glob("*.toml"))]

_NAME_PIECES = ["Sam", "Hill", "Sam Hill", "Amara", "Mensah", "O'Neil", "de Souza", "Jo-Ann",
                "Dr", "Al", "Will", "Rose", "Kit", "Zoë", "ſam", "x", "T.", "_jo", "9"]
_TEXT_PIECES = [*_NAME_PIECES, "sam", "SAM", "hill", "HILL", "amara", "will", "S.", "S.H.",
                "T.M.", "A.M.", "s.", "the", "was", " ", " ", ".", ",", "'", "’", "-", "_",
                "9", "é", "\n", "(", ")", "Samuel", "Hillary"]

names = st.lists(st.sampled_from(_NAME_PIECES), min_size=1, max_size=3).map(" ".join)
people = st.lists(st.tuples(names, st.lists(names, max_size=2), st.booleans()),
                  min_size=1, max_size=4)
texts = st.lists(st.sampled_from(_TEXT_PIECES), max_size=12).map("".join)


def _letters(name: str) -> str:
    words = [w for w in name.split() if w[:1].isalpha()]
    return "".join(w[0].upper() + "." for w in words[:3]) or "?"


@settings(max_examples=500, deadline=None)
@given(people, st.lists(texts, min_size=1, max_size=4))
def test_the_words_way_finds_whom_the_pattern_finds(
        given_people: list[tuple[str, list[str], bool]], said: list[str]) -> None:
    key = tuple((f"p{n}", name, tuple(aliases), name.lower().replace(" ", "-") if as_id
                 else "", _letters(name))
                for n, (name, aliases, as_id) in enumerate(given_people))
    naming = _naming(key)
    assert naming is not None
    for text in said:
        assert naming.named(text) == naming.named_plainly(text), (key, text)


def test_edges_of_words_and_initials() -> None:
    naming = _naming((("p1", "Sam Hill", (), "", "S.H."), ("p2", "Tom Hill", (), "", "T.H.")))
    assert naming is not None
    for text, ids in [("Sam Hill came", {"p1"}), ("Hill came", {"p1", "p2"}),
                      ("Samuel came", set()), ("S.H. came", {"p1"}), ("AS.H. came", set()),
                      (".S.H. came", set()), ("'S.H. came", set()), ("S.H.. came", set()),
                      ("Sam Hill and Tom", {"p1", "p2"}), ("sam_hill", set()),
                      ("Tom Hill, Sam", {"p1", "p2"}), ("x Tom Hillx Sam", {"p1", "p2"})]:
        assert naming.named(text) == naming.named_plainly(text) == ids, text


def test_the_bundled_plans_texts() -> None:
    for path in PLANS:
        plan = load_plan(path)
        naming = _naming(_naming_key(plan.people))
        if naming is None:
            continue
        for reflection in plan.reflections:
            for text in (reflection.noticed, reflection.changed):
                assert people_named(plan, text) == naming.named_plainly(text)
        # every text the team wrote that may go out
        for _, _, _, text in _texts(plan, "the project"):
            assert naming.named(text) == naming.named_plainly(text), text
