"""The app at 80x24 (a laptop's terminal, a shared screen at a large font): every tab shows
what tells its rows apart, and words are shortened only between words, with "…".

Read from the screen as a person sees it (NO_COLOR: no state by colour alone)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tui_support import make_app

from coplan.tui.widgets.fit import shorten
from coplan.tui.widgets.fitted_table import MIN_WIDTH, fitted_widths

NARROW = (80, 24)


def screen_lines(app: Any) -> list[str]:
    return ["".join(seg.text for seg in strip)
            for strip in app.screen._compositor.render_strips()]


async def _open(pilot: Any, *keys: str) -> list[str]:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause()
    return screen_lines(pilot.app)


@pytest.fixture(autouse=True)
def _no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


async def test_the_title_footer_and_status_are_whole_words(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=NARROW) as pilot:
        lines = await _open(pilot)
        title = app.session.plan.project.title
        header = lines[0].strip(" ⭘")
        assert header.endswith("…") and title.startswith(header[:-1].rstrip()), header
        assert title[len(header) - 1] == " ", "cut between words"
        footer = lines[-1]
        keys = re.findall(r"(\S+) ((?:\S+ )*?\S+)(?=  |\s*$)", footer.split("▏")[0])
        from coplan.tui.actions import ACTIONS

        words = {a.footer for a in ACTIONS if a.footer} | {a.title for a in ACTIONS}
        assert keys and all(description in words for _, description in keys), keys
        status = " ".join(line.strip() for line in lines[1:4])
        assert "5 calendar days to spare" in status, status


async def test_every_delivery_row_says_which_session_it_is(plan_path: Path) -> None:
    from coplan.tui.panes.delivery import DeliveryTable

    app = make_app(plan_path)
    async with app.run_test(size=NARROW) as pilot:
        lines = await _open(pilot, "7")
        table = app.query_one(DeliveryTable)
        header = next(line for line in lines if "Session" in line and "When" in line)
        assert header.split()[1] == "Session", header
        rows = [line for line in lines[5:table.region.bottom]  # (not the line under it)
                if re.search(r"\d\d \w\w\w 20\d\d", line)]
        assert rows
        titles = {s.touchpoint.title for s in table.sessions.values()}
        for row in rows:
            first = re.split(r"\s{2,}", row[1:].strip())[0]
            whole = first.rstrip("…").split(" (")[0].rstrip("…").strip()
            assert any(t.startswith(whole) for t in titles), row
            if first.endswith("…"):
                # (between words: "Anonymous survey…" for "Anonymous survey: what ...")
                assert any(t[len(whole)] in " :;,." for t in titles if t.startswith(whole)
                           and len(t) > len(whole)), ("cut inside a word", row)


TABLES = {"1": "#stages", "3": "#findings", "4": "#people-table", "5": "#meetings-table",
          "7": "#delivery-table"}


@pytest.mark.parametrize("tab", sorted(TABLES))
async def test_no_column_is_cut_by_the_edge(plan_path: Path, tab: str) -> None:
    """The columns in sight end exactly at the table's edge, or all fit: the edge never
    falls inside a column (where it cut "Trust resear")."""
    from textual.widgets import DataTable

    from coplan.tui.widgets.row_table import RowTable

    app = make_app(plan_path)
    async with app.run_test(size=NARROW) as pilot:
        await _open(pilot, tab)
        table = app.query_one(TABLES[tab])
        room = table.scrollable_content_region.width
        if isinstance(table, RowTable):
            widths, padding, edge = table._widths(), 1, room - 1
        else:
            assert isinstance(table, DataTable)
            widths = [c.width for c in table.ordered_columns]
            padding, edge = 2 * table.cell_padding, room
        ends, used = [], 0
        for width in widths:
            used += width + padding
            ends.append(used)
        assert ends[-1] <= edge or edge in ends, (tab, widths, edge)
        assert ends[0] <= edge, "the column that tells the rows apart is in sight"


async def test_the_months_view_never_shows_part_of_a_label(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=NARROW) as pilot:
        for keys in (("2", "z"), ("right", "right", "right"), ("n",)):
            lines = await _open(pilot, *keys)
            months = next(line for line in lines if "Months of" in line or "Weeks from" in line)
            labels = months.split("│", 1)[1].split()
            names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                     "Nov", "Dec"}
            assert all(label in names or label.isdigit() for label in labels), months


async def test_the_timeline_opens_at_today_and_home_goes_to_the_start(
        plan_path: Path) -> None:
    from coplan.tui.widgets.timeline import Timeline

    app = make_app(plan_path)
    async with app.run_test(size=NARROW) as pilot:
        lines = await _open(pilot, "2")
        said = " ".join(lines[6:9])
        assert "Today, Fri 10 Sep 2027, is the │ line" in said, said
        timeline = app.query_one(Timeline)
        assert timeline.chart is not None and timeline.chart.today_col is not None
        left = round(timeline.scroll_x)
        assert left <= timeline.chart.today_col < left + timeline.size.width - 29
        await _open(pilot, "home")
        assert round(timeline.scroll_x) == 0
        await _open(pilot, "n")
        assert round(timeline.scroll_x) == left


@given(st.lists(st.integers(1, 60), min_size=1, max_size=8), st.integers(20, 200))
def test_fitted_columns_fill_the_width_and_keep_their_least(natural: list[int],
                                                            room: int) -> None:
    widths = fitted_widths(natural, room)
    used = 0
    shown = 0
    for width in widths:
        if used + width + 2 > room:
            break
        used += width + 2
        shown += 1
    assert shown >= 1
    if sum(w + 2 for w in natural) <= room:
        assert widths == natural  # nothing changes where everything fits
    elif shown < len(widths):
        assert used == room, "the last column in sight reaches the edge"
    assert all(w >= min(n, MIN_WIDTH) for w, n in zip(widths[1:], natural[1:], strict=True))


@given(st.text(st.sampled_from("ab "), min_size=1, max_size=40), st.integers(2, 40))
def test_shortened_words_end_between_words(words: str, width: int) -> None:
    short = shorten(words, width)
    assert len(short) <= width
    if short != words:
        assert short.endswith("…")
        kept = short[:-1]
        first_word_too_long = " " not in words[:width].strip() or not kept.strip()
        assert first_word_too_long or words[len(kept)] in " " or \
            (words[:len(kept)] == kept and words[len(kept):len(kept) + 1] in (" ", "")), \
            (words, short)


def test_the_demo_says_where_the_examples_findings_come_from() -> None:
    from datetime import date

    from tui_support import EXAMPLES

    from coplan.planfile import load_plan
    from coplan.tui.example_story import story_line, story_notice

    plan = load_plan(EXAMPLES / "minds-discharge.toml")
    notice = story_notice(plan, "minds-discharge", date(2027, 9, 10))
    assert "“The Harbour group has not heard back from the drop-in." in notice
    assert "part of its story" in notice
    assert "06 Sep 2027" in story_line(plan, "minds-discharge", date(2027, 9, 10))


async def test_the_review_tab_of_the_demo_says_so(plan_path: Path) -> None:
    app = make_app(plan_path, example="minds-discharge")
    async with app.run_test(size=(120, 40)) as pilot:
        lines = await _open(pilot, "3")
        assert any("part of its story" in line for line in lines)
        assert any("✖ error" in line for line in lines), "the findings are all still there"
    plain = make_app(plan_path)
    async with plain.run_test(size=(120, 40)) as pilot:
        lines = await _open(pilot, "3")
        assert not any("part of its story" in line for line in lines)


async def test_the_delivery_tab_shows_every_column_without_scrolling_sideways(
        plan_path: Path) -> None:
    """At 80 columns the Delivery tab's rows are two lines: the stage under the session,
    what is paid under whether people heard back; every column's label and words are in
    sight, and the table is no wider than the screen."""
    from coplan.tui.panes.delivery import DeliveryTable

    app = make_app(plan_path)
    async with app.run_test(size=NARROW) as pilot:
        lines = await _open(pilot, "7")
        table = app.query_one(DeliveryTable)
        assert table.stacked
        assert table.virtual_size.width <= table.scrollable_content_region.width
        top = next(i for i, line in enumerate(lines) if "Session" in line and "When" in line)
        header = lines[top] + lines[top + 1]
        for label in DeliveryTable.COLUMNS:
            assert label in header, (label, lines[top:top + 2])
        first = table.values(str(table.coordinate_to_cell_key((0, 0)).row_key.value))
        paid, stage = str(first["Paid"]), str(first["Stage"])
        assert paid and stage
        below = lines[top + 3]  # the first row's second line
        assert "paid" in below and stage.split()[0] in below, below
    wide = make_app(plan_path)
    async with wide.run_test(size=(160, 30)) as pilot:
        await _open(pilot, "7")
        assert not wide.query_one(DeliveryTable).stacked  # room for a column each


@pytest.mark.parametrize("width", [120, 140, 160])
async def test_a_rung_keeps_its_words_when_its_column_narrows(plan_path: Path,
                                                              width: int) -> None:
    """The Plan tab's "Deepest rung" is a bar and the rung's name: narrowed, the bar gives
    way in every row alike, never the words ("███████…" said nothing)."""
    from coplan.tui.widgets.stage_table import COLUMNS
    from coplan.vocab import LADDER

    app = make_app(plan_path)
    async with app.run_test(size=(width, 30)) as pilot:
        lines = await _open(pilot, "1")
        header = next(line for line in lines if "Deepest rung" in line)
        start = header.index("Deepest rung")
        table = app.query_one("#stages")
        rung = [c.label for c in COLUMNS].index("Deepest rung")
        narrowed = table._widths()[rung] < COLUMNS[rung].width
        cells = [line[start:start + table._widths()[rung]].strip()
                 for line in lines[lines.index(header) + 1:][:12]]  # MINDS: 12 stages
        assert len(cells) == 12, cells
        names = {LADDER.label(k) for k in LADDER.ids()} | {"none"}
        for cell in cells:
            words = cell.lstrip("█· ")
            assert words in names, (width, cell)
            assert ("█" in cell) != narrowed, (width, cell)


@given(st.integers(1, 7), st.sampled_from(["Co-production", "Co-design", "Informing"]),
       st.integers(0, 30))
def test_fit_drops_a_bar_before_the_words(rank: int, label: str, width: int) -> None:
    from rich.text import Text

    from coplan.tui.widgets.fit import fit

    cell = f"{'█' * rank}{'·' * (7 - rank)} {label}"
    shown = fit(Text(cell), width, pad=False).plain
    if width >= len(cell):
        assert shown == cell
    elif width >= len(label):
        assert shown == label
    else:
        assert "█" not in shown and shown.endswith("…")


@pytest.mark.parametrize("width", [120, 160])
async def test_what_happened_to_a_session_is_never_cut_where_stacking_keeps_it_whole(
        plan_path: Path, width: int) -> None:
    """Trial 11: at 120 columns the Delivery tab read "✔ held, moved…" and "⚠ overdue…"
    (the state columns gave up room while the session's name kept 28% of the width), so
    a reader never learnt the day it moved from or since when it is overdue.  The words
    that say how things stand give up room last; rather than cut them, the rows stack."""
    from datetime import date

    from coplan.tui.panes.delivery import DeliveryTable

    app = make_app(plan_path, today=date(2027, 10, 6))
    # (50 lines: the rows down to the drop-in above the selected session's record)
    async with app.run_test(size=(width, 50)) as pilot:
        lines = await _open(pilot, "7")
        table = app.query_one(DeliveryTable)
        shown = "\n".join(lines)
        seen = 0
        for key, _cells in table._rows:
            values = table.values(key)
            for column in DeliveryTable.WORDS:
                words = str(values[column])
                if words and any(str(values["When"]) in line for line in lines):
                    assert words in shown, (column, words)
                    seen += 1
        assert seen > 10
        assert "⚠ 2 overdue since 26 Aug" in shown and "moved from 11 Aug" in shown


async def test_the_selected_sessions_record_is_said_whole_at_80_columns(
        plan_path: Path) -> None:
    """At 80 columns the table cuts "What happened" ("✔ held, moved…": every column
    narrows alike), so the line under the table says the selected session's record whole
    (what happened, from which day it moved, whether people heard back and are paid), in
    words, and follows the cursor."""
    from datetime import date

    from coplan.tui.panes.delivery import DeliveryTable, session_details

    app = make_app(plan_path, today=date(2027, 10, 6))
    async with app.run_test(size=NARROW) as pilot:
        await _open(pilot, "7")
        table = app.query_one(DeliveryTable)
        details = app.query_one("#delivery-details")
        views = app.session.views
        cut = 0
        for row in range(min(table.row_count, 40)):
            table.move_cursor(row=row)
            await pilot.pause()
            session = table.selected()
            assert session is not None
            said = session_details(session, views.plan, views.schedule, date(2027, 10, 6))
            assert str(details.content).strip() == said  # type: ignore[attr-defined]
            values = table.values(session.id)
            whole = str(values["What happened"])
            assert f"What happened: {whole}" in said
            for column in ("Heard back", "Paid"):
                if str(values[column]):
                    assert str(values[column]) in said, (column, said)
            shown = " ".join(line.strip(" ▔▁▊▎│") for line in screen_lines(app))
            for line in said.splitlines():  # on the screen, whole (wrapped at spaces)
                assert " ".join(line.split()) in " ".join(shown.split()), line
            row_text = "\n".join(screen_lines(app))
            if whole not in row_text.replace(f"What happened: {whole}", ""):
                cut += 1  # the table cut it: only the line under it says it whole
        assert cut, "no row was cut: the test shows nothing at this width"


async def test_add_a_stage_keeps_save_and_cancel_in_sight(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("a")
        for _ in range(3):
            await pilot.pause()
        lines = screen_lines(app)
        buttons = next((line for line in lines if "Save" in line and "Cancel" in line), None)
        assert buttons is not None, "\n".join(lines)


async def test_the_clash_dialog_shows_its_words_whole(plan_path: Path) -> None:
    from coplan.merge import Conflict
    from coplan.tui.screens.conflicts import ConflictScreen

    mine = "Kept aims, which we agreed with the advisory group in March"
    theirs = "Their aims, as the steering group wrote them after the meeting"
    app = make_app(plan_path)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        app._ask_about_conflicts([Conflict(("stage", "aims", "title"), "Aims", mine, theirs)])
        for _ in range(3):
            await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        text = " ".join(" ".join(line.strip(" █▌▐▁▂▃▄▅▆▇").split())  # (and scroll bars)
                        for line in screen_lines(app))
        assert mine in text and theirs in text, text
        assert "Esc: decide later" in text and "Save these choices" in text, text
        # The choices say whole what each keeps, wrapped between words (trial12: both
        # were cut with "…").
        choices = " ".join(" ".join(line.strip(" █▌▐║").split())
                           for line in screen_lines(app) if "║" in line)
        assert f"(•) Keep theirs: {theirs}" in choices, choices
        assert f"( ) Keep mine: {mine}" in choices, choices
        assert "…" not in choices, choices


async def test_the_cursor_in_a_ticked_list_is_a_mark_not_a_shade(plan_path: Path) -> None:
    from coplan.tui.widgets.plain_state import CURSOR, TickList

    app = make_app(plan_path)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("t")
        for _ in range(3):
            await pilot.pause()
        ticks = app.screen.query_one("#field-who", TickList)
        ticks.focus()
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        marked = [line for line in screen_lines(app) if f"] {CURSOR} " in line]
        assert len(marked) == 1, "\n".join(screen_lines(app))
        await pilot.press("tab")
        await pilot.pause()
        assert not [line for line in screen_lines(app) if f"] {CURSOR} " in line]


@pytest.mark.parametrize("size", [NARROW, (120, 40)])
async def test_the_details_under_a_table_take_the_room_the_table_spares(
        plan_path: Path, size: tuple[int, int]) -> None:
    """trial12: the Delivery tab's details were capped at half the tab (the Review tab's
    at nine lines), cutting a long record while the table had rows to spare.  Now they
    take the lines they need, leaving the table its header and a few rows, and scroll
    beyond (Tab reaches them then); a short record leaves the rest to the table."""
    from coplan.tui.panes.delivery import DeliveryPane
    from coplan.tui.panes.review import ReviewPane
    from coplan.tui.widgets.details_under import TABLE_KEEPS, DetailsUnder

    app = make_app(plan_path)
    async with app.run_test(size=size) as pilot:
        for key, kind in (("7", DeliveryPane), ("3", ReviewPane)):
            await _open(pilot, key)
            pane = app.pane(kind)
            details = pane.query_one(DetailsUnder)
            table = pane.query_one("#delivery-table" if key == "7" else "#findings")
            long = "\n".join(f"line {n} of what was recorded" for n in range(1, 41))
            details.say(long)
            for _ in range(3):
                await pilot.pause()
            assert table.size.height >= TABLE_KEEPS, (key, table.size)
            # every line of the tab not kept for the table (or its other lines) is used
            others = sum(c.outer_size.height for c in pane.children
                         if c is not details and c is not table)
            assert details.outer_size.height == pane.size.height - others - TABLE_KEEPS, key
            assert details.can_focus, "scrolled by keys when it holds more than it shows"
            details.focus()
            await pilot.press("end")
            await pilot.pause()
            assert "line 40 of" in "\n".join(screen_lines(app)), key
            details.say("A short record.")
            for _ in range(3):
                await pilot.pause()
            assert details.size.height == 1 and not details.can_focus, key
            app.set_focus(None)
