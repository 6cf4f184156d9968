"""The footer, showing only the keys that fit whole.

Textual's footer lays its keys out in a row and lets the row run off the edge of a narrow
screen: at 80 columns the last key read "^s Sa", a word cut in the middle that a screen
reader reads as another word.  This footer shows the keys in their order for as long as
each fits whole beside the command palette's key, and leaves out the rest (F1 help lists
every key; Ctrl+P finds every action by name).  It works this out again when the screen's
width changes.  It shows the keys of the tab on screen and the app's own, as the app says
(``CoplanApp.in_footer``): the People tab's footer once showed the stage keys and hid its own.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["FittedFooter", "key_width"]

PALETTE_EXTRA = 2  # the palette key's border on its left and its padding on its right


def key_width(key: FooterKey) -> int:
    """The cells one key takes in the footer: its key and its words, a space either side
    of the key and one after the words (the footer's own padding, not in compact style)."""
    return cell_len(key.key_display) + 2 + (cell_len(key.description) + 1
                                            if key.description else 0)


class FittedFooter(Footer):
    """The footer's keys, as many as fit whole (see the module's docstring)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._fitted: int | None = None  # how many keys were shown at the last width

    def compose(self) -> ComposeResult:
        made = list(super().compose())
        room = self.size.width or self.app.size.width
        palette = [w for w in made if w.has_class("-command-palette")]
        room -= sum(key_width(w) + PALETTE_EXTRA for w in palette if isinstance(w, FooterKey))
        shown: list[Widget] = []
        # The app says which keys belong on the screen as it is (the tab on screen's own).
        wanted = getattr(self.app, "in_footer", lambda action: True)
        for widget in made:
            if widget in palette or (isinstance(widget, FooterKey)
                                     and not wanted(widget.action)):
                continue
            width = key_width(widget) if isinstance(widget, FooterKey) else \
                cell_len(str(getattr(widget, "content", ""))) + 1
            if width > room:
                break
            room -= width
            shown.append(widget)
        self._fitted = len(shown)
        yield from shown
        yield from palette

    def on_resize(self, event: events.Resize) -> None:
        if self._fitted is not None:
            self.call_after_refresh(self.recompose)
