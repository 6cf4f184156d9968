"""Reaching any part of the plan in the app (E), and accepting a finding with a reason (A)."""

from __future__ import annotations

import difflib
from pathlib import Path

from forms_pilot import choose, pick, save, type_into
from tui_support import SIZE, make_app

from coplan.planfile import load_plan
from coplan.review.runner import acceptance_keys
from coplan.tui.screens.form import FormScreen
from coplan.tui.screens.pick import PickScreen
from coplan.tui.widgets.review_panel import ReviewPanel


def _changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(),
                                                  lineterm="", n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")]


async def _choose(pilot, label: str) -> None:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    assert isinstance(screen, PickScreen), f"expected a choice, found {screen!r}"
    value = next(v for text, v in screen.options if text.startswith(label))
    await pick(pilot, value)


async def test_a_stage_decision_is_added_through_the_plan_parts(plan_path: Path) -> None:
    """E, Stages, a stage, Decisions, add one: the decision is written in that stage."""
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        await _choose(pilot, "Stages")
        await _choose(pilot, "Agreeing the question")
        await _choose(pilot, "Decisions")
        await _choose(pilot, "＋ add one")
        assert isinstance(app.screen, FormScreen)
        await type_into(pilot, "id", "scope")
        await type_into(pilot, "what", "How wide the study looks")
        await save(pilot)
        assert not isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")
        await pilot.app.wait_for_file_work()
    stage = load_plan(plan_path).stage("aims")
    assert stage is not None and [d.id for d in stage.decisions][-1] == "scope"
    added = _changed_lines(before, plan_path.read_text(encoding="utf-8"))
    assert all(line.startswith("+") for line in added), "nothing else changed"


