"""What a plan has not yet agreed: one definition for the review, the protocol and the app.

A value is *not yet agreed* (unmet) when it is

- a placeholder in words: text that only says what is still to do ("To agree: who chairs",
  "TBC", "TBD", "to be confirmed", "Draft to agree: ..." or a trailing "(to agree)");
- marked as a placeholder in the file: a ``# placeholder`` comment on the key's line (the
  templates mark the dates, flags and amounts only a team can fill in that way), or on
  the header of a whole table, such as an example sign-off;
- left exactly as a bundled template wrote it, for the keys that record what people agree
  together (``AGREEMENTS``: policies, terms, time commitments, the protocol's own words).
  A template's example session design may be kept as it is; its example policy may not,
  because nobody agreed it.
- for those same keys, an answer that says nothing a reader could act on ("N/A", "Yes",
  "Standard.", "See protocol.", "As per trust policy."): a safeguarding plan of "N/A"
  is not a plan, and a protocol that prints it tells its reader nothing (``says_nothing``).

``unmet(plan)`` lists them, each with its line; the review's CP-AGR-001 reports each one,
the protocol turns them into gaps (``without_unmet``), and the app counts them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import fields, replace
from functools import cache
from pathlib import Path
from typing import Any

from coplan.model import Plan
from coplan.records import dataclass
from coplan.schema import Key, Sub, Text, schema_of
from coplan.tomltext import marked_lines

_PLACEHOLDER = re.compile(
    r"^\s*(?:(?:draft\s+)?to\s+(?:agree|decide|confirm|check|arrange|write(?:\s+together)?)"
    r"(?:\s+together)?"
    r"(?=\s*[:.,;]|\s*$|\s+(?:at|with|by|when|later|on)\b)|todo\b|tbc\b|tbd\b|tba\b"
    r"|placeholder\b|to\s+be\s+(?:confirmed|agreed|decided|arranged|written|checked)\b)"
    r"[\s:.,;-]*", re.IGNORECASE)
_TRAILING = re.compile(r"\s*\((?:[^()]*\b)?(?:to agree|to be agreed|tbc|tbd)\b[^()]*\)\s*$",
                       re.IGNORECASE)
# Anywhere in the text: a bare TBC or TBD, or "to be confirmed" (never a real answer).
_ANYWHERE = re.compile(r"\b(?:tbc|tbd|tba|to be (?:confirmed|agreed|decided))\b|\?\?\?",
                       re.IGNORECASE)

# The keys that record what people agree together, by where they sit in the file: a value
# left as a template wrote it is not yet agreed.
AGREEMENTS: Mapping[tuple[str, ...], frozenset[str]] = {
    ("project",): frozenset({"summary", "aim", "lived_experience_sought"}),
    ("person",): frozenset({"time_commitment"}),
    ("meeting",): frozenset({"terms_of_reference"}),
    ("governance",): frozenset({"decisions", "disagreements", "ground_rules"}),
    ("support",): frozenset({"induction", "training", "staff_training", "withdraw",
                             "safeguarding", "confidentiality", "buddy", "anonymous_route"}),
    ("payment",): frozenset({"policy", "rate", "rate_source", "method", "benefits_advice",
                             "recognition"}),
    ("recruitment",): frozenset({"selection"}),
    ("communication",): frozenset({"between_meetings", "plain_language"}),
    ("evaluation",): frozenset({"when", "reflection_log"}),
    ("protocol",): frozenset({"purpose", "boundaries", "distress", "signposting",
                              "data_handling"}),
}


def placeholder(text: str) -> tuple[str, str] | None:
    """Whether ``text`` is a placeholder rather than an answer.

    Returns ``(kind, rest)``: kind ``"empty"`` for text that only says what to agree
    ("To agree: who chairs", "TBC"), ``"draft"`` for a draft that still needs agreeing
    ("Draft to agree: we meet monthly", "Co-researcher (to agree)"); ``rest`` is what
    follows the marker.  ``None`` for a real answer.
    """
    if not text or not text.strip():
        return ("empty", "")
    match = _PLACEHOLDER.match(text)
    if match:
        rest = text[match.end():].strip()
        if match.group(0).strip().lower().startswith("draft") and rest:
            return ("draft", rest)
        return ("empty", rest)
    # Each search only where its words could be (most texts are answers: a large plan
    # has hundreds of thousands): a bracket, "tb", "to be " or "???".
    trailing = _TRAILING.search(text) if ")" in text else None
    if trailing:
        return ("draft", text[:trailing.start()].strip())
    lowered = text.lower()
    if ("tb" in lowered or "to be " in lowered or "???" in text) and _ANYWHERE.search(text):
        return ("draft", text.strip())
    return None


# Answers that say nothing of what was agreed, as a whole value (its case, spaces and
# closing stops aside): no answer ("N/A"; "None" and "No" may be one, and are left), a
# bare yes to a question that asks how, "as usual" or "as per policy" with no word of
# what that is, or a pointer back into the plan itself ("See protocol": this is it).  A
# named document ("See the trust's lone working policy") is left: a reader can find it.
_SAYS_NOTHING = re.compile(
    r"n\s*/\s*a|n\.?a\.?|not\s+applicable|-+|—|–|\.+|x+|\?+|yes|y|ok(?:ay)?|fine|"
    r"(?:as\s+)?(?:standard|usual|normal|default|per\s+normal)(?:\s+practice)?|the\s+usual|"
    r"(?:as\s+)?per\s+(?:the\s+|our\s+)?(?:\w+\s+){0,2}polic(?:y|ies)|"
    r"(?:as\s+in|see)\s+(?:the\s+|our\s+)?(?:protocol|attached|above|below|document)|"
    r"(?:same\s+)?as\s+(?:above|below|before)|same|various|etc|unknown|n/?k|don'?t\s+know",
    re.IGNORECASE)


def says_nothing(text: str) -> bool:
    """Whether ``text``, an answer to what people agree together, says nothing a reader
    could act on: "N/A", "Yes", "Standard.", "See protocol.", "As per trust policy.".
    Words that say what was agreed, however short ("None: nobody asked for a buddy",
    "Monthly, online"), are an answer; so is anything longer than a few words."""
    words = text.strip().rstrip(".!;:, ").strip()
    if not words:  # (only stops and commas: "...")
        return bool(text.strip())
    return len(words) <= 40 and _SAYS_NOTHING.fullmatch(words) is not None


def written(text: str) -> str:
    """``text`` if it is a real answer, else "" (empty and placeholders alike)."""
    return "" if placeholder(text) is not None else text


@dataclass(frozen=True, slots=True)
class Unmet:
    """One value the plan has not yet agreed."""

    where: tuple[str, ...]  # the table path, such as ("stage", "touchpoint")
    item: Any  # the item that holds it
    key: str  # the key as written in the file ("" for a whole marked table)
    line: int
    value: Any
    why: str  # "placeholder", "marked" or "template"

    def describe(self, name: str = "") -> str:
        """What is unmet, in words; ``name`` is how to name the key (its label, in
        quotes), else the key as written."""
        value = self.value
        name = name or f"'{self.key}'"
        # Never quote the value: reports for others show the message, and the line is enough.
        if self.why == "marked":
            if not self.key:
                return "this table is marked as a placeholder"
            return f"{name} is marked as a placeholder"
        if self.why == "template":
            return f"{name} is still the template's example, word for word"
        if self.why == "filler":
            return (f"{name} says nothing a reader could act on (an answer such as 'N/A', "
                    "'Yes', 'Standard' or 'See protocol'): write what was agreed, in words, "
                    "or why it does not apply here")
        if placeholder(str(value)) == ("draft", str(value).strip()):
            return f"{name} is marked as still to agree (TBC, to agree)"
        kind = placeholder(str(value))
        if kind is not None and kind[0] == "draft":
            return f"{name} is a draft, not yet agreed"
        return f"{name} only says what is still to agree"


Value = tuple[tuple[str, ...], Any, str, Any, Key | None]


def declared_values(item: Any, path: tuple[str, ...]) -> Iterator[Value]:
    """Every declared value of ``item`` and its tables: (path, item, toml key, value, spec)."""
    for member in schema_of(type(item)).members:
        value = getattr(item, member.field)
        spec = member.spec
        if isinstance(spec, Sub):
            sub_path = (*path, spec.toml)
            for child in (value if spec.array else (value,)):
                yield sub_path, child, "", child, None
                yield from declared_values(child, sub_path)
        else:
            yield path, item, spec.toml, value, spec


# Each entry of the plan's arrays of tables (a stage, a person) with what it leaves to
# agree, as found last time: the app reads a plan again after each edit keeping the entries
# that did not change (the very same objects), so only the changed ones are looked through.
_ENTRIES: list[dict[tuple[int, tuple[str, ...]], tuple[Any, object, list[Unmet]]]] = [{}]


def unmet(plan: Plan, templates: Mapping[tuple[str, ...], Mapping[str, frozenset[str]]]
          | None = None, *, texts: Callable[[Any], tuple[str, str]] | None = None
          ) -> list[Unmet]:
    """Every value of ``plan`` not yet agreed, in the order of the file.

    ``templates`` maps a table path to each agreement key's template wordings (default:
    the bundled templates', ``template_wordings()``).  ``texts``: gives an entry's texts
    joined (``schema.joined_texts_apart``), where a review has them already: an entry
    (a stage with its touchpoints) none of whose texts could be a placeholder
    (``may_be_placeholder``) and none of which a template words is passed over at once."""
    if templates is None:
        templates = template_wordings()
    marked = plan.marked
    before = _ENTRIES[0]
    now: dict[tuple[int, tuple[str, ...]], tuple[Any, object, list[Unmet]]] = {}
    found: list[Unmet] = []
    # Whether the texts an entry holds (apart from its ids) may be a placeholder, for
    # each way they are written: entries alike in all but their ids (a plan made from a
    # template, a stage copied) are searched once.  Their ids are searched for each.
    alike: dict[str, bool] = {}
    for member in schema_of(type(plan)).members:
        value = getattr(plan, member.field)
        spec = member.spec
        if not isinstance(spec, Sub):
            found.extend(_unmet_in([((), plan, spec.toml, value, spec)], marked, templates))
            continue
        path = (spec.toml,)
        # (an entry under a table with agreement keys is never passed over: an answer
        # that says nothing is found only by reading it)
        worded = texts is not None and (_worded_under(path, templates) or any(
            where[:len(path)] == path for where in AGREEMENTS))
        for child in (value if spec.array else (value,)):
            if not spec.array or marked:  # marks are found by line: look again each time
                found.extend(_unmet_in_table(child, path, marked, templates))
                continue
            key = (id(child), path)
            kept = before.get(key)
            if kept is None or kept[0] is not child or kept[1] is not templates:
                if texts is not None and not worded and not _may_be(texts(child), alike):
                    kept = (child, templates, [])  # (no line is marked, see above)
                else:
                    kept = (child, templates,
                            _unmet_in_table(child, path, marked, templates))
            now[key] = kept
            found.extend(kept[2])
    _ENTRIES[0] = now
    found.sort(key=lambda u: u.line or 10**9)
    return found


def _worded_under(path: tuple[str, ...], templates: Wordings) -> bool:
    """Whether a template words any key of a table at ``path`` or in its tables."""
    return any(where[:len(path)] == path for where, wordings in templates.items()
               if wordings)


# Where a text could be a placeholder (``placeholder``), found in the lower case of texts
# joined by "\x00" (``schema.joined_texts``): a text that starts with the words its
# first pattern starts with, or anywhere the words the others need ("tb" of TBC, TBD and
# TBA, "to be ", "to agree", "???").  Only ASCII letters are among these words, and the
# only characters a pattern that ignores case takes for one of them are its capital and
# itself, whose lower case it is (a test checks every character): so a text that one of
# the patterns matches has these words in its lower case.
_STARTS = re.compile(r"\x00\s*(?:draft\s|to\s|todo|tb[cda]|placeholder)")
# Where "tb" or "to be " is found (often in "agreed to be asked"), what the patterns need
# of them, as they read it.
_TB = re.compile(r"tb[cda]|to be (?:confirmed|agreed|decided)", re.IGNORECASE)


def may_be_placeholder(*joined: str) -> bool:
    """Whether any text joined in ``joined`` (each by ``schema.joined_texts``) may be a
    placeholder: False only where ``placeholder`` finds none of them to be one."""
    for texts in joined:
        if "???" in texts:
            return True
        low = texts.lower()
        if "to agree" in low or _STARTS.search(low) or (
                ("tb" in low or "to be " in low) and _TB.search(texts)):
            return True
    return False


def _may_be(joined: tuple[str, str], alike: dict[str, bool]) -> bool:
    """``may_be_placeholder(*joined)``, the first of the two (an entry's texts, apart
    from its ids) looked at once for each way it is written (``alike``)."""
    plain, ids = joined
    may = alike.get(plain)
    if may is None:
        may = alike[plain] = may_be_placeholder(plain)
    return may or may_be_placeholder(ids)


def _values_of(child: Any, path: tuple[str, ...]) -> Iterator[Value]:
    """``declared_values`` of a table at ``path``, the table itself first."""
    yield path, child, "", child, None
    yield from declared_values(child, path)


def _unmet_in(values: Iterable[Value], marked: Collection[int],
              templates: Mapping[tuple[str, ...], Mapping[str, frozenset[str]]]
              ) -> list[Unmet]:
    found: list[Unmet] = []
    for path, item, key, value, spec in values:
        if spec is None:  # a table: marked as a whole on its header line
            line = getattr(value, "line", 0)
            if line and line in marked and path:
                found.append(Unmet(path, value, "", line, None, "marked"))
            continue
        # A key's line is worked out only when it is needed (most plans mark none).
        _unmet_value(path, item, key, value, spec, marked, bool(marked),
                     templates.get(path, {}), found)
    return found


def _unmet_value(path: tuple[str, ...], item: Any, key: str, value: object, spec: Key,
                 marked: Collection[int], look_at_lines: bool,
                 wordings: Mapping[str, frozenset[str]], found: list[Unmet]) -> None:
    """Add to ``found`` what leaves one value of ``item`` not yet agreed: its line marked
    (looked at only with ``look_at_lines``), a placeholder, or a template's own words."""
    line = item.line_of(key) if look_at_lines else 0
    if line and line in marked:
        found.append(Unmet(path, item, key, line, value, "marked"))
    elif isinstance(spec.kind, Text) and isinstance(value, str) and value.strip():
        if placeholder(value) is not None:
            found.append(Unmet(path, item, key, item.line_of(key), value, "placeholder"))
        elif key in wordings and _normal(value) in wordings[key]:
            found.append(Unmet(path, item, key, item.line_of(key), value, "template"))
        elif key in AGREEMENTS.get(path, ()) and says_nothing(value):
            found.append(Unmet(path, item, key, item.line_of(key), value, "filler"))


