"""Every speed target of issue 19 as a side-by-side ratio (``make bench``).

Run: python benchmarks/bench_targets.py [--runs N] [--before SRC] [--only WORDS]

Each target compares two whole processes run in turns (after a warm-up run each), so a
busy machine slows both alike: coplan beside the floor (a minimal Python critical-path
script, ``floor_cpm.py``; a bare ``tomllib`` parse; ``python -c pass``), beside TaskJuggler
(``tj3``, where installed), or beside another coplan command.  With ``--before`` (the
``src`` folder of an earlier version, with its templates beside it for the protocol:
``git archive <commit> src templates examples | tar -x -C /tmp/before``, then
``--before /tmp/before/src``), coplan's side is also run by that version, in the same
turns, and the table shows both ratios.  coplan runs as an installed copy does, from
compiled bytecode (kept in a temporary folder; ``--source-only`` runs it from its
sources, compiling every module each time, as the first round measured).  Plans come
from ``common.py`` (generated, and the MINDS example copied to 10,000 stages).  The app's
targets are measured in-process by ``bench_tui.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from common import ROOT, as_installed, make_plan, minds_copies, paired, table

MINDS = ROOT / "examples" / "minds-discharge.toml"
# The day the MINDS example's delivery record runs to: reviewed on an earlier day, every
# session it records as held is dated later (CP-DEL-011), and what the review does would
# change with the day the benchmark is run.
STORY = "2027-09-10"
HERE = Path(__file__).resolve().parent
Command = tuple[list[str], "dict[str, str] | None"]


@dataclass
class Target:
    name: str
    subject: list[str]  # coplan's arguments (after ``coplan``)
    reference: list[str]  # a whole command, or coplan's arguments when ``coplan_ref``
    goal: str  # the target, in words
    limit: float  # subject / reference at most this (or reference / subject at least)
    coplan_ref: bool = False
    faster: bool = False  # the ratio is reference / subject ("n times faster than")
    memory: float | None = None  # the subject's peak memory at most this, in MiB


def targets(folder: Path, only: list[str], minds: Path | None = None) -> list[Target]:
    py = sys.executable
    floor = str(HERE / "floor_cpm.py")
    tj3 = _tj3()
    found: list[Target] = []
    plans = {n: make_plan(folder, n) for n in (1000, 5000, 10000, 20000)}
    minds10k = minds_copies(folder, 10000, minds)

    def schedule(n: int) -> list[str]:
        return ["schedule", str(plans[n]), "--format", "json", "--no-slow-down"]

    if tj3:
        for n, limit in ((1000, 10.0), (5000, 25.0)):
            tjp = folder / f"plan-{n}.tjp"
            _export_tjp(plans[n], tjp)
            found.append(Target(f"schedule, {n:,} stages, beside tj3", schedule(n),
                                [tj3, "--no-color", "--silent", "-o", str(folder), str(tjp)],
                                f">= {limit:g}x faster", limit, faster=True))
    for n in (1000, 20000):
        found.append(Target(f"schedule, {n:,} stages, beside the floor (floor_cpm.py)",
                            schedule(n), [py, floor, str(plans[n])], "<= 1.5x", 1.5))
    found += [
        Target("check, MINDS copied to 10k stages, beside validate",
               ["check", "--format", "json", "--today", STORY, str(minds10k)],
               ["validate", str(minds10k)],
               "<= 1.5x; <= 250 MiB", 1.5, coplan_ref=True, memory=250),
        Target("validate, MINDS copied to 10k stages, beside a bare tomllib parse",
               ["validate", str(minds10k)],
               [py, "-c", "import sys, tomllib; tomllib.load(open(sys.argv[1], 'rb'))",
                str(minds10k)], "<= 1.5x", 1.5),
        Target("check, text beside JSON, generated 10k plan", ["check", str(plans[10000])],
               ["check", "--format", "json", str(plans[10000])], "<= 1.3x", 1.3,
               coplan_ref=True),
        Target("protocol Markdown, 5k stages beside 1k",
               ["export", "protocol", str(plans[5000]), "-o", str(folder / "p5k.md")],
               ["export", "protocol", str(plans[1000]), "-o", str(folder / "p1k.md")],
               "<= 5.5x (linear)", 5.5, coplan_ref=True),
        Target("protocol DOCX beside Markdown, 1k stages",
               ["export", "protocol", str(plans[1000]), "-o", str(folder / "p1k.docx")],
               ["export", "protocol", str(plans[1000]), "-o", str(folder / "p1k.md")],
               "<= 3x; <= 150 MiB", 3.0, coplan_ref=True, memory=150),
    ]
    for label, args in (("validate", ["validate"]), ("check", ["check"]),
                        ("schedule", ["schedule"]), ("export csv", ["export", "csv"])):
        found.append(Target(f"{label}, MINDS, beside coplan --help", [*args, str(MINDS)],
                            ["--help"], "<= 1.5x", 1.5, coplan_ref=True))
    found.append(Target("coplan --help beside python -c pass", ["--help"],
                        [py, "-c", "pass"], "<= 4x", 4.0))
    return [t for t in found if not only or any(w.lower() in t.name.lower() for w in only)]


def _tj3() -> str | None:
    import shutil

    return shutil.which("tj3")


def _export_tjp(plan: Path, tjp: Path) -> None:
    import subprocess

    if not tjp.exists():
        subprocess.run([sys.executable, "-m", "coplan", "export", "tjp", str(plan), "-o",
                        str(tjp), "--no-slow-down"], check=True, capture_output=True,
                       env={**_env(ROOT / "src"), "PYTHONDONTWRITEBYTECODE": "1"})


def _env(src: Path) -> dict[str, str]:
    # Plugins installed beside coplan (the test suite's, in a development environment) are
    # left out: the targets are about coplan's own work.
    return {"PYTHONPATH": str(src), "COPLAN_PLUGINS": "none"}


def _sides(coplan: list[str], t: Target, env: dict[str, str]) -> list[Command]:
    """The target's two commands, coplan's run by the version ``env`` points at."""
    reference: Command = ([*coplan, *t.reference], env) if t.coplan_ref else (t.reference,
                                                                              None)
    return [([*coplan, *t.subject], env), reference]


def _ratio(t: Target, subject: float, reference: float) -> float:
    return reference / subject if t.faster else subject / reference


def _met(t: Target, ratio: float, peak: float) -> bool:
    ok = ratio >= t.limit if t.faster else ratio <= t.limit
    return ok and (t.memory is None or peak <= t.memory)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="src folder of an earlier version")
    parser.add_argument("--only", nargs="*", default=[],
                        help="run only the targets whose names hold one of these words")
    parser.add_argument("--minds", type=Path,
                        help="the MINDS example to copy to 10,000 stages (the earlier "
                             "version's, where this one's has keys it cannot read)")
    parser.add_argument("--source-only", action="store_true",
                        help="run coplan from its sources without compiled bytecode (as "
                             "the first round measured), not as an installed copy runs")
    args = parser.parse_args()
    coplan = [sys.executable, "-m", "coplan"]
    after = _env(ROOT / "src")
    rows = []
    with tempfile.TemporaryDirectory(prefix="coplan-targets-") as tmp:
        if not args.source_only:
            as_installed(Path(tmp))
        for t in targets(Path(tmp), args.only, args.minds):
            commands = _sides(coplan, t, after)
            if args.before is not None:
                commands += _sides(coplan, t, _env(args.before))
            found = paired(commands, args.runs)
            (subject, peak), (reference, ref_peak) = found[0], found[1]
            ratio = _ratio(t, subject, reference)
            row = [t.name, f"{subject:.3f} ({peak:.0f} MiB)",
                   f"{reference:.3f} ({ref_peak:.0f} MiB)", f"{ratio:.2f}"]
            if args.before is not None:
                (b_subject, b_peak), (b_reference, _) = found[2], found[3]
                row[1:1] = [f"{b_subject:.3f} ({b_peak:.0f} MiB)"]
                row[-1:-1] = [f"{_ratio(t, b_subject, b_reference):.2f}"]
            row += [t.goal, "met" if _met(t, ratio, peak) else "not yet"]
            rows.append(row)
            print(" | ".join(row), file=sys.stderr)
    headers = ["target", "coplan (s)", "beside (s)", "ratio", "goal", ""]
    if args.before is not None:
        headers = ["target", "before (s)", "now (s)", "beside (s)", "ratio before",
                   "ratio now", "goal", ""]
    print(table(headers, rows))


if __name__ == "__main__":
    main()
