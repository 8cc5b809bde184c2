"""The `kg` CLI end to end on the local store (CliRunner), rules-only extraction for speed."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import store_snapshot as _snapshot, EXAMPLES

PAPER_KEYS = {"id", "title", "authors", "date", "abstract", "sources", "methods", "datasets", "concepts", "metrics",
              "proposes", "topic"}


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_SPACY_MODEL", "rules")
    monkeypatch.delenv("KG_BACKEND", raising=False)
    store = tmp_path / "store"

    def invoke(*args, ok=True):
        result = CliRunner().invoke(main, ["--store", str(store), *args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    invoke.store = store
    return invoke


def test_load_examples_then_query(run):
    summary = json.loads(run("load", str(EXAMPLES), "--json").output)
    assert summary["added"]["Paper"] == 33 and summary["rows"] == 38
    assert summary["skipped"] == [{"source": f"{EXAMPLES}/lab_publications.txt:1", "reason": "page heading, not a paper"}]
    stats = json.loads(run("stats", "--json").output)
    assert stats["nodes"]["Paper"] == 33 and stats["nodes"]["Method"] > 10
    papers = json.loads(run("papers", "--json").output)
    assert len(papers) == 33 and all(set(p) == PAPER_KEYS for p in papers)
    mrl = next(p for p in papers if p["title"].startswith("Matryoshka Representation Learning"))
    assert len(mrl["sources"]) == 2 and len(mrl["authors"]) > 5  # merged: JSONL row brought the author list
    assert all(set(e) == {"name", "aliases"} for e in mrl["methods"] + mrl["datasets"] + mrl["concepts"])
    related = json.loads(run("related", "Matryoshka", "--json").output)
    titles = {m["name"] for m in related["matches"]}
    assert "Matryoshka Representation Learning" in titles and "2D Matryoshka Sentence Embeddings" in titles
    assert related["papers"] and all(r["reason"] for r in related["papers"])
    table = run("related", "Matryoshka").output
    assert "matches:" in table and "papers" in table


def test_seeds_related_matryoshka(run, seeds_dir):
    run("load", str(seeds_dir))
    related = json.loads(run("related", "Matryoshka", "--limit", "5", "--json").output)
    names = {m["name"] for m in related["matches"]}
    assert {"Matryoshka Representation Learning", "2D Matryoshka Sentence Embeddings"} <= names
    assert related["papers"] and related["methods"]
    assert len(related["papers"]) <= 5
    matched = {m["id"] for m in related["matches"]}
    assert not matched & {r["id"] for section in ("methods", "datasets", "concepts", "authors")
                          for r in related[section]}  # a matched entity is never listed again as related to itself
    matched_papers = [m["id"] for m in related["matches"] if m["label"] == "Paper"]
    direct = [r for r in related["papers"] if r["direct"]]
    assert set(matched_papers) & {r["id"] for r in direct}, "the matching papers themselves are direct hits"
    assert related["papers"][:len(direct)] == direct, "direct hits come first"
    papers = json.loads(run("papers", "--json").output)
    assert len(papers) == 413


def test_reload_adds_nothing(run):
    run("load", str(EXAMPLES))
    again = json.loads(run("load", str(EXAMPLES / "paper_search.txt"), "--json").output)
    assert set(again["added"].values()) == {0}


@pytest.mark.parametrize("setup, args, expected", [
    (None, ["load", "missing-folder"], "missing-folder: no such file or folder"),
    (b"", ["load", "{tmp}/empty.txt"], "empty.txt: empty file"),
    (b"\x00\x01binary", ["load", "{tmp}/blob.txt"], "blob.txt: binary file"),
    ("caf\xe9\n".encode("latin-1") * 3, ["load", "{tmp}/latin.txt"], "latin.txt:1: not valid utf-8"),
])
def test_bad_input_one_line_error_and_store_untouched(run, tmp_path, setup, args, expected):
    run("load", str(EXAMPLES / "extra.jsonl"))
    before = _snapshot(run.store)
    name = args[1].replace("{tmp}/", "")
    if setup is not None:
        (tmp_path / name).write_bytes(setup)
    result = run(*[a.replace("{tmp}", str(tmp_path)) for a in args], ok=False)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and expected in lines[0] and lines[0].startswith("kg: error:")
    assert _snapshot(run.store) == before


def test_query_commands_without_store(run):
    result = run("stats", ok=False)
    assert result.exit_code != 0 and "no graph yet" in result.output


def test_related_no_match(run):
    run("load", str(EXAMPLES / "extra.jsonl"))
    result = run("related", "zzzqqqxx", ok=False)
    assert result.exit_code != 0 and "nothing in the graph matches" in result.output
    assert json.loads(run("related", "zzzqqqxx", "--json").output)["matches"] == []


def test_query_list_and_run(run):
    from kg.queries.canned import list_queries, run_local
    from kg.store import LocalStore

    listed = json.loads(run("query", "--list", "--json").output)
    assert [q["name"] for q in listed] == [q.name for q in list_queries()]
    assert {"papers-using-method", "coauthors", "shortest-path", "similar-papers"} <= {q["name"] for q in listed}
    run("load", str(EXAMPLES))
    rows = json.loads(run("query", "papers-using-method", "-p", "method=BERT", "--json").output)
    graph = LocalStore(run.store).load_graph()
    assert rows == run_local("papers-using-method", graph, {"method": "BERT"})
    bert_papers = {graph.nodes[p]["key"] for p, _, k in graph.in_edges("method:bert", keys=True) if k in ("USES", "PROPOSES")}
    assert rows and {r["key"] for r in rows} == bert_papers
    bad = run("query", "papers-using-method", "-p", "method=BERT", "-p", "limit=many", ok=False)
    assert bad.exit_code != 0 and "limit" in bad.output
    missing = run("query", "no-such-query", ok=False)
    assert missing.exit_code != 0 and "papers-using-method" in missing.output


def test_load_summary_has_no_trailing_spaces(tmp_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "kg.cli", "load", str(EXAMPLES / "extra.jsonl"), "--store",
                             str(tmp_path / "s"), "--model", "rules"], capture_output=True, text=True,
                            env={**__import__("os").environ, "COLUMNS": "60"})
    assert result.returncode == 0, result.stderr
    assert "[extractor: rules]" in result.stdout
    assert not [line for line in result.stdout.splitlines() if line.endswith(" ")]
