"""A new entry holds only what the team chose (S13's class, for every "add" dialog).

No add form fills in a value nobody chose: what the file would take, or a likely value
(today's date, the people invited, the plan's rung), is said in grey or offered (→ puts it
in), never written for the team.  A required value left empty refuses the save, says why
and puts the cursor there.  The confirmations all say their keys and what Esc does, and say
afterwards that nothing was changed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from forms_pilot import choose, form, save, type_into
from tui_support import SIZE, TODAY, make_app, settle

from coplan import schema
from coplan.edit import PlanDocument
from coplan.model import Plan
from coplan.planfile import load_plan, parse_plan
from coplan.schedule import schedule
from coplan.tui import editing, forms
from coplan.tui.forms import Target
from coplan.tui.screens.form import Field, answers

# What an add form may start from: the item it is added to or for, which the person chose
# by selecting it (the session a payment or an impact entry is for).
CONTEXT = {"payment": {"who", "for", "session"}, "impact entry": {"touchpoint"}}


def _empty(field: Field) -> bool:
    return field.value in (None, "", [], False)


def _session_without_claims(plan: Plan) -> Any:
    sched = schedule(plan, today=TODAY)
    return next(s for s in sched.sessions if s.day > TODAY)


def add_forms(plan: Plan) -> list[tuple[str, list[Field]]]:
    """Every add dialog of the app, with the fields it opens with."""
    stage = plan.stages[0]
    session = _session_without_claims(plan)
    tp = session.touchpoint
    found = [
        ("stage", forms.stage_fields(plan, None)),
        ("touchpoint", forms.touchpoint_fields(plan, stage, None)),
        ("person", forms.person_fields(plan, None)),
        ("meeting", forms.meeting_fields(plan, None)),
        ("decision", forms.log_fields(plan, TODAY, stage.id)),
        ("sign-off", forms.signoff_fields(plan, TODAY)),
        ("glossary term", forms.term_fields()),
        ("session record", forms.record_fields(plan, tp, None, TODAY, session.day)),
        ("payment", forms.payment_fields(plan, session, TODAY)),
        ("impact entry", forms.impact_fields(plan, session, TODAY)),
    ]
    # ... and "＋ add one" in every list of the file (E), in the first entry that holds it.
    for place in schema.places(Plan)[1:]:
        if place.sub is None or not place.sub.array:
            continue
        parents = forms.targets_of(place.path[:-1], plan) if len(place.path) > 1 else \
            [Target((), ())]
        if not parents:
            continue
        target = Target(place.path, parents[0].at, new=True)
        found.append((f"new {'.'.join(place.path)}",
                      editing.form_for(plan, None, target).fields))
    return found


def test_no_add_form_fills_in_a_value_nobody_chose(plan_path: Path) -> None:
    plan = load_plan(plan_path)
    forms_seen = add_forms(plan)
    assert len(forms_seen) > 20  # the dialogs above and every list of the file
    for name, fields in forms_seen:
        allowed = CONTEXT.get(name, set())
        filled = {f.key: f.value for f in fields if not _empty(f) and f.key not in allowed}
        assert not filled, f"the new {name} form fills in {filled}"


def test_what_is_offered_or_said_in_grey_is_not_written(plan_path: Path) -> None:
    """Saved as they open (with the needed answers only), the add forms write nothing
    else: the grey hints and the offers stay out of the file."""
    plan = load_plan(plan_path)
    stage = plan.stages[0]
    doc = PlanDocument(plan_path.read_text(encoding="utf-8"))
    fields = forms.meeting_fields(plan, None)
    forms.apply_meeting(doc, None, answers(fields, title="Carers' catch-up", every="6w",
                                           day="thu"))
    fields = forms.touchpoint_fields(plan, stage, None)
    forms.apply_touchpoint(doc, stage, None, answers(fields, purpose="To hear", feedback="A note"))
    fields = forms.stage_fields(plan, None)
    forms.apply_stage(doc, plan, None, answers(fields, title="Looking back", duration="1w"))
    import tomllib

    data = tomllib.loads(doc.text())
    meeting = next(m for m in data["meeting"] if m["title"] == "Carers' catch-up")
    assert set(meeting) == {"title", "every", "day"}, meeting
    added = next(t for t in data["stage"][0]["touchpoint"] if t["purpose"] == "To hear")
    assert set(added) == {"id", "purpose", "feedback"}, added
    new_stage = next(st for st in data["stage"] if st["title"] == "Looking back")
    assert set(new_stage) <= {"id", "title", "duration", "after"}, new_stage
    assert parse_plan(doc.text()).stage(stage.id).touchpoints[-1].ladder is None  # type: ignore[union-attr]


async def _refused_at(pilot: Any, key: str) -> str:
    """Press Ctrl+S on the open form: the save is refused, the cursor is in ``key`` and
    the form says why; returns what it says under the field."""
    screen = form(pilot)
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert pilot.app.screen is screen, "the form was saved with a needed value left empty"
    assert screen.focused is screen.query_one(f"#field-{key}"), screen.focused
    return str(screen.query_one(f"#error-{key}").render())


async def test_a_needed_value_left_empty_refuses_the_save_there(plan_path: Path) -> None:
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")  # a standing meeting: how often is the team's to say
        await pilot.pause()
        await type_into(pilot, "title", "Carers' catch-up")
        assert "Every how many weeks is needed" in await _refused_at(pilot, "every")
        await type_into(pilot, "every", "6w")
        assert "Day is needed" in await _refused_at(pilot, "day")
        await pilot.press("escape")  # asks whether to save: throw the changes away
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
        assert any("thrown away" in n.message for n in app._notifications)

        await pilot.press("4", "p")  # a person: who they are is not chosen for them
        await pilot.pause()
        await type_into(pilot, "name", "Robin")
        assert "Who they are is needed" in await _refused_at(pilot, "kind")
        await choose(pilot, "kind", "carer")
        await save(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert load_plan(plan_path).person("robin").kind == "carer"  # type: ignore[union-attr]
    assert "Carers' catch-up" not in plan_path.read_text(encoding="utf-8")
    assert before != plan_path.read_text(encoding="utf-8")


async def test_right_arrow_puts_in_what_a_field_offers(plan_path: Path) -> None:
    """A decision's date is offered (today, in grey), not filled in: → puts it in."""
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await type_into(pilot, "what", "We meet on Thursdays.")
        field = form(pilot).query_one("#field-date")
        assert field.value == "" and TODAY.isoformat() in field.placeholder
        field.focus()
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        assert field.value == TODAY.isoformat()
        await pilot.press("right", "backspace", "1")  # a field with text: → moves as ever
        await pilot.pause()
        assert field.value == TODAY.isoformat()[:-1] + "1"
        await save(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    entry = load_plan(plan_path).log[-1]
    assert (entry.what, entry.date) == ("We meet on Thursdays.",
                                        date.fromisoformat(TODAY.isoformat()[:-1] + "1"))
    assert entry.stage == "", "nothing chose a stage for the decision"


@pytest.mark.parametrize("answer", ["escape", "enter"])
async def test_keeping_a_touchpoint_goes_back_to_the_list_and_says_so(
        plan_path: Path, answer: str) -> None:
    """Esc (or Keep it) on the question to delete one of several touchpoints goes back
    to the touchpoints, as Esc in a form chosen from them does; the question says so,
    and a notice says nothing was deleted."""
    from coplan.tui.screens.confirm import ConfirmScreen
    from coplan.tui.screens.pick import PickScreen
    from coplan.tui.widgets.stage_table import StageTable

    plan = load_plan(plan_path)
    stage = next(s for s in plan.stages if len(s.touchpoints) > 1)
    before = plan_path.read_text(encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.query_one(StageTable).select_stage(stage.id)
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen)
        await pilot.press("enter")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        hints = str(question.query_one(".form-keys").render())
        assert "Esc: keep it, back to the touchpoints" in hints
        await pilot.press(answer)  # the safe answer has the focus
        await pilot.pause()
        assert isinstance(app.screen, PickScreen), "not back at the touchpoints"
        said = [n.message for n in app._notifications]
        assert any("Nothing was deleted" in m and stage.touchpoints[0].title in m
                   for m in said), said
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, (PickScreen, ConfirmScreen))
    assert plan_path.read_text(encoding="utf-8") == before


