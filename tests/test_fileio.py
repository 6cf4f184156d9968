"""coplan.fileio keeps its promises: one way of reading plan text, and one writer that
replaces only plain files (atomically), writes into devices and pipes, follows links
without replacing them, and never leaves temporary copies behind for long."""

from __future__ import annotations

import ast
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from coplan import fileio
from coplan.errors import PlanError
from coplan.fileio import (
    BOM,
    MAX_PLAN_BYTES,
    STALE_AFTER,
    FileRefused,
    decode_plan_text,
    describe_write_error,
    read_bytes,
    read_plan_text,
    remove_stale_temporaries,
    save_plan_text,
    stale_temporaries,
    write_bytes,
    write_text,
)

ROOT = Path(__file__).resolve().parents[1]
PLAN = '[project]\ntitle = "T"\nstart = 2027-01-04\n'
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types")


def problem(exc: pytest.ExceptionInfo[PlanError]) -> str:
    return exc.value.problems[0].message


# -- reading -----------------------------------------------------------------------------------

def test_a_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(BOM + PLAN.encode("utf-8"))
    assert read_plan_text(path) == PLAN


@pytest.mark.parametrize(("raw", "message", "line", "column"), [
    (b"", "the file is empty", 0, 0),
    (b"  \n\n", "the file is empty", 1, 0),
    (b'[project]\ntitle = "caf\xe9"\n', "the file is not UTF-8 text", 2, 13),
    (b"[project]\x00\n", "the file is not a text file", 0, 0),
])
def test_what_is_not_plan_text_is_said_plainly(raw: bytes, message: str, line: int,
                                               column: int) -> None:
    with pytest.raises(PlanError) as exc:
        decode_plan_text(raw, "plan.toml")
    found = exc.value.problems[0]
    assert found.message.startswith(message)
    assert (found.file, found.line, found.column) == ("plan.toml", line, column)


