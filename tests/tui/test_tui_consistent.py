"""The app says the same thing in every place, and says something whenever asked.

* A milestone without a touchpoint is "✔ ok" in the stage table, and its details agree
  (no ✖ "No touchpoint yet"), unless the plan asks milestones to have touchpoints too.
* A person who keeps their name private is shown with a neutral mark, not ✖.
* When the file on disk changes and cannot be read, the header and status line say so
  instead of "saved".
* Ctrl+Z with nothing to undo says so.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from tui_support import SIZE, make_app, settle

from coplan.planfile import parse_plan
from coplan.plugins import all_rules
from coplan.session import derive
from coplan.tui.widgets.stage_details import describe_stage
from coplan.tui.widgets.stage_table import StageRows

PLAN = """\
[project]
title = "Milestones"
start = 2027-01-11

[[person]]
id = "sam"
name = "Sam"
kind = "lived-experience"

[[stage]]
id = "aims"
title = "Agree the aims"
duration = "2w"

  [[stage.touchpoint]]
  format = "workshop"
  who = ["sam"]
  purpose = "Agree the aims together."

[[stage]]
id = "approved"
title = "Aims approved"
duration = "0d"
after = ["aims"]
"""


def _text(renderable: object) -> str:
    console = Console(width=200, record=True)
    console.print(renderable)
    return console.export_text()


def test_a_milestone_reads_the_same_in_the_table_and_its_details() -> None:
    for needs, table_ok in ((False, True), (True, False)):
        text = PLAN + ("\n[review]\nmilestones_need_touchpoints = true\n" if needs else "")
        views = derive(parse_plan(text), all_rules())
        status, _ = StageRows(views).status("approved")
        details = _text(describe_stage(views, "approved"))
        assert (status == "✔ ok") is table_ok, status
        assert ("✖" not in details) is table_ok, details


async def test_privacy_is_a_choice_not_an_error(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.show_tab("people")
        await pilot.pause()
        from coplan.tui.panes.people import PeoplePane

        table = app.query_one(PeoplePane).table
        shown = [str(table.get_cell(p.id, "Name shown to others"))
                 for p in app.session.plan.people]
        private = [s for s, p in zip(shown, app.session.plan.people, strict=True)
                   if not p.share_name]
        assert private and all(s == "○ initials only" for s in private)
        assert not any("✖" in s for s in shown)


async def test_the_header_says_when_the_file_on_disk_cannot_be_read(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.sub_title.endswith("(saved)")
        good = plan_path.read_text(encoding="utf-8")
        plan_path.write_text(good + "\n[[stage]\nbroken", encoding="utf-8")
        assert not await app.take_in_changes()
        await settle(pilot)
        assert app.sub_title.endswith("(file on disk cannot be read)"), app.sub_title
        assert "cannot be read" in str(app.query_one("#status-plan").render())
        plan_path.write_text(good, encoding="utf-8")
        assert await app.take_in_changes()
        await settle(pilot)
        assert app.sub_title.endswith("(saved)"), app.sub_title


async def test_undo_with_nothing_to_undo_says_so(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert "Nothing to undo." in said


def test_a_stages_details_name_each_persons_kind_as_the_people_tab_does() -> None:
    """A carer is a carer in a stage's details too, not "(lived experience)"; a rung or role
    not chosen yet is said to be so."""
    text = PLAN.replace('who = ["sam"]', 'who = ["sam", "morgan", "kai"]') + """
[[person]]
id = "morgan"
name = "Morgan"
kind = "carer"

[[person]]
id = "kai"
name = "Kai"
kind = "researcher"
"""
    details = _text(describe_stage(derive(parse_plan(text), all_rules()), "aims"))
    assert "Who: Sam (lived experience), Morgan (carer), Kai\n" in details, details
    assert "Ladder: not chosen yet" in details and "Role: not chosen yet" in details


async def test_a_file_that_cannot_be_read_is_one_message_and_never_written_over(
        plan_path: Path) -> None:
    """A hand edit leaves the plan's file unreadable: the app says so once, in one message
    with the file, the line, what to do and what happens to the changes made here; it
    saves nothing over the file meanwhile (not even when asked to: that would lose what
    was written there), and once the file is put right it takes it in with the changes
    made here and says no more about it."""
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        good = plan_path.read_text(encoding="utf-8")
        lines = good.splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines) if line.startswith("title = "))
        broken_text = "".join([*lines[:at], "title = Milestones, by hand\n", *lines[at + 1:]])
        plan_path.write_text(broken_text, encoding="utf-8")
        assert not await app.take_in_changes()
        await settle(pilot)
        said = [n for n in app._notifications]
        assert len(said) == 1, [n.message for n in said]
        message = said[0].message
        assert message.startswith(f"{plan_path.name}, line {at + 1}: "), message
        assert "Put it right in the file" in message
        assert "changes you make here are kept" in message
        status = str(app.query_one("#status-plan").render())
        assert "cannot be read" in status and "kept" not in status  # (the message says it)
        # the watcher sees the same file again: nothing more is said
        assert not await app.take_in_changes()
        await settle(pilot)
        assert len(app._notifications) == 1
        # a change made here, and saves asked for: the file is left as the person left it
        assert app.edit("retitle", lambda doc: doc.set_project("title", "Kept here"))
        assert not await app.save_now()
        app.action_autosave()
        await settle(pilot)
        assert plan_path.read_text(encoding="utf-8") == broken_text
        assert len(app._notifications) == 1
        # put right by hand (another change there too): both are kept, nothing more said
        plan_path.write_text(good.replace('start = 2027-01-11', 'start = 2027-01-18'),
                             encoding="utf-8")
        assert await app.take_in_changes()
        await settle(pilot)
        assert app.disk_unreadable is None
        assert [n.title for n in app._notifications] == ["The plan changed"]
        assert app.session.plan.project.title == "Kept here"
        assert str(app.session.plan.project.start) == "2027-01-18"
        assert await app.save_now()
        await settle(pilot)
        saved = plan_path.read_text(encoding="utf-8")
        assert 'title = "Kept here"' in saved and "start = 2027-01-18" in saved
