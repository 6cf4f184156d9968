"""A name cut to fit its column keeps the mark at its end: the critical "■" on the Timeline,
a copy's "(copy)" in the Plan list.  Cut off with the name, the mark was lost, and a copied
stage looked the same as the one it was copied from."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from tui_support import SIZE, make_app

from coplan.tui.widgets.fit import fit
from coplan.tui.widgets.stage_table import StageTable
from coplan.tui.widgets.timeline import LABEL_WIDTH, Timeline


@pytest.mark.parametrize(("name", "width", "shown"), [
    ("Designing the study and its materials (copy)", 28, "Designing the study… (copy) "),
    ("Agreeing the question and aims ■", 26, "Agreeing the question… ■  "),  # whole words
    ("Short ■", 10, "Short ■   "),
    ("Designing the study and its materials", 20, "Designing the study…"),
    ("■ Agreeing the question and aims", 12, "■ Agreeing… "),  # a mark in front stays anyway
    ("Interviews (copy)", 8, "Intervi…"),  # no room for the name too: cut as before
    ("Hearing what matters (a long part of its name in brackets)", 24,
     "Hearing what matters (a…"),
])
def test_a_name_is_cut_before_its_mark(name: str, width: int, shown: str) -> None:
    text = fit(Text(name, style="bold"), width)
    assert text.plain == shown
    assert text.cell_len == width
    assert all(span.style == "bold" for span in text.spans)


async def test_the_timeline_never_cuts_off_the_critical_mark(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        timeline = app.query_one(Timeline)
        chart = timeline.chart
        assert chart is not None
        critical = [bar for bar in chart.bars if bar.kind == "critical"]
        assert any(len(bar.label) > LABEL_WIDTH for bar in critical), "a long name is tested"
        for bar in critical:
            row = chart.row_of(bar.stage)
            assert row is not None
            timeline.scroll_to(y=row, animate=False, immediate=True)
            await pilot.pause()
            label = timeline.render_line(row - round(timeline.scroll_y)).text[:LABEL_WIDTH]
            assert label.rstrip().endswith("■"), label


async def test_a_copied_stage_is_told_apart_in_the_plan_list(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(StageTable)
        stage = max(app.session.plan.stages, key=lambda s: len(s.title))
        assert len(stage.title) > table.columns[0].width
        table.select_stage(stage.id)
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        copy = table.selected_stage
        assert copy != stage.id
        shown = {key: table.render_line(table.keys.index(key) + 1 - round(table.scroll_y))
                 .text[:table.columns[0].width + 1] for key in (stage.id, copy)}
        assert shown[copy].rstrip().endswith("(copy)"), shown
        assert shown[copy] != shown[stage.id]
