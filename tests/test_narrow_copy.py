"""The narrow copy for others (``sharing.narrowed``): a document that declares what it
reads of the plan is given a copy of those fields alone.  What it makes must be the very
bytes it makes from the whole copy (a field it reads but did not declare would be empty in
its copy, and show here), and what it did not declare is never in its copy."""

from __future__ import annotations

import io
from dataclasses import MISSING, fields, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coplan import model
from coplan.export import reads
from coplan.export.contract import Exporter, Format, Options, run_export
from coplan.export.exporters import BUILTIN
from coplan.export.scheduledata import to_csv, to_json
from coplan.export.scheduletable import render, schedule_text
from coplan.planfile import load_plan
from coplan.recorded import as_recorded
from coplan.schedule import Schedule, schedule
from coplan.sharing import ALWAYS_HELD, for_audience, narrowed

ROOT = Path(__file__).resolve().parents[1]
MINDS = ROOT / "examples" / "minds-discharge.toml"
PLANS = sorted([*(ROOT / "examples").glob("*.toml"),
                *(ROOT / "templates" / "plans").glob("*.toml")])
# Days the record is seen from: before MINDS's record starts, during it, after it ends.
DAYS = (date(2026, 12, 1), date(2027, 6, 1), date(2029, 1, 1))
NARROWED = [e for e in BUILTIN if e.reads is not None]


def _recorded(text: str) -> str:
    """MINDS with a session moved (for a reason naming someone hidden) and one cancelled
    (none of the bundled plans has either), and stages with deadlines, one missed."""
    moved = 'status = "held"\n    on = 2027-03-22'
    cancelled = 'status = "held"\n    on = 2027-04-06'
    assert text.count(moved) == 1 and text.count(cancelled) == 1
    text = text.replace(moved, 'status = "moved"\n    on = 2027-04-02\n'
                               '    why = "Sam was in hospital"')
    text = text.replace(cancelled, 'status = "cancelled"\n    cancelled_on = 2027-04-01')
    for stage, deadline in (('id = "priorities"\n', "2027-01-01"),
                            ('id = "aims"\n', "2029-01-01")):
        assert text.count(stage) == 1
        text = text.replace(stage, f"{stage}deadline = {deadline}\n")
    return text


def _variants(tmp_path: Path) -> list[Path]:
    """Every bundled plan, and MINDS three times more: with hidden people's names in the
    ids and titles others read (so that ids are changed and titles redacted in the copy),
    with everyone sharing their name (nobody hidden), and with sessions moved and
    cancelled and deadlines (``_recorded``)."""
    text = MINDS.read_text(encoding="utf-8")
    named = (text.replace('"priorities"', '"sam-priorities"')
             .replace('"priorities-survey"', '"lee-survey"')
             .replace('title = "Hearing what matters', 'title = "Sam and Lee: hearing what matters')
             .replace('title = "Anonymous survey', 'title = "Lee\'s anonymous survey'))
    assert named.count("sam-priorities") > 2 and "Lee's" in named
    shown = text.replace("share_name = false", "share_name = true")
    assert shown != text
    made = []
    for name, body in (("named.toml", named), ("shown.toml", shown),
                       ("recorded.toml", _recorded(text))):
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        made.append(path)
    return [*PLANS, *made]


def _audiences(plan: model.Plan) -> list[tuple[str, bool, bool]]:
    """(audience, own, anonymous): each audience, a copy naming nobody, a person who hides
    their name and one who shares it (as anyone's view, and as their own)."""
    found = [("team", False, False), ("lived-experience", False, False),
             ("leads", False, False), ("team", False, True)]
    hidden = next((p.id for p in plan.people if not p.share_name), None)
    sharing = next((p.id for p in plan.people if p.share_name), None)
    for pid in (hidden, sharing):
        if pid is not None:
            found += [(pid, False, False), (pid, True, False)]
    return found


