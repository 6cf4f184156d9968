"""Regular expressions kept between runs (``codecache.cached_compile``) are the patterns
``re`` itself makes: same program, flags and groups, same matches, same warnings."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path
from re import _compiler  # type: ignore[attr-defined]

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan import codecache

PLAIN = _compiler.compile if _compiler.compile is not codecache.cached_compile \
    else codecache._plain_compile
INTERNALS = (__import__("_sre"), _compiler, __import__("re._parser").__dict__["_parser"])


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COPLAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(codecache, "_patterns", None)
    monkeypatch.setattr(codecache, "_patterns_used", set())
    monkeypatch.setattr(codecache, "_patterns_changed", [False])
    monkeypatch.setattr(codecache, "_plain_compile", PLAIN)
    monkeypatch.setattr(codecache, "_internals", INTERNALS)
    monkeypatch.setattr(codecache, "_patterns_path", codecache.cache_folder() / "re.marshal")
    return tmp_path


def _as_module(pattern: str | bytes, flags: int) -> re.Pattern[str]:
    """``pattern`` compiled as a module's body compiles it on import."""
    names: dict[str, object] = {"compile": codecache.cached_compile, "p": pattern, "f": flags}
    exec(compile("made = compile(p, f)", "<a module>", "exec"), names)
    return names["made"]  # type: ignore[return-value]


def _same(made: re.Pattern[str], plain: re.Pattern[str]) -> None:
    assert made == plain  # (the pattern, its flags and its program)
    assert (made.pattern, made.flags, made.groups, dict(made.groupindex)) == (
        plain.pattern, plain.flags, plain.groups, dict(plain.groupindex))


def _found(match: re.Match[str] | None) -> object:
    return match and (match.span(), match.groups(), match.groupdict(), match.lastindex,
                      match.lastgroup)


def _new_process() -> None:
    codecache._save_patterns()
    codecache._patterns = None
    codecache._patterns_used.clear()


def _kept() -> dict[tuple[str | bytes, int], object]:
    return codecache._load_patterns()


PARTS = st.sampled_from([
    "a", "b", "ab", ".", r"\d", r"\w+", r"\s*", r"[a-c]", r"[^x\d]", "(a|b)", "(?:ab)?",
    "(?P<n>a+)", "(?P<m>b)?", "(?=a)", "(?!b)", "(?<=a)", "(?<!b)", r"\b", "^", "$",
    "a{2,3}", "a*?", "(?i:ab)", "é", "[\u0100-\u0200]", r"\ud800", "(?#note)", "|",
])
FLAGS = st.sampled_from([0, re.IGNORECASE, re.MULTILINE | re.DOTALL, re.VERBOSE,
                         re.ASCII, re.IGNORECASE | re.UNICODE])


def _pattern(parts: list[str]) -> str | None:
    text = "".join(parts)
    try:
        PLAIN(text, 0)
    except re.error:
        return None
    return text


@settings(max_examples=150, deadline=None)
@given(st.lists(PARTS, min_size=1, max_size=8), FLAGS,
       st.lists(st.text(alphabet="ab xé1\n", max_size=8), max_size=4))
def test_a_kept_pattern_is_the_pattern_re_makes(tmp_path_factory: pytest.TempPathFactory,
                                                parts: list[str], flags: int,
                                                texts: list[str]) -> None:
    text = _pattern(parts)
    if text is None:
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COPLAN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        patch.setattr(codecache, "_patterns", None)
        patch.setattr(codecache, "_patterns_used", set())
        patch.setattr(codecache, "_patterns_changed", [False])
        patch.setattr(codecache, "_plain_compile", PLAIN)
        patch.setattr(codecache, "_internals", INTERNALS)
        patch.setattr(codecache, "_patterns_path", codecache.cache_folder() / "re.marshal")
        try:
            plain = PLAIN(text, flags)
        except re.error:
            return
        first = _as_module(text, flags)  # made, and kept
        _same(first, plain)
        assert (text, int(flags)) in _kept()
        _new_process()
        again = _as_module(text, flags)  # from the file
        assert codecache._patterns_changed == [False]
        _same(again, plain)
        for sample in [*texts, "a", "ab", "b a", "aab\nb"]:
            for way in ("search", "match", "fullmatch"):
                found = getattr(again, way)(sample)
                assert _found(found) == _found(getattr(plain, way)(sample))


@pytest.mark.parametrize(("pattern", "flags"), [
    (b"(?P<k>[a-z]+)=\\d", re.IGNORECASE), (b"\\w+", re.LOCALE), (b"[\x00-\xff]", 0),
    ("(?P<k>[a-z]+)=\\d", 0), ("[\x00-\x08\ufffe\uffff\ud800-\udfff]", 0),
    (r"(?x) a  b # c", 0), ("(?i)Ab", 0),
])
def test_bytes_strings_and_inline_flags_are_kept_apart(fresh: Path, pattern: str | bytes,
                                                       flags: int) -> None:
    plain = PLAIN(pattern, flags)
    _same(_as_module(pattern, flags), plain)
    _new_process()
    _same(_as_module(pattern, flags), plain)
    assert list(_kept()) == [(pattern, flags)]
    sample = b"Key=1 \xe9" if isinstance(pattern, bytes) else "Key=1 \xe9\ud800"
    assert _found(_as_module(pattern, flags).search(sample)) == _found(plain.search(sample))
    other = pattern.decode("latin-1") if isinstance(pattern, bytes) else None
    if other is not None and not flags & re.LOCALE:
        assert (other, flags) not in _kept()
        _same(_as_module(other, flags), PLAIN(other, flags))


