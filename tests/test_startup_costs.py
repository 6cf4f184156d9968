"""What a command pays for at start-up, kept from creeping back (issue 19, small plans)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "coplan"


def _decorator_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""


def test_every_dataclass_has_a_docstring_of_its_own() -> None:
    # Without one, ``dataclasses`` writes one from ``inspect.signature`` as the class is
    # made, in every process: 0.05 to 0.2 ms a class, a millisecond or two of each command.
    missing = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    _decorator_name(d) == "dataclass" for d in node.decorator_list) \
                    and ast.get_docstring(node) is None:
                missing.append(f"{path.relative_to(SRC)}: {node.name}")
    assert not missing, "dataclasses without a docstring:\n" + "\n".join(missing)
