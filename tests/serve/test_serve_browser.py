"""A real browser: headless Chromium opens a person's join link, adds a stage with the keys
a person would press, and the change lands in the plan file under that person's name.

The Node script (tests/js/serve/join-and-edit.cjs) drives the system's Chromium through
puppeteer-core, the package tests/js/axe pins (installed with ``npm ci`` when missing).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from serve_support import alive, copy_plan, served, wait_until

from conftest import need
from coplan.planfile import load_plan
from coplan.sync import read_activity

JS = Path(__file__).resolve().parents[1] / "js"

pytestmark = pytest.mark.external


@pytest.fixture(scope="module")
def browser() -> tuple[str, str]:
    node = need("node")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or need("chromium")
    axe = JS / "axe"
    if not (axe / "node_modules" / "puppeteer-core").is_dir():
        npm = need("npm")
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=axe,
                              capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            pytest.fail(f"npm ci in {axe} failed: {done.stderr[-2000:]}")
    return node, chromium


def test_a_person_joins_in_chromium_and_adds_a_stage(tmp_path: Path,
                                                     browser: tuple[str, str]) -> None:
    node, chromium = browser
    plan = copy_plan(tmp_path)
    stages = len(load_plan(plan).stages)
    with served(plan, "--person", "Ana Silva", "--person", "Bo") as server:
        done = subprocess.run([node, str(JS / "serve" / "join-and-edit.cjs"),
                               server.link("Ana Silva"), chromium, "Meeting the ward teams",
                               str(stages)],
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr[-3000:] + "\n" + server.log[-3000:]
        assert json.loads(done.stdout)["steps"][-1] == "✔ saved"
        server.wait_log(r"opened coplan for Ana Silva \(process \d+\)")
        server.wait_log("closed coplan for Ana Silva")  # the tab closed, so did its app
        pid = server.opened_pids()[0]
        wait_until(lambda: not alive(pid), "the app to end with its tab")
    titles = [stage.title for stage in load_plan(plan).stages]
    assert titles[-1] == "Meeting the ward teams", titles
    activity, _ = read_activity(plan)
    assert [entry.who for entry in activity] == ["Ana Silva"]
