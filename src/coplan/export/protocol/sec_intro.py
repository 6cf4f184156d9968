"""Document control, the summary, why we work together, what we mean, who is involved."""

from __future__ import annotations

from coplan.export.protocol.builder import Builder, long_date
from coplan.export.protocol.content import (
    BulletList,
    Paragraph,
    Section,
    Span,
    Table,
    inline,
)
from coplan.export.protocol.words import join_words, plural, sentence
from coplan.privacy import unnamed
from coplan.protocol_gaps import (
    AIM,
    BARRIER_MITIGATION,
    BARRIERS,
    CAN_CHANGE,
    CANNOT_CHANGE,
    NEXT_REVIEW,
    PRINCIPLES,
    PURPOSE,
    ROUTES,
    SELECTION,
    SOUGHT,
    SUMMARY,
    SUMMARY_CO_WRITTEN,
    UNDERSERVED,
    UNDERSERVED_ACTION,
)
from coplan.vocab import CREDIT, FRAMEWORKS, LADDER, PERSON_KIND, ROLE, TOWLE


def control(b: Builder) -> Section:
    s = Section("control", b.say("Document control", "About this document"))
    protocol = b.plan.protocol
    rows = [
        [inline(b.say("Version")), inline(b.t(protocol.version))],
        [inline(b.say("Status")), inline(b.t(protocol.status))],
        [inline(b.say("Produced on")), inline(long_date(b.produced))],
        [inline(b.say("Next review")),
         inline(long_date(protocol.next_review) or b.say("Not set yet"))],
    ]
    b.add(s, Table(b.say("About this version of the protocol"),
                   [b.say("Item"), b.say("Detail")], rows, row_headers=True))
    if NEXT_REVIEW.open(b.plan):
        b.gap(s, NEXT_REVIEW.topic)

    if protocol.coauthors:
        rows = []
        for pid in protocol.coauthors:
            person = b.plan.person(pid)
            if person is None:
                continue
            rows.append([inline(b.name(pid)), inline(b.brings(person)),
                         inline(CREDIT.label(person.credit) if person.credit
                                else b.say("Not recorded yet"))])
        b.add(s, Table(b.say("The people who wrote this protocol"),
                       [b.say("Co-author"), b.say("Brings"), b.say("How they want to be credited")],
                       rows, row_headers=True))
        if not b.plan.lived_in(protocol.coauthors):
            b.gap(s, "which people with lived experience co-write this protocol: at the "
                     "moment no co-author brings lived experience")
    else:
        b.gap(s, "who writes this protocol with us, including people with lived experience")

    rows = []
    signed = set()
    for signoff in protocol.signoffs:
        if signoff.version == protocol.version:
            signed.add(signoff.who)
        rows.append([inline(b.name(signoff.who)), inline(b.t(signoff.version) or "?"),
                     inline(long_date(signoff.date) or b.say("No date recorded"))])
    for pid in protocol.coauthors:
        if pid not in signed and b.plan.person(pid) is not None:
            rows.append([inline(b.name(pid)), inline(b.t(protocol.version)),
                         inline(b.say("Not signed yet"))])
    if rows:
        b.add(s, Table(b.say("Who signed off which version, and when"),
                       [b.say("Who"), b.say("Version"), b.say("Date")], rows, row_headers=True))
    if not b.plan.lived_in(tuple(signed)):
        b.gap(s, f"who signs off version {b.t(protocol.version)} of this protocol, including "
                 "people with lived experience, and when")
    return s


def summary(b: Builder) -> Section:
    s = Section("summary", b.say("Plain-language summary", "Our project in a few words"))
    if b.ask(s, b.say("What the project is about"), SUMMARY):
        if not SUMMARY_CO_WRITTEN.open(b.plan):
            b.para(s, b.say("This summary was written or checked by people with lived "
                            "experience.", "People with lived experience wrote or checked "
                            "this summary."))
        else:
            b.gap(s, SUMMARY_CO_WRITTEN.topic)
    finish = b.schedule.finish
    b.para(s, b.say(
        f"The project starts on {long_date(b.schedule.start)} and is planned to finish by "
        f"{long_date(finish)}. It has {plural(len(b.plan.stages), 'stage')}; people with "
        f"lived experience take part in {_covered(b)} of them.",
        f"We start on {long_date(b.schedule.start)}. We plan to finish by {long_date(finish)}. "
        f"There are {plural(len(b.plan.stages), 'stage')}. People with lived experience take "
        f"part in {_covered(b)} of them."))
    return s


