"""Arrays of tables in a tomlkit document, changed as a person would change the text.

tomlkit keeps the comments above a table's header (a banner such as
``# -- stages --``) at the end of the table *before* it.  Adding or removing an entry of
an array of tables must move those comments so that they stay above what they name:
``edit`` (a person's change) and ``merge`` (copying or taking back someone's entry) both
change arrays of tables through here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import tomlkit
from tomlkit._compat import decode
from tomlkit.container import Container, OutOfOrderTableProxy
from tomlkit.items import (
    AoT,
    Array,
    Comment,
    InlineTable,
    Item,
    Null,
    Table,
    Trivia,
    Whitespace,
)

# -- arrays of tables written in several places ----------------------------------------
#
# TOML lets the entries of one array of tables be written apart: ``[[stage]]``, then
# ``[project]``, then more ``[[stage]]`` (stages added at the end of a file, below the
# people).  tomlkit reads every entry into the array where it was first written and writes
# them all out there, so any change (even to another value) moved the later entries up: a
# person's file rewritten behind their back.  ``parse`` keeps each later run of entries in
# its place: a ``Part`` stands in the table's body where the run was written, and writes
# the entries that belong there.  The array itself stays one array (reading, adding,
# removing and moving entries see all of them); each entry belongs to the part it was
# written in, an entry added belongs to the part of the entry before it, and the array's
# own place writes only the entries that belong to no ``Part``.

_parsing = threading.local()


class Part(Item):
    """Where a later run of entries of the array of tables ``aot`` is written (a place in
    a table's body, as a comment's is); its ``tail`` is what stays there when its entries
    are gone (the comments that ended the last of them)."""

    def __init__(self, aot: AoT, header: str) -> None:
        super().__init__(Trivia(indent="", comment_ws="", comment="", trail=""))
        self.aot = aot
        self.header = header  # the array's name as its headers write it ("stage.touchpoint")
        self.tail = ""

    @property
    def discriminant(self) -> int:
        return 100

    @property
    def value(self) -> Any:
        return None

    def unwrap(self) -> Any:
        return None

    def entries(self) -> list[Table]:
        """The entries written here, in the array's order."""
        return [t for t, part in placed(self.aot) if part is self]

    def as_string(self) -> str:
        renderer = _renderer()
        return "".join(renderer._render_aot_table(t, prefix=self.header)
                       for t in self.entries()) + self.tail

    def _getstate(self, protocol: int = 3) -> tuple[Any, ...]:
        return self.aot, self.header


def _renderer() -> Container:
    """Something to write an entry with (tomlkit's ``Container`` does: each entry is
    written the same way wherever it is)."""
    return Container(True)


def _parts_of(aot: AoT) -> list[tuple[Table, Part]] | None:
    """The entries of ``aot`` written in a ``Part``, each with its part (None: the array
    is written in one place)."""
    return vars(aot).get("_coplan_parts")


def placed(aot: AoT) -> list[tuple[Table, Part | None]]:
    """Each entry of ``aot`` with the ``Part`` it is written in (None: the array's own
    place).  An entry no part names (one added) goes where the entry before it is."""
    parts = _parts_of(aot)
    if not parts:
        return [(t, None) for t in aot.body]
    home = {id(t): part for t, part in parts}
    found: list[tuple[Table, Part | None]] = []
    current: Part | None = None
    for table in aot.body:
        current = home.get(id(table), current)
        found.append((table, current))
    return found


def part_of(aot: AoT, index: int) -> Part | None:
    """The ``Part`` entry ``index`` of ``aot`` is written in (None: the array's place)."""
    return placed(aot)[index][1] if _parts_of(aot) else None


def _place(aot: AoT, table: Table, part: Part | None) -> None:
    """Write ``table`` (an entry of ``aot``) in ``part`` from now on."""
    parts = _parts_of(aot)
    if parts is None:
        return
    parts[:] = [(t, p) for t, p in parts if t is not table and any(t is e for e in aot.body)]
    parts.append((table, part))  # type: ignore[arg-type]


