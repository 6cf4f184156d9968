"""Changing a plan file without losing anything a person wrote in it.

``PlanDocument`` wraps a ``tomlkit`` document: an unchanged file writes back byte for byte,
and each edit touches only the lines it must, so comments, order and layout survive and
``git diff`` shows exactly what the team changed.  The TUI and the CLI edit plans only
through these operations.

Saving goes through ``coplan.fileio.save_plan_text``: atomic (a temporary file in the same
folder, flushed to disk, renamed over the plan in one step, keeping the file's permissions
and byte-order mark), so a crash at any moment leaves either the old plan or the new one,
never half of each.
"""

from __future__ import annotations

import functools
import inspect
import weakref
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import (
    AoT,
    Array,
    Comment,
    InlineTable,
    Item,
    String,
    Table,
    Trivia,
    Whitespace,
)
from tomlkit.toml_document import TOMLDocument

from coplan.errors import PlanError, Problem
from coplan.fileio import keep_line_breaks, line_break, read_plan_text, save_plan_text
from coplan.schema import (
    LONGEST_ID,
    history_places,
    history_refs,
    key_paths,
    link_entries,
    link_stage,
    linked_stages,
    place_of,
    records_about,
    schema_of,
    touchpoint_id,
    unused_id,
)
from coplan.schema import meeting_id as made_meeting_id
from coplan.tomldoc import (
    TABLE_LIKE,
    child,
    duplicate_element,
    entries,
    inline_like,
    insert_element,
    own_tail,
    placed,
    remove_entry_of,
    set_first,
    set_key,
    swap_elements,
)
from coplan.tomldoc import append_element as _append_element
from coplan.tomldoc import parse as parse_keeping_places
from coplan.words import a

Value = str | int | float | bool | date | Sequence[Any] | Mapping[str, Any] | None

atomic_write = save_plan_text  # the name older callers (and plugins) use


class EditError(ValueError):
    """An edit that cannot be made as asked (an unknown id, a duplicate, a loop)."""


