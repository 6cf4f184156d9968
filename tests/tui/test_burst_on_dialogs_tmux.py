"""Keys typed in one burst on a dialog, in a real terminal: each reaches what it would
reach typed slowly.

A key on a dialog goes to the field with the focus at once, but its binding (Tab's move,
Enter's press of a button, which closes the dialog) runs a moment later: keys sent in the
same breath all went to the first field, and what was typed after a dialog closed went
into it on its way out.  Here tmux sends each burst in one ``send-keys``, as a fast typist,
a paste or a shared terminal does."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_tmux import DEADLINE, Tmux
from tui_support import copy_example

from conftest import need
from coplan.planfile import load_plan

ENV = ("TEXTUAL_ANIMATIONS", "TERM", "PATH", "HOME", "PYTHONPATH")


@pytest.fixture
def folder() -> Iterator[Path]:
    made = Path(tempfile.mkdtemp(prefix="coplan-burst-"))
    try:
        yield made
    finally:
        subprocess.run([need("tmux"), "-S", str(made / "s"), "kill-server"],
                       capture_output=True, check=False)
        shutil.rmtree(made, ignore_errors=True)


def start(folder: Path, plan: Path, who: str, first: bool) -> Tmux:
    """``coplan edit`` as ``who`` in a tmux session of its own, on the test's own server."""
    term = Tmux(need("tmux"), f"{who}{uuid.uuid4().hex[:6]}", folder)
    command = [sys.executable, "-m", "coplan", "edit", str(plan), "--today", "2027-09-10",
               "--as", who]
    env = {**os.environ, "TEXTUAL_ANIMATIONS": "none", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    term.run(*(["-f", os.devnull] if first else []), "new-session", "-d", "-s", term.session,
             "-x", "120", "-y", "40", *[f"-e{k}={v}" for k, v in env.items() if k in ENV],
             shlex.join(command))
    term.wait_for("12 stages")
    return term


def name_field(screen: str) -> str:
    """The text in the person form's name field, as tmux shows it."""
    lines = screen.splitlines()
    at = next(i for i, line in enumerate(lines) if "Name (a first name" in line)
    return lines[at + 2].split("║")[1].strip()


def test_a_stage_typed_and_saved_then_a_person_added_in_one_burst(folder: Path,
                                                                 tmp_path: Path) -> None:
    plan = copy_example(tmp_path)
    term = start(folder, plan, "Ann", first=True)
    term.keys("a")
    term.wait_for("Add a stage")
    term.keys("Meeting the ward teams", "Tab", "Tab", "Tab", "2w", "C-s",
              "4", "p", "Fay Hangup")
    screen = term.wait_for(lambda s: "Add a person" in s and "Fay Hangup" in s)
    assert name_field(screen) == "Fay Hangup"
    assert "p Add person" in screen  # (on the People tab)
    term.keys("Escape")
    term.wait_for("Throw them away")
    term.keys("Tab", "Tab", "Enter", "C-s")  # (throw the person away, save the stage)
    term.wait_for(lambda s: "✔ saved" in s and "13 stages" in s)
    stage = load_plan(plan).stage("meeting-the-ward-teams")
    assert stage is not None and stage.title == "Meeting the ward teams"


def test_a_clash_settled_then_a_person_added_in_one_burst(folder: Path,
                                                         tmp_path: Path) -> None:
    """close12's steps: two people change the same stage title; one settles the clash
    with Tab, Tab, Enter and in the same breath goes to People, adds a person, types."""
    plan = copy_example(tmp_path)
    ann, bob = start(folder, plan, "Ann", first=True), start(folder, plan, "Bob", first=False)
    for term, mark in ((ann, " A"), (bob, " B")):
        term.keys("e")
        term.wait_for("Stage:")
        term.keys("End")
        term.type(mark)
        term.keys("C-s")
        term.wait_for(lambda s: "Stage:" not in s)
    ann.keys("C-s")
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end and not any("Two changes" in t.screen() for t in (ann, bob)):
        time.sleep(0.05)
    term = bob if "Two changes" in bob.screen() else ann
    assert "Two changes" in term.screen()
    term.keys("Tab", "Tab", "Enter", "4", "p", "Fay Hangup")
    screen = term.wait_for(lambda s: "Add a person" in s and "Fay Hangup" in s)
    assert "Two changes" not in screen
    assert name_field(screen) == "Fay Hangup"
