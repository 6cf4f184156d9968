"""The People tab: who is involved and what they agreed to share (never their needs)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable

from coplan.edit import listed as _listed
from coplan.session import Views
from coplan.tui import forms
from coplan.tui.action_spec import ActionSpec
from coplan.tui.panes.base import Pane
from coplan.tui.screens.confirm import CAN_UNDO, ConfirmScreen
from coplan.tui.screens.form import FormScreen
from coplan.tui.widgets.people_table import PeopleTable


class PeoplePane(Pane):
    """Everyone in the plan, one row each."""

    MAIN = "#people-table"
    ACTIONS: ClassVar[tuple[ActionSpec, ...]] = (
        ActionSpec("add_person", "p", "people", "add a person", "Add someone to the plan "
                   "(on the People tab, a does it too).", footer="Add person", rank=2),
        ActionSpec("edit_person", "P", "people", "edit the selected person",
                   "Change a person's details (on the People tab, e and Enter do it too).",
                   footer="Edit person", rank=3),
    )
    # The keys that add and edit what a tab lists add and edit a person here, never a
    # stage the tab does not show.
    OWN_WAY: ClassVar[dict[str, str]] = {"add_stage": "add_person", "edit_stage": "edit_person"}

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
        await self.app.push_screen_wait(FormScreen(
            "Add a person", forms.person_fields(plan, None, today=self.host.today),
            intro="Their access needs stay private: no calendar or document shows them.",
            save=lambda values: self.host.attempt(
                f"added {values['name']}",
                lambda doc: forms.apply_person(doc, plan, None, values))))

    @work(group="dialog")
    async def action_edit_person(self) -> None:
        plan = self.session.plan
        pid = self.table.selected_person
        person = plan.person(pid) if pid else None
        if person is None:
            self.notify("Choose someone on the People tab first.", severity="warning")
            return
        if self.host.protected and person.id != self.host.viewer and \
                self.host.refuse_in_protected_view(
                    f"{person.name or 'This person'}'s details are private: only they and the "
                    "people who look after private details see or change them."):
            return
        await self.app.push_screen_wait(FormScreen(
            f"{person.name or person.id}",
            forms.person_fields(plan, person, self.session.document,
                                today=self.host.today),
            save=lambda values: self.host.attempt(
                f"changed {values['name']}'s details",
                lambda doc: forms.apply_person(doc, plan, person, values))))

    @work(group="dialog")
    async def action_delete_selected(self) -> None:
        """On this tab, Delete removes the selected person (asks first)."""
        plan = self.session.plan
        pid = self.table.selected_person
        person = plan.person(pid) if pid else None
        if person is None:
            return
        name = person.name or person.id
        if self.host.refuse_in_protected_view(
                "People are taken off the plan only by the people who look after "
                "private details (their details go with them)."):
            return
        held = self._touchpoints_held()
        plans, history = self.session.document.person_mentions(person.id, held=held)
        off = f" They would be taken off {_listed(plans)}." if plans else ""
        if history:
            # What happened keeps them: they step down from what is still to come.
            question = (f"{name} is named in the record of what happened "
                        f"({_listed(history)}); that stays as it is, so {name} stays in "
                        f"the plan's list of people. Take them off what is still to come?"
                        f"{off or ' They take part in nothing still to come.'} "
                        f"{CAN_UNDO}")
            if await self.app.push_screen_wait(ConfirmScreen(
                    question, yes="Take them off", no="Leave as it is",
                    kept=f"Nothing was changed: {name} takes part as before.")):
                self.host.edit(f"took {name} off what is still to come",
                               lambda doc: doc.step_down_person(person.id, held=held))
            return
        if await self.app.push_screen_wait(ConfirmScreen(
                f"Remove {name} from the plan?{off} {CAN_UNDO}",
                yes="Remove", no="Keep them",
                kept=f"Nothing was removed: {name} stays in the plan.")):
            self.host.edit(f"removed {name} from the plan",
                           lambda doc: doc.remove_person(person.id, held=held))

    def _touchpoints_held(self) -> frozenset[tuple[str, int]]:
        """The touchpoints (stage id, index) whose every session is before today (on the
        day the delivery record gives it: a session moved to a later day is still to
        come)."""
        schedule = self.session.views.recorded
        if schedule is None:
            return frozenset()
        today = getattr(self.app, "today", None)
        ahead = {(s.stage.id, s.touchpoint.index) for s in schedule.sessions
                 if today is None or s.day >= today}
        return frozenset((s.stage.id, s.touchpoint.index) for s in schedule.sessions
                         if (s.stage.id, s.touchpoint.index) not in ahead)
