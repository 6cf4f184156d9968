"""Choices whose state is plain without colour: ``[x]`` and ``[ ]`` for ticked and
unticked (and ``›`` beside the one the cursor is on), ``(•)`` and ``( )`` for the chosen
answer and the others, and a switch that says "Yes" or "No" beside it.

Textual draws ticked and unticked boxes alike (``▐X▌``), told apart only by colour, and
every radio button as ``▐●▌``; coplan promises never to show a state by colour alone
(people with colour blindness, on monochrome or high-contrast screens, or reading a
screenshot in print).
"""

from __future__ import annotations

from typing import Any, cast

from rich.segment import Segment
from rich.style import Style
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import RadioButton, SelectionList, Switch
from textual.widgets.option_list import OptionDoesNotExist

from coplan.tui.widgets.literal import Static

TICKED, UNTICKED = "[x]", "[ ]"
CURSOR = "›"  # beside the box of the choice the cursor is on, in a list with the focus
CHOSEN, NOT_CHOSEN = "(•)", "( )"


class TickList(SelectionList[Any]):
    """A list of choices, each ticked ``[x]`` or unticked ``[ ]``."""

    def action_select(self) -> None:
        """Tick or untick the highlighted choice as Space is pressed.

        Textual's own only posts a message, and ticks whatever is highlighted when the
        message is read: keys pressed straight after (Space, Down, Space, Down, Space, as
        a quick hand, a remote terminal or a screen reader sends them) had moved the
        highlight by then, so three people ticked at once became the last one ticked
        three times (ticked once: one saved)."""
        highlighted = self.highlighted
        if highlighted is None:
            return
        option = self.get_option_at_index(highlighted)
        if not option.disabled:
            self.toggle(option)

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        if len(segments) < 3:  # pragma: no cover - Textual always draws the box first
            return strip
        ticked = selection.value in self._selected
        # The characters say the state: a ticked box keeps the colour of Textual's button
        # (and is bold), an unticked one is drawn as the text beside it, so it shows in
        # every theme (Textual's own is the colour of the background in high contrast).
        text_style = segments[3].style or Style()
        style = (segments[1].style or text_style) + Style(bold=True) if ticked else text_style
        segments[:3] = [Segment(ch, style) for ch in (TICKED if ticked else UNTICKED)]
        if self.has_focus and self.highlighted == self.scroll_offset.y + y:
            # The cursor is a mark, not only a shade: without colour (NO_COLOR, a
            # monochrome screen) the highlighted row was a grey band like any other.
            segments[3:4] = [Segment(f" {CURSOR} ", segments[3].style)]
            return Strip(segments).crop(0, strip.cell_length)
        return Strip(segments)


class Choice(RadioButton):
    """One answer of a set: ``(•)`` when it is the chosen one, ``( )`` when not.

    Where its style lets it wrap (``text-wrap: wrap``, as in a dialog's fields), it takes
    the lines its words need: Textual's own is always one line high, so a long answer
    ("Keep theirs: " and a whole sentence, at 80x24) was cut with "…"."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.styles.text_wrap != "wrap":
            return 1
        rules = cast(Any, self.styles)  # (read as Textual's own widgets read them)
        return max(1, self.render().get_height(rules, width))

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        mark = CHOSEN if self.value else NOT_CHOSEN
        return Content.assemble((mark[0], style), (mark[1], style), (mark[2], style))


class YesNo(Horizontal):
    """A switch with the word for its state beside it, "Yes" or "No", changing with it.

    The switch inside has the id given, so forms read its value as any switch's."""

    DEFAULT_CSS = """
    YesNo { height: auto; width: auto; }
    YesNo > .yes-no-word { width: 4; height: 3; content-align: left middle; padding-left: 1;
                           text-style: bold; }
    """

    def __init__(self, value: bool, *, id: str) -> None:
        super().__init__(id=f"yes-no-{id}")
        self._value = value
        self._switch_id = id

    def compose(self) -> ComposeResult:
        yield Switch(value=self._value, id=self._switch_id)
        yield Static(self.word(self._value), classes="yes-no-word")

    @staticmethod
    def word(value: bool) -> str:
        return "Yes" if value else "No"

    @on(Switch.Changed)
    def _say(self, event: Switch.Changed) -> None:
        self.query_one(".yes-no-word", Static).update(self.word(event.value))