async def test_a_plan_wide_table_opens_untouched_and_saves_nothing(plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        await _choose(pilot, "Payment")
        await _choose(pilot, "✎ Payment")
        assert isinstance(app.screen, FormScreen)
        assert {f.key for f in app.screen.fields} >= {"policy", "standard", "rate_source",
                                                       "benefits_advice", "preparation"}
        await save(pilot)
        assert not app.session.dirty
    assert plan_path.read_text(encoding="utf-8") == before


async def test_accepting_a_whole_rule_writes_its_reason_and_keeps_the_rest(
        tmp_path: Path) -> None:
    """A on a finding, "the whole rule": the reason goes in [review.skip], nothing else
    changes, and the rule shows as accepted."""
    path = tmp_path / "plan.toml"
    source = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"
    text = source.read_text(encoding="utf-8").replace('project_buffer = "rss"',
                                                      'project_buffer = "0d"')
    path.write_text(text, encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        panel = app.query_one(ReviewPanel)
        assert panel.select_rule("CP-SLO-002")
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        await choose(pilot, "scope", "rule")
        await type_into(pilot, "reason", "The funder fixes the end date with slack of its own")
        await save(pilot)
        await pilot.pause()
        assert all(f.rule != "CP-SLO-002" for f in panel.findings)
        assert ("CP-SLO-002", "The funder fixes the end date with slack of its own", None) \
            in panel.accepted
        await pilot.press("ctrl+s")
        await pilot.app.wait_for_file_work()
    after = path.read_text(encoding="utf-8")
    assert _changed_lines(text, after) == [
        "+", "+[review.skip]",
        '+CP-SLO-002 = "The funder fixes the end date with slack of its own"'] or \
        _changed_lines(text, after) == [
            "+[review.skip]",
            '+CP-SLO-002 = "The funder fixes the end date with slack of its own"', "+"]
    assert load_plan(path).review.skip == {
        "CP-SLO-002": "The funder fixes the end date with slack of its own"}


async def test_accepting_one_finding_writes_an_entry_for_it_alone(tmp_path: Path) -> None:
    """A on a finding, as it first offers ("this finding only"): an entry of
    [[review.accept]] naming the rule, what the finding is about and the reason is added
    (the file's comments and layout kept), the finding shows as accepted, and the rule's
    other findings are still found."""
    path = tmp_path / "plan.toml"
    source = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"
    # (six voices asked of each touchpoint: a rule with findings about several)
    text = source.read_text(encoding="utf-8").replace("min_voices = 2", "min_voices = 6")
    path.write_text(text, encoding="utf-8")
    app = make_app(path)
    reason = "We told everyone by phone the same week"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        panel = app.query_one(ReviewPanel)
        by_rule: dict[str, list[int]] = {}
        for i, f in enumerate(panel.findings):
            if f.subject.id:
                by_rule.setdefault(f.rule, []).append(i)
        rule, rows = next((r, rows) for r, rows in by_rule.items() if len(rows) >= 2
                          and len({panel.findings[i].subject.key for i in rows}) >= 2)
        chosen = panel.findings[rows[0]]
        others = [panel.findings[i] for i in rows
                  if panel.findings[i].subject.key != chosen.subject.key]
        panel.cursor_row = rows[0]
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, FormScreen)
        assert next(f for f in screen.fields if f.key == "scope").value == "finding"
        await type_into(pilot, "reason", reason)
        await save(pilot)
        await pilot.pause()
        assert not [f for f in panel.findings if f.rule == rule
                    and f.subject.key == chosen.subject.key]
        assert [f for f in panel.findings if f.rule == rule] == others
        accepted = [a for a in panel.accepted if a.finding is not None]
        assert [(a.rule, a.reason, a.finding.subject.key) for a in accepted  # type: ignore[union-attr]
                ] == [(rule, reason, chosen.subject.key)]
        # Enter on it opens its entry in the review settings, at the reason.
        panel.cursor_row = len(panel.findings) + panel.accepted.index(accepted[0])
        await pilot.pause()
        assert panel.selected_accepted == accepted[0]
        await pilot.press("enter")
        await pilot.pause()
        opened = pilot.app.screen
        assert isinstance(opened, FormScreen)
        assert next(f for f in opened.fields if f.key == "reason").value == reason
        assert next(f for f in opened.fields if f.key == "rule").value == rule
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.app.wait_for_file_work()
    after = path.read_text(encoding="utf-8")
    keys = acceptance_keys(chosen)
    written = ["+[[review.accept]]",
               *(f"+{k} = {v}" if isinstance(v, int) else f'+{k} = "{v}"'
                 for k, v in keys.items()), f'+reason = "{reason}"']
    changed = _changed_lines(text, after)
    assert changed in (["+", *written], [*written, "+"]), changed
    [entry] = load_plan(path).review.accepted
    assert (entry.rule, entry.about, entry.reason) == (rule, chosen.subject.key, reason)


async def test_the_suggested_value_is_only_written_when_chosen(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    source = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"
    text = source.read_text(encoding="utf-8").replace('project_buffer = "rss"',
                                                      'project_buffer = "0d"')
    path.write_text(text, encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        panel = app.query_one(ReviewPanel)
        assert panel.select_rule("CP-SLO-002")
        await pilot.press("enter")
        for _ in range(20):
            await pilot.pause()
            if isinstance(app.screen, FormScreen):
                break
        screen = app.screen
        assert isinstance(screen, FormScreen)
        assert screen.focused is screen.query_one("#field-project_buffer")
        assert "rss" in str(screen.query_one("#suggest").label)
        await save(pilot)  # untouched: nothing written
        assert not app.session.dirty
        await pilot.press("enter")
        for _ in range(20):
            await pilot.pause()
            if isinstance(app.screen, FormScreen):
                break
        await pilot.click("#suggest")
        await save(pilot)
        assert all(f.rule != "CP-SLO-002" for f in panel.findings)
        await pilot.press("ctrl+s")
        await pilot.app.wait_for_file_work()
    changed = _changed_lines(text, path.read_text(encoding="utf-8"))
    assert len(changed) == 2 and 'project_buffer = "rss"' in changed[1]
    assert changed[1].split("#")[1] == changed[0].split("#")[1], "its comment is kept"


async def test_keys_typed_straight_after_a_choice_reach_the_form_in_order(
        plan_path: Path) -> None:
    """E, Project settings, then Enter and at once End and some words, in one burst as a
    quick typist (or a paste) sends them: they land in the form's first field, after its
    text, in the order typed (the form's text is selected when it gets the focus, so End
    must come first or the words would replace the project's name)."""
    from textual import events
    from textual.widgets import Input

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        await _choose(pilot, "Project settings")
        assert isinstance(app.screen, PickScreen)
        for key, character in (("enter", "\r"), ("end", None), ("space", " "),
                               ("p", "p"), ("i", "i")):
            app.post_message(events.Key(key, character))  # all at once, before any is seen
        wanted = "MINDS: co-producing a better discharge from mental health hospital pi"
        for _ in range(60):  # each key is handed on once the one before is dealt with
            await pilot.pause()
            if isinstance(app.screen, FormScreen) and \
                    app.screen.query_one("#field-title", Input).value == wanted:
                break
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#field-title", Input).value == wanted


async def test_a_day_ticked_goes_where_the_week_has_it_in_the_persons_spelling(
        plan_path: Path) -> None:
    """Working days written as full names are ticked in the form as they stand; ticking
    Monday writes "mon" before them (the file follows the week's order), never a second
    Monday, and the line's comment stays.  Unticking Friday takes out "Friday" as written."""
    from forms_pilot import tick

    text = plan_path.read_text(encoding="utf-8")
    text = text.replace('working_days = ["mon", "tue", "wed", "thu", "fri"]',
                        'working_days = ["Tuesday", "Wednesday", "Thursday", "Friday"]  # ours',
                        1)
    plan_path.write_text(text, encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        await _choose(pilot, "Project settings")
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, FormScreen):
                break
        from textual.widgets import SelectionList

        days = app.screen.query_one("#field-working_days", SelectionList)
        assert sorted(days.selected) == ["fri", "thu", "tue", "wed"], "ticked as written"
        await tick(pilot, "working_days", "mon")  # tick Monday, untick Friday
        days.deselect("fri")
        await pilot.pause()
        await save(pilot)
        await pilot.press("ctrl+s")
        await pilot.app.wait_for_file_work()
    changed = _changed_lines(text, plan_path.read_text(encoding="utf-8"))
    assert changed == ['-working_days = ["Tuesday", "Wednesday", "Thursday", "Friday"]  # ours',
                       '+working_days = ["mon", "Tuesday", "Wednesday", "Thursday"]  # ours']


async def test_esc_in_a_touchpoints_form_goes_back_to_the_touchpoints(plan_path: Path) -> None:
    """On the Plan tab, T on a stage with several touchpoints asks which, then opens its
    form: Esc there goes back to the touchpoints (and the form says so), as Esc goes back
    one level everywhere; Esc in the list closes.  What was typed is never thrown away
    without asking."""
    from coplan.tui.screens.unsaved import UnsavedScreen
    from coplan.tui.widgets.stage_table import StageTable

    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        stage = next(s for s in app.session.plan.stages if len(s.touchpoints) > 1)
        app.query_one(StageTable).select_stage(stage.id)
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        listing = app.screen
        assert isinstance(listing, PickScreen)
        await pick(pilot, "1")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert "Esc: back to the touchpoints" in str(form.query_one(".form-keys").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen), "Esc in the form: back to the touchpoints"
        await pick(pilot, "0")
        assert isinstance(app.screen, FormScreen)
        await type_into(pilot, "title", "A title typed and not saved")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedScreen), "typed work: asked first"
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert app.screen.values()["title"] == "A title typed and not saved"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen), "thrown away when asked: back to the list"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PickScreen | FormScreen), "Esc in the list closes"

        one = next(s for s in app.session.plan.stages if len(s.touchpoints) == 1)
        app.query_one(StageTable).select_stage(one.id)
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen), "nothing to choose: the form itself"
        assert "Esc: cancel" in str(app.screen.query_one(".form-keys").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PickScreen | FormScreen)
    assert plan_path.read_text(encoding="utf-8") == before


async def test_a_stale_acceptance_is_found_and_enter_opens_its_entry(tmp_path: Path) -> None:
    """An entry of [[review.accept]] that matches nothing is a warning on the Review tab;
    A does not accept it (that would hide the mistake), and Enter opens the entry."""
    path = tmp_path / "plan.toml"
    source = Path(__file__).resolve().parents[2] / "examples" / "minds-discharge.toml"
    path.write_text(source.read_text(encoding="utf-8") + '\n[[review.accept]]\n'
                    'rule = "CP-DEL-001"\ntouchpoint = "aims-workshop"\n'
                    'reason = "put right long ago"\n', encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        panel = app.query_one(ReviewPanel)
        row = next(i for i, f in enumerate(panel.findings)
                   if "[[review.accept]]" in f.message)
        assert "finds nothing about it now" in panel.findings[row].message
        panel.cursor_row = row
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, FormScreen)
        await pilot.press("enter")
        await pilot.pause()
        opened = pilot.app.screen
        assert isinstance(opened, FormScreen)
        assert next(f for f in opened.fields if f.key == "reason").value == "put right long ago"
