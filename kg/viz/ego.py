"""Neighbourhood views: what a page shows around a few chosen nodes, capped so the browser stays usable."""
from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from kg.errors import KgError


def ego_subgraph(graph: nx.MultiDiGraph, centers: Iterable[str], radius: int = 1,
                 max_nodes: int = 300) -> nx.MultiDiGraph:
    """Nodes within `radius` hops of the centers (edges in either direction), centers always kept.

    When the ring at some distance does not fit in `max_nodes`, its nodes are ranked by relevance
    within each label: strongest edge to an already kept node (confidence; AUTHORED counts as 1.0),
    then degree in the whole graph, then id for determinism; labels then take turns, so a trimmed
    paper view still shows authors *and* methods/datasets. Only neighbours of kept nodes are
    candidates for the next ring, so a trimmed view never contains islands.
    """
    centers = list(dict.fromkeys(centers))
    missing = [c for c in centers if c not in graph]
    if missing:
        raise KgError(f"not in the graph: {', '.join(missing)} (ids look like 'paper:p-…' or 'method:bert')")
    if radius < 0 or max_nodes < 1:
        raise KgError("radius must be >= 0 and max_nodes >= 1")
    kept = set(centers)
    frontier = list(centers)
    for _ in range(radius):
        budget = max_nodes - len(kept)
        if budget <= 0 or not frontier:
            break
        strength: dict[str, float] = {}
        for node in frontier:
            for other, weight in _neighbours(graph, node):
                if other not in kept and weight > strength.get(other, -1.0):
                    strength[other] = weight
        frontier = _interleave_by_label(graph, strength)[:budget]
        kept.update(frontier)
    return graph.subgraph(kept).copy()


def _interleave_by_label(graph: nx.MultiDiGraph, strength: dict[str, float]) -> list[str]:
    groups: dict[str, list[str]] = {}
    for node in sorted(strength, key=lambda n: (-strength[n], -graph.degree(n), n)):
        groups.setdefault(str(graph.nodes[node].get("label")), []).append(node)
    queues = list(groups.values())  # already ordered by each label's best candidate
    ranked = []
    for i in range(max(map(len, queues), default=0)):
        ranked.extend(q[i] for q in queues if i < len(q))
    return ranked


def _neighbours(graph: nx.MultiDiGraph, node: str):
    """(neighbour, edge weight) over out- and in-edges; weight is the edge's confidence or 1.0."""
    for _, other, data in graph.out_edges(node, data=True):
        yield other, float(data.get("confidence", 1.0))
    for other, _, data in graph.in_edges(node, data=True):
        yield other, float(data.get("confidence", 1.0))
