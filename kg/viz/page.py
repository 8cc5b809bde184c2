"""Self-contained HTML pages of a graph (vis-network, as shipped inside pyvis), working offline.

Why not `pyvis.Network.write_html`: every pyvis 0.3.2 mode links vis-network or Bootstrap from a CDN,
`from_nx` / `add_node` are quadratic (membership tests on lists), and 1000 physics iterations stall
pages past ~1k nodes. So node/edge lists are filled directly on a pyvis `Network`, the vis-network
files that pyvis ships are inlined, and large views get positions computed in Python with physics off.
Data reaches the page as a JSON island (`<`, `>`, `&` escaped) and tooltips are built with
`textContent`, so no string from the graph is ever parsed as HTML.
"""
from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import pyvis
from pyvis.network import Network

from kg.viz import style
from kg.viz.ego import CUT_KEY
from kg.viz.html import inline_asset, script_safe_json, template, write_page
from kg.viz.groups import Group, find_groups, grid_offsets, plural
from kg.viz.layout import SEED, pinned_spots, precomputed_positions

PHYSICS_NODE_LIMIT = 500  # above this the browser gets fixed positions instead of a simulation
STABILISATION_ITERATIONS = 300
EVIDENCE_SHOWN = 3  # sentences per edge tooltip; the rest are counted
ABSTRACT_CHARS = 400
SMALL_VIEW = 40  # up to this many drawn nodes every label is shown at every zoom
HUB_LIMIT = 20  # in bigger views at most this many hubs (besides centers and group owners) keep labels
HUB_MIN_DEGREE = 3
LEAF_LABEL_THRESHOLD = 9  # vis drawThreshold: a non-hub label shows once it is ~8px on screen
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"


def render_page(graph: nx.MultiDiGraph, out_path: str | os.PathLike, *, title: str,
                centers: Iterable[str] = (), physics: bool | None = None, cut: dict | None = None,
                summarise: bool = True) -> dict:
    """Write one offline HTML page of `graph`; physics=None picks by size. Returns what was drawn.

    Returned stats: nodes/edges (of `graph`, all in the page), layout, drawn (nodes on screen when the
    page opens: summary nodes count, the nodes inside them do not), groups (summary nodes),
    collapsed (nodes inside them), cut (what ego_subgraph left out, from `cut` or graph.graph["cut"],
    else None) and bytes. summarise=False draws every node one by one.
    """
    centers = {c for c in centers if c in graph}
    cut = cut if cut is not None else graph.graph.get(CUT_KEY)
    groups = find_groups(graph, centers) if summarise else []
    drawn = collapsed_graph(graph, groups)
    use_physics = drawn.number_of_nodes() <= PHYSICS_NODE_LIMIT if physics is None else bool(physics)
    positions = None if use_physics else precomputed_positions(drawn, centers=centers)
    net = build_network(graph, centers, positions, groups=groups, drawn=drawn)
    stats = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
             "layout": "physics" if use_physics else "precomputed", "drawn": len(net.nodes),
             "groups": len(groups), "collapsed": sum(len(g.nodes) for g in groups), "cut": cut}
    html = template("page.html.j2").render(
        title=title, stats=stats, vis_js=_vis_file("vis-network.min.js"), vis_css=_vis_file("vis-network.css"),
        data_json=script_safe_json({"nodes": net.nodes, "edges": net.edges, "groups": net.kg_groups,
                                    "centers": sorted(centers), "stats": stats,
                                    "options": vis_options(use_physics)}),
        legend_nodes=_legend_nodes(graph), legend_edges=_legend_edges(graph), has_centers=bool(centers),
        center_border=style.CENTER_BORDER, cut=cut, cut_left_out=_left_out_text(cut),
        group_example=groups[0].caption().split("\n")[0] if groups else "")
    out = write_page(out_path, html)
    return {**stats, "bytes": out.stat().st_size}


