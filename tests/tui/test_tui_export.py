"""The export dialog: built from the exporters' declarations, exporting in this process from
the plan as it stands in the session, through the same ``run_export`` as the command line.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from textual.widgets import Button, Select, SelectionList, Switch
from tui_support import SIZE, make_app

from coplan.export import exporters as builtin
from coplan.export.contract import Exporter, Exporters, Format, Option, Options
from coplan.tui.screens.export import ExportScreen


def _no_programs(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"the export started a program: {args}")


@pytest.fixture
def no_subprocess(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exports are made in this process: starting any program fails the test."""
    monkeypatch.setattr(subprocess, "run", _no_programs)
    monkeypatch.setattr(subprocess, "Popen", _no_programs)


def _offered(select: Select[str]) -> list[tuple[str, str]]:
    """What a Select offers, as (label, value) pairs (Textual has no public reader)."""
    return [(str(label), value) for label, value in select._options if value != Select.NULL]


async def _open(pilot: object, app: object) -> ExportScreen:
    await pilot.press("x")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, ExportScreen)
    return screen


async def _export(pilot: object, screen: ExportScreen) -> str:
    await pilot.click("#go")  # type: ignore[attr-defined]
    await screen.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    return str(screen.query_one("#export-result").render())


async def test_the_protocol_as_word_in_this_process(plan_path: Path, no_subprocess: None) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.edit("renamed aims", lambda doc: doc.set_stage("aims", "title", "Our own aims"))
        screen = await _open(pilot, app)
        kinds = screen.query_one("#kind", Select)
        assert [v for _, v in _offered(kinds)] == [e.name for e in builtin.BUILTIN]
        kinds.value = "protocol"
        await pilot.pause()
        fmt = screen.query_one("#format", Select)
        assert fmt.display and fmt.value == "docx", "Word is what the app offers first"
        assert [label for label, _ in _offered(fmt)] == [
            f.shown_label for f in builtin.PROTOCOL.formats]
        assert not screen.query_one("#audience").display, "the protocol has one audience"
        assert isinstance(screen.query_one("#option-plain"), Switch)
        assert screen.query_one("#path").value == "plan-protocol.docx"
        shown = await _export(pilot, screen)
        assert "✔ Saved plan-protocol.docx" in shown
        assert "open gaps: the plan answers every part" in shown, "the exporter's notes"
        assert app.session.dirty, "nothing was saved behind the team's back"
    written = plan_path.parent / "plan-protocol.docx"
    with zipfile.ZipFile(written) as docx:
        assert "Our own aims" in docx.read("word/document.xml").decode("utf-8")


async def test_a_calendar_keeps_its_sequences_as_the_command_line_does(
        plan_path: Path, no_subprocess: None) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app)
        audience = screen.query_one("#audience", Select)
        assert audience.display
        people = {v for _, v in _offered(audience)}
        assert {"team", "lived-experience", "leads"} <= people
        assert {p.id for p in app.session.plan.people} <= people
        include = screen.query_one("#option-include", SelectionList)
        assert set(include.selected) == set(builtin.ICS.defaults()["include"])  # type: ignore[arg-type]
        assert not screen.query("#option-stamp"), "command-line-only options are not offered"
        audience.value = "lived-experience"
        await pilot.pause()
        assert screen.query_one("#path").value == "plan-lived-experience.ics"
        assert "✔ Saved plan-lived-experience.ics" in await _export(pilot, screen)
    state = json.loads((plan_path.parent / ".plan.ics-state.json").read_text(encoding="utf-8"))
    calendar = (plan_path.parent / "plan-lived-experience.ics").read_text(encoding="utf-8")
    assert calendar.startswith("BEGIN:VCALENDAR")
    assert len(state["events"]) == calendar.count("BEGIN:VEVENT")


def _plugin_exporters(run: object) -> Exporters:
    found = Exporters()
    for exporter in builtin.BUILTIN:
        found.add(exporter)
    found.add(Exporter(
        name="shout", title="A shout", description="Says the title, loudly if asked.",
        formats=(Format("txt", ".txt", "text/plain"),),
        options=(Option("loud", "flag", "Say it in capitals.", default=False, label="Loudly"),
                 Option("ending", "choice", "How it ends.", default="!",
                        choices=("!", "?"))),
        run=run),  # type: ignore[arg-type]
        origin="shouting")
    return found


