"""locate() maps TOML key paths to the lines a person would look at."""

from __future__ import annotations

import re
import sys
import tomllib

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan.tomltext import (
    _HEADER_LINE,
    PLACEHOLDER_MARK,
    PLACEHOLDER_MARK_PLAIN,
    comment_of,
    line_of,
    locate,
    marked_lines,
    split_key,
)

TEXT = """\
# A comment with [brackets] and key = value in it
[project]   # a comment after a header
title = "A plan" # a comment after a value
"quoted key" = 1
'literal.key' = 2
slow_down.stage_buffer = "25%"
a . "b.c" . d = 3
summary = \"\"\"
[[stage]]
id = "not a stage" # not a comment either
\"\"\"
notes = '''
[fake]
x = 1
'''
working_days = [
  "mon",   # the first element
  # a comment line inside the list
  "tue", "wed",
  [1, 2,
   3],
  "thu",
]
inline = { a = 1, b = [1, 2] }
closures = [{ from = 2027-01-01, to = 2027-01-02 }, { from = 2027-02-01 }]
tricky = "a \\" [ = # b"
quotes = \"\"\"ends with a quote\"\"\"\"
after_quotes = 1

[ project.reflection ]
every = "6w"

[[stage]]
id = "a"

  [[stage.touchpoint]]
  who = ["x"]

  [[stage.touchpoint]]
  who = [
    "y",
    "z",
  ]

  [stage.touchpoint.extra]
  z = 1

[[stage]]
id = "b"
after = [
  "a",
  { stage = "a", lag = "1w" },
]

  [[stage.touchpoint]]
  who = []

  [[stage.decision]]
  id = "d"

[[ "log" ]]   # a quoted, spaced header
date = 2027-01-01

[[log]]
date = 2027-01-02
"""

LINES = locate(TEXT)


def line(*path: str | int) -> int:
    return LINES[tuple(path)]


def test_text_is_valid_toml() -> None:
    tomllib.loads(TEXT)


def test_comments_and_blank_lines_are_skipped() -> None:
    assert 1 not in LINES.values()
    assert line("project") == 2


def test_table_headers() -> None:
    assert line("project", "reflection") == 30
    assert line("project", "reflection", "every") == 31


def test_keys_and_quoted_keys() -> None:
    assert line("project", "title") == 3
    assert line("project", "quoted key") == 4
    assert line("project", "literal.key") == 5


def test_dotted_keys() -> None:
    assert line("project", "slow_down", "stage_buffer") == 6
    assert line("project", "a", "b.c", "d") == 7


def test_multi_line_strings_hide_brackets_equals_and_hashes() -> None:
    assert line("project", "summary") == 8
    assert line("project", "notes") == 12
    assert line("stage", 0) == 33  # the real first stage, not the one in the text
    assert ("project", "id") not in LINES
    assert ("project", "fake") not in LINES
    assert ("fake",) not in LINES
    assert ("project", "x") not in LINES


def test_multi_line_array_elements() -> None:
    assert line("project", "working_days") == 16
    assert line("project", "working_days", 0) == 17
    assert line("project", "working_days", 1) == 19
    assert line("project", "working_days", 2) == 19
    assert line("project", "working_days", 3) == 20  # a nested list starts an element
    assert line("project", "working_days", 4) == 22
    assert ("project", "working_days", 5) not in LINES


def test_inline_tables_have_no_elements() -> None:
    assert line("project", "inline") == 24
    assert ("project", "inline", 0) not in LINES
    assert line("project", "closures") == 25
    assert line("project", "closures", 0) == 25
    assert line("project", "closures", 1) == 25


def test_strings_with_escaped_quotes_and_extra_closing_quotes() -> None:
    assert line("project", "tricky") == 26
    assert line("project", "quotes") == 27
    assert line("project", "after_quotes") == 28


