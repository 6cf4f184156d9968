"""The plan's lock: one holder at a time across processes, a bounded wait with a plain
message, the lock file beside the plan, and no Linux-only module (``fcntl``) needed to
import or use the app and the saving code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coplan.fileio import LockTimeout
from coplan.sync import lock_path, locked, save_merged

PLAN = '[project]\ntitle = "T"\nstart = 2027-01-04\n'

HOLDER = r"""
import sys
from pathlib import Path
from coplan.sync import locked

with locked(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()  # until the test closes it
print("released", flush=True)
"""


def test_a_second_process_waits_then_gets_a_plain_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(plan)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "held"
        assert lock_path(plan) == tmp_path / ".plan.toml.lock"
        assert lock_path(plan).exists()
        with pytest.raises(LockTimeout) as exc, locked(plan, timeout=0.2):
            pass
        assert str(exc.value) == f"{plan} is being saved by someone else; try again"
        assert isinstance(exc.value, OSError)  # the app's save says it as it says any OSError
        # A save waits for the lock as well, and gives up in the same words.
        import coplan.sync as sync

        real = sync.locked
        monkeypatch.setattr(sync, "locked",
                            lambda p, timeout=30.0, **kw: real(p, timeout=0.2, **kw))
        with pytest.raises(LockTimeout):
            save_merged(plan, PLAN, PLAN + "# mine\n", who="Sam", instance="a")
        monkeypatch.undo()
        assert plan.read_text(encoding="utf-8") == PLAN
    finally:
        holder.stdin.close()
        assert holder.stdout.readline().strip() == "released"
        holder.wait(timeout=60)
    with locked(plan, timeout=5):  # free again
        pass


def test_the_lock_is_taken_again_after_its_holder_dies(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    code = HOLDER.replace("sys.stdin.read()", "import os; os._exit(9)")
    done = subprocess.run([sys.executable, "-c", code, str(plan)], capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip() == "held" and done.returncode == 9
    with locked(plan, timeout=5):
        pass


BLOCK_FCNTL = r"""
import sys, warnings
from pathlib import Path

class NoFcntl:
    '''As on Windows: there is no fcntl module.'''
    def find_spec(self, name, path=None, target=None):
        if name == "fcntl" or name.startswith("fcntl."):
            raise ImportError("No module named 'fcntl'")
        return None

sys.meta_path.insert(0, NoFcntl())
sys.modules.pop("fcntl", None)
warnings.simplefilter("ignore")  # filelock says it falls back to a lock file of its own

import coplan.sync, coplan.session, coplan.tui.app

plan = Path(sys.argv[1])
with coplan.sync.locked(plan, timeout=5):
    pass
session = coplan.session.PlanSession.open(plan)
session.apply("renamed", lambda doc: doc.set_project("title", "Saved without fcntl"))
assert session.save_together("Sam", "one").written
print("fcntl" in sys.modules)
"""


def test_the_app_and_saving_work_without_fcntl(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN + '\n[[stage]]\nid = "a"\ntitle = "A"\nduration = "1w"\n',
                    encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", BLOCK_FCNTL, str(plan)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
    assert 'title = "Saved without fcntl"' in plan.read_text(encoding="utf-8")


def test_the_blocker_really_blocks_fcntl() -> None:
    # So that the test above cannot pass by accident.
    code = BLOCK_FCNTL.split("import coplan.sync")[0] + "import fcntl\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0 and "No module named 'fcntl'" in done.stderr
