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
from ..extract.resolve import CorpusResolver, contribution
from ..graph.rows import paper_links
from ..graph.schema import node_id
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
                       written={"papers": len(change.papers), "papers_resolved": len(change.resolved),
                                "papers_relinked": len(change.links), "nodes": change.nodes_written,
                                "nodes_dropped": change.nodes_dropped})


def _stage(progress: LoadProgress, what: str) -> None:
    if progress.on_stage:
        progress.on_stage(what)


def _plan(incoming: list[Paper], store: LocalStore, extractor, workers, progress) -> tuple[StoreChange, int]:
    """Everything the load will write, computed from the store and the new papers (nothing written yet).

    The corpus step runs in its stages, each over every paper but doing real work only where its inputs
    changed: tables from every paper's stored contribution; mentions chosen again only for papers that are
    new or whose table entries changed; identity from every paper's stored votes; hits rebuilt only for
    papers whose chosen mentions or identity facts changed."""
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
    resolver = CorpusResolver(extractor.kb)
    unresolved = set(fresh) | store.papers_without_resolution()
    redo = {pid: cache.decode(pid, blob) for pid, blob in fresh.items()}
    redo.update({pid: cache.decode(pid, blob) for pid, blob in store.candidates_of(unresolved - set(fresh)).items()})
    new_contrib = {pid: contribution(c) for pid, c in redo.items()}
    resolver.use_tables(resolver.tables(
        c for _, c in _merged(store.iter_resolved_json("contrib", skip=set(new_contrib)), new_contrib)))

    for pid, deps, deps_hash in store.iter_dependencies():
        if pid not in redo and resolver.dependencies_hash(deps, resolver.corpus) != deps_hash:
            redo[pid] = None
    missing = [pid for pid, c in redo.items() if c is None]
    for pid, blob in store.candidates_of(missing).items():
        redo[pid] = cache.decode(pid, blob)
    rechosen: dict[str, tuple] = {}
    for pid in sorted(redo):
        items, deps = resolver.choose(redo[pid])
        blob = cache.encode_chosen(items)
        contrib = new_contrib.get(pid) or contribution(redo[pid])
        rechosen[pid] = (items, deps, blob, _digest(blob.hex()), resolver.votes(items), contrib)
    del redo

    facts: dict[str, tuple] = {}  # paper → (keys, titled, chosen hash, stored hits signature)

    def votes_in_order():
        for pid, votes, titled, chosen_hash, hits_sig in store.iter_votes(skip=set(rechosen)):
            facts[pid] = (votes["k"], titled, chosen_hash, hits_sig)
            yield pid, votes
        # (the rechosen papers are merged in below, in id order)

    stored_votes = votes_in_order()
    new_votes = {pid: r[4] for pid, r in rechosen.items()}
    resolver.use_identity(resolver.identity(v for _, v in _merged(stored_votes, new_votes)))

    _stage(progress, "comparing with the stored graph")
    for pid, (items, deps, blob, chosen_hash, votes, contrib) in rechosen.items():
        facts[pid] = (votes["k"], contrib["t"], chosen_hash, None)
    rehit = {}
    for pid, (keys, titled, chosen_hash, old_sig) in facts.items():
        sig = _digest([chosen_hash, resolver.hits_signature(keys, titled)])
        if sig != old_sig or pid in changed:  # a changed record may bring other authors
            rehit[pid] = sig
    chosen_blobs = store.chosen_of([pid for pid in rehit if pid not in rechosen])
    papers = {**store.papers_by_id([pid for pid in rehit if pid not in changed]), **changed}
    old_links = store.links_hashes_of(list(rehit))
    for pid in sorted(rehit):
        items = rechosen[pid][0] if pid in rechosen else cache.decode_chosen(chosen_blobs[pid])
        hits = resolver.hits(items, facts[pid][1])
        links = paper_links(papers[pid], hits)
        digest = _digest(links)
        if old_links.get(pid) != digest:
            change.links[pid] = (digest, links)
        for hit in hits:
            change.entity_names[node_id(hit.type, hit.key)] = hit.name
    change.resolved = [(pid, _dumps(r[5]), _dumps(r[1]), resolver.dependencies_hash(r[1], resolver.corpus), r[2], r[3],
                        _dumps(r[4]), rehit.get(pid, "")) for pid, r in rechosen.items()]
    change.hits_sigs = {pid: sig for pid, sig in rehit.items() if pid not in rechosen}
    return change, len(fresh)


def _merged(stored: Iterator[tuple[str, dict]], fresh: dict[str, dict]) -> Iterator[tuple[str, dict]]:
    """Stored (id, value) rows and fresh ones, in id order."""
    return heapq.merge(stored, sorted(fresh.items()), key=lambda item: item[0])


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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


def _digest(value) -> str:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=list)
    return hashlib.sha1(data.encode("utf-8")).hexdigest()[:20]
