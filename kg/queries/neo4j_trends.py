"""`kg trends --neo4j`: the reads kg.queries.trends asks of the local store, answered in Cypher.

Same questions, same semantics: a year is the first four characters of a paper's date when they are digits;
an entity's papers are those linked to it by an extracted relationship (never AUTHORED, never IN_TOPIC); a
topic's papers are those IN_TOPIC with it, as `kg push` last sent them.
"""
from __future__ import annotations

from contextlib import contextmanager

from ..graph.schema import AUTHOR, EXTRACTED_TYPES, LABELS, PAPER, split_node_id
from ..graph.topics import Topic
from ..store.neo4j import topic_from_props

_YEAR = "'^[0-9]{4}.*'"
_EXTRACTED = "|".join(EXTRACTED_TYPES)
_ENTITY = " OR ".join(f"e:{label}" for label in LABELS if label not in (PAPER, AUTHOR))


class Neo4jTrendReads:
    """The trend reads over one Neo4jBackend's session."""

    def __init__(self, backend):
        self.backend = backend
        self._read = backend._read

    def names_of(self, ids):
        return self.backend.names_of(ids)

    def topics(self) -> list[Topic]:
        rows = self._read("MATCH (t:Topic) RETURN properties(t) AS props ORDER BY t.id")
        return [Topic.from_dict(topic_from_props(r["props"])) for r in rows]

    def topics_stale(self) -> bool:
        return False  # the database holds what the last push sent; `kg push` refreshes them

    @contextmanager
    def snapshot(self):
        yield

    @contextmanager
    def years_table(self):
        yield

    def dates_of_node(self, nid: str) -> list[str | None]:
        label, key = split_node_id(nid)
        if label not in LABELS:
            return []
        rel = "AUTHORED" if label == AUTHOR else _EXTRACTED
        return [r["date"] for r in self._read(
            f"MATCH (n:{label} {{key: $key}})-[:{rel}]-(p:Paper) RETURN DISTINCT p.key AS key, p.date AS date",
            key=key)]

    def dated_papers_of_node(self, nid: str) -> list[str]:
        return [d for d in self.dates_of_node(nid) if d and d[:4].isascii() and d[:4].isdigit()]

    def dates_of_topic(self, topic: int) -> list[str | None]:
        return [r["date"] for r in self._read(
            "MATCH (:Topic {id: $id})<-[:IN_TOPIC]-(p:Paper) RETURN p.date AS date", id=topic)]

    def papers_per_year(self) -> tuple[dict[int, int], int]:
        rows = self._read(f"MATCH (p:Paper) WITH CASE WHEN p.date =~ {_YEAR} THEN toInteger(substring(p.date, 0, 4)) "
                          "END AS year RETURN year, count(*) AS n")
        years = {r["year"]: r["n"] for r in rows if r["year"] is not None}
        return years, sum(r["n"] for r in rows if r["year"] is None)

    def entity_papers_split(self, cut: int) -> dict[str, tuple[int, int]]:
        rows = self._read(
            f"MATCH (p:Paper) WHERE p.date =~ {_YEAR} WITH p, toInteger(substring(p.date, 0, 4)) AS year "
            f"MATCH (p)-[:{_EXTRACTED}]->(e) WHERE {_ENTITY} "
            "RETURN toLower(labels(e)[0]) + ':' + e.key AS id, sum(CASE WHEN year >= $cut THEN 1 ELSE 0 END) AS recent, "
            "sum(CASE WHEN year < $cut THEN 1 ELSE 0 END) AS before", cut=cut)
        return {r["id"]: (r["recent"], r["before"]) for r in rows}
