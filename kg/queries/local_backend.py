"""Queries answered by the embedded SQLite store, through its indexed reads."""
from __future__ import annotations

import networkx as nx

from ..store.local import LocalStore
from . import listing
from .neighbourhood import canned_graph, view_around
from .related import related as rank_related
from .related import resolve


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

    def links_of_papers(self, ids, with_attrs: bool = False):
        return self.store.links_of_papers(ids, with_attrs=with_attrs)

    def strongest_links(self, node, limit):
        return self.store.strongest_links(node, limit)

    def strongest_links_of(self, ids, limit):
        return self.store.strongest_links_of(ids, limit)

    def variant_pairs(self, ids):
        return self.store.variant_pairs(ids)

    def topic_names_of(self, ids):
        return self.store.topic_names_of(ids)

    # commands
    def trends(self, term: str | None, limit: int, min_papers: int) -> dict:
        from .trends import corpus_trends, term_trend

        return term_trend(self.store, self, term) if term else corpus_trends(self.store, limit, min_papers)

    def stats(self) -> dict:
        rows = [(label, name, n) for label in listing.TOP_LABELS for name, n in self.store.top_nodes(label, listing.TOP_N)]
        return {**self.store.counts(), "top": listing.top_entities(rows)}

    def papers(self, limit: int | None = None):
        for attrs, links, topic in self.store.iter_paper_records(limit):
            yield listing.record_from(attrs, links, topic)

    def related(self, term: str, limit: int = 10) -> dict:
        return rank_related(self, term, limit)

    def graph_around(self, term: str, hops: int = 2, fan_out: int = 300, cut=None) -> tuple[nx.MultiDiGraph, list[str]]:
        centers = [nid for nid, _ in resolve(self, term)]
        return view_around(self, centers, hops, fan_out, cut), centers

    def link_attrs(self, rows) -> list[tuple]:
        return self.store.link_attrs(rows)

    def graph_of(self, node_ids, links) -> nx.MultiDiGraph:
        return self.store.graph_of(node_ids, links)

    def run_canned(self, query, params: dict) -> list[dict]:
        from .canned import run_local

        graph = top_graph(self, params) if query.name == "top-entities" else canned_graph(self, query, params)
        return run_local(query, graph, params)

    def close(self) -> None:
        self.store.close()


def top_graph(backend, params: dict) -> nx.MultiDiGraph:
    """The most connected nodes of one label (ties at the cut included): all top-entities reads."""
    graph = nx.MultiDiGraph()
    label = str(params.get("label", "")).capitalize()
    names = backend.store.top_nodes(label, max(1, int(params.get("limit", 10))))
    ids = [f"{label.lower()}:{key}" for key in backend.store.keys_named(label, [name for name, _ in names])]
    for nid, attrs in backend.store.attrs_of(ids).items():
        graph.add_node(nid, **attrs)
    return graph
