"""What the extractor hands to the graph layer: per paper, canonical entities with their evidence."""
from __future__ import annotations

from dataclasses import dataclass, field

METHOD = "Method"
DATASET = "Dataset"
CONCEPT = "Concept"
METRIC = "Metric"  # what results are measured in (accuracy, BLEU, MSE): never a Method
ENTITY_TYPES = (METHOD, DATASET, CONCEPT, METRIC)

PROPOSES = "PROPOSES"
USES = "USES"
EVALUATED_ON = "EVALUATED_ON"
ABOUT = "ABOUT"


@dataclass
class Evidence:
    """One mention backing an edge: the sentence, where it sits, and which rule or KB entry fired."""

    field: str  # "title" or "abstract"
    start: int  # character offsets of the mention inside that field
    end: int
    text: str  # the surface form as written
    sentence: str
    rule: str  # e.g. "kb:method:bert", "abbrev", "propose-verb", "coined-name"
    confidence: float

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class EntityHit:
    """A canonical entity found in one paper, the relation the paper has to it, and every mention."""

    type: str  # METHOD, DATASET or CONCEPT
    key: str  # normalised identity, stable across the corpus (e.g. "vision transformer")
    name: str  # canonical display name (e.g. "Vision Transformer")
    relation: str  # PROPOSES, USES, EVALUATED_ON or ABOUT
    aliases: list[str] = field(default_factory=list)  # surface forms seen in this paper
    evidence: list[Evidence] = field(default_factory=list)
    # A whole name built on a known one ("Gumbel Tree-LSTM" on Tree-LSTM): the parent's (type, key, name).
    # The graph draws it as (variant)-[:VARIANT_OF]->(parent); the paper does not USE the parent for it.
    variant_of: tuple[str, str, str] | None = None

    @property
    def confidence(self) -> float:
        return max((e.confidence for e in self.evidence), default=0.0)
