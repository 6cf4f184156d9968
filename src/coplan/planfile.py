"""Reading a plan file: fast parsing (``tomlparse``), then validation in one pass.

Validation collects *every* problem, each with its file, line and column, a message a
non-technical member of the team can follow, and a fix where one exists ("did you mean
'co-design'?").  What each key may hold is declared once, on the model (``model.py``, see
``schema``); the loader here walks those declarations, so it has no list of keys of its
own.  What it adds is what no single key can say: ids that must be unique, references
between items, stages that wait for each other in a loop, and checks across keys (a
closure that ends before it starts).  Nothing here writes files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from coplan import vocab
from coplan.errors import PlanError, Problem, one_of, suggest
from coplan.fileio import read_plan_text as read_text  # the one reader of plan text
from coplan.model import (
    Closure,
    Meeting,
    Person,
    Plan,
    Project,
    Protocol,
    Reflection,
    ReviewSettings,
    Stage,
    Touchpoint,
)
from coplan.schema import (
    BAD,
    ID_PATTERN,
    MISSING,
    Key,
    KeyPath,
    Kind,
    Reader,
    Sub,
    describe_value,
    meeting_id,
    places,
    required_hint,
    schema_of,
    touchpoint_id,
    unknown_key_hint,
)
from coplan.tomlparse import TOMLDecodeError
from coplan.tomlparse import loads as toml_loads
from coplan.tomltext import (
    Locator,
    entries,
    line_of,
    lines_for,
    locate,
    marked_lines,
    opened_at,
    parts,
)
from coplan.tomltext import tally as tally_entries

__all__ = ["ID_PATTERN", "KEYS", "PlanError", "Problem", "describe_value", "load_plan",
           "parse_plan", "plan_from_data", "read_text"]


def _keys() -> dict[str, tuple[str, ...]]:
    """Every key the format knows, table by table: by the table's name in the file, or by
    its header where two tables share a name (``[[baseline.stage]]``, ``[[reflection]]``)."""
    out: dict[str, tuple[str, ...]] = {}
    for place in places(Plan):
        name = place.path[-1] if place.path else ""
        if place.path == ("protocol", "review"):
            name = "protocol_review"
        elif name in out:
            name = place.header
        out[name] = schema_of(place.model).keys
    out["closure"] = out.pop("closures")
    out["after"] = ("stage", "lag")
    return out


# -- the loader ---------------------------------------------------------------------------

class _Walk:
    """What ``_Loader.members`` needs of a model's declarations, worked out once per class:
    each key's place among the steps, the steps looked at even when their key is not
    written (tables, required keys, defaults that depend on the working week), and the
    declared default of every other field."""

    __slots__ = ("always", "anonymous", "defaults", "index", "named", "seen", "shape",
                 "static", "steps")

    def __init__(self, model: type) -> None:
        schema = schema_of(model)
        self.steps = schema.steps
        self.defaults = schema.defaults
        self.shape = schema.shape
        # How an item is named in messages, where that needs no filling in (no braces):
        # before its id is known, and after (None: ``shape.named`` is filled in, or, when
        # it is the same text as before, not made again).
        plain = "{" not in schema.shape.anonymous and "}" not in schema.shape.anonymous
        self.anonymous = schema.shape.anonymous if plain else None
        same = schema.shape.named == schema.shape.anonymous and not any(
            f"{{{field}" in schema.shape.named for field in ("id", "name"))
        self.named = "" if same else None
        self.index = {toml: i for i, (_, toml, _, _) in enumerate(schema.steps)}
        always = []
        self.static: dict[str, Any] = {}
        for i, (field, _, spec, kind) in enumerate(schema.steps):
            if kind is None or spec.required or type(kind).default is not Kind.default:
                always.append(i)
            else:
                self.static[field] = schema.defaults[field]
        self.always = tuple(always)
        # The steps to visit (``visit``) for each set of keys written, in the order written.
        self.seen: dict[tuple[str, ...], tuple[int, ...]] = {}

    def visit(self, data: Mapping[str, Any]) -> tuple[int, ...] | None:
        """The places among the steps of the keys written in ``data`` and of those
        looked at even when not written, in the order declared; None if a key written is
        not one of the model's."""
        keys = tuple(data)
        found = self.seen.get(keys)
        if found is None:
            index = self.index
            places = [index.get(name) for name in keys]
            found = _UNKNOWN_KEY if None in places else \
                tuple(sorted({*self.always, *places}))  # type: ignore[arg-type]
            if len(self.seen) < 256:  # (a plan writes its items in a few ways)
                self.seen[keys] = found
        return None if found is _UNKNOWN_KEY else found


_UNKNOWN_KEY = (-1,)  # (``_Walk.visit``: a key written is not the model's)
_WALKS: dict[type, _Walk] = {}


def _walk_of(model: type) -> _Walk:
    found = _WALKS.get(model)
    if found is None:
        found = _WALKS[model] = _Walk(model)
    return found


_Post = Callable[["_Loader", dict[str, Any], KeyPath, str], bool]


