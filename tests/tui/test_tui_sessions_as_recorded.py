"""The app shows sessions as every output does (``delivery.as_recorded``): the Plan tab's
details put a moved session on its new day and say where it moved from, and say a
cancelled one is cancelled, in words."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from tui_support import TODAY

from coplan.session import PlanSession, Views
from coplan.tui.widgets.stage_details import describe_stage


def _details(views: Views, stage_id: str) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(describe_stage(views, stage_id))
    return console.export_text()


def test_the_details_show_a_moved_session_on_its_new_day(plan_path: Path) -> None:
    session = PlanSession.open(plan_path, today=TODAY)
    views = session.views
    assert views.recorded is not None
    moved = next(s for s in views.recorded.sessions if s.planned_day is not None)
    text = _details(views, moved.stage.id)
    assert f"{moved.day:%a %d %b %Y} {moved.time:%H:%M} (moved from " \
           f"{moved.planned_day:%d %b})" in text, text
    assert f"{moved.planned_day:%a %d %b %Y}" not in text, "still on the day planned"


def test_the_details_say_a_cancelled_session_is_cancelled(plan_path: Path) -> None:
    session = PlanSession.open(plan_path, today=TODAY)
    assert session.schedule is not None
    ahead = next(s for s in session.schedule.sessions if s.day > TODAY
                 and not s.touchpoint.records and s.of == 1)
    session.apply("cancelled a session", lambda doc: doc.add_record(
        ahead.stage.id, ahead.touchpoint.index, {"session": 1, "status": "cancelled"}))
    text = _details(session.views, ahead.stage.id)
    assert f"{ahead.day:%a %d %b %Y} {ahead.time:%H:%M} (✖ cancelled)" in text, text
