"""A field offered read-only (``Field.locked``, the protected view of a served app) is
reached by Tab like any other, shows its value in words and why it is locked, and no key
changes it: a keyboard-only or screen-reader user can read it (Textual's disabled state
kept it out of Tab's way), and nobody can type over it."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.widgets import TextArea

from coplan.tui.screens.form import Field, FormScreen, FormValues

WHY = "Locked here: this view does not show you what the file holds."
OPTIONS = (("Large print", "large-print"), ("Step-free", "step-free"), ("Quiet room", "quiet"))

FIELDS = [
    Field("open", "Open field", value="typed here"),
    Field("title", "Title", value="Scoping with A.R.", locked=WHY),
    Field("notes", "Notes", kind="multiline", value="first line\nsecond line", locked=WHY),
    Field("phase", "Phase", kind="select", value="step-free", options=OPTIONS, locked=WHY),
    Field("needs", "Needs", kind="multi", value=["large-print", "quiet"], options=OPTIONS,
          locked=WHY),
    Field("share", "Share name", kind="switch", value=True, locked=WHY),
    Field("last", "Last field", value=""),
]
SHOWN = {"title": "Scoping with A.R.", "notes": "first line\nsecond line",
         "phase": "Step-free", "needs": "[x] Large print\n[x] Quiet room", "share": "Yes"}


class _Locked(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.result: FormValues | None = None

    def on_mount(self) -> None:
        def done(values: FormValues | None) -> None:
            self.result = values

        self.push_screen(FormScreen("Locked", FIELDS), done)


async def test_every_kind_of_locked_field_is_reached_read_and_kept() -> None:
    app = _Locked()
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FormScreen)
        reached: list[str] = []
        for _ in range(len(FIELDS)):
            focused: Any = screen.focused
            key = (focused.id or "").removeprefix("field-") if focused is not None else ""
            reached.append(key)
            if key in SHOWN:
                assert isinstance(focused, TextArea) and focused.read_only
                assert focused.text == SHOWN[key]
                assert WHY in str(screen.query_one(f"#help-{key}").render())
                # Keys that would type, tick, switch, choose or delete change nothing.
                await pilot.press("x", "space", "enter", "backspace", "delete", "ctrl+u",
                                  "ctrl+v")
                await pilot.pause()
                assert focused.text == SHOWN[key], key
            await pilot.press("tab")
            await pilot.pause()
        assert reached == [f.key for f in FIELDS]
        await pilot.press("ctrl+s")
        for _ in range(3):
            await pilot.pause()
    assert app.result is not None
    assert app.result.changed == set()
    assert app.result["needs"] == ["large-print", "quiet"] and app.result["share"] is True
