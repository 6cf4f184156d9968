"""A plan saved with a UTF-8 byte-order mark (as Notepad and some Windows editors save)
reads the same everywhere, so it equals its merge base: two copies editing it merge as
any plan does, and the mark is kept on every save."""

from __future__ import annotations

from pathlib import Path

from coplan.fileio import BOM, read_plan_text
from coplan.planfile import load_plan
from coplan.session import PlanSession
from coplan.sync import save_merged

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")


def bom_plan(folder: Path) -> Path:
    path = folder / "plan.toml"
    path.write_bytes(BOM + TEXT.encode("utf-8"))
    return path


def test_every_reader_gets_the_same_text(tmp_path: Path) -> None:
    plan = bom_plan(tmp_path)
    session = PlanSession.open(plan)
    assert session.saved_text == read_plan_text(plan) == TEXT
    assert load_plan(plan).project.title == load_plan(ROOT / "examples" /
                                                      "minds-discharge.toml").project.title
    # Unchanged on disk means "nobody else saved": no merge.
    outcome = save_merged(plan, TEXT, TEXT + "# mine\n", who="Sam", instance="a")
    assert outcome.written and not outcome.merged_from_others
    assert plan.read_bytes() == BOM + (TEXT + "# mine\n").encode("utf-8")


def test_two_copies_merge_and_the_mark_is_kept(tmp_path: Path) -> None:
    plan = bom_plan(tmp_path)
    sam = PlanSession.open(plan)
    alex = PlanSession.open(plan)
    sam.apply("renamed aims", lambda doc: doc.set_stage("aims", "title", "Sam's aims"))
    alex.apply("renamed design", lambda doc: doc.set_stage("design", "title", "Alex's design"))
    first = sam.save_together("Sam", "sam")
    assert first.written and not first.merged_from_others
    second = alex.save_together("Alex", "alex")
    assert second.written and second.merged_from_others and not second.conflicts
    raw = plan.read_bytes()
    assert raw.startswith(BOM) and not raw[len(BOM):].startswith(BOM)
    merged = load_plan(plan)
    assert merged.stage("aims").title == "Sam's aims"  # type: ignore[union-attr]
    assert merged.stage("design").title == "Alex's design"  # type: ignore[union-attr]
    # Sam's copy takes Alex's save in as a change, not as a rewrite of the whole file.
    absorbed = sam.absorb(read_plan_text(plan))
    assert not absorbed.conflicts
    assert sam.plan.stage("design").title == "Alex's design"  # type: ignore[union-attr]
    assert not sam.dirty
    sam.save()
    assert plan.read_bytes() == raw


def test_an_ordinary_save_keeps_the_mark_too(tmp_path: Path) -> None:
    plan = bom_plan(tmp_path)
    session = PlanSession.open(plan)
    session.apply("renamed", lambda doc: doc.set_project("title", "Renamed"))
    session.save()
    raw = plan.read_bytes()
    assert raw.startswith(BOM) and raw.count(BOM) == 1
    assert read_plan_text(plan) == session.saved_text
