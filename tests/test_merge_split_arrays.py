"""A merge keeps an array of tables written apart where each part was written.

People write ``[[stage]]`` entries, then ``[project]``, then more stages, or a stage's
touchpoints with its decisions between them (``test_split_arrays``).  The merge of two
people's edits read the plan with plain tomlkit, which gathers every entry of such an
array into its first place: a merge that went through a whole document (the field merge,
a merged plan checked and taken back in part, a clash settled) moved the later entries up
under the first, lines neither person touched.  Hypothesis writes such plans, two people
change values in different entries (or the same one), and the merge may change only the
lines they changed.
"""

from __future__ import annotations

import difflib
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coplan.merge import merge, merge_fields, resolve
from test_split_arrays import plans

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _lines(text: str) -> list[str]:
    """Every line whose value a person may change in an entry known by its id: a stage's
    or touchpoint's title, a person's name, a meeting's title (a log entry is known by
    what it says: changed, it is another entry)."""
    return [row for row in text.splitlines()
            if re.fullmatch(r'\s*(title|name) = "(Stage|Touch|Person|Meeting) [0-9.]+"', row)]


def _changed(text: str, row: str, value: str) -> str:
    assert text.count(row + "\n") == 1
    return text.replace(row + "\n", row.split("=")[0] + f'= "{value}"\n')


def _only_changed(base: str, merged: str, rows: dict[str, str]) -> None:
    """``merged`` is ``base`` with each of ``rows`` (a line -> its new value) changed, and
    no other line changed, added, removed or moved."""
    expected = base
    for row, value in rows.items():
        expected = _changed(expected, row, value)
    diff = "".join(difflib.unified_diff(expected.splitlines(True), merged.splitlines(True)))
    assert merged == expected, diff


@st.composite
def two_edits(draw: st.DrawFn) -> tuple[str, str, str]:
    """A plan written apart, and two lines of it (different ones)."""
    text, _counts = draw(plans())
    rows = _lines(text)
    mine = draw(st.sampled_from(rows), label="mine")
    theirs = draw(st.sampled_from([r for r in rows if r != mine]), label="theirs")
    return text, mine, theirs


@SETTINGS
@given(two_edits())
def test_a_merge_of_edits_to_a_plan_written_apart_changes_only_their_lines(
        edits: tuple[str, str, str]) -> None:
    base, my_row, their_row = edits
    mine = _changed(base, my_row, "Mine")
    theirs = _changed(base, their_row, "Theirs")
    wanted = {my_row: "Mine", their_row: "Theirs"}
    _only_changed(base, merge(base, mine, theirs).text, wanted)
    # the field merge over the whole document (a merge's way when sections cannot be
    # told apart, and within a section both changed)
    _only_changed(base, merge_fields(base, mine, theirs).text, wanted)
    # a merged plan that does not work is taken back in part: mine out, theirs kept
    def check(text: str) -> list[str]:
        return ["both"] if '"Mine"' in text and '"Theirs"' in text else []

    checked = merge(base, mine, theirs, check=check)
    assert checked.conflicts
    _only_changed(base, checked.text, {their_row: "Theirs"})
    # ... and kept, when the person says theirs is to be taken back
    [conflict] = checked.conflicts
    settled = resolve(base, mine, theirs, {conflict.path: "theirs"}, check=check)
    _only_changed(base, settled.text, {their_row: "Theirs"})


@SETTINGS
@given(two_edits())
def test_a_clash_settled_in_a_plan_written_apart_changes_only_its_lines(
        edits: tuple[str, str, str]) -> None:
    base, row, other = edits
    mine = _changed(base, row, "Mine")
    theirs = _changed(_changed(base, row, "Theirs"), other, "Also theirs")
    first = merge(base, mine, theirs)
    [conflict] = first.conflicts
    for choice, value in (("mine", "Mine"), ("theirs", "Theirs"),
                          (("value", "Both"), "Both")):
        settled = resolve(base, mine, theirs, {conflict.path: choice})
        assert settled.clean
        _only_changed(base, settled.text, {row: value, other: "Also theirs"})


def test_the_field_merge_of_stages_written_apart_leaves_them_apart() -> None:
    """The case found: a stage below ``[project]`` was moved up under the first."""
    base = ('[[stage]]\nid = "s0"\ntitle = "Stage 0"\n\n[project]\nname = "Apart"\n\n'
            '[[stage]]\nid = "s1"\ntitle = "Stage 1"\n')
    mine = base.replace("Stage 0", "Mine")
    theirs = base.replace("Stage 1", "Theirs")
    assert merge_fields(base, mine, theirs).text == \
        base.replace("Stage 0", "Mine").replace("Stage 1", "Theirs")
