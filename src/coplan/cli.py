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
from typing import Any

import click

from coplan import __version__
from coplan.cli_common import (
    EXIT_BUG,
    EXIT_INVALID,
    fail,
    load,
    make_schedule,
    note_input,
    parse_date,
    plan_error,
    to_stdout,
    write_or_print,
)
from coplan.cli_export import ExportGroup


class CoplanGroup(click.Group):
    """The top-level command: plugins may add commands, looked up only when a name is not
    one of coplan's own (so ordinary commands never load plugins)."""

    def _plugin_commands(self) -> dict[str, click.Command]:
        from coplan.plugins import collect, flatten

        found: dict[str, click.Command] = {}
        for _, command in flatten(collect("coplan_commands")):
            if command.name and command.name not in self.commands:
                found.setdefault(command.name, command)
        return found

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self._plugin_commands()))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self.commands.get(name) or self._plugin_commands().get(name)


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
def validate(paths: tuple[Path, ...], quiet: bool) -> None:
    """Check that plan files can be read and are well formed (exit 0 valid, 2 invalid).

    This checks the file itself: its syntax, keys, values, ids and links.  To review the
    co-production in a plan, use 'coplan check'.
    """
    from coplan.errors import PlanError
    from coplan.planfile import load_plan

    failed = False
    for path in paths:
        try:
            plan = load_plan(path, with_lines=False)
        except PlanError as exc:
            failed = True
            click.echo(exc.report(), err=True)
            continue
        if not quiet:
            n = len(plan.stages)
            click.echo(f"{path}: valid ({n} stage{'s' if n != 1 else ''}, "
                       f"{len(plan.people)} people, "
                       f"{sum(len(s.touchpoints) for s in plan.stages)} touchpoints)")
    if failed:
        sys.exit(EXIT_INVALID)


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
def templates() -> None:
    """List the plan templates and examples that 'coplan new' can start from."""
    from coplan.resources import examples, plan_templates

    rows = [("Templates", plan_templates()), ("Examples", examples())]
    width = max((len(t.name) for _, group in rows for t in group), default=10)
    for heading, group in rows:
        click.echo(f"{heading}:")
        for template in group:
            click.echo(f"  {template.name.ljust(width)}  {template.title}")
            if template.description:
                click.echo(f"  {' ' * width}  {template.description}")
        click.echo()
    click.echo("Start a plan with: coplan new my-plan.toml --template NAME")


def _next_monday(today: date) -> date:
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--template", "-t", "template_name", default="research-study", show_default=True,
              help="Which template to start from (see 'coplan templates').")
@click.option("--start", "start", metavar="DATE",
              help="The project's start date (default: next Monday).")
@click.option("--title", help="The project's title.")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def new(path: Path, template_name: str, start: str | None, title: str | None,
        force: bool) -> None:
    """Create a new plan at PATH from a template."""
    from coplan.edit import PlanDocument
    from coplan.errors import PlanError
    from coplan.fileio import describe_write_error, read_plan_text, write_text
    from coplan.resources import find_template, plan_templates

    template = find_template(template_name)
    if template is None:
        from coplan.errors import suggest

        names = [t.name for t in plan_templates()]
        hint = suggest(template_name, names) or "see 'coplan templates' for the list"
        fail(f"there is no template called '{template_name}'; {hint}")
    if path.exists() and not force:
        fail(f"{path} already exists; choose another name, or add --force to replace it")
    if path.suffix != ".toml":
        fail(f"{path}: plan files end in .toml; try {path.with_suffix('.toml')}")
    begin = parse_date(start, "--start") or _next_monday(date.today())
    try:
        doc = PlanDocument(read_plan_text(template.path), path)
    except PlanError as exc:
        plan_error(exc)
    old_start = doc.table("project").get("start")
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
    click.echo(f"Created {path} from the '{template.name}' template, starting {begin}.")
    click.echo(f"Next: coplan check {path}   or   coplan edit {path}")


