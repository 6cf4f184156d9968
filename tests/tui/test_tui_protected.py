"""The protected view of a served app: a person sees their own private details and nobody
else's, in every tab and every form, and nothing they save changes what they cannot see.

The plan is the teaching example, with an unmistakable word put in each private field of
each person (``SECRET``), in a session record's notes and reason, in a reflection not
shared, and in a payment's amount.  Jon (an expert by experience) opens the protected
view; Leon (the lead, who the plan says looks after private details) the full one, which
shows the same words: so a walk that found nothing cannot pass by seeing nothing.
"""

from __future__ import annotations

import html
import re
from dataclasses import fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rich.console import Console
from textual.content import Content
from textual.widgets import DataTable, Input, Static, TextArea
from tui_support import SIZE, copy_example, make_app, settle

from coplan.edit import PlanDocument
from coplan.planfile import parse_plan
from coplan.plugins import all_rules
from coplan.protected import IdsAsWritten, hidden_change, person_named, shown
from coplan.review import review
from coplan.schedule import schedule
from coplan.sharing import PRIVATE_DETAILS
from coplan.tui import editing, forms
from coplan.tui.forms import Target
from coplan.tui.panes.delivery import DeliveryPane
from coplan.tui.panes.people import PeoplePane
from coplan.tui.panes.plan import PlanPane
from coplan.tui.screens.form import FormScreen, FormValues
from coplan.tui.shown import CopyDocument

TODAY = date(2027, 11, 20)
OTHERS = ("maya", "bea", "alex", "hannah", "leon")
SECRET_DAY = date(1977, 2, 3)  # anyone's but Jon's (a year no text of the app says)
OWN_DAY = date(2018, 5, 6)


def secrets_of(pid: str) -> dict[str, Any]:
    return {"email": f"secretmail-{pid}@hidden.example",
            "organisation": f"Secretorg {pid}",
            "aliases": [f"Secretalias{pid}"],
            "payment_reason": f"Secretreason {pid}",
            "needs_asked": SECRET_DAY if pid != "jon" else OWN_DAY,
            "benefits_advice_on": SECRET_DAY if pid != "jon" else OWN_DAY}


def secret_words(pid: str) -> list[str]:
    return [f"secretmail-{pid}", f"Secretorg {pid}", f"Secretalias{pid}",
            f"Secretreason {pid}", f"Secretneed {pid}", "1977", "03 Feb"]


TEAM_ONLY = ["Secretnote", "Secretwhy", "missed a writing session", "123.45"]


def sentinel_plan(folder: Path) -> Path:
    path = copy_example(folder, "teaching-workshop")
    doc = PlanDocument(path.read_text(encoding="utf-8"), path)
    plan = parse_plan(doc.text())
    for person in plan.people:
        for key, value in secrets_of(person.id).items():
            doc.set_person(person.id, key, value)
        doc.set_person(person.id, "needs", [*person.needs, f"other: Secretneed {person.id}"])
    doc.set_table("governance", "private_details", ["leon"])
    text = doc.text()
    text = text.replace('notes = "J. could not come', 'notes = "Secretnote. J. could not come')
    text = text.replace('why = "Moved two days:', 'why = "Secretwhy. Moved two days:')
    text = text.replace('who = "maya"\nfor = "first-meeting"\nsession = 1\nclaimed = '
                        '2027-09-09\npaid = 2027-09-20\namount = 93.75',
                        'who = "maya"\nfor = "first-meeting"\nsession = 1\nclaimed = '
                        '2027-09-09\npaid = 2027-09-20\namount = 123.45')
    assert "Secretnote" in text and "Secretwhy" in text and "123.45" in text
    path.write_text(text, encoding="utf-8")
    parse_plan(text)  # still a plan
    return path


def leaks(text: str, viewer: str | None = "jon") -> list[str]:
    """The private words of anyone but ``viewer`` found in ``text``."""
    found = [w for pid in OTHERS if pid != viewer for w in secret_words(pid)
             if w.casefold() in text.casefold()]
    return found + [w for w in TEAM_ONLY if w.casefold() in text.casefold()]


