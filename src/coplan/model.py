"""The plan as typed, validated data: what a team agreed, with no I/O and no UI.

Each field that comes from the plan file is declared here, once, with ``key(...)`` (a
value), ``table(...)`` or ``tables(...)``: its kind, default and the meaning people read
(``schema`` explains the declarations and everything derived from them).  Fields without
a declaration are worked out by the loader (a touchpoint's stage, an item's line).

Every item remembers the line of the plan file it came from (``line``, and ``key_lines``
for its fields) so that reviewers and error messages can point at it.  Values are already
resolved: lengths in working days or minutes, enumerations as canonical ids (see
``vocab``).  The loader (``planfile``) builds these; nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from datetime import date, time
from pathlib import Path
from types import MappingProxyType

from coplan import vocab
from coplan.durations import Buffer, RootSumSquare, Share
from coplan.records import dataclass
from coplan.schema import (
    ActivityRef,
    Amount,
    BufferLength,
    Choice,
    Choices,
    Clock,
    Day,
    DayOrFlag,
    DecisionRef,
    DecisionRefs,
    Flag,
    HolidayRegion,
    Id,
    KeptStageRef,
    Links,
    Moment,
    Percent,
    PersonRef,
    PersonRefs,
    Sessions,
    SkipReasons,
    StageRef,
    Strings,
    Text,
    TimeOfDay,
    TimeZone,
    TouchpointRef,
    VersionText,
    Weekday,
    Weekdays,
    Weeks,
    WholeNumber,
    Work,
    key,
    shape,
    table,
    tables,
)
from coplan.vocab import LADDER, is_lived

NO_LINES: Mapping[str, int] = MappingProxyType({})
# Each rung's rank by its id (``LADDER[id].rank``, the vocabulary's, never a plan's): a
# dozen rules and the summary ask each of a large plan's 20,000 touchpoints its rung's
# rank, through ``ladder_rank`` and ``deepest_ladder``; a rung written another way than
# its id is looked up in the vocabulary as before.
_RUNG_RANKS: dict[str, int] = {t.id: t.rank for t in LADDER}  # (never changed)

TEXT = Text()
LONG = Text(multiline=True)

# The words of each vocabulary, with the heading that lists them in the docs.
LADDER_WORDS = Choice(vocab.LADDER, "ladder")
ROLE_WORDS = Choice(vocab.ROLE, "role")
KIND_WORDS = Choice(vocab.PERSON_KIND, "kind")
PHASE_WORDS = Choice(vocab.PHASE, "phase")
FORMAT_WORDS = Choice(vocab.FORMAT, "format")
MODE_WORDS = Choice(vocab.MODE, "mode")
PAYMENT_WORDS = Choice(vocab.PAYMENT, "payment", "payment-1")
BENEFITS_WORDS = Choice(vocab.BENEFITS_ADVICE, "benefits advice")
CREDIT_WORDS = Choice(vocab.CREDIT, "credit")
TOWLE_WORDS = Choice(vocab.TOWLE, "Towle level")
SETTING_WORDS = Choice(vocab.SETTING, "setting")
ACCESS_LIST = Choices(vocab.ACCESS, "access")
CIRCUMSTANCE_LIST = Choices(vocab.CIRCUMSTANCE, "circumstance")
SUPPORT_LIST = Choices(vocab.SUPPORT, "support", "support-1", free_text=True)
AFTERCARE_LIST = Choices(vocab.AFTERCARE, "aftercare", free_text=True)
EXPENSE_LIST = Choices(vocab.EXPENSE, "expense")
METHOD_LIST = Choices(vocab.EVALUATION, "impact method")
DOMAIN_LIST = Choices(vocab.IMPACT_DOMAIN, "impact domain")
DOMAIN_WORDS = Choice(vocab.IMPACT_DOMAIN, "impact domain")
STATUS_WORDS = Choice(vocab.SESSION_STATUS, "session status")
STANDARD_WORDS = Choice(vocab.UK_STANDARD, "UK Standard")
UNIT_WORDS = Choice(vocab.RATE_UNIT, "rate unit")
METHOD_WORDS = Choice(vocab.PAYMENT_METHOD, "payment method")
EXPENSE_WORDS = Choice(vocab.EXPENSE, "expense")
USE_WORDS = Choice(vocab.BUDGET_USE, "budget use")


@dataclass(frozen=True, slots=True)
class Located:
    """Where an item stands in the plan file."""

    line: int = 0
    key_lines: Mapping[str, int] = field(default_factory=lambda: NO_LINES, compare=False,
                                         repr=False)

    def line_of(self, key: str) -> int:
        """The line of one of the item's keys, or the item's own line."""
        return self.key_lines.get(key, self.line)


@shape("a closure", plural="closures", heading="Closures")
@dataclass(frozen=True, slots=True)
class Closure(Located):
    """Days the team does not work (an office closure, a summer break), inclusive."""

    start: date = key(Day(), "The first day of the closure.", toml="from", required=True,
                      default=date.min, label="First day")
    end: date = key(Day(), "The last day of the closure (included). Must not be before "
                    "`from`.", toml="to", default=date.min, default_doc="same as `from`",
                    label="Last day")
    why: str = key(TEXT, "The reason, shown on the timeline.", default="", label="Why")


@shape("[project.slow_down]")
@dataclass(frozen=True, slots=True)
class SlowDown(Located):
    """How much time the plan adds because co-production takes longer."""

    stage_buffer: Buffer = key(
        BufferLength(), "Time held after each stage that has a lived-experience touchpoint. "
        "A share is of that stage's length, rounded up to whole working days. A stage's own "
        "`slow_down` overrides this.", factory=lambda: Share(20.0), default_doc='`"20%"`',
        label="Slow-down time after each co-produced stage")
    project_buffer: Buffer = key(
        BufferLength(allow_rss=True), "Time held before the finish to protect the end date. "
        '`"rss"` sizes it from the stage buffers on the longest chain (see '
        '[Lengths](#lengths-times-and-dates)); a share such as `"10%"` is of the project\'s '
        "length up to the end of its last stage.", factory=RootSumSquare,
        default_doc='`"rss"`', label="Time held back before the end")
    enabled: bool = key(Flag(), "`false` turns all slow-down buffers off (for example, to "
                        "compare with a plan without them).", default=True,
                        label="Add slow-down time")


DEFAULT_PROMPTS: tuple[str, ...] = (
    "How are we working together? Does everyone feel heard and able to speak?",
    "What has changed since we last stopped, in the project and in our lives?",
    "How are people feeling? Does anyone need more support, a break or a different role?",
    "What have we done with what people told us, and have we told them?",
    "Is there anything we should slow down, stop or do differently?",
)


@shape("[project.reflection]")
@dataclass(frozen=True, slots=True)
class Reflection(Located):
    """Reflection checkpoints: times the team stops to take stock."""

    enabled: bool = key(Flag(), "`false` removes reflection checkpoints from the schedule.",
                        default=True, label="Hold reflection checkpoints")
    every_days: int = key(Work("6w"), "The longest gap between two checkpoints.",
                          toml="every", default=30, default_doc='`"6w"`',
                          label="Stop and take stock at least every")
    after_each_phase: bool = key(Flag(), "Hold a checkpoint when each phase ends (the end "
                                 "of the last stage with that `phase`).", default=True,
                                 label="Also after each phase")
    length_minutes: int = key(Clock(), "How long each checkpoint lasts.", toml="length",
                              default=120, default_doc='`"2h"`',
                              label="Length of a reflection session")
    time: time = key(TimeOfDay(), "When checkpoints start.", default=time(14, 0),
                     default_doc='`"14:00"`', label="Time of day")
    blocks: bool = key(Flag(), "`true` makes each phase's checkpoint hold up the next phase: "
                       "the next phase starts only after it.", default=False,
                       label="The next phase waits for the reflection")
    prompts: tuple[str, ...] = key(Strings(), "The questions the team asks itself at each "
                                   "checkpoint.", default=DEFAULT_PROMPTS,
                                   default_doc="five questions, below",
                                   label="Questions we ask ourselves")


@shape("the [project] table", heading="[project]")
@dataclass(frozen=True, slots=True)
class Project(Located):
    """The project as a whole: its name, start, working week and calendar."""

    title: str = key(TEXT, "The project's name.", required=True, default="",
                     label="The project's name")
    start: date = key(Day(), "The first day of the project. Stages with nothing to wait for "
                      "start on the first working day on or after it.", required=True,
                      default=date(2000, 1, 3), label="First day of the project")
    timezone: str = key(TimeZone(), "The time zone of the team's times of day, as a name "
                        'such as `"Europe/London"` or `"America/New_York"`.',
                        default="Europe/London", label="Time zone")
    working_days: tuple[int, ...] = key(
        Weekdays(), 'The days of the week the team works. Write `"mon"` … `"sun"` (or the '
        "full names). The number of days here is the length of a working week, `w`.",
        default=(0, 1, 2, 3, 4), default_doc='`["mon", "tue", "wed", "thu", "fri"]`',
        label="Working days")
    holidays: str | None = key(
        HolidayRegion(), "Public holidays that are not working days, as a region code such as "
        '`"GB-ENG"`, `"GB-SCT"`, `"GB-WLS"`, `"GB-NIR"` or `"US-NY"` (from the `holidays` '
        'package). Leave it out or write `"none"` for no public holidays.',
        label="Public holidays (region)")
    closures: tuple[Closure, ...] = tables(
        Closure, "Periods when the team does not work, such as a winter closure. Each is "
        '`{ from = date, to = date, why = "text" }`; `to` defaults to `from` (a single day), '
        "and both days are included.", inline=True, label="Closures")
    setting: str = key(SETTING_WORDS, "The kind of project. It changes which checks "
                       "apply: for example, Towle levels are checked in education.",
                       default="research", label="Kind of project")
    claims_coproduction: bool = key(
        Flag(), "`true` if you describe the project as co-produced. The review then treats "
        "several shortfalls as errors rather than warnings, because the claim must be earned.",
        default=False, label="We call this project co-produced")
    summary: str = key(LONG, "A plain-language summary of the project.", default="",
                       label="Plain-language summary")
    summary_co_written: bool = key(Flag(), "`true` if people with lived experience wrote or "
                                   "reviewed the summary.", default=False,
                                   label="Summary written with people with lived experience")
    aim: str = key(LONG, "What involving people with lived experience is for in this "
                   "project.", default="", label="What involvement is for")
    lived_experience_sought: str = key(
        LONG, "Whose experience the project needs, and how that links to the people it serves "
        "or studies.", default="", label="Whose experience we need")
    sensitive_topic: bool = key(
        Flag(), "`true` for topics that may be upsetting or stigmatised (mental health is "
        "one). The review then expects a distress process, aftercare and an anonymous way to "
        "take part.", default=False, label="A sensitive topic")
    ethics_review: bool = key(
        Flag(), "`true` if the project needs research ethics approval. The review then checks "
        "that people with lived experience shaped what participants will see and be asked.",
        default=False, label="Needs ethics approval")
    session_time: time = key(TimeOfDay(), "The usual start time of touchpoint sessions that "
                             "do not give their own `time`.", default=time(10, 0),
                             default_doc='`"10:00"`', label="Usual session time")
    finish_by: date | None = key(Day(), "The date the project must finish by, such as the end "
                                 "of its funding. The schedule, the app and the review show "
                                 "how much time is left before it, slow-down time included.",
                                 label="Must finish by")
    slow_down: SlowDown = table(SlowDown, "[`[project.slow_down]`](#projectslow_down).",
                                label="Slowing down")
    reflection: Reflection = table(Reflection,
                                   "[`[project.reflection]`](#projectreflection).",
                                   label="Reflection checkpoints")

    @property
    def days_per_week(self) -> int:
        return len(self.working_days)


@shape("a person", "person '{id}'", identity="id", plural="people", heading="[[person]]")
@dataclass(frozen=True, slots=True)
class Person(Located):
    """One person in the team, with what they need and what they agreed to."""

    id: str = key(Id(example="sam"), 'How the rest of the plan refers to this person, such as '
                  '`"expert-1"` or `"sam"`. Renaming it renames every place the plan names '
                  'them.', required=True, default="",
                  label="Short id", private=False)
    name: str = key(TEXT, "The name to show. A first name, initials or a pseudonym is fine.",
                    default="", default_doc="the id",
                    label="Name (a first name, a pseudonym or initials is fine)", private=False)
    aliases: tuple[str, ...] = key(Strings(), "Other names the person goes by (a nickname, a "
                                   "former name). Hidden with their name wherever others "
                                   "read, unless they share their name.", default=(),
                                   label="Other names they go by", private=True)
    kind: str = key(KIND_WORDS, "Who the person is in the project. "
                    "Decides whether they [count as having lived experience]"
                    "(#who-counts-as-having-lived-experience).", default="other",
                    label="Who they are", private=False)
    share_name: bool = key(Flag(), "May outputs shared with other people show this person's "
                           "name? Only `true` if they said yes.", default=False,
                           label="May others see this name?", private=False)
    needs: tuple[str, ...] = key(
        ACCESS_LIST, "What the person has said they need to take "
        "part. Each must be met by the `access` list of every touchpoint they attend. You may "
        'add your own as `"other: ..."`.', default=(),
        label="Access needs (private: never shared)", private=True)
    needs_asked: date | bool = key(
        DayOrFlag(), "When the person was asked about their access needs. An empty `needs` "
        'list with a date here means "asked: nothing needed". A date is better than `true`.',
        default=False, label="Date they were asked about needs", private=True)
    papers_ahead_days: int | None = key(
        Work(), "How far ahead this person would like papers, if more than the team's usual. "
        "Touchpoints they attend should send papers at least this early.", toml="papers_ahead",
        label="Papers sent ahead", private=True)
    payment: str | None = key(PAYMENT_WORDS, "How this person is paid "
                              "for their time.", label="Payment", private=True)
    payment_reason: str = key(TEXT, "Why this person is not paid, when `payment` is "
                              '`"not-offered"` (required then).', default="",
                              label="Why payment is not offered", private=True)
    circumstances: tuple[str, ...] = key(
        CIRCUMSTANCE_LIST, "What decides when the person can take part, such as "
        '`"works-weekdays"` or `"mornings-hard"`. Sessions they attend are checked against '
        "it.", default=(),
        label="When they can take part (private: never shared)", private=True)
    benefits_advice: str | None = key(
        BENEFITS_WORDS, "Whether the person has been offered independent "
        "benefits advice before being paid.", label="Benefits advice", private=True)
    benefits_advice_on: date | None = key(
        Day(), "When the person was offered independent benefits advice. It should come "
        "before their first payment.", label="Date benefits advice was offered", private=True)
    terms_given: date | None = key(
        Day(), "When the person was given written terms: what the role involves, for how "
        "long, how often, how much, and what expenses are covered.",
        label="Date written terms were given", private=False)
    role: str = key(TEXT, 'The person\'s role in their own words, such as "co-researcher and '
                    'co-author".', default="", label="Their role, in their own words",
                    private=False)
    time_commitment: str = key(TEXT, 'What the role asks in time, such as "about 4 hours a '
                               'month for 18 months".', default="", label="Time it takes",
                               private=False)
    described_as: str = key(TEXT, "How documents and calendars that others read describe this "
                            "person beside their initials, in their own words, such as "
                            '`"peer researcher"`. Without it, by who they are (`kind`). '
                            "Their `role` is shown to others only if they share their name.",
                            default="", label="How others' copies describe them", private=False)
    role_agreed: date | None = key(Day(), "When the role was agreed **with** the person (not "
                                   "just given to them).", label="Date the role was agreed",
                                   private=False)
    credit: str | None = key(CREDIT_WORDS, "How the person wants to be credited in "
                             "papers and reports, and so in everything others read: "
                             '`"initials"` shows their initials even where `share_name` is '
                             '`true`, and `"anonymous"` neither name nor initials. It can '
                             "only narrow `share_name`: with `share_name = false`, "
                             '`"named"` still shows initials.',
                             label="How they want to be credited", private=False)
    email: str | None = key(TEXT, "An address for invitations the person agreed to receive.",
                            label="Email (for invitations; never shared)", private=True)
    organisation: str = key(TEXT, "Where the person works or which group they come from, if "
                            "relevant.", default="", label="Organisation or group", private=True)
    _as_shown: bool = field(default=False, compare=False, repr=False)
    """Set on each person of a copy made for others (``sharing``), its reader's own entry
    in a copy for them alone excepted: ``name`` is already what the copy's readers may
    read of them (their name, their label or a stand-in), to be shown as it stands
    (``privacy.may_be_named``).  In the copy ``share_name`` is true of everyone whose name
    may be shown as it stands, but ``credit`` still says how they chose to be credited
    (the protocol shows it), so the two cannot say whether a name there is their own or
    its label ("initials" with ``share_name = true``).  Not a key of the file."""

    @property
    def lived(self) -> bool:
        """Whether this person brings lived experience (a service user, carer, ...)."""
        return is_lived(self.kind)

    @property
    def named_to_others(self) -> bool:
        """Whether the person agreed to be named in full to others: they share their name
        (``share_name``) and chose to be credited by it (``credit`` not "initials" or
        "anonymous").  ``credit`` only narrows ``share_name``; ``share_name = false``
        hides the name whatever ``credit`` says (DOMAIN: one says whether a name may be
        shown at all, the other how the person is credited)."""
        return self.share_name and self.credit not in NOT_NAMED


NOT_NAMED = frozenset({"initials", "anonymous"})
"""The ways to be credited (``Person.credit``) that keep a person's name from others even
where they share it (``share_name``): "initials" shows their initials, "anonymous" a
stand-in that tells them apart from nobody (``privacy``)."""


@shape("a link", heading="after")
@dataclass(frozen=True, slots=True)
class Dependency(Located):
    """This stage waits for ``stage`` to finish, then ``lag_days`` working days more."""

    stage: str = key(StageRef(), "The stage to wait for.", required=True, default="",
                     label="Waits for")
    lag_days: int = key(Work(), "How much longer to wait after it.", toml="lag", default=0,
                        default_doc='`"0d"`', label="Then waits a further")


@shape("a decision in {parent}", "decision '{id}' in {parent}", identity="id",
       plural="decisions", within=" in {parent}", heading="[[stage.decision]]")
@dataclass(frozen=True, slots=True)
class Decision(Located):
    """A decision taken in a stage, and by when (``start``, ``end``, ``+2w``, or a date)."""

    id: str = key(Id(example="focus"), "How touchpoints of this stage refer to it. Unique "
                  "within the stage.",
                  required=True, default="", label="Short id")
    what: str = key(TEXT, "The decision in plain words.", default="", label="The decision")
    by: str | date = key(Moment(), "When the decision is taken: at the stage's first or last "
                         'working day, an offset such as `"+2w"` (after the start) or `"-1w"` '
                         "(before the end), or a date.", default="end",
                         label="Taken by")


@dataclass(frozen=True, slots=True)
class When:
    """When a touchpoint session happens within its stage."""

    anchor: str = "start"  # "start", "end" or "date"
    offset_days: int = 0  # working days after start (or before end when negative)
    on: date | None = None

    def __str__(self) -> str:
        if self.anchor == "date" and self.on:
            return self.on.isoformat()
        if self.offset_days:
            return f"{'+' if self.offset_days > 0 else '-'}{abs(self.offset_days)}d"
        return self.anchor


@shape("record {n} of {parent}", plural="records", heading="[[stage.touchpoint.record]]",
       history="session record")
@dataclass(frozen=True, slots=True)
class SessionRecord(Located):
    """What actually happened at one session of a touchpoint (the delivery record)."""

    session: int = key(WholeNumber(minimum=1), "Which session of the touchpoint this records: "
                       "`1` is the first date in its `when`, `2` the second.", default=1,
                       label="Session")
    status: str = key(STATUS_WORDS, "What happened to the session.", default="held",
                      label="What happened")
    on: date | None = key(Day(), "The day it was held, or the day it was moved to. Left out, it "
                          "is the day it was planned for.", label="Date")
    why: str = key(TEXT, "Why it was moved or cancelled.", default="", label="Why")
    cancelled_on: date | None = key(Day(), "For a session cancelled: the day it was called "
                                    "off, so the notice people had is known (a session "
                                    "called off at short notice is paid: `[payment] "
                                    "cancelled_notice`).", label="Called off on")
    attended: tuple[str, ...] = key(PersonRefs(), "Who came.", default=(), label="Who came")
    contributed: str = key(LONG, "What people contributed, in a few words.", default="",
                           label="What people contributed")
    changed: str = key(LONG, "What changed because of it, or why nothing did.", default="",
                       label="What changed because of it")
    ladder: str | None = key(LADDER_WORDS, "The rung of the ladder of co-production the session "
                             "actually reached.", label="The rung it reached")
    role: str | None = key(ROLE_WORDS, "The role people with lived experience actually held.",
                           label="The role people held")
    feedback_sent: date | None = key(Day(), "When people heard back what was done with their "
                                     "input.", label="Feedback sent on")
    feedback_how: str = key(TEXT, "How they heard back: a note, a call, at the next meeting.",
                            default="", label="How they heard back")
    notes: str = key(LONG, "Anything else worth remembering about the session.", default="",
                     label="Notes")


@shape("touchpoint {n} of {parent}", "touchpoint {n} of {parent}", identity="id",
       plural="touchpoints", heading="[[stage.touchpoint]]")
@dataclass(frozen=True, slots=True)
class Touchpoint(Located):
    """A point where people with lived experience take part in a stage."""

    stage: str = ""
    index: int = 0
    id: str = key(Id(made="from its stage's id and its number", example="aims-1"),
                  "An id for the touchpoint, unique in the whole plan. Calendars use it "
                  "to recognise a session when the file is exported again, so give one (the "
                  "app always does, made from the touchpoint's title) if touchpoints may be "
                  "reordered.", default="",
                  default_doc='stage id and number, such as `"aims-1"`', label="Short id")
    title: str = key(TEXT, "A short name for the session.", default="",
                     default_doc="the format's plain label", label="Name (optional)")
    purpose: str = key(LONG, "Why this session happens and what it can change.", default="",
                       label="What it is for")
    format: str = key(FORMAT_WORDS, "What kind of session it is.", default="other",
                      label="Format")
    mode: str | None = key(MODE_WORDS, "How people take part: in person, online, by phone, "
                           "on paper. Left out, it is not yet agreed: outputs say so, and "
                           "the costs count no venue or travel for it.", label="Mode")
    ladder: str | None = key(LADDER_WORDS, "The rung of the ladder of co-production "
                             "the session aims for.",
                             label="How deep (ladder of co-production)")
    role: str | None = key(ROLE_WORDS, "The role people with lived experience hold in "
                           "it (Involvement Matrix). It should match the rung: partner or "
                           "decision-maker for co-design and co-production.",
                           label="Role people hold (Involvement Matrix)")
    who: tuple[str, ...] = key(PersonRefs(), "Who takes part. Usually at least two people "
                               "with lived experience (see `min_voices`), so no one is a lone "
                               "voice.", default=(), label="Who takes part")
    when: tuple[When, ...] = key(Sessions(When), "When the session happens within its stage. "
                                 "See "
                                 "[when](#when).", default=(When(),), default_doc='`"start"`',
                                 label="When in the stage")
    time: time | None = key(TimeOfDay(), "The time the session starts.",
                            default_doc="the project's `session_time`", label="Time of day")
    length_minutes: int = key(Clock(), "How long the session lasts.", toml="length",
                              default=120, default_doc='`"2h"`', label="Length")
    where: str = key(TEXT, 'The place, or how to join, such as "online: link sent by the '
                     'lead".', default="", label="Where")
    support: tuple[str, ...] = key(SUPPORT_LIST,
                                   "Support before and during the session.", default=(),
                                   label="Support before and during")
    aftercare: tuple[str, ...] = key(AFTERCARE_LIST,
                                     "Support after the session. Expected whenever "
                                     "`demanding = true`.", default=(), label="Aftercare")
    access: tuple[str, ...] = key(
        ACCESS_LIST, "The access measures in place. Must include "
        "every need of every person in `who`. For online sessions, include `digital-support` "
        "or `non-digital-alternative`.", default=(), label="Access arrangements")
    feedback: str = key(TEXT, "How people will hear what was done with their input, and why.",
                        default="", label="How people hear back")
    feedback_within_days: int | None = key(
        Work(), "How soon they will hear.", toml="feedback_within",
        default_doc='none (the review expects `"4w"` or less)', label="Hear back within")
    payment: str | None = key(PAYMENT_WORDS, "What is offered for this "
                              "session.", label="Payment")
    payment_reason: str = key(TEXT, "Why payment is not offered for this session, when "
                              '`payment` is `"not-offered"` (required then).', default="",
                              label="Why payment is not offered")
    papers_ahead_days: int | None = key(
        Work(), "How far ahead papers are sent. At least as early as any attendee's own "
        "`papers_ahead`.", toml="papers_ahead",
        default_doc='none (the review expects `"1w"` or more)', label="Papers sent ahead")
    influences: tuple[str, ...] = key(DecisionRefs(), "The decisions of **this stage** that "
                                      "the session feeds into. See "
                                      "[decisions](#stagedecision).", default=(),
                                      label="Decisions it can influence")
    heard_by: str = key(TEXT, "Who hears the views and has the power to act on them (a named "
                        "group or role).", default="",
                        label="Who hears the views and can act on them")
    demanding: bool = key(Flag(), "`true` if the session may be emotionally demanding, such as "
                          "sharing personal stories. The review then expects aftercare.",
                          default=False, label="Emotionally demanding?")
    not_demanding_reason: str = key(
        TEXT, "On a sensitive topic, why this session is not emotionally demanding (for "
        'example, "checking the layout of a leaflet"). Without it, the review expects '
        "`demanding = true` and aftercare.", default="",
        label="Why it is not demanding (sensitive topics)")
    rung_reason: str = key(
        TEXT, "Why this rung of the ladder is the right one here, when it is below "
        'co-production (for example, "a quick test of a leaflet with people leaving '
        'hospital: consultation is what they asked for"). The review then accepts it '
        "rather than ask for a deeper rung.", default="",
        label="Why this rung is right here")
    solo_reason: str = key(TEXT, "If only one person with lived experience takes part, why "
                           '(for example, "she chose a one-to-one conversation").', default="",
                           label="Why only one person with lived experience")
    anonymous: bool = key(Flag(), "`true` if people can take part without being named, such as "
                          "an anonymous survey. On sensitive topics, at least one anonymous "
                          "way to take part is expected.", default=False,
                          label="People can take part anonymously")
    towle: str | None = key(TOWLE_WORDS, "In education: the level of patient "
                            "involvement in teaching.", label="Towle level (education)")
    records: tuple[SessionRecord, ...] = tables(
        SessionRecord, "What actually happened at each session (below).", toml="record",
        label="What happened")
    achieved: str | None = key(LADDER_WORDS, "Filled in afterwards: the rung "
                               "the session actually reached. Used to reflect honestly when it "
                               "fell short.", label="The rung it actually reached")

    @property
    def ladder_rank(self) -> int:
        ladder = self.ladder
        if not ladder:
            return 0
        rank = _RUNG_RANKS.get(ladder)
        return LADDER[ladder].rank if rank is None else rank


@shape("a stage", "stage '{id}'", identity="id", plural="stages", heading="[[stage]]")
@dataclass(frozen=True, slots=True)
class Stage(Located):
    """One stage of the work, with its links, length and touchpoints."""

    id: str = key(Id(), 'How other stages refer to this one, such as `"aims"`.', required=True,
                  default="", label="Short id (used in links and file)")
    title: str = key(TEXT, "The stage's name in plain words.", required=True, default="",
                     label="Name of the stage")
    phase: str | None = key(PHASE_WORDS, "Which part of the project this stage belongs "
                            "to. Reflection checkpoints follow phases, and the review expects "
                            "co-design or deeper in design, analysis and sharing phases.",
                            label="Phase")
    duration_days: int = key(Work(), "How long the stage lasts, not counting its slow-down "
                             'buffer. `"0d"` makes a milestone.', toml="duration",
                             required=True, default=0, label="How long (working time)")
    after: tuple[Dependency, ...] = key(Links(Dependency), "The stages that must finish before "
                                        "this one "
                                        "starts. See [after](#after).", default=(),
                                        label="Waits for")
    not_before: date | None = key(Day(), "The stage cannot start before this date (a fixed "
                                  "teaching date, a funding decision).",
                                  label="Cannot start before")
    deadline: date | None = key(Day(), "The stage should finish by this date. coplan warns if "
                                "the schedule cannot meet it.", label="Must finish by")
    slow_down: Buffer | None = key(BufferLength(), "This stage's own slow-down buffer. `\"0d\"` "
                                   "means none.", default_doc="the project's `stage_buffer`",
                                   label="Its own slow-down time")
    can_change: str = key(LONG, "What people with lived experience can change in this stage.",
                          default="", label="What people's input can change here")
    fixed: str = key(LONG, "What cannot change in this stage, and why. Being honest about this "
                     "avoids false promises.", default="", label="What cannot change, and why")
    constrained: str = key(LONG, "If the team's own power to decide is limited here (by law, a "
                           "funder or a regulator), the reason. The review takes the reason "
                           "into account, and the protocol explains it.", default="",
                           label="Why the team's power to decide is limited here")
    decisions: tuple[Decision, ...] = tables(
        Decision, "The decisions taken in this stage. See "
        "[`[[stage.decision]]`](#stagedecision).", toml="decision", label="Decisions")
    touchpoints: tuple[Touchpoint, ...] = tables(
        Touchpoint, "How people with lived experience take part. See "
        "[`[[stage.touchpoint]]`](#stagetouchpoint).", toml="touchpoint", label="Touchpoints")
    notes: str = key(LONG, "Anything else the team wants to remember.", default="",
                     label="Notes")
    started: date | None = key(Day(), "When the stage actually started (the delivery record).",
                               label="Actually started on")
    finished: date | None = key(Day(), "When the stage actually finished. A stage with a "
                                "finish date is done.", label="Actually finished on")
    progress: int | None = key(Percent(), "How far along a started stage is, such as "
                               '`"60%"`; left out, coplan counts the working days gone.',
                               label="How far along")
    progress_on: date | None = key(Day(), "The day `progress` was measured: coplan counts the "
                                   "work left from that day. Left out, the figure is taken "
                                   "as today's, so an old one moves the finish later every "
                                   "day it is not updated.", label="Measured on")

    @property
    def milestone(self) -> bool:
        return self.duration_days == 0

    @property
    def deepest_ladder(self) -> str | None:
        """The highest rung any touchpoint of this stage reaches."""
        # (``max`` of the touchpoints by ``ladder_rank``, the first of the highest, as a
        # loop: a dozen rules ask of each of 10,000 stages on a large plan)
        best: str | None = None
        rank = 0
        ranks = _RUNG_RANKS
        for tp in self.touchpoints:
            ladder = tp.ladder
            if ladder:
                this = ranks.get(ladder)
                if this is None:
                    this = LADDER[ladder].rank
                if best is None or this > rank:
                    best, rank = ladder, this
        return best


@shape("a meeting", "meeting '{name}'", name_from=("title", "id"), identity="id",
       plural="meetings", heading="[[meeting]]")
@dataclass(frozen=True, slots=True)
class Meeting(Located):
    """A standing meeting that recurs through the project (a steering group, say)."""

    # (``id`` first, as in every meeting the examples, the templates and people write, and
    # as every other kind of entry declares it: a meeting the app adds or renames is
    # written in that order too.)
    id: str = key(Id(made="from its title", example="steering-group"),
                  "An id for the meeting.", default="", default_doc="made from the title",
                  label="Short id")
    title: str = key(TEXT, "The meeting's name.", required=True, default="",
                     label="Name of the meeting")
    every_weeks: int = key(Weeks(), "How often the meeting happens. Only weeks are allowed.",
                           toml="every", default=4, default_doc='`"4w"`',
                           label="Every how many weeks")
    day: int = key(Weekday(), "The day it happens.", default=1, default_doc='`"tue"`',
                   label="Day")
    time: time = key(TimeOfDay(), "When it starts.", default=time(14, 0),
                     default_doc='`"14:00"`', label="Time")
    length_minutes: int = key(Clock(), "How long it lasts.", toml="length", default=90,
                              default_doc='`"90m"`', label="Length")
    who: tuple[str, ...] = key(PersonRefs(), "Members.", default=(), label="Who takes part")
    where: str = key(TEXT, "The place, or how to join.", default="", label="Where")
    start: date | None = key(Day(), "The first date the meeting can happen.", toml="from",
                             default_doc="none (from the project's start)",
                             label="First date")
    until: date | None = key(Day(), "The last date it can happen.",
                             default_doc="none (until the project ends)", label="Last date")
    purpose: str = key(TEXT, "What the meeting is for.", default="", label="What it is for")
    terms_of_reference: str = key(LONG, "The group's agreed terms of reference: what it "
                                  "decides, how, who chairs, how members are supported.",
                                  default="", label="Terms of reference")
    format: str = key(FORMAT_WORDS, "What kind of meeting it is.",
                      default="advisory-group", label="Format")
    mode: str | None = key(MODE_WORDS, "How people take part. Left out, it is not yet "
                           "agreed: outputs say so, and the costs count no venue or travel "
                           "for it.", label="Mode")


@shape("[governance]", heading="[governance]")
@dataclass(frozen=True, slots=True)
class Governance(Located):
    """Who leads the involvement, and how decisions are shared."""

    lead: str = key(PersonRef(), "The named person responsible for involvement and "
                    "co-production.", default="", label="Involvement lead")
    co_leads: tuple[str, ...] = key(PersonRefs(), "People who share the lead. A co-produced "
                                    "project has at least one with lived experience.",
                                    default=(), label="Co-leads")
    board: tuple[str, ...] = key(PersonRefs(), "Members of the group that takes the project's "
                                 "key decisions (a steering group or board).", default=(),
                                 label="Decision-making group")
    decisions: str = key(LONG, "How decisions are made (consensus, a vote) and how the views "
                         "of people with lived experience count.", default="",
                         label="How decisions are made")
    disagreements: str = key(LONG, "How anyone can raise a problem or disagreement, and how it "
                             "is resolved.", default="", label="How disagreements are resolved")
    ground_rules: str = key(LONG, "The ground rules or shared values the group agreed "
                            "together.", default="", label="Ground rules")
    heard_by: str = key(TEXT, "Who hears the group's views and has the authority to act on "
                        "them.", default="", label="Who hears the group and can act")
    private_details: tuple[str, ...] = key(
        PersonRefs(), "The people who look after private details (access needs, contact "
        "details, payments, benefits advice, notes kept within the team), such as the lead "
        "and the coordinator. When the plan is served to web browsers (`coplan serve`), "
        "only their links show everyone's private details; everyone else sees their own "
        "and nobody else's.", default=(), label="Who looks after private details")


@shape("[support]", heading="[support]")
@dataclass(frozen=True, slots=True)
class Support(Located):
    """How contributors are welcomed, supported and looked after."""

    contact: str = key(PersonRef(), "The named person contributors can contact with any "
                       "question or worry. Each contributor's own pack names them, even if "
                       "they keep their name from others' copies: being the contact is "
                       "agreeing to be reached.", default="", label="Named contact")
    induction: str = key(LONG, "How new members are welcomed and introduced to the project.",
                         default="", label="Induction")
    training: str = key(LONG, "Training offered to contributors for their roles.", default="",
                        label="Training for contributors")
    staff_training: str = key(LONG, "What researchers and staff learn about working in "
                              "co-production.", default="", label="Training for staff")
    withdraw: str = key(LONG, "The promise that anyone can pause or stop at any time, with "
                        "nothing lost (including payment already earned).", default="",
                        label="Pausing or stopping")
    safeguarding: str = key(LONG, "The safeguarding procedure and who leads it. Essential with "
                            "young people or people at risk.", default="",
                            label="Safeguarding")
    confidentiality: str = key(LONG, "How what people share is kept confidential.", default="",
                               label="Confidentiality")
    buddy: str = key(LONG, "Buddying, mentoring or peer support arrangements.", default="",
                     label="Buddying and peer support")
    anonymous_route: str = key(LONG, "How people can take part or give views without being "
                               "named.", default="", label="Taking part without being named")


@shape("a rate", plural="rates", heading="[[payment.rates]]")
@dataclass(frozen=True, slots=True)
class Rate(Located):
    """What people are paid for their time, by the hour, half day, day or session."""

    amount: float = key(Amount(), "How much, in the budget's currency. No quotes.",
                        required=True, default=0.0, label="Amount")
    per: str = key(UNIT_WORDS, "What the amount is paid for.", default="hour",
                   label="Paid per")
    kind: str | None = key(KIND_WORDS, "Only for people of this kind (a carer, say), where "
                           "rates differ. Left out, with no `people`, the rate is for everyone.",
                           label="Only for people who are")
    people: tuple[str, ...] = key(PersonRefs(), "Only for these people, where their rate "
                                  "differs (a co-applicant, say).", default=(),
                                  label="Only for")
    source: str = key(TEXT, "Where the rate comes from, such as NIHR's payment guidance.",
                      default="", label="Where the rate comes from")
    checked: date | None = key(Day(), "When the rate was last checked against its source.",
                               label="Last checked on")


@shape("an expense cost", plural="expense costs", heading="[[payment.costs]]")
@dataclass(frozen=True, slots=True)
class ExpenseCost(Located):
    """What one kind of expense costs, so coplan can cost people's needs.

    Travel and food are costed for everyone who comes in person; care, childcare, a
    personal assistant and data for each person whose needs call for them."""

    expense: str = key(EXPENSE_WORDS, "Which expense.", required=True, default="",
                       label="Expense")
    amount: float = key(Amount(), "How much it costs. No quotes.", required=True, default=0.0,
                        label="Amount")
    per: str = key(UNIT_WORDS, "What the amount is for: each hour, half day, day or session.",
                   default="session", label="For each")


@shape("[payment]", heading="[payment]")
@dataclass(frozen=True, slots=True)
class PaymentPolicy(Located):
    """How people with lived experience are paid, and the rates."""

    policy: str = key(LONG, "The policy in a few sentences, or where to find it.", default="",
                      label="Payment policy")
    agreed: date | None = key(Day(), "When the policy was agreed. Should be before the first "
                              "touchpoint.", label="Date the policy was agreed")
    standard: str | None = key(PAYMENT_WORDS, "The usual way people are "
                               "paid.", label="Usual payment")
    rate: str = key(TEXT, 'The rate, in words, such as "£25 an hour".', default="",
                    label="Rate")
    rate_source: str = key(TEXT, "Where the rate comes from, with the date you checked it, so "
                           "it can be kept up to date.", default="", label="Where the rate "
                           "comes from")
    expenses: tuple[str, ...] = key(
        EXPENSE_LIST, "The expenses covered. Must cover the cost of people's needs: "
        "travel for `travel-booked` or `taxi`, `childcare`, `replacement-care`, "
        "`personal-assistant` for `carer-or-pa-attends`, `phone-or-data` for "
        "`digital-support`.", default=(), label="Expenses covered")
    method: str = key(TEXT, "How people are paid (bank transfer, vouchers, …) and how the "
                      "process is explained.", default="", label="How people are paid")
    payment_reason: str = key(TEXT, "Why payment is not offered, when `standard` is "
                              '`"not-offered"` (required then).', default="",
                              label="Why payment is not offered")
    within_days: int | None = key(Work(), "How soon after a session people are paid.",
                                  toml="within", label="Paid within")
    prepaid_travel: bool = key(Flag(), "`true` if travel can be booked and paid in advance, so "
                               "nobody pays up front.", default=False,
                               label="Travel booked and paid in advance")
    benefits_advice: str = key(LONG, "How people receiving benefits get independent advice "
                               "before accepting payment.", default="",
                               label="Benefits advice")
    recognition: str = key(LONG, "Other recognition: acknowledgement, co-authorship, "
                           "certificates, references, training.", default="",
                           label="Other recognition")
    budgeting_with_contributors: bool = key(Flag(), "`true` if contributors helped set the "
                                            "involvement budget.", default=False,
                                            label="Contributors helped set the budget")
    preparation: int | None = key(Percent(most=400), "Preparation time paid for, as a share of "
                                  'each session\'s length: `"100%"` pays an hour of reading '
                                  "for each hour of meeting.", label="Preparation time paid")
    travel_time: int | None = key(Clock(), "Travel time paid for each session someone comes "
                                  'to in person, such as `"1h"`.', label="Travel time paid")
    cancelled_notice: int | None = key(
        Work(), "Sessions called off at short notice are paid for: people kept the time "
        "free. The notice below which they are, such as `\"2d\"`: a session called off "
        "fewer working days than this before its day (the record's `cancelled_on`) is paid "
        "as `cancelled_paid` or `cancelled_fee` say. Left out, nothing is paid for a "
        "session called off.", label="Paid when called off with less notice than")
    cancelled_paid: int | None = key(
        Percent(), "How much of their fee people are paid for a session called off at "
        'short notice: `"100%"` in full (the default), `"50%"` half.',
        label="Share of the fee paid when called off late")
    cancelled_fee: float | None = key(
        Amount(), "A fixed amount paid to each person instead, for a session called off at "
        "short notice (with `cancelled_paid` too, this is paid). No quotes.",
        label="Fixed amount paid when called off late")
    rates: tuple[Rate, ...] = tables(Rate, "The rate card: what people are paid (below). "
                                     "`rate` above says it in words for people.",
                                     label="Rates")
    costs: tuple[ExpenseCost, ...] = tables(ExpenseCost, "What expenses cost (below).",
                                            label="Expense costs")


@shape("an under-served group", plural="groups", heading="[[recruitment.underserved]]")
@dataclass(frozen=True, slots=True)
class Outreach(Located):
    """An under-served group, and how it will be reached."""

    group: str = key(TEXT, "The group.", required=True, default="", label="Group")
    action: str = key(TEXT, "What you will do to reach and include them.", default="",
                      label="What we will do")


@shape("a barrier", plural="barriers", heading="[[recruitment.barriers]]")
@dataclass(frozen=True, slots=True)
class Barrier(Located):
    """Something that could stop people taking part, and what is done about it."""

    barrier: str = key(TEXT, "Something that could stop people taking part.", required=True,
                       default="", label="Barrier")
    mitigation: str = key(TEXT, "What you will do about it.", default="",
                          label="What we will do")


@shape("[recruitment]", heading="[recruitment]")
@dataclass(frozen=True, slots=True)
class Recruitment(Located):
    """How people are reached and invited to take part."""

    routes: tuple[str, ...] = key(Strings(), "Where and how you reach people. More than one "
                                  "route reaches more people.", default=(),
                                  label="How we reach people")
    underserved: tuple[Outreach, ...] = tables(
        Outreach, "Groups who are often not heard, each with what you will do to reach them "
        "(below).", label="Groups often not heard")
    barriers: tuple[Barrier, ...] = tables(
        Barrier, "What might stop people taking part, each with what you will do about it "
        "(below).", label="Barriers")
    selection: str = key(LONG, "How people are chosen if more come forward than there are "
                         "places.", default="", label="How people are chosen")


@shape("[communication]", heading="[communication]")
@dataclass(frozen=True, slots=True)
class Communication(Located):
    """How people get in touch and hear news."""

    channels: tuple[str, ...] = key(Strings(), "The ways people can get in touch and hear "
                                    "news. Include at least one two-way channel.", default=(),
                                    label="Ways to get in touch")
    between_meetings: str = key(LONG, "How people can raise things between meetings.",
                                default="", label="Between meetings")
    plain_language: str = key(LONG, "How materials are kept in plain language (and Easy Read "
                              "where needed), and who checks them.", default="",
                              label="Plain language")


@shape("[evaluation]", heading="[evaluation]")
@dataclass(frozen=True, slots=True)
class Evaluation(Located):
    """How the impact of involvement is captured."""

    methods: tuple[str, ...] = key(METHOD_LIST, "How impact is captured.",
                                   default=(), label="How impact is captured")
    when: str = key(TEXT, "When it is captured (after each session, at each checkpoint, at the "
                    "end).", default="", label="When it is captured")
    co_designed: bool = key(Flag(), "`true` if contributors helped decide what to evaluate and "
                            "how.", default=False, label="Contributors helped design it")
    domains: tuple[str, ...] = key(
        DOMAIN_LIST, "Where you look for impact. Include `contributors` (the "
        "people involved) and `negative` (harms and unintended effects).", default=(),
        label="Where we look for impact")
    reflection_log: str = key(TEXT, "Where reflections, including what went wrong, are "
                              "recorded.", default="", label="Where reflections are kept")


@shape("a budget line", plural="lines", heading="[[budget.lines]]")
@dataclass(frozen=True, slots=True)
class BudgetLine(Located):
    """One line of the involvement budget."""

    item: str = key(TEXT, "What the line pays for.", required=True, default="",
                    label="What it pays for")
    amount: float = key(Amount(), "How much. No quotes.", default=0.0, default_doc="`0`",
                        label="Amount")
    use: str | None = key(USE_WORDS, "What the line pays for: people's time (`fees`), their "
                          "`expenses`, or `other` costs. coplan compares fee and expense lines "
                          "with the costs it works out from the plan.", label="Pays for")


@shape("[budget]", heading="[budget]")
@dataclass(frozen=True, slots=True)
class Budget(Located):
    """The involvement budget."""

    involvement: float | None = key(Amount(), "The total involvement budget, such as `18500`. "
                                    "No quotes.", label="Involvement budget")
    currency: str = key(TEXT, "The currency, as a three-letter code.", default="GBP",
                        label="Currency")
    lines: tuple[BudgetLine, ...] = tables(BudgetLine, "What the money is for (below).",
                                           label="Budget lines")


@shape("a glossary term", identity="term", plural="glossary terms",
       heading="[[protocol.term]]")
@dataclass(frozen=True, slots=True)
class GlossaryTerm(Located):
    """A word or phrase the team agreed the meaning of."""

    term: str = key(TEXT, "The word or phrase.", required=True, default="",
                    label="Word or phrase")
    meaning: str = key(LONG, "What the team agreed it means, in plain words.", required=True,
                       default="", label="What we mean by it, in plain words")


@shape("a sign-off", plural="sign-offs", heading="[[protocol.signoff]]",
       kept="has signed off the protocol", history="sign-off")
@dataclass(frozen=True, slots=True)
class Signoff(Located):
    """Someone signing off the protocol."""

    who: str = key(PersonRef(), "Who signed off.", required=True, default="",
                   label="Who agreed it")
    date: date | None = key(Day(), "When.", label="Date")
    version: str = key(VersionText(), "Which version they signed off. The review looks for "
                       "sign-offs of the current `version` by people with lived experience.",
                       default="", label="Version agreed")


@shape("a protocol review", plural="review rounds", heading="[[protocol.review]]",
       history="protocol review round")
@dataclass(frozen=True, slots=True)
class ProtocolReview(Located):
    """A round in which people reviewed the protocol, and what changed because of it."""

    date: date | None = key(Day(), "When the review round happened.", label="Date")
    who: tuple[str, ...] = key(PersonRefs(), "Who took part.", default=(),
                               label="Who took part")
    changes: str = key(LONG, "What changed because of it.", default="",
                       label="What changed because of it")


@shape("a risk", plural="risks", heading="[[protocol.risk]]")
@dataclass(frozen=True, slots=True)
class Risk(Located):
    """A risk to the involvement, and the response to it."""

    risk: str = key(TEXT, "What might go wrong.", required=True, default="",
                    label="What might go wrong")
    response: str = key(LONG, "What you will do to prevent it or respond to it.", default="",
                        label="What we will do")


@shape("[protocol]", heading="[protocol]")
@dataclass(frozen=True, slots=True)
class Protocol(Located):
    """The parts of the co-production protocol only people can write."""

    version: str = key(VersionText(), 'The version of the protocol. Write it in quotes, such '
                       'as `"1.0"`.', default="0.1", label="Version")
    status: str = key(TEXT, 'Where it stands, such as `"draft"`, `"agreed"` or '
                      '`"under review"`.', default="draft", label="Status")
    purpose: str = key(LONG, "The shared purpose: why we are doing this together.", default="",
                       label="Why we are working together")
    can_change: str = key(LONG, "What people with lived experience can change.", default="",
                          label="What people can change")
    cannot_change: str = key(LONG, "What cannot change, and why.", default="",
                             label="What cannot change, and why")
    principles: str = key(LONG, "The principles the team works by.", default="",
                          label="Our principles")
    boundaries: str = key(LONG, "Boundaries, including that the group is not a clinical "
                          "service.", default="",
                          label="Boundaries (this is not a clinical service)")
    distress: str = key(LONG, "What happens if someone becomes distressed during or after a "
                        "session.", default="", label="What we do if someone becomes distressed")
    signposting: str = key(LONG, "Where people can find support (services, helplines), and "
                           "where the signposting sheet is.", default="",
                           label="Where people can find support")
    data_handling: str = key(LONG, "How contributors' own personal details (for payment, "
                             "contact) are kept safe.", default="",
                             label="Keeping contributors' details safe")
    ethics: str = key(LONG, "How involvement shaped the ethics application, and the difference "
                      "between contributors and research participants.", default="",
                      label="Ethics")
    how_coproduced: str = key(LONG, "How this protocol was written together.", default="",
                              label="How we wrote this protocol together")
    next_review: date | None = key(Day(), "When the protocol will next be reviewed.",
                                   label="Next review date")
    reporting: str = key(LONG, "How involvement will be reported (for example with the GRIPP2 "
                         "checklist) and credited.", default="",
                         label="How involvement is reported")
    coauthors: tuple[str, ...] = key(PersonRefs(), "Who wrote the protocol. Include people with "
                                     "lived experience.", default=(), label="Who wrote it")
    terms: tuple[GlossaryTerm, ...] = tables(GlossaryTerm, "The shared glossary (below).",
                                             toml="term", label="Glossary")
    signoffs: tuple[Signoff, ...] = tables(Signoff, "Who signed off which version (below).",
                                           toml="signoff", label="Sign-offs")
    reviews: tuple[ProtocolReview, ...] = tables(
        ProtocolReview, "Rounds in which people reviewed the protocol, and what changed "
        "(below).", toml="review", label="Review rounds")
    risks: tuple[Risk, ...] = tables(Risk, "Risks to the co-production and how you will "
                                     "respond (below).", toml="risk", label="Risks")


@shape("a decision log entry", plural="decisions", heading="[[log]]",
       history="decision log entry")
@dataclass(frozen=True, slots=True)
class LogEntry(Located):
    """A decision the team took, who took part, and which stage it belongs to."""

    date: date | None = key(Day(), "When the decision was taken.", label="Date")
    what: str = key(LONG, "The decision.", required=True, default="",
                    label="What was decided")
    who: tuple[str, ...] = key(PersonRefs(), "Who took part.", default=(),
                               label="Who took part in deciding")
    stage: str = key(StageRef(), "The stage it belongs to, if any.", default="",
                     label="Which stage it is about")


@shape("an accepted finding", plural="accepted findings", heading="[[review.accept]]")
@dataclass(frozen=True, slots=True)
class Acceptance(Located):
    """One finding of the review accepted with a reason: the rule and what the finding is
    about (a stage, a touchpoint, one of its session records, a person, a meeting, an
    entry of the payments ledger), not the whole rule.  What it names is said by where it
    lives in the plan (the stage is renamed with the stage), so it is found again after
    edits; one that no longer matches a finding is reported, so none pile up unseen."""

    rule: str = key(TEXT, "The rule whose finding is accepted, such as `\"CP-DEL-004\"`.",
                    required=True, default="", label="Rule")
    touchpoint: str = key(Id(), "The touchpoint the finding is about, if it is about one.",
                          default="", label="Touchpoint")
    stage: str = key(KeptStageRef(), "The stage the finding is about, if it is about the "
                     "stage itself (renamed with the stage).", default="", label="Stage")
    person: str = key(Id(), "The person the finding is about, if it is about one; beside a "
                      "touchpoint, stage, meeting or part, the one person of the rule's "
                      "findings about it, where it makes one for each person (a payment owed "
                      "to each person who came to a session, CP-DEL-002).",
                      default="", label="Person")
    meeting: str = key(Id(), "The standing meeting the finding is about, if it is about one.",
                       default="", label="Meeting")
    part: str = key(Id(), "The part of the project a finding about the project is about, as "
                    "`coplan check --format json` gives its subject's `id` (`\"paid\"`, "
                    "`\"reflection\"`); left out for the project as a whole.", default="",
                    label="Part of the project")
    entry: int = key(WholeNumber(minimum=1), "Which entry, counting from 1, where the finding "
                     "is about one: a session record of the touchpoint, an entry of the "
                     "payments ledger `[[paid]]`.", default=0, default_doc="none",
                     label="Which entry")
    reason: str = key(LONG, "Why this finding is accepted: every report shows it beside the "
                      "finding.", required=True, default="", label="Why we accept it")

    @property
    def about(self) -> tuple[str, str, int]:
        """What the finding is about, as ``Subject.key`` gives it: (kind, id, entry)."""
        if self.touchpoint:
            return ("touchpoint", self.touchpoint, self.entry)
        if self.stage:
            return ("stage", self.stage, self.entry)
        if self.person:
            return ("person", self.person, self.entry)
        if self.meeting:
            return ("meeting", self.meeting, self.entry)
        return ("project", self.part, self.entry)

    @property
    def one_person(self) -> str:
        """The person it narrows its findings to, beside what it is about (``about``): of
        those a rule makes one for each person about one thing; "" for them all."""
        if self.person and (self.touchpoint or self.stage or self.meeting or self.part):
            return self.person
        return ""


@shape("[review]", heading="[review]")
@dataclass(frozen=True, slots=True)
class ReviewSettings(Located):
    """Thresholds for ``coplan check`` and rules switched off (each with its reason)."""

    min_voices: int = key(WholeNumber(minimum=1), "How many people with lived experience a "
                          "touchpoint should have, so that no one is a lone voice. At least "
                          "1.", default=2, label="Fewest voices with lived experience")
    feedback_within_days: int = key(Work("4w"), "The longest acceptable time before people "
                                    "hear what was done with their input.",
                                    toml="feedback_within", default=20, default_doc='`"4w"`',
                                    label="People hear back within")
    papers_ahead_days: int = key(Work("1w"), "The shortest acceptable notice for papers.",
                                 toml="papers_ahead", default=5, default_doc='`"1w"`',
                                 label="Papers sent at least")
    milestones_need_touchpoints: bool = key(Flag(), "`true` if milestones (`\"0d\"` stages) "
                                            "must also have touchpoints.", default=False,
                                            label="Milestones need touchpoints too")
    skip: Mapping[str, str] = key(SkipReasons(), "Review rules switched off, each with a reason "
                                  "(below).", factory=dict, default_doc="`{}`",
                                  label="Rules switched off, with reasons")
    accepted: tuple[Acceptance, ...] = tables(
        Acceptance, "Findings accepted one at a time, each with a reason (below): the rule "
        "stays on for everything else.", toml="accept", label="Findings accepted, with reasons")
    # The line of each entry of ``skip``, by the rule id as read (upper case): a finding
    # about one entry points at the entry, not at the [review.skip] header.
    skip_lines: Mapping[str, int] = field(default_factory=lambda: NO_LINES, compare=False,
                                          repr=False)

    def line_of_skip(self, rule_id: str) -> int:
        """The line of ``rule_id``'s entry in ``[review.skip]`` (else of ``skip`` itself)."""
        return self.skip_lines.get(rule_id) or self.line_of("skip")


