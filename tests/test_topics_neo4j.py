"""Topics on Neo4j: `kg push` sends them (only when they changed) and `kg topics --neo4j` prints what the local
store prints; papers and related show the same topic on both backends."""
from __future__ import annotations

import json
import os

import pytest

from conftest import EXAMPLES, empty_neo4j, kg_ok

pytestmark = [pytest.mark.neo4j,
              pytest.mark.skipif(not os.environ.get("NEO4J_PASSWORD"), reason="NEO4J_PASSWORD not set: no Neo4j server")]







def test_push_then_topics_on_neo4j_equals_local(tmp_path):
    empty_neo4j()
    store = tmp_path / "store"
    kg_ok(store, "load", str(EXAMPLES / "lab_publications.txt"), str(EXAMPLES / "daily_papers.txt"), "--json")
    pushed = json.loads(kg_ok(store, "push", "--json"))  # computes the stale topics first, then sends them
    assert pushed["topics"]["sent"] and pushed["topics"]["topics"] >= 1
    local = kg_ok(store, "topics", "--json")
    assert kg_ok(store, "topics", "--json", "--neo4j") == local
    assert kg_ok(store, "topics", "--neo4j") == kg_ok(store, "topics")
    assert kg_ok(store, "papers", "--json", "--neo4j") == kg_ok(store, "papers", "--json")
    assert kg_ok(store, "related", "Matryoshka", "--json", "--neo4j") == kg_ok(store, "related", "Matryoshka", "--json")

    again = json.loads(kg_ok(store, "push", "--json"))  # nothing changed: topics are not sent again
    assert again["topics"] == {"sent": False}

    kg_ok(store, "load", str(EXAMPLES), "--json")  # stale now; the push recomputes and replaces them
    third = json.loads(kg_ok(store, "push", "--json"))
    assert third["topics"]["sent"] and third["topics"]["deleted"] > 0
    local = json.loads(kg_ok(store, "topics", "--json"))
    assert local["revision"] == 2 and local["papers"] == 33
    assert json.loads(kg_ok(store, "topics", "--json", "--neo4j")) == local
    assert kg_ok(store, "papers", "--json", "--neo4j") == kg_ok(store, "papers", "--json")

    from kg.store.neo4j import Neo4jSettings, connect

    settings = Neo4jSettings.from_env()
    driver = connect(settings)
    try:
        links = driver.execute_query("MATCH (:Paper)-[r:IN_TOPIC]->(:Topic) RETURN count(r) AS n",
                                     database_=settings.database).records[0]["n"]
    finally:
        driver.close()
    assert links == local["papers"] - local["without_topic"]


def test_trends_on_neo4j_equal_local(tmp_path):
    """`kg trends` asks the same questions of both backends: corpus trends, an entity's years, a topic's years."""
    empty_neo4j()
    store = tmp_path / "store"
    kg_ok(store, "load", str(EXAMPLES), "--json")
    kg_ok(store, "push", "--json")
    corpus = kg_ok(store, "trends", "--json", "--min-papers", "1")
    assert json.loads(corpus)["rising"] or json.loads(corpus)["falling"]
    assert kg_ok(store, "trends", "--json", "--min-papers", "1", "--neo4j") == corpus
    for term in ("BERT", "Kaiming He"):
        local = kg_ok(store, "trends", term, "--json")
        assert json.loads(local)["matches"] and kg_ok(store, "trends", term, "--json", "--neo4j") == local
    topic = json.loads(kg_ok(store, "topics", "--json"))["topics"][0]["name"]
    local = kg_ok(store, "trends", topic, "--json")
    assert json.loads(local)["matches"][0]["label"] == "Topic"
    assert kg_ok(store, "trends", topic, "--json", "--neo4j") == local
    assert kg_ok(store, "trends", "--neo4j") == kg_ok(store, "trends")
