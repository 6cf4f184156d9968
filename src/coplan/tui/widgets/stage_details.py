"""The details pane: the selected stage's touchpoints, links and float, in plain words."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from coplan.durations import calendar_days, plain_days, plain_minutes
from coplan.graph import plan_order
from coplan.review.engine import Severity
from coplan.schedule import Session
from coplan.session import Views
from coplan.tui.widgets.literal import Static
from coplan.tui.widgets.text import show
from coplan.vocab import FORMAT, LADDER, PERSON_KIND, PHASE, ROLE, mode_label

MARK = {Severity.ERROR: "✖", Severity.WARNING: "▲", Severity.INFO: "●"}


def _lived_kind(kind: str) -> str:
    """A person with lived experience's kind, as a few words: "lived experience", "carer",
    "family member"."""
    return "lived experience" if kind == "lived-experience" else PERSON_KIND.label(kind).lower()


def describe_stage(views: Views, stage_id: str | None) -> RenderableType:
    plan = views.plan
    stage = plan.stage(stage_id) if stage_id else None
    if stage is None:
        return Text("Choose a stage to see its details.", style="italic")
    parts: list[RenderableType] = []
    parts.append(Text(stage.title, style="bold"))
    facts = Text()
    if stage.phase:
        facts.append(f"Phase: {PHASE.label(stage.phase)}\n")
    timing = views.schedule.stages.get(stage.id) if views.schedule else None
    if timing:
        if stage.milestone:
            facts.append(f"Milestone on {timing.start:%A %d %B %Y}\n")
        else:
            facts.append(f"{timing.start:%a %d %b %Y} to {timing.end:%a %d %b %Y} "
                         f"({plain_days(stage.duration_days)})\n")
        if timing.buffer_days:
            facts.append(f"Then {plain_days(timing.buffer_days)} set aside for slowing down\n")
        if stage.finished is not None:
            pass  # done: what it could slip no longer matters
        elif timing.critical:
            facts.append("■ On the critical path: if it slips, the end date slips\n",
                         style="bold")
        else:
            facts.append(f"Can slip {plain_days(timing.total_float)} without moving the end\n")
        facts.append(_against_plan(plan, stage, timing.end))
    before = [plan.stage(d.stage).title for d in stage.after if plan.stage(d.stage)]  # type: ignore[union-attr]
    # What waits for it: from the stages' links as the loader worked them out for this
    # plan (a stage's own link to itself is left out there, so looked for here).
    links, _ = plan_order(plan)
    after = [s.title for s in plan.stages
             if stage.id in links.get(s.id, ()) or (s is stage and any(
                 d.stage == stage.id for d in s.after))]
    facts.append("Waits for: " + (", ".join(before) if before else "nothing") + "\n")
    facts.append("Then: " + (", ".join(after) if after else "nothing") + "\n")
    if stage.can_change:
        facts.append(f"What can change: {stage.can_change}\n")
    if stage.fixed:
        facts.append(f"What cannot change: {stage.fixed}\n")
    parts.append(facts)
    findings = sorted((f for f in views.report.findings if f.subject.stage == stage.id),
                      key=lambda f: -f.severity)
    if findings:
        said = Text()
        for f in findings[:4]:
            said.append(f"{MARK[f.severity]} {f.message[:1].upper()}{f.message[1:]}\n")
        more = len(findings) - 4
        said.append((f"…and {more} more on the Review tab (3). " if more > 0 else "")
                    + "f opens the quick fix where there is one.\n", style="italic")
        parts.append(said)
    if not stage.touchpoints and stage.milestone and \
            not views.plan.review.milestones_need_touchpoints:
        # As the stage table says (✔ ok): a milestone marks a moment, and needs no session.
        parts.append(Text("◆ A milestone: a moment in the plan, so it needs no touchpoint. "
                          "Press t to add one if people take part in it."))
    elif not stage.touchpoints:
        parts.append(Text("✖ No touchpoint yet: nobody with lived experience takes part. "
                          "Press t to add one.", style="bold"))
    # The sessions as the delivery record has them, as every output shows them: a session
    # moved is on its new day and says where from, one cancelled says so in words.
    sessions: dict[str, list[str]] = {}
    recorded = views.recorded
    if recorded is not None:
        for session in recorded.sessions:
            if session.stage.id == stage.id:
                sessions.setdefault(session.touchpoint.id, []).append(session_words(session))
    for i, tp in enumerate(stage.touchpoints, start=1):
        block = Text()
        block.append(f"Touchpoint {i}: {tp.title}\n", style="bold underline")
        block.append(f"  {FORMAT.label(tp.format)}, {mode_label(tp.mode).lower()}, "
                     f"{plain_minutes(tp.length_minutes)}\n")
        if tp.ladder:
            block.append(f"  Ladder: {LADDER.label(tp.ladder)}: {LADDER[tp.ladder].meaning}\n")
        else:
            block.append("  Ladder: not chosen yet\n")
        if tp.role:
            block.append(f"  Role: {ROLE.label(tp.role)}: {ROLE[tp.role].meaning}\n")
        else:
            block.append("  Role: not chosen yet\n")
        who = [plan.person(w) for w in tp.who]
        # Who brings lived experience, in the words the People tab uses ("carer").
        names = [f"{p.name or p.id} ({_lived_kind(p.kind)})" if p.lived else p.name or p.id
                 for p in who if p is not None]
        block.append("  Who: " + (", ".join(names) if names else "nobody yet") + "\n")
        dates = sessions.get(tp.id, [])
        if dates:
            shown = ", ".join(dates[:3]) + (f" and {len(dates) - 3} more" if len(dates) > 3
                                            else "")
            block.append(f"  When: {shown}\n")
        if tp.purpose:
            block.append(f"  Purpose: {tp.purpose}\n")
        if tp.feedback:
            block.append(f"  Hearing back: {tp.feedback}\n")
        parts.append(block)
    return Group(*parts)


def session_words(session: Session) -> str:
    """One session's day and time, and what the delivery record says became of it, in
    words: "Tue 16 Mar 2027 14:00 (moved from 12 Mar)", "... (✖ cancelled)"."""
    said = f"{session.day:%a %d %b %Y} {session.time:%H:%M}"
    if session.status == "cancelled":
        return f"{said} (✖ cancelled)"
    if session.planned_day is not None:
        return f"{said} (moved from {session.planned_day:%d %b})"
    return said


class StageDetails(Static):
    """Shows ``describe_stage`` for the selected stage."""

    def show(self, views: Views, stage_id: str | None) -> None:
        show(self, describe_stage(views, stage_id))


def _against_plan(plan: Any, stage: Any, end: date) -> str:
    """What actually happened to a stage, and how it stands against the saved baseline
    (the schedule as agreed): its slippage in words, for the team to see as it happens."""
    said = ""
    if stage.finished is not None:
        said += f"Finished on {stage.finished:%a %d %b %Y}\n"
    elif stage.started is not None:
        said += f"Under way since {stage.started:%a %d %b %Y}\n"
    base = next((b for b in plan.baseline.stages if b.stage == stage.id), None)
    if base is not None and base.finish is not None:
        finish = stage.finished or end
        moved = (finish - base.finish).days
        if moved > 0:
            said += (f"▲ {calendar_days(moved)} later than the baseline "
                     f"(planned to finish {base.finish:%d %b %Y})\n")
        elif moved < 0:
            said += (f"{calendar_days(-moved)} earlier than the baseline "
                     f"(planned to finish {base.finish:%d %b %Y})\n")
        else:
            said += "On time against the baseline\n"
    return said
