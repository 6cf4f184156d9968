"""An edit is shown quickly because only what it changed is worked out again: the text of
the changed entries of the plan file, the changed stages read into the plan, and the
review of those stages.  Whatever edits are made, the result must be exactly what opening
the edited file afresh gives: the same text, plan, schedule and review."""

from __future__ import annotations

import contextlib
import random
import sys
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tui_support import ROOT, TODAY

from coplan import agreed
from coplan.edit import PlanDocument
from coplan.plugins import all_rules
from coplan.review.rules import privacy_text
from coplan.session import EditRefused, PlanSession

sys.path.insert(0, str(ROOT / "tests"))
from plangen import random_plan

PLANS = sorted([*(ROOT / "examples").glob("*.toml"),
                ROOT / "templates" / "plans" / "research-study.toml"])
RULES = all_rules()


def _words(rng: random.Random, session: PlanSession) -> str:
    """A text that now and then names someone, holds an address or is a placeholder."""
    people = [p.name for p in session.plan.people if p.name]
    choices = [f"Checked with {rng.choice(people)}" if people else "Checked",
               "Ring 07700 900123 first", "write to someone@example.org", "TBC",
               "To agree", f"Plain words {rng.randrange(1000)}", ""]
    return rng.choice(choices)


def _edit(rng: random.Random, session: PlanSession,
          only: frozenset[str] | None = None) -> tuple[str, Any]:
    """A random edit of the kinds the app makes (and a few it does not); ``only``: of
    these kinds."""
    ids = [s.id for s in session.plan.stages]
    people = [p.id for p in session.plan.people]
    sid = rng.choice(ids)
    other = rng.choice(ids)
    text = _words(rng, session)
    with_tps = [s for s in session.plan.stages if s.touchpoints]
    n = rng.randrange(100000)
    edits: list[tuple[str, Any]] = [
        ("title", lambda d: d.set_stage(sid, "title", text or "A title")),
        ("notes", lambda d: d.set_stage(sid, "notes", text)),
        ("duration", lambda d: d.set_stage(sid, "duration", f"{rng.randrange(1, 9)}w")),
        ("link", lambda d: d.add_dependency(sid, other)),
        ("unlink", lambda d: d.remove_dependency(sid, other)),
        ("rename", lambda d: d.set_stage(sid, "id", f"renamed-{n}")),
        ("add", lambda d: d.add_stage(f"new-{n}", text or "New", "2w", after=[sid])),
        ("insert", lambda d: d.insert_stage(sid, f"ins-{n}", "Inserted", "1w")),
        ("remove", lambda d: d.remove_stage(sid, reconnect=rng.random() < 0.5)),
        ("move", lambda d: d.move_stage(sid, rng.choice([-1, 1]))),
        ("duplicate", lambda d: d.duplicate_stage(sid)),
        ("project", lambda d: d.set_project("title", text or "Project")),
        ("start", lambda d: d.set_project("start", date(2027, rng.randrange(1, 12), 4))),
        # Taking the tomlkit document itself, or changing a handed-out table.
        ("direct", lambda d: d.doc["stage"][ids.index(sid)].__setitem__(
            "title", text or "Direct")),
        ("handed", lambda d: d.set_in(d.stage(sid), "notes", text)),
        # The forms' way: any table by where it is, and a new entry of any array.
        ("item", lambda d: d.set_in(d.item_at(("stage",), (ids.index(sid),)), "notes", text)),
        ("item touchpoint", lambda d: d.set_in(d.item_at(("stage", "touchpoint"), (
            ids.index(sid), 0)), "title", text or "Session")),
        ("item project", lambda d: d.set_in(d.item_at(("project",), (None,)), "title",
                                            text or "Project")),
        ("new table", lambda d: d.set_in(d.item_at(("project", "slow_down"), (None, None),
                                                   create=True), "stage_buffer", "20%")),
        ("new entry", lambda d: d.add_item(("stage", "touchpoint"), (ids.index(sid), None),
                                           {"title": "Added", "format": "workshop"})),
        ("new person", lambda d: d.add_item(("person",), (None,),
                                            {"id": f"p{n}", "name": "Pat Quinn"})),
        # What rules that look at one stage at a time read outside it: settings.
        ("papers ahead", lambda d: d.set_in(d.item_at(("review",), (None,), create=True),
                                            "papers_ahead", f"{rng.randrange(0, 3)}w")),
        ("milestones", lambda d: d.set_in(d.item_at(("review",), (None,), create=True),
                                          "milestones_need_touchpoints", rng.random() < 0.5)),
        ("heard by", lambda d: d.set_in(d.item_at(("governance",), (None,), create=True),
                                        "heard_by", text)),
        ("paid", lambda d: d.set_in(d.item_at(("payment",), (None,), create=True),
                                    "standard", rng.choice(["fee", "voucher", ""]))),
        # What moves dates, and what of a stage does not (the schedule is kept then).
        ("deadline", lambda d: d.set_stage(sid, "deadline", rng.choice(
            [date(2027, rng.randrange(2, 13), 1), None]))),
        ("not before", lambda d: d.set_stage(sid, "not_before", rng.choice(
            [date(2027, rng.randrange(1, 13), 5), None]))),
        ("phase", lambda d: d.set_stage(sid, "phase", rng.choice(["design", "recruit",
                                                                  "collect"]))),
        ("stage buffer", lambda d: d.set_stage(sid, "slow_down", rng.choice(
            ["0d", "3d", "20%", None]))),
        ("started", lambda d: d.set_stage(sid, "started", rng.choice(
            [date(2027, 1, 11), date(2027, 2, 1), None]))),
        ("finished", lambda d: d.set_stage(sid, "finished", rng.choice(
            [date(2027, 2, 12), None]))),
        ("progress", lambda d: d.set_stage(sid, "progress", rng.choice([10, 60, None]))),
        ("undated", lambda d: d.set_stage(sid, rng.choice(["can_change", "fixed",
                                                           "constrained"]), text)),
        ("blocks", lambda d: d.set_in(d.item_at(("project", "reflection"), (None, None),
                                                create=True), "blocks", rng.random() < 0.5)),
    ]
    if people:
        pid = rng.choice(people)
        edits += [
            ("share", lambda d: d.set_person(pid, "share_name", rng.random() < 0.5)),
            ("name", lambda d: d.set_person(pid, "name", rng.choice(["Alex Reid", "Sam"]))),
            ("kind", lambda d: d.set_person(pid, "kind", rng.choice(["carer", "researcher"]))),
        ]
    if with_tps:
        stage = rng.choice(with_tps)
        index = rng.randrange(len(stage.touchpoints))
        edits += [
            ("touchpoint", lambda d: d.set_touchpoint(stage.id, index, "title",
                                                      text or "Session")),
            ("touchpoint words", lambda d: d.set_touchpoint(
                stage.id, index, rng.choice(["purpose", "where", "heard_by"]), text)),
            ("touchpoint when", lambda d: d.set_touchpoint(stage.id, index, "when", rng.choice(
                ["start", "end", "+2d", "-1w", [date(2027, 6, 7), date(2027, 6, 21)]]))),
            ("touchpoint time", lambda d: d.set_touchpoint(stage.id, index, "time",
                                                           rng.choice(["10:30", None]))),
            ("touchpoint length", lambda d: d.set_touchpoint(stage.id, index, "length",
                                                             rng.choice(["45m", "2h"]))),
            # One person or two: a stage may gain or lose its slow-down time by it.
            ("touchpoint who", lambda d: d.set_touchpoint(stage.id, index, "who", rng.sample(
                people, min(len(people), rng.randrange(1, 3))) if people else None)),
        ]
    meetings = [m.id for m in session.plan.meetings]
    if meetings:
        mid = rng.choice(meetings)
        edits += [
            ("meeting words", lambda d: d.set_meeting(mid, "where", text)),
            ("meeting every", lambda d: d.set_meeting(mid, "every", rng.choice(["2w", "4w"]))),
        ]
    return rng.choice([e for e in edits if only is None or e[0] in only])


