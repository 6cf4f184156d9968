"""Load test: many coplan instances saving edits to one plan at the same time lose nothing.

Run: .venv/bin/python benchmarks/bench_together.py [--instances 10] [--seconds 60]
     [--interval 0.2] [--stages 200]

Each instance is its own process, as each person's coplan is. Every `interval` seconds it
makes one edit (adds a person, adds a glossary term, or changes a field of a stage that only
it edits), saves through the same locked merge-on-save the app uses, and takes in what the
others saved. At the end the script checks that every edit every instance made is in the
file, and prints throughput and save latencies as a Markdown table.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from plangen import random_plan


def worker(index: int, path: str, seconds: float, interval: float, queue: mp.Queue) -> None:
    from coplan.edit import PlanDocument
    from coplan.fileio import read_plan_text
    from coplan.planfile import parse_plan
    from coplan.sync import absorb, save_merged

    plan_path = Path(path)
    base = text = read_plan_text(plan_path)  # as the app reads it
    stage = f"s{index}"  # each instance owns one stage's notes
    made: list[tuple[str, str]] = []
    latencies: list[float] = []
    conflicts = 0
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
        doc = PlanDocument(text)
        kind = n % 3
        if kind == 0:
            doc.add_person({"id": f"p{index}-{n}", "name": f"Person {index}-{n}",
                            "kind": "carer"})
            made.append(("person", f"p{index}-{n}"))
        elif kind == 1:
            doc.add_entry("protocol.term", {"term": f"term {index}-{n}", "meaning": "x"})
            made.append(("term", f"term {index}-{n}"))
        else:
            doc.set_stage(stage, "notes", f"notes {index}-{n}")
            made.append(("notes", f"notes {index}-{n}"))
        text = doc.text()
        started = time.perf_counter()
        outcome = save_merged(plan_path, base, text, who=f"instance {index}",
                              instance=str(index))
        latencies.append(time.perf_counter() - started)
        if outcome.conflicts:
            conflicts += len(outcome.conflicts)
            outcome = save_merged(plan_path, base, text, who=f"instance {index}",
                                  instance=str(index),
                                  choices={c.path: "mine" for c in outcome.conflicts})
        base = text = outcome.text
        parse_plan(text)
        time.sleep(interval)
        disk = read_plan_text(plan_path)
        taken = absorb(base, text, disk)
        base, text = taken.base, taken.text
    queue.put((index, made, latencies, conflicts))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--stages", type=int, default=200)
    args = parser.parse_args()
    from coplan.planfile import parse_plan

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.toml"
        path.write_text(random_plan(3, args.stages, closures=1), encoding="utf-8")
        queue: mp.Queue = mp.Queue()
        procs = [mp.Process(target=worker, args=(i, str(path), args.seconds, args.interval,
                                                 queue)) for i in range(args.instances)]
        started = time.perf_counter()
        for p in procs:
            p.start()
        results = [queue.get() for _ in procs]
        for p in procs:
            p.join()
        elapsed = time.perf_counter() - started
        final = parse_plan(path.read_text(encoding="utf-8"))
        people = {p.id for p in final.people}
        terms = {t.term for t in final.protocol.terms}
        lost = 0
        edits = 0
        all_latencies: list[float] = []
        conflicts = 0
        for index, made, latencies, c in results:
            conflicts += c
            all_latencies += latencies
            last_notes = None
            for kind, value in made:
                edits += 1
                missing = (kind == "person" and value not in people) or \
                    (kind == "term" and value not in terms)
                if missing:
                    lost += 1
                elif kind == "notes":
                    last_notes = value
            stage = final.stage(f"s{index}")
            if last_notes and (stage is None or stage.notes != last_notes):
                lost += 1
        all_latencies.sort()
        p95 = all_latencies[int(len(all_latencies) * 0.95) - 1]
        print("| instances | seconds | stages | edits saved | lost | conflicts | "
              "saves/s | median save (ms) | 95th percentile save (ms) |")
        print("|---|---|---|---|---|---|---|---|---|")
        print(f"| {args.instances} | {elapsed:.0f} | {args.stages} | {edits} | {lost} | "
              f"{conflicts} | {edits / elapsed:.1f} | "
              f"{statistics.median(all_latencies) * 1000:.0f} | {p95 * 1000:.0f} |")
        if lost:
            raise SystemExit(f"{lost} edits were lost")


if __name__ == "__main__":
    main()
