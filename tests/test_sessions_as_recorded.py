"""Every output that shows a session's day shows it as the delivery record says, as things
stood on the day it is written (``delivery.as_recorded``, in one place: ``run_export`` for
every exporter, a plugin's included, and ``coplan schedule``): a session moved is on its
new day and says where it moved from, one cancelled says so, and a session recorded as held
on a day after that day is as planned, since it had not happened yet.

And every command and export that depends on the day takes ``--today``, the same way.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.delivery import as_recorded
from coplan.export.contract import Exporter, Format, Options, run_export
from coplan.model import Plan
from coplan.planfile import parse_plan
from coplan.plugins import all_exporters
from coplan.schedule import Schedule, Session, schedule

PLAN = """\
[project]
title = "Getting home"
start = 2027-03-01
aim = "People who have left a ward shape how discharge works."

[[person]]
id = "ana"
name = "Ana"
kind = "lived-experience"
share_name = true

[[person]]
id = "kit"
name = "Kit"
kind = "researcher"
share_name = true

[[stage]]
id = "listen"
title = "Listening"
duration = "12w"

  [[stage.touchpoint]]
  id = "drop-in"
  title = "Drop-in"
  format = "workshop"
  ladder = "co-design"
  role = "partner"
  who = ["ana", "kit"]
  when = [2027-03-10, 2027-03-17, 2027-03-24, 2027-03-31]
  time = "10:00"

    [[stage.touchpoint.record]]
    session = 1
    status = "moved"
    on = 2027-04-07
    why = "Ana was unwell"

    [[stage.touchpoint.record]]
    session = 2
    status = "cancelled"
    why = "the venue flooded"

    [[stage.touchpoint.record]]
    session = 3
    status = "held"
    on = 2027-03-26
    attended = ["ana", "kit"]