async def test_a_plugins_exporter_gets_a_dialog_from_its_declaration(
        plan_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import coplan.plugins

    def shout(plan: object, sched: object, options: Options) -> bytes:
        title = plan.project.title  # type: ignore[attr-defined]
        return ((title.upper() if options.flag("loud") else title)
                + str(options["ending"])).encode()

    monkeypatch.setattr(coplan.plugins, "all_exporters", lambda: _plugin_exporters(shout))
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app)
        screen.query_one("#kind", Select).value = "shout"
        await pilot.pause()
        assert not screen.query_one("#format").display
        assert "plugin 'shouting'" in str(screen.query_one("#export-note").render())
        screen.query_one("#option-loud", Switch).value = True
        screen.query_one("#option-ending", Select).value = "?"
        assert screen.query_one("#path").value == "plan-shout.txt"
        assert "✔ Saved plan-shout.txt" in await _export(pilot, screen)
    said = (plan_path.parent / "plan-shout.txt").read_text(encoding="utf-8")
    assert said == app.session.plan.project.title.upper() + "?"


async def test_an_exporter_with_a_bug_costs_a_message_not_the_app(
        plan_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import coplan.plugins

    def broken(plan: object, sched: object, options: Options) -> bytes:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(coplan.plugins, "all_exporters", lambda: _plugin_exporters(broken))
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app)
        screen.query_one("#kind", Select).value = "shout"
        await pilot.pause()
        shown = await _export(pilot, screen)
        assert "✖ the shout exporter failed (ZeroDivisionError: division by zero)" in shown
        assert "bug in 'shouting'" in shown
        assert app.is_running
    assert not (plan_path.parent / "plan-shout.txt").exists()


async def test_a_bad_option_is_named_in_plain_words(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app)
        screen.query_one("#option-from").value = "next week"
        shown = await _export(pilot, screen)
        assert "✖ Leave out anything before (YYYY-MM-DD): 'next week' is not a date" in shown
    assert not list(plan_path.parent.glob("*.ics"))


@pytest.mark.parametrize("typed, says", [
    ("/tmp/coplan-escape.ics", "is a full path"),
    ("../escape.ics", "climbs out of the folder"),
    ("~/escape.ics", "is a full path"),
])
async def test_exports_stay_in_the_plans_folder(plan_path: Path, typed: str, says: str) -> None:
    before = set(plan_path.parent.parent.rglob("*"))
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app)
        screen.query_one("#path").value = typed
        shown = await _export(pilot, screen)
        assert f"✖ {typed} {says}" in shown
        assert "give just a file name" in shown
    assert set(plan_path.parent.parent.rglob("*")) == before
    assert not Path("/tmp/coplan-escape.ics").exists()


async def test_a_link_out_of_the_folder_is_refused_in_the_dialog(
        plan_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (plan_path.parent / "out").symlink_to(outside, target_is_directory=True)
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app)
        screen.query_one("#path").value = "out/plan.ics"
        assert "leads out of the folder" in await _export(pilot, screen)
    assert list(outside.iterdir()) == []


async def test_an_export_folder_given_is_the_only_one(plan_path: Path, tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    (exports / "calendars").mkdir(parents=True)
    app = make_app(plan_path, export_dir=exports)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app)
        assert str(exports.resolve()) in str(screen.query(".field-label").last().render())
        screen.query_one("#path").value = "calendars/plan.ics"
        assert "✔ Saved calendars/plan.ics" in await _export(pilot, screen)
        screen.query_one("#path").value = f"../{plan_path.parent.name}/plan.ics"
        screen.query_one("#go", Button).press()  # the notice of the first may cover it
        await pilot.pause()
        assert "climbs out" in str(screen.query_one("#export-result").render())
    assert (exports / "calendars" / "plan.ics").read_text(encoding="utf-8").startswith(
        "BEGIN:VCALENDAR")
    assert not list(plan_path.parent.glob("*.ics"))


async def test_a_folder_an_exporter_reads_is_in_the_plans_folder(plan_path: Path) -> None:
    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app)
        screen.query_one("#kind", Select).value = "protocol"
        await pilot.pause()
        screen.query_one("#option-template").value = "/etc"
        shown = await _export(pilot, screen)
        assert "✖ " in shown and "/etc is a full path" in shown
    assert not list(plan_path.parent.glob("*.docx"))


