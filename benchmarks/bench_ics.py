"""How long `coplan export ics` takes as a whole process on a plan with 1,000 sessions.

Run: .venv/bin/python benchmarks/bench_ics.py [--runs N] [--stages 250] [--when 4]
Generates a plan of 250 stages in ten parallel tracks, each stage with one touchpoint held
four times (``when = ["start", "+2d", "+1w", "-1d"]``): 1,000 sessions, plus standing
meetings across the holidays and a closure.  Times the whole process, Python start-up
included (median of several runs, wall-clock and CPU time), for the team's calendar and
for a few other audiences, and prints a Markdown table.  The target is under a second for
the team's calendar.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import COPLAN, table

STAMP = "2027-01-04T09:00:00Z"
WHEN = ['"start"', '"+2d"', '"+1w"', '"-1d"', '"+3d"', '"end"']
TRACKS = 10
PEOPLE = 20


def generate(stages: int, when: int) -> str:
    """A valid plan with ``stages`` stages of ``when`` sessions each."""
    out = ["""\
[project]
title = "Generated plan for the calendar benchmark"
start = 2027-01-04
timezone = "Europe/London"
holidays = "GB-ENG"
closures = [
  { from = 2027-08-02, to = 2027-08-13, why = "Summer break" },
  { from = 2027-12-24, to = 2028-01-03, why = "Office closed" },
]

[project.reflection]
every = "4w"
"""]
    for p in range(PEOPLE):
        kind = ("lived-experience", "carer", "researcher", "clinician")[p % 4]
        out.append(f"""
[[person]]
id = "p{p}"
name = "Person {p} Example"
kind = "{kind}"
share_name = {"true" if p % 3 == 0 else "false"}
needs = [{'"papers-in-advance"' if p % 5 == 0 else ""}]
needs_asked = 2026-12-01
email = "p{p}@example.org"
""")
    out.append('\n[governance]\nlead = "p2"\nco_leads = ["p0"]\n')
    when_list = ", ".join(WHEN[:when])
    for i in range(stages):
        track, step = i % TRACKS, i // TRACKS
        after = f'after = ["s{i - TRACKS}"]\n' if step else ""
        who = ", ".join(f'"p{(i + k) % PEOPLE}"' for k in range(4))
        out.append(f"""
[[stage]]
id = "s{i}"
title = "Stage {i} (track {track})"
duration = "2w"
{after}
  [[stage.touchpoint]]
  id = "t{i}"
  title = "Session for stage {i}"
  purpose = "Work on stage {i} together with Person {(i + 1) % PEOPLE} Example."
  format = "workshop"
  ladder = "co-production"
  role = "decision-maker"
  who = [{who}]
  when = [{when_list}]
  time = "{10 + i % 5}:30"
  length = "2h"
  where = "Room {i % 7}"
  access = ["papers-in-advance"]
  support = ["named-contact"]
  aftercare = ["debrief"]
  feedback = "Notes within a week"
  papers_ahead = "1w"
""")
    for m in range(5):
        out.append(f"""
[[meeting]]
id = "m{m}"
title = "Standing meeting {m}"
every = "{1 + m % 2}w"
day = "{("mon", "tue", "wed", "thu", "fri")[m]}"
time = "14:00"
length = "1h"
who = ["p{m}", "p{m + 5}", "p{m + 10}"]
where = "Room {m}"
""")
    return "".join(out)


def time_runs(command: list[str], runs: int) -> tuple[float, float, float]:
    """Median wall time and median CPU time (user + system) of ``command`` in seconds, and
    its peak memory in MB.  CPU time shows the work done even on a busy machine, where the
    wall time also counts waiting for a processor."""
    walls, cpus, peak = [], [], 0.0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                timeout=600, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr.decode()[-2000:]}")
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        peak = max(peak, after.ru_maxrss / 1024)
    return statistics.median(walls), statistics.median(cpus), peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stages", type=int, default=250)
    parser.add_argument("--when", type=int, default=4, choices=range(1, len(WHEN) + 1))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan = folder / "bench-ics.toml"
        plan.write_text(generate(args.stages, args.when), encoding="utf-8")
        out = folder / "out.ics"
        cases = [("team", "sessions,checkpoints,meetings,milestones"),
                 ("leads", "sessions,checkpoints,meetings,milestones,buffers"),
                 ("lived-experience", "sessions,checkpoints,meetings,milestones"),
                 ("p7", "sessions,checkpoints,meetings,milestones")]
        for audience, include in cases:
            command = [*COPLAN, "export", "ics", str(plan), "-o", str(out), "--no-state",
                       "--stamp", STAMP, "--audience", audience, "--include", include]
            seconds, cpu, memory = time_runs(command, args.runs)
            data = out.read_bytes()
            events = data.count(b"BEGIN:VEVENT")
            sessions = data.count(b"CATEGORIES:co-production,session")
            rows.append([audience, f"{sessions:,}", f"{events:,}", f"{len(data) / 1024:,.0f}",
                         f"{seconds:.2f}", f"{cpu:.2f}", f"{memory:.0f}"])
    print(f"coplan export ics: {args.stages} stages x {args.when} sessions, "
          f"median of {args.runs} runs (whole process)\n")
    print(table(["audience", "sessions", "events", "KiB", "wall s", "CPU s", "peak MB"],
                rows))


if __name__ == "__main__":
    main()
