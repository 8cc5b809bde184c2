"""How each node label and edge type looks, in one place so the legend and the drawing cannot disagree."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NodeStyle:
    colour: str
    shape: str  # a vis-network shape that draws its label below the symbol
    size: int


NODE_STYLES: dict[str, NodeStyle] = {
    "Paper": NodeStyle("#4C78A8", "square", 14),
    "Author": NodeStyle("#F58518", "dot", 9),
    "Method": NodeStyle("#54A24B", "diamond", 12),
    "Dataset": NodeStyle("#B279A2", "triangle", 12),
    "Concept": NodeStyle("#72B7B2", "star", 12),
    "Metric": NodeStyle("#E45756", "hexagon", 10),
}
FALLBACK_STYLE = NodeStyle("#9D9D9D", "dot", 8)
CENTER_BORDER = "#D62728"  # center nodes: red ring, bigger, bold label
CENTER_SCALE = 1.8

EDGE_COLOURS: dict[str, str] = {
    "AUTHORED": "#F5B77A",
    "PROPOSES": "#2E7D32",
    "USES": "#8CC084",
    "EVALUATED_ON": "#C9A3C0",
    "ABOUT": "#A6D5D2",
    "VARIANT_OF": "#7F3C8D",  # entity → entity: a whole name built on a known one
}
FALLBACK_EDGE_COLOUR = "#BBBBBB"

LABEL_MAX_CHARS = 40  # long paper titles are cut on the canvas; the tooltip keeps the full text


def node_style(label: str | None) -> NodeStyle:
    return NODE_STYLES.get(label or "", FALLBACK_STYLE)


def edge_colour(kind: str | None) -> str:
    return EDGE_COLOURS.get(kind or "", FALLBACK_EDGE_COLOUR)


def short_label(text: str, limit: int = LABEL_MAX_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
