"""Structure edits as a planner expects: a new stage goes into the chain after the selected
one (taking over its followers), and deleting a stage in the middle of a chain offers to
join its neighbours, saying where the plan would then end."""

from __future__ import annotations

from pathlib import Path

from forms_pilot import form, pick, save, type_into
from tui_support import SIZE, make_app

from coplan.tui.screens.pick import PickScreen
from coplan.tui.widgets.stage_table import StageTable


def _waits(app, stage_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    stage = app.session.plan.stage(stage_id)
    return [d.stage for d in stage.after]


def _followers(app, stage_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.id for s in app.session.plan.stages if stage_id in {d.stage for d in s.after}]


async def test_a_new_stage_goes_into_the_chain(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        followers = _followers(app, "aims")
        assert followers
        app.query_one(StageTable).select_stage("aims")
        await pilot.pause()
        await pilot.press("a")
        for _ in range(50):
            await pilot.pause()
            if app.screen is not app.screen_stack[0]:
                break
        assert "wait for the new one" in str(form(pilot).query_one(".intro").render())
        await type_into(pilot, "title", "Checking the aims with the wider group")
        await save(pilot)
        new = app.session.plan.stages[[s.id for s in app.session.plan.stages].index("aims") + 1]
        assert new.title == "Checking the aims with the wider group"
        assert _waits(app, new.id) == ["aims"]
        assert _followers(app, "aims") == [new.id]
        assert sorted(_followers(app, new.id)) == sorted(followers)


async def test_deleting_a_stage_offers_to_join_its_neighbours(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = _waits(app, "analysis")
        followers = _followers(app, "analysis")
        assert before and followers
        app.query_one(StageTable).select_stage("analysis")
        await pilot.pause()
        await pilot.press("delete")
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, PickScreen):
                break
        screen = app.screen
        assert isinstance(screen, PickScreen)
        assert [value for _, value in screen.options] == ["keep", "join", "drop"]
        labels = [label for label, _ in screen.options]
        assert "would end on" in labels[1] or "still ends on" in labels[1]
        assert "The plan now ends on" in screen.intro
        await pick(pilot, "join")
        assert app.session.plan.stage("analysis") is None
        for follower in followers:
            assert set(before) <= set(_waits(app, follower))
