"""Renaming through the app's forms: the new id reaches every place that names it.

A decision the impact log names, renamed in its form (E, Stages, the stage, Decisions),
was refused ("history to keep"); a person's id could not be changed at all.  Now both are
renames (``PlanDocument.rename``): the file changes in those values only.  An empty id is
never saved.
"""

from __future__ import annotations

from pathlib import Path

from forms_pilot import form, pick, save, type_into
from tui_support import SIZE, make_app

from coplan.planfile import load_plan
from coplan.tui.screens.form import FormScreen
from coplan.tui.screens.pick import PickScreen


def _changed(before: str, after: str) -> list[tuple[str, str]]:
    rows_b, rows_a = before.splitlines(), after.splitlines()
    assert len(rows_b) == len(rows_a), "no line added or taken away"
    return [(b, a) for b, a in zip(rows_b, rows_a, strict=True) if b != a]


async def _choose(pilot, label: str) -> None:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    assert isinstance(screen, PickScreen), f"expected a choice, found {screen!r}"
    value = next(v for text, v in screen.options if text.startswith(label))
    await pick(pilot, value)


async def _decision_form(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("E")
    await pilot.pause()
    await _choose(pilot, "Stages")
    await _choose(pilot, "Hearing what matters")
    await _choose(pilot, "Decisions")
    screen = pilot.app.screen
    assert isinstance(screen, PickScreen)
    value = next(v for text, v in screen.options if "focus" in text.lower())
    await pick(pilot, value)
    assert isinstance(pilot.app.screen, FormScreen)


async def test_a_decision_the_impact_log_names_is_renamed_there_too(plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await _decision_form(pilot)
        await type_into(pilot, "id", "main-focus")
        await save(pilot)
        assert not isinstance(app.screen, FormScreen), str(
            app.screen.query_one("#form-error").render())
        await pilot.press("ctrl+s")
        await pilot.app.wait_for_file_work()
    after = plan_path.read_text(encoding="utf-8")
    changed = _changed(before, after)
    assert changed and all(b.replace('"focus"', '"main-focus"') == a for b, a in changed)
    assert sum('decision = "main-focus"' in a for _b, a in changed) == 2  # the impact log
    stage = load_plan(plan_path).stage("priorities")
    assert stage is not None and stage.decisions[0].id == "main-focus"


async def test_an_empty_id_is_not_saved(plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await _decision_form(pilot)
        await type_into(pilot, "id", "   ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FormScreen), "the form stays open"
        assert not app.session.dirty
    assert plan_path.read_text(encoding="utf-8") == before


async def test_a_persons_id_is_changed_in_their_form_and_everywhere_they_are_named(
        plan_path: Path) -> None:
    from coplan.tui.panes.people import PeoplePane

    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.show_tab("people")
        await pilot.pause()
        app.query_one(PeoplePane).table.select_person("sam")
        await pilot.pause()
        await pilot.press("P")
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, FormScreen):
                break
        assert next(f for f in form(pilot).fields if f.key == "id").value == "sam"
        await type_into(pilot, "id", "sam-b")
        await save(pilot)
        assert not isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")
        await pilot.app.wait_for_file_work()
    after = plan_path.read_text(encoding="utf-8")
    changed = _changed(before, after)
    assert len(changed) > 5
    assert all(b.replace('"sam"', '"sam-b"') == a for b, a in changed)
    plan = load_plan(plan_path)
    assert plan.person("sam-b") is not None and plan.person("sam") is None
