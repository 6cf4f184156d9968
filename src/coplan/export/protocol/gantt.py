"""The timeline as a picture: one layout, drawn as inline SVG (HTML) or PNG (DOCX).

Nothing is told by colour alone: slow-down time is hatched, critical stages are darker
*and* outlined, milestones are filled diamonds and reflection checkpoints hollow ones.  The
SVG carries ``role="img"``, an ``aria-label``, ``<title>`` and ``<desc>``; the same dates
are always given in a table next to the picture.
"""

from __future__ import annotations

import io
from dataclasses import field, replace
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from coplan.export.protocol.content import Chart
from coplan.records import dataclass

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
    """One shape of the timeline picture."""

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
    """The timeline picture: its size and shapes."""

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


LINE_H = 16  # one line of a wrapped label
LEGEND_H = 62  # from the last row to the bottom: the legend


def layout(chart: Chart, *, label_w: int = LABEL_W,
           lines: list[list[str]] | None = None) -> Layout:
    """Where everything goes.  Labels are cut to 40 characters (the HTML page shows each in
    full in a tooltip and the table), unless ``lines`` gives each row's label as the lines
    to write, in a label column ``label_w`` wide (the DOCX pictures, ``pages``)."""
    start = chart.start
    end = chart.end + timedelta(days=1)
    months = _months(start, end)
    span = max((end - start).days, 1)
    scale = CHART_W / span

    def x(day: date) -> float:
        return label_w + (day - start).days * scale

    heights = [ROW_H if lines is None else _row_height(lines[i]) for i in range(len(chart.rows))]
    tops = [TOP + above for above in accumulate(heights, initial=0)][:len(heights)]
    body_bottom = TOP + sum(heights)
    legend_y = body_bottom + 28
    out = Layout(label_w + CHART_W + PAD * 2, legend_y + 34)
    shapes = out.shapes
    month_w = CHART_W * 30 / span
    step = 1 if month_w >= 34 else (3 if month_w * 3 >= 34 else 6)
    for i, month in enumerate(months):
        mx = max(x(month), label_w)
        shapes.append(Shape("line", mx, TOP - 6, 0, body_bottom - TOP + 6, "grid"))
        crowded = i + 1 < len(months) and x(months[i + 1]) - mx < 30
        if i % step == 0 and mx < label_w + CHART_W - 10 and not crowded:
            shapes.append(Shape("text", mx + 3, TOP - 10, text=SHORT_MONTHS[month.month - 1],
                                size=FONT - 1))
        if month.month == 1 or i == 0:
            shapes.append(Shape("text", mx + 3, TOP - 28, text=str(month.year), size=FONT - 1,
                                bold=True))
    for row, label in enumerate(chart.rows):
        y, h = tops[row], heights[row]
        if lines is None:
            shapes.append(Shape("text", label_w - 8, y + ROW_H / 2 + 4, text=_truncate(label),
                                anchor="end"))
        else:
            first = y + (h - len(lines[row]) * LINE_H) / 2 + LINE_H - 4
            for n, line in enumerate(lines[row]):
                shapes.append(Shape("text", label_w - 8, first + n * LINE_H, text=line,
                                    anchor="end"))
        shapes.append(Shape("line", PAD, y + h, label_w + CHART_W - PAD, 0, "grid"))
    for item in chart.items:
        y = tops[item.row] + (heights[item.row] - ROW_H) // 2
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


def _row_height(lines: list[str]) -> int:
    return max(ROW_H, len(lines) * LINE_H + 8)


def text_width(text: str, size: int = FONT, bold: bool = False) -> float:
    """How wide ``text`` is drawn in the PNG's font, in layout units."""
    return float(_font(size, bold).getlength(text))


