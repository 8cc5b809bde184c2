"""SciREX full-text JSONL (one sentence a line, typed mentions with char offsets) to spaCy Docs and DocBins.

The Docs are tokenised by the rules-mode tokenizer (kg.extract.pipeline.base_pipeline("rules")), so the model
learns on the same tokens the extractor later sees. A mention whose ends fall inside a token is widened to the
whole tokens (alignment_mode="expand"); a widened mention that then overlaps an earlier one is dropped. Both are
counted in ConversionStats.
"""
from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

# SciREX's four mention types, renamed to the upper-case labels the model predicts.
LABELS = {"Method": "METHOD", "Task": "TASK", "Dataset": "DATASET", "Metric": "METRIC"}
# Every TUNE_EVERY-th train document (in doc_id order) is held out to pick the best checkpoint, so that dev is
# only ever used for the final scores.
TUNE_EVERY = 20


@dataclass
class ConversionStats:
    """What a conversion kept, widened and dropped."""

    papers: int = 0
    records: int = 0
    docs: int = 0
    tokens: int = 0
    mentions: int = 0
    kept: int = 0
    expanded: int = 0
    dropped_overlap: int = 0
    dropped_unaligned: int = 0
    empty_sentences_skipped: int = 0
    long_sentences_cut: int = 0
    per_label: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def read_records(path: str | Path, split: str | None = None) -> Iterator[dict]:
    """The JSONL records, optionally only those of one split ("train" or "dev")."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            if split is None or record.get("split") == split:
                yield record


def record_to_doc(nlp: Language, record: dict, stats: ConversionStats | None = None) -> Doc:
    """One sentence as a Doc whose doc.ents are its aligned mentions."""
    stats = stats if stats is not None else ConversionStats()
    doc = nlp.make_doc(record["text"])
    spans: list[Span] = []
    taken: set[int] = set()
    for mention in sorted(record.get("mentions", []), key=lambda m: (m["start_char"], m["end_char"])):
        stats.mentions += 1
        label = LABELS.get(mention["type"])
        if label is None:
            stats.dropped_unaligned += 1
            continue
        start, end = mention["start_char"], mention["end_char"]
        span = doc.char_span(start, end, label=label)
        if span is None:
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is None or len(span) == 0:
                stats.dropped_unaligned += 1
                continue
            stats.expanded += 1
        tokens = set(range(span.start, span.end))
        if tokens & taken:
            stats.dropped_overlap += 1
            continue
        taken |= tokens
        spans.append(span)
        stats.kept += 1
        stats.per_label[label] = stats.per_label.get(label, 0) + 1
    doc.ents = spans
    return doc


def cut_long(doc: Doc, max_tokens: int) -> list[Doc]:
    """A Doc longer than max_tokens cut into pieces of at most max_tokens, never inside an entity.

    (An entity longer than max_tokens stays whole in a longer piece.)"""
    if max_tokens <= 0 or len(doc) <= max_tokens:
        return [doc]
    inside = [False] * (len(doc) + 1)
    for ent in doc.ents:
        for i in range(ent.start + 1, ent.end):
            inside[i] = True
    pieces, start = [], 0
    while start < len(doc):
        end = min(start + max_tokens, len(doc))
        while end < len(doc) and end > start + 1 and inside[end]:
            end -= 1
        if end < len(doc) and inside[end]:  # one entity fills the whole window: take it whole
            end = start + max_tokens
            while end < len(doc) and inside[end]:
                end += 1
        pieces.append(doc[start:end].as_doc())
        start = end
    return pieces


def convert(
    nlp: Language,
    records: Iterable[dict],
    *,
    empty_share: float = 1.0,
    max_tokens: int = 0,
    seed: int = 0,
) -> tuple[list[Doc], ConversionStats]:
    """Docs for the records. Sentences without mentions are kept with probability empty_share (drawn from a
    Random(seed), so the same seed keeps the same ones); sentences over max_tokens tokens are cut (0: never)."""
    rng = random.Random(seed)
    stats = ConversionStats()
    docs: list[Doc] = []
    for record in records:
        stats.records += 1
        if not record.get("mentions") and empty_share < 1.0 and rng.random() >= empty_share:
            stats.empty_sentences_skipped += 1
            continue
        doc = record_to_doc(nlp, record, stats)
        pieces = cut_long(doc, max_tokens)
        if len(pieces) > 1:
            stats.long_sentences_cut += 1
        for piece in pieces:
            stats.docs += 1
            stats.tokens += len(piece)
            docs.append(piece)
    return docs, stats


def build_corpora(
    nlp: Language,
    data: str | Path,
    out_dir: str | Path,
    *,
    seed: int = 0,
    empty_share: float = 0.3,
    max_tokens: int = 100,
) -> dict[str, ConversionStats]:
    """Write train.spacy, tune.spacy and dev.spacy under out_dir; return each one's stats.

    train: the train split less the tune documents, empty sentences subsampled, long ones cut.
    tune: every TUNE_EVERY-th train document, whole; used only to pick the checkpoint.
    dev: the whole dev split, as is; used only for the reported scores."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    train_records = list(read_records(data, "train"))
    train_ids = sorted({r["doc_id"] for r in train_records})
    tune_ids = {d for i, d in enumerate(train_ids) if i % TUNE_EVERY == 0}
    parts = {
        "train": convert(
            nlp,
            (r for r in train_records if r["doc_id"] not in tune_ids),
            empty_share=empty_share,
            max_tokens=max_tokens,
            seed=seed,
        ),
        "tune": convert(nlp, (r for r in train_records if r["doc_id"] in tune_ids)),
        "dev": convert(nlp, read_records(data, "dev")),
    }
    doc_counts = {
        "train": len(train_ids) - len(tune_ids),
        "tune": len(tune_ids),
        "dev": len({r["doc_id"] for r in read_records(data, "dev")}),
    }
    result = {}
    for name, (docs, stats) in parts.items():
        DocBin(attrs=["ENT_IOB", "ENT_TYPE"], docs=docs, store_user_data=False).to_disk(out / f"{name}.spacy")
        stats.per_label = dict(sorted(stats.per_label.items()))
        stats.papers = doc_counts[name]
        result[name] = stats
    return result