def _fix_places(aot: AoT) -> None:
    """Name every entry's part (none left to follow the entry before it), so that
    entries can change places."""
    if _parts_of(aot) is not None:
        vars(aot)["_coplan_parts"] = [(t, p) for t, p in placed(aot)]


def _placing_append(self: Container, key: Any, item: Any, validate: bool = True) -> Container:
    """``Container.append`` while ``parse`` reads: an entry of an array of tables written
    after something else (another table) is merged into the array as tomlkit does, and a
    ``Part`` marks where it was written."""
    if not getattr(_parsing, "active", False) or key is None:
        return _plain_append(self, key, item, validate)
    run = [item] if isinstance(item, Table) and item.is_aot_element() else \
        list(item.body) if isinstance(item, AoT) else []
    at = self._map.get(key) if run else None
    if not isinstance(at, int):
        return _plain_append(self, key, item, validate)
    current = self._body[at][1]
    last = next((v for _k, v in reversed(self._body)
                 if not isinstance(v, (Whitespace, Comment, Null))), None)
    if not isinstance(current, AoT) or last is current:
        return _plain_append(self, key, item, validate)
    header = run[0].display_name or str(getattr(key, "key", key))
    _plain_append(self, key, item, validate)
    if isinstance(last, Part) and last.aot is current:
        part = last
    else:
        part = Part(current, header)
        self._body.append((None, part))
    vars(current).setdefault("_coplan_parts", []).extend((t, part) for t in run)
    return self


_plain_append = Container.append
Container.append = _placing_append  # type: ignore[method-assign]


def parse(text: str) -> tomlkit.TOMLDocument:
    """``text`` read as tomlkit reads it, the entries of an array of tables written apart
    kept where they were written (see ``Part``)."""
    _parsing.active = True
    try:
        return tomlkit.parse(text)
    finally:
        _parsing.active = False


def _render_placed_aot(self: Container, key: Any, aot: AoT, prefix: str | None = None) -> str:
    """``Container._render_aot`` writing only the entries that belong at the array's own
    place (the others are written by their ``Part``)."""
    if not _parts_of(aot):
        return _plain_render_aot(self, key, aot, prefix)
    name = key.as_string()
    if prefix is not None:
        name = prefix + "." + name
    return "".join(self._render_aot_table(t, prefix=decode(name))
                   for t, part in placed(aot) if part is None) + own_tail(aot)


def own_tail(aot: AoT) -> str:
    """What stays at the place of an array written in several places when the entries
    written there are gone (the comments that ended the last of them)."""
    return vars(aot).get("_coplan_tail", "")  # type: ignore[no-any-return]


def _keep_at(aot: AoT, part: Part | None, text: str) -> None:
    if part is not None:
        part.tail = text + part.tail
    else:
        vars(aot)["_coplan_tail"] = text + own_tail(aot)


_plain_render_aot = Container._render_aot
Container._render_aot = _render_placed_aot  # type: ignore[method-assign]


TABLE_LIKE = (Table, InlineTable, Container, OutOfOrderTableProxy)
"""What a walk over a document may step into: a table however it is written (a header,
an inline table, the document itself, or a table written in several parts)."""


def table_parts(holder: Any) -> list[Any]:
    """The parts of the file ``holder`` is written in, each a table of the document.

    tomlkit reads a table written in more than one place (``[review]`` with its
    ``[[review.accept]]`` entries further down, or ``review.skip = ...`` as dotted keys
    and then a header) through a proxy: reading it sees every part, but a change made
    through it (an entry deleted from, or appended to, an array it merged from the
    parts) reaches no part and is lost.  Every change goes to the part that holds what
    it changes."""
    if isinstance(holder, OutOfOrderTableProxy):
        return list(holder._tables)
    return [holder]