def wrap(text: str, width: float) -> list[str]:
    """``text`` in lines no wider than ``width`` when drawn, broken between words (a word
    too long for a line on its own is broken where it must be)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if text_width(trial) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = word
        while text_width(current) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and text_width(current[:cut]) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current or not lines:
        lines.append(current)
    return lines


@dataclass(frozen=True, slots=True)
class Page:
    """One picture of a chart too tall for one page: rows ``first`` to ``last``."""

    chart: Chart
    first: int
    last: int
    label_w: int
    lines: list[list[str]]


def pages(chart: Chart, *, width_mm: float, height_mm: float) -> list[Page]:
    """The chart cut into pictures that each fit ``height_mm`` when drawn ``width_mm``
    wide, every label in full: the label column is as wide as the longest label needs
    (within limits), and a longer label wraps onto more lines.  Each picture has the month
    axis and the key."""
    widest = max((text_width(label) for label in chart.rows), default=0.0)
    label_w = int(min(max(widest + 16, 200), 420))
    lines = [wrap(label, label_w - 16) for label in chart.rows]
    total_w = label_w + CHART_W + PAD * 2
    room = height_mm * total_w / width_mm - TOP - LEGEND_H  # layout units for rows
    groups: list[list[int]] = [[]]
    used = 0
    for row in range(len(chart.rows)):
        h = _row_height(lines[row])
        if groups[-1] and used + h > room:
            groups.append([])
            used = 0
        groups[-1].append(row)
        used += h
    out = []
    for rows in groups:
        if not rows:
            continue
        first, last = rows[0], rows[-1]
        part = Chart(title=chart.title, description=chart.description,
                     rows=chart.rows[first:last + 1],
                     items=[replace(item, row=item.row - first) for item in chart.items
                            if first <= item.row <= last],
                     start=chart.start, end=chart.end, legend=chart.legend, kind=chart.kind)
        out.append(Page(part, first, last, label_w, lines[first:last + 1]))
    return out


def page_png(page: Page, scale: int = 2, *, palette: bool = True) -> bytes:
    """One page of a chart as a PNG: a palette picture (one byte a pixel, not three, so
    a third of the bytes to compress and about half the file), or with ``palette=False``
    the same pixels in RGB."""
    return _png(layout(page.chart, label_w=page.label_w, lines=page.lines), scale,
                optimize=False, palette=palette)


def to_png(chart: Chart, scale: int = 2) -> bytes:
    """A PNG of the chart, drawn with Pillow at ``scale`` times the SVG size."""
    return _png(layout(chart), scale, optimize=True)


# The palette of a palette picture: index n is the grey (n, n, n), so text drawn smooth in
# INK over white or a grey grid line blends to exactly the grey an RGB picture would hold
# (Pillow blends an index as it blends each of R, G and B).  The darkest grey drawn is INK,
# so the indices below it hold the chart's colours.
_COLOURS = {colour: n for n, colour in enumerate((BAR, CRITICAL, OUTLINE, "#2b5f99"), start=1)}


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _palette() -> list[int]:
    entries = [(n, n, n) for n in range(256)]
    for colour, n in _COLOURS.items():
        entries[n] = _rgb(colour)
    return [v for rgb in entries for v in rgb]


def _ink(colour: str, palette: bool) -> Any:
    """``colour`` as the picture takes it: itself, or its index in the palette."""
    if not palette:
        return colour
    if colour == "white":
        return 255
    red, green, blue = _rgb(colour)
    return red if red == green == blue else _COLOURS[colour]


def _png(lay: Layout, scale: int, *, optimize: bool, palette: bool = False) -> bytes:
    from PIL import Image, ImageDraw

    size = (lay.width * scale, lay.height * scale)
    if palette:
        image = Image.new("P", size, 255)
        image.putpalette(_palette())
    else:
        image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.fontmode = "L"  # smooth text in a palette picture too

    def k(v: float) -> int:
        return round(v * scale)

    def c(colour: str) -> Any:
        return _ink(colour, palette)

    for s in lay.shapes:
        if s.kind == "line":
            draw.line([(k(s.x), k(s.y)), (k(s.x + s.w), k(s.y + s.h))], fill=c(GRID),
                      width=scale)
        elif s.kind == "text":
            font = _font(k(s.size), s.bold)
            anchor = {"start": "ls", "end": "rs", "middle": "ms"}[s.anchor]
            draw.text((k(s.x), k(s.y)), s.text, fill=c(INK), font=font, anchor=anchor)
        elif s.kind == "rect":
            box = (k(s.x), k(s.y), k(s.x + s.w), k(s.y + s.h))
            if s.style == "hatch":
                _hatch(image, box, scale, palette)
                draw.rectangle(box, outline=c(OUTLINE), width=scale)
            else:
                fill = CRITICAL if s.style == "critical" else BAR
                outline = OUTLINE if s.style == "critical" else "#2b5f99"
                draw.rectangle(box, fill=c(fill), outline=c(outline),
                               width=2 * scale if s.style == "critical" else scale)
        elif s.kind == "diamond":
            r = s.w
            points = [(k(s.x), k(s.y - r)), (k(s.x + r), k(s.y)), (k(s.x), k(s.y + r)),
                      (k(s.x - r), k(s.y))]
            draw.polygon(points, fill=c(INK if s.style == "milestone" else "white"),
                         outline=c(INK), width=2 * scale)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=optimize, dpi=(96 * scale, 96 * scale))
    return out.getvalue()


def _hatch(image: Any, box: tuple[int, int, int, int], scale: int, palette: bool) -> None:
    from PIL import Image, ImageDraw

    x0, y0, x1, y1 = box
    w, h = max(x1 - x0, 1), max(y1 - y0, 1)
    tile = Image.new(image.mode, (w, h), _ink("white", palette))
    draw = ImageDraw.Draw(tile)
    step = 6 * scale
    for offset in range(-h, w + h, step):
        draw.line([(offset, h), (offset + h, 0)], fill=_ink(HATCH, palette),
                  width=max(2, scale + 1))
    image.paste(tile, (x0, y0))
