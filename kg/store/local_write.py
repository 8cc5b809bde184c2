"""Writing the embedded store: one load's changes in one transaction, nodes recomputed from their links."""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Iterable

from ..graph.build import empty_counts
from ..graph.rows import entity_attrs, index_terms, link_variants, paper_attrs
from ..graph.schema import AUTHOR, PAPER, VARIANT_OF, node_id, split_node_id
from ..ingest.model import Paper
from ..ingest.text import author_key
from .schema import STATEMENTS
from .sql import dumps, pack, unpack


@dataclass
class StoreChange:
    """Everything one load writes, computed before the write transaction opens (so it stays short)."""

    papers: list[Paper] = field(default_factory=list)  # new or changed records
    text_hashes: dict[str, str] = field(default_factory=dict)
    candidates: list[tuple[str, str, str, bytes]] = field(default_factory=list)  # paper, text hash, extractor, blob
    resolved: list[list] = field(default_factory=list)  # rows of the `resolved` table (packed), re-chosen papers
    hits_sigs: dict[str, str] = field(default_factory=dict)  # paper → hits signature, re-hit papers
    links: Iterable[tuple[str, str, list[tuple[str, str, dict]]]] = ()  # (paper, links hash, links), streamed
    entity_names: dict[str, str] = field(default_factory=dict)  # entity node id → display name
    nodes: list[tuple[str, dict, str]] = field(default_factory=list)  # explicit nodes (store conversion)
    meta: dict = field(default_factory=dict)
    nodes_written: int = 0
    papers_relinked: int = 0
    nodes_dropped: int = 0


