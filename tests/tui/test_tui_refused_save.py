"""A save the plan refuses never throws the form away.

Found by trying the product: a payment's note that looked like bank details ("sort code
20-00-00 acct 12345678") was refused, and the form closed with everything typed in it
gone; pressing y again started from choosing the person.  Every form that changes the plan
now makes its change as Save is pressed: a refusal keeps the form open, with what was
typed, the reason beside the field it names, and the focus there to put it right.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from forms_pilot import save, type_into
from test_tui_nothing_lost import until, value_of
from tui_support import SIZE, make_app, settle

from coplan.tui.panes.delivery import DeliveryTable
from coplan.tui.screens.form import FormScreen

TODAY = date(2027, 9, 10)
BANK = "sort code 20-00-00 acct 12345678"


async def _payment_form(pilot: Any, app: Any) -> None:
    await pilot.press("7")
    await pilot.pause()
    table = app.query_one(DeliveryTable)
    session = next(s for s in table.sessions.values()
                   if s.touchpoint.id == "community-drop-in" and s.number == 1)
    table.move_cursor(row=table.get_row_index(session.id))
    await pilot.pause()
    await pilot.press("y")
    await pilot.pause()
    await pilot.press("enter")  # the first of the people who came
    await until(pilot, lambda: isinstance(app.screen, FormScreen), "the payment form")


async def _stage_form(pilot: Any, app: Any) -> None:
    await pilot.press("e")
    await until(pilot, lambda: isinstance(app.screen, FormScreen), "the stage form")


async def _person_form(pilot: Any, app: Any) -> None:
    await pilot.press("4")
    await pilot.pause()
    await pilot.press("down", "enter")
    await until(pilot, lambda: isinstance(app.screen, FormScreen), "the person form")


async def _meeting_form(pilot: Any, app: Any) -> None:
    await pilot.press("5")
    await pilot.pause()
    await pilot.press("enter")  # the first standing meeting
    await until(pilot, lambda: isinstance(app.screen, FormScreen), "the meeting form")


@pytest.mark.parametrize(("opens", "key", "kept", "fill"), [
    (_payment_form, "note", ("amount", "137.5"), {"paid": TODAY.isoformat()}),
    (_stage_form, "title", None, {}),
    (_person_form, "name", None, {}),
    (_meeting_form, "title", None, {}),
], ids=["payment", "stage", "person", "meeting"])
async def test_a_refused_save_keeps_the_form_and_says_why_beside_the_field(
        plan_path: Path, opens: Any, key: str, kept: tuple[str, str] | None,
        fill: dict[str, str]) -> None:
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await opens(pilot, app)
        form = app.screen
        assert isinstance(form, FormScreen)
        for other, value in fill.items():  # what the form needs besides (nothing prefilled)
            await type_into(pilot, other, value)
        await type_into(pilot, key, BANK)
        await save(pilot)
        assert app.screen is form, "the form stays open"
        assert value_of(pilot, key) == BANK, "what was typed is still there"
        if kept is not None:
            assert value_of(pilot, kept[0]) == kept[1]
        said = str(form.query_one(f"#error-{key}").render())
        assert "Not saved" in said and "looks like bank details" in said, said
        assert "nothing typed here is lost" in str(form.query_one("#form-error").render())
        assert app.focused is form.query_one(f"#field-{key}"), "the focus is on the field"
        assert app.session.text == before, "nothing changed in the plan"

        await type_into(pilot, key, "Paid by the finance office" if key == "note"
                        else "Talking it through")
        await save(pilot)
        await until(pilot, lambda: app.screen is not form, "the form to close")
        assert app.session.text != before, "the put-right change is made"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert plan_path.read_text(encoding="utf-8") != before
