"""The protocol's gaps and the review agree (``coplan.protocol_gaps``).

Each question of the protocol is left out of a complete plan (the MINDS example, whose
protocol has no gaps) in turn: the protocol must then show one gap more, in the question's
own words, and the review must find it, by the rule the question names (``found_by``) or
else by CP-META-007: an error where the protocol is marked agreed, a warning in a draft.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coplan.export.protocol.build import build_protocol
from coplan.model import Plan
from coplan.planfile import load_plan
from coplan.protocol_gaps import QUESTIONS, Question
from coplan.review import review
from coplan.review.engine import Severity
from coplan.review.rules import builtin_rules
from coplan.schedule import schedule as schedule_plan
from coplan.schema import field_words

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2027, 9, 1)


@pytest.fixture(scope="module")
def minds() -> Plan:
    return load_plan(ROOT / "examples" / "minds-discharge.toml")


def _with(plan: Plan, table: str, **changes: Any) -> Plan:
    """``plan`` with ``changes`` to one of its tables (a Plan is rebuilt, as
    ``agreed.without_unmet`` does)."""
    part = replace(getattr(plan, table), **changes)
    others = {f.name: getattr(plan, f.name) for f in fields(plan) if f.init}
    others[table] = part
    copy = Plan(**others)
    copy.path, copy.marked = plan.path, plan.marked
    return copy


def _left_out(plan: Plan, q: Question) -> Plan:
    """``plan`` without the answer to ``q`` (and asked it, where it is asked only of some
    plans)."""
    table, _, key = q.key.partition(".")
    attr = q.attr or key
    value = getattr(getattr(plan, table), attr)
    if q.each:
        first = replace(value[0], **{q.each: ""})
        blank: Any = (first, *value[1:])
    elif isinstance(value, str):
        blank = ""
    elif isinstance(value, tuple):
        blank = ()
    elif isinstance(value, bool):
        blank = False
    else:
        blank = None
    plan = _with(plan, table, **{attr: blank})
    if q.key == "support.anonymous_route" or q.key == "support.safeguarding":
        plan = _with(plan, "project", sensitive_topic=True)
    if q.key == "protocol.ethics":
        plan = _with(plan, "project", ethics_review=True)
    return plan


def _gaps(plan: Plan) -> list[str]:
    doc = build_protocol(plan, schedule_plan(plan), produced=TODAY)
    return [g.what for g in doc.gaps]


def test_the_example_protocol_has_no_gaps(minds: Plan) -> None:
    assert _gaps(minds) == []
    assert not [f for f in review(minds, schedule_plan(minds), registry=builtin_rules(),
                                  today=TODAY).findings if f.rule == "CP-META-007"]


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: f"{q.key}:{q.topic[:30]}")
def test_each_gap_of_the_protocol_is_found_by_the_review(minds: Plan, q: Question) -> None:
    plan = _left_out(minds, q)
    assert q.open(plan) and q.left_out(plan)
    gaps = _gaps(plan)
    assert any(g.startswith(q.topic) for g in gaps), gaps
    found = review(plan, schedule_plan(plan), registry=builtin_rules(), today=TODAY).findings
    rule = q.found_by or "CP-META-007"
    mine = [f for f in found if f.rule == rule]
    assert mine, f"{q.key} is left out and {rule} does not find it"
    if not q.found_by:
        # (one finding for each key: in the words of the first question it leaves open)
        first = next(x for x in QUESTIONS
                     if x.key == q.key and not x.found_by and x.left_out(plan))
        assert any(first.topic in f.message and field_words(Plan, q.key) in f.message
                   and f.subject.id == q.key for f in mine)
        assert all(f.severity == Severity.ERROR for f in mine)  # (MINDS is agreed)
        draft = _with(plan, "protocol", status="draft")
        again = review(draft, schedule_plan(draft), registry=builtin_rules(),
                       today=TODAY).findings
        notes = [f for f in again if f.rule == rule]
        assert notes and all(f.severity == Severity.WARNING for f in notes)
        assert "does not say yet" in notes[0].message
