"""The plain paths of ``screentext`` (used where a report goes to a file or a pipe) give
the very text rich would draw: the same line breaks, folds, padding and widths."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from coplan.screentext import FittedTable, cells, column_widths, wrapped, wrapped_plain

ROOT = Path(__file__).resolve().parents[1]

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


# The rich-free layout (``plaintext``) and the schedule's table written with it, for output
# that is not a terminal: the very characters rich's console writes.

PRINTABLE = st.text(st.sampled_from([*"ab yz  ·é–-:", "■", "◆", "→"]), max_size=120)


@settings(max_examples=300, deadline=None)
@given(PRINTABLE, st.integers(min_value=1, max_value=50))
def test_divided_lines_are_rich_text_wrap_with_their_spaces(text: str, width: int) -> None:
    from coplan import plaintext

    lines = [line.plain for line in Text(text).wrap(_console(), width, overflow="fold")]
    assert plaintext.divided(text, width) == lines or not text
    console = _console(width)
    console.print(Text(text))
    assert plaintext.printed(text, width) == console.file.getvalue().splitlines()  # type: ignore[attr-defined]


TITLES = st.lists(st.sampled_from([*"ab yz  ·é–-'", "[b]", ":x:", "报", "■", "\u0301"]),
                  min_size=1, max_size=40).map("".join).filter(
    lambda t: t.strip() == t and t.strip() != "")


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=12),
       st.lists(TITLES, min_size=12, max_size=12), st.integers(min_value=10, max_value=240),
       st.booleans(), st.booleans())
def test_the_plain_schedule_is_what_rich_prints(seed: int, stages: int, titles: list[str],
                                                width: int, today: bool,
                                                slow_down: bool) -> None:
    """Any plan (random links, milestones, deadlines, titles with markup and wide
    characters) at any width: the plain text is rich's, or the plain path steps aside."""
    import re
    from datetime import date

    from coplan.export.scheduletable import plain_schedule, render
    from coplan.planfile import parse_plan
    from coplan.schedule import schedule
    from plangen import random_plan

    text = random_plan(seed % 1000, stages, closures=1)
    names = iter(titles)
    text = re.sub(r'(?m)^title = ".*"$',
                  lambda m: 'title = "' + next(names, "x").replace("\\", "") + '"', text)
    plan = parse_plan(text)
    sched = schedule(plan, slow_down=slow_down)
    day = date(2027, 6, 1) if today else None
    console = _console(width)
    console.print(render(sched, day))
    plain = plain_schedule(sched, day, width)
    if plain is not None:
        assert plain == console.file.getvalue()  # type: ignore[attr-defined]
    else:  # only for a narrow width, or a text of characters not one cell wide
        every = [plan.project.title, *(s.title for s in plan.stages)]
        assert width < 24 or any(c in "报\u0301" for t in every for c in t)


def test_the_plain_schedule_is_taken_for_the_examples() -> None:
    """The examples and templates at the widths people use go the plain way, and give
    rich's text."""
    from coplan.export.scheduletable import plain_schedule, render
    from coplan.planfile import parse_plan
    from coplan.schedule import schedule
    from coplan.sharing import for_audience

    root = __import__("pathlib").Path(__file__).resolve().parents[1]
    for path in [*sorted((root / "examples").glob("*.toml")),
                 *sorted((root / "templates" / "plans").glob("*.toml"))]:
        plan = parse_plan(path.read_text(encoding="utf-8"))
        _, sched = for_audience(plan, schedule(plan))
        for width in (40, 80, 100, 120, 200):
            console = _console(width)
            console.print(render(sched, None))
            assert plain_schedule(sched, None, width) == console.file.getvalue(), \
                (path.name, width)  # type: ignore[attr-defined]


