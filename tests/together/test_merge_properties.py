"""Property tests of the merge: random edits by 2 to 10 people at once, saved in random
orders, on the bundled examples.

Each round, every writer starts from the plan on disk, makes a few random edits through
``edit.PlanDocument`` (each leaving a valid plan), and all of them save (``save_merged``)
in a random order.  A save with conflicts is settled in favour of what is on disk, as a
person choosing "keep theirs" would.  Then, whatever the order:

* every change a writer made is in the file, unless it was shown to that writer as a
  conflict (a change at a path that overlaps a conflict's);
* the file always loads as a plan;
* no comment line is written twice, and none is lost that every writer kept.

Hypothesis runs a fixed, bounded set of examples (``derandomize``), so the test is the
same on every run and takes well under a minute.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from coplan.edit import EditError, PlanDocument
from coplan.errors import PlanError
from coplan.merge import flatten
from coplan.planfile import parse_plan
from coplan.sync import save_merged

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {p.stem: p.read_text(encoding="utf-8")
            for p in sorted((ROOT / "examples").glob("*.toml"))}
OPS = ["title", "notes", "duration", "add-stage", "remove-stage", "link", "unlink",
       "add-person", "remove-person", "join", "add-touchpoint", "remove-touchpoint", "log",
       "rename-person", "lag"]


def comment_lines(text: str) -> Counter[str]:
    return Counter(line.strip() for line in text.splitlines() if line.lstrip().startswith("#"))


def apply(doc: PlanDocument, op: str, rng: random.Random, tag: str) -> bool:
    """One random edit of kind ``op``; False if it does not apply to this plan."""
    stages = doc.stage_ids()
    people = [str(p["id"]) for p in doc.doc.get("person", [])]
    sid = rng.choice(stages) if stages else None
    try:
        if op in ("title", "notes") and sid:
            doc.set_stage(sid, op, f"{op} by {tag}")
        elif op == "duration" and sid:
            doc.set_stage(sid, "duration", f"{rng.randint(1, 9)}w")
        elif op == "add-stage":
            doc.add_stage(f"s-{tag}", f"Stage {tag}", "1w",
                          after=[sid] if sid and rng.random() < 0.7 else [])
        elif op == "remove-stage" and sid and len(stages) > 2:
            doc.remove_stage(sid)
        elif op == "link" and len(stages) > 1:
            doc.add_dependency(sid or "", rng.choice(stages),
                               rng.choice([None, "1w"]))
        elif op == "unlink" and sid:
            from coplan.schema import linked_stages

            after = doc.stage(sid).get("after")
            if not after:
                return False
            doc.remove_dependency(sid, rng.choice(sorted(linked_stages(after))))
        elif op == "lag" and sid:  # one link, written as an inline table with a lag
            from coplan.schema import linked_stages

            linked = sorted(linked_stages(doc.stage(sid).get("after")))
            if not linked:
                return False
            doc.set_stage(sid, "after", {"stage": rng.choice(linked), "lag": "1w"})
        elif op == "add-person":
            doc.add_person({"id": f"p-{tag}", "name": f"Person {tag}", "kind": "carer"})
        elif op == "remove-person" and people:
            doc.remove_person(rng.choice(people))
        elif op == "rename-person" and people:
            doc.set_person(rng.choice(people), "name", f"Name by {tag}")
        elif op == "join" and sid and people and doc.touchpoints(sid):
            index = rng.randrange(len(doc.touchpoints(sid)))
            who = [str(w) for w in doc.touchpoint(sid, index).get("who", [])]
            extra = rng.choice(people)
            if extra in who:
                return False
            doc.set_touchpoint(sid, index, "who", [*who, extra])
        elif op == "add-touchpoint" and sid:
            doc.add_touchpoint(sid, {"id": f"t-{tag}", "format": "survey",
                                     "who": people[:1]})
        elif op == "remove-touchpoint" and sid and doc.touchpoints(sid):
            doc.remove_touchpoint(sid, rng.randrange(len(doc.touchpoints(sid))))
        elif op == "log":
            doc.add_entry("log", {"date": date(2027, 2, 1), "what": f"Decided by {tag}"})
        else:
            return False
    except EditError:
        return False
    return True


@dataclass
class Writer:
    name: str
    base: str = ""
    text: str = ""
    conflicts: list[tuple[str, ...]] = field(default_factory=list)


def edit_round(writer: Writer, disk: str, rng: random.Random, edits: int, round_: int) -> None:
    writer.base = writer.text = disk
    doc = PlanDocument(disk)
    for n in range(edits):
        before = doc.text()
        if not apply(doc, rng.choice(OPS), rng, f"{writer.name}-{round_}-{n}"):
            continue
        try:
            parse_plan(doc.text(), with_lines=False)
        except PlanError:  # an edit the app would refuse: take it back
            doc = PlanDocument(before)
    writer.text = doc.text()


def save(writer: Writer, path: Path) -> None:
    choices: dict[Any, Any] = {}
    for _ in range(5):
        outcome = save_merged(path, writer.base, writer.text, who=writer.name,
                              instance=writer.name, choices=choices or None)
        if outcome.written:
            return
        assert outcome.conflicts
        for conflict in outcome.conflicts:
            assert conflict.describe()
            writer.conflicts.append(conflict.path)
            choices[conflict.path] = "theirs"
    raise AssertionError(f"{writer.name} could not save after settling every conflict")


def overlaps(path: tuple[str, ...], conflicts: list[tuple[str, ...]]) -> bool:
    return any(path[:len(c)] == c or c[:len(path)] == path for c in conflicts)


def lost(base: str, mine: str, final: str, conflicts: list[tuple[str, ...]]) -> list[str]:
    """My changes (base to mine) that are not in ``final`` and were never shown as
    conflicts."""
    b, m, f = flatten(base), flatten(mine), flatten(final)
    out = []
    for path in sorted(set(b) | set(m), key=len):
        bv, mv = b.get(path, None), m.get(path, None)
        if bv == mv or overlaps(path, conflicts):
            continue
        fv = f.get(path, None)
        if mv is None and isinstance(bv, list) and isinstance(fv, list):
            mv = []  # I emptied the list (the key went): what others added stays
        if mv is None:
            ok = fv is None  # removed
        elif isinstance(mv, list) and isinstance(bv, (list, type(None))) and \
                isinstance(fv, list):  # lists merge entry by entry
            bl = bv or []
            ok = all(v in fv for v in mv if v not in bl) and \
                not any(v in fv for v in bl if v not in mv)
        else:
            ok = fv == mv
        if not ok:
            out.append(f"{' › '.join(path)}: wrote {mv!r}, the file has {fv!r}")
    return out


def run(tmp_path: Path, example: str, writers: int, rounds: int, edits: int,
        seed: int) -> None:
    rng = random.Random(seed)
    base = EXAMPLES[example]
    path = tmp_path / "plan.toml"
    path.write_text(base, encoding="utf-8")
    team = [Writer(f"w{k}") for k in range(writers)]
    for round_ in range(rounds):
        disk = path.read_text(encoding="utf-8")
        for writer in team:
            writer.conflicts = []
            edit_round(writer, disk, rng, edits, round_)
        order = list(team)
        rng.shuffle(order)
        for writer in order:
            save(writer, path)
            parse_plan(path.read_text(encoding="utf-8"), with_lines=False)  # always loads
        final = path.read_text(encoding="utf-8")
        for writer in team:
            missing = lost(disk, writer.text, final, writer.conflicts)
            assert not missing, (writer.name, missing)
        counts = comment_lines(final)
        before = comment_lines(disk)
        kept_by_all = min((comment_lines(w.text) for w in team),
                          key=lambda c: sum(c.values()))
        for line, count in counts.items():
            assert count <= before[line], f"comment written twice: {line}"
        for line in kept_by_all:
            everyone = min(comment_lines(w.text)[line] for w in team)
            assert counts[line] >= everyone, f"comment lost: {line}"


@settings(max_examples=14, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],  # a failure names its seed: no shrinking
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(example=st.sampled_from(sorted(EXAMPLES)), writers=st.integers(2, 10),
       rounds=st.integers(1, 2), edits=st.integers(1, 3), seed=st.integers(0, 10**6))
def test_concurrent_edits_are_kept_or_shown(tmp_path_factory: Any, example: str, writers: int,
                                            rounds: int, edits: int, seed: int) -> None:
    run(tmp_path_factory.mktemp("team"), example, writers, rounds, edits, seed)


def test_ten_writers_many_edits_keep_every_comment_once(tmp_path: Path) -> None:
    """The heavy case the adversarial run used (ten writers), on both examples."""
    for seed, example in enumerate(sorted(EXAMPLES)):
        folder = tmp_path / example
        folder.mkdir()
        run(folder, example, 10, 2, 3, seed)
