"""Support and wellbeing, payment, communication, budget, impact, risks, ethics, reporting."""

from __future__ import annotations

from coplan.agreed import written
from coplan.export.protocol.builder import Builder, long_date
from coplan.export.protocol.content import BulletList, Paragraph, Section, Span, Table, inline
from coplan.export.protocol.sec_working import working_time
from coplan.export.protocol.words import join_words, lower_first, plural, sentence
from coplan.money import SYMBOLS
from coplan.protocol_gaps import (
    ANONYMOUS,
    BENEFITS,
    BETWEEN_MEETINGS,
    BOUNDARIES,
    BUDDY,
    BUDGET,
    BUDGET_LINES,
    CHANNELS,
    CO_DESIGNED,
    CONFIDENTIALITY,
    CONTACT,
    DATA_HANDLING,
    DISTRESS,
    DOMAINS,
    ETHICS,
    EXPENSES,
    INDUCTION,
    METHOD,
    METHODS,
    PLAIN_LANGUAGE,
    POLICY,
    POLICY_AGREED,
    RATE,
    RATE_SOURCE,
    RECOGNITION,
    REFLECTION_LOG,
    REPORTING,
    RISK_RESPONSE,
    RISKS,
    SAFEGUARDING,
    SIGNPOSTING,
    STAFF_TRAINING,
    TRAINING,
    WHEN,
    WITHDRAW,
)
from coplan.vocab import AFTERCARE, BENEFITS_ADVICE, EVALUATION, EXPENSE, FORMAT, IMPACT_DOMAIN
from coplan.vocab import PAYMENT as PAYMENT_TYPES


def support(b: Builder) -> Section:
    s = Section("support", b.say("Support, wellbeing and boundaries",
                                 "Support, feeling safe, and limits"))
    sup = b.plan.support
    if CONTACT.answered(b.plan) and b.plan.person(sup.contact):
        b.add(s, b.lead(b.say("Named contact"),
                        b.say(f"{b.name(sup.contact)}, for any question or worry.",
                              f"{b.name(sup.contact)}. You can ask them anything.")))
    else:
        b.gap(s, CONTACT.topic)
    b.ask(s, b.say("Welcome and induction"), INDUCTION)
    b.ask(s, b.say("Training for contributors"), TRAINING)
    b.ask(s, b.say("Learning for staff"), STAFF_TRAINING)
    b.ask(s, b.say("Buddies and peer support"), BUDDY)
    b.ask(s, b.say("Pausing or stopping"), WITHDRAW)
    b.ask(s, b.say("Confidentiality"), CONFIDENTIALITY)
    if SAFEGUARDING.asked(b.plan):
        b.ask(s, b.say("Safeguarding"), SAFEGUARDING)
    b.ask(s, b.say("Boundaries"), BOUNDARIES)
    distress = Section("distress", b.say("If someone becomes distressed",
                                         "If someone gets upset"), level=3)
    s.subsections.append(distress)
    b.ask(distress, b.say("What we do"), DISTRESS)
    b.ask(distress, b.say("Where to find support"), SIGNPOSTING)
    demanding = [t for t in b.plan.touchpoints if t.demanding]
    if demanding:
        rows = []
        without = []
        for tp in demanding:
            care = [AFTERCARE.label(a) if a in AFTERCARE else b.t(a) for a in tp.aftercare]
            if not care:
                without.append(b.t(tp.title) or FORMAT.label(tp.format))
            rows.append([inline(b.t(tp.title) or FORMAT.label(tp.format)),
                         inline("; ".join(care) or b.say("None agreed yet"))])
        b.add(distress, Table(b.say("Sessions that may be emotionally demanding, and the "
                                    "aftercare after each"),
                              [b.say("Session"), b.say("Aftercare")], rows, row_headers=True))
        if without:
            b.gap(distress, f"the aftercare after these demanding sessions: {join_words(without)}")
    if ANONYMOUS.asked(b.plan):
        b.ask(s, b.say("Taking part without being named"), ANONYMOUS)
    return s


