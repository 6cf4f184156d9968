"""Where a running project stands: overdue feedback and payments, what is owed, the finish
re-planned from what actually happened, and slippage against a saved baseline."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from coplan.cli import cli
from coplan.delivery import status
from coplan.planfile import load_plan, parse_plan
from coplan.schedule import schedule

BASE = """
[project]
title = "Running"
start = 2027-01-11

[[person]]
id = "sam"
kind = "lived-experience"
payment = "hourly"
benefits_advice = "offered"
benefits_advice_on = 2027-01-05

[[person]]
id = "jo"
kind = "carer"
payment = "hourly"
benefits_advice = "not-yet"

[[stage]]
id = "aims"
title = "Aims"
duration = "2w"
started = 2027-01-11
finished = 2027-02-05

  [[stage.touchpoint]]
  id = "aims-1"
  title = "Aims workshop"
  who = ["sam", "jo"]
  length = "2h"
  feedback_within = "1w"

    [[stage.touchpoint.record]]
    session = 1
    status = "held"
    on = 2027-01-12
    attended = ["sam", "jo"]
    feedback_sent = 2027-01-15

[[stage]]
id = "write"
title = "Write"
duration = "2w"
after = ["aims"]

  [[stage.touchpoint]]
  id = "write-1"
  title = "Writing together"
  who = ["sam", "jo"]
  length = "2h"
  feedback_within = "1w"

    [[stage.touchpoint.record]]
    session = 1
    status = "held"
    on = 2027-02-10
    attended = ["sam"]

[payment]
within = "2w"

  [[payment.rates]]
  amount = 25
  per = "hour"

[[paid]]
who = "sam"
for = "aims-1"
session = 1
claimed = 2027-01-12
paid = 2027-01-20
amount = 50

[[paid]]
who = "jo"
for = "aims-1"
session = 1
paid = 2027-02-25
amount = 50
"""


def test_overdue_feedback_and_payment_on_a_given_day() -> None:
    plan = parse_plan(BASE)
    found = status(plan, schedule(plan, today=date(2027, 3, 15)), date(2027, 3, 15))
    kinds = {(o.kind, o.touchpoint, o.person, o.due) for o in found.overdue}
    # write-1 was held on Wed 10 Feb; feedback was due a working week later, never sent
    assert ("feedback", "write-1", "", date(2027, 2, 17)) in kinds
    # sam came and was not paid; payment was due two working weeks after the session
    assert ("payment", "write-1", "sam", date(2027, 2, 24)) in kinds
    # jo did not come to write-1: nothing is owed to jo for it
    assert not any(o.person == "jo" and o.touchpoint == "write-1" for o in found.overdue)
    # jo was paid with no benefits advice offered first; sam was offered it before
    assert ("benefits-advice", "", "jo", date(2027, 2, 25)) in kinds
    assert not any(o.kind == "benefits-advice" and o.person == "sam" for o in found.overdue)
    assert found.owed == {"sam": 50.0}
    # aims-1: held 12 Jan; sam paid 20 Jan (6 working days), jo paid 25 Feb (32)
    assert sorted(found.days_to_pay) == [6, 32]


def test_nothing_is_overdue_before_its_day() -> None:
    plan = parse_plan(BASE)
    day = date(2027, 2, 16)
    found = status(plan, schedule(plan, today=day), day)
    assert not [o for o in found.overdue if o.kind in ("feedback", "payment")
                and o.touchpoint == "write-1"]


def test_status_json_is_the_documented_contract(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["status", str(path), "--today", "2027-03-15",
                                      "--format", "json"])
    assert result.exit_code == 1  # something is overdue
    data = json.loads(result.output)
    assert data["today"] == "2027-03-15"
    assert data["baseline_finish"] is None
    assert {"today", "finish", "baseline_finish", "overdue"} <= set(data)
    kinds = {item["kind"] for item in data["overdue"]}
    assert {"feedback", "payment"} <= kinds
    for item in data["overdue"]:
        assert date.fromisoformat(item["due"])
        assert item.get("touchpoint") or item.get("person") or item.get("checkpoint")


def test_the_finish_is_re_planned_from_what_happened() -> None:
    plan = parse_plan(BASE)
    planned = schedule(plan)
    assert planned.stages["aims"].end == date(2027, 1, 22)
    # aims actually finished on 5 Feb: write (and the finish) move with it
    actual = schedule(plan, today=date(2027, 2, 8))
    assert actual.stages["aims"].end == date(2027, 2, 5)
    assert actual.stages["write"].start > planned.stages["write"].start
    assert actual.finish > planned.finish


def test_a_stage_not_started_cannot_start_before_today() -> None:
    plan = parse_plan(BASE.replace("finished = 2027-02-05\n", ""))
    day = date(2027, 3, 1)
    found = schedule(plan, today=day)
    # aims started and is not finished: it runs on past today; write follows it
    assert found.stages["aims"].end >= day
    assert found.stages["write"].start > day



def test_a_done_stage_has_its_real_dates_no_float_and_is_not_critical() -> None:
    """A stage finished is behind us: its late dates are its real ones, it has no float
    (negative float before the project began was shown), and it is off the critical path,
    which runs from the work still to do."""
    plan = parse_plan(BASE.replace('[[stage]]\nid = "write"', LATER + '[[stage]]\nid = "write"'))
    found = schedule(plan, today=date(2027, 2, 8))
    aims = found.stages["aims"]
    assert (aims.late_start, aims.late_finish) == (aims.start, aims.end)
    assert (aims.total_float, aims.free_float, aims.critical) == (0, 0, False)
    assert found.critical_path and "aims" not in found.critical_path
    assert found.critical_path[-1] == "write"
    # A stage under way began when it did: any float it has is at its end.
    going = schedule(parse_plan(BASE.replace("finished = 2027-02-05\n", "").replace(
        "[[stage]]\nid = \"write\"", LATER + "[[stage]]\nid = \"write\"")),
        today=date(2027, 3, 1))
    timing = going.stages["aims"]
    assert timing.total_float == (going.calendar.index(timing.late_finish)
                                  - going.calendar.index(timing.end))
    assert timing.late_start >= timing.start


LATER = """[[stage]]
id = "side"
title = "A short side stage"
duration = "1d"
after = ["aims"]

