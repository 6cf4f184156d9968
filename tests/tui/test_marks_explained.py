"""Marks, not colours, and marks explained where they are seen.

The open list of a drop-down marks the choice the cursor is on with ``›`` (it was shown
by colour and weight alone: with NO_COLOR every line looked the same); the Plan and
Timeline tabs say what each of their marks means on the tab itself (the critical path's
"■" was explained only in the selected stage's details).  Read from the screen as a
person sees it, without colour."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from forms_pilot import focus, form
from tui_support import SIZE, make_app

from coplan.tui.widgets.choose_one import MarkedOverlay
from coplan.tui.widgets.plain_state import CURSOR


def screen_lines(app: Any) -> list[str]:
    return ["".join(seg.text for seg in strip)
            for strip in app.screen._compositor.render_strips()]


@pytest.fixture(autouse=True)
def _no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


def marked(app: Any) -> list[str]:
    """The lines of the open drop-down that carry the cursor's mark, without the mark."""
    overlay = app.screen.query_one(MarkedOverlay)
    box = overlay.content_region
    lines = screen_lines(app)[box.y:box.bottom]
    return [line[box.x + 1:box.right].strip() for line in lines
            if line[box.x:box.x + 1] == CURSOR]


@pytest.mark.parametrize("high_contrast", [False, True], ids=["dark", "high-contrast"])
async def test_the_highlighted_choice_of_a_drop_down_is_marked(plan_path: Path,
                                                                high_contrast: bool) -> None:
    app = make_app(plan_path, high_contrast=high_contrast)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")  # the selected stage's form: its phase is a drop-down
        for _ in range(50):
            await pilot.pause()
            if app.screen.query("#field-phase"):
                break
        phase = await focus(pilot, "phase")
        await pilot.press("enter")
        await pilot.pause()
        overlay = app.screen.query_one(MarkedOverlay)
        assert overlay.has_focus
        labels = [str(o.prompt) for o in overlay.options]
        assert marked(app) == [labels[overlay.highlighted]]
        await pilot.press("down")
        await pilot.pause()
        assert marked(app) == [labels[overlay.highlighted]], "the mark follows the cursor"
        await pilot.press("escape")
        await pilot.pause()
        assert form(pilot).query_one("#field-phase") is phase
        assert CURSOR not in "".join(screen_lines(app)), "no mark once the list is closed"


PLAN_MARKS = {"■", "◆"}
TIMELINE_MARKS = {"█", "■", "▓", "░", "◆", "◇", "│", "┆", "◂"}


async def _tab(app: Any, pilot: Any, key: str | None) -> list[str]:
    await pilot.pause()
    if key:
        await pilot.press(key)
    await app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause()
    return screen_lines(app)


def said_under(app: Any, lines: list[str], key_id: str) -> tuple[list[str], str]:
    """The lines above the tab's key, and the key's words as shown (whole, on screen)."""
    box = app.query_one(f"#{key_id}").region
    assert box.height >= 1 and box.bottom <= len(lines) - 1, "the key is on screen"
    shown = " ".join(line.strip() for line in lines[box.y:box.bottom])
    return lines[:box.y], shown


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=["80x24", "120x40"])
async def test_the_plan_tab_says_what_its_marks_mean(plan_path: Path,
                                                     size: tuple[int, int]) -> None:
    from coplan.tui.widgets.stage_table import StageTable

    app = make_app(plan_path)
    async with app.run_test(size=size) as pilot:
        lines = await _tab(app, pilot, None)
        above, key = said_under(app, lines, "stage-key")
        table = app.query_one(StageTable).region
        names = [line[table.x:table.x + 4] for line in above[table.y:table.bottom]]
        seen = {mark for mark in PLAN_MARKS if any(mark in name for name in names)}
        assert "■" in seen
        assert key == StageTable.MARKS
        for mark in seen:
            assert f"{mark} " in key, mark
        assert "critical path: if it slips, the end slips" in key


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=["80x24", "120x40"])
async def test_the_timeline_says_what_its_marks_mean(plan_path: Path,
                                                     size: tuple[int, int]) -> None:
    from coplan.tui.widgets.timeline import Chart, Timeline

    app = make_app(plan_path)
    async with app.run_test(size=size) as pilot:
        lines = await _tab(app, pilot, "2")
        above, key = said_under(app, lines, "timeline-key")
        chart = app.query_one(Timeline).content_region
        drawn = "".join(line[chart.x:chart.right] for line in above[chart.y:chart.bottom])
        seen = {mark for mark in TIMELINE_MARKS if mark in drawn}
        assert {"■", "█", "│"} <= seen
        assert key == " ".join(Chart.KEY.split())
        for mark in seen:
            assert mark in key, mark
        assert "Key" not in drawn, "said once, under the chart, not in its last line"
