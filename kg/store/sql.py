"""Small SQLite helpers shared by the embedded store's modules."""
from __future__ import annotations

import json
import zlib
from typing import Iterator, Sequence

CHUNK = 500  # ids per `IN (...)` query, well under SQLite's variable limit


def dumps(value) -> str:
    """Canonical JSON: the same value always gives the same text (stored rows are compared as text)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def pack(value) -> bytes:
    """Canonical JSON, zlib-compressed: evidence and per-paper state are most of a store's bytes."""
    return zlib.compress(dumps(value).encode("utf-8"), 6)


def unpack(blob: bytes):
    return json.loads(zlib.decompress(blob))


def marks(part: Sequence) -> str:
    """"?,?,?" for an `IN (...)` list of len(part)."""
    return ",".join("?" * len(part))


def table_exists(conn, name: str) -> bool:
    """Whether a table is there: tables added after a store was made appear at its next load."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None
