"""Saving never holds the app up: while another copy of coplan holds the plan's lock, keys
are answered and edits made, the status line says whose save it waits for, the save
completes when the lock is let go, and only what was written is marked saved.

The other copy is played by a thread holding ``sync.locked`` (as a saving copy does).
Nothing sleeps: the test waits on the app's own messages (``SaveWaiting``, ``Saved``),
seen through Textual's message hook, and on thread events.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from forms_pilot import save, type_into
from textual.message import Message
from textual.messages import ExitApp
from tui_support import SIZE, make_app, settle

from coplan.planfile import load_plan
from coplan.sync import locked
from coplan.tui import saving
from coplan.tui.screens.form import FormScreen
from coplan.tui.widgets.stage_table import StageTable

WAIT = 30.0  # a bound, never a pause: every wait below ends as soon as its event comes


def title(path: Path, stage: str) -> str:
    found = load_plan(path).stage(stage)
    assert found is not None
    return found.title


class Seen:
    """The messages the app has handled, by type, as events a test can wait for."""

    def __init__(self) -> None:
        self.events: dict[type[Message], asyncio.Event] = {}
        self.messages: list[Message] = []

    def event(self, kind: type[Message]) -> asyncio.Event:
        return self.events.setdefault(kind, asyncio.Event())

    def hook(self, message: Message) -> None:
        self.messages.append(message)
        self.event(type(message)).set()

    async def wait(self, kind: type[Message]) -> None:
        await asyncio.wait_for(self.event(kind).wait(), WAIT)
        self.event(kind).clear()


@contextmanager
def lock_held_by(plan: Path, who: str) -> Iterator[threading.Event]:
    """Another copy of coplan (a thread) holds the plan's lock until the event is set."""
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with locked(plan, who=who):
            holding.set()
            release.wait(WAIT)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(WAIT), "the other copy could not take the lock"
        yield release
    finally:
        release.set()
        thread.join(WAIT)


def status(app: Any) -> str:
    return str(app.query_one("#status-plan").render())


async def test_the_app_answers_while_another_copy_holds_the_lock(plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    seen = Seen()
    app = make_app(plan_path, watch=True, who="Alex")
    with lock_held_by(plan_path, "Sam") as release:
        async with app.run_test(size=SIZE, message_hook=seen.hook) as pilot:
            await pilot.pause()
            app.edit("renamed aims", lambda doc: doc.set_stage("aims", "title", "Our aims"))
            await pilot.press("ctrl+s")
            await seen.wait(saving.SaveWaiting)
            await pilot.pause()
            assert "waiting for Sam's save…" in status(app)
            assert plan_path.read_text(encoding="utf-8") == before, "nothing written yet"

            # The app answers keys and takes edits while its save waits.
            await pilot.press("2")
            await pilot.pause()
            assert app.query_one("#tabs").active == "timeline"
            await pilot.press("1")
            await pilot.pause()
            app.query_one(StageTable).select_stage("design")
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, FormScreen)
            await type_into(pilot, "title", "Designing it together")
            await save(pilot)
            assert app.session.plan.stage("design").title == "Designing it together"  # type: ignore[union-attr]
            assert "waiting for Sam's save…" in status(app)

            release.set()  # Sam's save is done: ours goes ahead
            await seen.wait(saving.Saved)
            await pilot.pause()
            # What was written is the text as it was when Ctrl+S was pressed; the edit
            # made while it waited is kept, and still to be saved.
            assert title(plan_path, "aims") == "Our aims"
            assert title(plan_path, "design") != "Designing it together"
            assert app.session.plan.stage("design").title == "Designing it together"  # type: ignore[union-attr]
            assert app.session.dirty
            assert "waiting" not in status(app)
            assert "● not saved yet" in status(app)

            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not app.session.dirty
            assert "✔ saved" in status(app)
    assert title(plan_path, "aims") == "Our aims"
    assert title(plan_path, "design") == "Designing it together"


async def test_quitting_waits_for_the_save_to_finish(plan_path: Path) -> None:
    seen = Seen()
    app = make_app(plan_path, watch=True, who="Alex")
    with lock_held_by(plan_path, "Sam") as release:
        async with app.run_test(size=SIZE, message_hook=seen.hook) as pilot:
            await pilot.pause()
            app.edit("renamed aims", lambda doc: doc.set_stage("aims", "title", "Our aims"))
            await pilot.press("ctrl+q")
            await seen.wait(saving.SaveWaiting)
            await pilot.pause()
            assert app.return_code is None, "coplan stays open while the change is not saved"
            assert "waiting for Sam's save…" in status(app)
            release.set()
            await seen.wait(ExitApp)  # it leaves once the save is done
            assert app.return_code == 0
            assert not app.session.dirty
            assert title(plan_path, "aims") == "Our aims"


