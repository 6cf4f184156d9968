"""Reviewing and changing the protocol, how it was co-produced, the glossary, appendices."""

from __future__ import annotations

import re

from coplan.export.protocol.builder import Builder, long_date
from coplan.export.protocol.content import (
    BulletList,
    Document,
    Gap,
    Paragraph,
    Section,
    Span,
    Table,
    inline,
)
from coplan.export.protocol.words import join_words, plural, sentence
from coplan.privacy import may_be_named, mentions_needs, redaction
from coplan.protocol_gaps import GLOSSARY, HOW_COPRODUCED, PROPOSE_CHANGE, REVIEW_ROUNDS
from coplan.review.engine import Finding
from coplan.vocab import FRAMEWORKS


def changing(b: Builder) -> Section:
    s = Section("changes", b.say("Reviewing and changing this protocol",
                                 "Checking and changing this document"))
    protocol = b.plan.protocol
    phases = [c for c in b.schedule.checkpoints if c.phases]
    if phases:
        b.para(s, b.say(
            "This protocol is a living document. We look at it again at the reflection "
            f"checkpoints at the end of each phase ({plural(len(phases), 'checkpoint')}), and "
            "whenever someone asks.",
            "This document can change. We look at it again when each part of the project "
            "ends, and whenever someone asks."))
    else:
        b.para(s, b.say(
            "This protocol is a living document. We look at it again on the date below, and "
            "whenever someone asks.",
            "This document can change. We look at it again on the date below, and whenever "
            "someone asks."))
    if protocol.next_review:
        b.add(s, b.lead(b.say("Next review"), long_date(protocol.next_review)))
    how = b.plan.communication.between_meetings
    if not PROPOSE_CHANGE.open(b.plan):
        b.add(s, b.lead(b.say("How anyone can propose a change"),
                        b.say("the same way as raising anything else: ",
                              "in the same way as anything else: ") + sentence(b.t(how))))
    else:
        b.gap(s, PROPOSE_CHANGE.topic)
    rows = [[inline(long_date(r.date) or "–"), inline(b.names(r.who) or "–"),
             inline(sentence(b.t(r.changes)) if b.has(r.changes) else "–")]
            for r in protocol.reviews]
    if rows:
        b.add(s, Table(b.say("Change log: review rounds and what changed"),
                       [b.say("Date"), b.say("Who took part"), b.say("What changed")], rows,
                       row_headers=True))
    else:
        b.para(s, b.say("No review rounds are recorded yet.", "We have not reviewed it yet."))
    return s


def how_coproduced(b: Builder) -> Section:
    s = Section("how-coproduced", b.say("How this protocol was co-produced",
                                        "How we wrote this document together"))
    protocol = b.plan.protocol
    b.ask(s, b.say("How we wrote it"), HOW_COPRODUCED)
    reviewers = sorted({pid for r in protocol.reviews for pid in r.who})
    lived = b.plan.lived_in(tuple(reviewers))
    if not REVIEW_ROUNDS.open(b.plan):
        b.para(s, b.say(
            f"{plural(len(protocol.reviews), 'review round')} so far, with "
            f"{plural(len(reviewers), 'person', 'people')} taking part, {len(lived)} of them "
            "with lived experience. What changed because of them is in the change log above.",
            f"We reviewed it {plural(len(protocol.reviews), 'time')}. "
            f"{plural(len(lived), 'person', 'people')} with lived experience took part."))
    else:
        b.gap(s, REVIEW_ROUNDS.topic)
    entries = [e for e in b.plan.log if b.has(e.what)]
    if entries:
        rows = [[inline(long_date(e.date) or "–"), inline(sentence(b.t(e.what))),
                 inline(b.names(e.who) or "–")] for e in entries]
        b.add(s, Table(b.say("Decisions we have taken together so far"),
                       [b.say("Date"), b.say("Decision"), b.say("Who took part")], rows,
                       row_headers=True))
    return s


STANDARD_TERMS: tuple[tuple[str, str, str], ...] = (
    ("co-production",
     "Working as equals with people with lived experience, sharing power and decisions from "
     "the start of a project to its end.",
     "Working as equals and making decisions together, from start to end."),
    ("co-design",
     "People with lived experience help design something and have real influence, but do not "
     "see it through to delivery.",
     "Designing something together. People have a real say, but do not carry it out."),
    ("lived experience",
     "Knowledge that comes from having been through something yourself, or from caring for "
     "someone who has.",
     "What you know from your own life, or from caring for someone."),
    ("patient and public involvement (PPI)",
     "Research or services done with or by patients, carers and the public, not to, about or "
     "for them.",
     "Doing research or services with patients, carers and the public."),
    ("touchpoint",
     "A planned point where people with lived experience take part in a stage: a workshop, a "
     "survey, a conversation.",
     "A time when people with lived experience take part, like a meeting or a survey."),
    ("ladder of co-production",
     "Seven rungs, from coercion to co-production, describing how much power people hold "
     "(Think Local Act Personal).",
     "A way to show how much power people have. The top rung is sharing every decision."),
    ("Involvement Matrix",
     "A conversation tool naming the role a person holds in each phase, from listener to "
     "decision-maker (Smits and colleagues, 2020).",
     "A tool to agree each person's role, from listener to decision-maker."),
    ("slow-down time",
     "Time planned after a stage so that people can read papers, think, and hear back. It is "
     "shown on the timeline, not hidden.",
     "Spare time after a stage, so nobody is rushed."),
    ("project buffer",
     "Time held before the end date so that delays do not move it.",
     "Spare time before the end, in case things take longer."),
    ("reflection checkpoint",
     "A time when the whole team stops to take stock of how we are working together.",
     "A time when we stop and talk about how things are going."),
    ("critical path",
     "The chain of stages where any delay moves the end date.",
     "The stages where a delay makes the whole project later."),
    ("signposting",
     "Pointing people to services and helplines that can support them.",
     "Telling people where they can get help."),
    ("feedback loop",
     "Telling people what was done with what they said, and why.",
     "Telling people what we did with their ideas."),
    ("GRIPP2",
     "A checklist for reporting patient and public involvement in research (Staniszewska and "
     "colleagues, 2017).",
     "A checklist for writing about how people were involved."),
)


