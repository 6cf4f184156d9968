"""The plan file's JSON Schema, made from the same declarations the loader reads.

Editors that understand JSON Schema for TOML (Even Better TOML / taplo in VS Code and
others) use it to complete keys and words as people type, show each key's meaning on
hover, and mark mistakes before coplan ever runs; ``check-jsonschema`` can run it in CI.
``coplan schema`` prints it.  TOML dates and times are compared as text (as both tools
do), so dates carry ``"format": "date"``.

The schema is a helper for editing, not the judge: ``coplan validate`` knows more than a
schema can say (ids that must exist, loops between stages) and explains it in plainer
words.  It uses only keywords that draft-04 readers (taplo) also understand.
"""

from __future__ import annotations

from typing import Any

from coplan import __version__
from coplan.schema import json_object


def plan_json_schema() -> dict[str, Any]:
    """The JSON Schema of a plan file (a plain dict, ready for ``json.dumps``)."""
    from coplan.model import Plan

    root = json_object(Plan)
    root["required"] = ["project"]
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": "coplan plan",
        "description": "A plan for a project co-produced with people with lived experience "
                       f"(coplan {__version__}). See docs/plan-format.md.",
        **root,
    }
