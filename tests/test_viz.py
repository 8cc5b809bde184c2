"""Pages from kg.viz, opened in real headless Chromium: offline, escaped, drawn, stable."""
from __future__ import annotations

import hashlib
import html
import json
import random
import re
import sys
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import KgError
from kg.viz import ego_subgraph, render_page
from kg.viz.layout import precomputed_positions
from kg.viz.html import script_safe_json
from kg.viz.style import NODE_STYLES

sys.path.insert(0, str(Path(__file__).parent))
from browser import find_chromium, png_colour_count  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
EVIL_TITLE = 'Attention & <script>alert(1)</script> "Quotes" \\ back\\slash — ünïcödé 🤖'
needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="headless Chromium not installed")


# -- building graphs the way docs/design.md describes them ------------------------------------------

def paper_id(title: str) -> str:
    norm = " ".join(title.lower().split())
    return "paper:p-" + hashlib.sha1(norm.encode()).hexdigest()[:12]


def add_paper(g: nx.MultiDiGraph, title: str, authors: list[str], abstract: str, date: str) -> str:
    pid = paper_id(title)
    g.add_node(pid, label="Paper", key=pid.split(":", 1)[1], title=title, authors=authors, abstract=abstract,
               date=date, url=f"https://example.org/{pid[-6:]}", sources=[f"seeds/x.md:{len(g)}"])
    for position, name in enumerate(authors):
        aid = "author:" + " ".join(name.lower().split())
        g.add_node(aid, label="Author", key=aid.split(":", 1)[1], name=name)
        g.add_edge(aid, pid, key="AUTHORED", position=position)
    return pid


def add_entity(g: nx.MultiDiGraph, pid: str, label: str, name: str, relation: str, sentence: str,
               rule: str, confidence: float, aliases: tuple[str, ...] = ()) -> str:
    key = name.lower()
    eid = f"{label.lower()}:{key}"
    if eid not in g:
        g.add_node(eid, label=label, key=key, name=name, aliases=[name, *aliases], kb=rule.startswith("kb:"))
    start = max(sentence.find(name), 0)
    evidence = [{"field": "abstract", "start": start, "end": start + len(name), "text": name,
                 "sentence": sentence, "rule": rule, "confidence": confidence}]
    g.add_edge(pid, eid, key=relation, confidence=confidence, count=1, aliases=[name], rule=rule,
               evidence=evidence)
    return eid


def realistic_graph() -> tuple[nx.MultiDiGraph, str]:
    g = nx.MultiDiGraph()
    vit = add_paper(g, "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale",
                    ["Alexey Dosovitskiy", "Lucas Beyer", "Neil Houlsby"],
                    "We show that a pure Vision Transformer applied to image patches performs well on ImageNet.",
                    "2020-10-22")
    add_entity(g, vit, "Method", "Vision Transformer", "PROPOSES",
               "We show that a pure Vision Transformer applied to image patches performs well.",
               "propose-verb", 0.92, ("ViT",))
    add_entity(g, vit, "Dataset", "ImageNet", "EVALUATED_ON",
               "It performs well on ImageNet and CIFAR-100.", "kb:dataset:imagenet", 0.97)
    add_entity(g, vit, "Dataset", "CIFAR-100", "EVALUATED_ON",
               "It performs well on ImageNet and CIFAR-100.", "kb:dataset:cifar-100", 0.95)
    add_entity(g, vit, "Concept", "image classification", "ABOUT",
               "Transformers reach excellent results on image classification.", "kb:concept:image", 0.8)
    evil = add_paper(g, EVIL_TITLE, ["Zoë O'Brien", "Lucas Beyer"],
                     'An abstract with "quotes", a </script> tag, a backslash \\ and a line\u2028separator.',
                     "2021-01-05")
    add_entity(g, evil, "Method", "Vision Transformer", "USES",
               'We fine-tune a "ViT" </script><img src=x onerror=alert(2)> on <b>ImageNet</b> & more.',
               "abbrev", 0.71, ("ViT",))
    add_entity(g, evil, "Dataset", "ImageNet", "EVALUATED_ON",
               "We report top-1 accuracy on ImageNet.", "kb:dataset:imagenet", 0.9)
    bert = add_paper(g, "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
                     ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"],
                     "We introduce BERT, evaluated on GLUE and SQuAD.", "2018-10-11")
    add_entity(g, bert, "Method", "BERT", "PROPOSES", "We introduce a new language representation model called BERT.",
               "kb:method:bert", 0.99)
    add_entity(g, bert, "Dataset", "GLUE", "EVALUATED_ON", "BERT obtains new results on GLUE.", "kb:dataset:glue", 0.93)
    add_entity(g, bert, "Method", "Transformer", "USES", "BERT is a deep bidirectional Transformer.",
               "kb:method:transformer", 0.85)
    add_entity(g, vit, "Method", "Transformer", "USES", "The standard Transformer is applied directly to images.",
               "kb:method:transformer", 0.88)
    add_entity(g, bert, "Concept", "language modeling", "ABOUT", "Masked language modeling pre-training.",
               "kb:concept:lm", 0.77)
    return g, vit