def collapsed_graph(graph: nx.MultiDiGraph, groups: list[Group]) -> nx.Graph:
    """The simple graph as first drawn: group members out, one summary node per group, tied to its hub."""
    hidden = {n for g in groups for n in g.nodes}
    simple = nx.Graph()
    simple.add_nodes_from(n for n in graph.nodes if n not in hidden)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v and u not in hidden and v not in hidden)
    for group in groups:
        simple.add_edge(group.hub, group.id)
    return simple


def build_network(graph: nx.MultiDiGraph, centers: set[str],
                  positions: dict[str, tuple[float, float]] | None, *, groups: list[Group] = (),
                  drawn: nx.Graph | None = None) -> Network:
    """A pyvis Network whose lists are filled directly (linear, unlike add_node/from_nx).

    net.nodes / net.edges are what the page draws when it opens; the nodes and edges inside summary
    nodes are in net.kg_groups[group id] and only added by the page when the summary is clicked.
    """
    drawn = drawn if drawn is not None else collapsed_graph(graph, list(groups))
    hubs = hub_nodes(drawn, centers, groups)
    labels_hide = drawn.number_of_nodes() > SMALL_VIEW
    owner = {n: g for g in groups for n in g.nodes}
    net = Network(directed=True)
    order = sorted(n for n in graph.nodes if n not in owner)  # sorted: same input, same page, same physics
    entries = {n: _node_entry(n, graph.nodes[n], n in centers, positions, hub=n in hubs,
                              hide_label=(labels_hide or n in owner) and n not in hubs)
               for n in graph.nodes}
    if positions is None:  # centers pinned in the middle while the simulation arranges the rest
        for center, (x, y) in pinned_spots(sorted(centers)).items():
            entries[center].update(x=round(float(x), 1), y=round(float(y), 1), fixed={"x": True, "y": True})
    net.nodes = [entries[n] for n in order]
    edges = {(u, v, k): _edge_entry(u, v, k, data)
             for u, v, k, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])}
    net.edges = [e for (u, v, _), e in edges.items() if u not in owner and v not in owner]
    net.kg_groups = {}
    for group in groups:
        entry, edge = _group_entries(graph, group, positions)
        net.nodes.append(entry)
        net.edges.append(edge)
        inside = set(group.nodes)
        offsets, block = grid_offsets(group)
        members = []
        for n in group.nodes:
            member = dict(entries[n])
            member.pop("x", None), member.pop("y", None)
            member["physics"] = False
            members.append(member)
        net.kg_groups[group.id] = {
            "hub": group.hub, "count": len(group.members), "label": entry["label"],
            "nodes": members, "offsets": offsets, "block": list(block),
            "edges": [dict(e, physics=False) for (u, v, _), e in edges.items() if u in inside or v in inside]}
    net.nodes.sort(key=lambda e: e["id"])
    net.node_ids = [entry["id"] for entry in net.nodes]
    net.node_map = {entry["id"]: entry for entry in net.nodes}
    return net


def hub_nodes(drawn: nx.Graph, centers: set[str], groups: list[Group]) -> set[str]:
    """Nodes whose label is always drawn: centers, owners of summary nodes, summary nodes, and the
    best connected nodes of the drawn graph."""
    fixed = set(centers) | {g.hub for g in groups} | {g.id for g in groups}
    ranked = sorted((n for n in drawn if n not in fixed and drawn.degree(n) >= HUB_MIN_DEGREE),
                    key=lambda n: (-drawn.degree(n), n))
    return fixed | set(ranked[:HUB_LIMIT])