def child(holder: Any, name: str) -> Any:
    """``holder[name]`` when ``holder`` is a table of any kind (``TABLE_LIKE``) and has
    it, else None: the one step every walk over a document takes, seeing every part of a
    table written in several places."""
    return holder.get(name) if isinstance(holder, TABLE_LIKE) else None


def entries(value: Any) -> list[Any]:
    """The tables of an array of tables, however it is written (``[[name]]`` headers or
    an inline array ``name = [{ ... }]``); [] for anything else."""
    if isinstance(value, (AoT, Array, list)):
        return [v for v in value if isinstance(v, (Table, InlineTable))]
    return []


def home_of(holder: Any, name: str, index: int) -> tuple[Any, int]:
    """The table that itself holds entry ``index`` of the array ``holder[name]`` (the part
    of ``holder`` it is written in), and its index in that part's own array."""
    whole = holder[name]
    if not isinstance(holder, OutOfOrderTableProxy):
        return holder, index
    entry = whole[index]
    for part in table_parts(holder):
        own = part.get(name)
        if isinstance(own, (AoT, Array)):
            for i, candidate in enumerate(own):
                if candidate is entry:
                    return part, i
    raise IndexError(index)


def remove_entry_of(holder: Any, name: str, index: int) -> None:
    """Remove entry ``index`` of the array of tables ``holder[name]`` from the file,
    written as headers (``delete_element``) or inline, in whichever part it is written."""
    part, i = home_of(holder, name, index)
    if isinstance(part[name], AoT):
        delete_element(part, name, i)
    else:
        del part[name][i]


def _body(item: Table | Container) -> list[tuple[Any, Item]]:
    return item.body if isinstance(item, Container) else item.value.body


def _last_table(table: Table | Container) -> Table | Container:
    """The table whose lines come last in ``table``'s part of the file (its last sub-table)."""
    while True:
        last = next(((k, v) for k, v in reversed(_body(table))
                     if not isinstance(v, (Whitespace, Comment, Null))), None)
        if last is None or (last[0] is not None and last[0].is_dotted()):
            return table
        if isinstance(last[1], AoT) and len(last[1]):
            table = last[1][-1]
        elif isinstance(last[1], Part) and last[1].entries():
            table = last[1].entries()[-1]
        elif isinstance(last[1], Table):
            table = last[1]
        else:
            return table


def _take_trailing_comments(item: Table | Container) -> str:
    """Remove and return the comments (with the blank lines after them) that end ``item``'s
    part of the file.  They sit above the *next* header (a banner such as
    ``# -- stages --``), so they belong to what follows, not to ``item``."""
    body = _body(_last_table(item))
    start = len(body)
    while start and isinstance(body[start - 1][1], (Whitespace, Comment, Null)):
        start -= 1
    first = next((i for i in range(start, len(body)) if isinstance(body[i][1], Comment)), None)
    if first is None:
        return ""
    kept = "".join(v.as_string() for _, v in body[first:])
    del body[first:]
    return kept


def inline_like(table: Table, array: Array) -> InlineTable:
    """``table`` written as the entries of the inline array ``array`` are written:
    ``{ kind = "workshop" }`` with the spaces inside the braces its last entry has (one
    each side when it has none yet, as the plan format writes them)."""
    sample = next((v for v in reversed(list(array)) if isinstance(v, InlineTable)), None)
    pad = " " if sample is None or sample.as_string().startswith("{ ") else ""
    text = "{" + pad + ", ".join(_inline_pair(key, value, pad)
                                 for key, value in table.value.body
                                 if key is not None) + pad + "}"
    made = tomlkit.parse(f"x = {text}")["x"]
    assert isinstance(made, InlineTable)
    return made


def _inline_pair(key: Any, value: Item, pad: str) -> str:
    if isinstance(value, Table):
        inner = ", ".join(_inline_pair(k, v, pad) for k, v in value.value.body
                          if k is not None)
        return f"{key.as_string().strip()} = {{{pad}{inner}{pad}}}"
    return f"{key.as_string().strip()} = {value.as_string().strip()}"


