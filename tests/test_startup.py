"""What makes a command start fast changes nothing it does: the dataclasses' code kept
between runs (``codecache``) and the holiday cache's version look-up."""

from __future__ import annotations

import dataclasses
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coplan import codecache, holiday_cache

ROOT = Path(__file__).resolve().parents[1]
MINDS = ROOT / "examples" / "minds-discharge.toml"


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COPLAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(codecache, "_codes", {})
    monkeypatch.setattr(codecache, "_used", set())
    monkeypatch.setattr(codecache, "_changed", set())
    monkeypatch.setattr(dataclasses, "exec", codecache.cached_exec, raising=False)
    return tmp_path


def _make(name: str) -> type:
    namespace = {"__module__": "coplan_test_records", "__qualname__": name,
                 "__annotations__": {"a": "int", "b": "str", "c": "tuple[int, ...]"},
                 "b": "x", "c": dataclasses.field(default=(), compare=False)}
    made = dataclasses.dataclass(frozen=True, slots=True)(type(name, (), namespace))
    assert isinstance(made, type)
    return made


def _behaviour(cls: type) -> list[object]:
    one, two = cls(1), cls(1, "x", (2,))
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.a = 2
    return [repr(one), one == two, hash(one) == hash(two), dataclasses.replace(one, a=3),
            [f.name for f in dataclasses.fields(cls)], cls.__match_args__]


def test_cached_classes_are_the_same_classes(fresh_cache: Path) -> None:
    sys.modules["coplan_test_records"] = type(sys)("coplan_test_records")
    try:
        compiled = _behaviour(_make("Thing"))  # compiles, and keeps the code
        assert codecache._changed == {"coplan_test_records"}
        codecache.save()
        kept = fresh_cache / codecache.cache_folder().name / "coplan_test_records.marshal"
        assert kept.is_file()
        codecache._codes.clear()  # as a new process would start
        cached = _behaviour(_make("Thing"))  # from the file, compiling nothing
        assert codecache._changed == set()
        assert [repr(x) for x in cached] == [repr(x) for x in compiled]
    finally:
        del sys.modules["coplan_test_records"]


def test_cached_code_is_what_exec_compiles(fresh_cache: Path) -> None:
    source = "def __create_fn__(x):\n def f(self):\n  return x + 1\n return f"
    namespace: dict[str, object] = {}
    codecache.cached_exec(source, {"__name__": "coplan_test_records"}, namespace)
    # exec called from code with no __future__ imports, as dataclasses calls it (this
    # module's own ``annotations`` would change the flags of anything it compiles).
    runner: dict[str, object] = {}
    exec(compile("def run(s, ns):\n exec(s, {}, ns)", "<test>", "exec", dont_inherit=True),
         runner)
    plain: dict[str, object] = {}
    runner["run"](source, plain)  # type: ignore[operator]
    made, reference = namespace["__create_fn__"], plain["__create_fn__"]
    assert marshal.dumps(made.__code__) == marshal.dumps(reference.__code__)  # type: ignore[attr-defined]
    assert namespace["__create_fn__"](41)(None) == 42  # type: ignore[operator]


@pytest.mark.parametrize("content", [b"", b"not marshal data", marshal.dumps([1, 2]),
                                     marshal.dumps((1, "another python", {}))])
def test_an_unreadable_cache_is_not_used(fresh_cache: Path, content: bytes) -> None:
    folder = codecache.cache_folder()
    folder.mkdir(parents=True)
    (folder / "coplan_test_records.marshal").write_bytes(content)
    namespace: dict[str, object] = {}
    codecache.cached_exec("def __create_fn__():\n return 7", {"__name__": "coplan_test_records"},
                          namespace)
    assert namespace["__create_fn__"]() == 7  # type: ignore[operator]
    assert codecache._changed == {"coplan_test_records"}


def test_a_module_name_never_names_a_path(fresh_cache: Path) -> None:
    namespace: dict[str, object] = {}
    codecache.cached_exec("def __create_fn__():\n return 1", {"__name__": "../outside"},
                          namespace)
    assert namespace["__create_fn__"]() == 1  # type: ignore[operator]
    assert codecache._codes == {} and codecache._changed == set()


