"""`kg export`: the whole graph as GraphML, GEXF, node-link JSON or the CSV files of `neo4j-admin database import
full`, streamed from the store with bounded memory (papers, nodes and links are read in key order, one row at a
time, inside one read transaction, and written as they come; the graph is never built in memory).

Formats (what a reader gets back):

- `graphml` (networkx `read_graphml`, Gephi, yEd): node ids are kg's ("paper:p-…"); every node and edge
  property is a GraphML key of its own type; lists and evidence are JSON text. Edge ids are `e0, e1, …`, the
  relationship type is the edge's `type`.
- `gexf` (Gephi, networkx `read_gexf`): GEXF 1.2; a node's `label` is its title or name (what Gephi shows), its
  kg label is the `kind` attribute; an edge's `label` is its type and `networkx_key` its networkx key (the type).
  Lists and evidence are JSON text.
- `json`: networkx node-link data (`nx.node_link_graph(data, edges="edges")`): {"directed", "multigraph",
  "graph", "nodes": [{"id", …}], "edges": [{"source", "target", "key", …}]}; lists and evidence stay JSON.
- `neo4j-csv`: a folder of header-annotated CSV files, one per node label and one per (label, type, label),
  with the properties `kg push` writes (`search`, evidence as JSON text plus the best mention flattened), a
  `KgPush` mark so a later `kg push` from this store sends only what changed, and `import.args`, the arguments
  of `neo4j-admin database import full` (run it in that folder: `neo4j-admin database import full neo4j
  @import.args`). Ids are the node keys in one id space per label (`key:ID(Paper)`).

XML cannot hold some characters (most control characters): they are written as U+FFFD and counted in the report.
"""
from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator
from xml.sax.saxutils import escape, quoteattr

from ..errors import KgError
from ..graph.schema import (AUTHOR, AUTHORED, CONCEPT, DATASET, LABELS, METHOD, METRIC, PAPER, REL_TYPES, VARIANT_OF,
                            node_id)
from ..store.local import LocalStore
from ..store.neo4j import _edge_props, _node_props

FORMATS = ("graphml", "gexf", "json", "neo4j-csv")

# Every property the graph schema gives nodes and edges (docs/design.md), with its type. A property outside
# these stops the export with one line naming it, rather than writing a file a reader would misread.
NODE_PROPS: dict[str, type] = {
    "label": str, "key": str, "title": str, "authors": list, "abstract": str, "date": str, "url": str, "venue": str,
    "badge": str, "author_count": int, "upvotes": int, "sources": list, "name": str, "kb": bool, "aliases": list,
    "papers": int, "variant_of": list,
}
EDGE_PROPS: dict[str, type] = {
    "type": str, "position": int, "confidence": float, "count": int, "aliases": list, "rule": str, "evidence": list,
    "variant_of": str, "variant_of_name": str,
}

_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# ------------------------------------------------------------------------------------------------ elements

def iter_elements(store: LocalStore) -> Iterator[tuple]:
    """("node", node id, attrs) for papers then authors/entities, then ("edge", source, target, type, attrs) in
    the graph's directions (AUTHORED runs author → paper, VARIANT_OF variant → parent), all from one snapshot."""
    with store.snapshot():
        for attrs in store.iter_all_papers():
            yield "node", node_id(PAPER, attrs["key"]), attrs
        for attrs in store.iter_all_nodes():
            yield "node", node_id(attrs["label"], attrs["key"]), attrs
        for paper_key, other, rel_type, attrs in store.iter_all_links():
            paper = node_id(PAPER, paper_key)
            attrs = {"type": rel_type, **attrs}
            if rel_type == AUTHORED:
                yield "edge", other, paper, rel_type, attrs
            else:
                yield "edge", paper, other, rel_type, attrs
        for variant, parent in store.iter_all_variants():
            yield "edge", variant, parent, VARIANT_OF, {"type": VARIANT_OF}