class PlanDocument:
    """A plan file open for editing."""

    _crlf = False  # every line of the file ends in "\r\n" (set from the text it opens)

    def __init__(self, text: str, path: Path | None = None) -> None:
        self.path = path
        self.original = text
        self._crlf = line_break(text) == "\r\n"
        try:
            doc = parse_keeping_places(text)
        except Exception as exc:  # tomlkit raises several error types for bad TOML
            line = getattr(exc, "line", 0)
            col = getattr(exc, "col", 0)
            raise PlanError([Problem(str(path or "<plan>"), line, col,
                                     f"coplan could not read this file as TOML ({exc})",
                                     "fix the line, then try again")]) from None
        self.doc = doc

    @property
    def doc(self) -> TOMLDocument:
        """The tomlkit document itself.  Whoever takes it may change anything in it, so
        the next ``text()`` writes the whole document out again."""
        self._everything = True
        return self._doc

    @doc.setter
    def doc(self, value: TOMLDocument) -> None:
        self._doc: TOMLDocument = value
        # The text of each entry of a top-level array of tables (a [[stage]] with its
        # touchpoints, a [[person]]), as last written, and the entries changed since.
        self._pieces: dict[tuple[int, str | None], tuple[Table, str]] = {}
        self._fresh: dict[tuple[int, str | None], tuple[Table, str]] = {}
        self._touched: set[int] = set()
        self._everything = True
        self._cache_entries(value)

    @classmethod
    def open(cls, path: str | Path) -> PlanDocument:
        path = Path(path)
        return cls(read_plan_text(path), path)

    # -- reading ------------------------------------------------------------------------
    def text(self, *, afresh: bool = False) -> str:
        """The document written out as TOML, exactly as ``as_string()`` writes it
        (``afresh``: every part written out again, none kept from last time).

        A large plan is mostly entries of top-level arrays of tables (``[[stage]]``), and
        an edit changes one or two: each entry's text is kept, and written again only when
        the entry may have changed.  This class knows which ones may have: the one an
        accessor such as ``stage()`` or ``person()`` handed out (whoever has it may change
        it) or a narrow setter changed; every other operation, and taking ``doc``,
        counts as changing everything.  (A table taken from an accessor must therefore be
        changed before the next ``text()``, as an edit made through ``PlanSession.apply``
        is; take it again to change it later.)
        """
        self._fresh = {}
        if afresh:
            self._everything = True
        try:
            text = self._doc.as_string()
            # (lines tomlkit adds end in "\n": in a Windows file, as the file's own do)
            return keep_line_breaks(text, "\r\n") if self._crlf else text
        finally:
            self._pieces = self._fresh
            self._fresh = {}
            self._touched = set()
            self._everything = False

    def _cache_entries(self, doc: TOMLDocument) -> None:
        """Write top-level array-of-tables entries through ``_entry_text`` (tomlkit's
        ``Container`` writes each ``[[name]]`` entry with ``_render_aot_table``; if a
        later tomlkit writes them some other way, everything is simply written out)."""
        original = getattr(type(doc), "_render_aot_table", None)
        whole = getattr(type(doc), "_render_aot", None)
        if original is None or whole is None or "_render_aot_table" in vars(doc):
            return
        # Only weak references: the document holds these functions, and a cycle through
        # them would keep a replaced document (and this object) alive until Python's
        # cycle collector next runs.
        document = weakref.ref(doc)
        me = weakref.ref(self)

        def entry_text(table: Table, prefix: str | None = None) -> str:
            this = me()
            if this is None or prefix is None or "." in prefix or "\"" in prefix or \
                    "'" in prefix:
                return original(document(), table, prefix=prefix)  # type: ignore[no-any-return]
            key = (id(table), prefix)
            kept = this._pieces.get(key)
            if kept is None or kept[0] is not table or this._everything or \
                    id(table) in this._touched:
                kept = (table, original(document(), table, prefix=prefix))
            this._fresh[key] = kept
            return kept[1]

        def aot_text(key: Any, aot: AoT, prefix: str | None = None) -> str:
            if prefix is not None:
                return whole(document(), key, aot, prefix=prefix)  # type: ignore[no-any-return]
            # tomlkit adds each entry's text to a growing string; joined once instead.
            name = key.as_string()
            return "".join([entry_text(table, name) for table, part in placed(aot)
                            if part is None]) + own_tail(aot)  # (the others: their Part)

        doc._render_aot_table = entry_text  # type: ignore[method-assign]
        doc._render_aot = aot_text  # type: ignore[method-assign]

    def _touch(self, table: Any) -> Any:
        """``table`` (an entry of a top-level array of tables) may change."""
        self._touched.add(id(table))
        return table

    @property
    def changed(self) -> bool:
        return self.text() != self.original

    def _aot(self, name: str, parent: Table | TOMLDocument | None = None) -> list[Table]:
        value = child(self._doc if parent is None else parent, name)
        if value is None:
            return []
        return list(value) if isinstance(value, (AoT, list)) else [value]

    def stages(self) -> list[Table]:
        return self._aot("stage")

    def stage(self, stage_id: str) -> Table:
        for table in self._aot("stage"):
            if _plain_get(table, "id") == stage_id:
                return self._touch(table)  # type: ignore[no-any-return]
        raise EditError(f"there is no stage with the id '{stage_id}'")

    def stage_ids(self) -> list[str]:
        return [str(_plain_get(t, "id")) for t in self._aot("stage")]

    def touchpoints(self, stage_id: str) -> list[Table]:
        return self._aot("touchpoint", self.stage(stage_id))

    def touchpoint(self, stage_id: str, index: int) -> Table:
        tps = self.touchpoints(stage_id)
        if not 0 <= index < len(tps):
            raise EditError(f"stage '{stage_id}' has no touchpoint {index + 1}")
        return tps[index]

    def person(self, person_id: str) -> Table:
        for table in self._aot("person"):
            if _plain_get(table, "id") == person_id:
                return self._touch(table)  # type: ignore[no-any-return]
        raise EditError(f"there is no person with the id '{person_id}'")

    def meetings(self) -> list[Table]:
        return self._aot("meeting")

    def meeting(self, meeting_id: str) -> Table:
        for table in self._aot("meeting"):
            if table.get("id", made_meeting_id(str(table.get("title", "")))) == meeting_id:
                return self._touch(table)  # type: ignore[no-any-return]
        raise EditError(f"there is no meeting with the id '{meeting_id}'")

    def table(self, name: str) -> Table:
        """A top-level table such as ``protocol`` or ``governance``; created if missing."""
        parts = name.split(".")
        holder: Any = self._doc
        if not isinstance(holder.get(parts[0]), Table):
            self._everything = True  # a new table (or one written in several places)
        for part in parts:
            if part not in holder:
                holder[part] = tomlkit.table()
            holder = holder[part]
        return holder  # type: ignore[no-any-return]

    # -- setting fields -----------------------------------------------------------------
    @staticmethod
    def set_in(table: Table | InlineTable, key: str, value: Value, *,
               at: Sequence[str] = ()) -> None:
        """Set ``key`` to ``value``, or remove it when ``value`` is None or empty.  ``at``
        is where the schema places the table (``("paid",)``, ``("stage", "touchpoint")``):
        a key new to it is written among its keys in the order the schema declares them."""
        if value is None or (isinstance(value, (list, tuple, str)) and len(value) == 0):
            if key in table:
                del table[key]
            return
        if key not in table:
            set_key(table, key, _item(value), key_order(tuple(at)))
            return
        current = table[key]
        if _same(current, value):
            return
        if isinstance(current, Array) and isinstance(value, (list, tuple)) and \
                _edit_array(current, list(value)):
            _unmark(table[key])
            return
        # Replacing keeps the comment after the value; the value keeps its style.
        table[key] = _like(current, value)
        _unmark(table[key])

    def set_project(self, key: str, value: Value) -> None:
        self.set_in(self.table("project"), key, value, at=("project",))

    def set_stage(self, stage_id: str, key: str, value: Value) -> None:
        self.set_entry(("stage",), self.stage(stage_id), key, value)

    def set_touchpoint(self, stage_id: str, index: int, key: str, value: Value) -> None:
        self.set_entry(("stage", "touchpoint"), self.touchpoint(stage_id, index), key, value)

    def set_person(self, person_id: str, key: str, value: Value) -> None:
        self.set_entry(("person",), self.person(person_id), key, value)

    def set_meeting(self, meeting_id: str, key: str, value: Value) -> None:
        self.set_entry(("meeting",), self.meeting(meeting_id), key, value)

    def set_entry(self, path: Sequence[str], table: Any, key: str, value: Value) -> None:
        """Set ``key`` of ``table``, an entry the schema places at ``path``, as ``set_in``
        does; but a change of its id (``key`` is the entry's identity, or, for an entry
        whose id is made from another key, that key: a meeting's title) is a rename, and
        every place of the file that names the entry names it by its new id (``rename``)."""
        where = tuple(path)
        if key == _identity_key(where):
            self.rename(where, table, "" if value is None else str(value))
            return
        made = _made_from(where)
        if made is not None and key == made and not _plain_get(table, "id"):
            owner, old = self._entry_key(where, table)
            self.set_in(table, key, value, at=where)
            _owner, new = self._entry_key(where, table)
            if new != old:
                self._everything = True  # (the places that name it may be anywhere)
                self._rename_references(where, owner, old, new, table)
            return
        self.set_in(table, key, value, at=where)

    def set_table(self, name: str, key: str, value: Value) -> None:
        self.set_in(self.table(name), key, value, at=tuple(name.split(".")))

    # -- stages -------------------------------------------------------------------------
    def add_stage(self, stage_id: str, title: str, duration: str = "1w", *,
                  phase: str | None = None, after: Sequence[str] = (),
                  extra: Mapping[str, Value] | None = None) -> Table:
        stages = self._aot("stage")
        ids = [_plain_get(t, "id") for t in stages]  # (one pass: a plan may have thousands)
        if stage_id in map(str, ids):
            raise EditError(f"there is already a stage with the id '{stage_id}'")
        fields: dict[str, Value] = {"id": stage_id, "title": title}
        if phase:
            fields["phase"] = phase
        fields["duration"] = duration
        if after:
            fields["after"] = list(after)
        fields.update(extra or {})
        waits = set(after)
        places = [i for i, sid in enumerate(ids) if sid in waits]
        if not stages:
            self._everything = True  # the first: the part of the file before it changes
        if not places or places[-1] == len(stages) - 1:
            if stages:
                self._touch(stages[-1])  # the comments that end it may move below the new one
            return self._touch(self._append("stage", fields))  # type: ignore[no-any-return]
        # Written where a person would put it: right after the (last) stage it waits for,
        # that stage's touchpoints and decisions staying together above it, and above any
        # comments that head the stage that followed it.
        self._touch(stages[places[-1]])
        table = _new_table(fields, key_order(("stage",)))
        insert_element(self._doc, "stage", places[-1] + 1, table)
        return self._touch(self._doc["stage"][places[-1] + 1])  # type: ignore[no-any-return]

    def insert_stage(self, after: str, stage_id: str, title: str, duration: str = "1w", *,
                     phase: str | None = None,
                     extra: Mapping[str, Value] | None = None) -> Table:
        """Add a stage into the chain after ``after``: it waits for ``after``, and the
        stages that waited for ``after`` wait for it instead (with the same lag)."""
        followers = [t for t in self._aot("stage") if after in linked_stages(t.get("after"))]
        table = self.add_stage(stage_id, title, duration, phase=phase, after=[after],
                               extra=extra)
        for follower in followers:
            _relink(self._touch(follower), after, [stage_id])
        return table

    def rename_stage(self, old: str, new: str) -> None:
        """Change a stage's id, and every key of the file that names it (``rename``)."""
        self.rename(("stage",), self.stage(old), new)

    def rename(self, path: Sequence[str], table: Any, new: str) -> None:
        """Change the id of ``table``, an entry the schema places at ``path`` (a stage, a
        touchpoint, a decision, a meeting, a person: any entry whose identity is an id),
        and every key of the file that names it, as the schema declares them: each key
        whose kind's ``targets`` are entries at ``path`` (links, who takes part, the
        decision and impact logs, payments, reflections...) and those that name it
        unchecked (``Kind.names``: a baseline's entry, so its slippage is still measured).
        The edit changes only those values: comments, layout and everything else stay.

        A record of what happened that names the entry names it by its new id: the record
        is kept, and still says what it said.  Where ids differ only within the entry that
        holds them (a decision's, within its stage), only what names the decision within
        that stage is renamed.  An empty ``new`` is taken as "make one", for entries that
        make their own id when it is left out (a touchpoint's, from its stage's id and its
        number); an id the rule does not allow (``schema.ID_RULE``), or one already used
        where it must be unique, is refused with an ``EditError``."""
        from coplan.schema import ID_PATTERN

        where = tuple(path)
        owner, old = self._entry_key(where, table)
        new = new.strip()
        key = _identity_key(where)
        if key is None:
            raise EditError(f"entries of {'.'.join(where)} have no id to change")
        made = "" if new else self._made_id(where, table, owner)
        if not new and not made:
            raise EditError("an id cannot be empty: it is how the rest of the plan names "
                            "this; write a short name such as 'aims'")
        if new and (len(new) > LONGEST_ID or not ID_PATTERN.match(new)):
            raise EditError(f"'{new}' cannot be used as an id: use plain letters (a to z, no "
                            "accents), digits, '-', '_' or '.', starting with a letter or "
                            f"digit, at most {LONGEST_ID} characters")
        beside = self._ids_beside(where, table, owner)
        if not new and len(made) > LONGEST_ID:
            # The one it would make is longer than the plan takes written down (in what
            # names it): one that fits is written instead, cut where a word ends.
            stem, _, number = made.rpartition("-")
            new = unused_id(stem, beside, f"-{number}") if where == ("stage", "touchpoint") \
                else unused_id(made, beside)
            if new == old:
                return
        target = new or made
        if target == old and bool(new) == bool(_plain_get(table, key)):
            return
        if target != old and target in beside:
            what = where[-1]
            raise EditError(f"there is already {a(what)} with the id '{target}'" + (
                f" in {where[-2]} '{owner}'" if owner is not None else ""))
        # Calendars, file names and people take ids that differ only in capital letters
        # as one (review rule CP-ID-001): the app makes no such pair.
        twin = next((i for i in sorted(beside) if i.casefold() == target.casefold()), None)
        if twin is not None and target.casefold() != old.casefold():
            raise EditError(f"'{target}' differs from the id of another {where[-1]}, "
                            f"'{twin}', only in capital letters: calendars, file names and "
                            "people would take them as one; choose an id that differs by "
                            "more")
        # Touchpoints of a stage that make their ids from the stage's are renamed with it.
        made_below = self._made_below(where, table, target)
        if made_below and new:
            made_below = self._written_below(table, old, new, made_below)
        if new:
            self.set_in(table, key, new, at=where)
        elif key in table:
            del table[key]
        if target != old:
            self._rename_references(where, owner, old, target, table)
        for below, child_owner, child_old, child_new in made_below:
            self._rename_references(below, child_owner, child_old, child_new, None)

    def _made_id(self, where: tuple[str, ...], table: Any, owner: str | None) -> str:
        """The id the entry makes for itself when it has none ("" when it cannot): a
        touchpoint's, from its stage's id and its number; a meeting's, from its title."""
        from coplan.model import Meeting, Plan

        place = place_of(Plan, where)
        if place is None:
            return ""
        if place.model is Meeting:
            return made_meeting_id(str(_plain_get(table, "title") or ""))
        if where == ("stage", "touchpoint"):  # (its id is the plan's own: no owner)
            for holder in self._tables_at(where[:-1]):
                entries = self._aot(where[-1], holder)
                for i, entry in enumerate(entries):
                    if entry is table:
                        return touchpoint_id(str(_plain_get(holder, 'id')), i + 1)
        return ""

    def _ids_beside(self, where: tuple[str, ...], table: Any, owner: str | None) -> set[str]:
        """The ids ``table``'s new id must differ from: those of the other entries at
        ``where`` (within the same holder, for ids unique only there: a decision's), and
        for touchpoints every touchpoint's, made ones included."""
        if where == ("stage", "touchpoint"):
            return {str(_plain_get(tp, "id") or touchpoint_id(str(_plain_get(s, 'id')), i + 1))
                    for s in self.stages()
                    for i, tp in enumerate(self._aot("touchpoint", s)) if tp is not table}
        return {ident for t in self._tables_at(where) if t is not table
                for o, ident in [self._entry_key(where, t)]
                if owner is None or not self._scoped(where) or o == owner}

    def _made_below(self, where: tuple[str, ...], table: Any, new: str
                    ) -> list[tuple[tuple[str, ...], str | None, str, str]]:
        """The entries inside ``table`` whose ids are made from its id (a stage's
        touchpoints without an id of their own), as (path, owner, id now, id once
        ``table``'s id is ``new``)."""
        if where != ("stage",):
            return []
        old = str(_plain_get(table, "id"))
        return [(("stage", "touchpoint"), old, touchpoint_id(old, i + 1),
                 touchpoint_id(new, i + 1))
                for i, tp in enumerate(self._aot("touchpoint", table))
                if not _plain_get(tp, "id") and old != new]

    def _written_below(self, table: Any, old: str, new: str,
                       made_below: list[tuple[tuple[str, ...], str | None, str, str]]
                       ) -> list[tuple[tuple[str, ...], str | None, str, str]]:
        """``made_below`` (the touchpoints of the stage ``table``, renamed from ``old`` to
        ``new``, that make their ids from its id) with each id they would make that the
        plan cannot take written down (over ``LONGEST_ID``: a stage id of 63 characters
        and ``-1``) or that another touchpoint has, written down instead as an id of its
        own that fits and is unused (``schema.unused_id``): what names them follows."""
        taken = self.touchpoint_ids() - {made for _w, _o, made, _n in made_below}
        kept = []
        own = [tp for tp in self._aot("touchpoint", table) if not _plain_get(tp, "id")]
        for (below, owner, made, would), tp in zip(made_below, own, strict=True):
            if len(would) <= LONGEST_ID and would not in taken:
                kept.append((below, owner, made, would))
                taken.add(would)
                continue
            number = would[len(new) + 1:]
            written = unused_id(new, taken, f"-{number}")
            taken.add(written)
            set_first(tp, "id", written)
            kept.append((below, owner, made, written))
        return kept

    def _rename_references(self, where: tuple[str, ...], owner: str | None, old: str,
                           new: str, renamed: Any) -> None:
        """Every key of the file that names the entry at ``where`` known as ``old`` (within
        ``owner``, for scoped ids) names ``new`` instead (``rename``)."""
        from coplan.schema import Links

        self._everything = True  # (a rename reaches into any part of the file)
        scoped = self._scoped(where)
        # Another entry with the same id (a decision of another stage): a key that does
        # not say which it means is left as it is.
        twins = scoped and any(
            ident == old and o != owner for t in self._tables_at(where) if t is not renamed
            for o, ident in [self._entry_key(where, t)])
        for at, spec in _naming_keys(where):
            for holder, ref_table in self._referrers(at, where):
                value = ref_table.get(spec.toml)
                if value is None:
                    continue
                if scoped:
                    said = holder if holder is not None else \
                        self._record_owner(ref_table, at, where)
                    if (said is None and twins) or (said is not None and said != owner):
                        continue
                if isinstance(spec.kind, Links):
                    for i, entry in link_entries(value):
                        if link_stage(entry) != old:
                            continue
                        if isinstance(entry, str):
                            if isinstance(value, Array):
                                value[i] = _like(value[i], new)
                            else:
                                ref_table[spec.toml] = _like(value, new)
                        else:
                            entry["stage"] = _like(entry["stage"], new)
                elif isinstance(value, str) and value.strip() == old:
                    ref_table[spec.toml] = _like(value, new)
                elif isinstance(value, Array):
                    for i, item in enumerate(value):
                        if isinstance(item, str) and item.strip() == old:
                            value[i] = _like(item, new)

    def _referrers(self, at: tuple[str, ...], where: tuple[str, ...]
                   ) -> Iterator[tuple[str | None, Any]]:
        """Each table at ``at`` with, where ids at ``where`` are scoped to their holder
        and ``at`` is inside such a holder (a touchpoint's ``influences`` names decisions of
        its own stage), the id of that holder; else None."""
        inside = len(where) > 1 and at[:len(where) - 1] == where[:-1] and at != where
        if not inside:
            for ref_table in self._tables_at(at):
                yield None, ref_table
            return
        holder_path = where[:-1]
        for holder in self._tables_at(holder_path):
            ident = str(_plain_get(holder, "id"))
            found: list[Any] = [holder]
            for name in at[len(holder_path):]:
                found = _step(found, name)
            for ref_table in found:
                yield ident, ref_table

    def remove_stage(self, stage_id: str, *, reconnect: bool = False) -> None:
        """Remove a stage, every link to it from other stages, and log entries' links to it
        (the entries themselves stay: they are the project's history).

        What happened is history to keep too: a stage whose sessions have records, or that
        the impact log or the payments ledger names (or names one of its touchpoints or
        decisions), cannot be removed until those entries are (``_keep_history``).

        With ``reconnect``, the stages that waited for it wait for what it waited for
        instead, so the chain stays joined."""
        target = self.stage(stage_id)
        self._keep_history(f"stage '{stage_id}'", target)
        before = linked_stages(target.get("after"))
        for table in self.stages():
            if table is target:
                continue
            if reconnect and stage_id in linked_stages(table.get("after")):
                _relink(table, stage_id, before)
            else:
                self._drop_dependency(table, stage_id)
        for entry in self._aot("log"):
            if entry.get("stage") == stage_id:
                del entry["stage"]
        self._remove_from_aot("stage", target)

    # -- order and copies ---------------------------------------------------------------
    def move_stage(self, stage_id: str, step: int) -> None:
        """Move a stage ``step`` places up (negative) or down in the file: its whole block
        (touchpoints, decisions and the comment lines written straight above it) moves,
        and nothing else changes.  The schedule does not depend on the order in the file;
        people reading it do."""
        ids = self.stage_ids()
        if stage_id not in ids:
            raise EditError(f"there is no stage with the id '{stage_id}'")
        index = ids.index(stage_id)
        target = index + step
        if not 0 <= target < len(ids):
            where = "first" if step < 0 else "last"
            raise EditError(f"'{stage_id}' is already the {where} stage in the file")
        while index != target:
            lower = index if step > 0 else index - 1
            swap_elements(self._doc, "stage", lower)
            index += 1 if step > 0 else -1

    # What happened, not what is planned: a copy starts without it (see duplicate_stage).
    _DELIVERY_KEYS: dict[str, tuple[str, ...]] = {
        "stage": ("started", "finished", "progress", "progress_on"),
        "touchpoint": ("achieved", "record"),
    }

    def duplicate_stage(self, stage_id: str) -> str:
        """Copy a stage, written straight after it with its touchpoints and decisions: a
        new id, the title with "(copy)" after it, the same links.  What was recorded about
        the original's delivery (dates, progress, sessions held) is not copied.  Returns
        the new stage's id."""
        ids = self.stage_ids()
        if stage_id not in ids:
            raise EditError(f"there is no stage with the id '{stage_id}'")
        new_id = unused_id(stage_id, set(ids), "-copy")
        taken = self.touchpoint_ids()

        def change(table: Table) -> None:
            table["id"] = new_id
            table["title"] = _like(table.get("title"),
                                   f"{table.get('title', stage_id)} (copy)")
            for key in self._DELIVERY_KEYS["stage"]:
                if key in table:
                    del table[key]
            for i, tp in enumerate(self._aot("touchpoint", table)):
                self._start_afresh(tp)
                made = touchpoint_id(new_id, i + 1)
                # One without an id takes the new stage's id and its number, where the
                # plan takes that (it fits, and no other touchpoint has it).
                if tp.get("id") or len(made) > LONGEST_ID or made in taken:
                    set_first(tp, "id", unused_id(new_id, taken, f"-{i + 1}"))
                taken.add(str(tp.get("id") or made))

        duplicate_element(self._doc, "stage", ids.index(stage_id), change)
        return new_id

    def duplicate_touchpoint(self, stage_id: str, index: int) -> int:
        """Copy one of a stage's touchpoints, written straight after it: a new id, the
        title (if it has one) with "(copy)" after it.  Sessions recorded for the original
        are not copied.  The touchpoints after it that had no id of their own are given
        the one they had (their number in the stage moves), so calendars and payments
        that name them still find them.  Returns the copy's index."""
        stage = self.stage(stage_id)
        self.touchpoint(stage_id, index)  # says so when there is no such touchpoint
        taken = self.touchpoint_ids()
        original = str(self.touchpoint(stage_id, index).get("id")
                       or touchpoint_id(stage_id, index + 1))
        self._keep_made_ids(stage, stage_id, index + 1, taken)

        def change(table: Table) -> None:
            self._start_afresh(table)
            set_first(table, "id", unused_id(original, taken, "-copy"))
            if table.get("title"):
                table["title"] = _like(table["title"], f"{table['title']} (copy)")

        duplicate_element(stage, "touchpoint", index, change)
        return index + 1

    def _keep_made_ids(self, stage: Table, stage_id: str, start: int, taken: set[str]) -> None:
        """Write down the ids the touchpoints of ``stage`` from ``start`` on make from
        their number (``{stage}-{n}``) where they write none, before an entry is put in or
        taken out before them (their numbers move): calendars, payments and records that
        name them still find them.  Each is written as it is where the plan takes an id
        that long, else as one that fits (cut where a word ends) and is unused, and what
        named it names that (``taken``: every touchpoint id, kept up to date)."""
        for number, tp in enumerate(self._aot("touchpoint", stage)[start:], start + 1):
            if tp.get("id"):
                continue
            made = touchpoint_id(stage_id, number)
            written = made if len(made) <= LONGEST_ID else \
                unused_id(stage_id, taken, f"-{number}")
            set_first(tp, "id", written)
            if written != made:
                taken.add(written)
                self._rename_references(("stage", "touchpoint"), stage_id, made, written, tp)

    def _start_afresh(self, touchpoint: Table) -> None:
        for key in self._DELIVERY_KEYS["touchpoint"]:
            if key in touchpoint:
                del touchpoint[key]

    def touchpoint_ids(self) -> set[str]:
        """Every touchpoint id in the plan, those worked out from a stage's id included."""
        return {str(tp.get("id") or touchpoint_id(str(table.get('id')), i + 1))
                for table in self.stages()
                for i, tp in enumerate(self._aot("touchpoint", table))}

    # -- dependencies -------------------------------------------------------------------
    def add_dependency(self, stage_id: str, on: str, lag: str | None = None) -> None:
        """Make ``stage_id`` wait for ``on`` (optionally ``lag`` later)."""
        # Every stage's links (read, not changed: the other tables are not handed out).
        preds = {str(_plain_get(t, "id")): _links_of(t) for t in self._aot("stage")}
        if on not in preds:
            raise EditError(f"there is no stage with the id '{on}'")
        table = self.stage(stage_id)
        if stage_id == on:
            raise EditError(f"stage '{stage_id}' cannot wait for itself")
        from coplan.graph import would_loop

        loop = would_loop(preds, stage_id, on)
        if loop:
            raise EditError(f"'{stage_id}' cannot wait for '{on}': the stages would wait for "
                            f"each other in a loop, {' → '.join(loop)}")
        after = table.get("after")
        single = isinstance(after, (str, InlineTable))
        if on in linked_stages(after):
            return
        if after is None:
            set_key(table, "after", tomlkit.array(), key_order(("stage",)))
            after = table["after"]
        elif single:
            array = tomlkit.array()
            array.append(after)
            table["after"] = array
            after = table["after"]
        if lag:
            inline = tomlkit.inline_table()
            inline["stage"] = on
            inline["lag"] = lag
            after.append(inline)
        else:
            after.append(on)

    def remove_dependency(self, stage_id: str, on: str) -> None:
        self._drop_dependency(self.stage(stage_id), on)

    @staticmethod
    def _drop_dependency(table: Table, on: str) -> None:
        after = table.get("after")
        if after is None:
            return
        if isinstance(after, (str, InlineTable)):
            if link_stage(after) == on:
                _drop_links(table)
            return
        keep = [i for i, entry in link_entries(after) if link_stage(entry) != on]
        if len(keep) == len(after):
            return
        if not keep:
            _drop_links(table)
            return
        for i in reversed(range(len(after))):
            if i not in keep:
                _drop_entry(after, i)

    # -- touchpoints --------------------------------------------------------------------
    def add_touchpoint(self, stage_id: str, fields: Mapping[str, Value]) -> Table:
        stage = self.stage(stage_id)
        table = _new_table(fields, key_order(("stage", "touchpoint")))
        # Indent it as the plan's other touchpoints are indented, if they are.
        sample = next((t for s in self.stages() for t in self._aot("touchpoint", s)), None)
        width = len(sample.trivia.indent.rsplit("\n", 1)[-1]) if sample is not None else 0
        if width:
            table.indent(width)
        return _append_element(stage, "touchpoint", table)  # type: ignore[return-value]

    # -- the delivery record -----------------------------------------------------------
    def record(self, stage_id: str, index: int, session: int) -> Table | None:
        """The record of one session of a touchpoint (``session`` from 1), if there is one."""
        for table in self._aot("record", self.touchpoint(stage_id, index)):
            if int(table.get("session", 1)) == session:
                return table
        return None

    def add_record(self, stage_id: str, index: int, fields: Mapping[str, Value]) -> Table:
        """Record what happened at one session of a touchpoint (``fields`` has its
        ``session``), written after the touchpoint's other records, indented as they are."""
        touchpoint = self.touchpoint(stage_id, index)
        session = int(fields.get("session", 1))  # type: ignore[arg-type]
        if self.record(stage_id, index, session) is not None:
            raise EditError(f"session {session} of that touchpoint is already recorded")
        table = _new_table(fields, key_order(("stage", "touchpoint", "record")))
        sample = next((r for s in self.stages() for t in self._aot("touchpoint", s)
                       for r in self._aot("record", t)), None)
        width = len(sample.trivia.indent.rsplit("\n", 1)[-1]) if sample is not None else \
            len(touchpoint.trivia.indent.rsplit("\n", 1)[-1]) + 2
        if width:
            table.indent(width)
        return _append_element(touchpoint, "record", table)  # type: ignore[return-value]

    def set_record(self, stage_id: str, index: int, session: int, key: str,
                   value: Value) -> None:
        table = self.record(stage_id, index, session)
        if table is None:
            raise EditError(f"session {session} of that touchpoint is not recorded yet")
        self.set_in(table, key, value, at=("stage", "touchpoint", "record"))

    def remove_touchpoint(self, stage_id: str, index: int) -> None:
        """Remove a touchpoint, unless what happened at it is recorded (``_keep_history``)."""
        stage = self.stage(stage_id)
        aot = entries(child(stage, "touchpoint"))
        if not 0 <= index < len(aot):
            raise EditError(f"stage '{stage_id}' has no touchpoint {index + 1}")
        tid = str(aot[index].get("id") or "")
        self._keep_history(f"touchpoint '{tid or index + 1}' of stage '{stage_id}'",
                           aot[index])
        # (the ones after it that make their ids from their number keep them)
        self._keep_made_ids(stage, stage_id, index + 1, self.touchpoint_ids())
        remove_entry_of(stage, "touchpoint", index)

    def remove_decision(self, stage_id: str, decision_id: str) -> None:
        """Remove one of a stage's decisions, and the touchpoints' links to it (what they
        were to influence), unless a record of what happened names it: an impact entry
        that says people's input fed it (``_keep_history``)."""
        stage = self.stage(stage_id)
        decisions = self._aot("decision", stage)
        index = next((i for i, d in enumerate(decisions)
                      if str(_plain_get(d, "id")) == decision_id), None)
        if index is None:
            raise EditError(f"stage '{stage_id}' has no decision '{decision_id}'")
        self._keep_history(f"decision '{decision_id}' of stage '{stage_id}'",
                           decisions[index])
        for touchpoint in self._aot("touchpoint", stage):
            _drop_from_list(touchpoint, "influences", decision_id)
        remove_entry_of(stage, "decision", index)

    # Links that go with what they point at: a stage's 'after' and a log entry's stage are
    # plans and notes, not a record of what happened (see remove_stage).
    _CLEANED = frozenset({(("log",), "stage")})

    def _keep_history(self, what: str, target: Any) -> None:
        """Refuse to remove ``target`` (an entry of the file, with all it holds) while the
        plan records what happened with it: records inside it (a session's record), or
        records elsewhere that name it or an entry it holds (an impact entry's decision or
        touchpoint, a payment's session), as the schema declares records
        (``history_places``) and what their keys name (``history_refs``).  Removing it
        would lose them, or leave them naming nothing."""
        from coplan.model import Plan

        inside = {id(t) for t in _tables_within(target)}
        held: dict[tuple[str, str], int] = {}
        for place in history_places(Plan):
            for table in self._tables_at(place.path):
                if id(table) in inside and table is not target:
                    words = (schema_of(place.model).shape.history, place.header)
                    held[words] = held.get(words, 0) + 1
        entries = [(path, table) for path in self._named_places()
                   for table in self._tables_at(path) if id(table) in inside]
        naming = self._history_naming(entries, skip=inside)
        if not held and not naming:
            return
        parts = []
        if held:
            parts.append(f"holds {self._records(held)}")
        if naming:
            parts.append(f"is named by {self._records(naming)}")
        raise EditError(f"{what} has a record of what happened: it {' and '.join(parts)}. "
                        "That is history to keep, so remove or change those entries first "
                        "if you really mean to remove it")

    @staticmethod
    def _records(counts: Mapping[tuple[str, str], int]) -> str:
        """``{("impact log entry", "[[impact]]"): 2}`` as "2 impact log entries
        ([[impact]])"."""
        from coplan.words import count

        parts = [f"{count(n, words)} ({header})" for (words, header), n in counts.items()]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

    @staticmethod
    def _named_places() -> list[tuple[str, ...]]:
        """The arrays whose entries a record of what happened can name (stages,
        touchpoints, decisions, meetings, people), from what the records' keys name."""
        from coplan.model import Plan

        return list(dict.fromkeys(path for _where, spec in history_refs(Plan)
                                  for path in spec.kind.targets))

    def _entry_key(self, path: tuple[str, ...], table: Any,
                   made: Mapping[int, str] | None = None) -> tuple[str | None, str]:
        """How records name the entry ``table`` at ``path``: (the id of the entry that
        holds it, where its ids differ only within that: a decision's stage; its id).
        ``made``: the ids touchpoints without one make (``_made_touchpoint_ids``), where
        the caller asks of every touchpoint (else each looks for its place)."""
        from coplan.model import Meeting, Plan

        place = place_of(Plan, path)
        assert place is not None
        shape_of = schema_of(place.model).shape
        value = _plain_get(table, shape_of.identity) if shape_of.identity else None
        if not value and place.model is Meeting:
            value = made_meeting_id(str(_plain_get(table, "title") or ""))
        owner = None
        if self._scoped(path):
            owner = next((str(_plain_get(parent, "id")) for parent in self._tables_at(path[:-1])
                          if any(t is table for t in self._aot(path[-1], parent))), None)
        if not value and path == ("stage", "touchpoint"):
            # (one that writes no id is named by the one it makes: "aims-2")
            value = made.get(id(table), "") if made is not None else \
                self._made_id(path, table, owner)
        return owner, str(value or "")

    def _made_touchpoint_ids(self) -> dict[int, str]:
        """The id each touchpoint that writes none makes ("aims-2"), by its table's
        ``id()``: one walk over the stages."""
        return {id(tp): touchpoint_id(str(_plain_get(stage, 'id')), i + 1)
                for stage in self.stages()
                for i, tp in enumerate(self._aot("touchpoint", stage))
                if not _plain_get(tp, "id")}

    @staticmethod
    def _scoped(path: tuple[str, ...]) -> bool:
        """Whether the ids of the entries at ``path`` differ only within the entry that
        holds them (a decision's, within its stage), as their shape declares."""
        from coplan.model import Plan

        place = place_of(Plan, path)
        return place is not None and len(path) > 1 and bool(schema_of(place.model).shape.within)

    def _record_owner(self, record: Any, where: tuple[str, ...], target: tuple[str, ...]
                      ) -> str | None:
        """The entry a record's names of ``target`` entries are within (an impact entry's
        decision is one of its stage's, or of the stage of its touchpoint); None when the
        record does not say (then it may name any such entry with that id)."""
        from coplan.model import Plan

        parent = target[:-1]
        for spec in (s for w, s in history_refs(Plan) if w == where):
            value = _plain_get(record, spec.toml)
            if not isinstance(value, str) or not value:
                continue
            if parent in spec.kind.targets:
                return value
            for path in spec.kind.targets:
                if len(path) > len(parent) and path[:len(parent)] == parent:
                    for holder in self._tables_at(parent):
                        if any(str(_plain_get(t, "id")) == value
                               for t in self._aot(path[len(parent)], holder)):
                            return str(_plain_get(holder, "id"))
        return None

    def _history_naming(self, entries: Iterable[tuple[tuple[str, ...], Any]], *,
                        skip: Collection[int] = ()) -> dict[tuple[str, str], int]:
        """The records of what happened (outside the tables ``skip``) that name any of
        ``entries`` ((path, table) each), counted by (words for a record, its header)."""
        from coplan.model import Plan

        wanted: dict[tuple[str, ...], set[tuple[str | None, str]]] = {}
        for path, table in entries:
            owner, ident = self._entry_key(path, table)
            if ident:
                wanted.setdefault(path, set()).add((owner, ident))
        found: dict[tuple[str, str], int] = {}
        if not wanted:
            return found
        for where, spec in history_refs(Plan):
            if (where, spec.toml) in self._CLEANED:
                continue
            targets = [path for path in spec.kind.targets if path in wanted]
            if not targets:
                continue
            place = place_of(Plan, where)
            assert place is not None
            words = (schema_of(place.model).shape.history, place.header)
            for record in self._tables_at(where):
                if id(record) in skip:
                    continue
                value = _plain_get(record, spec.toml)
                named = [str(value)] if isinstance(value, str) else \
                    [str(v) for v in value] if isinstance(value, (list, Array)) else []
                if not named:
                    continue
                for path in targets:
                    owner = self._record_owner(record, where, path) if self._scoped(path) \
                        else None
                    if any((owner is None or o == owner) and i in named
                           for o, i in wanted[path]):
                        found[words] = found.get(words, 0) + 1
                        break
        return found

    def history_lost(self) -> str:
        """What the records of what happened name that the file no longer has, in words
        ("the decision 'focus' of stage 'priorities', named by 2 impact log entries
        ([[impact]])"); "" when they name only what is there.  An edit that leaves a record
        naming nothing (an id changed straight in the document, an entry taken out by hand;
        ``rename`` carries a new id to the records instead) is refused with this, not with
        the loader's words about a missing id."""
        from coplan.model import Plan

        made = self._made_touchpoint_ids()
        there: dict[tuple[str, ...], set[tuple[str | None, str]]] = {
            path: {self._entry_key(path, table, made) for table in self._tables_at(path)}
            for path in self._named_places()}
        lost: dict[str, dict[tuple[str, str], int]] = {}
        for where, spec in history_refs(Plan):
            place = place_of(Plan, where)
            assert place is not None
            words = (schema_of(place.model).shape.history, place.header)
            for record in self._tables_at(where):
                value = _plain_get(record, spec.toml)
                named = [str(value)] if isinstance(value, str) and value else \
                    [str(v) for v in value] if isinstance(value, (list, Array)) else []
                for ident in named:
                    owners = {path: self._record_owner(record, where, path)
                              if self._scoped(path) else None for path in spec.kind.targets}
                    if any((owners[path], ident) in there[path] or (
                            owners[path] is None and any(i == ident for _o, i in there[path]))
                           for path in spec.kind.targets):
                        continue
                    kinds = " or ".join(path[-1] for path in spec.kind.targets)
                    owner = next(((path[-2], o) for path, o in owners.items() if o), None)
                    what = f"the {kinds} '{ident}'" + (
                        f" of {owner[0]} '{owner[1]}'" if owner else "")
                    counts = lost.setdefault(what, {})
                    counts[words] = counts.get(words, 0) + 1
        if not lost:
            return ""
        gone = "; ".join(f"{what}, named by {self._records(counts)}"
                         for what, counts in lost.items())
        return (f"the record of what happened names what this change takes away ({gone}). "
                "That is history to keep, so change or remove those entries first if you "
                "really mean to take it away")

    # -- people and meetings ------------------------------------------------------------
    def add_person(self, fields: Mapping[str, Value]) -> Table:
        person_id = str(fields.get("id", ""))
        if any(t.get("id") == person_id for t in self._aot("person")):
            raise EditError(f"there is already a person with the id '{person_id}'")
        return self._append("person", fields)

    def remove_person(self, person_id: str, *,
                      held: Collection[tuple[str, int]] = ()) -> None:
        """Remove a person and every mention of them in what is still to come (who takes
        part in touchpoints and meetings, the board, the leads).

        What happened is history to keep: a person named in a record of it (a session's
        attendance, a reflection, the decision or impact log, a protocol review, a
        sign-off, a payment) cannot be removed, since the record would then name nobody
        or be rewritten.  ``step_down_person`` takes such a person off what is still to
        come and keeps them, with the record.  A rate only for them goes with them (left
        with nobody, it would be a rate for everyone)."""
        from coplan.model import Plan

        target = self.person(person_id)
        for where, spec, shape in records_about(Plan):
            if any(t.get(spec.toml) == person_id for t in self._tables_at(where)):
                header = "[[" + ".".join(where) + "]]"
                raise EditError(f"'{person_id}' {shape.kept}, and {shape.anonymous} is a record "
                                f"to keep; remove their {header} entry first if you really "
                                "mean to remove them")
        _, history = self.person_mentions(person_id, held=held)
        if history:
            raise EditError(f"'{person_id}' is named in the record of what happened "
                            f"({listed(history)}); that is history to keep, so they stay in "
                            "the plan: take them off what is still to come instead")
        for table, key, _words in self._mentions(person_id, history=False):
            value = table.get(key)
            if isinstance(value, (list, Array)) and [str(v) for v in value] == [person_id] \
                    and key in self._FOR_EVERYONE_WHEN_EMPTY.get(self._path_of(table), ()):
                self._remove_table(table)
                continue
            _drop_from_list(table, key, person_id)
        self._remove_from_aot("person", target)

    def step_down_person(self, person_id: str, *,
                         held: Collection[tuple[str, int]] = ()) -> None:
        """Take a person off what is still to come (touchpoints, meetings, the board, the
        leads) and keep them in the plan, with every record of what happened that names
        them: a researcher who leaves part way through.  ``held`` names the touchpoints
        (stage id, index from 0) whose sessions have all happened: who was to take part in
        them is the plan they were held by, and stays.  Rates for them stay too: they say
        what the person was paid."""
        self.person(person_id)
        for table, key, _words in self._mentions(person_id, history=False, held=held):
            if key in self._FOR_EVERYONE_WHEN_EMPTY.get(self._path_of(table), ()):
                continue
            _drop_from_list(table, key, person_id)

    # Lists of people that, left empty, mean everyone (a rate with no `people`).
    _FOR_EVERYONE_WHEN_EMPTY: dict[tuple[str, ...], tuple[str, ...]] = {
        ("payment", "rates"): ("people",)}

    def person_mentions(self, person_id: str, *, held: Collection[tuple[str, int]] = ()
                        ) -> tuple[dict[str, int], dict[str, int]]:
        """Where the plan names ``person_id``: in what is still to come, and in records of
        what happened (``schema.history_places``, and the touchpoints ``held``, as
        ``step_down_person``), each as words for the place ("touchpoint", "'Co-leads'
        (Governance)", "session record") and how many entries name them, in the order of
        the file's tables."""
        plans: dict[str, int] = {}
        history: dict[str, int] = {}
        for flag, out in ((False, plans), (True, history)):
            for _table, _key, words in self._mentions(person_id, history=flag, held=held):
                out[words] = out.get(words, 0) + 1
        return plans, history

    _HELD = "held touchpoint"

    def _mentions(self, person_id: str, *, history: bool,
                  held: Collection[tuple[str, int]] = ()) -> Iterator[tuple[Any, str, str]]:
        """Every (table, key, words for the place) of the file whose key names
        ``person_id``, as the schema declares person keys: those in records of what happened
        (and the touchpoints ``held``) with ``history``, the others without."""
        from coplan.model import Plan
        from coplan.schema import field_words, history_places, place_of, schema_of

        records = {place.path: schema_of(place.model).shape.history
                   for place in history_places(Plan)}
        done = {id(self.touchpoint(sid, i)) for sid, i in held}
        for where, spec in key_paths(Plan, "person"):
            place = place_of(Plan, where)
            if where in records:
                words = records[where]
            elif place is not None and place.sub is not None and place.sub.array:
                first = schema_of(place.model).shape.anonymous.split(" ")
                words = first[1] if first[0] in ("a", "an") else first[0]
            else:
                words = field_words(Plan, ".".join((*where, spec.toml)))
            for table in self._tables_at(where):
                past = where in records or id(table) in done
                if past != history:
                    continue
                value = table.get(spec.toml)
                named = [value] if isinstance(value, str) else \
                    list(value) if isinstance(value, (list, Array)) else []
                if person_id in (str(v) for v in named):
                    yield table, spec.toml, self._HELD if id(table) in done else words

    def _path_of(self, table: Any) -> tuple[str, ...]:
        """Where ``table`` is in the file, as the schema names places (("payment",
        "rates")); () when it is not found."""
        from coplan.model import Plan
        from coplan.schema import places

        for place in places(Plan):
            if place.path and any(t is table for t in self._tables_at(place.path)):
                return place.path
        return ()

    def _remove_table(self, table: Any) -> None:
        """Take ``table`` out of the array of tables (or inline array) that holds it."""
        path = self._path_of(table)
        holders = self._tables_at(path[:-1]) if len(path) > 1 else [self._doc]
        for holder in holders:
            value = child(holder, path[-1])
            if isinstance(value, (AoT, Array, list)):
                for i, entry in enumerate(value):
                    if entry is table:
                        remove_entry_of(holder, path[-1], i)
                        return

    def _tables_at(self, where: tuple[str, ...]) -> list[Any]:
        """Every table at ``where`` (("stage", "touchpoint") is each touchpoint of each
        stage), without creating any."""
        found: list[Any] = [self._doc]
        for name in where:
            found = _step(found, name)
        return found

    def add_meeting(self, fields: Mapping[str, Value]) -> Table:
        return self._append("meeting", fields)

    def remove_meeting(self, meeting_id: str) -> None:
        """Remove a standing meeting, unless payments name it (``_keep_history``)."""
        target = self.meeting(meeting_id)
        self._keep_history(f"meeting '{meeting_id}'", target)
        self._remove_from_aot("meeting", target)

    def add_entry(self, path: str, fields: Mapping[str, Value]) -> Table:
        """Append to any array of tables, such as ``log`` or ``protocol.term``."""
        *parents, name = path.split(".")
        holder: Any = self.table(".".join(parents)) if parents else self._doc
        table = _new_table(fields, key_order(tuple(path.split("."))))
        return _append_element(holder, name, table)  # type: ignore[return-value]

    def remove_entry(self, path: str, index: int) -> None:
        """Remove an entry of an array of tables (``log``, ``protocol.term``), unless a
        record of what happened is in it or names it (``_keep_history``)."""
        *parents, name = path.split(".")
        holder: Any = self._doc
        for part in parents:  # look, but do not create missing tables
            holder = child(holder, part)
        value = child(holder, name)
        if not isinstance(value, (AoT, Array)) or not 0 <= index < len(value) or \
                not isinstance(value[index], (Table, InlineTable)):
            raise EditError(f"there is no entry {index + 1} in {path}")
        self._keep_history(f"entry {index + 1} of {path}", value[index])
        remove_entry_of(holder, name, index)

    # -- any table, by where it is ------------------------------------------------------
    def item_at(self, path: Sequence[str], at: Sequence[int | None], *,
                create: bool = False) -> Any:
        """The table at ``path`` (such as ``("payment", "rates")``): ``at`` says, for each
        part, which entry of an array it is (``None`` for a table).  A missing table is
        created when ``create`` is true (and is otherwise ``None``); a missing entry of an
        array is an ``EditError``."""
        holder: Any = self._doc
        top = self._doc.get(path[0]) if path else None
        if not path or not ((isinstance(top, Table) and at[0] is None) or
                            (isinstance(top, AoT) and isinstance(at[0], int))):
            self._everything = True  # not inside one entry, or one top-level table
        for depth, (part, index) in enumerate(zip(path, at, strict=True)):
            value = holder.get(part) if hasattr(holder, "get") else None
            if index is None:
                if value is None:
                    if not create:
                        return None
                    self._everything = True  # a new table
                    # A blank line after it, unless what it follows already ends with
                    # one (or with comments, which stay below it with their blank line).
                    ending = holder.as_string().rstrip(" ")
                    spaced = ending.endswith("\n\n") or (ending.rstrip().splitlines()[-1:] \
                        and ending.rstrip().splitlines()[-1].lstrip().startswith("#"))
                    last = depth == len(path) - 1
                    set_key(holder, part, _new_table({}) if last and not spaced
                            else tomlkit.table(is_super_table=not last))
                    value = holder[part]
                holder = value
                continue
            entries = list(value) if isinstance(value, (AoT, Array, list)) else \
                [] if value is None else [value]
            if not 0 <= index < len(entries):
                raise EditError(f"there is no entry {index + 1} in "
                                f"{'.'.join(path[:depth + 1])}")
            holder = entries[index]
            if depth == 0:
                self._touch(holder)  # whoever has it (or a table in it) may change it
        return holder

    def add_item(self, path: Sequence[str], at: Sequence[int | None],
                 fields: Mapping[str, Value], *, inline: bool = False) -> Any:
        """Add an entry to the array of tables at ``path`` (``at`` gives the entries of
        the arrays that hold it, as ``item_at``); ``inline`` for an array written
        ``closures = [{ ... }]``."""
        name = path[-1]
        if len(path) > 1:
            parent: Any = self.item_at(path[:-1], at[:len(path) - 1], create=True)
        else:
            parent = self._doc
            existing = parent.get(name)
            if isinstance(existing, AoT) and len(existing) and not inline:
                self._touch(existing[-1])  # the comments that end it may move below
            else:
                self._everything = True
        current = parent.get(name)
        table = _new_table(fields, key_order(tuple(path)))
        if inline and current is None:
            array = tomlkit.array()
            array.append(inline_like(table, array))
            set_key(parent, name, array)
            return parent[name][-1]
        return _append_element(parent, name, table)

    # -- internals ----------------------------------------------------------------------
    def _append(self, name: str, fields: Mapping[str, Value]) -> Table:
        table = _new_table(fields, key_order((name,)))
        return _append_element(self._doc, name, table)  # type: ignore[return-value]

    def _remove_from_aot(self, name: str, target: Table) -> None:
        for i, table in enumerate(entries(child(self._doc, name))):
            if table is target:
                remove_entry_of(self._doc, name, i)
                return

    def shift_dates(self, days: int) -> int:
        """Move the plan's dates by ``days`` (a new plan from a template keeps its rhythm:
        sign-offs and deadlines stay where they were relative to the start).  Closures
        are days of the calendar (a Christmas closure, a summer break), so they keep their
        day and month: they move by the whole years nearest to ``days``.  Returns how many
        dates moved."""
        from datetime import timedelta

        from coplan.model import Closure, Plan
        from coplan.schema import places

        if not days:
            return 0
        moved = 0
        years = round(days / 365.2425)
        calendar = {id(table) for place in places(Plan) if place.model is Closure
                    for table in self._tables_at(place.path)}

        def later(day: date, by_years: bool) -> date:
            if not by_years:
                return day + timedelta(days=days)
            try:
                return day.replace(year=day.year + years)
            except ValueError:  # 29 February, in a year without one
                return day.replace(year=day.year + years, day=28)

        def walk(container: Any, by_years: bool) -> None:
            nonlocal moved
            items = container.items() if hasattr(container, "items") else enumerate(container)
            for key, value in list(items):
                if isinstance(value, date) and not hasattr(value, "hour"):
                    shifted = later(value, by_years)
                    if shifted != value:
                        container[key] = shifted
                        moved += 1
                elif isinstance(value, (Table, InlineTable, AoT, Array, dict, list)):
                    walk(value, by_years or id(value) in calendar)

        walk(self._doc, False)
        return moved

    def drop_record(self) -> int:
        """Remove what the plan records of what happened: every entry of the arrays the
        schema declares as history (sessions' records, reflections, the decision and
        impact logs, sign-offs, protocol reviews, payments), what stages and touchpoints
        record of their delivery, and the baseline; and a protocol marked agreed is a
        draft again.  A new plan made from an example starts with none: its project has
        not happened yet.  Returns how many went."""
        from coplan.model import Plan
        from coplan.schema import history_places

        before = self.text(afresh=True)
        gone = 0
        for place in sorted(history_places(Plan), key=lambda p: -len(p.path)):
            *parents, name = place.path
            for holder in self._tables_at(tuple(parents)) if parents else [self._doc]:
                value = child(holder, name)
                if isinstance(value, (AoT, Array)):
                    for i in reversed(range(len(value))):
                        if isinstance(value[i], (Table, InlineTable)):
                            remove_entry_of(holder, name, i)
                            gone += 1
        for kind, keys in self._DELIVERY_KEYS.items():
            where = ("stage",) if kind == "stage" else ("stage", "touchpoint")
            for table in self._tables_at(where):
                for key in keys:
                    if key in table:
                        del table[key]
                        gone += 1
        if "baseline" in self._doc:
            del self._doc["baseline"]
            gone += 1
        # A protocol the example's team agreed is the new project's draft: its sign-offs
        # and review rounds went above, and "agreed" would claim what nobody has done yet
        # (the review holds an agreed protocol to every part of it).
        protocol = child(self._doc, "protocol")
        if isinstance(protocol, (Table, InlineTable)) and protocol.get("status") == "agreed":
            self.set_in(protocol, "status", "draft", at=("protocol",))
            gone += 1
        if gone:
            self._drop_comments_left_alone(before)
        return gone

    def _drop_comments_left_alone(self, before: str) -> None:
        """Take out the comments that introduced what has just gone: a banner ("The
        payments ledger: ...") left over nothing but another banner or the end of the
        file.  Comments already standing alone in ``before`` stay (a file's opening
        words), as does everything else; the plan's values are checked unchanged."""
        text = self.text(afresh=True)
        kept = Counter(block for _start, _end, block in _comments_alone(before))
        lines = text.splitlines(keepends=True)
        drop: set[int] = set()
        for start, end, block in _comments_alone(text):
            if kept[block]:
                kept[block] -= 1
                continue
            drop.update(range(start, end))
        if not drop:
            return
        out = [line for n, line in enumerate(lines) if n not in drop]
        while len(lines) - 1 in drop and len(out) > 1 and not out[-1].strip():
            del out[-1]  # (blank lines that separated what went from the end)
        cleaned = "".join(out)
        try:
            same = tomlkit.parse(cleaned).unwrap() == self._doc.unwrap()
        except Exception:
            same = False
        if same:
            self.doc = parse_keeping_places(cleaned)

    # -- saving -------------------------------------------------------------------------
    def save(self, path: str | Path | None = None) -> Path:
        """Write the plan atomically; returns the path written."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise EditError("this plan has no file yet; say where to save it")
        text = self.text()
        save_plan_text(target, text)
        self.original = text
        self.path = target
        return target


@functools.cache
def key_order(at: tuple[str, ...]) -> tuple[str, ...]:
    """The keys of the table the schema places at ``at`` (``("paid",)``), in the order it
    declares them: the order the plan format documents, and people write them in (empty
    for a place the schema does not know).  Exactly that order, for every kind of entry:
    each declares its id first, as the examples and templates write it, so an id a rename
    gives a meeting (whose id is otherwise made from its title) goes above its title."""
    from coplan.model import Plan
    from coplan.schema import places, schema_of

    place = next((p for p in places(Plan) if p.path == at), None)
    if place is None or not at:
        return ()
    return tuple(m.toml for m in schema_of(place.model).members)


@functools.cache
def _identity_key(where: tuple[str, ...]) -> str | None:
    """The key that is the id of the entries at ``where`` (``"id"``), when it is an id
    (``schema.Id``) and not a name of something else (a baseline's ``stage``)."""
    from coplan.model import Plan
    from coplan.schema import Id

    place = place_of(Plan, where)
    if place is None:
        return None
    ident = schema_of(place.model).shape.identity
    spec = schema_of(place.model).key(ident) if ident else None
    if spec is None or not isinstance(spec.kind, Id) or spec.kind.names:
        return None
    return ident


@functools.cache
def _made_from(where: tuple[str, ...]) -> str | None:
    """The key an entry at ``where`` makes its id from when it has none (a meeting's
    title), or None."""
    from coplan.model import Meeting, Plan

    place = place_of(Plan, where)
    return "title" if place is not None and place.model is Meeting else None


@functools.cache
def _naming_keys(where: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], Any], ...]:
    """Every (path of a table, key) of the schema whose values name entries at
    ``where``: keys whose kind's ``targets`` include it, and for top-level entries the
    keys that name them unchecked (``Kind.names``)."""
    from coplan.model import Plan
    from coplan.schema import Key, places

    out = []
    for place in places(Plan):
        for member in schema_of(place.model).members:
            spec = member.spec
            if isinstance(spec, Key) and (where in spec.kind.targets or (
                    len(where) == 1 and spec.kind.names == where[0])):
                out.append((place.path, spec))
    return tuple(out)


