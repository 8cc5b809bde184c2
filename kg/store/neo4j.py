"""Neo4j backend: settings, a verified connection, the schema, and graph push/pull in the networkx schema.

The graph schema is the one of docs/design.md, so a push followed by a pull gives back an equal
MultiDiGraph. Writes are batched `UNWIND $rows AS row MERGE ... SET x = row.props` statements, one
transaction per batch: pushing the same graph twice changes nothing, and a changed property replaces
the stored one. Labels and relationship types come from the fixed schema (never from data); all
values travel as parameters.
"""
from __future__ import annotations

import json
import logging
import os
import re
import weakref
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

import networkx as nx
import neo4j
from neo4j import exceptions as neo4j_errors

from ..errors import BackendError, ConfigError
from ..graph.build import graph_counts
from ..graph.rows import index_terms
from ..graph.schema import LABELS, REL_TYPES, VARIANT_OF, node_id, split_node_id

DEFAULT_URI = "bolt://127.0.0.1:7687"
DEFAULT_USERNAME = "neo4j"
DEFAULT_DATABASE = "neo4j"
CONNECTION_TIMEOUT = 10.0
# How long the driver may retry a failed transaction (its own default is 30 s); KG_NEO4J_RETRY_SECONDS overrides.
DEFAULT_RETRY_SECONDS = 10.0
RETRY_SETTING = "KG_NEO4J_RETRY_SECONDS"
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_DRIVER_SETTINGS: "weakref.WeakKeyDictionary[neo4j.Driver, Neo4jSettings]" = weakref.WeakKeyDictionary()

# Neo4j has no map-valued properties: evidence is stored as JSON and its best mention flattened.
EVIDENCE = "evidence"
FLATTENED_MENTION = ("sentence", "field", "start", "end")
SEARCH = "search"


def cypher_dir(env: Mapping[str, str] = os.environ) -> Path:
    """The Cypher files: KG_CYPHER_DIR when set, else the copy shipped in the package (kg.cypher, which is
    the repo's cypher/ folder in a source checkout)."""
    override = env.get("KG_CYPHER_DIR")
    if override:
        return Path(override)
    from importlib.util import find_spec

    spec = find_spec("kg.cypher")
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return Path(__file__).resolve().parents[2] / "cypher"


# ---------------------------------------------------------------------------------------------- settings

def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file; comments, blank lines and an `export ` prefix are allowed."""
    values: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return values
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name.strip()] = value
    return values


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and how to connect; the password never appears in repr or messages."""

    uri: str = DEFAULT_URI
    username: str = DEFAULT_USERNAME
    password: str = field(default="", repr=False)
    database: str = DEFAULT_DATABASE
    retry_seconds: float = DEFAULT_RETRY_SECONDS

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, dotenv: str | Path | None = ".env") -> "Neo4jSettings":
        """NEO4J_URI/USERNAME/PASSWORD/DATABASE and KG_NEO4J_RETRY_SECONDS from the environment, then from
        `dotenv` (environment wins)."""
        merged = {**(read_dotenv(Path(dotenv)) if dotenv else {}), **env}
        password = merged.get("NEO4J_PASSWORD") or ""
        if not password:
            raise ConfigError("NEO4J_PASSWORD is not set: export it or put it in .env (see .env.example)")
        database = merged.get("NEO4J_DATABASE") or DEFAULT_DATABASE
        _check_database(database)
        return cls(uri=merged.get("NEO4J_URI") or DEFAULT_URI,
                   username=merged.get("NEO4J_USERNAME") or DEFAULT_USERNAME,
                   password=password, database=database,
                   retry_seconds=_retry_seconds(merged.get(RETRY_SETTING)))


def _check_database(name: str) -> None:
    """`system` is the server's administration database: every graph statement fails there with a puzzling
    "Not a recognised system command", so refuse it up front."""
    if name.strip().lower() == "system":
        raise ConfigError(f"NEO4J_DATABASE={name} must name a graph database (e.g. {DEFAULT_DATABASE}), "
                          "not `system`, the server's administration database")


def _retry_seconds(text: str | None) -> float:
    """KG_NEO4J_RETRY_SECONDS as a finite number of seconds >= 0 (0: fail at the first error)."""
    if text is None or not text.strip():
        return DEFAULT_RETRY_SECONDS
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise ConfigError(f"{RETRY_SETTING}={text} must be a number of seconds from 0 to 3600 "
                          f"(default {DEFAULT_RETRY_SECONDS:g})")
    return value