async def test_every_question_says_its_keys_and_what_a_no_leaves(plan_path: Path) -> None:
    """Deleting a stage, a person and a meeting: each question says what Esc does and
    what the answer would do (not as if done), and answered no, a notice says what was
    kept."""
    from coplan.tui.screens.confirm import ConfirmScreen
    from coplan.tui.screens.pick import PickScreen

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for tab in ("1", "4", "5"):
            await pilot.press(tab)
            await pilot.pause()
            await pilot.press("delete")
            await pilot.pause()
            asked = app.screen
            assert isinstance(asked, (ConfirmScreen, PickScreen)), (tab, asked)
            assert "Esc" in str(asked.query_one(".form-keys").render())
            # Asked before anything is done: what the answer would do, never as if done.
            words = asked.question if isinstance(asked, ConfirmScreen) else \
                f"{asked.pick_title} {asked.intro}"
            assert "Ctrl+Z can undo it afterwards." in words, (tab, words)
            for done in ("undoes it", "now ends", "are removed", "They are taken off"):
                assert done not in words, (tab, words)
            await pilot.press("escape")
            await pilot.pause()
            said = app._notifications
            assert said and any(word in list(said)[-1].message for word in
                                ("Nothing was removed", "Nothing was deleted",
                                 "Nothing was changed")), (tab, [n.message for n in said])


