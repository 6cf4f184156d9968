"""Exports to the tools teams already use, read back by those tools' own readers:
MS Project XML by MPXJ (the library ProjectLibre and GanttProject build on), Mermaid by
the Mermaid CLI in Chromium, CSV by a spreadsheet-style reader, TaskJuggler by tj3 (see
tests/test_tj3_agreement.py)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from conftest import need
from coplan.export.mermaid import to_mermaid
from coplan.export.msproject import to_msproject
from coplan.export.scheduledata import to_csv
from coplan.planfile import load_plan
from coplan.schedule import schedule

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
MERMAID = ROOT / "tests" / "js" / "mermaid"


@pytest.fixture(scope="module", params=EXAMPLES, ids=lambda p: p.stem)
def sched(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return schedule(load_plan(request.param))


def test_csv_reads_back_in_a_spreadsheet_reader(sched) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(io.StringIO(to_csv(sched), newline="")))
    stages = {r["id"]: r for r in rows if r["kind"] in ("stage", "milestone")}
    assert set(stages) == set(sched.stages)
    for sid, timing in sched.stages.items():
        assert stages[sid]["start"] == timing.start.isoformat()
        assert stages[sid]["end"] == timing.end.isoformat()
        assert stages[sid]["critical"] == ("yes" if timing.critical else "no")
    assert sum(1 for r in rows if r["kind"] == "checkpoint") == len(sched.checkpoints)


def _mpxj_tasks(xml: Path) -> dict[str, dict[str, object]]:
    """Read the file with MPXJ in a child process (the JVM starts once per process)."""
    script = r"""
import json, sys
import jpype, jpype.imports
import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)
jpype.startJVM()
from org.mpxj.reader import UniversalProjectReader
project = UniversalProjectReader().read(sys.argv[1])
out = {}
for task in project.getTasks():
    if task.getName() is None:
        continue
    out[str(task.getName())] = {
        "start": str(task.getStart()), "finish": str(task.getFinish()),
        "milestone": bool(task.getMilestone()),
        "preds": [[str(r.getPredecessorTask().getName()), str(r.getType()),
                   float(r.getLag().getDuration())] for r in task.getPredecessors()],
    }
print(json.dumps(out))
"""
    result = subprocess.run([sys.executable, "-c", script, str(xml)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_ms_project_xml_reads_back_with_mpxj(sched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    need("java")
    pytest.importorskip("mpxj")
    pytest.importorskip("jpype")
    xml = tmp_path / "plan.xml"
    xml.write_text(to_msproject(sched), encoding="utf-8")
    tasks = _mpxj_tasks(xml)
    plan = sched.plan
    from coplan.privacy import redact

    for timing in sched.stages.values():
        name = redact(timing.stage.title, plan)
        assert name in tasks, name
        task = tasks[name]
        start = datetime.fromisoformat(str(task["start"]))
        finish = datetime.fromisoformat(str(task["finish"]))
        assert finish.date() == timing.end
        if not timing.stage.milestone:
            assert start.date() == timing.start
            assert (start.hour, finish.hour) == (9, 17)
        assert task["milestone"] == timing.stage.milestone
        expected = set()
        for dep in timing.stage.after:
            pred = sched.stages[dep.stage]
            pred_name = redact(pred.stage.title, plan)
            if pred.buffer_days:
                pred_name = "Slowing down after: " + pred_name
            expected.add(pred_name)
        expected |= {g.title for g in sched.gates if timing.stage.id in g.holds}
        assert {p[0] for p in task["preds"]} == expected  # type: ignore[union-attr]
        assert all(p[1] == "FS" for p in task["preds"])  # type: ignore[union-attr]
    for buffer in sched.buffers:
        stage = sched.stages[buffer.stage].stage
        assert f"Slowing down after: {redact(stage.title, plan)}" in tasks


_SCHEDULE_WITH_MPXJ = r"""
import json, sys
import jpype, jpype.imports
import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)
jpype.startJVM()
from java.time import LocalDateTime
from org.mpxj.cpm import MicrosoftScheduler
from org.mpxj.reader import UniversalProjectReader
project = UniversalProjectReader().read(sys.argv[1])
MicrosoftScheduler().schedule(project, LocalDateTime.parse(sys.argv[2]))
print(json.dumps({str(t.getUniqueID()): [str(t.getName()), str(t.getStart()), str(t.getFinish())]
                  for t in project.getTasks() if t.getName() is not None}))