class _Loader:
    """Reads parsed TOML into a ``Plan`` by walking the model's declarations.

    Problems are noted by key path (``Reader``); ``parse_plan`` turns paths into lines.
    With ``lines`` (from ``locate``), every item is given its line as it is made.
    """

    def __init__(self, data: dict[str, Any], lines: Locator | None = None) -> None:
        self.data = data
        self.r = Reader()
        self.lines = lines
        self.whats: dict[KeyPath, str] = {}
        self.context: dict[type, str] = {}  # the id of the stage being read, for its parts
        self.start: date | None = None  # the project's start, once read
        self.kept: ReadAgain | None = None  # items read last time, to use again
        # (reading again: the plan's ids, and whether none has gone since last time)
        self._ids: _Ids | None = None
        self._grew = False
        # Whether the parsed tables are this loader's own (``parse_plan``): each entry of
        # an array of tables is then let go once its item is made, so that the parsed
        # tables and the model are not both whole at once (a plan of 10,000 stages:
        # the tables take 120 MiB).  A caller's tables (``plan_from_data``) are kept.
        self.consume = False

    def run(self) -> Plan:
        r = self.r
        if "project" not in self.data:
            r.fail((), "the plan has no [project] table; every plan needs one with a title "
                   "and a start date", 'add\n[project]\ntitle = "Our project"\nstart = 2027-01-11')
        kwargs = self.members(Plan, self.data, (), "The plan")
        plan = Plan(**kwargs)
        self.check_unique_touchpoints(plan)
        self.check_references(plan)
        self.check_cycles(plan)
        self.check_payments(plan)
        foreign = _not_a_plan(self.data) if r.problems else None
        if foreign is not None:  # one line for the whole file, not one for each key
            r.problems[:] = []
            r.fail((), foreign, "a plan has a [project] table with a title and a start date, "
                   "and its stages as [[stage]] tables ('coplan new' makes one); if this file "
                   "is not meant to be a plan, leave it out (for the pre-commit hook, narrow "
                   "it with files:)")
        return plan

    def check_payments(self, plan: Plan) -> None:
        """A payment for a touchpoint is for a session it has (as a record is)."""
        if not plan.paid:
            return
        sessions = {t.id: len(t.when) for t in plan.touchpoints}
        for i, entry in enumerate(plan.paid):
            has = sessions.get(entry.for_activity)
            if has is not None and entry.session is not None and entry.session > has:
                self.r.fail(("paid", i, "session"), f"a payment is for session "
                            f"{entry.session} of the touchpoint '{entry.for_activity}', but it "
                            f"has {has} session{'s' if has != 1 else ''}",
                            "check the number: 1 is the first date in the touchpoint's 'when'")

    # -- walking the declarations ---------------------------------------------------------
    def unknown(self, data: Mapping[str, Any], path: KeyPath, model: type, what: str) -> None:
        known = schema_of(model).by_toml
        for name in data:
            if name not in known:
                parent = _parent_table(path)
                if parent is not None and name in schema_of(parent[0]).by_toml:
                    # Written after the [[stage.touchpoint]] header, where people add it.
                    self.r.fail((*path, name), f"'{name}' is written under {what}, but it "
                                f"belongs to the {parent[1]} itself",
                                f"move the line with {name} = ... up, above the first "
                                f"[[{parent[2]}]] header: every line after such a header "
                                "belongs to it")
                    continue
                hint = unknown_key_hint(name, model, list(known))
                self.r.fail((*path, name), f"{what} has a key coplan does not know: '{name}'",
                            hint)

    def members(self, model: type, data: Mapping[str, Any], path: KeyPath, what: str,
                done: dict[str, Any] | None = None, *,
                check_required: bool = True) -> dict[str, Any]:
        """The model's fields read from ``data`` (those in ``done`` are read already)."""
        r = self.r
        walk = _WALKS.get(model) or _walk_of(model)
        # Only the keys written, and those that must be looked at when they are not (tables,
        # required keys, defaults that depend on the week), in the order declared; every
        # other field takes its declared default, as reading it as missing would give.
        visit = walk.visit(data)
        if visit is None:
            self.unknown(data, path, model, what)
            index = walk.index
            visit = tuple(sorted({*walk.always,
                                  *(i for i in map(index.get, data) if i is not None)}))
        out: dict[str, Any] = dict(walk.static)
        if done:
            out.update(done)
        steps = walk.steps
        defaults = walk.defaults
        for at in visit:
            field, toml, spec, kind = steps[at]
            if done and field in done:
                continue
            raw = data.get(toml, MISSING)
            if kind is None:  # a table, or an array of tables
                assert isinstance(spec, Sub)
                # (an array of tables not written is empty, as ``sub`` would say)
                out[field] = () if raw is MISSING and spec.array else \
                    self.sub(spec, raw, (*path, toml), what)
                continue
            if raw is MISSING:
                if spec.required and check_required:
                    r.fail(path, f"{what} needs '{toml}'", required_hint(toml))
                out[field] = kind.default(r, defaults[field])
                continue
            value = kind.read(r, raw, (*path, toml), toml, what)
            out[field] = kind.default(r, defaults[field]) if value is BAD else value
        return out

    def located(self, path: KeyPath) -> dict[str, Any]:
        if self.lines is None:
            return {}
        return {"line": self.lines.line(path), "key_lines": self.lines.keys(path)}

    def item(self, model: type, data: Mapping[str, Any], path: KeyPath, number: int,
             parent: str, *, check_required: bool = True) -> Any:
        """One item of ``model`` (its name in messages worked out from its shape)."""
        walk = _WALKS.get(model) or _walk_of(model)
        shape = walk.shape
        what = walk.anonymous or shape.anonymous.format(n=number, parent=parent, id="",
                                                        name="")
        done: dict[str, Any] = {}
        if shape.named:
            found = self.members_named(model, data, path, what, done)
            self.context[model] = found
            if found and walk.named is None:  # (else the same text as before)
                what = shape.named.format(n=number, parent=parent, id=found, name=found)
        self.whats[path] = what
        kwargs = self.members(model, data, path, what, done, check_required=check_required)
        post = _POST.get(model)
        if post is not None and not post(self, kwargs, path, what):
            return None
        lines = self.lines
        if lines is not None:
            kwargs["line"] = lines.line(path)
            kwargs["key_lines"] = lines.keys(path)
        return model(**kwargs)

    def item_again(self, kept: ReadAgain, model: type, data: dict[str, Any], path: KeyPath,
                   number: int, parent: str) -> Any:
        """``item`` for an entry of a top-level array of tables (a ``[[stage]]``), made
        again only if it is not the very table read last time (the same ``dict``, from
        ``session.ChunkedToml``, which keeps the tables of text that did not change), with
        the same project start and working week (an item does not depend on its place in
        the array: only the paths noted for messages do, and no message of a plan read
        again is shown: ``plan_from_data`` gives None, and the text is read afresh).
        An entry that had problems is always read again, so that they are noted."""
        key = (id(data), path[0], self.start, self.r.per_week)
        found = kept.before.get(key)
        if found is not None and found[0] is data and key not in kept.now:
            # (What the entry's tables are called in messages is not noted again: read
            # again, a plan's problems only say that the text is read afresh, which
            # names each in full; see ``check_references``.)
            self.context.update(found[3])
            kept.now[key] = found
            return found[1]
        whats, self.whats = self.whats, {}
        problems = len(self.r.problems)
        try:
            made = self.item(model, data, path, number, parent)
        finally:
            mine, self.whats = self.whats, whats
            whats.update(mine)
        if len(self.r.problems) == problems and key not in kept.now:
            kept.now[key] = (data, made, mine, dict(self.context), path)
        return made

    def members_named(self, model: type, data: Mapping[str, Any], path: KeyPath, what: str,
                      done: dict[str, Any]) -> str:
        """Read the keys that name an item (its id, a meeting's title) before the rest."""
        schema = schema_of(model)
        name = ""
        for toml in schema.shape.name_from:
            member = schema.by_toml[toml]
            spec = member.spec
            assert isinstance(spec, Key)
            raw = data.get(toml, MISSING)
            if raw is MISSING:
                if spec.required:
                    self.r.fail(path, f"{what} needs '{toml}'", required_hint(toml))
                done[member.field] = member.default
                continue
            value = spec.kind.read(self.r, raw, (*path, toml), toml, what)
            done[member.field] = member.default if value is BAD else value
            name = name or (value if isinstance(value, str) else "")
        return name

    def sub(self, sub: Sub, raw: Any, path: KeyPath, what: str) -> Any:
        """A table, or an array of tables, inside the item at ``path[:-1]``."""
        r = self.r
        name = path[-1]
        if not sub.array:
            if raw is MISSING:
                data: Mapping[str, Any] = {}
            elif isinstance(raw, dict):
                data = raw
            else:
                r.fail(path, f"{name} should be a table, not {describe_value(raw)}",
                       f"write [{_header(path)}] on a line of its own, with its keys on the "
                       "lines below it")
                data = {}
            table_what = schema_of(sub.model).shape.anonymous
            self.whats[path] = table_what
            kwargs = self.members(sub.model, data, path, table_what,
                                  check_required=raw is not MISSING)
            post = _POST.get(sub.model)
            if post is not None:
                post(self, kwargs, path, table_what)
            return sub.model(**kwargs, **self.located(path))
        if raw is MISSING:
            return ()
        if isinstance(raw, dict) and not sub.inline:
            raw = [raw]
        example = _EXAMPLES.get(sub.model, "{ ... }")
        if not isinstance(raw, (list, _Pieces)):
            if sub.inline:
                r.fail(path, f"'{name}' should be a list, not {describe_value(raw)}",
                       f"write it as a list such as {name} = [{example}]")
            else:
                r.fail(path, f"'{name}' should be a list of tables, not {describe_value(raw)}",
                       f"write each as a [[{_header(path)}]] header on a line of its own, "
                       "with its keys on the lines below it")
            return ()
        out = []
        kept = self.kept if len(path) == 1 and self.lines is None else None
        consume = self.consume and kept is None
        for i, entry in enumerate(raw):
            ipath = (*path, i)
            if kept is not None and isinstance(entry, dict):
                made = self.item_again(kept, sub.model, entry, ipath, i + 1, what)
                if made is not None:
                    out.append(made)
                continue
            if not isinstance(entry, dict):
                if sub.inline:
                    r.fail(ipath, f"each entry of '{name}' should be a table, not "
                           f"{describe_value(entry)}", f"write each like {example}")
                else:
                    r.fail(ipath, f"each '{name}' entry should be a table, not "
                           f"{describe_value(entry)}", f"write each as a [[{_header(path)}]] "
                           "header with its keys on the lines below it")
                continue
            made = self.item(sub.model, entry, ipath, i + 1, what)
            if made is not None:
                out.append(made)
            if consume and type(raw) is list:
                raw[i] = None
        self.duplicates(sub.model, out, path, what)
        return tuple(out)

    # -- across items ---------------------------------------------------------------------
    def duplicates(self, model: type, items: list[Any], path: KeyPath, parent: str) -> None:
        """Items of one array must differ in their identity (``id``, a glossary ``term``).
        Touchpoints are checked across the whole plan instead."""
        shape = schema_of(model).shape
        if shape.identity is None or model is Touchpoint:
            return
        seen: set[str] = set()
        plural = (shape.plural or "entries") + shape.within.format(parent=parent)
        for i, item in enumerate(items):
            value = getattr(item, shape.identity, "")
            if not value:
                continue
            if value in seen:
                hint = ('give one of them its own id = "..."' if model is Meeting
                        else f"rename one of them, such as '{value}-2'")
                self.r.fail((*path, i, shape.identity), f"two {plural} share the "
                            f"{shape.identity} '{value}'; {shape.identity}s must be unique", hint)
            seen.add(value)

    def check_unique_touchpoints(self, plan: Plan) -> None:
        seen: dict[str, str] = {}
        for si, stage in enumerate(plan.stages):
            for tp in stage.touchpoints:
                if tp.id in seen:
                    self.r.fail(("stage", si, "touchpoint", tp.index, "id"),
                                f"two touchpoints share the id '{tp.id}' (in stage "
                                f"'{seen[tp.id]}' and stage '{stage.id}'); ids must be unique",
                                f"rename one of them, such as '{tp.id}-2'")
                else:
                    seen[tp.id] = stage.id

    def check_references(self, plan: Plan) -> None:
        """Every id a key names (people, stages, touchpoints, decisions) is in the plan."""
        # Methods, not functions inside this one: a nested function that calls itself is
        # a reference cycle, which would keep the loader (and the whole parsed file) alive
        # until Python's cycle collector next runs, well into the review of a large plan.
        ids = _Ids(plan)
        kept = self.kept
        if kept is not None:
            self._references_again(plan, ids, kept)
            return
        # Most plans name only ids that are there: a walk that only looks them up says
        # so without gathering where each is written and how to say it, which only a
        # problem needs.
        if _references_fine(plan, None, ids):
            return
        found: list[tuple[Any, ...]] = []  # what reference() checks, in the order found
        self._references_in(plan, (), None, found)
        folded = self._refused_kinds(ids)
        if folded:
            found = self._fold_missing(found, ids, folded)
        for kind, ref, where, label, item, stage in found:
            self.reference(kind, ref, where, label, item, stage, ids)

    @staticmethod
    def _refused_kinds(ids: _Ids) -> dict[str, str]:
        """The kinds of entry one of which has had its id refused (it is left with none),
        and what that entry is: the places that name it by the id it was meant to have
        would each be a problem of their own, one refusal giving dozens of lines."""
        kinds = {"person": ("a person", ids.people), "stage": ("a stage", ids.stages),
                 "touchpoint": ("a touchpoint", ids.touchpoints)}
        out = {kind: what for kind, (what, known) in kinds.items() if "" in known}
        if "" in ids.touchpoints or "" in ids.meetings:
            out["activity"] = "a touchpoint or meeting"
        return out

    def _fold_missing(self, found: list[tuple[Any, ...]], ids: _Ids,
                      folded: dict[str, str]) -> list[tuple[Any, ...]]:
        """``found`` with the places that name one missing id of a kind whose entry had its
        id refused said once, at the first of them, with how many there are; the rest are
        checked as before."""
        known = {"person": ids.people, "stage": ids.stages, "touchpoint": ids.touchpoints,
                 "activity": {**ids.touchpoints, **ids.meetings}}
        missing: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
        rest = []
        for entry in found:
            kind, ref = entry[0], entry[1]
            if kind in folded and ref and ref not in known[kind] and not (
                    kind == "stage" and isinstance(entry[4], Stage) and ref == entry[4].id):
                missing.setdefault((kind, ref), []).append(entry)
            else:
                rest.append(entry)
        for (kind, ref), naming in missing.items():
            first = naming[0]
            more = len(naming) - 1
            others = f" and {more} other place{'s' if more != 1 else ''}" if more else ""
            self.r.fail(first[2], f"{first[3]}{others} name '{ref}', which is not the id of "
                        f"{folded[kind]} in this plan: perhaps {folded[kind]} whose id is "
                        "refused above was meant to have it",
                        f"give it id = \"{ref}\", or change '{ref}' where it is named")
        return rest

    def _references_again(self, plan: Plan, ids: _Ids, kept: ReadAgain) -> None:
        """``check_references`` when reading again after an edit (``plan_from_data`` with
        ``kept``), where a problem only says that the plan must be read afresh
        (``parse_plan`` then names each, at its line): an entry of a top-level array that
        is the very item read last time names what it named then, and if all of it was
        there then and no id of any kind has gone since (ids only added, as by a new stage
        or person), all of it is there now; only the decisions it names outside a stage
        (an impact entry's, found through the stage or touchpoint it names) are looked up
        again.  Every other entry, and the tables outside the arrays, are checked in full.
        """
        last, kept.ids = kept.ids, None  # (until this check is through)
        self._ids = ids
        self._grew = last is not None and all(
            a.keys() <= b.keys() for a, b in ((last.people, ids.people),
                                              (last.stages, ids.stages),
                                              (last.meetings, ids.meetings),
                                              (last.touchpoints, ids.touchpoints)))
        found: list[tuple[Any, ...]] = []  # outside the arrays
        self._references_in(plan, (), None, found)
        kept.refs_before, kept.refs_now = kept.refs_now, {}
        for kind, ref, where, label, item, stage in found:
            self.reference(kind, ref, where, label, item, stage, ids)
        kept.ids = ids

    def _references_in(self, item: Any, path: KeyPath, stage: Stage | None,
                       out: list[tuple[Any, ...]]) -> None:
        """Gather the ids ``item`` names (and every item inside it) into ``out``."""
        kept = self.kept
        if kept is not None and len(path) == 2 and isinstance(path[1], int):
            # An entry of a top-level array, read again (``_references_again``): checked
            # here, with what it named last time if it is the very item read then.
            key = id(item)
            found = kept.refs_before.get(key)
            if found is None or found[0] is not item or key in kept.refs_now:
                names: list[tuple[Any, ...]] = []
                self._names_in(item, path, stage, names)
                loose = [n for n in names if n[0] == "decision" and n[5] is None]
                check, fine = names, True
            else:
                _, names, loose, fine = found
                check = loose if fine and self._grew else names
            problems = len(self.r.problems)
            ids = self._ids
            assert ids is not None
            for kind, ref, where, label, named, within in check:
                self.reference(kind, ref, where, label, named, within, ids)
            kept.refs_now[key] = (item, names, loose, fine and len(self.r.problems) == problems)
            return
        self._names_in(item, path, stage, out)

    def _names_in(self, item: Any, path: KeyPath, stage: Stage | None,
                  out: list[tuple[Any, ...]]) -> None:
        what = self.whats.get(path, "")
        # In a single table, the key says where: "[governance] lead names 'x'".
        named = what.startswith("[")
        for field, toml, how, ref_kind, kind in _linked_of(type(item)):
            value = getattr(item, field)
            if how is _TABLES:
                if value:
                    here = (*path, toml)
                    for index, child in enumerate(value):
                        self._references_in(child, (*here, _index(child, index)),
                                            child if isinstance(child, Stage) else stage, out)
                continue
            if how is _TABLE:
                self._references_in(value, (*path, toml), stage, out)
                continue
            if not value or ref_kind is None or kind is None:
                continue
            label = f"{what} {toml}" if named else what
            single = isinstance(value, str)
            for i, ref in enumerate(kind.ids(value)):
                where: KeyPath = (*path, toml) if single else (*path, toml, i)
                out.append((ref_kind, ref, where, label, item, stage))

    def reference(self, kind: str, ref: str, where: KeyPath, what: str, item: Any,
                  stage: Stage | None, ids: _Ids) -> None:
        r = self.r
        if kind == "person":
            if ref and ref not in ids.people:
                hint = suggest(ref, ids.people) or (
                    "add them as a [[person]]" if ids.people else
                    "add a [[person]] with this id")
                r.fail(where, f"{what} names '{ref}', who is not a person in this plan", hint)
        elif kind == "stage" and isinstance(item, Stage):
            if ref not in ids.stages:
                r.fail(where, f"stage '{item.id}' waits for '{ref}', which is not a stage in "
                       "this plan", suggest(ref, ids.stages) or
                       f"stages in this plan: {one_of([i for i in ids.stages if i])}")
            elif ref == item.id:
                r.fail(where, f"stage '{item.id}' waits for itself",
                       "remove it from its own 'after' list")
        elif kind == "stage":
            if ref not in ids.stages:
                r.fail(where, f"{what} is about stage '{ref}', which is not in this plan",
                       suggest(ref, ids.stages) or _choose_from("stages", ids.stages))
        elif kind == "touchpoint":
            if ref not in ids.touchpoints:
                r.fail(where, f"{what} names the touchpoint '{ref}', which is not in this plan",
                       suggest(ref, ids.touchpoints) or
                       _choose_from("touchpoints", ids.touchpoints))
        elif kind == "activity":
            if ref not in ids.touchpoints and ref not in ids.meetings:
                r.fail(where, f"{what} is for '{ref}', which is neither a touchpoint nor a "
                       "meeting in this plan", suggest(ref, [*ids.touchpoints, *ids.meetings])
                       or _choose_from("touchpoints and meetings",
                                       [*ids.touchpoints, *ids.meetings]))
        elif kind == "decision":
            self.decision(ref, where, what, item, stage, ids)

    def decision(self, ref: str, where: KeyPath, what: str, item: Any, stage: Stage | None,
                 ids: _Ids) -> None:
        """A decision is named within its stage: the touchpoint's own, or the stage (or the
        touchpoint) an impact entry names."""
        owner = stage or ids.owner(item)
        if owner is None:
            self.r.fail(where, f"{what} names the decision '{ref}' without saying which stage "
                        "takes it", "add the stage (stage = \"...\") or the touchpoint it came "
                        "from")
            return
        decisions = [d.id for d in owner.decisions]
        if ref in decisions:
            return
        hint = suggest(ref, decisions) or "add it as a [[stage.decision]] with this id"
        if stage is not None:
            self.r.fail(where, f"{what} influences '{ref}', which is not a decision of this "
                        "stage", hint)
        else:
            self.r.fail(where, f"{what} names the decision '{ref}', which is not a decision of "
                        f"stage '{owner.id}'", hint)

    def check_cycles(self, plan: Plan) -> None:
        """Name every loop of stages waiting for each other, once each."""
        from coplan.graph import describe_loop, find_loops, plan_order

        preds, order = plan_order(plan)
        if order is not None:
            return
        index = {s.id: i for i, s in enumerate(plan.stages)}
        for loop in find_loops(preds, known_loop=True):
            last, first = loop[-2], loop[-1]
            stage = plan.stage(first)
            dep_index = next((i for i, d in enumerate(stage.after) if d.stage == last), 0) \
                if stage else 0
            self.r.fail(("stage", index[first], "after", dep_index),
                        "these stages wait for each other in a loop, so none can start: "
                        f"{describe_loop(loop)}",
                        f"remove '{last}' from the 'after' list of '{first}', or another link "
                        "in the loop")


