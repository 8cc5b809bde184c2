"""One product, two backends: the seeds loaded into the local store and into a real Neo4j give the same answers."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import store_snapshot, EXAMPLES, SEEDS

pytestmark = [pytest.mark.neo4j,
              pytest.mark.skipif(not os.environ.get("NEO4J_PASSWORD"), reason="NEO4J_PASSWORD not set: no Neo4j server")]

TERMS = ["Matryoshka", "self-supervised learning", "ImageNet", "BERT", "Transformer", "Florian Bordes", "SimCLR",
         "zzzqqq-nothing"]


def _invoke(store, *args, env=None, ok=True):
    result = CliRunner().invoke(main, ["--store", str(store), *args], env=env, catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """Seeds (or the examples when the seeds are absent) loaded with --neo4j into an emptied database."""
    from kg.store.neo4j import Neo4jSettings, connect

    settings = Neo4jSettings.from_env()
    driver = connect(settings)
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=settings.database)
    driver.close()
    store = tmp_path_factory.mktemp("store")
    source = SEEDS if SEEDS.is_dir() else EXAMPLES
    env = {"KG_SPACY_MODEL": "rules", "KG_BACKEND": ""}
    report = json.loads(_invoke(store, "load", str(source), "--neo4j", "--batch-size", "200", "--json", env=env).output)
    return store, report, env


def test_load_reports_identical_counts(loaded):
    _, report, _ = loaded
    assert report["neo4j"]["totals"] == report["totals"]


def test_pushing_twice_is_idempotent(loaded):
    store, report, env = loaded
    again = json.loads(_invoke(store, "push", "--json", env=env).output)
    assert again["totals"] == report["neo4j"]["totals"]
    assert again["written"]["created"] == {"nodes": 0, "relationships": 0}


CANNED = [["query", "top-entities", "-p", "label=Method"], ["query", "papers-using-method", "-p", "method=BERT"],
          ["query", "coauthors", "-p", "author=Florian Bordes"], ["query", "related-entities", "-p", "term=ImageNet"]]


@pytest.mark.parametrize("command", [["stats"], ["papers"]] + [["related", t, "--limit", "7"] for t in TERMS] + CANNED)
def test_same_answers_on_both_backends(loaded, command):
    store, _, env = loaded
    local = json.loads(_invoke(store, *command, "--json", env=env).output)
    remote = json.loads(_invoke(store, *command, "--json", "--neo4j", env=env).output)
    assert remote == local
    if command[0] == "related" and command[1] != "zzzqqq-nothing":
        assert local["matches"]


def test_evidence_survives_the_trip(loaded):
    from kg.store.local import LocalStore
    from kg.store.neo4j import Neo4jSettings, connect, pull_graph

    store, _, _ = loaded
    local = LocalStore(store).load_graph()
    settings = Neo4jSettings.from_env()
    driver = connect(settings)
    try:
        remote = pull_graph(driver, settings.database)
    finally:
        driver.close()
    assert sorted(remote.nodes) == sorted(local.nodes)
    local_edges = {(u, v, k): d for u, v, k, d in local.edges(keys=True, data=True)}
    remote_edges = {(u, v, k): d for u, v, k, d in remote.edges(keys=True, data=True)}
    assert remote_edges == local_edges


@pytest.mark.parametrize("override, setting", [
    ({"NEO4J_PASSWORD": "wrong-password-123"}, "NEO4J_PASSWORD"),
    ({"NEO4J_URI": "bolt://127.0.0.1:1"}, "NEO4J_URI"),
    ({"NEO4J_DATABASE": "nosuchdb"}, "NEO4J_DATABASE"),
])
def test_bad_settings_one_line_and_local_store_untouched(loaded, override, setting):
    store, _, env = loaded
    before = store_snapshot(store)
    result = _invoke(store, "load", str(EXAMPLES / "extra.jsonl"), "--neo4j", env={**env, **override}, ok=False)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and setting in lines[0], result.output
    if "NEO4J_PASSWORD" in override:
        assert override["NEO4J_PASSWORD"] not in result.output
    result = _invoke(store, "stats", "--neo4j", env={**env, **override}, ok=False)
    assert result.exit_code != 0 and setting in result.output
    assert store_snapshot(store) == before


def test_view_draws_the_same_neighbourhood(loaded, tmp_path):
    store, _, env = loaded
    local = json.loads(_invoke(store, "view", "Matryoshka", "-o", str(tmp_path / "l.html"), "--json", env=env).output)
    remote = json.loads(_invoke(store, "view", "Matryoshka", "-o", str(tmp_path / "r.html"), "--json", "--neo4j",
                                env=env).output)
    assert (remote["nodes"], remote["edges"]) == (local["nodes"], local["edges"]) and local["nodes"] > 2
