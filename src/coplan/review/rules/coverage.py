"""Every stage has co-production built in: touchpoints, lived experience, timing, purpose."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import lru_cache

from coplan.agreed import written
from coplan.durations import parse_offset
from coplan.model import Decision, Stage, Touchpoint
from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import (
    first_lived_day,
    first_sessions,
    name_list,
    stage_subject,
    touchpoint_subject,
    tp_name,
)
from coplan.vocab import PHASE
from coplan.words import count

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


@RULES.stage_rule("CP-STG-001", "Every stage has a lived-experience touchpoint", Severity.ERROR,
            why="Co-production is built in only if people with lived experience take part in "
                "every stage, from the first idea to the end, not just some of them.",
            fix="Add a touchpoint to the stage ({stage.touchpoint}): who takes part, how and "
                "when.",
            sources=("nihr-coproduction", "hra", "ukspi"))
def stage_has_touchpoint(ctx: Context, stage: Stage) -> Found:
    if stage.touchpoints:
        return
    if stage.milestone and not ctx.plan.review.milestones_need_touchpoints:
        return
    yield stage_subject(stage), f"stage '{stage.title}' has no touchpoint: nobody with " \
        "lived experience takes part in it"


@RULES.stage_rule("CP-STG-002", "Each touchpoint involves someone with lived experience",
                  Severity.ERROR,
            why="A meeting of staff only is not involvement: co-production is done with people, "
                "not to, about or for them.",
            fix="Add people with lived experience (service users, carers, experts by "
                "experience) to {stage.touchpoint.who}.",
            sources=("nihr-coproduction",))
def touchpoint_has_lived_experience(ctx: Context, stage: Stage) -> Found:
    for tp in stage.touchpoints:
        if not ctx.plan.lived_among(tp.who):
            who = "nobody is named" if not tp.who else "only staff take part"
            yield touchpoint_subject(tp, "who"), f"{tp_name(ctx.plan, tp)}: {who}, so no " \
                "lived experience is brought in"


def decision_date(ctx: Context, stage: Stage, decision: Decision) -> date | None:
    if ctx.schedule is None:
        return None
    timing = ctx.schedule.stages[stage.id]
    cal = ctx.schedule.calendar
    if isinstance(decision.by, date):
        return decision.by
    if decision.by == "start":
        return timing.start
    if decision.by == "end":
        return timing.end
    sign, days = _offset(decision.by, ctx.plan.project.days_per_week)
    anchor = timing.start if sign > 0 else timing.end
    return cal.add(anchor, sign * days)


@lru_cache(maxsize=256)
def _offset(by: str, days_per_week: int) -> tuple[int, int]:
    """``parse_offset(by)`` as a sign and working days: read once for each way a
    decision's day is written (a large plan has 20,000 decisions, in a few ways)."""
    sign, length = parse_offset(by)
    return sign, length.days(days_per_week)


@RULES.rule("CP-STG-003", "Touchpoints come before the decisions they influence", Severity.ERROR,
            why="Asking people for their views after the decision is made is tokenism: their "
                "input cannot change anything.",
            fix="Move the touchpoint earlier ({stage.touchpoint.when}), or the decision later "
                "({stage.decision.by}).",
            sources=("hra", "shaping-our-lives"))
def no_tokenism(ctx: Context) -> Found:
    if ctx.schedule is None:
        return
    first = first_sessions(ctx.schedule)
    for stage in ctx.plan.stages:
        if not stage.decisions:
            continue
        decisions: dict[str, Decision] | None = None  # made for a touchpoint that feeds one
        dues: dict[str, date | None] = {}  # each decision's, worked out once
        for tp in stage.touchpoints:
            if not tp.influences:
                continue
            held = first.get(tp.id)
            if held is None:
                continue
            if decisions is None:
                decisions = {d.id: d for d in stage.decisions}
            for did in tp.influences:
                decision = decisions.get(did)
                if decision is None:
                    continue
                if did in dues:
                    due = dues[did]
                else:
                    due = dues[did] = decision_date(ctx, stage, decision)
                if due is not None and held >= due:
                    yield touchpoint_subject(tp, "when"), (
                        f"{tp_name(ctx.plan, tp)} happens on {first[tp.id]:%d %b %Y}, not "
                        f"before the decision '{decision.what or did}' is due "
                        f"({due:%d %b %Y}): people would be asked once it is too late")


