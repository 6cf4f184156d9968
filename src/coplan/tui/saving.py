"""Saving the plan, and taking in other people's saves, without ever holding up the app.

Everything the app does with the plan file on disk runs here, in a worker thread: writing
it, waiting for the lock while another copy of coplan saves, merging what others saved,
reading what the watcher saw change.  Jobs run one at a time, in the order asked (a save
never overlaps a take-in), each on a snapshot of the session: the text when the job began
and the text last saved.  A job never touches the session or a widget; it posts messages
(``SaveWaiting`` while it waits, then ``Saved``, ``SaveConflicts``, ``SaveFailed``,
``TookIn`` or ``TakeInFailed``) and the app's handlers take the outcome in.  So the app
keeps answering keys while it waits for someone else's save, edits made while a save
runs are kept, and only what was written is marked saved.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from textual.message import Message

from coplan import fileio
from coplan.errors import PlanError
from coplan.merge import Conflict
from coplan.sync import Absorbed, LockTimeout

Kind = Literal["save", "take-in"]


@dataclass(eq=False)
class Job:
    """One piece of work on the plan file, and what it began from."""

    kind: Kind
    quiet: bool = True  # a save nobody asked for by name (autosave, quitting): no notice
    choices: dict[Any, Any] | None = None  # how to settle conflicts, once people chose
    base: str = ""  # the text the file had when this copy last read or wrote it
    text: str = ""  # the session's text when the job began
    journal_offset: int = 0  # how much of the activity journal this copy has read
    holder: str | None = None  # whose save this one is waiting for, while it waits
    # Resolved on the event loop once the app has taken the outcome in: True when the
    # job's text is in the file (or nothing new came in).
    outcome: asyncio.Future[bool] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future())
    # Set by the thread when it has finished with the file, even if the app has closed.
    finished: concurrent.futures.Future[None] = field(default_factory=concurrent.futures.Future)
    _taken: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> bool:
        """Claim the job to do it (once only: by its worker, or else by ``Jobs.close``)."""
        return self._taken.acquire(blocking=False)

    def renewed(self) -> Job:
        """The same request, to be done again from a new snapshot."""
        return Job(self.kind, self.quiet, self.choices, outcome=self.outcome)


# -- what the worker says -------------------------------------------------------------------
class JobMessage(Message):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job


class SaveWaiting(JobMessage):
    """Another copy holds the lock: this save waits for ``holder`` ("" if unknown)."""

    def __init__(self, job: Job, holder: str) -> None:
        super().__init__(job)
        self.holder = holder


class Saved(JobMessage):
    """``written`` is in the file now: the job's text, or it merged with others' saves."""

    def __init__(self, job: Job, written: str, merged: bool) -> None:
        super().__init__(job)
        self.written = written
        self.merged = merged


class SaveConflicts(JobMessage):
    """Someone else changed the same things: nothing was written."""

    def __init__(self, job: Job, conflicts: list[Conflict]) -> None:
        super().__init__(job)
        self.conflicts = conflicts


class SaveFailed(JobMessage):
    """Nothing was written; ``reason`` says why in plain words."""

    def __init__(self, job: Job, reason: str) -> None:
        super().__init__(job)
        self.reason = reason


class TookIn(JobMessage):
    """The file changed: ``result`` is the merge of it with this copy's edits (None when
    it holds nothing new), ``names`` who changed it (from the activity journal)."""

    def __init__(self, job: Job, result: Absorbed | None, names: list[str],
                 journal_offset: int) -> None:
        super().__init__(job)
        self.result = result
        self.names = names
        self.journal_offset = journal_offset


class TakeInFailed(JobMessage):
    """The file changed, but cannot be read or merged as it is: ``reason`` in words,
    ``line`` where the file goes wrong (0: not known)."""

    def __init__(self, job: Job, reason: str, line: int = 0) -> None:
        super().__init__(job)
        self.reason = reason
        self.line = line


# -- the work itself (in a worker thread) ---------------------------------------------------
@dataclass(frozen=True, slots=True)
class Desk:
    """Where and as whom a job works: the plan's path, and for planning together (the
    lock, merging, the journal) this copy's name and instance id."""

    path: Path
    together: bool
    who: str
    instance: str


def run(job: Job, desk: Desk, post: Callable[[Message], object]) -> None:
    """Do ``job`` (in a worker thread) and post what happened; never raises."""
    if job.take():
        _run(job, desk, post)


def _run(job: Job, desk: Desk, post: Callable[[Message], object]) -> None:
    try:
        if job.kind == "save":
            post(_save(job, desk, post))
        else:
            post(_take_in(job, desk))
    except Exception as exc:  # a save must never take the app down, nor leave it waiting
        reason = f"something unexpected went wrong ({exc.__class__.__name__}: {exc})"
        post(SaveFailed(job, reason) if job.kind == "save" else TakeInFailed(job, reason))
    finally:
        job.finished.set_result(None)


