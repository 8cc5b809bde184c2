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
    DETERMINERS,
    MEASUREMENT_UNITS,
    METHOD_CUES,
    PHRASE_STOP,
    TITLE_PHRASE_VERBS,
    NAME_STOP,
    NAMING_WORDS,
    PROPOSE_VERBS,
    GENERIC_NAME_WORDS,
    TITLE_CONNECTORS,
    TITLE_NAME_HEADS,
    TITLE_PREFIX_STOP,
    VENUES,
)
from kg.extract.mentions import Mention, make_mention, mentions_of, sentence_of
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
# In a title name, "Transformer-Based Models" says only what the models build on ("Subcategory-aware
# CNNs" and "Character-Level Decoder" do name something).
_SAYS_NOTHING = frozenset({"based", "like", "style"})
_TITLE_WORD = re.compile(r"^[A-Z][a-z]+$")  # after a glued full stop: the next sentence's first word
_EDITION_YEAR = re.compile(r"['\u2019-]?(19|20)?\d\d$")
_CITATION_KEY = re.compile(r"^[a-z]+(19|20)\d\d[a-z]+$")  # "derakhshani2021kernel": a BibTeX key left in
# A word capitalised to spell an acronym ("Learning EValuation Assessment", "Temporally caUsal Decoder"):
# an ordinary word with stray capitals, not a coined name.
_ACRONYM_SPELLING = re.compile(r"^([A-Z]{2}[a-z]{4,}|[a-z]{1,3}[A-Z][a-z]{3,})$")
# "GPU-based", "task-agnostic": a compound adjective, whatever its first part looks like.
_ADJECTIVE_ENDINGS = frozenset(
    "based like style free aware driven specific level wise agnostic dependent guided inspired friendly "
    "oriented centric only enabled powered bound".split()
)


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
    if "_" in core or _CITATION_KEY.match(core) or _ACRONYM_SPELLING.match(core):
        return None  # "C_Phi" is a variable, the others are not names either
    if _EDITION_YEAR.sub("", core) in VENUES:
        return None  # "EMNLP2017": a conference edition
    parts = [p for p in core.split("-") if p]
    if _is_compound_adjective(core):
        return None
    if len(parts) > 1:
        shapes = [_part_shape(p) for p in parts]
        if "coined" in shapes:
            return "coined"
        if "acronym" in shapes and all(s in ("acronym", "number", "letter") for s in shapes):
            return "coined" if len(set(shapes)) > 1 else "acronym"
        return None
    shape = _part_shape(core)
    return shape if shape in ("coined", "acronym") else None  # a bare number or letter is no name


_CONTRIBUTORS = frozenset({"we", "paper", "work", "here", "i", "study", "article"})
_CLAUSE_WORDS = frozenset({"that", "which", "where", "who", "whose", "is", "are", "was", "were", "has", "have",
                           "can", "will", "to"})


def _with_own_modifier(doc: Doc, name: Span, floor: int) -> Span:
    """"proposed a novel hierarchical NSE": a known name under a word of the paper's own is a variant the
    paper proposes ("hierarchical NSE"), not the known name itself."""
    known = any(m.kb_key and m.start <= name.start_char and name.end_char <= m.end for m in mentions_of(doc))
    before = name.start - 1
    if not known or before < floor:
        return name
    word = doc[before]
    low = word.lower_
    if not word.is_alpha or not word.is_lower or low in PHRASE_STOP or low in _OWN_WORDS or low in GENERIC_NAME_WORDS \
            or low in DETERMINERS or low in NAMING_WORDS or low.endswith("ed"):
        return name
    return doc[before : name.end]


def _second_verb_of_we(doc: Doc, verb) -> bool:
    """"we introduce a simple fix ... and propose GATv2": a propose verb after "and" whose sentence has "we"
    as its subject earlier on."""
    if verb.i == 0 or doc[verb.i - 1].lower_ != "and":
        return False
    start = verb.sent.start if doc.has_annotation("SENT_START") else max(0, verb.i - 30)
    return any(t.lower_ == "we" for t in doc[start : verb.i])


def _modifies_next_word(doc: Doc, name: Span) -> bool:
    """"the Wasserstein dependency measure": one ordinary capitalised word right before a lower-case noun
    is a modifier (an eponym, an adjective) of the thing named, not the name."""
    if len(name) != 1 or name_shape(name.text) or name.end >= len(doc) or not name[-1].whitespace_:
        return False
    nxt = doc[name.end]
    cue = nxt.lower_ in METHOD_CUES or nxt.lower_ in DATASET_CUES  # "the Thinker algorithm" is named
    return nxt.is_alpha and nxt.is_lower and not cue and nxt.lower_ not in PHRASE_STOP and nxt.lower_ not in _SCAN_STOP