def _plain_get(table: Any, key: str) -> Any:
    """``table.get(key)``, quickly: a tomlkit table is also a ``dict`` of its keys' values,
    kept up to date by tomlkit (it is how one passes for a plain ``dict``); reading that
    is several times quicker than its ``get``."""
    if isinstance(table, dict):
        return dict.get(table, key)
    return table.get(key)


def _links_of(table: Any) -> list[str]:
    """``linked_stages(table.get("after"))``, quickly: a tomlkit array is also the plain
    ``list`` of its values, and an inline table the ``dict`` of its own (kept up to date by
    tomlkit, as for ``_plain_get``); reading those is ten times quicker than going through
    tomlkit's items (tests/test_edit.py compares the two after random edits)."""
    after = _plain_get(table, "after")
    if isinstance(after, list):
        entries: Iterable[Any] = list.__iter__(after)
    elif isinstance(after, (str, dict)):
        entries = (after,)
    else:
        return linked_stages(after)
    out = []
    for entry in entries:
        if isinstance(entry, str):
            out.append(entry.strip())
        elif isinstance(entry, dict):
            stage = dict.get(entry, "stage")
            if isinstance(stage, str):
                out.append(str(stage).strip())
        elif (stage := link_stage(entry)) is not None:
            out.append(stage)
    return out


