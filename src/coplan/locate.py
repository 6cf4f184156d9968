"""Find the line of every table, key and array element in a TOML text.

``tomllib`` is fast but forgets where things were.  Messages and review findings must say
"plan.toml:42", so this module scans the text once, line by line, and maps *key paths* to
line numbers: ``("stage", 3, "touchpoint", 0)`` is the first touchpoint of the fourth
stage, ``("stage", 3, "after", 1)`` the second entry of its ``after`` list.  Only values
that open brackets or multi-line strings are scanned character by character, so a large
plan is located in a few milliseconds per thousand lines.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*(.+?)\s*(\]\]?)\s*(?:#.*)?$")
_BARE = re.compile(r"[A-Za-z0-9_-]+")


def split_key(text: str) -> list[str]:
    """``a."b.c".d`` -> ``["a", "b.c", "d"]``."""
    parts: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t.":
            i += 1
            continue
        if ch in "\"'":
            end = text.find(ch, i + 1)
            while ch == '"' and end > 0 and text[end - 1] == "\\":
                end = text.find(ch, end + 1)
            if end < 0:
                end = n
            parts.append(text[i + 1:end])
            i = end + 1
            continue
        match = _BARE.match(text, i)
        if not match:
            break
        parts.append(match.group(0))
        i = match.end()
    return parts


def _key_end(line: str) -> int:
    """Index of the ``=`` that ends the key of a key/value line, or -1."""
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch in "\"'":
            end = line.find(ch, i + 1)
            if end < 0:
                return -1
            i = end + 1
            continue
        if ch == "=":
            return i
        if ch == "#":
            return -1
        i += 1
    return -1


class _ValueScanner:
    """Follows a value across lines, noting where each top-level array element starts."""

    def __init__(self) -> None:
        self.depth = 0
        self.in_string: str | None = None  # the closing quote sequence
        self.expect_element = False
        self.elements: list[int] = []
        self.started = False
        self.outer = ""  # the bracket that opened the value: only lists have elements

    def feed(self, text: str, lineno: int) -> bool:
        """Scan ``text``; return True when the value is complete."""
        i, n = 0, len(text)
        while i < n:
            if self.in_string:
                close = self.in_string
                if close in ('"', '"""') and text[i] == "\\":
                    i += 2
                    continue
                if text.startswith(close, i):
                    # A multi-line string may end with up to two extra quotes: """a""""
                    i += len(close)
                    if len(close) == 3:
                        extra = 0
                        while extra < 2 and text.startswith(close[0], i):
                            i += 1
                            extra += 1
                    self.in_string = None
                    if self.depth == 0:
                        return True
                    continue
                i += 1
                continue
            ch = text[i]
            if ch in " \t\r":
                i += 1
                continue
            if ch == "#":
                break
            if self.expect_element and ch not in ",]":
                self.elements.append(lineno)
                self.expect_element = False
            if ch in "\"'":
                triple = text.startswith(ch * 3, i)
                self.in_string = ch * 3 if triple else ch
                i += 3 if triple else 1
                self.started = True
                continue
            if ch in "[{":
                self.depth += 1
                if self.depth == 1:
                    self.outer = ch
                    self.expect_element = ch == "["
                i += 1
                self.started = True
                continue
            if ch in "]}":
                self.depth -= 1
                i += 1
                if self.depth <= 0:
                    return True
                continue
            if ch == "," and self.depth == 1 and self.outer == "[":
                self.expect_element = True
                i += 1
                continue
            self.started = True
            if self.depth == 0:
                return True  # a number, date, boolean: always on one line
            i += 1
        if self.in_string and len(self.in_string) == 1:
            self.in_string = None  # an unterminated one-line string: tomllib reports it
            return True
        return self.depth <= 0 and self.in_string is None and self.started


def locate(text: str) -> dict[Path, int]:
    """Map every table, key and array element in ``text`` to its 1-based line number."""
    lines: dict[Path, int] = {}
    counts: dict[tuple[str, ...], int] = {}
    current: Path = ()
    array_paths: dict[tuple[str, ...], Path] = {}
    scanner: _ValueScanner | None = None
    value_path: Path = ()

    for lineno, raw in enumerate(text.splitlines(), start=1):
        if scanner is not None:
            done = scanner.feed(raw, lineno)
            if done:
                for index, at in enumerate(scanner.elements):
                    lines.setdefault((*value_path, index), at)
                scanner = None
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        header = _HEADER.match(raw) if stripped.startswith("[") else None
        if header and header.group(1) == header.group(3)[::-1].replace("]", "["):
            names = tuple(split_key(header.group(2)))
            if header.group(1) == "[[":
                index = counts.get(names, 0)
                counts[names] = index + 1
                # Nested arrays of tables hang from the latest element of their parent.
                for cut in range(len(names) - 1, 0, -1):
                    parent = array_paths.get(names[:cut])
                    if parent is not None:
                        path: Path = (*parent, *names[cut:])
                        break
                else:
                    path = names
                inner = {k: v for k, v in counts.items()
                         if len(k) > len(names) and k[:len(names)] == names}
                for k in inner:
                    counts[k] = 0
                current = (*path, index)
                array_paths[names] = current
            else:
                for cut in range(len(names) - 1, 0, -1):
                    parent = array_paths.get(names[:cut])
                    if parent is not None:
                        current = (*parent, *names[cut:])
                        break
                else:
                    current = names
            lines.setdefault(current, lineno)
            continue
        eq = _key_end(raw)
        if eq < 0:
            continue
        key = tuple(split_key(raw[:eq]))
        if not key:
            continue
        value_path = (*current, *key)
        lines.setdefault(value_path, lineno)
        rest = raw[eq + 1:]
        if any(c in rest for c in "[{\"'"):
            scanner = _ValueScanner()
            if scanner.feed(rest, lineno):
                for index, at in enumerate(scanner.elements):
                    lines.setdefault((*value_path, index), at)
                scanner = None
    return lines


def line_of(lines: dict[Path, int], path: Path) -> int:
    """The line of ``path``, or of its nearest located parent; 0 if nothing is known."""
    probe = path
    while probe:
        found = lines.get(probe)
        if found:
            return found
        probe = probe[:-1]
    return 0
