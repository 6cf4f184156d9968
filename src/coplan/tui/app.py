"""The coplan app: a team builds its co-produced plan together at one screen.

The app owns one ``PlanSession`` (the editing core: plan file, derived schedule and review,
undo and redo).  Every edit goes through it, then every view refreshes from it.  Slow work
(exports) runs in workers that post messages; handlers here own every state change.
"""

from __future__ import annotations

import gc
import os
import re
import uuid
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Input,
    Markdown,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from coplan import fileio
from coplan.edit import PlanDocument
from coplan.errors import PlanError
from coplan.graph import describe_loop, waits_for, would_loop
from coplan.review.engine import Finding
from coplan.session import EditRefused, PlanSession
from coplan.tui import forms
from coplan.tui.actions import ACTIONS, bindings
from coplan.tui.screens.confirm import ConfirmScreen
from coplan.tui.screens.export import ExportScreen
from coplan.tui.screens.form import FormScreen
from coplan.tui.screens.help import GlossaryScreen, HelpScreen
from coplan.tui.screens.pick import PickScreen
from coplan.tui.widgets.people_table import MeetingsTable, PeopleTable
from coplan.tui.widgets.review_panel import FindingDetails, ReviewPanel, fix_kind
from coplan.tui.widgets.row_table import RowTable
from coplan.tui.widgets.stage_details import StageDetails
from coplan.tui.widgets.stage_table import StageTable
from coplan.tui.widgets.timeline import Timeline

CALM = Theme(
    name="coplan",
    primary="#3B7EA1",
    secondary="#6A8D73",
    accent="#C9A227",
    foreground="#E8E6E3",
    background="#1E2326",
    surface="#262C30",
    panel="#2E363B",
    success="#7FB77E",
    warning="#E0B34A",
    error="#E06C5A",
    dark=True,
)
HIGH_CONTRAST = Theme(
    name="coplan-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFFFF",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    success="#00FF00",
    warning="#FFFF00",
    error="#FF5555",
    dark=True,
)

TABS = ("plan", "timeline", "review", "people", "meetings", "protocol")