def _fresh(session: PlanSession) -> PlanSession:
    """The same text opened afresh, with nothing kept from earlier reviews."""
    privacy_text._ENTRIES[0] = {}
    agreed._ENTRIES[0] = {}
    return PlanSession(session.path, session.text, today=TODAY, rules=RULES)


def _schedule(schedule: Any) -> Any:
    """A schedule's fields (its working calendar by what it holds, and the day it works
    out for each of the plan's first thousand working days)."""
    if schedule is None:
        return None
    calendar = schedule.calendar
    out = {f.name: getattr(schedule, f.name) for f in fields(schedule) if f.name != "calendar"}
    out["calendar"] = (calendar.working_days, calendar.region, calendar.timezone,
                       [calendar.date_at(n) for n in range(0, 1000, 7)])
    return out


def _holds_the_plan(session: PlanSession) -> None:
    """A schedule kept from before an edit holds the plan's own stages, touchpoints and
    meetings (the very objects), so what is shown of them is what the plan now says."""
    plan, sched = session.plan, session.schedule
    if sched is None:
        return
    assert sched.plan is plan
    assert all(timing.stage is plan.stage(sid) for sid, timing in sched.stages.items())
    touchpoints = {id(t) for t in plan.touchpoints}
    assert all(s.stage is plan.stage(s.stage.id) and id(s.touchpoint) in touchpoints
               for s in sched.sessions)
    assert all(m.meeting is n for m, n in zip(sched.meetings, plan.meetings, strict=True))


