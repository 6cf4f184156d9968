"""Three-way merge of plan files, per item and per field, keeping everyone's formatting.

When two people edit the same plan at once, each instance knows three texts: the *base*
(what it last loaded), *mine* (its own edited text) and *theirs* (what is on disk now).
The merge starts from *theirs* and replays onto it what I changed since the base, field by
field:

* edits to different items or different fields merge silently;
* lists of ids (who takes part, links, needs) merge as sets: what I added is added, what
  I removed is removed, whatever they did;
* the same field changed to different values on both sides is a **conflict**: it is never
  overwritten; the caller shows it and asks (theirs, mine, or a new value);
* an item I added is copied from my text as I wrote it, and a value I changed is written
  as I spelled it (``"4w"``, quotes, a multi-line string, an inline table, the comments
  among an entry's keys: never made again from the plain values); an item I removed is
  removed unless they changed it, and an item I changed that they removed is a conflict
  (never dropped);
* an item both sides added under the same id (each person's coplan named its new
  touchpoint ``aims-3``) is kept twice, mine under the next free id, unless something else
  of mine already names it (then the two are compared field by field);
* comments above a table's header (a banner) go with that table, exactly once;
* an array of tables written apart (``[[stage]]``, ``[project]``, ``[[stage]]``) stays
  where each part was written: every document is read as edits read it
  (``tomldoc.parse``), never with plain tomlkit, which gathers the parts into the first;
* every comment either side wrote or changed is kept: a section both changed is merged
  line by line as well (``linemerge``) where that gives the same values, else my comments
  are put back beside the keys they stood by (``keep_notes``);
* with ``check``, the result is read as a plan: changes that are each fine but together
  break it (a link to a stage someone removed, a loop made of two links) are conflicts.

Items are known by their ids: stages, people, touchpoints (within their stage), decisions,
meetings; glossary terms by their term; other entries (the decision log, sign-offs, review
rounds, risks) by their whole content, so additions from both sides are kept.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tomlkit
from tomlkit.items import AoT, Array, InlineTable, Item, Table

from coplan.fileio import keep_line_breaks
from coplan.linemerge import merge_lines
from coplan.schema import fitted_id, identities, meeting_id, touchpoint_id
from coplan.tomldoc import append_element, child, entry_as_written, remove_entry_of, set_key
from coplan.tomldoc import parse as read_plan_doc
from coplan.tomlparse import TOMLDecodeError
from coplan.tomlparse import loads as toml_loads
from coplan.tomltext import comment_of, locate, own_value, sections
from coplan.words import count

Path = tuple[str, ...]
_ABSENT = object()

def _arrays() -> dict[str, str | None]:
    """Arrays of tables by their name in the file, and the key that tells their entries
    apart (None: by their whole content), as the schema declares them."""
    from coplan.model import Plan

    return identities(Plan)


_ARRAYS = _arrays()


def _identity(kind: str, entry: dict[str, Any], index: int, parent: Path) -> str:
    key = _ARRAYS.get(kind)
    if key and isinstance(entry.get(key), str) and entry[key]:
        return str(entry[key])
    if kind == "meeting" and isinstance(entry.get("title"), str):
        return meeting_id(entry["title"])
    if kind == "touchpoint":
        return touchpoint_id(parent[-1], index + 1) if parent else str(index)
    return "=" + json.dumps(entry, sort_keys=True, default=str)


@dataclass(frozen=True, slots=True)
class Conflict:
    """The same field changed differently on both sides."""

    path: Path
    base: Any
    mine: Any
    theirs: Any
    problem: str = ""  # set when each change is fine alone but together they break the plan

    def describe(self, who: str = "someone else") -> str:
        """What clashes, in words; ``who`` names the person who made the other change."""
        where = " › ".join("an entry" if p.startswith("=") else p for p in self.path)
        if self.problem:
            if self.mine == "<item>":
                change = "you added it"
            elif self.theirs == "<item>" and self.mine is _ABSENT:
                change = "you removed it"
            else:
                change = f"you wrote {_show(self.mine)}, {who} has {_show(self.theirs)}"
            whose = "someone else's" if who == "someone else" else f"{who}'s"
            return (f"{where}: {change}, and with {whose} changes the plan would not "
                    f"work: {self.problem}")
        if self.base == "<item>" and self.mine == "<changed>":
            return f"{where}: you changed it, and {who} removed it meanwhile"
        if self.base == "<item>":
            return f"{where}: you removed it, and {who} changed it meanwhile"
        return f"{where}: you wrote {_show(self.mine)}, {who} wrote {_show(self.theirs)}"


def shown(value: Any) -> str:
    """A conflict's value (``Conflict.mine``, ``.theirs``) in plain words."""
    if value == "<item>":
        return "the whole entry"
    if value == "<changed>":
        return "the entry, changed"
    return _show(value)


def _show(value: Any) -> str:
    if value is _ABSENT:
        return "nothing (removed)"
    if isinstance(value, str):
        return f'"{value}"'
    return json.dumps(value, default=str)


@dataclass(slots=True)
class MergeResult:
    """A merged plan text, with the clashes to settle and what was changed."""

    text: str
    conflicts: list[Conflict] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    # An entry of mine both sides added under one id, given a fresh id in the merge: its
    # path in my text, and in the merged text (so my comments go with it, not to theirs).
    renamed: dict[Path, Path] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.conflicts


# -- flattening ---------------------------------------------------------------------------

def _walk(table: dict[str, Any], path: Path, out: dict[Path, Any]) -> None:
    for key, value in table.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value) \
                and key in _ARRAYS:
            for index, entry in enumerate(value):
                ident = _identity(key, entry, index, path)
                item_path = (*path, key, ident)
                out[item_path] = "<item>"
                _walk(entry, item_path, out)
        elif isinstance(value, dict) and key not in _VALUE_TABLES:
            out[(*path, key)] = "<table>"
            _walk(value, (*path, key), out)
        else:
            out[(*path, key)] = value


def flatten(text: str) -> dict[Path, Any]:
    out: dict[Path, Any] = {}
    _walk(toml_loads(text), (), out)
    return out


# -- merging ------------------------------------------------------------------------------

# Keys whose value may be an inline table that is one value (a link with a lag, written
# ``after = { stage = "x", lag = "1w" }``), never a table of fields to merge one by one.
_VALUE_TABLES = ("skip", "after")


def _listish(value: Any) -> bool:
    """A list merged entry by entry: of ids, or of links and other small inline tables (a
    key that is not there is an empty list: edits remove a list they empty)."""
    return value is _ABSENT or (isinstance(value, list) and
                                all(isinstance(v, (str, dict)) for v in value))