def _plain(renderable: Any) -> str:
    if isinstance(renderable, Content):
        return renderable.plain
    console = Console(width=400, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def screen_words(app: Any) -> str:
    """Everything the screen on top holds in words: each table's every row (those scrolled
    out of sight too), each text and field, and the picture of the screen itself."""
    parts: list[str] = []
    for widget in app.screen.query("*"):
        if isinstance(widget, DataTable):
            parts += [str(c.label) for c in widget.columns.values()]
            for row in range(widget.row_count):
                parts += [_plain(cell) if not isinstance(cell, str) else cell
                          for cell in widget.get_row_at(row)]
        elif isinstance(widget, Input):
            parts.append(widget.value)
        elif isinstance(widget, TextArea):
            parts.append(widget.text)
        elif isinstance(widget, Static):
            parts.append(_plain(widget.render()))
    svg = app.export_screenshot()
    parts.append(html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " "))
    parts += [str(n.message) for n in app._notifications]
    return "\n".join(parts)


async def walk(app: Any, pilot: Any, only: str = "") -> dict[str, str]:
    """Every tab, every stage's details, and the record form of every session on the
    Delivery tab (``only``: of the sessions whose touchpoint's id has it)."""
    seen: dict[str, str] = {}
    for tab in ("plan", "timeline", "review", "people", "meetings", "protocol", "delivery"):
        app.show_tab(tab)
        await pilot.pause()
        seen[tab] = screen_words(app)
    app.show_tab("plan")
    plan_pane = app.pane(PlanPane)
    for stage in app.shown_session.plan.stages:
        plan_pane.show_stage(stage.id)
        await pilot.pause()
        seen[f"stage {stage.id}"] = screen_words(app)
    app.show_tab("delivery")
    await pilot.pause()
    delivery = app.pane(DeliveryPane)
    for row in range(delivery.table.row_count):
        delivery.table.move_cursor(row=row)
        chosen = delivery.table.selected()
        if chosen is None or only not in chosen.touchpoint.id:
            continue
        await delivery.run_action("record_session")
        await pilot.pause()
        await pilot.pause()
        if isinstance(app.screen, FormScreen):
            seen[f"record {row}"] = screen_words(app)
            await pilot.press("escape")
            await pilot.pause()
    return seen


async def open_person(app: Any, pilot: Any, pid: str) -> str:
    app.show_tab("people")
    await pilot.pause()
    pane = app.pane(PeoplePane)
    pane.select_person(pid)
    await pane.run_action("edit_person")
    await pilot.pause()
    await pilot.pause()
    words = screen_words(app)
    if isinstance(app.screen, FormScreen):
        await pilot.press("escape")
        await pilot.pause()
    return words


