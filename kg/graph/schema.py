"""Labels, relationship types and node-id conventions shared by networkx, the stores and the queries."""
from __future__ import annotations

PAPER, AUTHOR, METHOD, DATASET, CONCEPT, METRIC = "Paper", "Author", "Method", "Dataset", "Concept", "Metric"
LABELS = (PAPER, AUTHOR, METHOD, DATASET, CONCEPT, METRIC)
ENTITY_LABELS = (METHOD, DATASET, CONCEPT, METRIC)
# What a field's topics and its map are made of: lines of work, not the metrics results are measured in.
FIELD_LABELS = (METHOD, DATASET, CONCEPT)

AUTHORED, PROPOSES, USES, EVALUATED_ON, ABOUT = "AUTHORED", "PROPOSES", "USES", "EVALUATED_ON", "ABOUT"
VARIANT_OF = "VARIANT_OF"  # entity → entity: "Gumbel Tree-LSTM" is a variant of Tree-LSTM
REL_TYPES = (AUTHORED, PROPOSES, USES, EVALUATED_ON, ABOUT, VARIANT_OF)
EXTRACTED_TYPES = (PROPOSES, USES, EVALUATED_ON, ABOUT)


def node_id(label: str, key: str) -> str:
    """networkx node id: "<label lower>:<key>", e.g. "method:vision transformer"."""
    return f"{label.lower()}:{key}"


def split_node_id(nid: str) -> tuple[str, str]:
    prefix, _, key = nid.partition(":")
    return prefix.capitalize(), key
