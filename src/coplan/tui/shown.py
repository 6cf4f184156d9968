"""The session as a tab shows it: the plan itself, or, in the protected view of a served
app (``coplan.protected``), the copy of it for the person whose link opened it.

Every tab reads the plan through ``Pane.session``, which is this: so nothing a tab shows,
and no form it fills in, is made from what the person may not see.  Edits still go to the
app's own session (the plan file), which checks each of them (``PlanSession.guard``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import is_dataclass
from typing import Any

from coplan import schema
from coplan.edit import PlanDocument
from coplan.model import Plan
from coplan.protected import shown
from coplan.review import Report
from coplan.schedule import Schedule
from coplan.session import PlanSession, Views
from coplan.tui.forms import Target, item_of


class ShownSession:
    """A ``PlanSession`` as the protected view shows it to ``viewer`` (a person's id, or
    ``None`` for someone the plan does not name): its views are the copy for them; its
    document shows forms each value as the copy has it (``CopyDocument``)."""

    protected = True

    def __init__(self, session: PlanSession, viewer: str | None) -> None:
        self._session = session
        self.viewer = viewer
        self._made_from: Views | None = None
        self._views: Views | None = None
        # The ids the copy changed, by what the copy calls them (``protected.Shown``).
        self.ids_back: dict[str, str] = {}

    @property
    def views(self) -> Views:
        real = self._session.views
        if self._views is None or self._made_from is not real:
            made = shown(real.plan, real.schedule, real.report, self.viewer)
            self._views = Views(made.plan, made.schedule, made.report, real.today)
            self.ids_back = made.ids_back
            self._made_from = real
        return self._views

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
    def document(self) -> CopyDocument:
        """The file as forms read it in this view: each value as the copy has it."""
        views = self.views
        return CopyDocument(self._session.document, self._session.plan, views.plan,
                            self.ids_back)

    @property
    def source(self) -> PlanSession:
        """The session this view shows: the plan itself.  Only exports read it, each
        through the copy for its audience (``sharing.for_audience``), so that a document
        for others is made as ``coplan export`` makes it, not from this person's copy."""
        return self._session

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


KEPT_FROM_VIEW = ("Not changed here: it holds something this view does not show you (a name "
                  "someone keeps private, or words the team keeps to itself), and a change "
                  "made here would write over it. The people who look after private "
                  "details can change it.")
"""Why a form of the protected view offers a value read-only (``CopyTable.locked``)."""


def _ids_written(value: Any, back: Mapping[str, str]) -> Any:
    """A value of the copy with each id it changed as the file has it."""
    if isinstance(value, str):
        return back.get(value, value)
    if isinstance(value, tuple):
        return tuple(_ids_written(v, back) for v in value)
    return value


def _as_file(value: Any) -> Any:
    """A model's value as a form shows a file's (a list for a tuple, a table for a map)."""
    if isinstance(value, tuple):
        return [_as_file(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _as_file(v) for k, v in value.items()}
    return value


class CopyTable:
    """A table of the plan file as the protected view's forms show it: the keys the file
    has, each with the file's own words where the copy has the same value, else the
    copy's (a name kept private, a value hidden: empty).

    A value shown otherwise than the file has it (beyond an id the copy changed, which an
    edit writes back as the file's: ``protected.IdsAsWritten``) is offered read-only
    (``locked``): what the person typed over "A.R." or over a list with arrangements
    counted would replace the team's own words, which they cannot see."""

    def __init__(self, table: Any, real: Any, copy: Any,
                 ids_back: Mapping[str, str] | None = None) -> None:
        self._table = table
        self._real = real
        self._copy = copy
        self._back: Mapping[str, str] = ids_back or {}

    def locked(self, key: str) -> str:
        """Why the value of ``key`` may not be changed in this view ("": it may): the
        copy shows it otherwise than the file has it."""
        member = self._member(key)
        if member is None or self._copy is None:
            return ""
        real, copy = getattr(self._real, member.field), getattr(self._copy, member.field)
        if real == copy or _ids_written(copy, self._back) == real:
            return ""
        return KEPT_FROM_VIEW

    def _member(self, key: str) -> Any:
        if self._real is None or not is_dataclass(self._real):
            return None
        return schema.schema_of(type(self._real)).by_toml.get(key)

    def __contains__(self, key: object) -> bool:
        return self._table is not None and key in self._table

    def __getitem__(self, key: str) -> Any:
        member = self._member(key)
        if member is None or self._copy is None:
            return ""
        real, copy = getattr(self._real, member.field), getattr(self._copy, member.field)
        return self._table[key] if real == copy else _as_file(copy)

    def get(self, key: str, default: Any = None) -> Any:
        member = self._member(key)
        inner = self._table.get(key) if hasattr(self._table, "get") else None
        if member is not None and self._copy is not None and \
                is_dataclass(getattr(self._real, member.field, None)):
            return CopyTable(inner, getattr(self._real, member.field),
                             getattr(self._copy, member.field), self._back)
        if key not in self:
            return default
        return self[key]


class CopyDocument:
    """The plan file as the protected view's forms read it (``CopyTable``): each table
    asked for is found in the file by the file's own id, and shown as the copy has it.
    Forms only read from it; every edit is made on the file itself."""

    def __init__(self, document: PlanDocument, real: Plan, copy: Plan,
                 ids_back: dict[str, str]) -> None:
        self._document = document
        self._real = real
        self._copy = copy
        self._back = ids_back

    def _id(self, value: str) -> str:
        return self._back.get(value, value)

    @property
    def doc(self) -> CopyTable:
        return CopyTable(self._document.doc, self._real, self._copy, self._back)

    def person(self, person_id: str) -> CopyTable:
        real = self._real.person(self._id(person_id))
        return CopyTable(self._document.person(self._id(person_id)), real,
                         self._copy.person(person_id), self._back)

    def stage(self, stage_id: str) -> CopyTable:
        return CopyTable(self._document.stage(self._id(stage_id)),
                         self._real.stage(self._id(stage_id)), self._copy.stage(stage_id),
                         self._back)

    def touchpoint(self, stage_id: str, index: int) -> CopyTable:
        real, copy = self._real.stage(self._id(stage_id)), self._copy.stage(stage_id)
        return CopyTable(self._document.touchpoint(self._id(stage_id), index),
                         real.touchpoints[index] if real else None,
                         copy.touchpoints[index] if copy else None, self._back)

    def meeting(self, meeting_id: str) -> CopyTable:
        real = next((m for m in self._real.meetings if m.id == self._id(meeting_id)), None)
        copy = next((m for m in self._copy.meetings if m.id == meeting_id), None)
        return CopyTable(self._document.meeting(self._id(meeting_id)), real, copy, self._back)

    def item_at(self, path: tuple[str, ...], at: tuple[int | None, ...]) -> CopyTable:
        target = Target(path, at)
        return CopyTable(self._document.item_at(path, at), item_of(self._real, target),
                         item_of(self._copy, target), self._back)

    def record(self, stage_id: str, index: int, session: int) -> CopyTable:
        """A session's record, as its form (on the Delivery tab) shows it (that form is
        filled from the copy's record: this tells which of its values the copy shows
        otherwise, ``CopyTable.locked``)."""
        def found(plan: Plan, sid: str) -> Any:
            stage = plan.stage(sid)
            if stage is None or index >= len(stage.touchpoints):
                return None
            return next((r for r in stage.touchpoints[index].records
                         if r.session == session), None)
        return CopyTable(self._document.record(self._id(stage_id), index, session),
                         found(self._real, self._id(stage_id)), found(self._copy, stage_id),
                         self._back)
