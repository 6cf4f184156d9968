"""The plan view: stages in the order they happen, with depth and a clear status marker."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from coplan.review.engine import Severity
from coplan.schedule import Schedule
from coplan.session import Views
from coplan.tui.widgets.row_table import Cell, Column, RowTable
from coplan.vocab import LADDER, PHASE
from coplan.words import count

CRITICAL, MILESTONE = "■", "◆"  # before a stage's name: on the critical path; a milestone
# Most important first: at 80 columns the first three are what a room needs to see.
COLUMNS = (Column("Stage", 28), Column("Status", 21), Column("Deepest rung", 21),
           Column("Lived experience", 22), Column("Phase", 16), Column("Start", 11),
           Column("End", 11), Column("Days", 4))


# For a shared screen: fewer columns, whole names.
PRESENTATION_COLUMNS = (Column("Stage", 50), Column("Status", 21), Column("Deepest rung", 21),
                        Column("Lived experience", 0))


# The states a stage's row can be in, as the filter offers them: (label, value).
STATUS_CHOICES = (("✖ needs putting right", "error"), ("✖ nobody with lived experience",
                                                       "no-lived"),
                  ("▲ something to look at", "warning"), ("✔ ok", "ok"))


@dataclass(frozen=True, slots=True)
class StageFilter:
    """Which stages the list shows: words in the name (or id or notes), a state, a person
    taking part, a phase.  Empty parts do not narrow the list."""

    text: str = ""
    status: str = ""
    person: str = ""
    phase: str = ""

    def __bool__(self) -> bool:
        return bool(self.text or self.status or self.person or self.phase)

    def keeps(self, rows: StageRows, stage_id: str) -> bool:
        stage = rows.views.plan.stage(stage_id)
        if stage is None:
            return False
        words = self.text.casefold().split()
        if words:
            said = f"{stage.title} {stage.id} {stage.notes}".casefold()
            if not all(word in said for word in words):
                return False
        if self.status:
            text, kind = rows.status(stage_id)
            if self.status == "no-lived":
                if not text.startswith("✖ no lived"):
                    return False
            elif kind != self.status:
                return False
        if self.person and not any(self.person in t.who for t in stage.touchpoints):
            return False
        return not self.phase or stage.phase == self.phase

    def describe(self, views: Views) -> str:
        """The filter in words: "named “ethics”, with Sam taking part"."""
        said = []
        if self.text:
            said.append(f"with “{self.text}” in the name")
        if self.status:
            said.append(next(label for label, value in STATUS_CHOICES
                             if value == self.status).split(" ", 1)[1])
        if self.person:
            person = views.plan.person(self.person)
            said.append(f"with {person.name or person.id if person else self.person} "
                        "taking part")
        if self.phase:
            said.append(f"in the phase '{PHASE.label(self.phase)}'")
        return ", ".join(said)


def _by_date(sched: Schedule, before: StageRows | None) -> list[str] | None:
    """The stages by start (then as the schedule works them out) from the rows before an
    edit, when the schedule has the stages it had then in the same order, each starting on
    the same day, and at most one stage more; else None."""
    old = before.views.schedule if before is not None else None
    if before is None or before.by_date is None or old is None:
        return None
    order, was = sched.order, old.order
    added = None
    if len(order) == len(was) + 1:
        at = next((i for i, (a, b) in enumerate(zip(was, order, strict=False)) if a != b),
                  len(was))
        if order[:at] != was[:at] or order[at + 1:] != was[at:]:
            return None
        added = order[at]
    elif order != was:
        return None
    timings = sched.stages
    if len(timings) != len(order) or any(
            (now := timings.get(sid)) is None or (now is not then and now.start != then.start)
            for sid, then in old.stages.items()):
        return None
    if added is None:
        return before.by_date
    place = {sid: i for i, sid in enumerate(order)}
    j = bisect.bisect(before.by_date, (timings[added].start, place[added]),
                      key=lambda sid: (timings[sid].start, place[sid]))
    return [*before.by_date[:j], added, *before.by_date[j:]]


class StageRows:
    """What each stage's row says, worked out once per change of the plan.

    ``before``: the rows before an edit.  When the schedule dates the same stages (or one
    more), in the same order, on the same days (an edit that moved no date, or added a
    stage), the stages by date are those worked out then (with the new one put in)."""

    def __init__(self, views: Views, order: str = "date",
                 only: StageFilter | None = None, before: StageRows | None = None) -> None:
        self.views = views
        plan = views.plan
        sched = views.schedule
        self.by_date: list[str] | None = None
        if sched and order == "date":  # by start, then as the schedule works them out
            kept = _by_date(sched, before)
            if kept is None:
                place = {sid: i for i, sid in enumerate(sched.order)}
                kept = sorted(sched.order, key=lambda sid: (sched.stages[sid].start,
                                                            place[sid]))
            self.by_date = kept
            self.order = list(kept)
        else:
            self.order = [s.id for s in plan.stages]
        counts: Counter[tuple[str | None, Severity]] = Counter(
            (f.subject.stage, f.severity) for f in views.report.findings)
        self.counts = counts
        self.total = len(self.order)
        if only:
            self.order = [sid for sid in self.order if only.keeps(self, sid)]

    def status(self, stage_id: str) -> tuple[str, str]:
        """A symbol and a word (never colour alone) for a stage's state, and its meaning."""
        plan = self.views.plan
        stage = plan.stage(stage_id)
        if stage is None:
            return "", ""
        covered = any(plan.lived_in(t.who) for t in stage.touchpoints)
        exempt = stage.milestone and not plan.review.milestones_need_touchpoints
        if not covered and not exempt:
            return "✖ no lived experience", "error"
        errors = self.counts[(stage_id, Severity.ERROR)]
        if errors:
            return f"✖ {errors} error{'s' if errors != 1 else ''}", "error"
        warnings = self.counts[(stage_id, Severity.WARNING)]
        if warnings:
            return f"▲ {warnings} to look at", "warning"
        return "✔ ok", "ok"

    def row(self, index: int) -> Sequence[Cell]:
        sid = self.order[index]
        plan = self.views.plan
        sched = self.views.schedule
        stage = plan.stage(sid)
        if stage is None:
            return (sid,)
        timing = sched.stages.get(sid) if sched else None
        rung = stage.deepest_ladder
        people = sorted({p.name or p.id for t in stage.touchpoints
                         for p in plan.lived_in(t.who)})
        mark = f"{MILESTONE} " if stage.milestone else \
            f"{CRITICAL} " if timing and timing.critical else "  "
        rank = LADDER[rung].rank if rung else 0
        return (
            mark + stage.title,
            self.status(sid),
            f"{'█' * rank}{'·' * (7 - rank)} {LADDER.label(rung) if rung else 'none'}",
            ", ".join(people) if people else ("nobody yet", "muted"),
            PHASE.label(stage.phase) if stage.phase else "",
            f"{timing.start:%d %b %Y}" if timing else "",
            f"{timing.end:%d %b %Y}" if timing and not stage.milestone else "",
            str(stage.duration_days),
        )


