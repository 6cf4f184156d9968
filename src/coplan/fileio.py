"""Every file coplan reads as a plan or writes, in one place, with one set of promises.

Reading a plan (``read_plan_text``):

- only a plain (regular) file is read, and it is checked *before* it is opened, so a named
  pipe (FIFO) never blocks and a device such as ``/dev/zero`` is never read;
- at most ``MAX_PLAN_BYTES`` (64 MB) are read: a plan written as fully as the bundled MINDS
  example is about 2 KB a stage, so the largest plans coplan is measured on (10,000 such
  stages) are about 20 MB; anything several times larger is not a plan (or is a mistake,
  such as a log file or a disk image), and the cap keeps memory bounded;
- bytes become text the same way everywhere: UTF-8, a byte-order mark (BOM) dropped, an
  empty file, another encoding (with the line and column of the first bad byte) or a
  binary file (NUL bytes) are ``PlanError``s in plain words.

Writing (``write_bytes``, ``write_text``, ``save_plan_text``):

- ``-`` means standard output;
- a regular file (or a new one) is replaced atomically: a temporary file in the same
  folder, flushed and synced to disk, given the old file's permissions (and owner and
  group where allowed), renamed over the old file in one step, then the folder is synced.
  A crash leaves the old file or the new one, never half of each;
- a symbolic link is followed: the file it points to is replaced as above and the link
  stays a link (pointing at the new content), as ``echo text > link`` would do.  coplan
  never turns a link into a plain file behind its owner's back;
- a device (``/dev/null``, a terminal) or a named pipe is written to directly, never
  replaced; ``/dev/stdout``, ``/dev/stderr`` and ``/dev/fd/N`` always are, whatever they
  lead to.  A disk (block device), a socket or a folder is refused in plain words;
- a file that is read-only is refused rather than replaced;
- a report or an export is never written to a ``.toml`` name or over a file that holds a
  plan (``plan_in_the_way``, asked by the command line and the app before they write);
- a plan saved with ``save_plan_text`` keeps the BOM it had.

Temporary files are named ``.<name>.coplan-<host>-<pid>-<random>.tmp`` beside the file
they replace.  A process killed while saving leaves one behind; the next save of that file
(and opening a plan in the app) removes it once it is certainly stale: its writer ran on
this computer and is no longer running, or it is older than ``STALE_AFTER`` seconds
(one hour; a save takes well under a second).  Removing one too early could only make a
save in progress fail with a message while its text is still in memory: never lose work.
Temporary files of older coplan versions (``.<name>.XXXXXXXX.tmp``) are removed by age.

Locking (``locked``) uses ``filelock`` (Linux, macOS and Windows alike), imported only
when a lock is first taken.

This module imports nothing heavy (no tomlkit, textual or click): read-only commands and
the domain use it freely.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

MAX_PLAN_BYTES: Final = 64 * 1024 * 1024
STALE_AFTER: Final = 60 * 60
STDOUT: Final = "-"
BOM: Final = b"\xef\xbb\xbf"

# Paths that name one of this process's open files: written to, never replaced.
_DESCRIPTOR = re.compile(r"^/(?:dev/(?:stdout|stderr|fd/\d+)|proc/(?:self|\d+)/fd/\d+)$")
_LEGACY_TEMP = r"\.[a-z0-9_]{8}\.tmp"  # tempfile.mkstemp's names, before this module


class FileRefused(OSError):
    """A path coplan will not read or write as asked (a device, a socket, too large...).

    ``str()`` is a plain sentence, and ``hint`` says what to do instead."""

    def __init__(self, path: str | os.PathLike[str], message: str, hint: str = "") -> None:
        super().__init__(errno.EINVAL, message, os.fspath(path))
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.filename}: {self.message}"


class LockTimeout(OSError):
    """Another instance held the lock for too long."""


# -- what is at a path ----------------------------------------------------------------------

def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a device"
    if stat.S_ISBLK(mode):
        return "a disk (a block device)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a plain file"


def is_stdout(target: str | os.PathLike[str]) -> bool:
    """Whether ``target`` is ``-``, which means standard output everywhere in coplan."""
    return os.fspath(target) == STDOUT


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths lead to the same file (links, ``..`` and other spellings
    included).  False when either does not exist: a missing file is nobody's input."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


# A table every coplan plan has (or one of its stages, people or meetings), at the start
# of a line: how a report's target is known to hold a plan whatever its name.
# (Only a header alone on its line: a Markdown link such as "[stage](#aims)" is not one.)
_PLAN_TABLE = re.compile(rb"(?m)^[ \t]*\[\[?[ \t]*(?:project|stage|person|meeting)[ \t]*\]\]?"
                         rb"[ \t]*(?:#[^\n]*)?\r?$")


def plan_in_the_way(target: str | os.PathLike[str]) -> str | None:
    """Why no report or export may be written at ``target``, in words, or None.

    A report never goes to a ``.toml`` name (where plans live: a slip of the tab key
    between ``plan.toml`` and ``report.toml`` would put a report where a plan was), nor
    over an existing plain file that holds a coplan plan under another name.  Links are
    judged by the file they lead to; ``-``, devices and pipes are never plans."""
    name = os.fspath(target)
    if is_stdout(target) or _DESCRIPTOR.match(name):
        return None  # (what this process was handed to write to, whatever it leads to)
    real = os.path.realpath(name)
    if ".toml" in (Path(name).suffix.lower(), Path(real).suffix.lower()):
        return ("a name ending '.toml' is a plan's, and coplan never writes a report or an "
                "export to one")
    try:
        if not stat.S_ISREG(os.stat(real).st_mode):
            return None
        with open(real, "rb") as handle:
            start = handle.read(256 * 1024)
    except (OSError, ValueError):
        return None
    if _PLAN_TABLE.search(start.removeprefix(BOM)):
        return ("this file holds a coplan plan, and coplan never writes a report or an "
                "export over one")
    return None


def inside(folder: str | os.PathLike[str], typed: str) -> Path:
    """The file a person named in a dialog, as a path inside ``folder``.

    What they type is a name in that folder (``report.ics``) or in a folder within it
    (``exports/report.ics``). Refused with ``FileRefused``, in plain words: a full path
    (``/etc/passwd``, ``C:\\x``, ``~/x``), a ``..`` step, and a name that leads out of
    the folder through a symbolic link. The answer has every link resolved, so the file
    written is the one checked.
    """
    text = typed.strip()
    base = Path(folder).resolve()
    where = f"the folder {base}"
    if not text:
        raise FileRefused(typed, "no file name was given", f"give a file name in {where}")
    import ntpath
    import posixpath

    windows = ntpath.splitdrive(text)[0] or ntpath.isabs(text)
    if posixpath.isabs(text) or windows or text.startswith("~"):
        raise FileRefused(text, "is a full path, and files can only be saved in "
                          f"{where}", "give just a file name, such as report.ics")
    parts = re.split(r"[\\/]", text)
    if ".." in parts:
        raise FileRefused(text, f"climbs out of {where} with '..'",
                          "give just a file name, such as report.ics")
    target = base.joinpath(*[part for part in parts if part not in ("", ".")])
    resolved = target.resolve()
    if resolved != base and not resolved.is_relative_to(base):
        raise FileRefused(text, f"leads out of {where} through a link",
                          "choose another name")
    if resolved == base:
        raise FileRefused(text, "is the folder itself, not a file", "give a file name")
    return resolved


def cache_folder() -> Path:
    """coplan's cache folder: ``COPLAN_CACHE_DIR``, else the user's cache folder for coplan
    (``platformdirs``).  Everything in it may be deleted at any time."""
    folder = os.environ.get("COPLAN_CACHE_DIR")
    if folder:
        return Path(folder)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("coplan"))


# -- reading ----------------------------------------------------------------------------------

def read_bytes(path: str | os.PathLike[str], *, limit: int = MAX_PLAN_BYTES) -> bytes:
    """The whole content of the plain file at ``path``, at most ``limit`` bytes.

    Never blocks and never reads a device: anything but a regular file is refused before
    it is opened.  Raises ``FileNotFoundError``, ``IsADirectoryError``, ``PermissionError``,
    ``FileRefused`` (not a plain file, or larger than ``limit``) or another ``OSError``.
    """
    name = os.fspath(path)
    info = os.stat(name)
    _refuse_unreadable(name, info.st_mode)
    _refuse_large(name, info.st_size, limit)
    flags = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
             | getattr(os, "O_NOCTTY", 0))
    fd = os.open(name, flags)
    try:
        info = os.fstat(fd)  # what was opened, in case the path changed since
        _refuse_unreadable(name, info.st_mode)
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            _refuse_large(name, total, limit)  # it grew, or its size was not known
        return b"".join(chunks)
    finally:
        os.close(fd)


def _refuse_unreadable(name: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder", name)
    if not stat.S_ISREG(mode):
        raise FileRefused(name, f"this is {_kind(mode)}, not a plan file",
                          "give the path of a .toml file; coplan reads plans only from "
                          "plain files")


def _refuse_large(name: str, size: int, limit: int) -> None:
    if size > limit:
        raise FileRefused(name, f"the file is too large for a plan (more than "
                                f"{_megabytes(limit)}; coplan reads plans up to "
                                f"{_megabytes(limit)})",
                          "check that this is the plan file; a plan of a thousand stages "
                          "is about 2 MB")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def utf8_text(raw: bytes) -> str:
    """``raw.decode("utf-8-sig")``: UTF-8, one byte-order mark at the start dropped.  The
    BOM is dropped here and the rest decoded as UTF-8, which Python does without looking
    up a codec (looking up "utf-8-sig" imports its module: 0.2 ms of every command that
    reads a plan).  A ``UnicodeDecodeError`` is the codec's: its ``start`` and ``end``
    count from after the BOM."""
    return (raw[len(BOM):] if raw.startswith(BOM) else raw).decode("utf-8")


def decode_plan_text(raw: bytes, name: str) -> str:
    """The text of a plan file's bytes (UTF-8, a byte-order mark dropped), or a
    ``PlanError`` saying plainly why they are not a plan's text."""
    from coplan.errors import PlanError, Problem

    if not raw.strip():
        raise PlanError([Problem(name, 1 if raw else 0, 0, "the file is empty",
                                 "a plan needs at least a [project] table with a title and a "
                                 "start date; try 'coplan new' to start from a template")])
    try:
        text = utf8_text(raw)
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PlanError([Problem(name, line, column, "the file is not UTF-8 text (it may be a "
                                 "Word document or saved in another encoding)",
                                 "save it as plain text in UTF-8")]) from None
    if "\x00" in text:
        raise PlanError([Problem(name, 0, 0, "the file is not a text file",
                                 "a plan is a plain TOML text file")])
    return text


