"""How render_page scales against pyvis `Network.from_nx`, and how the `kg map` page scales, measured in one run.

    python bench/viz_scaling.py [--sizes 1000,5000] [--map-sizes 2000,10000,20000] [--runs 3]

The map part writes synthetic maps (5 links per node, 24 topics) with kg.viz.field_map and opens each in
headless Chromium (tests/browser.py): "write s" is layout + HTML + file, "first paint s" is from navigation
start to sigma's first `afterRender` with every node in the graph (window.kgFirstPaint), median of --runs.
Targets (issue 10): write <= 5 s, first paint <= 3 s at 20k nodes and 100k links.

Both sides get the same MultiDiGraph. "build" compares like with like: our node/edge lists
(`build_network`) against `from_nx`, neither with a layout. "page" is the whole render_page call:
precomputed layout, inlined vis-network, file written, which from_nx does not do at all.
"""
from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from kg.viz import render_page
from kg.viz.page import build_network

WORDS = ("neural attention graph sparse robust contrastive diffusion federated causal efficient retrieval "
         "language vision speech policy reward kernel bayesian adversarial multimodal token latent").split()


@dataclass(frozen=True)
class Topic:
    """The fields of kg.graph.topics.Topic the map uses."""

    id: int
    name: str
    papers: int
    entities: tuple = ()


def synthetic_field(n_nodes: int, n_edges: int | None = None, n_topics: int = 24, seed: int = 3):
    """(nodes, edges, topics, assignment) shaped like kg.queries.field.read_field's: 12% entities, the rest
    papers of one topic each, linked mostly to their topic's entities (popular ones more), a few elsewhere."""
    rng = random.Random(seed)
    n_edges = n_edges if n_edges is not None else 5 * n_nodes
    n_entities = max(n_topics, int(n_nodes * 0.12))
    kinds = ("Method", "Dataset", "Concept")
    weights = [rng.lognormvariate(0, 0.8) for _ in range(n_topics)]
    topic_of_entity = [rng.choices(range(n_topics), weights)[0] for _ in range(n_entities)]
    by_topic = [[e for e in range(n_entities) if topic_of_entity[e] == t] or [t] for t in range(n_topics)]
    nodes, edges, assignment, seen = [], [], {}, set()
    papers = n_nodes - n_entities
    per_paper = max(1, math.ceil(n_edges / max(papers, 1)))
    count = [0] * n_entities
    for i in range(papers):
        topic = rng.choices(range(n_topics), weights)[0]
        pid = f"paper:p-{i:08x}"
        nodes.append({"id": pid, "label": "Paper", "name": " ".join(rng.sample(WORDS, 6)).capitalize() + f" {i}",
                      "papers": per_paper, "authors": [f"Author {rng.randrange(5000)}" for _ in range(3)],
                      "date": f"20{rng.randrange(10, 25)}-01-01"})
        assignment[pid] = topic + 1
        pool = by_topic[topic]
        links = 0
        for _ in range(4 * per_paper):  # distinct entities; popular ones are tried first
            if links == per_paper or len(edges) >= n_edges:
                break
            group = pool if rng.random() < 0.85 else rng.choice(by_topic)
            entity = group[min(int(rng.paretovariate(0.9)) - 1, len(group) - 1)]
            if (i, entity) not in seen:
                seen.add((i, entity))
                count[entity] += 1
                links += 1
                edges.append((pid, f"e:{entity}", "USES", round(rng.random(), 3)))
    for e in range(n_entities):
        nid = f"e:{e}"
        nodes.append({"id": nid, "label": kinds[e % 3], "name": f"{rng.choice(WORDS).capitalize()}-{e}",
                      "papers": count[e], "evidence": f"We use entity {e} in our experiments."})
        assignment[nid] = topic_of_entity[e] + 1
    sizes = [sum(1 for n, t in assignment.items() if n.startswith("paper:") and t == k + 1) for k in range(n_topics)]
    topics = [Topic(k + 1, f"topic {k + 1}: {WORDS[k % len(WORDS)]} {WORDS[(3 * k + 1) % len(WORDS)]}", sizes[k])
              for k in range(n_topics)]
    return nodes, edges, topics, assignment


