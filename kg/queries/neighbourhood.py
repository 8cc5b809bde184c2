"""Bounded neighbourhoods for views and canned queries, read through either backend's indexed link reads."""
from __future__ import annotations

import networkx as nx

from ..graph.build import add_paper_links
from ..graph.schema import AUTHORED, VARIANT_OF, split_node_id


def view_around(backend, centers: list[str], hops: int, fan_out: int, cut=None) -> nx.MultiDiGraph:
    """The graph a view draws. Without `cut`, the whole bounded neighbourhood with every property. With `cut`
    (graph, centers → the subgraph to show), the neighbourhood is read light (the last hop without properties,
    nodes by id only), cut, and only what survives the cut is read in full: a view of a hub reads the
    properties of a few hundred nodes and links, not of the tens of thousands around it."""
    if cut is None:
        return neighbourhood(backend, centers, hops, fan_out)
    return hydrated(backend, cut(neighbourhood(backend, centers, hops, fan_out, light=True), centers))


def hydrated(backend, sub: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """`sub` with every node's and link's properties read from the backend (the cut's notes kept)."""
    rows = []
    for u, v, rel in sub.edges(keys=True):
        rows.append((v, u, rel) if rel == AUTHORED else (u, v, rel))
    graph = backend.graph_of(sub.nodes, backend.link_attrs(rows))
    graph.graph.update(sub.graph)
    return graph


def light_graph(node_ids, links) -> nx.MultiDiGraph:
    """Nodes with their label only (from the id), links with what was read of them: enough to cut a view."""
    graph = nx.MultiDiGraph()
    links = list(links)
    for nid in set(node_ids) | {l[0] for l in links} | {l[1] for l in links}:
        graph.add_node(nid, label=split_node_id(nid)[0])
    for row in links:
        add_paper_links(graph, row[0], [(row[1], row[2], row[3] if len(row) > 3 else {"type": row[2]})])
    return graph


def neighbourhood(backend, centers: list[str], hops: int, fan_out: int, light: bool = False) -> nx.MultiDiGraph:
    """Centers and what lies within `hops`, read hop by hop; a node with more than `fan_out` links
    contributes its `fan_out` strongest (proposals, then authorship, then paper id: chosen by the backend's index,
    so a hub's other links are never read) and a paper its `fan_out` most confident, so a hub never drags in
    the whole graph. `light`: the last hop's links come without properties and nodes by id only (`light_graph`)."""
    kept_links: dict[tuple, tuple] = {}
    frontier, seen = set(centers), set(centers)
    for hop in range(hops):
        papers = sorted(n for n in frontier if n.startswith("paper:"))
        others = sorted(n for n in frontier if not n.startswith("paper:"))
        last_light = light and hop == hops - 1
        rows = fetch_links(backend, papers, others, fan_out, with_attrs=not last_light)
        if last_light:  # links among nodes already reached can rank a view's rings: those get their properties
            inner = [r for r in rows if len(r) == 3 and r[0] in seen and r[1] in seen]
            rows = [r for r in rows if not (len(r) == 3 and r[0] in seen and r[1] in seen)] + backend.link_attrs(inner)
        by_end: dict[str, list] = {}
        for row in rows:
            end = row[0] if row[0] in frontier else row[1]
            by_end.setdefault(end, []).append(row)
        nxt = set()
        for end, items in by_end.items():
            items.sort(key=lambda r: (-float(r[3].get("confidence", 1.0)) if len(r) > 3 else -1.0, r[0], r[1], r[2]))
            for row in items[:fan_out]:
                kept_links[(row[0], row[1], row[2])] = row
                for nid in (row[0], row[1]):
                    if nid not in seen:
                        seen.add(nid)
                        nxt.add(nid)
        frontier = nxt
        if not frontier:
            break
    return light_graph(seen, kept_links.values()) if light else backend.graph_of(seen, kept_links.values())


def fetch_links(backend, paper_ids: list[str], node_ids: list[str], per_node: int, with_attrs: bool = True) -> list[tuple]:
    """Every link of some papers and each node's `per_node` strongest links (chosen by the backend's index, so a
    hub's other links are never read), with properties unless asked not to, and the nodes' VARIANT_OF pairs."""
    of_nodes = backend.strongest_links_of(node_ids, per_node)
    if with_attrs:
        of_nodes = backend.link_attrs(of_nodes)
    return (backend.links_of_papers(paper_ids, with_attrs=with_attrs) + of_nodes
            + variant_links(backend.variant_pairs(node_ids)))


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
