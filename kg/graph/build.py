"""Build the knowledge graph in networkx from merged papers and the extractor's hits."""
from __future__ import annotations

from collections import Counter
from typing import Iterable, Mapping

from ..extract.model import EntityHit
from ..ingest.model import Paper
from .rows import NodeTally, link_variants, paper_attrs, paper_links
from .schema import AUTHORED, LABELS, PAPER, REL_TYPES, VARIANT_OF, node_id


def build_graph(papers: Iterable[Paper], hits: Mapping[str, list[EntityHit]]):
    """One node per paper, author and canonical entity (and per parent of a variant, linked or not); AUTHORED
    plus one extracted edge per (paper, entity), and VARIANT_OF from each variant to its parent."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    tally = NodeTally()
    ordered = sorted(papers, key=lambda p: p.id)
    for paper in ordered:
        tally.add(paper, hits.get(paper.id, []))
    for paper in ordered:
        graph.add_node(node_id(PAPER, paper.id), **paper_attrs(paper))
    for nid, attrs in tally.items():
        graph.add_node(nid, **attrs)
    pairs = set()
    for paper in ordered:
        links = paper_links(paper, hits.get(paper.id, []))
        add_paper_links(graph, node_id(PAPER, paper.id), links)
        pairs.update(link_variants(links))
    add_variant_edges(graph, sorted(pairs))
    return graph


def add_variant_edges(graph, pairs: Iterable[tuple[str, str]]) -> None:
    """One VARIANT_OF edge per distinct (variant, parent) pair, however many papers name it."""
    for variant, parent in pairs:
        graph.add_edge(variant, parent, key=VARIANT_OF, type=VARIANT_OF)


def add_paper_links(graph, pid: str, links: Iterable[tuple[str, str, dict]]) -> None:
    """Links in the graph's own directions: AUTHORED runs author → paper, every other type paper → entity."""
    for other, rel_type, attrs in links:
        if rel_type == AUTHORED:
            graph.add_edge(other, pid, key=rel_type, **attrs)
        else:
            graph.add_edge(pid, other, key=rel_type, **attrs)


def graph_counts(graph) -> dict:
    """Nodes per label and relationships per type, every label/type present (zero when absent)."""
    nodes = Counter(data["label"] for _, data in graph.nodes(data=True))
    rels = Counter(k for _, _, k in graph.edges(keys=True))
    return {"nodes": {label: nodes.get(label, 0) for label in LABELS},
            "relationships": {rel: rels.get(rel, 0) for rel in REL_TYPES}}


def empty_counts() -> dict:
    return {"nodes": {label: 0 for label in LABELS}, "relationships": {rel: 0 for rel in REL_TYPES}}
