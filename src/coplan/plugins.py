"""Plugins: how rules, exporters, plan templates and commands extend coplan (pluggy).

A plugin is a Python package with an entry point in the ``coplan`` group that points at a
module (or object) implementing some of the hooks below.  coplan's own rules, exporters
and templates register through exactly the same hooks (``coplan.builtin``), so a
third-party plugin is never second class.

Failures stay small: a plugin that cannot be imported, or whose hook raises, costs one
line of warning naming it, and everything else carries on.  ``COPLAN_PLUGINS`` limits
which third-party plugins load: a comma-separated list of entry-point names, or ``none``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pluggy

if TYPE_CHECKING:
    import click

    from coplan.review.engine import Registry

GROUP = "coplan"
hookspec = pluggy.HookspecMarker(GROUP)
hookimpl = pluggy.HookimplMarker(GROUP)

T = TypeVar("T")


class Specs:
    """The hooks a plugin may implement."""

    @hookspec
    def coplan_register_rules(self, registry: Registry) -> None:
        """Add review rules to ``registry`` (use ``coplan.review.rule(..., registry=registry)``
        or ``registry.add(Rule(...))``)."""

    @hookspec
    def coplan_exporters(self) -> list[click.Command]:
        """Click commands to add under ``coplan export`` (the command's name is the
        exporter's name, such as ``ics`` or ``mermaid``)."""
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


@dataclass(slots=True)
class PluginInfo:
    name: str
    version: str
    module: str
    builtin: bool = False
    provides: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Plugins:
    manager: pluggy.PluginManager
    info: dict[str, PluginInfo]
    warnings: list[str]

    def call(self, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """Call every implementation of a hook on its own, so one plugin's failure is one
        warning, not a crash.  Returns (plugin name, result) pairs, built-ins first."""
        hook = getattr(self.manager.hook, hook_name)
        results: list[tuple[str, Any]] = []
        impls = sorted(hook.get_hookimpls(), key=lambda i: i.plugin_name != "builtin")
        for impl in impls:
            try:
                result = impl.function(**{k: kwargs[k] for k in impl.argnames})
            except Exception as exc:  # a plugin's bug must not break coplan
                self.warn(f"plugin '{impl.plugin_name}' failed in {hook_name} "
                          f"({type(exc).__name__}: {exc}); carrying on without it")
                continue
            results.append((impl.plugin_name, result))
            if impl.plugin_name in self.info:
                count = len(result) if isinstance(result, list) else 0
                self.info[impl.plugin_name].provides[hook_name] = count
        return results

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
            print(f"coplan: warning: {message}", file=sys.stderr)


def _allowed() -> set[str] | None:
    raw = os.environ.get("COPLAN_PLUGINS")
    if raw is None:
        return None
    names = {n.strip() for n in raw.split(",") if n.strip()}
    return set() if names <= {"none", ""} else names


@lru_cache(maxsize=1)
def plugins() -> Plugins:
    """The plugin manager with the built-ins and every allowed installed plugin."""
    from importlib.metadata import entry_points

    import coplan.builtin as builtin
    from coplan import __version__

    manager = pluggy.PluginManager(GROUP)
    manager.add_hookspecs(Specs)
    info: dict[str, PluginInfo] = {}
    found = Plugins(manager, info, [])
    manager.register(builtin, name="builtin")
    info["builtin"] = PluginInfo("builtin", __version__, "coplan.builtin", builtin=True)
    allowed = _allowed()
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        if allowed is not None and ep.name not in allowed:
            continue
        if manager.has_plugin(ep.name):
            continue
        version = ep.dist.version if ep.dist else "?"
        try:
            plugin = ep.load()
        except Exception as exc:
            found.warn(f"plugin '{ep.name}' could not be loaded ({type(exc).__name__}: "
                       f"{exc}); carrying on without it")
            continue
        try:
            manager.register(plugin, name=ep.name)
        except Exception as exc:
            found.warn(f"plugin '{ep.name}' is not a valid coplan plugin ({exc})")
            continue
        info[ep.name] = PluginInfo(ep.name, version, ep.value)
    return found


def collect(hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
    return plugins().call(hook_name, **kwargs)


def flatten(pairs: list[tuple[str, list[T] | None]]) -> list[tuple[str, T]]:
    return [(name, item) for name, items in pairs for item in (items or [])]