def _unmark(item: Any) -> None:
    """A value just written by a person is theirs: a comment after it that marked it as a
    placeholder (``# placeholder``, ``# TBC``: ``coplan.agreed``) no longer says true, so it
    goes; any other comment stays."""
    from coplan.tomltext import PLACEHOLDER_MARK

    trivia = getattr(item, "trivia", None)
    if trivia is not None and trivia.comment and PLACEHOLDER_MARK.search(trivia.comment):
        trivia.comment = ""
        trivia.comment_ws = ""


# The operations that change (or hand out) only the entries they name; every other public
# method may change anything, so the next ``text()`` writes the whole document again.
_NARROW = frozenset({
    "text", "add_stage", "insert_stage", "stage", "stage_ids", "touchpoints", "touchpoint",
    "person", "meeting", "table", "record", "set_project", "set_stage", "set_touchpoint",
    "set_person", "set_meeting", "set_entry", "set_table", "set_record", "save", "item_at",
    "add_item",
    "add_dependency", "remove_dependency"})


def _changes_everything(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def changing(self: PlanDocument, *args: Any, **kwargs: Any) -> Any:
        self._everything = True
        return method(self, *args, **kwargs)
    return changing


for _name, _method in list(vars(PlanDocument).items()):
    if inspect.isfunction(_method) and not _name.startswith("_") and _name not in _NARROW:
        setattr(PlanDocument, _name, _changes_everything(_method))


def _same(item: Any, value: Value) -> bool:
    try:
        plain = item.unwrap() if hasattr(item, "unwrap") else item
    except Exception:  # pragma: no cover - defensive
        return False
    if isinstance(value, tuple):
        value = list(value)
    return bool(plain == value)


def _item(value: Value) -> Item:
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, Mapping):
        inline = tomlkit.inline_table()
        inline.update(value)
        return inline
    return tomlkit.item(value)