def _copies(plan: model.Plan, sched: Schedule, declared: Any, on: date, audience: str,
            own: bool, anonymous: bool) -> tuple[Schedule, Schedule]:
    """The whole copy and the narrow one, each with its sessions as the record says on
    ``on`` (as ``coplan schedule`` and ``run_export`` have them)."""
    whole = for_audience(plan, sched, audience, own=own, anonymous=anonymous)[1]
    narrow = for_audience(plan, sched, audience, own=own, anonymous=anonymous,
                          reads=declared)[1]
    return as_recorded(whole, on), as_recorded(narrow, on)


def _table(sched: Schedule, today: date | None) -> str:
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=100, color_system=None).print(render(sched, today))
    return schedule_text(sched, today, io.StringIO(), 120) + out.getvalue()


def test_each_narrowed_document_writes_the_same_bytes(tmp_path: Path) -> None:
    assert NARROWED, "export csv declares what it reads"
    compared = 0
    for path in _variants(tmp_path):
        plan = load_plan(path)
        for slow_down in (True, False):
            for on in DAYS if slow_down else DAYS[1:2]:
                sched = schedule(plan, slow_down=slow_down, today=on)
                for audience, own, anonymous in _audiences(plan):
                    where = f"{path.name}, {audience}, own={own}, anonymous={anonymous}, {on}"
                    whole, narrow = _copies(plan, sched, reads.TABLE, on, audience, own,
                                            anonymous)
                    for today in (None, on):
                        assert _table(narrow, today) == _table(whole, today), where
                    whole, narrow = _copies(plan, sched, reads.SCHEDULE, on, audience, own,
                                            anonymous)
                    for today in (None, on):
                        assert to_json(narrow, today) == to_json(whole, today), where
                        assert to_csv(narrow, today) == to_csv(whole, today), where
                    for exporter in NARROWED:
                        whole, narrow = _copies(plan, sched, exporter.reads, on, audience,
                                                own, anonymous)
                        for flags in (False, True):
                            values = {o.name: (flags if o.kind == "flag" else o.default)
                                      for o in exporter.options}
                            values["slow_down"] = True  # (off: given the whole copy)
                            asked = Options(format=exporter.formats[0].name, today=on,
                                            audience=audience, values=values)
                            assert exporter.run(narrow.plan, narrow, asked) == \
                                exporter.run(whole.plan, whole, asked), (exporter.name, where)
                    compared += 1
    assert compared > 100


def _default(found: Any) -> Any:
    return found.default_factory() if found.default is MISSING else found.default


def _undeclared(item: Any, held: dict[type, tuple[str, ...]], where: str,
                out: list[str]) -> None:
    """Each field of ``item`` and of every item in it that the narrow copy does not hold
    but has a value other than its default (into ``out``)."""
    kept = held[type(item)]
    if isinstance(item, model.Plan):  # (what the copy is: its file, whom it is for)
        kept = (*kept, "path", "marked", "shared_with", "agreed_names")
    for found in fields(item):
        value = getattr(item, found.name)
        if not found.init:
            continue
        if found.name not in kept:
            if value != _default(found):
                out.append(f"{where}.{found.name}")
            continue
        for child in value if isinstance(value, tuple) else (value,):
            if is_dataclass(child) and type(child).__module__ == model.__name__:
                _undeclared(child, held, f"{where}.{found.name}", out)


@pytest.mark.parametrize("declared", [reads.TABLE, reads.SCHEDULE, reads.RECORD],
                         ids=["table", "schedule", "record"])
def test_what_is_not_declared_is_not_in_the_copy(declared: dict[str, tuple[str, ...]]
                                                 ) -> None:
    plan = load_plan(MINDS)
    shared = for_audience(plan, schedule(plan), "team", reads=declared)[0]
    out: list[str] = []
    _undeclared(shared, narrowed(declared), "plan", out)
    assert out == []
    # (nothing of anyone: not who they are, nor anything about them)
    assert shared.people == () and shared.paid == () and shared.reflections == ()
    assert all(not tp.who and not tp.access and not tp.support for tp in shared.touchpoints)
    assert all(not r.notes and not r.why and not r.attended
               for tp in shared.touchpoints for r in tp.records)
    assert shared.shared_with == "team"


