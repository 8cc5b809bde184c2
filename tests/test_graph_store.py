"""Graph building and the local store: schema, evidence on edges, identical round trip, incremental merge."""
from __future__ import annotations

import json

import networkx as nx
import pytest

from kg.errors import BackendError
from kg.extract.model import EntityHit, Evidence
from kg.graph import build_graph, graph_counts
from kg.ingest import read_paths
from kg.store import LocalStore
from kg.store.load import load_paths

from conftest import seed


def _hit(paper, surface, type_="Method", relation="USES", key=None, rule="kb:Method:x"):
    start = paper.abstract.index(surface)
    sentence_start = paper.abstract.rfind(". ", 0, start) + 2 if ". " in paper.abstract[:start] else 0
    sentence = paper.abstract[sentence_start:paper.abstract.find(".", start) + 1]
    ev = Evidence("abstract", start, start + len(surface), surface, sentence, rule, 0.9)
    return EntityHit(type_, key or surface.lower(), surface, relation, [surface], [ev])


class KeywordExtractor:
    """A transparent stand-in for tests of the graph/store layers: finds fixed words in abstracts."""

    mode = "keywords"
    words = {"ImageNet": ("Dataset", "EVALUATED_ON"), "BYOL": ("Method", "USES"), "SimSiam": ("Method", "USES"),
             "DirectPred": ("Method", "PROPOSES"), "Transformer": ("Method", "USES")}

    def extract_corpus(self, papers, progress=None):
        hits = {}
        for n, paper in enumerate(papers, 1):
            found = [_hit(paper, w, t, r) for w, (t, r) in self.words.items() if w in (paper.abstract or "")]
            if found:
                hits[paper.id] = found
            if progress:
                progress(n)
        return hits


def test_graph_schema_and_evidence():
    papers = read_paths([seed("001")]).papers
    graph = build_graph(papers, KeywordExtractor().extract_corpus(papers))
    first = f"paper:{papers[0].id}"
    assert graph.nodes[first]["label"] == "Paper" and graph.nodes[first]["author_count"] == 3
    edges = {(v, k): d for _, v, k, d in graph.out_edges(first, keys=True, data=True)}
    assert set(edges) >= {("method:directpred", "PROPOSES"), ("method:byol", "USES"), ("dataset:imagenet", "EVALUATED_ON")}
    evidence = edges[("method:byol", "USES")]["evidence"][0]
    assert papers[0].abstract[evidence["start"]:evidence["end"]] == "BYOL"
    assert "BYOL" in evidence["sentence"]
    imagenet = graph.nodes["dataset:imagenet"]
    assert imagenet["papers"] == sum(1 for p in papers if "ImageNet" in p.abstract)
    counts = graph_counts(graph)
    assert counts["nodes"]["Paper"] == 35 and counts["relationships"]["PROPOSES"] >= 1


def test_round_trip_is_identical(tmp_path, seeds_dir):
    store = LocalStore(tmp_path / "store")
    summary = load_paths([seeds_dir], store, KeywordExtractor())
    reloaded = LocalStore(tmp_path / "store").load_graph()
    assert nx.utils.graphs_equal(summary.graph, reloaded)
    assert sorted(summary.graph.edges(keys=True, data=True)) == sorted(reloaded.edges(keys=True, data=True))
    assert [p.to_dict() for p in store.load_papers()] == [p.to_dict() for p in read_paths([seeds_dir]).papers]


def test_incremental_loads_merge_without_duplicates(tmp_path):
    store = LocalStore(tmp_path / "store")
    first = load_paths([seed("001")], store, KeywordExtractor())
    assert first.added()["Paper"] == 35
    second = load_paths([seed("004")], store, KeywordExtractor())
    overlap = {p.title for p in read_paths([seed("001")]).papers} & {p.title for p in read_paths([seed("004")]).papers}
    assert overlap, "the two seed pages share papers"
    assert second.added()["Paper"] == 129 - len(overlap)
    again = load_paths([seed("001"), seed("004")], store, KeywordExtractor())
    assert again.added() == {label: 0 for label in again.after["nodes"]}
    merged = next(p for p in store.load_papers() if p.title in overlap)
    assert len({s.file for s in merged.sources}) == 2


def test_failed_load_keeps_what_was_stored(tmp_path):
    store = LocalStore(tmp_path / "store")
    load_paths([seed("001")], store, KeywordExtractor())
    before = store.graph_file.read_bytes()

    class Broken(KeywordExtractor):
        def extract_corpus(self, papers, progress=None):
            raise RuntimeError("extractor crashed")

    with pytest.raises(RuntimeError):
        load_paths([seed("004")], store, Broken())
    assert store.graph_file.read_bytes() == before
    assert not list(store.path.glob(".tmp-*"))


def test_store_errors_are_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(BackendError, match="is a file, not a folder"):
        LocalStore(tmp_path / "file")
    with pytest.raises(BackendError, match="no graph yet"):
        LocalStore(tmp_path / "empty").load_graph()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "graph.json").write_text("{" + json.dumps({"nodes": []})[:5])
    with pytest.raises(BackendError, match="corrupt graph file"):
        LocalStore(broken).load_graph()
