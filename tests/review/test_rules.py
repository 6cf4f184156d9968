"""Every review rule, one at a time: a plan that passes it and a plan that fails it.

Each case starts from the good plan (``data/good-plan.toml``, which passes every rule) and
makes one small edit that breaks exactly one rule.  The test then checks the finding: its
rule id, what it is about (kind, id, stage), the exact line it points at, its severity,
and that no other rule started to complain (``also`` names the rare rule that must
complain too).  A rule added to the registry without a case here fails
``test_every_rule_has_a_case``.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from datetime import date

import pytest
from plan_edits import (
    PLAN_NAME,
    REGISTRY,
    Edit,
    Finder,
    append,
    at,
    cut,
    drop,
    edited,
    good_report,
    good_text,
    head,
    insert,
    key,
    meeting,
    parse,
    person,
    stage,
    sub,
    sub_all,
    table,
    tp,
)
from rich.console import Console

from coplan.errors import PlanError
from coplan.review import Severity, review, rule
from coplan.review.engine import Registry
from coplan.review.report_formats import to_json, to_junit, to_markdown, to_sarif
from coplan.review.report_text import print_report

PROJECT = ("project", "", "")


def on(table_name: str) -> tuple[str, str, str]:
    """A finding about a whole table of the plan, such as [support]."""
    return ("project", table_name, "")


def touch(tid: str, sid: str) -> tuple[str, str, str]:
    return ("touchpoint", tid, sid)


@dataclass(frozen=True)
class Case:
    rule: str
    edits: tuple[Edit, ...]
    subject: tuple[str, str, str]
    line: Finder
    also: frozenset[str] = field(default_factory=frozenset)
    passing: tuple[Edit, ...] = ()  # edits to the good plan that pass, if it does not
    label: str = ""

    @property
    def name(self) -> str:
        return f"{self.rule}{'-' + self.label if self.label else ''}"


def case(rule_id: str, *edits: Edit, subject: tuple[str, str, str], line: Finder,
         also: tuple[str, ...] = (), passing: tuple[Edit, ...] = (), label: str = "") -> Case:
    return Case(rule_id, edits, subject, line, frozenset(also), passing, label)


def after_id(item: str) -> str:
    return f'id = "{item}"'


# A delivery record for the aims workshop (held on its planned day, 2 March 2027): who came,
# feedback sent in time, everyone paid in time, and an entry in the impact log.  Each
# delivery case then breaks one part of it.
REVIEW_DAY = date(2027, 9, 1)
HEARD = 'heard_by = "The management group, which signs off the question"'
RECORD = "[[stage.touchpoint.record]]"
RECORDED: tuple[Edit, ...] = (
    insert(at(HEARD), """
    [[stage.touchpoint.record]]
    session = 1
    on = 2027-03-02
    attended = ["amara", "sam", "morag", "priya"]
    feedback_sent = 2027-03-05"""),
    append("\n".join(f"""
[[paid]]
who = "{who}"
for = "aims-workshop"
session = 1
paid = 2027-03-10
amount = 0
""" for who in ("amara", "sam", "morag"))),
    append("""
