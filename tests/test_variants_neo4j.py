"""VARIANT_OF and Metric on a real Neo4j: `kg push` (full and incremental) gives the answers of the local store
for stats, papers, related, view and the canned queries; the pulled graph equals the store's; a full-text index
made before the Metric label is made again."""
from __future__ import annotations

import json
import os

import pytest

from kg.graph import build_graph
from kg.store import LocalStore

from test_variants import hits_a, hits_b, papers, rows, write

from conftest import kg_ok

pytestmark = [pytest.mark.neo4j,
              pytest.mark.skipif(not os.environ.get("NEO4J_PASSWORD"), reason="NEO4J_PASSWORD not set: no Neo4j server")]
TERMS = ["Tree-LSTM", "Gumbel Tree-LSTM", "R-FCN", "JEPA", "accuracy", "Bo Chen", "autoencoders"]
QUERIES = [["top-entities", "-p", "label=Metric"], ["top-entities", "-p", "label=Method"],
           ["shortest-path", "-p", "from=Tree-LSTM", "-p", "to=Gumbel Tree-LSTM"],
           ["shortest-path", "-p", "from=R-FCN", "-p", "to=SNLI"],
           ["related-entities", "-p", "term=accuracy"], ["related-entities", "-p", "term=Face R-FCN"],
           ["similar-papers", "-p", "title=Parsing with latent trees"],
           ["papers-using-method", "-p", "method=Gumbel Tree-LSTM"]]

def _driver():
    from kg.store.neo4j import Neo4jSettings, connect

    settings = Neo4jSettings.from_env()
    return connect(settings), settings.database


def _empty_database():
    driver, database = _driver()
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=database)
    driver.close()


def _answers(store, *backend) -> dict:
    out = {"stats": json.loads(kg_ok(store, "stats", "--json", *backend)),
           "papers": json.loads(kg_ok(store, "papers", "--json", *backend))}
    for term in TERMS:
        out[f"related {term}"] = json.loads(kg_ok(store, "related", term, "--json", *backend))
    for query in QUERIES:
        out[" ".join(query)] = json.loads(kg_ok(store, "query", *query, "--json", *backend))
    return out


def _pulled():
    from kg.store.neo4j import pull_graph

    driver, database = _driver()
    try:
        return pull_graph(driver, database)
    finally:
        driver.close()


@pytest.fixture
def pushed(tmp_path):
    _empty_database()
    path = tmp_path / "store"
    store = LocalStore(path)
    write(store, papers(), hits_a())
    store.close()
    report = json.loads(kg_ok(path, "push", "--json"))
    return path, report


def test_push_gives_the_same_answers(pushed, tmp_path):
    path, report = pushed
    assert report["totals"]["relationships"]["VARIANT_OF"] == 4 and report["totals"]["nodes"]["Metric"] == 2
    local = _answers(path)
    assert _answers(path, "--neo4j") == local
    assert local["related Tree-LSTM"]["notes"] and local["top-entities -p label=Metric"]
    assert rows(_pulled()) == rows(LocalStore(path).load_graph())
    views = [json.loads(kg_ok(path, "view", "Gumbel Tree-LSTM", "-o", str(tmp_path / f"{n}.html"), "--json", *b))
             for n, b in (("l", ()), ("r", ("--neo4j",)))]
    assert (views[0]["nodes"], views[0]["edges"]) == (views[1]["nodes"], views[1]["edges"])
    assert "VARIANT_OF" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_incremental_push_sends_changes_and_deletes_dropped_pairs(pushed):
    path, first = pushed
    store = LocalStore(path)
    write(store, papers(), hits_b())
    store.close()
    again = json.loads(kg_ok(path, "push", "--json"))
    assert again["from_revision"] == first["to_revision"]
    assert again["written"]["relationships"]["VARIANT_OF"] == 1, "only the new pair is sent"
    assert again["written"]["deleted"]["relationships"] >= 1 and again["written"]["deleted"]["nodes"] == 1
    expected = build_graph(papers(), hits_b())
    pulled = _pulled()
    assert rows(pulled) == rows(expected)
    assert "method:jepa" not in pulled and ("method:t-jepa", "method:jepa") not in {(u, v) for u, v in pulled.edges()}
    incremental = _answers(path, "--neo4j")
    assert incremental == _answers(path)
    _empty_database()
    json.loads(kg_ok(path, "push", "--json"))
    assert _answers(path, "--neo4j") == incremental, "an incremental push ends where a clean push does"


def test_push_graph_round_trip():
    from kg.store.neo4j import ensure_schema, push_graph

    _empty_database()
    graph = build_graph(papers(), hits_a())
    driver, database = _driver()
    try:
        ensure_schema(driver, database)
        written = push_graph(driver, graph, database)
    finally:
        driver.close()
    assert written["relationships"]["VARIANT_OF"] == 4
    assert rows(_pulled()) == rows(graph)


def test_full_text_indexes_of_an_older_kg_are_made_again(pushed):
    """kg_text and kg_terms made without the Metric label (as kg did before) are dropped and recreated, so a
    metric is found by name on Neo4j too; a schema already right is left alone."""
    from kg.store.neo4j import ensure_schema

    path, _ = pushed
    driver, database = _driver()
    try:
        for statement in ("DROP INDEX kg_text IF EXISTS", "DROP INDEX kg_terms IF EXISTS",
                          "CREATE FULLTEXT INDEX kg_text IF NOT EXISTS FOR (n:Paper|Author|Method|Dataset|Concept) "
                          "ON EACH [n.title, n.name]",
                          "CREATE FULLTEXT INDEX kg_terms IF NOT EXISTS FOR (n:Paper|Author|Method|Dataset|Concept) "
                          "ON EACH [n.search] OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}"):
            driver.execute_query(statement, database_=database)

        def indexes():
            records, _, _ = driver.execute_query(
                "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties, id RETURN name, labelsOrTypes, id",
                database_=database)
            return {r["name"]: (sorted(r["labelsOrTypes"]), r["id"]) for r in records}

        assert "Metric" not in indexes()["kg_terms"][0]
        assert json.loads(kg_ok(path, "related", "accuracy", "--json", "--neo4j"))["matches"] == []
        ensure_schema(driver, database)
        driver.execute_query("CALL db.awaitIndexes(120)", database_=database)
        made = indexes()
        assert all("Metric" in made[name][0] for name in ("kg_text", "kg_terms"))
        ensure_schema(driver, database)
        assert indexes() == made, "an index already matching the file is kept"
    finally:
        driver.close()
    assert json.loads(kg_ok(path, "related", "accuracy", "--json", "--neo4j")) == \
        json.loads(kg_ok(path, "related", "accuracy", "--json"))
