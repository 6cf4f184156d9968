"""Inclusion: whose experience, enough voices, many ways to take part."""

from __future__ import annotations

import re
from collections.abc import Iterator

from coplan.agreed import written
from coplan.model import Stage
from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import (
    involved_lived,
    involving,
    named,
    person_subject,
    table_subject,
    touchpoint_subject,
    tp_name,
)
from coplan.vocab import FORMAT, mode_label
from coplan.words import a

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


@RULES.rule("CP-INC-001", "The plan says whose lived experience it needs", Severity.ERROR,
            why="Involving the right people starts with saying whose experience is relevant, "
                "matched to the people the work is for.",
            fix="Say whose experience the project needs in {project.lived_experience_sought}.",
            sources=("hra", "ukspi"))
def experience_sought(ctx: Context) -> Found:
    if not ctx.plan.project.lived_experience_sought:
        yield ctx.project(), "the plan does not say whose lived experience it needs"


@RULES.stage_rule("CP-INC-002", "At least two lived-experience voices at each touchpoint",
            Severity.WARNING,
            why="One person cannot speak for everyone, and being the only one in the room is "
                "hard. Aim for at least two, so views vary and people can support each other.",
            fix="Invite more people with lived experience ({stage.touchpoint.who}), or give "
                "{stage.touchpoint.solo_reason} (for example, a one-to-one the person chose).",
            sources=("spcr", "hra"))
def enough_voices(ctx: Context, stage: Stage) -> Found:
    needed = ctx.plan.review.min_voices
    for tp in stage.touchpoints:
        count = len(ctx.plan.lived_among(tp.who))
        if 0 < count < needed and not written(tp.solo_reason):
            yield touchpoint_subject(tp, "who"), (
                f"{tp_name(ctx.plan, tp)} has {count} lived-experience voice"
                f"{'s' if count != 1 else ''}; the plan asks for at least {needed}")


@RULES.rule("CP-INC-003", "Recruitment reaches beyond the usual people", Severity.WARNING,
            why="Advertising in several places and reaching out to groups who are seldom heard "
                "makes involvement fairer and the work better.",
            fix="List at least two ways you reach people in {recruitment.routes}, and the "
                "groups you will reach in {recruitment.underserved}, each with what you will "
                "do.",
            sources=("ukspi", "scie"))
def recruitment_reach(ctx: Context) -> Found:
    rec = ctx.plan.recruitment
    if not rec.routes:
        yield table_subject(ctx, "recruitment"), "no recruitment routes are listed"
    elif len(rec.routes) < 2:
        yield table_subject(ctx, "recruitment", "routes"), \
            "recruitment uses only one route, so it reaches only the people on it"
    if not rec.underserved:
        yield table_subject(ctx, "recruitment"), "no under-served groups are named"
    for group in rec.underserved:
        if not group.action:
            yield Subject("project", "recruitment", "", group.line), \
                f"no action is planned to reach '{group.group}'"


@RULES.rule("CP-INC-004", "Barriers to taking part are known and tackled", Severity.WARNING,
            why="Cost, timing, place, technology and language all keep people out unless the "
                "team looks for them and acts.",
            fix="List the barriers in {recruitment.barriers}, each with what you will do "
                "about it.",
            sources=("ukspi",))
def barriers(ctx: Context) -> Found:
    rec = ctx.plan.recruitment
    if not rec.barriers:
        yield table_subject(ctx, "recruitment"), "no barriers to taking part are listed"
    for b in rec.barriers:
        if not b.mitigation:
            yield Subject("project", "recruitment", "", b.line), \
                f"nothing is planned about the barrier '{b.barrier}'"


@RULES.rule("CP-INC-005", "More than one way to take part", Severity.WARNING,
            why="People take part in different ways; offering only one format or one mode "
                "shuts some of them out.",
            fix="Vary the formats and modes ({stage.touchpoint.mode}: in person, online, by "
                "phone, on paper).",
            sources=("lundy", "scie"))
def many_ways_in(ctx: Context) -> Found:
    tps = ctx.plan.touchpoints
    if len(tps) < 2:
        return
    if len({t.format for t in tps}) == 1 and len({t.mode for t in tps}) == 1:
        yield ctx.project(), ("every touchpoint is "
                              f"{a(FORMAT.label(tps[0].format).lower())}, "
                              f"{mode_label(tps[0].mode).lower()}")


@RULES.rule("CP-INC-006", "The way people are chosen is described", Severity.INFO,
            why="Fair, open recruitment builds trust.",
            fix="Describe it in {recruitment.selection}.",
            sources=("ukspi",))
def selection(ctx: Context) -> Found:
    if not ctx.plan.recruitment.selection:
        yield table_subject(ctx, "recruitment"), "the plan does not say how people are chosen"


@RULES.rule("CP-INC-007", "An anonymous way to take part on sensitive topics", Severity.WARNING,
            why="On stigmatised or sensitive topics some people can only speak if nobody knows "
                "it is them.",
            fix="Offer an anonymous route: describe one in {support.anonymous_route}, or "
                "switch on {stage.touchpoint.anonymous} for a touchpoint (a survey, say).",
            sources=("lundy",))
def anonymous_route(ctx: Context) -> Found:
    if not ctx.plan.project.sensitive_topic:
        return
    # A touchpoint called anonymous that is not ("Anonymous survey", anonymous = false): the
    # plan promises what it does not offer, and a route that points at it ("The survey.")
    # is no route (found by trying the product as an ethics committee's reviewer).
    for tp in ctx.plan.touchpoints:
        if not tp.anonymous and _CALLED_ANONYMOUS.search(tp.title or ""):
            yield touchpoint_subject(tp, "anonymous"), (
                f"{tp_name(ctx.plan, tp)} is called anonymous, but people cannot take part "
                "in it without being named: anonymous is not switched on")
    if ctx.plan.support.anonymous_route or any(t.anonymous for t in ctx.plan.touchpoints):
        return
    yield ctx.project(ctx.plan.project.line_of("sensitive_topic")), \
        "the topic is sensitive but there is no anonymous way to take part"


