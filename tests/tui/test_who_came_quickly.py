"""Ticking who came, quickly: Tab to the list, then Space and Down with no pause between
them, ticks every person pressed for, as done slowly (a trial ticked three people so and
found one saved).

The cause: Space in Textual's list only posts a message, and the tick goes to whatever is
highlighted when the message is read; with Down sent straight after, that was a later
person, so three ticks became one person ticked three times.  ``burst`` sends the keys
with no wait at all (Pilot's ``press`` waits for the app to be idle after each key, and
never showed it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from forms_pilot import choose, focus, form, type_into
from textual import events
from tui_support import SIZE, WORKSHOP_DAY, copy_example, make_app, settle

from coplan.planfile import load_plan
from coplan.tui.panes.delivery import DeliveryPane

CHARS = {"tab": "\t", "space": " "}


def burst(app: Any, keys: list[str]) -> None:
    """Send ``keys`` to the app one straight after the other, waiting for nothing."""
    for key in keys:
        event = events.Key(key, CHARS.get(key))
        event.set_sender(app)
        app._driver.send_message(event)


@pytest.mark.parametrize(("pace", "size"), [("burst", SIZE), ("burst", (80, 24)),
                                            ("pilot", SIZE), ("slow", SIZE)])
async def test_three_ticked_at_once_are_three_saved(tmp_path: Path, pace: str,
                                                    size: tuple[int, int]) -> None:
    path = copy_example(tmp_path, "teaching-workshop")
    app = make_app(path, today=WORKSHOP_DAY)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.show_tab("delivery")
        await pilot.pause()
        delivery = app.pane(DeliveryPane)
        row = None
        for r in range(delivery.table.row_count):  # (the first session not recorded yet)
            delivery.table.move_cursor(row=r)
            chosen = delivery.table.selected()
            if chosen is not None and not any(rec.session == chosen.number
                                              for rec in chosen.touchpoint.records):
                row = r
                break
        assert row is not None
        delivery.table.move_cursor(row=row)
        session = delivery.table.selected()
        await delivery.run_action("record_session")
        await pilot.pause()
        await pilot.pause()
        screen = form(pilot)
        await choose(pilot, "status", "held")
        # (held on a day that has come: the session may be one still to come)
        await type_into(pilot, "on", WORKSHOP_DAY.isoformat())
        await focus(pilot, "cancelled_on")
        keys = ["tab", "space", "down", "space", "down", "space"]
        if pace == "slow":
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
        elif pace == "pilot":  # (Pilot waits for the app to be idle after each key)
            await pilot.press(*keys)
        else:  # all at once, as a remote terminal or a fast hand sends them
            burst(app, keys)
        await pilot.pause()
        ticked = list(screen.query_one("#field-attended").selected)  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        for _ in range(3):
            await pilot.pause()
        await settle(pilot)
    assert len(ticked) == 3, ticked
    tp = session.touchpoint
    plan = load_plan(path)
    stage = plan.stage(tp.stage)
    assert stage is not None
    record = next(r for r in stage.touchpoints[tp.index].records
                  if r.session == session.number)
    assert sorted(record.attended) == sorted(ticked)
