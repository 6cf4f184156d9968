"""The plan's stages as a dependency graph (networkx): order, loops and neighbours.

A link ``a -> b`` means stage ``b`` waits for ``a`` to finish (finish-to-start), with an
optional lag in working days kept on the edge as ``lag``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coplan.model import Plan

if TYPE_CHECKING:
    import networkx as nx


def build_graph(plan: Plan) -> nx.DiGraph:
    """A directed graph with a node per stage and an edge per dependency."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(s.id for s in plan.stages)
    for stage in plan.stages:
        for dep in stage.after:
            if dep.stage in graph and dep.stage != stage.id:
                graph.add_edge(dep.stage, stage.id, lag=dep.lag_days)
    return graph


def find_cycle(graph: nx.DiGraph) -> list[str] | None:
    """One loop of stages, as ``[a, b, c, a]``, or None when there is none.

    Checking for a loop is linear (a topological sort); only a graph that has one is
    searched, and then only inside a strongly connected component, which keeps large
    plans fast (``nx.find_cycle`` on a whole large graph is not).
    """
    import networkx as nx

    if nx.is_directed_acyclic_graph(graph):
        return None
    for component in nx.strongly_connected_components(graph):
        node = next(iter(component))
        if len(component) == 1 and not graph.has_edge(node, node):
            continue
        edges = nx.find_cycle(graph.subgraph(component), source=node)
        return [edges[0][0]] + [v for _, v in edges]
    return None  # pragma: no cover - a cyclic graph always has such a component


def would_cycle(graph: nx.DiGraph, before: str, after: str) -> list[str] | None:
    """If ``after`` were made to wait for ``before``, the loop it would close, else None.

    The loop exists exactly when ``before`` is already reachable from ``after``.
    """
    import networkx as nx

    if before == after:
        return [before, before]
    if before not in graph or after not in graph:
        return None
    try:
        path = nx.shortest_path(graph, after, before)
    except nx.NetworkXNoPath:
        return None
    return [*path, after]


def dependency_order(plan: Plan) -> list[str] | None:
    """Stages in dependency order (ties kept in file order), or None if there is a loop.

    This is Kahn's algorithm over plain lists: it is the scheduler's hot path, and it
    lets a plan with no loop be scheduled without importing networkx at all (its import
    alone costs more than scheduling a thousand stages).  Loops are named by
    ``find_cycle``, on the networkx graph, only when there is one.
    """
    import heapq

    position = {s.id: i for i, s in enumerate(plan.stages)}
    waiting = [0] * len(plan.stages)
    followers: list[list[int]] = [[] for _ in plan.stages]
    for i, stage in enumerate(plan.stages):
        seen: set[int] = set()
        for dep in stage.after:
            j = position.get(dep.stage)
            if j is None or j in seen:
                continue
            seen.add(j)
            waiting[i] += 1
            followers[j].append(i)
    ready = [i for i, n in enumerate(waiting) if n == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        i = heapq.heappop(ready)
        order.append(plan.stages[i].id)
        for k in followers[i]:
            waiting[k] -= 1
            if waiting[k] == 0:
                heapq.heappush(ready, k)
    return order if len(order) == len(plan.stages) else None


def describe_loop(loop: list[str]) -> str:
    return " → ".join(loop)
