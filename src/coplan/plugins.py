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
from dataclasses import field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

from coplan.records import dataclass

if TYPE_CHECKING:
    import pluggy

    from coplan.export.contract import Exporters
    from coplan.hooks import Specs, hookimpl, hookspec
    from coplan.review.engine import Registry

__all__ = ["GROUP", "PluginInfo", "Plugins", "Specs", "all_exporters", "all_rules", "collect",
           "flatten", "hookimpl", "hookspec", "plugins"]

T = TypeVar("T")
MAX_CACHE_BYTES: Final = 4 * 1024 * 1024
# The entry points' group, and pluggy's name for coplan's hooks (``hooks.GROUP``, the same:
# written here too so that finding the installed plugins does not import pluggy).
GROUP: Final = "coplan"

# What plugins import from here (``from coplan.plugins import hookimpl``), made by
# ``coplan.hooks`` with pluggy's markers: imported when first asked for, so that a command
# that loads no plugin does not import pluggy (``all_rules``).
_FROM_HOOKS: Final = frozenset({"Specs", "hookimpl", "hookspec"})


def __getattr__(name: str) -> Any:
    if name in _FROM_HOOKS:
        import coplan.hooks

        return getattr(coplan.hooks, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    # The hooks that failed, by plugin: what they would have added is left out.
    failed: dict[str, list[str]] = field(default_factory=dict)

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
                if impl.plugin_name == "builtin":
                    # ... but coplan's own is coplan's bug: carrying on without its rules
                    # had a review of no rule at all say "No errors" (exit 0) to a CI gate.
                    raise
                self.warn(f"plugin '{impl.plugin_name}' failed in {hook_name} "
                          f"({type(exc).__name__}: {exc}); carrying on without it")
                hooks = self.failed.setdefault(impl.plugin_name, [])
                if hook_name not in hooks:
                    hooks.append(hook_name)
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
    import pluggy

    import coplan.builtin as builtin
    from coplan import __version__
    from coplan.hooks import Specs

    manager = pluggy.PluginManager(GROUP)
    manager.add_hookspecs(Specs)
    info: dict[str, PluginInfo] = {}
    found = Plugins(manager, info, [])
    manager.register(builtin, name="builtin")
    info["builtin"] = PluginInfo("builtin", __version__, "coplan.builtin", builtin=True)
    allowed = _allowed()
    if allowed is not None and not allowed:
        return found  # no plugin allowed: installed ones are not even looked for
    for name, value, version in installed():
        if allowed is not None and name not in allowed:
            continue
        if manager.has_plugin(name):
            continue
        try:
            plugin = load_entry_point(value)
        except Exception as exc:
            found.warn(f"plugin '{name}' could not be loaded ({type(exc).__name__}: "
                       f"{exc}); carrying on without it")
            continue
        try:
            manager.register(plugin, name=name)
        except Exception as exc:
            found.warn(f"plugin '{name}' is not a valid coplan plugin ({exc})")
            continue
        info[name] = PluginInfo(name, version, value)
    return found


# -- the installed plugins, kept between runs ------------------------------------------------
#
# Finding the installed plugins means importing ``importlib.metadata`` and reading the
# metadata of every installed package: 20 to 30 ms, in every ``coplan check`` and
# ``coplan export`` (and ``--help``), although most people have no plugin at all.  What it
# found is kept in coplan's cache folder with the state of everything it read: every folder
# on the import path, and in each the name of every package's metadata folder with the size
# and time of change of its ``entry_points.txt``.  Installing, removing, upgrading or
# editing a package changes that state, and the packages are read again; so does another
# import path.

_ENTRY_POINTS_FORMAT: Final = 1
# What ``importlib.metadata.EntryPoint.load`` reads in an entry point's value.
_ENTRY_POINT = r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$"

Installed = list[tuple[str, str, str]]  # (name, value, version) of each entry point


def installed() -> Installed:
    """The entry points in coplan's group, by name: their names, values and packages'
    versions, as ``importlib.metadata`` finds them (read again only when a package was
    installed, removed or changed since they were kept)."""
    state = _path_state()
    if state is not None:
        kept = _kept_entry_points(state)
        if kept is not None:
            return kept
    from importlib.metadata import entry_points  # reading every package's metadata

    found = [(ep.name, ep.value, ep.dist.version if ep.dist else "?")
             for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name)]
    if state is not None:
        _keep_entry_points(state, found)
    return found


