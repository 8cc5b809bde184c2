"""Neo4j backend against a real server: schema, idempotent batched push, incremental push, round trip, errors.

Server tests are marked `neo4j` and need NEO4J_PASSWORD (scripts/test starts scripts/neo4j-local and sets it);
each starts from an empty database. Settings tests need no server.
"""
from __future__ import annotations

import json
import os
import socket

import networkx as nx
import pytest

from kg.errors import BackendError, ConfigError
from kg.extract.model import EntityHit, Evidence
from kg.graph import build_graph, graph_counts
from kg.ingest.model import Paper, SourceRef
from kg.store.neo4j import (Neo4jSettings, connect, counts, cypher_dir, ensure_schema, pull_graph, push_graph,
                            schema_statements)

needs_server = pytest.mark.skipif(not os.environ.get("NEO4J_PASSWORD"),
                                  reason="NEO4J_PASSWORD unset: start scripts/neo4j-local and export it")


# ------------------------------------------------------------------------------------ a small real graph

ABSTRACTS = {
    "vit": "We apply a pure Transformer to image patches. The Vision Transformer (ViT) reaches strong "
           "accuracy on ImageNet when pre-trained on JFT-300M.",
    "byol": "BYOL learns image representations without negative pairs. It uses ResNet-50 backbones and "
            "is evaluated on ImageNet.",
    "simsiam": "SimSiam shows that simple Siamese networks learn representations without momentum encoders. "
               "We compare with BYOL on ImageNet; self-supervised learning needs no negatives.",
}


def _paper(pid: str, title: str, authors: list[str], abstract: str | None, **extra) -> Paper:
    return Paper(id=pid, title=title, authors=authors, abstract=abstract,
                 sources=[SourceRef("seeds/example.md", 10 + len(pid))], **extra)


def _hit(paper: Paper, surface: str, type_: str, relation: str, rule: str, confidence: float,
         key: str | None = None, name: str | None = None) -> EntityHit:
    """An EntityHit with evidence at every place the surface form occurs (offsets into the abstract)."""
    evidence, start = [], paper.abstract.find(surface)
    while start >= 0:
        sentence_start = paper.abstract.rfind(". ", 0, start)
        sentence_start = 0 if sentence_start < 0 else sentence_start + 2
        sentence_end = paper.abstract.find(".", start + len(surface))
        sentence = paper.abstract[sentence_start:sentence_end + 1 if sentence_end >= 0 else None]
        evidence.append(Evidence("abstract", start, start + len(surface), surface, sentence, rule,
                                 round(confidence - 0.1 * len(evidence), 2)))
        start = paper.abstract.find(surface, start + 1)
    return EntityHit(type_, key or surface.lower(), name or surface, relation, [surface], evidence)


def small_corpus() -> tuple[list[Paper], dict]:
    vit = _paper("p-000000000001", "An Image is Worth 16x16 Words", ["Alexey Dosovitskiy", "Lucas Beyer"],
                 ABSTRACTS["vit"], date="2021-05-04", venue="ICLR 2021", upvotes=12, badge="Oral")
    byol = _paper("p-000000000002", "Bootstrap Your Own Latent", ["Jean-Bastien Grill", "Florian Strub"],
                  ABSTRACTS["byol"], url="https://example.org/byol", author_count=2)
    hits = {
        vit.id: [_hit(vit, "Vision Transformer", "Method", "PROPOSES", "propose-verb", 0.9),
                 _hit(vit, "Transformer", "Method", "USES", "kb:method:transformer", 0.8),
                 _hit(vit, "ImageNet", "Dataset", "EVALUATED_ON", "kb:dataset:imagenet", 0.95)],
        byol.id: [_hit(byol, "BYOL", "Method", "PROPOSES", "coined-name", 0.85),
                  _hit(byol, "ResNet-50", "Method", "USES", "kb:method:resnet", 0.7, key="resnet", name="ResNet"),
                  _hit(byol, "ImageNet", "Dataset", "EVALUATED_ON", "kb:dataset:imagenet", 0.9)],
    }
    return [vit, byol], hits


def bigger_corpus() -> tuple[list[Paper], dict]:
    """The small corpus plus one paper (new author, concept, edges to existing entities) and one update."""
    papers, hits = small_corpus()
    papers[0].upvotes = 40  # changed property: must replace the stored value
    papers[1].url = None  # dropped property: must disappear from the stored node
    simsiam = _paper("p-000000000003", "Exploring Simple Siamese Representation Learning",
                     ["Xinlei Chen", "Kaiming He"], ABSTRACTS["simsiam"], date="2021-06-19")
    papers.append(simsiam)
    hits[simsiam.id] = [
        _hit(simsiam, "SimSiam", "Method", "PROPOSES", "coined-name", 0.88),
        _hit(simsiam, "BYOL", "Method", "USES", "kb:method:byol", 0.75),
        _hit(simsiam, "ImageNet", "Dataset", "EVALUATED_ON", "kb:dataset:imagenet", 0.9),
        _hit(simsiam, "self-supervised learning", "Concept", "ABOUT", "kb:concept:ssl", 0.6,
             name="Self-Supervised Learning"),
    ]
    return papers, hits


