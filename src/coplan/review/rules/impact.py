"""Impact and evaluation, and readiness to report involvement (GRIPP2)."""

from __future__ import annotations

from collections.abc import Iterator

from coplan.model import Stage
from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import (
    involved_lived,
    name_list,
    named,
    person_subject,
    table_subject,
    touchpoint_subject,
    tp_name,
)

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


@RULES.rule("CP-IMP-001", "The impact of co-production is captured", Severity.ERROR,
            why="To learn what difference co-production made (to people, to the project, to "
                "wider knowledge) the team needs a method and a time to capture it.",
            fix="Choose how impact is captured in {evaluation.methods}, and say when in "
                "{evaluation.when}.",
            sources=("ukspi", "gripp2"))
def impact_method(ctx: Context) -> Found:
    e = ctx.plan.evaluation
    if not e.methods:
        yield table_subject(ctx, "evaluation"), "no method is planned for capturing the " \
            "impact of co-production"
    elif not e.when:
        yield table_subject(ctx, "evaluation", "methods"), "the plan does not say when impact " \
            "is captured"


@RULES.rule("CP-IMP-002", "The evaluation is designed together", Severity.WARNING,
            why="People with lived experience should help decide what impact to look for and how.",
            fix="Design it together and switch on {evaluation.co_designed}.",
            sources=("ukspi",))
def evaluation_together(ctx: Context) -> Found:
    if ctx.plan.evaluation.methods and not ctx.plan.evaluation.co_designed:
        yield table_subject(ctx, "evaluation"), "the evaluation was not designed with people " \
            "with lived experience"


@RULES.rule("CP-IMP-004", "Room for what went wrong", Severity.WARNING,
            why="Honest reporting includes negative and unintended effects and reflection on "
                "them.",
            fix="Add negative impact (what went wrong) to {evaluation.domains}, and say where "
                "reflections are kept in {evaluation.reflection_log}.",
            suggest="negative",
            sources=("gripp2",))
def negative_effects(ctx: Context) -> Found:
    e = ctx.plan.evaluation
    if "negative" not in e.domains:
        yield table_subject(ctx, "evaluation"), "the evaluation has no place for negative or " \
            "unintended effects"
    if not e.reflection_log:
        yield table_subject(ctx, "evaluation"), "there is no reflection log"


@RULES.rule("CP-IMP-005", "Impact on the people involved, not only the research", Severity.INFO,
            why="Co-production affects the people who take part (confidence, skills, wellbeing); "
                "that impact counts too.",
            fix="Add the contributors themselves to {evaluation.domains}.",
            suggest="contributors",
            sources=("ukspi", "four-pi"))
def people_impact(ctx: Context) -> Found:
    if ctx.plan.evaluation.methods and "contributors" not in ctx.plan.evaluation.domains:
        yield table_subject(ctx, "evaluation"), "the evaluation does not look at the impact " \
            "on the people involved"


@RULES.rule("CP-REP-001", "The plan gathers what the final report needs", Severity.WARNING,
            why="Reporting involvement (the GRIPP2 short form) needs its aim, how it was done, "
                "what it changed, and reflection; the plan should collect them as it goes.",
            fix="Fill in {project.aim}, {evaluation.methods} and {evaluation.reflection_log}.",
            sources=("gripp2",))
def gripp2_ready(ctx: Context) -> Found:
    missing = []
    if not ctx.plan.project.aim:
        missing.append("the aim of involvement (item 1)")
    if not ctx.plan.evaluation.methods:
        missing.append("how its results are captured (items 3 and 4)")
    if not ctx.plan.evaluation.reflection_log:
        missing.append("reflection (item 5)")
    if missing:
        yield ctx.project(), "nothing in the plan will answer these GRIPP2 items: " + \
            "; ".join(missing)


@RULES.rule("CP-REP-002", "How people wish to be credited", Severity.INFO,
            why="Some people want to be named, some by initials, some not at all; ask before "
                "acknowledging anyone.",
            fix="Choose {person.credit}: named, initials or anonymous.",
            sources=("nihr-payment",))
def credit(ctx: Context) -> Found:
    for person in involved_lived(ctx.plan):
        if person.credit is None:
            yield person_subject(person), f"{named(person)} has not said how they wish to be " \
                "credited"


@RULES.rule("CP-REP-003", "Personal data of people involved is handled with care", Severity.INFO,
            why="People involved are not research participants, but their personal data (for "
                "payment, say) still needs careful handling.",
            fix="Describe it in {protocol.data_handling}.",
            sources=("hra",))
def data_handling(ctx: Context) -> Found:
    if not ctx.plan.protocol.data_handling:
        yield table_subject(ctx, "protocol"), "the plan does not say how people's personal " \
            "data is handled"


@RULES.rule("CP-EDU-001", "Patients teach as equal partners", Severity.WARNING,
            strict=Severity.ERROR,
            why="In education, the deepest involvement has patients as equal partners in "
                "teaching and designing the curriculum (Towle's level E or F).",
            fix="Plan a touchpoint at Towle level E or F ({stage.touchpoint.towle}).",
            sources=("towle",))
def towle_level(ctx: Context) -> Found:
    if ctx.plan.project.setting != "education":
        return
    levels = [t.towle for t in ctx.plan.touchpoints if t.towle]
    if not levels or max(levels) < "e":
        best = max(levels).upper() if levels else "not recorded"
        yield ctx.project(), f"the highest level of patient involvement in teaching is {best}"


@RULES.stage_rule("CP-EDU-002", "Patient teachers are prepared, debriefed and paid",
                  Severity.WARNING,
            why="Teaching from one's own experience can be draining; patient teachers need a "
                "briefing, a debrief and fair payment.",
            fix="Tick a briefing (or training) in {stage.touchpoint.support}, a debrief in "
                "{stage.touchpoint.aftercare}, and say how people are paid "
                "({stage.touchpoint.payment}).",
            sources=("towle", "nihr-payment"))
def patient_teachers(ctx: Context, stage: Stage) -> Found:
    standard = ctx.plan.payment.standard
    for tp in stage.touchpoints:
        if tp.format != "teaching-session" or not ctx.plan.lived_among(tp.who):
            continue
        prepared = {"briefing", "training"} & set(tp.support)
        missing = [k for k, ok in (("briefing", prepared), ("debrief", "debrief" in tp.aftercare),
                                   ("payment", tp.payment or standard)) if not ok]
        if missing:
            yield touchpoint_subject(tp), \
                f"{tp_name(ctx.plan, tp)} is a teaching session with no " \
                f"{name_list(missing, quote=False, last='or')} for the patient teachers"


@RULES.rule("CP-ETH-001", "Lived experience shapes what ethics reviewers see", Severity.WARNING,
            why="When a study needs ethics approval, people with lived experience should help "
                "shape what participants will see and be asked (information sheets, consent, "
                "burden and risks) before it goes to the ethics committee.",
            fix="Add a lived-experience touchpoint ({stage.touchpoint}) to a stage in the "
                "design, materials or approvals phase, before the ethics submission.",
            sources=("hra",))
def ethics_shaped(ctx: Context) -> Found:
    if not ctx.plan.project.ethics_review:
        return
    shaping = [s for s in ctx.plan.stages if s.phase in ("design", "materials", "approvals")
               and any(ctx.plan.lived_among(t.who) for t in s.touchpoints)]
    if not shaping:
        yield ctx.project(ctx.plan.project.line_of("ethics_review")), (
            "the study needs ethics approval, but nobody with lived experience takes part in "
            "designing it or preparing the ethics application")
