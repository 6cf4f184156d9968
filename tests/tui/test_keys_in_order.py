"""Keys that arrive together are taken in the order typed, in every text field of a form.

A burst of keys (a remote session, a screen reader's or an input method's text, a busy
computer) reaches the app all at once.  Textual acted on a letter as soon as the field had it
but on a Backspace only once that key had travelled back up to the app, so the letters typed
after sixteen Backspaces overtook them: "Siân Ó Briain" was kept as "SamSiân Ó B".  These
tests post the keys the way the terminal does, with no wait between them, then look at what
the field holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from forms_pilot import focus, form, save
from textual import events
from tui_support import SIZE, make_app, settle

from coplan.planfile import load_plan
from coplan.tui.screens.form import FormScreen
from coplan.tui.widgets.keys_in_order import FieldArea


def _burst(app: Any, *keys: str) -> None:
    """Post ``keys`` to the app at once, as the terminal does when they come together."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key("space" if key == " " else key, key))
        else:
            app.post_message(events.Key(key, None))


async def _settled(pilot: Any, widget: Any, attribute: str, want: str) -> str:
    """What ``widget`` holds once the keys posted have all been dealt with (a bounded number
    of turns: a field that never gets there fails the test with what it has)."""
    for _ in range(200):
        await pilot.pause()
        if getattr(widget, attribute) == want:
            break
    await pilot.pause()
    return str(getattr(widget, attribute))


async def _open_first_person(pilot: Any) -> None:
    await pilot.pause()
    await pilot.press("4")
    await pilot.pause()
    await pilot.press("down", "enter")
    await pilot.pause()


async def test_a_burst_of_deletes_then_a_name_keeps_the_name(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_first_person(pilot)
        field = await focus(pilot, "name")
        await pilot.press("end")
        await pilot.pause()
        old = field.value
        _burst(app, *["backspace"] * (len(old) + 3), *"Siân Ó Briain")
        assert await _settled(pilot, field, "value", "Siân Ó Briain") == "Siân Ó Briain"
        # And a date typed over one, with the cursor moved in the same burst.
        date = await focus(pilot, "needs_asked")
        _burst(app, "end", *["backspace"] * 12, *"2027-02-14", "left", "left",
               "delete", "0", "end", "backspace", "5")
        assert await _settled(pilot, date, "value", "2027-02-05") == "2027-02-05"
        await save(pilot)
        assert not isinstance(app.screen, FormScreen)  # saved and closed
        await pilot.press("ctrl+s")
        await settle(pilot)
    person = next(p for p in load_plan(plan_path).people if p.name == "Siân Ó Briain")
    assert str(person.needs_asked) == "2027-02-05"


async def test_keys_after_tab_go_to_the_next_field_and_no_further(plan_path: Path) -> None:
    """A Backspace typed before Tab deletes in the field it was typed in, not in the next."""
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")  # a new person: an empty form
        await pilot.pause()
        name = await focus(pilot, "name")
        _burst(app, *"Robinx", "backspace", "tab")
        assert await _settled(pilot, name, "value", "Robin") == "Robin"
        assert form(pilot).focused is not name


async def test_a_multi_line_field_takes_a_burst_in_order(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")  # a new stage
        await pilot.pause()
        areas = form(pilot).query(FieldArea)
        assert areas, "the stage form has a multi-line field"
        area = areas.first()
        area.focus()
        await pilot.pause()
        area.text = "first line\nsecond"
        await pilot.pause()
        _burst(app, "ctrl+end", *["backspace"] * 6, *"2nd line", "ctrl+home", "delete",
               "F", "ctrl+end", *"!")
        want = "First line\n2nd line!"
        assert await _settled(pilot, area, "text", want) == want


async def test_ctrl_home_and_ctrl_end_go_to_the_start_and_end_of_a_long_text(
        plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        area = form(pilot).query(FieldArea).first()
        area.focus()
        area.text = "\n".join(f"line {n}" for n in range(1, 41))
        area.move_cursor((5, 2))
        await pilot.press("ctrl+end")
        assert area.cursor_location == (39, 7)
        await pilot.press("ctrl+home")
        assert area.cursor_location == (0, 0)
        await pilot.press("ctrl+shift+end")
        assert area.selected_text == area.text
