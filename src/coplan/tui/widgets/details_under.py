"""Words about the row chosen in a table, under the table: as many lines as they need.

The Delivery tab's session record and the Review tab's explanation of a finding were capped
(half the tab, nine lines): a long record was cut while the table above had rows to spare.
``DetailsUnder`` takes the lines its words need, up to what leaves the table its header and
a few rows, and scrolls beyond that; then Tab reaches it, and the arrow keys, Page Up,
Page Down, Home and End scroll it (a box that shows all of its words is passed over by Tab,
as before).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget

from coplan.tui.widgets.literal import Static
from coplan.tui.widgets.text import Shown, show

TABLE_KEEPS = 6  # lines the table above keeps: its header and five rows
LEAST = 3  # lines the details keep however small the tab


class DetailsUnder(VerticalScroll):
    """The chosen row's details, under its table, in the room the table can spare."""

    DEFAULT_CSS = """
    DetailsUnder { height: auto; }
    DetailsUnder > Static { height: auto; }
    """

    def __init__(self, content: Shown = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.can_focus = False
        self._words = Static(content)

    def compose(self) -> ComposeResult:
        yield self._words

    @property
    def content(self) -> object:
        """What the box says now."""
        return self._words.content

    def say(self, content: Shown) -> None:
        """Show ``content`` from its start."""
        show(self._words, content)
        self.scroll_home(animate=False)
        self.call_after_refresh(self._scroll_by_keys_if_needed)

    def fit_under(self, table: Widget) -> None:
        """Take at most the room ``table`` does not need for its header and a few rows;
        what is on the tab besides the two keeps its own."""
        holder = self.parent
        if not isinstance(holder, Widget) or holder.size.height == 0:
            return
        others = sum(child.outer_size.height for child in holder.children
                     if child is not self and child is not table and child.display)
        room = holder.size.height - others - TABLE_KEEPS - self.styles.gutter.height
        self.styles.max_height = max(LEAST, room) + self.styles.gutter.height
        self.call_after_refresh(self._scroll_by_keys_if_needed)

    def _scroll_by_keys_if_needed(self) -> None:
        """Tab reaches the box only when it holds more than it shows."""
        self.can_focus = self.max_scroll_y > 0
