"""Closing the loop: people hear what was done with their input, and by whom."""

from __future__ import annotations

import re
from collections.abc import Iterator

from coplan.agreed import written
from coplan.model import Stage
from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import (
    involving,
    table_subject,
    touchpoint_subject,
    tp_name,
)
from coplan.words import count

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


@RULES.stage_rule("CP-COM-001", "People hear what was done with their input", Severity.ERROR,
            why="Telling people what changed because of them, and why some things did not, is "
                "what makes involvement worth their time. It is often forgotten.",
            fix="Say how people will hear back in {stage.touchpoint.feedback}.",
            sources=("lundy", "four-pi", "shaping-our-lives"))
def feedback_planned(ctx: Context, stage: Stage) -> Found:
    for tp in stage.touchpoints:
        if not tp.feedback and ctx.plan.lived_among(tp.who):
            yield touchpoint_subject(tp), f"{tp_name(ctx.plan, tp)} has no plan for telling " \
                "people what happened to their input"


@RULES.stage_rule("CP-COM-002", "Feedback comes soon", Severity.WARNING,
            why="Feedback months later loses its meaning; people should hear back while the "
                "conversation is fresh.",
            fix="Set {stage.touchpoint.feedback_within}, no longer than the plan's limit.",
            suggest="2w",
            sources=("lundy",))
def feedback_soon(ctx: Context, stage: Stage) -> Found:
    limit = ctx.plan.review.feedback_within_days
    for tp in stage.touchpoints:
        within = tp.feedback_within_days
        if not tp.feedback or (within is not None and not within > limit) or \
                not ctx.plan.lived_among(tp.who):
            continue
        if tp.feedback_within_days is None:
            yield touchpoint_subject(tp, "feedback"), f"{tp_name(ctx.plan, tp)} does not " \
                "say by when people hear back"
        elif tp.feedback_within_days > limit:
            yield touchpoint_subject(tp, "feedback_within"), (
                f"people hear back from {tp_name(ctx.plan, tp)} after "
                f"{count(tp.feedback_within_days, 'working day')}; the plan's limit is {limit}")


@RULES.rule("CP-COM-003", "The plain-language summary is written together", Severity.WARNING,
            why="A summary written with people with lived experience is one everyone can read.",
            fix="Write {project.summary} together and switch on {project.summary_co_written}.",
            sources=("ukspi",))
def summary_together(ctx: Context) -> Found:
    p = ctx.plan.project
    if not p.summary:
        yield ctx.project(), "there is no plain-language summary"
    elif not p.summary_co_written:
        yield ctx.project(p.line_of("summary")), "the plain-language summary was not " \
            "written with people with lived experience"


@RULES.rule("CP-COM-004", "A way to raise things between meetings", Severity.WARNING,
            why="Communication should go both ways, and not only at meetings.",
            fix="Describe it in {communication.between_meetings} or list "
                "{communication.channels}.",
            sources=("ukspi",))
def two_way(ctx: Context) -> Found:
    c = ctx.plan.communication
    if not c.between_meetings and not c.channels:
        yield table_subject(ctx, "communication"), "there is no way for people to raise " \
            "things between meetings"


@RULES.stage_rule("CP-LUN-003", "Someone with power to act hears people's views", Severity.ERROR,
            why="Views must reach someone who can act on them; otherwise they go nowhere (the "
                "Lundy model's 'audience').",
            fix="Say who hears the views and can act on them in {stage.touchpoint.heard_by} "
                "(a person or a body that decides), or for every touchpoint in "
                "{governance.heard_by}.",
            sources=("lundy",))
def audience(ctx: Context, stage: Stage) -> Found:
    default = written(ctx.plan.governance.heard_by)
    if default:
        return  # (every touchpoint has someone who hears people's views)
    for tp in stage.touchpoints:
        if not written(tp.heard_by) and ctx.plan.lived_among(tp.who):
            yield touchpoint_subject(tp), f"{tp_name(ctx.plan, tp)} does not say who, with " \
                "the power to act, hears people's views"


_AT_THE_END = re.compile(
    r"\b(?:(?:the|a|our) final report|final report\b|(?:at|by) the (?:very )?end"
    r"(?! of (?:the |each |every |this )?(?:session|meeting|workshop|day|call|week|month|"
    r"stage|phase|event))(?: of the (?:project|study|"
    r"programme|work))?|end[- ]of[- ](?:project|study|programme) report|when the "
    r"(?:project|study) (?:ends|is over|finishes)|once the (?:project|study) (?:ends|is "
    r"over|has finished))\b", re.IGNORECASE)
_END_PHASES = frozenset({"share", "evaluate"})


def at_the_end(text: str) -> re.Match[str] | None:
    """``_AT_THE_END.search(text)``, looked for only where its words could be: in a text
    of ASCII characters, its lower case holds "final report", "the end", "the very end",
    "end of", "end-of", "when the " or "once the " (each way of saying it has one); in any
    other, everywhere (a letter of another script may match in any case)."""
    if text.isascii():
        low = text.lower()
        if not ("final report" in low or "the end" in low or "the very end" in low
                or "end of" in low or "end-of" in low or "when the " in low
                or "once the " in low):
            return None
    return _AT_THE_END.search(text)


@RULES.rule("CP-COM-005", "Feedback is a real plan, not a promise for later", Severity.ERROR,
            why="'TBC' is not a way of hearing back, and a final report at the end of the "
                "project tells people what happened to their input months or years after "
                "they gave it, if at all. Feedback belongs soon after each touchpoint.",
            fix="Write how people hear back after this touchpoint "
                "({stage.touchpoint.feedback}: a 'you said, we did' note, a call, the next "
                "meeting) and by when ({stage.touchpoint.feedback_within}).",
            sources=("lundy", "four-pi", "shaping-our-lives"))
def feedback_real(ctx: Context) -> Found:
    # What each way of writing the feedback says, read once (teams write the same plan
    # for many touchpoints): whether it is more than still to agree, and where it says
    # "at the end".
    agreed: dict[str, bool] = {}
    ends: dict[str, re.Match[str] | None] = {}
    for tp in involving(ctx):
        text = tp.feedback
        if not text:
            continue
        if text not in agreed:
            agreed[text] = bool(written(text))
        if not agreed[text]:
            yield touchpoint_subject(tp, "feedback"), (
                f"{tp_name(ctx.plan, tp)} says only that feedback is still to agree")
            continue
        if text not in ends:
            ends[text] = at_the_end(text)
        found = ends[text]
        if not found:
            continue
        stage = ctx.plan.stage(tp.stage)
        late_phase = stage is not None and stage.phase in _END_PHASES
        if not late_phase:
            yield touchpoint_subject(tp, "feedback"), (
                f"people hear back from {tp_name(ctx.plan, tp)} only through "
                f"'{found.group(0)}', long after the touchpoint")
