"""Runs of the protocol's text (and a report's) as Markdown or HTML, without Jinja2.

The protocol's templates use these through ``render_text``; the reports on a running
project (``export/reports``) use them directly, so writing a progress report does not load
Jinja2 (15 ms) or the protocol's builder.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markupsafe import Markup

    from coplan.export.protocol.content import Document, Inline


class MdSafe(str):
    """Markdown that coplan built itself; printed as it is."""

    __slots__ = ()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def md_escape(text: str) -> str:
    """Plan text as literal Markdown text: no emphasis, links, HTML or table breaks."""
    text = _MD_ENTITY.sub("&amp;", str(text))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"\s+", " ", text)


def md_block_start(text: str) -> str:
    """Escape what would make a line a heading, quote or list item."""
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text, count=1)


def github_slug(title: str) -> str:
    slug = re.sub(r"[^\w\- ]", "", title.lower().strip())
    return slug.replace(" ", "-")


def section_anchors(doc: Document) -> dict[str, str]:
    return {f"#{s.id}": f"#{github_slug(s.title)}" for s in doc.walk()}


def md_inline(runs: Inline, anchors: dict[str, str]) -> MdSafe:
    out = []
    for span in runs:
        text = md_escape(span.text)
        if span.strong and text.strip():
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()):]
            text = f"{lead}**{text.strip()}**{trail}"
        link = span.link
        if link.startswith("#"):
            link = anchors.get(link, "")
        if link:
            text = f"[{text}](<{link}>)"
        out.append(text)
    return MdSafe("".join(out))


def html_inline(runs: Inline) -> Markup:
    from markupsafe import Markup, escape

    out: list[Markup] = []
    for span in runs:
        text = escape(span.text)
        if span.strong:
            text = Markup("<strong>{}</strong>").format(text)
        if span.link:
            text = Markup('<a href="{}">{}</a>').format(span.link, text)
        out.append(text)
    return Markup("").join(out)
