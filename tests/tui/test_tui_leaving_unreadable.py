"""Closing the app with changes it cannot save never drops them without asking.

The plan file cannot be read (someone is half-way through a hand edit), so coplan saves
nothing over it.  Before, quitting then kept the file and lost the changes made in the
app.  Now Ctrl+Q asks: stay open (the safe answer, and Esc), keep the changes in a copy
beside the plan and leave (saying where), or throw them away, after a second, explicit
yes.  Closed without being asked (a browser tab, the terminal gone), the copy is kept.
"""

from __future__ import annotations

from pathlib import Path

from tui_support import SIZE, make_app, settle

from coplan.tui.screens.confirm import ConfirmScreen
from coplan.tui.screens.leaving import LeavingScreen


def _break(plan_path: Path) -> str:
    """A hand edit left half done: the project's title without its quotes."""
    good = plan_path.read_text(encoding="utf-8")
    lines = good.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("title = "))
    broken = "".join([*lines[:at], "title = Milestones, by hand\n", *lines[at + 1:]])
    plan_path.write_text(broken, encoding="utf-8")
    return broken


def _copies(plan_path: Path) -> list[Path]:
    return sorted(plan_path.parent.glob("plan.unsaved-*.toml"))


async def _changed_while_unreadable(app: object, pilot: object, plan_path: Path) -> str:
    assert app.edit("retitle", lambda doc: doc.set_stage("aims", "title", "Kept aims"))  # type: ignore[attr-defined]
    broken = _break(plan_path)
    assert not await app.take_in_changes()  # type: ignore[attr-defined]
    await settle(pilot)
    assert app.disk_unreadable is not None  # type: ignore[attr-defined]
    return broken


async def test_quitting_asks_and_stays_open_by_default(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        broken = await _changed_while_unreadable(app, pilot, plan_path)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, LeavingScreen)
        said = str(app.screen.query_one("#dialog-title").render())
        assert "plan.toml cannot be read" in said and "plan.unsaved-" in said
        await pilot.press("escape")  # the safe answer: stay open
        await pilot.pause()
        assert app.return_code is None and not isinstance(app.screen, LeavingScreen)
        assert app.session.dirty
        assert "still open, with your changes" in " ".join(
            n.message for n in app._notifications)
        assert plan_path.read_text(encoding="utf-8") == broken
        assert _copies(plan_path) == []
        # put right by hand: the changes made here are saved with it, and Ctrl+Q leaves
        plan_path.write_text(broken.replace("title = Milestones, by hand",
                                            'title = "Put right"'), encoding="utf-8")
        assert await app.take_in_changes()
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.return_code == 0
    saved = plan_path.read_text(encoding="utf-8")
    assert 'title = "Put right"' in saved and 'title = "Kept aims"' in saved


async def test_keeping_a_copy_writes_the_changes_beside_the_plan_and_says_where(
        plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        broken = await _changed_while_unreadable(app, pilot, plan_path)
        text = app.session.text
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, LeavingScreen)
        await pilot.press("tab", "enter")  # "Keep a copy and leave"
        await settle(pilot)
        assert app.return_code == 0
    assert plan_path.read_text(encoding="utf-8") == broken, "the hand edit is untouched"
    [copy] = _copies(plan_path)
    assert copy.read_text(encoding="utf-8") == text
    assert app.kept_copy == copy


async def test_throwing_the_changes_away_needs_a_second_yes(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        broken = await _changed_while_unreadable(app, pilot, plan_path)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("tab", "tab", "enter")  # "Throw them away…"
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # no: nothing is thrown away
        await pilot.pause()
        assert app.return_code is None and app.session.dirty
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("tab", "tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("tab", "enter")  # "Yes, throw them away"
        await settle(pilot)
        assert app.return_code == 0
    assert plan_path.read_text(encoding="utf-8") == broken
    assert _copies(plan_path) == [], "thrown away, as asked twice"


async def test_closed_without_asking_the_changes_are_kept_beside_the_plan(
        plan_path: Path) -> None:
    """A browser tab closed, or the app told to exit: nobody to ask, so a copy is kept
    (even for a copy served to a browser, which saves every edit on closing)."""
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.save_on_close = True
        broken = await _changed_while_unreadable(app, pilot, plan_path)
        text = app.session.text
        app.exit()
        await pilot.pause()
    assert plan_path.read_text(encoding="utf-8") == broken
    [copy] = _copies(plan_path)
    assert copy.read_text(encoding="utf-8") == text
