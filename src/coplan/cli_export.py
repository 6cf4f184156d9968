"""coplan's built-in exporters, as click commands under ``coplan export``.

They are registered through the plugin hook ``coplan_exporters`` (see ``builtin.py``),
exactly as a plugin's exporters are.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from coplan.cli_common import (
    fail,
    load,
    make_schedule,
    parse_date,
    refuse_input_as_output,
    to_stdout,
    write_or_print,
)

F = TypeVar("F", bound=Callable[..., Any])


def schedule_export(suffix: str) -> Callable[[F], F]:
    """The arguments every schedule exporter takes: the plan, where to write, and whether
    to leave out the slow-down buffers."""

    def decorate(command: F) -> F:
        command = click.option("--no-slow-down", is_flag=True,
                               help="Leave out the slow-down buffers.")(command)
        command = click.option("--output", "-o", type=click.Path(path_type=Path),
                               help=f"The {suffix} file to write (default, or -: print "
                                    "it).")(command)
        return click.argument("path", type=click.Path(path_type=Path))(command)

    return decorate


@click.command("tjp")
@schedule_export(".tjp")
def export_tjp(path: Path, output: Path | None, no_slow_down: bool) -> None:
    """A TaskJuggler 3 project with the same stages, links, holidays and buffers."""
    from coplan.export.tjp import to_tjp

    plan = load(path)
    write_or_print(to_tjp(make_schedule(plan, slow_down=not no_slow_down)), output)


@click.command("ics")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="The .ics file to write (default, or -: print it).")
@click.option("--audience", default="team", show_default=True,
              help="team, lived-experience, leads, or a person's id (only what they attend).")
@click.option("--include", default="sessions,checkpoints,meetings,milestones",
              show_default=True,
              help="Comma-separated: sessions, checkpoints, meetings, milestones, buffers.")
@click.option("--from", "first", metavar="DATE", help="Leave out anything before this date.")
@click.option("--to", "last", metavar="DATE", help="Leave out anything after this date.")
@click.option("--stamp", metavar="DATETIME",
              help="The DTSTAMP to write (ISO date and time); default: SOURCE_DATE_EPOCH, "
                   "or now.")
@click.option("--state", "state_file", type=click.Path(path_type=Path),
              help="Where to keep event sequences (default: .PLAN.ics-state.json beside "
                   "the plan).")
@click.option("--no-state", is_flag=True,
              help="Do not read or update the state file (every SEQUENCE is 0).")
def export_ics(path: Path, output: Path | None, audience: str, include: str,
               first: str | None, last: str | None, stamp: str | None,
               state_file: Path | None, no_state: bool) -> None:
    """A meeting calendar (iCalendar) for the team, people with lived experience, leads or
    one person: sessions, reflection checkpoints, standing meetings and milestones."""
    import os
    from datetime import UTC, datetime

    from coplan.export.ics import CalendarError, ExportOptions, SequenceState, plan_key, to_ics
    from coplan.export.ics import state_path as default_state
    from coplan.fileio import write_text

    if stamp:
        try:
            moment = datetime.fromisoformat(stamp)
        except ValueError:
            fail(f"--stamp: '{stamp}' is not a date and time; write it as "
                  "2027-01-11T09:00:00Z")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    elif os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        moment = datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), UTC)
    else:
        moment = datetime.now(UTC)
    plan = load(path)
    sched = make_schedule(plan)
    options = ExportOptions(audience=audience,
                            include=tuple(k.strip() for k in include.split(",") if k.strip()),
                            start=parse_date(first, "--from"), end=parse_date(last, "--to"),
                            stamp=moment, plan_key=plan_key(plan))
    where = state_file or default_state(path)
    if not no_state:
        refuse_input_as_output(where, "--state")
    state = SequenceState() if no_state else SequenceState.load(where)
    try:
        data = to_ics(sched, options, state)
    except CalendarError as exc:
        fail(f"{path}: {exc}")
    write_or_print(data.decode("utf-8"), output)
    if not no_state:
        try:
            write_text(where, state.dumps())
        except OSError:
            click.echo(f"note: could not update {where}; SEQUENCE numbers will not rise next "
                       "time", err=True)


@click.command("csv")
@schedule_export(".csv")
def export_csv(path: Path, output: Path | None, no_slow_down: bool) -> None:
    """The schedule as a spreadsheet: one row per stage, buffer, checkpoint and session."""
    from coplan.export.scheduledata import to_csv

    plan = load(path)
    write_or_print(to_csv(make_schedule(plan, slow_down=not no_slow_down)), output)


@click.command("mermaid")
@schedule_export(".mmd")
@click.option("--fenced", is_flag=True, help="Wrap it in a ```mermaid block for Markdown.")
def export_mermaid(path: Path, output: Path | None, fenced: bool, no_slow_down: bool) -> None:
    """A Mermaid Gantt chart, for Markdown pages on GitHub, GitLab and the like."""
    from coplan.export.mermaid import to_mermaid

    plan = load(path)
    write_or_print(to_mermaid(make_schedule(plan, slow_down=not no_slow_down), fenced=fenced),
                   output)


@click.command("msproject")
@schedule_export(".xml")
def export_msproject(path: Path, output: Path | None, no_slow_down: bool) -> None:
    """Microsoft Project XML, which MS Project, ProjectLibre and GanttProject import."""
    from coplan.export.msproject import to_msproject

    plan = load(path)
    write_or_print(to_msproject(make_schedule(plan, slow_down=not no_slow_down)), output)


@click.command("protocol")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="The file to write; its suffix (.md, .html, .docx, .odt, .pdf) picks the "
                   "format. Without it, Markdown or HTML is printed.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "docx", "odt", "pdf"]),
              help="The format (default: from the output file's suffix, else md).")
@click.option("--plain", is_flag=True,
              help="Plainer words: shorter sentences, no abbreviations, key terms explained.")
@click.option("--template", "template_dir", type=click.Path(path_type=Path),
              help="A folder with your own protocol.md.j2, protocol.html.j2 or protocol.css "
                   "(anything missing comes from coplan's own).")
def export_protocol(path: Path, output: Path | None, fmt: str | None, plain: bool,
                    template_dir: Path | None) -> None:
    """The co-produced co-production protocol: purpose, people, roles, the stage-by-stage
    plan, timeline, access, support, payment, feedback, impact and sign-off, with every
    part the plan does not answer yet shown as "To agree together" and counted at the top.

    ODT and PDF (tagged, for screen readers) need LibreOffice."""
    import os
    from datetime import UTC, datetime

    from coplan.export.protocol import BINARY, format_for
    from coplan.export.protocol import export_protocol as make_protocol
    from coplan.export.protocol.office import (
        INSTALL_HINT,
        OfficeFailed,
        OfficeMissing,
        find_office,
    )
    from coplan.export.protocol.render_text import TemplateProblem

    chosen = format_for(None if to_stdout(output) else output, fmt)
    if chosen in BINARY and output is None:
        fail(f"a {chosen.upper()} file cannot be printed on the screen; add -o FILE, such "
              f"as -o protocol.{chosen} (or -o - to send it to another program)")
    if chosen in ("odt", "pdf") and find_office() is None:
        fail(INSTALL_HINT)
    if template_dir is not None and not template_dir.is_dir():
        fail(f"--template: {template_dir} is not a folder")
    if template_dir is not None and chosen in BINARY:
        click.echo("note: --template changes the Markdown and HTML protocol only", err=True)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    produced = datetime.fromtimestamp(int(epoch), UTC).date() if epoch.isdigit() else None
    plan = load(path)
    sched = make_schedule(plan)
    try:
        result = make_protocol(plan, sched, chosen, plain=plain, template_dir=template_dir,
                               produced=produced)
    except OfficeMissing as exc:
        fail(str(exc))
    except OfficeFailed as exc:
        fail(f"{path}: could not make the {chosen.upper()} file: {exc}")
    except TemplateProblem as exc:
        fail(f"--template: {exc}")
    write_or_print(result.data, output, what=f"A {chosen.upper()} file")
    if output is not None:
        gaps = len(result.document.gaps)
        click.echo(f"{gaps} open gap{'s' if gaps != 1 else ''}: "
                   + ("things the plan does not answer yet, marked 'To agree together'."
                      if gaps else "the plan answers every part of the protocol."), err=True)


BUILTIN_EXPORTERS: list[click.Command] = [export_ics, export_protocol, export_tjp, export_csv,
                                          export_mermaid, export_msproject]
