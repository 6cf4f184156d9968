"""The compiled methods of coplan's dataclasses, kept between runs of a command.

Python's ``dataclasses`` writes each class's ``__init__``, ``__eq__``, ``__repr__``,
``__hash__`` and (for a frozen class) ``__setattr__`` and ``__delattr__`` as source text
and compiles it every time the class is made, in every process: for the hundred or so
classes a ``coplan check`` makes, that compiling is about half of the time before the plan
is read.  Installed for a command (``install``, by ``cli.main``), this module hands
``dataclasses`` the code it compiled for the same text on an earlier run instead.

The code is kept by the exact source text (the same text always compiles to the same
code), in one small file for each module whose classes were made, in a folder for each
Python version in coplan's cache folder (``fileio.cache_folder``): a changed class or
another Python simply compiles again.  Like the holiday cache, deleting it is always safe,
and a cache that cannot be read or written is simply not used.  Only the command line
installs it: importing coplan as a library changes nothing.  The files hold code that
runs, as the ``__pycache__`` folders beside any installed Python package do, and are
trusted as those are: they are in the user's own cache folder.
"""

from __future__ import annotations

import builtins
import marshal
import sys
from pathlib import Path
from types import CodeType
from typing import Any, Final

# A module's file past this many entries has collected the text of classes since changed:
# it is written again with the entries this run used.
MAX_ENTRIES: Final = 2000
MAX_BYTES: Final = 16 * 1024 * 1024

_FORMAT: Final = 1
_codes: dict[str, dict[str, CodeType]] = {}  # module name -> source text -> code
_used: set[str] = set()
_changed: set[str] = set()


def cache_folder() -> Path:
    from coplan.fileio import cache_folder

    tag = sys.implementation.cache_tag or sys.implementation.name
    return cache_folder() / f"code-{tag}-{sys.hexversion:x}"


def _file(module: str) -> Path:
    return cache_folder() / f"{module}.marshal"


def _load(module: str) -> dict[str, CodeType]:
    codes = _codes.get(module)
    if codes is None:
        # Kept first: a class made while the file is being read (by a module imported to
        # read it) is compiled as usual.
        codes = _codes[module] = {}
        try:
            from coplan.fileio import read_bytes

            data = marshal.loads(read_bytes(_file(module), limit=MAX_BYTES))
        except (OSError, ValueError, EOFError, TypeError):
            return codes
        if (isinstance(data, tuple) and len(data) == 3 and data[0] == _FORMAT
                and data[1] == sys.version and isinstance(data[2], dict)):
            codes.update((k, v) for k, v in data[2].items()
                         if isinstance(k, str) and isinstance(v, CodeType))
    return codes


def cached_exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    """``exec`` as ``dataclasses`` calls it, with source text compiled once per cache.

    Compiled as ``exec`` compiles text (file name ``<string>``, no ``__future__`` flags of
    the caller: ``dataclasses`` has none), so the code is the same as without the cache."""
    module = globals.get("__name__") if isinstance(globals, dict) else None
    if isinstance(source, str) and isinstance(module, str) and _plain(module):
        codes = _load(module)
        _used.add(source)
        code = codes.get(source)
        if code is None:
            code = compile(source, "<string>", "exec", dont_inherit=True)
            codes[source] = code
            _changed.add(module)
        source = code
    builtins.exec(source, globals, locals)


def _plain(module: str) -> bool:
    """Whether a module's name can name its file (``coplan.model``; never a path)."""
    return all(part.isidentifier() for part in module.split("."))


def install() -> None:
    """Have ``dataclasses`` use the cache for the rest of this process."""
    import dataclasses

    if getattr(dataclasses, "exec", None) is None:
        dataclasses.exec = cached_exec  # type: ignore[attr-defined]


def save() -> None:
    """Write the files of the modules whose classes this run compiled."""
    changed = sorted(_changed)
    _changed.clear()
    if not changed:
        return
    try:
        from coplan.fileio import write_bytes

        cache_folder().mkdir(parents=True, exist_ok=True)
        for module in changed:
            codes = dict(_codes[module])  # (the app's threads may still make classes)
            if len(codes) > MAX_ENTRIES:
                codes = {k: v for k, v in codes.items() if k in _used}
            write_bytes(_file(module), marshal.dumps((_FORMAT, sys.version, codes)))
    except (OSError, ValueError):
        pass  # a cache we cannot write is only slower
