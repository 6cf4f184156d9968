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


# -- table of contents ----------------------------------------------------------------------

def test_a_table_of_contents_links_to_every_heading(document: Any) -> None:
    """As the HTML page has: after the title, a TOC field (Word updates it and adds page
    numbers) already filled in with a link to each heading 1 and 2, in order."""
    body = document.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert any(i.split()[:1] == ["TOC"] and '\\o "1-2"' in i and "\\h" in i
               for i in instructions), instructions
    paragraphs = document.paragraphs
    names = [p.style.name for p in paragraphs]
    start = names.index("TOC Heading")
    assert paragraphs[start].text == "Contents" and start < names.index("Heading 1")
    entries = [p for p in paragraphs if p.style.name in ("TOC 1", "TOC 2")]
    headings = [p for p in paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert [e.text for e in entries] == [h.text for h in headings]
    assert [e.style.name[-1] for e in entries] == [h.style.name[-1] for h in headings]
    assert len(entries) > 20
    for entry, heading in zip(entries, headings, strict=True):
        (link,) = entry._p.findall(qn("w:hyperlink"))
        marks = [b.get(qn("w:name")) for b in heading._p.findall(qn("w:bookmarkStart"))]
        assert marks == [link.get(qn("w:anchor"))], heading.text
    # The field begins in the first entry and ends in the last, around the entries.
    kinds = [c.get(qn("w:fldCharType")) for p in entries for c in p._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]


# -- the timeline ---------------------------------------------------------------------------

def _page_room(section: Any) -> int:
    return section.page_height - section.top_margin - section.bottom_margin


def _timeline(plan_text: str, tmp_path: Any) -> Any:
    from protocol_support import export_file, write_plan

    data = export_file(write_plan(tmp_path, plan_text), "docx").data
    assert isinstance(data, bytes)
    return docx.Document(io.BytesIO(data))


def test_a_long_timeline_is_split_into_pictures_that_fit_a_page(tmp_path: Any) -> None:
    pytest.importorskip("PIL", reason="the timeline picture is drawn with Pillow")
    from plangen import random_plan

    document = _timeline(random_plan(5, 60), tmp_path)
    shapes = list(document.inline_shapes)
    assert len(shapes) >= 3
    landscape = next(s for s in document.sections if s.page_width > s.page_height)
    for n, shape in enumerate(shapes, start=1):
        assert shape.width <= landscape.page_width - landscape.left_margin \
            - landscape.right_margin + 12700  # twips rounding
        assert shape.height < _page_room(landscape) - 30 * 12700  # a caption's room too
        doc_pr = shape._inline.docPr
        assert f"part {n} of {len(shapes)}" in doc_pr.get("title")
        assert "Gantt chart" in doc_pr.get("descr")
    captions = [p for p in document.paragraphs if p.style.name == "Caption"
                and "part " in p.text]
    assert len(captions) == len(shapes)
    assert all(p.paragraph_format.keep_with_next for p in captions)


def test_every_name_on_the_timeline_is_whole_and_fits_its_column() -> None:
    pytest.importorskip("PIL", reason="the timeline picture is drawn with Pillow")
    from coplan.export.protocol import gantt
    from coplan.export.protocol.build import build_protocol
    from coplan.export.protocol.content import Chart
    from coplan.planfile import load_plan, parse_plan
    from coplan.schedule import schedule
    from plangen import random_plan

    long_word = "Interviews-with-people-who-have-been-discharged-families-and-staff-everywhere"
    for plan in (load_plan(MINDS), parse_plan(random_plan(5, 60).replace(
            'title = "Stage 7"', f'title = "{long_word} and then some more words"'))):
        doc = build_protocol(plan, schedule(plan))
        (chart,) = [b for s in doc.sections for sub in s.walk() for b in sub.blocks
                    if isinstance(b, Chart)]
        parts = gantt.pages(chart, width_mm=257, height_mm=154)
        assert [r for p in parts for r in p.chart.rows] == chart.rows
        for part in parts:
            shown = gantt.layout(part.chart, label_w=part.label_w, lines=part.lines)
            labels = [s for s in shown.shapes if s.kind == "text" and s.anchor == "end"]
            assert all("…" not in s.text for s in labels)
            assert all(gantt.text_width(s.text) <= part.label_w - 8 for s in labels)
            for row, lines in zip(part.chart.rows, part.lines, strict=True):
                assert "".join(lines).replace(" ", "") == row.replace(" ", "")
        if plan.path is not None:  # MINDS fits on one page, its longest name on two lines
            assert len(parts) == 1
            assert max(len(lines) for lines in parts[0].lines) == 2


def test_timeline_pages_are_palette_pictures_with_the_pixels_of_an_rgb_drawing() -> None:
    """A page of the timeline is drawn with a palette of greys (the smooth text blends to
    the same grey as in RGB) and the chart's few colours: pixel for pixel the RGB picture."""
    pytest.importorskip("PIL", reason="the timeline picture is drawn with Pillow")
    from PIL import Image

    from coplan.export.protocol import gantt
    from coplan.export.protocol.build import build_protocol
    from coplan.export.protocol.content import Chart
    from coplan.planfile import load_plan, parse_plan
    from coplan.schedule import schedule
    from plangen import random_plan

    pages = 0
    for plan in (load_plan(MINDS), parse_plan(random_plan(5, 60))):
        doc = build_protocol(plan, schedule(plan))
        (chart,) = [b for s in doc.sections for sub in s.walk() for b in sub.blocks
                    if isinstance(b, Chart)]
        for width, height in ((257, 154), (170, 241)):
            for part in gantt.pages(chart, width_mm=width, height_mm=height):
                small = Image.open(io.BytesIO(gantt.page_png(part)))
                rgb = Image.open(io.BytesIO(gantt.page_png(part, palette=False)))
                assert (small.mode, rgb.mode) == ("P", "RGB")
                assert small.size == rgb.size and small.info["dpi"] == rgb.info["dpi"]
                assert small.convert("RGB").tobytes() == rgb.tobytes()
                assert len(set(rgb.tobytes())) > 20  # smooth text: many greys
                pages += 1
    assert pages >= 6


# -- tables written as text ----------------------------------------------------------------

AWKWARD = ["a & b < c > d \"quoted\" 'single'", "  spaces round  ", "tab\there",
           "line\nbreak\rand return", "é ü — 😀 ]]> <!-- not a comment -->", "", "plain"]


def _awkward_table(columns: int) -> Any:
    from coplan.export.protocol.content import Span, Table

    header = [AWKWARD[i % len(AWKWARD)] or "empty" for i in range(columns)]
    rows: list[list[Any]] = []
    for n, text in enumerate(AWKWARD):
        cells = [(Span(text, strong=n % 2 == 0),),
                 (Span("see "), Span(text or "x", link=f"https://example.org/?q={n}&r=<1>")),
                 (Span(text, link="#inside"), Span(" after", strong=True)),
                 ()]
        rows.append(cells[: 1 + n % columns])  # some rows shorter than the header
    return Table(f"Caption with {AWKWARD[0]}\tand\nlines", header, rows, row_headers=True)


def _python_docx_table(d: Any, block: Any, landscape: bool) -> None:
    """The table made cell by cell through python-docx's objects: what the text written
    by the renderer must equal."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    from coplan.export.protocol import render_docx as rd

    d.add_paragraph(block.caption, style="Caption")
    table = d.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = d.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), block.caption)
    table._tbl.tblPr.append(caption)
    size = 8.5 if len(block.header) > 5 else (9.5 if len(block.header) > 3 else None)
    header = table.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header.cells, block.header, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        if size:
            run.font.size = Pt(size)
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:color"), "auto")
        shade.set(qn("w:fill"), "E6EDF5")
        cell._tc.get_or_add_tcPr().append(shade)
    table.autofit = False
    widths = rd._widths(block, 257 if landscape else 170)
    for cell, width in zip(header.cells, widths, strict=True):
        cell.width = width
    for row, values in zip(table.rows[1:], block.rows, strict=True):
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
        for i, (cell, runs) in enumerate(zip(row.cells, values, strict=False)):
            para = cell.paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            rd._runs(para, runs, size=size, bold=block.row_headers and i == 0)
    d.add_paragraph()


def _document_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml")


@pytest.mark.parametrize("columns", [2, 4, 6])
@pytest.mark.parametrize("landscape", [False, True])
def test_tables_written_as_text_are_what_python_docx_makes(columns: int,
                                                           landscape: bool) -> None:
    """Tables are written as XML text (kept as text until the file is written, for the
    protocol; parsed at once, for a report): the same bytes in the file as making them
    cell by cell with python-docx, whatever the text holds."""
    from coplan.export.protocol import render_docx as rd

    block = _awkward_table(columns)
    made = []
    for way in ("python-docx", "parsed", "kept as text"):
        d = rd.new_document()
        tables = rd._Tables()
        if way == "python-docx":
            _python_docx_table(d, block, landscape)
        else:
            rd._table(d, block, landscape, tables if way == "kept as text" else None)
        d.add_paragraph("after", style="Caption")
        if way == "kept as text":
            data = tables.save(d)
        else:
            out = io.BytesIO()
            d.save(out)
            data = out.getvalue()
        made.append(_document_xml(data))
    assert made[0] == made[1] == made[2]
    assert b"<w:tbl>" in made[0] and b"coplan-table" not in made[0]
    table = docx.Document(io.BytesIO(data)).tables[0]
    assert [c.text for c in table.rows[0].cells][:2] == ["a & b < c > d \"quoted\" 'single'",
                                                          "  spaces round  "]


def test_text_xml_cannot_hold_is_refused_as_python_docx_refuses_it() -> None:
    from coplan.export.protocol import render_docx as rd
    from coplan.export.protocol.content import Span, Table

    block = Table("Caption", ["A", "B"], [[(Span("bad \x01 text"),), (Span("ok"),)]])
    for way in ("python-docx", "text"):
        d = rd.new_document()
        with pytest.raises(ValueError, match="XML compatible"):
            if way == "python-docx":
                _python_docx_table(d, block, False)
            else:
                rd._table(d, block, False, rd._Tables())