def test_arrays_of_tables_and_nested_arrays_of_tables() -> None:
    assert line("stage", 0) == 33
    assert line("stage", 0, "id") == 34
    assert line("stage", 0, "touchpoint", 0) == 36
    assert line("stage", 0, "touchpoint", 0, "who") == 37
    assert line("stage", 0, "touchpoint", 0, "who", 0) == 37
    assert line("stage", 0, "touchpoint", 1) == 39
    assert line("stage", 0, "touchpoint", 1, "who") == 40
    assert line("stage", 0, "touchpoint", 1, "who", 0) == 41
    assert line("stage", 0, "touchpoint", 1, "who", 1) == 42
    assert line("stage", 0, "touchpoint", 1, "extra") == 45
    assert line("stage", 0, "touchpoint", 1, "extra", "z") == 46
    # The second stage's touchpoints count from 0 again.
    assert line("stage", 1) == 48
    assert line("stage", 1, "after") == 50
    assert line("stage", 1, "after", 0) == 51
    assert line("stage", 1, "after", 1) == 52
    assert line("stage", 1, "touchpoint", 0) == 55
    assert line("stage", 1, "touchpoint", 0, "who") == 56
    assert line("stage", 1, "decision", 0) == 58
    assert line("stage", 1, "decision", 0, "id") == 59
    assert ("stage", 1, "touchpoint", 1) not in LINES


def test_quoted_spaced_array_header_and_repeats() -> None:
    assert line("log", 0) == 61
    assert line("log", 0, "date") == 62
    assert line("log", 1) == 64
    assert line("log", 1, "date") == 65


def test_line_of_falls_back_to_the_nearest_parent() -> None:
    assert line_of(LINES, ("stage", 1, "after", 1, "lag")) == 52
    assert line_of(LINES, ("stage", 0, "touchpoint", 0, "ladder")) == 36
    assert line_of(LINES, ("nothing", "here")) == 0
    assert line_of(LINES, ()) == 0


def test_split_key() -> None:
    assert split_key('a."b.c".d') == ["a", "b.c", "d"]
    assert split_key("a . 'x y' . c") == ["a", "x y", "c"]
    assert split_key('"a\\"b".c') == ['a\\"b', "c"]
    assert split_key("") == []


def test_windows_line_endings() -> None:
    lines = locate('[project]\r\ntitle = "x"\r\nlist = [\r\n  1,\r\n  2,\r\n]\r\n')
    assert lines[("project", "title")] == 2
    assert lines[("project", "list", 1)] == 5


def test_every_key_tomllib_sees_is_located() -> None:
    """Each key of the parsed document has a line (or a located parent)."""
    data = tomllib.loads(TEXT)

    def walk(value: object, path: tuple[str | int, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, list) and item and isinstance(item[0], dict) \
                        and (*path, key) not in LINES:
                    # An array of tables has no line of its own; its tables do.
                    assert all(LINES.get((*path, key, i)) for i in range(len(item)))
                else:
                    assert line_of(LINES, (*path, key)) > 0, (*path, key)
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))

    walk(data, ())


def _marked_line_by_line(text: str) -> frozenset[int]:
    """What ``marked_lines`` must find: every line, by ``str.splitlines``, looked at."""
    return frozenset(n for n, row in enumerate(text.splitlines(), 1)
                     if (c := comment_of(row)) is not None and PLACEHOLDER_MARK.search(c))


MARKED = (
    'a = 1  # placeholder\nb = "tbc"\nc = 2 # TBC: the date\n# to be agreed\n\nd = "# todo"\n',
    'a = 1  # placeholder\r\nb = "tbc" # tbd\r\n',
    'a = 1\rb = 2  # placeholder\n',  # a lone \r ends a line for splitlines
    'a = "x\u2028y"  # placeholder\nb = 1  # TBC\n',
    'title = "placeholder" # placeholders, placeholders\nx = 1 # not yet\n# TODO',
    "no marks at all\n",
)


def test_marked_lines_finds_what_a_line_by_line_reading_finds() -> None:
    for text in MARKED:
        assert marked_lines(text) == _marked_line_by_line(text), text
    assert marked_lines(MARKED[0]) == {1, 3, 4}
    assert marked_lines(MARKED[2]) == {2}


