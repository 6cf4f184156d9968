"""Every file in tests/bad_plans/ fails to load with exactly the problems it expects.

Each bad plan starts with its expectations as comments::

    # expect: 15:3: 'co_desing' is not a ladder rung | did you mean 'co-design'?

that is ``LINE[:COLUMN]: part of the message | part of the fix``.  A missing column means
column 0, and line 0 a problem with the whole file; nothing after ``|`` means the problem
has no separate fix.  Where a problem may rightly be reported in several places (a loop of
stages can be told from any stage in it), the places are separated by ``/`` and a loop
``a → b → c → a`` matches any rotation of it.  Files that cannot hold comments (the empty
file) have theirs in ``expected.toml``.

The loader must raise ``PlanError`` (never any other exception) with exactly these
problems, all found in one pass, and ``coplan validate`` must exit 2 and print them
without a traceback.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.errors import PlanError, Problem
from coplan.planfile import load_plan, parse_plan
from coplan.tomltext import locate

HERE = Path(__file__).parent / "bad_plans"
FILES = sorted(p for p in HERE.glob("*.toml") if p.name != "expected.toml")
EXPECT = re.compile(r"^# expect: (\d+(?::\d+)?(?:/\d+(?::\d+)?)*): (.+?) \|(.*)$")
LOOP = re.compile(r"(\S+(?: → \S+)+)")
FIX_LINK = re.compile(r"remove '([^']+)' from the 'after' list of '([^']+)'")
NAME = re.compile(r"^(\d\d)-[a-z0-9]+(-[a-z0-9]+)*\.toml$")


def loop_free(message: str) -> str:
    """``a → b → c → a`` and ``b → c → a → b`` are one loop: write each the same way."""
    def canonical(match: re.Match[str]) -> str:
        names = match.group(1).split(" → ")[:-1]
        start = names.index(min(names))
        names = names[start:] + names[:start]
        return " → ".join([*names, names[0]])

    return LOOP.sub(canonical, message)


@dataclass(frozen=True)
class Expected:
    places: tuple[tuple[int, int], ...]
    message: str
    hint: str

    @property
    def line(self) -> int:
        return self.places[0][0]

    def matches(self, problem: Problem) -> bool:
        hint_ok = self.hint in problem.hint if self.hint else problem.hint == ""
        return ((problem.line, problem.column) in self.places
                and loop_free(self.message) in loop_free(problem.message) and hint_ok)

    def __str__(self) -> str:
        where = "/".join(f"{line}:{column}" for line, column in self.places)
        return f"{where}: {self.message} | {self.hint}"


def places(text: str) -> tuple[tuple[int, int], ...]:
    out = []
    for place in text.split("/"):
        line, _, column = place.partition(":")
        out.append((int(line), int(column or 0)))
    return tuple(out)


def expectations(path: Path) -> list[Expected]:
    table = tomllib.loads((HERE / "expected.toml").read_text(encoding="utf-8"))
    if path.name in table:
        return [Expected(((e["line"], e["column"]),), e["message"], e["hint"])
                for e in table[path.name]]
    # Headers are plain text even in the file that is deliberately not UTF-8.
    text = path.read_bytes().decode("utf-8", errors="replace")
    out = []
    for row in text.splitlines():
        match = EXPECT.match(row)
        if match:
            where, message, hint = match.groups()
            out.append(Expected(places(where), message.strip(), hint.strip()))
        elif row.startswith("# expect"):
            pytest.fail(f"{path.name}: cannot read the expectation {row!r}")
    return out


def ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def test_the_corpus_is_large_and_tidy() -> None:
    assert len(FILES) >= 35
    numbers = [p.name[:2] for p in FILES]
    assert len(set(numbers)) == len(numbers), "two bad plans share a number"
    for path in FILES:
        assert NAME.match(path.name), f"{path.name} should be named NN-short-name.toml"
        assert expectations(path), f"{path.name} has no expectations"
    table = tomllib.loads((HERE / "expected.toml").read_text(encoding="utf-8"))
    assert set(table) <= {p.name for p in FILES}, "expected.toml names a missing file"


@pytest.mark.parametrize("path", FILES, ids=ids(FILES))
def test_bad_plan_reports_exactly_its_problems(path: Path) -> None:
    expected = expectations(path)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    problems = list(caught.value.problems)
    found = "\n".join(f"  {p.line}:{p.column}: {p.message} | {p.hint}" for p in problems)
    assert len(problems) == len(expected), (
        f"{path.name}: expected {len(expected)} problems, got {len(problems)}:\n{found}")
    unused = list(problems)
    for want in expected:
        match = next((p for p in unused if want.matches(p)), None)
        assert match is not None, f"{path.name}: no problem matches\n  {want}\nfound:\n{found}"
        unused.remove(match)
    for problem in problems:
        assert problem.file == str(path)
        assert problem.message and problem.message == problem.message.strip()
        assert "Traceback" not in problem.message
    report = caught.value.report()
    noun = "problem" if len(problems) == 1 else "problems"
    assert report.endswith(f"{len(problems)} {noun} found.")


@pytest.mark.parametrize("path", FILES, ids=ids(FILES))
def test_every_problem_has_its_line_and_a_fix(path: Path) -> None:
    """A person mending a plan by hand is told where (a line; the whole file only for a
    file with no plan in it) and what to do (a fix line of its own), never only what is
    wrong."""
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    for problem in caught.value.problems:
        assert problem.hint.strip(), f"{path.name}: no fix for {problem.message!r}"
        whole_file = problem.message.startswith(("the file is empty", "the plan has no",
                                                 "this does not look like a coplan plan"))
        assert problem.line > 0 or whole_file, f"{path.name}: no line for {problem.message!r}"
        if problem.line:
            assert problem.column > 0, f"{path.name}: no column for {problem.message!r}"
        assert "merge the two tables" not in problem.hint  # a stage would be lost


def _is_text(path: Path) -> bool:
    try:
        return bool(path.read_bytes().decode("utf-8").strip())
    except UnicodeDecodeError:
        return False


TEXT_FILES = [p for p in FILES if _is_text(p)]


@pytest.mark.parametrize("path", TEXT_FILES, ids=ids(TEXT_FILES))
def test_parsing_text_finds_the_same_problems(path: Path) -> None:
    """parse_plan on the text agrees with load_plan on the file (all but the empty file
    and the one that is not UTF-8, which only load_plan sees as bytes)."""
    text = path.read_text(encoding="utf-8")
    with pytest.raises(PlanError) as from_file:
        load_plan(path)
    with pytest.raises(PlanError) as from_text:
        parse_plan(text, path.name)
    assert [(p.line, p.column, p.message, p.hint) for p in from_text.value.problems] == \
        [(p.line, p.column, p.message, p.hint) for p in from_file.value.problems]


@pytest.mark.parametrize("path", FILES, ids=ids(FILES))
def test_validate_command_exits_2_without_a_traceback(path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    output = loop_free(result.output)
    for want in expectations(path):
        assert loop_free(want.message) in output
        wheres = [f"{path}" + (f":{line}" if line else "") + (f":{column}" if column else "")
                  + ": " for line, column in want.places]
        assert any(where in output for where in wheres), wheres
        assert want.hint in output
    assert "valid (" not in result.output


def test_python_m_coplan_validate_exits_2_without_a_traceback() -> None:
    result = subprocess.run([sys.executable, "-m", "coplan", "validate", *map(str, FILES)],
                            capture_output=True, text=True, encoding="utf-8", timeout=120,
                            check=False)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "not expect" not in result.stderr  # the message for a bug in coplan
    for path in FILES:
        assert str(path) in result.stderr


@pytest.mark.parametrize("path", [p for p in FILES if "loop" in p.name],
                         ids=ids([p for p in FILES if "loop" in p.name]))
def test_a_loop_is_reported_at_the_link_its_fix_names(path: Path) -> None:
    """Wherever the loop is told from, the fix names a link in it, and the problem is on
    the line of that link."""
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    (problem,) = caught.value.problems
    loop = LOOP.search(problem.message)
    fix = FIX_LINK.search(problem.hint)
    assert loop and fix, problem
    names = loop.group(1).split(" → ")
    before, waiting = fix.groups()
    assert (before, waiting) in pairwise(names)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    stage = next(i for i, s in enumerate(data["stage"]) if s["id"] == waiting)
    link = next(i for i, a in enumerate(data["stage"][stage]["after"])
                if (a if isinstance(a, str) else a["stage"]) == before)
    assert problem.line == locate(path.read_text(encoding="utf-8"))[("stage", stage, "after", link)]


# -- near misses that are deliberately allowed -------------------------------------------

PLAN = """\
[project]
title = "Test plan"
start = 2027-01-11

