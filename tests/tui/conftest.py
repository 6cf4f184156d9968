"""Fixtures for the app's tests: a fixed clock, steady cursors, no animation, fixed names.

Textual reads ``TEXTUAL_ANIMATIONS`` once, when it is first imported, and the
pytest-textual-snapshot plugin imports Textual before any conftest runs; so the variable is
set here for the programs these tests start (tmux), and every app made by ``make_app`` also
sets ``animation_level = "none"`` itself.  Cursor blinking is turned off with the app's own
``cursor_blink=False``.  Plans are copied to ``plan.toml`` in a temporary folder, so the name
in the header is always the same, and the app never shows the folder.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import os
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ["TEXTUAL_ANIMATIONS"] = "none"
os.environ.pop("NO_COLOR", None)
os.environ.pop("TEXTUAL_THEME", None)

ROOT = Path(__file__).resolve().parents[2]

# ``from conftest import need`` finds this file first in this folder: hand on the shared one.
_spec = importlib.util.spec_from_file_location("coplan_tests_conftest",
                                               ROOT / "tests" / "conftest.py")
assert _spec is not None and _spec.loader is not None
_shared = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_shared)
need: Callable[[str], str] = _shared.need


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    """A copy of the MINDS example, as plan.toml."""
    from tui_support import copy_example

    return copy_example(tmp_path)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    asyncio.run(pyfuncitem.obj(**kwargs))
    return True


def _waits_for_keys_handed_on() -> None:
    """Pilot's ``press`` and ``pause`` wait for the screen's messages to be read; keys on a
    dialog are handed on one at a time, each once the one before has been dealt with
    (``CoplanApp.keys_handed_on``), so they also wait for that: a test then reads what a
    person typing slowly would see, and never waits by a longer pause."""
    from textual.pilot import Pilot

    plain = Pilot._wait_for_screen
    if getattr(plain, "waits_for_keys", False):
        return

    async def wait_for_screen(self: Pilot, timeout: float = 30.0) -> bool:  # type: ignore[type-arg]
        done = await plain(self, timeout)
        if getattr(self.app, "handing_on_keys", False):
            await asyncio.wait_for(self.app.keys_handed_on(), timeout)
            done = await plain(self, timeout)
        return done

    wait_for_screen.waits_for_keys = True  # type: ignore[attr-defined]
    Pilot._wait_for_screen = wait_for_screen  # type: ignore[method-assign]


_waits_for_keys_handed_on()
