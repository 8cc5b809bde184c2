"""Topics on Neo4j: `kg push` sends them (only when they changed) and `kg topics --neo4j` prints what the local
store prints; papers and related show the same topic on both backends."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import EXAMPLES

pytestmark = [pytest.mark.neo4j,
              pytest.mark.skipif(not os.environ.get("NEO4J_PASSWORD"), reason="NEO4J_PASSWORD not set: no Neo4j server")]

ENV = {"KG_SPACY_MODEL": "rules", "KG_BACKEND": ""}


def _invoke(store, *args):
    result = CliRunner().invoke(main, ["--store", str(store), *args], env=ENV, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _empty_database():
    from kg.store.neo4j import Neo4jSettings, connect

    settings = Neo4jSettings.from_env()
    driver = connect(settings)
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=settings.database)
    driver.close()


def test_push_then_topics_on_neo4j_equals_local(tmp_path):
    _empty_database()
    store = tmp_path / "store"
    _invoke(store, "load", str(EXAMPLES / "lab_publications.txt"), str(EXAMPLES / "daily_papers.txt"), "--json")
    pushed = json.loads(_invoke(store, "push", "--json"))  # computes the stale topics first, then sends them
    assert pushed["topics"]["sent"] and pushed["topics"]["topics"] >= 1
    local = _invoke(store, "topics", "--json")
    assert _invoke(store, "topics", "--json", "--neo4j") == local
    assert _invoke(store, "topics", "--neo4j") == _invoke(store, "topics")
    assert _invoke(store, "papers", "--json", "--neo4j") == _invoke(store, "papers", "--json")
    assert _invoke(store, "related", "Matryoshka", "--json", "--neo4j") == _invoke(store, "related", "Matryoshka", "--json")

    again = json.loads(_invoke(store, "push", "--json"))  # nothing changed: topics are not sent again
    assert again["topics"] == {"sent": False}

    _invoke(store, "load", str(EXAMPLES), "--json")  # stale now; the push recomputes and replaces them
    third = json.loads(_invoke(store, "push", "--json"))
    assert third["topics"]["sent"] and third["topics"]["deleted"] > 0
    local = json.loads(_invoke(store, "topics", "--json"))
    assert local["revision"] == 2 and local["papers"] == 33
    assert json.loads(_invoke(store, "topics", "--json", "--neo4j")) == local
    assert _invoke(store, "papers", "--json", "--neo4j") == _invoke(store, "papers", "--json")

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
    _empty_database()
    store = tmp_path / "store"
    _invoke(store, "load", str(EXAMPLES), "--json")
    _invoke(store, "push", "--json")
    corpus = _invoke(store, "trends", "--json", "--min-papers", "1")
    assert json.loads(corpus)["rising"] or json.loads(corpus)["falling"]
    assert _invoke(store, "trends", "--json", "--min-papers", "1", "--neo4j") == corpus
    for term in ("BERT", "Kaiming He"):
        local = _invoke(store, "trends", term, "--json")
        assert json.loads(local)["matches"] and _invoke(store, "trends", term, "--json", "--neo4j") == local
    topic = json.loads(_invoke(store, "topics", "--json"))["topics"][0]["name"]
    local = _invoke(store, "trends", topic, "--json")
    assert json.loads(local)["matches"][0]["label"] == "Topic"
    assert _invoke(store, "trends", topic, "--json", "--neo4j") == local
    assert _invoke(store, "trends", "--neo4j") == _invoke(store, "trends")
