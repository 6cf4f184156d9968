"""The text report wraps each rule's fix once for each width (``report_plain._wrapped_fix``):
every finding gets the lines wrapping its own fix would give, whatever came before it."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from coplan import plaintext as pt
from coplan.review.engine import Finding, Severity, Subject
from coplan.review.report_plain import _wrapped_fix, finding_lines
from test_loader_fuzz import FUZZ

_WORDS = st.lists(st.sampled_from(["Say", "how", "people", "hear", "back", "in",
                                   "'Feedback'", "(Touchpoint)", "—", "a-very-long-word-"
                                   "that-does-not-fit-anywhere-at-all", " ", "  ", "é", "\t",
                                   "界", "\u200b"]), max_size=30).map(" ".join)


@FUZZ
@given(st.lists(st.tuples(_WORDS, _WORDS, st.integers(20, 140)), min_size=1, max_size=6))
def test_each_findings_lines_are_its_own(cases: list[tuple[str, str, int]]) -> None:
    base = Finding("CP-COM-001", Severity.ERROR, "", Subject("touchpoint", "t", "s", 12), "",
                   "plan.toml")
    for message, fix, width in cases * 2:  # (each a second time, from what was kept)
        f = dataclasses.replace(base, message=message, fix=fix)
        got = finding_lines(f, width)
        plain = pt.wrapped_plain(f"fix: {fix}", width - 6)
        if fix:
            assert _wrapped_fix(fix, width - 6) == (None if plain is None else tuple(plain))
        if got is not None and fix:
            assert plain is not None
            assert got[-len(plain):] == ["      " + line for line in plain]
