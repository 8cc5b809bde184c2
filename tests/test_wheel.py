"""A plain `pip install .` (a built wheel, not the source checkout) gives working Cypher files and schema."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(work / "dist"), str(REPO)], check=True, capture_output=True)
    wheel = next((work / "dist").glob("kg-*.whl"))
    site = work / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return wheel, site


def test_wheel_ships_cypher_files_and_kb(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "kg/cypher/schema.cypher" in names and "kg/cypher/related-entities.cypher" in names
    assert any(n.startswith("kg/extract/data/") and n.endswith(".jsonl") for n in names)
    # kg map inlines these; a wheel without them writes no page
    assert {"kg/viz/assets/field.html.j2", "kg/viz/assets/field_map.js", "kg/viz/assets/vendor/sigma.min.js",
            "kg/viz/assets/vendor/graphology.umd.min.js", "kg/viz/assets/vendor/LICENSE-sigma.txt",
            "kg/viz/assets/vendor/LICENSE-graphology.txt", "kg/viz/assets/vendor/README.md"} <= names


def test_kg_query_list_works_from_the_installed_package(installed, tmp_path):
    _, site = installed
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import kg, kg.store.neo4j as n; "
            "assert kg.__file__.startswith(sys.argv[1]), kg.__file__; "
            "print(n.cypher_dir()); from kg.cli import main; main(['query', '--list', '--json'])")
    env = {k: v for k, v in os.environ.items() if k != "KG_CYPHER_DIR"}
    result = subprocess.run([sys.executable, "-S", "-c", code, str(site)], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0 and "No module named" in result.stderr:
        # -S hides site-packages (and with them the editable checkout); put the dependencies back behind the wheel
        import site as site_module

        code = code.replace("sys.path.insert(0, sys.argv[1]);",
                            "sys.path.insert(0, sys.argv[1]); sys.path.extend(sys.argv[2:]);")
        result = subprocess.run([sys.executable, "-S", "-c", code, str(site), *site_module.getsitepackages()],
                                cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    first, _, rest = result.stdout.partition("\n")
    assert first.startswith(str(site))
    queries = json.loads(rest)
    assert {q["name"] for q in queries} >= {"related-entities", "top-entities", "shortest-path"}
