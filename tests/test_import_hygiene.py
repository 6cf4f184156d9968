"""The domain never imports the UI, and the CLI's read-only commands never load Textual.

Each check runs in a fresh interpreter, as harlequin does, because modules already
imported by other tests would hide the problem.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DOMAIN = ["coplan.model", "coplan.vocab", "coplan.durations", "coplan.planfile",
          "coplan.tomltext", "coplan.edit", "coplan.workcal", "coplan.graph", "coplan.schedule",
          "coplan.export.scheduledata", "coplan.export.tjp", "coplan.cli"]

HEAVY = ["textual", "coplan.tui"]


def _loaded_after(code: str) -> set[str]:
    script = code + "\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_does_not_import_the_ui(module: str) -> None:
    loaded = _loaded_after(f"import {module}")
    assert not {m for m in loaded if m.split(".")[0] == "textual" or m.startswith("coplan.tui")}


def _cli_modules(args: list[str]) -> set[str]:
    code = ("import sys, runpy\n"
            "from coplan.cli import cli\n"
            f"try:\n    cli.main(args={args!r}, standalone_mode=False)\n"
            "except SystemExit:\n    pass\n")
    return _loaded_after(code)


def test_read_only_commands_do_not_load_textual(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('[project]\ntitle = "T"\nstart = 2027-01-04\n\n[[stage]]\nid = "a"\n'
                    'title = "A"\nduration = "1w"\n', encoding="utf-8")
    for args in (["validate", str(plan)], ["schedule", str(plan), "--format", "json"],
                 ["templates"], ["--version"]):
        loaded = _cli_modules(args)
        assert "textual" not in loaded, args
        assert "tomlkit" not in loaded or args[0] not in ("validate", "schedule"), args


def test_validate_parses_with_tomllib_not_tomlkit(tmp_path: Path) -> None:
    """Validation reads with the fast reader (tomli's compiled parser, else tomllib: see
    ``coplan.tomlparse``), never with tomlkit."""
    plan = tmp_path / "plan.toml"
    plan.write_text('[project]\ntitle = "T"\nstart = 2027-01-04\n', encoding="utf-8")
    loaded = _cli_modules(["validate", str(plan)])
    assert "coplan.tomlparse" in loaded and ("tomli" in loaded or "tomllib" in loaded)
    assert "tomlkit" not in loaded


# -- every command, every read-only form ---------------------------------------------------------

# Commands that change files or open the app: they may load tomlkit (and the app, Textual).
WRITERS = {"new", "edit", "demo", "serve", "baseline", "merge"}


def read_only_forms(plan: Path, out: Path) -> list[list[str]]:
    """Every read-only command in each of its forms, ``-o FILE`` and ``-o -`` included."""
    p = str(plan)
    forms: list[list[str]] = [["--version"], ["--help"], ["templates"], ["plugins"],
                              ["validate", p], ["export", "--help"], ["schema"],
                              ["schema", "-o", str(out / "plan.schema.json")],
                              ["schema", "-o", "-"], ["git", "--help"],
                              ["git", "setup", "--help"], ["merge", "--help"],
                              ["templates", "--format", "json"], ["plugins", "--format", "json"],
                              ["validate", p, "--format", "json"],
                              ["export", "csv", p, "--bom", "-o", "-"],
                              ["schedule", p, "--format", "csv", "--bom"]]
    forms += [[name, "--help"] for name in ("validate", "templates", "new", "schedule",
                                           "check", "edit", "demo", "serve", "plugins",
                                           "schema", "budget", "status")]
    for fmt in ("text", "json", "csv"):
        base = ["budget", p, "--format", fmt]
        forms += [base, [*base, "-o", str(out / f"budget-{fmt}")], [*base, "-o", "-"]]
    for fmt in ("text", "json"):
        base = ["status", p, "--format", fmt, "--today", "2027-06-01"]
        forms += [base, [*base, "-o", str(out / f"status-{fmt}")], [*base, "-o", "-"]]
    for fmt in ("table", "json", "csv"):
        base = ["schedule", p, "--format", fmt]
        forms += [base, [*base, "-o", str(out / f"schedule-{fmt}")], [*base, "-o", "-"]]
    for fmt in ("text", "json", "sarif", "junit", "markdown"):
        base = ["check", p, "--format", fmt]
        forms += [base, [*base, "-o", str(out / f"check-{fmt}")], [*base, "-o", "-"]]
    for name in ("tjp", "csv", "mermaid", "msproject"):
        base = ["export", name, p]
        forms += [base, [*base, "-o", str(out / f"export.{name}")], [*base, "-o", "-"],
                  ["export", name, "--help"]]
    ics = ["export", "ics", p, "--stamp", "2027-01-01T00:00:00Z"]
    forms += [ics, [*ics, "-o", str(out / "plan.ics")], [*ics, "-o", "-"],
              [*ics, "--no-state", "-o", str(out / "nostate.ics")], ["export", "ics", "--help"]]
    for fmt in ("md", "html"):
        base = ["export", "protocol", p, "--format", fmt]
        forms += [base, [*base, "-o", str(out / f"protocol.{fmt}")], [*base, "-o", "-"]]
    forms += [["export", "protocol", p, "-o", str(out / "protocol.docx")],
              ["export", "protocol", p, "--format", "docx", "-o", "-"],
              ["export", "protocol", p, "-o", str(out / "protocol.pdf")],
              ["export", "protocol", "--help"]]
    for name, extra in (("gripp2", ["--form", "long"]), ("impact", []), ("progress", []),
                        ("feedback", ["--person", "sam"]),
                        ("contributor-pack", ["--person", "sam"])):
        base = ["export", name, p, "--today", "2027-09-10", *extra]
        forms += [base, [*base, "-o", str(out / f"{name}.html")], [*base, "-o", "-"],
                  [*base, "-o", str(out / f"{name}.docx")], ["export", name, "--help"]]
    base = ["export", "payments", p, "--today", "2027-09-10"]
    forms += [base, [*base, "-o", str(out / "payments.csv")], [*base, "-o", "-"],
              [*base, "--format", "html"], [*base, "-o", str(out / "payments.docx")],
              ["export", "payments", "--help"]]
    # Publishing reads the plan and writes only to a server (none answers here: it stops
    # with a plain message after everything it would import is imported).
    forms += [["publish", p, "http://127.0.0.1:9/calendars/plan/"], ["publish", "--help"]]
    return forms


RUN_ALL = r"""
import contextlib, io, json, sys
from coplan.cli import cli

