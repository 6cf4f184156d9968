"""After an edit the app cuts the plan's new text into its top-level tables again only
where it differs from the text before (``session.ChunkedToml.cut``): the pieces must be
those of cutting the whole text (``tomltext.section_texts``), whatever the texts and the
edits between them (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.session import ChunkedToml
from coplan.tomltext import section_texts

LINES = ["[[stage]]", "[project]", "[[person]]", "  [[stage]]  # a note", "[project.slow_down]",
         "[[stage.touchpoint]]", "x = 1", "title = \"[[stage]]\"", "notes = '''", "'''",
         "", "# [[stage]]", "[budget]", "[[stage]", "stage]]", "[", "]]", "\t[review]",
         "id = \"a\"", "a = [", "  1,", "]"]

lines = st.lists(st.sampled_from(LINES), max_size=40)
bits = st.text(alphabet="[]\n #ast=\t\r", max_size=12)


@st.composite
def texts(draw: st.DrawFn) -> str:
    text = "\n".join(draw(lines))
    return text + ("\n" if draw(st.booleans()) else "")


@st.composite
def edited(draw: st.DrawFn, text: str) -> str:
    """``text`` with a part replaced: by whole lines, or by any characters (a line cut in
    two, a header written into the middle of a line, the last line going on)."""
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, min(len(text), start + 60)))
    if draw(st.booleans()):
        middle = "\n".join(draw(st.lists(st.sampled_from(LINES), max_size=4)))
        middle += "\n" if draw(st.booleans()) else ""
    else:
        middle = draw(bits)
    return text[:start] + middle + text[end:]


@settings(max_examples=1000, deadline=None)
@given(data=st.data())
def test_cutting_again_only_what_changed_cuts_as_the_whole_text_is_cut(
        data: st.DataObject) -> None:
    reader = ChunkedToml()
    text = data.draw(texts())
    assert reader.cut(text) == section_texts(text)
    for _ in range(data.draw(st.integers(1, 6))):
        text = data.draw(edited(text)) if data.draw(st.integers(0, 5)) else data.draw(texts())
        assert reader.cut(text) == section_texts(text)


def test_text_written_before_the_first_header_joins_the_text_before_it() -> None:
    """The first piece may be the text before any header: text written before it is one
    piece with it, whatever its lines hold (a table's name with a dot is no header)."""
    reader = ChunkedToml()
    text = "[project.slow_down]\n[[stage]]\n[[stage]]"
    assert reader.cut(text) == section_texts(text)
    assert reader.cut("\n" + text) == section_texts("\n" + text)


def test_a_small_edit_is_cut_again_alone() -> None:
    """The quick way is taken: the pieces before and after the edit are the very ones."""
    reader = ChunkedToml()
    text = "".join(f"[[stage]]\nid = \"s{n}\"\nduration = \"2w\"\n" for n in range(50))
    first = reader.cut(text)
    after = text.replace('id = "s20"\nduration = "2w"', 'id = "s20"\nduration = "3w"')
    pieces = reader.cut(after)
    assert pieces == section_texts(after)
    assert all(a is b for n, (a, b) in enumerate(zip(first, pieces, strict=True)) if n != 20)
