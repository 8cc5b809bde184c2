"""Typing a new name from its own shape and from the words around it ("the X dataset", "X network")."""
from __future__ import annotations

import re

from spacy.tokens import Span

from kg.extract.lexicon import DATASET_CONTEXT, DATASET_CUES, METHOD_CUES
from kg.extract.model import DATASET, METHOD

_DATASET_SUFFIX = re.compile(r"(bench|benchmark|dataset|data|corpus|set|db|qa|1k|22k)$", re.I)
_METHOD_SUFFIX = re.compile(r"(net|nets|gan|bert|former|formers|rnn|cnn|lstm|vae|nerf|diffusion|llm|gpt)$", re.I)
_NOT_EVAL_ON = {"based", "built", "relies", "rely", "relying", "depends", "depend", "depending", "focus",
                "focuses", "focusing", "focused", "conditioned", "conditioning", "build", "builds", "act", "acts",
                "operates", "operate", "work", "works", "rest", "rests", "draw", "draws", "improves", "improve"}
_EVAL_WORDS = {"evaluate", "evaluated", "evaluating", "evaluation", "experiments", "experiment", "results", "tested",
               "test", "trained", "train", "training", "accuracy", "performance", "outperforms", "achieves", "benchmark",
               "benchmarks", "state-of-the-art", "sota", "fine-tuned", "finetuned", "pretrained", "pre-trained"}


def type_from_name(text: str) -> str | None:
    """Names often say what they are: "3DIEBench" is a benchmark, "HNeRV"/"ResNet" are models."""
    word = text.replace(" ", "").replace("-", "")
    if _DATASET_SUFFIX.search(word):
        return DATASET
    if _METHOD_SUFFIX.search(word):
        return METHOD
    return None


def type_from_words(words: list[str]) -> str | None:
    """The nearest cue noun among `words` (closest last) decides."""
    for word in reversed(words):
        low = word.lower()
        if low in DATASET_CUES:
            return DATASET
        if low in METHOD_CUES:
            return METHOD
    return None


def type_from_context(span: Span) -> str | None:
    """Dataset/Method from the cue noun right after the name, a list head before it, or "evaluated on X"."""
    doc = span.doc
    described = _appositive_type(doc[span.end : span.end + 7])
    if described:
        return described
    after = [t.text for t in doc[span.end : span.end + 2] if not t.is_punct]
    if after:
        found = type_from_words(after[:1])
        if found:
            return found
    if _bracketed_after_data(span):
        return DATASET
    sent = span.sent if doc.has_annotation("SENT_START") else doc[:]
    before = doc[max(sent.start, span.start - 6) : span.start]
    lowered = [t.lower_ for t in before]
    if any(w in ("such", "including", "like", "e.g.", "(", ":") for w in lowered[-4:]):
        found = type_from_words([t.text for t in before])
        if found:
            return found
    if lowered[-1:] == ["on"] or lowered[-2:-1] == ["on"] and lowered[-1:] == ["the"]:
        on_index = len(lowered) - 1 - lowered[::-1].index("on")
        verb = lowered[on_index - 1] if on_index > 0 else ""
        sentence_words = {t.lower_ for t in sent}
        if verb not in _NOT_EVAL_ON and (sentence_words & (_EVAL_WORDS | DATASET_CONTEXT) or on_index == 0):
            return DATASET
    return type_from_name(span.text)


# Plural nouns of data: a name in brackets right after one names the collection ("books (PG-19)").
_DATA_NOUNS = frozenset("""books articles papers documents images photos videos clips recordings sentences texts
    dialogues conversations tweets reviews questions news web pages programs proofs molecules proteins graphs
    scenes games""".split())


def _bracketed_after_data(span: Span) -> bool:
    doc = span.doc
    return span.start >= 2 and doc[span.start - 1].text == "(" and doc[span.start - 2].lower_ in _DATA_NOUNS \
        and span.end < len(doc) and doc[span.end].text == ")"


_APPOSITIVE_END = frozenset({"of", "for", "that", "which", "with", "to", "in", "on", "from", "and", "or"})


def _appositive_type(after: Span) -> str | None:
    """"WikiMovies, a QA dataset": the head noun of the description right after the name says what it is."""
    if len(after) < 3 or after[0].text != "," or after[1].lower_ not in ("a", "an", "the"):
        return None
    head = None
    for token in after[2:]:
        if token.is_punct or token.lower_ in _APPOSITIVE_END:
            break
        head = token.text
    return type_from_words([head]) if head else None
