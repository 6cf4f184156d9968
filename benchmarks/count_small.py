"""Instructions of small plans' commands beside ``coplan --help``, counted by callgrind.

Run: python benchmarks/count_small.py [--before SRC] [--plan PLAN] [--only WORDS...]
     python benchmarks/count_small.py --steps [check|schedule] [--before SRC] [--plan PLAN]

CPU time on a shared machine moves by 2 to 3 ms between two runs of the same command, more
than most changes to start-up make; the number of instructions a process runs moves by
less than 0.1 million (about 15 us here).  So, as the sixth to ninth rounds did by hand,
this counts the instructions of whole processes with valgrind's callgrind, with
``PYTHONHASHSEED=0``, compiled bytecode in a folder of its own, a cache folder filled by
two runs of each command first (kept code, kept patterns), ``COPLAN_PLUGINS=none`` and
``SOURCE_DATE_EPOCH`` at the day the example's record runs to (as ``bench_small.py``).
Each ratio is to the same version's ``--help``.

``--steps`` counts ``check``'s steps (``--steps schedule``: ``schedule``'s, its table)
one by one in one process (the command's own body, written out here): a call of
``os.getppid`` between two steps, and callgrind writing its counts at each
(``--dump-before=os_getppid``).  Needs valgrind; takes about ten seconds a process.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_small import MINDS, STORY, STORY_EPOCH
from common import ROOT, table

COMMANDS: list[tuple[str, list[str]]] = [
    ("--help", ["-m", "coplan", "--help"]),
    ("validate", ["-m", "coplan", "validate", "{plan}"]),
    ("check", ["-m", "coplan", "check", "--today", STORY, "{plan}"]),
    ("schedule", ["-m", "coplan", "schedule", "{plan}"]),
    ("export csv", ["-m", "coplan", "export", "csv", "{plan}"]),
    ("check --format json", ["-m", "coplan", "check", "--format", "json", "--today", STORY,
                             "{plan}"]),
]

# check's steps (cli.check for one plan, its text report to a file), a marker between two.
STEPS = """\
import os, sys
mark = os.getppid
mark()
from coplan import cli
mark()
import gc
gc.set_threshold(cli._GC_YOUNG, *gc.get_threshold()[1:])
from coplan import codecache
codecache.install()
cli.one_command_process()
from pathlib import Path
mark()
from coplan.planfile import load_plan
mark()
from coplan.plugins import all_rules
from coplan.review import review
mark()
rules = all_rules()
from coplan.cli_common import as_of
day = as_of(sys.argv[2])
mark()
plan = load_plan(Path(sys.argv[1]))
mark()
from coplan.schedule import schedule
sched = schedule(plan, today=day)
mark()
report = review(plan, sched, registry=rules, select=[""], ignore=[""], today=day)
mark()
cli._check_plain(report, Path(sys.argv[3]), False, "")
mark()
codecache.save()
"""
STEP_NAMES = ["Python starting (and runpy)", "importing the command line (click)",
              "the collector's threshold, installing the kept code",
              "importing the loader and the model", "importing the review's engine",
              "gathering the rules (importing their modules)", "reading the plan",
              "scheduling it", "the review", "the text report (to a file)"]

# schedule's steps (cli._schedule for one plan, its table to a string), as for check.
SCHEDULE_STEPS = """\
import os, sys
mark = os.getppid
mark()
from coplan import cli
mark()
import gc
gc.set_threshold(cli._GC_YOUNG, *gc.get_threshold()[1:])
from coplan import codecache
codecache.install()
cli.one_command_process()
gc.disable()
from pathlib import Path
mark()
from coplan.planfile import load_plan
mark()
plan = load_plan(Path(sys.argv[1]))
mark()
from coplan.cli_common import as_of, make_schedule
on = as_of(None)
sched = make_schedule(plan, today=on)
mark()
try:
    from coplan.recorded import as_recorded
except ImportError:  # (before the eleventh round: in delivery)
    from coplan.delivery import as_recorded
from coplan.sharing import for_audience
try:  # (the narrow copy, as the command makes it: what the table reads)
    from coplan.export.reads import TABLE as reads
except ImportError:  # (before the twelfth round: the whole copy)
    reads = None
mark()
plan, sched = (for_audience(plan, sched) if reads is None
               else for_audience(plan, sched, reads=reads))