def _unmet_in_table(child: Any, path: tuple[str, ...], marked: Collection[int],
                    templates: Mapping[tuple[str, ...], Mapping[str, frozenset[str]]]
                    ) -> list[Unmet]:
    """``_unmet_in(_values_of(child, path), ...)``, in the same order, looking only at
    the values that could be unmet: where no line of a table is marked, only its texts."""
    found: list[Unmet] = []
    line = getattr(child, "line", 0)
    if line and line in marked and path:
        found.append(Unmet(path, child, "", line, None, "marked"))
    _unmet_in_item(child, path, marked, templates, found)
    return found


_ALL, _TEXTS = 0, 1
_AGREED_STEPS: dict[tuple[type, int], list[tuple[str, str, Any]]] = {}


def _agreed_steps(model: type, which: int) -> list[tuple[str, str, Any]]:
    """The members of ``model`` (field, key, spec) in the schema's order: all of them, or
    only its tables and texts (which is all that can be unmet where no line is marked)."""
    found = _AGREED_STEPS.get((model, which))
    if found is None:
        found = [(m.field, m.spec.toml, m.spec) for m in schema_of(model).members
                 if which == _ALL or isinstance(m.spec, Sub) or isinstance(m.spec.kind, Text)]
        _AGREED_STEPS[(model, which)] = found
    return found


