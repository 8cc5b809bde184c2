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
from ..ingest import read_paths
from ..ingest.merge import merge_into
from ..ingest.model import Paper, Skipped
from ..store.local import LocalStore, StoreChange
from ..store.sql import pack, unpack


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
    result = read_paths(paths, fmt=fmt, encoding=encoding, on_file=progress.on_file, skip_bad_files=skip_bad_files,
                        keep_listings=False)
    if callable(extractor) and not hasattr(extractor, "extract_corpus"):
        extractor = extractor()
    with store.load_lock(on_wait=progress.on_wait):
        before = store.counts()
        change, extracted = _plan(result.papers, store, extractor, workers, progress)
        revision = store.apply(change)
        after = store.counts()
    return LoadSummary(files=result.files, rows=result.rows, papers_in_files=len(result.papers),
                       skipped=result.skipped, before=before, after=after, mode=extractor.mode,
                       extracted=extracted, changed_papers=len(change.papers), revision=revision,
                       written={"papers": len(change.papers), "papers_resolved": len(change.resolved),
                                "papers_relinked": change.papers_relinked, "nodes": change.nodes_written,
                                "nodes_dropped": change.nodes_dropped})


def _stage(progress: LoadProgress, what: str) -> None:
    if progress.on_stage:
        progress.on_stage(what)


def _plan(incoming: list[Paper], store: LocalStore, extractor, workers, progress) -> tuple[StoreChange, int]:
    """Everything the load will write, computed from the store and the new papers (links are streamed later).

    The corpus step runs in its stages, each over every paper but doing real work only where its inputs
    changed: tables from every paper's stored contribution; mentions chosen again only for papers that are
    new or whose table entries changed; identity from every paper's stored votes; hits rebuilt only for
    papers whose chosen mentions or identity facts changed."""
    change = StoreChange(meta={"extractor": getattr(extractor, "flavour", extractor.mode)})
    changed = _changed_papers(incoming, store)
    change.papers = sorted(changed.values(), key=lambda p: p.id)
    change.text_hashes = {p.id: cache.text_hash(p.title, p.abstract) for p in change.papers}
    fresh = _extract(change, changed, store, extractor, workers, progress)

    _stage(progress, "resolving entities across the corpus")
    resolver = CorpusResolver(extractor.kb)
    new_contrib = _use_tables(resolver, store, fresh)
    rechosen = _choose_again(resolver, store, fresh, new_contrib, change)
    facts = _use_identity(resolver, store, change, rechosen)

    _stage(progress, "writing the store")
    rehit = {}
    for pid, (keys, titled, chosen_hash, old_sig) in facts.items():
        sig = _digest([chosen_hash, resolver.hits_signature(keys, titled)])
        if sig != old_sig or pid in changed:  # a changed record may bring other authors
            rehit[pid] = sig
    for row in change.resolved:
        row[8] = rehit.get(row[0], "")
    change.hits_sigs = {pid: sig for pid, sig in rehit.items() if pid not in rechosen}
    change.links = _relink(sorted(rehit), rechosen, facts, changed, store, resolver, change.entity_names)
    return change, len(fresh)


def _extract(change: StoreChange, changed: dict[str, Paper], store: LocalStore, extractor, workers,
             progress) -> dict[str, bytes]:
    """Candidates for papers whose text or extractor changed (and stored papers the cache lacks)."""
    version = cache.extractor_version(getattr(extractor, "flavour", extractor.mode))
    cached = store.cached_candidates()
    to_extract = [p for p in change.papers if cached.get(p.id) != (change.text_hashes[p.id], version)]
    stale = [pid for pid, (_, v) in cached.items() if v != version and pid not in changed]
    stale += [pid for pid in store.papers_without_candidates() if pid not in changed]
    to_extract += store.papers_by_id(stale).values()
    if progress.on_extract_total:
        progress.on_extract_total(len(to_extract))
    fresh = dict(extract_candidates(to_extract, extractor.mode, workers, progress.on_extracted, extractor=extractor,
                                    span_model=getattr(extractor, "span_model", False)))
    for p in to_extract:
        change.text_hashes.setdefault(p.id, cache.text_hash(p.title, p.abstract))
    change.candidates = [(pid, change.text_hashes[pid], version, blob) for pid, blob in fresh.items()]
    return fresh


def _use_tables(resolver: CorpusResolver, store: LocalStore, fresh: dict[str, bytes]) -> dict[str, dict]:
    """Corpus tables from every paper's contribution: stored ones, and new ones for fresh or unresolved
    papers (returned, so the next stage need not compute them again)."""
    new_contrib = {pid: contribution(cache.decode(pid, blob))
                   for pid, blob in _blobs(fresh, store, set(fresh) | store.papers_without_resolution())}
    stored = store.iter_resolved_json("contrib", skip=set(new_contrib))
    resolver.use_tables(resolver.tables(c for _, c in _merged(stored, new_contrib)))
    return new_contrib


