"""`kg related TERM`: resolve a fuzzy term to nodes, then rank what is connected to them, with reasons.

Plain functions over a networkx graph (the local store's, or the neighbourhood a Neo4j backend pulls),
so both backends rank with the same code and give the same answers.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import networkx as nx

from ..graph.schema import AUTHOR, CONCEPT, DATASET, METHOD, PAPER
from ..ingest.text import fold

MIN_MATCH = 0.75
SECTIONS = {PAPER: "papers", METHOD: "methods", DATASET: "datasets", CONCEPT: "concepts", AUTHOR: "authors"}


def display_name(data: dict) -> str:
    return data.get("title") or data.get("name") or data.get("key", "")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def match_score(term: str, candidate: str) -> float:
    """1.0 exact, 0.95 whole words contained, 0.85 substring, else character similarity of words."""
    t, c = fold(term), fold(candidate)
    if not t or not c:
        return 0.0
    if t == c:
        return 1.0
    tw, cw = _words(term), _words(candidate)
    if tw and all(w in cw for w in tw):
        return 0.95 - 0.05 * min(1.0, (len(cw) - len(tw)) / 10)
    if len(t) >= 3 and t in c:
        return 0.85
    best = max((SequenceMatcher(None, t, w).ratio() for w in cw + [c]), default=0.0)
    return round(best * 0.9, 4)


def candidate_names(data: dict) -> list[str]:
    names = [display_name(data)]
    names += data.get("aliases") or []
    return [n for n in names if n]


def resolve(graph: nx.MultiDiGraph, term: str, limit: int = 10) -> list[tuple[str, float]]:
    """Nodes whose title, name or alias matches the term, best first (ties broken by id for stability)."""
    scored = []
    for nid, data in graph.nodes(data=True):
        score = max((match_score(term, name) for name in candidate_names(data)), default=0.0)
        if score >= MIN_MATCH:
            scored.append((nid, score))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]


@dataclass
class _Tally:
    score: float = 0.0
    reasons: dict[str, set] = field(default_factory=lambda: defaultdict(set))


def _specificity(graph: nx.MultiDiGraph, nid: str) -> float:
    """Rare entities say more about relatedness than ubiquitous ones (inverse log paper count)."""
    return 1.0 / math.log2(2 + graph.nodes[nid].get("papers", 1))


def _neighbours(graph: nx.MultiDiGraph, nid: str) -> set[str]:
    return set(graph.successors(nid)) | set(graph.predecessors(nid))


def related(graph: nx.MultiDiGraph, term: str, limit: int = 10) -> dict:
    """Ranked related papers, methods, datasets, concepts and authors for `term`, each with reasons."""
    return rank_related_in(graph, term, resolve(graph, term), limit)


def rank_related_in(graph: nx.MultiDiGraph, term: str, matches: list[tuple[str, float]], limit: int = 10) -> dict:
    """Rank around already-resolved matches; `graph` only needs the 3-hop neighbourhood of the matches."""
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    matched = {nid for nid, _ in matches}
    for seed, match in matches:
        seed_name = display_name(graph.nodes[seed])
        seed_papers = [seed] if graph.nodes[seed]["label"] == PAPER else [
            n for n in _neighbours(graph, seed) if graph.nodes[n]["label"] == PAPER]
        for paper in seed_papers:
            if paper not in matched:  # matches are listed as matches, not again as related papers
                tally = tallies[paper]
                tally.score += match
                tally.reasons[_link_reason(graph, seed)].add(seed_name)
            for node in _neighbours(graph, paper):  # entities and authors of the matching papers
                if node in matched:
                    continue
                weight = match * _specificity(graph, node)
                tally = tallies[node]
                tally.score += weight
                why = "wrote matching paper" if graph.nodes[node]["label"] == AUTHOR else "in matching paper"
                tally.reasons[why].add(display_name(graph.nodes[paper]))
                for other in _neighbours(graph, node):  # other papers sharing that entity or author
                    if other in matched or other in seed_papers or graph.nodes[other]["label"] != PAPER:
                        continue
                    tally = tallies[other]
                    tally.score += weight
                    tally.reasons[_share_reason(graph.nodes[node]["label"])].add(display_name(graph.nodes[node]))
    return _rank(graph, term, matches, tallies, limit)


def _link_reason(graph: nx.MultiDiGraph, seed: str) -> str:
    label = graph.nodes[seed]["label"]
    return "written by" if label == AUTHOR else f"mentions {label.lower()}"


def _share_reason(label: str) -> str:
    return "co-author" if label == AUTHOR else f"shares {label.lower()}"


def _rank(graph, term, matches, tallies, limit) -> dict:
    result = {"query": term, "matches": [
        {"id": nid, "label": graph.nodes[nid]["label"], "name": display_name(graph.nodes[nid]), "score": round(s, 3)}
        for nid, s in matches]}
    for label, section in SECTIONS.items():
        rows = [(nid, t) for nid, t in tallies.items() if graph.nodes[nid]["label"] == label]
        rows.sort(key=lambda item: (-round(item[1].score, 6), display_name(graph.nodes[item[0]]), item[0]))
        result[section] = [
            {"id": nid, "name": display_name(graph.nodes[nid]), "score": round(t.score, 3),
             "reason": "; ".join(f"{why}: {', '.join(sorted(what)[:3])}" + (" …" if len(what) > 3 else "")
                                 for why, what in sorted(t.reasons.items()))}
            for nid, t in rows[:limit]]
    return result
