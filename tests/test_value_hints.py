"""A value of the wrong kind gets a fix that says how to write it (file, line and fix are
the rule for every message): a date written day first is shown back in the plan's own
form with the day it would be, so the person can see whether it is the one they meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from coplan.errors import PlanError
from coplan.planfile import load_plan

PLAN = """\
[project]
title = "Hints"
start = 2027-01-11

[[person]]
id = "sam"
name = "Sam"
kind = "lived-experience"

[[stage]]
id = "aims"
title = "Agree the aims"
duration = "2w"
deadline = {deadline}

  [[stage.touchpoint]]
  format = "workshop"
  who = ["sam"]

    [[stage.touchpoint.record]]
    session = {session}
    on = 2027-01-12
"""


def _problem(tmp_path: Path, deadline: str = "2027-03-01", session: str = "1") -> tuple[
        int, str, str]:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN.format(deadline=deadline, session=session), encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(plan)
    (problem,) = caught.value.problems
    return problem.line, problem.message, problem.hint


@pytest.mark.parametrize(("written", "fix"), [
    ('"12/08/2027"', "write it year first, without quotes: deadline = 2027-08-12 if you mean "
                     "12 August 2027"),
    ('"1.3.2027"', "write it year first, without quotes: deadline = 2027-03-01 if you mean "
                   "1 March 2027"),
    ('"31/02/2027"', "write a date year first, without quotes, such as deadline = 2027-03-15"),
    ('"next week"', "write a date year first, without quotes, such as deadline = 2027-03-15"),
    ("12", "write a date year first, without quotes, such as deadline = 2027-03-15"),
])
def test_a_date_written_another_way_gets_a_fix(tmp_path: Path, written: str, fix: str) -> None:
    line, message, hint = _problem(tmp_path, deadline=written)
    assert line == 14
    assert message.startswith("'deadline' in stage 'aims' should be a date, not ")
    assert hint == fix


def test_a_number_in_quotes_gets_a_fix(tmp_path: Path) -> None:
    line, message, hint = _problem(tmp_path, session='"two"')
    assert line == 21
    assert "should be a whole number" in message
    assert hint == "write a number without quotes, such as session = 3"
