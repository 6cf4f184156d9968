"""A name that ends a sentence, shown as initials, ends it with one full stop.

Found by trying the product: with names hidden, the served view said "ask N.H. and K.B.."
and the protocol "Co-chaired by A.M. and N.H..": the team's (or coplan's) sentence ended
in a name, and the initials put in its place end in a stop of their own.  Every output of
MINDS with everyone's name hidden is read here, in every audience and text format.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from coplan.cli import cli
from coplan.export.contract import Options, run_export
from coplan.planfile import load_plan
from coplan.plugins import all_exporters
from coplan.privacy import redaction
from coplan.protected import who_looks_after
from coplan.schedule import schedule

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2027, 9, 8)
DOUBLED = re.compile(r"\b[A-Z]\.\.(?!\.)")
"""Initials with a second stop after them (an ellipsis, three stops, is not one)."""


@pytest.fixture(scope="module")
def hidden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = (ROOT / "examples" / "minds-discharge.toml").read_text(encoding="utf-8")
    assert "Co-chaired by Amara and Nadia." in text  # (a sentence ending in a name)
    path = tmp_path_factory.mktemp("one-stop") / "minds.toml"
    path.write_text(text.replace("share_name = true", "share_name = false"),
                    encoding="utf-8")
    return path


def _doubled(text: str) -> list[str]:
    return [text[max(0, m.start() - 40):m.end() + 5] for m in DOUBLED.finditer(text)]


def _exports() -> list[tuple[str, str, str]]:
    found = []
    for exporter in all_exporters():
        audiences = [*exporter.audiences, *(["sam"] if exporter.per_person else [])]
        for fmt in exporter.formats:
            if fmt.binary:
                continue
            found += [(exporter.name, audience, fmt.name) for audience in audiences]
    return found


@pytest.mark.parametrize("name, audience, fmt", _exports())
def test_no_export_doubles_a_stop(hidden: Path, name: str, audience: str, fmt: str) -> None:
    plan = load_plan(hidden)
    exporter = all_exporters().get(name)
    assert exporter is not None
    data = run_export(exporter, plan, schedule(plan),
                      Options(format=fmt, audience=audience, today=TODAY))
    assert not _doubled(data.decode("utf-8")), _doubled(data.decode("utf-8"))


def test_the_protocol_ends_the_chairs_sentence_once(hidden: Path) -> None:
    plan = load_plan(hidden)
    exporter = all_exporters().get("protocol")
    assert exporter is not None
    text = run_export(exporter, plan, schedule(plan),
                      Options(format="md", audience="team", today=TODAY)).decode("utf-8")
    assert "Co-chaired by A.M. and N.H. Decisions by consensus" in text


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_no_report_of_the_review_doubles_a_stop(hidden: Path, fmt: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(hidden), "--today", "2027-09-08",
                                      "--format", fmt])
    assert result.exit_code in (0, 1), result.output
    assert not _doubled(result.output), _doubled(result.output)


def test_the_served_views_note_names_its_people_with_one_stop(hidden: Path) -> None:
    """What the protected view says when it refuses (``CoplanApp.protected_note``): the
    names of the people who look after private details end its sentence."""
    plan = load_plan(hidden)
    names = who_looks_after(plan)
    assert names
    said = redaction(plan, "sam", own=True).text(
        f"In this shared view you see your own details and nobody else's; ask "
        f"{' and '.join(names)}.")
    assert said.endswith(".") and not _doubled(said), said


def test_a_name_left_as_written_keeps_the_teams_stops(hidden: Path) -> None:
    """Only initials put in place of a name lose a stop: a person written as "T." already
    (the example's Tendai) is left as written, and so is the text around it ("T.." in the
    team's words stays "T..": nothing was put in there).  Found by hypothesis: the plain
    way took the stop out and the quick search, rightly, saw no name it changes."""
    credited = hidden.with_name("credited.toml")
    credited.write_text(hidden.read_text(encoding="utf-8").replace(
        'credit = "anonymous"', 'credit = "initials"'), encoding="utf-8")
    hide = redaction(load_plan(credited))
    assert hide.text("Ask T..") == "Ask T.."
    assert hide.text("Ask T.") == "Ask T."
    assert not hide.may_change("\x00Ask T..\x00")
    assert hide.text("Co-chaired by Nadia.").endswith("N.H.")
    # Tendai as the example has her, not to be credited: a stand-in, and its one stop
    anonymous = redaction(load_plan(hidden))
    assert anonymous.text("Ask T..") == "Ask someone."
    assert anonymous.text("Ask T.") == "Ask someone."
