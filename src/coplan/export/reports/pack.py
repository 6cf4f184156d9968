"""A contributor's own pack: one page for one person with lived experience, in an
easy-read style (short sentences, clear headings, large text, state said in words): their
role, their next dates, their pay and how to claim it, who to call, how to take a break or
stop, and what happened with what they said.

It goes to that person, so it holds their own details and nothing of anyone else's: other
people are not listed, and the team's notes pass through ``privacy.redact`` (names of
people who did not agree to share them become initials)."""

from __future__ import annotations

from datetime import date

from coplan import privacy
from coplan.export.contract import ExportError
from coplan.export.reports.common import Context, day, long_day, sentence
from coplan.export.reports.document import (
    GAP_WORDS,
    Report,
    Section,
    bullets,
    gap,
    para,
    table,
)
from coplan.model import Person
from coplan.money import written as money
from coplan.vocab import ACCESS, PAYMENT, own_words
from coplan.words import count

NEXT_DATES = 8
"""How many of the person's next dates the pack's table lists, to keep an easy-read page
short; the later ones are said after it, one line for each session or meeting, so that
none is left out without a word (a fortnightly meeting once filled the table and hid the
workshops the person had joined the project for)."""


def who_for(ctx: Context) -> Person | None:
    """The person the pack is for; None for the group's general pack."""
    person = ctx.viewer.person
    if person is None:
        return None
    if not person.lived:
        # The ids the command takes: the plan's own (the copy's are changed where they
        # carry a hidden name).  The message is for the team, on its own screen.
        lived = [p.id for p in ctx.source.people if p.lived]
        raise ExportError(f"'{person.id}' is not someone with lived experience in this plan; "
                          f"a contributor pack is for {', '.join(lived) or 'them'}",
                          option="person", usage=True)
    return person


def pack(ctx: Context) -> Report:
    person = who_for(ctx)
    return general_pack(ctx) if person is None else own_pack(ctx, person)


def general_pack(ctx: Context) -> Report:
    """What everyone taking part should know, with nobody's own details: for the group, or
    for someone thinking of joining.  Each person's own pack adds their dates and pay."""
    plan = ctx.plan
    report = Report(title="Taking part: what everyone should know",
                    subtitle=f"{plan.project.title}. Up to date on {day(ctx.today)}.",
                    produced=ctx.today, kind="contributor-pack", easy=True)
    s = report.section("about", "About this pack")
    para(s, "This pack is for everyone who takes part.")
    para(s, "It says how you are paid, who to call, and how to take a break or stop.")
    para(s, "Each person can also have their own pack, with their own dates and pay.")
    _pay_terms(ctx, report.section("pay", "Pay"), None)
    _call(ctx, report)
    _stop(ctx, report)
    return report


def own_pack(ctx: Context, person: Person) -> Report:
    plan = ctx.plan
    name = person.name or person.id
    report = Report(title=f"Your pack, {name}",
                    subtitle=f"{plan.project.title}. Up to date on {day(ctx.today)}.",
                    produced=ctx.today, kind="contributor-pack", easy=True)
    s = report.section("about", "About this pack")
    para(s, sentence(f"This pack is for you, {name}"))  # ("T." ends as a sentence does)
    para(s, "It has your role, your dates and your pay.")
    para(s, "It says who to call, and how to take a break or stop.")
    para(s, "It only has your own details. It is not shared with anyone else.")

    s = report.section("role", "Your role")
    if person.role.strip():
        para(s, "Your role: " + sentence(ctx.viewer.text(person.role)))
    else:
        gap(s, "your role, in your own words. Please ask us to write it down with you.")
    if person.time_commitment.strip():
        para(s, "Time it takes: " + sentence(ctx.viewer.text(person.time_commitment)))
    if person.role_agreed is not None:
        para(s, f"We agreed your role with you on {day(person.role_agreed)}.")

    s = report.section("dates", "Your next dates")
    upcoming, more = _next_dates(ctx, person)
    if upcoming:
        table(s, "Your next dates, with times and places", ["When", "What", "Where"], upcoming)
        if more:
            para(s, "After those, you also have these dates (your calendar has them all):")
            bullets(s, more)
        para(s, "Dates can change. We will always tell you first.")
    else:
        para(s, "You have no more dates in the plan at the moment.")
    off = _called_off(ctx, person)
    if off:
        para(s, "These sessions were called off, so you do not need to come:")
        bullets(s, off)
    came = [st for st in ctx.held() if person.id in st.attended]
    if came:
        para(s, f"So far you have come to {count(len(came), 'session')}. Thank you.")

    _pay(ctx, report, person)

    needs = [own_words(n) or ACCESS.label(n) for n in person.needs]
    if needs:
        s = report.section("support", "The support we agreed with you")
        para(s, "You told us what helps you take part. We put this in place for you:")
        bullets(s, needs)
        para(s, "If anything is missing, or you need something else, please tell us.")

    _call(ctx, report, person)
    _stop(ctx, report)

    _what_happened(ctx, report, person, came)
    return report


