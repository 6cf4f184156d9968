"""The Delivery tab: what actually happened, recorded as it happens.

Every session of every touchpoint, in date order, with what happened to it (held, moved,
cancelled, or not recorded yet) and whether people have heard back.  In a meeting, or just
after it, the team records a session in a few keystrokes (Enter: held today, with the people
invited, then who came and what changed), notes a payment made (``y``) and adds what changed
because of people's input to the impact log (``i``).  Everything is written to the plan
file, which stays the one record (issue 16).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable

from coplan.model import Plan, SessionRecord
from coplan.schedule import Session
from coplan.session import Views
from coplan.tui import forms
from coplan.tui.action_spec import ActionSpec
from coplan.tui.panes.base import Pane
from coplan.tui.screens.form import FormScreen
from coplan.tui.screens.pick import PickScreen
from coplan.vocab import SESSION_STATUS


def _name(plan: Plan, pid: str) -> str:
    person = plan.person(pid)
    return person.name if person is not None and person.name else pid


def record_of(session: Session) -> SessionRecord | None:
    return next((r for r in session.touchpoint.records if r.session == session.number), None)


def what_happened(session: Session, today: date) -> str:
    """A session's state in words (never by colour alone)."""
    record = record_of(session)
    if record is None:
        return "… not recorded yet" if session.day <= today else "planned"
    label = SESSION_STATUS.label(record.status).lower()
    mark = {"held": "✔", "moved": "→", "cancelled": "✖"}.get(record.status, "•")
    if record.status == "moved" and record.on:
        return f"{mark} {label} to {record.on:%d %b %Y}"
    return f"{mark} {label}"


def heard_back(session: Session) -> str:
    record = record_of(session)
    if record is None or record.status != "held":
        return ""
    if record.feedback_sent:
        return f"✔ {record.feedback_sent:%d %b}"
    return "not yet"


class DeliveryTable(DataTable[Text | str]):
    """One row per session, in date order; the row key is the session's id."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.sessions: dict[str, Session] = {}

    def on_mount(self) -> None:
        for column in ("When", "What happened", "Heard back", "Session", "Stage"):
            self.add_column(column, key=column)

    def refresh_from(self, views: Views, today: date) -> None:
        row = self.cursor_row
        self.clear()
        sessions = sorted(views.schedule.sessions, key=lambda s: (s.day, s.time, s.id)) \
            if views.schedule else []
        self.sessions = {s.id: s for s in sessions}
        for s in sessions:
            title = s.touchpoint.title or s.touchpoint.id
            if s.of > 1:
                title += f" ({s.number} of {s.of})"
            self.add_row(f"{s.day:%a %d %b %Y}", what_happened(s, today), heard_back(s),
                         title, s.stage.title, key=s.id)
        if sessions:
            self.move_cursor(row=min(row, len(sessions) - 1))

    def selected(self) -> Session | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self.sessions.get(str(key))


class DeliveryPane(Pane):
    """Every session and what happened at it; records, payments and impact entries."""

    MAIN = "#delivery-table"
    ACTIONS: ClassVar[tuple[ActionSpec, ...]] = (
        ActionSpec("record_session", "r", "delivery", "record the selected session",
                   "Say what happened at a session: held, moved or cancelled, who came, "
                   "what people contributed and what changed (on the Delivery tab; Enter "
                   "does it too).", show=False),
        ActionSpec("add_payment", "y", "delivery", "note a payment made",
                   "Note a payment made to someone for a session: when claimed and paid, "
                   "how much (never bank details).", show=False),
        ActionSpec("add_impact", "i", "delivery", "add to the impact log",
                   "Note what changed because of people's input, from the selected "
                   "session.", show=False),
    )

    def compose(self) -> ComposeResult:
        yield DeliveryTable(id="delivery-table")

    @property
    def table(self) -> DeliveryTable:
        return self.query_one(DeliveryTable)

    def refresh_from(self, views: Views) -> None:
        self.table.refresh_from(views, self.host.today)

    @on(DataTable.RowSelected, "#delivery-table")
    def _session_chosen(self, event: DataTable.RowSelected) -> None:
        self.action_record_session()

    @work(group="dialog")
    async def action_record_session(self) -> None:
        session = self.table.selected()
        if session is None:
            self.app.notify("There are no sessions to record yet.", title="Delivery")
            return
        record = record_of(session)
        title = session.touchpoint.title or session.touchpoint.id
        values = await self.app.push_screen_wait(FormScreen(
            f"What happened: {title}, {session.day:%d %b %Y}",
            forms.record_fields(self.session.plan, session.touchpoint, record,
                                self.host.today)))
        if values:
            self.host.edit(f"recorded '{title}' (session {session.number})",
                           lambda doc: forms.apply_record(doc, session.touchpoint,
                                                          session.number, record, values))

    @work(group="dialog")
    async def action_add_payment(self) -> None:
        session = self.table.selected()
        plan = self.session.plan
        who = None
        people = forms.came(plan, session)
        if session is not None and len(people) > 1:
            activity, number = session.touchpoint.id, session.number

            def refuse(pid: str) -> str | None:
                done = forms.paid_entry(plan, pid, activity, number)
                if done is None or done.paid is None:
                    return None
                return (f"{_name(plan, pid)} was paid for this session on "
                        f"{done.paid:%d %b %Y}: a session is paid once. To change that "
                        "payment, press E and choose Payments made.")

            who = await self.app.push_screen_wait(PickScreen(
                "Whom was a payment made to?",
                [(f"{_name(plan, pid)}: {forms.payment_state(plan, pid, activity, number)}",
                  pid) for pid in people],
                intro="The people who came to this session. Esc goes back.",
                refuse=refuse, leads_on=True))
            if who is None:
                return
        values = await self.app.push_screen_wait(FormScreen(
            "A payment made", forms.payment_fields(plan, session, self.host.today, who)))
        if values:
            self.host.edit("noted a payment made",
                           lambda doc: forms.apply_payment(doc, plan, values))

    @work(group="dialog")
    async def action_add_impact(self) -> None:
        session = self.table.selected()
        values = await self.app.push_screen_wait(FormScreen(
            "Add to the impact log", forms.impact_fields(self.session.plan, session,
                                                         self.host.today)))
        if values:
            self.host.edit("added to the impact log",
                           lambda doc: forms.apply_impact(doc, self.session.plan, values))
