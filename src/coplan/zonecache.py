"""Time zone names already found to be ones Python knows, kept between runs.

Checking a plan's ``timezone`` means asking ``zoneinfo``, whose import (it looks up where
the computer keeps its time zones through ``sysconfig``) costs about 2 ms, a fortieth of
a small plan's ``coplan validate``.  A name once found is kept in coplan's cache folder with
the file ``zoneinfo`` read it from, and taken as known while that file is the same (same
size, same time of change) for the same Python and the same ``PYTHONTZPATH``; anything
else asks ``zoneinfo`` again.  Like the holiday cache, deleting it is always safe, and a
cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Final

_FORMAT: Final = 1
MAX_BYTES: Final = 1024 * 1024
_memory: dict[str, tuple[str, int, int]] | None = None


def _setting() -> tuple[Any, ...]:
    """What decides where ``zoneinfo`` looks: this Python, and ``PYTHONTZPATH``."""
    return (_FORMAT, sys.version, sys.prefix, os.environ.get("PYTHONTZPATH"))


def cache_file() -> Path:
    from coplan.fileio import cache_folder

    return cache_folder() / "zones.marshal"


def _load() -> dict[str, tuple[str, int, int]]:
    global _memory
    if _memory is None:
        _memory = {}
        try:
            import marshal

            from coplan.fileio import read_bytes

            data = marshal.loads(read_bytes(cache_file(), limit=MAX_BYTES))
        except (OSError, ValueError, EOFError, TypeError):
            return _memory
        if isinstance(data, tuple) and len(data) == 2 and data[0] == _setting() \
                and isinstance(data[1], dict):
            _memory.update((k, v) for k, v in data[1].items() if isinstance(k, str) and (
                isinstance(v, tuple) and len(v) == 3 and isinstance(v[0], str)
                and isinstance(v[1], int) and isinstance(v[2], int)))
    return _memory


def known_zone(name: str) -> bool:
    """Whether ``zoneinfo`` found ``name`` before, in a file that has not changed since."""
    found = _load().get(name)
    if found is None:
        return False
    path, size, changed = found
    try:
        info = os.stat(path)
    except OSError:
        return False
    return (info.st_size, info.st_mtime_ns) == (size, changed)


def remember_zone(name: str) -> None:
    """Keep ``name``, which ``zoneinfo.ZoneInfo`` has just accepted, with its file (a zone
    found in the ``tzdata`` package rather than a file of the computer's is not kept)."""
    try:
        from zoneinfo._tzpath import find_tzfile

        path = find_tzfile(name)
    except (ImportError, AttributeError, ValueError):  # zoneinfo's own way of looking
        return
    if path is None:
        return
    try:
        info = os.stat(path)
        data = _load()
        data[name] = (path, info.st_size, info.st_mtime_ns)
        import marshal

        from coplan.fileio import write_bytes

        cache_file().parent.mkdir(parents=True, exist_ok=True)
        write_bytes(cache_file(), marshal.dumps((_setting(), data)))
    except (OSError, ValueError):
        pass  # a cache we cannot write is only slower
