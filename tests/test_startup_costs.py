"""What a command pays for at start-up, kept from creeping back (issue 19, small plans)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "coplan"


def _decorator_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""


def test_every_dataclass_has_a_docstring_of_its_own() -> None:
    # Without one, ``dataclasses`` writes one from ``inspect.signature`` as the class is
    # made, in every process: 0.05 to 0.2 ms a class, a millisecond or two of each command.
    missing = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    _decorator_name(d) == "dataclass" for d in node.decorator_list) \
                    and ast.get_docstring(node) is None:
                missing.append(f"{path.relative_to(SRC)}: {node.name}")
    assert not missing, "dataclasses without a docstring:\n" + "\n".join(missing)


# -- the installed plugins, kept between runs (plugins.installed) ----------------------------

def _scan() -> list[tuple[str, str, str]]:
    from importlib.metadata import entry_points

    from coplan.plugins import GROUP

    return [(ep.name, ep.value, ep.dist.version if ep.dist else "?")
            for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name)]


def _package(folder: Path, module: str, points: str, version: str = "0.1") -> Path:
    info = folder / f"{module}-{version}.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\n"
                                   f"Version: {version}\n")
    (info / "entry_points.txt").write_text(points)
    return info


def test_installed_plugins_are_kept_and_read_again_when_packages_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata
    import os

    from coplan import plugins

    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setenv("COPLAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.syspath_prepend(str(site))
    scanned = []
    real = importlib.metadata.entry_points

    def counted(**kwargs: object) -> object:
        scanned.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(importlib.metadata, "entry_points", counted)

    def check(reads: int) -> list[tuple[str, str, str]]:
        before = len(scanned)
        found = plugins.installed()
        assert found == _scan()
        assert len(scanned) - before - 1 == reads  # _scan itself reads once
        return found

    assert check(reads=1) == check(reads=0)  # kept, then read from the cache
    info = _package(site, "first_plugin", "[coplan]\nfirst = first_plugin\n")
    assert ("first", "first_plugin", "0.1") in check(reads=1)  # a package installed
    check(reads=0)
    points = info / "entry_points.txt"
    points.write_text("[coplan]\nfirst = first_plugin:hooks\n")  # edited where it is
    os.utime(points, ns=(points.stat().st_atime_ns, points.stat().st_mtime_ns + 10**9))
    assert ("first", "first_plugin:hooks", "0.1") in check(reads=1)
    _package(site, "other", "[console_scripts]\nother = other:main\n")  # not a plugin
    check(reads=1)
    check(reads=0)
    (info / "entry_points.txt").unlink()
    (info / "METADATA").unlink()
    info.rmdir()  # removed
    assert all(name != "first" for name, _, _ in check(reads=1))
    monkeypatch.syspath_prepend(str(tmp_path))  # another import path
    check(reads=1)
    (tmp_path / "cache" / "plugins.marshal").write_bytes(b"not marshal data")
    check(reads=1)  # a damaged cache is read past


def test_an_entry_point_loads_as_importlib_metadata_loads_it() -> None:
    from importlib.metadata import EntryPoint

    from coplan.plugins import load_entry_point

    for value in ("coplan.builtin", "coplan.plugins:load_entry_point", "os.path:join",
                  "coplan.plugins : Plugins.call", "collections:OrderedDict [extra]"):
        assert load_entry_point(value) is EntryPoint("x", value, "coplan").load(), value
    for value in ("not valid!", "no_such_module_here", "coplan.plugins:no_such_name"):
        with pytest.raises(Exception) as ours:
            load_entry_point(value)
        with pytest.raises(Exception) as theirs:
            EntryPoint("x", value, "coplan").load()
        assert (type(ours.value), str(ours.value)) == (type(theirs.value),
                                                       str(theirs.value)), value


# -- the templates' wordings of agreements, kept between runs (agreed.template_wordings) -----

def test_template_wordings_are_kept_and_read_again_when_a_template_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import shutil

    from coplan import agreed, bundled

    templates = tmp_path / "data" / "templates" / "plans"
    shutil.copytree(bundled.data_dir("templates") / "plans", templates)
    monkeypatch.setattr(bundled, "data_dir", lambda name: tmp_path / "data" / name)
    monkeypatch.setenv("COPLAN_CACHE_DIR", str(tmp_path / "cache"))
    reads = []
    real = agreed.read_wordings

    def counted(files: object) -> object:
        reads.append(1)
        return real(files)  # type: ignore[arg-type]

    monkeypatch.setattr(agreed, "read_wordings", counted)

    def wordings(read: int) -> object:
        agreed.template_wordings.cache_clear()
        before = len(reads)
        found = agreed.template_wordings()
        assert found == real(sorted(templates.glob("*.toml")))
        assert len(reads) - before == read
        return found

    first = wordings(read=1)
    assert first and wordings(read=0) == first  # from the cache
    one = sorted(templates.glob("*.toml"))[0]
    text = one.read_text(encoding="utf-8")
    assert 'summary = "' in text
    one.write_text(text.replace('summary = "', 'summary = "A new wording. ', 1),
                   encoding="utf-8")
    os.utime(one, ns=(one.stat().st_atime_ns, one.stat().st_mtime_ns + 10**9))
    changed = wordings(read=1)
    assert changed != first
    assert wordings(read=0) == changed
    (templates / "extra.toml").write_text(text.replace('summary = "', 'summary = "Extra. ', 1),
                                          encoding="utf-8")
    assert wordings(read=1) != changed  # a template added
    [kept] = (tmp_path / "cache" / "template-wordings").iterdir()
    kept.write_bytes(b"\x00broken")
    wordings(read=1)
    agreed.template_wordings.cache_clear()


def test_template_wordings_of_several_checkouts_are_kept_side_by_side(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checkouts (or versions) of coplan sharing one home folder each keep what their
    templates say: none writes over another's (each ``check`` read its templates again
    when two took turns), at most ``KEPT_WORDINGS`` are kept, and deleting them is safe."""
    import shutil

    from coplan import agreed, bundled

    checkouts = []
    for n in range(5):
        templates = tmp_path / f"checkout-{n}" / "templates" / "plans"
        shutil.copytree(bundled.data_dir("templates") / "plans", templates)
        one = sorted(templates.glob("*.toml"))[0]
        one.write_text(one.read_text(encoding="utf-8").replace(
            'summary = "', f'summary = "Checkout {n}. ', 1), encoding="utf-8")
        checkouts.append(templates.parent.parent)
    cache = tmp_path / "cache"
    monkeypatch.setenv("COPLAN_CACHE_DIR", str(cache))
    reads = []
    real = agreed.read_wordings

    def counted(files: object) -> object:
        reads.append(1)
        return real(files)  # type: ignore[arg-type]

    monkeypatch.setattr(agreed, "read_wordings", counted)

    def wordings(checkout: Path, read: int) -> object:
        monkeypatch.setattr(bundled, "data_dir", lambda name: checkout / name)
        agreed.template_wordings.cache_clear()
        before = len(reads)
        found = agreed.template_wordings()
        assert found == real(sorted((checkout / "templates" / "plans").glob("*.toml")))
        assert len(reads) - before == read, checkout.name
        return found

    first, second = checkouts[:2]
    one, two = wordings(first, read=1), wordings(second, read=1)
    assert one != two
    for _ in range(2):  # taking turns, each reads its own from the cache
        assert wordings(first, read=0) == one
        assert wordings(second, read=0) == two
    monkeypatch.setattr(agreed, "KEPT_WORDINGS", 3)
    for checkout in checkouts[2:]:
        wordings(checkout, read=1)
    kept = list((cache / "template-wordings").iterdir())
    assert len(kept) == 3  # never more than KEPT_WORDINGS
    wordings(checkouts[-1], read=0)  # the one written last is one kept
    shutil.rmtree(cache)  # safe to delete
    assert wordings(first, read=1) == one
    assert wordings(first, read=0) == one
    agreed.template_wordings.cache_clear()


