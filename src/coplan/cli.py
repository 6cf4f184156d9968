"""The ``coplan`` command.

Every command imports what it needs inside its own body, so ``coplan check`` and
``coplan schedule`` start fast and never load Textual (a test checks this in a fresh
interpreter).  A plan that cannot be read exits with status 2 and a plain message; no
traceback reaches a user for anything they wrote.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from coplan import __version__
from coplan.cli_common import (
    EXIT_BUG,
    EXIT_INVALID,
    EXIT_USAGE,
    as_of,
    complete_audiences,
    complete_examples,
    complete_templates,
    fail,
    fitted,
    fitted_for_screen,
    leave_without_tidying,
    load,
    make_schedule,
    may_leave_without_tidying,
    no_cycle_collection,
    note_input,
    one_command_process,
    parse_date,
    plan_error,
    screen_width,
    to_stdout,
    usage_error,
    write_or_print,
    write_pieces,
)
from coplan.cli_export import TODAY_HELP, ExportGroup
from coplan.words import count

if TYPE_CHECKING:
    from coplan.model import Plan
    from coplan.review.report_formats import Unreadable
    from coplan.review.runner import Report


class CoplanGroup(click.Group):
    """The top-level command: plugins may add commands, looked up only when a name is not
    one of coplan's own (so ordinary commands never load plugins)."""

    def _plugin_commands(self) -> dict[str, click.Command]:
        from coplan.plugins import collect, flatten

        found: dict[str, click.Command] = {}
        for plugin, command in flatten(collect("coplan_commands")):
            if command.name and command.name not in self.commands:
                found.setdefault(command.name, command)
                self._origins.setdefault(command.name, plugin)
        return found

    # The plugin that added each plugin command, by name (so that its failure names it).
    _origins: dict[str, str] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self._plugin_commands()))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self.commands.get(name) or self._plugin_commands().get(name)

    # A mistake in how a command is typed exits EXIT_USAGE, apart from a plan that cannot be
    # read (2): click's own usage errors are raised while the command line is read, here
    # for ``coplan`` itself and within ``invoke`` for every command under it.
    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            exc.exit_code = EXIT_USAGE  # type: ignore[misc]
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            exc.exit_code = EXIT_USAGE  # type: ignore[misc]
            raise
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # a plugin's command failing is the plugin's to mend
            name = ctx.invoked_subcommand
            plugin = None if name is None or name in self.commands else self._origins.get(name)
            if plugin is None:
                raise
            from coplan.cli_common import plugin_failed

            plugin_failed(f"The command 'coplan {name}'", plugin, exc)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from coplan.cli_common import EXIT_STATUSES

        with formatter.section("Exit status"):
            formatter.write_dl([(str(code), meaning) for code, meaning in EXIT_STATUSES])


@click.group(cls=CoplanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="coplan",
                      message="%(prog)s %(version)s")
