"""Topics in the embedded store: what they are computed from, writing them, and indexed reads of them.

Topics are derived data: `topics` holds one row per topic, `topic_members` the topic of every paper and entity
that has one, and meta "topics" the store revision they were computed from. A load does not touch them; it
bumps the revision, which makes them stale, and `kg topics` or `kg push` computes them again (see
kg.app.topics). The tables are created by the first topic write, so stores written before topics existed are
read as "no topics yet" without a schema change.
"""
from __future__ import annotations

import json
from typing import Iterable

from ..graph.schema import AUTHORED, FIELD_LABELS, PAPER, node_id
from ..graph.topics import Topic, TopicCorpus, TopicResult
from .schema import TOPIC_STATEMENTS
from .sql import chunks, dumps, marks

TOPICS_META = "topics"


class TopicStore:
    """Topic reads and the topic write (mixed into LocalStore)."""

    # -- what topics are computed from (whole-corpus reads, through covering indexes) -----------------
    def topic_corpus(self) -> TopicCorpus:
        """Papers, their entity links (links_by_node ranges per entity label, no record or evidence is read),
        authors and years; call inside snapshot() so they agree with revision()."""
        conn = self.conn
        papers, years = [], {}
        for pid, date in conn.execute("SELECT id, date FROM papers INDEXED BY papers_by_date"):
            nid = node_id(PAPER, pid)
            papers.append(nid)
            head = (date or "")[:4]
            years[nid] = int(head) if len(head) == 4 and head.isascii() and head.isdigit() else None
        links = []
        for label in FIELD_LABELS:
            prefix = label.lower() + ":"
            links += [(node_id(PAPER, p), n) for p, n in conn.execute(
                "SELECT paper, node FROM links INDEXED BY links_by_node WHERE node >= ? AND node < ? AND type != ?",
                (prefix, prefix[:-1] + ";", AUTHORED))]
        names = dict(conn.execute("SELECT id, name FROM nodes WHERE label != 'Author'"))
        author_names = dict(conn.execute("SELECT id, name FROM nodes WHERE label = 'Author'"))
        authors: dict[str, list[str]] = {}
        for p, a in conn.execute("SELECT paper, node FROM links INDEXED BY links_by_node "
                                 "WHERE node >= 'author:' AND node < 'author;'"):
            authors.setdefault(node_id(PAPER, p), []).append(author_names.get(a, a))
        return TopicCorpus(papers=papers, links=links, years=years, authors=authors, names=names)

    # -- write ------------------------------------------------------------------------------------
    def write_topics(self, result: TopicResult, revision: int) -> None:
        """Replace the stored topics in one transaction, recording the revision they were computed from."""
        with self.transaction() as conn:
            for statement in TOPIC_STATEMENTS:
                conn.execute(statement)
            conn.execute("DELETE FROM topics")
            conn.execute("DELETE FROM topic_members")
            conn.executemany("INSERT INTO topics (id, name, papers, data) VALUES (?, ?, ?, ?)",
                             ((t.id, t.name, t.papers, dumps(t.to_dict())) for t in result.topics))
            conn.executemany("INSERT INTO topic_members (node, topic) VALUES (?, ?)", sorted(result.membership.items()))
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         (TOPICS_META, dumps({"revision": revision, "digest": result.digest(), **result.summary})))

    # -- reads ------------------------------------------------------------------------------------
    def topics_state(self) -> dict | None:
        """{"revision", "digest", papers, modularity, …} of the stored topics, or None when never computed."""
        return self.meta(TOPICS_META) if self.exists() else None

    def topics_stale(self) -> bool:
        state = self.topics_state()
        return state is None or state.get("revision") != self.revision()

    def _has_topics(self) -> bool:
        return bool(self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'topic_members'")
                    .fetchone())

    def topics(self) -> list[Topic]:
        """The stored topics, id order (1 = most papers)."""
        if not self._has_topics():
            return []
        return [Topic.from_dict(json.loads(data)) for (data,) in self.conn.execute("SELECT data FROM topics ORDER BY id")]

    def topic_of_nodes(self, node_ids: Iterable[str]) -> dict[str, int]:
        """node id ("paper:…", "method:…") → topic id, for the nodes that have one (primary-key lookups)."""
        if not self._has_topics():
            return {}
        out = {}
        for part in chunks(sorted(set(node_ids))):
            out.update(self.conn.execute(f"SELECT node, topic FROM topic_members WHERE node IN ({marks(part)})", part))
        return out

    def topic_names_of(self, node_ids: Iterable[str]) -> dict[str, str]:
        """node id → the name of its topic."""
        of = self.topic_of_nodes(node_ids)
        if not of:
            return {}
        names = dict(self.conn.execute("SELECT id, name FROM topics"))
        return {nid: names[t] for nid, t in of.items() if t in names}

    def iter_topic_members(self):
        """(node id, topic id) of every member, in node id order (a push of the topics)."""
        if not self._has_topics():
            return iter(())
        return iter(self.conn.execute("SELECT node, topic FROM topic_members ORDER BY node"))

    def dates_of_topic(self, topic: int) -> list[str | None]:
        """The date (or None) of every paper of a topic, through topic_members_by_topic."""
        if not self._has_topics():
            return []
        return [r[0] for r in self.conn.execute(
            "SELECT p.date FROM topic_members m JOIN papers p ON p.id = substr(m.node, 7) "
            "WHERE m.topic = ? AND m.node >= 'paper:' AND m.node < 'paper;'", (topic,))]