def append_element(holder: Any, name: str, table: Table) -> Table | InlineTable:
    """Append ``table`` to the array of tables ``holder[name]`` (created if missing), above
    any comments that end the part of the file it follows, with a blank line before it.

    An array written inline (``touchpoint = [{ ... }]``) gets an inline entry, in the
    array's own style (one line, or one entry a line with its indent and trailing
    comma): the entry as written is returned."""
    if isinstance(holder, OutOfOrderTableProxy):  # (to the part its last entry is in)
        parts = table_parts(holder)
        holder = next((p for p in reversed(parts) if isinstance(p.get(name), (AoT, Array))),
                      parts[-1])
    existing = holder.get(name)
    if existing is None and isinstance(holder, InlineTable):
        # (an inline table holds no header tables: its first entry starts an inline
        # array, written after its last key)
        keys = [k.key for k, _v in holder.value.body if k is not None]
        set_key(holder, name, tomlkit.array(), (*keys, name))
        existing = holder[name]
    if isinstance(existing, Array):
        existing.append(inline_like(table, existing))
        return existing[-1]  # type: ignore[no-any-return]
    before = existing[-1] if existing is not None else holder
    kept = _take_trailing_comments(before)
    last = _body(_last_table(before))
    if last and not isinstance(last[-1][1], Whitespace) and "\n" not in table.trivia.indent:
        table.trivia.indent = "\n" + table.trivia.indent
    indent = table.trivia.indent
    if existing is None:
        aot = tomlkit.aot()
        aot.append(table)
        holder.append(name, aot)
    else:
        existing.append(table)
        # (tomlkit puts the array's own indent in front of the entry's, and a blank line
        # before it in an array it made: an entry added after one coplan had added and
        # then changed was written six spaces in, after two blank lines)
        table.trivia.indent = indent
    if kept:
        table.value.append(None, _verbatim(kept))
    return table


def entry_as_written(entry: Table | InlineTable) -> Table:
    """An entry of an array of tables as a table to append elsewhere, each value spelled
    as its author spelled it: ``"4w"`` stays ``"4w"``, a literal or multi-line string, a
    number written ``1_000``, an inline table and its spacing, the comments among the keys
    and their order all stay.  (Made again from the plain values, as the merge once did,
    all of them were rewritten, and an inline table inside became a header of its own.)

    The blank lines and comments that end the entry's part of its file are left behind:
    they stand above the header that follows it there.  An inline entry
    (``{ kind = "workshop" }``) becomes a table with its keys one a line."""
    if isinstance(entry, Table):
        import copy

        table: Table = copy.deepcopy(entry)
        _take_tail(table)
        if not table.as_string().endswith(("\n", "\r")):
            _put_tail(table, "\n")
        return table
    import copy

    table = tomlkit.table()
    for key, value in entry.value.body:
        if key is None:
            continue  # (the spaces and commas between an inline table's keys)
        item = copy.deepcopy(value)
        item.trivia.indent = ""
        item.trivia.trail = "\n"
        table.append(copy.deepcopy(key), item)
    return table


def insert_element(holder: Any, name: str, index: int, table: Table) -> None:
    """Insert ``table`` into the array of tables ``holder[name]`` at ``index`` (after the
    entry before it, that entry's sub-tables staying together above it), above the
    comments that ended that entry's part of the file: they head the entry that followed.
    In an array written inline the entry is written inline, as ``append_element`` does."""
    aot = holder[name]
    if isinstance(aot, Array):
        aot.insert(index, inline_like(table, aot))
        return
    kept = _take_trailing_comments(aot[index - 1])
    aot.insert(index, table)
    if kept:
        table.value.append(None, _verbatim(kept))