_PIECES = ("#", " # ", "placeholder", "TBC", "tbd", "to be agreed", "x", "_", "1", " ", '"',
           "'", "\\", "\n", "\r\n", "\r", "\x0c", "\u2028", "a = ", "todo", "placeholders",
           "#placeholder", "xtbc")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_marked_lines_by_jumping_between_comments_finds_what_every_line_finds(
        pieces: list[str]) -> None:
    """Only lines with a '#' are looked at: the same lines as reading every line."""
    text = "".join(pieces)
    assert marked_lines(text) == _marked_line_by_line(text), repr(text)


_PLAIN_MARK = re.compile(PLACEHOLDER_MARK_PLAIN, re.IGNORECASE)
_MARK_WORDS = ["placeholder", "placeholders", "tbc", "tbd", "todo", "to be confirmed",
               "to be agreed", "to be decided", "to be checked", "PlaceHolder", "TBC", "ToDo",
               "TO BE CHECKED", "to be chec\u212aed", "placeholder\u017f", "pbc", "tlaceholder",
               "to  be agreed", "tb", "todos"]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_only_p_and_t_match_the_marks_first_letters_ignoring_case() -> None:
    # The quick pattern matches its first letter among "pPtT" alone; it finds what the plain
    # one finds only while no other character matches "p" or "t" ignoring case.
    folded = [chr(c) for c in range(sys.maxunicode + 1) if re.match("(?i)[pt]", chr(c))]
    assert folded == ["P", "T", "p", "t"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_MARK_WORDS),
                          st.text(alphabet="pPtT_ #a1\n\u017f\u212a\u00e9-", max_size=4)),
                max_size=12))
def test_placeholder_mark_finds_what_the_plain_words_find(parts: list[str]) -> None:
    text = "".join(parts)
    assert _spans(PLACEHOLDER_MARK, text) == _spans(_PLAIN_MARK, text)


