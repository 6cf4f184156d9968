"""A form open while someone else saves: its change is made on the text it showed.

trial9 D2: Sam and Alex both open the same stage's form; Sam saves a new title; Alex's
copy takes Sam's save in while Alex's form is still open; then Alex saves the form.  Alex's
title used to overwrite Sam's without anyone being asked, because the merge's base was
Sam's text by then.  Now the form's base is the text it opened on, so the same value
changed by both is a clash Alex chooses about, and whatever else Sam changed stays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from forms_pilot import save, type_into
from textual.widgets import RadioButton, RadioSet
from tui_support import SIZE, make_app, settle

from coplan.edit import PlanDocument
from coplan.planfile import load_plan
from coplan.tui.screens.conflicts import ConflictScreen
from coplan.tui.screens.form import FormScreen

STAGE = "priorities"  # the first stage: the one `e` opens on the Plan tab


def stage_in(path: Path) -> Any:
    found = load_plan(path).stage(STAGE)
    assert found is not None
    return found


async def until(pilot: Any, condition: Any, what: str) -> None:
    for _ in range(200):
        await pilot.pause()
        if condition():
            return
    raise AssertionError(f"waited in vain for {what}")


async def sam_saves(sam: Any, change: Any) -> None:
    sam.edit("Sam's change", change)
    assert await sam.save_now()


async def test_the_same_value_changed_meanwhile_is_asked_about(plan_path: Path) -> None:
    sam = make_app(plan_path, watch=True, who="Sam")
    alex = make_app(plan_path, watch=True, who="Alex")
    async with sam.run_test(size=SIZE) as sam_pilot, alex.run_test(size=SIZE) as pilot:
        await sam_pilot.pause()
        await pilot.pause()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(alex.screen, FormScreen), "Alex's form")
        await type_into(pilot, "title", "Alex's title")

        await sam_saves(sam, lambda d: d.set_stage(STAGE, "title", "Sam's title"))
        assert await alex.take_in_changes()
        await pilot.pause()
        assert alex.session.plan.stage(STAGE).title == "Sam's title"  # type: ignore[union-attr]

        await save(pilot)
        await until(pilot, lambda: isinstance(alex.screen, ConflictScreen), "the question")
        labels = [str(b.label) for b in alex.screen.query(RadioButton)]
        assert "Keep theirs: Sam's title" in labels and "Keep mine: Alex's title" in labels
        assert alex.session.plan.stage(STAGE).title == "Sam's title", "nothing overwritten"

        alex.screen.query_one("#choice-0", RadioSet).query(RadioButton)[1].value = True
        await pilot.click("#resolve")
        await until(pilot, lambda: not isinstance(alex.screen, ConflictScreen), "the answer")
        assert alex.session.plan.stage(STAGE).title == "Alex's title"
        await alex.save_now()
        await settle(pilot)
    assert stage_in(plan_path).title == "Alex's title"


async def test_deciding_later_keeps_theirs_and_says_what_was_not_made(
        plan_path: Path) -> None:
    sam = make_app(plan_path, watch=True, who="Sam")
    alex = make_app(plan_path, watch=True, who="Alex")
    async with sam.run_test(size=SIZE) as sam_pilot, alex.run_test(size=SIZE) as pilot:
        await sam_pilot.pause()
        await pilot.pause()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(alex.screen, FormScreen), "Alex's form")
        await type_into(pilot, "title", "Alex's title")
        await sam_saves(sam, lambda d: d.set_stage(STAGE, "title", "Sam's title"))
        assert await alex.take_in_changes()
        await save(pilot)
        await until(pilot, lambda: isinstance(alex.screen, ConflictScreen), "the question")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(alex.screen, ConflictScreen), "it to close")
        notices = " ".join(n.message for n in alex._notifications)
        assert "you wrote \"Alex's title\", Sam wrote \"Sam's title\"" in notices, notices
        assert "Sam's version stays" in notices
        assert not alex.session.dirty
    assert stage_in(plan_path).title == "Sam's title"


async def test_what_else_they_changed_meanwhile_stays(plan_path: Path) -> None:
    """Sam changed another value of the stage the form shows: Alex's form, saved with
    the value it showed, does not put the old one back."""
    before = PlanDocument(plan_path.read_text(encoding="utf-8")).stage(STAGE)["duration"]
    sam = make_app(plan_path, watch=True, who="Sam")
    alex = make_app(plan_path, watch=True, who="Alex")
    async with sam.run_test(size=SIZE) as sam_pilot, alex.run_test(size=SIZE) as pilot:
        await sam_pilot.pause()
        await pilot.pause()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(alex.screen, FormScreen), "Alex's form")
        await type_into(pilot, "title", "Alex's title")
        await sam_saves(sam, lambda d: d.set_stage(STAGE, "duration", "9w"))
        assert await alex.take_in_changes()
        await save(pilot)
        await until(pilot, lambda: not isinstance(alex.screen, FormScreen), "the form saved")
        await pilot.pause()
        assert not isinstance(alex.screen, ConflictScreen), "nothing clashes"
        await alex.save_now()
        await settle(pilot)
    text = plan_path.read_text(encoding="utf-8")
    assert before != "9w"
    assert PlanDocument(text).stage(STAGE)["duration"] == "9w"
    assert stage_in(plan_path).title == "Alex's title"
