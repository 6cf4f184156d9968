"""Several instances editing one plan file at once lose nothing (domain level).

Each simulated instance keeps what it last loaded (its base) and its own edited text, as a
running coplan does, and saves through ``sync.save_merged``.  Hypothesis drives random edit
scripts for two and five instances, interleaving their saves in random orders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coplan.edit import EditError, PlanDocument
from coplan.planfile import parse_plan
from coplan.sync import absorb, save_merged

ROOT = Path(__file__).resolve().parents[2]
BASE = (ROOT / "examples" / "teaching-workshop.toml").read_text(encoding="utf-8")
STAGES = PlanDocument(BASE).stage_ids()


@dataclass
class Instance:
    name: str
    base: str
    text: str
    expected: list[tuple[str, str, str]] = field(default_factory=list)

    def edit(self, op: tuple[str, int, int]) -> None:
        kind, a, n = op
        doc = PlanDocument(self.text)
        tag = f"{self.name}-{n}"
        try:
            if kind == "title":
                sid = STAGES[a % len(STAGES)]
                doc.set_stage(sid, "title", f"Title by {tag}")
                self.expected.append(("stage-title", sid, f"Title by {tag}"))
            elif kind == "notes":
                sid = STAGES[a % len(STAGES)]
                doc.set_stage(sid, "notes", f"Notes by {tag}")
                self.expected.append(("stage-notes", sid, f"Notes by {tag}"))
            elif kind == "stage":
                doc.add_stage(f"s-{tag}", f"Stage {tag}", "1w", after=[STAGES[a % len(STAGES)]])
                self.expected.append(("stage", f"s-{tag}", ""))
            elif kind == "person":
                doc.add_person({"id": f"p-{tag}", "name": f"Person {tag}", "kind": "carer"})
                self.expected.append(("person", f"p-{tag}", ""))
            elif kind == "term":
                doc.add_entry("protocol.term", {"term": f"term {tag}", "meaning": "a word"})
                self.expected.append(("term", f"term {tag}", ""))
            elif kind == "touchpoint":
                sid = STAGES[a % len(STAGES)]
                doc.add_touchpoint(sid, {"id": f"tp-{tag}", "format": "survey",
                                         "who": ["jon"]})
                self.expected.append(("touchpoint", sid, f"tp-{tag}"))
        except EditError:
            return
        parse_plan(doc.text())  # every edit keeps the plan valid
        self.text = doc.text()

    def save(self, path: Path) -> list[object]:
        outcome = save_merged(path, self.base, self.text, who=self.name, instance=self.name)
        if outcome.conflicts:
            # Resolve every conflict in favour of theirs: my value is dropped, knowingly.
            choices = {c.path: "theirs" for c in outcome.conflicts}
            dropped = {c.path for c in outcome.conflicts}
            outcome = save_merged(path, self.base, self.text, who=self.name,
                                  instance=self.name, choices=choices)
            assert outcome.written
            self.expected = [e for e in self.expected
                             if not any(_matches(e, p) for p in dropped)]
            self.base = self.text = outcome.text
            return list(dropped)
        assert outcome.written
        self.base = self.text = outcome.text
        return []

    def reload(self, path: Path) -> None:
        disk = path.read_text(encoding="utf-8")
        result = absorb(self.base, self.text, disk)
        if not result.conflicts:
            self.base, self.text = result.base, result.text


def _matches(expected: tuple[str, str, str], path: tuple[str, ...]) -> bool:
    kind, key, _ = expected
    if kind in ("stage-title", "stage-notes"):
        return path[:2] == ("stage", key) and path[-1] == kind.split("-")[1]
    return False


def _present(text: str, expected: tuple[str, str, str]) -> bool:
    plan = parse_plan(text)
    kind, key, value = expected
    if kind == "stage-title":
        stage = plan.stage(key)
        return stage is not None and stage.title == value
    if kind == "stage-notes":
        stage = plan.stage(key)
        return stage is not None and stage.notes == value
    if kind == "stage":
        return plan.stage(key) is not None
    if kind == "person":
        return plan.person(key) is not None
    if kind == "term":
        return any(t.term == key for t in plan.protocol.terms)
    if kind == "touchpoint":
        stage = plan.stage(key)
        return stage is not None and any(t.id == value for t in stage.touchpoints)
    raise AssertionError(kind)


ops = st.tuples(st.sampled_from(["title", "notes", "stage", "person", "term", "touchpoint"]),
                st.integers(0, 50), st.integers(0, 10**6))


def run_team(tmp_path: Path, count: int, script: list[tuple[int, str, tuple[str, int, int]]]
             ) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(BASE, encoding="utf-8")
    team = [Instance(f"i{k}", BASE, BASE) for k in range(count)]
    conflicts = 0
    for step, (who, action, op) in enumerate(script):
        member = team[who % count]
        op = (op[0], op[1], step)
        if action == "edit":
            member.edit(op)
        elif action == "save":
            conflicts += len(member.save(path))
            parse_plan(path.read_text(encoding="utf-8"))  # the file always parses
        else:
            member.reload(path)
    for member in team:
        conflicts += len(member.save(path))
    final = path.read_text(encoding="utf-8")
    parse_plan(final)
    for member in team:
        for expected in member.expected:
            if expected[0] in ("stage-title", "stage-notes"):
                continue  # a later save by anyone may legitimately change the same field
            assert _present(final, expected), (member.name, expected)
    # The last writer's field edits survive unless someone else changed the field later.


actions = st.sampled_from(["edit", "edit", "edit", "save", "reload"])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(script=st.lists(st.tuples(st.integers(0, 1), actions, ops), min_size=2, max_size=25))
def test_two_instances_lose_nothing(tmp_path_factory, script) -> None:  # type: ignore[no-untyped-def]
    run_team(tmp_path_factory.mktemp("two"), 2, script)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(script=st.lists(st.tuples(st.integers(0, 4), actions, ops), min_size=5, max_size=40))
def test_five_instances_lose_nothing(tmp_path_factory, script) -> None:  # type: ignore[no-untyped-def]
    run_team(tmp_path_factory.mktemp("five"), 5, script)


def test_same_field_edits_are_a_conflict_never_an_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(BASE, encoding="utf-8")
    a = Instance("sam", BASE, BASE)
    b = Instance("alex", BASE, BASE)
    sid = STAGES[0]
    doc = PlanDocument(BASE)
    doc.set_stage(sid, "title", "Sam's title")
    a.text = doc.text()
    doc = PlanDocument(BASE)
    doc.set_stage(sid, "title", "Alex's title")
    b.text = doc.text()
    assert save_merged(path, a.base, a.text, who="sam", instance="a").written
    outcome = save_merged(path, b.base, b.text, who="alex", instance="b")
    assert not outcome.written
    assert [c.path for c in outcome.conflicts] == [("stage", sid, "title")]
    assert "Sam's title" in path.read_text(encoding="utf-8")  # nothing overwritten
    mine = save_merged(path, b.base, b.text, who="alex", instance="b",
                       choices={("stage", sid, "title"): "mine"})
    assert mine.written and parse_plan(mine.text).stage(sid).title == "Alex's title"  # type: ignore[union-attr]
