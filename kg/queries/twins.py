"""Local twins of the canned Cypher queries: plain functions over the networkx graph returning the same rows,
in the same order, as the Cypher files in cypher/ (strings sorted the way Cypher's ORDER BY sorts them)."""
from __future__ import annotations

from collections import defaultdict, deque
from itertools import product
from typing import Callable

import networkx as nx

from ..graph.schema import AUTHOR, AUTHORED, ENTITY_LABELS, LABELS, METHOD, DATASET, PAPER, PROPOSES

MAX_PATH_HOPS = 10  # keep in step with `*..10]` in shortest-path.cypher

def text_key(value: str) -> bytes:
    """Sort key matching Cypher ORDER BY on strings (UTF-16 code units, so U+FF01 sorts after U+1F600)."""
    return value.encode("utf-16-be", "surrogatepass")


def _list_key(values: list[str]) -> list[bytes]:
    return [text_key(v) for v in values]


def _matches(data: dict, term: str, fields=("name",), aliases=True) -> bool:
    """Cypher: toLower(n.<field>) = toLower($term) for any field, n.key = toLower($term), or any alias."""
    t = term.lower()
    if data.get("key") == t or any(data.get(f) is not None and data[f].lower() == t for f in fields):
        return True
    return aliases and any(a.lower() == t for a in data.get("aliases") or [])


def _nodes(graph: nx.MultiDiGraph, labels, term: str, **how) -> list[str]:
    return [n for n, d in graph.nodes(data=True) if d["label"] in labels and _matches(d, term, **how)]


def _limited(rows: list[dict], sort_key: Callable, limit: int) -> list[dict]:
    rows.sort(key=sort_key)
    return rows[:limit]


def related_entities(graph: nx.MultiDiGraph, term: str, limit: int) -> list[dict]:
    seeds = set(_nodes(graph, ENTITY_LABELS, term))
    shared = defaultdict(set)
    for seed in seeds:
        for paper in graph.predecessors(seed):
            if graph.nodes[paper]["label"] != PAPER:
                continue
            for other in graph.successors(paper):
                if graph.nodes[other]["label"] in ENTITY_LABELS and other not in seeds:
                    shared[other].add(paper)
    rows = [{"label": graph.nodes[n]["label"], "name": graph.nodes[n]["name"], "key": graph.nodes[n]["key"],
             "shared_papers": len(papers), "papers": graph.nodes[n].get("papers", 0)}
            for n, papers in shared.items()]
    return _limited(rows, lambda r: (-r["shared_papers"], text_key(r["name"]), text_key(r["label"]),
                                     text_key(r["key"]), r["papers"]), limit)


def _papers_linked_to(graph: nx.MultiDiGraph, label: str, term: str, column: str, limit: int) -> list[dict]:
    rows = []
    for target in _nodes(graph, (label,), term):
        for paper, _, rel, edge in graph.in_edges(target, keys=True, data=True):
            data = graph.nodes[paper]
            if data["label"] != PAPER:
                continue
            rows.append({"title": data["title"], "key": data["key"], "date": data.get("date"),
                         column: graph.nodes[target]["name"], "relation": rel,
                         "confidence": edge.get("confidence", 0.0), "mentions": edge.get("count", 0)})
    return _limited(rows, lambda r: (-r["confidence"], -r["mentions"], text_key(r["title"]), text_key(r["key"]),
                                     text_key(r[column]), text_key(r["relation"])), limit)


def papers_using_method(graph: nx.MultiDiGraph, method: str, limit: int) -> list[dict]:
    return _papers_linked_to(graph, METHOD, method, "method", limit)


def papers_on_dataset(graph: nx.MultiDiGraph, dataset: str, limit: int) -> list[dict]:
    return _papers_linked_to(graph, DATASET, dataset, "dataset", limit)


def _authored_papers(graph: nx.MultiDiGraph, author: str) -> list[str]:
    return [p for _, p, rel in graph.out_edges(author, keys=True) if rel == AUTHORED and graph.nodes[p]["label"] == PAPER]


def _titles(graph: nx.MultiDiGraph, papers) -> list[str]:
    """Distinct titles of the papers, in (title, key) order: what `ORDER BY … collect(DISTINCT title)` gives."""
    ordered = sorted(papers, key=lambda p: (text_key(graph.nodes[p]["title"]), text_key(graph.nodes[p]["key"])))
    return list(dict.fromkeys(graph.nodes[p]["title"] for p in ordered))


def author_methods(graph: nx.MultiDiGraph, author: str, limit: int) -> list[dict]:
    proposed = defaultdict(set)
    for person in _nodes(graph, (AUTHOR,), author, aliases=False):
        for paper in _authored_papers(graph, person):
            for _, method, rel in graph.out_edges(paper, keys=True):
                if rel == PROPOSES and graph.nodes[method]["label"] == METHOD:
                    proposed[method].add(paper)
    rows = [{"method": graph.nodes[m]["name"], "key": graph.nodes[m]["key"], "papers": len(papers),
             "titles": _titles(graph, papers)} for m, papers in proposed.items()]
    return _limited(rows, lambda r: (-r["papers"], text_key(r["method"]), text_key(r["key"]), _list_key(r["titles"])),
                    limit)