@cli.command("schedule")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="table for people, json for programs, csv for spreadsheets.")
@click.option("--no-slow-down", is_flag=True,
              help="Schedule without slow-down buffers and reflection checkpoints.")
@click.option("--today", metavar="DATE", help="Show progress as of this date (YYYY-MM-DD).")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write to this file instead of the screen.")
def schedule_command(path: Path, fmt: str, no_slow_down: bool, today: str | None,
                     output: Path | None) -> None:
    """Date every stage, with slow-down time and reflection checkpoints."""
    day = parse_date(today, "--today")
    plan = load(path)
    from coplan.sharing import for_audience

    # A schedule is printed, pasted and sent on: it names only who agreed (``sharing``).
    plan, sched = for_audience(plan, make_schedule(plan, slow_down=not no_slow_down,
                                                   today=day))
    if fmt == "table":
        from coplan.export.scheduletable import print_schedule

        if to_stdout(output):
            print_schedule(sched, day)
            return
        import io

        from rich.console import Console

        buffer = io.StringIO()
        print_schedule(sched, day, Console(file=buffer, width=120))
        write_or_print(buffer.getvalue(), output)
        return
    from coplan.export import scheduledata

    text = scheduledata.to_json(sched, day) if fmt == "json" else scheduledata.to_csv(sched, day)
    write_or_print(text, output)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True, help="text for people, json for programs, csv for a grant "
                                      "application's spreadsheet.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write to this file (default, or -: the screen).")
def budget(path: Path, fmt: str, output: Path | None) -> None:
    """What the plan's involvement costs, worked out from its rates, sessions and needs,
    set against its budget.  Names no one: the lines are by stage and kind of cost."""
    from coplan.costs import cost_plan
    from coplan.export import delivery_report

    plan = load(path)
    costing = cost_plan(plan, make_schedule(plan))
    render = {"text": delivery_report.budget_text, "json": delivery_report.budget_json,
              "csv": delivery_report.budget_csv}[fmt]
    write_or_print(render(costing, plan), output)


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
    from coplan.delivery import status
    from coplan.export import delivery_report

    day = parse_date(today, "--today") or date.today()
    plan = load(path)
    found = status(plan, make_schedule(plan, today=day), day)
    text = delivery_report.status_json(found) if fmt == "json" else \
        delivery_report.status_text(found)
    write_or_print(text, output)
    sys.exit(1 if found.overdue else 0)


@cli.group()
def baseline() -> None:
    """Keep the schedule as agreed, to measure slippage against."""


