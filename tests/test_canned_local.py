"""Canned queries: header parsing, parameter errors, and each local twin checked on a graph built from real data.

Expectations are recomputed here from the graph with plain networkx and set arithmetic (not with the code under
test). Query arguments are picked from the graph itself (the busiest method, an alias, …), never hard-coded.
"""
from __future__ import annotations

import re
import shlex
from collections import Counter
from functools import lru_cache
from itertools import product

import networkx as nx
import pytest

from kg.errors import KgError
from kg.queries.twins import MAX_PATH_HOPS
from kg.queries.canned import get_query, list_queries, parse_params, parse_query_file, run_local
from kg.store import LocalStore
from kg.app.load import load_paths

from conftest import EXAMPLES, SEEDS

NAMES = ["author-methods", "coauthors", "papers-on-dataset", "papers-using-method", "related-entities",
         "shortest-path", "similar-papers", "top-entities"]
ENTITY = {"Method", "Dataset", "Concept", "Metric"}
ALL = 10_000  # a limit larger than any answer, to compare whole result sets


@lru_cache(maxsize=1)
def seed_graph() -> nx.MultiDiGraph:
    """The seed listings (or examples/ without them) through the real load pipeline and rule extractor."""
    import tempfile

    from kg.extract import Extractor

    source = SEEDS if SEEDS.is_dir() else EXAMPLES
    with tempfile.TemporaryDirectory() as folder:
        store = LocalStore(folder)
        load_paths([source], store, Extractor(model="rules"), workers=1)
        return store.load_graph()


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return seed_graph()


def cypher_order(text: str) -> bytes:
    """Neo4j's ORDER BY compares strings by UTF-16 code unit (checked against the server in test_canned_neo4j)."""
    return text.encode("utf-16-be", "surrogatepass")


def of_label(graph, label):
    return [n for n, d in graph.nodes(data=True) if d["label"] == label]


def papers_of(graph, node) -> set:
    return {n for n in nx.all_neighbors(graph, node) if graph.nodes[n]["label"] == "Paper"}


def named(graph, term, labels, fields=("name",), aliases=True) -> set:
    t = term.strip().lower()
    found = set()
    for n, d in graph.nodes(data=True):
        names = [d[f] for f in fields if f in d] + (list(d.get("aliases", [])) if aliases else [])
        if d["label"] in labels and (d["key"] == t or t in {x.lower() for x in names}):
            found.add(n)
    return found


def busiest(graph, label, measure) -> str:
    return max(of_label(graph, label), key=lambda n: (measure(n), n))


def shout(text: str) -> str:
    """A differently-cased spelling, so every test also checks case-insensitive matching."""
    swapped = text.swapcase()
    return swapped if swapped.lower() == text.lower() else text


# ------------------------------------------------------------------------------------ files and headers

def test_every_query_file_has_a_complete_header():
    queries = list_queries()
    assert [q.name for q in queries] == NAMES
    for query in queries:
        assert query.path.name == f"{query.name}.cypher"
        assert query.purpose and query.example.startswith(f"kg query {query.name} ")
        declared = {p.name for p in query.params}
        assert set(re.findall(r"\$(\w+)", query.cypher)) == declared, query.name
        assert "//" not in query.cypher.splitlines()[0] and not query.cypher.endswith(";")
        assert re.search(r"\bORDER BY\b", query.cypher), f"{query.name}: rows must be ordered"
        pairs = [a for flag, a in zip(shlex.split(query.example), shlex.split(query.example)[1:]) if flag == "-p"]
        bound = parse_params(query, pairs)
        assert set(bound) == declared


def test_header_params_types_defaults_and_choices():
    top = get_query("top-entities")
    assert [(p.name, p.type, p.default) for p in top.params] == [
        ("label", "Method|Dataset|Concept|Metric", None), ("limit", "int", 25)]
    path = get_query("shortest-path")
    assert [p.name for p in path.params] == ["from", "to", "limit"]  # continuation line of the header
    assert path.params[2].help == "paths to return"


def test_parse_params_converts_and_checks():
    query = get_query("papers-using-method")
    assert parse_params(query, ["method= BERT ", "limit=5"]) == {"method": "BERT", "limit": 5}
    assert parse_params(query, ["method=a=b"]) == {"method": "a=b", "limit": 25}
    assert parse_params(get_query("top-entities"), ["label=dataset"])["label"] == "Dataset"
    for pairs, message in [([], "'method' is required"), (["limit=3"], "'method' is required"),
                           (["method=x", "limit=three"], "'limit': expected an integer"),
                           (["method=x", "limit=-1"], "must not be negative"),
                           (["method=x", "colour=red"], "unknown parameter 'colour'"),
                           (["method"], "not of the form key=value")]:
        with pytest.raises(KgError, match=message) as err:
            parse_params(query, pairs)
        assert "\n" not in str(err.value)
    with pytest.raises(KgError, match="expected one of Method, Dataset, Concept"):
        parse_params(get_query("top-entities"), ["label=Author"])


