"""coplan's own rules, exporters and plan templates, registered through the plugin hooks
exactly as a third-party plugin registers its own (see ``hooks.py`` and ``plugins.py``).

Each hook imports what it hands over only when called, so loading the plugins stays cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coplan.hooks import hookimpl

if TYPE_CHECKING:
    from coplan.export.contract import Exporter
    from coplan.review.engine import Registry


@hookimpl
def coplan_register_rules(registry: Registry) -> None:
    from coplan.review.rules import register

    register(registry)


@hookimpl
def coplan_exporters() -> list[Exporter]:
    from coplan.export.exporters import BUILTIN

    return list(BUILTIN)


@hookimpl
def coplan_plan_templates() -> list[Path]:
    from coplan.bundled import data_dir

    return sorted((data_dir("templates") / "plans").glob("*.toml"))