# -------------------------------------------------------------------------------------------- connection

def _one_line(exc: BaseException) -> str:
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())


def connect(settings: Neo4jSettings) -> neo4j.Driver:
    """A driver that has logged in and reached the database, or a one-line error naming the setting to fix.

    Server notifications (e.g. "label does not exist yet" on an empty database) are switched off and the
    driver's own log kept off stderr (see quiet_driver_logs); failed transactions are retried for at most
    `settings.retry_seconds`, so a dead server ends in one error line within a bounded time.
    """
    scheme = settings.uri.partition("://")[0].lower()
    if "://" not in settings.uri or scheme not in BOLT_SCHEMES:
        raise ConfigError(f"NEO4J_URI={settings.uri} is not a Bolt URI: use one of "
                          f"{', '.join(s + '://' for s in BOLT_SCHEMES)} (e.g. {DEFAULT_URI})")
    _check_database(settings.database)
    quiet_driver_logs()
    try:
        driver = neo4j.GraphDatabase.driver(settings.uri, auth=(settings.username, settings.password),
                                            connection_timeout=CONNECTION_TIMEOUT,
                                            max_transaction_retry_time=settings.retry_seconds,
                                            notifications_min_severity="OFF")
    except (ValueError, neo4j_errors.ConfigurationError) as exc:
        raise ConfigError(f"NEO4J_URI={settings.uri} is not a usable Neo4j URI ({_one_line(exc)})") from None
    try:
        with _backend_errors(settings):
            driver.verify_connectivity()
            driver.execute_query("RETURN 1", database_=settings.database)
    except BaseException:
        driver.close()
        raise
    _DRIVER_SETTINGS[driver] = settings
    return driver


def quiet_driver_logs() -> None:
    """Keep the driver's log lines ("Transaction failed and will be retried", "[#E1C8] … <CONNECTION> error")
    off stderr: with no handler configured Python prints warnings there, ahead of kg's own one-line error.
    The driver raises every failure it logs, so nothing is lost. A handler someone configured stays."""
    logger = logging.getLogger("neo4j")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
        logger.setLevel(logging.CRITICAL)
        logger.propagate = False


@contextmanager
def _backend_errors(settings: Neo4jSettings) -> Iterator[None]:
    """Translate driver exceptions into BackendError messages that say which setting to look at."""
    try:
        yield
    except neo4j_errors.AuthError as exc:
        raise BackendError(f"Neo4j at {settings.uri} rejected the login of NEO4J_USERNAME={settings.username}: "
                           f"check NEO4J_PASSWORD ({_one_line(exc)})") from None
    except neo4j_errors.ClientError as exc:
        if exc.code and ".Security." in exc.code:
            raise BackendError(f"Neo4j at {settings.uri} refused NEO4J_USERNAME={settings.username}: "
                               f"check NEO4J_PASSWORD ({_one_line(exc)})") from None
        if exc.code and "DatabaseNotFound" in exc.code:
            raise BackendError(f"Neo4j at {settings.uri} has no database NEO4J_DATABASE={settings.database} "
                               "(Community edition has only 'neo4j')") from None
        raise BackendError(f"Neo4j refused a request: {_one_line(exc)}") from None
    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as exc:
        raise BackendError(f"cannot reach Neo4j at NEO4J_URI={settings.uri} (is the server running? "
                           f"scripts/neo4j-local start): {_one_line(exc)}") from None
    except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
        raise BackendError(f"Neo4j at {settings.uri} failed: {_one_line(exc)}") from None


def _settings_of(driver: neo4j.Driver, database: str) -> Neo4jSettings:
    """The settings `connect` used for this driver, so later errors can name the URI and database too."""
    known = _DRIVER_SETTINGS.get(driver) or Neo4jSettings(uri="(NEO4J_URI unknown)", username="(unknown)")
    return Neo4jSettings(uri=known.uri, username=known.username, database=database)


# ------------------------------------------------------------------------------------------------ schema

