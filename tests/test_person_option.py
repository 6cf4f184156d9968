"""``--person ID`` on an export that writes one person's own view names the option it was
given and the plan's ids: "'nobody' is not an audience" spoke of an option the person had
not typed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.export.exporters import BUILTIN

ROOT = Path(__file__).resolve().parents[1]
MINDS = ROOT / "examples" / "minds-discharge.toml"
PER_PERSON = sorted(e.name for e in BUILTIN if e.per_person)
SUFFIX = {e.name: e.formats[0].suffix for e in BUILTIN}


def test_some_exporters_write_one_persons_view() -> None:
    assert "ics" in PER_PERSON


@pytest.mark.parametrize("name", PER_PERSON)
def test_an_unknown_person_is_said_as_the_option_was_given(name: str, tmp_path: Path) -> None:
    out = tmp_path / f"out{SUFFIX[name]}"
    result = CliRunner().invoke(cli, ["export", name, str(MINDS), "--person", "nobody",
                                      "-o", str(out)])
    assert result.exit_code == 64, result.output
    assert "--person nobody: nobody in minds-discharge.toml has that id" in result.output
    assert "amara, sam, dev" in result.output and "audience" not in result.output
    assert not out.exists()
    near = CliRunner().invoke(cli, ["export", name, str(MINDS), "--person", "samm",
                                    "-o", str(out)])
    assert near.exit_code == 64 and "did you mean 'sam'?" in near.output