def coauthors(graph: nx.MultiDiGraph, author: str, limit: int) -> list[dict]:
    selves = set(_nodes(graph, (AUTHOR,), author, aliases=False))
    shared = defaultdict(set)
    for person in selves:
        for paper in _authored_papers(graph, person):
            for other, _, rel in graph.in_edges(paper, keys=True):
                if rel == AUTHORED and graph.nodes[other]["label"] == AUTHOR and other not in selves:
                    shared[other].add(paper)
    rows = [{"name": graph.nodes[a]["name"], "key": graph.nodes[a]["key"], "shared_papers": len(papers),
             "titles": _titles(graph, papers)} for a, papers in shared.items()]
    return _limited(rows, lambda r: (-r["shared_papers"], text_key(r["name"]), text_key(r["key"]),
                                     _list_key(r["titles"])), limit)


def top_entities(graph: nx.MultiDiGraph, label: str, limit: int) -> list[dict]:
    rows = [{"name": d["name"], "key": d["key"], "papers": d.get("papers", 0), "aliases": list(d.get("aliases") or [])}
            for _, d in graph.nodes(data=True) if d["label"] == label and label in ENTITY_LABELS]
    return _limited(rows, lambda r: (-r["papers"], text_key(r["name"]), text_key(r["key"]), _list_key(r["aliases"])),
                    limit)


def _shortest_node_paths(graph: nx.MultiDiGraph, source: str, target: str, max_hops: int) -> list[list[str]]:
    """Every shortest node sequence source → target, edges taken in either direction, at most max_hops long."""
    dist, parents = {source: 0}, defaultdict(list)
    queue = deque([source])
    while queue:
        node = queue.popleft()
        if node == target or dist[node] >= max_hops:
            continue
        for nxt in set(graph.successors(node)) | set(graph.predecessors(node)):
            if nxt not in dist:
                dist[nxt] = dist[node] + 1
                queue.append(nxt)
            if dist[nxt] == dist[node] + 1:
                parents[nxt].append(node)
    if target not in dist:
        return []

    def back(node):
        if node == source:
            return [[source]]
        return [path + [node] for parent in parents[node] for path in back(parent)]

    return back(target)


def _relationship_choices(graph: nx.MultiDiGraph, a: str, b: str) -> list[str]:
    """Types of every relationship between a and b, whichever way it points (each is a distinct path step)."""
    return [k for k in graph[a].get(b, {})] + [k for k in graph[b].get(a, {})] if a != b else []


def shortest_path(graph: nx.MultiDiGraph, limit: int, **ends: str) -> list[dict]:
    how = {"fields": ("title", "name")}
    sources = _nodes(graph, LABELS, ends["from"], **how)
    targets = _nodes(graph, LABELS, ends["to"], **how)
    paths = [(p, rels) for s in sources for t in targets if s != t
             for p in _shortest_node_paths(graph, s, t, MAX_PATH_HOPS)
             for rels in product(*(_relationship_choices(graph, a, b) for a, b in zip(p, p[1:])))]
    if not paths:
        return []
    best = min(len(rels) for _, rels in paths)
    rows = []
    for nodes, rels in paths:
        if len(rels) != best:
            continue
        data = [graph.nodes[n] for n in nodes]
        rows.append({"hops": best, "nodes": [_coalesce(d, "title", "name", "key") for d in data],
                     "labels": [d["label"] for d in data], "relationships": list(rels),
                     "keys": [d["key"] for d in data]})
    return _limited(rows, lambda r: (_list_key(r["nodes"]), _list_key(r["labels"]), _list_key(r["keys"]),
                                     _list_key(r["relationships"])), limit)


def _coalesce(data: dict, *names: str):
    return next((data[n] for n in names if data.get(n) is not None), None)


def similar_papers(graph: nx.MultiDiGraph, title: str, limit: int) -> list[dict]:
    selves = set(_nodes(graph, (PAPER,), title, fields=("title",), aliases=False))
    shared = defaultdict(set)
    for paper in selves:
        for entity in graph.successors(paper):
            if graph.nodes[entity]["label"] not in ENTITY_LABELS:
                continue
            for other in graph.predecessors(entity):
                if graph.nodes[other]["label"] == PAPER and other not in selves:
                    shared[other].add(entity)
    rows = []
    for other, entities in shared.items():
        ordered = sorted(entities, key=lambda e: (text_key(graph.nodes[e]["name"]), text_key(graph.nodes[e]["key"])))
        rows.append({"title": graph.nodes[other]["title"], "key": graph.nodes[other]["key"],
                     "shared_entities": len(entities),
                     "entities": list(dict.fromkeys(graph.nodes[e]["name"] for e in ordered))})
    return _limited(rows, lambda r: (-r["shared_entities"], text_key(r["title"]), text_key(r["key"]),
                                     _list_key(r["entities"])), limit)


LOCAL_TWINS: dict[str, Callable[..., list[dict]]] = {
    "related-entities": related_entities,
    "papers-using-method": papers_using_method,
    "papers-on-dataset": papers_on_dataset,
    "author-methods": author_methods,
    "coauthors": coauthors,
    "top-entities": top_entities,
    "shortest-path": shortest_path,
    "similar-papers": similar_papers,
}
