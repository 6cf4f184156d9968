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
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable

from coplan.costs import FEE_PAYMENTS
from coplan.delivery import feedback_due, moved, payment_due, recorded_day
from coplan.model import Plan, SessionRecord
from coplan.schedule import Schedule, Session
from coplan.session import Views
from coplan.tui import forms
from coplan.tui.action_spec import ActionSpec
from coplan.tui.panes.base import Pane
from coplan.tui.screens.form import FormScreen
from coplan.tui.screens.pick import PickScreen
from coplan.tui.widgets.details_under import DetailsUnder
from coplan.tui.widgets.fitted_table import FittedTable
from coplan.tui.widgets.review_panel import record_title
from coplan.vocab import SESSION_STATUS


def _name(plan: Plan, pid: str) -> str:
    person = plan.person(pid)
    return person.name if person is not None and person.name else pid


def record_of(session: Session) -> SessionRecord | None:
    return next((r for r in session.touchpoint.records if r.session == session.number), None)


def what_happened(session: Session, today: date) -> str:
    """A session's state in words (never by colour alone); a session that moved
    (``delivery.moved``: recorded as moved, or held on another day than planned) says from
    which day (the When column shows its new day).  A session moved is due on its new day:
    once that has come with nothing more recorded, it is not recorded yet, as any other."""
    record = record_of(session)
    planned = _planned(session)
    moved_from = f"moved from {planned:%d %b}" if moved(planned, record) else ""
    if record is None or record.status == "moved":
        if _day(session) <= today:
            return "… not recorded yet" + (f", {moved_from}" if moved_from else "")
        return f"→ {moved_from}" if moved_from else "planned"
    label = SESSION_STATUS.label(record.status).lower()
    mark = {"held": "✔", "cancelled": "✖"}.get(record.status, "•")
    return f"{mark} {label}" + (f", {moved_from}" if moved_from else "")


def when(session: Session) -> str:
    """The day a session happened (or now happens): for one that moved, or was held on
    another day than planned, its new day."""
    return f"{_day(session):%a %d %b %Y}"


def _planned(session: Session) -> date:
    """The day the plan gives a session (a schedule that follows the record already,
    ``delivery.as_recorded``, keeps it as ``planned_day``)."""
    return session.planned_day or session.day


def _day(session: Session) -> date:
    return recorded_day(_planned(session), record_of(session))


def heard_back(session: Session, plan: Plan | None = None, sched: Schedule | None = None,
               today: date | None = None) -> str:
    """Whether the people at a held session have heard back, in words: when they did, or
    that it is overdue (since when), or not yet due (by when)."""
    record = record_of(session)
    if record is None or record.status != "held":
        return ""
    if record.feedback_sent:
        return f"✔ {record.feedback_sent:%d %b}"
    if plan is None or sched is None or today is None:
        return "not yet"
    due = feedback_due(plan, sched, session.touchpoint, _day(session))
    if due < today:
        return f"⚠ overdue since {due:%d %b}"
    return f"not yet, due {due:%d %b}"


def paid_state(session: Session, plan: Plan, sched: Schedule, today: date,
               viewer: str | None = None) -> str:
    """Whether the people with lived experience who came to a held session are paid, in
    words: how many are, and whether what is owed is overdue (since when) or not yet due.

    In the protected view (``viewer``: the person it is for), only whether the viewer is:
    "1 paid, 1 overdue" of a session two people came to told each of them whether the
    other had been paid."""
    record = record_of(session)
    if record is None or record.status != "held":
        return ""
    tp, number = session.touchpoint, session.number
    people = [p for p in plan.lived_in(record.attended or tp.who)]
    if viewer is not None:
        people = [p for p in people if p.id == viewer]
    if not people:
        return ""
    paid = [p for p in people if forms.paid_entry(plan, p.id, tp.id, number) is not None]
    owed = [p for p in people if p not in paid and (
        forms.open_claim(plan, p.id, tp.id, number) is not None or
        (p.payment or tp.payment or plan.payment.standard) in FEE_PAYMENTS)]
    if viewer is not None:  # (one person: their own, in words without counts)
        if not owed:
            return "✔ you are paid" if paid else ""
        due = payment_due(plan, sched, _day(session))
        return f"⚠ owed to you since {due:%d %b}" if due < today else \
            f"owed to you, due {due:%d %b}"
    if not owed:
        return f"✔ paid ({len(paid)})" if paid else ""
    due = payment_due(plan, sched, _day(session))
    done = f"{len(paid)} paid, " if paid else ""
    if due < today:
        return f"⚠ {done}{len(owed)} overdue since {due:%d %b}"
    return f"{done}{len(owed)} owed, due {due:%d %b}"


