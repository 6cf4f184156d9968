"""A session cannot be recorded as held on a day still to come: the record form says so
when Save is pressed, keeps everything typed, and writes nothing.  A trial recorded a
session of 20 September as held on 10 September; the form took it without a word and
only the review (CP-DEL-011) said so afterwards."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from forms_pilot import choose, form, type_into
from textual.widgets import Static
from tui_support import SIZE, WORKSHOP_DAY, copy_example, make_app, settle

from coplan.tui.forms import record_problem
from coplan.tui.panes.delivery import DeliveryPane

TODAY = date(2027, 9, 10)


def test_what_the_form_refuses_and_what_it_takes() -> None:
    ahead = TODAY + timedelta(days=10)
    assert "after today" in (record_problem({"status": "held", "on": ""}, TODAY, ahead) or "")
    assert "after today" in (record_problem({"status": "held", "on": ahead.isoformat()},
                                            TODAY, None) or "")
    assert "called off" in (record_problem({"status": "cancelled",
                                            "cancelled_on": ahead.isoformat()}, TODAY, ahead)
                            or "")
    # Held on a day that has come (earlier than planned, or today), moved to a day to come,
    # or a day not yet a date (the field says what is wrong with it): taken.
    assert record_problem({"status": "held", "on": "2027-09-01"}, TODAY, ahead) is None
    assert record_problem({"status": "held", "on": ""}, TODAY, TODAY) is None
    assert record_problem({"status": "moved", "on": ahead.isoformat()}, TODAY, ahead) is None
    assert record_problem({"status": "held", "on": "2027-13-01"}, TODAY, ahead) is None


async def test_the_form_says_it_and_writes_nothing(tmp_path: Path) -> None:
    path = copy_example(tmp_path, "teaching-workshop")
    before = path.read_bytes()
    app = make_app(path, today=WORKSHOP_DAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.show_tab("delivery")
        await pilot.pause()
        delivery = app.pane(DeliveryPane)
        for row in range(delivery.table.row_count):  # (a session still to come)
            delivery.table.move_cursor(row=row)
            chosen = delivery.table.selected()
            if chosen is not None and chosen.day > WORKSHOP_DAY:
                break
        else:
            raise AssertionError("the example has a session still to come")
        await delivery.run_action("record_session")
        await pilot.pause()
        await pilot.pause()
        screen = form(pilot)
        await choose(pilot, "status", "held")
        await pilot.press("ctrl+s")
        await pilot.pause()
        said = str(screen.query_one("#form-error", Static).render())
        assert "after today" in said and app.screen is screen, said
        # The day it was held, given: it is saved.
        await type_into(pilot, "on", WORKSHOP_DAY.isoformat())
        await pilot.press("ctrl+s")
        for _ in range(3):
            await pilot.pause()
        await settle(pilot)
        assert app.screen is not screen
    assert path.read_bytes() != before
