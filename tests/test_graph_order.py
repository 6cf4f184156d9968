"""The stages' order is worked out once for each plan, and an editing session's next plan
is given the last answer when its stages wait for one another as before: whatever
changed, the answer must be the one worked out afresh."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from coplan.graph import plan_order, topological, waits_for
from coplan.model import Dependency, Plan
from coplan.planfile import parse_plan
from plangen import random_plan


def _changed(rng: random.Random, plan: Plan) -> Plan:
    """The plan with one random change to its stages (or none), as an edit makes it."""
    stages = list(plan.stages)
    i = rng.randrange(len(stages))
    stage = stages[i]
    other = rng.choice(stages).id
    kind = rng.choice(["same", "copy", "title", "link", "unlink", "lag", "rename", "swap",
                       "drop", "loop"])
    if kind == "copy":  # equal, but not the same object
        stages[i] = replace(stage)
    elif kind == "title":
        stages[i] = replace(stage, title=f"Changed {rng.randrange(100)}")
    elif kind == "link":
        stages[i] = replace(stage, after=(*stage.after, Dependency(stage=other)))
    elif kind == "unlink" and stage.after:
        stages[i] = replace(stage, after=stage.after[1:])
    elif kind == "lag" and stage.after:
        stages[i] = replace(stage, after=(replace(stage.after[0], lag_days=3),
                                          *stage.after[1:]))
    elif kind == "rename":
        stages[i] = replace(stage, id=f"renamed-{rng.randrange(1000)}")
    elif kind == "swap" and i:
        stages[i - 1], stages[i] = stages[i], stages[i - 1]
    elif kind == "drop" and len(stages) > 2:
        del stages[i]
    elif kind == "loop" and i:  # the first stage waits for a later one: maybe a loop
        stages[0] = replace(stages[0], after=(*stages[0].after, Dependency(stage=stage.id)))
    return plan if kind == "same" else replace(plan, stages=tuple(stages))


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[Plan]:
    """The plans whose links are worked out afresh from now on, in a list the test may
    look at (and clear)."""
    import coplan.graph

    made: list[Plan] = []

    def counted(plan: Plan) -> dict[str, list[str]]:
        made.append(plan)
        return waits_for(plan)

    monkeypatch.setattr(coplan.graph, "waits_for", counted)
    return made


@pytest.mark.parametrize("seed", range(4))
def test_the_order_given_is_the_order_worked_out_afresh(seed: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    made = _counted(monkeypatch)
    rng = random.Random(seed)
    plan = parse_plan(random_plan(seed, 25, window=6), with_lines=False)
    reused = 0
    for _ in range(150):
        before = plan
        plan = _changed(rng, plan)
        made.clear()
        preds, order = plan_order(plan)
        reused += plan is not before and not made
        fresh = waits_for(plan)
        assert preds == fresh
        assert order == topological(list(fresh), fresh)
        if order is None and rng.random() < 0.5:  # back to a plan without loops
            plan = parse_plan(random_plan(seed, 25, window=6), with_lines=False)
    assert reused > 10  # the last answer was given (and so tested) often


@pytest.mark.parametrize("seed", range(6))
def test_the_order_with_a_stage_added_is_the_order_worked_out_afresh(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stage added anywhere in the file, waiting for any stages (or none): the order
    given from the last answer is the one worked out afresh, and so are the stages' links
    (in the file's order); and it is given that way whenever nothing waits for it."""
    made = _counted(monkeypatch)
    rng = random.Random(seed)
    plan = parse_plan(random_plan(seed, rng.randrange(1, 40), window=rng.choice([3, 8, 40])),
                      with_lines=False)
    quick = 0
    for n in range(120):
        plan_order(plan)
        stages = list(plan.stages)
        ids = [s.id for s in stages]
        after = [Dependency(stage=sid) for sid in rng.sample(ids, min(len(ids),
                                                                       rng.randrange(0, 4)))]
        if rng.random() < 0.1:
            after.append(Dependency(stage=f"new-{n}"))  # itself
        if rng.random() < 0.1:
            after.append(Dependency(stage="nowhere"))  # not a stage
        new = replace(stages[0], id=f"new-{n}", after=tuple(after))
        waited = rng.random() < 0.1 and stages
        if waited:  # something waits for it (a link made before it was added)
            i = rng.randrange(len(stages))
            stages[i] = replace(stages[i], after=(*stages[i].after, Dependency(stage=new.id)))
        stages.insert(rng.randrange(len(stages) + 1), new)
        plan = replace(plan, stages=tuple(stages))
        made.clear()
        preds, order = plan_order(plan)
        quick += not made
        assert not made or waited
        fresh = waits_for(plan)
        assert list(preds.items()) == list(fresh.items())
        assert order == topological(list(fresh), fresh)
        if order is None:
            plan = parse_plan(random_plan(seed, 20), with_lines=False)
    assert quick > 80


@pytest.mark.parametrize("seed", range(4))
def test_the_order_after_links_added_is_the_order_worked_out_afresh(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A link added to a stage that the order already dates before the stage that now
    waits for it (or a lag changed) keeps the order: it is given without working it out
    again, and it is the order worked out afresh.  Links added the other way, or taken
    away, have it worked out again."""
    made = _counted(monkeypatch)
    rng = random.Random(seed)
    plan = parse_plan(random_plan(seed, 40, window=8), with_lines=False)
    kept = 0
    for _ in range(120):
        preds, order = plan_order(plan)
        assert order is not None
        stages = list(plan.stages)
        for _ in range(rng.choice([1, 1, 2])):
            i = rng.randrange(len(stages))
            stage = stages[i]
            place = order.index(stage.id)
            kind = rng.random()
            if kind < 0.6 and place:  # a stage dated before it
                other = order[rng.randrange(place)]
                after = (*stage.after, Dependency(stage=other, lag_days=rng.choice([0, 2])))
            elif kind < 0.75 and stage.after:
                after = (replace(stage.after[0], lag_days=4), *stage.after[1:])
            elif kind < 0.85 and stage.after:
                after = stage.after[1:]
            else:  # anything: later, itself, twice, not in the plan
                other = rng.choice([rng.choice(order), stage.id, "nowhere"])
                after = (*stage.after, Dependency(stage=other), Dependency(stage=other))
            stages[i] = replace(stage, after=after)
        plan = replace(plan, stages=tuple(stages))
        made.clear()
        preds, order = plan_order(plan)
        kept += not made
        fresh = waits_for(plan)
        assert list(preds.items()) == list(fresh.items())
        assert order == topological(list(fresh), fresh)
        if order is None:
            plan = parse_plan(random_plan(seed, 40, window=8), with_lines=False)
    assert 20 < kept < 110
