"""How long `coplan schedule --format json` takes as a whole process, beside TaskJuggler.

Run: .venv/bin/python benchmarks/bench_schedule.py [--runs N] [--sizes 100,1000,...]
Generates plans of 100, 1,000, 5,000 and 20,000 stages (random links, lags, holidays,
closures), times the whole process (median of several runs; Python start-up included)
and, where tj3 is installed, tj3 on the same plans (its .tjp written by coplan), and prints
a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import COPLAN, make_plan, table, time_process


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="100,1000,5000,20000")
    parser.add_argument("--tj3-max", type=int, default=5000,
                        help="largest plan to give tj3 (it is slow on large plans)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    tj3 = shutil.which("tj3")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in sizes:
            plan = make_plan(folder, n)
            links = plan.read_text().count('"s')
            ours, memory = time_process([*COPLAN, "schedule", str(plan), "--format", "json",
                                         "--no-slow-down"], args.runs)
            slow, _ = time_process([*COPLAN, "schedule", str(plan), "--format", "json"],
                                   args.runs)
            theirs = "-"
            ratio = "-"
            if tj3 and n <= args.tj3_max:
                tjp = folder / f"plan-{n}.tjp"
                subprocess.run([*COPLAN, "export", "tjp", str(plan), "-o", str(tjp),
                                "--no-slow-down"], check=True, capture_output=True)
                seconds, _ = time_process([tj3, "--no-color", "--silent", "-o", tmp, str(tjp)],
                                          max(1, min(args.runs, 3)), timeout=3600)
                theirs = f"{seconds:.2f}"
                ratio = f"{seconds / ours:.0f}x"
            rows.append([f"{n:,}", f"{links:,}", f"{ours:.3f}", f"{slow:.3f}", theirs, ratio,
                         f"{memory:.0f}"])
            print(f"{n} stages done", file=sys.stderr)
    print(table(["stages", "links (approx.)", "coplan plain (s)", "coplan with slow-down (s)",
                 "tj3 (s)", "tj3 / coplan", "coplan peak memory (MB)"], rows))


if __name__ == "__main__":
    main()