_CALLED_ANONYMOUS = re.compile(r"(?<![-\w])(?<!not )(?<!non )anonymous\b", re.IGNORECASE)


@RULES.stage_rule("CP-INC-008", "A lone voice has a reason, whatever the threshold",
                  Severity.WARNING,
            strict=Severity.ERROR,
            why="Lowering [review] min_voices to 1 switches off the check for lone voices, so "
                "a plan can put one person with lived experience in every room and pass. Being "
                "the only one is hard, and one person cannot speak for everyone: each lone "
                "voice needs its own reason, and every report shows the lowered threshold.",
            fix="Invite a second person with lived experience ({stage.touchpoint.who}), or "
                "give {stage.touchpoint.solo_reason} (for example, a one-to-one the person "
                "chose).",
            sources=("spcr", "hra"))
def lone_voice_explained(ctx: Context, stage: Stage) -> Found:
    if ctx.plan.review.min_voices >= 2:
        return  # CP-INC-002 asks for the reason
    for tp in stage.touchpoints:
        if len(ctx.plan.lived_among(tp.who)) == 1 and not written(tp.solo_reason):
            yield touchpoint_subject(tp, "who"), (
                f"{tp_name(ctx.plan, tp)} has one lived-experience voice and does not say "
                "why ('Why only one person with lived experience'); setting 'Fewest voices "
                f"with lived experience' (Review settings) to {ctx.plan.review.min_voices} "
                "only hides it")


_PARTICIPANT_ROLE = re.compile(
    r"\b(?:interviewees?|research participants?|study participants?|respondents?|"
    r"(?:is|are|being|be|was) interviewed|takes? part (?:in|as) (?:an? )?(?:interview|"
    r"participant))\b|^\W*(?:an? )?participants?\b|\bparticipants? in (?:the|an?|our) "
    r"(?:study|interviews?|research|focus groups?|survey)", re.IGNORECASE)
_STUDIED = re.compile(
    r"\b(?:(?:to )?be(?:ing)? interviewed|(?:are|is|get|gets) interviewed|"
    r"(?:we|researchers?|the team|staff)(?: will)? interviews? (?:them|each|every|all|"
    r"contributors|members|"
    r"you|each of them|the group)|interview(?:s|ing)? them|as (?:research |study )?"
    r"participants|(?:collect(?:ing)?|gather(?:ing)?) (?:data|information) (?:from|about) "
    r"them|their answers are (?:our )?data|interview(?:s|ing)? (?:each|every|all|the) "
    r"(?:contributor|member|person|participant|one)s?\b|"
    r"interview(?:s|ing)? (?:each (?:person|of them)|"
    r"people|contributors|(?:group )?members) about their|interviews? with (?:the )?"
    r"(?:contributors|(?:group )?members))\b",
    re.IGNORECASE)
# A word each of ``_STUDIED``'s ways of saying it holds: most texts have none, and this
# one search skips them at once (a large plan has 50,000 touchpoints).
_STUDIED_WORDS = re.compile(r"interview|participants|them|answers", re.IGNORECASE)



def studied(text: str) -> re.Match[str] | None:
    """``_STUDIED.search(text)``, looked for only where one of its words is: in a text of
    ASCII characters, its lower case holds "interview", "participants", "answers", or
    "them" after "from" or "about", as ``_STUDIED`` has it (most sentences about people
    say "them" elsewhere); in any other, ``_STUDIED_WORDS`` (a letter of another script
    may match in any case: "\u212a" is a "k")."""
    if text.isascii():
        low = text.lower()
        if not ("interview" in low or "participants" in low or "answers" in low
                or "from them" in low or "about them" in low):
            return None
    elif _STUDIED_WORDS.search(text) is None:
        return None
    return _STUDIED.search(text)


@RULES.rule("CP-INC-009", "Contributors are not research participants", Severity.ERROR,
            why="People who are interviewed or studied are research participants: they give "
                "data, under consent and ethics approval. Contributors shape the work with the "
                "team. Counting participants as co-producers inflates the involvement and "
                "blurs what each group was promised.",
            fix="Take participants out of the plan's people and touchpoints (the study's "
                "protocol covers them), or describe the contributor role the person really "
                "has in {person.role}: what they shape, decide or write.",
            sources=("nihr-coproduction", "hra"), undated=True)
def participants_apart(ctx: Context) -> Found:
    for person in involved_lived(ctx.plan):
        said = _PARTICIPANT_ROLE.search(person.role)
        if said:
            yield person_subject(person, "role"), (
                f"{named(person)}'s role reads as a research participant's ('{said.group(0)}'), "
                "not a contributor's")
    # What each way of writing a touchpoint's title and purpose says, read once (teams
    # write the same for many touchpoints).
    read: dict[str, re.Match[str] | None] = {}
    for tp in involving(ctx):
        if tp.format == "peer-research":
            continue  # peer researchers interview others: they are the researchers there
        text = f"{tp.title} {tp.purpose}"
        if text not in read:
            read[text] = studied(text)
        found = read[text]
        if found:
            yield touchpoint_subject(tp, "purpose"), (
                f"{tp_name(ctx.plan, tp)} studies the people in it ('{found.group(0)}'): "
                "they are research participants there, not contributors")
