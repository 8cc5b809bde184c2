"""`kg export`: GraphML, GEXF and node-link JSON read back with networkx equal the store's graph; neo4j-csv files
carry typed headers and one row per node and relationship; hostile text survives (or is replaced and counted)."""
from __future__ import annotations

import csv
import json

import networkx as nx
import pytest

from kg.store import LocalStore

from conftest import EXAMPLES, kg_run

JSON_TEXT = {"authors", "sources", "aliases", "evidence"}  # lists and evidence travel as JSON text in XML
NODE_JSON_TEXT = JSON_TEXT | {"variant_of"}  # a variant's parents (on its links, variant_of is one node id)

@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "store"
    kg_run(None, "load", str(EXAMPLES), "--store", str(path))
    return path


@pytest.fixture(scope="module")
def graph(store):
    local = LocalStore(store)
    try:
        return local.load_graph()
    finally:
        local.close()


def _decoded(data: dict, lists=JSON_TEXT) -> dict:
    return {k: json.loads(v) if k in lists and isinstance(v, str) else v for k, v in data.items()}


def _edges(graph) -> dict:
    return {(u, v, k): d for u, v, k, d in graph.edges(keys=True, data=True)}


def test_graphml_reads_back_equal(store, graph, tmp_path):
    out = tmp_path / "g.graphml"
    report = json.loads(kg_run(None, "export", "--format", "graphml", "-o", str(out), "--store", str(store), "--json").output)
    assert sum(report["nodes"].values()) == graph.number_of_nodes()
    back = nx.read_graphml(out, force_multigraph=True)
    assert {n: _decoded(d, NODE_JSON_TEXT) for n, d in back.nodes(data=True)} == dict(graph.nodes(data=True))
    assert {(u, v, d["type"]): _decoded(d) for u, v, d in back.edges(data=True)} == _edges(graph)


def test_gexf_reads_back_equal(store, graph, tmp_path):
    out = tmp_path / "g.gexf"
    kg_run(None, "export", "--format", "gexf", "-o", str(out), "--store", str(store))
    back = nx.read_gexf(out)
    nodes = {}
    for nid, data in back.nodes(data=True):
        data = _decoded(data, NODE_JSON_TEXT)
        assert data.pop("label") == (data.get("title") or data.get("name")), "Gephi shows the title or name"
        data["label"] = data.pop("kind")
        nodes[nid] = data
    assert nodes == dict(graph.nodes(data=True))
    edges = {}
    for u, v, data in back.edges(data=True):
        data = _decoded(data)
        assert data.pop("label") == data["type"] and data.pop("id").startswith("e")
        edges[(u, v, data["type"])] = data
    assert edges == _edges(graph)


def test_json_is_node_link_data(store, graph, tmp_path):
    out = tmp_path / "g.json"
    kg_run(None, "export", "--format", "json", "-o", str(out), "--store", str(store))
    back = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="edges")
    assert isinstance(back, nx.MultiDiGraph)
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert _edges(back) == _edges(graph)


def test_neo4j_csv_files(store, graph, tmp_path):
    out = tmp_path / "csv"
    report = json.loads(kg_run(None, "export", "--format", "neo4j-csv", "-o", str(out), "--store", str(store),
                            "--json").output)
    args = (out / "import.args").read_text(encoding="utf-8").split()
    assert "--array-delimiter=U+001F" in args
    rows = {}
    for name in report["files"]:
        assert f"--nodes={name}" in args or f"--relationships={name}" in args
        with open(out / name, encoding="utf-8", newline="") as handle:
            table = list(csv.reader(handle))
        rows[name] = table
    assert rows["nodes_Paper.csv"][0][:2] == ["key:ID(Paper)", "title"] and rows["nodes_Paper.csv"][0][-1] == ":LABEL"
    assert "authors:string[]" in rows["nodes_Paper.csv"][0] and "papers:long" in rows["nodes_Method.csv"][0]
    header = rows["rels_Paper_USES_Method.csv"][0]
    assert header[:2] == [":START_ID(Paper)", ":END_ID(Method)"] and header[-1] == ":TYPE"
    assert {"evidence", "sentence", "start:long", "confidence:double", "aliases:string[]"} <= set(header)
    assert rows["rels_Author_AUTHORED_Paper.csv"][0] == [":START_ID(Author)", ":END_ID(Paper)", "position:long", ":TYPE"]
    for label, n in report["nodes"].items():
        assert len(rows.get(f"nodes_{label}.csv", [[]])) - 1 == n == sum(
            1 for _, d in graph.nodes(data=True) if d["label"] == label)
    for rel, n in report["relationships"].items():
        assert sum(len(t) - 1 for name, t in rows.items() if f"_{rel}_" in name) == n == sum(
            1 for _, _, k in graph.edges(keys=True) if k == rel)
    paper = next(r for r in rows["nodes_Paper.csv"][1:] if r[1] == "Generative Adversarial Networks")
    authors = paper[rows["nodes_Paper.csv"][0].index("authors:string[]")]
    assert authors.split("\x1f")[:2] == ["Ian J. Goodfellow", "Jean Pouget-Abadie"]
    assert rows["nodes_KgPush.csv"][1][:2] == ["push", "complete"]


