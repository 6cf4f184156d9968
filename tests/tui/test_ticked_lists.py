"""A list of choices written back from a form (``forms._ticked``): what is ticked, as the
person spelled it, once each, in the week's order where the file kept to it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coplan.model import Project
from coplan.schema import schema_of
from coplan.tui.forms import _ticked, standing_for
from coplan.vocab import WEEKDAY_NAMES, WEEKDAYS

SAME = standing_for(schema_of(Project).key("working_days").kind)  # type: ignore[union-attr]


@st.composite
def a_week(draw: st.DrawFn) -> tuple[list[str], list[str], bool]:
    """(the file's days, as spelled, the days ticked in the form's order, in week order?)"""
    days = sorted(draw(st.sets(st.integers(0, 6))))
    spelled = [draw(st.sampled_from([WEEKDAYS[d], WEEKDAY_NAMES[d]])) for d in days]
    ordered = draw(st.booleans())
    if not ordered:
        spelled = draw(st.permutations(spelled))
    ticked = sorted(draw(st.sets(st.integers(0, 6))))
    return spelled, [WEEKDAYS[d] for d in ticked], ordered


@given(a_week())
def test_what_is_ticked_is_written_once_as_spelled(week: tuple[list[str], list[str], bool]
                                                   ) -> None:
    assert SAME is not None
    before, answer, ordered = week
    shown = [WEEKDAYS[d] for d in range(7) if any(SAME(v) == WEEKDAYS[d] for v in before)]
    out = _ticked(before, answer, shown, SAME, list(WEEKDAYS))
    stands = [SAME(v) for v in out]
    assert sorted(stands) == sorted(answer) and len(set(stands)) == len(stands)
    assert all(v in before for v in out if SAME(v) in {SAME(b) for b in before}), \
        "a day kept is kept as the person wrote it"
    if ordered:
        assert stands == sorted(stands, key=WEEKDAYS.index), "the week's order is kept"
    else:
        kept = [v for v in before if v in out]
        assert [v for v in out if v in kept] == kept, "the person's own order is kept"