def _unmet_in_item(item: Any, path: tuple[str, ...], marked: Collection[int],
                   templates: Mapping[tuple[str, ...], Mapping[str, frozenset[str]]],
                   found: list[Unmet]) -> None:
    key_lines = getattr(item, "key_lines", None)
    any_marked = bool(marked) and (key_lines is None or item.line in marked or any(
        line in marked for line in key_lines.values()))
    wordings = templates.get(path, {})
    for field, key, spec in _agreed_steps(type(item), _ALL if any_marked else _TEXTS):
        value = getattr(item, field)
        if isinstance(spec, Sub):
            sub_path = (*path, spec.toml)
            for child in (value if spec.array else (value,)):
                line = getattr(child, "line", 0)
                if line and line in marked and sub_path:
                    found.append(Unmet(sub_path, child, "", line, None, "marked"))
                _unmet_in_item(child, sub_path, marked, templates, found)
            continue
        if not any_marked:  # ``_unmet_value`` of a text, where no line is looked at
            if isinstance(value, str) and value.strip():
                if placeholder(value) is not None:
                    found.append(Unmet(path, item, key, item.line_of(key), value,
                                       "placeholder"))
                elif key in wordings and _normal(value) in wordings[key]:
                    found.append(Unmet(path, item, key, item.line_of(key), value, "template"))
                elif key in AGREEMENTS.get(path, ()) and says_nothing(value):
                    found.append(Unmet(path, item, key, item.line_of(key), value, "filler"))
            continue
        _unmet_value(path, item, key, value, spec, marked, any_marked, wordings, found)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


