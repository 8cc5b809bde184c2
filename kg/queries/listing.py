"""`kg papers` and `kg stats`: the graph as records, in the same shape and order whichever backend holds it."""
from __future__ import annotations

from typing import Iterable

import networkx as nx

from ..graph.build import graph_counts
from ..graph.schema import AUTHOR, CONCEPT, DATASET, METHOD, METRIC, PAPER, PROPOSES

_ENTITY_SECTIONS = {METHOD: "methods", DATASET: "datasets", CONCEPT: "concepts", METRIC: "metrics"}
_TOP_SECTIONS = {**_ENTITY_SECTIONS, AUTHOR: "authors"}
TOP_N = 5
TOP_LABELS = (METHOD, DATASET, CONCEPT, METRIC, AUTHOR)


def record_from(paper: dict, links: Iterable[tuple[str, str, str, list]], topic: str | None = None) -> dict:
    """A paper record from its node properties, (label, name, relationship type, aliases) of its entities and
    the name of its topic (None when it has none)."""
    record = {"id": paper["key"], "title": paper["title"], "authors": list(paper.get("authors") or []),
              "date": paper.get("date"), "abstract": paper.get("abstract"), "sources": list(paper.get("sources") or []),
              "topic": topic}
    for section in _ENTITY_SECTIONS.values():
        record[section] = []
    proposes = []
    for label, name, rel, aliases in links:
        if label in _ENTITY_SECTIONS:
            record[_ENTITY_SECTIONS[label]].append({"name": name, "aliases": sorted(aliases or [])})
        if rel == PROPOSES:
            proposes.append(name)
    for section in _ENTITY_SECTIONS.values():
        record[section].sort(key=lambda e: (e["name"].casefold(), e["name"]))
    record["proposes"] = sorted(proposes, key=lambda n: (n.casefold(), n))
    return record


def paper_record(graph: nx.MultiDiGraph, pid: str) -> dict:
    links = [(graph.nodes[t]["label"], graph.nodes[t]["name"], rel, edge.get("aliases", []))
             for _, t, rel, edge in graph.out_edges(pid, keys=True, data=True)]
    return record_from(graph.nodes[pid], links)


def sort_records(records: list[dict]) -> list[dict]:
    """Title order (case-folded), id as tie-break: both backends list papers identically."""
    return sorted(records, key=lambda r: (r["title"].casefold(), r["id"]))


def papers(graph: nx.MultiDiGraph) -> list[dict]:
    return sort_records([paper_record(graph, n) for n, d in graph.nodes(data=True) if d["label"] == PAPER])


def top_entities(rows: Iterable[tuple[str, str, int]]) -> dict:
    """The most connected authors/methods/datasets/concepts/metrics from (label, name, paper count) rows."""
    grouped: dict[str, list[tuple[int, str]]] = {section: [] for section in _TOP_SECTIONS.values()}
    for label, name, n in rows:
        if label in _TOP_SECTIONS:
            grouped[_TOP_SECTIONS[label]].append((n, name))
    return {section: [{"name": name, "papers": n} for n, name in
                      sorted(items, key=lambda item: (-item[0], item[1].casefold(), item[1]))[:TOP_N]]
            for section, items in grouped.items()}


def stats(graph: nx.MultiDiGraph) -> dict:
    """Counts per label and relationship type, plus the most connected entities of each type."""
    rows = ((d["label"], d["name"], d.get("papers", 0)) for _, d in graph.nodes(data=True) if d["label"] != PAPER)
    return {**graph_counts(graph), "top": top_entities(rows)}
