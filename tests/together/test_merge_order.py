"""A stage moved up the file by one person and other edits saved meanwhile by another:
the merge keeps both, the order and the edits, whichever side saved first."""

from __future__ import annotations

from pathlib import Path

from coplan.edit import PlanDocument
from coplan.merge import merge

PLAN = (Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml").read_text(
    encoding="utf-8")


def _both(*edits) -> str:  # type: ignore[no-untyped-def]
    doc = PlanDocument(PLAN)
    for edit in edits:
        edit(doc)
    return doc.text()


def move(doc: PlanDocument) -> None:
    doc.move_stage("interviews", -1)


def lengths(doc: PlanDocument) -> None:
    doc.set_stage("analysis", "duration", "8w")
    doc.set_stage("interviews", "duration", "7w")


def test_my_move_and_their_edits_are_both_kept() -> None:
    result = merge(PLAN, _both(move), _both(lengths))
    assert not result.conflicts
    assert result.text == _both(move, lengths)


def test_their_move_and_my_edits_are_both_kept() -> None:
    result = merge(PLAN, _both(lengths), _both(move))
    assert not result.conflicts
    assert result.text == _both(move, lengths)


def test_when_both_reorder_the_saved_order_stands() -> None:
    mine = _both(move)
    theirs = _both(lambda d: d.move_stage("analysis", -1))
    result = merge(PLAN, mine, theirs)
    assert not result.conflicts
    assert result.text == theirs
