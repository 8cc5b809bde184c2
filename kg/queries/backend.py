"""Where queries read the graph from: the embedded store (default) or a Neo4j server. Same answers from both.

Both backends are *readers* for kg.queries.related (five indexed questions) and add stats, papers, the
neighbourhood a view draws, and canned queries. Nothing here reads the whole graph.
"""
from __future__ import annotations

import os

from ..store.local import LocalStore
from .local_backend import LocalBackend


def open_backend(store: LocalStore, neo4j: bool = False):
    """`neo4j=True` or KG_BACKEND=neo4j selects the server; anything else the local store."""
    if neo4j or os.environ.get("KG_BACKEND", "").lower() == "neo4j":
        from .neo4j_backend import Neo4jBackend

        return Neo4jBackend.from_env()
    return LocalBackend(store)


__all__ = ["LocalBackend", "open_backend"]