@pytest.mark.parametrize(("title", "made"), [
    ("Redesigning the peer support offer together with people who use it",
     "redesigning-the-peer-support-offer"),
    ("Co-producing a better discharge from hospital", "co-producing-a-better-discharge-from"),
    ("Supercalifragilisticexpialidociousnessandmore words",
     "supercalifragilisticexpialidociousnessan"),
    ("A short title", "a-short-title"),
])
def test_a_made_id_is_cut_where_a_word_ends(title: str, made: str) -> None:
    """Ids made from titles are cut where a word ends, within the limit ("...-offer",
    not "...-offer-toget"), unless one word is longer than half of it."""
    assert forms.slug(title) == made
    assert len(made) <= 40 and made == schema.slug(title, limit=40)


def test_a_made_id_says_what_it_is_when_the_name_gives_no_letters() -> None:
    """A person whose name is written in letters an id cannot hold (or only a phone
    number) gets an id that says it is a person, not "stage"."""
    assert forms.slug("李明", "person") == "person"
    assert forms.slug("07700 900123", "person") == "person"
    assert forms.slug("李明") == "stage"


def test_a_new_touchpoint_is_named_from_its_own_title_and_old_ids_stay(
        plan_path: Path) -> None:
    """A new touchpoint's id comes from its own title, not its stage's (unique in the
    whole plan); one without a title keeps the stage's id and number; an id already
    written, or worked out for a touchpoint the file gives none, is never changed."""
    plan = load_plan(plan_path)
    stage = plan.stages[0]
    text = plan_path.read_text(encoding="utf-8")
    before = {t.id for t in plan.touchpoints}
    doc = PlanDocument(text)
    fields = forms.touchpoint_fields(plan, stage, None)
    forms.apply_touchpoint(doc, stage, None, answers(fields, title="Evening drop-in",
                                                     purpose="To hear"))
    forms.apply_touchpoint(doc, stage, None, answers(fields, purpose="To hear again"))
    other = plan.stages[1]
    forms.apply_touchpoint(doc, other, None, answers(
        forms.touchpoint_fields(plan, other, None), title="Evening drop-in", purpose="Again"))
    after = parse_plan(doc.text())
    assert [t.id for t in after.stage(stage.id).touchpoints][-2:] == [  # type: ignore[union-attr]
        "evening-drop-in", f"{stage.id}-{len(stage.touchpoints) + 1}"]
    assert after.stage(other.id).touchpoints[-1].id == "evening-drop-in-2"  # type: ignore[union-attr]
    assert before <= {t.id for t in after.touchpoints}
    assert doc.text().startswith(text[:text.index("[[stage]]")])


