"""The protocol as a Word document (python-docx), made to be accessible.

A4 pages; real Title and Heading 1/2/3 styles (so screen readers, the navigation pane
and PDF tags see the structure); tables with a header row that repeats on every page
(``w:tblHeader``) and a caption; the timeline as a PNG with alt text; British English as
the language of every style (``w:lang``); Arial throughout; the title in the document's
properties.  The stage plan and the timeline are on landscape pages, so their wide tables
stay readable.  A table of contents after the title links to every section and subsection
(a Word TOC field, filled in already, so it shows before anything updates it; Word adds page
numbers when its fields are updated).  The timeline is drawn in as many pictures as it
takes to fit each on a page, with every stage's name in full.
"""

from __future__ import annotations

import io
import re
import weakref
from datetime import datetime, time
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.shared import Emu, Mm, Pt, RGBColor

from coplan.export.protocol import gantt
from coplan.export.protocol.content import (
    BulletList,
    Chart,
    Document,
    Gap,
    Inline,
    Paragraph,
    Section,
    Table,
    plain_text,
)

FONT = "Arial"
LANGUAGE = "en-GB"
INK = RGBColor(0x1B, 0x1B, 0x1B)
HEADING = RGBColor(0x1F, 0x3A, 0x5F)
LINK = "0B4F8A"
LANDSCAPE = {"stages", "timeline"}


def to_docx(doc: Document) -> bytes:
    d = new_document()
    _properties(d, doc)
    _paragraph(d, doc.title, "Title")
    _paragraph(d, f"Version {doc.version} ({doc.status}), produced on "
                    f"{doc.produced.day} {doc.produced:%B %Y} with {doc.generator}.", "Subtitle")
    marks = _Bookmarks()
    tables = _Tables()
    _contents(d, _headings(doc), marks)
    landscape = False
    for section in doc.sections:
        wide = section.id in LANDSCAPE
        if wide != landscape:
            new = d.add_section(WD_SECTION.NEW_PAGE)
            _page(new, landscape=wide)
            landscape = wide
        _section(d, section, landscape, marks, tables)
    return tables.save(d)


def new_document() -> Any:
    """An empty A4 document with the protocol's accessible styles (real headings, Arial,
    British English, a bordered "Open gap" style) and page numbers: what other documents,
    such as the reports, start from."""
    d = new_docx()
    _page(d.sections[0], landscape=False)
    _styles(d)
    _footer(d.sections[0])
    return d


def add_block(d: Any, block: object, landscape: bool = False) -> None:
    """Add one paragraph, list or table (a caption and a header row that repeats)."""
    _block(d, block, landscape)


# -- page, styles, properties ------------------------------------------------------------

def _page(section: Any, *, landscape: bool) -> None:
    short, long = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin = Mm(20)
    section.bottom_margin = Mm(20)


def _fonts_and_language(r_pr: Any) -> None:
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")


def _styles(d: Any) -> None:
    styles = d.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts_and_language(r_pr)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.font.color.rgb = INK
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    sizes = {"Title": 24, "Subtitle": 12, "Heading 1": 16, "Heading 2": 13, "Heading 3": 12,
             "Caption": 10, "List Bullet": 11}
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3",
                 "Caption", "List Bullet"):
        style = styles[name]
        _fonts_and_language(style.element.get_or_add_rPr())
        style.font.name = FONT
        style.font.size = Pt(sizes.get(name, 11))
        if name.startswith(("Heading", "Title")):
            style.font.color.rgb = HEADING
            style.font.bold = True
            style.paragraph_format.keep_with_next = True
        if name in ("Subtitle", "Caption"):
            style.font.color.rgb = INK
            style.font.italic = False
        if name == "Caption":
            style.font.bold = True
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.space_before = Pt(8)
            style.paragraph_format.space_after = Pt(3)
    styles["Heading 1"].paragraph_format.space_before = Pt(18)
    styles["Heading 2"].paragraph_format.space_before = Pt(12)
    gap = styles.add_style("Open gap", 1)
    gap.base_style = styles["Normal"]
    p_pr = gap.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "24" if side == "left" else "4")
        edge.set(qn("w:space"), "4")
        edge.set(qn("w:color"), "8A5A00")
        borders.append(edge)
    p_pr.append(borders)
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:color"), "auto")
    shade.set(qn("w:fill"), "FFF4D6")
    p_pr.append(shade)
    gap.paragraph_format.left_indent = Mm(2)
    gap.paragraph_format.space_before = Pt(6)
    gap.paragraph_format.space_after = Pt(8)
    settings = d.settings.element
    theme_lang = OxmlElement("w:themeFontLang")
    theme_lang.set(qn("w:val"), LANGUAGE)
    settings.append(theme_lang)


