"""The schedule's JSON and the copy for sharing, made the quick way, are what the plain
way makes: the same text to the byte, the same plan (hypothesis, on random plans)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan import schema, sharing
from coplan.export import scheduledata
from coplan.model import Closure, Person, Touchpoint
from coplan.planfile import parse_plan
from coplan.schedule import schedule
from plangen import random_plan

# Texts that would confuse a split between items if it were not exact: braces, quotes,
# commas, backslashes, the very '}, {"' between two items, and letters beyond ASCII.
titles = st.lists(st.sampled_from(['}', '{', '"', ',', ' ', '\\', 'é', '€', '☃', 'a', ':',
                                  '}, {"', '[', ']', '/']),
                  min_size=1, max_size=8).map("".join).map(str.strip).filter(bool)


def _plain_json(sched: Any, today: date | None) -> str:
    """The JSON as it was written before: each item encoded on its own."""
    data = scheduledata.to_data(sched, today)
    rows = data.pop("items")

    def dump(value: object) -> str:
        return json.dumps(value, default=scheduledata._default, ensure_ascii=False)

    head = ",\n".join(f" {dump(k)}: {dump(v)}" for k, v in data.items())
    body = ",\n".join("  " + dump(row) for row in rows)
    return "{\n" + head + ',\n "items": [\n' + body + "\n ]\n}\n"


def _with_titles(text: str, names: list[str]) -> str:
    it = iter(names)
    return re.sub(r'^title = "Stage \d+"$',
                  lambda m: "title = " + json.dumps(next(it, "Stage"), ensure_ascii=False),
                  text, flags=re.M)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 40), st.lists(titles, max_size=40),
       st.booleans(), st.sampled_from([None, date(2027, 6, 1), date(2030, 1, 1)]))
def test_the_json_is_what_encoding_each_item_alone_gives(seed: int, n: int,
                                                         names: list[str], slow: bool,
                                                         today: date | None) -> None:
    plan = parse_plan(_with_titles(random_plan(seed, n), names), with_lines=False)
    _, sched = sharing.for_audience(plan, schedule(plan, slow_down=slow, today=today))
    assert scheduledata.to_json(sched, today) == _plain_json(sched, today)


def test_items_holding_objects_are_encoded_one_by_one() -> None:
    """Were an item ever to hold an object of its own, the list is not split blindly."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    rows: list[dict[str, Any]] = [{"id": "a", "in": [{"x": 1}, {"y": "}, {\""}]},
                                  {"id": "b"}, {"id": "c", "in": {"z": [{}]}}]
    assert scheduledata._one_per_line(rows, encode) == \
        ",\n".join("  " + encode(row) for row in rows)
    assert scheduledata._one_per_line([], encode) == ""


# -- the copy for sharing ----------------------------------------------------------------

class _PlainWalker:
    """The copy as it was made before: every member looked at by the kind of its value,
    every touchpoint copied."""

    def __init__(self, walker: Any) -> None:
        self.w = walker

    def item(self, item: Any) -> Any:
        changes: dict[str, Any] = {}
        for member in schema.schema_of(type(item)).members:
            spec = member.spec
            value = getattr(item, member.field)
            if isinstance(spec, schema.Sub):
                new: Any = tuple(self.item(c) for c in value) if spec.array \
                    else self.item(value)
            else:
                new = self.value(spec.kind, value)
            if new is not value and new != value:
                changes[member.field] = new
        if isinstance(item, Person):
            changes.update(self.w.person(item))
        elif isinstance(item, Touchpoint):
            changes["access"] = self.w.access(item, changes.get("access", item.access))
        elif isinstance(item, Closure) and item.why:
            changes["why"] = ""
        return replace(item, **changes) if changes else item

    def value(self, kind: Any, value: Any) -> Any:
        hide = self.w.hide
        if isinstance(kind, schema.Links):
            return tuple(self.item(d) for d in value)
        if isinstance(kind, schema.Id) or (kind.ref is not None and isinstance(value, str)):
            return hide.id(value) if value else value
        if kind.ref is not None and isinstance(value, tuple):
            return tuple(hide.id(v) if isinstance(v, str) else v for v in value)
        if isinstance(kind, schema.Text) and isinstance(value, str):
            return hide.text(value)
        if isinstance(kind, schema.Strings) and isinstance(value, tuple):
            return tuple(hide.text(v) if isinstance(v, str) else v for v in value)
        return value


def _plain_copy(plan: Any, audience: str, own: bool) -> Any:
    from coplan.privacy import Redaction

    hide = Redaction(plan, audience, own=own)  # its own, not the one shared_plan learnt
    found: list[str] = []
    sharing._collect_ids(plan, found)
    hide.learn_ids(found)
    walker = sharing._Walker(hide, plan, audience if own else "")
    shared = _PlainWalker(walker).item(plan)
    return replace(shared, shared_with=audience, path=plan.path, marked=plan.marked)


_PEOPLE = '''
[[person]]
id = "sam-hill"
name = "Sam Hill"
kind = "lived-experience"
email = "sam@example.org"
needs = ["hearing-loop", "other: quiet start"]

[[person]]
id = "ada"
name = "Ada Lovelace"
kind = "researcher"
share_name = true
'''


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 30),
       st.lists(st.sampled_from(["Sam", "Sam Hill", "sam-hill", "Ada", "call 07700 900123",
                                 "sam@example.org", "SAM", "plain words"]), max_size=30),
       st.sampled_from([("team", False), ("lived-experience", False), ("sam-hill", True),
                        ("sam-hill", False)]))
def test_the_copy_for_sharing_is_what_the_plain_walk_makes(
        seed: int, n: int, names: list[str], audience: tuple[str, bool]) -> None:
    text = _with_titles(random_plan(seed, n), names)
    text = text.replace('who = ["le1", "le2"]', 'who = ["le1", "sam-hill"]\n'
                        '  access = ["hearing-loop", "other: a lift"]')
    first = text.index("[[person]]")
    text = text[:first] + _PEOPLE.lstrip() + "\n" + text[first:]
    plan = parse_plan(text, with_lines=False)
    who, own = audience
    shared, _ = sharing.shared_plan(plan, who, own=own)
    assert shared == _plain_copy(plan, who, own)