def _covered(b: Builder) -> int:
    return sum(1 for st in b.plan.stages if any(b.plan.lived_in(t.who) for t in st.touchpoints))


def why(b: Builder) -> Section:
    s = Section("why", b.say("Why we are working together, and what can change",
                             "Why we work together, and what we can change"))
    b.ask(s, b.say("Our shared purpose"), PURPOSE)
    b.ask(s, b.say("What involving people with lived experience is for"), AIM)
    b.ask(s, b.say("What people with lived experience can change"), CAN_CHANGE)
    b.ask(s, b.say("What cannot change, and why"), CANNOT_CHANGE)
    rows = []
    missing = []
    for stage in b.plan.stages:
        if stage.milestone and not stage.touchpoints:
            continue
        can = b.t(stage.can_change) if b.has(stage.can_change) else ""
        fixed = b.t(stage.fixed) if b.has(stage.fixed) else ""
        if stage.constrained:
            fixed = join_words([fixed, b.say("who has the final say: ") + b.t(stage.constrained)],
                               ";") if fixed else b.t(stage.constrained)
        if not can:
            missing.append(b.t(stage.title))
        rows.append([inline(b.t(stage.title)), inline(can or b.say("Not agreed yet")),
                     inline(fixed or "–")])
    if rows:
        b.add(s, Table(b.say("What can and cannot change in each stage"),
                       [b.say("Stage"), b.say("Open to change"),
                        b.say("Fixed, and why")], rows, row_headers=True))
    if missing:
        b.gap(s, f"what people with lived experience can change in: {join_words(missing)}")
    return s