def property_text(text: str) -> str:
    """Text for a document property, which Word files hold to 255 characters: a longer
    title is cut at a word and ends with an ellipsis (the document itself keeps it whole)."""
    if len(text) <= 255:
        return text
    cut = text[:254].rsplit(" ", 1)[0] if " " in text[:254] else text[:254]
    return cut.rstrip(" ,;:-") + "…"


def _properties(d: Any, doc: Document) -> None:
    props = d.core_properties
    props.title = property_text(doc.title)
    props.subject = "Co-production protocol"
    props.author = "The project team"
    props.last_modified_by = doc.generator
    props.language = LANGUAGE
    props.keywords = "co-production, protocol"
    props.comments = f"Version {doc.version} ({doc.status}). Open gaps: {len(doc.gaps)}."
    props.category = "Protocol"
    props.revision = 1
    moment = datetime.combine(doc.produced, time(12, 0))
    props.created = moment
    props.modified = moment


def _footer(section: Any) -> None:
    para = section.footer.paragraphs[0]
    para.add_run("Page ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    para._p.append(field)


# -- content ----------------------------------------------------------------------------

def _headings(doc: Document) -> list[tuple[int, str]]:
    """Every heading ``_section`` writes, with its level, in order."""
    out = []
    for section in doc.sections:
        out.append((1 if section.level == 2 else 2, section.title))
        out += [(2, sub.title) for sub in section.subsections]
    return out


class _Bookmarks:
    """The bookmark of each heading, in the order the headings are written: the table of
    contents links to them."""

    def __init__(self) -> None:
        self.made = 0
        self.placed = 0

    def name(self, n: int) -> str:
        return f"_Toc{n:06d}"

    def new(self) -> str:
        self.made += 1
        return self.name(self.made)

    def place(self, para: Any) -> None:
        self.placed += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.placed))
        start.set(qn("w:name"), self.name(self.placed))
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.placed))
        para._p.insert(para._p.index(para._p.get_or_add_pPr()) + 1, start)
        para._p.append(end)


def _field_char(kind: str) -> Any:
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run.append(char)
    return run


def _contents(d: Any, headings: list[tuple[int, str]], marks: _Bookmarks) -> None:
    """A table of contents: a TOC field over headings 1 and 2, linked to each (``\\h``),
    without page numbers (``\\n``) until Word updates it, and already filled in."""
    if not headings:
        return
    _paragraph(d, "Contents", "TOC Heading")
    for level in dict.fromkeys(level for level, _ in headings):
        _toc_style(d, level)
    paragraphs = []
    for level, title in headings:
        para = _paragraph(d, "", f"TOC {level}")
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), marks.new())
        link.set(qn("w:history"), "1")
        link.append(_link_run(title))
        para._p.append(link)
        paragraphs.append(para)
    first = paragraphs[0]._p
    instruction = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-2" \\h \\z \\n '
    instruction.append(instr)
    anchor = first.get_or_add_pPr()
    anchor.addnext(_field_char("begin"))
    anchor.getnext().addnext(instruction)
    instruction.addnext(_field_char("separate"))
    paragraphs[-1]._p.append(_field_char("end"))


def _toc_style(d: Any, level: int) -> Any:
    """Word's "TOC 1" and "TOC 2" paragraph styles (only latent in python-docx's template)."""
    name = f"TOC {level}"
    try:
        return d.styles[name]
    except KeyError:
        style = d.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = d.styles["Normal"]
        style.paragraph_format.left_indent = Mm(6 * (level - 1))
        style.paragraph_format.space_after = Pt(3)
        return style