def cli() -> None:
    """Plan projects co-produced with people with lived experience.

    A plan is a TOML file of stages, each with its lived-experience touchpoints.  coplan
    schedules it with time for slowing down and reflection, checks that co-production is
    built into every stage, and exports calendars and a co-production protocol.
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Print nothing when every plan is valid.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for programs (each plan, valid "
                                      "or not, with its problems).")
def validate(paths: tuple[Path, ...], quiet: bool, fmt: str) -> None:
    """Check that plan files can be read and are well formed (exit 0 valid, 2 invalid).

    This checks the file itself: its syntax, keys, values, ids and links.  To review the
    co-production in a plan, use 'coplan check'.
    """
    leave_without_tidying()
    from coplan.errors import PlanError
    from coplan.planfile import load_plan

    failed = False
    found: list[dict[str, Any]] = []
    for path in paths:
        try:
            plan = load_plan(path, with_lines=False)
        except PlanError as exc:
            failed = True
            if fmt == "json":
                found.append({"path": str(path), "valid": False, "problems": [
                    {"file": p.file, "line": p.line or None, "column": p.column or None,
                     "message": p.message, "fix": p.hint or None} for p in exc.problems]})
            else:
                click.echo(fitted_for_screen(exc.report(), hang=4), err=True)
            continue
        stages, people = len(plan.stages), len(plan.people)
        touchpoints = sum(len(s.touchpoints) for s in plan.stages)
        if fmt == "json":
            found.append({"path": str(path), "valid": True, "stages": stages,
                          "people": people, "touchpoints": touchpoints})
        elif not quiet:
            click.echo(f"{path}: valid ({count(stages, 'stage')}, "
                       f"{count(people, 'person')}, "
                       f"{count(touchpoints, 'touchpoint')})")
    if fmt == "json":
        _print_json({"format": "coplan-validate", "version": 1, "valid": not failed,
                     "plans": found})
    if failed:
        sys.exit(EXIT_INVALID)


def _print_json(document: dict[str, Any]) -> None:
    import json

    click.echo(json.dumps(document, indent=1, ensure_ascii=False))


@cli.command("schema")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write the schema to this file (such as plan.schema.json).")
def schema_command(output: Path | None) -> None:
    """Print the JSON Schema of plan files, for editors and CI.

    Editors with TOML support (Even Better TOML in VS Code, for one) use it to complete
    keys and words as you type and to explain each key; check-jsonschema can run it in
    CI.  See docs/plan-format.md ("Help from your editor").
    """
    import json

    from coplan.schema_json import plan_json_schema

    write_or_print(json.dumps(plan_json_schema(), indent=2, ensure_ascii=False) + "\n", output)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for programs.")
def templates(fmt: str) -> None:
    """List the plan templates and examples that 'coplan new' can start from."""
    from coplan.resources import examples, plan_templates

    rows = [("Templates", plan_templates()), ("Examples", examples())]
    if fmt == "json":
        _print_json({"format": "coplan-templates", "version": 1, **{
            heading.lower(): [{"name": t.name, "title": t.title,
                               "description": t.description} for t in group]
            for heading, group in rows}})
        return
    width = max((len(t.name) for _, group in rows for t in group), default=10)
    # Titles and descriptions wrap between words beside the names; on a screen too narrow
    # for that, under them.
    beside = screen_width() - (width + 4) >= 30
    indent = width + 4 if beside else 4
    for heading, group in rows:
        click.echo(f"{heading}:")
        for template in group:
            if beside:
                click.echo(fitted(f"  {template.name.ljust(width)}  {template.title}",
                                  hang=width + 2))
            else:
                click.echo(f"  {template.name}")
                click.echo(fitted(" " * indent + template.title, hang=0))
            if template.description:
                click.echo(fitted(" " * indent + template.description, hang=0))
        click.echo()
    click.echo("Start a plan with: coplan new my-plan.toml --template NAME")


def _next_monday(today: date) -> date:
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--template", "-t", "template_name", default="research-study", show_default=True,
              shell_complete=complete_templates,
              help="Which template to start from (see 'coplan templates').")
@click.option("--start", "start", metavar="DATE",
              help="The project's start date (default: the Monday after today).")
@click.option("--title", help="The project's title.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.option("--today", metavar="DATE",
              help="Treat this date as today, so the start is the Monday after it "
                   "(YYYY-MM-DD).")
def new(path: Path, template_name: str, start: str | None, title: str | None,
        force: bool, today: str | None = None) -> None:
    """Create a new plan at PATH from a template."""
    from coplan.edit import PlanDocument
    from coplan.errors import PlanError
    from coplan.fileio import describe_write_error, read_plan_text, write_text
    from coplan.resources import examples, find_template, plan_templates

    template = find_template(template_name)
    if template is None:
        from coplan.errors import suggest

        names = [t.name for t in plan_templates()]
        hint = suggest(template_name, names) or "see 'coplan templates' for the list"
        usage_error(f"there is no template called '{template_name}'; {hint}")
    if path.exists() and not force:
        fail(f"{path} already exists; choose another name, or add --force to replace it")
    if path.suffix != ".toml":
        fail(f"{path}: plan files end in .toml; try {path.with_suffix('.toml')}")
    begin = parse_date(start, "--start") or _next_monday(as_of(today))
    try:
        doc = PlanDocument(read_plan_text(template.path), path)
    except PlanError as exc:
        plan_error(exc)
    old_start = doc.table("project").get("start")
    # A new project has no history: an example's record of what happened (sessions held,
    # reflections, payments, its baseline) stays with the example.  (A template's entries
    # of that kind are placeholders to fill in, and stay.)
    dropped = doc.drop_record() if any(e.path == template.path for e in examples()) else 0
    if isinstance(old_start, date):
        doc.shift_dates((begin - old_start).days)
    doc.set_project("start", begin)
    if title:
        doc.set_project("title", title)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, doc.text())
    except OSError as exc:
        fail(describe_write_error(path, exc))
    click.echo(f"Created {path} from the '{template.name}' "
               f"{'example' if dropped else 'template'}, starting {begin}.")
    if dropped:
        click.echo("The example's record of what happened (sessions held, reflections, the "
                   "decision and impact logs, payments, sign-offs, its baseline) is left out: "
                   "a new project starts with none, and its protocol is a draft until you "
                   "agree it.")
    from coplan.sync import ignore_working_files

    ignored = ignore_working_files(path.parent)
    if ignored is not None:
        click.echo(f"Added coplan's working files (lock, activity journal) to {ignored}, so "
                   "git leaves them out.")
    from coplan.agreed import unmet
    from coplan.planfile import parse_plan

    try:
        left = len(unmet(parse_plan(doc.text(), str(path), path=path)))
    except PlanError:
        left = 0
    if left:
        click.echo(f"It is a draft: {count(left, 'thing')} in it "
                   f"{'is a placeholder' if left == 1 else 'are placeholders'} for your team "
                   "to agree (coplan check lists them).")
    click.echo(f"Next: coplan check {path}   or   coplan edit {path}")


@cli.command("schedule")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table for people, json for programs, csv for spreadsheets.")
@click.option("--no-slow-down", is_flag=True,
              help="Schedule without slow-down buffers and reflection checkpoints.")
@click.option("--today", metavar="DATE", help="Date the plan from what actually happened as "
              "of this date, and show where each stage stands on it (YYYY-MM-DD; default: "
              "today, without where each stage stands).")
@click.option("--bom", is_flag=True, help="csv: start with a byte-order mark, so Excel reads "
                                          "accents and symbols (Zoë, café, £) as written.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write to this file instead of the screen.")
def schedule_command(path: Path, fmt: str, no_slow_down: bool, today: str | None, bom: bool,
                     output: Path | None) -> None:
    """Date every stage, with slow-down time and reflection checkpoints."""
    day = parse_date(today, "--today")
    _bom_only_for_csv(bom, fmt)
    leave_without_tidying()  # (it writes through click, rich on standard output or fileio)
    with no_cycle_collection():
        _schedule(path, fmt, no_slow_down, today, day, bom, output)


def _schedule(path: Path, fmt: str, no_slow_down: bool, today: str | None, day: date | None,
              bom: bool, output: Path | None) -> None:
    plan = load(path)
    from coplan.recorded import as_recorded
    from coplan.sharing import for_audience

    # A schedule is printed, pasted and sent on: it names only who agreed (``sharing``).
    # Its dates are as of the day every command takes (``as_of``), each session as the
    # delivery record says by then, as every export has it; where things stand on it is
    # shown when --today asks.
    on = as_of(today)
    from coplan.export import reads

    # (the narrow copy: only what the table, or the data, reads of the plan)
    plan, sched = for_audience(plan, make_schedule(plan, slow_down=not no_slow_down,
                                                   today=on),
                               reads=reads.TABLE if fmt == "table" else reads.SCHEDULE)
    sched = as_recorded(sched, on)
    if fmt == "table":
        from coplan.export.scheduletable import print_schedule, schedule_text

        if to_stdout(output):
            print_schedule(sched, day)
            return
        import io

        write_or_print(schedule_text(sched, day, io.StringIO(), 120), output)
        return
    from coplan.export import scheduledata

    text = scheduledata.to_json(sched, day) if fmt == "json" else scheduledata.to_csv(sched, day)
    write_or_print(_with_bom(text, bom), output)


def _with_bom(text: str, bom: bool) -> str:
    """``text`` with a UTF-8 byte-order mark first when asked (for Excel)."""
    return "\ufeff" + text if bom else text


def _bom_only_for_csv(bom: bool, fmt: str) -> None:
    if bom and fmt != "csv":
        usage_error(f"--bom marks a CSV file for Excel; add --format csv (not {fmt})")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True, help="text for people, json for programs, csv for a grant "
                                      "application's spreadsheet.")
@click.option("--bom", is_flag=True, help="csv: start with a byte-order mark, so Excel reads "
                                          "accents and symbols (Zoë, café, £) as written.")
@click.option("--today", metavar="DATE", help="Cost the plan as dated from what actually "
              "happened up to this date (default: today), YYYY-MM-DD.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write to this file (default, or -: the screen).")
def budget(path: Path, fmt: str, bom: bool, today: str | None, output: Path | None) -> None:
    """What the plan's involvement costs, worked out from its rates, sessions and needs,
    set against its budget; once sessions are recorded, also as the delivery record says
    (held, moved, cancelled).  Names no one: the lines are by stage and kind of cost."""
    from coplan.costs import cost_plan
    from coplan.delivery import cost_as_recorded
    from coplan.export import budget_recorded, delivery_report

    _bom_only_for_csv(bom, fmt)
    plan = load(path)
    day = as_of(today)
    sched = make_schedule(plan, today=day)
    costing = cost_plan(plan, sched)
    recorded = cost_as_recorded(plan, sched, day)
    width = screen_width() if to_stdout(output) else None
    if fmt == "text":  # on the screen, laid out for its width; in a file, lines whole
        text = delivery_report.budget_text(costing, plan, width=width)
        if recorded is not None:
            text += budget_recorded.recorded_text(costing, recorded, plan, width=width)
    elif fmt == "json":
        text = budget_recorded.budget_json(delivery_report.budget_data(costing, plan),
                                           costing, recorded, plan)
    elif recorded is not None:
        text = budget_recorded.budget_csv(costing, recorded, plan)
    else:
        text = delivery_report.budget_csv(costing, plan)
    write_or_print(_with_bom(text, bom), output, fit=fmt == "text")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("url")
@click.option("--audience", default="team", show_default=True,
              shell_complete=complete_audiences(("team", "lived-experience", "leads"), True),
              help="Whose calendar: team, lived-experience, leads, or a person's id.")
@click.option("--name", "calendar_name", metavar="TEXT",
              help="The calendar's name where coplan makes it (default: the project's "
                   "title and the audience).")
@click.option("--today", metavar="DATE", help=TODAY_HELP)
@click.option("--replace", is_flag=True,
              help="Put this audience's calendar where this plan published another "
                   "audience's (its events are removed).")
def publish(path: Path, url: str, audience: str, calendar_name: str | None,
            today: str | None, replace: bool) -> None:
    """Put the plan's calendar on a CalDAV server, and keep it in step with the plan.

    URL is the calendar's address, such as
    https://cloud.example.org/remote.php/dav/calendars/me/our-project/ (made if it is not
    there).  Publishing again after an edit changes events in place and removes those whose
    items are gone; events others put there are never touched.  The user name and password
    come from COPLAN_CALDAV_USER and COPLAN_CALDAV_PASSWORD, or from your netrc file.

    Each audience needs its own address: publishing another audience's calendar where
    this plan published one is refused unless you add --replace.

    Exit status: 0 published, 2 the plan could not be read or the server could not be
    reached or said no, 64 the address is not a web address, or holds another audience's
    calendar (without --replace)."""
    from coplan.clock import moment_from_environment
    from coplan.export.contract import ExportError, Options, run_export
    from coplan.exporting import load_state, save_state, state_path
    from coplan.plugins import all_exporters
    from coplan.publish import (
        PublishError,
        check_address,
        credentials,
        load_published,
        other_audience,
        save_published,
        split_events,
    )
    from coplan.publish import publish as put_calendar

    try:
        check_address(url)
    except PublishError as exc:
        usage_error(f"URL: {exc}")
    day = as_of(today)
    plan = load(path)
    ics = all_exporters().get("ics")
    if ics is None:  # pragma: no cover - coplan's own exporter is always there
        fail("the calendar exporter is missing")
    kept = load_state(ics, state_path(ics, path))
    try:
        data = run_export(ics, plan, make_schedule(plan, today=day),
                          Options(audience=audience, when=moment_from_environment(),
                                  state=kept.state, today=day))
    except ExportError as exc:
        fail(f"{path}: {exc}", EXIT_USAGE if exc.usage else EXIT_INVALID)
    name = calendar_name or f"{plan.project.title} ({audience})"
    before, had = load_published(path, url)
    refused = None if replace else other_audience(url, had, audience, len(before))
    if refused:
        usage_error(refused)
    try:
        done = put_calendar(data, url, name, published_before=before,
                            auth=credentials(url))
    except PublishError as exc:
        fail(f"{url}: {exc}", EXIT_USAGE if exc.usage else EXIT_INVALID)
    try:
        save_state(kept)
        save_published(path, url, set(split_events(data)), audience)
    except OSError as exc:
        fail(f"published, but could not note what was published beside {path}: {exc}")
    made = "made the calendar and " if done.created_calendar else ""
    click.echo(f"{done.url}: {made}wrote {len(done.written)} event"
               f"{'s' if len(done.written) != 1 else ''}, {len(done.unchanged)} unchanged, "
               f"{len(done.removed)} removed.")


@cli.command("status")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--today", metavar="DATE", help="Where things stand on this date (default: "
                                              "today), YYYY-MM-DD.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for programs.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write to this file (default, or -: the screen).")
def status_command(path: Path, today: str | None, fmt: str, output: Path | None) -> None:
    """Where the running project stands: the finish against the baseline and the date it
    must finish by, and what is overdue (feedback, payments, records, reflections).

    Exit status: 0 nothing overdue, 1 something is, 2 the plan could not be read."""
    leave_without_tidying()  # (it writes through click or fileio)
    from coplan.delivery import status
    from coplan.export import delivery_report

    day = as_of(today)
    plan = load(path)
    found = status(plan, make_schedule(plan, today=day), day)
    if found.later:  # read again with lines, to say where each record dated later is
        plan = load(path, with_lines=True)
        found = status(plan, make_schedule(plan, today=day), day)
    text = delivery_report.status_json(found) if fmt == "json" else \
        delivery_report.status_text(found)
    write_or_print(text, output, fit=fmt == "text")
    sys.exit(1 if found.overdue else 0)


@cli.group()
def baseline() -> None:
    """Keep the schedule as agreed, to measure slippage against."""


@baseline.command("save")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--today", metavar="DATE", help="The date to save it as (default: today).")
@click.option("--replace", is_flag=True,
              help="Replace the baseline the plan already has (the one slippage is measured "
                   "against); without it, an existing baseline is kept and nothing is "
                   "written (exit 64).")
def baseline_save(path: Path, today: str | None, replace: bool) -> None:
    """Save the plan's schedule as it now stands as its baseline ([baseline] in the plan).
    The schedule, the status and the progress report then show how far each stage and the
    finish move from it.  A plan that has a baseline keeps it unless --replace is given:
    it is what the team agreed, and slippage is measured against it."""
    from coplan.edit import PlanDocument, set_baseline
    from coplan.fileio import FileRefused

    day = as_of(today)
    plan = load(path)
    sched = make_schedule(plan, today=day)
    old = plan.baseline
    had = old.saved is not None or old.finish is not None or bool(old.stages)
    earlier = _baseline_words(old.saved, old.finish, len(old.stages))
    if had and not replace:
        usage_error(f"{path} already has a baseline ({earlier}); the schedule now finishes "
                    f"{sched.finish:%d %b %Y}. Slippage is measured against the baseline, so "
                    "coplan does not replace it unasked: run again with --replace once the "
                    "team has agreed the new dates.")
    try:
        doc = PlanDocument.open(path)
        set_baseline(doc, day, sched.finish,
                     [(s.id, sched.stages[s.id].start, sched.stages[s.id].end)
                      for s in plan.stages])
        doc.save()
    except (OSError, FileRefused) as exc:
        fail(f"{path}: could not save the baseline ({exc})")
    click.echo(f"Saved the baseline in {path}: {count(len(plan.stages), 'stage')}, finishing "
               f"{sched.finish:%d %b %Y}.")
    if had:
        click.echo(f"It replaces the earlier one ({earlier}).")


def _baseline_words(saved: date | None, finish: date | None, stages: int) -> str:
    """An earlier baseline in words: "saved on 04 Jan 2027, 10 stages, finishing 29 Jun
    2028"."""
    parts = ([f"saved on {saved:%d %b %Y}"] if saved else []) + [count(stages, "stage")] + \
        ([f"finishing {finish:%d %b %Y}"] if finish else [])
    return ", ".join(parts)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "json", "sarif", "junit", "markdown"]),
              help="text for people; json, sarif (code review) and junit (CI) for tools; "
                   "markdown for a reviewer's report.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings as well as errors.")