def payment(b: Builder) -> Section:
    s = Section("payment", b.say("Payment, expenses and recognition",
                                 "Payment, costs and thanks"))
    pay = b.plan.payment
    b.add(s, Paragraph(inline(*payment_opening(b))))
    b.ask(s, b.say("Our policy"), POLICY)
    if not POLICY_AGREED.open(b.plan):
        b.add(s, b.lead(b.say("Policy agreed on"), long_date(pay.agreed)))
    else:
        b.gap(s, POLICY_AGREED.topic)
    if pay.standard:
        b.add(s, b.lead(b.say("How people are usually paid"), PAYMENT_TYPES.label(pay.standard)))
    if b.ask(s, b.say("Rate"), RATE):
        if not RATE_SOURCE.open(b.plan):
            b.add(s, b.lead(b.say("Where the rate comes from"), sentence(b.t(pay.rate_source))))
        else:
            b.gap(s, RATE_SOURCE.topic)
    if not EXPENSES.open(b.plan):
        b.add(s, b.lead(b.say("Expenses we cover"),
                        sentence(join_words([EXPENSE.label(e).lower() for e in pay.expenses]))))
    else:
        b.gap(s, EXPENSES.topic)
    b.ask(s, b.say("How and when people are paid"), METHOD)
    if pay.within_days is not None:
        b.add(s, b.lead(b.say("How soon"), b.say(
            f"within {working_time(b, pay.within_days)} of a session.")))
    if pay.prepaid_travel:
        b.add(s, b.lead(b.say("Travel"), b.say("booked and paid in advance, so nobody pays up "
                                               "front.", "we book and pay for travel first.")))
    b.ask(s, b.say("Benefits advice"), BENEFITS)
    lived = [p for p in b.counted_people if p.lived and p.payment not in (None, "salaried")]
    if lived:
        counts: dict[str, int] = {}
        for p in lived:
            label = BENEFITS_ADVICE.label(p.benefits_advice) if p.benefits_advice else \
                b.say("Not recorded")
            counts[label] = counts.get(label, 0) + 1
        b.para(s, b.say("Benefits advice so far (numbers only): ",
                        "Benefits advice so far: "),
               "; ".join(f"{label.lower()}: {n}" for label, n in counts.items()) + ".")
    b.ask(s, b.say("Recognition"), RECOGNITION)
    b.para(s, b.say("Contributors helped set the involvement budget." if
                    pay.budgeting_with_contributors else
                    "Contributors have not yet helped set the involvement budget.",
                    "People with lived experience helped plan the budget." if
                    pay.budgeting_with_contributors else
                    "People with lived experience have not helped plan the budget yet."))
    return s


UNPAID = frozenset({"declined", "expenses-only", "not-offered", "salaried"})


def payment_opening(b: Builder) -> list[str | Span]:
    """What the plan says about paying people, in words that never claim more than it says:
    fees only where someone with lived experience is paid, "nobody is out of pocket" only
    where expenses are covered, a free choice only where fees are offered."""
    pay = b.plan.payment
    lived = [p for p in b.counted_people if p.lived]
    ways = [p.payment or pay.standard for p in lived] or [pay.standard]
    paid = sum(1 for w in ways if w and w not in UNPAID)
    covered = bool(pay.expenses)
    out: list[str | Span] = [b.say("We follow the ", "We follow the "),
                             b.framework("nihr-payment")]
    if paid == len(ways) and paid:
        out.append(b.say(": people with lived experience are paid for their time and expertise",
                         ". People with lived experience are paid for their time"))
    elif paid:
        out.append(b.say(f": {paid} of {plural(len(ways), 'person', 'people')} with lived "
                         "experience are paid for their time and expertise",
                         f". {paid} of {plural(len(ways), 'person', 'people')} with lived "
                         "experience are paid for their time"))
    else:
        out.append(b.say(": people with lived experience are not paid fees for their time in "
                         "this project",
                         ". People with lived experience are not paid for their time here"))
        reason = written(pay.payment_reason)
        if reason:
            out.append(f" ({lower_first(b.t(reason)).rstrip('.')})")
    # (counted above by the plan's usual way, which is not theirs until it is agreed)
    unagreed = sum(1 for p in lived if not p.payment)
    if unagreed and pay.standard:
        out.append(b.say(f" (for {plural(unagreed, 'person', 'people')}, how they are paid is "
                         "not yet agreed)", f" (for {plural(unagreed, 'person', 'people')}, "
                         "how they are paid is not yet agreed)"))
    if covered:
        out.append(b.say(", and nobody is out of pocket: the expenses below are covered",
                         ". Nobody pays for anything themselves: we cover the costs below"))
    else:
        out.append(b.say(". Which expenses are covered is not agreed yet",
                         ". We have not agreed yet which costs we pay"))
    if paid and covered:
        out.append(b.say(". Accepting payment is each person's own choice: people may decline "
                         "fees and still have their expenses paid.",
                         ". Each person chooses whether to be paid. If you say no to payment, "
                         "we still pay your costs."))
    else:
        out.append(".")
    return out


