"""coplan's own rules, exporters and plan templates, registered through the plugin hooks
exactly as a third-party plugin registers its own (see ``plugins.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coplan.plugins import hookimpl

if TYPE_CHECKING:
    import click

    from coplan.review.engine import Registry


@hookimpl
def coplan_register_rules(registry: Registry) -> None:
    from coplan.review.engine import REGISTRY
    from coplan.review.rules import load

    load()
    for rule in REGISTRY:
        registry.add(rule)


@hookimpl
def coplan_exporters() -> list[click.Command]:
    from coplan import cli_export

    return cli_export.BUILTIN_EXPORTERS


@hookimpl
def coplan_plan_templates() -> list[Path]:
    from coplan.resources import data_dir

    return sorted((data_dir("templates") / "plans").glob("*.toml"))