def read_plan_text(path: str | os.PathLike[str]) -> str:
    """The text of the plan at ``path`` (see the module's promises), or a ``PlanError``
    naming the file and saying what to do."""
    from coplan.errors import PlanError, Problem

    name = os.fspath(path)
    try:
        raw = read_bytes(name)
    except FileNotFoundError:
        raise PlanError([Problem(name, 0, 0, "there is no file here",
                                 "check the path, or create a plan with 'coplan new'")]) from None
    except IsADirectoryError:
        raise PlanError([Problem(name, 0, 0, "this is a folder, not a plan file",
                                 "give the path of a .toml file")]) from None
    except FileRefused as exc:
        raise PlanError([Problem(name, 0, 0, exc.message, exc.hint)]) from None
    except OSError as exc:
        raise PlanError([Problem(name, 0, 0, f"the file could not be read "
                                 f"({exc.strerror or exc})",
                                 "check that you have permission to read it")]) from None
    return decode_plan_text(raw, name)


def read_small_text(path: str | os.PathLike[str], *, limit: int = MAX_PLAN_BYTES) -> str:
    """A small UTF-8 file coplan keeps for itself (a cache, a calendar's state), with the
    same refusals as a plan; ``OSError`` or ``ValueError`` when it cannot be read."""
    return utf8_text(read_bytes(path, limit=limit))


