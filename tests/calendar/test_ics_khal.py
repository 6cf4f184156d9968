"""The calendars read by khal, a calendar program people use in a terminal: every session,
meeting and reflection checkpoint of the schedule is in it once, on its day and at its time
(khal works out the meetings' repeats, the days left out, and the time zone itself), and
nothing else is."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import need
from coplan.cli import cli

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2027-09-10"
CASES = [("minds-discharge", "team"), ("minds-discharge", "sam"),
         ("teaching-workshop", "team"), ("teaching-workshop", "lived-experience")]


def _khal(tmp_path: Path, ics: Path) -> list[tuple[str, str, str]]:
    khal = need("khal")
    cal = tmp_path / "khal-calendar"
    cal.mkdir()
    conf = tmp_path / "khal.conf"
    conf.write_text(f"""[calendars]
[[plan]]
path = {cal}
type = calendar
[sqlite]
path = {tmp_path / "khal.db"}
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
default_timezone = Europe/London
local_timezone = Europe/London
""", encoding="utf-8")
    run = [khal, "-c", str(conf)]
    done = subprocess.run([*run, "import", "--batch", "-a", "plan", str(ics)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    listed = subprocess.run([*run, "list", "--format", "{start-date}\t{start-time}\t{title}",
                             "--day-format", "", "2026-01-01", "2030-12-31"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert listed.returncode == 0, listed.stderr
    return sorted(tuple(line.split("\t", 2)) for line in listed.stdout.splitlines()  # type: ignore[misc]
                  if line.strip())


def _expected(plan: Path, audience: str) -> list[tuple[str, str, str]]:
    """The schedule's sessions, meetings and checkpoints, as ``coplan schedule`` gives
    them for the whole team (a checkpoint is a day, with its time suggested in words)."""
    result = CliRunner().invoke(cli, ["schedule", str(plan), "--format", "json",
                                      "--today", TODAY])
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)["items"]
    out = []
    for item in items:
        if item["kind"] not in ("session", "meeting", "checkpoint"):
            continue
        time = "" if item["kind"] == "checkpoint" else item["time"]
        title = item["title"]
        if item.get("status") == "cancelled":
            title = f"Cancelled: {title}"
        out.append((item["start"], time, title))
    return sorted(out)


@pytest.mark.external
@pytest.mark.parametrize(("example", "audience"), CASES)
def test_khal_reads_every_event_on_its_day_and_time(tmp_path: Path, example: str,
                                                    audience: str) -> None:
    plan = ROOT / "examples" / f"{example}.toml"
    ics = tmp_path / "plan.ics"
    result = CliRunner().invoke(cli, ["export", "ics", str(plan), "--audience", audience,
                                      "-o", str(ics), "--today", TODAY])
    assert result.exit_code == 0, result.output
    read = _khal(tmp_path, ics)
    expected = _expected(plan, audience)
    if audience == "team":
        assert read == expected
    else:  # a person's or a group's calendar: theirs, each as the team's says it
        assert read and set(read) <= set(expected), sorted(set(read) - set(expected))[:5]
