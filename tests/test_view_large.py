"""Large views (issue 8): a view of a frequent concept says what was cut, summarises pendant leaves into
expandable nodes, labels its hubs and keeps the matched nodes in the middle; checked in headless Chromium."""
from __future__ import annotations

import html
import random
import re
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from kg.viz import ego_subgraph, render_page
from kg.viz.groups import find_groups, grid_offsets
from kg.viz.layout import precomputed_positions

sys.path.insert(0, str(Path(__file__).parent))
from browser import find_chromium, png_colour_count  # noqa: E402
from test_viz import add_entity, add_paper, embedded_data  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CONCEPT = "concept:contrastive learning"
needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="headless Chromium not installed")


def concept_graph(n_papers: int = 600, seed: int = 5) -> nx.MultiDiGraph:
    """One frequent concept, n papers about it with 2 authors each; every 7th paper also uses one of
    three methods and every 11th is evaluated on one of three datasets (those papers are not leaves)."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    for i in range(n_papers):
        pid = add_paper(g, f"Contrastive paper {i:03d}: a study of views", [f"Author {2 * i}", f"Author {2 * i + 1}"],
                        f"Abstract {i}.", "2024-01-01")
        add_entity(g, pid, "Concept", "contrastive learning", "ABOUT", "We study contrastive learning.",
                   "kb:concept:contrastive", round(0.5 + 0.5 * rng.random(), 3))
        if i % 7 == 0:
            add_entity(g, pid, "Method", f"Method {i % 3}", "USES", "We use a method.", "kb:m", 0.8)
        if i % 11 == 0:
            add_entity(g, pid, "Dataset", f"Dataset {i % 3}", "EVALUATED_ON", "On a dataset.", "kb:d", 0.8)
    return g


# -- pure Python --------------------------------------------------------------------------------------

def test_ego_subgraph_reports_what_the_cap_cut():
    g = concept_graph()
    sub = ego_subgraph(g, [CONCEPT], radius=1, max_nodes=300)
    assert sub.number_of_nodes() == 300
    assert sub.graph["cut"] == {"shown": 300, "total": 601, "radius": 1, "max_nodes": 300,
                                "left_out": {"Paper": 301}, "hint": "--max-nodes 601 shows all 601"}
    assert "cut" not in ego_subgraph(g, [CONCEPT], radius=1, max_nodes=601).graph
    two = ego_subgraph(g, [CONCEPT], radius=2, max_nodes=700).graph["cut"]
    assert two["total"] == 601 + 1200 + 6 and two["shown"] == 700
    assert two["hint"] == "--max-nodes 1807 shows all 1807 or --radius 1 shows all 601 within 1 hop"
    assert sum(two["left_out"].values()) == two["total"] - two["shown"]


def test_render_page_returns_and_shows_the_cut(tmp_path):
    sub = ego_subgraph(concept_graph(), [CONCEPT], radius=1, max_nodes=300)
    stats = render_page(sub, tmp_path / "cut.html", title="<b>cut</b>", centers=[CONCEPT])
    assert stats["cut"] == sub.graph["cut"]
    assert {"nodes", "edges", "layout", "bytes"} <= set(stats) and stats["nodes"] == 300
    text = (tmp_path / "cut.html").read_text(encoding="utf-8")
    notice = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<div id="kg-cut".*?</div>', text, re.S).group(0)))
    assert "Showing 300 of 601 nodes" in notice and "301 papers" in notice and "--max-nodes 601" in notice
    assert "<b>cut</b>" not in text
    # an explicit cut wins; a graph that was not cut says so with None
    assert render_page(sub, tmp_path / "c2.html", title="t", cut={"shown": 1, "total": 2, "radius": 1,
                                                                  "max_nodes": 1, "left_out": {},
                                                                  "hint": "x"})["cut"]["total"] == 2
    whole = ego_subgraph(concept_graph(50), [CONCEPT], radius=1)
    assert render_page(whole, tmp_path / "c3.html", title="t", centers=[CONCEPT])["cut"] is None


def test_pendant_leaves_become_one_summary_node(tmp_path):
    g = concept_graph()
    sub = ego_subgraph(g, [CONCEPT], radius=2, max_nodes=5000)
    groups = find_groups(sub, {CONCEPT})
    assert len(groups) == 1
    group = groups[0]
    assert group.hub == CONCEPT and group.label == "Paper" and group.relation == "ABOUT"
    # papers that also use a method or a dataset are not pendant: they stay drawn one by one
    assert len(group.members) == sum(1 for i in range(600) if i % 7 and i % 11)
    assert group.caption() == f"{len(group.members)} papers\n+ {2 * len(group.members)} authors"
    assert all(len(group.own_leaves[m]) == 2 for m in group.members)
    offsets, (width, height) = grid_offsets(group)
    assert set(offsets) == set(group.nodes)
    assert all(abs(x) <= width / 2 and abs(y) <= height / 2 for x, y in offsets.values())
    assert 0.4 < width / height < 3  # a block, not a ring or a line

    stats = render_page(sub, tmp_path / "g.html", title="groups", centers=[CONCEPT])
    assert stats["groups"] == 1 and stats["collapsed"] == len(group.nodes)
    assert stats["nodes"] == sub.number_of_nodes() == stats["drawn"] - 1 + stats["collapsed"]
    data = embedded_data(tmp_path / "g.html")
    assert len(data["nodes"]) == stats["drawn"]
    summary = next(n for n in data["nodes"] if n["id"] == group.id)
    assert summary["label"].endswith(group.caption()) and summary["hub"] is True
    inside = data["groups"][group.id]
    assert {n["id"] for n in inside["nodes"]} == set(group.nodes)
    assert len(inside["edges"]) == 3 * len(group.members)  # ABOUT + two AUTHORED per paper

    # centers are never summarised, small views never, and summarise=False draws everything
    chosen = group.members[0]
    assert all(chosen not in other.nodes for other in find_groups(sub, {CONCEPT, chosen}))
    assert find_groups(ego_subgraph(concept_graph(40), [CONCEPT]), {CONCEPT}) == []
    plain = render_page(sub, tmp_path / "plain.html", title="t", centers=[CONCEPT], summarise=False)
    assert plain["groups"] == 0 and plain["drawn"] == plain["nodes"]


def test_precomputed_layout_puts_the_matches_in_the_middle():
    g = concept_graph()
    papers = sorted(n for n in g if n.startswith("paper:"))[:2]
    for centers in ([CONCEPT], [CONCEPT, *papers], papers):
        sub = ego_subgraph(g, centers, radius=2, max_nodes=900)
        pos = precomputed_positions(sub, centers=centers)
        coords = np.array(list(pos.values()))
        low, high = coords.min(axis=0), coords.max(axis=0)
        middle = np.mean([pos[c] for c in centers], axis=0)
        relative = (middle - low) / (high - low)
        assert np.all(np.abs(relative - 0.5) < 0.1), (centers, relative)
        spots = {pos[c] for c in centers}
        assert len(spots) == len(centers)  # several matches are not stacked on one spot
    assert precomputed_positions(sub, centers=papers) == precomputed_positions(sub, centers=papers)


# -- in the browser -----------------------------------------------------------------------------------



def click(browser, x: float, y: float) -> None:
    """A real left click at viewport coordinates (what a person does)."""
    for kind in ("mousePressed", "mouseReleased"):
        browser._call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                                    "clickCount": 1})
    browser._pump(0.4)


def viewport_xy(browser, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in viewport pixels."""
    return tuple(browser.evaluate(
        f"(() => {{ const p = network.canvasToDOM(network.getPosition({node_id!r}));"
        f" const r = document.getElementById('network').getBoundingClientRect();"
        f" return [p.x + r.left, p.y + r.top]; }})()"))


