"""Ranking in `kg related`: fuzzy resolution, specificity of shared entities, reasons."""
from __future__ import annotations

from kg.extract.model import EntityHit, Evidence
from kg.graph import build_graph
from kg.ingest.merge import paper_id
from kg.ingest.model import Paper
from kg.queries.graph_reader import GraphReader
from kg.queries.related import match_score, related, resolve


def _paper(title, authors, *methods):
    paper = Paper(id=paper_id(title), title=title, authors=list(authors), abstract=" ".join(methods) or None)
    hits = [EntityHit("Method", m.lower(), m, "USES", [m],
                      [Evidence("abstract", 0, len(m), m, m, "kb:Method:" + m, 0.9)]) for m in methods]
    return paper, hits


def _graph():
    rows = [
        _paper("Matryoshka Representation Learning", ["Aditya Kusupati", "Ali Farhadi"], "ResNet", "BERT", "MRL-Rare"),
        _paper("Nested Things", ["Someone Else"], "MRL-Rare"),  # shares the rare method
        _paper("Common Things", ["Third Person"], "ResNet"),  # shares only a common method
        _paper("Another Common One", ["Fourth Person"], "ResNet", "BERT"),
        _paper("Farhadi Again", ["Ali Farhadi"]),  # shares an author
        _paper("Unrelated", ["Nobody"], "SVM"),
    ]
    return GraphReader(build_graph([p for p, _ in rows], {p.id: h for p, h in rows}))


def test_match_score_orders_exact_words_substring_fuzzy():
    assert match_score("bert", "BERT") == 1.0
    assert match_score("Matryoshka", "2D Matryoshka Sentence Embeddings") > 0.9
    assert 0.75 < match_score("Matryoshk", "Matryoshka Representation Learning") < 0.95
    assert match_score("Matroyshka", "Matryoshka") >= 0.75  # a typo still resolves
    assert match_score("graph", "Matryoshka") < 0.75


def test_related_ranks_rare_shared_entities_higher_and_explains():
    graph = _graph()
    assert [graph.graph.nodes[n]["title"] for n, _ in resolve(graph, "matryoshka")] == ["Matryoshka Representation Learning"]
    result = related(graph, "Matryoshka")
    papers = [r["name"] for r in result["papers"]]
    assert "Unrelated" not in papers
    assert papers.index("Nested Things") < papers.index("Common Things")
    nested = next(r for r in result["papers"] if r["name"] == "Nested Things")
    assert nested["reason"] == "shares method: MRL-Rare"
    farhadi = next(r for r in result["papers"] if r["name"] == "Farhadi Again")
    assert farhadi["reason"] == "co-author: Ali Farhadi"
    assert {r["name"] for r in result["methods"]} == {"ResNet", "BERT", "MRL-Rare"}
    assert result["methods"][-1]["name"] == "ResNet"  # the most common entity says least about the paper
    assert {r["name"] for r in result["authors"]} == {"Aditya Kusupati", "Ali Farhadi"}
    assert all(r["reason"].startswith("wrote matching paper") for r in result["authors"])


def test_related_from_an_entity():
    result = related(_graph(), "MRL-Rare", limit=3)
    assert {m["name"] for m in result["matches"]} == {"MRL-Rare"}
    assert {r["name"] for r in result["papers"]} >= {"Matryoshka Representation Learning", "Nested Things"}
    assert len(result["papers"]) <= 3


def test_a_huge_term_is_matched_in_bounded_time():
    import time

    started = time.perf_counter()
    result = related(_graph(), "Matryoshka " + "x" * 10_000)
    assert time.perf_counter() - started < 5
    assert result["matches"] == [] or result["matches"][0]["name"] == "Matryoshka Representation Learning"


def test_whole_words_only():
    graph = _graph()
    assert resolve(graph, "Rare") and not resolve(graph, "Rar"[:2])  # "RE" is a fragment, not a word
    assert all("Nested" in graph.graph.nodes[n].get("title", "") for n, _ in resolve(graph, "Nested"))


def test_one_misspelt_word_among_correct_ones():
    graph = _graph()
    assert [n for n, _ in resolve(graph, "Matryoshka Representaton Learning")][:1] == \
        [n for n, _ in resolve(graph, "Matryoshka Representation Learning")][:1]
    assert resolve(graph, "Ali Farhadi") and resolve(graph, "Ali Farhdi")
