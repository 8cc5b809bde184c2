"""VARIANT_OF and Metric downstream of the extractor, on hand-built hits (independent of the extractor):
the networkx builder, the embedded store (at once, in chunks, after changes, an older store without the
table), `kg related/papers/stats/view/query/export`. test_variants_neo4j checks the same answers on Neo4j."""
from __future__ import annotations

import csv
import hashlib
import json
import sqlite3

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.extract.model import EntityHit, Evidence
from kg.graph import build_graph, graph_counts
from kg.graph.rows import paper_links
from kg.graph.schema import node_id
from kg.ingest.model import Paper, SourceRef
from kg.queries.graph_reader import GraphReader
from kg.queries.local_backend import LocalBackend
from kg.queries.related import related
from kg.store import LocalStore
from kg.store.local_write import StoreChange
from conftest import kg_ok


PAPERS = {
    "p-gumbel": ("Gumbel Tree-LSTM for unsupervised parsing", ["Ann Lee", "Bo Chen"],
                 "We propose Gumbel Tree-LSTM, a latent tree model. It improves accuracy on SNLI."),
    "p-face": ("Face R-FCN", ["Bo Chen", "Cy Diaz"],
               "We adapt R-FCN into Face R-FCN for face detection. It reaches high average precision on WIDER FACE."),
    "p-split": ("Split-brain autoencoders", ["Dee Evans"],
                "We introduce split-brain autoencoders. Accuracy on ImageNet improves."),
    "p-tjepa": ("T-JEPA: joint embeddings for tables", ["Eve Fox", "Ann Lee"], "We present T-JEPA for tabular data."),
    "p-trees": ("Parsing with latent trees", ["Gus Hill"], "We use Gumbel Tree-LSTM and report accuracy on SNLI."),
}


def papers() -> list[Paper]:
    return [Paper(id=pid, title=title, authors=authors, abstract=abstract, date="2021-0%d-01" % (n + 1),
                  sources=[SourceRef("hand.jsonl", n + 1)])
            for n, (pid, (title, authors, abstract)) in enumerate(sorted(PAPERS.items()))]


def hit(pid: str, type_: str, name: str, relation: str, surface: str | None = None, variant_of=None, key=None):
    abstract = PAPERS[pid][2]
    surface = surface or name
    start = abstract.lower().index(surface.lower())
    evidence = Evidence("abstract", start, start + len(surface), abstract[start:start + len(surface)], abstract,
                        "kb:x" if variant_of is None else "variant", 0.9)
    return EntityHit(type_, key or name.lower(), name, relation, [abstract[start:start + len(surface)]], [evidence],
                     variant_of=variant_of)


TREE_LSTM, R_FCN = ("Method", "tree-lstm", "Tree-LSTM"), ("Method", "r-fcn", "R-FCN")
AUTOENCODER, JEPA = ("Method", "autoencoder", "Autoencoder"), ("Method", "jepa", "JEPA")


def hits_a() -> dict[str, list[EntityHit]]:
    """Four variants (one named by two papers, one of a parent linked directly too) and two metrics."""
    return {
        "p-gumbel": [hit("p-gumbel", "Method", "Gumbel Tree-LSTM", "PROPOSES", variant_of=TREE_LSTM),
                     hit("p-gumbel", "Metric", "accuracy", "USES"),
                     hit("p-gumbel", "Dataset", "SNLI", "EVALUATED_ON")],
        "p-face": [hit("p-face", "Method", "Face R-FCN", "PROPOSES", variant_of=R_FCN),
                   hit("p-face", "Method", "R-FCN", "USES"),
                   hit("p-face", "Metric", "average precision", "USES"),
                   hit("p-face", "Dataset", "WIDER FACE", "EVALUATED_ON")],
        "p-split": [hit("p-split", "Method", "split-brain autoencoders", "PROPOSES", variant_of=AUTOENCODER),
                    hit("p-split", "Metric", "accuracy", "USES"),
                    hit("p-split", "Dataset", "ImageNet", "EVALUATED_ON")],
        "p-tjepa": [hit("p-tjepa", "Method", "T-JEPA", "PROPOSES", variant_of=JEPA)],
        "p-trees": [hit("p-trees", "Method", "Gumbel Tree-LSTM", "USES", variant_of=TREE_LSTM),
                    hit("p-trees", "Metric", "accuracy", "USES"),
                    hit("p-trees", "Dataset", "SNLI", "EVALUATED_ON")],
    }