def _next_dates(ctx: Context, person: Person) -> tuple[list[list[str]], list[str]]:
    """The person's next ``NEXT_DATES`` dates, as rows; and a line for each session or
    meeting with dates after those ("Making-meaning workshops: 3 dates, from ... to ...")."""
    found = []
    for state in ctx.status.sessions:
        if person.id in state.touchpoint.who and state.day >= ctx.today and \
                state.status != "cancelled" and not state.held:
            tp = state.touchpoint
            name = ctx.session_name(state)
            if state.moved:  # (as every output says it: the day it was planned for too)
                name += f", moved from {long_day(state.session.planned_day or state.session.day)}"
            found.append((state.day, state.session.time.strftime("%H:%M"), name,
                          ctx.viewer.text(tp.where), tp.title))
    for series in ctx.now.meetings:
        meeting = series.meeting
        if person.id in meeting.who:
            found += [(d, meeting.time.strftime("%H:%M"), meeting.title,
                       ctx.viewer.text(meeting.where), meeting.title)
                      for d in series.dates if d >= ctx.today]
    found.sort()
    later: dict[str, list[date]] = {}
    for d, *_, what in found[NEXT_DATES:]:
        later.setdefault(what, []).append(d)
    more = [f"{what}: {long_day(days[0])}" if len(days) == 1 else
            f"{what}: {count(len(days), 'date')}, from {long_day(days[0])} to "
            f"{long_day(days[-1])}" for what, days in later.items()]
    return [[f"{long_day(d)}, at {t}", what, where or "We will tell you"]
            for d, t, what, where, _ in found[:NEXT_DATES]], more


def _called_off(ctx: Context, person: Person) -> list[str]:
    """The person's sessions still to come that were called off, each on the day it was
    planned for (a session that just drops out of the list leaves them wondering)."""
    return [f"{ctx.session_name(state)}, planned for {long_day(state.day)}"
            for state in ctx.status.sessions
            if person.id in state.touchpoint.who and state.status == "cancelled"
            and state.day >= ctx.today]


def _pay_terms(ctx: Context, s: Section, person: Person | None) -> None:
    """How people are paid and how to claim (the same for everyone)."""
    pay = ctx.plan.payment
    how = (person.payment if person is not None else None) or pay.standard
    if person is not None and not person.payment:
        # (nothing recorded for them: the plan's usual way is not theirs until agreed)
        usual = f" People are usually paid: {PAYMENT.label(pay.standard).lower()}." \
            if pay.standard else ""
        para(s, "How you are paid: not yet agreed with you." + usual)
    elif how in ("declined", "none"):
        para(s, "You chose not to be paid a fee. You can change your mind at any time.")
    elif how:
        para(s, f"How {'you are' if person is not None else 'people are usually'} paid: "
                f"{PAYMENT.label(how).lower()}.")
    if pay.rate.strip():
        para(s, "The rate: " + sentence(ctx.viewer.text(pay.rate)))
    if pay.method.strip():
        para(s, "How to claim: " + sentence(ctx.viewer.text(pay.method)))
    else:
        gap(s, "how to claim your pay. Please ask your contact.")
    if pay.within_days is not None:
        para(s, f"We pay within {count(pay.within_days, 'working day')} of each session.")
    if pay.benefits_advice.strip() and (person is None or
                                        person.benefits_advice != "not-applicable"):
        para(s, "If you get benefits: " + sentence(ctx.viewer.text(pay.benefits_advice)))


def _pay(ctx: Context, report: Report, person: Person) -> None:
    """The person's payments, and a row for each amount that makes up what they are owed
    (``delivery.Owing``), so the table adds up to the sentence below it: a new user's pack
    said "We owe you £138.75" beside a table whose one unpaid row was £101.25 (a session
    they came to and had not claimed for yet was counted, not listed).  Every row gives
    the fee and the expenses in their own columns, the paid ones and those owed alike."""
    plan = ctx.plan
    s = report.section("pay", "Your pay")
    _pay_terms(ctx, s, person)
    own = ctx.source_id(person)
    mine = sorted((p for p in ctx.source.paid if p.who == own),
                  key=lambda p: (p.paid or p.claimed or ctx.today))
    unlisted = sorted((o for o in ctx.source_status.owing
                       if o.who == own and o.kind != "claimed" and o.pence),
                      key=lambda o: (o.due, o.activity, o.session))
    cur = plan.budget.currency
    if mine or unlisted:
        rows = []
        for entry in mine:
            rows.append([_what_for(ctx, entry.for_activity, entry.session),
                         money(entry.amount, cur), money(entry.expenses, cur),
                         f"Paid on {day(entry.paid)}" if entry.paid else "Not paid yet"])
        for owing in unlisted:
            rows.append([_what_for(ctx, owing.activity, owing.session),
                         money(owing.fee / 100, cur), money(owing.expenses / 100, cur),
                         "Not paid yet (called off at short notice)"
                         if owing.kind == "called off" else "Not claimed yet"])
        table(s, "Your payments", ["What for", "Fee", "Expenses", "Paid?"], rows)
    owed = ctx.owed.get(person.id, 0.0)
    if owed:
        para(s, f"We owe you {money(owed, cur)} at the moment, for the rows not paid yet. "
                "If it is late, please tell your contact.")
    elif mine and all(entry.paid is not None for entry in mine):
        para(s, "We do not owe you anything at the moment.")


