"""`kg export --format neo4j-csv` imported with `neo4j-admin database import full` (the admin tool of the same
Maven-fetched Neo4j that scripts/neo4j-local runs) into a fresh server on spare ports gives the database `kg push`
gives: the same counts, the same canned-query rows, papers and related answers, and a later `kg push` from the
store sends nothing."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest


from conftest import EXAMPLES, REPO, kg_ok

pytestmark = [pytest.mark.neo4j,
              pytest.mark.skipif(not os.environ.get("NEO4J_PASSWORD"), reason="NEO4J_PASSWORD not set: no Neo4j server")]
BOLT_PORT, HTTP_PORT = os.environ.get("KG_IMPORT_BOLT_PORT", "7698"), os.environ.get("KG_IMPORT_HTTP_PORT", "7485")
# (spare ports of this test's own server; KG_IMPORT_BOLT_PORT / KG_IMPORT_HTTP_PORT move it when they are taken)


def _neo4j_lib() -> Path:
    """The jars scripts/neo4j-local fetched (the running test server's home, or KG_NEO4J_LIB)."""
    for candidate in (os.environ.get("KG_NEO4J_LIB"), os.environ.get("NEO4J_HOME") and
                      str(Path(os.environ["NEO4J_HOME"]) / "lib"), str(REPO / ".neo4j" / "lib")):
        if candidate and (Path(candidate) / ".pom-stamp").is_file():
            return Path(candidate)
    pytest.skip("no Neo4j jars (run scripts/neo4j-local start once, or set KG_NEO4J_LIB)")


def _java() -> str:
    for home in (os.environ.get("JAVA17_HOME"), "/usr/lib/jvm/java-17-openjdk-amd64",
                 "/usr/lib/jvm/java-21-openjdk-amd64"):
        if home and Path(home, "bin", "java").is_file():
            return str(Path(home, "bin", "java"))
    return shutil.which("java") or pytest.skip("no java")

def _answers(store, env=None, term="Transformer", label="Method") -> dict:
    return {
        "stats": {k: v for k, v in json.loads(kg_ok(None, "stats", "--neo4j", "--json", "--store", str(store), env=env)).items()
                  if k in ("nodes", "relationships", "top")},
        "top": json.loads(kg_ok(None, "query", "top-entities", "-p", f"label={label}", "--neo4j", "--json", env=env)),
        "papers": json.loads(kg_ok(None, "papers", "--neo4j", "--json", env=env)),
        "related": json.loads(kg_ok(None, "related", term, "--neo4j", "--json", env=env)),
    }


def _examples(store: Path) -> None:
    kg_ok(None, "load", str(EXAMPLES), "--store", str(store))


def _variants(store: Path) -> None:
    """Hand-built hits with VARIANT_OF pairs and Metric nodes (tests/test_variants.py)."""
    from kg.store import LocalStore
    from test_variants import hits_a, papers, write

    local = LocalStore(store)
    write(local, papers(), hits_a())
    local.close()


def _await_indexes(uri: str) -> None:
    from kg.store.neo4j import Neo4jSettings, connect

    settings = Neo4jSettings.from_env({**os.environ, "NEO4J_URI": uri})
    driver = connect(settings)
    driver.execute_query("CALL db.awaitIndexes(120)", database_=settings.database)
    driver.close()


@pytest.mark.parametrize("make, term, label", [(_examples, "Transformer", "Method"),
                                               (_variants, "Tree-LSTM", "Metric")], ids=["examples", "variants"])
def test_neo4j_admin_import_equals_push(tmp_path, make, term, label):
    lib, java = _neo4j_lib(), _java()
    store, csv_dir, home = tmp_path / "store", tmp_path / "csv", tmp_path / "neo4j-home"
    make(store)
    report = json.loads(kg_ok(None, "export", "--format", "neo4j-csv", "-o", str(csv_dir), "--store", str(store), "--json"))

    # A fresh server home sharing the jars; its conf is the one scripts/neo4j-local writes.
    (home / "conf").mkdir(parents=True)
    (home / "lib").symlink_to(lib)
    template = (REPO / "neo4j-runtime" / "neo4j.conf").read_text(encoding="utf-8")
    (home / "conf" / "neo4j.conf").write_text(
        template.replace("@BOLT_PORT@", BOLT_PORT).replace("@HTTP_PORT@", HTTP_PORT), encoding="utf-8")
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf"),
           "NEO4J_BOLT_PORT": BOLT_PORT, "NEO4J_HTTP_PORT": HTTP_PORT}
    env.pop("JAVA_OPTS", None), env.pop("HEAP_SIZE", None)
    imported = subprocess.run(
        [java, "-Xmx128m", "-XX:+UseSerialGC", "-cp", f"{home}/lib/*", f"-Dbasedir={home}",
         "org.neo4j.server.startup.Neo4jAdminCommand", "database", "import", "full", "--overwrite-destination",
         "neo4j", "@import.args"], cwd=csv_dir, env=env, capture_output=True, text=True, timeout=300)
    assert imported.returncode == 0, imported.stdout[-3000:] + imported.stderr[-3000:]
    assert f"{sum(report['relationships'].values())} relationships" in imported.stdout.replace(",", "") or \
        "IMPORT DONE" in imported.stdout

    script = str(REPO / "scripts" / "neo4j-local")
    started = subprocess.run([script, "start"], env=env, capture_output=True, text=True, timeout=240)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        uri = f"bolt://127.0.0.1:{BOLT_PORT}"
        other = {"NEO4J_URI": uri}
        # The import carries the push mark: a push from the same store only adds the schema and sends nothing.
        pushed = json.loads(kg_ok(None, "push", "--json", "--store", str(store), env=other))
        assert pushed["from_revision"] == pushed["to_revision"]
        assert sum(pushed["written"]["nodes"].values()) + sum(pushed["written"]["relationships"].values()) == 0
        _await_indexes(uri)
        from_import = _answers(store, env=other, term=term, label=label)
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, text=True, timeout=120)

    from kg.store.neo4j import Neo4jSettings, connect

    settings = Neo4jSettings.from_env()
    driver = connect(settings)
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=settings.database)
    driver.close()
    kg_ok(None, "push", "--full", "--store", str(store))
    _await_indexes(settings.uri)
    from_push = _answers(store, term=term, label=label)
    assert from_import["stats"]["nodes"] == {k: v for k, v in report["nodes"].items()}
    assert from_import["stats"]["relationships"] == report["relationships"]
    assert from_import == from_push
