"""`kg push`: stream the local store into Neo4j in batches, sending only what changed since the last
complete push from this store. A mark in the database says "incomplete" until a push finishes, so an
interrupted push is visible (`kg stats --neo4j` warns) and the next push simply runs again.

Topics are computed first when the store changed since they were (kg.app.topics), and sent only when their
digest differs from the one the mark records: then the database's topics are replaced as a whole (topic ids
are renumbered by size on every computation, so there is nothing smaller to send)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from ..store.local import LocalStore
from .topics import current_topics


@dataclass
class PushPlan:
    base: int  # revision the database already holds (0: everything is sent)
    target: int
    items: int


def plan_push(store: LocalStore, state: dict | None) -> PushPlan:
    """From which revision to send: the last complete push of this very store, else from scratch."""
    target = store.revision()
    base = 0
    if state and state.get("store") == store.meta("store_id") and isinstance(state.get("revision"), int):
        base = min(state["revision"], target)
    changed = store.changed_since(base)
    return PushPlan(base, target, sum(changed.values()))


def push_store(store: LocalStore, driver, database: str, batch_size: int = 5000,
               progress: Callable[[int], None] | None = None, on_plan: Callable[[PushPlan], None] | None = None,
               full: bool = False) -> dict:
    import json

    from ..store.neo4j import RowWriter, counts, ensure_schema, mark_push, push_state, write_topics

    topics = current_topics(store)
    ensure_schema(driver, database)
    state = push_state(driver, database)
    plan = plan_push(store, None if full else state)
    if on_plan:
        on_plan(plan)
    store_id = store.meta("store_id")
    digest = topics["state"]["digest"]
    send_topics = full or not plan.base or (state or {}).get("topics") != digest
    mark_push(driver, database, state="incomplete", store=store_id,
              revision=plan.base, **({"topics": ""} if send_topics else {}),
              started=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    writer = RowWriter(driver, database, batch_size, progress)
    if plan.base:
        writer.delete(store.iter_tombstones(plan.base))
    for attrs in store.iter_changed_papers(plan.base):
        writer.node(attrs)
    for attrs in store.iter_changed_nodes(plan.base):
        writer.node(attrs)
    writer.flush()
    for paper, other, rel_type, attrs in store.iter_changed_links(plan.base):
        writer.link(paper, other, rel_type, attrs)
    for variant, parent in store.iter_changed_variants(plan.base):
        writer.variant(variant, parent)
    writer.flush()
    topic_report = {"sent": send_topics}
    if send_topics:
        topic_report.update(write_topics(driver, database, topics["topics"], store.iter_topic_members()
                                         if topics["stored"] else _members(topics), batch_size))
    mark_push(driver, database, state="complete", store=store_id, revision=plan.target, topics=digest,
              topics_summary=json.dumps({k: v for k, v in topics["state"].items() if k != "digest"},
                                        ensure_ascii=False, sort_keys=True),
              finished=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    return {"written": writer.written, "topics": topic_report, "from_revision": plan.base,
            "to_revision": plan.target, "totals": counts(driver, database)}


def _members(topics: dict):
    """(node id, topic id) of topics computed but not stored (a load was writing)."""
    return sorted(topics["members"].items())


__all__ = ["push_store", "plan_push", "PushPlan"]
