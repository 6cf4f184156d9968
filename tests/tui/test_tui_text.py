"""Texts in the app are put on screen again only when they change (``widgets/text.py``):
the comparison never calls two different texts the same, and after any edit every text
on screen is what working it out afresh gives."""

from __future__ import annotations

import copy
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, Group, RenderableType
from rich.text import Text
from textual.content import Content
from textual.widgets import Static
from tui_support import SIZE, copy_example, make_app

from coplan.tui.panes.plan import PlanPane
from coplan.tui.panes.review import ReviewPane
from coplan.tui.panes.timeline import TimelinePane
from coplan.tui.widgets.review_panel import FindingDetails, explain
from coplan.tui.widgets.stage_details import StageDetails, describe_stage
from coplan.tui.widgets.text import same


def rendered(content: object) -> list[str]:
    """What a terminal shows for ``content``: its text and the style of each piece."""
    console = Console(width=30, color_system="truecolor", force_terminal=True,
                      record=False, legacy_windows=False)
    if isinstance(content, Content):
        content = Text(content.plain) if not content.spans else content.__rich__()
    with console.capture() as captured:
        console.print(content)  # type: ignore[arg-type]
    return [captured.get()]


WORDS = st.sampled_from(["", "a", "stage", "Week 3\n", "✖ 2 errors", "  to look at"])
STYLES = st.sampled_from(["", "bold", "italic", "red", "bold italic"])


@st.composite
def texts(draw: st.DrawFn) -> Text:
    text = Text(style=draw(STYLES), justify=draw(st.sampled_from([None, "left", "right"])),
                no_wrap=draw(st.sampled_from([None, True])),
                end=draw(st.sampled_from(["\n", ""])))
    for _ in range(draw(st.integers(0, 3))):
        text.append(draw(WORDS), style=draw(STYLES) or None)
    return text


shown: st.SearchStrategy[RenderableType] = st.one_of(
    WORDS, texts(), st.lists(texts(), max_size=3).map(lambda t: Group(*t)))


@settings(max_examples=300, deadline=None)
@given(shown, shown)
def test_texts_called_the_same_show_the_same(a: RenderableType, b: RenderableType) -> None:
    if same(a, b):
        assert rendered(a) == rendered(b)


@settings(max_examples=100, deadline=None)
@given(shown)
def test_a_copy_is_the_same(a: RenderableType) -> None:
    assert same(a, copy.deepcopy(a))


def test_what_is_not_compared_is_taken_to_differ() -> None:
    assert not same(Text("a"), "a")
    assert not same(Text("a", style="bold"), Text("a"))
    assert not same(Text("a", justify="right"), Text("a"))
    panel = object()
    assert not same(panel, panel)  # nothing it cannot read is ever left on screen unseen
    assert same(Content("a"), Content("a")) and not same(Content("a"), Content.from_markup("[b]a"))


def screen_text(app: object, selector: str) -> object:
    return app.query_one(selector, Static).content  # type: ignore[attr-defined]


async def test_after_each_edit_every_text_is_what_working_it_out_afresh_gives(
        tmp_path: Path) -> None:
    app = make_app(copy_example(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        ids = [s.id for s in app.session.plan.stages]
        plan = app.pane(PlanPane)
        plan.show_stage(ids[1])
        await pilot.pause()
        edits = [(ids[1], "title", "A new name for the chosen stage"),
                 (ids[2], "title", "Another stage renamed"),
                 (ids[1], "title", "A new name for the chosen stage"),  # no change at all
                 (ids[1], "duration", "{weeks}w"),
                 (ids[0], "title", "First")]
        for weeks, tab in enumerate(("plan", "timeline", "review"), start=7):
            app.show_tab(tab)
            await pilot.pause()
            said_before = screen_text(app, "#status-said")
            for number, (sid, key, value) in enumerate(edits):
                value = f"{value} {tab}" if key == "title" else value.format(weeks=weeks)
                changed = app.edit(f"changed {sid} ({tab} {number})",
                                   lambda doc, sid=sid, key=key, value=value:
                                   doc.set_stage(sid, key, value))
                assert changed == (number != 2)
                await pilot.pause()
                views = app.session.views
                said = screen_text(app, "#status-said")
                assert isinstance(said, str)
                assert f"({tab} {number})" in said if changed else said == said_before
                said_before = said
                assert f"{len(views.plan.stages)} stages" in str(screen_text(app, "#status-plan"))
                assert screen_text(app, "#stage-filter") == plan.table.describe()
                if tab == "plan":
                    details = app.query_one(StageDetails).content
                    assert rendered(details) == rendered(
                        describe_stage(views, plan.selected_stage))
                if tab == "timeline":
                    before = screen_text(app, "#timeline-said")
                    app.pane(TimelinePane)._say()
                    assert screen_text(app, "#timeline-said") == before
                    title = views.plan.stage(ids[1]).title  # type: ignore[union-attr]
                    assert title in str(before)
                if tab == "review":
                    pane = app.pane(ReviewPane)
                    summary = str(screen_text(app, "#review-summary"))
                    assert summary.startswith(f"✖ {views.report.errors} error")
                    details = app.query_one(FindingDetails).content
                    assert rendered(details) == rendered(explain(
                        views, pane.panel.selected, pane.panel.selected_accepted))


async def test_the_cycle_collector_looks_less_often_while_the_app_runs(tmp_path: Path) -> None:
    """While the app runs, Python's cycle collector waits for 50,000 new objects (an edit
    makes tens of thousands); the thresholds are put back when the app closes."""
    import gc

    from coplan.tui.app import YOUNG_OBJECTS

    before = gc.get_threshold()
    app = make_app(copy_example(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert gc.get_threshold() == (YOUNG_OBJECTS, *before[1:])
    assert gc.get_threshold() == before


def test_the_details_name_every_stage_that_waits_for_the_stage() -> None:
    """"Then:" names the stages whose links name this one, in the plan's order."""
    import sys

    from tui_support import ROOT

    from coplan.planfile import parse_plan
    from coplan.plugins import all_rules
    from coplan.session import derive

    sys.path.insert(0, str(ROOT / "tests"))
    from plangen import random_plan

    for seed in range(3):
        plan = parse_plan(random_plan(seed, 40, window=5), with_lines=False)
        views = derive(plan, all_rules())
        for stage in plan.stages:
            then = [s.title for s in plan.stages if any(d.stage == stage.id for d in s.after)]
            text = describe_stage(views, stage.id)
            lines = [line for part in text.renderables  # type: ignore[attr-defined]
                     for line in str(part).splitlines() if line.startswith("Then: ")]
            assert lines == ["Then: " + (", ".join(then) if then else "nothing")]


def test_texts_take_the_same_room_only_when_they_certainly_do() -> None:
    """Words of the same widths, with the same spaces, take the same room; a string that
    may be markup (whose tags take no room) is never taken to."""
    from coplan.tui.widgets.text import same_room

    assert same_room("All 1,000 stages", "All 1,001 stages")
    assert not same_room("All 999 stages", "All 1,000 stages")
    assert not same_room("All 1,000  stages", "All 1,000 stages")  # (two spaces)
    assert not same_room("a b", "a\nb")
    assert not same_room("ab", "中")  # one character two cells wide
    assert not same_room("[b]xy", "[x]yz")  # the first is one bold word of two letters
    assert same_room(Text("Stage 1", style="bold"), Text("Stage 2"))
    assert not same_room(Text("Stage 1", justify="right"), Text("Stage 2"))
    assert not same_room(Text("Stage 1"), "Stage 2")
    assert not same_room(Group(Text("a")), Group(Text("b")))
