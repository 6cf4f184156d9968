"""Random but valid plans, for property tests, the TaskJuggler agreement test and benchmarks.

Plans are written as TOML text, as a team would write them, so the loader is part of
everything that uses them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

REGIONS = [None, "GB-ENG", "GB-SCT", "GB-WLS", "GB-NIR", "US-CA", "US-NY"]
WEEKS = [
    ["mon", "tue", "wed", "thu", "fri"],
    ["mon", "tue", "wed", "thu"],
    ["tue", "wed", "thu", "fri", "sat"],
    ["mon", "wed", "fri"],
]
PHASES = ["identify", "design", "approvals", "collect", "analyse", "share", "evaluate"]


def random_plan(seed: int, stages: int = 30, *, max_preds: int = 3, lag_share: float = 0.2,
                holidays: bool = True, closures: int = 2, not_before_share: float = 0.1,
                touchpoint_share: float = 0.6, weekdays: list[str] | None = None,
                region: str | bool | None = True, max_duration: int = 15,
                window: int = 30) -> str:
    """A plan with ``stages`` stages linked at random to earlier ones (so never a loop).

    ``window`` limits how far back a stage's predecessors may be, which keeps large plans
    wide rather than one long chain (as real plans are).
    """
    rng = random.Random(seed)
    start = date(2026, 1, 1) + timedelta(days=rng.randrange(0, 3 * 365))
    week = weekdays or rng.choice(WEEKS)
    chosen_region = rng.choice(REGIONS) if region is True else (region or None)
    out = ["# generated plan", "[project]", f'title = "Generated plan {seed}"',
           f"start = {start.isoformat()}",
           "working_days = [" + ", ".join(f'"{d}"' for d in week) + "]"]
    if holidays and chosen_region:
        out.append(f'holidays = "{chosen_region}"')
    if closures:
        parts = []
        for _ in range(closures):
            first = start + timedelta(days=rng.randrange(0, 400))
            last = first + timedelta(days=rng.randrange(0, 10))
            parts.append(f'{{ from = {first.isoformat()}, to = {last.isoformat()}, '
                         'why = "closed" }')
        out.append("closures = [" + ", ".join(parts) + "]")
    out += ["", "[project.slow_down]", f'stage_buffer = "{rng.choice([10, 20, 25, 50])}%"',
            f'project_buffer = "{rng.choice(["rss", "10%", "5d"])}"', "",
            "[project.reflection]", f'every = "{rng.choice([2, 4, 6])}w"', ""]
    out += ["[[person]]", 'id = "le1"', 'kind = "lived-experience"', "",
            "[[person]]", 'id = "le2"', 'kind = "carer"', "",
            "[[person]]", 'id = "r1"', 'kind = "researcher"', ""]
    for i in range(stages):
        out.append("[[stage]]")
        out.append(f'id = "s{i}"')
        out.append(f'title = "Stage {i}"')
        out.append(f'phase = "{PHASES[min(len(PHASES) - 1, i * len(PHASES) // max(stages, 1))]}"')
        duration = 0 if rng.random() < 0.08 else rng.randint(1, max_duration)
        out.append(f'duration = "{duration}d"')
        if i and rng.random() < 0.9:
            count = rng.randint(1, max_preds)
            lo = max(0, i - window)
            preds = sorted(set(rng.randrange(lo, i) for _ in range(count)))
            items = []
            for p in preds:
                if rng.random() < lag_share:
                    items.append(f'{{ stage = "s{p}", lag = "{rng.randint(1, 5)}d" }}')
                else:
                    items.append(f'"s{p}"')
            out.append("after = [" + ", ".join(items) + "]")
        if rng.random() < not_before_share:
            nb = start + timedelta(days=rng.randrange(0, 200))
            out.append(f"not_before = {nb.isoformat()}")
        if rng.random() < touchpoint_share:
            out.append("")
            out.append("  [[stage.touchpoint]]")
            out.append('  format = "workshop"')
            # (what the schema once gave a touchpoint that did not say how: since a missing
            # mode is "not yet agreed", the generated plans say it, and mean what they did)
            out.append('  mode = "in-person"')
            out.append('  ladder = "co-design"')
            out.append('  role = "partner"')
            out.append('  who = ["le1", "le2"]')
            out.append(f'  when = "{rng.choice(["start", "end", "+1d"])}"')
        out.append("")
    return "\n".join(out) + "\n"


def with_record(text: str, seed: int, share: float = 0.5) -> tuple[str, date]:
    """``text`` (a plan) with a made-up delivery record, and the day it is seen from: a
    day between the planned start and finish; the stages planned to start by then
    started a few working days early or late (some on a day off), most of those planned
    to end by then finished (late, early or on time; a few with no start recorded), the
    rest under way (some with their progress, measured on a day, or not)."""
    import random

    from coplan.planfile import parse_plan
    from coplan.schedule import schedule

    rng = random.Random(seed)
    sched = schedule(parse_plan(text))
    cal = sched.calendar
    origin, end = cal.index(sched.start), cal.index(sched.finish)
    today = cal.date_at(origin + int((end - origin) * rng.uniform(0.05, share + 0.5)))
    if rng.random() < 0.2:
        today += timedelta(days=rng.choice([1, 2]))  # (perhaps a day off)
    now = cal.index(today)
    lines = text.split("\n")
    out: list[str] = []
    current = None
    for line in lines:
        out.append(line)
        if line.startswith('id = "s') and out[-2] == "[[stage]]":
            current = line.split('"')[1]
        if current is None or not line.startswith("duration = "):
            continue
        timing = sched.stages[current]
        begin = max(origin, timing.es + rng.randint(-2, 4))
        if begin > now:
            current = None
            continue
        start = cal.date_at(begin)
        if rng.random() < 0.1:
            start -= timedelta(days=1)  # (a day off, perhaps)
        length = max(0, timing.ef - timing.es + rng.randint(-3, 8)) if not \
            timing.stage.milestone else 0
        last = begin + length - 1 if length else begin
        record = []
        if timing.stage.milestone and (last >= now or rng.random() < 0.15):
            # (a milestone is reached or not: one recorded as started and not reached
            # is shown on its day while what follows waits for the day after today)
            current = None
            continue
        if last < now and (timing.stage.milestone or rng.random() < 0.85):
            if rng.random() > 0.1:
                record.append(f"started = {start.isoformat()}")
            record.append(f"finished = {max(start, cal.date_at(last)).isoformat()}")
        else:
            record.append(f"started = {start.isoformat()}")
            if not timing.stage.milestone and rng.random() < 0.5:
                record.append(f'progress = "{rng.randint(0, 100)}%"')
                if rng.random() < 0.7:
                    record.append("progress_on = "
                                  f"{cal.date_at(rng.randint(begin, now)).isoformat()}")
        out.extend(record)
        current = None
    return "\n".join(out), today
