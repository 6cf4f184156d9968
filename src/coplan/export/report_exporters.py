"""The reports on a running project, declared through the exporter contract: GRIPP2, the
impact report, "you said, we did" notes, the progress report and the contributor pack.

Each writes Markdown, HTML or Word, is written as of a day (``--today``, default: the
moment of the export), and re-plans the schedule from what actually happened before it
says anything.  The work is done in ``coplan.export.reports``, imported only when a report
is made.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from coplan.export.contract import Exporter, Format, Option, Options, _mark_coplans_own

if TYPE_CHECKING:
    from coplan.export.reports.common import Context
    from coplan.export.reports.document import Report
    from coplan.model import Plan
    from coplan.schedule import Schedule

FORMATS = (
    Format("md", ".md", "text/markdown", title="Markdown", aliases=(".markdown",)),
    Format("html", ".html", "text/html", title="HTML", label="Web page (.html)",
           aliases=(".htm",)),
    Format("docx", ".docx",
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           binary=True, title="Word"),
)

TODAY = Option("today", "date", "Write it as things stood on this date (default: today).",
               metavar="DATE", label="As things stood on (YYYY-MM-DD; empty: today)")
def _context(plan: Plan, schedule: Schedule, options: Options) -> Context:
    from coplan.export.reports.common import context

    # (``run_export`` settles the day: ``Options.today``)
    today = options.date("today") or options.today or \
        (options.when.date() if options.when else date.today())
    return context(plan, schedule, today, options.audience, options.source)


def _render(report: Report, options: Options) -> bytes:
    from coplan.export.reports.render import render

    gaps = len(report.gaps)
    options.note(f"{gaps} thing{'s' if gaps != 1 else ''} not recorded yet" if gaps else
                 "the record answers every part of this report")
    return render(report, options.format)


def _gripp2(plan: Plan, schedule: Schedule, options: Options) -> bytes:
    from coplan.export.reports.gripp2 import gripp2

    return _render(gripp2(_context(plan, schedule, options), options.text("form") or "short"),
                   options)


def _impact(plan: Plan, schedule: Schedule, options: Options) -> bytes:
    from coplan.export.reports.impact import impact

    return _render(impact(_context(plan, schedule, options)), options)


def _feedback(plan: Plan, schedule: Schedule, options: Options) -> bytes:
    from coplan.export.reports.feedback import feedback

    return _render(feedback(_context(plan, schedule, options)), options)


def _progress(plan: Plan, schedule: Schedule, options: Options) -> bytes:
    from coplan.export.reports.progress import progress

    return _render(progress(_context(plan, schedule, options)), options)


def _pack(plan: Plan, schedule: Schedule, options: Options) -> bytes:
    from coplan.export.reports.pack import pack

    return _render(pack(_context(plan, schedule, options)), options)


GRIPP2 = Exporter(
    name="gripp2",
    title="GRIPP2 report of involvement",
    description="The GRIPP2 short or long form, filled from the delivery record, saying "
                "plainly what is not recorded yet.",
    help="The GRIPP2 reporting checklist for involvement (short form: aim, methods, "
         "results, discussion, reflections; long form adds the definition, theory, capture "
         "of impact, costs and conclusions), filled from the plan and what actually "
         "happened. People are counted, never named. Items the record cannot answer say "
         "\"Not recorded yet\".",
    formats=FORMATS,
    audiences=("team", "leads"),
    names_nobody=("team", "leads"),
    options=(Option("form", "choice", "Which GRIPP2 form.", default="short",
                    choices=("short", "long"), label="Short or long form"), TODAY),
    run=_gripp2,
)

IMPACT = Exporter(
    name="impact",
    title="Impact report",
    description="What involvement changed, from the impact log, in the shape of PIRIT's "
                "tracking log.",
    help="An impact report in the shape of PIRIT's tracking log: for each entry of the "
         "impact log, when and how people contributed, what they hoped to influence, the "
         "decision it fed, what changed, why it matters and the UK Standard for Public "
         "Involvement, with both sides' views. For leads, people are counted, not named.",
    formats=FORMATS,
    audiences=("team", "leads", "lived-experience"),
    names_nobody=("leads",),
    options=(TODAY,),
    run=_impact,
)

FEEDBACK = Exporter(
    name="feedback",
    title="\"You said, we did\" note",
    description="A \"you said, we did\" note in plain words, for the group or for one "
                "person (--person ID).",
    help="What people said at each session held, what was done about it and when they "
         "were told, in plain words. For the group, every session; for one person "
         "(--person ID), only the sessions they came to.",
    formats=FORMATS,
    audiences=("lived-experience", "team"),
    per_person=True,
    options=(TODAY,),
    run=_feedback,
)

PROGRESS = Exporter(
    name="progress",
    title="Progress report",
    description="For leads and funders: stages against the baseline, the finish, costs "
                "against the budget, and what is overdue.",
    help="The progress report: each stage against the saved baseline (slippage), the "
         "finish against the baseline and the date the project must finish by, costs worked "
         "out from the plan against the budget, what has been paid and is owed, and what is "
         "overdue. For leads and funders it names no one.",
    formats=FORMATS,
    audiences=("leads", "team"),
    names_nobody=("leads",),
    options=(TODAY,),
    run=_progress,
)

PACK = Exporter(
    name="contributor-pack",
    title="Contributor pack",
    description="One person's own easy-read pack (--person ID): their role, dates, pay, who "
                "to call, how to stop, and what happened with what they said; for the group, "
                "what everyone taking part should know.",
    help="An easy-read page for one person with lived experience (--person ID): their role, "
         "their next dates, their pay and how to claim it, who to call, how to take a break "
         "or stop, and what happened with what they said. It holds their own details and "
         "nothing about anyone else. For the group (--audience lived-experience), what "
         "everyone taking part should know: pay and how to claim, who to call, and how to "
         "take a break or stop.",
    formats=FORMATS,
    audiences=("lived-experience",),
    per_person=True,
    for_them_alone=True,
    options=(TODAY,),
    suggested_format="html",
    run=_pack,
)

REPORTS: tuple[Exporter, ...] = (GRIPP2, IMPACT, FEEDBACK, PROGRESS, PACK)
"""The reports, in the order the command line and the app list them."""

# Marked as coplan's own here as well as with the others (``exporters.BUILTIN``): a caller
# that takes a report from this module alone (a test, a script) has it given the plan
# itself, so its figures (costs, what is owed) are those of ``coplan budget`` and
# ``coplan status``, not worked out from the copy for its audience, which leaves needs out.
_mark_coplans_own(REPORTS)
