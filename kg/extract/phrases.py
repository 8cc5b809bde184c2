"""Component `kg_concept_phrases`: candidate task/concept phrases ending in a task head
("semantic image segmentation", "self-supervised learning").

Every candidate keeps its shorter variants (`Mention.starts`); the corpus step keeps the longest one
that recurs across papers or appears in a title, so one-off word salad does not become a concept.
With a parser loaded the phrase may not reach left of its noun chunk.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.lexicon import CONCEPT_HEADS, NAME_STOP, PHRASE_STOP
from kg.extract.mentions import Mention, mentions_of, sentence_of
from kg.extract.model import CONCEPT
from kg.extract.names import words_of
from kg.extract.normalize import singular

MAX_MODIFIERS = 4


def is_head(run: Span) -> bool:
    low = run.text.lower()
    return singular(low) in CONCEPT_HEADS or low.rsplit("-", 1)[-1] in CONCEPT_HEADS


def _modifier_ok(run: Span) -> bool:
    text = run.text
    low = text.lower()
    if low in PHRASE_STOP or text in NAME_STOP or low.split("-", 1)[0] in PHRASE_STOP:
        return False
    letters = sum(c.isalpha() for c in text)
    return letters >= 2 and all(c.isalnum() or c == "-" for c in text) and not (text.isupper() and len(text) > 1 and letters > 3)


class ConceptPhraseFinder:
    def __call__(self, doc: Doc) -> Doc:
        parsed = doc.has_annotation("DEP")
        chunk_start = _chunk_starts(doc) if parsed else {}
        words = words_of(doc)
        found = mentions_of(doc)
        for index, run in enumerate(words):
            if not is_head(run):
                continue
            starts = self._modifier_starts(doc, words, index)
            if not starts and "-" in run.text.strip("-"):
                starts = [run.start]  # "super-resolution" is a task on its own
            if parsed:
                floor = chunk_start.get(run.end - 1)
                starts = [s for s in starts if floor is None or s >= floor] if floor is not None else starts
            if not starts:
                continue
            span = doc[starts[0] : run.end]
            found.append(
                Mention(
                    span.start_char,
                    span.end_char,
                    span.text,
                    "noun-phrase" if parsed else "phrase-stats",
                    sentence_of(span),
                    type=CONCEPT,
                    starts=tuple(doc[s].idx for s in starts),
                )
            )
        return doc

    @staticmethod
    def _modifier_starts(doc: Doc, words: list[Span], index: int) -> list[int]:
        """Token starts of 1..MAX_MODIFIERS modifier words before the head, longest first."""
        starts = []
        i = index - 1
        while i >= 0 and len(starts) < MAX_MODIFIERS:
            run, nxt = words[i], words[i + 1]
            if len(doc[run.end : nxt.start]) or not doc[run.end - 1].whitespace_ or not _modifier_ok(run):
                break
            if run.text.lower().endswith("ing") and (run.text.lower() not in CONCEPT_HEADS or run.text[0].isupper()):
                break  # "Understanding X", "using X", "improving X": a verb, not part of the name
            starts.append(run.start)
            i -= 1
        return starts[::-1]


def _chunk_starts(doc: Doc) -> dict[int, int]:
    """Root token index → first content token of its noun chunk (determiners and stop words skipped)."""
    out = {}
    for chunk in doc.noun_chunks:
        start = chunk.start
        while start < chunk.end - 1 and (doc[start].lower_ in PHRASE_STOP or doc[start].pos_ in ("DET", "PRON", "NUM")):
            start += 1
        out[chunk.root.i] = start
        out[chunk.end - 1] = start
    return out


@Language.factory("kg_concept_phrases")
def make_concept_phrase_finder(nlp: Language, name: str):
    return ConceptPhraseFinder()