def _group_entries(graph: nx.MultiDiGraph, group: Group, positions) -> tuple[dict, dict]:
    look = style.node_style(group.label)
    hub = graph.nodes[group.hub]
    hub_name = hub.get("title") if hub.get("label") == "Paper" else hub.get("name")
    caption = group.caption()
    noun = plural(group.label, len(group.members))
    entry = {
        "id": group.id, "label": "\u25B8 " + caption, "kind": "group", "summary": len(group.members),
        "shape": "box", "hub": True, "margin": 10,
        "color": {"background": look.colour, "border": "#333",
                  "highlight": {"background": look.colour, "border": "#000"},
                  "hover": {"background": look.colour, "border": "#000"}},
        "borderWidth": 1, "shapeProperties": {"borderRadius": 6},
        "font": {"size": 14, "color": "#ffffff", "face": "system-ui, sans-serif", "strokeWidth": 0,
                 "multi": False},
        "scaling": {"label": {"drawThreshold": 0, "maxVisible": 30}},
        "tip": {"heading": f"{caption.replace(chr(10), ' ')} linked only to "
                           f"{style.short_label(hub_name or hub.get('key') or group.hub)}",
                "rows": [("click", f"show the {len(group.members)} {noun} (click again to hide them)")]},
    }
    if positions is not None:
        x, y = positions[group.id]
        entry.update(x=x, y=y, physics=False)
    towards_hub = any(graph.has_edge(m, group.hub) for m in group.members[:5])
    edge = {"from": group.id if towards_hub else group.hub, "to": group.hub if towards_hub else group.id,
            "id": f"{group.id}|edge", "dashes": True,
            "color": {"color": style.edge_colour(group.relation), "highlight": "#333", "hover": "#333"},
            "width": round(min(6.0, 1.5 + math.log2(len(group.members))), 2), "arrows": "to",
            "tip": {"heading": f"{group.relation or 'linked'} × {len(group.members)}", "rows": []}}
    return entry, edge


def _left_out_text(cut: dict | None) -> str:
    if not cut:
        return ""
    parts = [f"{n} {plural(label, n)}" for label, n in (cut.get("left_out") or {}).items()]
    return ", ".join(parts)


def _node_entry(node_id: str, attrs: dict, is_center: bool, positions, *, hub: bool = False,
                hide_label: bool = False) -> dict:
    label = attrs.get("label")
    look = style.node_style(label)
    caption = attrs.get("title") if label == "Paper" else attrs.get("name")
    entry = {
        "id": node_id,
        "label": style.short_label(caption or attrs.get("key") or node_id),
        "kind": label or "Other",  # not vis "group": groups repaint nodes with their own palette
        "shape": look.shape,
        "size": round(look.size * (style.CENTER_SCALE if is_center else 1)),
        "color": {"background": look.colour, "border": style.CENTER_BORDER if is_center else look.colour,
                  "highlight": {"background": look.colour, "border": "#222"},
                  "hover": {"background": look.colour, "border": "#222"}},
        "borderWidth": 4 if is_center else 1,
        "font": {"size": 16 if is_center else 14 if hub else 12, "color": "#222",
                 "face": "system-ui, sans-serif", "bold": is_center},
        "tip": node_tooltip(node_id, attrs),
    }
    if hub:  # always labelled; the page enlarges the font so it stays readable at the first zoom
        entry["hub"] = True
        entry["scaling"] = {"label": {"drawThreshold": 0, "maxVisible": 30}}
    elif hide_label:  # shown once zoomed in far enough to read it
        entry["scaling"] = {"label": {"drawThreshold": LEAF_LABEL_THRESHOLD}}
    if positions is not None and node_id in positions:
        x, y = positions[node_id]
        entry.update(x=x, y=y, physics=False)
    return entry


def _edge_entry(source: str, target: str, kind: str, data: dict) -> dict:
    confidence = _number(data.get("confidence"))
    width = 1.0 if confidence is None else 1.0 + 2.5 * max(0.0, min(1.0, confidence))
    return {"from": source, "to": target, "id": f"{source}|{kind}|{target}",
            "color": {"color": style.edge_colour(kind), "highlight": "#333", "hover": "#333"},
            "width": round(width, 2), "arrows": "to", "tip": edge_tooltip(kind, data)}


