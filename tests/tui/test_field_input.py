"""Ctrl+Z and Ctrl+Y in a form's one-line fields: typing taken back word by word.

Textual's ``Input`` has no history, so a person who tabbed into a field (which selects its
text) and typed over a whole title had no way back.  ``FieldInput`` keeps one.  The tests
type with the keys a person presses, then undo until there is nothing left to undo (the
field is as it started) and redo until there is nothing left to redo (it is as it was left).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from forms_pilot import form, save
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.widgets.input import Selection
from tui_support import SIZE, make_app

from coplan.tui.widgets.field_input import FieldInput, step_of


class _OneField(App[None]):
    def __init__(self, value: str) -> None:
        super().__init__()
        self.start = value
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield FieldInput(self.start, id="field")

    def bell(self) -> None:
        self.bells += 1


async def _typed(value: str, keys: list[str]) -> tuple[str, list[str], list[str]]:
    """Type ``keys`` into a field holding ``value``; then what it held, and every value it
    showed while undoing all, then while redoing all."""
    app = _OneField(value)
    async with app.run_test() as pilot:
        field = app.query_one(FieldInput)
        field.focus()
        await pilot.pause()
        await pilot.press("end", *keys)
        left = field.value
        undone, redone = [], []
        for key, shown in (("ctrl+z", undone), ("ctrl+y", redone)):
            for _ in range(len(keys) + 2):  # never more steps than keys pressed
                bells = app.bells
                await pilot.press(key)
                if app.bells > bells:
                    break
                shown.append(field.value)
            else:
                raise AssertionError(f"{key} never ran out of steps")
    return left, undone, redone


def test_typing_is_taken_back_a_word_at_a_time() -> None:
    left, undone, redone = asyncio.run(_typed("Plan", [*" the next meeting"]))
    assert left == "Plan the next meeting"
    assert undone == ["Plan the next ", "Plan the ", "Plan"]
    assert redone == ["Plan the ", "Plan the next ", "Plan the next meeting"]


def test_deleting_is_one_step_and_clearing_another() -> None:
    keys = ["backspace"] * 5 + ["ctrl+u", *"Share"]
    left, undone, redone = asyncio.run(_typed("Reflection notes", keys))
    assert left == "Share"
    assert undone == ["", "Reflection ", "Reflection notes"]
    assert redone[-1] == "Share"


async def test_a_title_typed_over_comes_back_and_saves_nothing(plan_path: Path) -> None:
    """Tab into the title selects it; typing replaces it; Ctrl+Z brings it back whole, and
    the form saved then changes nothing in the plan."""
    original = plan_path.read_bytes()
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        for _ in range(50):
            await pilot.pause()
            if type(app.screen).__name__ in ("FormScreen", "PickScreen"):
                break
        if type(app.screen).__name__ == "PickScreen":
            await pilot.press("enter")
            for _ in range(50):
                await pilot.pause()
                if type(app.screen).__name__ == "FormScreen":
                    break
        title = form(pilot).query_one("#field-title", FieldInput)
        before = title.value
        title.focus()  # as Tab does: the whole text selected, so typing replaces it
        title.selection = Selection(0, len(before))
        await pilot.press(*"Oops")
        assert title.value == "Oops"
        await pilot.press("ctrl+z")
        assert title.value == before
        assert app.session.undo_stack == [], "Ctrl+Z in a field reached the plan's undo"
        await save(pilot)
        await pilot.press("ctrl+s")
        await pilot.app.wait_for_file_work()
    assert plan_path.read_bytes() == original


_KEYS = st.lists(st.one_of(st.sampled_from(["backspace", "delete", "left", "right", "home",
                                            "end", "ctrl+u", "space"]),
                           st.sampled_from(list("ab .-4w"))), max_size=14)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.text(alphabet="ab -w4", max_size=6), keys=_KEYS)
def test_undo_all_gives_the_start_and_redo_all_the_end(start: str, keys: list[str]) -> None:
    left, undone, redone = asyncio.run(_typed(start, keys))
    assert (undone[-1] if undone else left) == start
    assert (redone[-1] if redone else (undone[-1] if undone else left)) == left
    assert len(undone) == len(redone)


@given(old=st.text(alphabet="ab ", max_size=8), new=st.text(alphabet="ab ", max_size=8))
def test_the_kind_of_a_change_is_what_it_did(old: str, new: str) -> None:
    kind, at, added = step_of(old, new)
    if kind == "type":
        assert new[:at] + new[at + 1:] == old and new[at] == added
    elif kind == "type over":
        assert len(added) == 1 and new[at] == added and new[:at] == old[:at]
    elif kind == "delete":
        assert old[:at] + old[at + 1:] == new and added == ""
    else:
        assert new[:at] == old[:at] and added in new
        assert not (len(new) == len(old) + 1 and any(
            new[:i] + new[i + 1:] == old for i in range(len(new))))
        assert not (len(old) == len(new) + 1 and any(
            old[:i] + old[i + 1:] == new for i in range(len(old))))
