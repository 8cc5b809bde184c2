"""Positions computed in Python for views too large for in-browser physics.

Why not plain `nx.spring_layout`: without scipy it only runs on < 500 nodes, and networkx's
pure-numpy alternatives (forceatlas2) take ~30 s at 2k nodes. So: split into connected components,
peel degree-1 nodes (most authors) off each component, lay out the remaining core (networkx spring
layout when small, a chunked numpy Fruchterman-Reingold when large), put leaves in a ring around
their single neighbour, and pack components in rows. Everything is seeded: same graph, same positions.

Centers (the matched nodes of a view) are pinned at the origin (several: on a small circle around it)
while the rest is laid out around them, and their components come first, so the matches sit in the
middle of the drawing, not wherever a force layout or the row packing happened to leave them.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import networkx as nx
import numpy as np

SEED = 7
NX_SPRING_LIMIT = 400  # networkx's dense spring layout is numpy-only below 500 nodes
SPACING = 60.0  # pixels between neighbouring nodes in the page
COLUMN_CENTERS = 6  # up to this many centers are pinned one above the other


def precomputed_positions(graph: nx.Graph, seed: int = SEED,
                          centers: Iterable[str] = ()) -> dict[str, tuple[float, float]]:
    """Pixel coordinates for every node, deterministic for a given graph and seed; centers in the middle."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    pinned = pinned_spots(sorted(c for c in set(centers) if c in simple))
    if not pinned:
        components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
        return _pack([_component_layout(simple.subgraph(c), seed) for c in components])
    middle = sorted(set().union(*(nx.node_connected_component(simple, c) for c in pinned)))
    core = simple.subgraph(middle).copy()
    core.add_edges_from(zip(list(pinned), list(pinned)[1:]))  # matches in different components stay together
    placed = _component_layout(core, seed, pinned)
    rest = sorted((sorted(c) for c in nx.connected_components(simple.subgraph(set(simple) - set(middle)))),
                  key=lambda c: (-len(c), c[0]))
    out = {node: (round(float(p[0]), 1), round(float(p[1]), 1)) for node, p in placed.items()}
    if rest:  # components without a match go below the middle one
        coords = np.array(list(placed.values()))
        low, high = coords.min(axis=0), coords.max(axis=0)
        for node, (x, y) in _pack([_component_layout(simple.subgraph(c), seed) for c in rest]).items():
            out[node] = (round(x + low[0], 1), round(y + high[1] + 2 * SPACING, 1))
    return out


def pinned_spots(centers: list[str]) -> dict[str, np.ndarray]:
    """Fixed spots for the centers: the origin for one; a few in a column through the origin (their
    labels are wide and drawn below them, so they must not sit side by side); many on a circle."""
    count = len(centers)
    if count <= COLUMN_CENTERS:
        return {c: np.array([0.0, 2 * SPACING * (i - (count - 1) / 2)]) for i, c in enumerate(centers)}
    radius = max(2 * SPACING, count * SPACING * 2 / (2 * math.pi))
    return {c: radius * np.array([math.sin(2 * math.pi * i / count), -math.cos(2 * math.pi * i / count)])
            for i, c in enumerate(centers)}