def _like(current: Any, value: Value) -> Item:
    """``value`` as an item written the way ``current`` was: a string that was written over
    several lines stays so (and one given several lines becomes so), literal strings stay
    literal where they can, and an array written one entry a line stays that way."""
    if isinstance(value, str) and isinstance(current, String):
        return _string_like(current, value)
    if isinstance(value, str) and "\n" in value:
        return tomlkit.string(value, multiline=True)
    item = _item(value)
    if isinstance(current, Array) and isinstance(item, Array) and "\n" in current.as_string():
        item.multiline(True)
    return item


def _string_like(current: String, value: str) -> String:
    multiline = current.type.is_multiline() or "\n" in value
    literal = current.type.is_literal() and "'" * 3 not in value and (
        multiline or "'" not in value)
    if any(ch < " " and ch not in "\t\n" for ch in value):
        literal = False
    if not (multiline and current.type.is_multiline()):
        return tomlkit.string(value, literal=literal, multiline=multiline)
    # Keep the old value's line break after the opening quotes, and the one at the end.
    if str(current).endswith("\n") and not value.endswith("\n"):
        value += "\n"
    item = tomlkit.string(value, literal=literal, multiline=True)
    opening = current.as_string()[3:5]
    newline = "\r\n" if opening == "\r\n" else "\n" if opening[:1] == "\n" else ""
    if newline:
        item = String(item.type, value, newline + item._original, Trivia())
    return item