forms = json.loads(sys.argv[1])
watched = ("tomlkit", "textual")
report = []
for args in forms:
    before = {m for m in watched if m in sys.modules}
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            cli.main(args=args, prog_name="coplan", standalone_mode=False)
    except SystemExit:
        pass
    except Exception as exc:
        report.append({"args": args, "error": repr(exc)})
        continue
    report.append({"args": args, "loaded": sorted(m for m in watched
                                                  if m in sys.modules and m not in before)})
print(json.dumps(report))
"""


def test_every_read_only_command_stays_light(tmp_path: Path) -> None:
    """Run every read-only form of every command, one after another in one fresh
    interpreter, and name the first that loads tomlkit or Textual."""
    import json

    plan = tmp_path / "plan.toml"
    plan.write_text((Path(__file__).resolve().parents[1] / "examples" /
                     "minds-discharge.toml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    forms = read_only_forms(plan, out)
    done = subprocess.run([sys.executable, "-c", RUN_ALL, json.dumps(forms)],
                          capture_output=True, text=True, check=True, cwd=tmp_path)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert [r for r in report if "error" in r] == []
    assert [(r["args"], r["loaded"]) for r in report if r["loaded"]] == []
    # The -o forms really wrote their files (so the writing path was the one measured).
    written = {p.name for p in out.iterdir()}
    assert {"schedule-table", "check-text", "export.tjp", "plan.ics", "protocol.md",
            "protocol.docx"} <= written


def test_the_forms_cover_every_command(tmp_path: Path) -> None:
    import click

    from coplan.cli import cli

    forms = read_only_forms(tmp_path / "plan.toml", tmp_path)
    ctx = click.Context(cli)
    commands = set(cli.list_commands(ctx))
    export = cli.get_command(ctx, "export")
    assert isinstance(export, click.Group)
    exporters = set(export.list_commands(click.Context(export, parent=ctx)))
    covered = {f[0] for f in forms} | {f[1] for f in forms if f[0] == "export"}
    assert commands - WRITERS <= covered, commands - WRITERS - covered
    assert exporters <= covered, exporters - covered
    assert commands >= WRITERS  # a renamed writer must be looked at again


def test_the_light_commands_test_can_fail(tmp_path: Path) -> None:
    import json

    plan = tmp_path / "plan.toml"
    done = subprocess.run([sys.executable, "-c", RUN_ALL,
                           json.dumps([["templates"], ["new", str(plan)]])],
                          capture_output=True, text=True, check=True, cwd=tmp_path)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert [r["loaded"] for r in report] == [[], ["tomlkit"]]


def test_check_and_schedule_to_a_pipe_do_not_draw_with_rich() -> None:
    """Where the report or the table goes to a pipe (as here: the child's output is
    captured), its characters are worked out as plain text: rich's console, text and tables
    are not imported (rich.cells, which counts the width of characters, may be)."""
    root = Path(__file__).resolve().parents[1]
    for args in (["check", str(root / "examples" / "minds-discharge.toml")],
                 ["schedule", str(root / "examples" / "minds-discharge.toml")]):
        loaded = _loaded_after(
            "import os\nos.environ.pop('FORCE_COLOR', None)\n"
            "os.environ.pop('TTY_COMPATIBLE', None)\nos.environ['COLUMNS'] = '100'\n"
            "import io, contextlib\nfrom coplan.cli import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    try:\n        cli.main(args={args!r}, standalone_mode=False)\n"
            "    except SystemExit:\n        pass\n")
        assert not {"rich.console", "rich.text", "rich.table"} & loaded, args


def test_a_progress_report_does_not_load_the_protocols_renderers() -> None:
    """The reports on a running project need the protocol's content types and its Markdown
    runs, not Jinja2, the protocol's builder (which reviews the plan) or LibreOffice's
    helpers; the protocol itself loads what it uses."""
    root = Path(__file__).resolve().parents[1]
    minds = str(root / "examples" / "minds-discharge.toml")

    def loaded(args: list[str]) -> set[str]:
        return _loaded_after(
            "import io, contextlib\nfrom coplan.cli import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    try:\n        cli.main(args={args!r}, standalone_mode=False)\n"
            "    except SystemExit:\n        pass\n")

    heavy = {"jinja2", "markupsafe", "coplan.export.protocol.build", "coplan.review.rules",
             "coplan.export.protocol.office", "subprocess"}
    assert not heavy & loaded(["export", "progress", "--today", "2027-06-01", minds])
    protocol = loaded(["export", "protocol", minds])
    assert {"jinja2", "coplan.export.protocol.build", "coplan.review.rules"} <= protocol
    assert "subprocess" not in protocol  # (LibreOffice is run for ODT and PDF only)


def test_exporting_with_coplans_own_exporter_loads_no_plugins(tmp_path: Path) -> None:
    """``coplan export csv`` (one of coplan's own) finds its exporter without loading the
    plugins, as every other command of coplan's own does; listing every exporter still
    asks them."""
    plan = tmp_path / "plan.toml"
    plan.write_text('[project]\ntitle = "T"\nstart = 2027-01-04\n\n[[stage]]\nid = "a"\n'
                    'title = "A"\nduration = "1w"\n', encoding="utf-8")
    for name in ("csv", "mermaid", "tjp"):
        loaded = _cli_modules(["export", name, str(plan), "-o", str(tmp_path / name)])
        assert (tmp_path / name).stat().st_size > 0, name
        assert not {"pluggy", "coplan.plugins", "coplan.builtin"} & loaded, name
    loaded = _cli_modules(["export", "--help"])
    assert {"pluggy", "coplan.plugins", "coplan.builtin"} <= loaded


def test_check_without_other_plugins_does_not_load_the_plugin_manager(tmp_path: Path) -> None:
    """Where no plugin but coplan's own would load (``COPLAN_PLUGINS=none`` here, as in
    every test; none installed is the same), ``check`` registers coplan's own rules
    without pluggy (``plugins.all_rules``): about 12 million instructions of a ``check``
    of 500. ``coplan plugins`` still loads the manager, and lists the built-in plugin."""
    root = Path(__file__).resolve().parents[1]
    loaded = _cli_modules(["check", str(root / "examples" / "minds-discharge.toml"),
                           "--format", "json", "-o", str(tmp_path / "check.json")])
    assert "coplan.review.rules" in loaded and "coplan.plugins" in loaded
    assert not {"pluggy", "coplan.hooks", "coplan.builtin"} & loaded
    assert (tmp_path / "check.json").stat().st_size > 0
    assert {"pluggy", "coplan.hooks", "coplan.builtin"} <= _cli_modules(["plugins"])
