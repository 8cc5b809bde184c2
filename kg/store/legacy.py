"""Converting a store written by kg 0.1 (a folder of papers.jsonl, graph.json and meta.json) on first use.

The graph is copied as it is, so every read answers as before; the extraction cache starts empty, so the
next `kg load` extracts every paper once. The JSON files are removed only after the database committed.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import BackendError
from ..graph.schema import AUTHORED, PAPER, split_node_id
from ..ingest.model import Paper

LEGACY_FILES = ("papers.jsonl", "graph.json", "meta.json")


def convert_json_store(folder: Path, db_file: Path) -> None:
    """Write the old store's graph into a database beside it, then move that into place: a crash part way
    leaves the JSON store as it was, and the next use starts the conversion again."""
    papers = _read_papers(folder / "papers.jsonl")
    graph = _read_graph(folder / "graph.json")
    from .local import LocalStore, StoreChange

    change = StoreChange()
    change.papers = papers
    change.text_hashes = {p.id: "" for p in papers}  # unknown: forces extraction on the next load
    nodes = {n["id"]: n for n in graph["nodes"]}
    for nid, data in nodes.items():
        if data.get("label") != PAPER:
            attrs = {k: v for k, v in data.items() if k != "id"}
            change.nodes.append((nid, attrs, ""))
    links: dict[str, list] = {p.id: [] for p in papers}
    for edge in graph["edges"]:
        attrs = {k: v for k, v in edge.items() if k not in ("source", "target", "key")}
        rel = edge.get("key") or attrs.get("type")
        paper_node, other = (edge["target"], edge["source"]) if rel == AUTHORED else (edge["source"], edge["target"])
        links.setdefault(split_node_id(paper_node)[1], []).append((other, rel, attrs))
    change.links = [(pid, "", items) for pid, items in links.items() if pid in change.text_hashes]
    print(f"kg: converting the JSON store in {folder} to {db_file} (once) …", file=sys.stderr)
    staging = db_file.with_name(db_file.name + ".converting")
    for leftover in (staging, staging.with_name(staging.name + "-wal"), staging.with_name(staging.name + "-shm")):
        leftover.unlink(missing_ok=True)
    store = LocalStore(folder, db_name=staging.name)
    try:
        store._conn = store._connect(create=True)
        store.apply(change)
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store._conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        store.close()
    staging.replace(db_file)
    for name in LEGACY_FILES:
        (folder / name).unlink(missing_ok=True)


def _read_papers(path: Path) -> list[Paper]:
    papers = []
    try:
        with path.open(encoding="utf-8") as handle:
            for n, line in enumerate(handle, 1):
                if line.strip():
                    papers.append(Paper.from_dict(json.loads(line)))
    except (ValueError, TypeError, KeyError) as exc:
        raise BackendError(f"{path}:{n}: corrupt record in the old JSON store ({exc}); "
                           "move the folder away and run `kg load` again") from None
    except OSError as exc:
        raise BackendError(f"{path}: cannot read the old JSON store ({exc.strerror or exc})") from None
    return papers


def _read_graph(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "nodes" not in data or "edges" not in data:
            raise ValueError("no nodes/edges")
        return data
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackendError(f"{path}: corrupt graph file in the old JSON store ({exc}); "
                           "move the folder away and run `kg load` again") from None
    except OSError as exc:
        raise BackendError(f"{path}: cannot read the old JSON store ({exc.strerror or exc})") from None
