"""The words a plan is written in: every enumeration, its plain-language label and meaning.

One place per concept, so the CLI, the TUI, the calendars and the protocol all say the
same thing.  Values are written with hyphens in plan files (``co-design``); underscores are
accepted too and mean the same thing.

The ladder of co-production is Think Local Act Personal's (TLAP, with the National
Co-production Advisory Group); the roles are the Involvement Matrix's (Smits et al. 2020).
Both are credited with links wherever the product names them (see ``FRAMEWORKS``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import field

from coplan.records import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """One allowed value of an enumeration."""

    id: str
    label: str
    meaning: str = ""
    rank: int = 0
    extra: dict[str, str] = field(default_factory=dict)


class Vocabulary:
    """An ordered set of terms, looked up by id (hyphens and underscores alike)."""

    def __init__(self, name: str, terms: Iterable[Term]) -> None:
        self.name = name
        self.terms: tuple[Term, ...] = tuple(terms)
        self._by_id = {t.id: t for t in self.terms}

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and normalise(value) in self._by_id

    def __getitem__(self, value: str) -> Term:
        # Most plans write the id itself, which is as ``normalise`` writes it (a test
        # checks every vocabulary's ids), so is found as it is.
        found = self._by_id.get(value) if value.__class__ is str else None
        return found if found is not None else self._by_id[normalise(value)]

    def get(self, value: str) -> Term | None:
        found = self._by_id.get(value)  # most plans write the id itself
        return found if found is not None else self._by_id.get(normalise(value))

    def ids(self) -> list[str]:
        return [t.id for t in self.terms]

    def label(self, value: str) -> str:
        term = self.get(value)
        return term.label if term else value


def normalise(value: str) -> str:
    """Plan files may write ``co_design`` or ``Co-Design``; both mean ``co-design``."""
    return value.strip().lower().replace("_", "-").replace(" ", "-")


def own_words(entry: str) -> str | None:
    """The team's own words of an ``"other: ..."`` entry in a list of words (``"Other:"``
    in any case, as the plan reads it), or None for a word of the vocabulary.  One place
    decides what such an entry is, so that every report shows the same words for it."""
    return entry[6:].strip() if entry[:6].lower() == "other:" else None


def _v(name: str, *terms: Term) -> Vocabulary:
    return Vocabulary(name, terms)


# The ladder of co-production (TLAP), lowest to highest.  Bands: doing to, for, with.
LADDER = _v(
    "ladder rung",
    Term("coercion", "Coercion", "People attend but their views are not sought or used.", 1,
         {"band": "doing to"}),
    Term("educating", "Educating", "People are helped to understand how things work; "
         "nothing more happens.", 2, {"band": "doing to"}),
    Term("informing", "Informing", "People are told about decisions, often ones already "
         "made.", 3, {"band": "doing for"}),
    Term("consultation", "Consultation", "People are asked for views (surveys, meetings) "
         "but may have no power to change anything.", 4, {"band": "doing for"}),
    Term("engagement", "Engagement", "People have more chances to give views and may "
         "influence some decisions.", 5, {"band": "doing for"}),
    Term("co-design", "Co-design", "People help design the work from their experience "
         "and have real influence, but do not see it through.", 6, {"band": "doing with"}),
    Term("co-production", "Co-production", "An equal relationship: people share decisions "
         "and the work itself, from design to delivery.", 7, {"band": "doing with"}),
)

# The Involvement Matrix roles (Smits et al. 2020), least to most influence.
ROLE = _v(
    "role",
    Term("listener", "Listener", "Is kept informed; information flows one way.", 1,
         {"ladder": "informing"}),
    Term("co-thinker", "Co-thinker", "Is asked for views or experience; the team decides "
         "what to do with them.", 2, {"ladder": "consultation"}),
    Term("advisor", "Advisor", "Gives advice, asked and unasked; it is taken seriously "
         "but the team decides.", 3, {"ladder": "engagement"}),
    Term("partner", "Partner", "Works as an equal; decisions are made together.", 4,
         {"ladder": "co-design"}),
    Term("decision-maker", "Decision-maker", "Makes the decisions, or has the final say, "
         "on the parts they lead.", 5, {"ladder": "co-production"}),
)

# Who a person is in the project.  ``lived`` marks the kinds whose experience is the
# expertise co-production brings in.
PERSON_KIND = _v(
    "kind of person",
    Term("lived-experience", "Person with lived experience", "Uses or has used services; "
         "an expert by experience.", extra={"lived": "yes"}),
    Term("carer", "Carer", "Cares for someone who uses services.", extra={"lived": "yes"}),
    Term("family", "Family member", "A parent, child or relative with experience of "
         "the issue.", extra={"lived": "yes"}),
    Term("young-person", "Young person", "A child or young person with lived experience "
         "(safeguarding applies).", extra={"lived": "yes"}),
    Term("peer-worker", "Peer support worker", "Works in services from their own lived "
         "experience.", extra={"lived": "yes"}),
    Term("community", "Community member", "A member of a community the work serves.",
         extra={"lived": "yes"}),
    Term("clinician", "Clinician", "A health or care professional."),
    Term("researcher", "Researcher", "A member of the research team."),
    Term("facilitator", "Facilitator", "Runs sessions and supports people to take part."),
    Term("student", "Student", "A learner, for example a medical student."),
    Term("educator", "Educator", "A teacher or tutor."),
    Term("manager", "Manager", "A manager, commissioner or funder."),
    Term("other", "Other", "Anyone else."),
)

# Phases of a project, across research, service and education settings.  ``im`` maps each
# to the Involvement Matrix phase; ``deep`` marks the phases where the review expects
# co-design or deeper.
PHASE = _v(
    "phase",
    Term("identify", "Identifying and prioritising", extra={"im": "preparation"}),
    Term("funding", "Funding application", extra={"im": "preparation"}),
    Term("needs", "Needs and priorities", extra={"im": "preparation"}),
    Term("commission", "Commissioning", extra={"im": "preparation"}),
    Term("curriculum", "Curriculum planning", extra={"im": "preparation", "deep": "yes"}),
    Term("design", "Design and planning", extra={"im": "preparation", "deep": "yes"}),
    Term("materials", "Developing materials", extra={"im": "preparation", "deep": "yes"}),
    Term("approvals", "Approvals and ethics", extra={"im": "preparation"}),
    Term("governance", "Running the project", extra={"im": "execution", "deep": "yes"}),
    Term("recruit", "Recruitment", extra={"im": "execution"}),
    Term("collect", "Collecting data", extra={"im": "execution"}),
    Term("develop", "Developing and testing", extra={"im": "execution", "deep": "yes"}),
    Term("deliver", "Delivery", extra={"im": "execution"}),
    Term("teach", "Teaching", extra={"im": "execution"}),
    Term("assess", "Assessment", extra={"im": "execution"}),
    Term("analyse", "Analysis and making sense", extra={"im": "execution", "deep": "yes"}),
    Term("write", "Writing up", extra={"im": "execution"}),
    Term("share", "Sharing what we found", extra={"im": "implementation", "deep": "yes"}),
    Term("implement", "Putting it into practice", extra={"im": "implementation"}),
    Term("evaluate", "Evaluating impact", extra={"im": "implementation"}),
    Term("other", "Other", extra={"im": "execution"}),
)

IM_PHASES = ("preparation", "execution", "implementation")

FORMAT = _v(
    "format",
    Term("workshop", "Workshop"),
    Term("focus-group", "Focus group"),
    Term("advisory-group", "Advisory group meeting", extra={"standing": "yes"}),
    Term("steering-group", "Steering group meeting", extra={"standing": "yes"}),
    Term("co-design-session", "Co-design session"),
    Term("co-analysis-session", "Making-sense-of-data session"),
    Term("co-writing-session", "Writing together session"),
    Term("priority-setting", "Priority-setting workshop"),
    Term("panel", "Panel"),
    Term("citizens-jury", "Citizens' panel or jury"),
    Term("one-to-one", "One-to-one conversation"),
    Term("interview-panel", "Interview panel"),
    Term("survey", "Survey or questionnaire", extra={"anonymous": "yes"}),
    Term("delphi-round", "Consensus survey round", extra={"anonymous": "yes"}),
    Term("document-review", "Reviewing documents at home"),
    Term("peer-research", "Peer research fieldwork"),
    Term("community-event", "Community event or drop-in"),
    Term("creative-method", "Creative or arts-based session"),
    Term("site-visit", "Site visit or walk-through"),
    Term("presentation", "Presentation or conference"),
    Term("teaching-session", "Teaching session"),
    Term("training", "Training session"),
    Term("ethics-committee", "Ethics committee meeting"),
    Term("check-in", "Informal check-in"),
    Term("other", "Other"),
)

MODE = _v(
    "mode",
    Term("in-person", "In person"),
    Term("online-live", "Online, live (video call)", extra={"online": "yes"}),
    Term("online-async", "Online, in your own time", extra={"online": "yes"}),
    Term("phone", "By phone"),
    Term("hybrid", "Hybrid (in person and online)", extra={"online": "yes"}),
    Term("paper", "On paper or by post"),
)

# Access needs (what a person says they need) and the measures a touchpoint puts in
# place.  A need is met by the measure with the same id.
ACCESS = _v(
    "access need or measure",
    Term("step-free-access", "Step-free access"),
    Term("accessible-toilet", "Accessible toilet"),
    Term("seating-or-rest-space", "Seating or a rest space"),
    Term("hearing-loop", "Hearing loop"),
    Term("bsl-interpreter", "British Sign Language interpreter"),
    Term("live-captions", "Live captions"),
    Term("large-print", "Large print"),
    Term("braille", "Braille"),
    Term("screen-reader-friendly", "Documents that work with screen readers"),
    Term("easy-read", "Easy Read documents"),
    Term("plain-language", "Plain language"),
    Term("audio-version", "Audio version of papers"),
    Term("interpreter", "Spoken-language interpreter or translation"),
    Term("papers-in-advance", "Papers sent well ahead"),
    Term("extra-processing-time", "Extra time to think and respond"),
    Term("frequent-breaks", "Frequent breaks"),
    Term("shorter-sessions", "Shorter sessions"),
    Term("time-of-day", "A particular time of day"),
    Term("quiet-room", "A quiet, low-stimulus room"),
    Term("lighting", "Lighting needs"),
    Term("carer-or-pa-attends", "Carer or personal assistant comes too"),
    Term("assistance-animal", "Assistance animal"),
    Term("digital-support", "Help with devices, data or getting online"),
    Term("non-digital-alternative", "A way to take part without the internet"),
    Term("travel-booked", "Travel booked and paid in advance"),
    Term("taxi", "Taxi"),
    Term("childcare", "Childcare"),
    Term("replacement-care", "Replacement care for someone they look after"),
    Term("dietary", "Dietary requirements"),
    Term("one-to-one-instead", "One-to-one instead of a group"),
    Term("venue-checked", "Venue access checked"),
    Term("materials-tested", "Materials tested with a contributor"),
    Term("facilitator-briefed", "Facilitator briefed on needs"),
)

# Access needs that cost money: nobody should be out of pocket, so the payment policy
# must cover an expense for each (review rule CP-PAY-003).
NEED_EXPENSE = {
    "childcare": "childcare",
    "replacement-care": "replacement-care",
    "carer-or-pa-attends": "personal-assistant",
    "travel-booked": "travel",
    "taxi": "travel",
    "digital-support": "phone-or-data",
}

# A person's circumstances that decide when they can take part (review rule CP-ACC-005).
CIRCUMSTANCE = _v(
    "circumstance",
    Term("works-weekdays", "In paid work on weekday daytimes",
         "Daytime sessions on working days are hard unless their employer releases them."),
    Term("caring", "Looks after someone (children or an adult)",
         "Daytime sessions need replacement care or childcare, or another time."),
    Term("studies-weekdays", "At school, college or university on weekday daytimes",
         "Daytime sessions in term time clash with study."),
    Term("mornings-hard", "Mornings are hard (before 12:00)",
         "For example because of medication, fatigue or travel."),
    Term("evenings-hard", "Evenings are hard (after 17:00)",
         "For example because of caring, safety travelling after dark or fatigue."),
)

PAYMENT = _v(
    "payment",
    Term("hourly", "An involvement fee by the hour"),
    Term("session", "A fee per session or task"),
    Term("honorarium", "An honorarium"),
    Term("voucher", "Vouchers"),
    Term("expenses-only", "Expenses only"),
    Term("declined", "Declined by the person (expenses still paid)"),
    Term("not-offered", "Not offered (a reason must be recorded)"),
    Term("salaried", "Paid through their job"),
)

EXPENSE = _v(
    "expense",
    Term("travel", "Travel"),
    Term("subsistence", "Food and drink"),
    Term("accommodation", "Accommodation"),
    Term("replacement-care", "Replacement care"),
    Term("childcare", "Childcare"),
    Term("personal-assistant", "Personal assistant"),
    Term("phone-or-data", "Phone, internet or data"),
    Term("printing-or-postage", "Printing or postage"),
    Term("other", "Other"),
)

BENEFITS_ADVICE = _v(
    "benefits advice",
    Term("not-applicable", "Not on benefits (the person said so)"),
    Term("offered", "Independent benefits advice offered"),
    Term("signposted", "Pointed to a benefits advice service"),
    Term("completed", "Took advice before accepting payment"),
    Term("declined", "Declined advice"),
    Term("not-yet", "Not yet offered"),
)

MODE_NOT_AGREED = "Way of taking part not yet agreed"
"""What every output says of a session whose ``mode`` the team has not written: once the
schema took it to be in person, and a newsletter read "Other; in person"."""


def mode_label(mode: str | None) -> str:
    """How people take part in a session, in words (``MODE``), or that it is not yet
    agreed (``MODE_NOT_AGREED``)."""
    return MODE.label(mode) if mode else MODE_NOT_AGREED


CREDIT = _v(
    "credit",
    Term("named", "Named in full"),
    Term("initials", "Initials only"),
    Term("anonymous", "Not named"),
)

SUPPORT = _v(
    "support",
    Term("role-description", "A written role description"),
    Term("induction", "Induction"),
    Term("training", "Training for the role"),
    Term("briefing", "A briefing before the session"),
    Term("named-contact", "A named person to contact"),
    Term("buddy", "A buddy or mentor"),
    Term("peer-support", "A peer support group"),
    Term("lived-experience-facilitator", "A facilitator with lived experience"),
    Term("ground-rules", "Ground rules agreed together"),
    Term("distress-process", "A process for when someone becomes distressed"),
    Term("right-to-withdraw", "The right to pause or stop, with nothing lost"),
    Term("confidentiality", "A confidentiality agreement"),
    Term("safeguarding", "Safeguarding procedure"),
    Term("benefits-advice", "Benefits advice"),
    Term("payment-explained", "The payment process explained"),
    Term("supervision", "Supervision or reflective space"),
)

AFTERCARE = _v(
    "aftercare",
    Term("debrief", "A debrief after the session"),
    Term("wellbeing-check-in", "A wellbeing check-in in the days after"),
    Term("signposting", "Signposting to support services"),
    Term("feedback-on-impact", "Feedback on what changed and why"),
    Term("certificate", "A certificate or reference letter"),
    Term("acknowledgement", "Acknowledgement or co-authorship"),
    Term("exit-conversation", "A conversation at the end of the role"),
    Term("wellbeing-plan", "An optional wellbeing action plan"),
)

EVALUATION = _v(
    "impact method",
    Term("impact-log", "An impact log kept after each session"),
    Term("pirit", "The PIRIT tracking tool"),
    Term("cube", "The Cube evaluation framework"),
    Term("piiaf", "A PiiAF impact assessment plan"),
    Term("ppeet", "The PPEET questionnaires"),
    Term("matrix-review", "Looking back with the Involvement Matrix"),
    Term("reflective-diaries", "Reflective diaries"),
    Term("interviews", "Interviews about personal impact"),
    Term("meeting-notes", "A meeting notes template"),
    Term("custom", "Our own method"),
)

IMPACT_DOMAIN = _v(
    "impact domain",
    Term("research-question", "The research question"),
    Term("design-and-methods", "Design and methods"),
    Term("participant-materials", "Materials for participants"),
    Term("recruitment", "Recruitment and retention"),
    Term("outcomes", "Outcomes measured"),
    Term("analysis", "Analysis and interpretation"),
    Term("dissemination", "Sharing the findings"),
    Term("implementation", "Putting it into practice"),
    Term("services", "Services or teaching"),
    Term("contributors", "The people involved themselves"),
    Term("researchers", "Researchers and staff"),
    Term("organisation", "The organisation or service"),
    Term("wider-knowledge", "Wider knowledge and methods"),
    Term("negative", "Negative or unintended effects"),
)

# Towle et al. (2010): levels of patient involvement in health-professional education.
TOWLE = _v(
    "Towle level",
    Term("a", "A: a paper case or scenario", rank=1),
    Term("b", "B: a standardised or volunteer patient", rank=2),
    Term("c", "C: sharing experience in a faculty-led curriculum", rank=3),
    Term("d", "D: a patient teacher, teaching or assessing", rank=4),
    Term("e", "E: an equal partner in teaching and curriculum", rank=5),
    Term("f", "F: involved at institutional level too", rank=6),
)

SETTING = _v(
    "setting",
    Term("research", "Research"),
    Term("service", "Service improvement"),
    Term("education", "Education"),
    Term("other", "Other"),
)

# What happened to a planned session (the delivery record).
SESSION_STATUS = _v(
    "session status",
    Term("held", "Held", "The session happened."),
    Term("moved", "Moved", "The session was moved to another date; it happens then."),
    Term("cancelled", "Cancelled", "The session did not happen and will not."),
)

# The UK Standards for Public Involvement (NIHR and partners, 2019), for the impact log.
UK_STANDARD = _v(
    "UK Standard",
    Term("inclusive-opportunities", "Inclusive opportunities",
         "Opportunities to take part are accessible, and reach the people and groups the "
         "work needs.", 1),
    Term("working-together", "Working together",
         "Everyone's contribution is valued, in respectful working relationships that "
         "last.", 2),
    Term("support-and-learning", "Support and learning",
         "Support and learning build people's confidence and skills to take part.", 3),
    Term("communications", "Communications",
         "Communication is in plain words, relevant, and comes in good time.", 4),
    Term("impact", "Impact",
         "The difference involvement makes is found out and shared, so that it can "
         "improve.", 5),
    Term("governance", "Governance",
         "The public have a say in how the work is led, managed and decided.", 6),
)

# What a rate of pay is counted by.
RATE_UNIT = _v(
    "rate unit",
    Term("hour", "An hour", "Paid for each hour, preparation included where the plan says."),
    Term("half-day", "Half a day", "Paid for each half day (up to four hours)."),
    Term("day", "A day", "Paid for each day (up to eight hours)."),
    Term("session", "A session", "Paid once for each session, whatever its length."),
)

# How a payment reached the person (never their bank details: those stay out of the plan).
PAYMENT_METHOD = _v(
    "payment method",
    Term("bank-transfer", "Bank transfer"),
    Term("voucher", "Vouchers"),
    Term("cash", "Cash"),
    Term("cheque", "Cheque"),
    Term("payroll", "Through payroll"),
    Term("paid-direct", "Paid directly to a provider (travel, care)"),
    Term("other", "Other"),
)

# What a budget line pays for, so that coplan can compare it with the costs it works out.
BUDGET_USE = _v(
    "budget use",
    Term("fees", "Payments for people's time"),
    Term("expenses", "Expenses: travel, care, childcare, data"),
    Term("other", "Anything else: venues, access, training, materials"),
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Framework:
    """A published framework coplan names, credited with a link."""

    id: str
    name: str
    credit: str
    url: str


FRAMEWORKS: dict[str, Framework] = {
    f.id: f
    for f in (
        Framework("tlap-ladder", "Ladder of co-production",
                  "Think Local Act Personal and the National Co-production Advisory Group",
                  "https://www.thinklocalactpersonal.org.uk/Latest/"
                  "Co-production-The-ladder-of-co-production/"),
        Framework("involvement-matrix", "Involvement Matrix",
                  "Smits et al. (2020), Research Involvement and Engagement 6:30",
                  "https://doi.org/10.1186/s40900-020-00188-4"),
        Framework("ukspi", "UK Standards for Public Involvement",
                  "NIHR, Chief Scientist Office, Health and Care Research Wales, "
                  "Public Health Agency (2019)",
                  "https://sites.google.com/nihr.ac.uk/pi-standards/standards"),
        Framework("scie", "SCIE co-production principles",
                  "Social Care Institute for Excellence, Guide 51",
                  "https://www.scie.org.uk/publications/guides/guide51/what-is-coproduction/"
                  "principles-of-coproduction.asp"),
        Framework("lundy", "Lundy model of participation",
                  "Lundy (2007), British Educational Research Journal 33(6)",
                  "https://doi.org/10.1080/01411920701657033"),
        Framework("gripp2", "GRIPP2 reporting checklist",
                  "Staniszewska et al. (2017), Research Involvement and Engagement 3:13",
                  "https://doi.org/10.1186/s40900-017-0062-2"),
        Framework("nihr-payment", "NIHR payment guidance",
                  "National Institute for Health and Care Research",
                  "https://www.nihr.ac.uk/payment-guidance-researchers-and-professionals"),
        Framework("nihr-coproduction", "NIHR guidance on co-producing a research project",
                  "National Institute for Health and Care Research (2021)",
                  "https://www.learningforinvolvement.org.uk/"
                  "?opportunity=nihr-guidance-on-co-producing-a-research-project"),
        Framework("hra", "HRA public involvement checklist for ethics applicants",
                  "Health Research Authority",
                  "https://www.hra.nhs.uk/planning-and-improving-research/best-practice/"
                  "public-involvement/"),
        Framework("pirit", "Public Involvement in Research Impact Toolkit (PIRIT)",
                  "Marie Curie Palliative Care Research Centre and Wales Cancer Research "
                  "Centre, Cardiff University (2023)",
                  "https://www.cardiff.ac.uk/marie-curie-research-centre/"
                  "patient-and-public-involvement/public-involvement-in-research-impact-"
                  "toolkit-pirit"),
        Framework("phwe-impact-log", "PPI impact log",
                  "People in Health West of England",
                  "https://www.bristolbrc.nihr.ac.uk/patient-public-involvement/"
                  "patient-and-public-involvement-impact-log/"),
        Framework("towle", "Levels of patient involvement in education",
                  "Towle et al. (2010), Medical Education 44:64-74",
                  "https://doi.org/10.1111/j.1365-2923.2009.03530.x"),
        Framework("four-pi", "4Pi National Involvement Standards",
                  "National Survivor User Network (2013)",
                  "https://www.nsun.org.uk/4pi-involvement-standards"),
        Framework("shaping-our-lives", "Key questions for inclusive involvement",
                  "Shaping Our Lives (2023)",
                  "https://shapingourlives.org.uk/2023/10/31/"
                  "key-questions-for-planning-user-involvement/"),
        Framework("spcr", "How many public contributors should I have?",
                  "NIHR School for Primary Care Research",
                  "https://www.spcr.nihr.ac.uk/PPI/resources-for-researchers/faq/"
                  "how-many-public-contributors-should-i-have"),
        Framework("ccpm", "Critical chain buffer sizing",
                  "Goldratt (1997), Critical Chain; root-square-error buffer sizing",
                  "https://en.wikipedia.org/wiki/Critical_chain_project_management"),
    )
}


def is_lived(kind: str) -> bool:
    """Whether a person of this kind brings lived experience."""
    term = PERSON_KIND.get(kind)
    return bool(term and term.extra.get("lived"))
