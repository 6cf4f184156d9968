"""Structure edits: moving a stage up or down the file, and copying a stage or a touchpoint.

A move carries the stage's whole block (its touchpoints, decisions and the comment lines
written straight above its header) and changes nothing else; banners with a blank line
under them stay where they are.  A copy is written straight after the original with a new
id and "(copy)" after its title, and starts without the original's delivery record.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from coplan.edit import EditError, PlanDocument
from coplan.model import Stage, Touchpoint
from coplan.planfile import parse_plan
from coplan.schema import Key, schema_of
from test_edit import BUNDLED, PLAN

COMMENTED = """\
[project]
title = "Order"
start = 2027-01-11

# -- stages --

[[stage]]
id = "a"
title = "A"
duration = "1w"

  # The first session.
  [[stage.touchpoint]]
  format = "workshop"

# -- the middle --

# B needs A's answers.
[[stage]]
id = "b"
title = "B"
duration = "1w"
after = ["a"]
[[stage]]
id = "c"
title = "C"
duration = "1w"

[[meeting]]
id = "m"
title = "M"
"""


def _ids(text: str) -> list[str]:
    return [s.id for s in parse_plan(text).stages]


def test_moving_a_stage_down_moves_its_whole_block_and_nothing_else() -> None:
    doc = PlanDocument(PLAN)
    doc.move_stage("design", 1)
    after = doc.text()
    assert _ids(after) == ["aims", "recruit", "design", "ethics"]
    assert Counter(after.splitlines()) == Counter(PLAN.splitlines())
    design = PLAN[PLAN.index('[[stage]]\nid = "design"'):PLAN.index('[[stage]]\nid = "recruit"')]
    recruit = PLAN[PLAN.index('[[stage]]\nid = "recruit"'):PLAN.index('[[stage]]\nid = "ethics"')]
    assert after == PLAN.replace(design + recruit, recruit + design)


def test_moving_a_stage_up_is_the_same_as_moving_the_one_above_down() -> None:
    up, down = PlanDocument(PLAN), PlanDocument(PLAN)
    up.move_stage("design", -1)
    down.move_stage("aims", 1)
    assert up.text() == down.text()
    assert _ids(up.text()) == ["design", "aims", "recruit", "ethics"]


def test_a_comment_written_above_a_stage_moves_with_it_and_banners_stay() -> None:
    doc = PlanDocument(COMMENTED)
    doc.move_stage("b", -1)
    assert doc.text() == """\
[project]
title = "Order"
start = 2027-01-11

# -- stages --

# B needs A's answers.
[[stage]]
id = "b"
title = "B"
duration = "1w"
after = ["a"]

# -- the middle --

[[stage]]
id = "a"
title = "A"
duration = "1w"

  # The first session.
  [[stage.touchpoint]]
  format = "workshop"
[[stage]]
id = "c"
title = "C"
duration = "1w"