_STYLE_IDS: weakref.WeakKeyDictionary[Any, dict[str, str | None]] = \
    weakref.WeakKeyDictionary()


def _paragraph(d: Any, text: str, style: str | None) -> Any:
    """``d.add_paragraph(text, style)``, the style's id looked up once for each document
    (python-docx looks through every style in the document each time)."""
    para = d.add_paragraph(text)
    if style is not None:
        ids = _STYLE_IDS.setdefault(d.part, {})
        if style not in ids:
            ids[style] = d.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
        para._p.style = ids[style]
    return para


def _section(d: Any, section: Section, landscape: bool, marks: _Bookmarks,
             tables: _Tables) -> None:
    marks.place(_paragraph(d, section.title, f"Heading {1 if section.level == 2 else 2}"))
    for block in section.blocks:
        _block(d, block, landscape, tables)
    for sub in section.subsections:
        marks.place(_paragraph(d, sub.title, "Heading 2"))
        for block in sub.blocks:
            _block(d, block, landscape, tables)


def _block(d: Any, block: object, landscape: bool, tables: _Tables | None = None) -> None:
    if isinstance(block, Paragraph):
        para = _paragraph(d, "", "Open gap" if block.kind == "gap-count" else None)
        _runs(para, block.runs)
    elif isinstance(block, BulletList):
        for item in block.items:
            _runs(_paragraph(d, "", "List Bullet"), item)
    elif isinstance(block, Gap):
        para = _paragraph(d, "", "Open gap")
        para.add_run("To agree together: ").bold = True
        para.add_run(block.what)
    elif isinstance(block, Table):
        _table(d, block, landscape, tables)
    elif isinstance(block, Chart):
        _chart(d, block, landscape)


def _runs(para: Any, runs: Inline, *, size: float | None = None,
          bold: bool = False) -> None:
    for span in runs:
        if span.link and not span.link.startswith("#"):
            _hyperlink(para, span.link, span.text, span.strong or bold, size)
            continue
        run = para.add_run(span.text)
        run.bold = span.strong or bold or None
        if size:
            run.font.size = Pt(size)


def _hyperlink(para: Any, url: str, text: str, bold: bool, size: float | None) -> None:
    r_id = para.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    link.append(_link_run(text, bold, size))
    para._p.append(link)


def _link_run(text: str, bold: bool = False, size: float | None = None) -> Any:
    """The run inside a link, for a web address or a heading in the contents alike: link
    colour and an underline (a link is never told by its colour alone)."""
    run = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), LINK)
    r_pr.append(color)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    r_pr.append(underline)
    if bold:
        r_pr.append(OxmlElement("w:b"))
    if size:
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(round(size * 2)))
        r_pr.append(sz)
    run.append(r_pr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    return run


# -- tables, written as XML in one piece ------------------------------------------------
#
# A table of a thousand rows made cell by cell through python-docx's objects spends most of
# its time finding and inserting child elements in schema order, and held as a tree it
# takes ten times the memory of its text.  A table is written here as text instead: the
# elements python-docx would make, written as lxml writes them (the same bytes in the
# file).  The protocol keeps each table as that text and puts it into the document's XML
# as the file is written (``_Tables``); a table added on its own (``add_block``) is parsed.

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})
_HEADER_SHADE = '<w:shd w:val="clear" w:color="auto" w:fill="E6EDF5"/>'
_TABLE_LOOK = ('<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
               'w:noHBand="0" w:noVBand="1" w:val="04A0"/>')


def _xml_safe(text: str) -> str:
    """Text XML cannot hold is refused, as python-docx (lxml) refuses it."""
    if _NOT_XML.search(text):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes "
                         "or control characters")
    return text


def _text(text: str) -> str:
    """``text`` as element content, as lxml writes it."""
    return _xml_safe(text).translate(_TEXT)


def _attribute(text: str) -> str:
    """``text`` as an attribute value, as lxml writes it."""
    return _xml_safe(text).translate(_ATTRIBUTE)


