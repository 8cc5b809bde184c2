"""What the whole-corpus map draws (`kg map`): at most `max_nodes` nodes and `max_edges` links, and what was cut.

Entities (methods, datasets, concepts) come first, most papers first: they are what topics are made of. The
rest of the budget goes to the papers best connected to the kept entities. Authors are not drawn (a paper's
tooltip names them). Links are the kept papers' links to kept entities, strongest first: a proposal over an
evaluation over a use over an "about", a curated-KB match over an extracted one, and links to specific
entities over links to hubs (a link to an entity in 10,000 papers says little about where a paper belongs);
the weight is type × KB bonus / log2(2 + the entity's papers), one link per paper and entity. Whatever
the cap, each paper keeps its strongest link and each entity its three strongest.
"""
from __future__ import annotations

import math
from collections import Counter
from operator import itemgetter

from ..graph.schema import ABOUT, EVALUATED_ON, PAPER, PROPOSES, USES
from ..store.field_reads import best_connected_papers, entity_links_of_papers, one_evidence, paper_cards, top_entities

MAX_NODES = 20_000
MAX_EDGES = 100_000
TYPE_WEIGHT = {PROPOSES: 1.0, EVALUATED_ON: 0.8, USES: 0.7, ABOUT: 0.6}
KB_BONUS = 1.25
ENTITY_LINKS = 3  # links every entity keeps whatever the cap (its strongest)


def read_field(store, max_nodes: int = MAX_NODES, max_edges: int = MAX_EDGES) -> dict:
    """{"nodes": [{"id", "label", "name", "papers", "authors", "date", "evidence"}],
    "edges": [(paper id, entity id, type, weight)], "cut": {...}} read in one snapshot."""
    with store.snapshot():
        entities, entity_total = top_entities(store, max_nodes)
        entity_ids = [e[0] for e in entities]
        papers, paper_total = best_connected_papers(store, entity_ids, max_nodes - len(entities))
        paper_ids = [p for p, _ in papers]
        links = entity_links_of_papers(store, paper_ids)
        cards = paper_cards(store, paper_ids)
        evidence = one_evidence(store, entity_ids)
    denominator = {nid: math.log2(2 + max(n, 0)) for nid, _, _, n in entities}
    strongest: dict[tuple[str, str], tuple] = {}
    for paper, node, rel, kb in links:
        if node in denominator:
            weight = round(TYPE_WEIGHT.get(rel, 0.5) * (KB_BONUS if kb else 1.0) / denominator[node], 6)
            if (paper, node) not in strongest or weight > strongest[(paper, node)][3]:
                strongest[(paper, node)] = (paper, node, rel, weight)
    edges = sorted(strongest.values(), key=itemgetter(3), reverse=True)  # stable: ties keep read order
    kept_edges = capped(edges, max_edges)
    nodes = [{"id": nid, "label": label, "name": name, "papers": n, "evidence": evidence.get(nid)}
             for nid, label, name, n in entities]
    for paper, links_kept in papers:
        title, authors, date = cards.get(paper, (paper, [], None))
        nodes.append({"id": paper, "label": PAPER, "name": title, "papers": links_kept, "authors": authors,
                      "date": date})
    cut = {"max_nodes": max_nodes, "max_edges": max_edges,
           "entities": [len(entities), entity_total], "papers": [len(papers), paper_total],
           "edges": [len(kept_edges), len(edges)], "authors_drawn": False}
    return {"nodes": nodes, "edges": kept_edges, "cut": cut}


def capped(edges: list[tuple], cap: int) -> list[tuple]:
    """At most `cap` of the (paper, entity, type, weight) edges, strongest first, but every paper keeps its
    strongest link and every entity its ENTITY_LINKS strongest ones: weights favour specific entities, and
    without this the biggest hubs would lose every link and float alone on the map."""
    if len(edges) <= cap:
        return edges
    papers, per_entity, first = set(), Counter(), []
    for i, (paper, entity, _, _) in enumerate(edges):
        if paper not in papers or per_entity[entity] < ENTITY_LINKS:
            papers.add(paper)
            per_entity[entity] += 1
            first.append(i)
    keep = set(first[:cap])
    for i in range(len(edges)):
        if len(keep) >= cap:
            break
        keep.add(i)
    return [edges[i] for i in sorted(keep)]

