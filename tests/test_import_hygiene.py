"""The domain never imports the UI, and the CLI's read-only commands never load Textual.

Each check runs in a fresh interpreter, as harlequin does, because modules already
imported by other tests would hide the problem.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DOMAIN = ["coplan.model", "coplan.vocab", "coplan.durations", "coplan.planfile",
          "coplan.tomltext", "coplan.edit", "coplan.workcal", "coplan.graph", "coplan.schedule",
          "coplan.export.scheduledata", "coplan.export.tjp", "coplan.cli"]

HEAVY = ["textual", "coplan.tui"]


def _loaded_after(code: str) -> set[str]:
    script = code + "\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_does_not_import_the_ui(module: str) -> None:
    loaded = _loaded_after(f"import {module}")
    assert not {m for m in loaded if m.split(".")[0] == "textual" or m.startswith("coplan.tui")}


def _cli_modules(args: list[str]) -> set[str]:
    code = ("import sys, runpy\n"
            "from coplan.cli import cli\n"
            f"try:\n    cli.main(args={args!r}, standalone_mode=False)\n"
            "except SystemExit:\n    pass\n")
    return _loaded_after(code)


def test_read_only_commands_do_not_load_textual(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('[project]\ntitle = "T"\nstart = 2027-01-04\n\n[[stage]]\nid = "a"\n'
                    'title = "A"\nduration = "1w"\n', encoding="utf-8")
    for args in (["validate", str(plan)], ["schedule", str(plan), "--format", "json"],
                 ["templates"], ["--version"]):
        loaded = _cli_modules(args)
        assert "textual" not in loaded, args
        assert "tomlkit" not in loaded or args[0] not in ("validate", "schedule"), args


def test_validate_parses_with_tomllib_not_tomlkit(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('[project]\ntitle = "T"\nstart = 2027-01-04\n', encoding="utf-8")
    loaded = _cli_modules(["validate", str(plan)])
    assert "tomllib" in loaded and "tomlkit" not in loaded
