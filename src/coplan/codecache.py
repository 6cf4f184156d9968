"""Compiled code kept between runs of a command: dataclasses' methods, regular expressions.

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

Regular expressions are the same story: ``re`` parses each pattern and works out the
program its matcher runs, in Python, the first time a process compiles it (76 patterns,
about 7 ms, in a ``coplan check``, most of them coplan's own, compiled as its modules are
imported).  Installed, ``cached_compile`` keeps that program (a list of numbers, with the
pattern's groups) by the pattern's text and flags, in one more file of the same folder,
and hands it to the matcher's own constructor on later runs; what it makes is checked to
be equal to what ``re`` makes before it is kept, and a pattern whose parsing warns (a
``FutureWarning`` about a set, say) is never kept, so it warns on every run as before.
"""

from __future__ import annotations

import builtins
import marshal
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType, FrameType
from typing import Any, Final

# A module's file past this many entries has collected the text of classes since changed:
# it is written again with the entries this run used.
MAX_ENTRIES: Final = 2000
MAX_BYTES: Final = 16 * 1024 * 1024

_FORMAT: Final = 1
# module name -> source text (or ``code_for``'s key) -> code
_codes: dict[str, dict[Any, CodeType]] = {}
_used: set[Any] = set()
_changed: set[str] = set()
_installed = False  # whether the command line installed the cache (``install``)


def cache_folder() -> Path:
    from coplan.fileio import cache_folder

    tag = sys.implementation.cache_tag or sys.implementation.name
    return cache_folder() / f"code-{tag}-{sys.hexversion:x}"


_FOLDERS: dict[tuple[str | None, ...], str] = {}  # (what decides it) -> ``cache_folder()``
_DECIDE = ("COPLAN_CACHE_DIR", "XDG_CACHE_HOME", "HOME", "LOCALAPPDATA", "USERPROFILE")


def _file(module: str) -> str:
    """The file of a module's code: ``cache_folder() / f"{module}.marshal"``, with the
    folder worked out once for what decides it (``fileio.cache_folder`` reads these
    variables) rather than for each of the twenty modules a command makes classes in."""
    from os import environ, sep

    decided = tuple(environ.get(name) for name in _DECIDE)
    folder = _FOLDERS.get(decided)
    if folder is None:
        folder = _FOLDERS[decided] = str(cache_folder())
    return f"{folder}{sep}{module}.marshal"


def _load(module: str) -> dict[Any, CodeType]:
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
                         if isinstance(k, (str, tuple)) and isinstance(v, CodeType))
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


def code_for(globals: dict[str, Any], key: tuple[Any, ...],
             text: Callable[[], str]) -> CodeType:
    """The code of ``text()`` (compiled as ``exec`` compiles it, as ``cached_exec`` does),
    kept by ``key``: plain values that decide the text, so that a run finding it kept need
    not write the text at all (``records``)."""
    module = globals.get("__name__")
    if not isinstance(module, str) or not _plain(module):
        return compile(text(), "<string>", "exec", dont_inherit=True)
    codes = _load(module)
    _used.add(key)
    code = codes.get(key)
    if code is None:
        code = compile(text(), "<string>", "exec", dont_inherit=True)
        codes[key] = code
        _changed.add(module)
    return code


def installed() -> bool:
    """Whether the command line installed the cache in this process (``install``)."""
    return _installed


def _plain(module: str) -> bool:
    """Whether a module's name can name its file (``coplan.model``; never a path)."""
    known = _PLAIN.get(module)
    if known is None:
        known = _PLAIN[module] = all(part.isidentifier() for part in module.split("."))
    return known


_PLAIN: dict[str, bool] = {}


def install() -> None:
    """Have ``dataclasses`` and ``re`` use the cache for the rest of this process."""
    import dataclasses

    global _installed
    if getattr(dataclasses, "exec", None) is None:
        dataclasses.exec = cached_exec  # type: ignore[attr-defined]
    _installed = True
    _install_patterns()


def save() -> None:
    """Write the files of the modules whose classes (or patterns) this run compiled."""
    _save_patterns()
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


# Regular expressions ------------------------------------------------------------------

# (pattern, flags) -> what ``_sre.compile`` takes after the pattern: flags, program,
# groups, group index and index group.
_Parts = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_patterns: dict[tuple[str | bytes, int], _Parts] | None = None
_patterns_used: set[tuple[str | bytes, int]] = set()
_patterns_changed: list[bool] = [False]
_plain_compile: Any = None  # ``re._compiler.compile`` as Python has it
_internals: tuple[Any, Any, Any] = (None, None, None)  # _sre, re._compiler, re._parser


_patterns_path: Path | None = None  # the file, found when the cache was installed


def _patterns_file() -> Path:
    if _patterns_path is None:
        raise OSError("the cache of patterns is not installed")
    return _patterns_path