class CoplanApp(App[None]):
    """Plan together: stages, touchpoints, timeline, review, people and the protocol."""

    CSS_PATH = "coplan.tcss"
    TITLE = "coplan"
    BINDINGS: ClassVar[list[BindingType]] = bindings()

    def __init__(self, path: Path, *, today: date | None = None, autosave_delay: float = 2.0,
                 watch: bool = False, high_contrast: bool = False,
                 cursor_blink: bool = True, who: str | None = None) -> None:
        """Open the plan at ``path``.

        ``today`` fixes the date the app treats as today (tests and demonstrations pass
        one); ``cursor_blink=False`` keeps text cursors steady (for screenshots, and for
        people who find blinking distracting).  ``watch`` follows other people's saves of
        the same file; ``who`` is the name their copies show for this one's changes.
        """
        super().__init__()
        self.plan_path = Path(path)
        self.today = today or date.today()
        self.session = PlanSession.open(self.plan_path, today=self.today)
        self.autosave_delay = autosave_delay
        self._autosave_timer: Timer | None = None
        self.presentation = False
        self.register_theme(CALM)
        self.register_theme(HIGH_CONTRAST)
        self.theme = "coplan-high-contrast" if high_contrast else "coplan"
        self.watch_files = watch
        self.cursor_blink = cursor_blink
        self._protocol_text = ""
        self._stale: set[str] = set(TABS)
        self.last_change = ""
        self.instance = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._journal_offset = 0
        self._frozen = False
        from coplan.sync import display_name

        # The name other people's copies show for this one's changes: --as NAME, the name
        # in the user's coplan settings, or the login name.
        self.who = display_name(who)

    # -- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal(id="status"):
            yield Static("", id="status-plan")
            yield Static("", id="status-said")
        with TabbedContent(id="tabs", initial="plan"):
            with TabPane("1 Plan", id="plan"), Horizontal(id="plan-view"):
                yield StageTable(id="stages")
                with VerticalScroll(id="details-scroll"):
                    yield StageDetails(id="details")
            with TabPane("2 Timeline", id="timeline"):
                yield Timeline(id="gantt")
            with TabPane("3 Review", id="review"):
                yield Static("", id="review-summary")
                yield ReviewPanel(id="findings")
                yield FindingDetails("", id="finding-details")
            with TabPane("4 People", id="people"):
                yield PeopleTable(id="people-table")
            with TabPane("5 Meetings", id="meetings"):
                yield MeetingsTable(id="meetings-table")
            with TabPane("6 Protocol", id="protocol"):
                yield Static("What 'coplan export protocol' writes, from the plan as it is "
                             "now.   o: edit the protocol text · x: export it",
                             id="protocol-hint")
                with VerticalScroll(id="protocol-scroll"):
                    yield Markdown("_Preparing the protocol…_", id="protocol-preview")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.session.plan.project.title or "coplan"
        self.refresh_views()
        self.query_one(StageTable).focus()
        self._prepare_document()
        if self.watch_files:
            from coplan.sync import read_activity

            _, self._journal_offset = read_activity(self.plan_path)
            self._watch_plan()

    @work(thread=True, exclusive=True, group="prepare")
    def _prepare_document(self) -> None:
        """Build the editable document in the background, so the first edit is quick.

        Then tell Python's cycle collector to leave everything made so far alone: the plan,
        its document and the app live as long as the app does, and scanning them again and
        again made the occasional edit on a large plan take several times as long.
        """
        self.session.prepare()
        if not self._frozen:  # once: later plans are replaced as the team edits
            self._frozen = True
            gc.freeze()

    @on(events.DescendantFocus)
    def _steady_cursor(self, event: events.DescendantFocus) -> None:
        """Without blinking, a text cursor stays visible (every screen, the palette too)."""
        if not self.cursor_blink and isinstance(event.widget, (Input, TextArea)):
            event.widget.cursor_blink = False

    # -- refreshing ---------------------------------------------------------------------
    def refresh_views(self) -> None:
        """Show the session's plan, schedule and review.

        The plan table, the status line and the review's counts are brought up to date at
        once; the other tabs when they are next shown (or now, if one is showing).
        """
        views = self.session.views
        table = self.query_one(StageTable)
        table.refresh_from(views)
        report = views.report
        errors, warnings, infos = report.errors, report.warnings, report.infos
        self.query_one("#review-summary", Static).update(
            f"✖ {errors} error{'s' if errors != 1 else ''}   ▲ {warnings} to look at   "
            f"● {infos} note{'s' if infos != 1 else ''}   "
            "Enter: go to it · f: quick fix")
        self.update_status()
        self._stale = set(TABS)
        self._refresh_tab(self.query_one(TabbedContent).active)

    def _refresh_tab(self, tab: str) -> None:
        """Bring one tab up to date with the session, if it is behind."""
        if tab not in self._stale:
            return
        self._stale.discard(tab)
        views = self.session.views
        if tab == "plan":
            self.query_one(StageDetails).show(views, self.selected_stage())
        elif tab == "timeline":
            self.query_one(Timeline).show(views, self.today)
        elif tab == "review":
            panel = self.query_one(ReviewPanel)
            panel.refresh_from(views)
            self.query_one(FindingDetails).show(views, panel.selected)
        elif tab == "people":
            self.query_one(PeopleTable).refresh_from(views)
        elif tab == "meetings":
            self.query_one(MeetingsTable).refresh_from(views)
        elif tab == "protocol":
            self.render_protocol()

    def update_status(self) -> None:
        s = self.session
        saved = "● not saved yet" if s.dirty else "✔ saved"
        sched = s.schedule
        n = len(s.plan.stages)
        if n == 0:
            plan = "no stages yet: press a to add one"
        elif sched is None:
            plan = f"{n} stage{'s' if n != 1 else ''}, which cannot be scheduled yet"
        else:
            plan = (f"{n} stage{'s' if n != 1 else ''}, ends {sched.finish:%d %b %Y} with "
                    f"{sched.added_days} days for slowing down")
        # The last change made here stays in view (a notice would vanish while the room
        # is still talking about it); until there is one, where to find help.
        said = self.last_change or "F1 help · ? words · Ctrl+P actions"
        self.query_one("#status-plan", Static).update(f"{saved}   {plan}")
        self.query_one("#status-said", Static).update(said)
        self.sub_title = f"{self.plan_path.name} ({'not saved' if s.dirty else 'saved'})"

    @on(RowTable.RowHighlighted, "#stages")
    def _stage_highlighted(self) -> None:
        table = self.query_one(StageTable)
        self.query_one(StageDetails).show(self.session.views, table.selected_stage)

    @on(RowTable.RowHighlighted, "#findings")
    def _finding_highlighted(self) -> None:
        self.query_one(FindingDetails).show(self.session.views,
                                            self.query_one(ReviewPanel).selected)

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self._refresh_tab(event.pane.id or "")
        if event.pane.id == "timeline":
            timeline = self.query_one(Timeline)
            timeline.selected = self.selected_stage()
            self.call_after_refresh(timeline.select_stage, timeline.selected)

    # -- applying edits -----------------------------------------------------------------
    def edit(self, description: str, change: Callable[[PlanDocument], object]) -> bool:
        """Apply one change through the session; say so, or say plainly why not."""
        try:
            self.session.apply(description, change)
        except EditRefused as exc:
            self.notify(f"Not changed: {exc}", title="That change was not made",
                        severity="error", timeout=8)
            return False
        self.last_change = f"{description[:1].upper()}{description[1:]} (Ctrl+Z undoes it)"
        self.refresh_views()
        self.schedule_autosave()
        return True

    def schedule_autosave(self) -> None:
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.set_timer(self.autosave_delay, self.action_autosave)

    def action_autosave(self) -> None:
        self._autosave_timer = None
        if self.session.dirty:
            self.save_now(quiet=True)

    def save_now(self, quiet: bool = False, choices: dict[Any, Any] | None = None) -> None:
        """Save the plan; with others on the same file, merge their saves in first."""
        try:
            if not self.watch_files:
                self.session.save()
                outcome = None
            else:
                outcome = self.session.save_together(self.who, self.instance,
                                                     choices)
        except EditRefused as exc:
            self.notify(f"Not saved: someone else's version could not be combined with "
                        f"yours ({exc}). Your changes are still here.", severity="error",
                        timeout=10)
            return
        except PlanError as exc:  # the file on disk was broken by another program
            self.notify(f"Not saved: the plan file on disk cannot be read as it is "
                        f"({exc.problems[0].message}). Your changes are still here.",
                        severity="error", timeout=10)
            return
        except OSError as exc:
            self.notify(f"Could not save: {exc.strerror or exc}. Your changes are still "
                        "here; try again.", severity="error", timeout=10)
            return
        if outcome is not None and outcome.conflicts:
            self._ask_about_conflicts(outcome.conflicts)
            return
        if outcome is not None and outcome.merged_from_others:
            self.refresh_views()
            self.notify("Saved, together with what others changed meanwhile.", timeout=4)
        self.update_status()
        if not quiet:
            self.notify(f"Saved {self.plan_path.name}", timeout=3)

    def _ask_about_conflicts(self, conflicts: list[Any]) -> None:
        """Someone else changed the same things: ask, for each, whether to keep theirs,
        keep mine, or write a new value agreed together."""
        from coplan.tui.screens.conflicts import ConflictScreen

        def done(choices: dict[Any, Any] | None) -> None:
            if choices is None:
                self.notify("Not saved yet: your changes are still here. Save again (Ctrl+S) "
                            "to choose.", severity="warning", timeout=8)
                return
            self.save_now(choices=choices)

        self.push_screen(ConflictScreen(conflicts), done)

    # -- following other people's saves -------------------------------------------------
    class PlanChanged(Message):
        """The plan file changed on disk (another copy of coplan, an editor, git)."""

    @work(exclusive=True, group="watch")
    async def _watch_plan(self) -> None:
        """Watch the plan's folder (saves replace the file, so the file itself would be
        lost) and say when the plan changes."""
        from watchfiles import awatch

        name = self.plan_path.name
        async for changes in awatch(self.plan_path.parent, debounce=150, step=50,
                                    recursive=False):
            if any(Path(changed).name == name for _, changed in changes):
                self.post_message(self.PlanChanged())

    @on(PlanChanged)
    def take_in_changes(self) -> None:
        """Read what is on disk now and take it in, keeping unsaved edits made here."""
        if not self.plan_path.exists():
            return  # moved away for a moment (some editors save that way)
        if not self.query(StageTable):
            return  # the app is closing: the watcher saw a save as the views went away
        try:
            disk = fileio.read_plan_text(self.plan_path)  # as every reader reads it
            if disk == self.session.saved_text:
                return  # our own save, or nothing new
            result = self.session.absorb(disk)
        except Exception as exc:  # a half-written or broken file must not take the app down
            self.notify(f"The plan file was changed outside this window and cannot be read "
                        f"as it is ({exc}). Your copy is kept.", severity="warning",
                        timeout=10)
            return
        self.refresh_views()
        self._prepare_document()
        who = self._who_changed()
        said = "; ".join(result.changes[:3]) or "changed the plan"
        self.notify(f"{who} {said}.", title="The plan changed", timeout=8)
        if result.conflicts:
            self.notify("Some of it clashes with changes you have not saved yet: "
                        + result.conflicts[0].describe()
                        + ". When you save, coplan asks whose version to keep.",
                        severity="warning", timeout=12)

    def _who_changed(self) -> str:
        from coplan.sync import read_activity

        entries, self._journal_offset = read_activity(self.plan_path, self._journal_offset)
        names = [e.who for e in entries if e.instance != self.instance]
        unique = list(dict.fromkeys(names))
        return " and ".join(unique) if unique else "Someone"


    # -- selection helpers --------------------------------------------------------------
    def selected_stage(self) -> str | None:
        return self.query_one(StageTable).selected_stage

    def _need_stage(self) -> str | None:
        sid = self.selected_stage()
        if sid is None:
            self.notify("Choose a stage first (on the Plan tab).", severity="warning")
        return sid

    def focus_stage(self, stage_id: str) -> None:
        self.action_show_tab("plan")
        self.query_one(StageTable).select_stage(stage_id)

    # -- actions: views -----------------------------------------------------------------
    MAIN_WIDGET: ClassVar[dict[str, str]] = {
        "plan": "#stages", "timeline": "#gantt", "review": "#findings",
        "people": "#people-table", "meetings": "#meetings-table",
        "protocol": "#protocol-scroll"}

    def action_show_tab(self, tab: str) -> None:
        """Show a tab and put the keyboard focus in it."""
        tabs = self.query_one(TabbedContent)
        target = self.query_one(self.MAIN_WIDGET[tab], Widget)
        self._refresh_tab(tab)
        if tabs.active != tab:
            # Let go of the focus first: if it stayed in the tab being hidden, Textual
            # would move it to a neighbour in that tab and switch straight back.
            self.set_focus(None)
            tabs.active = tab
            self.call_after_refresh(target.focus)
        else:
            target.focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_explain_terms(self) -> None:
        self.push_screen(GlossaryScreen(self.session.plan))

    def action_toggle_contrast(self) -> None:
        self.theme = "coplan" if self.theme == "coplan-high-contrast" else \
            "coplan-high-contrast"

    def action_toggle_presentation(self) -> None:
        self.presentation = not self.presentation
        self.screen.set_class(self.presentation, "presentation")
        self.query_one(StageTable).set_presentation(self.presentation)
        self.notify("Presentation layout on" if self.presentation else "Presentation layout off",
                    timeout=2)

    # -- actions: stages ----------------------------------------------------------------
    def action_add_stage(self) -> None:
        plan = self.session.plan
        after = self.selected_stage()

        def done(values: dict[str, Any] | None) -> None:
            if values:
                new: list[str] = []
                if self.edit(f"added the stage '{values['title']}'",
                             lambda doc: new.append(forms.apply_stage(doc, plan, None, values,
                                                                      after))):
                    self.query_one(StageTable).select_stage(new[0])

        self.push_screen(FormScreen("Add a stage", forms.stage_fields(plan, None),
                                    intro="It will come after the selected stage; you can "
                                          "change its links afterwards (l)."), done)

    def action_edit_stage(self) -> None:
        sid = self._need_stage()
        if sid is None:
            return
        plan = self.session.plan
        stage = plan.stage(sid)
        assert stage is not None

        def done(values: dict[str, Any] | None) -> None:
            if values:
                self.edit(f"changed the stage '{values['title']}'",
                          lambda doc: forms.apply_stage(doc, plan, stage, values))

        self.push_screen(FormScreen(f"Stage: {stage.title}", forms.stage_fields(plan, stage)),
                         done)

    def action_delete_stage(self) -> None:
        sid = self._need_stage()
        stage = self.session.plan.stage(sid) if sid else None
        if stage is None:
            return
        count = len(stage.touchpoints)

        def done(yes: bool | None) -> None:
            if yes:
                self.edit(f"deleted the stage '{stage.title}'",
                          lambda doc: doc.remove_stage(stage.id))

        self.push_screen(ConfirmScreen(
            f"Delete the stage '{stage.title}' and its {count} touchpoint"
            f"{'s' if count != 1 else ''}? Links to it are removed too. (Ctrl+Z undoes it.)",
            yes="Delete", no="Keep it"), done)

    def action_delete_selected(self) -> None:
        """Delete what is selected on the tab in view: a stage, a person or a meeting."""
        tab = self.query_one(TabbedContent).active
        if tab == "people":
            self._delete_person()
        elif tab == "meetings":
            self._delete_meeting()
        else:
            self.action_delete_stage()

    def _delete_person(self) -> None:
        pid = self.query_one(PeopleTable).selected_person
        person = self.session.plan.person(pid) if pid else None
        if person is None:
            return
        name = person.name or person.id
        count = sum(1 for t in self.session.plan.touchpoints if person.id in t.who)

        def done(yes: bool | None) -> None:
            if yes:
                self.edit(f"removed {name} from the plan",
                          lambda doc: doc.remove_person(person.id))

        self.push_screen(ConfirmScreen(
            f"Remove {name} from the plan? They are taken off the {count} touchpoint"
            f"{'s' if count != 1 else ''} they take part in. (Ctrl+Z undoes it.)",
            yes="Remove", no="Keep them"), done)

    def _delete_meeting(self) -> None:
        table = self.query_one(MeetingsTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        meeting = next((m for m in self.session.plan.meetings if m.id == key), None)
        if meeting is None:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.edit(f"removed the meeting '{meeting.title}'",
                          lambda doc: doc.remove_meeting(meeting.id))

        self.push_screen(ConfirmScreen(
            f"Remove the standing meeting '{meeting.title}'? (Ctrl+Z undoes it.)",
            yes="Remove", no="Keep it"), done)

    def action_delete_touchpoint(self) -> None:
        sid = self._need_stage()
        stage = self.session.plan.stage(sid) if sid else None
        if stage is None:
            return
        if not stage.touchpoints:
            self.notify(f"'{stage.title}' has no touchpoints to delete.", timeout=4)
            return

        def confirm(choice: str | None) -> None:
            if choice is None:
                return
            tp = stage.touchpoints[int(choice)]

            def done(yes: bool | None) -> None:
                if yes:
                    self.edit(f"deleted the touchpoint '{tp.title}' of '{stage.title}'",
                              lambda doc: doc.remove_touchpoint(stage.id, tp.index))

            left = len(stage.touchpoints) - 1
            warning = "" if left else (" The stage then has no touchpoint: nobody with lived "
                                       "experience takes part in it.")
            self.push_screen(ConfirmScreen(
                f"Delete the touchpoint '{tp.title}' of '{stage.title}'?{warning} "
                "(Ctrl+Z undoes it.)", yes="Delete", no="Keep it"), done)

        if len(stage.touchpoints) == 1:
            confirm("0")
        else:
            self.push_screen(PickScreen("Which touchpoint?",
                                        [(f"{i + 1}. {t.title}", str(i))
                                         for i, t in enumerate(stage.touchpoints)]), confirm)

    def action_add_touchpoint(self, stage_id: str | None = None) -> None:
        sid = stage_id or self._need_stage()
        plan = self.session.plan
        stage = plan.stage(sid) if sid else None
        if stage is None:
            return

        def done(values: dict[str, Any] | None) -> None:
            if values:
                self.edit(f"added a touchpoint to '{stage.title}'",
                          lambda doc: forms.apply_touchpoint(doc, stage, None, values))

        self.push_screen(FormScreen(f"New touchpoint in '{stage.title}'",
                                    forms.touchpoint_fields(plan, stage, None),
                                    intro="How will people with lived experience take part "
                                          "in this stage?"), done)

    def action_edit_touchpoint(self, stage_id: str | None = None, index: int | None = None
                               ) -> None:
        sid = stage_id or self._need_stage()
        plan = self.session.plan
        stage = plan.stage(sid) if sid else None
        if stage is None:
            return
        if not stage.touchpoints:
            self.action_add_touchpoint(stage.id)
            return

        def open_form(choice: str | None) -> None:
            if choice is None:
                return
            tp = stage.touchpoints[int(choice)]

            def done(values: dict[str, Any] | None) -> None:
                if values:
                    self.edit(f"changed a touchpoint of '{stage.title}'",
                              lambda doc: forms.apply_touchpoint(doc, stage, tp, values))

            self.push_screen(FormScreen(f"Touchpoint {tp.index + 1} of '{stage.title}'",
                                        forms.touchpoint_fields(plan, stage, tp)), done)

        if index is not None:
            open_form(str(index))
        elif len(stage.touchpoints) == 1:
            open_form("0")
        else:
            self.push_screen(PickScreen("Which touchpoint?",
                                        [(f"{i + 1}. {t.title}", str(i))
                                         for i, t in enumerate(stage.touchpoints)]), open_form)

    def action_add_dependency(self) -> None:
        sid = self._need_stage()
        plan = self.session.plan
        stage = plan.stage(sid) if sid else None
        if stage is None:
            return
        preds = waits_for(plan)
        current = {d.stage for d in stage.after}
        options = [(s.title, s.id) for s in plan.stages if s.id != stage.id
                   and s.id not in current]

        def refuse(other: str) -> str | None:
            loop = would_loop(preds, stage.id, other)
            if loop:
                names = [plan.stage(x).title if plan.stage(x) else x for x in loop]  # type: ignore[union-attr]
                return ("that would make a loop, so none of these stages could ever start: "
                        + describe_loop(names))
            return None

        def done(other: str | None) -> None:
            if other:
                title = plan.stage(other).title  # type: ignore[union-attr]
                self.edit(f"'{stage.title}' now waits for '{title}'",
                          lambda doc: doc.add_dependency(stage.id, other))

        self.push_screen(PickScreen(f"'{stage.title}' waits for…", options, refuse=refuse,
                                    intro="Choose the stage that must finish first."), done)

    def action_remove_dependency(self) -> None:
        sid = self._need_stage()
        plan = self.session.plan
        stage = plan.stage(sid) if sid else None
        if stage is None:
            return
        options = [(plan.stage(d.stage).title if plan.stage(d.stage) else d.stage, d.stage)  # type: ignore[union-attr]
                   for d in stage.after]

        def done(other: str | None) -> None:
            if other:
                self.edit(f"'{stage.title}' no longer waits for '{other}'",
                          lambda doc: doc.remove_dependency(stage.id, other))

        self.push_screen(PickScreen(f"'{stage.title}' stops waiting for…", options), done)

    # -- actions: people and meetings ---------------------------------------------------
    def action_add_person(self) -> None:
        plan = self.session.plan

        def done(values: dict[str, Any] | None) -> None:
            if values:
                self.edit(f"added {values['name']}",
                          lambda doc: forms.apply_person(doc, plan, None, values))

        self.push_screen(FormScreen("Add a person", forms.person_fields(plan, None),
                                    intro="Their access needs stay private: no calendar or "
                                          "document shows them."), done)

    def action_edit_person(self) -> None:
        plan = self.session.plan
        pid = self.query_one(PeopleTable).selected_person
        person = plan.person(pid) if pid else None
        if person is None:
            self.notify("Choose someone on the People tab first.", severity="warning")
            return

        def done(values: dict[str, Any] | None) -> None:
            if values:
                self.edit(f"changed {values['name']}'s details",
                          lambda doc: forms.apply_person(doc, plan, person, values))

        self.push_screen(FormScreen(f"{person.name or person.id}",
                                    forms.person_fields(plan, person)), done)

    @on(DataTable.RowSelected, "#people-table")
    def _person_chosen(self) -> None:
        self.action_edit_person()

    def action_add_meeting(self) -> None:
        plan = self.session.plan

        def done(values: dict[str, Any] | None) -> None:
            if values:
                self.edit(f"added the meeting '{values['title']}'",
                          lambda doc: forms.apply_meeting(doc, None, values))

        self.push_screen(FormScreen("Add a standing meeting", forms.meeting_fields(plan, None)),
                         done)

    @on(DataTable.RowSelected, "#meetings-table")
    def _meeting_chosen(self, event: DataTable.RowSelected) -> None:
        plan = self.session.plan
        meeting = next((m for m in plan.meetings if m.id == event.row_key.value), None)
        if meeting is None:
            return

        def done(values: dict[str, Any] | None) -> None:
            if values:
                self.edit(f"changed the meeting '{values['title']}'",
                          lambda doc: forms.apply_meeting(doc, meeting, values))

        self.push_screen(FormScreen(meeting.title, forms.meeting_fields(plan, meeting)), done)

    @on(RowTable.RowSelected, "#stages")
    def _stage_chosen(self) -> None:
        self.action_edit_touchpoint()

    # -- actions: plan-wide -------------------------------------------------------------
    def action_edit_settings(self) -> None:
        def done(values: dict[str, Any] | None) -> None:
            if values:
                self.edit("changed the slow-down and reflection settings",
                          lambda doc: forms.apply_settings(doc, values))

        self.push_screen(FormScreen("Slowing down and reflection",
                                    forms.settings_fields(self.session.plan),
                                    intro="Co-production takes longer. Plan for it openly."),
                         done)

    def action_edit_protocol(self) -> None:
        def done(values: dict[str, Any] | None) -> None:
            if values:
                self.edit("changed the protocol text",
                          lambda doc: forms.apply_protocol(doc, values))

        self.push_screen(FormScreen("The co-production protocol: what we agreed",
                                    forms.protocol_fields(self.session.plan),
                                    intro="Write these together. Empty parts show in the "
                                          "protocol as things still to agree."), done)

    def action_add_term(self) -> None:
        def done(values: dict[str, Any] | None) -> None:
            if values:
                self.edit(f"added '{values['term']}' to the glossary",
                          lambda doc: doc.add_entry("protocol.term", values))

        self.push_screen(FormScreen("Add to our glossary", forms.term_fields()), done)

    def action_add_signoff(self) -> None:
        def done(values: dict[str, Any] | None) -> None:
            if values:
                from datetime import date as _date

                entry = {"who": values["who"], "date": _date.fromisoformat(values["date"]),
                         "version": values["version"]}
                self.edit("recorded a sign-off of the protocol",
                          lambda doc: doc.add_entry("protocol.signoff", entry))

        self.push_screen(FormScreen("Record a sign-off",
                                    forms.signoff_fields(self.session.plan, self.today)), done)

    def action_log_decision(self) -> None:
        plan = self.session.plan

        def done(values: dict[str, Any] | None) -> None:
            if not values:
                return
            lived = len(plan.lived_in(tuple(values.get("who") or ())))
            if self.edit("logged a decision", lambda doc: forms.apply_log(doc, values)):
                self.notify(f"Decision logged; {lived} "
                            f"{'person' if lived == 1 else 'people'} with lived experience "
                            "took part.", timeout=4)

        self.push_screen(FormScreen("Log a decision",
                                    forms.log_fields(plan, self.today, self.selected_stage())),
                         done)

    # -- review -------------------------------------------------------------------------
    @on(RowTable.RowSelected, "#findings")
    def _finding_chosen(self) -> None:
        """Enter on a finding: go to what it is about."""
        finding = self.query_one(ReviewPanel).selected
        if finding is None:
            return
        stage = finding.subject.stage
        if stage and self.session.plan.stage(stage):
            self.focus_stage(stage)
        elif finding.subject.kind == "person":
            self.action_show_tab("people")
            self.query_one(PeopleTable).select_person(finding.subject.id)
        elif finding.subject.kind == "meeting":
            self.action_show_tab("meetings")
        self.notify(f"{finding.rule}: {finding.message.rstrip('.')}. {finding.fix}".strip(),
                    timeout=8)

    def _finding_to_fix(self) -> Finding | None:
        """The finding f applies to: the one selected on the Review tab, or elsewhere the
        first one with a quick fix about the selected stage."""
        if self.query_one(TabbedContent).active == "review":
            return self.query_one(ReviewPanel).selected
        sid = self.selected_stage()
        about = [f for f in self.session.report.findings if sid and f.subject.stage == sid]
        fixable = [f for f in about if fix_kind(f)]
        if not fixable:
            self.notify("Nothing here has a quick fix. The Review tab (3) lists everything "
                        "coplan found.", timeout=5)
            return None
        return min(fixable, key=lambda f: -f.severity)

    def action_fix_finding(self) -> None:
        finding = self._finding_to_fix()
        if finding is None:
            return
        plan = self.session.plan
        kind = fix_kind(finding)
        if kind == "add-touchpoint":
            self.action_add_touchpoint(finding.subject.stage)
        elif kind == "touchpoint":
            stage = plan.stage(finding.subject.stage)
            tp = next((t for t in stage.touchpoints if t.id == finding.subject.id), None) \
                if stage else None
            if stage is not None and tp is not None:
                self.action_edit_touchpoint(stage.id, tp.index)
        elif kind == "settings":
            self.action_edit_settings()
        elif kind == "protocol":
            self.action_edit_protocol()
        else:
            self.notify(f"No quick fix for {finding.rule}. {finding.fix}", timeout=8)

    # -- undo, save, export, quit -------------------------------------------------------
    def action_undo(self) -> None:
        try:
            what = self.session.undo()
        except EditRefused as exc:
            self.notify(f"Not undone: {exc}", severity="warning", timeout=8)
            return
        if what is None:
            self.notify("Nothing to undo.", timeout=2)
            return
        self.last_change = f"Undone: {what} (Ctrl+Y redoes it)"
        self.refresh_views()
        self._prepare_document()
        self.schedule_autosave()

    def action_redo(self) -> None:
        try:
            what = self.session.redo()
        except EditRefused as exc:
            self.notify(f"Not redone: {exc}", severity="warning", timeout=8)
            return
        if what is None:
            self.notify("Nothing to redo.", timeout=2)
            return
        self.last_change = f"Redone: {what}"
        self.refresh_views()
        self._prepare_document()
        self.schedule_autosave()

    def action_save(self) -> None:
        self.save_now()

    def action_export(self) -> None:
        from coplan.plugins import all_exporters

        self.push_screen(ExportScreen(all_exporters(), self.session, self.plan_path))

    async def action_quit(self) -> None:
        """Save and leave; if the save could not be made, stay, so nothing is lost."""
        if self.session.dirty:
            self.save_now(quiet=True)
            if self.session.dirty:
                self.notify("coplan is still open because your changes are not saved yet. "
                            "Ctrl+Q again after saving leaves.", severity="warning", timeout=8)
                return
        self.exit()

    # -- protocol preview ---------------------------------------------------------------
    def render_protocol(self) -> None:
        self._render_protocol_worker(self.session.plan, self.session.schedule,
                                     self.session.report)

    class ProtocolReady(Message):
        """The protocol preview's Markdown, made in a worker thread."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    @work(thread=True, exclusive=True, group="protocol")
    def _render_protocol_worker(self, plan: Any, sched: Any, report: Any) -> None:
        self.post_message(self.ProtocolReady(protocol_markdown(plan, sched, report,
                                                               self.today)))

    @on(ProtocolReady)
    async def _show_protocol(self, message: ProtocolReady) -> None:
        if message.text != self._protocol_text:
            self._protocol_text = message.text
            await self.query_one("#protocol-preview", Markdown).update(message.text)

    # -- command palette ----------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for spec in ACTIONS:
            yield SystemCommand(spec.palette_title, spec.help,
                                partial(self.call_later, self.run_action, spec.action))


MERMAID = re.compile(r"```mermaid\n.*?```\n?", re.DOTALL)


def protocol_markdown(plan: Any, sched: Any, report: Any, today: date | None = None) -> str:
    """The protocol as Markdown, as the protocol exporter writes it (``coplan export
    protocol``, through the same registry and ``run_export``), or a short outline when that
    exporter is not available or cannot run."""
    from datetime import UTC, datetime, time

    from coplan.export.contract import Options, run_export
    from coplan.plugins import all_exporters

    exporter = all_exporters().get("protocol")
    if exporter is None:
        return _basic_protocol(plan)
    if sched is None:
        return _basic_protocol(plan) + "\n_The full protocol needs a plan that can be " \
            "scheduled: put right what the Review tab marks ✖, then look again._\n"
    when = datetime.combine(today, time(), UTC) if today is not None else None
    try:
        text = run_export(exporter, plan, sched, Options(format="md", report=report,
                                                         when=when)).decode("utf-8")
    except Exception as exc:  # a preview must never take the app down
        return _basic_protocol(plan) + f"\n_The full protocol could not be made: {exc}_\n"
    # A terminal cannot draw the Mermaid chart; the Timeline tab shows the same thing.
    return MERMAID.sub("_The timeline chart is in the exported document, and on the "
                       "Timeline tab (2)._\n", text)


def _basic_protocol(plan: Any) -> str:
    p = plan.protocol
    lines = [f"# {plan.project.title}: co-production protocol", "",
             f"Version {p.version} ({p.status})", ""]
    for key, label in forms.PROTOCOL_TEXT:
        lines.append(f"## {label}")
        lines.append(getattr(p, key) or "_To agree together._")
        lines.append("")
    return "\n".join(lines)
