"""An answer to what people agree together that says nothing is not yet agreed.

Found by trying the product as an ethics committee's reviewer: a hurried team wrote
``safeguarding = "N/A"``, ``rate = "Yes"``, ``decisions = "Standard."`` and
``induction = "As per trust policy."`` into a young people's plan, and ``coplan check
--strict`` passed it while the protocol printed "Safeguarding: N/A.".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.agreed import says_nothing, unmet, without_unmet
from coplan.cli import cli
from coplan.planfile import load_plan

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text", [
    "N/A", "n/a.", "NA", "Not applicable", "-", "...", "x", "?", "Yes", "yes.", "OK",
    "Standard.", "As standard", "As usual", "Standard practice", "the usual", "Default",
    "As per trust policy.", "As per policy", "Per our policy", "See protocol.",
    "See the protocol", "See above", "As above", "Same as before", "Various", "Etc.",
    "Unknown", "Don't know"])
def test_these_say_nothing(text: str) -> None:
    assert says_nothing(text)


@pytest.mark.parametrize("text", [
    "No", "None", "None: nobody asked for a buddy", "Monthly, online",
    "See the trust's lone working policy", "£25 an hour, as the NIHR rate",
    "By consensus in the management group", "Yes: a buddy for each new member", "TBC"])
def test_these_are_answers(text: str) -> None:
    """(TBC is a placeholder, found as one, not as an answer that says nothing)"""
    assert not says_nothing(text)


def _hurried(tmp_path: Path) -> Path:
    text = (ROOT / "templates" / "plans" / "young-people-families.toml").read_text(
        encoding="utf-8")
    lines = []
    for line in text.splitlines():
        key = line.split("=", 1)[0].strip()
        if key in ("safeguarding", "decisions", "induction") and line.rstrip().endswith('"'):
            line = f'{key} = "' + {"safeguarding": "N/A", "decisions": "Standard.",
                                   "induction": "As per trust policy."}[key] + '"'
        lines.append(line)
    path = tmp_path / "hurried.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_hurried_teams_answers_are_found_and_left_out_of_the_protocol(
        tmp_path: Path) -> None:
    path = _hurried(tmp_path)
    plan = load_plan(path)
    filler = {(u.where, u.key) for u in unmet(plan) if u.why == "filler"}
    assert {(("support",), "safeguarding"), (("governance",), "decisions"),
            (("support",), "induction")} <= filler
    agreed = without_unmet(plan)
    assert agreed.support.safeguarding == "" and agreed.governance.decisions == ""
    result = CliRunner().invoke(cli, ["check", str(path), "--today", "2027-01-10",
                                      "--strict"])
    assert result.exit_code == 1, result.output
    assert "says nothing a reader could act on" in result.output
    assert "As per trust policy" not in result.output, "the message names no value"