def schema_statements(path: Path | None = None) -> list[str]:
    """The statements of cypher/schema.cypher: `;`-separated, whole-line `//` comments dropped."""
    path = path or cypher_dir() / "schema.cypher"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise ConfigError(f"{path}: schema file not found (set KG_CYPHER_DIR to the repo's cypher/ folder)") from None
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [statement.strip() for statement in body.split(";") if statement.strip()]


def ensure_schema(driver: neo4j.Driver, database: str = DEFAULT_DATABASE) -> int:
    """Create the uniqueness constraints and full-text index when missing; returns the statements run.
    A full-text index made by an older kg over other labels or properties (`IF NOT EXISTS` would keep it)
    is dropped and made again from the file."""
    statements = schema_statements()
    with _backend_errors(_settings_of(driver, database)), driver.session(database=database) as session:
        existing = {r["name"]: (set(r["labelsOrTypes"] or []), set(r["properties"] or [])) for r in session.run(
            "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties RETURN name, labelsOrTypes, properties")}
        for statement in statements:
            wanted = fulltext_shape(statement)
            if wanted and wanted[0] in existing and existing[wanted[0]] != wanted[1:]:
                session.run(f"DROP INDEX {wanted[0]} IF EXISTS").consume()
            session.run(statement).consume()
    return len(statements)


_FULLTEXT = re.compile(r"CREATE\s+FULLTEXT\s+INDEX\s+(\w+)\s+IF\s+NOT\s+EXISTS\s+FOR\s+\(\s*\w+\s*:\s*([\w|]+)\s*\)"
                       r"\s+ON\s+EACH\s+\[([^\]]*)\]", re.IGNORECASE)


def fulltext_shape(statement: str) -> tuple[str, set[str], set[str]] | None:
    """(name, labels, properties) of a CREATE FULLTEXT INDEX statement, or None for any other statement."""
    match = _FULLTEXT.search(statement)
    if not match:
        return None
    properties = {p.strip().partition(".")[2] for p in match.group(3).split(",") if p.strip()}
    return match.group(1), set(match.group(2).split("|")), properties


# ------------------------------------------------------------------------------------------ push / pull

def _storable(value, where: str):
    """Neo4j properties are scalars or homogeneous lists of scalars; say which attribute breaks that."""
    scalars = (str, int, float, bool)
    if isinstance(value, scalars) or (isinstance(value, list) and all(isinstance(v, scalars) for v in value)):
        return value
    raise BackendError(f"{where}: value of type {type(value).__name__} cannot be stored in Neo4j")


def _node_props(nid: str, data: dict) -> dict:
    """Properties as stored: `search` holds the node's lookup words for the full-text index (the same
    words the embedded store indexes), so name lookups agree on both backends."""
    props = {name: _storable(value, f"node {nid} attribute {name}")
             for name, value in data.items() if name not in ("label", SEARCH) and value is not None}
    props[SEARCH] = " ".join(sorted(index_terms(data)))
    return props


def _edge_props(where: str, data: dict) -> dict:
    props = {}
    for name, value in data.items():
        if name == "type" or value is None:
            continue
        if name == EVIDENCE:
            props[EVIDENCE] = json.dumps(value, ensure_ascii=False)
            if value:
                best = max(value, key=lambda mention: mention.get("confidence", 0.0))
                props.update({k: best[k] for k in FLATTENED_MENTION if best.get(k) is not None})
        else:
            props[name] = _storable(value, f"{where} attribute {name}")
    return props


def _node_query(label: str) -> str:
    assert label in LABELS
    return f"UNWIND $rows AS row MERGE (n:{label} {{key: row.key}}) SET n = row.props"


def _edge_query(source_label: str, rel_type: str, target_label: str) -> str:
    assert source_label in LABELS and target_label in LABELS and rel_type in REL_TYPES
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{source_label} {{key: row.source}}) MATCH (b:{target_label} {{key: row.target}}) "
            f"MERGE (a)-[r:{rel_type}]->(b) SET r = row.props")