def test_hostile_text_and_errors(tmp_path):
    store = tmp_path / "store"
    listing = tmp_path / "hostile.jsonl"
    title = 'A "quoted", <tagged> & odd\x01\x1f title [/]'
    listing.write_text(json.dumps({"title": title, "authors": ["Zoë \x1f O'Neil", "B, C"],
                                   "abstract": "We propose FooNet.\nIt uses BERT on ImageNet.", "date": "2021-02-03"})
                       + "\n", encoding="utf-8")
    kg_run(None, "load", str(listing), "--store", str(store))
    gm = tmp_path / "h.graphml"
    report = json.loads(kg_run(None, "export", "--format", "graphml", "-o", str(gm), "--store", str(store), "--json").output)
    local = LocalStore(store)
    [paper] = [a for a in local.iter_all_papers()]
    local.close()
    assert "\x01" in paper["title"]
    assert report["replaced_characters"] == 1  # XML 1.0 cannot hold \x01
    back = nx.read_graphml(gm)
    titles = [d["title"] for _, d in back.nodes(data=True) if d["label"] == "Paper"]
    assert titles == [paper["title"].replace("\x01", "\ufffd")]
    out = tmp_path / "csv"
    report = json.loads(kg_run(None, "export", "--format", "neo4j-csv", "-o", str(out), "--store", str(store), "--json").output)
    assert report["replaced_characters"] == 0
    with open(out / "nodes_Paper.csv", encoding="utf-8", newline="") as handle:
        header, row = list(csv.reader(handle))
    assert row[header.index("title")] == paper["title"]  # CSV holds control characters as they are
    assert row[header.index("authors:string[]")].split("\x1f") == ["Zoë O'Neil", "B, C"]
    # a hard-wrapped abstract is one line of text: no multi-line fields, so neo4j-admin parses in parallel
    assert row[header.index("abstract")] == "We propose FooNet. It uses BERT on ImageNet."
    assert report["multiline_fields"] is False and "--multiline-fields=false" in (out / "import.args").read_text()

    again = kg_run(None, "export", "--format", "neo4j-csv", "-o", str(out), "--store", str(store), ok=False)
    assert again.exit_code != 0 and str(out) in again.output and "empty folder" in again.output
    assert len(again.output.strip().splitlines()) == 1
    missing = kg_run(None, "export", "--format", "json", "-o", str(tmp_path / "x.json"), "--store", str(tmp_path / "none"),
                  ok=False)
    assert missing.exit_code != 0 and "no graph yet" in missing.output and not (tmp_path / "x.json").exists()
    folder = kg_run(None, "export", "--format", "gexf", "-o", str(tmp_path), "--store", str(store), ok=False)
    assert folder.exit_code != 0 and "is a folder" in folder.output
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file is left behind"


def test_neo4j_csv_array_delimiter_is_never_data(tmp_path):
    from kg.app.export import Neo4jCsvWriter, _Report

    writer = Neo4jCsvWriter(tmp_path, _Report("neo4j-csv", tmp_path), store=None)
    assert writer._field(["a\x1fb", 'say "hi"'], list) == '"a\ufffdb\x1fsay ""hi"""'
    assert writer.report.data["replaced_characters"] == 1
    assert writer._field("", str) == '""' and writer._field(None, str) == "" and writer._field([], list) == ""
    assert writer._field(True, bool) == "true" and writer._field(3, int) == "3"
    assert not writer.multiline and writer._field("a\nb", str) and writer.multiline
