"""A ``Report`` laid out as Markdown, HTML or Word.

HTML is one self-contained, accessible page: a language, a title, a skip link, landmarks,
headings in order, tables with captions and header cells, relative units that reflow at
200% zoom, and state always said in words (a gap is labelled "Not recorded yet", never only
shaded).  The easy-read layout (the contributor pack) uses larger text, more space and
shorter lines.  Word reuses the protocol's accessible styles (real headings, header rows
that repeat, table captions, the document's language and title).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coplan.export.protocol.content import BulletList, Gap, Inline, Paragraph, Section, Table
from coplan.export.reports.document import GAP_WORDS, Report

if TYPE_CHECKING:
    from markupsafe import Markup

FORMATS = ("md", "html", "docx")


def render(report: Report, fmt: str) -> bytes:
    if fmt == "md":
        return to_markdown(report).encode("utf-8")
    if fmt == "html":
        return to_html(report).encode("utf-8")
    if fmt == "docx":
        return to_docx(report)
    raise ValueError(f"no such report format: {fmt}")


# -- Markdown ------------------------------------------------------------------------------

def _md(runs: Inline) -> str:
    from coplan.export.protocol.inline import md_inline

    return str(md_inline(runs, {}))


def _md_text(text: str) -> str:
    from coplan.export.protocol.inline import md_escape

    return md_escape(text)


def to_markdown(report: Report) -> str:
    from coplan.export.protocol.inline import md_block_start

    out = [f"# {_md_text(report.title)}", "", _md_text(report.subtitle), ""]
    for section in report.sections:
        for sub in section.walk():
            out += ["#" * min(sub.level, 4) + " " + _md_text(sub.title), ""]
            for block in sub.blocks:
                if isinstance(block, Paragraph):
                    out += [md_block_start(_md(block.runs)), ""]
                elif isinstance(block, BulletList):
                    out += [f"- {_md(item)}" for item in block.items] + [""]
                elif isinstance(block, Gap):
                    out += [f"> **{GAP_WORDS}:** {_md_text(block.what)}", ""]
                elif isinstance(block, Table):
                    out += [f"*{_md_text(block.caption)}*", "",
                            "| " + " | ".join(_md_text(h) for h in block.header) + " |",
                            "|" + "---|" * len(block.header)]
                    out += ["| " + " | ".join(_md(c) or "-" for c in row) + " |"
                            for row in block.rows]
                    out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# -- HTML ----------------------------------------------------------------------------------

CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #444444; --link: #0b4f8a;
  --rule: #767676; --head-bg: #e6edf5; --gap-bg: #fff4d6; --gap-edge: #8a5a00;
  --focus: #b34700; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; padding: 1rem 1.25rem 3rem; max-width: 52rem;
  font-family: Arial, "Liberation Sans", Helvetica, sans-serif; font-size: 1.0625rem;
  line-height: 1.55; color: var(--ink); background: #ffffff; }
body.easy { font-size: 1.375rem; line-height: 1.7; max-width: 44rem; }
body.easy p, body.easy li { max-width: 55ch; margin-bottom: 0.9em; }
h1, h2, h3 { line-height: 1.25; margin: 1.6em 0 0.5em; }
h1 { font-size: 1.9rem; margin-top: 0.5em; }
h2 { font-size: 1.45rem; border-bottom: 0.125rem solid var(--rule); padding-bottom: 0.2em; }
h3 { font-size: 1.2rem; }
p, li { max-width: 70ch; }
a { color: var(--link); text-decoration: underline; }
a:focus, [tabindex]:focus { outline: 0.2rem solid var(--focus); outline-offset: 0.15rem; }
.skip-link { position: absolute; left: -100vw; top: 0.5rem; background: #ffffff;
  color: var(--link); padding: 0.5em 0.75em; z-index: 10; }
.skip-link:focus { left: 0.5rem; }
.subtitle { color: var(--muted); margin-top: 0; }
.gap { background: var(--gap-bg); border-left: 0.4rem solid var(--gap-edge);
  padding: 0.5em 0.8em; margin: 0.8em 0; }
.gap p { margin: 0; }
.table-wrap { overflow-x: auto; margin: 1em 0 1.25em; }
table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
caption { text-align: left; font-weight: bold; padding: 0 0 0.4em; caption-side: top; }
th, td { border: 0.0625rem solid var(--rule); padding: 0.35em 0.5em; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
thead th { background: var(--head-bg); }
tbody th { font-weight: bold; background: #f5f7fa; }
footer { margin-top: 3em; color: var(--muted); font-size: 0.95rem;
  border-top: 0.0625rem solid var(--rule); }
@media print { @page { size: A4; margin: 1.8cm 1.6cm; } body { max-width: none; padding: 0; }
  .skip-link { display: none; } .gap, tr { break-inside: avoid; }
  thead { display: table-header-group; } .table-wrap { overflow: visible; } }
"""