def communication(b: Builder) -> Section:
    s = Section("communication", b.say("Communication and closing the loop",
                                       "Keeping in touch, and telling people what changed"))
    comm = b.plan.communication
    channels = [b.t(c) for c in comm.channels if b.has(c)]
    if not CHANNELS.open(b.plan):
        b.para(s, Span(b.say("How we keep in touch") + ":", strong=True))
        b.add(s, BulletList([inline(sentence(c)) for c in channels]))
    else:
        b.gap(s, CHANNELS.topic)
    b.ask(s, b.say("Between meetings"), BETWEEN_MEETINGS)
    b.ask(s, b.say("Plain language"), PLAIN_LANGUAGE)
    loop = Section("feedback-loop", b.say("The feedback loop", "Hearing back"), level=3)
    s.subsections.append(loop)
    involving = [t for t in b.plan.touchpoints if b.plan.lived_in(t.who)]
    heard = [t for t in involving if b.has(t.feedback)]
    if involving and len(heard) == len(involving):
        b.para(loop, b.say(
            "After every touchpoint, people hear what was done with what they said, and why; "
            "where a suggestion was not taken up, we say why not.",
            "After each session we tell people what we did with their ideas, and why. If we "
            "did not use an idea, we say why."))
    elif heard:
        b.para(loop, b.say(
            f"After {len(heard)} of {plural(len(involving), 'touchpoint')}, people hear what "
            "was done with what they said, and why; for the others it is not agreed yet.",
            f"After {len(heard)} of {plural(len(involving), 'session')} we tell people what we "
            "did with their ideas. For the others we have not agreed it yet."))
    rows = []
    for tp in b.plan.touchpoints:
        if not b.has(tp.feedback):
            continue
        rows.append([inline(b.t(tp.title) or FORMAT.label(tp.format)),
                     inline(sentence(b.t(tp.feedback))),
                     inline(working_time(b, tp.feedback_within_days) or b.say("Not agreed yet"))])
    if rows:
        b.add(loop, Table(b.say("How and when people hear back after each touchpoint"),
                          [b.say("Touchpoint"), b.say("How people hear back"),
                           b.say("Within")], rows, row_headers=True))
    else:
        b.gap(loop, "how and when people hear back after each touchpoint")
    return s


def budget(b: Builder) -> Section:
    s = Section("budget", b.say("Budget for involvement", "Money for involvement"))
    bud = b.plan.budget
    currency = SYMBOLS.get(bud.currency, "")

    def money(x: float) -> str:
        text = f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"
        return f"{currency}{text}" if currency else f"{text} {b.t(bud.currency)}"

    if not BUDGET.open(b.plan):
        assert bud.involvement is not None
        b.add(s, b.lead(b.say("Total involvement budget"), money(bud.involvement)))
    else:
        b.gap(s, BUDGET.topic)
    if not BUDGET_LINES.open(b.plan):
        rows = [[inline(b.t(line.item)), inline(money(line.amount))] for line in bud.lines]
        total = sum(line.amount for line in bud.lines)
        rows.append([inline(Span(b.say("Total of the lines"), strong=True)),
                     inline(Span(money(total), strong=True))])
        b.add(s, Table(b.say("What the involvement budget pays for"),
                       [b.say("Item"), b.say("Amount")], rows, row_headers=True))
        if bud.involvement is not None and abs(total - bud.involvement) > 0.5:
            b.gap(s, f"how the lines ({money(total)}) and the total ({money(bud.involvement)}) "
                     "fit together")
    else:
        b.gap(s, BUDGET_LINES.topic)
    return s


