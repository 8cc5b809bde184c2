"""The embedded default store: one SQLite database (standard library) in the store folder.

WAL journal, foreign keys and a schema-version table. A load writes in one transaction, so a crash, a
`kill -9`, a full disk or Ctrl-C at any point leaves the previous state complete; loads on one store take a
lock file in turn, and reads go on while a load runs. Reads are indexed queries: nothing here loads the
whole graph except `load_graph`, which exists for exports and tests.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..errors import BackendError
from ..graph.build import add_paper_links, empty_counts
from ..graph.rows import index_terms, paper_attrs, words
from ..graph.schema import AUTHOR, AUTHORED, LABELS, PAPER, REL_TYPES, node_id, split_node_id
from ..ingest.text import author_key
from ..ingest.model import Paper
from .schema import SCHEMA_VERSION, STATEMENTS

DEFAULT_STORE = ".kg"
DB_NAME = "kg.sqlite"
LOCK_NAME = "load.lock"
BUSY_TIMEOUT_S = 30.0
CHUNK = 500  # ids per `IN (...)` query, well under SQLite's variable limit


def default_store_path(env=os.environ) -> Path:
    return Path(env.get("KG_STORE") or DEFAULT_STORE)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class StoreChange:
    """Everything one load writes, computed before the write transaction opens (so it stays short)."""

    papers: list[Paper] = field(default_factory=list)  # new or changed records
    text_hashes: dict[str, str] = field(default_factory=dict)
    candidates: list[tuple[str, str, str, bytes]] = field(default_factory=list)  # paper, text hash, extractor, blob
    resolved: list[tuple] = field(default_factory=list)  # rows of the `resolved` table, re-chosen papers
    hits_sigs: dict[str, str] = field(default_factory=dict)  # paper → hits signature, re-hit papers
    links: Iterable[tuple[str, str, list[tuple[str, str, dict]]]] = ()  # (paper, links hash, links), streamed
    entity_names: dict[str, str] = field(default_factory=dict)  # entity node id → display name
    nodes: list[tuple[str, dict, str]] = field(default_factory=list)  # explicit nodes (store conversion)
    meta: dict = field(default_factory=dict)
    nodes_written: int = 0
    papers_relinked: int = 0
    nodes_dropped: int = 0


class LocalStore:
    """A folder holding `kg.sqlite` (and `load.lock`, the lock loads take in turn)."""

    def __init__(self, path: str | Path, db_name: str = DB_NAME):
        self.path = Path(path)
        self.db_name = db_name
        if self.path.exists() and not self.path.is_dir():
            raise BackendError(f"store {self.path}: is a file, not a folder (set --store or KG_STORE to a folder)")
        self._conn: sqlite3.Connection | None = None

    @property
    def db_file(self) -> Path:
        return self.path / self.db_name

    def exists(self) -> bool:
        return self.db_file.is_file() or _legacy_store(self.path)

    # -- connection ------------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            if not self.exists():
                raise BackendError(f"store {self.path}: no graph yet; run `kg load PATH` first")
            self._convert_legacy()
            self._conn = self._connect(create=False)
        return self._conn

    def _convert_legacy(self) -> None:
        if _legacy_store(self.path) and not self.db_file.is_file():
            from .legacy import convert_json_store

            convert_json_store(self.path, self.db_file)

    def _connect(self, create: bool) -> sqlite3.Connection:
        try:
            if create:
                self.path.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.db_file, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA cache_size=-200000")
            conn.execute("PRAGMA temp_store=MEMORY")
        except sqlite3.DatabaseError as exc:
            raise BackendError(f"{self.db_file}: not a kg store database ({exc})") from None
        except OSError as exc:
            raise BackendError(f"store {self.path}: cannot open ({exc.strerror or exc})") from None
        self._check_version(conn, create)
        return conn

    def _check_version(self, conn: sqlite3.Connection, create: bool) -> None:
        try:
            has_table = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'").fetchone()
            version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] if has_table else None
        except sqlite3.DatabaseError as exc:
            raise BackendError(f"{self.db_file}: not a kg store database ({exc})") from None
        if version is not None and version > SCHEMA_VERSION:
            raise BackendError(f"{self.db_file}: written by a newer kg (store schema {version}, this kg reads up to "
                               f"{SCHEMA_VERSION}); upgrade kg or use another --store")
        if version is None:
            if not create:
                raise BackendError(f"{self.db_file}: not a kg store database (no schema version)")
            with self.transaction(conn):
                for statement in STATEMENTS:
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
                conn.execute("INSERT INTO meta (key, value) VALUES ('store_id', ?)", (_dumps(uuid.uuid4().hex),))

    def open_for_writing(self) -> None:
        if self._conn is None:
            self._convert_legacy()
            self._conn = self._connect(create=True)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @contextmanager
    def transaction(self, conn: sqlite3.Connection | None = None):
        """BEGIN IMMEDIATE … COMMIT; any exception (Ctrl-C included) rolls back."""
        conn = conn or self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise BackendError(f"{self.db_file}: cannot start a write ({exc})") from None
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError | sqlite3.IntegrityError):
                raise BackendError(f"{self.db_file}: write failed, nothing was changed ({exc})") from None
            if isinstance(exc, OSError):
                raise BackendError(f"{self.db_file}: write failed, nothing was changed "
                                   f"({exc.strerror or exc})") from None
            raise

    @contextmanager
    def load_lock(self, on_wait: Callable[[str], None] | None = None, wait: bool = True):
        """One load per store at a time: a second one waits (saying so) or, with wait=False, fails.
        The OS drops the lock when its process dies, so a killed load never blocks the next one."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            handle = open(self.path / LOCK_NAME, "a+")
        except OSError as exc:
            raise BackendError(f"store {self.path}: cannot write ({exc.strerror or exc})") from None
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    raise BackendError(f"store {self.path}: another `kg load` is writing to it; "
                                       "try again when it has finished") from None
                if on_wait:
                    on_wait(f"waiting for another `kg load` on {self.path} to finish …")
                fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            handle.close()

    # -- meta --------------------------------------------------------------------------------
    def meta(self, key: str, default=None):
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def revision(self) -> int:
        return self.meta("revision", 0) if self.exists() else 0

    def counts(self) -> dict:
        return self.meta("counts") or empty_counts() if self.exists() else empty_counts()

    # -- what a load reads ---------------------------------------------------------------------
    def papers_by_id(self, ids: Iterable[str]) -> dict[str, Paper]:
        if not self.db_file.is_file():
            return {}
        out = {}
        for part in _chunks(sorted(set(ids))):
            marks = ",".join("?" * len(part))
            for pid, record in self.conn.execute(f"SELECT id, record FROM papers WHERE id IN ({marks})", part):
                out[pid] = Paper.from_dict(json.loads(record))
        return out

    def iter_papers(self) -> Iterator[Paper]:
        """Every stored paper, in id order (a load's full pass over the corpus)."""
        if not self.db_file.is_file():
            return
        for (record,) in self.conn.execute("SELECT record FROM papers ORDER BY id"):
            yield Paper.from_dict(json.loads(record))

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
        for part in _chunks(ids):
            out.update(self.conn.execute(sql.format(",".join("?" * len(part))), part))
        return out

    def iter_resolved_json(self, column: str, skip: set[str] = frozenset()) -> Iterator[tuple[str, object]]:
        assert column in ("contrib", "votes", "deps")
        if not self.db_file.is_file():
            return
        for pid, text in self.conn.execute(f"SELECT paper, {column} FROM resolved ORDER BY paper"):
            if pid not in skip:
                yield pid, json.loads(text)

    def iter_dependencies(self) -> Iterator[tuple[str, list, str]]:
        if not self.db_file.is_file():
            return
        for pid, deps, digest in self.conn.execute("SELECT paper, deps, deps_hash FROM resolved ORDER BY paper"):
            yield pid, [tuple(d) for d in json.loads(deps)], digest

    def iter_votes(self, skip: set[str] = frozenset()) -> Iterator[tuple[str, dict, bool, str, str]]:
        """(paper, votes, titled, chosen hash, hits signature) in id order."""
        if not self.db_file.is_file():
            return
        for pid, votes, titled, chosen_hash, sig in self.conn.execute(
                "SELECT paper, votes, json_extract(contrib, '$.t'), chosen_hash, hits_sig FROM resolved ORDER BY paper"):
            if pid not in skip:
                yield pid, json.loads(votes), bool(titled), chosen_hash, sig

    def apply(self, change: StoreChange) -> int:
        """Write a load's changes in one transaction; returns the new revision."""
        self.open_for_writing()
        conn = self.conn
        with self.transaction():
            rev = (self.meta("revision", 0) or 0) + 1
            conn.executemany(
                "INSERT INTO papers (id, record, title_sort, text_hash, rev) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET record = excluded.record, title_sort = excluded.title_sort, "
                "text_hash = excluded.text_hash, rev = excluded.rev",
                ((p.id, _dumps(p.to_dict()), p.title.casefold(), change.text_hashes[p.id], rev)
                 for p in change.papers))
            self._write_terms(conn, ((node_id(PAPER, p.id), paper_attrs(p)) for p in change.papers))
            conn.executemany(
                "INSERT OR REPLACE INTO candidates (paper, text_hash, extractor, data) VALUES (?, ?, ?, ?)",
                change.candidates)
            conn.executemany(
                "INSERT INTO nodes (id, label, key, name, attrs, papers, hash, rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET label = excluded.label, key = excluded.key, name = excluded.name, "
                "attrs = excluded.attrs, papers = excluded.papers, hash = excluded.hash, rev = excluded.rev",
                ((nid, a["label"], a["key"], a.get("name") or a["key"], _dumps(a), a.get("papers", 0), h, rev)
                 for nid, a, h in change.nodes))
            self._write_terms(conn, ((nid, a) for nid, a, _ in change.nodes))
            conn.executemany(
                "INSERT OR REPLACE INTO resolved (paper, contrib, deps, deps_hash, chosen, chosen_hash, votes, hits_sig) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", change.resolved)
            conn.executemany("UPDATE resolved SET hits_sig = ? WHERE paper = ?",
                             ((sig, pid) for pid, sig in change.hits_sigs.items()))
            affected = set(change.entity_names)
            for paper, digest, links in change.links:
                affected |= self._write_links(conn, paper, digest, links, rev)
                change.papers_relinked += 1
            change.nodes_written, change.nodes_dropped = self._refresh_nodes(conn, affected, change.entity_names, rev)
            meta = {**change.meta, "revision": rev, "counts": self._count(conn)}
            conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                             ((k, _dumps(v)) for k, v in meta.items()))
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
        new = {(n, t): (_dumps(a), a) for n, t, a in links}
        gone = [k for k in old if k not in new]
        conn.executemany("DELETE FROM links WHERE paper = ? AND node = ? AND type = ?", ((paper, n, t) for n, t in gone))
        conn.executemany("INSERT OR REPLACE INTO tombstones (kind, id, rev) VALUES ('link', ?, ?)",
                         ((f"{paper}|{t}|{n}", rev) for n, t in gone))
        conn.executemany(
            "INSERT OR REPLACE INTO links (paper, node, type, attrs, aliases, kb, rev) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((paper, n, t, text, _dumps(a.get("aliases") or []), int(_from_kb(a)), rev)
             for (n, t), (text, a) in new.items() if old.get((n, t)) != text))
        conn.executemany("DELETE FROM tombstones WHERE kind = 'link' AND id = ?",
                         ((f"{paper}|{t}|{n}",) for (n, t) in new if (n, t) not in old))
        conn.execute("UPDATE papers SET links_hash = ? WHERE id = ?", (digest, paper))
        return {n for n, _ in old} | {n for n, _ in new}

    def _refresh_nodes(self, conn, affected: set[str], entity_names: dict[str, str], rev: int) -> tuple[int, int]:
        """Recompute author and entity nodes from their links: paper count, aliases, KB flag, name.
        A node left without links is removed (with a tombstone for Neo4j)."""
        written = dropped = 0
        for nid in sorted(affected):
            rows = conn.execute("SELECT aliases, kb FROM links WHERE node = ?", (nid,)).fetchall()
            stored = conn.execute("SELECT name, hash FROM nodes WHERE id = ?", (nid,)).fetchone()
            if not rows:
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
                aliases = sorted({a for text, _ in rows for a in json.loads(text or "[]")})
                name = entity_names.get(nid) or (stored[0] if stored else key)
                attrs = {"label": label, "key": key, "name": name, "kb": any(kb for _, kb in rows),
                         "aliases": aliases, "papers": len(rows)}
            digest = _dumps(attrs)
            digest = hashlib.sha1(digest.encode("utf-8")).hexdigest()[:20]
            if stored and stored[1] == digest:
                continue
            conn.execute(
                "INSERT INTO nodes (id, label, key, name, attrs, papers, hash, rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, attrs = excluded.attrs, "
                "papers = excluded.papers, hash = excluded.hash, rev = excluded.rev",
                (nid, label, key, attrs["name"], _dumps(attrs), attrs["papers"], digest, rev))
            conn.execute("DELETE FROM tombstones WHERE kind = 'node' AND id = ?", (nid,))
            self._write_terms(conn, [(nid, attrs)])
            written += 1
        return written, dropped

    @staticmethod
    def _author_spelling(conn, nid: str, key: str) -> str:
        """The name as written by the first paper (in id order) that lists this author."""
        (first,) = conn.execute("SELECT min(paper) FROM links WHERE node = ?", (nid,)).fetchone()
        (record,) = conn.execute("SELECT record FROM papers WHERE id = ?", (first,)).fetchone()
        return next((name for name in json.loads(record)["authors"] if author_key(name) == key), key)

    @staticmethod
    def _count(conn: sqlite3.Connection) -> dict:
        counts = empty_counts()
        counts["nodes"][PAPER] = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        for label, n in conn.execute("SELECT label, count(*) FROM nodes GROUP BY label"):
            counts["nodes"][label] = n
        for rel, n in conn.execute("SELECT type, count(*) FROM links GROUP BY type"):
            counts["relationships"][rel] = n
        return counts

    # -- reads for queries (indexed) ----------------------------------------------------------------
    def top_nodes(self, label: str, n: int) -> list[tuple[str, int]]:
        """(name, papers) of the `n` most connected nodes of a label, ties at the cut included."""
        row = self.conn.execute("SELECT papers FROM nodes WHERE label = ? ORDER BY papers DESC LIMIT 1 OFFSET ?",
                                (label, n - 1)).fetchone()
        floor = row[0] if row else 0
        return list(self.conn.execute("SELECT name, papers FROM nodes WHERE label = ? AND papers >= ?", (label, floor)))

    def keys_named(self, label: str, names: Sequence[str]) -> list[str]:
        keys = []
        for part in _chunks(sorted(set(names))):
            keys += [r[0] for r in self.conn.execute(
                f"SELECT key FROM nodes WHERE label = ? AND name IN ({','.join('?' * len(part))})", (label, *part))]
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
        ids = sorted(set(ids))
        papers = [split_node_id(i)[1] for i in ids if i.startswith("paper:")]
        others = [i for i in ids if not i.startswith("paper:")]
        out = {}
        for part in _chunks(papers):
            for pid, record in self.conn.execute(
                    f"SELECT id, record FROM papers WHERE id IN ({','.join('?' * len(part))})", part):
                out[node_id(PAPER, pid)] = paper_attrs(Paper.from_dict(json.loads(record)))
        for part in _chunks(others):
            for nid, attrs in self.conn.execute(
                    f"SELECT id, attrs FROM nodes WHERE id IN ({','.join('?' * len(part))})", part):
                out[nid] = json.loads(attrs)
        return out

    def match_names(self, ids) -> dict[str, tuple[str, list[str]]]:
        """id → (label, [title or name, aliases…]) for name matching, without abstracts or evidence."""
        ids = sorted(set(ids))
        out = {}
        papers = [split_node_id(i)[1] for i in ids if i.startswith("paper:")]
        others = [i for i in ids if not i.startswith("paper:")]
        for part in _chunks(papers):
            for pid, title in self.conn.execute(
                    f"SELECT id, json_extract(record, '$.title') FROM papers WHERE id IN ({','.join('?' * len(part))})", part):
                out[node_id(PAPER, pid)] = (PAPER, [title])
        for part in _chunks(others):
            for nid, label, name, aliases in self.conn.execute(
                    f"SELECT id, label, name, json_extract(attrs, '$.aliases') FROM nodes "
                    f"WHERE id IN ({','.join('?' * len(part))})", part):
                out[nid] = (label, [name, *(json.loads(aliases) if aliases else [])])
        return out

    def names_of(self, ids: Iterable[str]) -> dict[str, tuple[str, str, int]]:
        """id → (label, display name, papers) without reading abstracts or evidence."""
        ids = sorted(set(ids))
        papers = [split_node_id(i)[1] for i in ids if i.startswith("paper:")]
        others = [i for i in ids if not i.startswith("paper:")]
        out = {}
        for part in _chunks(papers):
            for pid, title in self.conn.execute(
                    f"SELECT id, json_extract(record, '$.title') FROM papers WHERE id IN ({','.join('?' * len(part))})",
                    part):
                out[node_id(PAPER, pid)] = (PAPER, title, 0)
        for part in _chunks(others):
            for nid, label, name, n in self.conn.execute(
                    f"SELECT id, label, name, papers FROM nodes WHERE id IN ({','.join('?' * len(part))})", part):
                out[nid] = (label, name, n)
        return out

    def links_of_papers(self, paper_ids: Iterable[str], with_attrs: bool = False) -> list[tuple]:
        """(paper node id, other node id, type[, attrs]) of the given papers (node ids "paper:…")."""
        return self._links_where("paper", sorted({split_node_id(p)[1] for p in paper_ids}), with_attrs)

    def papers_of_nodes(self, ids: Iterable[str], with_attrs: bool = False) -> list[tuple]:
        """(paper node id, node id, type[, attrs]) of every link of the given author/entity nodes."""
        return self._links_where("node", sorted(set(ids)), with_attrs)

    def _links_where(self, column: str, values: list[str], with_attrs: bool) -> list[tuple]:
        assert column in ("paper", "node")
        cols = "paper, node, type" + (", attrs" if with_attrs else "")
        rows = []
        for part in _chunks(values):
            for row in self.conn.execute(
                    f"SELECT {cols} FROM links WHERE {column} IN ({','.join('?' * len(part))})", part):
                rows.append((node_id(PAPER, row[0]), row[1], row[2], *(json.loads(a) for a in row[3:])))
        return rows

    def iter_paper_records(self, limit: int | None = None) -> Iterator[tuple[dict, list[tuple[str, str, str, list]]]]:
        """(paper attrs, [(label, name, type, aliases)]) in `kg papers` order, streamed."""
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
                    f"SELECT l.paper, n.label, n.name, l.type, json_extract(l.attrs, '$.aliases') FROM links l "
                    f"JOIN nodes n ON n.id = l.node WHERE l.paper IN ({marks}) AND l.type != ?", (*keys, AUTHORED)):
                links[paper].append((label, name, rel, json.loads(aliases) if aliases else []))
            for pid, record in batch:
                yield paper_attrs(Paper.from_dict(json.loads(record))), links[pid]

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

    def load_graph(self):
        """The whole graph in networkx: for exports, pushes of small stores and tests, never for reads."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        for pid, record in self.conn.execute("SELECT id, record FROM papers ORDER BY id"):
            graph.add_node(node_id(PAPER, pid), **paper_attrs(Paper.from_dict(json.loads(record))))
        for nid, attrs in self.conn.execute("SELECT id, attrs FROM nodes ORDER BY id"):
            graph.add_node(nid, **json.loads(attrs))
        for paper, other, rel, attrs in self.conn.execute("SELECT paper, node, type, attrs FROM links ORDER BY paper"):
            add_paper_links(graph, node_id(PAPER, paper), [(other, rel, json.loads(attrs))])
        return graph

    # -- what a push reads ---------------------------------------------------------------------------
    def changed_since(self, rev: int) -> dict[str, int]:
        """How many papers, nodes, links and tombstones changed after revision `rev`."""
        return {table: self.conn.execute(f"SELECT count(*) FROM {table} WHERE rev > ?", (rev,)).fetchone()[0]
                for table in ("papers", "nodes", "links", "tombstones")}

    def iter_changed_papers(self, rev: int) -> Iterator[dict]:
        for (record,) in self.conn.execute("SELECT record FROM papers WHERE rev > ? ORDER BY id", (rev,)):
            yield paper_attrs(Paper.from_dict(json.loads(record)))

    def iter_changed_nodes(self, rev: int) -> Iterator[dict]:
        for (attrs,) in self.conn.execute("SELECT attrs FROM nodes WHERE rev > ? ORDER BY id", (rev,)):
            yield json.loads(attrs)

    def iter_changed_links(self, rev: int) -> Iterator[tuple[str, str, str, dict]]:
        """(paper key, node id, type, attrs) of links written after `rev`."""
        for paper, other, rel, attrs in self.conn.execute(
                "SELECT paper, node, type, attrs FROM links WHERE rev > ? ORDER BY type, paper", (rev,)):
            yield paper, other, rel, json.loads(attrs)

    def iter_tombstones(self, rev: int) -> Iterator[tuple[str, str]]:
        yield from self.conn.execute("SELECT kind, id FROM tombstones WHERE rev > ? ORDER BY kind, id", (rev,))

    def set_meta(self, key: str, value) -> None:
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, _dumps(value)))


def _from_kb(attrs: dict) -> bool:
    return any(str(e.get("rule", "")).startswith("kb:") for e in attrs.get("evidence") or [])


def _legacy_store(path: Path) -> bool:
    """A store folder written by kg 0.1 (papers.jsonl + graph.json)."""
    return (path / "graph.json").is_file() and (path / "papers.jsonl").is_file()


__all__ = ["LocalStore", "StoreChange", "DEFAULT_STORE", "default_store_path", "LABELS", "REL_TYPES"]

