"""What others see of a session's arrangements says nothing about who takes part in it.

Teams tick each person's needs on the sessions that person attends (CP-ACC-002 tells them
to), and the calendars for others say who takes part: found by trying the product, the
MINDS team calendar showed "Step-free access; Large print" at 19 of the 20 sessions L.
attends and at none of the 17 without L.  So every session of a copy for others shows the
same arrangements (``sharing.Arrangements``), whatever the plan, the exporter and the
audience; only a person's own copy shows their own sessions' arrangements whole.

The plans tried are MINDS with its people's needs moved between them, and every
touchpoint ticked with the needs of those who attend it (as CP-ACC-002 asks).
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coplan.export.contract import Options, run_export
from coplan.model import Plan
from coplan.planfile import load_plan
from coplan.plugins import all_exporters, all_rules
from coplan.protected import shown
from coplan.review import review
from coplan.schedule import schedule
from coplan.sharing import INDIVIDUAL, SESSION_WIDE, for_audience

ROOT = Path(__file__).resolve().parents[1]
MINDS = load_plan(ROOT / "examples" / "minds-discharge.toml")
TODAY = date(2027, 9, 8)
LEE_NEEDS = ("step-free-access", "large-print")


def _who(tp) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return (tp.who,) if isinstance(tp.who, str) else tuple(tp.who)


def ticked(needs: list[tuple[str, ...]]) -> Plan:
    """MINDS with person ``i``'s needs ``needs[i]``, each touchpoint ticked with the needs
    of everyone who takes part in it."""
    people = tuple(dataclasses.replace(p, needs=n) for p, n in zip(MINDS.people, needs,
                                                                    strict=True))
    by_id = {p.id: p for p in people}
    stages = tuple(dataclasses.replace(s, touchpoints=tuple(
        dataclasses.replace(tp, access=tuple(dict.fromkeys(
            (*tp.access, *(n for pid in _who(tp) if pid in by_id for n in by_id[pid].needs)))))
        for tp in s.touchpoints)) for s in MINDS.stages)
    return dataclasses.replace(MINDS, people=people, stages=stages)


def views() -> list[tuple[str, bool, bool]]:
    """Every (audience, for them alone, naming nobody) an exporter makes a copy for."""
    found: set[tuple[str, bool, bool]] = set()
    for exporter in all_exporters():
        audiences = [*exporter.audiences,
                     *(p.id for p in MINDS.people if exporter.per_person)]
        for audience in audiences:
            found.add((audience, exporter.for_them_alone and MINDS.person(audience) is not None,
                       audience in exporter.names_nobody))
    return sorted(found)


def others_see(plan: Plan, audience: str, own: bool, anonymous: bool
               ) -> set[tuple[str, ...]]:
    """What the copy shows of the arrangements of each session its reader does not take
    part in (a copy for them alone shows their own sessions whole)."""
    shared, _ = for_audience(plan, schedule(plan), audience, own=own, anonymous=anonymous)
    return {tp.access for s in shared.stages for tp in s.touchpoints
            if not (own and audience in _who(tp))}


needs_moved = st.permutations([p.needs for p in MINDS.people])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(needs=needs_moved)
def test_every_session_shows_the_same_to_others_in_every_copy(
        needs: list[tuple[str, ...]]) -> None:
    plan = ticked(needs)
    team = others_see(plan, "team", False, False)
    assert len(team) == 1, team
    (shown_,) = team
    # a standard (measures for everyone, at every session) and at most the one line
    assert all(a in SESSION_WIDE or a == INDIVIDUAL for a in shown_), shown_
    for audience, own, anonymous in views():
        assert others_see(plan, audience, own, anonymous) == team, (audience, own, anonymous)


def test_a_persons_own_copy_shows_their_sessions_whole() -> None:
    plan = ticked([p.needs for p in MINDS.people])
    shared, _ = for_audience(plan, schedule(plan), "lee", own=True)
    for s, s2 in zip(plan.stages, shared.stages, strict=True):
        for tp, tp2 in zip(s.touchpoints, s2.touchpoints, strict=True):
            if "lee" in _who(tp):
                assert set(LEE_NEEDS) <= set(tp2.access), tp.id
                assert [a for a in tp.access if not a.startswith("other")] == \
                    [a for a in tp2.access if not a.startswith("other")]


def test_a_standard_held_at_every_session_is_listed() -> None:
    """A measure for everyone in place at every session says nothing about anyone."""
    plan = ticked([p.needs for p in MINDS.people])
    stages = tuple(dataclasses.replace(s, touchpoints=tuple(
        dataclasses.replace(tp, access=("venue-checked", *tp.access)) for tp in s.touchpoints))
        for s in plan.stages)
    (access,) = others_see(dataclasses.replace(plan, stages=stages), "team", False, False)
    assert access == ("venue-checked", INDIVIDUAL)


def test_nothing_arranged_anywhere_shows_nothing() -> None:
    stages = tuple(dataclasses.replace(s, touchpoints=tuple(
        dataclasses.replace(tp, access=()) for tp in s.touchpoints)) for s in MINDS.stages)
    assert others_see(dataclasses.replace(MINDS, stages=stages), "team", False, False) == {()}


# -- as written: the calendars, the protocol, the spreadsheet, the served app -------------

PLAN = ticked([p.needs for p in MINDS.people])
SCHEDULE = schedule(PLAN)


def _export(name: str, audience: str, fmt: str = "") -> str:
    exporter = all_exporters().get(name)
    assert exporter is not None
    return run_export(exporter, PLAN, SCHEDULE,
                      Options(format=fmt, audience=audience, today=TODAY)).decode("utf-8")


@pytest.mark.parametrize("audience", ["team", "lived-experience", "leads", "lee", "sam"])
def test_every_calendar_event_says_the_same_of_its_arrangements(audience: str) -> None:
    text = re.sub(r"\r\n[ \t]", "", _export("ics", audience)).replace("\\n", "\n")
    text = re.sub(r"\\([;,\\])", r"\1", text)
    lines = [x.removeprefix("DESCRIPTION:") for x in text.split("\n")
             if "Access arrangements:" in x]
    assert lines, audience
    assert set(lines) == {"Access arrangements: arrangements made with individual people, "
                          "not listed"}, set(lines)
    assert "Step-free" not in text and "Large print" not in text


def test_the_protocol_shows_every_touchpoint_the_same_arrangements() -> None:
    text = _export("protocol", "team", "md")
    table = text.split("Access measures at each touchpoint", 1)[1].split("\n\n", 2)[1]
    rows = [r for r in table.split("\n") if r.startswith("|")][2:]
    assert len(rows) == sum(len(s.touchpoints) for s in PLAN.stages)
    assert len({r.split("|")[3].strip() for r in rows}) == 1, rows[:3]


def test_the_spreadsheet_says_nothing_of_arrangements() -> None:
    text = _export("csv", "team")
    assert "Step-free" not in text and "step-free" not in text and "Large print" not in text


@pytest.mark.parametrize("viewer", [None, "sam", "lee"])
def test_the_served_view_shows_others_sessions_the_same(viewer: str | None) -> None:
    made = shown(PLAN, SCHEDULE, review(PLAN, SCHEDULE, registry=all_rules(), today=TODAY),
                 viewer)
    seen = {tp.access for s in made.plan.stages for tp in s.touchpoints
            if viewer is None or viewer not in _who(tp)}
    assert len(seen) == 1, seen
