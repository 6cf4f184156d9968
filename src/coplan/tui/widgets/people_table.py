"""People in the plan: who they are and what they agreed to share (never their needs)."""

from __future__ import annotations

from rich.text import Text

from coplan.session import Views
from coplan.tui.widgets.fitted_table import FittedTable
from coplan.vocab import PAYMENT, PERSON_KIND


class PeopleTable(FittedTable):
    """A row per person, told apart by their id."""

    COLUMNS = ("Id", "Name", "Who they are", "Name shown to others", "Taking part in",
               "Payment")

    def refresh_from(self, views: Views) -> None:
        plan = views.plan
        rows: list[tuple[str, tuple[Text | str, ...]]] = []
        for person in plan.people:
            count = sum(1 for t in plan.touchpoints if person.id in t.who)
            rows.append((person.id, (
                person.id, person.name, PERSON_KIND.label(person.kind),
                # A choice, not a fault: no ✖ for keeping one's name private.
                "● their name" if plan.agreed_to_be_named(person) else "○ initials only",
                f"{count} touchpoint{'s' if count != 1 else ''}",
                PAYMENT.label(person.payment) if person.payment else "")))
        self.set_rows(rows)

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


class MeetingsTable(FittedTable):
    """A row per standing meeting, told apart by its name."""

    COLUMNS = ("Meeting", "How often", "When", "Where", "Next dates")

    def refresh_from(self, views: Views) -> None:
        rows: list[tuple[str, tuple[Text | str, ...]]] = []
        sched = views.schedule
        days = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays",
                "Sundays")
        for m in views.plan.meetings:
            series = next((s for s in sched.meetings if s.meeting.id == m.id), None) \
                if sched else None
            upcoming = ", ".join(f"{d:%d %b}" for d in series.dates[:3]) if series else ""
            rows.append((m.id, (
                m.title, f"every {m.every_weeks} week{'s' if m.every_weeks > 1 else ''}",
                f"{days[m.day]} {m.time:%H:%M}", m.where, upcoming)))
        self.set_rows(rows)
