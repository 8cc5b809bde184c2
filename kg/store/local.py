"""The embedded default store: a folder of JSON files, written atomically so a failed load never loses data."""
from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import networkx as nx

from ..errors import BackendError
from ..ingest.model import Paper

FORMAT_VERSION = 1
DEFAULT_STORE = ".kg"


def default_store_path(env=os.environ) -> Path:
    return Path(env.get("KG_STORE") or DEFAULT_STORE)


class LocalStore:
    """`papers.jsonl` (merged papers, the input of re-extraction), `graph.json` (node-link) and `meta.json`."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise BackendError(f"store {self.path}: is a file, not a folder (set --store or KG_STORE to a folder)")

    @property
    def papers_file(self) -> Path:
        return self.path / "papers.jsonl"

    @property
    def graph_file(self) -> Path:
        return self.path / "graph.json"

    @property
    def meta_file(self) -> Path:
        return self.path / "meta.json"

    def exists(self) -> bool:
        return self.graph_file.is_file()

    def load_papers(self) -> list[Paper]:
        if not self.papers_file.is_file():
            return []
        papers = []
        with self.papers_file.open(encoding="utf-8") as handle:
            for n, line in enumerate(handle, 1):
                try:
                    papers.append(Paper.from_dict(json.loads(line)))
                except (ValueError, TypeError) as exc:
                    raise BackendError(f"{self.papers_file}:{n}: corrupt store record ({exc})") from None
        return papers

    def load_graph(self) -> nx.MultiDiGraph:
        if not self.exists():
            raise BackendError(f"store {self.path}: no graph yet; run `kg load PATH` first")
        try:
            data = json.loads(self.graph_file.read_text(encoding="utf-8"))
            return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
        except (ValueError, KeyError, TypeError) as exc:
            raise BackendError(f"{self.graph_file}: corrupt graph file ({exc})") from None

    def meta(self) -> dict:
        if not self.meta_file.is_file():
            return {}
        return json.loads(self.meta_file.read_text(encoding="utf-8"))

    def save(self, papers: list[Paper], graph: nx.MultiDiGraph, **meta) -> None:
        """Write all three files to temporaries first, then rename them into place."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            papers_text = "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in papers)
            graph_text = json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False)
            meta_text = json.dumps({"format": FORMAT_VERSION, "saved": datetime.now(timezone.utc).isoformat(
                timespec="seconds"), "papers": len(papers), **meta}, indent=2)
            staged = [(self._stage(text), target) for text, target in (
                (papers_text, self.papers_file), (graph_text, self.graph_file), (meta_text, self.meta_file))]
            for temp, target in staged:
                os.replace(temp, target)
        except OSError as exc:
            raise BackendError(f"store {self.path}: cannot write ({exc.strerror or exc})") from None

    def _stage(self, text: str) -> str:
        fd, temp = tempfile.mkstemp(dir=self.path, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return temp
