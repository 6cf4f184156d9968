"""A plan open for editing: the file, its derived views, and undo/redo.

This is the editing core the TUI drives (and that tests drive without any UI).  Every
change goes through ``apply``: the edit is made on the ``PlanDocument`` (so comments and
layout survive), the new text is validated, and only then accepted; the schedule and the
review are re-derived, and the text before the change is kept for undo.  An edit that
would make the plan invalid is refused with the loader's own plain-language message and
leaves nothing changed.

Nothing here imports Textual.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from coplan.edit import EditError, PlanDocument
from coplan.errors import PlanError
from coplan.model import Plan
from coplan.planfile import parse_plan
from coplan.review import Report, review
from coplan.schedule import Schedule, ScheduleError, schedule


@dataclass(frozen=True, slots=True)
class Change:
    """One step in the undo history."""

    description: str
    before: str
    after: str
    at: float = field(default_factory=time.time)


class EditRefused(ValueError):
    """An edit was not made; the message says why in plain words."""


@dataclass(slots=True)
class Views:
    plan: Plan
    schedule: Schedule | None
    report: Report


def derive(plan: Plan) -> Views:
    try:
        sched: Schedule | None = schedule(plan)
    except ScheduleError:
        sched = None
    return Views(plan, sched, review(plan, sched))


class PlanSession:
    """The plan being edited, with undo and redo over whole-file snapshots."""

    def __init__(self, path: Path, text: str, *, today: date | None = None,
                 history_limit: int = 200) -> None:
        self.path = path
        self.today = today
        self.document = PlanDocument(text, path)
        self.saved_text = text
        self.history_limit = history_limit
        self.undo_stack: list[Change] = []
        self.redo_stack: list[Change] = []
        self.views = derive(parse_plan(text, str(path), path=path))
        self.listeners: list[Callable[[str], None]] = []

    @classmethod
    def open(cls, path: str | Path, *, today: date | None = None) -> PlanSession:
        from coplan.planfile import read_text

        path = Path(path)
        return cls(path, read_text(path), today=today)

    # -- state ----------------------------------------------------------------------------
    @property
    def plan(self) -> Plan:
        return self.views.plan

    @property
    def schedule(self) -> Schedule | None:
        return self.views.schedule

    @property
    def report(self) -> Report:
        return self.views.report

    @property
    def text(self) -> str:
        return self.document.text()

    @property
    def dirty(self) -> bool:
        return self.text != self.saved_text

    def _accept(self, text: str) -> Views:
        try:
            plan = parse_plan(text, str(self.path), path=self.path)
        except PlanError as exc:
            first = exc.problems[0]
            message = first.message + (f" ({first.hint})" if first.hint else "")
            raise EditRefused(message) from None
        return derive(plan)

    # -- editing --------------------------------------------------------------------------
    def apply(self, description: str, edit: Callable[[PlanDocument], object]) -> None:
        """Make ``edit`` on the document, keep it only if the plan stays valid."""
        before = self.text
        try:
            edit(self.document)
        except EditError as exc:
            self.document = PlanDocument(before, self.path)
            raise EditRefused(str(exc)) from None
        after = self.text
        if after == before:
            return
        try:
            views = self._accept(after)
        except EditRefused:
            self.document = PlanDocument(before, self.path)
            raise
        self.views = views
        self.undo_stack.append(Change(description, before, after))
        del self.undo_stack[:-self.history_limit]
        self.redo_stack.clear()
        self._notify(description)

    def _restore(self, text: str) -> None:
        self.document = PlanDocument(text, self.path)
        self.views = self._accept(text)

    def undo(self) -> str | None:
        if not self.undo_stack:
            return None
        change = self.undo_stack.pop()
        self._restore(change.before)
        self.redo_stack.append(change)
        self._notify(f"undid: {change.description}")
        return change.description

    def redo(self) -> str | None:
        if not self.redo_stack:
            return None
        change = self.redo_stack.pop()
        self._restore(change.after)
        self.undo_stack.append(change)
        self._notify(f"redid: {change.description}")
        return change.description

    def replace_text(self, text: str, description: str) -> None:
        """Take a new text for the whole plan (a reload), keeping it undoable."""
        before = self.text
        if text == before:
            return
        views = self._accept(text)
        self.document = PlanDocument(text, self.path)
        self.views = views
        self.undo_stack.append(Change(description, before, text))
        self.redo_stack.clear()
        self._notify(description)

    def save(self) -> Path:
        path = self.document.save(self.path)
        self.saved_text = self.document.original
        return path

    def _notify(self, what: str) -> None:
        for listener in self.listeners:
            listener(what)
