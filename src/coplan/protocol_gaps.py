"""What the co-production protocol asks of the plan, and when the plan has not answered it.

The protocol export shows each question the plan leaves open as a gap ("To agree
together"), counted at the top; a protocol marked agreed with gaps in it tells a funder or
an ethics committee that the team has agreed what it has not. The decision was once made
inside the export's sections, which the review may not import (the protocol export imports
the review), so ``coplan check`` passed what the protocol itself showed as open. It is
made here instead, once: the protocol's sections ask each ``Question`` whether it is open
(and write its ``topic`` as the gap), and the review's CP-META-007 finds the same open
questions in the plan.

A question is answered as the protocol reads it: a text that is a placeholder ("To agree:
...", "TBC") is no answer, and the protocol is written from the plan without what it has
not agreed (``agreed.without_unmet``). The review reads the plan itself, where what is not
yet agreed is CP-AGR-001's; CP-META-007 finds what is *left out*. Where another rule
already finds a question left out (``found_by``), CP-META-007 leaves it to that rule, so
that nothing is said twice (``tests/review/test_protocol_gaps.py`` blanks each question in
a complete plan and checks that the rule named, or CP-META-007, finds it).

The protocol's other gaps are worked out from more than one value (the stages people can
change, each touchpoint's rung, feedback and access, roles agreed, who signed off, terms of
reference, deadlines missed) and are each found by the rule that reads the same values
(CP-STG-*, CP-LAD-*, CP-ACC-*, CP-COM-001, CP-ROL-*, CP-META-001/002/005, CP-DEL-009).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coplan.agreed import placeholder
from coplan.model import Plan

Judge = Callable[[Any, bool], bool]
"""Whether a value answers its question; the flag says whether a placeholder counts as an
answer (the review's reading: what is written but not agreed is CP-AGR-001's)."""


def _text(value: Any, loose: bool) -> bool:
    return bool(value.strip()) if loose else placeholder(value) is None


def _texts(value: Any, loose: bool) -> bool:
    return any(_text(v, loose) for v in value)


def _some(value: Any, loose: bool) -> bool:
    return bool(value)


def _given(value: Any, loose: bool) -> bool:
    return value is not None


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the protocol that one value of the plan answers."""

    key: str
    """Where the answer is written, as a rule's fix names it (``protocol.principles``)."""
    topic: str
    """What is still to agree, in the protocol's words (its gap says this)."""
    judge: Judge = _text
    found_by: str = ""
    """Another rule that finds this question left out (CP-META-007 then does not)."""
    asked_if: Callable[[Plan], bool] | None = None
    """Asked only where this holds (or where the plan answers it anyway)."""
    attr: str = ""
    """The model's attribute where it differs from the key's last part."""
    each: str = ""
    """For a question about every entry of a list (``key`` the list): the entries' field
    that answers it; open while any entry leaves it unanswered."""

    def value(self, plan: Plan) -> Any:
        table, _, name = self.key.partition(".")
        return getattr(getattr(plan, table), self.attr or name)

    def asked(self, plan: Plan) -> bool:
        return self.asked_if is None or self.asked_if(plan) or self.answered(plan)

    def answered(self, plan: Plan, *, loose: bool = False) -> bool:
        """Whether the plan answers it (``loose``: counting placeholders as answers)."""
        value = self.value(plan)
        if self.each:
            return all(self.judge(getattr(entry, self.each), loose) for entry in value)
        return self.judge(value, loose)

    def open(self, plan: Plan) -> bool:
        """Whether the protocol shows it as a gap."""
        return self.asked(plan) and not self.answered(plan)

    def left_out(self, plan: Plan) -> bool:
        """Whether the plan leaves it out altogether (not even a placeholder)."""
        return self.asked(plan) and not self.answered(plan, loose=True)


def _young_or_sensitive(plan: Plan) -> bool:
    return plan.project.sensitive_topic or any(p.kind == "young-person" for p in plan.people)


def _sensitive(plan: Plan) -> bool:
    return plan.project.sensitive_topic


def _ethics_review(plan: Plan) -> bool:
    return plan.project.ethics_review


def _rate_answered(plan: Plan) -> bool:
    return RATE.answered(plan)


def _a_person(value: Any, loose: bool) -> bool:
    return bool(value)


def _terms(value: Any, loose: bool) -> bool:
    return any(t.term.strip() for t in value)


def _summary_answered(plan: Plan) -> bool:
    return SUMMARY.answered(plan)


def Q(key: str, topic: str, judge: Judge = _text, **more: Any) -> Question:
    return Question(key, topic, judge, **more)