def push_graph(driver: neo4j.Driver, graph: nx.MultiDiGraph, database: str = DEFAULT_DATABASE,
               batch_size: int = 1000, progress: Callable[[int], None] | None = None) -> dict:
    """Write an in-memory graph (tests, small graphs): nodes, then relationships, through the same batched
    RowWriter as `kg push`. Returns what was written and what was new."""
    writer = RowWriter(driver, database, batch_size, progress)
    for _nid, data in graph.nodes(data=True):
        writer.node(data)
    writer.flush()
    for source, target, rel_type, data in graph.edges(keys=True, data=True):
        if rel_type == VARIANT_OF:
            writer.variant(source, target)
            continue
        paper, other = (target, source) if rel_type == "AUTHORED" else (source, target)
        writer.link(graph.nodes[paper].get("key"), other, rel_type, data)
    writer.flush()
    return writer.written


def _schema_label(labels: list[str]) -> str | None:
    return next((label for label in labels if label in LABELS), None)


def _edge_attrs(rel_type: str, props: dict) -> dict:
    attrs = dict(props)
    if EVIDENCE in attrs:
        attrs[EVIDENCE] = json.loads(attrs[EVIDENCE])
        for name in FLATTENED_MENTION:
            attrs.pop(name, None)
    attrs["type"] = rel_type
    return attrs


def pull_graph(driver: neo4j.Driver, database: str = DEFAULT_DATABASE) -> nx.MultiDiGraph:
    """Read every schema node and relationship back into the networkx schema (inverse of push_graph)."""
    graph = nx.MultiDiGraph()
    label_filter = " OR ".join(f"n:{label}" for label in LABELS)
    with _backend_errors(_settings_of(driver, database)), driver.session(database=database) as session:
        nodes = session.execute_read(lambda tx: [
            (r["labels"], r["props"]) for r in tx.run(f"MATCH (n) WHERE {label_filter} "
                                                      "RETURN labels(n) AS labels, properties(n) AS props")])
        edges = session.execute_read(lambda tx: [
            (r["source"], r["type"], r["target"], r["props"]) for r in tx.run(
                f"MATCH (n)-[r]->(m) WHERE ({label_filter}) AND type(r) IN $types "
                "RETURN [labels(n), n.key] AS source, type(r) AS type, [labels(m), m.key] AS target, "
                "properties(r) AS props", types=list(REL_TYPES))])
    for labels, props in nodes:
        label = _schema_label(labels)
        props.pop(SEARCH, None)
        graph.add_node(node_id(label, props["key"]), label=label, **props)
    for (source_labels, source_key), rel_type, (target_labels, target_key), props in edges:
        source_label, target_label = _schema_label(source_labels), _schema_label(target_labels)
        if target_label is None:  # a relationship to a node outside the schema is not part of the graph
            continue
        source, target = node_id(source_label, source_key), node_id(target_label, target_key)
        graph.add_edge(source, target, key=rel_type, **_edge_attrs(rel_type, props))
    return graph


def counts(driver: neo4j.Driver, database: str = DEFAULT_DATABASE) -> dict:
    """Nodes per label and relationships per type, same shape as kg.graph.graph_counts (zeros included)."""
    result = graph_counts(nx.MultiDiGraph())
    with _backend_errors(_settings_of(driver, database)), driver.session(database=database) as session:
        for label in LABELS:
            result["nodes"][label] = session.run(f"MATCH (n:{label}) RETURN count(n) AS n").single()["n"]
        for rel_type in REL_TYPES:
            result["relationships"][rel_type] = session.run(
                f"MATCH ()-[r:{rel_type}]->() RETURN count(r) AS n").single()["n"]
    return result


# ----------------------------------------------------------------------------------- streaming push

PUSH_MARK = "KgPush"  # one node recording the last complete push; "incomplete" while a push runs


def push_state(driver: neo4j.Driver, database: str = DEFAULT_DATABASE) -> dict | None:
    """{"state", "store", "revision"} of the last push into this database, or None when none was made."""
    with _backend_errors(_settings_of(driver, database)), driver.session(database=database) as session:
        record = session.run(f"MATCH (m:{PUSH_MARK}) RETURN properties(m) AS props LIMIT 1").single()
    return dict(record["props"]) if record else None


def mark_push(driver: neo4j.Driver, database: str, **props) -> None:
    with _backend_errors(_settings_of(driver, database)), driver.session(database=database) as session:
        session.execute_write(lambda tx: tx.run(f"MERGE (m:{PUSH_MARK} {{id: 'push'}}) SET m += $props",
                                                props=props).consume())


