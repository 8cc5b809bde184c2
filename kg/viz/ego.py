"""Neighbourhood views: what a page shows around a few chosen nodes, capped so the browser stays usable."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import networkx as nx

from kg.errors import KgError

CUT_KEY = "cut"  # ego_subgraph stores what it left out in sub.graph[CUT_KEY]; render_page shows it


def ego_subgraph(graph: nx.MultiDiGraph, centers: Iterable[str], radius: int = 1,
                 max_nodes: int = 300) -> nx.MultiDiGraph:
    """Nodes within `radius` hops of the centers (edges in either direction), centers always kept.

    When the ring at some distance does not fit in `max_nodes`, its nodes are ranked by relevance
    within each label: strongest edge to an already kept node (confidence; AUTHORED counts as 1.0),
    then degree in the whole graph, then id for determinism; labels then take turns, so a trimmed
    paper view still shows authors *and* methods/datasets. Only neighbours of kept nodes are
    candidates for the next ring, so a trimmed view never contains islands.

    When anything within `radius` was left out, `sub.graph["cut"]` says what (see `cut_report`);
    otherwise the key is absent.
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
    sub = graph.subgraph(kept).copy()
    cut = cut_report(graph, centers, kept, radius, max_nodes)
    if cut:
        sub.graph[CUT_KEY] = cut
    return sub


def cut_report(graph: nx.MultiDiGraph, centers: list[str], kept: set[str], radius: int,
               max_nodes: int) -> dict | None:
    """What the cap left out of the `radius`-hop neighbourhood, and which options would show it.

    {"shown", "total", "radius", "max_nodes", "left_out": {label: count}, "hint"}; None if nothing was cut.
    """
    rings = _rings(graph, centers, radius)
    within = [sum(map(len, rings[:r + 1])) for r in range(len(rings))]
    total = within[-1]
    if total <= len(kept):
        return None
    dropped = Counter(str(graph.nodes[n].get("label") or "Other")
                      for ring in rings for n in ring if n not in kept)
    hints = [f"--max-nodes {total} shows all {total}"]
    smaller = [(r, n) for r, n in enumerate(within) if 0 < r < radius and n <= max_nodes]
    if smaller:
        r, n = smaller[-1]
        hints.append(f"--radius {r} shows all {n} within {r} hop{'s' if r > 1 else ''}")
    return {"shown": len(kept), "total": total, "radius": radius, "max_nodes": max_nodes,
            "left_out": dict(sorted(dropped.items(), key=lambda item: (-item[1], item[0]))),
            "hint": " or ".join(hints)}


def _rings(graph: nx.MultiDiGraph, centers: list[str], radius: int) -> list[set[str]]:
    """The centers, then the nodes exactly 1, 2, … `radius` hops away (edges in either direction)."""
    seen, rings = set(centers), [set(centers)]
    for _ in range(radius):
        ring = {o for n in rings[-1] for o in nx.all_neighbors(graph, n)} - seen
        if not ring:
            break
        seen |= ring
        rings.append(ring)
    return rings


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
