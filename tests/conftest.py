"""Shared fixtures: where the real seed listings and eval sets live (../shared beside the repo, when present)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__import__("os").environ.get("KG_SHARED", REPO.parent / "shared"))
SEEDS = SHARED / "seeds"
EVAL = SHARED / "eval"
EXAMPLES = REPO / "examples"


def seed(prefix: str) -> Path:
    """The seed file whose name starts with `prefix` ("000", "001" …)."""
    matches = sorted(SEEDS.glob(f"{prefix}_*"))
    if not matches:
        pytest.skip(f"seed listings not present under {SEEDS}")
    return matches[0]


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed listings not present under {SEEDS}")
    return SEEDS


@pytest.fixture(scope="module")
def rules():
    """One rules-only extractor per test module: building the KB matchers is the slow part."""
    from kg.extract import Extractor

    return Extractor(model="rules")


def by_name(hits):
    """Extracted hits keyed by canonical name."""
    return {h.name: h for h in hits}


def store_snapshot(store_path) -> str:
    """Everything the store holds, as text (the database file itself changes with checkpoints)."""
    from kg.store import LocalStore

    store = LocalStore(store_path)
    try:
        graph = store.load_graph()
        return json.dumps([sorted(graph.nodes(data=True)), sorted(graph.edges(keys=True, data=True)),
                           store.counts(), store.revision()], sort_keys=True, default=str)
    finally:
        store.close()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (tests/browser.py drives it over a pipe)."""
    from browser import Browser, find_chromium

    if find_chromium() is None:
        pytest.skip("headless Chromium not installed")
    with Browser() as b:
        yield b


RULES_ENV = {"KG_SPACY_MODEL": "rules", "KG_BACKEND": "", "KG_WORKERS": "1"}


def kg_run(store, *args, ok: bool = True, env: dict | None = None):
    """`kg [--store STORE] ARGS` through click's runner in rules mode, one worker (`env` adds settings); with `ok`,
    a non-zero exit fails the test. The click Result."""
    from click.testing import CliRunner

    from kg.cli import main

    argv = [*(["--store", str(store)] if store is not None else []), *args]
    result = CliRunner().invoke(main, argv, env={**RULES_ENV, **(env or {})}, catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def kg_ok(store, *args, env: dict | None = None) -> str:
    """`kg [--store STORE] ARGS` that must succeed: its stdout."""
    return kg_run(store, *args, env=env).stdout


def empty_neo4j() -> None:
    """Delete everything in the test server's database (tests that push start from nothing)."""
    from kg.store.neo4j import Neo4jSettings, connect

    settings = Neo4jSettings.from_env()
    driver = connect(settings)
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=settings.database)
    driver.close()
