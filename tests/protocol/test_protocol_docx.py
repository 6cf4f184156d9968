"""The DOCX protocol read back with python-docx: styles, tables, language, font, A4."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from protocol_support import MINDS, exported


@pytest.fixture(scope="module")
def document() -> Any:
    data = exported(str(MINDS), "docx").data
    assert isinstance(data, bytes)
    return docx.Document(io.BytesIO(data))


def test_headings_use_real_heading_styles(document: Any) -> None:
    styles = [p.style.name for p in document.paragraphs]
    assert styles.count("Title") == 1
    heading1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert heading1[0] == "Document control"
    assert "Stage-by-stage involvement plan" in heading1
    assert "Heading 2" in styles
    assert document.paragraphs[0].style.name == "Title"


def test_tables_repeat_their_header_row(document: Any) -> None:
    assert len(document.tables) >= 15
    for table in document.tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None
        header = tr_pr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) in ("true", "1", None)
        assert all(run.bold for cell in table.rows[0].cells for p in cell.paragraphs
                   for run in p.runs)
        caption = table._tbl.tblPr.find(qn("w:tblCaption"))
        assert caption is not None and caption.get(qn("w:val"))


def _lang(r_pr: Any) -> str | None:
    lang = r_pr.find(qn("w:lang")) if r_pr is not None else None
    return lang.get(qn("w:val")) if lang is not None else None


def test_language_is_british_english_on_the_styles(document: Any) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert _lang(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))) == "en-GB"
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        assert _lang(document.styles[name].element.rPr) == "en-GB", name
    assert document.core_properties.language == "en-GB"


def test_font_is_sans_serif_everywhere(document: Any) -> None:
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:ascii")) == "Arial", name
        assert fonts.get(qn("w:asciiTheme")) is None
    assert document.styles["Normal"].font.name == "Arial"


def test_pages_are_a4(document: Any) -> None:
    for section in document.sections:
        sides = sorted([round(section.page_width.mm), round(section.page_height.mm)])
        assert sides == [210, 297]
    assert round(document.sections[0].page_width.mm) == 210
    # landscape pages for the wide tables
    assert any(round(s.page_width.mm) == 297 for s in document.sections)


def test_title_in_properties_and_timeline_picture_with_alt_text(document: Any) -> None:
    pytest.importorskip("PIL", reason="the timeline picture is drawn with Pillow")
    assert document.core_properties.title.startswith("Co-production protocol: MINDS")
    shapes = document.inline_shapes
    assert len(shapes) == 1
    doc_pr = shapes[0]._inline.docPr
    assert "Gantt chart" in doc_pr.get("descr")
    assert doc_pr.get("title")


def test_links_to_frameworks(document: Any) -> None:
    targets = [r.target_ref for r in document.part.rels.values() if "hyperlink" in r.reltype]
    assert any("thinklocalactpersonal" in t for t in targets)
    assert any("s40900-020-00188-4" in t for t in targets)