@settings(max_examples=150, deadline=None)
@given(st.lists(PARTS, min_size=1, max_size=8), FLAGS,
       st.lists(st.text(alphabet="ab xé1\n", max_size=8), max_size=4))
def test_a_pattern_not_kept_is_the_pattern_re_makes(tmp_path_factory: pytest.TempPathFactory,
                                                    parts: list[str], flags: int,
                                                    texts: list[str]) -> None:
    """A pattern made from a plan (inside a function) is made without the parts a kept one
    is written down as: it must still be what ``re`` makes."""
    text = _pattern(parts)
    if text is None:
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COPLAN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        patch.setattr(codecache, "_patterns", None)
        patch.setattr(codecache, "_patterns_used", set())
        patch.setattr(codecache, "_patterns_changed", [False])
        patch.setattr(codecache, "_plain_compile", PLAIN)
        patch.setattr(codecache, "_internals", INTERNALS)
        patch.setattr(codecache, "_patterns_path", codecache.cache_folder() / "re.marshal")
        try:
            plain = PLAIN(text, flags)
        except re.error:
            return
        made = codecache.cached_compile(text, flags)
        _same(made, plain)
        assert _kept() == {}
        for sample in [*texts, "a", "ab", "b a", "aab\nb"]:
            for way in ("search", "match", "fullmatch"):
                found = getattr(made, way)(sample)
                assert _found(found) == _found(getattr(plain, way)(sample))


def test_a_pattern_made_inside_a_function_is_not_kept(fresh: Path) -> None:
    # (the names of a plan's people, made into a pattern, never reach a file)
    made = codecache.cached_compile("Morag Campbell|Alex", 0)
    _same(made, PLAIN("Morag Campbell|Alex", 0))
    _new_process()
    assert _kept() == {}
    assert not (codecache.cache_folder() / "re.marshal").exists()


def test_a_pattern_that_warns_is_not_kept_and_warns_every_time(fresh: Path) -> None:
    for _ in range(2):
        with pytest.warns(FutureWarning, match="nested set"):
            _same(_as_module("[[a]", 0), PLAIN("[[a]", 0))
        _new_process()
        assert _kept() == {}


def test_a_mistake_in_a_pattern_is_the_same_mistake(fresh: Path) -> None:
    with pytest.raises(re.error) as plain:
        PLAIN("a(b", 0)
    with pytest.raises(re.error) as made:
        _as_module("a(b", 0)
    assert (str(made.value), made.value.pos) == (str(plain.value), plain.value.pos)


@pytest.mark.parametrize("content", [b"", b"not marshal data", b"\xff" * 9,
                                     __import__("marshal").dumps((1, "another python", {})),
                                     __import__("marshal").dumps(
                                         (1, sys.version, {("a", 0): (0, [], 0, {}, ())}))])
def test_an_unreadable_or_wrong_file_is_not_used(fresh: Path, content: bytes) -> None:
    folder = codecache.cache_folder()
    folder.mkdir(parents=True)
    (folder / "re.marshal").write_bytes(content)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _same(_as_module("a", 0), PLAIN("a", 0))
    assert _as_module("a", 0).fullmatch("a")


def test_importing_coplan_leaves_re_alone() -> None:
    code = ("import re, coplan.model, coplan.review.rules, coplan.codecache\n"
            "print(re._compiler.compile is coplan.codecache.cached_compile)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def test_every_pattern_a_check_keeps_is_the_one_re_makes(tmp_path: Path) -> None:
    """The patterns of coplan's modules, and of the libraries a command imports."""
    import os

    minds = Path(__file__).resolve().parents[1] / "examples" / "minds-discharge.toml"
    env = {**os.environ, "COPLAN_CACHE_DIR": str(tmp_path), "COPLAN_PLUGINS": "none"}
    for words in (["check"], ["export", "ics", "--no-state", "-o", str(tmp_path / "x.ics")],
                  ["export", "protocol", "-o", str(tmp_path / "x.md")]):
        subprocess.run([sys.executable, "-m", "coplan", *words, str(minds)], env=env,
                       capture_output=True, check=False)
    import marshal

    (file,) = tmp_path.glob("code-*/re.marshal")
    kept = marshal.loads(file.read_bytes())[2]
    assert len(kept) > 40
    import _sre

    for (pattern, flags), parts in kept.items():
        _same(_sre.compile(pattern, *parts), PLAIN(pattern, flags))
        assert "Morag" not in str(pattern) and "Campbell" not in str(pattern)


def test_the_users_own_cache_folder_is_found_and_used(tmp_path: Path) -> None:
    """Without COPLAN_CACHE_DIR the folder is platformdirs' (which makes patterns of its
    own as it is imported): the second run reads what the first kept, and says the same."""
    import os

    minds = Path(__file__).resolve().parents[1] / "examples" / "minds-discharge.toml"
    env = {k: v for k, v in os.environ.items() if k != "COPLAN_CACHE_DIR"}
    env.update(XDG_CACHE_HOME=str(tmp_path), COPLAN_PLUGINS="none")
    runs = [subprocess.run([sys.executable, "-m", "coplan", "validate", str(minds)], env=env,
                           capture_output=True, text=True, check=False) for _ in range(2)]
    assert [(r.returncode, r.stdout, r.stderr) for r in runs] == [
        (0, runs[0].stdout, "")] * 2
    (kept,) = tmp_path.glob("**/re.marshal")
    assert kept.stat().st_size > 1000
