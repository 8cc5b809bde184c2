"""Queries answered by a Neo4j server. Cypher selects and aggregates what each answer needs (indexed by
label and key, words through a full-text index); shaping and ranking reuse the local functions, so
`kg related/papers/stats --neo4j` print exactly what the local store prints for the same graph."""
from __future__ import annotations

import json
from collections import defaultdict

import networkx as nx

from ..errors import KgError
from ..graph.build import add_paper_links
from ..graph.schema import AUTHORED, EXTRACTED_TYPES, LABELS, PAPER, REL_TYPES, VARIANT_OF, node_id, split_node_id
from ..graph.topics import Topic
from ..store.neo4j import (PUSH_MARK, Neo4jSettings, _backend_errors, _edge_attrs, _schema_label, connect,
                           topic_from_props)
from . import listing
from .listing import TOP_LABELS
from .neighbourhood import view_around
from .related import related as rank_related
from .related import resolve
from .topics import topics_report

_PAPERS = (
    "MATCH (p:Paper) "
    "OPTIONAL MATCH (p)-[:IN_TOPIC]->(t:Topic) WITH p, t.name AS topic "
    "OPTIONAL MATCH (p)-[r]->(e) WHERE type(r) IN $types "
    "RETURN properties(p) AS paper, topic, "
    "collect(CASE WHEN e IS NULL THEN NULL ELSE [labels(e), e.key, e.name, type(r), r.aliases] END) AS links"
)
_NODE_FIELDS = "properties(n) AS props"


def _by_label(ids) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for nid in sorted(set(ids)):
        label, key = split_node_id(nid)
        if label in LABELS:  # labels come from our schema, never from user input
            grouped[label].append(key)
    return grouped


# kg.queries.related.link_strength in Cypher: proposals first, then authorship, then the rest.
_STRENGTH = "CASE type(r) WHEN 'PROPOSES' THEN 3 WHEN 'AUTHORED' THEN 2 ELSE 1 END"