@click.option("--select", "select", metavar="IDS", default="",
              help="Only these rules, comma-separated (ids or groups such as CP-PAY).")
@click.option("--ignore", "ignore", metavar="IDS", default="",
              help="Leave out these rules, comma-separated.")
@click.option("--no-summary", is_flag=True, help="Text format: findings only.")
@click.option("--today", metavar="DATE",
              help="Review what actually happened as of this date (default: today), "
                   "YYYY-MM-DD.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write the report to this file.")
def check(paths: tuple[Path, ...], fmt: str, strict: bool, select: str, ignore: str,
          no_summary: bool, today: str | None, output: Path | None) -> None:
    """Review plans: is co-production built into every stage, or bolted on?

    Exit status: 0 no errors (with --strict: no warnings either), 1 errors found,
    2 a plan could not be read, 64 an option coplan cannot use (such as a rule id in
    --select or --ignore that matches no rule).
    """
    leave_without_tidying()
    # Reading, scheduling, reviewing and reporting make no garbage in cycles that grows
    # with the plan (a test checks), yet the collector walked the young objects they made:
    # 0.5 s of a 10,000-stage check.
    with no_cycle_collection():
        _check(paths, fmt, strict, select, ignore, no_summary, today, output)


def _check(paths: tuple[Path, ...], fmt: str, strict: bool, select: str, ignore: str,
           no_summary: bool, today: str | None, output: Path | None) -> None:
    """``coplan check`` once its options are read (``check``)."""
    from coplan.errors import PlanError
    from coplan.planfile import load_plan
    from coplan.plugins import all_rules
    from coplan.review import review

    rules = all_rules()
    from coplan.review.runner import unknown_ids

    for option, given in (("--select", select), ("--ignore", ignore)):
        unknown = unknown_ids(rules, given.split(","))
        if unknown:
            from coplan.words import listed

            raise click.BadParameter(
                f"{listed(unknown)} {'is' if len(unknown) == 1 else 'are'} not the id of a "
                "rule or a group of rules coplan knows, so nothing would be chosen. "
                "'coplan check --format json' and docs/review.md list the rules; a "
                "plugin's rules count only where the plugin is installed ('coplan "
                "plugins').", param_hint=option)
    day = as_of(today)
    # (the formats for tools are imported only for them, or for a plan that cannot be read:
    # the text report of a plan that can does not use them)
    reports = []
    unreadable: list[Unreadable] = []
    not_read: list[str] = []  # what stopped each plan being read, as the screen said it
    for path in paths:
        note_input(path)
        try:
            plan = load_plan(path)
        except PlanError as exc:
            from coplan.review.report_formats import Unreadable

            click.echo(fitted_for_screen(exc.report(), hang=4), err=True)
            unreadable.append(Unreadable(str(path), exc.problems))
            not_read.append(exc.report())
            continue
        from coplan.schedule import ScheduleError, schedule

        try:
            sched = schedule(plan, today=day)
        except ScheduleError:
            sched = None
        reports.append(review(plan, sched, registry=rules, select=select.split(","),
                              ignore=ignore.split(","), today=day))
    # Every report leaves the team's screen somewhere (a bid, a CI log that may be public,
    # a pre-commit hook's output, a code-scanning page, a message pasted to a colleague):
    # each names only who agreed, and never anyone's needs (``sharing``).  The plan's own
    # line for each finding is where the team reads the rest.
    from coplan.review.for_others import for_others

    reports = [for_others(r) for r in reports]
    # A text report written to a file says too which plans could not be read (the screen
    # has said it already): a file that said nothing of them read as a clean review.
    not_read_text = "" if to_stdout(output) else "".join(
        f"{message}\n\n" for message in not_read)
    if (fmt == "text" and len(reports) == 1
            and _check_plain(reports[0], output, no_summary, not_read_text)):
        pass
    elif fmt == "text":
        import io

        from rich.console import Console

        from coplan.review.report_text import print_report

        buffer = None if to_stdout(output) else io.StringIO(not_read_text)
        if buffer is not None:
            buffer.seek(0, io.SEEK_END)
        console = Console(file=buffer, width=100) if buffer else Console()
        for i, report in enumerate(reports):
            if i:
                console.rule()
            print_report(report, console, summary=not no_summary)
        if buffer is not None:
            write_or_print(buffer.getvalue(), output)
    elif reports or fmt != "text":
        from coplan.review import report_formats as rf

        if fmt == "json":
            write_pieces(rf.json_pieces(reports, unreadable), output)
        else:
            text = rf.to_junit(reports, strict=strict, unreadable=unreadable) \
                if fmt == "junit" else \
                {"sarif": rf.to_sarif, "markdown": rf.to_markdown}[fmt](reports, unreadable)
            write_or_print(text, output)
    if unreadable:
        sys.exit(EXIT_INVALID)
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    sys.exit(1 if errors or (strict and warnings) else 0)