def _batched(rows: Iterator, size: int) -> Iterator[list]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class RowWriter:
    """Writes node and link rows as they stream in, one UNWIND transaction per batch and per
    (label) or (source label, type, target label) group; counts what was written and created."""

    def __init__(self, driver: neo4j.Driver, database: str, batch_size: int,
                 progress: Callable[[int], None] | None = None):
        if batch_size < 1:
            raise ConfigError(f"batch size must be at least 1, got {batch_size}")
        self.driver, self.database, self.batch_size, self.progress = driver, database, batch_size, progress
        self.written = {"nodes": {label: 0 for label in LABELS}, "relationships": {rel: 0 for rel in REL_TYPES},
                        "deleted": {"nodes": 0, "relationships": 0}, "created": {"nodes": 0, "relationships": 0}}
        self.done = 0
        self._pending: dict[tuple, list] = defaultdict(list)

    def node(self, data: dict) -> None:
        label = data.get("label")
        if label not in LABELS or "key" not in data:
            raise BackendError(f"node {data.get('key')}: label {label!r} or key missing")
        self._add(("node", label), {"key": data["key"], "props": _node_props(node_id(label, data["key"]), data)})

    def link(self, paper_key: str, other: str, rel_type: str, attrs: dict) -> None:
        if rel_type not in REL_TYPES:
            raise BackendError(f"link {paper_key} -> {other}: type {rel_type!r} is not one of {', '.join(REL_TYPES)}")
        other_label, other_key = split_node_id(other)
        props = _edge_props(f"link {paper_key} -{rel_type}-> {other}", attrs)
        if rel_type == "AUTHORED":
            self._add(("edge", other_label, rel_type, "Paper"), {"source": other_key, "target": paper_key, "props": props})
        else:
            self._add(("edge", "Paper", rel_type, other_label), {"source": paper_key, "target": other_key, "props": props})

    def variant(self, variant: str, parent: str) -> None:
        """(variant)-[:VARIANT_OF]->(parent) between two entity nodes (no properties)."""
        (source_label, source_key), (target_label, target_key) = split_node_id(variant), split_node_id(parent)
        if source_label not in LABELS or target_label not in LABELS:
            raise BackendError(f"variant {variant} -> {parent}: not a node id of the schema")
        self._add(("edge", source_label, VARIANT_OF, target_label), {"source": source_key, "target": target_key,
                                                                     "props": {}})

    def _add(self, group: tuple, row: dict) -> None:
        rows = self._pending[group]
        rows.append(row)
        if len(rows) >= self.batch_size:
            self._write(group, rows)
            self._pending[group] = []

    def flush(self) -> None:
        for group, rows in list(self._pending.items()):
            if rows:
                self._write(group, rows)
        self._pending.clear()

    def _write(self, group: tuple, rows: list) -> None:
        if group[0] == "node":
            query, kind, name = _node_query(group[1]), "nodes", group[1]
        else:
            query, kind, name = _edge_query(*group[1:]), "relationships", group[2]
        with _backend_errors(_settings_of(self.driver, self.database)), \
                self.driver.session(database=self.database) as session:
            counters = session.execute_write(lambda tx: tx.run(query, rows=rows).consume().counters)
        self.written[kind][name] += len(rows)
        self.written["created"]["nodes"] += counters.nodes_created
        self.written["created"]["relationships"] += counters.relationships_created
        self.done += len(rows)
        if self.progress:
            self.progress(self.done)

    def delete(self, tombstones: Iterable[tuple[str, str]]) -> None:
        """Remove links and nodes that the local store no longer has."""
        links, nodes, variants = defaultdict(list), defaultdict(list), defaultdict(list)
        for kind, ident in tombstones:
            if kind == "variant":
                (source_label, source), (target_label, target) = map(split_node_id, json.loads(ident))
                if source_label in LABELS and target_label in LABELS:
                    variants[(source_label, target_label)].append({"source": source, "target": target})
            elif kind == "link":
                paper_key, rel_type, other = ident.split("|", 2)
                label, key = split_node_id(other)
                if rel_type in REL_TYPES and label in LABELS:
                    links[(rel_type, label)].append({"paper": paper_key, "other": key})
            else:
                label, key = split_node_id(ident)
                if label in LABELS:
                    nodes[label].append(key)
        with _backend_errors(_settings_of(self.driver, self.database)), \
                self.driver.session(database=self.database) as session:
            for (rel_type, label), rows in links.items():
                for batch in _batched(iter(rows), self.batch_size):
                    pattern = (f"(a:{label} {{key: row.other}})-[r:{rel_type}]->(b:Paper {{key: row.paper}})"
                               if rel_type == "AUTHORED" else
                               f"(b:Paper {{key: row.paper}})-[r:{rel_type}]->(a:{label} {{key: row.other}})")
                    counters = session.execute_write(lambda tx: tx.run(
                        f"UNWIND $rows AS row MATCH {pattern} DELETE r", rows=batch).consume().counters)
                    self.written["deleted"]["relationships"] += counters.relationships_deleted
            for (source_label, target_label), rows in variants.items():
                for batch in _batched(iter(rows), self.batch_size):
                    counters = session.execute_write(lambda tx: tx.run(
                        f"UNWIND $rows AS row MATCH (a:{source_label} {{key: row.source}})-[r:{VARIANT_OF}]->"
                        f"(b:{target_label} {{key: row.target}}) DELETE r", rows=batch).consume().counters)
                    self.written["deleted"]["relationships"] += counters.relationships_deleted
            for label, keys in nodes.items():
                for batch in _batched(iter(keys), self.batch_size):
                    counters = session.execute_write(lambda tx: tx.run(
                        f"UNWIND $keys AS key MATCH (n:{label} {{key: key}}) DETACH DELETE n", keys=batch
                    ).consume().counters)
                    self.written["deleted"]["nodes"] += counters.nodes_deleted


