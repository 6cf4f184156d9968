"""The timeline as a picture: one layout, drawn as inline SVG (HTML) or PNG (DOCX).

Nothing is told by colour alone: slow-down time is hatched, critical stages are darker
*and* outlined, milestones are filled diamonds and reflection checkpoints hollow ones.  The
SVG carries ``role="img"``, an ``aria-label``, ``<title>`` and ``<desc>``; the same dates
are always given in a table next to the picture.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from coplan.export.protocol.content import Chart

INK = "#1b1b1b"
GRID = "#c9c9c9"
BAR = "#6f9fd8"
CRITICAL = "#1f4e79"
OUTLINE = "#0b2540"
HATCH = "#1f4e79"
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                "Dec")

LABEL_W = 300
CHART_W = 700
ROW_H = 26
TOP = 46
PAD = 10
FONT = 13


@dataclass(frozen=True, slots=True)
class Shape:
    kind: str  # rect, diamond, text, line
    x: float
    y: float
    w: float = 0
    h: float = 0
    style: str = ""  # bar, critical, hatch, milestone, checkpoint, grid, axis, swatch
    text: str = ""
    anchor: str = "start"
    size: int = FONT
    bold: bool = False
    tip: str = ""


@dataclass(slots=True)
class Layout:
    width: int
    height: int
    shapes: list[Shape] = field(default_factory=list)


def _months(start: date, end: date) -> list[date]:
    first = date(start.year, start.month, 1)
    months = []
    while first <= end:
        months.append(first)
        first = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return months


def _truncate(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def layout(chart: Chart) -> Layout:
    start = chart.start
    end = chart.end + timedelta(days=1)
    months = _months(start, end)
    span = max((end - start).days, 1)
    scale = CHART_W / span

    def x(day: date) -> float:
        return LABEL_W + (day - start).days * scale

    rows = len(chart.rows)
    body_bottom = TOP + rows * ROW_H
    legend_y = body_bottom + 28
    out = Layout(LABEL_W + CHART_W + PAD * 2, legend_y + 34)
    shapes = out.shapes
    month_w = CHART_W * 30 / span
    step = 1 if month_w >= 34 else (3 if month_w * 3 >= 34 else 6)
    for i, month in enumerate(months):
        mx = max(x(month), LABEL_W)
        shapes.append(Shape("line", mx, TOP - 6, 0, body_bottom - TOP + 6, "grid"))
        crowded = i + 1 < len(months) and x(months[i + 1]) - mx < 30
        if i % step == 0 and mx < LABEL_W + CHART_W - 10 and not crowded:
            shapes.append(Shape("text", mx + 3, TOP - 10, text=SHORT_MONTHS[month.month - 1],
                                size=FONT - 1))
        if month.month == 1 or i == 0:
            shapes.append(Shape("text", mx + 3, TOP - 28, text=str(month.year), size=FONT - 1,
                                bold=True))
    for row, label in enumerate(chart.rows):
        y = TOP + row * ROW_H
        shapes.append(Shape("text", LABEL_W - 8, y + ROW_H / 2 + 4, text=_truncate(label),
                            anchor="end"))
        shapes.append(Shape("line", PAD, y + ROW_H, LABEL_W + CHART_W - PAD, 0, "grid"))
    for item in chart.items:
        y = TOP + item.row * ROW_H
        x0 = x(item.start)
        x1 = x(item.end + timedelta(days=1))
        if item.kind in ("stage",):
            shapes.append(Shape("rect", x0, y + 5, max(x1 - x0, 2), ROW_H - 10,
                                "critical" if item.critical else "bar", tip=item.label))
        elif item.kind in ("buffer", "project-buffer"):
            shapes.append(Shape("rect", x0, y + 7, max(x1 - x0, 2), ROW_H - 14, "hatch",
                                tip=item.label))
        elif item.kind in ("milestone", "checkpoint"):
            cx = x(item.start) + scale / 2
            shapes.append(Shape("diamond", cx, y + ROW_H / 2, 7, 7, item.kind, tip=item.label))
    legend = [("bar", chart.legend.get("stage", "Stage")),
              ("critical", chart.legend.get("critical", "Critical")),
              ("hatch", chart.legend.get("buffer", "Slow-down time")),
              ("milestone", chart.legend.get("milestone", "Milestone")),
              ("checkpoint", chart.legend.get("checkpoint", "Reflection checkpoint"))]
    lx = float(PAD)
    for style, text in legend:
        if style in ("milestone", "checkpoint"):
            shapes.append(Shape("diamond", lx + 8, legend_y, 7, 7, style))
        else:
            shapes.append(Shape("rect", lx, legend_y - 7, 18, 14, style))
        shapes.append(Shape("text", lx + 24, legend_y + 5, text=text, size=FONT - 1))
        lx += 24 + len(text) * 6.6 + 22
    return out


# -- SVG -------------------------------------------------------------------------------

def to_svg(chart: Chart, n: int = 1) -> Markup:
    """Inline SVG for the HTML page; every piece of text is escaped.  ``n`` makes the
    chart's ids unique within its page (the page numbers its charts from 1, so the same
    plan gives the same page however many were made before in the same process)."""
    lay = layout(chart)
    tid, did, pid = f"gantt-title-{n}", f"gantt-desc-{n}", f"hatch-{n}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {lay.width} {lay.height}" '
        f'width="100%" role="img" aria-label="{escape(chart.title)}" '
        f'aria-describedby="{did}" class="gantt" font-family="Arial, Liberation Sans, '
        f'Helvetica, sans-serif">',
        f'<title id="{tid}">{escape(chart.title)}</title>',
        f'<desc id="{did}">{escape(chart.description)}</desc>',
        f'<defs><pattern id="{pid}" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{HATCH}" stroke-width="3"/></pattern>'
        f'</defs>',
        f'<rect width="{lay.width}" height="{lay.height}" fill="#ffffff"/>',
    ]
    for s in lay.shapes:
        tip = f"<title>{escape(s.tip)}</title>" if s.tip else ""
        if s.kind == "line":
            parts.append(f'<line x1="{s.x:.1f}" y1="{s.y:.1f}" x2="{s.x + s.w:.1f}" '
                         f'y2="{s.y + s.h:.1f}" stroke="{GRID}" stroke-width="1"/>')
        elif s.kind == "text":
            weight = ' font-weight="bold"' if s.bold else ""
            parts.append(f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size}" '
                         f'text-anchor="{s.anchor}" fill="{INK}"{weight}>{escape(s.text)}'
                         f'</text>')
        elif s.kind == "rect":
            fill = {"bar": BAR, "critical": CRITICAL, "hatch": f"url(#{pid})"}[s.style]
            stroke = OUTLINE if s.style != "bar" else "#2b5f99"
            width = 2 if s.style == "critical" else 1
            parts.append(f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" '
                         f'height="{s.h:.1f}" fill="{fill}" stroke="{stroke}" '
                         f'stroke-width="{width}">{tip}</rect>')
        elif s.kind == "diamond":
            r = s.w
            points = (f"{s.x:.1f},{s.y - r:.1f} {s.x + r:.1f},{s.y:.1f} {s.x:.1f},{s.y + r:.1f} "
                      f"{s.x - r:.1f},{s.y:.1f}")
            fill = INK if s.style == "milestone" else "#ffffff"
            parts.append(f'<polygon points="{points}" fill="{fill}" stroke="{INK}" '
                         f'stroke-width="2">{tip}</polygon>')
    parts.append("</svg>")
    return Markup("".join(parts))


# -- PNG -------------------------------------------------------------------------------

_FONT_FILES = (
    "/usr/share/fonts/truetype/liberation/LiberationSans-{style}.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-{style}.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans{dv}.ttf",
    "/System/Library/Fonts/Supplemental/Arial{ms}.ttf",
    "C:/Windows/Fonts/arial{win}.ttf",
)


@cache
def _font(size: int, bold: bool) -> Any:
    from PIL import ImageFont

    for pattern in _FONT_FILES:
        path = Path(pattern.format(style="Bold" if bold else "Regular",
                                   dv="-Bold" if bold else "", ms=" Bold" if bold else "",
                                   win="bd" if bold else ""))
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def to_png(chart: Chart, scale: int = 2) -> bytes:
    """A PNG of the chart (for DOCX), drawn with Pillow at ``scale`` times the SVG size."""
    from PIL import Image, ImageDraw

    lay = layout(chart)
    image = Image.new("RGB", (lay.width * scale, lay.height * scale), "white")
    draw = ImageDraw.Draw(image)

    def k(v: float) -> int:
        return round(v * scale)

    for s in lay.shapes:
        if s.kind == "line":
            draw.line([(k(s.x), k(s.y)), (k(s.x + s.w), k(s.y + s.h))], fill=GRID, width=scale)
        elif s.kind == "text":
            font = _font(k(s.size), s.bold)
            anchor = {"start": "ls", "end": "rs", "middle": "ms"}[s.anchor]
            draw.text((k(s.x), k(s.y)), s.text, fill=INK, font=font, anchor=anchor)
        elif s.kind == "rect":
            box = (k(s.x), k(s.y), k(s.x + s.w), k(s.y + s.h))
            if s.style == "hatch":
                _hatch(image, box, scale)
                draw.rectangle(box, outline=OUTLINE, width=scale)
            else:
                fill = CRITICAL if s.style == "critical" else BAR
                outline = OUTLINE if s.style == "critical" else "#2b5f99"
                draw.rectangle(box, fill=fill, outline=outline,
                               width=2 * scale if s.style == "critical" else scale)
        elif s.kind == "diamond":
            r = s.w
            points = [(k(s.x), k(s.y - r)), (k(s.x + r), k(s.y)), (k(s.x), k(s.y + r)),
                      (k(s.x - r), k(s.y))]
            draw.polygon(points, fill=INK if s.style == "milestone" else "white", outline=INK,
                         width=2 * scale)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True, dpi=(96 * scale, 96 * scale))
    return out.getvalue()


def _hatch(image: Any, box: tuple[int, int, int, int], scale: int) -> None:
    from PIL import Image, ImageDraw

    x0, y0, x1, y1 = box
    w, h = max(x1 - x0, 1), max(y1 - y0, 1)
    tile = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(tile)
    step = 6 * scale
    for offset in range(-h, w + h, step):
        draw.line([(offset, h), (offset + h, 0)], fill=HATCH, width=max(2, scale + 1))
    image.paste(tile, (x0, y0))
