"""Bounded neighbourhoods for views and canned queries, read through either backend's indexed link reads."""
from __future__ import annotations

import networkx as nx

from ..graph.schema import VARIANT_OF


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
    neighbourhood (two hops, or the path length for shortest-path)."""
    from .twins import MAX_PATH_HOPS

    terms = [str(v) for k, v in params.items() if k != "limit" and isinstance(v, str)]
    centers = sorted({nid for term in terms for nid in nodes_with_words(backend, term)})
    hops = int(params.get("max_hops", MAX_PATH_HOPS)) if query.name == "shortest-path" else 2
    return neighbourhood(backend, centers, hops, fan_out=10**9)


def nodes_with_words(backend, term: str) -> list[str]:
    """Every node carrying all words of the term: the twins then apply their own exact matching."""
    from .related import CANDIDATES, words

    wanted = words(term)
    return backend.nodes_with_terms(wanted, CANDIDATES) if wanted else []


def variant_links(pairs) -> list[tuple]:
    """VARIANT_OF pairs as link rows (variant first, like a paper's links): a view draws them, and a canned
    query's twin walks them as the Cypher does."""
    return [(variant, parent, VARIANT_OF, {"type": VARIANT_OF}) for variant, parent in pairs]
