"""Payment, expenses and recognition: nobody out of pocket, everyone's time valued."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from coplan.agreed import says_nothing, written
from coplan.costs import BASES, FEE_PAYMENTS, Pricer, paid_per_session, rate_words
from coplan.model import Meeting, Person, Rate, Stage, Touchpoint
from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.review.rules._subjects import (
    first_lived_session,
    involved_lived,
    name_list,
    named,
    person_subject,
    table_subject,
    touchpoint_subject,
    tp_name,
)
from coplan.vocab import EXPENSE, NEED_EXPENSE, PAYMENT
from coplan.words import count

Found = Iterator[tuple[Subject, str]]

_UNPAID = {"declined", "expenses-only", "not-offered", "salaried"}

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""


@RULES.rule("CP-PAY-001", "A payment policy agreed before involvement starts", Severity.ERROR,
            why="People need to know before they start what they will be paid, for what, and "
                "how; agreeing it later puts them at a disadvantage.",
            fix="Write the policy in {payment.policy} and record when it was agreed "
                "({payment.agreed}), before the first session.",
            sources=("nihr-payment", "scie"))
def policy_first(ctx: Context) -> Found:
    pay = ctx.plan.payment
    if not pay.policy:
        yield table_subject(ctx, "payment"), "there is no payment and recognition policy"
        return
    first = first_lived_session(ctx)
    if pay.agreed is None:
        yield table_subject(ctx, "payment", "policy"), "the payment policy has no date it " \
            "was agreed"
    elif first is not None and pay.agreed > first:
        yield table_subject(ctx, "payment", "agreed"), (
            f"the payment policy was agreed on {pay.agreed:%d %b %Y}, after involvement "
            f"starts ({first:%d %b %Y})")


@RULES.stage_rule("CP-PAY-002", "Every touchpoint says how people are paid", Severity.ERROR,
            why="Valuing people's time and expertise means saying, for each activity, what is "
                "offered: a fee, vouchers, expenses, or that the person declined.",
            fix="Choose {stage.touchpoint.payment}, or {payment.standard}.",
            sources=("nihr-payment", "scie"))
def touchpoint_payment(ctx: Context, stage: Stage) -> Found:
    standard = ctx.plan.payment.standard
    for tp in stage.touchpoints:
        if not (tp.payment or standard) and ctx.plan.lived_among(tp.who):
            yield touchpoint_subject(tp), f"{tp_name(ctx.plan, tp)} does not say what people " \
                "are paid"


@RULES.rule("CP-PAY-003", "Nobody is out of pocket", Severity.ERROR,
            why="Expenses must be covered, including travel and the cost of care for someone a "
                "person looks after, so that taking part never costs them money.",
            fix="Tick the expenses covered in {payment.expenses}, including those people's "
                "needs call for.",
            sources=("nihr-payment",))
def expenses(ctx: Context) -> Found:
    covered = set(ctx.plan.payment.expenses)
    if not covered:
        yield table_subject(ctx, "payment"), "the plan does not say which expenses are covered"
        return
    for person in involved_lived(ctx.plan):
        for need in person.needs:
            expense = NEED_EXPENSE.get(need)
            if expense and expense not in covered:
                yield person_subject(person, "needs"), (
                    f"{named(person)} needs {need.replace('-', ' ')}, but "
                    f"{EXPENSE.label(expense).lower()} is not a covered expense")


@RULES.rule("CP-PAY-004", "Benefits advice before anyone is paid", Severity.ERROR,
            why="Payment can affect state benefits. People must be offered free, independent "
                "advice before they accept payment.",
            fix="Offer it and record it: {person.benefits_advice} (offered, signposted, "
                "completed, not applicable or declined).",
            sources=("nihr-payment", "scie"))
def benefits_advice(ctx: Context) -> Found:
    standard = ctx.plan.payment.standard
    for person in involved_lived(ctx.plan):
        paid = (person.payment or standard) not in _UNPAID and (person.payment or standard)
        if not paid or person.benefits_advice not in (None, "not-yet"):
            continue
        if person.payment:
            yield person_subject(person), f"{named(person)} is paid but has not been offered " \
                "benefits advice"
        else:  # (the plan's usual way may be theirs: advice comes before it, all the same)
            yield person_subject(person), (
                f"{named(person)}'s payment is not yet agreed (the plan's usual way: "
                f"{PAYMENT.label(standard or '').lower()}), and they have not been offered "
                "benefits advice")


@RULES.rule("CP-PAY-005", "Written terms before starting", Severity.WARNING,
            why="Clear written terms (what, how long, how often, how much, which expenses) avoid "
                "misunderstandings and protect people.",
            fix="Record when written terms were given: {person.terms_given}.",
            sources=("nihr-payment",))
def written_terms(ctx: Context) -> Found:
    for person in involved_lived(ctx.plan):
        if person.terms_given is None:
            yield person_subject(person), f"{named(person)} has had no written terms"


@RULES.rule("CP-PAY-006", "Payment is quick and nobody pays up front", Severity.WARNING,
            why="Slow payment and paying for travel up front are barriers for people on low "
                "incomes.",
            fix="Set {payment.method}, {payment.within} (such as 2w) and "
                "{payment.prepaid_travel}.",
            sources=("ukspi", "nihr-payment"))
def payment_practicalities(ctx: Context) -> Found:
    pay = ctx.plan.payment
    missing = [label for label, ok in (("how people are paid", pay.method),
                                        ("how soon people are paid", pay.within_days is not None),
                                        ("that travel is booked and paid in advance",
                                         pay.prepaid_travel))
               if not ok]
    if missing:
        yield table_subject(ctx, "payment"), "the payment policy does not say " + \
            name_list(missing, quote=False)


@RULES.rule("CP-PAY-007", "Involvement has a budget", Severity.WARNING,
            why="Fees, expenses, access costs and staff time cost money; a realistic budget line "
                "makes them possible.",
            fix="Set {budget.involvement} and its {budget.lines}.",
            sources=("nihr-payment",))
def budget(ctx: Context) -> Found:
    b = ctx.plan.budget
    if b.involvement is None and not b.lines:
        yield table_subject(ctx, "budget"), "there is no budget for involvement"
        return
    total = sum(line.amount for line in b.lines)
    if b.involvement is not None and total > b.involvement:
        yield table_subject(ctx, "budget", "involvement"), (
            f"the budget lines add up to {total:,.0f} {b.currency}, more than the "
            f"{b.involvement:,.0f} set aside")


@RULES.rule("CP-PAY-008", "People help set the budget", Severity.INFO,
            why="Involving people in budgeting is encouraged where it is possible.",
            fix="Switch on {payment.budgeting_with_contributors} when they do.",
            sources=("nihr-payment",))
def budgeting(ctx: Context) -> Found:
    if not ctx.plan.payment.budgeting_with_contributors:
        yield table_subject(ctx, "payment"), "people with lived experience are not involved " \
            "in budgeting"


@RULES.rule("CP-PAY-009", "Recognition beyond money", Severity.INFO,
            why="Reciprocity is more than a fee: acknowledgement, co-authorship, certificates and "
                "references matter too.",
            fix="Describe it in {payment.recognition}.",
            sources=("scie",))
def recognition(ctx: Context) -> Found:
    if not ctx.plan.payment.recognition:
        yield table_subject(ctx, "payment"), "no recognition beyond payment is planned"


@RULES.rule("CP-PAY-010", "Rates say how much, and name their source", Severity.WARNING,
            why="People need to know what they will be paid before they agree to take part, "
                "and benefits advice needs the amount; quoting where a rate comes from, and "
                "its date, keeps payments fair and auditable. A rate such as \"as per trust "
                "policy\" or \"the usual rate\" says neither.",
            fix='Write the amount in {payment.rate}, such as "£25 an hour, including '
                'preparation", and where it comes from in {payment.rate_source}, such as '
                '"NIHR payment guidance, August 2024".',
            sources=("nihr-payment",))
def rate_source(ctx: Context) -> Found:
    pay = ctx.plan.payment
    if written(pay.rate) and not _AMOUNT.search(pay.rate) and not says_nothing(pay.rate):
        # (found by trying the product: "Paid at the usual rate" passed as a rate; a
        # rate that says nothing at all, "As per trust policy", is CP-AGR-001's)
        yield table_subject(ctx, "payment", "rate"), (
            f"the rate '{pay.rate}' does not say how much people are paid")
    if pay.rate and not pay.rate_source:
        yield table_subject(ctx, "payment", "rate"), f"the rate '{pay.rate}' has no source"


# An amount: a figure, or a number in words ("twenty-five pounds an hour").
_AMOUNT = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                     r"twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|thousand)\b",
                     re.IGNORECASE)


@RULES.rule("CP-PAY-011", "Unpaid involvement says why", Severity.ERROR,
            why="Not offering payment can be right (a person's own choice, a rule of their "
                "employer or their benefits), but left unexplained it looks like people's "
                "time is not valued. NIHR asks for a recorded reason whenever payment is "
                "not offered.",
            fix="Say why payment is not offered where it is not ({person.payment_reason}, "
                "{stage.touchpoint.payment_reason} or {payment.payment_reason}), or offer "
                "payment.",
            sources=("nihr-payment", "ukspi"))
def unpaid_explained(ctx: Context) -> Found:
    pay = ctx.plan.payment
    if pay.standard == "not-offered" and not written(pay.payment_reason):
        yield table_subject(ctx, "payment", "standard"), \
            "payment is not offered as standard, and the plan does not say why"
    for person in involved_lived(ctx.plan):
        if person.payment == "not-offered" and not written(person.payment_reason):
            yield person_subject(person, "payment"), \
                f"{named(person)} is not offered payment, and the plan does not say why"
    for tp in ctx.plan.touchpoints:
        if (tp.payment == "not-offered" and ctx.plan.lived_among(tp.who)
                and not written(tp.payment_reason)):
            yield touchpoint_subject(tp, "payment"), \
                f"{tp_name(ctx.plan, tp)} offers no payment, and does not say why"


@RULES.rule("CP-PAY-012", "Fees are priced as they are paid", Severity.WARNING,
            why="An activity paid per session (a teaching session paid £150, say) priced "
                "by the hour at the hourly rate, or one paid by the hour priced as a "
                "session, puts a figure in the budget and in what people are owed that "
                "nobody agreed. The rate card is what a finance officer reads to know what "
                "each activity costs.",
            fix="Add a rate paid per session to {payment.rates}, for everyone or for "
                "people of their kind, or say how the activity is paid "
                "({stage.touchpoint.payment}).",
            sources=("nihr-payment",), undated=True)
def priced_as_paid(ctx: Context) -> Found:
    plan = ctx.plan
    if not plan.payment.rates:
        return  # (nothing is priced: 'coplan budget' says so)
    pricer = Pricer(plan)
    standard = plan.payment.standard
    told: set[str] = set()  # the people, and the plan's standard, already pointed at

    def mismatched(payment: str | None, people: Sequence[Person]
                   ) -> Iterator[tuple[Person, bool, Rate]]:
        for person in people:
            if (person.payment or payment or standard) not in FEE_PAYMENTS:
                continue
            per_session = paid_per_session(plan, person, payment)
            rate, other = pricer.chosen(person, per_session)
            if rate is not None and other:
                yield person, per_session, rate

    # (what is found depends only on who takes part and how the activity is paid: worked
    # out once for each, as a large plan has 50,000 touchpoints and few kinds of them)
    alike: dict[tuple[tuple[str, ...], str | None], list[tuple[Person, bool, Rate]]] = {}
    activities: list[tuple[Touchpoint | Meeting, str | None]] = [
        *((tp, tp.payment) for tp in plan.touchpoints), *((m, None) for m in plan.meetings)]
    for activity, payment in activities:
        key = (activity.who, payment)
        found = alike.get(key)
        if found is None:
            found = alike[key] = list(mismatched(payment, plan.lived_among(activity.who)))
        if not found:
            continue
        if payment in BASES and isinstance(activity, Touchpoint):  # the activity says
            _, per_session, rate = found[0]
            yield touchpoint_subject(activity, "payment"), _priced_words(
                tp_name(plan, activity), per_session, rate, len(found))
            continue
        for person, per_session, rate in found:
            if person.payment in BASES:
                if person.id not in told:
                    told.add(person.id)
                    yield person_subject(person, "payment"), _priced_words(
                        f"{person.id}'s time", per_session, rate, 1)
            elif "" not in told:
                told.add("")
                yield table_subject(ctx, "payment", "standard"), _priced_words(
                    "people's time as standard", per_session, rate, 1)


def _priced_words(what: str, per_session: bool, rate: Rate, people: int) -> str:
    """A finding of CP-PAY-012: what is paid one way and priced another."""
    fits = f"fits {count(people, 'person')} taking part" if people > 1 else "fits"
    if per_session:
        return (f"{what} is paid per session, but no rate per session in [[payment.rates]] "
                f"{fits}: it is priced by the time it takes, at {rate_words(rate)}")
    return (f"{what} is paid by the time given, but the only rate in [[payment.rates]] "
            f"that {fits} is per session: it is priced as one session, at "
            f"{rate_words(rate)}")
