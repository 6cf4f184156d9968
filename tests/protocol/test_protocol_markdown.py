"""The Markdown protocol read back with markdown-it-py: headings, tables, escaping."""

from __future__ import annotations

import itertools
from pathlib import Path

from markdown_it import MarkdownIt
from protocol_support import HOSTILE, MINDS, export_file, exported, write_plan


def tokens(text: str) -> list:  # type: ignore[type-arg]
    return MarkdownIt("commonmark").enable("table").parse(text)


def test_headings() -> None:
    md = exported(str(MINDS), "md").data
    assert isinstance(md, str)
    toks = tokens(md)
    heads = [(t.tag, toks[i + 1].content) for i, t in enumerate(toks) if t.type == "heading_open"]
    assert [h for h in heads if h[0] == "h1"] == [
        ("h1", "Co-production protocol: MINDS: co-producing a better discharge from mental "
               "health hospital")]
    h2 = [text for tag, text in heads if tag == "h2"]
    assert h2[0] == "Document control"
    assert "Stage-by-stage involvement plan" in h2 and "Timeline" in h2
    assert any(tag == "h3" for tag, _ in heads)
    levels = [int(tag[1]) for tag, _ in heads]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_tables_have_header_rows() -> None:
    md = exported(str(MINDS), "md").data
    assert isinstance(md, str)
    toks = tokens(md)
    tables = [i for i, t in enumerate(toks) if t.type == "table_open"]
    assert len(tables) >= 15
    for start in tables:
        assert toks[start + 1].type == "thead_open"
        header_cells = 0
        for t in toks[start + 1:]:
            if t.type == "thead_close":
                break
            header_cells += t.type == "th_open"
        assert header_cells >= 2
    stage_table = md[md.index("| Stage and touchpoint |"):].split("\n\n")[0]
    assert stage_table.count("\n") >= 20  # one row per touchpoint


def test_plan_text_stays_literal(tmp_path: Path) -> None:
    md = export_file(write_plan(tmp_path, HOSTILE), "md").data
    assert isinstance(md, str)
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in html and "<img" not in html and "<u>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="http://x"' not in html
    toks = tokens(md)
    assert sum(t.type == "heading_open" and t.tag == "h1" for t in toks) == 1
    # a table cell with pipes does not break its row
    assert "pipes" in md and "\\|" in md


def test_timeline_is_a_mermaid_chart_and_a_table() -> None:
    md = exported(str(MINDS), "md").data
    assert isinstance(md, str)
    assert "```mermaid\ngantt" in md
    assert "The timeline as a table" in md
