"""``coplan check`` for people: findings grouped by stage, then the summary at a glance.

Severity is shown by a symbol and a word, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.text import Text

from coplan.review.engine import Finding
from coplan.review.report_plain import (
    MARK,
    MESSAGE_ROOM,
    Line,
    accepted_parts,
    finding_groups,
    finding_lines,
    summary_parts,
    verdict_parts,
)
from coplan.review.runner import Report
from coplan.screentext import Cell, FittedTable, cells, indented, wrapped


class _FindingLine:
    """One finding, laid out for the width it is printed at.

    When the location, mark and rule leave room for a readable message beside them, the
    message wraps beside them at word boundaries; on a narrow screen it goes on its own
    indented lines instead, so no word is ever split and every line keeps its indent.
    """

    MESSAGE_ROOM = MESSAGE_ROOM

    def __init__(self, finding: Finding) -> None:
        self.finding = finding

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.lines(console, options.max_width)

    def plain_lines(self, console: Console, width: int) -> list[str]:
        """The text of ``lines`` at ``width``, worked out as plain strings where the
        message and fix are one-cell text (``report_plain.finding_lines``), else by
        ``lines``."""
        plain = finding_lines(self.finding, width)
        if plain is not None:
            return plain
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
    for title, findings in finding_groups(report):
        yield Text(title, style="bold underline")
        for f in findings:
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
    parts: list[RenderableType] = []
    for part in summary_parts(report):
        if isinstance(part, Line):
            parts.append(Text(part.text, style=part.style))
            continue
        parts.append(FittedTable(part.headers, part.rows, wrap=part.wrap,
                                 as_lines=_in_words(part.in_words)))
    return Group(*parts)


def _in_words(words: Callable[[Sequence[str]], str]) -> Callable[[Sequence[Cell]], Text]:
    """A summary table's row in words, as a text for ``FittedTable``."""
    return lambda row: Text(words([c.plain if isinstance(c, Text) else c for c in row]))


def verdict(report: Report) -> Text:
    text = Text()
    head, rest = verdict_parts(report)
    text.append(head, style="bold")
    text.append(rest)
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
    for line in accepted_parts(report):
        console.print(Text(line.text, style=line.style))
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