def load_entry_point(value: str) -> Any:
    """The object an entry point's value names, exactly as ``EntryPoint.load`` finds it."""
    import re
    from functools import reduce
    from importlib import import_module

    match = re.match(_ENTRY_POINT, value)
    if match is None:  # as EntryPoint.load fails on it
        raise AttributeError("'NoneType' object has no attribute 'group'")
    module = import_module(match.group("module"))
    attrs = filter(None, (match.group("attr") or "").split("."))
    return reduce(getattr, attrs, module)


def _path_state() -> tuple[Any, ...] | None:
    """What ``importlib.metadata`` would read to find the entry points, as plain values to
    compare; None where packages may be found some other way (then they are always read)."""
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if getattr(finder, "find_distributions", None) is not None and finder is not PathFinder:
            return None
    state: list[Any] = []
    if "" in sys.path:  # the folder coplan was started in
        try:
            state.append(os.getcwd())
        except OSError:
            return None
    for entry in sys.path:
        folder = entry or "."
        try:
            info = os.stat(folder)
        except (OSError, ValueError):
            state.append((entry, None))
            continue
        if not os.path.isdir(folder):  # a zip file or an egg: its size and time
            state.append((entry, info.st_size, info.st_mtime_ns))
            continue
        try:
            names = sorted(e.name for e in os.scandir(folder) if _metadata_name(e.name))
        except OSError:
            return None
        found: list[Any] = [entry]
        for name in names:
            try:
                points = os.stat(os.path.join(folder, name, "entry_points.txt"))
                found.append((name, points.st_size, points.st_mtime_ns))
            except OSError:
                found.append((name, None))  # no entry points (or a file: its name is enough)
        state.append(tuple(found))
    return tuple(state)


def _metadata_name(name: str) -> bool:
    """Whether ``importlib.metadata`` may read a package's metadata from ``name`` in a
    folder on the import path (``EGG-INFO`` is an unpacked egg's own)."""
    low = name.lower()
    return low.endswith((".dist-info", ".egg-info", ".egg")) or low == "egg-info"


def _cache_file() -> Path:
    from coplan.fileio import cache_folder

    return cache_folder() / "plugins.marshal"


def _kept_entry_points(state: tuple[Any, ...]) -> Installed | None:
    import marshal

    from coplan.fileio import read_bytes

    try:
        data = marshal.loads(read_bytes(_cache_file(), limit=MAX_CACHE_BYTES))
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not (isinstance(data, tuple) and len(data) == 4 and data[0] == _ENTRY_POINTS_FORMAT
            and data[1] == sys.version and data[2] == state and isinstance(data[3], list)):
        return None
    if not all(isinstance(e, tuple) and len(e) == 3 and all(isinstance(v, str) for v in e)
               for e in data[3]):
        return None
    return list(data[3])


def _keep_entry_points(state: tuple[Any, ...], found: Installed) -> None:
    import marshal

    from coplan.fileio import write_bytes

    try:
        data = marshal.dumps((_ENTRY_POINTS_FORMAT, sys.version, state, found))
        _cache_file().parent.mkdir(parents=True, exist_ok=True)
        write_bytes(_cache_file(), data)
    except (OSError, ValueError):
        pass  # a cache we cannot write is only slower


def collect(hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
    return plugins().call(hook_name, **kwargs)


def flatten(pairs: list[tuple[str, list[T] | None]]) -> list[tuple[str, T]]:
    return [(name, item) for name, items in pairs for item in (items or [])]



def all_rules() -> Registry:
    """Every review rule: coplan's own and those of the loaded plugins (a plugin whose hook
    fails costs a warning, and its rules).

    Where no plugin but coplan's own would load (none is installed, or ``COPLAN_PLUGINS``
    allows none of those that are) and the plugins are not loaded yet, coplan's own rules
    are registered as its hook registers them (``coplan.builtin``), without the plugin
    manager: loading pluggy and registering the built-in plugin with it is about 12
    million instructions of a ``coplan check`` of 500, for a registry that is the same."""
    from coplan.review.engine import Registry

    registry = Registry()
    if plugins.cache_info().currsize or _others_wanted():
        collect("coplan_register_rules", registry=registry)
    else:
        import coplan.review.rules as own  # (what ``builtin.coplan_register_rules`` calls)

        own.register(registry)
    return registry


def _others_wanted() -> bool:
    """Whether ``plugins()`` would load any plugin but coplan's own: one installed, and
    allowed by ``COPLAN_PLUGINS``."""
    allowed = _allowed()
    if allowed is not None and not allowed:
        return False
    return any(allowed is None or name in allowed for name, _, _ in installed())


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
