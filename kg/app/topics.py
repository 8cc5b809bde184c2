"""When topics are computed: on demand, only when the store changed since the last computation.

A load leaves the stored topics as they were, tagged with an older revision: stale, at no cost to the load.
`kg topics` and `kg push` call `current_topics`, which recomputes them (whole-corpus reads in one snapshot,
kg.graph.topics, one write transaction) when the store's revision moved on, and otherwise reads them. While
another `kg load` writes, the topics are computed from the last committed state and shown, but not stored.
"""
from __future__ import annotations

import time
from typing import Callable

from ..errors import BackendError
from ..graph.topics import TopicResult, compute_topics
from ..store.local import LocalStore


def compute_store_topics(store: LocalStore, method: str = "leiden") -> tuple[TopicResult, int]:
    """Topics of the store's current state and the revision they were computed from."""
    with store.snapshot():
        revision = store.revision()
        corpus = store.topic_corpus()
    return compute_topics(corpus, method=method), revision


def current_topics(store: LocalStore, force: bool = False,
                   on_compute: Callable[[str], None] | None = None) -> dict:
    """The store's topics, computed first when stale (or `force`): {"topics": [Topic], "state": meta,
    "computed": seconds or None, "stored": bool, and "members" when they were not stored}."""
    if force or store.topics_stale():
        started = time.perf_counter()
        if on_compute:
            on_compute(f"computing topics of revision {store.revision()} …")
        result, revision = compute_store_topics(store)
        stored = False
        try:
            with store.load_lock(wait=False):
                stored = True
                store.write_topics(result, revision)
        except BackendError:
            if stored:
                raise
            # a load is writing: show these topics, compute them again next time
        state = {"revision": revision, "digest": result.digest(), **result.summary}
        return {"topics": result.topics, "state": state, "computed": round(time.perf_counter() - started, 2),
                "stored": stored, "members": result.membership}
    return {"topics": store.topics(), "state": store.topics_state(), "computed": None, "stored": True}


__all__ = ["current_topics", "compute_store_topics"]
