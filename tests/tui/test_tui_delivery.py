"""The Delivery tab: recording what happened in a few keystrokes, in the plan file.

MINDS at month eight: a session due and not recorded is recorded (held today, with the
people invited, and what changed); the file gains exactly that record and nothing else
changes; then a payment and an impact entry are noted from the same session.  Every state
is said in words, not colour alone.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

from forms_pilot import choose, focus, save, tick, type_into
from tui_support import SIZE, make_app, settle

from coplan.planfile import load_plan
from coplan.tui.panes.delivery import DeliveryPane, DeliveryTable, record_of, what_happened
from coplan.tui.screens.form import FormScreen
from coplan.tui.screens.pick import PickScreen

MONTH_EIGHT = date(2027, 9, 20)  # the day of the first fieldwork check-in


def _unrecorded(app: object) -> str:
    pane = app.pane(DeliveryPane)  # type: ignore[attr-defined]
    table = pane.table
    due = [s for s in table.sessions.values() if s.day <= MONTH_EIGHT and record_of(s) is None]
    assert due, "the example has a session due and not yet recorded"
    return due[0].id


def _added_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="",
                                     n=0))
    added = [d[1:] for d in diff if d.startswith("+") and not d.startswith("+++")]
    removed = [d[1:] for d in diff if d.startswith("-") and not d.startswith("---")]
    return added, removed


async def test_a_session_is_recorded_in_a_few_keys(plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path, today=MONTH_EIGHT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        table = app.query_one(DeliveryTable)
        session_id = _unrecorded(app)
        session = table.sessions[session_id]
        assert what_happened(session, MONTH_EIGHT) == "… not recorded yet"
        table.move_cursor(row=table.get_row_index(session_id))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        values = app.screen.values()
        # Nothing is chosen for the team: what happened, the day and who came are theirs.
        assert (values["status"], values["on"], values["attended"]) == (None, "", [])
        await choose(pilot, "status", "held")
        await focus(pilot, "on")
        await pilot.press("right")  # the day offered: today's
        await tick(pilot, "attended", *session.touchpoint.who)
        assert set(app.screen.values()["attended"]) == set(session.touchpoint.who)
        await type_into(pilot, "changed", "The ward checklist gained a question about "
                                          "who is at home.")
        await save(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)

        after = plan_path.read_text(encoding="utf-8")
        added, removed = _added_lines(before, after)
        assert removed == [], "nothing written before is changed"
        assert any("[[stage.touchpoint.record]]" in line for line in added)
        assert any(line.strip() == f"session = {session.number}" for line in added)
        plan = load_plan(plan_path)
        tp = next(t for t in plan.touchpoints if t.id == session.touchpoint.id)
        record = next(r for r in tp.records if r.session == session.number)
        assert record.status == "held" and record.on == MONTH_EIGHT
        assert record.changed.startswith("The ward checklist")
        row = table.values(session_id)
        assert "✔ held" in str(row["What happened"]), "the row says it in words"
        assert str(row["Heard back"]).startswith("not yet, due "), \
            "not heard back yet, not yet due"

        # A payment for that session, then what changed, in the impact log.
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen), "first: which of the people who came"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await type_into(pilot, "amount", "50")
        await focus(pilot, "paid")
        await pilot.press("right")  # paid today
        await save(pilot)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await type_into(pilot, "changed", "Families now get a call on the first day home.")
        await save(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)

    plan = load_plan(plan_path)
    assert any(p.for_activity == session.touchpoint.id and p.amount == 50 and
               p.paid == MONTH_EIGHT for p in plan.paid)
    assert any(i.changed.startswith("Families now get a call") and
               i.touchpoint == session.touchpoint.id for i in plan.impact)
    _, removed = _added_lines(before, plan_path.read_text(encoding="utf-8"))
    assert removed == []


async def test_changing_a_record_changes_only_that_value(plan_path: Path) -> None:
    app = make_app(plan_path, today=MONTH_EIGHT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        table = app.query_one(DeliveryTable)
        recorded = next(s for s in table.sessions.values() if record_of(s) is not None)
        table.move_cursor(row=table.get_row_index(recorded.id))
        before = plan_path.read_text(encoding="utf-8")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await type_into(pilot, "feedback_how", "A note by post")
        await save(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    added, removed = _added_lines(before, plan_path.read_text(encoding="utf-8"))
    assert len(removed) <= 1 and len(added) == 1, (added, removed)
    assert added[0].strip() == 'feedback_how = "A note by post"'


def test_a_stage_says_how_it_stands_against_the_baseline() -> None:
    from rich.console import Console

    from coplan.review.rules import builtin_rules
    from coplan.session import derive
    from coplan.tui.widgets.stage_details import describe_stage

    plan = load_plan(Path(__file__).resolve().parents[2] / "examples" /
                     "minds-discharge.toml")
    views = derive(plan, builtin_rules(), date(2027, 9, 10))
    console = Console(width=200, record=True)

    def said(stage_id: str) -> str:
        console.print(describe_stage(views, stage_id))
        return console.export_text()

    design = said("design")
    assert "Finished on Fri 30 Apr 2027" in design
    assert "▲ 4 calendar days later than the baseline (planned to finish 26 Apr 2027)" in design
    assert "Can slip" not in design, "a finished stage has nothing left to slip"
    interviews = said("interviews")
    assert "Under way since Mon 06 Sep 2027" in interviews
    assert "later than the baseline" in interviews


def test_the_timeline_marks_each_stages_baseline_finish() -> None:
    from coplan.review.rules import builtin_rules
    from coplan.session import derive
    from coplan.tui.widgets.timeline import BASELINE, Chart

    plan = load_plan(Path(__file__).resolve().parents[2] / "examples" /
                     "minds-discharge.toml")
    chart = Chart(derive(plan, builtin_rules(), date(2027, 9, 10)), "weeks", None)
    design = next(b for b in chart.bars if b.stage == "design")
    planned = next(b.finish for b in plan.baseline.stages if b.stage == "design")
    assert planned is not None and design.baseline == chart.col(planned)
    from rich.style import Style

    styles = {k: Style() for k in ("critical", "stage", "milestone", "buffer", "today")}
    _, text = chart.line(chart.row_of("design") or 0, styles)
    assert text.plain[design.baseline] == BASELINE
    assert "baseline finish" in Chart.KEY


async def test_the_status_line_gives_the_margin_before_the_date_it_must_finish_by(
        plan_path: Path) -> None:
    from textual.widgets import Static

    plan = load_plan(plan_path)
    assert plan.project.finish_by is not None
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        line = str(app.query_one("#status-plan", Static).render())
        spare = (plan.project.finish_by - app.session.schedule.finish).days
        assert f"{spare} calendar days to spare" in line
        # Moved past it, the line says so, with a mark and in words.
        app.edit("moved the date", lambda doc: doc.set_table(
            "project", "finish_by", app.session.schedule.finish.replace(day=1)))
        await pilot.pause()
        line = str(app.query_one("#status-plan", Static).render())
        assert f"▲ 1 day past {plan.project.finish_by:%d %b %Y}" in line or "days past" in line


def test_the_review_gives_the_margin_too() -> None:
    from click.testing import CliRunner

    from coplan.cli import cli

    minds = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"
    out = CliRunner().invoke(cli, ["check", str(minds)]).output
    assert "The plan must finish by 2028-07-31:" in out and "to spare" in out


async def test_a_record_opened_and_saved_untouched_changes_nothing(plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path, today=MONTH_EIGHT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        table = app.query_one(DeliveryTable)
        for recorded in [s for s in table.sessions.values() if record_of(s) is not None][:4]:
            table.move_cursor(row=table.get_row_index(recorded.id))
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(app.screen, FormScreen)
            await save(pilot)
        assert not app.session.dirty, "nothing to save: nothing was changed"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert plan_path.read_text(encoding="utf-8") == before
