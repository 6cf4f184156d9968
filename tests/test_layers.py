"""Layers point one way: the import-linter contracts in pyproject.toml hold, and fail when
broken.

The contracts count every import, those inside functions too: ui/cli -> application ->
export/review -> schedule -> plan file/model -> file I/O, and only the app imports Textual.
The second test makes a copy of coplan with one deliberate violation and shows the same
contracts catching it, so the first test cannot pass by checking nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).parent / "lint-imports"

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed")


def lint(cwd: Path, src: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--no-cache"], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(src), "PATH": "", "NO_COLOR": "1"})


def test_the_layers_hold() -> None:
    result = lint(ROOT, ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("module, line, broken", [
    ("model.py", "from coplan.review import runner as _upward  # noqa", "not allowed to import"),
    ("schedule.py", "from coplan.tui import app as _ui  # noqa", "not allowed to import"),
    ("fileio.py", "def _late() -> None:\n    import coplan.planfile  # noqa", "not allowed"),
])
def test_a_deliberate_violation_is_caught(tmp_path: Path, module: str, line: str,
                                          broken: str) -> None:
    shutil.copytree(ROOT / "src" / "coplan", tmp_path / "src" / "coplan",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "src" / "coplan" / module
    target.write_text(target.read_text(encoding="utf-8") + "\n\n" + line + "\n",
                      encoding="utf-8")
    result = lint(tmp_path, tmp_path / "src")
    assert result.returncode == 1, result.stdout
    assert broken in result.stdout
    assert "BROKEN" in result.stdout
