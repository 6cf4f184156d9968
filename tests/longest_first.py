"""The order pytest-xdist hands test files to its workers: the longest first.

``make test`` runs ``--dist loadfile``: each file goes whole to one worker, taken from a
queue.  pytest-xdist orders that queue by how many tests a file has, most first, so the files
with one or two long tests (the axe checks, Chromium for every page; the hypothesis runs of
the merge; tmux) were handed out last, and the run ended with one worker alone on one of
them while the other waited.  Started first, a long file runs beside the many short ones,
and the run ends on short files on both workers (the longest-processing-time-first rule).

``LONG_FILES`` names the files that take longest on one worker, longest first (seconds of
one worker on the shared 2-core machine under load; relative sizes are what count).  Every
other file follows in pytest-xdist's own order.  A file missing from the list is only
handed out later, never left out; ``tests/test_longest_first.py`` checks that each name
still names a file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Protocol

# (path from the repository root, longest first; the figures are noted beside them)
LONG_FILES: tuple[str, ...] = (
    "tests/reports/test_reports_axe.py",  # 64 to 85 s: Chromium, 17 pages
    "tests/protocol/test_protocol_formats.py",  # LibreOffice, 15 starts
    "tests/protocol/test_axe.py",  # 26 to 64 s
    "tests/plugins/test_precommit.py",  # pre-commit builds coplan's environment once
    "tests/together/test_merge_properties.py",  # 27 s of hypothesis
    "tests/together/test_apps_together.py",  # five apps together, 32 s
    "tests/test_tj3_agreement.py",  # tj3 hypothesis, 25 s
    "tests/test_quick_exit.py",  # a process per case
    "tests/test_first_hour.py",  # pipx, uv and wheel installs
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
