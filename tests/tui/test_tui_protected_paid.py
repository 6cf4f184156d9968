"""The protected view's Delivery tab says whether the viewer is paid, and nothing of others.

Found by trying the product: Sam, in the protected view of MINDS, saw "⚠ 1 paid, 1 overdue
since 26 Aug" for the community drop-in, a session Sam did not come to, which told Sam
that one of the two people who came had not been paid.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tui_support import SIZE, make_app

from coplan.planfile import load_plan
from coplan.schedule import schedule
from coplan.tui.panes.delivery import DeliveryTable, paid_state

TODAY = date(2027, 10, 8)


async def test_the_paid_column_is_the_viewers_own(plan_path: Path) -> None:
    app = make_app(plan_path, today=TODAY, who="Sam", protected=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.viewer == "sam"
        await pilot.press("7")
        await pilot.pause()
        table = app.query_one(DeliveryTable)
        shown = {key: table.values(key)["Paid"] for key in table.sessions}
    said = {str(v) for v in shown.values() if str(v)}
    assert said, "Sam's own sessions say whether Sam is paid"
    assert said <= {"✔ you are paid"} | {s for s in said if "owed to you" in s}, said
    drop_in = [k for k, s in table.sessions.items()
               if s.touchpoint.id == "community-drop-in"]
    assert drop_in and all(str(shown[k]) == "" for k in drop_in)


def test_the_full_view_counts_everyone(plan_path: Path) -> None:
    """The team's own view still counts everyone who came (the words the table had)."""
    plan = load_plan(plan_path)
    sched = schedule(plan)
    session = next(s for s in sched.sessions if s.touchpoint.id == "community-drop-in")
    assert "overdue since" in paid_state(session, plan, sched, TODAY)
    assert "1 paid" in paid_state(session, plan, sched, TODAY) or \
        "2 overdue" in paid_state(session, plan, sched, TODAY)
    assert paid_state(session, plan, sched, TODAY, viewer="sam") == ""


async def test_the_details_say_what_the_viewer_is_owed(plan_path: Path) -> None:
    """Sam's own pack says what Sam is owed; the view said only "owed to you".  Now the
    selected session's details give the amount, and never another's."""
    from coplan.tui.panes.delivery import DeliveryPane, session_details

    app = make_app(plan_path, today=date(2027, 9, 10), who="Sam", protected=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        pane = app.pane(DeliveryPane)
        plan, sched = app.session.plan, app.session.schedule
        said = {s.touchpoint.id: session_details(s, plan, sched, date(2027, 9, 10), "sam")
                for s in pane.table.sessions.values()}
    # (as the payments list has it: Sam owed £101.25 for the peer interviews, £20 of it
    # expenses; nothing of the drop-in, which Sam did not come to)
    assert "Paid: owed to you, due 20 Sep: £101.25, £20.00 of it expenses" in \
        said["peer-interviews"], said["peer-interviews"]
    assert "£" not in said["community-drop-in"]
