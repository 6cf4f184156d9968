"""The app's main journeys, driven with the keyboard through the real forms.

Each test ends by reading the plan file itself: what the team sees is only half of it; what
matters is what was written.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from click.testing import CliRunner
from forms_pilot import choose, pick, save, tick, type_into
from tui_support import SIZE, copy_example, make_app, settle

from coplan.edit import PlanDocument
from coplan.planfile import load_plan
from coplan.tui.screens.confirm import ConfirmScreen
from coplan.tui.screens.form import FormScreen
from coplan.tui.screens.help import GlossaryScreen, HelpScreen
from coplan.tui.screens.pick import PickScreen
from coplan.tui.widgets.review_panel import ReviewPanel
from coplan.tui.widgets.stage_table import StageTable


def stage_ids(path: Path) -> list[str]:
    return [s.id for s in load_plan(path).stages]


# -- a new plan from a template -----------------------------------------------------------

async def test_edit_yes_creates_the_plan_from_a_template_and_opens_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coplan import cli

    opened: list[Path] = []
    monkeypatch.setattr(cli, "_run_app", lambda path, *args, **kwargs: opened.append(path))
    path = tmp_path / "our-study.toml"
    result = CliRunner().invoke(cli.cli, ["edit", "--yes", "--template", "research-study",
                                          str(path)])
    assert result.exit_code == 0, result.output
    assert opened == [path]
    written = load_plan(path)
    assert written.stages, "the template's stages are in the new plan"

    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(StageTable)
        assert table.keys == list(app.session.schedule.order)
        assert set(table.keys) == {s.id for s in written.stages}
        assert "our-study.toml (saved)" in app.sub_title


# -- adding a stage, a link and a touchpoint -------------------------------------------------

async def test_add_a_stage_with_a_link_and_a_touchpoint(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(StageTable)
        table.select_stage("evaluate")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await type_into(pilot, "title", "Checking in with the wards")
        await type_into(pilot, "duration", "3w")
        await choose(pilot, "phase", "evaluate")
        await save(pilot)
        assert not isinstance(app.screen, FormScreen)
        assert table.selected_stage == "checking-in-with-the-wards"

        await pilot.press("l")  # it also waits for the stage where findings are shared
        await pilot.pause()
        assert isinstance(app.screen, PickScreen)
        await pick(pilot, "share-back")
        assert not isinstance(app.screen, PickScreen)

        await pilot.press("t")
        await pilot.pause()
        await type_into(pilot, "purpose", "Hear from people on the wards how the new "
                                          "discharge plan is going.")
        await choose(pilot, "format", "focus-group")
        await choose(pilot, "ladder", "co-production")
        await choose(pilot, "role", "decision-maker")
        await tick(pilot, "who", "sam", "dev")
        await type_into(pilot, "feedback", "A you-said-we-did note")
        await save(pilot)
        assert not isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not app.session.dirty

    plan = load_plan(plan_path)
    stage = plan.stage("checking-in-with-the-wards")
    assert stage is not None
    assert stage.title == "Checking in with the wards"
    assert stage.duration_days == 15
    assert stage.phase == "evaluate"
    assert [d.stage for d in stage.after] == ["evaluate", "share-back"]
    (tp,) = stage.touchpoints
    assert tp.who == ("sam", "dev")
    assert (tp.ladder, tp.role, tp.format) == ("co-production", "decision-maker", "focus-group")
    assert tp.feedback == "A you-said-we-did note"
    text = plan_path.read_text(encoding="utf-8")
    block = text[text.index('id = "checking-in-with-the-wards"'):]
    assert 'after = ["evaluate", "share-back"]' in block
    assert "[[stage.touchpoint]]" in block
    assert 'who = ["sam", "dev"]' in block


# -- fixing a review finding --------------------------------------------------------------

@pytest.fixture
def plan_missing_a_touchpoint(tmp_path: Path) -> Path:
    path = copy_example(tmp_path)
    doc = PlanDocument.open(path)
    doc.add_stage("ward-visits", "Visiting the wards", "2w", phase="collect",
                  after=["recruit"])
    doc.save()
    return path


async def test_fix_a_finding_from_the_review_panel(plan_missing_a_touchpoint: Path) -> None:
    path = plan_missing_a_touchpoint
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        panel = app.query_one(ReviewPanel)
        assert app.focused is panel
        rules = [(f.rule, f.subject.stage) for f in panel.findings]
        assert ("CP-STG-001", "ward-visits") in rules
        while panel.selected is not None and (panel.selected.rule, panel.selected.subject.stage) \
                != ("CP-STG-001", "ward-visits"):
            await pilot.press("down")
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "Visiting the wards" in app.screen.form_title
        await type_into(pilot, "purpose", "Plan the visits together")
        await tick(pilot, "who", "sam", "tendai")
        await type_into(pilot, "feedback", "A short note after each visit")
        await save(pilot)
        assert app.query_one("#tabs").active == "review"
        rules = [(f.rule, f.subject.stage) for f in panel.findings]
        assert ("CP-STG-001", "ward-visits") not in rules
        await pilot.press("ctrl+s")
        await pilot.pause()
    stage = load_plan(path).stage("ward-visits")
    assert stage is not None and len(stage.touchpoints) == 1
    assert stage.touchpoints[0].who == ("sam", "tendai")


# -- refusing a loop ----------------------------------------------------------------------

async def test_a_link_that_would_make_a_loop_is_refused(plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one(StageTable).select_stage("priorities")
        await pilot.press("l")
        await pilot.pause()
        await pick(pilot, "design")  # design comes after priorities: it would be a loop
        assert isinstance(app.screen, PickScreen), "the choice stays open, with the reason"
        refusal = str(app.screen.query_one("#refusal").render())
        assert "loop" in refusal
        for title in ("Hearing what matters", "Agreeing the question", "Designing the study"):
            assert title in refusal
        await pilot.press("escape")
        await pilot.pause()
        assert not app.session.dirty
        await pilot.press("ctrl+q")
    assert plan_path.read_text(encoding="utf-8") == before


# -- undo, redo, autosave, reopening ------------------------------------------------------

async def test_undo_and_redo(plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one(StageTable).select_stage("analysis")
        await pilot.press("delete")
        await pilot.pause()
        # A stage between others: from "Keep it" down to "delete it and join its neighbours".
        await pick(pilot, "join")
        assert "analysis" not in app.query_one(StageTable).keys
        after_delete = app.session.text

        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.session.text == before
        assert "analysis" in app.query_one(StageTable).keys
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert plan_path.read_text(encoding="utf-8") == before

        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.session.text == after_delete
        assert "analysis" not in app.query_one(StageTable).keys
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "analysis" not in stage_ids(plan_path)

        await pilot.press("ctrl+y")  # nothing left to redo: says so, changes nothing
        await pilot.pause()
        assert app.session.text == after_delete


async def test_autosave_is_scheduled_after_an_edit_and_writes_the_file(plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app._autosave_timer is None
        app.edit("renamed a stage", lambda doc: doc.set_stage("aims", "title", "Our aims"))
        await pilot.pause()
        assert app._autosave_timer is not None, "an autosave waits after every edit"
        assert app.session.dirty and plan_path.read_text(encoding="utf-8") == before
        assert "not saved" in app.sub_title
        app.action_autosave()
        await settle(pilot)
        assert not app.session.dirty
        assert "(saved)" in app.sub_title
    assert load_plan(plan_path).stage("aims").title == "Our aims"  # type: ignore[union-attr]


async def test_reopening_shows_the_same_plan(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one(StageTable).select_stage("implement")
        await pilot.press("a")
        await pilot.pause()
        await type_into(pilot, "title", "A second look")
        await type_into(pilot, "duration", "2w")
        await save(pilot)
        await pilot.press("ctrl+q")  # quitting saves
        await pilot.pause()
    assert "a-second-look" in stage_ids(plan_path)

    again = make_app(plan_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keys = again.query_one(StageTable).keys
        assert "a-second-look" in keys
        assert keys.index("a-second-look") > keys.index("implement")
        assert not again.session.dirty


# -- the file stays the team's own --------------------------------------------------------

async def test_editing_keeps_comments_and_changes_only_the_edited_line(plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one(StageTable).select_stage("aims")
        await pilot.press("e")
        await pilot.pause()
        await type_into(pilot, "title", "Agreeing what we want to find out")
        await save(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    after = plan_path.read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                     lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ['-title = "Agreeing the question and aims"',
                       '+title = "Agreeing what we want to find out"']
    assert after.count("\n#") == before.count("\n#")


async def test_delete_asks_first_and_keep_it_keeps_it(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one(StageTable).select_stage("recommendations")
        await pilot.press("delete")
        await pilot.pause()
        # A stage between others: keep it, or delete it joining its neighbours, or not.
        assert isinstance(app.screen, PickScreen)
        assert "recommend" in app.screen.pick_title.lower()
        assert app.screen.options[0] == ("Keep it", "keep"), "the safe answer first"
        await pilot.press("enter")
        await pilot.pause()
        assert "recommendations" in app.query_one(StageTable).keys

        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # delete it and its links
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    plan = load_plan(plan_path)
    assert plan.stage("recommendations") is None
    assert all(d.stage != "recommendations" for s in plan.stages for d in s.after)


# -- help, words, display -----------------------------------------------------------------

async def test_help_lists_every_action_with_its_key(plan_path: Path) -> None:
    from coplan.tui.actions import ACTIONS

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.text
        for spec in ACTIONS:
            assert spec.palette_title in text
        assert "stage: add touchpoint" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_glossary_explains_the_words(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        text = app.screen.text
        for word in ("Co-production", "Touchpoint", "Co-design", "Decision-maker",
                     "Think Local Act Personal"):
            assert word in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, GlossaryScreen)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_glossary_shows_every_source_address_whole(width: int) -> None:
    """A source's address longer than the column goes on over the next lines, never cut off
    with "…", so it can be read and copied."""
    from rich.console import Console

    from coplan.tui.screens.help import glossary
    from coplan.vocab import FRAMEWORKS

    console = Console(width=width, record=True)
    console.print(glossary(None))
    shown = "".join(line.strip() for line in console.export_text().splitlines())
    for framework in ("tlap-ladder", "involvement-matrix"):
        assert FRAMEWORKS[framework].url in shown, shown


async def test_high_contrast_and_presentation_toggle(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "coplan"
        await pilot.press("f2")
        await pilot.pause()
        assert app.theme == "coplan-high-contrast"
        await pilot.press("f2")
        await pilot.pause()
        assert app.theme == "coplan"

        details = app.query_one("#details-scroll")
        assert details.display and details.region.width > 0
        await pilot.press("f3")
        await pilot.pause()
        assert app.screen.has_class("presentation")
        assert details.region.width == 0
        await pilot.press("f3")
        await pilot.pause()
        assert not app.screen.has_class("presentation")
        assert details.region.width > 0

    starts_high = make_app(plan_path, high_contrast=True)
    async with starts_high.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert starts_high.theme == "coplan-high-contrast"


async def test_command_palette_offers_every_action(plan_path: Path) -> None:
    from coplan.tui.actions import ACTIONS

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "stage: add touchpoint" in titles
        assert {a.palette_title for a in ACTIONS} <= set(titles)
        command = next(c for c in app.get_system_commands(app.screen)
                       if c.title == "stage: add touchpoint")
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "touchpoint" in app.screen.form_title.lower()


async def test_works_at_80_by_24(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(StageTable)
        assert table.region.height >= 10
        assert table.region.width >= 40
        app.query_one(StageTable).select_stage("aims")
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FormScreen)
        for button in ("#submit", "#cancel"):
            region = screen.query_one(button).region
            assert region.height and region.bottom <= 24 and region.right <= 80, button
        await pilot.press("escape")
        await pilot.pause()
        for key, tab in zip("234561", ("timeline", "review", "people", "meetings",
                                        "protocol", "plan"), strict=True):
            await pilot.press(key)
            await pilot.pause()
            assert app.query_one("#tabs").active == tab
            assert app.focused is app.query_one(app.MAIN_WIDGET[tab]), tab


async def test_export_a_calendar_beside_the_plan(plan_path: Path) -> None:
    from coplan.tui.screens.export import ExportScreen

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.edit("renamed aims", lambda doc: doc.set_stage("aims", "title", "Our aims"))
        await pilot.press("x")
        await settle(pilot)
        assert app.session.dirty, "the export is made from the session: nothing is saved " \
            "behind the team's back, and the change is exported all the same"
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert screen.query_one("#path").value == "plan-team.ics"
        await pilot.click("#go")
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert "✔ Saved plan-team.ics" in str(screen.query_one("#export-result").render())
    calendar = (plan_path.parent / "plan-team.ics").read_text(encoding="utf-8")
    assert calendar.startswith("BEGIN:VCALENDAR")
    assert "Our aims" in calendar, "the change made just before exporting is in it"


async def test_delete_a_touchpoint_and_a_person(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # A touchpoint whose sessions are recorded is history: it is kept, and said why.
        app.query_one(StageTable).select_stage("priorities")
        await pilot.press("D")
        await pilot.pause()
        if isinstance(app.screen, PickScreen):
            await pick(pilot, "0")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert len(app.session.plan.stage("priorities").touchpoints) == 2  # type: ignore[union-attr]
        notices = " ".join(n.message for n in app._notifications)
        assert "record of what happened" in notices

        # One with nothing recorded yet goes.
        app.query_one(StageTable).select_stage("analysis")
        before = len(app.session.plan.stage("analysis").touchpoints)  # type: ignore[union-attr]
        await pilot.press("D")
        await pilot.pause()
        if isinstance(app.screen, PickScreen):
            await pick(pilot, "0")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("tab", "enter")
        await pilot.pause()

        await pilot.press("4")
        await pilot.pause()
        app.query_one("#people-table").select_person("gareth")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Gareth" in app.screen.question
        await pilot.press("tab", "enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    plan = load_plan(plan_path)
    assert len(plan.stage("analysis").touchpoints) == before - 1  # type: ignore[union-attr]
    assert len(plan.stage("priorities").touchpoints) == 2  # type: ignore[union-attr]
    assert plan.person("gareth") is None
    assert all("gareth" not in t.who for t in plan.touchpoints)
    assert plan.stage("priorities") is not None, "deleting a person never deletes a stage"


async def test_a_person_with_a_record_steps_down_and_the_record_stays(plan_path: Path) -> None:
    """A researcher leaving part way through the project: the dialog says what stays (the
    record of what happened) and what they are taken off; on yes, only what is still to
    come changes."""
    from datetime import date

    before = load_plan(plan_path)
    app = make_app(plan_path, today=date(2027, 9, 8))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        app.query_one("#people-table").select_person("priya")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = " ".join(app.screen.question.split())
        assert "10 session records" in question and "3 reflections" in question
        assert "held touchpoints" in question
        assert "taken off 4 touchpoints, 1 meeting and 'Decision-making group'" in question
        await pilot.press("tab", "enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    after = load_plan(plan_path)
    assert after.person("priya") is not None
    records = [(r.session, r.attended) for t in after.touchpoints for r in t.records]
    assert records == [(r.session, r.attended) for t in before.touchpoints for r in t.records]
    assert [r.who for r in after.reflections] == [r.who for r in before.reflections]
    assert [e.who for e in after.log] == [e.who for e in before.log]
    assert "priya" in after.stage("aims").touchpoints[0].who  # type: ignore[union-attr]
    assert sum("priya" in t.who for t in after.touchpoints) == 6
    assert "priya" not in after.governance.board


async def test_the_timeline_opens_at_the_selected_stage(plan_path: Path) -> None:
    from coplan.tui.widgets.timeline import LABEL_WIDTH, Timeline

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one(StageTable).select_stage("evaluate")
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()
        timeline = app.query_one(Timeline)
        assert app.focused is timeline
        assert timeline.selected == "evaluate"
        chart = timeline.chart
        assert chart is not None
        row = chart.row_of("evaluate")
        assert row is not None
        bar = chart.bars[row - 2]
        left, width = round(timeline.scroll_x), timeline.size.width - LABEL_WIDTH - 1
        assert left <= bar.start < left + width, "the selected stage's bar is in view"
        await pilot.press("n")  # back to today
        await pilot.pause()
        assert chart.today_col is not None
        assert round(timeline.scroll_x) <= chart.today_col < round(timeline.scroll_x) + width


async def test_the_protocol_tab_previews_the_protocol_export(plan_path: Path) -> None:
    from textual.widgets import Markdown

    from coplan.delivery import as_recorded
    from coplan.export.protocol import export_protocol
    from coplan.sharing import for_audience, shared_report
    from coplan.tui.panes.protocol import MERMAID, ProtocolPane

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        session = app.session
        # What others read: the copy of the plan made for them (coplan.sharing), its
        # sessions as the delivery record says on the day (as run_export gives them).
        shared, shared_schedule = for_audience(session.plan, session.schedule)
        shared_schedule = as_recorded(shared_schedule, app.today)
        exported = export_protocol(shared, shared_schedule, "md",
                                   report=shared_report(session.report, shared, session.plan),
                                   produced=app.today, source=session.plan).data
        assert isinstance(exported, str)
        preview = app.pane(ProtocolPane)
        assert preview.preview_text == MERMAID.sub(
            "_The timeline chart is in the exported document, and on the Timeline tab (2)._\n",
            exported)
        assert app.query_one("#protocol-preview", Markdown).source == preview.preview_text

        app.edit("changed the purpose", lambda doc: doc.set_table(
            "protocol", "purpose", "A purpose we wrote today."))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "A purpose we wrote today." in preview.preview_text, "the preview follows edits"
