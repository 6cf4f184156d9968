"""The exports to other planning tools (TaskJuggler, MS Project XML) carry what actually
happened once a project has started (``--today``), and are what they always were as planned
and before the start.  tj3 and MPXJ schedule the files themselves in
tests/test_tj3_agreement.py and tests/plugins/test_other_tools.py; these tests read the
files' own words."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from coplan.export.msproject import NS, to_msproject
from coplan.export.tjp import to_tjp
from coplan.planfile import load_plan, parse_plan
from coplan.schedule import schedule

ROOT = Path(__file__).resolve().parents[1]
MINDS = ROOT / "examples" / "minds-discharge.toml"


@pytest.fixture(scope="module")
def minds():  # type: ignore[no-untyped-def]
    return load_plan(MINDS)


@pytest.mark.parametrize("export", [to_tjp, to_msproject], ids=["tjp", "msproject"])
@pytest.mark.parametrize("today", [None, date(2026, 12, 1), date(2027, 1, 5),
                                   date(2027, 1, 9)])
def test_as_planned_and_before_the_start_unchanged(minds, export, today) -> None:  # type: ignore[no-untyped-def]
    """Before the start (9 Jan 2027 is the Saturday before it) an export ``--today`` is
    byte for byte the export as planned."""
    assert export(schedule(minds, today=today)) == export(schedule(minds))


@pytest.mark.parametrize("export", [to_tjp, to_msproject], ids=["tjp", "msproject"])
def test_a_plan_without_a_record_is_as_planned(export) -> None:  # type: ignore[no-untyped-def]
    plan = parse_plan("[project]\ntitle = 'T'\nstart = 2027-03-01\n"
                      "[[stage]]\nid = 'a'\ntitle = 'A'\nduration = '2w'\n"
                      "[[stage]]\nid = 'b'\ntitle = 'B'\nduration = '1w'\nafter = ['a']\n")
    assert export(schedule(plan, today=date(2027, 6, 1))) == export(schedule(plan))


def _tasks(xml: str) -> dict[str, ET.Element]:
    root = ET.fromstring(xml.split("\n", 1)[1])
    return {t.findtext(f"{{{NS}}}Name", ""): t for t in root.iter(f"{{{NS}}}Task")}


def _field(task: ET.Element, name: str) -> str | None:
    return task.findtext(f"{{{NS}}}{name}")


def test_ms_project_carries_the_actuals(minds) -> None:  # type: ignore[no-untyped-def]
    sched = schedule(minds, today=date(2027, 9, 10))
    xml = to_msproject(sched)
    assert "<StatusDate>2027-09-10T09:00:00</StatusDate>" in xml
    tasks = _tasks(xml)
    aims = tasks["Agreeing the question and aims"]
    # Finished a week late: 19 working days, not the 15 planned; done, and waiting for
    # nothing (the links had contradicted its real start).
    assert _field(aims, "ActualStart") == "2027-02-23T09:00:00"
    assert _field(aims, "ActualFinish") == _field(aims, "Finish") == "2027-03-19T18:00:00"
    assert _field(aims, "Duration") == _field(aims, "ActualDuration") == "PT152H0M0S"
    assert _field(aims, "RemainingDuration") == "PT0H0M0S"
    assert _field(aims, "PercentComplete") == "100"
    assert aims.find(f"{{{NS}}}PredecessorLink") is None
    # Under way, 10% done (4 of 40 working days): the rest remains.
    interviews = next(t for n, t in tasks.items() if n.startswith("Interviews"))
    assert _field(interviews, "ActualStart") == "2027-09-06T09:00:00"
    assert _field(interviews, "ActualFinish") is None
    assert _field(interviews, "ActualDuration") == "PT32H0M0S"
    assert _field(interviews, "RemainingDuration") == "PT288H0M0S"
    assert _field(interviews, "PercentComplete") == "10"
    # Still to come: not before today, which the schedule dates it from.
    analysis = tasks["Making sense of what people told us"]
    assert _field(analysis, "ActualStart") is None
    assert _field(analysis, "PercentComplete") == "0"
    assert _field(analysis, "ConstraintType") == "4"
    assert _field(analysis, "ConstraintDate") == "2027-09-10T09:00:00"


def test_taskjuggler_carries_the_actuals(minds) -> None:  # type: ignore[no-untyped-def]
    tjp = to_tjp(schedule(minds, today=date(2027, 9, 10)))
    assert "  now 2027-09-10\n" in tjp
    aims = re.search(r'task t_aims "[^"]*" \{\n(.*?)\n\}', tjp, re.S)
    assert aims is not None
    assert aims.group(1).splitlines() == [
        "  # started 2027-02-23, finished 2027-03-19 (the delivery record)",
        "  start 2027-02-23", "  length 19d", "  complete 100"]
    interviews = re.search(r'task t_interviews "[^"]*" \{\n(.*?)\n\}', tjp, re.S)
    assert interviews is not None
    assert "  start 2027-09-06" in interviews.group(1)
    assert "  complete 10" in interviews.group(1)
    assert "depends" not in interviews.group(1)
    analysis = re.search(r'task t_analysis "[^"]*" \{\n(.*?)\n\}', tjp, re.S)
    assert analysis is not None
    assert "  depends t__today" in analysis.group(1)
    assert 'task t__today "Today: dated from what happened" {\n  start 2027-09-10\n' in tjp
