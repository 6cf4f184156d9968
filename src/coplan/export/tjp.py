"""The plan as a TaskJuggler 3 project (``.tjp``), for teams that already use TaskJuggler.

Stages become tasks with a ``length`` in working days, links become ``depends`` with a
``gaplength`` for lags, and public holidays and team closures become project-wide
``leaves``.  With slowing down on, each slow-down buffer is a task of its own that the
stage's successors wait for, and the project buffer is a final task, so TaskJuggler
arrives at the same dates as ``coplan schedule``.  A stage's ``not_before`` date becomes a
milestone it depends on.  A blocking reflection checkpoint (``blocks = true``) is a one-day
task after every stage of its phase, which the next phase's stages depend on, as in
``coplan schedule``.

Exported ``--today`` once the project has started (a schedule dated from what actually
happened), the file carries it the way TaskJuggler expects: ``now`` is that day, a stage
finished or under way starts on the day it really started and lasts as long as it really
took (or, under way, as long as coplan now expects), with ``complete`` (100 when finished,
the recorded progress while under way), and no longer waits for anything; every stage still
to come waits for a "today" milestone, since nothing can start in the past.  tj3 then
arrives at ``coplan schedule --today``'s dates, stage by stage.

Text is written so that TaskJuggler reads back exactly what the plan says: TaskJuggler
expands ``${name}`` (a macro) and ``$(NAME)`` (an environment variable) even inside quoted
text, and has no way to escape them, so an invisible zero-width space is put between the
``$`` and the bracket; a quote is escaped with a backslash, the only escape it knows.
"""

from __future__ import annotations

import re
from datetime import timedelta

from coplan.model import Plan, Stage
from coplan.schedule import Schedule, dated_from_record, happened, project_buffer_after
from coplan.vocab import WEEKDAYS

_SAFE = re.compile(r"[^A-Za-z0-9_]")


_EXPANDS = re.compile(r"\$(?=[{(])")
_ZWSP = "\u200b"


def _quote(text: str) -> str:
    """``text`` as a TaskJuggler string that reads back as the same characters (a
    zero-width space apart): quotes escaped, macros and variables kept from expanding."""
    text = _EXPANDS.sub("$" + _ZWSP, text.replace('"', '\\"'))
    if text.endswith("\\"):
        text += _ZWSP  # a final backslash would otherwise escape the closing quote
    return '"' + text + '"'


class _Ids:
    """TaskJuggler ids allow letters, digits and underscores; keep them unique."""

    def __init__(self) -> None:
        self.used: dict[str, str] = {}
        self.taken: set[str] = set()

    def __call__(self, key: str) -> str:
        if key in self.used:
            return self.used[key]
        base = "t_" + _SAFE.sub("_", key)
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}_{n}", n + 1
        self.used[key] = candidate
        self.taken.add(candidate)
        return candidate


