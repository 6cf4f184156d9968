"""Nothing typed is lost: a changed form asks before it closes, and keys typed in a burst
(before a form is ready, or right after Tab) reach the field they were meant for.

``burst`` hands the app every key at once, as a fast typist, a paste or a shared terminal
does, without waiting between them (``pilot.press`` waits after each key, so it never
shows these losses)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from forms_pilot import form, type_into
from textual import events
from textual.widgets import Input
from tui_support import SIZE, make_app, settle

from coplan.tui.screens.form import FormScreen
from coplan.tui.screens.unsaved import UnsavedScreen


def burst(pilot: Any, *keys: str) -> None:
    """Send ``keys`` to the app all at once, with no pause between them."""
    driver = pilot.app._driver
    for key in keys:
        char = key if len(key) == 1 else None
        name = {" ": "space", "-": "minus"}.get(key, key)
        event = events.Key(name, char)
        event.set_sender(pilot.app)
        driver.send_message(event)


async def until(pilot: Any, condition: Any, what: str) -> None:
    for _ in range(200):
        await pilot.pause()
        if condition():
            return
    raise AssertionError(f"waited in vain for {what}")


def value_of(pilot: Any, key: str) -> str:
    widget = form(pilot).query_one(f"#field-{key}", Input)
    return widget.value


async def test_a_name_typed_right_after_p_lands_in_the_name(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        burst(pilot, "p", *"Robin Hale", "tab", *"robin-h")
        await until(pilot, lambda: isinstance(app.screen, FormScreen)
                    and value_of(pilot, "id") == "robin-h", "the id to arrive")
        assert value_of(pilot, "name") == "Robin Hale"
        assert value_of(pilot, "id") == "robin-h"


async def test_text_typed_right_after_tab_lands_in_the_next_field(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        burst(pilot, *"Carers", "tab", *"6w", "tab")
        await until(pilot, lambda: value_of(pilot, "every") == "6w", "the weeks")
        assert value_of(pilot, "title") == "Carers"


async def test_escape_on_a_changed_form_asks_first(plan_path: Path) -> None:
    original = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the stage form")
        await type_into(pilot, "title", "Choosing what matters")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UnsavedScreen), "the question")
        asked = str(app.screen.query_one("#dialog-title").render())
        assert "You changed 'Name of the stage'" in asked, "it says what was changed"
        await pilot.press("escape")  # keep editing
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the form again")
        assert value_of(pilot, "title") == "Choosing what matters", "what was typed is kept"

        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UnsavedScreen), "the question")
        await pilot.click("#discard")
        await until(pilot, lambda: not isinstance(app.screen, (FormScreen, UnsavedScreen)),
                    "the form to close")
        assert app.session.text == original

        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the stage form")
        await type_into(pilot, "title", "Choosing what matters")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UnsavedScreen), "the question")
        await pilot.click("#save")
        await until(pilot, lambda: not isinstance(app.screen, (FormScreen, UnsavedScreen)),
                    "the form to close")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert 'title = "Choosing what matters"' in plan_path.read_text(encoding="utf-8")


async def test_escape_on_an_untouched_form_just_closes_it(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the stage form")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, FormScreen), "the form to close")
        assert not isinstance(app.screen, UnsavedScreen)



async def test_keys_arriving_while_held_keys_are_handed_on_wait_their_turn(
        plan_path: Path) -> None:
    """Held keys are handed on one at a time; keys typed meanwhile (the rest of a fast
    typist's words, then Ctrl+S) come after them, never between them.  In a real terminal
    under load the new stage got "M ward teamseeting the", or was saved before its name
    was complete (and the letters left over went to the plan as shortcuts)."""
    import asyncio

    def name_begun() -> bool:
        screen = app.screen
        return isinstance(screen, FormScreen) and screen.is_mounted and \
            bool(screen.query("#field-title")) and 0 < len(value_of(pilot, "title")) < 4

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        burst(pilot, "a", *"Meeting the")
        for _ in range(20_000):  # the form has begun to take the held keys ...
            await asyncio.sleep(0)
            if name_begun():
                break
        assert name_begun(), "the held keys are handed on one at a time"
        # (A new stage's length is the team's to say: given here, out of the keys' way.)
        app.screen.query_one("#field-duration").value = "2w"  # type: ignore[attr-defined]
        burst(pilot, *" ward teams", "ctrl+s")  # ... when the rest arrives, and Ctrl+S
        await until(pilot, lambda: not isinstance(app.screen, FormScreen), "the form to close")
        await until(pilot, lambda: app.session.plan.stage("meeting-the-ward-teams") is not None,
                    "the new stage")
        stage = app.session.plan.stage("meeting-the-ward-teams")
        assert stage is not None and stage.title == "Meeting the ward teams"
