"""The protected view: the plan as a served app shows it to someone who does not look after
private details.

A co-produced team plans together in web browsers (``coplan serve``): everyone can see and
change the stages, touchpoints and meetings, and their own details.  But a person's private
details (``sharing.PRIVATE_DETAILS``, the keys the schema declares private: access needs
and how early they want papers, contact, other names, organisation, how they are paid,
benefits advice, when they can take part) are shown only to that person and to the people
the plan says look after such details (``governance.private_details``).  Everyone else's
link, and the one shared link where people type their name (which proves nothing), opens
the protected view:

* what it shows is the copy of the plan for that person alone (``sharing.shared_plan``
  with ``own``): their own details as written; nobody else's private details, payments,
  benefits advice or the team's notes; names kept private shown as the copy for others
  shows them; and then (``_others_blanked``) not even that someone has a reason for not
  being paid;
* what it may change is checked on the plan itself, after every edit
  (``hidden_change``): an edit that would change a value hidden from the person (another
  person's entry, the payments ledger, a session record's reasons and notes, a reflection
  not shared, who looks after private details) is refused, so that nothing written
  blindly can land on what they cannot see.

``coplan edit`` on the team's own computer is not protected: the plan file is the team's.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from coplan.model import Person, Plan
from coplan.privacy import may_be_named
from coplan.review import Report
from coplan.schedule import Schedule
from coplan.sharing import (
    EMPTY_DETAILS,
    shared_plan,
    shared_report,
    shared_schedule,
)


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


def people_called(plan: Plan, name: str | None) -> list[Person]:
    """The people of ``plan`` called ``name``: by name, one of their other names, or their
    id, as written or in any case."""
    if not name or not name.strip():
        return []
    wanted = _plain(name)
    return [p for p in plan.people
            if wanted in {_plain(w) for w in (p.name, p.id, *p.aliases) if w}]


def person_named(plan: Plan, name: str | None) -> Person | None:
    """The person of ``plan`` a served link names (``people_called``; ``None`` when
    nobody, or more than one, is)."""
    found = people_called(plan, name)
    return found[0] if len(found) == 1 else None


def looks_after_private_details(plan: Plan, name: str | None) -> bool:
    """Whether the person a served link names is one the plan says looks after private
    details (``governance.private_details``)."""
    person = person_named(plan, name)
    return person is not None and person.id in plan.governance.private_details


def who_looks_after(plan: Plan) -> list[str]:
    """The names of the people who look after private details, as the plan gives them."""
    found = [plan.person(pid) for pid in plan.governance.private_details]
    return [p.name or p.id for p in found if p is not None]


@dataclass(frozen=True)
class Shown:
    """What the protected view shows: the copy of the plan, its schedule and review, and
    each id the copy changed (one that carries a hidden name), by what the copy calls it,
    so that an edit made on the copy is written with the file's own id (``IdsAsWritten``).
    """

    plan: Plan
    schedule: Schedule | None
    report: Report
    ids_back: dict[str, str]


def shown(plan: Plan, schedule: Schedule | None, report: Report, viewer: str | None,
          ) -> Shown:
    """The plan, schedule and review as the protected view shows them to ``viewer`` (a
    person's id; ``None``: someone the plan does not name, who sees no one's details):
    their own entry as the file has it, nobody else's private details."""
    me = plan.person(viewer) if viewer is not None else None
    audience = me.id if me is not None else "team"
    copy, hide = shared_plan(plan, audience, own=me is not None)
    copy = _others_blanked(copy, me)
    copy_schedule = None
    if schedule is not None:
        copy_schedule = replace(shared_schedule(schedule, copy, hide), plan=copy)
    back = {new: old for old, new in hide.ids.items() if new != old}
    return Shown(copy, copy_schedule, shared_report(report, copy, plan), back)


class IdsAsWritten:
    """A plan document that takes the ids of the protected view's copy and writes the
    file's own: every text argument (and each text in a list or table given) that is an id
    the copy changed is given as the file has it."""

    def __init__(self, document: Any, ids_back: dict[str, str]) -> None:
        self._document = document
        self._back = ids_back

    def _as_written(self, value: Any) -> Any:
        # (only plain values are made again: a part of the document itself, such as the
        # table an edit is made in, is passed on as it is, to be edited in place)
        if isinstance(value, str):
            return self._back.get(value, value)
        if type(value) in (list, tuple):
            return type(value)(self._as_written(v) for v in value)
        if type(value) is dict:
            return {k: self._as_written(v) for k, v in value.items()}
        return value

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._document, name)
        if not callable(found) or not self._back:
            return found

        def call(*args: Any, **kwargs: Any) -> Any:
            return found(*(self._as_written(a) for a in args),
                         **{k: self._as_written(v) for k, v in kwargs.items()})
        return call


def _others_blanked(plan: Plan, viewer: Person | None) -> Plan:
    """Every private detail (``sharing.PRIVATE_DETAILS``) of everyone but ``viewer`` at
    its empty value (the copy for others keeps that there is a reason someone is not paid:
    here not even that), and the viewer's own entry as the file has it (a copy for others
    words it for others)."""
    people = tuple(viewer if viewer is not None and p.id == viewer.id
                   else replace(p, **EMPTY_DETAILS) for p in plan.people)
    if people == plan.people:
        return plan
    return replace(plan, people=people)


# -- what an edit from the protected view may change ---------------------------------------

def hidden_change(before: Plan, after: Plan, viewer: str | None) -> str | None:
    """What an edit made from the protected view changed that is hidden from ``viewer``,
    in words (``None``: nothing; the edit may stand)."""
    for person in before.people:
        if person.id == viewer:
            continue
        now = after.person(person.id)
        if now is None:
            return (f"it would take {_who(before, person)} off the plan, and their details "
                    "with them")
        if _values(now) != _values(person):
            return f"it would change {_who(before, person)}'s details"
    if before.governance.private_details != after.governance.private_details:
        return "it would change who looks after private details"
    if [_values(p) for p in before.paid if p.who != viewer] != \
            [_values(p) for p in after.paid if p.who != viewer]:
        return "it would change the payments made to other people"
    kept = _records(before)
    now_records = _records(after)
    for key, words in kept.items():
        if now_records.get(key, words) != words:
            return "it would change the reasons or notes of a session's record"
    hidden = [_values(r) for r in before.reflections if not r.share]
    left = [_values(r) for r in after.reflections]
    if any(h not in left for h in hidden):
        return "it would change a reflection the team has not shared"
    return None


def _who(plan: Plan, person: Person) -> str:
    return person.name if may_be_named(person) else "someone"


def _values(item: Any) -> tuple[Any, ...]:
    """An item's values, without where it stands in the file."""
    return tuple(getattr(item, f.name) for f in fields(item)
                 if f.name not in ("line", "key_lines") and not f.name.startswith("_"))


def _records(plan: Plan) -> dict[tuple[str, int, int], tuple[str, str]]:
    """Each session record's reasons and notes, by stage, touchpoint and session."""
    found: dict[tuple[str, int, int], tuple[str, str]] = {}
    for stage in plan.stages:
        for tp in stage.touchpoints:
            for record in tp.records:
                found[(stage.id, tp.index, record.session)] = (record.why, record.notes)
    return found
