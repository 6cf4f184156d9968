"""After an edit the app reads only the pieces of the plan's text that changed
(``session.ChunkedToml.loads``), and when they are all entries of one array of tables
(``[[stage]]``) it puts their entries in place of the old ones rather than putting every
piece together again.  Whatever the texts and the edits between them, what it reads must
be what reading the text afresh gives, and an entry of a piece that did not change must be
the very table read before (the loader keeps the stages it made from them) (hypothesis)."""

from __future__ import annotations

import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.session import ChunkedToml

STAGES = [
    '[[stage]]\nid = "{n}"\nduration = "2w"\n',
    '[[stage]]\nid = "{n}"\ntitle = "A stage"  # TBC\n',
    '[[stage]]\nid = "{n}"\n\n[[stage.touchpoint]]\ntitle = "Talk"\n',
    '[[stage]]\nid = "{n}"\n\n[stage.extra]\nx = 1\n',
    '# a comment about the next stage\n[[stage]]\nid = "{n}"\n',
]
OTHERS = [
    '[project]\ntitle = "P"\nstart = 2027-01-04\n',
    '[[person]]\nid = "p{n}"\n',
    '[budget]\nfees = 100\n',
    '[review]\nskip = {{}}\n',
    '[project]\ntitle = "again"\n',  # a table declared twice: tomllib decides
    'stage = 1\n',  # a key that clashes with the array (before any header it is a key)
    '[[stage]\nbroken\n',
]

ids = st.integers(0, 10**6).map(lambda n: f"s{n}")
stage = st.builds(lambda p, n: p.format(n=n), st.sampled_from(STAGES), ids)
piece = st.one_of(stage, st.builds(lambda p, n: p.format(n=n), st.sampled_from(OTHERS), ids))


def _text(pieces: list[str]) -> str:
    return "".join(pieces)


def _fresh(text: str) -> tuple[dict[str, object] | None, bool]:
    reader = ChunkedToml()
    return _read(reader, text)


def _read(reader: ChunkedToml, text: str) -> tuple[dict[str, object] | None, bool]:
    """What ``reader`` reads, and whether it says a placeholder may be marked (which
    means nothing when it gives up)."""
    got = reader.loads(text)
    return got, got is not None and reader.marked


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_reading_again_what_changed_reads_as_the_whole_text(data: st.DataObject) -> None:
    pieces = [OTHERS[0], *data.draw(st.lists(stage, min_size=3, max_size=12)),
              *data.draw(st.lists(piece, max_size=3))]
    reader = ChunkedToml()
    text = _text(pieces)
    got, marked = _read(reader, text)
    assert (got, marked) == _fresh(text)
    for _ in range(data.draw(st.integers(1, 8))):
        last = got
        at = data.draw(st.integers(0, len(pieces)))
        what = data.draw(st.sampled_from(["replace", "insert", "remove", "same"]))
        if what == "insert" or not pieces:
            pieces.insert(at, data.draw(piece))
        elif what == "remove":
            del pieces[min(at, len(pieces) - 1)]
        elif what == "replace":
            pieces[min(at, len(pieces) - 1)] = data.draw(piece)
        text = _text(pieces)
        if data.draw(st.booleans()):  # an edit inside a piece, as a form makes
            text = text.replace('duration = "2w"', 'duration = "3w"', 1)
        got, marked = _read(reader, text)
        assert (got, marked) == _fresh(text)
        if got is not None:
            try:
                assert got == tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                raise AssertionError("read a text tomllib cannot read") from None
        if got is not None and last is not None and isinstance(got.get("stage"), list) \
                and isinstance(last.get("stage"), list):
            # an unchanged stage's table is the very one read before (a piece is
            # changed, two by the edit inside one, and a comment joins the piece above)
            before = {id(t) for t in last["stage"]}
            kept = [t for t in got["stage"] if id(t) in before]
            assert len(kept) >= len(got["stage"]) - 4


def test_an_edit_of_one_stage_is_put_in_place() -> None:
    """The quick way is taken for a stage changed, added and taken away in the middle."""
    reader = ChunkedToml()
    head = '[project]\ntitle = "P"\nstart = 2027-01-04\n'
    stages = [f'[[stage]]\nid = "s{n}"\nduration = "2w"\n' for n in range(30)]
    text = head + "".join(stages)
    first = reader.loads(text)
    assert first is not None

    def everything(pieces: object) -> None:
        raise AssertionError("every piece put together again")

    reader._loads = everything  # type: ignore[method-assign]
    for changed in ([*stages[:10], '[[stage]]\nid = "s10"\nduration = "5w"\n', *stages[11:]],
                    [*stages[:10], '[[stage]]\nid = "new"\n', *stages[10:]],
                    stages[:10] + stages[11:]):
        text = head + "".join(changed)
        got = reader.loads(text)
        assert got == tomllib.loads(text)
        assert got is not None and got["stage"][0] is first["stage"][0]
        assert got["stage"][-1] is first["stage"][-1]
