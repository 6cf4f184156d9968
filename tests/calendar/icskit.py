"""Helpers for the calendar tests: run ``coplan export ics`` and read the result as text.

The reader here is deliberately small and separate from coplan and from the icalendar
package coplan writes with: it unfolds content lines (RFC 5545, section 3.1) and splits
them into components and properties, so the tests look at the bytes a calendar program gets.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from coplan.cli import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
STAMP = "2027-01-04T09:00:00Z"


@dataclass
class Export:
    code: int
    data: bytes
    stderr: str

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")

    @property
    def calendar(self) -> Component:
        return parse(self.data)


def write_plan(folder: Path, text: str, name: str = "plan.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def export(plan: Path, *args: str, out: Path | None = None, stamp: str | None = STAMP,
           env: dict[str, str | None] | None = None) -> Export:
    """Run ``coplan export ics`` in this process (fast) and return what it wrote."""
    out = out or plan.with_name(plan.stem + ".ics")
    if out.exists():
        out.unlink()
    argv = ["export", "ics", str(plan), "-o", str(out), *args]
    if stamp is not None:
        argv += ["--stamp", stamp]
    result = CliRunner().invoke(cli, argv, env=env, catch_exceptions=False)
    data = out.read_bytes() if out.exists() else b""
    return Export(result.exit_code, data, result.stderr)


def export_process(plan: Path, *args: str, out: Path, env: dict[str, str] | None = None
                   ) -> subprocess.CompletedProcess[str]:
    """Run ``python -m coplan export ics`` as its own process, as a user would."""
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "coplan", "export", "ics", str(plan), "-o",
                           str(out), *args], capture_output=True, text=True, timeout=120,
                          env=environment)


# -- a small reader -----------------------------------------------------------------------

@dataclass
class Prop:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class Component:
    name: str
    props: list[Prop] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def all(self, name: str) -> list[Prop]:
        return [p for p in self.props if p.name == name.upper()]

    def one(self, name: str) -> Prop:
        found = self.all(name)
        assert len(found) == 1, f"{self.name} has {len(found)} {name}: {found}"
        return found[0]

    def get(self, name: str) -> str | None:
        found = self.all(name)
        return found[0].value if found else None

    def sub(self, name: str) -> list[Component]:
        return [c for c in self.children if c.name == name.upper()]

    @property
    def events(self) -> list[Component]:
        return self.sub("VEVENT")

    def text(self, name: str) -> str:
        """A TEXT property's value with its escapes undone."""
        value = self.get(name) or ""
        return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1),
                      value)


def unfold(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "lines must end with CRLF"
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def _split_params(head: str) -> tuple[str, dict[str, str]]:
    parts = re.findall(r'(?:[^;"]|"[^"]*")+', head)
    params = {}
    for part in parts[1:]:
        key, _, value = part.partition("=")
        params[key.upper()] = value.strip('"')
    return parts[0].upper(), params


def parse(data: bytes) -> Component:
    stack: list[Component] = []
    root: Component | None = None
    for line in unfold(data):
        if not line:
            continue
        found = re.match(r'((?:[^:"]|"[^"]*")*):(.*)', line)
        assert found, f"not a content line: {line!r}"
        head, value = found.groups()
        name, params = _split_params(head)
        if name == "BEGIN":
            component = Component(value.upper())
            if stack:
                stack[-1].children.append(component)
            else:
                root = component
            stack.append(component)
        elif name == "END":
            assert stack and stack[-1].name == value.upper(), f"unbalanced END:{value}"
            stack.pop()
        else:
            stack[-1].props.append(Prop(name, params, value))
    assert root is not None and not stack
    return root


def by_summary(calendar: Component) -> dict[str, Component]:
    events = {e.text("SUMMARY"): e for e in calendar.events}
    assert len(events) == len(calendar.events), "two events share a summary"
    return events


def categories(event: Component) -> set[str]:
    return {c for p in event.all("CATEGORIES") for c in p.value.split(",")}