def to_tjp(sched: Schedule) -> str:
    """A complete ``.tjp`` file for the scheduled plan."""
    plan: Plan = sched.plan
    project = plan.project
    cal = sched.calendar
    ids = _assign(sched)
    horizon_years = max(2, sched.finish.year - project.start.year + 2)
    # A stage the record says started before the project's start (work begun early) is
    # within TaskJuggler's project too: the project begins on the earliest of them.
    now = dated_from_record(sched)
    begins = min([project.start] + [
        t.start for t in sched.stages.values()
        if now is not None and happened(t.stage, cal, now) is not None])
    lines = [
        "# Written by coplan from the plan; edit the plan, not this file.",
        f"project coplan {_quote(project.title)} {begins.isoformat()} "
        f"+{horizon_years * 12}m {{",
        f"  # dates are local to {project.timezone}; TaskJuggler works in UTC here",
        '  timeformat "%Y-%m-%d"',
        "  dailyworkinghours 8",
        "  yearlyworkingdays 260",
    ]
    working = [WEEKDAYS[d] for d in project.working_days]
    off = [d for d in WEEKDAYS if d not in working]
    lines.append(f"  workinghours {', '.join(working)} 9:00 - 17:00")
    if off:
        lines.append(f"  workinghours {', '.join(off)} off")
    # Dated from what happened since the start: the day it was dated as of is TaskJuggler's
    # "now", and (from the second working day) nothing still to come may start before it:
    # a milestone on it.
    as_of = sched.as_of if now is not None and sched.as_of is not None else project.start
    lines.append(f"  now {as_of.isoformat()}")
    from_day = as_of if now is not None and now > cal.index(project.start) else None
    lines.append("}")
    lines.append("")

    # Holidays and closures as project-wide leaves, over the years the plan spans.
    last = sched.finish + timedelta(days=400)
    first = project.start - timedelta(days=7)
    for day, why in cal.non_working_weekdays(first, last):
        lines.append(f"leaves holiday {_quote(why)} {day.isoformat()}")
    lines.append("")

    def wait_key(stage_id: str) -> str:
        return f"{stage_id}~slow" if sched.stages[stage_id].buffer_days else stage_id

    gates_before: dict[str, list[str]] = {}
    for gate in sched.gates:
        for held in gate.holds:
            gates_before.setdefault(held, []).append(f"{gate.id}~gate")
    written: set[str] = set()

    def write_gates(sid: str) -> None:
        """Write the gates ``sid`` waits for (once each; their phase's stages come first)."""
        for gid in gates_before.get(sid, []):
            if gid in written:
                continue
            written.add(gid)
            gate = next(g for g in sched.gates if f"{g.id}~gate" == gid)
            lines.append(f"task {ids(gid)} {_quote(gate.title)} {{")
            lines.append("  length 1d")
            for member in gate.waits_for:
                lines.append(f"  depends {ids(wait_key(member))}")
            lines.append("}")

    if from_day is not None:
        lines.append(f"task {ids('~today')} {_quote('Today: dated from what happened')} {{")
        lines.append(f"  start {from_day.isoformat()}")
        lines.append("  milestone")
        lines.append("}")

    for sid in sched.order:
        timing = sched.stages[sid]
        stage = timing.stage
        tid = ids(sid)
        body = []
        state = happened(stage, cal, now) if now is not None else None
        if state is not None:
            # What actually happened: its own dates, waiting for nothing.
            write_gates(sid)
            lines.append(f"task {tid} {_quote(stage.title)} {{")
            lines.append(f"  # {_as_recorded(stage, state)} (the delivery record)")
            lines.append(f"  start {timing.start.isoformat()}")
            took = timing.ef - timing.es
            lines.append(f"  length {took}d" if took > 0 else "  milestone")
            if state == "finished":
                lines.append("  complete 100")
            elif stage.progress is not None:
                lines.append(f"  complete {stage.progress}")
            lines.append("}")
            _write_buffer(lines, ids, sid, timing.buffer_days, stage.title, wait_key(sid))
            continue
        if from_day is not None:
            body.append(f"  depends {ids('~today')}")
        if stage.not_before:
            nb = ids(f"{sid}~not-before")
            lines.append(f"task {nb} {_quote('Not before ' + stage.not_before.isoformat())} {{")
            lines.append(f"  start {stage.not_before.isoformat()}")
            lines.append("  milestone")
            lines.append("}")
            body.append(f"  depends {nb}")
        if stage.milestone:
            body.append("  milestone")
        else:
            body.append(f"  length {stage.duration_days}d")
        for dep in stage.after:
            target = ids(wait_key(dep.stage))
            if dep.lag_days:
                body.append(f"  depends {target} {{ gaplength {dep.lag_days}d }}")
            else:
                body.append(f"  depends {target}")
        write_gates(sid)
        for gid in gates_before.get(sid, []):
            body.append(f"  depends {ids(gid)}")
        lines.append(f"task {tid} {_quote(stage.title)} {{")
        lines.extend(body)
        lines.append("}")
        _write_buffer(lines, ids, sid, timing.buffer_days, stage.title, wait_key(sid))
    if sched.project_buffer:
        lines.append(f"task {ids('project~buffer')} {_quote(sched.project_buffer.title)} {{")
        lines.append(f"  length {sched.project_buffer.days}d")
        stages, gates = project_buffer_after(sched)
        for key in [wait_key(sid) for sid in stages] + [f"{g}~gate" for g in gates]:
            lines.append(f"  depends {ids(key)}")
        lines.append("}")
    lines.append("")
    lines.append('taskreport coplan_dates "coplan-dates" {')
    lines.append("  formats csv")
    lines.append('  timeformat "%Y-%m-%d %H:%M"')
    lines.append("  columns id, name, start, end")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _as_recorded(stage: Stage, state: str) -> str:
    """What the record says of a stage started: "started 2027-09-06; 10% done on ..."."""
    said = f"started {stage.started.isoformat()}" if stage.started else "started"
    if state == "finished":
        assert stage.finished is not None
        return said + f", finished {stage.finished.isoformat()}"
    if stage.progress is not None:
        said += f"; {stage.progress}% done" + (
            f" on {stage.progress_on.isoformat()}" if stage.progress_on else "")
    return said


def _write_buffer(lines: list[str], ids: _Ids, sid: str, days: int, title: str,
                  key: str) -> None:
    """The slow-down buffer after stage ``sid`` (if it has one), a task of its own."""
    if not days:
        return
    lines.append(f"task {ids(key)} {_quote('Slowing down after: ' + title)} {{")
    lines.append(f"  length {days}d")
    lines.append(f"  depends {ids(sid)}")
    lines.append("}")


def _assign(sched: Schedule) -> _Ids:
    """Give every task its id up front, in one fixed order, so ids never depend on use."""
    ids = _Ids()
    for sid in sched.order:
        ids(sid)
    for sid in sched.order:
        if sched.stages[sid].stage.not_before:
            ids(f"{sid}~not-before")
        if sched.stages[sid].buffer_days:
            ids(f"{sid}~slow")
    for gate in sched.gates:
        ids(f"{gate.id}~gate")  # "~" is in no stage's id
    ids("project~buffer")
    ids("~today")  # (last: no other task's id depends on it)
    return ids


def task_ids(sched: Schedule) -> dict[str, str]:
    """Map each stage id to the TaskJuggler task id ``to_tjp`` gives it."""
    ids = _assign(sched)
    return {sid: ids(sid) for sid in sched.order}