@shape("a reflection", plural="reflections", heading="[[reflection]]",
       history="reflection")
@dataclass(frozen=True, slots=True)
class ReflectionRecord(Located):
    """What the team noticed when it stopped to take stock, and what it changed."""

    date: date | None = key(Day(), "When the team stopped to take stock.", required=True,
                            label="Date")
    checkpoint: int | None = key(WholeNumber(minimum=1), "Which reflection checkpoint it was, "
                                 "as `coplan schedule` numbers them, if it was one.",
                                 label="Checkpoint number")
    who: tuple[str, ...] = key(PersonRefs(), "Who took part.", default=(),
                               label="Who took part")
    noticed: str = key(LONG, "What the team noticed: how people are, how the work together "
                       "is going, what has changed.", required=True, default="",
                       label="What we noticed")
    changed: str = key(LONG, "What the team decided to do differently because of it.",
                       default="", label="What we changed")
    share: bool = key(Flag(), "`true` if the people who took part agreed that what was "
                      "noticed and changed may go in reports for others (GRIPP2). Otherwise "
                      "it stays with the team: reflections often say how people are, and "
                      "reports only count them.", default=False,
                      label="May go in reports for others")


@shape("an impact log entry", plural="impact log entries", heading="[[impact]]",
       history="impact log entry")
