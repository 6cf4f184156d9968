"""Arrays of tables in a tomlkit document, changed as a person would change the text.

tomlkit keeps the comments above a table's header (a banner such as
``# -- stages --``) at the end of the table *before* it.  Adding or removing an entry of
an array of tables must move those comments so that they stay above what they name:
``edit`` (a person's change) and ``merge`` (copying or taking back someone's entry) both
change arrays of tables through here.
"""

from __future__ import annotations

from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Comment, Item, Null, Table, Trivia, Whitespace


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


def append_element(holder: Any, name: str, table: Table) -> None:
    """Append ``table`` to the array of tables ``holder[name]`` (created if missing), above
    any comments that end the part of the file it follows, with a blank line before it."""
    existing = holder.get(name)
    before = existing[-1] if existing is not None else holder
    kept = _take_trailing_comments(before)
    last = _body(_last_table(before))
    if last and not isinstance(last[-1][1], Whitespace) and "\n" not in table.trivia.indent:
        table.trivia.indent = "\n" + table.trivia.indent
    if existing is None:
        aot = tomlkit.aot()
        aot.append(table)
        holder.append(name, aot)
    else:
        existing.append(table)
    if kept:
        table.value.append(None, _verbatim(kept))


def insert_element(holder: Any, name: str, index: int, table: Table) -> None:
    """Insert ``table`` into the array of tables ``holder[name]`` at ``index`` (after the
    entry before it, that entry's sub-tables staying together above it), above the
    comments that ended that entry's part of the file: they head the entry that followed."""
    aot = holder[name]
    kept = _take_trailing_comments(aot[index - 1])
    aot.insert(index, table)
    if kept:
        table.value.append(None, _verbatim(kept))


def delete_element(holder: Any, name: str, index: int) -> None:
    """Delete entry ``index`` of the array of tables ``holder[name]``, keeping the comments
    that end it where they were (see ``_take_trailing_comments``)."""
    aot = holder[name]
    kept = _take_trailing_comments(aot[index])
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




def set_key(table: Any, key: str, value: Any) -> None:
    """``table[key] = value``; a key new to a table whose part of the file ends with
    comments (a banner above the next header) goes above them, with the table's keys."""
    if key in table or not isinstance(table, (Table, Container)) or \
            _last_table(table) is not table:
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


__all__ = ["append_element", "delete_element", "insert_element", "set_key"]
