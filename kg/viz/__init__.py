"""Offline, interactive HTML views of the graph: ego pages (vis-network as shipped in pyvis) and the whole-corpus
map (sigma.js), every script inlined. Names load on first use, so `kg map` never imports pyvis."""
from __future__ import annotations

__all__ = ["ego_subgraph", "render_page"]


def __getattr__(name: str):
    if name == "render_page":
        from kg.viz.page import render_page

        return render_page
    if name == "ego_subgraph":
        from kg.viz.ego import ego_subgraph

        return ego_subgraph
    raise AttributeError(name)
