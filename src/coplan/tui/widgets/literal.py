"""Words shown as they are written: coplan's ``Static`` and ``Label`` read no markup.

Textual's ``Static`` and ``Label`` read a string as markup: ``[b]`` starts bold, and
``[draft]`` or ``[/]`` is taken for a style (the words vanish) or stops the app with a
markup error.  Most of what coplan shows comes from the plan, in people's own words (a
title "Budget [draft]", a name, a note), and coplan never means markup in a string of its
own; so every text widget of the app is one of these, and lists, buttons and table cells
are given ``words`` (Textual ``Content``, shown as it is) rather than a string.  (A test
keeps the app's modules from importing Textual's own.)
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import widgets
from textual.content import Content

__all__ = ["Label", "Static", "cell", "words"]


class Static(widgets.Static):
    """Textual's ``Static``, reading a string as it is written (no markup)."""

    def __init__(self, content: Any = "", *, markup: bool = False, **options: Any) -> None:
        super().__init__(content, markup=markup, **options)


class Label(widgets.Label):
    """Textual's ``Label``, reading a string as it is written (no markup)."""

    def __init__(self, content: Any = "", *, markup: bool = False, **options: Any) -> None:
        super().__init__(content, markup=markup, **options)


def words(text: str | Content) -> Content:
    """``text`` for a widget that would read a string as markup (an option of a list, a
    button's label): shown as written."""
    return text if isinstance(text, Content) else Content(text)


def cell(text: Any) -> Any:
    """A value shown as written where rich ``Text`` is wanted: a table's cell (a
    ``DataTable`` or a rich ``Table`` reads a string as markup) or a ``Select``'s option
    (which takes no ``Content``)."""
    return Text(text) if isinstance(text, str) else text
