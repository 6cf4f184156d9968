"""What scripts and shells can count on from every coplan command: exit statuses of their
own for a mistyped command line (64) and for a plan that cannot be read (2), ``-o -`` for
standard output wherever there is ``-o``, ``--format json`` for what a script reads, and
completion of template, example, audience and person names."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from coplan.cli import cli
from coplan.cli_common import EXIT_INVALID, EXIT_STATUSES, EXIT_USAGE

ROOT = Path(__file__).resolve().parents[1]
MINDS = ROOT / "examples" / "minds-discharge.toml"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="coplan", env=env)


# -- exit statuses ------------------------------------------------------------------------

def test_help_lists_every_exit_status() -> None:
    shown = run("--help").output
    assert "Exit status:" in shown
    section = shown.split("Exit status:")[1]
    for code, meaning in EXIT_STATUSES:
        assert f"  {code} " in section and meaning.split()[0] in section, code
    assert EXIT_USAGE not in (0, 1, EXIT_INVALID, 3)


@pytest.mark.parametrize("args", [
    ["no-such-command"],
    ["schedule"],                                          # a missing argument
    ["schedule", str(MINDS), "--no-such-option"],
    ["schedule", str(MINDS), "--format", "yaml"],           # not one of the choices
    ["schedule", str(MINDS), "--today", "tuesday"],         # an option's value
    ["export", "no-such-exporter", str(MINDS)],
    ["export", "ics", str(MINDS), "--bogus"],
    ["export", "ics", str(MINDS), "--audience", "everyone"],
    ["export", "ics", str(MINDS), "--from", "soon"],
    ["export", "protocol", str(MINDS), "--format", "rtf"],
    ["baseline", "save"],
    ["new", "x.toml", "--template", "no-such-template"],
    ["validate", "--format", "yaml", str(MINDS)],
    ["schedule", str(MINDS), "--bom"],                      # --bom is for CSV
    ["budget", str(MINDS), "--format", "json", "--bom"],
])
def test_a_mistyped_command_line_exits_64(args: list[str], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    done = run(*args)
    assert done.exit_code == EXIT_USAGE, (args, done.output)
    assert "Traceback" not in done.output
    assert not (tmp_path / "x.toml").exists()


def test_a_plan_that_cannot_be_read_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[project]\ntitle = "Bad"\nstart = 2027-02-30\n', encoding="utf-8")
    for args in (["validate", str(bad)], ["schedule", str(bad)], ["check", str(bad)],
                 ["export", "ics", str(bad)], ["schedule", str(tmp_path / "missing.toml")]):
        assert run(*args).exit_code == EXIT_INVALID, args


def test_the_installed_command_exits_64_too(tmp_path: Path) -> None:
    """As a shell sees it: the real process, through ``coplan.cli.main``."""
    done = subprocess.run([sys.executable, "-m", "coplan", "schedule", str(MINDS), "--nope"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == EXIT_USAGE, done.stderr
    assert "No such option" in done.stderr


# -- "-o -" everywhere --------------------------------------------------------------------

def _commands(group: click.Group, ctx: click.Context, prefix: tuple[str, ...] = ()
              ) -> list[tuple[tuple[str, ...], click.Command]]:
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            found += _commands(command, ctx, (*prefix, name))
        else:
            found.append(((*prefix, name), command))
    return found


def _writers() -> list[tuple[tuple[str, ...], click.Command]]:
    with click.Context(cli) as ctx:
        return [(name, command) for name, command in _commands(cli, ctx)
                if any("-o" in getattr(p, "opts", ()) for p in command.params)]


def test_every_command_with_dash_o_knows_dash() -> None:
    names = {" ".join(name) for name, _ in _writers()}
    assert {"schedule", "check", "budget", "status", "schema", "export ics",
            "export protocol", "export tjp", "export msproject"} <= names


@pytest.mark.parametrize("name,command", _writers(), ids=lambda v: " ".join(v)
                         if isinstance(v, tuple) else "")
def test_dash_o_dash_writes_to_standard_output(name: tuple[str, ...], command: click.Command,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "minds.toml"
    shutil.copy(MINDS, plan)
    monkeypatch.chdir(tmp_path)
    args = [*name]
    for param in command.params:
        if isinstance(param, click.Argument) and param.required:
            args.append(str(plan))
    if "--format" in {o for p in command.params for o in getattr(p, "opts", ())} and \
            name[-1] == "protocol":
        args += ["--format", "md"]
    done = run(*args, "-o", "-", env={"SOURCE_DATE_EPOCH": "1798761600"})
    assert done.exit_code in (0, 1), (args, done.output)
    assert done.stdout.strip(), args
    assert not (tmp_path / "-").exists(), f"{' '.join(args)} -o - wrote a file named '-'"


# -- JSON for scripts ---------------------------------------------------------------------

def test_validate_as_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[project]\ntitle = "Bad"\nstart = 2027-01-11\n\n[[stage]]\nid = "a"\n'
                   'title = "A"\nduration = "2 weeks"\n', encoding="utf-8")
    done = run("validate", "--format", "json", str(MINDS), str(bad))
    assert done.exit_code == EXIT_INVALID
    document = json.loads(done.stdout)
    assert document["format"] == "coplan-validate" and document["valid"] is False
    good, wrong = document["plans"]
    assert good == {"path": str(MINDS), "valid": True, "stages": 12, "people": 11,
                    "touchpoints": 23}
    assert wrong["valid"] is False and wrong["path"] == str(bad)
    (problem,) = wrong["problems"]
    assert problem["line"] == 8 and "'2 weeks' is not a length" in problem["message"]
    assert problem["file"] == str(bad)
    assert done.stderr == ""
    ok = run("validate", "--format", "json", str(MINDS))
    assert ok.exit_code == 0 and json.loads(ok.stdout)["valid"] is True


def test_templates_as_json() -> None:
    done = run("templates", "--format", "json")
    assert done.exit_code == 0
    document = json.loads(done.stdout)
    assert document["format"] == "coplan-templates"
    names = {t["name"] for t in document["templates"]}
    assert "research-study" in names
    assert {e["name"] for e in document["examples"]} >= {"minds-discharge", "teaching-workshop"}
    assert all(t["title"] for t in document["templates"] + document["examples"])


def test_plugins_as_json() -> None:
    done = run("plugins", "--format", "json")
    assert done.exit_code == 0
    document = json.loads(done.stdout)
    builtin = next(p for p in document["plugins"] if p["name"] == "builtin")
    assert builtin["builtin"] is True and builtin["exporters"] >= 10 and builtin["rules"] > 50
    assert document["rules"] == sum(p["rules"] for p in document["plugins"])


# -- shell completion ---------------------------------------------------------------------

def complete(line: str, folder: Path) -> list[str]:
    """What bash would be offered after ``line`` in ``folder``, through click's completion
    protocol (the words bash passes in COMP_WORDS and COMP_CWORD)."""
    words = line.split()
    current = len(words) - (0 if line.endswith(" ") else 1)
    old = Path.cwd()
    os.chdir(folder)
    try:
        done = run(env={"_COPLAN_COMPLETE": "bash_complete", "COMP_WORDS": line,
                        "COMP_CWORD": str(current)})
    finally:
        os.chdir(old)
    assert done.exit_code == 0, done.output
    return [item.split(",", 1)[1] for item in done.stdout.splitlines()]


def test_template_and_example_names_complete(tmp_path: Path) -> None:
    offered = complete("coplan new ours.toml --template ", tmp_path)
    assert {"research-study", "minds-discharge"} <= set(offered)
    assert complete("coplan new ours.toml --template research", tmp_path) == ["research-study"]
    assert complete("coplan edit ours.toml -t teach", tmp_path) == ["teaching-workshop"]
    assert set(complete("coplan demo --example ", tmp_path)) == {"minds-discharge",
                                                                  "teaching-workshop"}


def test_audience_and_person_names_complete(tmp_path: Path) -> None:
    shutil.copy(MINDS, tmp_path / "minds.toml")
    offered = complete("coplan export ics minds.toml --audience ", tmp_path)
    assert offered[:3] == ["team", "lived-experience", "leads"]
    assert {"sam", "amara", "nadia"} <= set(offered)
    assert complete("coplan export ics minds.toml --audience l", tmp_path) == [
        "lived-experience", "leads", "lee"]
    assert complete("coplan export feedback minds.toml --person s", tmp_path) == ["sam"]
    assert complete("coplan publish minds.toml http://x --audience l", tmp_path) == [
        "lived-experience", "leads", "lee"]
    # Before the plan is named, or when it cannot be read: the audiences alone.
    assert complete("coplan export ics --audience ", tmp_path) == [
        "team", "lived-experience", "leads"]
    (tmp_path / "broken.toml").write_text("[project\n", encoding="utf-8")
    assert complete("coplan export ics broken.toml --audience ", tmp_path) == [
        "team", "lived-experience", "leads"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_documented_completion_scripts_are_made(shell: str) -> None:
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert f"_COPLAN_COMPLETE={shell}_source coplan" in docs
    done = run(env={"_COPLAN_COMPLETE": f"{shell}_source"})
    assert done.exit_code == 0 and "_COPLAN_COMPLETE" in done.stdout

