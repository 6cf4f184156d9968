"""Depth: how far up the ladder of co-production each stage reaches."""

from __future__ import annotations

from collections.abc import Iterator

from coplan.agreed import written
from coplan.model import Stage
from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import stage_subject, touchpoint_subject, tp_name
from coplan.vocab import FORMAT, LADDER, PHASE, ROLE, mode_label
from coplan.words import a

Found = Iterator[tuple[Subject, str]]

# Which ladder ranks fit each role (Involvement Matrix <-> TLAP ladder).
_ROLE_RANKS = {"listener": (2, 4), "co-thinker": (3, 5), "advisor": (4, 6),
               "partner": (5, 7), "decision-maker": (6, 7)}

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


@RULES.stage_rule("CP-LAD-001", "Nobody is coerced", Severity.ERROR,
            why="Coercion, the lowest rung of the ladder, means people attend but their views are "
                "neither sought nor used. Every other rung can have a place; this one cannot.",
            fix="Change the touchpoint so people's views are sought and used, and record its "
                "real rung in {stage.touchpoint.ladder}.",
            sources=("tlap-ladder",))
def no_coercion(ctx: Context, stage: Stage) -> Found:
    for tp in stage.touchpoints:
        if tp.ladder == "coercion":
            yield touchpoint_subject(tp, "ladder"), f"{tp_name(ctx.plan, tp)} is on the " \
                "coercion rung"


@RULES.stage_rule("CP-LAD-002", "Every stage goes beyond telling people things", Severity.ERROR,
            why="If the deepest involvement in a stage is educating or informing people, things "
                "are done to or for them: there is no co-production in that stage.",
            fix="Add a touchpoint ({stage.touchpoint}) where people with lived experience "
                "share decisions (co-design or co-production), or at least are consulted.",
            sources=("tlap-ladder",))
def beyond_informing(ctx: Context, stage: Stage) -> Found:
    deepest = stage.deepest_ladder
    if deepest in ("educating", "informing", "coercion"):
        yield stage_subject(stage), f"the deepest involvement in '{stage.title}' is " \
            f"{LADDER.label(deepest).lower()}"


@RULES.stage_rule("CP-LAD-003", "Design, analysis and sharing reach co-design", Severity.WARNING,
            strict=Severity.ERROR,
            why="The stages that shape what a project is and what it finds are where shared "
                "decisions matter most.",
            fix="Plan a co-design or co-production touchpoint in the stage; or, if a lower "
                "rung is right here, say why in {stage.touchpoint.rung_reason} (or "
                "{stage.constrained}), rather than relabel the touchpoint.",
            sources=("tlap-ladder", "nihr-coproduction"))
def deep_phases(ctx: Context, stage: Stage) -> Found:
    term = PHASE.get(stage.phase) if stage.phase else None
    if not term or not term.extra.get("deep") or not stage.touchpoints:
        return
    deepest = stage.deepest_ladder
    if deepest is None or LADDER[deepest].rank < LADDER["co-design"].rank:
        if deepest is not None and explained(stage):
            return  # an honest lower rung, with its reason (the summary shows it)
        label = LADDER.label(deepest).lower() if deepest else "not recorded"
        yield stage_subject(stage), f"'{stage.title}' ({term.label.lower()}) reaches " \
            f"only {label}, and no touchpoint says why ('Why this rung is right here')"


def explained(stage: Stage) -> bool:
    """Whether a stage says why it goes no deeper: its deepest touchpoints each give a
    'rung_reason', or the stage says its power to decide is limited ('constrained')."""
    if written(stage.constrained):
        return True
    deepest = stage.deepest_ladder
    top = [t for t in stage.touchpoints if t.ladder == deepest]
    return bool(top) and all(written(t.rung_reason) for t in top)


@RULES.stage_rule("CP-LAD-004", "Consultation alone comes with a reason", Severity.WARNING,
            why="When consultation is the most a stage offers, people may have no power to change "
                "anything, which can feel tokenistic.",
            fix="Deepen the involvement, or record why consultation is right here "
                "({stage.touchpoint.rung_reason}) or why decisions cannot be shared "
                "({stage.constrained}).",
            sources=("tlap-ladder",))
def consultation_explained(ctx: Context, stage: Stage) -> Found:
    if stage.deepest_ladder == "consultation" and not explained(stage):
        yield stage_subject(stage), f"'{stage.title}' goes no deeper than consultation " \
            "and does not say why"


@RULES.stage_rule("CP-LAD-005", "Rung and role agree", Severity.WARNING,
            why="The ladder rung and the role people hold describe the same thing from two "
                "sides; if they disagree, one of them is probably not true.",
            fix="Check {stage.touchpoint.ladder} and {stage.touchpoint.role} together, and "
                "correct the one that does not describe what will happen.",
            sources=("tlap-ladder", "involvement-matrix"))
