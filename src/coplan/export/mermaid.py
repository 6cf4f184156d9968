"""A Mermaid Gantt chart of the schedule, for Markdown pages on common forges.

Stages are grouped by phase; critical stages are marked ``crit``; slow-down buffers are
tasks of their own marked ``active`` (drawn differently) and named as such, so the chart
does not rely on colour; milestones and reflection checkpoints are milestones.
"""

from __future__ import annotations

import re
from datetime import timedelta

from coplan.schedule import Schedule
from coplan.vocab import PHASE

# Mermaid's own entity codes (``#58;``) for what would end a task's name (':' and ';'),
# start a comment or an entity ('#'), or be read as HTML ('&', '<', '>'): the chart then
# shows exactly what the plan says.
_ENTITIES = str.maketrans({c: f"#{ord(c)};" for c in ":;#&<>"})


def _text(value: str) -> str:
    """``value`` as one line of a Mermaid chart, shown as written."""
    words = " ".join(value.split())
    return words.translate(_ENTITIES) or "untitled"


_NOT_IN_ID = re.compile(r"[^A-Za-z0-9_]")


class _Ids:
    """Mermaid task ids (letters, digits and underscores), one per item, never shared."""

    def __init__(self) -> None:
        self.used: dict[str, str] = {}
        self.taken: set[str] = set()

    def __call__(self, key: str) -> str:
        if key not in self.used:
            base = "t_" + _NOT_IN_ID.sub("_", key)
            candidate, n = base, 2
            while candidate in self.taken:
                candidate, n = f"{base}_{n}", n + 1
            self.used[key] = candidate
            self.taken.add(candidate)
        return self.used[key]


def to_mermaid(sched: Schedule, *, fenced: bool = False) -> str:
    plan = sched.plan
    from coplan.privacy import redact

    _id = _Ids()
    lines = ["gantt", f"    title {_text(redact(plan.project.title, plan))}",
             "    dateFormat YYYY-MM-DD", "    axisFormat %d %b %Y"]
    if plan.project.working_days == (0, 1, 2, 3, 4):
        lines.append("    excludes weekends")
    groups: dict[str, list[str]] = {}
    order: list[str] = []
    buffers = {b.stage: b for b in sched.buffers}
    for sid in sched.order:
        timing = sched.stages[sid]
        stage = timing.stage
        section = PHASE.label(stage.phase) if stage.phase else "Stages"
        if section not in groups:
            groups[section] = []
            order.append(section)
        name = _text(redact(stage.title, plan))
        tags = []
        if timing.critical:
            tags.append("crit")
        if stage.milestone:
            tags.append("milestone")
            groups[section].append(f"    {name} :{', '.join([*tags, _id(sid)])}, "
                                   f"{timing.start.isoformat()}, 0d")
            continue
        end = timing.end + timedelta(days=1)
        groups[section].append(f"    {name} :{', '.join([*tags, _id(sid)])}, "
                               f"{timing.start.isoformat()}, {end.isoformat()}")
        buffer = buffers.get(sid)
        if buffer:
            groups[section].append(
                f"    Slowing down after {name} :active, {_id(sid + '~slow')}, "
                f"{buffer.start.isoformat()}, {(buffer.end + timedelta(days=1)).isoformat()}")
    for section in order:
        lines.append(f"    section {_text(section)}")
        lines.extend(groups[section])
    if sched.project_buffer or sched.checkpoints:
        lines.append("    section Slowing down and reflection")
        if sched.project_buffer:
            pb = sched.project_buffer
            lines.append(f"    Project buffer :active, {_id('project~buffer')}, "
                         f"{pb.start.isoformat()}, {(pb.end + timedelta(days=1)).isoformat()}")
        for cp in sched.checkpoints:
            lines.append(f"    Stop and take stock :milestone, {_id(cp.id + '~checkpoint')}, "
                         f"{cp.day.isoformat()}, 0d")
    text = "\n".join(lines) + "\n"
    return f"```mermaid\n{text}```\n" if fenced else text