def test_placeholder_mark_on_the_examples_and_templates() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = [*root.glob("examples/*.toml"), *root.glob("templates/**/*.toml")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert _spans(PLACEHOLDER_MARK, text) == _spans(_PLAIN_MARK, text), path


def test_locate_follows_texts_with_escapes_and_quotes_inside() -> None:
    text = ('a = "x \\" [ y \\\\"\n'
            'b = """one " two "" three\n[not.a.table]\n"""\n'
            "c = '''it's ''\n'''\n"
            'd = ["p\\"", \'q\', """r\n"""]\n'
            'e = """ends in quotes"""""\n'
            "f = 1\n")
    assert tomllib.loads(text)["e"] == 'ends in quotes""'
    lines = locate(text)
    assert [lines[(k,)] for k in "abcdef"] == [1, 2, 5, 7, 9, 10]
    assert ("not", "a", "table") not in lines
    assert [lines[("d", i)] for i in range(3)] == [7, 7, 7]


# -- the quick locator's headers, against the plain way of finding them ------------------

# A header line as ``Locator`` first searched for it (``_HEADER_LINE``).
_HEADERS = re.compile("^" + _HEADER_LINE, re.MULTILINE)


def _headers_plain(text: str) -> tuple[dict, dict, dict]:
    """``Locator``'s headers, spans and counts as first written: every triple quote found
    by a search of its own, each header's names split afresh, and the arrays below each
    array of tables looked for at every entry."""
    from coplan.tomltext import _TRIPLE, split_key

    headers: dict = {}
    spans: dict = {}
    strings = [m.start() for m in _TRIPLE.finditer(text)]
    found: list = []
    counts: dict = {}
    array_paths: dict = {}
    line, last, opened = 1, 0, 0
    for match in _HEADERS.finditer(text):
        start = match.start()
        while opened < len(strings) and strings[opened] < start:
            opened += 1
        if opened % 2 or (match.group(1) == "[[") != (match.group(3) == "]]"):
            continue
        line += text.count("\n", last, start)
        last = start
        names = tuple(split_key(match.group(2)))
        if not names:
            continue
        path: tuple = names
        for cut in range(len(names) - 1, 0, -1):
            parent = array_paths.get(names[:cut])
            if parent is not None:
                path = (*parent, *names[cut:])
                break
        if match.group(1) == "[[":
            index = counts.get(names, 0)
            counts[names] = index + 1
            for k in [k for k in counts if len(k) > len(names) and k[:len(names)] == names]:
                counts[k] = 0
            path = (*path, index)
            array_paths[names] = path
        headers.setdefault(path, line)
        found.append((start, path, line))
    ends = [s for s, _, _ in found[1:]] + ([len(text)] if found else [])
    spans[()] = (0, found[0][0] if found else len(text), 1)
    for (start, path, at), end in zip(found, ends, strict=True):
        spans.setdefault(path, (start, end, at))
    return headers, spans, counts


def _totals_plain(headers: dict) -> dict:
    """How many entries of each array of tables ``headers`` holds, counted from their
    paths (what ``Locator.totals`` counts as it finds them)."""
    totals: dict = {}
    for path in headers:
        if path and isinstance(path[-1], int):
            names = tuple(p for p in path if isinstance(p, str))
            totals[names] = totals.get(names, 0) + 1
    return totals


_PIECES = st.sampled_from([
    "[[ ]]\n", "[ ]\n", "[[]]\n", "[]\n", "[ a b ]\n", "\t[[ x ]  ]\n", "[ [x] ]\n",
    "[a.b ]]\n", "[[ a ]] # c\n", "[[stage] ]\n",
    "[project]\n", "[[stage]]\n", "[[stage.touchpoint]]\n", "[[stage.touchpoint.record]]\n",
    "[stage.aims]\n", "  [[ stage . touchpoint ]]  # a comment\n", '["odd.name"]\n',
    "[[meeting]]\n", "[[stage]\n", "[stage]]\n", "[[x.y]]\n", "[x]\n", 'id = "s1"\n',
    'text = """\n', '"""\n', "notes = '''\n", "'''\n", 'a = """one\n[[stage]]\n"""\n',
    "b = '''\n[x]\n'''\n", 'c = """""\n', "d = ''''\n", 'e = "\\"\\"\\""\n',
    'f = """ [[stage]] """\n', "\n", "# [[stage]]\n",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_the_quick_locator_finds_the_headers_the_plain_way_does(pieces: list[str]) -> None:
    from coplan.tomltext import Locator

    text = "".join(pieces)
    quick = Locator(text)
    assert (quick.headers, quick._spans, quick.counts) == _headers_plain(text)
    assert quick.totals() == _totals_plain(quick.headers)


def _passed_over(match: re.Match[str] | None) -> bool:
    """Whether ``Locator`` passes over a line matched so (no match, brackets that do not
    pair, or a name that names nothing)."""
    from coplan.tomltext import split_key

    return match is None or (match[1] == "[[") != (match[3] == "]]") \
        or not split_key(match[2])


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="[] \t#a.\"'\r", max_size=14))
def test_the_quick_header_pattern_finds_what_the_plain_one_finds(line: str) -> None:
    """``_HEADERS_FIRST`` (the name found without the lazy ``+?``) matches a line with
    the same groups, up to the same place, as ``_HEADERS``, wherever either matches a
    header ``Locator`` keeps."""
    from coplan.tomltext import _HEADERS_FIRST, _HEADERS_NEXT

    for text in (line, f"{line}\nnext"):
        plain, quick = _HEADERS.match(text), _HEADERS_FIRST.match(text)
        after = _HEADERS_NEXT.match(f"\n{text}")
        assert _passed_over(plain) == _passed_over(quick) == _passed_over(after)
        if not _passed_over(plain):
            assert quick is not None and plain is not None and after is not None
            assert quick.groups() == plain.groups() == after.groups()
            assert quick.end() == plain.end() == after.end() - 1


def test_the_quick_locator_agrees_on_the_bundled_plans() -> None:
    from pathlib import Path

    from coplan.tomltext import Locator

    root = Path(__file__).resolve().parents[1]
    for path in [*sorted((root / "examples").glob("*.toml")),
                 *sorted((root / "templates" / "plans").glob("*.toml"))]:
        text = path.read_text(encoding="utf-8")
        quick = Locator(text)
        assert quick.headers
        assert (quick.headers, quick._spans, quick.counts) == _headers_plain(text)
        assert quick.totals() == _totals_plain(quick.headers)


_HEADER_PIECES = st.sampled_from([
    "[project]", "[[stage]]", "[[stage.touchpoint]]", "  [[ stage ]]  # a comment",
    "\t[x]", "[[stage]", "[stage]]", "[a] [b]", "x = [a]", "y = [[a]]", 'who = ["le1"]',
    "[x]\r", "[x] # c\r", "#[x]", " # [x]", "[", "]", "[[", "a[b]", "  ", "", "\r",
    "[x]x", "[ x ]", "[x-y_z9]", "[x.y]", "[[x]]  ", '"[x]"',
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_HEADER_PIECES, max_size=30), st.sampled_from(["\n", "\r\n", " ", ""]))
def test_sections_are_cut_at_the_lines_the_header_pattern_finds(pieces: list[str],
                                                                 joint: str) -> None:
    """``sections`` searches for brackets, then looks back along the line: the headers it
    cuts at are those ``_TOP`` (a pattern tried at every line) finds."""
    from coplan.tomltext import _TOP, sections

    text = joint.join(pieces)
    cuts = [(m.start(), m.group(2), m.group(1) == "[[") for m in _TOP.finditer(text)
            if (m.group(1) == "[[") == (m.group(3) == "]]")]
    found = sections(text)
    if not cuts:
        assert [(s.name, s.array, s.text) for s in found] == [("", False, text)]
        return
    starts = [start for start, _, _ in cuts]
    expected = ([("", False, text[:starts[0]])] if starts[0] else []) + [
        (name, array, text[start:end]) for (start, name, array), end
        in zip(cuts, [*starts[1:], len(text)], strict=True)]
    assert [(s.name, s.array, s.text) for s in found] == expected


_NODES = st.recursive(
    st.one_of(st.none(), st.integers(0, 3), st.text("ab", max_size=2)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["stage", "touchpoint", "record"]), inner,
                        max_size=3)),
    max_leaves=30)