def test_a_hint_that_says_what_a_value_does_follows_the_value(plan_path: Path) -> None:
    """Under a switch or a choice, words about one of its values ("No: only initials",
    "Left unchosen, ...", "Left as 'To agree', ...") are said only while that value is
    chosen: the person form said "No: ..." under a switch set to Yes."""
    from coplan.tui.screens.form import FormScreen

    plan = load_plan(plan_path)
    stage = plan.stages[0]
    every = [*add_forms(plan), ("touchpoint", forms.touchpoint_fields(
        plan, stage, stage.touchpoints[0])), ("person", forms.person_fields(
            plan, plan.people[0]))]
    followed = 0
    for name, fields in every:
        for spec in fields:
            if spec.kind not in ("switch", "select"):
                continue
            for words in ("Yes:", "No:", "Left unchosen", "Left as"):
                assert words not in spec.help, (name, spec.key, spec.help)
            if spec.explain is None:
                continue
            values = [False, True] if spec.kind == "switch" else \
                [None, *[v for _, v in spec.options]]
            said = [FormScreen.help_text(spec, v) for v in values]
            assert len(set(said)) > 1, (name, spec.key, said)
            followed += 1
    assert followed >= 4


def every_form(plan: Plan) -> list[tuple[str, list[Field]]]:
    """Every form of the app that has dates, opened as the app opens it on ``TODAY``: the
    tabs' own, and E's for every table of the file (a list's entry or a settings table)."""
    stage = plan.stages[0]
    found = [
        ("stage", forms.stage_fields(plan, stage, today=TODAY)),
        ("new stage", forms.stage_fields(plan, None, today=TODAY)),
        ("touchpoint", forms.touchpoint_fields(plan, stage, None, today=TODAY)),
        ("person", forms.person_fields(plan, plan.people[0], today=TODAY)),
        ("new person", forms.person_fields(plan, None, today=TODAY)),
        ("meeting", forms.meeting_fields(plan, None, today=TODAY)),
        ("protocol", forms.protocol_fields(plan, today=TODAY)),
    ]
    for place in schema.places(Plan)[1:]:
        parents = forms.targets_of(place.path[:-1], plan) if len(place.path) > 1 else \
            [Target((), ())]
        if not parents:
            continue
        if place.sub is not None and place.sub.array:
            target = Target(place.path, parents[0].at, new=True)
        else:
            here = forms.targets_of(place.path, plan)
            if not here:
                continue
            target = here[0]
        found.append(('.'.join(place.path),
                      editing.form_for(plan, None, target, today=TODAY).fields))
    return found


def test_every_date_in_every_form_offers_today(plan_path: Path) -> None:
    """trial12: the person and stage forms did not offer today's date, though the
    Delivery tab's forms and E's entries did; now every form's dates do, the same way
    (grey in the empty field, → puts it in)."""
    plan = load_plan(plan_path)
    dated = [(name, f) for name, fields in every_form(plan) for f in fields
             if f.check is forms.check_date and not f.locked]
    names = {name for name, _ in dated}
    assert {"person", "new person", "stage", "new stage", "protocol", "project"} <= names, \
        names
    missing = [f"{name}: {f.key}" for name, f in dated if f.offer != TODAY.isoformat()]
    assert not missing, missing


async def test_the_person_form_offers_today_by_key(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        field = form(pilot).query_one("#field-needs_asked")
        assert field.value == "" and TODAY.isoformat() in field.placeholder
        field.focus()
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        assert field.value == TODAY.isoformat()
