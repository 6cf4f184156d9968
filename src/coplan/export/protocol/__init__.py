"""The co-produced co-production protocol: one document the whole team writes and signs.

``build_protocol`` turns a plan, its schedule and its review into format-neutral content
(``content``); the renderers lay it out as Markdown or HTML (Jinja2 templates in
``templates/protocol/``), DOCX (python-docx), and ODT or PDF (LibreOffice, from the DOCX).
Where the plan has no answer yet, the protocol says so ("To agree together: ...") and
counts these gaps at the top.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coplan.export.protocol.content import Document
from coplan.records import dataclass

if TYPE_CHECKING:
    from coplan.export.protocol.build import build_protocol
    from coplan.export.protocol.office import OfficeFailed, OfficeMissing
    from coplan.export.protocol.render_text import TemplateProblem
    from coplan.model import Plan
    from coplan.review.engine import Registry
    from coplan.review.runner import Report
    from coplan.schedule import Schedule

FORMATS = ("md", "html", "docx", "odt", "pdf")
BINARY = ("docx", "odt", "pdf")
SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx",
            ".odt": "odt", ".pdf": "pdf"}


@dataclass(frozen=True, slots=True)
class Exported:
    """A rendered protocol: text for Markdown and HTML, bytes for the rest."""

    format: str
    data: str | bytes
    document: Document


def format_for(path: Path | None, fmt: str | None) -> str:
    """The format asked for, or the one the output file's suffix implies (Markdown)."""
    if fmt:
        return fmt
    if path is not None and path.suffix.lower() in SUFFIXES:
        return SUFFIXES[path.suffix.lower()]
    return "md"


def render(doc: Document, fmt: str, template_dir: Path | None = None) -> str | bytes:
    if fmt in ("md", "html"):
        from coplan.export.protocol.render_text import render as render_text

        return render_text(doc, fmt, template_dir)
    from coplan.export.protocol.render_docx import to_docx

    docx = to_docx(doc)
    if fmt == "docx":
        return docx
    from coplan.export.protocol.office import convert

    return convert(docx, fmt)


def export_protocol(plan: Plan, schedule: Schedule, fmt: str, *, report: Report | None = None,
                    rules: Registry | None = None, plain: bool = False,
                    template_dir: Path | None = None,
                    produced: date | None = None, source: Plan | None = None) -> Exported:
    """The protocol for ``plan`` in ``fmt`` (one of ``FORMATS``); see ``build_protocol``
    for ``report``, ``rules`` and ``source``.  The exporter (``coplan.export.exporters.PROTOCOL``)
    calls this; everything that exports goes through the exporter."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown protocol format {fmt!r}")
    from coplan.export.protocol.build import build_protocol

    doc = build_protocol(plan, schedule, report, rules=rules, plain=plain, produced=produced,
                         source=source)
    return Exported(fmt, render(doc, fmt, template_dir), doc)


# Building the protocol reviews the plan, and rendering it loads Jinja2: what the package
# offers for them is imported when first asked for, so that a module that needs only the
# content's types (the progress report's) does not load them all.
_LATER = {"build_protocol": "build", "OfficeFailed": "office", "OfficeMissing": "office",
          "TemplateProblem": "render_text"}


def __getattr__(name: str) -> Any:
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)


__all__ = ["BINARY", "FORMATS", "Exported", "OfficeFailed", "OfficeMissing", "TemplateProblem",
           "build_protocol", "export_protocol", "format_for"]
