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
from kg.app.load import load_paths

from conftest import EXAMPLES, seed


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


def _load(paths, store, rules, **kw):
    return load_paths(paths, store, rules, workers=1, **kw)


def test_round_trip_is_identical(tmp_path, seeds_dir, rules):
    store = LocalStore(tmp_path / "store")
    _load([seeds_dir], store, rules)
    papers = read_paths([seeds_dir]).papers
    expected = build_graph(papers, rules.extract_corpus(papers))
    reloaded = LocalStore(tmp_path / "store").load_graph()
    assert nx.utils.graphs_equal(expected, reloaded)
    assert sorted(expected.edges(keys=True, data=True)) == sorted(reloaded.edges(keys=True, data=True))
    assert sorted(p.to_dict()["id"] for p in store.iter_papers()) == sorted(p.id for p in papers)


def test_incremental_loads_merge_without_duplicates(tmp_path, rules):
    store = LocalStore(tmp_path / "store")
    first = _load([seed("001")], store, rules)
    assert first.added()["Paper"] == 35 and first.extracted == 35
    second = _load([seed("004")], store, rules)
    overlap = {p.title for p in read_paths([seed("001")]).papers} & {p.title for p in read_paths([seed("004")]).papers}
    assert overlap, "the two seed pages share papers"
    assert second.added()["Paper"] == 129 - len(overlap)
    again = _load([seed("001"), seed("004")], store, rules)
    assert again.added() == {label: 0 for label in again.after["nodes"]}
    assert again.extracted == 0, "unchanged papers come from the candidate cache"
    assert again.written["papers_relinked"] == 0 and again.written["nodes"] == 0
    merged = next(p for p in store.iter_papers() if p.title in overlap)
    assert len({s.file for s in merged.sources}) == 2


def _graph_rows(store: LocalStore):
    graph = store.load_graph()
    return (sorted((n, json.dumps(d, sort_keys=True)) for n, d in graph.nodes(data=True)),
            sorted((u, v, k, json.dumps(d, sort_keys=True)) for u, v, k, d in graph.edges(keys=True, data=True)))


def test_chunked_loads_in_any_order_equal_one_load(tmp_path, seeds_dir, rules):
    """Loading the corpus at once, or file by file in two different orders, gives the identical graph:
    nodes, relationships, properties and evidence."""
    files = sorted(seeds_dir.iterdir()) + sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".jsonl", ".csv"))
    at_once = LocalStore(tmp_path / "once")
    _load(files, at_once, rules)
    expected = _graph_rows(at_once)
    for name, order in (("forward", files), ("backward", list(reversed(files)))):
        chunked = LocalStore(tmp_path / name)
        for chunk in [order[i::5] for i in range(5)]:
            if chunk:
                _load(chunk, chunked, rules)
        assert _graph_rows(chunked) == expected, name
        assert chunked.counts() == at_once.counts()


def test_failed_load_keeps_what_was_stored(tmp_path, rules):
    store = LocalStore(tmp_path / "store")
    _load([seed("001")], store, rules)
    before = _graph_rows(store)

    class Broken:
        mode = rules.mode

        def candidates(self, papers, progress=None):
            raise RuntimeError("extractor crashed")

    with pytest.raises(RuntimeError):
        load_paths([seed("004")], store, Broken(), workers=1)
    assert _graph_rows(LocalStore(tmp_path / "store")) == before
    assert {f.name for f in store.path.iterdir()} <= {"kg.sqlite", "kg.sqlite-wal", "kg.sqlite-shm", "load.lock"}


def test_store_errors_are_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(BackendError, match="is a file, not a folder"):
        LocalStore(tmp_path / "file")
    with pytest.raises(BackendError, match="no graph yet"):
        LocalStore(tmp_path / "empty").load_graph()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "kg.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(BackendError, match="not a kg store database"):
        LocalStore(broken).load_graph()


def test_newer_schema_is_refused(tmp_path, rules):
    import sqlite3

    store = LocalStore(tmp_path / "store")
    _load([seed("000")], store, rules)
    store.close()
    with sqlite3.connect(tmp_path / "store" / "kg.sqlite") as conn:
        conn.execute("UPDATE schema_version SET version = version + 1")
    with pytest.raises(BackendError, match="newer kg"):
        LocalStore(tmp_path / "store").counts()


def test_json_store_of_kg_0_1_is_converted_on_first_use(tmp_path, rules):
    papers = read_paths([seed("000")]).papers
    graph = build_graph(papers, rules.extract_corpus(papers))
    old = tmp_path / "old"
    old.mkdir()
    (old / "papers.jsonl").write_text("".join(json.dumps(p.to_dict()) + "\n" for p in papers), encoding="utf-8")
    (old / "graph.json").write_text(json.dumps(nx.node_link_data(graph, edges="edges")), encoding="utf-8")
    (old / "meta.json").write_text("{}", encoding="utf-8")
    store = LocalStore(old)
    assert store.counts() == graph_counts(graph)
    assert nx.utils.graphs_equal(store.load_graph(), graph)
    assert sorted(f.name for f in old.iterdir() if not f.name.startswith("kg.sqlite")) == []
    again = _load([seed("000")], store, rules)
    assert again.added() == {label: 0 for label in again.after["nodes"]}


def _variants_and_metrics(hits):
    """A stand-in for the extractor's whole names and metrics, decided by each hit alone: a multi-word method is
    a variant of the method its last word names; a concept about accuracy or error is a Metric."""
    from dataclasses import replace

    out = []
    for h in hits:
        words = h.key.split()
        if h.type == "Method" and len(words) > 1 and len(words[-1]) > 2:
            h = replace(h, variant_of=("Method", words[-1], words[-1].upper()))
        elif h.type == "Concept" and any(w in h.key for w in ("accuracy", "error", "loss")):
            h = replace(h, type="Metric", relation="USES")
        out.append(h)
    return out


def test_chunked_loads_with_variants_equal_one_load(tmp_path, seeds_dir, rules, monkeypatch):
    """The incremental invariant with VARIANT_OF pairs and Metric nodes: parents named only inside variants
    appear once some paper names them, whatever the order the corpus arrives in."""
    from kg.extract.resolve import CorpusResolver

    original = CorpusResolver.hits
    monkeypatch.setattr(CorpusResolver, "hits", lambda self, items, titled: _variants_and_metrics(
        original(self, items, titled)))
    files = sorted(seeds_dir.iterdir())[:6]
    at_once = LocalStore(tmp_path / "once")
    _load(files, at_once, rules)
    expected = _graph_rows(at_once)
    counts = at_once.counts()
    assert counts["relationships"]["VARIANT_OF"] > 5 and counts["nodes"]["Metric"] > 0
    graph = at_once.load_graph()
    assert any(d.get("papers") == 0 for _, d in graph.nodes(data=True)), "some parent occurs only inside variants"
    for name, order in (("forward", files), ("backward", list(reversed(files)))):
        chunked = LocalStore(tmp_path / name)
        for chunk in [order[i::3] for i in range(3)]:
            _load(chunk, chunked, rules)
        assert _graph_rows(chunked) == expected, name
        assert chunked.counts() == counts