def _run_content(text: str) -> str:
    """What ``Run.text = text`` puts in a run: a tab as ``w:tab``, a line break as ``w:br``,
    the text between them in ``w:t`` (kept as it is where it starts or ends with spaces)."""
    out = []
    for piece in re.split("([\t\r\n])", text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            keep = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
            out.append(f"<w:t{keep}>{_text(piece)}</w:t>")
    return "".join(out)


def _runs_xml(part: Any, runs: Inline, size: float | None, bold: bool) -> str:
    """The runs ``_runs`` adds to a paragraph, as XML."""
    sz = f'<w:sz w:val="{int(Pt(size).pt * 2)}"/>' if size else ""
    out = []
    for span in runs:
        strong = span.strong or bold
        if span.link and not span.link.startswith("#"):
            r_id = part.relate_to(span.link, RT.HYPERLINK, is_external=True)
            link_sz = f'<w:sz w:val="{round(size * 2)}"/>' if size else ""
            out.append(f'<w:hyperlink r:id="{_attribute(r_id)}"><w:r><w:rPr>'
                       f'<w:color w:val="{LINK}"/><w:u w:val="single"/>'
                       f'{"<w:b/>" if strong else ""}{link_sz}</w:rPr>'
                       f'<w:t xml:space="preserve">{_text(span.text)}</w:t></w:r></w:hyperlink>')
            continue
        r_pr = f"<w:rPr>{'<w:b/>' if strong else ''}{sz}</w:rPr>" if strong or sz \
            else "<w:rPr/>"
        out.append(f"<w:r>{r_pr}{_run_content(span.text)}</w:r>")
    return "".join(out)


def _table_xml(d: Any, block: Table, landscape: bool) -> str:
    """The table as python-docx would make it, written as lxml writes it in the document
    (no namespace declarations: the document declares them)."""
    cols = len(block.header)
    grid = Emu(d._block_width // cols).twips
    style = d.styles["Table Grid"].style_id
    size = 8.5 if cols > 5 else (9.5 if cols > 3 else None)
    widths = [f'<w:tcW w:type="dxa" w:w="{w.twips}"/>'
              for w in _widths(block, 257 if landscape else 170)]
    sz = f'<w:sz w:val="{int(Pt(size).pt * 2)}"/>' if size else ""
    xml = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{_attribute(style)}"/>'
           '<w:tblW w:type="auto" w:w="0"/><w:jc w:val="left"/><w:tblLayout w:type="fixed"/>'
           f'{_TABLE_LOOK}<w:tblCaption w:val="{_attribute(block.caption)}"/></w:tblPr>'
           '<w:tblGrid>', f'<w:gridCol w:w="{grid}"/>' * cols,
           '</w:tblGrid><w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>']
    for text, width in zip(block.header, widths, strict=True):
        xml.append(f"<w:tc><w:tcPr>{width}{_HEADER_SHADE}</w:tcPr><w:p><w:r><w:rPr><w:b/>{sz}"
                   f"</w:rPr>{_run_content(text)}</w:r></w:p></w:tc>")
    xml.append("</w:tr>")
    part = d.part
    for values in block.rows:
        xml.append("<w:tr>")
        for i, width in enumerate(widths):
            if i < len(values):
                body = _runs_xml(part, values[i], size, block.row_headers and i == 0)
                xml.append(f'<w:tc><w:tcPr>{width}</w:tcPr><w:p><w:pPr><w:spacing w:after="0"/>'
                           f"</w:pPr>{body}</w:p></w:tc>")
            else:
                xml.append(f"<w:tc><w:tcPr>{width}</w:tcPr><w:p/></w:tc>")
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    return "".join(xml)


def _table(d: Any, block: Table, landscape: bool, tables: _Tables | None = None) -> None:
    _paragraph(d, block.caption, "Caption")
    xml = _table_xml(d, block, landscape)
    if tables is None:
        declared = xml.replace("<w:tbl>", f"<w:tbl {nsdecls('w', 'r')}>", 1)
        d.element.body._insert_tbl(parse_xml(declared))
    else:
        tables.add(d, xml)
    d.add_paragraph()


class _Tables:
    """Tables kept as the text of their XML, each marked in the document by a comment, and
    put in its place as the document is written."""

    MARK = re.compile(rb"<!--coplan-table-([0-9]+)-->")

    def __init__(self) -> None:
        self.xml: list[bytes] = []

    def add(self, d: Any, xml: str) -> None:
        from lxml import etree  # python-docx's own XML library

        d.element.body._insert_tbl(etree.Comment(f"coplan-table-{len(self.xml)}"))
        self.xml.append(xml.encode("utf-8"))

    def save(self, d: Any) -> bytes:
        """The document as a file, as ``d.save`` writes it, the tables in their places."""
        from docx.opc.pkgwriter import PackageWriter

        package = d.part.package
        parts = tuple(package.iter_parts())
        for part in parts:
            part.before_marshal()
        main = d.part
        out = io.BytesIO()
        PackageWriter.write(out, package.rels,  # type: ignore[no-untyped-call]
                            tuple(_Spliced(part, self) if part is main else part
                                  for part in parts))
        return out.getvalue()

    def splice(self, blob: bytes) -> bytes:
        return self.MARK.sub(lambda m: self.xml[int(m[1])], blob)


class _Spliced:
    """The document's part, its XML written with the tables in their places."""

    def __init__(self, part: Any, tables: _Tables) -> None:
        self._part = part
        self._tables = tables

    def __getattr__(self, name: str) -> Any:
        return getattr(self._part, name)

    @property
    def blob(self) -> bytes:
        return self._tables.splice(self._part.blob)


def _widths(block: Table, total_mm: float) -> list[Any]:
    """Column widths in proportion to how much each column holds (within limits)."""
    n = len(block.header)
    lengths = [len(h) for h in block.header]
    for row in block.rows:
        for i, runs in enumerate(row[:n]):
            lengths[i] += len(plain_text(runs))
    rows = max(len(block.rows), 1)
    weights = [min(max(x / rows, 8.0), 70.0) for x in lengths]
    total = sum(weights)
    return [Mm(total_mm * w / total) for w in weights]


# Room for one picture of the chart with its caption above it: the page less its margins
# (20 mm each side), a caption line and the space around the picture.
CHART_ROOM_MM = {True: (257.0, 170.0 - 16.0), False: (170.0, 257.0 - 16.0)}


def _chart(d: Any, chart: Chart, landscape: bool) -> None:
    """The chart as pictures that each fit on a page, every stage's name in full, each
    with its caption and alt text; then the description (the dates are in the table)."""
    width_mm, height_mm = CHART_ROOM_MM[landscape]
    try:
        parts = gantt.pages(chart, width_mm=width_mm, height_mm=height_mm)
    except ImportError:  # Pillow is not installed: the description and the table remain
        d.add_paragraph(chart.title, style="Caption")
        d.add_paragraph(chart.description)
        return
    # python-docx's ``add_picture`` looks through the whole document for the next free
    # shape id, and ``inline_shapes`` lists every picture: both for each picture.  The id is
    # found once here and counted on; each picture is drawn, added and let go in turn.
    story = d.part
    shape_id = story.next_id
    for n, part in enumerate(parts, start=1):
        title = chart.title if len(parts) == 1 else \
            f"{chart.title} (part {n} of {len(parts)}: {part.chart.rows[0]} to " \
            f"{part.chart.rows[-1]})"
        caption = _paragraph(d, title, "Caption")
        caption.paragraph_format.keep_with_next = True
        if n > 1:
            caption.paragraph_format.page_break_before = True
        r_id, image = story.get_or_add_image(io.BytesIO(gantt.page_png(part)))
        cx, cy = image.scaled_dimensions(Mm(width_mm), None)
        inline = CT_Inline.new_pic_inline(shape_id, r_id, image.filename, cx, cy)
        shape_id += 1
        d.add_paragraph().add_run()._r.add_drawing(inline)
        inline.docPr.set("descr", chart.description if len(parts) == 1 else
                         f"{title}. {chart.description}")
        inline.docPr.set("title", title)
    d.add_paragraph(chart.description)
