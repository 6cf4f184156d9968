"""Helpers every coplan command shares: failing plainly, loading, scheduling, writing.

Kept apart from ``cli.py`` so that exporters (built-in or from plugins) can use them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

# Exit statuses every command keeps to (``coplan --help`` lists them; docs/using-coplan.md
# explains them).  1 is a command's own "found something" (errors in a review, something
# overdue, a merge a person must settle).
EXIT_INVALID = 2  # a plan, or a file the command reads or writes, is the problem
EXIT_BUG = 3  # coplan itself went wrong
EXIT_USAGE = 64  # the command line itself is wrong (sysexits' EX_USAGE)
EXIT_STATUSES = (
    (0, "done; nothing found"),
    (1, "done, and found something: errors in a review (coplan check), something overdue "
        "(coplan status), clashes to settle (coplan merge)"),
    (EXIT_INVALID, "a plan could not be read or scheduled, a file could not be written, or a "
                   "plugin or a team's own template failed"),
    (EXIT_BUG, "a bug in coplan (COPLAN_DEBUG=1 shows the details)"),
    (EXIT_USAGE, "the command line is wrong: an unknown command or option, a missing "
                 "argument, or an option's value coplan cannot use"),
    (130, "stopped with Ctrl+C"),
)


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    """Say what is wrong and exit: on a screen, lines broken between words to fit it; in a
    log or a pipe, whole lines (one problem to a line, for tools that read them)."""
    click.echo(fitted_for_screen(message, hang=4), err=True)
    sys.exit(code)


def usage_error(message: str) -> NoReturn:
    """Stop because of how the command was typed (an option's value, a name that is not
    there), not because of the plan: exit ``EXIT_USAGE``."""
    fail(message, EXIT_USAGE)


def plugin_failed(what: str, plugin: str, exc: BaseException) -> NoReturn:
    """Stop because a plugin's code failed (``what``: "the exporter 'boom'"): name the
    plugin and send the report to its author, not to coplan; exit ``EXIT_INVALID``.
    ``COPLAN_DEBUG=1`` shows where it failed, as for coplan's own bugs."""
    import os

    if os.environ.get("COPLAN_DEBUG"):
        import traceback

        traceback.print_exception(exc)
    fail(f"{what} from the plugin '{plugin}' failed ({type(exc).__name__}: {exc}).\n"
         f"This is a problem in that plugin, not in coplan or your plan: report it to whoever "
         f"wrote '{plugin}' (COPLAN_DEBUG=1 shows the details).")


def plan_error(exc: Exception) -> NoReturn:
    from coplan.errors import PlanError

    assert isinstance(exc, PlanError)
    fail(exc.report())


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        from coplan.schema import date_trouble

        trouble = date_trouble(value)
        if trouble is not None:
            usage_error(f"{option}: '{value}' is not a date: {trouble[0]}; {trouble[1]}")
        usage_error(f"{option}: '{value}' is not a date; write it as YYYY-MM-DD, such as "
                    "2027-01-11")


def as_of(value: str | None, option: str = "--today") -> date:
    """The day a command dates a running project from: ``--today`` when given, else the day
    every command takes (``coplan.clock.today``), so that the schedule, the review, the
    status and the app all show the same finish for the same file."""
    from coplan.clock import today

    return today(parse_date(value, option))


def note_input(path: Path) -> None:
    """Remember that this command reads ``path``, so that no output replaces it."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.meta.setdefault("coplan.inputs", []).append(Path(path))


def _inputs() -> list[Path]:
    ctx = click.get_current_context(silent=True)
    return list(ctx.meta.get("coplan.inputs", [])) if ctx is not None else []


def refuse_input_as_output(output: Path, option: str = "-o") -> None:
    """Exit 2 if ``output`` is (by any spelling or link) a plan this command reads; exit
    ``EXIT_USAGE`` if it is named ``.toml`` or holds another plan
    (``fileio.plan_in_the_way``): no report or export is ever written over a plan."""
    from coplan.fileio import plan_in_the_way, same_file

    for plan in _inputs():
        if same_file(plan, output):
            fail(f"{option} {output}: this is the plan being read ({plan}); coplan never "
                 "writes over it. Choose another file name.")
    reason = plan_in_the_way(output)
    if reason is not None:
        usage_error(f"{option} {output}: {reason}. Choose another file name.")


def load(path: Path, *, with_lines: bool = False) -> Any:
    from coplan.errors import PlanError
    from coplan.planfile import load_plan

    note_input(path)
    try:
        return load_plan(path, with_lines=with_lines)
    except PlanError as exc:
        plan_error(exc)


_ONE_COMMAND = {"process": False}


def one_command_process() -> None:
    """Say that this process runs one command and ends (``cli.main``): what the command
    made goes with the process, so the cycle collector need not be put back after it."""
    _ONE_COMMAND["process"] = True


def leave_without_tidying() -> None:
    """Say that this command only reads and writes its output through ``click`` and
    ``fileio`` (closed when written): once that output is flushed, the process may end
    without freeing every object it made one by one (``cli.main``).  A review of a plan of
    10,000 stages holds some twenty million objects; freeing them took 1.6 s of CPU."""
    _ONE_COMMAND["quick_exit"] = True


def may_leave_without_tidying() -> bool:
    """Whether the command that ran said it may end without freeing its objects."""
    return _ONE_COMMAND.get("quick_exit", False)


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector left off while a command reads a plan and writes what it
    makes of it, and put back as it was after (unless the process ends with the command:
    the first collection after would walk every object still held, the plan among them,
    kept by caches).  That work makes no garbage in cycles (the loader, the schedule and
    the copy for sharing hold none; a test checks), yet the collector walked every young
    object it made: a sixth of a schedule of 20,000 stages, at the same peak memory."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was and not _ONE_COMMAND["process"]:
            gc.enable()


def make_schedule(plan: Any, *, slow_down: bool = True, today: date | None = None) -> Any:
    """The plan's schedule (from what actually happened, as of ``today``, where the plan
    keeps a delivery record), or exit 2 in words."""
    from coplan.schedule import ScheduleError, schedule

    try:
        return schedule(plan, slow_down=slow_down, today=today)
    except ScheduleError as exc:
        fail(f"{plan.file_name}: {exc}")


def to_stdout(output: Path | None) -> bool:
    """No ``-o``, or ``-o -``: the output goes to standard output."""
    return output is None or str(output) == "-"


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def screen_width() -> int:
    """The width to lay text out for on the screen: the terminal's, or ``COLUMNS``, else 80."""
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


