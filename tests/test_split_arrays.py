"""An array of tables written in several places stays written where it was.

People write ``[[stage]]`` entries, then ``[project]``, then more stages (stages added at
the end of a file, below the people), or a stage's touchpoints with its decisions
between them.  tomlkit reads all the entries into the first place and wrote them all
there on any change: every edit rearranged such a file.  Hypothesis writes plans with the
entries of every array (stages, people, meetings, log entries; touchpoints within a
stage) scattered between other tables, makes one edit through the API the app uses
(set a value, add, remove, rename, move), and checks that the text outside the edited
entry is byte for byte what it was and that the plan reads back with the change.
"""

from __future__ import annotations

import difflib
import tomllib
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coplan.edit import PlanDocument

# One block of the file: (kind, number, its text).  Kinds: "stage", "person",
# "meeting", "log" (entries of top-level arrays) and "project" (a table).


def _stage(n: int, touchpoints: int, split: bool) -> str:
    text = f'[[stage]]\nid = "s{n}"\ntitle = "Stage {n}"\nduration = "{n + 1}w"\n'
    tps = [f'\n  [[stage.touchpoint]]\n  id = "s{n}-t{i}"\n  kind = "workshop"\n'
           f'  title = "Touch {n}.{i}"\n' for i in range(touchpoints)]
    decision = f'\n  [[stage.decision]]\n  id = "s{n}-d"\n  question = "Which {n}?"\n'
    if split and tps:  # the decision written between the touchpoints
        return text + tps[0] + decision + "".join(tps[1:])
    return text + "".join(tps) + (decision if split else "")


def _block(kind: str, n: int, touchpoints: int, split: bool) -> str:
    if kind == "stage":
        return _stage(n, touchpoints, split)
    if kind == "person":
        return f'[[person]]\nid = "p{n}"\nname = "Person {n}"\n'
    if kind == "meeting":
        return f'[[meeting]]\nid = "m{n}"\ntitle = "Meeting {n}"\nevery = "4w"\n'
    if kind == "log":
        return f'[[log]]\ndate = 2027-02-{n + 1:02d}\ntext = "Note {n}"\n'
    return '[project]\nname = "Scattered"\nstart = 2027-01-04\n'


@st.composite
def plans(draw: st.DrawFn) -> tuple[str, dict[str, int]]:
    """A plan whose arrays are written in runs between one another (and the project)."""
    counts = {kind: draw(st.integers(1, 4)) for kind in ("stage", "person", "meeting", "log")}
    blocks = [(kind, n) for kind, count in counts.items() for n in range(count)]
    blocks.append(("project", 0))
    order = draw(st.permutations(blocks))
    # entries of one array keep their order; only the runs are scattered
    seen: dict[str, int] = {}
    ordered = []
    for kind, _n in order:
        ordered.append((kind, seen.get(kind, 0)))
        seen[kind] = seen.get(kind, 0) + 1
    text = "# A plan written by hand\n\n"
    for kind, n in ordered:
        if draw(st.booleans()):
            text += f"# about {kind} {n}\n"
        text += _block(kind, n, draw(st.integers(0, 3)), draw(st.booleans()))
        text += "\n" if draw(st.integers(0, 4)) else "\n# -- banner --\n\n"
    return text, counts


EDITS = ("set", "set touchpoint", "add", "add touchpoint", "remove", "remove touchpoint",
         "rename", "move up", "move down")
KINDS = ("stage", "person", "meeting", "log")
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _ids(data: dict[str, Any], kind: str) -> list[str]:
    return [e.get("id") or e.get("text") for e in data.get(kind, [])]


def _changes(before: str, after: str) -> list[tuple[str, list[str], list[str]]]:
    """The lines changed, as (what, old lines, new lines), every equal run left out."""
    old, new = before.splitlines(), after.splitlines()
    return [(tag, old[i1:i2], new[j1:j2])
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new,
                                                               autojunk=False).get_opcodes()
            if tag != "equal"]


