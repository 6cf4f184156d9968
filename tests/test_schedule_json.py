"""The schedule's JSON and the copy for sharing, made the quick way, are what the plain
way makes: the same text to the byte, the same plan (hypothesis, on random plans)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan import schema, sharing
from coplan.export import scheduledata
from coplan.model import Closure, Person, Touchpoint
from coplan.planfile import parse_plan
from coplan.schedule import schedule
from plangen import random_plan

# Texts that would confuse a split between items if it were not exact: braces, quotes,
# commas, backslashes, the very '}, {"' between two items, and letters beyond ASCII.
titles = st.lists(st.sampled_from(['}', '{', '"', ',', ' ', '\\', 'é', '€', '☃', 'a', ':',
                                  '}, {"', '[', ']', '/']),
                  min_size=1, max_size=8).map("".join).map(str.strip).filter(bool)


def _plain_json(sched: Any, today: date | None) -> str:
    """The JSON as it was written before: each item encoded on its own."""
    data = scheduledata.to_data(sched, today)
    rows = data.pop("items")

    def dump(value: object) -> str:
        return json.dumps(value, default=scheduledata._default, ensure_ascii=False)

    head = ",\n".join(f" {dump(k)}: {dump(v)}" for k, v in data.items())
    body = ",\n".join("  " + dump(row) for row in rows)
    return "{\n" + head + ',\n "items": [\n' + body + "\n ]\n}\n"


def _with_titles(text: str, names: list[str]) -> str:
    it = iter(names)
    return re.sub(r'^title = "Stage \d+"$',
                  lambda m: "title = " + json.dumps(next(it, "Stage"), ensure_ascii=False),
                  text, flags=re.M)


def _more_of_everything(text: str, seed: int, titles: list[str]) -> str:
    """A generated plan with what it lacks: deadlines, milestones, a saved baseline (some
    stages in it, one not in the plan), touchpoints with titles of their own, several
    sessions and no rung of the ladder, and standing meetings."""
    import random

    rng = random.Random(seed)
    names = iter(titles)
    parts = re.split(r"(?m)^(?=\[\[stage\]\]$)", text)
    out, base = [parts[0]], []
    for part in parts[1:]:
        sid = re.search(r'^id = "([^"]+)"', part, flags=re.M)
        start = re.search(r"^start = (\S+)", parts[0], flags=re.M)
        assert sid and start
        first = date.fromisoformat(start.group(1))
        if rng.random() < 0.3:
            part = part.replace("\n", f"\ndeadline = {first + timedelta(days=365)}\n", 1)
        if rng.random() < 0.2:
            part = re.sub(r'^duration = "\d+d"$', 'duration = "0d"', part, flags=re.M)
        if rng.random() < 0.5:
            when = rng.choice(['["start", "end"]', '["start", "+1d", "end"]', '"end"'])
            part = re.sub(r'^  when = .*$', f"  when = {when}", part, flags=re.M)
        if rng.random() < 0.5:
            part = part.replace('  ladder = "co-design"\n', "")
        title = next(names, None)
        if title is not None:
            part = part.replace("  [[stage.touchpoint]]\n", "  [[stage.touchpoint]]\n"
                                f"  title = {json.dumps(title, ensure_ascii=False)}\n")
        if rng.random() < 0.4:
            end = first + timedelta(days=rng.randint(0, 1100))
            base.append(f'[[baseline.stage]]\nstage = "{sid.group(1)}"\n'
                        f"start = {first}\nfinish = {end}\n")
        out.append(part)
    meeting = ('[[meeting]]\ntitle = "Advisory group"\nevery = "2w"\n'
               f"from = {first}\n\n") if rng.random() < 0.5 else ""
    baseline = ""
    if base or rng.random() < 0.5:
        base.append('[[baseline.stage]]\nstage = "gone"\nstart = 2027-01-11\n'
                    "finish = 2027-02-12\n")
        baseline = "\n[baseline]\nfinish = 2028-07-17\n\n" + "\n".join(base)
    return meeting.join([out[0], ""]) + "".join(out[1:]) + baseline


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 40), st.lists(titles, max_size=40),
       st.booleans(), st.sampled_from([None, date(2027, 6, 1), date(2030, 1, 1)]),
       st.booleans())
def test_the_json_is_what_encoding_each_item_alone_gives(seed: int, n: int,
                                                         names: list[str], slow: bool,
                                                         today: date | None,
                                                         more: bool) -> None:
    text = _with_titles(random_plan(seed, n), names)
    if more:
        text = _more_of_everything(text, seed, names[::-1])
    plan = parse_plan(text, with_lines=False)
    _, sched = sharing.for_audience(plan, schedule(plan, slow_down=slow, today=today))
    assert scheduledata.to_json(sched, today) == _plain_json(sched, today)


def test_the_json_holds_every_kind_of_item() -> None:
    """The plans the test above makes have every kind of item and value the JSON writes
    straight from the schedule, and those it encodes as tables."""
    seen: set[str] = set()
    for seed in range(12):
        names = ["A", 'say "hi"', "é}, {\""]
        plan = parse_plan(_more_of_everything(random_plan(seed, 30), seed, names),
                          with_lines=False)
        for today in (None, date(2027, 6, 1)):
            data = json.loads(scheduledata.to_json(schedule(plan, today=today), today))
            for row in data["items"]:
                seen.add(row["kind"])
                seen.update(k for k in ("status", "baseline_finish") if k in row)
                seen.update(f"{k}=None" for k, v in row.items() if v is None)
                if row["kind"] == "session" and " of " in row["title"]:
                    seen.add("series")
    assert seen >= {"stage", "milestone", "session", "series", "buffer", "checkpoint",
                    "meeting", "status", "baseline_finish", "ladder=None", "deadline=None"}


def test_values_of_other_types_are_encoded_as_the_encoder_would() -> None:
    """A stage or session with a value the lines do not write themselves (a float, a
    missing phase, a date that is not one) is encoded as a table, to the same text."""
    plan = parse_plan(random_plan(3, 12), with_lines=False)
    sched = schedule(plan, slow_down=False)
    first, *_ = sched.order
    timing = sched.stages[first]
    odd = [{"total_float": 2.5}, {"critical": 1}, {"stage": replace(timing.stage, phase=None)},
           {"stage": replace(timing.stage, title=7)}]
    for change in odd:
        stages = dict(sched.stages)
        stages[first] = replace(timing, **change)
        changed = replace(sched, stages=stages)
        assert scheduledata.to_json(changed) == _plain_json(changed, None)
    sessions = [replace(s, length_minutes=90.0) for s in sched.sessions] + \
        [replace(s, touchpoint=replace(s.touchpoint, mode=None)) for s in sched.sessions]
    changed = replace(sched, sessions=sessions)
    assert sched.sessions and scheduledata.to_json(changed) == _plain_json(changed, None)


# -- the copy for sharing ----------------------------------------------------------------

class _PlainWalker:
    """The copy as it was made before: every member looked at by the kind of its value,
    every touchpoint copied."""

    def __init__(self, walker: Any) -> None:
        self.w = walker

    def item(self, item: Any) -> Any:
        changes: dict[str, Any] = {}
        for member in schema.schema_of(type(item)).members:
            spec = member.spec
            value = getattr(item, member.field)
            if isinstance(spec, schema.Sub):
                new: Any = tuple(self.item(c) for c in value) if spec.array \
                    else self.item(value)
            else:
                new = self.value(spec.kind, value)
            if new is not value and new != value:
                changes[member.field] = new
        if isinstance(item, Person):
            changes.update(self.w.person(item))
        elif isinstance(item, Touchpoint):
            changes["access"] = self.w.access(item, changes.get("access", item.access))
        elif isinstance(item, Closure) and item.why:
            changes["why"] = ""
        return replace(item, **changes) if changes else item

    def value(self, kind: Any, value: Any) -> Any:
        hide = self.w.hide
        if isinstance(kind, schema.Links):
            return tuple(self.item(d) for d in value)
        if isinstance(kind, schema.Id) or (kind.ref is not None and isinstance(value, str)):
            return hide.id(value) if value else value
        if kind.ref is not None and isinstance(value, tuple):
            return tuple(hide.id(v) if isinstance(v, str) else v for v in value)
        if isinstance(kind, schema.Text) and isinstance(value, str):
            return hide.text(value)
        if isinstance(kind, schema.Strings) and isinstance(value, tuple):
            return tuple(hide.text(v) if isinstance(v, str) else v for v in value)
        return value


def _plain_copy(plan: Any, audience: str, own: bool) -> Any:
    from coplan.privacy import Redaction

    hide = Redaction(plan, audience, own=own)  # its own, not the one shared_plan learnt
    found: list[str] = []
    sharing._collect_ids(plan, found)
    hide.learn_ids(found)
    walker = sharing._Walker(hide, plan, audience if own else "")
    shared = _PlainWalker(walker).item(plan)
    return replace(shared, shared_with=audience, path=plan.path, marked=plan.marked)


_PEOPLE = '''
[[person]]
id = "sam-hill"
name = "Sam Hill"
kind = "lived-experience"
email = "sam@example.org"
needs = ["hearing-loop", "other: quiet start"]

[[person]]
id = "ada"
name = "Ada Lovelace"
kind = "researcher"
share_name = true
'''


_NAMELESS = '''
[[person]]
id = "ada"
name = "Ada Lovelace"
kind = "researcher"
share_name = true
'''


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9), st.integers(1, 30),
       st.lists(st.sampled_from(["Sam", "Sam Hill", "sam-hill", "Ada", "call 07700 900123",
                                 "sam@example.org", "SAM", "plain words", "le1", "Le2 and r1",
                                 "LE1@example.org"]), max_size=30),
       st.sampled_from([("team", False), ("lived-experience", False), ("sam-hill", True),
                        ("sam-hill", False)]), st.booleans(), st.booleans())
def test_the_copy_for_sharing_is_what_the_plain_walk_makes(
        seed: int, n: int, names: list[str], audience: tuple[str, bool], sam: bool,
        more: bool) -> None:
    """With Sam, whose name is hidden and in ids, ids change; without (the generated
    people have no names, so they are hidden by their ids, which carry no name), none do
    and the copy does not look at them."""
    text = _with_titles(random_plan(seed, n), names)
    if more:
        text = _more_of_everything(text, seed, names[::-1])
    other = "sam-hill" if sam else "ada"
    text = text.replace('who = ["le1", "le2"]', f'who = ["le1", "{other}"]\n'
                        '  access = ["hearing-loop", "other: a lift"]')
    first = text.index("[[person]]")
    text = text[:first] + (_PEOPLE if sam else _NAMELESS).lstrip() + "\n" + text[first:]
    plan = parse_plan(text, with_lines=False)
    who, own = audience
    if not sam and who == "sam-hill":
        who = "le1"
    shared, hide = sharing.shared_plan(plan, who, own=own)
    assert hide.renames_ids == (sam and not (own and who == "sam-hill"))
    assert shared == _plain_copy(plan, who, own)
    sched = schedule(plan)
    _same_schedule(sharing.shared_schedule(sched, shared, hide),
                   _plain_shared_schedule(sched, shared, hide))


def _same_schedule(fast: Any, plain: Any) -> None:
    for name in ("plan", "stages", "order", "buffers", "project_buffer", "checkpoints",
                 "sessions", "meetings", "critical_path", "missed", "gates"):
        assert getattr(fast, name) == getattr(plain, name), name
    assert fast.calendar._names == plain.calendar._names


def _plain_shared_schedule(schedule: Any, shared: Any, hide: Any) -> Any:
    """The schedule's copy as ``sharing.shared_schedule`` made it before (every stage
    and session looked up by its place in the plan, every id through ``hide``)."""
    import copy

    def _with(item: Any, **values: Any) -> Any:
        for name, value in values.items():
            if getattr(item, name) is not value:
                return replace(item, **values)
        return item

    old = schedule.plan
    old_index = {s.id: i for i, s in enumerate(old.stages)}

    def stage_of(old_stage: Any) -> Any:
        return shared.stages[old_index[old_stage.id]] if old_stage.id in old_index \
            else old_stage

    def touchpoint_of(old_stage: Any, tp: Any) -> Any:
        new_stage = stage_of(old_stage)
        if new_stage is old_stage:
            return tp
        for i, t in enumerate(old_stage.touchpoints):
            if t is tp:
                return new_stage.touchpoints[i]
        return tp

    timings = {hide.id(k): _with(t, stage=stage_of(t.stage))
               for k, t in schedule.stages.items()}
    buffers = [replace(b, id=hide.id(b.id), stage=hide.id(b.stage) if b.stage else b.stage,
                       title=hide.text(b.title)) for b in schedule.buffers]
    project_buffer = schedule.project_buffer
    if project_buffer is not None:
        project_buffer = replace(project_buffer, title=hide.text(project_buffer.title))
    checkpoints = [replace(c, id=hide.id(c.id), title=hide.text(c.title),
                           reason=hide.text(c.reason),
                           prompts=tuple(hide.text(p) for p in c.prompts))
                   for c in schedule.checkpoints]
    sessions = [_with(s, id=hide.id(s.id), stage=stage_of(s.stage),
                      touchpoint=touchpoint_of(s.stage, s.touchpoint))
                for s in schedule.sessions]
    meeting_index = {id(m): i for i, m in enumerate(old.meetings)}
    closures = {c.why for c in old.project.closures if c.why}
    meetings = [replace(m, meeting=shared.meetings[meeting_index[id(m.meeting)]]
                        if id(m.meeting) in meeting_index else m.meeting,
                        skipped=tuple((d, "team closure" if why in closures else why)
                                      for d, why in m.skipped))
                for m in schedule.meetings]
    missed = [replace(m, stage=hide.id(m.stage)) for m in schedule.missed]
    gates = [replace(g, waits_for=tuple(hide.id(s) for s in g.waits_for),
                     holds=tuple(hide.id(s) for s in g.holds)) for g in schedule.gates]
    calendar = copy.copy(schedule.calendar)
    names = getattr(calendar, "_names", None)
    if isinstance(names, dict) and closures:
        calendar._names = {d: ("team closure" if why in closures else why)
                           for d, why in names.items()}
    return replace(schedule, plan=shared, calendar=calendar, stages=timings,
                   order=[hide.id(i) for i in schedule.order], buffers=buffers,
                   project_buffer=project_buffer, checkpoints=checkpoints,
                   sessions=sessions, meetings=meetings,
                   critical_path=[hide.id(i) for i in schedule.critical_path],
                   missed=missed, gates=gates)


class _Words(str):
    """A text of another class (the encoder's own writing of it decides)."""


class _Count(int):
    """A whole number of another class."""


_leaves = st.one_of(
    st.text(max_size=6), st.integers(-10**20, 10**20), st.booleans(), st.none(),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.text(max_size=4).map(_Words), st.integers(-5, 5).map(_Count),
    st.sampled_from([{1, 2}, b"x", object()]))
_values = st.recursive(_leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.lists(inner, max_size=3).map(tuple),
    st.dictionaries(st.one_of(st.text(max_size=4), st.integers(0, 3), st.booleans(),
                              st.none()), inner, max_size=3)), max_leaves=8)


