"""The schedule table's finish line: what co-production adds, in parts that add up.

Slow-down time after stages that run side by side overlaps in time, so the parts can come
to more than the finish moves (MINDS: 63 days after stages and a buffer of 15, for 67 days
added).  The line then says "(some side by side)"; where the parts do add up it does not.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from coplan.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def test_overlapping_slow_down_is_said_to_be_side_by_side() -> None:
    seen = set()
    for plan in ("examples/minds-discharge.toml", "templates/plans/research-study.toml"):
        shown = CliRunner().invoke(cli, ["schedule", str(ROOT / plan),
                                         "--today", "2027-01-04"]).output
        line = " ".join(shown.split())
        finish = line[line.index("Finish:"):line.index("Critical path")]
        added, after_stages, *buffer = (int(n) for n in
                                        re.findall(r"(\d+) working days?", finish))
        overlap = after_stages + sum(buffer) > added
        assert ("(some side by side)" in finish) == overlap, finish
        seen.add(overlap)
    assert seen == {True, False}, "the examples no longer show both cases"