def hits_b() -> dict[str, list[EntityHit]]:
    """A changed extraction: T-JEPA is no longer a variant (its pair and the JEPA node go), Gumbel Tree-LSTM in
    p-gumbel neither (p-trees still names the pair, so it stays), Face R-FCN gains a second parent."""
    hits = hits_a()
    hits["p-tjepa"] = [hit("p-tjepa", "Method", "T-JEPA", "PROPOSES")]
    hits["p-gumbel"][0] = hit("p-gumbel", "Method", "Gumbel Tree-LSTM", "PROPOSES")
    hits["p-face"][0] = hit("p-face", "Method", "Face R-FCN", "PROPOSES", variant_of=("Concept", "face detection",
                                                                                       "face detection"))
    return hits


def write(store: LocalStore, chosen: list[Paper], hits: dict[str, list[EntityHit]]) -> int:
    """What a load writes for these papers and hits (kg.app.load without the extractor)."""
    change = StoreChange(papers=sorted(chosen, key=lambda p: p.id), meta={"extractor": "hand"})
    change.text_hashes = {p.id: "t" for p in chosen}
    links = []
    for paper in change.papers:
        rows = paper_links(paper, hits.get(paper.id, []))
        digest = hashlib.sha1(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:20]
        links.append((paper.id, digest, rows))
        change.entity_names.update({node_id(h.type, h.key): h.name for h in hits.get(paper.id, [])})
    change.links = links
    return store.apply(change)


def rows(graph: nx.MultiDiGraph):
    return (sorted((n, json.dumps(d, sort_keys=True)) for n, d in graph.nodes(data=True)),
            sorted((u, v, k, json.dumps(d, sort_keys=True)) for u, v, k, d in graph.edges(keys=True, data=True)))


@pytest.fixture
def store(tmp_path) -> LocalStore:
    local = LocalStore(tmp_path / "store")
    write(local, papers(), hits_a())
    yield local
    local.close()


def test_builder_draws_variants_and_parents():
    graph = build_graph(papers(), hits_a())
    variants = sorted((u, v) for u, v, k in graph.edges(keys=True) if k == "VARIANT_OF")
    assert variants == [("method:face r-fcn", "method:r-fcn"), ("method:gumbel tree-lstm", "method:tree-lstm"),
                        ("method:split-brain autoencoders", "method:autoencoder"), ("method:t-jepa", "method:jepa")]
    assert graph.nodes["method:tree-lstm"] == {"label": "Method", "key": "tree-lstm", "name": "Tree-LSTM", "kb": False,
                                               "aliases": [], "papers": 0}
    assert graph.nodes["method:r-fcn"]["papers"] == 1, "a parent a paper links directly counts that paper"
    assert graph.nodes["method:gumbel tree-lstm"]["variant_of"] == ["method:tree-lstm"]
    assert "variant_of" not in graph.nodes["method:r-fcn"]
    assert graph.nodes["metric:accuracy"]["label"] == "Metric" and graph.nodes["metric:accuracy"]["papers"] == 3
    counts = graph_counts(graph)
    assert counts["relationships"]["VARIANT_OF"] == 4 and counts["nodes"]["Metric"] == 2
    assert counts["nodes"]["Method"] == 8  # four variants, four parents


