"""Small, readable edits to the good plan's text, and finders for the line a finding names.

The review tests start from ``data/good-plan.toml`` (a frozen copy of the MINDS example,
which passes every rule) and break one rule at a time with a textual edit: drop a line,
replace a value, cut a block.  A *finder* names a line by its content (``at('who = ')``
after ``id = "x"``), so the tests say where a finding must point without hard-coding line
numbers that would shift with every edit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

from coplan.model import Plan
from coplan.planfile import parse_plan
from coplan.plugins import all_rules
from coplan.review import Report, review

DATA = Path(__file__).parent / "data"
REGISTRY = all_rules()
"""The rules the review tests run: what the plugin hook gives (coplan's own, since the
tests load no other plugin)."""
GOOD_PLAN = DATA / "good-plan.toml"
PLAN_NAME = "plan.toml"  # the file name findings carry in these tests

Finder = Callable[[str], int]  # text -> 1-based line number
Edit = Callable[[str], str]  # text -> text


@cache
def good_text() -> str:
    return GOOD_PLAN.read_text(encoding="utf-8")


def parse(text: str, name: str = PLAN_NAME) -> Plan:
    return parse_plan(text, name, path=Path(name))


@cache
def good_report() -> Report:
    return review(parse(good_text()), registry=REGISTRY, today=date(2027, 9, 1))


def edited(*edits: Edit, text: str | None = None) -> str:
    out = good_text() if text is None else text
    for edit in edits:
        out = edit(out)
    return out


# -- finders -------------------------------------------------------------------------------

def _find(lines: list[str], marker: str, start: int = 0) -> int:
    """Index of the first line from ``start`` that contains ``marker``."""
    for i in range(start, len(lines)):
        if marker in lines[i]:
            return i
    raise AssertionError(f"no line contains {marker!r} (from line {start + 1})")


def at(marker: str, after: str | None = None, plus: int = 0) -> Finder:
    """The first line containing ``marker`` (strictly after the first line containing
    ``after``, when given), moved ``plus`` lines."""

    def find(text: str) -> int:
        lines = text.splitlines()
        start = _find(lines, after) + 1 if after is not None else 0
        return _find(lines, marker, start) + 1 + plus

    return find


def head(header: str, anchor: str) -> Finder:
    """The last line containing ``header`` at or before the line containing ``anchor``:
    the ``[[stage.touchpoint]]`` that opens the touchpoint with ``id = "x"``, say."""

    def find(text: str) -> int:
        lines = text.splitlines()
        end = _find(lines, anchor)
        for i in range(end, -1, -1):
            if header in lines[i]:
                return i + 1
        raise AssertionError(f"no {header!r} before {anchor!r}")

    return find


def tp(tid: str) -> Finder:
    """The ``[[stage.touchpoint]]`` line of touchpoint ``tid``."""
    return head("[[stage.touchpoint]]", f'id = "{tid}"')


def stage(sid: str) -> Finder:
    return head("[[stage]]", f'id = "{sid}"')


def person(pid: str) -> Finder:
    return head("[[person]]", f'id = "{pid}"')


def meeting(mid: str) -> Finder:
    return head("[[meeting]]", f'id = "{mid}"')


def table(name: str, plus: int = 0) -> Finder:
    """A ``[name]`` table header, alone on its line (moved ``plus`` lines)."""

    def find(text: str) -> int:
        for i, line in enumerate(text.splitlines()):
            if line.strip() == f"[{name}]":
                return i + 1 + plus
        raise AssertionError(f"no [{name}] table")

    return find


def key(name: str, after: str | None = None) -> Finder:
    """The line where ``name = ...`` is set (indented or not)."""

    def find(text: str) -> int:
        lines = text.splitlines()
        start = _find(lines, after) + 1 if after is not None else 0
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
        for i in range(start, len(lines)):
            if pattern.match(lines[i]):
                return i + 1
        raise AssertionError(f"no key {name!r}" + (f" after {after!r}" if after else ""))

    return find


# -- edits ---------------------------------------------------------------------------------

def sub(old: str, new: str, after: str | None = None) -> Edit:
    """Replace the first ``old`` on a line (after the line containing ``after``)."""

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        i = at(old, after)(text) - 1
        lines[i] = lines[i].replace(old, new, 1)
        return "".join(lines)

    return edit


def sub_all(pattern: str, repl: str) -> Edit:
    """Replace every match of the regular expression (line by line, ``^``/``$`` per line)."""

    def edit(text: str) -> str:
        out, count = re.subn(pattern, repl, text, flags=re.MULTILINE)
        assert count, f"nothing matches {pattern!r}"
        return out

    return edit


def drop(where: Finder | str, after: str | None = None) -> Edit:
    """Remove one line: a finder, or the first line containing a marker."""
    finder = at(where, after) if isinstance(where, str) else where

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        del lines[finder(text) - 1]
        return "".join(lines)

    return edit


def cut(first: Finder, last: Finder) -> Edit:
    """Remove the lines from ``first`` to ``last``, both included."""

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        a, b = first(text), last(text)
        assert a <= b, f"cut from line {a} to line {b}"
        del lines[a - 1:b]
        return "".join(lines)

    return edit


def insert(where: Finder, new: str) -> Edit:
    """Insert ``new`` (one or more lines) after the line ``where``."""

    def edit(text: str) -> str:
        lines = text.splitlines(keepends=True)
        i = where(text)
        lines[i:i] = [line + "\n" for line in new.splitlines()]
        return "".join(lines)

    return edit


def append(new: str) -> Edit:
    return lambda text: text.rstrip("\n") + "\n\n" + new.strip("\n") + "\n"
