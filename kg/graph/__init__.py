"""Graph: papers and extracted entities → one networkx MultiDiGraph (schema in docs/design.md)."""
from .build import build_graph, graph_counts
from .schema import (ABOUT, AUTHOR, AUTHORED, CONCEPT, DATASET, ENTITY_LABELS, EVALUATED_ON, EXTRACTED_TYPES,
                     LABELS, METHOD, PAPER, PROPOSES, REL_TYPES, USES, node_id, split_node_id)

__all__ = ["build_graph", "graph_counts", "node_id", "split_node_id", "LABELS", "ENTITY_LABELS", "REL_TYPES",
           "EXTRACTED_TYPES", "PAPER", "AUTHOR", "METHOD", "DATASET", "CONCEPT", "AUTHORED", "PROPOSES", "USES",
           "EVALUATED_ON", "ABOUT"]