# -- writing ----------------------------------------------------------------------------------

_BARE_LF = re.compile(r"(?<!\r)\n")


def line_break(text: str) -> str:
    """The line break ``text`` is written with: ``"\r\n"`` when every line ends so (as
    Windows editors such as Notepad write), else ``"\n"``."""
    pairs = text.count("\r\n")
    return "\r\n" if pairs and pairs == text.count("\n") else "\n"


def keep_line_breaks(text: str, like: str) -> str:
    """``text`` written with the line breaks of ``like`` (the file as a person keeps it):
    where ``like`` ends every line with ``"\r\n"``, so does the result, lines coplan adds
    included; otherwise ``text`` as it is.  Every text coplan writes into a file people
    also edit (a plan, a .gitignore) goes through this, so a Windows file never ends up
    with lines of both kinds."""
    if line_break(like) == "\r\n" and text.count("\n") != text.count("\r\n"):
        return _BARE_LF.sub("\r\n", text)
    return text


def write_text(target: str | os.PathLike[str], text: str) -> None:
    """``write_bytes`` of ``text`` in UTF-8."""
    write_bytes(target, text.encode("utf-8"))


def save_plan_text(target: str | os.PathLike[str], text: str) -> None:
    """Save a plan's text: ``write_bytes``, keeping the byte-order mark the file had (the
    text coplan holds never has one, so a plan saved with a BOM equals its merge base)."""
    write_bytes(target, text.encode("utf-8"), keep_bom=True)