@dataclass(frozen=True, slots=True)
class ImpactEntry(Located):
    """One entry of the impact log: what people's involvement changed, and why it matters
    (the shape of PIRIT's tracking log, with both sides' reflections)."""

    date: date | None = key(Day(), "When it was noted.", label="Date")
    touchpoint: str = key(TouchpointRef(), "The touchpoint it came from, if any.", default="",
                          label="From the touchpoint")
    stage: str = key(StageRef(), "The stage it belongs to (the touchpoint's, if that is "
                     "given).", default="", label="In the stage")
    decision: str = key(DecisionRef(), "The decision of that stage it fed into, if any.",
                        default="", label="The decision it fed into")
    who: tuple[str, ...] = key(PersonRefs(), "Whose input it was.", default=(),
                               label="Whose input")
    hoped: str = key(LONG, "What people hoped to influence.", default="",
                     label="What people hoped to influence")
    changed: str = key(LONG, "What changed because of it, or that nothing did, and why.",
                       required=True, default="", label="What changed")
    why_it_matters: str = key(LONG, "Why the change matters, and to whom.", default="",
                              label="Why it matters")
    standard: str | None = key(STANDARD_WORDS, "The UK Standard for Public Involvement it "
                               "relates to.", label="UK Standard")
    domain: str | None = key(DOMAIN_WORDS, "Where the impact was: the research question, the "
                             "materials, the people involved, …", label="Where the impact was")
    contributor_view: str = key(LONG, "How the people involved saw it, in their words.",
                                default="", label="How the contributors saw it")
    team_view: str = key(LONG, "How the team saw it.", default="", label="How the team saw it")