def test_plain_width_follows_rich_console() -> None:
    """Where rich's console would write styles it is None; else rich's width."""
    from coplan.plaintext import plain_width

    for environ in ({}, {"COLUMNS": "57"}, {"COLUMNS": "0"}, {"FORCE_COLOR": "1"},
                    {"FORCE_COLOR": ""}, {"TTY_COMPATIBLE": "1"}, {"TTY_COMPATIBLE": "0"},
                    {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, {"NO_COLOR": "1"}):
        for asked in (None, 120):
            file = io.StringIO()
            console = Console(file=file, width=asked, _environ=environ)
            width = plain_width(file, asked, environ)
            # Styles, or a width rich cannot lay out at: rich draws it.
            if console.is_terminal or console.legacy_windows or console.width < 1:
                assert width is None, environ
            else:
                assert width == console.width, environ


def _reviewed(text: str):  # type: ignore[no-untyped-def]
    from datetime import date

    from coplan.planfile import parse_plan
    from coplan.plugins import all_rules
    from coplan.review import review
    from coplan.schedule import ScheduleError, schedule

    day = date(2027, 6, 1)
    plan = parse_plan(text)
    try:
        sched = schedule(plan, today=day)
    except ScheduleError:
        sched = None
    return review(plan, sched, registry=all_rules(), today=day)


def _drawn_report(report, width: int, summary: bool) -> str:  # type: ignore[no-untyped-def]
    from coplan.review.report_text import print_report

    console = _console(width)
    print_report(report, console, summary=summary)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def test_the_plain_check_report_is_taken_for_the_examples() -> None:
    """check's text report on every example and template, at the widths people use and
    beyond: the plain way is taken, and gives rich's characters."""
    from coplan.review.report_plain import plain_report

    root = __import__("pathlib").Path(__file__).resolve().parents[1]
    for path in [*sorted((root / "examples").glob("*.toml")),
                 *sorted((root / "templates" / "plans").glob("*.toml"))]:
        report = _reviewed(path.read_text(encoding="utf-8"))
        for width in (16, 30, 57, 80, 100, 120, 200):
            for summary in (True, False):
                assert plain_report(report, width, summary=summary) == \
                    _drawn_report(report, width, summary), (path.name, width)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=999), st.integers(min_value=1, max_value=10),
       st.lists(TITLES, min_size=12, max_size=12), st.integers(min_value=8, max_value=160),
       st.booleans())
def test_the_plain_check_report_is_what_rich_prints(seed: int, stages: int,
                                                    titles: list[str], width: int,
                                                    summary: bool) -> None:
    """Random plans with titles holding markup, emoji codes and wide characters, at any
    width: the plain report is rich's, or the plain way steps aside."""
    import re

    from coplan.review.report_plain import plain_report
    from plangen import random_plan

    names = iter(titles)
    text = re.sub(r'(?m)^title = ".*"$',
                  lambda m: 'title = "' + next(names, "x").replace("\\", "") + '"',
                  random_plan(seed, stages, closures=1))
    report = _reviewed(text)
    plain = plain_report(report, width, summary=summary)
    if plain is not None:
        assert plain == _drawn_report(report, width, summary)
    else:
        every = [report.plan.project.title, *(s.title for s in report.plan.stages)]
        assert width < 16 or any(c in "报\u0301[:" for t in every for c in t)


def test_the_characters_known_to_be_one_cell_are_one_cell_to_rich() -> None:
    from rich.cells import get_character_cell_size

    from coplan.plaintext import ONE_CELL

    assert ONE_CELL and all(not c.isascii() for c in ONE_CELL)
    assert {c: (c.isprintable(), get_character_cell_size(c)) for c in ONE_CELL} == {
        c: (True, 1) for c in ONE_CELL}


@settings(max_examples=400, deadline=None)
@given(st.text(st.one_of(st.sampled_from([*"a ·£é→■█●✔–—’…", "\u00ad", "\u00a0", "Ж", "报",
                                           "😀", "\u0301", "\t", "\u200b"]),
                         st.characters(max_codepoint=0x2FFF)), max_size=30))
def test_one_cell_each_is_what_rich_counts(text: str) -> None:
    from rich.cells import get_character_cell_size

    from coplan.plaintext import one_cell_each

    assert one_cell_each(text) == (text.isprintable() and all(
        get_character_cell_size(c) == 1 for c in text))


def test_the_marks_of_a_schedule_and_a_review_need_no_rich(tmp_path: Path) -> None:
    """``schedule`` and ``check`` on the examples, to a pipe, import nothing of rich."""
    import os
    import subprocess
    import sys

    code = ("import atexit, runpy, sys\nsys.argv = ['coplan', *sys.argv[1:]]\n"
            "atexit.register(lambda: print(sorted(m for m in sys.modules"
            " if m.split('.')[0] == 'rich'), file=sys.stderr))\n"
            "runpy.run_module('coplan', run_name='__main__')\n")
    env = {**os.environ, "COPLAN_PLUGINS": "none", "COPLAN_CACHE_DIR": str(tmp_path)}
    for words in (["schedule"], ["check"]):
        for plan in (ROOT / "examples").glob("*.toml"):
            done = subprocess.run([sys.executable, "-c", code, *words, str(plan)], env=env,
                                  capture_output=True, text=True, check=False)
            assert done.stderr.strip().splitlines()[-1] == "[]", (words, plan, done.stderr)