def _unit_after_number(run: Span) -> bool:
    """"44.1 KHz", "16 GB": a unit of the number before it."""
    doc = run.doc
    return run.start > 0 and run.text.lower() in MEASUREMENT_UNITS and doc[run.start - 1].like_num


def _is_compound_adjective(word: str, endings: frozenset[str] = _ADJECTIVE_ENDINGS) -> bool:
    """"GPU-based", "task-agnostic": describes a thing rather than naming it."""
    parts = word.lower().split("-")
    return len(parts) > 1 and parts[-1] in endings


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
        inner = texts[i] == "-" or not punct[i] or texts[i] == "." and not (i + 1 < end and _TITLE_WORD.match(texts[i + 1]))
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
        found.extend(_shorthand_series(doc))
        found.extend(self._coined(words))
        return doc

    # -- rules -------------------------------------------------------------------------------
    def _title_prefix(self, doc: Doc):
        colon = next((t.i for t in doc if t.text == ":"), None)
        if not colon or colon > 8:
            return []
        prefix = doc[:colon]
        if len(prefix) > 2 and prefix[0].lower_ in ("the", "a", "an"):
            prefix = prefix[1:]  # "The Boltzmann Policy Distribution"; "The Pile" keeps its article
        text = prefix.text
        plain = text.split()
        if len(plain) > _MAX_TITLE_PREFIX_WORDS or text.lower() in TITLE_PREFIX_STOP or not text[:1].isalnum():
            return []
        named = len(plain) == 1 or name_shape(text.replace(" ", "")) or all(w[:1].isupper() for w in plain)
        if not named or not any(c.isupper() for c in text) or self._phrase_not_name(prefix, doc[0]):
            return []
        kind = type_from_name(text) or (DATASET if self._rest_is_dataset(doc[colon + 1 :]) else METHOD)
        return [make_mention(prefix, "title-prefix", type=kind, proposes=True)]

    @staticmethod
    def _phrase_not_name(prefix: Span, first: Span) -> bool:
        """A catchy phrase before the colon rather than a name: "The Shape of Learning", "Layer by
        Layer", "Training the Untrainable", "Towards Automated Deep Learning", "Challenging Forgets".
        A coined or acronym word anywhere keeps it a name ("BT^2", "NeRV++")."""
        words = [t.text for t in prefix]
        if len(words) == 1 or any(name_shape(w) for w in words):
            return False
        lowered = [w.lower() for w in words]
        if lowered[0] in TITLE_CONNECTORS or first.lower_ == "the" and "of" in lowered:
            return True  # "Towards ...", "From X to Y", "The Impact of X"
        if any(w in TITLE_CONNECTORS and w == raw for w, raw in zip(lowered[1:], words[1:])):
            return True  # a lower-case connector inside: a phrase, not a title-cased name
        if any(w in TITLE_PHRASE_VERBS for w in lowered[1:]):
            return True  # "Order Matters", "Supervision Exists Everywhere": a sentence, not a name
        return lowered[0].endswith("ing") and lowered[-1] not in TITLE_NAME_HEADS

    @staticmethod
    def _rest_is_dataset(rest: Span) -> bool:
        """"GeneDisco: A Benchmark for ...": the phrase right after the colon ends in a dataset noun.
        "DIVA: Dataset Derivative of ..." uses "Dataset" as a modifier and is not one."""
        phrase = []
        for tok in rest:
            low = tok.lower_
            if low in TITLE_CONNECTORS or tok.is_punct and low != "-":
                if phrase:
                    break
                continue
            phrase.append(low)
        return bool(phrase) and phrase[-1] in DATASET_CUES

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
                    # The paper's own name opens the title or is introduced with "a/an" inside it ("... Using an
                    # Efficient Sub-Pixel CNN"); "A Solvable Model of ..." opening the title describes the paper.
                    first = piece[0].start
                    own = first == 0 or first >= 2 and doc[first - 1].lower_ in ("a", "an")
                    out.append(make_mention(span, "title-name", type=METHOD, proposes=own))
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
        return any(p.text.lower() not in GENERIC_NAME_WORDS and not _is_compound_adjective(p.text, _SAYS_NOTHING)
                   for p in piece[:-1])

    def _after_propose_verbs(self, doc: Doc, words: list[Span]):
        out = []
        for i in _indices_of(doc, PROPOSE_VERBS):
            tok = doc[i]
            before = {t.lower_ for t in doc[max(0, tok.i - 4) : tok.i]}
            if not before & _CONTRIBUTORS and not _second_verb_of_we(doc, tok):
                continue
            name = self._first_name_after(doc, words, tok.i + 1, _PROPOSE_WINDOW)
            if name is not None:
                name = self._bracketed_name(doc, name) or _with_own_modifier(doc, name, tok.i + 1)
                between = [t.text for t in doc[tok.i + 1 : name.start]]
                kind = type_from_words(between) or type_from_context(name) or type_from_name(name.text) or METHOD
                out.append(make_mention(name, "propose-verb", type=kind, proposes=not self._known_then_noun(doc, name)))
        return out

    @staticmethod
    def _known_then_noun(doc: Doc, name: Span) -> bool:
        """"we present a BERT model that ...": a KB name followed by a lower-case noun describes what the
        paper builds on; the paper's artefact is the unnamed model, not BERT."""
        known = any(m.kb_key and m.start <= name.start_char and name.end_char <= m.end for m in mentions_of(doc))
        if not known or name.end >= len(doc):
            return False
        nxt = doc[name.end]
        return nxt.is_alpha and nxt.is_lower and nxt.lower_ not in _SCAN_STOP and nxt.lower_ not in NAMING_WORDS

    @staticmethod
    def _bracketed_name(doc: Doc, name: Span) -> Span | None:
        """"we introduce a Bidirectional Encoder ... for Recommendation (BERT4Rec)": the bracketed short
        name is what the paper proposes."""
        if name_shape(name.text):
            return None
        limit = min(len(doc), name.end + 10)
        for i in range(name.end, limit):
            if doc[i].text in (".", ";", ",") or doc[i].is_sent_start or doc[i].lower_ in _CLAUSE_WORDS:
                return None  # "X that consists of two recurrent neural networks (RNN)": another name's acronym
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
                if _is_compound_adjective(run.text) or run.text.endswith(("'s", "\u2019s")):
                    return None  # "the first GPU-based self-critical ...", "Occam's razor": a modifier
                name = self._extend_name(doc, words, run)
                return None if _modifies_next_word(doc, name) else name
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
        """"on CIFAR-10, CIFAR-100 and SVHN datasets", "the Penn Treebank", "benchmarks such as X and Y",
        "the benchmark WMT10"."""
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
            edition = run.text.isdigit() and i > 0 and self._adjacent(doc, words[i - 1], run)
            if not self._dataset_name_like(run) and not (edition and self._dataset_name_like(words[i - 1])):
                break  # "CoNLL 2014 datasets": a number may end a name, never be one
            start = i
            while start > 0 and self._adjacent(doc, words[start - 1], words[start]) and (
                self._dataset_name_like(words[start - 1]) or self._proper_article(words[start - 1])
            ):
                start -= 1
                if self._proper_article(words[start]):
                    break
            names.insert(0, doc[words[start].start : run.end])
            i = start - 1
        return names

    def _names_after(self, doc: Doc, words: list[Span], index: int) -> list[Span]:
        """Names listed after the cue: "benchmarks (GLUE, SuperGLUE)", "datasets such as X and Y",
        "benchmarks: Sokoban, The Witness and ...", "the benchmark WMT10". Adjacent capitalised words
        make one name."""
        follow = [t.lower_ for t in doc[words[index].end : words[index].end + 3]]
        if not follow:
            return []
        listed = follow[0] in ("(", ":", "including", "like") or follow[:2] == ["such", "as"]
        if not listed:
            nxt = words[index + 1] if index + 1 < len(words) else None
            if nxt is not None and self._adjacent(doc, words[index], nxt) and name_shape(nxt.text):
                return [nxt]  # "the benchmark WMT10": a coined name right after the cue
            return []
        names: list[Span] = []
        current: list[Span] = []
        for run in words[index + 1 : index + 16]:
            low = run.text.lower()
            if current and not self._adjacent(doc, current[-1], run):
                names.append(doc[current[0].start : current[-1].end])
                current = []
            if low in ("such", "as", "including", "like", "e.g.", "and", "or"):
                continue
            if self._dataset_name_like(run) or (current and run.text.isdigit()):  # "MORPH Album 2"
                current.append(run)
            elif not current and self._proper_article(run):
                current.append(run)
            elif names or current:
                break
        if current:
            names.append(doc[current[0].start : current[-1].end])
        return [n for n in names if not self._proper_article(n)]

    @staticmethod
    def _adjacent(doc: Doc, left: Span, right: Span) -> bool:
        """Two word runs separated by plain space only (no comma, bracket or other token)."""
        return not len(doc[left.end : right.start]) and bool(doc[left.end - 1].whitespace_)

    @staticmethod
    def _proper_article(run: Span) -> bool:
        """A capitalised "The" inside a sentence opens a proper name ("The Witness", "The Pile")."""
        return run.text == "The" and run.start != _sentence_start(run)

    @staticmethod
    def _dataset_name_like(run: Span) -> bool:
        """A word that can be (part of) a dataset name: it has a letter, is more than a single letter or
        symbol, and is not a determiner ("12 datasets", "N", "The", "A Benchmark" are not names)."""
        text = run.text
        if text in NAME_STOP or text.lower() in DATASET_CUES or text.lower() in DETERMINERS:
            return False
        if sum(c.isalpha() for c in text) < 2 and not name_shape(text):
            return False
        if run.start == _sentence_start(run) and not name_shape(text):
            return False
        return bool(name_shape(text)) or text[:1].isupper()

    def _coined(self, words: list[Span]):
        out = []
        for run in words:
            shape = name_shape(run.text)
            if shape is None or _unit_after_number(run):
                continue
            rule = "coined-name" if shape == "coined" else "acronym"
            out.append(make_mention(run, rule, type=type_from_context(run)))
        return out


