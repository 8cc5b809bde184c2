"""`kg push` sends only what changed since the last complete push, deletes what the store dropped, and ends in
the same database a clean push of the final store gives. On a real Neo4j server."""
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


def _kg(store, *args):
    result = CliRunner().invoke(main, [*args, "--store", str(store)], env=ENV, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _empty_database():
    from kg.store.neo4j import Neo4jSettings, connect

    settings = Neo4jSettings.from_env()
    driver = connect(settings)
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=settings.database)
    driver.close()


def _database_state(store) -> tuple:
    stats = json.loads(_kg(store, "stats", "--neo4j", "--json"))
    papers = json.loads(_kg(store, "papers", "--neo4j", "--json"))
    related = json.loads(_kg(store, "related", "Transformer", "--neo4j", "--json"))
    return stats, papers, related


def test_push_sends_only_changes_and_matches_a_clean_push(tmp_path):
    _empty_database()
    store = tmp_path / "store"
    files = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".jsonl", ".csv"))
    _kg(store, "load", *map(str, files[:-2]))
    first = json.loads(_kg(store, "push", "--json"))
    assert first["from_revision"] == 0 and first["totals"]["nodes"]["Paper"] > 0

    unchanged = json.loads(_kg(store, "push", "--json"))
    sent = sum(unchanged["written"]["nodes"].values()) + sum(unchanged["written"]["relationships"].values())
    assert sent == 0 and unchanged["totals"] == first["totals"], "an unchanged store sends nothing"

    _kg(store, "load", *map(str, files[-2:]))
    grown = json.loads(_kg(store, "push", "--json"))
    sent = sum(grown["written"]["nodes"].values()) + sum(grown["written"]["relationships"].values())
    total = sum(grown["totals"]["nodes"].values()) + sum(grown["totals"]["relationships"].values())
    assert 0 < sent < total, "only the difference is sent"
    local = json.loads(_kg(store, "stats", "--json"))
    assert {k: local[k] for k in ("nodes", "relationships")} == {k: grown["totals"][k] for k in ("nodes", "relationships")}
    incremental = _database_state(store)

    _empty_database()
    clean = json.loads(_kg(store, "push", "--json"))
    assert clean["from_revision"] == 0, "an emptied database gets everything"
    assert _database_state(store) == incremental


def test_stats_warns_while_a_push_is_incomplete(tmp_path):
    from kg.store.neo4j import Neo4jSettings, connect, mark_push

    _empty_database()
    store = tmp_path / "store"
    _kg(store, "load", str(EXAMPLES / "extra.jsonl"))
    _kg(store, "push")
    settings = Neo4jSettings.from_env()
    driver = connect(settings)
    mark_push(driver, settings.database, state="incomplete")  # what an interrupted push leaves
    driver.close()
    result = CliRunner().invoke(main, ["stats", "--neo4j", "--store", str(store)], env=ENV, catch_exceptions=False)
    assert result.exit_code == 0 and "did not finish" in result.output
    _kg(store, "push")
    result = CliRunner().invoke(main, ["stats", "--neo4j", "--store", str(store)], env=ENV, catch_exceptions=False)
    assert "did not finish" not in result.output
