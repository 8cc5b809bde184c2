"""`kg view` end to end: real listings → graph → page, drawn in headless Chromium, screenshot kept."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.store import LocalStore

from conftest import EXAMPLES, SEEDS

sys.path.insert(0, str(Path(__file__).parent))
from browser import Browser, find_chromium, png_colour_count  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
pytestmark = [pytest.mark.browser, pytest.mark.skipif(find_chromium() is None, reason="headless Chromium not installed")]


@pytest.mark.parametrize("source", ["seeds", "examples"])
def test_view_matryoshka_in_chromium(tmp_path, monkeypatch, source):
    folder = SEEDS if source == "seeds" else EXAMPLES
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    monkeypatch.setenv("KG_SPACY_MODEL", "rules")
    store, page = tmp_path / "store", tmp_path / "m.html"
    runner = CliRunner()
    assert runner.invoke(main, ["--store", str(store), "load", str(folder)]).exit_code == 0
    result = runner.invoke(main, ["--store", str(store), "view", "Matryoshka", "-o", str(page), "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    graph = LocalStore(store).load_graph()
    titles = {d.get("title") for _, d in graph.nodes(data=True)}
    assert {"Matryoshka Representation Learning", "2D Matryoshka Sentence Embeddings"} <= titles
    # the view holds the matching papers and their direct neighbours
    matching = [n for n, d in graph.nodes(data=True) if "Matryoshka" in (d.get("title") or "")]
    expected = set(matching) | {m for n in matching for m in nx.all_neighbors(graph, n)}
    assert stats["nodes"] >= len(expected) or stats["nodes"] == 300
    with Browser() as browser:
        report = browser.open(page, wait_for="window.kgReady === true")
        assert report.console_errors == [] and report.remote_requests == []
        # summary boxes (if any) stand for the nodes they collapse until clicked
        assert stats["drawn"] - stats["groups"] + stats["collapsed"] == stats["nodes"]
        assert browser.evaluate("network.body.data.nodes.length") == stats["drawn"]
        assert browser.evaluate("kgDrawnNodeCount()") == stats["drawn"]
        drawn = set(browser.evaluate("network.body.data.nodes.getIds()"))
        assert set(matching) <= drawn
        shot = browser.screenshot(ARTIFACTS / f"view_matryoshka_{source}.png")
    assert png_colour_count(shot) > 20
