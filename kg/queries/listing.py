"""`kg papers` and `kg stats`: the graph as records, in the same shape whichever backend holds it."""
from __future__ import annotations

import networkx as nx

from ..graph.build import graph_counts
from ..graph.schema import AUTHOR, AUTHORED, CONCEPT, DATASET, METHOD, PAPER, PROPOSES

_ENTITY_SECTIONS = ((METHOD, "methods"), (DATASET, "datasets"), (CONCEPT, "concepts"))


def paper_record(graph: nx.MultiDiGraph, pid: str) -> dict:
    """One paper with its canonical entities; aliases are the surface forms seen in this paper."""
    data = graph.nodes[pid]
    record = {"id": data["key"], "title": data["title"], "authors": list(data.get("authors", [])),
              "date": data.get("date"), "abstract": data.get("abstract"), "sources": list(data.get("sources", []))}
    for _, section in _ENTITY_SECTIONS:
        record[section] = []
    proposes = []
    for _, target, rel, edge in graph.out_edges(pid, keys=True, data=True):
        node = graph.nodes[target]
        for label, section in _ENTITY_SECTIONS:
            if node["label"] == label:
                record[section].append({"name": node["name"], "aliases": sorted(edge.get("aliases", []))})
        if rel == PROPOSES:
            proposes.append(node["name"])
    for _, section in _ENTITY_SECTIONS:
        record[section].sort(key=lambda e: e["name"].casefold())
    record["proposes"] = sorted(proposes, key=str.casefold)
    return record


def papers(graph: nx.MultiDiGraph) -> list[dict]:
    """Every paper, ordered by title then id so both backends list them identically."""
    ids = [n for n, d in graph.nodes(data=True) if d["label"] == PAPER]
    ids.sort(key=lambda n: (graph.nodes[n]["title"].casefold(), graph.nodes[n]["key"]))
    return [paper_record(graph, n) for n in ids]


def stats(graph: nx.MultiDiGraph) -> dict:
    """Counts per label and relationship type, plus the most connected entities of each type."""
    counts = graph_counts(graph)
    top = {}
    for label, section in _ENTITY_SECTIONS + ((AUTHOR, "authors"),):
        nodes = [(d.get("papers", 0), d["name"]) for _, d in graph.nodes(data=True) if d["label"] == label]
        nodes.sort(key=lambda item: (-item[0], item[1].casefold(), item[1]))
        top[section] = [{"name": name, "papers": n} for n, name in nodes[:5]]
    return {**counts, "top": top}
