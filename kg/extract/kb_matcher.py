"""Component `kg_kb_matcher`: finds curated KB names and aliases, tolerant of case, plural and hyphenation."""
from __future__ import annotations


import re
from itertools import product

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.extract.kb import KnowledgeBase, load_kb
from kg.extract.mentions import make_mention, mentions_of
from kg.extract.model import DATASET, METHOD
from kg.extract.normalize import singular

MAX_HYPHEN_WORDS = 4
# KB kinds the graph has no node type for: matched (so no other rule grabs "PyTorch"), never emitted.
UNGRAPHED_KINDS = frozenset({"library"})
# An edition, split or version written after a dataset name: "PASCAL VOC 2012", "SQuAD 1.1", "VQA v2.0".
_EDITION = re.compile(r"^((19|20)\d\d|v?\d+(\.\d+)+|v\d+|['\u2019]\d\d)$", re.I)
# Collection nouns that still name the same resource: "Atari 2600 games", "Atari game environments".
_SUITE_WORDS = frozenset({"game", "games", "environment", "environments", "domain", "domains", "suite"})
_MAX_SUITE_WORDS = 2


def _plural(word: str) -> str:
    if word[-1:].isdigit():
        return word
    upper = word.isupper() and len(word) > 1
    if upper:  # acronyms pluralise with a lower-case s: GANs, LLMs
        return word + "s"
    if word.lower().endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.lower().endswith("y") and len(word) > 2 and word[-2].lower() not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _singular_surface(word: str) -> str:
    lower = word.lower()
    base = singular(lower)
    if base == lower:
        return word
    if lower.endswith("ies") and base.endswith("y"):
        return word[:-3] + "y"
    return word[: len(base)]


def _hyphenations(form: str) -> set[str]:
    """The form with its word gaps written as space, hyphen or nothing-at-hyphens."""
    variants = {form, form.replace("-", " "), form.replace("-", "")}
    plain = form.replace("-", " ").split()
    if 1 < len(plain) <= MAX_HYPHEN_WORDS:
        for gaps in product((" ", "-"), repeat=len(plain) - 1):
            variants.add(plain[0] + "".join(g + w for g, w in zip(gaps, plain[1:])))
    return {" ".join(v.split()) for v in variants if v.strip()}


def surface_variants(form: str) -> set[str]:
    """Spellings of one KB form the text may use: hyphen/space/closed, singular and plural.

    An all-caps last word keeps its final S ("PACS" is not the plural of "PAC")."""
    out: set[str] = set()
    for variant in _hyphenations(form):
        head, _, last = variant.rpartition(" ")
        prefix = head + " " if head else ""
        out.update({variant, prefix + _plural(last)})
        if not (last.isupper() and len(last) > 1):
            out.add(prefix + _singular_surface(last))
    return {v for v in out if v}


def _proper_name(form: str) -> bool:
    """"Natural Questions", "Open Images": a capitalised dataset name, not a phrase to inflect or to
    find in lower case ("a natural question", "open images")."""
    words = form.split()
    return len(words) > 1 and all(w[:1].isupper() or w[:1].isdigit() for w in words)


class KbMatcher:
    """Adds a `kb` mention for every longest KB match; the entry decides type and canonical key."""

    def __init__(self, nlp: Language, kb: KnowledgeBase):
        self.kb = kb
        self.loose = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.strict = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.proper_forms: set[str] = set()  # lower-cased dataset names a lower-case match may not stand for
        for entry in kb.entries:
            for form, case_sensitive in entry.surface_forms():
                proper = entry.type == DATASET and _proper_name(form)
                matcher = self.strict if case_sensitive else self.loose
                variants = surface_variants(form)
                matcher.add(entry.key, [nlp.make_doc(v) for v in sorted(variants)])
                if proper:
                    self.proper_forms.update(v.lower() for v in variants)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for matcher in (self.strict, self.loose):
            for match_id, start, end in matcher(doc):
                spans.append(doc[start:end])
                spans[-1].label_ = doc.vocab.strings[match_id]
        found = mentions_of(doc)
        for span in filter_spans(spans):
            entry = self.kb.by_key[span.label_]
            if span.text.islower() and span.text in self.proper_forms:
                continue  # "open images", "natural questions" in running text are words, not the dataset
            if entry.type == DATASET:
                if _article_in_compound(span):
                    continue  # "the Stack-augmented Parser-Interpreter": a word of a longer name, not The Stack
                span = _with_edition_and_suite(span)
            elif entry.type == METHOD:
                span = _with_kind_words(span)
            strong = len(span) > 1 or len(span.text) >= 6 or span.text != span.text.lower()
            rule = "kb-blocked" if entry.kind in UNGRAPHED_KINDS else "kb" if strong else "kb-loose"
            found.append(make_mention(span, rule, type=entry.type, kb_key=entry.key))
        return doc


def _article_in_compound(span: Span) -> bool:
    """A lower-case "the" opening the match and a hyphen glued to its end."""
    doc = span.doc
    glued = span.end < len(doc) and not span[-1].whitespace_ and doc[span.end].text in ("-", "\u2010")
    return span[0].text == "the" and glued


def _with_edition_and_suite(span: Span) -> Span:
    """The dataset name as written in full: the edition and collection noun stay with the KB entry,
    so "PASCAL VOC 2012" and "Atari 2600 games" are surface forms of PASCAL VOC and the ALE."""
    doc, end = span.doc, span.end
    if end < len(doc) and span[-1].whitespace_ and not span[-1].text[-1:].isdigit() and _EDITION.match(doc[end].text):
        end += 1
    added = 0
    while end < len(doc) and added < _MAX_SUITE_WORDS and doc[end - 1].whitespace_ and doc[end].lower_ in _SUITE_WORDS:
        end, added = end + 1, added + 1
    return doc[span.start : end] if end != span.end else span


# Written around a known method, these words name the same thing: "deep convolutional neural network", "the
# bidirectional LSTM model". They stay in the mention (its evidence) and never change the entity.
_LEADING_KIND = frozenset({"deep"})
_TRAILING_KIND = frozenset({"model", "models"})


def _with_kind_words(span: Span) -> Span:
    """The known method's mention with "deep" before it and "model(s)" after it, when written so."""
    doc, start, end = span.doc, span.start, span.end
    if start > 0 and not doc[start - 1].whitespace_:
        return span  # "C-LSTM model": the known name is part of a longer one, and "model" belongs to that
    if start > 0 and doc[start - 1].lower_ in _LEADING_KIND:
        start -= 1
    if end < len(doc) and span[-1].whitespace_ and doc[end].lower_ in _TRAILING_KIND:
        end += 1
    return doc[start:end] if (start, end) != (span.start, span.end) else span


@Language.factory("kg_kb_matcher", default_config={"data_dir": None}, assigns=["doc._.kg_mentions"])
def make_kb_matcher(nlp: Language, name: str, data_dir: str | None):
    """`data_dir` None reads the packaged KB; tests point it at a fixture folder."""
    return KbMatcher(nlp, load_kb(data_dir))