def write_bytes(target: str | os.PathLike[str], data: bytes, *, keep_bom: bool = False) -> None:
    """Write ``data`` to ``target`` as the module's promises say: standard output for ``-``,
    straight into a device or pipe, atomically into a plain file (through a link to it).

    Raises ``OSError`` (``FileRefused`` for a disk, a socket or a read-only file);
    ``describe_write_error`` turns any of them into a sentence."""
    name = os.fspath(target)
    if is_stdout(name):
        _write_stdout(data)
        return
    if _DESCRIPTOR.match(name) or os.path.normcase(name) == os.path.normcase(os.devnull):
        _stream(name, data)  # (Windows' NUL does not stat as a device everywhere)
        return
    real = os.path.realpath(name)
    try:
        info: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder", name)
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            _stream(name, data)
            return
        raise FileRefused(name, f"this is {_kind(mode)}; coplan writes only to files, "
                                "named pipes and devices such as /dev/null",
                          "give the path of a file to write")
    if info is not None and not os.access(real, os.W_OK):
        raise FileRefused(name, "the file is read-only, so coplan leaves it as it is",
                          "make it writable first, or write to another file")
    if keep_bom and info is not None and not data.startswith(BOM) and _starts_with_bom(real):
        data = BOM + data
    _replace(Path(real), data, info)
    remove_stale_temporaries(real)


def _write_stdout(data: bytes) -> None:
    stream = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    if stream is None:  # pragma: no cover - a text-only stdout (rare embedding)
        sys.stdout.write(data.decode("utf-8", errors="replace"))
        sys.stdout.flush()
        return
    stream.write(data)
    stream.flush()


def _stream(name: str, data: bytes) -> None:
    """Write into an existing device or pipe: never created, truncated or replaced."""
    flags = os.O_WRONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0)
    if _DESCRIPTOR.match(name):
        flags |= os.O_APPEND  # after whatever the shell's redirection already holds
    fd = os.open(name, flags)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)


def _starts_with_bom(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(BOM)) == BOM
    except OSError:
        return False


def _replace(target: Path, data: bytes, info: os.stat_result | None) -> None:
    folder = target.parent
    # A new file gets the permissions the user's umask gives; the temporary copy of an
    # existing file is private until it takes the old file's permissions.
    fd, name = _create_temporary(folder, target.name, 0o600 if info is not None else 0o666)
    try:
        try:
            handle = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            raise
        with handle:  # closes the descriptor whatever happens
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if info is not None:
            _keep_owner(name, info)
            os.chmod(name, stat.S_IMODE(info.st_mode))
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    _sync_folder(folder)


def _keep_owner(name: str, info: os.stat_result) -> None:
    chown = getattr(os, "chown", None)
    if chown is None:  # pragma: no cover - Windows has no owners to keep
        return
    mine = os.stat(name)
    if (mine.st_uid, mine.st_gid) != (info.st_uid, info.st_gid):
        with contextlib.suppress(OSError):  # only root may give a file away
            chown(name, info.st_uid, info.st_gid)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not possible on Windows, nor needed there
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


# -- temporary files ----------------------------------------------------------------------------

def _host_tag() -> str:
    """A short tag for this computer (not its name, which often holds a person's name)."""
    node = os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")
    return f"{zlib.crc32(node.encode('utf-8', 'replace')):08x}"


def _stem(name: str) -> str:
    return name[:180]  # room for the tag within the usual 255-character limit