def _edit_array(array: Array, target: list[Any]) -> bool:
    """Make ``array`` hold ``target`` by removing and appending entries in place (so its
    layout and the order of what stays are kept); False when the order changed too."""
    current = list(array.unwrap())
    wanted: dict[str, int] = {}
    for entry in target:
        wanted[repr(entry)] = wanted.get(repr(entry), 0) + 1
    keep: list[int] = []
    for i, entry in enumerate(current):
        if wanted.get(repr(entry), 0) > 0:
            wanted[repr(entry)] -= 1
            keep.append(i)
    kept = [current[i] for i in keep]
    rest = list(target)
    for entry in kept:
        rest.remove(entry)
    if kept + rest != target:
        return False
    for i in reversed(range(len(current))):
        if i not in keep:
            del array[i]
    for entry in rest:
        array.append(_item(entry))
    return True


def _new_table(fields: Mapping[str, Value], order: Sequence[str] = ()) -> Table:
    """A new table of ``fields``, written in the order ``order`` (the schema's) gives them."""
    table = tomlkit.table()
    for key, value in _ordered(fields, order):
        if value is None or (isinstance(value, (list, tuple, str)) and len(value) == 0):
            continue
        table[key] = _item(value)
    # A blank line after the table; not "fixed", so keys added later go above it.
    table.add(Whitespace("\n"))
    return table


