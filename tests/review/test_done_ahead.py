"""What the plan records as agreed or done on a day still to come (CP-META-006), beside
what the record does (CP-DEL-011): checked on a day before the example's story, both say
it in one finding, and both name the one ``--today`` that reviews the plan as of its day
(found reading the change again: the first said 2027-07-27 and the second 2027-09-10, and
following the first left the second standing)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from coplan.planfile import load_plan
from coplan.plugins import all_rules
from coplan.review import review

MINDS = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"


def test_both_findings_name_the_same_day_to_review_as_of() -> None:
    report = review(load_plan(MINDS), registry=all_rules(), today=date(2026, 12, 6))
    said = {f.rule: f.message for f in report.findings
            if f.rule in ("CP-META-006", "CP-DEL-011")}
    assert set(said) == {"CP-META-006", "CP-DEL-011"}, said
    days = {rule: re.findall(r"--today (\S+)\.", message) for rule, message in said.items()}
    assert days["CP-META-006"] == days["CP-DEL-011"] == ["2027-09-10"], days
    # (its own span is still its own: the plan's agreements run to 27 Jul 2027)
    assert "from 07 Dec 2026 to 27 Jul 2027" in said["CP-META-006"]


def test_reviewed_as_of_that_day_neither_finds_anything() -> None:
    report = review(load_plan(MINDS), registry=all_rules(), today=date(2027, 9, 10))
    assert not [f for f in report.findings if f.rule in ("CP-META-006", "CP-DEL-011")]
