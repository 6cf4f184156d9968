"""The text report's quick ways against the plain ones they replace: each finding's lines
made from a message wrapped once for its room (``report_plain._body``), the table of
10,000 stages laid out once for each distinct row (``plaintext.table_lines``), and the
reviewer's summary passing over touchpoints like one before them (``summary.summarise``).
Each plain way is kept here as it was first written."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coplan import plaintext as pt
from coplan.review.engine import Finding, Severity, Subject
from coplan.review.report_plain import MARK, MESSAGE_ROOM, finding_lines, plain_report
from test_screentext_plain import _drawn_report, _reviewed

ROOT = Path(__file__).resolve().parents[2]
MINDS = ROOT / "examples" / "minds-discharge.toml"


def _finding_lines_plain(f: Finding, width: int) -> list[str] | None:
    """``finding_lines`` as first written: every message wrapped for every finding."""
    head = f"  {f'{f.file}:{f.line}' if f.line else f.file}  {MARK[f.severity][0]}  {f.rule}  "
    room = width - pt.cells(head)
    fix = pt.wrapped_plain(f"fix: {f.fix}", width - 6) if f.fix else ()
    if room >= MESSAGE_ROOM:
        message = pt.wrapped_plain(f.message, room)
        if message is not None and fix is not None:
            pad = " " * (width - room)
            return [head + message[0], *(pad + line for line in message[1:]),
                    *("      " + line for line in fix)]
        return None
    where = pt.wrapped_plain(head[2:].rstrip(), width - 4)
    message = pt.wrapped_plain(f.message, width - 6)
    if where is not None and message is not None and fix is not None:
        return [f"  {where[0]}", *(f"    {line}" for line in where[1:]),
                *(f"      {line}" for line in (*message, *fix))]
    return None


def _fits_plain(lines: list[str] | None, width: int) -> bool:
    """What ``plain_report`` asked of each finding's lines as first written."""
    return lines is not None and not any(not pt.one_cell_each(line) or len(line) > width
                                         for line in lines)


_TEXTS = st.lists(st.sampled_from(["Say", "how", "people", "hear", "back", "in", "—", "é",
                                   "a-very-long-word-that-does-not-fit-anywhere-at-all",
                                   " ", "界", "\u200b", "[bold]", ":smile:", "Amara's"]),
                  max_size=24).map(" ".join)
_FINDINGS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 2),
                               st.integers(0, 2), st.sampled_from(list(Severity)),
                               st.integers(0, 100_000)), min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(st.lists(_TEXTS, min_size=4, max_size=4), st.lists(_TEXTS, min_size=4, max_size=4),
       _FINDINGS, st.integers(8, 160))
def test_each_findings_lines_are_what_the_plain_way_gives(messages: list[str],
                                                          fixes: list[str],
                                                          picks: list[tuple], width: int
                                                          ) -> None:
    """Findings that share messages, fixes, rules and files, on any line: each one's
    lines, and whether the report may take them as they are, as the plain way says."""
    from coplan.review.report_plain import _finding_lines

    rules = ["CP-COM-001", "CP-PRI-001", "CP-界-002"]
    files = ["plan.toml", "plans/é.toml", "计划.toml"]
    for m, x, r, f, severity, line in picks * 2:  # (a second time, from what was kept)
        finding = Finding(rules[r], severity, messages[m], Subject("stage", "s", "s", line),
                          fixes[x], files[f])
        plain = _finding_lines_plain(finding, width)
        assert finding_lines(finding, width) == plain
        assert _finding_lines(finding, width) == (plain, _fits_plain(plain, width))


# Messages as a large plan's are (ASCII words one space apart, some ending in a space),
# with now and then a word longer than the room beside the head or two spaces.
_ASCII_TEXTS = st.tuples(st.lists(st.sampled_from(
    ["Say", "how", "people", "hear", "back", "in", "'Stage 12'", ":", "a",
     "a-word-longer-than-the-room-beside-the-head-of-a-finding"]), min_size=1, max_size=30),
    st.sampled_from(["", "", "", " ", "  "])).map(lambda t: " ".join(t[0]) + t[1])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_ASCII_TEXTS, _TEXTS), min_size=4, max_size=4),
       st.lists(_TEXTS, min_size=4, max_size=4), _FINDINGS, st.integers(16, 160))
