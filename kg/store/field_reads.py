"""Reads for the whole-corpus map (`kg map`): bounded, indexed, and never the whole graph.

Plain functions over a LocalStore (kept out of the store's mixins so they stay apart from its other reads).
Each read is capped by its caller: the most connected entities, the papers best connected to them, the links
among those, one card per paper (title, authors, date) and one evidence sentence per entity.
"""
from __future__ import annotations

from typing import Sequence

from ..graph.schema import AUTHORED, FIELD_LABELS, PAPER, node_id
from .sql import chunks, marks, unpack


def top_entities(store, limit: int) -> tuple[list[tuple[str, str, str, int]], int]:
    """(id, label, name, papers) of the `limit` entities in most papers (ties by id), and how many there are."""
    labels = marks(FIELD_LABELS)
    total = store.conn.execute(f"SELECT count(*) FROM nodes WHERE label IN ({labels})", FIELD_LABELS).fetchone()[0]
    rows = store.conn.execute(f"SELECT id, label, name, papers FROM nodes WHERE label IN ({labels}) "
                              "ORDER BY papers DESC, id LIMIT ?", (*FIELD_LABELS, limit)).fetchall()
    return rows, total


def best_connected_papers(store, entity_ids: Sequence[str], limit: int) -> tuple[list[tuple[str, int]], int]:
    """(paper node id, links to the given entities) of the `limit` best connected papers (ties by id), and the
    number of papers in the store. One pass over the links through a temporary table of the entity ids."""
    conn = store.conn
    total = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
    if limit <= 0 or not entity_ids:
        return [], total
    conn.execute("DROP TABLE IF EXISTS temp.kg_map_nodes")
    conn.execute("CREATE TEMP TABLE kg_map_nodes (id TEXT PRIMARY KEY) WITHOUT ROWID")
    try:
        conn.executemany("INSERT OR IGNORE INTO temp.kg_map_nodes VALUES (?)", ((i,) for i in entity_ids))
        rows = conn.execute("SELECT l.paper, count(*) AS n FROM links l JOIN temp.kg_map_nodes k ON k.id = l.node "
                            "GROUP BY l.paper ORDER BY n DESC, l.paper LIMIT ?", (limit,)).fetchall()
    finally:
        conn.execute("DROP TABLE IF EXISTS temp.kg_map_nodes")
    return [(node_id(PAPER, paper), n) for paper, n in rows], total


def entity_links_of_papers(store, paper_ids: Sequence[str]) -> list[tuple[str, str, str, int]]:
    """(paper node id, entity id, type, kb) of every non-authorship link of the given papers (primary-key reads)."""
    keys = [p.partition(":")[2] for p in paper_ids]
    rows = []
    for part in chunks(keys):
        rows += [(node_id(PAPER, p), n, t, kb) for p, n, t, kb in store.conn.execute(
            f"SELECT paper, node, type, kb FROM links WHERE paper IN ({marks(part)}) AND type != ?", (*part, AUTHORED))]
    return rows


def paper_cards(store, paper_ids: Sequence[str]) -> dict[str, tuple[str, list[str], str | None]]:
    """paper node id → (title, authors in order, date); the authors from the record, as Paper.to_dict wrote it."""
    keys = [p.partition(":")[2] for p in paper_ids]
    out = {}
    for part in chunks(keys):
        for pid, title, date, record in store.conn.execute(
                f"SELECT id, title, date, record FROM papers WHERE id IN ({marks(part)})", part):
            out[node_id(PAPER, pid)] = (title, [str(a) for a in unpack(record).get("authors") or []], date)
    return out


def one_evidence(store, entity_ids: Sequence[str]) -> dict[str, str]:
    """entity id → one evidence sentence: of its first link in the node index (cheap, not the best one)."""
    out = {}
    for nid in entity_ids:
        row = store.conn.execute("SELECT attrs FROM links WHERE node = ? AND type != ? LIMIT 1", (nid, AUTHORED)
                                 ).fetchone()
        if row:
            evidence = unpack(row[0]).get("evidence") or []
            first = evidence[0] if evidence and isinstance(evidence[0], dict) else {}
            sentence = " ".join(str(first.get("sentence") or first.get("text") or "").split())
            if sentence:
                out[nid] = sentence
    return out
