"""The stages as a dependency graph: their order, loops, and what waits for what.

This is the one place that answers graph questions about a plan: the loader asks it for
loops (to name them), the editor and the app before making a link (to refuse one that
would close a loop), and the scheduler for the order to date stages in.  A graph here is
a plain mapping from each node to the nodes it waits for (``Preds``), so the same
functions serve the validated plan, a plan being edited, and the scheduler's graph with
reflection checkpoints added.

Plain Python does the everyday work (Kahn's algorithm is linear, and importing networkx
costs more than scheduling a thousand stages); networkx is imported only to name a loop
once one is known to exist, where its well-tested cycle finding earns its import.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from coplan.model import Plan

Preds = Mapping[str, Sequence[str]]


def waits_for(plan: Plan) -> dict[str, list[str]]:
    """Each stage with the stages in the plan it waits for (itself left out: a stage that
    waits for itself is reported as such, not as a loop)."""
    known = {s.id for s in plan.stages}
    return {s.id: [d.stage for d in s.after if d.stage in known and d.stage != s.id]
            for s in plan.stages}


def topological(nodes: Sequence[Hashable], preds: Mapping[Any, Iterable[Any]],
                key: Callable[[Any], Any] | None = None) -> list[Any] | None:
    """``nodes`` in an order where each comes after everything it waits for, ties broken
    by ``key`` (by default, their order in ``nodes``); None if they wait in a loop.

    Kahn's algorithm over plain lists of positions: this is the scheduler's hot path.
    """
    position = {n: i for i, n in enumerate(nodes)}
    if key is None and len(position) == len(nodes) and _in_order(nodes, preds, position):
        # Every node waits only for nodes before it (as a plan's stages are mostly
        # written): each is the first ready in turn, so the order is theirs.
        return list(nodes)
    import heapq  # (only here: nodes already in order, as plans mostly are, need no heap)

    waiting = [0] * len(nodes)
    after: list[list[int]] = [[] for _ in nodes]
    for i, node in enumerate(nodes):
        for before in dict.fromkeys(preds.get(node, ())):
            j = position.get(before)
            if j is not None:
                waiting[i] += 1
                after[j].append(i)
    ranks: list[Any] = list(range(len(nodes))) if key is None else [key(n) for n in nodes]
    ready = [(ranks[i], i) for i, n in enumerate(waiting) if n == 0]
    heapq.heapify(ready)
    order: list[Any] = []
    while ready:
        _, i = heapq.heappop(ready)
        order.append(nodes[i])
        for k in after[i]:
            waiting[k] -= 1
            if waiting[k] == 0:
                heapq.heappush(ready, (ranks[k], k))
    return order if len(order) == len(nodes) else None


def _in_order(nodes: Sequence[Hashable], preds: Mapping[Any, Iterable[Any]],
              position: dict[Any, int]) -> bool:
    """Whether every node of ``nodes`` waits only for nodes before it (or not among
    them), as ``position`` places them."""
    for i, node in enumerate(nodes):
        for before in preds.get(node, ()):
            j = position.get(before)
            if j is not None and j >= i:
                return False
    return True


_ORDERS: dict[int, tuple[Plan, tuple[Any, ...], dict[str, list[str]], list[str] | None]] = {}
# The last answer worked out, with the stages it was worked out from: the next plan read
# in an editing session is mostly the same stages (the same objects where unchanged).
_LAST: list[tuple[tuple[Any, ...], dict[str, list[str]], list[str] | None]] = []


def _same_links(before: tuple[Any, ...], now: tuple[Any, ...]) -> bool:
    """Whether two plans' stages have the same ids, in the same order, waiting for the
    same stages (what ``waits_for`` and so ``plan_order`` answer from)."""
    return len(before) == len(now) and all(
        b is n or (b.id == n.id and b.after == n.after)
        for b, n in zip(before, now, strict=True))


def plan_order(plan: Plan) -> tuple[dict[str, list[str]], list[str] | None]:
    """``waits_for(plan)`` and the stages in dependency order (None if they wait in a
    loop), worked out once per plan: the loader asks to find loops, then the scheduler to
    date the stages.  The plan and its stages are kept with the answer, so neither can be
    another's under a reused id; callers must not change the lists they are given.  A plan
    whose stages wait for one another as the last one's did (an edit of anything but
    stages' ids, order and links) is given the last answer."""
    made = _ORDERS.get(id(plan))
    if made is not None and made[0] is plan and made[1] is plan.stages:
        return made[2], made[3]
    if len(_ORDERS) >= 2:  # the loader and the scheduler ask about the same plan in turn
        _ORDERS.clear()
    if _LAST and _same_links(_LAST[0][0], plan.stages):
        _, preds, order = _LAST[0]
    elif _LAST and (added := _one_added(*_LAST[0], plan.stages)) is not None:
        preds, order = added
    elif _LAST and (linked := _links_added(*_LAST[0], plan.stages)) is not None:
        preds, order = linked
    else:
        preds = waits_for(plan)
        order = topological(list(preds), preds)
    _ORDERS[id(plan)] = (plan, plan.stages, preds, order)
    _LAST[:] = [(plan.stages, preds, order)]
    return preds, order


