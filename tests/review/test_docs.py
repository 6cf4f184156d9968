"""docs/review.md is generated from the rules, so it cannot drift from them; and the
pre-commit hooks run the commands they name."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from coplan.cli import cli
from coplan.review.engine import GROUPS
from coplan.review.rules import builtin_rules
from coplan.vocab import FRAMEWORKS

REGISTRY = builtin_rules()  # the rules docs/review.md documents: coplan's own

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "review.md"
SCRIPT = ROOT / "scripts" / "gen_review_docs.py"
HOOKS = ROOT / ".pre-commit-hooks.yaml"


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("gen_review_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_docs_review_md_is_up_to_date(generator, doc: str) -> None:
    assert doc == generator.render(), \
        "docs/review.md is out of date: run python scripts/gen_review_docs.py"


def test_the_generator_check_mode(generator, tmp_path: Path, capsys) -> None:
    out = tmp_path / "review.md"
    assert generator.main(["--output", str(out)]) == 0
    assert generator.main(["--check", "--output", str(out)]) == 0
    out.write_text(out.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    assert generator.main(["--check", "--output", str(out)]) == 1
    assert "out of date" in capsys.readouterr().err


def test_every_rule_is_documented(doc: str) -> None:
    for r in REGISTRY:
        assert f'<a id="{r.id.lower()}"></a>' in doc
        section = doc.split(f"#### {r.id}: {r.title}\n", 1)[1].split("####", 1)[0]
        severity = re.search(r"\*\*Severity:\*\* (.+)", section)
        assert severity is not None, r.id
        assert r.severity.label in severity.group(1)
        if r.strict is not None:
            assert f"{r.strict.label} when the plan claims to be co-produced" in \
                severity.group(1), r.id
        else:
            assert "claims to be co-produced" not in severity.group(1), r.id
        for fid in r.sources:
            assert f"]({FRAMEWORKS[fid].url})" in section, (r.id, fid)
    for group, title in GROUPS.items():
        if any(r.group == group for r in REGISTRY):
            assert f"### {title} (`{group}`)" in doc


def test_rules_appear_in_registry_order(doc: str) -> None:
    positions = [doc.index(f"#### {r.id}: ") for r in REGISTRY]
    assert positions == sorted(positions)


def _slug(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_within_the_page_lands(doc: str) -> None:
    tokens = MarkdownIt("commonmark").enable("table").parse(doc)
    targets = set(re.findall(r'<a id="([^"]+)"></a>', doc))
    targets |= {_slug(tokens[i + 1].content) for i, t in enumerate(tokens)
                if t.type == "heading_open"}
    links = [child.attrs["href"] for t in tokens if t.type == "inline"
             for child in t.children or [] if child.type == "link_open"]
    internal = [str(h)[1:] for h in links if str(h).startswith("#")]
    assert len(internal) > len(REGISTRY)
    assert [h for h in internal if h not in targets] == []
    external = {str(h) for h in links if not str(h).startswith("#")}
    assert {f.url for f in FRAMEWORKS.values() if any(f.id in r.sources for r in REGISTRY)} \
        <= external


def test_the_page_explains_exit_codes_formats_thresholds_and_skipping(doc: str) -> None:
    for text in ("| `0` |", "| `1` |", "| `2` |", "--strict", "`--select`", "`--ignore`",
                 "`min_voices`", "`feedback_within`", "`papers_ahead`",
                 "`milestones_need_touchpoints`", "[review.skip]", "claims_coproduction"):
        assert text in doc, text
    for fmt in cli.commands["check"].params[1].type.choices:  # type: ignore[attr-defined]
        assert f"| `{fmt}`" in doc, fmt


# -- pre-commit hooks ---------------------------------------------------------------------------

def _hooks() -> list[dict[str, str]]:
    """The hooks file is a flat YAML list of mappings; read it without a YAML library."""
    hooks: list[dict[str, str]] = []
    for line in HOOKS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.match(r"^(- |  )([a-z_]+):\s*(.*)$", line)
        assert match, f"unexpected line in {HOOKS.name}: {line!r}"
        if match.group(1) == "- ":
            hooks.append({})
        hooks[-1][match.group(2)] = match.group(3).strip()
    return hooks


def test_pre_commit_hooks() -> None:
    hooks = {h["id"]: h for h in _hooks()}
    assert set(hooks) == {"coplan-check", "coplan-validate"}
    for hook_id, command in (("coplan-check", "check"), ("coplan-validate", "validate")):
        hook = hooks[hook_id]
        assert hook["entry"] == f"coplan {command}"
        assert command in cli.commands
        assert hook["language"] == "python"
        assert hook["types"] == "[toml]"
        assert hook["name"] and hook["description"]
        assert hook.get("pass_filenames", "true") == "true"
        assert "files" not in hook, "let each project choose its plan files with files:"
