"""The serving section of docs/planning-together.md shows coplan's real output: each
``$ coplan serve ...`` example is run (up to the moment it would start listening) and its
output compared, join tokens aside, and the option list is ``coplan serve --help``."""

from __future__ import annotations

import re
import shlex
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan import serve as serving
from coplan.cli import cli

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "planning-together.md"
TOKEN = re.compile(r"token=[A-Za-z0-9_-]{43}")


def section() -> str:
    text = DOC.read_text(encoding="utf-8")
    return text.split("## Serving the plan to web browsers", 1)[1].split("\n## ", 1)[0]


def examples() -> list[tuple[str, str, int]]:
    """Each documented command, what it prints and its exit code."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", section(), re.S):
        lines = textwrap.dedent(block).splitlines()
        command, *output = lines
        code = 0
        if output[-2:] and output[-2] == "$ echo $?":
            code = int(output[-1])
            output = output[:-2]
        found.append((command.removeprefix("$ "), "\n".join(output), code))
    return found


def test_the_section_has_examples() -> None:
    assert len(examples()) == 4


@pytest.mark.parametrize("command, shown, code", examples())
def test_documented_output_is_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   command: str, shown: str, code: int) -> None:
    shutil.copyfile(ROOT / "examples" / "teaching-workshop.toml", tmp_path / "plan.toml")
    monkeypatch.chdir(tmp_path)
    printed: list[str] = []
    monkeypatch.setattr(serving, "serve", lambda settings: printed.append(
        serving.SafeServer(settings, echo=print).banner()))
    args = shlex.split(command)
    assert args[:2] == ["coplan", "serve"]
    # 78 columns: what click shows in an 80-column terminal.
    result = CliRunner().invoke(cli, args[1:], prog_name="coplan", terminal_width=78)
    assert result.exit_code == code, result.output
    said = result.output.rstrip("\n") + "\n".join(printed)
    assert TOKEN.sub("token=T", said) == TOKEN.sub("token=T", shown)


def test_the_option_list_is_the_help() -> None:
    shown = re.search(r"Every option \(`coplan serve --help`\):\n\n```text\n(.*?)```",
                      section(), re.S)
    assert shown is not None
    result = CliRunner().invoke(cli, ["serve", "--help"],
                                prog_name="coplan", terminal_width=78)
    assert result.exit_code == 0
    assert result.output == shown.group(1)
