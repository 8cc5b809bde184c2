"""Word shapes shared by the name rules: which tokens look like names ("DirectPred", "GPT-3", "BYOL"), and
the doc's word runs ("As-ViT", "STL-10") computed once per doc."""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from kg.extract.lexicon import MEASUREMENT_UNITS, NAME_STOP, VENUES


_UNIT = re.compile(r"^\d+(\.\d+)?[a-zA-Z]{1,3}$")
_ROMAN = re.compile(r"^[IVXLC]+$")
_NUMBER_FORMAT = re.compile(r"^(FP|BF|INT|UINT|TF)\d+$")  # "FP16", "INT8": a number format, not a name
DIMENSION = re.compile(r"^\d[A-Z]$")  # "3D", "6D" inside a name
_LOWER_CODED = re.compile(r"^[a-z]+\d+[a-z]+$")  # word2vec, seq2seq


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
    if is_compound_adjective(core):
        return None
    if len(parts) > 1:
        shapes = [_part_shape(p) for p in parts]
        if "coined" in shapes:
            return "coined"
        if "acronym" in shapes and all(s in ("acronym", "number", "letter") for s in shapes):
            return "coined" if len(set(shapes)) > 1 else "acronym"
        # "EGAN-Ent-VI", "BERT-Base-Uncased": an acronym and two more capitalised parts; "PAC-Bayesian" is a word
        if len(parts) == 2 and parts[0].istitle() and shapes[1] == "letter" and parts[1] not in "IVX":
            return "coined"  # "Point-E": a word and a letter (not "Type-I", a roman numeral)
        several = shapes.count("acronym") >= 2 or shapes[0] == "acronym" and len(parts) >= 3 \
            and all(p[:1].isupper() or p.isdigit() for p in parts)
        return "coined" if several else None
    shape = _part_shape(core)
    return shape if shape in ("coined", "acronym") else None  # a bare number or letter is no name


def unit_after_number(run: Span) -> bool:
    """"44.1 KHz", "16 GB": a unit of the number before it."""
    doc = run.doc
    return run.start > 0 and run.text.lower() in MEASUREMENT_UNITS and doc[run.start - 1].like_num


def is_compound_adjective(word: str, endings: frozenset[str] = _ADJECTIVE_ENDINGS) -> bool:
    """"GPU-based", "task-agnostic": describes a thing rather than naming it."""
    parts = word.lower().split("-")
    return len(parts) > 1 and parts[-1] in endings


def _part_shape(core: str) -> str | None:
    if core.isdigit() or re.fullmatch(r"v?\d+(\.\d+)?[a-z]?", core):
        return "number"
    letters = [c for c in core if c.isalpha()]
    if len(core) == 1 and core.isupper():
        return "letter"
    if len(letters) < 2 or core in NAME_STOP or _UNIT.match(core) or _ROMAN.match(core) or _NUMBER_FORMAT.match(core):
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


def indices_of(doc: Doc, vocabulary: frozenset[str]) -> list[int]:
    return [i for i, low in enumerate(lowers_of(doc)) if low in vocabulary]


def run_starting_at(words: list[Span], token_index: int) -> Span | None:
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi) // 2
        if words[mid].start < token_index:
            lo = mid + 1
        else:
            hi = mid
    return words[lo] if lo < len(words) and words[lo].start == token_index else None


def is_capitalised(span: Span) -> bool:
    return span.text[:1].isupper() or name_shape(span.text) is not None


def sentence_start(span: Span) -> int:
    doc = span.doc
    return span.sent.start if doc.has_annotation("SENT_START") else 0