def _html(runs: Inline) -> Markup:
    from coplan.export.protocol.inline import html_inline

    return html_inline(runs)


def _html_section(section: Section, counter: list[int]) -> list[Markup | str]:
    from markupsafe import Markup

    level = min(section.level, 4)
    out: list[Markup | str] = [
        Markup('<section aria-labelledby="{}">').format(f"s-{section.id}"),
        Markup('<h{0} id="{1}">{2}</h{0}>').format(level, f"s-{section.id}", section.title)]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            out.append(Markup("<p>{}</p>").format(_html(block.runs)))
        elif isinstance(block, BulletList):
            out.append(Markup("<ul>{}</ul>").format(Markup("").join(
                Markup("<li>{}</li>").format(_html(i)) for i in block.items)))
        elif isinstance(block, Gap):
            out.append(Markup('<div class="gap"><p><strong>{}:</strong> {}</p></div>').format(
                GAP_WORDS, block.what))
        elif isinstance(block, Table):
            counter[0] += 1
            n = counter[0]
            head = Markup("").join(Markup('<th scope="col">{}</th>').format(h)
                                   for h in block.header)
            rows = []
            for row in block.rows:
                cells = [Markup('<th scope="row">{}</th>').format(_html(c))
                         if i == 0 and block.row_headers else
                         Markup("<td>{}</td>").format(_html(c) or "-")
                         for i, c in enumerate(row)]
                rows.append(Markup("<tr>{}</tr>").format(Markup("").join(cells)))
            out.append(Markup(
                '<div class="table-wrap" role="region" aria-labelledby="cap-{0}" tabindex="0">'
                '<table><caption id="cap-{0}">{1}</caption><thead><tr>{2}</tr></thead>'
                "<tbody>{3}</tbody></table></div>").format(n, block.caption, head,
                                                        Markup("\n").join(rows)))
    for sub in section.subsections:
        out += _html_section(sub, counter)
    out.append(Markup("</section>"))
    return out


def to_html(report: Report) -> str:
    from markupsafe import Markup

    counter = [0]
    body: list[Markup | str] = []
    for section in report.sections:
        body += _html_section(section, counter)
    page = Markup(
        '<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="{gen}">\n<title>{title}</title>\n'
        "<style>{css}</style>\n</head>\n<body{cls}>\n"
        '<a class="skip-link" href="#main">Skip to the report</a>\n'
        "<header>\n<h1>{title}</h1>\n<p class=\"subtitle\">{subtitle}</p>\n</header>\n"
        '<main id="main" tabindex="-1">\n{body}\n</main>\n'
        "<footer><p>Written by {gen} from the plan and its delivery record on {day}.</p>"
        "</footer>\n</body>\n</html>\n").format(
            lang=report.language, gen=report.generator, title=report.title,
            css=Markup(CSS), cls=Markup(' class="easy"') if report.easy else "",
            subtitle=report.subtitle, body=Markup("\n").join(body),
            day=f"{report.produced.day} {report.produced:%B %Y}")
    return str(page)


# -- Word ----------------------------------------------------------------------------------

def to_docx(report: Report) -> bytes:
    import io
    from datetime import datetime, time

    from docx.shared import Pt

    from coplan.export.protocol import render_docx as rd

    d = rd.new_document()
    if report.easy:
        for name, size in (("Normal", 14), ("List Bullet", 14), ("Heading 1", 20),
                           ("Heading 2", 16), ("Title", 28), ("Subtitle", 14), ("Caption", 13)):
            d.styles[name].font.size = Pt(size)
        d.styles["Normal"].paragraph_format.line_spacing = 1.5
        d.styles["Normal"].paragraph_format.space_after = Pt(10)
    props = d.core_properties
    props.title = rd.property_text(report.title)
    props.subject = rd.property_text(report.subtitle)
    props.author = "The project team"
    props.last_modified_by = report.generator
    props.language = rd.LANGUAGE
    props.category = "Report"
    props.revision = 1
    moment = datetime.combine(report.produced, time(12, 0))
    props.created = moment
    props.modified = moment
    d.add_paragraph(report.title, style="Title")
    d.add_paragraph(report.subtitle, style="Subtitle")
    for section in report.sections:
        for sub in section.walk():
            d.add_heading(sub.title, level=1 if sub.level <= 2 else 2)
            for block in sub.blocks:
                if isinstance(block, Gap):
                    para = d.add_paragraph(style="Open gap")
                    para.add_run(f"{GAP_WORDS}: ").bold = True
                    para.add_run(block.what)
                elif isinstance(block, Paragraph | BulletList | Table):
                    rd.add_block(d, block)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
