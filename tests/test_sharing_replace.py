"""The copy for others replaces items with ``sharing.replaced``, which works out each
class's fields once: it makes what ``dataclasses.replace`` makes, for every kind of item in
the bundled plans, every field changed in turn, the review's findings, and the schedule's
stages and sessions (which the schedule's copy re-points at the copied stages)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coplan.planfile import load_plan
from coplan.plugins import all_rules
from coplan.review import review
from coplan.schedule import Session, StageTiming, schedule
from coplan.sharing import replaced

ROOT = Path(__file__).resolve().parents[1]
PLANS = [*sorted((ROOT / "examples").glob("*.toml")),
         *sorted((ROOT / "templates" / "plans").glob("*.toml"))]


def _items(value: Any, seen: set[int]) -> Iterator[Any]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if id(value) in seen:
            return
        seen.add(id(value))
        yield value
        for f in dataclasses.fields(value):
            yield from _items(getattr(value, f.name), seen)
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from _items(v, seen)


def _changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + " (changed)"
    if isinstance(value, int):
        return value + 1
    if isinstance(value, tuple):
        return value[:-1] if value else ()
    return None


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and all(
        getattr(a, f.name) == getattr(b, f.name) for f in dataclasses.fields(a))


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_replaced_makes_what_replace_makes(path: Path) -> None:
    plan = load_plan(path)
    day = date(2027, 6, 1)
    sched = schedule(plan, today=day)
    report = review(plan, sched, registry=all_rules(), today=day)
    classes: set[type] = set()
    for item in _items([plan, *report.findings, *sched.stages.values(), *sched.sessions],
                       set()):
        classes.add(type(item))
        assert _same(replaced(item, {}), dataclasses.replace(item))
        for f in dataclasses.fields(item):
            if not f.init:
                continue
            changes = {f.name: _changed(getattr(item, f.name))}
            try:
                expected = dataclasses.replace(item, **changes)
            except (TypeError, ValueError):  # a value the class refuses: refused alike
                with pytest.raises((TypeError, ValueError)):
                    replaced(item, changes)
                continue
            assert _same(replaced(item, changes), expected)
    assert len(classes) > 5
    assert StageTiming in classes and (Session in classes or not sched.sessions)
