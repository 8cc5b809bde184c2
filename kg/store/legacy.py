"""Converting a store written by kg 0.1 (a folder of papers.jsonl, graph.json and meta.json) on first use.

The graph is copied as it is, so every read answers as before; the extraction cache starts empty, so the
next `kg load` extracts every paper once. LocalStore writes it into a staging database and moves that into
place before the JSON files are removed, so a crash part way leaves the JSON store as it was.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import BackendError
from ..graph.schema import AUTHORED, PAPER, split_node_id
from ..ingest.model import Paper
from .local_write import StoreChange

LEGACY_FILES = ("papers.jsonl", "graph.json", "meta.json")


def read_json_store(folder: Path) -> StoreChange:
    """The old store's papers, nodes and links as one store change (no extraction cache: the next load
    extracts every paper once)."""
    papers = _read_papers(folder / "papers.jsonl")
    graph = _read_graph(folder / "graph.json")
    change = StoreChange()
    change.papers = papers
    change.text_hashes = {p.id: "" for p in papers}  # unknown: forces extraction on the next load
    for data in graph["nodes"]:
        if data.get("label") != PAPER:
            change.nodes.append((data["id"], {k: v for k, v in data.items() if k != "id"}, ""))
    links: dict[str, list] = {p.id: [] for p in papers}
    for edge in graph["edges"]:
        attrs = {k: v for k, v in edge.items() if k not in ("source", "target", "key")}
        rel = edge.get("key") or attrs.get("type")
        paper_node, other = (edge["target"], edge["source"]) if rel == AUTHORED else (edge["source"], edge["target"])
        links.setdefault(split_node_id(paper_node)[1], []).append((other, rel, attrs))
    change.links = [(pid, "", items) for pid, items in links.items() if pid in change.text_hashes]
    return change


def remove_json_store(folder: Path) -> None:
    for name in LEGACY_FILES:
        (folder / name).unlink(missing_ok=True)


def is_json_store(folder: Path) -> bool:
    """A store folder written by kg 0.1 (papers.jsonl + graph.json)."""
    return (folder / "graph.json").is_file() and (folder / "papers.jsonl").is_file()


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