[[impact]]
touchpoint = "aims-workshop"
changed = "The question now asks what 'ready' means to people themselves."
"""),
)

def sams_payment(*lines: str) -> Edit:
    """Sam's payment for the recorded aims workshop (``RECORDED``: nothing paid), paying
    ``lines`` instead ("amount = 25", "expenses = 12.5")."""
    entry = 'who = "sam"\nfor = "aims-workshop"\nsession = 1\npaid = 2027-03-10\n'

    def edit(text: str) -> str:
        assert entry + "amount = 0\n" in text
        return text.replace(entry + "amount = 0\n", entry + "".join(f"{x}\n" for x in lines))

    return edit


_PAID_FOR = '\n[[paid]]\nwho = "dev"\nfor = "{}"\nsession = {}\npaid = 2027-06-10\namount = 25\n'
"""A payment to Dev for a session of a touchpoint or meeting."""

# Touchpoints, stages and people of the good plan that the cases edit.
SURVEY, WORKSHOP = "priorities-survey", "priorities-workshop"
STAFF_ONLY = 'who = ["priya"]'

CASES: list[Case] = [
    # -- ids people and tools can tell apart -------------------------------------------
    case("CP-ID-001", sub('id = "advisory"', 'id = "Management"'),
         subject=("meeting", "Management", ""), line=at('id = "Management"')),
    # -- every stage has co-production built in ----------------------------------------
    case("CP-STG-001",
         cut(tp("training-days"), at("[[stage]]", after=after_id("training-days"), plus=-1)),
         subject=("stage", "peer-training", "peer-training"), line=stage("peer-training")),
    case("CP-STG-002",
         sub('who = ["dev", "tendai", "morag", "priya"]', STAFF_ONLY),
         subject=touch("practice-interviews", "design"), line=at(STAFF_ONLY)),
    # The decision is due two weeks in: the survey (at the start) comes before it, the
    # workshop (a week before the end) after it.
    case("CP-STG-003", sub('by = "end"', 'by = "+2w"', after=after_id("focus")),
         subject=touch(WORKSHOP, "priorities"), line=key("when", after=after_id(WORKSHOP))),
    case("CP-STG-004", drop(key("purpose", after=after_id(WORKSHOP))),
         subject=touch(WORKSHOP, "priorities"), line=tp(WORKSHOP)),
    # (one touchpoint copied into three stages, its words written a little differently)
    case("CP-STG-009",
         sub('title = "Priority workshop: what should MINDS focus on?"',
             'title = "Advisory group update"'),
         sub('purpose = "Rank the problems people raised and agree the focus of the whole '
             'study."', 'purpose = "Update the advisory group."'),
         sub('title = "Writing the question together"', 'title = "advisory group  update"'),
         sub('purpose = "Turn the agreed focus into a research question and aims everyone '
             'can stand behind."', 'purpose = "Update the Advisory Group"'),
         sub('title = "Designing the study together"', 'title = "Advisory-group update."'),
         sub('purpose = "Choose the methods and draft the interview questions from lived '
             'experience of discharge."', 'purpose = "update the advisory group!"'),
         subject=touch("priorities-workshop", "priorities"),
         line=at('title = "Advisory group update"'),
         # (in two stages it may be honest: a feedback session after each of two rounds)
         passing=(sub('title = "Priority workshop: what should MINDS focus on?"',
                      'title = "Advisory group update"'),
                  sub('purpose = "Rank the problems people raised and agree the focus of '
                      'the whole study."', 'purpose = "Update the advisory group."'),
                  sub('title = "Writing the question together"',
                      'title = "Advisory group update"'),
                  sub('purpose = "Turn the agreed focus into a research question and aims '
                      'everyone can stand behind."',
                      'purpose = "Update the advisory group."'))),
    case("CP-STG-005", sub('phase = "analyse"', 'phase = "collect"'),
         subject=PROJECT, line=table("project")),
    # The first stage's sessions move after the stage has ended (and stop claiming to
    # influence its decision, which would be tokenism, CP-STG-003).
    case("CP-STG-006",
         sub('when = "start"', "when = 2027-03-08", after=after_id(SURVEY)),
         sub('when = "-1w"', "when = 2027-03-08", after=after_id(WORKSHOP)),
         drop(key("influences", after=after_id(SURVEY))),
         drop(key("influences", after=after_id(WORKSHOP))),
         subject=PROJECT, line=table("project"), also=("CP-STG-008",)),
    case("CP-STG-007", subject=("stage", "approvals", "approvals"), line=key("constrained"),
         passing=(drop(key("constrained")),)),
    # -- the ladder ---------------------------------------------------------------------
    case("CP-LAD-001",
         sub('ladder = "consultation"', 'ladder = "coercion"', after=after_id(SURVEY)),
         subject=touch(SURVEY, "priorities"), line=key("ladder", after=after_id(SURVEY)),
         also=("CP-LAD-005",)),  # no role fits coercion, so rung and role disagree too
    case("CP-LAD-002",
         sub('ladder = "co-design"', 'ladder = "informing"', after=after_id("training-days")),
         sub('role = "partner"', 'role = "listener"', after=after_id("training-days")),
         subject=("stage", "peer-training", "peer-training"), line=stage("peer-training")),
    case("CP-LAD-003",
         sub('ladder = "co-production"', 'ladder = "engagement"', after=after_id("aims-workshop")),
         sub('role = "decision-maker"', 'role = "advisor"', after=after_id("aims-workshop")),
         subject=("stage", "aims", "aims"), line=stage("aims")),
    case("CP-LAD-004",
         sub('ladder = "co-production"', 'ladder = "consultation"',
             after=after_id("looking-back")),
         sub('role = "decision-maker"', 'role = "co-thinker"', after=after_id("looking-back")),
         subject=("stage", "evaluate", "evaluate"), line=stage("evaluate")),
    case("CP-LAD-005",
         sub('role = "co-thinker"', 'role = "decision-maker"', after=after_id(SURVEY)),
         subject=touch(SURVEY, "priorities"), line=key("role", after=after_id(SURVEY)),
         also=("CP-LAD-009",)),
    case("CP-LAD-006",
         insert(key("ladder", after=after_id(WORKSHOP)), '  achieved = "consultation"'),
         subject=touch(WORKSHOP, "priorities"), line=key("achieved")),
    case("CP-LAD-007", drop(key("ladder", after=after_id(SURVEY))),
         subject=touch(SURVEY, "priorities"), line=tp(SURVEY)),
    case("CP-LAD-008", sub_all(r'^(\s*ladder = )"co-production"', r'\1"co-design"'),
         subject=PROJECT, line=key("claims_coproduction")),
    # -- roles ----------------------------------------------------------------------------
    case("CP-ROL-001", drop(key("role", after=after_id(SURVEY))),
         subject=touch(SURVEY, "priorities"), line=tp(SURVEY)),
    case("CP-ROL-002", drop(key("role_agreed", after=after_id("sam"))),
         subject=("person", "sam", ""), line=person("sam")),
    case("CP-ROL-003", drop(key("time_commitment", after=after_id("sam"))),
         subject=("person", "sam", ""), line=person("sam")),
    case("CP-ROL-004", drop(key("terms_of_reference", after=after_id("peer-support"))),
         subject=("meeting", "peer-support", ""), line=meeting("peer-support")),
    # Nobody shares power.  A plan claiming co-production would also break CP-LAD-008
    # (or CP-LAD-005), so this plan stops claiming it.
    case("CP-ROL-005",
         sub("claims_coproduction = true", "claims_coproduction = false"),
         sub_all(r'^(\s*role = )"(decision-maker|partner)"', r'\1"advisor"'),
         sub_all(r'^(\s*ladder = )"co-production"', r'\1"co-design"'),
         subject=PROJECT, line=table("project")),
    # -- inclusion --------------------------------------------------------------------------
    case("CP-INC-001",
         cut(key("lived_experience_sought"), at('"""', after="lived_experience_sought")),
         subject=PROJECT, line=table("project")),
    case("CP-INC-002", sub('who = ["amara", "dev", "nadia"]', 'who = ["amara", "nadia"]'),
         subject=touch("ethics-committee", "approvals"),
         line=key("who", after=after_id("ethics-committee"))),
    case("CP-INC-003",
         cut(at('"Peer support groups', after="routes = ["),
             at("]", after="routes = [", plus=-1)),
         subject=on("recruitment"), line=key("routes")),
    case("CP-INC-003", drop(key("action", after="[[recruitment.underserved]]")),
         subject=on("recruitment"), line=at("[[recruitment.underserved]]"),
         label="no-action"),
    case("CP-INC-004", drop('mitigation = "Loan laptops'),
         subject=on("recruitment"),
         line=head("[[recruitment.barriers]]", 'barrier = "No device')),
    case("CP-INC-005",
         sub_all(r'^(  format = )".*"$', r'\1"workshop"'),
         sub_all(r'^(  mode = )".*"$', r'\1"in-person"'),
         subject=PROJECT, line=table("project")),
    case("CP-INC-006", drop(key("selection")), subject=on("recruitment"),
         line=table("recruitment")),
    case("CP-INC-007", drop(key("anonymous")), drop(key("anonymous_route")),
         sub('title = "Anonymous survey:', 'title = "Survey:'),
         subject=PROJECT, line=key("sensitive_topic"), also=("CP-META-007",)),
    # (called anonymous, but not: found by trying the product, "Anonymous survey" with
    # anonymous = false, and the plan's anonymous route "The survey.")
    case("CP-INC-007", sub("anonymous = true", "anonymous = false"),
         subject=touch("priorities-survey", "priorities"), line=key("anonymous"),
         label="called-anonymous"),
    # -- accessibility ----------------------------------------------------------------------
    case("CP-ACC-001", drop(key("needs_asked", after=after_id("tendai"))),
         subject=("person", "tendai", ""), line=person("tendai")),
    case("CP-ACC-002",
         sub('access = ["digital-support", "replacement-care", "travel-booked", "quiet-room"',
             'access = ["replacement-care", "travel-booked", "quiet-room"'),
         subject=touch("practice-interviews", "design"),
         line=key("access", after=after_id("practice-interviews"))),
    case("CP-ACC-003",
         sub('papers_ahead = "2w"', 'papers_ahead = "1w"', after=after_id("aims-workshop")),
         subject=touch("aims-workshop", "aims"),
         line=key("papers_ahead", after=after_id("aims-workshop"))),
    case("CP-ACC-003", drop(key("papers_ahead", after=after_id("aims-workshop"))),
         subject=touch("aims-workshop", "aims"), line=tp("aims-workshop"), label="missing"),
    case("CP-ACC-004",
         sub(', "digital-support", "non-digital-alternative"]', "]",
             after=after_id("themes-check")),
         subject=touch("themes-check", "analysis"),
         line=key("mode", after=after_id("themes-check"))),
    case("CP-ACC-004", drop(key("mode", after=after_id("aims-workshop"))),
         subject=touch("aims-workshop", "aims"), line=tp("aims-workshop"), label="no-mode"),
    # -- working together, governance -------------------------------------------------------
    case("CP-WT-001", drop(key("ground_rules")), subject=on("governance"),
         line=table("governance")),
    case("CP-WT-002", drop(key("disagreements")), subject=on("governance"),
         line=table("governance")),
    case("CP-WT-004", cut(at("[[log]]"), table("review", plus=-1)),
         subject=PROJECT, line=table("project")),
    case("CP-GOV-001", drop(key("lead")), subject=on("governance"), line=table("governance")),
    case("CP-GOV-002", drop(key("co_leads")),
         sub('board = ["amara", "nadia", "morag", "priya", "kit", "owen"]',
             'board = ["nadia", "priya", "kit", "owen"]'),
         subject=on("governance"), line=table("governance")),
    case("CP-GOV-003", drop(key("decisions", after="[governance]")), subject=on("governance"),
         line=table("governance")),
    # -- support and wellbeing -------------------------------------------------------------
    case("CP-SUP-001", drop(key("contact")), subject=on("support"), line=table("support")),
    case("CP-SUP-002", drop(key("induction")), drop(key("training", after="[support]")),
         subject=on("support"), line=table("support"), also=("CP-META-007",)),
    case("CP-SUP-003", drop(key("staff_training")), subject=on("support"),
         line=table("support")),
    case("CP-WEL-001", drop(key("distress")), subject=on("protocol"), line=table("protocol")),
    case("CP-WEL-002", drop(key("aftercare", after=after_id("practice-interviews"))),
         subject=touch("practice-interviews", "design"), line=tp("practice-interviews")),
    case("CP-WEL-003", drop(key("withdraw")), subject=on("support"), line=table("support")),
    case("CP-WEL-004", drop(key("confidentiality")), subject=on("support"),
         line=table("support")),
    case("CP-WEL-004", sub('kind = "community"', 'kind = "young-person"'),
         drop(key("safeguarding")), subject=on("support"), line=table("support"),
         label="young-people", also=("CP-META-007",)),
    case("CP-WEL-005", drop(key("boundaries")), subject=on("protocol"), line=table("protocol")),
    # -- payment ------------------------------------------------------------------------------
    case("CP-PAY-001", sub("agreed = 2026-11-26", "agreed = 2027-06-01"),
         subject=on("payment"), line=key("agreed")),
    case("CP-PAY-001", drop(key("agreed")), subject=on("payment"),
         line=key("policy", after="[payment]"), label="no-date"),
    case("CP-PAY-002", drop(key("standard")), drop(key("payment", after=after_id(WORKSHOP))),
         subject=touch(WORKSHOP, "priorities"), line=tp(WORKSHOP)),
    case("CP-PAY-003", sub('"phone-or-data", ', "", after="[payment]"),
         subject=("person", "dev", ""), line=key("needs", after=after_id("dev"))),
    case("CP-PAY-004", drop(key("benefits_advice", after=after_id("sam"))),
         subject=("person", "sam", ""), line=person("sam")),
    case("CP-PAY-005", drop(key("terms_given", after=after_id("sam"))),
         subject=("person", "sam", ""), line=person("sam")),
    case("CP-PAY-006", drop(key("within", after="[payment]")), subject=on("payment"),
         line=table("payment")),
    case("CP-PAY-007", sub("involvement = 36000", "involvement = 30000"),
         subject=on("budget"), line=key("involvement")),
    case("CP-PAY-008", drop(key("budgeting_with_contributors")), subject=on("payment"),
         line=table("payment")),
    case("CP-PAY-009", drop(key("recognition")), subject=on("payment"),
         line=table("payment")),
    case("CP-PAY-010", drop(key("rate_source")), subject=on("payment"),
         line=key("rate", after="[payment]")),
    # (a rate with no amount in it: found by trying the product, as an ethics committee's
    # reviewer would read it)
    case("CP-PAY-010", sub('rate = "£25 an hour, paid in half-hour steps',
                           'rate = "At the trust\'s usual rate, paid in half-hour steps'),
         subject=on("payment"), line=key("rate", after="[payment]"), label="no-amount"),
    # -- closing the loop, being heard -----------------------------------------------------
    case("CP-COM-001", drop(key("feedback", after=after_id(WORKSHOP))),
         subject=touch(WORKSHOP, "priorities"), line=tp(WORKSHOP)),
    case("CP-COM-002",
         sub('feedback_within = "2w"', 'feedback_within = "6w"', after=after_id(WORKSHOP)),
         subject=touch(WORKSHOP, "priorities"),
         line=key("feedback_within", after=after_id(WORKSHOP))),
    case("CP-COM-002", drop(key("feedback_within", after=after_id(WORKSHOP))),
         subject=touch(WORKSHOP, "priorities"),
         line=key("feedback", after=after_id(WORKSHOP)), label="missing"),
    case("CP-COM-003", drop(key("summary_co_written")), subject=PROJECT, line=key("summary")),
    case("CP-COM-004", drop(key("between_meetings")),
         cut(key("channels"), at("]", after="channels = [")),
         subject=on("communication"), line=table("communication"), also=("CP-META-007",)),
    case("CP-LUN-003", drop(key("heard_by", after="[governance]")),
         drop(key("heard_by", after=after_id(WORKSHOP))),
         subject=touch(WORKSHOP, "priorities"), line=tp(WORKSHOP), also=("CP-META-007",)),
    # -- impact and reporting --------------------------------------------------------------
    case("CP-IMP-001", drop(key("when", after="[evaluation]")), subject=on("evaluation"),
         line=key("methods", after="[evaluation]")),
    case("CP-IMP-001", drop(key("methods", after="[evaluation]")), subject=on("evaluation"),
         line=table("evaluation"), also=("CP-REP-001",), label="no-method"),
    case("CP-IMP-002", drop(key("co_designed")), subject=on("evaluation"),
         line=table("evaluation")),
    case("CP-IMP-004", sub(', "negative"]', "]"), subject=on("evaluation"),
         line=table("evaluation")),
    case("CP-IMP-005", sub('"contributors", ', "", after="[evaluation]"),
         subject=on("evaluation"), line=table("evaluation")),
    case("CP-REP-001", cut(key("aim"), at('"""', after='aim = """')), subject=PROJECT,
         line=table("project")),
    case("CP-REP-002", drop(key("credit", after=after_id("sam"))),
         subject=("person", "sam", ""), line=person("sam")),
    case("CP-REP-003", drop(key("data_handling")), subject=on("protocol"),
         line=table("protocol")),
    case("CP-ETH-001", sub_all(r'phase = "(design|approvals)"', 'phase = "collect"'),
         subject=PROJECT, line=key("ethics_review"),
         also=("CP-STG-005",)),
    # -- slowing down, fixed formulas --------------------------------------------------------
    case("CP-SLO-001", insert(key("duration", after=after_id("aims")), 'slow_down = "0%"'),
         subject=("stage", "aims", "aims"), line=stage("aims")),
    case("CP-SLO-002", sub('project_buffer = "rss"', 'project_buffer = "0%"'),
         subject=on("slow_down"), line=table("project.slow_down")),
    case("CP-SLO-003", insert(table("project.reflection"), "enabled = false"),
         subject=on("reflection"), line=table("project.reflection")),
    case("CP-FIX-001", sub_all(r'^(  format = )".*"$', r'\1"advisory-group"'),
         subject=PROJECT, line=table("project")),
    # -- education ----------------------------------------------------------------------------
    case("CP-EDU-001", sub('setting = "research"', 'setting = "education"'),
         subject=PROJECT, line=table("project")),
    case("CP-EDU-002", sub('setting = "research"', 'setting = "education"'),
         sub('format = "co-design-session"', 'format = "teaching-session"',
             after=after_id("aims-workshop")),
         insert(key("ladder", after=after_id("aims-workshop")), '  towle = "e"'),
         drop(key("aftercare", after=after_id("aims-workshop"))),
         subject=touch("aims-workshop", "aims"), line=tp("aims-workshop"),
         also=("CP-WEL-006",)),
    # Some support, but nothing that prepares people to teach.
    case("CP-EDU-002", sub('setting = "research"', 'setting = "education"'),
         sub('format = "co-design-session"', 'format = "teaching-session"',
             after=after_id("aims-workshop")),
         insert(key("ladder", after=after_id("aims-workshop")), '  towle = "e"'),
         sub('support = ["briefing", ', "support = [", after=after_id("aims-workshop")),
         subject=touch("aims-workshop", "aims"), line=tp("aims-workshop"), label="no-briefing"),
    # -- loopholes closed (tests/review/test_loopholes.py tries each on the whole example) --
    case("CP-STG-008", drop(key("influences", after=after_id(WORKSHOP))),
         subject=touch(WORKSHOP, "priorities"), line=tp(WORKSHOP)),
    case("CP-STG-008", drop(key("influences", after=after_id(WORKSHOP))),
         sub('when = "-1w"', 'when = "end"', after=after_id(WORKSHOP)),
         subject=touch(WORKSHOP, "priorities"), line=key("when", after=after_id(WORKSHOP)),
         label="last-day"),
    case("CP-LAD-009", sub('ladder = "consultation"', 'ladder = "co-design"',
                           after=after_id(SURVEY)),
         sub('role = "co-thinker"', 'role = "advisor"', after=after_id(SURVEY)),
         subject=touch(SURVEY, "priorities"), line=key("ladder", after=after_id(SURVEY))),
    case("CP-PAY-011", sub('payment = "hourly"', 'payment = "not-offered"',
                           after=after_id(WORKSHOP)),
         subject=touch(WORKSHOP, "priorities"), line=key("payment", after=after_id(WORKSHOP))),
    # Paid per session, with only a rate by the hour: priced by the hour, and pointed at.
    case("CP-PAY-012", sub('payment = "hourly"', 'payment = "session"',
                           after=after_id(WORKSHOP)),
         append("[[payment.rates]]\namount = 25\nper = \"hour\"\n"),
         subject=touch(WORKSHOP, "priorities"), line=key("payment", after=after_id(WORKSHOP))),
    case("CP-INC-008", sub("min_voices = 2", "min_voices = 1"),
         sub('who = ["sam", "dev", "tendai"]', 'who = ["sam"]', after=after_id(SURVEY)),
         subject=touch(SURVEY, "priorities"), line=key("who", after=after_id(SURVEY))),
    case("CP-INC-009", sub('role = "Peer researcher: interviews, analysis and sharing findings"',
                           'role = "Research participant, interviewed about discharge"'),
         subject=("person", "dev", ""), line=key("role", after=after_id("dev"))),
    case("CP-SLO-004", sub('every = "6w"', 'every = "26w"'),
         subject=("project", "reflection", ""), line=key("every", after="[project.reflection]")),
    case("CP-WEL-006", drop(key("aftercare", after=after_id(SURVEY))),
         subject=touch(SURVEY, "priorities"), line=tp(SURVEY)),
    case("CP-COM-005", sub('feedback = "', 'feedback = "Only in the final report at the end. ',
                           after=after_id(WORKSHOP)),
         subject=touch(WORKSHOP, "priorities"), line=key("feedback", after=after_id(WORKSHOP))),
    case("CP-ACC-005", insert(key("needs_asked", after=after_id("amara")),
                              'circumstances = ["evenings-hard"]'),
         insert(key("when", after=after_id(WORKSHOP)), '  time = "16:30"'),
         subject=touch(WORKSHOP, "priorities"), line=key("time", after=after_id(WORKSHOP))),
    case("CP-ACC-006", sub('where = "Trust research office, ground floor meeting room"',
                           'where = "Trust research office, 3rd floor, no lift"'),
         subject=touch("participant-materials", "approvals"),
         line=key("where", after=after_id("participant-materials"))),
    # (a standing meeting with lived-experience members that does not say how they take part)
    case("CP-ACC-007", drop(key("mode", after='id = "management"')),
         subject=("meeting", "management", ""), line=meeting("management")),
    # -- agreed, not placeholders --------------------------------------------------------
    case("CP-AGR-001", sub('safeguarding = "The trust', 'safeguarding = "TBC. The trust'),
         subject=on("support"), line=key("safeguarding")),
    case("CP-AGR-001", sub('buddy = "', 'buddy = "To agree. '),
         subject=on("support"), line=key("buddy"), label="to-agree"),
    case("CP-AGR-001", sub("needs_asked = 2026-11-16", "needs_asked = 2026-11-16  # placeholder"),
         subject=("person", "amara", ""), line=key("needs_asked"), label="marked"),
    # (an answer that says nothing: found by trying the product, a hurried team's "N/A")
    case("CP-AGR-001", sub('safeguarding = "The trust safeguarding policy applies; Nadia '
                           'is the safeguarding lead for the study and Kit the deputy."',
                           'safeguarding = "N/A"'),
         subject=on("support"), line=key("safeguarding"), label="says-nothing"),
    # -- a co-produced protocol ------------------------------------------------------------
    case("CP-META-001", drop(key("coauthors")),
         cut(at("[[protocol.review]]"), at("[[protocol.risk]]", plus=-1)),
         subject=on("protocol"), line=table("protocol"), also=("CP-META-007",)),
    # -- what actually happened (reviewed on REVIEW_DAY) ---------------------------------
    case("CP-DEL-001", *RECORDED, drop(key("feedback_sent", after=HEARD)),
         subject=touch("aims-workshop", "aims"), line=at(RECORD, after=HEARD),
         also=("CP-DEL-010",)),
    case("CP-DEL-002", *RECORDED, cut(at("[[paid]]", after='who = "amara"', plus=0),
                                      at('amount = 0', after='who = "sam"', plus=0)),
         subject=touch("aims-workshop", "aims"), line=at(RECORD, after=HEARD),
         also=("CP-DEL-010",)),
    # (a fee: expenses repaid alone are not earnings, test_expenses_are_not_earnings)
    case("CP-DEL-003", *RECORDED, sams_payment("amount = 25"),
         insert(at('benefits_advice = "offered"', after='id = "sam"'),
                "benefits_advice_on = 2027-03-20"),
         subject=("person", "sam", ""), line=key("benefits_advice_on"),
         also=("CP-DEL-010",)),
    case("CP-DEL-004", *RECORDED, sub('attended = ["amara", "sam", "morag", "priya"]',
                                      'attended = ["priya"]'),
         subject=touch("aims-workshop", "aims"), line=at(RECORD, after=HEARD),
         also=("CP-DEL-010", "CP-DEL-013")),  # (and the three paid did not come)
    case("CP-DEL-005", *RECORDED, insert(at("feedback_sent", after=HEARD),
                                         'ladder = "consultation"'),
         subject=touch("aims-workshop", "aims"), line=at(RECORD, after=HEARD),
         also=("CP-DEL-010",)),
    case("CP-DEL-006", *RECORDED[:2],
         subject=touch("aims-workshop", "aims"), line=tp("aims-workshop"),
         also=("CP-DEL-010",)),
    case("CP-DEL-007", append("[[payment.rates]]\namount = 1000\nper = \"hour\"\n"),
         subject=on("budget"), line=table("budget")),
    case("CP-DEL-008", append("[[payment.rates]]\namount = 25\nper = \"hour\"\n\n"
                              "[[payment.costs]]\nexpense = \"travel\"\namount = 10\n"),
         subject=on("payment"), line=at("[[payment.costs]]")),
    case("CP-DEL-009", insert(at("start = ", after="[project]"), "finish_by = 2028-03-01"),
         subject=PROJECT, line=key("finish_by")),
    case("CP-DEL-010", *RECORDED, subject=PROJECT, line=table("project")),
    case("CP-DEL-011", *RECORDED, sub('changed = "The question now asks',
                                      'date = 2027-10-01\nchanged = "The question now asks'),
         subject=on("impact"), line=at("date = 2027-10-01"), also=("CP-DEL-010",)),
    case("CP-DEL-012", *RECORDED, sub("paid = 2027-03-10", "paid = 2027-03-01"),
         sub("amount = 0", "amount = 25"),  # (Amara's: a fee; expenses may be paid ahead)
         subject=on("paid"), line=at("paid = 2027-03-01"), also=("CP-DEL-010",)),
    case("CP-DEL-013", *RECORDED, sub('attended = ["amara", "sam", "morag", "priya"]',
                                      'attended = ["amara", "sam", "priya"]'),
         subject=on("paid"), line=at('who = "morag"', after='for = "aims-workshop"', plus=-1),
         also=("CP-DEL-010",)),
    # The aims workshop (2 March 2027) called off the day before, under a policy that pays
    # a fixed amount for less than two working days' notice: nobody's fee is in the ledger.
    case("CP-DEL-020", insert(at(HEARD), """
    [[stage.touchpoint.record]]
    session = 1
    status = "cancelled"
    cancelled_on = 2027-03-01"""),
         insert(table("payment"), 'cancelled_notice = "2d"\ncancelled_fee = 50'),
         subject=touch("aims-workshop", "aims"), line=at(RECORD, after=HEARD),
         also=("CP-DEL-010", "CP-DEL-002")),  # (and, months on, the fee is overdue)
    # The aims stage started in February and says it was half done, without the day that
    # was measured: by the review's day (1 September) the figure is taken as that day's.
    case("CP-DEL-021", insert(at(after_id("aims")), 'started = 2027-02-01\nprogress = "50%"'),
         subject=("stage", "aims", "aims"), line=at('progress = "50%"'),
         also=("CP-DEL-010",)),
    case("CP-DEL-014", *RECORDED, append('\n[[paid]]\nwho = "sam"\nfor = "aims-workshop"\n'
                                         'session = 1\npaid = 2027-03-12\namount = 0\n'),
         subject=on("paid"), line=at("paid = 2027-03-12", plus=-4), also=("CP-DEL-010",)),
    case("CP-DEL-015", *RECORDED, append('\n[[reflection]]\ndate = 2027-04-01\ncheckpoint = 99'
                                         '\nwho = ["amara", "nadia"]'
                                         '\nnoticed = "We were tired."\n'),
         subject=on("reflection"), line=at("checkpoint = 99"), also=("CP-DEL-010",)),
    case("CP-DEL-016", *RECORDED, drop(key("on", after=HEARD)),
         sub("feedback_sent = 2027-03-05", "feedback_sent = 2027-02-26"),
         subject=touch("aims-workshop", "aims"), line=at(RECORD, after=HEARD),
         also=("CP-DEL-010",)),
    # (Priya is a researcher paid through her job: a fee for her is the finding, not that
    # she had no benefits advice, which CP-DEL-003 does not say of her)
    case("CP-DEL-017", *RECORDED, append('\n[[paid]]\nwho = "priya"\nfor = "aims-workshop"\n'
                                         'session = 1\npaid = 2027-03-12\namount = 25\n'),
         subject=on("paid"), line=at("amount = 25", after="paid = 2027-03-12"),
         also=("CP-DEL-010",)),
    # A payment for a standing meeting the schedule does not have (the peer support group
    # meets 17 times), for one still to come (its 10th, on 9 September), for a session
    # still to come; and one paid before its meeting's day (its 2nd, on 20 May).
    case("CP-DEL-018", *RECORDED, append(_PAID_FOR.format("peer-support", 40)),
         subject=on("paid"), line=at("session = 40"), also=("CP-DEL-010",)),
    case("CP-DEL-018", *RECORDED, append(_PAID_FOR.format("peer-support", 10)),
         subject=on("paid"), line=at("session = 10"), also=("CP-DEL-010",),
         label="still-to-come"),
    case("CP-DEL-018", *RECORDED, append(_PAID_FOR.format("making-meaning", 2)),
         subject=on("paid"), line=at("session = 2", after='for = "making-meaning"'),
         also=("CP-DEL-010",), label="session"),
    case("CP-DEL-012", *RECORDED, append(_PAID_FOR.format("peer-support", 2)
                                         .replace("2027-06-10", "2027-05-10")),
         subject=on("paid"), line=at("paid = 2027-05-10"), also=("CP-DEL-010",),
         label="meeting"),
    case("CP-DEL-019", append('\n[baseline]\nsaved = 2027-01-04\nfinish = 2028-06-30\n\n'
                              '[[baseline.stage]]\nstage = "aims"\nstart = 2027-02-22\n'
                              'finish = 2027-03-19\n\n[[baseline.stage]]\nstage = "old-aims"\n'
                              'start = 2027-02-22\nfinish = 2027-03-19\n'),
         subject=on("baseline"), line=at('stage = "old-aims"')),
    # -- privacy in the team's own words ---------------------------------------------------
    case("CP-PRI-001", sub("at a community member's suggestion", "at Tendai's suggestion"),
         subject=PROJECT, line=at("at Tendai's suggestion")),
    case("CP-PRI-002", sub("at a community member's suggestion",
                           "at a community member's suggestion (ring 07700 900123)"),
         subject=PROJECT, line=at("ring 07700 900123")),
    case("CP-PRI-003", append('[[impact]]\nchanged = "The survey moved online. Dev was '
                              'in hospital, so Morag ran it."\n'),
         subject=PROJECT, line=at("Dev was in hospital"), also=("CP-DEL-010",)),
    # (the lead researcher alone: a reflection without anyone it is about)
    case("CP-DEL-022", *RECORDED, append('\n[[reflection]]\ndate = 2027-04-01\n'
                                         'who = ["nadia"]\nnoticed = "We were tired."\n'),
         subject=on("reflection"), line=at('who = ["nadia"]', after="date = 2027-04-01"),
         also=("CP-DEL-010",),
         passing=(*RECORDED, append('\n[[reflection]]\ndate = 2027-04-01\n'
                                    'who = ["nadia", "amara"]\n'
                                    'noticed = "We were tired."\n'))),
    case("CP-DEL-022", *RECORDED, append('\n[[reflection]]\ndate = 2027-04-01\n'
                                         'noticed = "We were tired."\n'),
         subject=on("reflection"), line=head("[[reflection]]", "We were tired."),
         also=("CP-DEL-010",), label="nobody-named"),
    case("CP-PRI-004", append('[[reflection]]\ndate = 2027-05-05\nwho = ["amara", "dev"]\n'
                              'noticed = "Dev and Amara felt heard; Lee stayed quiet."\n'
                              'share = true\n'),
         subject=("project", "reflection", ""), line=at("Lee stayed quiet"),
         also=("CP-DEL-010",),
         passing=(append('[[reflection]]\ndate = 2027-05-05\nwho = ["amara", "dev", "lee"]\n'
                         'noticed = "Dev and Amara felt heard; Lee stayed quiet."\n'
                         'share = true\n'),)),
    case("CP-META-002", sub('version = "1.1"', 'version = "1.2"', after="[protocol]"),
         subject=on("protocol"), line=table("protocol")),
    case("CP-META-003", drop(key("next_review")), subject=on("protocol"),
         line=table("protocol")),
    case("CP-META-004", sub("next_review = 2027-12-15", "next_review = 2027-06-15"),
         subject=on("protocol"), line=key("next_review")),
    # (a round held since, but the date not moved on: the next review is still unplanned)
    case("CP-META-004", sub("next_review = 2027-12-15", "next_review = 2027-06-15"),
         insert(at("Made lived-experience members"),
                '\n  [[protocol.review]]\n  date = 2027-07-01\n  who = ["amara", "sam"]\n'
                '  changes = "Nothing needed to change."'),
         subject=on("protocol"), line=key("next_review"), label="date-not-moved"),
    # (Sam, a co-author with lived experience, signed off only the version before)
    case("CP-META-005", sub('version = "1.1"', 'version = "1.0"', after='who = "sam"'),
         subject=on("protocol"), line=key("status")),
    case("CP-META-006", sub("role_agreed = 2026-12-07", "role_agreed = 2027-12-07"),
         subject=("person", "amara", ""), line=key("role_agreed")),
    # (an agreed protocol that leaves out its principles: the protocol shows a gap, an error)
    case("CP-META-007", drop(key("principles")), subject=on("protocol.principles"),
         line=table("protocol")),
    # (a draft that leaves out its risks: a warning, as a gap a draft may still have)
    case("CP-META-007", sub('status = "agreed"', 'status = "draft"', after="[protocol]"),
         cut(at("[[protocol.risk]]"), at("Co-chairing, ground rules")),
         subject=on("protocol.risk"),
         line=table("protocol"), label="draft"),
]


