"""coplan's built-in exporters, as click commands under ``coplan export``.

They are registered through the plugin hook ``coplan_exporters`` (see ``builtin.py``),
exactly as a plugin's exporters are.
"""

from __future__ import annotations

from pathlib import Path

import click

from coplan.cli_common import fail, load, make_schedule, parse_date, write_or_print


@click.command("tjp")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="The .tjp file to write (default: print it).")
@click.option("--no-slow-down", is_flag=True, help="Leave out the slow-down buffers.")
def export_tjp(path: Path, output: Path | None, no_slow_down: bool) -> None:
    """A TaskJuggler 3 project with the same stages, links, holidays and buffers."""
    from coplan.export.tjp import to_tjp

    plan = load(path)
    write_or_print(to_tjp(make_schedule(plan, slow_down=not no_slow_down)), output)


@click.command("ics")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="The .ics file to write (default: print it).")
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

    from coplan.edit import atomic_write
    from coplan.export.ics import CalendarError, ExportOptions, SequenceState, plan_key, to_ics
    from coplan.export.ics import state_path as default_state

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
    state = SequenceState() if no_state else SequenceState.load(where)
    try:
        data = to_ics(sched, options, state)
    except CalendarError as exc:
        fail(f"{path}: {exc}")
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        try:
            atomic_write(output, data.decode("utf-8"))
        except OSError as exc:
            fail(f"{output}: could not write ({exc.strerror})")
        click.echo(f"Wrote {output}", err=True)
    if not no_state:
        try:
            atomic_write(where, state.dumps())
        except OSError:
            click.echo(f"note: could not update {where}; SEQUENCE numbers will not rise next "
                       "time", err=True)


@click.command("csv")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="The .csv file to write (default: print it).")
@click.option("--no-slow-down", is_flag=True, help="Leave out the slow-down buffers.")
def export_csv(path: Path, output: Path | None, no_slow_down: bool) -> None:
    """The schedule as a spreadsheet: one row per stage, buffer, checkpoint and session."""
    from coplan.export.scheduledata import to_csv

    plan = load(path)
    write_or_print(to_csv(make_schedule(plan, slow_down=not no_slow_down)), output)


@click.command("mermaid")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="The file to write (default: print it).")
@click.option("--fenced", is_flag=True, help="Wrap it in a ```mermaid block for Markdown.")
@click.option("--no-slow-down", is_flag=True, help="Leave out the slow-down buffers.")
def export_mermaid(path: Path, output: Path | None, fenced: bool, no_slow_down: bool) -> None:
    """A Mermaid Gantt chart, for Markdown pages on GitHub, GitLab and the like."""
    from coplan.export.mermaid import to_mermaid

    plan = load(path)
    write_or_print(to_mermaid(make_schedule(plan, slow_down=not no_slow_down), fenced=fenced),
                   output)


@click.command("msproject")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="The .xml file to write (default: print it).")
@click.option("--no-slow-down", is_flag=True, help="Leave out the slow-down buffers.")
def export_msproject(path: Path, output: Path | None, no_slow_down: bool) -> None:
    """Microsoft Project XML, which MS Project, ProjectLibre and GanttProject import."""
    from coplan.export.msproject import to_msproject

    plan = load(path)
    write_or_print(to_msproject(make_schedule(plan, slow_down=not no_slow_down)), output)


BUILTIN_EXPORTERS: list[click.Command] = [export_ics, export_tjp, export_csv, export_mermaid,
                                          export_msproject]
