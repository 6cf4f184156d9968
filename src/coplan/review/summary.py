"""The at-a-glance summary a reviewer reads first: coverage, depth, roles, slow-down.

Plain data, so the text, Markdown and HTML reports (and the TUI) draw the same picture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coplan.agreed import written
from coplan.model import Person, Plan
from coplan.records import dataclass
from coplan.review.engine import Severity
from coplan.review.runner import Report
from coplan.vocab import IM_PHASES, LADDER, PHASE, ROLE

if TYPE_CHECKING:
    from coplan.sharing import Parts


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
    the label every output for others gives them ("S. (person with lived
    experience)", ``privacy.Redaction``), so that the review's text and its other formats
    say the same.  (In a copy made for others, every name already is that label.)"""
    person = plan.person(person_id)
    if person is None:
        return person_id
    from coplan.privacy import may_be_named, team_labels

    if may_be_named(person):
        return person.name

    return team_labels(plan).get(person_id, person_id)


def _rows_counted(matrix: dict[str, dict[str, str]], order: list[str],
                  whose: dict[str, set[str]]) -> tuple[dict[str, dict[str, str]], list[str]]:
    """The Involvement Matrix with each row that stands for several people shown alike
    saying how many (``privacy.row_of``: "someone (3 people)").  A row of one person is
    as it was."""
    if all(len(ids) < 2 for ids in whose.values()):
        return matrix, order
    from coplan.privacy import row_of

    return {row_of(label, len(whose[label])): phases for label, phases in matrix.items()}, \
        [row_of(label, len(whose[label])) for label in order]


def summarise(report: Report) -> Summary:
    # A report for others made with its summary (``for_others.Summarised``) has it.
    known: Summary | None = getattr(report, "summary", None)
    if known is not None:
        return known
    return _summary(report, report.plan, None)


def summary_for_others(report: Report, plan: Plan, parts: Parts) -> Summary:
    """``summarise`` of a report for others made from the whole copy of ``plan``
    (``sharing.shared_plan``), worked out from ``plan`` with only what it reads of each
    stage as the copy has it (``parts``; the report's plan is ``parts.outline``)."""
    return _summary(report, plan, parts)


def _summary(report: Report, source: Plan, parts: Parts | None) -> Summary:
    """The summary of ``report``: its stages those of ``source`` (as ``parts`` says the
    copy for others has each, where given), its people those of the report's plan."""
    plan = report.plan
    errors_by_stage: dict[str, int] = {}
    error = Severity.ERROR
    for f in report.findings:
        if f.severity is error and f.subject.stage:
            errors_by_stage[f.subject.stage] = errors_by_stage.get(f.subject.stage, 0) + 1
    depths = []
    lived: dict[tuple[str, ...], list[Person]] = {}  # the lived experience in each 'who'

    def lived_in(who: tuple[str, ...]) -> list[Person]:
        found = lived.get(who)
        if found is None:
            found = lived[who] = plan.lived_in(who)
        return found

    # Each stage's touchpoints' lists of who takes part, as the summary reads them.
    whos: list[list[tuple[str, ...]]] = []
    for stage in source.stages:
        rung = stage.deepest_ladder
        touchpoints = stage.touchpoints
        if parts is None:
            sid, title = stage.id, stage.title
            who = [t.who for t in touchpoints]
            reasons = [written(t.rung_reason) for t in touchpoints
                       if t.ladder == rung and written(t.rung_reason)]
        else:
            same = parts.within(stage, parts.same)
            sid, title = parts.value(stage, "id", same), parts.value(stage, "title", same)
            who = [parts.value(t, "who", parts.within(t, same)) for t in touchpoints]
            reasons = []
            for t in touchpoints:
                if t.ladder == rung:
                    reason = written(parts.value(t, "rung_reason", parts.within(t, same)))
                    if reason:
                        reasons.append(reason)
                        break
        whos.append(who)
        covered = any(lived_in(w) for w in who)
        depths.append(StageDepth(sid, title,
                                 PHASE.label(stage.phase) if stage.phase else "",
                                 rung, LADDER[rung].rank if rung else 0, covered,
                                 errors_by_stage.get(sid, 0),
                                 reasons[0] if reasons else ""))
    deep = sum(1 for d in depths if d.rank >= LADDER["co-design"].rank)
    matrix: dict[str, dict[str, str]] = {}
    order: list[str] = []
    labels: dict[str, str] = {}  # each person's, worked out once
    # Whose each row is: people shown alike (everyone who chose to be anonymous is
    # "someone" to others) share a row, which says how many they are (``privacy.row_of``).
    whose: dict[str, set[str]] = {}
    ranks: dict[str, int] = {}  # each role's, likewise

    def rank(role: str) -> int:
        found = ranks.get(role)
        if found is None:
            found = ranks[role] = ROLE[role].rank
        return found

    # A touchpoint like one before it (the same phase, role and people) changes nothing:
    # a role is kept only where it ranks above the one kept, and "" only where none is.
    met: set[tuple[str, str | None, tuple[str, ...]]] = set()
    for stage, who in zip(source.stages, whos, strict=True):
        im = PHASE[stage.phase].extra["im"] if stage.phase else "execution"
        for tp, tp_who in zip(stage.touchpoints, who, strict=True):
            key = (im, tp.role, tp_who)
            if key in met:
                continue
            met.add(key)
            for person in lived_in(tp_who):
                label = labels.get(person.id)
                if label is None:
                    label = labels[person.id] = person_label(plan, person.id)
                if label not in matrix:
                    matrix[label] = {}
                    order.append(label)
                    whose[label] = set()
                whose[label].add(person.id)
                current = matrix[label].get(im)
                if tp.role and (not current or rank(tp.role) > rank(current)):
                    matrix[label][im] = tp.role
                elif current is None:
                    matrix[label][im] = ""
    matrix, order = _rows_counted(matrix, order, whose)
    sched = report.schedule
    return Summary(
        stages=len(source.stages), covered=sum(1 for d in depths if d.covered), depths=depths,
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


__all__ = ["IM_PHASES", "StageDepth", "Summary", "person_label", "rung_bar",
           "summarise", "summary_for_others"]
