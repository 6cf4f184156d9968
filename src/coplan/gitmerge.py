"""coplan as git's merge driver for plan files: merges, rebases and cherry-picks of a plan
go item by item and field by field (``merge.merge``), keeping everyone's comments and
layout, instead of line by line.

Git runs ``coplan merge %O %A %B %P`` with three temporary files (the common ancestor,
ours, theirs) and the plan's path, and expects the result in the second file and an exit
status: 0 when the merge is clean, 1 when a person must settle something.  Then every
clash is left in the file between git's own markers, both values shown, with the field it
is about::

    <<<<<<< ours: stage › design › duration
    duration = "6w"
    =======
    duration = "8w"
    >>>>>>> theirs

``coplan validate`` names each such place by its line (``planfile``), and the plan reads
again once the person keeps one version and deletes the three marker lines.  A merged plan
that would not be valid (a link to a stage the other side removed, a loop made of two
links) is a clash too, shown the same way: git never commits a broken plan.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coplan import fileio
from coplan.errors import PlanError

DRIVER = "coplan"
DRIVER_NAME = "coplan: merge plans item by item and field by field"
DEFAULT_PATTERN = "*.coplan.toml"
MARKER = 7


@dataclass(frozen=True, slots=True)
class DriverOutcome:
    """What git's merge driver made: the merged text and the clashes left."""

    text: str
    clashes: list[str]  # one plain sentence each

    @property
    def clean(self) -> bool:
        return not self.clashes


def _problems(path: str) -> Any:
    from coplan.sync import plan_problems

    return lambda text: plan_problems(text, Path(path) if path else None)


def merge_texts(base: str, ours: str, theirs: str, path: str = "") -> DriverOutcome:
    """Git's three texts merged: ``ours`` keeps its layout and takes in what ``theirs``
    changed since ``base``; each clash left between conflict markers."""
    from coplan.merge import merge

    if not base.strip():  # added on both sides: no common ancestor
        base = ""
    if ours == theirs or theirs == base:
        return DriverOutcome(ours, [])
    if ours == base:
        return DriverOutcome(theirs, [])
    if not base:
        return _whole(ours, theirs, "both sides added this plan, each differently")
    from coplan.tomlparse import TOMLDecodeError

    try:
        # (The clashes' own comments are shown between the markers, both sides' lines.)
        result = merge(base, theirs, ours, check=_problems(path), clash_notes=False)
    except TOMLDecodeError:  # a side that is not TOML: both sides whole
        return _whole(ours, theirs, "one side is not a plan coplan can read")
    if result.clean:
        return DriverOutcome(result.text, [])
    return _marked(result.text, theirs, result.conflicts)


def _whole(ours: str, theirs: str, why: str) -> DriverOutcome:
    text = (f"{'<' * MARKER} ours: the whole plan\n{_ensure_break(ours)}{'=' * MARKER}\n"
            f"{_ensure_break(theirs)}{'>' * MARKER} theirs\n")
    return DriverOutcome(text, [f"the whole plan: {why}"])


