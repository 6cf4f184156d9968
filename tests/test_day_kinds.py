"""Every length in days a person reads says which kind of day it counts.

A plan counts its lengths in working days (``"2w"`` is ten of them in a five-day week), and
how far a finish moved, or how much time is left before a date, in calendar days.  Shown
side by side without their kind ("9 days later", "5 days to spare", "67 days for slowing
down") they read as the same unit and are not.  So no output says "N days" alone: it says
"N working days" or "N calendar days" (``durations.plain_days`` and ``calendar_days``).

The outputs read here: ``status``, ``schedule`` (the table and the stages in words),
``check`` and ``budget`` as text, the progress report and a stage's details in the app
(the app's status line is in its snapshots), for both examples as things stood on several
days, each with a baseline saved before the day (so every "later than the baseline" is
there to be read).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
DAYS = ["2027-03-01", "2027-09-10", "2027-11-15", "2028-09-01"]
# A number then "day" or "days" with no kind between: "9 days", "+9 days", "1,200 days".
BARE = re.compile(r"\b\d[\d,]*\s+days?\b")


def bare_days(text: str) -> list[str]:
    return [text[max(0, m.start() - 40):m.end() + 20] for m in BARE.finditer(text)]


def test_the_pattern_finds_a_bare_length_and_passes_a_kind() -> None:
    assert bare_days("Finish: 26 Jul 2028 (9 days later than the baseline)")
    assert bare_days("+12 days")
    assert not bare_days("9 calendar days later; 10 working days; 2 Sep 2027; day 3")


def _run(*args: str) -> str:
    done = CliRunner().invoke(cli, list(args), env={"COLUMNS": "200"})
    assert done.exit_code in (0, 1), done.output
    return done.output


@pytest.fixture(scope="module")
def late_plans(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The examples, each with a baseline saved early and a finish date it must keep, so
    that slippage and the margin are both shown."""
    out = []
    for path in EXAMPLES:
        copy = tmp_path_factory.mktemp(path.stem) / path.name
        copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        _run("baseline", "save", str(copy), "--today", "2027-01-04", "--replace")
        out.append(copy)
    return out


@pytest.mark.parametrize("day", DAYS)
def test_no_command_says_days_without_saying_which(late_plans: list[Path], day: str) -> None:
    found = []
    for path in late_plans:
        for command in (["status"], ["schedule"], ["check", "--no-summary"], ["check"],
                        ["budget"]):
            text = _run(*command, str(path), "--today", day)
            found += [(path.name, command[0], said) for said in bare_days(text)]
    assert found == []


@pytest.mark.parametrize("day", DAYS)
def test_the_progress_report_says_which_days(late_plans: list[Path], day: str) -> None:
    found = []
    for path in late_plans:
        text = _run("export", "progress", str(path), "--today", day, "-o", "-")
        found += [(path.name, said) for said in bare_days(text)]
    assert found == []


def test_the_apps_words_say_which_days(late_plans: list[Path]) -> None:
    """A stage's details: its finish against the baseline."""
    from rich.console import Console

    from coplan.planfile import load_plan
    from coplan.plugins import all_rules
    from coplan.session import derive
    from coplan.tui.widgets.stage_details import describe_stage

    found = []
    for path in late_plans:
        views = derive(load_plan(path), all_rules(), today=date(2027, 11, 15))
        for stage in views.plan.stages:
            console = Console(width=200, record=True)
            console.print(describe_stage(views, stage.id))
            found += [(path.name, stage.id, said)
                      for said in bare_days(console.export_text())]
    assert found == []
