"""The plans a team can start from: coplan's templates and examples, and the templates
plugins add (through the ``coplan_plan_templates`` hook).

Where the bundled files live is ``bundled.py``'s job; this module sits above the plugins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from coplan.bundled import data_dir

__all__ = ["PlanTemplate", "data_dir", "examples", "find_template", "offered_templates",
           "plan_templates"]


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
    return sorted((t for _, t in offered_templates()), key=lambda t: t.name)


def offered_templates() -> list[tuple[str, PlanTemplate]]:
    """Each template offered, with the plugin that offers it (``builtin`` for coplan's own).

    A plugin's template that is not there, is not a ``.toml`` file, takes a name already
    taken, or is not a plan coplan can read is left out, with a warning naming the plugin
    (``coplan new`` would otherwise say there is no such template, or start a team from a
    plan that does not work)."""
    from coplan.plugins import collect, flatten, plugins

    found: dict[str, tuple[str, PlanTemplate]] = {}
    for plugin, path in flatten(collect("coplan_plan_templates")):
        path = Path(path)
        if path.suffix != ".toml" or not path.is_file():
            plugins().warn(f"plugin '{plugin}' offers the template {path}, which is "
                           f"{'not a .toml file' if path.is_file() else 'not there'}, so it "
                           "is left out")
            continue
        if path.stem in found:
            plugins().warn(f"plugin '{plugin}' offers a template called '{path.stem}', which "
                           f"'{found[path.stem][0]}' already offers, so it is left out")
            continue
        problem = None if plugin == "builtin" else _unreadable(path)
        if problem is not None:
            plugins().warn(f"plugin '{plugin}' offers the template '{path.stem}', which is not "
                           f"a plan coplan can read ({problem}), so it is left out")
            continue
        found[path.stem] = (plugin, _describe(path))
    return list(found.values())


_READ: dict[tuple[Path, float], str | None] = {}


def _unreadable(path: Path) -> str | None:
    """What is wrong with the plan template at ``path`` (its first problem), or None."""
    from coplan.errors import PlanError
    from coplan.planfile import load_plan

    try:
        key = (path, path.stat().st_mtime)
    except OSError as exc:
        return str(exc)
    if key not in _READ:
        try:
            load_plan(path, with_lines=True)
            _READ[key] = None
        except PlanError as exc:
            first = exc.problems[0] if exc.problems else None
            _READ[key] = (f"line {first.line}: {first.message}" if first and first.line
                          else first.message if first else "it cannot be read")
        except (OSError, ValueError) as exc:
            _READ[key] = str(exc)
    return _READ[key]


def examples() -> list[PlanTemplate]:
    """Bundled example plans, by name."""
    return [_describe(p) for p in sorted(data_dir("examples").glob("*.toml"))]


def find_template(name: str) -> PlanTemplate | None:
    for template in plan_templates() + examples():
        if template.name == name:
            return template
    return None
