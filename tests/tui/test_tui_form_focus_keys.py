"""A form opens with the cursor after the text and nothing selected, so typing adds to a
name rather than replacing it; Ctrl+Q with any dialog open says what to do."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea
from tui_support import SIZE, make_app

from coplan.tui.screens.form import FormScreen


async def test_typing_in_a_form_adds_to_the_name_it_opened_with(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        field = app.screen.focused
        assert isinstance(field, Input)
        before = field.value
        assert before and field.selection.is_empty
        assert field.cursor_position == len(before)
        await pilot.press(*" (A)")
        await pilot.pause()
        assert field.value == before + " (A)"


async def test_every_one_line_field_tabbed_into_keeps_its_text(plan_path: Path) -> None:
    """Across the form: Tab into each field, type; nothing is replaced."""
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("4", "P")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FormScreen)
        for _ in range(len(screen.fields)):
            field = screen.focused
            if isinstance(field, Input) and field.value:
                assert field.selection.is_empty, field.id
                assert field.cursor_position == len(field.value), field.id
            if isinstance(field, TextArea) and field.text:
                assert field.selection.is_empty and \
                    field.cursor_location == field.document.end, field.id
            await pilot.press("tab")
            await pilot.pause()


async def test_ctrl_q_in_a_form_says_what_to_do_and_keeps_the_form(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*" typed")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen), "the form stays, with what was typed"
        assert app.return_code is None
        said = str(app.screen.query_one(".dialog-note").render())  # (inside the dialog)
        assert "Esc closes it" in said and "Then Ctrl+Q leaves" in said, said
        assert app.screen.focused.value.endswith(" typed")  # type: ignore[union-attr]


async def test_ctrl_q_in_a_question_says_the_same(plan_path: Path) -> None:
    from coplan.tui.screens.confirm import ConfirmScreen

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and app.return_code is None
        said = str(app.screen.query_one(".dialog-note").render())  # (inside the dialog)
        assert "Then Ctrl+Q leaves" in said, said
