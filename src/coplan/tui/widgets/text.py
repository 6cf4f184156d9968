"""Putting text in a ``Static`` only when it changes.

Every ``Static.update`` has Textual lay out the whole screen again (the text may change
the widget's size) and draw the widget again.  After an edit most of the app's texts say
what they said before (the status line's end date, which stages the list shows, the
details of a stage that was not edited), so they are left alone; a text whose box the
stylesheet fixes (``fixed``) is drawn again without a layout.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.content import Content
from textual.widgets import Static

Shown = RenderableType | Content


def same(old: object, new: object) -> bool:
    """Whether ``new`` shows exactly what ``old`` shows: the same string, rich ``Text``
    or Textual ``Content`` (words, styles and layout alike), or groups of such in the
    same order.  Anything else is taken to differ."""
    if type(old) is not type(new):
        return False
    if isinstance(old, str):
        return old == new
    if isinstance(old, Text) and isinstance(new, Text):
        return (old.plain == new.plain and old.spans == new.spans and old.style == new.style
                and old.justify == new.justify and old.overflow == new.overflow
                and old.no_wrap == new.no_wrap and old.end == new.end
                and old.tab_size == new.tab_size)
    if isinstance(old, Content) and isinstance(new, Content):
        return old.plain == new.plain and old.spans == new.spans
    if isinstance(old, Group) and isinstance(new, Group):
        a, b = old.renderables, new.renderables
        return (old.fit == new.fit and len(a) == len(b)
                and all(same(x, y) for x, y in zip(a, b, strict=True)))
    return False


def show(widget: Static, content: Shown, *, fixed: bool = False) -> None:
    """Show ``content`` in ``widget`` unless it shows it already.  ``fixed``: the
    widget's size never depends on its text (the stylesheet fixes it)."""
    if same(widget.content, content):
        return
    widget.update(content, layout=not fixed)
