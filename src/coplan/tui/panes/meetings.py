"""The Meetings tab: standing meetings (a steering group, a carers' catch-up) and their
next dates."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable

from coplan.model import Meeting
from coplan.session import Views
from coplan.tui import forms
from coplan.tui.action_spec import ActionSpec
from coplan.tui.panes.base import Pane
from coplan.tui.screens.confirm import CAN_UNDO, ConfirmScreen
from coplan.tui.screens.form import FormScreen
from coplan.tui.widgets.people_table import MeetingsTable


class MeetingsPane(Pane):
    """Every standing meeting, one row each; Enter changes the selected one."""

    MAIN = "#meetings-table"
    ACTIONS: ClassVar[tuple[ActionSpec, ...]] = (
        ActionSpec("add_meeting", "m", "meeting", "add a standing meeting",
                   "A meeting that repeats, such as a steering group.",
                   footer="Add meeting", rank=2),
    )

    def compose(self) -> ComposeResult:
        yield MeetingsTable(id="meetings-table")

    @property
    def table(self) -> MeetingsTable:
        return self.query_one(MeetingsTable)

    def refresh_from(self, views: Views) -> None:
        self.table.refresh_from(views)

    def _meeting(self, key: object) -> Meeting | None:
        return next((m for m in self.session.plan.meetings if m.id == key), None)

    @work(group="dialog")
    async def action_add_meeting(self) -> None:
        plan = self.session.plan
        await self.app.push_screen_wait(FormScreen(
            "Add a standing meeting", forms.meeting_fields(plan, None, today=self.host.today),
            save=lambda values: self.host.attempt(
                f"added the meeting '{values['title']}'",
                lambda doc: forms.apply_meeting(doc, None, values))))

    @on(DataTable.RowSelected, "#meetings-table")
    def _meeting_chosen(self, event: DataTable.RowSelected) -> None:
        meeting = self._meeting(event.row_key.value)
        if meeting is not None:
            self.edit_meeting(meeting)

    @work(group="dialog")
    async def edit_meeting(self, meeting: Meeting) -> None:
        plan = self.session.plan
        await self.app.push_screen_wait(FormScreen(
            meeting.title, forms.meeting_fields(plan, meeting, self.session.document,
                                 today=self.host.today),
            save=lambda values: self.host.attempt(
                f"changed the meeting '{values['title']}'",
                lambda doc: forms.apply_meeting(doc, meeting, values))))

    @work(group="dialog")
    async def action_delete_selected(self) -> None:
        """On this tab, Delete removes the selected meeting (asks first)."""
        table = self.table
        if not table.row_count:
            return
        meeting = self._meeting(
            table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        if meeting is None:
            return
        if await self.app.push_screen_wait(ConfirmScreen(
                f"Remove the standing meeting '{meeting.title}'? {CAN_UNDO}",
                yes="Remove", no="Keep it",
                kept=f"Nothing was removed: the meeting '{meeting.title}' is kept.")):
            self.host.edit(f"removed the meeting '{meeting.title}'",
                           lambda doc: doc.remove_meeting(meeting.id))
