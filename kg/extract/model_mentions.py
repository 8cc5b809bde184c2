"""Component `kg_model_mentions`: the span model's typed spans (doc.spans["kg_model"]) as candidates.

They are kept as `Mention`s with a `span-*` rule so the per-paper cache holds them and the corpus step can
use them as evidence: to type the rules' names, to accept task phrases and to reject metrics. They are not
entities by themselves; `kg.extract.span_evidence` decides what they add.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.mentions import Mention, mentions_of, sentence_of
from kg.extract.span_model import SPANS_KEY

SPAN_RULES = {"METHOD": "span-method", "DATASET": "span-dataset", "TASK": "span-task", "METRIC": "span-metric"}
SPAN_RULE_SET = frozenset(SPAN_RULES.values())


def model_mentions(doc: Doc, spans_key: str = SPANS_KEY) -> list[Mention]:
    """One `span-<label>` mention per predicted span (offsets into the doc's text)."""
    if spans_key not in doc.spans:
        return []
    return [Mention(s.start_char, s.end_char, s.text, SPAN_RULES[s.label_], sentence_of(s))
            for s in doc.spans[spans_key] if s.label_ in SPAN_RULES]


class ModelMentions:
    def __init__(self, spans_key: str = SPANS_KEY):
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        mentions_of(doc).extend(model_mentions(doc, self.spans_key))
        return doc


@Language.factory("kg_model_mentions", default_config={"spans_key": SPANS_KEY}, assigns=["doc._.kg_mentions"],
                  requires=["doc.spans"])
def make_model_mentions(nlp: Language, name: str, spans_key: str) -> ModelMentions:
    return ModelMentions(spans_key)
