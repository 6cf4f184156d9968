"""The forms of "edit any part of the plan" (E) offer what the Delivery tab's forms offer:
every date offers today's (→), and a reflection's checkpoint the one nearest today, which
the schedule knows (trial 11: the reflection form offered neither, so the coordinator
looked the number up in ``coplan schedule``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from forms_pilot import focus, form, pick, save, type_into
from tui_support import SIZE, make_app

from coplan import schema
from coplan.model import Plan
from coplan.planfile import load_plan
from coplan.schedule import schedule
from coplan.tui.editing import form_for
from coplan.tui.forms import Target, offered_checkpoint
from coplan.tui.screens.form import FormScreen

TODAY = date(2027, 9, 10)


def _nearest(plan: Plan, today: date) -> tuple[int, date]:
    days = [cp.day for cp in schedule(plan, today=today).checkpoints]
    n = min(range(len(days)), key=lambda i: (abs((days[i] - today).days), days[i]))
    return n + 1, days[n]


async def test_a_new_reflection_offers_today_and_the_nearest_checkpoint(
        plan_path: Path) -> None:
    plan = load_plan(plan_path)
    number, day = _nearest(plan, TODAY)
    app = make_app(plan_path, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        top = app.screen
        await pick(pilot, next(v for label, v in top.options
                               if label.startswith("Reflections (")))
        await pick(pilot, next(v for label, v in app.screen.options if "add one" in label))
        assert isinstance(app.screen, FormScreen)
        fields = {f.key: f for f in form(pilot).fields}
        assert fields["date"].offer == TODAY.isoformat()
        assert "→ puts in today's" in fields["date"].help
        assert fields["checkpoint"].offer == str(number)
        assert f"the checkpoint of {day:%d %b %Y}, the nearest to today" in \
            fields["checkpoint"].help
        for key in ("date", "checkpoint"):  # offered, not filled in: → puts each in
            widget = await focus(pilot, key)
            assert widget.value == ""
            await pilot.press("right")
            await pilot.pause()
        await type_into(pilot, "noticed", "People were tired after the drop-in.")
        await save(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    noted = load_plan(plan_path).reflections[-1]
    assert (noted.date, noted.checkpoint) == (TODAY, number)


def test_every_date_of_a_new_entry_offers_today() -> None:
    """The class: every date key of every table "edit any part of the plan" adds through
    the form made from the schema offers today's, as the Delivery tab's forms do (a
    person, a stage and a meeting have their tab's own form)."""
    plan = load_plan(Path(__file__).resolve().parents[2] / "examples" /
                     "minds-discharge.toml")
    sched = schedule(plan, today=TODAY)
    checked = 0
    for place in schema.places(Plan):
        if len(place.path) != 1 or place.sub is None or not place.sub.array or \
                place.path in (("person",), ("stage",), ("meeting",)):
            continue
        days = {m.toml for m in schema.schema_of(place.model).members
                if isinstance(m.spec, schema.Key) and isinstance(m.spec.kind, schema.Day)}
        fields = form_for(plan, None, Target(place.path, (), new=True), today=TODAY,
                          sched=sched).fields
        for field in fields:
            if field.key in days:
                assert field.offer == TODAY.isoformat(), (place.path, field.key)
                checked += 1
    assert checked >= 5


def test_the_nearest_checkpoint_is_the_earlier_of_two_as_near() -> None:
    plan = load_plan(Path(__file__).resolve().parents[2] / "examples" /
                     "minds-discharge.toml")
    sched = schedule(plan, today=TODAY)
    days = [cp.day for cp in sched.checkpoints]
    assert offered_checkpoint(sched, days[2]) == (3, days[2])
    middle = days[2] + (days[3] - days[2]) / 2
    if (middle - days[2]).days == (days[3] - middle).days:
        assert offered_checkpoint(sched, middle) == (3, days[2])
    assert offered_checkpoint(sched, days[0].replace(year=days[0].year - 1)) == (1, days[0])