def session_details(session: Session, plan: Plan, sched: Schedule, today: date,
                    viewer: str | None = None) -> str:
    """The selected session's record whole, in words, under the table: the table narrows
    its columns on a small screen and cuts what does not fit ("✔ held, moved…"), so what
    happened, whether people heard back and are paid are said here in full, with why a
    session moved or was cancelled and how many came."""
    record = record_of(session)
    title = session.touchpoint.title or session.touchpoint.id
    if session.of > 1:
        title += f" ({session.number} of {session.of})"
    lines = [f"{title} · {when(session)} · stage: {session.stage.title}",
             f"What happened: {what_happened(session, today)}"]
    if record is not None and record.why:
        lines[-1] += f" (why: {record.why})"
    if record is not None and record.status == "held":
        came = len(record.attended)
        said = [f"{came} came"] if came else []
        said.append(f"Heard back: {heard_back(session, plan, sched, today) or 'not yet'}")
        paid = paid_state(session, plan, sched, today, viewer)
        if paid:
            said.append(f"Paid: {paid}" + (_owed_to_viewer(session, plan, sched, today, viewer)
                                           if viewer is not None else ""))
        lines.append(" · ".join(said))
    return "\n".join(lines)


_STATUS: dict[tuple[int, int, date], tuple[Plan, Schedule, Any]] = {}


def _owed_to_viewer(session: Session, plan: Plan, sched: Schedule, today: date,
                    viewer: str) -> str:
    """What ``viewer`` is owed for ``session``, for the protected view's details line:
    the amount, and how much of it is expenses (": £101.25, £20.00 of it expenses"), or
    "" where nothing is.  Their own pack says it; the view had said only "owed to you".
    Worked out from ``delivery.status`` of the copy the view shows (their own payments
    and needs are in it), once per plan, schedule and day."""
    from coplan.delivery import status
    from coplan.money import written

    key = (id(plan), id(sched), today)
    kept = _STATUS.get(key)
    if kept is None or kept[0] is not plan or kept[1] is not sched:
        if len(_STATUS) >= 4:
            _STATUS.clear()
        kept = _STATUS[key] = (plan, sched, status(plan, sched, today))
    found = kept[2]
    owing = [o for o in found.owing if o.who == viewer
             and o.activity == session.touchpoint.id and o.session == session.number]
    pence = sum(o.pence for o in owing)
    if not pence:
        return ""
    spent = sum(o.expenses for o in owing)
    cur = found.currency
    return f": {written(pence / 100, cur)}" + (
        f", {written(spent / 100, cur)} of it expenses" if spent else "")


def _styled(words: str) -> Text | str:
    """Overdue in the warning colour too (the words say it without the colour)."""
    return Text(words, style="bold red") if words.startswith("⚠") else words


