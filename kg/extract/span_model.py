"""kg's own trained span model (kg/extract/span_model/, trained by `python -m kg.train`) and a thin component.

load_span_model() returns the shipped spaCy pipeline (cached; nothing is downloaded). The "kg_span_model" factory
runs it on each doc's text and puts its typed spans (METHOD, TASK, DATASET, METRIC) on doc.spans["kg_model"],
mapped back by character offsets, so the host pipeline's tokens and doc.ents are left as they are. The model was
trained on the rules-mode tokenizer's tokens, so in rules mode the offsets fall on token boundaries exactly.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import numpy
import spacy
from spacy.language import Language
from thinc.api import NumpyOps
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from kg.errors import ConfigError

SPAN_MODEL_DIR = Path(__file__).resolve().parent / "span_model"
SPANS_KEY = "kg_model"
LABELS = ("METHOD", "TASK", "DATASET", "METRIC")


class BlasOps(NumpyOps):
    """thinc's NumpyOps multiplies matrices with blis; numpy's own BLAS does the span model's products
    (tokens x 288 by 288 x 288) about three times faster on one thread, and the matrix products are most of
    the model's time. Same float32 products, up to rounding."""

    name = "kg-numpy"

    def gemm(self, x, y, out=None, trans1=False, trans2=False):
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if out is None:
            return numpy.matmul(a, b)
        numpy.matmul(a, b, out=out)
        return out


@lru_cache(maxsize=4)
def _load(path: str) -> Language:
    if not (Path(path) / "meta.json").is_file():
        raise ConfigError(f"span model not found at {path}; train it with `python -m kg.train --out {path}`")
    nlp = spacy.load(path)
    ops = BlasOps()
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        for node in model.walk() if model is not None else ():
            node.ops = ops
    return nlp


def load_span_model(path: str | Path | None = None) -> Language:
    """The trained span pipeline (tokenizer + ner), loaded once per path."""
    return _load(str(Path(path) if path is not None else SPAN_MODEL_DIR))


class SpanModelComponent:
    """Puts the span model's predictions on doc.spans[spans_key]."""

    def __init__(self, model: Language, spans_key: str = SPANS_KEY, batch_size: int = 64):
        self.model = model
        self.spans_key = spans_key
        self.batch_size = batch_size

    def __call__(self, doc: Doc) -> Doc:
        return self._annotate(doc, self.model(doc.text))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            predicted = self.model.pipe([doc.text for doc in batch], batch_size=len(batch))
            for doc, pred in zip(batch, predicted):
                yield self._annotate(doc, pred)

    def _annotate(self, doc: Doc, pred: Doc) -> Doc:
        spans: list[Span] = []
        for ent in pred.ents:
            # "expand" only matters when the host tokenizer differs (a trained English pipeline).
            span = doc.char_span(ent.start_char, ent.end_char, label=ent.label_, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory(
    "kg_span_model",
    default_config={"model_path": None, "spans_key": SPANS_KEY, "batch_size": 64},
)
def make_span_model(nlp: Language, name: str, model_path: str | None, spans_key: str, batch_size: int) -> SpanModelComponent:
    return SpanModelComponent(load_span_model(model_path), spans_key=spans_key, batch_size=batch_size)