def test_findings_laid_out_in_one_pass_are_what_the_plain_way_gives(
        messages: list[str], fixes: list[str], picks: list[tuple], width: int) -> None:
    """A report's findings, each laid out in one pass (``_FindingText``, which the plain
    report uses): the lines the plain way gives where they fit, and none where not."""
    _laid_out_alike(messages, fixes, picks, width, ["CP-COM-001", "CP-PRI-001", "CP-界-002"],
                    ["plan.toml", "plans/é.toml", "计划.toml"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_ASCII_TEXTS, min_size=4, max_size=4),
       st.lists(st.sampled_from(["", "Say how.", "Add a line: 'who hears back'.",
                                 "Add it " * 12]), min_size=4, max_size=4),
       _FINDINGS, st.integers(70, 130))
def test_a_large_plans_findings_laid_out_in_one_pass_are_what_the_plain_way_gives(
        messages: list[str], fixes: list[str], picks: list[tuple], width: int) -> None:
    """The same for findings as a large plan's are: ASCII messages one space apart, each
    beside its head, some ending in a space, some with a word longer than the room."""
    _laid_out_alike(messages, fixes, picks, width, ["CP-COM-001", "CP-PRI-001", "CP-ACC-3"],
                    ["plan.toml", "plans/plan-10000.toml", "p.toml"])


def _laid_out_alike(messages: list[str], fixes: list[str], picks: list[tuple], width: int,
                    rules: list[str], files: list[str]) -> None:
    from coplan.review.report_plain import _FindingText

    text = _FindingText(width)
    for m, x, r, f, severity, line in picks * 2:  # (a second time, from what was kept)
        finding = Finding(rules[r], severity, messages[m], Subject("stage", "s", "s", line),
                          fixes[x], files[f])
        plain = _finding_lines_plain(finding, width)
        out: list[str] = []
        assert text.add(finding, out) == _fits_plain(plain, width)
        assert out == (plain if _fits_plain(plain, width) else [])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 2),
                          st.integers(0, 400)), min_size=1, max_size=40),
       st.integers(16, 160), st.booleans())
def test_a_report_of_many_alike_findings_is_what_rich_prints(picks: list[tuple],
                                                             width: int, summary: bool
                                                             ) -> None:
    """The MINDS example's report with its findings replaced by many that share their
    messages and fixes: the plain report is rich's, or steps aside where the plain way
    did."""
    report = _minds_report()
    pool = report.findings
    findings = [dataclasses.replace(pool[m % len(pool)], fix=pool[x % len(pool)].fix,
                                    severity=list(Severity)[s],
                                    subject=dataclasses.replace(pool[m % len(pool)].subject,
                                                                line=line))
                for m, x, s, line in picks]
    changed = dataclasses.replace(report, findings=findings)
    plain = plain_report(changed, width, summary=summary)
    assert plain == _drawn_report(changed, width, summary)


_REPORT: list = []


def _minds_report():  # type: ignore[no-untyped-def]
    if not _REPORT:
        _REPORT.append(_reviewed(MINDS.read_text(encoding="utf-8")))
    return _REPORT[0]


