"""What each screen looks like, as SVG snapshots (tests/tui/__snapshots__/).

One snapshot per screen and state, at 120x40, with a fixed today, no animation, steady
cursors and the plan always called plan.toml.  After a deliberate change of the look, run
``pytest tests/tui/test_tui_snapshots.py --snapshot-update`` and look at the new images
(``snapshot_report.html`` shows the differences when a test fails).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_support import SIZE, WORKSHOP_DAY, copy_example, make_app

from coplan.tui.widgets.stage_table import StageTable

Compare = Callable[..., bool]


def keys(*pressed: str, stage: str | None = None, wait: bool = False
         ) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Before the picture: choose a stage, press keys, and let everything settle."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        if stage is not None:
            pilot.app.query_one(StageTable).select_stage(stage)
        for key in pressed:
            await pilot.press(key)
            await pilot.pause()
        if wait:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.pause()

    return run_before


def test_plan(snap_compare: Compare, plan_path: Path) -> None:
    assert snap_compare(make_app(plan_path), terminal_size=SIZE,
                        run_before=keys(stage="interviews"))


def test_timeline(snap_compare: Compare, plan_path: Path) -> None:
    """The weeks around today (n): the today line, the stages done and the critical ones
    still to come."""
    assert snap_compare(make_app(plan_path), terminal_size=SIZE, run_before=keys("2", "n"))


def test_delivery(snap_compare: Compare, plan_path: Path) -> None:
    """MINDS at month eight: sessions held, with who heard back, then those not recorded
    yet and those still to come, each said in words."""
    from datetime import date

    app = make_app(plan_path, today=date(2027, 9, 20))
    assert snap_compare(app, terminal_size=SIZE, run_before=keys("7"))


def test_review(snap_compare: Compare, tmp_path: Path) -> None:
    path = copy_example(tmp_path, "teaching-workshop")
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\n[[stage]]\nid = "extra"\ntitle = "A stage nobody took part in"\n'
                    'duration = "1w"\nafter = ["' + _last_stage(text) + '"]\n',
                    encoding="utf-8")
    assert snap_compare(make_app(path, today=WORKSHOP_DAY), terminal_size=SIZE,
                        run_before=keys("3"))


def _last_stage(text: str) -> str:
    block = text[text.rindex("[[stage]]"):]
    return block.split('id = "', 1)[1].split('"', 1)[0]


def test_protocol_preview(snap_compare: Compare, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    # The protocol's own words belong to the protocol exporter and its tests; this picture
    # is of the preview screen, so it shows the short outline the app falls back on.
    from coplan.tui.panes import protocol as protocol_pane

    monkeypatch.setattr(protocol_pane, "protocol_markdown",
                        lambda plan, *args: protocol_pane.basic_protocol(plan))
    path = copy_example(tmp_path, "teaching-workshop")
    assert snap_compare(make_app(path, today=WORKSHOP_DAY), terminal_size=SIZE,
                        run_before=keys("6", wait=True))


def test_touchpoint_form(snap_compare: Compare, plan_path: Path) -> None:
    assert snap_compare(make_app(plan_path), terminal_size=SIZE,
                        run_before=keys("t", stage="analysis"))


def test_help(snap_compare: Compare, plan_path: Path) -> None:
    assert snap_compare(make_app(plan_path), terminal_size=SIZE, run_before=keys("f1"))


def test_glossary(snap_compare: Compare, plan_path: Path) -> None:
    assert snap_compare(make_app(plan_path), terminal_size=SIZE,
                        run_before=keys("question_mark"))


def test_high_contrast(snap_compare: Compare, plan_path: Path) -> None:
    """High contrast, on a stage with findings: what is overdue at it, in the details."""
    assert snap_compare(make_app(plan_path, high_contrast=True), terminal_size=SIZE,
                        run_before=keys(stage="recruit"))


def test_presentation(snap_compare: Compare, plan_path: Path) -> None:
    assert snap_compare(make_app(plan_path), terminal_size=SIZE, run_before=keys("f3"))


def test_plan_at_80_by_24(snap_compare: Compare, plan_path: Path) -> None:
    assert snap_compare(make_app(plan_path), terminal_size=(80, 24), run_before=keys())


def _person_form(focus: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """The first person's form, with the keyboard focus in ``focus`` (ticked and unticked
    needs show [x] and [ ]; the name-sharing switch says "No"; focus has a double border)."""

    async def run_before(pilot: Pilot[Any]) -> None:
        from coplan.tui.panes.people import PeoplePane

        await pilot.pause()
        pilot.app.show_tab("people")
        await pilot.pause()
        pilot.app.query_one(PeoplePane).table.select_person("sam")
        await pilot.pause()
        await pilot.press("P")
        for _ in range(50):
            await pilot.pause()
            if pilot.app.screen is not pilot.app.screen_stack[0]:
                break
        widget = pilot.app.screen.query_one(f"#field-{focus}")
        widget.focus()
        await pilot.pause()
        if hasattr(widget, "selected") and widget.selected:  # a ticked need in view
            first = widget.selected[0]
            widget.highlighted = next(i for i in range(widget.option_count)
                                      if widget.get_option_at_index(i).value == first)
        await pilot.pause()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("high_contrast", [False, True], ids=["calm", "high-contrast"])
def test_ticks_switch_and_focus(snap_compare: Compare, plan_path: Path,
                                high_contrast: bool) -> None:
    assert snap_compare(make_app(plan_path, high_contrast=high_contrast), terminal_size=SIZE,
                        run_before=_person_form("needs"))


def test_clash_choices(snap_compare: Compare, plan_path: Path) -> None:
    """The chosen answer is marked (•), the others ( ); the dialog names who changed it."""
    from coplan.merge import Conflict
    from coplan.tui.screens.conflicts import ConflictScreen

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        pilot.app.push_screen(ConflictScreen(
            [Conflict(("stage", "aims", "duration"), "2w", "3w", "4w")], "Amara"))
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(make_app(plan_path), terminal_size=SIZE, run_before=run_before)


def test_finding_opens_its_form_with_a_suggestion(snap_compare: Compare,
                                                   tmp_path: Path) -> None:
    """Enter on a finding: the form that puts it right, what was found at the top, the
    cursor in the field to change, and the value that puts it right offered."""
    path = copy_example(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('project_buffer = "rss"', 'project_buffer = "0d"'),
                    encoding="utf-8")

    async def run_before(pilot: Pilot[Any]) -> None:
        from coplan.tui.widgets.review_panel import ReviewPanel

        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        panel = pilot.app.query_one(ReviewPanel)
        panel.select_rule("CP-SLO-002")
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(20):  # the form opens in a worker, which waits for its answer
            await pilot.pause()
            if type(pilot.app.screen).__name__ == "FormScreen":
                break
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=run_before)


def test_edit_any_part_of_the_plan(snap_compare: Compare, plan_path: Path) -> None:
    """E: every part of the plan file, by its tables and lists."""
    assert snap_compare(make_app(plan_path), terminal_size=SIZE, run_before=keys("E"))


def test_project_settings_form(snap_compare: Compare, plan_path: Path) -> None:
    """The project settings, a form made from the schema: every key, with its meaning."""
    assert snap_compare(make_app(plan_path), terminal_size=SIZE,
                        run_before=keys("E", "enter", "enter"))


THEMES = pytest.mark.parametrize("high_contrast", [False, True], ids=["calm", "high-contrast"])


def _find(*, person: str = "", text: str = "") -> Callable[[Pilot[Any]], Awaitable[None]]:
    """The Plan tab showing only some stages, said in words above the list."""

    async def run_before(pilot: Pilot[Any]) -> None:
        from coplan.tui.panes.plan import PlanPane
        from coplan.tui.widgets.stage_table import StageFilter

        await pilot.pause()
        pane = pilot.app.query_one(PlanPane)
        pane.table.only = StageFilter(text=text, person=person)
        pane.track(pilot.app.session.views)
        await pilot.pause()
        await pilot.pause()

    return run_before


@THEMES
def test_plan_showing_some_stages(snap_compare: Compare, plan_path: Path,
                                  high_contrast: bool) -> None:
    assert snap_compare(make_app(plan_path, high_contrast=high_contrast), terminal_size=SIZE,
                        run_before=_find(person="amara"))


@THEMES
def test_find_stages_form(snap_compare: Compare, plan_path: Path, high_contrast: bool) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("slash")
        for _ in range(50):
            await pilot.pause()
            if pilot.app.screen is not pilot.app.screen_stack[0]:
                break
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(make_app(plan_path, high_contrast=high_contrast), terminal_size=SIZE,
                        run_before=run_before)


@THEMES
def test_timeline_selected_stage(snap_compare: Compare, plan_path: Path,
                                 high_contrast: bool) -> None:
    """A stage chosen on the chart, what it waits for marked ◂ and said above.

    The picture is taken once the chart shows what the keys asked for: its first view
    made, the stage after "aims" chosen and said above it, and nothing left to lay out
    (on a busy machine the chart's first layout came after the keys)."""
    async def run_before(pilot: Pilot[Any]) -> None:
        from textual.widgets import Static

        from coplan.tui.widgets.timeline import Timeline

        await keys("2", "down", stage="aims")(pilot)
        plan = pilot.app.session.plan
        ids = [s.id for s in plan.stages]
        wanted = ids[ids.index("aims") + 1]
        title = plan.stage(wanted).title
        timeline = pilot.app.query_one(Timeline)
        said = pilot.app.query_one("#timeline-said", Static)
        for _ in range(200):
            if (not timeline._first_pending and timeline.selected == wanted
                    and f"‘{title}’" in str(said.content) and timeline.size.height
                    and not pilot.app.screen._layout_required):
                break
            await pilot.pause()
        else:
            raise AssertionError("the chart never showed the stage chosen")
        await pilot.pause()

    assert snap_compare(make_app(plan_path, high_contrast=high_contrast), terminal_size=SIZE,
                        run_before=run_before)


def test_timeline_months(snap_compare: Compare, plan_path: Path) -> None:
    assert snap_compare(make_app(plan_path), terminal_size=SIZE,
                        run_before=keys("2", "z", stage="analysis"))


@THEMES
def test_tab_bar_focus(snap_compare: Compare, plan_path: Path, high_contrast: bool) -> None:
    """With the keyboard in the tab bar, the tab on screen is in reverse."""
    async def run_before(pilot: Pilot[Any]) -> None:
        from textual.widgets import Tabs

        await pilot.pause()
        pilot.app.query_one(Tabs).focus()
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(make_app(plan_path, high_contrast=high_contrast), terminal_size=SIZE,
                        run_before=run_before)
