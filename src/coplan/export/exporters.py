"""coplan's own exporters, declared through the exporter contract (``contract.py``).

Each is a declaration (formats, audiences, options) and a small ``run`` that calls the pure
function doing the work (``to_ics``, ``export_protocol``, ``to_tjp``, ...), imported only
when it runs: declaring them costs nothing, so ``coplan export --help`` stays fast and a
Mermaid export never loads the calendar or document libraries.

They reach the command line and the app through the ``coplan_exporters`` hook
(``coplan.builtin``), exactly as a plugin's exporters do.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from coplan.export import reads
from coplan.export.contract import (
    SLOW_DOWN,
    Exporter,
    ExportError,
    ExportState,
    Format,
    Option,
    Options,
    StateSpec,
    _mark_coplans_own,
    schedule_for,
)
from coplan.export.report_exporters import FORMATS as REPORT_FORMATS
from coplan.export.report_exporters import REPORTS

if TYPE_CHECKING:
    from coplan.model import Plan
    from coplan.schedule import Schedule

CALENDAR_KINDS = ("sessions", "checkpoints", "meetings", "milestones", "buffers")
"""What a calendar can hold (``coplan.export.ics.KINDS``, named here so that declaring the
calendar does not load the calendar library; a test keeps the two the same)."""


# -- the meeting calendar -----------------------------------------------------------------

def _calendar_state(text: str | None) -> ExportState:
    from coplan.export.ics import SequenceState

    return SequenceState.loads(text)


def _ics(plan: Plan, schedule: Schedule, options: Options) -> bytes:
    from coplan.export.ics import CalendarError, ExportOptions, plan_key, to_ics

    stamp = options.moment("stamp") or options.when or datetime.now(UTC)
    asked = ExportOptions(audience=options.audience, include=options.items("include"),
                          start=options.date("from"), end=options.date("to"), stamp=stamp,
                          plan_key=plan_key(plan))
    try:
        return to_ics(schedule, asked, options.state)
    except CalendarError as exc:
        raise ExportError(str(exc), about_plan=True, usage=exc.usage) from None


ICS = Exporter(
    name="ics",
    title="A meeting calendar",
    description="A meeting calendar (iCalendar) for the team, people with lived experience, "
                "leads or one person: sessions, reflection checkpoints, standing meetings and "
                "milestones.",
    formats=(Format("ics", ".ics", "text/calendar", title="iCalendar",
                    label="Calendar (.ics)"),),
    audiences=("team", "lived-experience", "leads"),
    per_person=True,
    options=(
        Option("include", "list", "Comma-separated: sessions, checkpoints, meetings, "
               "milestones, buffers.", default=CALENDAR_KINDS[:4], choices=CALENDAR_KINDS,
               label="What the calendar holds"),
        Option("from", "date", "Leave out anything before this date.", metavar="DATE",
               label="Leave out anything before (YYYY-MM-DD)"),
        Option("to", "date", "Leave out anything after this date.", metavar="DATE",
               label="Leave out anything after (YYYY-MM-DD)"),
        Option("stamp", "datetime", "The DTSTAMP to write (ISO date and time); default: "
               "SOURCE_DATE_EPOCH, or now.", metavar="DATETIME", cli_only=True),
    ),
    state=StateSpec(load=_calendar_state, what="event sequences",
                    without="every SEQUENCE is 0 but a moved or cancelled session's",
                    lost="SEQUENCE numbers will not rise next time"),
    run=_ics,
)


# -- the co-production protocol -----------------------------------------------------------

def _office_needed() -> str | None:
    from coplan.export.protocol.office import INSTALL_HINT, find_office

    return INSTALL_HINT if find_office() is None else None


def _protocol(plan: Plan, schedule: Schedule, options: Options) -> bytes:
    from coplan.export.protocol import (
        BINARY,
        OfficeFailed,
        OfficeMissing,
        TemplateProblem,
        export_protocol,
    )

    fmt = options.format
    template = options.folder("template")
    if template is not None and fmt in BINARY:
        options.note("note: --template changes the Markdown and HTML protocol only")
    report = options.review(plan, schedule)
    try:
        result = export_protocol(plan, schedule, fmt, report=report,
                                 plain=options.flag("plain"), template_dir=template,
                                 produced=options.today or (
                                     options.when.date() if options.when else None),
                                 source=options.source[0] if options.source else None)
    except OfficeMissing as exc:
        raise ExportError(str(exc)) from None
    except OfficeFailed as exc:
        raise ExportError(f"could not make the {fmt.upper()} file: {exc}",
                          about_plan=True) from None
    except TemplateProblem as exc:
        raise ExportError(str(exc), option="template") from None
    gaps = len(result.document.gaps)
    options.note(f"{gaps} open gap{'s' if gaps != 1 else ''}: "
                 + ("things the plan does not answer yet, marked 'To agree together'."
                    if gaps else "the plan answers every part of the protocol."))
    return result.data.encode("utf-8") if isinstance(result.data, str) else result.data


PROTOCOL = Exporter(
    name="protocol",
    title="The co-production protocol",
    description="The co-produced co-production protocol, with every part the plan does not "
                "answer yet shown as \"To agree together\".",
    help="The co-produced co-production protocol: purpose, people, roles, the stage-by-stage "
         "plan, timeline, access, support, payment, feedback, impact and sign-off, with every "
         "part the plan does not answer yet shown as \"To agree together\" and counted at the "
         "top.\n\nODT and PDF (tagged, for screen readers) need LibreOffice.",
    formats=(
        Format("md", ".md", "text/markdown", title="Markdown", aliases=(".markdown",)),
        Format("html", ".html", "text/html", title="HTML", label="Web page (.html)",
               aliases=(".htm",)),
        Format("docx", ".docx",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               binary=True, title="Word"),
        Format("odt", ".odt", "application/vnd.oasis.opendocument.text", binary=True,
               title="OpenDocument", needs=_office_needed),
        Format("pdf", ".pdf", "application/pdf", binary=True, title="PDF",
               needs=_office_needed),
    ),
    suggested_format="docx",
    options=(
        Option("plain", "flag", "Plainer words: shorter sentences, no abbreviations, key "
               "terms explained.", default=False, label="Plainer words"),
        Option("template", "folder", "A folder with your own protocol.md.j2, "
               "protocol.html.j2 or protocol.css (anything missing comes from coplan's own).",
               label="Your own templates folder (optional)"),
    ),
    run=_protocol,
)


# -- the schedule, for other tools --------------------------------------------------------

def _tjp(plan: Plan, schedule: Schedule, options: Options) -> bytes:
    from coplan.export.tjp import to_tjp

    return to_tjp(schedule_for(plan, schedule, options)).encode("utf-8")


def _csv(plan: Plan, schedule: Schedule, options: Options) -> bytes:
    from coplan.export.scheduledata import to_csv

    text = to_csv(schedule_for(plan, schedule, options))
    return (UTF8_BOM if options.flag("bom") else "").encode("utf-8") + text.encode("utf-8")


UTF8_BOM = "\ufeff"
BOM = Option("bom", "flag", "Start the file with a byte-order mark, so Excel reads accents and "
                            "symbols (Zoë, café, £) as written.", default=False,
             label="For Excel: mark the file as UTF-8")
"""Excel opens a CSV file as the computer's old code page unless the file starts with a
byte-order mark; other spreadsheets and programs read UTF-8 either way, and some scripts
do not expect the mark, so it is asked for."""


def _mermaid(plan: Plan, schedule: Schedule, options: Options) -> bytes:
    from coplan.export.mermaid import to_mermaid

    return to_mermaid(schedule_for(plan, schedule, options),
                      fenced=options.flag("fenced")).encode("utf-8")


def _msproject(plan: Plan, schedule: Schedule, options: Options) -> bytes:
    from coplan.export.msproject import to_msproject

    return to_msproject(schedule_for(plan, schedule, options)).encode("utf-8")


TJP = Exporter(
    name="tjp",
    title="A TaskJuggler project",
    description="A TaskJuggler 3 project with the same stages, links, holidays and buffers.",
    formats=(Format("tjp", ".tjp", "text/plain", title="TaskJuggler"),),
    options=(SLOW_DOWN,),
    run=_tjp,
)

CSV = Exporter(
    name="csv",
    title="The schedule as a spreadsheet",
    description="The schedule as a spreadsheet: one row per stage, buffer, checkpoint and "
                "session.",
    formats=(Format("csv", ".csv", "text/csv", title="CSV", label="Spreadsheet (.csv)"),),
    options=(SLOW_DOWN, BOM),
    run=_csv,
    reads=reads.SCHEDULE,
)

MERMAID = Exporter(
    name="mermaid",
    title="A Mermaid Gantt chart",
    description="A Mermaid Gantt chart, for Markdown pages on GitHub, GitLab and the like.",
    formats=(Format("mermaid", ".mmd", "text/plain", title="Mermaid", aliases=(".mermaid",)),),
    options=(SLOW_DOWN,
             Option("fenced", "flag", "Wrap it in a ```mermaid block for Markdown.",
                    default=False, label="Wrap it in a Markdown block")),
    run=_mermaid,
)

MSPROJECT = Exporter(
    name="msproject",
    title="A Microsoft Project file",
    description="Microsoft Project XML, which MS Project, ProjectLibre and GanttProject "
                "import.",
    formats=(Format("msproject", ".xml", "application/xml", title="MS Project XML"),),
    options=(SLOW_DOWN,),
    run=_msproject,
)

# -- the payments, for a finance office ------------------------------------------------------

def _payments(plan: Plan, schedule: Schedule, options: Options) -> bytes:
    from datetime import date

    from coplan.export.payments import csv_notes, payments, to_csv, to_report
    from coplan.schedule import ScheduleError

    # (coplan's own exporters are given the plan itself: expenses are priced from needs,
    # which a copy for others leaves out; nothing here shows them)
    source = options.source[0] if options.source else plan
    today = options.date("today") or options.today or \
        (options.when.date() if options.when else date.today())
    start, end = options.date("from"), options.date("to")
    if start is not None and end is not None and end < start:
        # (the message names both options, so it is not put after one of them)
        raise ExportError(f"--to ({end:%Y-%m-%d}) is before --from ({start:%Y-%m-%d}): "
                          "give a day on or after it", usage=True)
    try:
        found = payments(source, today, start, end, shown=plan)
    except ScheduleError as exc:
        raise ExportError(str(exc), about_plan=True) from None
    options.note(f"{len(found.paid)} payment{'s' if len(found.paid) != 1 else ''} made, "
                 f"{len(found.owed)} amount{'s' if len(found.owed) != 1 else ''} owed")
    if options.format == "csv":
        for line in csv_notes(found):
            options.note(line)
        return (UTF8_BOM if options.flag("bom") else "").encode("utf-8") + \
            to_csv(found).encode("utf-8")
    from coplan.export.reports.render import render

    return render(to_report(found), options.format)


PAYMENTS = Exporter(
    name="payments",
    title="Payments made and owed",
    description="For the team's finance office: each payment made and each amount owed, "
                "with who, what for, the fee and expenses, how it was paid and when it is "
                "due; never bank details.",
    help="Each payment made (the day, the person, what for, the fee and expenses, how it "
         "was paid, the day it was claimed) and each amount owed (claimed, not claimed yet, "
         "or for a session called off at short notice, with the day it is due by), as "
         "things stood on a day, for a range of days (--from, --to) or all. It names "
         "people, to pay them, so it is for the team alone; it never holds bank details, "
         "payment notes, needs, health or benefits. A spreadsheet (.csv) gets amounts as "
         "numbers it can add up.",
    formats=(Format("csv", ".csv", "text/csv", title="CSV", label="Spreadsheet (.csv)"),
             *REPORT_FORMATS),
    audiences=("team",),
    shows_people="It names everyone it pays, whether or not they agreed to be named, so it "
                 "is for the team and its finance office alone: do not share it further. It "
                 "never holds bank details, notes, needs, health or benefits.",
    options=(
        Option("today", "date", "Write it as things stood on this date (default: today).",
               metavar="DATE", label="As things stood on (YYYY-MM-DD; empty: today)"),
        Option("from", "date", "Leave out payments made, and amounts falling due, before "
               "this date.", metavar="DATE", label="Leave out anything before (YYYY-MM-DD)"),
        Option("to", "date", "Leave out payments made, and amounts falling due, after this "
               "date.", metavar="DATE", label="Leave out anything after (YYYY-MM-DD)"),
        BOM,
    ),
    suggested_format="csv",
    run=_payments,
)

BUILTIN: tuple[Exporter, ...] = (ICS, PROTOCOL, TJP, CSV, MERMAID, MSPROJECT, *REPORTS,
                                 PAYMENTS)
"""coplan's own exporters, in the order the command line and the app list them."""

_mark_coplans_own(BUILTIN)  # (only these are given the plan itself: ``Options.source``)