@shape("a payment", plural="payments", heading="[[paid]]", kept="has been paid",
       history="payment")
@dataclass(frozen=True, slots=True)
class PaymentMade(Located):
    """A payment made to someone for their involvement: dates and amounts only.  Bank
    details never go in the plan."""

    who: str = key(PersonRef(), "Who was paid.", required=True, default="", label="Who")
    for_activity: str = key(ActivityRef(), "The touchpoint or standing meeting it pays for.",
                            toml="for", default="", label="For")
    session: int | None = key(WholeNumber(minimum=1), "Which of its sessions: `1` is the "
                              "first (of a standing meeting, its first meeting in the "
                              "schedule).", label="Session")
    claimed: date | None = key(Day(), "When the claim was made (or the session held, where no "
                               "claim is needed).", label="Claimed on")
    paid: date | None = key(Day(), "When the money reached the person. Left out, it is still "
                            "owed.", label="Paid on")
    amount: float = key(Amount(), "The fee paid, in the budget's currency.", default=0.0,
                        default_doc="`0`", label="Fee")
    expenses: float = key(Amount(), "Expenses repaid.", default=0.0, default_doc="`0`",
                          label="Expenses")
    method: str | None = key(METHOD_WORDS, "How it was paid.", label="How it was paid")
    note: str = key(TEXT, "A short note (never bank details).", default="", label="Note")


