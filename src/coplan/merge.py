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
* an item I added is copied from my text as I wrote it; an item I removed is removed unless
  they changed it (then that is a conflict too).

Items are known by their ids: stages, people, touchpoints (within their stage), decisions,
meetings; glossary terms by their term; other entries (the decision log, sign-offs, review
rounds, risks) by their whole content, so additions from both sides are kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table

from coplan.schema import identities, slug
from coplan.tomlparse import TOMLDecodeError
from coplan.tomlparse import loads as toml_loads
from coplan.tomltext import own_value, sections

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
        return slug(entry["title"])
    if kind == "touchpoint":
        return f"{parent[-1]}-{index + 1}" if parent else str(index)
    return "=" + json.dumps(entry, sort_keys=True, default=str)


@dataclass(frozen=True, slots=True)
class Conflict:
    """The same field changed differently on both sides."""

    path: Path
    base: Any
    mine: Any
    theirs: Any

    def describe(self, who: str = "someone else") -> str:
        """What clashes, in words; ``who`` names the person who made the other change."""
        where = " › ".join("an entry" if p.startswith("=") else p for p in self.path)
        if self.base == "<item>":
            return f"{where}: you removed it, and {who} changed it meanwhile"
        return f"{where}: you wrote {_show(self.mine)}, {who} wrote {_show(self.theirs)}"


def _show(value: Any) -> str:
    if value is _ABSENT:
        return "nothing (removed)"
    if isinstance(value, str):
        return f'"{value}"'
    return json.dumps(value, default=str)


@dataclass(slots=True)
class MergeResult:
    text: str
    conflicts: list[Conflict] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

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
        elif isinstance(value, dict) and key not in ("skip",):
            out[(*path, key)] = "<table>"
            _walk(value, (*path, key), out)
        else:
            out[(*path, key)] = value


def flatten(text: str) -> dict[Path, Any]:
    out: dict[Path, Any] = {}
    _walk(toml_loads(text), (), out)
    return out


# -- merging ------------------------------------------------------------------------------

def _is_id_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _merge_lists(base: Any, mine: Any, theirs: Any) -> list[Any]:
    base_l = base if isinstance(base, list) else []
    removed = [v for v in base_l if v not in mine]
    added = [v for v in mine if v not in base_l]
    result = [v for v in theirs if v not in removed]
    result += [v for v in added if v not in result]
    return result


# -- merging by sections (the fast path) --------------------------------------------------

@dataclass(slots=True)
class _Section:
    key: tuple[str, ...]
    text: str


def _sections(text: str) -> list[_Section]:
    """A plan's top-level sections (``tomltext.sections``), each known by its name and,
    for an entry of an array of tables, by its own id (a term, or a title, where it has
    no id), so that the same entry is found again in another version of the plan."""
    out: list[_Section] = []
    seen: dict[tuple[str, ...], int] = {}
    for section in sections(text):
        if section.array:
            ident = own_value(section.text, "id") or own_value(section.text, "term") or \
                own_value(section.text, "title")
            key: tuple[str, ...] = (section.name, ident if ident is not None else
                                    "#" + json.dumps(section.text.strip()))
        else:
            key = (section.name,)
        count = seen.get(key, 0)
        seen[key] = count + 1
        if count:
            key = (*key, f"~{count}")
        out.append(_Section(key, section.text))
    return out


def _item_path(key: tuple[str, ...]) -> Path:
    return tuple(p for p in key if not p.startswith("~"))


