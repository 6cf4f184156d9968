"""A report as a format-neutral document: a title, sections of paragraphs, lists and tables,
and the honest gaps where the record does not hold something yet.

The blocks are the protocol's own (``coplan.export.protocol.content``), so reports and the
protocol look and read alike; a gap in a report says "Not recorded yet", not the protocol's
"To agree together".  Every string is already safe to share (names through
``common.Viewer``, free text through ``privacy.redact``); renderers escape everything.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date

from coplan.export.protocol.content import (
    Block,
    BulletList,
    Gap,
    Inline,
    Paragraph,
    Section,
    Span,
    Table,
    inline,
    plain_text,
)
from coplan.records import dataclass

__all__ = ["Block", "BulletList", "Gap", "Inline", "Paragraph", "Report", "Section", "Span",
           "Table", "inline", "plain_text"]

GAP_WORDS = "Not recorded yet"
"""What a report says where the delivery record does not hold the answer."""


@dataclass(slots=True)
class Report:
    """One report, ready to lay out."""

    title: str
    subtitle: str
    produced: date
    kind: str  # the exporter's name: gripp2, impact, feedback, progress, contributor-pack
    sections: list[Section] = field(default_factory=list)
    easy: bool = False
    """Easy-read layout: larger text, more space, short lines (the contributor pack)."""
    language: str = "en-GB"
    generator: str = "coplan"

    def section(self, sid: str, title: str, level: int = 2) -> Section:
        found = Section(sid, title, level=level)
        self.sections.append(found)
        return found

    @property
    def gaps(self) -> list[Gap]:
        return [b for s in self.sections for sub in s.walk() for b in sub.blocks
                if isinstance(b, Gap)]


def para(section: Section, *parts: str | Span) -> None:
    section.blocks.append(Paragraph(inline(*parts)))


def bullets(section: Section, items: list[str] | list[Inline]) -> None:
    if items:
        section.blocks.append(BulletList([i if isinstance(i, tuple) else inline(i)
                                          for i in items]))


def gap(section: Section, what: str) -> None:
    """Say plainly that the record does not hold ``what`` yet."""
    section.blocks.append(Gap(what, section.id))


def table(section: Section, caption: str, header: list[str], rows: list[list[str]],
          *, row_headers: bool = True) -> None:
    section.blocks.append(Table(caption, header, [[inline(c) if c else inline("-")
                                                   for c in row] for row in rows],
                                row_headers=row_headers))
