"""What an exporter is: the one contract between coplan's domain and everything that exports.

An exporter is a plain object (``Exporter``): a name, a one-line description, the formats it
writes (each with a file suffix, a media type and whether it is binary), the audiences it
can write for, its options declared as data (name, kind, default, help, choices), and a
function ``run(plan, schedule, options) -> bytes``.  It never writes a file, reads the
environment or keeps anything between runs by itself: the caller decides where the bytes
go, when the export is made (``Options.when``) and where any state lives (``StateSpec``).

Because the options are data, the command line builds ``coplan export NAME`` from them in
one place (``cli_export.py``) and the app builds its export dialog from them
(``tui/screens/export.py``), for coplan's own exporters and a plugin's alike; plugins hand
their exporters over through the ``coplan_exporters`` hook (``coplan.plugins``).

Every export goes through ``run_export``, the single choke point (see its docstring).

Nothing here imports anything heavy, so building the command line stays fast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from coplan.records import dataclass

if TYPE_CHECKING:
    from coplan.model import Plan
    from coplan.review.engine import Registry
    from coplan.review.runner import Report
    from coplan.schedule import Schedule

OptionKind = Literal["flag", "text", "choice", "list", "date", "datetime", "folder"]
"""What an option holds, and so how it is asked for: ``flag`` a yes or no (a command-line
switch, a checkbox); ``text``; ``choice`` one of ``choices``; ``list`` several words
(comma-separated on the command line; ``choices`` are what the app offers, and the exporter
checks the words itself); ``date`` (YYYY-MM-DD); ``datetime`` (ISO, UTC unless it says);
``folder`` an existing folder."""

AUDIENCES: dict[str, str] = {
    "team": "The whole team",
    "lived-experience": "People with lived experience",
    "leads": "Leads",
}
"""Who an export can be for, in the words the app shows.  An exporter names the ones it
supports (``Exporter.audiences``); one that also writes a single person's own view
(``per_person``) takes that person's id as its audience."""


