"""coplan in a real terminal: tmux runs `coplan edit`, the test types as a person would.

Nothing here sleeps for a fixed time: it polls what tmux shows until the expected words
appear (or a deadline passes), so it is as quick as the machine allows.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tui_support import copy_example

from conftest import need
from coplan.planfile import load_plan

DEADLINE = 60.0


class Tmux:
    """One detached tmux session on its own server (so it never touches the user's),
    whose socket is in a folder of the test's own: ``-L`` would leave a socket in the
    user's tmux folder after every run."""

    def __init__(self, tmux: str, name: str, folder: Path) -> None:
        self.tmux = tmux
        # (a short path: a socket's path may be at most about 100 characters)
        self.socket = str(folder / "s")
        self.session = name

    def run(self, *args: str, check: bool = True) -> str:
        result = subprocess.run([self.tmux, "-S", self.socket, *args], capture_output=True,
                                text=True, check=False)
        if check and result.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session, check=False)

    def wait_for(self, what: str | Callable[[str], bool], deadline: float = DEADLINE) -> str:
        test = (lambda s: what in s) if isinstance(what, str) else what
        end = time.monotonic() + deadline
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if test(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"waited {deadline:.0f}s for {what!r}; the screen shows:\n{screen}")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", self.session, "-l", text)

    def alive(self) -> bool:
        return subprocess.run([self.tmux, "-S", self.socket, "has-session", "-t", self.session],
                              capture_output=True, check=False).returncode == 0

    def wait_until_closed(self, deadline: float = DEADLINE) -> None:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if not self.alive():
                return
            time.sleep(0.05)
        raise AssertionError(f"coplan did not quit; the screen shows:\n{self.screen()}")


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    folder = Path(tempfile.mkdtemp(prefix="coplan-tmux-"))
    session = Tmux(need("tmux"), f"t{uuid.uuid4().hex[:8]}", folder)
    try:
        yield session
    finally:
        session.run("kill-server", check=False)
        shutil.rmtree(folder, ignore_errors=True)


def test_add_a_stage_in_a_real_terminal_and_quit(tmux: Tmux, tmp_path: Path) -> None:
    plan = copy_example(tmp_path)
    command = [sys.executable, "-m", "coplan", "edit", str(plan), "--today", "2027-09-10"]
    env = {**os.environ, "TEXTUAL_ANIMATIONS": "none", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    subprocess.run([tmux.tmux, "-S", tmux.socket, "-f", os.devnull, "new-session", "-d",
                    "-s", tmux.session, "-x", "120", "-y", "40",
                    *[f"-e{k}={v}" for k, v in env.items() if k in (
                        "TEXTUAL_ANIMATIONS", "TERM", "PATH", "HOME", "PYTHONPATH")],
                    shlex.join(command)], check=True)

    tmux.wait_for("12 stages")
    assert tmux.run("display", "-p", "-t", tmux.session,
                    "#{window_width}x#{window_height}").strip() == "120x40"
    assert "Hearing what matters" in tmux.screen()

    tmux.keys("a")
    tmux.wait_for("Add a stage")
    # Typed fast and saved at once, as a quick typist or a paste does: every key must count.
    tmux.type("Meeting the ward teams")
    tmux.keys("Tab", "Tab", "Tab")  # past the id and the phase to its length
    tmux.type("2w")
    tmux.keys("C-s")
    tmux.wait_for("13 stages")
    tmux.keys("C-s")
    tmux.wait_for(lambda s: "✔ saved" in s and "13 stages" in s)
    tmux.keys("C-q")
    tmux.wait_until_closed()

    stage = load_plan(plan).stage("meeting-the-ward-teams")
    assert stage is not None
    assert stage.title == "Meeting the ward teams"
    assert [d.stage for d in stage.after] == ["priorities"]


def test_a_touchpoint_saved_untouched_then_renamed_in_a_real_terminal(tmux: Tmux,
                                                                      tmp_path: Path) -> None:
    """Issue 14's check: the first touchpoint of the MINDS example saved untouched leaves
    the file byte for byte as it was; changing only its name changes exactly one line."""
    import difflib

    plan = copy_example(tmp_path)
    original = plan.read_text(encoding="utf-8")
    command = [sys.executable, "-m", "coplan", "edit", str(plan), "--today", "2027-09-10"]
    env = {**os.environ, "TEXTUAL_ANIMATIONS": "none", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    subprocess.run([tmux.tmux, "-S", tmux.socket, "-f", os.devnull, "new-session", "-d",
                    "-s", tmux.session, "-x", "120", "-y", "40",
                    *[f"-e{k}={v}" for k, v in env.items() if k in (
                        "TEXTUAL_ANIMATIONS", "TERM", "PATH", "HOME", "PYTHONPATH")],
                    shlex.join(command)], check=True)
    tmux.wait_for("12 stages")
    tmux.keys("T")
    tmux.wait_for("Which touchpoint?")
    tmux.keys("Enter")
    tmux.wait_for("Touchpoint 1 of")
    tmux.keys("C-s")
    tmux.wait_for(lambda s: "Touchpoint 1 of" not in s)
    tmux.keys("C-s")
    tmux.wait_for("Saved plan.toml")
    assert plan.read_text(encoding="utf-8") == original

    tmux.keys("T")
    tmux.wait_for("Which touchpoint?")
    tmux.keys("Enter")
    tmux.wait_for("Touchpoint 1 of")
    tmux.keys("End", "C-u")
    tmux.type("Survey: what made leaving hospital hard?")
    tmux.keys("C-s")
    tmux.wait_for(lambda s: "Touchpoint 1 of" not in s)
    tmux.keys("C-s")
    end = time.monotonic() + DEADLINE
    while plan.read_text(encoding="utf-8") == original and time.monotonic() < end:
        time.sleep(0.05)
    tmux.keys("C-q")
    tmux.wait_until_closed()
    changed = [line for line in difflib.unified_diff(
        original.splitlines(), plan.read_text(encoding="utf-8").splitlines(), lineterm="",
        n=0) if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == [
        '-  title = "Anonymous survey: what made leaving hospital hard or easier?"',
        '+  title = "Survey: what made leaving hospital hard?"']