def _ensure_break(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"


# -- placing the clashes ------------------------------------------------------------------

def _index_path(data: Any, path: Sequence[str]) -> tuple[str | int, ...] | None:
    """``("stage", "design", "title")`` as ``tomltext.locate`` knows it,
    ``("stage", 2, "title")``; None if it is not in ``data``."""
    from coplan.merge import _ARRAYS, _identity

    node = data
    out: list[str | int] = []
    parent: tuple[str, ...] = ()
    i = 0
    while i < len(path):
        key = path[i]
        if not isinstance(node, dict) or key not in node:
            return None
        value = node[key]
        out.append(key)
        if key in _ARRAYS and isinstance(value, list) and i + 1 < len(path):
            for index, entry in enumerate(value):
                if isinstance(entry, dict) and _identity(key, entry, index, parent) == path[i + 1]:
                    out.append(index)
                    node = entry
                    parent = tuple(path[:i + 2])
                    break
            else:
                return None
            i += 2
            continue
        node = value
        i += 1
    return tuple(out)


def _span(text: str, path: Sequence[str], *, notes: bool = False) -> tuple[int, int] | None:
    """The lines (0-based, end excluded) of the key or entry at ``path`` in ``text``: from
    its first line to the next key or table outside it, less the blank and comment lines
    that sit above what follows (``notes``: with those comment lines, less the blank ones
    at the end)."""
    from coplan.tomlparse import loads
    from coplan.tomltext import locate

    where = _index_path(loads(text), path)
    if where is None:
        return None
    lines = locate(text)
    start = lines.get(where)
    if not start:
        return None
    rows = text.splitlines()
    following = [n for p, n in lines.items() if n > start and p[:len(where)] != where]
    end = min(following, default=len(rows) + 1) - 1  # 1-based last line, inclusive
    while end > start and (not rows[end - 1].strip()
                           or (not notes and rows[end - 1].lstrip().startswith("#"))):
        end -= 1
    return start - 1, end


def _sides(text: str, theirs: str, path: Sequence[str]
           ) -> tuple[tuple[int, int], list[str]] | None:
    """Where a clashing value sits in ``text`` (ours) and the other side's own lines for it,
    copied as that person wrote them (comments, a multi-line string, their spelling); None
    where either side has no lines of its own for it.  The comment lines just below the
    value go with it when the two sides wrote them differently, so that neither side's
    notes are lost whichever is kept."""
    ours_at, their_at = _span(text, path), _span(theirs, path)
    if ours_at is None or their_at is None:
        return None
    rows, their_rows = text.splitlines(), theirs.splitlines()
    ours_notes, their_notes = _span(text, path, notes=True), _span(theirs, path, notes=True)
    if (ours_notes and their_notes
            and rows[ours_at[1]:ours_notes[1]] != their_rows[their_at[1]:their_notes[1]]):
        ours_at, their_at = ours_notes, their_notes
    return ours_at, their_rows[their_at[0]:their_at[1]]


def _render(key: str, value: Any, indent: str) -> list[str]:
    import tomlkit

    if value is None:
        return []
    return [indent + line for line in tomlkit.dumps({key: value}).splitlines()]


def _where(path: Sequence[str]) -> str:
    return " › ".join("an entry" if p.startswith("=") else p for p in path)


def _marked(text: str, theirs: str, conflicts: list[Any]) -> DriverOutcome:
    """``text`` (ours, with theirs' clean changes) with a marked block for each conflict.

    In the conflicts ``mine`` is theirs (git's other side) and ``theirs`` is ours: the
    merge replayed the other side onto ours."""
    from coplan.merge import _ABSENT

    rows = text.splitlines()
    blocks: list[tuple[int, int, list[str]]] = []  # replace rows[a:b] with lines
    clashes: list[str] = []

    def block(label: str, ours_lines: list[str], their_lines: list[str], note: str = ""
              ) -> list[str]:
        return [f"{'<' * MARKER} ours: {label}", *ours_lines, "=" * MARKER, *their_lines,
                f"{'>' * MARKER} theirs{note}"]

    for c in conflicts:
        label = _where(c.path) or "the plan"
        item = "<item>" in (c.base, c.mine, c.theirs) or c.theirs == "<changed>"
        if c.problem:
            clashes.append(f"{label}: together the two sides would not make a valid plan "
                           f"({c.problem})")
        elif item and c.theirs is _ABSENT:
            clashes.append(f"{label}: ours removed it, theirs changed it")
        elif item:
            clashes.append(f"{label}: theirs removed it, ours changed it")
        elif _private(c.path):  # (the file holds both sides, marked; a log never does)
            clashes.append(f"{label}: the two sides wrote it differently (a private detail: "
                           "the marked lines in the file show both)")
        else:
            clashes.append(f"{label}: ours is {_show(c.theirs)}, theirs is {_show(c.mine)}")
        if not c.path:
            continue
        if item and c.theirs is _ABSENT:  # theirs has it (added or changed), ours not
            their_span = _span(theirs, c.path)
            their_rows = theirs.splitlines()
            added = their_rows[their_span[0]:their_span[1]] if their_span else []
            parent = _span(text, c.path[:-2]) if len(c.path) > 2 else None
            at = parent[1] if parent else len(rows)
            note = " (added this)" if c.base is _ABSENT else " (changed this; ours removed it)"
            blocks.append((at, at, block(label, [], added, note)))
            continue
        span = _span(text, c.path)
        if item:  # they removed it; ours has it (changed)
            if span:
                blocks.append((span[0], span[1], block(
                    label, rows[span[0]:span[1]], [], " (removed this)")))
            continue
        key = c.path[-1]
        mine_value = None if c.mine is _ABSENT else c.mine
        both = _sides(text, theirs, c.path) if mine_value is not None else None
        if both:
            (start, end), their_lines = both
            blocks.append((start, end, block(label, rows[start:end], their_lines)))
            continue
        if span:
            first = rows[span[0]]
            indent = first[:len(first) - len(first.lstrip())]
            blocks.append((span[0], span[1], block(label, rows[span[0]:span[1]],
                                                   _render(key, mine_value, indent))))
            continue
        holder = _span(text, c.path[:-1]) if len(c.path) > 1 else None
        at = holder[0] + 1 if holder else 0
        indent = ""
        if holder:
            first = rows[holder[0]]
            indent = first[:len(first) - len(first.lstrip())]
        blocks.append((at, at, block(label, [], _render(key, mine_value, indent),
                                     " (ours removed this)")))
    blocks.sort(key=lambda b: (b[0], b[1]))
    kept: list[tuple[int, int, list[str]]] = []
    for entry in blocks:  # a clash inside another's block is shown by that block
        if kept and entry[0] < kept[-1][1]:
            continue
        kept.append(entry)
    for start, end, lines in reversed(kept):
        rows[start:end] = lines
    return DriverOutcome("\n".join(rows) + "\n", clashes)


def _private(path: Sequence[str]) -> bool:
    """Whether ``path`` is one of a person's private details (``Key.private``), whose
    values a merge's messages never quote: git prints them, and CI logs keep them."""
    from coplan.model import Person
    from coplan.schema import private_keys

    private = private_keys(Person)
    return bool(path) and path[0] == "person" and any(p in private for p in path[1:])


def _show(value: Any) -> str:
    from coplan.merge import _ABSENT

    if value is _ABSENT:
        return "nothing (removed)"
    if isinstance(value, str):
        return f'"{value}"'
    return json.dumps(value, default=str)


# -- the driver -----------------------------------------------------------------------------

def run_driver(base: Path, ours: Path, theirs: Path, name: str = "") -> DriverOutcome:
    """Merge git's three files, writing the result over ``ours`` (atomically)."""
    texts = []
    for path in (base, ours, theirs):
        try:
            texts.append(fileio.read_plan_text(path))
        except PlanError:
            if path == base and path.exists() and path.stat().st_size == 0:
                texts.append("")
                continue
            raise
    outcome = merge_texts(texts[0], texts[1], texts[2], path=name)
    if outcome.text != texts[1]:
        fileio.save_plan_text(ours, outcome.text)
    return outcome


# -- setting git up ---------------------------------------------------------------------------

class GitSetupError(Exception):
    """Git is missing, or this is not a git repository: said plainly."""


def _git(args: list[str], cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              check=False)
    except FileNotFoundError:
        raise GitSetupError("git is not installed (or not on PATH); install git first") \
            from None
    if done.returncode != 0:
        raise GitSetupError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout.strip()


def driver_command(command: str | None = None) -> str:
    """How git should run coplan: ``command`` if given, ``coplan`` if that is on PATH,
    else this Python running coplan as a module."""
    import shutil

    if command:
        return command
    if shutil.which("coplan"):
        return "coplan"
    return f"{shlex.quote(sys.executable)} -m coplan"


_PLAN_HEADER = re.compile(r"^\[\[stage\]\]", re.MULTILINE)


def plan_files(root: Path) -> list[str]:
    """The TOML files git tracks under ``root`` that are coplan plans (they have
    ``[project]`` and ``[[stage]]`` tables), as paths from ``root``."""
    listed = _git(["ls-files", "-z", "--", "*.toml"], cwd=root)
    out = []
    for name in sorted(n for n in listed.split("\0") if n):
        try:
            text = fileio.read_plan_text(root / name)
        except (PlanError, OSError):
            continue
        if "[project]" in text and _PLAN_HEADER.search(text):
            out.append(name)
    return out


@dataclass(frozen=True, slots=True)
class SetupDone:
    """What setting up git's merge driver changed."""

    attributes: Path
    added: list[str]  # lines added to the attributes file
    driver: str
    scope: str  # "this repository" or "every repository (global)"


def _attribute_pattern(name: str) -> str:
    return name.replace(" ", "[[:space:]]")


def setup(patterns: Sequence[str], *, global_: bool, command: str | None,
          cwd: Path) -> SetupDone:
    """Write ``PATTERN merge=coplan`` lines and the ``merge.coplan`` driver config."""
    driver = f"{driver_command(command)} merge %O %A %B %P"
    if global_:
        configured = ""
        try:
            configured = _git(["config", "--global", "--get", "core.attributesFile"], cwd=cwd)
        except GitSetupError:
            configured = ""
        if configured:
            attributes = Path(os.path.expanduser(configured))
        else:
            xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(
                os.path.expanduser("~"), ".config")
            attributes = Path(xdg) / "git" / "attributes"
        wanted = list(patterns) or [DEFAULT_PATTERN]
        scope = "every repository (global)"
    else:
        root = Path(_git(["rev-parse", "--show-toplevel"], cwd=cwd))
        attributes = root / ".gitattributes"
        wanted = list(patterns) or [DEFAULT_PATTERN, *plan_files(root)]
        scope = "this repository"
    try:
        existing = fileio.read_small_text(attributes) if attributes.exists() else ""
    except (OSError, ValueError) as exc:
        raise GitSetupError(f"{attributes}: could not be read ({exc})") from None
    present = {line.split("#")[0].strip() for line in existing.splitlines()}
    added = [f"{_attribute_pattern(p)} merge={DRIVER}" for p in dict.fromkeys(wanted)]
    added = [line for line in added if line not in present]
    if added:
        attributes.parent.mkdir(parents=True, exist_ok=True)
        fileio.write_text(attributes, _ensure_break(existing) + "\n".join(added) + "\n")
    scope_flag = ["--global"] if global_ else []
    _git(["config", *scope_flag, f"merge.{DRIVER}.name", DRIVER_NAME], cwd=cwd)
    _git(["config", *scope_flag, f"merge.{DRIVER}.driver", driver], cwd=cwd)
    return SetupDone(attributes, added, driver, scope)