def test_the_templates_are_the_files_glob_finds(tmp_path: Path) -> None:
    """``agreed.toml_files`` lists what ``sorted(folder.glob("*.toml"))`` finds: names in
    any case, hidden ones, a folder so named, and none in a folder that is not there."""
    from coplan import agreed

    for name in ("a.toml", "b.TOML", ".hidden.toml", ".toml", "c.toml.bak", "d.tom",
                 "e toml", "f.Toml", "g.toml~"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "folder.toml").mkdir()
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "x.toml").write_text("", encoding="utf-8")
    for folder in (tmp_path, tmp_path / "inner", tmp_path / "missing", tmp_path / "a.toml"):
        assert agreed.toml_files(folder) == sorted(folder.glob("*.toml"))
    assert len(agreed.toml_files(tmp_path)) >= 4


# -- time zones already found, kept between runs (zonecache) ---------------------------------

def _zone_problems(zone: str, folder: Path) -> list[str]:
    from coplan.errors import PlanError
    from coplan.planfile import parse_plan

    text = (f'[project]\ntitle = "T"\nstart = 2027-01-04\ntimezone = "{zone}"\n\n'
            '[[stage]]\nid = "a"\ntitle = "A"\nphase = "design"\nduration = "5d"\n')
    try:
        parse_plan(text, str(folder / "plan.toml"))
    except PlanError as exc:
        return [p.message for p in exc.problems]
    return []


