"""A save killed halfway leaves its temporary copy beside the plan; the next save, or the
next time the plan is opened for editing, clears it away once it is certainly stale (its
writer has stopped), and never while the writer is still running.

The child saves through ``coplan.fileio`` and, once the temporary copy is written, says so
on its standard output and waits (no sleeps: the test goes on when the child speaks)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from coplan.edit import PlanDocument
from coplan.fileio import remove_stale_temporaries, save_plan_text, stale_temporaries
from coplan.session import PlanSession

ROOT = Path(__file__).resolve().parents[2]
OLD = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")

CHILD = r"""
import os, sys
from pathlib import Path
from coplan import fileio

def pause(src, dst):
    print("written", src, flush=True)
    sys.stdin.read()  # until the test kills this process

os.replace = pause
fileio.save_plan_text(Path(sys.argv[1]), sys.argv[2])
"""


def interrupted_save(plan: Path) -> tuple[subprocess.Popen[str], Path]:
    """A child process halfway through saving ``plan``: its temporary copy is written
    and it is waiting to rename it."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(plan), OLD + "# new\n"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = child.stdout.readline().split()
    assert line[:1] == ["written"], line
    return child, Path(line[1])


def kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("then", ["open in the app", "open a document", "save",
                                  "save together"])
def test_a_killed_save_leaves_a_copy_that_is_cleared_later(tmp_path: Path, then: str) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(OLD, encoding="utf-8")
    child, temp = interrupted_save(plan)
    try:
        # The copy has a name that says what it is, beside the plan.
        assert temp.parent == tmp_path
        assert temp.name.startswith(".plan.toml.coplan-") and temp.name.endswith(".tmp")
        assert temp.read_text(encoding="utf-8") == OLD + "# new\n"
        # While its writer runs, nothing takes it away.
        assert stale_temporaries(plan) == []
        assert remove_stale_temporaries(plan) == []
        save_plan_text(plan, OLD)
        session = PlanSession.open(plan)
        assert temp.exists()
    finally:
        kill(child)
    assert plan.read_text(encoding="utf-8") == OLD  # the old plan, whole
    assert hidden(tmp_path) == [temp.name]
    if then == "open in the app":
        PlanSession.open(plan)
    elif then == "open a document":
        PlanDocument.open(plan).save()
    else:  # a copy opened while the writer still ran, saving an edit afterwards
        session.apply("renamed", lambda doc: doc.set_stage("aims", "title", "New aims"))
        if then == "save":
            session.save()
        else:
            assert session.save_together("Sam", "instance-1").written
    assert not temp.exists()
    assert [n for n in hidden(tmp_path) if n.endswith(".tmp")] == []
