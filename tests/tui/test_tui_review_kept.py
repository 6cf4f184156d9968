"""The Review tab after edits of lengths and links (whose cross-stage findings that read
no dates are kept, ``review.runner.Kept``) shows what an app opening the edited file
afresh shows: the summary and the list of findings on screen (the breaking of a kept
finding, such as marking a rule that reads dates as one that does not, makes it fail)."""

from __future__ import annotations

import random
from pathlib import Path

from textual.geometry import Region
from textual.widgets import Static
from tui_support import SIZE, copy_example, make_app

from coplan.review.runner import Kept
from coplan.tui.widgets.review_panel import ReviewPanel


def on_screen(app: object) -> tuple[object, ...]:
    panel = app.query_one(ReviewPanel)  # type: ignore[attr-defined]
    lines = panel.render_lines(Region(0, 0, panel.size.width, panel.size.height))
    summary = str(app.query_one("#review-summary", Static).render())  # type: ignore[attr-defined]
    # The words of each line that shows something (the row the cursor is on, and the
    # panel's height, may differ: the app keeps the finding chosen before the edit, and
    # the line that says what was done)
    words = ["".join(s.text for s in line) for line in lines]
    return [w for w in words if w.strip("█ ")], summary


async def test_the_review_after_lengths_and_links_changed_is_the_review_opened_afresh(
        tmp_path: Path) -> None:
    used: list[object] = []
    original = Kept.kept_whole

    def spy(self: Kept, rule: object) -> object:
        found = original(self, rule)  # type: ignore[arg-type]
        used.append(found)
        return found

    (tmp_path / "edited").mkdir()
    path = copy_example(tmp_path / "edited")
    rng = random.Random(4)
    app = make_app(path)
    Kept.kept_whole = spy  # type: ignore[assignment,method-assign]
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("3")
            await pilot.pause()
            for step in range(6):
                ids = [s.id for s in app.session.plan.stages]
                sid = rng.choice(ids[1:])
                if step % 3 == 2:
                    other = rng.choice(ids[:ids.index(sid)])
                    app.edit("l", lambda d, sid=sid, other=other: d.add_dependency(sid, other))
                else:
                    length = rng.choice(["4w", "3d", "0d", "12d", "2w"])
                    app.edit("d", lambda d, sid=sid, length=length: d.set_stage(
                        sid, "duration", length))
                await pilot.pause()
                shown = on_screen(app)
                (tmp_path / str(step)).mkdir()
                again = tmp_path / str(step) / path.name
                again.write_text(app.session.text, encoding="utf-8")
                afresh = make_app(again)
                async with afresh.run_test(size=SIZE) as other_pilot:
                    await other_pilot.pause()
                    await other_pilot.press("3")
                    await other_pilot.pause()
                    assert shown == on_screen(afresh), step
    finally:
        Kept.kept_whole = original  # type: ignore[method-assign]
    assert any(found is not None for found in used)
