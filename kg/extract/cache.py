"""Per-paper extraction candidates as compact bytes, so the store can cache them and a load re-runs spaCy
only on papers whose text (or the extractor) changed.

The format is zlib-compressed JSON (never pickle: a store file must not be able to run code). Sentences are
written once per field and mentions point at them, which keeps both the bytes and the decoded objects small.
"""
from __future__ import annotations

import hashlib
import json
import zlib
from functools import lru_cache
from pathlib import Path

from kg.extract.mentions import Abbreviation, Mention
from kg.extract.resolve import FieldCandidates, PaperCandidates

CODEC_VERSION = 1
_MENTION_FIELDS = ("start", "end", "text", "rule", "type", "kb_key", "proposes", "long_form", "starts", "confidence",
                   "variant_of")


def text_hash(title: str | None, abstract: str | None) -> str:
    """What extraction reads of a paper; a paper whose hash is unchanged keeps its cached candidates."""
    data = json.dumps([title or "", abstract], ensure_ascii=False)
    return hashlib.sha1(data.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=None)
def extractor_version(mode: str) -> str:
    """Fingerprint of the extractor: its code, its KB data and the spaCy pipeline mode. Any change
    invalidates every cached candidate, so the cache can never serve output of another extractor."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha1(f"{CODEC_VERSION}:{mode}".encode())
    for path in sorted([*here.rglob("*.py"), *here.glob("data/*.jsonl")]):
        digest.update(str(path.relative_to(here)).encode())
        digest.update(path.read_bytes())
    return f"{mode}:{digest.hexdigest()[:12]}"


def encode(paper: PaperCandidates) -> bytes:
    fields = []
    for fc in paper.fields:
        sentences: dict[str, int] = {}
        mentions = []
        for m in fc.mentions:
            index = sentences.setdefault(m.sentence, len(sentences))
            mentions.append([index, *(getattr(m, name) for name in _MENTION_FIELDS)])
        abbreviations = [[a.short, a.long, a.short_start, a.long_start, a.long_end] for a in fc.abbreviations]
        fields.append([fc.field, fc.text, list(sentences), mentions, abbreviations])
    return zlib.compress(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def decode(paper_id: str, blob: bytes) -> PaperCandidates:
    fields = []
    for field_name, text, sentences, mentions, abbreviations in json.loads(zlib.decompress(blob)):
        decoded = []
        for index, *values in mentions:
            m = Mention(**dict(zip(_MENTION_FIELDS, values)), sentence=sentences[index])
            m.starts = tuple(m.starts)
            decoded.append(m)
        fields.append(FieldCandidates(field_name, text, decoded, [Abbreviation(*a) for a in abbreviations]))
    return PaperCandidates(paper_id, fields)


def encode_chosen(items) -> bytes:
    """A paper's chosen mentions with their identity (stage 2 of the corpus step), for the store."""
    sentences: dict[str, int] = {}
    rows = []
    for r in items:
        m = r.mention
        index = sentences.setdefault(m.sentence, len(sentences))
        rows.append([r.field, r.key, r.kb, r.expansion, r.folded, index,
                     *(getattr(m, name) for name in _MENTION_FIELDS)])
    data = [list(sentences), rows]
    return zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def decode_chosen(blob: bytes) -> list:
    from kg.extract.resolve import _Resolved

    sentences, rows = json.loads(zlib.decompress(blob))
    items = []
    for field_name, key, kb, expansion, folded, index, *values in rows:
        m = Mention(**dict(zip(_MENTION_FIELDS, values)), sentence=sentences[index])
        m.starts = tuple(m.starts)
        items.append(_Resolved(field_name, m, key, kb, expansion, folded))
    return items
