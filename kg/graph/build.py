"""Build the knowledge graph in networkx from merged papers and the extractor's hits."""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Mapping

import networkx as nx

from ..extract.model import EntityHit
from ..ingest.model import Paper
from ..ingest.text import author_key
from .schema import AUTHOR, AUTHORED, LABELS, PAPER, REL_TYPES, node_id


def _clean(attrs: dict) -> dict:
    """Neo4j cannot store null, and an absent property reads back the same as None: drop them."""
    return {k: v for k, v in attrs.items() if v is not None}


def _paper_attrs(paper: Paper) -> dict:
    return _clean({
        "label": PAPER, "key": paper.id, "title": paper.title, "authors": list(paper.authors),
        "abstract": paper.abstract, "date": paper.date, "url": paper.url, "venue": paper.venue,
        "badge": paper.badge, "author_count": paper.author_count, "upvotes": paper.upvotes,
        "sources": [f"{s.file}:{s.line}" for s in paper.sources],
    })


def _add_entity(graph: nx.MultiDiGraph, hit: EntityHit) -> str:
    nid = node_id(hit.type, hit.key)
    from_kb = any(e.rule.startswith("kb:") for e in hit.evidence)
    if nid not in graph:
        graph.add_node(nid, label=hit.type, key=hit.key, name=hit.name, aliases=sorted(set(hit.aliases)), kb=from_kb)
    else:
        node = graph.nodes[nid]
        node["aliases"] = sorted(set(node["aliases"]) | set(hit.aliases))
        node["kb"] = node["kb"] or from_kb
    return nid


def _edge_attrs(hit: EntityHit) -> dict:
    best = max(hit.evidence, key=lambda e: e.confidence) if hit.evidence else None
    return _clean({
        "type": hit.relation, "confidence": round(hit.confidence, 4), "count": len(hit.evidence),
        "aliases": sorted(set(hit.aliases)), "rule": best.rule if best else None,
        "evidence": [e.to_dict() for e in hit.evidence],
    })


def build_graph(papers: Iterable[Paper], hits: Mapping[str, list[EntityHit]]) -> nx.MultiDiGraph:
    """One node per paper, author and canonical entity; AUTHORED plus one extracted edge per (paper, entity)."""
    graph = nx.MultiDiGraph()
    for paper in papers:
        pid = node_id(PAPER, paper.id)
        graph.add_node(pid, **_paper_attrs(paper))
        for position, name in enumerate(paper.authors):
            aid = node_id(AUTHOR, author_key(name))
            if aid not in graph:
                graph.add_node(aid, label=AUTHOR, key=author_key(name), name=name)
            if not graph.has_edge(aid, pid, key=AUTHORED):
                graph.add_edge(aid, pid, key=AUTHORED, type=AUTHORED, position=position)
        for hit in hits.get(paper.id, []):
            eid = _add_entity(graph, hit)
            graph.add_edge(pid, eid, key=hit.relation, **_edge_attrs(hit))
    _set_mention_counts(graph)
    return graph


def _set_mention_counts(graph: nx.MultiDiGraph) -> None:
    """`papers` on entity and author nodes: how many papers link to them (used for ranking, shown in views)."""
    for nid, data in graph.nodes(data=True):
        if data["label"] != PAPER:
            data["papers"] = len({n for n in nx.all_neighbors(graph, nid) if graph.nodes[n]["label"] == PAPER})


def graph_counts(graph: nx.MultiDiGraph) -> dict:
    """Nodes per label and relationships per type, every label/type present (zero when absent)."""
    nodes = Counter(data["label"] for _, data in graph.nodes(data=True))
    rels = Counter(k for _, _, k in graph.edges(keys=True))
    return {"nodes": {label: nodes.get(label, 0) for label in LABELS},
            "relationships": {rel: rels.get(rel, 0) for rel in REL_TYPES}}
