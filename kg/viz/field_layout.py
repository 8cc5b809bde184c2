"""Positions for the whole-corpus map, computed in Python so a 20k-node page opens drawn, not simulating.

Why not one force layout over everything: without scipy a force layout of 20k nodes and 100k edges takes
minutes in numpy, and a hairball would hide the topics anyway. So the map is laid out coarse to fine:

1. topics: a force layout of the topic graph (topics linked by the edges between them), each topic a disc
   whose area grows with its node count, then pushed apart until no two discs overlap;
2. entities inside their topic's disc: a force layout of the entities that share papers in that topic,
   spread evenly over the inner part of the disc while keeping each one's direction from the middle;
3. papers: at the weighted middle of the entities they link to (so a paper between two lines of work sits
   between them), fanned out on a sunflower spiral around that spot so papers with the same entities do not
   stack, then spread evenly over their disc the way the entities were (direction kept, distance by rank).

Everything is seeded or ordered by id: the same input gives the same positions.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
import numpy as np

from kg.viz.layout import fruchterman_reingold

SEED = 7
NODE_SPACING = 10.0  # layout units per node: a disc holding n nodes has area ~ n * NODE_SPACING²
DISC_GAP = 0.12  # free space between discs, as a fraction of the smaller radius
ENTITY_FILL = 0.8  # entities spread over this share of their disc's radius
PAPER_FILL = 0.96  # papers over this share (up to the rim)
PAPER_STEP = 0.45  # sunflower step of papers around their spot, in NODE_SPACING
ELSEWHERE = 0.2  # how much an entity of another topic pulls a paper (towards the border facing that topic)
NX_SPRING_LIMIT = 120  # entities per topic laid out with networkx's dense spring layout; above: kg's chunked numpy one
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
UNASSIGNED = 0  # topic id of nodes without a topic


@dataclass(frozen=True)
class Region:
    """A topic's disc in layout coordinates."""

    x: float
    y: float
    r: float


def field_layout(nodes: list[dict], edges: list[tuple], assignment: dict[str, int],
                 seed: int = SEED) -> tuple[dict[str, tuple[float, float]], dict[int, Region]]:
    """(node id → (x, y), topic id → Region) for map nodes ({"id", "label", "papers"}) and (source, target,
    type, weight) edges; nodes missing from `assignment` go to topic UNASSIGNED."""
    topic_of = {n["id"]: assignment.get(n["id"], UNASSIGNED) for n in nodes}
    members: dict[int, list[dict]] = defaultdict(list)
    for node in sorted(nodes, key=lambda n: n["id"]):
        members[topic_of[node["id"]]].append(node)
    regions = topic_regions({t: len(m) for t, m in members.items()}, _topic_links(edges, topic_of), seed)
    neighbours: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for source, target, _, weight in edges:
        neighbours[source].append((target, weight))
        neighbours[target].append((source, weight))
    positions: dict[str, tuple[float, float]] = {}
    for topic in sorted(members):
        region = regions[topic]
        entities = [n["id"] for n in members[topic] if n.get("label") != "Paper"]
        papers = [n["id"] for n in members[topic] if n.get("label") == "Paper"]
        positions.update(_entities_in_disc(entities, papers, neighbours, topic_of, topic, region, seed))
    for topic in sorted(members):  # papers after every topic's entities: their spots use other topics' too
        papers = [n["id"] for n in members[topic] if n.get("label") == "Paper"]
        pull = {p: [(o, w if topic_of.get(o) == topic else w * ELSEWHERE) for o, w in neighbours.get(p, ())]
                for p in papers}
        positions.update(_papers_in_disc(papers, pull, positions, regions[topic], seed + topic))
    return positions, regions


def _topic_links(edges: list[tuple], topic_of: dict[str, int]) -> dict[tuple[int, int], float]:
    links: dict[tuple[int, int], float] = defaultdict(float)
    for source, target, _, weight in edges:
        a, b = topic_of.get(source, UNASSIGNED), topic_of.get(target, UNASSIGNED)
        if a != b:
            links[(min(a, b), max(a, b))] += weight
    return links


def topic_regions(sizes: dict[int, int], links: dict[tuple[int, int], float], seed: int = SEED,
                  iterations: int = 300) -> dict[int, Region]:
    """Non-overlapping discs, area proportional to size, linked topics near each other, largest in the middle."""
    topics = sorted(sizes, key=lambda t: (-sizes[t], t))
    radii = np.array([NODE_SPACING * math.sqrt(max(sizes[t], 1)) for t in topics])
    if len(topics) == 1:
        return {topics[0]: Region(0.0, 0.0, float(radii[0]))}
    graph = nx.Graph()
    graph.add_nodes_from(topics)
    strongest = max(links.values(), default=1.0)
    graph.add_edges_from((a, b, {"weight": w / strongest}) for (a, b), w in links.items() if a in sizes and b in sizes)
    raw = nx.spring_layout(graph, seed=seed, weight="weight", iterations=100)
    pos = np.array([raw[t] for t in topics], dtype=float)
    pos -= pos.mean(axis=0)
    pos *= math.sqrt((radii ** 2).sum()) * 2 / max(np.abs(pos).max(), 1e-9)
    pos[0] = 0.0  # the largest topic in the middle
    pos = _separate(pos, radii, iterations)
    pos -= pos[0]
    return {t: Region(round(float(p[0]), 1), round(float(p[1]), 1), round(float(r), 1))
            for t, p, r in zip(topics, pos, radii)}