@SETTINGS
@given(plans(), st.sampled_from(EDITS), st.sampled_from(KINDS), st.data())
def test_an_edit_changes_only_what_it_changes(plan: tuple[str, dict[str, int]], edit: str,
                                              kind: str, data: st.DataObject) -> None:
    text, counts = plan
    assert PlanDocument(text).text() == text  # read and written back: nothing moves
    before = tomllib.loads(text)
    doc = PlanDocument(text)
    n = data.draw(st.integers(0, counts[kind] - 1), label="entry")
    stage = f"s{data.draw(st.integers(0, counts['stage'] - 1), label='stage')}"
    stage_n = int(stage[1:])
    touchpoints = before["stage"][stage_n].get("touchpoint", [])
    expected: dict[str, Any] = {k: v for k, v in before.items()}

    if edit == "set":
        key = {"stage": "title", "person": "name", "meeting": "title", "log": "text"}[kind]
        if kind == "stage":
            doc.set_stage(f"s{n}", key, "Changed")
        elif kind == "person":
            doc.set_person(f"p{n}", key, "Changed")
        elif kind == "meeting":
            doc.set_meeting(f"m{n}", key, "Changed")
        else:
            doc.set_entry(("log",), doc.item_at(("log",), (n,)), key, "Changed")
        after = doc.text()
        assert tomllib.loads(after)[kind][n][key] == "Changed"
        [(tag, old, new)] = _changes(text, after)
        assert tag == "replace" and len(old) == len(new) == 1
        assert new[0] == old[0].split("=")[0] + '= "Changed"'
        return
    if edit == "set touchpoint":
        if not touchpoints:
            return
        i = data.draw(st.integers(0, len(touchpoints) - 1))
        doc.set_touchpoint(stage, i, "title", "Changed")
        after = doc.text()
        assert tomllib.loads(after)["stage"][stage_n]["touchpoint"][i]["title"] == "Changed"
        [(tag, old, new)] = _changes(text, after)
        assert (tag, old, new) == ("replace", [f'  title = "Touch {stage_n}.{i}"'],
                                   ['  title = "Changed"'])
        return
    if edit in ("add", "add touchpoint"):
        if edit == "add touchpoint":
            doc.add_touchpoint(stage, {"id": "new-tp", "kind": "interview"})
        elif kind == "stage":
            doc.add_stage("new", "New stage")
        elif kind == "person":
            doc.add_person({"id": "new", "name": "New person"})
        elif kind == "meeting":
            doc.add_meeting({"id": "new", "title": "New meeting", "every": "2w"})
        else:
            doc.add_entry("log", {"date": "2027-03-01", "text": "new"})
        after = doc.text()
        read = tomllib.loads(after)
        if edit == "add touchpoint":
            assert [t["id"] for t in read["stage"][stage_n]["touchpoint"]] == \
                [*(t["id"] for t in touchpoints), "new-tp"]
        else:
            assert _ids(read, kind) == [*_ids(before, kind), "new"]
        changes = _changes(text, after)
        # lines only added (a blank line may be taken from above the next header and
        # put back below the new entry, which reads as the same lines)
        assert all(tag == "insert" or (tag == "replace" and not "".join(old).strip())
                   for tag, old, _new in changes), changes
        assert sum(len(new) for _t, _o, new in changes) <= 8
        return
    if edit in ("remove", "remove touchpoint"):
        if edit == "remove touchpoint":
            if not touchpoints:
                return
            i = data.draw(st.integers(0, len(touchpoints) - 1))
            doc.remove_touchpoint(stage, i)
            gone = {f'  id = "{touchpoints[i]["id"]}"'}
        elif kind == "stage":
            doc.remove_stage(f"s{n}")
            gone = {f'id = "s{n}"'}
        elif kind == "person":
            doc.remove_person(f"p{n}")
            gone = {f'id = "p{n}"'}
        elif kind == "meeting":
            doc.remove_meeting(f"m{n}")
            gone = {f'id = "m{n}"'}
        else:
            doc.remove_entry("log", n)
            gone = {f'text = "Note {n}"'}
        after = doc.text()
        read = tomllib.loads(after)
        if edit == "remove touchpoint":
            assert [t["id"] for t in read["stage"][stage_n].get("touchpoint", [])] == \
                [t["id"] for t in touchpoints[:i] + touchpoints[i + 1:]]
        else:
            left = _ids(before, kind)
            del left[n]
            assert _ids(read, kind) == left
        changes = _changes(text, after)
        # only lines taken out: the entry's own (and a blank line), every comment kept
        assert all(tag == "delete" for tag, _o, _n in changes), changes
        removed = [line for _t, old, _n in changes for line in old]
        assert gone <= set(removed)
        assert not any(line.lstrip().startswith("#") for line in removed), removed
        return
    if edit == "rename":
        if kind == "log":
            return
        old_id = f"{kind[0]}{n}"
        table = {"stage": lambda: doc.stage(old_id), "person": lambda: doc.person(old_id),
                 "meeting": lambda: doc.meeting(old_id)}[kind]()
        doc.rename((kind,), table, "renamed")
        after = doc.text()
        ids = _ids(before, kind)
        ids[n] = "renamed"
        assert _ids(tomllib.loads(after), kind) == ids
        [(tag, old, new)] = _changes(text, after)
        assert (old, new) == ([f'id = "{old_id}"'], ['id = "renamed"'])
        return
    # move a stage up or down
    step = -1 if edit == "move up" else 1
    target = stage_n + step
    if not 0 <= target < counts["stage"]:
        return
    doc.move_stage(stage, step)
    after = doc.text()
    ids = _ids(before, "stage")
    ids[stage_n], ids[target] = ids[target], ids[stage_n]
    read = tomllib.loads(after)
    assert _ids(read, "stage") == ids
    for other in ("person", "meeting", "log", "project"):
        assert read.get(other) == expected.get(other)
    assert sorted(text.splitlines()) == sorted(after.splitlines())
    # every line that is not a stage's is where it was, the stages' places too
    assert _outside_stages(after) == _outside_stages(text)


