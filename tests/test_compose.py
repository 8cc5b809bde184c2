"""docker-compose.yml validates with the real compose tool (no engine needed for `config`)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import REPO


def _compose() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


pytestmark = pytest.mark.skipif(_compose() is None, reason="neither `docker compose` nor docker-compose installed")


def _config(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([*_compose(), "-f", str(REPO / "docker-compose.yml"), "config"], cwd=REPO,
                          env={"PATH": "/usr/bin:/bin:/usr/local/bin", **env}, capture_output=True, text=True,
                          timeout=60)


def test_compose_file_validates_with_password():
    result = _config({"NEO4J_PASSWORD": "a-long-secret"})
    assert result.returncode == 0, result.stderr
    assert "neo4j:5.26-community" in result.stdout
    assert "7687" in result.stdout and "7474" in result.stdout
    assert "healthcheck" in result.stdout and "neo4j/a-long-secret" in result.stdout
    assert "neo4j-data" in result.stdout


def test_compose_refuses_to_run_without_a_password():
    result = _config({})
    assert result.returncode != 0
    assert "NEO4J_PASSWORD" in result.stderr