@settings(max_examples=500, deadline=None)
@given(_values)
def test_a_value_is_written_as_the_standard_librarys_encoder_writes_it(value: Any) -> None:
    """The head and rows of the JSON are written without importing ``json`` where they
    are plain: the same text, or the same error, as its encoder gives."""
    plain = json.JSONEncoder(ensure_ascii=False, default=scheduledata._default).encode
    try:
        expected: Any = plain(value)
    except (TypeError, ValueError) as exc:
        expected = (type(exc), str(exc))
    try:
        found: Any = scheduledata._encoder()(value)
    except (TypeError, ValueError) as exc:
        found = (type(exc), str(exc))
    assert found == expected


def test_a_value_holding_itself_is_refused_as_the_encoder_refuses_it() -> None:
    import pytest

    looped: list[Any] = [1]
    looped.append({"again": looped})
    with pytest.raises(ValueError, match="Circular reference"):
        json.JSONEncoder(ensure_ascii=False, default=scheduledata._default).encode(looped)
    with pytest.raises(ValueError, match="Circular reference"):
        scheduledata._encoder()(looped)


def test_writing_a_schedules_json_imports_no_json_package() -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    code = ("import sys\nfrom coplan.cli import main\ntry:\n    main(['schedule', sys.argv[1], "
            "'--format', 'json'])\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write(' '.join(sorted(m for m in sys.modules if m.split('.')[0] == "
            "'json')))\n")
    done = subprocess.run([sys.executable, "-c", code,
                           str(root / "examples" / "minds-discharge.toml")],
                          capture_output=True, text=True, timeout=120)
    assert '"items"' in done.stdout
    assert done.stderr == ""
