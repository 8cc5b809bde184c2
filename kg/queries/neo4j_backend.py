"""Queries answered by a Neo4j server. Cypher selects the data; shaping and ranking reuse the local functions,
so `kg related/papers/stats --neo4j` print exactly what the local store prints for the same graph."""
from __future__ import annotations

import networkx as nx

from ..graph.schema import EXTRACTED_TYPES, LABELS, node_id
from ..store.neo4j import Neo4jSettings, _backend_errors, _edge_attrs, _schema_label, connect, counts
from . import listing
from .related import rank_related_in, resolve

_NAMES = ("MATCH (n) WHERE n:Paper OR n:Author OR n:Method OR n:Dataset OR n:Concept "
          "RETURN labels(n) AS labels, n.key AS key, n.title AS title, n.name AS name, n.aliases AS aliases")
_PAPERS = (
    "MATCH (p:Paper) "
    "OPTIONAL MATCH (p)-[r]->(e) WHERE type(r) IN $types "
    "RETURN properties(p) AS paper, "
    "collect(CASE WHEN e IS NULL THEN NULL ELSE [labels(e), e.key, e.name, type(r), r.aliases] END) AS links"
)
_TOP = "MATCH (n) WHERE n:Method OR n:Dataset OR n:Concept OR n:Author RETURN labels(n) AS labels, n.name AS name, n.papers AS papers"
_EDGES_OF = (
    "MATCH (n:{label}) WHERE n.key IN $keys "
    "MATCH (n)-[r]-(m) WHERE m:Paper OR m:Author OR m:Method OR m:Dataset OR m:Concept "
    "RETURN [labels(startNode(r)), startNode(r).key] AS source, type(r) AS type, "
    "[labels(endNode(r)), endNode(r).key] AS target, properties(r) AS props, labels(m) AS mlabels, "
    "properties(m) AS mprops"
)


class Neo4jBackend:
    """Reads through one driver; connection problems surface as one-line BackendError/ConfigError."""

    name = "neo4j"

    def __init__(self, settings: Neo4jSettings):
        self.settings = settings
        self.driver = connect(settings)

    @classmethod
    def from_env(cls) -> "Neo4jBackend":
        return cls(Neo4jSettings.from_env())

    def _read(self, query: str, **params) -> list:
        with _backend_errors(self.settings), self.driver.session(database=self.settings.database) as session:
            return session.execute_read(lambda tx: list(tx.run(query, **params)))

    def stats(self) -> dict:
        result = counts(self.driver, self.settings.database)
        rows = [(_schema_label(r["labels"]), r["name"], r["papers"] or 0) for r in self._read(_TOP)]
        return {**result, "top": listing.top_entities(rows)}

    def papers(self) -> list[dict]:
        records = []
        for row in self._read(_PAPERS, types=list(EXTRACTED_TYPES)):
            links = [(_schema_label(labels), name, rel, aliases or []) for labels, _key, name, rel, aliases in row["links"]]
            records.append(listing.record_from(row["paper"], links))
        return listing.sort_records(records)

    def _names_graph(self) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        for r in self._read(_NAMES):
            label = _schema_label(r["labels"])
            attrs = {k: r[k] for k in ("title", "name", "aliases") if r[k] is not None}
            graph.add_node(node_id(label, r["key"]), label=label, key=r["key"], **attrs)
        return graph

    def _subgraph(self, seeds: list[str], hops: int) -> nx.MultiDiGraph:
        """The seeds and everything within `hops`, with full node and edge properties, fetched hop by hop."""
        graph = nx.MultiDiGraph()
        frontier = set(seeds)
        fetched: set[str] = set()
        for _ in range(hops):
            by_label: dict[str, list[str]] = {}
            for nid in sorted(frontier - fetched):
                prefix, key = nid.split(":", 1)
                by_label.setdefault(prefix.capitalize(), []).append(key)
            fetched |= frontier
            new: set[str] = set()
            for label, keys in by_label.items():
                assert label in LABELS  # labels come from our schema, never from user input
                for r in self._read(_EDGES_OF.replace("{label}", label), keys=keys):
                    m_label = _schema_label(r["mlabels"])
                    m_id = node_id(m_label, r["mprops"]["key"])
                    if m_id not in graph:
                        graph.add_node(m_id, label=m_label, **r["mprops"])
                    source = node_id(_schema_label(r["source"][0]), r["source"][1])
                    target = node_id(_schema_label(r["target"][0]), r["target"][1])
                    if not graph.has_edge(source, target, key=r["type"]):
                        graph.add_edge(source, target, key=r["type"], **_edge_attrs(r["type"], r["props"]))
                    new.add(m_id)
            frontier = new - fetched
        self._fill_seed_nodes(graph, seeds)
        return graph

    def _fill_seed_nodes(self, graph: nx.MultiDiGraph, seeds: list[str]) -> None:
        for nid in seeds:
            label, key = nid.split(":", 1)
            label = label.capitalize()
            rows = self._read(f"MATCH (n:{label} {{key: $key}}) RETURN properties(n) AS props", key=key)
            if rows:
                graph.add_node(nid, label=label, **rows[0]["props"])

    def related(self, term: str, limit: int = 10) -> dict:
        matches = resolve(self._names_graph(), term)
        graph = self._subgraph([nid for nid, _ in matches], hops=3)
        return rank_related_in(graph, term, matches, limit)

    def graph_around(self, term: str, hops: int = 2) -> nx.MultiDiGraph:
        matches = resolve(self._names_graph(), term)
        return self._subgraph([nid for nid, _ in matches], hops=hops)

    def run_canned(self, query, params: dict) -> list[dict]:
        from .canned import run_neo4j

        return run_neo4j(query, self.driver, self.settings.database, params)

    def close(self) -> None:
        self.driver.close()
