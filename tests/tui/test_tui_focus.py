"""Focus is plain to see in both themes, by shape and not only colour: the list or chart
with the keyboard focus has a thick bar down its left side, the tab on screen is bold and
underlined (in reverse while the keyboard is in the tab bar).  And single-key shortcuts
(``?``, ``/``, ``[``, letters) never take keys typed into a text field."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Tabs, TextArea
from textual.widgets._tabs import Tab
from tui_support import SIZE, make_app

from coplan.tui.actions import ACTIONS
from coplan.tui.screens.help import key_name
from coplan.tui.widgets.row_table import RowTable
from coplan.tui.widgets.timeline import Timeline


def _edge(widget) -> str:  # type: ignore[no-untyped-def]
    return str(widget.styles.border_left[0])


@pytest.mark.parametrize("high_contrast", [False, True], ids=["dark", "high-contrast"])
async def test_the_focused_list_and_the_tab_on_screen_are_marked_by_shape(
        plan_path: Path, high_contrast: bool) -> None:
    app = make_app(plan_path, high_contrast=high_contrast)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        stages = app.query_one("#stages", RowTable)
        assert app.focused is stages
        assert _edge(stages) == "thick"
        active = app.query_one("#tabs Tab.-active", Tab)
        assert active.styles.text_style.underline and active.styles.text_style.bold
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()
        timeline = app.query_one(Timeline)
        assert app.focused is timeline
        assert _edge(timeline) == "thick" and _edge(stages) == "blank"
        app.query_one(Tabs).focus()
        await pilot.pause()
        active = app.query_one("#tabs Tab.-active", Tab)
        assert active.styles.text_style.reverse
        assert _edge(timeline) == "blank"
        for key in "457":  # the People, Meetings and Delivery tabs' tables too
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.focused, DataTable), key
            assert _edge(app.focused) == "thick", key


# Every action's key that is one character, as typed.
SINGLE_KEYS = "".join(sorted({key_name(a.key) for a in ACTIONS if len(key_name(a.key)) == 1}))


async def test_single_keys_typed_into_text_fields_are_text(plan_path: Path) -> None:
    assert {"?", "/", "[", "a", "c", "O"} <= set(SINGLE_KEYS)
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = app.session.text
        await pilot.press("t")  # a new touchpoint: a one-line field and a longer one
        for _ in range(50):
            await pilot.pause()
            if app.screen is not app.screen_stack[0]:
                break
        screen = app.screen
        line = screen.query_one("#field-title", Input)
        line.focus()
        await pilot.pause()
        await pilot.press(*SINGLE_KEYS)
        await pilot.pause()
        assert line.value == SINGLE_KEYS
        area = screen.query(TextArea).first()
        area.focus()
        await pilot.press(*SINGLE_KEYS)
        await pilot.pause()
        assert area.text == SINGLE_KEYS
        assert app.screen is screen  # no shortcut opened anything
        assert app.session.text == text
