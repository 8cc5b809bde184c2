"""`kg push`: stream the local store into Neo4j in batches, sending only what changed since the last
complete push from this store. A mark in the database says "incomplete" until a push finishes, so an
interrupted push is visible (`kg stats --neo4j` warns) and the next push simply runs again."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from ..store.local import LocalStore


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
    from ..store.neo4j import RowWriter, counts, ensure_schema, mark_push, push_state

    ensure_schema(driver, database)
    state = push_state(driver, database)
    plan = plan_push(store, None if full else state)
    if on_plan:
        on_plan(plan)
    store_id = store.meta("store_id")
    mark_push(driver, database, state="incomplete", store=store_id,
              revision=plan.base,
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
    mark_push(driver, database, state="complete", store=store_id, revision=plan.target,
              finished=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    return {"written": writer.written, "from_revision": plan.base, "to_revision": plan.target,
            "totals": counts(driver, database)}


__all__ = ["push_store", "plan_push", "PushPlan"]