def small_graph() -> nx.MultiDiGraph:
    return build_graph(*small_corpus())


def bigger_graph() -> nx.MultiDiGraph:
    return build_graph(*bigger_corpus())


def _edges(graph: nx.MultiDiGraph) -> list:
    return sorted((u, v, k, json.dumps(d, sort_keys=True)) for u, v, k, d in graph.edges(keys=True, data=True))


def _nodes(graph: nx.MultiDiGraph) -> dict:
    return {n: dict(d) for n, d in graph.nodes(data=True)}


# ---------------------------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def settings() -> Neo4jSettings:
    if not os.environ.get("NEO4J_PASSWORD"):
        pytest.skip("NEO4J_PASSWORD unset: start scripts/neo4j-local and export it")
    return Neo4jSettings.from_env(os.environ, dotenv=None)


@pytest.fixture(scope="module")
def driver(settings):
    drv = connect(settings)
    ensure_schema(drv, settings.database)
    yield drv
    drv.close()


@pytest.fixture
def db(driver, settings):
    """An empty database (schema kept) for each test; yields (driver, database)."""
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=settings.database)
    return driver, settings.database


# ----------------------------------------------------------------------------------- settings, no server

def test_settings_defaults_dotenv_and_environment_precedence(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("# local\nexport NEO4J_URI=bolt://db.local:7688\nNEO4J_PASSWORD='from-dotenv'\n"
                      "NEO4J_DATABASE=\"graphs\"\n", encoding="utf-8")
    from_file = Neo4jSettings.from_env({}, dotenv=dotenv)
    assert (from_file.uri, from_file.username, from_file.password, from_file.database) == (
        "bolt://db.local:7688", "neo4j", "from-dotenv", "graphs")
    env_wins = Neo4jSettings.from_env({"NEO4J_PASSWORD": "from-env", "NEO4J_USERNAME": "kg"}, dotenv=dotenv)
    assert (env_wins.password, env_wins.username, env_wins.uri) == ("from-env", "kg", "bolt://db.local:7688")
    defaults = Neo4jSettings.from_env({"NEO4J_PASSWORD": "pw-123456"}, dotenv=tmp_path / "absent.env")
    assert (defaults.uri, defaults.database) == ("bolt://127.0.0.1:7687", "neo4j")
    assert "pw-123456" not in repr(defaults)


def test_missing_password_or_bad_uri_is_a_config_error():
    with pytest.raises(ConfigError, match="NEO4J_PASSWORD"):
        Neo4jSettings.from_env({"NEO4J_URI": "bolt://127.0.0.1:7687"}, dotenv=None)
    with pytest.raises(ConfigError, match="NEO4J_URI=http://127.0.0.1:7474"):
        connect(Neo4jSettings(uri="http://127.0.0.1:7474", password="secret-value"))


def test_schema_file_is_found_and_idempotent():
    statements = schema_statements()
    assert (cypher_dir() / "schema.cypher").is_file()
    assert len(statements) == 14 and all("IF NOT EXISTS" in s for s in statements)
    for label in ("Paper", "Author", "Method", "Dataset", "Concept", "Metric"):
        assert any(f"(n:{label}) REQUIRE n.key IS UNIQUE" in s for s in statements)


def test_graph_fixture_follows_the_design_schema():
    graph = bigger_graph()
    assert graph.nodes["method:resnet"]["aliases"] == ["ResNet-50"]
    imagenet_edges = [d for _, _, k, d in graph.in_edges("dataset:imagenet", keys=True, data=True)]
    assert len(imagenet_edges) == 3 and all(d["type"] == "EVALUATED_ON" for d in imagenet_edges)
    vit_uses = graph.edges["paper:p-000000000001", "method:transformer", "USES"]
    assert vit_uses["count"] == 2 and len(vit_uses["evidence"]) == 2  # "Transformer" twice in the abstract


# ---------------------------------------------------------------------------------------- real server

@pytest.mark.neo4j
@needs_server
def test_schema_constraints_and_fulltext_index(db):
    driver, database = db
    ensure_schema(driver, database)  # a second run must not fail
    names = {r["name"] for r in driver.execute_query("SHOW CONSTRAINTS YIELD name", database_=database).records}
    assert {"kg_paper_key", "kg_author_key", "kg_method_key", "kg_dataset_key", "kg_concept_key"} <= names
    push_graph(driver, small_graph(), database)
    driver.execute_query("CALL db.awaitIndexes(60)", database_=database)
    found = driver.execute_query("CALL db.index.fulltext.queryNodes('kg_text', $q) YIELD node RETURN node.key AS key",
                                 q="transformer", database_=database).records
    assert {"transformer", "vision transformer"} <= {r["key"] for r in found}
    with pytest.raises(Exception, match="already exists|ConstraintValidation"):
        driver.execute_query("CREATE (:Paper {key: 'p-000000000001'})", database_=database)


@pytest.mark.neo4j
@needs_server
def test_push_twice_gives_identical_counts(db):
    driver, database = db
    graph = small_graph()
    first = push_graph(driver, graph, database, batch_size=2)
    after_first = counts(driver, database)
    assert after_first == graph_counts(graph)
    assert first["created"] == {"nodes": graph.number_of_nodes(), "relationships": graph.number_of_edges()}
    assert sum(first["nodes"].values()) == graph.number_of_nodes()
    second = push_graph(driver, graph, database, batch_size=3)
    assert second["created"] == {"nodes": 0, "relationships": 0}
    assert counts(driver, database) == after_first


@pytest.mark.neo4j
@needs_server
def test_bigger_push_adds_only_new_things_and_replaces_properties(db):
    driver, database = db
    small, big = small_graph(), bigger_graph()
    push_graph(driver, small, database)
    seen = []
    result = push_graph(driver, big, database, batch_size=4, progress=seen.append)
    assert result["created"] == {"nodes": big.number_of_nodes() - small.number_of_nodes(),
                                 "relationships": big.number_of_edges() - small.number_of_edges()}
    assert counts(driver, database) == graph_counts(big)
    assert seen == sorted(seen) and seen[-1] == big.number_of_nodes() + big.number_of_edges()
    vit, byol = driver.execute_query("MATCH (p:Paper) WHERE p.key IN $keys RETURN p ORDER BY p.key",
                                     keys=["p-000000000001", "p-000000000002"], database_=database).records
    assert vit["p"]["upvotes"] == 40
    assert "url" not in byol["p"]  # SET replaces: a property gone from the graph is gone from Neo4j
    byol_node = driver.execute_query("MATCH (m:Method {key: 'byol'}) RETURN m.papers AS papers",
                                     database_=database).records[0]
    assert byol_node["papers"] == 2  # recomputed by the bigger graph, and updated in place


@pytest.mark.neo4j
@needs_server
def test_evidence_is_json_plus_flattened_best_mention(db):
    driver, database = db
    graph = small_graph()
    push_graph(driver, graph, database)
    record = driver.execute_query(
        "MATCH (:Paper {key: $paper})-[r:USES]->(:Method {key: 'transformer'}) RETURN r",
        paper="p-000000000001", database_=database).records[0]["r"]
    stored = json.loads(record["evidence"])
    original = graph.edges["paper:p-000000000001", "method:transformer", "USES"]["evidence"]
    assert stored == original
    best = max(original, key=lambda e: e["confidence"])
    assert (record["sentence"], record["field"], record["start"], record["end"]) == (
        best["sentence"], best["field"], best["start"], best["end"])
    assert ABSTRACTS["vit"][record["start"]:record["end"]] == "Transformer"


@pytest.mark.neo4j
@needs_server
def test_pull_graph_round_trip_equals_the_original(db):
    driver, database = db
    graph = bigger_graph()
    push_graph(driver, graph, database, batch_size=5)
    pulled = pull_graph(driver, database)
    assert _nodes(pulled) == _nodes(graph)
    assert _edges(pulled) == _edges(graph)
    assert nx.utils.graphs_equal(pulled, graph)
    assert pulled.edges["author:lucas beyer", "paper:p-000000000001", "AUTHORED"]["position"] == 1


@pytest.mark.neo4j
@needs_server
def test_wrong_password_names_the_setting_but_not_the_secret(settings, capsys):
    wrong = settings.password + "-but-wrong"
    with pytest.raises(BackendError) as caught:
        connect(Neo4jSettings(uri=settings.uri, username=settings.username, password=wrong,
                              database=settings.database))
    message = str(caught.value)
    assert "NEO4J_PASSWORD" in message and "NEO4J_USERNAME" in message and "\n" not in message
    assert wrong not in message and settings.password not in message
    out, err = capsys.readouterr()
    assert wrong not in out + err and settings.password not in out + err


@pytest.mark.neo4j
@needs_server
def test_unreachable_server_names_the_uri(settings):
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    uri = f"bolt://127.0.0.1:{port}"
    with pytest.raises(BackendError, match=f"NEO4J_URI={uri}") as caught:
        connect(Neo4jSettings(uri=uri, password=settings.password))
    assert "\n" not in str(caught.value) and settings.password not in str(caught.value)


@pytest.mark.neo4j
@needs_server
def test_missing_database_names_the_setting(settings):
    with pytest.raises(BackendError, match="NEO4J_DATABASE=no-such-db"):
        connect(Neo4jSettings(uri=settings.uri, username=settings.username, password=settings.password,
                              database="no-such-db"))
