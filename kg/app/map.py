"""`kg map`: one offline page of the whole corpus, topics as coloured regions (read → topics → layout → page)."""
from __future__ import annotations

import os
import time

from ..errors import KgError
from ..queries.field import MAX_EDGES, MAX_NODES, read_field
from ..viz.field_map import field_map_html
from ..viz.html import write_page
from .topics import current_topics


def write_map(store, out_path: str | os.PathLike, *, max_nodes: int = MAX_NODES, max_edges: int = MAX_EDGES,
              title: str = "kg map") -> dict:
    """Read the map's nodes, find their topics, write the page; returns a summary (nodes, edges, topics, cut,
    path, seconds)."""
    start = time.perf_counter()
    data = read_field(store, max_nodes=max_nodes, max_edges=max_edges)
    if not data["nodes"]:
        raise KgError("the store has no papers or entities; nothing to draw (run `kg load` first)")
    topics, assignment = _topics_for(store, [n["id"] for n in data["nodes"]])
    html, stats = field_map_html(data["nodes"], data["edges"], topics, assignment, title=title, cut=data["cut"])
    out = write_page(out_path, html)
    return {"path": str(out), "nodes": stats["nodes"], "edges": stats["edges"], "topics": stats["topics"],
            "cut": data["cut"], "bytes": out.stat().st_size, "seconds": round(time.perf_counter() - start, 2)}


def _topics_for(store, node_ids: list[str]) -> tuple[list, dict[str, int]]:
    """(topics, node id → topic id): the store's topics, computed first when a load made them stale."""
    current = current_topics(store)
    members = current.get("members")
    if members is None:
        return current["topics"], store.topic_of_nodes(node_ids)
    return current["topics"], {n: members[n] for n in node_ids if n in members}
