"""The plan's TOML as text: where its tables, keys and values are, without parsing it.

``tomllib`` is fast but forgets where things were, and says little about a file it cannot
read.  Everything coplan needs to know about the *text* of a plan comes from here, from
one reading of TOML's line structure:

* ``locate`` maps key paths to line numbers, so messages and review findings can say
  "plan.toml:42": ``("stage", 3, "touchpoint", 0)`` is the first touchpoint of the fourth
  stage, ``("stage", 3, "after", 1)`` the second entry of its ``after`` list;
* ``opened_at`` finds where a list or a text that was never closed began (tomllib reports
  the place it gave up, often far below);
* ``sections`` cuts a plan before each top-level table (``[project]``, each
  ``[[stage]]`` with its touchpoints): the three-way merge compares plans section by
  section, and the app re-reads only the sections an edit changed.

Only values that open brackets or strings are followed character by character
(``ValueScanner``); everything else is read a line at a time.  ``sections`` uses the
header pattern alone (fast enough to run on every edit of a large plan): a header-like
line inside a multi-line string or list would cut a section short, which is why every
user of ``sections`` reads the pieces back with a real parser and falls back to the whole
text whenever a piece does not read.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Mapping
from typing import Any

from coplan.records import dataclass

Path = tuple[str | int, ...]

HEADER = re.compile(r"^[ \t]*(\[\[?)[ \t]*(.+?)[ \t]*(\]\]?)[ \t]*(?:#.*)?$")
"""A table header line: ``[project]``, ``[[stage.touchpoint]]``, ``[ "a b".c ]  # note``."""

# A top-level header (a bare name, no dots), for cutting a plan into sections quickly.
_TOP = re.compile(r"^[ \t]*(\[\[?)[ \t]*([A-Za-z0-9_-]+)[ \t]*(\]\]?)[ \t]*(?:#.*)?$",
                  re.MULTILINE)
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_NEXT_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


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


def key_end(line: str) -> int:
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


def header(line: str) -> tuple[tuple[str, ...], bool] | None:
    """A table header's names and whether it is an array's (``[[…]]``), or None."""
    if not line.lstrip().startswith("["):
        return None
    match = HEADER.match(line)
    if not match or match.group(1) != match.group(3)[::-1].replace("]", "["):
        return None
    return tuple(split_key(match.group(2))), match.group(1) == "[["


_BASIC_STOP = re.compile(r'["\\]')  # where a text in double quotes may end or escape


class ValueScanner:
    """Follows one value across lines: strings, lists and inline tables, noting where
    each element of a list begins and where anything still open was opened."""

    __slots__ = ("depth", "elements", "expect_element", "in_string", "opened", "outer",
                 "started", "string_at")

    def __init__(self) -> None:
        self.depth = 0
        self.in_string: str | None = None  # the closing quote sequence
        self.string_at: tuple[int, int] = (0, 0)  # where the open string began
        self.opened: list[tuple[int, int]] = []  # where each open bracket began
        self.expect_element = False
        self.elements: list[int] = []
        self.started = False
        self.outer = ""  # the bracket that opened the value: only lists have elements

    def feed(self, text: str, lineno: int, column: int = 0) -> bool:
        """Scan ``text`` (which begins at ``column`` of line ``lineno``); True when the
        value is complete."""
        i, n = 0, len(text)
        while i < n:
            if self.in_string:
                close = self.in_string
                # Jump to where the text may end, not character by character: in a basic
                # string, to the next quote or backslash; in a literal one, to its close.
                if close[0] == '"':
                    stop = _BASIC_STOP.search(text, i)
                    if stop is None:
                        break  # the text goes on past this line
                    i = stop.start()
                    if text[i] == "\\":
                        i += 2
                        continue
                    if not text.startswith(close, i):
                        i += 1  # one quote inside a multi-line text
                        continue
                else:
                    i = text.find(close, i)
                    if i < 0:
                        break
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
                self.string_at = (lineno, column + i + 1)
                i += 3 if triple else 1
                self.started = True
                continue
            if ch in "[{":
                self.depth += 1
                self.opened.append((lineno, column + i + 1))
                if self.depth == 1:
                    self.outer = ch
                    self.expect_element = ch == "["
                i += 1
                self.started = True
                continue
            if ch in "]}":
                self.depth -= 1
                if self.opened:
                    self.opened.pop()
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
        return self.depth <= 0 and self.in_string is None and self.started

    @property
    def open_one_line_string(self) -> bool:
        return self.in_string is not None and len(self.in_string) == 1