@RULES.rule("CP-STG-008", "Touchpoints say which decisions they feed, and come first",
            Severity.ERROR,
            why="A touchpoint on a stage with decisions that names none of them can be put "
                "anywhere, even on the stage's last day, after every decision is taken: people "
                "are then heard when nothing can change. Naming the decisions lets the review "
                "check the session comes before them.",
            fix="Tick the decisions it feeds in {stage.touchpoint.influences} and make sure "
                "it happens before they are due; if it truly feeds none, say so in "
                "{stage.touchpoint.purpose} and move it to a stage where it can.",
            sources=("hra", "lundy", "shaping-our-lives"))
def influences_named(ctx: Context) -> Found:
    first = first_sessions(ctx.schedule) if ctx.schedule is not None else {}
    for stage in ctx.plan.stages:
        if not stage.decisions:
            continue
        dues: list[date] | None = None  # worked out for the first touchpoint it fails
        for tp in stage.touchpoints:
            if tp.influences or not ctx.plan.lived_among(tp.who):
                continue
            if dues is None:
                dues = [d for d in (decision_date(ctx, stage, dec) for dec in stage.decisions)
                        if d is not None]
            day = first.get(tp.id)
            if day is not None and dues and day >= max(dues):
                yield touchpoint_subject(tp, "when"), (
                    f"{tp_name(ctx.plan, tp)} names no decision it feeds and happens on "
                    f"{day:%d %b %Y}, when every decision of the stage is already due: they "
                    "would be taken before anyone is heard")
            else:
                yield touchpoint_subject(tp), (
                    f"{tp_name(ctx.plan, tp)} does not say which of the stage's decisions it "
                    "feeds into ('influences')")


@RULES.stage_rule("CP-STG-004", "Each touchpoint says its purpose and what can change",
                  Severity.ERROR,
            why="People should know why they are asked and what their input can change; without "
                "that, involvement cannot be meaningful or honest.",
            fix="Say why the session happens in {stage.touchpoint.purpose}, and what it can "
                "change: tick {stage.touchpoint.influences}, or fill in {stage.can_change}.",
            sources=("shaping-our-lives", "nihr-coproduction"))
def purpose_and_influence(ctx: Context, stage: Stage) -> Found:
    for tp in stage.touchpoints:
        if not written(tp.purpose):
            yield touchpoint_subject(tp), f"{tp_name(ctx.plan, tp)} does not say its purpose"
        elif not tp.influences and not written(stage.can_change):
            yield touchpoint_subject(tp), (
                f"{tp_name(ctx.plan, tp)} does not say what people's input can change")


@RULES.rule("CP-STG-005", "The plan covers the stages where involvement matters most",
            Severity.WARNING,
            why="In research, involvement matters most when the work is designed, when findings "
                "are made sense of, and when they are shared.",
            fix="Add stages (with touchpoints) for design, analysis and sharing "
                "({stage.phase} says which part of the project each is), or explain why a "
                "stage is not part of this project.",
            sources=("nihr-coproduction", "gripp2"))
def covers_key_phases(ctx: Context) -> Found:
    if ctx.plan.project.setting != "research":
        return
    phases = {s.phase for s in ctx.plan.stages}
    missing = [p for p in ("design", "analyse", "share") if p not in phases]
    if missing:
        names = ", ".join(PHASE.label(p).lower() for p in missing)
        yield ctx.project(), f"no stage covers: {names}"


@RULES.rule("CP-STG-006", "Involvement starts at the beginning", Severity.WARNING,
            strict=Severity.ERROR,
            why="People with lived experience should shape the work from the start, before the "
                "main decisions are made, not be brought in once the design is fixed.",
            fix="Add a touchpoint to the first stage (or the design stage), or move the first "
                "session earlier ({stage.touchpoint.when}).",
            sources=("ukspi", "nihr-coproduction"))
