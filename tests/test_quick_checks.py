"""The quick ways of reading a plan and making its copy for others say what the plain ways
say: the walk that only looks up the ids a plan names finds a problem exactly when
gathering every one of them (with where it is written) and checking each does; the steps
the loader visits for a set of keys are those it worked out key by key; a text is
redacted as every pattern applied in turn redacts it; and the stages' order taken as
written is the order Kahn's algorithm gives."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.graph import topological
from coplan.model import Dependency, Plan, Stage, Touchpoint
from coplan.planfile import (
    _TABLE,
    _TABLES,
    _Ids,
    _linked_of,
    _Loader,
    _references_fine,
    _walk_of,
    load_plan,
)
from coplan.privacy import _DIGIT, _PHONE, EMAIL, _phone, redaction
from coplan.schema import Links, schema_of

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted([*ROOT.glob("examples/*.toml"), *ROOT.glob("templates/plans/*.toml")])
_PLANS: dict[Path, Plan] = {}


def _plan(path: Path) -> Plan:
    if path not in _PLANS:
        _PLANS[path] = load_plan(path, with_lines=False)
    return _PLANS[path]


# -- references ---------------------------------------------------------------------------

def _pools(plan: Plan) -> dict[str, list[str]]:
    """Ids of each kind in ``plan`` (and nothing, for a person), and under "": ids of
    every kind, ids in none, and nothing."""
    ids = _Ids(plan)
    decisions = [d.id for s in plan.stages for d in s.decisions]
    pools = {"person": [*ids.people, ""], "stage": list(ids.stages),
             "touchpoint": list(ids.touchpoints),
             "activity": [*ids.touchpoints, *ids.meetings], "meeting": list(ids.meetings),
             "decision": decisions}
    pools[""] = [*ids.people, *ids.stages, *ids.touchpoints, *ids.meetings, *decisions,
                 "nobody", "gone-stage", "x.1", ""]
    return pools


def _mutated(item: Any, rng: random.Random, pools: dict[str, list[str]], share: float) -> Any:
    """``item`` with some of the ids it (and every item inside it) names put at random:
    mostly ids of the kind the key names, now and then any other."""
    changes: dict[str, Any] = {}

    def one(kind: str) -> str:
        if kind == "activity" and pools["meeting"] and rng.random() < 0.5:
            kind = "meeting"  # (a plan has far fewer meetings than touchpoints)
        pool = pools[kind] if rng.random() < 0.9 and pools[kind] else pools[""]
        return rng.choice(pool)

    for field, _, how, ref_kind, kind in _linked_of(type(item)):
        value = getattr(item, field)
        if how is _TABLES:
            changes[field] = tuple(_mutated(c, rng, pools, share) for c in value)
        elif how is _TABLE:
            changes[field] = _mutated(value, rng, pools, share)
        elif ref_kind is not None and rng.random() < share:
            refs = [one(ref_kind) for _ in range(rng.randrange(3))]
            if isinstance(kind, Links):
                if rng.random() < 0.1:
                    refs.append(getattr(item, "id", ""))  # itself
                changes[field] = tuple(Dependency(stage=s) for s in refs)
            elif isinstance(value, tuple):
                changes[field] = tuple(refs)
            else:
                changes[field] = one(ref_kind)
    return replace(item, **changes) if changes else item


def _plain_problems(plan: Plan) -> list[tuple[Any, ...]]:
    """The problems ``check_references`` reported before the quick walk: every id
    gathered with where it is written, then each checked."""
    loader = _Loader({})
    found: list[tuple[Any, ...]] = []
    loader._references_in(plan, (), None, found)
    ids = _Ids(plan)
    for kind, ref, where, label, item, stage in found:
        loader.reference(kind, ref, where, label, item, stage, ids)
    return loader.r.problems


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**9), share=st.sampled_from([0.0, 0.01, 0.03, 0.1, 0.5]))
def test_the_quick_walk_finds_a_wrong_id_exactly_when_checking_each_does(
        path: Path, seed: int, share: float) -> None:
    plan = _plan(path)
    mutated = _mutated(plan, random.Random(seed), _pools(plan), share)
    problems = _plain_problems(mutated)
    assert _references_fine(mutated, None, _Ids(mutated)) == (not problems)
    # and the loader's check says what checking each said
    loader = _Loader({})
    loader.check_references(mutated)
    assert loader.r.problems == problems


def test_the_bundled_plans_name_ids_of_every_kind() -> None:
    """So that the test above changes references of every kind."""
    kinds = set()
    for path in BUNDLED:
        found: list[tuple[Any, ...]] = []
        _Loader({})._references_in(_plan(path), (), None, found)
        kinds |= {f[0] for f in found}
    assert kinds == {"person", "stage", "touchpoint", "activity", "decision"}


# -- the steps the loader visits ----------------------------------------------------------

@pytest.mark.parametrize("model", [Stage, Touchpoint, Plan])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_steps_visited_for_a_set_of_keys_are_those_worked_out_key_by_key(
        model: type, data: st.DataObject) -> None:
    walk = _walk_of(model)
    keys = [*schema_of(model).by_toml, "unknown", "Title"]
    written = data.draw(st.lists(st.sampled_from(keys), unique=True, max_size=12))
    table = dict.fromkeys(written, 1)
    index = walk.index
    places = [index.get(k) for k in written]
    plain = None if None in places else tuple(sorted({*walk.always, *places}))
    assert walk.visit(table) == plain
    assert walk.visit(table) == plain  # (as remembered)


# -- redacting a text ---------------------------------------------------------------------

_PEOPLE = """\
[project]
title = "Texts"
start = 2027-03-01