def _create_temporary(folder: Path, name: str, mode: int) -> tuple[int, str]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp = os.path.join(folder, f".{_stem(name)}.coplan-{_host_tag()}-{os.getpid()}-"
                                    f"{os.urandom(4).hex()}.tmp")
        try:
            return os.open(temp, flags, mode), temp
        except FileExistsError:  # pragma: no cover - 32 random bits met another file
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(folder))


def _temporary_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"^\.{re.escape(_stem(name))}(?:\.coplan-([0-9a-f]{{8}})-(\d+)-"
                      rf"[0-9a-f]{{8}}\.tmp|(?:{_LEGACY_TEMP}))$")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - no safe liveness test without ctypes
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True


def stale_temporaries(target: str | os.PathLike[str], *,
                      now: float | None = None) -> list[Path]:
    """coplan's temporary copies of ``target`` that no save will ever finish: their
    writer ran on this computer and has stopped, or they are older than ``STALE_AFTER``."""
    real = Path(os.path.realpath(os.fspath(target)))
    pattern = _temporary_pattern(real.name)
    moment = time.time() if now is None else now
    here = _host_tag()
    found = []
    try:
        entries = list(os.scandir(real.parent))
    except OSError:
        return []
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = moment - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        host, pid = match.group(1), match.group(2)
        writer_gone = host == here and pid is not None and not _running(int(pid))
        if writer_gone or age > STALE_AFTER:
            found.append(Path(entry.path))
    return sorted(found)


def remove_stale_temporaries(target: str | os.PathLike[str]) -> list[Path]:
    """Remove ``stale_temporaries(target)``; returns those removed.  Never fails."""
    removed = []
    for path in stale_temporaries(target):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


# -- errors in words ----------------------------------------------------------------------------

def describe_write_error(target: str | os.PathLike[str], exc: OSError) -> str:
    """One plain sentence (with what to do) for a failure to write ``target``."""
    name = os.fspath(target)
    if isinstance(exc, FileRefused):
        return f"{name}: {exc.message}" + (f"; {exc.hint}" if exc.hint else "")
    folder = os.path.dirname(os.path.abspath(name))
    if isinstance(exc, IsADirectoryError):
        return f"{name} is a folder; give a file name inside it"
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return (f"{name}: the folder {folder} does not exist; create it first, or choose "
                "another place to write")
    if isinstance(exc, PermissionError):
        return (f"{name}: coplan may not write there (permission denied); choose a folder "
                "you can write to, or close the file if another program has it open")
    if exc.errno == errno.ENOSPC:
        return f"{name}: the disk is full; make some room and try again"
    if exc.errno == errno.EROFS:
        return f"{name}: this disk is read-only; choose another place to write"
    return f"{name}: could not write ({exc.strerror or exc})"


# -- locking ------------------------------------------------------------------------------------

@contextlib.contextmanager
def locked(lock_file: str | os.PathLike[str], *, timeout: float, busy: str,
           waiting: Callable[[], object] | None = None) -> Iterator[None]:
    """Hold the lock ``lock_file`` (created if needed), waiting up to ``timeout`` seconds
    for another process; after that, ``LockTimeout(busy)``.  ``waiting`` is called now and
    then while the wait lasts (to say who is being waited for).  Works on Linux, macOS and
    Windows (``filelock``: ``flock`` or ``LockFileEx``, released by the system if the
    holder dies)."""
    from filelock import FileLock, Timeout

    lock = FileLock(os.fspath(lock_file), timeout=timeout)
    deadline = time.monotonic() + timeout
    while True:
        try:
            lock.acquire(timeout=timeout if waiting is None else 0.05, poll_interval=0.01)
            break
        except Timeout:
            if waiting is not None:
                waiting()  # told even when the wait is too short to try twice
            if waiting is None or time.monotonic() > deadline:
                raise LockTimeout(busy) from None
    try:
        yield
    finally:
        lock.release()


__all__ = ["MAX_PLAN_BYTES", "STALE_AFTER", "STDOUT", "FileRefused", "LockTimeout",
           "decode_plan_text", "describe_write_error", "is_stdout", "locked",
           "read_bytes", "read_plan_text", "read_small_text", "remove_stale_temporaries",
           "same_file", "save_plan_text", "stale_temporaries", "write_bytes", "write_text"]