def _check(where: str, attrs: dict, schema: dict[str, type]) -> None:
    for name, value in attrs.items():
        kind = schema.get(name)
        if kind is None:
            raise KgError(f"export: {where} has a property {name!r} the export schema does not know "
                          f"(kg/app/export.py NODE_PROPS / EDGE_PROPS)")
        if value is not None and not isinstance(value, kind) and not (kind is float and isinstance(value, int)):
            raise KgError(f"export: {where} property {name!r} is a {type(value).__name__}, expected {kind.__name__}")


class _Report:
    def __init__(self, fmt: str, path: Path):
        self.data = {"format": fmt, "output": str(path), "nodes": {label: 0 for label in LABELS},
                     "relationships": {rel: 0 for rel in REL_TYPES}, "replaced_characters": 0}


# ------------------------------------------------------------------------------------------- XML formats

class _XmlWriter:
    """Shared by GraphML and GEXF: values as text, characters XML cannot hold replaced and counted."""

    def __init__(self, handle, report: _Report):
        self.out, self.report = handle, report

    def clean(self, text: str) -> str:
        text, n = _XML_ILLEGAL.subn("\ufffd", text)
        self.report.data["replaced_characters"] += n
        return text

    def text(self, value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return repr(value)
        if isinstance(value, (list, dict)):
            value = json.dumps(value, ensure_ascii=False)
        return escape(self.clean(str(value)))

    def attr(self, value: str) -> str:
        return quoteattr(self.clean(value))


_GRAPHML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean", list: "string"}


class GraphMLWriter(_XmlWriter):
    def start(self) -> None:
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                       '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                       'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                       'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                       'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for domain, schema in (("node", NODE_PROPS), ("edge", EDGE_PROPS)):
            for name, kind in schema.items():
                self.out.write(f'  <key id="{domain[0]}_{name}" for="{domain}" attr.name="{name}" '
                               f'attr.type="{_GRAPHML_TYPES[kind]}"/>\n')
        self.out.write('  <graph id="kg" edgedefault="directed">\n')
        self.edges = 0

    def _data(self, prefix: str, attrs: dict) -> str:
        return "".join(f'<data key="{prefix}_{k}">{self.text(v)}</data>' for k, v in attrs.items() if v is not None)

    def node(self, nid: str, attrs: dict) -> None:
        self.out.write(f"    <node id={self.attr(nid)}>{self._data('n', attrs)}</node>\n")

    def edge(self, source: str, target: str, rel_type: str, attrs: dict) -> None:
        self.out.write(f'    <edge id="e{self.edges}" source={self.attr(source)} target={self.attr(target)}>'
                       f"{self._data('e', attrs)}</edge>\n")
        self.edges += 1

    def finish(self) -> None:
        self.out.write("  </graph>\n</graphml>\n")


_GEXF_TYPES = {str: "string", int: "long", float: "double", bool: "boolean", list: "string"}


class GexfWriter(_XmlWriter):
    """GEXF 1.2 (Gephi's format). Nodes are written, then edges: GEXF wants all nodes before any edge."""

    NODE_ATTRS = {"kind": str, **{k: v for k, v in NODE_PROPS.items() if k != "label"}}
    EDGE_ATTRS = {"networkx_key": str, **EDGE_PROPS}

    def start(self) -> None:
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                       '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n'
                       f'  <meta lastmodifieddate="{datetime.now(timezone.utc).date().isoformat()}">'
                       "<creator>kg</creator></meta>\n"
                       '  <graph defaultedgetype="directed" mode="static">\n')
        self.ids: dict[str, dict[str, int]] = {}
        for domain, schema in (("node", self.NODE_ATTRS), ("edge", self.EDGE_ATTRS)):
            self.ids[domain] = {name: n for n, name in enumerate(schema)}
            self.out.write(f'    <attributes class="{domain}" mode="static">\n')
            for name, kind in schema.items():
                self.out.write(f'      <attribute id="{self.ids[domain][name]}" title="{name}" '
                               f'type="{_GEXF_TYPES[kind]}"/>\n')
            self.out.write("    </attributes>\n")
        self.out.write("    <nodes>\n")
        self.in_nodes, self.edges = True, 0

    def _values(self, domain: str, attrs: dict) -> str:
        ids = self.ids[domain]
        return "<attvalues>" + "".join(f'<attvalue for="{ids[k]}" value={self.attr(self._plain(v))}/>'
                                       for k, v in attrs.items() if v is not None) + "</attvalues>"

    @staticmethod
    def _plain(value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (list, dict)):
            return json.dumps(value, ensure_ascii=False)
        return value if isinstance(value, str) else repr(value)

    def node(self, nid: str, attrs: dict) -> None:
        display = attrs.get("title") or attrs.get("name") or attrs.get("key") or nid
        values = {"kind": attrs.get("label"), **{k: v for k, v in attrs.items() if k != "label"}}
        self.out.write(f"      <node id={self.attr(nid)} label={self.attr(display)}>"
                       f"{self._values('node', values)}</node>\n")

    def edge(self, source: str, target: str, rel_type: str, attrs: dict) -> None:
        if self.in_nodes:
            self.out.write("    </nodes>\n    <edges>\n")
            self.in_nodes = False
        self.out.write(f'      <edge id="e{self.edges}" source={self.attr(source)} target={self.attr(target)} '
                       f'label="{rel_type}">{self._values("edge", {"networkx_key": rel_type, **attrs})}</edge>\n')
        self.edges += 1

    def finish(self) -> None:
        self.out.write("    </nodes>\n    <edges>\n" if self.in_nodes else "")
        self.out.write("    </edges>\n  </graph>\n</gexf>\n")


