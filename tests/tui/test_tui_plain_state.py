"""No state by colour alone, and typing is never taken as a shortcut.

Ticked and unticked choices read ``[x]`` and ``[ ]``; the chosen answer of a set ``(•)``
and the others ``( )``; a switch says "Yes" or "No" beside it, and the word changes with
it.  ``?`` and the single-letter shortcuts are text in a text field.  (How they look, in
both themes, is in the SVG snapshots of test_tui_snapshots.)"""

from __future__ import annotations

from pathlib import Path

from forms_pilot import focus, form
from textual.widgets import Input, Static, TextArea
from tui_support import SIZE, make_app

from coplan.tui.panes.people import PeoplePane
from coplan.tui.widgets.plain_state import CHOSEN, NOT_CHOSEN, Choice, TickList, YesNo


async def _person_form(pilot) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await pilot.pause()
    app.show_tab("people")
    await pilot.pause()
    app.query_one(PeoplePane).table.select_person("sam")
    await pilot.pause()
    await pilot.press("P")
    for _ in range(50):
        await pilot.pause()
        if app.screen is not app.screen_stack[0]:
            return
    raise AssertionError("the person form did not open")


async def test_ticked_and_unticked_differ_in_characters(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await _person_form(pilot)
        needs = form(pilot).query_one("#field-needs", TickList)
        lines = [needs.render_line(y).text for y in range(needs.size.height)]
        boxes = {line.strip()[:3] for line in lines if line.strip()}
        assert boxes <= {"[x]", "[ ]"} and "[ ]" in boxes
        await focus(pilot, "needs")
        await pilot.press("home", "space")
        await pilot.pause()
        first = needs.render_line(0).text.strip()
        assert first.startswith("[x]"), first
        await pilot.press("space")
        await pilot.pause()
        assert needs.render_line(0).text.strip().startswith("[ ]")


async def test_a_switch_says_yes_or_no(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await _person_form(pilot)
        switch = form(pilot).query_one("#yes-no-field-share_name", YesNo)
        word = switch.query_one(".yes-no-word", Static)
        assert str(word.render()) == "No"
        await focus(pilot, "share_name")
        await pilot.press("space")
        await pilot.pause()
        assert str(word.render()) == "Yes"
        assert form(pilot).values()["share_name"] is True


async def test_a_switchs_hint_says_what_its_value_does_now(plan_path: Path) -> None:
    """The line under "May others see this name?" follows the switch: it said "No: ...
    only initials" under a switch set to Yes."""
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await _person_form(pilot)
        hint = form(pilot).query_one("#help-share_name", Static)
        assert str(hint.render()).startswith("No: "), str(hint.render())
        await focus(pilot, "share_name")
        await pilot.press("space")
        await pilot.pause()
        assert str(hint.render()).startswith("Yes: "), str(hint.render())
        assert "initials" not in str(hint.render())
        await pilot.press("space")
        await pilot.pause()
        assert str(hint.render()).startswith("No: ")


async def test_a_chosen_answer_is_marked_by_its_characters(plan_path: Path) -> None:
    from coplan.merge import Conflict
    from coplan.tui.screens.conflicts import ConflictScreen

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(ConflictScreen([Conflict(("stage", "aims", "duration"), "2w", "3w",
                                                 "4w")], "Amara"))
        await pilot.pause()
        marks = [str(c._button) for c in app.screen.query(Choice)]
        assert marks == [CHOSEN, NOT_CHOSEN, NOT_CHOSEN] and CHOSEN == "(•)"
        assert "Amara wrote" in " ".join(str(s.render()) for s in app.screen.query(Static))
        app.screen.query(Choice)[1].value = True
        await pilot.pause()
        assert [str(c._button) for c in app.screen.query(Choice)] == [
            NOT_CHOSEN, CHOSEN, NOT_CHOSEN]


async def test_question_marks_and_shortcut_letters_are_text_in_a_field(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await _person_form(pilot)
        name = await focus(pilot, "name")
        assert isinstance(name, Input)
        await pilot.press("end", "ctrl+u", *"Who? a t e s d x", "question_mark")
        await pilot.pause()
        assert name.value == "Who? a t e s d x?"
        role = await focus(pilot, "role")
        if isinstance(role, TextArea):
            role.select_all()
            await pilot.press("backspace")
        else:
            await pilot.press("end", "ctrl+u")
        await pilot.press("question_mark", "f", "1")
        await pilot.pause()
        assert (role.text if isinstance(role, TextArea) else role.value) == "?f1"
        assert app.screen is form(pilot), "no help screen opened over the form"