def meaning(b: Builder) -> Section:
    s = Section("meaning", b.say("What we mean by co-production",
                                 "What we mean by co-production"))
    b.add(s, Paragraph(inline(
        b.say("We use the definition in the ",
              "Co-production means working together as equals. We use the meaning from the "),
        b.framework("nihr-coproduction"),
        b.say(": researchers, practitioners and members of the public work together, sharing "
              "power and responsibility from the start of the project to the end, including "
              "in generating knowledge.",
              ". People who use services, carers and staff share power. They share the work "
              "and the decisions, from the start of the project to the end."))))
    principles = Section("principles", b.say("Our principles"), level=3)
    s.subsections.append(principles)
    if not b.ask(principles, b.say("The principles we work by"), PRINCIPLES):
        b.add(principles, Paragraph(inline(
            b.say("To start the conversation, these published principles may help: the "
                  "five principles in the ", "These published principles may help us start: "),
            b.framework("nihr-coproduction"),
            b.say(" (sharing power; including all perspectives and skills; respecting and "
                  "valuing everyone's knowledge; reciprocity; building and keeping "
                  "relationships) and the four in the ",
                  " (share power; include everyone; value everyone's knowledge; give "
                  "something back; build relationships) and "),
            b.framework("scie"),
            b.say(" (equality, diversity, accessibility and reciprocity).",
                  " (equality, diversity, access for all, and giving something back)."))))

    ladder = Section("ladder", b.say("How deep involvement goes: the ladder of co-production",
                                     "How much power people have: the ladder"), level=3)
    s.subsections.append(ladder)
    b.add(ladder, Paragraph(inline(
        b.say("We describe how much power people with lived experience hold at each touchpoint "
              "with the ", "The ladder shows how much power people have, from being told "
              "what was decided to sharing every decision. We use the "),
        b.framework("tlap-ladder"),
        b.say(f", from {FRAMEWORKS['tlap-ladder'].credit}. Reproduced with credit, as they "
              "ask; the rungs below are in our own words.",
              f", by {FRAMEWORKS['tlap-ladder'].credit}. The rungs below are in our own "
              "words."))))
    rows = [[inline(str(t.rank)), inline(b.say(t.label)), inline(b.say(t.extra["band"])),
             inline(b.say(t.meaning))] for t in LADDER]
    b.add(ladder, Table(b.say("The seven rungs of the ladder of co-production, lowest first"),
                        [b.say("Rung"), b.say("Name"), b.say("Band"),
                         b.say("What it means")], rows))

    matrix = Section("matrix-roles", b.say("Roles: the Involvement Matrix",
                                           "The roles people can hold"), level=3)
    s.subsections.append(matrix)
    b.add(matrix, Paragraph(inline(
        b.say("We name the role people hold at each stage with the ",
              "A role says how much say a person has at a stage. We use the roles of the "),
        b.framework("involvement-matrix"),
        f" ({b.say('Smits and colleagues, 2020')}). ",
        b.say("It is a conversation tool: we agree roles with people at the start, and look "
              "back at the end to see whether they happened as agreed.",
              "We agree each role with the person at the start. At the end we look back: did "
              "it happen as we agreed?"))))
    rows = [[inline(b.say(t.label)), inline(b.say(t.meaning))] for t in ROLE]
    b.add(matrix, Table(b.say("The five roles of the Involvement Matrix, least influence first"),
                        [b.say("Role"), b.say("What it means")], rows, row_headers=True))

    lundy = Section("lundy", b.say("Being heard: the Lundy model", "Being heard"), level=3)
    s.subsections.append(lundy)
    b.add(lundy, Paragraph(inline(
        b.say("To check that people are not only asked but heard, we use the four parts of "
              "the ", "Being asked is not enough. People must be heard, and their views "
              "must change things. We check this with the "),
        b.framework("lundy"),
        b.say(": space (a safe chance to form and share a view), voice (support to express "
              "it in the way people choose), audience (someone with the power to act listens) "
              "and influence (the view is acted on, and people hear what happened and why). "
              "Each touchpoint below says who hears the views and how people hear back.",
              ". It has four parts. Space: a safe chance to share a view. Voice: help to say "
              "it in your own way. Audience: someone with power listens. Influence: the view "
              "changes things, and you hear what happened and why."))))
    if b.plan.project.setting == "education" or any(t.towle for t in b.plan.touchpoints):
        towle = Section("towle", b.say("Involvement in teaching: Towle's levels",
                                       "Patients as teachers: the levels"), level=3)
        s.subsections.append(towle)
        b.add(towle, Paragraph(inline(
            b.say("In education we also use the ", "In teaching we also use the "),
            b.framework("towle"),
            b.say(" (Towle and colleagues, 2010), from a paper case (A) to patients involved at "
                  "the level of the whole institution (F).",
                  " (Towle and colleagues, 2010). They go from a written case about a patient "
                  "(level A) to patients shaping the whole school (level F)."))))
        b.add(towle, Table(b.say("Towle's levels of patient involvement in education"),
                           [b.say("Level"), b.say("What it means")],
                           [[inline(t.id.upper()), inline(b.say(t.label.split(": ", 1)[1]))]
                            for t in TOWLE], row_headers=True))
    return s