def glossary(b: Builder) -> Section:
    s = Section("glossary", b.say("Glossary: the words we use", "What our words mean"))
    ours = {t.term.strip().lower(): t for t in b.plan.protocol.terms if t.term.strip()}
    rows: list[tuple[str, list[Span]]] = []
    for term in b.plan.protocol.terms:
        if term.term.strip():
            rows.append((b.t(term.term), [Span(sentence(b.t(term.meaning))),
                                          Span(b.say(" (our own definition)",
                                                     " (our own words)"))]))
    for word, meaning, plain in STANDARD_TERMS:
        key = word.split(" (")[0].lower()
        if key in ours or word.lower() in ours:
            continue
        rows.append((b.say(word), [Span(b.say(meaning, plain))]))
    rows.sort(key=lambda r: r[0].lower())
    b.para(s, b.say("Terms the team agreed, and the standard terms this protocol uses.",
                    "These are the words we agreed, and other words in this document."))
    b.add(s, Table(b.say("Glossary"), [b.say("Term"), b.say("What it means")],
                   [[inline(term), tuple(meaning)] for term, meaning in rows],
                   row_headers=True))
    if GLOSSARY.open(b.plan):
        b.gap(s, GLOSSARY.topic)
    return s


def _about(b: Builder, f: Finding) -> str:
    subject = f.subject
    if subject.kind == "stage":
        stage = b.plan.stage(subject.id)
        return b.t(stage.title) if stage else subject.id
    if subject.kind == "touchpoint":
        stage = b.plan.stage(subject.stage)
        tp = next((t for t in stage.touchpoints if t.id == subject.id), None) if stage else None
        return b.t(tp.title) if tp and tp.title else subject.id
    if subject.kind == "person":
        return b.name(subject.id)
    if subject.kind == "meeting":
        meeting = next((m for m in b.plan.meetings if m.id == subject.id), None)
        return b.t(meeting.title) if meeting else subject.id
    return b.say("The project") if not subject.id else b.say(f"The project ({subject.id})")


def _finding_text(b: Builder, f: Finding) -> str:
    """A finding as the protocol may show it: a person's own needs stay private, and so do
    the ids of people who did not agree to be named."""
    message = f.message
    rule = b.report.rule(f.rule)
    if mentions_needs(message, redaction(b.plan).needs) or (rule is not None and rule.personal) or (
            f.subject.kind == "person" and f.rule.startswith("CP-ACC")):
        rule = b.report.rule(f.rule)
        title = rule.title if rule else f.rule
        return sentence(b.say(f"{title}: not yet for everyone (the details are about a "
                              "person's own needs, so they stay private)",
                              f"{title}: not yet for everyone. The details are private."))
    for person in b.plan.people:
        if not may_be_named(person):
            message = re.sub(r"(?<![\w'-])" + re.escape(person.id) + r"(?![\w-])",
                             b.name(person.id), message)
    return sentence(b.t(message))