def _component_layout(component: nx.Graph, seed: int,
                      pinned: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    pinned = pinned or {}
    if component.number_of_nodes() == 1:
        node = next(iter(component.nodes))
        return {node: pinned.get(node, np.zeros(2))}
    leaves = {n for n in component if component.degree(n) == 1 and n not in pinned}
    core_nodes = sorted(set(component) - leaves)
    if not core_nodes:  # a single edge: both ends are leaves
        core_nodes, leaves = [min(component)], leaves - {min(component)}
    core = component.subgraph(core_nodes)
    pos = _core_layout(core, seed, pinned, extra=len(leaves))
    _place_leaves(component, pos, sorted(leaves), np.zeros(2) if pinned else None)
    return pos


def _core_layout(core: nx.Graph, seed: int, pinned: dict[str, np.ndarray],
                 extra: int = 0) -> dict[str, np.ndarray]:
    """Force layout of the core, `SPACING * sqrt(n + extra) * 1.2` pixels across, where `extra` is the
    number of leaves that will be put around core nodes (they need room too)."""
    n = core.number_of_nodes()
    if n == 1:
        node = next(iter(core.nodes))
        return {node: pinned.get(node, np.zeros(2))}
    if pinned and set(core) <= set(pinned):
        return {node: pinned[node] for node in core}
    nodes = list(core.nodes)
    side = SPACING * math.sqrt(n + extra) * 1.2
    # pinned spots are in pixels; the force layouts work in a unit square centred on (0.5, 0.5)
    fixed = {v: np.array([0.5, 0.5]) + pinned[v] / side for v in nodes if v in pinned}
    if n <= NX_SPRING_LIMIT:
        start = None
        if fixed:
            rng = np.random.default_rng(seed)
            start = {v: fixed.get(v, rng.random(2)) for v in nodes}
        raw = nx.spring_layout(core, seed=seed, iterations=80, pos=start, fixed=list(fixed) or None)
        coords = np.array([raw[v] for v in nodes])
    else:
        coords = fruchterman_reingold(core, seed, fixed={nodes.index(v): p for v, p in fixed.items()})
    origin = np.mean([coords[nodes.index(v)] for v in fixed], axis=0) if fixed else coords.mean(axis=0)
    coords = (coords - origin) * (side / max(np.ptp(coords, axis=0).max(), 1e-9))
    for i, v in enumerate(nodes):
        if v in pinned:
            coords[i] = pinned[v]
    return dict(zip(nodes, coords))


def fruchterman_reingold(graph: nx.Graph, seed: int, iterations: int = 60, chunk: int = 128,
                         sample: int = 1024, fixed: dict[int, np.ndarray] | None = None) -> np.ndarray:
    """Force layout in numpy for large cores.

    Repulsion is computed in small row chunks (float32, cache-sized) and, above `sample` nodes,
    against a seeded random sample of nodes scaled up to the whole: O(n * sample) per iteration
    instead of O(n^2), which is what keeps 5k-node views at a few seconds. `fixed` pins node
    indices to positions in the unit square.
    """
    nodes = list(graph.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    edges = np.array([(index[u], index[v]) for u, v in graph.edges()], dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float64)
    pinned = np.array(sorted(fixed or {}), dtype=np.int64)
    if len(pinned):
        pos[pinned] = np.array([fixed[i] for i in pinned])
    k = 1.0 / math.sqrt(n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        disp = np.zeros_like(pos)
        x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
        if n > sample:
            cols = rng.choice(n, sample, replace=False)
            other_x, other_y, weight = x[cols], y[cols], np.float32(k * k * n / sample)
        else:
            other_x, other_y, weight = x, y, np.float32(k * k)
        for start in range(0, n, chunk):
            dx = x[start:start + chunk, None] - other_x[None, :]
            dy = y[start:start + chunk, None] - other_y[None, :]
            push = dx * dx
            push += dy * dy
            np.maximum(push, np.float32(1e-6), out=push)
            np.divide(weight, push, out=push)
            disp[start:start + chunk, 0] += np.einsum("ij,ij->i", dx, push)
            disp[start:start + chunk, 1] += np.einsum("ij,ij->i", dy, push)
        if len(edges):
            delta = pos[edges[:, 0]] - pos[edges[:, 1]]
            dist = np.maximum(np.linalg.norm(delta, axis=1), 1e-6)
            pull = delta * (dist / k)[:, None]
            np.add.at(disp, edges[:, 0], -pull)
            np.add.at(disp, edges[:, 1], pull)
        if len(pinned):
            disp[pinned] = 0.0
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return pos


def _place_leaves(component: nx.Graph, pos: dict[str, np.ndarray], leaves: list[str],
                  centre: np.ndarray | None = None) -> None:
    """Each leaf goes on a ring around its only neighbour, facing away from the centre (of the core,
    unless given)."""
    by_parent: dict[str, list[str]] = {}
    for leaf in leaves:
        by_parent.setdefault(next(iter(component[leaf])), []).append(leaf)
    if centre is None:
        centre = np.mean(list(pos.values()), axis=0) if pos else np.zeros(2)
    for parent, children in sorted(by_parent.items()):
        origin = pos[parent]
        outward = math.atan2(*(origin - centre)[::-1]) if np.any(origin != centre) else 0.0
        count = len(children)
        radius = max(SPACING, count * SPACING * 0.6 / (2 * math.pi))
        fan = 0.9 * count  # radians: a few leaves fan out away from the core, many close the ring
        for i, child in enumerate(children):
            if fan < 2 * math.pi:
                angle = outward + fan * ((i + 0.5) / count - 0.5)
            else:
                angle = 2 * math.pi * i / count
            pos[child] = origin + radius * np.array([math.cos(angle), math.sin(angle)])


def _pack(placed: list[dict[str, np.ndarray]]) -> dict[str, tuple[float, float]]:
    """Lay components out left to right in rows roughly as wide as the largest one (or a square)."""
    if not placed:
        return {}
    boxes = []
    for pos in placed:
        coords = np.array(list(pos.values()))
        low, high = coords.min(axis=0), coords.max(axis=0)
        boxes.append((pos, low, high - low + SPACING))
    total_area = sum(size[0] * size[1] for _, _, size in boxes)
    row_width = max(math.sqrt(total_area) * 1.3, max(size[0] for _, _, size in boxes))
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for pos, low, size in boxes:
        if x > 0 and x + size[0] > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        offset = np.array([x, y]) - low
        for node, p in pos.items():
            q = p + offset
            out[node] = (round(float(q[0]), 1), round(float(q[1]), 1))
        x += size[0]
        row_height = max(row_height, size[1])
    return out