def _ordered(fields: Mapping[str, Value], order: Sequence[str]) -> list[tuple[str, Value]]:
    """``fields`` in the order the schema declares them (those it does not name last)."""
    if not order:
        return list(fields.items())
    rank = {name: i for i, name in enumerate(order)}
    return sorted(fields.items(), key=lambda kv: rank.get(kv[0], len(rank)))


def _relink(table: Table, old: str, new: Sequence[str]) -> None:
    """Make ``table`` wait for the stages ``new`` where it waited for ``old`` (the first
    in its place, keeping a lag given with it; the others after it), or not at all when
    ``new`` is empty; links it already has are not repeated."""
    after = table.get("after")
    present = set(linked_stages(after)) - {old}
    fresh = [n for n in new if n not in present]
    if not fresh:
        PlanDocument._drop_dependency(table, old)
        return
    if not (isinstance(after, Array) and after.as_string().count("\n")):
        # The note written beside the link was about the stage it named: it stays, on
        # its own line above, rather than beside a stage it does not describe.
        _comment_above(table, "after")
    first, rest = fresh[0], fresh[1:]
    if isinstance(after, str):
        table["after"] = first if not rest else [first, *rest]
        return
    if isinstance(after, InlineTable):
        after["stage"] = first
        if rest:
            array = tomlkit.array()
            array.append(after)
            array.extend(rest)
            table["after"] = array
        return
    if not isinstance(after, Array):
        return
    for i, entry in link_entries(after):
        if link_stage(entry) == old:
            if isinstance(entry, str):
                after[i] = first
            else:
                entry["stage"] = first
            _entry_comment_above(after, i)
            break
    for name in rest:
        after.append(name)