# -- the questions, by the section of the protocol that asks them --------------------------

NEXT_REVIEW = Q("protocol.next_review", "when we will next review this protocol together "
                "(a date)", _given, found_by="CP-META-003")
SUMMARY = Q("project.summary", "a short plain-language summary of the project, written with "
            "people with lived experience", found_by="CP-COM-003")
SUMMARY_CO_WRITTEN = Q("project.summary_co_written", "who with lived experience will write or "
                       "check this summary with us", _some, found_by="CP-COM-003",
                       asked_if=_summary_answered)
PURPOSE = Q("protocol.purpose", "our shared purpose: why we are doing this together")
AIM = Q("project.aim", "what involving people with lived experience should achieve in this "
        "project", found_by="CP-REP-001")
CAN_CHANGE = Q("protocol.can_change", "what people with lived experience can change in this "
               "project")
CANNOT_CHANGE = Q("protocol.cannot_change", "what cannot change, and why, so that nobody is "
                  "promised more than we can give")
PRINCIPLES = Q("protocol.principles", "the principles we work by")
SOUGHT = Q("project.lived_experience_sought", "whose lived experience the project needs, and "
           "how it links to the people it serves", found_by="CP-INC-001")
ROUTES = Q("recruitment.routes", "where and how we invite people with lived experience (more "
           "than one route)", _texts, found_by="CP-INC-003")
UNDERSERVED = Q("recruitment.underserved", "which groups are often not heard on this topic, "
                "and what we will do to include them", _some, found_by="CP-INC-003")
UNDERSERVED_ACTION = Q("recruitment.underserved", "what we will do to reach each group that "
                       "is often not heard", each="action", found_by="CP-INC-003")
BARRIERS = Q("recruitment.barriers", "what could stop people taking part (cost, timing, "
             "technology, stigma) and what we will do about it", _some, found_by="CP-INC-004")
BARRIER_MITIGATION = Q("recruitment.barriers", "what we will do about each barrier to taking "
                       "part", each="mitigation", found_by="CP-INC-004")
SELECTION = Q("recruitment.selection", "how people are chosen, fairly and openly, if more "
              "come forward than there are places", found_by="CP-INC-006")
LEAD = Q("governance.lead", "who leads involvement and co-production (a named person)",
         _a_person, found_by="CP-GOV-001")
BOARD = Q("governance.board", "who sits on the group that takes the project's key decisions",
          _some)
DECISIONS = Q("governance.decisions", "how decisions are made (consensus, a vote) and how the "
              "views of people with lived experience count", found_by="CP-GOV-003")
HEARD_BY = Q("governance.heard_by", "who hears the group's views and has the power to act on "
             "them")
GROUND_RULES = Q("governance.ground_rules", "the ground rules we agree together",
                 found_by="CP-WT-001")
DISAGREEMENTS = Q("governance.disagreements", "how anyone can raise a problem or disagreement, "
                  "and how it is resolved", found_by="CP-WT-002")
CONTACT = Q("support.contact", "who is the named contact people can go to with any question "
            "or worry", _a_person, found_by="CP-SUP-001")
INDUCTION = Q("support.induction", "how new members are welcomed and introduced to the "
              "project")
TRAINING = Q("support.training", "what training people with lived experience are offered for "
             "their roles")
STAFF_TRAINING = Q("support.staff_training", "what researchers and staff learn about working "
                   "in co-production", found_by="CP-SUP-003")
BUDDY = Q("support.buddy", "how buddying, mentoring or peer support will work")
WITHDRAW = Q("support.withdraw", "the promise that anyone can pause or stop at any time, with "
             "nothing lost", found_by="CP-WEL-003")
CONFIDENTIALITY = Q("support.confidentiality", "how what people share is kept confidential",
                    found_by="CP-WEL-004")
SAFEGUARDING = Q("support.safeguarding", "the safeguarding procedure and who leads it",
                 asked_if=_young_or_sensitive)
BOUNDARIES = Q("protocol.boundaries", "the boundaries of the group, including that it is not "
               "a clinical service and cannot give advice about anyone's care",
               found_by="CP-WEL-005")
DISTRESS = Q("protocol.distress", "what happens if someone becomes distressed during or after "
             "a session", found_by="CP-WEL-001")
SIGNPOSTING = Q("protocol.signposting", "where people can find support (services, helplines, "
                "peer support) and where the signposting sheet is kept", found_by="CP-WEL-005")
ANONYMOUS = Q("support.anonymous_route", "how people can take part or give views without "
              "being named", asked_if=_sensitive)
