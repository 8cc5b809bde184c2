"""`kg topics`: the stored topics as one report, in the same shape whichever backend holds them."""
from __future__ import annotations

import json
from typing import Iterable

from ..graph.topics import Topic


def topics_report(topics: Iterable[Topic], state: dict | None) -> dict:
    """{revision, papers, with/without topic, modularity, method, graph, topics: [...]} (no internal digest)."""
    state = json.loads(json.dumps({k: v for k, v in (state or {}).items() if k != "digest"}, sort_keys=True))
    # (keys in one order at every depth: both backends print the same text)
    return {**state, "topics": [topic_row(t) for t in sorted(topics, key=lambda t: t.id)]}


def topic_row(topic: Topic) -> dict:
    return {"id": topic.id, "name": topic.name, "papers": topic.papers, "members": topic.members,
            "entities": [{"id": e, "name": n} for e, n in zip(topic.entities, topic.names)],
            "authors": list(topic.authors), "trend": json.loads(json.dumps(topic.trend, sort_keys=True))}


def trend_text(trend: dict) -> str:
    """"+1.2 pp (340 recent / 1,200 before)" or what is known without years."""
    undated = f"{trend['undated']} without a year" if trend.get("undated") else ""
    if trend.get("change") is None:
        return undated or "-"
    return f"{trend['change']:+.2f} pp ({trend['recent']} recent / {trend['before']} before)" + (
        f"; {undated}" if undated else "")


__all__ = ["topics_report", "topic_row", "trend_text"]