class DeliveryTable(FittedTable):
    """One row per session, in date order; the row key is the session's id.  The
    session's name comes first: it is what tells the rows apart, on any screen."""

    COLUMNS = ("Session", "When", "What happened", "Heard back", "Paid", "Stage")
    WHOLE = ("When",)
    WORDS = ("What happened", "Heard back", "Paid")
    # On a narrow screen (80 columns), and wherever what happened, heard back and paid
    # would be cut short ("⚠ overdue…"), the stage goes under the session's name and what
    # is paid under whether people heard back: every column in sight, rows two lines.
    STACK = (("Session", "Stage"), ("Heard back", "Paid"))

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.sessions: dict[str, Session] = {}

    def refresh_from(self, views: Views, today: date, viewer: str | None = None) -> None:
        sched = views.schedule
        sessions = sorted(sched.sessions, key=lambda s: (_day(s), s.time, s.id)) \
            if sched else []
        self.sessions = {s.id: s for s in sessions}
        plan = views.plan
        rows: list[tuple[str, tuple[Text | str, ...]]] = []
        for s in sessions:
            title = s.touchpoint.title or s.touchpoint.id
            if s.of > 1:
                title += f" ({s.number} of {s.of})"
            assert sched is not None
            rows.append((s.id, (title, when(s), what_happened(s, today),
                                _styled(heard_back(s, plan, sched, today)),
                                _styled(paid_state(s, plan, sched, today, viewer)),
                                s.stage.title)))
        self.set_rows(rows)

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
                   "does it too).", footer="Record", rank=2),
        ActionSpec("add_payment", "y", "delivery", "note a payment made",
                   "Note a payment made to someone for a session: when claimed and paid, "
                   "how much (never bank details).", footer="Payment", rank=3),
        ActionSpec("add_impact", "i", "delivery", "add to the impact log",
                   "Note what changed because of people's input, from the selected "
                   "session.", footer="Impact", rank=4),
    )

    def compose(self) -> ComposeResult:
        yield DeliveryTable(id="delivery-table")
        yield DetailsUnder("", id="delivery-details")

    def on_resize(self) -> None:
        self.query_one("#delivery-details", DetailsUnder).fit_under(self.table)

    def _show_details(self) -> None:
        """Say the selected session's record whole under the table (the row may be cut
        to fit the screen)."""
        session = self.table.selected()
        views = self.session.views
        words = "" if session is None or views.schedule is None else \
            session_details(session, views.plan, views.schedule, self.host.today,
                            self.host.viewer)
        self.query_one("#delivery-details", DetailsUnder).say(words)

    @on(DataTable.RowHighlighted, "#delivery-table")
    def _session_highlighted(self) -> None:
        self._show_details()

    @property
    def table(self) -> DeliveryTable:
        return self.query_one(DeliveryTable)

    def refresh_from(self, views: Views) -> None:
        self.table.refresh_from(views, self.host.today, self.host.viewer)
        self._show_details()

    @on(DataTable.RowSelected, "#delivery-table")
    def _session_chosen(self, event: DataTable.RowSelected) -> None:
        self.action_record_session()

    def record(self, session: Session) -> None:
        """Show this session on the tab and open its record (Enter on a finding that it
        has passed with nothing recorded)."""
        self.host.show_tab("delivery")
        self.table.move_cursor(row=self.table.get_row_index(session.id))
        self.action_record_session()

    @work(group="dialog")
    async def action_record_session(self) -> None:
        session = self.table.selected()
        if session is None:
            self.app.notify("There are no sessions to record yet.", title="Delivery")
            return
        record = record_of(session)
        title = session.touchpoint.title or session.touchpoint.id
        tp = session.touchpoint
        fields = forms.record_fields(self.session.plan, tp, record, self.host.today,
                                     planned=session.day)
        if record is not None and getattr(self.session, "protected", False):
            # (the protected view: what the copy shows otherwise is offered read-only)
            forms.locked_as_shown(fields, self.session.document.record(
                tp.stage, tp.index, session.number))
        today = self.host.today
        await self.app.push_screen_wait(FormScreen(
            record_title(session), fields,
            on_submit_check=lambda values: forms.record_problem(values, today, session.day),
            save=lambda values: self.host.attempt(
                f"recorded '{title}' (session {session.number})",
                lambda doc: forms.apply_record(doc, session.touchpoint, session.number,
                                               record, values))))

    @work(group="dialog")
    async def action_add_payment(self) -> None:
        """Whom it was paid to (when several people came), then the payment: Esc in the
        form goes back to the people, Esc there closes."""
        if self.host.refuse_in_protected_view(
                "Payments made are private: only the people who look after private "
                "details see and note them."):
            return
        session = self.table.selected()
        plan = self.session.plan
        people = forms.came(plan, session)
        while True:
            who = None
            if session is not None and len(people) > 1:
                who = await self.app.push_screen_wait(self._payee_pick(session, people))
                if who is None:
                    return
            values = await self.app.push_screen_wait(FormScreen(
                "A payment made", forms.payment_fields(plan, session, self.host.today, who),
                back="the people who came" if who else "",
                save=lambda values: self._pay(plan, values)))
            if values or who is None:
                return

    def _pay(self, plan: Plan, values: dict[str, object]) -> bool | str:
        return self.host.attempt("noted a payment made",
                                 lambda doc: forms.apply_payment(doc, plan, values))

    def _payee_pick(self, session: Session, people: list[str]) -> PickScreen:
        plan = self.session.plan
        activity, number = session.touchpoint.id, session.number

        def refuse(pid: str) -> str | None:
            done = forms.paid_entry(plan, pid, activity, number)
            if done is None or done.paid is None:
                return None
            return (f"{_name(plan, pid)} was paid for this session on "
                    f"{done.paid:%d %b %Y}: a session is paid once. To change that "
                    "payment, press E and choose Payments made.")

        return PickScreen(
            "Whom was a payment made to?",
            [(f"{_name(plan, pid)}: {forms.payment_state(plan, pid, activity, number)}",
              pid) for pid in people],
            intro=_payees_intro(session), refuse=refuse, leads_on=True)

    @work(group="dialog")
    async def action_add_impact(self) -> None:
        session = self.table.selected()
        await self.app.push_screen_wait(FormScreen(
            "Add to the impact log", forms.impact_fields(self.session.plan, session,
                                                         self.host.today),
            save=lambda values: self.host.attempt(
                "added to the impact log",
                lambda doc: forms.apply_impact(doc, self.session.plan, values))))


def _payees_intro(session: Session) -> str:
    """Who the people offered for a payment are (``forms.came``): those who came, as
    recorded; those invited where the session was called off (a fee for short notice) or
    who came is not recorded yet."""
    record = forms.session_record(session)
    if record is not None and record.status == "cancelled":
        return "The people with lived experience invited to this session, which was called off."
    if record is None or not record.attended:
        return ("The people with lived experience invited to this session (who came is not "
                "recorded yet).")
    return "The people with lived experience who came to this session."
