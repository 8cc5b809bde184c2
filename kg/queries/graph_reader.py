"""A networkx graph as a reader for kg.queries.related: for graphs already in memory (hand-built test
graphs, a view's subgraph). It answers with the same semantics as the stores' indexed reads."""
from __future__ import annotations

import networkx as nx

from ..graph.rows import index_terms
from ..graph.schema import AUTHORED, PAPER, VARIANT_OF


class GraphReader:
    def __init__(self, graph: nx.MultiDiGraph):
        self.graph = graph
        self._terms: dict[str, set[str]] = {}
        for nid, data in graph.nodes(data=True):
            for term in index_terms(data):
                self._terms.setdefault(term, set()).add(nid)

    def nodes_with_terms(self, terms, limit):
        sets = [self._terms.get(t, set()) for t in set(terms)]
        found = set.intersection(*sets) if sets else set()
        return sorted(found)[:limit]

    def terms_near(self, prefix):
        return sorted(t for t in self._terms if t.startswith(prefix))

    def match_names(self, ids):
        out = {}
        for nid in ids:
            data = self.graph.nodes[nid]
            names = [data["title"]] if data["label"] == PAPER else [data.get("name") or data["key"],
                                                                      *(data.get("aliases") or [])]
            out[nid] = (data["label"], names)
        return out

    def names_of(self, ids):
        out = {}
        for nid in ids:
            data = self.graph.nodes[nid]
            out[nid] = (data["label"], data.get("title") or data.get("name") or data["key"],
                        0 if data["label"] == PAPER else data.get("papers", 0))
        return out

    def _paper_links(self, paper: str):
        for _, other, rel in self.graph.out_edges(paper, keys=True):
            yield paper, other, rel
        for other, _, rel in self.graph.in_edges(paper, keys=True):
            if rel == AUTHORED:
                yield paper, other, rel

    def links_of_papers(self, ids):
        return [row for p in sorted(set(ids)) if p in self.graph for row in self._paper_links(p)]

    def strongest_links(self, node, limit):
        from .related import link_strength

        rows = sorted(((p, rel) for p, _n, rel in self.papers_of_nodes([node])), key=lambda r: (-link_strength(r[1]), r[0]))
        return rows[:limit]

    def papers_of_nodes(self, ids):
        rows = []
        for nid in sorted(set(ids)):
            for paper, _, rel in self.graph.in_edges(nid, keys=True):
                if rel != VARIANT_OF:  # entity → entity, not a paper's link
                    rows.append((paper, nid, rel))
            for _, paper, rel in self.graph.out_edges(nid, keys=True):
                if rel == AUTHORED:
                    rows.append((paper, nid, rel))
        return rows

    def variant_pairs(self, ids):
        pairs = set()
        for nid in set(ids):
            if nid in self.graph:
                pairs.update((nid, p) for _, p, rel in self.graph.out_edges(nid, keys=True) if rel == VARIANT_OF)
                pairs.update((v, nid) for v, _, rel in self.graph.in_edges(nid, keys=True) if rel == VARIANT_OF)
        return sorted(pairs)
    def topic_names_of(self, ids):
        """An in-memory graph has no stored topics."""
        return {}
