"""The pre-commit hooks work as a team would use them: ``pre-commit try-repo`` builds
coplan from this repository into pre-commit's own environment and runs ``coplan check``
on the plan files in a commit."""

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
    repo = tmp_path_factory.mktemp("team")
    run(["git", "init", "-q"], repo)
    run(["git", "config", "user.email", "team@example.org"], repo)
    run(["git", "config", "user.name", "Team"], repo)
    (repo / "plans").mkdir()
    # (the teaching example, on the day its delivery record runs to: see try_repo)
    shutil.copyfile(ROOT / "examples" / "teaching-workshop.toml", repo / "plans" / "good.toml")
    (repo / "plans" / "bolted-on.toml").write_text(
        '[project]\ntitle = "Bolted on"\nstart = 2027-01-11\n\n'
        '[[stage]]\nid = "a"\ntitle = "Design"\nduration = "2w"\n', encoding="utf-8")
    (repo / "plans" / "broken.toml").write_text('[project]\ntitle = "Broken"\nstart = 2027-02-30\n',
                                                encoding="utf-8")
    run(["git", "add", "."], repo)
    return repo


def try_repo(repo: Path, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1826236800"}  # 2027-11-15
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook,
                           "--files", *files], cwd=repo, capture_output=True, text=True,
                          timeout=1800, env=env)


def test_check_hook_passes_a_good_plan(team_repo: Path) -> None:
    result = try_repo(team_repo, "coplan-check", "plans/good.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_check_hook_fails_a_plan_without_co_production(team_repo: Path) -> None:
    result = try_repo(team_repo, "coplan-check", "plans/bolted-on.toml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert "CP-STG-001" in result.stdout


def test_validate_hook_names_the_line_of_a_broken_plan(team_repo: Path) -> None:
    result = try_repo(team_repo, "coplan-validate", "plans/broken.toml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "plans/broken.toml:3" in result.stdout
    assert "Traceback" not in result.stdout
