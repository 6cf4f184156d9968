"""Notices kept back while a dialog is open, and shown when it closes.

A notice in the corner of the screen covered the dialog under it (a form's fields, the
clash dialog's choices, the ``?`` glossary), and at 80x24 a dialog fills nearly the whole
screen, so there is no free place to move it to.  So while a dialog is open the app's
notices are kept back, those already on screen when it opened too; when the last dialog
closes they are shown, each for as long as it had still to be shown, unless it is no
longer true by then (its ``still`` says so) or a later notice says the same.  What a
dialog has to say about itself is said inside it (``say_in_dialog``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from textual.css.query import NoMatches
from textual.notifications import Notification
from textual.screen import Screen

from coplan.tui.widgets.literal import Static

SHOWN_AT_LEAST = 4.0  # seconds a notice kept back is shown for, once the dialog has closed


@dataclass
class HeldNotices:
    """The notices kept back while a dialog is open, in the order they were raised."""

    _held: dict[str, tuple[Notification, float]] = field(default_factory=dict)
    # Notices that may stop being true (the plan file cannot be read; changes not saved):
    # asked again before one kept back is shown.
    _still: dict[str, Callable[[], bool]] = field(default_factory=dict)

    def raised(self, notice: Notification, still: Callable[[], bool] | None,
               dialog_open: bool) -> None:
        if still is not None:
            self._still[notice.identity] = still
            if len(self._still) > 100:  # (those long gone: never asked again)
                for old in list(self._still)[:50]:
                    if old not in self._held:
                        del self._still[old]
        if dialog_open:
            self._held[notice.identity] = (notice, notice.timeout)

    def hold(self, shown: Iterable[Notification]) -> None:
        """Keep back the notices on screen as a dialog opens, with the time each had left."""
        for notice in shown:
            if notice.identity not in self._held and not notice.has_expired:
                self._held[notice.identity] = (notice, notice.time_left)

    def __bool__(self) -> bool:
        return bool(self._held)

    def release(self) -> tuple[list[Notification], list[Notification]]:
        """The notices kept back (to take away), and fresh ones to show in their place."""
        held, self._held = list(self._held.values()), {}
        latest: dict[tuple[str, str], Notification] = {}
        for notice, left in held:
            still = self._still.pop(notice.identity, None)
            if still is not None and not still():
                continue
            said = (notice.title, str(notice.message))
            latest.pop(said, None)  # (said again later: shown once, in the later place)
            latest[said] = Notification(notice.message, notice.title, notice.severity,
                                        max(left, SHOWN_AT_LEAST), markup=notice.markup)
        return [notice for notice, _ in held], list(latest.values())


def say_in_dialog(screen: Screen[object], words: str) -> bool:
    """Say ``words`` inside the dialog on ``screen``, under its title (a line of its own,
    replaced by the next thing said); ``False`` if the screen has no dialog box."""
    try:
        box = screen.query_one("#dialog")
    except NoMatches:
        return False
    said = box.query(".dialog-note")
    if said:
        note = said.first(Static)
        note.update(words)
        return True
    note = Static(words, classes="dialog-note")
    title = box.query("#dialog-title")
    if title:
        box.mount(note, after=title.first())
    else:
        box.mount(note, before=0)
    return True