def locate(text: str) -> dict[Path, int]:
    """Map every table, key and array element in ``text`` to its 1-based line number."""
    lines: dict[Path, int] = {}
    counts: dict[tuple[str, ...], int] = {}
    current: Path = ()
    array_paths: dict[tuple[str, ...], Path] = {}
    scanner: ValueScanner | None = None
    value_path: Path = ()

    for lineno, raw in enumerate(text.splitlines(), start=1):
        if scanner is not None:
            done = scanner.feed(raw, lineno)
            if scanner.open_one_line_string:
                done = True  # an unterminated one-line string: tomllib reports it
            if done:
                for index, at in enumerate(scanner.elements):
                    lines.setdefault((*value_path, index), at)
                scanner = None
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        found = header(raw) if stripped.startswith("[") else None
        if found is not None:
            names, array = found
            if array:
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
                for k in [k for k in counts if len(k) > len(names) and k[:len(names)] == names]:
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
        eq = key_end(raw)
        if eq < 0:
            continue
        key = tuple(split_key(raw[:eq]))
        if not key:
            continue
        value_path = (*current, *key)
        lines.setdefault(value_path, lineno)
        rest = raw[eq + 1:]
        if any(c in rest for c in "[{\"'"):
            scanner = ValueScanner()
            if scanner.feed(rest, lineno) or scanner.open_one_line_string:
                for index, at in enumerate(scanner.elements):
                    lines.setdefault((*value_path, index), at)
                scanner = None
    return lines


def line_of(lines: dict[Path, int], path: Path) -> int:
    """The line of ``path``, or of its nearest located parent; 0 if nothing is known."""
    probe = path
    while probe:
        # (an array of tables, ``[[stages]]``, is where its first table is)
        found = lines.get(probe) or lines.get((*probe, 0))
        if found:
            return found
        probe = probe[:-1]
    return 0


def opened_at(text: str, before: int | None = None) -> tuple[int, int] | None:
    """Line and column where the outermost list, inline table or text that is still open
    at line ``before`` (or at the end of ``text``) was opened; None if nothing is open.

    A text in single quotes cannot run past its line, so one left open is reported at
    once, wherever the parser noticed it.
    """
    scanner: ValueScanner | None = None
    for lineno, row in enumerate(text.splitlines(), start=1):
        if before is not None and lineno >= before:
            break
        if scanner is None:
            eq = key_end(row)
            if eq < 0:
                continue
            scanner = ValueScanner()
            done = scanner.feed(row[eq + 1:], lineno, eq + 1)
        else:
            done = scanner.feed(row, lineno)
        if scanner.open_one_line_string:
            return scanner.string_at
        if done:
            scanner = None
    if scanner is None:
        return None
    if scanner.in_string is not None:
        return scanner.string_at
    return scanner.opened[0] if scanner.opened else None


@dataclass(frozen=True, slots=True)
class Section:
    """A top-level part of a plan: the text before the first table, ``[project]`` (with
    its ``[project.…]`` tables), one ``[[stage]]`` (with its touchpoints), and so on."""

    name: str  # "" for the text before the first table
    array: bool  # an entry of an array of tables ([[stage]])
    text: str


# ``_TOP`` from its first bracket on: a search for it is a quick search for "[" (a line
# break comes before every line, so a pattern that starts at one is tried on every line:
# twice as long on a plan of 5,000 stages); ``_top_headers`` then keeps the matches that
# have only spaces or tabs before them on their line.
_TOP_BRACKET = re.compile(r"(\[\[?)[ \t]*([A-Za-z0-9_-]+)[ \t]*(\]\]?)[ \t]*(?:#.*)?$",
                          re.MULTILINE)


def _top_headers(text: str) -> Iterator[tuple[int, re.Match[str]]]:
    """Where each line that ``_TOP`` matches begins, with the match from its bracket on:
    the lines ``_TOP.finditer`` finds, in order (tests/test_tomltext.py compares them)."""
    rfind = text.rfind
    for match in _TOP_BRACKET.finditer(text):
        at = match.start()
        line = rfind("\n", 0, at) + 1
        if line == at or not text[line:at].strip(" \t"):
            yield line, match


