"""The plans a team can start from: coplan's templates and examples, and the templates
plugins add (through the ``coplan_plan_templates`` hook).

Where the bundled files live is ``bundled.py``'s job; this module sits above the plugins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from coplan.bundled import data_dir

__all__ = ["PlanTemplate", "data_dir", "examples", "find_template", "plan_templates"]


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
