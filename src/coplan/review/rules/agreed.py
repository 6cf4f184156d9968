"""Agreed, not placeholders: a plan is a draft while it still holds things to agree."""

from __future__ import annotations

from collections.abc import Iterator

from coplan.agreed import Unmet, unmet
from coplan.model import Meeting, Person, Plan, Stage, Touchpoint
from coplan.review.engine import Context, Registry, Severity, Subject
from coplan.schema import field_ref, field_words

Found = Iterator[tuple[Subject, str]]

RULES = Registry()
"""This module's rules (``coplan.review.rules.register`` gathers them)."""

RULE_ID = "CP-AGR-001"


def unmet_subject(u: Unmet) -> Subject:
    item = u.item
    if isinstance(item, Touchpoint):
        return Subject("touchpoint", item.id, item.stage, u.line)
    if isinstance(item, Person):
        return Subject("person", item.id, "", u.line)
    if isinstance(item, Stage):
        return Subject("stage", item.id, item.id, u.line)
    if isinstance(item, Meeting):
        return Subject("meeting", item.id, "", u.line)
    return Subject("project", ".".join(u.where), "", u.line)


def _where(u: Unmet) -> str:
    """The item the value belongs to, as the app's lists name it; "" for a part of the
    project's settings, which the key's own words name."""
    item = u.item
    if isinstance(item, Touchpoint):
        return f"touchpoint '{item.title or item.id}': "
    if isinstance(item, Person):
        return f"person '{item.id}': "
    if isinstance(item, Stage):
        return f"stage '{item.id}': "
    if isinstance(item, Meeting):
        return f"meeting '{item.title or item.id}': "
    if not u.key:  # a whole table marked: named as the app's list of the plan's parts does
        try:
            place, _ = field_ref(Plan, ".".join(u.where))
        except KeyError:
            return "[" + ".".join(u.where) + "]: "
        return f"{place.sub.label if place.sub and place.sub.label else u.where[-1]}: "
    return ""


def _named(u: Unmet) -> str:
    """The key as the app's forms label it: "'Benefits advice'" in a person, "'Ground
    rules' (Governance)" in a part of the settings; as written where it has no label."""
    if not u.key:
        return ""
    try:
        _, spec = field_ref(Plan, ".".join((*u.where, u.key)))
    except KeyError:
        return f"'{u.key}'"
    if spec is None or not spec.label:
        return f"'{u.key}'"
    if isinstance(u.item, (Touchpoint, Person, Stage, Meeting)):
        return f"'{spec.label}'"
    return field_words(Plan, ".".join((*u.where, u.key)))


@RULES.rule(RULE_ID, "Nothing is left as a placeholder", Severity.WARNING,
            agreed=Severity.ERROR,
            why="A template's placeholders ('To agree', 'TBC', dates marked '# placeholder', "
                "example policies left word for word) make a plan look finished when nobody "
                "has agreed anything yet. Until each is replaced by what people really "
                "agreed, the plan is a draft, and the protocol shows each one as a gap. A "
                "draft passes the check with them as warnings while it is worked on; a plan "
                "whose protocol is marked agreed says it is no longer a draft, so there each "
                "is an error.",
            fix="Agree it with the people it concerns and write what you agreed; for a date "
                "or a value marked '# placeholder', write the real one and remove the comment.",
            sources=("ukspi", "nihr-coproduction"), undated=True)
def nothing_left_to_agree(ctx: Context) -> Found:
    for u in unmet(ctx.plan, texts=ctx.shared.texts):
        yield unmet_subject(u), f"{_where(u)}{u.describe(_named(u))}"
