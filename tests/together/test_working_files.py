"""The files coplan keeps beside a plan while people work on it (lock, lock holder,
activity journal, a save's temporary file) never reach git: `coplan new` adds them to the
folder's .gitignore, and real git leaves them out.  Names in the journal come only from
--as or the settings file, never from the login name."""

from __future__ import annotations

import ast
import fnmatch
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import need
from coplan.cli import cli
from coplan.sync import (
    SHARED_STATE,
    WORKING_FILES,
    display_name,
    read_activity,
    save_merged,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "coplan"


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          check=True, timeout=60)
    return done.stdout


def test_new_plan_folder_ignores_the_working_files_in_real_git(tmp_path: Path) -> None:
    need("git")
    _git(tmp_path, "init", "-q")
    plan = tmp_path / "plans" / "study.toml"
    made = CliRunner().invoke(cli, ["new", str(plan), "--start", "2027-03-01"])
    assert made.exit_code == 0, made.output
    assert "to " in made.output and ".gitignore" in made.output
    text = plan.read_text(encoding="utf-8")
    # Work on it as the app does: a save under the lock, with the journal written.
    outcome = save_merged(plan, text, text.replace("2027-03-01", "2027-03-08", 1),
                          who="Sam", instance="test-1")
    assert outcome.written
    for name in (".study.toml.coplan-host-1-abcd1234.tmp",):  # a save cut off halfway
        (plan.parent / name).write_text("half", encoding="utf-8")
    beside = sorted(p.name for p in plan.parent.iterdir() if p.name.startswith("."))
    assert ".study.toml.lock" in beside and ".study.toml.activity.jsonl" in beside
    untracked = _git(tmp_path, "status", "--porcelain", "--untracked-files=all").split("\n")
    listed = {line[3:] for line in untracked if line}
    assert listed == {"plans/.gitignore", "plans/study.toml"}, listed


def test_an_existing_gitignore_keeps_its_lines_and_gets_each_pattern_once(
        tmp_path: Path) -> None:
    ignore = tmp_path / ".gitignore"
    ignore.write_text("# ours\n*.pdf\n.*.toml.lock", encoding="utf-8")  # no final newline
    for name in ("a.toml", "b.toml"):
        assert CliRunner().invoke(cli, ["new", str(tmp_path / name),
                                        "--start", "2027-03-01"]).exit_code == 0
    lines = ignore.read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["# ours", "*.pdf", ".*.toml.lock"]
    for pattern in WORKING_FILES:
        assert lines.count(pattern) == 1, pattern


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need rights on Windows")
def test_a_gitignore_that_is_not_a_plain_file_is_left_alone(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("*.pdf\n", encoding="utf-8")
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / ".gitignore").symlink_to(elsewhere)
    made = CliRunner().invoke(cli, ["new", str(folder / "a.toml"), "--start", "2027-03-01"])
    assert made.exit_code == 0, made.output
    assert ".gitignore" not in made.output
    assert elsewhere.read_text(encoding="utf-8") == "*.pdf\n"
    assert (folder / ".gitignore").is_symlink()


def test_no_name_given_means_no_name_in_the_journal(tmp_path: Path) -> None:
    assert display_name(None) == ""  # the run's own home has no coplan settings file
    assert display_name("  Sam ") == "Sam"
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "coplan"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text('name = "Ana"\n', encoding="utf-8")
    try:
        if os.name != "nt" and os.uname().sysname == "Linux":
            assert display_name(None) == "Ana"
    finally:
        (config / "config.toml").unlink()
    plan = tmp_path / "plan.toml"
    text = '[project]\ntitle = "T"\nstart = 2027-01-04\n'
    plan.write_text(text, encoding="utf-8")
    save_merged(plan, text, text.replace('"T"', '"U"'), who=display_name(None),
                instance="x")
    entries, _ = read_activity(plan)
    assert [e.who for e in entries] == [""]
    import getpass

    assert getpass.getuser() not in (plan.parent / ".plan.toml.activity.jsonl").read_text()


def test_the_docs_list_the_same_patterns() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "planning-together.md").read_text(
        encoding="utf-8")
    for pattern in WORKING_FILES:
        assert f"\n{pattern}\n" in page, pattern


def _written_beside_a_plan() -> dict[str, str]:
    """Every name coplan's source builds for a file beside a plan (a hidden name given to
    ``Path.with_name`` or ``os.path.join``), as it would be for ``study.toml``, by where it
    is built: read from the source, so a file added later is found without being listed."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("with_name", "join")):
                continue
            for arg in node.args:
                if not isinstance(arg, ast.JoinedStr):
                    continue
                parts = []
                for value in arg.values:
                    if isinstance(value, ast.Constant):
                        parts.append(str(value.value))
                        continue
                    said = ast.unparse(value.value)  # type: ignore[attr-defined]
                    plan = said.startswith(("plan.", "plan_path.")) or said == "_stem(name)"
                    parts.append("x1" if not plan else "study" if said.endswith(".stem")
                                 else "study.toml")
                name = "".join(parts)
                if name.startswith("."):
                    found[name] = f"{path.relative_to(SRC)}:{node.lineno}"
    return found


def test_every_file_written_beside_a_plan_is_ignored_or_said_to_be_shared() -> None:
    """Each is in the .gitignore ``coplan new`` writes (``WORKING_FILES``), or is state the
    team shares (``SHARED_STATE``), which the .gitignore names in a comment and the docs
    list as "yes, if more than one person sends out the calendar"."""
    written = _written_beside_a_plan()
    # the lock, its holder, the journal, a save's temporary file, the note left on
    # closing, the calendar's state (and any exporter's), what was published
    assert len(written) >= 7, written
    page = (SRC.parents[1] / "docs" / "planning-together.md").read_text(encoding="utf-8")
    for name, where in written.items():
        ignored = any(fnmatch.fnmatchcase(name, p) for p in WORKING_FILES)
        shared = any(fnmatch.fnmatchcase(name, p) for p in SHARED_STATE)
        assert ignored != shared, (name, where)
        if shared and "x1" not in name:  # (an exporter's own state: named by exporter)
            assert f"`{name.replace('study', 'plan')}`" in page, (name, where)


def test_the_gitignore_says_which_files_it_leaves_for_the_team(tmp_path: Path) -> None:
    need("git")
    _git(tmp_path, "init", "-q")
    plan = tmp_path / "study.toml"
    made = CliRunner().invoke(cli, ["new", str(plan), "--start", "2027-03-01"])
    assert made.exit_code == 0, made.output
    for name in _written_beside_a_plan():
        (tmp_path / name).write_text("{}", encoding="utf-8")
    untracked = _git(tmp_path, "status", "--porcelain", "--untracked-files=all").split("\n")
    listed = {line[3:] for line in untracked if line}
    assert listed == {".gitignore", "study.toml", ".study.ics-state.json",
                      ".study.publish-state.json", ".study.x1-state.json"}, listed
    text = (tmp_path / ".gitignore").read_text(encoding="utf-8")
    assert "# not ignored: .PLAN.ics-state.json and .PLAN.publish-state.json" in text
    # said once, however many plans are made in the folder
    CliRunner().invoke(cli, ["new", str(tmp_path / "other.toml"), "--start", "2027-03-01"])
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == text