def sections(text: str) -> list[Section]:
    """Cut ``text`` before each top-level table header (see the module's docstring for why
    a cut inside a multi-line value is harmless to its callers)."""
    return [Section(name, array, piece) for name, array, piece in section_texts(text)]


def section_texts(text: str) -> list[tuple[str, bool, str]]:
    """``sections``, each as its name, whether it is an entry of an array of tables, and
    its text (what the app reads again after every edit: no object made for each)."""
    cuts = [(start, m.group(2), m.group(1) == "[[") for start, m in _top_headers(text)
            if (m.group(1) == "[[") == (m.group(3) == "]]")]
    out: list[tuple[str, bool, str]] = []
    if not cuts or cuts[0][0] != 0:
        out.append(("", False, text[:cuts[0][0]] if cuts else text))
    ends = [*cuts[1:], (len(text), "", False)] if cuts else []  # (no header: one section)
    out += [(name, array, text[start:following[0]])
            for (start, name, array), following in zip(cuts, ends, strict=True)]
    return out


# ``_TOP`` for ``parts``, where a line may also end in "\r\n": on the first line, and after
# a line break (see ``_starting_lines``).
_TOP_PART = r"[ \t]*(\[\[?)[ \t]*([A-Za-z0-9_-]+)[ \t]*(\]\]?)[ \t]*(?:#.*)?\r?$"
_TOP_FIRST = re.compile(_TOP_PART, re.MULTILINE)
_TOP_NEXT = re.compile("\n" + _TOP_PART, re.MULTILINE)


def _starting_lines(first: re.Pattern[str], after: re.Pattern[str], text: str
                    ) -> Iterator[tuple[int, re.Match[str]]]:
    """Where each line that ``first`` matches from its start begins, with the match:
    ``after`` is ``first`` with a line break before it, which a search finds by looking
    for line breaks alone (a pattern that begins with ``^`` is tried at every character
    of the text: five times as long on a plan of 33 MB)."""
    match = first.match(text)
    if match is not None:
        yield 0, match
    for match in after.finditer(text):
        yield match.start() + 1, match


def parts(text: str) -> list[tuple[int, int, str, bool]]:
    """Where each top-level part of ``text`` begins and ends, its name ("" for the text
    before the first table) and whether it is an entry of an array of tables: what
    ``sections`` cuts, by offsets rather than copies of the text, and at headers on lines
    that end in "\r\n" too.  As there, a header-like line inside a multi-line value cuts
    it short: a caller reads each part with a real parser and gives up if one does not
    read."""
    found = [(start, m.group(2), m.group(1) == "[[")
             for start, m in _starting_lines(_TOP_FIRST, _TOP_NEXT, text)
             if (m.group(1) == "[[") == (m.group(3) == "]]")]
    out: list[tuple[int, int, str, bool]] = []
    if not found or found[0][0] != 0:
        out.append((0, found[0][0] if found else len(text), "", False))
    ends = [start for start, _, _ in found[1:]] + [len(text)] if found else []
    for (start, name, array), end in zip(found, ends, strict=True):
        out.append((start, end, name, array))
    return out


def own_value(section: str, key: str) -> str | None:
    """The text a section's own ``key = "..."`` holds (before any sub-table), or None:
    how the merge tells the entries of an array of tables apart without parsing."""
    pattern = re.compile(rf'^[ \t]*{re.escape(key)}[ \t]*=[ \t]*"([^"\\]*)"', re.MULTILINE)
    body = section.find("\n") + 1 if section.lstrip().startswith("[") else 0
    sub = _NEXT_HEADER.search(section, body)
    own = section if sub is None else section[:sub.start()]
    match = pattern.search(own, body)
    return match.group(1) if match else None