def _merge_lists(base: Any, mine: Any, theirs: Any) -> list[Any]:
    """What I added to and removed from ``base``, done to ``theirs``: entries are known by
    their whole value."""
    def key(value: Any) -> str:
        return json.dumps(value, sort_keys=True, default=str)

    base_l = base if isinstance(base, list) else []
    mine_l = mine if isinstance(mine, list) else []
    theirs_l = theirs if isinstance(theirs, list) else []
    base_keys, mine_keys = {key(v) for v in base_l}, {key(v) for v in mine_l}
    result = [v for v in theirs_l if key(v) in mine_keys or key(v) not in base_keys]
    have = {key(v) for v in result}
    result += [v for v in mine_l if key(v) not in base_keys and key(v) not in have]
    return result


# -- merging by sections (the fast path) --------------------------------------------------

@dataclass(slots=True)
class _Section:
    """One top-level section of a plan's text."""

    key: tuple[str, ...]
    lead: str  # the comments above its header (a banner such as "# -- stages --")
    body: str  # from its header on

    @property
    def text(self) -> str:
        return self.lead + self.body


def _trailing_comments(text: str) -> int:
    """Where the comments (and the blank lines among and after them) that end ``text``
    begin, or ``len(text)``: they sit above the next header, so they belong to what
    follows (as ``edit`` moves them when it appends an entry)."""
    lines = text.splitlines(keepends=True)
    start = len(lines)
    while start and (not lines[start - 1].strip() or lines[start - 1].lstrip().startswith("#")):
        start -= 1
    first = next((i for i in range(start, len(lines)) if lines[i].lstrip().startswith("#")),
                 None)
    if first is None:
        return len(text)
    return sum(len(line) for line in lines[:first])


def _sections(text: str) -> list[_Section]:
    """A plan's top-level sections (``tomltext.sections``), each known by its name and,
    for an entry of an array of tables, by its own id (a term, or a title, where it has
    no id), so that the same entry is found again in another version of the plan.

    The comments that end a section move to the start of the next one: a banner above
    ``[[stage]]`` goes with the first stage, wherever people add or remove the entries
    before it, so that a merge writes it exactly once."""
    out: list[_Section] = []
    seen: dict[tuple[str, ...], int] = {}
    raw = sections(text)
    lead = ""
    for n, section in enumerate(raw):
        body = section.text
        cut = _trailing_comments(body) if section.name and n + 1 < len(raw) else len(body)
        body, moved = body[:cut], body[cut:]
        if section.array:
            ident = own_value(body, "id") or own_value(body, "term") or \
                own_value(body, "title")
            key: tuple[str, ...] = (section.name, ident if ident is not None else
                                    "#" + json.dumps(body.strip()))
        else:
            key = (section.name,)
        count = seen.get(key, 0)
        seen[key] = count + 1
        if count:
            key = (*key, f"~{count}")
        out.append(_Section(key, lead, body))
        lead = moved
    return out


def _item_path(key: tuple[str, ...], body: str = "") -> Path:
    """The path a conflict about a whole section is known by: as ``flatten`` and
    ``merge_fields`` know it (an entry without an id by its content)."""
    path = tuple(p for p in key if not p.startswith("~"))
    if len(path) == 2 and path[1].startswith("#") and body:
        try:
            entries = toml_loads(body).get(path[0])
        except TOMLDecodeError:
            return path
        if isinstance(entries, list) and entries and isinstance(entries[0], dict):
            return (path[0], _identity(path[0], entries[0], 0, ()))
    return path


