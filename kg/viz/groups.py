"""Summary nodes for big views: many pendant nodes of one hub become one expandable "412 papers" node.

A node P hangs off a hub H when every neighbour of P other than H is a leaf of P (a node whose only
neighbour is P): a paper linked only to the concept, or a paper with two authors who wrote nothing else
in the view. When at least `min_size` nodes of one label hang off the same hub, they (and their own
leaves) are drawn as one summary node next to the hub; the page expands it on click into a grid of
the members, laid out here as offsets from the grid's centre so the page only has to place the block.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

MIN_GROUP = 8  # fewer pendant nodes than this stay drawn one by one
MIN_VIEW = 60  # views smaller than this are never summarised: everything fits on screen
GROUP_PREFIX = "kg-group:"  # real node ids are "<label>:<key>" with a lower-case label; never this
PLURALS = {"Paper": "papers", "Author": "authors", "Method": "methods", "Dataset": "datasets",
           "Concept": "concepts", "Metric": "metrics"}
CELL = {"Paper": (300.0, 56.0)}  # grid cell (width, height) in canvas px: room for a cut title below
DEFAULT_CELL = (170.0, 56.0)
BRANCH_EXTRA_HEIGHT = 44.0  # a member with leaves of its own gets a taller cell for them


@dataclass
class Group:
    id: str
    hub: str
    label: str
    members: list[str]  # pendant nodes, most relevant first
    own_leaves: dict[str, list[str]] = field(default_factory=dict)  # member -> its leaves
    relation: str = ""  # most common edge type between the hub and the members
    leaf_labels: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def nodes(self) -> list[str]:
        """Every real node the summary stands for: members and their own leaves."""
        return self.members + [leaf for m in self.members for leaf in self.own_leaves.get(m, [])]

    def caption(self) -> str:
        text = f"{len(self.members)} {plural(self.label, len(self.members))}"
        extra = Counter()
        for leaves in self.own_leaves.values():
            extra.update(self.leaf_labels.get(leaf, "Other") for leaf in leaves)
        if extra:
            text += "\n+ " + ", ".join(f"{n} {plural(lab, n)}" for lab, n in
                                       sorted(extra.items(), key=lambda item: (-item[1], item[0])))
        return text


def plural(label: str, count: int) -> str:
    word = PLURALS.get(label, f"{label.lower()} nodes")
    return word[:-1] if count == 1 and word.endswith("s") and label in PLURALS else word


def find_groups(graph: nx.MultiDiGraph, centers: set[str], min_size: int = MIN_GROUP,
                min_view: int = MIN_VIEW) -> list[Group]:
    """Groups of pendant nodes, one per (hub, label) with at least `min_size` members; deterministic."""
    if graph.number_of_nodes() < min_view:
        return []
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    degree = dict(simple.degree())
    candidates: dict[tuple[str, str], list[str]] = {}
    own: dict[str, list[str]] = {}
    for node in sorted(simple):
        if node in centers or degree[node] == 0:
            continue
        neighbours = list(simple[node])
        leaves = sorted(n for n in neighbours if degree[n] == 1 and n not in centers)
        others = [n for n in neighbours if n not in leaves]
        if len(others) != 1 or (degree[node] == 1 and degree[others[0]] == 1):
            continue  # not pendant, or an isolated pair (which end is the hub?)
        candidates.setdefault((others[0], _label(graph, node)), []).append(node)
        own[node] = leaves
    claimed: set[str] = set()
    groups = []
    for (hub, label), members in sorted(candidates.items(), key=lambda item: (-len(item[1]), item[0])):
        members = [m for m in members if m not in claimed and claimed.isdisjoint(own[m])]
        if len(members) < min_size or hub in claimed:
            continue
        members.sort(key=lambda m: (-_strength(graph, hub, m), _caption(graph, m).lower(), m))
        relations = Counter(k for m in members for k in _kinds(graph, hub, m))
        group = Group(id=f"{GROUP_PREFIX}{hub}|{label}", hub=hub, label=label, members=members,
                      own_leaves={m: own[m] for m in members if own[m]},
                      relation=min(relations, key=lambda k: (-relations[k], k)) if relations else "",
                      leaf_labels={leaf: _label(graph, leaf) for m in members for leaf in own[m]})
        claimed.update(group.nodes)
        groups.append(group)
    return groups


def grid_offsets(group: Group) -> tuple[dict[str, tuple[float, float]], tuple[float, float]]:
    """Positions of every node of an expanded group relative to the centre of its block, and the
    block's (width, height). Members fill rows (most relevant first, top left); a member's own
    leaves sit on a small arc under its label."""
    width, height = CELL.get(group.label, DEFAULT_CELL)
    if group.own_leaves:
        height += BRANCH_EXTRA_HEIGHT
    n = len(group.members)
    columns = max(1, min(n, round(math.sqrt(n * height / width * 1.6))))  # a little wider than tall
    rows = math.ceil(n / columns)
    block = (columns * width, rows * height)
    offsets: dict[str, tuple[float, float]] = {}
    for i, member in enumerate(group.members):
        x = (i % columns + 0.5) * width - block[0] / 2
        y = (i // columns + 0.3) * height - block[1] / 2
        offsets[member] = (round(x, 1), round(y, 1))
        leaves = group.own_leaves.get(member, [])
        for j, leaf in enumerate(leaves):
            spread = min(width * 0.8, 36.0 * len(leaves))
            lx = x - spread / 2 + spread * (j + 0.5) / len(leaves)
            offsets[leaf] = (round(lx, 1), round(y + 38.0 + (12.0 if j % 2 else 0.0), 1))
    return offsets, block


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    return str(graph.nodes[node].get("label") or "Other")


def _caption(graph: nx.MultiDiGraph, node: str) -> str:
    attrs = graph.nodes[node]
    return str(attrs.get("title") or attrs.get("name") or attrs.get("key") or node)


def _kinds(graph: nx.MultiDiGraph, a: str, b: str) -> list[str]:
    kinds = list(graph.get_edge_data(a, b, default={})) + list(graph.get_edge_data(b, a, default={}))
    return [str(k) for k in kinds]


def _strength(graph: nx.MultiDiGraph, a: str, b: str) -> float:
    best = 0.0
    for data in list(graph.get_edge_data(a, b, default={}).values()) + \
            list(graph.get_edge_data(b, a, default={}).values()):
        try:
            value = float(data.get("confidence", 1.0))
        except (TypeError, ValueError):
            continue
        if value == value:  # not NaN
            best = max(best, value)
    return best