def _one_added(before: tuple[Any, ...], preds: dict[str, list[str]], order: list[str] | None,
               now: tuple[Any, ...]) -> tuple[dict[str, list[str]], list[str]] | None:
    """``waits_for`` and the order of the stages ``now`` when they are the stages
    ``before`` (whose answer was ``preds`` and ``order``) with one stage more that nothing
    waits for (a stage added in the editor), else None.

    ``topological`` takes, of the stages ready, the first in the file.  The new stage is
    ready once the last stage it waits for is dated; from then on it is taken as soon as
    it comes before, in the file, the stage that would have been taken: so it goes just
    before the first stage after that point that is below it in the file (or last).
    Nothing else moves, as nothing waits for it."""
    if order is None or len(now) != len(before) + 1 or len(preds) != len(before):
        return None
    at = next((i for i, (b, n) in enumerate(zip(before, now, strict=False))
               if b is not n and (b.id != n.id or b.after != n.after)), len(before))
    new = now[at]
    if new.id in preds or not _same_links(before[at:], now[at + 1:]) or any(
            d.stage == new.id for s in before for d in s.after):
        return None
    waits = [d.stage for d in new.after if d.stage in preds]
    items = list(preds.items())
    items.insert(at, (new.id, waits))
    pending = set(waits)
    place = len(order)
    if pending or at < len(before):
        where = {sid: i for i, sid in enumerate(preds)}
        for j, sid in enumerate(order):
            if pending:
                pending.discard(sid)
            elif where[sid] >= at:
                place = j
                break
    return dict(items), [*order[:place], new.id, *order[place:]]


def _links_added(before: tuple[Any, ...], preds: dict[str, list[str]],
                 order: list[str] | None, now: tuple[Any, ...]
                 ) -> tuple[dict[str, list[str]], list[str]] | None:
    """``waits_for`` and the order of the stages ``now`` when they are the stages
    ``before`` (whose answer was ``preds`` and ``order``: no loop) with the same ids in
    the same places, and links only added (or their lags changed), each to a stage the
    order already dates before the stage that now waits for it; else None.

    ``topological`` gives the first, in the file's order, of the orders the stages may be
    dated in (of the stages ready, the first in the file).  Links added only take orders
    away; the one given before is still among them, so it is still the first."""
    if order is None or len(now) != len(before) or len(preds) != len(now):
        return None
    changed = []
    for b, n in zip(before, now, strict=True):
        if b is not n:
            if b.id != n.id:
                return None
            if b.after != n.after:
                changed.append(n)
    if not changed:
        return None
    place = {sid: i for i, sid in enumerate(order)}
    preds = dict(preds)
    for stage in changed:
        waits = [d.stage for d in stage.after if d.stage in preds and d.stage != stage.id]
        was = set(preds[stage.id])
        if not was.issubset(waits) or any(place[sid] > place[stage.id] for sid in waits
                                          if sid not in was):
            return None  # a link taken away, or one the order does not keep
        preds[stage.id] = waits
    return preds, order


def dependency_order(plan: Plan) -> list[str] | None:
    """Stages in dependency order (ties kept in file order), or None if there is a loop."""
    return topological([s.id for s in plan.stages], waits_for(plan))


def find_loops(preds: Preds, *, known_loop: bool = False) -> Iterator[list[str]]:
    """Every loop of nodes waiting for each other, each named once as ``[a, b, c, a]``
    (in the order they would finish).  Nothing is imported when there is no loop
    (``known_loop``: the caller has found that there is one)."""
    if not known_loop and topological(list(preds), preds) is not None:
        return
    graph = _networkx(preds)
    order = {node: i for i, node in enumerate(preds)}
    reported: set[frozenset[str]] = set()
    while True:
        loop = _one_loop(graph, order)
        if not loop:
            return
        if frozenset(loop) not in reported:
            reported.add(frozenset(loop))
            yield loop
        graph.remove_edge(loop[-2], loop[-1])


def _networkx(preds: Preds) -> nx.DiGraph:
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(preds)
    graph.add_edges_from((before, node) for node, befores in preds.items()
                         for before in befores if before in preds)
    return graph


def _one_loop(graph: nx.DiGraph, order: Mapping[str, int]) -> list[str] | None:
    """One loop, searched only inside a strongly connected component (fast on large
    graphs, where ``nx.find_cycle`` over the whole graph is not).  The component and the
    node it starts from are the first in the plan's order, so the same plan always names
    the same loop."""
    import networkx as nx

    if nx.is_directed_acyclic_graph(graph):
        return None
    for component in sorted(nx.strongly_connected_components(graph),
                            key=lambda c: min(order.get(n, 0) for n in c)):
        node = min(component, key=lambda n: order.get(n, 0))
        if len(component) == 1 and not graph.has_edge(node, node):
            continue
        edges = nx.find_cycle(graph.subgraph(component), source=node)
        return [edges[0][0]] + [v for _, v in edges]
    return None  # pragma: no cover - a cyclic graph always has such a component


def would_loop(preds: Preds, stage: str, on: str) -> list[str] | None:
    """If ``stage`` were made to wait for ``on``, the loop that would close (``[stage, …,
    on, stage]``, in the order they would finish), else None.

    A loop closes exactly when ``on`` already waits, directly or not, for ``stage``.
    """
    if stage == on:
        return [stage, stage]
    came_from: dict[str, str] = {}
    queue = deque([on])
    seen = {on}
    while queue:
        current = queue.popleft()
        if current == stage:
            chain = [stage]
            while chain[-1] != on:
                chain.append(came_from[chain[-1]])
            return [*chain, stage]
        for before in preds.get(current, ()):
            if before not in seen:
                seen.add(before)
                came_from[before] = current
                queue.append(before)
    return None


def followers(preds: Preds) -> dict[str, list[str]]:
    """Each node with the nodes that wait for it directly (the graph turned around)."""
    out: dict[str, list[str]] = {n: [] for n in preds}
    for node, befores in preds.items():
        for before in befores:
            out.setdefault(before, []).append(node)
    return out


def describe_loop(loop: list[str]) -> str:
    return " → ".join(loop)
