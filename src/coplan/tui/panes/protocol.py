"""The Protocol tab: a preview of what ``coplan export protocol`` writes, from the plan as
it is now, and the protocol's own words (purpose, boundaries, glossary, sign-offs).

The preview is made in a worker thread (the exporter can take a moment on a large plan)
that posts it back; the newest one wins.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Markdown

from coplan.agreed import written
from coplan.model import Plan, Protocol
from coplan.review import Report
from coplan.schedule import Schedule
from coplan.schema import schema_of
from coplan.session import Views
from coplan.tui import forms
from coplan.tui.action_spec import ActionSpec
from coplan.tui.panes.base import Pane
from coplan.tui.screens.form import FormScreen, FormValues
from coplan.tui.widgets.literal import Static

MERMAID = re.compile(r"```mermaid\n.*?```\n?", re.DOTALL)


def protocol_markdown(plan: Plan, sched: Schedule | None, report: Report,
                      today: date | None = None) -> str:
    """The protocol as Markdown, as the protocol exporter writes it (``coplan export
    protocol``, through the same registry and ``run_export``), or a short outline when that
    exporter is not available or cannot run."""
    from datetime import UTC, datetime, time

    from coplan.export.contract import Options, run_export
    from coplan.plugins import all_exporters

    exporter = all_exporters().get("protocol")
    if exporter is None:
        return basic_protocol(plan)
    if sched is None:
        return basic_protocol(plan) + "\n_The full protocol needs a plan that can be " \
            "scheduled: put right what the Review tab marks ✖, then look again._\n"
    when = datetime.combine(today, time(), UTC) if today is not None else None
    try:
        text = run_export(exporter, plan, sched, Options(format="md", report=report,
                                                         when=when)).decode("utf-8")
    except Exception as exc:  # a preview must never take the app down
        return basic_protocol(plan) + f"\n_The full protocol could not be made: {exc}_\n"
    # A terminal cannot draw the Mermaid chart; the Timeline tab shows the same thing.
    return MERMAID.sub("_The timeline chart is in the exported document, and on the "
                       "Timeline tab (2)._\n", text)


def basic_protocol(plan: Plan) -> str:
    """A short outline of the protocol: its agreed words, or what is still to agree."""
    p = plan.protocol
    lines = [f"# {plan.project.title}: co-production protocol", "",
             f"Version {p.version} ({p.status})", ""]
    declared = schema_of(Protocol)
    for key in forms.PROTOCOL_TEXT:
        lines.append(f"## {declared.key(key).label}")  # type: ignore[union-attr]
        lines.append(written(getattr(p, key)) or "_To agree together._")
        lines.append("")
    return "\n".join(lines)


class ProtocolPane(Pane):
    """The protocol document, previewed; its texts edited in forms."""

    MAIN = "#protocol-scroll"
    ACTIONS: ClassVar[tuple[ActionSpec, ...]] = (
        ActionSpec("edit_protocol", "o", "protocol", "edit protocol text",
                   "The purpose, boundaries, distress process and other agreements.",
                   footer="Edit text", rank=2),
        ActionSpec("add_term", "g", "protocol", "add a glossary term",
                   "Explain a word everyone should understand the same way.",
                   footer="Term", rank=3),
        ActionSpec("add_signoff", "S", "protocol", "record a sign-off",
                   "Someone agreed this version of the protocol.", footer="Sign-off",
                   rank=4),
    )

    class Ready(Message):
        """The preview's Markdown, made in a worker thread."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.preview_text = ""  # the Markdown on screen

    def compose(self) -> ComposeResult:
        yield Static("What 'coplan export protocol' writes, from the plan as it is "
                     "now.   o: edit the protocol text · x: export it", id="protocol-hint")
        with VerticalScroll(id="protocol-scroll"):
            yield Markdown("_Preparing the protocol…_", id="protocol-preview")

    # -- the preview --------------------------------------------------------------------
    def refresh_from(self, views: Views) -> None:
        self._make_preview(views.plan, views.schedule, views.report, self.host.today)

    @work(thread=True, exclusive=True, group="protocol")
    def _make_preview(self, plan: Plan, sched: Schedule | None, report: Report,
                      today: date) -> None:
        self.post_message(self.Ready(protocol_markdown(plan, sched, report, today)))

    @on(Ready)
    async def _show(self, message: Ready) -> None:
        if message.text != self.preview_text:
            self.preview_text = message.text
            await self.query_one("#protocol-preview", Markdown).update(message.text)

    # -- the protocol's words -----------------------------------------------------------
    @work(group="dialog")
    async def action_edit_protocol(self) -> None:
        await self.app.push_screen_wait(FormScreen(
            "The co-production protocol: what we agreed",
            forms.protocol_fields(self.session.plan, self.session.document,
                                  today=self.host.today),
            intro="Write these together. Empty parts show in the protocol as things still "
                  "to agree.",
            save=lambda values: self.host.attempt(
                "changed the protocol text",
                lambda doc: forms.apply_protocol(doc, values))))

    @work(group="dialog")
    async def action_add_term(self) -> None:
        await self.app.push_screen_wait(FormScreen(
            "Add to our glossary", forms.term_fields(),
            save=lambda values: self.host.attempt(
                f"added '{values['term']}' to the glossary",
                lambda doc: doc.add_entry("protocol.term", values))))

    @work(group="dialog")
    async def action_add_signoff(self) -> None:
        def save(values: FormValues) -> bool | str:
            entry = {"who": values["who"], "date": date.fromisoformat(values["date"]),
                     "version": values["version"]}
            return self.host.attempt("recorded a sign-off of the protocol",
                                     lambda doc: doc.add_entry("protocol.signoff", entry))

        await self.app.push_screen_wait(FormScreen(
            "Record a sign-off", forms.signoff_fields(self.session.plan, self.host.today),
            save=save))
