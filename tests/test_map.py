"""`kg map` (issue 10, part 3): the whole corpus on one offline page, topics as regions, drawn by sigma (WebGL).

Pure Python first (what is read and cut, the layout, escaping), then headless Chromium: a 20k-node synthetic map
and a real one of examples/, with no console errors, no requests, and as many nodes drawn as the page holds.
Screenshots go to test-artifacts/ (map_*.png) for a person to look at."""
from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.app.map import _topics_for, write_map
from kg.cli import main
from kg.graph.schema import FIELD_LABELS
from kg.queries.field import capped, read_field
from kg.store import LocalStore
from kg.viz.field_layout import field_layout, topic_regions
from kg.viz.field_map import field_map_data, field_map_html
from kg.viz.html import write_page

from conftest import EXAMPLES, REPO

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(REPO / "bench"))
from browser import find_chromium, png_colour_count  # noqa: E402
from viz_scaling import Topic, synthetic_field  # noqa: E402

ARTIFACTS = REPO / "test-artifacts"
HOSTILE = "</script><img src=x onerror=alert(1)>"
needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="headless Chromium not installed")


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("map") / "store"
    result = CliRunner().invoke(main, ["--store", str(store), "load", str(EXAMPLES), "--model", "rules"])
    assert result.exit_code == 0, result.output
    return store


