"""Every editing form saves something the plan accepts, and says plainly what is wrong."""

from __future__ import annotations

from pathlib import Path

from forms_pilot import choose, focus, form, save, tick, type_into
from textual.app import App
from tui_support import SIZE, TODAY, make_app, settle

from coplan.planfile import load_plan
from coplan.tui.forms import check_date
from coplan.tui.screens.form import Field, FormScreen


async def test_add_a_person(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await type_into(pilot, "name", "Robin")
        await choose(pilot, "kind", "carer")
        await tick(pilot, "needs", "large-print")
        await type_into(pilot, "needs_asked", "2027-02-20")
        await save(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    person = load_plan(plan_path).person("robin")
    assert person is not None
    assert (person.name, person.kind, person.needs) == ("Robin", "carer", ("large-print",))
    assert not person.share_name, "names stay private unless the person agrees"


async def test_add_a_standing_meeting(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        await type_into(pilot, "title", "Carers' catch-up")
        await type_into(pilot, "every", "6w")
        await choose(pilot, "day", "thu")
        await tick(pilot, "who", "sam", "dev")
        await save(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    meeting = next(m for m in load_plan(plan_path).meetings
                   if m.title == "Carers' catch-up")
    assert meeting.every_weeks == 6 and meeting.day == 3 and meeting.who == ("sam", "dev")


async def test_settings_protocol_term_signoff_and_decision(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await type_into(pilot, "stage_buffer", "30%")
        await save(pilot)

        await pilot.press("o")
        await pilot.pause()
        await type_into(pilot, "signposting", "Samaritans: 116 123, any time.")
        await save(pilot)

        await pilot.press("g")
        await pilot.pause()
        await type_into(pilot, "term", "Touchpoint")
        await type_into(pilot, "meaning", "A time when we take part.")
        await save(pilot)

        await pilot.press("S")
        await pilot.pause()
        await choose(pilot, "who", "sam")
        # The day and version are offered, not filled in: → puts each in.
        await focus(pilot, "date")
        await pilot.press("right")
        await focus(pilot, "version")
        await pilot.press("right")
        await save(pilot)

        await pilot.press("d")
        await pilot.pause()
        await type_into(pilot, "what", "We will meet on Thursdays.")
        await tick(pilot, "who", "sam", "amara")
        await type_into(pilot, "date", "2027-09-09")
        await save(pilot)
        assert "2 people with lived experience" in " ".join(
            n.message for n in app._notifications)
        await pilot.press("ctrl+s")
        await pilot.pause()
    plan = load_plan(plan_path)
    assert 'stage_buffer = "30%"' in plan_path.read_text(encoding="utf-8")
    assert plan.protocol.signposting == "Samaritans: 116 123, any time."
    assert any(t.term == "Touchpoint" for t in plan.protocol.terms)
    assert any(s.who == "sam" and s.date == TODAY and s.version == plan.protocol.version
               for s in plan.protocol.signoffs)
    entry = plan.log[-1]
    assert entry.what == "We will meet on Thursdays." and entry.who == ("sam", "amara")
    assert str(entry.date) == "2027-09-09"


async def test_a_form_says_what_is_wrong_and_keeps_what_was_typed(plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await type_into(pilot, "title", "A stage")
        await type_into(pilot, "duration", "soon")
        screen = form(pilot)
        assert "working days or weeks" in str(screen.query_one("#error-duration").render())
        await save(pilot)
        assert app.screen is screen, "the form stays open"
        assert "Please put right" in str(screen.query_one("#form-error").render())
        assert app.focused is screen.query_one("#field-duration")
        await type_into(pilot, "duration", "1w")
        await type_into(pilot, "id", "aims")  # already used
        assert "already used" in str(screen.query_one("#error-id").render())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen
        assert not app.session.dirty
    assert plan_path.read_text(encoding="utf-8") == before


class _Dates(App[None]):
    """A form of eight dates, the seventh needed, in a window too small to show them all."""

    def on_mount(self) -> None:
        fields = [Field(f"d{n}", f"Date {n}", check=check_date, required=n == 7)
                  for n in range(1, 9)]
        self.push_screen(FormScreen("Dates", fields))


def _in_sight(screen: FormScreen, key: str) -> bool:
    """Whether the field ``key`` and the line under it are both inside the form's view."""
    view = screen.query_one("#fields").content_region
    return all(view.contains_region(screen.query_one(f"#{part}-{key}").region)
               for part in ("field", "error"))


async def test_a_refused_save_shows_every_reason_with_the_first_field_in_sight() -> None:
    """Ctrl+S checks every field and shows each one's reason, and the focus goes to the
    first to put right, scrolled so that its ✖ can be read too (a field tabbed to at the
    foot of the form had its reason just out of sight below it)."""
    app = _Dates()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FormScreen)
        await pilot.press("tab")  # to Date 2, at the foot of the view
        await pilot.press(*"2027-02-30")
        await pilot.pause()
        assert _in_sight(screen, "d2"), "its reason is in sight as it is typed"
        await pilot.press("tab", *"2027-13-01", "ctrl+s")
        for _ in range(20):
            await pilot.pause()
        said = {key: str(screen.query_one(f"#error-{key}").render())
                for key in ("d2", "d3", "d7")}
        assert said == {"d2": "✖ February 2027 has 28 days: check the day",
                        "d3": "✖ there is no month 13 (months go from 01 to 12); write the "
                              "date as year-month-day, such as 2027-03-15",
                        "d7": "✖ Date 7 is needed"}
        assert screen.focused is screen.query_one("#field-d2")
        assert _in_sight(screen, "d2")
        refused = screen.query_one("#form-error")
        assert "starting with 'Date 2'" in str(refused.render())
        # Put right one by one, the refusal follows, and goes once all is well.
        await pilot.press("ctrl+u", *"2027-02-01")
        await pilot.pause()
        assert "starting with 'Date 3'" in str(refused.render())
        await pilot.press("tab", "ctrl+u", *"2027-03-01")
        await pilot.pause()
        assert "starting with 'Date 7'" in str(refused.render())
        await pilot.press(*["tab"] * 4, *"2027-02-28")
        await pilot.pause()
        assert str(refused.render()) == ""
        assert not any(str(s.render()) for s in screen.query(".field-error"))


async def test_a_new_touchpoint_holds_only_what_the_person_chose(plan_path: Path) -> None:
    """Nothing is chosen for the team: a new touchpoint has no rung, role, payment, support,
    aftercare or papers-ahead until someone picks them; the form still saves; the file
    holds what was typed; and the review says what is still to agree."""
    from coplan.edit import PlanDocument
    from coplan.review import review
    from coplan.review.rules import builtin_rules
    from coplan.tui.widgets.stage_table import StageTable

    doc = PlanDocument.open(plan_path)
    doc.add_stage("ward-visits", "Visiting the wards", "2w", phase="collect",
                  after=["recruit"])
    doc.save()
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one(StageTable).select_stage("ward-visits")
        await pilot.press("t")
        await pilot.pause()
        screen = form(pilot)
        assert "(needed)" not in str(screen.query_one("#label-ladder").render())
        await type_into(pilot, "purpose", "Hear how discharge is going")
        await type_into(pilot, "feedback", "A note after each visit")
        await save(pilot)
        assert app.screen is not screen, "the form saves with nothing chosen"
        await pilot.press("ctrl+s")
        await settle(pilot)
    text = plan_path.read_text(encoding="utf-8")
    block = text[text.index('id = "ward-visits"'):]
    block = block[block.index("[[stage.touchpoint]]"):].split("\n\n")[0]
    assert [line.strip() for line in block.splitlines()[1:]] == [
        'id = "ward-visits-1"', 'purpose = "Hear how discharge is going"',
        'feedback = "A note after each visit"'], block
    plan = load_plan(plan_path)
    stage = plan.stage("ward-visits")
    assert stage is not None and stage.deepest_ladder is None
    findings = {(f.rule, f.subject.stage) for f in review(plan, registry=builtin_rules()).findings}
    assert ("CP-LAD-007", "ward-visits") in findings  # the rung: still to agree
