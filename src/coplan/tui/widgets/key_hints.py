"""A dialog's keys in words ("Tab: next · Ctrl+S: save · Esc: cancel"), on a line of its
own, broken between hints and never inside one.

Textual breaks text between words, so a hint too long for its line was cut in the middle
("Esc: back to" / "the people who came"); here each hint stays whole, and the next hint a
line cannot hold starts the next line (a narrow screen, a long "back to ...").
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len

from coplan.tui.widgets.literal import Static

SEPARATOR = " · "


def lay_out(hints: tuple[str, ...], width: int) -> str:
    """The hints in lines of at most ``width`` cells, broken only between hints (a hint
    wider than the line has a line of its own, and is broken as words are)."""
    lines: list[str] = []
    line = ""
    for hint in hints:
        joined = f"{line}{SEPARATOR}{hint}" if line else hint
        if line and width > 0 and cell_len(joined) > width:
            lines.append(line)
            line = hint
        else:
            line = joined
    lines.append(line)
    return "\n".join(lines)


class KeyHints(Static):
    """The keys of a dialog, as ``lay_out`` breaks them for the room the line has."""

    def __init__(self, *hints: str, **options: Any) -> None:
        self.hints = tuple(hints)
        super().__init__(SEPARATOR.join(self.hints), **options)

    def render(self) -> Any:
        return lay_out(self.hints, self.content_region.width)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return lay_out(self.hints, width).count("\n") + 1

    def on_resize(self) -> None:
        self.refresh(layout=True)
