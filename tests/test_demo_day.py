"""``coplan demo`` opens an example on the day its delivery record runs to, where that is
still to come: opened on an earlier day, every session it records as held would read as a
slip in the record, and the first screen a newcomer sees would be a list of errors."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import coplan.cli
from coplan.cli import cli


def _epoch(day: date) -> str:
    return str(int(datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp()))


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def run_app(path: Path, today: str | None, high_contrast: bool, *_: Any,
                **__: Any) -> None:
        seen.append({"path": path, "today": today})

    monkeypatch.setattr(coplan.cli, "_run_app", run_app)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # (the copy goes here)
    return seen


def test_the_example_opens_on_the_day_its_record_runs_to(
        opened: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(date(2026, 12, 5)))
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert opened[0]["today"] == "2027-09-10"
    assert "as things stood on 10 September 2027, the day its record runs to" in result.output
    # Seen on that day, the example's record holds nothing dated later.
    check = CliRunner().invoke(cli, ["check", str(opened[0]["path"]), "--today", "2027-09-10",
                                     "--format", "json"])
    found = {f["rule"] for p in json.loads(check.output)["plans"] for f in p["findings"]}
    assert "CP-DEL-011" not in found
    assert str(opened[0]["path"]).startswith(str(tempfile.tempdir))


def test_a_day_after_the_record_is_today_and_a_day_given_is_kept(
        opened: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(date(2027, 12, 1)))
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert opened[0]["today"] is None
    assert "as things stood" not in result.output
    result = CliRunner().invoke(cli, ["demo", "--today", "2027-03-01"])
    assert opened[1]["today"] == "2027-03-01"
    assert "as things stood" not in result.output


def test_the_docs_name_the_day_each_example_opens_on() -> None:
    """docs/running.md says the day each example's record runs to, and ``coplan demo`` (and
    its notice) opens the example on that day: the demo said 8 September where the page
    said 10 September for MINDS."""
    import re

    from coplan.cli import _story_day
    from coplan.planfile import load_plan
    from coplan.resources import examples
    from coplan.tui.example_story import story_notice

    page = (Path(__file__).parents[1] / "docs" / "running.md").read_text(encoding="utf-8")
    intro = " ".join(page.split("## Recording what happened")[0].split())
    for example in examples():
        day = _story_day(example.path)
        assert day is not None, f"{example.name}'s record runs to a day still to come"
        said = re.search(rf"`examples/{example.name}.toml`[^`]*?its record runs to "
                         r"(\d+ \w+ \d{4})", intro)
        assert said, f"docs/running.md does not say the day {example.name}'s record runs to"
        assert said.group(1) == f"{day.day} {day:%B %Y}", example.name
        notice = story_notice(load_plan(example.path), example.name, day)
        assert f"as things stood on {said.group(1)}" in notice