def test_store_equals_builder_and_counts(store):
    expected = build_graph(papers(), hits_a())
    assert rows(store.load_graph()) == rows(expected)
    assert store.counts() == graph_counts(expected)


@pytest.mark.parametrize("order", ["forward", "backward", "pairs"])
def test_chunked_writes_equal_one_write(tmp_path, store, order):
    """Papers written in chunks, in any order, give the graph of one write (parents appear and stay once
    some paper names them)."""
    all_papers = papers()
    chunks = {"forward": [[p] for p in all_papers], "backward": [[p] for p in reversed(all_papers)],
              "pairs": [all_papers[3:], all_papers[:3]]}[order]
    chunked = LocalStore(tmp_path / order)
    for chunk in chunks:
        write(chunked, chunk, hits_a())
    assert rows(chunked.load_graph()) == rows(store.load_graph())
    assert chunked.counts() == store.counts()


def test_changes_rewrite_variants_and_leave_tombstones(store):
    before = store.revision()
    write(store, papers(), hits_b())
    expected = build_graph(papers(), hits_b())
    assert rows(store.load_graph()) == rows(expected)
    assert store.counts() == graph_counts(expected)
    tombstones = set(store.iter_tombstones(before))
    assert ("variant", json.dumps(["method:t-jepa", "method:jepa"], separators=(",", ":"))) in tombstones
    assert ("node", "method:jepa") in tombstones, "a parent no paper names any more is dropped"
    assert not any("tree-lstm" in ident for kind, ident in tombstones if kind == "variant"), \
        "p-trees still names Gumbel Tree-LSTM as a variant of Tree-LSTM"
    changed = list(store.iter_changed_variants(before))
    assert changed == [("method:face r-fcn", "concept:face detection")]
    assert store.changed_since(before)["variants"] == 1
    # back to the first extraction: the pair returns, its tombstone goes
    write(store, papers(), hits_a())
    assert rows(store.load_graph()) == rows(build_graph(papers(), hits_a()))
    assert not any(kind == "variant" and "t-jepa" in ident for kind, ident in store.iter_tombstones(0))


def test_a_store_made_before_the_variants_table_reads_and_then_loads(tmp_path):
    local = LocalStore(tmp_path / "old")
    write(local, papers(), {pid: [h for h in hs if h.variant_of is None] for pid, hs in hits_a().items()})
    local.close()
    with sqlite3.connect(tmp_path / "old" / "kg.sqlite") as conn:
        conn.execute("DROP TABLE variants")
    old = LocalStore(tmp_path / "old")
    assert old.counts()["nodes"]["Paper"] == 5
    assert old.variant_pairs(["method:r-fcn"]) == [] and list(old.iter_changed_variants(0)) == []
    assert "variants" not in old.changed_since(0)
    assert LocalBackend(old).related("R-FCN")["matches"]
    write(old, papers(), hits_a())  # a load creates the table and re-links
    assert rows(old.load_graph()) == rows(build_graph(papers(), hits_a()))
    old.close()


def test_related_names_parents_and_variants(store):
    backend = LocalBackend(store)
    variant = backend.related("Gumbel Tree-LSTM")
    assert variant["matches"][0]["id"] == "method:gumbel tree-lstm"
    assert "method:tree-lstm" not in {m["id"] for m in variant["matches"]}
    assert "Gumbel Tree-LSTM is a variant of Tree-LSTM" in variant["notes"]
    parent_row = next(r for r in variant["methods"] if r["id"] == "method:tree-lstm")
    assert "parent of: Gumbel Tree-LSTM" in parent_row["reason"]
    assert {r["name"] for r in variant["metrics"]} == {"accuracy"}

    parent = backend.related("R-FCN")
    assert parent["matches"][0]["id"] == "method:r-fcn"
    assert any(n.startswith("R-FCN has 1 variant: Face R-FCN") for n in parent["notes"])
    assert [p["id"] for p in parent["papers"] if p["direct"]] == ["paper:p-face"]

    # the same answers from the networkx graph the builder makes (GraphReader, the third reader)
    graph = build_graph(papers(), hits_a())
    for term in ("Gumbel Tree-LSTM", "R-FCN", "JEPA", "accuracy", "autoencoder"):
        assert related(GraphReader(graph), term) == backend.related(term), term


