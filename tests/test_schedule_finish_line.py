"""The schedule table's finish line: what co-production adds, in parts that add up.

Slow-down time after stages that run side by side overlaps in time, so the parts can come
to more than the finish moves (MINDS: 63 days after stages and a buffer of 15, for 67 days
added).  The line then says "(some side by side)".  Later stages that wait for a blocking
reflection checkpoint move the finish too, so the parts can come to less (MINDS before
anything happened: 63 and 19, for 100 days added); the line then says that waiting for the
checkpoints adds the rest.  Where the parts add up it says neither.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from coplan.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _finish_line(plan: str, today: str) -> str:
    shown = CliRunner().invoke(cli, ["schedule", str(ROOT / plan), "--today", today]).output
    line = " ".join(shown.split())
    return line[line.index("Finish:"):line.index("Critical path")]


# MINDS on the day its record runs to (its stages as they actually ran, some side by side),
# MINDS before anything had happened (later stages waiting for its reflection checkpoints),
# and a template whose parts add up.
CASES = [("examples/minds-discharge.toml", "2027-09-10"),
         ("examples/minds-discharge.toml", "2027-01-04"),
         ("templates/plans/research-study.toml", "2027-01-04")]


def test_overlapping_slow_down_is_said_to_be_side_by_side() -> None:
    seen = set()
    for plan, today in CASES:
        finish = _finish_line(plan, today)
        added, after_stages, *buffer = (int(n) for n in
                                        re.findall(r"(\d+) working days?", finish))
        overlap = after_stages + sum(buffer) > added
        short = after_stages + sum(buffer) < added
        assert ("(some side by side)" in finish) == overlap, finish
        assert ("waiting for reflection checkpoints adds the rest" in finish) == short, finish
        seen.add((overlap, short))
    assert seen == {(True, False), (False, True), (False, False)}, \
        "the examples no longer show every case"
