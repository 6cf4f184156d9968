"""The commands the docs show are run, and what they print is what the docs say.

Every ```console block in README.md and docs/*.md (but pages whose commands have a test of
their own, ``CHECKED_ELSEWHERE``) holds commands (lines starting with ``$ coplan``), each
followed by what it prints.  This test runs each command with coplan's own command line, in
a scratch folder holding a copy of the examples (so commands that write files write there),
and compares.  After a deliberate change, rewrite the outputs with:

    python tests/test_docs_commands.py
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)
CHECKED_ELSEWHERE = {
    # coplan serve starts a server: its examples are run up to the moment it would listen
    # (the git section needs real git and branches: tests/together/test_git_docs.py).
    "planning-together.md": "tests/serve/test_serve_docs.py",
}
PAGES = sorted(p for p in [*DOCS.glob("*.md"), ROOT / "README.md"]
               if "```console" in p.read_text(encoding="utf-8")
               and p.name not in CHECKED_ELSEWHERE)


def run(command: str, folder: Path) -> str:
    """What ``command`` (a ``coplan ...`` line) prints, run in ``folder``."""
    from click.testing import CliRunner

    from coplan.cli import cli

    args = shlex.split(command)
    assert args[0] == "coplan", command
    old = Path.cwd()
    os.chdir(folder)
    try:
        done = CliRunner().invoke(cli, args[1:], prog_name="coplan",
                                  env={"SOURCE_DATE_EPOCH": "1798761600", "COLUMNS": "100"})
    finally:
        os.chdir(old)
    assert done.exit_code in (0, 1), (command, done.output, done.exception)
    return done.output


def render(text: str, folder: Path) -> str:
    """The page with the output of every command in its console blocks brought up to date."""

    def block(match: re.Match[str]) -> str:
        out = []
        for line in match.group(1).splitlines():
            if line.startswith("$ "):
                out.append(line)
                printed = run(line[2:], folder)
                out += printed.rstrip("\n").split("\n") if printed.strip() else []
        return "```console\n" + "\n".join(out) + "\n```"

    return BLOCK.sub(block, text)


def scratch(folder: Path) -> Path:
    shutil.copytree(ROOT / "examples", folder / "examples")
    return folder


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_documented_commands_print_what_the_docs_say(page: Path, tmp_path: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert text == render(text, scratch(tmp_path)), \
        f"{page.name} shows output the commands no longer print: run python {__file__}"


def test_every_page_with_commands_is_checked() -> None:
    for name, test in CHECKED_ELSEWHERE.items():
        assert (ROOT / test).is_file(), (name, test)
    shown = {p.name for p in [*DOCS.glob("*.md"), ROOT / "README.md"]
             if "```console" in p.read_text(encoding="utf-8")}
    assert shown == {p.name for p in PAGES} | set(CHECKED_ELSEWHERE)


def test_the_running_page_is_covered() -> None:
    assert DOCS / "running.md" in PAGES
    text = (DOCS / "running.md").read_text(encoding="utf-8")
    for command in ("coplan status", "coplan budget", "coplan baseline save",
                    "coplan export gripp2", "coplan export impact", "coplan export feedback",
                    "coplan export progress", "coplan export contributor-pack"):
        assert f"$ {command}" in text, command


if __name__ == "__main__":  # rewrite the outputs in place
    import tempfile

    sys.path.insert(0, str(ROOT / "src"))
    for page in PAGES:
        with tempfile.TemporaryDirectory() as tmp:
            page.write_text(render(page.read_text(encoding="utf-8"), scratch(Path(tmp))),
                            encoding="utf-8")
            print(f"wrote {page.relative_to(ROOT)}")