def appendix_check(b: Builder) -> Section:
    from coplan.review.summary import summarise

    report = b.report
    s = Section("appendix-check", b.say("Appendix A: the coplan check summary",
                                        "Extra A: what the coplan check found"), appendix=True)
    summary = summarise(report)
    b.para(s, b.say(
        f"coplan checked the plan against {plural(len(report.rules), 'rule')} drawn from "
        "published guidance. Errors mean co-production is not yet built in; warnings and notes "
        "are worth discussing together.",
        f"coplan checked the plan with {plural(len(report.rules), 'rule')}. Errors must be "
        "fixed. Warnings and notes are things to talk about."))
    rows = [
        [inline(b.say("Errors")), inline(str(report.errors))],
        [inline(b.say("Warnings")), inline(str(report.warnings))],
        [inline(b.say("Notes")), inline(str(report.infos))],
        [inline(b.say("Rules checked")), inline(str(len(report.rules)))],
        [inline(b.say("Rules switched off, with a reason")), inline(str(len(report.skipped)))],
        *([[inline(b.say("Findings accepted, with a reason")),
            inline(str(len(report.accepted)))]] if report.accepted else []),
        [inline(b.say("Stages with a lived-experience touchpoint")),
         inline(f"{summary.covered} of {summary.stages}")],
        [inline(b.say("Stages reaching co-design or deeper")),
         inline(f"{round(summary.deep_share * 100)}%")],
    ]
    b.add(s, Table(b.say("Counts"), [b.say("What"), b.say("Number")], rows, row_headers=True))
    if report.findings:
        frows = [[inline(f.severity.label), inline(f.rule), inline(_about(b, f)),
                  inline(_finding_text(b, f)), inline(sentence(b.t(f.fix)) if f.fix else "–")]
                 for f in report.findings]
        b.add(s, Table(b.say("Findings"), [b.say("Severity"), b.say("Rule"), b.say("About"),
                                           b.say("Finding"), b.say("How to fix it")],
                       frows, wide=True))
    else:
        b.para(s, b.say("There are no findings.", "coplan found nothing to fix."))
    if report.accepted:  # (not counted above: the team accepted each with a reason)
        arows = [[inline(f.rule), inline(_about(b, f)), inline(_finding_text(b, f)),
                  inline(sentence(b.t(f.accepted)))] for f in report.accepted]
        b.add(s, Table(b.say("Findings accepted, and why"),
                       [b.say("Rule"), b.say("About"), b.say("Finding"),
                        b.say("Why it is accepted")], arows, wide=True))
    if report.skipped:
        b.para(s, Span(b.say("Rules switched off, and why") + ":", strong=True))
        b.add(s, BulletList([inline(Span(rid, strong=True), ": " + sentence(b.t(reason)))
                             for rid, reason in sorted(report.skipped.items())]))
    return s


def appendix_gaps(b: Builder) -> Section:
    """Filled in by ``finish`` once every gap is known and numbered."""
    return Section("appendix-gaps", b.say("Appendix B: things we still need to agree",
                                          "Extra B: what we still need to agree"),
                   appendix=True)


USED = ("tlap-ladder", "involvement-matrix", "lundy", "nihr-coproduction", "scie",
        "nihr-payment", "gripp2", "ukspi", "hra", "ccpm")


def appendix_frameworks(b: Builder) -> Section:
    s = Section("appendix-frameworks", b.say("Appendix C: frameworks we draw on, with credits",
                                             "Extra C: where our ideas come from"),
                appendix=True)
    ids = list(USED)
    if b.plan.project.setting == "education" or any(t.towle for t in b.plan.touchpoints):
        ids.insert(3, "towle")
    b.para(s, b.say("This protocol describes these frameworks in its own words. Please credit "
                    "them, with their links, when you reuse this material.",
                    "We explain these in our own words. Please say where they come from if "
                    "you use them."))
    b.add(s, BulletList([inline(b.framework(fid), f": {b.say(FRAMEWORKS[fid].credit)}")
                         for fid in ids]))
    return s


def finish(doc: Document, b: Builder) -> None:
    """Number the gaps in reading order, list them in appendix B and show the count at the
    top of the document."""
    gaps: list[Gap] = []
    for section in doc.walk():
        for block in section.blocks:
            if isinstance(block, Gap):
                gaps.append(block)
    for number, gap in enumerate(gaps, start=1):
        gap.number = number
    doc.gaps = gaps
    appendix = next(s for s in doc.sections if s.id == "appendix-gaps")
    if gaps:
        b.para(appendix, b.say(
            "Each of these is marked in its section. They are a ready-made agenda for the next "
            "meeting.", "Each one is marked in its part of the document. We can use this list "
            "as the agenda for our next meeting."))
        appendix.blocks.append(Table(
            b.say("Open gaps, in the order they appear"),
            [b.say("Number"), b.say("Section"), b.say("What we need to decide")],
            [[inline(Span(str(g.number), link=f"#{g.anchor}")), inline(g.section),
              inline(g.what)] for g in gaps], row_headers=True))
    else:
        b.para(appendix, b.say("Nothing: the plan answers every part of this protocol.",
                               "Nothing. The plan answers every part."))
    count = len(gaps)
    control = doc.sections[0]
    if count:
        text = b.say(
            f" {'This is' if count == 1 else 'These are'} "
            f"{'a part' if count == 1 else 'parts'} of the protocol the plan does not answer "
            "yet. Each is marked in its own section as something to agree together, and all "
            "are listed in ",
            f" {'This is a thing' if count == 1 else 'These are things'} "
            "we have not agreed yet. Each one is marked where it belongs. There is a list in ")
        runs = inline(Span(f"{b.say('Open gaps')}: {count}.", strong=True), text,
                      Span(appendix.title, link="#appendix-gaps"), ".")
    else:
        runs = inline(Span(b.say("Open gaps: 0.") , strong=True), " ",
                      b.say("The plan answers every part of this protocol.",
                            "The plan answers every part."))
    control.blocks.insert(0, Paragraph(runs, kind="gap-count"))


__all__ = ["appendix_check", "appendix_frameworks", "appendix_gaps", "changing", "finish",
           "glossary", "how_coproduced", "join_words"]