[[meeting]]
id = "m"
title = "M"
"""
    doc.move_stage("b", 1)
    assert doc.text() == COMMENTED


def test_the_last_stage_of_a_file_without_a_final_line_break_moves_up() -> None:
    text = COMMENTED[:COMMENTED.index("[[meeting]]")].rstrip("\n")
    doc = PlanDocument(text)
    doc.move_stage("c", -1)
    assert _ids(doc.text()) == ["a", "c", "b"]


@pytest.mark.parametrize(("stage", "step", "said"), [
    ("aims", -1, "already the first stage"), ("ethics", 1, "already the last stage"),
    ("nowhere", 1, "no stage with the id")])
def test_a_move_past_the_ends_is_refused_and_changes_nothing(stage: str, step: int,
                                                            said: str) -> None:
    doc = PlanDocument(PLAN)
    with pytest.raises(EditError, match=said):
        doc.move_stage(stage, step)
    assert doc.text() == PLAN


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_every_stage_of_every_bundled_plan_moves_and_comes_back(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ids = _ids(text)
    for i, sid in enumerate(ids[1:], 1):
        doc = PlanDocument(text)
        doc.move_stage(sid, -1)
        moved = doc.text()
        assert _ids(moved) == [*ids[:i - 1], sid, ids[i - 1], *ids[i + 1:]]
        assert Counter(moved.splitlines()) == Counter(text.splitlines()) or \
            Counter(moved.splitlines()) - Counter(text.splitlines()) == Counter({"": 1})
        doc.move_stage(sid, 1)
        assert doc.text() == text, sid


def test_a_stage_moves_several_places() -> None:
    doc = PlanDocument(PLAN)
    doc.move_stage("ethics", -3)
    assert _ids(doc.text()) == ["ethics", "aims", "design", "recruit"]


# -- copies -------------------------------------------------------------------------------

def test_a_copied_stage_comes_straight_after_the_original() -> None:
    doc = PlanDocument(PLAN)
    assert doc.duplicate_stage("aims") == "aims-copy"
    plan = parse_plan(doc.text())
    assert [s.id for s in plan.stages] == ["aims", "aims-copy", "design", "recruit", "ethics"]
    copy, original = plan.stage("aims-copy"), plan.stage("aims")
    assert copy.title == "Agree the aims (copy)"
    assert copy.duration_days == original.duration_days
    assert [d.id for d in copy.decisions] == [d.id for d in original.decisions]
    assert [(t.format, t.who) for t in copy.touchpoints] == \
        [(t.format, t.who) for t in original.touchpoints]
    # The original's lines are untouched: the copy is added lines only.
    assert Counter(doc.text().splitlines()) - Counter(PLAN.splitlines()) == \
        Counter(PLAN[PLAN.index('[[stage]]\nid = "aims"'):
                     PLAN.index('[[stage]]\nid = "design"')].replace(
            'id = "aims"', 'id = "aims-copy"').replace(
            '"Agree the aims"', '"Agree the aims (copy)"').splitlines())
    doc.duplicate_stage("aims")
    assert "aims-copy-2" in _ids(doc.text())


def test_a_copy_starts_without_the_original_delivery_record() -> None:
    path = next(p for p in BUNDLED if p.stem == "minds-discharge")
    text = path.read_text(encoding="utf-8")
    plan = parse_plan(text)
    recorded = next(s for s in plan.stages
                    if s.started or any(t.records for t in s.touchpoints))
    doc = PlanDocument(text)
    new = doc.duplicate_stage(recorded.id)
    copy = parse_plan(doc.text()).stage(new)
    assert copy.started is None and copy.finished is None and copy.progress is None
    assert not any(t.records or t.achieved for t in copy.touchpoints)
    ids = [t.id for s in parse_plan(doc.text()).stages for t in s.touchpoints]
    assert len(ids) == len(set(ids))


def test_a_copied_touchpoint_comes_after_it_and_the_later_ones_keep_their_ids() -> None:
    text = PLAN.replace('  format = "document-review"\n  who = "sam"\n',
                        '  format = "document-review"\n  who = "sam"\n\n'
                        '  [[stage.touchpoint]]\n  format = "survey"\n  who = "sam"\n\n'
                        '    [[stage.touchpoint.record]]\n    session = 1\n'
                        '    status = "held"\n')
    before = parse_plan(text).stage("design").touchpoints
    assert [t.id for t in before] == ["design-1", "design-2"]
    doc = PlanDocument(text)
    assert doc.duplicate_touchpoint("design", 0) == 1
    after = parse_plan(doc.text()).stage("design").touchpoints
    assert [t.id for t in after] == ["design-1", "design-1-copy", "design-2"]
    assert [t.format for t in after] == ["document-review", "document-review", "survey"]
    assert after[2].records  # the survey kept its record, under the id it had
    doc.duplicate_touchpoint("design", 2)
    copy = parse_plan(doc.text()).stage("design").touchpoints[3]
    assert copy.id == "design-2-copy" and not copy.records


def test_a_touchpoint_with_a_title_is_copied_with_copy_after_it() -> None:
    text = PLAN.replace('  format = "community-event"\n',
                        '  title = "Open day"\n  format = "community-event"\n')
    doc = PlanDocument(text)
    doc.duplicate_touchpoint("recruit", 0)
    assert [t.title for t in parse_plan(doc.text()).stage("recruit").touchpoints] == \
        ["Open day", "Open day (copy)"]
    with pytest.raises(EditError, match="no touchpoint 4"):
        doc.duplicate_touchpoint("recruit", 3)


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_every_stage_and_touchpoint_of_every_bundled_plan_can_be_copied(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    plan = parse_plan(text)
    for stage in plan.stages:
        doc = PlanDocument(text)
        doc.duplicate_stage(stage.id)
        parse_plan(doc.text())
        for tp in stage.touchpoints:
            doc = PlanDocument(text)
            doc.duplicate_touchpoint(stage.id, tp.index)
            parse_plan(doc.text())


def test_every_key_that_records_what_happened_is_left_out_of_a_copy() -> None:
    """A key added later to the delivery record must be named in ``_DELIVERY_KEYS``."""
    for model, where in ((Stage, "stage"), (Touchpoint, "touchpoint")):
        recorded = {m.toml for m in schema_of(model).members
                    if "actually" in (m.spec.doc + getattr(m.spec, "label", "")).lower()
                    or (not isinstance(m.spec, Key) and "actually" in m.spec.doc.lower())}
        assert recorded, where
        assert recorded <= set(PlanDocument._DELIVERY_KEYS[where]), where