def _outputs(session: PlanSession) -> tuple[str, str] | None:
    from coplan.export.scheduledata import to_csv, to_json

    sched = session.schedule
    return None if sched is None else (to_json(sched, TODAY), to_csv(sched, TODAY))


def _same(session: PlanSession) -> None:
    document = session.document
    assert session.text == document.text(afresh=True)
    # The ids as read quickly (tomlkit's tables as dicts) are what tomlkit's get reads.
    assert document.stage_ids() == [str(t.get("id")) for t in document.stages()]
    fresh = _fresh(session)
    assert session.plan == fresh.plan
    assert _schedule(session.schedule) == _schedule(fresh.schedule)
    _holds_the_plan(session)
    assert _outputs(session) == _outputs(fresh)
    assert session.report.findings == fresh.report.findings
    assert session.report.skipped == fresh.report.skipped


def _run(path: Path, seed: int, steps: int) -> None:
    rng = random.Random(seed)
    session = PlanSession.open(path, today=TODAY, rules=RULES)
    for _ in range(steps):
        if session.undo_stack and rng.random() < 0.1:
            session.undo()
        elif session.redo_stack and rng.random() < 0.1:
            session.redo()
        else:
            what, edit = _edit(rng, session)
            with contextlib.suppress(EditRefused):
                session.apply(what, edit)
        _same(session)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
def test_incremental_edits_agree_with_opening_afresh(tmp_path: Path, plan: Path,
                                                      seed: int) -> None:
    path = tmp_path / "plan.toml"
    path.write_bytes(plan.read_bytes())
    _run(path, seed, 25)