def _check_plain(report: Report, output: Path | None, no_summary: bool,
                 before: str = "") -> bool:
    """Write one plan's text report without rich where it goes to a file or pipe and
    ``report_plain`` gives the characters rich would; whether it did.  ``before``: what
    a file gets first (the plans that could not be read)."""
    import io

    from coplan.plaintext import plain_width
    from coplan.review.report_plain import plain_report

    buffer = None if to_stdout(output) else io.StringIO()
    width = plain_width(buffer, 100 if buffer is not None else None)
    text = None if width is None else plain_report(report, width, summary=not no_summary)
    if text is None:
        return False
    if buffer is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_or_print(before + text, output)
    return True


def _story_day(path: Path) -> date | None:
    """The day an example's delivery record runs to, where that is after today; None where
    nothing in it is dated later.  The bundled examples tell a project part way through, on
    dates that may still be to come: opened on an earlier day, everything recorded after it
    would read as a slip in the record (CP-DEL-011) rather than as the story it tells."""
    from coplan.delivery import as_of as record_as_of
    from coplan.errors import PlanError
    from coplan.planfile import load_plan
    from coplan.schedule import ScheduleError, schedule

    day = as_of(None)
    try:
        plan = load_plan(path)
        _, later = record_as_of(plan, schedule(plan, today=day), day)
    except (PlanError, ScheduleError):
        return None
    return max((item.day for item in later), default=None)


