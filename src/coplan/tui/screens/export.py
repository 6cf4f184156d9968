"""The export dialog: any exporter, built from what it declares.

What can be exported, in which formats, for whom, and with which options, all come from
the exporters' declarations (``coplan.export.contract``), coplan's own and the plugins'
alike, so a plugin's exporter appears here with its own options and nothing written for it.

The export is made in this process, in a worker thread, from the plan as it stands in the
session (saved or not: nothing is saved behind the team's back), through the same
``run_export`` as the command line.  The worker posts its progress and result back and
never touches a widget itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Input,
    ProgressBar,
    Select,
    SelectionList,
    Switch,
)

from coplan.export.contract import AUDIENCES, Exporter, ExportError, Format, Option, Options
from coplan.tui.widgets.choose_one import ChooseOne
from coplan.tui.widgets.field_input import FieldInput
from coplan.tui.widgets.key_hints import KeyHints
from coplan.tui.widgets.literal import Label, Static, cell, words
from coplan.tui.widgets.plain_state import TickList, YesNo

if TYPE_CHECKING:
    from coplan.export.contract import Exporters
    from coplan.model import Plan
    from coplan.review.runner import Report
    from coplan.schedule import Schedule
    from coplan.session import PlanSession



@dataclass(frozen=True, slots=True)
class Job:
    """One export, as the dialog asked for it: everything the worker needs, taken from the
    session when Export was pressed."""

    exporter: Exporter
    format: Format
    options: Options
    plan: Plan
    schedule: Schedule
    target: Path


class ExportScreen(ModalScreen[Path | None]):
    DEFAULT_CSS = """
    ExportScreen #options {
        height: auto;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    # The focus starts on the first choice, not on the scrolling list of fields (where
    # Textual would put it), so Enter opens "What to export" at once.
    AUTO_FOCUS = "#kind"

    class Progress(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class Done(Message):
        def __init__(self, path: Path | None, error: str = "",
                     notes: tuple[str, ...] = ()) -> None:
            super().__init__()
            self.path = path
            self.error = error
            self.notes = notes

    def __init__(self, exporters: Exporters, session: PlanSession, plan_path: Path,
                 folder: Path | None = None) -> None:
        """``folder`` is where exports may be saved (the plan's folder unless given)."""
        super().__init__()
        self.exporters = exporters
        self.session = session
        self.plan_path = plan_path
        self.folder = (folder or plan_path.parent).resolve()
        self.exporter: Exporter = next(iter(exporters))

    # -- building the dialog from the declarations -------------------------------------------
    def compose(self) -> ComposeResult:
        exporter = self.exporter
        with Vertical(id="dialog", classes="form"):
            yield Static("Export", id="dialog-title")
            with VerticalScroll(id="fields"):
                yield Label("What to export", classes="field-label")
                yield ChooseOne([(cell(e.shown_title), e.name) for e in self.exporters],
                                value=exporter.name, id="kind", allow_blank=False)
                yield Label("Format", id="format-label", classes="field-label")
                yield ChooseOne(self._formats(exporter), value=self._first_format(exporter).name,
                                id="format", allow_blank=False)
                yield Label("Who it is for", id="audience-label", classes="field-label")
                yield ChooseOne(self._audiences(exporter), value=exporter.audiences[0],
                                id="audience", allow_blank=False)
                yield Vertical(id="options")
                yield Label(f"Save as (a file name in {self._folder_shown()})",
                            classes="field-label")
                yield FieldInput(self._path_for(exporter, self._first_format(exporter),
                                           exporter.audiences[0]).name, id="path")
                yield Static("", id="export-note", classes="field-help")
            # Shown only while a file is being made: a "0%" bar waiting under the fields
            # read as part of the last one (and sat on it, to the eye, at 80x24).
            bar = ProgressBar(total=3, show_eta=False, id="progress")
            bar.display = False
            yield bar
            yield Static("", id="export-result")
            with Horizontal(id="buttons"):
                yield KeyHints("Tab: next", "Enter on Export: save the file", "Esc: close",
                               classes="form-keys")
                yield Button("Export", id="go", variant="primary")
                yield Button("Close", id="close")

    async def on_mount(self) -> None:
        await self._show(self.exporter)

    @staticmethod
    def _formats(exporter: Exporter) -> list[tuple[Text, str]]:
        return [(cell(f.shown_label), f.name) for f in exporter.formats]

    @staticmethod
    def _first_format(exporter: Exporter) -> Format:
        return exporter.format(exporter.suggested_format) or exporter.formats[0]

    def _audiences(self, exporter: Exporter) -> list[tuple[Text, str]]:
        """Who the document may be for, in words shown as written (a person's name)."""
        shown = [(AUDIENCES.get(a, a), a) for a in exporter.audiences]
        if exporter.per_person:
            people = self.session.plan.people
            if getattr(self.session, "protected", False):
                # (the protected view of a served app: a document for one person alone
                # holds their private details, so only the person's own is offered)
                mine = getattr(self.session, "viewer", None)
                people = tuple(p for p in people if p.id == mine)
            shown += [(f"Only {p.name or p.id}", p.id) for p in people]
        return [(cell(label), value) for label, value in shown]

    def _source(self) -> PlanSession:
        """What an export is made from: the plan as the session has it, which every export
        reads through the copy for its audience (``exporting.run_export``).  In the
        protected view that is the plan itself too (``ShownSession.source``), not the
        view's copy: a copy for the person holds their own private details, which a
        document for everyone must not (and an id the copy changed would be changed
        twice); the audiences offered are the team's and the person's own."""
        return cast("PlanSession", getattr(self.session, "source", self.session))

    async def _show(self, exporter: Exporter) -> None:
        """Show the fields ``exporter`` declares."""
        self.exporter = exporter
        fmt = self.query_one("#format", Select)
        fmt.set_options(self._formats(exporter))
        fmt.value = self._first_format(exporter).name
        audience = self.query_one("#audience", Select)
        audience.set_options(self._audiences(exporter))
        audience.value = exporter.audiences[0]
        for wid in ("#format", "#format-label"):
            self.query_one(wid).display = len(exporter.formats) > 1
        for wid in ("#audience", "#audience-label"):
            self.query_one(wid).display = exporter.chooses_audience
        box = self.query_one("#options", Vertical)
        await box.remove_children()
        widgets: list[Widget] = []
        for option in exporter.options:
            if not option.cli_only:
                widgets.extend(self._option_widgets(option))
        await box.mount_all(widgets)
        self._show_note()
        self._reset_path()

    def _show_note(self) -> None:
        """What the document chosen shows of people (``Exporter.people_note``), for the
        audience chosen; a plugin's exporter is coplan's word on nothing."""
        origin = self.exporters.origin(self.exporter.name)
        self.query_one("#export-note", Static).update(
            self.exporter.people_note(self._chosen_audience()) if origin == "builtin" else
            f"This exporter comes from the plugin '{origin}': check what it shows before "
            "you share it.")

    @staticmethod
    def _option_widgets(option: Option) -> list[Widget]:
        wid = f"option-{option.name}"
        widgets: list[Widget] = [Label(option.shown_label, classes="field-label")]
        if option.kind == "flag":  # a switch, as in every form, with "Yes" or "No" beside it
            widgets.append(YesNo(bool(option.default), id=wid))
        elif option.kind == "choice":
            widgets.append(ChooseOne([(cell(c), c) for c in option.choices], id=wid,
                                     value=option.default if option.default in option.choices
                                     else Select.NULL))
        elif option.kind == "list" and option.choices:
            chosen = set(option.default) if isinstance(option.default, tuple) else set()
            widgets.append(TickList(*[(words(c), c, c in chosen) for c in option.choices],
                                            id=wid))
        else:
            default = "" if option.default is None else str(option.default)
            widgets.append(FieldInput(default, id=wid, placeholder=option.metavar))
        # The help is written for the command line: a flag that is on by default is offered
        # there as --no-NAME (its help says what turning it off does), and a list's help
        # spells out the words the list here shows.  Show it only where it reads right.
        reads_right = not (option.kind == "flag" and option.default) and not (
            option.kind == "list" and option.choices)
        if reads_right and option.help != option.shown_label:
            widgets.append(Static(option.help, classes="field-help"))
        return widgets

    def _folder_shown(self) -> str:
        return ("the plan's folder" if self.folder == self.plan_path.parent.resolve()
                else str(self.folder))

    def _inside(self, typed: str, folder: Path | None = None) -> Path:
        """``typed`` as a path in ``folder`` (the export folder unless given);
        ``ExportError`` when it leads out."""
        from coplan.fileio import FileRefused, inside

        try:
            return inside(folder or self.folder, typed)
        except FileRefused as exc:
            raise ExportError(f"{exc.filename} {exc.message}; {exc.hint}.") from None

    # -- choices ------------------------------------------------------------------------------
    def _path_for(self, exporter: Exporter, fmt: Format, audience: str) -> Path:
        """``PLAN-NAME-AUDIENCE.SUFFIX`` beside the plan, leaving out what says nothing."""
        parts = [self.plan_path.stem]
        if exporter.name != fmt.suffix.lstrip("."):
            parts.append(exporter.name)
        if exporter.chooses_audience:
            parts.append(audience)
        return self.plan_path.with_name("-".join(parts) + fmt.suffix)

    def _chosen_format(self) -> Format:
        found = self.exporter.format(str(self.query_one("#format", Select).value))
        return found or self._first_format(self.exporter)

    def _chosen_audience(self) -> str:
        if not self.exporter.chooses_audience:
            return self.exporter.audiences[0]
        return str(self.query_one("#audience", Select).value)

    def _reset_path(self) -> None:
        self.query_one("#path", Input).value = self._path_for(
            self.exporter, self._chosen_format(), self._chosen_audience()).name

    @on(Select.Changed, "#kind")
    async def _kind_changed(self, event: Select.Changed) -> None:
        chosen = self.exporters.get(str(event.value))
        if chosen is not None and chosen is not self.exporter:
            await self._show(chosen)

    @on(Select.Changed, "#format, #audience")
    def _choice_changed(self) -> None:
        self._reset_path()
        self._show_note()

    # -- exporting ----------------------------------------------------------------------------
    def _values(self) -> dict[str, object]:
        """The options as typed values; raises ExportError naming the field."""
        values: dict[str, object] = {}
        for option in self.exporter.options:
            if option.cli_only:
                continue
            widget = self.query_one(f"#option-{option.name}")
            if isinstance(widget, Switch):
                values[option.name] = widget.value
            elif isinstance(widget, Select):
                if widget.value is not Select.NULL:
                    values[option.name] = str(widget.value)
            elif isinstance(widget, SelectionList):
                values[option.name] = tuple(str(v) for v in widget.selected)
            elif isinstance(widget, Input):
                text = widget.value.strip()
                if option.kind == "folder" and text:
                    try:
                        # a folder an exporter reads from (own templates): the plan's
                        text = str(self._inside(text, self.plan_path.parent))
                    except ExportError as exc:
                        raise ExportError(exc.message, option=option.name) from None
                values[option.name] = option.parse(text)
        return values

    @staticmethod
    def _problem(exporter: Exporter, exc: ExportError) -> str:
        option = exporter.option(exc.option) if exc.option else None
        return f"{option.shown_label}: {exc.message}" if option is not None else exc.message

    @on(Button.Pressed, "#go")
    def _go(self) -> None:
        result = self.query_one("#export-result", Static)
        written = self.query_one("#path", Input).value.strip()
        if not written:
            result.update("✖ Give the file a name first.")
            return
        source = self._source()
        plan, schedule = source.plan, source.schedule
        if schedule is None:
            result.update("✖ The plan cannot be scheduled yet, so there is nothing to export: "
                          "put right what the Review tab marks ✖ first.")
            return
        exporter = self.exporter
        fmt = self._chosen_format()
        missing = fmt.unavailable()
        if missing:
            result.update(f"✖ {missing}")
            return
        try:
            values = self._values()
        except ExportError as exc:
            result.update(f"✖ {self._problem(self.exporter, exc)}")
            return
        from coplan.clock import moment_from_environment

        report: Report = source.report
        options = Options(format=fmt.name, audience=self._chosen_audience(), values=values,
                          when=moment_from_environment(), report=report,
                          rules=source.rules, today=source.today)
        try:
            target = self._inside(written)
        except ExportError as exc:
            result.update(f"✖ {exc.message}")
            return
        result.update("Working…")
        bar = self.query_one(ProgressBar)
        bar.update(progress=1)
        bar.display = True
        self.run_export(Job(exporter, fmt, options, plan, schedule, target))

    @work(thread=True, exclusive=True)
    def run_export(self, job: Job) -> None:
        from coplan.export.contract import run_export
        from coplan.exporting import load_state, save_state, state_path, write_output

        self.post_message(self.Progress(2))
        exporter = job.exporter
        kept = load_state(exporter, state_path(exporter, self.plan_path))
        options = replace(job.options, state=kept.state, notes=[])
        try:
            data = run_export(exporter, job.plan, job.schedule, options)
            write_output(job.target, data)
        except ExportError as exc:
            self.post_message(self.Done(None, self._problem(exporter, exc)))
            return
        except OSError as exc:
            self.post_message(self.Done(None, f"could not write {job.target} "
                                              f"({exc.strerror})"))
            return
        except Exception as exc:  # an exporter's bug must not take the app down
            origin = self.exporters.origin(exporter.name)
            self.post_message(self.Done(None, (
                f"the {exporter.name} exporter failed ({type(exc).__name__}: {exc}); this "
                f"is a bug in {'coplan' if origin == 'builtin' else repr(origin)}")))
            return
        notes = list(options.notes)
        try:
            save_state(kept)
        except OSError:
            assert exporter.state is not None and kept.where is not None
            notes.append(f"Could not update {kept.where.name}; {exporter.state.lost}.")
        self.post_message(self.Done(job.target, notes=tuple(notes)))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self.query_one(ProgressBar).update(progress=message.step)

    @on(Done)
    def _done(self, message: Done) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(progress=3)
        bar.display = False  # the line under it says how it went
        result = self.query_one("#export-result", Static)
        if message.error or message.path is None:
            result.update(f"✖ {message.error or 'the export failed'}")
            return
        shown: Any = message.path.relative_to(self.folder) \
            if message.path.is_relative_to(self.folder) else message.path
        result.update("\n".join([f"✔ Saved {shown}", *message.notes]))
        self.app.notify(f"Exported {shown}", timeout=4)

    @on(Button.Pressed, "#close")
    def action_cancel(self) -> None:
        self.dismiss(None)
