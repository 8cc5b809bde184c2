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


_PHRASES = frozenset({"phrase-stats", "noun-phrase"})


def _judged(mentions) -> list:
    """Candidates the corpus step checks against the model's spans: names no KB entry explains, and concept
    phrases that only the model can confirm (not repeated in the doc, not overlapping a KB match, which wins
    the stretch anyway). Bare topic words never read the spans."""
    kb = [(m.start, m.end) for m in mentions if m.kb_key]
    texts = {}
    for m in mentions:
        if m.rule in _PHRASES:
            texts[m.text.lower()] = texts.get(m.text.lower(), 0) + 1
    out = []
    for m in mentions:
        if m.kb_key or m.rule == "topic-word":
            continue
        if m.rule in _PHRASES and (texts[m.text.lower()] > 1 or any(a < m.end and m.start < b for a, b in kb)):
            continue
        out.append(m)
    return out


class SpanModelComponent:
    """Puts the span model's predictions on doc.spans[spans_key].

    With `candidate_sentences`, the model reads only the sentences where an earlier component left a candidate
    mention that no KB entry explains (the model was trained on single sentences, and the sentences without
    such a candidate have nothing for it to judge): most of the model's cost for a little of its use."""

    def __init__(self, model: Language, spans_key: str = SPANS_KEY, batch_size: int = 64,
                 candidate_sentences: bool = False, host: Language | None = None):
        self.model = model
        self.spans_key = spans_key
        self.batch_size = batch_size
        self.candidate_sentences = candidate_sentences
        # A host with the model's own tokenizer (rules mode) hands its tokens over instead of its text: the
        # ner reads copies of the host's sentences, so nothing is tokenized twice.
        self.ner = model.get_pipe("ner") if host is not None and model.has_pipe("ner") else None
        if self.ner is not None:
            for label in self.ner.labels:
                host.vocab.strings.add(label)

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            pieces = [(doc, start, text) for doc in batch for start, text in self._pieces(doc)]
            if self.ner is not None:
                predicted = self.ner.pipe([text for _, _, text in pieces], batch_size=max(1, len(pieces)))
            else:
                predicted = self.model.pipe([text for _, _, text in pieces], batch_size=max(1, len(pieces)))
            found: dict[int, list[Span]] = {id(doc): [] for doc in batch}
            for (doc, start, _), pred in zip(pieces, predicted):
                found[id(doc)].extend(self._spans(doc, start, pred))
            for doc in batch:
                doc.spans[self.spans_key] = found[id(doc)]
                yield doc

    def _pieces(self, doc: Doc) -> list[tuple[int, "str | Doc"]]:
        """(start offset, text or copied tokens) of what the model reads: the doc, or its candidate sentences."""
        if not self.candidate_sentences or not doc.has_annotation("SENT_START"):
            return [(0, doc.copy() if self.ner is not None else doc.text)]
        from kg.extract.mentions import mentions_of  # the host pipeline's candidates

        starts = sorted(m.start for m in _judged(mentions_of(doc)))
        pieces, i = [], 0
        for sent in doc.sents:
            while i < len(starts) and starts[i] < sent.start_char:
                i += 1
            if i < len(starts) and starts[i] < sent.end_char:
                pieces.append((sent.start_char, sent.as_doc() if self.ner is not None else sent.text))
        return pieces

    @staticmethod
    def _spans(doc: Doc, offset: int, pred: Doc) -> list[Span]:
        spans: list[Span] = []
        for ent in pred.ents:
            # "expand" only matters when the host tokenizer differs (a trained English pipeline).
            span = doc.char_span(offset + ent.start_char, offset + ent.end_char, label=ent.label_,
                                 alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        return spans


@Language.factory(
    "kg_span_model",
    assigns=["doc.spans"],
    default_config={"model_path": None, "spans_key": SPANS_KEY, "batch_size": 64, "candidate_sentences": False,
                    "share_tokens": False},
)
def make_span_model(nlp: Language, name: str, model_path: str | None, spans_key: str, batch_size: int,
                    candidate_sentences: bool, share_tokens: bool) -> SpanModelComponent:
    """`share_tokens`: the host tokenizes exactly like the model (rules mode), so the model reads its tokens."""
    return SpanModelComponent(load_span_model(model_path), spans_key=spans_key, batch_size=batch_size,
                              candidate_sentences=candidate_sentences, host=nlp if share_tokens else None)
