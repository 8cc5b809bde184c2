"""Canned queries on a real Neo4j server give exactly the rows of their local twins (same graph, same params).

Needs NEO4J_PASSWORD (and NEO4J_URI unless the server is on bolt://127.0.0.1:7687); the database is emptied,
then the seed graph of test_canned_local is pushed with kg.store.neo4j.push_graph.
"""
from __future__ import annotations

import os

import pytest

from kg.queries.canned import run_local, run_neo4j
from kg.queries.twins import text_key

from test_canned_local import NAMES, busiest, papers_of, seed_graph

pytestmark = pytest.mark.neo4j
NOTHING = "no node is called this 7f3a"


@pytest.fixture(scope="module")
def server():
    if not os.environ.get("NEO4J_PASSWORD"):
        pytest.skip("NEO4J_PASSWORD unset: start scripts/neo4j-local and export it")
    from kg.store.neo4j import Neo4jSettings, connect, ensure_schema, push_graph

    settings = Neo4jSettings.from_env(os.environ, dotenv=None)
    driver = connect(settings)
    try:
        ensure_schema(driver, settings.database)
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=settings.database)
        graph = seed_graph()
        push_graph(driver, graph, settings.database)
        yield driver, settings.database, graph
    finally:
        driver.close()


def _name(graph, node):
    data = graph.nodes[node]
    return data.get("title") or data["name"]


def cases(graph, query: str) -> list[dict]:
    """Several argument sets per query, chosen from the graph: busy nodes, an alias, a key, odd case, no match."""
    def top(label, rank=0, measure=None):
        nodes = sorted((n for n, d in graph.nodes(data=True) if d["label"] == label),
                       key=lambda n: (-(measure or (lambda m: len(papers_of(graph, m))))(n), n))
        return nodes[min(rank, len(nodes) - 1)]

    method, method2, dataset, concept = top("Method"), top("Method", 5), top("Dataset"), top("Concept")
    author = busiest(graph, "Author", lambda n: len(papers_of(graph, n)))
    proposer = busiest(graph, "Author", lambda n: sum(
        1 for p in graph.successors(n) for _, _, k in graph.out_edges(p, keys=True) if k == "PROPOSES"))
    paper = busiest(graph, "Paper", lambda n: graph.out_degree(n))
    alias = next(a for a in graph.nodes[method]["aliases"] if a != graph.nodes[method]["name"])
    by_query = {
        "related-entities": [{"term": graph.nodes[method]["name"]}, {"term": alias.upper(), "limit": 5},
                             {"term": graph.nodes[dataset]["key"]}, {"term": graph.nodes[concept]["name"], "limit": 40},
                             {"term": NOTHING}],
        "papers-using-method": [{"method": alias}, {"method": graph.nodes[method2]["name"].lower()},
                                {"method": graph.nodes[method]["key"], "limit": 2}, {"method": NOTHING}],
        "papers-on-dataset": [{"dataset": graph.nodes[dataset]["name"]}, {"dataset": graph.nodes[top("Dataset", 3)]["key"]},
                              {"dataset": graph.nodes[top("Dataset", 1)]["name"].upper(), "limit": 1},
                              {"dataset": NOTHING}],
        "author-methods": [{"author": graph.nodes[proposer]["name"]}, {"author": graph.nodes[author]["key"]},
                           {"author": NOTHING}],
        "coauthors": [{"author": graph.nodes[author]["name"].upper()}, {"author": graph.nodes[proposer]["key"]},
                      {"author": graph.nodes[author]["name"], "limit": 1}, {"author": NOTHING}],
        "top-entities": [{"label": "Method"}, {"label": "dataset", "limit": 200}, {"label": "CONCEPT", "limit": 3}],
        "shortest-path": [{"from": graph.nodes[method]["name"], "to": graph.nodes[dataset]["name"]},
                          {"from": graph.nodes[author]["name"], "to": _name(graph, concept), "limit": 50},
                          {"from": _name(graph, paper), "to": graph.nodes[method2]["key"]},
                          {"from": graph.nodes[proposer]["name"], "to": graph.nodes[author]["name"]},
                          {"from": alias, "to": alias}, {"from": NOTHING, "to": graph.nodes[dataset]["name"]}],
        "similar-papers": [{"title": _name(graph, paper)}, {"title": graph.nodes[paper]["key"], "limit": 50},
                           {"title": _name(graph, top("Paper", 7, lambda n: graph.out_degree(n))).upper()},
                           {"title": NOTHING}],
    }
    return by_query[query]


@pytest.mark.parametrize("name", NAMES)
def test_server_and_local_twin_agree(server, name):
    driver, database, graph = server
    answered = 0
    for params in cases(graph, name):
        local = run_local(name, graph, params)
        remote = run_neo4j(name, driver, database, params)
        assert remote == local, f"{name} {params}"
        answered += bool(local)
        if NOTHING in params.values():
            assert local == []
    assert answered >= 2, f"{name}: the chosen arguments should mostly find something"


def test_string_order_matches_the_server(server):
    """ORDER BY on the server compares UTF-16 code units; the twins' sort key must agree (unlike Python's <)."""
    driver, database, _ = server
    words = ["\U0001F600", "\uFF01", "é", "e", "Z", "a", "", " b", "ä", "ß", "ss", "\u00A0x"]
    records, _, _ = driver.execute_query("UNWIND $words AS w RETURN w ORDER BY w", words=words, database_=database)
    assert [r["w"] for r in records] == sorted(words, key=text_key)
    assert sorted(words) != sorted(words, key=text_key)


def test_values_are_plain_python(server):
    driver, database, graph = server
    rows = run_neo4j("shortest-path", driver, database, cases(graph, "shortest-path")[0])
    assert rows and all(type(v) in (int, str, list) for row in rows for v in row.values())
    assert all(type(x) is str for row in rows for x in row["nodes"])


def test_a_failing_statement_is_a_one_line_backend_error(server, tmp_path, monkeypatch):
    from kg.errors import BackendError
    from kg.queries.canned import get_query

    driver, database, _ = server
    (tmp_path / "broken.cypher").write_text("// name: broken\n// params: n (int)\nRETURN 1 / $n AS x;\n")
    monkeypatch.setenv("KG_CYPHER_DIR", str(tmp_path))
    assert run_neo4j("broken", driver, database, {"n": 2}) == [{"x": 0}]
    with pytest.raises(BackendError, match=r"query broken .* failed on Neo4j: / by zero") as err:
        run_neo4j(get_query("broken"), driver, database, {"n": 0})
    assert "\n" not in str(err.value)
