"""The whole-corpus map page (`kg map`): topics as coloured regions, papers and entities inside, drawn by WebGL.

Why sigma.js (with graphology) and not vis-network like the ego views: vis-network draws on a 2D canvas and
stalls long before 20k nodes and 100k edges; sigma draws them with WebGL. Both libraries are vendored
(kg/viz/assets/vendor, scripts/vendor-js) and inlined with the page's own script, so the page fetches nothing.
Positions come from kg.viz.field_layout; the page only draws. Data reaches the page as one JSON island
(`<`, `>`, `&`, U+2028/9 escaped) in columns (one array per field), and every string from the store is put on
screen with `textContent` or drawn on a canvas, never parsed as HTML.
"""
from __future__ import annotations

import math
from pathlib import Path


from kg.viz.field_layout import UNASSIGNED, field_layout
from kg.viz.html import ASSETS, inline_asset, script_safe_json, template

VENDOR = ASSETS / "vendor"
KINDS = ("Paper", "Method", "Dataset", "Concept")
# distinct, readable on white; topics past the palette get golden-angle hues
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#bcbd22",
           "#393b79", "#ad494a", "#637939", "#7b4173", "#e6550d", "#3182bd", "#31a354", "#756bb1", "#843c39",
           "#8c6d31", "#d6616b")
UNASSIGNED_COLOUR = "#a0a0a0"
UNASSIGNED_NAME = "other (no topic)"


def field_map_html(nodes: list[dict], edges: list[tuple], topics: list, assignment: dict[str, int], *,
                   title: str = "kg map", cut: dict | None = None) -> tuple[str, dict]:
    """(HTML of the map page, stats) for map nodes ({"id", "label", "name", "papers", optional "authors",
    "date", "evidence"}), (source, target, type, weight) edges, topics (objects with id, name, papers, and
    optionally entities) and node id → topic id. Pure: no files, no store."""
    data = field_map_data(nodes, edges, topics, assignment, cut=cut)
    html = template("field.html.j2").render(title=title, data_json=script_safe_json(data), cut_text=cut_text(cut, data["stats"]),
                              graphology_js=_asset(VENDOR / "graphology.umd.min.js"),
                              sigma_js=_asset(VENDOR / "sigma.min.js"), map_js=_asset(ASSETS / "field_map.js"))
    return html, data["stats"]


def field_map_data(nodes: list[dict], edges: list[tuple], topics: list, assignment: dict[str, int], *,
                   cut: dict | None = None) -> dict:
    """The page's data island: topics with their discs, nodes in columns, edges as pairs of node indices."""
    ids = {n["id"] for n in nodes}
    edges = [e for e in edges if e[0] in ids and e[1] in ids and e[0] != e[1]]
    known = {t.id for t in topics}
    assignment = {n: t for n, t in assignment.items() if n in ids and t in known}
    positions, regions = field_layout(nodes, edges, assignment)
    topic_list = sorted(topics, key=lambda t: t.id)
    if any(n["id"] not in assignment for n in nodes):
        topic_list.append(None)  # the region of nodes without a topic
    counts: dict[int, int] = {}
    for node in nodes:
        topic = assignment.get(node["id"], UNASSIGNED)
        counts[topic] = counts.get(topic, 0) + 1
    page_topics, index_of = [], {}
    for topic in topic_list:
        tid = UNASSIGNED if topic is None else topic.id
        if tid not in regions:
            continue  # a topic with no node on the map draws no region
        region = regions[tid]
        index_of[tid] = len(page_topics)
        page_topics.append({
            "id": tid, "name": UNASSIGNED_NAME if topic is None else str(topic.name),
            "papers": counts.get(tid, 0) if topic is None else int(topic.papers or 0), "nodes": counts.get(tid, 0),
            "colour": UNASSIGNED_COLOUR if topic is None else topic_colour(len(page_topics)),
            "x": region.x, "y": region.y, "r": region.r})
    # papers first, then entities from small to large: later nodes are drawn on top
    ordered = sorted(nodes, key=lambda n: (n.get("label") != "Paper", n.get("papers") or 0, n["id"]))
    position = {n["id"]: i for i, n in enumerate(ordered)}
    most = max((n.get("papers") or 0 for n in nodes if n.get("label") != "Paper"), default=0)
    columns = {"id": [], "name": [], "kind": [], "topic": [], "x": [], "y": [], "size": [], "papers": [],
               "authors": [], "date": [], "evidence": []}
    for node in ordered:
        label = node.get("label") or "Paper"
        x, y = positions[node["id"]]
        columns["id"].append(node["id"])
        columns["name"].append(str(node.get("name") or node["id"]))
        columns["kind"].append(KINDS.index(label) if label in KINDS else 0)
        columns["topic"].append(index_of[assignment.get(node["id"], UNASSIGNED)])
        columns["x"].append(x)
        columns["y"].append(y)
        columns["size"].append(node_size(label, node.get("papers") or 0, most))
        columns["papers"].append(int(node.get("papers") or 0))
        columns["authors"].append(", ".join(map(str, node.get("authors") or ())))
        columns["date"].append(str(node.get("date") or ""))
        columns["evidence"].append(str(node.get("evidence") or ""))
    pairs = []
    for source, target, *_ in edges:
        pairs += (position[source], position[target])
    stats = {"nodes": len(ordered), "edges": len(edges), "topics": sum(1 for t in page_topics if t["id"] != UNASSIGNED),
             "unassigned": counts.get(UNASSIGNED, 0)}
    return {"kinds": list(KINDS), "topics": page_topics, "nodes": columns, "edges": pairs, "stats": stats,
            "cut": cut}


