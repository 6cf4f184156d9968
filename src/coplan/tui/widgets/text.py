"""Putting text in a ``Static`` only when it changes.

Every ``Static.update`` has Textual lay out the whole screen again (the text may change
the widget's size) and draw the widget again.  After an edit most of the app's texts say
what they said before (the status line's end date, which stages the list shows, the
details of a stage that was not edited), so they are left alone; a text whose box the
stylesheet fixes (``fixed``), or that takes exactly the room the text before it took, is
drawn again without a layout.
"""

from __future__ import annotations

import re

from rich.cells import get_character_cell_size
from rich.console import Group, RenderableType
from rich.text import Text
from textual.content import Content

from coplan.tui.widgets.literal import Static

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


_SPACES = re.compile(r"(\s+)")


def _shape(plain: str) -> tuple[object, ...]:
    """What of a text the room it takes depends on, however it is wrapped or cut: its
    spaces and line breaks as they are, and the width of each character of the words
    between them ("All 1,000 stages" and "All 1,001 stages" take the same room; "All 999
    stages" does not)."""
    return tuple(part if i % 2 else tuple(map(get_character_cell_size, part))
                 for i, part in enumerate(_SPACES.split(plain)))


def same_room(old: object, new: object) -> bool:
    """Whether ``new`` certainly takes the room ``old`` takes, in any box: strings
    without markup, rich ``Text`` set out alike, or Textual ``Content``, of the same shape
    (``_shape``).  Anything else is taken to differ."""
    if type(old) is not type(new):
        return False
    if isinstance(old, str) and isinstance(new, str):
        # (A string may be read as markup, whose tags take no room: with none, it is
        # shown as it is written.)
        return "[" not in old and "[" not in new and _shape(old) == _shape(new)
    if isinstance(old, Text) and isinstance(new, Text):
        return (old.justify == new.justify and old.overflow == new.overflow
                and old.no_wrap == new.no_wrap and old.end == new.end
                and old.tab_size == new.tab_size and _shape(old.plain) == _shape(new.plain))
    if isinstance(old, Content) and isinstance(new, Content):
        return _shape(old.plain) == _shape(new.plain)
    return False


def show(widget: Static, content: Shown, *, fixed: bool = False) -> None:
    """Show ``content`` in ``widget`` unless it shows it already.  ``fixed``: the
    widget's size never depends on its text (the stylesheet fixes it); nor does it when
    the new text takes the room the old one took (``same_room``)."""
    old = widget.content
    if same(old, content):
        return
    widget.update(content, layout=not fixed and not same_room(old, content))