def generated_graph(n_papers: int, seed: int = 3) -> nx.MultiDiGraph:
    """Many papers with shared authors and popular entities (power-law-ish), as a real corpus looks."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    authors = [f"Author {i}" for i in range(int(n_papers * 1.6))]
    entities = [(rng.choice(["Method", "Dataset", "Concept"]), f"Entity {i}") for i in range(n_papers // 3)]
    for i in range(n_papers):
        pid = add_paper(g, f"Generated paper number {i}", rng.sample(authors, rng.randint(1, 5)),
                        f"Abstract {i}.", "2024-01-01")
        for _ in range(rng.randint(0, 3)):
            label, name = entities[min(int(rng.paretovariate(1.2)) - 1, len(entities) - 1)
                                   if rng.random() < 0.5 else rng.randrange(len(entities))]
            relation = {"Method": "USES", "Dataset": "EVALUATED_ON", "Concept": "ABOUT"}[label]
            add_entity(g, pid, label, name, relation, f"Sentence about {name}.", "kb:x", rng.random())
    return g


def drawn_colours_match_labels(browser, graph: nx.MultiDiGraph) -> None:
    """What vis-network actually paints per node is the colour of the node's label in the legend."""
    drawn = browser.evaluate("Object.fromEntries(network.body.nodeIndices.map("
                             "id => [id, network.body.nodes[id].options.color.background]))")
    wrong = {n: c for n, c in drawn.items()
             if n in graph and c != NODE_STYLES[graph.nodes[n]["label"]].colour}
    assert all(n in graph or n.startswith("kg-group:") for n in drawn)
    assert not wrong, f"{len(wrong)} nodes painted off-legend, e.g. {list(wrong.items())[:3]}"


def embedded_data(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    island = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S).group(1)
    return json.loads(island)


# -- pure Python --------------------------------------------------------------------------------------

def test_page_is_self_contained_and_escaped(tmp_path):
    g, vit = realistic_graph()
    stats = render_page(g, tmp_path / "p.html", title=EVIL_TITLE, centers=[vit])
    text = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert stats == {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "layout": "physics",
                     "drawn": g.number_of_nodes(), "groups": 0, "collapsed": 0, "cut": None,
                     "bytes": (tmp_path / "p.html").stat().st_size}
    assert "<script>alert(1)</script>" not in text
    assert "onerror=alert(2)" not in text.replace("\\u003cimg src=x onerror=alert(2)\\u003e", "")
    heading = re.search(r'<h1 id="kg-title">(.*?)</h1>', text).group(1)
    assert "<" not in heading and html.unescape(heading) == EVIL_TITLE
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), "page links a remote resource"
    assert text.count("</script>") == 3  # island, vis-network, page code: no data string closed one
    data = embedded_data(tmp_path / "p.html")
    assert {n["id"] for n in data["nodes"]} == set(g.nodes)
    evil_node = next(n for n in data["nodes"] if n["tip"]["heading"].endswith(EVIL_TITLE))
    assert evil_node["label"].startswith("Attention & <script>")  # drawn on canvas as text, intact


