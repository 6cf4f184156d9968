"""Several people on one plan file: a short lock, merge on save, and an activity journal.

Each running coplan (a terminal in the room, a laptop at home, a browser tab) edits its own
copy of the plan and saves through ``save_merged``:

1. take a short lock (``.<plan>.lock`` beside the plan, through ``filelock``: the same on
   Linux, macOS and Windows, and released by the system if its holder dies), noting who
   holds it (``.<plan>.lock-holder``) so that a copy waiting for it can say whose save it
   is waiting for;
2. re-read the file; if someone else saved since this instance last loaded it, merge three
   ways (``merge.merge``: base = what this instance last loaded);
3. if nothing conflicts, replace the file atomically and note who changed what in the
   activity journal (``.<plan>.activity.jsonl``), which the other instances read to say
   "Sam added the touchpoint 'Checking the themes' to 'Analysis'";
4. if something conflicts, write nothing and hand the conflicts back to be resolved
   (theirs, mine, or a new value): nothing is ever overwritten silently.

``absorb`` does the same the other way round, when the watcher sees the file change.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coplan import fileio
from coplan.fileio import LockTimeout
from coplan.merge import Conflict, merge, resolve
from coplan.merge import describe_changes as _describe_changes

__all__ = ["Absorbed", "Activity", "LockTimeout", "SaveOutcome", "absorb", "describe_changes",
           "display_name", "journal_path", "lock_path", "locked", "plan_problems",
           "read_activity", "record", "save_merged"]


def _person_words(keys: dict[str, Any], setting: str) -> str:
    """A person named in the journal as shared outputs may name them: their name where
    they agreed to it, else initials and role (``privacy.shown_name``)."""
    from coplan.model import Person
    from coplan.privacy import shown_name

    name = keys.get("name")
    if not isinstance(name, str) or not name:
        return "someone"
    return shown_name(Person(id=str(keys.get("id", "")), name=name,
                             share_name=keys.get("share_name") is True,
                             kind=str(keys.get("kind") or "other"),
                             described_as=str(keys.get("described_as") or ""),
                             credit=keys.get("credit") if isinstance(keys.get("credit"), str)
                             else None), setting)


def describe_changes(before: str, after: str) -> list[str]:
    """What changed between two texts of a plan, in the plain sentences the activity journal
    and the notices of other copies say (``merge.describe_changes``), people named as
    shared outputs name them."""
    return _describe_changes(before, after, _person_words)


def lock_path(plan: Path) -> Path:
    return plan.with_name(f".{plan.name}.lock")


def journal_path(plan: Path) -> Path:
    return plan.with_name(f".{plan.name}.activity.jsonl")


def holder_path(plan: Path) -> Path:
    return plan.with_name(f".{plan.name}.lock-holder")


def lock_holder(plan: Path) -> str:
    """Who took the plan's lock last ("" if nobody said): while the lock is held, the
    person saving now."""
    try:
        return holder_path(plan).read_text(encoding="utf-8").strip()
    except (OSError, ValueError):
        return ""


@contextlib.contextmanager
def locked(plan: Path, timeout: float = 30.0, *, who: str = "",
           waiting: Callable[[str], object] | None = None) -> Iterator[None]:
    """Hold the plan's lock; waits up to ``timeout`` seconds for another instance.

    ``who`` is noted as the holder, for others to read; ``waiting`` is told whose save
    this one waits for (``lock_holder``), when the wait begins and whenever that changes.
    """
    told: list[str | None] = [None]

    def tell() -> None:
        if waiting is not None and (holder := lock_holder(plan)) != told[0]:
            told[0] = holder
            waiting(holder)

    with fileio.locked(lock_path(plan), timeout=timeout,
                       busy=f"{plan} is being saved by someone else; try again",
                       waiting=tell if waiting is not None else None):
        if who:
            with contextlib.suppress(OSError):
                holder_path(plan).write_text(who + "\n", encoding="utf-8")
        yield


# The files coplan keeps beside a plan while people work on it (the lock, who holds it, the
# activity journal, and a save's temporary file), as .gitignore patterns: they belong to
# this moment on this computer, and the journal names who changed what, so they are never
# committed.  ``coplan new`` adds them to the .gitignore of the plan's folder.
WORKING_FILES = (".*.toml.lock", ".*.toml.lock-holder", ".*.toml.activity.jsonl",
                 ".*.coplan-*.tmp", ".*.toml.closed")
_IGNORE_HEADING = ("# coplan's working files beside each plan: the lock, the activity journal "
                   "and half-done saves (see docs/planning-together.md)")

SHARED_STATE = (".*.*-state.json",)
"""The other files coplan keeps beside a plan, as .gitignore patterns: what an export
remembers between runs (the calendar's update number for each event,
``.PLAN.ics-state.json``) and which events ``coplan publish`` put at which address
(``.PLAN.publish-state.json``).  They hold no one's details, and they are the team's, not
one computer's: where more than one person sends out the calendar, each needs the numbers
the others used, or calendar programs keep the older version of a moved session.  So
``coplan new`` leaves them out of the .gitignore, and says so there (``_SHARED_NOTE``)."""
_SHARED_NOTE = ("# not ignored: .PLAN.ics-state.json and .PLAN.publish-state.json (commit them "
                "if more than one person sends out the calendar)")


def ignore_working_files(folder: Path) -> Path | None:
    """Add coplan's working files to ``folder``'s .gitignore (made if missing), and say
    which file changed; None when every pattern was there already or the file cannot be
    written (a .gitignore that is not a plain file is left alone)."""
    from coplan.fileio import FileRefused, keep_line_breaks, write_text

    ignore = folder / ".gitignore"
    if ignore.is_symlink() or (ignore.exists() and not ignore.is_file()):
        return None  # someone's own arrangement: not coplan's to change
    try:
        # (as bytes: reading as text would turn "\r\n" into "\n" in the team's own lines)
        text = ignore.read_bytes().decode("utf-8") if ignore.exists() else ""
    except (OSError, UnicodeDecodeError):
        return None
    have = {line.strip() for line in text.splitlines()}
    missing = [pattern for pattern in WORKING_FILES if pattern not in have]
    if not missing:
        return None
    note = [_SHARED_NOTE] if _SHARED_NOTE not in have else []
    block = "\n".join([_IGNORE_HEADING, *missing, *note]) + "\n"
    added = ("\n" if text and not text.endswith("\n") else "") + \
        ("\n" if text.strip() else "") + block
    try:
        write_text(ignore, text + keep_line_breaks(added, text))
    except (OSError, FileRefused):
        return None
    return ignore


def display_name(explicit: str | None = None) -> str:
    """Who this instance is: ``--as NAME``, then ``name`` in the user's coplan config, else
    "" (no name).

    Never the login name: it is written into the activity journal beside the plan, which
    travels with the plan (a shared folder, git), and a person's login can be their full
    name or staff number.  Unnamed copies are "someone else" to the others."""
    if explicit and explicit.strip():
        return explicit.strip()
    try:
        import tomllib

        from platformdirs import user_config_dir

        config = Path(user_config_dir("coplan")) / "config.toml"
        if config.is_file():
            data = tomllib.loads(config.read_text(encoding="utf-8"))
            name = data.get("name")
            if isinstance(name, str) and name.strip():
                return name.strip()
    except (OSError, ValueError):
        pass
    return ""


@dataclass(frozen=True, slots=True)
class Activity:
    """One entry of the activity journal: when, who and what."""

    at: float
    who: str
    what: tuple[str, ...]
    instance: str


def record(plan: Path, who: str, what: list[str], instance: str) -> None:
    line = json.dumps({"at": time.time(), "who": who, "what": what, "instance": instance},
                      ensure_ascii=False)
    with journal_path(plan).open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def read_activity(plan: Path, since: int = 0) -> tuple[list[Activity], int]:
    """Journal entries after byte offset ``since``, and the new offset."""
    path = journal_path(plan)
    try:
        with path.open("rb") as handle:
            handle.seek(since)
            data = handle.read()
    except OSError:
        return [], since
    entries = []
    consumed = 0
    for raw in data.splitlines(keepends=True):
        if not raw.endswith(b"\n"):
            break
        consumed += len(raw)
        try:
            item = json.loads(raw)
            entries.append(Activity(float(item.get("at", 0)), str(item.get("who", "someone")),
                                    tuple(item.get("what", ())), str(item.get("instance", ""))))
        except (ValueError, TypeError):
            continue
    return entries, since + consumed


@dataclass(slots=True)
class SaveOutcome:
    """What a save did: whether it wrote, the text, and any clashes."""

    written: bool
    text: str
    conflicts: list[Conflict] = field(default_factory=list)
    merged_from_others: bool = False


def _read(plan: Path, default: str) -> str:
    """The plan's text now, read as every reader reads it (``fileio``: the same BOM
    handling, so an unchanged file equals its base); ``default`` if it is gone."""
    try:
        raw = fileio.read_bytes(plan)
    except FileNotFoundError:
        return default
    return fileio.decode_plan_text(raw, str(plan))


def plan_problems(text: str, path: Path | None = None,
                  check: Callable[[str], object] | None = None) -> list[str]:
    """What is wrong with a plan's text, a plain message a problem ([] if nothing): the
    plan is read as every command reads it, then given to ``check`` (which raises
    ``PlanError`` to refuse it)."""
    from coplan.errors import PlanError
    from coplan.planfile import parse_plan

    try:
        parse_plan(text, str(path or "<plan>"), path=path, with_lines=False)
        if check is not None:
            check(text)
    except PlanError as exc:
        return [p.message for p in exc.problems]
    return []


def save_merged(plan: Path, base: str, mine: str, *, who: str, instance: str,
                what: list[str] | None = None, choices: dict[Any, Any] | None = None,
                attempts: int = 3, waiting: Callable[[str], object] | None = None,
                check: Callable[[str], object] | None = None,
                timeout: float = 120.0) -> SaveOutcome:
    """Save ``mine`` over the plan, merging what others saved since ``base``.

    The merge (the slow part) happens outside the lock; under the lock the file is read
    once more and written only if nobody saved in between, otherwise the merge is redone
    against the newer file.  So the lock is held for a read and a rename, never for a
    merge, and many people saving at once queue for milliseconds, not seconds.  After
    ``attempts`` such tries (others kept saving in between), the merge is done under the
    lock, which always succeeds: a save under contention waits its turn, it never gives up
    (unless the lock is not free within ``timeout`` seconds: ``LockTimeout``).

    Every merged text is checked as a plan before it is written (two valid plans can merge
    into one that is not): changes that break it together come back as conflicts to
    settle, like the same field changed twice; nothing invalid is written.  ``check`` adds
    a check of the caller's own (it raises ``PlanError`` to refuse a text); ``waiting`` is
    told whose save this one waits for (see ``locked``).
    """
    found: dict[str, list[str]] = {}

    def problems(text: str) -> list[str]:  # the same texts are checked again on a retry
        if text not in found:
            found[text] = plan_problems(text, plan, check)
        return found[text]

    def merged_with(disk: str) -> tuple[str, list[Conflict], bool]:
        if disk == base:
            return mine, [], False
        result = (resolve(base, mine, disk, choices, check=problems) if choices
                  else merge(base, mine, disk, check=problems))
        return result.text, result.conflicts, True

    for attempt in range(attempts + 1):
        last = attempt == attempts
        disk = _read(plan, base)
        if not last:
            text, conflicts, merged = merged_with(disk)
            if conflicts:
                return SaveOutcome(False, disk, conflicts, merged)
        with locked(plan, timeout, who=who, waiting=waiting):
            if last:  # others kept saving while we merged: merge holding the lock
                disk = _read(plan, base)
                text, conflicts, merged = merged_with(disk)
                if conflicts:
                    return SaveOutcome(False, disk, conflicts, merged)
            elif _read(plan, base) != disk:
                if waiting is not None:
                    waiting(lock_holder(plan) or "someone else")
                continue  # someone saved while we merged: merge again with theirs
            if text != disk:
                fileio.save_plan_text(plan, text)
                record(plan, who, what or describe_changes(disk, text), instance)
            return SaveOutcome(True, text, [], merged)
    raise AssertionError("the last attempt merges under the lock and returns")


@dataclass(slots=True)
class Absorbed:
    """What happened when the plan changed on disk under an open instance."""

    text: str  # the instance's new text (theirs, or theirs merged with unsaved edits)
    base: str  # the new base: what is on disk
    conflicts: list[Conflict] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)


def absorb(base: str, mine: str, disk: str) -> Absorbed:
    """Take in another instance's save without losing this instance's unsaved edits."""
    changes = describe_changes(base, disk)
    if mine == base:
        return Absorbed(disk, disk, [], changes)
    result = merge(base, mine, disk, check=plan_problems)
    if result.conflicts:
        return Absorbed(mine, base, result.conflicts, changes)
    return Absorbed(result.text, disk, [], changes)
