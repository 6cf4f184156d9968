"""The coplan app: a team builds its co-produced plan together at one screen.

The app owns what is truly app-wide: the one ``PlanSession`` (the editing core: plan
file, derived schedule and review, undo and redo), the status line, saving, undo and redo,
quitting, following other people's saves, the theme and the command palette.  Each tab is
a pane (``tui/panes/``) with its own widgets, refresh and actions; the tab list is
declared once (``panes.PANES``).  Every edit goes through ``edit`` and the session, then
every view refreshes from it.  Saving, merging and waiting for the lock run in a worker
thread (``tui/saving.py``) that posts messages; the handlers here own every state change.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import re
import uuid
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from rich.cells import cell_len
from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.notifications import Notification, Notify, SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import Header, Input, TabbedContent, TextArea
from textual.widgets._header import HeaderTitle
from textual.worker import Worker

from coplan.durations import calendar_days, plain_days
from coplan.edit import PlanDocument
from coplan.session import EditClashes, EditRefused, PlanSession
from coplan.tui import saving
from coplan.tui.actions import ACTIONS, bindings
from coplan.tui.held_notices import HeldNotices, say_in_dialog
from coplan.tui.panes import PANES, Pane
from coplan.tui.panes.plan import PlanPane
from coplan.tui.screens.export import ExportScreen
from coplan.tui.screens.help import GlossaryScreen, HelpScreen
from coplan.tui.widgets.fit import shorten
from coplan.tui.widgets.footer import FittedFooter
from coplan.tui.widgets.literal import Static
from coplan.tui.widgets.text import show
from coplan.words import count

PaneT = TypeVar("PaneT", bound=Pane)

MIN_SAID = 24  # the least room the status line keeps for what was just done
YOUNG_OBJECTS = 50_000  # new objects between two looks for cycles, while the app runs

CALM = Theme(
    name="coplan",
    primary="#3B7EA1",
    secondary="#6A8D73",
    accent="#C9A227",
    foreground="#E8E6E3",
    background="#1E2326",
    surface="#262C30",
    panel="#2E363B",
    success="#7FB77E",
    warning="#E0B34A",
    error="#E06C5A",
    dark=True,
)
HIGH_CONTRAST = Theme(
    name="coplan-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFFFF",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    success="#00FF00",
    warning="#FFFF00",
    error="#FF5555",
    dark=True,
)


_TAKEN_OUT = re.compile(r"\[((?:email address|phone number) removed\])")
"""What ``privacy.Redaction`` puts for an address or number it takes out."""


class CoplanApp(App[None]):
    """Plan together: stages, touchpoints, timeline, review, people and the protocol."""

    CSS_PATH = "coplan.tcss"
    TITLE = "coplan"
    BINDINGS: ClassVar[list[BindingType]] = bindings()
    # The widget each tab puts the keyboard focus in, by tab id.
    MAIN_WIDGET: ClassVar[dict[str, str]] = {p.id: p.pane.MAIN for p in PANES}

    def __init__(self, path: Path, *, today: date | None = None, autosave_delay: float = 2.0,
                 watch: bool = False, high_contrast: bool = False,
                 cursor_blink: bool = True, who: str | None = None,
                 export_dir: Path | None = None, example: str | None = None,
                 protected: bool = False, name_checked: bool = True) -> None:
        """Open the plan at ``path``.

        ``today`` fixes the date the app treats as today (tests and demonstrations pass
        one); ``cursor_blink=False`` keeps text cursors steady (for screenshots, and for
        people who find blinking distracting).  ``watch`` follows other people's saves of
        the same file; ``who`` is the name their copies show for this one's changes.
        ``export_dir`` is the only folder exports may be saved in (the plan's, unless given).
        ``example``: the bundled example this plan is a copy of (``coplan demo``), whose
        findings are part of the story it tells: the app says so (``story``).
        ``protected``: the protected view of a served app (``coplan.protected``): the
        person ``who`` names sees their own private details and nobody else's, and no edit
        made here may change what they cannot see.  ``name_checked=False``: ``who`` was
        typed by the person and proves nothing, so their own details are not shown either.
        """
        super().__init__()
        self.plan_path = Path(path)
        self.save_on_close = False  # set by the driver ``coplan serve`` runs the app with
        self.export_dir = export_dir
        self.example = example
        from coplan.clock import today as clock_today

        self.today = clock_today(today)
        self.session = PlanSession.open(self.plan_path, today=self.today)
        self.autosave_delay = autosave_delay
        self._autosave_timer: Timer | None = None
        self.presentation = False
        self.register_theme(CALM)
        self.register_theme(HIGH_CONTRAST)
        self.theme = "coplan-high-contrast" if high_contrast else "coplan"
        self.watch_files = watch
        self.cursor_blink = cursor_blink
        self._panes: dict[str, Pane] = {}  # found once the tabs are composed
        self._stale: set[str] = {p.id for p in PANES}
        self.last_change = ""
        self.instance = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._journal_offset = 0
        self._frozen = False
        self._collector: tuple[int, ...] | None = None  # the collector's thresholds before
        self.jobs = saving.Jobs(self._start_job)
        self._waiting_for: str | None = None  # whose save ours waits for, while it does
        self._asking = False  # the question about clashing changes is on screen
        self._clash_waiting = False  # a save stopped on clashes, until one is made
        # The text when the dialog on screen opened: the base of the edit it makes, so that
        # a value someone else changed meanwhile is a clash (see ``edit``).
        self._form_base: str | None = None
        from coplan.sync import display_name

        # The name other people's copies show for this one's changes: --as NAME or the name
        # in the user's coplan settings; never the login name ("" when neither is given).
        self.who = display_name(who)
        self.protected = protected
        self.viewer: str | None = None  # in the protected view, the person it is for
        # What the tabs show and fill forms from: the session, or its protected view.
        self.shown_session: PlanSession = self.session
        if protected:
            self._protect(name_checked)
        # Keys typed while a dialog is on its way (see ``hold_keys``), in the order typed.
        self._held: list[events.Key] | None = None
        # Why the file on disk could not be read when it last changed, until it can again:
        # the one message that says so (``unreadable_message``), shown until it can.
        self.disk_unreadable: str | None = None
        # Closing with changes that cannot be saved: where they were kept, or whether the
        # person said, twice, to throw them away (``_ask_before_leaving``).
        self.kept_copy: Path | None = None
        self._kept_text: str | None = None
        self._throw_away = False
        # Leaving by the app's own way (Ctrl+Q, the leaving dialog): ``exit`` is final.
        self._leaving = False
        # How the app was closed without Ctrl+Q, when asking was impossible (the terminal
        # went away): its changes are saved on closing, and the next start says so.
        self._closed_by = ""
        # What was typed in the forms open when it was closed so, and not saved (each
        # form's ``typed_unsaved``): never put into the plan, said in the closing note.
        self._typed_on_closing: list[str] = []
        self._closing_words: list[str] = []  # what the closing note says, in order
        self._listening: list[int] = []  # the signals the loop listens for (on_mount)
        # How the process is ended once the app, closed from outside, has kept its work
        # (``_end_promptly``): ``coplan edit`` gives ``os._exit``; None leaves it be (tests).
        self.ends_process: Callable[[int], object] | None = None
        self._stop_watching = asyncio.Event()  # tells the file watcher's thread to stop
        self._work_kept = False  # closing: the unsaved work is saved or kept (once)
        self._closing_task: asyncio.Task[None] | None = None
        self._hold_timer: Timer | None = None
        self._hold_trigger: events.Key | None = None  # the key that started holding
        self._hold_for: Worker[Any] | None = None
        # Held keys still being handed on, one at a time (see ``_give_in_turn``); keys
        # typed meanwhile join the end, so nothing overtakes what was typed before it.
        self._handing: list[events.Key] | None = None
        # Notices kept back while a dialog is open, so that none covers it (``notify``).
        self._notices = HeldNotices()
        self._given: events.Key | None = None  # the key being handed on now
        self._follow_timer: Timer | None = None  # hands on the next if one gets lost
        self._paused = False  # keys wait while a handed-on key is held for a dialog
        self._follow_target: Any = None  # where the key being followed was sent
        self._all_handed_on = asyncio.Event()  # set while no key waits to be handed on
        self._all_handed_on.set()

    def _protect(self, name_checked: bool) -> None:
        """Open the protected view for the person ``who`` names (``coplan.protected``)."""
        from coplan.protected import hidden_change, person_named
        from coplan.tui.shown import ShownSession

        person = person_named(self.session.plan, self.who) if name_checked else None
        self.viewer = viewer = person.id if person is not None else None

        def guard(before: Any, after: Any) -> str | None:
            why = hidden_change(before, after, viewer)
            return None if why is None else f"{why}. {self.protected_note()}"

        self.session.guard = guard
        self.shown_session = cast(PlanSession, ShownSession(self.session, viewer))

    def _with_ids_as_written(self, change: Callable[[PlanDocument], object]
                             ) -> Callable[[PlanDocument], object]:
        """``change`` made on the copy the protected view shows, written with the file's
        own ids (``protected.IdsAsWritten``)."""
        from coplan.protected import IdsAsWritten

        back = dict(getattr(self.shown_session, "ids_back", {}))
        if not back:
            return change
        return lambda document: change(cast(PlanDocument, IdsAsWritten(document, back)))

    def protected_note(self) -> str:
        """What the protected view says when it refuses something: who can do it."""
        from coplan.protected import who_looks_after

        names = who_looks_after(self.session.plan)
        who = (" and ".join(names) if len(names) <= 2 else
               ", ".join(names[:-1]) + " and " + names[-1]) if names else \
            "the people who look after private details"
        return f"In this shared view you see your own details and nobody else's; ask {who}."

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False,
               still: Callable[[], bool] | None = None) -> None:
        """Show a notice; in the protected view, in the words the copy of the plan for the
        person would use (``for_viewer``): every notice of the app, whichever part of it
        says something about the plan, says it here.  Read as written, not as markup
        (``markup=False``, unlike Textual's own): a notice quotes the plan's words.

        While a dialog is open it is kept back, and shown when the dialog closes, if
        ``still`` (when given) says it is still true then (``held_notices``)."""
        if getattr(self, "protected", False):  # (a notice before ``__init__`` is done)
            message = self.for_viewer_marked(message) if markup else \
                self.for_viewer(message)
            title = self.for_viewer(title)
        notice = Notification(message, title, severity,
                              self.NOTIFICATION_TIMEOUT if timeout is None else timeout,
                              markup=markup)
        notices = getattr(self, "_notices", None)
        if notices is not None:
            notices.raised(notice, still, self._dialog_open())
        self.post_message(Notify(notice))

    def clear_notifications(self) -> None:
        """Take away every notice, those kept back for a dialog too: they are over."""
        self._notices = HeldNotices()
        super().clear_notifications()

    def _dialog_open(self) -> bool:
        try:
            return len(self.screen_stack) > 1
        except Exception:  # (closing: no screens left)
            return False

    def _refresh_notifications(self) -> None:
        """No notice is shown over a dialog: they wait until it closes (``notify``)."""
        if not self._dialog_open():
            super()._refresh_notifications()
            return
        from textual.notifications import Notifications
        from textual.widgets._toast import ToastRack

        for rack in self.screen.query(ToastRack):
            self.call_later(rack.show, Notifications())

    def _notices_follow_dialogs(self) -> None:
        """Keep back the notices on screen when a dialog opens; show those kept back when
        the last one has closed."""
        if self._dialog_open():
            self._notices.hold(self._notifications)
            return
        if not self._notices:
            return
        old, new = self._notices.release()
        for notice in old:
            del self._notifications[notice]
        for notice in new:
            self._notifications.add(notice)
        self._refresh_notifications()

    def refuse_in_protected_view(self, message: str) -> bool:
        """In the protected view, say ``message`` (why something is not done here) and who
        can do it, and give ``True``; elsewhere ``False``."""
        if not self.protected:
            return False
        self.notify(f"{message} {self.protected_note()}", title="Kept private",
                    severity="warning", timeout=10)
        return True

    # -- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="status"):
            yield Static("", id="status-plan")
            yield Static("", id="status-said")
        with TabbedContent(id="tabs", initial=PANES[0].id):
            for spec in PANES:
                yield spec.pane(spec.title, id=spec.id)
        yield FittedFooter()

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._screen_changed)
        self.title = self.shown_session.plan.project.title or "coplan"
        self.refresh_views()
        self._listen_for_closing()
        said = saving.take_closing_note(self.plan_path)
        if said:
            self.notify(said, title="When coplan last closed", timeout=30)
        if self.example is not None:
            from coplan.tui.example_story import story_notice

            self.notify(story_notice(self.session.plan, self.example, self.today),
                        title="An example", timeout=30)
        self.query_one(self.MAIN_WIDGET[PANES[0].id]).focus()
        if self.watch_files:
            from coplan.sync import read_activity

            _, self._journal_offset = read_activity(self.plan_path)
            self._watch_plan()

    def on_ready(self) -> None:
        """The first screen is drawn: now build the editable document.  Built beside the
        drawing (a worker thread shares the interpreter), it kept a large plan off the
        screen for about as long again.

        From here on Python's cycle collector looks for cycles after every 50,000 new
        objects rather than 700 (put back when the app closes): an edit makes tens of
        thousands, and frees nearly all of them as they go out of use, so collecting after
        every 700 scanned the same young objects again and again (adding a stage to 1,000
        stages: ten collections of the young objects and one of everything, 20 to 30 ms of
        its 70).  What only the collector can free waits a little longer."""
        if self._collector is None:
            self._collector = gc.get_threshold()
            gc.set_threshold(YOUNG_OBJECTS, *self._collector[1:])
        self._prepare_document()

    @work(thread=True, exclusive=True, group="prepare")
    def _prepare_document(self) -> None:
        """Build the editable document in the background, so the first edit is quick.

        Then tell Python's cycle collector to leave everything made so far alone: the plan,
        its document and the app live as long as the app does, and scanning them again and
        again made the occasional edit on a large plan take several times as long.
        """
        self.session.prepare()
        if not self._frozen:  # once: later plans are replaced as the team edits
            self._frozen = True
            gc.freeze()

    @on(events.DescendantFocus)
    def _steady_cursor(self, event: events.DescendantFocus) -> None:
        """Without blinking, a text cursor stays visible (every screen, the palette too)."""
        if not self.cursor_blink and isinstance(event.widget, (Input, TextArea)):
            event.widget.cursor_blink = False

    HEADER_SIDES = 18  # the header's icon (8) and the room kept for a clock (10)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's line, whole words only: the title and the file's name with its
        state when both fit, else the title alone (the status line says the state), cut
        between words with "…" when even that is too long for the screen."""
        room = max(1, (self.size.width or 120) - self.HEADER_SIDES)
        if sub_title and cell_len(f"{title} — {sub_title}") <= room:
            return super().format_title(title, sub_title)
        return Content(shorten(title, room))

    def on_resize(self, event: events.Resize) -> None:
        """A new width: the header's title and the status line are fitted to it again."""
        for header in self.query(Header):
            header.query_one(HeaderTitle).update(header.format_title())
        if self.query("#status-plan"):
            self.update_status()

    @property
    def story(self) -> str:
        """For a copy of a bundled example, where its findings come from, in a line
        (else "")."""
        if self.example is None:
            return ""
        from coplan.tui.example_story import story_line

        return story_line(self.session.plan, self.example, self.today)

    # -- the tabs -----------------------------------------------------------------------
    @property
    def panes(self) -> dict[str, Pane]:
        """The tabs' panes by tab id, in the order of the tab list."""
        if not self._panes:
            found = {pane.id: pane for pane in self.query(Pane)}
            self._panes = {p.id: found[p.id] for p in PANES}
        return self._panes

    def pane(self, kind: type[PaneT]) -> PaneT:
        """The pane of this kind (each tab's pane is of its own class)."""
        return next(p for p in self.panes.values() if isinstance(p, kind))

    @property
    def active_pane(self) -> Pane:
        return self.panes[self.query_one(TabbedContent).active]

    def show_tab(self, tab: str) -> None:
        """Show a tab and put the keyboard focus in it."""
        tabs = self.query_one(TabbedContent)
        target = self.query_one(self.MAIN_WIDGET[tab])
        self._catch_up(self.panes[tab])
        if tabs.active != tab:
            # Let go of the focus first: if it stayed in the tab being hidden, Textual
            # would move it to a neighbour in that tab and switch straight back.
            self.set_focus(None)
            tabs.active = tab
            self.call_after_refresh(target.focus)
        else:
            target.focus()

    def action_show_tab(self, tab: str) -> None:
        self.show_tab(tab)

    async def action_in_pane(self, owner: str, action: str) -> None:
        """Run a pane's action: the pane on screen does it if it has its own way (Delete
        on the People tab removes a person), else the pane that owns it."""
        shown = self.active_pane
        if action in shown.OWN_WAY:
            pane, action = shown, shown.OWN_WAY[action]
        else:
            pane = shown if hasattr(shown, f"action_{action}") else self.panes[owner]
        before = set(self.workers)
        await pane.run_action(action)
        opening = [w for w in self.workers if w not in before and w.group == "dialog"
                   and not w.is_finished]
        if opening:
            self.hold_keys(opening[0])

    _OWNERS: ClassVar[dict[str, str]] = {spec.run: spec.pane for spec in ACTIONS}

    def in_footer(self, action: str) -> bool:
        """Whether the footer shows the key that runs ``action`` on the tab on screen: the
        app's own keys always, a tab's keys on that tab (and on a tab whose ``KEYS_OF``
        names it).  The People tab's footer showed the stage keys and hid its own."""
        owner = self._OWNERS.get(action, "")
        if not owner:
            return True
        shown = self.active_pane
        return owner == shown.id or owner in shown.KEYS_OF

    # -- keys typed while a dialog opens ------------------------------------------------
    def hold_keys(self, opening: Worker[Any] | None = None) -> None:
        """Keep the keys typed from now until a dialog is ready for them.

        A dialog opens a moment after its key is pressed; keys typed in that moment (a
        name typed straight after ``p``) would otherwise be taken as shortcuts by the tab
        underneath, or lost.  They are kept, then given to the dialog once its first field
        has the focus, or back to the tab when ``opening`` (the worker that opens it) ends
        without one (it said "choose a stage first", say)."""
        if self._held is None:
            self._held = []
        self._hold_for = opening
        if self._hold_timer is not None:
            self._hold_timer.stop()
        self._hold_timer = self.set_timer(2.0, self._give_keys)

    def _screen_changed(self, screen: Screen[Any]) -> None:
        self._follow_lost()
        self._notices_follow_dialogs()
        if screen is not self.screen_stack[0]:
            if self._form_base is None:
                self._form_base = self.session.text
        elif not any(w.group == "dialog" and not w.is_finished for w in self.workers):
            self._form_base = None  # (a dialog's worker clears it when it ends)
        if self._held is not None and screen is not self.screen_stack[0]:
            self._give_keys_when_ready(screen, 50)

    def _give_keys_when_ready(self, screen: Screen[Any], tries: int) -> None:
        if self._held is None:
            return
        if (screen.is_mounted and screen.focused is not None) or tries <= 0:
            # One refresh more: the field handles its focus first (an input selects its
            # text then), so a key such as End given after it is not undone by it.
            screen.call_after_refresh(self.post_message, self._GiveKeys())
        else:
            screen.call_after_refresh(self._give_keys_when_ready, screen, tries - 1)

    @on(Worker.StateChanged)
    def _dialog_worker_ended(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "dialog" and event.worker.is_finished \
                and len(self.screen_stack) == 1:
            self._form_base = None
        if self._held is not None and event.worker is self._hold_for and \
                event.worker.is_finished:
            self.post_message(self._GiveKeys())

    class _GiveKeys(Message):
        """Hand on the keys held: queued behind any still arriving, so they keep order."""

    @on(_GiveKeys)
    def _give_keys(self) -> None:
        held, self._held = self._held, None
        self._hold_for = None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        self._give_in_turn(list(held or []))

    def _give_in_turn(self, keys: list[events.Key]) -> None:
        """Hand on held keys one at a time, each once the one before has been dealt with:
        a key such as End is handled on its way back up (as a binding), after a letter
        typed behind it would otherwise have been.  Keys typed while this goes on wait
        behind them (``on_event``): the rest of a name, or Ctrl+S, never overtakes it."""
        if self._handing is not None:
            self._handing[:0] = keys  # held for a dialog a handed-on key opened: first
            if self._paused:
                self._paused = False
                self._give_next()
            return
        self._handing = list(keys)
        self._all_handed_on.clear()
        self._give_next()

    @property
    def handing_on_keys(self) -> bool:
        """Whether keys typed are still waiting to be handed on (``keys_handed_on``)."""
        return not self._all_handed_on.is_set()

    async def keys_handed_on(self) -> None:
        """Wait until every key typed so far has been handed on and dealt with (keys on a
        dialog go one at a time): what a test reads after typing is then what a person
        typing slowly would see."""
        await self._all_handed_on.wait()

    def _give_next(self) -> None:
        """Hand on the next key waiting, once the one before has been dealt with."""
        queue = self._handing
        if self._follow_timer is not None:
            self._follow_timer.stop()
            self._follow_timer = None
        if not queue or not self.is_running or len(self.screen_stack) == 0:
            # Done (the last key dealt with), or closing: nobody is left to take them.
            self._handing = self._given = None
            self._paused = False
            self._all_handed_on.set()
            return
        first = queue.pop(0)
        self._given = events.Key(first.key, first.character)
        self.post_message(self._given)
        # (``on_event`` follows it; should it never arrive there, the next goes anyway)
        self._follow_timer = self.set_timer(self.FOLLOW_AT_MOST,
                                            partial(self._give_after, self._given))

    def _pause_handing(self) -> None:
        if self._follow_timer is not None:
            self._follow_timer.stop()
            self._follow_timer = None
        self._given, self._paused = None, True

    FOLLOW_AT_MOST = 3.0  # seconds a key may take to be dealt with before the next goes

    def _give_after(self, key: events.Key) -> None:
        """Hand on the next key, if ``key`` is still the last one handed on: each key is
        followed one way only (a second way would hand on two at once, out of order)."""
        if key is self._given:
            self._give_next()

    class _Following(Message):
        """Sent after a key handed on, along the way it went: it reaches the app once the
        key has been dealt with by the widget it went to and every container around it
        (each handles its messages in turn), and by the app's binding for it."""

        def __init__(self, key: events.Key, target: Any, lap: int) -> None:
            super().__init__()
            self.key, self.target, self.lap = key, target, lap

    def _follow(self, key: events.Key, target: Any, lap: int = 1) -> None:
        """Follow ``key`` (given to ``target``) until it has been dealt with, then hand on
        the next.  Twice round: what the key set off (a binding presses a button, whose
        message goes up to the dialog, which closes) goes the same way after it, and the
        second time round follows that.  A refresh alone came too soon: Enter on a
        dialog's last button, and "4", "p" and a name straight after it, and the name
        went into the dialog on its way out."""
        self._follow_target = target
        if self._gone(target) or not target.post_message(self._Following(key, target, lap)):
            self.call_after_refresh(self._give_after, key)  # (gone: nothing to follow)

    def _gone(self, target: Any) -> bool:
        """Whether ``target`` has left the screens on show (its dialog closed): a message
        sent to it then may never be read."""
        try:
            return not target.is_attached or target.screen not in self.screen_stack
        except Exception:  # (no screen any more)
            return True

    def _follow_lost(self) -> None:
        """A dialog closed while a key was followed through it: the marker sent after the
        key may have gone with it, so the next key goes once the screen has settled."""
        target, key = self._follow_target, self._given
        if key is not None and target is not None and self._gone(target):
            self.call_after_refresh(self._give_after, key)

    @on(_Following)
    def _followed(self, message: _Following) -> None:
        message.stop()
        if message.key is not self._given:
            return  # (already handed on by the timer)
        if message.lap < 2:
            self._follow(message.key, message.target, message.lap + 1)
        elif not self._handing:
            self._give_next()  # nothing typed behind it: done at once
        else:
            # One refresh more: what the key changed takes effect (the focus it moved).
            self.call_after_refresh(self._give_after, message.key)

    async def on_event(self, event: events.Event) -> None:
        key = event if isinstance(event, events.Key) and not event.is_forwarded else None
        typed = key is not None
        if key is not None and self._handing is not None and key is not self._given:
            self._handing.append(key)  # typed while keys are handed on: after them
            return
        given = typed and event is self._given
        if self._held is None and typed and len(self.screen_stack) == 1:
            # A dialog's worker is between its screens (a choice made, the next list or
            # the form on its way): what is typed now is meant for what comes next.
            between = next((w for w in self.workers
                            if w.group == "dialog" and not w.is_finished), None)
            if between is not None:
                self.hold_keys(between)
        if self._held is not None and key is not None:
            self._held.append(key)  # typed while the dialog opens: kept for it
            if given:
                # The keys behind it wait (they are not held yet), and go after it once
                # the held keys are handed on (``_give_in_turn``): one handed on now
                # could overtake the held keys.
                self._pause_handing()
            return
        if typed and self._handing is None and len(self.screen_stack) > 1:
            # A key on a dialog may close it (Enter on its last choice, Esc, Ctrl+S):
            # the keys typed behind it wait until it has been dealt with, then go where
            # it left the focus.  Handed on at once, they went into the dialog on its way
            # out and were lost ("4", "p" and a name typed straight after settling a clash).
            self._handing, self._given, given = [], cast(events.Key, event), True
            self._all_handed_on.clear()
        leads_on = typed and cast(events.Key, event).key == "enter" and \
            getattr(self.screen, "LEADS_ON", False)
        # Where the key goes (unless a binding of the app's takes it first).
        target = (self.focused or self.screen) if given else None
        await super().on_event(event)  # (this marks the key as forwarded)
        if given:
            self._follow(cast(events.Key, event), target)
        if leads_on:
            # A choice in a list that leads on to another list or a form: what is typed
            # straight after Enter is meant for that, not for the list going away.
            opening = next((w for w in self.workers
                            if w.group == "dialog" and not w.is_finished), None)
            if opening is not None and self._held is None:
                self.hold_keys(opening)
                self._hold_trigger = event if isinstance(event, events.Key) else None

    async def _on_key(self, event: events.Key) -> None:
        if self._held is not None and event is not self._hold_trigger:
            # Typed before the dialog was asked for, but not yet taken by the tab: the
            # person meant it for the dialog too.
            self._held.append(event)
            event.prevent_default()
            event.stop()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        if isinstance(event.pane, Pane):
            self._catch_up(event.pane)
            event.pane.shown()
            self.screen.refresh_bindings()  # the footer shows this tab's keys

    # -- refreshing ---------------------------------------------------------------------
    def refresh_views(self) -> None:
        """Show the session's plan, schedule and review.

        What every tab tracks (the plan table) and the status line are brought up to date
        at once; each tab's own view when it is next shown (or now, if it is showing).
        """
        views = self.shown_session.views
        for pane in self.panes.values():
            pane.track(views)
        self.update_status()
        self._stale = {p.id for p in PANES}
        self._catch_up(self.active_pane)

    def _catch_up(self, pane: Pane) -> None:
        """Bring one tab up to date with the session, if it is behind."""
        if pane.id in self._stale:
            self._stale.discard(pane.id or "")
            pane.refresh_from(self.shown_session.views)

    def update_status(self) -> None:
        s = self.session
        if self._waiting_for is not None:
            saved = f"● waiting for {self._waiting_for or 'another copy'}'s save…"
        else:
            saved = "● not saved yet" if s.dirty else "✔ saved"
        if self.disk_unreadable is not None:  # (the message says the rest)
            saved = "▲ not saving: the file on disk cannot be read"
        sched = s.schedule
        n = len(s.plan.stages)
        if n == 0:
            plan = "no stages yet: press a to add one"
        elif sched is None:
            plan = f"{n} stage{'s' if n != 1 else ''}, which cannot be scheduled yet"
        else:
            plan = (f"{count(n, 'stage')}, ends {sched.finish:%d %b %Y} with "
                    f"{plain_days(sched.added_days)} for slowing down")
            must = s.plan.project.finish_by
            if must is not None:  # the margin to plan against, said in words
                spare = (must - sched.finish).days
                plan += (f"; {calendar_days(spare)} to spare" if spare >= 0 else
                         f"; ▲ {calendar_days(-spare)} past {must:%d %b %Y}")
        # The last change made here stays in view (a notice would vanish while the room
        # is still talking about it); until there is one, where to find help.
        said = self.for_viewer(self.last_change) or "F1 help · ? words · Ctrl+P actions"
        line = self.for_viewer(f"{saved}   {plan}")
        # On a screen too narrow for the line and some room for what was said beside it
        # (80 columns), the line wraps between words and what was said goes under it:
        # never cut off in the middle of a word.
        room = (self.size.width or 120) - 2 - 3  # the line's padding, the gap between
        self.query_one("#status").set_class(cell_len(line) + MIN_SAID > room, "-narrow")
        show(self.query_one("#status-plan", Static), line)
        show(self.query_one("#status-said", Static), said, fixed=True)  # one line, 1fr
        state = ("file on disk cannot be read" if self.disk_unreadable is not None else
                 "not saved" if s.dirty else "saved")
        self.sub_title = f"{self.plan_path.name} ({state})"

    # -- applying edits -----------------------------------------------------------------
    def edit(self, description: str, change: Callable[[PlanDocument], object]) -> bool:
        """Apply one change through the session; say so, or say plainly why not.

        A change made in a dialog is made on the text the dialog opened on: if someone
        else's save came in while it was open and changed the same value, the person is
        asked which to keep (as when saving), never overwriting theirs unasked."""
        made = self.attempt(description, change)
        if isinstance(made, str):
            self._refused(made)
            return False
        return made

    def attempt(self, description: str, change: Callable[[PlanDocument], object]
                ) -> bool | str:
        """``edit``, but a refusal is given back in words rather than told: a form that
        makes its change as Save is pressed shows it beside its fields and stays open
        (and its change is still made on the text it opened on)."""
        started, self._form_base = self._form_base, None
        made = self._make_edit(description, change, started)
        if isinstance(made, str):
            self._form_base = started  # the form stays open, on the text it opened on
        return made

    def _refused(self, reason: str) -> None:
        self.notify(f"Not changed: {reason}", title="That change was not made",
                    severity="error", timeout=8)

    def _make_edit(self, description: str, change: Callable[[PlanDocument], object],
                   started: str | None, choices: dict[Any, Any] | None = None
                   ) -> bool | str:
        """The change made on ``started`` (the text its form opened on, if any): whether
        the plan changed, or in words why it was refused."""
        before = self.session.text
        made = self._with_ids_as_written(change) if self.protected else change
        try:
            self.session.apply(description, made, started_from=started, choices=choices)
        except EditClashes as exc:
            self._ask_about_edit(description, change, started, exc.conflicts)
            return False
        except EditRefused as exc:
            return str(exc)
        if self.session.text == before:
            self.notify("Nothing was changed, so nothing needed saving.", timeout=3)
            return False
        self.last_change = f"{description[:1].upper()}{description[1:]} (Ctrl+Z undoes it)"
        self.refresh_views()
        self.schedule_autosave()
        return True

    def schedule_autosave(self) -> None:
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.set_timer(self.autosave_delay, self.action_autosave)

    def action_autosave(self) -> None:
        self._autosave_timer = None
        if self.session.dirty and not self._asking:
            self.save_now(quiet=True)

    def action_undo(self) -> None:
        try:
            what = self.session.undo()
        except EditRefused as exc:
            self.notify(f"Not undone: {exc}", severity="warning", timeout=8)
            return
        if what is None:
            self.notify("Nothing to undo.", timeout=2)
            return
        self.last_change = f"Undone: {what} (Ctrl+Y redoes it)"
        self.refresh_views()
        self._prepare_document()
        self.schedule_autosave()

    def action_redo(self) -> None:
        try:
            what = self.session.redo()
        except EditRefused as exc:
            self.notify(f"Not redone: {exc}", severity="warning", timeout=8)
            return
        if what is None:
            self.notify("Nothing to redo.", timeout=2)
            return
        self.last_change = f"Redone: {what}"
        self.refresh_views()
        self._prepare_document()
        self.schedule_autosave()

    # -- saving (the work itself runs in a worker thread: tui/saving.py) ------------------
    def save_now(self, quiet: bool = False, choices: dict[Any, Any] | None = None
                 ) -> asyncio.Future[bool]:
        """Save the plan; with others on the same file, merge their saves in first.

        Returns at once: the save runs in a worker thread, so the app keeps answering while
        it waits for someone else's save.  Await the result (in a worker or a test, never
        in a handler) to know whether the text as it is now reached the file.
        """
        if self.disk_unreadable is not None:
            # Writing over a file someone is putting right would lose their work; asked
            # to save, say why not (the same message, once more).
            if not quiet:
                self._say_unreadable(again=True)
            held: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
            held.set_result(not self.session.dirty)
            return held
        if not self.session.dirty and choices is None:
            if not quiet:
                self.notify(f"Saved {self.plan_path.name}", timeout=3)
            done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
            done.set_result(True)
            return done
        job = self.jobs.ask("save", self.session.text, quiet=quiet, choices=choices)
        return asyncio.shield(job.outcome)

    def take_in_changes(self) -> asyncio.Future[bool]:
        """Read what is on disk now and take it in, keeping unsaved edits made here (in a
        worker thread; await the result as with ``save_now``)."""
        job = self.jobs.ask("take-in", self.session.text)
        return asyncio.shield(job.outcome)

    async def wait_for_file_work(self) -> None:
        """Wait until every save and take-in asked for so far has finished and its outcome
        is shown (quitting waits like this; so do tests)."""
        await self.jobs.idle()

    @property
    def _desk(self) -> saving.Desk:
        return saving.Desk(self.plan_path, self.watch_files, self.who, self.instance)

    def _snapshot(self, job: saving.Job) -> None:
        job.base, job.text = self.session.saved_text, self.session.text
        job.journal_offset = self._journal_offset

    def _start_job(self, job: saving.Job) -> None:
        self._snapshot(job)
        self.run_worker(partial(saving.run, job, self._desk, self.post_message),
                        name=job.kind, group="plan-file", thread=True, exit_on_error=False)

    @on(saving.SaveWaiting)
    def _save_waiting(self, message: saving.SaveWaiting) -> None:
        if message.job is self.jobs.running:
            self._waiting_for = message.holder
            self.update_status()

    @on(saving.Saved)
    def _saved(self, message: saving.Saved) -> None:
        job = message.job
        self._waiting_for = None
        self._clash_waiting = False
        if self.disk_unreadable is not None:
            self._readable_again()
        merged = message.written != job.text
        try:
            self.session.mark_saved(job.text, message.written)
        except EditRefused as exc:
            self.notify(f"Saved. What others changed meanwhile could not be combined with "
                        f"your newest changes ({exc}); they are still here, and the next "
                        "save asks.", severity="warning", timeout=10)
        if merged:
            self.refresh_views()
            self._prepare_document()
        if message.merged:
            self.notify("Saved, together with what others changed meanwhile.", timeout=4)
        self.update_status()
        if not job.quiet:
            self.notify(f"Saved {self.plan_path.name}", timeout=3)
        self.jobs.done(job, True)

    @on(saving.SaveConflicts)
    def _save_conflicts(self, message: saving.SaveConflicts) -> None:
        self._waiting_for = None
        self._clash_waiting = True
        self.update_status()
        self._ask_about_conflicts(message.conflicts)
        self.jobs.done(message.job, False)

    @on(saving.SaveFailed)
    def _save_failed(self, message: saving.SaveFailed) -> None:
        self._waiting_for = None
        self.update_status()
        self.notify(message.reason, severity="error", timeout=10)
        self.jobs.done(message.job, False)

    @work(group="conflicts")
    async def _ask_about_conflicts(self, conflicts: list[Any]) -> None:
        """Someone else changed the same things: ask, for each, whether to keep theirs,
        keep mine, or write a new value agreed together; then save with the answers."""
        from coplan.tui.screens.conflicts import ConflictScreen

        self._asking = True
        try:
            choices = await self.push_screen_wait(ConflictScreen(
                conflicts, self.other_writer(), words=self.for_viewer))
        finally:
            self._asking = False
        if choices is None:
            self.notify("Not saved yet: your changes are still here. Save again (Ctrl+S) "
                        "to choose.", severity="warning", timeout=8,
                        still=lambda: self.session.dirty)
            return
        self.save_now(choices=choices)

    @work(group="conflicts")
    async def _ask_about_edit(self, description: str, change: Callable[[PlanDocument], object],
                              started: str | None, conflicts: list[Any]) -> None:
        """Someone else changed what a form changes while it was open: ask which to keep
        (theirs, mine, or a new value), then make the change with the answers."""
        from coplan.tui.screens.conflicts import ConflictScreen

        who = self.other_writer()
        self._asking = True
        try:
            choices = await self.push_screen_wait(ConflictScreen(
                conflicts, who, words=self.for_viewer))
        finally:
            self._asking = False
        if choices is None:
            self.notify(f"Not changed: {conflicts[0].describe(who)}, while your form was "
                        f"open. {who[:1].upper()}{who[1:]}'s version stays; make your "
                        "change again to keep yours.", severity="warning", timeout=12)
            return
        made = self._make_edit(description, change, started, choices)
        if isinstance(made, str):
            self._refused(made)

    def other_writer(self) -> str:
        """Who last saved the plan from another copy (the activity journal says), so a
        clash names them; "someone else" when nobody is recorded."""
        from coplan.sync import read_activity

        entries, _ = read_activity(self.plan_path)
        return next((e.who for e in reversed(entries)
                     if e.instance != self.instance and e.who), "someone else")

    def exit(self, result: Any = None, return_code: int = 0,
             message: Any = None) -> None:
        """Close the app.  Asked to close by anything but its own way out (a screen's
        ``App.exit``, a command) while changes are not saved, it leaves as Ctrl+Q does:
        saving first, or asking when they cannot be saved (``_quit``); nothing unsaved is
        dropped without asking."""
        if (self.session.dirty and return_code == 0 and not self._leaving
                and not self._throw_away and not self._closed_by and self.is_running):
            self._quit()
            return
        super().exit(result, return_code, message)

    def _leave(self, message: str | None = None) -> None:
        """Leave by the app's own way (after saving, or as the person chose)."""
        self._leaving = True
        super().exit(message=message)

    def _listen_for_closing(self) -> None:
        """The terminal closing (SIGHUP) or a request to stop (SIGTERM) closes the app as
        ``_closed_from_outside`` does; where the loop cannot listen (not the main thread,
        Windows), they end it as before."""
        import signal

        loop = asyncio.get_running_loop()
        for name, how in (("SIGHUP", "the terminal it ran in closed"),
                          ("SIGTERM", "it was asked to stop (SIGTERM)")):
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                loop.add_signal_handler(number, self._closed_from_outside, how)
            except (NotImplementedError, RuntimeError, ValueError):
                continue
            self._listening.append(number)

    def _closed_from_outside(self, how: str) -> None:
        """Closed where nobody can be asked: the changes not yet saved are saved as
        autosave would save them, or kept in a copy beside the plan (``on_unmount``)."""
        self._closed_by = how
        self._typed_on_closing = self._typed_in_open_forms()
        # The work is kept before Textual closes down: its first step writes to the
        # terminal, which, gone, can block it for good (the driver's queue of writes
        # fills and nothing empties it); the save on unmount then never came.
        self._closing_task = asyncio.get_running_loop().create_task(self._keep_then_exit())

    async def _keep_then_exit(self) -> None:
        try:
            await self._keep_the_work()
        finally:
            super().exit()

    def _typed_in_open_forms(self) -> list[str]:
        """What was typed (or chosen) in each form on screen and not saved, in words."""
        from coplan.tui.screens.form import FormScreen

        return [said for screen in self.screen_stack if isinstance(screen, FormScreen)
                if (said := screen.typed_unsaved())]

    async def on_unmount(self) -> None:
        """Closing: a save under way (or asked for) still reaches the file.  Closed without
        Ctrl+Q where nobody can be asked (the terminal gone, a browser tab closed, a
        request to stop), every edit made so far is saved as autosave would save it, or,
        when the file cannot be read or the save does not reach it, kept in a copy beside
        the plan: never dropped.  The next start says which (``saving.take_closing_note``)."""
        import signal

        self._stop_watching.set()
        loop = asyncio.get_running_loop()
        for number in self._listening:
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(signal.Signals(number))
        self._listening.clear()
        await self._keep_the_work()
        if self._collector is not None:
            gc.set_threshold(*self._collector)
            self._collector = None

    async def _keep_the_work(self) -> None:
        """Save (or keep in a copy) what is not saved yet, leave the closing note, and,
        closed from outside, see that the process ends (``_end_promptly``); once only."""
        if self._work_kept:
            return
        self._work_kept = True
        unsaved = self.session.dirty and not self._throw_away and \
            self._kept_text != self.session.text
        if unsaved and (self.disk_unreadable is not None
                        or saving.unreadable_on_disk(self.plan_path)):
            # (``_ask_before_leaving`` asks when it can)
            if self._keep_a_copy(closing=True) is not None and self._closed_by:
                self._note_on_closing(f"its changes were kept in {self.kept_copy}, as "
                                      f"{self.plan_path.name} could not be read")
            unsaved = False
        elif unsaved or (self.save_on_close and self.session.dirty):
            self.jobs.ask("save", self.session.text, quiet=True)
        await self.jobs.close(self._snapshot, self._desk)
        if unsaved:
            self._saved_on_closing()
        self._leave_closing_note()
        if self._closed_by:
            self._end_promptly()

    END_AFTER = 3.0  # seconds the process may take to end by itself once its work is kept

    def _end_promptly(self) -> None:
        """Closed from outside, with its work kept (saved, or in a copy, and the note
        written): nobody is left to see the app or answer it.  What might still run must
        not keep the process alive with nobody at it (it once stayed, its terminal gone,
        at 5-8% CPU): the file watcher is told to stop now, and if the process has not
        ended ``END_AFTER`` seconds from now (a thread waiting on the dead terminal, on
        the plan's lock or on the watcher), it is ended then.  A daemon timer: a process
        that ends by itself ends at once, without waiting for it."""
        import threading

        self._stop_watching.set()
        end = self.ends_process
        if end is None:
            return
        timer = threading.Timer(self.END_AFTER, end, args=(0,))
        timer.daemon = True
        timer.start()

    def _saved_on_closing(self) -> None:
        """After the save made on closing: if it did not reach the file (a clash with
        someone else's save, the disk full), keep the changes in a copy beside the plan;
        say at the next start which, when the app was closed from outside."""
        from coplan.errors import PlanError
        from coplan.fileio import read_plan_text

        try:
            on_disk: str | None = read_plan_text(self.plan_path)
        except (OSError, PlanError):
            on_disk = None
        if on_disk == self.session.text:
            if self._closed_by:
                self._note_on_closing(f"its changes were saved into {self.plan_path.name}")
            return
        if self._keep_a_copy(closing=True) is not None:
            self._note_on_closing(f"its changes could not be saved into "
                                  f"{self.plan_path.name}; they are kept in "
                                  f"{self.kept_copy}. Compare the two and copy across what "
                                  "you want to keep")

    def _note_on_closing(self, what: str) -> None:
        how = self._closed_by or "it was closed without Ctrl+Q"
        self._closing_words.append(f"coplan was closed because {how}, with changes not "
                                   f"yet saved: {what}.")

    def _leave_closing_note(self) -> None:
        """Leave the note the next start shows (``saving.take_closing_note``): what became
        of the changes, and what was typed in a form and not saved (which was not put into
        the plan: the person never said to save it), so that it can be typed again."""
        words = list(self._closing_words)
        if self._typed_on_closing:
            if not words:
                words.append(f"coplan was closed because {self._closed_by}.")
            words.extend(self._typed_on_closing)
        if words:
            saving.leave_closing_note(self.plan_path, " ".join(words))

    def action_save(self) -> None:
        self.save_now()

    async def action_quit(self) -> None:
        """Ctrl+Q: save and leave.  With a dialog open (a form, a question, a list), it
        leaves nothing half done behind: it says how to finish or close the dialog first,
        the same words in every dialog, and leaves what was typed as it is."""
        if len(self.screen_stack) > 1:
            # Said in the dialog itself: a notice would be kept back until it closes.
            if not say_in_dialog(self.screen, f"▲ {self._QUIT_IN_A_DIALOG}"):
                self.notify(self._QUIT_IN_A_DIALOG, title="A dialog is open",
                            severity="warning", timeout=8)
            return
        self._quit()

    _QUIT_IN_A_DIALOG = ("coplan is still open, with this dialog. Finish it first: Ctrl+S "
                         "saves a form, Esc closes it (asking first if something was typed). "
                         "Then Ctrl+Q leaves coplan.")

    @work(exclusive=True, group="quit")
    async def _quit(self) -> None:
        """Save and leave; if the save cannot be made, stay, so nothing is lost."""
        for _ in range(3):  # changes made while it saved are saved too
            if not self.session.dirty:
                self._leave()
                return
            if self.disk_unreadable is not None:
                break
            if not await self.save_now(quiet=True):
                break
        if self.disk_unreadable is not None and self.session.dirty:
            await self._ask_before_leaving()
            return
        if self._clash_waiting:
            who = self.other_writer()
            self.notify(f"coplan is still open: {who} changed the same thing as you, and "
                        "nothing is saved until you choose. Choose which version to keep in "
                        "the dialog 'Two changes to the same thing' (Ctrl+S brings it back), "
                        "or undo your change with Ctrl+Z; then Ctrl+Q leaves.",
                        severity="warning", timeout=12)
            return
        self.notify("coplan is still open because your changes are not saved yet. "
                    "Ctrl+Q again after saving leaves.", severity="warning", timeout=8)

    async def _ask_before_leaving(self) -> None:
        """Leaving with changes that cannot be saved, as the plan file cannot be read just
        now: stay open until it can (then they are saved with it), keep them in a copy
        beside the plan and leave, or throw them away after an explicit yes.  Nothing is
        thrown away without asking."""
        from coplan.tui.screens.confirm import ConfirmScreen
        from coplan.tui.screens.leaving import LeavingScreen

        choice = await self.push_screen_wait(LeavingScreen(
            self.plan_path.name, saving.copy_beside(self.plan_path).name))
        if choice == "copy":
            kept = self._keep_a_copy()
            if kept is not None:
                self._leave(message=f"coplan: your changes were not saved into "
                                  f"{self.plan_path.name}, which could not be read; they are "
                                  f"kept in {kept}. Compare it with the plan once that is put "
                                  "right, and copy across what you want to keep.")
            return
        if choice == "discard":
            sure = await self.push_screen_wait(ConfirmScreen(
                "Throw away the changes you made here? They are in no file, and cannot be "
                "got back.", yes="Yes, throw them away", no="No, keep them",
                kept="Nothing thrown away: your changes are still here."))
            if sure:
                self._throw_away = True
                self._leave()
            return
        self.notify("coplan is still open, with your changes. Once "
                    f"{self.plan_path.name} is put right they are saved with it; then "
                    "Ctrl+Q leaves.", severity="warning", timeout=10)

    def _keep_a_copy(self, *, closing: bool = False) -> Path | None:
        """Write this copy's changes beside the plan (``saving.keep_beside``) and say
        where; None (and said why) when it cannot be written."""
        try:
            kept = saving.keep_beside(self.plan_path, self.session.text)
        except OSError as exc:
            if not closing:
                self.notify(f"Could not keep a copy of your changes: {exc.strerror or exc}. "
                            "coplan stays open, with your changes.", severity="error",
                            timeout=12)
            return None
        self.kept_copy, self._kept_text = kept, self.session.text
        return kept

    @work(group="dialog")
    async def action_edit_plan(self) -> None:
        """Any part of the plan, through its tables and lists (``editing.browse``)."""
        from coplan.tui import editing

        await editing.browse(self)

    def action_export(self) -> None:
        """Export the plan as it is in this session (saved or not), through the same
        exporters as ``coplan export``."""
        from coplan.plugins import all_exporters

        self.push_screen(ExportScreen(all_exporters(), self.shown_session, self.plan_path,
                                      self.export_dir))

    # -- following other people's saves -------------------------------------------------
    class PlanChanged(Message):
        """The plan file changed on disk (another copy of coplan, an editor, git)."""

    @work(exclusive=True, group="watch")
    async def _watch_plan(self) -> None:
        """Watch the plan's folder (saves replace the file, so the file itself would be
        lost) and say when the plan changes."""
        from watchfiles import awatch

        name = self.plan_path.name
        # (stopped as the app closes: its thread looks every 50 ms, instead of only when
        # the loop gets round to cancelling it, which a closing loop may never do)
        async for changes in awatch(self.plan_path.parent, debounce=150, step=50,
                                    recursive=False, stop_event=self._stop_watching):
            if any(Path(changed).name == name for _, changed in changes):
                self.post_message(self.PlanChanged())

    @on(PlanChanged)
    def _plan_changed(self) -> None:
        self.take_in_changes()

    @on(saving.TookIn)
    def _took_in(self, message: saving.TookIn) -> None:
        job, result = message.job, message.result
        if not self.is_running:
            # Closing: another copy's save reached this one as it shut down, and its tabs
            # may already be gone.  The file holds that save; nothing here is lost.
            return
        if result is None:
            if self.disk_unreadable is not None:
                self._readable_again()
            self.jobs.done(job, True)
            return
        if (self.session.saved_text, self.session.text) != (job.base, job.text):
            self.jobs.again(job)  # changed here meanwhile: merge again with the new text
            return
        try:
            self.session.take_in(result)
        except EditRefused as exc:  # a half-written or broken file: say where
            line = exc.problem.line if exc.problem is not None else 0
            reason = exc.problem.message if exc.problem is not None else str(exc)
            self._took_in_failed(saving.TakeInFailed(job, reason, line))
            return
        except Exception as exc:  # ... and nothing else must take the app down
            self._took_in_failed(saving.TakeInFailed(job, str(exc)))
            return
        self._journal_offset = message.journal_offset
        if self.disk_unreadable is not None:
            self._readable_again()
        self.refresh_views()
        self._prepare_document()
        who = " and ".join(message.names) if message.names else "Someone"
        said = "; ".join(result.changes[:3]) or "changed the plan"
        self.notify(f"{who} {said}.", title="The plan changed", timeout=8)
        if result.conflicts:
            self.notify("Some of it clashes with changes you have not saved yet: "
                        + result.conflicts[0].describe(
                            " and ".join(message.names) if message.names else "someone else")
                        + ". When you save, coplan asks whose version to keep.",
                        severity="warning", timeout=12)
        self.jobs.done(job, True)

    def for_viewer(self, text: str) -> str:
        """Words about the plan (what others changed, a clash, an edit refused, the
        status line) as the protected view may show them: names kept private, email
        addresses and phone numbers as the copy of the plan for the person writes them.
        Elsewhere, as they are."""
        if not self.protected or not text:
            return text
        from coplan.privacy import redaction

        audience = self.viewer or "team"
        return redaction(self.session.plan, audience, own=self.viewer is not None).text(text)

    def for_viewer_marked(self, text: str) -> str:
        """``for_viewer``, for a widget that reads markup: what it puts for an address or
        number it takes out ("[email address removed]") is words, not a style."""
        return _TAKEN_OUT.sub(r"\\[\1", self.for_viewer(text))

    @on(saving.TakeInFailed)
    def _took_in_failed(self, message: saving.TakeInFailed) -> None:
        if not self.is_running:  # (closing, as in ``_took_in``)
            return
        said = self.unreadable_message(message.reason, message.line)
        first = said != self.disk_unreadable
        self.disk_unreadable = said
        self.update_status()
        if first:  # (the watcher sees every save of the file: say it once per problem)
            self._say_unreadable()
        self.jobs.done(message.job, False)

    def unreadable_message(self, reason: str, line: int) -> str:
        """The one message for a plan file that cannot be read: where, what is wrong,
        what to do, and what happens meanwhile to the changes made here."""
        where = f"{self.plan_path.name}, line {line:,}" if line else self.plan_path.name
        reason = reason.rstrip(".")
        return (f"{where}: {reason}. Put it right in the file (or undo the change made "
                "there), and save it: coplan reads it again at once. Until then coplan "
                "saves nothing, so nothing written in the file is lost; changes you make "
                "here are kept, and saved together with the file's once it can be read.")

    def _say_unreadable(self, *, again: bool = False) -> None:
        if self.disk_unreadable is None:
            return
        if again:
            self.clear_notifications()
        # Shown until the file can be read (``_readable_again`` takes it away).
        self.notify(self.disk_unreadable, title="The plan file cannot be read",
                    severity="warning", timeout=24 * 60 * 60,
                    still=lambda: self.disk_unreadable is not None)

    def _readable_again(self) -> None:
        self.disk_unreadable = None
        self.clear_notifications()
        self.update_status()
        if self.session.dirty:  # the saves held meanwhile
            self.schedule_autosave()

    # -- help and display ---------------------------------------------------------------
    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_explain_terms(self) -> None:
        self.push_screen(GlossaryScreen(self.shown_session.plan))

    def action_toggle_contrast(self) -> None:
        self.theme = "coplan" if self.theme == "coplan-high-contrast" else \
            "coplan-high-contrast"

    def action_toggle_presentation(self) -> None:
        self.presentation = not self.presentation
        self.screen.set_class(self.presentation, "presentation")
        self.pane(PlanPane).set_presentation(self.presentation)
        self.notify("Presentation layout on" if self.presentation else "Presentation layout off",
                    timeout=2)

    # -- command palette ----------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for spec in ACTIONS:
            yield SystemCommand(spec.palette_title, spec.help,
                                partial(self.call_later, self.run_action, spec.run))


if TYPE_CHECKING:
    from coplan.tui.panes import Host

    def _the_app_is_a_host(app: CoplanApp) -> Host:
        """For mypy: the app gives the panes everything they may ask of it."""
        return app