def _outside_stages(text: str) -> list[str]:
    """The file's lines with each stage entry (its comment, header, keys, touchpoints and
    decisions) written as one "<stage>"."""
    shown: list[str] = []
    inside = False
    for line in text.splitlines():
        if line.startswith("[[stage]]") or line.startswith("# about stage"):
            inside = True
        elif line.startswith("[") or line.startswith("#"):
            inside = False
        if inside:
            if not line.strip():
                continue  # (blank lines inside a stage move with it)
            line = "<stage>"
            if shown and shown[-1] == line:
                continue
        shown.append(line)
    return shown


def test_the_files_people_write() -> None:
    """The brief's own case: stages, the project between them, and more stages written
    at the end below the people; then every kind of edit on it."""
    text = """# Stages first
[[stage]]
id = "a"  # the first
title = "A"

[project]
name = "P"
start = 2027-01-04

# stages added later
[[stage]]
id = "b"
title = "B"

  [[stage.touchpoint]]
  id = "b1"
  kind = "workshop"

  [[stage.decision]]
  id = "b-d"
  question = "Which?"

  [[stage.touchpoint]]
  id = "b2"
  kind = "interview"

[[person]]
id = "ana"

# -- the end --

[[stage]]
id = "c"
"""
    doc = PlanDocument(text)
    assert doc.text() == text
    doc.set_stage("a", "title", "A again")
    assert doc.text() == text.replace('"A"', '"A again"')

    doc = PlanDocument(text)
    doc.add_touchpoint("b", {"id": "b3", "kind": "survey"})
    after = doc.text()
    assert after.startswith(text.split("[[person]]")[0].rstrip("\n") +
                            '\n\n  [[stage.touchpoint]]\n  id = "b3"\n  kind = "survey"\n')
    assert after.endswith('[[person]]\nid = "ana"\n\n# -- the end --\n\n[[stage]]\nid = "c"\n')

    doc = PlanDocument(text)
    doc.add_meeting({"id": "m", "title": "Team"})  # the first meeting: at the end
    assert doc.text() == text + '\n[[meeting]]\nid = "m"\ntitle = "Team"\n\n'

    doc = PlanDocument(text)
    doc.remove_stage("a")  # the array's first place left empty
    assert doc.text() == text.replace('[[stage]]\nid = "a"  # the first\ntitle = "A"\n\n', "")

    doc = PlanDocument(text)
    doc.move_stage("b", 1)  # b and c change places; the people stay between them
    after = doc.text()
    assert [s["id"] for s in tomllib.loads(after)["stage"]] == ["a", "c", "b"]
    assert after.index('id = "c"') < after.index("[[person]]") < after.index('id = "b"')
    assert after.index("# -- the end --") > after.index("[[person]]")


def test_a_comment_above_the_first_entry_moves_with_it() -> None:
    """Moving the second stage up above a first that only the file's own comments
    precede kept the comment written above the second nowhere (it was lost)."""
    text = '# The plan\n\n[[stage]]\nid = "a"\n\n# -- banner --\n\n# about b\n' \
        '[[stage]]\nid = "b"\n'
    doc = PlanDocument(text)
    doc.move_stage("b", -1)
    assert doc.text() == '# The plan\n\n# about b\n[[stage]]\nid = "b"\n\n' \
        '# -- banner --\n\n[[stage]]\nid = "a"\n'