def _check(cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COPLAN_CACHE_DIR": str(cache), "COPLAN_PLUGINS": "none"}
    return subprocess.run([sys.executable, "-m", "coplan", "check", str(MINDS), "--format",
                           "json"], capture_output=True, text=True, env=env, check=False)


def test_a_command_says_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    first = _check(tmp_path)  # compiles and writes the cache
    folder = next(tmp_path.glob("code-*"))
    assert (folder / "coplan.model.marshal").is_file()
    written = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    second = _check(tmp_path)  # reads it
    assert (second.returncode, second.stdout, second.stderr) == (
        first.returncode, first.stdout, first.stderr)
    # Nothing new was compiled, so nothing was written again.
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == written


def test_importing_coplan_leaves_dataclasses_alone() -> None:
    code = ("import dataclasses, coplan.model, coplan.review.rules\n"
            "print(hasattr(dataclasses, 'exec'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def test_the_holidays_version_is_the_one_importlib_metadata_gives() -> None:
    from importlib.metadata import version

    holiday_cache._version.cache_clear()
    assert holiday_cache._version() == version("holidays")


def test_the_holidays_version_without_a_named_folder(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # An egg-info folder says no version in its name: importlib.metadata is asked.
    (tmp_path / "holidays.egg-info").mkdir()
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    monkeypatch.setattr(holiday_cache, "_metadata_version", lambda: "asked")
    holiday_cache._version.cache_clear()
    try:
        assert holiday_cache._version() == "asked"
    finally:
        holiday_cache._version.cache_clear()


def test_the_holidays_version_from_the_import_systems_listing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The folders of the import path are read from the listing the import system keeps
    where it has one: the same version as listing each folder again; the version in a
    folder added since (listed again), and, with two metadata folders in one, the first
    as the folder lists them; without a kept listing, the folder is listed."""
    import importlib

    (tmp_path / "holidays-9.9.dist-info").mkdir()
    (tmp_path / "coplan_probe_module.py").write_text("", encoding="utf-8")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    importlib.invalidate_caches()
    importlib.import_module("coplan_probe_module")  # the import system lists the folder
    monkeypatch.delitem(sys.modules, "coplan_probe_module")
    finder = sys.path_importer_cache[str(tmp_path)]
    if sys.platform != "win32":
        assert holiday_cache._names_in(str(tmp_path)) is finder._path_cache
    holiday_cache._version.cache_clear()
    try:
        assert holiday_cache._version() == "9.9"
        (tmp_path / "holidays-9.8.dist-info").mkdir()
        listed = [n for n in os.listdir(tmp_path) if n.startswith("holidays-")]
        holiday_cache._version.cache_clear()
        assert holiday_cache._version() == listed[0][len("holidays-"):-len(".dist-info")]
        monkeypatch.delitem(sys.path_importer_cache, str(tmp_path))
        holiday_cache._version.cache_clear()
        assert holiday_cache._version() == listed[0][len("holidays-"):-len(".dist-info")]
    finally:
        holiday_cache._version.cache_clear()
    # Every folder of the real import path: the names os.listdir gives (once the import
    # system has looked in each folder since it last changed, as importing coplan did).
    import importlib.util

    assert importlib.util.find_spec("coplan_no_such_module") is None
    for entry in sys.path:
        try:
            listed_now = sorted(os.listdir(entry or "."))
        except OSError:
            continue
        assert sorted(holiday_cache._names_in(entry)) == listed_now


def test_reading_and_checking_a_plan_leaves_no_cycles_of_functions() -> None:
    """A nested function that calls itself is a reference cycle: what it uses (the loader
    and the whole parsed file, say) stays in memory until the cycle collector next runs,
    which on a large plan is the difference of tens of megabytes at the peak."""
    import gc

    from coplan.planfile import load_plan
    from coplan.plugins import all_rules
    from coplan.review.runner import review
    from coplan.schedule import schedule
    from coplan.sharing import shared_plan

    plan = load_plan(MINDS)  # once, so that what is made once per process is made
    review(plan, schedule(plan), registry=all_rules())
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        plan = load_plan(MINDS)
        review(plan, schedule(plan), registry=all_rules())
        shared_plan(plan)
        del plan
        gc.collect()
        kept = [o for o in gc.garbage if type(o).__name__ in ("function", "frame", "cell")]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert [getattr(o, "__qualname__", repr(o)) for o in kept] == []


def test_the_schedule_command_makes_no_garbage_in_cycles() -> None:
    """``coplan schedule`` runs with the cycle collector off (``no_cycle_collection``):
    reading the plan, scheduling it, the copy for sharing and every output format must
    leave nothing behind that only the collector could free, or memory would grow."""
    import gc
    import io

    from rich.console import Console

    from coplan.export import scheduledata
    from coplan.export.scheduletable import print_schedule
    from coplan.planfile import parse_plan
    from coplan.schedule import schedule
    from coplan.sharing import for_audience
    from plangen import random_plan

    texts = [MINDS.read_text(encoding="utf-8"),
             (ROOT / "templates" / "plans" / "research-study.toml").read_text(encoding="utf-8"),
             random_plan(3, 200, closures=4, window=20, max_duration=10)]

    def run(text: str, slow_down: bool) -> None:
        plan = parse_plan(text, with_lines=False)
        _, shared = for_audience(plan, schedule(plan, slow_down=slow_down))
        scheduledata.to_json(shared)
        scheduledata.to_csv(shared)
        print_schedule(shared, None, Console(file=io.StringIO(), width=120))

    for text in texts:  # once, so that what is made once per process is made
        run(text, True)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for text in texts:
            for slow_down in (True, False):
                run(text, slow_down)
        gc.collect()
        left = sorted({type(o).__name__ for o in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left == []


def test_the_check_command_makes_no_garbage_in_cycles_that_grows_with_the_plan() -> None:
    """``coplan check`` runs with the cycle collector off (``no_cycle_collection``):
    reading the plan with its lines, scheduling and reviewing it, the report for others
    and every report format must leave nothing behind that only the collector could free
    but what Python's own JSON and XML writers leave (a few of their functions that call
    themselves, the same for every report), or memory would grow with the plan."""
    import gc
    import io
    from datetime import date

    from rich.console import Console

    from coplan.planfile import parse_plan
    from coplan.plugins import all_rules
    from coplan.review import report_formats as rf
    from coplan.review import review
    from coplan.review.report_plain import plain_report
    from coplan.review.report_text import print_report
    from coplan.schedule import schedule
    from plangen import random_plan

    minds = MINDS.read_text(encoding="utf-8")
    texts = [minds, (ROOT / "templates" / "plans" / "research-study.toml").read_text(
        encoding="utf-8"), random_plan(3, 30), random_plan(4, 300, closures=4, window=20)]

    def run(text: str, day: date) -> None:
        plan = parse_plan(text)
        report = review(plan, schedule(plan, today=day), registry=all_rules(), today=day)
        shared = rf.for_others(report)
        for write in (rf.to_json, rf.to_sarif, rf.to_markdown):
            write([shared], [])
        rf.to_junit([shared], strict=True, unreadable=[])
        plain_report(report, 100, summary=True)
        print_report(report, Console(file=io.StringIO(), width=100), summary=True)

    run(minds, date(2027, 9, 10))  # once, so that what is made once per process is made
    left: list[list[str]] = []
    gc.collect()
    gc.disable()
    try:
        for text in texts:
            for day in (date(2026, 12, 5), date(2027, 9, 10)):
                gc.set_debug(gc.DEBUG_SAVEALL)
                run(text, day)
                gc.collect()
                left.append(sorted(f"{type(o).__name__} {getattr(o, '__module__', '')}"
                                   for o in gc.garbage))
                gc.set_debug(0)
                gc.garbage.clear()
                gc.collect()  # (what it saved, freed)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert all(each == left[0] for each in left)
    assert {o.split()[1] for o in left[0] if o.startswith("function")} <= {
        "json.encoder", "xml.etree.ElementTree"}


def test_the_cycle_collector_is_put_back_after_a_command_run_in_a_process_that_goes_on(
) -> None:
    """Only ``cli.main``'s process, which ends with its command, keeps it off after."""
    import gc

    from coplan import cli_common

    assert gc.isenabled()
    with cli_common.no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with cli_common.no_cycle_collection():
            pass
        assert not gc.isenabled()  # as it was
    finally:
        gc.enable()


def test_each_module_file_is_in_the_folder_the_settings_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder is worked out once for the variables ``fileio.cache_folder`` reads, and
    again whenever one of them changes."""
    for place in ("one", "two", "one"):
        monkeypatch.setenv("COPLAN_CACHE_DIR", str(tmp_path / place))
        assert Path(codecache._file("coplan.model")) == \
            codecache.cache_folder() / "coplan.model.marshal"
        assert codecache.cache_folder().parent == tmp_path / place
    monkeypatch.delenv("COPLAN_CACHE_DIR")
    for home in ("a", "b"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / home))
        monkeypatch.setenv("HOME", str(tmp_path / home))
        monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / home))
        assert Path(codecache._file("coplan.schema")) == \
            codecache.cache_folder() / "coplan.schema.marshal"
        if sys.platform != "win32":  # (Windows asks the system for its folder)
            assert str(tmp_path / home) in str(codecache.cache_folder())