def test_a_missing_file_and_a_folder_are_plan_errors(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as exc:
        read_plan_text(tmp_path / "nothing.toml")
    assert problem(exc) == "there is no file here"
    with pytest.raises(PlanError) as exc:
        read_plan_text(tmp_path)
    assert problem(exc) == "this is a folder, not a plan file"


@POSIX
def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.toml"
    os.mkfifo(fifo)
    # Opening a FIFO for reading would wait for a writer: run it where a hang would show.
    code = ("import sys; from coplan.fileio import read_plan_text\n"
            "from coplan.errors import PlanError\n"
            f"try:\n    read_plan_text({str(fifo)!r})\n"
            "except PlanError as exc:\n    print(exc.problems[0].message)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "this is a named pipe (FIFO), not a plan file", done.stderr


@POSIX
@pytest.mark.parametrize("command", [["validate"], ["check"], ["schedule"],
                                     ["export", "csv"], ["edit"]])
def test_every_command_refuses_a_fifo_plan_at_once(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "plan.toml"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-m", "coplan", *command, str(fifo)],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert f"{fifo}: this is a named pipe (FIFO), not a plan file" in done.stderr
    assert "Traceback" not in done.stderr


@POSIX
def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "plan.toml"
    link.symlink_to("/dev/zero")
    with pytest.raises(PlanError) as exc:
        read_plan_text(link)
    assert problem(exc) == "this is a device, not a plan file"


def test_a_file_larger_than_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    with path.open("wb") as handle:  # sparse: nothing that large is written
        handle.truncate(MAX_PLAN_BYTES + 1)
    with pytest.raises(PlanError) as exc:
        read_plan_text(path)
    assert problem(exc).startswith("the file is too large for a plan (more than 64 MB")


def test_the_limit_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(b"x" * 100)
    assert read_bytes(path, limit=100) == b"x" * 100
    with pytest.raises(FileRefused):
        read_bytes(path, limit=99)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_file_whose_size_is_not_known_is_still_capped() -> None:
    # /proc files say they are empty and are not: the limit holds while reading.
    assert os.stat("/proc/self/status").st_size == 0
    with pytest.raises(FileRefused):
        read_bytes("/proc/self/status", limit=10)


# -- writing: plain files -----------------------------------------------------------------------

def leftovers(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_a_new_file_gets_the_permissions_the_umask_gives(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_text(tmp_path / "out.csv", "a,b\n")
    finally:
        os.umask(old)
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "a,b\n"
    if sys.platform != "win32":
        assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o640
    assert leftovers(tmp_path, {"out.csv"}) == []


def test_an_existing_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o604)
    write_text(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o604


def test_a_read_only_file_is_left_alone(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.csv"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o444)
    # root may write anything, so ask the question coplan asks as an ordinary user would.
    monkeypatch.setattr(fileio.os, "access", lambda p, mode: mode != os.W_OK)
    with pytest.raises(FileRefused) as exc:
        write_text(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert "read-only" in describe_write_error(path, exc.value)


def test_a_plan_keeps_its_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(BOM + PLAN.encode("utf-8"))
    save_plan_text(path, PLAN + "# more\n")
    assert path.read_bytes() == BOM + (PLAN + "# more\n").encode("utf-8")
    plain = tmp_path / "other.toml"
    plain.write_text(PLAN, encoding="utf-8")
    save_plan_text(plain, PLAN + "# more\n")
    assert not plain.read_bytes().startswith(BOM)


def test_a_missing_folder_is_said_plainly(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "out.csv"
    with pytest.raises(OSError) as exc:
        write_text(target, "x")
    message = describe_write_error(target, exc.value)
    assert "does not exist" in message and str(tmp_path / "no-such-folder") in message
    assert not target.parent.exists()


def test_a_folder_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(IsADirectoryError) as exc:
        write_text(tmp_path / "out", "x")
    assert (tmp_path / "out").is_dir()
    assert "is a folder" in describe_write_error(tmp_path / "out", exc.value)


# -- writing: links, devices, pipes, sockets, standard output ------------------------------------

@POSIX
def test_a_link_stays_a_link_and_its_file_gets_the_text(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "out.csv"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "out.csv"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    # The temporary file was made beside the real file, and is gone.
    assert leftovers(real.parent, {"out.csv"}) == []
    assert leftovers(tmp_path, {"out.csv", "shared"}) == []


@POSIX
def test_a_dangling_link_gets_its_file_made(tmp_path: Path) -> None:
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "made.csv")
    write_text(link, "new")
    assert link.is_symlink()
    assert (tmp_path / "made.csv").read_text(encoding="utf-8") == "new"


def _never_replace(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any attempt to rename over ``target`` fail the test instead of doing it (the
    tests run as root on CI, where replacing /dev/null would harm the machine)."""
    real_replace = os.replace

    def guarded(src: str, dst: str) -> None:
        if os.path.realpath(dst) == os.path.realpath(target):
            raise AssertionError(f"tried to replace {target}")
        real_replace(src, dst)

    monkeypatch.setattr(fileio.os, "replace", guarded)


def test_the_null_device_is_written_to_not_replaced(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _never_replace(os.devnull, monkeypatch)
    before = os.stat(os.devnull)
    write_text(os.devnull, "thrown away")
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


@POSIX
def test_a_fifo_is_written_to_not_replaced(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    _never_replace(str(fifo), monkeypatch)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_text(fifo, "through the pipe\n")
    reader.join(timeout=60)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert leftovers(tmp_path, {"out.csv"}) == []


@POSIX
def test_a_link_to_a_fifo_is_written_through(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "out.csv"
    link.symlink_to(fifo)
    _never_replace(str(fifo), monkeypatch)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_text(link, "via the link\n")
    reader.join(timeout=60)
    assert received == [b"via the link\n"]
    assert link.is_symlink() and stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        with pytest.raises(FileRefused) as exc:
            write_text(path, "x")
        assert "socket" in str(exc.value)
        assert stat.S_ISSOCK(path.lstat().st_mode)
    finally:
        server.close()


def test_a_disk_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A stand-in (writing to a real disk device is not something a test may risk).
    disk = tmp_path / "sda"
    disk.write_bytes(b"the disk")
    real_stat = os.stat

    def as_block_device(path: object, *args: object, **kwargs: object) -> os.stat_result:
        found = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        if os.fspath(path) == str(disk):  # type: ignore[call-overload]
            fields = list(found)
            fields[0] = stat.S_IFBLK | 0o660
            return os.stat_result(fields)
        return found

    monkeypatch.setattr(fileio.os, "stat", as_block_device)
    with pytest.raises(FileRefused) as exc:
        write_text(disk, "x")
    assert "this is a disk (a block device)" in str(exc.value)
    monkeypatch.undo()
    assert disk.read_bytes() == b"the disk"


def test_a_dash_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    monkeypatch.chdir(tmp_path)
    write_bytes("-", b"PK\x03\x04 binary")
    assert capsysbinary.readouterr().out == b"PK\x03\x04 binary"
    assert leftovers(tmp_path, set()) == []


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="needs /dev/stdout")
def test_dev_stdout_is_written_to_even_when_it_leads_to_a_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    # Here standard output is a file pytest made: /dev/stdout leads to it through
    # /proc/self/fd/1, and must be written into, not renamed over.
    _never_replace("/dev/stdout", monkeypatch)
    os.write(1, b"first ")
    write_text("/dev/stdout", "second")
    assert capfdbinary.readouterr().out == b"first second"


# -- temporary files -----------------------------------------------------------------------------

def _temporary(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("a copy of the plan", encoding="utf-8")
    return path


def test_stale_temporaries_are_found_by_writer_and_age(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    host = fileio._host_tag()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(dead.stdout)
    gone = _temporary(tmp_path, f".plan.toml.coplan-{host}-{dead_pid}-0123abcd.tmp")
    live = _temporary(tmp_path, f".plan.toml.coplan-{host}-{os.getpid()}-0123abcd.tmp")
    elsewhere = _temporary(tmp_path, f".plan.toml.coplan-00000000-{dead_pid}-0123abcd.tmp")
    legacy = _temporary(tmp_path, ".plan.toml.k2j4_x9a.tmp")
    other_file = _temporary(tmp_path, ".other.toml.k2j4_x9a.tmp")
    mine = _temporary(tmp_path, "plan.toml.bak")
    now = time.time()
    # Now: only the copy whose writer (on this computer) has stopped.
    assert stale_temporaries(plan, now=now) == [gone]
    # After an hour, every copy of this plan whatever its writer; never other files.
    later = now + STALE_AFTER + 60
    assert stale_temporaries(plan, now=later) == sorted([gone, live, elsewhere, legacy])
    assert remove_stale_temporaries(plan) == [gone]
    assert not gone.exists() and live.exists() and other_file.exists() and mine.exists()


def test_a_save_clears_stale_temporaries(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    old = _temporary(tmp_path, ".plan.toml.abcd1234.tmp")
    an_hour_ago = time.time() - STALE_AFTER - 60
    os.utime(old, (an_hour_ago, an_hour_ago))
    save_plan_text(plan, PLAN + "# saved\n")
    assert leftovers(tmp_path, {"plan.toml"}) == []


def test_temporary_names_are_recognisable_and_fit(tmp_path: Path) -> None:
    name = "p" * 250 + ".toml"
    fd, temp = fileio._create_temporary(tmp_path, name, 0o600)
    os.close(fd)
    base = os.path.basename(temp)
    assert len(base) < 255 and base.startswith(".ppp") and ".coplan-" in base
    assert base.endswith(".tmp")
    assert fileio._temporary_pattern(name).match(base)


# -- no fcntl anywhere -------------------------------------------------------------------------

def test_nothing_in_coplan_imports_fcntl() -> None:
    for path in (ROOT / "src" / "coplan").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] == "fcntl" for n in names), path


def test_fileio_imports_nothing_heavy() -> None:
    code = ("import sys, coplan.fileio\n"
            "print(' '.join(m for m in ('tomlkit', 'textual', 'click', 'rich', 'filelock',"
            " 'coplan.planfile', 'coplan.edit') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == ""
