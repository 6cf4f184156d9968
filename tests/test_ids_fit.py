"""Every id coplan derives from another fits the plan's limit (``LONGEST_ID``): a copy
("-copy"), a number to tell it apart ("-2"), a touchpoint's id from its title, a new id
in a merge, an id of the copy for others.  Each is cut where a word of the id ends, so
the plan never refuses an id coplan made itself."""

from __future__ import annotations

import contextlib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.edit import EditError, PlanDocument
from coplan.merge import _fresh_id
from coplan.planfile import parse_plan
from coplan.schema import ID_PATTERN, LONGEST_ID, cut_at_word, fitted_id, unused_id
from coplan.tui.forms import unique_id

WORD = st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True)
IDS = st.lists(WORD, min_size=1, max_size=12).map("-".join).map(lambda s: s[:LONGEST_ID]) \
    .map(lambda s: s.rstrip("-")).filter(bool)
TAILS = st.sampled_from(["", "-copy", "-2", "-17", "-copy-3", "-1"])


@given(stem=IDS, tail=TAILS)
def test_a_derived_id_fits_and_is_cut_where_a_word_ends(stem: str, tail: str) -> None:
    made = fitted_id(stem, tail)
    assert len(made) <= LONGEST_ID
    assert ID_PATTERN.match(made), made
    assert made.endswith(tail)
    kept = made[:len(made) - len(tail)]
    assert stem.startswith(kept) and kept
    if len(stem) + len(tail) <= LONGEST_ID:
        assert made == stem + tail
    else:  # cut as any made id is cut (at a word's end, unless that keeps too little)
        assert kept == cut_at_word(stem, LONGEST_ID - len(tail)).rstrip("-_.")


@given(stem=IDS, tail=TAILS, others=st.integers(0, 30))
def test_an_unused_id_is_new_and_fits(stem: str, tail: str, others: int) -> None:
    taken = {fitted_id(stem, tail)} | {fitted_id(stem, f"{tail}-{n}")
                                       for n in range(2, others + 2)}
    made = unused_id(stem, taken, tail)
    assert made not in taken and len(made) <= LONGEST_ID and ID_PATTERN.match(made)
    made = unique_id(stem, taken)
    assert made not in taken and len(made) <= LONGEST_ID
    made = _fresh_id(stem, taken)
    assert made not in taken and len(made) <= LONGEST_ID


def _plan(stage_id: str, tp_id: str) -> str:
    return f'''[project]
title = "T"
start = 2027-01-11

[[person]]
id = "sam"
name = "Sam"
kind = "lived-experience"

[[stage]]
id = "{stage_id}"
title = "S"
duration = "2w"

  [[stage.touchpoint]]
  id = "{tp_id}"
  title = "Drop-in"
  who = ["sam"]
  when = "start"
'''


def _ids(text: str) -> tuple[list[str], list[str]]:
    """The stages' ids and the touchpoints' (each unique among its kind)."""
    plan = parse_plan(text)  # (refuses an id over the limit)
    return [s.id for s in plan.stages], [t.id for s in plan.stages for t in s.touchpoints]


@settings(max_examples=15, deadline=None)
@given(stage_id=IDS, tp_id=IDS, copies=st.integers(1, 3))
def test_copies_of_long_stages_and_touchpoints_are_ids_the_plan_takes(
        stage_id: str, tp_id: str, copies: int) -> None:
    if stage_id == tp_id:
        tp_id = fitted_id(tp_id, "-x")
    doc = PlanDocument(_plan(stage_id, tp_id))
    for _ in range(copies):
        doc.duplicate_stage(stage_id)
        doc.duplicate_touchpoint(stage_id, 0)
    for ids in _ids(doc.text()):
        assert all(len(i) <= LONGEST_ID for i in ids)
        assert len(set(ids)) == len(ids)


def test_a_copy_of_an_id_of_the_longest_keeps_whole_words() -> None:
    longest = "redesigning-the-peer-support-offer-together-with-people-who-use-it"[:64]
    longest = longest.rstrip("-")
    doc = PlanDocument(_plan(longest, "drop-in"))
    assert len(longest) == 63
    assert doc.duplicate_stage(longest) == \
        "redesigning-the-peer-support-offer-together-with-people-who-copy"  # (64)
    assert doc.duplicate_stage(longest) == \
        "redesigning-the-peer-support-offer-together-with-people-copy-2"
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in _ids(doc.text())[0])


# -- ids a touchpoint makes from its stage's ({stage}-{n}), written down --------------------

LETTERS = st.from_regex(r"[a-z]{1,12}", fullmatch=True)
LONG_IDS = st.lists(LETTERS, min_size=4, max_size=12).map("-".join) \
    .map(lambda s: s[:LONGEST_ID].rstrip("-")).filter(lambda s: len(s) >= 55)


def _made_plan(stage_id: str, own: list[bool], paid_for: int) -> str:
    """A stage whose touchpoints write their own id or not (``own``), and a payment for
    touchpoint ``paid_for`` (named by the id it makes, where it writes none)."""
    text = _plan(stage_id, "drop-in").split("  [[stage.touchpoint]]")[0]
    for i, has in enumerate(own):
        text += "  [[stage.touchpoint]]\n" + (f'  id = "own-{i}"\n' if has else "") + \
            f'  title = "Touch {i}"\n  who = ["sam"]\n  when = "start"\n\n'
    named = f"own-{paid_for}" if own[paid_for] else f"{stage_id}-{paid_for + 1}"
    return text + f'[[paid]]\nwho = "sam"\nfor = "{named}"\nsession = 1\n' \
        'paid = 2027-01-20\namount = 25.0\n'


