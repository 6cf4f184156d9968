"""The rules that look across stages but read no dates (``Rule.undated``) are not run again
after an edit that changes only stages' lengths and links: the app keeps what they found
(``review.runner.Kept``).  What the app shows must be what a review from scratch finds,
whatever the edits; and each rule marked so must find the same whatever the stages'
lengths and links and whatever the schedule (hypothesis)."""

from __future__ import annotations

import contextlib
import random
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tui_support import ROOT, TODAY

from coplan.model import Dependency
from coplan.planfile import parse_plan
from coplan.plugins import all_rules
from coplan.review import review
from coplan.review.engine import Context
from coplan.review.runner import Kept, dates_apart
from coplan.session import EditRefused, PlanSession

sys.path.insert(0, str(ROOT / "tests"))
from plangen import random_plan

RULES = all_rules()
UNDATED = [r for r in RULES if r.undated]
PLANS = sorted([*(ROOT / "examples").glob("*.toml"),
                ROOT / "templates" / "plans" / "research-study.toml"])


def test_the_rules_that_cost_most_are_marked() -> None:
    """The marking is what makes dating edits quick: these rules look across stages and
    cost most of what is kept (a slip here would not change a result, only the speed)."""
    assert {"CP-PRI-001", "CP-PRI-002", "CP-AGR-001", "CP-INC-009"} <= {r.id for r in UNDATED}
    assert all(r.per_stage is None for r in UNDATED)


def _findings(rule: Any, plan: Any, schedule: Any) -> list[tuple[Any, str]]:
    return list(rule.check(Context(plan=plan, schedule=schedule, rule=rule, today=TODAY)))


@pytest.mark.parametrize("path", [*PLANS, "generated"], ids=lambda p: getattr(p, "stem", p))
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(data=st.data())
def test_an_undated_rule_finds_the_same_whatever_the_lengths_links_and_schedule(
        tmp_path_factory: pytest.TempPathFactory, path: Path | str, data: st.DataObject
        ) -> None:
    if path == "generated":
        text = random_plan(data.draw(st.integers(0, 50), "seed"), 25)
    else:
        assert isinstance(path, Path)
        text = path.read_text(encoding="utf-8")
    plan = parse_plan(text, "plan.toml")
    from coplan.schedule import ScheduleError, schedule

    before = {r.id: _findings(r, plan, schedule(plan, today=TODAY)) for r in UNDATED}
    ids = [s.id for s in plan.stages]
    stages = []
    for stage in plan.stages:  # every stage's length and links, as anything (lines kept)
        after = tuple(Dependency(stage=data.draw(st.sampled_from(ids)),
                                 lag_days=data.draw(st.integers(0, 30)), line=d.line)
                      for d in stage.after[:1]) + stage.after[1:] \
            if data.draw(st.booleans()) else ()
        changed = replace(stage, duration_days=data.draw(st.integers(0, 400)), after=after)
        assert dates_apart(stage, changed)
        stages.append(changed)
    moved = replace(plan, stages=tuple(stages))
    try:  # the schedule of the stages so changed (or none, if their links make a loop)
        dated = schedule(moved, today=TODAY)
    except ScheduleError:
        dated = None
    for rule in UNDATED:
        assert _findings(rule, moved, dated) == before[rule.id], rule.id
        assert _findings(rule, moved, None) == before[rule.id], rule.id


def _dated_edit(rng: random.Random, session: PlanSession) -> tuple[str, Any]:
    ids = [s.id for s in session.plan.stages]
    sid, other = rng.choice(ids), rng.choice(ids)
    people = [p.id for p in session.plan.people]
    n = rng.randrange(1000)
    edits: list[tuple[str, Any]] = [
        ("length", lambda d: d.set_stage(sid, "duration", rng.choice(
            ["0d", "1d", "3d", "2w", "20d", "40w"]))),
        ("length", lambda d: d.set_stage(sid, "duration", f"{rng.randrange(1, 30)}d")),
        ("link", lambda d: d.add_dependency(sid, other)),
        ("link", lambda d: d.add_dependency(sid, other, lag=f"{rng.randrange(0, 5)}d")),
        ("unlink", lambda d: d.remove_dependency(sid, other)),
        # Now and then an edit of another kind, after which everything is reviewed again.
        ("title", lambda d: d.set_stage(sid, "title", f"Stage about Alex {n}")),
        ("notes", lambda d: d.set_stage(sid, "notes", f"Call 07700 900{n:03d}")),
        ("phase", lambda d: d.set_stage(sid, "phase", rng.choice(["design", "analysis"]))),
    ]
    if people:
        who = rng.choice(people)
        edits.append(("role", lambda d: d.set_person(who, "role", rng.choice(
            ["Interviewee in the study", "Co-researcher"]))))
    weights = [6, 6, 4, 3, 3, 1, 1, 1, *([1] if people else [])]
    return rng.choices(edits, weights)[0]


