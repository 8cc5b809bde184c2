"""Where queries read the graph from: the embedded store (default) or a Neo4j server. Same answers from both.

Both backends are *readers* for kg.queries.related (five indexed questions) and add stats, papers, the
neighbourhood a view draws, and canned queries. Nothing here reads the whole graph.
"""
from __future__ import annotations

import os

import networkx as nx

from ..graph.schema import AUTHOR, CONCEPT, DATASET, METHOD, PAPER
from ..store.local import LocalStore
from . import listing
from .related import related as rank_related
from .related import resolve

TOP_LABELS = (METHOD, DATASET, CONCEPT, AUTHOR)


class LocalBackend:
    """Indexed reads of the embedded SQLite store."""

    name = "local"

    def __init__(self, store: LocalStore):
        self.store = store

    # the reader protocol of kg.queries.related
    def nodes_with_terms(self, terms, limit):
        return self.store.nodes_with_terms(terms, limit)

    def terms_near(self, prefix):
        return self.store.terms_near(prefix)

    def match_names(self, ids):
        return self.store.match_names(ids)

    def names_of(self, ids):
        return self.store.names_of(ids)

    def papers_of_nodes(self, ids):
        return self.store.papers_of_nodes(ids)

    def links_of_papers(self, ids):
        return self.store.links_of_papers(ids)

    # commands
    def stats(self) -> dict:
        rows = [(label, name, n) for label in TOP_LABELS for name, n in self.store.top_nodes(label, listing.TOP_N)]
        return {**self.store.counts(), "top": listing.top_entities(rows)}

    def papers(self, limit: int | None = None):
        for attrs, links in self.store.iter_paper_records(limit):
            yield listing.record_from(attrs, links)

    def related(self, term: str, limit: int = 10) -> dict:
        return rank_related(self, term, limit)

    def graph_around(self, term: str, hops: int = 2, fan_out: int = 300) -> tuple[nx.MultiDiGraph, list[str]]:
        centers = [nid for nid, _ in resolve(self, term)]
        return neighbourhood(self, centers, hops, fan_out), centers

    def fetch_links(self, paper_ids=(), node_ids=()) -> list[tuple]:
        return (self.store.links_of_papers(paper_ids, with_attrs=True)
                + self.store.papers_of_nodes(node_ids, with_attrs=True))

    def graph_of(self, node_ids, links) -> nx.MultiDiGraph:
        return self.store.graph_of(node_ids, links)

    def run_canned(self, query, params: dict) -> list[dict]:
        from .canned import run_local

        return run_local(query, canned_graph(self, query, params), params)

    def close(self) -> None:
        self.store.close()


def neighbourhood(backend, centers: list[str], hops: int, fan_out: int) -> nx.MultiDiGraph:
    """Centers and what lies within `hops`, read hop by hop; a node with more than `fan_out` links
    contributes its `fan_out` strongest (confidence, then id), so a hub never drags in the whole graph."""
    kept_links: dict[tuple, tuple] = {}
    frontier, seen = set(centers), set(centers)
    for _ in range(hops):
        papers = sorted(n for n in frontier if n.startswith("paper:"))
        others = sorted(n for n in frontier if not n.startswith("paper:"))
        rows = backend.fetch_links(papers, others)
        by_end: dict[str, list] = {}
        for row in rows:
            end = row[0] if row[0] in frontier else row[1]
            by_end.setdefault(end, []).append(row)
        nxt = set()
        for end, items in by_end.items():
            items.sort(key=lambda r: (-float(r[3].get("confidence", 1.0)), r[0], r[1], r[2]))
            for row in items[:fan_out]:
                kept_links[(row[0], row[1], row[2])] = row
                for nid in (row[0], row[1]):
                    if nid not in seen:
                        seen.add(nid)
                        nxt.add(nid)
        frontier = nxt
        if not frontier:
            break
    return backend.graph_of(seen, kept_links.values())


def canned_graph(backend, query, params: dict) -> nx.MultiDiGraph:
    """The part of the graph a canned query's local twin reads: the nodes its parameters name and their
    neighbourhood (two hops, or the path length for shortest-path); top-entities reads only counts."""
    from .twins import MAX_PATH_HOPS

    if query.name == "top-entities":
        return top_graph(backend, params)
    terms = [str(v) for k, v in params.items() if k != "limit" and isinstance(v, str)]
    centers = sorted({nid for term in terms for nid, _ in resolve_loose(backend, term)})
    hops = int(params.get("max_hops", MAX_PATH_HOPS)) if query.name == "shortest-path" else 2
    return neighbourhood(backend, centers, hops, fan_out=10**9)


def resolve_loose(backend, term: str) -> list[tuple[str, float]]:
    """Every node carrying all words of the term: the twins then apply their own exact matching."""
    from .related import CANDIDATES, words

    ids = backend.nodes_with_terms(words(term), CANDIDATES) if words(term) else []
    return [(nid, 1.0) for nid in ids]


def top_graph(backend, params: dict) -> nx.MultiDiGraph:
    """The most connected nodes of one label (ties at the cut included): all top-entities reads."""
    graph = nx.MultiDiGraph()
    label = str(params.get("label", "")).capitalize()
    names = backend.store.top_nodes(label, max(1, int(params.get("limit", 10))))
    ids = [f"{label.lower()}:{key}" for key in backend.store.keys_named(label, [name for name, _ in names])]
    for nid, attrs in backend.store.attrs_of(ids).items():
        graph.add_node(nid, **attrs)
    return graph


def open_backend(store: LocalStore, neo4j: bool = False):
    """`neo4j=True` or KG_BACKEND=neo4j selects the server; anything else the local store."""
    if neo4j or os.environ.get("KG_BACKEND", "").lower() == "neo4j":
        from .neo4j_backend import Neo4jBackend

        return Neo4jBackend.from_env()
    return LocalBackend(store)


__all__ = ["LocalBackend", "open_backend", "neighbourhood", "PAPER"]