def check_page(browser, page: Path, stats: dict, centers: list[str], shot: str) -> None:
    report = browser.open(page, wait_for="window.kgReady === true")
    assert report.console_errors == [] and report.remote_requests == [] and report.dialogs == []
    assert browser.evaluate("network.body.data.nodes.length") == stats["drawn"]
    assert browser.evaluate("kgDrawnNodeCount()") == stats["drawn"]
    # the matches sit in the middle of the canvas
    rect = browser.evaluate("(() => { const r = document.getElementById('network').getBoundingClientRect();"
                            " return [r.left, r.top, r.width, r.height]; })()")
    xs, ys = zip(*(viewport_xy(browser, c) for c in centers))
    mid_x, mid_y = sum(xs) / len(xs), sum(ys) / len(ys)
    assert abs(mid_x - (rect[0] + rect[2] / 2)) < 0.05 * rect[2]
    assert abs(mid_y - (rect[1] + rect[3] / 2)) < 0.05 * rect[3]
    # hubs (matches, owners of summaries, summaries, best connected) always draw a readable label
    hubs = browser.evaluate(
        "network.body.data.nodes.get({filter: n => n.hub}).map(n => [n.id, n.label,"
        " network.body.nodes[n.id].options.scaling.label.drawThreshold,"
        " network.body.nodes[n.id].options.font.size * network.getScale()])")
    assert {c for c in centers} <= {h[0] for h in hubs}
    for node_id, label, threshold, on_screen in hubs:
        assert label and threshold == 0 and on_screen >= 12, (node_id, label, threshold, on_screen)
    if stats["drawn"] > 40:  # leaves hide their labels until zoomed in
        assert browser.evaluate("network.body.data.nodes.get({filter: n => !n.hub}).every("
                                "n => network.body.nodes[n.id].options.scaling.label.drawThreshold > 5)")
    assert png_colour_count(browser.screenshot(ARTIFACTS / shot)) > 10