class StoreWrites:
    """The write half of LocalStore (mixed in): `apply` is the only way a load changes the store."""

    def apply(self, change: StoreChange) -> int:
        """Write a load's changes in one transaction; returns the new revision."""
        self.open_for_writing()
        conn = self.conn
        with self.transaction():
            for statement in STATEMENTS:  # all IF NOT EXISTS: tables added since the store was made
                conn.execute(statement)
            rev = (self.meta("revision", 0) or 0) + 1
            conn.executemany(
                "INSERT INTO papers (id, title, date, record, title_sort, text_hash, rev) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET title = excluded.title, date = excluded.date, record = excluded.record, "
                "title_sort = excluded.title_sort, "
                "text_hash = excluded.text_hash, rev = excluded.rev",
                ((p.id, p.title, p.date, pack(p.to_dict()), p.title.casefold(), change.text_hashes[p.id], rev)
                 for p in change.papers))
            self._write_terms(conn, ((node_id(PAPER, p.id), paper_attrs(p)) for p in change.papers))
            conn.executemany(
                "INSERT OR REPLACE INTO candidates (paper, text_hash, extractor, data) VALUES (?, ?, ?, ?)",
                change.candidates)
            conn.executemany(
                "INSERT INTO nodes (id, label, key, name, attrs, papers, hash, rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET label = excluded.label, key = excluded.key, name = excluded.name, "
                "attrs = excluded.attrs, papers = excluded.papers, hash = excluded.hash, rev = excluded.rev",
                ((nid, a["label"], a["key"], a.get("name") or a["key"], dumps(a), a.get("papers", 0), h, rev)
                 for nid, a, h in change.nodes))
            self._write_terms(conn, ((nid, a) for nid, a, _ in change.nodes))
            conn.executemany(
                "INSERT OR REPLACE INTO resolved (paper, contrib, titled, deps, deps_hash, chosen, chosen_hash, votes, "
                "hits_sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", change.resolved)
            conn.executemany("UPDATE resolved SET hits_sig = ? WHERE paper = ?",
                             ((sig, pid) for pid, sig in change.hits_sigs.items()))
            affected = set(change.entity_names)
            for paper, digest, links in change.links:
                affected |= self._write_links(conn, paper, digest, links, rev)
                change.papers_relinked += 1
            change.nodes_written, change.nodes_dropped = self._refresh_nodes(conn, affected, change.entity_names, rev)
            meta = {**change.meta, "revision": rev, "counts": self._count(conn)}
            conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                             ((k, dumps(v)) for k, v in meta.items()))
        return rev

    @staticmethod
    def _write_terms(conn: sqlite3.Connection, items: Iterable[tuple[str, dict]]) -> None:
        for nid, attrs in items:
            conn.execute("DELETE FROM terms WHERE node = ?", (nid,))
            conn.executemany("INSERT OR IGNORE INTO terms (term, node) VALUES (?, ?)",
                             ((t, nid) for t in index_terms(attrs)))

    @staticmethod
    def _write_links(conn, paper: str, digest: str, links: list[tuple[str, str, dict]], rev: int) -> set[str]:
        """Replace one paper's links, keeping the revision of links that did not change (a push skips
        them) and leaving a tombstone for each link that went away; returns the nodes touched."""
        old = {(n, t): a for n, t, a in conn.execute("SELECT node, type, attrs FROM links WHERE paper = ?", (paper,))}
        new = {(n, t): (pack(a), a) for n, t, a in links}
        gone = [k for k in old if k not in new]
        conn.executemany("DELETE FROM links WHERE paper = ? AND node = ? AND type = ?", ((paper, n, t) for n, t in gone))
        conn.executemany("INSERT OR REPLACE INTO tombstones (kind, id, rev) VALUES ('link', ?, ?)",
                         ((f"{paper}|{t}|{n}", rev) for n, t in gone))
        conn.executemany(
            "INSERT OR REPLACE INTO links (paper, node, type, attrs, aliases, kb, rev) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((paper, n, t, text, dumps(a.get("aliases") or []), int(_from_kb(a)), rev)
             for (n, t), (text, a) in new.items() if old.get((n, t)) != text))
        conn.executemany("DELETE FROM tombstones WHERE kind = 'link' AND id = ?",
                         ((f"{paper}|{t}|{n}",) for (n, t) in new if (n, t) not in old))
        conn.execute("UPDATE papers SET links_hash = ? WHERE id = ?", (digest, paper))
        touched = _write_variants(conn, paper, links, rev)
        return {n for n, _ in old} | {n for n, _ in new} | touched

    def _refresh_nodes(self, conn, affected: set[str], entity_names: dict[str, str], rev: int) -> tuple[int, int]:
        """Recompute author and entity nodes from their links: paper count, aliases, KB flag, name.
        A node left without links is removed (with a tombstone for Neo4j)."""
        written = dropped = 0
        for nid in sorted(affected):
            rows = conn.execute("SELECT aliases, kb FROM links WHERE node = ?", (nid,)).fetchall()
            stored = conn.execute("SELECT name, hash FROM nodes WHERE id = ?", (nid,)).fetchone()
            parent_name, parents = _variant_facts(conn, nid)
            if not rows and parent_name is None:
                if stored:
                    conn.execute("DELETE FROM nodes WHERE id = ?", (nid,))
                    conn.execute("DELETE FROM terms WHERE node = ?", (nid,))
                    conn.execute("INSERT OR REPLACE INTO tombstones (kind, id, rev) VALUES ('node', ?, ?)", (nid, rev))
                    dropped += 1
                continue
            label, key = split_node_id(nid)
            if label == AUTHOR:
                attrs = {"label": label, "key": key, "name": self._author_spelling(conn, nid, key), "papers": len(rows)}
            else:
                aliases = {a for text, _ in rows for a in json.loads(text or "[]")}
                if rows:
                    name = entity_names.get(nid) or (stored[0] if stored else key)
                else:  # a parent no paper links: named as its variants' papers name it
                    name = parent_name
                attrs = entity_attrs(label, key, name, any(kb for _, kb in rows), aliases, len(rows), parents)
            digest = dumps(attrs)
            digest = hashlib.sha1(digest.encode("utf-8")).hexdigest()[:20]
            if stored and stored[1] == digest:
                continue
            conn.execute(
                "INSERT INTO nodes (id, label, key, name, attrs, papers, hash, rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, attrs = excluded.attrs, "
                "papers = excluded.papers, hash = excluded.hash, rev = excluded.rev",
                (nid, label, key, attrs["name"], dumps(attrs), attrs["papers"], digest, rev))
            conn.execute("DELETE FROM tombstones WHERE kind = 'node' AND id = ?", (nid,))
            self._write_terms(conn, [(nid, attrs)])
            written += 1
        return written, dropped

    @staticmethod
    def _author_spelling(conn, nid: str, key: str) -> str:
        """The name as written by the first paper (in id order) that lists this author."""
        (first,) = conn.execute("SELECT min(paper) FROM links WHERE node = ?", (nid,)).fetchone()
        (record,) = conn.execute("SELECT record FROM papers WHERE id = ?", (first,)).fetchone()
        return next((name for name in unpack(record)["authors"] if author_key(name) == key), key)

    @staticmethod
    def _count(conn: sqlite3.Connection) -> dict:
        counts = empty_counts()
        counts["nodes"][PAPER] = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        for label, n in conn.execute("SELECT label, count(*) FROM nodes GROUP BY label"):
            counts["nodes"][label] = n
        for rel, n in conn.execute("SELECT type, count(*) FROM links GROUP BY type"):
            counts["relationships"][rel] = n
        counts["relationships"][VARIANT_OF] = conn.execute(
            "SELECT count(*) FROM (SELECT DISTINCT variant, parent FROM variants)").fetchone()[0]
        return counts


