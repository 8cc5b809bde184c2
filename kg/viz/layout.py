"""Positions computed in Python for views too large for in-browser physics.

Why not plain `nx.spring_layout`: without scipy it only runs on < 500 nodes, and networkx's
pure-numpy alternatives (forceatlas2) take ~30 s at 2k nodes. So: split into connected components,
peel degree-1 nodes (most authors) off each component, lay out the remaining core (networkx spring
layout when small, a chunked numpy Fruchterman-Reingold when large), put leaves in a ring around
their single neighbour, and pack components in rows. Everything is seeded: same graph, same positions.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

SEED = 7
NX_SPRING_LIMIT = 400  # networkx's dense spring layout is numpy-only below 500 nodes
SPACING = 60.0  # pixels between neighbouring nodes in the page


def precomputed_positions(graph: nx.Graph, seed: int = SEED) -> dict[str, tuple[float, float]]:
    """Pixel coordinates for every node, deterministic for a given graph and seed."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    components = sorted((sorted(c) for c in nx.connected_components(simple)), key=lambda c: (-len(c), c[0]))
    placed = [_component_layout(simple.subgraph(c), seed) for c in components]
    return _pack(placed)


def _component_layout(component: nx.Graph, seed: int) -> dict[str, np.ndarray]:
    if component.number_of_nodes() == 1:
        return {next(iter(component.nodes)): np.zeros(2)}
    leaves = {n for n in component if component.degree(n) == 1}
    core_nodes = sorted(set(component) - leaves)
    if not core_nodes:  # a single edge: both ends are leaves
        core_nodes, leaves = [min(component)], leaves - {min(component)}
    core = component.subgraph(core_nodes)
    pos = _core_layout(core, seed)
    _place_leaves(component, pos, sorted(leaves))
    return pos


def _core_layout(core: nx.Graph, seed: int) -> dict[str, np.ndarray]:
    n = core.number_of_nodes()
    if n == 1:
        return {next(iter(core.nodes)): np.zeros(2)}
    if n <= NX_SPRING_LIMIT:
        raw = nx.spring_layout(core, seed=seed, iterations=80)
        coords = np.array([raw[v] for v in core.nodes])
    else:
        coords = fruchterman_reingold(core, seed)
    scale = SPACING * math.sqrt(n) * 1.2 / max(np.ptp(coords, axis=0).max(), 1e-9)
    coords = (coords - coords.mean(axis=0)) * scale
    return dict(zip(core.nodes, coords))


def fruchterman_reingold(graph: nx.Graph, seed: int, iterations: int = 60, chunk: int = 128,
                         sample: int = 1024) -> np.ndarray:
    """Force layout in numpy for large cores.

    Repulsion is computed in small row chunks (float32, cache-sized) and, above `sample` nodes,
    against a seeded random sample of nodes scaled up to the whole: O(n * sample) per iteration
    instead of O(n^2), which is what keeps 5k-node views at a few seconds.
    """
    nodes = list(graph.nodes)
    index = {v: i for i, v in enumerate(nodes)}
    n = len(nodes)
    edges = np.array([(index[u], index[v]) for u, v in graph.edges()], dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float64)
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
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    return pos


def _place_leaves(component: nx.Graph, pos: dict[str, np.ndarray], leaves: list[str]) -> None:
    """Each leaf goes on a ring around its only neighbour, facing away from the core's centre."""
    by_parent: dict[str, list[str]] = {}
    for leaf in leaves:
        by_parent.setdefault(next(iter(component[leaf])), []).append(leaf)
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
