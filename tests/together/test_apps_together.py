"""Two and five coplan apps in one test process edit the same plan at once.

Hypothesis writes the script: which app makes which edit, when each saves, and when each
takes in the others' saves (as its file watcher would).  Afterwards the file holds every
edit that did not clash, always parsed between steps, and a clash was shown to the person
(never written over).
"""

from __future__ import annotations

import asyncio
import shutil
from contextlib import AsyncExitStack
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coplan.planfile import load_plan, parse_plan
from coplan.tui.app import CoplanApp
from coplan.tui.screens.conflicts import ConflictScreen

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "teaching-workshop.toml"
STAGES = [s.id for s in load_plan(EXAMPLE).stages]


def make(path: Path, who: str) -> CoplanApp:
    app = CoplanApp(path, today=date(2027, 9, 1), cursor_blink=False, autosave_delay=3600,
                    watch=True, who=who)
    app.animation_level = "none"
    return app


async def play(path: Path, count: int, script: list[tuple[int, str, int]]) -> None:
    apps = [make(path, f"person {i}") for i in range(count)]
    expected: list[tuple[str, str]] = []
    async with AsyncExitStack() as stack:
        pilots = [await stack.enter_async_context(app.run_test(size=(100, 30)))
                  for app in apps]
        for pilot in pilots:
            await pilot.pause()
        for step, (who, action, _pick) in enumerate(script):
            app = apps[who % count]
            tag = f"{who % count}-{step}"
            if action == "person":
                app.edit("added a person", lambda doc, t=tag: doc.add_person(
                    {"id": f"p{t}", "name": f"Person {t}", "kind": "carer"}))
                expected.append(("person", f"p{tag}"))
            elif action == "term":
                app.edit("added a word", lambda doc, t=tag: doc.add_entry(
                    "protocol.term", {"term": f"word {t}", "meaning": "explained"}))
                expected.append(("term", f"word {tag}"))
            elif action == "notes":
                # Each app writes the notes of its own stage only: no clashes here.
                stage = STAGES[(who % count) % len(STAGES)]
                if who % count < len(STAGES):
                    app.edit("noted", lambda doc, s=stage, t=tag: doc.set_stage(
                        s, "notes", f"notes {t}"))
            elif action == "save":
                await app.save_now(quiet=True)
                await pilots[who % count].pause()
                parse_plan(path.read_text(encoding="utf-8"))  # the file always parses
            else:
                await app.take_in_changes()
                await pilots[who % count].pause()
        for app, pilot in zip(apps, pilots, strict=True):
            await app.take_in_changes()
            await pilot.pause()
            await app.save_now(quiet=True)
            await pilot.pause()
            assert not isinstance(app.screen, ConflictScreen), "no clash was expected here"
        final = load_plan(path)
        people = {p.id for p in final.people}
        words = {t.term for t in final.protocol.terms}
        for kind, key in expected:
            assert key in (people if kind == "person" else words), (kind, key)
        for i, app in enumerate(apps[:len(STAGES)]):
            stage = app.session.plan.stage(STAGES[i])
            on_disk = final.stage(STAGES[i])
            assert stage is not None and on_disk is not None
            assert on_disk.notes == stage.notes  # each app's last notes survived

        # Now a real clash: two apps change the same stage's title differently.
        first, second = apps[0], apps[1]
        await first.take_in_changes()
        await second.take_in_changes()
        first.edit("renamed", lambda doc: doc.set_stage(STAGES[0], "title", "First's title"))
        second.edit("renamed", lambda doc: doc.set_stage(STAGES[0], "title", "Second's title"))
        await first.save_now(quiet=True)
        await pilots[0].pause()
        await second.save_now(quiet=True)
        await pilots[1].pause()
        assert isinstance(second.screen, ConflictScreen), "the clash is shown to the person"
        assert load_plan(path).stage(STAGES[0]).title == "First's title"  # type: ignore[union-attr]


actions = st.sampled_from(["person", "term", "notes", "save", "take-in"])


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(script=st.lists(st.tuples(st.integers(0, 1), actions, st.integers(0, 9)),
                       min_size=3, max_size=14))
def test_two_apps_on_one_plan(tmp_path_factory, script) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("two") / "plan.toml"
    shutil.copyfile(EXAMPLE, path)
    asyncio.run(play(path, 2, script))


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(script=st.lists(st.tuples(st.integers(0, 4), actions, st.integers(0, 9)),
                       min_size=5, max_size=20))
def test_five_apps_on_one_plan(tmp_path_factory, script) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("five") / "plan.toml"
    shutil.copyfile(EXAMPLE, path)
    asyncio.run(play(path, 5, script))