_NAMES = st.one_of(st.sampled_from([("stage",), ("stage", "touchpoint"),
                                    ("stage", "touchpoint", "record"), ("stage", "record")]),
                   st.lists(st.sampled_from(["stage", "touchpoint", "record", "x"]),
                            min_size=1, max_size=3).map(tuple))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["stage", "x"]), _NODES, max_size=3),
                max_size=4),
       st.lists(_NAMES, max_size=5, unique=True))
def test_tally_counts_what_entries_counts_for_each_name(nodes: list[dict],
                                                          counted: list[tuple]) -> None:
    """``tally`` walks each part's tables once for all the arrays counted: the counts
    ``entries`` gives for each, part after part."""
    from coplan.tomltext import entries, tally

    quick: dict = {}
    plain: dict = {}
    for node in nodes:
        tally(node, tuple(counted), quick)
        for names in counted:
            plain[names] = plain.get(names, 0) + entries(node, names)
    assert quick == plain


def test_a_tables_keys_are_read_alike_whether_or_not_its_section_is_kept() -> None:
    """``Locator.scan_keys`` reads a section's lines without keeping them (a finding on
    each record of a large plan asked for its keys' lines: 36 MiB of paths kept); where
    ``line`` has kept them already it reads those.  Both give the same lines, and reading
    keys keeps nothing but what ``_Keys`` keeps."""
    from pathlib import Path

    from coplan.tomltext import Locator

    root = Path(__file__).resolve().parents[1]
    for path in [*sorted((root / "examples").glob("*.toml")),
                 *sorted((root / "templates" / "plans").glob("*.toml"))]:
        text = path.read_text(encoding="utf-8")
        fresh, kept = Locator(text), Locator(text)
        for table in fresh._spans:
            kept._section(table)
            assert fresh.scan_keys(table) == kept.scan_keys(table), (path.name, table)
        assert fresh._sections == {}
        assert any(fresh.scan_keys(table) for table in fresh._spans)