# ------------------------------------------------------------------------------------------------ topics

TOPIC = "Topic"
IN_TOPIC = "IN_TOPIC"


def topic_props(topic) -> dict:
    """A kg.graph.topics.Topic as Neo4j properties (its trend, a map, as JSON text)."""
    return {"id": topic.id, "name": topic.name, "papers": topic.papers, "members": topic.members,
            "entities": list(topic.entities), "names": list(topic.names), "authors": list(topic.authors),
            "trend": json.dumps(topic.trend, ensure_ascii=False, sort_keys=True)}


def topic_from_props(props: Mapping) -> dict:
    """The inverse of topic_props, as the dict kg.graph.topics.Topic.from_dict reads."""
    return {**props, "trend": json.loads(props.get("trend") or "{}")}


def write_topics(driver: neo4j.Driver, database: str, topics: list, members: Iterable[tuple[str, int]],
                 batch_size: int = 5000, progress: Callable[[int], None] | None = None) -> dict:
    """Replace the database's topics: their IN_TOPIC links and Topic nodes go (in batches), the new ones come in.
    Members are (node id, topic id) of papers and entities; nodes the database lacks are skipped by MATCH."""
    written = {"deleted": 0, "topics": 0, "links": 0}
    with _backend_errors(_settings_of(driver, database)), driver.session(database=database) as session:
        while True:
            deleted = session.execute_write(lambda tx: tx.run(
                f"MATCH ()-[r:{IN_TOPIC}]->(:{TOPIC}) WITH r LIMIT $n DELETE r RETURN count(*) AS n",
                n=batch_size).single()["n"])
            written["deleted"] += deleted
            if not deleted:
                break
        session.execute_write(lambda tx: tx.run(f"MATCH (t:{TOPIC}) DETACH DELETE t").consume())
        rows = [{"id": t.id, "props": topic_props(t)} for t in topics]
        session.execute_write(lambda tx: tx.run(
            f"UNWIND $rows AS row MERGE (t:{TOPIC} {{id: row.id}}) SET t = row.props", rows=rows).consume())
        written["topics"] = len(rows)
        grouped: dict[str, list] = defaultdict(list)
        for nid, topic in members:
            label, key = split_node_id(nid)
            if label in LABELS:
                grouped[label].append({"key": key, "topic": topic})
        for label, rows in sorted(grouped.items()):
            for batch in _batched(iter(rows), batch_size):
                counters = session.execute_write(lambda tx: tx.run(
                    f"UNWIND $rows AS row MATCH (n:{label} {{key: row.key}}) MATCH (t:{TOPIC} {{id: row.topic}}) "
                    f"CREATE (n)-[:{IN_TOPIC}]->(t)", rows=batch).consume().counters)
                written["links"] += counters.relationships_created
                if progress:
                    progress(len(batch))
    return written
