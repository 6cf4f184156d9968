"""Plugins: how rules, exporters, plan templates and commands extend coplan (pluggy).

A plugin is a Python package with an entry point in the ``coplan`` group that points at a
module (or object) implementing some of the hooks in ``coplan.hooks``.  coplan's own rules,
exporters and templates register through exactly the same hooks (``coplan.builtin``), so a
third-party plugin is never second class.

This module is the application layer's door to them: ``all_rules()`` and
``all_exporters()`` gather what every loaded plugin adds, and the command line, the app and
the editing session pass those on to the domain (``review(..., registry=...)``,
``run_export``), which never imports this module.

Failures stay small: a plugin that cannot be imported, or whose hook raises, costs one
line of warning naming it, and everything else carries on.  ``COPLAN_PLUGINS`` limits
which third-party plugins load: a comma-separated list of entry-point names, or ``none``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

import pluggy

from coplan.hooks import GROUP, Specs, hookimpl, hookspec

if TYPE_CHECKING:
    from coplan.export.contract import Exporters
    from coplan.review.engine import Registry

__all__ = ["GROUP", "PluginInfo", "Plugins", "Specs", "all_exporters", "all_rules", "collect",
           "flatten", "hookimpl", "hookspec", "plugins"]

T = TypeVar("T")


@dataclass(slots=True)
class PluginInfo:
    """A loaded plugin: its name, version, module and what it provides."""

    name: str
    version: str
    module: str
    builtin: bool = False
    provides: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Plugins:
    """The plugin manager with every plugin loaded, and the warnings on loading."""

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
    import coplan.builtin as builtin
    from coplan import __version__

    manager = pluggy.PluginManager(GROUP)
    manager.add_hookspecs(Specs)
    info: dict[str, PluginInfo] = {}
    found = Plugins(manager, info, [])
    manager.register(builtin, name="builtin")
    info["builtin"] = PluginInfo("builtin", __version__, "coplan.builtin", builtin=True)
    allowed = _allowed()
    if allowed is not None and not allowed:
        return found  # no plugin allowed: installed ones are not even looked for
    from importlib.metadata import entry_points  # reading every package's metadata

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



def all_rules() -> Registry:
    """Every review rule: coplan's own and those of the loaded plugins (a plugin whose hook
    fails costs a warning, and its rules)."""
    from coplan.review.engine import Registry

    registry = Registry()
    collect("coplan_register_rules", registry=registry)
    return registry


def all_exporters() -> Exporters:
    """Every exporter: coplan's own first, then the loaded plugins', by name.

    A plugin's exporter that is not an ``Exporter``, or that takes a name already taken,
    is left out with a warning naming the plugin (a plugin cannot replace coplan's own
    calendar or protocol behind the team's back)."""
    from coplan.export.contract import Exporter, Exporters

    loaded = plugins()
    found = Exporters()
    for plugin, items in loaded.call("coplan_exporters"):
        for item in items if isinstance(items, list | tuple) else ():
            if not isinstance(item, Exporter):
                loaded.warn(f"plugin '{plugin}' gave coplan_exporters a "
                            f"{type(item).__name__}, not a coplan Exporter, so it is left out "
                            "(see docs/plugins.md)")
            elif item.name in found:
                loaded.warn(f"plugin '{plugin}' adds an exporter called '{item.name}', which "
                            f"'{found.origin(item.name)}' already adds, so it is left out")
            else:
                found.add(item, origin=plugin)
    return found
