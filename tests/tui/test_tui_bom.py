"""The app on a plan saved with a byte-order mark: its own saves are recognised as its own
(the re-read after the watcher fires reads the file as the app first read it), another
copy's save comes in as a change, and the mark stays in the file."""

from __future__ import annotations

from pathlib import Path

from tui_support import SIZE, make_app

from coplan.fileio import BOM


def rename(app: object, stage: str, new: str) -> None:
    app.edit(f"renamed {stage}", lambda doc: doc.set_stage(stage, "title", new))  # type: ignore[attr-defined]


async def test_a_plan_with_a_bom_is_taken_in_as_any_other(plan_path: Path) -> None:
    plan_path.write_bytes(BOM + plan_path.read_bytes())
    sam = make_app(plan_path, watch=True, who="Sam")
    alex = make_app(plan_path, watch=True, who="Alex")
    async with sam.run_test(size=SIZE) as sam_pilot, alex.run_test(size=SIZE) as pilot:
        await sam_pilot.pause()
        await pilot.pause()
        rename(sam, "aims", "Sam's aims")
        assert await sam.save_now()
        # The watcher fires for Sam's own save: nothing to take in.
        assert await sam.take_in_changes()
        await sam_pilot.pause()
        assert not [n for n in sam._notifications if n.title == "The plan changed"]
        rename(alex, "design", "Alex's design")
        assert await alex.take_in_changes()
        await pilot.pause()
        assert alex.session.plan.stage("aims").title == "Sam's aims"  # type: ignore[union-attr]
        assert alex.session.plan.stage("design").title == "Alex's design"  # type: ignore[union-attr]
        assert await alex.save_now()
        assert not alex.session.dirty
    raw = plan_path.read_bytes()
    assert raw.startswith(BOM) and raw.count(BOM) == 1
    assert b"Sam's aims" in raw and b"Alex's design" in raw