def test_variants_of_a_matched_parent_bring_their_papers():
    """When the variant's name does not carry the parent's words, its papers still come up for the parent."""
    hits = hits_a()
    hits["p-tjepa"] = [hit("p-tjepa", "Method", "Tabular JEPA", "PROPOSES", surface="T-JEPA", key="tab-jepa",
                           variant_of=("Method", "joint embedding predictive architecture", "I-JEPA"))]
    graph = build_graph(papers(), hits)
    found = related(GraphReader(graph), "I-JEPA")
    assert [m["id"] for m in found["matches"]] == ["method:joint embedding predictive architecture"]
    assert found["papers"] and found["papers"][0]["id"] == "paper:p-tjepa"
    assert found["papers"][0]["reason"] == "variant of I-JEPA: Tabular JEPA"

def test_papers_and_stats_show_metrics(store):
    records = {r["id"]: r for r in json.loads(kg_ok(store.path, "papers", "--json"))}
    assert records["p-gumbel"]["metrics"] == [{"name": "accuracy", "aliases": ["accuracy"]}]
    assert records["p-gumbel"]["methods"] == [{"name": "Gumbel Tree-LSTM", "aliases": ["Gumbel Tree-LSTM"]}]
    assert records["p-tjepa"]["metrics"] == []
    stats = json.loads(kg_ok(store.path, "stats", "--json"))
    assert stats["relationships"]["VARIANT_OF"] == 4 and stats["nodes"]["Metric"] == 2
    assert stats["top"]["metrics"][0] == {"name": "accuracy", "papers": 3}
    text = kg_ok(store.path, "related", "Gumbel Tree-LSTM")
    assert "note: Gumbel Tree-LSTM is a variant of Tree-LSTM" in text and "metrics" in text


def test_view_draws_variant_edges(store, tmp_path):
    from kg.viz.style import EDGE_COLOURS

    out = tmp_path / "v.html"
    report = json.loads(kg_ok(store.path, "view", "Tree-LSTM", "-o", str(out), "--json"))
    page = out.read_text(encoding="utf-8")
    assert "method:gumbel tree-lstm|VARIANT_OF|method:tree-lstm" in page and EDGE_COLOURS["VARIANT_OF"] in page
    assert report["edges"] >= 1
    graph, centers = LocalBackend(store).graph_around("T-JEPA", hops=1)
    assert ("method:t-jepa", "method:jepa", "VARIANT_OF") in set(graph.edges(keys=True))


def test_canned_queries_see_metrics_and_variants(store):
    rows_ = json.loads(kg_ok(store.path, "query", "top-entities", "-p", "label=metric", "--json"))
    assert [(r["name"], r["papers"]) for r in rows_] == [("accuracy", 3), ("average precision", 1)]
    path = json.loads(kg_ok(store.path, "query", "shortest-path", "-p", "from=Tree-LSTM", "-p", "to=Gumbel Tree-LSTM",
                          "--json"))
    assert path == [{"hops": 1, "nodes": ["Tree-LSTM", "Gumbel Tree-LSTM"], "labels": ["Method", "Method"],
                     "relationships": ["VARIANT_OF"], "keys": ["tree-lstm", "gumbel tree-lstm"]}]
    shared = json.loads(kg_ok(store.path, "query", "related-entities", "-p", "term=accuracy", "--json"))
    assert {r["name"] for r in shared} >= {"Gumbel Tree-LSTM", "SNLI", "ImageNet"}