def delete_element(holder: Any, name: str, index: int) -> None:
    """Delete entry ``index`` of the array of tables ``holder[name]``, keeping the comments
    that end it where they were (see ``_take_trailing_comments``)."""
    holder, index = home_of(holder, name, index)
    aot = holder[name]
    kept = _take_trailing_comments(aot[index])
    if _parts_of(aot):  # written in several places: the comments stay in this one
        _fix_places(aot)
        where = placed(aot)
        part = where[index][1]
        del aot[index]
        if not kept:
            pass
        elif index > 0 and where[index - 1][1] is part:
            _put_tail(aot[index - 1], kept)
        elif index < len(aot) and where[index + 1][1] is part:
            aot[index].trivia.indent = kept + aot[index].trivia.indent
        else:
            _keep_at(aot, part, kept)
        return
    if len(aot) > 1:
        del aot[index]
        if kept and index > 0:
            target = _last_table(aot[index - 1])
            (target if isinstance(target, Container) else target.value).append(
                None, _verbatim(kept))
        elif kept:
            aot[0].trivia.indent = kept + aot[0].trivia.indent
        return
    container = holder if isinstance(holder, Container) else holder.value
    position = next(i for i, (_, v) in enumerate(container.body) if v is aot)
    del holder[name]
    if kept:
        container.body[position] = (None, _verbatim(kept))


def _verbatim(text: str) -> Comment:
    """Comment lines (and blank lines) to write back exactly as they were."""
    return Comment(Trivia(indent="", comment_ws="", comment=text, trail=""))



def _take_tail(item: Table | Container) -> str:
    """Remove and return the blank lines and comments that end ``item``'s part of the
    file: the gap between it and the header that follows."""
    body = _body(_last_table(item))
    start = len(body)
    while start and isinstance(body[start - 1][1], (Whitespace, Comment, Null)):
        start -= 1
    kept = "".join(v.as_string() for _, v in body[start:])
    del body[start:]
    return kept


def _put_tail(item: Table | Container, text: str) -> None:
    if text:
        target = _last_table(item)
        (target if isinstance(target, Container) else target.value).append(
            None, _verbatim(text))


def _split_gap(text: str) -> tuple[str, str]:
    """A gap between two headers as (what stays where it is, the comment lines written
    straight above the next header, which belong to it).  A comment with a blank line
    under it (a banner such as ``# -- stages --``) heads the part of the file, not the
    entry, and stays."""
    lines = text.splitlines(keepends=True)
    cut = len(lines)
    while cut and lines[cut - 1].strip().startswith("#"):
        cut -= 1
    return "".join(lines[:cut]), "".join(lines[cut:])


def _before(holder: Any, aot: AoT, index: int) -> Table | None:
    """The table whose part of the file ends just above entry ``index`` (None when the
    entry comes straight after keys of ``holder`` itself)."""
    part = part_of(aot, index)
    if index > 0 and part_of(aot, index - 1) is part:
        return aot[index - 1]
    body = _body(holder)
    at: Item = aot if part is None else part
    position = next((i for i, (_, v) in enumerate(body) if v is at), None)
    for _, value in reversed(body[:position or 0]):
        if isinstance(value, (Whitespace, Comment, Null)):
            return None  # the comments are holder's own lines, not a table's
        if isinstance(value, AoT):
            own = [t for t, p in placed(value) if p is None]
            return own[-1] if own else None
        if isinstance(value, Part):
            return value.entries()[-1] if value.entries() else None
        return value if isinstance(value, Table) else None
    return None


