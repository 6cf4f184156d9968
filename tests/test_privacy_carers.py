"""An arrangement only a carer needs says whose it is beside the only carer in the room,
however big the room: it is listed for others only where five carers take part (found by
trying the product: a nine-person workshop's calendar for everyone listed "Replacement care
for someone they look after", and its one carer was named beside it)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from coplan.planfile import load_plan
from coplan.privacy import SMALL_GROUP
from coplan.schedule import schedule
from coplan.sharing import FOR_CARERS, for_audience

ROOT = Path(__file__).resolve().parents[1]
MINDS = ROOT / "examples" / "minds-discharge.toml"


def _shown(plan, audience: str = "team") -> dict[str, tuple[str, ...]]:  # type: ignore[no-untyped-def]
    shared, _ = for_audience(plan, schedule(plan), audience)
    return {tp.id: tp.access for s in shared.stages for tp in s.touchpoints}


def test_a_big_group_with_one_carer_counts_replacement_care() -> None:
    plan = load_plan(MINDS)
    big = [tp for s in plan.stages for tp in s.touchpoints
           if len(tp.who) >= SMALL_GROUP and "replacement-care" in tp.access]
    assert big, "the example has a big session with replacement care"
    shown = _shown(plan)
    for tp in big:
        carers = [p for p in tp.who if (person := plan.person(p)) is not None
                  and (person.kind == "carer" or "caring" in person.circumstances)]
        assert len(carers) < SMALL_GROUP
        assert "replacement-care" not in shown[tp.id], tp.id
        assert any(a.startswith("other: ") and "individual people" in a
                   for a in shown[tp.id]), tp.id
        # what serves everyone is still listed
        assert "step-free-access" not in tp.access or "step-free-access" in shown[tp.id]


@pytest.mark.parametrize("carers", [SMALL_GROUP - 1, SMALL_GROUP])
def test_replacement_care_is_listed_where_five_carers_take_part(carers: int) -> None:
    plan = load_plan(MINDS)
    stage = plan.stages[0]
    tp = stage.touchpoints[0]
    extra = [dataclasses.replace(plan.people[0], id=f"carer-{n}", name=f"Carer {n}",
                                 kind="carer", share_name=False) for n in range(carers)]
    others = [p.id for p in plan.people if p.kind not in ("carer",)][:SMALL_GROUP]
    tp2 = dataclasses.replace(tp, who=(*others, *(p.id for p in extra)),
                              access=("replacement-care", "childcare", "bsl-interpreter"))
    stage2 = dataclasses.replace(stage, touchpoints=(tp2, *stage.touchpoints[1:]))
    people = tuple(p for p in plan.people if p.kind != "carer") + tuple(extra)
    plan2 = dataclasses.replace(plan, stages=(stage2, *plan.stages[1:]), people=people)
    shown = _shown(plan2)[tp.id]
    assert "bsl-interpreter" in shown  # a big group: made for someone, but not said whom
    for arrangement in FOR_CARERS:
        assert (arrangement in shown) == (carers >= SMALL_GROUP), shown
