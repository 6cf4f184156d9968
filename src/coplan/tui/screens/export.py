"""The export dialog: a calendar for an audience, or the protocol in a format.

The export runs in a worker thread with a progress bar; the worker posts its result back
and never touches a widget itself.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from coplan.model import Plan

FORMATS = [("Markdown (.md)", "md"), ("Web page (.html)", "html"), ("Word (.docx)", "docx"),
           ("OpenDocument (.odt)", "odt"), ("PDF (.pdf)", "pdf")]


class ExportScreen(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    class Progress(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class Done(Message):
        def __init__(self, path: Path | None, error: str = "") -> None:
            super().__init__()
            self.path = path
            self.error = error

    def __init__(self, plan: Plan, plan_path: Path) -> None:
        super().__init__()
        self.plan = plan
        self.plan_path = plan_path

    def compose(self) -> ComposeResult:
        audiences = [("The whole team", "team"), ("People with lived experience",
                                                  "lived-experience"), ("Leads", "leads")]
        audiences += [(f"Only {p.name or p.id}", p.id) for p in self.plan.people]
        with Vertical(id="dialog", classes="form"):
            yield Static("Export", id="dialog-title")
            yield Label("What to export")
            yield Select([("A meeting calendar (.ics)", "ics"),
                          ("The co-production protocol", "protocol")], value="ics",
                         id="kind", allow_blank=False)
            yield Label("Calendar for", id="audience-label")
            yield Select(audiences, value="team", id="audience", allow_blank=False)
            yield Label("Protocol format", id="format-label")
            yield Select(FORMATS, value="docx", id="format", allow_blank=False)
            yield Label("Save as (beside the plan, unless you give a folder)")
            yield Input(self._default_path("ics", "team").name, id="path")
            yield Static("Names appear only for people who agreed to share them; access "
                         "needs and contact details never appear.", classes="field-help")
            yield ProgressBar(total=3, show_eta=False, id="progress")
            yield Static("", id="export-result")
            with Horizontal(id="buttons"):
                yield Button("Export", id="go", variant="primary")
                yield Button("Close", id="close")

    def _default_path(self, kind: str, choice: str) -> Path:
        stem = self.plan_path.stem
        if kind == "ics":
            return self.plan_path.with_name(f"{stem}-{choice}.ics")
        return self.plan_path.with_name(f"{stem}-protocol.{choice}")

    def on_mount(self) -> None:
        self._show_options("ics")

    def _show_options(self, kind: str) -> None:
        calendar = kind == "ics"
        for wid in ("#audience", "#audience-label"):
            self.query_one(wid).display = calendar
        for wid in ("#format", "#format-label"):
            self.query_one(wid).display = not calendar

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        kind = str(self.query_one("#kind", Select).value)
        self._show_options(kind)
        choice = str(self.query_one("#audience" if kind == "ics" else "#format", Select).value)
        self.query_one("#path", Input).value = self._default_path(kind, choice).name

    @on(Button.Pressed, "#go")
    def _go(self) -> None:
        kind = str(self.query_one("#kind", Select).value)
        audience = str(self.query_one("#audience", Select).value)
        fmt = str(self.query_one("#format", Select).value)
        written = self.query_one("#path", Input).value.strip()
        if not written:
            self.query_one("#export-result", Static).update("✖ Give the file a name first.")
            return
        target = self.plan_path.parent / Path(written).expanduser()
        self.query_one("#export-result", Static).update("Working…")
        self.query_one(ProgressBar).update(progress=1)
        self.run_export(kind, audience, fmt, target)

    @work(thread=True, exclusive=True)
    def run_export(self, kind: str, audience: str, fmt: str, target: Path) -> None:
        if kind == "ics":
            args = ["export", "ics", str(self.plan_path), "-o", str(target), "--audience",
                    audience, "--stamp",
                    datetime.now(UTC).replace(microsecond=0).isoformat()]
        else:
            args = ["export", "protocol", str(self.plan_path), "-o", str(target),
                    "--format", fmt]
        self.post_message(self.Progress(2))
        result = subprocess.run([sys.executable, "-m", "coplan", *args], capture_output=True,
                                text=True)
        error = "" if result.returncode == 0 else (result.stderr.strip() or "export failed")
        self.post_message(self.Done(target if not error else None, error))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self.query_one(ProgressBar).update(progress=message.step)

    @on(Done)
    def _done(self, message: Done) -> None:
        self.query_one(ProgressBar).update(progress=3)
        result = self.query_one("#export-result", Static)
        if message.error:
            result.update(f"✖ {message.error}")
        else:
            shown = message.path.name if message.path and \
                message.path.parent == self.plan_path.parent else message.path
            result.update(f"✔ Saved {shown}")
            self.app.notify(f"Exported {shown}", timeout=4)

    @on(Button.Pressed, "#close")
    def action_cancel(self) -> None:
        self.dismiss(None)