class ExportError(Exception):
    """Something the person asking can put right: an option, the plan, a missing program.

    ``option`` names the option the message is about (the command line shows
    ``--NAME: message``); ``about_plan`` says the plan is what needs changing (the command
    line puts the plan's path first); ``usage`` that the request is (exit status 64).
    Anything else an exporter raises is a bug."""

    def __init__(self, message: str, *, option: str = "", about_plan: bool = False,
                 usage: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.option = option
        self.about_plan = about_plan
        # How the export was asked for is wrong (an option's value, an audience that is
        # not there), rather than the plan: the command line exits 64, not 2.
        self.usage = usage


@dataclass(frozen=True, slots=True)
class Format:
    """One kind of file an exporter writes."""

    name: str
    """How people ask for it: ``md``, ``docx``, ``ics``."""
    suffix: str
    """The file suffix it is written with, with its dot: ``.docx``."""
    media_type: str
    """Its MIME type, for anything that serves or attaches the file."""
    binary: bool = False
    """True if it is not UTF-8 text, so it cannot be printed on the screen."""
    title: str = ""
    """Its short name in sentences ("Markdown", "Word"); default: ``name`` in capitals."""
    label: str = ""
    """What the app lists ("Word (.docx)"); default: the title and the suffix."""
    aliases: tuple[str, ...] = ()
    """Other suffixes that mean this format (``.htm`` for ``.html``)."""
    needs: Callable[[], str | None] | None = field(default=None, compare=False)
    """A check that it can be made on this computer: None if it can, else what to do
    (PDF needs LibreOffice).  Asked before any work is done."""

    @property
    def suffixes(self) -> tuple[str, ...]:
        return (self.suffix, *self.aliases)

    @property
    def shown_title(self) -> str:
        return self.title or self.name.upper()

    @property
    def shown_label(self) -> str:
        return self.label or f"{self.shown_title} ({self.suffix})"

    def unavailable(self) -> str | None:
        """None if this format can be made here, else a plain message saying what to do."""
        return self.needs() if self.needs is not None else None


@dataclass(frozen=True, slots=True)
class Option:
    """One of an exporter's own options, declared as data so that the command line and the
    app can both ask for it (the command line as ``--NAME``, underscores as hyphens)."""

    name: str
    kind: OptionKind
    help: str
    """What it does, in a sentence (command-line help; the app shows it under the field).
    A flag that is on by default is offered on the command line as ``--no-NAME``, so its
    help says what turning it off does."""
    default: object = None
    choices: tuple[str, ...] = ()
    label: str = ""
    """The app's label for the field; default: the help."""
    metavar: str = ""
    cli_only: bool = False
    """True for options that only make sense on the command line (a fixed time stamp for
    reproducible builds): the app does not offer them."""

    @property
    def cli_name(self) -> str:
        return self.name.replace("_", "-")

    @property
    def shown_label(self) -> str:
        return self.label or self.help

    def parse(self, text: str) -> object:
        """The typed value of what a person typed (on the command line or in the app);
        empty text means "not given" (None).  Raises ``ExportError`` in plain words."""
        text = text.strip()
        if self.kind == "flag":
            lowered = text.lower()
            if lowered in ("yes", "y", "true", "on", "1"):
                return True
            if lowered in ("no", "n", "false", "off", "0"):
                return False
            raise ExportError(f"'{text}' is not yes or no", option=self.name, usage=True)
        if not text:
            return None
        if self.kind == "list":
            return tuple(word.strip() for word in text.split(",") if word.strip())
        if self.kind == "date":
            try:
                return date.fromisoformat(text)
            except ValueError:
                from coplan.schema import date_trouble

                why, fix = date_trouble(text) or ("", "write it as YYYY-MM-DD, such as "
                                                  "2027-01-11")
                raise ExportError(f"'{text}' is not a date{': ' + why if why else ''}; {fix}",
                                  option=self.name, usage=True) from None
        if self.kind == "datetime":
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise ExportError(f"'{text}' is not a date and time; write it as "
                                  "2027-01-11T09:00:00Z", option=self.name, usage=True) from None
            return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        if self.kind == "folder":
            folder = Path(text).expanduser()
            if not folder.is_dir():
                raise ExportError(f"{folder} is not a folder", option=self.name, usage=True)
            return folder
        return self.check(text)

    def check(self, value: object) -> object:
        """``value`` if it is one this option can hold (None means "not given")."""
        if value is None:
            return None
        expected: dict[str, type | tuple[type, ...]] = {
            "flag": bool, "text": str, "choice": str, "list": tuple, "date": date,
            "datetime": datetime, "folder": Path}
        if not isinstance(value, expected[self.kind]) or (
                self.kind == "date" and isinstance(value, datetime)):
            raise TypeError(f"option '{self.name}' holds a {self.kind}, not "
                            f"{type(value).__name__} {value!r}")
        if self.kind == "choice" and self.choices and value not in self.choices:
            raise ExportError(f"'{value}' is not one of {', '.join(self.choices)}",
                              option=self.name, usage=True)
        return value


class ExportState(Protocol):
    """What an exporter keeps between exports, as the caller saves it."""

    def dumps(self) -> str: ...


@dataclass(frozen=True, slots=True)
class StateSpec:
    """An exporter that keeps something between exports (the calendar keeps each event's
    SEQUENCE, so calendar programs see a moved event as an update).

    Exporters never touch files: the caller reads the text saved last time (by default
    ``.PLAN.NAME-state.json`` beside the plan), passes ``load(text)`` in ``Options.state``,
    and after a successful export saves ``state.dumps()``."""

    load: Callable[[str | None], ExportState] = field(compare=False)
    """The state from the text saved last time (None: nothing saved, or unreadable)."""
    what: str
    """What it keeps, for help: "event sequences"."""
    without: str
    """What an export without it means: "every SEQUENCE is 0"."""
    lost: str
    """What it costs when it could not be saved: "SEQUENCE numbers will not rise next time"."""


@dataclass(frozen=True, slots=True)
class Options:
    """One export as asked for, and what the caller hands over with it.

    ``run_export`` gives the exporter a copy with the format settled and every declared
    option present (its default where it was not given)."""

    format: str = ""
    """The name of one of the exporter's formats; empty: its first."""
    audience: str = "team"
    """Who it is for: one of ``Exporter.audiences``, or a person's id where the exporter
    writes one person's view.  What a person may see is decided by this (issue 13)."""
    values: Mapping[str, object] = field(default_factory=dict)
    """The exporter's own options by name, typed (see ``Option.parse``)."""
    when: datetime | None = None
    """The moment of the export (a calendar's DTSTAMP, a document's date): the caller
    passes SOURCE_DATE_EPOCH for reproducible builds; None means now."""
    today: date | None = None
    """The day the export is written as of: what has happened by then (each session as
    the delivery record has it, a report's "as things stood on") and the protocol's date.
    The caller passes ``--today`` (the app: its day), and the schedule dated as of the same
    day.  ``run_export`` settles it: the exporter's own ``today`` option where it has one
    and it was given, else this, else the date of ``when``, else the day the schedule was
    dated as of, else the day every command takes (``coplan.clock``)."""
    state: Any = None
    """What the exporter keeps between exports (see ``StateSpec``), or None."""
    report: Report | None = None
    """The review already made of this plan (the app's live review), if there is one."""
    rules: Registry | Callable[[], Registry] | None = field(default=None, compare=False)
    """The rules to review with when a report is needed and none was given (or a function
    that gathers them, so they are gathered only when needed); None: coplan's own."""
    source: tuple[Plan, Schedule] | None = field(default=None, compare=False, repr=False)
    """The plan itself and its schedule, when the exporter is given the copy made for its
    audience: the review is made of the plan, then shared (``review``).  ``run_export``
    hands it to coplan's own exporters only (the reports' sums and the protocol's counts
    come from it); another's is given ``reviewer`` instead, so that what others may not
    read is in nothing it is given."""
    reviewer: Callable[[], Report] | None = field(default=None, compare=False, repr=False)
    """The review of the plan itself, made when first asked for (``review``), where the
    exporter is not given ``source``."""
    notes: list[str] = field(default_factory=list, compare=False)
    """Lines the exporter adds for the person (the protocol's count of open gaps); the
    command line prints them after "Wrote FILE", the app shows them."""

    def __getitem__(self, name: str) -> object:
        return self.values.get(name)

    def flag(self, name: str) -> bool:
        return bool(self.values.get(name))

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if isinstance(value, str) else None

    def date(self, name: str) -> date | None:
        value = self.values.get(name)
        return value if isinstance(value, date) and not isinstance(value, datetime) else None

    def moment(self, name: str) -> datetime | None:
        value = self.values.get(name)
        return value if isinstance(value, datetime) else None

    def items(self, name: str) -> tuple[str, ...]:
        value = self.values.get(name)
        return tuple(str(v) for v in value) if isinstance(value, tuple | list) else ()

    def folder(self, name: str) -> Path | None:
        value = self.values.get(name)
        return value if isinstance(value, Path) else None

    def note(self, line: str) -> None:
        self.notes.append(line)

    def review(self, plan: Plan, schedule: Schedule | None) -> Report:
        """The review of ``plan``: the one handed over, else made now with ``rules``.

        Given the copy of a plan made for an audience, the review is of the plan itself
        (a copy without people's needs would be judged wrongly), told as that audience
        may read it."""
        report = self.report
        if report is None and self.source is None and self.reviewer is not None:
            report = self.reviewer()
        if report is None:
            source, source_schedule = self.source or (plan, schedule)
            report = _review_of(self.rules, source, source_schedule)
        if plan.shared_with is not None:
            from coplan.sharing import shared_report

            report = shared_report(report, plan, self.source[0] if self.source else None)
        return report


def _review_of(rules: Registry | Callable[[], Registry] | None, plan: Plan,
               schedule: Schedule | None) -> Report:
    """The review of ``plan`` with ``rules`` (see ``Options.rules``)."""
    from coplan.review.runner import review

    registry = rules() if callable(rules) else rules
    if registry is None:
        from coplan.review.rules import builtin_rules

        registry = builtin_rules()
    return review(plan, schedule, registry=registry)


class _Reviewer:
    """The review of a plan, made once when first asked for (``Options.reviewer``)."""

    __slots__ = ("_args", "_made")

    def __init__(self, rules: Registry | Callable[[], Registry] | None, plan: Plan,
                 schedule: Schedule) -> None:
        self._args: tuple[Any, ...] | None = (rules, plan, schedule)
        self._made: Report | None = None

    def __call__(self) -> Report:
        if self._made is None:
            assert self._args is not None
            self._made = _review_of(*self._args)
            self._args = None  # (the plan itself is not kept once it is reviewed)
        return self._made


Run = Callable[["Plan", "Schedule", Options], bytes]



FOR_OTHERS_NOTE = ("Names appear only for people who agreed to share them; access needs and "
                   "contact details never appear.")
"""What every document for others shows of people, as the app's export dialog says it."""

@dataclass(frozen=True, slots=True)
class Exporter:
    """A way to turn a plan into a file for other people or other programs."""

    name: str
    """``coplan export NAME``: lower case, hyphens between words."""
    description: str
    """One line: what it makes and for whom (the first line of its help)."""
    formats: tuple[Format, ...]
    """What it writes; the first is the default."""
    run: Run = field(compare=False)
    """``run(plan, schedule, options) -> bytes``: the file's content.  Raise
    ``ExportError`` for anything the person can put right."""
    audiences: tuple[str, ...] = ("team",)
    """Who it can write for (names from ``AUDIENCES``); the first is the default."""
    per_person: bool = False
    """True if it can also write one person's own view (the audience is their id)."""
    for_them_alone: bool = False
    """True if a person's own view is a document for that person alone (a contributor's
    pack): their copy of the plan keeps their own name, role and needs.  Without it, a
    person's view is written as if it could be passed on (a calendar is forwarded), and
    names nobody who has not agreed, themselves included."""
    names_nobody: tuple[str, ...] = ()
    """The audiences for which it counts people and names none (GRIPP2; the impact and
    progress reports for leads): its copy of the plan hides everyone, those who share their
    name too, and the team's words say who someone is instead ("a carer")."""
    shows_people: str = ""
    """What it shows of people, in the words the app's export dialog says before anything
    is written, where that is not the rule of every document for others
    (``FOR_OTHERS_NOTE``): a list for the finance office names everyone it pays."""
    options: tuple[Option, ...] = ()
    state: StateSpec | None = None
    title: str = ""
    """Its name in menus ("A meeting calendar"); default: the description."""
    help: str = ""
    """The longer text of ``coplan export NAME --help``; default: the description."""
    suggested_format: str = ""
    """The format the app offers first when it is not the first format (the protocol is
    printed as Markdown, but a team saving a file usually wants Word)."""
    reads: Mapping[str, tuple[str, ...]] | None = field(default=None, compare=False)
    """What ``run`` reads of the plan it is given, for each table of the plan it reads
    (a class of ``coplan.model`` by name): ``{"Project": ("title",), "Stage": ("id",
    "title")}`` (``sharing.Reads``).  Then it is given the narrow copy for its audience:
    the same copy for others, of those fields alone, every other field left empty (never
    the value written), so that reading a field it did not declare gives nothing rather
    than something private, and the copy costs a fraction of the whole.  None (the
    default): the whole copy.  A run that schedules the plan it is given again reads
    what the scheduler reads: it is given the whole copy when its ``slow_down`` option is
    off (``schedule_for``)."""

    @property
    def shown_title(self) -> str:
        return self.title or self.description

    @property
    def chooses_audience(self) -> bool:
        """Whether there is an audience to choose."""
        return len(self.audiences) > 1 or self.per_person

    def format(self, name: str) -> Format | None:
        return next((f for f in self.formats if f.name == name), None)

    def format_for(self, path: Path | None, name: str | None = None) -> Format:
        """The format asked for by name, else the one ``path``'s suffix implies, else the
        first."""
        if name:
            found = self.format(name)
            if found is None:
                raise ExportError(f"'{name}' is not a format {self.name} writes; use "
                                  f"{', '.join(f.name for f in self.formats)}", option="format",
                                  usage=True)
            return found
        suffix = path.suffix.lower() if path is not None else ""
        if not suffix:
            return self.formats[0]
        for candidate in self.formats:
            if suffix in candidate.suffixes:
                return candidate
        # A suffix that names no format this exporter writes: never write one format under
        # another's name (a "report.rtf" that is really Markdown).
        known = ", ".join(s for f in self.formats for s in f.suffixes)
        choose = (f", or choose one with --format ({', '.join(f.name for f in self.formats)})"
                  if len(self.formats) > 1 else "")
        raise ExportError(f"{path.name if path else suffix}: coplan export {self.name} does not "
                          f"write '{suffix}' files; name the file with {known}{choose}",
                          usage=True)

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)

    def defaults(self) -> dict[str, object]:
        return {o.name: o.default for o in self.options}

    def people_note(self, audience: str) -> str:
        """What the document written for ``audience`` shows of people, said before it is
        written: a person's own pack holds their own details, a finance list names
        everyone, anything else follows the rule of documents for others.  A dialog that
        said "names appear only for people who agreed" above a list that names everyone
        had a lead send it on."""
        if self.shows_people:
            return self.shows_people
        if self.per_person and self.for_them_alone and audience not in self.audiences:
            return ("A document for this person alone: it holds their own name, role, needs "
                    "and pay, and nothing about anyone else. Give it only to them.")
        return FOR_OTHERS_NOTE

    def audience_hint(self) -> str:
        """How to write an audience this exporter takes."""
        words = ", ".join(self.audiences)
        return f"{words} or a person's id" if self.per_person else words


