"""The embedded store's SQLite schema: one statement list, one version number.

Layout: `papers` holds the merged Paper records (the input of extraction) with the derived columns reads
need; `nodes` holds authors and entities; `links` holds every paper–node relationship once, with the paper
on the left whatever the graph direction (AUTHORED runs author → paper in the graph). `terms` is the word
index name lookups use; `candidates` is the per-paper extraction cache and `resolved` the per-paper state of
the corpus step (what a load needs to redo only what changed); `tombstones` remember deletions
until Neo4j has seen them; `variants` holds which paper named which variant of which parent (the VARIANT_OF
relationships are its distinct (variant, parent) pairs; a parent node exists while some paper links it or
names a variant of it). Every row written by a load carries that load's revision, so a push can send
only what changed. `topics` and `topic_members` hold the derived topics (kg.store.local_topics); they are
created by the first topic write too, so older stores need no schema change.
"""
from __future__ import annotations

SCHEMA_VERSION = 1

TOPIC_STATEMENTS = (
    """CREATE TABLE IF NOT EXISTS topics (
        id INTEGER PRIMARY KEY,          -- 1 = most papers
        name TEXT NOT NULL,
        papers INTEGER NOT NULL,
        data TEXT NOT NULL               -- kg.graph.topics.Topic as JSON
    )""",
    """CREATE TABLE IF NOT EXISTS topic_members (
        node TEXT PRIMARY KEY,           -- a paper or entity node id ("paper:…", "method:…")
        topic INTEGER NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS topic_members_by_topic ON topic_members (topic, node)",
)

STATEMENTS = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS papers (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        date TEXT,                       -- the record's date as given ("2021-03-01", "--08-28"): `kg trends`
        record BLOB NOT NULL,            -- Paper.to_dict() as packed JSON (sql.pack)
        title_sort TEXT NOT NULL,        -- casefolded title: `kg papers` order
        text_hash TEXT NOT NULL,         -- hash of title + abstract: extraction input
        links_hash TEXT,                 -- digest of this paper's links as last written
        rev INTEGER NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS papers_by_title ON papers (title_sort, id)",
    "CREATE INDEX IF NOT EXISTS papers_by_rev ON papers (rev)",
    "CREATE INDEX IF NOT EXISTS papers_by_date ON papers (date, id)",
    """CREATE TABLE IF NOT EXISTS nodes (
        id TEXT PRIMARY KEY,             -- "<label lower>:<key>"
        label TEXT NOT NULL,
        key TEXT NOT NULL,
        name TEXT NOT NULL,
        attrs TEXT NOT NULL,             -- every graph property as JSON
        papers INTEGER NOT NULL,
        hash TEXT NOT NULL,
        rev INTEGER NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS nodes_by_label ON nodes (label, papers DESC)",
    "CREATE INDEX IF NOT EXISTS nodes_by_rev ON nodes (rev)",
    """CREATE TABLE IF NOT EXISTS links (
        paper TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        node TEXT NOT NULL,              -- a node id; nodes without links are removed by the same write
        type TEXT NOT NULL,
        attrs BLOB NOT NULL,             -- every property as packed JSON (sql.pack)
        aliases TEXT,                    -- the link's surface forms (JSON), for the node's alias list
        kb INTEGER NOT NULL DEFAULT 0,   -- 1 when a KB rule found it
        rev INTEGER NOT NULL,
        PRIMARY KEY (paper, node, type)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS links_by_node ON links (node, paper)",
    """CREATE TABLE IF NOT EXISTS terms (
        term TEXT NOT NULL,
        node TEXT NOT NULL,
        PRIMARY KEY (term, node)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS terms_by_node ON terms (node)",
    """CREATE TABLE IF NOT EXISTS candidates (
        paper TEXT PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
        text_hash TEXT NOT NULL,
        extractor TEXT NOT NULL,
        data BLOB NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS resolved (
        paper TEXT PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
        contrib BLOB NOT NULL,           -- what the paper adds to the corpus tables (packed JSON)
        titled INTEGER NOT NULL,         -- the paper has a title (hits read it)
        deps BLOB NOT NULL,              -- the table entries its resolution read (packed JSON)
        deps_hash TEXT NOT NULL,         -- their values then
        chosen BLOB NOT NULL,            -- its chosen mentions with identity
        chosen_hash TEXT NOT NULL,
        votes BLOB NOT NULL,             -- what it says about identity (packed JSON)
        hits_sig TEXT NOT NULL           -- what its hits were built from
    )""",
    """CREATE TABLE IF NOT EXISTS tombstones (
        kind TEXT NOT NULL,              -- "node" or "link"
        id TEXT NOT NULL,                -- node id, or "paper|type|node"
        rev INTEGER NOT NULL,
        PRIMARY KEY (kind, id)
    ) WITHOUT ROWID""",
    # Added after schema 1 without a version bump (additive; a load creates it in an older store):
    # (variant)-[:VARIANT_OF]->(parent) as named by one paper's links, rewritten with them.
    """CREATE TABLE IF NOT EXISTS variants (
        paper TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
        variant TEXT NOT NULL,           -- node id of the whole name ("method:gumbel tree-lstm")
        parent TEXT NOT NULL,            -- node id of the known name inside it ("method:tree-lstm")
        parent_name TEXT NOT NULL,       -- the parent's display name (for a parent no paper links)
        rev INTEGER NOT NULL,
        PRIMARY KEY (paper, variant, parent)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS variants_by_parent ON variants (parent, variant)",
    "CREATE INDEX IF NOT EXISTS variants_by_variant ON variants (variant, parent)",
    "CREATE INDEX IF NOT EXISTS variants_by_rev ON variants (rev)",
    *TOPIC_STATEMENTS,
)