# ---------------------------------------------------------------------------------------------- JSON

class JsonWriter:
    """networkx node-link data, one node or edge per line."""

    def __init__(self, handle, report: _Report):
        self.out, self.report = handle, report

    def start(self) -> None:
        self.out.write('{"directed": true, "multigraph": true, "graph": {"name": "kg"}, "nodes": [\n')
        self.first, self.in_nodes = True, True

    def _item(self, item: dict) -> None:
        self.out.write(("" if self.first else ",\n") + json.dumps(item, ensure_ascii=False))
        self.first = False

    def node(self, nid: str, attrs: dict) -> None:
        self._item({"id": nid, **attrs})

    def edge(self, source: str, target: str, rel_type: str, attrs: dict) -> None:
        if self.in_nodes:
            self.out.write('\n], "edges": [\n')
            self.first, self.in_nodes = True, False
        self._item({"source": source, "target": target, "key": rel_type, **attrs})

    def finish(self) -> None:
        if self.in_nodes:
            self.out.write('\n], "edges": [\n')
        self.out.write("\n]}\n")


# ----------------------------------------------------------------------------------------- neo4j-csv

ARRAY_DELIMITER = "\x1f"  # U+001F (unit separator): never part of a name; an element holding it gets U+FFFD
ARRAY_DELIMITER_OPTION = "U+001F"
_NEO4J_TYPES = {str: "", int: ":long", float: ":double", bool: ":boolean", list: ":string[]"}
_LABEL_PROPS = {
    PAPER: ("title", "authors", "abstract", "date", "url", "venue", "badge", "author_count", "upvotes", "sources"),
    AUTHOR: ("name", "papers"),
    **{label: ("name", "kb", "aliases", "papers", "variant_of") for label in (METHOD, DATASET, CONCEPT, METRIC)},
}
_AUTHORED_PROPS = ("position",)
_EXTRACTED_PROPS = ("confidence", "count", "aliases", "rule", "evidence", "sentence", "field", "start", "end",
                    "variant_of", "variant_of_name")
_FLAT_TYPES = {"evidence": str, "sentence": str, "field": str, "start": int, "end": int}
_EDGE_COLUMNS = set(_AUTHORED_PROPS) | set(_EXTRACTED_PROPS)


