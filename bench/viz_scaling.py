"""How render_page scales against pyvis `Network.from_nx`, measured in one run on generated corpora.

    python bench/viz_scaling.py [--sizes 1000,5000]

Both sides get the same MultiDiGraph. "build" compares like with like: our node/edge lists
(`build_network`) against `from_nx`, neither with a layout. "page" is the whole render_page call:
precomputed layout, inlined vis-network, file written, which from_nx does not do at all.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from kg.viz import render_page
from kg.viz.page import build_network


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="comma-separated node counts")
    args = parser.parse_args(argv)
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
