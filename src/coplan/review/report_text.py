"""``coplan check`` for people: findings grouped by stage, then the summary at a glance.

Severity is shown by a symbol and a word, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text

from coplan.durations import plain_days
from coplan.review.engine import Finding, Severity
from coplan.review.runner import Report
from coplan.review.summary import IM_PHASES, rung_bar, summarise
from coplan.screentext import Cell, FittedTable, cells, heading, indented, wrapped, wrapped_plain
from coplan.vocab import LADDER, ROLE
from coplan.words import count

MARK = {Severity.ERROR: ("✖ error", "bold red"), Severity.WARNING: ("▲ warning", "yellow"),
        Severity.INFO: ("● info", "cyan")}


def _group_key(positions: dict[str, int], finding: Finding) -> tuple[int, str]:
    stage = finding.subject.stage or (finding.subject.id if finding.subject.kind == "stage"
                                      else "")
    if stage:
        return (positions.get(stage, 10**6) + 2, stage)
    if finding.subject.kind in ("person",):
        return (1, "People")
    return (0, "The whole plan")


class _FindingLine:
    """One finding, laid out for the width it is printed at.

    When the location, mark and rule leave room for a readable message beside them, the
    message wraps beside them at word boundaries; on a narrow screen it goes on its own
    indented lines instead, so no word is ever split and every line keeps its indent.
    """

    MESSAGE_ROOM = 36  # narrower than this beside the rule, and the message goes below

    def __init__(self, finding: Finding) -> None:
        self.finding = finding

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.lines(console, options.max_width)

    def plain_lines(self, console: Console, width: int) -> list[str]:
        """The text of ``lines`` at ``width``, worked out as plain strings where the
        message and fix are plain ASCII (``wrapped_plain``), else by ``lines``."""
        f = self.finding
        head = f"  {f'{f.file}:{f.line}' if f.line else f.file}  {MARK[f.severity][0]}  {f.rule}  "
        room = width - cells(head)
        fix = wrapped_plain(f"fix: {f.fix}", width - 6) if f.fix else []
        if room >= self.MESSAGE_ROOM:
            message = wrapped_plain(f.message, room)
            if message is not None and fix is not None:
                pad = " " * (width - room)
                return [head + message[0], *(pad + line for line in message[1:]),
                        *("      " + line for line in fix)]
        else:  # the message below the location, mark and rule (wrapped with an indent)
            where = wrapped_plain(head[2:].rstrip(), width - 4)
            message = wrapped_plain(f.message, width - 6)
            if where is not None and message is not None and fix is not None:
                return [f"  {where[0]}", *(f"    {line}" for line in where[1:]),
                        *(f"      {line}" for line in (*message, *fix))]
        return [line.plain for line in self.lines(console, width)]

    def lines(self, console: Console, width: int) -> Iterator[Text]:
        """The finding's lines at ``width``."""
        f = self.finding
        label, style = MARK[f.severity]
        head = Text("  ")
        head.append(f"{f.file}:{f.line}" if f.line else f.file, style="dim")
        head.append("  ")
        head.append(label, style=style)
        head.append(f"  {f.rule}  ", style="bold")
        if width - head.cell_len >= self.MESSAGE_ROOM:
            lines = wrapped(console, Text(f.message), width - head.cell_len)
            yield head + lines[0]
            yield from (Text(" " * head.cell_len) + line for line in lines[1:])
        else:
            head.rstrip()
            yield from indented(console, head[2:], width, 4, first=Text("  "))
            yield from (Text(" " * 6) + line for line in wrapped(console, Text(f.message),
                                                                  width - 6))
        if f.fix:
            fix = Text(f"fix: {f.fix}", style="italic")
            yield from (Text(" " * 6) + line for line in wrapped(console, fix, width - 6))


def _findings_parts(report: Report) -> Iterator[Text | _FindingLine]:
    """The findings grouped by stage: each group's heading, its findings, a blank line."""
    groups: dict[tuple[int, str], list[Finding]] = {}
    positions = {s.id: i for i, s in enumerate(report.plan.stages)}  # once, not per finding
    for finding in report.findings:
        groups.setdefault(_group_key(positions, finding), []).append(finding)
    for (_, name), findings in sorted(groups.items()):
        stage = report.plan.stage(name)
        title = f"Stage: {stage.title} ({name})" if stage else name
        yield Text(title, style="bold underline")
        for f in sorted(findings, key=lambda f: (-f.severity, f.line, f.rule)):
            yield _FindingLine(f)
        yield Text("")


def render_findings(report: Report) -> RenderableType:
    return Group(*_findings_parts(report))


def _plain_findings(console: Console, report: Report) -> list[str] | None:
    """The lines ``console`` would print for the findings where it prints plain text (to a
    file, a pipe, a CI log), worked out without drawing each line with rich: the same
    lines, and a line too long for the console (a heading) wrapped by rich's own
    ``Text.wrap`` as ``console.print`` would.  None where the console draws styles, or
    where rich would have to crop a line."""
    if not _plain(console):
        return None
    width = console.width
    out: list[str] = []
    for part in _findings_parts(report):
        lines = part.plain_lines(console, width) if isinstance(part, _FindingLine) \
            else [part.plain]
        for text in lines:
            if text.isprintable() and cells(text) <= width:
                out.append(text)
                continue
            for piece in Text(text).wrap(console, width, justify="default",
                                         overflow="fold", tab_size=console.tab_size or 8):
                if cell_len(piece.plain) > width:
                    return None
                out.append(piece.plain)
    return out