"""


def _mpxj_scheduled(sched, folder: Path) -> dict[str, tuple[date, date]]:  # type: ignore[no-untyped-def]
    """The export scheduled again, from nothing but its tasks, links, constraints and
    calendar, by MPXJ's implementation of MS Project's scheduling: name -> (start, finish)."""
    import json

    xml = folder / "plan.xml"
    xml.write_text(to_msproject(sched), encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", _SCHEDULE_WITH_MPXJ, str(xml),
                             f"{sched.start.isoformat()}T09:00"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = json.loads(result.stdout.strip().splitlines()[-1]).values()
    out = {name: (datetime.fromisoformat(start).date(), datetime.fromisoformat(end).date())
           for name, start, end in rows}
    assert len(out) == len(rows), "every task has a name of its own"
    return out


def _agrees_with_mpxj(sched, folder: Path) -> None:  # type: ignore[no-untyped-def]
    from coplan.privacy import redact

    dates = _mpxj_scheduled(sched, folder)
    wrong = []
    for timing in sched.stages.values():
        got = dates[redact(timing.stage.title, sched.plan)]
        if got != (timing.start, timing.end):
            wrong.append(f"{timing.stage.id}: coplan {timing.start}..{timing.end}, MPXJ {got}")
    for gate in sched.gates:
        if dates[gate.title] != (gate.day, gate.day):
            wrong.append(f"{gate.id}: coplan {gate.day}, MPXJ {dates[gate.title]}")
    assert not wrong, "\n".join(wrong[:20])
    assert max(end for _, end in dates.values()) == sched.finish


def test_mpxj_scheduler_reaches_coplans_finish(sched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """MINDS holds seven phases for their reflection (blocks = true) and the teaching
    workshop has stages fixed to dates: both must come out of MS Project's scheduling with
    coplan's dates and finish."""
    need("java")
    pytest.importorskip("mpxj")
    pytest.importorskip("jpype")
    if sched.plan.path and sched.plan.path.stem == "minds-discharge":
        assert len(sched.gates) == 7
    _agrees_with_mpxj(sched, tmp_path)


def test_mpxj_scheduler_agrees_on_generated_plans(tmp_path: Path) -> None:
    need("java")
    pytest.importorskip("mpxj")
    pytest.importorskip("jpype")
    from coplan.planfile import parse_plan
    from plangen import random_plan

    text = random_plan(21, 80, not_before_share=0.2).replace(
        "[project.reflection]", "[project.reflection]\nblocks = true")
    sched = schedule(parse_plan(text))
    assert sched.gates and any(t.stage.not_before for t in sched.stages.values())
    _agrees_with_mpxj(sched, tmp_path)


def test_lags_survive_in_ms_project_xml(tmp_path: Path) -> None:
    need("java")
    pytest.importorskip("mpxj")
    pytest.importorskip("jpype")
    from coplan.planfile import parse_plan

    plan = parse_plan("""
[project]
title = "Lags"
start = 2027-03-01
[[stage]]
id = "a"
title = "A"
duration = "1w"
[[stage]]
id = "b"
title = "B"
duration = "2d"
after = [{ stage = "a", lag = "3d" }]
""")
    xml = tmp_path / "lags.xml"
    xml.write_text(to_msproject(schedule(plan, slow_down=False)), encoding="utf-8")
    tasks = _mpxj_tasks(xml)
    assert tasks["B"]["preds"] == [["A", "FS", 3.0]]
    assert str(tasks["B"]["start"]).startswith(date(2027, 3, 11).isoformat())


def _render_mermaid(source: Path, target: Path) -> subprocess.CompletedProcess[str]:
    mmdc = MERMAID / "node_modules" / ".bin" / "mmdc"
    if not mmdc.exists():
        env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1",
               "PUPPETEER_SKIP_CHROMIUM_DOWNLOAD": "1"}
        installed = subprocess.run(["npm", "ci" if (MERMAID / "package-lock.json").exists()
                                    else "install", "--no-audit", "--no-fund"], cwd=MERMAID,
                                   capture_output=True, text=True, env=env, timeout=900)
        assert installed.returncode == 0, installed.stderr[-3000:]
    return subprocess.run([str(mmdc), "-i", str(source), "-o", str(target), "-p",
                           str(MERMAID / "puppeteer-config.json"), "-q"],
                          capture_output=True, text=True, timeout=300)


