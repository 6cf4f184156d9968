"""Every command's JSON names what it is the same way, and docs/json.md describes each.

``docs/json.md`` shows each command's real output (``tests/test_docs_commands.py`` keeps
it true); these tests hold the page to the commands: a section for every command that
gives JSON, every output starting with its ``format`` and ``version``, and every key that
holds a length listed with the kind of day (or unit) it counts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from coplan.cli import cli

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
EXAMPLE = str(ROOT / "examples" / "teaching-workshop.toml")
# A key that holds a length: its name says days, hours, minutes, a duration or a float.
LENGTH = re.compile(r"(days|hours|minutes|duration|float)$")


def json_commands() -> list[str]:
    """Every command (and subcommand) whose --format takes json."""
    found = []

    def walk(command: click.Command, name: str) -> None:
        if isinstance(command, click.Group):
            for sub_name, sub in command.commands.items():
                walk(sub, f"{name} {sub_name}".strip())
            return
        for param in command.params:
            if param.name == "fmt" and isinstance(param.type, click.Choice) \
                    and "json" in param.type.choices:
                found.append(name)

    walk(cli, "")
    return found


def output(command: str) -> dict[str, Any]:
    args = command.split()
    if command in ("validate", "check", "schedule", "status", "budget"):
        args += [EXAMPLE, "--today", "2027-11-15"] if command != "validate" else [EXAMPLE]
    done = CliRunner().invoke(cli, [*args, "--format", "json"],
                              env={"SOURCE_DATE_EPOCH": "1798761600"})
    assert done.exit_code in (0, 1), done.output
    data: dict[str, Any] = json.loads(done.output)
    return data


def test_the_commands_that_give_json_are_known() -> None:
    assert set(json_commands()) == {"validate", "check", "schedule", "status", "budget",
                                    "templates", "plugins"}


@pytest.mark.parametrize("command", json_commands())
def test_every_json_output_says_what_it_is_and_is_described(command: str) -> None:
    data = output(command)
    assert list(data)[:2] == ["format", "version"], list(data)[:3]
    assert data["format"] == f"coplan-{command}"
    assert isinstance(data["version"], int)
    assert f"\n## coplan {command}\n" in PAGE
    assert f"`\"coplan-{command}\"`" in PAGE


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return {str(k) for k in value} | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.mark.parametrize("command", json_commands())
def test_every_length_says_which_kind_of_day_it_counts(command: str) -> None:
    """The page's table lists every key holding a length, with what it counts."""
    data = output(command)
    table = {m.group(1) for m in re.finditer(r"`(\w+)`", PAGE.split("| Key |", 1)[1]
                                             .split("\n\n", 1)[0])}
    lengths = {k for k in _keys(data) if LENGTH.search(k)
               # (the matrix's and the rungs' keys are names and ids, not lengths)
               and k not in _keys(data.get("plans", [{}])[0].get("summary", {})
                                  .get("involvement_matrix", {}))}
    assert lengths <= table, sorted(lengths - table)