class Exporters:
    """Exporters by name, in the order they were added, each with where it came from."""

    def __init__(self) -> None:
        self._by_name: dict[str, Exporter] = {}
        self._origin: dict[str, str] = {}

    def add(self, exporter: Exporter, origin: str = "builtin") -> None:
        if exporter.name in self._by_name:
            raise ValueError(f"two exporters are called '{exporter.name}'")
        self._by_name[exporter.name] = exporter
        self._origin[exporter.name] = origin

    def get(self, name: str) -> Exporter | None:
        return self._by_name.get(name)

    def origin(self, name: str) -> str:
        """The plugin that added it (``builtin`` for coplan's own)."""
        return self._origin.get(name, "")

    def names(self) -> list[str]:
        return list(self._by_name)

    def __iter__(self) -> Iterator[Exporter]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name


def check_audience(exporter: Exporter, plan: Plan, audience: str) -> None:
    """Refuse an audience the exporter does not write for (or, for a person's own view,
    an id that is nobody in the plan), suggesting the nearest."""
    if audience in exporter.audiences:
        return
    if exporter.per_person and plan.person(audience) is not None:
        return
    from coplan.errors import suggest

    known = [*exporter.audiences, *(p.id for p in plan.people if exporter.per_person)]
    hint = suggest(audience, known) or f"use {exporter.audience_hint()}"
    raise ExportError(f"'{audience}' is not an audience: {hint}", about_plan=True, usage=True)


