"""The cases an adversarial run of several people saving one plan found, one test each:
additions on both sides, merges that would break the plan, comments that must move with
their tables exactly once, saves under contention, and links."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coplan import sync
from coplan.edit import PlanDocument
from coplan.merge import merge, resolve
from coplan.planfile import parse_plan
from coplan.sync import plan_problems, save_merged

ROOT = Path(__file__).resolve().parents[2]
MINDS = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")
WORKSHOP = (ROOT / "examples" / "teaching-workshop.toml").read_text(encoding="utf-8")


def edited(text: str, change: Callable[[PlanDocument], object]) -> str:
    doc = PlanDocument(text)
    change(doc)
    out = doc.text()
    parse_plan(out)  # each side on its own is a valid plan
    return out


def plan_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def touchpoints(text: str, stage: str) -> dict[str, str]:
    found = parse_plan(text).stage(stage)
    assert found is not None
    return {t.id: t.format for t in found.touchpoints}


# -- additions on both sides ------------------------------------------------------------

def test_two_touchpoints_added_with_the_same_id_are_both_kept(tmp_path: Path) -> None:
    # The app names a new touchpoint after its stage and its place: both people get aims-3.
    a = edited(MINDS, lambda d: d.add_touchpoint("aims", {"id": "aims-3", "format": "survey"}))
    b = edited(MINDS, lambda d: d.add_touchpoint("aims", {"id": "aims-3",
                                                          "format": "interview-panel"}))
    path = plan_file(tmp_path, MINDS)
    assert save_merged(path, MINDS, a, who="sam", instance="a").written
    outcome = save_merged(path, MINDS, b, who="alex", instance="b")
    assert outcome.written and not outcome.conflicts
    found = touchpoints(path.read_text(encoding="utf-8"), "aims")
    assert found["aims-3"] == "survey"
    assert found["aims-4"] == "interview-panel"


def test_the_same_addition_on_both_sides_is_kept_once() -> None:
    add = edited(MINDS, lambda d: d.add_touchpoint("aims", {"id": "aims-3", "format": "survey"}))
    both = edited(add, lambda d: d.set_stage("design", "notes", "Agreed in the room."))
    result = merge(MINDS, add, both)
    assert result.clean
    assert list(touchpoints(result.text, "aims")).count("aims-3") == 1


def test_two_stages_with_the_same_title_are_both_kept() -> None:
    a = edited(MINDS, lambda d: d.add_stage("pilot", "Pilot", "2w", after=["design"]))
    b = edited(MINDS, lambda d: d.add_stage("pilot", "Pilot", "4w", after=["approvals"]))
    result = merge(MINDS, b, a, check=plan_problems)
    assert result.clean
    plan = parse_plan(result.text)
    pilots = [s for s in plan.stages if s.title == "Pilot"]
    assert sorted(s.id for s in pilots) == ["pilot", "pilot-2"]
    assert any("pilot-2" in c for c in result.changes)


def test_an_added_entry_that_my_other_changes_name_is_a_conflict_not_renamed() -> None:
    def mine(d: PlanDocument) -> None:
        d.add_stage("pilot", "Pilot", "2w", after=["design"])
        d.add_dependency("recruit", "pilot")

    a = edited(MINDS, lambda d: d.add_stage("pilot", "Pilot", "4w", after=["design"]))
    b = edited(MINDS, mine)
    result = merge(MINDS, b, a)
    assert [c.path for c in result.conflicts] == [("stage", "pilot", "duration")]
    assert "you wrote \"2w\", someone else wrote \"4w\"" in result.conflicts[0].describe()


# -- merges that would break the plan ----------------------------------------------------

def test_a_link_to_a_removed_stage_is_a_conflict_and_nothing_broken_is_written(
        tmp_path: Path) -> None:
    removed = edited(MINDS, lambda d: d.remove_stage("analysis"))
    linked = edited(MINDS, lambda d: d.add_dependency("implement", "analysis"))
    path = plan_file(tmp_path, MINDS)
    assert save_merged(path, MINDS, removed, who="sam", instance="a").written
    outcome = save_merged(path, MINDS, linked, who="alex", instance="b")
    assert not outcome.written
    assert [c.path for c in outcome.conflicts] == [("stage", "implement", "after")]
    assert "analysis" in outcome.conflicts[0].describe()
    assert "would not work" in outcome.conflicts[0].describe()
    assert path.read_text(encoding="utf-8") == removed  # nothing written
    settled = save_merged(path, MINDS, linked, who="alex", instance="b",
                          choices={("stage", "implement", "after"): "theirs"})
    assert settled.written
    plan = parse_plan(path.read_text(encoding="utf-8"))
    assert plan.stage("analysis") is None
    # Insisting on mine cannot write a broken plan either: it is asked again.
    path.write_text(removed, encoding="utf-8")
    again = save_merged(path, MINDS, linked, who="alex", instance="b",
                        choices={("stage", "implement", "after"): "mine"})
    assert not again.written and again.conflicts


def test_two_links_that_make_a_loop_are_a_conflict() -> None:
    # Each link alone is fine (share-back and implement both follow recommendations).
    b = edited(MINDS, lambda d: d.add_dependency("share-back", "implement"))
    c = edited(MINDS, lambda d: d.add_dependency("implement", "share-back"))
    result = merge(MINDS, c, b, check=plan_problems)
    assert not result.clean
    assert [x.path for x in result.conflicts] == [("stage", "implement", "after")]
    assert "loop" in result.conflicts[0].problem or "each other" in result.conflicts[0].problem


def test_a_removed_person_added_to_a_list_is_a_conflict() -> None:
    # (Gareth is named in no record of what happened, so he can be removed.)
    removed = edited(MINDS, lambda d: d.remove_person("gareth"))
    listed = edited(MINDS, lambda d: d.set_touchpoint("aims", 1, "who",
                                                      ["dev", "tendai", "amara", "gareth"]))
    result = merge(MINDS, listed, removed, check=plan_problems)
    assert not result.clean
    assert result.conflicts[0].path[:2] == ("stage", "aims")
    assert "gareth" in result.conflicts[0].problem
    settled = resolve(MINDS, listed, removed, {c.path: "theirs" for c in result.conflicts},
                      check=plan_problems)
    assert settled.clean
    parse_plan(settled.text)


def test_without_a_check_the_merge_is_as_before() -> None:
    removed = edited(MINDS, lambda d: d.remove_stage("analysis"))
    linked = edited(MINDS, lambda d: d.add_dependency("implement", "analysis"))
    assert merge(MINDS, linked, removed).clean  # the text merge alone cannot see it
    assert plan_problems(merge(MINDS, linked, removed).text)


# -- comments move with their tables exactly once ----------------------------------------

def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


@pytest.mark.parametrize("base", [MINDS, WORKSHOP], ids=["minds", "workshop"])
def test_concurrent_additions_write_each_comment_once(tmp_path: Path, base: str) -> None:
    path = plan_file(tmp_path, base)
    stages = PlanDocument(base).stage_ids()
    for n in range(10):
        def change(d: PlanDocument, n: int = n) -> None:
            d.add_person({"id": f"p{n}", "name": f"Person {n}", "kind": "carer"})
            d.add_stage(f"s{n}", f"Stage {n}", "1w", after=[stages[n % len(stages)]])
            d.add_touchpoint(stages[n % len(stages)], {"id": f"t{n}", "format": "survey"})
            d.add_entry("log", {"date": date(2027, 1, 1), "what": f"Decision {n}"})
        outcome = save_merged(path, base, edited(base, change), who=f"w{n}", instance=str(n))
        assert outcome.written, outcome.conflicts
    final = path.read_text(encoding="utf-8")
    assert sorted(comment_lines(final)) == sorted(comment_lines(base))
    plan = parse_plan(final)
    assert {f"p{n}" for n in range(10)} <= {p.id for p in plan.people}
    assert {f"s{n}" for n in range(10)} <= {s.id for s in plan.stages}


def test_a_removal_keeps_the_banner_above_it_once() -> None:
    first = str(PlanDocument(MINDS).meetings()[0]["id"])
    removed = edited(MINDS, lambda d: d.remove_meeting(first))
    added = edited(MINDS, lambda d: d.add_person({"id": "zed", "name": "Zed", "kind": "carer"}))
    for mine, theirs in ((removed, added), (added, removed)):
        result = merge(MINDS, mine, theirs, check=plan_problems)
        assert result.clean, result.conflicts
        assert sorted(comment_lines(result.text)) == sorted(comment_lines(removed))


# -- saves under contention wait, and succeed ---------------------------------------------

def test_a_save_that_others_keep_overtaking_still_succeeds(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    path = plan_file(tmp_path, MINDS)
    held = [False]
    real_locked = sync.locked
    real_merge = sync.merge
    overtaken = [0]

    @contextlib.contextmanager
    def locked(*args: Any, **kwargs: Any) -> Iterator[None]:
        with real_locked(*args, **kwargs):
            held[0] = True
            try:
                yield
            finally:
                held[0] = False

    def merge_then_someone_saves(*args: Any, **kwargs: Any) -> Any:
        result = real_merge(*args, **kwargs)
        if not held[0]:  # another person saves while this one merges, every time it can
            overtaken[0] += 1
            disk = path.read_text(encoding="utf-8")
            path.write_text(edited(disk, lambda d: d.add_person(
                {"id": f"other{overtaken[0]}", "name": "Other", "kind": "carer"})),
                encoding="utf-8")
        return result

    monkeypatch.setattr(sync, "locked", locked)
    monkeypatch.setattr(sync, "merge", merge_then_someone_saves)
    told: list[str] = []
    path.write_text(edited(MINDS, lambda d: d.set_stage("design", "notes", "first")),
                    encoding="utf-8")
    mine = edited(MINDS, lambda d: d.set_stage("aims", "notes", "Mine, saved at last"))
    outcome = save_merged(path, MINDS, mine, who="sam", instance="a", waiting=told.append)
    assert outcome.written
    assert overtaken[0] >= 3  # overtaken on every try outside the lock
    assert told  # the person was told that others' saves came first
    plan = parse_plan(path.read_text(encoding="utf-8"))
    assert plan.stage("aims").notes == "Mine, saved at last"  # type: ignore[union-attr]
    assert all(plan.person(f"other{n}") is not None for n in range(1, overtaken[0] + 1))


# -- links ----------------------------------------------------------------------------

def test_link_edits_on_both_sides_are_all_kept() -> None:
    a = edited(WORKSHOP, lambda d: d.remove_dependency("run-1", "rehearsal"))
    b = edited(WORKSHOP, lambda d: d.set_stage("run-1", "notes", "Room booked."))
    result = merge(WORKSHOP, a, b, check=plan_problems)
    assert result.clean
    run = parse_plan(result.text).stage("run-1")
    assert run is not None and run.notes == "Room booked." and not run.after
    # One puts the link back with a lag while the other changes the same stage.
    again = edited(a, lambda d: d.add_dependency("run-1", "rehearsal", "1w"))
    other = edited(a, lambda d: d.set_stage("run-1", "title", "First run"))
    result = merge(a, again, other, check=plan_problems)
    assert result.clean
    run = parse_plan(result.text).stage("run-1")
    assert run is not None and run.title == "First run"
    assert [link.stage for link in run.after] == ["rehearsal"]


def test_a_removal_that_clashes_with_an_edit_keeps_the_banner_once(tmp_path: Path) -> None:
    first = str(PlanDocument(MINDS).meetings()[0]["id"])
    removed = edited(MINDS, lambda d: d.remove_meeting(first))
    changed = edited(MINDS, lambda d: d.set_meeting(first, "title", "The management group"))
    path = plan_file(tmp_path, changed)
    outcome = save_merged(path, MINDS, removed, who="sam", instance="a")
    assert [c.path for c in outcome.conflicts] == [("meeting", first)]
    assert "you removed it" in outcome.conflicts[0].describe()
    settled = save_merged(path, MINDS, removed, who="sam", instance="a",
                          choices={("meeting", first): "theirs"})
    assert settled.written
    text = path.read_text(encoding="utf-8")
    assert comment_lines(text) == comment_lines(changed)
    assert any(m.id == first for m in parse_plan(text).meetings)


def test_a_link_written_as_an_inline_table_is_merged_as_one_value() -> None:
    """``after = { stage = "rehearsal", lag = "1w" }``: one person adds a second link (the
    table becomes a list), another retitles the stage; the link to rehearsal was lost."""
    base = WORKSHOP.replace('id = "run-1"', 'id = "run-1"', 1)
    base = base.replace('after = ["rehearsal"]\nnot_before',
                        'after = { stage = "rehearsal", lag = "1w" }\nnot_before', 1)
    assert parse_plan(base).stage("run-1").after[0].stage == "rehearsal"  # type: ignore[union-attr]
    first = PlanDocument(base).stage_ids()[0]
    linked = edited(base, lambda d: d.add_dependency("run-1", first))
    retitled = edited(base, lambda d: d.set_stage("run-1", "title", "First run"))
    for mine, theirs in ((linked, retitled), (retitled, linked)):
        result = merge(base, mine, theirs, check=plan_problems)
        assert result.clean, result.conflicts
        run = parse_plan(result.text).stage("run-1")
        assert run is not None and run.title == "First run"
        assert sorted(link.stage for link in run.after) == sorted(["rehearsal", first])


def test_links_with_lags_added_on_both_sides_are_all_kept() -> None:
    stages = PlanDocument(WORKSHOP).stage_ids()
    a = edited(WORKSHOP, lambda d: d.add_dependency("run-1", stages[0], "1w"))
    b = edited(WORKSHOP, lambda d: d.add_dependency("run-1", stages[1], "2w"))
    result = merge(WORKSHOP, a, b, check=plan_problems)
    assert result.clean, result.conflicts
    run = parse_plan(result.text).stage("run-1")
    assert run is not None
    assert sorted(link.stage for link in run.after) == sorted(["rehearsal", *stages[:2]])


def test_a_list_emptied_on_one_side_and_added_to_on_the_other() -> None:
    unlinked = edited(WORKSHOP, lambda d: d.remove_dependency("run-1", "rehearsal"))
    first = PlanDocument(WORKSHOP).stage_ids()[0]
    linked = edited(WORKSHOP, lambda d: d.add_dependency("run-1", first))
    for mine, theirs in ((unlinked, linked), (linked, unlinked)):
        result = merge(WORKSHOP, mine, theirs, check=plan_problems)
        assert result.clean, result.conflicts
        run = parse_plan(result.text).stage("run-1")
        assert run is not None and [link.stage for link in run.after] == [first]
