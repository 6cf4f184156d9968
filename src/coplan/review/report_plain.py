"""``coplan check``'s text report as plain text, for a file, a pipe or a CI log: the very
characters ``report_text`` has rich print there, worked out without importing rich's
console (15 ms of a command's start-up).  The parts both share (how findings are grouped
and marked, the summary's lines and tables, the verdict) are made here once."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

from coplan import plaintext as pt
from coplan.durations import calendar_days, plain_days
from coplan.records import dataclass
from coplan.review.engine import Finding, Severity, Subject
from coplan.review.runner import Report
from coplan.review.summary import IM_PHASES, rung_bar, summarise
from coplan.vocab import LADDER, ROLE
from coplan.words import count

MARK = {Severity.ERROR: ("✖ error", "bold red"), Severity.WARNING: ("▲ warning", "yellow"),
        Severity.INFO: ("● info", "cyan")}
MESSAGE_ROOM = 36  # narrower than this beside the rule, and the message goes below


def _group_key(positions: dict[str, int], subject: Subject) -> tuple[int, str]:
    stage = subject.stage or (subject.id if subject.kind == "stage" else "")
    if stage:
        return (positions.get(stage, 10**6) + 2, stage)
    if subject.kind in ("person",):
        return (1, "People")
    return (0, "The whole plan")


def _order(f: Finding) -> tuple[int, int, str]:
    """Where a finding comes in its group: the most severe first, then by line and rule."""
    return (-f.severity, f.subject.line, f.rule)


def finding_groups(report: Report) -> Iterator[tuple[str, list[Finding]]]:
    """The findings grouped by stage (the whole plan first, then people, then stages in
    the plan's order): each group's heading and its findings, most severe first."""
    groups: dict[tuple[int, str], list[Finding]] = {}
    # Each stage's place and title, once, not per finding: a report for others
    # (``for_others.for_others``) has them, as others may read them, in its summary
    # only (its plan is an outline without stages).
    summary = getattr(report, "summary", None)
    titles = {d.stage: d.title for d in summary.depths} if summary is not None else \
        {s.id: s.title for s in report.plan.stages}
    positions = {sid: i for i, sid in enumerate(titles)}
    # Each group's findings by the stage they are about, its key worked out once (a large
    # plan's 33,593 findings are about 9,682 stages); else by where they belong.
    by_stage: dict[str, list[Finding]] = {}
    for finding in report.findings:
        subject = finding.subject
        stage = subject.stage or (subject.id if subject.kind == "stage" else "")
        if stage:
            found = by_stage.get(stage)
            if found is None:
                by_stage[stage] = [finding]
            else:
                found.append(finding)
        else:
            groups.setdefault(_group_key(positions, subject), []).append(finding)
    for stage, findings in by_stage.items():
        groups[(positions.get(stage, 10**6) + 2, stage)] = findings
    for (_, name), findings in sorted(groups.items()):
        title = f"Stage: {titles[name]} ({name})" if name in titles else name
        yield title, sorted(findings, key=_order) if len(findings) > 1 else findings


def finding_lines(f: Finding, width: int) -> list[str] | None:
    """A finding's lines at ``width`` as plain strings where the message and fix are
    one-cell text (``plaintext.wrapped_plain``); None for any other, to be drawn by rich."""
    return _finding_lines(f, width)[0]


def _finding_lines(f: Finding, width: int) -> tuple[list[str] | None, bool]:
    """``finding_lines``, and whether each of them is one-cell text no wider than
    ``width`` (what ``plain_report`` needs to know).  A report has thousands of findings
    but few messages (a rule's, with ids in them at most): each message is wrapped once
    for the room beside its location, and the location's characters are checked once
    for each file, severity and rule (its line number is digits)."""
    where = f"{f.file}:{f.line}" if f.line else f.file
    head = f"  {where}  {MARK[f.severity][0]}  {f.rule}  "
    one_cell = _one_cell_head(f.file, f.severity, f.rule)
    room = width - (len(head) if one_cell else pt.cells(head))
    if room >= MESSAGE_ROOM:
        body = _body(f.message, f.fix, room, width)
        if body is None:
            return None, False
        first, rest, fits = body
        line = head + first
        return [line, *rest], fits and one_cell and len(line) <= width
    # the message below the location, mark and rule (wrapped with an indent)
    fix = _wrapped_fix(f.fix, width - 6) if f.fix else ()
    where_lines = pt.wrapped_plain(head[2:].rstrip(), width - 4)
    message = pt.wrapped_plain(f.message, width - 6)
    if where_lines is not None and message is not None and fix is not None:
        lines = [f"  {where_lines[0]}", *(f"    {line}" for line in where_lines[1:]),
                 *(f"      {line}" for line in (*message, *fix))]
        return lines, _fit(lines, width)
    return None, False


class _FindingText:
    """Each finding's lines at ``width`` as ``_finding_lines`` gives them, for a report of
    thousands of findings whose messages all differ (a 10,000-stage plan's 33,593 name
    their stage), each laid out in one pass: the parts of its head that are the same for
    each file, severity and rule, whether they are one-cell text, and each fix's lines,
    worked out once (``heads``, ``fixes``); a message of one-cell characters one space
    apart, none longer than its room, divided where ``plaintext._divided_simply`` divides
    it.  Any other finding goes through ``_finding_lines``."""

    def __init__(self, width: int) -> None:
        self.width = width
        # (file, severity, rule) -> its head before the line number, the head of a
        # finding with none, the rest of the head, whether all of it is one-cell text
        self.heads: dict[tuple[str, Severity, str], tuple[str, str, str, bool]] = {}
        self.fixes: dict[str, tuple[str, ...] | None] = {}  # the fix's lines, indented

    def add(self, f: Finding, out: list[str]) -> bool:
        """Put ``f``'s lines on ``out``; whether each is one-cell text no wider than the
        width (else nothing is put, and the report is left to rich)."""
        width = self.width
        key = (f.file, f.severity, f.rule)
        parts = self.heads.get(key)
        if parts is None:
            parts = self.heads[key] = (
                f"  {f.file}:", f"  {f.file}", f"  {MARK[f.severity][0]}  {f.rule}  ",
                _one_cell_head(f.file, f.severity, f.rule))
        number = f.subject.line
        head = f"{parts[0]}{number}{parts[2]}" if number else f"{parts[1]}{parts[2]}"
        room = width - len(head)
        message = f.message
        fix_lines = self._fix_lines(f.fix) if f.fix else ()
        if parts[3] and room >= MESSAGE_ROOM and fix_lines is not None and \
                message.isascii() and message.isprintable() and message[:1] != " " and \
                "  " not in message:
            end = len(message.rstrip(" "))
            if end <= room:  # (the whole message beside the head)
                out.append(head + message.rstrip())
                out.extend(fix_lines)
                return True
            lines = []
            start = 0
            rfind = message.rfind
            while end > start + room:
                limit = start + room
                if message[limit] == " ":
                    cut = limit + 1
                else:
                    cut = rfind(" ", start, limit) + 1
                    if cut == 0:  # (a word longer than the room: folded, below)
                        break
                lines.append(message[start:cut].rstrip())
                start = cut
            else:
                lines.append(message[start:].rstrip())
                pad = " " * len(head)
                out.append(head + lines[0])
                out.extend([pad + line for line in lines[1:]])
                out.extend(fix_lines)
                return True
        found, fits = _finding_lines(f, width)
        if found is None or not fits:
            return False
        out.extend(found)
        return True

    def _fix_lines(self, fix: str) -> tuple[str, ...] | None:
        """A fix's lines below its finding, indented; None where they are not one-cell
        text no wider than the width."""
        if fix in self.fixes:
            return self.fixes[fix]
        wrapped = _wrapped_fix(fix, self.width - 6)
        lines = None if wrapped is None else tuple(f"      {line}" for line in wrapped)
        found = self.fixes[fix] = lines if lines is not None and _fit(lines, self.width) \
            else None
        return found


def _fit(lines: Sequence[str], width: int) -> bool:
    """Whether every line is one-cell text no wider than ``width``."""
    return all(pt.one_cell_each(line) and len(line) <= width for line in lines)


@lru_cache(maxsize=1024)
def _one_cell_head(file: str, severity: Severity, rule: str) -> bool:
    """Whether a finding's location, mark and rule are one-cell text, whatever its line
    (digits, which are): then the head's width is its length."""
    return pt.one_cell_each(f"{file}:0{MARK[severity][0]}{rule}")


@lru_cache(maxsize=1024)
def _body(message: str, fix: str, room: int, width: int
          ) -> tuple[str, tuple[str, ...], bool] | None:
    """A finding's message wrapped to ``room`` beside its head (the first line, to follow
    the head) and the lines below it, with its fix; whether those are one-cell text no
    wider than ``width`` (they are, as parts of such texts); None where the message or
    fix is not one-cell text."""
    lines = pt.wrapped_plain(message, room)
    wrapped_fix = _wrapped_fix(fix, width - 6) if fix else ()
    if lines is None or wrapped_fix is None:
        return None
    pad = " " * (width - room)
    rest = (*(pad + line for line in lines[1:]), *("      " + line for line in wrapped_fix))
    # (each line is part of a one-cell text, or spaces: only its length is in doubt)
    return lines[0], rest, all(len(line) <= width for line in rest)


@lru_cache(maxsize=256)
def _wrapped_fix(fix: str, width: int) -> tuple[str, ...] | None:
    """A finding's fix, wrapped (``plaintext.wrapped_plain``): once for each rule's fix
    and width, as a report of 30,000 findings has about a hundred fixes."""
    lines = pt.wrapped_plain(f"fix: {fix}", width)
    return None if lines is None else tuple(lines)


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the summary (wrapped as rich wraps a text), set in ``style``."""

    text: str
    style: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A table of the summary: drawn as a table where it fits, else each row in words."""

    headers: list[str]
    rows: list[list[str]]
    wrap: list[bool]
    in_words: Callable[[Sequence[str]], str]


def summary_parts(report: Report) -> list[Line | Table]:
    """The summary for reviewers: its lines and tables, in order."""
    s = summarise(report)
    parts: list[Line | Table] = [Line("Summary for reviewers", "bold underline")]
    parts.append(Line(f"Stages with a lived-experience touchpoint: {s.covered} of {s.stages}"
                      f"  ·  reaching co-design or deeper: {round(s.deep_share * 100)}%"))
    depth_rows: list[list[str]] = []
    rungs: dict[tuple[str | None, int], str] = {}  # each rung's cell, made once
    for d in s.depths:
        cell = rungs.get((d.rung, d.rank))
        if cell is None:
            rung = LADDER.label(d.rung) if d.rung else "none"
            cell = rungs[d.rung, d.rank] = f"{rung_bar(d.rank)} {rung}"
        flag = ""
        if not d.covered or d.errors or d.reason:
            flag = "" if d.covered else "✖ no lived experience"
            if d.errors:
                flag += f"  ✖ {d.errors} error{'s' if d.errors != 1 else ''}"
            if d.reason:
                flag += f"  (why: {d.reason})"
            flag = flag.strip()
        depth_rows.append([d.title, cell, flag])
    headers = ["Stage", "Deepest rung", ""]
    if not any(row[2] for row in depth_rows):
        headers, depth_rows = headers[:2], [row[:2] for row in depth_rows]
    parts.append(Line("How deep each stage goes (ladder of co-production)", "bold"))
    parts.append(Table(headers, depth_rows, [True, False, True][:len(headers)],
                       lambda row: f"{row[0]}: {row[1]}" + (f"  {row[2]}" if len(row) > 2
                                                             and row[2] else "")))
    if s.people:
        matrix_rows: list[list[str]] = []
        for person in s.people:
            row = s.matrix[person]
            matrix_rows.append([person, *(ROLE.label(row[p]) if row.get(p) else
                                          ("(no role)" if p in row else "–")
                                          for p in IM_PHASES)])
        parts.append(Line("Involvement Matrix: highest role per phase", "bold"))
        parts.append(Table(
            ["Person", *(p.capitalize() for p in IM_PHASES)], matrix_rows,
            [True] * (len(IM_PHASES) + 1),
            lambda row: f"{row[0]}: " + ", ".join(
                f"{phase} {role}" for phase, role in zip(IM_PHASES, row[1:], strict=True))))
    if s.finish:
        checkpoints = count(s.checkpoints, "reflection checkpoint")
        if s.added_days:
            parts.append(Line(
                f"Slowing down: co-production moves the end {plain_days(s.added_days)} later "
                f"(finish {s.finish} instead of {s.finish_without}). The plan sets aside "
                f"{plain_days(s.stage_buffer_days)} of slow-down time after stages (some side "
                f"by side), a project buffer of {plain_days(s.project_buffer_days)}, and "
                f"{checkpoints}."))
        else:
            parts.append(Line(
                f"Slowing down: the plan sets aside no time for it, so the end ({s.finish}) is "
                f"where it would be without co-production; it has {checkpoints}."))
        must = report.plan.project.finish_by
        if must is not None and report.schedule is not None:
            spare = (must - report.schedule.finish).days
            parts.append(Line(
                f"The plan must finish by {must}: {calendar_days(spare)} to spare."
                if spare >= 0 else
                f"The plan must finish by {must}: it ends {calendar_days(-spare)} after that."))
    if report.skipped:
        parts.append(Line("Rules switched off:", "bold"))
        for rule_id, reason in sorted(report.skipped.items()):
            parts.append(Line(f"  {rule_id}: {reason}"))
    return parts


def accepted_parts(report: Report) -> list[Line]:
    """The findings the plan accepts one at a time, each with its reason, after the
    findings that count: readers see what was accepted and why."""
    if not report.accepted:
        return []
    parts = [Line("Accepted with a reason (not counted):", "bold")]
    for f in report.accepted:
        where = f"{f.file}:{f.line}" if f.line else f.file
        parts.append(Line(f"  {where}  {f.severity.label}  {f.rule}  {f.message}"))
        parts.append(Line(f"      accepted: {f.accepted}", "italic"))
    parts.append(Line(""))
    return parts


def verdict_parts(report: Report) -> tuple[str, str]:
    """The verdict's two parts: the mark and verdict (set in bold), and the counts."""
    counts = (f"{count(report.errors, 'error')}, {count(report.warnings, 'warning')}, "
              f"{count(report.infos, 'note')}")
    mark = "✖" if report.errors else ("✎" if report.draft else "✔")
    rest = counts + f" from {count(len(report.rules), 'rule')}."
    if report.plan.project.claims_coproduction:
        rest += " The plan says it is co-produced, so the stricter rules count as errors."
    if report.draft and not report.errors:
        # (a draft's placeholders are warnings, so that a team can keep committing it while
        # they agree things: what passing means then is said, not left to be guessed)
        rest += (" A draft passes the check (exit status 0) while it is worked on; "
                 "coplan check --strict turns it away, as a gate for a plan handed in should.")
    for lowered in report.lowered:
        rest += f"\nThreshold lowered: {lowered.describe()}."
    return f"{mark} {report.verdict()} ", rest


def _printed(text: str, width: int) -> list[str] | None:
    """What rich prints for a text (its lines apart, each wrapped) at ``width``."""
    out: list[str] = []
    for part in text.split("\n"):
        lines = pt.printed(part, width) if part else [""]
        if lines is None:
            return None
        out.extend(lines)
    return out


def plain_report(report: Report, width: int, *, summary: bool = True) -> str | None:
    """The characters ``report_text.print_report`` writes at ``width`` where rich prints
    plain text (``plaintext.plain_width``); None where any text is not one-cell
    characters or could be read as markup, to be printed by rich."""
    if width < 16:
        return None
    out: list[str] = []

    def add(text: str) -> bool:
        lines = pt.printed(text, width)
        if lines is not None:
            out.extend(lines)
        return lines is not None

    top = pt.printed(f"coplan check: {report.plan.project.title} ({report.plan.file_name})",
                     width)
    if top is None:
        return None
    out.extend(top)
    out.append("")
    finding_text = _FindingText(width)
    for title, findings in finding_groups(report):
        if not add(title):
            return None
        for finding in findings:
            if not finding_text.add(finding, out):
                return None
        out.append("")
    for line in accepted_parts(report):
        if not add(line.text):
            return None
    if summary:
        for part in summary_parts(report):
            if isinstance(part, Line):
                if not add(part.text):
                    return None
                continue
            if any(pt.as_printed_cell(c) is None
                   for c in {c for row in [part.headers, *part.rows] for c in row}):
                return None
            table = pt.table_lines(part.headers, part.rows, part.wrap, width,
                                   in_words=part.in_words)
            if table is None:
                return None
            out.extend(table)
        out.append("")
    verdict = _printed("".join(verdict_parts(report)), width)
    if verdict is None:
        return None
    out.extend(verdict)
    return "\n".join(out) + "\n"  # (out has the title's line at least)