class Neo4jBackend:
    """Reads through one driver; connection problems surface as one-line BackendError/ConfigError."""

    name = "neo4j"

    def __init__(self, settings: Neo4jSettings):
        self.settings = settings
        self.driver = connect(settings)
        self._session = None

    @classmethod
    def from_env(cls) -> "Neo4jBackend":
        return cls(Neo4jSettings.from_env())

    def _read(self, query: str, **params) -> list:
        """One read transaction on the backend's one session (a session per query costs a round trip)."""
        with _backend_errors(self.settings):
            if self._session is None:
                self._session = self.driver.session(database=self.settings.database)
            return self._session.execute_read(lambda tx: list(tx.run(query, **params)))

    # -- the reader protocol of kg.queries.related ---------------------------------------------------
    def nodes_with_terms(self, terms, limit):
        query = " ".join(f"+{t}" for t in sorted(set(terms)))
        rows = self._read(
            "CALL db.index.fulltext.queryNodes('kg_terms', $q) YIELD node "
            "WITH toLower(labels(node)[0]) + ':' + node.key AS id, node.search AS search "
            "RETURN id, search ORDER BY id", q=query)
        wanted = set(terms)
        out = [r["id"] for r in rows if wanted <= set((r["search"] or "").split())]
        return out[:limit]

    def terms_near(self, prefix):
        rows = self._read("CALL db.index.fulltext.queryNodes('kg_terms', $q) YIELD node "
                          "RETURN node.search AS search LIMIT 20000", q=f"{prefix}*")
        return sorted({t for r in rows for t in (r["search"] or "").split() if t.startswith(prefix)})

    def match_names(self, ids):
        out = {}
        for label, keys in _by_label(ids).items():
            for r in self._read(f"MATCH (n:{label}) WHERE n.key IN $keys "
                                "RETURN n.key AS key, n.title AS title, n.name AS name, n.aliases AS aliases", keys=keys):
                names = [r["title"]] if label == PAPER else [r["name"], *(r["aliases"] or [])]
                out[node_id(label, r["key"])] = (label, names)
        return out

    def names_of(self, ids):
        out = {}
        for label, keys in _by_label(ids).items():
            for r in self._read(f"MATCH (n:{label}) WHERE n.key IN $keys "
                                "RETURN n.key AS key, coalesce(n.title, n.name) AS name, n.papers AS papers", keys=keys):
                out[node_id(label, r["key"])] = (label, r["name"], 0 if label == PAPER else r["papers"] or 0)
        return out

    def papers_of_nodes(self, ids, with_attrs: bool = False):
        rows = []
        for label, keys in _by_label(ids).items():
            if label == PAPER:
                continue
            props = ", properties(r) AS props" if with_attrs else ""
            for r in self._read(f"MATCH (n:{label}) WHERE n.key IN $keys MATCH (n)-[r]-(p:Paper) "
                                f"RETURN p.key AS paper, n.key AS key, type(r) AS type{props}", keys=keys):
                row = (node_id(PAPER, r["paper"]), node_id(label, r["key"]), r["type"])
                rows.append(row + ((_edge_attrs(r["type"], r["props"]),) if with_attrs else ()))
        return rows

    def strongest_links(self, node, limit):
        """A node's `limit` strongest links, ordered in Cypher (kg.queries.related.link_strength)."""
        label, key = split_node_id(node)
        if label not in LABELS:
            return []
        rows = self._read(
            f"MATCH (n:{label} {{key: $key}})-[r]-(p:Paper) "
            f"WITH p.key AS paper, type(r) AS type, {_STRENGTH} AS strength "
            "ORDER BY strength DESC, paper LIMIT $limit RETURN paper, type", key=key, limit=limit)
        return [(node_id(PAPER, r["paper"]), r["type"]) for r in rows]

    def variant_pairs(self, ids):
        pairs = set()
        for label, keys in _by_label(ids).items():
            if label == PAPER:
                continue
            for r in self._read(f"MATCH (n:{label}) WHERE n.key IN $keys MATCH (n)-[r:{VARIANT_OF}]-(m) "
                                "RETURN n.key AS key, startNode(r) = n AS out, labels(m) AS labels, m.key AS other",
                                keys=keys):
                ends = (node_id(label, r["key"]), node_id(_schema_label(r["labels"]), r["other"]))
                pairs.add(ends if r["out"] else ends[::-1])
        return sorted(pairs)

    def topic_names_of(self, ids):
        keys = _by_label(ids).get(PAPER, [])
        if not keys:
            return {}
        return {node_id(PAPER, r["key"]): r["name"] for r in self._read(
            "MATCH (p:Paper) WHERE p.key IN $keys MATCH (p)-[:IN_TOPIC]->(t:Topic) "
            "RETURN p.key AS key, t.name AS name", keys=keys)}

    def topics_report(self) -> dict:
        """The pushed topics and the summary the push recorded, shaped as the local `kg topics`."""
        rows = self._read("MATCH (t:Topic) RETURN properties(t) AS props ORDER BY t.id")
        marks = self._read(f"MATCH (m:{PUSH_MARK}) RETURN m.topics_summary AS summary LIMIT 1")
        summary = marks[0]["summary"] if marks else None
        if not summary:
            raise KgError("Neo4j holds no topics yet: run `kg push` (it computes them first when needed)")
        return topics_report([Topic.from_dict(topic_from_props(r["props"])) for r in rows], json.loads(summary))

    def links_of_papers(self, ids, with_attrs: bool = False):
        keys = _by_label(ids).get(PAPER, [])
        if not keys:
            return []
        if not with_attrs:  # one record per paper: far fewer records to decode
            return [(node_id(PAPER, r["paper"]), node_id(_schema_label(labels), key), rel) for r in self._read(
                "MATCH (p:Paper) WHERE p.key IN $keys MATCH (p)-[r]-(m) "
                "WHERE m:Author OR m:Method OR m:Dataset OR m:Concept OR m:Metric "
                "RETURN p.key AS paper, collect([labels(m), m.key, type(r)]) AS links", keys=keys)
                for labels, key, rel in r["links"]]
        props = ", properties(r) AS props" if with_attrs else ""
        rows = []
        for r in self._read("MATCH (p:Paper) WHERE p.key IN $keys MATCH (p)-[r]-(m) "
                            "WHERE m:Author OR m:Method OR m:Dataset OR m:Concept OR m:Metric "
                            f"RETURN p.key AS paper, labels(m) AS labels, m.key AS key, type(r) AS type{props}",
                            keys=keys):
            row = (node_id(PAPER, r["paper"]), node_id(_schema_label(r["labels"]), r["key"]), r["type"])
            rows.append(row + ((_edge_attrs(r["type"], r["props"]),) if with_attrs else ()))
        return rows

    # -- commands ---------------------------------------------------------------------------------
    def trends(self, term: str | None, limit: int, min_papers: int) -> dict:
        from .neo4j_trends import Neo4jTrendReads
        from .trends import corpus_trends, term_trend

        reads = Neo4jTrendReads(self)
        return term_trend(reads, self, term) if term else corpus_trends(reads, limit, min_papers)

    def stats(self) -> dict:
        counted = self._read(" UNION ALL ".join(
            [f"MATCH (n:{label}) RETURN 'n' AS kind, '{label}' AS name, count(n) AS n" for label in LABELS]
            + [f"MATCH ()-[r:{rel}]->() RETURN 'r' AS kind, '{rel}' AS name, count(r) AS n" for rel in REL_TYPES]))
        result = {"nodes": {label: 0 for label in LABELS}, "relationships": {rel: 0 for rel in REL_TYPES}}
        for r in counted:
            result["nodes" if r["kind"] == "n" else "relationships"][r["name"]] = r["n"]
        rows = []
        for label in TOP_LABELS:
            rows += [(label, r["name"], r["papers"]) for r in self._read(
                f"MATCH (n:{label}) WITH n ORDER BY n.papers DESC LIMIT $n WITH min(n.papers) AS least "
                f"MATCH (m:{label}) WHERE m.papers >= least RETURN m.name AS name, m.papers AS papers",
                n=listing.TOP_N)]
        data = {**result, "top": listing.top_entities(rows)}
        marks = self._read(f"MATCH (m:{PUSH_MARK}) RETURN properties(m) AS props LIMIT 1")
        state = dict(marks[0]["props"]) if marks else None
        if state and state.get("state") != "complete":
            data["warnings"] = [f"the last `kg push` into this database did not finish (started {state.get('started')}): "
                                "the database is incomplete until a push completes; run `kg push` again"]
        return data

    def papers(self, limit: int | None = None):
        records = []
        for row in self._read(_PAPERS, types=list(EXTRACTED_TYPES)):
            links = [(_schema_label(labels), name, rel, aliases or []) for labels, _key, name, rel, aliases in row["links"]]
            records.append(listing.record_from(row["paper"], links, row["topic"]))
        records = listing.sort_records(records)
        return records[:limit] if limit else records

    def related(self, term: str, limit: int = 10) -> dict:
        return rank_related(self, term, limit)

    def graph_around(self, term: str, hops: int = 2, fan_out: int = 300, cut=None):
        centers = [nid for nid, _ in resolve(self, term)]
        return view_around(self, centers, hops, fan_out, cut), centers

    def link_attrs(self, rows) -> list[tuple]:
        """The given (paper id, node id, type) links with their properties; VARIANT_OF pairs keep their type only."""
        wanted, out = [], []
        for paper, nid, rel in rows:
            if rel == VARIANT_OF:
                out.append((paper, nid, rel, {"type": rel}))
            else:
                label, key = split_node_id(nid)
                wanted.append({"paper": split_node_id(paper)[1], "label": label, "key": key, "type": rel})
        if wanted:
            for r in self._read("UNWIND $rows AS row MATCH (p:Paper {key: row.paper})-[r]-(m {key: row.key}) "
                                "WHERE type(r) = row.type AND row.label IN labels(m) "
                                "RETURN row, properties(r) AS props", rows=wanted):
                row = r["row"]
                out.append((node_id(PAPER, row["paper"]), node_id(row["label"], row["key"]), row["type"],
                            _edge_attrs(row["type"], r["props"])))
        return out

    def strongest_links_of(self, ids, limit: int) -> list[tuple[str, str, str]]:
        """(paper id, node id, type) of each node's `limit` strongest links, chosen and cut in Cypher, one query
        per label (`strongest_links` order)."""
        rows = []
        for label, keys in _by_label(ids).items():
            if label == PAPER or label not in LABELS:
                continue
            for r in self._read(
                    f"UNWIND $keys AS key MATCH (n:{label} {{key: key}}) CALL {{ WITH n MATCH (n)-[r]-(p:Paper) "
                    f"WITH p.key AS paper, type(r) AS type, {_STRENGTH} AS strength "
                    "ORDER BY strength DESC, paper LIMIT $limit RETURN paper, type } "
                    "RETURN n.key AS key, paper, type", keys=sorted(keys), limit=limit):
                rows.append((node_id(PAPER, r["paper"]), node_id(label, r["key"]), r["type"]))
        return rows

    def graph_of(self, node_ids, links) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        links = list(links)
        ids = set(node_ids) | {l[0] for l in links} | {l[1] for l in links}
        for label, keys in _by_label(ids).items():
            for r in self._read(f"MATCH (n:{label}) WHERE n.key IN $keys RETURN {_NODE_FIELDS}", keys=keys):
                props = {k: v for k, v in r["props"].items() if k not in ("search",)}
                graph.add_node(node_id(label, props["key"]), label=label, **props)
        for paper, other, rel, attrs in links:
            if paper in graph and other in graph:
                add_paper_links(graph, paper, [(other, rel, attrs)])
        return graph

    def top_nodes(self, label: str, n: int):
        floor = self._read(f"MATCH (n:{label}) WITH n.papers AS papers ORDER BY papers DESC SKIP $skip LIMIT 1 "
                           "RETURN papers", skip=n - 1)
        least = floor[0]["papers"] if floor else 0
        return [(r["key"], r["papers"]) for r in self._read(
            f"MATCH (n:{label}) WHERE n.papers >= $least RETURN n.key AS key, n.papers AS papers", least=least)]

    def run_canned(self, query, params: dict) -> list[dict]:
        from .canned import run_neo4j

        return run_neo4j(query, self.driver, self.settings.database, params)

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        self.driver.close()


__all__ = ["Neo4jBackend", "PUSH_MARK", "AUTHORED"]
