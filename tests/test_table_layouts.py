"""Every walk over a plan's document sees a table however the file writes it.

TOML lets one table be written in odd but valid ways: ``[review]`` with its
``[[review.accept]]`` entries further down the file (after the stages), the entries
themselves in two runs, the table as dotted keys (``review.min_voices = 3``) with its
entries under headers, or all of it inline (``review = { accept = [{ ... }] }``).
tomlkit reads a table written in several parts through a proxy whose array changes reach
no part of the file; each change here goes to the part that holds what it changes
(``tomldoc.table_parts``).  Hypothesis writes the same plan in each layout and checks
that removing, adding and renaming do to the values exactly what they do to the plainly
written plan, and that the file still reads.
"""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coplan.edit import PlanDocument
from coplan.merge import _identity, _remove_item

HEAD = '''[project]
name = "Layouts"
start = 2027-01-04
'''

STAGES = '''
[[stage]]
id = "aims"
title = "Aims"
duration = "1w"

[[stage]]
id = "plan"
title = "Plan"
duration = "1w"
after = ["aims"]
'''

LAYOUTS = ("headers", "split", "runs", "dotted", "inline")


def _entry(n: int) -> dict[str, str]:
    return {"rule": f"CP-DEL-00{n % 9 + 1}", "stage": ("aims", "plan")[n % 2],
            "reason": f"reason {n}"}


def _header_entry(entry: dict[str, str]) -> str:
    return "\n[[review.accept]]\n" + "".join(f'{k} = "{v}"\n' for k, v in entry.items())


def _inline_entry(entry: dict[str, str]) -> str:
    return "{ " + ", ".join(f'{k} = "{v}"' for k, v in entry.items()) + " }"


def plan_text(layout: str, accepted: list[dict[str, str]], cut: int) -> str:
    """The plan with ``[review]`` (min_voices = 3 and the accepted entries) written in
    ``layout``; ``cut`` entries come before the stages where the layout splits them."""
    if layout == "headers":
        return HEAD + "\n[review]\nmin_voices = 3\n" + \
            "".join(map(_header_entry, accepted)) + STAGES
    if layout == "split":
        return HEAD + "\n[review]\nmin_voices = 3\n" + STAGES + \
            "".join(map(_header_entry, accepted))
    if layout == "runs":
        return HEAD + "\n[review]\nmin_voices = 3\n" + \
            "".join(map(_header_entry, accepted[:cut])) + STAGES + \
            "".join(map(_header_entry, accepted[cut:]))
    if layout == "dotted":
        return HEAD.replace("[project]\n", "review.min_voices = 3\n\n[project]\n") + \
            STAGES + "".join(map(_header_entry, accepted))
    assert layout == "inline"
    inline = "[" + ", ".join(map(_inline_entry, accepted)) + "]"
    return HEAD.replace("[project]\n",
                        f"review = {{ min_voices = 3, accept = {inline} }}\n\n[project]\n") \
        + STAGES


def _accepted(text: str) -> list[dict[str, Any]]:
    return list(tomllib.loads(text).get("review", {}).get("accept", []))


cases = st.tuples(st.sampled_from(LAYOUTS),
                  st.lists(st.integers(0, 20), min_size=1, max_size=5),
                  st.integers(0, 5))
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_reads_as_the_same_plan(layout: str) -> None:
    accepted = [_entry(n) for n in range(3)]
    plain = tomllib.loads(plan_text("headers", accepted, 0))
    assert tomllib.loads(plan_text(layout, accepted, 1)) == plain


@SETTINGS
@given(cases, st.data())
def test_removing_an_entry_removes_that_entry_whatever_the_layout(
        case: tuple[str, list[int], int], data: st.DataObject) -> None:
    layout, numbers, cut = case
    accepted = [_entry(n) for n in numbers]
    index = data.draw(st.integers(0, len(accepted) - 1))
    doc = PlanDocument(plan_text(layout, accepted, cut))
    doc.remove_entry("review.accept", index)
    text = doc.text()
    assert _accepted(text) == accepted[:index] + accepted[index + 1:]
    assert tomllib.loads(text)["review"]["min_voices"] == 3
    assert [s["id"] for s in tomllib.loads(text)["stage"]] == ["aims", "plan"]


@SETTINGS
@given(cases)
def test_removing_every_entry_one_by_one_leaves_none(case: tuple[str, list[int], int]
                                                     ) -> None:
    layout, numbers, cut = case
    accepted = [_entry(n) for n in numbers]
    doc = PlanDocument(plan_text(layout, accepted, cut))
    for left in range(len(accepted), 0, -1):
        doc.remove_entry("review.accept", left - 1)
        assert _accepted(doc.text()) == accepted[:left - 1]


@SETTINGS
@given(cases)
def test_adding_an_entry_adds_it_last_whatever_the_layout(case: tuple[str, list[int], int]
                                                          ) -> None:
    layout, numbers, cut = case
    accepted = [_entry(n) for n in numbers]
    doc = PlanDocument(plan_text(layout, accepted, cut))
    new = {"rule": "CP-INC-001", "stage": "plan", "reason": "agreed"}
    doc.add_item(("review", "accept"), (None, None), new, inline=layout == "inline")
    assert _accepted(doc.text()) == [*accepted, new]


@SETTINGS
@given(cases)
def test_a_rename_reaches_every_entry_whatever_the_layout(case: tuple[str, list[int], int]
                                                          ) -> None:
    layout, numbers, cut = case
    accepted = [_entry(n) for n in numbers]
    doc = PlanDocument(plan_text(layout, accepted, cut))
    doc.rename_stage("aims", "goals")
    assert _accepted(doc.text()) == [
        {**e, "stage": "goals" if e["stage"] == "aims" else e["stage"]} for e in accepted]


@SETTINGS
@given(cases, st.data())
def test_a_merge_taking_an_entry_back_takes_that_entry(
        case: tuple[str, list[int], int], data: st.DataObject) -> None:
    """merge's own walk (``_remove_item``) goes through the same helpers."""
    layout, numbers, cut = case
    accepted = [_entry(n) for n in numbers]
    index = data.draw(st.integers(0, len(accepted) - 1))
    doc = PlanDocument(plan_text(layout, accepted, cut))
    _remove_item(doc.doc, ("review", "accept", _identity("accept", accepted[index], index, ())))
    first = accepted.index(accepted[index])  # (the same entry twice: the first goes)
    assert _accepted(doc.doc.as_string()) == accepted[:first] + accepted[first + 1:]


def test_a_touchpoint_written_inline_can_be_removed() -> None:
    text = HEAD + STAGES.replace('after = ["aims"]\n', 'after = ["aims"]\ntouchpoint = ['
                                 '{ title = "Talk", format = "workshop" }, '
                                 '{ title = "Walk", format = "workshop" }]\n')
    doc = PlanDocument(text)
    doc.remove_touchpoint("plan", 0)
    assert [t["title"] for t in tomllib.loads(doc.text())["stage"][1]["touchpoint"]] == \
        ["Walk"]