def _rules_with_findings(report) -> set[str]:
    return {f.rule for f in report.findings}


def test_every_rule_has_a_case() -> None:
    registered = {r.id for r in REGISTRY}
    covered = {c.rule for c in CASES}
    assert registered - covered == set(), "rules without a failing case in CASES"
    assert covered - registered == set(), "cases for rules that are not registered"
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "give repeated cases of one rule a label"


def test_the_good_plan_passes_every_rule() -> None:
    report = good_report()
    assert len(report.rules) == len(REGISTRY)
    assert report.errors == 0
    assert report.warnings == 0
    # The only note: the approvals stage states openly what it cannot change.
    assert [(f.rule, f.severity) for f in report.findings] == [("CP-STG-007", Severity.INFO)]


def _file_keys() -> set[str]:
    from coplan.model import Plan
    from coplan.schema import schema_of

    found: set[str] = set()
    todo, seen = [Plan], set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for member in schema_of(model).members:
            toml = getattr(member.spec, "toml", "")
            if "_" in toml:
                found.add(toml)
            sub = getattr(member.spec, "model", None)
            if isinstance(sub, type):
                todo.append(sub)
    return found


FILE_KEYS = _file_keys()


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.name)
def test_rule_fails(c: Case) -> None:
    text = edited(*c.edits)
    assert c.passing or text != good_text(), "the edit changed nothing"
    plan = parse(text)
    report = review(plan, registry=REGISTRY, today=REVIEW_DAY)
    found = [f for f in report.findings if f.rule == c.rule]
    assert len(found) == 1, [f.message for f in found]
    finding = found[0]
    assert (finding.subject.kind, finding.subject.id, finding.subject.stage) == c.subject
    expected_line = c.line(text)
    assert finding.line == expected_line, (
        f"points at line {finding.line}: {text.splitlines()[finding.line - 1]!r}, "
        f"not {expected_line}: {text.splitlines()[expected_line - 1]!r}")
    registered = REGISTRY.get(c.rule)
    assert registered is not None
    assert finding.severity == registered.severity_for(plan)
    assert finding.file == PLAN_NAME
    assert finding.fix == registered.fix
    assert finding.message.strip()
    # Said as the app's forms say it, never with the file's own key (benefits_advice).
    quoted = set(re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", finding.message)) & FILE_KEYS
    assert not quoted, finding.message
    # Nothing else broke: the edit is aimed at this rule only.
    new = _rules_with_findings(report) - _rules_with_findings(good_report())
    if c.passing:
        new.add(c.rule)
    assert new == {c.rule, *c.also}


@pytest.mark.parametrize("c", [c for c in CASES if not c.label], ids=lambda c: c.name)
def test_rule_passes(c: Case) -> None:
    report = review(parse(edited(*c.passing)), registry=REGISTRY, today=REVIEW_DAY) \
        if c.passing else good_report()
    assert c.rule in {r.id for r in report.rules}, "the rule did not run"
    assert [f for f in report.findings if f.rule == c.rule] == []


# -- claims_coproduction makes the stricter rules errors -----------------------------------

NO_GROUND_RULES = drop(key("ground_rules"))
NO_DISAGREEMENTS = drop(key("disagreements"))
NOT_CLAIMED = sub("claims_coproduction = true", "claims_coproduction = false")


def _severity(report, rule_id: str) -> Severity:
    (finding,) = [f for f in report.findings if f.rule == rule_id]
    return finding.severity


def test_strict_rules_are_errors_when_the_plan_claims_coproduction() -> None:
    strict = REGISTRY.get("CP-WT-001")
    assert strict is not None and strict.severity == Severity.WARNING
    assert strict.strict == Severity.ERROR
    claimed = review(parse(edited(NO_GROUND_RULES, NO_DISAGREEMENTS)), registry=REGISTRY)
    assert _severity(claimed, "CP-WT-001") == Severity.ERROR
    assert _severity(claimed, "CP-WT-002") == Severity.WARNING  # not a strict rule
    unclaimed = review(parse(edited(NO_GROUND_RULES, NO_DISAGREEMENTS, NOT_CLAIMED)),
                       registry=REGISTRY)
    assert _severity(unclaimed, "CP-WT-001") == Severity.WARNING
    assert _severity(unclaimed, "CP-WT-002") == Severity.WARNING
    assert (claimed.errors, unclaimed.errors) == (1, 0)


def test_every_strict_rule_is_at_least_as_severe_as_its_default() -> None:
    strict = [r for r in REGISTRY if r.strict is not None]
    assert len(strict) >= 5
    for r in strict:
        assert r.strict > r.severity, f"{r.id}: a stricter severity that is not stricter"


def test_the_text_report_says_why_warnings_became_errors() -> None:
    out = io.StringIO()
    print_report(review(parse(edited(NO_GROUND_RULES)), registry=REGISTRY),
                 Console(file=out, width=200))
    assert "The plan says it is co-produced, so the stricter rules count as errors." in \
        out.getvalue()
    out = io.StringIO()
    print_report(review(parse(edited(NO_GROUND_RULES, NOT_CLAIMED)), registry=REGISTRY),
                 Console(file=out, width=200))
    assert "stricter rules" not in out.getvalue()


# -- [review.skip]: a rule switched off, with the team's reason -----------------------------

REASON = "We agree ground rules together at our first meeting, after this plan is written"
SKIP = append(f'[review.skip]\n"CP-WT-001" = "{REASON}"')


@pytest.fixture(scope="module")
def skipped_report():
    return review(parse(edited(NO_GROUND_RULES, SKIP)), registry=REGISTRY)


def test_a_skipped_rule_does_not_run(skipped_report) -> None:
    assert "CP-WT-001" not in {r.id for r in skipped_report.rules}
    assert "CP-WT-001" not in _rules_with_findings(skipped_report)
    assert skipped_report.skipped == {"CP-WT-001": REASON}
    assert len(skipped_report.rules) == len(REGISTRY) - 1


def test_a_skipped_rule_id_is_matched_whatever_its_case() -> None:
    report = review(parse(edited(NO_GROUND_RULES,
                                 append(f'[review.skip]\n"cp-wt-001" = "{REASON}"'))),
                    registry=REGISTRY)
    assert report.skipped == {"CP-WT-001": REASON}


def test_a_rule_cannot_be_skipped_without_a_reason() -> None:
    with pytest.raises(PlanError) as caught:
        parse(edited(append('[review.skip]\n"CP-WT-001" = "  "')))
    assert "without a reason" in caught.value.report()


def test_every_report_format_shows_the_reason(skipped_report) -> None:
    out = io.StringIO()
    print_report(skipped_report, Console(file=out, width=300))
    assert f"CP-WT-001: {REASON}" in out.getvalue()
    assert f"- **CP-WT-001**: {REASON}" in to_markdown([skipped_report])
    assert json.loads(to_json([skipped_report]))["plans"][0]["rules_skipped"] == {
        "CP-WT-001": REASON}
    sarif = json.loads(to_sarif([skipped_report]))
    notes = sarif["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
    assert notes == [{"level": "note", "message": {"text": f"CP-WT-001 switched off: {REASON}"},
                      "descriptor": {"id": "CP-WT-001"}}]
    junit = to_junit([skipped_report])
    assert f'<skipped message="{REASON}"' in junit


# -- choosing rules: --select and --ignore ---------------------------------------------------

PAY = {r.id for r in REGISTRY if r.id.startswith("CP-PAY-")}


@pytest.mark.parametrize("pattern", ["CP-PAY", "PAY", "pay", " CP-PAY "])
def test_select_a_group(pattern: str) -> None:
    report = review(parse(good_text()), select=[pattern], registry=REGISTRY)
    assert {r.id for r in report.rules} == PAY
    assert report.skipped == {}


def test_select_one_rule_and_a_group() -> None:
    report = review(parse(good_text()), select=["CP-STG-007", "WT"], registry=REGISTRY)
    assert {r.id for r in report.rules} == {"CP-STG-007", "CP-WT-001", "CP-WT-002",
                                            "CP-WT-004"}
    assert [f.rule for f in report.findings] == ["CP-STG-007"]


@pytest.mark.parametrize("pattern", ["CP-PAY", "PAY"])
def test_ignore_a_group(pattern: str) -> None:
    plan = parse(edited(drop(key("recognition"))))  # breaks CP-PAY-009
    report = review(plan, ignore=[pattern, ""], registry=REGISTRY)
    assert PAY.isdisjoint(r.id for r in report.rules)
    assert "CP-PAY-009" not in _rules_with_findings(report)
    assert set(report.skipped) == PAY
    assert set(report.skipped.values()) == {"left out on the command line (--ignore)"}


def test_part_of_a_group_name_matches_nothing() -> None:
    # "CP-WE" is not the wellbeing group "CP-WEL", and "WT" is not "WEL".
    report = review(parse(good_text()), select=["CP-WE"], registry=REGISTRY)
    assert report.rules == []
    report = review(parse(good_text()), select=["WEL"], registry=REGISTRY)
    assert {r.id for r in report.rules} == {r.id for r in REGISTRY if "-WEL-" in r.id}


def test_ignore_wins_over_select() -> None:
    report = review(parse(good_text()), select=["PAY"], ignore=["CP-PAY-001"],
                    registry=REGISTRY)
    assert {r.id for r in report.rules} == PAY - {"CP-PAY-001"}
    assert list(report.skipped) == ["CP-PAY-001"]


# -- a rule with a bug becomes a warning, not a crash ----------------------------------------

def test_a_rule_that_raises_becomes_a_finding_of_its_own_weight() -> None:
    """A rule that raises does not stop the review, nor pass it: what it would have found
    is unknown, so an error rule's crash is an error (a CI gate fails), and the report
    keeps what it raised (``Report.failed``)."""
    registry = Registry()

    @rule("CP-TST-001", "Counts something", Severity.ERROR, why="A test.", fix="None.",
          registry=registry)
    def broken(ctx):
        yield ctx.project(), "found before the bug"
        raise ZeroDivisionError("division by zero")

    @rule("CP-TST-002", "Works", Severity.INFO, why="A test.", fix="None.",
          registry=registry)
    def works(ctx):
        yield ctx.project(), "still runs"

    plan = parse(good_text())
    report = review(plan, registry=registry)
    assert [r.id for r in report.rules] == ["CP-TST-001", "CP-TST-002"]
    assert "CP-TST-001" not in REGISTRY  # a private registry leaves the built-ins alone
    by_message = {f.message: f for f in report.findings}
    assert by_message["found before the bug"].severity == Severity.ERROR
    crash = next(f for f in report.findings if "could not run" in f.message)
    assert crash.rule == "CP-TST-001"
    assert crash.severity == Severity.ERROR
    assert report.failed == {"CP-TST-001": "ZeroDivisionError"}
    assert "ZeroDivisionError: division by zero" in crash.message
    assert crash.subject.kind == "project" and crash.line == plan.project.line
    assert by_message["still runs"].severity == Severity.INFO


def test_two_rules_cannot_share_an_id() -> None:
    registry = Registry()
    rule("CP-TST-001", "One", Severity.INFO, why=".", fix=".", registry=registry)(
        lambda ctx: iter(()))
    with pytest.raises(ValueError, match="CP-TST-001"):
        rule("CP-TST-001", "Two", Severity.INFO, why=".", fix=".", registry=registry)(
            lambda ctx: iter(()))


def test_every_rule_explains_itself() -> None:
    from coplan.review.engine import GROUPS
    from coplan.vocab import FRAMEWORKS

    for r in REGISTRY:
        assert r.group in GROUPS, r.id
        assert r.title and r.why.endswith(".") and r.fix.endswith("."), r.id
        # (a rule about the file's own names, CP-ID, rests on how tools read them, not
        # on a framework of co-production)
        assert r.sources or r.group == "ID", f"{r.id} names no framework"
        assert set(r.sources) <= set(FRAMEWORKS), r.id


def test_every_fix_names_fields_as_the_forms_label_them() -> None:
    """A fix is plain words: no TOML (no [table] headers, no key = value, no key names
    with underscores), and every key it names is a key of the file, in its form's label."""
    import re

    from coplan.model import Plan
    from coplan.schema import field_ref

    toml = re.compile(r"\[\[?[a-z_.]+\]|\b[a-z_]+ = |'[a-z]+_[a-z_]+'")
    for each in REGISTRY:
        assert not toml.search(each.fix), f"{each.id}'s fix is written in TOML: {each.fix}"
        for ref in each.fields:
            _, spec = field_ref(Plan, ref)
            if spec is not None and ref not in each.leads:  # (leads: its findings name them)
                assert f"'{spec.label}'" in each.fix, f"{each.id} does not name '{ref}'"


def test_fields_named_in_a_rule_read_as_plain_english() -> None:
    """A field put in words ("the person's 'When they can take part'") takes the place of
    a whole phrase: a rule written "record people's {person.circumstances}" read "record
    people's the person's ..."."""
    import re

    doubled = re.compile(r"(?:'s|\b(?:the|a|an|their|its|your)) (?:the|a|an|their|its) ",
                         re.IGNORECASE)
    for each in REGISTRY:
        for text in (each.title, each.why, each.fix):
            found = doubled.search(text)
            assert found is None, f"{each.id}: ...{text[max(0, found.start() - 30):]}"


def test_a_fix_naming_a_key_the_file_lacks_is_refused() -> None:
    registry = Registry()
    with pytest.raises(KeyError, match=r"governance\.leader"):
        @rule("X-1", "x", Severity.INFO, why="x", fix="Set {governance.leader}.",
              registry=registry)
        def check(ctx):  # type: ignore[no-untyped-def]
            return []
