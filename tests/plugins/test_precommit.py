"""The pre-commit hooks work as a team would use them (docs/ci.md): a team's
``.pre-commit-config.yaml`` points ``repo:`` at coplan's repository with a ``rev:``, and
pre-commit builds coplan from it into its own environment and runs ``coplan check`` on the
plan files in a commit.

The repository is this checkout as ``pre-commit try-repo`` takes it (with any uncommitted
changes, in a shadow clone).  Unlike ``try-repo``, which builds a new environment on every
call (about 20 seconds each), the hooks here share one pre-commit store, as a team's
laptops do: coplan is built once for the three tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import need

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="module")
def team_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need("git")
    pytest.importorskip("pre_commit")
    from pre_commit.commands.try_repo import _repo_ref  # (what try-repo itself runs)

    # This checkout with its uncommitted changes, as try-repo would take it.
    source, rev = _repo_ref(str(tmp_path_factory.mktemp("shadow")), str(ROOT), None)
    repo = tmp_path_factory.mktemp("team")
    run(["git", "init", "-q"], repo)
    run(["git", "config", "user.email", "team@example.org"], repo)
    run(["git", "config", "user.name", "Team"], repo)
    (repo / "plans").mkdir()
    # (the teaching example, on the day its delivery record runs to: see run_hook)
    shutil.copyfile(ROOT / "examples" / "teaching-workshop.toml", repo / "plans" / "good.toml")
    (repo / "plans" / "bolted-on.toml").write_text(
        '[project]\ntitle = "Bolted on"\nstart = 2027-01-11\n\n'
        '[[stage]]\nid = "a"\ntitle = "Design"\nduration = "2w"\n', encoding="utf-8")
    (repo / "plans" / "broken.toml").write_text('[project]\ntitle = "Broken"\nstart = 2027-02-30\n',
                                                encoding="utf-8")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {rev}\n    hooks:\n"
        "      - id: coplan-check\n      - id: coplan-validate\n", encoding="utf-8")
    run(["git", "add", "."], repo)
    return repo


def run_hook(repo: Path, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
    """``pre-commit run HOOK --files ...`` in the team's repository, with its own store."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1826236800",  # 2027-11-15
           "PRE_COMMIT_HOME": str(repo.with_name(f"{repo.name}-store"))}
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", hook,
                           "--files", *files], cwd=repo, capture_output=True, text=True,
                          timeout=1800, env=env)


def test_check_hook_passes_a_good_plan(team_repo: Path) -> None:
    result = run_hook(team_repo, "coplan-check", "plans/good.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_check_hook_fails_a_plan_without_co_production(team_repo: Path) -> None:
    result = run_hook(team_repo, "coplan-check", "plans/bolted-on.toml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert "CP-STG-001" in result.stdout


def test_validate_hook_names_the_line_of_a_broken_plan(team_repo: Path) -> None:
    result = run_hook(team_repo, "coplan-validate", "plans/broken.toml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "plans/broken.toml:3" in result.stdout
    assert "Traceback" not in result.stdout