def _table_lines_plain(headers: Sequence[str], rows: Sequence[Sequence[str]],
                       wrap: Sequence[bool], width: int, *,
                       justify: Sequence[str] | None = None, rule: bool = False,
                       in_words=None) -> list[str] | None:  # type: ignore[no-untyped-def]
    """``plaintext.table_lines`` as first written: every row laid out, every cell
    divided, every cell's widths measured."""
    if not all(pt.one_cell_each(c) for row in [headers, *rows] for c in row):
        return None
    justify = list(justify) if justify else ["left"] * len(headers)
    widths = _column_widths_plain(headers, rows, wrap, width, gap=2)
    out: list[str] = []
    if widths is None:
        if in_words is None:
            return None
        for row in rows:
            lines = pt.wrapped_plain(in_words(row), width - 4)
            if lines is None:
                return None
            out.extend(("  " if n == 0 else "    ") + line for n, line in enumerate(lines))
        return out if all(len(line) <= width for line in out) else None
    if min(widths, default=0) < 1:
        return None
    for number, row in enumerate([headers, *rows]):
        columns = [(pt.divided(c, w) if wraps else [c]) if c else [""]
                   for c, w, wraps in zip(row, widths, wrap, strict=True)]
        if any(len(line) > w for lines, w in zip(columns, widths, strict=True)
               for line in lines):
            return None
        height = max(len(lines) for lines in columns)
        if number == 0:
            columns = [[""] * (height - len(lines)) + lines for lines in columns]
        for n in range(height):
            out.append(" ".join(
                pt._justified(lines[n] if n < len(lines) else "", w, how)
                for lines, w, how in zip(columns, widths, justify, strict=True)).rstrip())
        if number == 0 and rule:
            out.append("─" * (sum(widths) + 2 * (len(widths) - 1)))
    return out if all(len(line) <= width for line in out) else None


def _column_widths_plain(headers: Sequence[str], rows: Sequence[Sequence[str]],
                  wrap: Sequence[bool], room: int, gap: int = 2) -> list[int] | None:
    """``plaintext.column_widths`` as first written (every cell measured)."""
    columns = list(zip(headers, *rows, strict=False)) if rows else [(h,) for h in headers]
    most = [max(pt._width(c) for c in column) for column in columns]
    least = [max(pt._longest_word(c) for c in column) if w else m
             for column, w, m in zip(columns, wrap, most, strict=True)]
    room -= gap * (len(headers) - 1)
    if sum(most) <= room:
        return most
    if sum(least) > room:
        return None
    widths = list(least)
    spare = room - sum(widths)
    # Columns that need only a little more to sit on one line (a date, "on time") get it
    # first: a short value broken over two lines reads worse than a long title that wraps.
    for i in sorted(range(len(widths)), key=lambda i: most[i] - least[i]):
        want = most[i] - widths[i]
        if 0 < want <= pt.SMALL_WANT and want <= spare:
            widths[i] += want
            spare -= want
    wants = [m - n for m, n in zip(most, widths, strict=True)]
    total_want = sum(wants)
    for i, want in enumerate(wants):
        widths[i] += spare * want // total_want if total_want else 0
    # Hand out what integer division left over, one cell at a time, to columns still short.
    left = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: -(most[i] - widths[i])):
        if left <= 0:
            break
        if widths[i] < most[i]:
            widths[i] += 1
            left -= 1
    return widths



_CELLS = st.sampled_from(["", "Stage", "Agreeing the question and aims", "███████ Co-production",
                          "██····· Consultation", "a-very-long-word-that-does-not-fit",
                          "  leading spaces", "trailing  ", "é — ’", "界", "x" * 12,
                          "Hearing what matters about leaving hospital", "on time", "—"])


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(_CELLS, min_size=n, max_size=n),
    st.lists(st.lists(_CELLS, min_size=n, max_size=n), max_size=12),
    st.lists(st.booleans(), min_size=n, max_size=n),
    st.lists(st.sampled_from(["left", "right"]), min_size=n, max_size=n))),
    st.integers(4, 120), st.booleans(), st.booleans(), st.integers(1, 4))
def test_a_table_is_laid_out_as_the_plain_way_does(table: tuple, width: int, rule: bool,
                                                   words: bool, repeat: int) -> None:
    """Tables whose rows repeat (as each stage's rung does), with cells that fit their
    column and cells that must wrap: the same lines as laying out every row."""
    headers, rows, wrap, justify = table
    rows = [row for row in rows for _ in range(repeat)]
    in_words = (lambda row: ": ".join(row)) if words else None
    assert pt.table_lines(headers, rows, wrap, width, justify=justify, rule=rule,
                          in_words=in_words) == \
        _table_lines_plain(headers, rows, wrap, width, justify=justify, rule=rule,
                           in_words=in_words)
    assert pt.column_widths(headers, rows, wrap, width) == \
        _column_widths_plain(headers, rows, wrap, width)


