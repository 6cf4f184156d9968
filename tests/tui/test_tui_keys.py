"""Every action can be reached from the keyboard, and none of them fails on any tab."""

from __future__ import annotations

from pathlib import Path

from textual.screen import ModalScreen
from tui_support import SIZE, make_app

from coplan.tui.actions import ACTIONS, bindings


def test_every_action_has_its_own_key() -> None:
    keys = [a.key for a in ACTIONS]
    assert len(keys) == len(set(keys)), "two actions share a key"
    assert len(bindings()) == len(ACTIONS)


async def test_every_key_does_something_and_nothing_breaks(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Every key on the Plan tab; on the others, the keys that act on what is selected there.
        rounds = [("1", "plan", ACTIONS),
                  ("3", "review", [a for a in ACTIONS if a.action in ("fix_finding", "help")]),
                  ("4", "people", [a for a in ACTIONS if a.action in ("edit_person",
                                                                      "add_person")])]
        for tab_key, tab, specs in rounds:
            for spec in specs:
                if spec.action in ("quit", f"show_tab('{tab}')"):
                    continue
                await pilot.press(tab_key)
                await pilot.pause()
                before = (type(app.screen), app.theme, app.presentation,
                          app.query_one("#tabs").active, app.session.text)
                await pilot.press(spec.key)
                await pilot.pause()
                after = (type(app.screen), app.theme, app.presentation,
                         app.query_one("#tabs").active, app.session.text)
                changed = before != after or bool(app._notifications)
                assert changed, f"{spec.key} ({spec.action}) did nothing on tab {tab_key}"
                app.clear_notifications()
                while isinstance(app.screen, ModalScreen):
                    await pilot.press("escape")
                    await pilot.pause()
                if app.presentation:
                    await pilot.press("f3")
                if app.theme != "coplan":
                    await pilot.press("f2")
                await pilot.pause()
        assert app.session.text == plan_path.read_text(encoding="utf-8") or app.session.dirty
