"""People in the plan: who they are and what they agreed to share (never their needs)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from coplan.session import Views
from coplan.vocab import PAYMENT, PERSON_KIND


class PeopleTable(DataTable[Text | str]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        for column in ("Id", "Name", "Who they are", "Name shown to others", "Taking part in",
                       "Payment"):
            self.add_column(column, key=column)

    def refresh_from(self, views: Views) -> None:
        row = self.cursor_row
        self.clear()
        plan = views.plan
        for person in plan.people:
            count = sum(1 for t in plan.touchpoints if person.id in t.who)
            self.add_row(person.id, person.name, PERSON_KIND.label(person.kind),
                         # A choice, not a fault: no ✖ for keeping one's name private.
                         "● their name" if person.share_name else "○ initials only",
                         f"{count} touchpoint{'s' if count != 1 else ''}",
                         PAYMENT.label(person.payment) if person.payment else "",
                         key=person.id)
        if plan.people:
            self.move_cursor(row=min(row, len(plan.people) - 1))

    @property
    def selected_person(self) -> str | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def select_person(self, person_id: str) -> None:
        try:
            self.move_cursor(row=self.get_row_index(person_id))
        except Exception:
            return


class MeetingsTable(DataTable[Text | str]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        for column in ("Meeting", "How often", "When", "Where", "Next dates"):
            self.add_column(column, key=column)

    def refresh_from(self, views: Views) -> None:
        row = self.cursor_row
        self.clear()
        sched = views.schedule
        days = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays",
                "Sundays")
        for m in views.plan.meetings:
            series = next((s for s in sched.meetings if s.meeting.id == m.id), None) \
                if sched else None
            upcoming = ", ".join(f"{d:%d %b}" for d in series.dates[:3]) if series else ""
            self.add_row(m.title, f"every {m.every_weeks} week{'s' if m.every_weeks > 1 else ''}",
                         f"{days[m.day]} {m.time:%H:%M}", m.where, upcoming, key=m.id)
        if views.plan.meetings:
            self.move_cursor(row=min(row, len(views.plan.meetings) - 1))
