"""Indexed reads for queries on the embedded store: names, words, links of some papers or nodes, listings.
Nothing here reads the whole graph except `load_graph` (exports and tests)."""
from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Iterable, Iterator, Sequence

from ..graph.build import add_paper_links, add_variant_edges
from ..graph.rows import paper_attrs
from ..graph.schema import AUTHORED, PAPER, VARIANT_OF, node_id, split_node_id
from ..ingest.model import Paper
from .sql import CHUNK, chunks, marks, table_exists, unpack


class QueryReads:
    """The query reads (mixed into LocalStore)."""

    def top_nodes(self, label: str, n: int) -> list[tuple[str, int]]:
        """(name, papers) of the `n` most connected nodes of a label, ties at the cut included."""
        row = self.conn.execute("SELECT papers FROM nodes WHERE label = ? ORDER BY papers DESC LIMIT 1 OFFSET ?",
                                (label, n - 1)).fetchone()
        floor = row[0] if row else 0
        return list(self.conn.execute("SELECT name, papers FROM nodes WHERE label = ? AND papers >= ?", (label, floor)))

    def keys_named(self, label: str, names: Sequence[str]) -> list[str]:
        keys = []
        for part in chunks(sorted(set(names))):
            keys += [r[0] for r in self.conn.execute(
                f"SELECT key FROM nodes WHERE label = ? AND name IN ({marks(part)})", (label, *part))]
        return keys

    def nodes_with_terms(self, terms: Sequence[str], limit: int) -> list[str]:
        """Ids of nodes indexed under every one of `terms` (rarest term first), at most `limit`."""
        if not terms:
            return []
        sizes = sorted((self.conn.execute("SELECT count(*) FROM terms WHERE term = ?", (t,)).fetchone()[0], t)
                       for t in set(terms))
        if sizes[0][0] == 0:
            return []
        first, rest = sizes[0][1], [t for _, t in sizes[1:]]
        sql = "SELECT node FROM terms WHERE term = ?" + "".join(
            " AND node IN (SELECT node FROM terms WHERE term = ?)" for _ in rest) + " ORDER BY node LIMIT ?"
        return [r[0] for r in self.conn.execute(sql, (first, *rest, limit))]

    def terms_near(self, prefix: str) -> list[str]:
        """Index words starting with `prefix` (candidates for a misspelt word)."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT term FROM terms WHERE term >= ? AND term < ? LIMIT 20000", (prefix, prefix + "\uffff"))]

    def attrs_of(self, ids: Iterable[str]) -> dict[str, dict]:
        """Graph attributes of nodes and papers by id."""
        return self._by_kind(
            ids, "id, record", lambda pid, record: paper_attrs(Paper.from_dict(unpack(record))),
            "id, attrs", lambda nid, attrs: json.loads(attrs))

    def match_names(self, ids) -> dict[str, tuple[str, list[str]]]:
        """id → (label, [title or name, aliases…]) for name matching, without abstracts or evidence."""
        return self._by_kind(
            ids, "id, title", lambda pid, title: (PAPER, [title]),
            "id, label, name, json_extract(attrs, '$.aliases')",
            lambda nid, label, name, aliases: (label, [name, *(json.loads(aliases) if aliases else [])]))

    def names_of(self, ids: Iterable[str]) -> dict[str, tuple[str, str, int]]:
        """id → (label, display name, papers) without reading abstracts or evidence."""
        return self._by_kind(ids, "id, title", lambda pid, title: (PAPER, title, 0),
                             "id, label, name, papers", lambda nid, label, name, n: (label, name, n))

    def _by_kind(self, ids, paper_cols: str, from_paper, node_cols: str, from_node) -> dict:
        """Rows of papers (ids "paper:…") and of other nodes, read by id in chunks and shaped by the callers."""
        ids = sorted(set(ids))
        out = {}
        papers = [split_node_id(i)[1] for i in ids if i.startswith("paper:")]
        for part in chunks(papers):
            for row in self.conn.execute(f"SELECT {paper_cols} FROM papers WHERE id IN ({marks(part)})", part):
                out[node_id(PAPER, row[0])] = from_paper(*row)
        others = [i for i in ids if not i.startswith("paper:")]
        for part in chunks(others):
            for row in self.conn.execute(f"SELECT {node_cols} FROM nodes WHERE id IN ({marks(part)})", part):
                out[row[0]] = from_node(*row)
        return out

    def links_of_papers(self, paper_ids: Iterable[str], with_attrs: bool = False) -> list[tuple]:
        """(paper node id, other node id, type[, attrs]) of the given papers (node ids "paper:…")."""
        return self._links_where("paper", sorted({split_node_id(p)[1] for p in paper_ids}), with_attrs)

    def papers_of_nodes(self, ids: Iterable[str], with_attrs: bool = False) -> list[tuple]:
        """(paper node id, node id, type[, attrs]) of every link of the given author/entity nodes."""
        return self._links_where("node", sorted(set(ids)), with_attrs)

    def strongest_links(self, node: str, limit: int) -> list[tuple[str, str]]:
        """(paper node id, type) of a node's `limit` strongest links: proposes, then authored, then the rest;
        paper id breaks ties (kg.queries.related.link_strength, in SQL)."""
        return [(node_id(PAPER, paper), rel) for paper, rel in self.conn.execute(
            "SELECT paper, type FROM links WHERE node = ? ORDER BY CASE type WHEN 'PROPOSES' THEN 3 "
            "WHEN 'AUTHORED' THEN 2 ELSE 1 END DESC, paper LIMIT ?", (node, limit))]

    def strongest_links_of(self, ids: Iterable[str], limit: int) -> list[tuple[str, str, str]]:
        """(paper node id, node id, type) of each node's `limit` strongest links (`strongest_links` order)."""
        return [(paper, nid, rel) for nid in sorted(set(ids)) for paper, rel in self.strongest_links(nid, limit)]

    def link_attrs(self, rows: Iterable[tuple[str, str, str]]) -> list[tuple]:
        """(paper node id, node id, type, attrs) of the given links, read by primary key; VARIANT_OF pairs (not
        paper links) come back with their type as their only property."""
        out = []
        for paper, nid, rel in rows:
            if rel == VARIANT_OF:
                out.append((paper, nid, rel, {"type": rel}))
                continue
            found = self.conn.execute("SELECT attrs FROM links WHERE paper = ? AND node = ? AND type = ?",
                                      (split_node_id(paper)[1], nid, rel)).fetchone()
            if found:
                out.append((paper, nid, rel, unpack(found[0])))
        return out

    def _links_where(self, column: str, values: list[str], with_attrs: bool) -> list[tuple]:
        assert column in ("paper", "node")
        cols = "paper, node, type" + (", attrs" if with_attrs else "")
        rows = []
        for part in chunks(values):
            for row in self.conn.execute(
                    f"SELECT {cols} FROM links WHERE {column} IN ({marks(part)})", part):
                rows.append((node_id(PAPER, row[0]), row[1], row[2], *(unpack(a) for a in row[3:])))
        return rows

    def iter_paper_records(self, limit: int | None = None
                           ) -> Iterator[tuple[dict, list[tuple[str, str, str, list]], str | None]]:
        """(paper attrs, [(label, name, type, aliases)], topic name) in `kg papers` order, streamed."""
        sql = "SELECT id, record FROM papers ORDER BY title_sort, id" + (" LIMIT ?" if limit else "")
        cursor = self.conn.execute(sql, (limit,) if limit else ())
        while True:
            batch = cursor.fetchmany(CHUNK)
            if not batch:
                return
            keys = [pid for pid, _ in batch]
            links: dict[str, list] = {k: [] for k in keys}
            marks = ",".join("?" * len(keys))
            for paper, label, name, rel, aliases in self.conn.execute(
                    f"SELECT l.paper, n.label, n.name, l.type, l.aliases FROM links l "
                    f"JOIN nodes n ON n.id = l.node WHERE l.paper IN ({marks}) AND l.type != ?", (*keys, AUTHORED)):
                links[paper].append((label, name, rel, json.loads(aliases) if aliases else []))
            topics = self.topic_names_of(node_id(PAPER, k) for k in keys)
            for pid, record in batch:
                yield paper_attrs(Paper.from_dict(unpack(record))), links[pid], topics.get(node_id(PAPER, pid))

    def graph_of(self, node_ids: Iterable[str], links: Iterable[tuple]):
        """A networkx graph of the given nodes and (paper, node, type, attrs) links, attributes read by id."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        links = list(links)
        ids = set(node_ids) | {l[0] for l in links} | {l[1] for l in links}
        for nid, attrs in self.attrs_of(ids).items():
            graph.add_node(nid, **attrs)
        for paper, other, rel, attrs in links:
            if paper in graph and other in graph:
                add_paper_links(graph, paper, [(other, rel, attrs)])
        return graph

    def variant_pairs(self, ids: Iterable[str]) -> list[tuple[str, str]]:
        """Distinct (variant id, parent id) pairs with either end among `ids`, sorted (both indexes)."""
        if not table_exists(self.conn, "variants"):
            return []
        ids, pairs = sorted(set(ids)), set()
        for column in ("variant", "parent"):
            for part in chunks(ids):
                pairs.update(self.conn.execute(
                    f"SELECT DISTINCT variant, parent FROM variants WHERE {column} IN ({marks(part)})", part))
        return sorted(pairs)

    def iter_all_variants(self) -> Iterator[tuple[str, str]]:
        """Every distinct (variant id, parent id) pair in order, streamed (exports, whole-graph loads)."""
        if table_exists(self.conn, "variants"):
            yield from self.conn.execute(
                "SELECT DISTINCT variant, parent FROM variants INDEXED BY variants_by_variant ORDER BY variant, parent")

    _IS_YEAR = "GLOB '[0-9][0-9][0-9][0-9]'"

    def papers_per_year(self) -> tuple[dict[int, int], int]:
        """({year: papers}, papers without a year), inside years_table()."""
        years = dict(self.conn.execute("SELECT year, count(*) FROM temp.kg_years GROUP BY year"))
        total = self.conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        return years, total - sum(years.values())

    @contextmanager
    def years_table(self):
        """A temporary table `kg_years` (paper id, year, date) of the dated papers, for the reads below; the
        papers' dates come from the papers_by_date index, not the records. A year is the first four characters of
        the date when they are digits; other papers are undated."""
        self.conn.execute("DROP TABLE IF EXISTS temp.kg_years")
        self.conn.execute("CREATE TEMP TABLE kg_years (id TEXT PRIMARY KEY, year INTEGER NOT NULL, date TEXT NOT NULL) "
                          "WITHOUT ROWID")
        try:
            self.conn.execute(f"INSERT INTO temp.kg_years SELECT id, CAST(substr(date, 1, 4) AS INTEGER), date "
                              f"FROM papers INDEXED BY papers_by_date WHERE substr(date, 1, 4) {self._IS_YEAR}")
            yield
        finally:
            self.conn.execute("DROP TABLE IF EXISTS temp.kg_years")

    def entity_papers_split(self, cut: int) -> dict[str, tuple[int, int]]:
        """entity node id → (dated papers from year `cut` on, dated papers before it), inside years_table(): the
        dated papers in id order, each one's links by primary-key range. A paper links an entity at most once
        among the extracted types (one relation per paper and entity), so rows count papers."""
        return {node: (recent, before) for node, recent, before in self.conn.execute(
            "SELECT l.node, sum(y.year >= ?), sum(y.year < ?) FROM temp.kg_years y JOIN links l ON l.paper = y.id "
            "WHERE l.type != ? GROUP BY l.node", (cut, cut, AUTHORED))}

    def dated_papers_of_node(self, nid: str) -> list[str]:
        """Dates of the dated papers linked to one node, inside years_table()."""
        return [r[0] for r in self.conn.execute(
            "SELECT y.date FROM (SELECT DISTINCT paper FROM links WHERE node = ?) l "
            "JOIN temp.kg_years y ON y.id = l.paper", (nid,))]

    def dates_of_node(self, nid: str) -> list[str | None]:
        """The date (or None) of every paper linked to one node, through the links_by_node index."""
        return [r[0] for r in self.conn.execute(
            "SELECT p.date FROM (SELECT DISTINCT paper FROM links WHERE node = ?) l "
            "JOIN papers p ON p.id = l.paper", (nid,))]

    @contextmanager
    def snapshot(self):
        """One read transaction: every read inside sees the same state, even while a load commits (WAL)."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("ROLLBACK")

    def iter_all_papers(self) -> Iterator[dict]:
        """Every paper's graph attributes in id order, streamed (exports)."""
        cursor = self.conn.execute("SELECT record FROM papers ORDER BY id")
        while batch := cursor.fetchmany(CHUNK):
            for (record,) in batch:
                yield paper_attrs(Paper.from_dict(unpack(record)))

    def iter_all_nodes(self) -> Iterator[dict]:
        """Every author and entity node's attributes in id order, streamed (exports)."""
        cursor = self.conn.execute("SELECT attrs FROM nodes ORDER BY id")
        while batch := cursor.fetchmany(CHUNK):
            for (attrs,) in batch:
                yield json.loads(attrs)

    def iter_all_links(self) -> Iterator[tuple[str, str, str, dict]]:
        """(paper key, node id, type, attrs) of every link in primary-key order (no sort), streamed (exports)."""
        cursor = self.conn.execute("SELECT paper, node, type, attrs FROM links ORDER BY paper, node, type")
        while batch := cursor.fetchmany(CHUNK):
            for paper, other, rel, attrs in batch:
                yield paper, other, rel, unpack(attrs)

    def load_graph(self):
        """The whole graph in networkx: for exports, pushes of small stores and tests, never for reads."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        for pid, record in self.conn.execute("SELECT id, record FROM papers ORDER BY id"):
            graph.add_node(node_id(PAPER, pid), **paper_attrs(Paper.from_dict(unpack(record))))
        for nid, attrs in self.conn.execute("SELECT id, attrs FROM nodes ORDER BY id"):
            graph.add_node(nid, **json.loads(attrs))
        for paper, other, rel, attrs in self.conn.execute("SELECT paper, node, type, attrs FROM links ORDER BY paper"):
            add_paper_links(graph, node_id(PAPER, paper), [(other, rel, unpack(attrs))])
        add_variant_edges(graph, self.iter_all_variants())
        return graph
