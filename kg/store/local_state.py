"""What a load and a push read from the embedded store: per-paper caches and state, and rows newer than a
revision. Streams in id order wherever the caller merges with new rows."""
from __future__ import annotations

import json
from typing import Iterable, Iterator

from ..graph.rows import paper_attrs
from ..ingest.model import Paper
from .sql import chunks, dumps, marks, table_exists, unpack


class LoadReads:
    """The load's reads (mixed into LocalStore)."""

    def papers_by_id(self, ids: Iterable[str]) -> dict[str, Paper]:
        if not self.db_file.is_file():
            return {}
        out = {}
        for part in chunks(sorted(set(ids))):
            for pid, record in self.conn.execute(f"SELECT id, record FROM papers WHERE id IN ({marks(part)})", part):
                out[pid] = Paper.from_dict(unpack(record))
        return out

    def iter_papers(self) -> Iterator[Paper]:
        """Every stored paper, in id order (a load's full pass over the corpus)."""
        if not self.db_file.is_file():
            return
        for (record,) in self.conn.execute("SELECT record FROM papers ORDER BY id"):
            yield Paper.from_dict(unpack(record))

    def cached_candidates(self) -> dict[str, tuple[str, str]]:
        """paper id → (text hash, extractor version) of its cached candidates."""
        if not self.db_file.is_file():
            return {}
        return {p: (h, e) for p, h, e in self.conn.execute("SELECT paper, text_hash, extractor FROM candidates")}

    def papers_without_candidates(self) -> list[str]:
        """Stored papers the extraction cache lacks (a converted store, or an interrupted old load)."""
        if not self.db_file.is_file():
            return []
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM papers WHERE NOT EXISTS (SELECT 1 FROM candidates c WHERE c.paper = papers.id)")]

    def papers_without_resolution(self) -> set[str]:
        if not self.db_file.is_file():
            return set()
        return {r[0] for r in self.conn.execute(
            "SELECT id FROM papers WHERE NOT EXISTS (SELECT 1 FROM resolved r WHERE r.paper = papers.id)")}

    def candidates_of(self, ids) -> dict[str, bytes]:
        return self._by_ids("SELECT paper, data FROM candidates WHERE paper IN ({})", ids)

    def chosen_of(self, ids) -> dict[str, bytes]:
        return self._by_ids("SELECT paper, chosen FROM resolved WHERE paper IN ({})", ids)

    def links_hashes_of(self, ids) -> dict[str, str]:
        return self._by_ids("SELECT id, links_hash FROM papers WHERE id IN ({})", ids)

    def _by_ids(self, sql: str, ids) -> dict:
        ids = sorted(set(ids))
        if not ids or not self.db_file.is_file():
            return {}
        out = {}
        for part in chunks(ids):
            out.update(self.conn.execute(sql.format(marks(part)), part))
        return out

    def iter_resolved_json(self, column: str, skip: set[str] = frozenset()) -> Iterator[tuple[str, object]]:
        assert column in ("contrib", "votes", "deps")
        if not self.db_file.is_file():
            return
        for pid, blob in self.conn.execute(f"SELECT paper, {column} FROM resolved ORDER BY paper"):
            if pid not in skip:
                yield pid, unpack(blob)

    def iter_dependencies(self) -> Iterator[tuple[str, list, str]]:
        if not self.db_file.is_file():
            return
        for pid, deps, digest in self.conn.execute("SELECT paper, deps, deps_hash FROM resolved ORDER BY paper"):
            yield pid, [tuple(d) for d in unpack(deps)], digest

    def iter_votes(self, skip: set[str] = frozenset()) -> Iterator[tuple[str, dict, bool, str, str]]:
        """(paper, votes, titled, chosen hash, hits signature) in id order."""
        if not self.db_file.is_file():
            return
        for pid, votes, titled, chosen_hash, sig in self.conn.execute(
                "SELECT paper, votes, titled, chosen_hash, hits_sig FROM resolved ORDER BY paper"):
            if pid not in skip:
                yield pid, unpack(votes), bool(titled), chosen_hash, sig


class PushReads:
    """The push's reads (mixed into LocalStore)."""

    def changed_since(self, rev: int) -> dict[str, int]:
        """How many papers, nodes, links and tombstones changed after revision `rev`."""
        tables = ("papers", "nodes", "links", "tombstones") + (("variants",) if table_exists(self.conn, "variants") else ())
        return {table: self.conn.execute(f"SELECT count(*) FROM {table} WHERE rev > ?", (rev,)).fetchone()[0]
                for table in tables}

    def iter_changed_papers(self, rev: int) -> Iterator[dict]:
        for (record,) in self.conn.execute("SELECT record FROM papers WHERE rev > ? ORDER BY id", (rev,)):
            yield paper_attrs(Paper.from_dict(unpack(record)))

    def iter_changed_nodes(self, rev: int) -> Iterator[dict]:
        for (attrs,) in self.conn.execute("SELECT attrs FROM nodes WHERE rev > ? ORDER BY id", (rev,)):
            yield json.loads(attrs)

    def iter_changed_links(self, rev: int) -> Iterator[tuple[str, str, str, dict]]:
        """(paper key, node id, type, attrs) of links written after `rev`."""
        for paper, other, rel, attrs in self.conn.execute(
                "SELECT paper, node, type, attrs FROM links WHERE rev > ? ORDER BY type, paper", (rev,)):
            yield paper, other, rel, unpack(attrs)

    def iter_changed_variants(self, rev: int) -> Iterator[tuple[str, str]]:
        """Distinct (variant id, parent id) pairs some paper named after `rev` (MERGE makes a resend harmless)."""
        if table_exists(self.conn, "variants"):
            yield from self.conn.execute(
                "SELECT DISTINCT variant, parent FROM variants WHERE rev > ? ORDER BY variant, parent", (rev,))

    def iter_tombstones(self, rev: int) -> Iterator[tuple[str, str]]:
        yield from self.conn.execute("SELECT kind, id FROM tombstones WHERE rev > ? ORDER BY kind, id", (rev,))

    def set_meta(self, key: str, value) -> None:
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, dumps(value)))
