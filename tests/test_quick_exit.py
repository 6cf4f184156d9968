"""``check``, ``validate``, ``schedule``, ``status`` and coplan's own exports end without
freeing every object they made, once their output is flushed and the exit handlers have
run (``cli.main``): nothing they write is lost, wherever it goes, and they exit with the
same status as before."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli

ROOT = Path(__file__).resolve().parents[1]
MINDS = str(ROOT / "examples" / "minds-discharge.toml")
TEACHING = str(ROOT / "examples" / "teaching-workshop.toml")
BAD = str(ROOT / "tests" / "bad_plans" / "13-unknown-key-durration.toml")
TODAY = ["--today", "2027-06-01"]

# Many copies of a plan make a report far larger than a pipe holds (64 KiB), so the
# process is still writing when the reader starts.
MANY = [MINDS] * 40 + [TEACHING]

CASES = [
    ["check", *MANY, "--format", "json", *TODAY],
    ["check", MINDS, "--format", "sarif", *TODAY],
    ["check", TEACHING, "--format", "json", "--strict", *TODAY],
    ["check", MINDS, BAD, "--format", "json", *TODAY],
    ["validate", *MANY],
    ["validate", MINDS, BAD, "--format", "json"],
    ["schedule", MINDS],
    ["schedule", MINDS, "--format", "csv", *TODAY],
    ["schedule", BAD],
    ["export", "csv", MINDS, *TODAY],
    ["export", "protocol", MINDS, *TODAY],
    ["export", "mermaid", TEACHING, *TODAY],
    ["status", MINDS, *TODAY],
    ["status", MINDS, "--format", "json", "--today", "2027-09-10"],
]


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "coplan", *args], timeout=300,
                          **kwargs)  # type: ignore[call-overload, no-any-return]


def _expected(args: list[str]) -> tuple[str, str, int]:
    """What the command says run in this process: the process's own output must be this."""
    return _said(tuple(args))


@cache
def _said(args: tuple[str, ...]) -> tuple[str, str, int]:
    # Worked out once for each command: several tests compare a process with the same
    # command (the 41-plan check three times), and its plans and "today" are fixed, so a
    # second run in this process could only say the same again.
    done = CliRunner().invoke(cli, list(args))  # (as written: a CSV's lines end "\r\n")
    return done.stdout_bytes.decode("utf-8"), done.stderr, done.exit_code


def test_the_bad_plan_is_bad() -> None:
    assert _expected(["validate", BAD])[2] == 2


@pytest.mark.parametrize("args", CASES, ids=lambda a: " ".join(Path(x).name for x in a[:3]))
def test_output_through_a_pipe_and_the_exit_status_are_whole(args: list[str]) -> None:
    out, err, code = _expected(args)
    done = _run(args, capture_output=True)
    assert done.returncode == code
    assert done.stdout.decode("utf-8") == out
    assert done.stderr.decode("utf-8") == err


@pytest.mark.parametrize("args", [CASES[0], CASES[3], CASES[4]],
                         ids=["check", "check with a bad plan", "validate"])
def test_output_to_a_file_is_whole(args: list[str], tmp_path: Path) -> None:
    out, err, code = _expected(args)
    target = tmp_path / "out.txt"
    with target.open("wb") as stream:
        done = _run(args, stdout=stream, stderr=subprocess.PIPE)
    assert done.returncode == code
    assert target.read_text(encoding="utf-8") == out
    assert done.stderr.decode("utf-8") == err


def test_a_report_written_with_o_is_whole(tmp_path: Path) -> None:
    args = CASES[0]
    out, _, code = _expected(args)
    target = tmp_path / "report.json"
    done = _run([*args, "-o", str(target)], capture_output=True)
    assert done.returncode == code
    assert done.stdout == b""
    assert target.read_text(encoding="utf-8") == out
    assert len(json.loads(out)["plans"]) == len(MANY)


# Python's own way out waits for other threads (``threading._shutdown``) before it runs the
# exit handlers and tears the objects down; the quick way checks there are none instead.
WATCH = (
    "import atexit, os, sys, threading\n"
    "was = threading._shutdown\n"
    "def told():\n"
    "    os.write(2, b'the usual way out\\n')\n"
    "    was()\n"
    "threading._shutdown = told\n"
    "atexit.register(lambda: print('handler ran', file=sys.stderr))\n"
)


def _watched(args: list[str]) -> subprocess.CompletedProcess[str]:
    script = WATCH + f"sys.argv = ['coplan', *{args!r}]\nfrom coplan.cli import main\nmain()\n"
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)


QUICK = [["check", MINDS, "--format", "json", *TODAY], ["validate", MINDS, "--format", "json"],
         ["schedule", MINDS, "--format", "json"], ["export", "csv", MINDS],
         ["status", MINDS, "--format", "json", *TODAY]]


@pytest.mark.parametrize("args", QUICK, ids=lambda a: a[0] if a[0] != "export" else a[1])
def test_exit_handlers_run_and_the_process_leaves_quickly(args: list[str]) -> None:
    done = _watched(args)
    out, _, code = _expected(args)
    assert done.returncode == code
    # (read as text, a CSV's "\r\n" is read as "\n")
    assert done.stdout == out.replace("\r\n", "\n")
    assert "handler ran" in done.stderr
    assert "the usual way out" not in done.stderr


def test_a_command_that_did_not_ask_leaves_the_usual_way() -> None:
    done = _watched(["budget", MINDS, "--format", "json", *TODAY])
    assert done.returncode == 0
    assert json.loads(done.stdout)
    assert "handler ran" in done.stderr
    assert "the usual way out" in done.stderr