def impact(b: Builder) -> Section:
    s = Section("impact", b.say("How we will know it made a difference",
                                "How we will know if it helped"))
    ev = b.plan.evaluation
    if not METHODS.open(b.plan):
        b.para(s, Span(b.say("How we capture impact") + ":", strong=True))
        b.add(s, BulletList([inline(b.say(EVALUATION.label(m))) for m in ev.methods]))
    else:
        b.gap(s, METHODS.topic)
    b.ask(s, b.say("When"), WHEN)
    if not DOMAINS.open(b.plan):
        b.add(s, b.lead(b.say("Where we look for a difference"),
                        sentence(join_words([IMPACT_DOMAIN.label(d).lower()
                                             for d in ev.domains]))))
        missing = [label for d, label in (("contributors", "the people involved themselves"),
                                          ("negative", "negative or unintended effects"))
                   if d not in ev.domains]
        if missing:
            b.gap(s, f"how we will look at {join_words(missing)}")
    else:
        b.gap(s, DOMAINS.topic)
    b.para(s, b.say("People with lived experience helped decide what to evaluate and how." if
                    ev.co_designed else "People with lived experience have not yet helped "
                    "decide what to evaluate and how.",
                    "People with lived experience helped plan this." if ev.co_designed else
                    "People with lived experience have not helped plan this yet."))
    if CO_DESIGNED.open(b.plan):
        b.gap(s, CO_DESIGNED.topic)
    b.ask(s, b.say("Our reflection log"), REFLECTION_LOG)
    return s


def risks(b: Builder) -> Section:
    s = Section("risks", b.say("Risks and how we will manage them", "What could go wrong"))
    found = b.plan.protocol.risks
    if not RISKS.open(b.plan):
        rows = [[inline(b.t(r.risk)),
                 inline(b.t(r.response) if b.has(r.response) else b.say("Not agreed yet"))]
                for r in found]
        b.add(s, Table(b.say("Risks to co-production, and how we respond"),
                       [b.say("Risk"), b.say("What we do")], rows, row_headers=True))
        if RISK_RESPONSE.open(b.plan):
            b.gap(s, RISK_RESPONSE.topic)
    else:
        b.gap(s, RISKS.topic)
    return s


def ethics(b: Builder) -> Section:
    s = Section("ethics", b.say("Ethics and approvals", "Ethics and keeping information safe"))
    project, protocol = b.plan.project, b.plan.protocol
    if project.ethics_review:
        b.ask(s, b.say("How involvement shaped the ethics application"), ETHICS)
    elif any(f.rule == "CP-INC-009" for f in b.report.findings):
        # The review found people who read as research participants: no claim otherwise.
        b.para(s, b.say("This project does not need research ethics approval.",
                        "This project does not need approval from an ethics committee."))
        b.gap(s, "which people with lived experience are members of the team and which are "
                 "research participants (who need consent and, usually, ethics approval)")
    else:
        b.para(s, b.say("This project does not need research ethics approval. People with lived "
                        "experience are members of the team, not research participants.",
                        "This project does not need approval from an ethics committee. People "
                        "with lived experience are part of the team. They are not being "
                        "studied."))
        if b.has(protocol.ethics):
            b.add(s, b.lead(b.say("More about ethics"), sentence(b.t(protocol.ethics))))
    b.ask(s, b.say("Keeping contributors' details safe"), DATA_HANDLING)
    return s


