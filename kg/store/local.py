"""The embedded default store: one SQLite database (standard library) in the store folder.

WAL journal, foreign keys and a schema-version table. A load writes in one transaction, so a crash, a
`kill -9`, a full disk or Ctrl-C at any point leaves the previous state complete; loads on one store take a
lock file in turn, and reads go on while a load runs. Reads are indexed queries: nothing here loads the
whole graph except `load_graph`, which exists for exports and tests.
"""
from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from ..errors import BackendError
from ..graph.build import empty_counts
from .local_reads import QueryReads
from .local_state import LoadReads, PushReads
from .legacy import is_json_store, read_json_store, remove_json_store
from .local_topics import TopicStore
from .local_write import StoreChange, StoreWrites
from .schema import SCHEMA_VERSION, STATEMENTS
from .sql import dumps

DEFAULT_STORE = ".kg"
DB_NAME = "kg.sqlite"
LOCK_NAME = "load.lock"
BUSY_TIMEOUT_S = 30.0


def default_store_path(env=os.environ) -> Path:
    return Path(env.get("KG_STORE") or DEFAULT_STORE)


class LocalStore(StoreWrites, LoadReads, PushReads, QueryReads, TopicStore):
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
        return self.db_file.is_file() or is_json_store(self.path)


    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            if not self.exists():
                raise BackendError(f"store {self.path}: no graph yet; run `kg load PATH` first")
            self._convert_legacy()
            self._conn = self._connect(create=False)
        return self._conn

    def _convert_legacy(self) -> None:
        """A kg 0.1 JSON store becomes a database on first use: written to a staging file, moved into place,
        and only then are the JSON files removed."""
        if not is_json_store(self.path) or self.db_file.is_file():
            return
        change = read_json_store(self.path)
        print(f"kg: converting the JSON store in {self.path} to {self.db_file} (once) …", file=sys.stderr)
        staging = LocalStore(self.path, db_name=self.db_name + ".converting")
        for leftover in ("", "-wal", "-shm"):
            Path(str(staging.db_file) + leftover).unlink(missing_ok=True)
        try:
            staging._conn = staging._connect(create=True)
            staging.apply(change)
            staging._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            staging._conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            staging.close()
        staging.db_file.replace(self.db_file)
        remove_json_store(self.path)

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
                conn.execute("INSERT INTO meta (key, value) VALUES ('store_id', ?)", (dumps(uuid.uuid4().hex),))

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
            if conn.in_transaction:  # SQLite has already rolled back after some errors (a full disk)
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError | sqlite3.IntegrityError):
                hint = "; free some space and load again" if "full" in str(exc) else ""
                raise BackendError(f"{self.db_file}: write failed, nothing was changed ({exc}){hint}") from None
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


    def meta(self, key: str, default=None):
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def revision(self) -> int:
        return self.meta("revision", 0) if self.exists() else 0

    def counts(self) -> dict:
        return self.meta("counts") or empty_counts() if self.exists() else empty_counts()


__all__ = ["LocalStore", "StoreChange", "DEFAULT_STORE", "default_store_path"]

