"""Every add the app offers writes the new entry in the style its array is written in.

An array of tables can be written with headers (``[[stage.touchpoint]]``) or inline
(``touchpoint = [{ ... }]``, on one line or one entry a line).  A new entry goes into the
array as the person wrote it: a header table after a header array, an inline table
appended to an inline array (on its own line, with the array's indent and trailing comma,
when the array is written one entry a line).  Nothing else in the file moves.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from typing import Any

import pytest

from coplan.edit import PlanDocument

HEAD = '''# The plan
[project]
name = "Styles"
start = 2027-01-04
'''

STYLES = ("headers", "one line", "one a line")


def _entries(name: str, rows: list[str], style: str, indent: str = "") -> str:
    """``rows`` (each ``k = v, k = v``) as the array ``name`` in ``style``; header names
    are full paths (``stage.touchpoint``), inline ones the last part."""
    last = name.rsplit(".", 1)[-1]
    if style == "headers":
        return "".join(f"\n{indent}[[{name}]]\n" +
                       "".join(f"{indent}{pair.strip()}\n" for pair in row.split(", "))
                       for row in rows)
    if style == "one line":
        return f"{last} = [" + ", ".join(f"{{ {row} }}" for row in rows) + "]\n"
    return f"{last} = [\n" + "".join(f"    {{ {row} }},  # row {i}\n"
                                      for i, row in enumerate(rows)) + "]\n"


def plan(style: str) -> str:
    """A plan whose touchpoints, records, people, meetings and log are all written in
    ``style`` (the inline ones inside their holder's header)."""
    touchpoints = ['kind = "workshop", session = 1', 'kind = "interview", id = "talk"']
    people = ['id = "ana", name = "Ana"']
    meetings = ['id = "board", title = "Board"']
    log = ['date = 2027-01-05, text = "Started"']
    if style == "headers":
        body = HEAD + "\n[[stage]]\nid = \"aims\"\ntitle = \"Aims\"\nduration = \"4w\"\n" + \
            _entries("stage.touchpoint", touchpoints[:1], style, "  ") + \
            _entries("stage.touchpoint.record", ['session = 1, held = true'], style,
                     "    ") + \
            _entries("stage.touchpoint", touchpoints[1:], style, "  ") + \
            _entries("person", people, style) + _entries("meeting", meetings, style) + \
            _entries("log", log, style) + "\n# the end\n"
        return body
    records = "record = [{ session = 1, held = true }]" if style == "one line" else \
        "record = [\n        { session = 1, held = true },\n    ]"
    first = f'{{ kind = "workshop", session = 1, {records} }}'
    if style == "one line":
        tps = f'touchpoint = [{first}, {{ kind = "interview", id = "talk" }}]\n'
    else:
        tps = f'touchpoint = [\n    {first},\n    {{ kind = "interview", id = "talk" }},\n]\n'
    top = _entries("person", people, style) + _entries("meeting", meetings, style) + \
        _entries("log", log, style)  # (keys of the document: above its first header)
    return HEAD.replace("[project]", top + "\n[project]") + \
        "\n[[stage]]\nid = \"aims\"\ntitle = \"Aims\"\nduration = \"4w\"\n" + tps + \
        "\n# the end\n"


ADDS: dict[str, tuple[Callable[[PlanDocument], Any], Callable[[dict[str, Any]], Any]]] = {
    "touchpoint": (lambda d: d.add_touchpoint("aims", {"kind": "meeting", "title": "New"}),
                   lambda p: p["stage"][0]["touchpoint"][-1]),
    "record": (lambda d: d.add_record("aims", 1, {"session": 1, "held": False}),
               lambda p: p["stage"][0]["touchpoint"][1]["record"][-1]),
    "second record": (lambda d: d.add_record("aims", 0, {"session": 2, "held": True}),
                      lambda p: p["stage"][0]["touchpoint"][0]["record"][-1]),
    "copy of a touchpoint": (lambda d: d.duplicate_touchpoint("aims", 1),
                             lambda p: p["stage"][0]["touchpoint"][2]),
    "person": (lambda d: d.add_person({"id": "bo", "name": "Bo"}),
               lambda p: p["person"][-1]),
    "meeting": (lambda d: d.add_meeting({"id": "team", "title": "Team"}),
                lambda p: p["meeting"][-1]),
    "log entry": (lambda d: d.add_entry("log", {"date": "2027-02-01", "text": "Met"}),
                  lambda p: p["log"][-1]),
    "touchpoint (any table)": (
        lambda d: d.add_item(("stage", "touchpoint"), (0, None), {"kind": "survey"}),
        lambda p: p["stage"][0]["touchpoint"][-1]),
    "record (any table)": (
        lambda d: d.add_item(("stage", "touchpoint", "record"), (0, 0, None),
                             {"session": 2}),
        lambda p: p["stage"][0]["touchpoint"][0]["record"][-1]),
}


def _lines_outside(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines of ``before`` missing from ``after`` and the lines ``after`` added."""
    old, new = before.splitlines(), after.splitlines()
    return [x for x in old if x not in new], [x for x in new if x not in old]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("add", list(ADDS))
def test_an_add_writes_the_entry_in_its_arrays_style(style: str, add: str) -> None:
    text = plan(style)
    before = tomllib.loads(text)
    doc = PlanDocument(text)
    change, new_entry = ADDS[add]
    change(doc)
    after_text = doc.text()
    after = tomllib.loads(after_text)
    added = new_entry(after)
    assert added not in ([new_entry(before)] if add.endswith("(any table)") else [])
    removed, new_lines = _lines_outside(text, after_text)
    if style == "headers":
        assert after_text.count("[[") == text.count("[[") + 1, after_text
        assert " = [{" not in after_text and " = [\n" not in after_text
        assert not removed  # every line the person wrote is still there
    elif style == "one line":
        # the one line that holds the array is the only line that changed
        assert after_text.count("[[") == text.count("[["), after_text
        assert len(removed) == len(new_lines) == 1, (removed, new_lines)
        assert removed[0].split("=")[0] == new_lines[0].split("=")[0]
        assert new_lines[0].rstrip().endswith("]") and "{ " in new_lines[-1]
    else:
        # one line added, in the array's own style (or the one line of a record
        # added to an entry that had none); every other line as it was
        assert after_text.count("[[") == text.count("[["), after_text
        if add == "record":
            assert len(removed) == len(new_lines) == 1
            assert new_lines[0].rstrip().endswith("}] },"), new_lines
        else:
            assert not removed, removed
            assert len(new_lines) == 1, new_lines
            line = new_lines[0]
            lines = after_text.splitlines()
            above = lines[lines.index(line) - 1]  # the entry it follows, as written
            indent = len(above) - len(above.lstrip())
            assert above.lstrip().startswith("{ ") and indent >= 4
            assert line.startswith(" " * indent + "{ ") and line[indent] == "{"
            assert line.rstrip().endswith("},"), line
    for key in ("name", "kind", "session", "id", "title", "text"):
        if key in added:
            break
    else:
        pytest.fail(f"nothing recognisable added: {added}")


@pytest.mark.parametrize("style", ("one line", "one a line"))
def test_inline_entries_keep_the_spaces_inside_their_braces(style: str) -> None:
    tight = plan(style).replace("{ ", "{").replace(" }", "}")
    doc = PlanDocument(tight)
    doc.add_person({"id": "bo", "name": "Bo"})
    text = doc.text()
    assert '{id = "bo", name = "Bo"}' in text
    assert '{ id' not in text
