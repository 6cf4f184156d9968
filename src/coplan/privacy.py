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
    return _initials(person.name or person.id)


def _initials(source: str) -> str:
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


# Words in a name that are titles, not the person: never replaced on their own.
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "sir",
                     "dame", "rev", "revd", "cllr"})


def _name_parts(name: str) -> list[str]:
    """The parts of a name that identify the person when written alone ("Sam", "Al",
    "Okafor"), leaving out titles and bare initials ("Dr", "A.").

    Only a name that looks like a person's name gives up its parts: every word starts
    with a capital letter.  "Year 2 student representative" is a role written where a name
    goes; hiding "Year" everywhere would garble the plan's text, so only the whole phrase
    is hidden.
    """
    words = [w.strip(".,;:()'\"") for w in name.split()]
    if not all(w[:1].isupper() for w in words if w):
        return []
    parts = []
    for part in name.split():
        word = part.strip(".,;:()'\"")
        if len(word) >= 2 and word[0].isupper() and word.lower() not in _TITLES:
            parts.append(word)
    return parts


def redact(text: str, plan: Plan) -> str:
    """``text`` with the names of people who did not agree to share them replaced by their
    initials.

    A name is replaced whole ("Sam Okafor") or by any of its parts ("Sam", "Okafor", and
    short ones such as "Al").  The full names of people who did agree to share them are left
    as they are, even when they share a part with someone else's ("Sam Hill" stays when only
    another Sam is hidden).
    """
    if not text:
        return text
    pattern, hidden = _hiding(tuple((p.name, p.share_name) for p in plan.people))
    if pattern is None:
        return text
    return pattern.sub(lambda m: hidden[m.group(1)], text)


@lru_cache(maxsize=64)
def _hiding(people: tuple[tuple[str, bool], ...]
            ) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """The pattern of names to hide and what each becomes, for people given as (name,
    share_name); worked out once per set of people (a calendar redacts thousands of texts)."""
    hidden: dict[str, str] = {}
    for name, share in people:
        if share or not name:
            continue
        replacement = _initials(name)
        hidden[name] = replacement
        for part in _name_parts(name):
            hidden.setdefault(part, replacement)
    if not hidden:
        return None, hidden
    for name, share in people:
        if share and name and name not in hidden:
            hidden[name] = name  # matched first (longer), so left whole
    return _pattern(tuple(sorted(hidden))), hidden
