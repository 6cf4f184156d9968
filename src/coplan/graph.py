"""The plan's stages as a dependency graph (networkx): order, loops and neighbours.

A link ``a -> b`` means stage ``b`` waits for ``a`` to finish (finish-to-start), with an
optional lag in working days kept on the edge as ``lag``.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from coplan.model import Plan


def build_graph(plan: Plan) -> nx.DiGraph:
    """A directed graph with a node per stage and an edge per dependency."""
    graph = nx.DiGraph()
    graph.add_nodes_from(s.id for s in plan.stages)
    for stage in plan.stages:
        for dep in stage.after:
            if dep.stage in graph and dep.stage != stage.id:
                graph.add_edge(dep.stage, stage.id, lag=dep.lag_days)
    return graph


def edges_of(pairs: Iterable[tuple[str, str]], nodes: Iterable[str]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(pairs)
    return graph


def find_cycle(graph: nx.DiGraph) -> list[str] | None:
    """One loop of stages, as ``[a, b, c, a]``, or None when there is none."""
    try:
        edges = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return None
    loop = [edges[0][0]] + [v for _, v in edges]
    return loop


def all_self_loops(plan: Plan) -> list[str]:
    """Stages that wait for themselves."""
    return [s.id for s in plan.stages if any(d.stage == s.id for d in s.after)]


def would_cycle(graph: nx.DiGraph, before: str, after: str) -> list[str] | None:
    """If ``after`` were made to wait for ``before``, the loop it would close, else None.

    The loop exists exactly when ``before`` is already reachable from ``after``.
    """
    if before == after:
        return [before, before]
    if before not in graph or after not in graph:
        return None
    try:
        path = nx.shortest_path(graph, after, before)
    except nx.NetworkXNoPath:
        return None
    return [*path, after]


def topological_order(graph: nx.DiGraph, order_hint: list[str]) -> list[str]:
    """Stages in dependency order, breaking ties by their order in the file."""
    position = {sid: i for i, sid in enumerate(order_hint)}
    return list(nx.lexicographical_topological_sort(graph, key=lambda n: position.get(n, 0)))


def describe_loop(loop: list[str]) -> str:
    return " → ".join(loop)
