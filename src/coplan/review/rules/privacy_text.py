"""Privacy in the team's own words: names, addresses and numbers that would otherwise only
be taken out on the way to others.

Everything shared is made from a copy of the plan with these removed (``sharing``), so
nothing leaks; but a sentence with a hole in it ("S.O., who was sectioned on Willow ward")
can still say too much, and only people can rewrite it.  These rules point at each place,
by its line, without repeating what it says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from coplan import schema
from coplan.model import Person, Plan, ReflectionRecord
from coplan.privacy import TEAM_ONLY, Redaction, kept_in_team, people_named, redaction
from coplan.review.engine import Context, Registry, Severity, Subject

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""

# A person's own entry may hold their name and contact: that is what it is for.
_OWN = frozenset({"name", "aliases", "email"})


def _texts(item: Any, where: str, plan: Plan | None = None
           ) -> Iterator[tuple[str, str, Any, str]]:
    """Every text the team wrote that may leave the team, at any depth: (where, key, the
    item holding it, text); words that stay with the team whatever they say
    (``privacy.kept_in_team``) are not looked at.  The line is left to be looked up for the
    few texts that are found (on a large plan, looking up every key's line costs more than
    the rest of the review)."""
    if plan is None and isinstance(item, Plan):
        plan = item
    kept = kept_in_team(item, plan) if plan is not None else ()
    for member in schema.schema_of(type(item)).members:
        if member.field not in kept:
            yield from _member_texts(item, member, where, plan)


def _member_texts(item: Any, member: Any, where: str, plan: Plan | None = None
                  ) -> Iterator[tuple[str, str, Any, str]]:
    value = getattr(item, member.field)
    spec = member.spec
    if isinstance(spec, schema.Sub):
        for n, child in enumerate(value if spec.array else (value,), 1):
            yield from _texts(child, _label(child, n, spec, where), plan)
        return
    if isinstance(item, Person) and member.field in _OWN:
        return
    kind = spec.kind
    if isinstance(kind, schema.Id):
        return  # an id that carries a name is changed in everything shared
    if isinstance(kind, schema.Text) and kind.ref is None and isinstance(value, str):
        yield where, member.toml, item, value
    elif isinstance(kind, schema.Strings) and kind.ref is None:
        for entry in value:
            if isinstance(entry, str):
                yield where, member.toml, item, entry


def _label(child: Any, n: int, spec: schema.Sub, where: str,
           hide: Redaction | None = None) -> str:
    """What a finding calls a table inside ``where``: by its name as the loader's messages
    call it (the first of the fields its shape names it by that is written: a meeting by
    its title, else its id); else by what it is and its own words ("the decision log
    entry 'Dates moved'", made ready for others by ``hide``), or its date; never by the
    file's path ("log 1" told nobody which entry)."""
    child_shape = schema.schema_of(type(child)).shape
    found = next((str(v) for f in child_shape.name_from if (v := getattr(child, f, ""))), "")
    if child_shape.named and found:
        return child_shape.named.format(id=found, n=n, parent=where, name=found)
    if not spec.array:
        return f"[{spec.toml}]"
    noun = re.sub(r"^an? ", "", child_shape.anonymous.format(n=n, parent=where))
    if noun.startswith("["):
        return f"{spec.toml} {n}"
    for key in _NAMED_BY:
        value = getattr(child, key, None)
        if key == "date" and isinstance(value, date):
            return f"the {noun} of {value.isoformat()}"
        if hide is not None and isinstance(value, str) and value.strip():
            return f"the {noun} '{_excerpt(hide.text(value.strip()))}'"
    # (a shape that counts its entries already says which: "record 1 of touchpoint 2 of
    # stage 'design'", not "... number 1" after it)
    return f"the {noun}" if "{n}" in child_shape.anonymous else f"the {noun} number {n}"


class _Label:
    """``_label(child, n, spec, where, hide)``, worked out when first asked for (``str``):
    when a text of the table, or of a table in it, is found to change.  Most tables' texts
    do not (on MINDS, 68 tables are looked through for two hits), and their labels, each
    a few searches of the schema and a text made ready for others, went unused."""

    __slots__ = ("_made", "_of")

    def __init__(self, child: Any, n: int, spec: schema.Sub, where: str | _Label,
                 hide: Redaction) -> None:
        self._of: tuple[Any, int, schema.Sub, str | _Label, Redaction] | None = (
            child, n, spec, where, hide)
        self._made = ""

    def __str__(self) -> str:
        of = self._of
        if of is not None:
            child, n, spec, where, hide = of
            self._made = _label(child, n, spec, str(where), hide)
            self._of = None
        return self._made


_NAMED_BY = ("title", "rule", "item", "term", "what", "date")
"""The keys whose value names an entry that has no id, in the order tried (a decision
log entry by what was decided, an accepted finding by its rule, a reflection by its
date)."""


def _excerpt(text: str, most: int = 40) -> str:
    """The start of an entry's own words, cut where a word ends."""
    line = " ".join(text.split())
    if len(line) <= most:
        return line
    return line[:most].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


Hit = tuple[str, str, int, str, str]
_FOUND: dict[int, tuple[Any, list[Hit]]] = {}
# Each entry of the plan's arrays of tables (a stage, a person) with its hits, as found last
# time, whether none of its texts change, and the place its hits are for (0: any place,
# their label does not name it): the app reads a plan again after
# each edit keeping the entries that did not change (the very same objects), so only the
# changed ones are looked through again.
_ENTRIES: list[dict[int, tuple[Any, object, list[Hit], bool, int]]] = [{}]

_SUB, _TEXT, _STRINGS = "sub", "text", "strings"
_STEPS: dict[type, list[tuple[str, str, str, Any]]] = {}


def _steps(model: type) -> list[tuple[str, str, str, Any]]:
    """What ``_texts`` reads of an item of ``model``, worked out once per class, in the
    schema's order: (a table or array of tables, a text or a list of texts; field, key,
    the table's spec)."""
    found = _STEPS.get(model)
    if found is None:
        found = []
        for member in schema.schema_of(model).members:
            spec = member.spec
            if isinstance(spec, schema.Sub):
                found.append((_SUB, member.field, member.toml, spec))
                continue
            if issubclass(model, Person) and member.field in _OWN:
                continue
            if member.field in TEAM_ONLY.get(model, ()):
                continue  # never leaves the team, whatever it says
            kind = spec.kind
            if isinstance(kind, schema.Id) or kind.ref is not None:
                continue  # an id that carries a name is changed in everything shared
            if isinstance(kind, schema.Text):
                found.append((_TEXT, member.field, member.toml, None))
            elif isinstance(kind, schema.Strings):
                found.append((_STRINGS, member.field, member.toml, None))
        _STEPS[model] = found
    return found


def _scan(item: Any, where: str | _Label, hide: Redaction, found: list[Hit]) -> bool:
    """The texts of ``item`` and the tables in it (as ``_texts`` gives them) that change
    when made ready for others, added to ``found`` with ``where`` (``item``'s label, made
    only for a text that changes); and whether none of them changes (and no person is
    among them, whose own name, aliases and email are not read here)."""
    text = hide.text
    same = not isinstance(item, Person)
    for how, field, key, spec in _steps(type(item)):
        value = getattr(item, field)
        if how is _SUB:
            for n, child in enumerate(value if spec.array else (value,), 1):
                same = _scan(child, _Label(child, n, spec, where, hide), hide, found) and same
            continue
        for entry in ((value,) if how is _TEXT else value):
            if isinstance(entry, str):
                shared = text(entry)
                if shared != entry:
                    same = False
                    line = item.line_of(key) if hasattr(item, "line_of") else 0
                    found.append((str(where), key, line, entry, shared))
    return same


def _hits(ctx: Context, quick: bool = True) -> list[Hit]:
    """Texts that change when made ready for others: (where, key, line, text, shared),
    found once per plan for both rules (a large plan has a million texts).  ``quick``:
    an entry (a stage, with its touchpoints) whose texts all together hold nothing the
    redaction takes out is passed over at once (``Redaction.may_change``); the hits are
    the same either way."""
    plan = ctx.plan
    made = _FOUND.get(id(plan))
    if made is not None and made[0] is plan:
        return made[1]
    hide = redaction(plan)
    wording = hide.wording
    before = _ENTRIES[0]
    now: dict[int, tuple[Any, object, list[Hit], bool, int]] = {}
    found: list[Hit] = []
    unchanged: list[int] = []  # entries none of whose texts change, by id
    # Whether the redaction may change an entry's texts, for each way they are written:
    # entries alike in their texts (a plan made from a template, a stage copied) are
    # searched once.
    alike: dict[str, bool] = {}
    where = "the project"
    for how, field, key, spec in _steps(type(plan)):
        if not (how is _SUB and spec.array):
            # (a table of the plan's own, such as [protocol], passed over as an entry is)
            if not (quick and how is _SUB and not _may_change(
                    hide, ctx.shared.texts(getattr(plan, field))[0], alike)):
                _scan_member(plan, how, field, key, spec, where, hide, found)
            continue
        for n, child in enumerate(getattr(plan, field), 1):
            # The entry's label (in its hits, ``_label``) is made from the entry and, for
            # some, its place: made only when the entry is looked through, and its hits
            # kept for that place alone if the label names the place.
            entry = id(child)
            kept = before.get(entry)
            if kept is None or kept[0] is not child or kept[1] is not wording or \
                    kept[4] not in (0, n):
                hits: list[Hit] = []
                if isinstance(child, ReflectionRecord) and kept_in_team(child, plan):
                    # its words stay with the team: nothing of it goes out to look at
                    kept = (child, wording, hits, True, 0)
                elif quick and not _may_change(hide, ctx.shared.texts(child)[0], alike):
                    # none of its texts changes: one search for all (most entries)
                    kept = (child, wording, hits, not isinstance(child, Person), 0)
                else:
                    label = _Label(child, n, spec, where, hide)
                    same = _scan(child, label, hide, hits)
                    place = n if hits and _label(child, n + 1, spec, where, hide) != \
                        str(label) else 0
                    kept = (child, wording, hits, same, place)
            now[entry] = kept
            found.extend(kept[2])
            if kept[3]:
                unchanged.append(id(child))
    hide.unchanged.update(unchanged)
    _ENTRIES[0] = now
    _FOUND.clear()  # one plan at a time: the plan is kept with its hits
    _FOUND[id(plan)] = (plan, found)
    return found


def _may_change(hide: Redaction, texts: str, alike: dict[str, bool]) -> bool:
    """``hide.may_change(texts)``, worked out once for each way ``texts`` are written
    (``alike``)."""
    may = alike.get(texts)
    if may is None:
        may = alike[texts] = hide.may_change(texts)
    return may


def _scan_member(item: Any, how: str, field: str, key: str, spec: Any, where: str,
                 hide: Redaction, found: list[Hit]) -> None:
    """One member of the plan itself (a table, a text) as ``_scan`` reads it."""
    value = getattr(item, field)
    if how is _SUB:
        for n, child in enumerate((value,), 1):
            _scan(child, _Label(child, n, spec, where, hide), hide, found)
        return
    for entry in ((value,) if how is _TEXT else value):
        if isinstance(entry, str):
            shared = hide.text(entry)
            if shared != entry:
                line = item.line_of(key) if hasattr(item, "line_of") else 0
                found.append((where, key, line, entry, shared))


@RULES.rule("CP-PRI-001", "The team's words name nobody who keeps their name private",
            Severity.WARNING,
            why="People who have not agreed to be named, or chose not to be credited, are "
                "hidden in everything shared, but a sentence about them can still say who "
                "they are and what happened to them.",
            fix="Rewrite the text without the name (a role such as 'a co-researcher' is "
                "enough), or ask the person whether they are happy to be named "
                "({person.share_name}) and credited ({person.credit}).",
            sources=("hra", "ukspi"), undated=True)
def names_in_text(ctx: Context) -> Found:
    hide = redaction(ctx.plan)
    if not hide.hidden:
        return
    for where, key, line, text, _ in _hits(ctx):
        if hide.names_someone(text):
            yield ctx.project(line), (
                f"'{key}' in {where} names someone who {_whose_choice(ctx, hide, text)}")


def _whose_choice(ctx: Context, hide: Redaction, text: str) -> str:
    """What the people ``text`` names chose, which hides them from others: not to be
    credited at all; to be credited by their initials though they share their name (it
    had said they had not agreed to share it); or nothing yet."""
    named = people_named(ctx.plan, text)
    if any(pid in hide.unnamed for pid in named):
        return "chose not to be credited"
    hidden = [p for p in hide.hidden if p.id in named]
    if hidden and all(p.share_name and p.credit == "initials" for p in hidden):
        return "chose to be credited by their initials"
    return "has not agreed to share their name"


@RULES.rule("CP-PRI-002", "No email addresses or phone numbers in the plan's text",
            Severity.WARNING,
            why="Contact details belong in the team's contact list, not in text that is "
                "shared. They are taken out of everything shared, which leaves a gap where "
                "they were.",
            fix="Keep contact details out of the text: say who to contact (a role or a shared "
                "name) and keep their address in {person.email}.",
            sources=("hra",), undated=True)
def contact_in_text(ctx: Context) -> Found:
    for where, key, line, _text, shared in _hits(ctx):
        if "[email address removed]" in shared or "[phone number removed]" in shared:
            yield ctx.project(line), f"'{key}' in {where} holds an email address or phone number"
