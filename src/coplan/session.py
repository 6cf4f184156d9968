"""A plan open for editing: the file, its derived views, and undo/redo.

This is the editing core the TUI drives (and that tests drive without any UI).  Every
change goes through ``apply``: the edit is made on the ``PlanDocument`` (so comments and
layout survive), the new text is validated, and only then accepted; the schedule and the
review are re-derived, and the text before the change is kept for undo.  An edit that
would make the plan invalid is refused with the loader's own plain-language message and
leaves nothing changed.

The tomlkit document (which keeps comments, and is slow to build for a large plan) is made
only when the first edit needs it, or ahead of time by ``prepare()`` (the app calls it in
a background thread once the first screen is up).  The plan's text is kept as it was last
written, so checking for unsaved changes never re-renders the document.

Nothing here imports Textual.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coplan import fileio
from coplan.edit import EditError, PlanDocument
from coplan.errors import PlanError, Problem
from coplan.model import Plan, Stage, Touchpoint
from coplan.planfile import ReadAgain, parse_plan, plan_from_data
from coplan.review import Registry, Report, review
from coplan.review.runner import Kept
from coplan.schedule import (
    Schedule,
    ScheduleError,
    dated_alike,
    schedule,
    schedule_added,
    schedule_changed,
)
from coplan.tomlparse import TOMLDecodeError
from coplan.tomlparse import loads as toml_loads
from coplan.tomltext import PLACEHOLDER_MARK, marked_lines, section_texts

if TYPE_CHECKING:
    from coplan.sync import Absorbed, SaveOutcome

class ChunkedToml:
    """Reading a plan (``tomlparse.loads``) that changes a little at a time.

    The text is cut before each top-level header (``[project]``, ``[[stage]]``, ...), each
    piece is read on its own and remembered, so after an edit only the pieces that changed
    are read again.  The pieces are put together only where that is certainly what reading
    the whole text would give: a name may appear in more than one piece only as an array
    of tables (``[[stage]]``, every time).  Anything else (a header inside a multi-line
    string, a table declared twice or in two ways, an error) answers None, and the caller
    reads the whole text the ordinary way.
    """

    def __init__(self, limit: int = 20000) -> None:
        self.limit = limit
        self.cache: dict[str, tuple[str, str, dict[str, Any], bool]] = {}
        self.marked = False  # whether the text last read may mark a placeholder (# TBC)
        self.text = ""  # the text last cut (``cut``), its pieces, and where each starts
        self.pieces: list[tuple[str, bool, str]] = []
        self.starts: list[int] = []
        # How many pieces at the start and at the end of the last cut are those of the
        # cut before (None: cut afresh).
        self.kept: tuple[int, int] | None = None
        # What the last ``loads`` made of the pieces before the last cut (None if it gave
        # up): the result, and for each piece what it read, how many entries of its array
        # of tables come before it, how many it has, and how many pieces have a mark.
        self._merged: dict[str, Any] | None = None
        self._of: list[tuple[str, bool, str]] | None = None  # the pieces it was made of
        self._found: list[tuple[str, str, dict[str, Any], bool]] = []
        self._before: list[int] = []
        self._own: list[int] = []
        self._marks = 0

    def cut(self, text: str) -> list[tuple[str, bool, str]]:
        """``section_texts(text)``, cutting again only the part of ``text`` that is not
        the text last cut: the pieces before and after it are those of the last text
        (a header is a header by its own line alone: a piece whose text, and the line
        break before it, are as they were is cut as it was)."""
        old, pieces, starts = self.text, self.pieces, self.starts
        got = self._cut(text, old, pieces, starts) if len(pieces) > 2 else None
        if got is None:
            out = section_texts(text)
            self.kept = None
        else:
            out, head, tail = got
            self.kept = (head, tail)
        self.text, self.pieces = text, out
        at, self.starts = 0, []
        for piece in out:
            self.starts.append(at)
            at += len(piece[2])
        return out

    @staticmethod
    def _cut(text: str, old: str, pieces: list[tuple[str, bool, str]], starts: list[int]
             ) -> tuple[list[tuple[str, bool, str]], int, int] | None:
        """The pieces of ``text``, and how many at the start and at the end are the
        very pieces of ``old``; None to cut it afresh."""
        n = len(pieces)
        # The pieces at the start whose text is where it was...
        i = 0
        while i < n and text.startswith(pieces[i][2], starts[i]):
            i += 1
        if i == n and len(text) == len(old):
            return pieces, n, 0  # the very text
        if i == n and not old.endswith("\n"):
            i -= 1  # the last line may go on in the new text
        # ...and at the end (from the end of the text), not overlapping them; never the
        # first piece, which may be the text before any header (not cut at a header).
        shift = len(text) - len(old)
        j = n
        while j > max(i, 1) and starts[j - 1] + shift >= (starts[i] if i < n else len(old)) and \
                text.startswith(pieces[j - 1][2], starts[j - 1] + shift):
            j -= 1
        while True:
            begin = starts[i] if i < n else len(old)
            end = (starts[j] if j < n else len(old)) + shift
            if end < begin:
                return None
            middle = text[begin:end]
            if j < n and middle and not middle.endswith("\n"):
                return None  # the line of the next header begins elsewhere: cut afresh
            found = section_texts(middle) if middle else []
            if found and found[0][0] == "" and not found[0][1] and i > 0:
                i -= 1  # text before the first header here belongs to the piece before
                continue
            out = [*pieces[:i], *found, *pieces[j:]]
            return (out, i, n - j) if out else None  # (an empty text is one empty piece)

    def loads(self, text: str) -> dict[str, Any] | None:
        previous = self.pieces
        pieces = self.cut(text)
        merged = self._again(pieces) if previous is self._of else None
        if merged is None:
            merged = self._loads(pieces)
        self._merged, self._of = merged, pieces
        return None if merged is None else dict(merged)

    def _loads(self, pieces: list[tuple[str, bool, str]]) -> dict[str, Any] | None:
        """Every piece read (or taken from the cache) and put together."""
        cache: dict[str, tuple[str, str, dict[str, Any], bool]] = {}
        merged: dict[str, Any] = {}
        kinds: dict[str, str] = {}
        marks = 0
        every: list[tuple[str, str, dict[str, Any], bool]] = []
        before: list[int] = []
        own: list[int] = []
        for name, array, piece in pieces:
            found = self.cache.get(piece) or cache.get(piece)
            if found is None:
                found = self._read(piece, "[[" if array else "[" if name else "", name)
                if found is None:
                    return None
            cache[piece] = found
            every.append(found)
            bracket, name, data, mark = found
            marks += mark
            if bracket == "[[":
                have = merged.get(name)
                before.append(len(have) if isinstance(have, list) else 0)
                own.append(len(data[name]))
            else:
                before.append(0)
                own.append(0)
            for key, value in data.items():
                kind = "key" if not bracket else bracket if key == name else "implicit"
                seen = kinds.get(key)
                if kind == "[[" and seen in (None, "[["):
                    merged.setdefault(key, []).extend(value)
                elif seen is None:
                    merged[key] = value
                else:
                    return None  # declared twice, or in two ways: let tomllib decide
                kinds[key] = kind
        self.cache = cache if len(cache) <= self.limit else {}
        self.marked = marks > 0
        self._found, self._before, self._own, self._marks = every, before, own, marks
        return merged

    def _again(self, pieces: list[tuple[str, bool, str]]) -> dict[str, Any] | None:
        """What ``_loads`` would make of ``pieces``, made from what it made of the pieces
        before the last cut, when the pieces that changed, before and after, are all
        entries of one array of tables (``[[stage]]``) that an unchanged piece before
        them also adds to: the array's entries from those pieces are put in place of the
        old ones, and every other key is as it was.  None when that cannot be said."""
        last = self._merged
        old = len(self._found)
        if last is None or self.kept is None:
            return None
        head, tail = self.kept
        if head == 0:
            return None
        end = old - tail  # the old pieces that changed are [head, end)
        new_end = len(pieces) - tail
        name = self._found[head - 1][1]
        if self._found[head - 1][0] != "[[":
            return None
        gone = range(head, end)
        for p in gone:
            bracket, key, data, _ = self._found[p]
            if bracket != "[[" or key != name or len(data) != 1:
                return None
        made: list[tuple[str, str, dict[str, Any], bool]] = []
        for key, array, piece in pieces[head:new_end]:
            if not array or key != name:
                return None
            found = self.cache.get(piece) or self._read(piece, "[[", name)
            if found is None or found[:2] != ("[[", name) or len(found[2]) != 1:
                return None
            made.append(found)
        entries = last.get(name)
        if not isinstance(entries, list):
            return None
        at = self._before[head - 1] + self._own[head - 1]  # entries before the change
        was = sum(self._own[p] for p in gone)
        own = [len(found[2][name]) for found in made]
        merged = dict(last)
        merged[name] = [*entries[:at], *(e for found in made for e in found[2][name]),
                        *entries[at + was:]]
        shift = sum(own) - was
        befores = [at]
        for n in own[:-1]:
            befores.append(befores[-1] + n)
        after = self._before[end:]
        if shift:
            after = [n + shift if found[0] == "[[" and found[1] == name else n
                     for n, found in zip(after, self._found[end:], strict=True)]
        marks = self._marks - sum(self._found[p][3] for p in gone) + sum(f[3] for f in made)
        cache = self.cache
        for (_, _, piece), found in zip(pieces[head:new_end], made, strict=True):
            cache[piece] = found
        if len(cache) > self.limit:
            self.cache = {piece: found for (_, _, piece), found in
                          zip(pieces, [*self._found[:head], *made, *self._found[end:]],
                              strict=True)}
        self._found = [*self._found[:head], *made, *self._found[end:]]
        self._before = [*self._before[:head], *befores[:len(made)], *after]
        self._own = [*self._own[:head], *own, *self._own[end:]]
        self._marks = marks
        self.marked = marks > 0
        return merged

    @staticmethod
    def _read(piece: str, bracket: str, name: str
              ) -> tuple[str, str, dict[str, Any], bool] | None:
        try:
            data = toml_loads(piece)
        except (TOMLDecodeError, RecursionError):
            return None
        if bracket and (name not in data or
                        (bracket == "[[") != isinstance(data[name], list)):
            return None
        # A mark sits on one line, and pieces are whole lines: a text has a mark only if
        # one of its pieces has.
        return bracket, name, data, PLACEHOLDER_MARK.search(piece) is not None


@dataclass(frozen=True, slots=True)
class Change:
    """One step in the undo history."""

    description: str
    before: str
    after: str
    at: float = field(default_factory=time.time)


class EditRefused(ValueError):
    """An edit was not made; the message says why in plain words.  ``problem``: the
    loader's first problem, where the text could not be read (its line, for a text of the
    file taken in from disk)."""

    def __init__(self, message: str, problem: Problem | None = None) -> None:
        super().__init__(message)
        self.problem = problem


class EditClashes(EditRefused):
    """An edit made in a form that was open while someone else's save came in changes a
    value they changed too: not made until the person chooses (``PlanSession.apply``
    again with ``choices``, as for a save's clashes)."""

    def __init__(self, conflicts: list[Any]) -> None:
        super().__init__("someone else changed the same thing while the form was open ("
                         + conflicts[0].describe() + ")")
        self.conflicts = conflicts


@dataclass(slots=True)
class Views:
    """What the app shows of an open plan: the plan, its schedule and review.

    ``schedule`` is the plan's schedule as planned (what the review reads); wherever the
    app shows the sessions themselves it takes them from ``recorded``, as every output
    does (``delivery.as_recorded``): a session moved is on its new day, one cancelled
    says so."""

    plan: Plan
    schedule: Schedule | None
    report: Report
    today: date | None = None
    _recorded: Schedule | None = field(default=None, repr=False, compare=False)

    @property
    def recorded(self) -> Schedule | None:
        """The schedule with its sessions as the delivery record says, as of ``today``
        (worked out the first time it is asked for, once per edit)."""
        if self._recorded is None and self.schedule is not None:
            from coplan.clock import today as clock_today
            from coplan.delivery import as_recorded

            self._recorded = as_recorded(self.schedule, clock_today(self.today))
        return self._recorded


def reschedule(old: Views, plan: Plan) -> Schedule | bool | None:
    """The schedule of ``plan`` made from ``old`` (the views of the plan before an edit,
    scheduled as of the same ``today``) when the edit changed nothing that moves a date
    (a title, notes, a touchpoint's words, people's names...): every date stays, and the
    new plan's stages, touchpoints and meetings are put in place of the old ones.  False
    when the plan must be scheduled afresh."""
    before = old.plan
    if plan is before:
        return old.schedule
    if (plan.project != before.project or plan.meetings != before.meetings
            or len(plan.stages) != len(before.stages)
            or plan._lived.keys() != before._lived.keys()):
        return False
    changed: dict[str, tuple[Stage, Stage]] = {}
    for b, a in zip(before.stages, plan.stages, strict=True):
        if b is not a:
            if b.id != a.id or not dated_alike(b, a):
                return False
            changed[a.id] = (b, a)
    sched = old.schedule
    if sched is None:  # it could not be scheduled, and still cannot
        return None
    stages = sched.stages
    buffers = sched.buffers
    sessions = sched.sessions
    if changed:
        stages = dict(stages)
        for sid, (_, a) in changed.items():
            stages[sid] = replace(stages[sid], stage=a)
        buffers = [replace(b, title=f"Slowing down after: {changed[b.stage][1].title}")
                   if b.stage in changed else b for b in buffers]
        swap: dict[int, tuple[Touchpoint, Stage]] = {
            id(bt): (at, a) for b, a in changed.values()
            for bt, at in zip(b.touchpoints, a.touchpoints, strict=True)}
        sessions = [s if (new := swap.get(id(s.touchpoint))) is None
                    else replace(s, touchpoint=new[0], stage=new[1]) for s in sessions]
    meetings = [m if m.meeting is n else replace(m, meeting=n)
                for m, n in zip(sched.meetings, plan.meetings, strict=True)]
    return replace(sched, plan=plan, stages=stages, order=list(sched.order),
                   buffers=list(buffers), checkpoints=list(sched.checkpoints),
                   sessions=list(sessions), meetings=meetings,
                   critical_path=list(sched.critical_path), missed=list(sched.missed),
                   gates=list(sched.gates))


def derive(plan: Plan, rules: Registry, today: date | None = None,
           kept: Kept | None = None, old: Views | None = None) -> Views:
    """The schedule (from what actually happened, as of ``today``) and the review
    (``kept``: what the last review of the same session found, stage by stage).  With
    ``old`` (the views of the plan before an edit, as of the same day), an edit that moves
    no date keeps the schedule worked out before (``reschedule``), one that adds a stage
    nothing waits for, or changes stages in place (a length, a link), dates only what it
    changes (``schedule.schedule_added``, ``schedule.schedule_changed``)."""
    sched: Schedule | bool | None = False
    if old is not None:
        sched = reschedule(old, plan)
        if sched is False and old.schedule is not None:  # a stage added, or changed?
            edited = schedule_added if len(plan.stages) != len(old.plan.stages) \
                else schedule_changed
            sched = edited(old.schedule, plan, today=today) or False
    if sched is False:
        try:
            sched = schedule(plan, today=today)
        except ScheduleError:
            sched = None
    assert not isinstance(sched, bool)
    return Views(plan, sched, review(plan, sched, registry=rules, today=today, kept=kept),
                 today)


class PlanSession:
    """The plan being edited, with undo and redo over whole-file snapshots."""

    def __init__(self, path: Path, text: str, *, today: date | None = None,
                 history_limit: int = 200, rules: Registry | None = None) -> None:
        """``rules`` are the review rules the live review runs (default: coplan's own and
        every loaded plugin's)."""
        if rules is None:
            from coplan.plugins import all_rules

            rules = all_rules()
        self.rules = rules
        self.path = path
        self.today = today
        self._text = text
        self._document: PlanDocument | None = None
        self._lock = threading.Lock()
        self._toml = ChunkedToml()
        self._kept = ReadAgain()
        self.saved_text = text
        self.history_limit = history_limit
        self.undo_stack: list[Change] = []
        self.redo_stack: list[Change] = []
        self._review = Kept()
        self.views = derive(self._parse(text), rules, today, self._review)
        self.listeners: list[Callable[[str], None]] = []
        # Checks every edit made here, the plan before and after: a reason in words refuses
        # it (the protected view of a served app, ``protected.hidden_change``).
        self.guard: Callable[[Plan, Plan], str | None] | None = None

    @classmethod
    def open(cls, path: str | Path, *, today: date | None = None,
             rules: Registry | None = None) -> PlanSession:
        """Open the plan at ``path`` for editing (clearing away temporary copies that an
        interrupted save left beside it)."""
        path = Path(path)
        session = cls(path, fileio.read_plan_text(path), today=today, rules=rules)
        fileio.remove_stale_temporaries(path)
        return session

    # -- state ----------------------------------------------------------------------------
    @property
    def plan(self) -> Plan:
        return self.views.plan

    @property
    def schedule(self) -> Schedule | None:
        return self.views.schedule

    @property
    def report(self) -> Report:
        return self.views.report

    @property
    def text(self) -> str:
        """The plan file's text as it now stands (saved or not)."""
        return self._text

    @property
    def document(self) -> PlanDocument:
        """The editable document (comments and layout kept), built when first needed."""
        with self._lock:
            if self._document is None:
                self._document = PlanDocument(self._text, self.path)
            return self._document

    def prepare(self) -> None:
        """Build the editable document now (safe to call from a worker thread)."""
        self.document  # noqa: B018

    @property
    def dirty(self) -> bool:
        return self._text != self.saved_text

    def _parse(self, text: str) -> Plan:
        """The plan in ``text``, or ``PlanError`` with every problem, located.

        The quick way reads only the parts of the text that changed since last time and
        checks the result with the loader; whenever it is not sure (or finds a problem) the
        ordinary ``parse_plan`` reads the whole text, and reports problems with lines.
        """
        data = self._toml.loads(text)
        if (data is None or self._toml.marked) and marked_lines(text):
            # Values marked '# placeholder' are known by their lines (coplan.agreed), so a
            # plan that has them is read with its lines; such plans are young and small.
            return parse_plan(text, str(self.path), path=self.path)
        if data is not None:
            plan = plan_from_data(data, path=self.path, kept=self._kept)
            if plan is not None:
                return plan
        return parse_plan(text, str(self.path), path=self.path, with_lines=False)

    def _accept(self, text: str) -> Views:
        try:
            plan = self._parse(text)
        except PlanError as exc:
            first = exc.problems[0]
            message = first.message + (f" ({first.hint})" if first.hint else "")
            raise EditRefused(message, first) from None
        return derive(plan, self.rules, self.today, self._review, self.views)

    # -- editing --------------------------------------------------------------------------
    def apply(self, description: str, edit: Callable[[PlanDocument], object], *,
              started_from: str | None = None,
              choices: dict[Any, Any] | None = None) -> None:
        """Make ``edit`` on the document, keep it only if the plan stays valid.

        ``started_from`` is the text the form that made the edit showed, when it opened.
        If others' saves came in since (the text is no longer that), the edit is merged
        three ways with them, that text as the base: a value the person changed that
        someone else also changed meanwhile raises ``EditClashes`` (nothing is changed),
        never overwrites theirs; ``choices`` settle those clashes ("theirs", "mine" or
        ("value", v) for each clash's path)."""
        if started_from is not None and started_from != self._text:
            self._apply_since(description, edit, started_from, choices)
            return
        before = self._text
        document = self.document
        try:
            edit(document)
        except EditError as exc:
            self._reset(before)
            raise EditRefused(str(exc)) from None
        after = document.text()
        if after == before:
            return
        try:
            views = self._accept(after)
        except EditRefused:
            # An edit that takes away what a record of what happened names (an entry taken
            # out, an id changed straight in the document rather than through
            # ``PlanDocument.rename``) says so, not what the loader says of the missing id.
            lost = document.history_lost()
            self._reset(before)
            if lost:
                raise EditRefused(lost[:1].upper() + lost[1:]) from None
            raise
        refusal = self._guarded(views)
        if refusal is not None:
            self._reset(before)
            raise EditRefused(refusal)
        self._text = after
        self.views = views
        self.undo_stack.append(Change(description, before, after))
        del self.undo_stack[:-self.history_limit]
        self.redo_stack.clear()
        self._notify(description)

    def _apply_since(self, description: str, edit: Callable[[PlanDocument], object],
                     started_from: str, choices: dict[Any, Any] | None) -> None:
        """``edit`` made on ``started_from`` and merged into the text as it now is."""
        from coplan.merge import merge, resolve

        document = PlanDocument(started_from, self.path)
        try:
            edit(document)
        except EditError as exc:
            raise EditRefused(str(exc)) from None
        mine = document.text()
        if mine == started_from:
            return
        before = self._text
        result = (resolve(started_from, mine, before, choices) if choices
                  else merge(started_from, mine, before))
        if result.conflicts:
            self._guard_clash(started_from, mine, before, result.conflicts)
            raise EditClashes(result.conflicts)
        if result.text == before:
            return
        views = self._accept(result.text)
        refusal = self._guarded(views)
        if refusal is not None:
            raise EditRefused(refusal)
        self._reset(result.text)
        self.views = views
        self.undo_stack.append(Change(description, before, result.text))
        del self.undo_stack[:-self.history_limit]
        self.redo_stack.clear()
        self._notify(description)

    def _guard_clash(self, base: str, mine: str, theirs: str, clashes: list[Any]) -> None:
        """Refuse an edit that clashes with others' changes when ``guard`` would refuse it
        with every clash settled its way: nobody is asked to choose between two values of
        something this copy may not change (the dialog would show them both)."""
        if self.guard is None:
            return
        from coplan.merge import resolve

        settled = resolve(base, mine, theirs, {c.path: "mine" for c in clashes})
        try:
            views = self._accept(settled.text)
        except EditRefused:
            return  # (not a plan: the clash is asked about, and the answer checked again)
        refusal = self._guarded(views)
        if refusal is not None:
            raise EditRefused(refusal)

    def _guarded(self, views: Views) -> str | None:
        """Why ``guard`` refuses the plan an edit made (``None``: it may stand)."""
        if self.guard is None:
            return None
        return self.guard(self.views.plan, views.plan)

    def _reset(self, text: str) -> None:
        """Put the text (and, lazily, the document) back to ``text``."""
        with self._lock:  # together, so a document being built never sees a stale text
            self._document = None
            self._text = text

    def _restore(self, text: str) -> None:
        views = self._accept(text)
        self._reset(text)
        self.views = views

    def undo(self) -> str | None:
        """Undo the last change made here.  When others' changes have come in since, only
        this change is taken back (a three-way merge), and theirs stay."""
        if not self.undo_stack:
            return None
        change = self.undo_stack[-1]
        self._step(change.after, change.before)
        self.undo_stack.pop()
        self.redo_stack.append(change)
        self._notify(f"undid: {change.description}")
        return change.description

    def redo(self) -> str | None:
        if not self.redo_stack:
            return None
        change = self.redo_stack[-1]
        self._step(change.before, change.after)
        self.redo_stack.pop()
        self.undo_stack.append(change)
        self._notify(f"redid: {change.description}")
        return change.description

    def _step(self, frm: str, to: str) -> None:
        """Go from ``frm`` to ``to``: directly when nothing else changed meanwhile.  The
        plan it makes is checked by ``guard`` as an edit's is: a change taken back or made
        again is a change too (one taken in from a reload, or merged with what others did
        since, can reach what this copy may not change)."""
        target = to
        if self._text != frm:
            from coplan.merge import merge

            result = merge(frm, to, self._text)
            if result.conflicts:
                raise EditRefused("someone else has since changed the same thing ("
                                  + result.conflicts[0].describe() + ")")
            target = result.text
        views = self._accept(target)
        refusal = self._guarded(views)
        if refusal is not None:
            raise EditRefused(refusal)
        self._reset(target)
        self.views = views

    def replace_text(self, text: str, description: str) -> None:
        """Take a new text for the whole plan (a reload), keeping it undoable."""
        before = self._text
        if text == before:
            return
        self._restore(text)
        self.undo_stack.append(Change(description, before, text))
        self.redo_stack.clear()
        self._notify(description)

    # -- planning together ------------------------------------------------------------------
    def save_together(self, who: str, instance: str,
                      choices: dict[Any, Any] | None = None) -> SaveOutcome:
        """Save through the shared lock, merging what others saved since this copy last
        read the file; on a conflict nothing is written and the conflicts come back (call
        again with ``choices``: "theirs", "mine" or ("value", v) for each conflict's path)."""
        from coplan.sync import save_merged

        mine = self._text
        outcome = save_merged(self.path, self.saved_text, mine, who=who,
                              instance=instance, choices=choices)
        if outcome.written:
            self.mark_saved(mine, outcome.text)
        return outcome

    def mark_saved(self, sent: str, written: str) -> None:
        """A save of ``sent`` (this session's text when the save began) put ``written`` in
        the file: the same text, or merged with what others saved.

        Only what was written counts as saved: edits made here while the save ran (it may
        run in another thread) stay, unsaved, with what others changed taken in under them.
        If they clash with it, this copy keeps its text and the next save asks.  Raises
        ``EditRefused`` if the combined text is not a valid plan (the file is fine; this
        copy keeps its text, and the next save merges again).
        """
        if self._text == sent:
            if written != sent:
                self._restore(written)
            self._saved(written)
        elif written == sent:
            self._saved(written)
        else:
            from coplan.sync import absorb

            result = absorb(sent, self._text, written)
            self._saved(sent)  # until it is certain that the newer edits combine with it
            self.take_in(result)

    def absorb(self, disk: str) -> Absorbed:
        """Take in a new text of the file (someone else saved) keeping unsaved edits made
        here.  With conflicts, this copy keeps its own text until the next save asks."""
        from coplan.sync import absorb

        return self.take_in(absorb(self.saved_text, self._text, disk))

    def take_in(self, result: Absorbed) -> Absorbed:
        """Take in what ``sync.absorb`` made of this session's saved and current texts and
        a newer file (it may have been made in another thread, from the same texts)."""
        if result.conflicts:
            return result
        if result.text != self._text:
            self._restore(result.text)
        self._saved(result.base)
        return result

    def save(self) -> Path:
        """Write the plan atomically (comments and layout as the file had them)."""
        text = self._text
        fileio.save_plan_text(self.path, text)
        self._saved(text)
        return self.path

    def _saved(self, text: str) -> None:
        """``text`` is what the file now holds, as far as this session knows."""
        self.saved_text = text
        with self._lock:
            if self._document is not None:
                self._document.original = text

    def _notify(self, what: str) -> None:
        for listener in self.listeners:
            listener(what)
