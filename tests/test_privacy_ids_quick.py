"""An id that carries no hidden name is passed over with one search.

``Redaction._plain_id`` changes each word of an id (between "-", "_" and "." or its ends)
that is a word of a hidden person's name; a plan of 10,000 stages has 29,000 ids, nearly
none of which do.  An id of ASCII characters is first searched, in its lower case, for
any such word as a word of its own, and kept as it is where none is.  Here the quick way
and the plain way (every word looked up) give the same for ids made of names' words in
any case, separators of every kind, the same word twice, and letters of other scripts.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.model import Person, Plan
from coplan.privacy import _ID_PARTS, Redaction

_NAMES = ["Sam", "Lee Ann", "Tendai Moyo", "Zoë Ng", "Kit O'Brien", "Dr Nadia Hale",
          "Amina al-Sayed", "ΑΣ Ωμέγα", "İnci", "Jo"]
_WORDS = st.sampled_from(["sam", "SAM", "Sam", "lee", "ann", "tendai", "moyo", "zoë", "ng",
                          "kit", "o'brien", "nadia", "hale", "al", "sayed", "ας", "ΑΣ",
                          "i̇nci", "jo", "stage", "1", "x", "", "samuel", "s", "kelvin\u212a"])
_IDS = st.lists(st.one_of(_WORDS, st.sampled_from(["-", "_", ".", "--", "-.", " ", "\n"]),
                          st.text(max_size=3)), max_size=8).map("".join)


def _plain(hide: Redaction, value: str) -> str:
    """``_plain_id`` without its search: at each word of the id, a hidden person's own id
    written from there looked up (``_id_wholes``), else the word itself."""
    if not hide._id_words and not hide._id_wholes:
        return value
    parts = _ID_PARTS.split(value)
    out, at = [], 0
    while at < len(parts):
        found = next(((whole, short) for whole, short in hide._id_wholes
                      if at % 2 == 0 and [p.lower() for p in parts[at:at + len(whole)]]
                      == list(whole)), None)
        if found is not None:
            out.append(found[1])
            at += len(found[0])
        else:
            out.append(hide._id_words.get(parts[at].lower(), parts[at]) if at % 2 == 0
                       else parts[at])
            at += 1
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NAMES), st.booleans(), _IDS), min_size=1,
                max_size=4), st.lists(_IDS, max_size=20))
def test_an_id_is_changed_as_looking_up_every_word_changes_it(
        people: list[tuple[str, bool, str]], ids: list[str]) -> None:
    plan = Plan(people=tuple(Person(id=pid or f"p{n}", name=name, share_name=shared)
                             for n, (name, shared, pid) in enumerate(people)))
    hide = Redaction(plan)
    for value in [*ids, *(p.id for p in plan.people)]:
        assert hide._plain_id(value) == _plain(hide, value)