def rung_matches_role(ctx: Context, stage: Stage) -> Found:
    for tp in stage.touchpoints:
        if not tp.ladder or not tp.role:
            continue
        low, high = _ROLE_RANKS[tp.role]
        if not low <= tp.ladder_rank <= high:
            yield touchpoint_subject(tp, "role"), (
                f"{tp_name(ctx.plan, tp)} is on the {LADDER.label(tp.ladder).lower()} rung "
                f"but people's role is {ROLE.label(tp.role).lower()}")


@RULES.stage_rule("CP-LAD-006", "Involvement happened as deep as planned", Severity.INFO,
            why="Looking back at what really happened, compared with the plan, is how teams learn "
                "and is asked for when reporting involvement.",
            fix="Reflect on why, and record it in {log} or {reflection}.",
            sources=("involvement-matrix", "gripp2"))
def achieved_as_planned(ctx: Context, stage: Stage) -> Found:
    for tp in stage.touchpoints:
        if tp.achieved and tp.ladder and LADDER[tp.achieved].rank < tp.ladder_rank:
            yield touchpoint_subject(tp, "achieved"), (
                f"{tp_name(ctx.plan, tp)} was planned as {LADDER.label(tp.ladder).lower()} "
                f"but reached {LADDER.label(tp.achieved).lower()}")


@RULES.stage_rule("CP-LAD-007", "Each touchpoint records its rung on the ladder", Severity.WARNING,
            why="Without a rung, nobody can see how deep the involvement is meant to be.",
            fix="Choose {stage.touchpoint.ladder}, such as co-design or consultation.",
            sources=("tlap-ladder",))
def ladder_recorded(ctx: Context, stage: Stage) -> Found:
    for tp in stage.touchpoints:
        if not tp.ladder:
            yield touchpoint_subject(tp), f"{tp_name(ctx.plan, tp)} has no ladder rung"


@RULES.rule("CP-LAD-008", "A co-produced plan has co-production in it", Severity.ERROR,
            why="A plan that calls itself co-produced needs at least one stage where people share "
                "decisions and the work itself as equals.",
            fix="Raise a stage to the co-production rung, or stop calling the plan "
                "co-produced (switch off {project.claims_coproduction}).",
            suggest="false",
            sources=("tlap-ladder", "nihr-coproduction"))
def claims_need_coproduction(ctx: Context) -> Found:
    if not ctx.claims or not ctx.plan.stages:
        return
    if not any(s.deepest_ladder == "co-production" for s in ctx.plan.stages):
        yield ctx.project(ctx.plan.project.line_of("claims_coproduction")), \
            "the plan says it is co-produced, but no stage reaches the co-production rung"


# Ways of taking part that cannot carry shared decisions: people answer on their own, in
# their own time, with no conversation in which power could be shared.
_ONE_WAY_FORMATS = frozenset({"survey", "delphi-round", "document-review"})
_ONE_WAY_MODES = frozenset({"online-async", "paper"})


@RULES.rule("CP-LAD-009", "The rung and role fit how people take part", Severity.ERROR,
            why="An asynchronous survey or a document read at home asks people for their views; "
                "nobody shares decisions or power in it. Labelling it co-design, co-production, "
                "partner or decision-maker inflates the plan and hides where decisions are "
                "really taken.",
            fix="Record the rung it really is in {stage.touchpoint.ladder} (consultation or "
                "engagement, the role co-thinker or advisor) and give "
                "{stage.touchpoint.rung_reason} if that is right here; share the decisions in "
                "a live session if they should be shared.",
            sources=("tlap-ladder", "involvement-matrix"))
def rung_fits_format(ctx: Context) -> Found:
    for tp in ctx.plan.touchpoints:
        one_way = tp.format in _ONE_WAY_FORMATS or tp.mode in _ONE_WAY_MODES
        if not one_way:
            continue
        # (a format is a thing, "is a newsletter"; a mode a way, "takes place on paper")
        how = (f"is {a(FORMAT.label(tp.format).lower())}" if tp.format in _ONE_WAY_FORMATS
               else f"takes place {mode_label(tp.mode).lower()}")
        too_deep = tp.ladder_rank >= LADDER["co-design"].rank
        too_strong = tp.role in ("partner", "decision-maker")
        if too_deep or too_strong:
            claims = [LADDER.label(tp.ladder).lower()] if too_deep and tp.ladder else []
            claims += [ROLE.label(tp.role).lower()] if too_strong and tp.role else []
            yield touchpoint_subject(tp, "ladder" if too_deep else "role"), (
                f"{tp_name(ctx.plan, tp)} {how}, which cannot be "
                f"{' or '.join(claims)}: nobody shares decisions in it")