def _matrix_plain(plan) -> tuple[dict, list]:  # type: ignore[no-untyped-def]
    """The summary's Involvement Matrix as first written: every touchpoint's people."""
    from coplan.review.summary import person_label
    from coplan.vocab import PHASE, ROLE

    matrix: dict[str, dict[str, str]] = {}
    order: list[str] = []
    for stage in plan.stages:
        im = PHASE[stage.phase].extra["im"] if stage.phase else "execution"
        for tp in stage.touchpoints:
            for person in plan.lived_in(tp.who):
                label = person_label(plan, person.id)
                if label not in matrix:
                    matrix[label] = {}
                    order.append(label)
                current = matrix[label].get(im)
                if tp.role and (not current or
                                ROLE[tp.role].rank > ROLE[current].rank):
                    matrix[label][im] = tp.role
                elif current is None:
                    matrix[label][im] = ""
    return matrix, order


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_the_summarys_matrix_is_what_every_touchpoint_gives(seed: int) -> None:
    """MINDS with its touchpoints' people, roles and stages' phases drawn at random (so
    that many touchpoints are alike and many are not): the matrix, the order of its
    people and each stage's coverage as the plain way gives them."""
    from coplan.planfile import parse_plan
    from coplan.review.runner import Report
    from coplan.review.summary import summarise
    from coplan.vocab import PHASE, ROLE

    rng = random.Random(seed)
    plan = parse_plan(MINDS.read_text(encoding="utf-8"))
    people = [p.id for p in plan.people]
    roles = [None, *(term.id for term in ROLE.terms)]
    phases = [None, *(term.id for term in PHASE.terms)]
    stages = []
    for stage in plan.stages:
        tps = tuple(dataclasses.replace(
            tp, role=rng.choice(roles),
            who=tuple(rng.sample(people, rng.randint(0, 3))) if rng.random() < 0.5 else
            tp.who) for tp in stage.touchpoints)
        stages.append(dataclasses.replace(stage, touchpoints=tps, phase=rng.choice(phases)))
    changed = dataclasses.replace(plan, stages=tuple(stages * 3))
    summary = summarise(Report(changed, None, [], []))
    matrix, order = _matrix_plain(changed)
    assert (summary.matrix, summary.people) == (matrix, order)
    assert [d.covered for d in summary.depths] == [
        any(changed.lived_in(t.who) for t in s.touchpoints) for s in changed.stages]


def test_the_plain_ways_kept_here_are_the_reports_own_on_the_example() -> None:
    """(So that the plain ways above stay what the report would do without its quick
    ones: the example's findings and tables at the widths people use.)"""
    from coplan.review.report_plain import summary_parts

    report = _minds_report()
    for width in (40, 80, 100, 120):
        for f in report.findings:
            assert finding_lines(f, width) == _finding_lines_plain(f, width)
        for part in summary_parts(report):
            if hasattr(part, "rows"):
                assert pt.table_lines(part.headers, part.rows, part.wrap, width,
                                      in_words=part.in_words) == \
                    _table_lines_plain(part.headers, part.rows, part.wrap, width,
                                       in_words=part.in_words)


def test_dividing_a_text_that_fits_gives_it_whole() -> None:
    """``table_lines`` divides only cells longer than their column: ``divided`` of one
    that fits is the text itself."""
    for text in ["", "a", "  a b  ", "word", "two words", "x" * 30, " " * 5]:
        for width in range(max(1, len(text)), len(text) + 4):
            assert pt.divided(text, width) == [text]


