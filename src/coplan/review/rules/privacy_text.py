"""Privacy in the team's own words: names, addresses and numbers that would otherwise only
be taken out on the way to others.

Everything shared is made from a copy of the plan with these removed (``sharing``), so
nothing leaks; but a sentence with a hole in it ("S.O., who was sectioned on Willow ward")
can still say too much, and only people can rewrite it.  These rules point at each place,
by its line, without repeating what it says.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from coplan import schema
from coplan.model import Person
from coplan.privacy import redaction
from coplan.review.engine import Context, Registry, Severity, Subject

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""

# A person's own entry may hold their name and contact: that is what it is for.
_OWN = frozenset({"name", "aliases", "email"})


def _texts(item: Any, where: str) -> Iterator[tuple[str, str, Any, str]]:
    """Every text the team wrote, at any depth: (where, key, the item holding it, text).
    The line is left to be looked up for the few texts that are found (on a large plan,
    looking up every key's line costs more than the rest of the review)."""
    declared = schema.schema_of(type(item))
    for member in declared.members:
        value = getattr(item, member.field)
        spec = member.spec
        if isinstance(spec, schema.Sub):
            for n, child in enumerate(value if spec.array else (value,), 1):
                child_shape = schema.schema_of(type(child)).shape
                named = child_shape.named and getattr(child, "id", "")
                label = (child_shape.named.format(id=getattr(child, "id", ""), n=n,
                                                  parent=where, name="")
                         if named else f"[{spec.toml}]" if not spec.array
                         else f"{spec.toml} {n}")
                yield from _texts(child, label)
            continue
        if isinstance(item, Person) and member.field in _OWN:
            continue
        kind = spec.kind
        if isinstance(kind, schema.Id):
            continue  # an id that carries a name is changed in everything shared
        if isinstance(kind, schema.Text) and kind.ref is None and isinstance(value, str):
            yield where, member.toml, item, value
        elif isinstance(kind, schema.Strings) and kind.ref is None:
            for entry in value:
                if isinstance(entry, str):
                    yield where, member.toml, item, entry


Hit = tuple[str, str, int, str, str]
_FOUND: dict[int, tuple[Any, list[Hit]]] = {}


def _hits(ctx: Context) -> list[Hit]:
    """Texts that change when made ready for others: (where, key, line, text, shared),
    found once per plan for both rules (a large plan has a million texts)."""
    plan = ctx.plan
    made = _FOUND.get(id(plan))
    if made is not None and made[0] is plan:
        return made[1]
    hide = redaction(plan)
    found: list[Hit] = []
    for where, key, item, text in _texts(plan, "the project"):
        shared = hide.text(text)
        if shared != text:
            line = item.line_of(key) if hasattr(item, "line_of") else 0
            found.append((where, key, line, text, shared))
    _FOUND.clear()  # one plan at a time: the plan is kept with its hits
    _FOUND[id(plan)] = (plan, found)
    return found


@RULES.rule("CP-PRI-001", "The team's words name nobody who keeps their name private",
            Severity.WARNING,
            why="People who have not agreed to be named are hidden in everything shared, but "
                "a sentence about them can still say who they are and what happened to them.",
            fix="Rewrite the text without the name (a role such as 'a co-researcher' is "
                "enough), or ask the person whether they are happy to be named "
                "({person.share_name}).",
            sources=("hra", "ukspi"))
def names_in_text(ctx: Context) -> Found:
    hide = redaction(ctx.plan)
    if not hide.hidden:
        return
    for where, key, line, text, _ in _hits(ctx):
        if hide.names_someone(text):
            yield ctx.project(line), (
                f"'{key}' in {where} names someone who has not agreed to share their name")


@RULES.rule("CP-PRI-002", "No email addresses or phone numbers in the plan's text",
            Severity.WARNING,
            why="Contact details belong in the team's contact list, not in text that is "
                "shared. They are taken out of everything shared, which leaves a gap where "
                "they were.",
            fix="Keep contact details out of the text: say who to contact (a role or a shared "
                "name) and keep their address in {person.email}.",
            sources=("hra",))
def contact_in_text(ctx: Context) -> Found:
    for where, key, line, _text, shared in _hits(ctx):
        if "[email address removed]" in shared or "[phone number removed]" in shared:
            yield ctx.project(line), f"'{key}' in {where} holds an email address or phone number"
