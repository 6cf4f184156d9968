"""A format-neutral model of the protocol document: sections, paragraphs, lists, tables,
the timeline chart and the honest "gaps" (what the team has still to agree).

The builder (``build``) fills it from the plan, the schedule and the review report; the
renderers (Markdown, HTML, DOCX) only lay it out.  Every string here is already safe to
share: names went through ``privacy.shown_name`` and free text through ``privacy.redact``.
Renderers still escape everything, because plan text is the team's own writing and may
contain anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from datetime import date

from coplan.records import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text, optionally a link or emphasised."""

    text: str
    link: str = ""
    strong: bool = False


Inline = tuple[Span, ...]


def inline(*parts: str | Span) -> Inline:
    """Text and spans as one inline run; plain strings become plain spans."""
    return tuple(p if isinstance(p, Span) else Span(p) for p in parts if p != "")


def plain_text(runs: Inline) -> str:
    return "".join(s.text for s in runs)


@dataclass(slots=True)
class Paragraph:
    """A paragraph of the protocol."""

    runs: Inline
    kind: str = "paragraph"


@dataclass(slots=True)
class BulletList:
    """A bulleted list in the protocol."""

    items: list[Inline]
    kind: str = "list"


@dataclass(slots=True)
class Table:
    """A table with one header row.  ``row_headers`` makes the first cell of each row a
    header for that row (``<th scope="row">``)."""

    caption: str
    header: list[str]
    rows: list[list[Inline]]
    row_headers: bool = False
    wide: bool = False
    kind: str = "table"


@dataclass(slots=True)
class Gap:
    """Something the plan does not answer yet: said plainly, never papered over."""

    what: str
    section: str = ""
    number: int = 0
    kind: str = "gap"

    @property
    def anchor(self) -> str:
        return f"gap-{self.number}"


@dataclass(frozen=True, slots=True)
class ChartItem:
    """One mark on the timeline."""

    kind: str  # "stage", "buffer", "project-buffer", "milestone", "checkpoint"
    label: str
    start: date
    end: date
    row: int
    critical: bool = False


@dataclass(slots=True)
class Chart:
    """The timeline as a picture (a Gantt chart), with its text alternative."""

    title: str
    description: str
    rows: list[str]
    items: list[ChartItem]
    start: date
    end: date
    legend: dict[str, str] = field(default_factory=dict)
    kind: str = "chart"


Block = Paragraph | BulletList | Table | Gap | Chart


@dataclass(slots=True)
class Section:
    """A section of the protocol, with its blocks and subsections."""

    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    level: int = 2
    appendix: bool = False

    def walk(self) -> Iterator[Section]:
        yield self
        for sub in self.subsections:
            yield from sub.walk()


@dataclass(slots=True)
class Document:
    """The protocol as a document, in any format."""

    title: str
    subtitle: str
    language: str
    version: str
    status: str
    produced: date
    plain: bool
    sections: list[Section] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    generator: str = "coplan"

    def walk(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    def blocks(self) -> Iterator[tuple[Section, Block]]:
        for section in self.walk():
            for block in section.blocks:
                yield section, block
