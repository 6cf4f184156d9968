"""Shared helpers for the protocol tests: plans to export, and cached exports."""

from __future__ import annotations

import io
import re
from datetime import date
from functools import cache
from pathlib import Path

from coplan.export.protocol import Exported, export_protocol
from coplan.model import Plan
from coplan.planfile import load_plan
from coplan.schedule import schedule

ROOT = Path(__file__).resolve().parents[2]
MINDS = ROOT / "examples" / "minds-discharge.toml"
PLANS = sorted((ROOT / "examples").glob("*.toml")) + sorted(
    (ROOT / "templates" / "plans").glob("*.toml"))
PRODUCED = date(2027, 1, 4)

MINIMAL = """\
[project]
title = "Better discharge from hospital"
start = 2027-01-11

[[person]]
id = "sam"
name = "Sam Okafor"
kind = "lived-experience"
email = "sam.okafor@example.org"
needs = ["other: uses a wheelchair because of multiple sclerosis"]

[[person]]
id = "jo"
name = "Jo"
kind = "carer"

[[stage]]
id = "aims"
title = "Agreeing our aims together"
duration = "3w"

  [[stage.touchpoint]]
  format = "workshop"
  ladder = "co-production"
  role = "decision-maker"
  who = ["sam", "jo"]
"""

HOSTILE = """\
[project]
title = "<script>alert(1)</script> & <b>bold</b> | pipes *stars* [link](http://x)"
start = 2027-01-11
summary = "# Not a heading <img src=x onerror=alert(2)> **not bold**"
aim = "<script>alert(3)</script>"

[[person]]
id = "sam"
name = "Sam <i>Okafor</i>"
kind = "lived-experience"
share_name = true

[[person]]
id = "jo"
name = "Jo"
kind = "carer"

[[stage]]
id = "aims"
title = "Aims </text><script>alert(4)</script>"
duration = "3w"
can_change = "1. a list? - no"

  [[stage.touchpoint]]
  title = "Workshop <u>one</u>"
  format = "workshop"
  ladder = "co-production"
  role = "decision-maker"
  who = ["sam", "jo"]
  feedback = "<a href='javascript:alert(5)'>click</a>"

[protocol]
purpose = "<script>alert(1)</script>"
"""


def write_plan(tmp: Path, text: str, name: str = "plan.toml") -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


@cache
def _plan(path: str) -> Plan:
    return load_plan(Path(path))


@cache
def exported(path: str, fmt: str, plain: bool = False) -> Exported:
    plan = _plan(path)
    return export_protocol(plan, schedule(plan), fmt, plain=plain, produced=PRODUCED)


def export_file(path: Path, fmt: str, plain: bool = False) -> Exported:
    plan = load_plan(path)
    return export_protocol(plan, schedule(plan), fmt, plain=plain, produced=PRODUCED)


def docx_text(data: bytes) -> str:
    import docx

    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def hidden_people(plan: Plan) -> list[str]:
    """Names (and name-like ids) of people who did not agree to be named."""
    found = []
    for person in plan.people:
        if person.share_name:
            continue
        for name in (person.name, person.id.capitalize()):
            if name and len(name.strip(".")) > 2:
                found.append(name)
    return found


def word(text: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(text) + r"(?![\w])")