def _asks_a_person() -> bool:
    """Whether a question can be put to a person at the keyboard (not a script's pipe)."""
    return sys.stdin.isatty()


def _run_app(path: Path, today: str | None, high_contrast: bool,
             who: str | None = None, export_dir: Path | None = None,
             example: str | None = None, protected: bool = False,
             name_checked: bool = True) -> None:
    from coplan.errors import PlanError
    from coplan.tui.app import CoplanApp

    try:
        app = CoplanApp(path, today=as_of(today), high_contrast=high_contrast,
                        who=who, watch=True, export_dir=export_dir, example=example,
                        protected=protected, name_checked=name_checked)
    except PlanError as exc:
        fail(exc.report() + "\nFix the file (or run 'coplan validate') and open it again.")
    # Closed from outside (the terminal gone), once its work is kept, nothing may keep the
    # process alive with nobody at it (``CoplanApp._end_promptly``).
    import os

    app.ends_process = os._exit
    app.run()


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--template", "-t", "template_name", default=None,
              shell_complete=complete_templates,
              help="Template for a new plan (see 'coplan templates').")
@click.option("--today", metavar="DATE", help="Treat this date as today (YYYY-MM-DD).")
@click.option("--high-contrast", is_flag=True, help="Start in the high-contrast theme.")
@click.option("--yes", "-y", is_flag=True, help="Create the plan without asking if it is missing.")
@click.option("--as", "who", metavar="NAME",
              help="Your name in change notices and the decision log (default: the 'name' "
                   "in your coplan config; never your login name).")
@click.option("--export-dir", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
              help="The only folder exports may be saved in (default: the plan's folder).")
@click.option("--protected", is_flag=True,
              help="Show the person --as names their own private details and nobody "
                   "else's, and change none of them (what 'coplan serve' opens for "
                   "everyone who does not look after private details).")
@click.option("--name-unchecked", "unchecked", is_flag=True,
              help="With --protected: the --as name was typed by the person and proves "
                   "nothing, so show nobody's private details, theirs neither.")
