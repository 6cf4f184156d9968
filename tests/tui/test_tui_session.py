"""The editing core without any screen: edits, refusals, undo and redo, saving, and the
quick re-read of an edited plan (which must always agree with reading the whole file)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
from tui_support import ROOT, copy_example

from coplan.session import ChunkedToml, EditRefused, PlanSession

sys.path.insert(0, str(ROOT / "tests"))
from plangen import random_plan

PLANS = sorted([*(ROOT / "examples").glob("*.toml"), *(ROOT / "templates" / "plans").glob(
    "*.toml")])


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_chunked_reading_agrees_with_tomllib(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    chunked = ChunkedToml()
    assert chunked.loads(text) == tomllib.loads(text)
    edited = text.replace('title = "', 'title = "Changed: ', 1)
    assert chunked.loads(edited) == tomllib.loads(edited)


@pytest.mark.parametrize("seed", range(8))
def test_chunked_reading_agrees_on_generated_plans(seed: int) -> None:
    text = random_plan(seed, 60)
    assert ChunkedToml().loads(text) == tomllib.loads(text)


@pytest.mark.parametrize("text", [
    # a header inside a multi-line string is text, not a header
    '[project]\ntitle = "x"\nnotes = """\n[[stage]]\nid = "not a stage"\n"""\n',
    # a table declared twice is an error when the whole file is read
    '[project]\ntitle = "a"\n\n[project]\nstart = 2027-01-01\n',
    # a static array and an array of tables of the same name
    'stage = [{ id = "a" }]\n\n[[stage]]\nid = "b"\n',
    # a key before any header repeated by a table
    'project = 1\n\n[project]\ntitle = "x"\n',
    # a dotted header under another table's piece
    '[[stage]]\nid = "a"\n\n[project.slow_down]\nstage_buffer = "10%"\n\n[project]\ntitle = "x"\n',
])
def test_chunked_reading_gives_up_when_unsure(text: str) -> None:
    try:
        whole = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        whole = None
    got = ChunkedToml().loads(text)
    assert got is None or got == whole


def test_apply_undo_redo_and_save(tmp_path: Path) -> None:
    path = copy_example(tmp_path)
    original = path.read_text(encoding="utf-8")
    session = PlanSession.open(path)
    heard: list[str] = []
    session.listeners.append(heard.append)
    session.apply("renamed aims", lambda doc: doc.set_stage("aims", "title", "Our aims"))
    assert session.dirty and session.plan.stage("aims").title == "Our aims"  # type: ignore[union-attr]
    assert session.undo() == "renamed aims"
    assert session.text == original and not session.dirty
    assert session.redo() == "renamed aims"
    assert session.undo_stack and not session.redo_stack
    session.save()
    assert not session.dirty
    assert 'title = "Our aims"' in path.read_text(encoding="utf-8")
    assert heard == ["renamed aims", "undid: renamed aims", "redid: renamed aims"]
    assert session.undo() is not None and session.undo() is None


def test_an_edit_that_breaks_the_plan_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    session = PlanSession.open(copy_example(tmp_path))
    before = session.text
    with pytest.raises(EditRefused, match="loop"):
        session.apply("loop", lambda doc: doc.add_dependency("priorities", "evaluate"))
    assert session.text == before and not session.undo_stack
    with pytest.raises(EditRefused):
        session.apply("bad length", lambda doc: doc.set_stage("aims", "duration", "soon"))
    assert session.text == before
    session.apply("fine", lambda doc: doc.set_stage("aims", "title", "Still editable"))
    assert session.plan.stage("aims").title == "Still editable"  # type: ignore[union-attr]


def test_the_document_is_built_once_and_only_when_needed(tmp_path: Path) -> None:
    session = PlanSession.open(copy_example(tmp_path))
    assert session._document is None, "opening a plan to look at it needs no document"
    session.prepare()
    document = session.document
    session.apply("x", lambda doc: doc.set_stage("aims", "title", "A"))
    assert session.document is document


# -- a save that ran while the session went on changing (the app saves in a thread) ---------

def _retitle(text: str, stage: str, title: str) -> str:
    from coplan.edit import PlanDocument

    doc = PlanDocument(text)
    doc.set_stage(stage, "title", title)
    return doc.text()


def test_only_what_was_written_is_marked_saved(tmp_path: Path) -> None:
    session = PlanSession.open(copy_example(tmp_path))
    session.apply("renamed aims", lambda doc: doc.set_stage("aims", "title", "Our aims"))
    sent = session.text  # the save begins with this text ...
    session.apply("renamed design", lambda doc: doc.set_stage("design", "title", "Later"))
    session.mark_saved(sent, sent)  # ... and writes it, while the session went on
    assert session.saved_text == sent
    assert session.dirty, "the edit made while saving is still to be saved"
    assert session.plan.stage("design").title == "Later"  # type: ignore[union-attr]


def test_others_changes_merged_by_a_save_join_the_edits_made_meanwhile(tmp_path: Path) -> None:
    session = PlanSession.open(copy_example(tmp_path))
    session.apply("renamed aims", lambda doc: doc.set_stage("aims", "title", "Our aims"))
    sent = session.text
    session.apply("renamed design", lambda doc: doc.set_stage("design", "title", "Later"))
    written = _retitle(sent, "recruit", "Someone else's recruiting")  # merged on saving
    session.mark_saved(sent, written)
    assert session.saved_text == written
    plan = session.plan
    assert plan.stage("recruit").title == "Someone else's recruiting"  # type: ignore[union-attr]
    assert plan.stage("design").title == "Later"  # type: ignore[union-attr]
    assert plan.stage("aims").title == "Our aims"  # type: ignore[union-attr]
    assert session.dirty


def test_a_clash_with_edits_made_while_saving_is_left_for_the_next_save(tmp_path: Path) -> None:
    session = PlanSession.open(copy_example(tmp_path))
    session.apply("renamed aims", lambda doc: doc.set_stage("aims", "title", "Our aims"))
    sent = session.text
    session.apply("renamed design", lambda doc: doc.set_stage("design", "title", "Mine"))
    mine = session.text
    written = _retitle(sent, "design", "Theirs")  # someone else renamed it too
    session.mark_saved(sent, written)
    assert session.text == mine, "nothing of this copy's is overwritten"
    assert session.saved_text == sent, "the next save merges from here, and asks"


def test_a_save_with_nothing_new_changes_nothing_else(tmp_path: Path) -> None:
    session = PlanSession.open(copy_example(tmp_path))
    session.apply("renamed aims", lambda doc: doc.set_stage("aims", "title", "Our aims"))
    sent = session.text
    written = _retitle(sent, "recruit", "Theirs")
    session.mark_saved(sent, written)
    assert session.text == written and not session.dirty
