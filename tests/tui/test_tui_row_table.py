"""The table that draws only what is on screen: cursor, keys, messages, and keeping the
selected row when every row is replaced."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.geometry import Region

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


WORDS = ["a", "b", "stage", "✖ 2 errors", ("ok", "ok"), ("late", "error")]


def on_screen(table: RowTable, afresh: bool = False) -> list[list[Any]]:
    """The table's lines as the screen has them (kept from when each was last drawn),
    or, ``afresh``, every line drawn again from the rows as they now are."""
    if afresh:
        table._styles_cache.clear()
    lines = table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return [[(s.text, s.style) for s in line] for line in lines]


async def _replace_rows_at_random(data: st.DataObject) -> None:
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RowTable)
        rows = data.draw(st.lists(st.tuples(*[st.sampled_from(WORDS)] * 2), max_size=25))
        table.set_rows([f"k{i}" for i in range(len(rows))], lambda i, rows=rows: rows[i])
        await pilot.pause()
        for _ in range(data.draw(st.integers(1, 8), label="steps")):
            step = data.draw(st.sampled_from(["change", "change", "change", "grow",
                                              "shrink", "cursor", "scroll", "focus",
                                              "columns"]))
            if step in ("change", "grow", "shrink"):
                rows = list(rows)
                for i in data.draw(st.lists(st.integers(0, 24), max_size=4)):
                    if i < len(rows):
                        rows[i] = data.draw(st.tuples(*[st.sampled_from(WORDS)] * 2))
                if step == "grow":
                    rows.insert(data.draw(st.integers(0, len(rows))), ("new", "row"))
                elif step == "shrink" and rows:
                    del rows[data.draw(st.integers(0, len(rows) - 1))]
                table.set_rows([f"k{i}" for i in range(len(rows))],
                               lambda i, rows=rows: rows[i])
            elif step == "cursor":
                table.cursor_row = data.draw(st.integers(0, 30))
            elif step == "scroll":
                table.scroll_to(y=data.draw(st.integers(0, 30)), animate=False,
                                immediate=True)
            elif step == "focus":
                table.blur() if table.has_focus else table.focus()
            else:
                table.columns = [Column("Name", data.draw(st.integers(5, 20))),
                                 Column("Status", 0)]
                table.set_rows(table.keys, lambda i, rows=rows: rows[i])
            await pilot.pause()
            assert on_screen(table) == on_screen(table, afresh=True)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_after_rows_are_replaced_the_screen_shows_them_as_they_now_are(
        data: st.DataObject) -> None:
    """Replacing the rows draws again only the lines whose cells changed; whatever is
    changed (rows, their number, the cursor, the scroll, the focus, the columns), every
    line on screen is what drawing the table afresh gives."""
    asyncio.run(_replace_rows_at_random(data))


class ShapeApp(App[None]):
    """A table whose size the layout fixes, under a text that wraps (as the Plan tab's
    list and the words above it), in a narrow column beside another."""

    CSS = """
    Horizontal { height: 1fr; }
    #left { width: 30; height: 1fr; }
    #said { height: auto; }
    #table { height: 1fr; }
    #other { width: 1fr; height: 1fr; }
    """

    def __init__(self, rows: int, said: str, scroll: int) -> None:
        super().__init__()
        self.rows, self.said, self.scroll = rows, said, scroll

    def compose(self) -> ComposeResult:
        from textual.containers import Horizontal, Vertical
        from textual.widgets import Static

        with Horizontal():
            with Vertical(id="left"):
                yield Static(self.said, id="said")
                yield RowTable([Column("Name", 20), Column("Status", 0)], id="table")
            yield Static("beside", id="other")

    def on_mount(self) -> None:
        self.query_one(RowTable).set_rows(*rows(self.rows))
        self.query_one(RowTable).scroll_to(y=self.scroll, animate=False, immediate=True)


def test_a_new_number_of_rows_and_a_text_of_the_same_shape_need_no_layout() -> None:
    """Rows added or removed, and a text changed into one that takes the same room, are
    drawn without laying out the screen again: what is on screen is exactly what an app
    showing them from the start shows (scrollbars, wrapping and all)."""
    import random

    from textual.widgets import Static

    from coplan.tui.widgets.text import show

    def screen(app: App[None]) -> str:
        return app.export_screenshot()

    async def check(before: int, after: int, said: str, now: str, scroll: int) -> bool:
        changed = ShapeApp(before, said, scroll)
        async with changed.run_test(size=(60, 14)) as pilot:
            await pilot.pause()
            table = changed.query_one(RowTable)
            layouts: list[bool] = []
            original = table.refresh

            def spy(*args: Any, **kwargs: Any) -> Any:
                layouts.append(bool(kwargs.get("layout")))
                return original(*args, **kwargs)

            table.refresh = spy  # type: ignore[method-assign]
            table.set_rows(*rows(after))
            show(changed.query_one("#said", Static), now)
            await pilot.pause()
            got = screen(changed)
            quiet = not any(layouts)
        fresh = ShapeApp(after, now, scroll)
        async with fresh.run_test(size=(60, 14)) as pilot:
            await pilot.pause()
            assert screen(fresh) == got, (before, after, said, now, scroll)
        return quiet

    rng = random.Random(4)
    said = ["All 1,000 stages, in the order they happen. / finds stages",
            "All 1,001 stages, in the order they happen. / finds stages",
            "All 999 stages, in the order they happen. / finds stages", "Short"]
    quiet = 0
    for _ in range(16):
        before = rng.choice([3, 8, 14, 16, 20, 31, 60])
        after = before + rng.choice([-4, -1, 1, 2, 6])
        quiet += asyncio.run(check(before, after, rng.choice(said[:2]), rng.choice(said),
                                   rng.choice([0, 2, 40, 1000])))
    assert quiet >= 3  # the way without a layout was taken (and so compared)
