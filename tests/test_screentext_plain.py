"""The plain paths of ``screentext`` (used where a report goes to a file or a pipe) give
the very text rich would draw: the same line breaks, folds, padding and widths."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from coplan.screentext import FittedTable, cells, column_widths, wrapped, wrapped_plain

# Letters, spaces (runs of them too), one-cell characters beyond ASCII, and a few that
# are not one cell or not printable, for which the plain path must step aside.
ALPHABET = st.sampled_from([*"ab yz  ·éß–", "Ж", "✖", "报", "😀", "\u0301", "\t", "["])
TEXTS = st.text(ALPHABET, max_size=90)
# Cells: mostly of one-cell characters (a colon and a bracket too, read by rich as markup
# and emoji codes), so the plain path is taken; sometimes not, so it must step aside.
_ONE_CELL = st.text(st.sampled_from(list("ab yz  ·é–:[")), max_size=40)
CELLS = st.tuples(st.integers(0, 39), _ONE_CELL, TEXTS, st.sampled_from(
    ["[bold]x[/bold] y", ":smile: ok", "a:b:c", ""])).map(
    lambda t: t[2] if t[0] == 0 else t[3] if t[0] == 1 else t[1])


def _console(width: int = 80) -> Console:
    return Console(file=io.StringIO(), width=width, color_system=None)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.integers(min_value=0, max_value=40))
def test_plain_wrapping_is_rich_wrapping(text: str, width: int) -> None:
    plain = wrapped_plain(text, width)
    drawn = [line.plain for line in wrapped(_console(), Text(text), width)]
    if plain is not None:
        assert plain == drawn
    else:
        assert any(not (c.isprintable() and cells(c) == 1) for c in text)


def test_plain_wrapping_folds_a_word_longer_than_a_line() -> None:
    word = "Re" + "a" * 30 + "ding"
    assert wrapped_plain(f"x {word} y", 12) == \
        [line.plain for line in wrapped(_console(), Text(f"x {word} y"), 12)]
    assert wrapped_plain("报告", 12) is None  # two cells each: rich wraps it


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=4).flatmap(lambda n: st.tuples(
    st.lists(CELLS.map(lambda t: t[:12]), min_size=n, max_size=n),
    st.lists(st.lists(CELLS, min_size=n, max_size=n), max_size=5),
    st.lists(st.booleans(), min_size=n, max_size=n))), st.integers(min_value=8, max_value=70))
def test_a_plain_table_is_the_table_rich_draws(table: tuple, width: int) -> None:
    headers, rows, wrap = table
    fitted = FittedTable(headers, rows, wrap=wrap, as_lines=lambda row: Text(" ".join(row)))
    console = _console(width)
    plain = fitted.plain_lines(console, width)
    console.print(fitted)
    drawn = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    if plain is not None:
        assert plain == drawn
    else:  # only for a cell of other characters, or a table drawn as a list, or a column
        # with nothing in it
        texts = [console.render_str(c).plain for c in [*headers, *(c for r in rows for c in r)]]
        widths = column_widths(headers, rows, wrap, width)
        assert any(not all(ch.isprintable() and cells(ch) == 1 for ch in t) for t in texts) \
            or widths is None or min(widths) < 1


def test_a_plain_table_of_stage_titles() -> None:
    """The summary's kind of table: long titles wrapped, a bar and a rung kept whole."""
    rows = [[f"Stage {n}: {'co-designing the interview guide ' * (n % 3)}".strip(),
             "███···· co-design", "" if n % 2 else "✖ no lived experience"]
            for n in range(12)]
    fitted = FittedTable(["Stage", "Deepest rung", ""], rows, wrap=[True, False, True],
                         as_lines=lambda row: Text(": ".join(row)))
    for width in (50, 80, 120):
        console = _console(width)
        plain = fitted.plain_lines(console, width)
        console.print(fitted)
        assert plain is not None
        assert plain == console.file.getvalue().splitlines()  # type: ignore[attr-defined]
