"""Two versions of coplan side by side: the same commands, run alternately, in one run.

Used to show that a change did not make coplan slower (the figures go in
docs/performance.md).  The other version is any folder holding a ``coplan`` package, such
as a ``git worktree`` of an earlier commit:

    git worktree add --detach /tmp/coplan-before <commit>
    python benchmarks/bench_compare.py --before /tmp/coplan-before/src --runs 7

Each command runs as a whole process with ``PYTHONPATH`` pointing at one version, the two
versions taking turns so that a busy machine slows both alike; the table gives the median
of each and their ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, make_plan, table

MINDS = ROOT / "examples" / "minds-discharge.toml"


def run(src: Path, args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1",
           "COPLAN_PLUGINS": "none"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "coplan", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=900)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"coplan {' '.join(args)} failed with {src}:\n"
                         f"{result.stderr.decode()[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True,
                        help="the src folder of the version to compare with")
    parser.add_argument("--after", type=Path, default=ROOT / "src")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stages", type=int, nargs="*", default=[1000, 5000])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="coplan-bench-"))
    cases: list[tuple[str, list[str]]] = [("coplan --help", ["--help"])]
    for name, plan in [("MINDS", MINDS), *((f"{n:,} stages", make_plan(folder, n))
                                          for n in args.stages)]:
        cases += [(f"validate, {name}", ["validate", str(plan)]),
                  (f"check --format json, {name}", ["check", "--format", "json", str(plan)]),
                  (f"schedule --format json, {name}",
                   ["schedule", "--format", "json", str(plan)])]
    rows = []
    for label, command in cases:
        before: list[float] = []
        after: list[float] = []
        run(args.before, command)  # warm the file cache and the holiday cache
        run(args.after, command)
        for _ in range(args.runs):
            before.append(run(args.before, command))
            after.append(run(args.after, command))
        b, a = statistics.median(before), statistics.median(after)
        rows.append([label, f"{b:.3f}", f"{a:.3f}", f"{a / b:.2f}"])
        print(f"{label}: before {b:.3f} s, after {a:.3f} s", file=sys.stderr)
    print(table(["command (whole process)", "before (s)", "after (s)", "after / before"],
                rows))


if __name__ == "__main__":
    main()