def test_a_time_zone_is_known_from_the_cache_only_while_its_file_is_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import shutil
    import zoneinfo

    from coplan import zonecache

    monkeypatch.setenv("COPLAN_CACHE_DIR", str(tmp_path / "cache"))
    zones = tmp_path / "zones"
    (zones / "Europe").mkdir(parents=True)
    source = zoneinfo._tzpath.find_tzfile("Europe/London")  # type: ignore[attr-defined]
    if source is None:
        pytest.skip("this computer has no time zone files (tzdata is used)")
    shutil.copy(source, zones / "Europe" / "London")
    zoneinfo.reset_tzpath([str(zones)])
    zoneinfo.ZoneInfo.clear_cache()
    monkeypatch.setattr(zonecache, "_memory", None)
    try:
        assert not zonecache.known_zone("Europe/London")
        assert _zone_problems("Europe/London", tmp_path) == []
        assert zonecache.known_zone("Europe/London")
        monkeypatch.setattr(zonecache, "_memory", None)  # as a new process starts
        assert zonecache.known_zone("Europe/London")
        assert not zonecache.known_zone("Europe/Paris")  # never found, not kept
        assert _zone_problems("Mars/Olympus", tmp_path) != []
        assert not zonecache.known_zone("Mars/Olympus")
        tzfile = zones / "Europe" / "London"
        os.utime(tzfile, ns=(tzfile.stat().st_atime_ns, tzfile.stat().st_mtime_ns + 10**9))
        assert not zonecache.known_zone("Europe/London")  # changed: zoneinfo asked again
        tzfile.unlink()
        zoneinfo.ZoneInfo.clear_cache()
        assert not zonecache.known_zone("Europe/London")
        try:  # gone from these files: whatever zoneinfo says now is what the loader says
            zoneinfo.ZoneInfo("Europe/London")
            expected = True
        except zoneinfo.ZoneInfoNotFoundError:
            expected = False
        zoneinfo.ZoneInfo.clear_cache()
        assert (_zone_problems("Europe/London", tmp_path) == []) is expected
    finally:
        zoneinfo.reset_tzpath()
        zoneinfo.ZoneInfo.clear_cache()


def test_the_holiday_cache_keeps_what_it_was_given(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from coplan import holiday_cache

    monkeypatch.setenv("COPLAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(holiday_cache, "_memory", None)
    found = {date(2027, 1, 1): "New Year's Day", date(2027, 12, 27): "Boxing Day (observed)",
             date(2028, 1, 3): "New Year's Day (substitute day)"}
    assert holiday_cache.lookup("GB-SCT", [2027, 2028]) is None
    holiday_cache.store("GB-SCT", [2027, 2028], found)
    holiday_cache.remember_region("GB-NIR")
    monkeypatch.setattr(holiday_cache, "_memory", None)  # as a new process starts
    assert holiday_cache.lookup("GB-SCT", [2027, 2028]) == found
    assert holiday_cache.lookup("GB-SCT", [2027, 2029]) is None
    assert holiday_cache.known_region("GB-NIR") and not holiday_cache.known_region("FR")
    for damaged in (b"not marshal", __import__("marshal").dumps({"GB": {"2027": [1, 2]}})):
        holiday_cache.cache_file().write_bytes(damaged)
        monkeypatch.setattr(holiday_cache, "_memory", None)
        assert holiday_cache.lookup("GB-SCT", [2027]) is None  # read past, never a crash
