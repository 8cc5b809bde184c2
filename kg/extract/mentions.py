"""Per-document scratch records the components write onto `doc._`, read later by the corpus step.

Components only add candidates; deciding identity, type and relation needs the whole corpus.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from kg.extract.lexicon import CONCEPT_HEADS
from kg.extract.normalize import singular

# Rule strength → confidence of a mention found by it.
CONFIDENCE = {
    "kb": 0.95,
    "kb-loose": 0.8,
    "abbrev": 0.85,
    "title-prefix": 0.9,
    "title-name": 0.8,
    "propose-verb": 0.85,
    "called-name": 0.85,
    "dataset-cue": 0.75,
    "shorthand": 0.75,
    "coined-name": 0.6,
    "acronym": 0.45,
    "noun-phrase": 0.55,
    "phrase-stats": 0.45,
    "title-topic": 0.7,
    "topic-word": 0.5,
    "span-task": 0.55,
    "span-name": 0.6,
    "whole-name": 0.8,
    "task-phrase": 0.6,
    "task-coordination": 0.55,
    "task-listed": 0.55,
    "objective-name": 0.6,
    "objective-list": 0.7,
    "we-call": 0.8,
    "our-defined": 0.8,
    "own-apposition": 0.75,
    "regime-variant": 0.7,
    "listed-name": 0.6,
    "propose-phrase": 0.6,
    "propose-defined": 0.7,
}
# Which candidate wins when two overlap (higher first).
PRIORITY = {
    "kb": 6,
    "kb-blocked": 6,
    "title-topic": 6,  # only beats a KB match it contains (longer wins among equals)
    "kb-loose": 5,
    "abbrev": 5,
    "title-prefix": 4,
    "title-name": 6,
    "propose-verb": 4,
    "called-name": 4,
    "dataset-cue": 3,
    "shorthand": 5,
    "coined-name": 2,
    "acronym": 1,
    "noun-phrase": 1,
    "phrase-stats": 1,
    "topic-word": 0,  # any longer candidate over the same word wins
    "span-task": 1,
    "span-name": 2,
    "task-phrase": 1,
    "task-coordination": 1,
    "task-listed": 1,
    "objective-name": 1,
    "objective-list": 4,
    "we-call": 4,
    "our-defined": 4,
    "own-apposition": 4,
    "regime-variant": 3,
    "listed-name": 2,
    "propose-phrase": 1,
    "propose-defined": 4,  # a known name the paper proposes: it carries the proposal over the KB match
}


@dataclass
class Mention:
    """A candidate name in one field: offsets into that field's text plus what the rule knew."""

    start: int
    end: int
    text: str
    rule: str
    sentence: str = ""
    type: str | None = None  # None: decide from corpus votes, default Method
    kb_key: str | None = None
    proposes: bool = False
    long_form: str | None = None  # expansion defined next to this acronym in the same doc
    starts: tuple[int, ...] = ()  # concept phrases: alternative (shorter) start offsets
    confidence: float = field(default=0.0)
    variant_of: str | None = None  # KB key of the known name this whole name is built on (corpus step)

    def __post_init__(self) -> None:
        if not self.confidence:
            self.confidence = CONFIDENCE.get(self.rule, 0.5)

    @property
    def priority(self) -> int:
        """A defined acronym's long form ranks with KB names, so the longer wins: "Decoder-Only randomly
        projected Hypernetwork (D'OH)" is one name, not the KB's "Hypernetwork" with words around it."""
        if self.rule == "abbrev" and self.long_form is None and not _ends_in_task_word(self.text):
            return PRIORITY["kb"]  # a task long form ("document question answering") leaves the KB task alone
        return PRIORITY.get(self.rule, 0)


@dataclass(frozen=True)
class Abbreviation:
    """A short form defined next to its long form in one doc ("Masked Autoencoders (MAE)")."""

    short: str
    long: str
    short_start: int
    long_start: int
    long_end: int


def _ends_in_task_word(text: str) -> bool:
    words = text.lower().split()
    return bool(words) and singular(words[-1]) in CONCEPT_HEADS


def _register() -> None:
    for name, default in (("kg_mentions", None), ("kg_abbreviations", None), ("kg_field", "abstract")):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


_register()


def mentions_of(doc: Doc) -> list[Mention]:
    """The doc's mention list, created on first use (a mutable default would be shared)."""
    if doc._.kg_mentions is None:
        doc._.kg_mentions = []
    return doc._.kg_mentions


def abbreviations_of(doc: Doc) -> list[Abbreviation]:
    if doc._.kg_abbreviations is None:
        doc._.kg_abbreviations = []
    return doc._.kg_abbreviations


def text_of(doc: Doc) -> str:
    """The doc's text, joined once per doc (`Doc.text` joins its tokens on every call)."""
    cached = doc.user_data.get("kg_text")
    if cached is None:
        cached = doc.user_data["kg_text"] = doc.text
    return cached


def sentence_of(span: Span) -> str:
    """The sentence around a span, or the whole doc when no sentence boundaries were set."""
    doc = span.doc
    if doc.has_annotation("SENT_START"):
        return span.sent.text
    return text_of(doc)


def make_mention(span: Span, rule: str, **extra) -> Mention:
    return Mention(span.start_char, span.end_char, span.text, rule, sentence_of(span), **extra)


def short_key(short: str) -> str:
    """"FRRNs" and "FRRN" are one acronym."""
    return short[:-1] if len(short) > 2 and short.endswith("s") and short[:-1].isupper() else short