# A table's header line as first written (the plain way, which tests/test_tomltext.py
# reads the headers with to hold ``Locator`` to it).
_HEADER_LINE = r"[ \t]*(\[\[?)[ \t]*([^\n\]#]+?)[ \t]*(\]\]?)[ \t]*(?:#[^\n]*)?$"
# The same as ``Locator`` searches for it: the name up to its last character that is not a
# space or a tab, found by running to the name's end and stepping back, where the lazy
# ``+?`` above tries the rest of the pattern after each of the name's characters (about
# 3,500 instructions more a header: 64,000 headers at 10,000 stages).  Both find the same
# headers with the same groups; they differ only on lines whose name is empty or blank
# (``[[ ]]``, ``[ ]``, ``[[]]``), which each either leaves or matches with a name that
# names nothing or brackets that do not pair, both of which ``Locator`` passes over.
_HEADER_LINE_QUICK = (r"[ \t]*(\[\[?)[ \t]*([^\n\]#]*[^\n\]# \t])[ \t]*(\]\]?)[ \t]*"
                      r"(?:#[^\n]*)?$")
_HEADERS_FIRST = re.compile(_HEADER_LINE_QUICK, re.MULTILINE)  # (``_starting_lines``)
_HEADERS_NEXT = re.compile("\n" + _HEADER_LINE_QUICK, re.MULTILINE)
_TRIPLE = re.compile(r'"""|\'\'\'')


class _Array:
    """One array of tables as ``Locator`` meets its entries: how many it has had (since
    its parent's latest entry), the path of the latest, how many in all, and the arrays
    of tables below it (worked out when first needed)."""

    __slots__ = ("below", "count", "names", "path", "seen", "total")

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.count = 0
        self.path: Path | None = None
        self.total = 0
        self.seen = False  # met as an array of tables yet
        self.below: list[_Array] | None = None


# A header's names, its array of tables (None for a table), and the arrays it may hang
# from, each with the names left after it (nearest first).
_Header = tuple[tuple[str, ...], "_Array | None", tuple[tuple[_Array, tuple[str, ...]], ...]]
_MISMATCHED: _Header = ((), None, ())  # "[[x]" or "[x]]": not a header
_UNSEEN: _Header = ((), None, ())  # (a header written in a way not met before)


def _triple_quotes(text: str) -> list[int]:
    """Where each triple quote of ``text`` begins, in order: what ``_TRIPLE.finditer``
    finds (a run of either kind never overlaps the other), by ``str.find`` of each kind
    (the pattern is tried at every character: a tenth of a second on a plan of 33 MB)."""
    found: list[int] = []
    for quote in ('"""', "'''"):
        at = text.find(quote)
        while at >= 0:
            found.append(at)
            at = text.find(quote, at + 3)
    found.sort()
    return found


def _meaning(opening: str, inside: str, closing: str, arrays: dict[tuple[str, ...], _Array]
             ) -> _Header | None:
    """What a header written with these brackets and text names (``Locator``): its
    arrays of tables from ``arrays`` (added there when first met)."""
    array = opening == "[["
    if array != (closing == "]]"):
        return _MISMATCHED
    names = tuple(split_key(inside))
    if not names:
        return None

    def of(names: tuple[str, ...]) -> _Array:
        found = arrays.get(names)
        if found is None:
            found = arrays[names] = _Array(names)
        return found

    return (names, of(names) if array else None,
            tuple((of(names[:cut]), names[cut:]) for cut in range(len(names) - 1, 0, -1)))


class _Keys(Mapping[str, int]):
    """The lines of one table's own keys, worked out from its section of the text the
    first time any is asked for."""

    __slots__ = ("_found", "_locator", "_path")

    def __init__(self, locator: Locator, path: Path) -> None:
        self._locator = locator
        self._path = path
        self._found: dict[str, int] | None = None

    def _lines(self) -> dict[str, int]:
        if self._found is None:
            self._found = self._locator.scan_keys(self._path)
        return self._found

    def __getitem__(self, key: str) -> int:
        return self._lines()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines())

    def __len__(self) -> int:
        return len(self._lines())

    def get(self, key: str, default: Any = None) -> Any:
        return self._lines().get(key, default)