def _paid_title(text: str) -> str:
    plan = parse_plan(text)
    named = plan.paid[0].for_activity
    return next(t.title for s in plan.stages for t in s.touchpoints if t.id == named)


EDITS_OF_IDS = st.sampled_from(["copy touchpoint", "copy stage", "rename stage",
                                "make touchpoint's id", "remove touchpoint"])


@settings(max_examples=40, deadline=None)
@given(stage_id=LONG_IDS, other=LONG_IDS, own=st.lists(st.booleans(), min_size=1, max_size=4),
       data=st.data())
def test_ids_written_for_touchpoints_of_long_stages_fit_and_are_unused(
        stage_id: str, other: str, own: list[bool], data: st.DataObject) -> None:
    """Copying or renaming writes down the ids touchpoints make from their stage's
    (``{stage}-{n}``) when their numbers or their stage's id change: each written fits
    (a stage id of 63 or 64 characters and ``-2`` does not), is unused, and what named
    the touchpoint names it still."""
    paid_for = data.draw(st.integers(0, len(own) - 1), label="paid for")
    text = _made_plan(stage_id, own, paid_for)
    title = _paid_title(text)
    doc = PlanDocument(text)
    stages = [stage_id]
    for edit in data.draw(st.lists(EDITS_OF_IDS, min_size=1, max_size=3), label="edits"):
        sid = data.draw(st.sampled_from(stages), label="stage")
        count = len(doc.stage(sid).get("touchpoint", []))
        if edit == "copy touchpoint" and count:
            doc.duplicate_touchpoint(sid, data.draw(st.integers(0, count - 1), label="tp"))
        elif edit == "copy stage":
            stages.append(doc.duplicate_stage(sid))
        elif edit == "rename stage" and other not in stages:
            doc.rename_stage(sid, other)
            stages[stages.index(sid)] = other
        elif edit == "make touchpoint's id" and count:
            tp = doc.stage(sid)["touchpoint"][data.draw(st.integers(0, count - 1), label="tp")]
            with contextlib.suppress(EditError):  # (refused where another has that id)
                doc.rename(("stage", "touchpoint"), tp, "")
        elif edit == "remove touchpoint" and count:
            with contextlib.suppress(EditError):  # (not the one the payment names)
                doc.remove_touchpoint(sid, data.draw(st.integers(0, count - 1), label="tp"))
        after = doc.text()
        written = re.findall(r'^\s*(?:id|for) = "([^"]*)"', after, re.MULTILINE)
        before = re.findall(r'^\s*(?:id|for) = "([^"]*)"', text, re.MULTILINE)
        assert all(len(i) <= LONGEST_ID for i in written if i not in before), written
        stage_ids, tp_ids = _ids(after)  # (the loader refuses an id over the limit)
        assert len(set(tp_ids)) == len(tp_ids) and len(set(stage_ids)) == len(stage_ids)
        assert _paid_title(after) == title  # the payment still names the same session


def test_copying_a_touchpoint_of_a_stage_of_63_characters_writes_ids_that_fit() -> None:
    """The case found: the touchpoints after the copy keep their ids by writing them
    down, and ``{stage}-2`` is 65 characters."""
    longest = "redesigning-the-peer-support-offer-together-with-people-who-use-it"[:63]
    text = _made_plan(longest, [False, False], 1)
    doc = PlanDocument(text)
    doc.duplicate_touchpoint(longest, 0)
    after = doc.text()
    tp_ids = _ids(after)[1]
    cut = "redesigning-the-peer-support-offer-together-with-people-who"
    assert tp_ids == [f"{longest}-1", f"{cut}-copy", f"{cut}-2"]
    assert f'for = "{tp_ids[2]}"' in after


def test_removing_a_touchpoint_leaves_the_ones_after_it_named_as_they_were() -> None:
    """The touchpoints after one removed make their ids from their number, which moves:
    they write down the ids they had, so the payments that name them name the same
    sessions (the one for 'Touch 2' had come to name nothing, the one for 'Touch 1'
    'Touch 2')."""
    text = _made_plan("aims", [False, False, False], 1)
    text += '\n[[paid]]\nwho = "sam"\nfor = "aims-3"\nsession = 1\npaid = 2027-01-20\n' \
        'amount = 25.0\n'
    plan = parse_plan(text)
    titles = {t.id: t.title for t in plan.stages[0].touchpoints}
    paid_for = [titles[p.for_activity] for p in plan.paid]
    doc = PlanDocument(text)
    doc.remove_touchpoint("aims", 0)
    after = parse_plan(doc.text())
    titles = {t.id: t.title for t in after.stages[0].touchpoints}
    assert [titles[p.for_activity] for p in after.paid] == paid_for == ["Touch 1", "Touch 2"]
    assert list(titles) == ["aims-2", "aims-3"]


def test_an_id_written_down_is_seen_by_the_next_edit() -> None:
    """Found by the property above: a copy of a stage wrote down its touchpoint's id
    ``…-aa-1`` (``tomldoc.set_first``), and making the original's id next gave it the
    same, as the quick reading of a table's keys (``edit._plain_get``) did not see it."""
    stage_id = "a-aa-aaaaaaaaaaaa-aaaaaaaaaaaa-aaaaaaaaaaaa-aaaa-a-a-a-a-aa-aaa"
    doc = PlanDocument(_made_plan(stage_id, [False], 0))
    doc.duplicate_touchpoint(stage_id, 0)
    doc.duplicate_stage(stage_id)
    doc.rename(("stage", "touchpoint"), doc.stage(stage_id)["touchpoint"][0], "")
    tp_ids = _ids(doc.text())[1]
    assert len(set(tp_ids)) == len(tp_ids) and all(len(i) <= LONGEST_ID for i in tp_ids)
