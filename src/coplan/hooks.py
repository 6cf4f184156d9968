"""The hooks a coplan plugin may implement, and pluggy's markers for them.

Kept apart from ``plugins.py`` (the manager that finds and loads plugins) so that
``coplan.builtin``, which is a plugin like any other, can mark its hooks without importing
the manager that loads it.  Plugins import ``hookimpl`` from ``coplan.plugins``, which
re-exports it from here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from coplan.export.contract import Exporter
    from coplan.review.engine import Registry

GROUP = "coplan"
hookspec = pluggy.HookspecMarker(GROUP)
hookimpl = pluggy.HookimplMarker(GROUP)


class Specs:
    """The hooks a plugin may implement."""

    @hookspec
    def coplan_register_rules(self, registry: Registry) -> None:
        """Add review rules to ``registry`` (use ``coplan.review.rule(..., registry=registry)``
        or ``registry.add(Rule(...))``)."""

    @hookspec
    def coplan_exporters(self) -> list[Exporter]:
        """Exporters (``coplan.export.contract.Exporter``): each becomes
        ``coplan export NAME`` on the command line and a choice in the app's export dialog."""
        raise NotImplementedError

    @hookspec
    def coplan_plan_templates(self) -> list[Path]:
        """Plan template files (``.toml``) that ``coplan new --template`` can start from;
        the template's name is the file's stem."""
        raise NotImplementedError

    @hookspec
    def coplan_commands(self) -> list[click.Command]:
        """Extra top-level ``coplan`` commands."""
        raise NotImplementedError
