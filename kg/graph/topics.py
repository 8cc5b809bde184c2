"""Topics: communities of the entity co-occurrence graph, with names, sizes, authors and trends.

Pure functions over plain inputs (papers, their entity links, authors and years), so the store, the bench and
the tests share one computation. Steps:

1. The co-occurrence graph: methods, datasets and concepts as nodes, an edge for every pair that shares a
   paper. Its weight damps hubs: the number of shared papers divided by log2(2 + df) of both ends (the
   specificity `kg related` uses), so a pair of rare entities counts more than a pair of ubiquitous ones.
   Entities in one paper only carry no co-occurrence evidence and stay out (they join their paper's topic
   afterwards), and so do hubs, entities in more than HUB_SHARE of the papers: "Convolutional Neural
   Network" in 16% of a corpus would otherwise glue unrelated lines of work together.
   Only pairs that share more papers than independent entities would (df_i·df_j/N) become edges: on a
   small corpus that keeps every pair, on the 100k synthetic one it drops a quarter of them.
2. Communities by modularity with Leiden (leidenalg over igraph), fixed seed, nodes and edges in id order:
   the same corpus always gives the same topics. Leiden rather than networkx's louvain, measured by
   bench/topics.py: modularity at least as high everywhere (seeds 0.503 vs 0.497, SciERC 0.584 vs 0.584,
   10k synthetic 0.216 vs 0.211, 100k 0.197 vs 0.196), agreement with the venue field of SciERC above
   chance +0.158 vs +0.131 NMI, and about twice as fast where it matters (100k papers: 11 s vs 21 s of
   compute; 10k: 5 s vs 13 s). Leiden also guarantees connected communities (louvain does not, though
   none of its communities was disconnected on these corpora).
3. A paper's topic is the community its entities mostly belong to, each entity's vote weighted by its
   specificity (ties: the lower topic id); communities that win fewer than MIN_TOPIC_PAPERS papers are
   dissolved and their papers vote again. Entities outside the graph (hubs, one-paper entities) belong to
   the topic most of their papers belong to.
4. Names come from the most characteristic entities, not the most frequent: an entity's score in a topic
   is p(e|t)·log(p(e|t)/p(e)), its share of the topic's papers weighted by its lift over the corpus (one
   term of the KL divergence of the topic from the corpus). A hub frequent everywhere has a lift near 1 and
   ranks low; a rare entity seen once has a tiny p(e|t) and ranks low too. Top authors are ranked the same
   way (an author on a fifth of all papers would otherwise top every topic).
5. Trends: a topic's papers per year, and the change of its share of papers from the years before the
   corpus's last two to those two (as `kg trends`); papers without a year are counted, never guessed.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Iterable, Mapping, Sequence

SEED = 42
HUB_SHARE = 0.10        # entities in more than this share of the papers stay out of the graph …
HUB_MIN_PAPERS = 20     # … when they are in at least this many papers (a small corpus has no hubs)
MIN_TOPIC_PAPERS = 3    # a community that wins fewer papers is no topic
NAME_ENTITIES = 3       # entities in a topic's name
TOP_ENTITIES = 10       # entities listed per topic
TOP_AUTHORS = 5
WINDOW_YEARS = 2
METHODS = ("leiden", "louvain")


@dataclass(frozen=True)
class Topic:
    """One topic. `entities` are store node ids ("method:bert"), most characteristic first, `names` their
    display names; `authors` are display names, most characteristic first (as entities: a prolific
    author in every topic does not lead them all); `members` counts the
    topic's entities (methods, datasets, concepts), `papers` its papers."""

    id: int
    name: str
    papers: int
    entities: tuple[str, ...]
    authors: tuple[str, ...]
    trend: dict
    names: tuple[str, ...] = ()
    members: int = 0

    def to_dict(self) -> dict:
        return {**asdict(self), "entities": list(self.entities), "authors": list(self.authors),
                "names": list(self.names)}

    @classmethod
    def from_dict(cls, data: Mapping) -> "Topic":
        return cls(id=int(data["id"]), name=data["name"], papers=int(data["papers"]),
                   entities=tuple(data.get("entities") or ()), authors=tuple(data.get("authors") or ()),
                   trend=dict(data.get("trend") or {}), names=tuple(data.get("names") or ()),
                   members=int(data.get("members") or 0))


