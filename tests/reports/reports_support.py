"""Shared helpers for the report tests: the examples as of a day part-way through, plans
to export, and independent readers of what the reports write (python-docx for Word, the
standard library's HTML parser for web pages)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from coplan.export.contract import Options, run_export
from coplan.export.report_exporters import REPORTS
from coplan.model import Plan
from coplan.planfile import load_plan, parse_plan
from coplan.schedule import schedule

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {
    # MINDS at month eight; the teaching workshop after its first run.
    "minds": (ROOT / "examples" / "minds-discharge.toml", date(2027, 9, 10)),
    "teaching": (ROOT / "examples" / "teaching-workshop.toml", date(2027, 11, 15)),
}
BY_NAME = {e.name: e for e in REPORTS}
WHEN = datetime(2027, 1, 4, 12, 0, tzinfo=UTC)


@cache
def example(name: str) -> Plan:
    return load_plan(EXAMPLES[name][0])


def export(plan: Plan, report: str, fmt: str = "md", *, audience: str = "",
           today: date | None = None, **values: object) -> bytes:
    exporter = BY_NAME[report]
    person = values.pop("person", None)
    if person:  # one person's own view: what --person ID asks for
        audience = str(person)
    given: dict[str, object] = {"today": today, **values}
    options = Options(format=fmt, audience=audience or exporter.audiences[0], values=given,
                      when=WHEN)
    # Dated as the command line dates it: from what happened as of the report's day.
    from coplan.clock import today as clock_today

    return run_export(exporter, plan, schedule(plan, today=clock_today(today)), options)


def export_example(name: str, report: str, fmt: str = "md", **kw: object) -> bytes:
    return export(example(name), report, fmt, today=EXAMPLES[name][1], **kw)  # type: ignore[arg-type]


def plan_from(text: str) -> Plan:
    return parse_plan(text)


# -- independent readers -------------------------------------------------------------------

def docx_text(data: bytes) -> tuple[list[tuple[str, str]], str]:
    """(style, text) of every paragraph, and all the text including tables'."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    paras = [(p.style.name if p.style is not None else "", p.text) for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return paras, "\n".join([t for _, t in paras] + cells)


class Page(HTMLParser):
    """What a reader of the page finds: its language, title, headings, tables (with their
    captions and header cells) and all its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.title = ""
        self.headings: list[tuple[int, str]] = []
        self.tables: list[dict[str, object]] = []
        self.text: list[str] = []
        self._stack: list[str] = []
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        if tag == "table":
            self.tables.append({"caption": "", "th": 0, "td": 0})
        if tag in ("th", "td") and self.tables:
            self.tables[-1][tag] = int(self.tables[-1][tag]) + 1  # type: ignore[call-overload]
        self._stack.append(tag)
        self._buf = []

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._buf).split())
        if tag == "title":
            self.title = text
        elif tag in ("h1", "h2", "h3", "h4"):
            self.headings.append((int(tag[1]), text))
        elif tag == "caption" and self.tables:
            self.tables[-1]["caption"] = text
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1] in ("style", "script"):
            return
        self._buf.append(data)
        self.text.append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def read_html(data: bytes) -> Page:
    page = Page()
    page.feed(data.decode("utf-8"))
    page.close()
    return page
