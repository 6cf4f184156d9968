"""The at-a-glance summary a reviewer reads first: coverage, depth, roles, slow-down.

Plain data, so the text, Markdown and HTML reports (and the TUI) draw the same picture.
"""

from __future__ import annotations

from coplan.agreed import written
from coplan.model import Person, Plan
from coplan.records import dataclass
from coplan.review.runner import Report
from coplan.vocab import IM_PHASES, LADDER, PHASE, ROLE


@dataclass(frozen=True, slots=True)
class StageDepth:
    """How deeply people with lived experience take part in one stage."""

    stage: str
    title: str
    phase: str
    rung: str | None
    rank: int
    covered: bool
    errors: int
    reason: str = ""  # why the deepest rung is right here, when the plan says (honest rungs)


@dataclass(frozen=True, slots=True)
class Summary:
    """The reviewer's summary: coverage, depth of involvement and who does what."""

    stages: int
    covered: int
    depths: list[StageDepth]
    deep_share: float
    matrix: dict[str, dict[str, str]]  # person label -> IM phase -> highest role
    people: list[str]
    added_days: int
    stage_buffer_days: int
    project_buffer_days: int
    checkpoints: int
    finish: str
    finish_without: str


def person_label(plan: Plan, person_id: str) -> str:
    """A person as others may see them: their name only if they agreed to share it, else
    the label every output for others gives them ("S. (co-researcher with lived
    experience)", ``privacy.Redaction``), so that the review's text and its other formats
    say the same.  (In a copy made for others, every name already is that label.)"""
    person = plan.person(person_id)
    if person is None:
        return person_id
    if person.share_name and person.name:
        return person.name
    from coplan.privacy import redaction

    return redaction(plan).labels.get(person_id, person_id)


def summarise(report: Report) -> Summary:
    plan = report.plan
    errors_by_stage: dict[str, int] = {}
    for f in report.findings:
        if f.subject.stage and f.severity.name == "ERROR":
            errors_by_stage[f.subject.stage] = errors_by_stage.get(f.subject.stage, 0) + 1
    depths = []
    lived: dict[tuple[str, ...], list[Person]] = {}  # the lived experience in each 'who'

    def lived_in(who: tuple[str, ...]) -> list[Person]:
        found = lived.get(who)
        if found is None:
            found = lived[who] = plan.lived_in(who)
        return found

    for stage in plan.stages:
        rung = stage.deepest_ladder
        covered = any(lived_in(t.who) for t in stage.touchpoints)
        reasons = [written(t.rung_reason) for t in stage.touchpoints
                   if t.ladder == rung and written(t.rung_reason)]
        depths.append(StageDepth(stage.id, stage.title,
                                 PHASE.label(stage.phase) if stage.phase else "",
                                 rung, LADDER[rung].rank if rung else 0, covered,
                                 errors_by_stage.get(stage.id, 0),
                                 reasons[0] if reasons else ""))
    deep = sum(1 for d in depths if d.rank >= LADDER["co-design"].rank)
    matrix: dict[str, dict[str, str]] = {}
    order: list[str] = []
    labels: dict[str, str] = {}  # each person's, worked out once
    ranks: dict[str, int] = {}  # each role's, likewise

    def rank(role: str) -> int:
        found = ranks.get(role)
        if found is None:
            found = ranks[role] = ROLE[role].rank
        return found

    # A touchpoint like one before it (the same phase, role and people) changes nothing:
    # a role is kept only where it ranks above the one kept, and "" only where none is.
    met: set[tuple[str, str | None, tuple[str, ...]]] = set()
    for stage in plan.stages:
        im = PHASE[stage.phase].extra["im"] if stage.phase else "execution"
        for tp in stage.touchpoints:
            key = (im, tp.role, tp.who)
            if key in met:
                continue
            met.add(key)
            for person in lived_in(tp.who):
                label = labels.get(person.id)
                if label is None:
                    label = labels[person.id] = person_label(plan, person.id)
                if label not in matrix:
                    matrix[label] = {}
                    order.append(label)
                current = matrix[label].get(im)
                if tp.role and (not current or rank(tp.role) > rank(current)):
                    matrix[label][im] = tp.role
                elif current is None:
                    matrix[label][im] = ""
    sched = report.schedule
    return Summary(
        stages=len(plan.stages), covered=sum(1 for d in depths if d.covered), depths=depths,
        deep_share=deep / len(depths) if depths else 0.0, matrix=matrix, people=order,
        added_days=sched.added_days if sched else 0,
        stage_buffer_days=sched.stage_buffer_days if sched else 0,
        project_buffer_days=sched.project_buffer.days if sched and sched.project_buffer else 0,
        checkpoints=len(sched.checkpoints) if sched else 0,
        finish=sched.finish.isoformat() if sched else "",
        finish_without=sched.finish_without_slow_down.isoformat() if sched else "",
    )


def rung_bar(rank: int, width: int = 7) -> str:
    """A bar that shows depth by length and pattern, never by colour alone."""
    return "█" * rank + "·" * (width - rank)


__all__ = ["IM_PHASES", "StageDepth", "Summary", "person_label", "rung_bar", "summarise"]