def starts_early(ctx: Context) -> Found:
    sched = ctx.schedule
    if sched is None or not ctx.plan.stages:
        return
    first_day = first_lived_day(ctx)
    if first_day is None:
        return
    early = [t for t in sched.stages.values()
             if t.stage.phase in ("identify", "funding", "design", "needs", "curriculum")
             and not t.stage.milestone]
    candidates = early or [t for t in sched.stages.values() if not t.stage.milestone]
    if not candidates:
        return
    limit = min(candidates, key=lambda t: t.end)
    if first_day > limit.end:
        yield ctx.project(), (
            f"the first session with people with lived experience is on {first_day:%d %b %Y}, "
            f"after '{limit.stage.title}' has ended ({limit.end:%d %b %Y})")


COPIED_STAGES = 3
"""In how many stages the same touchpoint (title and purpose, as ``_same_words`` reads
them) says involvement was copied rather than planned: no example or template repeats a
touchpoint even in two stages, and two stages may share one honestly (a feedback session
after each of two rounds); three that share its words, purpose and all, look pasted."""

def _same_words(text: str) -> str:
    """``text`` as copies are compared: case, spaces and punctuation set aside.  (The
    pattern is compiled when a plan first has a touchpoint, not when the rules are
    imported: ``re`` keeps it.)"""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


@RULES.rule("CP-STG-009", "Involvement is planned stage by stage", Severity.WARNING,
            strict=Severity.ERROR,
            why="Each stage asks something different of the people involved; the same "
                "touchpoint, with the same purpose, copied into stage after stage, counts as "
                "involvement everywhere while planning it nowhere, which is how tokenism "
                "looks on paper.",
            fix="Say for each stage what its touchpoint is for and what people can change "
                "there ({stage.touchpoint.title}, {stage.touchpoint.purpose}); a standing "
                "group's regular meetings belong in {meeting}.",
            sources=("tlap-ladder", "involvement-matrix", "nihr-coproduction"), undated=True)
def planned_stage_by_stage(ctx: Context) -> Found:
    plan = ctx.plan
    # (titles first, purposes only where a title is in enough stages: purposes are long,
    # and reading each costs more than the rest of the rule.  Each distinct title and
    # purpose is read once: a plan whose stages were copied has a few dozen, written
    # thousands of times.)
    titles_read: dict[str, str] = {}
    titled: dict[str, list[Touchpoint]] = {}
    for tp in plan.touchpoints:
        title = tp.title
        if title:
            words = titles_read.get(title)
            if words is None:
                words = titles_read[title] = _same_words(title)
            titled.setdefault(words, []).append(tp)
    purposes_read: dict[str, str] = {}
    alike: dict[tuple[str, str], list[Touchpoint]] = {}
    for title, tps in titled.items():
        if not title or len({t.stage for t in tps}) < COPIED_STAGES:
            continue
        for tp in tps:
            purpose = purposes_read.get(tp.purpose)
            if purpose is None:  # ("" where it is not written: a placeholder)
                purpose = purposes_read[tp.purpose] = (_same_words(tp.purpose)
                                                       if written(tp.purpose) else "")
            if purpose:
                alike.setdefault((title, purpose), []).append(tp)
    for tps in alike.values():
        stages = list(dict.fromkeys(t.stage for t in tps))
        if len(stages) < COPIED_STAGES:
            continue
        first = tps[0]
        titles = [s.title if s else sid for sid, s in ((i, plan.stage(i)) for i in stages)]
        yield touchpoint_subject(first, "title"), (
            f"the touchpoint '{first.title}', with the same purpose, is in "
            f"{count(len(stages), 'stage')} ({name_list(titles)}): involvement looks copied "
            "rather than planned stage by stage")


@RULES.rule("CP-STG-007", "Limits on what can change are stated openly", Severity.INFO,
            why="Some decisions are fixed by law, funders or regulators. Saying so openly is "
                "honest and lets people focus where they can have influence.",
            fix="Nothing to fix: this is shown so the protocol explains the limits.",
            sources=("tlap-ladder",))
def constrained_noted(ctx: Context) -> Found:
    for stage in ctx.plan.stages:
        if stage.constrained:
            yield (Subject("stage", stage.id, stage.id, stage.line_of("constrained")),
                   f"stage '{stage.title}' has limits on what can change: {stage.constrained}")