def _save(job: Job, desk: Desk, post: Callable[[Message], object]) -> Message:
    refused = _unreadable_since(job, desk)
    if refused is not None:
        return refused
    if not desk.together:
        try:
            fileio.save_plan_text(desk.path, job.text)
        except OSError as exc:
            return SaveFailed(job, f"Could not save: {exc.strerror or exc}. Your changes are "
                                   "still here; try again.")
        return Saved(job, job.text, merged=False)

    from coplan.planfile import parse_plan
    from coplan.sync import save_merged

    def check(text: str) -> None:
        parse_plan(text, str(desk.path), path=desk.path, with_lines=False)

    def waiting(holder: str) -> None:
        job.holder = holder
        post(SaveWaiting(job, holder))

    try:
        outcome = save_merged(desk.path, job.base, job.text, who=desk.who,
                              instance=desk.instance, choices=job.choices, waiting=waiting,
                              check=check)
    except PlanError as exc:
        first = exc.problems[0]
        return SaveFailed(job, "Not saved: the plan file on disk and your changes could not "
                               f"be put together ({first.message}). Your changes are still "
                               "here.")
    except LockTimeout:
        holder = job.holder or "another copy of coplan"
        return SaveFailed(job, f"Not saved yet: {holder} was still saving after a long wait. "
                               "Your changes are still here; press Ctrl+S to try again.")
    except OSError as exc:
        return SaveFailed(job, f"Could not save: {exc.strerror or exc}. Your changes are "
                               "still here; try again.")
    if outcome.conflicts:
        return SaveConflicts(job, outcome.conflicts)
    return Saved(job, outcome.text, outcome.merged_from_others)


def _unreadable_since(job: Job, desk: Desk) -> Message | None:
    """A save refused, where the file was changed outside coplan since it was last read
    and cannot be read now (a hand edit left half done): writing this copy over it would
    lose what was written there.  The app holds its saves while it knows the file cannot
    be read; this is for a save that started before it knew."""
    from coplan.planfile import parse_plan

    try:
        disk = fileio.read_plan_text(desk.path)
    except (OSError, PlanError):
        return None
    if disk == job.base:
        return None
    try:
        parse_plan(disk, str(desk.path), path=desk.path, with_lines=False)
    except PlanError as exc:
        first = exc.problems[0]
        return TakeInFailed(job, first.message, first.line)
    return None


def _take_in(job: Job, desk: Desk) -> Message:
    from coplan.sync import absorb, read_activity

    if not desk.path.exists():  # moved away for a moment (some editors save that way)
        return TookIn(job, None, [], job.journal_offset)
    try:
        disk = fileio.read_plan_text(desk.path)  # as every reader reads it
    except OSError:
        return TookIn(job, None, [], job.journal_offset)
    except PlanError as exc:  # too big, not text: say so, keep this copy
        return TakeInFailed(job, exc.problems[0].message, exc.problems[0].line)
    if disk == job.base:
        return TookIn(job, None, [], job.journal_offset)  # our own save, or nothing new
    try:
        result = absorb(job.base, job.text, disk)
    except Exception as exc:  # a half-written or broken file must not take the app down
        return TakeInFailed(job, str(exc))
    entries, offset = read_activity(desk.path, job.journal_offset)
    others = [e.who for e in entries if e.instance != desk.instance]
    names = list(dict.fromkeys(name for name in others if name))
    if names and not all(others):  # some copies gave no name (see sync.display_name)
        names.append("someone else")
    return TookIn(job, result, names, offset)


# -- changes that cannot be saved, kept beside the plan ---------------------------------------
def copy_beside(plan: Path, moment: datetime | None = None) -> Path:
    """Where changes that cannot be saved into ``plan`` are kept: beside it, named after
    it and the moment, so a listing of the folder shows them next to the plan
    (``plan.toml`` -> ``plan.unsaved-2027-09-10-1432.toml``), never a name already used.
    The name does not end as the plan's does (``*.coplan.toml``), so nothing that looks
    for plans (git's merge driver, the watcher) takes it for one."""
    from coplan.clock import moment_from_environment

    when = moment or moment_from_environment() or datetime.now()
    suffix = plan.suffix or ".toml"
    stem = plan.name[: -len(plan.suffix)] if plan.suffix else plan.name
    base = f"{stem}.unsaved-{when:%Y-%m-%d-%H%M}"
    candidate, n = plan.with_name(base + suffix), 2
    while candidate.exists():
        candidate, n = plan.with_name(f"{base}-{n}{suffix}"), n + 1
    return candidate


