"""What "moved" means, said once (``delivery.moved``) and counted so everywhere: a session
on another day than the plan gives it, recorded as moved to a new day or held on another
day than planned.  A session moved is due on its new day: once that has passed with nothing
more recorded, it is overdue like any other (trial 9, D3, S1)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.delivery import moved, status
from coplan.export.delivery_report import status_data
from coplan.model import SessionRecord
from coplan.planfile import parse_plan
from coplan.review import review
from coplan.review.rules import builtin_rules
from coplan.schedule import schedule

MINDS = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"
PLANNED = date(2027, 9, 20)  # the first fieldwork check-in, as the example plans it
CHECK_INS = '  heard_by = "Priya and the management group"\n'


def minds_with(record: str) -> str:
    """The MINDS example with ``record`` for the first fieldwork check-in."""
    text = MINDS.read_text(encoding="utf-8")
    assert text.count(CHECK_INS) == 1
    return text.replace(CHECK_INS, CHECK_INS + "\n    [[stage.touchpoint.record]]\n"
                        "    session = 1\n" + record)


MOVED = '    status = "moved"\n    on = 2027-10-01\n    why = "Priya was away"\n'


def status_on(text: str, day: date):  # type: ignore[no-untyped-def]
    plan = parse_plan(text)
    return status(plan, schedule(plan, today=day), day)


def check_in(found):  # type: ignore[no-untyped-def]
    return next(s for s in found.sessions if s.session.id == "fieldwork-check-ins.1")


def test_moved_is_said_by_the_days_not_the_reason() -> None:
    day, other = date(2027, 3, 10), date(2027, 3, 12)
    assert not moved(day, None)
    assert not moved(day, SessionRecord(status="held"))  # (held on its planned day)
    assert not moved(day, SessionRecord(status="held", on=day, why="Started late"))
    assert moved(day, SessionRecord(status="held", on=other))  # (no reason given)
    assert moved(day, SessionRecord(status="moved", on=other))
    assert not moved(day, SessionRecord(status="cancelled", on=other, why="Snow"))


def test_a_session_moved_is_overdue_once_its_new_day_has_passed() -> None:
    text = minds_with(MOVED)
    assert check_in(status_on(text, date(2027, 9, 30))).moved
    before = [o for o in status_on(text, date(2027, 9, 30)).overdue if o.kind == "record"]
    assert not [o for o in before if o.touchpoint == "fieldwork-check-ins" and o.session == 1]
    found = status_on(text, date(2027, 10, 10))
    late = [o for o in found.overdue if o.kind == "record"
            and o.touchpoint == "fieldwork-check-ins" and o.session == 1]
    assert len(late) == 1
    assert late[0].due == date(2027, 10, 1)  # due on its new day, not on the planned one
    assert "moved from 20 Sep 2027" in late[0].what
    # Recorded as held there, it is no longer overdue, and still counts as moved.
    held = minds_with('    status = "held"\n    on = 2027-10-01\n')
    again = status_on(held, date(2027, 10, 10))
    assert not [o for o in again.overdue if o.kind == "record"
                and o.touchpoint == "fieldwork-check-ins" and o.session == 1]
    assert check_in(again).moved and check_in(again).held


def test_check_counts_a_moved_session_left_unrecorded() -> None:
    def unrecorded(text: str) -> str:
        plan = parse_plan(text)
        found = review(plan, registry=builtin_rules(), today=date(2027, 10, 10)).findings
        return next(f.message for f in found if f.rule == "CP-DEL-010")

    assert unrecorded(minds_with(MOVED)) == (
        "2 sessions whose day has passed have nothing recorded")
    assert unrecorded(minds_with('    status = "held"\n    on = 2027-10-01\n')) == (
        "1 session whose day has passed has nothing recorded")


def test_status_json_counts_moved_as_the_reports_do() -> None:
    found = status_on(minds_with(MOVED), date(2027, 9, 30))
    sessions = status_data(found)["sessions"]
    # five held on another day than planned, and the check-in moved to a day to come
    assert sessions["moved"] == 6 == sum(1 for s in found.sessions if s.moved)
    assert sessions["held"] + sessions["cancelled"] + sessions["not_recorded"] == \
        sessions["total"]
    result = CliRunner().invoke(cli, ["status", str(MINDS), "--today", "2027-09-10",
                                      "--format", "json"])
    assert json.loads(result.output)["sessions"]["moved"] == 5
    text = CliRunner().invoke(cli, ["status", str(MINDS), "--today", "2027-09-10"]).output
    assert "5 sessions moved and 0 cancelled" in text


@pytest.mark.parametrize("change", [
    # held on another day than planned with no reason given: moved all the same
    ('    why = "A day early: the room was booked on the Wednesday"\n', ""),
    # a reason on a session held on its planned day does not make it moved
    ('    on = 2027-05-06\n', '    on = 2027-05-06\n    why = "Started late"\n'),
])
def test_the_reports_count_moved_by_the_days(tmp_path: Path,
                                              change: tuple[str, str]) -> None:
    text = MINDS.read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "plan.toml"
    path.write_text(text.replace(*change, 1), encoding="utf-8")
    for report in ("progress", "gripp2"):
        out = CliRunner().invoke(cli, ["export", report, str(path), "--today",
                                       "2027-09-10"]).output
        assert "5 sessions moved and 0 cancelled" in out, report


def test_every_command_and_report_counts_moved_alike(tmp_path: Path) -> None:
    """``coplan budget`` (text and JSON), ``coplan status`` (text and JSON) and the
    progress and GRIPP2 reports count the sessions through one function
    (``recorded.count_sessions``) and say the same (trial 14: the budget said "0 moved"
    where the others said "5 sessions moved", counting only sessions moved and not yet
    held).  One more session moved to a day still to come is counted by all of them."""
    path = tmp_path / "plan.toml"
    path.write_text(minds_with(MOVED), encoding="utf-8")
    def said_of(plan: Path, *args: str) -> str:
        result = CliRunner().invoke(cli, [*args, str(plan), "--today", "2027-09-30"])
        assert result.exit_code in (0, 1), result.output
        return " ".join(result.output.split())

    for plan, moved_n in ((MINDS, 5), (path, 6)):
        def run(*args: str, plan: Path = plan) -> str:
            return said_of(plan, *args)

        said = f"{moved_n} sessions moved and 0 cancelled"
        assert "16 sessions held of 34 planned; " + said in run("budget"), plan
        assert "Sessions: 16 held of 34 planned; " + said in run("status")
        for report in ("progress", "gripp2"):
            assert said in run("export", report), report
        counts = json.loads(run("status", "--format", "json"))["sessions"]
        assert counts == json.loads(run("budget", "--format", "json"))["as_recorded"][
            "sessions"]
        assert counts["moved"] == moved_n and counts["total"] == 34