def page_data(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="kg-map-data">(.*?)</script>', text, re.S).group(1))


# -- what is read and cut -------------------------------------------------------------------------------

def test_read_field_keeps_entities_first_then_best_connected_papers(examples_store):
    store = LocalStore(examples_store)
    try:
        whole = read_field(store)
        counts = store.counts()["nodes"]
        entities = sum(counts[label] for label in FIELD_LABELS)
        assert whole["cut"]["entities"] == [entities, entities]
        kinds = [n["label"] for n in whole["nodes"]]
        assert "Author" not in kinds and kinds.count("Paper") == whole["cut"]["papers"][0]
        ids = {n["id"] for n in whole["nodes"]}
        assert all(p in ids and e in ids for p, e, _, _ in whole["edges"])
        assert len({(p, e) for p, e, _, _ in whole["edges"]}) == len(whole["edges"])
        weights = [w for *_, w in whole["edges"]]
        assert weights == sorted(weights, reverse=True)
        papers = [n for n in whole["nodes"] if n["label"] == "Paper"]
        assert all(p["name"] for p in papers) and any(p["authors"] for p in papers)
        assert any(n.get("evidence") for n in whole["nodes"] if n["label"] != "Paper")

        small = read_field(store, max_nodes=entities + 5, max_edges=20)
        papers = [n for n in small["nodes"] if n["label"] == "Paper"]
        assert len(small["nodes"]) == entities + 5 and len(papers) == 5
        assert small["cut"]["papers"] == [5, whole["cut"]["papers"][1]]
        assert len(small["edges"]) == 20 and small["cut"]["edges"][0] == 20

        best = sorted(whole["nodes"], key=lambda n: (n["label"] != "Paper", -n["papers"]))[:5]
        assert min(p["papers"] for p in papers) >= best[-1]["papers"]  # the best connected papers are the kept ones

        tiny = read_field(store, max_nodes=10)
        assert [n["label"] != "Paper" for n in tiny["nodes"]] == [True] * 10
        top = sorted((n["papers"] for n in whole["nodes"] if n["label"] != "Paper"), reverse=True)[:10]
        assert [n["papers"] for n in tiny["nodes"]] == top
    finally:
        store.close()


def test_the_edge_cap_keeps_every_entity_and_paper_linked():
    """Links to a hub weigh least (they say little about a paper), yet the hub keeps its three strongest."""
    edges = [(f"paper:{i}", f"method:m{i % 5}", "USES", 1.0 - i / 1000) for i in range(100)]
    edges += [(f"paper:{i}", "concept:hub", "ABOUT", 0.01 - i / 10000) for i in range(100)]
    kept = capped(edges, 103)
    assert len(kept) == 103 and kept == sorted(kept, key=lambda e: -e[3])
    assert [e[0] for e in kept if e[1] == "concept:hub"] == ["paper:0", "paper:1", "paper:2"]
    assert {e[0] for e in kept} == {f"paper:{i}" for i in range(100)}
    assert capped(edges, 500) == edges


def test_map_topics_are_the_stores_topics_computed_when_stale(examples_store):
    store = LocalStore(examples_store)
    try:
        ids = [n["id"] for n in read_field(store)["nodes"]]
        topics, assignment = _topics_for(store, ids)  # a fresh load: stale, so computed (and stored)
        assert len(topics) >= 2 and set(assignment.values()) <= {t.id for t in topics}
        assert not store.topics_stale()
        assert (topics, assignment) == (store.topics(), store.topic_of_nodes(ids))
    finally:
        store.close()


# -- layout ---------------------------------------------------------------------------------------------

def test_layout_is_deterministic_discs_do_not_overlap_and_hold_their_nodes():
    nodes, edges, topics, assignment = synthetic_field(3000, 12000, n_topics=12)
    positions, regions = field_layout(nodes, edges, assignment)
    assert (positions, regions) == field_layout(nodes, edges, assignment)
    assert set(positions) == {n["id"] for n in nodes}
    discs = list(regions.values())
    for i, a in enumerate(discs):
        for b in discs[i + 1:]:
            assert math.hypot(a.x - b.x, a.y - b.y) >= a.r + b.r - 1e-6
    for node_id, (x, y) in positions.items():
        region = regions[assignment[node_id]]
        assert math.hypot(x - region.x, y - region.y) <= region.r + 1e-6
    # bigger topics get bigger discs; one topic is one disc at the origin
    sizes = {t: sum(1 for v in assignment.values() if v == t) for t in regions}
    big, small = max(sizes, key=sizes.get), min(sizes, key=sizes.get)
    assert regions[big].r > regions[small].r
    assert topic_regions({5: 10}, {})[5].x == 0.0


def test_nodes_without_a_topic_get_their_own_region():
    nodes, edges, topics, assignment = synthetic_field(400, 1500, n_topics=4)
    orphans = [n["id"] for n in nodes[:30]]
    for node_id in orphans:
        del assignment[node_id]
    data = field_map_data(nodes, edges, topics, assignment)
    other = data["topics"][-1]
    assert other["name"] == "other (no topic)" and other["nodes"] == 30 and data["stats"]["unassigned"] == 30
    index = data["nodes"]["id"].index(orphans[0])
    assert data["nodes"]["topic"][index] == len(data["topics"]) - 1


# -- escaping -------------------------------------------------------------------------------------------

def hostile_field():
    nodes, edges, topics, assignment = synthetic_field(300, 1000, n_topics=3)
    nodes[0] = dict(nodes[0], name=HOSTILE, authors=[HOSTILE], date="\u2028<!--")
    entity = next(i for i, n in enumerate(nodes) if n["label"] != "Paper")
    nodes[entity] = dict(nodes[entity], name=HOSTILE + " & co", evidence="we use " + HOSTILE)
    topics = [Topic(t.id, HOSTILE if t.id == 1 else t.name, t.papers) for t in topics]
    return nodes, edges, topics, assignment


def test_every_text_field_is_escaped(tmp_path):
    html, stats = field_map_html(*hostile_field(), title="kg map " + HOSTILE,
                                 cut={"max_nodes": 300, "max_edges": 10, "entities": [1, 2], "papers": [1, 2],
                                      "edges": [1, 2], "authors_drawn": False})
    assert HOSTILE not in html and "<img" not in html and "\u2028" not in html
    assert html.count("</script>") == 4  # the data island and three scripts, nothing else closes one
    assert "kg map &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    data = page_data(write_page(tmp_path / "h.html", html))
    assert HOSTILE in data["nodes"]["name"] and data["topics"][0]["name"] == HOSTILE
    assert stats["nodes"] == 300


# -- in Chromium ----------------------------------------------------------------------------------------

def open_map(browser, page: Path, shot: str | None = None) -> dict:
    report = browser.open(page, wait_for="window.kgReady === true")
    assert report.console_errors == [] and report.remote_requests == [] and report.dialogs == []
    data = page_data(page)
    drawn = browser.evaluate("kgDrawnNodeCount()")
    assert drawn == len(data["nodes"]["id"]) == data["stats"]["nodes"]
    assert browser.evaluate("kgMap.graph.size") == len(data["edges"]) // 2 == data["stats"]["edges"]
    # sigma really drew them: every node has display data inside the stage
    assert browser.evaluate("kgMap.graph.nodes().every(n => kgMap.renderer.getNodeDisplayData(n) !== undefined)")
    if shot:
        assert png_colour_count(browser.screenshot(ARTIFACTS / shot)) > 10
    return data


def viewport_of(browser, node_id: str) -> tuple[float, float]:
    return tuple(browser.evaluate(
        f"(() => {{ const a = kgMap.graph.getNodeAttributes({node_id!r});"
        f" const p = kgMap.renderer.graphToViewport({{x: a.x, y: a.y}}); return [p.x, p.y]; }})()"))


@needs_chromium
@pytest.mark.browser
def test_a_20k_node_map_draws_every_node_offline(tmp_path, browser):
    nodes, edges, topics, assignment = synthetic_field(20_000, 100_000)
    html, stats = field_map_html(nodes, edges, topics, assignment, title="kg map: 20k synthetic")
    page = write_page(tmp_path / "big.html", html)
    assert stats["nodes"] == 20_000 and stats["edges"] > 80_000
    open_map(browser, page, "map_20k_synthetic.png")
    first_paint = browser.evaluate("window.kgFirstPaint")
    print(f"\n20k map: {page.stat().st_size / 1e6:.1f} MB, first paint {first_paint:.0f} ms, "
          f"screenshot {ARTIFACTS / 'map_20k_synthetic.png'}")
    assert first_paint < 15_000  # the 3 s target is measured by bench/viz_scaling.py, not asserted on a busy CI
    # a click on a topic's legend entry focuses that topic; Escape brings everything back
    browser.evaluate("document.querySelectorAll('#kg-topics button')[2].click()")
    browser._pump(0.6)
    third = browser.evaluate("kgMap.data.topics[2].nodes")
    assert browser.evaluate("kgMap.focused()") == third
    browser.screenshot(ARTIFACTS / "map_20k_synthetic_topic.png")
    browser.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))")
    assert browser.evaluate("kgMap.focused()") == 0


