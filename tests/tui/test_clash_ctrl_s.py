"""Ctrl+S saves the choices of the clash dialog, as it saves every form: a trial pressed
it there (the forms and the docs say Ctrl+S saves) and nothing happened."""

from __future__ import annotations

from pathlib import Path

from tui_support import SIZE, copy_example, make_app

from coplan.merge import Conflict
from coplan.tui.screens.conflicts import ConflictScreen


async def test_ctrl_s_saves_the_choices_made(tmp_path: Path) -> None:
    app = make_app(copy_example(tmp_path))
    chosen: list[object] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        conflict = Conflict(("stage", "aims", "duration"), "2w", "3w", "4w")
        app.push_screen(ConflictScreen([conflict], "Amara"), chosen.append)
        await pilot.pause()
        await pilot.press("down", "space")  # (from "Keep theirs" to "Keep mine")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ConflictScreen)
    assert chosen == [{conflict.path: "mine"}]
