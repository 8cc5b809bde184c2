"""Queries over the graph: related, papers, stats and the canned Cypher queries (with local twins)."""
from .listing import paper_record, papers, stats
from .related import related, resolve

__all__ = ["related", "resolve", "papers", "paper_record", "stats"]
