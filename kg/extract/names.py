"""Component `kg_new_names`: names the KB does not know yet.

Rules: title prefix ("BERT4Rec: ..."), "we propose/introduce X", "called/dubbed X", coined tokens
(DirectPred, GPT-3, 3DIEBench), bare acronyms (linked to their expansion later) and "X dataset/benchmark".
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.entity_types import type_from_context, type_from_name, type_from_words
from kg.extract.lexicon import (
    DATASET_CUES,
    NAME_STOP,
    NAMING_WORDS,
    PROPOSE_VERBS,
    GENERIC_NAME_WORDS,
    TITLE_CONNECTORS,
    TITLE_NAME_HEADS,
    TITLE_PREFIX_STOP,
)
from kg.extract.mentions import make_mention, mentions_of
from kg.extract.model import DATASET, METHOD

_UNIT = re.compile(r"^\d+(\.\d+)?[a-zA-Z]{1,3}$")
_ROMAN = re.compile(r"^[IVXLC]+$")
_DIMENSION = re.compile(r"^\d[A-Z]$")  # "3D", "6D" inside a name
_LOWER_CODED = re.compile(r"^[a-z]+\d+[a-z]+$")  # word2vec, seq2seq
_SCAN_STOP = {"that", "which", "to", "for", "on", "of", "with", "in", "by", "from", "where", "whereby", "who",
              "because", "since", "and", "but", "while", "as"}
_OWN_WORDS = {"we", "our", "novel", "new", "this", "here", "proposed"}
_LIST_GLUE = {",", "and", "or", "&", "/", "as", "well"}
_MAX_TITLE_PREFIX_WORDS = 4
_PROPOSE_WINDOW = 14


_NAME_CHARS = re.compile(r"^[\w\-.+]+$")
_GLUED_SENTENCE = re.compile(r"[a-z]\.[A-Za-z]")  # "attention.Because": a missing space, not a name


@lru_cache(maxsize=65536)
def name_shape(word: str) -> str | None:
    """'coined' for DirectPred/GPT-3/3DIEBench/word2vec, 'acronym' for BYOL/SSL, None for ordinary words.

    Hyphenated words are judged by their parts: "As-ViT" and "STL-10" are names, "PAC-Bayesian",
    "Image-Based" and "PD-maximizing" are ordinary compounds."""
    if word.islower() and word.isalpha():
        return None  # the common case: an ordinary lower-case word
    core = word.strip("-.")
    if not _NAME_CHARS.match(core) or core in NAME_STOP or word in NAME_STOP or _GLUED_SENTENCE.search(core):
        return None
    parts = [p for p in core.split("-") if p]
    if len(parts) > 1:
        shapes = [_part_shape(p) for p in parts]
        if "coined" in shapes:
            return "coined"
        if "acronym" in shapes and all(s in ("acronym", "number", "letter") for s in shapes):
            return "coined" if len(set(shapes)) > 1 else "acronym"
        return None
    return _part_shape(core)


def _part_shape(core: str) -> str | None:
    if core.isdigit() or re.fullmatch(r"v?\d+(\.\d+)?[a-z]?", core):
        return "number"
    letters = [c for c in core if c.isalpha()]
    if len(core) == 1 and core.isupper():
        return "letter"
    if len(letters) < 2 or core in NAME_STOP or _UNIT.match(core) or _ROMAN.match(core):
        return None
    if core.startswith(("http", "www")) or "\\" in core or "$" in core or "@" in core:
        return None
    has_digit = any(c.isdigit() for c in core)
    upper_inside = any(c.isupper() for c in core[1:])
    has_lower = any(c.islower() for c in core)
    if upper_inside and has_lower:
        return "coined"
    if has_digit and (any(c.isupper() for c in core) and len(letters) >= 2 or _LOWER_CODED.match(core)):
        return "coined"
    if not has_lower and core.isalpha() and len(core) >= 2:
        return "acronym"
    return None


def words_of(doc: Doc) -> list[Span]:
    """Runs of tokens written without spaces between them ("As-ViT", "STL-10"), punctuation trimmed.

    Computed once per doc and shared by the components that need it."""
    cached = doc.user_data.get("kg_words")
    if cached is None:
        cached = doc.user_data["kg_words"] = _word_runs(doc)
    return cached


def _word_runs(doc: Doc) -> list[Span]:
    """One pass over plain token attributes (building Token objects per index is what made this slow)."""
    texts, punct, space, glued = [], [], [], []
    for t in doc:
        texts.append(t.text)
        punct.append(t.is_punct)
        space.append(t.is_space)
        glued.append(t.whitespace_ == "")
    end = len(texts)
    bounds, begin = [], None
    for i in range(end):
        inner = texts[i] in ("-", ".") or not punct[i]
        if begin is None:
            if not punct[i] and not space[i]:
                begin = i
        elif not inner or space[i]:
            bounds.append((begin, i))
            begin = None if punct[i] or space[i] else i
        if begin is not None and (not glued[i] or i == end - 1):
            bounds.append((begin, i + 1))
            begin = None
    runs = []
    for start, stop in bounds:
        while stop > start and texts[stop - 1] in ("-", "."):
            stop -= 1
        while start < stop and texts[start] in ("-", "."):
            start += 1
        if start < stop:
            runs.append(doc[start:stop])
    return runs


def lowers_of(doc: Doc) -> list[str]:
    """Lower-case token texts, computed once per doc (iterating Tokens is costly in spaCy)."""
    cached = doc.user_data.get("kg_lowers")
    if cached is None:
        cached = doc.user_data["kg_lowers"] = [t.lower_ for t in doc]
    return cached


def _indices_of(doc: Doc, vocabulary: frozenset[str]) -> list[int]:
    return [i for i, low in enumerate(lowers_of(doc)) if low in vocabulary]


def _run_starting_at(words: list[Span], token_index: int) -> Span | None:
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi) // 2
        if words[mid].start < token_index:
            lo = mid + 1
        else:
            hi = mid
    return words[lo] if lo < len(words) and words[lo].start == token_index else None


def _is_capitalised(span: Span) -> bool:
    return span.text[:1].isupper() or name_shape(span.text) is not None


def _sentence_start(span: Span) -> int:
    doc = span.doc
    return span.sent.start if doc.has_annotation("SENT_START") else 0


class NewNameFinder:
    def __call__(self, doc: Doc) -> Doc:
        found = mentions_of(doc)
        words = words_of(doc)
        if doc._.kg_field == "title":
            prefix = self._title_prefix(doc)
            found.extend(prefix or self._title_names(doc, words))
        found.extend(self._after_propose_verbs(doc, words))
        found.extend(self._after_naming_words(doc, words))
        found.extend(self._dataset_lists(doc, words))
        found.extend(self._coined(words))
        return doc

    # -- rules -------------------------------------------------------------------------------
    def _title_prefix(self, doc: Doc):
        colon = next((t.i for t in doc if t.text == ":"), None)
        if not colon or colon > 8:
            return []
        prefix = doc[:colon]
        text = prefix.text
        plain = text.split()
        if len(plain) > _MAX_TITLE_PREFIX_WORDS or text.lower() in TITLE_PREFIX_STOP or not text[:1].isalnum():
            return []
        named = len(plain) == 1 or name_shape(text.replace(" ", "")) or all(w[:1].isupper() for w in plain)
        if not named or not any(c.isupper() for c in text):
            return []
        rest = [t.text for t in doc[colon + 1 :]]
        kind = type_from_name(text) or (DATASET if any(w.lower() in DATASET_CUES for w in rest) else METHOD)
        return [make_mention(prefix, "title-prefix", type=kind, proposes=True)]

    def _title_names(self, doc: Doc, words: list[Span]):
        """Capitalised title pieces between connector words that end in a model noun are what the paper
        proposes: "Full-Resolution Residual Networks for ...", "... Using an Efficient Sub-Pixel
        Convolutional Neural Network". Pieces of generic words only ("Deep Neural Networks") are not."""
        if doc.text.upper() == doc.text:
            return []  # a shouted title has no case to read
        out, piece = [], []
        known = {(m.start, m.end) for m in mentions_of(doc) if m.kb_key}
        for run in [*words, None]:
            if run is not None and piece and len(doc[piece[-1].end : run.start]):
                gap_ok = all(t.text in ("-", "\u2013") for t in doc[piece[-1].end : run.start])
            else:
                gap_ok = True
            capitalised = run is not None and (_is_capitalised(run) or _DIMENSION.match(run.text))
            if run is None or not gap_ok or run.text.lower() in TITLE_CONNECTORS or not capitalised:
                span = doc[piece[0].start : piece[-1].end] if piece else None
                if len(piece) >= 2 and self._names_a_model(piece) and (span.start_char, span.end_char) not in known:
                    out.append(make_mention(doc[piece[0].start : piece[-1].end], "title-name", type=METHOD, proposes=True))
                piece = []
                if capitalised and run.text.lower() not in TITLE_CONNECTORS:
                    piece = [run]
                continue
            piece.append(run)
        return out

    @staticmethod
    def _names_a_model(piece: list[Span]) -> bool:
        last = piece[-1].text.lower()
        first = piece[0].text.lower()
        if last not in TITLE_NAME_HEADS or len(piece) > 6 or first.endswith("ing") or first in TITLE_PREFIX_STOP:
            return False
        return any(p.text.lower() not in GENERIC_NAME_WORDS for p in piece[:-1])

    def _after_propose_verbs(self, doc: Doc, words: list[Span]):
        out = []
        for i in _indices_of(doc, PROPOSE_VERBS):
            tok = doc[i]
            before = {t.lower_ for t in doc[max(0, tok.i - 4) : tok.i]}
            if not before & {"we", "paper", "work", "here", "i", "study", "article"}:
                continue
            name = self._first_name_after(doc, words, tok.i + 1, _PROPOSE_WINDOW)
            if name is not None:
                name = self._bracketed_name(doc, name) or name
                between = [t.text for t in doc[tok.i + 1 : name.start]]
                kind = type_from_words(between) or type_from_context(name) or type_from_name(name.text) or METHOD
                out.append(make_mention(name, "propose-verb", type=kind, proposes=True))
        return out

    @staticmethod
    def _bracketed_name(doc: Doc, name: Span) -> Span | None:
        """"we introduce a Bidirectional Encoder ... for Recommendation (BERT4Rec)": the bracketed short
        name is what the paper proposes."""
        if name_shape(name.text):
            return None
        limit = min(len(doc), name.end + 10)
        for i in range(name.end, limit):
            if doc[i].text in (".", ";", ",") or doc[i].is_sent_start:
                return None
            if doc[i].text == "(" and i + 2 < len(doc) and doc[i + 2].text == ")":
                inner = doc[i + 1 : i + 2]
                return inner if name_shape(inner.text) else None
        return None

    def _after_naming_words(self, doc: Doc, words: list[Span]):
        out = []
        for i in _indices_of(doc, NAMING_WORDS):
            tok = doc[i]
            name = self._first_name_after(doc, words, tok.i + 1, 3)
            if name is None:
                continue
            before = [t.text for t in doc[max(_sentence_start(name), tok.i - 6) : tok.i]]
            sentence = {t.lower_ for t in (name.sent if doc.has_annotation("SENT_START") else doc)}
            kind = type_from_words(before) or type_from_name(name.text)
            out.append(make_mention(name, "called-name", type=kind, proposes=bool(sentence & _OWN_WORDS)))
        return out

    def _first_name_after(self, doc: Doc, words: list[Span], start: int, window: int) -> Span | None:
        limit = min(len(doc), start + window)
        if doc.has_annotation("SENT_START") and start < len(doc):
            limit = min(limit, doc[start].sent.end)
        for i in range(start, limit):
            tok = doc[i]
            if tok.lower_ in _SCAN_STOP and i > start:
                return None
            if tok.lower_ in ("to", "that", "how", "whether"):
                return None
            run = _run_starting_at(words, i)
            if run is not None and _is_capitalised(run) and run.text not in NAME_STOP:
                return self._extend_name(doc, words, run)
        return None

    def _extend_name(self, doc: Doc, words: list[Span], first: Span) -> Span:
        """A name may run over several capitalised words: "Masked Autoencoders", "PASCAL VOC 2012"."""
        end = first.end
        for run in words:
            if run.start < end:
                continue
            gap = doc[end : run.start]
            if len(gap) or not doc[end - 1].whitespace_:
                break
            if run.text[:1].isupper() or run.text.isdigit() and len(run.text) == 4:
                end = run.end
            else:
                break
        return doc[first.start : end]

    def _dataset_lists(self, doc: Doc, words: list[Span]):
        """"on CIFAR-10, CIFAR-100 and SVHN datasets", "the Penn Treebank", "benchmarks such as X and Y"."""
        out = []
        for index, run in enumerate(words):
            low = run.text.lower()
            if low not in DATASET_CUES:
                continue
            names = self._names_before(doc, words, index)
            if run.text[:1].isupper() and names:
                names[0] = doc[names[0].start : run.end]  # "Penn Treebank": the cue is part of the name
            names += self._names_after(doc, words, index)
            out.extend(make_mention(n, "dataset-cue", type=DATASET) for n in names)
        return out

    def _names_before(self, doc: Doc, words: list[Span], index: int) -> list[Span]:
        names: list[Span] = []
        i = index - 1
        while i >= 0:
            run = words[i]
            glue = doc[run.end : words[i + 1].start]
            if any(t.text not in _LIST_GLUE for t in glue):
                break
            if run.text.lower() in _LIST_GLUE:
                i -= 1
                continue
            if not self._dataset_name_like(run):
                break
            start = i
            while start > 0 and self._dataset_name_like(words[start - 1]) and not len(doc[words[start - 1].end : words[start].start]):
                start -= 1
            names.insert(0, doc[words[start].start : run.end])
            i = start - 1
        return names

    def _names_after(self, doc: Doc, words: list[Span], index: int) -> list[Span]:
        follow = [t.lower_ for t in doc[words[index].end : words[index].end + 3]]
        if not follow or not (follow[0] in ("(", ":") or follow[:2] == ["such", "as"] or follow[0] in ("including", "like")
                              or follow[:3] == ["(", "e.g.", ","] or follow[:2] == ["(", "e.g."]):
            return []
        names = []
        for run in words[index + 1 : index + 16]:
            low = run.text.lower()
            if low in ("such", "as", "including", "like", "e.g.", "and", "or"):
                continue
            if self._dataset_name_like(run):
                names.append(run)
            elif names:
                break
        return names

    @staticmethod
    def _dataset_name_like(run: Span) -> bool:
        text = run.text
        if text in NAME_STOP or text.lower() in DATASET_CUES:
            return False
        if run.start == _sentence_start(run) and not name_shape(text):
            return False
        return bool(name_shape(text)) or text[:1].isupper() or text.isdigit() and len(text) == 4

    def _coined(self, words: list[Span]):
        out = []
        for run in words:
            shape = name_shape(run.text)
            if shape is None:
                continue
            rule = "coined-name" if shape == "coined" else "acronym"
            out.append(make_mention(run, rule, type=type_from_context(run)))
        return out


@Language.factory("kg_new_names")
def make_new_name_finder(nlp: Language, name: str):
    return NewNameFinder()