[[person]]
id = "amara"
name = "Amara Mensah"
kind = "lived-experience"

[[person]]
id = "le2"
kind = "carer"
"""

_WORDS = ["Amara", "mensah", "le2", "LE2", "call", "+44 7700 900123", "07700 900123",
          "0117 496 0000", "(0117) 496 0000", "123456789", "2027", "+", "0", "a@b.org",
          "amara@example.org", "Stage 10", " ", "\n", "٠١٢٣٤٥٦٧٨٩", "0٣٣٣٣٣٣٣٣"]


def _plain_text(hide: Any, text: str) -> str:
    """``Redaction.text`` as it was: every pattern applied in turn."""
    if not text:
        return text
    if "@" in text:
        text = EMAIL.sub("[email address removed]", text)
    if _DIGIT.search(text) is not None:
        text = _PHONE.sub(_phone, text)
    pattern, replacement = hide.names_pattern(), hide._words[1]
    if pattern is None:
        return text
    from coplan.privacy import _one_stop  # (initials ending a sentence end it once)

    return pattern.sub(
        lambda m: _one_stop(replacement[m.group(0)], m.group(0), text, m.end()), text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=8),
       st.sampled_from(["", " ", "-", "."]))
def test_a_text_is_redacted_as_every_pattern_in_turn_redacts_it(words: list[str],
                                                                 sep: str) -> None:
    from coplan.planfile import parse_plan

    hide = redaction(parse_plan(_PEOPLE, with_lines=False), "team")
    text = sep.join(words)
    assert hide.text(text) == _plain_text(hide, text)


def test_phone_numbers_and_names_are_still_taken_out() -> None:
    from coplan.planfile import parse_plan

    hide = redaction(parse_plan(_PEOPLE, with_lines=False), "team")
    said = hide.text("Amara (le2) on +44 7700 900123 or 0117 496 0000, amara@example.org")
    assert "Amara" not in said and "le2" not in said and not re.search(r"\d{4}", said)
    assert "example.org" not in said


# -- the stages' order --------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.integers(0, 30), st.integers(0, 10**9), st.sampled_from([0.0, 0.05, 0.3]))
def test_the_order_as_written_is_the_order_kahns_algorithm_gives(n: int, seed: int,
                                                                 back: float) -> None:
    """Graphs mostly waiting on nodes before them (as plans are written), some on nodes
    after, on themselves, on nodes not in the graph, twice on one node, or with a node
    left out of the links: the order is what the heap of ready nodes gives."""
    rng = random.Random(seed)
    nodes = [f"n{i}" for i in range(n)]
    preds: dict[str, list[str]] = {}
    for i, node in enumerate(nodes):
        if rng.random() < 0.1:
            continue  # (no entry: waits for nothing)
        links = [nodes[rng.randrange(i)] for _ in range(rng.randrange(3))] if i else []
        if rng.random() < back:
            links.append(rng.choice(nodes))  # later, or itself: maybe a loop
        if rng.random() < 0.1:
            links.append("elsewhere")
        if links and rng.random() < 0.1:
            links.append(links[0])
        preds[node] = links
    position = {node: i for i, node in enumerate(nodes)}
    assert topological(nodes, preds) == topological(nodes, preds, key=position.__getitem__)


# -- the entries of 'after' ---------------------------------------------------------------

def _plain_link_entries(value: Any) -> list[tuple[int, Any]]:
    """``schema.link_entries`` as it was."""
    from collections.abc import Mapping

    if isinstance(value, (str, Mapping)):
        return [(0, value)]
    if isinstance(value, list):
        return list(enumerate(value))
    return []


class _Listed(list):  # type: ignore[type-arg]
    """A list of another class (no plan is read as one; the decoding takes it alike)."""


_links = st.one_of(st.text(max_size=3), st.dictionaries(st.sampled_from(["stage", "lag"]),
                                                          st.text(max_size=3)))


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.lists(_links, max_size=4), st.lists(_links, max_size=4).map(_Listed),
                 _links, st.integers(), st.none(), st.tuples(st.text())))
def test_the_entries_of_after_are_what_decoding_them_gave(value: Any) -> None:
    from coplan.schema import link_entries

    assert link_entries(value) == _plain_link_entries(value)


# -- a stage's timing ---------------------------------------------------------------------

def _plain_timing(stage: Any, n: Any, cal: Any, origin: int) -> Any:
    """``schedule._timing`` as it was, every field named."""
    from coplan.schedule import StageTiming

    if stage.milestone:
        at = n.shown if n.driven and n.es > origin else n.es
        day = cal.date_at(at)
        late_at = n.ls - 1 if n.driven and n.ls > origin else n.ls
        late = cal.date_at(max(late_at, at))
        start = end = early_finish = day
        late_start = late_finish = late
    else:
        start = cal.date_at(n.es)
        end = early_finish = cal.date_at(n.ef - 1)
        late_start = cal.date_at(n.ls)
        late_finish = cal.date_at(n.lf - 1)
    total = n.ls - n.es
    return StageTiming(stage=stage, start=start, end=end, early_start=start,
                       early_finish=early_finish, late_start=late_start,
                       late_finish=late_finish, total_float=total, free_float=n.free,
                       critical=total == 0 and n.finished is None,
                       buffer_days=n.buffer, es=n.es, ef=n.ef)


@pytest.mark.parametrize("path", BUNDLED[:3], ids=lambda p: p.stem)
@pytest.mark.parametrize("slow", [True, False])
def test_each_stages_timing_is_what_naming_each_field_makes(path: Path, slow: bool) -> None:
    from datetime import date

    from coplan.schedule import _timing, schedule

    plan = _plan(path)
    sched = schedule(plan, slow_down=slow, today=date(2027, 6, 1))
    work = sched.work
    if work is None:  # (blocking checkpoints: the nodes are not kept)
        assert slow
        return
    for stage in plan.stages:
        node = work.nodes[stage.id]
        assert _timing(stage, node, sched.calendar, work.origin) == \
            _plain_timing(stage, node, sched.calendar, work.origin)
        assert sched.stages[stage.id] == _plain_timing(stage, node, sched.calendar,
                                                       work.origin)


# -- sessions -----------------------------------------------------------------------------

def _plain_sessions(plan: Any, timings: Any, cal: Any) -> list[Any]:
    """``schedule._sessions`` as it was: every session's day counted from its stage's."""
    from coplan.schedule import Session

    out = []
    for stage in plan.stages:
        timing = timings[stage.id]
        for tp in stage.touchpoints:
            dates = len(tp.when)
            for number, when in enumerate(tp.when, start=1):
                if when.anchor == "date" and when.on is not None:
                    day = when.on
                elif when.anchor == "end":
                    day = cal.date_at(cal.index(timing.end) + min(0, when.offset_days)) \
                        if not stage.milestone else timing.end
                else:
                    day = cal.date_at(cal.index(timing.start) + max(0, when.offset_days)) \
                        if not stage.milestone else timing.start
                out.append(Session(
                    id=tp.id if dates == 1 else f"{tp.id}.{number}", touchpoint=tp, stage=stage,
                    day=day, time=tp.time or plan.project.session_time,
                    length_minutes=tp.length_minutes, number=number, of=dates))
    out.sort(key=lambda s: (s.day, s.time, s.id))
    return out


_WHEN = ['"start"', '"end"', '"+1d"', '"-1d"', '"+2w"', '"-3d"', '"+0d"', '"-0d"',
         '["start", "end"]', '["start", "+1d", "-2d", "end"]']


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 40), st.booleans(), st.integers(0, 10**6))
def test_each_session_is_on_the_day_counted_from_its_stage(seed: int, n: int, slow: bool,
                                                          pick: int) -> None:
    """Stages starting and ending around holidays and closures, milestones, reality
    recorded: a session at a stage's start or end is on it, as counting says."""
    from datetime import date

    from coplan.planfile import parse_plan
    from coplan.schedule import _sessions, schedule
    from plangen import random_plan

    rng = random.Random(pick)
    text = re.sub(r'(?m)^  when = .*$', lambda m: f"  when = {rng.choice(_WHEN)}",
                  random_plan(seed, n, closures=4))
    text = re.sub(r'(?m)^duration = "\d+d"$',
                  lambda m: 'duration = "0d"' if rng.random() < 0.2 else m.group(0), text)
    plan = parse_plan(text, with_lines=False)
    sched = schedule(plan, slow_down=slow, today=date(2027, 6, 1))
    assert _sessions(plan, sched.stages, sched.calendar) == \
        _plain_sessions(plan, sched.stages, sched.calendar)
    assert sched.sessions == _plain_sessions(plan, sched.stages, sched.calendar)


# -- how an item is named in messages ----------------------------------------------------

def _models() -> list[type]:
    from coplan.schema import places

    return sorted({p.model for p in places(Plan)} | {Dependency}, key=lambda m: m.__name__)


@pytest.mark.parametrize("model", _models(), ids=lambda m: m.__name__)
@given(n=st.integers(1, 5000), parent=st.text(max_size=12), found=st.text(max_size=8))
def test_an_item_is_named_as_filling_in_its_shape_names_it(model: type, n: int,
                                                           parent: str, found: str) -> None:
    """The loader's quick names (a name with nothing to fill in taken as it is, a name
    after the id the same text as before it) are what filling in the shape gives."""
    walk = _walk_of(model)
    shape = schema_of(model).shape
    before = shape.anonymous.format(n=n, parent=parent, id="", name="")
    quick = walk.anonymous or shape.anonymous.format(n=n, parent=parent, id="", name="")
    assert quick == before
    if shape.named and found:
        after = shape.named.format(n=n, parent=parent, id=found, name=found)
        assert (quick if walk.named is not None else after) == after
