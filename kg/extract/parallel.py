"""Per-paper extraction on every core: worker processes each build the pipeline once and return the
encoded candidates of a chunk of papers (bytes travel between processes cheaply; Docs do not)."""
from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Iterable, Iterator, Sequence

from kg.extract import cache
from kg.extract.pipeline import span_model_wanted

CHUNK = 64
_worker = None


def worker_count(requested: int | None = None) -> int:
    """`requested`, else $KG_WORKERS, else every core this process may use."""
    if requested:
        return max(1, requested)
    env = os.environ.get("KG_WORKERS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _init(mode: str, span_model: bool | None = None) -> None:
    global _worker
    from kg.extract.extractor import Extractor

    _worker = Extractor(model=mode, span_model=span_model)


def _extract_chunk(papers: list[tuple[str, str, str | None]]) -> list[tuple[str, bytes]]:
    found = _worker.candidates([_Paper(*p) for p in papers])
    return [(c.paper_id, cache.encode(c)) for c in found]


class _Paper:
    __slots__ = ("id", "title", "abstract")

    def __init__(self, id: str, title: str, abstract: str | None):
        self.id, self.title, self.abstract = id, title, abstract


def extract_candidates(
    papers: Sequence, mode: str, workers: int | None = None, progress: Callable[[int], None] | None = None,
    extractor=None, span_model: bool | None = None,
) -> Iterator[tuple[str, bytes]]:
    """(paper id, encoded candidates) for every paper, in chunks as they finish. One worker (or a handful
    of papers) runs in this process with `extractor` when given: starting processes would cost more.
    `span_model` None: as $KG_SPAN_MODEL says (on unless turned off)."""
    if span_model is None:
        span_model = span_model_wanted()
    rows = [(p.id, p.title or "", p.abstract) for p in papers]
    chunks = [rows[i:i + CHUNK] for i in range(0, len(rows), CHUNK)]
    n = min(worker_count(workers), len(chunks))
    done = 0
    if n <= 1:
        global _worker
        if extractor is not None:
            _worker = extractor
        elif _worker is None or _worker.mode != mode or _worker.span_model != span_model:
            _init(mode, span_model)
        results: Iterable = map(_extract_chunk, chunks)
        for chunk in results:
            done += len(chunk)
            if progress:
                progress(done)
            yield from chunk
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(n, initializer=_init, initargs=(mode, span_model)) as pool:
        for chunk in pool.imap(_extract_chunk, chunks):
            done += len(chunk)
            if progress:
                progress(done)
            yield from chunk
