"""The order the workers take the test files in (``tests/longest_first.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from longest_first import LONG_FILES, file_of, longest_first

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Item:
    nodeid: str


def test_every_long_file_named_is_a_test_file() -> None:
    """A file renamed or split must be renamed in the list too, or it is handed out late."""
    missing = [name for name in LONG_FILES if not (ROOT / name).is_file()]
    assert missing == []
    assert len(set(LONG_FILES)) == len(LONG_FILES)


def test_long_files_first_then_the_most_tests_and_every_test_once_in_its_order() -> None:
    ids = ["a.py::one", "b.py::one", "b.py::two", "b.py::three", "c.py::one", "c.py::two",
           "long2.py::one", "long1.py::one", "long1.py::two", "d.py::one", "d.py::two"]
    items = [Item(nodeid) for nodeid in ids]
    order = [ids[index] for index in longest_first(items, ["long1.py", "long2.py"])]
    assert order == ["long1.py::one", "long1.py::two", "long2.py::one",
                     "b.py::one", "b.py::two", "b.py::three",
                     "c.py::one", "c.py::two", "d.py::one", "d.py::two", "a.py::one"]
    assert sorted(order) == sorted(ids)


def test_a_tests_file_is_the_part_of_its_id_before_the_first_colons() -> None:
    assert file_of("tests/tui/test_x.py::test_y[a::b]") == "tests/tui/test_x.py"