def edit(path: Path, template_name: str | None, today: str | None, high_contrast: bool,
         yes: bool, who: str | None, export_dir: Path | None, protected: bool,
         unchecked: bool) -> None:
    """Open a plan in the coplan app (creating it from a template if it does not exist)."""
    if not path.exists():
        from coplan.resources import plan_templates

        names = [t.name for t in plan_templates()]
        if not yes:
            if not _asks_a_person():
                fail(f"{path} does not exist; create it with 'coplan new {path}' or run "
                      "'coplan edit --yes' to create it from a template")
            if not click.confirm(f"{path} does not exist. Create it from a template?",
                                 default=True):
                click.echo(f"Nothing created. To start a plan later: coplan new {path}")
                sys.exit(0)
            if template_name is None:
                for template in plan_templates():
                    click.echo(f"  {template.name}: {template.title}")
                template_name = click.prompt("Which template", type=click.Choice(names),
                                             default="research-study")
        ctx = click.get_current_context()
        ctx.invoke(new, path=path, template_name=template_name or "research-study",
                   start=None, title=None, force=False, today=today)
    if export_dir is not None and not export_dir.is_dir():
        usage_error(f"--export-dir {export_dir}: there is no folder there; create it first")
    _run_app(path, today, high_contrast, who, export_dir, protected=protected,
             name_checked=not unchecked)


@cli.command()
@click.option("--example", default="minds-discharge", show_default=True,
              shell_complete=complete_examples,
              help="Which bundled example to open (see 'coplan templates').")
@click.option("--today", metavar="DATE",
              help="Treat this date as today (YYYY-MM-DD; default: the day the example's "
                   "delivery record runs to, where that is later than today).")
@click.option("--high-contrast", is_flag=True, help="Start in the high-contrast theme.")
def demo(example: str, today: str | None, high_contrast: bool) -> None:
    """Open a copy of a bundled example plan in a temporary folder, to try coplan safely."""
    import shutil
    import tempfile

    from coplan.resources import examples

    found = next((e for e in examples() if e.name == example), None)
    if found is None:
        usage_error(f"there is no example called '{example}'; see 'coplan templates'")
    folder = Path(tempfile.mkdtemp(prefix="coplan-demo-"))
    copy = folder / found.path.name
    shutil.copyfile(found.path, copy)
    story = None if today is not None else _story_day(copy)
    if story is not None:
        today = story.isoformat()
        click.echo(f"Opening a copy of the '{example}' example as things stood on "
                   f"{story.day} {story:%B %Y}, the day its record runs to: {copy}")
    else:
        click.echo(f"Opening a copy of the '{example}' example: {copy}")
    _run_app(copy, today, high_contrast, None, None, example=example)
    click.echo(f"Your copy is still there if you want it: {copy}")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              help="The address to listen on. Only this computer can reach 127.0.0.1.")
@click.option("--port", default=8000, show_default=True, type=int, metavar="PORT",
              help="The port.")
@click.option("--person", "people", multiple=True, metavar="NAME",
              help="Make a join link for this person (repeat for each). Without any, one "
                   "link is shared and each person types their name.")
@click.option("--people", "people_file", type=click.Path(path_type=Path), metavar="FILE",
              help="A text file with one person's name on each line; a link for each.")
@click.option("--expires", metavar="TIME",
              help="Links stop working, and open coplans close, after this long: 90m, 4h, 2d.")
@click.option("--max-sessions", default=8, show_default=True, type=click.IntRange(1, 200),
              metavar="N",
              help="How many coplans may be open at once (one for each browser tab).")
@click.option("--idle-timeout", default="30m", show_default=True, metavar="TIME",
              help="Close a coplan nobody has typed in for this long ('never' to keep it).")
@click.option("--public-url", metavar="URL",
              help="The address people use when a proxy with HTTPS stands in front, such as "
                   "https://plans.example.org.")
@click.option("--export-dir", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
              help="The only folder exports may be saved in (default: the plan's folder).")
@click.option("--allow-remote", is_flag=True,
              help="Listen on a --host other computers can reach.")
@click.option("--i-understand-plain-http", "plain_http", is_flag=True,
              help="With --allow-remote and no https --public-url: accept that links and "
                   "everything typed cross the network unencrypted.")
@click.option("--today", metavar="DATE",
              help="Every coplan opened treats this date as today (YYYY-MM-DD).")
def serve(path: Path, host: str, port: int, people: tuple[str, ...], people_file: Path | None,
          expires: str | None, max_sessions: int, idle_timeout: str, public_url: str | None,
          export_dir: Path | None, allow_remote: bool, plain_http: bool,
          today: str | None) -> None:
    """Open the plan in web browsers: each browser tab is its own coplan on the same file,
    and the tabs stay in step. Only people with a join link get in
    (docs/planning-together.md)."""
    from coplan import serve as serving
    from coplan.protected import looks_after_private_details

    if not path.is_file():
        fail(f"{path}: there is no plan here; create one with 'coplan new {path}'")
    plan = load(path)
    if export_dir is not None and not export_dir.is_dir():
        usage_error(f"--export-dir {export_dir}: there is no folder there; create it first")
    app = [sys.executable, "-m", "coplan", "edit", str(path.resolve())]
    if export_dir is not None:
        app.append(f"--export-dir={export_dir.resolve()}")
    if today is not None:
        app.append(f"--today={parse_date(today, '--today')}")
    try:
        names = list(people)
        if people_file is not None:
            names += _read_people(people_file)
        names = [serving.check_name(name) for name in names]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            given = " and ".join(filter(None, (
                "--person" if people else "",
                f"the list in {people_file}" if people_file is not None else "")))
            usage_error(f"{given}: {', '.join(repeated)} named more than once; give each "
                        "person one link")
        _refuse_strangers(plan, path, names, bool(people), people_file)
        settings = serving.Settings(
            argv=tuple(app),
            title=f"coplan: {path.name}", host=host, port=port,
            public_url=serving.check_public_url(public_url) if public_url else "",
            people=tuple(names),
            sees_everything=frozenset(name for name in names
                                      if looks_after_private_details(plan, name)),
            expires=serving.parse_duration(expires, "--expires") if expires else None,
            max_sessions=max_sessions,
            idle_timeout=None if idle_timeout.strip().lower() in ("never", "off") else
            serving.parse_duration(idle_timeout, "--idle-timeout"))
    except serving.ServeError as exc:  # an option's value
        usage_error(str(exc))
    if not settings.loopback:
        if not allow_remote:
            usage_error(f"--host {host} would let other computers reach coplan. Add "
                        "--allow-remote if you mean it; better, keep coplan on 127.0.0.1 "
                        "behind a proxy with HTTPS or an SSH tunnel (see "
                        "docs/planning-together.md).")
        if host in ("0.0.0.0", "::", ""):
            usage_error(f"--host {host} listens on every address this computer has; say "
                        "which address people will use with --public-url, such as "
                        f"--public-url http://192.168.1.20:{port}")
        if not settings.base_url.startswith("https://") and not plain_http:
            usage_error("--allow-remote over plain HTTP sends the join links and everything "
                        "people type across the network unencrypted. Put a proxy with HTTPS "
                        "in front and give its address with --public-url https://..., or add "
                        "--i-understand-plain-http on a network you trust.")
        click.echo(f"WARNING: coplan is listening on {host}, reachable from other computers.",
                   err=True)
    try:
        serving.serve(settings)
    except serving.ServeError as exc:
        fail(str(exc))


