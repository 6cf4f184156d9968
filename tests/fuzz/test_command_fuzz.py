"""Whatever a plan says, every command answers with one of its documented exit codes and a
plain message: never a traceback, never "this is a bug in coplan" (exit 3), never a hang.

Plans are made by mutating the seed corpus (``tests/fuzz/seeds/``, the bundled examples and
templates): values replaced by random ones of any type, keys dropped or added, entries
added to lists.  Each plan is then run through every command that reads a plan, in every
output form: validate, check (each report format), schedule (each format), budget, status,
and every exporter in each of its formats that needs no other program.

The suite runs a handful of plans; ``python scripts/fuzz.py --minutes 10`` runs the same
test for as long as it is given, and keeps any plan that fails in ``tests/fuzz/coplan-fuzz-found/``
(a failing plan found there is a bug: fix it, then keep the plan as a seed).
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coplan.cli import cli
from coplan.plugins import all_exporters
from test_loader_fuzz import dump, mutate

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted([*(ROOT / "tests" / "fuzz" / "seeds").glob("*.toml"),
                *(ROOT / "examples").glob("*.toml"),
                *(ROOT / "templates" / "plans").glob("*.toml")])
# Where a failing plan is kept: scripts/fuzz.py points this at tests/fuzz/; the suite
# keeps it in the temporary folder, so a test run never writes into the repository.
FOUND = Path(os.environ.get("COPLAN_FUZZ_FOUND") or tempfile.gettempdir()) / "coplan-fuzz-found"
# done; findings or a plan that needs fixing; bad input.  Not 64: a usage error here means
# the test's own command line is wrong, and it would hide everything the plan could cause.
DOCUMENTED = {0, 1, 2}
FUZZ = settings(max_examples=int(os.environ.get("COPLAN_FUZZ_COMMANDS", "6")), deadline=None,
                suppress_health_check=list(HealthCheck), database=None)


@cache
def _seed(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


@cache
def _commands() -> list[list[str]]:
    commands = [["validate"], ["check"], *(["check", "--format", f]
                                           for f in ("json", "sarif", "junit", "markdown")),
                ["schedule"], ["schedule", "--format", "json"], ["schedule", "--format", "csv"],
                ["budget", "--format", "json"], ["status", "--today", "2027-09-01"]]
    for exporter in all_exporters():
        for fmt in exporter.formats:
            if fmt.needs is None:  # what needs another program (LibreOffice) is too slow here
                choose = ["--format", fmt.name] if len(exporter.formats) > 1 else []
                commands.append(["export", exporter.name, *choose,
                                 *(["--no-state"] if exporter.state else []),
                                 *(["-o", "{out}" + fmt.suffix] if fmt.binary else [])])
    return commands


def run_every_command(text: str, folder: Path) -> None:
    """Run every command on ``text``; fail on anything but a documented answer."""
    plan = folder / "plan.toml"
    plan.write_text(text, encoding="utf-8")
    runner = CliRunner()
    for command in _commands():
        args = [*command[:2], str(plan), *command[2:]] if command[0] == "export" \
            else [command[0], str(plan), *command[1:]]
        args = [a.replace("{out}", str(folder / "out")) for a in args]
        result = runner.invoke(cli, args)
        output = result.output + (result.stderr if result.stderr_bytes else "")
        if result.exit_code not in DOCUMENTED or "Traceback" in output \
                or (result.exception is not None and not isinstance(result.exception,
                                                                    SystemExit)):
            FOUND.mkdir(parents=True, exist_ok=True)
            kept = FOUND / f"failed-{abs(hash(text)) % 10**10}.toml"
            kept.write_text(text, encoding="utf-8")
            raise AssertionError(f"coplan {' '.join(command)} gave exit {result.exit_code} "
                                 f"(plan kept as {kept}):\n{output[-3000:]}\n"
                                 f"{result.exception!r}")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_seed_is_answered(seed: Path, tmp_path: Path) -> None:
    run_every_command(seed.read_text(encoding="utf-8"), tmp_path)


@FUZZ
@given(st.data())
def test_mutated_plans_are_answered(data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(SEEDS))
    text = dump(mutate(_seed(seed), data.draw))
    if text is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        run_every_command(text, Path(folder))


def test_found_plans_are_answered(tmp_path: Path) -> None:
    """Plans a longer run found failing stay answered once fixed (kept as seeds)."""
    for kept in sorted((ROOT / "tests" / "fuzz" / "seeds").glob("found-*.toml")):
        run_every_command(kept.read_text(encoding="utf-8"), tmp_path)