def _choose_again(resolver: CorpusResolver, store: LocalStore, fresh: dict[str, bytes], new_contrib: dict,
                  change: StoreChange) -> dict[str, tuple]:
    """Choose mentions for new papers and papers whose recorded table entries changed value; their rows of
    the `resolved` table go into the change. Returns paper → (chosen blob, chosen hash, keys, titled)."""
    redo = set(new_contrib)
    for pid, deps, deps_hash in store.iter_dependencies():
        if pid not in redo and resolver.dependencies_hash(deps, resolver.corpus) != deps_hash:
            redo.add(pid)
    rechosen: dict[str, tuple] = {}
    for pid, blob in _blobs(fresh, store, redo):
        paper = cache.decode(pid, blob)
        items, deps = resolver.choose(paper)
        chosen = cache.encode_chosen(items)
        contrib = new_contrib.pop(pid, None) or contribution(paper)
        votes = resolver.votes(items)
        chosen_hash = _digest(chosen.hex())
        rechosen[pid] = (chosen, chosen_hash, votes["k"], contrib["t"])
        change.resolved.append([pid, pack(contrib), int(contrib["t"]), pack(deps),
                                resolver.dependencies_hash(deps, resolver.corpus), chosen, chosen_hash, pack(votes), ""])
    return rechosen


def _use_identity(resolver: CorpusResolver, store: LocalStore, change: StoreChange,
                  rechosen: dict[str, tuple]) -> dict[str, tuple]:
    """Identity from every paper's votes, in id order. Returns paper → (keys, titled, chosen hash, stored
    hits signature), what the next stage needs to tell which papers' hits changed."""
    facts: dict[str, tuple] = {}

    def stored_votes():
        for pid, votes, titled, chosen_hash, hits_sig in store.iter_votes(skip=set(rechosen)):
            facts[pid] = (votes["k"], titled, chosen_hash, hits_sig)
            yield pid, votes

    new_votes = ((row[0], unpack(row[7])) for row in change.resolved)  # appended in id order
    resolver.use_identity(resolver.identity(v for _, v in _merged(stored_votes(), new_votes)))
    for pid, (_chosen, chosen_hash, keys, titled) in rechosen.items():
        facts[pid] = (keys, titled, chosen_hash, None)
    return facts


def _blobs(fresh: dict[str, bytes], store: LocalStore, ids: set[str]) -> Iterator[tuple[str, bytes]]:
    """Candidate blobs of `ids` in id order: fresh ones from memory, the others read in chunks."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), 2000):
        part = ordered[start:start + 2000]
        stored = store.candidates_of([pid for pid in part if pid not in fresh])
        for pid in part:
            blob = fresh.get(pid) or stored.get(pid)
            if blob is not None:
                yield pid, blob


def _relink(ids: list[str], rechosen, facts, changed, store: LocalStore, resolver, names: dict) -> Iterator:
    """(paper, links digest, links) for every re-hit paper whose links differ, built in chunks while the store
    writes them, so the links of a whole corpus are never in memory at once. Fills `names` (entity display
    names) on the way."""
    for start in range(0, len(ids), 2000):
        part = ids[start:start + 2000]
        chosen = store.chosen_of([pid for pid in part if pid not in rechosen])
        papers = store.papers_by_id([pid for pid in part if pid not in changed])
        old = store.links_hashes_of(part)
        for pid in part:
            blob = rechosen[pid][0] if pid in rechosen else chosen[pid]
            hits = resolver.hits(cache.decode_chosen(blob), facts[pid][1])
            links = paper_links(changed.get(pid) or papers[pid], hits)
            digest = _digest(links)
            for hit in hits:
                names[node_id(hit.type, hit.key)] = hit.name
            if old.get(pid) != digest:
                yield pid, digest, links


def _merged(stored: Iterator[tuple[str, dict]], fresh) -> Iterator[tuple[str, dict]]:
    """Stored (id, value) rows and fresh ones (a dict, or pairs already in id order), in id order."""
    fresh = sorted(fresh.items()) if isinstance(fresh, dict) else fresh
    return heapq.merge(stored, fresh, key=lambda item: item[0])


def _changed_papers(incoming: list[Paper], store: LocalStore) -> dict[str, Paper]:
    """Incoming papers merged into their stored records; only those that are new or differ."""
    stored = store.papers_by_id(p.id for p in incoming)
    changed = {}
    for paper in incoming:  # already merged by ingest
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