def _install_patterns() -> None:
    global _plain_compile, _internals, _patterns_path
    from importlib import import_module

    try:
        sre: Any = import_module("_sre")
        compiler: Any = import_module("re._compiler")
        parser: Any = import_module("re._parser")
    except ImportError:  # (another Python's internals: patterns compile as usual)
        return
    current = compiler.compile
    if current is cached_compile or not all(
            hasattr(m, n) for m, n in ((compiler, "_code"), (parser, "parse"),
                                       (sre, "compile"))):
        return
    # The file's folder is found now, with patterns made as usual: finding it may import
    # platformdirs, whose own patterns would otherwise ask for the file while it loads.
    try:
        _patterns_path = cache_folder() / "re.marshal"
    except (OSError, ImportError, ValueError):
        return
    _internals = (sre, compiler, parser)
    _plain_compile = current
    compiler.compile = cached_compile


def _load_patterns() -> dict[tuple[str | bytes, int], _Parts]:
    global _patterns
    patterns = _patterns
    if patterns is None:
        patterns = _patterns = {}
        try:
            from coplan.fileio import read_bytes

            data = marshal.loads(read_bytes(_patterns_file(), limit=MAX_BYTES))
        except (OSError, ValueError, EOFError, TypeError):
            return patterns
        if (isinstance(data, tuple) and len(data) == 3 and data[0] == _FORMAT
                and data[1] == sys.version and isinstance(data[2], dict)):
            patterns.update(data[2])
    return patterns


def cached_compile(p: Any, flags: int = 0) -> Any:
    """``re._compiler.compile``, with the program of a pattern compiled on an earlier run.

    Called by ``re`` as the original is (same depth of calls, so a pattern's warnings
    name the same line of the caller)."""
    sre, compiler, parser = _internals
    if not isinstance(p, (str, bytes)) or flags & compiler.SRE_FLAG_DEBUG:
        return _plain_compile(p, flags)
    key = (p, int(flags))
    patterns = _load_patterns()
    parts = patterns.get(key)
    if parts is not None:
        _patterns_used.add(key)
        try:
            return sre.compile(p, *parts)
        except (TypeError, ValueError, RuntimeError):
            del patterns[key]  # (not what this Python's matcher takes: made again)
    # As re._compiler.compile does; the parts are kept only for a pattern that may be
    # (the two patterns of a plan's people's names that ``check`` makes are not).
    parsed = parser.parse(p, flags)
    code = compiler._code(parsed, flags)
    groupindex = parsed.state.groupdict
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    made = sre.compile(p, flags | parsed.state.flags, code, parsed.state.groups - 1,
                       groupindex, tuple(indexgroup))
    if _keepable(p, flags, made):
        # (the program's operation codes are named ints, which marshal cannot keep)
        patterns[key] = (int(flags | parsed.state.flags), [int(c) for c in code],
                         parsed.state.groups - 1, dict(groupindex), tuple(indexgroup))
        _patterns_used.add(key)
        _patterns_changed[0] = True
    return made


def _keepable(p: str | bytes, flags: int, made: Any) -> bool:
    """Whether a pattern just made may be kept: one a module compiles as it is imported
    (never one made from a plan: the names of its people, say), which ``re`` makes the
    same, without a warning.

    Only in the main thread (catching warnings changes what every thread sees)."""
    import threading
    import warnings

    if not _compiled_by_a_module_body() \
            or threading.current_thread() is not threading.main_thread():
        return False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plain = _plain_compile(p, flags)
    return (not caught and plain == made and plain.flags == made.flags
            and plain.groups == made.groups and plain.groupindex == made.groupindex)


def _compiled_by_a_module_body() -> bool:
    """Whether the code that asked ``re`` for the pattern is a module's own body."""
    import re
    from os.path import dirname

    package = dirname(re.__file__)
    frame: FrameType | None = sys._getframe(3)  # (above this, _keepable, cached_compile)
    while frame is not None and dirname(frame.f_code.co_filename) == package:
        frame = frame.f_back
    if frame is None:
        return False
    code = frame.f_code
    # A module's body, or a compiled module's (its code has no frame of its own: the
    # nearest is the import system's, which runs it).
    return code.co_name == "<module>" or (
        code.co_name == "_call_with_frames_removed"
        and code.co_filename == "<frozen importlib._bootstrap>")


def _save_patterns() -> None:
    if not _patterns_changed[0] or _patterns is None:
        return
    _patterns_changed[0] = False
    patterns = dict(_patterns)
    if len(patterns) > MAX_ENTRIES:
        patterns = {k: v for k, v in patterns.items() if k in _patterns_used}
    try:
        from coplan.fileio import write_bytes

        cache_folder().mkdir(parents=True, exist_ok=True)
        write_bytes(_patterns_file(), marshal.dumps((_FORMAT, sys.version, patterns)))
    except (OSError, ValueError):
        pass  # a cache we cannot write is only slower