def run_export(exporter: Exporter, plan: Plan, schedule: Schedule, options: Options) -> bytes:
    """Make one export: the single choke point every export goes through, from the command
    line, the app, the protocol preview and plugins alike.

    Here, and only here, the request is settled before the exporter sees it: the format
    (the first, if none was named), the audience (one the exporter declares, or a person
    in the plan for a per-person view), and every declared option (checked, with defaults
    filled in; an option the exporter does not declare is a bug in the caller).  The result
    must be bytes.

    The exporter is given the copy of the plan (and of its schedule) made for the audience
    (``sharing.for_audience``), never the plan itself: what others may not read is not in
    what it is given, so no exporter, a plugin's included, can write it (only coplan's
    own are given the plan itself too, ``Options.source``, for sums and counts).  An
    exporter that declares what it reads (``Exporter.reads``) is given the narrow copy:
    only those fields, made the same way.  Its schedule's
    sessions are as the delivery record says as of the export's day (``Options.today``,
    settled here; ``delivery.as_recorded``): a session moved is on its new day, one
    cancelled says so.  Callers must never call ``exporter.run`` directly.
    """
    fmt = exporter.format_for(None, options.format or None)
    check_audience(exporter, plan, options.audience)
    values: dict[str, object] = {}
    for option in exporter.options:
        given = options.values.get(option.name)
        values[option.name] = option.check(option.default if given is None else given)
    unknown = set(options.values) - set(values)
    if unknown:
        raise TypeError(f"exporter '{exporter.name}' has no option {', '.join(sorted(unknown))}")
    from coplan.recorded import as_recorded
    from coplan.sharing import for_audience

    day = export_day(options, values, schedule)
    # (the narrow copy where the exporter says what it reads, but for a plan it will
    # schedule again: the scheduler reads most of a plan)
    reads = None if values.get("slow_down") is False else exporter.reads
    shared, shared_schedule = for_audience(
        plan, schedule, options.audience, own=exporter.for_them_alone,
        anonymous=options.audience in exporter.names_nobody, reads=reads)
    shared_schedule = as_recorded(shared_schedule, day)
    # (the plan itself goes to coplan's own exporters only; another's can ask for its
    # review, never read it)
    own = _coplans_own(exporter)
    resolved = replace(options, format=fmt.name, values=values, today=day,
                       source=(plan, schedule) if own else None,
                       reviewer=None if own else _Reviewer(options.rules, plan, schedule))
    data = exporter.run(shared, shared_schedule, resolved)
    if not isinstance(data, bytes):
        raise TypeError(f"exporter '{exporter.name}' returned {type(data).__name__}, not bytes")
    return data