def _drop_links(table: Table) -> None:
    """Remove a stage's ``after``, keeping the comments written in it or beside it as
    lines of their own where it was: a person's notes are not coplan's to delete.  (A
    link list holds only ids and lengths, so every "#" in it starts a comment.)"""
    item = table.value.item("after") if "after" in table else None
    if not isinstance(item, Item):
        return
    notes = [line[line.index("#"):].rstrip() for line in
             (item.as_string() + item.trivia.comment).splitlines() if "#" in line]
    if not notes:
        del table["after"]
        return
    body = table.value.body
    position = next(i for i, (k, _) in enumerate(body) if k is not None and k.key == "after")
    indent = item.trivia.indent.rsplit("\n", 1)[-1]
    del table["after"]
    body[position] = (None, Comment(Trivia(indent="", comment_ws="", trail="", comment="".join(
        f"{indent}{note}\n" for note in notes))))


def _comment_above(table: Table, key: str) -> None:
    """Move the comment beside ``key``'s value to a line of its own just above it (the
    value changed, and the note was about the old one)."""
    item = table.value.item(key) if key in table else None
    if not isinstance(item, Item) or not item.trivia.comment:
        return
    indent = item.trivia.indent
    last = indent.rsplit("\n", 1)[-1]
    item.trivia.indent = f"{indent}{item.trivia.comment}\n{last}"
    item.trivia.comment = ""
    item.trivia.comment_ws = ""


def _entry_group(array: Array, index: int) -> Any:
    """The group (indent, value, comma, comment) tomlkit keeps for entry ``index`` of a
    multi-line array, or None where it does not keep them so."""
    groups = getattr(array, "_value", None)
    where = getattr(array, "_index_map", {}).get(index)
    if not isinstance(groups, list) or where is None or where >= len(groups):
        return None
    group = groups[where]
    indent = getattr(group, "indent", None)
    if getattr(group, "comment", None) is None or indent is None or "\n" not in indent.s:
        return None
    return group


def _entry_comment_above(array: Array, index: int) -> None:
    """In a list written one entry to a line, move the comment beside entry ``index`` to
    a line of its own above it (the entry changed; the note was about what it was)."""
    group = _entry_group(array, index)
    if group is not None:
        text = group.comment.trivia.comment
        group.indent = Whitespace(f"{group.indent.s}{text}{group.indent.s}")
        group.comment = None


def _drop_entry(array: Array, index: int) -> None:
    """Remove entry ``index`` of a list; in a list written one entry to a line, the
    comment beside it stays as a line of its own where the entry was."""
    group = _entry_group(array, index)
    groups: list[Any] = getattr(array, "_value", [])
    after = groups[groups.index(group) + 1] if group is not None and \
        groups.index(group) + 1 < len(groups) else None
    del array[index]
    if group is None or after is None or after not in groups:
        return
    line = f"{group.indent.s}{group.comment.trivia.comment}"
    if after.indent is not None:
        after.indent = Whitespace(line + after.indent.s)
    elif isinstance(after.value, Whitespace):
        after.value = Whitespace(line + after.value.s)


def listed(counts: Mapping[str, int]) -> str:
    """``{"touchpoint": 10, "meeting": 1}`` as "10 touchpoints and 1 meeting"."""
    from coplan.words import count

    parts = [count(n, what) if not what.startswith("'") else what
             for what, n in counts.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _drop_from_list(table: Any, key: str, value: str) -> None:
    items = table.get(key)
    if items is None:
        return
    if isinstance(items, str):
        if items == value:
            del table[key]
        return
    for i in reversed(range(len(items))):
        if items[i] == value:
            del items[i]


def set_baseline(doc: PlanDocument, saved: date, finish: date,
                 stages: Sequence[tuple[str, date, date]]) -> None:
    """Write ``[baseline]`` (replacing an earlier one where it stood, else at the end of
    the file): when it was saved, the planned finish, and each stage's planned dates."""
    table = doc.table("baseline")
    table["saved"] = saved
    table["finish"] = finish
    if "stage" in table:
        del table["stage"]
    entries = tomlkit.aot()
    for stage_id, start, end in stages:
        entry = tomlkit.table()
        entry["stage"] = stage_id
        entry["start"] = start
        entry["finish"] = end
        entries.append(entry)
    if stages:
        table.append("stage", entries)


def _comments_alone(text: str) -> Iterator[tuple[int, int, str]]:
    """The runs of comment lines in ``text`` that introduce nothing: followed, after
    blank lines, only by more comments or the end of the file; each as (first line, the
    line after its blank lines, its text without indentation), lines counted from 0.
    Lines inside multi-line strings are text, not comments."""
    lines = text.splitlines(keepends=True)
    inside = ""  # the quotes of a multi-line string still open
    kinds: list[str] = []  # each line: "#" comment, "" blank, "=" anything else
    for line in lines:
        stripped = line.strip()
        if inside:
            kinds.append("=")
            if line.count(inside) % 2:
                inside = ""
            continue
        kinds.append("#" if stripped.startswith("#") else "" if not stripped else "=")
        for quotes in ('"""', "'''"):
            if stripped.split("#", 1)[0].count(quotes) % 2:
                inside = quotes
                break
    n = 0
    while n < len(lines):
        if kinds[n] != "#":
            n += 1
            continue
        start = n
        while n < len(lines) and kinds[n] == "#":
            n += 1
        end = n
        while end < len(lines) and kinds[end] == "":
            end += 1
        if end == len(lines) or kinds[end] == "#":
            yield start, end, "".join(line.strip() + "\n" for line in lines[start:n])


def _tables_within(table: Any) -> Iterator[Any]:
    """``table`` and every table inside it, at any depth."""
    yield table
    for value in table.values():
        if isinstance(value, (Table, InlineTable)):
            yield from _tables_within(value)
        elif isinstance(value, (AoT, list)):
            for item in value:
                if isinstance(item, (Table, InlineTable)):
                    yield from _tables_within(item)


def _history_places(root: type) -> list[tuple[tuple[str, ...], Any]]:
    """Where the plan keeps records of what happened inside its items (a session's record):
    the arrays of tables whose items are records, as the schema declares them."""
    from coplan.schema import history_places

    return [(place.path, place) for place in history_places(root)]


def _step(found: Iterable[Any], name: str) -> list[Any]:
    """One step of a walk over the document (``PlanDocument._tables_at``): the tables
    named ``name`` in each of ``found``, each entry of an array of tables, however the
    file writes them (headers, inline, dotted keys, a table in several parts:
    ``tomldoc.child``)."""
    step: list[Any] = []
    for holder in found:
        value = child(holder, name)
        if isinstance(value, (AoT, Array, list)):
            step.extend(entries(value))
        elif isinstance(value, TABLE_LIKE):
            step.append(value)
    return step
