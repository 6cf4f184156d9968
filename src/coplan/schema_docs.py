"""The key tables of docs/plan-format.md, written from the schema's declarations.

Each table of keys in the reference sits between two markers, such as
``<!-- keys: stage.touchpoint -->`` and ``<!-- /keys -->``; everything else on the page
(the explanations and examples) is written by people.  ``scripts/gen_plan_format.py``
rewrites the tables, and a test fails when the page and the schema disagree, so the
reference can never drift from what the loader accepts.
"""

from __future__ import annotations

import re
from typing import Any

from coplan.schema import ID_RULE, Key, Sub, Work, meaning, places, schema_of

MARKER = re.compile(r"(<!-- keys: ([\w.]+) -->\n)(.*?)(<!-- /keys -->)", re.DOTALL)
RULE = re.compile(r"(<!-- rule: ([\w.]+) -->\n)(.*?)(<!-- /rule -->)", re.DOTALL)
HEAD = "| Key | Type | Default | Meaning |\n| --- | --- | --- | --- |\n"


def _default(spec: Key | Sub, default: Any) -> str:
    if spec.default_doc:
        return spec.default_doc
    if spec.required:
        return "**required**"
    if isinstance(spec, Key) and isinstance(spec.kind, Work) and spec.kind.default_text:
        return f'`"{spec.kind.default_text}"`'
    if default is None:
        return "none"
    if isinstance(default, bool):
        return f"`{'true' if default else 'false'}`"
    if isinstance(default, str):
        return f'`"{default}"`'
    if isinstance(default, (tuple, list)) and not default:
        return "`[]`"
    return f"`{default}`"


def _type(spec: Key | Sub) -> str:
    if isinstance(spec, Key):
        return spec.kind.doc
    if not spec.array:
        return "table"
    return f"list of {schema_of(spec.model).shape.plural or 'tables'}"


def key_table(model: type) -> str:
    """The Markdown table of one model's keys, as the reference shows it."""
    rows = [HEAD]
    for member in schema_of(model).members:
        spec = member.spec
        said = meaning(spec).replace("|", "\\|")
        rows.append(f"| `{member.toml}` | {_type(spec)} | {_default(spec, member.default)} | "
                    f"{said} |\n")
    return "".join(rows)


def tables_by_name() -> dict[str, str]:
    """Every key table by its marker name: the table's path in the file ("stage.touchpoint",
    "project.closures"), plus "stage.after" for a stage's links."""
    from coplan.model import Dependency, Plan

    out = {".".join(place.path): key_table(place.model) for place in places(Plan)
           if place.path}
    out["stage.after"] = key_table(Dependency)
    return out


def rewrite(page: str) -> str:
    """``page`` with every marked key table written afresh (unknown names are errors)."""
    tables = tables_by_name()

    def fill(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in tables:
            raise KeyError(f"docs/plan-format.md marks a key table '{name}' that the schema "
                           "does not have")
        return match.group(1) + tables[name] + match.group(4)

    rules = rules_by_name()

    def fill_rule(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in rules:
            raise KeyError(f"docs/plan-format.md marks a rule '{name}' that the schema does "
                           "not have")
        return match.group(1) + rules[name] + match.group(4)

    return RULE.sub(fill_rule, MARKER.sub(fill, page))


def rules_by_name() -> dict[str, str]:
    """The rules the reference states in the schema's own words, by marker name: what an
    id may hold (``schema.ID_RULE``, which the loader and the app's forms enforce)."""
    return {"id": f"- *id*: {ID_RULE}.\n"}


def marked(page: str) -> set[str]:
    return {m.group(2) for m in MARKER.finditer(page)}