async def test_the_protected_view_shows_nobody_elses_private_details(tmp_path: Path) -> None:
    path = sentinel_plan(tmp_path)
    app = make_app(path, today=TODAY, who="Jon", protected=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.viewer == "jon"
        seen = await walk(app, pilot)
        assert len(seen) > 20
        for where, words in seen.items():
            assert leaks(words) == [], where
        for pid in OTHERS:
            words = await open_person(app, pilot, pid)
            assert not isinstance(app.screen, FormScreen), pid
            assert "details are private" in words, pid
            assert leaks(words) == [], pid
        own = await open_person(app, pilot, "jon")
        assert "secretmail-jon" in own  # their own details, as written
        assert leaks(own) == []


async def test_the_full_view_shows_the_same_walk_everything(tmp_path: Path) -> None:
    """The same walk in Leon's full view finds the private words: the walk can see them."""
    path = sentinel_plan(tmp_path)
    app = make_app(path, today=TODAY, who="Leon Grant")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        seen = await walk(app, pilot, only="writing")
        everything = "\n".join(seen.values())
        words = await open_person(app, pilot, "maya")
        assert "secretmail-maya" in words and "Secretorg maya" in words
        assert "Secretnote" in everything


async def test_a_name_typed_on_the_shared_link_shows_nobodys_details(tmp_path: Path) -> None:
    path = sentinel_plan(tmp_path)
    app = make_app(path, today=TODAY, who="Jon", protected=True, name_checked=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.viewer is None
        words = await open_person(app, pilot, "jon")
        assert not isinstance(app.screen, FormScreen)
        assert "secretmail-jon" not in words
        assert leaks(words, viewer=None) == []


def every_form(plan: Any) -> list[Target]:
    """Every table and entry of the plan the app's 'edit any part' reaches."""
    found: list[Target] = []
    todo = [Target((), ())]
    while todo:
        here = todo.pop()
        if here.path and here.at and here.at[-1] == -1:
            options = editing.entries(plan, here)
        else:
            options = editing.children(plan, here)
            if here.path:
                found.append(here)
        for _, target in options:
            if target.new or target == here:
                continue
            todo.append(target)
    return found


def test_every_form_of_the_protected_view_is_without_anyone_elses_details(
        tmp_path: Path) -> None:
    """Every form 'edit any part' opens, as the protected view fills it in (from the copy;
    another person's entry and the payments are not opened at all)."""
    text = sentinel_plan(tmp_path).read_text(encoding="utf-8")
    plan = parse_plan(text)
    sched = schedule(plan, today=TODAY)
    made = shown(plan, sched, review(plan, sched, registry=all_rules(), today=TODAY), "jon")
    copy = made.plan
    doc = CopyDocument(PlanDocument(text), plan, copy, made.ids_back)

    class Viewer:
        protected = True
        viewer = "jon"

    targets = every_form(copy)
    assert len(targets) > 50
    opened = 0
    for target in targets:
        if editing.closed_in_protected_view(Viewer(), copy, target) is not None:
            continue
        form = editing.form_for(copy, cast(PlanDocument, doc), target)
        words = "\n".join(f"{f.label} {f.value} {f.options} {f.placeholder} {f.offer}"
                          for f in form.fields)
        assert leaks(words) == [], target
        opened += 1
    assert opened > 40
    people = [t for t in targets if t.path == ("person",) and t.at and t.at[0] is not None]
    shut = [t for t in people if editing.closed_in_protected_view(Viewer(), copy, t)]
    assert len(shut) == len(plan.people) - 1


def test_the_copy_has_no_private_key_of_anyone_else(tmp_path: Path) -> None:
    plan = parse_plan(sentinel_plan(tmp_path).read_text(encoding="utf-8"))
    sched = schedule(plan, today=TODAY)
    made = shown(plan, sched, review(plan, sched, registry=all_rules(), today=TODAY), "jon")
    copy, copy_schedule, report = made.plan, made.schedule, made.report
    for person in copy.people:
        if person.id == "jon":
            assert person.email == "secretmail-jon@hidden.example"
            continue
        for key in PRIVATE_DETAILS:
            assert getattr(person, key) in (None, (), "", False), (person.id, key)
    assert copy_schedule is not None and copy_schedule.plan is copy
    assert leaks("\n".join(f.message + f.fix for f in report.findings)) == []


@pytest.mark.parametrize("name, found", [
    ("Jon", "jon"), ("jon", "jon"), ("  maya   patel ", "maya"), ("A. R.", "alex"),
    ("Nobody", None), ("", None), (None, None)])
def test_a_link_names_a_person_by_name_alias_or_id(name: str | None,
                                                   found: str | None) -> None:
    plan = parse_plan((Path(__file__).parents[2] / "examples" / "teaching-workshop.toml")
                      .read_text(encoding="utf-8"))
    person = person_named(plan, name)
    assert (person.id if person else None) == found


async def test_an_edit_that_would_change_a_hidden_value_is_refused(tmp_path: Path) -> None:
    path = sentinel_plan(tmp_path)
    app = make_app(path, today=TODAY, who="Jon", protected=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = app.session.text
        for change in (lambda doc: doc.set_person("maya", "email", "x@y.example"),
                       lambda doc: doc.set_table("governance", "private_details",
                                                 ["leon", "jon"]),
                       lambda doc: doc.set_person("bea", "name", "Bea O.")):
            said = app.attempt("a change", change)
            assert isinstance(said, str) and "nobody else's" in said, said
            assert app.session.text == before
        # Their own details, and the plan's stages, they change as anyone does.
        assert app.attempt("own", lambda doc: doc.set_person("jon", "email",
                                                             "jon@new.example")) is True
        stage = app.session.plan.stages[0].id
        assert app.attempt("stage", lambda doc: doc.set_stage(stage, "title", "New")) is True
        await settle(pilot)


def test_hidden_change_names_what_changed(tmp_path: Path) -> None:
    text = sentinel_plan(tmp_path).read_text(encoding="utf-8")
    plan = parse_plan(text)

    def after(change: Any) -> Any:
        doc = PlanDocument(text)
        change(doc)
        return parse_plan(doc.text())

    assert hidden_change(plan, plan, "jon") is None
    assert hidden_change(plan, after(lambda d: d.set_person("jon", "needs", [])), "jon") \
        is None
    assert "details" in hidden_change(plan, after(
        lambda d: d.set_person("alex", "needs", [])), "jon")
    assert "details" in hidden_change(plan, after(
        lambda d: d.set_person("jon", "needs", [])), None)
    notes = text.replace("Secretnote. ", "")
    assert "notes" in hidden_change(plan, parse_plan(notes), "jon")
    paid = text.replace("amount = 123.45", "amount = 1.00")
    assert "payments" in hidden_change(plan, parse_plan(paid), "jon")
    reflected = text.replace("missed a writing session", "missed a session")
    assert "reflection" in hidden_change(plan, parse_plan(reflected), "jon")


# -- a save from the protected view changes only what was edited ---------------------------

_words = st.text(alphabet=st.characters(whitelist_categories=("L", "N"), max_codepoint=0x7f),
                 min_size=1, max_size=12)


def _bare(value: Any) -> Any:
    """A value of the plan without where its parts stand in the file (lines move)."""
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple(
            (f.name, _bare(getattr(value, f.name))) for f in fields(value)
            if f.name not in ("line", "key_lines") and not f.name.startswith("_")))
    if isinstance(value, (tuple, list)):
        return tuple(_bare(v) for v in value)
    return value


def _values_of(item: Any) -> dict[str, Any]:
    return {f.name: _bare(getattr(item, f.name)) for f in fields(item)
            if f.name not in ("line", "key_lines") and not f.name.startswith("_")}


class Protected:
    """The sentinel plan, as its text, the plan, the copy Jon's view shows and the file as
    his forms read it (with a short repr: hypothesis prints its arguments)."""

    def __init__(self, folder: Path) -> None:
        self.text = sentinel_plan(folder).read_text(encoding="utf-8")
        self.plan = parse_plan(self.text)
        sched = schedule(self.plan, today=TODAY)
        made = shown(self.plan, sched, review(self.plan, sched, registry=all_rules(),
                                              today=TODAY), "jon")
        self.copy = made.plan
        self.ids_back = made.ids_back
        self.doc = CopyDocument(PlanDocument(self.text), self.plan, made.plan, made.ids_back)

    def __repr__(self) -> str:
        return "Protected(teaching example, as Jon sees it)"


@pytest.fixture(scope="module")
def protected_plan(tmp_path_factory: pytest.TempPathFactory) -> Protected:
    return Protected(tmp_path_factory.mktemp("p"))


@settings(max_examples=20, deadline=None, print_blob=False,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],  # (each example reads a plan)
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_save_from_the_protected_view_changes_only_what_was_edited(
        protected_plan: Protected, data: st.DataObject) -> None:
    """A stage, touchpoint, meeting or one's own form filled in from the copy, some of its
    text answers changed, saved: the plan differs from before in those answers alone, and
    nothing hidden from the person changed."""
    text, plan, copy = protected_plan.text, protected_plan.plan, protected_plan.copy
    seen = cast(PlanDocument, protected_plan.doc)
    kind = data.draw(st.sampled_from(["stage", "touchpoint", "meeting", "own"]))
    if kind == "stage":
        stage = data.draw(st.sampled_from(copy.stages))
        fields = forms.stage_fields(copy, stage, seen)

        def apply(doc: PlanDocument, values: Any) -> Any:
            return forms.apply_stage(doc, copy, stage, values)

        def item(p: Any) -> Any:
            return p.stage(stage.id)
    elif kind == "touchpoint":
        stage = data.draw(st.sampled_from([s for s in copy.stages if s.touchpoints]))
        tp = data.draw(st.sampled_from(stage.touchpoints))
        fields = forms.touchpoint_fields(copy, stage, tp, seen)

        def apply(doc: PlanDocument, values: Any) -> Any:
            return forms.apply_touchpoint(doc, stage, tp, values)

        def item(p: Any) -> Any:
            return p.stage(stage.id).touchpoints[tp.index]
    elif kind == "meeting":
        meeting = data.draw(st.sampled_from(copy.meetings))
        fields = forms.meeting_fields(copy, meeting, seen)

        def apply(doc: PlanDocument, values: Any) -> Any:
            return forms.apply_meeting(doc, meeting, values)

        def item(p: Any) -> Any:
            return next(m for m in p.meetings if m.id == meeting.id)
    else:
        me = copy.person("jon")
        fields = forms.person_fields(copy, me, seen)

        def apply(doc: PlanDocument, values: Any) -> Any:
            return forms.apply_person(doc, copy, me, values)

        def item(p: Any) -> Any:
            return p.person("jon")
    # Free text a person may write anything in (a field with a check takes a form of its
    # own, such as a date, which the form asks again for before it saves; a field offered
    # read-only, ``locked``, cannot be changed in the form).
    texts = [f for f in fields if f.kind == "text" and f.key != "id"
             and f.check is None and isinstance(f.value, str) and not f.locked]
    chosen = data.draw(st.lists(st.sampled_from(texts), unique_by=lambda f: f.key,
                                max_size=3)) if texts else []
    shown_values = {f.key: f.value for f in fields}
    answers = dict(shown_values)
    for f in chosen:
        answers[f.key] = data.draw(_words)
    doc = PlanDocument(text)
    apply(cast(PlanDocument, IdsAsWritten(doc, protected_plan.ids_back)),
          FormValues(answers, shown_values))
    after = parse_plan(doc.text())
    edited = {f.key for f in chosen if answers[f.key] != shown_values[f.key]}
    assert hidden_change(plan, after, "jon") is None
    before_item, after_item = _values_of(item(plan)), _values_of(item(after))
    member = {m.toml: m.field for m in __import__("coplan.schema", fromlist=["x"])
              .schema_of(type(item(plan))).members}
    edited_fields = {member.get(k, k) for k in edited}
    for key, value in before_item.items():
        if key not in edited_fields and key not in ("touchpoints", "records"):
            assert after_item[key] == value, (kind, key)
    # Everything else in the plan is as it was.
    edited_item = item(plan)
    for before, now in ((plan.people, after.people), (plan.meetings, after.meetings),
                        (plan.stages, after.stages)):
        assert len(before) == len(now)
        for one, other in zip(before, now, strict=True):
            if one is not edited_item and not any(t is edited_item for t in
                                                  getattr(one, "touchpoints", ())):
                assert _values_of(one) == _values_of(other), kind
    assert _values_of(plan.governance) == _values_of(after.governance)
    for before_list, now_list in ((plan.paid, after.paid), (plan.reflections, after.reflections)):
        assert [_values_of(x) for x in before_list] == [_values_of(x) for x in now_list]


# -- what the view says about the plan, beyond its tabs (round 11) ------------------------
#
# A team's own words that name someone who keeps their name private: Alex ("A. R.", who
# shares nothing) by one of their other names, which only the plan itself has.

HIDDEN_NAME = "Secretaliasalex"


def naming_plan(folder: Path) -> Path:
    """The sentinel plan, with the first stage's title naming Alex by another name."""
    path = sentinel_plan(folder)
    doc = PlanDocument(path.read_text(encoding="utf-8"), path)
    doc.set_stage("scope", "title", f"Scoping with {HIDDEN_NAME}")
    path.write_text(doc.text(), encoding="utf-8")
    return path


async def _clash_on_the_title(app: Any, pilot: Any) -> None:
    """Someone else renames the stage (its title names nobody) to one that names Alex
    while this copy's form, opened before, renames it too: the dialog asks."""
    started = app.session.text
    app.session.apply("theirs", lambda doc: doc.set_stage(
        "scope", "title", f"Scoping, with {HIDDEN_NAME} leading"))
    made = app._make_edit("mine", lambda doc: doc.set_stage("scope", "title", "Scoping"),
                          started)
    assert made is False
    for _ in range(4):
        await pilot.pause()


async def test_the_clash_dialog_says_both_values_as_the_copy_does(tmp_path: Path) -> None:
    from coplan.tui.screens.conflicts import ConflictScreen

    path = naming_plan(tmp_path)
    app = make_app(path, today=TODAY, who="Jon", protected=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _clash_on_the_title(app, pilot)
        assert isinstance(app.screen, ConflictScreen)
        words = screen_words(app)
        assert "Two changes to the same thing" in words and "Scoping" in words
        assert HIDDEN_NAME.casefold() not in words.casefold()
        assert "A.R." in words  # said as the copy says it
        await pilot.press("escape")  # decide later: the notice says it too
        await pilot.pause()
        words = screen_words(app)
        assert "Not changed" in words and HIDDEN_NAME.casefold() not in words.casefold()


async def test_the_full_view_shows_the_clash_as_written(tmp_path: Path) -> None:
    """The control: on the team's own screen, the dialog shows the name as written."""
    from coplan.tui.screens.conflicts import ConflictScreen

    path = naming_plan(tmp_path)
    app = make_app(path, today=TODAY, who="Leon Cole")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _clash_on_the_title(app, pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert HIDDEN_NAME in screen_words(app)


async def test_every_notice_and_the_status_line_say_what_the_copy_says(
        tmp_path: Path) -> None:
    """Whatever part of the app says something about the plan (a notice, a refusal, the
    last change in the status line), the protected view says it in the copy's words."""
    path = naming_plan(tmp_path)
    app = make_app(path, today=TODAY, who="Jon", protected=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.notify(f"Someone changed the stage with {HIDDEN_NAME}, mail "
                   "secretmail-maya@hidden.example", title=f"About {HIDDEN_NAME}")
        app.last_change = f"Renamed the stage with {HIDDEN_NAME} (Ctrl+Z undoes it)"
        app.update_status()
        await pilot.pause()
        words = screen_words(app)
        titles = " ".join(str(n.title) for n in app._notifications)
        assert "Someone changed the stage with A.R." in words
        assert "Renamed the stage with A.R." in words
        # (what is put for the address taken out is shown as words, not read as markup)
        assert any("[email address removed]" in (Content.from_markup(n.message).plain
                                                 if n.markup else n.message)
                   for n in app._notifications)
        for said in (words, titles):
            assert HIDDEN_NAME.casefold() not in said.casefold()
            assert leaks(said) == []


async def test_undo_and_redo_are_checked_as_edits_are(tmp_path: Path) -> None:
    """Undo (and redo) make a change too: one that would reach what the view hides (here
    a reload the team made of Maya's address, taken back) is refused, and said so."""
    path = sentinel_plan(tmp_path)
    app = make_app(path, today=TODAY, who="Jon", protected=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        session = app.session
        reloaded = session.text.replace("secretmail-maya@hidden.example",
                                        "maya.new@hidden.example")
        session.replace_text(reloaded, "reloaded")
        app.action_undo()
        await pilot.pause()
        assert session.text == reloaded  # not taken back
        assert any("Not undone" in str(n.message) and "nobody else's" in str(n.message)
                   for n in app._notifications)
        # Their own change goes back and forth as ever.
        assert app.attempt("own", lambda doc: doc.set_person("jon", "email",
                                                             "jon@new.example")) is True
        app.action_undo()
        assert "jon@new.example" not in session.text
        app.action_redo()
        assert "jon@new.example" in session.text
        await settle(pilot)


def test_a_clash_on_what_the_view_hides_is_refused_not_asked(tmp_path: Path) -> None:
    """An edit of a hidden value (Maya's address) made on a text someone else has since
    changed there too is refused: no dialog offers to choose between two values the person
    may not see."""
    from coplan.session import EditRefused, PlanSession

    path = sentinel_plan(tmp_path)
    session = PlanSession(path, path.read_text(encoding="utf-8"), today=TODAY)
    session.guard = lambda before, after: hidden_change(before, after, "jon")
    started = session.text
    session.guard = None  # (the team's own change, made on the plan)
    session.apply("theirs", lambda doc: doc.set_person("maya", "email", "t@hidden.example"))
    session.guard = lambda before, after: hidden_change(before, after, "jon")
    with pytest.raises(EditRefused, match="Maya Patel's details"):
        session.apply("mine", lambda doc: doc.set_person("maya", "email", "m@x.example"),
                      started_from=started)


class _Jon:
    protected = True
    viewer = "jon"


def _shown_copy(text: str) -> tuple[Any, Any, Any]:
    plan = parse_plan(text)
    sched = schedule(plan, today=TODAY)
    made = shown(plan, sched, review(plan, sched, registry=all_rules(), today=TODAY), "jon")
    return plan, made, CopyDocument(PlanDocument(text), plan, made.plan, made.ids_back)


def test_a_value_shown_otherwise_than_written_is_offered_read_only(tmp_path: Path) -> None:
    """A text that names a hidden person (shown "A.R."), a session's arrangements counted,
    a record's notes kept within the team: each is offered read-only with the reason, so
    what is typed over the copy's words never replaces the team's.  A value the copy shows
    as written, or with only an id changed (written back as the file's), stays open."""
    from coplan.tui.shown import KEPT_FROM_VIEW

    text = naming_plan(tmp_path).read_text(encoding="utf-8")
    plan, made, doc = _shown_copy(text)
    copy = made.plan
    stage = copy.stage("scope")
    fields = {f.key: f for f in forms.stage_fields(copy, stage, cast(PlanDocument, doc))}
    assert fields["title"].value == "Scoping with A.R."
    assert fields["title"].locked == KEPT_FROM_VIEW
    assert not fields["duration"].locked and not fields["phase"].locked
    counted = [(s, tp) for s in copy.stages for tp in s.touchpoints
               if any(a.startswith("other:") and "individual" in a for a in tp.access)]
    assert counted
    s, tp = counted[0]
    tp_fields = {f.key: f for f in forms.touchpoint_fields(copy, s, tp,
                                                           cast(PlanDocument, doc))}
    assert tp_fields["access"].locked
    assert not tp_fields["who"].locked
    assert not tp_fields["title"].locked
    # Every form 'edit any part' opens: each field left open shows what the file has (an
    # id the copy changed aside, which is written back as the file's).
    file = PlanDocument(text)
    back = made.ids_back

    def as_file(value: Any) -> Any:
        if isinstance(value, list):
            return [as_file(v) for v in value]
        return back.get(value, value) if isinstance(value, str) else value

    locked = opened = 0
    for target in every_form(copy):
        if editing.closed_in_protected_view(_Jon(), copy, target) is not None:
            continue
        written = file.item_at(target.path, target.at)
        for field in editing.form_for(copy, cast(PlanDocument, doc), target).fields:
            if written is None or field.key not in written:
                continue
            if field.locked:
                locked += 1
                continue
            opened += 1
            assert as_file(field.value) == forms.written(written[field.key], field.kind), \
                (target, field.key)
    assert locked and opened > 100
    # A session's record on the Delivery tab: its notes (kept within the team) too.
    recorded = next((s, t, r) for s in plan.stages for t in s.touchpoints for r in t.records
                    if r.notes.startswith("Secretnote"))
    table = doc.record(recorded[0].id, recorded[1].index, recorded[2].session)
    assert table.locked("notes")
    assert not table.locked("status")


async def test_a_locked_field_cannot_be_changed_in_the_form(tmp_path: Path) -> None:
    """In the app: the stage form shows the title read-only with the reason; saving the
    form leaves the team's words as they were."""
    path = naming_plan(tmp_path)
    app = make_app(path, today=TODAY, who="Jon", protected=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.show_tab("plan")
        await pilot.pause()
        pane = app.pane(PlanPane)
        pane.show_stage("scope")
        await pane.run_action("edit_stage")
        for _ in range(3):
            await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        title = app.screen.query_one("#field-title", TextArea)
        assert title.read_only and title.text == "Scoping with A.R."
        assert title.focusable  # (read, and why it is locked, by keyboard alone)
        assert "does not show you" in screen_words(app)
        title.text = "Scoping with A.R. and friends"  # (no key can; and even so)
        before = app.session.text
        await pilot.press("ctrl+s")
        for _ in range(3):
            await pilot.pause()
        assert HIDDEN_NAME in app.session.text
        assert "Scoping with A.R." not in app.session.text
        assert app.session.text == before
        await settle(pilot)


def test_papers_ahead_is_private_like_needs(tmp_path: Path) -> None:
    """How early a person wants papers is an access arrangement: in the copy for others
    nobody has it; in the protected view only the person's own."""
    from coplan.sharing import for_audience

    path = sentinel_plan(tmp_path)
    doc = PlanDocument(path.read_text(encoding="utf-8"), path)
    for person in parse_plan(doc.text()).people:
        doc.set_person(person.id, "papers_ahead", "17d")
    plan, made, _ = _shown_copy(doc.text())
    assert all(p.papers_ahead_days == 17 for p in plan.people)
    for person in made.plan.people:
        assert person.papers_ahead_days == (17 if person.id == "jon" else None), person.id
    team, _ = for_audience(plan, schedule(plan, today=TODAY), "team")
    assert all(p.papers_ahead_days is None for p in team.people)


async def test_an_export_started_in_the_view_is_made_as_coplan_export_makes_it(
        tmp_path: Path) -> None:
    """The export dialog of the protected view offers the team's documents and the
    person's own, nobody else's; and makes them from the plan itself, through the copy for
    the audience chosen (the view's own copy holds the person's own details, which a
    document for the team must not)."""
    from coplan.plugins import all_exporters
    from coplan.tui.screens.export import ExportScreen

    path = sentinel_plan(tmp_path)
    app = make_app(path, today=TODAY, who="Jon", protected=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        exporters = all_exporters()
        screen = ExportScreen(exporters, app.shown_session, path)
        per_person = [e for e in exporters if e.per_person]
        assert per_person
        for exporter in per_person:
            people = [a for _, a in screen._audiences(exporter) if a not in exporter.audiences]
            assert people == ["jon"], exporter.name
        source = screen._source()
        assert source.plan is app.session.plan and source.plan.shared_with is None
        # On the team's own screen, everyone's, as ever.
        full = ExportScreen(exporters, app.session, path)
        assert len([a for _, a in full._audiences(per_person[0])
                    if a not in per_person[0].audiences]) == len(app.session.plan.people)


async def test_the_protected_view_says_who_agreed_to_be_named_as_the_plan_does(
        tmp_path: Path) -> None:
    """The People tab's "Name shown to others" says what each person agreed to.  In the
    copy a protected view shows, a hidden name is already its initials and ``share_name``
    only says that the name may be shown as it stands: read from it, the column said
    "● their name" of everyone who had kept their name private."""
    path = sentinel_plan(tmp_path)
    plan = parse_plan(path.read_text(encoding="utf-8"))
    agreed = {p.id: p.share_name for p in plan.people}
    assert True in agreed.values() and False in agreed.values()
    app = make_app(path, today=TODAY, who="Jon", protected=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.show_tab("people")
        await pilot.pause()
        table = app.pane(PeoplePane).table
        shown = app.shown_session.plan
        assert shown.shared_with is not None  # (the copy, not the plan)
        column = {}
        for person, copied in zip(plan.people, shown.people, strict=True):  # (in order)
            column[person.id] = str(table.get_cell(copied.id, "Name shown to others"))
        assert column == {pid: "● their name" if yes else "○ initials only"
                          for pid, yes in agreed.items()}, column