async def test_quitting_stays_open_and_says_why_when_the_save_fails(
        plan_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path, text: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(saving.fileio, "save_plan_text", refuse)
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.edit("renamed aims", lambda doc: doc.set_stage("aims", "title", "Our aims"))
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.return_code is None, "coplan stays open"
        assert app.session.dirty
        notices = " ".join(n.message for n in app._notifications)
        assert "Could not save: Permission denied" in notices
        assert "still open because your changes are not saved yet" in notices
    assert plan_path.read_text(encoding="utf-8") == before


async def test_an_edit_made_while_others_changes_are_read_is_kept(
        plan_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The watcher saw another copy's save; while its merge is being made, a change is
    made here: the merge is made again with it, and both are in the plan."""
    from coplan.edit import PlanDocument, atomic_write

    merging, go_on = threading.Event(), threading.Event()
    real = saving._take_in
    first = [True]

    def slow_take_in(job: saving.Job, desk: saving.Desk) -> Message:
        if first[0]:
            first[0] = False
            merging.set()
            go_on.wait(WAIT)
        return real(job, desk)

    monkeypatch.setattr(saving, "_take_in", slow_take_in)
    seen = Seen()
    app = make_app(plan_path, who="Alex")
    async with app.run_test(size=SIZE, message_hook=seen.hook) as pilot:
        await pilot.pause()
        theirs = PlanDocument.open(plan_path)
        theirs.set_stage("recruit", "title", "Sam's recruiting")
        atomic_write(plan_path, theirs.text())  # Sam saved
        taken = app.take_in_changes()
        assert await asyncio.to_thread(merging.wait, WAIT)
        app.edit("renamed aims", lambda doc: doc.set_stage("aims", "title", "Our aims"))
        go_on.set()
        assert await taken
        plan = app.session.plan
        assert plan.stage("recruit").title == "Sam's recruiting"  # type: ignore[union-attr]
        assert plan.stage("aims").title == "Our aims"  # type: ignore[union-attr]
        assert app.session.saved_text == plan_path.read_text(encoding="utf-8")
        assert app.session.dirty
        took_in = [m for m in seen.messages if isinstance(m, saving.TookIn)]
        assert len(took_in) == 2, "the merge was made again, with the new edit"


# -- the queue of jobs, without an app -----------------------------------------------------

async def test_saves_asked_for_while_one_runs_are_joined_and_run_in_order() -> None:
    started: list[saving.Job] = []

    def start(job: saving.Job) -> None:  # as the app does: snapshot the text, begin
        job.text = now
        started.append(job)

    jobs = saving.Jobs(start)
    now = "text 1"
    first = jobs.ask("save", now, quiet=False)
    assert started == [first] and jobs.running is first
    assert jobs.ask("save", now) is first, "the same text: the save under way covers it"
    now = "text 2"
    second = jobs.ask("save", now)
    now = "text 3"
    third = jobs.ask("save", now, quiet=False)
    assert third is second, "saves waiting to start are one save (of the newest text)"
    assert not second.quiet, "and say so if any of them was asked for by name"
    take_in = jobs.ask("take-in", now)
    assert jobs.waiting == [second, take_in]
    jobs.done(first, True)
    assert await first.outcome is True
    assert started == [first, second], "one at a time, in the order asked"
    assert second.text == "text 3", "a save takes the text as it is when it begins"
    jobs.again(second)  # the session changed while it ran
    renewed = jobs.running
    assert renewed is not second and renewed is not None and renewed.outcome is second.outcome
    jobs.done(renewed, False)
    assert await second.outcome is False
    assert jobs.running is take_in
    jobs.done(take_in, True)
    assert not jobs.busy
    await jobs.idle()


async def test_closing_saves_what_a_worker_never_began(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"

    def text(title: str) -> str:  # (plans coplan can read: a file changed outside coplan
        # that it cannot read is never written over)
        return f'[project]\ntitle = "{title}"\nstart = 2027-01-11\n'

    plan.write_text(text("old"), encoding="utf-8")
    jobs = saving.Jobs(lambda job: None)  # a worker that never gets to begin
    job = jobs.ask("save", text("new"))
    queued = jobs.ask("save", text("newer"))

    def prepare(job: saving.Job) -> None:
        job.text = text("newer")

    job.text = text("new")
    await jobs.close(prepare, saving.Desk(plan, together=False, who="Alex", instance="x"))
    assert plan.read_text(encoding="utf-8") == text("newer")
    assert job.finished.done() and queued.finished.done()
    saving.run(job, saving.Desk(plan, False, "Alex", "x"), lambda m: None)  # too late: no-op
    assert plan.read_text(encoding="utf-8") == text("newer")


async def test_a_served_app_saves_every_edit_when_its_tab_closes(plan_path: Path) -> None:
    """Under ``coplan serve`` a browser tab can close a moment after an edit, before the
    autosave: the app, ending, saves it (the served driver sets ``save_on_close``)."""
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.save_on_close = True
        app.edit("renamed aims", lambda doc: doc.set_stage("aims", "title", "Our aims"))
        assert app.session.dirty
    assert title(plan_path, "aims") == "Our aims"


async def test_an_app_ended_another_way_saves_as_autosave_would(plan_path: Path) -> None:
    """Without ``coplan serve``, leaving is Ctrl+Q, which saves or stays; an app ended
    another way, where nobody can be asked, saves the change as autosave would have (it
    was dropped before: tests/tui/test_tui_closing.py)."""
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.edit("renamed aims", lambda doc: doc.set_stage("aims", "title", "Our aims"))
    assert title(plan_path, "aims") == "Our aims"