def _ensure_break(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def _same(one: str | None, other: str | None) -> bool:
    """Whether two versions of a section say the same: the blank lines that end it are
    the gap before what follows, which an entry added or removed after it changes (the
    last stage gets one when someone adds a stage below it), not a change of its own."""
    if one is None or other is None:
        return one is other
    return one == other or one.rstrip() == other.rstrip()


def _in_gap_of(body: str, like: str) -> str:
    """``body`` ended by the blank lines that end ``like`` (the version whose place in
    the file it takes, so that what follows there stays as far below it)."""
    content = body.rstrip()
    return _ensure_break(content + like[len(like.rstrip()):])


def _pick(base: str | None, mine: str | None, theirs: str) -> str:
    """Three-way merge of a section's leading comments: whichever side changed them, or,
    where both did, both sides' lines (line by line where they do not touch, else theirs
    followed by the lines of mine they lack): no one's comment is dropped."""
    was = base if base is not None else ""
    if mine is None or mine in (was, theirs):
        return theirs
    if theirs == was:
        return mine
    merged = merge_lines(was, mine, theirs)
    if merged is not None:
        return merged
    have = set(theirs.splitlines())
    extra = "".join(row for row in mine.splitlines(keepends=True)
                    if row.strip() and row.rstrip("\r\n") not in have)
    return _ensure_break(theirs) + extra


def merge_sections(base: str, mine: str, theirs: str, *,
                   taken: set[str] | None = None,
                   clash_notes: bool = True) -> MergeResult | None:
    """Merge section by section with plain text operations; sections both sides changed
    are merged field by field.  Returns None when the texts cannot be split cleanly (the
    caller then merges the whole document field by field).

    Each section's leading comments go with it: whichever side changed them; those of a
    section I removed pass to what follows, unless my text has put them elsewhere; a
    section I added goes after the one it follows in my text (if that is still there,
    else after the last of its kind)."""
    b_list = _sections(base)
    b = {s.key: s for s in b_list}
    m_list = _sections(mine)
    m = {s.key: s for s in m_list}
    t_list = _sections(theirs)
    if len(b) != len(b_list) or len(m) != len(m_list):
        return None
    taken = _ids(mine) | _ids(theirs) if taken is None else taken
    my_leads = [s.lead for s in m_list if s.lead.strip()]
    result = MergeResult(theirs)
    out: list[list[Any]] = []  # [key, lead, body]
    carry = moved = ""
    for section in t_list:
        key = section.key
        bs, ms = b.get(key), m.get(key)
        bt, mt, tt = (bs.body if bs else None), (ms.body if ms else None), section.body
        lead = _pick(bs.lead if bs else None, ms.lead if ms else None, section.lead)
        if key in b and key not in m:
            if _same(bt, tt):
                result.changes.append(f"removed {' '.join(key)}")
                if lead.strip() and not any(lead in other for other in my_leads):
                    carry += lead  # its comments stay, above what follows
                continue
            result.conflicts.append(Conflict(_item_path(key, tt), "<item>", _ABSENT,
                                             "<changed>"))
            body = tt
            lead = section.lead  # kept, as they have it: its comments stay above it
            out.append([key, lead, body])
            if lead.strip() and any(lead in other for other in my_leads):
                moved = lead  # ... and not also where my removal moved them
            continue
        elif mt is None or _same(mt, bt) or _same(mt, tt):
            body = tt
        elif _same(bt, tt):
            body = _in_gap_of(mt, tt)
            result.changes.append(f"changed {' '.join(key)}")
        else:
            inner = merge_both(bt or "", mt, tt, taken=taken, whole_mine=mine,
                               clash_notes=clash_notes)
            result.conflicts.extend(inner.conflicts)
            body = _ensure_break(inner.text)
            result.changes.extend(inner.changes)
        if moved and lead.startswith(moved):
            lead = lead[len(moved):]
        if carry and not lead.startswith(carry):
            lead = carry + lead
        carry = moved = ""
        out.append([key, lead, body])
    if carry:
        out.append([("",), carry, ""])
    _keep_my_order(out, b_list, m_list, t_list, result)
    t_keys = {s.key for s in t_list}
    for key, section in m.items():
        if key in b and key not in t_keys and not _same(section.body, b[key].body):
            # I changed it and they removed it: never dropped behind my back.
            result.conflicts.append(Conflict(_item_path(key, section.body), "<item>",
                                             "<changed>", _ABSENT))
    for index, section in enumerate(m_list):
        if section.key in b or section.key in t_keys:
            continue
        keys = [entry[0] for entry in out]
        before = m_list[index - 1].key if index else None
        kind = section.key[0]
        if before is not None and before in keys:
            where = keys.index(before) + 1
        else:
            same = [i for i, k in enumerate(keys) if k[0] == kind]
            where = same[-1] + 1 if same else len(out)
        lead = section.lead
        if where == len(out) and out and not out[-1][2].endswith("\n\n") and not lead:
            lead = "\n"
        out.insert(where, [section.key, lead, _ensure_break(section.body)])
        result.changes.append(f"added {' '.join(section.key)}")
    result.text = "".join(lead + body for _, lead, body in out)
    return result


def _keep_my_order(out: list[list[Any]], b_list: list[_Section], m_list: list[_Section],
                   t_list: list[_Section], result: MergeResult) -> None:
    """When only I changed the order of sections (moved a stage up the file), the merge
    keeps my order; when they changed it too, theirs (already saved) stands."""
    placed = {entry[0] for entry in out}
    common = {s.key for s in b_list} & {s.key for s in m_list} & placed
    base_order = [s.key for s in b_list if s.key in common]
    my_order = [s.key for s in m_list if s.key in common]
    their_order = [s.key for s in t_list if s.key in common]
    if my_order == base_order or their_order != base_order:
        return
    entries = {entry[0]: entry for entry in out if entry[0] in common}
    slots = [i for i, entry in enumerate(out) if entry[0] in common]
    for i, key in zip(slots, my_order, strict=True):
        out[i] = entries[key]
    result.changes.append("changed the order of the plan's sections")


Check = Callable[[str], list[str]]
"""What is wrong with a plan's text, one plain message a problem ([] when it is valid)."""

_ID_LINE = re.compile(r'^[ \t]*id[ \t]*=[ \t]*"([^"\\\n]*)"', re.MULTILINE)


def _ids(text: str) -> set[str]:
    """Every ``id = "..."`` in a text (a cheap superset of the ids in use)."""
    return set(_ID_LINE.findall(text))


def merge(base: str, mine: str, theirs: str, *, check: Check | None = None,
          clash_notes: bool = True) -> MergeResult:
    """Replay onto ``theirs`` what ``mine`` changed since ``base``.

    Whole sections that only one side changed are taken as that side wrote them (fast:
    no TOML document is built); a section both sides changed is merged field by field.

    With ``check``, a clean result is also checked as a plan: changes that are each fine
    but break the plan together (a link to a stage someone removed, a loop made of two
    links, a person someone removed named in a list) come back as conflicts, one for each
    of my changes that takes part (see ``validated``).
    """
    result = _merge(base, mine, theirs, clash_notes=clash_notes)
    if check is not None and result.clean and result.text not in (theirs, mine):
        result = validated(result, base, mine, theirs, check)
    return _as_written(result, theirs)


def _as_written(result: MergeResult, theirs: str) -> MergeResult:
    """``result`` with the line breaks of the file as it now is (``theirs``): lines taken
    from a copy written otherwise, or added by tomlkit, end as the file's own do."""
    text = keep_line_breaks(result.text, theirs)
    if text is not result.text:
        result.text = text
    return result


def _merge(base: str, mine: str, theirs: str, *, clash_notes: bool = True) -> MergeResult:
    if mine in (base, theirs):
        return MergeResult(theirs)
    if theirs == base:
        return MergeResult(mine)
    taken = _ids(mine) | _ids(theirs)
    if mine and base and theirs:
        fast = merge_sections(base, mine, theirs, taken=taken, clash_notes=clash_notes)
        if fast is not None:
            try:
                toml_loads(fast.text)
            except TOMLDecodeError:
                pass
            else:
                return fast
    return merge_both(base, mine, theirs, taken=taken, whole_mine=mine,
                      clash_notes=clash_notes)


def merge_both(base: str, mine: str, theirs: str, *, taken: set[str] | None = None,
               whole_mine: str | None = None, clash_notes: bool = True) -> MergeResult:
    """A text both sides changed: its values merged field by field (``merge_fields``),
    and the text each person wrote kept with them.

    Where the lines each side changed do not touch, the text is merged line by line (as
    git merges text) and taken if it holds exactly the values of the field merge: every
    comment, blank line and indent of both sides stays.  Otherwise the field merge's text
    (theirs, with my values) gets back the comments I added or changed (``keep_notes``),
    so no one's note is ever dropped, even beside a clash.  Without ``clash_notes`` the
    comments of a clashing value are left to whoever shows the clash (git's driver shows
    both sides' lines between its markers)."""
    fields = merge_fields(base, mine, theirs, taken=taken, whole_mine=whole_mine)
    if fields.clean:
        # Line by line; failing that, with what both only added at the same place (an
        # entry each at the end of one stage) kept as each author wrote it, indent and all.
        for both_added in (False, True):
            lines = merge_lines(base, mine, theirs, both_added=both_added)
            if lines is None:
                continue
            try:
                same = flatten(lines) == flatten(fields.text)
            except TOMLDecodeError:
                same = False
            if same:
                return MergeResult(lines, [], fields.changes)
    clashing = set() if clash_notes else {c.path for c in fields.conflicts}
    fields.text = keep_notes(base, mine, fields.text, clashing=clashing,
                             renamed=fields.renamed)
    return fields


def _named(data: Any, where: tuple[Any, ...]) -> Path | None:
    """``("stage", 2, "title")`` (as ``tomltext.locate`` knows a key) as ``flatten`` knows
    it, ``("stage", "design", "title")``; None for what is not a key or a table."""
    node: Any = data
    out: list[str] = []
    i = 0
    while i < len(where):
        key = where[i]
        if not isinstance(key, str) or not isinstance(node, dict) or key not in node:
            return None
        value = node[key]
        if i + 1 < len(where) and isinstance(where[i + 1], int):
            index = where[i + 1]
            if key not in _ARRAYS or not isinstance(value, list) or index >= len(value) \
                    or not isinstance(value[index], dict):
                return None
            ident = _identity(key, value[index], index, tuple(out))
            out += [key, ident]
            node = value[index]
            i += 2
            continue
        out.append(key)
        node = value
        i += 1
    return tuple(out)


def _lines_by_path(text: str) -> dict[Path, int]:
    """The line (from 1) of every key and table header in ``text``, by its path as
    ``flatten`` knows it."""
    data = toml_loads(text)
    out: dict[Path, int] = {}
    for where, line in locate(text).items():
        named = _named(data, where)
        if named is not None:
            out.setdefault(named, line)
    return out


def _is_note(row: str) -> bool:
    return row.lstrip().startswith("#")


def keep_notes(base: str, mine: str, merged: str, *,
               clashing: set[Path] = frozenset(),  # type: ignore[assignment]
               renamed: dict[Path, Path] | None = None) -> str:
    """``merged`` with every comment I added or changed since ``base`` that it lacks: a
    comment line goes above the key or header it stood above in my text, a comment at
    the end of a key's line goes at the end of that line (or, where the other side wrote
    another comment there, on a line of its own above it).  Nothing of mine is dropped,
    and a comment already there is not written twice.  The comments of a value in
    ``clashing`` (at the end of its line and below it) are left to the clash, which shows
    both sides' lines.  ``renamed``: entries of mine the merge gave a fresh id (an entry
    both sides added under one id), whose comments go with the entry by its new id, not to
    the other side's entry that kept the old one."""
    from collections import Counter
    from difflib import SequenceMatcher

    try:
        b_at, m_at, o_at = _lines_by_path(base), _lines_by_path(mine), _lines_by_path(merged)
    except TOMLDecodeError:
        return merged
    for old, new in (renamed or {}).items():
        m_at = {(*new, *path[len(old):]) if path[:len(old)] == old else path: line
                for path, line in m_at.items()}
    m_paths = {line: path for path, line in m_at.items()}
    b_rows, m_rows = base.splitlines(), mine.splitlines()
    rows = merged.splitlines(keepends=True)
    wanted = Counter(r.strip() for r in m_rows if _is_note(r))
    present = Counter(r.strip() for r in rows if _is_note(r))
    inserts: list[tuple[int, int, list[str]]] = []  # (before row, order, lines)

    def anchor(after_row: int) -> int:
        """Where in ``merged`` to put what stood above my row ``after_row`` (from 0)."""
        for j in range(after_row, len(m_rows)):
            path = m_paths.get(j + 1)
            if path is None:
                continue
            for depth in range(len(path), 0, -1):
                line = o_at.get(path[:depth])
                if line is not None:
                    return line - 1 if depth == len(path) else line
            break
        end = len(rows)
        while end and not rows[end - 1].strip():
            end -= 1
        return end

    break_ = "\r\n" if merged.endswith("\r\n") else "\n"
    if rows and not rows[-1].endswith(("\n", "\r")):
        rows[-1] += break_
    def owner(row: int) -> Path | None:
        """The key whose lines (and the comments below them) my row ``row`` is among."""
        for j in range(row, -1, -1):
            if (path := m_paths.get(j + 1)) is not None:
                return path
        return None

    matcher = SequenceMatcher(None, b_rows, m_rows, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag not in ("insert", "replace"):
            continue
        block: list[str] = []
        for j in range(j1, j2 + 1):
            row = m_rows[j] if j < j2 else None
            if row is not None and _is_note(row) and present[row.strip()] < wanted[row.strip()]:
                present[row.strip()] += 1
                block.append(row + break_)
                continue
            if block:
                if owner(j - len(block)) not in clashing:
                    inserts.append((anchor(j), j, block))
                block = []
            if row is None or (path := m_paths.get(j + 1)) is None or path in clashing:
                continue
            note = comment_of(row)
            if note is None or (path in b_at and comment_of(b_rows[b_at[path] - 1]) == note):
                continue
            line = o_at.get(path)
            if line is None:
                continue
            there = rows[line - 1]
            their_note = comment_of(there.rstrip("\r\n"))  # (as mine is read: no break)
            if their_note == note:
                continue
            was = comment_of(b_rows[b_at[path] - 1]) if path in b_at else None
            if their_note is None or their_note == was:
                body = there.rstrip("\r\n")
                if their_note is not None:
                    body = body[:len(body) - len(their_note) - 1].rstrip()
                mine_body = row[:len(row) - len(note) - 1]
                gap = mine_body[len(mine_body.rstrip()):] or " "
                rows[line - 1] = body + gap + "#" + note + break_
            else:
                indent = there[:len(there) - len(there.lstrip())]
                inserts.append((line - 1, j, [indent + "#" + note + break_]))
    for at, _, lines in sorted(inserts, key=lambda x: (x[0], x[1]), reverse=True):
        rows[at:at] = lines
    return "".join(rows)
def _fresh_id(ident: str, taken: set[str]) -> str:
    """``aims-2`` -> ``aims-3`` (the next number nobody uses), ``sam`` -> ``sam-2``."""
    match = re.fullmatch(r"(.*?)-(\d+)", ident)
    stem, n = (match.group(1), int(match.group(2)) + 1) if match else (ident, 2)
    while fitted_id(stem, f"-{n}") in taken:
        n += 1
    return fitted_id(stem, f"-{n}")  # (within an id's most, the stem cut at a word end)


def merge_fields(base: str, mine: str, theirs: str, *, taken: set[str] | None = None,
                 whole_mine: str | None = None) -> MergeResult:
    """The field-by-field merge over whole documents (tomlkit).

    ``taken`` are the ids in use anywhere in the plan and ``whole_mine`` my whole text,
    where ``mine`` is only a part of it (for an entry both sides added with the same id)."""
    if mine in (base, theirs):
        return MergeResult(theirs)
    if theirs == base:
        return MergeResult(mine)
    b, m, t = flatten(base), flatten(mine), flatten(theirs)
    taken = set(taken) if taken is not None else _ids(mine) | _ids(theirs)
    whole_mine = mine if whole_mine is None else whole_mine
    doc = read_plan_doc(theirs)
    mine_doc: Any = None  # parsed only if an item of mine must be copied across
    result = MergeResult(theirs)
    handled_items: set[Path] = set()

    def under(path: Path, roots: set[Path]) -> bool:
        return any(path[:len(r)] == r for r in roots)

    def subtree(flat: dict[Path, Any], path: Path) -> dict[Path, Any]:
        return {p[len(path):]: v for p, v in flat.items() if p[:len(path)] == path}

    for path in sorted(set(b) | set(m), key=len):
        bv, mv, tv = b.get(path, _ABSENT), m.get(path, _ABSENT), t.get(path, _ABSENT)
        if under(path, handled_items):
            continue
        if bv == mv == "<item>" and tv is _ABSENT:
            if subtree(m, path) != subtree(b, path):  # I changed it, they removed it
                result.conflicts.append(Conflict(path, "<item>", "<changed>", _ABSENT))
            handled_items.add(path)
            continue
        if bv == mv:
            continue
        if mv == "<item>" and bv is _ABSENT:
            if mine_doc is None:
                mine_doc = read_plan_doc(mine)
            if tv is _ABSENT:
                _copy_item(mine_doc, doc, path)
                result.changes.append(f"added {path[-2]} {path[-1]}")
                handled_items.add(path)
                continue
            if subtree(m, path) == subtree(t, path):
                handled_items.add(path)  # both added the same thing
                continue
            # Both added an entry known by the same name, each different: keep both if
            # mine can take a new id (nothing of mine refers to it yet), else compare
            # them field by field below (what differs is a conflict).
            key = _ARRAYS.get(path[-2])
            own = m.get((*path, key)) if key else None
            if own is None or (isinstance(own, str) and
                               whole_mine.count(f'"{own}"') <= 1):
                copy = _copy_item(mine_doc, doc, path)
                if copy is not None and key and isinstance(own, str):
                    fresh = _fresh_id(own, taken)
                    taken.add(fresh)
                    copy[key] = fresh
                    result.renamed[path] = (*path[:-1], fresh)
                    result.changes.append(
                        f"added {path[-2]} {fresh} (someone else added a different "
                        f"{path[-2]} '{own}' at the same time)")
                else:
                    result.changes.append(f"added {path[-2]} {path[-1]}")
                handled_items.add(path)
                continue
            continue
        if bv == "<item>" and mv is _ABSENT:
            changed = [p for p in t if p[:len(path)] == path and b.get(p, _ABSENT) != t[p]]
            if tv is not _ABSENT and changed:
                result.conflicts.append(Conflict(path, "<item>", _ABSENT, "<changed>"))
            elif tv is not _ABSENT:
                _remove_item(doc, path)
                result.changes.append(f"removed {path[-2]} {path[-1]}")
            handled_items.add(path)
            continue
        if mv in ("<table>", "<item>") or bv in ("<table>", "<item>"):
            continue
        if tv in (bv, mv):
            new = mv
        elif _listish(bv) and _listish(mv) and _listish(tv):
            new = _merge_lists(bv, mv, tv)
            if not new and (mv is _ABSENT or tv is _ABSENT):
                new = _ABSENT  # emptied: the key goes, as edits remove an empty list
        else:
            result.conflicts.append(Conflict(path, bv, mv, tv))
            continue
        if new is _ABSENT:
            if tv is not _ABSENT:
                _delete(doc, path)
                result.changes.append(f"removed {' › '.join(path)}")
        elif new != tv:
            if mine_doc is None:
                mine_doc = read_plan_doc(mine)
            _set(doc, path, new, mine_doc)
            result.changes.append(f"changed {' › '.join(path)}")
    result.text = doc.as_string()
    return result


# -- checking the merged plan -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Unit:
    """One of my changes as the merge applied it: an entry added or removed, or a field."""

    kind: str  # "added" | "removed" | "field"
    path: Path


def _units(merged: dict[Path, Any], theirs: dict[Path, Any]) -> list[_Unit]:
    units: list[_Unit] = []
    roots: list[Path] = []

    def inside(path: Path) -> bool:
        return any(path[:len(r)] == r for r in roots)

    for path in sorted(set(merged) | set(theirs), key=len):
        if inside(path):
            continue
        mv, tv = merged.get(path, _ABSENT), theirs.get(path, _ABSENT)
        if mv == tv:
            continue
        if mv == "<item>" and tv is _ABSENT:
            units.append(_Unit("added", path))
            roots.append(path)
        elif tv == "<item>" and mv is _ABSENT:
            units.append(_Unit("removed", path))
            roots.append(path)
        elif "<table>" in (mv, tv) or "<item>" in (mv, tv):
            continue
        else:
            units.append(_Unit("field", path))
    return units


def _take_theirs(doc: Any, theirs_doc: Any, theirs: dict[Path, Any], unit: _Unit) -> None:
    if unit.kind == "added":
        _remove_item(doc, unit.path)
    elif unit.kind == "removed":
        _copy_item(theirs_doc, doc, unit.path)
    elif (value := theirs.get(unit.path, _ABSENT)) is _ABSENT:
        _delete(doc, unit.path)
    else:
        _set(doc, unit.path, value, theirs_doc)  # as they wrote it


def validated(result: MergeResult, base: str, mine: str, theirs: str, check: Check,
              choices: dict[Path, Any] | None = None) -> MergeResult:
    """``result`` if its text is as valid a plan as ``mine`` and ``theirs`` are; else the
    changes of mine that break it, as conflicts (nothing is written until they are
    settled).  A change of mine whose path has a choice is settled by it: "theirs" takes
    it back, ("value", v) writes v, "mine" keeps it (and it comes back as a conflict if
    the plan still does not work)."""
    text = result.text
    choices = choices or {}
    if not choices and not check(text):
        return result  # the common case: one reading of the merged plan
    known = set(check(theirs)) | set(check(mine))
    t = flatten(theirs)
    merged = flatten(text)
    units = _units(merged, t)
    chosen = [u for u in units if u.path in choices and choices[u.path] != "mine"]
    if chosen:
        doc = read_plan_doc(text)
        theirs_doc = read_plan_doc(theirs)
        for unit in chosen:
            choice = choices[unit.path]
            if choice == "theirs" or unit.kind != "field":
                _take_theirs(doc, theirs_doc, t, unit)
            else:
                _set(doc, unit.path, choice[1])
        text = doc.as_string()
        units = [u for u in units if u not in chosen]
    new = [p for p in check(text) if p not in known]
    if not new:
        return MergeResult(text, [], result.changes)
    theirs_doc = read_plan_doc(theirs)
    culprits: list[tuple[_Unit, str]] = []
    for unit in units:
        doc = read_plan_doc(text)
        _take_theirs(doc, theirs_doc, t, unit)
        left = [p for p in check(doc.as_string()) if p not in known]
        fixed = [p for p in new if p not in left]
        if fixed:
            culprits.append((unit, fixed[0]))
    if not culprits:
        culprits = [(u, new[0]) for u in units]
    merged = flatten(text)
    b = flatten(base)
    conflicts = [Conflict(u.path, b.get(u.path, _ABSENT), merged.get(u.path, _ABSENT),
                          t.get(u.path, _ABSENT), problem=problem) for u, problem in culprits]
    if not conflicts:  # nothing of mine to take back: say what is wrong all the same
        conflicts = [Conflict((), _ABSENT, _ABSENT, _ABSENT, problem=new[0])]
        return MergeResult(theirs, conflicts, result.changes)
    # The text: everything merged but the changes in conflict (as theirs has them).
    doc = read_plan_doc(text)
    for unit, _ in culprits:
        _take_theirs(doc, theirs_doc, t, unit)
    return MergeResult(doc.as_string(), conflicts, result.changes)


def resolve(base: str, mine: str, theirs: str,
            choices: dict[Path, Any], *, check: Check | None = None) -> MergeResult:
    """Merge, then settle each conflict with the value chosen for its path (``"theirs"``,
    ``"mine"``, or a new value under ``("value", v)``)."""
    first = _merge(base, mine, theirs)
    if first.clean:
        if check is not None and first.text not in (theirs, mine):
            return _as_written(validated(first, base, mine, theirs, check, choices), theirs)
        return _as_written(first, theirs)
    doc = read_plan_doc(first.text)
    mine_doc = read_plan_doc(mine)
    left: list[Conflict] = []
    for conflict in first.conflicts:
        choice = choices.get(conflict.path)
        if choice is None:
            left.append(conflict)
            continue
        if choice == "theirs":
            continue
        if conflict.base == "<item>" and conflict.mine == "<changed>":
            _copy_item(mine_doc, doc, conflict.path)  # mine back, as I changed it
            continue
        if conflict.base == "<item>":
            if choice == "mine":
                _remove_item(doc, conflict.path)
            continue
        value = conflict.mine if choice == "mine" else choice[1]
        if value is _ABSENT:
            _delete(doc, conflict.path)
        else:
            _set(doc, conflict.path, value, mine_doc)
    result = MergeResult(doc.as_string(), left, first.changes)
    if check is not None and result.clean and result.text != theirs:
        result = validated(result, base, mine, theirs, check, choices)
    return _as_written(result, theirs)


# -- applying to a tomlkit document ------------------------------------------------------

def _find(container: Any, path: Path) -> Any:
    """The tomlkit container at ``path`` (item identities resolved), or None."""
    node = container
    i = 0
    parent: Path = ()
    while i < len(path):
        key = path[i]
        if node is None or key not in node:
            return None
        value = node[key]
        if isinstance(value, (AoT, list)) and i + 1 < len(path) and \
                all(isinstance(v, (Table, dict)) for v in value):
            ident = path[i + 1]
            found = None
            for index, entry in enumerate(value):
                plain = entry.unwrap() if hasattr(entry, "unwrap") else dict(entry)
                if _identity(key, plain, index, parent) == ident:
                    found = entry
                    break
            if found is None:
                return None
            parent = (*path[:i + 2],)
            node = found
            i += 2
            continue
        node = value
        i += 1
    return node


def _set(doc: Any, path: Path, value: Any, source: Any = None) -> None:
    """Write ``value`` at ``path``, spelled as whoever wrote it spelled it: as ``source``
    (the document the value comes from) writes it where it holds that value there, and a
    list merged from both sides' changes as ``doc`` writes it, with only what was
    added or taken out changed (``_edited_list``).  Only a value no one wrote this way (one
    typed to settle a clash) is written afresh."""
    from coplan.edit import key_order

    holder = _find(doc, path[:-1]) if len(path) > 1 else doc
    if holder is None:
        holder = _ensure_tables(doc, path[:-1])
    written = _written(source, path) if source is not None else None
    if written is not None and written.unwrap() == value:
        item: Any = copy.deepcopy(written)
        # (the comment at the end of its line is not the value's: ``keep_notes`` brings
        # the ones I wrote, and theirs stays where it is)
        item.trivia.comment = item.trivia.comment_ws = ""
        if "\n" not in item.trivia.trail:
            item.trivia.trail = "\n"
    elif isinstance(value, list) and \
            (edited := _edited_list(_written(doc, path), value, source, path)) is not None:
        item = edited
    else:
        item = _inline(value)
    # A key new to its table goes among its keys in the schema's order, as an edit puts it.
    set_key(holder, path[-1], item, key_order(_place_of(path[:-1])))


def _written(doc: Any, path: Path) -> Any:
    """The tomlkit item written at ``path`` in ``doc`` (None when there is none)."""
    holder = _find(doc, path[:-1]) if len(path) > 1 else doc
    return child(holder, path[-1])


def _edited_list(array: Any, value: list[Any], source: Any, path: Path) -> Array | None:
    """The list ``array`` (as written in the file) made to hold ``value`` as a person
    would make it: the entries no longer wanted taken out, the new ones added at its end
    (spelled as ``source`` writes them), so that its layout, the spelling of the entries
    kept and the comments inside it stay.  None when that cannot give ``value`` (its
    entries in another order), or ``array`` is not a list."""
    if not isinstance(array, Array):
        return None

    def key(v: Any) -> str:
        return json.dumps(v.unwrap() if isinstance(v, Item) else v, sort_keys=True,
                          default=str)

    wanted = [key(v) for v in value]
    kept = [i for i, v in enumerate(array) if key(v) in wanted]
    if [key(array[i]) for i in kept] != wanted[:len(kept)]:
        return None
    edited = copy.deepcopy(array)
    for i in reversed(range(len(edited))):
        if i not in kept:
            del edited[i]
    spelled = _written(source, path) if source is not None else None
    spellings = {key(v): v for v in spelled} if isinstance(spelled, Array) else {}
    for v in value[len(kept):]:
        edited.append(copy.deepcopy(spellings[key(v)]) if key(v) in spellings
                      else _inline(v))
    return edited if edited.unwrap() == value else None


def _place_of(path: Path) -> tuple[str, ...]:
    """Where the schema places the table at ``path`` (the identities of entries left out:
    ``("stage", "aims", "touchpoint", "t1")`` is ``("stage", "touchpoint")``)."""
    out: list[str] = []
    i = 0
    while i < len(path):
        out.append(path[i])
        i += 2 if path[i] in _ARRAYS and i + 1 < len(path) else 1
    return tuple(out)


def _inline(value: Any) -> Any:
    """A value as one line of TOML: a mapping becomes an inline table (``{ stage = "x",
    lag = "1w" }``), never a table of its own."""
    if isinstance(value, Item):
        return value  # (already written as someone wrote it)
    if isinstance(value, dict):
        table = tomlkit.inline_table()
        table.update({k: _inline(v) for k, v in value.items()})
        return table
    if isinstance(value, list):
        array = tomlkit.array()
        array.extend(_inline(v) for v in value)
        return array
    return value


def _delete(doc: Any, path: Path) -> None:
    holder = _find(doc, path[:-1]) if len(path) > 1 else doc
    if holder is not None and path[-1] in holder:
        del holder[path[-1]]


def _ensure_tables(doc: Any, path: Path) -> Any:
    node = doc
    for key in path:
        if key not in node:
            node[key] = tomlkit.table()
        node = node[key]
    return node


def _remove_item(doc: Any, path: Path) -> None:
    holder = _find(doc, path[:-2]) if len(path) > 2 else doc
    if holder is None:
        return
    array = holder.get(path[-2])
    if array is None:
        return
    parent = path[:-2]
    for index, entry in enumerate(list(array)):
        plain = entry.unwrap() if hasattr(entry, "unwrap") else dict(entry)
        if _identity(path[-2], plain, index, parent) == path[-1]:
            remove_entry_of(holder, path[-2], index)  # the comments above what follows stay
            return


def _copy_item(source: Any, target: Any, path: Path) -> Any:
    """Append to ``target`` a copy of the entry at ``path`` in ``source``, written as its
    author wrote it (``tomldoc.entry_as_written``); the copy (or None if either end is missing)."""
    entry = _find(source, path)
    holder = _find(target, path[:-2]) if len(path) > 2 else target
    if entry is None or holder is None:
        return None
    existing = holder.get(path[-2])
    if isinstance(existing, Array) and isinstance(entry, InlineTable):
        existing.append(copy.deepcopy(entry))  # in the array's own layout, as an edit adds
        return existing[-1]
    append_element(holder, path[-2], entry_as_written(entry))
    return holder[path[-2]][-1]


PersonWords = Callable[[dict[str, Any], str], str]
"""How the journal names a person, from their ``[[person]]`` entry's keys and the plan's
``[project] setting`` (``sync`` names them as shared outputs do, through ``privacy``, which
this layer cannot reach)."""


def describe_changes(before: str, after: str,
                     person: PersonWords | None = None) -> list[str]:
    """Plain sentences for what changed between two texts of a plan ("recorded session 2
    of 'Drop-in' as held", "recorded a payment to T. (person with lived experience)
    for session 1 of 'Drop-in'"), for the activity journal and the notices other people's
    copies show when another instance saves.

    They may be read by anyone working on the plan, so they say what kind of thing
    changed and where, never what was written: no amounts, notes, reasons or needs, and a
    person is named only as ``person`` names them (as shared outputs may: see
    ``sync.describe_changes``), else as "someone"."""
    try:
        b, a = flatten(before), flatten(after)
    except TOMLDecodeError:
        return ["changed the plan"]
    words = _Words(b, a, person)
    out: list[str] = []
    added = [p for p in set(a) - set(b) if a[p] == "<item>"]
    removed = [p for p in set(b) - set(a) if b[p] == "<item>"]
    # An entry known by its whole content comes back as another entry when one of its
    # values changes: one removed and one added in the same place is that entry changed.
    pairs: list[tuple[Path, Path]] = []
    for path in sorted(removed, key=lambda p: (len(p), p)):
        if not path[-1].startswith("="):
            continue
        twin = next((q for q in sorted(added) if q[:-1] == path[:-1]
                     and q[-1].startswith("=") and words.same_entry(path, q)), None)
        if twin is not None:
            pairs.append((path, twin))
            added.remove(twin)
            removed.remove(path)
    for path in sorted(added, key=len):
        if not any(path[:k] in added for k in range(1, len(path))):
            out.append(words.sentence("added", path))
    for path in sorted(removed, key=len):
        if not any(path[:k] in removed for k in range(1, len(path))):
            out.append(words.sentence("removed", path))
    for old, new in pairs:
        was = {p[-1]: v for p, v in b.items() if len(p) == len(old) + 1 and p[:-1] == old}
        now = {p[-1]: v for p, v in a.items() if len(p) == len(new) + 1 and p[:-1] == new}
        keys = {k for k in {*was, *now} if was.get(k, _ABSENT) != now.get(k, _ABSENT)}
        out.append(words.sentence("changed", new, old=old, keys=keys))
    # Values changed, set or removed in a table or an entry both texts have (or in a
    # table one of them adds or drops): an entry added or removed is said above.
    touched = {p for p in set(a) ^ set(b) | {p for p in set(a) & set(b) if a[p] != b[p]}
               if a.get(p) not in ("<item>", "<table>") and
               b.get(p) not in ("<item>", "<table>")}
    said = {*added, *removed, *(n for _, n in pairs), *(o for o, _ in pairs)}
    for item in sorted({p[:-1] for p in touched}, key=len):
        if item and not any(item[:k] in said for k in range(1, len(item) + 1)):
            keys = {p[-1] for p in touched if p[:-1] == item}
            out.append(words.sentence("changed", item, keys=keys))
    return _dedupe(out) or ["changed the plan"]


def _anonymous() -> dict[str, str]:
    """What an entry of each array of tables is called ("a payment"), by its key."""
    from coplan import schema
    from coplan.model import Plan

    out: dict[str, str] = {}
    for place in schema.places(Plan):
        if place.sub is not None and place.sub.array and not place.sub.inline:
            out.setdefault(place.path[-1], schema.schema_of(place.model).shape.anonymous)
    return out


class _Words:
    """Sentences about entries of two flattened texts of a plan (before and after)."""

    def __init__(self, before: dict[Path, Any], after: dict[Path, Any],
                 person: PersonWords | None) -> None:
        self.before, self.after = before, after
        self.naming = person

    def value(self, path: Path, key: str) -> Any:
        found = self.after.get((*path, key), _ABSENT)
        return self.before.get((*path, key)) if found is _ABSENT else found

    def in_before(self, path: Path, key: str) -> Any:
        return self.before.get((*path, key))

    def same_entry(self, old: Path, new: Path) -> bool:
        """Whether ``new`` is ``old`` with some values changed: the same session, person
        and activity (for a payment), the same session (for a record)."""
        kind = old[-2]
        keys = {"record": ("session",), "paid": ("who", "for", "session"),
                "reflection": ("checkpoint", "date"), "impact": ("touchpoint",),
                "log": ("date",)}.get(kind, ())
        return all(self.before.get((*old, k)) == self.after.get((*new, k)) for k in keys)

    def stage(self, sid: str) -> str:
        return f"'{self.value(('stage', sid), 'title') or sid}'"

    def touchpoint(self, path: Path) -> str:
        return f"'{self.value(path, 'title') or path[-1]}'"

    def activity(self, ident: str) -> str:
        for path, value in (*self.after.items(), *self.before.items()):
            if len(path) == 2 and path[0] in ("meeting", "stage") and value == "<item>" \
                    and path[1] == ident:
                return f"'{self.value(path, 'title') or ident}'"
            if len(path) == 4 and path[2] == "touchpoint" and path[3] == ident:
                return self.touchpoint(path)
        return f"'{ident}'"

    def person(self, pid: Any) -> str:
        """A person as ``naming`` names them ("someone" without it)."""
        path = ("person", str(pid))
        if self.naming is None or self.value(path, "id") is None:
            return "someone"
        keys = {p[-1]: v for p, v in (*self.before.items(), *self.after.items())
                if len(p) == 3 and p[:2] == path}
        setting = self.after.get(("project", "setting"), self.before.get(
            ("project", "setting"), "research"))
        return self.naming(keys, setting if isinstance(setting, str) else "research")

    def sentence(self, verb: str, path: Path, *, old: Path | None = None,
                 keys: set[str] = frozenset()) -> str:  # type: ignore[assignment]
        kind = path[-2] if len(path) >= 2 else ""
        if kind == "record" and len(path) == 6:
            return self._record(verb, path, keys)
        if kind == "paid" and len(path) == 2:
            return self._payment(verb, path, old, keys)
        if kind == "impact" and len(path) == 2:
            source = self.value(path, "touchpoint")
            where = f" from {self.activity(source)}" if source else ""
            return {"added": f"added to the impact log{where}",
                    "removed": f"removed an entry of the impact log{where}"}.get(
                        verb, f"changed an entry of the impact log{where}")
        if kind == "reflection" and len(path) == 2:
            number = self.value(path, "checkpoint")
            at = f" at checkpoint {number}" if number else ""
            return {"added": f"noted what the team noticed{at}",
                    "removed": f"removed a reflection{at}"}.get(
                        verb, f"changed a reflection{at}")
        if kind == "touchpoint" and len(path) == 4:
            link = {"added": "to", "removed": "from"}.get(verb, "of")
            which = _which(("stage", "touchpoint"), keys) if verb == "changed" else ""
            return (f"{verb} the touchpoint {self.touchpoint(path)} {link} "
                    f"{self.stage(path[1])}{which}")
        if kind == "decision" and len(path) == 4:
            link = {"added": "to", "removed": "from"}.get(verb, "of")
            return f"{verb} a decision {link} {self.stage(path[1])}"
        if len(path) >= 2 and path[0] == "stage":
            if verb == "changed" and len(path) == 2 and keys & {"started", "finished"}:
                parts = []
                for key, word in (("started", "started"), ("finished", "finished")):
                    if key in keys:
                        when = self.after.get((*path, key))
                        parts.append(f"{word} on {when:%d %b %Y}" if hasattr(when, "year")
                                     else f"{word} (date removed)")
                return f"recorded that {self.stage(path[1])} {' and '.join(parts)}"
            which = _which(("stage",), keys) if verb == "changed" and len(path) == 2 else ""
            return f"{verb} the stage {self.stage(path[1])}{which}"
        if kind == "person" and len(path) == 2:
            name = self.person(path[1])
            return {"added": f"added {name} to the people",
                    "removed": f"removed {name} from the people"}.get(
                        verb, f"changed the details of {name}")
        if kind == "meeting" and len(path) == 2:
            which = _which(("meeting",), keys) if verb == "changed" else ""
            return f"{verb} the meeting '{self.value(path, 'title') or path[1]}'{which}"
        if kind == "log" and len(path) == 2:
            return {"added": "logged a decision"}.get(verb, f"{verb} a decision in the log")
        if verb == "changed" and path in _tables():
            return _table_words(path, keys)
        named = _ANONYMOUS.get(kind)
        if named and "{" not in named:
            return f"{verb} {named}"
        if path:
            return f"{verb} {path[0].replace('_', ' ')}"
        return f"{verb} the plan"

    def _record(self, verb: str, path: Path, keys: set[str]) -> str:
        tp = self.touchpoint(path[:4])
        number = self.value(path, "session") or 1
        session = f"session {number} of {tp}"
        if verb == "removed":
            return f"removed the record of {session}"
        status = self.value(path, "status")
        if verb == "added" or "status" in keys:
            if status == "moved":
                when = self.value(path, "on")
                to = f" to {when:%d %b %Y}" if hasattr(when, "year") else ""
                return f"recorded {session} as moved{to}"
            return f"recorded {session} as {status or 'held'}"
        if "feedback_sent" in keys and self.after.get((*path, "feedback_sent")):
            return f"recorded that people at {session} heard back"
        return f"changed the record of {session}"

    def _payment(self, verb: str, path: Path, old: Path | None, keys: set[str]) -> str:
        who = self.person(self.value(path, "who"))
        activity = self.value(path, "for")
        number = self.value(path, "session") or 1
        what = f" for session {number} of {self.activity(activity)}" if activity else ""
        paid = self.after.get((*path, "paid")) if verb != "removed" else None
        if verb == "added":
            return f"recorded a payment to {who}{what}" if paid else \
                f"recorded a claim from {who}{what} (not paid yet)"
        if verb == "removed":
            return f"removed a payment to {who}{what}"
        was_paid = self.before.get((*old, "paid")) if old is not None else \
            self.in_before(path, "paid")
        if paid and not was_paid:
            return f"recorded a payment to {who}{what}, settling their claim"
        return f"changed the payment to {who}{what}"


_ANONYMOUS = _anonymous()


@functools.cache
def _labels() -> dict[Path, tuple[str, dict[str, str]]]:
    """Every table and kind of entry of the plan, by where the schema places it: its label
    and its keys' labels, as the forms show them."""
    from coplan import schema
    from coplan.model import Plan

    out: dict[Path, tuple[str, dict[str, str]]] = {}
    for place in schema.places(Plan):
        if place.sub is None:
            continue
        labels = {m.toml: getattr(m.spec, "label", "") or m.toml.replace("_", " ")
                  for m in schema.schema_of(place.model).members}
        out[place.path] = (place.sub.label or place.path[-1].replace("_", " "), labels)
    return out


@functools.cache
def _tables() -> frozenset[Path]:
    """The tables of the plan that are not entries of an array (``[governance]``,
    ``[project.slow_down]``)."""
    from coplan import schema
    from coplan.model import Plan

    return frozenset(p.path for p in schema.places(Plan)
                     if p.sub is not None and not p.sub.array)


def _values_words(place: Path, keys: set[str]) -> str:
    """Which values changed, by the labels the form shows ("'Involvement lead' and
    'Co-leads'"): never the values themselves (amounts, notes, needs, contact)."""
    labels = _labels().get(place, ("", {}))[1]
    order = list(labels)
    ranked = sorted(keys, key=lambda k: (order.index(k) if k in labels else len(order), k))
    named = [f"'{labels.get(k) or k.replace('_', ' ')}'" for k in ranked]
    if len(named) > 4:
        return f"{', '.join(named[:3])} and {count(len(named) - 3, 'more value')}"
    if len(named) > 1:
        return f"{', '.join(named[:-1])} and {named[-1]}"
    return named[0] if named else ""


def _table_words(path: Path, keys: set[str]) -> str:
    """Which values of a table changed ("changed 'Involvement lead' in Governance")."""
    label = _labels()[path][0]
    shown = _values_words(path, keys)
    return f"changed {shown} in {label}" if shown else f"changed {label}"


def _which(place: Path, keys: set[str]) -> str:
    """": 'Day' and 'Time'", the values of an entry that changed, where any did."""
    shown = _values_words(place, keys)
    return f": {shown}" if shown else ""


def _dedupe(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen

