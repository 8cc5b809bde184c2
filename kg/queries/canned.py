"""`kg query NAME -p key=value`: canned Cypher files (cypher/*.cypher) and their local twins.

Each file starts with a header (`// name:`, `// purpose:`, `// params:`, `// example:`) and holds one
parameterised Cypher statement. Every query also has a plain-Python twin over the networkx graph that returns
the same rows in the same order, so the local store and a Neo4j server answer alike. The twins sort strings
the way Cypher's ORDER BY does (UTF-16 code units), which is not Python's code-point order.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx

from ..errors import BackendError, KgError

NOT_CANNED = {"schema.cypher"}  # the schema script is run by the Neo4j store, not from `kg query`
# Cypher integers are 64-bit and SQLite's too: a larger value must be refused here, not crash either driver.
INT_MAX = 2**63 - 1


class Param(NamedTuple):
    """One query parameter: type is "string", "int", "float" or a choice such as "Method|Dataset|Concept"."""

    name: str
    type: str
    default: Any
    help: str

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass
class CannedQuery:
    name: str
    purpose: str
    params: list[Param]
    example: str
    cypher: str
    path: Path = field(default=None)


# --------------------------------------------------------------------------- reading the files

def cypher_dir() -> Path:
    from ..store.neo4j import cypher_dir as configured

    return configured()


_HEADER_LINE = re.compile(r"^//\s*(name|purpose|params|example)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*\(\s*([\w|]+)\s*(?:,\s*default\s+([^:)]*?))?\s*(?::\s*([^)]*))?\)$")


def _split_header(text: str) -> tuple[dict[str, str], str]:
    """Header fields (continuation lines are appended to the field above) and the statement after them."""
    fields: dict[str, str] = {}
    current = None
    lines = text.splitlines()
    n = 0
    for n, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith("//"):
            break
        match = _HEADER_LINE.match(stripped)
        if match:
            current = match.group(1)
            fields[current] = match.group(2).strip()
        elif current and stripped[2:].strip():
            fields[current] += " " + stripped[2:].strip()
    else:
        n = len(lines)
    return fields, "\n".join(lines[n:]).strip()


def _convert(value: str, type_: str, what: str) -> Any:
    """"42" → 42 for int params, "dataset" → "Dataset" for choices; KgError naming `what` otherwise."""
    try:
        if type_ == "int":
            return int(value)
        if type_ == "float":
            return float(value)
    except ValueError:
        raise KgError(f"{what}: expected {'an integer' if type_ == 'int' else 'a number'}, got {value!r}") from None
    if "|" in type_:
        choices = type_.split("|")
        for choice in choices:
            if choice.lower() == value.strip().lower():
                return choice
        raise KgError(f"{what}: expected one of {', '.join(choices)}, got {value!r}")
    return value.strip()


def _parse_params(spec: str, where: str) -> list[Param]:
    params = []
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        match = _PARAM.match(part)
        if not match:
            raise KgError(f"{where}: bad parameter {part!r} in header (write: name (type[, default X][: help]))")
        name, type_, default, help_ = match.groups()
        if type_ not in ("string", "int", "float") and "|" not in type_:
            raise KgError(f"{where}: unknown parameter type {type_!r} for {name} (use string, int, float or A|B|C)")
        default = None if default is None else _convert(default, type_, f"{where}: default of {name}")
        params.append(Param(name, type_, default, (help_ or "").strip()))
    return params


def parse_query_file(path: Path) -> CannedQuery | None:
    """The query in one .cypher file, or None when the file has no `// name:` header (not a canned query)."""
    text = path.read_text(encoding="utf-8")
    fields, statement = _split_header(text)
    if "name" not in fields:
        return None
    statement = statement.rstrip().removesuffix(";").rstrip()
    if not statement:
        raise KgError(f"{path}: no Cypher statement after the header")
    if ";" in re.sub(r"'[^']*'|\"[^\"]*\"|//[^\n]*", "", statement):
        raise KgError(f"{path}: holds more than one statement; a canned query is exactly one")
    return CannedQuery(name=fields["name"], purpose=fields.get("purpose", ""),
                       params=_parse_params(fields.get("params", ""), str(path)),
                       example=fields.get("example", ""), cypher=statement, path=path)


def list_queries(directory: str | Path | None = None) -> list[CannedQuery]:
    """Every canned query in the cypher folder, by name."""
    folder = Path(directory) if directory else cypher_dir()
    if not folder.is_dir():
        raise KgError(f"cypher folder {folder} not found (set KG_CYPHER_DIR)")
    queries: dict[str, CannedQuery] = {}
    for path in sorted(folder.glob("*.cypher")):
        if path.name in NOT_CANNED:
            continue
        query = parse_query_file(path)
        if query is None:
            continue
        if query.name in queries:
            raise KgError(f"{path}: query name {query.name!r} already used by {queries[query.name].path}")
        queries[query.name] = query
    return sorted(queries.values(), key=lambda q: q.name)


def get_query(name: str, directory: str | Path | None = None) -> CannedQuery:
    queries = list_queries(directory)
    for query in queries:
        if query.name == name:
            return query
    raise KgError(f"unknown query {name!r}; known: {', '.join(q.name for q in queries) or 'none'}")


def bind_params(query: CannedQuery, given: dict[str, Any]) -> dict[str, Any]:
    """Check names, convert types, fill defaults: the exact parameter map both backends receive."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise KgError(f"{query.name}: unknown parameter {unknown[0]!r}; it takes {', '.join(known) or 'none'}")
    bound = {}
    for param in query.params:
        value = given.get(param.name)
        if value is None:
            if param.required:
                raise KgError(f"{query.name}: parameter {param.name!r} is required ({param.help or param.type}); "
                              f"pass -p {param.name}=VALUE")
            value = param.default
        elif isinstance(value, str) or "|" in param.type:
            value = _convert(str(value), param.type, f"{query.name}: parameter {param.name!r}")
        _check_number(value, param.type, f"{query.name}: parameter {param.name!r}")
        bound[param.name] = value
    return bound


