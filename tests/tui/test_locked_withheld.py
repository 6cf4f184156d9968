"""A locked field shown empty says that something is written there that the view does not
show, never "(empty)".

Found by trying the product: in the protected view, Sam opened a session's record and its
Notes field said "(empty)", though the team had written a note there (kept from Sam's
view): a field is locked only where the view shows it otherwise than the file has it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import TextArea
from tui_support import SIZE, make_app

from coplan.planfile import load_plan
from coplan.tui.panes.delivery import DeliveryTable
from coplan.tui.screens.form import FormScreen
from coplan.tui.widgets.locked_value import WITHHELD, locked_words

TODAY = date(2027, 10, 8)


def test_an_empty_locked_text_is_said_to_be_withheld() -> None:
    assert locked_words("text", "", (), set()) == WITHHELD
    assert locked_words("multiline", "  ", (), set()) == WITHHELD
    assert locked_words("text", "As written", (), set()) == "As written"


async def test_the_teams_note_on_a_record_is_not_called_empty(plan_path: Path) -> None:
    app = make_app(plan_path, today=TODAY, who="Sam", protected=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        table = app.query_one(DeliveryTable)
        written = {(tp.id, r.session) for tp in load_plan(plan_path).touchpoints
                   for r in tp.records if r.notes}
        noted = [key for key, s in table.sessions.items()
                 if (s.touchpoint.id, s.number) in written]
        assert noted, "the example has team notes on records"
        table.move_cursor(row=table.get_row_index(noted[0]))
        await pilot.pause()
        await pilot.press("r")
        for _ in range(3):
            await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        notes = app.screen.query_one("#field-notes", TextArea)
        assert notes.text == WITHHELD
