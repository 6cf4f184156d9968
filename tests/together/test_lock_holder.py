"""The plan's lock says who holds it, so a copy waiting for it can say whose save it waits
for ("waiting for Sam's save…"); it is told when the wait begins and when the holder
changes, and not at all when the lock is free."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from coplan.sync import LockTimeout, lock_holder, locked, save_merged

WAIT = 30.0


def test_a_waiting_copy_is_told_who_holds_the_lock(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('[project]\ntitle = "x"\n', encoding="utf-8")
    holding, release = threading.Event(), threading.Event()

    def sam() -> None:
        with locked(plan, who="Sam"):
            holding.set()
            release.wait(WAIT)

    thread = threading.Thread(target=sam)
    thread.start()
    assert holding.wait(WAIT)
    assert lock_holder(plan) == "Sam"
    told: list[str] = []

    def waiting(holder: str) -> None:
        told.append(holder)
        release.set()  # Sam finishes as soon as Alex starts waiting

    with locked(plan, who="Alex", waiting=waiting):
        assert lock_holder(plan) == "Alex"
    thread.join(WAIT)
    assert told == ["Sam"]


def test_a_free_lock_tells_nobody(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    told: list[str] = []
    with locked(plan, who="Alex", waiting=told.append):
        pass
    assert told == []


def test_a_lock_held_too_long_times_out(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    told: list[str] = []

    def alex() -> None:
        with pytest.raises(LockTimeout), locked(plan, timeout=0.05, waiting=told.append):
            told.append("got it")

    with locked(plan, who="Sam"):
        thread = threading.Thread(target=alex)  # another descriptor, as another copy has
        thread.start()
        thread.join(WAIT)
    assert told == ["Sam"]


def test_a_merged_text_the_check_refuses_is_never_written(tmp_path: Path) -> None:
    from coplan.edit import PlanDocument
    from coplan.errors import PlanError, Problem

    source = Path(__file__).resolve().parents[2] / "examples" / "teaching-workshop.toml"
    base = source.read_text(encoding="utf-8")
    sid = PlanDocument(base).stage_ids()[0]

    def edited(key: str, value: str) -> str:
        doc = PlanDocument(base)
        doc.set_stage(sid, key, value)
        return doc.text()

    theirs, mine = edited("notes", "theirs"), edited("title", "Mine")
    plan = tmp_path / "plan.toml"
    plan.write_text(theirs, encoding="utf-8")  # someone else saved
    checked: list[str] = []

    def check(text: str) -> None:
        checked.append(text)
        if "theirs" in text and "Mine" in text:
            raise PlanError([Problem("plan.toml", 1, 1, "not both, say the rules")])

    outcome = save_merged(plan, base, mine, who="Alex", instance="x", check=check)
    assert not outcome.written
    assert [c.problem for c in outcome.conflicts] == ["not both, say the rules"]
    assert any("theirs" in t and "Mine" in t for t in checked), "the merged text is checked"
    assert plan.read_text(encoding="utf-8") == theirs, "not written"
