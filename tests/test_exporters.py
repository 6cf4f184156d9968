"""The exporter contract: every export goes through ``run_export``, the built-in exporters
give exactly what the functions behind them give, and ``coplan export NAME`` is built from
an exporter's declaration alone (so a plugin's exporter is a first-class command).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.cli_export import command_for
from coplan.clock import today
from coplan.delivery import as_recorded
from coplan.export import exporters as builtin
from coplan.export.contract import (
    Exporter,
    ExportError,
    Format,
    Option,
    Options,
    StateSpec,
    run_export,
)
from coplan.model import Plan
from coplan.planfile import load_plan
from coplan.review.rules import builtin_rules
from coplan.schedule import Schedule, schedule

ROOT = Path(__file__).resolve().parents[1]
PLANS = sorted((ROOT / "examples").glob("*.toml")) + sorted(
    (ROOT / "templates" / "plans").glob("*.toml"))
MINDS = ROOT / "examples" / "minds-discharge.toml"
STAMP = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


@cache
def planned(path: Path, slow_down: bool = True) -> tuple[Plan, Schedule]:
    plan = load_plan(path)
    return plan, schedule(plan, slow_down=slow_down)


def shared(plan: Plan, sched: Schedule, audience: str = "team",
           day: date | None = None) -> tuple[Plan, Schedule]:
    """What every exporter is given: the copy made for its audience (``sharing``), its
    sessions as the delivery record says on the export's day (default: today's)."""
    from coplan.sharing import for_audience

    copy, copied = for_audience(plan, sched, audience)
    return copy, as_recorded(copied, day or today())


# -- the built-ins give what the functions behind them give --------------------------------

@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_schedule_exporters_add_nothing_to_their_functions(path: Path) -> None:
    from coplan.export.mermaid import to_mermaid
    from coplan.export.msproject import to_msproject
    from coplan.export.scheduledata import to_csv
    from coplan.export.tjp import to_tjp

    plan, sched = planned(path)
    copy, copied = shared(plan, sched)
    plain = as_recorded(schedule(copy, slow_down=False), today())
    for exporter, make in ((builtin.TJP, to_tjp), (builtin.CSV, to_csv),
                           (builtin.MSPROJECT, to_msproject), (builtin.MERMAID, to_mermaid)):
        assert run_export(exporter, plan, sched, Options()) == make(copied).encode()
        slower = run_export(exporter, plan, sched, Options(values={"slow_down": False}))
        assert slower == make(plain).encode(), exporter.name
    fenced = run_export(builtin.MERMAID, plan, sched, Options(values={"fenced": True}))
    assert fenced == to_mermaid(copied, fenced=True).encode()


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_the_calendar_exporter_adds_nothing_to_to_ics(path: Path) -> None:
    from coplan.export.ics import ExportOptions, SequenceState, plan_key, to_ics

    plan, sched = planned(path)
    for audience in ("team", "lived-experience", "leads", *(p.id for p in plan.people[:2])):
        asked = Options(audience=audience, when=STAMP, state=SequenceState(),
                        values={"include": builtin.CALENDAR_KINDS, "from": date(2027, 3, 1)})
        direct = to_ics(shared(plan, sched, audience, STAMP.date())[1],
                        ExportOptions(audience=audience, include=builtin.CALENDAR_KINDS,
                                      start=date(2027, 3, 1), stamp=STAMP,
                                      plan_key=plan_key(plan)), SequenceState())
        assert run_export(builtin.ICS, plan, sched, asked) == direct, audience


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_the_protocol_exporter_adds_nothing_to_export_protocol(path: Path) -> None:
    from coplan.export.protocol import export_protocol
    from coplan.review import review
    from coplan.sharing import shared_report

    plan, sched = planned(path)
    copy, copied = shared(plan, sched, day=STAMP.date())
    report = shared_report(review(plan, sched, registry=builtin_rules()), copy, plan)
    for fmt in ("md", "html"):
        for plain in (False, True):
            made = run_export(builtin.PROTOCOL, plan, sched,
                              Options(format=fmt, when=STAMP, values={"plain": plain}))
            direct = export_protocol(copy, copied, fmt, plain=plain, produced=STAMP.date(),
                                     report=report, source=plan)
            assert made == str(direct.data).encode(), (fmt, plain)


def test_the_calendar_declaration_matches_the_calendar() -> None:
    from coplan.export import ics

    assert builtin.CALENDAR_KINDS == ics.KINDS
    assert builtin.ICS.defaults()["include"] == ics.DEFAULT_KINDS
    assert builtin.ICS.audiences == ics.AUDIENCES


def test_the_protocol_declaration_matches_the_protocol() -> None:
    from coplan.export import protocol

    assert tuple(f.name for f in builtin.PROTOCOL.formats) == protocol.FORMATS
    assert tuple(f.name for f in builtin.PROTOCOL.formats if f.binary) == protocol.BINARY
    for suffix, name in protocol.SUFFIXES.items():
        assert builtin.PROTOCOL.format_for(Path("p" + suffix)).name == name


def test_the_protocol_counts_its_gaps_in_a_note() -> None:
    plan, sched = planned(MINDS)
    options = Options(when=STAMP)
    run_export(builtin.PROTOCOL, plan, sched, options)
    assert options.notes == ["0 open gaps: the plan answers every part of the protocol."]


def test_the_protocol_reviews_with_the_rules_it_is_given() -> None:
    from coplan.review import Registry, Severity, rule

    plan, sched = planned(MINDS)
    rules = builtin_rules()

    @rule("CP-META-999", "A rule of the caller's", Severity.ERROR, why="A test.", fix="None.",
          registry=rules)
    def always(ctx):  # type: ignore[no-untyped-def]
        yield ctx.project(), "found by the caller's own rule"

    assert Registry() is not rules
    text = run_export(builtin.PROTOCOL, plan, sched, Options(when=STAMP, rules=lambda: rules))
    assert b"| CP-META-999 | The project | Found by the caller's own rule. |" in text
    assert f"{len(rules)} rules".encode() in text
    plain = run_export(builtin.PROTOCOL, plan, sched, Options(when=STAMP))
    assert b"CP-META-999" not in plain, "without rules: coplan's own only"
    assert f"{len(rules) - 1} rules".encode() in plain


# -- the choke point ---------------------------------------------------------------------------

def _echo(plan: Plan, sched: Schedule, options: Options) -> bytes:
    shown = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in
             options.values.items()}
    return repr((options.format, options.audience, sorted(shown.items()))).encode()


ECHO = Exporter(
    name="echo",
    description="Says what it was asked for.",
    formats=(Format("txt", ".txt", "text/plain"), Format("bin", ".bin",
                                                         "application/octet-stream",
                                                         binary=True)),
    audiences=("team", "leads"),
    per_person=True,
    options=(Option("loud", "flag", "Shout.", default=False),
             Option("slow_down", "flag", "Leave out the slow-down buffers.", default=True),
             Option("colour", "choice", "A colour.", default="red", choices=("red", "blue")),
             Option("words", "list", "Some words.", default=("a", "b")),
             Option("from", "date", "A date.", metavar="DATE"),
             Option("at", "datetime", "A moment."),
             Option("folder", "folder", "A folder."),
             Option("name", "text", "A name.")),
    run=_echo,
)


def test_run_export_settles_the_request_before_the_exporter_sees_it() -> None:
    plan, sched = planned(MINDS)
    out = run_export(ECHO, plan, sched, Options(values={"loud": True}))
    assert out == repr(("txt", "team", sorted({
        "loud": True, "slow_down": True, "colour": "red", "words": ("a", "b"), "from": None,
        "at": None, "folder": None, "name": None}.items()))).encode()


def test_run_export_refuses_what_the_exporter_does_not_declare() -> None:
    plan, sched = planned(MINDS)
    with pytest.raises(ExportError, match="'pdf' is not a format echo writes") as found:
        run_export(ECHO, plan, sched, Options(format="pdf"))
    assert found.value.option == "format"
    with pytest.raises(ExportError, match="'lived-experience' is not an audience") as found:
        run_export(ECHO, plan, sched, Options(audience="lived-experience"))
    assert found.value.about_plan
    with pytest.raises(ExportError, match="did you mean 'sam'"):
        run_export(ECHO, plan, sched, Options(audience="sma"))
    with pytest.raises(ExportError, match="'leads' is not an audience: use team"):
        run_export(builtin.TJP, plan, sched, Options(audience="leads"))
    with pytest.raises(ExportError, match="'green' is not one of red, blue"):
        run_export(ECHO, plan, sched, Options(values={"colour": "green"}))
    with pytest.raises(TypeError, match="has no option shout"):
        run_export(ECHO, plan, sched, Options(values={"shout": True}))
    with pytest.raises(TypeError, match="holds a flag"):
        run_export(ECHO, plan, sched, Options(values={"loud": "yes"}))
    assert run_export(ECHO, plan, sched, Options(audience="sam")).startswith(b"('txt', 'sam'")


def test_an_exporter_must_return_bytes() -> None:
    plan, sched = planned(MINDS)
    texty = Exporter("texty", "Returns text.", (Format("txt", ".txt", "text/plain"),),
                     run=lambda plan, sched, options: "text")  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError, match="returned str, not bytes"):
        run_export(texty, plan, sched, Options())


@pytest.mark.parametrize(("kind", "text", "message"), [
    ("date", "2027-13-01", "'2027-13-01' is not a date: there is no month 13 "),
    ("date", "2027-02-30", "'2027-02-30' is not a date: February 2027 has 28 days"),
    ("date", "soon", "'soon' is not a date; write it as YYYY-MM-DD"),
    ("datetime", "yesterday", "'yesterday' is not a date and time; write it as "
                              "2027-01-11T09:00:00Z"),
    ("folder", "/no/such/folder", "/no/such/folder is not a folder"),
    ("flag", "perhaps", "'perhaps' is not yes or no"),
])
def test_options_parse_in_plain_words(kind: str, text: str, message: str) -> None:
    option = Option("x", kind, "Help.")  # type: ignore[arg-type]
    with pytest.raises(ExportError, match=message) as found:
        option.parse(text)
    assert found.value.option == "x"


def test_options_parse_to_typed_values(tmp_path: Path) -> None:
    assert Option("x", "date", "").parse("2027-01-11") == date(2027, 1, 11)
    assert Option("x", "datetime", "").parse("2027-01-11T09:00") == datetime(
        2027, 1, 11, 9, 0, tzinfo=UTC)
    assert Option("x", "list", "").parse(" a, b ,,c ") == ("a", "b", "c")
    assert Option("x", "folder", "").parse(str(tmp_path)) == tmp_path
    assert Option("x", "flag", "").parse("yes") is True
    assert Option("x", "text", "").parse("  ") is None


# -- the command line is built from the declaration --------------------------------------------

OLD_FLAGS = {
    "ics": {"--output", "-o", "--audience", "--person", "--include", "--from", "--to",
            "--stamp", "--state", "--no-state", "--today"},
    "protocol": {"--output", "-o", "--format", "--plain", "--template", "--today"},
    "tjp": {"--output", "-o", "--no-slow-down", "--today"},
    "csv": {"--output", "-o", "--no-slow-down", "--bom", "--today"},
    "mermaid": {"--output", "-o", "--no-slow-down", "--fenced", "--today"},
    "msproject": {"--output", "-o", "--no-slow-down", "--today"},
    "gripp2": {"--output", "-o", "--format", "--audience", "--form", "--today"},
    "impact": {"--output", "-o", "--format", "--audience", "--today"},
    "feedback": {"--output", "-o", "--format", "--audience", "--person", "--today"},
    "progress": {"--output", "-o", "--format", "--audience", "--today"},
    "contributor-pack": {"--output", "-o", "--format", "--audience", "--person", "--today"},
    "payments": {"--output", "-o", "--format", "--today", "--from", "--to", "--bom"},
}


@pytest.mark.parametrize("exporter", builtin.BUILTIN, ids=lambda e: e.name)
def test_every_command_line_flag_of_before_is_still_there(exporter: Exporter) -> None:
    command = command_for(exporter)
    flags = {flag for param in command.params for flag in getattr(param, "opts", ())
             if flag.startswith("-")}
    assert flags == OLD_FLAGS[exporter.name]
    assert command.params[0].name == "path"


def test_a_declared_exporter_is_a_whole_command(tmp_path: Path) -> None:
    """What a plugin gets for a declaration: every kind of option, formats by suffix or
    --format, --audience, binary formats only to a file, plain failures with exit 2."""
    command = command_for(ECHO)
    runner = CliRunner()
    done = runner.invoke(command, [str(MINDS), "--loud", "--no-slow-down", "--colour", "blue",
                                   "--words", "x,y", "--from", "2027-02-01", "--at",
                                   "2027-01-01T10:00:00", "--folder", str(tmp_path), "--name",
                                   "N", "--audience", "leads"])
    assert done.exit_code == 0, done.output
    assert "'loud', True" in done.output and "'slow_down', False" in done.output
    assert "'colour', 'blue'" in done.output and "('x', 'y')" in done.output
    assert "'from', '2027-02-01'" in done.output and "'leads'" in done.output
    out = tmp_path / "echo.bin"
    done = runner.invoke(command, [str(MINDS), "-o", str(out)])
    assert done.exit_code == 0 and out.read_bytes().startswith(b"('bin'")
    assert f"Wrote {out}" in done.output
    for args, message in (
            (["--format", "bin"], "a BIN file cannot be printed on the screen; add -o FILE, "
                                  "such as -o echo.bin"),
            (["--from", "soon"], "--from: 'soon' is not a date"),
            (["--folder", str(tmp_path / "nowhere")], f"--folder: {tmp_path / 'nowhere'} is "
                                                      "not a folder"),
            (["--audience", "everyone"], f"{MINDS}: 'everyone' is not an audience")):
        done = runner.invoke(command, [str(MINDS), *args])
        assert done.exit_code == 64, args  # how the export was asked for
        assert message in done.output, (args, done.output)


class Counter:
    """A state that counts the exports it has seen."""

    def __init__(self, count: int) -> None:
        self.count = count

    def dumps(self) -> str:
        return f"{self.count}\n"


def _counting(plan: Plan, sched: Schedule, options: Options) -> bytes:
    options.state.count += 1
    options.note(f"export number {options.state.count}")
    return f"{options.state.count}\n".encode()


COUNTING = Exporter(
    name="counting", description="Counts.", formats=(Format("txt", ".txt", "text/plain"),),
    state=StateSpec(load=lambda text: Counter(int(text or 0)), what="the count",
                    without="it starts at 1", lost="the count starts again"),
    run=_counting)


def test_state_is_loaded_before_and_saved_after_by_the_caller(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(MINDS.read_text(encoding="utf-8"), encoding="utf-8")
    command = command_for(COUNTING)
    runner = CliRunner()
    kept = tmp_path / ".plan.counting-state.json"
    for expected in (1, 2):
        done = runner.invoke(command, [str(plan), "-o", str(tmp_path / "n.txt")])
        assert done.exit_code == 0, done.output
        assert done.stderr.splitlines() == [f"Wrote {tmp_path / 'n.txt'}",
                                            f"export number {expected}"]
        assert kept.read_text(encoding="utf-8") == f"{expected}\n"
    done = runner.invoke(command, [str(plan), "--no-state"])
    assert done.stdout == "1\n" and kept.read_text(encoding="utf-8") == "2\n"
    own = tmp_path / "own.json"
    runner.invoke(command, [str(plan), "--state", str(own)])
    assert own.read_text(encoding="utf-8") == "1\n"
    assert "--no-state" in runner.invoke(command, ["--help"]).output


def test_export_help_lists_every_exporter() -> None:
    done = CliRunner().invoke(cli, ["export", "--help"])
    for exporter in builtin.BUILTIN:
        assert f"  {exporter.name} " in done.output


# -- plugins: exporters, and only exporters, from the hook -------------------------------------

def test_all_exporters_leaves_out_what_is_not_an_exporter(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import pluggy

    import coplan.builtin
    import coplan.plugins as plugins_module
    from coplan.hooks import GROUP, Specs, hookimpl

    class Plugin:
        @hookimpl
        def coplan_exporters(self) -> list[object]:
            return [ECHO, "not an exporter", builtin.ICS]

    manager = pluggy.PluginManager(GROUP)
    manager.add_hookspecs(Specs)
    manager.register(coplan.builtin, name="builtin")
    manager.register(Plugin(), name="odd")
    fake = plugins_module.Plugins(manager, {}, [])
    monkeypatch.setattr(plugins_module, "plugins", lambda: fake)
    found = plugins_module.all_exporters()
    assert found.names() == [e.name for e in builtin.BUILTIN] + ["echo"]
    assert found.origin("echo") == "odd" and found.origin("ics") == "builtin"
    assert found.get("ics") is builtin.ICS
    warnings = capsys.readouterr().err
    assert "plugin 'odd' gave coplan_exporters a str, not a coplan Exporter" in warnings
    assert "plugin 'odd' adds an exporter called 'ics', which 'builtin' already adds" in warnings


def test_coplans_own_exporters_are_the_ones_the_plugins_would_give() -> None:
    """``coplan export NAME`` takes one of coplan's own exporters without loading the
    plugins: it must be the very exporter gathering them all gives for that name."""
    from coplan.cli_export import _builtin
    from coplan.plugins import all_exporters

    found = all_exporters()
    own = [name for name in found.names() if found.origin(name) == "builtin"]
    assert own == [e.name for e in builtin.BUILTIN]
    for name in found.names():
        assert _builtin(name) is (found.get(name) if name in own else None), name
    assert _builtin("no-such-exporter") is None


# -- rules: registries, not a global ----------------------------------------------------------

def test_rule_registries_are_independent() -> None:
    from coplan.review import Severity, rule
    from coplan.review.rules import THEMES

    first, second = builtin_rules(), builtin_rules()
    assert [r.id for r in first] == [r.id for r in second]
    assert len(first) == sum(len(theme.RULES) for theme in THEMES)
    rule("CP-TST-900", "Only in the first", Severity.INFO, why=".", fix=".",
         registry=first)(lambda ctx: iter(()))
    assert "CP-TST-900" in first and "CP-TST-900" not in second
    assert "CP-TST-900" not in builtin_rules()


def test_importing_the_review_registers_nothing_and_loads_no_plugins() -> None:
    script = ("import sys, coplan.review, coplan.review.rules, coplan.export.contract, "
              "coplan.export.exporters, coplan.export.protocol\n"
              "print(sorted(m for m in sys.modules if m in ('coplan.plugins', "
              "'coplan.builtin', 'pluggy', 'coplan.cli', 'click')))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_the_exporter_in_docs_plugins_md_runs() -> None:
    """The exporter docs/plugins.md shows is real code that runs through the choke point."""
    import re

    text = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    code = next(block for block in re.findall(r"```python\n(.*?)```", text, re.DOTALL)
                if "FUNDER_REPORT = Exporter(" in block)
    space: dict[str, object] = {}
    exec(compile(code, "docs/plugins.md", "exec"), space)
    exporter = space["FUNDER_REPORT"]
    assert isinstance(exporter, Exporter)
    assert space["coplan_exporters"]() == [exporter]  # type: ignore[operator]
    plan, sched = planned(MINDS)
    out = run_export(exporter, plan, sched, Options()).decode("utf-8")
    assert out.startswith("# Involvement summary for the funder: MINDS")
    assert "Sam" not in out, "names only where people agreed"
