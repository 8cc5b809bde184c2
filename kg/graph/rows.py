"""The graph as rows: a paper's node and links, and the author/entity nodes tallied over papers.

Pure functions shared by the networkx builder (small graphs, views, tests) and the embedded store (which
writes the rows without ever holding the whole graph). Papers are visited in id order wherever a first
occurrence decides something, so the result never depends on the order papers were loaded in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from ..extract.model import EntityHit
from ..ingest.model import Paper
from ..ingest.text import author_key, fold
from .schema import AUTHOR, AUTHORED, PAPER, node_id, split_node_id


def clean(attrs: dict) -> dict:
    """Neo4j cannot store null, and an absent property reads back the same as None: drop them."""
    return {k: v for k, v in attrs.items() if v is not None}


def paper_attrs(paper: Paper) -> dict:
    return clean({
        "label": PAPER, "key": paper.id, "title": paper.title, "authors": list(paper.authors),
        "abstract": paper.abstract, "date": paper.date, "url": paper.url, "venue": paper.venue,
        "badge": paper.badge, "author_count": paper.author_count, "upvotes": paper.upvotes,
        "sources": [f"{s.file}:{s.line}" for s in paper.sources],
    })


def edge_attrs(hit: EntityHit) -> dict:
    best = max(hit.evidence, key=lambda e: e.confidence) if hit.evidence else None
    return clean({
        "type": hit.relation, "confidence": round(hit.confidence, 4), "count": len(hit.evidence),
        "aliases": sorted(set(hit.aliases)), "rule": best.rule if best else None,
        "evidence": [e.to_dict() for e in hit.evidence],
        "variant_of": node_id(*hit.variant_of[:2]) if hit.variant_of else None,
        "variant_of_name": hit.variant_of[2] if hit.variant_of else None,
    })


def paper_links(paper: Paper, hits: Iterable[EntityHit]) -> list[tuple[str, str, dict]]:
    """(node id, relationship type, attrs) of every link of one paper: its authors, then its entities."""
    links, seen = [], set()
    for position, name in enumerate(paper.authors):
        aid = node_id(AUTHOR, author_key(name))
        if aid not in seen:
            seen.add(aid)
            links.append((aid, AUTHORED, {"type": AUTHORED, "position": position}))
    for hit in hits:
        links.append((node_id(hit.type, hit.key), hit.relation, edge_attrs(hit)))
    return links


def link_variants(links: Iterable[tuple[str, str, dict]]) -> dict[tuple[str, str], str]:
    """(variant node id, parent node id) → the parent's display name, for every link of one paper whose
    entity is a whole name built on a known one (link attrs `variant_of`, `variant_of_name`)."""
    pairs: dict[tuple[str, str], str] = {}
    for other, _rel, attrs in links:
        parent = attrs.get("variant_of")
        if parent and parent != other:
            pairs.setdefault((other, parent), attrs.get("variant_of_name") or split_node_id(parent)[1])
    return pairs


def entity_attrs(label: str, key: str, name: str, kb: bool, aliases, papers: int, parents=()) -> dict:
    """An entity node's properties, the same whichever way the graph is built: `variant_of` (sorted parent
    node ids) only on variants."""
    attrs = {"label": label, "key": key, "name": name, "kb": bool(kb), "aliases": sorted(aliases), "papers": papers}
    if parents:
        attrs["variant_of"] = sorted(parents)
    return attrs


@dataclass
class _Node:
    attrs: dict
    aliases: set = field(default_factory=set)
    papers: set = field(default_factory=set)
    parents: set = field(default_factory=set)


class NodeTally:
    """Author and entity nodes accumulated paper by paper (feed papers in id order)."""

    def __init__(self):
        self.nodes: dict[str, _Node] = {}
        self.parent_names: dict[str, tuple[str, str, str]] = {}  # parent id → first (paper, variant, name)

    def add(self, paper: Paper, hits: Iterable[EntityHit]) -> None:
        for name in paper.authors:
            aid = node_id(AUTHOR, author_key(name))
            node = self.nodes.get(aid)
            if node is None:
                node = self.nodes[aid] = _Node({"label": AUTHOR, "key": author_key(name), "name": name})
            node.papers.add(paper.id)
        for hit in hits:
            eid = node_id(hit.type, hit.key)
            from_kb = any(e.rule.startswith("kb:") for e in hit.evidence)
            node = self.nodes.get(eid)
            if node is None:
                node = self.nodes[eid] = _Node({"label": hit.type, "key": hit.key, "name": hit.name, "kb": from_kb})
            node.attrs["kb"] = node.attrs["kb"] or from_kb
            node.aliases.update(hit.aliases)
            node.papers.add(paper.id)
        for (variant, parent), name in link_variants(paper_links(paper, hits)).items():
            self.nodes[variant].parents.add(parent)
            self.parent_names[parent] = min(self.parent_names.get(parent, (paper.id, variant, name)),
                                            (paper.id, variant, name))

    def items(self) -> Iterable[tuple[str, dict]]:
        """(node id, attrs) with `papers` (the number of linked papers) and, for entities, sorted aliases."""
        for nid, node in self.nodes.items():
            attrs = dict(node.attrs)
            if attrs["label"] == AUTHOR:
                yield nid, {**attrs, "papers": len(node.papers)}
            else:
                yield nid, entity_attrs(attrs["label"], attrs["key"], attrs["name"], attrs["kb"], node.aliases,
                                        len(node.papers), node.parents)
        for nid, (_paper, _variant, name) in sorted(self.parent_names.items()):
            if nid not in self.nodes:  # a parent no paper links: it exists for its variants
                label, key = split_node_id(nid)
                yield nid, entity_attrs(label, key, name, False, (), 0)


_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The lookup words of a name or title: folded, split on anything that is not a letter or digit."""
    return _WORD.findall(fold(text))


def index_terms(attrs: dict) -> set[str]:
    """Words a node can be found by: its title or name and every alias; acronyms with their letters
    joined too ("R-CNN" → "r", "cnn", "rcnn")."""
    names = [attrs.get("title") or attrs.get("name") or "", *(attrs.get("aliases") or [])]
    if attrs.get("label") != "Paper":
        names.append(attrs.get("key") or "")
    terms: set[str] = set()
    for name in names:
        found = words(name)
        terms.update(found)
        if len(found) > 1 and any(ch.isupper() for ch in name) and len(name) <= 24 and " " not in name.strip():
            terms.add("".join(found))
    return terms