"""

TODAY = date(2027, 4, 1)
EARLY = date(2027, 3, 20)  # before session 3 was held, on the 26th


def _rows(data: str) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in csv.DictReader(io.StringIO(data.lstrip("\ufeff")))
            if row["kind"] == "session"}


def _plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def _run(*argv: str) -> str:
    result = CliRunner().invoke(cli, list(argv), catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_as_recorded_puts_each_session_where_the_record_says() -> None:
    plan = parse_plan(PLAN)
    planned = schedule(plan, today=TODAY)
    sessions = {s.number: s for s in as_recorded(planned, TODAY).sessions}
    assert (sessions[1].day, sessions[1].status, sessions[1].planned_day) == \
        (date(2027, 4, 7), "moved", date(2027, 3, 10))
    assert (sessions[2].day, sessions[2].status, sessions[2].planned_day) == \
        (date(2027, 3, 17), "cancelled", None)
    assert (sessions[3].day, sessions[3].status, sessions[3].planned_day) == \
        (date(2027, 3, 26), "held", date(2027, 3, 24))
    assert (sessions[4].day, sessions[4].status) == (date(2027, 3, 31), "planned")
    recorded = as_recorded(planned, TODAY)
    assert [s.day for s in recorded.sessions] == sorted(s.day for s in recorded.sessions)
    # Seen from before session 3 was held, it had not happened: as planned.
    early = {s.number: s for s in as_recorded(planned, EARLY).sessions}
    assert (early[3].day, early[3].status, early[3].planned_day) == \
        (date(2027, 3, 24), "planned", None)
    assert early[1].status == "moved"  # (a decision about a later day is known before it)
    # Once is enough, and asked again as of another day it starts from the plan.
    assert as_recorded(recorded, TODAY) is recorded
    assert as_recorded(recorded, EARLY).sessions == as_recorded(planned, EARLY).sessions
    # The schedule itself is as planned: the review and the app read it so.
    assert [s.status for s in planned.sessions] == ["planned"] * 4


@pytest.mark.parametrize(("command", "options"), [
    (["schedule"], ["--format", "json"]), (["schedule"], ["--format", "csv"]),
    (["export", "csv"], []), (["export", "csv"], ["--no-slow-down"])])
def test_the_schedule_as_data_follows_the_record(command: list[str], options: list[str],
                                                 tmp_path: Path) -> None:
    path = _plan_file(tmp_path)
    text = _run(*command, str(path), *options, "--today", TODAY.isoformat())
    if "json" in options:
        rows = {r["id"]: {k: "" if v is None else str(v) for k, v in r.items()}
                for r in json.loads(text)["items"] if r["kind"] == "session"}
    else:
        rows = _rows(text)
    assert (rows["drop-in.1"]["start"], rows["drop-in.1"]["status"],
            rows["drop-in.1"]["planned_day"]) == ("2027-04-07", "moved", "2027-03-10")
    assert (rows["drop-in.2"]["start"], rows["drop-in.2"]["status"]) == \
        ("2027-03-17", "cancelled")
    assert (rows["drop-in.3"]["start"], rows["drop-in.3"]["status"],
            rows["drop-in.3"]["planned_day"]) == ("2027-03-26", "held", "2027-03-24")
    assert rows["drop-in.4"]["status"] == "planned"
    assert list(rows)[-1] == "drop-in.1"  # (in order of the days they are on)
    early = _run(*command, str(path), *options, "--today", EARLY.isoformat())
    held = (json.loads(early)["items"] if "json" in options else
            list(csv.DictReader(io.StringIO(early))))
    third = next(r for r in held if r["id"] == "drop-in.3")
    assert (third["start"], third["status"]) == ("2027-03-24", "planned")


def test_the_protocol_says_which_sessions_moved_or_were_cancelled(tmp_path: Path) -> None:
    path = _plan_file(tmp_path)
    for plain in ((), ("--plain",)):
        text = _run("export", "protocol", str(path), "--format", "md", "--today",
                    TODAY.isoformat(), *plain)
        assert ("17 March 2027 (cancelled); 26 March 2027 (moved from 24 March 2027); "
                "31 March 2027; 7 April 2027 (moved from 10 March 2027)") in text
        assert "unwell" not in text and "flooded" not in text


def test_the_calendar_takes_its_day_from_today(tmp_path: Path) -> None:
    path = _plan_file(tmp_path)
    argv = ["export", "ics", str(path), "--no-state", "--stamp", "2027-03-01T09:00"]
    early = _run(*argv, "--today", EARLY.isoformat())
    later = _run(*argv, "--today", TODAY.isoformat())
    assert "DTSTART;TZID=Europe/London:20270324T100000" in early.replace("\r\n ", "")
    assert "DTSTART;TZID=Europe/London:20270326T100000" in later.replace("\r\n ", "")
    # --today is the day SOURCE_DATE_EPOCH would give, and wins over it.
    epoch = str(int(datetime(2027, 3, 20, 12, tzinfo=UTC).timestamp()))
    result = CliRunner().invoke(cli, argv, env={"SOURCE_DATE_EPOCH": epoch})
    assert result.stdout == early
    result = CliRunner().invoke(cli, [*argv, "--today", TODAY.isoformat()],
                                env={"SOURCE_DATE_EPOCH": epoch})
    assert result.stdout == later


def test_a_plugin_exporter_is_given_the_sessions_as_recorded() -> None:
    seen: list[Session] = []

    def run(plan: Plan, sched: Schedule, options: Options) -> bytes:
        seen.extend(sched.sessions)
        assert options.today == TODAY
        return b""

    plugin = Exporter(name="sessions", title="Sessions", description="Every session.",
                      formats=(Format("txt", ".txt", "text/plain"),), run=run)
    plan = parse_plan(PLAN)
    run_export(plugin, plan, schedule(plan, today=TODAY), Options(today=TODAY))
    assert [(s.day, s.status) for s in seen] == [
        (date(2027, 3, 17), "cancelled"), (date(2027, 3, 26), "held"),
        (date(2027, 3, 31), "planned"), (date(2027, 4, 7), "moved")]


def _day_commands() -> list[tuple[str, click.Command]]:
    """Every command of coplan that depends on the day, exports included."""
    names = ["schedule", "status", "budget", "check", "edit", "demo", "new", "publish",
             "serve"]
    found = [(name, cli.commands[name]) for name in names]
    baseline = cli.commands["baseline"]
    assert isinstance(baseline, click.Group)
    found.append(("baseline save", baseline.commands["save"]))
    export = cli.commands["export"]
    assert isinstance(export, click.Group)
    ctx = click.Context(export)
    for name in export.list_commands(ctx):
        command = export.get_command(ctx, name)
        assert command is not None
        found.append((f"export {name}", command))
    return found


def test_every_command_that_depends_on_the_day_takes_today() -> None:
    commands = _day_commands()
    assert len(commands) >= 10 + len(list(all_exporters()))
    for name, command in commands:
        flags = {flag for param in command.params for flag in getattr(param, "opts", ())}
        assert "--today" in flags, name


def test_a_new_plan_starts_on_the_monday_after_today(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    result = CliRunner().invoke(cli, ["new", str(path), "--today", "2027-03-03"])
    assert result.exit_code == 0, result.output
    assert "start = 2027-03-08" in path.read_text(encoding="utf-8")


def test_serve_opens_every_coplan_on_the_day_given(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from coplan import serve as serving

    started: list[serving.Settings] = []
    monkeypatch.setattr(serving, "serve", started.append)
    path = _plan_file(tmp_path)
    result = CliRunner().invoke(cli, ["serve", str(path), "--today", "2027-03-03"])
    assert result.exit_code == 0, result.output
    assert started[0].argv[-1] == "--today=2027-03-03"
    assert started[0].argv[3] == "edit"
    wrong = CliRunner().invoke(cli, ["serve", str(path), "--today", "soon"])
    assert wrong.exit_code == 64 and "--today: 'soon' is not a date" in wrong.output
