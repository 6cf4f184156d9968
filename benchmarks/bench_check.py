"""How long `coplan check` takes as a whole process on generated plans.

Run: .venv/bin/python benchmarks/bench_check.py [--runs N] [--sizes 100,1000,5000]
Times `python -m coplan check PLAN --format json` (median of several runs, Python start-up
included; the first, cold run fills the holiday cache and is reported separately).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from common import COPLAN, make_plan, table, time_process


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="100,1000,5000")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COPLAN_CACHE_DIR"] = str(Path(tmp) / "cache")
        for n in (int(s) for s in args.sizes.split(",")):
            plan = make_plan(Path(tmp), n)
            command = [*COPLAN, "check", str(plan), "--format", "json"]
            cold, _ = time_process(command, 1)
            warm, memory = time_process(command, args.runs)
            text, _ = time_process([*COPLAN, "check", str(plan)], args.runs)
            rows.append([f"{n:,}", f"{cold:.3f}", f"{warm:.3f}", f"{text:.3f}", f"{memory:.0f}"])
    print(table(["stages", "first run (s)", "json (s)", "text report (s)", "peak memory (MB)"],
                rows))


if __name__ == "__main__":
    main()
