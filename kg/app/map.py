"""`kg map`: one offline page of the whole corpus, topics as coloured regions (read → topics → layout → page)."""
from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KgError
from ..queries.field import MAX_EDGES, MAX_NODES, read_field
from ..viz.field_map import field_map_html, write_page


def write_map(store, out_path: str | os.PathLike, *, max_nodes: int = MAX_NODES, max_edges: int = MAX_EDGES,
              title: str = "kg map") -> dict:
    """Read the map's nodes, find their topics, write the page; returns a summary (nodes, edges, topics, cut,
    path, seconds)."""
    start = time.perf_counter()
    data = read_field(store, max_nodes=max_nodes, max_edges=max_edges)
    if not data["nodes"]:
        raise KgError("the store has no papers or entities; nothing to draw (run `kg load` first)")
    topics, assignment = _topics_for(store, [n["id"] for n in data["nodes"]], data["edges"])
    html, stats = field_map_html(data["nodes"], data["edges"], topics, assignment, title=title, cut=data["cut"])
    out = write_page(out_path, html)
    return {"path": str(out), "nodes": stats["nodes"], "edges": stats["edges"], "topics": stats["topics"],
            "cut": data["cut"], "bytes": out.stat().st_size, "seconds": round(time.perf_counter() - start, 2)}


def _topics_for(store, node_ids: list[str], edges: list[tuple]) -> tuple[list, dict[str, int]]:
    """(topics, node id → topic id): the store's own topics when it has them (branch `topics`), else the
    fallback below."""
    if hasattr(store, "topics") and hasattr(store, "topic_of_nodes"):
        return store.topics(), store.topic_of_nodes(node_ids)
    return _louvain_fallback(store, node_ids, edges)


# --- FALLBACK until `kg topics` lands (branch `topics`): delete from here to the end of the file and the last
# --- line of _topics_for. Louvain over the map's own entity co-occurrence graph; papers join their entities'
# --- topic. The real topics replace it: store.topics() and store.topic_of_nodes(node_ids).

@dataclass(frozen=True)
class _Topic:  # the fields of kg.graph.topics.Topic
    id: int
    name: str
    papers: int
    entities: tuple[str, ...]
    authors: tuple[str, ...] = ()
    trend: dict = field(default_factory=dict)


def _louvain_fallback(store, node_ids: list[str], edges: list[tuple], min_entities: int = 3):
    import networkx as nx

    entities = sorted(n for n in node_ids if not n.startswith("paper:"))
    by_paper: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for paper, entity, _, weight in edges:
        by_paper[paper].append((entity, weight))
    shared: Counter = Counter()
    for links in by_paper.values():
        linked = sorted(e for e, _ in links)
        shared.update((a, b) for i, a in enumerate(linked) for b in linked[i + 1:])
    graph = nx.Graph()
    graph.add_nodes_from(entities)
    floor = 2 if len(shared) > 20_000 else 1  # big maps: a pair seen once is noise, and slows louvain down
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in shared.items() if w >= floor)
    communities = [sorted(c) for c in nx.community.louvain_communities(graph, seed=7) if len(c) >= min_entities]
    names = store.names_of(entities)  # id → (label, name, papers)
    topic_of = {entity: i for i, community in enumerate(communities) for entity in community}
    for paper, links in by_paper.items():
        votes: Counter = Counter()
        for entity, weight in links:
            if entity in topic_of:
                votes[topic_of[entity]] += weight
        if votes:
            topic_of[paper] = max(votes.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    sizes = Counter(t for n, t in topic_of.items() if n.startswith("paper:"))
    order = sorted(range(len(communities)), key=lambda i: (-sizes[i], -len(communities[i]), communities[i][0]))
    topics, number = [], {}
    for rank, i in enumerate(order, start=1):
        top = sorted(communities[i], key=lambda e: (-names[e][2], e))
        number[i] = rank
        topics.append(_Topic(rank, " · ".join(names[e][1] for e in top[:2]), sizes[i], tuple(top[:10])))
    return topics, {n: number[t] for n, t in topic_of.items()}
