"""`kg load`: read listings, merge them into the stored papers, extract what changed, resolve the corpus,
write what differs, in one transaction.

spaCy runs only on papers whose title or abstract changed (or when the extractor changed): everything else
comes from the per-paper candidate cache in the store. The corpus step (acronyms, one name and type per
entity) then runs over all cached candidates, in paper-id order, so loading a corpus at once or in chunks in
any order gives the same graph. Only papers whose links changed, and nodes whose properties changed, are
written.
"""
from __future__ import annotations

import hashlib
import heapq
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..extract import cache
from ..extract.parallel import extract_candidates
from ..graph.rows import NodeTally, paper_links
from ..ingest import merge_papers, read_paths
from ..ingest.merge import merge_into
from ..ingest.model import Paper, Skipped
from ..store.local import LocalStore, StoreChange


@dataclass
class LoadProgress:
    """Callbacks a front end may set to show progress; every one is optional."""

    on_file: Callable[[Path], None] | None = None
    on_extract_total: Callable[[int], None] | None = None
    on_extracted: Callable[[int], None] | None = None
    on_stage: Callable[[str], None] | None = None
    on_wait: Callable[[str], None] | None = None


@dataclass
class LoadSummary:
    files: list[str]
    rows: int
    papers_in_files: int
    skipped: list[Skipped]
    before: dict
    after: dict
    mode: str
    extracted: int = 0
    changed_papers: int = 0
    revision: int = 0
    written: dict = field(default_factory=dict)

    def added(self) -> dict:
        return {label: self.after["nodes"][label] - self.before["nodes"].get(label, 0) for label in self.after["nodes"]}

    def to_dict(self) -> dict:
        return {"files": self.files, "rows": self.rows, "papers_in_files": self.papers_in_files,
                "added": self.added(), "totals": self.after,
                "skipped": [{"source": f"{s.source.file}:{s.source.line}", "reason": s.reason} for s in self.skipped],
                "extractor": self.mode, "extracted": self.extracted, "changed_papers": self.changed_papers,
                "written": self.written, "revision": self.revision}


def load_paths(
    paths: Iterable[str | Path],
    store: LocalStore,
    extractor,
    fmt: str | None = None,
    encoding: str = "utf-8",
    skip_bad_files: bool = False,
    workers: int | None = None,
    progress: LoadProgress | None = None,
) -> LoadSummary:
    """Read, merge, extract, resolve, write. Raises KgError before touching the store if anything fails.

    `extractor` may be a zero-argument factory, so a slow model load only happens once the files read cleanly.
    """
    progress = progress or LoadProgress()
    result = read_paths(paths, fmt=fmt, encoding=encoding, on_file=progress.on_file, skip_bad_files=skip_bad_files)
    if callable(extractor) and not hasattr(extractor, "extract_corpus"):
        extractor = extractor()
    with store.load_lock(on_wait=progress.on_wait):
        before = store.counts()
        change, extracted = _plan(result.papers, store, extractor, workers, progress)
        _stage(progress, "writing the store")
        revision = store.apply(change)
        after = store.counts()
    return LoadSummary(files=result.files, rows=len(result.listings), papers_in_files=len(result.papers),
                       skipped=result.skipped, before=before, after=after, mode=extractor.mode,
                       extracted=extracted, changed_papers=len(change.papers), revision=revision,
                       written={"papers": len(change.papers), "papers_relinked": len(change.links),
                                "nodes": len(change.nodes), "nodes_dropped": len(change.dropped_nodes)})


def _stage(progress: LoadProgress, what: str) -> None:
    if progress.on_stage:
        progress.on_stage(what)


def _plan(incoming: list[Paper], store: LocalStore, extractor, workers, progress) -> tuple[StoreChange, int]:
    """Everything the load will write, computed from the store and the new papers (nothing written yet)."""
    change = StoreChange(meta={"extractor": extractor.mode})
    version = cache.extractor_version(extractor.mode)
    changed = _changed_papers(incoming, store)
    change.papers = sorted(changed.values(), key=lambda p: p.id)
    change.text_hashes = {p.id: cache.text_hash(p.title, p.abstract) for p in change.papers}

    cached = store.cached_candidates()
    to_extract = [p for p in change.papers if cached.get(p.id) != (change.text_hashes[p.id], version)]
    stale = [pid for pid, (_, v) in cached.items() if v != version and pid not in changed]
    stale += [pid for pid in store.papers_without_candidates() if pid not in changed]
    to_extract += store.papers_by_id(stale).values()
    if progress.on_extract_total:
        progress.on_extract_total(len(to_extract))
    fresh: dict[str, bytes] = {}
    for pid, blob in extract_candidates(to_extract, extractor.mode, workers, progress.on_extracted,
                                        extractor=extractor):
        fresh[pid] = blob
    hashes = {**change.text_hashes, **{p.id: cache.text_hash(p.title, p.abstract) for p in to_extract}}
    change.candidates = [(pid, hashes[pid], version, blob) for pid, blob in fresh.items()]
    for p in to_extract:
        change.text_hashes.setdefault(p.id, hashes[p.id])

    _stage(progress, "resolving entities across the corpus")
    candidates = [cache.decode(pid, blob) for pid, blob in store.iter_candidates(skip=set(fresh))]
    candidates += [cache.decode(pid, blob) for pid, blob in fresh.items()]
    hits = extractor.iter_hits(candidates)
    del candidates

    _stage(progress, "comparing with the stored graph")
    old_links = store.links_hashes()
    tally = NodeTally()
    for paper in _all_papers(store, change.papers):
        pid, paper_hits = next(hits, (paper.id, []))
        if pid != paper.id:  # every paper has candidates, so the two id-ordered streams agree
            raise RuntimeError(f"candidates out of step with papers at {paper.id} / {pid}")
        links = paper_links(paper, paper_hits)
        digest = _digest(links)
        if old_links.get(paper.id) != digest:
            change.links[paper.id] = (digest, links)
        tally.add(paper, paper_hits)
    old_nodes = store.node_hashes()
    seen = set()
    for nid, attrs in tally.items():
        seen.add(nid)
        digest = _digest(attrs)
        if old_nodes.get(nid) != digest:
            change.nodes.append((nid, attrs, digest))
    change.dropped_nodes = sorted(set(old_nodes) - seen)
    return change, len(fresh)


def _changed_papers(incoming: list[Paper], store: LocalStore) -> dict[str, Paper]:
    """Incoming papers merged into their stored records; only those that are new or differ."""
    stored = store.papers_by_id(p.id for p in incoming)
    changed = {}
    for paper in merge_papers(incoming):
        old = stored.get(paper.id)
        if old is None:
            changed[paper.id] = paper
            continue
        merged = merge_into(Paper.from_dict(old.to_dict()), paper)
        if merged.to_dict() != old.to_dict():
            changed[paper.id] = merged
    return changed


def _all_papers(store: LocalStore, changed: list[Paper]) -> Iterator[Paper]:
    """Stored papers with the changed ones swapped in, in id order, streamed."""
    replaced = {p.id for p in changed}
    stored = (p for p in store.iter_papers() if p.id not in replaced)
    return heapq.merge(stored, changed, key=lambda p: p.id)


def _digest(value) -> str:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=list)
    return hashlib.sha1(data.encode("utf-8")).hexdigest()[:20]
