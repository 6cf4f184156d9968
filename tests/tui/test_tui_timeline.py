"""The timeline: a stage chosen with the keyboard (the same one the Plan tab acts on), the
stages it waits for marked beside their names and said in words, and labels along the top
that never run together, in week and in month zoom."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from tui_support import SIZE, TODAY, copy_example, make_app

from coplan.session import PlanSession
from coplan.tui.widgets.stage_table import StageTable
from coplan.tui.widgets.timeline import WAITED_FOR, Chart, Timeline

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.toml"))


@pytest.mark.parametrize("zoom", ["weeks", "months"])
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_labels_along_the_top_have_a_space_between_them(example: Path, zoom: str,
                                                        tmp_path: Path) -> None:
    session = PlanSession.open(copy_example(tmp_path, example.stem), today=TODAY)
    chart = Chart(session.views, zoom, TODAY)
    label = r"\d\d [A-Z][a-z]{2}(?: \d{4})?" if zoom == "weeks" else r"[A-Z][a-z]{2}"
    # Whole labels only, with at least one space between any two.
    assert re.fullmatch(rf"\s*({label})(\s+{label})*\s*", chart.header), chart.header
    labels = re.findall(label, chart.header)
    if zoom == "months":  # every month is named: none is left out for want of room
        names = [date(2027, m, 1).strftime("%b") for m in range(1, 13)]
        steps = {(names.index(b) - names.index(a)) % 12 for a, b in pairwise(labels)}
        assert steps == {1}, labels
        sched = session.schedule
        assert sched is not None
        assert labels[0] in (f"{sched.start:%b}", names[sched.start.month % 12])
        assert chart.years.startswith("Months of ")
    else:  # the first week shown of each later year names it; no other week does
        sched = session.schedule
        assert sched is not None
        with_year = re.findall(r"\d\d [A-Z][a-z]{2} (\d{4})", chart.header)
        later = sorted({y for y in range(sched.start.year + 1, sched.finish.year + 1)})
        assert [int(y) for y in with_year] == later, (with_year, later)


async def test_up_and_down_choose_a_stage_and_show_what_it_waits_for(plan_path: Path
                                                                     ) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one(StageTable).select_stage("aims")
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()
        timeline = app.query_one(Timeline)
        assert timeline.chart is not None
        order = timeline.chart.stage_rows()
        here = order.index("aims")
        await pilot.press("down")
        await pilot.pause()
        chosen = order[here + 1]
        assert timeline.selected == chosen
        # The Plan tab (and so every stage key) follows the chart.
        assert app.query_one(StageTable).selected_stage == chosen
        stage = app.session.plan.stage(chosen)
        said = str(app.query_one("#timeline-said").render())
        assert f"Selected: ‘{stage.title}’" in said
        for dep in stage.after:
            assert app.session.plan.stage(dep.stage).title in said
            row = timeline.chart.row_of(dep.stage)
            line = timeline.render_line(row - round(timeline.scroll_y)).text
            assert line.startswith(WAITED_FOR + " ")
        other = timeline.chart.row_of(chosen)
        assert not timeline.render_line(other - round(timeline.scroll_y)).text.startswith(
            WAITED_FOR)
        await pilot.press("up")
        await pilot.pause()
        assert timeline.selected == "aims" == app.query_one(StageTable).selected_stage
        # z switches to months and back; the chart says which it shows.
        await pilot.press("z")
        await pilot.pause()
        assert timeline.zoom == "months" and timeline.chart.years.startswith("Months of")
        await pilot.press("z")
        await pilot.pause()
        assert timeline.zoom == "weeks" and timeline.chart.years.startswith("Weeks from")


async def test_a_stage_chosen_on_the_timeline_is_shown_on_the_plan_tab(plan_path: Path
                                                                       ) -> None:
    from coplan.tui.panes.plan import PlanPane
    from coplan.tui.widgets.stage_table import StageFilter

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(PlanPane)
        pane.table.only = StageFilter(text="aims")
        pane.track(app.session.views)
        await pilot.pause()
        assert pane.selected_stage == "aims"
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        timeline = app.query_one(Timeline)
        assert timeline.selected != "aims"
        assert pane.selected_stage == timeline.selected  # the stage keys act on it
        assert not pane.table.only
        assert any("Showing every stage again" in n.message for n in app._notifications)


async def test_after_each_edit_the_chart_on_screen_is_the_chart_drawn_afresh(
        tmp_path: Path) -> None:
    """An edit draws again only the lines of the chart that changed; whatever is edited,
    chosen or scrolled, every line on screen is what drawing the chart afresh gives."""
    import random

    from textual.geometry import Region

    def on_screen(widget: Timeline, afresh: bool = False) -> list[list[object]]:
        if afresh:
            widget._styles_cache.clear()
        lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
        return [[(s.text, s.style) for s in line] for line in lines]

    rng = random.Random(4)
    app = make_app(copy_example(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("2")
        await pilot.pause()
        chart = app.query_one(Timeline)
        for step in range(40):
            ids = [s.id for s in app.session.plan.stages]
            sid, other = rng.choice(ids), rng.choice(ids)
            what = rng.choice(["title", "title", "duration", "link", "link", "link", "add",
                               "choose", "choose", "scroll", "zoom", "today"])
            if what == "title":
                app.edit("t", lambda d, sid=sid, n=step: d.set_stage(sid, "title", f"T{n}"))
            elif what == "duration":
                app.edit("d", lambda d, sid=sid: d.set_stage(
                    sid, "duration", f"{rng.randrange(1, 12)}w"))
            elif what == "link":  # the chosen stage now waits for another: marked beside it
                chosen = chart.selected or sid
                earlier = ids[:ids.index(chosen)] or ids
                other = rng.choice(earlier)  # written before it: seldom a loop
                app.edit("l", lambda d, sid=chosen, other=other: d.add_dependency(sid, other))
            elif what == "add":
                app.edit("a", lambda d, sid=sid, n=step: d.add_stage(
                    f"new-{n}", "New", "3w", after=[sid]))
            elif what == "choose":
                await pilot.press(rng.choice(["up", "down"]))
            elif what == "scroll":
                chart.scroll_to(x=rng.randrange(0, 60), y=rng.randrange(0, 8), animate=False,
                                immediate=True)
            elif what == "zoom":
                await pilot.press("z")
            else:
                await pilot.press("n")
            await pilot.pause()
            assert on_screen(chart) == on_screen(chart, afresh=True), (step, what)


@pytest.mark.parametrize("seed", range(3))
def test_a_chart_made_from_the_one_before_is_the_chart_made_afresh(tmp_path: Path,
                                                                  seed: int) -> None:
    """After any edit, the chart that keeps the bars of stages whose timing it had is the
    chart worked out afresh, bar for bar, in either zoom; and bars are kept.  So is the
    Plan tab's list of stages by date, kept when no date moved."""
    import contextlib
    import random
    import sys

    from coplan.session import EditRefused
    from coplan.tui.widgets.stage_table import StageRows
    from coplan.tui.widgets.timeline import Chart

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from plangen import random_plan

    path = tmp_path / "plan.toml"
    path.write_text(random_plan(seed, 40), encoding="utf-8")
    session = PlanSession.open(path, today=TODAY)
    rng = random.Random(seed)
    zoom = "weeks"
    chart = Chart(session.views, zoom, TODAY)
    rows = StageRows(session.views)
    kept = same_rows = 0
    for n in range(60):
        ids = [s.id for s in session.plan.stages]
        sid = rng.choice(ids)
        edits = [
            lambda d, sid=sid, n=n: d.set_stage(sid, "title", f"Title {n}"),
            lambda d, sid=sid: d.set_stage(sid, "duration", f"{rng.randrange(1, 9)}w"),
            lambda d, sid=sid: d.set_stage(sid, "slow_down", rng.choice(["0d", "3d", None])),
            lambda d, sid=sid, n=n: d.add_stage(f"new-{n}", "New", "2w", after=[sid]),
            lambda d, sid=sid: d.remove_stage(sid),
            lambda d: d.set_project("start", date(2027, rng.randrange(1, 12), 4)),
        ]
        with contextlib.suppress(EditRefused):
            session.apply("edit", rng.choice(edits))
        if rng.random() < 0.1:
            zoom = "months" if zoom == "weeks" else "weeks"
        made = Chart(session.views, zoom, TODAY, chart)
        fresh = Chart(session.views, zoom, TODAY)
        assert made.bars == fresh.bars
        assert (made.width, made.header, made.marks) == (fresh.width, fresh.header, fresh.marks)
        kept += sum(bar is chart.made.get(bar.stage, (0, 0, 0, None))[3]
                    for bar in made.bars if bar.stage)
        chart = made
        later = StageRows(session.views, before=rows)
        assert later.order == StageRows(session.views).order
        same_rows += later.by_date is rows.by_date
        rows = later
    assert kept > 500
    assert same_rows > 5