def swap_elements(holder: Any, name: str, index: int) -> None:
    """Swap entries ``index`` and ``index + 1`` of the array of tables ``holder[name]`` in
    the file: each moves with its sub-tables and the comment lines written straight above
    its header; blank lines and banners between entries stay where they were, and nothing
    else changes."""
    aot = holder[name]
    if not 0 <= index < len(aot) - 1:
        raise IndexError(index)
    first, second = aot[index], aot[index + 1]
    if part_of(aot, index) is not part_of(aot, index + 1):
        _swap_places(aot, index)
        return
    above = _before(holder, aot, index)
    gap0 = _take_tail(above) if above is not None else ""
    gap1 = _take_tail(first)
    gap2 = _take_tail(second)
    free0, own_first = _split_gap(gap0)
    free1, own_second = _split_gap(gap1)
    del aot[index + 1]
    aot.insert(index, second)
    if above is not None:
        _put_tail(above, free0 + own_second)
    elif own_second:  # (nothing above the first entry but the holder's own lines)
        second.trivia.indent = own_second + second.trivia.indent
    # The entry that was last in the file may end without a line break: give it one.
    ends = "" if second.as_string().endswith("\n") else "\n"
    _put_tail(second, ends + free1 + own_first)
    _put_tail(first, gap2)


def _swap_places(aot: AoT, index: int) -> None:
    """Swap entries ``index`` and ``index + 1`` of an array written in several places
    when they are written in different places: each takes the other's place, and what
    ends each place (blank lines, the comments above the header that follows) stays."""
    _fix_places(aot)
    first, second = aot[index], aot[index + 1]
    here, there = part_of(aot, index), part_of(aot, index + 1)
    gap1, gap2 = _take_tail(first), _take_tail(second)
    del aot[index + 1]
    aot.insert(index, second)
    _place(aot, second, here)
    _place(aot, first, there)
    # An entry that ended the file without a line break no longer does.
    _put_tail(second, ("" if second.as_string().endswith("\n") else "\n") + gap1)
    _put_tail(first, gap2)


def duplicate_element(holder: Any, name: str, index: int,
                      change: Callable[[Table], None]) -> Table:
    """A copy of entry ``index`` of the array of tables ``holder[name]`` (its sub-tables
    with it), written straight after it, above the comments that head the entry after
    it.  ``change`` makes what must differ (an id, a title) before it is placed."""
    import copy

    aot = holder[name]
    if isinstance(aot, Array):  # an inline array: the copy is written inline after it
        entry = copy.deepcopy(aot[index])
        change(entry)
        aot.insert(index + 1, entry)
        return aot[index + 1]  # type: ignore[no-any-return]
    table: Table = copy.deepcopy(aot[index])
    gap = _take_tail(table)  # the original's gap belongs to what follows it
    change(table)
    blank = gap.split("\n", 1)[0].strip() == "" and "\n" in gap
    if blank or not table.as_string().endswith("\n"):
        _put_tail(table, "\n")
    if index == len(aot) - 1 and not aot[index].as_string().endswith("\n"):
        _put_tail(aot[index], "\n")
    if index == len(aot) - 1:
        aot.append(table)
    else:
        insert_element(holder, name, index + 1, table)
    return table


def set_first(table: Table | InlineTable, key: str, value: Any) -> None:
    """Set ``key``, written as the table's first key (as an id is) when it is new, indented
    as the table's other keys are."""
    if key in table:
        table[key] = value
        return
    if isinstance(table, InlineTable):
        keys = [k.key for k, _v in table.value.body if k is not None]
        if keys:
            _set_inline_in_order(table, key, value, (key, *keys))
            return
    item = tomlkit.item(value)
    first = next((v for k, v in table.value.body if k is not None), None)
    if first is not None:
        item.trivia.indent = first.trivia.indent
    table.value._insert_at(0, key, item)
    dict.__setitem__(table, key, item)  # a table is also the dict of its keys' items


