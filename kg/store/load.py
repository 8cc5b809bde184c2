"""`kg load`: ingest files, merge with what the store holds, re-extract the corpus, rebuild and save the graph.

Extraction runs over the whole merged corpus so acronyms and canonical names stay consistent across loads;
the store is only replaced once everything succeeded.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import networkx as nx

from ..graph import build_graph, graph_counts
from ..ingest import merge_papers, read_paths
from ..ingest.model import Skipped
from .local import LocalStore


@dataclass
class LoadSummary:
    files: list[str]
    rows: int
    papers_in_files: int
    skipped: list[Skipped]
    before: dict
    after: dict
    mode: str
    graph: nx.MultiDiGraph = field(repr=False, default=None)

    def added(self) -> dict:
        return {label: self.after["nodes"][label] - self.before["nodes"].get(label, 0) for label in self.after["nodes"]}

    def to_dict(self) -> dict:
        return {"files": self.files, "rows": self.rows, "papers_in_files": self.papers_in_files,
                "added": self.added(), "totals": self.after,
                "skipped": [{"source": f"{s.source.file}:{s.source.line}", "reason": s.reason} for s in self.skipped],
                "extractor": self.mode}


def load_paths(
    paths: Iterable[str | Path],
    store: LocalStore,
    extractor,
    fmt: str | None = None,
    encoding: str = "utf-8",
    skip_bad_files: bool = False,
    on_file: Callable | None = None,
    on_paper: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> LoadSummary:
    """Read, merge, extract, build, save. Raises KgError before touching the store if anything fails.

    `extractor` may be a zero-argument factory, so a slow model load only happens once the files read cleanly.
    """
    result = read_paths(paths, fmt=fmt, encoding=encoding, on_file=on_file, skip_bad_files=skip_bad_files)
    if callable(extractor) and not hasattr(extractor, "extract_corpus"):
        extractor = extractor()
    existing = store.load_papers()
    before = _stored_counts(store)
    papers = merge_papers(existing + result.papers)
    if on_total:
        on_total(len(papers))
    hits = extractor.extract_corpus(papers, progress=on_paper)
    graph = build_graph(papers, hits)
    after = graph_counts(graph)
    store.save(papers, graph, extractor=extractor.mode, counts=after)
    return LoadSummary(files=result.files, rows=len(result.listings), papers_in_files=len(result.papers),
                       skipped=result.skipped, before=before, after=after, mode=extractor.mode,
                       graph=graph)


def _stored_counts(store: LocalStore) -> dict:
    """Counts of the stored graph from meta.json; stores written before counts were kept get them recomputed."""
    if not store.exists():
        return {"nodes": {}, "relationships": {}}
    return store.meta().get("counts") or graph_counts(store.load_graph())
