"""A dialog's keys fit on their line, or break between hints, never inside one: the
payment form's "Esc: back to the people who came" wrapped in the middle at 120x40."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tui_support import SIZE, make_app

from coplan.tui.widgets.key_hints import SEPARATOR, lay_out

NARROW = (80, 24)  # the small screen tests/test_narrow_screens.py reads reports at


def _hints_of(text: str) -> list[str]:
    """The hints of laid-out lines."""
    return [hint for line in text.splitlines() for hint in line.split(SEPARATOR)]


@given(st.lists(st.text(alphabet="abc: ", min_size=1, max_size=20).map(str.strip)
                .filter(lambda h: h and "  " not in h), min_size=1, max_size=6),
       st.integers(min_value=1, max_value=90))
def test_hints_break_only_between_hints(hints: list[str], width: int) -> None:
    text = lay_out(tuple(hints), width)
    assert _hints_of(text) == hints
    for line in text.splitlines():
        # A line is too long only where one hint alone is wider than the line.
        assert len(line) <= width or SEPARATOR not in line


@pytest.mark.parametrize("size", [SIZE, NARROW], ids=["120x40", "80x24"])
async def test_the_payment_forms_keys_fit_or_break_between_hints(
        plan_path: Path, size: tuple[int, int]) -> None:
    from coplan.tui.panes.delivery import DeliveryTable
    from coplan.tui.screens.form import FormScreen
    from coplan.tui.screens.pick import PickScreen

    app = make_app(plan_path, today=date(2027, 9, 10))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        table = app.query_one(DeliveryTable)
        row = next(i for i, s in enumerate(table.sessions.values())
                   if s.day == date(2027, 9, 6))
        table.move_cursor(row=row)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FormScreen) and screen.back
        keys = screen.query_one(".form-keys")
        shown = str(keys.render())
        assert _hints_of(shown) == ["Tab: next", "Ctrl+S: save",
                                    "Esc: back to the people who came"], shown
        if size == SIZE:
            assert "\n" not in shown, "the keys wrap on a full-size screen"
        width = keys.content_region.width
        assert all(len(line) <= width for line in shown.splitlines()), (width, shown)
        # Whole and on screen: the row is as tall as its lines, inside the dialog.
        assert keys.region.height >= shown.count("\n") + 1
        assert screen.query_one("#dialog").region.contains_region(keys.region)
