"""Reports read on narrow screens: at 80 and 60 columns no line is too long and no word is
split or cut short, in `coplan check` and `coplan schedule`, for every example and template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.planfile import load_plan

ROOT = Path(__file__).resolve().parents[1]
PLANS = sorted([*ROOT.glob("examples/*.toml"), *ROOT.glob("templates/plans/*.toml")])


def _run(args: list[str], width: int) -> str:
    done = CliRunner().invoke(cli, args, env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert done.exit_code in (0, 1), done.output
    return done.output


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z][A-Za-z'’-]{3,}", text))


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
@pytest.mark.parametrize("command", ["check", "schedule"])
def test_no_line_too_long_and_no_word_split(command: str, plan: Path, width: int) -> None:
    out = _run([command, str(plan)], width)
    lines = out.splitlines()
    assert all(len(line.rstrip()) <= width for line in lines), \
        [line for line in lines if len(line.rstrip()) > width]
    assert "…" not in out  # nothing cut short
    loaded = load_plan(plan)
    # Every word of every stage title and phase appears whole: a split word would appear as
    # two fragments, neither of them the word.
    printed = _words(out)
    for stage in loaded.stages:
        missing = _words(stage.title) - printed
        assert not missing, (stage.title, missing)


def test_a_finding_on_a_narrow_screen_keeps_its_indent() -> None:
    out = _run(["check", str(ROOT / "templates" / "plans" / "research-study.toml")], 60)
    body = out.split("Summary for reviewers")[0].splitlines()[2:]
    for line in body:
        if line and not line.startswith(("Stage: ", "The whole plan", "People")):
            assert line.startswith("  "), line  # every finding line is indented under its group


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="needs a pseudo-terminal")
def test_a_problem_on_a_terminal_wraps_between_words(tmp_path: Path) -> None:
    """On a terminal a long problem message breaks between words under its first line; in
    a pipe or log it stays one line per problem (the bad-plan tests read it so)."""
    import os
    import subprocess
    import sys

    plan = tmp_path / "plan.toml"
    plan.write_text('[project]\ntitle = "x"\nstart = 2027-13-01\n', encoding="utf-8")
    main, child = os.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "coplan", "validate", plan.name],
                              stdin=subprocess.DEVNULL, stdout=child, stderr=child, cwd=tmp_path,
                              env={**os.environ, "COLUMNS": "60"}, timeout=120)
        os.close(child)
        chunks = []
        while True:
            try:
                data = os.read(main, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(main)
    out = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert done.returncode == 2
    lines = [line for line in out.splitlines() if line]
    assert all(len(line) <= 60 for line in lines), lines
    assert lines[0].startswith("plan.toml:3:9: '2027-13-01' is not a date")
    assert lines[1].startswith("    ")
    piped = subprocess.run([sys.executable, "-m", "coplan", "validate", str(plan)],
                           capture_output=True, text=True, env={**os.environ, "COLUMNS": "60"},
                           timeout=120)
    assert "there is no month 13 (months go from 01 to 12)" in piped.stderr


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("args", [
    ["templates"], ["plugins"],
    ["status", "examples/minds-discharge.toml", "--today", "2027-09-10"],
    ["budget", "examples/teaching-workshop.toml"],
], ids=lambda a: a[0] if isinstance(a, list) else str(a))
def test_listings_fit_the_screen_without_splitting_words(args: list[str], width: int) -> None:
    import os

    old = Path.cwd()
    os.chdir(ROOT)
    try:
        out = _run(args, width)
    finally:
        os.chdir(old)
    lines = out.splitlines()
    assert all(len(line.rstrip()) <= width for line in lines), \
        [line for line in lines if len(line.rstrip()) > width]
    wide = _run_wide(args)
    assert _words(wide) == _words(out)  # the same words, none split or cut


def _run_wide(args: list[str]) -> str:
    import os

    old = Path.cwd()
    os.chdir(ROOT)
    try:
        return _run(args, 400)
    finally:
        os.chdir(old)
