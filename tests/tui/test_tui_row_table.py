"""The table that draws only what is on screen: cursor, keys, messages, and keeping the
selected row when every row is replaced."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult

from coplan.tui.widgets.row_table import Column, RowTable


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str | None]] = []

    def compose(self) -> ComposeResult:
        yield RowTable([Column("Name", 20), Column("Status", 0)], id="table")

    def on_row_table_row_highlighted(self, message: RowTable.RowHighlighted) -> None:
        self.seen.append(("highlighted", message.key))

    def on_row_table_row_selected(self, message: RowTable.RowSelected) -> None:
        self.seen.append(("selected", message.key))


def rows(n: int) -> tuple[list[str], Any]:
    keys = [f"k{i}" for i in range(n)]
    return keys, lambda i: (f"Row {i}", ("ok", "ok") if i % 2 else ("bad", "error"))


async def test_keys_move_the_cursor_and_enter_chooses() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RowTable)
        table.set_rows(*rows(1000))
        table.focus()
        await pilot.pause()
        await pilot.press("down", "down")
        assert table.cursor_key == "k2"
        await pilot.press("pagedown")
        assert table.cursor_row > 2
        assert table.scroll_y > 0 or table.cursor_row < 10
        await pilot.press("end")
        assert table.cursor_key == "k999"
        assert table.scroll_y >= 1000 - table.size.height, "the last row is in view"
        await pilot.press("home", "enter")
        await pilot.pause()
        assert ("selected", "k0") in app.seen
        await pilot.press("up")  # already at the top: stays
        assert table.cursor_row == 0


async def test_replacing_every_row_keeps_the_selected_one() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RowTable)
        table.set_rows(*rows(10))
        table.move_to("k5")
        await pilot.pause()
        keys, make = rows(10)
        table.set_rows(["new", *keys], make)  # a row added above
        assert table.cursor_key == "k5"
        table.set_rows(keys, make)
        assert table.cursor_row == 5
        table.set_rows([k for k in keys if k != "k5"], make)  # the selected row removed
        assert table.cursor_key == "k6", "the next row takes its place"
        table.set_rows([], make)
        await pilot.pause()
        assert table.cursor_key is None and table.row_count == 0


async def test_a_click_moves_then_chooses() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RowTable)
        table.set_rows(*rows(5))
        await pilot.pause()
        await pilot.click(RowTable, offset=(2, 3))  # the header is line 0: row 2
        assert table.cursor_key == "k2"
        await pilot.click(RowTable, offset=(2, 3))
        await pilot.pause()
        assert ("selected", "k2") in app.seen
