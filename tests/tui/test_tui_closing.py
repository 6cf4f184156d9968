"""Closing the app another way than Ctrl+Q never drops changes not yet saved.

A screen's ``App.exit`` leaves as Ctrl+Q does: saving first.  The terminal closing (SIGHUP)
or a request to stop (SIGTERM) leaves nobody to ask: the changes are saved as autosave
would save them, and the next start says so; when the save cannot reach the file (someone
else's save clashes with it), they are kept in a copy beside the plan, and the next start
says where.  (Closed while the file cannot be read: tests/tui/test_tui_leaving_unreadable.py.)
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from tui_support import SIZE, make_app, settle

from coplan.tui import saving


def _retitle(app: object) -> None:
    assert app.edit("retitle", lambda doc: doc.set_stage("aims", "title", "Kept aims"))  # type: ignore[attr-defined]
    assert app.session.dirty  # type: ignore[attr-defined]


def _notices(app: object) -> str:
    return " ".join(str(n.message) for n in app._notifications)  # type: ignore[attr-defined]


async def test_exit_from_a_screen_saves_first(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _retitle(app)
        app.screen.app.exit()  # as a screen would close the app
        await settle(pilot)
        assert app.return_code == 0
    assert 'title = "Kept aims"' in plan_path.read_text(encoding="utf-8")
    assert not saving.closing_note_path(plan_path).exists()  # asked to leave: nothing to say


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP here")
@pytest.mark.parametrize(("name", "said"), [("SIGHUP", "the terminal it ran in closed"),
                                            ("SIGTERM", "asked to stop")])
async def test_the_terminal_going_away_saves_and_the_next_start_says_so(
        plan_path: Path, name: str, said: str) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _retitle(app)
        number = getattr(signal, name)
        # (listened for: without that, the signal would end the test run itself)
        assert signal.getsignal(number) not in (signal.SIG_DFL, signal.SIG_IGN, None)
        os.kill(os.getpid(), number)
        await settle(pilot)
        assert app.return_code == 0
    assert 'title = "Kept aims"' in plan_path.read_text(encoding="utf-8")
    assert saving.closing_note_path(plan_path).exists()
    again = make_app(plan_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        notices = _notices(again)
        assert said in notices and "changes were saved into plan.toml" in notices, notices
    assert not saving.closing_note_path(plan_path).exists()  # said once


async def test_a_save_that_cannot_reach_the_file_on_closing_is_kept_beside_it(
        plan_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _retitle(app)
        before = plan_path.read_text(encoding="utf-8")
        text = app.session.text
        # the save on closing does not reach the file (as when someone else's save clashes)
        monkeypatch.setattr(app.jobs, "ask", lambda *args, **kwargs: None)
        app._closed_from_outside("the terminal it ran in closed")
        await settle(pilot)
    assert plan_path.read_text(encoding="utf-8") == before
    copies = sorted(plan_path.parent.glob("plan.unsaved-*.toml"))
    assert len(copies) == 1 and copies[0].read_text(encoding="utf-8") == text
    again = make_app(plan_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        notices = _notices(again)
        assert copies[0].name in notices and "could not be saved" in notices, notices


async def test_a_clean_close_says_nothing_next_time(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app._closed_from_outside("the terminal it ran in closed")
        await settle(pilot)
    assert not saving.closing_note_path(plan_path).exists()


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP here")
async def test_text_typed_in_a_form_is_kept_in_the_closing_note(plan_path: Path) -> None:
    """A form's typing is work too: the terminal closing while it is open keeps it in the
    note the next start shows (which form, each changed field as typed), and never puts it
    into the plan behind the person's back."""
    from coplan.tui.screens.form import FormScreen

    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("4", "p")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"Fay Hangup")
        await pilot.pause()
        os.kill(os.getpid(), signal.SIGHUP)
        await settle(pilot)
    assert plan_path.read_text(encoding="utf-8") == before  # not added unasked
    note = saving.closing_note_path(plan_path).read_text(encoding="utf-8")
    assert "the terminal it ran in closed" in note
    assert "the form 'Add a person'" in note and "Name" in note, note
    assert ": \u201cFay Hangup\u201d." in note, note
    assert "not put into the plan" in note
    again = make_app(plan_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Fay Hangup" in _notices(again)


async def test_a_form_opened_and_left_untouched_leaves_no_note(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app._closed_from_outside("the terminal it ran in closed")
        await settle(pilot)
    assert not saving.closing_note_path(plan_path).exists()


async def test_typing_in_a_form_and_changes_saved_are_both_said(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _retitle(app)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", *" (A)")
        await pilot.pause()
        app._closed_from_outside("the terminal it ran in closed")
        await settle(pilot)
    assert 'title = "Kept aims"' in plan_path.read_text(encoding="utf-8")
    note = saving.closing_note_path(plan_path).read_text(encoding="utf-8")
    assert "changes were saved into plan.toml" in note
    assert "(A)\u201d" in note and "not put into the plan" in note, note


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP here")
async def test_closed_from_outside_with_a_dialog_open_the_process_ends(
        plan_path: Path) -> None:
    """The terminal closing while the clash dialog is open (a dialog's worker waiting on
    it), with changes to save: the work is kept, the file watcher is told to stop, and the
    process is ended shortly after even if something still held it."""
    import threading

    from coplan.merge import Conflict
    from coplan.tui.screens.conflicts import ConflictScreen

    ended: list[int] = []
    done = threading.Event()
    app = make_app(plan_path, watch=True)
    app.ends_process = lambda code: (ended.append(code), done.set())
    app.END_AFTER = 0.01
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _retitle(app)
        app._ask_about_conflicts([Conflict(("stage", "aims", "title"), "Aims", "Kept aims",
                                           "Their aims")])
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        assert not app._stop_watching.is_set()
        os.kill(os.getpid(), signal.SIGHUP)
        await settle(pilot)
    assert app._stop_watching.is_set()
    assert done.wait(5) and ended == [0]
    assert 'title = "Kept aims"' in plan_path.read_text(encoding="utf-8")
    assert "the terminal it ran in closed" in saving.closing_note_path(plan_path).read_text(
        encoding="utf-8")


async def test_closed_by_its_own_way_the_process_is_left_to_end(plan_path: Path) -> None:
    ended: list[int] = []
    app = make_app(plan_path)
    app.ends_process = ended.append
    app.END_AFTER = 0.01
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert ended == []


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP here")
async def test_the_work_is_kept_before_the_terminal_is_written_to(plan_path: Path) -> None:
    """Textual's closing down begins by writing to the terminal, which, once gone, blocked
    it for good (the process stayed, its changes never saved): the save and the note come
    first, and the process is ended after them."""
    seen: list[bool] = []
    app = make_app(plan_path)
    app.ends_process = lambda code: None
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        _retitle(app)
        driver = app._driver
        first = driver.disable_input

        def disable_input() -> None:
            seen.append('title = "Kept aims"' in plan_path.read_text(encoding="utf-8")
                        and saving.closing_note_path(plan_path).exists())
            first()

        driver.disable_input = disable_input
        os.kill(os.getpid(), signal.SIGHUP)
        await settle(pilot)
    assert seen == [True]