POLICY = Q("payment.policy", "our payment and recognition policy", found_by="CP-PAY-001")
POLICY_AGREED = Q("payment.agreed", "the date we agree the payment policy, before anyone is "
                  "involved", _given, found_by="CP-PAY-001")
RATE = Q("payment.rate", "the rate of payment for people's time")
RATE_SOURCE = Q("payment.rate_source", "where the rate comes from, and when we last checked it",
                found_by="CP-PAY-010", asked_if=_rate_answered)
EXPENSES = Q("payment.expenses", "which expenses we cover (travel, food, care for someone "
             "people look after, childcare, phone or data)", _some, found_by="CP-PAY-003")
METHOD = Q("payment.method", "how people are paid (bank transfer, vouchers) and how the "
           "process is explained", found_by="CP-PAY-006")
BENEFITS = Q("payment.benefits_advice", "how people who receive benefits get independent, free "
             "advice before accepting payment")
RECOGNITION = Q("payment.recognition", "how people are recognised besides payment "
                "(acknowledgement, co-authorship, certificates, references)",
                found_by="CP-PAY-009")
CHANNELS = Q("communication.channels", "how we keep in touch, including at least one way to "
             "reply (two-way)", _texts)
BETWEEN_MEETINGS = Q("communication.between_meetings", "how people can raise things between "
                     "meetings")
PLAIN_LANGUAGE = Q("communication.plain_language", "how we keep materials in plain language, "
                   "and who checks them")
BUDGET = Q("budget.involvement", "the total budget for involvement", _given)
BUDGET_LINES = Q("budget.lines", "what the involvement budget pays for: payments, expenses, "
                 "access costs, venues, training, staff time", _some)
METHODS = Q("evaluation.methods", "how we will capture the difference co-production makes "
            "(for example an impact log after each session, or looking back with the "
            "Involvement Matrix)", _some, found_by="CP-IMP-001")
WHEN = Q("evaluation.when", "when we capture impact", found_by="CP-IMP-001")
DOMAINS = Q("evaluation.domains", "where we look for a difference: the project, the people "
            "involved, wider knowledge, and harms or unintended effects", _some,
            found_by="CP-IMP-005")
CO_DESIGNED = Q("evaluation.co_designed", "how people with lived experience will shape what we "
                "evaluate and how", _some, found_by="CP-IMP-002")
REFLECTION_LOG = Q("evaluation.reflection_log", "where we record our reflections, including "
                   "what went wrong", found_by="CP-IMP-004")
RISKS = Q("protocol.risk", "the risks to working together and how we respond: for example "
          "being asked after decisions are made, too much asked of people, distress, payments "
          "affecting benefits, late payment, people without internet access, and people "
          "leaving", _some, attr="risks")
RISK_RESPONSE = Q("protocol.risk", "what we will do about each risk", attr="risks",
                  each="response")
ETHICS = Q("protocol.ethics", "how people with lived experience shaped what participants will "
           "read and be asked, and the difference between contributors and research "
           "participants", asked_if=_ethics_review)
DATA_HANDLING = Q("protocol.data_handling", "how contributors' own contact and payment details "
                  "are kept safe, who sees them, and when they are deleted",
                  found_by="CP-REP-003")
REPORTING = Q("protocol.reporting", "how we will report involvement (for example with the "
              "GRIPP2 short form) and how people are credited")
PROPOSE_CHANGE = Q("communication.between_meetings", "how anyone in the team can propose a "
                   "change to this protocol")
HOW_COPRODUCED = Q("protocol.how_coproduced", "how this protocol was written together, and by "
                   "whom")
REVIEW_ROUNDS = Q("protocol.review", "when people with lived experience review this protocol, "
                  "and how", _some, attr="reviews")
GLOSSARY = Q("protocol.term", "which words from our own project need explaining, and what we "
             "agree they mean", _terms, attr="terms")

QUESTIONS: tuple[Question, ...] = tuple(
    q for q in globals().values() if isinstance(q, Question))
"""Every question, in the order the protocol asks them."""


def left_out(plan: Plan) -> list[Question]:
    """The questions the plan leaves out altogether that no other rule finds: CP-META-007's
    (one for each key, the first the protocol asks)."""
    seen: set[str] = set()
    found = []
    for q in QUESTIONS:
        if q.found_by or q.key in seen or not q.left_out(plan):
            continue
        seen.add(q.key)
        found.append(q)
    return found


__all__ = ["QUESTIONS", "Question", "left_out"]