async def test_a_contributor_pack_for_one_person_from_the_app(plan_path: Path) -> None:
    """The reports reach the app's export dialog from their declarations: one person is
    chosen from the list of who it is for, and the day from its field."""
    from textual.widgets import Input

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app)
        screen.query_one("#kind", Select).value = "contributor-pack"
        await pilot.pause()
        assert screen.query_one("#format", Select).value == "html"
        assert not screen.query("#option-person"), "the person is chosen as the audience"
        audience = screen.query_one("#audience", Select)
        assert "sam" in {v for _, v in _offered(audience)}
        audience.value = "sam"
        screen.query_one("#option-today", Input).value = "2027-09-10"
        await pilot.pause()
        assert screen.query_one("#path").value == "plan-contributor-pack-sam.html"
        shown = await _export(pilot, screen)
        assert "✔ Saved plan-contributor-pack-sam.html" in shown, shown
    page = (plan_path.parent / "plan-contributor-pack-sam.html").read_text(encoding="utf-8")
    assert "<h1>Your pack, Sam</h1>" in page and "Up to date on 10 September 2027" in page


async def test_the_dialogs_start_on_their_first_choice(plan_path: Path) -> None:
    """The export dialog starts on "What to export" (Enter opens it) and the clashing-changes
    dialog on its first choice, not on the scrolling list around them."""
    from textual.widgets import RadioSet

    from coplan.merge import Conflict
    from coplan.tui.screens.conflicts import ConflictScreen

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app)
        await pilot.pause()
        assert screen.focused is screen.query_one("#kind", Select)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one("#kind", Select).expanded
        await pilot.press("escape", "escape")
        await pilot.pause()
        app.push_screen(ConflictScreen([Conflict(("stage", "aims", "duration"), "2w", "3w",
                                                 "4w")], "Amara"))
        await pilot.pause()
        assert isinstance(app.screen.focused, RadioSet)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_nothing_sits_on_the_fields_before_or_after_an_export(
        plan_path: Path, size: tuple[int, int]) -> None:
    """No progress bar waits under the fields before anything is exported (a "0%" sat on
    the last field to the eye); while and after a file is made, nothing of the dialog
    covers the fields, and afterwards the line under them says how it went."""
    from textual.widgets import ProgressBar

    app = make_app(plan_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app)
        await pilot.pause()
        bar = screen.query_one(ProgressBar)
        assert not bar.display and "%" not in str(screen.query_one("#dialog").render())

        def covered() -> list[object]:
            fields = screen.query_one("#fields").region
            return [w for w in screen.query("#dialog > *")
                    if w.id != "fields" and w.display and w.region.overlaps(fields)]

        assert covered() == []
        bar.display = True  # as while a file is made
        await pilot.pause()
        assert covered() == [] and bar.region.height == 1
        shown = await _export(pilot, screen)
        assert "✔ Saved" in shown and not bar.display and covered() == []


async def test_the_dialog_says_what_each_document_shows_of_people(plan_path: Path) -> None:
    """Found by trying the product: above the payments list, which names everyone it pays,
    the dialog said names appear only for people who agreed.  It says what the document
    chosen shows, for the audience chosen: the rule of documents for others, a person's own
    pack, the finance office's list."""
    from coplan.export.contract import FOR_OTHERS_NOTE

    app = make_app(plan_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open(pilot, app)

        def note() -> str:
            return str(screen.query_one("#export-note").render())

        screen.query_one("#kind", Select).value = "ics"
        await pilot.pause()
        assert note() == FOR_OTHERS_NOTE
        screen.query_one("#kind", Select).value = "payments"
        await pilot.pause()
        assert "names everyone it pays" in note() and "do not share it further" in note()
        screen.query_one("#kind", Select).value = "contributor-pack"
        await pilot.pause()
        audience = screen.query_one("#audience", Select)
        assert note() == FOR_OTHERS_NOTE, "the group's pack names nobody who did not agree"
        person = next(v for _, v in _offered(audience) if v != "lived-experience")
        audience.value = person
        await pilot.pause()
        assert "for this person alone" in note()