def node_size(label: str, papers: int, most: int = 0) -> float:
    """Radius in screen pixels at the first zoom (sigma grows it with the square root of the zoom, so zooming in
    separates nodes). Papers stay dots; an entity grows with its papers on a log scale relative to the entity
    in most papers (`most`), so a 100k-paper corpus does not turn every entity into a blob."""
    if label == "Paper":
        return round(1.5 + 0.2 * math.log1p(max(papers, 0)), 2)
    share = math.log1p(max(papers, 0)) / math.log1p(max(most, papers, 1))
    return round(2.0 + 6.0 * share ** 1.5, 2)


def topic_colour(index: int) -> str:
    if index < len(PALETTE):
        return PALETTE[index]
    hue = (index * 137.508) % 360
    return _hsl_hex(hue, 0.55, 0.42)


def cut_text(cut: dict | None, stats: dict) -> str:
    """One sentence saying what the map shows and what it left out."""
    if not cut:
        return f"{stats['nodes']:,} papers and entities, {stats['edges']:,} links."
    (entities, entity_total), (papers, paper_total) = cut["entities"], cut["papers"]
    edges, edge_total = cut["edges"]
    shown, total = entities + papers, entity_total + paper_total
    parts = [f"Showing {shown:,} of {total:,} papers and entities" if shown < total
             else f"All {total:,} papers and entities"]
    if shown < total:
        which = (f"all {entity_total:,} methods, datasets and concepts" if entities == entity_total
                 else f"the {entities:,} of {entity_total:,} methods, datasets and concepts in most papers")
        parts.append(f" ({which} and the {papers:,} of {paper_total:,} papers best connected to them)")
    parts.append(f"; {edges:,} of {edge_total:,} links among them, strongest first" if edges < edge_total
                 else f"; all {edge_total:,} links among them")
    parts.append(". Authors are not drawn (a paper's tooltip names them).")
    if shown < total or edges < edge_total:
        parts.append(f" kg map --max-nodes N changes the cap of {cut['max_nodes']:,}.")
    return "".join(parts)


def _hsl_hex(hue: float, saturation: float, lightness: float) -> str:
    import colorsys

    r, g, b = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return "#%02x%02x%02x" % (round(r * 255), round(g * 255), round(b * 255))


def _asset(path: Path) -> str:
    return inline_asset(path, "reinstall kg, or run scripts/vendor-js")
