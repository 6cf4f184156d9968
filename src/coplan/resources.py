"""Where coplan's bundled files live: plan templates, protocol templates and examples.

In a source checkout they are the top-level ``templates/`` and ``examples/`` folders; in an
installed wheel they are packaged under ``coplan/_data/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder of bundled ``templates`` or ``examples``."""
    for candidate in (_HERE / "_data" / name, _HERE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"coplan's {name} folder is missing from this installation")


@dataclass(frozen=True, slots=True)
class PlanTemplate:
    """A plan to start from, with the one-line description from its first comment."""

    name: str
    path: Path
    title: str
    description: str


_TITLE = re.compile(r'^\s*title\s*=\s*"(.*)"', re.MULTILINE)


def _describe(path: Path) -> PlanTemplate:
    text = path.read_text(encoding="utf-8")
    comments = []
    for line in text.splitlines():
        if line.startswith("#"):
            comments.append(line.lstrip("#").strip())
        elif line.strip():
            break
    match = _TITLE.search(text)
    title = match.group(1) if match else path.stem
    return PlanTemplate(path.stem, path, title, " ".join(c for c in comments if c))


def plan_templates() -> list[PlanTemplate]:
    """Plan templates by name: coplan's own and those plugins provide (through the same
    ``coplan_plan_templates`` hook)."""
    from coplan.plugins import collect, flatten

    found: dict[str, PlanTemplate] = {}
    for _, path in flatten(collect("coplan_plan_templates")):
        path = Path(path)
        if path.suffix == ".toml" and path.is_file() and path.stem not in found:
            found[path.stem] = _describe(path)
    return sorted(found.values(), key=lambda t: t.name)


def examples() -> list[PlanTemplate]:
    """Bundled example plans, by name."""
    return [_describe(p) for p in sorted(data_dir("examples").glob("*.toml"))]


def find_template(name: str) -> PlanTemplate | None:
    for template in plan_templates() + examples():
        if template.name == name:
            return template
    return None