def test_mermaid_renders_with_mermaid_cli(sched, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    need("node")
    need("npm")
    need("chromium")
    source = tmp_path / "plan.mmd"
    source.write_text(to_mermaid(sched), encoding="utf-8")
    svg = tmp_path / "plan.svg"
    result = _render_mermaid(source, svg)
    assert result.returncode == 0, result.stdout + result.stderr
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "Syntax error" not in text
    # Every stage appears as a task in the rendered chart, named as the plan names it.
    from coplan.privacy import redact

    shown = _svg_texts(text)
    for timing in sched.stages.values():
        assert redact(timing.stage.title, sched.plan) in shown, timing.stage.title


def _svg_texts(svg: str) -> set[str]:
    """The words an SVG shows: each <text> element's characters, entities read."""
    import html
    import re

    return {" ".join(html.unescape(re.sub(r"<[^>]+>", "", t)).split())
            for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)}


def test_mermaid_shows_awkward_titles_as_written(tmp_path: Path) -> None:
    """':' ';' '#' end or comment a Mermaid line, and '&' '<' '>' are HTML; each must still
    show as written (issue 17: they were lost, '&amp;' shown, '<...>' dropped)."""
    need("node")
    need("npm")
    need("chromium")
    from coplan.planfile import parse_plan

    titles = ["Ratio 3:1; see #4", "Tea & biscuits", "The <draft> plan", "Zoë’s café £25",
              "A &amp; B", "50% done, 100 #38; more"]
    body = "".join(f"[[stage]]\nid = 's{i}'\ntitle = \"\"\"{t}\"\"\"\nduration = '2d'\n"
                   for i, t in enumerate(titles))
    plan = parse_plan("[project]\ntitle = 'Awkward: <titles> & #1'\nstart = 2027-03-01\n"
                      + body)
    source = tmp_path / "awkward.mmd"
    source.write_text(to_mermaid(schedule(plan, slow_down=False)), encoding="utf-8")
    svg = tmp_path / "awkward.svg"
    result = _render_mermaid(source, svg)
    assert result.returncode == 0, result.stdout + result.stderr
    shown = _svg_texts(svg.read_text(encoding="utf-8"))
    for title in [*titles, "Awkward: <titles> & #1"]:
        assert title in shown, (title, sorted(shown))


AS_OF = {
    "before the start": date(2027, 1, 5),
    "mid-way, aims under way": date(2027, 3, 10),
    "stages ran late, interviews 10% done": date(2027, 9, 10),
    "after the planned end": date(2028, 9, 1),
    "interviews late to start": date(2027, 10, 1),
}


def minds_as_of(today: date):  # type: ignore[no-untyped-def]
    """MINDS dated as of ``today``; on 1 Oct 2027 as if the interviews had not started yet
    (their record taken out), so that what is still to come must wait for today."""
    from coplan.planfile import load_plan, parse_plan

    path = next(p for p in EXAMPLES if p.stem == "minds-discharge")
    if today != date(2027, 10, 1):
        return schedule(load_plan(path), today=today)
    text = path.read_text(encoding="utf-8")
    for line in ('started = 2027-09-06', 'progress = "10%"', 'progress_on = 2027-09-08'):
        assert line in text
        text = text.replace(line, "")
    return schedule(parse_plan(text), today=today)


@pytest.mark.parametrize("today", list(AS_OF.values()), ids=list(AS_OF))
def test_mpxj_scheduler_keeps_what_happened(tmp_path: Path, today: date) -> None:
    """``export msproject --today`` carries the actual starts, finishes, durations and
    percent complete, so that MS Project's scheduling (MPXJ's) of the file keeps finished
    stages where they were and reaches ``coplan schedule --today``'s dates, stage by stage
    (trial 14: it finished MINDS on 11 Jul 2028 where coplan said 26 Jul 2028)."""
    need("java")
    pytest.importorskip("mpxj")
    pytest.importorskip("jpype")
    _agrees_with_mpxj(minds_as_of(today), tmp_path)


@pytest.mark.parametrize("seed", range(int(os.environ.get("SEEDS", "4"))))
def test_mpxj_scheduler_agrees_on_generated_records(tmp_path: Path, seed: int) -> None:
    """Generated plans with a made-up delivery record (``plangen.with_record``: stages
    started early or late, finished late or early, under way with their progress or
    without), seen from a day mid-way: MS Project's scheduling of the export gives
    ``coplan schedule --today``'s dates and finish."""
    need("java")
    pytest.importorskip("mpxj")
    pytest.importorskip("jpype")
    from coplan.planfile import parse_plan
    from plangen import random_plan, with_record

    text = random_plan(100 + seed, 40, not_before_share=0.2)
    if seed % 2:
        text = text.replace("[project.reflection]", "[project.reflection]\nblocks = true")
    text, today = with_record(text, seed)
    _agrees_with_mpxj(schedule(parse_plan(text), today=today), tmp_path)