def _check_number(value: Any, type_: str, what: str) -> None:
    """Numbers both backends can take: non-negative 64-bit integers, finite floats."""
    if type_ == "int":
        if value > INT_MAX:
            raise KgError(f"{what}: {value} is larger than the largest 64-bit integer ({INT_MAX})")
        if value < 0:
            raise KgError(f"{what} must not be negative, got {value}")
    if type_ == "float" and not math.isfinite(value):
        raise KgError(f"{what}: expected a finite number, got {value}")


def parse_params(query: CannedQuery, pairs: list[str]) -> dict[str, Any]:
    """`["method=BERT", "limit=5"]` → `{"method": "BERT", "limit": 5}`, checked against the header."""
    given = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise KgError(f"{query.name}: parameter {pair!r} is not of the form key=value")
        given[name.strip()] = value
    return bind_params(query, given)


def _query(query_or_name: CannedQuery | str) -> CannedQuery:
    return query_or_name if isinstance(query_or_name, CannedQuery) else get_query(query_or_name)


# --------------------------------------------------------------------------- running them

def run_neo4j(query_or_name: CannedQuery | str, driver, database: str | None, params: dict) -> list[dict]:
    """The Cypher statement on the server in a read transaction; rows as plain dicts in RETURN order."""
    from neo4j import RoutingControl
    from neo4j.exceptions import DriverError, Neo4jError

    query = _query(query_or_name)
    bound = bind_params(query, params)
    try:
        records, _, _ = driver.execute_query(query.cypher, parameters_=bound, database_=database,
                                            routing_=RoutingControl.READ)
    except (Neo4jError, DriverError, OSError) as exc:
        detail = " ".join(str(getattr(exc, "message", None) or exc or type(exc).__name__).split())
        raise BackendError(f"query {query.name} ({query.path}) failed on Neo4j: {detail}") from None
    return [{key: _plain(record[key]) for key in record.keys()} for record in records]


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time values
        return value.iso_format()
    return value


def run_local(query_or_name: CannedQuery | str, graph: nx.MultiDiGraph, params: dict) -> list[dict]:
    """The query's twin over the networkx graph: same columns, same rows, same order as the Cypher."""
    query = _query(query_or_name)
    from .twins import LOCAL_TWINS

    twin = LOCAL_TWINS.get(query.name)
    if twin is None:
        raise KgError(f"query {query.name!r} has no local twin; run it with --neo4j")
    return twin(graph, **bind_params(query, params))


