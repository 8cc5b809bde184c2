"""Neo4j faults through the real CLI, on a server of our own (so the shared one on 7687 is never killed).

A 10k-paper store is pushed cleanly once for reference; then the server is killed with SIGKILL in the middle of a
push and restarted, a push is interrupted with SIGINT, and the server is killed during a read. Each failure must be
one line on stderr with a non-zero exit, and pushing again must give exactly what the clean push gave.
The server lives in a temp NEO4J_HOME on KG_FAULT_BOLT_PORT/KG_FAULT_HTTP_PORT (default 7697/7484).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.neo4j

SCRIPT = REPO / "scripts" / "neo4j-local"
PASSWORD = os.environ.get("NEO4J_PASSWORD") or "kg-test-password"
BOLT_PORT = os.environ.get("KG_FAULT_BOLT_PORT", "7697")
HTTP_PORT = os.environ.get("KG_FAULT_HTTP_PORT", "7484")
URI = f"bolt://127.0.0.1:{BOLT_PORT}"
PAPERS = 10_000
RETRY_SECONDS = "2"  # the driver's retry budget for these runs: a dead server must fail fast
CANNED = [["query", "top-entities", "-p", "label=Method"], ["query", "papers-using-method", "-p", "method=BERT",
                                                            "-p", "limit=50"]]


class FaultServer:
    """scripts/neo4j-local on a home and ports of its own; killed and restarted at will."""

    def __init__(self, home: Path):
        self.home = home
        self.env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_BOLT_PORT": BOLT_PORT,
                    "NEO4J_HTTP_PORT": HTTP_PORT, "NEO4J_PASSWORD": PASSWORD}

    def _script(self, command: str) -> None:
        result = subprocess.run([str(SCRIPT), command], env=self.env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"neo4j-local {command} failed:\n{result.stdout}\n{result.stderr}"

    def start(self) -> None:
        self._script("start")

    def stop(self) -> None:
        self._script("stop")

    def kill(self) -> None:
        """SIGKILL the server's JVM, as a crash or the OOM killer would, and wait until it is gone."""
        pid = int((self.home / "run" / "kg-neo4j.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        raise AssertionError(f"server pid {pid} survived SIGKILL")

    def driver(self):
        import neo4j

        return neo4j.GraphDatabase.driver(URI, auth=("neo4j", PASSWORD))

    def cypher(self, statement: str) -> list:
        with self.driver() as driver:
            return driver.execute_query(statement)[0]

    def wipe(self) -> None:
        self.cypher("MATCH (n) DETACH DELETE n")

    def wait_for(self, probe: str, process: subprocess.Popen, timeout: float = 120) -> None:
        """Poll `probe` (a count query) until it is positive, while `process` is still running."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert process.poll() is None, f"the command ended before the fault: {process.communicate()}"
            if self.cypher(probe)[0][0] > 0:
                return
            time.sleep(0.05)
        raise AssertionError(f"{probe!r} stayed 0 for {timeout}s")


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KG_"))}
    return {**env, "NEO4J_URI": URI, "NEO4J_PASSWORD": PASSWORD, "KG_SPACY_MODEL": "rules",
            "KG_NEO4J_RETRY_SECONDS": RETRY_SECONDS, "PYTHONPATH": str(REPO)}


def _kg_command(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", "from kg.cli import main; main()", "--store", str(store), *args]


def kg(store: Path, *args: str, ok: bool = True, env: dict | None = None, timeout: float = 300):
    """The real CLI in a subprocess, run from the store's folder (so no repo .env is read)."""
    result = subprocess.run(_kg_command(store, *args), env={**_env(), **(env or {})}, cwd=store.parent,
                            capture_output=True, text=True, timeout=timeout)
    if ok:
        assert result.returncode == 0, result.stderr
    return result


def kg_background(store: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(_kg_command(store, *args), env=_env(), cwd=store.parent, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{stderr}"
    assert "Traceback" not in stderr and "retried" not in stderr
    return lines[0]


def answers(store: Path) -> dict:
    """What a user sees of the database: the counts and two canned queries' rows."""
    result = {"stats": json.loads(kg(store, "stats", "--neo4j", "--json").stdout)}
    for command in CANNED:
        result[command[1]] = json.loads(kg(store, *command, "--neo4j", "--json").stdout)
    return result


# ------------------------------------------------------------------------------------------------ fixtures

def _corpus(path: Path) -> None:
    """10k short papers with distinct titles; a few methods and datasets so there are extracted relationships."""
    methods = ["BERT", "ResNet", "Transformer", "LSTM", "GPT-2", "ViT", "Adam", "dropout", "U-Net", "word2vec"]
    datasets = ["ImageNet", "CIFAR-10", "MNIST", "SQuAD", "COCO", "GLUE", "WikiText-103", "Penn Treebank"]
    with path.open("w", encoding="utf-8") as out:
        for i in range(PAPERS):
            method, dataset = methods[i % len(methods)], datasets[(i // 10) % len(datasets)]
            out.write(json.dumps({"title": f"Study {i:05d} of {method} models",
                                  "authors": [f"Author {chr(65 + i % 26)}{i % 97}", f"Writer {chr(65 + i % 23)}{i % 89}"],
                                  "abstract": f"We train {method} on {dataset}. Case {i} improves accuracy."}) + "\n")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    fault = FaultServer(tmp_path_factory.mktemp("neo4j-fault-home"))
    fault.start()
    try:
        yield fault
    finally:
        fault.stop()


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fault-store")
    corpus = folder / "corpus.jsonl"
    _corpus(corpus)
    kg(folder / "store", "load", str(corpus), "--model", "rules", "--json")
    return folder / "store"


@pytest.fixture(scope="module")
def reference(server, store) -> dict:
    """The answers after a clean push into an empty database."""
    server.wipe()
    kg(store, "push", "--json")
    result = answers(store)
    assert result["stats"]["nodes"]["Paper"] == PAPERS and result["papers-using-method"]
    return result


# --------------------------------------------------------------------------------------------------- tests

@pytest.mark.parametrize("backend", [[], ["--neo4j"]])
def test_integer_parameter_beyond_64_bits_is_one_line_on_both_backends(server, store, backend):
    result = kg(store, "query", "top-entities", "-p", "label=Method", "-p",
                "limit=99999999999999999999", *backend, ok=False)
    assert result.returncode != 0
    line = _one_error_line(result.stderr)
    assert "'limit'" in line and "64-bit" in line


def test_system_database_is_refused_naming_the_setting(server, store):
    env = {"NEO4J_DATABASE": "system"}
    for command in (["stats", "--neo4j"], ["push"], ["query", "top-entities", "-p", "label=Method", "--neo4j"]):
        result = kg(store, *command, ok=False, env=env)
        assert result.returncode != 0
        line = _one_error_line(result.stderr)
        assert "NEO4J_DATABASE=system" in line and "graph database" in line


def test_retry_setting_must_be_a_number(server, store):
    result = kg(store, "stats", "--neo4j", ok=False, env={"KG_NEO4J_RETRY_SECONDS": "soon"})
    assert result.returncode != 0 and "KG_NEO4J_RETRY_SECONDS=soon" in _one_error_line(result.stderr)


def test_server_killed_during_push_then_push_again_equals_a_clean_push(server, store, reference):
    server.wipe()
    push = kg_background(store, "push", "--batch-size", "1000")
    server.wait_for("MATCH ()-[r]->() RETURN count(r)", push)
    server.kill()
    _, stderr = push.communicate(timeout=120)
    assert push.returncode != 0
    assert "NEO4J_URI" in _one_error_line(stderr)
    server.start()
    assert server.cypher("MATCH ()-[r]->() RETURN count(r)")[0][0] < sum(
        reference["stats"]["relationships"].values()), "the push had finished before the kill"
    kg(store, "push")
    assert answers(store) == reference


def test_ctrl_c_during_push_exits_cleanly_and_a_rerun_completes(server, store, reference):
    server.wipe()
    push = kg_background(store, "push", "--batch-size", "1000")
    server.wait_for("MATCH ()-[r]->() RETURN count(r)", push)
    push.send_signal(signal.SIGINT)
    _, stderr = push.communicate(timeout=120)
    assert push.returncode != 0
    assert "Traceback" not in stderr and len([line for line in stderr.splitlines() if line.strip()]) <= 1, stderr
    kg(store, "push")
    assert answers(store) == reference


def test_server_killed_during_a_read_is_one_line(server, store, reference):
    read = kg_background(store, "papers", "--neo4j", "--json")
    server.wait_for("SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS ':Paper' "
                    "AND NOT currentQuery STARTS WITH 'SHOW' RETURN count(*)", read)
    server.kill()
    stdout, stderr = read.communicate(timeout=120)
    assert read.returncode != 0 and not stdout.strip()
    assert "NEO4J_URI" in _one_error_line(stderr)
    result = kg(store, "stats", "--neo4j", ok=False)  # the server is gone now: the same one line, no retry noise
    assert result.returncode != 0 and "NEO4J_URI" in _one_error_line(result.stderr)
