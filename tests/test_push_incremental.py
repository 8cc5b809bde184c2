"""`kg push` sends only what changed since the last complete push, deletes what the store dropped, and ends in
the same database a clean push of the final store gives. On a real Neo4j server."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import EXAMPLES, RULES_ENV, empty_neo4j, kg_ok

pytestmark = [pytest.mark.neo4j,
              pytest.mark.skipif(not os.environ.get("NEO4J_PASSWORD"), reason="NEO4J_PASSWORD not set: no Neo4j server")]






def _database_state(store) -> tuple:
    stats = json.loads(kg_ok(store, "stats", "--neo4j", "--json"))
    papers = json.loads(kg_ok(store, "papers", "--neo4j", "--json"))
    related = json.loads(kg_ok(store, "related", "Transformer", "--neo4j", "--json"))
    return stats, papers, related


def test_push_sends_only_changes_and_matches_a_clean_push(tmp_path):
    empty_neo4j()
    store = tmp_path / "store"
    files = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".jsonl", ".csv"))
    kg_ok(store, "load", *map(str, files[:-2]))
    first = json.loads(kg_ok(store, "push", "--json"))
    assert first["from_revision"] == 0 and first["totals"]["nodes"]["Paper"] > 0

    unchanged = json.loads(kg_ok(store, "push", "--json"))
    sent = sum(unchanged["written"]["nodes"].values()) + sum(unchanged["written"]["relationships"].values())
    assert sent == 0 and unchanged["totals"] == first["totals"], "an unchanged store sends nothing"

    kg_ok(store, "load", *map(str, files[-2:]))
    grown = json.loads(kg_ok(store, "push", "--json"))
    sent = sum(grown["written"]["nodes"].values()) + sum(grown["written"]["relationships"].values())
    total = sum(grown["totals"]["nodes"].values()) + sum(grown["totals"]["relationships"].values())
    assert 0 < sent < total, "only the difference is sent"
    local = json.loads(kg_ok(store, "stats", "--json"))
    assert {k: local[k] for k in ("nodes", "relationships")} == {k: grown["totals"][k] for k in ("nodes", "relationships")}
    incremental = _database_state(store)

    empty_neo4j()
    clean = json.loads(kg_ok(store, "push", "--json"))
    assert clean["from_revision"] == 0, "an emptied database gets everything"
    assert _database_state(store) == incremental


def test_stats_warns_while_a_push_is_incomplete(tmp_path):
    from kg.store.neo4j import Neo4jSettings, connect, mark_push

    empty_neo4j()
    store = tmp_path / "store"
    kg_ok(store, "load", str(EXAMPLES / "extra.jsonl"))
    kg_ok(store, "push")
    settings = Neo4jSettings.from_env()
    driver = connect(settings)
    mark_push(driver, settings.database, state="incomplete")  # what an interrupted push leaves
    driver.close()
    result = CliRunner().invoke(main, ["stats", "--neo4j", "--store", str(store)], env=RULES_ENV, catch_exceptions=False)
    assert result.exit_code == 0 and "did not finish" in result.output
    kg_ok(store, "push")
    result = CliRunner().invoke(main, ["stats", "--neo4j", "--store", str(store)], env=RULES_ENV, catch_exceptions=False)
    assert "did not finish" not in result.output