_OWN: list[Exporter] = []
"""coplan's own exporters (``coplan.export.exporters.BUILTIN``, which puts them here): the
only ones given the plan itself (``Options.source``)."""


def _mark_coplans_own(exporters: tuple[Exporter, ...]) -> None:
    _OWN.extend(exporters)


def _coplans_own(exporter: Exporter) -> bool:
    """Whether ``exporter`` is one of coplan's own (the very object, not one like it)."""
    return any(exporter is own for own in _OWN)


def export_day(options: Options, values: Mapping[str, object], schedule: Schedule) -> date:
    """The day an export is written as of (see ``Options.today``)."""
    asked = values.get("today")
    if isinstance(asked, date) and not isinstance(asked, datetime):
        return asked
    if options.today is not None:
        return options.today
    if options.when is not None:
        return options.when.date()
    if schedule.as_of is not None:
        return schedule.as_of
    from coplan.clock import today

    return today()


SLOW_DOWN = Option("slow_down", "flag", "Leave out the slow-down buffers.", default=True,
                   label="Include the slow-down buffers")
"""The option of exporters of the schedule: with it off, they are given the plan scheduled
without slow-down time (``schedule_for``)."""


def schedule_for(plan: Plan, schedule: Schedule, options: Options) -> Schedule:
    """The schedule an exporter with the ``SLOW_DOWN`` option should use: the one it was
    given, or the plan scheduled again without slow-down time (its sessions as the record
    says, as the one given has them)."""
    if options.values.get("slow_down", True):
        return schedule
    from coplan.schedule import ScheduleError
    from coplan.schedule import schedule as make_schedule

    try:
        again = make_schedule(plan, slow_down=False, today=schedule.as_of)
    except ScheduleError as exc:
        raise ExportError(str(exc), about_plan=True) from None
    if schedule.recorded is None:
        return again
    from coplan.recorded import as_recorded

    return as_recorded(again, schedule.recorded)