class StageTable(RowTable):
    """Stages as rows, keyed by stage id; ■ marks the critical path, ◆ a milestone."""

    # What the marks before a stage's name mean, said under the list (``PlanPane``): the
    # "■" was explained only in the selected stage's details.
    MARKS = (f"{CRITICAL} on the critical path: if it slips, the end slips · "
             f"{MILESTONE} a milestone")

    def __init__(self, **kwargs: str | None) -> None:
        super().__init__(COLUMNS, empty="No stages yet: press a to add the first one.",
                         **kwargs)
        self.order = "date"  # or "file": the order the stages are written in the plan
        self.only = StageFilter()
        self.rows: StageRows | None = None

    def set_presentation(self, on: bool) -> None:
        """Fewer, wider columns for reading across a room."""
        self.columns = list(PRESENTATION_COLUMNS if on else COLUMNS)
        self.set_rows(self.keys, self._make_row)

    def refresh_from(self, views: Views) -> None:
        """Redraw from the plan, keeping the selected stage selected."""
        rows = self.rows = StageRows(views, self.order, self.only, self.rows)
        self.empty = ("No stage matches what you asked to see: press / to change it."
                      if self.only and rows.total else
                      "No stages yet: press a to add the first one.")
        self.set_rows(rows.order, rows.row)

    def describe(self) -> str:
        """What the list shows, in words: which stages, in which order."""
        rows = self.rows
        if rows is None:
            return ""
        order = ("in the order they happen" if self.order == "date" else
                 "in the order they are written in the plan")
        if not self.only:
            every = "The only stage" if rows.total == 1 else f"All {count(rows.total, 'stage')}"
            return f"{every}, {order}. / finds stages · O changes the order"
        return (f"Showing {len(rows.order)} of {count(rows.total, 'stage')}: "
                f"{self.only.describe(rows.views)}; {order}. / changes what is shown")

    @property
    def selected_stage(self) -> str | None:
        return self.cursor_key

    def select_stage(self, stage_id: str) -> bool:
        """Move the cursor to the stage; False when the list does not show it."""
        return self.move_to(stage_id)
