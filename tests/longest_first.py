"""The order pytest-xdist hands test files to its workers: the longest first.

``make test`` runs ``--dist loadfile``: each file goes whole to one worker, taken from a
queue.  pytest-xdist orders that queue by how many tests a file has, most first, so the files
with one or two long tests (the axe checks, Chromium for every page; the hypothesis runs of
the merge; tmux) were handed out last, and the run ended with one worker alone on one of
them while the other waited.  Started first, a long file runs beside the many short ones,
and the run ends on short files on both workers (the longest-processing-time-first rule).

``LONG_FILES`` names the files that take longest on one worker, longest first (the seconds
beside them are estimates: their order is what counts).  Every other file follows in
pytest-xdist's own order.  A file missing from the list is only
handed out later, never left out; ``tests/test_longest_first.py`` checks that each name
still names a file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Protocol

# (path from the repository root, longest first.  tests/tui: one --junitxml run of the folder
# with -n 2 under a load of 5 to 17, divided by 7, about the ratio to the times CI gave;
# the others: the times CI and the last round's measures gave)
LONG_FILES: tuple[str, ...] = (
    "tests/tui/test_tui_fix_every_finding.py",  # 290 s: an app for each of 138 rule cases
    "tests/tui/test_tui_journeys.py",  # 67 s
    "tests/reports/test_reports_axe.py",  # 64 to 85 s: Chromium, 17 pages
    "tests/tui/test_tui_keys.py",  # 50 s: every key on three tabs
    "tests/tui/test_tui_protected.py",  # 48 s
    "tests/protocol/test_protocol_formats.py",  # LibreOffice, 15 starts
    "tests/tui/test_tui_delivery_forms.py",  # 42 s
    "tests/protocol/test_axe.py",  # 26 to 64 s
    "tests/test_first_hour.py",  # pipx, uv and wheel installs
    "tests/together/test_apps_together.py",  # five apps together, 32 s
    "tests/tui/test_tui_markup_text.py",  # markup everywhere, 32 s
    "tests/tui/test_tui_export.py",  # 30 s
    "tests/tui/test_read_again_references.py",  # 29 s, 3 tests
    "tests/together/test_merge_properties.py",  # 27 s of hypothesis
    "tests/tui/test_tui_editing.py",  # 26 s
    "tests/test_tj3_agreement.py",  # tj3 hypothesis, 25 s
    "tests/plugins/test_precommit.py",  # pre-commit builds coplan's environment once
    "tests/tui/test_exact_edits.py",  # 23 s
    "tests/tui/test_tui_timeline.py",  # 21 s
    "tests/test_quick_exit.py",  # a process per case
    "tests/tui/test_tui_forms.py",  # 14 s
    "tests/tui/test_tui_exact_edits.py",  # 10 s
    "tests/tui/test_tui_refused_save.py",  # 10 s, 4 tests
)


class _Item(Protocol):
    nodeid: str


def file_of(nodeid: str) -> str:
    """The test file a test's id names (``tests/x.py::test_y[1]`` -> ``tests/x.py``)."""
    return nodeid.split("::", 1)[0]


def longest_first(items: Sequence[_Item], long_files: Sequence[str] = LONG_FILES) -> list[int]:
    """The order to run ``items`` in (their indexes): the files of ``long_files`` first, in
    its order, then the others with the most tests first (pytest-xdist's own order); the
    tests of a file stay together and in their order."""
    counts = Counter(file_of(item.nodeid) for item in items)
    rank = {name: place for place, name in enumerate(long_files)}

    def key(index: int) -> tuple[int, int]:
        name = file_of(items[index].nodeid)
        if name in rank:
            return (0, rank[name])
        return (1, -counts[name])

    # (sorted is stable: equal keys, such as two files of the same size, keep pytest's order)
    return sorted(range(len(items)), key=key)
