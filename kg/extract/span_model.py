"""kg's own trained span model (kg/extract/span_model/, trained by `python -m kg.train`) and a thin component.

load_span_model() returns the shipped spaCy pipeline (cached; nothing is downloaded). The "kg_span_model" factory
runs it on each doc (or on the windows around its candidates) and puts its typed spans (METHOD, TASK, DATASET,
METRIC) on doc.spans["kg_model"], so the host pipeline's tokens and doc.ents are left as they are. The model was
trained on the rules-mode tokenizer's tokens: in rules mode it reads the host's tokens and its spans map back by
token index; another host's text is read afresh and mapped back by character offsets.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import numpy
import spacy
from spacy.language import Language
from thinc.api import NumpyOps
from threadpoolctl import ThreadpoolController
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


def receptive_field(model: Language) -> int:
    """Tokens either side of a token that its vector reads: the tok2vec CNN's depth times its window."""
    tok2vec = model.config["components"]["ner"]["model"]["tok2vec"]
    return int(tok2vec["depth"]) * int(tok2vec["window_size"])


def reading_windows(doc: Doc, mentions, context: int | None) -> list[tuple[int, int]]:
    """Token ranges the model reads: each candidate with `context` tokens either side (None: its whole
    sentence), cut at its sentence's edges, overlapping ranges merged. With the model's receptive field as
    context a candidate's tokens get the vectors the whole sentence would give them, for a fraction of it."""
    spans = sorted((s for s in (doc.char_span(m.start, m.end, alignment_mode="expand") for m in mentions)
                    if s is not None and len(s)), key=lambda s: s.start)
    windows: list[list[int]] = []
    for span in spans:
        sent = span.sent
        a = sent.start if context is None else max(sent.start, span.start - context)
        b = sent.end if context is None else min(sent.end, span.end + context)
        if windows and a < windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    return [(a, b) for a, b in windows]


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


READS = ("doc", "sentences", "windows")


class SpanModelComponent:
    """Puts the span model's predictions on doc.spans[spans_key].

    `read` says what of each doc the model reads: all of it ("doc"), the sentences where an earlier component
    left a candidate that no KB entry explains ("sentences": the sentences without one have nothing for it to
    judge), or only the tokens around such candidates, as far as the model's CNN sees ("windows": a candidate
    reads as in its whole sentence, at about half the tokens)."""

    def __init__(self, model: Language, spans_key: str = SPANS_KEY, batch_size: int = 64, read: str = "doc",
                 host: Language | None = None):
        if read not in READS:
            raise ConfigError(f"kg_span_model read={read!r}: one of {', '.join(READS)}")
        self.model = model
        self.spans_key = spans_key
        self.batch_size = batch_size
        self.read = read
        self.context = receptive_field(model) if read == "windows" else None
        # A host with the model's own tokenizer (rules mode) hands its tokens over instead of its text: the
        # ner reads copies of the host's tokens, so nothing is tokenized twice.
        self.ner = model.get_pipe("ner") if host is not None and model.has_pipe("ner") else None
        if self.ner is not None:
            for label in self.ner.labels:
                host.vocab.strings.add(label)

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            pieces = [(doc, start, piece) for doc in batch for start, piece in self._pieces(doc)]
            reader = self.ner if self.ner is not None else self.model
            with one_blas_thread():
                predicted = list(reader.pipe([piece for _, _, piece in pieces], batch_size=max(1, len(pieces))))
            found: dict[int, list[Span]] = {id(doc): [] for doc in batch}
            for (doc, start, _), pred in zip(pieces, predicted):
                found[id(doc)].extend(self._spans(doc, start, pred))
            for doc in batch:
                doc.spans[self.spans_key] = found[id(doc)]
                yield doc

    def _pieces(self, doc: Doc) -> list[tuple[int, "str | Doc"]]:
        """(where it starts, text or tokens) of each piece the model reads; where: a token index when the
        model reads the host's tokens, else a character offset."""
        if self.read == "doc" or not doc.has_annotation("SENT_START"):
            return [(0, doc.copy() if self.ner is not None else doc.text)]
        from kg.extract.mentions import mentions_of  # the host pipeline's candidates

        windows = reading_windows(doc, _judged(mentions_of(doc)), self.context)
        if self.ner is None:
            return [(doc[a].idx, doc[a:b].text) for a, b in windows]
        return [(a, _tokens(doc[a:b])) for a, b in windows]

    def _spans(self, doc: Doc, start: int, pred: Doc) -> list[Span]:
        if self.ner is not None:  # the same tokens: map by token index
            return [Span(doc, start + e.start, start + e.end, label=e.label_) for e in pred.ents]
        spans: list[Span] = []
        for ent in pred.ents:
            # Another tokenizer (a trained English pipeline): "expand" to the host's tokens.
            span = doc.char_span(start + ent.start_char, start + ent.end_char, label=ent.label_,
                                 alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        return spans


def _tokens(span: Span) -> Doc:
    """The span's own tokens as a new Doc: far cheaper than Span.as_doc, which copies every attribute."""
    return Doc(span.doc.vocab, words=[t.text for t in span], spaces=[bool(t.whitespace_) for t in span])


_BLAS = ThreadpoolController()


def one_blas_thread():
    """The model's matrix products on one BLAS thread: the extractor already runs one process per core
    (kg.extract.parallel), and OpenBLAS's spinning threads slow it down several times whenever another
    process holds a core."""
    return _BLAS.limit(limits=1, user_api="blas")


@Language.factory(
    "kg_span_model",
    assigns=["doc.spans"],
    default_config={"model_path": None, "spans_key": SPANS_KEY, "batch_size": 64, "read": "doc",
                    "share_tokens": False},
)
def make_span_model(nlp: Language, name: str, model_path: str | None, spans_key: str, batch_size: int,
                    read: str, share_tokens: bool) -> SpanModelComponent:
    """`share_tokens`: the host tokenizes exactly like the model (rules mode), so the model reads its tokens."""
    return SpanModelComponent(load_span_model(model_path), spans_key=spans_key, batch_size=batch_size,
                              read=read, host=nlp if share_tokens else None)
