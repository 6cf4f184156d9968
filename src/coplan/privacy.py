"""What others may see of a person: their name only where they agreed, never more.

Plans hold sensitive personal data: lived experience is health information.  Anything
meant for others (calendars, the protocol, reports) goes through here:

* ``shown_name`` gives a person's name only with ``share_name = true``; otherwise their
  initials and what they bring ("S., a co-researcher with lived experience");
* ``redact`` removes the names of people who did not agree to share them from the team's
  own free text (a purpose that says "Sam will co-chair" becomes "S. will co-chair");
* access needs, email addresses and health details are never written by any export.
"""

from __future__ import annotations

import re
from functools import lru_cache

from coplan.model import Person, Plan
from coplan.vocab import PERSON_KIND


def initials(person: Person) -> str:
    source = person.name or person.id
    parts = [p for p in re.split(r"[\s\-_.]+", source) if p and p[0].isalpha()]
    return "".join(p[0].upper() + "." for p in parts[:3]) or "?"


def role_of(person: Person) -> str:
    label = PERSON_KIND.label(person.kind).lower()
    if person.kind == "lived-experience":
        label = "co-researcher with lived experience"
    elif person.kind == "young-person":
        label = "young co-researcher"
    return label


def shown_name(person: Person) -> str:
    """The person as a shared document may show them."""
    if person.share_name and person.name:
        return person.name
    return f"{initials(person)} ({role_of(person)})"


@lru_cache(maxsize=64)
def _pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = sorted({re.escape(n) for n in names}, key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(alternatives) + r")(?![\w])")


def redact(text: str, plan: Plan) -> str:
    """``text`` with the names of people who did not agree to share them replaced by their
    initials."""
    if not text:
        return text
    hidden: dict[str, str] = {}
    for person in plan.people:
        if person.share_name or not person.name:
            continue
        replacement = initials(person)
        hidden[person.name] = replacement
        for part in person.name.split():
            if len(part) > 2 and part[0].isupper():
                hidden.setdefault(part, replacement)
    pattern = _pattern(tuple(sorted(hidden)))
    if pattern is None:
        return text
    return pattern.sub(lambda m: hidden[m.group(1)], text)
