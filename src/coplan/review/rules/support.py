"""Support, learning, wellbeing and aftercare."""

from __future__ import annotations

from collections.abc import Iterator

from coplan.agreed import written
from coplan.model import Stage
from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import involving, table_subject, touchpoint_subject, tp_name

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


@RULES.rule("CP-SUP-001", "People know whom to contact", Severity.ERROR,
            why="Everyone involved needs a named person to go to with questions or worries.",
            fix="Name them in {support.contact}.",
            sources=("ukspi",))
def named_contact(ctx: Context) -> Found:
    if not ctx.plan.support.contact:
        yield table_subject(ctx, "support"), "there is no named contact for people involved"


@RULES.rule("CP-SUP-002", "Induction or training for the role", Severity.WARNING,
            why="Support and learning build confidence; people should not be left to work out "
                "the role alone.",
            fix="Describe it in {support.induction} or {support.training}.",
            sources=("ukspi",))
def induction(ctx: Context) -> Found:
    s = ctx.plan.support
    if not s.induction and not s.training:
        yield table_subject(ctx, "support"), "no induction or training is offered"


@RULES.rule("CP-SUP-003", "Staff learn how to co-produce too", Severity.WARNING,
            why="Co-production asks new things of researchers and clinicians as well; learning "
                "is for everyone.",
            fix="Describe it in {support.staff_training}.",
            sources=("ukspi",))
def staff_training(ctx: Context) -> Found:
    if not ctx.plan.support.staff_training:
        yield table_subject(ctx, "support"), "no learning is planned for staff"


@RULES.rule("CP-WEL-001", "A process for when someone becomes distressed", Severity.ERROR,
            why="Talking about lived experience can bring up painful memories. The team needs an "
                "agreed, co-developed way to respond, even though this is not a clinical service.",
            fix="Write the process in {protocol.distress}.",
            sources=("lundy", "nihr-coproduction"))
def distress_process(ctx: Context) -> Found:
    demanding = any(t.demanding for t in ctx.plan.touchpoints)
    if (ctx.plan.project.sensitive_topic or demanding) and not ctx.plan.protocol.distress:
        yield table_subject(ctx, "protocol"), "there is no agreed process for when someone " \
            "becomes distressed"


@RULES.stage_rule("CP-WEL-002", "Aftercare after emotionally demanding sessions", Severity.WARNING,
            why="After sharing difficult experiences people may need a debrief, a check-in or "
                "somewhere to turn.",
            fix="Tick {stage.touchpoint.aftercare}, such as a debrief or a wellbeing "
                "check-in.",
            sources=("lundy",))
def aftercare(ctx: Context, stage: Stage) -> Found:
    for tp in stage.touchpoints:
        if tp.demanding and not tp.aftercare:
            yield touchpoint_subject(tp), f"{tp_name(ctx.plan, tp)} is emotionally demanding " \
                "but has no aftercare"


@RULES.rule("CP-WEL-003", "People may pause or stop with nothing lost", Severity.ERROR,
            why="Taking part must always be a choice: people can step back at any time without "
                "losing anything, including payment already earned.",
            fix="Say so in {support.withdraw}.",
            sources=("lundy", "nihr-payment"))
def right_to_withdraw(ctx: Context) -> Found:
    if not ctx.plan.support.withdraw:
        yield table_subject(ctx, "support"), "the plan does not say people may pause or stop " \
            "without losing anything"


@RULES.rule("CP-WEL-004", "Safeguarding and confidentiality where they are needed",
            Severity.WARNING,
            why="Young people, people at risk, and anyone sharing personal stories need clear "
                "safeguarding and confidentiality arrangements.",
            fix="Describe them in {support.safeguarding} and {support.confidentiality}.",
            sources=("nihr-coproduction",))
def safeguarding(ctx: Context) -> Found:
    s = ctx.plan.support
    young = any(p.kind == "young-person" for p in ctx.plan.people)
    if young and not s.safeguarding:
        yield table_subject(ctx, "support"), "young people take part but there is no " \
            "safeguarding procedure"
    stories = ctx.plan.project.sensitive_topic or any(t.demanding for t in ctx.plan.touchpoints)
    if stories and not s.confidentiality:
        yield table_subject(ctx, "support"), "personal stories are shared but there is no " \
            "confidentiality agreement"


@RULES.rule("CP-WEL-005", "Clear boundaries, and where to find support", Severity.WARNING,
            why="Co-production is not a clinical service or a short-cut to care; people should "
                "know that, and where they can turn for help.",
            fix="Write {protocol.boundaries} and {protocol.signposting}.",
            sources=("nihr-coproduction",))
def boundaries(ctx: Context) -> Found:
    if not ctx.plan.project.sensitive_topic:
        return
    p = ctx.plan.protocol
    missing = [k for k, v in (("does not say what the group is not (its boundaries)",
                               p.boundaries),
                              ("does not say where people can turn for help (signposting)",
                               p.signposting)) if not v]
    if missing:
        yield table_subject(ctx, "protocol"), f"the protocol {' and '.join(missing)}"


@RULES.rule("CP-WEL-006", "A sensitive topic is treated as demanding", Severity.WARNING,
            strict=Severity.ERROR,
            why="On a sensitive topic, such as mental health, any session can bring back "
                "painful experiences. A plan that marks no session demanding plans no "
                "aftercare at all. Sessions are demanding unless the team says why not.",
            fix="Switch on {stage.touchpoint.demanding} and plan "
                "{stage.touchpoint.aftercare}, or give "
                "{stage.touchpoint.not_demanding_reason} (for example, checking a leaflet's "
                "layout).",
            sources=("lundy", "shaping-our-lives"))
def sensitive_is_demanding(ctx: Context) -> Found:
    if not ctx.plan.project.sensitive_topic:
        return
    tps = involving(ctx)
    if tps and not any(t.demanding or written(t.not_demanding_reason) for t in tps):
        yield ctx.project(ctx.plan.project.line_of("sensitive_topic")), (
            "the topic is sensitive, but no session is marked demanding and none says why "
            "it is not")
    for tp in tps:
        if tp.demanding or written(tp.not_demanding_reason):
            continue
        if tp.aftercare:
            continue  # aftercare is planned whatever the label
        yield touchpoint_subject(tp), (
            f"the topic is sensitive, but {tp_name(ctx.plan, tp)} is not marked demanding, "
            "has no aftercare and does not say why it needs none")
