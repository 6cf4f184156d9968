"""A small on-disk cache of public holidays, so that read-only commands need not import
the ``holidays`` package (about a tenth of a second, more than scheduling a thousand
stages).

Entries are keyed by the installed version of ``holidays``, by region and by year, so a new
release of the package (with corrected dates) is used as soon as it is installed.  The
cache lives in the user's cache folder (``platformdirs``), or in ``COPLAN_CACHE_DIR``;
deleting it is always safe.  A cache that cannot be read or written is simply not used.
It is written with ``marshal`` (strings in dictionaries), which reads without importing
``json`` (a millisecond of a small plan's ``coplan validate``).
"""

from __future__ import annotations

import marshal
import os
import re
import sys
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

from coplan.fileio import cache_folder, read_bytes, write_bytes

MAX_BYTES = 16 * 1024 * 1024


@lru_cache(maxsize=1)
def _version() -> str:
    """The installed version of ``holidays``, read from the name of its metadata folder
    (``holidays-0.109.dist-info``) in the first folder of the import path that has one, as
    ``importlib.metadata`` finds it; importing that module costs more than a small plan's
    whole check, so it is used only when the folder's name does not say the version."""
    for entry in sys.path:
        try:
            names = _names_in(entry)
            # (a name's first letter first: a folder may hold thousands of names)
            found = [name for name in names if name[:1] in "hH" and _is_metadata(name)]
            if len(found) > 1 and not isinstance(names, list):
                # (more than one: the first as the folder lists them, as before)
                found = [name for name in os.listdir(entry or ".") if _is_metadata(name)]
        except OSError:
            continue
        for name in found:
            named = _NAMED_VERSION.fullmatch(name)
            if named:
                return named.group(1)
            return _metadata_version()
    return _metadata_version()


def _is_metadata(name: str) -> bool:
    """Whether ``name`` is that of a metadata folder of ``holidays``."""
    return name[:9].lower() in ("holidays-", "holidays.") and name.endswith(
        (".dist-info", ".egg-info"))


def _names_in(entry: str) -> Iterable[str]:
    """The names in the folder ``entry`` of the import path, as ``os.listdir`` gives them.

    Python's import system has listed these folders already, to import coplan and what
    it uses, and keeps each listing (in its finder for the folder, kept current: a folder
    that changed is listed again when next imported from): that listing is taken where it
    is there, rather than listing the standard library's folders, site-packages and the
    folder coplan was started in once more (0.4 ms of every command that reads a plan
    with a holiday region, more in a large folder).  A finder without one (another kind
    of finder, another Python) leaves it to ``os.listdir``."""
    finder = sys.path_importer_cache.get(entry or _cwd())
    found = getattr(finder, "_path_cache", None)
    if isinstance(found, set) and getattr(finder, "_path_mtime", -1) != -1 \
            and sys.platform != "win32":  # (on Windows it holds the names' ends lower-cased)
        return found
    return os.listdir(entry or ".")


def _cwd() -> str:
    try:
        return os.getcwd()
    except OSError:  # (the folder it was started in is gone: nothing kept for it)
        return ""


_NAMED_VERSION = re.compile(r"holidays-([0-9][^-]*)\.dist-info", re.IGNORECASE)


def _metadata_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:  # pragma: no cover - holidays is a dependency
        return "unknown"


def cache_file() -> Path:
    return cache_folder() / f"holidays-{_version()}.marshal"


_memory: dict[str, dict[str, dict[str, str]]] | None = None


def _load() -> dict[str, dict[str, dict[str, str]]]:
    global _memory
    if _memory is None:
        try:
            data = marshal.loads(read_bytes(cache_file(), limit=MAX_BYTES))
        except (OSError, ValueError, EOFError, TypeError):
            data = None
        _memory = data if _well_formed(data) else {}
    return _memory


def _well_formed(data: object) -> bool:
    """Whether ``data`` is what ``store`` writes: region -> year -> ISO day -> name."""
    return isinstance(data, dict) and all(
        isinstance(region, str) and isinstance(years, dict) and all(
            isinstance(year, str) and isinstance(days, dict) and all(
                isinstance(day, str) and isinstance(name, str) for day, name in days.items())
            for year, days in years.items())
        for region, years in data.items())


def known_region(region: str) -> bool:
    """Whether ``region`` was checked before (so it need not be checked again)."""
    return region in _load()


def lookup(region: str, years: list[int]) -> dict[date, str] | None:
    """Holidays of ``region`` in ``years`` if every year is cached, else None."""
    entry = _load().get(region)
    if entry is None or any(str(y) not in entry for y in years):
        return None
    out: dict[date, str] = {}
    for year in years:
        for day, name in entry[str(year)].items():
            out[date.fromisoformat(day)] = name
    return out


def store(region: str, years: list[int], found: dict[date, str]) -> None:
    data = _load()
    entry = data.setdefault(region, {})
    for year in years:
        entry[str(year)] = {d.isoformat(): n for d, n in sorted(found.items())
                            if d.year == year}
    try:
        path = cache_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, marshal.dumps(data))
    except (OSError, ValueError):
        pass  # a cache we cannot write is only slower


def remember_region(region: str) -> None:
    data = _load()
    if region not in data:
        data[region] = {}
        store(region, [], {})
