"""Protocol templates compiled on an earlier run (``render_text._CompiledTemplates``) give
the same document, and a template that changed, or was compiled another way, is compiled
again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coplan import codecache
from coplan.export.protocol import render_text

ROOT = Path(__file__).resolve().parents[2]
MINDS = ROOT / "examples" / "minds-discharge.toml"


def _export(cache: Path, *words: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COPLAN_CACHE_DIR": str(cache), "COPLAN_PLUGINS": "none",
           "SOURCE_DATE_EPOCH": "1796000000"}
    return subprocess.run([sys.executable, "-m", "coplan", "export", "protocol", str(MINDS),
                           *words], capture_output=True, text=True, env=env, check=False)


def _kept(cache: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in cache.glob("code-*/templates/*")}


@pytest.mark.parametrize("words", [[], ["--format", "html"]])
def test_a_kept_template_makes_the_same_document(tmp_path: Path, words: list[str]) -> None:
    first = _export(tmp_path, *words)  # compiles the template, and keeps it
    kept = _kept(tmp_path)
    assert first.returncode == 0 and kept  # (a template and those it includes)
    second = _export(tmp_path, *words)  # from the cache folder
    assert (second.returncode, second.stdout, second.stderr) == (
        first.returncode, first.stdout, first.stderr)
    assert _kept(tmp_path) == kept  # nothing compiled, so nothing written again
    # The same as a command that keeps nothing (another cache folder, compiled afresh).
    assert _export(tmp_path / "other", *words).stdout == first.stdout


def test_a_changed_template_is_compiled_again(tmp_path: Path) -> None:
    own = tmp_path / "own"
    own.mkdir()
    template = own / "protocol.md.j2"
    template.write_text("First: {{ doc.title }}\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert _export(cache, "--template", str(own)).stdout.startswith("First: ")
    template.write_text("Second: {{ doc.title }}\n", encoding="utf-8")
    assert _export(cache, "--template", str(own)).stdout.startswith("Second: ")


def test_an_unreadable_kept_template_is_compiled_again(tmp_path: Path) -> None:
    first = _export(tmp_path)
    for kept in tmp_path.glob("code-*/templates/*"):
        kept.write_bytes(kept.read_bytes()[:40] + b"\x00broken")
    again = _export(tmp_path)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)


def test_each_way_of_compiling_is_kept_apart(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPLAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(codecache, "_installed", True)
    md, html = render_text.environment("md"), render_text.environment("html")
    keys = {env.bytecode_cache.get_cache_key("protocol.md.j2")  # type: ignore[union-attr]
            for env in (md, html)}
    assert len(keys) == 2  # (escaping and finishing differ)
    plain = render_text.environment("md")
    plain.trim_blocks = False
    assert render_text._compiled_templates(plain).get_cache_key(  # type: ignore[union-attr]
        "protocol.md.j2") not in keys


def test_importing_coplan_keeps_no_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codecache, "_installed", False)
    assert render_text.environment("md").bytecode_cache is None
