"""Slowing down, reflection, and the "fixed formula" anti-pattern."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from coplan.durations import RootSumSquare, Share, WorkLength
from coplan.model import Stage
from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import stage_subject
from coplan.schedule import buffer_size_days
from coplan.vocab import FORMAT
from coplan.words import count

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


@RULES.stage_rule("CP-SLO-001", "Co-produced stages have time to slow down", Severity.WARNING,
            why="Genuine co-production takes longer: time to build understanding, send papers "
                "ahead and hear back. Plans should say so openly, not squeeze it in.",
            fix="Give the stage slow-down time: {stage.slow_down}, or for every stage "
                "{project.slow_down.stage_buffer}.",
            suggest="25%",
            sources=("nihr-coproduction",))
def stage_slack(ctx: Context, stage: Stage) -> Found:
    # One stage at a time (the stage and the project's settings), so the app's review
    # looks again only at the stages an edit changed.
    if stage.milestone:
        return
    lived = ctx.plan.lived_among
    for tp in stage.touchpoints:
        if lived(tp.who):
            break
    else:
        return  # (``stage_buffer_days``, which asks this first, gives 0 only then)
    if not ctx.plan.project.slow_down.enabled or buffer_size_days(ctx.plan, stage) == 0:
        yield stage_subject(stage), f"'{stage.title}' involves people with lived " \
            "experience but has no time set aside for slowing down"


@RULES.rule("CP-SLO-002", "The end date is protected", Severity.WARNING,
            why="A project buffer before the finish absorbs the delays co-production brings, "
                "without squeezing the last stages.",
            fix="Set {project.slow_down.project_buffer} (such as rss, 10% or 3w).",
            suggest="rss",
            sources=("ccpm",))
def project_buffer(ctx: Context) -> Found:
    size = ctx.plan.project.slow_down.project_buffer
    off = not ctx.plan.project.slow_down.enabled
    zero = (isinstance(size, Share) and size.percent == 0) or \
        (isinstance(size, WorkLength) and size.amount == 0)
    empty_rss = isinstance(size, RootSumSquare) and ctx.schedule is not None and \
        ctx.schedule.project_buffer is None and ctx.schedule.slow_down
    if off or zero or empty_rss:
        yield Subject("project", "slow_down", "", ctx.plan.project.slow_down.line
                      or ctx.plan.project.line), "there is no project buffer before the finish"


@RULES.rule("CP-SLO-003", "Time to stop and take stock", Severity.WARNING, strict=Severity.ERROR,
            why="Every so often the team should stop and reflect together: how are we working, "
                "what has changed, how do people feel.",
            fix="Turn reflection on ({project.reflection.enabled}) and say how often in "
                "{project.reflection.every} (6w is common).",
            suggest="true",
            sources=("ukspi", "nihr-coproduction"))
def reflection(ctx: Context) -> Found:
    r = ctx.plan.project.reflection
    if not r.enabled or not ctx.plan.project.slow_down.enabled:
        yield Subject("project", "reflection", "", r.line or ctx.plan.project.line), \
            "no reflection checkpoints are planned"
        return
    sched = ctx.schedule
    if sched is None or not sched.checkpoints:
        return
    cal = sched.calendar
    marks = [cal.index(sched.start), *(cal.index(c.day) for c in sched.checkpoints),
             cal.index(sched.finish)]
    for before, after in itertools.pairwise(marks):
        if after - before > r.every_days:
            yield Subject("project", "reflection", "", r.line), (
                f"{count(after - before, 'working day')} pass without a reflection checkpoint; the "
                f"plan says no more than {r.every_days}")
            return


@RULES.rule("CP-FIX-001", "Not just a fixed round of meetings", Severity.WARNING,
            why="Co-production is not a formula such as four meetings a year with long minutes; "
                "it is built into the work of each stage.",
            fix="Add touchpoints that fit each stage's work ({stage.touchpoint}: workshops, "
                "co-analysis sessions, reviewing materials), not only standing meetings.",
            sources=("nihr-coproduction",))
def fixed_formula(ctx: Context) -> Found:
    tps = ctx.plan.touchpoints
    standing = [t for t in tps if FORMAT[t.format].extra.get("standing")]
    if ctx.plan.meetings and not tps:
        yield ctx.project(), "involvement happens only through standing meetings"
    elif tps and len(standing) == len(tps):
        yield ctx.project(), "every touchpoint is a standing group meeting: involvement " \
            "follows one fixed formula"


REFLECTION_WEEKS = 13  # a quarter of a year


@RULES.rule("CP-SLO-004", "Reflection comes at least every quarter", Severity.WARNING,
            strict=Severity.ERROR,
            why="Checkpoints a year apart are not reflection: problems in how people are "
                "treated, paid or heard go unnoticed for months. Teams that co-produce stop to "
                f"take stock every few weeks, and at least every {REFLECTION_WEEKS} weeks.",
            fix=f"Set {{project.reflection.every}} to {REFLECTION_WEEKS}w or less (6w is "
                "common).",
            suggest="6w",
            sources=("ukspi", "nihr-coproduction"))
def reflection_often(ctx: Context) -> Found:
    r = ctx.plan.project.reflection
    longest = REFLECTION_WEEKS * ctx.plan.project.days_per_week
    if r.enabled and r.every_days > longest:
        weeks = r.every_days / max(ctx.plan.project.days_per_week, 1)
        yield Subject("project", "reflection", "", r.line_of("every") or r.line), (
            f"reflection checkpoints may be {weeks:.0f} working weeks apart; no more than "
            f"{REFLECTION_WEEKS} is expected")
