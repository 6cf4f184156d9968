"""The Plan tab: the stages in the order they happen, and the selected stage in full.

Its actions change stages, their touchpoints and links, the slow-down settings and the
decision log.  The selected stage here is the one other tabs act on ("the selected
stage"), so the table follows every change even while another tab is on screen.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll

from coplan.durations import calendar_days
from coplan.graph import describe_loop, waits_for, would_loop
from coplan.model import Stage, Touchpoint
from coplan.session import Views
from coplan.tui import forms
from coplan.tui.action_spec import ActionSpec
from coplan.tui.panes.base import Pane
from coplan.tui.screens.confirm import CAN_UNDO, ConfirmScreen
from coplan.tui.screens.form import Field, FormScreen
from coplan.tui.screens.pick import PickScreen
from coplan.tui.widgets.literal import Static
from coplan.tui.widgets.row_table import RowTable
from coplan.tui.widgets.stage_details import StageDetails
from coplan.tui.widgets.stage_table import STATUS_CHOICES, StageFilter, StageTable
from coplan.tui.widgets.text import show
from coplan.vocab import PHASE


def _kept(what: str) -> str:
    """The notice after a question to delete something was answered no."""
    return f"Nothing was deleted: {what} is kept."


class PlanPane(Pane):
    """The stages as a table, with the selected stage's details beside it."""

    MAIN = "#stages"
    ACTIONS: ClassVar[tuple[ActionSpec, ...]] = (
        ActionSpec("add_stage", "a", "stage", "add a stage",
                   "Add a new stage after the selected one.", footer="Add stage", rank=2),
        ActionSpec("edit_stage", "e", "stage", "edit", "Change the selected stage's name, "
                   "phase or length.", footer="Edit", rank=3),
        ActionSpec("add_touchpoint", "t", "stage", "add touchpoint",
                   "Plan how people with lived experience take part in the selected stage.",
                   footer="Touchpoint", rank=4),
        ActionSpec("edit_touchpoint", "T", "stage", "edit a touchpoint",
                   "Change one of the selected stage's touchpoints.", show=False),
        ActionSpec("add_dependency", "l", "stage", "link to an earlier stage",
                   "Make the selected stage wait for another one.", show=False),
        ActionSpec("remove_dependency", "L", "stage", "remove a link",
                   "Stop the selected stage waiting for another one.", show=False),
        ActionSpec("delete_selected", "delete", "edit", "delete the selected item",
                   "Delete the selected stage (or, on the People and Meetings tabs, the "
                   "selected person or meeting). Asks first.", show=False),
        ActionSpec("delete_touchpoint", "D", "stage", "delete a touchpoint",
                   "Remove one of the selected stage's touchpoints (asks first).", show=False),
        ActionSpec("edit_settings", "s", "plan", "slow-down and reflection settings",
                   "How much time to add for co-production, and how often to stop and "
                   "reflect.", show=False),
        ActionSpec("log_decision", "d", "plan", "log a decision",
                   "Record a decision and who took part in it.", footer="Decision", rank=8),
        ActionSpec("move_stage_up", "left_square_bracket", "stage", "move up in the file",
                   "Move the selected stage (with its touchpoints and comments) above the "
                   "one before it in the plan file.", show=False),
        ActionSpec("move_stage_down", "right_square_bracket", "stage", "move down in the file",
                   "Move the selected stage below the one after it in the plan file.",
                   show=False),
        ActionSpec("duplicate_stage", "c", "stage", "copy the stage",
                   "Make a copy of the selected stage, with its touchpoints, just after it.",
                   show=False),
        ActionSpec("duplicate_touchpoint", "C", "stage", "copy a touchpoint",
                   "Make a copy of one of the selected stage's touchpoints, just after it.",
                   show=False),
        ActionSpec("find_stages", "slash", "view", "find stages",
                   "Show only some stages: by words in the name, state, person or phase.",
                   footer="Find", rank=9),
        ActionSpec("toggle_order", "O", "view", "date order or file order",
                   "List the stages in the order they happen, or as written in the plan.",
                   show=False),
    )

    def compose(self) -> ComposeResult:
        with Horizontal(id="plan-view"):
            with Vertical(id="stage-list"):
                yield Static("", id="stage-filter")
                yield StageTable(id="stages")
            with VerticalScroll(id="details-scroll"):
                yield StageDetails(id="details")
        yield Static(StageTable.MARKS, id="stage-key", classes="marks-key")

    # -- showing ------------------------------------------------------------------------
    @property
    def table(self) -> StageTable:
        return self.query_one(StageTable)

    def track(self, views: Views) -> None:
        self.table.refresh_from(views)
        show(self.query_one("#stage-filter", Static), self.table.describe())

    def refresh_from(self, views: Views) -> None:
        self.query_one(StageDetails).show(views, self.selected_stage)

    def set_presentation(self, on: bool) -> None:
        self.table.set_presentation(on)

    @on(RowTable.RowHighlighted, "#stages")
    def _stage_highlighted(self) -> None:
        self.query_one(StageDetails).show(self.session.views, self.selected_stage)

    @on(RowTable.RowSelected, "#stages")
    def _stage_chosen(self) -> None:
        self.action_edit_touchpoint()

    # -- the selected stage -------------------------------------------------------------
    @property
    def selected_stage(self) -> str | None:
        return self.table.selected_stage

    def focus_stage(self, stage_id: str) -> None:
        """Show this tab with ``stage_id`` selected."""
        self.host.show_tab(self.id or "plan")
        self.show_stage(stage_id)

    def show_stage(self, stage_id: str) -> None:
        """Select a stage in the list; if what the list shows leaves it out (a new stage,
        say), show every stage again, and say so."""
        if self.table.select_stage(stage_id) or not self.table.only:
            return
        self.table.only = StageFilter()
        self.track(self.session.views)
        self.table.select_stage(stage_id)
        self.notify("Showing every stage again, so that you can see this one.", timeout=5)

    def _need_stage(self) -> Stage | None:
        sid = self.selected_stage
        stage = self.session.plan.stage(sid) if sid else None
        if sid is None:
            self.notify("Choose a stage first (on the Plan tab).", severity="warning")
        return stage

    # -- stages -------------------------------------------------------------------------
    @work(group="dialog")
    async def action_add_stage(self) -> None:
        plan = self.session.plan
        after = self.selected_stage
        new: list[str] = []
        values = await self.app.push_screen_wait(FormScreen(
            "Add a stage", forms.stage_fields(plan, None, today=self.host.today),
            intro="It comes after the selected stage, and the stages that waited for that "
                  "one wait for the new one instead. You can change its links afterwards "
                  "(l and L)." if after else "It starts the plan; link it to others with l.",
            save=lambda values: self.host.attempt(
                f"added the stage '{values['title']}'",
                lambda doc: new.append(forms.apply_stage(doc, plan, None, values, after)))))
        if values and values.made:
            self.show_stage(new[0])

    @work(group="dialog")
    async def action_edit_stage(self) -> None:
        stage = self._need_stage()
        if stage is None:
            return
        plan = self.session.plan
        await self.app.push_screen_wait(FormScreen(
            f"Stage: {stage.title}", forms.stage_fields(plan, stage, self.session.document,
                               today=self.host.today),
            save=lambda values: self.host.attempt(
                f"changed the stage '{values['title']}'",
                lambda doc: forms.apply_stage(doc, plan, stage, values))))

    @work(group="dialog")
    async def action_delete_selected(self) -> None:
        """Delete the selected stage (asks first)."""
        stage = self._need_stage()
        if stage is None:
            return
        count = len(stage.touchpoints)
        what = (f"Delete the stage '{stage.title}' and its {count} touchpoint"
                f"{'s' if count != 1 else ''}?")
        followers = [s for s in self.session.plan.stages
                     if stage.id in {d.stage for d in s.after}]
        if not (stage.after and followers):
            if await self.app.push_screen_wait(ConfirmScreen(
                    f"{what} Links to it would go too. {CAN_UNDO}",
                    yes="Delete", no="Keep it", kept=_kept(f"the stage '{stage.title}'"))):
                self.host.edit(f"deleted the stage '{stage.title}'",
                               lambda doc: doc.remove_stage(stage.id))
            return
        from coplan.edit import EditError

        before = ", ".join(f"'{s.title}'" for s in followers)
        try:
            joined = self._finish_without(stage.id, reconnect=True)
            loose = self._finish_without(stage.id, reconnect=False)
        except EditError as exc:  # what happened in it is history to keep
            self.notify(f"Not deleted: {exc}", title="That change was not made",
                        severity="warning", timeout=10)
            return
        choice = await self.app.push_screen_wait(PickScreen(
            what, [("Keep it", "keep"),  # the safe answer first, chosen already
                   (f"Delete it, and let {before} wait for what it waited for: {joined}",
                    "join"),
                   (f"Delete it and its links, so {before} no longer "
                    f"{'waits' if len(followers) == 1 else 'wait'} for it: {loose}", "drop")],
            intro="As the plan stands, it ends " + self._finish_now() + ". " + CAN_UNDO))
        if choice in ("join", "drop"):
            self.host.edit(f"deleted the stage '{stage.title}'",
                           lambda doc: doc.remove_stage(stage.id,
                                                        reconnect=choice == "join"))
        else:  # Keep it, or Esc
            self.notify(_kept(f"the stage '{stage.title}'"), timeout=5)

    def _finish_now(self) -> str:
        sched = self.session.schedule
        return f"on {sched.finish:%d %b %Y}" if sched else "on a date that cannot be worked out"

    def _finish_without(self, stage_id: str, *, reconnect: bool) -> str:
        """Where the plan would end without the stage, said against where it ends now."""
        from coplan.edit import PlanDocument
        from coplan.errors import PlanError
        from coplan.planfile import parse_plan
        from coplan.schedule import ScheduleError, schedule

        now = self.session.schedule
        doc = PlanDocument(self.session.text)
        doc.remove_stage(stage_id, reconnect=reconnect)
        try:
            finish = schedule(parse_plan(doc.text()), today=self.host.today).finish
        except (PlanError, ScheduleError):
            return "the plan could then not be scheduled"
        if now is None:
            return f"the plan would end on {finish:%d %b %Y}"
        days = (finish - now.finish).days
        if days == 0:
            return f"the plan still ends on {finish:%d %b %Y}"
        return (f"the plan would end on {finish:%d %b %Y}, "
                f"{calendar_days(abs(days))} "
                f"{'earlier' if days < 0 else 'later'}")

    # -- order, copies and finding -------------------------------------------------------
    def action_move_stage_up(self) -> None:
        self._move(-1)

    def action_move_stage_down(self) -> None:
        self._move(1)

    def _move(self, step: int) -> None:
        stage = self._need_stage()
        if stage is None:
            return
        ids = [s.id for s in self.session.plan.stages]
        index = ids.index(stage.id) + step
        if not 0 <= index < len(ids):
            self.notify(f"'{stage.title}' is already the {'first' if step < 0 else 'last'} "
                        "stage in the plan file.", timeout=4)
            return
        where = "up" if step < 0 else "down"
        if self.host.edit(f"moved the stage '{stage.title}' {where} in the file",
                          lambda doc: doc.move_stage(stage.id, step)) and \
                self.table.order != "file":
            # In date order the list would not change: show the order that did.
            self.table.order = "file"
            self.track(self.session.views)
            self.notify("The list now shows the stages as written in the plan file "
                        "(O goes back to the order they happen).", timeout=6)
        self.show_stage(stage.id)

    def action_duplicate_stage(self) -> None:
        stage = self._need_stage()
        if stage is None:
            return
        new: list[str] = []
        if self.host.edit(f"copied the stage '{stage.title}'",
                          lambda doc: new.append(doc.duplicate_stage(stage.id))):
            self.show_stage(new[0])

    def action_duplicate_touchpoint(self) -> None:
        stage = self._need_stage()
        if stage is None:
            return
        if not stage.touchpoints:
            self.notify(f"'{stage.title}' has no touchpoints to copy.", timeout=4)
        elif len(stage.touchpoints) == 1:
            self._copy_touchpoint(stage, 0)
        else:
            self._ask_which_to_copy(stage)

    @work(group="dialog")
    async def _ask_which_to_copy(self, stage: Stage) -> None:
        chosen = await self._pick_touchpoint(stage)
        if chosen is not None:
            self._copy_touchpoint(stage, chosen)

    def _copy_touchpoint(self, stage: Stage, index: int) -> None:
        tp = stage.touchpoints[index]
        self.host.edit(f"copied the touchpoint '{tp.title}' of '{stage.title}'",
                       lambda doc: doc.duplicate_touchpoint(stage.id, tp.index))

    @work(group="dialog")
    async def action_find_stages(self) -> None:
        """Ask which stages to show; an empty answer shows them all."""
        plan = self.session.plan
        only = self.table.only
        values = await self.app.push_screen_wait(FormScreen(
            "Find stages", [
                Field("text", "Words in the stage's name", value=only.text,
                      help="Stages whose name, id or notes have every word typed here."),
                Field("status", "State", "select", only.status,
                      [("Any state", ""), *STATUS_CHOICES]),
                Field("person", "Person taking part", "select", only.person,
                      [("Anyone", ""), *forms.people_options(plan)]),
                Field("phase", "Phase", "select", only.phase,
                      [("Any phase", ""), *forms.options_of(PHASE)]),
            ], intro="Show only the stages that match everything below. Leave a field "
                     "empty, or choose Any, to show them all.", submit_label="Show",
            ask_before_closing=False))
        if values is None:
            return
        self.table.only = StageFilter(*(str(values.get(k) or "")
                                        for k in ("text", "status", "person", "phase")))
        self.track(self.session.views)
        self.query_one(StageDetails).show(self.session.views, self.selected_stage)

    def action_toggle_order(self) -> None:
        self.table.order = "file" if self.table.order == "date" else "date"
        self.track(self.session.views)
        self.notify("The stages are listed " + (
            "in the order they happen." if self.table.order == "date" else
            "as they are written in the plan file."), timeout=3)

    # -- touchpoints --------------------------------------------------------------------
    async def _pick_touchpoint(self, stage: Stage, index: int | None = None) -> int | None:
        """Which of the stage's touchpoints: the one given, the only one, or asked."""
        if index is not None:
            return index
        if len(stage.touchpoints) == 1:
            return 0
        choice = await self.app.push_screen_wait(PickScreen(
            "Which touchpoint?", [(f"{i + 1}. {t.title}", str(i))
                                  for i, t in enumerate(stage.touchpoints)]))
        return None if choice is None else int(choice)

    def action_add_touchpoint(self) -> None:
        stage = self._need_stage()
        if stage is not None:
            self.add_touchpoint(stage.id)

    @work(group="dialog")
    async def add_touchpoint(self, stage_id: str) -> None:
        plan = self.session.plan
        stage = plan.stage(stage_id)
        if stage is None:
            return
        await self.app.push_screen_wait(FormScreen(
            f"New touchpoint in '{stage.title}'",
            forms.touchpoint_fields(plan, stage, None, today=self.host.today),
            intro="How will people with lived experience take part in this stage?",
            save=lambda values: self.host.attempt(
                f"added a touchpoint to '{stage.title}'",
                lambda doc: forms.apply_touchpoint(doc, stage, None, values))))

    def action_edit_touchpoint(self) -> None:
        stage = self._need_stage()
        if stage is not None:
            self.edit_touchpoint(stage.id)

    @work(group="dialog")
    async def edit_touchpoint(self, stage_id: str, index: int | None = None) -> None:
        """Change one of a stage's touchpoints (the one at ``index``, or the person
        chooses); a stage without any gets a new one instead.  Esc in the form goes back
        to the touchpoints it was chosen from (where there was a choice), Esc there
        closes, as everywhere else in the app."""
        plan = self.session.plan
        stage = plan.stage(stage_id)
        if stage is None:
            return
        if not stage.touchpoints:
            self.add_touchpoint(stage.id)
            return
        chose = index is None and len(stage.touchpoints) > 1
        while True:
            chosen = await self._pick_touchpoint(stage, index)
            if chosen is None:
                return
            tp = stage.touchpoints[chosen]
            values = await self.app.push_screen_wait(FormScreen(
                f"Touchpoint {tp.index + 1} of '{stage.title}'",
                forms.touchpoint_fields(plan, stage, tp, self.session.document,
                                        today=self.host.today),
                back="the touchpoints" if chose else "",
                save=partial(self._change_touchpoint, stage, tp)))
            if values or not chose:
                return

    def _change_touchpoint(self, stage: Stage, tp: Touchpoint,
                           values: dict[str, Any]) -> bool | str:
        return self.host.attempt(f"changed a touchpoint of '{stage.title}'",
                                 lambda doc: forms.apply_touchpoint(doc, stage, tp, values))

    @work(group="dialog")
    async def action_delete_touchpoint(self) -> None:
        """Which touchpoint (where there is a choice), then whether to delete it: No or
        Esc there goes back to the touchpoints, as Esc in a form chosen from a list does;
        Esc in the list closes.  A notice says that nothing was deleted."""
        stage = self._need_stage()
        if stage is None:
            return
        if not stage.touchpoints:
            self.notify(f"'{stage.title}' has no touchpoints to delete.", timeout=4)
            return
        chose = len(stage.touchpoints) > 1
        while True:
            chosen = await self._pick_touchpoint(stage)
            if chosen is None:
                return
            tp = stage.touchpoints[chosen]
            left = len(stage.touchpoints) - 1
            warning = "" if left else (" The stage would then have no touchpoint: nobody "
                                       "with lived experience would take part in it.")
            if await self.app.push_screen_wait(ConfirmScreen(
                    f"Delete the touchpoint '{tp.title}' of '{stage.title}'?{warning} "
                    f"{CAN_UNDO}", yes="Delete", no="Keep it",
                    kept=_kept(f"the touchpoint '{tp.title}'"),
                    back="the touchpoints" if chose else "")):
                self._delete_touchpoint(stage, tp)
                return
            if not chose:
                return

    def _delete_touchpoint(self, stage: Stage, tp: Touchpoint) -> None:
        self.host.edit(f"deleted the touchpoint '{tp.title}' of '{stage.title}'",
                       lambda doc: doc.remove_touchpoint(stage.id, tp.index))

    # -- links --------------------------------------------------------------------------
    @work(group="dialog")
    async def action_add_dependency(self) -> None:
        stage = self._need_stage()
        if stage is None:
            return
        plan = self.session.plan
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

        other = await self.app.push_screen_wait(PickScreen(
            f"'{stage.title}' waits for…", options, refuse=refuse,
            intro="Choose the stage that must finish first."))
        if other:
            title = plan.stage(other).title  # type: ignore[union-attr]
            self.host.edit(f"'{stage.title}' now waits for '{title}'",
                           lambda doc: doc.add_dependency(stage.id, other))

    @work(group="dialog")
    async def action_remove_dependency(self) -> None:
        stage = self._need_stage()
        if stage is None:
            return
        plan = self.session.plan
        options = [(plan.stage(d.stage).title if plan.stage(d.stage) else d.stage, d.stage)  # type: ignore[union-attr]
                   for d in stage.after]
        other = await self.app.push_screen_wait(PickScreen(
            f"'{stage.title}' stops waiting for…", options))
        if other:
            self.host.edit(f"'{stage.title}' no longer waits for '{other}'",
                           lambda doc: doc.remove_dependency(stage.id, other))

    # -- plan-wide ----------------------------------------------------------------------
    @work(group="dialog")
    async def action_edit_settings(self) -> None:
        await self.app.push_screen_wait(FormScreen(
            "Slowing down and reflection",
            forms.settings_fields(self.session.plan, self.session.document),
            intro="Co-production takes longer. Plan for it openly.",
            save=lambda values: self.host.attempt(
                "changed the slow-down and reflection settings",
                lambda doc: forms.apply_settings(doc, values))))

    @work(group="dialog")
    async def action_log_decision(self) -> None:
        plan = self.session.plan
        values = await self.app.push_screen_wait(FormScreen(
            "Log a decision", forms.log_fields(plan, self.host.today, self.selected_stage),
            save=lambda values: self.host.attempt(
                "logged a decision", lambda doc: forms.apply_log(doc, values))))
        if values and values.made:
            lived = len(plan.lived_in(tuple(values.get("who") or ())))
            self.notify(f"Decision logged; {lived} "
                        f"{'person' if lived == 1 else 'people'} with lived experience "
                        "took part.", timeout=4)