mark()
sched = as_recorded(sched, on)
mark()
from coplan.export.scheduletable import schedule_text
import io
text = schedule_text(sched, None, io.StringIO(), 120)
mark()
codecache.save()
"""
SCHEDULE_STEP_NAMES = ["Python starting (and runpy)", "importing the command line (click)",
                       "the collector's threshold, installing the kept code",
                       "importing the loader and the model", "reading the plan",
                       "scheduling it (with importing the scheduler)",
                       "importing the copy for others and the record",
                       "the copy for others (sharing.for_audience)",
                       "sessions as the record says (as_recorded)",
                       "the table (with importing it)"]


def _count(out: Path) -> float:
    """Millions of instructions in one file callgrind wrote."""
    for line in out.read_text(errors="replace").splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1]) / 1e6
    raise SystemExit(f"no count in {out}")


def _env(src: Path, tmp: Path, version: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "COPLAN_PLUGINS")}
    env.update(PYTHONHASHSEED="0", COPLAN_PLUGINS="none", SOURCE_DATE_EPOCH=STORY_EPOCH,
               PYTHONPATH=str(src), PYTHONPYCACHEPREFIX=str(tmp / version / "bytecode"),
               COPLAN_CACHE_DIR=str(tmp / version / "cache"))
    return env


def _run(command: list[str], env: dict[str, str], cwd: Path) -> None:
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                   cwd=cwd, timeout=600, check=False)


def _callgrind(command: list[str], env: dict[str, str], out: Path, *extra: str) -> None:
    result = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                             *extra, *command], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, cwd=out.parent, timeout=1200)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n"
                         f"{result.stderr.decode(errors='replace')[-2000:]}")


def count_commands(versions: dict[str, Path], plan: Path, only: list[str], tmp: Path) -> None:
    commands = [(label, [str(plan) if w == "{plan}" else w for w in words])
                for label, words in COMMANDS
                if label == "--help" or not only or any(w in label for w in only)]
    counts: dict[tuple[str, str], float] = {}
    floor_out = tmp / "pass.out"
    floor_env = _env(ROOT / "src", tmp, "pass")
    for _ in range(2):  # (the modules a .pth file imports, compiled into its folder)
        _run([sys.executable, "-c", "pass"], floor_env, tmp)
    _callgrind([sys.executable, "-c", "pass"], floor_env, floor_out)
    floor = _count(floor_out)
    for version, src in versions.items():
        env = _env(src, tmp, version)
        for _, words in commands:  # the cache folder filled as the commands fill it
            _run([sys.executable, *words], env, tmp)
            _run([sys.executable, *words], env, tmp)
        for label, words in commands:
            name = re.sub(r"\W+", "-", label)
            out = tmp / f"{version}-{name}.out"
            _callgrind([sys.executable, *words], env, out)
            counts[(version, label)] = _count(out)
    rows = []
    for label, _ in commands:
        row = [label]
        for version in versions:
            n = counts[(version, label)]
            base = floor if label == "--help" else counts[(version, "--help")]
            row += [f"{n:.1f}", f"{n / base:.3f}"]
        if len(versions) == 2:
            row.append(f"{counts[('before', label)] - counts[('now', label)]:.1f}")
        rows.append(row)
    headers = ["command"]
    for version in versions:
        headers += [f"{version} (millions)", f"{version} ratio"]
    if len(versions) == 2:
        headers.append("less")
    print(f"instructions of one run of each process, in millions; python -c pass: "
          f"{floor:.1f}; ratios to the same version's --help (--help: to python -c pass)")
    print(table(headers, rows))


def count_steps(versions: dict[str, Path], plan: Path, tmp: Path, which: str = "check") -> None:
    script = tmp / "steps.py"
    steps, step_names = (STEPS, STEP_NAMES) if which == "check" else \
        (SCHEDULE_STEPS, SCHEDULE_STEP_NAMES)
    script.write_text(steps, encoding="utf-8")
    found: dict[str, list[float]] = {}
    for version, src in versions.items():
        env = _env(src, tmp, version)
        command = [sys.executable, str(script), str(plan), STORY, str(tmp / "report.txt")]
        _run(command, env, tmp)
        _run(command, env, tmp)
        out = tmp / f"steps-{version}.out"
        _callgrind(command, env, out, "--dump-before=os_getppid")
        parts = sorted(tmp.glob(f"steps-{version}.out.*"), key=lambda p: int(p.suffix[1:]))
        found[version] = [_count(p) for p in parts]
    rows = []
    for i, name in enumerate(step_names):
        rows.append([name, *(f"{found[v][i]:.1f}" for v in versions)])
    rows.append(["in all (before the process ends)",
                 *(f"{sum(found[v][:len(step_names)]):.1f}" for v in versions)])
    print(f"{which}'s steps, millions of instructions each (one process, in turn)")
    print(table(["step", *versions], rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="src folder of an earlier version")
    parser.add_argument("--plan", type=Path, default=MINDS)
    parser.add_argument("--only", nargs="*", default=[],
                        help="only the commands whose names hold one of these words")
    parser.add_argument("--steps", nargs="?", const="check", choices=["check", "schedule"],
                        help="count the steps of check (the default) or of schedule")
    args = parser.parse_args()
    versions = {"now": ROOT / "src"}
    if args.before is not None:
        versions = {"before": args.before.resolve(), **versions}
    with tempfile.TemporaryDirectory(prefix="coplan-count-") as tmp:
        if args.steps:
            count_steps(versions, args.plan.resolve(), Path(tmp), args.steps)
        else:
            count_commands(versions, args.plan.resolve(), args.only, Path(tmp))


if __name__ == "__main__":
    main()