def _separate(pos: np.ndarray, radii: np.ndarray, iterations: int) -> np.ndarray:
    """Push overlapping discs apart and pull all of them gently inwards until they touch without overlap."""
    need = radii[:, None] + radii[None, :] + DISC_GAP * np.minimum(radii[:, None], radii[None, :])
    np.fill_diagonal(need, 0.0)
    weight = radii ** 2 / (radii ** 2).sum()
    for step in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=2), 1e-9)
        overlap = np.clip(need - dist, 0.0, None)
        np.fill_diagonal(overlap, 0.0)
        # each disc of an overlapping pair moves by its share of the overlap (small discs move more)
        share = 1.0 - radii[:, None] ** 2 / (radii[:, None] ** 2 + radii[None, :] ** 2)
        pos = pos + ((overlap * share / dist)[:, :, None] * delta).sum(axis=1)
        if step < iterations * 0.8:  # gravity towards the weighted middle, off at the end so nothing overlaps
            middle = (pos * weight[:, None]).sum(axis=0)
            pos = pos - 0.05 * (pos - middle)
    return pos


def _entities_in_disc(entities: list[str], papers: list[str], neighbours, topic_of, topic: int, region: Region,
                      seed: int) -> dict[str, tuple[float, float]]:
    """Entities of one topic linked by the papers of that topic they share, spread over the disc."""
    if not entities:
        return {}
    inside = set(entities)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for paper in papers:
        linked = sorted({other for other, _ in neighbours.get(paper, ()) if other in inside})
        for i, a in enumerate(linked):
            for b in linked[i + 1:]:
                shared[(a, b)] += 1
    graph = nx.Graph()
    graph.add_nodes_from(entities)
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in shared.items())
    if len(entities) == 1:
        coords = np.zeros((1, 2))
    elif len(entities) <= NX_SPRING_LIMIT:
        raw = nx.spring_layout(graph, seed=seed, weight="weight", iterations=60)
        coords = np.array([raw[e] for e in entities])
    else:
        coords = fruchterman_reingold(graph, seed)
    return dict(zip(entities, _fill_disc(coords, region, ENTITY_FILL)))


def _fill_disc(coords: np.ndarray, region: Region, fill: float, centred: bool = False) -> list[tuple[float, float]]:
    """Keep each point's direction from the middle but spread the distances evenly over the disc (rank-based),
    so a force layout's dense core and far-flung stragglers both become an evenly filled disc. `centred`:
    the coordinates are already relative to the disc's middle (else to their own mean)."""
    n = len(coords)
    centred = coords if centred else coords - coords.mean(axis=0)
    dist = np.linalg.norm(centred, axis=1)
    angle = np.arctan2(centred[:, 1], centred[:, 0])
    ranks = np.empty(n)
    ranks[np.argsort(dist, kind="stable")] = np.arange(n)
    radius = region.r * fill * np.sqrt((ranks + 0.5) / n) if n > 1 else np.zeros(1)
    xs = region.x + radius * np.cos(angle)
    ys = region.y + radius * np.sin(angle)
    return [(round(float(x), 2), round(float(y), 2)) for x, y in zip(xs, ys)]


def _papers_in_disc(papers: list[str], neighbours, positions, region: Region,
                    seed: int) -> dict[str, tuple[float, float]]:
    """Each paper near the weighted middle of its placed entities, fanned out around it, inside the disc."""
    rng = np.random.default_rng(seed)
    spots: dict[tuple[int, int], list[str]] = defaultdict(list)
    anchor = {}
    for paper in papers:
        placed = [(positions[o], w) for o, w in neighbours.get(paper, ()) if o in positions]
        if placed:
            total = sum(w for _, w in placed) or 1.0
            x = sum(p[0] * w for p, w in placed) / total
            y = sum(p[1] * w for p, w in placed) / total
        else:  # linked to nothing drawn: anywhere in the disc
            r, a = region.r * 0.9 * math.sqrt(rng.random()), 2 * math.pi * rng.random()
            x, y = region.x + r * math.cos(a), region.y + r * math.sin(a)
        x, y = _inside(x, y, region, 0.85)
        anchor[paper] = (x, y)
        spots[(round(x), round(y))].append(paper)
    order, coords = [], []
    step = PAPER_STEP * NODE_SPACING
    for spot_papers in spots.values():
        for i, paper in enumerate(spot_papers):  # a sunflower: papers with the same entities side by side
            x, y = anchor[paper]
            r, a = step * math.sqrt(i + 0.5), i * GOLDEN_ANGLE
            order.append(paper)
            coords.append((x + r * math.cos(a) - region.x, y + r * math.sin(a) - region.y))
    if not order:
        return {}
    # then spread evenly over the whole disc, each paper keeping its direction and its rank of distance
    return dict(zip(order, _fill_disc(np.array(coords), region, PAPER_FILL, centred=True)))


def _inside(x: float, y: float, region: Region, share: float) -> tuple[float, float]:
    """The point, moved towards the middle of the disc if it lies beyond `share` of the radius."""
    dx, dy = x - region.x, y - region.y
    dist = math.hypot(dx, dy)
    limit = region.r * share
    if dist <= limit:
        return x, y
    return region.x + dx * limit / dist, region.y + dy * limit / dist