def _references_fine(item: Any, stage: Stage | None, ids: _Ids) -> bool:
    """Whether every id ``item`` (and every item inside it) names is one ``reference``
    takes without a word: the same walk as ``_Loader._names_in``, that only looks."""
    for field, _, how, ref_kind, kind in _linked_of(type(item)):
        value = getattr(item, field)
        if how is _TABLES:
            for child in value:
                if not _references_fine(child, child if isinstance(child, Stage) else stage,
                                        ids):
                    return False
        elif how is _TABLE:
            if not _references_fine(value, stage, ids):
                return False
        elif value and ref_kind is not None and kind is not None:
            for ref in kind.ids(value):
                if _unknown(ref_kind, ref, item, stage, ids):
                    return False
    return True


def _unknown(kind: str, ref: str, item: Any, stage: Stage | None, ids: _Ids) -> bool:
    """Whether ``_Loader.reference`` has something to say about ``ref``, named by ``item``
    (in ``stage``) as an id of a ``kind`` of item."""
    if kind == "person":
        return bool(ref) and ref not in ids.people
    if kind == "stage":
        return ref not in ids.stages or (isinstance(item, Stage) and ref == item.id)
    if kind == "touchpoint":
        return ref not in ids.touchpoints
    if kind == "activity":
        return ref not in ids.touchpoints and ref not in ids.meetings
    if kind == "decision":
        owner = stage or ids.owner(item)
        return owner is None or all(d.id != ref for d in owner.decisions)
    return False