@baseline.command("save")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--today", metavar="DATE", help="The date to save it as (default: today).")
def baseline_save(path: Path, today: str | None) -> None:
    """Save the plan's schedule as it now stands as its baseline ([baseline] in the plan),
    replacing any earlier one.  The schedule, the status and the progress report then show
    how far each stage and the finish move from it."""
    from coplan.edit import PlanDocument, set_baseline
    from coplan.fileio import FileRefused

    day = parse_date(today, "--today") or date.today()
    plan = load(path)
    sched = make_schedule(plan, today=day)
    try:
        doc = PlanDocument.open(path)
        set_baseline(doc, day, sched.finish,
                     [(s.id, sched.stages[s.id].start, sched.stages[s.id].end)
                      for s in plan.stages])
        doc.save()
    except (OSError, FileRefused) as exc:
        fail(f"{path}: could not save the baseline ({exc})")
    click.echo(f"Saved the baseline in {path}: {len(plan.stages)} stages, finishing "
               f"{sched.finish:%d %b %Y}.")


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
    2 a plan could not be read.
    """
    from coplan.errors import PlanError
    from coplan.planfile import load_plan
    from coplan.plugins import all_rules
    from coplan.review import review

    rules = all_rules()
    day = parse_date(today, "--today") or date.today()
    reports = []
    unreadable = False
    for path in paths:
        note_input(path)
        try:
            plan = load_plan(path)
        except PlanError as exc:
            click.echo(exc.report(), err=True)
            unreadable = True
            continue
        from coplan.schedule import ScheduleError, schedule

        try:
            sched = schedule(plan, today=day)
        except ScheduleError:
            sched = None
        reports.append(review(plan, sched, registry=rules, select=select.split(","),
                              ignore=ignore.split(","), today=day))
    if fmt == "text":
        import io

        from rich.console import Console

        from coplan.review.report_text import print_report

        buffer = None if to_stdout(output) else io.StringIO()
        console = Console(file=buffer, width=100) if buffer else Console()
        for i, report in enumerate(reports):
            if i:
                console.rule()
            print_report(report, console, summary=not no_summary)
        if buffer is not None:
            write_or_print(buffer.getvalue(), output)
    elif reports or fmt != "text":
        from coplan.review import report_formats as rf
        from coplan.sharing import shared_plan, shared_report

        # These reports leave the team's screen (a bid, a CI log, a code-scanning page):
        # they name only who agreed, and never anyone's needs (``sharing``).
        reports = [shared_report(r, shared_plan(r.plan)[0], r.plan) for r in reports]

        text = {"json": rf.to_json, "sarif": rf.to_sarif, "markdown": rf.to_markdown}.get(
            fmt, lambda r: rf.to_junit(r, strict=strict))(reports)
        write_or_print(text, output)
    if unreadable:
        sys.exit(EXIT_INVALID)
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    sys.exit(1 if errors or (strict and warnings) else 0)


def _run_app(path: Path, today: str | None, high_contrast: bool,
             who: str | None = None) -> None:
    from coplan.errors import PlanError
    from coplan.tui.app import CoplanApp

    try:
        app = CoplanApp(path, today=parse_date(today, "--today"), high_contrast=high_contrast,
                        who=who, watch=True)
    except PlanError as exc:
        fail(exc.report() + "\nFix the file (or run 'coplan validate') and open it again.")
    app.run()


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--template", "-t", "template_name", default=None,
              help="Template for a new plan (see 'coplan templates').")
@click.option("--today", metavar="DATE", help="Treat this date as today (YYYY-MM-DD).")
@click.option("--high-contrast", is_flag=True, help="Start in the high-contrast theme.")
@click.option("--yes", "-y", is_flag=True, help="Create the plan without asking if it is missing.")
@click.option("--as", "who", metavar="NAME",
              help="Your name in change notices and the decision log (default: the 'name' "
                   "in your coplan config, or your login name).")
def edit(path: Path, template_name: str | None, today: str | None, high_contrast: bool,
         yes: bool, who: str | None) -> None:
    """Open a plan in the coplan app (creating it from a template if it does not exist)."""
    if not path.exists():
        from coplan.resources import plan_templates

        names = [t.name for t in plan_templates()]
        if not yes:
            if not sys.stdin.isatty():
                fail(f"{path} does not exist; create it with 'coplan new {path}' or run "
                      "'coplan edit --yes' to create it from a template")
            if not click.confirm(f"{path} does not exist. Create it from a template?",
                                 default=True):
                sys.exit(0)
            if template_name is None:
                for template in plan_templates():
                    click.echo(f"  {template.name}: {template.title}")
                template_name = click.prompt("Which template", type=click.Choice(names),
                                             default="research-study")
        ctx = click.get_current_context()
        ctx.invoke(new, path=path, template_name=template_name or "research-study",
                   start=None, title=None, force=False)
    _run_app(path, today, high_contrast, who)


@cli.command()
@click.option("--example", default="minds-discharge", show_default=True,
              help="Which bundled example to open (see 'coplan templates').")
@click.option("--today", metavar="DATE", help="Treat this date as today (YYYY-MM-DD).")
@click.option("--high-contrast", is_flag=True, help="Start in the high-contrast theme.")
def demo(example: str, today: str | None, high_contrast: bool) -> None:
    """Open a copy of a bundled example plan in a temporary folder, to try coplan safely."""
    import shutil
    import tempfile

    from coplan.resources import examples

    found = next((e for e in examples() if e.name == example), None)
    if found is None:
        fail(f"there is no example called '{example}'; see 'coplan templates'")
    folder = Path(tempfile.mkdtemp(prefix="coplan-demo-"))
    copy = folder / found.path.name
    shutil.copyfile(found.path, copy)
    click.echo(f"Opening a copy of the '{example}' example: {copy}")
    _run_app(copy, today, high_contrast)
    click.echo(f"Your copy is still there if you want it: {copy}")


LOOPBACK = ("127.0.0.1", "localhost", "::1")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Only this computer can reach 127.0.0.1.")
@click.option("--port", default=8000, show_default=True, type=int, help="The port.")
@click.option("--allow-remote", is_flag=True,
              help="Allow a --host other computers can reach. There is no password: put it "
                   "behind an authenticating proxy or an SSH tunnel (docs/planning-together.md).")
def serve(path: Path, host: str, port: int, allow_remote: bool) -> None:
    """Open the plan in web browsers: each browser tab is its own coplan on the same file,
    and the tabs stay in step (docs/planning-together.md)."""
    import shlex

    if not path.is_file():
        fail(f"{path}: there is no plan here; create one with 'coplan new {path}'")
    load(path)
    if host not in LOOPBACK and not allow_remote:
        fail(f"--host {host} would let other computers reach coplan, and textual-serve has "
              "no password. Add --allow-remote if you mean it, behind an authenticating "
              "proxy or an SSH tunnel (see docs/planning-together.md).")
    if host not in LOOPBACK:
        click.echo("WARNING: coplan is reachable from other computers and anyone who can reach "
                   f"{host}:{port} can open and change this plan. textual-serve has no "
                   "authentication: use an SSH tunnel or an authenticating proxy.", err=True)
    from textual_serve.server import Server

    command = " ".join(shlex.quote(part) for part in
                       (sys.executable, "-m", "coplan", "edit", str(path.resolve()),
                        "--as", "browser"))
    click.echo(f"Serving {path} at http://{host}:{port} (Ctrl+C to stop)", err=True)
    Server(command, host=host, port=port, title=f"coplan: {path.name}").serve()


@cli.command("plugins")
def plugins_command() -> None:
    """List the plugins coplan has loaded, with their versions and what they add."""
    from coplan.plugins import all_exporters, all_rules, collect, plugins
    from coplan.review.engine import Registry

    loaded = plugins()
    rules = all_rules()
    all_exporters()
    collect("coplan_plan_templates")
    collect("coplan_commands")
    rule_counts: dict[str, int] = {}
    for impl in loaded.manager.hook.coplan_register_rules.get_hookimpls():
        registry = Registry()
        try:
            impl.function(registry=registry)
        except Exception:  # already warned about by all_rules()
            continue
        rule_counts[impl.plugin_name] = len(registry)
    click.echo(f"{'plugin':<16} {'version':<10} module")
    for info in loaded.info.values():
        parts = [f"{rule_counts[info.name]} rules"] if rule_counts.get(info.name) else []
        names = {"coplan_exporters": "exporters", "coplan_plan_templates": "templates",
                 "coplan_commands": "commands"}
        for hook, label in names.items():
            if info.provides.get(hook):
                parts.append(f"{info.provides[hook]} {label}")
        label = "(built in)" if info.builtin else ""
        click.echo(f"{info.name:<16} {info.version:<10} {info.module} {label}".rstrip())
        if parts:
            click.echo(f"{'':<16} {'':<10} adds {', '.join(parts)}")
    click.echo(f"\n{len(rules)} review rules in all.")
    if loaded.warnings:
        click.echo(f"{len(loaded.warnings)} plugin problem(s); see the warnings above.")
    import os

    if os.environ.get("COPLAN_PLUGINS") is not None:
        click.echo(f"COPLAN_PLUGINS={os.environ['COPLAN_PLUGINS']} limits which plugins load.")


@cli.group(cls=ExportGroup)
def export() -> None:
    """Export a plan for other tools: calendars, documents, TaskJuggler, spreadsheets."""


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the CLI, turning any unexpected failure into a short message."""
    try:
        return cli.main(args=argv, prog_name="coplan", standalone_mode=True)
    except SystemExit:
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