def corpus(target_nodes: int, seed: int = 11) -> nx.MultiDiGraph:
    """Papers, their authors (shared across papers) and a few popular entities, until target_nodes."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    n_papers = max(1, int(target_nodes / 2.4))
    authors = [f"author:a{i}" for i in range(int(n_papers * 1.6))]
    entities = [f"{rng.choice(['method', 'dataset', 'concept'])}:e{i}" for i in range(max(1, n_papers // 3))]
    for i in range(n_papers):
        pid = f"paper:p-{i:012x}"
        g.add_node(pid, label="Paper", key=pid[6:], title=f"Paper {i}", authors=[], date="2024-01-01")
        for pos, aid in enumerate(rng.sample(authors, rng.randint(1, 5))):
            g.add_node(aid, label="Author", key=aid[7:], name=aid[7:])
            g.add_edge(aid, pid, key="AUTHORED", position=pos)
        for _ in range(rng.randint(0, 3)):
            eid = entities[min(int(rng.paretovariate(1.2)) - 1, len(entities) - 1)]
            label = eid.split(":")[0].capitalize()
            g.add_node(eid, label=label, key=eid.split(":")[1], name=eid.split(":")[1], aliases=[], kb=False)
            conf = round(rng.random(), 2)
            g.add_edge(pid, eid, key="USES", confidence=conf, rule="bench",
                       evidence=[{"sentence": f"uses {eid}", "rule": "bench", "confidence": conf}])
    return g


def time_from_nx(graph: nx.MultiDiGraph) -> float:
    net = Network(directed=True)
    start = time.perf_counter()
    net.from_nx(nx.DiGraph(graph))  # from_nx wants a simple graph; the conversion is not timed
    return time.perf_counter() - start


def time_build(graph: nx.MultiDiGraph) -> float:
    start = time.perf_counter()
    build_network(graph, set(), None)
    return time.perf_counter() - start


def time_render(graph: nx.MultiDiGraph, out: Path) -> tuple[float, dict]:
    start = time.perf_counter()
    stats = render_page(graph, out, title="bench")
    return time.perf_counter() - start, stats


WRITE_TARGET_S, PAINT_TARGET_S = 5.0, 3.0


def bench_map(sizes: list[int], runs: int) -> None:
    """Write time and first paint of the map page at each size (median of `runs`), against the targets."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from browser import Browser, find_chromium

    from kg.viz.field_map import field_map_html
    from kg.viz.html import write_page

    print(f"{'map nodes':>9} {'links':>7} {'topics':>6} {'MB':>5} {'write s':>8} {'first paint s':>14} "
          f"{'write <= 5 s':>12} {'paint <= 3 s':>12}")
    chromium = find_chromium()
    with tempfile.TemporaryDirectory() as tmp, (Browser() if chromium else _NoBrowser()) as browser:
        for size in sizes:
            nodes, edges, topics, assignment = synthetic_field(size, 5 * size)
            writes, paints = [], []
            for run in range(runs):
                start = time.perf_counter()
                html, stats = field_map_html(nodes, edges, topics, assignment, title=f"bench {size}")
                page = write_page(Path(tmp) / f"map-{size}.html", html)
                writes.append(time.perf_counter() - start)
                if chromium:
                    report = browser.open(page, wait_for="window.kgReady === true", settle=0.1)
                    assert browser.evaluate("kgDrawnNodeCount()") == stats["nodes"], "drawn node count differs"
                    assert not report.console_errors and not report.remote_requests, report
                    paints.append(browser.evaluate("window.kgFirstPaint") / 1000)
            write, paint = sorted(writes)[len(writes) // 2], sorted(paints)[len(paints) // 2] if paints else None
            print(f"{stats['nodes']:>9} {stats['edges']:>7} {stats['topics']:>6} {page.stat().st_size / 1e6:>5.1f} "
                  f"{write:>8.2f} {paint if paint is not None else float('nan'):>14.2f} "
                  f"{'met' if write <= WRITE_TARGET_S else 'MISSED':>12} "
                  f"{('met' if paint <= PAINT_TARGET_S else 'MISSED') if paint is not None else 'no chromium':>12}",
                  flush=True)


class _NoBrowser:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="comma-separated node counts (ego views; '' skips)")
    parser.add_argument("--map-sizes", default="2000,10000,20000", help="comma-separated map node counts ('' skips)")
    parser.add_argument("--runs", type=int, default=3, help="map runs per size (the median is printed)")
    args = parser.parse_args(argv)
    if args.map_sizes:
        bench_map([int(s) for s in args.map_sizes.split(",")], args.runs)
    if not args.sizes:
        return 0
    print(f"{'nodes':>6} {'edges':>6} {'build s':>8} {'from_nx s':>10} {'build ratio':>12} "
          f"{'page s':>7} {'page ratio':>11} {'layout':>11} {'MB':>5}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            graph = corpus(size)
            ours, stats = time_render(graph, Path(tmp) / f"bench-{size}.html")
            build = time_build(graph)
            theirs = time_from_nx(graph)
            print(f"{graph.number_of_nodes():>6} {graph.number_of_edges():>6} {build:>8.3f} {theirs:>10.2f} "
                  f"{theirs / build:>11.0f}x {ours:>7.2f} {theirs / ours:>10.1f}x {stats['layout']:>11} "
                  f"{stats['bytes'] / 1e6:>5.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