def _from_kb(attrs: dict) -> bool:
    return any(str(e.get("rule", "")).startswith("kb:") for e in attrs.get("evidence") or [])


def variant_tombstone(variant: str, parent: str) -> str:
    """The tombstone id of a VARIANT_OF pair (node ids may hold any character, so JSON, not a separator)."""
    return dumps([variant, parent])


def _write_variants(conn, paper: str, links: list[tuple[str, str, dict]], rev: int) -> set[str]:
    """Rewrite the variant pairs one paper names, with its links. A pair no paper names any more leaves a
    tombstone (kind "variant") so a push deletes its relationship; returns the nodes touched."""
    old = {(v, p): name for v, p, name in conn.execute(
        "SELECT variant, parent, parent_name FROM variants WHERE paper = ?", (paper,))}
    new = link_variants(links)
    gone = [pair for pair in old if pair not in new]
    conn.executemany("DELETE FROM variants WHERE paper = ? AND variant = ? AND parent = ?",
                     ((paper, v, p) for v, p in gone))
    for v, p in gone:
        if conn.execute("SELECT 1 FROM variants WHERE variant = ? AND parent = ? LIMIT 1", (v, p)).fetchone() is None:
            conn.execute("INSERT OR REPLACE INTO tombstones (kind, id, rev) VALUES ('variant', ?, ?)",
                         (variant_tombstone(v, p), rev))
    conn.executemany("INSERT OR REPLACE INTO variants (paper, variant, parent, parent_name, rev) VALUES (?, ?, ?, ?, ?)",
                     ((paper, v, p, name, rev) for (v, p), name in new.items() if old.get((v, p)) != name))
    conn.executemany("DELETE FROM tombstones WHERE kind = 'variant' AND id = ?",
                     ((variant_tombstone(v, p),) for (v, p) in new if (v, p) not in old))
    return {n for pair in (*old, *new) for n in pair}


def _variant_facts(conn, nid: str) -> tuple[str | None, list[str]]:
    """(display name when some paper names a variant of this node, else None; the parents it is a variant of)."""
    row = conn.execute("SELECT parent_name FROM variants WHERE parent = ? ORDER BY paper, variant LIMIT 1",
                       (nid,)).fetchone()
    parents = [p for (p,) in conn.execute("SELECT DISTINCT parent FROM variants WHERE variant = ? ORDER BY parent",
                                          (nid,))]
    return (row[0] if row else None), parents
