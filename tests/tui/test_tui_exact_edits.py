"""In the app: a form saved untouched changes nothing, and a one-field change one line.

The held-out check of issue 14, played with the keys a person presses: open the first
touchpoint of the MINDS example (``T``, Enter), save it untouched (the file stays byte for
byte the same, and there is no step to undo), then change only its name (one line changes).
Every other form that edits something in the file is opened and saved untouched too, and
each shows, as it opens, exactly the values ``answers`` makes (the property tests in
test_exact_edits rely on that).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import pytest
from forms_pilot import form, save, type_into
from tui_support import SIZE, make_app, settle

from coplan.tui.panes.meetings import MeetingsPane
from coplan.tui.panes.people import PeoplePane
from coplan.tui.screens.form import answers


async def _opened(pilot: Any) -> None:
    for _ in range(50):
        await pilot.pause()
        if type(pilot.app.screen).__name__ == "FormScreen":
            return
    raise AssertionError("no form opened")


async def _save_untouched(pilot: Any) -> None:
    screen = form(pilot)
    assert screen.values() == answers(screen.fields), "the form shows other values than its fields"
    assert screen.values().changed == set()
    await save(pilot)
    assert pilot.app.screen is not screen, str(screen.query_one("#form-error").render())


async def test_the_first_touchpoint_saved_untouched_then_renamed(plan_path: Path) -> None:
    original = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("T")
        for _ in range(50):  # the first stage has several touchpoints: choose the first
            await pilot.pause()
            if app.screen is not app.screen_stack[0]:
                break
        if type(app.screen).__name__ == "PickScreen":
            await pilot.press("enter")
        await _opened(pilot)
        await _save_untouched(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert plan_path.read_text(encoding="utf-8") == original
        assert not app.session.undo_stack, "saving an untouched form made a step to undo"

        await pilot.press("T")
        for _ in range(50):
            await pilot.pause()
            if app.screen is not app.screen_stack[0]:
                break
        if type(app.screen).__name__ == "PickScreen":
            await pilot.press("enter")
        await _opened(pilot)
        await type_into(pilot, "title", "Survey: what made leaving hospital hard?")
        await save(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    changed = [line for line in difflib.unified_diff(
        original.splitlines(), plan_path.read_text(encoding="utf-8").splitlines(),
        lineterm="", n=0) if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == [
        '-  title = "Anonymous survey: what made leaving hospital hard or easier?"',
        '+  title = "Survey: what made leaving hospital hard?"']


@pytest.mark.parametrize("which", ["stage", "person", "meeting", "settings", "protocol"])
async def test_each_form_saved_untouched_changes_nothing(plan_path: Path, which: str) -> None:
    original = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if which == "stage":
            await pilot.press("e")
        elif which == "settings":
            await pilot.press("s")
        elif which == "protocol":
            await pilot.press("o")
        elif which == "person":
            app.show_tab("people")
            await pilot.pause()
            app.query_one(PeoplePane).table.select_person(app.session.plan.people[0].id)
            await pilot.pause()
            await pilot.press("P")
        else:
            app.query_one(MeetingsPane).edit_meeting(app.session.plan.meetings[0])
        await _opened(pilot)
        await _save_untouched(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not app.session.undo_stack
    assert plan_path.read_text(encoding="utf-8") == original
