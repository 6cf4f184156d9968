"""The ninth round's quicker ways in the review give what the plain ways give.

Each quick way is held to the plain one it stands for: the texts of a large plan gathered
by walks written out for each class, the hours of a costing added up at once, the people
with lived experience among a list kept as a tuple, a stage's deepest rung found by a
loop, and a rule's fix put in words when first read.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from coplan import costs
from coplan.model import Plan, Stage, Touchpoint
from coplan.planfile import load_plan
from coplan.plugins import all_rules
from coplan.review import engine, runner
from coplan.review.engine import Rule, Severity, make_rule
from coplan.schema import field_text, joined_texts_apart, joined_texts_apart_quick
from coplan.vocab import LADDER

ROOT = Path(__file__).resolve().parents[2]
PLANS = sorted([*(ROOT / "examples").glob("*.toml"), *(ROOT / "templates" / "plans").glob("*.toml"),
                ROOT / "tests" / "review" / "data" / "good-plan.toml"])
MINDS = ROOT / "examples" / "minds-discharge.toml"


def _entries(plan: Plan) -> list[Any]:
    """Every entry of a plan the review gathers texts of, and every table besides."""
    found: list[Any] = [*plan.stages, *plan.people, *plan.meetings, *plan.paid,
                        *plan.reflections, *plan.impact, *plan.log]
    found += [getattr(plan, f.name) for f in dataclasses.fields(plan)
              if dataclasses.is_dataclass(getattr(plan, f.name))]
    return found


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_the_written_out_walks_gather_the_plain_walks_texts(path: Path) -> None:
    plan = load_plan(path)
    for entry in _entries(plan):
        assert joined_texts_apart_quick(entry) == joined_texts_apart(entry)


_TEXTS = st.one_of(st.just(""), st.text(max_size=12))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_written_out_walks_gather_any_stage_as_the_plain_walk(data: st.DataObject) -> None:
    """Stages with texts, lists of texts and ids drawn at random (empty, odd characters,
    a text where a table may hold none)."""
    plan = load_plan(MINDS)
    stage = data.draw(st.sampled_from(plan.stages))
    tps = tuple(dataclasses.replace(
        tp, title=data.draw(_TEXTS), purpose=data.draw(_TEXTS), id=data.draw(_TEXTS),
        who=tuple(data.draw(st.lists(_TEXTS, max_size=3))),
        records=data.draw(st.sampled_from([tp.records, (), tp.records[:1]])))
        for tp in stage.touchpoints)
    stage = dataclasses.replace(stage, title=data.draw(_TEXTS), touchpoints=tps,
                                constrained=data.draw(_TEXTS))
    assert joined_texts_apart_quick(stage) == joined_texts_apart(stage)


def test_a_large_plan_is_reviewed_with_the_written_out_walks() -> None:
    """The review switches to them by the number of stages; the findings are the same."""
    plan = load_plan(MINDS)
    many = dataclasses.replace(plan, stages=tuple(
        dataclasses.replace(s, id=f"{s.id}-{k}", title=f"{s.title} {k}")
        for k in range(runner.QUICK_TEXTS // 10) for s in plan.stages))
    assert len(many.stages) >= runner.QUICK_TEXTS
    seen: list[bool] = []
    texts = engine.Shared.texts

    def spy(self: engine.Shared, item: object) -> tuple[str, str]:
        seen.append(self.quick)
        return texts(self, item)

    engine.Shared.texts = spy  # type: ignore[method-assign]
    try:
        runner.review(plan, registry=all_rules())
        runner.review(many, registry=all_rules())
    finally:
        engine.Shared.texts = texts  # type: ignore[method-assign]
    assert False in seen and True in seen


# -- the hours of a costing ------------------------------------------------------------------

_HOURS = st.one_of(st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 2.75, 0.8333333333333334,
                                    1 / 3, 0.1, 3.0]),
                   st.floats(min_value=0, max_value=2**21, allow_nan=False),
                   st.floats(allow_nan=True, allow_infinity=True))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.just(0.0), _HOURS), st.lists(st.lists(_HOURS, max_size=4).map(tuple),
                                                 max_size=30))
@example(-0.0, [])
@example(-0.0, [(-0.0,)])
@example(0.0, [(-0.0,)])
def test_the_hours_are_added_as_one_by_one_in_order(start: float,
                                                    in_turn: list[tuple[float, ...]]) -> None:
    total = start
    for hours in in_turn:
        for h in hours:
            total += h
    got = costs._hours(start, in_turn)
    assert got == total or (got != got and total != total)  # (nan is nan)
    if got == total:
        assert repr(got) == repr(total)  # (to the last bit, and -0.0 is not 0.0)


def test_the_hours_of_lengths_in_thirds_are_added_in_order() -> None:
    """50 minutes is 0.8333... hours: added in another order the sum differs in its last
    bit, so they are added in turn."""
    thirds = [(50 / 60,), (1 / 3,), (0.1,)] * 1000
    total = 0.0
    for (h,) in thirds:
        total += h
    assert costs._hours(0.0, thirds) == total


# -- who has lived experience ---------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["sam", "dev", "lee", "tendai", "nobody", "morag",
                                          "amara"]), max_size=5), max_size=8))
def test_lived_among_is_lived_in_as_a_tuple(lists: list[list[str]]) -> None:
    plan = load_plan(MINDS)
    for ids in lists * 2:
        expected = [p for p in plan.people if False] + [
            plan.person(i) for i in ids if (p := plan.person(i)) is not None and p.lived]
        assert plan.lived_among(tuple(ids)) == tuple(expected)
        assert plan.lived_among(ids) == tuple(expected)  # type: ignore[arg-type]
        assert plan.lived_in(tuple(ids)) == expected


# -- a stage's deepest rung -----------------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["", *(t.id for t in LADDER), "co_design"]), max_size=6))
def test_the_deepest_rung_is_the_first_of_the_highest(rungs: list[str]) -> None:
    plan = load_plan(MINDS)
    stage: Stage = plan.stages[0]
    tp: Touchpoint = stage.touchpoints[0]
    stage = dataclasses.replace(stage, touchpoints=tuple(
        dataclasses.replace(tp, ladder=rung) for rung in rungs))
    best = max((t for t in stage.touchpoints if t.ladder), key=lambda t: t.ladder_rank,
               default=None)
    assert stage.deepest_ladder == (best.ladder if best else None)


# -- a rule's fix in words ------------------------------------------------------------------

_FIXES = ["Set {governance.lead}.", "Tick {stage.touchpoint.access}, or {stage.constrained}.",
          "Record it in {paid} (y on the Delivery tab).", "{log} and {protocol.review}",
          "Nothing to fix.", "Say why in {stage.touchpoint.rung_reason}; {project.slow_down}"]


def _own_check(ctx: engine.Context) -> Any:
    return iter(())


_own_check.__module__ = "coplan.review.rules.made_here"


@pytest.mark.parametrize("first", ["fix", "fields", "repr", "eq", "copy"])
def test_a_rules_fix_put_in_words_when_first_read_is_as_if_at_once(first: str) -> None:
    """The fix and fields of coplan's own rules, however first read, are what
    ``field_text`` gives; the rule compares, hashes, prints and pickles as one made with
    them in words."""
    for n, fix in enumerate(_FIXES):
        rule = engine._made(f"CP-ONE-{n:03}", "A rule", Severity.INFO, _own_check, why="w",
                            fix=fix, sources=(), strict=None, personal=False, suggest="")
        raw = Rule.__dict__["fix"].slot.__get__(rule, Rule)
        assert (raw.__class__ is engine._Unworded) == ("{" in fix)
        words, fields = field_text(Plan, fix)
        eager = Rule(id=rule.id, title=rule.title, severity=rule.severity, why="w",
                     fix=words, sources=(), group="ONE", check=_own_check, fields=fields)
        if first == "fields":
            assert rule.fields == fields
        elif first == "repr":
            assert repr(rule) == repr(eager)
        elif first == "eq":
            assert rule == eager and hash(rule) == hash(eager)
        elif first == "copy":
            assert copy.copy(rule) == eager
        assert (rule.fix, rule.fields) == (words, fields)
        assert rule == eager and hash(rule) == hash(eager) and repr(rule) == repr(eager)
        assert dataclasses.replace(rule) == eager


def test_coplans_own_rules_put_their_fixes_in_words_when_first_read() -> None:
    lazy = [r for r in all_rules()
            if Rule.__dict__["fix"].slot.__get__(r, Rule).__class__ is engine._Unworded]
    for rule in all_rules():
        assert "{" not in rule.fix
    assert not [r for r in all_rules()
                if Rule.__dict__["fix"].slot.__get__(r, Rule).__class__ is engine._Unworded]
    assert len(lazy) <= len(all_rules())


def test_a_plugins_fix_naming_no_key_fails_where_the_rule_is_made() -> None:
    def check(ctx: engine.Context) -> Any:
        return iter(())

    with pytest.raises(KeyError, match="names no key"):
        make_rule("X-ONE-001", "A rule", Severity.INFO, check, why="why",
                  fix="Fix {governance.nothing_here} first.")
    made = make_rule("X-ONE-002", "A rule", Severity.INFO, check, why="why",
                     fix="Set {governance.lead}.")
    assert made.fields == ("governance.lead",) and "{" not in made.fix


def test_a_stage_rule_of_coplans_own_puts_its_fix_in_words_when_first_read() -> None:
    """A rule that looks at each stage on its own is one of coplan's own as its check of
    one stage is (its ``check`` is the module's), so its fix too is put in words only
    when first read: 23 of coplan's rules are such."""
    registry = engine.Registry()
    registry.stage_rule("CP-ONE-900", "A rule", Severity.INFO, why="w",
                        fix="Set {stage.touchpoint.access}.")(_own_stage_check)
    made = registry.get("CP-ONE-900")
    assert made is not None and made.check.__module__ == _own_stage_check.__module__
    assert Rule.__dict__["fix"].slot.__get__(made, Rule).__class__ is engine._Unworded
    assert made.fix == field_text(Plan, "Set {stage.touchpoint.access}.")[0]
    staged = [r for r in all_rules() if r.per_stage is not None]
    assert len(staged) >= 20
    assert all(r.check.__module__ == r.per_stage.__module__ for r in staged)  # type: ignore[union-attr]


def _own_stage_check(ctx: engine.Context, stage: Stage) -> Any:
    return iter(())


_own_stage_check.__module__ = "coplan.review.rules.made_here"


def test_a_registry_updated_from_registries_holds_their_rules_in_report_order() -> None:
    """``Registry.update`` takes another registry's rules as it holds them (not sorted
    first); the registry made lists them in the order of reports all the same."""
    rules = list(all_rules())
    halves = engine.Registry(), engine.Registry()
    for n, each in enumerate(reversed(rules)):
        halves[n % 2].add(each)
    together = engine.Registry()
    for half in halves:
        together.update(half)
    assert list(together) == rules and len(together) == len(rules)
    other = engine.Registry()
    other.add(dataclasses.replace(rules[0], check=_own_check))
    with pytest.raises(ValueError, match="two rules share the id"):
        together.update(other)
