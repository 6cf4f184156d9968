"""What every tab of the app has in common, and what a tab may ask of the app.

A pane is one tab: it composes its own widgets, brings them up to date from the session's
views, and carries out its own actions (declared in ``ACTIONS`` beside the code, gathered
by ``tui/actions.py``).  Dialogs are awaited in workers (``push_screen_wait``), so an
action reads from top to bottom: ask, then change the plan through ``host.edit``.

A pane never saves, never touches the plan file and never changes the session itself: it
asks the app (``Host``), which owns the session and says what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import ClassVar, Protocol, TypeVar, cast

from textual.widgets import TabbedContent, TabPane

from coplan.edit import PlanDocument
from coplan.session import PlanSession, Views
from coplan.tui.action_spec import ActionSpec

PaneT = TypeVar("PaneT", bound="Pane")


class Host(Protocol):
    """What a pane may ask of the app (``CoplanApp`` is the one host)."""

    session: PlanSession
    # What the tabs show: the session, or in a served app's protected view the copy of
    # it for the person whose link opened it (``tui/shown.py``).
    shown_session: PlanSession
    today: date
    protected: bool
    viewer: str | None

    @property
    def story(self) -> str:
        """For a copy of a bundled example, where its findings come from (else "")."""
        ...

    def edit(self, description: str, change: Callable[[PlanDocument], object]) -> bool:
        """Make one change through the session; say so, or say why not."""
        ...

    def attempt(self, description: str, change: Callable[[PlanDocument], object]
                ) -> bool | str:
        """Make one change through the session: whether the plan changed, or in words
        why it was refused (for a form to show, keeping what was typed)."""
        ...

    def show_tab(self, tab: str) -> None:
        """Show a tab and put the keyboard focus in it."""
        ...

    def pane(self, kind: type[PaneT]) -> PaneT:
        """The pane of this kind."""
        ...

    def refuse_in_protected_view(self, what: str) -> bool:
        """In the protected view, say that ``what`` is not done here (``True``)."""
        ...


class Pane(TabPane):
    """One tab of the app."""

    ACTIONS: ClassVar[tuple[ActionSpec, ...]] = ()
    MAIN: ClassVar[str] = ""  # the widget that takes the keyboard focus when it is shown
    # Another tab's action this tab does its own way, on what it has selected, by its own
    # action's name ({"edit_stage": "edit_person"}: on the People tab, e edits the person).
    OWN_WAY: ClassVar[dict[str, str]] = {}
    # The other tabs whose keys the footer shows on this one, as they act on what it
    # shows too (the Timeline selects the Plan tab's stages).  The footer shows a tab's
    # own keys and the app's; every key still works from every tab (help lists them all).
    KEYS_OF: ClassVar[tuple[str, ...]] = ()

    @property
    def host(self) -> Host:
        return cast(Host, self.app)

    @property
    def session(self) -> PlanSession:
        """The session as this tab shows it (in the protected view, the copy of the plan
        for the person whose link opened it)."""
        return self.host.shown_session

    @property
    def in_view(self) -> bool:
        """Is this the tab on screen?"""
        tabs = self.app.query_one("#tabs", TabbedContent)
        return tabs.active == self.id

    def track(self, views: Views) -> None:
        """What must follow every change at once, even while the tab is hidden (because
        other tabs act on it).  Most panes have nothing here."""

    def refresh_from(self, views: Views) -> None:
        """Bring what the tab shows up to date (called when it is next shown, or at once
        when it is on screen; after ``track``)."""

    def shown(self) -> None:
        """The tab has just come on screen (after ``refresh_from``)."""