class Locator:
    """Lines of a plan's tables at once, and of their keys only when asked.

    ``locate`` reads every character of every value; on a large plan that costs more than
    parsing it.  A reviewer needs the line of each item (a stage, a touchpoint) and, for
    the few things a finding is about, the line of one key.  So the tables' headers are
    found with one pass of a regular expression (skipping any inside a multi-line text),
    and a table's keys are read from its own lines the first time one is asked for.

    ``consistent`` says whether the headers found agree with the parsed data (arrays of
    tables of the same lengths); where they might not (a header-like line inside a
    multi-line list), the caller uses ``locate`` instead.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.headers: dict[Path, int] = {}  # table path -> line
        self._spans: dict[Path, tuple[int, int, int]] = {}  # path -> (start, end, line)
        self.counts: dict[tuple[str, ...], int] = {}
        self._totals: dict[tuple[str, ...], int] = {}
        self._sections: dict[Path, tuple[dict[Path, int], Path]] = {}
        self._children: dict[Path, dict[str, int]] | None = None
        self._keys: dict[Path, dict[str, int]] = {}  # (``scan_keys``, once asked for)
        self._find_headers(text)

    def _find_headers(self, text: str) -> None:
        """Every table header's path and line, the span of text each table's section
        covers, and how many entries each array of tables has.  A plan of 10,000 stages
        has some 64,000 headers, so each costs as little as can be: what a header's
        text means (its names, whether it is an array's, the arrays it may hang from) is
        worked out once for each way it is written, and each array of tables is followed
        by an object of its own rather than by its names in several tables; where a
        header stands inside a multi-line text is told by how many triple quotes come
        before it, found by one search of the whole text; each section's span is noted
        when the next header is met.  (tests/test_tomltext.py compares all of it with the
        plain way.)"""
        headers = self.headers
        spans = self._spans
        arrays: dict[tuple[str, ...], _Array] = {}  # by names, met as header or parent
        seen: list[_Array] = []  # the arrays of tables met so far, in order
        meaning: dict[str, _Header | None] = {}  # by the whole line matched
        known = meaning.get
        quotes = _triple_quotes(text)
        count = text.count
        line = 1
        last = 0
        previous: tuple[int, Path, int] | None = None  # the last header found
        for start, match in _starting_lines(_HEADERS_FIRST, _HEADERS_NEXT, text):
            if quotes and bisect_left(quotes, start) % 2:
                continue  # inside a multi-line text
            written = match.group()
            found = known(written, _UNSEEN)
            if found is _UNSEEN:
                found = meaning[written] = _meaning(match[1], match[2], match[3], arrays)
            if found is _MISMATCHED:
                continue
            line += count("\n", last, start)
            last = start
            if found is None:
                continue
            names, own, parents = found
            for parent, rest in parents:
                if parent.path is not None:
                    path: Path = parent.path + rest
                    break
            else:
                path = names
            if own is not None:  # an entry of an array of tables
                index = own.count
                if not own.seen:
                    own.seen = True
                    seen.append(own)
                    for each in seen:  # (which arrays hang below which may change)
                        each.below = None
                own.count = index + 1
                inside = own.below
                if inside is None:
                    size = len(names)
                    inside = own.below = [k for k in seen if len(k.names) > size
                                          and k.names[:size] == names]
                for each in inside:
                    each.count = 0
                path = own.path = (*path, index)
                # (lines only grow: a path met before keeps its earlier line)
                if headers.setdefault(path, line) == line:
                    own.total += 1
            else:
                headers.setdefault(path, line)
            if previous is None:
                spans[()] = (0, start, 1)
            else:
                spans.setdefault(previous[1], (previous[0], start, previous[2]))
            previous = (start, path, line)
        if previous is None:
            spans[()] = (0, len(text), 1)
        else:
            spans.setdefault(previous[1], (previous[0], len(text), previous[2]))
        self.counts = {each.names: each.count for each in seen}
        self._totals = {each.names: each.total for each in seen if each.total}

    def totals(self) -> dict[tuple[str, ...], int]:
        """How many entries each array of tables found has, by its names (all of its
        parents' entries together)."""
        return dict(self._totals)

    def consistent(self, data: Mapping[str, Any]) -> bool:
        """Whether every array of tables found has as many entries as ``data`` holds."""
        return all(entries(data, names) == total for names, total in self.totals().items())

    def line(self, path: Path) -> int:
        """The line of ``path`` (a table, a key in one, or an entry of a list), or of its
        nearest located parent."""
        found = self.headers.get(path)
        if found:
            return found
        table = path
        while table and table not in self._spans:
            table = table[:-1]
        if table in self._spans:
            lines, local = self._section(table)
            probe = (*local, *path[len(table):])
            while len(probe) > len(local):
                if probe in lines:
                    return lines[probe]
                probe = probe[:-1]
        return self.headers.get(table, 0) if table else 0

    def keys(self, path: Path) -> Mapping[str, int]:
        """The lines of the table at ``path``'s own keys (read when first asked for)."""
        return _Keys(self, path)

    def _section(self, path: Path) -> tuple[dict[Path, int], Path]:
        """Every line in the section of the table at ``path`` (by the paths ``locate``
        gives it there, made once and kept), and that table's own path among them."""
        cached = self._sections.get(path)
        if cached is None:
            start, end, at = self._spans[path]
            found = locate(self.text[start:end])
            # The section's own header is its first line (found first); the text before
            # the first header has none.
            header: Path = next(iter(found), ()) if path else ()
            cached = ({p: line + at - 1 for p, line in found.items()}, header)
            self._sections[path] = cached
        return cached

    def scan_keys(self, path: Path) -> dict[str, int]:
        """The lines of the table at ``path``'s own keys: those written in its section,
        and its sub-tables with headers of their own (``[review.skip]`` is a key of
        ``review`` even where ``[review]`` is never written)."""
        if self._children is None:
            self._children = {}
            for header, line in self.headers.items():
                if header and isinstance(header[-1], str):
                    self._children.setdefault(header[:-1], {}).setdefault(header[-1], line)
        found = dict(self._children.get(path, {}))
        if path in self._spans:
            # The section is read here without keeping its lines (``_section`` keeps
            # them): ``_Keys`` keeps what it needs of them, and the lines of every record
            # of a large plan, a finding each when reviewed on a day before the record,
            # were 36 MiB of paths at 10,000 stages.
            kept = self._sections.get(path)
            if kept is not None:
                lines, own = kept
                shift = 0
            else:
                start, end, at = self._spans[path]
                lines = locate(self.text[start:end])
                own = next(iter(lines), ()) if path else ()
                shift = at - 1
            depth = len(own)
            found.update({p[-1]: line + shift for p, line in lines.items()
                          if len(p) == depth + 1 and p[:depth] == own
                          and isinstance(p[-1], str)})
        return found

class Located(Locator):
    """Every line worked out at once by ``locate`` (the sure way, when the quick
    ``Locator`` cannot be sure of the headers)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.all = locate(text)
        self.by_parent: dict[Path, dict[str, int]] = {}
        for path, line in self.all.items():
            if path and isinstance(path[-1], str):
                self.by_parent.setdefault(path[:-1], {})[path[-1]] = line

    def consistent(self, data: Mapping[str, Any]) -> bool:
        return True

    def line(self, path: Path) -> int:
        return line_of(self.all, path)

    def keys(self, path: Path) -> Mapping[str, int]:
        return self.by_parent.get(path, {})

    def scan_keys(self, path: Path) -> dict[str, int]:
        return dict(self.keys(path))


def lines_for(text: str, data: Mapping[str, Any]) -> Locator:
    """The quick ``Locator`` where its headers agree with ``data``, else ``Located``."""
    quick = Locator(text)
    return quick if quick.consistent(data) else Located(text)


# What a comment says to mark its line's value as not real yet: a whole word, in any case,
# "placeholder(s)", "tbc", "tbd", "todo" or "to be confirmed/agreed/decided/checked".  The
# first letter is matched on its own, and the word boundary before it looked back at, so
# that a search skips straight to the next p or t (a leading ``\b`` with IGNORECASE made
# it try every character: 2 ms for the MINDS example, a tenth of reading it).  Only "p",
# "P", "t" and "T" match "p" or "t" ignoring case (tests/test_tomltext.py checks every
# character), so it finds exactly what ``PLACEHOLDER_MARK_PLAIN`` finds.
PLACEHOLDER_MARK = re.compile(r"[pPtT](?<=\b[pPtT])(?i:(?<=[pP])(?:laceholders?)|"
                              r"(?<=[tT])(?:bc|bd|odo|o be (?:confirmed|agreed|decided|"
                              r"checked)))\b")
# The same words as written plainly: what ``PLACEHOLDER_MARK`` must agree with.
PLACEHOLDER_MARK_PLAIN = r"\b(?:placeholders?|tbc|tbd|todo|to be (?:confirmed|agreed|" \
                         r"decided|checked))\b"


# Line breaks other than "\n" and "\r\n" that ``str.splitlines`` counts (TOML allows some of
# them in comments and texts).
_ODD_BREAK = re.compile("\r(?!\n)|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def marked_lines(text: str, pattern: re.Pattern[str] = PLACEHOLDER_MARK) -> frozenset[int]:
    """The lines whose comment marks a placeholder (``# placeholder: ...``, ``# TBC``): the
    templates mark the values only a team can fill in this way (``coplan.agreed``)."""
    # A mark is in a comment, and a comment starts at a '#': only the lines with one can
    # have a mark, found by jumping from '#' to '#' (most plans have few; a generated plan
    # of thousands of stages, one), and searched from their first '#' on.
    found = set()
    number, counted = 1, 0
    at = text.find("#")
    odd: bool | None = None
    while at >= 0:
        end = text.find("\n", at)
        done = len(text) if end < 0 else end
        if pattern.search(text, at, done) is not None:
            if odd is None:
                odd = _ODD_BREAK.search(text) is not None
            if odd:  # lines that splitlines counts, but "\n" does not end
                return _marked_by_rows(text, pattern)
            begin = text.rfind("\n", 0, at) + 1
            number += text.count("\n", counted, begin)
            counted = begin
            comment = comment_of(text[begin:done].rstrip("\r"))
            if comment is not None and pattern.search(comment):
                found.add(number)
        at = text.find("#", done)
    return frozenset(found)


def _marked_by_rows(text: str, pattern: re.Pattern[str]) -> frozenset[int]:
    """``marked_lines`` for a text with line breaks other than "\n" and "\r\n"."""
    found = set()
    for number, row in enumerate(text.splitlines(), 1):
        if pattern.search(row) is None:
            continue
        comment = comment_of(row)
        if comment is not None and pattern.search(comment):
            found.add(number)
    return frozenset(found)


def comment_of(row: str) -> str | None:
    """The comment of one line of TOML (what follows a ``#`` outside strings), or None."""
    quote = ""
    i = 0
    while i < len(row):
        ch = row[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return row[i + 1:]
        i += 1
    return None


def entries(node: Any, names: tuple[str, ...]) -> int:
    """How many entries the array of tables at ``names`` has in ``node`` (at any depth)."""
    if not names:
        return 0
    value = node.get(names[0]) if isinstance(node, Mapping) else None
    if len(names) == 1:
        return len(value) if isinstance(value, list) else 0
    items = value if isinstance(value, list) else [value]
    return sum(entries(item, names[1:]) for item in items if isinstance(item, Mapping))


_Trie = tuple[tuple[str, "tuple[str, ...] | None", "_Trie"], ...]
_TRIES: dict[tuple[tuple[str, ...], ...], _Trie] = {}


def tally(node: Mapping[str, Any], counted: tuple[tuple[str, ...], ...],
          into: dict[tuple[str, ...], int]) -> None:
    """Add ``entries(node, names)`` to ``into[names]`` for each of ``counted``, in one
    walk of ``node``: each table is visited once, not once for each of the names (the
    stages of a large plan, read part by part, are counted this way for ``Locator``'s
    totals to agree with)."""
    trie = _TRIES.get(counted)
    if trie is None:
        trie = _TRIES[counted] = _trie(counted, 0)
    for names in counted:
        into.setdefault(names, 0)
    _tally(node, trie, into)


def _trie(counted: tuple[tuple[str, ...], ...], depth: int) -> _Trie:
    """The names of ``counted`` from ``depth`` on, as a tree of their parts."""
    keys = dict.fromkeys(names[depth] for names in counted if len(names) > depth)
    return tuple((key, next((n for n in counted if len(n) == depth + 1 and n[depth] == key),
                            None),
                  _trie(tuple(n for n in counted if len(n) > depth + 1 and n[depth] == key),
                        depth + 1))
                 for key in keys)


def _tally(node: Mapping[str, Any], trie: _Trie, into: dict[tuple[str, ...], int]) -> None:
    for key, names, below in trie:
        value = node.get(key)
        if value is None:
            continue
        if names is not None and isinstance(value, list):
            into[names] += len(value)
        if below:
            for item in value if isinstance(value, list) else (value,):
                if isinstance(item, Mapping):
                    _tally(item, below, into)