def test_script_safe_json_round_trips_hostile_strings():
    value = {"s": "</script><!-- \u2028 \u2029 & \\ \" ' 🤖"}
    text = script_safe_json(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


def test_odd_values_from_stores_do_not_break_the_page(tmp_path):
    g, vit = realistic_graph()
    edge = g.edges["author:lucas beyer", vit, "AUTHORED"]
    edge["confidence"] = float("nan")
    neo4j_style = g.edges[vit, "dataset:imagenet", "EVALUATED_ON"]
    neo4j_style["evidence"] = json.dumps(neo4j_style["evidence"])  # Neo4j keeps evidence as a JSON string
    render_page(g, tmp_path / "odd.html", title="odd", physics=False)
    data = embedded_data(tmp_path / "odd.html")
    tip = next(e["tip"] for e in data["edges"] if e["to"] == "dataset:imagenet" and e["from"] == vit)
    assert tip["evidence"] and "ImageNet and CIFAR-100" in tip["evidence"][0]
    for physics in (None, False):
        stats = render_page(nx.MultiDiGraph(), tmp_path / "empty.html", title="empty", physics=physics)
        assert stats["nodes"] == 0 and stats["edges"] == 0


def test_physics_choice_follows_size_and_override(tmp_path):
    small, _ = realistic_graph()
    assert render_page(small, tmp_path / "a.html", title="t", physics=False)["layout"] == "precomputed"
    big = generated_graph(400)
    assert big.number_of_nodes() > 500
    assert render_page(big, tmp_path / "b.html", title="t")["layout"] == "precomputed"
    data = embedded_data(tmp_path / "b.html")
    assert all(isinstance(n["x"], float) and n["physics"] is False for n in data["nodes"])
    assert data["options"]["physics"]["enabled"] is False


def test_precomputed_layout_is_deterministic_and_spread_out():
    g = generated_graph(300)
    first, second = precomputed_positions(g), precomputed_positions(g)
    assert first == second
    assert set(first) == set(g.nodes)
    points = {p for p in first.values()}
    assert len(points) > 0.95 * len(first)  # nodes are not stacked on top of each other


def test_ego_subgraph_neighbourhood_and_trimming():
    g, vit = realistic_graph()
    ego = ego_subgraph(g, [vit], radius=1)
    expected = {vit} | set(g.successors(vit)) | set(g.predecessors(vit))
    assert set(ego.nodes) == expected
    assert ego.nodes[vit]["title"] == g.nodes[vit]["title"]
    assert all(ego.has_edge(u, v, k) for u, v, k in g.subgraph(expected).edges(keys=True))

    two_hops = ego_subgraph(g, ["method:transformer"], radius=2)
    assert paper_id("BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding") in two_hops
    assert "author:jacob devlin" in two_hops  # paper -> its authors on the second hop

    trimmed = ego_subgraph(g, [vit], radius=1, max_nodes=4)
    assert trimmed.number_of_nodes() == 4 and vit in trimmed
    kept = set(trimmed) - {vit}
    # labels take turns in order of their best edge; inside a label, confidence then degree decide
    assert kept == {"author:lucas beyer", "dataset:imagenet", "method:vision transformer"}

    with pytest.raises(KgError, match="paper:nope"):
        ego_subgraph(g, ["paper:nope"])


# -- in the browser -----------------------------------------------------------------------------------



@needs_chromium
@pytest.mark.browser
def test_small_page_in_chromium(tmp_path, browser):
    g, vit = realistic_graph()
    page = tmp_path / "small.html"
    stats = render_page(g, page, title=EVIL_TITLE, centers=[vit])
    report = browser.open(page, wait_for="window.kgReady === true")
    assert report.console_errors == []
    assert report.remote_requests == []
    assert report.dialogs == []  # no alert() from the hostile strings ran
    assert browser.evaluate("document.querySelectorAll('script').length") == 3
    assert browser.evaluate("document.getElementById('kg-title').textContent") == EVIL_TITLE
    assert browser.evaluate("document.title") == EVIL_TITLE
    assert browser.evaluate("network.body.data.nodes.length") == stats["nodes"]
    assert browser.evaluate("network.body.data.edges.length") == stats["edges"]
    assert browser.evaluate("kgDrawnNodeCount()") == stats["nodes"]
    drawn_colours_match_labels(browser, g)
    legend = browser.evaluate("Array.from(document.querySelectorAll('#legend [data-label]'), e => e.dataset.label)")
    assert legend == ["Paper", "Author", "Method", "Dataset", "Concept"]
    # tooltips are DOM text, so the hostile evidence sentence shows literally and created no element
    tip = browser.evaluate(
        "network.body.data.edges.get().map(e => e.title.textContent).find(t => t.includes('onerror'))")
    assert "<img src=x onerror=alert(2)>" in tip
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    shot = browser.screenshot(ARTIFACTS / "viz_small.png")
    assert png_colour_count(shot) > 20  # legend swatches, nodes, edges and text, not a blank page


@needs_chromium
@pytest.mark.browser
def test_physics_layout_is_stable_between_loads(tmp_path, browser):
    g, vit = realistic_graph()
    page = tmp_path / "stable.html"
    render_page(g, page, title="stable", centers=[vit])
    positions = []
    for _ in range(2):
        browser.open(page, wait_for="window.kgReady === true", settle=0.2)
        positions.append(browser.evaluate("JSON.stringify(network.getPositions())"))
    assert positions[0] == positions[1]
    spots = {(round(p["x"]), round(p["y"])) for p in json.loads(positions[0]).values()}
    assert len(spots) == g.number_of_nodes()  # the simulation really spread the nodes out


@needs_chromium
@pytest.mark.browser
def test_large_page_uses_precomputed_layout_and_draws_everything(tmp_path, browser):
    g = generated_graph(700)
    assert g.number_of_nodes() >= 1800
    page = tmp_path / "large.html"
    stats = render_page(g, page, title="Generated corpus")
    assert stats["layout"] == "precomputed" and stats["nodes"] == g.number_of_nodes()
    report = browser.open(page, wait_for="window.kgReady === true")
    assert report.console_errors == [] and report.remote_requests == []
    assert browser.evaluate("network.physics.options.enabled") is False
    assert browser.evaluate("network.body.data.nodes.length") == stats["nodes"]
    assert browser.evaluate("kgDrawnNodeCount()") == stats["nodes"]
    drawn_colours_match_labels(browser, g)
    shot = browser.screenshot(ARTIFACTS / "viz_large.png")
    assert png_colour_count(shot) > 20


@needs_chromium
@pytest.mark.browser
def test_ego_view_of_a_hub_with_physics(tmp_path, browser):
    """A few hundred nodes under physics (vis-network's improvedLayout clusters above 100 nodes)."""
    g = generated_graph(700)
    hub = max(sorted(g.nodes), key=g.degree)
    ego = ego_subgraph(g, [hub], radius=2, max_nodes=300)
    assert ego.number_of_nodes() == 300 and hub in ego
    assert nx.is_weakly_connected(ego)  # trimming never leaves islands
    page = tmp_path / "ego.html"
    stats = render_page(ego, page, title=f"Around {hub}", centers=[hub])
    assert stats["layout"] == "physics"
    report = browser.open(page, wait_for="window.kgReady === true")
    assert report.console_errors == [] and report.remote_requests == []
    assert stats["drawn"] - stats["groups"] + stats["collapsed"] == 300  # a few summary boxes stand for the rest
    assert browser.evaluate("kgDrawnNodeCount()") == stats["drawn"]
    drawn_colours_match_labels(browser, ego)
    browser.screenshot(ARTIFACTS / "viz_ego.png")


@needs_chromium
@pytest.mark.browser
def test_empty_page_still_finishes(tmp_path, browser):
    render_page(nx.MultiDiGraph(), tmp_path / "empty.html", title="nothing yet")
    report = browser.open(tmp_path / "empty.html", wait_for="window.kgReady === true")
    assert report.console_errors == [] and browser.evaluate("kgDrawnNodeCount()") == 0
