"""Where queries read the graph from: the local store (default) or a Neo4j server. Same answers from both."""
from __future__ import annotations

import os

import networkx as nx

from ..store.local import LocalStore
from . import listing
from .related import related as rank_related


class LocalBackend:
    """The whole graph in memory, loaded from the store folder."""

    name = "local"

    def __init__(self, store: LocalStore):
        self.store = store
        self._graph: nx.MultiDiGraph | None = None

    @property
    def graph(self) -> nx.MultiDiGraph:
        if self._graph is None:
            self._graph = self.store.load_graph()
        return self._graph

    def stats(self) -> dict:
        return listing.stats(self.graph)

    def papers(self) -> list[dict]:
        return listing.papers(self.graph)

    def related(self, term: str, limit: int = 10) -> dict:
        return rank_related(self.graph, term, limit)

    def graph_around(self, term: str, hops: int = 2) -> nx.MultiDiGraph:
        """The whole graph: it is in memory already, and the view trims it around the matches."""
        return self.graph

    def run_canned(self, query, params: dict) -> list[dict]:
        from .canned import run_local

        return run_local(query, self.graph, params)

    def close(self) -> None:
        pass


def open_backend(store: LocalStore, neo4j: bool = False):
    """`neo4j=True` or KG_BACKEND=neo4j selects the server; anything else the local store."""
    if neo4j or os.environ.get("KG_BACKEND", "").lower() == "neo4j":
        from .neo4j_backend import Neo4jBackend

        return Neo4jBackend.from_env()
    return LocalBackend(store)
