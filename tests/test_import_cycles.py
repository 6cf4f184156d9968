"""No import cycles among coplan's modules, counting imports made inside functions.

A cycle through a function-level import does not fail at import time, so it hides: but it
still ties the layers together (the domain then cannot be read, tested or changed without
the layers above it).  This test reads every module's source, finds every ``import`` and
``from ... import`` anywhere in it (module level, inside functions, under
``TYPE_CHECKING``), and looks for strongly connected groups of modules.

``ALLOWED`` names the cycles known to remain, each as the sorted tuple of its modules, so
the lead can empty it as they are broken; a cycle not listed fails, and so does a listed
one that no longer exists (so the list cannot go stale).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "coplan"

# Cycles outside the exporter work, left for the helpers who own them (issue 12 item 4).
ALLOWED: set[tuple[str, ...]] = set()  # none are left


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """Every module name ``name`` imports, relative imports resolved.

    ``from a import b`` imports the module ``a.b`` when there is one, else the name ``b``
    from the module ``a``."""
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base if is_package else base[:-1]
                base = base[:len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                yield sub if sub in known else module


def graph() -> dict[str, set[str]]:
    """Module -> the coplan modules it imports."""
    known = modules()
    edges: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        for target in _imported(name, path, known):
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                edges[name].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(tuple(sorted(component)))
    return sorted(found)


def test_the_finder_sees_a_cycle_through_a_function_level_import() -> None:
    """The finder itself: a cycle made only by an import inside a function is found."""
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [("a", "b", "c")]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_imports_inside_functions_are_counted() -> None:
    edges = graph()
    # review.runner imports coplan.schedule only inside review(): it must still count.
    assert "coplan.schedule" in edges["coplan.review.runner"]


def test_no_import_cycles_among_coplan_modules() -> None:
    found = set(cycles(graph()))
    unexpected = sorted(found - ALLOWED)
    assert not unexpected, "import cycles (counting imports inside functions):\n" + "\n".join(
        " -> ".join(c) for c in unexpected)
    gone = sorted(ALLOWED - found)
    assert not gone, "cycles in ALLOWED that no longer exist (take them out):\n" + "\n".join(
        " -> ".join(c) for c in gone)


ABOVE_THE_DOMAIN = ("coplan.plugins", "coplan.builtin", "coplan.hooks", "coplan.cli",
                    "coplan.cli_common", "coplan.cli_export", "coplan.exporting",
                    "coplan.resources", "coplan.session", "coplan.sync", "coplan.tui")


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for target in edges[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_exporters_and_the_review_never_reach_up_to_plugins_or_faces() -> None:
    """The export contract and the rules sit below the plugins: they are handed the
    registries they use, and never import (even inside a function) the plugin manager, the
    command line, the app or the editing session."""
    edges = graph()
    for module in edges:
        if module.startswith(("coplan.export", "coplan.review")):
            above = sorted(m for m in _reachable(edges, module)
                           if m.startswith(ABOVE_THE_DOMAIN))
            assert not above, f"{module} reaches {above}"