def keep_beside(plan: Path, text: str, moment: datetime | None = None) -> Path:
    """Write ``text`` (this copy's changes, the whole plan as it stands here) beside
    ``plan`` (``copy_beside``), atomically; returns where.  Raises ``OSError``."""
    target = copy_beside(plan, moment)
    fileio.save_plan_text(target, text)
    return target


def closing_note_path(plan: Path) -> Path:
    """Where coplan leaves word, for the next start, of changes it saved (or kept in a
    copy) when it was closed without being asked (``.plan.toml.closed``, one of
    ``sync.WORKING_FILES``)."""
    return plan.with_name(f".{plan.name}.closed")


def leave_closing_note(plan: Path, words: str) -> None:
    """Say ``words`` at the next start of coplan on ``plan`` (``take_closing_note``); a
    note that cannot be written is left unsaid (the changes themselves are safe)."""
    with contextlib.suppress(OSError):
        fileio.write_text(closing_note_path(plan), words + "\n")


def take_closing_note(plan: Path) -> str:
    """What the last copy of coplan closed without being asked left to say, once ("" when
    nothing)."""
    note = closing_note_path(plan)
    try:
        words = note.read_text(encoding="utf-8").strip()
        note.unlink()
    except OSError:
        return ""
    return words


def unreadable_on_disk(plan: Path) -> bool:
    """Whether the plan file exists and cannot be read as a plan now (a hand edit left half
    done): closing, a save over it would be refused, and the changes lost with it."""
    from coplan.planfile import parse_plan

    try:
        text = fileio.read_plan_text(plan)
    except OSError:
        return False
    except PlanError:
        return True
    try:
        parse_plan(text, str(plan), path=plan, with_lines=False)
    except PlanError:
        return True
    return False


# -- the queue (on the event loop) ----------------------------------------------------------
class Jobs:
    """The jobs asked for, run one at a time in the order asked.

    ``start`` snapshots the session into a job and starts its worker; the app calls
    ``done`` once it has taken a job's outcome in, which starts the next.  Asking for a
    save while one waits to start joins it; asking while one runs joins it too if the
    text has not changed since it began, else a new save follows it.
    """

    def __init__(self, start: Callable[[Job], None]) -> None:
        self._start = start
        self.running: Job | None = None
        self.waiting: list[Job] = []

    def ask(self, kind: Kind, text: str, *, quiet: bool = True,
            choices: dict[Any, Any] | None = None) -> Job:
        queued = next((j for j in self.waiting if j.kind == kind), None)
        if queued is not None and kind == "save":
            queued.quiet = queued.quiet and quiet
            queued.choices = choices or queued.choices
            return queued
        if queued is not None:
            return queued
        running = self.running
        if (running is not None and running.kind == kind == "save" and running.text == text
                and choices is None):
            running.quiet = running.quiet and quiet
            return running
        job = Job(kind, quiet, choices)
        self.waiting.append(job)
        self._next()
        return job

    def again(self, job: Job) -> None:
        """Do ``job`` again from a new snapshot (the session changed while it ran); its
        outcome is that of the new one."""
        if self.running is job:
            self.running = None
        self.waiting.insert(0, job.renewed())
        self._next()

    def done(self, job: Job, outcome: bool) -> None:
        if self.running is job:
            self.running = None
        if not job.outcome.done():
            job.outcome.set_result(outcome)
        self._next()

    def _next(self) -> None:
        if self.running is None and self.waiting:
            self.running = self.waiting.pop(0)
            self._start(self.running)

    @property
    def busy(self) -> bool:
        return self.running is not None or bool(self.waiting)

    async def idle(self) -> None:
        """Wait until every job asked for so far is done and its outcome taken in."""
        while self.busy:
            last = self.waiting[-1] if self.waiting else self.running
            assert last is not None
            await asyncio.shield(last.outcome)

    async def close(self, prepare: Callable[[Job], None], desk: Desk) -> None:
        """The app is closing: let the job under way finish with the file, then do the
        saves still waiting (``prepare`` snapshots each; nobody is left to take their
        outcome in, but the file gets every change someone asked to save)."""
        def ignore(message: Message) -> None:
            """Nobody is left to hear it."""

        running = self.running
        if running is not None and running.take():  # its worker never began: do it here
            await asyncio.to_thread(_run, running, desk, ignore)
        elif running is not None:
            await asyncio.wrap_future(running.finished)
        for job in self.waiting:
            if job.kind == "save" and job.take():
                prepare(job)
                await asyncio.to_thread(_run, job, desk, ignore)
        self.running = None
        self.waiting.clear()