def test_unknown_query_lists_the_known_ones():
    with pytest.raises(KgError) as err:
        get_query("papers-by-colour")
    assert "papers-by-colour" in str(err.value) and all(name in str(err.value) for name in NAMES)
    assert "\n" not in str(err.value)


def test_query_folder_override_and_broken_files(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CYPHER_DIR", str(tmp_path))
    (tmp_path / "schema.cypher").write_text("// name: schema\nCREATE INDEX x IF NOT EXISTS FOR (n:A) ON (n.b);\n")
    (tmp_path / "notes.cypher").write_text("MATCH (n) RETURN n;\n")  # no header: not a canned query
    (tmp_path / "one.cypher").write_text("// name: one\n// purpose: p\n// params: n (int, default 2: how many)\n"
                                         "// example: kg query one\nRETURN $n AS n;\n")
    assert [q.name for q in list_queries()] == ["one"]
    assert get_query("one").cypher == "RETURN $n AS n"
    with pytest.raises(KgError, match="'one' has no local twin"):
        run_local("one", nx.MultiDiGraph(), {})
    bad = tmp_path / "bad.cypher"
    bad.write_text("// name: bad\n// params: n (integer)\nRETURN $n;\n")
    with pytest.raises(KgError, match=r"bad.cypher.*unknown parameter type 'integer'"):
        list_queries()
    bad.write_text("// name: bad\n// params: n int\nRETURN $n;\n")
    with pytest.raises(KgError, match=r"bad.cypher: bad parameter 'n int'"):
        list_queries()
    bad.write_text("// name: bad\nRETURN 1; RETURN 2;\n")
    with pytest.raises(KgError, match="more than one statement"):
        parse_query_file(bad)
    bad.write_text("// name: one\nRETURN ';' AS semicolon;\n")
    with pytest.raises(KgError, match="query name 'one' already used"):
        list_queries()


# ----------------------------------------------------------------------------------------- local twins

def test_related_entities(graph):
    seed = busiest(graph, "Method", lambda n: len(papers_of(graph, n)))
    term = shout(graph.nodes[seed]["name"])
    seeds = named(graph, term, ENTITY)
    assert seed in seeds
    seed_papers = set().union(*(papers_of(graph, s) for s in seeds))
    expected = []
    for n in set(of_label(graph, "Method") + of_label(graph, "Dataset") + of_label(graph, "Concept")
                 + of_label(graph, "Metric")) - seeds:
        shared = len(papers_of(graph, n) & seed_papers)
        if shared:
            d = graph.nodes[n]
            expected.append({"label": d["label"], "name": d["name"], "key": d["key"], "shared_papers": shared,
                             "papers": len(papers_of(graph, n))})
    expected.sort(key=lambda r: (-r["shared_papers"], cypher_order(r["name"]), r["label"], cypher_order(r["key"])))
    assert len(expected) > 10
    assert run_local("related-entities", graph, {"term": term, "limit": ALL}) == expected
    assert run_local("related-entities", graph, {"term": term}) == expected[:25]
    assert run_local("related-entities", graph, {"term": "no such entity anywhere"}) == []


def expected_linked(graph, term, label, column):
    """Rows for papers-using-method / papers-on-dataset, straight from the in-edges of the matching nodes."""
    rows = [{"title": graph.nodes[p]["title"], "key": graph.nodes[p]["key"], "date": graph.nodes[p].get("date"),
             column: graph.nodes[t]["name"], "relation": rel, "confidence": e["confidence"], "mentions": e["count"]}
            for t in named(graph, term, {label}) for p, _, rel, e in graph.in_edges(t, keys=True, data=True)
            if graph.nodes[p]["label"] == "Paper"]  # not a variant's VARIANT_OF
    rows.sort(key=lambda r: (-r["confidence"], -r["mentions"], cypher_order(r["title"]), r["key"],
                             cypher_order(r[column]), r["relation"]))
    return rows


def _linked_papers(graph, label, column):
    target = busiest(graph, label, lambda n: len(papers_of(graph, n)))
    data = graph.nodes[target]
    alias = next((a for a in data["aliases"] if a.lower() != data["name"].lower()), data["name"])
    return alias, data["key"], expected_linked(graph, alias, label, column)


def test_papers_using_method(graph):
    alias, key, expected = _linked_papers(graph, "Method", "method")
    assert len(expected) >= 5 and {r["relation"] for r in expected} <= {"USES", "PROPOSES"}
    assert run_local("papers-using-method", graph, {"method": alias, "limit": ALL}) == expected
    assert run_local("papers-using-method", graph, {"method": key.upper(), "limit": 3}) == \
        expected_linked(graph, key, "Method", "method")[:3]
    dataset = of_label(graph, "Dataset")[0]
    assert run_local("papers-using-method", graph, {"method": graph.nodes[dataset]["name"] + " zz"}) == []


def test_papers_on_dataset(graph):
    alias, key, expected = _linked_papers(graph, "Dataset", "dataset")
    assert len(expected) >= 5 and {r["relation"] for r in expected} <= {"EVALUATED_ON", "PROPOSES"}
    assert run_local("papers-on-dataset", graph, {"dataset": shout(alias), "limit": ALL}) == expected
    assert run_local("papers-on-dataset", graph, {"dataset": "not a dataset"}) == []


def _titles(graph, papers):
    ordered = sorted(papers, key=lambda p: (cypher_order(graph.nodes[p]["title"]), graph.nodes[p]["key"]))
    return [graph.nodes[p]["title"] for p in ordered]


def test_author_methods(graph):
    def proposed(author):
        return {(m, p) for p in graph.successors(author) for _, m, rel in graph.out_edges(p, keys=True)
                if rel == "PROPOSES" and graph.nodes[m]["label"] == "Method"}

    author = busiest(graph, "Author", lambda n: len(proposed(n)))
    pairs = proposed(author)
    assert pairs, "some author in the data proposes a method"
    by_method = {m: {p for mm, p in pairs if mm == m} for m, _ in pairs}
    expected = [{"method": graph.nodes[m]["name"], "key": graph.nodes[m]["key"], "papers": len(ps),
                 "titles": _titles(graph, ps)} for m, ps in by_method.items()]
    expected.sort(key=lambda r: (-r["papers"], cypher_order(r["method"]), cypher_order(r["key"])))
    name = graph.nodes[author]["name"]
    assert run_local("author-methods", graph, {"author": shout(name)}) == expected
    assert run_local("author-methods", graph, {"author": graph.nodes[author]["key"]}) == expected
    assert run_local("author-methods", graph, {"author": name + " Jr. Nobody"}) == []


def test_coauthors(graph):
    def coauthors(author):
        return {(other, p) for p in graph.successors(author) for other in graph.predecessors(p)
                if graph.nodes[other]["label"] == "Author" and other != author}

    author = busiest(graph, "Author", lambda n: len({o for o, _ in coauthors(n)}))
    pairs = coauthors(author)
    counts = Counter(o for o, _ in pairs)
    assert len(counts) >= 3
    expected = [{"name": graph.nodes[o]["name"], "key": graph.nodes[o]["key"], "shared_papers": n,
                 "titles": _titles(graph, {p for oo, p in pairs if oo == o})} for o, n in counts.items()]
    expected.sort(key=lambda r: (-r["shared_papers"], cypher_order(r["name"]), cypher_order(r["key"])))
    assert run_local("coauthors", graph, {"author": shout(graph.nodes[author]["name"]), "limit": ALL}) == expected
    assert run_local("coauthors", graph, {"author": graph.nodes[author]["name"], "limit": 2}) == expected[:2]
    assert run_local("coauthors", graph, {"author": "Nobody Atall"}) == []


@pytest.mark.parametrize("label", ["Method", "Dataset", "Concept"])
def test_top_entities(graph, label):
    expected = [{"name": graph.nodes[n]["name"], "key": graph.nodes[n]["key"], "papers": len(papers_of(graph, n)),
                 "aliases": sorted(graph.nodes[n]["aliases"])} for n in of_label(graph, label)]
    expected.sort(key=lambda r: (-r["papers"], cypher_order(r["name"]), cypher_order(r["key"])))
    assert run_local("top-entities", graph, {"label": label.upper(), "limit": 7}) == expected[:7]
    assert run_local("top-entities", graph, {"label": label, "limit": ALL}) == expected
    assert expected[0]["papers"] > expected[-1]["papers"]


def _path_keys(graph, start, end):
    undirected = graph.to_undirected(as_view=True)
    try:
        paths = list(nx.all_shortest_paths(undirected, start, end))
    except nx.NetworkXNoPath:
        return set(), None, []
    return {tuple(graph.nodes[n]["key"] for n in p) for p in paths}, len(paths[0]) - 1, paths


def test_shortest_path_between_entities(graph):
    method = busiest(graph, "Method", lambda n: len(papers_of(graph, n)))
    dataset = busiest(graph, "Dataset", lambda n: len(papers_of(graph, n)))
    start, end = graph.nodes[method]["name"], graph.nodes[dataset]["name"]
    assert named(graph, start, set(ENTITY) | {"Paper", "Author"}, ("title", "name")) == {method}
    keys, hops, paths = _path_keys(graph, method, dataset)
    rows = run_local("shortest-path", graph, {"from": shout(start), "to": end, "limit": ALL})
    # One row per path and per choice among parallel relationships along it.
    multiplicity = sum(len(list(product(*[[*graph[a].get(b, {}), *graph[b].get(a, {})] for a, b in zip(p, p[1:])])))
                       for p in paths)
    assert len(rows) == multiplicity and {r["hops"] for r in rows} == {hops}
    assert {tuple(r["keys"]) for r in rows} == keys
    first = rows[0]
    assert first["nodes"][0] == start and first["nodes"][-1] == end and len(first["relationships"]) == hops
    for row in rows:
        for (a, b), rel in zip(zip(row["keys"], row["keys"][1:]), row["relationships"]):
            ids = [n for n in graph if graph.nodes[n]["key"] in (a, b)]
            assert any(graph.has_edge(x, y, key=rel) for x in ids for y in ids)
    order = [[[cypher_order(v) for v in r[column]] for column in ("nodes", "labels", "keys", "relationships")]
             for r in rows]
    assert order == sorted(order)


def test_shortest_path_between_author_and_paper_and_when_none(graph):
    assert f"*..{MAX_PATH_HOPS}]" in get_query("shortest-path").cypher
    author = busiest(graph, "Author", lambda n: len(papers_of(graph, n)))
    undirected = graph.to_undirected(as_view=True)
    hops_to = nx.single_source_shortest_path_length(undirected, author)
    far_paper = next(n for n in graph if graph.nodes[n]["label"] == "Paper" and n not in hops_to)
    near = [n for n, h in hops_to.items() if graph.nodes[n]["label"] == "Paper" and 3 <= h <= MAX_PATH_HOPS]
    assert near, "the author's component holds papers they did not write"
    target = max(near, key=lambda n: (hops_to[n], n))
    keys, hops, _ = _path_keys(graph, author, target)
    rows = run_local("shortest-path", graph, {"from": graph.nodes[author]["name"],
                                              "to": graph.nodes[target]["title"], "limit": ALL})
    assert {tuple(r["keys"]) for r in rows} == keys and rows[0]["hops"] == hops >= 3
    too_far = [n for n, h in hops_to.items() if h > MAX_PATH_HOPS and graph.nodes[n]["label"] == "Paper"]
    for unreachable in [far_paper] + too_far[:1]:
        assert run_local("shortest-path", graph, {"from": graph.nodes[author]["name"],
                                                  "to": graph.nodes[unreachable]["key"]}) == []
    assert run_local("shortest-path", graph, {"from": graph.nodes[author]["key"],
                                              "to": graph.nodes[author]["name"]}) == []
    assert run_local("shortest-path", graph, {"from": "nowhere at all", "to": graph.nodes[author]["name"]}) == []


def test_similar_papers(graph):
    def entities(paper):
        return {n for n in graph.successors(paper) if graph.nodes[n]["label"] in ENTITY}

    paper = busiest(graph, "Paper", lambda n: len(entities(n)))
    mine = entities(paper)
    expected = []
    for other in of_label(graph, "Paper"):
        shared = entities(other) & mine
        if other != paper and shared:
            ordered = sorted(shared, key=lambda e: (cypher_order(graph.nodes[e]["name"]), cypher_order(graph.nodes[e]["key"])))
            names = list(dict.fromkeys(graph.nodes[e]["name"] for e in ordered))
            expected.append({"title": graph.nodes[other]["title"], "key": graph.nodes[other]["key"],
                             "shared_entities": len(shared), "entities": names})
    expected.sort(key=lambda r: (-r["shared_entities"], cypher_order(r["title"]), r["key"]))
    assert len(expected) > 10
    title = graph.nodes[paper]["title"]
    assert run_local("similar-papers", graph, {"title": shout(title), "limit": ALL}) == expected
    assert run_local("similar-papers", graph, {"title": graph.nodes[paper]["key"]}) == expected[:10]
    assert run_local("similar-papers", graph, {"title": title + " (extended version)"}) == []
