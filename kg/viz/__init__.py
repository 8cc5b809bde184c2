"""Offline, interactive HTML views of the graph (vis-network as shipped in pyvis, inlined)."""
from kg.viz.ego import ego_subgraph
from kg.viz.page import render_page

__all__ = ["ego_subgraph", "render_page"]