"""


def test_every_command_dates_a_running_project_from_the_same_day(tmp_path: Path) -> None:
    """schedule, status, check, budget and the exports all take one day (--today, else
    SOURCE_DATE_EPOCH's, else the clock's): the same file shows the same finish in each."""
    import os
    from datetime import UTC, datetime

    path = tmp_path / "plan.toml"
    path.write_text(BASE, encoding="utf-8")
    runner = CliRunner()
    env = {"SOURCE_DATE_EPOCH": str(int(datetime(2027, 2, 8, tzinfo=UTC).timestamp()))}
    assert os.environ.get("SOURCE_DATE_EPOCH") != env["SOURCE_DATE_EPOCH"]
    as_of = schedule(parse_plan(BASE), today=date(2027, 2, 8))
    planned = schedule(parse_plan(BASE))
    expected = as_of.finish
    assert expected != planned.finish, "the record moves the finish"

    def finish(*args: str) -> str:
        done = runner.invoke(cli, [*args], env=env)
        assert done.exit_code in (0, 1), done.output
        return done.output

    sched = json.loads(finish("schedule", str(path), "--format", "json"))
    assert sched["finish"] == expected.isoformat()
    assert sched["today"] is None  # where each stage stands is shown only when asked
    assert json.loads(finish("status", str(path), "--format", "json"))["finish"] == \
        expected.isoformat()
    # The calendar's session of the second stage is on its day as of then, not as planned.
    ics = finish("export", "ics", str(path), "--no-state", "--include", "sessions")
    session = next(x for x in as_of.sessions if x.touchpoint.id == "write-1")
    was = next(x for x in planned.sessions if x.touchpoint.id == "write-1")
    assert session.day != was.day
    assert f"DTSTART;TZID=Europe/London:{session.day:%Y%m%d}T" in ics, ics
    # Given --today, it wins over the environment.
    later = json.loads(finish("schedule", str(path), "--format", "json", "--today",
                              "2027-03-01"))
    assert later["finish"] == schedule(parse_plan(BASE), today=date(2027, 3, 1)) \
        .finish.isoformat()
    assert later["today"] == "2027-03-01"


def test_baseline_save_then_slippage(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    before = BASE.replace("started = 2027-01-11\nfinished = 2027-02-05\n", "")
    path.write_text(before, encoding="utf-8")
    result = CliRunner().invoke(cli, ["baseline", "save", str(path), "--today", "2027-01-08"])
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith(before)  # everything already there is kept as it was
    plan = load_plan(path)
    assert plan.baseline.saved == date(2027, 1, 8)
    assert [b.stage for b in plan.baseline.stages] == ["aims", "write"]
    planned_finish = plan.baseline.finish
    # Then aims runs late
    path.write_text(text.replace('duration = "2w"\n', 'duration = "2w"\nstarted = 2027-01-11\n'
                                 'finished = 2027-02-05\n', 1), encoding="utf-8")
    late = load_plan(path)
    found = status(late, schedule(late, today=date(2027, 2, 8)), date(2027, 2, 8))
    assert found.baseline_finish == planned_finish
    assert found.finish > planned_finish
    aims = next(s for s in found.stages if s.stage.id == "aims")
    assert aims.state == "done"
    assert aims.slipped_days == (date(2027, 2, 5) - date(2027, 1, 22)).days
    # Saving again is refused unasked, saying what is there; --replace replaces it, saying
    # what it replaced.
    current = path.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["baseline", "save", str(path), "--today", "2027-02-08"])
    assert result.exit_code == 64
    assert "already has a baseline (saved on 08 Jan 2027, 2 stages, finishing" in \
        " ".join(result.output.split())
    assert "--replace" in result.output
    assert path.read_text(encoding="utf-8") == current
    result = CliRunner().invoke(cli, ["baseline", "save", str(path), "--today", "2027-02-08",
                                      "--replace"])
    assert result.exit_code == 0
    assert f"It replaces the earlier one (saved on 08 Jan 2027, 2 stages, finishing " \
           f"{planned_finish:%d %b %Y})." in " ".join(result.output.split())
    again = path.read_text(encoding="utf-8")
    assert again.count("[baseline]") == 1 and again.count("[[baseline.stage]]") == 2
    assert load_plan(path).baseline.finish == found.finish


def test_an_unusable_source_date_epoch_is_left_aside(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Words, or seconds past what a computer's clock can hold, are ignored as an unset
    SOURCE_DATE_EPOCH is (the clock's day), never a crash."""
    from coplan.clock import moment_from_environment, today

    for value in ("soon", "99999999999999999", "-5"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        assert moment_from_environment() is None
        assert today() == date.today()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999999")
    minds = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"
    result = CliRunner().invoke(cli, ["schedule", str(minds), "--format", "json"])
    assert result.exit_code == 0, result.output
