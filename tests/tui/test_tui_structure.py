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
        await type_into(pilot, "duration", "2w")
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
        assert "the plan would end on" in labels[1] or "the plan still ends on" in labels[1]
        # One stage waits for it ("waits"), the plan ends ("it" was the stage being asked about).
        assert len(followers) != 1 or "no longer waits for it: the plan " in labels[2], labels
        assert len(followers) == 1 or "no longer wait for it: the plan " in labels[2], labels
        # Asked before anything is deleted: where the plan ends as it stands, and what
        # each answer would do ("The plan now ends on ..." read as if it were done).
        assert screen.intro.startswith("As the plan stands, it ends on "), screen.intro
        assert "now ends" not in screen.intro and "undoes it" not in screen.intro
        await pick(pilot, "join")
        assert app.session.plan.stage("analysis") is None
        for follower in followers:
            assert set(before) <= set(_waits(app, follower))


async def _open_dialog(pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    await pilot.press(key)
    for _ in range(50):
        await pilot.pause()
        if app.screen is not app.screen_stack[0]:
            return
    raise AssertionError(f"{key} opened no dialog")


def _caption(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.query_one("#stage-filter").render())


async def test_brackets_move_the_selected_stage_in_the_file(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ids = [s.id for s in app.session.plan.stages]
        table = app.query_one(StageTable)
        table.select_stage(ids[2])
        await pilot.pause()
        text = app.session.text
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert [s.id for s in app.session.plan.stages][1] == ids[2]
        # The list changes to file order, says so, and keeps the stage selected.
        assert table.order == "file" and "written in the plan" in _caption(app)
        assert table.keys[1] == ids[2] and table.selected_stage == ids[2]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.session.text == text  # back where it was, byte for byte
        table.select_stage(ids[0])
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.session.text == text
        assert any("already the first" in n.message for n in app._notifications)
        await save_and_check(pilot, plan_path, text)


async def save_and_check(pilot, plan_path: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.save_now()
    await pilot.app.wait_for_file_work()
    assert plan_path.read_text(encoding="utf-8") == text


async def test_c_copies_the_stage_and_shift_c_a_touchpoint(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        plan = app.session.plan
        stage = next(s for s in plan.stages if len(s.touchpoints) == 1)
        table = app.query_one(StageTable)
        table.select_stage(stage.id)
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        ids = [s.id for s in app.session.plan.stages]
        new = ids[ids.index(stage.id) + 1]
        copy = app.session.plan.stage(new)
        assert copy.title == f"{stage.title} (copy)"
        assert table.selected_stage == new
        await pilot.press("C")  # one touchpoint: copied without asking which
        await pilot.pause()
        tps = app.session.plan.stage(new).touchpoints
        assert len(tps) == 2 and tps[1].format == tps[0].format
        assert tps[1].id != tps[0].id
        for _ in range(2):
            await pilot.press("ctrl+z")
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.session.plan.stage(new) is None


async def test_slash_finds_stages_and_says_what_is_shown(plan_path: Path) -> None:
    from forms_pilot import choose

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(StageTable)
        plan = app.session.plan
        total = len(plan.stages)
        assert _caption(app).startswith(f"All {total} stages, in the order they happen")
        await _open_dialog(pilot, "slash")
        await type_into(pilot, "text", "analys")
        await save(pilot)
        wanted = [s.id for s in plan.stages if "analys" in f"{s.title} {s.id} {s.notes}".lower()]
        assert wanted and sorted(table.keys) == sorted(wanted)
        assert f"Showing {len(wanted)} of {total} stages: with “analys” in the name" \
            in _caption(app)
        # A person and a phase narrow it further; the words say so.
        person = next(p for p in plan.people if any(p.id in t.who for s in plan.stages
                                                    for t in s.touchpoints))
        await _open_dialog(pilot, "slash")
        await type_into(pilot, "text", "")
        await choose(pilot, "person", person.id)
        await save(pilot)
        theirs = [s.id for s in plan.stages if any(person.id in t.who for t in s.touchpoints)]
        assert sorted(table.keys) == sorted(theirs)
        assert f"with {person.name} taking part" in _caption(app)
        # Typing into the form's text field never runs the app's single keys.
        text = app.session.text
        await _open_dialog(pilot, "slash")
        await type_into(pilot, "text", "a?c/O[")
        assert str(form(pilot).query_one("#field-text").value) == "a?c/O["
        await pilot.press("escape")  # closes it: finding changes nothing to save
        for _ in range(20):
            await pilot.pause()
            if app.screen is app.screen_stack[0]:
                break
        assert app.screen is app.screen_stack[0]
        assert app.session.text == text and sorted(table.keys) == sorted(theirs)
        # An empty answer shows every stage again.
        await _open_dialog(pilot, "slash")
        await type_into(pilot, "text", "")
        await choose(pilot, "person", "")
        await save(pilot)
        assert len(table.keys) == total and _caption(app).startswith("All")


async def test_o_switches_between_date_and_file_order(plan_path: Path) -> None:
    from coplan.edit import PlanDocument

    doc = PlanDocument.open(plan_path)
    last = doc.stage_ids()[-1]
    doc.move_stage(last, -(len(doc.stage_ids()) - 1))  # the last to happen, written first
    doc.save()
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(StageTable)
        sched = app.session.schedule
        in_date = sorted(sched.order, key=lambda sid: sched.stages[sid].start)
        in_file = [s.id for s in app.session.plan.stages]
        assert in_file[0] == last and in_date[-1] == last
        assert table.keys == in_date
        await pilot.press("O")
        await pilot.pause()
        assert table.keys == in_file
        assert "as they are written in the plan" in _caption(app) or \
            "written in the plan" in _caption(app)
        await pilot.press("O")
        await pilot.pause()
        assert table.keys == in_date


async def test_a_new_stage_the_list_would_hide_is_shown(plan_path: Path) -> None:
    from coplan.tui.panes.plan import PlanPane
    from coplan.tui.widgets.stage_table import StageFilter

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(PlanPane)
        pane.table.only = StageFilter(text="analysis")
        pane.track(app.session.views)
        await pilot.pause()
        assert pane.table.keys == ["analysis"]
        await _open_dialog(pilot, "a")
        await type_into(pilot, "title", "Something quite different")
        await type_into(pilot, "duration", "2w")
        await save(pilot)
        new = pane.selected_stage
        assert new is not None and app.session.plan.stage(new).title == \
            "Something quite different"
        assert not pane.table.only and _caption(app).startswith("All")
        assert any("Showing every stage again" in n.message for n in app._notifications)


async def test_shift_c_asks_which_touchpoint_when_there_are_several(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        stage = next(s for s in app.session.plan.stages if len(s.touchpoints) > 1)
        app.query_one(StageTable).select_stage(stage.id)
        await pilot.pause()
        await pilot.press("C")
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, PickScreen):
                break
        await pick(pilot, "1")
        after = app.session.plan.stage(stage.id).touchpoints
        assert len(after) == len(stage.touchpoints) + 1
        assert after[2].format == stage.touchpoints[1].format
        assert after[2].id == f"{stage.touchpoints[1].id}-copy"
        # The ones after it keep the ids they had.
        assert [t.id for t in after[3:]] == [t.id for t in stage.touchpoints[2:]]
