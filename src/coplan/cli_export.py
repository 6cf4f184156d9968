"""``coplan export NAME``: one command per exporter, built from its declaration.

This is the one place the command line meets exporters (``coplan.export.contract``),
coplan's own and every plugin's alike.  Each command takes the plan's path and
``-o/--output``; ``--format`` when there is more than one (otherwise the output file's
suffix decides, else the first format); ``--audience`` when there is a choice; one option
per declared option (a flag that is on by default becomes ``--no-NAME``); ``--person ID``
where an exporter writes one person's own view (the same as ``--audience ID``); ``--today``
(the day it is written as of: every export has it, declared or not); and ``--state`` and
``--no-state`` for exporters that keep state between exports.  Every problem is one
plain line on standard error: exit status 64 for an option's value, 2 for the plan.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from coplan.cli_common import (
    complete_audiences,
    complete_people,
    fail,
    leave_without_tidying,
    load,
    make_schedule,
    note_input,
    parse_date,
    plugin_failed,
    refuse_input_as_output,
    stdout_is_terminal,
    to_stdout,
    usage_error,
    write_or_print,
)

if TYPE_CHECKING:
    from coplan.export.contract import Exporter, ExportError, Exporters, Option
    from coplan.review.engine import Registry


def _param(option: Option) -> click.Option:
    """The click option for one declared option (its value arrives as ``opt_NAME``)."""
    dest = f"opt_{option.name}"
    if option.kind == "flag":
        flag = f"--no-{option.cli_name}" if option.default else f"--{option.cli_name}"
        return click.Option([flag, dest], is_flag=True, help=option.help)
    kwargs: dict[str, Any] = {"help": option.help}
    if option.kind == "choice" and option.choices:
        kwargs["type"] = click.Choice(list(option.choices))
    elif option.kind == "folder":
        kwargs["type"] = click.Path()
    if option.metavar:
        kwargs["metavar"] = option.metavar
    if option.default is not None:
        default = option.default
        kwargs["default"] = ",".join(map(str, default)) if isinstance(default, tuple) \
            else str(default)
        kwargs["show_default"] = True
    return click.Option([f"--{option.cli_name}", dest], **kwargs)


def _output_help(exporter: Exporter) -> str:
    if len(exporter.formats) == 1:
        return f"The {exporter.formats[0].suffix} file to write (default: print it)."
    suffixes = ", ".join(f.suffix for f in exporter.formats)
    printable = " or ".join(f.shown_title for f in exporter.formats if not f.binary)
    return (f"The file to write; its suffix ({suffixes}) picks the format. Without it, "
            f"{printable} is printed.")


def command_for(exporter: Exporter, origin: str = "builtin") -> click.Command:
    """The ``coplan export NAME`` command for ``exporter``, which ``origin`` adds (the
    plugin's name, or ``builtin`` for coplan's own)."""
    params: list[click.Parameter] = [
        click.Argument(["path"], type=click.Path(path_type=Path)),
        click.Option(["--output", "-o"], type=click.Path(path_type=Path),
                     help=_output_help(exporter)),
    ]
    if len(exporter.formats) > 1:
        params.append(click.Option(
            ["--format", "fmt"], type=click.Choice([f.name for f in exporter.formats]),
            help="The format (default: from the output file's suffix, else "
                 f"{exporter.formats[0].name})."))
    if exporter.chooses_audience:
        params.append(click.Option(
            ["--audience"], default=exporter.audiences[0], show_default=True,
            help=f"{', '.join(exporter.audiences)}"
                 + (", or a person's id (only what they attend)." if exporter.per_person
                    else "."),
            shell_complete=complete_audiences(exporter.audiences, exporter.per_person)))
        if exporter.per_person:
            params.append(click.Option(
                ["--person"], metavar="ID", shell_complete=complete_people,
                help="One person's own view: their id (the same as --audience ID)."))
    params.extend(_param(option) for option in exporter.options)
    if not any(option.name == "today" for option in exporter.options):
        params.append(click.Option(["--today", "day"], metavar="DATE", help=TODAY_HELP))
    if exporter.state is not None:
        params.append(click.Option(
            ["--state", "state_file"], type=click.Path(path_type=Path),
            help=f"Where to keep {exporter.state.what} (default: .PLAN.{exporter.name}-state"
                 ".json beside the plan)."))
        params.append(click.Option(
            ["--no-state"], is_flag=True,
            help=f"Do not read or update the state file ({exporter.state.without})."))
    return click.Command(exporter.name, params=params, callback=partial(_export, exporter, origin),
                         help=exporter.help or exporter.description)


TODAY_HELP = ("Export the plan as things stood on this date: dated from what actually "
              "happened by then, each session as the delivery record says (YYYY-MM-DD; "
              "default: today).")
"""The help of ``--today`` for an exporter that does not declare a ``today`` option of its
own (the reports do, for the app's export form): every export is written as of a day."""


def _failed(exc: ExportError, path: Path) -> NoReturn:
    if exc.option:
        message = f"--{exc.option.replace('_', '-')}: {exc.message}"
    else:
        message = f"{path}: {exc.message}" if exc.about_plan else exc.message
    if exc.usage:
        usage_error(message)
    fail(message)


def _export(exporter: Exporter, origin: str, path: Path, output: Path | None,
            fmt: str | None = None,
            audience: str | None = None, state_file: Path | None = None,
            no_state: bool = False, person: str | None = None, day: str | None = None,
            **given: Any) -> None:
    from coplan.clock import moment_from_environment, today
    from coplan.export.contract import ExportError, Options, run_export
    from coplan.words import a

    if origin == "builtin":  # (its output goes out through click or fileio; a plugin's
        leave_without_tidying()  # exporter may keep files of its own open: left to Python)
    if person:
        if audience not in (None, exporter.audiences[0], person):
            usage_error(f"--person {person} and --audience {audience} say different things; "
                        "give one of them")
        audience = person
    if output is not None and not to_stdout(output):
        note_input(path)
        refuse_input_as_output(output)  # before anything else is said about the name
    try:
        chosen = exporter.format_for(None if to_stdout(output) else output, fmt)
        if chosen.binary and (output is None or (stdout_is_terminal() and to_stdout(output))):
            usage_error(f"{a(chosen.name.upper())} file cannot be printed on the screen; add "
                        f"-o FILE, such as -o {exporter.name}{chosen.suffix} (or -o - to send "
                        "it to another program through a pipe)")
        missing = chosen.unavailable()
        if missing:
            fail(missing)
        values: dict[str, object] = {}
        for option in exporter.options:
            raw = given.get(f"opt_{option.name}")
            if option.kind == "flag":
                values[option.name] = (not raw) if option.default else bool(raw)
            elif raw is not None:
                values[option.name] = option.parse(str(raw))
    except ExportError as exc:
        _failed(exc, path)
    asked = values.get("today")
    given_day = asked if isinstance(asked, date) else parse_date(day, "--today")
    plan = load(path)
    if person and plan.person(person) is None:
        from coplan.errors import suggest

        hint = suggest(person, [p.id for p in plan.people]) or \
            f"the plan's people are {', '.join(p.id for p in plan.people) or 'none yet'}"
        usage_error(f"--person {person}: nobody in {path.name} has that id; {hint}")
    # Written as things stood on one day (--today, else the day every command takes:
    # clock): the plan dated from what actually happened by then, each session as the
    # delivery record says (``run_export``), a report's "as things stood on".
    on = today(given_day)
    sched = make_schedule(plan, today=on)
    kept = None  # (an exporter that keeps no state has no --state: nothing to read)
    if exporter.state is not None:
        from coplan.exporting import load_state, state_path

        where = None if no_state else state_file or state_path(exporter, path)
        if where is not None:
            refuse_input_as_output(where, "--state")
        kept = load_state(exporter, where)
    options = Options(format=chosen.name, audience=audience or exporter.audiences[0],
                      values=values, when=moment_from_environment(), today=on,
                      state=None if kept is None else kept.state, rules=_all_rules)
    try:
        data = run_export(exporter, plan, sched, options)
    except ExportError as exc:
        _failed(exc, path)
    except Exception as exc:
        if origin == "builtin":
            raise  # coplan's own: a bug in coplan (cli.main)
        plugin_failed(f"The exporter '{exporter.name}'", origin, exc)
    if to_stdout(output):
        write_or_print(data if chosen.binary else data.decode("utf-8"), None,
                       what=f"A {chosen.name.upper()} file")
    else:
        assert output is not None
        write_or_print(data, output)  # says "Wrote FILE"
    for note in options.notes:  # (on stderr: what is printed is the file alone)
        click.echo(note, err=True)
    if kept is None:
        return
    from coplan.exporting import save_state

    try:
        save_state(kept)
    except OSError:
        assert exporter.state is not None
        click.echo(f"note: could not update {kept.where}; {exporter.state.lost}", err=True)


class ExportGroup(click.Group):
    """``coplan export NAME``: the exporters come from the plugin hook, built-ins included,
    and are only looked up when an export is asked for.

    One of coplan's own exporters is found without loading the plugins: a plugin cannot
    replace it (``all_exporters`` leaves out an exporter whose name is taken), so loading
    them would change nothing but the time it takes (3.5 ms of CPU, more with plugins
    installed), as for every other command of coplan's own (``CoplanGroup``)."""

    _found: Exporters | None = None

    def _exporters(self) -> Exporters:
        if self._found is None:  # once per process, as the plugins themselves are loaded
            from coplan.plugins import all_exporters

            self._found = all_exporters()
        return self._found

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self._exporters().names()))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        exporter = _builtin(name)
        if exporter is not None:
            return command_for(exporter)
        found = self._exporters()
        exporter = found.get(name)
        return command_for(exporter, found.origin(name)) if exporter is not None else None


def _all_rules() -> Registry:
    """Every rule, the plugins' too (loaded only for an export that reviews the plan)."""
    from coplan.plugins import all_rules

    return all_rules()


def _builtin(name: str) -> Exporter | None:
    """coplan's own exporter called ``name`` (what the ``coplan_exporters`` hook of
    ``coplan.builtin`` hands over), or None."""
    from coplan.export.exporters import BUILTIN

    return next((exporter for exporter in BUILTIN if exporter.name == name), None)