def node_tooltip(node_id: str, attrs: dict) -> dict:
    """Structured tooltip (turned into DOM text nodes in the page): heading, rows, evidence lines."""
    label = attrs.get("label") or "Node"
    if label == "Paper":
        rows = [("authors", ", ".join(map(str, attrs.get("authors") or [])) or "—")]
        for key in ("date", "venue", "badge", "url"):
            if attrs.get(key):
                rows.append((key, str(attrs[key])))
        abstract = " ".join(str(attrs.get("abstract") or "").split())
        if abstract:
            rows.append(("abstract", abstract if len(abstract) <= ABSTRACT_CHARS
                         else abstract[:ABSTRACT_CHARS - 1] + "…"))
        return {"heading": f"Paper: {attrs.get('title') or node_id}", "rows": rows}
    rows = []
    aliases = [a for a in attrs.get("aliases") or [] if a != attrs.get("name")]
    if aliases:
        rows.append(("aliases", ", ".join(map(str, aliases))))
    if "kb" in attrs:
        rows.append(("source", "curated KB" if attrs["kb"] else "extracted"))
    return {"heading": f"{label}: {attrs.get('name') or attrs.get('key') or node_id}", "rows": rows}


def edge_tooltip(kind: str, data: dict) -> dict:
    rows = []
    if _number(data.get("confidence")) is not None:
        rows.append(("confidence", f"{_number(data['confidence']):.2f}"))
    if data.get("rule"):
        rows.append(("rule", str(data["rule"])))
    if data.get("count"):
        rows.append(("mentions", str(data["count"])))
    if _number(data.get("position")) is not None:
        rows.append(("author position", str(int(_number(data["position"])) + 1)))
    evidence = _evidence_list(data.get("evidence"))
    best = sorted(evidence, key=lambda e: -(_number(e.get("confidence")) or 0.0))
    lines = [f"“{e.get('sentence') or e.get('text') or ''}” ({e.get('field', '?')}, {e.get('rule', '?')}, "
             f"{_number(e.get('confidence')) or 0.0:.2f})" for e in best[:EVIDENCE_SHOWN]]
    if len(best) > EVIDENCE_SHOWN:
        lines.append(f"… and {len(best) - EVIDENCE_SHOWN} more")
    return {"heading": str(kind), "rows": rows, "evidence": lines}


def _number(value) -> float | None:
    """A finite float or None: NaN/inf/garbage from a store must not break the page's JSON."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _evidence_list(value) -> list[dict]:
    """Evidence arrives as a list of dicts (networkx) or a JSON string (read back from Neo4j)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [{"sentence": value}]
    return [e for e in value or [] if isinstance(e, dict)]


def vis_options(use_physics: bool) -> dict:
    """vis-network options; physics runs once with a fixed seed, then the page switches it off."""
    options = {
        "layout": {"randomSeed": SEED, "improvedLayout": use_physics},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": not use_physics,
                        "navigationButtons": False, "keyboard": False},
        "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
        "nodes": {"font": {"strokeWidth": 3, "strokeColor": "#ffffff"}},
    }
    if use_physics:
        options["physics"] = {"enabled": True, "solver": "forceAtlas2Based",
                              "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90,
                                                   "springConstant": 0.06, "avoidOverlap": 0.4},
                              "stabilization": {"enabled": True, "iterations": STABILISATION_ITERATIONS,
                                                "updateInterval": 50, "fit": True}}
    else:
        options["physics"] = {"enabled": False}
    return options


def _legend_nodes(graph: nx.MultiDiGraph) -> list[dict]:
    present = {graph.nodes[n].get("label") for n in graph.nodes}
    ordered = [label for label in style.NODE_STYLES if label in present]
    ordered += sorted(str(label) for label in present - set(style.NODE_STYLES) if label)
    return [{"label": label, "colour": style.node_style(label).colour, "shape": style.node_style(label).shape}
            for label in ordered]


def _legend_edges(graph: nx.MultiDiGraph) -> list[dict]:
    present = {kind for _, _, kind in graph.edges(keys=True)}
    ordered = [kind for kind in style.EDGE_COLOURS if kind in present]
    ordered += sorted(str(kind) for kind in present - set(style.EDGE_COLOURS))
    return [{"type": kind, "colour": style.edge_colour(kind)} for kind in ordered]


def _vis_file(name: str) -> str:
    return inline_asset(VIS_DIR / name, "reinstall pyvis==0.3.2")