@needs_chromium
@pytest.mark.browser
@pytest.mark.parametrize("radius,max_nodes,layout", [(1, 300, "physics"), (2, 2000, "physics"),
                                                     (2, 2000, "precomputed")])
def test_frequent_concept_view_in_chromium(tmp_path, browser, radius, max_nodes, layout):
    g = concept_graph()
    sub = ego_subgraph(g, [CONCEPT], radius=radius, max_nodes=max_nodes)
    page = tmp_path / "concept.html"
    stats = render_page(sub, page, title="kg: contrastive <script>alert(1)</script>", centers=[CONCEPT],
                        physics=None if layout == "physics" else False)
    assert stats["layout"] == layout and stats["groups"] >= 1
    assert stats["drawn"] < stats["nodes"] / 2  # the hairball is summarised
    shot = f"view_large_concept_r{radius}_{layout}"
    check_page(browser, page, stats, [CONCEPT], f"{shot}.png")
    assert browser.evaluate("document.getElementById('kg-title').textContent").endswith("<script>alert(1)</script>")
    cut_text = browser.evaluate("(document.getElementById('kg-cut') || {}).textContent || ''")
    if radius == 1:
        assert "Showing 300 of 601 nodes" in cut_text and "--max-nodes 601" in cut_text
    else:
        assert cut_text == "" and stats["cut"] is None

    group = next(iter(embedded_data(page)["groups"].items()))
    group_id, inside = group
    x, y = viewport_xy(browser, group_id)
    click(browser, x, y)
    assert browser.evaluate("network.body.data.nodes.length") == stats["drawn"] + len(inside["nodes"])
    members = [n["id"] for n in inside["nodes"]]
    assert set(browser.evaluate("network.body.data.nodes.getIds()")) >= set(members)
    on_screen = browser.evaluate(
        f"(() => {{ const r = document.getElementById('network').getBoundingClientRect();"
        f" const lo = network.DOMtoCanvas({{x: 0, y: 0}}), hi = network.DOMtoCanvas({{x: r.width, y: r.height}});"
        f" return Object.values(network.getPositions({members!r})).filter(p =>"
        f" p.x >= lo.x && p.x <= hi.x && p.y >= lo.y && p.y <= hi.y).length; }})()")
    assert on_screen == len(members)  # the view zooms to the opened summary
    label = browser.evaluate(f"network.body.data.nodes.get({group_id!r}).label")
    assert label.startswith("\u25BE")
    browser.screenshot(ARTIFACTS / f"{shot}_expanded.png")
    # members of an opened summary are drawn in a grid, none stacked on another
    spots = browser.evaluate(f"Object.values(network.getPositions({members!r})).map(p => [Math.round(p.x), Math.round(p.y)])")
    assert len({tuple(p) for p in spots}) == len(members)
    x, y = viewport_xy(browser, group_id)
    click(browser, x, y)
    assert browser.evaluate("network.body.data.nodes.length") == stats["drawn"]
    assert browser.evaluate(f"network.body.data.nodes.get({group_id!r}).label").startswith("\u25B8")
    new = browser.open(page, wait_for="window.kgReady === true")
    assert new.console_errors == []


@needs_chromium
@pytest.mark.browser
def test_several_matches_stay_in_the_middle_of_a_big_precomputed_view(tmp_path, browser):
    """The 581-node case of issue 8: a term matching a concept and two of its papers, radius 1."""
    g = concept_graph(578)
    papers = sorted(n for n in g if n.startswith("paper:") and g.out_degree(n) == 1)[:2]
    centers = [CONCEPT, *papers]
    sub = ego_subgraph(g, centers, radius=1, max_nodes=1000)
    assert sub.number_of_nodes() == 1 + 578 + 4
    page = tmp_path / "several.html"
    stats = render_page(sub, page, title="kg: several", centers=centers, physics=False)
    assert stats["layout"] == "precomputed" and stats["groups"] == 1
    check_page(browser, page, stats, centers, "view_large_several_matches.png")
