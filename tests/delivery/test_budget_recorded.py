"""`coplan budget` once sessions are recorded: the budget as planned beside what the
delivery record says, in every format, naming no one.

Worked by hand from test_costs' small plan: the first aims session held with Sam only
(of the lived-experience members), the second cancelled with a late-cancellation fee
of £20 paid to Sam; the writing session not recorded yet (priced as planned)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.delivery.test_costs import PLAN

from coplan.cli import cli

RECORDS = '''
  [[stage.touchpoint.record]]
  session = 1
  status = "held"
  attended = ["sam", "kit"]

  [[stage.touchpoint.record]]
  session = 2
  status = "cancelled"
  why = "The room flooded the night before."
'''

PAID = '''
[[paid]]
who = "sam"
for = "aims-1"
session = 2
paid = 2027-01-25
amount = 20
note = "Cancelled late: the fee we agreed."
'''

TODAY = "2027-02-01"


def recorded_plan(tmp_path: Path) -> Path:
    text = PLAN.replace('  when = ["start", "+1w"]\n', '  when = ["start", "+1w"]\n' + RECORDS,
                        1) + PAID
    assert RECORDS in text
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def budget(path: Path, *args: str) -> str:
    done = CliRunner().invoke(cli, ["budget", str(path), "--today", TODAY, *args])
    assert done.exit_code == 0, done.output
    return done.output


def test_without_a_record_the_budget_is_the_plan_alone(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    assert "As the delivery record says" not in budget(path)
    assert json.loads(budget(path, "--format", "json"))["as_recorded"] is None
    rows = list(csv.reader(io.StringIO(budget(path, "--format", "csv"))))
    assert rows[0] == ["item", "amount (GBP)"]


def test_json_says_what_the_record_costs(tmp_path: Path) -> None:
    data = json.loads(budget(recorded_plan(tmp_path), "--format", "json"))
    recorded = data["as_recorded"]
    assert recorded["today"] == TODAY
    assert recorded["sessions"] == {"total": 3, "held": 1, "moved": 0, "cancelled": 1,
                                    "not_recorded": 1}
    lines = {line["item"]: line["amount"] for line in recorded["lines"]}
    # Session 1, Sam only: 4 paid hours at £20, childcare for 3 hours at £8, travel £10;
    # session 2: only the fee the ledger records; the writing session as planned: 2.25
    # hours at £20 and childcare for 1.5 hours.
    assert lines == {"Fees for time (stage: Aims)": 80.0, "Childcare (stage: Aims)": 24.0,
                     "Travel (stage: Aims)": 10.0,
                     "Fees paid for sessions cancelled (stage: Aims)": 20.0,
                     "Fees for time (stage: Write)": 45.0, "Childcare (stage: Write)": 12.0}
    assert recorded["total"] == sum(lines.values()) == 191.0
    assert recorded["fees"] == 145.0 and recorded["expenses"] == 46.0
    assert data["total"] > recorded["total"], "the plan as written prices both sessions"


def test_text_shows_planned_beside_recorded(tmp_path: Path) -> None:
    out = budget(recorded_plan(tmp_path))
    assert "As the delivery record says on 01 Feb 2027: 1 session held of 3 planned; 0 " \
           "sessions moved and 1 cancelled; 1 not recorded yet (priced as planned)." in \
        " ".join(out.split())
    rows = {line.split("  ")[1].strip(): line.split()[-2:] for line in out.splitlines()
            if line.startswith("  ") and line.count("£") == 2}
    assert rows["Fees paid for sessions cancelled (stage: Aims)"] == ["£0.00", "£20.00"]
    assert rows["Total"][1] == "£191.00"
    assert "Fees for time (stage: Write)" not in rows, "unchanged lines are not repeated"


def test_csv_has_a_column_for_each(tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(budget(recorded_plan(tmp_path), "--format", "csv"))))
    assert rows[0] == ["item", "planned (GBP)", "as recorded on 2027-02-01 (GBP)"]
    body = {row[0]: row[1:] for row in rows[1:]}
    assert body["Fees paid for sessions cancelled (stage: Aims)"] == ["0.00", "20.00"]
    assert body["Total"][1] == "191.00"
    assert body["Funded"] == ["400.00", "400.00"]  # (the lines for fees and expenses)


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_the_budget_names_no_one(tmp_path: Path, fmt: str) -> None:
    out = budget(recorded_plan(tmp_path), "--format", fmt)
    for word in ("sam", "Sam", "kit", "flooded", "agreed"):
        assert word not in out
