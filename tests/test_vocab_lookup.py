"""A vocabulary finds a word written as its id at once, and any other way after
``normalise``: either way the same term, so every id must be as ``normalise`` writes it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coplan import vocab
from test_loader_fuzz import FUZZ

VOCABULARIES = {name: value for name, value in vars(vocab).items()
                if isinstance(value, vocab.Vocabulary)}


def test_every_id_is_as_normalise_writes_it() -> None:
    assert len(VOCABULARIES) > 10
    for name, words in VOCABULARIES.items():
        for term in words:
            assert vocab.normalise(term.id) == term.id, (name, term.id)


def _plain(words: vocab.Vocabulary, value: str) -> vocab.Term | None:
    try:
        return words._by_id[vocab.normalise(value)]
    except KeyError:
        return None


_WRITTEN = st.one_of(
    st.sampled_from([t.id for v in VOCABULARIES.values() for t in v]),
    st.sampled_from([t.id for v in VOCABULARIES.values() for t in v]).map(
        lambda w: f" {w.upper().replace('-', '_')} "),
    st.text(max_size=12))


@FUZZ
@given(st.sampled_from(sorted(VOCABULARIES)), _WRITTEN)
def test_a_word_is_found_as_the_plain_lookup_finds_it(name: str, written: str) -> None:
    words = VOCABULARIES[name]
    expected = _plain(words, written)
    if expected is None:
        with pytest.raises(KeyError):
            words[written]
        assert words.get(written) is None
    else:
        assert words[written] is expected
        assert words.get(written) is expected
