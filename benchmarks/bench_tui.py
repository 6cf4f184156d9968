"""How quickly the coplan app opens a large plan, and how quickly an edit shows.

Run: .venv/bin/python benchmarks/bench_tui.py [--stages 1000] [--runs 5] [--edits 10]

For a generated plan (tests/plangen.py, 1,000 stages by default) it measures, in a headless
app of 120x40 (``App.run_test``), the median over several runs of:

* open: from creating the app (reading and checking the file, scheduling, reviewing) to
  the first screen drawn (Textual's ``Ready`` event, sent once the first frame is on
  screen); and, beside it, to the app falling idle after that (the editable document,
  built in a worker thread once the first screen is drawn, included);
* edit: ``app.edit(...)``: the change made on the document, the plan re-read and
  re-checked, the schedule and review re-derived, ``refresh_views()`` (the plan table, the
  status line and review counts, and the tab on screen) and the next screen drawn; measured
  with the Plan, the Timeline and the Review tab on screen in turn (the tabs not on screen
  catch up when they are shown); then changing a stage's length and then making a stage
  wait for another (edits that move dates: the stages they reach are dated again) with
  the Timeline tab on screen; and then adding a stage in the middle of the plan, as many
  times, with the Plan tab on screen.

Times are wall-clock and, in brackets, the process's CPU time, which is steadier on a busy
machine.  Targets: open under 1.5 s, edit under 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import make_plan, table

OPEN_TARGET = 1.5
EDIT_TARGET = 0.150


def clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


async def measure(path: Path, edits: int
                  ) -> tuple[tuple[float, float], dict[str, list[tuple[float, float]]]]:
    from textual.events import Ready

    from coplan.tui.app import CoplanApp

    drawn: list[tuple[float, float]] = []

    def first_frame(message: object) -> None:  # as the app is handed its Ready event
        if isinstance(message, Ready) and not drawn:
            drawn.append(clocks())

    gc.collect()
    wall, cpu = clocks()
    app = CoplanApp(path, today=date(2027, 3, 1), autosave_delay=3600)
    app.animation_level = "none"
    times: dict[str, list[tuple[float, float]]] = {}
    async with app.run_test(size=(120, 40), message_hook=first_frame) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the editable document, built in the background
        w, c = clocks()
        times["idle"] = [(w - wall, c - cpu)]
        opened = (drawn[0][0] - wall, drawn[0][1] - cpu)
        ids = [s.id for s in app.session.plan.stages]
        for tab, key in (("plan", "1"), ("timeline", "2"), ("review", "3")):
            await pilot.press(key)
            await pilot.pause()
            for i in range(edits):
                sid = ids[(i * 97) % len(ids)]
                wall, cpu = clocks()
                app.edit(f"renamed {sid}", lambda doc, sid=sid, i=i, tab=tab: doc.set_stage(
                    sid, "title", f"Renamed on {tab} {i}"))
                await pilot.pause()
                w, c = clocks()
                times.setdefault(tab, []).append((w - wall, c - cpu))
        # An edit that moves dates: a stage's length changed (every stage after it may
        # move, so the plan is scheduled again), with the Timeline on screen.
        await pilot.press("2")
        await pilot.pause()
        for i in range(edits):
            sid = ids[(i * 89 + 7) % len(ids)]
            wall, cpu = clocks()
            app.edit(f"lengthened {sid}", lambda doc, sid=sid, i=i: doc.set_stage(
                sid, "duration", f"{20 + i}d"))
            await pilot.pause()
            w, c = clocks()
            times.setdefault("length", []).append((w - wall, c - cpu))
        # Another: a stage made to wait for one written well before it (generated plans
        # link only to stages above, so never a loop), the Timeline still on screen.
        for i in range(edits):
            at = (i * 113 + 50) % len(ids)
            sid, other = ids[at], ids[max(0, at - 40 - i)]
            wall, cpu = clocks()
            app.edit(f"linked {sid}", lambda doc, sid=sid, other=other: doc.add_dependency(
                sid, other))
            await pilot.pause()
            w, c = clocks()
            times.setdefault("link", []).append((w - wall, c - cpu))
        # A structural edit too: a new stage in the middle of the plan (as many times as
        # there are edits on each tab, each after another stage).
        await pilot.press("1")
        await pilot.pause()
        for i in range(edits):
            after = ids[(len(ids) // 2 + i * 31) % len(ids)]
            wall, cpu = clocks()
            app.edit("added a stage", lambda doc, i=i, after=after: doc.add_stage(
                f"bench-new-{i}", "New stage", "2w", after=[after]))
            await pilot.pause()
            w, c = clocks()
            times.setdefault("add", []).append((w - wall, c - cpu))
    return opened, times


def ms(pair: tuple[float, float]) -> str:
    return f"{pair[0] * 1000:.0f} ms ({pair[1] * 1000:.0f} ms CPU)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = make_plan(Path(tmp), args.stages)
        opens: list[tuple[float, float]] = []
        edits: dict[str, list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            opened, times = asyncio.run(measure(path, args.edits))
            opens.append(opened)
            for tab, found in times.items():
                edits.setdefault(tab, []).extend(found)

    def median(pairs: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)

    open_med = median(opens)
    target = f"< {EDIT_TARGET * 1000:.0f} ms"
    rows = [["open to first screen", ms(open_med), f"< {OPEN_TARGET:.1f} s"],
            ["open, then idle (editable document built)", ms(median(edits.pop("idle"))), ""]]
    rows += [[f"edit a stage, {tab} tab on screen", ms(median(edits[tab])), target]
             for tab in ("plan", "timeline", "review")]
    rows += [["change a stage's length (dates move), timeline tab on screen",
              ms(median(edits["length"])), target]]
    rows += [["make a stage wait for another (dates move), timeline tab on screen",
              ms(median(edits["link"])), target]]
    rows += [["add a stage in the middle", ms(median(edits["add"])), target]]
    everything = [t for found in edits.values() for t in found]
    rows += [["slowest edit of all", ms(max(everything)), ""]]
    print(f"{args.stages} stages, {args.runs} runs, {args.edits} edits on each tab, 120x40; "
          "median wall time (CPU time)\n")
    print(table(["what", "time", "target"], rows))
    ok = open_med[1] < OPEN_TARGET and all(median(found)[1] < EDIT_TARGET
                                           for found in edits.values())
    print("\nwithin target (CPU time)" if ok else "\nover target")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