def _plain(console: Console) -> bool:
    """Whether ``console`` prints plain text (to a file, a pipe, a CI log)."""
    return console.color_system is None and not console.record and not console.is_jupyter


def render_summary(report: Report) -> Group:
    s = summarise(report)
    parts: list[RenderableType] = [Text("Summary for reviewers", style="bold underline")]
    parts.append(Text(f"Stages with a lived-experience touchpoint: {s.covered} of {s.stages}"
                      f"  ·  reaching co-design or deeper: {round(s.deep_share * 100)}%"))
    depth_rows: list[list[Cell]] = []
    for d in s.depths:
        rung = LADDER.label(d.rung) if d.rung else "none"
        flag = "" if d.covered else "✖ no lived experience"
        if d.errors:
            flag += f"  ✖ {d.errors} error{'s' if d.errors != 1 else ''}"
        if d.reason:
            flag += f"  (why: {d.reason})"
        depth_rows.append([d.title, f"{rung_bar(d.rank)} {rung}", flag.strip()])
    headers = ["Stage", "Deepest rung", ""]
    if not any(row[2] for row in depth_rows):
        headers, depth_rows = headers[:2], [row[:2] for row in depth_rows]
    parts.append(heading("How deep each stage goes (ladder of co-production)"))
    parts.append(FittedTable(
        headers, depth_rows, wrap=[True, False, True][:len(headers)],
        as_lines=lambda row: Text(f"{row[0]}: {row[1]}" + (f"  {row[2]}" if len(row) > 2
                                                            and row[2] else ""))))
    if s.people:
        matrix_rows: list[list[Cell]] = []
        for person in s.people:
            row = s.matrix[person]
            matrix_rows.append([person, *(ROLE.label(row[p]) if row.get(p) else
                                          ("(no role)" if p in row else "–")
                                          for p in IM_PHASES)])
        parts.append(heading("Involvement Matrix: highest role per phase"))
        parts.append(FittedTable(
            ["Person", *(p.capitalize() for p in IM_PHASES)], matrix_rows,
            wrap=[True] * (len(IM_PHASES) + 1),
            as_lines=lambda row: Text(f"{row[0]}: " + ", ".join(
                f"{phase} {role}" for phase, role in zip(IM_PHASES, row[1:], strict=True)))))
    if s.finish:
        checkpoints = count(s.checkpoints, "reflection checkpoint")
        if s.added_days:
            parts.append(Text(
                f"Slowing down: co-production moves the end {plain_days(s.added_days)} later "
                f"(finish {s.finish} instead of {s.finish_without}). The plan sets aside "
                f"{plain_days(s.stage_buffer_days)} of slow-down time after stages (some side "
                f"by side), a project buffer of {plain_days(s.project_buffer_days)}, and "
                f"{checkpoints}."))
        else:
            parts.append(Text(
                f"Slowing down: the plan sets aside no time for it, so the end ({s.finish}) is "
                f"where it would be without co-production; it has {checkpoints}."))
        must = report.plan.project.finish_by
        if must is not None and report.schedule is not None:
            spare = (must - report.schedule.finish).days
            parts.append(Text(
                f"The plan must finish by {must}: {spare} day{'s' if spare != 1 else ''} to "
                "spare." if spare >= 0 else
                f"The plan must finish by {must}: it ends {-spare} "
                f"day{'s' if spare != -1 else ''} after that."))
    if report.skipped:
        parts.append(Text("Rules switched off:", style="bold"))
        for rule_id, reason in sorted(report.skipped.items()):
            parts.append(Text(f"  {rule_id}: {reason}"))
    return Group(*parts)


def verdict(report: Report) -> Text:
    text = Text()
    counts = (f"{count(report.errors, 'error')}, {count(report.warnings, 'warning')}, "
              f"{count(report.infos, 'note')}")
    mark = "✖" if report.errors else ("✎" if report.draft else "✔")
    text.append(f"{mark} {report.verdict()} ", style="bold")
    text.append(counts + f" from {count(len(report.rules), 'rule')}.")
    if report.plan.project.claims_coproduction:
        text.append(" The plan says it is co-produced, so the stricter rules count as errors.")
    for lowered in report.lowered:
        text.append(f"\nThreshold lowered: {lowered.describe()}.")
    return text


def print_report(report: Report, console: Console | None = None, *,
                 summary: bool = True) -> None:
    console = console or Console()
    console.print(Text(f"coplan check: {report.plan.project.title} ({report.plan.file_name})",
                       style="bold"))
    console.print()
    if report.findings:
        plain = _plain_findings(console, report)
        if plain is None:
            console.print(render_findings(report))
        else:  # thousands of findings: rich would draw each line again, styles and all
            console.file.write("".join(f"{line}\n" for line in plain))
    if summary:
        parts = render_summary(report)
        if _plain(console):  # each table's rows written as they are (thousands of stages)
            for part in parts.renderables:
                lines = part.plain_lines(console, console.width) \
                    if isinstance(part, FittedTable) else None
                if lines is None:
                    console.print(part)
                else:
                    console.file.write("".join(f"{line}\n" for line in lines))
        else:
            console.print(parts)
        console.print()
    console.print(verdict(report))