def test_exports_carry_variants_and_metrics(store, tmp_path):
    graph = store.load_graph()
    out = tmp_path / "g.json"
    kg_ok(store.path, "export", "--format", "json", "-o", str(out))
    back = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="edges")
    assert rows(back) == rows(graph)

    out = tmp_path / "g.graphml"
    report = json.loads(kg_ok(store.path, "export", "--format", "graphml", "-o", str(out), "--json"))
    assert report["relationships"]["VARIANT_OF"] == 4 and report["nodes"]["Metric"] == 2
    back = nx.read_graphml(out, force_multigraph=True)
    lists = {"authors", "sources", "aliases", "variant_of"}
    nodes = {n: {k: json.loads(v) if k in lists else v for k, v in d.items()} for n, d in back.nodes(data=True)}
    assert nodes == dict(graph.nodes(data=True))
    assert {(u, v, d["type"]) for u, v, d in back.edges(data=True)} == set(graph.edges(keys=True))

    out = tmp_path / "g.gexf"
    kg_ok(store.path, "export", "--format", "gexf", "-o", str(out))
    assert {(u, v, d["type"]) for u, v, d in nx.read_gexf(out).edges(data=True)} == set(graph.edges(keys=True))

    folder = tmp_path / "csv"
    report = json.loads(kg_ok(store.path, "export", "--format", "neo4j-csv", "-o", str(folder), "--json"))
    with open(folder / "rels_Method_VARIANT_OF_Method.csv", encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == [":START_ID(Method)", ":END_ID(Method)", ":TYPE"]
    assert sorted(tuple(r[:2]) for r in table[1:]) == sorted(
        (u.partition(":")[2], v.partition(":")[2]) for u, v, k in graph.edges(keys=True)
        if k == "VARIANT_OF" and u.startswith("method:") and v.startswith("method:"))
    with open(folder / "nodes_Metric.csv", encoding="utf-8", newline="") as handle:
        assert len(list(csv.reader(handle))) == 3
    with open(folder / "nodes_Method.csv", encoding="utf-8", newline="") as handle:
        assert "variant_of:string[]" in next(csv.reader(handle))
    assert "rels_Method_VARIANT_OF_Method.csv" in report["files"]


def test_end_to_end_a_listing_with_variants_and_metrics(tmp_path):
    """From a listing through the extractor to the store and the CLI: the variant, its parent and the metric."""
    listing = tmp_path / "papers.jsonl"
    rows = [{"title": "Learning to Compose Trees", "authors": ["A. Author"], "date": "2018-01-01",
             "abstract": "We propose Gumbel Tree-LSTM, a tree-structured recurrent model. We report accuracy and BLEU."},
            {"title": "Tree-Structured Sentence Models", "authors": ["B. Author"], "date": "2016-01-01",
             "abstract": "We study Tree-LSTM encoders on sentiment analysis and report BLEU."}]
    listing.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    store = tmp_path / "store"
    run = CliRunner().invoke(main, ["--store", str(store), "load", str(listing), "--model", "rules", "--json"],
                             catch_exceptions=False)
    assert run.exit_code == 0, run.output
    stats = json.loads(CliRunner().invoke(main, ["--store", str(store), "stats", "--json"]).stdout)
    assert stats["relationships"]["VARIANT_OF"] == 1 and stats["nodes"]["Metric"] == 1
    papers = {p["title"]: p for p in json.loads(CliRunner().invoke(main, ["--store", str(store), "papers", "--json"]).stdout)}
    composed = papers["Learning to Compose Trees"]
    assert composed["proposes"] == ["Gumbel Tree-LSTM"]
    assert "Tree-LSTM" not in [m["name"] for m in composed["methods"]]  # only inside the variant
    assert [m["name"] for m in composed["metrics"]] == ["BLEU"]
    related = json.loads(CliRunner().invoke(main, ["--store", str(store), "related", "Gumbel", "--json"]).stdout)
    assert any("variant of Tree-LSTM" in note for note in related["notes"])