GRIPP2_SF = (
    ("SF1", "Aim", "What involvement was meant to achieve.", "why"),
    ("SF2", "Methods", "How people were involved, at which stages and how deeply.", "stages"),
    ("SF3", "Results", "What involvement changed, good and bad.", "impact"),
    ("SF4", "Discussion", "How far involvement shaped the work overall.", "impact"),
    ("SF5", "Reflections", "What went well and what did not, so others can learn.", "impact"),
)


def _gripp2_where(b: Builder) -> dict[str, str]:
    return {
        "SF1": b.say("the aim of involvement, in “Why we are working together”"),
        "SF2": b.say("the stage-by-stage involvement plan and the Involvement Matrix"),
        "SF3": b.say("the impact log and the other impact methods"),
        "SF4": b.say("where we look for a difference, including harms"),
        "SF5": b.say("the reflection log and the reflection checkpoints"),
    }


def _gripp2_recorded(b: Builder) -> dict[str, str]:
    """What the delivery record holds for each item: counts of what actually happened,
    never what the plan only intends (``coplan export gripp2`` writes the answers), as things
    stood on the day the protocol is written (``delivery.as_of``)."""
    from coplan.delivery import as_of

    plan, _ = as_of(b.plan, b.schedule, b.produced)
    nothing = b.say("Nothing recorded yet.", "Nothing written down yet.")
    held = sum(1 for t in plan.touchpoints for r in t.records if r.status == "held")
    planned = len(b.schedule.sessions)
    entries = len(plan.impact)
    linked = sum(1 for e in plan.impact if e.decision)
    noted = len(plan.reflections)

    def n(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    return {
        "SF1": b.say("Stated in the plan.") if b.has(plan.project.aim) else nothing,
        "SF2": (f"{n(held, 'session', 'sessions')} held of {planned} planned."
                if held else nothing),
        "SF3": f"{n(entries, 'entry', 'entries')} in the impact log." if entries else nothing,
        "SF4": (f"{n(linked, 'impact log entry', 'impact log entries')} linked to a "
                "decision." if linked else nothing),
        "SF5": (f"{n(noted, 'reflection', 'reflections')} noted at checkpoints."
                if noted else nothing),
    }


def reporting(b: Builder) -> Section:
    s = Section("reporting", b.say("Reporting and sharing", "Telling others how we worked"))
    b.ask(s, b.say("How we will report involvement"), REPORTING)
    b.add(s, Paragraph(inline(
        b.say("The table maps the five items of the ", "The table shows the five questions of "
              "the "),
        b.framework("gripp2", b.say("GRIPP2 short form")),
        b.say(" (Staniszewska and colleagues, 2017) to where this plan will answer each, and "
              "says what the delivery record holds so far.", " (Staniszewska and colleagues, "
              "2017). It shows where we will answer each one, and what we have written down "
              "so far."))))
    rows = []
    for item, area, asks, anchor in GRIPP2_SF:
        label = b.say(item, f"Question {item[-1]}")
        rows.append([inline(label), inline(b.say(area)), inline(b.say(asks)),
                     inline(Span(sentence(_gripp2_where(b)[item]), link=f"#{anchor}")),
                     inline(_gripp2_recorded(b)[item])])
    b.add(s, Table(b.say("GRIPP2 short form: where the plan answers each item, and what is "
                         "recorded so far",
                         "The reporting questions, where we answer them, and what we have "
                         "so far"),
                   [b.say("Item"), b.say("Section"), b.say("What it asks"),
                    b.say("Where this plan answers it"), b.say("Recorded so far")], rows,
                   row_headers=True))
    credits: dict[str, int] = {}
    for p in b.plan.people:
        if p.lived and p.credit:
            from coplan.vocab import CREDIT

            credits[CREDIT.label(p.credit)] = credits.get(CREDIT.label(p.credit), 0) + 1
    if credits:
        b.para(s, b.say("How people with lived experience want to be credited (numbers): ",
                        "How people want their name used: "),
               "; ".join(f"{k.lower()}: {v}" for k, v in credits.items()) + ".")
    return s