@pytest.mark.parametrize("path", [*PLANS[:3], "generated"], ids=lambda p: getattr(p, "stem", p))
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(seed=st.integers(0, 10**6))
def test_findings_kept_over_dating_edits_are_a_review_from_scratch(
        tmp_path_factory: pytest.TempPathFactory, path: Path | str, seed: int) -> None:
    """Random lengths and links (and now and then another edit, and undo and redo): after
    each, the app's review is a review of the same plan and schedule with nothing kept,
    finding for finding and in the same order; and the kept findings were used."""
    folder = tmp_path_factory.mktemp("undated")
    plan_path = folder / "plan.toml"
    plan_path.write_text(random_plan(seed % 40, 30) if path == "generated" else
                         Path(path).read_text(encoding="utf-8"), encoding="utf-8")
    rng = random.Random(seed)
    session = PlanSession.open(plan_path, today=TODAY, rules=RULES)
    used = 0
    original = Kept.kept_whole

    def spy(self: Kept, rule: Any) -> Any:
        nonlocal used
        found = original(self, rule)
        used += found is not None
        return found

    Kept.kept_whole = spy  # type: ignore[method-assign]
    try:
        for _ in range(12):
            if session.undo_stack and rng.random() < 0.1:
                session.undo()
            elif session.redo_stack and rng.random() < 0.1:
                session.redo()
            else:
                what, edit = _dated_edit(rng, session)
                with contextlib.suppress(EditRefused):
                    session.apply(what, edit)
            plain = review(session.plan, session.schedule, registry=RULES, today=TODAY)
            assert session.report.findings == plain.findings
    finally:
        Kept.kept_whole = original  # type: ignore[method-assign]
    if not session.plan.marked:  # a plan with placeholder marks is reviewed in full
        assert used > 0


def test_an_edit_that_moves_a_line_is_reviewed_afresh(tmp_path: Path) -> None:
    """A length written in a new way that takes more lines, or anything that moves the
    lines below it, is no edit of lengths alone: the findings carry lines."""
    path = tmp_path / "plan.toml"
    path.write_text(random_plan(3, 20), encoding="utf-8")
    session = PlanSession.open(path, today=TODAY, rules=RULES)
    kept = session._review
    sid = session.plan.stages[5].id
    session.apply("length", lambda d: d.set_stage(sid, "duration", "17d"))
    assert kept.dates_only
    session.apply("notes", lambda d: d.set_stage(sid, "notes", "One line\nand another"))
    assert not kept.dates_only
    plain = review(session.plan, session.schedule, registry=RULES, today=TODAY)
    assert session.report.findings == plain.findings


def test_a_stage_whose_lines_moved_is_not_apart_only_in_dates() -> None:
    """Findings carry lines, and ``key_lines`` are left out of an item's equality: a stage
    (or a touchpoint in it) whose keys moved to other lines is not a dating edit."""
    plan = parse_plan((ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8"),
                      "plan.toml")
    stage = next(s for s in plan.stages if s.touchpoints and s.key_lines)
    moved = {key: line + 1 for key, line in stage.key_lines.items()}
    assert dates_apart(stage, replace(stage, duration_days=stage.duration_days + 3))
    assert not dates_apart(stage, replace(stage, key_lines=moved))
    tp = stage.touchpoints[0]
    shifted = replace(tp, key_lines={key: line + 1 for key, line in tp.key_lines.items()})
    assert not dates_apart(stage, replace(stage, touchpoints=(shifted, *stage.touchpoints[1:])))
    assert not dates_apart(stage, replace(stage, title=stage.title + "!"))


def test_a_text_naming_someone_moved_down_a_list_is_reported_at_its_new_place(
        tmp_path: Path) -> None:
    """The hidden-names rule keeps what it found in each entry the loader kept; an entry
    of a list without ids (the log) moves down when an entry is added above it: the
    finding must be at its new place, as a review from scratch has it."""
    from coplan import agreed
    from coplan.review.rules import privacy_text

    text = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")
    entry = '[[log]]\ndate = 2026-10-12\nwhat = "Sam said the forms were too long."\n\n'
    at = text.index("[[log]]")
    path = tmp_path / "plan.toml"
    path.write_text(text[:at] + entry + text[at:], encoding="utf-8")
    session = PlanSession.open(path, today=TODAY, rules=RULES)
    before = [f.message for f in session.report.findings if f.rule == "CP-PRI-001"]
    assert any("decision log entry 'S. said the forms" in m for m in before)
    moved = text[:at] + entry.replace("Sam said", "We heard") + entry + text[at:]
    session.replace_text(moved, "a log entry above")
    privacy_text._ENTRIES[0] = {}
    agreed._ENTRIES[0] = {}
    fresh = PlanSession(path, session.text, today=TODAY, rules=RULES)
    assert session.report.findings == fresh.report.findings
    assert any("'S. said the forms" in f.message for f in session.report.findings
               if f.rule == "CP-PRI-001")
