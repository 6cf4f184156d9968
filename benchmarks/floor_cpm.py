"""The floor: the least a Python program can do to schedule a plan (issue 19).

Run: python benchmarks/floor_cpm.py PLAN.toml > schedule.json

Reads the plan with the standard library's ``tomllib``, orders the stages with Kahn's
algorithm, makes one forward and one backward pass of the critical path method in working
days (the plan's working week, no holidays or closures, no slow-down), and writes each
stage's dates and float as JSON.  It checks nothing and explains nothing: it is what
``coplan schedule`` is measured against, not a scheduler anyone should use.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections import deque
from datetime import date, timedelta

DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
UNITS = {"d": 1, "w": 5}


def working_days(text: str, week: int) -> int:
    """``"3d"`` -> 3, ``"2w"`` -> two working weeks."""
    text = str(text).strip()
    unit = UNITS.get(text[-1:], 0)
    if unit == 5:
        return int(float(text[:-1]) * week)
    return int(float(text[:-1])) if unit else 0


def main(path: str) -> None:
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    project = data["project"]
    week = sorted(DAYS[d] for d in project.get("working_days", ["mon", "tue", "wed", "thu",
                                                                   "fri"]))
    stages = data.get("stage", [])
    ids = [s["id"] for s in stages]
    index = {sid: i for i, sid in enumerate(ids)}
    duration = [working_days(s.get("duration", "0d"), len(week)) for s in stages]
    preds: list[list[tuple[int, int]]] = [[] for _ in stages]
    succs: list[list[tuple[int, int]]] = [[] for _ in stages]
    for i, stage in enumerate(stages):
        for link in stage.get("after", []):
            if isinstance(link, str):
                j, lag = index[link], 0
            else:
                j, lag = index[link["stage"]], working_days(link.get("lag", "0d"), len(week))
            preds[i].append((j, lag))
            succs[j].append((i, lag))
    # Kahn's algorithm: the order in which every stage comes after what it waits for.
    waiting = [len(p) for p in preds]
    ready = deque(i for i, n in enumerate(waiting) if n == 0)
    order: list[int] = []
    while ready:
        i = ready.popleft()
        order.append(i)
        for j, _ in succs[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                ready.append(j)
    if len(order) != len(stages):
        raise SystemExit("the stages wait for each other in a loop")
    early = [0] * len(stages)
    for i in order:
        early[i] = max((early[j] + duration[j] + lag for j, lag in preds[i]), default=0)
    end = max((early[i] + duration[i] for i in order), default=0)
    late = [0] * len(stages)
    for i in reversed(order):
        late[i] = min((late[j] - lag for j, lag in succs[i]), default=end) - duration[i]
    # Working-day offsets to dates: the first ``end`` working days from the start.
    day = project["start"]
    calendar: list[date] = []
    while len(calendar) <= end:
        if day.weekday() in week:
            calendar.append(day)
        day += timedelta(days=1)
    out = [{"id": ids[i], "start": calendar[early[i]].isoformat(),
            "finish": calendar[max(early[i], early[i] + duration[i] - 1)].isoformat(),
            "late_start": calendar[late[i]].isoformat(), "float": late[i] - early[i],
            "critical": late[i] == early[i]} for i in range(len(stages))]
    sys.stdout.write(json.dumps({"finish": calendar[max(end - 1, 0)].isoformat(),
                                 "stages": out}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