_SERIES_HEAD = re.compile(r"^([A-Za-z][A-Za-z0-9]*[A-Za-z])-?(\d+)((?:/\d+)*)$")
_SERIES_TAIL = re.compile(r"^[-/]?(\d+)$")
_SERIES_GLUE = {",", "and", "or", "/", "&"}
_SERIES_END = {",", ")", ";", ".", "and", "or"}


def _name_start(doc: Doc, last: int, most: int = 3) -> int:
    """First token of the capitalised name ending at token `last` ("PASCAL VOC" before "2007")."""
    first = last
    while first > 0 and last - first < most - 1 and doc[first - 1].whitespace_ and doc[first - 1].text[:1].isupper() \
            and not doc[first - 1].is_sent_start and doc[first - 1].lower_ not in DETERMINERS:
        first -= 1
    return first


def _shorthand_series(doc: Doc) -> list[Mention]:
    """"CIFAR-10/100", "CIFAR-10, -20, and -100", "ResNet-50/101": later members written as a bare number
    carry the first member's prefix. Each number becomes a mention whose `long_form` is the full name."""
    out: list[Mention] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        head = _SERIES_HEAD.match(tok.text)
        if head and any(c.isupper() for c in head.group(1)):
            prefix = head.group(1)
            joiner = "-" if tok.text[len(prefix)] == "-" else ""
        elif tok.text.isdigit() and i > 0 and doc[i - 1].whitespace_ and name_shape(doc[i - 1].text):
            head, prefix, joiner = None, doc[_name_start(doc, i - 1) : i].text, " "  # "PASCAL VOC 2007 and 2012"
        else:
            i += 1
            continue
        numbers = []  # (start char, number) of the later members
        pos = head.end(2) if head else 0
        for number in (head.group(3).split("/")[1:] if head else ()):
            pos = tok.text.index(number, pos)
            numbers.append((tok.idx + pos, number))
            pos += len(number)
        j = i + 1
        while j < len(doc):
            k = j
            while k < len(doc) and doc[k].lower_ in _SERIES_GLUE:
                k += 1
            tail = _SERIES_TAIL.match(doc[k].text) if j < k < len(doc) else None
            if tail is None:
                break
            marked = doc[k].text[:1] in "-/" or doc[k - 1].text == "/"
            closes = k + 1 == len(doc) or doc[k + 1].lower_ in _SERIES_END or doc[k + 1].lower_ in DATASET_CUES
            if not (marked or closes):
                break
            numbers.append((doc[k].idx + len(doc[k].text) - len(tail.group(1)), tail.group(1)))
            j = k + 1
        if numbers:
            first = doc[i : i + 1]
            kind, sentence = type_from_context(first), sentence_of(first)
            if head and head.group(3):  # "CIFAR-10/100" is one token: its first member needs a mention of its own
                out.append(Mention(tok.idx, tok.idx + head.end(2), tok.text[: head.end(2)], "shorthand", sentence,
                                   type=kind))
            out.extend(Mention(start, start + len(number), number, "shorthand", sentence, type=kind,
                               long_form=f"{prefix}{joiner}{number}") for start, number in numbers)
        i = max(j, i + 1)
    return out


@Language.factory("kg_new_names")
def make_new_name_finder(nlp: Language, name: str):
    return NewNameFinder()
