"""No notice covers a dialog: those raised while one is open, and those on screen when it
opens, wait until it closes; what a dialog says about itself is said inside it.

A trial found "The plan changed" over the clash dialog's choices, and a "Kept private"
notice over part of the ``?`` glossary; at 80x24 a dialog fills nearly the whole screen.
Read from the screen as a person sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets._toast import Toast
from tui_support import SIZE, make_app

from coplan.tui.screens.form import FormScreen
from coplan.tui.screens.help import GlossaryScreen


def seen(app: Any) -> str:
    return "\n".join("".join(seg.text for seg in strip)
                     for strip in app.screen._compositor.render_strips())


def toasts(app: Any) -> list[Any]:
    return [t for t in app.screen.query(Toast) if t.display]


async def turns(pilot: Any, n: int = 4) -> None:
    for _ in range(n):
        await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=["80x24", "120x40"])
async def test_a_notice_raised_while_a_form_is_open_waits_for_it_to_close(
        plan_path: Path, size: tuple[int, int]) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await turns(pilot)
        await pilot.press("e")
        await turns(pilot)
        assert isinstance(app.screen, FormScreen)
        before = seen(app)
        app.notify("Sam changed the stage 'Hearing what matters'.", title="The plan changed")
        await turns(pilot)
        assert not toasts(app) and seen(app) == before, "nothing drawn over the form"
        await pilot.press("escape")
        await turns(pilot)
        assert not isinstance(app.screen, FormScreen)
        assert [str(t._notification.message) for t in toasts(app)] == [
            "Sam changed the stage 'Hearing what matters'."]
        assert "The plan changed" in seen(app)


async def test_a_notice_on_screen_when_the_glossary_opens_waits_and_comes_back(
        plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await turns(pilot)
        app.notify("Only your own details are shown here.", title="Kept private", timeout=10)
        await turns(pilot)
        assert "Kept private" in seen(app)
        await pilot.press("question_mark")
        await turns(pilot)
        assert isinstance(app.screen, GlossaryScreen)
        assert not toasts(app) and "Kept private" not in seen(app)
        await pilot.press("escape")
        await turns(pilot)
        assert "Kept private" in seen(app), "shown again once the glossary has closed"
        assert len(toasts(app)) == 1


async def test_a_notice_no_longer_true_when_the_dialog_closes_is_not_shown(
        plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await turns(pilot)
        await pilot.press("e")
        await turns(pilot)
        true = [True]
        app.notify("The plan file cannot be read.", title="Not readable",
                   still=lambda: true[0])
        app.notify("Saved plan.toml")
        app.notify("Saved plan.toml")  # (said twice: shown once)
        true[0] = False
        await pilot.press("escape")
        await turns(pilot)
        assert [str(t._notification.message) for t in toasts(app)] == ["Saved plan.toml"]


async def test_ctrl_q_in_a_dialog_is_answered_inside_it(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await turns(pilot)
        await pilot.press("e")
        await turns(pilot)
        await pilot.press("ctrl+q")
        await turns(pilot)
        assert isinstance(app.screen, FormScreen) and not toasts(app)
        shown = " ".join(seen(app).split())
        assert "Finish it first" in shown and "Then Ctrl+Q leaves coplan" in shown