def who(b: Builder) -> Section:
    s = Section("who", b.say("Who is involved and how we found them",
                             "Who is involved, and how we found them"))
    plan = b.plan
    b.ask(s, b.say("Whose experience we need"), SOUGHT)
    lived = [p for p in plan.people if p.lived]
    staff = [p for p in plan.people if not p.lived]
    counts: dict[str, int] = {}
    for person in plan.people:
        label = PERSON_KIND.label(person.kind)
        counts[label] = counts.get(label, 0) + 1
    b.para(s, b.say(
        f"The team has {plural(len(plan.people), 'member')}: "
        f"{plural(len(lived), 'person', 'people')} with lived experience and "
        f"{plural(len(staff), 'member')} of staff. By what they bring: "
        f"{'; '.join(f'{k.lower()}: {n}' for k, n in counts.items())}.",
        f"There are {plural(len(plan.people), 'person', 'people')} in the team. "
        f"{plural(len(lived), 'person', 'people')} bring lived experience. "
        f"{plural(len(staff), 'person', 'people')} are staff."))
    if not lived:
        b.gap(s, "who the people with lived experience are, and how we will invite them")
    rows = []
    unclear = []
    for person in plan.people:
        role = b.t(person.role) if b.has(person.role) else ""
        commitment = b.t(person.time_commitment) if b.has(person.time_commitment) else ""
        if person.lived and (not role or not commitment):
            unclear.append(b.name(person.id))
        agreed = (long_date(person.role_agreed) if person.role_agreed
                  else (b.say("Not yet") if person.lived else "–"))
        rows.append([inline(b.name(person.id)), inline(b.brings(person)),
                     inline(role or b.say("Not written yet")),
                     inline(commitment or b.say("Not agreed yet")), inline(agreed)])
    if rows:
        b.add(s, Table(b.say("The team: who brings what, their role and time"),
                       [b.say("Person"), b.say("Brings"), b.say("Role, in their words"),
                        b.say("Time it asks"), b.say("Role agreed with them on")],
                       rows, row_headers=True))
        if all(plan.agreed_to_be_named(p) for p in plan.people):
            b.para(s, b.say("Everyone here agreed to be named.",
                            "Everyone here said yes to using their name."))
        else:
            b.para(s, b.say("People are named only if they agreed to it and to be credited "
                            "by name; others appear by their initials and what they bring.",
                            "We only use a person's name if they said yes. Otherwise we use "
                            "their initials."),
                   *([b.say(" Those who chose not to be credited at all appear without "
                            "name or initials, all alike.",
                            " If someone does not want their initials used either, we do "
                            "not use them.")]
                     if any(unnamed(p) for p in plan.people) else []))
    if unclear:
        b.gap(s, f"a written role and time commitment, agreed with each person, for "
                 f"{join_words(unclear)}")
    not_agreed = [b.name(p.id) for p in lived if p.role_agreed is None]
    if not_agreed:
        b.gap(s, f"the role of {join_words(not_agreed)}, agreed with them (not for them), "
                 "with the date we agreed it")

    rec = plan.recruitment
    routes = [b.t(r) for r in rec.routes if b.has(r)]
    if not ROUTES.open(plan):
        if len(routes) > 1:
            b.para(s, Span(b.say("How we reach people") + ": ", strong=True),
                   b.say("we use several routes, so that more people hear about the chance "
                         "to take part.", "we use more than one way, so more people hear "
                         "about it."))
        else:
            b.para(s, Span(b.say("How we reach people") + ": ", strong=True),
                   b.say("one route so far.", "one way so far."))
        b.add(s, BulletList([inline(sentence(r)) for r in routes]))
    else:
        b.gap(s, ROUTES.topic)
    if not UNDERSERVED.open(plan):
        rows = [[inline(b.t(o.group)),
                 inline(b.t(o.action) if b.has(o.action) else b.say("Not decided yet"))]
                for o in rec.underserved]
        b.add(s, Table(b.say("Groups who are often not heard, and what we do to include them"),
                       [b.say("Group"), b.say("What we do")], rows, row_headers=True))
        if UNDERSERVED_ACTION.open(plan):
            b.gap(s, UNDERSERVED_ACTION.topic)
    else:
        b.gap(s, UNDERSERVED.topic)
    if not BARRIERS.open(plan):
        rows = [[inline(b.t(x.barrier)),
                 inline(b.t(x.mitigation) if b.has(x.mitigation) else b.say("Not decided yet"))]
                for x in rec.barriers]
        b.add(s, Table(b.say("What could stop people taking part, and what we do about it"),
                       [b.say("Barrier"), b.say("What we do")], rows, row_headers=True))
        if BARRIER_MITIGATION.open(plan):
            b.gap(s, BARRIER_MITIGATION.topic)
    else:
        b.gap(s, BARRIERS.topic)
    b.ask(s, b.say("How people are chosen"), SELECTION)
    return s
