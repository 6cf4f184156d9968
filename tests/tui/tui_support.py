"""Helpers for the app's tests (imported by the tests; conftest.py holds the fixtures)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
# The days the examples' delivery records run to (docs/running.md): opened on an earlier
# day, what they record would read as slips in the record (CP-DEL-011), not as their story.
TODAY = date(2027, 9, 10)  # MINDS at month eight, as `coplan demo` opens it
WORKSHOP_DAY = date(2027, 11, 15)  # the teaching workshop after its first run
SIZE = (120, 40)


def copy_example(folder: Path, example: str = "minds-discharge", name: str = "plan.toml"
                 ) -> Path:
    """A copy of a bundled example under a fixed name (the name shows in the header)."""
    target = folder / name
    shutil.copyfile(EXAMPLES / f"{example}.toml", target)
    return target


async def settle(pilot: Any) -> None:
    """Wait until the saves (and takings-in of others' saves) asked for so far are done
    and shown: they run in a worker thread, so a pause alone may come too soon."""
    await pilot.app.wait_for_file_work()
    await pilot.pause()


def make_app(path: Path, **options: Any) -> Any:
    """The app as the tests use it: fixed today, no blinking, no animation, and no autosave
    firing by itself (tests call ``action_autosave`` when they mean it)."""
    from coplan.tui.app import CoplanApp

    options.setdefault("today", TODAY)
    options.setdefault("cursor_blink", False)
    options.setdefault("autosave_delay", 3600)
    app = CoplanApp(path, **options)
    app.animation_level = "none"
    return app