Wordings = Mapping[tuple[str, ...], Mapping[str, frozenset[str]]]


@cache
def template_wordings() -> Wordings:
    """The bundled templates' wordings of every agreement key (``AGREEMENTS``).

    Reading the five templates takes about 5 ms, in every ``coplan check``: what they say
    is kept in coplan's cache folder with each template's name, size and time of change,
    and read from there while those are the same (``_kept_wordings``)."""
    from coplan.bundled import data_dir

    try:
        folder = data_dir("templates") / "plans"
    except FileNotFoundError:
        return {}
    files = toml_files(folder)
    state = _templates_state(folder, files)
    if state is not None:
        kept = _kept_wordings(folder, state)
        if kept is not None:
            return kept
    found = read_wordings(files)
    if state is not None:
        _keep_wordings(folder, state, found)
    return found


def toml_files(folder: Path) -> list[Path]:
    """``sorted(folder.glob("*.toml"))``: the names ending ".toml" (in any case where the
    system's names are, as on Windows), none if the folder cannot be listed.  ``glob``
    compiles a pattern for "*.toml" on every ``coplan check`` (1.2 ms)."""
    import os

    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(folder / name for name in names
                  if os.path.normcase(name).endswith(".toml"))


def read_wordings(files: Iterable[Path]) -> Wordings:
    """What ``files`` (plan templates) say for every agreement key."""
    from coplan.fileio import read_plan_text
    from coplan.tomlparse import loads

    seen: dict[tuple[str, ...], dict[str, set[str]]] = {}
    for file in files:
        try:
            data = loads(read_plan_text(file))
        except Exception:  # a broken template only means less to compare
            continue
        for path, keys in AGREEMENTS.items():
            node: Any = data.get(path[0])
            for part in path[1:]:
                node = node.get(part) if isinstance(node, dict) else None
            tables = node if isinstance(node, list) else [node]
            for table in tables:
                if not isinstance(table, dict):
                    continue
                for key in keys:
                    value = table.get(key)
                    if isinstance(value, str) and value.strip():
                        seen.setdefault(path, {}).setdefault(key, set()).add(_normal(value))
    return {path: {k: frozenset(v) for k, v in keys.items()} for path, keys in seen.items()}


