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


def test_every_action_is_carried_out_by_its_owner() -> None:
    """Each action names a method of the pane that owns it (or of the app)."""
    from coplan.tui.app import CoplanApp
    from coplan.tui.panes import PANES

    owners = {p.id: p.pane for p in PANES}
    for spec in ACTIONS:
        name = spec.action.split("(")[0]
        owner = owners[spec.pane] if spec.pane else CoplanApp
        assert callable(getattr(owner, f"action_{name}", None)), (spec.pane, name)


def test_the_registry_is_made_from_the_tab_list() -> None:
    """A tab is one line in the tab list: its key, help and palette entry, and its own
    actions (run in that tab), all follow from it."""
    from coplan.tui.action_spec import ActionSpec
    from coplan.tui.actions import APP_ACTIONS, registry
    from coplan.tui.panes import Pane, PaneSpec

    class NotesPane(Pane):
        ACTIONS = (ActionSpec("add_note", "n", "notes", "add a note", "Write a note."),)

    made = registry([PaneSpec("notes", "Notes", "7", NotesPane, "Notes about the plan.")])
    view, note, *rest = made
    assert (view.key, view.palette_title, view.help, view.run) == (
        "7", "view: notes", "Notes about the plan.", "show_tab('notes')")
    assert (note.key, note.pane, note.run) == ("n", "notes", "in_pane('notes', 'add_note')")
    assert tuple(rest) == APP_ACTIONS
    assert {b.key: b.action for b in bindings(made)}["n"] == "in_pane('notes', 'add_note')"  # type: ignore[union-attr]


async def test_each_tab_is_composed_from_the_tab_list(plan_path: Path) -> None:
    from textual.widgets import TabbedContent

    from coplan.tui.panes import PANES

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tabs = app.query_one(TabbedContent)
        for spec in PANES:
            pane = tabs.get_pane(spec.id)
            assert isinstance(pane, spec.pane)
            assert str(tabs.get_tab(spec.id).label) == spec.title
            await pilot.press(spec.key)
            await pilot.pause()
            assert tabs.active == spec.id
            assert app.focused is pane.query_one(spec.pane.MAIN)


def test_the_user_guide_lists_every_key() -> None:
    """docs/using-coplan.md's table of keys names every action's key (the tabs' number
    keys as "1 to 7"), so the guide and the app's one list of actions stay together."""
    import re

    from coplan.tui.screens.help import key_name

    guide = (Path(__file__).resolve().parents[2] / "docs" / "using-coplan.md").read_text(
        encoding="utf-8")
    table = guide.split("## For the driver: every key", 1)[1].split("\n## ", 1)[0]
    listed: set[str] = set()
    for row in table.splitlines():
        if row.startswith("| ") and not row.startswith("| key"):
            cell = row.split("|")[1].strip()
            listed.update(part for part in re.split(r" / |, | or |\(or |\)| ", cell) if part)
    missing = [f"{key_name(a.key)} ({a.action})" for a in ACTIONS
               if not a.action.startswith("show_tab") and key_name(a.key) not in listed]
    assert not missing, f"add these keys to the guide's table: {missing}"