class _Ids:
    """The ids in a plan, each kind as a dict (ordered, for suggestions; constant-time
    lookups, so checking a large plan's references stays linear)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.people = dict.fromkeys(p.id for p in plan.people)
        self.stages = dict.fromkeys(s.id for s in plan.stages)
        self.meetings = dict.fromkeys(m.id for m in plan.meetings)
        self.stage_of = {t.id: s for s in plan.stages for t in s.touchpoints}
        self.touchpoints = dict.fromkeys(self.stage_of)

    def owner(self, item: Any) -> Stage | None:
        """The stage an item outside the stages (an impact entry) is about: the one it
        names, or the stage of the touchpoint it names."""
        named = getattr(item, "stage", "")
        if named:
            return self.plan.stage(named)
        return self.stage_of.get(getattr(item, "touchpoint", ""))


_TABLE, _TABLES, _IDS = "table", "tables", "ids"
_LINKED: dict[type, tuple[tuple[str, str, str, str | None, Kind | None], ...]] = {}


def _linked_of(model: type) -> tuple[tuple[str, str, str, str | None, Kind | None], ...]:
    """The members of ``model`` that name ids or hold tables (``Schema.linked``), worked
    out once per class: (field, key, a table or an array of tables or ids, the kind of
    item the ids name, the kind of value)."""
    found = _LINKED.get(model)
    if found is None:
        steps: list[tuple[str, str, str, str | None, Kind | None]] = []
        for member in schema_of(model).linked:
            spec = member.spec
            if isinstance(spec, Sub):
                steps.append((member.field, member.toml, _TABLES if spec.array else _TABLE,
                              None, None))
            else:
                steps.append((member.field, member.toml, _IDS, spec.ref, spec.kind))
        found = _LINKED[model] = tuple(steps)
    return found


def _header(path: KeyPath) -> str:
    """The header of the table at ``path``, as written in the file: ``stage.touchpoint``."""
    return ".".join(str(p) for p in path if isinstance(p, str))


def _index(item: Any, position: int) -> int:
    """The index an item was read from (a touchpoint keeps its own; others their place)."""
    return item.index if isinstance(item, Touchpoint) else position


_EXAMPLES: dict[type, str] = {
    Closure: '{ from = 2027-12-24, to = 2028-01-02, why = "office closed" }',
}


# -- checks across the keys of one item ---------------------------------------------------

def _closure(loader: _Loader, kw: dict[str, Any], path: KeyPath, what: str) -> bool:
    first, last = kw["start"], kw["end"]
    if first == date.min:
        return False
    if last == date.min:
        kw["end"] = last = first
    if last < first:
        loader.r.fail(path, f"a closure ends ({last}) before it starts ({first})",
                      "swap 'from' and 'to'")
        return False
    return True


def _reflection(loader: _Loader, kw: dict[str, Any], path: KeyPath, what: str) -> bool:
    if kw["every_days"] <= 0:
        loader.r.fail((*path, "every"), "'every' must be at least one working day",
                      'write every = "6w"')
        kw["every_days"] = 6 * loader.r.per_week
    return True


def _person(loader: _Loader, kw: dict[str, Any], path: KeyPath, what: str) -> bool:
    kw["name"] = kw["name"] or kw["id"]
    return True


def _stage(loader: _Loader, kw: dict[str, Any], path: KeyPath, what: str) -> bool:
    kw["title"] = kw["title"] or kw["id"]
    first, last = kw["not_before"], kw["deadline"]
    if first and last and first > last:
        loader.r.fail((*path, "not_before"), f"{what} cannot start before {first} but is "
                      f"due by {last}: it can never meet its deadline",
                      "move not_before earlier or deadline later")
    began, ended = kw["started"], kw["finished"]
    if began and ended and ended < began:
        loader.r.fail((*path, "finished"), f"{what} is recorded as finished on {ended}, before "
                      f"it started ({began})", "check both dates: 'started' is its first day "
                      "and 'finished' its last")
    if loader.lines is not None and kw["after"]:
        # A link is shown at its stage's line: finding the line of each entry of 'after'
        # would mean reading every stage's text, for lines nothing reports.
        at = loader.lines.line(path)
        kw["after"] = tuple(replace(d, line=at) for d in kw["after"])
    return True


def _touchpoint(loader: _Loader, kw: dict[str, Any], path: KeyPath, what: str) -> bool:
    index = int(path[-1])
    sid = loader.context.get(Stage, "")
    kw["stage"] = sid
    kw["index"] = index
    kw["id"] = kw["id"] or touchpoint_id(sid, index + 1)
    kw["title"] = kw["title"] or vocab.FORMAT.label(kw["format"])
    for when in kw["when"]:
        if when.on is not None and loader.start and when.on < loader.start:
            loader.r.fail((*path, "when"), f"{what} has a session on {when.on}, before the "
                          f"project starts ({loader.start})",
                          "move the session, or the project's start date")
    sessions = len(kw["when"])
    recorded: set[int] = set()
    for i, record in enumerate(kw["records"]):
        where = (*path, "record", i)
        if record.session > sessions:
            loader.r.fail((*where, "session"), f"a record in {what} is for session "
                          f"{record.session}, but it has {sessions} "
                          f"session{'s' if sessions != 1 else ''}",
                          "check the number: 1 is the first date in 'when'")
        elif record.session in recorded:
            loader.r.fail((*where, "session"), f"{what} has two records for session "
                          f"{record.session}", "keep everything about one session in one record")
        recorded.add(record.session)
        # The day it was held, where the file says it (else the schedule gives it, and
        # the review checks: CP-DEL-016).
        planned = kw["when"][record.session - 1] if record.session <= sessions else None
        held = record.on or (planned.on if planned is not None and planned.anchor == "date"
                             else None)
        sent = record.feedback_sent
        if record.status == "held" and held and sent and sent < held:
            loader.r.fail((*where, "feedback_sent"), f"a record in {what} says feedback on "
                          f"session {record.session} was sent on {sent}, before the session "
                          f"was held ({held})", "check both dates: feedback goes after the "
                          "session")
        if record.status == "moved" and record.on is None:
            loader.r.fail(where, f"a record in {what} says session {record.session} moved, but "
                          "not to when", "add on = the new date")
    return True


def _meeting(loader: _Loader, kw: dict[str, Any], path: KeyPath, what: str) -> bool:
    kw["id"] = kw["id"] or meeting_id(kw["title"])
    kw["title"] = kw["title"] or kw["id"]
    first, until = kw["start"], kw["until"]
    if first and until and until < first:
        loader.r.fail((*path, "until"), f"{what} ends ({until}) before it starts ({first})",
                      "check the two dates: 'until' is the last day it meets")
    return True


def _protocol(loader: _Loader, kw: dict[str, Any], path: KeyPath, what: str) -> bool:
    kw["status"] = kw["status"] or "draft"
    return True


def _project(loader: _Loader, kw: dict[str, Any], path: KeyPath, what: str) -> bool:
    kw["working_days"] = kw["working_days"] or (0, 1, 2, 3, 4)
    loader.start = kw["start"]
    return True


def _review(loader: _Loader, kw: dict[str, Any], path: KeyPath, what: str) -> bool:
    if loader.lines is not None and kw["skip"]:
        written = loader.lines.keys((*path, "skip"))
        kw["skip_lines"] = {rule_id.strip().upper(): line for rule_id, line in written.items()}
    return True


_POST: dict[type, _Post] = {
    ReviewSettings: _review, Closure: _closure, Reflection: _reflection, Person: _person,
    Stage: _stage, Touchpoint: _touchpoint, Meeting: _meeting, Protocol: _protocol,
    Project: _project,
}

KEYS: dict[str, tuple[str, ...]] = _keys()


# -- entry points ---------------------------------------------------------------------------

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_MESSAGES = [
    ("Invalid date or datetime", "this date does not exist or is not written as YYYY-MM-DD",
     "write dates as 2027-01-11 and check the day exists"),
    ("Expected '=' after a key", "a line here has a key with no '=' after it",
     'write each setting as key = value, such as title = "My project"'),
    ("Cannot overwrite a value", "a key is set twice",
     "remove one of the two lines that set it"),
    ("Cannot declare", "a table is declared twice", "merge the two tables into one"),
    ("Unclosed array", "a list opened with [ is not closed", "add the missing ]"),
    ("Unclosed inline table", "a table opened with { is not closed", "add the missing }"),
    ("Unterminated string", "some text in quotes has no closing quote",
     "add the missing quote mark"),
    ("Illegal character '\\n'", "some text in quotes has no closing quote",
     "add the missing quote mark at the end of the text"),
    ("Expected '\"'", "some text in quotes has no closing quote",
     "add the missing quote mark"),
    ("Expected \"'\"", "some text in quotes has no closing quote",
     "add the missing quote mark"),
    ("Illegal character", "this line has a character TOML does not allow here",
     "text must be in quotes; check for stray characters"),
    ("Invalid value", "this value is not something TOML understands",
     'put text in quotes, write dates as 2027-01-11, and true/false without quotes'),
    ("Invalid initial character for a key part", "this line does not start with a key",
     "each line should be key = value, a [table] header, or a # comment"),
    ("Expected newline or end of document after a statement",
     "there is something extra after the value on this line",
     "put one setting on each line, and text with spaces in quotes"),
    ("Expected ']' at the end of a table declaration", "a [table] header is not closed",
     "add the missing ]"),
    ("Expected ']]' at the end of an array declaration", "a [[table]] header is not closed",
     "add the missing ]]"),
]
_STATEMENT = re.compile(r"""^\s*(\[\[?\s*[A-Za-z0-9_.\-"' ]+\]\]?|[A-Za-z0-9_.\-"' ]+=)""")
# Errors found where a list or text *ends* are reported where it *opened*.
_OPENED = ("Unclosed array", "Unterminated string", "Illegal character '\\n'", "Expected '\"'",
           "Expected \"'\"")


_CLASH_START = re.compile(r"^<{7}(?: (.*))?$")
_CLASH_END = re.compile(r"^>{7}(?: (.*))?$")


def _merge_clashes(text: str, name: str) -> list[Problem]:
    """Each place a merge (git's, or ``coplan merge``) left two versions to choose from,
    between ``<<<<<<<``, ``=======`` and ``>>>>>>>`` lines."""
    problems: list[Problem] = []
    start: tuple[int, str] | None = None
    for number, row in enumerate(text.splitlines(), start=1):
        if match := _CLASH_START.match(row):
            start = (number, (match.group(1) or "").strip())
        elif start is not None and _CLASH_END.match(row):
            label = start[1].removeprefix("ours:").strip()
            about = f" ({label})" if label and label not in ("HEAD", "ours") else ""
            problems.append(Problem(
                name, start[0], 1,
                f"a merge left two versions here{about}, lines {start[0]} to {number}: ours "
                "above the ======= line, theirs below it",
                "keep the version you want, delete the other and the three marker lines "
                "(<<<<<<<, =======, >>>>>>>), then save"))
            start = None
    if start is not None:
        problems.append(Problem(name, start[0], 1, "a merge left a <<<<<<< line here with no "
                                ">>>>>>> line after it", "keep the version you want and "
                                "delete the marker lines"))
    return problems


_DATE_LIKE = re.compile(r"(?<![\w.\-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w\-:])")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _date_trouble(row: str, column: int) -> tuple[int, str, str] | None:
    """What is wrong with a date TOML could not read on ``row``, said about the date itself
    ("there is no month 13"), with its column; None when no written date is the trouble."""
    import calendar

    candidates = []
    for match in _DATE_LIKE.finditer(row):
        before = row[:match.start()]
        quoted = (before.count('"') - before.count('\\"')) % 2 == 1 or before.count("'") % 2 == 1
        if "#" in before and not quoted:
            break  # a comment: anything after it is not read
        if not quoted:
            candidates.append(match)
    if not candidates:
        return None
    match = min(candidates, key=lambda m: abs(m.start() + 1 - column))
    text = match.group(0)
    year, month, day = (int(g) for g in match.groups())
    at = match.start() + 1
    if not 1 <= month <= 12:
        swapped = (f"; if you meant day {month} of month {day}, write {year}-{day:02d}-"
                   f"{month:02d} (year, then month, then day)" if 1 <= day <= 12 and
                   1 <= month <= calendar.monthrange(year, day)[1] else "")
        return (at, f"'{text}' is not a date: there is no month {month} (months go from 01 "
                f"to 12)", f"write the date as YYYY-MM-DD{swapped}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return (at, f"'{text}' is not a date: {_MONTHS[month - 1]} {year} has {last} days",
                "check the day, and write the date as YYYY-MM-DD")
    if len(match.group(2)) == 1 or len(match.group(3)) == 1:
        return (at, f"'{text}' is not written as a date: the month and the day each need two "
                "digits", f"write it as {year}-{month:02d}-{day:02d}")
    return None


_CURLY = "“”‘’„‟"


def _curly_quotes(row: str) -> tuple[int, str] | None:
    """Where a value on ``row`` opens or closes with a curly quote (text pasted from a word
    processor), and the line as it should be; None when its quotes are straight."""
    from coplan.tomltext import key_end

    eq = key_end(row)
    if eq < 0:
        return None
    value = row[eq + 1:].strip()
    opened, closed = value[:1], value[-1:]
    if opened in _CURLY:
        at = row.index(opened, eq + 1) + 1
    elif opened in "\"'" and closed in _CURLY and opened not in value[1:]:
        at = row.rindex(closed) + 1
    else:
        return None
    last = max(value.rfind(c) for c in _CURLY)  # (a comment may follow the text)
    inner = value[1:last] if last > 0 else value[1:]
    return (at, f'use straight quotes: {row[:eq].strip()} = "{inner}"')


def _twice(rows: list[str], line: int) -> tuple[str, str] | None:
    """What is written twice on ``line`` (a key, or a table header), where the other is, and
    a fix that loses nothing: a ``[stage]`` written among ``[[stage]]`` headers is a slip
    of one bracket, and merging it into the stage above would lose a stage."""
    from coplan.tomltext import header, key_end, split_key

    row = rows[line - 1]
    found = header(row)
    if found is not None:
        names, array = found
        shown = ".".join(names)
        others = [(n, h[1]) for n, h in ((n, header(r)) for n, r in enumerate(rows, 1))
                  if h is not None and h[0] == names and n != line]
        lists = [n for n, is_list in others if is_list]
        tables = [n for n, is_list in others if not is_list]
        if not array and lists:
            return (f"[{shown}] has one pair of brackets, but the other {shown} tables are "
                    f"written [[{shown}]] (as at line {lists[0]})",
                    f"write [[{shown}]] with two brackets here, as for the others")
        if array and tables:
            return (f"[[{shown}]] makes a list of {shown} tables, but line {tables[0]} "
                    f"writes [{shown}] with one pair of brackets",
                    f"write [[{shown}]] with two brackets at line {tables[0]} too")
        if tables:
            return (f"the table [{shown}] is declared twice: here and at line {tables[0]}",
                    f"move the lines under this [{shown}] up to the one at line {tables[0]} "
                    "and remove this header")
        return None
    eq = key_end(row)
    if eq < 0:
        return None
    key = split_key(row[:eq])
    start = line - 1  # the first line of the table this key is in
    while start > 0 and header(rows[start - 1]) is None:
        start -= 1
    for number in range(start + 1, line):
        other = rows[number - 1]
        at = key_end(other)
        if at >= 0 and header(other) is None and split_key(other[:at]) == key:
            shown = ".".join(key)
            return (f"'{shown}' is set twice in this table: here and at line {number}",
                    f"keep the line with the value you want ({number} or {line}) and "
                    "remove the other")
    return None


def _toml_problem(exc: TOMLDecodeError, name: str, text: str) -> Problem:
    message = str(exc)
    match = _TOML_POSITION.search(message)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    base = _TOML_POSITION.sub("", message).replace("(at end of document)", "").strip()
    rows = text.splitlines()
    if base.startswith(_OPENED):
        opened = opened_at(text, line + 1 if line else None)
        if opened:
            line, column = opened
    elif 0 < line <= len(rows) and _STATEMENT.match(rows[line - 1]):
        # A table header or key = value line inside a list: the list above is not closed.
        opened = opened_at(text, line)
        if opened:
            line, column = opened
            base = "Unclosed array"
    if base.startswith(("Cannot overwrite", "Cannot declare")) and 0 < line <= len(rows):
        row = rows[line - 1]
        column = len(row) - len(row.lstrip()) + 1
        told = _twice(rows, line)
        if told is not None:
            return Problem(name, line, column, f"coplan could not read this line: {told[0]}",
                           told[1])
    if 0 < line <= len(rows) and base.startswith(("Invalid value", "Unterminated string",
                                                  "Illegal character")):
        curly = _curly_quotes(rows[line - 1])
        if curly is not None:
            return Problem(name, line, curly[0], "coplan could not read this line: the text "
                           "is in curly quotes (“ ” or ‘ ’, as a word processor writes them), "
                           "which TOML does not read as quotes", curly[1])
    if base.startswith(("Invalid date", "Expected newline", "Invalid value")) and \
            0 < line <= len(rows):
        found = _date_trouble(rows[line - 1], column)
        if found:
            at, plain, hint = found
            return Problem(name, line, at, plain, hint)
    for prefix, plain, hint in _TOML_MESSAGES:
        if base.startswith(prefix):
            return Problem(name, line, column, f"coplan could not read this line: {plain}", hint)
    return Problem(name, line, column, f"coplan could not read this line ({base})",
                   "check the line against the examples in docs/plan-format.md")


def _choose_from(what: str, ids: Iterable[str]) -> str:
    """The fix for a name that is nothing in the plan: the names that are."""
    named = [i for i in ids if i]
    return f"{what} in this plan: {one_of(named)}" if named else f"there are no {what} yet"


def _not_a_plan(data: Mapping[str, Any]) -> str | None:
    """Why ``data`` is some other program's TOML file (``pyproject.toml``), not a plan
    with mistakes: a line saying so serves better than a problem for each of its keys.
    None for anything that may be a plan: it has a table only a plan has, a [project]
    with a title or a start, or no key coplan does not know."""
    known = KEYS.get("", ()) or tuple(schema_of(Plan).by_toml)
    others = [key for key in data if key not in known]
    if not others:
        return None
    project = data.get("project")
    if isinstance(project, Mapping) and ("title" in project or "start" in project):
        return None
    if any(key in data for key in known if key != "project"):
        return None
    shown = ", ".join(f"[{key}]" for key in others[:4])
    return (f"this does not look like a coplan plan: it has {shown}, which plans do not, and "
            "no [project] title or start")


def _parent_table(path: KeyPath) -> tuple[type, str, str] | None:
    """For an entry of an array of tables inside another table (``("stage", 2,
    "touchpoint", 0)``): the model of the table it is in, that table's name ("stage") and
    the entry's header ("stage.touchpoint"); None for anything else."""
    if len(path) < 3 or not isinstance(path[-1], int):
        return None
    model: type = Plan
    names: list[str] = []
    for step in path[:-2]:
        if isinstance(step, int):
            continue
        member = schema_of(model).by_toml.get(step)
        if member is None or not isinstance(member.spec, Sub):
            return None
        model = member.spec.model
        names.append(step)
    if not names:
        return None
    return model, names[-1], ".".join([*names, str(path[-2])])


class ReadAgain:
    """The entries of a plan's top-level arrays of tables as last read (``[[stage]]``,
    ``[[person]]``...), so that reading the plan again after an edit makes again only the
    entries whose tables changed (``_Loader.item_again``); the rest are the same objects."""

    def __init__(self) -> None:
        self.before: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.now: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        # By the id of each entry: the entry, the ids it names (``_Loader._names_in``),
        # those of them that are decisions named outside a stage, and whether every one
        # was there when last checked (``_Loader._references_again``)
        self.refs_before: dict[int, tuple[Any, list[tuple[Any, ...]],
                                          list[tuple[Any, ...]], bool]] = {}
        self.refs_now: dict[int, tuple[Any, list[tuple[Any, ...]],
                                       list[tuple[Any, ...]], bool]] = {}
        self.ids: _Ids | None = None  # the ids of the plan they were last checked against


def plan_from_data(data: dict[str, Any], *, path: Path | None = None,
                   kept: ReadAgain | None = None) -> Plan | None:
    """The Plan from TOML already parsed (by the editing session's incremental reader),
    or None if it has problems: then ``parse_plan`` on the text reports them, located.

    With ``kept`` (and the same ``dict`` for a table that did not change since it was last
    given), unchanged entries are not read again: the plan is the same as without."""
    loader = _Loader(data)
    loader.kept = kept
    if kept is not None:
        kept.now = {}
    plan = loader.run()
    if kept is not None:
        kept.before, kept.now = kept.now, {}
    if loader.r.problems:
        return None
    plan.path = path
    return plan


class _NotInPieces(Exception):
    """A part of the text did not read on its own as what reading the whole would make of
    it (``_Pieces``): the whole text is read instead."""


class _Pieces:
    """The entries of one of the plan's arrays of tables (``[[stage]]``), each read from
    its own part of the text only as the loader comes to it, so that the parsed tables of
    a large plan are never all in memory at once (10,000 stages: 120 MiB of them beside
    the plan being made).  ``tally``: how many entries each array of tables inside them
    has (``counted`` says which), for ``Locator.totals`` to agree with."""

    __slots__ = ("counted", "done", "name", "spans", "tally", "text")

    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.spans: list[tuple[int, int]] = []
        self.counted: tuple[tuple[str, ...], ...] = ()
        self.tally: dict[tuple[str, ...], int] = {}
        self.done = False

    def __iter__(self) -> Iterator[Any]:
        name, tally = self.name, self.tally
        for start, end in self.spans:
            try:
                data = toml_loads(self.text[start:end])
            except (TOMLDecodeError, RecursionError):
                raise _NotInPieces from None
            found = data.get(name)
            # Only the entry the part's header starts (a header such as [other.x] inside
            # it, or anything else, and the whole text decides what it means).
            if len(data) != 1 or not isinstance(found, list):
                raise _NotInPieces
            if self.counted:
                tally_entries(data, self.counted, tally)
            del data
            for i in range(len(found)):  # each let go of once the loader has made its item
                entry, found[i] = found[i], None
                yield entry
        self.done = True


def _in_pieces(text: str) -> tuple[dict[str, Any], list[_Pieces]] | None:
    """The plan's tables as ``toml_loads(text)`` gives them, but with each of the plan's
    arrays of tables (``[[stage]]``, ``[[person]]``...) left to be read entry by entry as
    the loader makes its items (``_Pieces``); None where that might not be what reading
    the whole text gives.

    The text is cut before each top-level header (``tomltext.parts``).  Every other part
    is read on its own now, and the parts put together only where that is certainly what
    reading the whole would give (as ``session.ChunkedToml`` does): a part that does not
    read on its own (a cut inside a multi-line value), a name written in two parts other
    than as entries of one array of tables, or anything of an array's name outside its
    own entries, and the whole text is read instead."""
    cut = parts(text)
    arrays = _PIECE_ARRAYS
    if not arrays:
        arrays.update(_piece_arrays())
    pieces: dict[str, _Pieces] = {}
    for start, end, name, array in cut:
        if array and name in arrays:
            found = pieces.get(name)
            if found is None:
                found = pieces[name] = _Pieces(text, name)
            spans = found.spans
            # Entries one after the other are read a few together (reading each on its
            # own costs a tenth more in all), as many as fit in ``_PIECE``.
            if spans and spans[-1][1] == start and start - spans[-1][0] < _PIECE:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    if not pieces:
        return None
    merged: dict[str, Any] = {}
    kinds: dict[str, str] = {}
    for start, end, name, array in cut:
        if array and name in pieces:
            continue
        try:
            data = toml_loads(text[start:end])
        except (TOMLDecodeError, RecursionError):
            return None
        bracket = "[[" if array else "[" if name else ""
        if bracket and (name not in data or array != isinstance(data[name], list)):
            return None
        for key, value in data.items():
            kind = "key" if not bracket else bracket if key == name else "implicit"
            seen = kinds.get(key)
            if key in pieces:
                return None
            if kind == "[[" and seen in (None, "[["):
                merged.setdefault(key, []).extend(value)
            elif seen is None:
                merged[key] = value
            else:
                return None
            kinds[key] = kind
    merged.update(pieces)
    return merged, list(pieces.values())


def _piece_arrays() -> frozenset[str]:
    """The plan's own arrays of tables, each entry written [[name]]: what ``_in_pieces``
    may leave to be read entry by entry (the loader reads nothing else that way)."""
    return frozenset(m.toml for m in schema_of(Plan).members
                     if isinstance(m.spec, Sub) and m.spec.array and not m.spec.inline)


_PIECE_ARRAYS: set[str] = set()  # (``_piece_arrays``, worked out when first needed)
_PIECE = 1 << 16  # characters of text read at once, at most (unless one entry has more)
# A text of at most this many characters is read whole (``parse_plan``): reading it in
# pieces saves memory only for large plans (the tables of 256 KiB of text take about 1 MiB)
# and costs more, one read of each part and the parts put together: for the MINDS example
# (82 KB) 4.7 million instructions (0.7 ms) of the 90 million it takes to read it, for a
# generated plan of 1,000 stages (190 KB) 3% of what ``validate`` does.
_WHOLE = 1 << 18


def _read_in_pieces(text: str, with_lines: bool) -> tuple[Plan, Locator | None] | None:
    """The plan read from ``text`` part by part (``_in_pieces``), and its lines with it;
    None where the whole text must be read instead: it might read differently, the plan
    has problems (reported as reading the whole reports them), or the lines found by the
    quick ``Locator`` might not agree with the tables."""
    found = _in_pieces(text)
    if found is None:
        return None
    data, pieces = found
    lines = None
    if with_lines:
        lines = Locator(text)
        totals = lines.totals()
        for each in pieces:
            each.counted = tuple(n for n in totals if n[0] == each.name)
        if any(entries(data, n) != t for n, t in totals.items() if n[0] not in data
               or not isinstance(data[n[0]], _Pieces)):
            return None
    loader = _Loader(data, lines)
    loader.consume = True
    del data
    try:
        plan = loader.run()
    except (_NotInPieces, PlanError):
        return None
    if loader.r.problems or not all(each.done for each in pieces):
        return None
    if lines is not None:
        for each in pieces:
            if any(each.tally.get(n, 0) != totals[n] for n in each.counted):
                return None
    return plan, lines


def parse_plan(text: str, name: str = "<plan>", *, path: Path | None = None,
               with_lines: bool = True) -> Plan:
    """Validate ``text`` and return the Plan, or raise ``PlanError`` with every problem.

    With ``with_lines``, every item knows its line, and the lines of its keys are worked
    out when first asked for (``tomltext.Locator``); without, lines are worked out only to
    report problems (and for a plan with values marked ``# placeholder``).

    The arrays of tables of a plan of more than ``_WHOLE`` characters are read entry by
    entry as their items are made where that is sure to read as the whole text does
    (``_read_in_pieces``); otherwise, and to report problems, the whole text is read at
    once.
    """
    marked = marked_lines(text)
    # Values marked '# placeholder' are known by their lines (coplan.agreed), so a plan that
    # has any is always read with its lines.
    with_lines = with_lines or bool(marked)
    # (a small plan is read whole: quicker, and its tables take little memory)
    quick = _read_in_pieces(text, with_lines) if len(text) > _WHOLE else None
    if quick is not None:
        plan = quick[0]
        plan.path = path
        plan.marked = marked
        return plan
    try:
        data = toml_loads(text)
    except TOMLDecodeError as exc:
        raise PlanError(_merge_clashes(text, name) or [_toml_problem(exc, name, text)]) \
            from None
    except RecursionError:
        raise PlanError([Problem(name, 0, 0, "the file nests lists or tables too deeply to read",
                                 "a plan never needs more than a few levels")]) from None
    loader = _Loader(data, lines_for(text, data) if with_lines else None)
    loader.consume = True
    del data
    plan = loader.run()
    if loader.r.problems:
        lines = locate(text)
        rows = text.splitlines()
        problems = []
        private = _PrivateValues(text)
        for key_path, message, hint in loader.r.problems:
            message, hint = private.unquoted(key_path, message, hint)
            line = line_of(lines, key_path)
            column = 0
            if 0 < line <= len(rows):
                column = len(rows[line - 1]) - len(rows[line - 1].lstrip()) + 1
            problems.append(Problem(name, line, column, message, hint))
        raise PlanError(problems)
    plan.path = path
    plan.marked = marked
    return plan


NOT_REPEATED = "what is written there (private, so not repeated here)"


class _PrivateValues:
    """A refused value of a person's private detail (``Key.private``: needs, email,
    circumstances, ...) is never quoted in the message about it: ``validate``'s output
    goes to CI logs and hooks' output, which others read.  The message keeps its line
    and its fix; the value is said as ``NOT_REPEATED``.  (Worked out only for a plan that
    has problems: the text is read again for the values.)"""

    def __init__(self, text: str) -> None:
        self.text = text
        self._data: Any = None

    def unquoted(self, key_path: KeyPath, message: str, hint: str) -> tuple[str, str]:
        if len(key_path) < 3 or key_path[0] != "person":
            return message, hint
        from coplan.model import Person
        from coplan.schema import private_keys
        from coplan.vocab import own_words

        keys = private_keys(Person)
        at = next((i for i, k in enumerate(key_path) if i >= 2 and k in keys), None)
        if at is None:
            return message, hint
        if self._data is None:
            self._data = toml_loads(self.text)
        value: Any = self._data
        for step in key_path[:at + 1]:
            try:
                value = value[step]
            except (KeyError, IndexError, TypeError):
                return message, hint
        texts = [value] if isinstance(value, str) else \
            [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
        # (longest first, and each as written and without its spaces around)
        # ("other:" with nothing after it says nothing of anyone)
        for each in sorted({w for t in texts for w in (t, t.strip())
                            if w.strip() and own_words(w) != ""}, key=len, reverse=True):
            for quoted in (f"'{each}'", f'"{each}"', each):
                message = message.replace(quoted, NOT_REPEATED)
                hint = hint.replace(quoted, NOT_REPEATED)
        return message, hint


def load_plan(path: str | Path, *, with_lines: bool = True) -> Plan:
    """Read and validate the plan at ``path``.  Raises ``PlanError``."""
    path = Path(path)
    return parse_plan(read_text(path), str(path), path=path, with_lines=with_lines)


