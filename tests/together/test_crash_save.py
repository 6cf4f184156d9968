"""A process killed at any point while saving leaves the old plan or the new one, whole.

The child process saves with ``coplan.edit.atomic_write`` and kills itself with SIGKILL at
a chosen point: before writing, halfway through writing the temporary file, after writing
it, after fsync, after the rename.  Every point is tried with several plan sizes, so the
test is deterministic (no timing), and each trial checks that the plan on disk is exactly
the old text or exactly the new one, and that it parses.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from coplan.planfile import parse_plan

ROOT = Path(__file__).resolve().parents[2]
OLD = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")

CHILD = r"""
import os, signal, sys
from pathlib import Path
import coplan.edit as edit

point = sys.argv[2]
target = Path(sys.argv[1])
new = sys.stdin.read()

def die():
    os.kill(os.getpid(), signal.SIGKILL)

real_fdopen, real_fsync, real_replace = os.fdopen, os.fsync, os.replace

class Half:
    def __init__(self, handle): self.handle = handle
    def __enter__(self): return self
    def __exit__(self, *a): return self.handle.__exit__(*a)
    def write(self, data):
        self.handle.write(data[: len(data) // 2]); self.handle.flush(); die()
    def __getattr__(self, name): return getattr(self.handle, name)

if point == "before-write":
    os.fdopen = lambda *a, **k: die()
elif point == "half-written":
    os.fdopen = lambda *a, **k: Half(real_fdopen(*a, **k))
elif point == "after-write":
    os.fsync = lambda fd: die()
elif point == "before-rename":
    os.replace = lambda *a: die()
elif point == "after-rename":
    def replace_then_die(*a):
        real_replace(*a); die()
    os.replace = replace_then_die
edit.atomic_write(target, new)
"""

POINTS = ["before-write", "half-written", "after-write", "before-rename", "after-rename",
          "completes"]


def new_text(size: int) -> str:
    extra = "".join(f"\n[[stage]]\nid = \"added-{i}\"\ntitle = \"Added {i}\"\nduration = \"1d\"\n"
                    for i in range(size))
    return OLD + extra


@pytest.mark.parametrize("size", [0, 5, 200])
@pytest.mark.parametrize("point", POINTS)
def test_killed_while_saving_leaves_old_or_new(tmp_path: Path, point: str, size: int) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(OLD, encoding="utf-8")
    os.chmod(plan, 0o640)
    new = new_text(size)
    result = subprocess.run([sys.executable, "-c", CHILD, str(plan), point], input=new,
                            text=True, capture_output=True, timeout=60)
    if point == "completes":
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == -signal.SIGKILL, (result.returncode, result.stderr)
    on_disk = plan.read_text(encoding="utf-8")
    assert on_disk in (OLD, new)
    expect_new = point in ("after-rename", "completes")
    assert on_disk == (new if expect_new else OLD)
    parse_plan(on_disk)
    assert (os.stat(plan).st_mode & 0o777) == 0o640


def test_many_saves_killed_at_random_points(tmp_path: Path) -> None:
    """Fifty trials, each saving a different plan and dying at a point chosen by a seeded
    generator: the file is always one complete plan."""
    import random

    rng = random.Random(20271111)
    plan = tmp_path / "plan.toml"
    current = OLD
    plan.write_text(current, encoding="utf-8")
    for trial in range(50):
        new = new_text(rng.randrange(0, 60)) + f"# trial {trial}\n"
        point = rng.choice(POINTS)
        subprocess.run([sys.executable, "-c", CHILD, str(plan), point], input=new, text=True,
                       capture_output=True, timeout=60)
        on_disk = plan.read_text(encoding="utf-8")
        assert on_disk in (current, new), (trial, point)
        parse_plan(on_disk)
        current = on_disk