async def test_an_edit_that_moves_dates_shows_what_opening_the_file_afresh_shows(
        tmp_path: Path) -> None:
    """Lengths (to and from nothing, in days and weeks) and links changed on the Timeline
    tab date only what they reach (``schedule.schedule_changed``); after each, the chart
    on screen and the line that gives the finish are what an app opening the edited file
    afresh shows, and the quick way was taken."""
    import random
    import sys

    from textual.geometry import Region
    from textual.widgets import Static

    from coplan import session as sessions

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from plangen import random_plan

    def on_screen(app: object) -> tuple[object, ...]:
        chart = app.query_one(Timeline)  # type: ignore[attr-defined]
        chart.scroll_to(x=12, y=3, animate=False, immediate=True)
        lines = chart.render_lines(Region(0, 0, chart.size.width, chart.size.height))
        status = str(app.query_one("#status-plan", Static).render())  # type: ignore[attr-defined]
        return [[(s.text, s.style) for s in line] for line in lines], status.split("   ")[-1]

    quick: list[object] = []
    original = sessions.schedule_changed

    def spy(*args: object, **kwargs: object) -> object:
        made = original(*args, **kwargs)  # type: ignore[arg-type]
        quick.append(made)
        return made

    (tmp_path / "edited").mkdir()
    path = tmp_path / "edited" / "plan.toml"
    path.write_text(random_plan(3, 60, max_duration=8), encoding="utf-8")
    rng = random.Random(3)
    app = make_app(path)
    sessions.schedule_changed = spy  # type: ignore[assignment]
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("2")
            await pilot.pause()
            for step in range(8):
                ids = [s.id for s in app.session.plan.stages]
                sid = rng.choice(ids)
                if step % 3 == 2:
                    other = rng.choice(ids[:ids.index(sid)] or ids)
                    app.edit("l", lambda d, sid=sid, other=other: d.add_dependency(sid, other))
                else:
                    length = rng.choice(["4w", "3d", "0d", "0w", "12d", "2w"])
                    app.edit("d", lambda d, sid=sid, length=length: d.set_stage(
                        sid, "duration", length))
                await pilot.pause()
                shown = on_screen(app)
                (tmp_path / str(step)).mkdir()
                again = tmp_path / str(step) / "plan.toml"
                again.write_text(app.session.text, encoding="utf-8")
                afresh = make_app(again)
                async with afresh.run_test(size=SIZE) as other_pilot:
                    await other_pilot.pause()
                    await other_pilot.press("2")
                    await other_pilot.pause()
                    assert shown == on_screen(afresh), step
    finally:
        sessions.schedule_changed = original  # type: ignore[assignment]
    assert sum(made is not None for made in quick) >= 4
