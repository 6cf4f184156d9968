"""Filling in coplan's forms the way a person does: focus a field, type, choose, press keys."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select, SelectionList, TextArea

from coplan.tui.screens.form import FormScreen


def form(pilot: Pilot[Any]) -> FormScreen:
    screen = pilot.app.screen
    assert isinstance(screen, FormScreen), f"expected a form, found {screen!r}"
    return screen


async def focus(pilot: Pilot[Any], key: str) -> Any:
    widget = form(pilot).query_one(f"#field-{key}")
    widget.focus()
    await pilot.pause()
    return widget


async def type_into(pilot: Pilot[Any], key: str, text: str) -> None:
    """Clear a text field and type ``text`` into it, key by key."""
    widget = await focus(pilot, key)
    if isinstance(widget, Input):
        await pilot.press("end", "ctrl+u")
    elif isinstance(widget, TextArea):
        widget.select_all()
        await pilot.press("backspace")
    else:
        raise AssertionError(f"{key} is not a text field")
    await pilot.press(*text)
    await pilot.pause()


async def choose(pilot: Pilot[Any], key: str, value: str) -> None:
    """Open a drop-down with Enter, move to ``value`` with the arrow keys, press Enter."""
    spec = next(f for f in form(pilot).fields if f.key == key)
    widget = await focus(pilot, key)
    assert isinstance(widget, Select)
    await pilot.press("enter")
    await pilot.pause()
    values = [v for _, v in spec.options]
    blank = 1 if widget._allow_blank else 0
    await pilot.press("home", *["down"] * (values.index(value) + blank), "enter")
    await pilot.pause()
    assert widget.value == value, f"{key}: chose {widget.value!r}, wanted {value!r}"


async def tick(pilot: Pilot[Any], key: str, *values: str) -> None:
    """In a list of choices, move to each of ``values`` and press Space to tick it."""
    spec = next(f for f in form(pilot).fields if f.key == key)
    widget = await focus(pilot, key)
    assert isinstance(widget, SelectionList)
    order = [v for _, v in spec.options]
    for value in values:
        await pilot.press("home", *["down"] * order.index(value), "space")
    await pilot.pause()
    chosen = set(widget.selected)
    assert set(values) <= chosen, f"{key}: ticked {chosen}, wanted {values}"


async def save(pilot: Pilot[Any]) -> None:
    """Ctrl+S in a form, then wait (a bounded number of turns) until the form has closed
    or says what to put right: the save runs after the keys the field has queued."""
    screen = form(pilot)
    await pilot.press("ctrl+s")
    for _ in range(100):
        await pilot.pause()
        if pilot.app.screen is not screen or str(screen.query_one("#form-error").render()):
            return
    raise AssertionError("the form neither closed nor said what was wrong")


async def pick(pilot: Pilot[Any], value: str) -> None:
    """In a pick-one dialog, move to ``value`` with the arrow keys and press Enter."""
    from coplan.tui.screens.pick import PickScreen

    screen = pilot.app.screen
    assert isinstance(screen, PickScreen), f"expected a choice, found {screen!r}"
    order = [v for _, v in screen.options]
    await pilot.press("home", *["down"] * order.index(value), "enter")
    await pilot.pause()