@shape("a baseline stage", identity="stage", plural="stages", heading="[[baseline.stage]]")
@dataclass(frozen=True, slots=True)
class BaselineStage(Located):
    """Where one stage was planned to be when the baseline was saved."""

    stage: str = key(KeptStageRef(), "The stage's id (kept even if the stage is later "
                     "removed).",
                     required=True, default="", label="Stage")
    start: date | None = key(Day(), "Its planned first day.", required=True, label="Start")
    finish: date | None = key(Day(), "Its planned last day.", required=True, label="Finish")


@shape("[baseline]", heading="[baseline]")
@dataclass(frozen=True, slots=True)
class Baseline(Located):
    """The schedule as it was agreed, kept to measure slippage against
    (``coplan baseline``)."""

    saved: date | None = key(Day(), "When the baseline was saved.", label="Saved on")
    finish: date | None = key(Day(), "The planned finish, slow-down time included.",
                              label="Planned finish")
    stages: tuple[BaselineStage, ...] = tables(BaselineStage, "Each stage's planned dates "
                                               "(below).", toml="stage", label="Stages")


@shape("The plan")
@dataclass(slots=True)
class Plan:
    """A whole plan.  Lookups by id are built once, on creation."""

    project: Project = table(Project, "The project as a whole.", label="Project settings")
    people: tuple[Person, ...] = tables(Person, "The people in the project.", toml="person",
                                        label="People")
    stages: tuple[Stage, ...] = tables(Stage, "The stages of the project.", toml="stage",
                                       label="Stages")
    meetings: tuple[Meeting, ...] = tables(Meeting, "Standing meetings.", toml="meeting",
                                           label="Standing meetings")
    governance: Governance = table(Governance, "How decisions are made.", label="Governance")
    support: Support = table(Support, "How people are supported.", label="Support")
    payment: PaymentPolicy = table(PaymentPolicy, "Payment, expenses and recognition.",
                                   label="Payment")
    recruitment: Recruitment = table(Recruitment, "How people are found and invited.",
                                     label="Recruitment")
    communication: Communication = table(Communication, "How the team keeps in touch.",
                                         label="Communication")
    evaluation: Evaluation = table(Evaluation, "How impact is evaluated.", label="Evaluation")
    budget: Budget = table(Budget, "What involvement costs.", label="Budget")
    protocol: Protocol = table(Protocol, "The parts of the protocol only people can write.",
                               label="Protocol")
    log: tuple[LogEntry, ...] = tables(LogEntry, "The decision log.", label="Decision log")
    review: ReviewSettings = table(ReviewSettings, "Settings for coplan check.",
                                   label="Review settings")
    reflections: tuple[ReflectionRecord, ...] = tables(
        ReflectionRecord, "What the team noticed at its reflection checkpoints.",
        toml="reflection", label="Reflections")
    impact: tuple[ImpactEntry, ...] = tables(ImpactEntry, "The impact log.", label="Impact log")
    paid: tuple[PaymentMade, ...] = tables(PaymentMade, "Payments made.", label="Payments made")
    baseline: Baseline = table(Baseline, "The schedule as agreed, to measure slippage.",
                               label="Baseline")
    path: Path | None = None
    # Lines of the file whose comment marks a placeholder (``coplan.agreed``), from the
    # loader: values on them are not yet agreed.
    marked: frozenset[int] = frozenset()
    shared_with: str | None = field(default=None, compare=False)
    """Set on a copy made for others to read (``sharing.shared_plan``): the audience it
    was made for.  Names in it are already as that audience may see them."""
    agreed_names: frozenset[str] = field(default=frozenset(), compare=False)
    """On a copy made for others: the ids (as the copy has them) of the people who agreed
    to be named in full (``Person.named_to_others``).  In the copy every person's
    ``share_name`` says only whether their ``name`` may be shown as it stands (a hidden
    name is already its initials there), so whether someone *agreed* is asked of
    ``agreed_to_be_named``, never of ``share_name``."""
    _people: dict[str, Person] = field(default_factory=dict, init=False, repr=False)
    _stages: dict[str, Stage] = field(default_factory=dict, init=False, repr=False)
    _lived: dict[str, Person] = field(default_factory=dict, init=False, repr=False)
    # ``lived_in`` of each list of ids asked about (a review asks for each of 19,000
    # touchpoints in a dozen rules, of a few dozen lists written alike).
    _lived_of: dict[tuple[str, ...], tuple[Person, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    # Every touchpoint, made when first asked for: a review asks once per rule.
    _touchpoints: tuple[Touchpoint, ...] | None = field(default=None, init=False, repr=False,
                                                        compare=False)

    def agreed_to_be_named(self, person: Person) -> bool:
        """Whether ``person`` agreed to be named in full to others (``named_to_others``:
        they share their name and chose to be credited by it), in the plan itself or in a
        copy of it for others (where ``share_name`` is true of everyone whose name, or the
        initials standing in for it, may be shown)."""
        if self.shared_with is None:
            return person.named_to_others
        return person.id in self.agreed_names

    def __post_init__(self) -> None:
        self._people = {p.id: p for p in self.people}
        self._lived = {p.id: p for p in self.people if p.lived}
        self._stages = {s.id: s for s in self.stages}

    def person(self, person_id: str) -> Person | None:
        return self._people.get(person_id)

    def stage(self, stage_id: str) -> Stage | None:
        return self._stages.get(stage_id)

    @property
    def touchpoints(self) -> tuple[Touchpoint, ...]:
        """Every stage's touchpoints, in the order of the file."""
        found = self._touchpoints
        if found is None:
            found = self._touchpoints = tuple(t for s in self.stages for t in s.touchpoints)
        return found

    def lived_in(self, ids: tuple[str, ...]) -> list[Person]:
        """The people with lived experience among ``ids`` (a list of the caller's own)."""
        return list(self.lived_among(ids))

    def lived_among(self, ids: tuple[str, ...]) -> tuple[Person, ...]:
        """``lived_in(ids)`` as a tuple, kept for each list of ids: no copy is made for
        the caller, as nothing can change it (the review asks 150,000 times on a plan of
        10,000 stages, mostly whether there is anyone at all)."""
        lived = self._lived
        if ids.__class__ is not tuple:  # (a key kept must never change)
            return tuple([lived[i] for i in ids if i in lived])
        found = self._lived_of.get(ids)
        if found is None:
            found = self._lived_of[ids] = tuple([lived[i] for i in ids if i in lived])
        return found

    @property
    def file_name(self) -> str:
        return str(self.path) if self.path else "<plan>"