def test_a_role_written_after_a_touchpoint_without_one_is_the_persons_role() -> None:
    """A person's first touchpoint of a phase says no role and a later one does: the
    matrix shows the later one (the summary failed here, before any report was made)."""
    from coplan.planfile import parse_plan
    from coplan.review.runner import Report
    from coplan.review.summary import summarise

    plan = parse_plan('[project]\ntitle = "T"\nstart = 2027-01-11\n\n[[person]]\n'
                      'id = "amara"\nname = "Amara"\nshare_name = true\n'
                      'kind = "lived-experience"\n\n[[stage]]\nid = "a"\ntitle = "A"\n'
                      'duration = "2w"\n\n'
                      '  [[stage.touchpoint]]\n  id = "t1"\n  who = ["amara"]\n\n'
                      '  [[stage.touchpoint]]\n  id = "t2"\n  who = ["amara"]\n'
                      '  role = "partner"\n')
    assert summarise(Report(plan, None, [], [])).matrix == {"Amara": {"execution": "partner"}}


def _divided_plain(text: str, width: int) -> list[str]:
    """``plaintext.divided`` as first written: word by word."""
    import re
    from itertools import pairwise

    breaks: list[int] = []
    offset = 0
    for match in re.finditer(r"\s*\S+\s*", text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            pieces = [word[i:i + width] for i in range(0, len(word), width)]
            for piece in pieces[:-1]:
                if start:
                    breaks.append(start)
                start += len(piece)
            if start:
                breaks.append(start)
            offset = len(pieces[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    ends = [0, *breaks, len(text)]
    return [text[a:b][:width] for a, b in pairwise(ends)]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["a", "to", "the", "people", "hear", "back", "é", "—", "",
                                 "x" * 9, "界", "\u00a0", "\t", "(Touchpoint)"]),
                max_size=30),
       st.sampled_from([" ", " ", " ", "  ", "\u3000"]), st.integers(1, 40))
def test_dividing_words_one_space_apart_is_dividing_word_by_word(words: list[str], gap: str,
                                                                 width: int) -> None:
    """``divided``'s quick way (words one space apart, none longer than a line) against
    going word by word, with texts it must leave to the plain way too."""
    text = gap.join(words)
    for each in (text, text + " ", " " + text):
        assert pt.divided(each, width) == _divided_plain(each, width)


def _finding_groups_plain(report):  # type: ignore[no-untyped-def]
    """``report_plain.finding_groups`` as first written: each finding's group key worked
    out for it, each group sorted by a key made for each finding."""
    summary = getattr(report, "summary", None)
    titles = {d.stage: d.title for d in summary.depths} if summary is not None else \
        {s.id: s.title for s in report.plan.stages}
    positions = {sid: i for i, sid in enumerate(titles)}

    def key(f: Finding) -> tuple[int, str]:
        stage = f.subject.stage or (f.subject.id if f.subject.kind == "stage" else "")
        if stage:
            return (positions.get(stage, 10**6) + 2, stage)
        return (1, "People") if f.subject.kind == "person" else (0, "The whole plan")

    groups: dict[tuple[int, str], list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(key(finding), []).append(finding)
    return [(f"Stage: {titles[name]} ({name})" if name in titles else name,
             sorted(found, key=lambda f: (-f.severity, f.line, f.rule)))
            for (_, name), found in sorted(groups.items())]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["stage", "touchpoint", "person", "project",
                                           "meeting"]),
                          st.sampled_from(["", "s1", "s2", "gone", "People", "zz"]),
                          st.sampled_from(["", "s1", "s2", "gone"]),
                          st.sampled_from(list(Severity)), st.integers(0, 5),
                          st.sampled_from(["CP-COM-001", "CP-ACC-003", "CP-STG-001"])),
                max_size=40))
def test_findings_are_grouped_and_ordered_as_the_plain_way_does(picks: list[tuple]) -> None:
    """Findings about stages of the plan, stages it does not have, people and the whole
    plan, in any order: grouped by stage once per stage, as each finding's key did."""
    from coplan.review.report_plain import finding_groups

    report = _minds_report()
    stages = [s.id for s in report.plan.stages]
    findings = [Finding(rule, severity, f"{kind} {sid}",
                        Subject(kind, {"s1": stages[0], "s2": stages[-1]}.get(sid, sid),
                                {"s1": stages[0], "s2": stages[-1]}.get(stage, stage), line))
                for kind, sid, stage, severity, line, rule in picks]
    changed = dataclasses.replace(report, findings=findings)
    assert list(finding_groups(changed)) == _finding_groups_plain(changed)
