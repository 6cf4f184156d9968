"""Shared test set-up: deterministic environment, and outside programs.

Tests that need an outside program (tj3, node, chromium, libreoffice) call ``need(name)``:
it skips the test on a developer's machine without the program, but fails it under CI
(``COPLAN_REQUIRE_TOOLS=1``), where ``.ci/run`` installs everything.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.pop("NO_COLOR", None)
os.environ.pop("TEXTUAL_THEME", None)
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
# Textual reads TEXTUAL_ANIMATIONS once, on import, and the pytest-textual-snapshot plugin
# imports Textual before this file runs: the line above reaches only the programs tests
# start. Apps made in this process read the module's value, so set that too.
if "textual.constants" in sys.modules:
    sys.modules["textual.constants"].TEXTUAL_ANIMATIONS = "none"  # type: ignore[attr-defined]
# Tests see only coplan's own rules, exporters and templates, whatever plugins happen to be
# installed; the plugin tests opt in by naming theirs.
os.environ["COPLAN_PLUGINS"] = "none"
# One day is "today" for every command the tests run, whatever the clock says: a running
# project is dated from what actually happened as of today (coplan.clock), so results must
# not change as the calendar moves on.  The same day as the documentation's examples.
os.environ["SOURCE_DATE_EPOCH"] = "1798761600"  # 2027-01-01


def _own_folder(prefix: str) -> str:
    """A new temporary folder that is removed when this process ends, so that a test run
    leaves nothing behind in the system's temporary folder (each pytest-xdist worker makes
    and removes its own)."""
    folder = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


# A cache of public holidays of the test run's own, never the developer's (made once, by
# the process that starts the run; its workers inherit it).
if "COPLAN_CACHE_DIR" not in os.environ:
    os.environ["COPLAN_CACHE_DIR"] = _own_folder("coplan-test-cache-")
# A home of the test run's own: whatever coplan or the programs the tests start (git, pip,
# pre-commit, LibreOffice, Chromium) would write into the user's home, configuration or cache
# folders goes here and is thrown away, so the suite never changes the person's environment.
_HOME = Path(_own_folder("coplan-test-home-"))
for _name, _sub in (("HOME", ""), ("USERPROFILE", ""), ("XDG_CONFIG_HOME", ".config"),
                    ("XDG_CACHE_HOME", ".cache"), ("XDG_DATA_HOME", ".local/share"),
                    ("XDG_STATE_HOME", ".local/state"), ("APPDATA", "AppData/Roaming"),
                    ("LOCALAPPDATA", "AppData/Local"), ("PRE_COMMIT_HOME", ".cache/pre-commit")):
    (_HOME / _sub).mkdir(parents=True, exist_ok=True)
    os.environ[_name] = str(_HOME / _sub)
# The user's own git settings (a global excludes file, hooks, signing) must not change what
# the tests see, nor the tests change them.
os.environ["GIT_CONFIG_GLOBAL"] = str(_HOME / ".gitconfig")
os.environ["GIT_CONFIG_NOSYSTEM"] = "1"


def need(program: str) -> str:
    """The path of ``program``, or skip (fail under CI) when it is missing."""
    found = shutil.which(program)
    if found:
        return found
    message = f"{program} is not installed"
    if os.environ.get("COPLAN_REQUIRE_TOOLS"):
        pytest.fail(f"{message}, but CI requires it (see scripts/install-test-tools.sh)")
    pytest.skip(message)


AXE_DIR = Path(__file__).resolve().parent / "js" / "axe"


@pytest.fixture()
def no_rates_text() -> str:
    """A small plan with a budget and no rate card (``tests/data/no-rates.toml``): nothing
    in it can be priced, so no report may call its budget money to spare."""
    return (Path(__file__).parent / "data" / "no-rates.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def axe_runner() -> tuple[str, str]:
    """Node and Chromium for axe-core checks of HTML pages (tests/js/axe/axe-check.js),
    installing the pinned Node packages first if they are missing."""
    node = need("node")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or need("chromium")
    if not (AXE_DIR / "node_modules" / "axe-core").is_dir() or not (
            AXE_DIR / "node_modules" / "puppeteer-core").is_dir():
        npm = need("npm")
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=AXE_DIR,
                              capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            pytest.fail(f"npm ci in {AXE_DIR} failed: {done.stderr[-2000:]}")
    return node, chromium


def pytest_configure(config: pytest.Config) -> None:
    """Under ``--dist loadfile`` the workers take the files in the order
    ``pytest_collection_modifyitems`` gives them (longest first), not pytest-xdist's own
    order by the number of tests (see ``longest_first``)."""
    if getattr(config.option, "dist", "no") == "loadfile":
        config.option.loadscopereorder = False


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In a pytest-xdist worker, the longest files first (``longest_first``); a run in one
    process keeps pytest's own order."""
    if not hasattr(config, "workerinput"):
        return
    from longest_first import longest_first

    items[:] = [items[index] for index in longest_first(items)]