def fitted(text: str, width: int | None = None, hang: int = 2) -> str:
    """``text`` with each line longer than ``width`` broken between words (never inside
    one), its following lines indented ``hang`` more than it."""
    import textwrap

    width = width or screen_width()
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = len(line) - len(line.lstrip(" "))
        out.append(textwrap.fill(line.strip(), width, initial_indent=" " * indent,
                                 subsequent_indent=" " * (indent + hang),
                                 break_long_words=False, break_on_hyphens=False))
    return "\n".join(out)


def fitted_for_screen(text: str, hang: int = 2) -> str:
    """A message for standard error: ``fitted`` when a person reads it on a terminal, else
    ``text`` unchanged (a log or a tool reads one problem to a line)."""
    return fitted(text, hang=hang) if sys.stderr.isatty() else text


def write_pieces(pieces: Iterable[str], output: Path | None) -> None:
    """``write_or_print("".join(pieces), output)``, but to standard output a part of about
    ``_PART`` characters at a time, each joined and encoded only as it is written: a large
    report (19 MB of JSON for 10,000 stages) was held whole and again encoded at the peak
    of the command's memory.  A file gets the whole text at once (written atomically).
    Where any part has an escape character (which ``click.echo`` takes out of a colour
    code when the output is not a terminal, and a code might fall across two parts), the
    rest is written whole, as ``write_or_print`` writes it."""
    if not to_stdout(output):
        write_or_print("".join(pieces), output)
        return
    part: list[str] = []
    size = 0
    whole = False
    for piece in pieces:
        part.append(piece)
        size += len(piece)
        if size >= _PART and not whole:
            text = "".join(part)
            if "\x1b" in text:
                whole = True
                part = [text]
                continue
            click.echo(text, nl=False)
            part = []
            size = 0
    click.echo("".join(part), nl=False)


_PART = 1 << 20


def write_or_print(data: str | bytes, output: Path | None, *, what: str = "",
                   fit: bool = False) -> None:
    """Write a command's output: to standard output without ``-o`` or with ``-o -``, else
    to the file (``coplan.fileio.write_bytes``: atomic for plain files, straight into
    devices and pipes, never over a plan this command reads).  Problems exit 2 in words.

    ``what`` names binary output (such as "A DOCX file"), which is never sent to a
    terminal.  ``fit`` (text for people) breaks long lines between words to fit the screen;
    a file gets the lines whole."""
    if to_stdout(output):
        if isinstance(data, str):
            click.echo(fitted(data) if fit else data, nl=False)
            return
        if stdout_is_terminal():
            usage_error(f"{what or 'This output'} cannot be shown on the screen; add -o FILE, "
                        "or send it to a program with -o - and a pipe")
        from coplan.fileio import STDOUT, write_bytes

        write_bytes(STDOUT, data)
        return
    assert output is not None
    from coplan.fileio import describe_write_error, write_bytes

    refuse_input_as_output(output)
    try:
        write_bytes(output, data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        fail(describe_write_error(output, exc))
    click.echo(f"Wrote {output}", err=True)


# -- shell completion (click's: eval "$(_COPLAN_COMPLETE=bash_source coplan)") ------------

def complete_templates(ctx: click.Context, param: click.Parameter,
                       incomplete: str) -> list[str]:
    """The names 'coplan new --template' takes: templates (plugins' too) and examples."""
    from coplan.resources import examples, plan_templates

    names = [t.name for t in plan_templates()] + [e.name for e in examples()]
    return [n for n in dict.fromkeys(names) if n.startswith(incomplete)]


def complete_examples(ctx: click.Context, param: click.Parameter,
                      incomplete: str) -> list[str]:
    from coplan.resources import examples

    return [e.name for e in examples() if e.name.startswith(incomplete)]


def person_ids(ctx: click.Context) -> list[str]:
    """The ids of the people in the plan already typed on the command line (none when
    there is no plan yet, or it cannot be read: completion never fails)."""
    # While an option waits for its value, click leaves the words after the last one it
    # could read unparsed in ``ctx.args``: the plan may be among them.
    given = [ctx.params.get("path"), *ctx.args]
    path = next((Path(p) for p in given if p is not None and Path(p).is_file()), None)
    if path is None:
        return []
    from coplan.errors import PlanError
    from coplan.planfile import load_plan

    try:
        return [p.id for p in load_plan(path, with_lines=False).people]
    except (PlanError, OSError, ValueError):
        return []


def complete_audiences(audiences: tuple[str, ...], per_person: bool) -> Any:
    """A completer for ``--audience``: the audiences, and people's ids where one person's
    own view can be asked for."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        names = list(audiences) + (person_ids(ctx) if per_person else [])
        return [n for n in names if n.startswith(incomplete)]

    return complete


def complete_people(ctx: click.Context, param: click.Parameter,
                    incomplete: str) -> list[str]:
    return [n for n in person_ids(ctx) if n.startswith(incomplete)]