def set_key(table: Any, key: str, value: Any, order: Sequence[str] = ()) -> None:
    """``table[key] = value``; a key new to a table goes where a person would write it.

    With ``order`` (the table's keys in the order the schema declares them, as the plan
    format documents them), it goes straight after the last key written that comes before
    it in that order (above the comments that head the key below), or, when none does,
    above the first that comes after it (and the comments written straight above that
    one).  Otherwise, or when the table holds none of the keys ``order`` names, it goes
    after the table's keys, above comments that end its part of the file (a banner above
    the next header)."""
    if isinstance(table, InlineTable) and key not in table and key in order and \
            _set_inline_in_order(table, key, value, order):
        return
    if key in table or not isinstance(table, (Table, Container)):
        table[key] = value
        return
    if key in order and _set_in_order(table, key, value, order):
        return
    if _last_table(table) is not table:
        table[key] = value
        return
    body = _body(table)
    start = len(body)
    while start and isinstance(body[start - 1][1], (Whitespace, Comment, Null)):
        start -= 1
    if not any(isinstance(v, Comment) for _, v in body[start:]):
        table[key] = value
        return
    kept = "".join(v.as_string() for _, v in body[start:])
    del body[start:]
    table[key] = value
    (table if isinstance(table, Container) else table.value).append(None, _verbatim(kept))


def _set_in_order(table: Table | Container, key: str, value: Any,
                  order: Sequence[str]) -> bool:
    """Insert ``key`` among the keys of ``table`` in the place ``order`` gives it (see
    ``set_key``); False when the table has no key of ``order`` to place it by."""
    rank = {name: i for i, name in enumerate(order)}
    mine = rank[key]
    body = _body(table)
    written = [(i, rank[k.key]) for i, (k, v) in enumerate(body)
               if k is not None and k.key in rank and not k.is_dotted()
               and not isinstance(v, (Table, AoT))]
    before = [i for i, r in written if r < mine]
    if before:
        position, neighbour = before[-1] + 1, before[-1]
    else:
        after = [i for i, r in written if r > mine]
        if not after:
            return False
        position = neighbour = after[0]
        while position and isinstance(body[position - 1][1], Comment):
            position -= 1  # the comments written straight above it belong to it
    item = value if isinstance(value, Item) else tomlkit.item(value)
    indent = body[neighbour][1].trivia.indent
    item.trivia.indent = indent.rsplit("\n", 1)[-1]
    container = table if isinstance(table, Container) else table.value
    if position >= len(body):
        container.append(key, item)
    else:
        container._insert_at(position, key, item)
    if isinstance(table, Table):
        dict.__setitem__(table, key, item)  # a table is also the dict of its keys' items
    return True


def _set_inline_in_order(table: InlineTable, key: str, value: Any,
                         order: Sequence[str]) -> bool:
    """Insert ``key`` into an inline table (``{ from = ..., why = ... }``) where ``order``
    puts it, as ``_set_in_order`` does in a table: after the last key written that comes
    before it, else before the first that comes after it, with a space after the comma
    as the person's own entry has it; False when the entry has no key of ``order``."""
    rank = {name: i for i, name in enumerate(order)}
    mine = rank[key]
    body = table.value.body
    written = [(i, rank[k.key]) for i, (k, _v) in enumerate(body)
               if k is not None and k.key in rank and not k.is_dotted()]
    if not written:
        return False
    item = value if isinstance(value, Item) else tomlkit.item(value)
    before = [i for i, r in written if r < mine]
    if before:
        position = before[-1] + 1
        item.trivia.indent = " "
        neighbour = body[before[-1]][1]
        if position == len(body) or all(k is None for k, _v in body[position:]):
            # the last key: what ended it (the space before "}") ends the new one
            item.trivia.trail, neighbour.trivia.trail = neighbour.trivia.trail, ""
    else:
        position = next(i for i, r in written if r > mine)
        follower = body[position][1]
        item.trivia.indent, follower.trivia.indent = follower.trivia.indent, " "
    if position >= len(body):
        table.value.append(key, item)
    else:
        table.value._insert_at(position, key, item)
    dict.__setitem__(table, key, item)  # an inline table is also the dict of its keys
    return True


__all__ = ["append_element", "delete_element", "duplicate_element", "entry_as_written",
           "insert_element", "set_first",
           "set_key",           "swap_elements"]
