"""Keys typed straight after settling a clash arrive, in order, where they were going.

close12 and trial12 saw it in a real terminal: two people on one plan, a clash settled,
then ``4``, ``p`` and a name typed at once; the name field stayed empty or held "F"."""

from __future__ import annotations

from pathlib import Path

from test_tui_form_while_others_save import STAGE
from test_tui_nothing_lost import burst, until, value_of
from test_tui_together import clash
from textual.widgets import TabbedContent
from tui_support import SIZE, make_app

from coplan.tui.screens.conflicts import ConflictScreen
from coplan.tui.screens.form import FormScreen


async def test_a_name_typed_straight_after_a_clash_is_settled_arrives(plan_path: Path) -> None:
    async with clash(plan_path) as (alex, pilot):
        burst(pilot, "tab", "tab", "enter", "4", "p", *"Fay Hangup")
        await until(pilot, lambda: isinstance(alex.screen, FormScreen)
                    and alex.screen.query("#field-name")
                    and value_of(pilot, "name") == "Fay Hangup", "the name to arrive")
        assert not any(isinstance(s, ConflictScreen) for s in alex.screen_stack)


async def test_keys_typed_straight_after_a_form_clash_is_settled_arrive(plan_path: Path) -> None:
    """As close12 did it: Alex's stage form is open while Sam saves the same title; Alex
    saves the form (the clash dialog opens), settles it with Tab, Tab, Enter and, in the
    same breath, goes to the People tab, adds a person and types the name."""
    sam = make_app(plan_path, watch=True, who="Sam")
    alex = make_app(plan_path, watch=True, who="Alex")
    async with sam.run_test(size=SIZE) as sam_pilot, alex.run_test(size=SIZE) as pilot:
        await sam_pilot.pause()
        await pilot.pause()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(alex.screen, FormScreen), "Alex's form")
        sam.edit("Sam's change", lambda d: d.set_stage(STAGE, "title", "Sam's title"))
        assert await sam.save_now()
        assert await alex.take_in_changes()
        burst(pilot, "end", *" B", "ctrl+s", "tab", "tab", "enter", "4", "p", *"Fay Hangup")
        await until(pilot, lambda: isinstance(alex.screen, FormScreen)
                    and alex.screen.query("#field-name")
                    and value_of(pilot, "name") == "Fay Hangup", "the name to arrive")
        assert alex.query_one("#tabs", TabbedContent).active == "people"
        assert not any(isinstance(s, ConflictScreen) for s in alex.screen_stack)
        title = alex.session.plan.stage(STAGE).title  # type: ignore[union-attr]
        assert title == "Sam's title", "the first choice, theirs, was kept"
