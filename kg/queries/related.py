"""`kg related TERM`: find what the term names, list its direct hits, then rank what is connected, with reasons.

Plain functions over a small *reader* (the embedded store or a Neo4j backend) that answers six indexed
questions: which nodes carry these words, their names, the papers of some nodes, the links of some papers,
the VARIANT_OF pairs of some nodes, index words near a misspelt one, and the topic names of some papers. Both backends answer them with the same semantics, so the ranking code
here is shared and gives the same answer on both.

Work is linear in what is read. Two caps keep hubs from taking over, and the output says when they applied:
- a match linked to more than SEED_PAPERS papers ranks from its SEED_PAPERS strongest links (PROPOSES first,
  then confidence, then id);
- an entity or author in more than HUB_PAPERS papers still counts as shared, but does not pull in every
  other paper it appears in (it would relate everything to everything);
- other papers are reached through the most telling shared entities first, reading at most SPREAD_LINKS links.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Protocol, Sequence

from ..graph.schema import AUTHOR, AUTHORED, CONCEPT, DATASET, METHOD, METRIC, PAPER, PROPOSES
from ..ingest.text import fold

MIN_MATCH = 0.75
MAX_MATCHES = 10
CANDIDATES = 2000
SEED_PAPERS = 300
HUB_PAPERS = 1000
SPREAD_LINKS = 5000
MAX_TERM_WORDS = 12
MAX_TERM_CHARS = 300
SECTIONS = {PAPER: "papers", METHOD: "methods", DATASET: "datasets", CONCEPT: "concepts", METRIC: "metrics",
            AUTHOR: "authors"}
VARIANT_WEIGHT = 0.9  # a variant's papers are direct hits of its parent, just below the parent's own
_LINK_STRENGTH = {PROPOSES: 3, AUTHORED: 2}  # tiers of a direct hit: proposes / title match, author's own, mentions
_TIER_PROPOSES = 3


def link_strength(rel: str) -> int:
    """How strongly a link ties a paper to a matched node: proposes 3, authored 2, mentions 1."""
    return _LINK_STRENGTH.get(rel, 1)


class Reader(Protocol):
    def nodes_with_terms(self, terms: Sequence[str], limit: int) -> list[str]: ...
    def terms_near(self, prefix: str) -> list[str]: ...
    def match_names(self, ids: Sequence[str]) -> dict[str, tuple[str, list[str]]]: ...
    def names_of(self, ids) -> dict[str, tuple[str, str, int]]: ...
    def papers_of_nodes(self, ids) -> list[tuple]: ...
    def links_of_papers(self, ids) -> list[tuple]: ...
    def strongest_links(self, node: str, limit: int) -> list[tuple[str, str]]: ...
    def variant_pairs(self, ids) -> list[tuple[str, str]]: ...
    def topic_names_of(self, ids) -> dict[str, str]: ...


def words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def match_score(term: str, candidate: str) -> float:
    """1.0 exact, about 0.95 every word of the term is a whole word of the candidate, else character
    similarity of whole words (a typo still matches; a fragment of a longer word does not)."""
    t, c = fold(term), fold(candidate)
    if not t or not c:
        return 0.0
    if t == c:
        return 1.0
    tw, cw = words(term), words(candidate)
    if tw and tw == cw:
        return 0.99
    if tw and all(w in cw for w in tw):
        return 0.95 - 0.05 * min(1.0, (len(cw) - len(tw)) / 10)
    if tw and "".join(tw) in ("".join(cw), "".join(w[:1] for w in cw)):
        return 0.9  # "R-CNN" written "RCNN"
    if len(tw) == 1:
        best = max((SequenceMatcher(None, tw[0], w).ratio() for w in cw), default=0.0)
    else:
        best = SequenceMatcher(None, " ".join(tw), " ".join(cw)).ratio()
    return round(best * 0.9, 4)


def resolve(reader: Reader, term: str, limit: int = MAX_MATCHES) -> list[tuple[str, float]]:
    """Nodes whose title, name or alias matches the term, best first (ties by id)."""
    wanted = words(term)[:MAX_TERM_WORDS]
    if not wanted:
        return []
    if len(term) > MAX_TERM_CHARS:  # a pasted paragraph is matched by its first words, in bounded time
        term = " ".join(wanted)
    ids = reader.nodes_with_terms(wanted, CANDIDATES)
    if not ids:
        ids = _with_a_misspelling(reader, wanted)
    scored = []
    for nid, (_label, names) in reader.match_names(ids).items():
        score = max((match_score(term, name) for name in names), default=0.0)
        if score >= MIN_MATCH:
            scored.append((nid, score))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]


def _with_a_misspelling(reader: Reader, wanted: list[str]) -> list[str]:
    """No node carries every word: read one word at a time as misspelt ("Kaimng He", "Sergey Levin") and
    take the first spelling, closest first, under which some node carries every word."""
    for i, word in enumerate(wanted):
        for term in _near_terms(reader, word):
            ids = reader.nodes_with_terms([*wanted[:i], term, *wanted[i + 1:]], CANDIDATES)
            if ids:
                return ids
    return []


def _near_terms(reader: Reader, word: str, most: int = 3) -> list[str]:
    """Index words within a small edit of `word` (or that it begins), closest first, itself excluded."""
    if len(word) < 4:
        return []
    scored = []
    for term in reader.terms_near(word[:2]):
        if term == word:
            continue
        score = SequenceMatcher(None, word, term).ratio()
        if term.startswith(word) and len(word) >= 5:
            score = max(score, 0.85)
        if score >= 0.8:
            scored.append((-score, term))
    return [term for _, term in sorted(scored)[:most]]


@dataclass
class _Tally:
    score: float = 0.0
    reasons: dict[str, set] = field(default_factory=lambda: defaultdict(set))


def _specificity(papers: int) -> float:
    """Rare entities say more about relatedness than ubiquitous ones (inverse log paper count)."""
    return 1.0 / math.log2(2 + max(papers, 1))


def _direct_reason(label: str, rel: str) -> str:
    if label == AUTHOR:
        return "written by"
    if rel == PROPOSES:
        return f"proposes {label.lower()}"
    return f"mentions {label.lower()}"


def related(reader: Reader, term: str, limit: int = 10) -> dict:
    """Direct hits (matching papers, an author's papers, papers proposing or using a matched entity) first,
    then ranked related papers, methods, datasets, concepts and authors, each with reasons."""
    matches = resolve(reader, term)
    info = reader.names_of([nid for nid, _ in matches])
    notes: list[str] = []
    direct: dict[str, _Tally] = defaultdict(_Tally)
    strength: dict[str, tuple[int, float]] = defaultdict(lambda: (0, 0.0))  # best (tier, match score)
    matched = {nid for nid, _ in matches}
    for nid, score in matches:
        label, name, _ = info[nid]
        if label == PAPER:
            direct[nid].score += score + 1.0
            direct[nid].reasons["matches title"].add(name)
            strength[nid] = max(strength[nid], (_TIER_PROPOSES, round(score, 6)))
    entity_matches = [(nid, s) for nid, s in matches if info[nid][0] != PAPER]
    seed_papers: dict[str, float] = {nid: s for nid, s in matches if info[nid][0] == PAPER}
    kin, seeds = _variants(reader, entity_matches, info, notes)
    for nid, score, why in seeds:
        label, name, papers = info[nid]
        if papers > SEED_PAPERS:
            notes.append(f"{name} is in {papers} papers: ranked from its {SEED_PAPERS} strongest links")
        for paper, rel in reader.strongest_links(nid, SEED_PAPERS):
            tally = direct[paper]
            tally.score += score * (1.0 + 0.1 * _LINK_STRENGTH.get(rel, 1))
            tally.reasons[why or _direct_reason(label, rel)].add(name)
            strength[paper] = max(strength[paper], (_LINK_STRENGTH.get(rel, 1), round(score, 6)))
            seed_papers[paper] = max(seed_papers.get(paper, 0.0), score)

    neighbour_links = reader.links_of_papers(list(seed_papers))
    around = {node for _, node, _ in neighbour_links if node not in matched}
    info.update(reader.names_of(around))
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for node, why, score, name in kin:  # a matched entity's variants and parents, whether or not they share papers
        tallies[node].score += score
        tallies[node].reasons[why].add(name)
    weight: dict[str, float] = defaultdict(float)
    paper_names = reader.names_of(seed_papers)
    for paper, node, _rel in neighbour_links:
        if node in matched:
            continue
        label, _name, papers = info[node]
        w = seed_papers[paper] * _specificity(papers)
        weight[node] += w
        tallies[node].score += w
        why = "wrote matching paper" if label == AUTHOR else "in matching paper"
        tallies[node].reasons[why].add(paper_names[paper][1])
    hubs = sorted(n for n in weight if info[n][2] > HUB_PAPERS)
    if hubs:
        notes.append(f"{len(hubs)} entities/authors in more than {HUB_PAPERS} papers do not relate papers "
                     f"(e.g. {info[hubs[0]][1]})")
    spread = _spreaders(weight, info, notes)
    for paper, node, _rel in reader.papers_of_nodes(spread):
        if paper in seed_papers or paper in matched:
            continue
        tally = tallies[paper]
        tally.score += weight[node]
        tally.reasons[_share_reason(info[node][0])].add(info[node][1])
    return _shape(reader, term, matches, info, direct, strength, tallies, limit, notes)


def _variants(reader: Reader, entity_matches: list[tuple[str, float]], info: dict, notes: list[str]):
    """The VARIANT_OF pairs of the matched entities: notes naming them; (node, reason, score, matched name) rows
    so each variant and parent is listed with its section; and the seeds whose papers are direct hits: the
    matches themselves, then (at most MAX_MATCHES) variants of matched parents, whose papers no longer link the
    parent ("Gumbel Tree-LSTM" papers for "Tree-LSTM")."""
    scores = dict(entity_matches)
    pairs = reader.variant_pairs(list(scores)) if scores else []
    info.update(reader.names_of({n for pair in pairs for n in pair} - set(info)))
    kin, extra = [], {}
    for nid, score in entity_matches:
        name = info[nid][1]
        parents = sorted({p for v, p in pairs if v == nid}, key=lambda n: (info[n][1], n))
        children = sorted({v for v, p in pairs if p == nid}, key=lambda n: (-info[n][2], info[n][1], n))
        unmatched = [p for p in parents if p not in scores]  # a matched parent's note names its variants
        if unmatched:
            notes.append(f"{name} is a variant of {_names(info, unmatched)}")
        if children:
            notes.append(f"{name} has {len(children)} variant{'s' if len(children) > 1 else ''}: "
                         f"{_names(info, children)}")
        kin += [(p, "parent of", score, name) for p in parents if p not in scores]
        kin += [(v, "variant of", score, name) for v in children if v not in scores]
        for v in children:
            if v not in scores and score * VARIANT_WEIGHT > extra.get(v, (0.0, ""))[0]:
                extra[v] = (score * VARIANT_WEIGHT, f"variant of {name}")
    chosen = sorted(extra, key=lambda v: (-info[v][2], v))[:MAX_MATCHES]
    return kin, [(nid, s, None) for nid, s in entity_matches] + [(v, *extra[v]) for v in sorted(chosen)]


def _names(info: dict, ids: list[str], most: int = 5) -> str:
    return ", ".join(info[n][1] for n in ids[:most]) + (" …" if len(ids) > most else "")


def _spreaders(weight: dict[str, float], info: dict, notes: list[str]) -> list[str]:
    """The shared entities and authors whose other papers are read, most telling first (highest weight: rare
    and in many matching papers), until SPREAD_LINKS links would be read: linear work even for a hub."""
    ranked = sorted((n for n in weight if info[n][2] <= HUB_PAPERS), key=lambda n: (-weight[n], n))
    chosen, budget = [], SPREAD_LINKS
    for node in ranked:
        if info[node][2] <= budget:
            chosen.append(node)
            budget -= info[node][2]
    if len(chosen) < len(ranked):
        notes.append(f"related papers come through the {len(chosen)} most specific of {len(ranked)} shared "
                     f"entities/authors (at most {SPREAD_LINKS} links read)")
    return chosen


def _share_reason(label: str) -> str:
    return "co-author" if label == AUTHOR else f"shares {label.lower()}"


def _reason_text(reasons: dict[str, set]) -> str:
    return "; ".join(f"{why}: {', '.join(sorted(what)[:3])}" + (" …" if len(what) > 3 else "")
                     for why, what in sorted(reasons.items()))


def _shape(reader, term, matches, info, direct, strength, tallies, limit, notes) -> dict:
    result = {"query": term, "matches": [
        {"id": nid, "label": info[nid][0], "name": info[nid][1], "score": round(s, 3)} for nid, s in matches],
        "notes": notes}
    direct_rows = sorted(direct.items(), key=lambda item: (-strength[item[0]][0], -strength[item[0]][1],
                                                           -round(item[1].score, 6), item[0]))
    direct_rows = direct_rows[:limit]
    paper_rows = sorted(((n, t) for n, t in tallies.items() if n.startswith("paper:")),
                        key=lambda item: (-round(item[1].score, 6), item[0]))[:max(0, limit - len(direct_rows))]
    other_rows = [(n, t) for n, t in tallies.items() if not n.startswith("paper:")]
    names = reader.names_of([n for n, _ in direct_rows] + [n for n, _ in paper_rows])
    topics = reader.topic_names_of([n for n, _ in direct_rows] + [n for n, _ in paper_rows])
    result["papers"] = [{"id": nid, "name": names[nid][1], "score": round(t.score, 3), "direct": True,
                         "reason": _reason_text(t.reasons), "topic": topics.get(nid)} for nid, t in direct_rows]
    result["papers"] += [{"id": nid, "name": names[nid][1], "score": round(t.score, 3), "direct": False,
                          "reason": _reason_text(t.reasons), "topic": topics.get(nid)} for nid, t in paper_rows]
    for label, section in SECTIONS.items():
        if label == PAPER:
            continue
        rows = sorted(((n, t) for n, t in other_rows if info[n][0] == label),
                      key=lambda item: (-round(item[1].score, 6), info[item[0]][1], item[0]))[:limit]
        result[section] = [{"id": nid, "name": info[nid][1], "score": round(t.score, 3),
                            "reason": _reason_text(t.reasons)} for nid, t in rows]
    return result
