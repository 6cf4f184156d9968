"""Exports of a plan on disk: what the command line and the app both do around an exporter.

Exporters (``coplan.export.contract``) are pure: they never read the environment or touch
files.  This module does those things, once, for both faces of coplan:

* the state an exporter keeps between exports (the calendar's event sequences), in
  ``.PLAN.NAME-state.json`` beside the plan: read before the export, saved after it;
* writing the bytes: in one step (a crash leaves the old file or the new, never half).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coplan.export.contract import Exporter
from coplan.records import dataclass


def state_path(exporter: Exporter, plan_path: Path) -> Path:
    """Where ``exporter`` keeps its state for the plan at ``plan_path`` by default."""
    return plan_path.with_name(f".{plan_path.stem}.{exporter.name}-state.json")


@dataclass(slots=True)
class KeptState:
    """An exporter's state for one export, and where it is saved afterwards (None: it is
    not saved, as with ``--no-state``)."""

    state: Any
    where: Path | None


def load_state(exporter: Exporter, where: Path | None) -> KeptState:
    """``exporter``'s state as saved at ``where`` (fresh if there is none, or it cannot be
    read); ``where=None`` gives a fresh state that will not be saved."""
    if exporter.state is None:
        return KeptState(None, None)
    text: str | None = None
    if where is not None:
        from coplan.fileio import read_small_text

        try:
            text = read_small_text(where)
        except (OSError, ValueError):
            text = None
    return KeptState(exporter.state.load(text), where)


def save_state(kept: KeptState) -> None:
    """Save the state after a successful export (raises OSError if it cannot)."""
    if kept.state is None or kept.where is None:
        return
    from coplan.fileio import write_text

    write_text(kept.where, kept.state.dumps())


def write_output(target: Path, data: bytes) -> None:
    """Write an export to ``target`` (``fileio.write_bytes``: in one step for a plain file,
    straight into a pipe or device; raises OSError if it cannot, ``FileRefused`` where a
    plan would be written over: ``fileio.plan_in_the_way``)."""
    from coplan.fileio import FileRefused, plan_in_the_way, write_bytes

    reason = plan_in_the_way(target)
    if reason is not None:
        raise FileRefused(target, reason, "choose another file name")
    write_bytes(target, data)
