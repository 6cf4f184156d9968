"""A drop-down whose highlighted choice carries a mark, not only a colour.

Textual's ``Select`` shows the choice the cursor is on by its colour and weight alone:
with NO_COLOR, on a monochrome or high-contrast screen, or to someone who cannot tell the
shades apart, every line of the open list looked the same.  Here the line the cursor is on
starts with ``›``, as in the tick lists (``plain_state.CURSOR``), in every theme.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.app import ComposeResult
from textual.strip import Strip
from textual.widgets import Select
from textual.widgets._select import SelectCurrent, SelectOverlay

from coplan.tui.widgets.plain_state import CURSOR


class MarkedOverlay(SelectOverlay):
    """The open list of a drop-down: ``›`` in the margin of the highlighted choice."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            index, line = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return strip
        if index != self.highlighted or line != 0 or strip.cell_length < 2:
            return strip
        segments = list(strip.crop(0, 1))
        style = segments[0].style if segments else None
        # (the choice's own margin: each choice is drawn with a space before and after)
        return Strip([Segment(CURSOR, style), *strip.crop(1, strip.cell_length)],
                     strip.cell_length)


class ChooseOne(Select[Any]):
    """Textual's ``Select`` with ``MarkedOverlay`` as its open list."""

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield MarkedOverlay(type_to_search=self._type_to_search).data_bind(
            compact=Select.compact)