[[person]]
id = "sam"

[[stage]]
id = "aims"
title = "Agree the aims"
duration = "1w"

  [[stage.touchpoint]]
  format = "Co_Design Session"
  role = "decision maker"
  who = "sam"
"""


def test_single_names_and_spaced_words_are_accepted() -> None:
    """who = "sam" means ["sam"]; "decision maker" and "Co_Design Session" are known words."""
    plan = parse_plan(PLAN)
    touchpoint = plan.stages[0].touchpoints[0]
    assert touchpoint.who == ("sam",)
    assert touchpoint.role == "decision-maker"
    assert touchpoint.format == "co-design-session"


def test_corpus_fixed_by_hand_loads() -> None:
    """The corpus's own fixes work: applying the hints to a few files makes them valid."""
    fixes = {
        "09-date-as-text.toml": ('"2027-01-11"', "2027-01-11"),
        "15-ladder-typo.toml": ("co_desing", "co-design"),
        "20-after-unknown-stage.toml": ('["aim"]', '["aims"]'),
        "29-windows-timezone.toml": ("GMT Standard Time", "Europe/London"),
        "30-holiday-region-long.toml": ("GB-ENGLAND", "GB-ENG"),
    }
    for name, (old, new) in fixes.items():
        text = (HERE / name).read_text(encoding="utf-8")
        assert old in text
        parse_plan(text.replace(old, new), name)


def test_every_problem_the_loader_can_report_comes_with_a_fix() -> None:
    """Beyond the corpus: no place in the loader reports a problem without a fix (the
    message says what is wrong; the fix, on a line of its own, what to write instead)."""
    import ast

    source = Path(__file__).resolve().parents[1] / "src" / "coplan"
    bare = []
    for name in ("planfile.py", "schema.py"):
        tree = ast.parse((source / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "fail" and len(node.args) == 2
                    and not node.keywords):
                bare.append(f"{name}:{node.lineno}: {ast.unparse(node.args[1])[:70]}")
    assert not bare, "problems without a fix:\n" + "\n".join(bare)