def test_what_is_declared_is_as_the_whole_copy_has_it() -> None:
    plan = load_plan(MINDS)
    sched = schedule(plan)
    declared = {"Plan": ("people", "project"), "Project": ("title", "closures"),
                "Closure": ("why", "start"), "Person": ("name", "role", "needs", "email"),
                "Stage": ("id", "title", "notes"), "Touchpoint": ("access", "who")}
    whole = for_audience(plan, sched, "lived-experience")[0]
    narrow = for_audience(plan, sched, "lived-experience", reads=declared)[0]
    assert [(p.name, p.role, p.needs, p.email) for p in narrow.people] == \
        [(p.name, p.role, p.needs, p.email) for p in whole.people]
    assert any(p.name != q.name for p, q in zip(narrow.people, plan.people, strict=True))
    assert [(c.why, c.start) for c in narrow.project.closures] == \
        [(c.why, c.start) for c in whole.project.closures]
    assert [(s.id, s.title, s.notes) for s in narrow.stages] == \
        [(s.id, s.title, s.notes) for s in whole.stages]
    assert [(t.access, t.who) for t in narrow.touchpoints] == \
        [(t.access, t.who) for t in whole.touchpoints]
    assert all(p.id == "" for p in narrow.people)  # (declared by nobody: left empty)


@pytest.mark.parametrize(("declared", "says"), [
    ({"Stagee": ("title",)}, "'Stagee', which is not a table"),
    ({"Stage": ("titel",)}, "'Stage.titel', which a Stage does not have"),
    ({"Stage": "title"}, "give a tuple of field names, ('title',)"),
    ({"Plan": ("people",)}, "reads holds Plan.people, so it must say what it reads of a "
                            "Person"),
    ({"Stage": ("after",)}, "of a Dependency"),
    ({"Schedule": ()}, "'Schedule', which is not a table"),
    ({"Plan": ("_people",)}, "'Plan._people', which a Plan does not have"),
])
def test_a_declaration_that_cannot_be_right_is_refused(declared: Any, says: str) -> None:
    plan = load_plan(MINDS)
    with pytest.raises(ValueError, match=None) as refused:
        for_audience(plan, schedule(plan), reads=declared)
    assert says in str(refused.value)


def test_every_narrow_copy_holds_what_its_schedule_points_at() -> None:
    held = narrowed({})
    for name, names in ALWAYS_HELD.items():
        assert set(names) <= set(held[getattr(model, name)])
    plan = load_plan(MINDS)
    sched = schedule(plan)
    shared = for_audience(plan, sched, reads={})[1]
    stages = set(map(id, shared.plan.stages))
    assert all(id(t.stage) in stages for t in shared.stages.values())
    touchpoints = set(map(id, shared.plan.touchpoints))
    assert all(id(s.touchpoint) in touchpoints for s in shared.sessions)
    meetings = set(map(id, shared.plan.meetings))
    assert shared.meetings and all(id(m.meeting) in meetings for m in shared.meetings)


def _seen_by(declared: Any, values: dict[str, object] | None = None) -> model.Plan:
    """The plan an exporter declaring ``declared`` is given by ``run_export``."""
    seen: list[model.Plan] = []

    def run(plan: model.Plan, sched: Schedule, options: Options) -> bytes:
        seen.append(plan)
        return b""

    from coplan.export.contract import SLOW_DOWN

    exporter = Exporter(name="seen", description="What it is given.",
                        formats=(Format("txt", ".txt", "text/plain"),), run=run,
                        options=(SLOW_DOWN,), reads=declared)
    plan = load_plan(MINDS)
    run_export(exporter, plan, schedule(plan), Options(values=values or {}))
    return seen[0]


def test_run_export_gives_the_narrow_copy_to_an_exporter_that_declares_what_it_reads(
        ) -> None:
    narrow = _seen_by({"Project": ("title",), "Plan": ("project",)})
    assert narrow.shared_with == "team" and narrow.people == ()
    start = load_plan(MINDS).project.start
    assert narrow.project.title and narrow.project.start == model.Project().start != start
    whole = _seen_by(None)
    assert whole.people and whole.project.start == start
    # A plan scheduled again without slow-down reads what the scheduler reads: whole.
    again = _seen_by({"Project": ("title",), "Plan": ("project",)}, {"slow_down": False})
    assert again.people and again.project.start == start