@pytest.mark.parametrize("seed", range(2))
def test_incremental_edits_agree_on_a_generated_plan(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(random_plan(seed, 80), encoding="utf-8")
    _run(path, seed, 30)


# Edits that move dates now and then, and edits that never do.
DATES = frozenset({"title", "notes", "undated", "touchpoint", "touchpoint words",
                   "touchpoint when", "touchpoint time", "touchpoint length", "touchpoint who",
                   "kind", "name", "deadline", "stage buffer", "progress", "started"})


@pytest.mark.parametrize("seed", range(3))
def test_a_schedule_kept_after_an_edit_is_the_one_worked_out_afresh(tmp_path: Path,
                                                                     seed: int) -> None:
    """An edit that moves no date keeps the schedule from before it, with the plan's new
    stages, touchpoints and meetings in it: it must be what scheduling the plan afresh
    gives, field by field and in the JSON and CSV made of it, whichever of the things
    that do or do not move dates an edit changed (who takes part in a session, for one,
    gives its stage slow-down time only if one of them has lived experience)."""
    from coplan.export.scheduledata import to_csv, to_json
    from coplan.planfile import parse_plan
    from coplan.schedule import ScheduleError, schedule

    path = tmp_path / "plan.toml"
    path.write_text(random_plan(seed, 40), encoding="utf-8")
    rng = random.Random(seed)
    session = PlanSession.open(path, today=TODAY, rules=RULES)
    kept = 0
    for _ in range(80):
        before = session.schedule
        what, edit = _edit(rng, session, DATES)
        with contextlib.suppress(EditRefused):
            session.apply(what, edit)
        now = session.schedule
        kept += before is not None and now is not None and now is not before and \
            now.calendar is before.calendar
        try:
            fresh = schedule(parse_plan(session.text, path=path, with_lines=False), today=TODAY)
        except ScheduleError:
            assert session.schedule is None
            continue
        assert session.schedule is not None
        assert _schedule(session.schedule) == _schedule(fresh)
        _holds_the_plan(session)
        assert to_json(session.schedule, TODAY) == to_json(fresh, TODAY)
        assert to_csv(session.schedule, TODAY) == to_csv(fresh, TODAY)
    assert kept > 10  # the schedule was kept (and so tested) often


def test_only_changed_entries_are_written_again() -> None:
    """After a narrow edit only the entry it names is written out again; after taking the
    tomlkit document, everything is (the text is right both ways)."""
    from tomlkit.toml_document import TOMLDocument

    text = random_plan(3, 40)
    written: list[str] = []
    original = TOMLDocument._render_aot_table

    def spy(doc: Any, table: Any, prefix: str | None = None) -> str:
        written.append(str(table.get("id")))
        return original(doc, table, prefix=prefix)

    TOMLDocument._render_aot_table = spy  # type: ignore[method-assign]
    try:
        document = PlanDocument(text)
        assert document.text() == text
        ids = document.stage_ids()
        written.clear()
        document.set_stage(ids[5], "title", "Changed")
        changed = document.text()
        assert [w for w in written if w in ids] == [ids[5]]
        written.clear()
        document.add_stage("new", "New", "2w", after=[ids[7]])
        assert document.text() == document.text(afresh=True)
        written.clear()
        document.text()
        assert written == []  # nothing changed since
        document.add_stage("newer", "Newer", "2w", after=[ids[9]])
        changed = document.text()
        assert [w for w in written if w in [*ids, "newer"]] == [ids[9], "newer"]
        written.clear()
        document.doc  # noqa: B018
        assert document.text() == changed
        assert [w for w in written if w in ids] == ids
        assert changed == document.text(afresh=True)
    finally:
        TOMLDocument._render_aot_table = original  # type: ignore[method-assign]


def test_what_other_entries_change_is_worked_out_again(tmp_path: Path) -> None:
    """An unchanged stage is kept as it was read and reviewed only while what it depends on
    elsewhere is unchanged too: who may be named (the people), and the project's start."""
    path = tmp_path / "plan.toml"
    path.write_bytes((ROOT / "examples" / "minds-discharge.toml").read_bytes())
    session = PlanSession.open(path, today=TODAY, rules=RULES)
    session.apply("notes", lambda d: d.set_stage("design", "notes", "Amara Mensah leads this"))
    before = [f for f in session.report.findings if f.rule == "CP-PRI-001"]
    session.apply("private", lambda d: d.set_person("amara", "share_name", False))
    after = [f for f in session.report.findings if f.rule == "CP-PRI-001"]
    assert len(after) > len(before)
    assert any("stage 'design'" in f.message for f in after)
    _same(session)
    # A session on a date before the project's start is refused, wherever it is.
    session.apply("session", lambda d: d.set_touchpoint("design", 0, "when",
                                                         [date(2027, 6, 7), date(2027, 6, 21)]))
    with pytest.raises(EditRefused, match="before the project starts"):
        session.apply("start", lambda d: d.set_project("start", date(2027, 7, 5)))
    _same(session)


@pytest.mark.parametrize("plan", [*PLANS, *sorted((ROOT / "templates" / "plans").glob("*.toml"))],
                         ids=lambda p: p.stem)
def test_pieces_say_when_a_placeholder_may_be_marked(plan: Path) -> None:
    """The quick reading looks for placeholder marks (# TBC) only in the pieces that
    changed; a text with a marked line is never taken for one without."""
    from coplan.session import ChunkedToml
    from coplan.tomltext import marked_lines

    text = plan.read_text(encoding="utf-8")
    chunked = ChunkedToml()
    for version in (text, text.replace("\n", "  # TBC\n", 1), text + "\n# to be agreed\n"):
        if chunked.loads(version) is not None:
            assert chunked.marked or not marked_lines(version)


def test_a_replaced_document_is_freed_at_once() -> None:
    """The kept texts hold no reference cycle: a document put aside (undo, a reload) is
    freed straight away, not when Python's cycle collector next runs."""
    import gc
    import weakref

    document = PlanDocument(random_plan(5, 30))
    document.set_stage(document.stage_ids()[3], "title", "Changed")
    document.text()
    refs = [weakref.ref(document), weakref.ref(document._doc)]
    enabled = gc.isenabled()
    gc.disable()
    try:
        del document
        assert [r() for r in refs] == [None, None]
    finally:
        if enabled:
            gc.enable()


def test_a_rule_of_one_stage_at_a_time_finds_what_the_whole_plan_check_finds(
        tmp_path: Path) -> None:
    """Kept between reviews or not, a rule that looks at each stage on its own gives the
    same findings, in the same order; one that fails on some stage is reported as having
    failed, with what it found before, exactly as without anything kept."""
    from coplan.review import Registry, Severity, review
    from coplan.review.engine import Context
    from coplan.review.rules._subjects import stage_subject
    from coplan.review.runner import Kept

    registry = Registry()

    @registry.stage_rule("X-ONE-001", "Titles are short", Severity.WARNING, why="w", fix="f")
    def short(ctx: Any, stage: Any) -> Any:
        if len(stage.title) > 20:
            yield stage_subject(stage), f"'{stage.title}' is long"

    @registry.stage_rule("X-ONE-002", "Fails on a stage", Severity.INFO, why="w", fix="f")
    def fails(ctx: Any, stage: Any) -> Any:
        yield stage_subject(stage), "seen"
        if stage.title.startswith("Broken"):
            raise ValueError("no")

    path = tmp_path / "plan.toml"
    path.write_text(random_plan(5, 30), encoding="utf-8")
    session = PlanSession.open(path, today=TODAY, rules=registry)
    kept = Kept()
    ids = [s.id for s in session.plan.stages]
    rng = random.Random(5)
    for step in range(40):
        title = rng.choice(["Short", "A much longer title than twenty", "Broken here"])
        sid = rng.choice(ids)
        session.apply("title", lambda d, sid=sid, t=title: d.set_stage(sid, "title", t))
        # Now and then a rule is left out of a review: what it found before is then out
        # of date, and not used when it runs again.
        ignore = ["X-ONE-001"] if rng.random() < 0.3 else []
        with_kept = review(session.plan, session.schedule, registry=registry, today=TODAY,
                           kept=kept, ignore=ignore)
        plain = review(session.plan, session.schedule, registry=registry, today=TODAY,
                       ignore=ignore)
        assert with_kept.findings == plain.findings, step
        if not ignore:
            assert plain.findings == session.report.findings, step
    assert any("could not run" in f.message for f in plain.findings)
    # The name decorated stands for the whole plan's check.
    whole = [message for _, message in short(Context(plan=session.plan, schedule=None))]
    assert whole == [f.message for f in plain.findings if f.rule == "X-ONE-001"]


@pytest.mark.parametrize("seed", range(3))
def test_a_stage_added_in_the_app_is_dated_as_a_fresh_schedule_dates_it(
        tmp_path: Path, seed: int) -> None:
    """Adding a stage that nothing waits for dates only that stage (and the late dates
    of what it waits for) from the schedule before: between other edits, with undo, the
    schedule is what scheduling the text afresh gives, and that way is taken."""
    from coplan import schedule as scheduling
    from coplan.export.scheduledata import to_csv, to_json
    from coplan.planfile import parse_plan
    from coplan.schedule import ScheduleError, schedule

    made: list[object] = []
    original = scheduling.schedule_added

    def spy(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        made.append(result)
        return result

    path = tmp_path / "plan.toml"
    path.write_text(random_plan(seed, 60), encoding="utf-8")
    rng = random.Random(seed)
    session = PlanSession.open(path, today=TODAY, rules=RULES)
    import coplan.session

    coplan.session.schedule_added = spy  # type: ignore[attr-defined]
    try:
        for _ in range(40):
            if session.undo_stack and rng.random() < 0.1:
                session.undo()
            else:
                what, edit = _edit(rng, session, frozenset({"add", "title", "duration",
                                                            "touchpoint who", "insert"}))
                with contextlib.suppress(EditRefused):
                    session.apply(what, edit)
            try:
                fresh = schedule(parse_plan(session.text, path=path, with_lines=False),
                                 today=TODAY)
            except ScheduleError:
                assert session.schedule is None
                continue
            assert _schedule(session.schedule) == _schedule(fresh)
            _holds_the_plan(session)
            assert session.schedule is not None
            assert to_json(session.schedule, TODAY) == to_json(fresh, TODAY)
            assert to_csv(session.schedule, TODAY) == to_csv(fresh, TODAY)
    finally:
        coplan.session.schedule_added = original  # type: ignore[attr-defined]
    assert sum(m is not None for m in made) >= 3


@pytest.mark.parametrize("seed", range(3))
def test_a_stage_changed_in_the_app_is_dated_as_a_fresh_schedule_dates_it(
        tmp_path: Path, seed: int) -> None:
    """An edit that changes stages in place (a length, a link, a date, a phase, what
    actually happened) dates only what it reaches from the schedule before: between other
    edits, with undo and redo, the schedule is what scheduling the text afresh gives, and
    that way is taken."""
    from coplan import schedule as scheduling
    from coplan.export.scheduledata import to_csv, to_json
    from coplan.planfile import parse_plan
    from coplan.schedule import ScheduleError, schedule

    made: list[object] = []
    original = scheduling.schedule_changed

    def spy(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        made.append(result)
        return result

    path = tmp_path / "plan.toml"
    path.write_text(random_plan(seed, 60), encoding="utf-8")
    rng = random.Random(seed)
    session = PlanSession.open(path, today=TODAY, rules=RULES)
    import coplan.session

    coplan.session.schedule_changed = spy  # type: ignore[attr-defined]
    try:
        for _ in range(40):
            if session.undo_stack and rng.random() < 0.1:
                session.undo()
            elif session.redo_stack and rng.random() < 0.1:
                session.redo()
            else:
                what, edit = _edit(rng, session, frozenset({
                    "duration", "link", "unlink", "not before",
                    "stage buffer", "phase", "started", "finished", "deadline", "title",
                    "add", "touchpoint who"}))
                with contextlib.suppress(EditRefused):
                    session.apply(what, edit)
            try:
                fresh = schedule(parse_plan(session.text, path=path, with_lines=False),
                                 today=TODAY)
            except ScheduleError:
                assert session.schedule is None
                continue
            assert _schedule(session.schedule) == _schedule(fresh)
            _holds_the_plan(session)
            assert session.schedule is not None
            assert to_json(session.schedule, TODAY) == to_json(fresh, TODAY)
            assert to_csv(session.schedule, TODAY) == to_csv(fresh, TODAY)
    finally:
        coplan.session.schedule_changed = original  # type: ignore[attr-defined]
    assert sum(m is not None for m in made) >= 10


@pytest.mark.parametrize("seed", range(2))
def test_a_stage_added_while_another_moves_is_reviewed_as_afresh(tmp_path: Path,
                                                                 seed: int) -> None:
    """One edit that adds a stage and moves another: what the rules of one stage found
    is not in the plan's order any more, and must be put in it (as after any edit)."""
    path = tmp_path / "plan.toml"
    path.write_text(random_plan(seed, 30), encoding="utf-8")
    rng = random.Random(seed)
    session = PlanSession.open(path, today=TODAY, rules=RULES)
    for n in range(12):
        ids = [s.id for s in session.plan.stages]
        sid, other = rng.choice(ids), rng.choice(ids)

        def both(d: PlanDocument, sid: str = sid, other: str = other, n: int = n) -> None:
            d.add_stage(f"both-{n}", "A stage with a much longer title than most", "2w",
                        after=[sid])
            d.move_stage(other, rng.choice([-1, 1]))

        with contextlib.suppress(EditRefused):
            session.apply("add and move", both)
        _same(session)