@dataclass(frozen=True)
class TopicCorpus:
    """What topics are computed from. Paper ids are node ids ("paper:p-…"), entities too ("concept:…")."""

    papers: Sequence[str]                         # every paper of the corpus
    links: Iterable[tuple[str, str]]              # (paper, entity) for every extracted link
    years: Mapping[str, int | None]               # paper → year, or None when its date has none
    authors: Mapping[str, Sequence[str]] = field(default_factory=dict)  # paper → author display names
    names: Mapping[str, str] = field(default_factory=dict)              # entity → display name


@dataclass(frozen=True)
class TopicResult:
    topics: list[Topic]
    membership: dict[str, int]    # node id (papers and entities) → topic id
    summary: dict                 # papers, with/without topic, modularity, graph size, method, parameters

    def digest(self) -> str:
        """Changes whenever anything a push writes changes (topics, their properties, any membership)."""
        text = json.dumps([[t.to_dict() for t in self.topics], sorted(self.membership.items()), self.summary],
                          sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def specificity(papers: int) -> float:
    """1 / log2(2 + papers): the weight of an entity's evidence (as in kg.queries.related)."""
    return 1.0 / math.log2(2 + max(papers, 1))


# ------------------------------------------------------------------------------------------ the graph

@dataclass(frozen=True)
class CooccurrenceGraph:
    nodes: list[str]                  # entity ids, sorted
    edges: list[tuple[int, int]]      # (i, j), i < j, sorted
    weights: list[float]
    hubs: list[str]


def paper_entities(papers: Sequence[str], links: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """paper → its sorted, distinct entities (papers without entities left out), in paper id order."""
    known = set(papers)
    grouped: dict[str, set[str]] = defaultdict(set)
    for paper, entity in links:
        if paper in known:
            grouped[paper].add(entity)
    return {p: sorted(grouped[p]) for p in sorted(grouped)}


def document_frequency(entities_of: Mapping[str, Sequence[str]]) -> Counter:
    return Counter(e for entities in entities_of.values() for e in entities)


def hubs_of(df: Mapping[str, int], n_papers: int, hub_share: float = HUB_SHARE,
            hub_min: int = HUB_MIN_PAPERS) -> set[str]:
    return {e for e, n in df.items() if n > hub_share * n_papers and n >= hub_min}


def cooccurrence_graph(entities_of: Mapping[str, Sequence[str]], n_papers: int, hub_share: float = HUB_SHARE,
                       hub_min: int = HUB_MIN_PAPERS, min_papers: int = 2,
                       above_chance: bool = True) -> CooccurrenceGraph:
    """Entities in at least `min_papers` papers and not hubs; edge weight = shared papers × specificity of
    both ends. Pairs are counted with numpy (a 100k-paper corpus has millions of pair occurrences)."""
    import numpy as np

    df = document_frequency(entities_of)
    hubs = hubs_of(df, n_papers, hub_share, hub_min)
    nodes = sorted(e for e, n in df.items() if n >= min_papers and e not in hubs)
    index = {e: i for i, e in enumerate(nodes)}
    paper_col, entity_col = [], []
    for n, entities in enumerate(entities_of.values()):
        for e in entities:
            i = index.get(e)
            if i is not None:
                paper_col.append(n)
                entity_col.append(i)
    paper_arr = np.asarray(paper_col, dtype=np.int64)
    entity_arr = np.asarray(entity_col, dtype=np.int64)  # sorted within a paper: entities are sorted, so is index
    keys = []
    gap = 1
    while gap < len(paper_arr):
        same = paper_arr[:-gap] == paper_arr[gap:]
        if not same.any():
            break
        keys.append(entity_arr[:-gap][same] * len(nodes) + entity_arr[gap:][same])
        gap += 1
    if not keys:
        return CooccurrenceGraph(nodes, [], [], sorted(hubs))
    pairs, shared = np.unique(np.concatenate(keys), return_counts=True)
    left, right = pairs // len(nodes), pairs % len(nodes)
    papers = np.asarray([df[e] for e in nodes], dtype=np.float64)
    if above_chance:  # shared papers > what independent entities would share: df_i * df_j / N
        keep = shared * float(n_papers) > papers[left] * papers[right]
        pairs, shared, left, right = pairs[keep], shared[keep], left[keep], right[keep]
    spec = 1.0 / np.log2(2 + papers)
    weights = shared * spec[left] * spec[right]
    return CooccurrenceGraph(nodes, list(zip(left.tolist(), right.tolist())), weights.tolist(), sorted(hubs))


# -------------------------------------------------------------------------------------- communities

def communities(graph: CooccurrenceGraph, method: str = "leiden", seed: int = SEED) -> list[int]:
    """A community number per node of the graph (0 = largest), by modularity: Leiden (leidenalg) or
    networkx's louvain (kept for the comparison in bench/topics.py)."""
    if method not in METHODS:
        raise ValueError(f"unknown community method {method!r} (one of {', '.join(METHODS)})")
    if method == "leiden":
        import igraph
        import leidenalg

        g = igraph.Graph(n=len(graph.nodes), edges=graph.edges)
        partition = leidenalg.find_partition(g, leidenalg.ModularityVertexPartition,
                                             weights=graph.weights or None, seed=seed)
        return list(partition.membership)
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(len(graph.nodes)))
    g.add_weighted_edges_from((i, j, w) for (i, j), w in zip(graph.edges, graph.weights))
    found = sorted(nx.community.louvain_communities(g, weight="weight", seed=seed), key=lambda c: (-len(c), min(c)))
    membership = [0] * len(graph.nodes)
    for number, members in enumerate(found):
        for node in members:
            membership[node] = number
    return membership


def modularity(graph: CooccurrenceGraph, membership: Sequence[int]) -> float:
    """Newman's weighted modularity of a partition of the graph (igraph computes it)."""
    if not graph.edges:
        return 0.0
    import igraph

    g = igraph.Graph(n=len(graph.nodes), edges=graph.edges)
    return float(g.modularity(list(membership), weights=graph.weights))


# ------------------------------------------------------------------------------------------- topics

def _vote(entities_of: Mapping[str, Sequence[str]], community_of: Mapping[str, int],
          df: Mapping[str, int]) -> dict[str, int]:
    """paper → the community its entities mostly belong to (specificity-weighted; ties: lower number)."""
    chosen = {}
    for paper, entities in entities_of.items():
        votes: dict[int, float] = defaultdict(float)
        for e in entities:
            c = community_of.get(e)
            if c is not None:
                votes[c] += specificity(df[e])
        if votes:
            chosen[paper] = min(votes, key=lambda c: (-round(votes[c], 9), c))
    return chosen


def characteristic(in_topic: int, topic_papers: int, corpus: int, n_papers: int) -> float:
    """p(e|t)·log(p(e|t)/p(e)): how much more often the topic's papers mention the entity than the corpus does,
    weighted by how often they mention it."""
    if not in_topic or not topic_papers or not corpus:
        return 0.0
    p_t, p = in_topic / topic_papers, corpus / n_papers
    return p_t * math.log(p_t / p)


def window(years: Iterable[int]) -> tuple[int, int] | None:
    """(first recent year, last year): the corpus's last WINDOW_YEARS years, as `kg trends` compares."""
    years = list(years)
    if not years:
        return None
    last = max(years)
    return last - WINDOW_YEARS + 1, last


def trend_of(papers: Iterable[str], years: Mapping[str, int | None], totals: Mapping[int, int]) -> dict:
    """Papers per year of a set of papers, undated ones counted apart, and the change of their share of the
    corpus's dated papers from the years before the recent window to the window, in percentage points."""
    per_year = Counter()
    undated = 0
    for p in papers:
        y = years.get(p)
        if y is None:
            undated += 1
        else:
            per_year[y] += 1
    span = window(totals)
    trend = {"years": {str(y): per_year[y] for y in range(min(per_year), max(per_year) + 1)} if per_year else {},
             "undated": undated, "recent": None, "before": None, "change": None}
    if span is None:
        return trend
    cut, _last = span
    recent_total = sum(n for y, n in totals.items() if y >= cut)
    before_total = sum(n for y, n in totals.items() if y < cut)
    trend["recent"] = sum(n for y, n in per_year.items() if y >= cut)
    trend["before"] = sum(n for y, n in per_year.items() if y < cut)
    if recent_total and before_total:
        trend["change"] = round(100 * (trend["recent"] / recent_total - trend["before"] / before_total), 2)
    return trend


def compute_topics(corpus: TopicCorpus, method: str = "leiden", seed: int = SEED, hub_share: float = HUB_SHARE,
                   min_topic_papers: int = MIN_TOPIC_PAPERS) -> TopicResult:
    """The topics of a corpus: deterministic for a given corpus, method and seed."""
    papers = sorted(set(corpus.papers))
    n_papers = len(papers)
    entities_of = paper_entities(papers, corpus.links)
    df = document_frequency(entities_of)
    graph = cooccurrence_graph(entities_of, n_papers, hub_share=hub_share)
    membership = communities(graph, method, seed) if graph.nodes else []
    quality = modularity(graph, membership)
    community_of = {e: c for e, c in zip(graph.nodes, membership)}
    paper_topic = _vote(entities_of, community_of, df)
    sizes = Counter(paper_topic.values())
    small = {c for c in set(membership) if sizes[c] < min_topic_papers}
    if small:
        community_of = {e: c for e, c in community_of.items() if c not in small}
        paper_topic = _vote(entities_of, community_of, df)
        sizes = Counter(paper_topic.values())
    # topic ids 1..n by papers (descending), ties by the community's first entity id
    first = {}
    for e, c in community_of.items():
        first[c] = min(first.get(c, e), e)
    order = sorted(sizes, key=lambda c: (-sizes[c], first[c]))
    renumber = {c: n + 1 for n, c in enumerate(order)}
    paper_topic = {p: renumber[c] for p, c in paper_topic.items()}
    entity_topic = {e: renumber[c] for e, c in community_of.items() if c in renumber}
    entity_topic.update(_by_papers(entities_of, paper_topic, set(df) - set(entity_topic)))
    topics = _describe(corpus, papers, entities_of, df, paper_topic, entity_topic, len(order))
    summary = {"papers": n_papers, "with_topic": len(paper_topic), "without_topic": n_papers - len(paper_topic),
               "modularity": round(quality, 4), "method": method, "seed": seed,
               "graph": {"entities": len(graph.nodes), "edges": len(graph.edges), "hubs": graph.hubs,
                         "hub_share": hub_share, "communities": len(set(membership))}}
    return TopicResult(topics, {**paper_topic, **entity_topic}, summary)


def _by_papers(entities_of: Mapping[str, Sequence[str]], paper_topic: Mapping[str, int],
               entities: set[str]) -> dict[str, int]:
    """Entities outside the graph: the topic most of their papers belong to (ties: the lower id)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for paper, linked in entities_of.items():
        t = paper_topic.get(paper)
        if t is None:
            continue
        for e in linked:
            if e in entities:
                votes[e][t] += 1
    return {e: min(v, key=lambda t: (-v[t], t)) for e, v in votes.items()}


def _describe(corpus: TopicCorpus, papers: list[str], entities_of, df, paper_topic, entity_topic,
              n_topics: int) -> list[Topic]:
    members: dict[int, list[str]] = defaultdict(list)
    for e, t in entity_topic.items():
        members[t].append(e)
    topic_papers: dict[int, list[str]] = defaultdict(list)
    for p, t in paper_topic.items():
        topic_papers[t].append(p)
    in_topic: dict[int, Counter] = defaultdict(Counter)
    author_count: dict[int, Counter] = defaultdict(Counter)
    for p, t in paper_topic.items():
        in_topic[t].update(entities_of.get(p, ()))
        author_count[t].update(set(corpus.authors.get(p, ())))
    author_df = Counter(a for p in papers for a in set(corpus.authors.get(p, ())))
    totals = Counter(y for p in papers if (y := corpus.years.get(p)) is not None)
    topics = []
    for t in range(1, n_topics + 1):
        size = len(topic_papers[t])
        ranked = sorted(members[t], key=lambda e: (-round(characteristic(in_topic[t][e], size, df[e], len(papers)), 9),
                                                   -df[e], e))
        names = [" ".join((corpus.names.get(e) or e.partition(":")[2]).split()) for e in ranked[:TOP_ENTITIES]]
        authors = sorted(author_count[t], key=lambda a: (
            -round(characteristic(author_count[t][a], size, author_df[a], len(papers)), 9), -author_count[t][a],
            a.casefold(), a))[:TOP_AUTHORS]
        topics.append(Topic(id=t, name=", ".join(names[:NAME_ENTITIES]) or f"topic {t}", papers=size,
                            entities=tuple(ranked[:TOP_ENTITIES]), authors=tuple(authors),
                            trend=trend_of(topic_papers[t], corpus.years, totals), names=tuple(names),
                            members=len(members[t])))
    return topics


__all__ = ["Topic", "TopicCorpus", "TopicResult", "compute_topics", "cooccurrence_graph", "communities",
           "modularity", "characteristic", "trend_of", "SEED", "HUB_SHARE"]