def _refuse_strangers(plan: Plan, path: Path, names: list[str], typed: bool,
                      people_file: Path | None) -> None:
    """Refuse a join link for a name the plan does not give anyone (or gives more than one
    person): the link would open as someone the plan does not know, who sees nobody's
    details, their own neither, which a typing slip should not decide.  The message names
    the people the plan has, as whoever runs the server can give them."""
    from coplan.errors import suggest
    from coplan.protected import people_called

    strangers = [name for name in names if len(people_called(plan, name)) != 1]
    if not strangers:
        return
    where = " and ".join(filter(None, ("--person" if typed else "", f"the list in "
                                       f"{people_file}" if people_file is not None else "")))
    known = [p.name or p.id for p in plan.people]
    shared = [name for name in strangers if people_called(plan, name)]
    if shared:
        usage_error(f"{where}: more than one person in {path.name} is called "
                    f"{', '.join(shared)}; give each one's id instead")
    hint = suggest(strangers[0], known)
    usage_error(f"{where}: nobody in {path.name} is called {', '.join(strangers)}"
                f"{f' ({hint})' if hint else ''}. A join link is for someone the plan "
                f"names: {', '.join(known) or 'nobody yet'}. Add a person to the plan "
                "first, or serve without --person for one link everyone shares.")


def _read_people(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"--people {path}: cannot read it ({exc}); give a text file with one name on "
             "each line")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


@cli.command("plugins")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for programs.")
def plugins_command(fmt: str) -> None:
    """List the plugins coplan has loaded, with their versions and what they add."""
    import contextlib

    from coplan.plugins import all_exporters, all_rules, collect, plugins
    from coplan.resources import offered_templates
    from coplan.review.engine import Registry

    loaded = plugins()
    rules = all_rules()
    exporters = all_exporters()
    templates = offered_templates()
    collect("coplan_commands")
    # What each plugin adds is what coplan took of it: a rule whose id is taken, an
    # exporter whose name is, a template that is not there, are left out (and warned of).
    rule_counts: dict[str, int] = {}
    registry = Registry()
    impls = loaded.manager.hook.coplan_register_rules.get_hookimpls()
    for impl in sorted(impls, key=lambda i: i.plugin_name != "builtin"):  # as all_rules
        before = len(registry)
        with contextlib.suppress(Exception):  # already warned about by all_rules()
            impl.function(registry=registry)
        rule_counts[impl.plugin_name] = len(registry) - before
    added: dict[str, dict[str, int]] = {name: {} for name in loaded.info}
    for exporter in exporters:
        origin = added.setdefault(exporters.origin(exporter.name), {})
        origin["exporters"] = origin.get("exporters", 0) + 1
    for origin_name, _ in templates:
        origin = added.setdefault(origin_name, {})
        origin["templates"] = origin.get("templates", 0) + 1
    for name, info in loaded.info.items():
        added[name]["commands"] = info.provides.get("coplan_commands", 0)
    import os

    if fmt == "json":
        _print_json({
            "format": "coplan-plugins", "version": 1,
            "plugins": [{"name": info.name, "version": info.version, "module": info.module,
                         "builtin": info.builtin, "rules": rule_counts.get(info.name, 0),
                         **{label: added[info.name].get(label, 0)
                            for label in ("exporters", "templates", "commands")},
                         "failed": list(loaded.failed.get(info.name, []))}
                        for info in loaded.info.values()],
            "rules": len(rules), "problems": list(loaded.warnings),
            "limited_by": os.environ.get("COPLAN_PLUGINS")})
        return
    click.echo(f"{'plugin':<16} {'version':<10} module")
    for info in loaded.info.values():
        parts = [count(rule_counts[info.name], "rule")] if rule_counts.get(info.name) else []
        for label in ("exporter", "template", "command"):
            if added[info.name].get(f"{label}s"):
                parts.append(count(added[info.name][f"{label}s"], label))
        label = "(built in)" if info.builtin else ""
        click.echo(f"{info.name:<16} {info.version:<10} {info.module} {label}".rstrip())
        if parts:
            click.echo(fitted(f"{'':<16} {'':<10} adds {', '.join(parts)}", hang=0))
        what = {"coplan_register_rules": "rules", "coplan_exporters": "exporters",
                "coplan_plan_templates": "templates", "coplan_commands": "commands"}
        for hook in loaded.failed.get(info.name, []):
            click.echo(fitted(f"{'':<16} {'':<10} ✖ its {what.get(hook, hook)} are left out: "
                              f"{hook} failed (see the warning above)", hang=0))
    click.echo(f"\n{len(rules)} review rules in all.")
    if loaded.warnings:
        click.echo(f"{count(len(loaded.warnings), 'plugin problem')}; see the warnings above.")
    if os.environ.get("COPLAN_PLUGINS") is not None:
        click.echo(f"COPLAN_PLUGINS={os.environ['COPLAN_PLUGINS']} limits which plugins load.")