def _what_for(ctx: Context, activity: str, session: int | None) -> str:
    """What a payment is for, as the person knows it: the touchpoint's or meeting's title,
    with the session's number where it has more than one."""
    tp = ctx.shared_touchpoint(activity)
    meeting = next((m for m, o in zip(ctx.plan.meetings, ctx.source.meetings, strict=False)
                    if o.id == activity), None)
    what = tp.title if tp else (meeting.title if meeting else "Other")
    if session and ((tp is not None and len(tp.when) > 1) or meeting is not None):
        what += f" (session {session})"
    return what


def _what_happened(ctx: Context, report: Report, person: Person, came: list) -> None:  # type: ignore[type-arg]
    s = report.section("said", "What happened with what you said")
    if not came:
        para(s, "You have not been to a session yet. After each one, we will tell you what "
                "changed because of what you said.")
        return
    for state in came:
        rec = state.record
        assert rec is not None
        para(s, f"{ctx.session_name(state)}, {day(state.day)}.")
        lines = []
        if rec.contributed.strip():  # (what "those two questions" in what changed are)
            lines.append("What people said: " + sentence(ctx.viewer.text(rec.contributed)))
        lines.append("What changed: " + (sentence(ctx.viewer.text(rec.changed))
                                         if rec.changed.strip() else GAP_WORDS + "."))
        lines.append(f"We told you on {day(rec.feedback_sent)}." if rec.feedback_sent
                     else "We have not told you yet. This pack is the first time.")
        bullets(s, lines)


def _call(ctx: Context, report: Report, person: Person | None = None) -> None:
    """Who to call, and how to reach them.  In a person's own pack the contact is named
    even where they keep their name from others: who agreed to be the contributors'
    named contact agreed to be known and reached by them (``[support] contact``); the
    pack goes to that one person.  The general pack, which may go to anyone, shows them
    as any shared document does.  Either way the pack says how to reach them (the team's
    ways of getting in touch), so that it never gives a contact nobody can call."""
    plan = ctx.plan
    s = report.section("call", "Who to call")
    contact = plan.person(plan.support.contact) if plan.support.contact else None
    if contact is not None:
        own = ctx.source.person(ctx.source.support.contact) if person is not None else None
        para(s, f"Your contact is {_introduce(ctx, contact, own)}.")
        para(s, "You can call them about anything: your dates, your pay, or how you feel.")
    else:
        gap(s, "who to call. Please ask the team for a named contact.")
    ways = [ctx.viewer.text(w) for w in plan.communication.channels if w.strip()]
    if ways:
        para(s, "Ways to get in touch:")
        bullets(s, ways)
    if plan.communication.between_meetings.strip():
        para(s, sentence(ctx.viewer.text(plan.communication.between_meetings)))
    elif contact is not None and not ways:
        gap(s, "how to reach your contact. Please ask the team to write it down.")


def _introduce(ctx: Context, contact: Person, own: Person | None) -> str:
    """The contact as a sentence introduces them: their name (in a person's own pack,
    ``own``, the plan's own entry for them), else their initials and role; then their
    role in their own words where it adds something (before, their initials where the
    team's words in the pack show those).  Never a word twice ("J.
    (facilitator): facilitator" told the reader nothing after the name)."""
    setting = ctx.plan.project.setting
    if own is not None and own.name.strip():
        shown, role = own.name.strip(), own.role.strip() or privacy.role_of(own, setting)
        if not privacy.may_be_named(own) and privacy.initials(own) not in shown:
            # (the team's words below show them as others' copies do: say which they are)
            shown += f" ({privacy.initials(own)})"
    else:
        shown, role = privacy.shown_name(contact, setting), contact.role.strip()
        if role == privacy.ROLE_KEPT:  # (their own words stay with the team)
            role = ""
    role = ctx.viewer.text(role).rstrip(".") if role else ""
    if not role or role.lower() in shown.lower():
        return shown
    return f"{shown}, {role[:1].lower() + role[1:] if role[1:2].islower() else role}"


def _stop(ctx: Context, report: Report) -> None:
    plan = ctx.plan
    s = report.section("stop", "Taking a break or stopping")
    if plan.support.withdraw.strip():
        para(s, sentence(ctx.viewer.text(plan.support.withdraw)))
    else:
        gap(s, "how to take a break or stop. You can always do so: please ask us to write "
               "it down.")
    para(s, "You do not have to give a reason.")