class Neo4jCsvWriter:
    """One CSV file per node label and per (start label, type, end label); every string quoted (so an empty
    string stays a string and an empty field is a missing property)."""

    def __init__(self, folder: Path, report: _Report, store: LocalStore):
        self.folder, self.report, self.store = folder, report, store
        self.files: dict[tuple, tuple] = {}  # group → (handle, columns, file name)
        self.multiline = False

    def start(self) -> None:
        pass

    def _field(self, value, kind: type) -> str:
        if kind is str and value is not None:
            if "\n" in value or "\r" in value:
                self.multiline = True
            return '"' + value.replace('"', '""') + '"'
        if value is None or (kind is list and not value):  # no empty arrays: the import would read [""]
            return ""
        if kind is list:
            items = []
            for item in value:
                item = str(item)
                if ARRAY_DELIMITER in item:
                    self.report.data["replaced_characters"] += item.count(ARRAY_DELIMITER)
                    item = item.replace(ARRAY_DELIMITER, "\ufffd")
                items.append(item)
            value = ARRAY_DELIMITER.join(items)
        elif kind is bool:
            return "true" if value else "false"
        elif kind in (int, float):
            return repr(value)
        if "\n" in value or "\r" in value:
            self.multiline = True
        return '"' + value.replace('"', '""') + '"'

    def _open(self, group: tuple, name: str, header: list[str], columns: list[tuple[str, type]]):
        handle = open(self.folder / name, "w", encoding="utf-8", newline="")
        handle.write(",".join(header) + "\n")
        entry = self.files[group] = (handle, columns, name)
        return entry

    def node(self, nid: str, attrs: dict) -> None:
        label = attrs["label"]
        entry = self.files.get(("node", label))
        if entry is None:
            columns = [(n, NODE_PROPS[n]) for n in _LABEL_PROPS[label]] + [("search", str)]
            entry = self._open(("node", label), f"nodes_{label}.csv",
                               [f"key:ID({label})", *(n + _NEO4J_TYPES[k] for n, k in columns), ":LABEL"], columns)
        handle, columns, _ = entry
        extra = attrs.keys() - _LABEL_PROPS[label] - {"label", "key"}
        if extra:
            raise KgError(f"export: node {nid} has a property {sorted(extra)[0]!r} without a neo4j-csv column "
                          "(kg/app/export.py _LABEL_PROPS)")
        props = _node_props(nid, attrs)
        field = self._field
        handle.write(",".join([field(props["key"], str), *[field(props.get(n), k) for n, k in columns], label])
                     + "\n")

    def edge(self, source: str, target: str, rel_type: str, attrs: dict) -> None:
        start_label, _, start_key = source.partition(":")
        end_label, _, end_key = target.partition(":")
        group = ("edge", start_label, rel_type, end_label)
        entry = self.files.get(group)
        if entry is None:
            names = _AUTHORED_PROPS if rel_type == AUTHORED else () if rel_type == VARIANT_OF else _EXTRACTED_PROPS
            columns = [(n, _FLAT_TYPES.get(n) or EDGE_PROPS[n]) for n in names]
            start, end = start_label.capitalize(), end_label.capitalize()
            entry = self._open(group, f"rels_{start}_{rel_type}_{end}.csv",
                               [f":START_ID({start})", f":END_ID({end})", *(n + _NEO4J_TYPES[k] for n, k in columns),
                                ":TYPE"], columns)
        handle, columns, _ = entry
        props = _edge_props(f"edge {source} -{rel_type}-> {target}", attrs)
        if len(props) > len(columns) or any(n not in _EDGE_COLUMNS for n in props):
            extra = sorted(set(props) - _EDGE_COLUMNS)
            raise KgError(f"export: edge {source} -{rel_type}-> {target} has a property {extra[0]!r} "
                          "without a neo4j-csv column (kg/app/export.py)")
        field = self._field
        handle.write(",".join([field(start_key, str), field(end_key, str),
                               *[field(props.get(n), k) for n, k in columns], rel_type]) + "\n")

    def finish(self) -> None:
        mark = self.folder / "nodes_KgPush.csv"
        with open(mark, "w", encoding="utf-8", newline="") as handle:
            handle.write("id:ID(KgPush),state,store,revision:long,finished,:LABEL\n")
            handle.write(",".join([self._field("push", str), self._field("complete", str),
                                   self._field(str(self.store.meta("store_id")), str),
                                   repr(int(self.store.revision())),
                                   self._field(datetime.now(timezone.utc).isoformat(timespec="seconds"), str),
                                   "KgPush"]) + "\n")
        for handle, _, _ in self.files.values():
            handle.close()
        args = [f"--nodes={name}" if group[0] == "node" else f"--relationships={name}"
                for group, (_, _, name) in sorted(self.files.items(), key=lambda g: (g[0][0] != "node", g[0]))]
        args.append("--nodes=nodes_KgPush.csv")
        args += [f"--array-delimiter={ARRAY_DELIMITER_OPTION}", "--id-type=string",
                 f"--multiline-fields={'true' if self.multiline else 'false'}"]
        (self.folder / "import.args").write_text("\n".join(args) + "\n", encoding="utf-8")
        self.report.data["files"] = sorted([name for _, _, name in self.files.values()] + ["nodes_KgPush.csv"])
        self.report.data["import"] = ("cd " + str(self.folder) + " && neo4j-admin database import full "
                                      "--overwrite-destination neo4j @import.args")
        self.report.data["multiline_fields"] = self.multiline

    def abort(self) -> None:
        for handle, _, _ in self.files.values():
            handle.close()


