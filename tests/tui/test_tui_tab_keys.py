"""Each tab's footer shows its own keys and the app's, and a key that adds or edits acts on
what the tab on screen lists: on the People tab, e edits the person selected, never a stage."""

from __future__ import annotations

from pathlib import Path

from textual.widgets._footer import FooterKey
from tui_support import SIZE, make_app

from coplan.tui.actions import APP_ACTIONS
from coplan.tui.panes import PANES
from coplan.tui.screens.form import FormScreen


def _footer(app: object) -> set[str]:
    return {key.description for key in app.query(FooterKey)}  # type: ignore[attr-defined]


async def test_every_tab_shows_its_own_keys_and_no_other_tabs(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        for spec in PANES:
            await pilot.press(spec.key)
            await pilot.pause()
            await pilot.pause()
            shown = _footer(app)
            own = {a.footer for a in spec.pane.ACTIONS if a.footer}
            for other in spec.pane.KEYS_OF:
                own |= {a.footer for p in PANES if p.id == other for a in p.pane.ACTIONS
                        if a.footer}
            others = {a.footer for p in PANES for a in p.pane.ACTIONS
                      if a.footer and p.id != spec.id and p.id not in spec.pane.KEYS_OF}
            assert own <= shown, (spec.id, own - shown)
            assert not shown & (others - own), (spec.id, shown & others)
            assert {"Quit", "Help"} <= shown
        assert all(a.footer or not a.show for a in APP_ACTIONS)


async def test_the_people_tab_shows_the_person_keys(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Add stage" in _footer(app)
        await pilot.press("4")
        await pilot.pause()
        await pilot.pause()
        shown = _footer(app)
        assert {"Add person", "Edit person"} <= shown, shown
        assert not {"Add stage", "Touchpoint", "Edit"} & shown, shown


async def test_e_on_the_people_tab_edits_the_person_selected(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        table = app.query_one("#people-table")
        person = app.session.plan.person(table.selected_person)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert app.screen.form_title == (person.name or person.id)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert app.screen.form_title == "Add a person"


async def test_a_dialog_open_leaves_the_tabs_footer_as_it_was(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        footer = app.screen_stack[0].query_one("FittedFooter")
        shown = {key.description for key in footer.query(FooterKey)}
        assert "Add stage" in shown and not {"Add person", "Fix"} & shown, shown
