"""Stores: the embedded local folder store (default) and Neo4j (kg.store.neo4j, loaded on request)."""
from .local import DEFAULT_STORE, LocalStore, default_store_path

__all__ = ["LocalStore", "DEFAULT_STORE", "default_store_path"]