_WORDINGS_FORMAT = 1


def _templates_state(folder: Path, files: list[Path]) -> tuple[Any, ...] | None:
    """The templates as plain values to compare (None when one cannot be looked at)."""
    import os

    state: list[Any] = [_WORDINGS_FORMAT, str(folder),
                        sorted((k, sorted(v)) for k, v in AGREEMENTS.items())]
    try:
        for file in files:
            info = os.stat(file)
            state.append((file.name, info.st_size, info.st_mtime_ns))
    except OSError:
        return None
    return tuple(state)


# Each copy of the templates (a checkout, a virtual environment, another version of
# coplan) has a file of its own in this folder of coplan's cache folder, named by what
# decides its content but the templates' times (``_wordings_file``): several copies
# sharing one home folder keep theirs side by side instead of writing over each other's
# on every ``check``.  Past ``KEPT_WORDINGS`` files, the ones written longest ago go
# (checkouts in throwaway folders, as a build machine makes, would else pile up).
# Deleting any of them, or the folder, is always safe.
WORDINGS_FOLDER = "template-wordings"
KEPT_WORDINGS = 16


def _wordings_file(folder: Path) -> Path:
    """The file that keeps the wordings of the templates in ``folder``: named by the
    folder, the agreement keys and the file's format (``marshal``'s too)."""
    import marshal
    import zlib  # (loaded already: hashlib would load OpenSSL, 12 ms, for a file name)

    from coplan.fileio import cache_folder

    key = repr((_WORDINGS_FORMAT, marshal.version, str(folder),
                sorted((k, sorted(v)) for k, v in AGREEMENTS.items())))
    data = key.encode("utf-8", "surrogatepass")
    # (two names alike only read the templates again: the state kept inside is compared)
    name = f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"
    return cache_folder() / WORDINGS_FOLDER / f"{name}.marshal"