@cli.command("merge")
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("ours", type=click.Path(path_type=Path))
@click.argument("theirs", type=click.Path(path_type=Path))
@click.argument("name", required=False, default="")
def merge_command(base: Path, ours: Path, theirs: Path, name: str) -> None:
    """Merge three versions of a plan, as git's merge driver (%O %A %B %P).

    The result goes into OURS: what THEIRS changed since BASE is taken into OURS item by
    item and field by field, keeping comments and layout.  Exit 0 when clean; exit 1 when
    a person must choose, with each clash left between conflict markers ('coplan validate'
    names their lines).  Set git up with 'coplan git setup'.
    """
    from coplan.errors import PlanError
    from coplan.gitmerge import run_driver

    shown = name or str(ours)
    try:
        outcome = run_driver(base, ours, theirs, name)
    except PlanError as exc:
        fail(exc.report())
    except OSError as exc:
        fail(f"{shown}: could not write the merged plan ({exc.strerror or exc})")
    if outcome.clean:
        return
    count = len(outcome.clashes)
    click.echo(f"{shown}: {count} clash{'es' if count != 1 else ''} for you to settle "
               "(between the <<<<<<< and >>>>>>> lines):", err=True)
    for clash in outcome.clashes:
        click.echo(f"  {clash}", err=True)
    click.echo(f"Keep the version you want of each, delete the marker lines, then run "
               f"'coplan validate {shown}'.", err=True)
    sys.exit(1)


@cli.group("git")
def git_group() -> None:
    """Use coplan with git: merges of plan files item by item and field by field."""


@git_group.command("setup")
@click.argument("patterns", nargs=-1)
@click.option("--global", "global_", is_flag=True,
              help="Set it up for every repository of yours, not only this one.")
@click.option("--command", "command", metavar="COMMAND",
              help="How git should run coplan (default: 'coplan' if it is on PATH, else "
                   "this Python with -m coplan).")
def git_setup(patterns: tuple[str, ...], global_: bool, command: str | None) -> None:
    """Make git merge plan files with coplan.

    Writes 'PATTERN merge=coplan' lines to .gitattributes (with --global, to your global
    attributes file) and the merge.coplan driver to git's config.  PATTERNS are file
    names or patterns such as '*.plan.toml'; by default '*.coplan.toml' and, in a
    repository, every plan file git tracks.
    """
    from coplan.gitmerge import GitSetupError, setup

    try:
        done = setup(patterns, global_=global_, command=command, cwd=Path.cwd())
    except GitSetupError as exc:
        fail(f"coplan git setup: {exc}")
    except OSError as exc:
        fail(f"coplan git setup: could not write {exc.filename}: {exc.strerror or exc}")
    shown = done.attributes
    if not global_ and done.attributes.is_relative_to(Path.cwd().resolve()):
        shown = done.attributes.relative_to(Path.cwd().resolve())
    if done.added:
        click.echo(f"Added to {shown}:")
        for line in done.added:
            click.echo(f"  {line}")
    else:
        click.echo(f"{shown} already has every line needed.")
    click.echo(f"Git now merges these plans with: {done.driver}  ({done.scope})")
    click.echo("On a clash, git stops and leaves both versions between conflict markers; "
               "'coplan validate' shows where.")


@cli.group(cls=ExportGroup)
def export() -> None:
    """Export a plan for other tools: calendars, documents, TaskJuggler, spreadsheets."""


def _leave_now(code: object) -> None:
    """End the process with ``code`` without freeing every object one by one, where the
    command said it may (``leave_without_tidying``): its output flushed, the exit handlers
    run and no other thread left, as a normal exit would.  Returns (and the process ends
    the usual way) where any of that is not so, or where flushing fails (a closed pipe),
    so that Python reports it as it always has."""
    import os
    import threading

    if code is None:
        code = 0
    if not isinstance(code, int) or not may_leave_without_tidying() \
            or threading.active_count() > 1:
        return
    if not _flushed():
        return
    import atexit

    atexit._run_exitfuncs()
    if _flushed():  # (exit handlers may have written more)
        os._exit(code)


def _flushed() -> bool:
    """Standard output and error flushed; False where that failed (a closed pipe)."""
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return False
    return True


_GC_YOUNG = 50_000  # allocations between collections of young objects (Python's is 700)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the CLI, turning any unexpected failure into a short message."""
    import gc

    # A command runs for a moment and makes many objects that live until it ends (a plan's
    # items, a schedule's dates): collecting young objects every 700 allocations spent a
    # fifth of a large schedule's time finding no garbage.  Cycles are still collected.
    gc.set_threshold(_GC_YOUNG, *gc.get_threshold()[1:])
    # The model's dataclasses are made from code compiled on an earlier run (codecache).
    from coplan import codecache

    codecache.install()
    one_command_process()
    try:
        return cli.main(args=argv, prog_name="coplan", standalone_mode=True)
    except SystemExit as done:
        # The process ends here, and everything it made goes with it: Python's last
        # collection of cycles at exit would only walk every object once more (a tenth
        # of a second at 20,000 stages).  Frozen objects are left out of it.
        gc.freeze()
        if argv is None:  # the process's own command, not a caller's
            codecache.save()
            _leave_now(done.code)
        raise
    except KeyboardInterrupt:
        fail("stopped.", 130)
    except Exception as exc:  # a bug in coplan, not in the user's plan
        import os
        import traceback

        if os.environ.get("COPLAN_DEBUG"):
            traceback.print_exc()
        fail(f"coplan hit a problem it did not expect ({type(exc).__name__}: {exc}).\n"
              "This is a bug in coplan, not in your plan. Run again with COPLAN_DEBUG=1 "
              "to see the details, and please report it.", EXIT_BUG)
    finally:
        codecache.save()
