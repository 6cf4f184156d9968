"""``coplan check`` for people: findings grouped by stage, then the summary at a glance.

Severity is shown by a symbol and a word, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from coplan.durations import plain_days
from coplan.review.engine import Finding, Severity
from coplan.review.runner import Report
from coplan.review.summary import IM_PHASES, rung_bar, summarise
from coplan.vocab import LADDER, ROLE

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


Row = list[tuple[str, str]]  # one line of the report: its pieces, each with its style


def finding_rows(report: Report) -> Iterator[Row]:
    """The findings, grouped by stage, one line of the report at a time."""
    groups: dict[tuple[int, str], list[Finding]] = {}
    positions = {s.id: i for i, s in enumerate(report.plan.stages)}  # once, not per finding
    for finding in report.findings:
        groups.setdefault(_group_key(positions, finding), []).append(finding)
    for (_, name), findings in sorted(groups.items()):
        stage = report.plan.stage(name)
        heading = f"Stage: {stage.title} ({name})" if stage else name
        yield [(heading, "bold underline")]
        for f in sorted(findings, key=lambda f: (-f.severity, f.line, f.rule)):
            label, style = MARK[f.severity]
            yield [("  ", ""), (f"{f.file}:{f.line}" if f.line else f.file, "dim"), ("  ", ""),
                   (label, style), (f"  {f.rule}  ", "bold"), (f.message, "")]
            if f.fix:
                yield [(f"      fix: {f.fix}", "italic")]
        yield []


def render_findings(report: Report) -> RenderableType:
    parts: list[RenderableType] = []
    for row in finding_rows(report):
        if len(row) == 1:
            parts.append(Text(row[0][0], style=row[0][1]))
            continue
        line = Text()
        for piece, style in row:
            line.append(piece, style=style or None)
        parts.append(line)
    return Group(*parts)


def _plain_lines(console: Console, rows: Iterable[Row]) -> list[str] | None:
    """The lines ``console`` would print for ``rows`` where it prints plain text (to a
    file, a pipe, a CI log), worked out without drawing each line with rich: a line that
    fits is printed as it is, and a longer one is wrapped by rich's own ``Text.wrap``, as
    ``console.print`` would.  None where the console draws styles, or a line would be
    wider than the console even so (rich would crop it)."""
    if console.color_system is not None or console.record or console.is_jupyter:
        return None
    width = console.width
    out: list[str] = []
    for row in rows:
        line = "".join(piece for piece, _ in row)
        if len(line) <= width and line.isprintable() and cell_len(line) <= width:
            out.append(line)
            continue
        for part in Text(line).wrap(console, width, justify="default", overflow="fold",
                                    tab_size=console.tab_size or 8):
            text = part.plain
            if cell_len(text) > width:
                return None
            out.append(text)
    return out


def render_summary(report: Report) -> RenderableType:
    s = summarise(report)
    parts: list[RenderableType] = [Text("Summary for reviewers", style="bold underline")]
    parts.append(Text(f"Stages with a lived-experience touchpoint: {s.covered} of {s.stages}"
                      f"  ·  reaching co-design or deeper: {round(s.deep_share * 100)}%"))
    depth = Table(title="How deep each stage goes (ladder of co-production)",
                  title_justify="left", show_edge=False, pad_edge=False, box=None)
    depth.add_column("Stage", overflow="fold")
    depth.add_column("Deepest rung", no_wrap=True)
    depth.add_column("", no_wrap=True)
    for d in s.depths:
        rung = LADDER.label(d.rung) if d.rung else "none"
        flag = "" if d.covered else "  ✖ no lived experience"
        if d.errors:
            flag += f"  ✖ {d.errors} error{'s' if d.errors != 1 else ''}"
        if d.reason:
            flag += f"  (why: {d.reason})"
        depth.add_row(d.title, f"{rung_bar(d.rank)} {rung}", flag)
    parts.append(depth)
    if s.people:
        grid = Table(title="Involvement Matrix: highest role per phase", title_justify="left",
                     show_edge=False, pad_edge=False, box=None)
        grid.add_column("Person")
        for phase in IM_PHASES:
            grid.add_column(phase.capitalize())
        for person in s.people:
            row = s.matrix[person]
            grid.add_row(person, *(ROLE.label(row[p]) if row.get(p) else
                                   ("(no role)" if p in row else "–") for p in IM_PHASES))
        parts.append(grid)
    if s.finish:
        parts.append(Text(
            f"Slowing down: co-production moves the end {plain_days(s.added_days)} later "
            f"(finish {s.finish} instead of {s.finish_without}). The plan sets aside "
            f"{plain_days(s.stage_buffer_days)} of slow-down time after stages (some side by "
            f"side), a project buffer of {plain_days(s.project_buffer_days)}, and "
            f"{s.checkpoints} reflection checkpoints."))
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
    counts = (f"{report.errors} error{'s' if report.errors != 1 else ''}, "
              f"{report.warnings} warning{'s' if report.warnings != 1 else ''}, "
              f"{report.infos} note{'s' if report.infos != 1 else ''}")
    mark = "✖" if report.errors else ("✎" if report.draft else "✔")
    text.append(f"{mark} {report.verdict()} ", style="bold")
    text.append(counts + f" from {len(report.rules)} rules.")
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
        plain = _plain_lines(console, finding_rows(report))
        if plain is None:
            console.print(render_findings(report))
        else:  # thousands of findings: rich would draw each line, styles and all
            console.file.write("".join(f"{line}\n" for line in plain))
    if summary:
        console.print(render_summary(report))
        console.print()
    console.print(verdict(report))
