"""A training regime written before a known technique names a procedure of its own (GUIDELINES M6): "supervised
fine-tuning", "full fine-tuning", "continued pre-training"; the known technique is its parent."""
from __future__ import annotations

from spacy.tokens import Doc

from kg.extract.mentions import Mention, make_mention, mentions_of
from kg.extract.model import METHOD

REGIME_VARIANT = "regime-variant"
REGIME_WORDS = frozenset(
    "supervised unsupervised self-supervised semi-supervised full partial continued multi-task instruction".split()
)


def regime_variants(doc: Doc) -> list[Mention]:
    """A lower-case known method right after a regime word is that regime's procedure, a variant of it."""
    out = []
    for m in mentions_of(doc):
        if not m.kb_key or m.type != METHOD or not m.rule.startswith("kb") or not m.text.islower():
            continue
        span = doc.char_span(m.start, m.end)
        if span is not None and span.start > 0 and doc[span.start - 1].lower_ in REGIME_WORDS:
            out.append(make_mention(doc[span.start - 1 : span.end], REGIME_VARIANT, type=METHOD))
    return out