# ----------------------------------------------------------------------------------------------- export

def export_store(store: LocalStore, fmt: str, path: Path, progress: Callable[[int], None] | None = None) -> dict:
    """Write the store in `fmt` to `path` (a file; a folder for neo4j-csv). A single file is written beside
    its target and renamed at the end, so a failed export leaves no half file. Returns a report."""
    if fmt not in FORMATS:
        raise KgError(f"export format {fmt!r} is not one of {', '.join(FORMATS)}")
    path = Path(path)
    store.conn  # a missing store is an error before anything is written  # noqa: B018
    report = _Report(fmt, path)
    if fmt == "neo4j-csv":
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise KgError(f"{path}: exists and is not an empty folder; neo4j-csv writes a folder of files, "
                          "choose a new or empty one")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise KgError(f"{path}: cannot create the folder ({exc.strerror or exc})") from None
        writer = Neo4jCsvWriter(path, report, store)
        try:
            _run(store, writer, report, progress)
        except OSError as exc:
            writer.abort()
            raise KgError(f"{path}: cannot write ({exc.strerror or exc})") from None
        except BaseException:
            writer.abort()
            raise
        return report.data
    if path.is_dir():
        raise KgError(f"{path}: is a folder; give a file name for {fmt}")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            writer = {"graphml": GraphMLWriter, "gexf": GexfWriter, "json": JsonWriter}[fmt](handle, report)
            _run(store, writer, report, progress)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise KgError(f"{path}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return report.data


def _run(store: LocalStore, writer, report: _Report, progress) -> None:
    writer.start()
    done = 0
    nodes, rels = report.data["nodes"], report.data["relationships"]
    for element in iter_elements(store):
        if element[0] == "node":
            _, nid, attrs = element
            _check(f"node {nid}", attrs, NODE_PROPS)
            writer.node(nid, attrs)
            nodes[attrs["label"]] = nodes.get(attrs["label"], 0) + 1
        else:
            _, source, target, rel_type, attrs = element
            _check(f"edge {source} -{rel_type}-> {target}", attrs, EDGE_PROPS)
            writer.edge(source, target, rel_type, attrs)
            rels[rel_type] = rels.get(rel_type, 0) + 1
        done += 1
        if progress and done % 5000 == 0:
            progress(done)
    writer.finish()
    if progress:
        progress(done)