def _prune_wordings(folder: Path, keep: Path) -> None:
    """Leave at most ``KEPT_WORDINGS`` files in ``folder``: the ones written longest ago
    go (``keep``, just written, stays; a copy whose file went reads its templates again,
    once)."""
    import contextlib
    import os

    try:
        names = [n for n in os.listdir(folder) if n.endswith(".marshal")]
        if len(names) <= KEPT_WORDINGS:
            return
        written = sorted(((n == keep.name, os.stat(folder / n).st_mtime_ns, n)
                          for n in names), reverse=True)
    except OSError:
        return
    for _kept, _when, name in written[KEPT_WORDINGS:]:
        # (another copy of coplan may have removed it first, or it cannot be)
        with contextlib.suppress(OSError):
            os.unlink(folder / name)


def _kept_wordings(folder: Path, state: tuple[Any, ...]) -> Wordings | None:
    import marshal

    from coplan.fileio import read_bytes

    try:
        data = marshal.loads(read_bytes(_wordings_file(folder), limit=4 * 1024 * 1024))
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not (isinstance(data, tuple) and len(data) == 2 and data[0] == state
            and isinstance(data[1], dict)):
        return None
    found = data[1]
    for path, keys in found.items():
        if not (isinstance(path, tuple) and isinstance(keys, dict) and all(
                isinstance(k, str) and isinstance(v, frozenset) for k, v in keys.items())):
            return None
    return found


def _keep_wordings(folder: Path, state: tuple[Any, ...], found: Wordings) -> None:
    import marshal

    from coplan.fileio import write_bytes

    try:
        data = marshal.dumps((state, {path: dict(keys) for path, keys in found.items()}))
        file = _wordings_file(folder)
        file.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(file, data)
    except (OSError, ValueError):
        return  # a cache we cannot write is only slower
    _prune_wordings(file.parent, file)


DRAFT = "Draft to agree: "


def without_unmet(plan: Plan, found: list[Unmet] | None = None) -> Plan:
    """A copy of ``plan`` as far as it is agreed: a value marked as a placeholder goes back
    to its declared default (a table marked as a whole is dropped from its list), and a
    template's example wording left as it was becomes a draft ("Draft to agree: ...");
    placeholders in words stay, since they already say they are not agreed.  The protocol
    is written from this copy, so whatever is still to agree shows there as a gap."""
    found = unmet(plan) if found is None else found
    if not found:
        return plan
    blank: dict[int, set[str]] = {}
    drafts: dict[int, set[str]] = {}
    dropped: set[int] = set()
    for u in found:
        if u.why == "placeholder":
            continue  # its own words say it is not agreed: readers see it as a draft or a gap
        if u.why == "template":
            drafts.setdefault(id(u.item), set()).add(u.key)
        elif u.key:
            blank.setdefault(id(u.item), set()).add(u.key)
        else:
            dropped.add(id(u.item))

    def rebuild(item: Any) -> Any:
        schema = schema_of(type(item))
        changes: dict[str, Any] = {}
        keys = blank.get(id(item), set())
        draft = drafts.get(id(item), set())
        for member in schema.members:
            value = getattr(item, member.field)
            spec = member.spec
            if isinstance(spec, Sub):
                if spec.array:
                    new = tuple(rebuild(c) for c in value if id(c) not in dropped)
                    same = len(new) == len(value) and all(
                        a is b for a, b in zip(new, value, strict=True))
                    if not same:
                        changes[member.field] = new
                else:
                    new_one = rebuild(value)
                    if new_one is not value:
                        changes[member.field] = new_one
            elif spec.toml in keys:
                changes[member.field] = member.default
            elif spec.toml in draft:
                changes[member.field] = f"{DRAFT}{value}"
        if not changes:
            return item
        if isinstance(item, Plan):
            others = {f.name: getattr(item, f.name) for f in fields(item)
                      if f.init and f.name not in changes}
            copy = Plan(**others, **changes)
            copy.path = item.path  # every marked value is now left out
            copy.marked = frozenset()
            return copy
        return replace(item, **changes)

    result: Plan = rebuild(plan)
    return result


__all__ = ["AGREEMENTS", "Unmet", "declared_values", "marked_lines", "placeholder",
           "read_wordings", "template_wordings", "unmet", "without_unmet", "written"]