@needs_chromium
@pytest.mark.browser
def test_the_examples_map_in_chromium(tmp_path, browser, examples_store):
    page = tmp_path / "field.html"
    result = CliRunner().invoke(main, ["--store", str(examples_store), "map", "-o", str(page), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert {"nodes", "edges", "topics", "cut", "path"} <= set(summary) and summary["path"] == str(page)
    data = open_map(browser, page, "map_examples.png")
    assert summary["nodes"] == len(data["nodes"]["id"]) and summary["topics"] >= 3
    assert "All " in browser.evaluate("document.getElementById('kg-cut').textContent")

    # topic names are drawn on the map and listed in the legend
    labels = browser.evaluate("[...document.querySelectorAll('.kg-topic-label')].filter(e => e.style.display !== 'none')"
                              ".map(e => e.textContent)")
    assert labels and set(labels) <= {t["name"] for t in data["topics"]}

    # hover: the tooltip shows the paper's title and authors
    paper = next(i for i, k in enumerate(data["nodes"]["kind"]) if k == 0 and data["nodes"]["authors"][i])
    node_id = data["nodes"]["id"][paper]
    browser.move_mouse(*viewport_of(browser, node_id))
    browser._pump(0.4)
    tip = browser.evaluate("document.getElementById('kg-tip').style.display === 'block' && "
                           "document.getElementById('kg-tip').textContent")
    assert tip and data["nodes"]["name"][paper] in tip and data["nodes"]["authors"][paper].split(",")[0] in tip

    # search: typing lists matches, Enter focuses the first one and its neighbours
    browser.evaluate("(() => { const s = document.getElementById('kg-search'); s.value = 'matryoshka';"
                     " s.dispatchEvent(new Event('input')); })()")
    found = browser.evaluate("[...document.querySelectorAll('#kg-results button')].map(b => b.textContent)")
    assert found and all("matryoshka" in f.lower() for f in found)
    browser.evaluate("document.getElementById('kg-search').dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}))")
    browser._pump(0.6)
    focused = browser.evaluate("kgMap.focused()")
    assert 1 < focused < len(data["nodes"]["id"])
    browser.screenshot(ARTIFACTS / "map_examples_search.png")

    # a click on a node focuses it and its neighbours
    browser.evaluate("kgMap.reset()")
    browser._pump(0.5)
    entity = max((i for i, k in enumerate(data["nodes"]["kind"]) if k != 0), key=lambda i: data["nodes"]["papers"][i])
    x, y = viewport_of(browser, data["nodes"]["id"][entity])
    for kind in ("mousePressed", "mouseReleased"):
        browser._call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})
    browser._pump(0.6)
    neighbours = browser.evaluate(f"kgMap.graph.degree({data['nodes']['id'][entity]!r})")
    assert browser.evaluate("kgMap.focused()") == neighbours + 1
    browser.screenshot(ARTIFACTS / "map_examples_node.png")


@needs_chromium
@pytest.mark.browser
def test_hostile_text_stays_text_in_chromium(tmp_path, browser):
    html, _ = field_map_html(*hostile_field(), title=HOSTILE)
    page = write_page(tmp_path / "hostile.html", html)
    report = browser.open(page, wait_for="window.kgReady === true")
    assert report.console_errors == [] and report.dialogs == [] and report.remote_requests == []
    assert browser.evaluate("document.getElementById('kg-title').textContent") == HOSTILE
    assert browser.evaluate("document.images.length") == 0
    assert HOSTILE in browser.evaluate("[...document.querySelectorAll('.kg-topic-label')].map(e => e.textContent)")
    browser.evaluate(f"(() => {{ const s = document.getElementById('kg-search'); s.value = {HOSTILE!r};"
                     " s.dispatchEvent(new Event('input')); })()")
    assert HOSTILE in browser.evaluate("document.getElementById('kg-results').textContent")
    assert browser.evaluate("document.images.length") == 0


def test_write_map_reports_what_it_wrote(tmp_path, examples_store):
    store = LocalStore(examples_store)
    try:
        summary = write_map(store, tmp_path / "m.html", max_nodes=50)
    finally:
        store.close()
    assert summary["nodes"] == 50 and summary["cut"]["max_nodes"] == 50
    assert "Showing 50 of" in (tmp_path / "m.html").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "empty"), "map", "-o", str(tmp_path / "x.html")])
    assert result.exit_code != 0 and "kg load" in result.output