def _ensure_break(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


def merge_sections(base: str, mine: str, theirs: str) -> MergeResult | None:
    """Merge section by section with plain text operations; sections both sides changed
    are merged field by field.  Returns None when the texts cannot be split cleanly (the
    caller then merges the whole document field by field)."""
    b = {s.key: s.text for s in _sections(base)}
    m_list = _sections(mine)
    m = {s.key: s.text for s in m_list}
    t_list = _sections(theirs)
    if len(b) != len(_sections(base)) or len(m) != len(m_list):
        return None
    result = MergeResult(theirs)
    out: list[str] = []
    for section in t_list:
        key = section.key
        bt, mt, tt = b.get(key), m.get(key), section.text
        if key in b and key not in m:
            if bt == tt:
                result.changes.append(f"removed {' '.join(key)}")
                continue  # I removed it and they did not touch it
            result.conflicts.append(Conflict(_item_path(key), "<item>", _ABSENT, "<changed>"))
            out.append(tt)
            continue
        if mt is None or mt in (bt, tt):
            out.append(tt)
        elif bt == tt:
            out.append(_ensure_break(mt))
            result.changes.append(f"changed {' '.join(key)}")
        else:
            inner = merge_fields(bt or "", mt, tt)
            result.conflicts.extend(inner.conflicts)
            out.append(_ensure_break(inner.text))
            result.changes.extend(inner.changes)
    # Sections I added (not in base, not in theirs) go after the last of their kind.
    t_keys = {s.key for s in t_list}
    for section in m_list:
        if section.key in b or section.key in t_keys:
            continue
        kind = section.key[0]
        position = max((i for i, s in enumerate(t_list) if s.key[0] == kind), default=None)
        addition = _ensure_break(section.text)
        if position is None:
            out.append(("\n" if out and not out[-1].endswith("\n\n") else "") + addition)
        else:
            # out and t_list may differ in length after removals; find the text to follow.
            anchor = t_list[position].text
            where = max((i for i, text in enumerate(out) if text == anchor), default=len(out) - 1)
            out.insert(where + 1, addition)
            t_list.insert(position + 1, section)
        result.changes.append(f"added {' '.join(section.key)}")
    result.text = "".join(out)
    return result


def merge(base: str, mine: str, theirs: str) -> MergeResult:
    """Replay onto ``theirs`` what ``mine`` changed since ``base``.

    Whole sections that only one side changed are taken as that side wrote them (fast:
    no TOML document is built); a section both sides changed is merged field by field.
    """
    if mine in (base, theirs):
        return MergeResult(theirs)
    if theirs == base:
        return MergeResult(mine)
    if mine and base and theirs:
        fast = merge_sections(base, mine, theirs)
        if fast is not None:
            try:
                toml_loads(fast.text)
            except TOMLDecodeError:
                pass
            else:
                return fast
    return merge_fields(base, mine, theirs)


def merge_fields(base: str, mine: str, theirs: str) -> MergeResult:
    """The field-by-field merge over whole documents (tomlkit)."""
    if mine in (base, theirs):
        return MergeResult(theirs)
    if theirs == base:
        return MergeResult(mine)
    b, m, t = flatten(base), flatten(mine), flatten(theirs)
    doc = tomlkit.parse(theirs)
    mine_doc: Any = None  # parsed only if an item of mine must be copied across
    result = MergeResult(theirs)
    handled_items: set[Path] = set()

    def under(path: Path, roots: set[Path]) -> bool:
        return any(path[:len(r)] == r for r in roots)

    for path in sorted(set(b) | set(m), key=len):
        bv, mv, tv = b.get(path, _ABSENT), m.get(path, _ABSENT), t.get(path, _ABSENT)
        if bv == mv or under(path, handled_items):
            continue
        if mv == "<item>" and bv is _ABSENT:
            if tv is _ABSENT:
                if mine_doc is None:
                    mine_doc = tomlkit.parse(mine)
                _copy_item(mine_doc, doc, path)
                result.changes.append(f"added {path[-2]} {path[-1]}")
            handled_items.add(path)
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
        if mv in ("<table>",) or bv in ("<table>",):
            continue
        if tv in (bv, mv):
            new = mv
        elif _is_id_list(bv if bv is not _ABSENT else []) and _is_id_list(mv) \
                and _is_id_list(tv):
            new = _merge_lists(bv, mv, tv)
        else:
            result.conflicts.append(Conflict(path, bv, mv, tv))
            continue
        if new != tv:
            _set(doc, path, new)
            result.changes.append(f"changed {' › '.join(path)}")
    result.text = doc.as_string()
    return result


def resolve(base: str, mine: str, theirs: str,
            choices: dict[Path, Any]) -> MergeResult:
    """Merge, then settle each conflict with the value chosen for its path (``"theirs"``,
    ``"mine"``, or a new value under ``("value", v)``)."""
    first = merge(base, mine, theirs)
    if first.clean:
        return first
    doc = tomlkit.parse(first.text)
    left: list[Conflict] = []
    for conflict in first.conflicts:
        choice = choices.get(conflict.path)
        if choice is None:
            left.append(conflict)
            continue
        if choice == "theirs":
            continue
        if conflict.base == "<item>":
            if choice == "mine":
                _remove_item(doc, conflict.path)
            continue
        value = conflict.mine if choice == "mine" else choice[1]
        if value is _ABSENT:
            _delete(doc, conflict.path)
        else:
            _set(doc, conflict.path, value)
    return MergeResult(doc.as_string(), left, first.changes)


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


def _set(doc: Any, path: Path, value: Any) -> None:
    holder = _find(doc, path[:-1]) if len(path) > 1 else doc
    if holder is None:
        holder = _ensure_tables(doc, path[:-1])
    holder[path[-1]] = value


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
            if len(array) == 1:
                del holder[path[-2]]
            else:
                del array[index]
            return


def _copy_item(source: Any, target: Any, path: Path) -> None:
    entry = _find(source, path)
    holder = _find(target, path[:-2]) if len(path) > 2 else target
    if entry is None or holder is None:
        return
    copy = tomlkit.parse(tomlkit.dumps({"x": [entry.unwrap()]}))["x"][0]
    existing = holder.get(path[-2])
    if existing is None:
        aot = tomlkit.aot()
        aot.append(copy)
        holder.append(path[-2], aot)
    else:
        existing.append(copy)


def describe_changes(before: str, after: str) -> list[str]:
    """Plain sentences for what changed between two texts of a plan ("added a touchpoint to
    'Analysis'"), for notices when another instance saves."""
    try:
        b, a = flatten(before), flatten(after)
    except TOMLDecodeError:
        return ["changed the plan"]
    out: list[str] = []
    titles = {p[1]: v for p, v in a.items() if len(p) == 3 and p[0] == "stage"
              and p[2] == "title"}
    titles.update({p[1]: v for p, v in b.items() if len(p) == 3 and p[0] == "stage"
                   and p[2] == "title" and p[1] not in titles})
    added = [p for p in set(a) - set(b) if a[p] == "<item>"]
    for path in sorted(added, key=len):
        if not any(path[:k] in added for k in range(1, len(path))):
            out.append(_sentence("added", path, titles))
    for path in sorted(set(b) - set(a), key=len):
        if b[path] == "<item>":
            out.append(_sentence("removed", path, titles))
    changed_items = {p[:-1] for p in set(a) & set(b) if a[p] != b[p]}
    for item in sorted(changed_items, key=len):
        if item and not any(s.endswith(f"'{item[-1]}'") for s in out):
            out.append(_sentence("changed", (*item, ""), titles, field=True))
    return _dedupe(out) or ["changed the plan"]


def _sentence(verb: str, path: Path, titles: dict[str, Any], field: bool = False) -> str:
    if field:
        path = path[:-1]
    if len(path) >= 4 and path[0] == "stage" and path[2] == "touchpoint":
        stage = titles.get(path[1], path[1])
        link = {"changed": "of", "added": "to"}.get(verb, "from")
        return f"{verb} a touchpoint {link} '{stage}'"
    if len(path) >= 2 and path[0] == "stage":
        return f"{verb} the stage '{titles.get(path[1], path[1])}'"
    if len(path) >= 2 and path[0] == "person":
        return f"{verb} the person '{path[1]}'"
    if len(path) >= 2 and path[0] == "meeting":
        return f"{verb} the meeting '{path[1]}'"
    if path and path[0] == "log":
        return f"{verb} a decision in the log"
    if path:
        return f"{verb} {path[0].replace('_', ' ')}"
    return f"{verb} the plan"


def _dedupe(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen

