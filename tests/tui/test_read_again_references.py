"""After an edit the session reads again only the entries whose text changed, and checks
the ids an unchanged entry names only as far as they can have changed (``planfile``'s
``_Loader._references_again``: every id it named was there last time and none has gone
since).  Whatever edits are made, an edit is taken exactly when the edited file, read
afresh, is a plan: ids taken away, renamed or named where they are not, one after
another, with undo and redo."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tui_support import EXAMPLES, TODAY

from coplan.edit import EditError, PlanDocument
from coplan.errors import PlanError
from coplan.model import Plan
from coplan.planfile import parse_plan
from coplan.plugins import all_rules
from coplan.session import EditRefused, PlanSession

RULES = all_rules()
PLAN = EXAMPLES / "minds-discharge.toml"


def _edit(rng: random.Random, session: PlanSession) -> tuple[str, Any]:
    """An edit that may take away, rename or name an id (people, stages, touchpoints,
    decisions), or add one, written straight into the document (nothing else follows)."""
    plan = session.plan
    people = [p.id for p in plan.people]
    stages = [s.id for s in plan.stages]
    si = rng.randrange(len(stages))
    stage = plan.stages[si]
    gone = rng.choice(["sam", "dev", "nobody", *people[:2]])
    n = rng.randrange(1000)
    edits: list[tuple[str, Any]] = [
        ("add a stage", lambda d: d.add_stage(f"new-{n}", "New", "1w",
                                              after=[rng.choice(stages)])),
        ("add a person", lambda d: d.add_item(("person",), (None,),
                                              {"id": rng.choice([gone, f"p{n}"]),
                                               "name": "Pat Quinn"})),
        ("rename a stage", lambda d: d.doc["stage"][si].__setitem__(
            "id", rng.choice([f"moved-{n}", stages[0]]))),
        ("stage named back", lambda d: d.doc["stage"][si].__setitem__(
            "id", rng.choice(stages))),
        ("wait for a stage", lambda d: d.doc["stage"][si].__setitem__(
            "after", [rng.choice([*stages[:si], "nowhere"]) if si else "nowhere"])),
        ("title", lambda d: d.set_stage(stages[si], "title", f"Title {n}")),
    ]
    if people:
        pi = rng.randrange(len(people))
        edits += [
            ("take a person away", lambda d: d.doc["person"].pop(pi)),
            ("rename a person", lambda d: d.doc["person"][pi].__setitem__(
                "id", rng.choice([f"renamed-{n}", gone]))),
        ]
    if stage.touchpoints:
        ti = rng.randrange(len(stage.touchpoints))
        edits += [
            ("who", lambda d: d.doc["stage"][si]["touchpoint"][ti].__setitem__(
                "who", [rng.choice([gone, *people])])),
            ("rename a touchpoint", lambda d: d.doc["stage"][si]["touchpoint"][ti].__setitem__(
                "id", f"tp-{n}")),
        ]
    if stage.decisions:
        di = rng.randrange(len(stage.decisions))
        edits += [
            ("rename a decision", lambda d: d.doc["stage"][si]["decision"][di].__setitem__(
                "id", rng.choice([f"choice-{n}", "focus", "outcomes"]))),
        ]
    return rng.choice(edits)


def _read(text: str) -> Plan | None:
    try:
        return parse_plan(text, str(PLAN), path=PLAN, with_lines=False)
    except PlanError:
        return None


@settings(max_examples=6, deadline=None, derandomize=True, phases=(Phase.generate,),
          suppress_health_check=list(HealthCheck))
@given(st.integers(min_value=0, max_value=2**32))
def test_an_edit_is_taken_exactly_when_the_file_read_afresh_is_a_plan(seed: int) -> None:
    rng = random.Random(seed)
    session = PlanSession(PLAN, PLAN.read_text(encoding="utf-8"), today=TODAY, rules=RULES)
    taken = refused = 0
    for _ in range(20):
        if session.undo_stack and rng.random() < 0.1:
            session.undo()
            continue
        if session.redo_stack and rng.random() < 0.1:
            session.redo()
            continue
        what, edit = _edit(rng, session)
        state = rng.getstate()
        trial = PlanDocument(session.text, PLAN)
        try:
            edit(trial)
        except (EditError, KeyError, IndexError):
            continue
        attempt = trial.text()
        rng.setstate(state)  # the same choices again, on the session's own document
        before = session.text
        try:
            session.apply(what, edit)
        except EditRefused:
            assert session.text == before
            assert _read(attempt) is None, what
            refused += 1
            continue
        assert session.text == attempt
        assert session.plan == _read(attempt), what
        taken += 1
    assert taken and refused


def test_an_unchanged_entry_naming_a_person_taken_away_is_refused() -> None:
    """The stages that name a person are not read again when the person is taken away;
    what they name is still looked up, and the edit is refused with what reading the
    file afresh says."""
    session = PlanSession(PLAN, PLAN.read_text(encoding="utf-8"), today=TODAY, rules=RULES)
    session.apply("add a stage", lambda d: d.add_stage("extra", "Extra", "1w",
                                                       after=[session.plan.stages[0].id]))
    named = [p.id for p in session.plan.people
             if any(p.id in t.who for t in session.plan.touchpoints)]
    at = [p.id for p in session.plan.people].index(named[0])
    trial = PlanDocument(session.text, PLAN)
    trial.doc["person"].pop(at)
    expected = ""
    try:
        parse_plan(trial.text(), str(PLAN), path=PLAN)
    except PlanError as exc:
        first = exc.problems[0]
        expected = first.message + (f" ({first.hint})" if first.hint else "")
    assert expected
    try:
        session.apply("take a person away", lambda d: d.doc["person"].pop(at))
    except EditRefused as exc:
        # (where records of what happened name the person, the session says that instead
        # of the loader's words: the history guard)
        assert str(exc) == expected or str(exc).startswith(
            "The record of what happened names what this change takes away (the person "
            f"'{named[0]}'"), str(exc)
    else:
        raise AssertionError("a person others name was taken away")


def test_a_decision_an_unchanged_impact_entry_names_is_looked_up_again() -> None:
    """An impact entry names a decision of the stage it gives: renaming the decision
    changes only its stage, and the entry, not read again, is refused as reading the
    file afresh refuses it."""
    session = PlanSession(PLAN, PLAN.read_text(encoding="utf-8"), today=TODAY, rules=RULES)
    stage = session.plan.stages[-1]
    si = len(session.plan.stages) - 1
    session.apply("a decision", lambda d: d.add_item(("stage", "decision"), (si, None),
                                                     {"id": "only-here", "what": "A choice"}))
    session.apply("an impact", lambda d: d.add_item(("impact",), (None,), {
        "stage": stage.id, "decision": "only-here", "changed": "Something"}))
    session.apply("a person", lambda d: d.add_item(("person",), (None,),
                                                    {"id": "pat", "name": "Pat Quinn"}))
    di = [d.id for d in session.plan.stages[si].decisions].index("only-here")

    def rename(d: PlanDocument) -> None:
        d.doc["stage"][si]["decision"][di]["id"] = "renamed"

    trial = PlanDocument(session.text, PLAN)
    rename(trial)
    assert _read(trial.text()) is None
    try:
        session.apply("rename a decision", rename)
    except EditRefused:
        pass
    else:
        raise AssertionError("a decision an impact entry names was renamed")
