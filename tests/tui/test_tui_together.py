"""Two copies of coplan on one plan file: saves merge, changes come in with a notice,
clashes are asked about, and undo takes back only this copy's change."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.widgets import Input, RadioButton, RadioSet
from tui_support import SIZE, make_app, settle

from coplan.planfile import load_plan
from coplan.sync import journal_path
from coplan.tui.screens.conflicts import ConflictScreen
from coplan.tui.widgets.stage_table import StageTable


def title(path: Path, stage: str) -> str:
    found = load_plan(path).stage(stage)
    assert found is not None
    return found.title


def rename(app: object, stage: str, new: str) -> None:
    app.edit(f"renamed {stage}", lambda doc: doc.set_stage(stage, "title", new))  # type: ignore[attr-defined]


async def test_saves_merge_and_changes_come_in(plan_path: Path) -> None:
    sam = make_app(plan_path, watch=True, who="Sam")
    alex = make_app(plan_path, watch=True, who="Alex")
    async with sam.run_test(size=SIZE) as sam_pilot, alex.run_test(size=SIZE) as alex_pilot:
        await sam_pilot.pause()
        await alex_pilot.pause()
        rename(sam, "aims", "Sam's aims")
        rename(alex, "design", "Alex's design")
        await sam.save_now()
        assert title(plan_path, "aims") == "Sam's aims"

        # Alex's copy takes Sam's save in (the watcher does this when the file changes),
        # keeping Alex's unsaved change, and says who changed what.
        await alex.take_in_changes()
        await alex_pilot.pause()
        assert alex.session.plan.stage("aims").title == "Sam's aims"  # type: ignore[union-attr]
        assert alex.session.plan.stage("design").title == "Alex's design"  # type: ignore[union-attr]
        assert alex.session.dirty
        notices = [n.message for n in alex._notifications]
        assert "Sam changed the stage 'Sam's aims': 'Name of the stage'." in notices, notices

        await alex.save_now()
        assert not alex.session.dirty
    assert title(plan_path, "aims") == "Sam's aims"
    assert title(plan_path, "design") == "Alex's design"
    journal = journal_path(plan_path).read_text(encoding="utf-8")
    assert '"who": "Sam"' in journal and '"who": "Alex"' in journal


@asynccontextmanager
async def clash(plan_path: Path) -> AsyncIterator[tuple[Any, Any]]:
    """Sam and Alex rename the same stage; Sam saves first, then Alex presses Ctrl+S.
    Yields Alex's app and pilot with the question about the clash on screen."""
    sam = make_app(plan_path, watch=True, who="Sam")
    alex = make_app(plan_path, watch=True, who="Alex")
    async with sam.run_test(size=SIZE) as sam_pilot, alex.run_test(size=SIZE) as pilot:
        await sam_pilot.pause()
        await pilot.pause()
        rename(sam, "aims", "Sam's aims")
        rename(alex, "aims", "Alex's aims")
        await sam.save_now()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(alex.screen, ConflictScreen), "Alex is asked, not overwritten"
        assert title(plan_path, "aims") == "Sam's aims"
        yield alex, pilot


async def test_a_clash_is_asked_about_and_nothing_is_overwritten(plan_path: Path) -> None:
    async with clash(plan_path) as (alex, pilot):
        choice = alex.screen.query_one("#choice-0", RadioSet)
        assert choice.pressed_index == 0  # "keep theirs" is offered first
        choice.query(RadioButton)[1].value = True  # keep mine
        await pilot.click("#resolve")
        await settle(pilot)
        assert not isinstance(alex.screen, ConflictScreen)
        assert not alex.session.dirty
    assert title(plan_path, "aims") == "Alex's aims"


async def test_a_clash_can_be_settled_with_a_new_value(plan_path: Path) -> None:
    async with clash(plan_path) as (alex, pilot):
        alex.screen.query_one("#choice-0", RadioSet).query(RadioButton)[2].value = True
        alex.screen.query_one("#value-0", Input).value = "Aims we agreed together"
        await pilot.click("#resolve")
        await settle(pilot)
        assert not isinstance(alex.screen, ConflictScreen)
    assert title(plan_path, "aims") == "Aims we agreed together"


async def test_quitting_while_a_clash_waits_says_to_choose_in_the_dialog(
        plan_path: Path) -> None:
    """trial9 S6: Ctrl+Q used to say "Ctrl+Q again after saving leaves", although saving
    only brings the question back: it says to choose in the dialog, or undo."""
    async with clash(plan_path) as (alex, pilot):
        await pilot.press("escape")  # decide later
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert alex.is_running, "nothing unsaved is thrown away"
        assert isinstance(alex.screen, ConflictScreen), "the question is back"
        notices = [n.message for n in alex._notifications]
        said = next(n for n in notices if n.startswith("coplan is still open"))
        assert "Sam changed the same thing as you" in said
        assert "in the dialog 'Two changes to the same thing' (Ctrl+S brings it back)" \
            in said
        assert "undo your change with Ctrl+Z" in said
        assert "after saving" not in said


async def test_undo_after_a_merge_takes_back_only_my_change(plan_path: Path) -> None:
    sam = make_app(plan_path, watch=True, who="Sam")
    alex = make_app(plan_path, watch=True, who="Alex")
    async with sam.run_test(size=SIZE) as sam_pilot, alex.run_test(size=SIZE) as pilot:
        await sam_pilot.pause()
        await pilot.pause()
        rename(alex, "design", "Alex's design")
        rename(sam, "aims", "Sam's aims")
        await sam.save_now()
        await alex.take_in_changes()
        await pilot.press("ctrl+z")
        await pilot.pause()
        plan = alex.session.plan
        assert plan.stage("design").title != "Alex's design"  # type: ignore[union-attr]
        assert plan.stage("aims").title == "Sam's aims"  # type: ignore[union-attr]


async def test_the_watcher_notices_another_save(plan_path: Path) -> None:
    app = make_app(plan_path, watch=True, who="Alex")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = plan_path.read_text(encoding="utf-8")
        from coplan.edit import atomic_write

        for _ in range(5):  # the watcher may start a moment after the app
            atomic_write(plan_path, text.replace("Agreeing the question and aims",
                                                 "Changed in an editor"))
            for _ in range(100):
                await pilot.pause(0.05)
                if "Changed in an editor" in [
                        s.title for s in app.session.plan.stages]:
                    break
            else:
                atomic_write(plan_path, text)
                continue
            break
        titles = [s.title for s in app.session.plan.stages]
        assert "Changed in an editor" in titles
        assert not app.session.dirty
        row = app.query_one(StageTable).index_of("aims")
        assert row is not None


async def test_a_save_that_arrives_as_the_window_closes_is_let_go(plan_path: Path) -> None:
    """Another copy's save can reach this one while it shuts down (the watcher saw the
    file change just before): its tabs are already gone, so it must not try to show it.
    The file holds that save; this copy had nothing unsaved."""
    from coplan.sync import absorb
    from coplan.tui import saving

    app = make_app(plan_path, watch=False, who="Alex")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        base = text = app.session.text
        job = saving.Job("take-in", base=base, text=text)
    other = text.replace('title = "', 'title = "Sam: ', 1)
    message = saving.TookIn(job, absorb(base, text, other), ["Sam"], 0)
    assert not app.is_running
    app._took_in(message)  # (before: NoMatches, the plan table was gone)
    assert app.session.text == text
