"""The People tab: who is involved and what they agreed to share (never their needs)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable

from coplan.session import Views
from coplan.tui import forms
from coplan.tui.action_spec import ActionSpec
from coplan.tui.panes.base import Pane
from coplan.tui.screens.confirm import ConfirmScreen
from coplan.tui.screens.form import FormScreen
from coplan.tui.widgets.people_table import PeopleTable


class PeoplePane(Pane):
    """Everyone in the plan, one row each."""

    MAIN = "#people-table"
    ACTIONS: ClassVar[tuple[ActionSpec, ...]] = (
        ActionSpec("add_person", "p", "people", "add a person", "Add someone to the plan.",
                   show=False),
        ActionSpec("edit_person", "P", "people", "edit the selected person",
                   "Change a person's details (on the People tab).", show=False),
    )

    def compose(self) -> ComposeResult:
        yield PeopleTable(id="people-table")

    @property
    def table(self) -> PeopleTable:
        return self.query_one(PeopleTable)

    def refresh_from(self, views: Views) -> None:
        self.table.refresh_from(views)

    def select_person(self, person_id: str) -> None:
        self.table.select_person(person_id)

    @on(DataTable.RowSelected, "#people-table")
    def _person_chosen(self) -> None:
        self.action_edit_person()

    @work(group="dialog")
    async def action_add_person(self) -> None:
        plan = self.session.plan
        values = await self.app.push_screen_wait(FormScreen(
            "Add a person", forms.person_fields(plan, None),
            intro="Their access needs stay private: no calendar or document shows them."))
        if values:
            self.host.edit(f"added {values['name']}",
                           lambda doc: forms.apply_person(doc, plan, None, values))

    @work(group="dialog")
    async def action_edit_person(self) -> None:
        plan = self.session.plan
        pid = self.table.selected_person
        person = plan.person(pid) if pid else None
        if person is None:
            self.notify("Choose someone on the People tab first.", severity="warning")
            return
        values = await self.app.push_screen_wait(FormScreen(
            f"{person.name or person.id}",
            forms.person_fields(plan, person, self.session.document)))
        if values:
            self.host.edit(f"changed {values['name']}'s details",
                           lambda doc: forms.apply_person(doc, plan, person, values))

    @work(group="dialog")
    async def action_delete_selected(self) -> None:
        """On this tab, Delete removes the selected person (asks first)."""
        plan = self.session.plan
        pid = self.table.selected_person
        person = plan.person(pid) if pid else None
        if person is None:
            return
        name = person.name or person.id
        count = sum(1 for t in plan.touchpoints if person.id in t.who)
        if await self.app.push_screen_wait(ConfirmScreen(
                f"Remove {name} from the plan? They are taken off the {count} touchpoint"
                f"{'s' if count != 1 else ''} they take part in. (Ctrl+Z undoes it.)",
                yes="Remove", no="Keep them")):
            self.host.edit(f"removed {name} from the plan",
                           lambda doc: doc.remove_person(person.id))
