"""Every read-only command on a small plan, beside ``coplan --help``, in CPU time.

Run: python benchmarks/bench_small.py [--runs N] [--before SRC] [--plan PLAN]

The issue-19 target for small plans: every read-only command on the MINDS example at most
1.5 times ``coplan --help``, and ``coplan --help`` at most 4 times ``python -c pass``.  Each
command is a whole process, measured in CPU time (user and system, from the operating
system's accounting of the finished child), the median of ``--runs`` runs taken in turns
with every other command (after two warm-up runs each), so a busy machine slows them all
alike; CPU time is steadier than the wall clock on a shared machine.  coplan runs as an
installed copy does, from compiled bytecode kept in a temporary folder, with its own cache
folder (filled by the warm-up runs) and without plugins installed beside it
(``COPLAN_PLUGINS=none``; ``--with-plugins`` looks for them, as a command does by
default).  With ``--before`` (the ``src`` folder of an earlier version:
``git archive <commit> src templates examples | tar -x -C /tmp/before``), that version runs
every command too, in the same turns, and each ratio is to its own ``--help``.

Every row is the same work on whatever day it is run: each command is run with
``SOURCE_DATE_EPOCH`` set to the day the example's delivery record runs to (``STORY``), the
day a command takes as today where it is not given ``--today`` (``coplan.clock``: the
schedule's dates from what happened, the export's date), and ``check`` is given that day
too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, time
from pathlib import Path

from common import ROOT, table

MINDS = ROOT / "examples" / "minds-discharge.toml"
DAY = "2027-06-01"  # status and the progress report as things stood on a fixed day
# The day the example's delivery record runs to: the review on an earlier day would point at
# each session recorded as held (CP-DEL-011), and change with the day the benchmark is run.
STORY = "2027-09-10"
# ``SOURCE_DATE_EPOCH`` of midnight (UTC) at the start of STORY: the day every command takes
# as today without ``--today``, so that no row depends on the day the benchmark is run.
STORY_EPOCH = str(int(datetime.combine(date.fromisoformat(STORY), time(), UTC).timestamp()))

COMMANDS: list[tuple[str, list[str]]] = [
    ("validate", ["validate", "{plan}"]),
    ("check", ["check", "--today", STORY, "{plan}"]),
    ("schedule", ["schedule", "{plan}"]),
    ("export csv", ["export", "csv", "{plan}"]),
    ("check --format json", ["check", "--format", "json", "--today", STORY, "{plan}"]),
    ("check --format sarif", ["check", "--format", "sarif", "--today", STORY, "{plan}"]),
    ("schedule --format json", ["schedule", "--format", "json", "{plan}"]),
    ("status", ["status", "--today", DAY, "{plan}"]),
    ("export ics", ["export", "ics", "{plan}"]),
    ("export mermaid", ["export", "mermaid", "{plan}"]),
    ("export protocol (Markdown)", ["export", "protocol", "{plan}"]),
    ("export progress (Markdown)", ["export", "progress", "--today", DAY, "{plan}"]),
]
TARGETS = {"validate", "check", "schedule", "export csv"}  # named in the issue


def cpu_ms(command: list[str], env: dict[str, str]) -> float:
    """CPU time (user + system) in milliseconds of one run of ``command``."""
    import resource  # POSIX only: this benchmark is for Linux and macOS

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env, timeout=600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n"
                         f"{result.stderr.decode(errors='replace')[-2000:]}")
    return 1000 * (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--before", type=Path, help="src folder of an earlier version")
    parser.add_argument("--plan", type=Path, default=MINDS)
    parser.add_argument("--with-plugins", action="store_true",
                        help="look for installed plugins, as a command does by default "
                             "(without it, COPLAN_PLUGINS=none)")
    parser.add_argument("--only", nargs="*", default=[],
                        help="only the commands whose names hold one of these words")
    args = parser.parse_args()
    base = {k: v for k, v in os.environ.items()
            if k not in ("PYTHONDONTWRITEBYTECODE", "COPLAN_PLUGINS")}
    if not args.with_plugins:
        base["COPLAN_PLUGINS"] = "none"
    base["SOURCE_DATE_EPOCH"] = STORY_EPOCH
    commands = [(label, words) for label, words in COMMANDS
                if not args.only or any(w in label for w in args.only)]
    versions = {"now": ROOT / "src"}
    if args.before is not None:
        versions["before"] = args.before.resolve()
    with tempfile.TemporaryDirectory(prefix="coplan-small-") as tmp:
        jobs: list[tuple[str, str, list[str], dict[str, str]]] = [
            ("", "python -c pass", [sys.executable, "-c", "pass"], dict(base))]
        for version, src in versions.items():
            env = {**base, "PYTHONPATH": str(src),
                   "PYTHONPYCACHEPREFIX": str(Path(tmp) / version / "bytecode"),
                   "COPLAN_CACHE_DIR": str(Path(tmp) / version / "cache")}
            coplan = [sys.executable, "-m", "coplan"]
            jobs.append((version, "--help", [*coplan, "--help"], env))
            for label, words in commands:
                jobs.append((version, label,
                             [*coplan, *(str(args.plan) if w == "{plan}" else w
                                         for w in words)], env))
        for _, _, command, env in jobs:  # warm-up: bytecode, caches
            cpu_ms(command, env)
            cpu_ms(command, env)
        times: dict[tuple[str, str], list[float]] = {(v, lab): [] for v, lab, _, _ in jobs}
        for _ in range(args.runs):
            for version, label, command, env in jobs:
                times[(version, label)].append(cpu_ms(command, env))
    median = {key: statistics.median(found) for key, found in times.items()}
    floor = median[("", "python -c pass")]
    rows = []
    for label in ["--help", *(lab for lab, _ in commands)]:
        row = [label]
        for version in ("before", "now"):
            if version not in versions:
                continue
            ms = median[(version, label)]
            ratio = ms / floor if label == "--help" else ms / median[(version, "--help")]
            row += [f"{ms:.1f}", f"{ratio:.2f}"]
        goal = "<= 4x pass" if label == "--help" else "<= 1.5x" if label in TARGETS else ""
        if goal:
            met = row[-1] and float(row[-1]) <= (4.0 if label == "--help" else 1.5)
            goal += " (met)" if met else " (not yet)"
        rows.append([*row, goal])
    headers = ["command"]
    for version in ("before", "now"):
        if version in versions:
            headers += [f"{version} (ms)", f"{version} ratio"]
    print(f"CPU time, median of {args.runs} runs in turns; python -c pass: {floor:.1f} ms; "
          "ratios to the same version's --help (--help: to python -c pass)")
    print(table([*headers, "goal"], rows))


if __name__ == "__main__":
    main()
