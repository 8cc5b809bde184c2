"""Names the paper introduces: "we propose/introduce X", "we ... and propose X", "called/dubbed X"."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.extract.entity_types import type_from_context, type_from_name, type_from_words
from kg.extract.lexicon import (DATASET_CUES, DETERMINERS, GENERIC_NAME_WORDS, METHOD_CUES, NAME_STOP, NAMING_WORDS,
                               PHRASE_STOP, PROPOSE_VERBS)
from kg.extract.mentions import make_mention, mentions_of
from kg.extract.model import METHOD
from kg.extract.normalize import singular
from kg.extract.names.shapes import (indices_of, is_capitalised, is_compound_adjective,
                                     run_starting_at, sentence_start, name_shape)


_SCAN_STOP = {"that", "which", "to", "for", "on", "of", "with", "in", "by", "from", "where", "whereby", "who",
              "because", "since", "and", "but", "while", "as"}
_OWN_WORDS = {"we", "our", "novel", "new", "this", "here", "proposed"}
_WEAK_OWN_WORDS = {"we", "this", "here"}
_PROPOSE_WINDOW = 14


_CONTRIBUTORS = frozenset({"we", "paper", "work", "here", "i", "study", "article"})
_CLAUSE_WORDS = frozenset({"that", "which", "where", "who", "whose", "is", "are", "was", "were", "has", "have",
                           "can", "will", "to"})


def _modifies_next_word(doc: Doc, name: Span) -> bool:
    """"the Wasserstein dependency measure": one ordinary capitalised word right before a lower-case noun
    is a modifier (an eponym, an adjective) of the thing named, not the name."""
    if len(name) != 1 or name_shape(name.text) or name.end >= len(doc) or not name[-1].whitespace_:
        return False
    nxt = doc[name.end]
    cue = nxt.lower_ in METHOD_CUES or nxt.lower_ in DATASET_CUES  # "the Thinker algorithm" is named
    return nxt.is_alpha and nxt.is_lower and not cue and nxt.lower_ not in PHRASE_STOP and nxt.lower_ not in _SCAN_STOP


def _with_own_modifier(doc: Doc, name: Span, floor: int) -> Span:
    """"proposed a novel hierarchical NSE": a known name under a word of the paper's own is a variant the
    paper proposes ("hierarchical NSE"), not the known name itself. "We introduce convolutional DRAW": a
    word right after the verb, with no article, is part of the name whatever the name."""
    before = name.start - 1
    if before < floor:
        return name
    word = doc[before]
    low = word.lower_
    if not word.is_alpha or not word.is_lower or low in PHRASE_STOP or low in _OWN_WORDS or low in DETERMINERS \
            or low in NAMING_WORDS or low.endswith("ed") or low in METHOD_CUES or low in DATASET_CUES:
        return name  # "a self-supervised framework iBOT": the kind of thing, not a variant's own word
    known = _is_known(doc, name)
    if (known and low in GENERIC_NAME_WORDS) or (not known and before != floor):
        return name
    return doc[before : name.end]


def _later_verb_of_we(doc: Doc, verb) -> bool:
    """"we introduce a simple fix ... and propose GATv2", "we used SAM in a loop to collect SA-1B": a propose
    verb after "and" or "to" whose sentence has "we" as its subject earlier on, with no relative clause in
    between ("we introduce models that use networks to create embeddings": the models create them)."""
    if verb.i == 0 or doc[verb.i - 1].lower_ not in ("and", "to"):
        return False
    start = verb.sent.start if doc.has_annotation("SENT_START") else max(0, verb.i - 30)
    words = [t.lower_ for t in doc[start : verb.i]]
    if "we" not in words:
        return False
    after_we = words[len(words) - words[::-1].index("we"):]
    return not set(after_we) & {"that", "which", "who", "whose"}


def after_propose_verbs(doc: Doc, words: list[Span]):
    out = []
    for i in indices_of(doc, PROPOSE_VERBS | _DESCRIBE_VERBS):
        tok = doc[i]
        before = {t.lower_ for t in doc[max(0, tok.i - 4) : tok.i]}
        if not before & _CONTRIBUTORS and not _later_verb_of_we(doc, tok):
            continue
        name = _first_name_after(doc, words, tok.i + 1, _PROPOSE_WINDOW)
        if tok.lower_ in _DESCRIBE_VERBS:
            if name is not None and name_shape(name.text) and not _is_known(doc, name):
                out.append(make_mention(name, "propose-verb", type=type_from_context(name) or METHOD, proposes=True))
            continue  # "we describe AdaMax, a variant ...": only a coined name of no earlier work
        if name is None:
            out.extend(described_proposal(doc, words, tok.i + 1))
        else:
            name = _whole_known_name(doc, name)
            name = _bracketed_name(doc, name) or _with_own_modifier(doc, name, tok.i + 1)
            between = [t.text for t in doc[tok.i + 1 : name.start]]
            kind = type_from_words(between) or type_from_context(name) or type_from_name(name.text) or METHOD
            out.append(make_mention(name, "propose-verb", type=kind, proposes=not _known_then_noun(doc, name)))
    return out


# Weaker than "propose": "we describe X" proposes only a coined name nobody else has ("we also describe AdaMax").
_DESCRIBE_VERBS = frozenset({"describe", "describes"})


def _is_known(doc: Doc, name: Span) -> bool:
    """Is the whole name a known one (not just a known part, as in "CRF-RNN")?"""
    return any(m.kb_key and m.start <= name.start_char and name.end_char <= m.end for m in mentions_of(doc))


def _whole_known_name(doc: Doc, name: Span) -> Span:
    """"we introduce the Beyond the Imitation Game benchmark (BIG-bench)": a known name that starts with
    the capitalised words found is the name, lower-case words inside it included."""
    ends = [m.end for m in mentions_of(doc) if m.kb_key and m.start == name.start_char and m.end > name.end_char]
    whole = doc.char_span(name.start_char, max(ends)) if ends else None
    return whole if whole is not None else name


def _known_then_noun(doc: Doc, name: Span) -> bool:
    """"we present a BERT model that ...": a KB name followed by a lower-case noun describes what the
    paper builds on; the paper's artefact is the unnamed model, not BERT. "The X algorithm" is X itself."""
    if not _is_known(doc, name):
        return False
    the = name.start > 0 and doc[name.start - 1].lower_ == "the"
    last = doc[name.end - 1]
    if last.is_lower and singular(last.lower_) in _NAME_KINDS:
        return not the  # the known mention kept its noun: "a BERT model" (an instance), "the MuZero algorithm"
    if name.end >= len(doc):
        return False
    nxt = doc[name.end]
    if the and nxt.lower_ in _NAME_KINDS:
        return False  # "we present the MuZero algorithm": the name with its kind, not an instance of it
    return nxt.is_alpha and nxt.is_lower and nxt.lower_ not in _SCAN_STOP and nxt.lower_ not in NAMING_WORDS


_NAME_KINDS = frozenset("algorithm method framework architecture model network system agent benchmark dataset".split())


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


def after_naming_words(doc: Doc, words: list[Span]):
    out = []
    for i in indices_of(doc, NAMING_WORDS):
        tok = doc[i]
        name = _first_name_after(doc, words, tok.i + 1, 3)
        if name is None:
            continue
        before = [t.text for t in doc[max(sentence_start(name), tok.i - 6) : tok.i]]
        sentence = {t.lower_ for t in (name.sent if doc.has_annotation("SENT_START") else doc)}
        kind = type_from_words(before) or type_from_name(name.text)
        # "we revisit one classical regularization named Dropout": a known name needs a stronger sign than "we"
        own = sentence & ((_OWN_WORDS - _WEAK_OWN_WORDS) | PROPOSE_VERBS) if _is_known(doc, name) else sentence & _OWN_WORDS
        out.append(make_mention(name, "called-name", type=kind, proposes=bool(own)))
    return out


def _first_name_after(doc: Doc, words: list[Span], start: int, window: int) -> Span | None:
    limit = min(len(doc), start + window)
    if doc.has_annotation("SENT_START") and start < len(doc):
        limit = min(limit, doc[start].sent.end)
    for i in range(start, limit):
        tok = doc[i]
        if tok.lower_ in _SCAN_STOP and i > start:
            return None
        if tok.lower_ in ("to", "that", "how", "whether"):
            return None
        run = run_starting_at(words, i)
        if run is not None and is_capitalised(run) and run.text not in NAME_STOP:
            if is_compound_adjective(run.text) or run.text.endswith(("'s", "\u2019s")):
                return None  # "the first GPU-based self-critical ...", "Occam's razor": a modifier
            name = _extend_name(doc, words, run)
            return None if _modifies_next_word(doc, name) else name
    return None


def _extend_name(doc: Doc, words: list[Span], first: Span) -> Span:
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


DESCRIBED = "propose-phrase"
DEFINED = "propose-defined"  # bare after the verb and defined right after: "we propose residual learning, where"
_MAX_DESCRIBED_WORDS = 4
_LEAD_WORDS = frozenset("a an the novel new simple yet effective efficient general principled lightweight "
                        "practical unified generic".split())
# Heads that describe a kind of thing the paper made: "a progressive tokenization strategy" names the
# tokenization; they are dropped from the name, which must keep two words or a compound.
_KIND_HEADS = frozenset("strategy method approach framework technique scheme procedure pipeline paradigm "
                        "recipe formulation".split())
# What a paper presents that is not an artefact: results, arguments, resources to evaluate on.
_NOT_ARTEFACTS = frozenset(
    """analysis analyses study studies evidence result results experiment experiments evaluation evaluations
    investigation survey comparison proof proofs bound bounds guarantee guarantees theory characterization
    insight insights observation observations finding findings explanation perspective overview view
    understanding benchmark benchmarks dataset datasets corpus task tasks problem problems setting settings
    question questions way ways metric measure measures criterion library toolkit implementation version
    extension extensions modification modifications improvement improvements alternative space spaces
    convergence performance accuracy speed speedup efficiency generalization robustness quality""".split())


# "-ing" heads that name a technique ("residual learning", "asymmetric tri-training"), not an action.
_NOMINAL_ING = frozenset("""learning training modeling modelling tuning pruning sampling encoding embedding hashing
    pooling clustering prompting decoding filtering matching planning reasoning labeling labelling scaling masking
    infilling shuffling distilling caching routing""".split())


# After "we propose <phrase>,": a clause about the phrase ("residual learning, where ..."), not more qualities.
# ", where ...", ", in which ...", ", a way to ...": the appositive says what the bare name is
_DEFINING_AFTER_COMMA = frozenset("where whereby wherein in a an".split())
_CLAUSE_AFTER_COMMA = _DEFINING_AFTER_COMMA | frozenset("which that whose a an the".split())


def _verb_like(texts: list[str]) -> bool:
    """"we propose jointly training ...", "we present improving ...": an action, not a technique's name. A
    gerund head names a technique only under a content modifier ("residual learning") or as a compound."""
    last = texts[-1]
    if not last.endswith("ing"):
        return False
    if texts[0].endswith("ly"):
        return True
    return not ("-" in last or (len(texts) >= 2 and last in _NOMINAL_ING))


def described_proposal(doc: Doc, words: list[Span], start: int) -> list:
    """"we introduce the post-activation interpolation on ...", "we propose a progressive tokenization
    strategy": a lower-case phrase right after the verb is the paper's own technique, named by description.
    Two or more content words (or one compound), not a known name, not a result or a resource."""
    i = start
    while i < len(doc) and doc[i].lower_ in _LEAD_WORDS:
        i += 1
    picked: list[Span] = []
    while i < len(doc) and len(picked) <= _MAX_DESCRIBED_WORDS:
        run = run_starting_at(words, i)
        text = run.text if run is not None else ""
        if run is None or not text.replace("-", "").isalpha() or not text.islower() or text in _SCAN_STOP \
                or text in PHRASE_STOP or text in _CLAUSE_WORDS:
            break
        if picked and (text.endswith("ed") or text.endswith("ly")):
            break  # "a multi-session model trained on ...", "a new aggregator specifically designed": not the name
        picked.append(run)
        i = run.end
    if picked and i + 1 < len(doc) and doc[i].text == "," and doc[i + 1].lower_ not in _CLAUSE_AFTER_COMMA:
        return []  # "a state-of-the-art real-time, high-fidelity audio codec": a list of qualities, not a name
    if picked and picked[-1].text in _KIND_HEADS:
        picked = picked[:-1]
    if not picked or len(picked) > _MAX_DESCRIBED_WORDS or (len(picked) == 1 and "-" not in picked[0].text):
        return []
    texts = [p.text for p in picked]
    if texts[-1] in _NOT_ARTEFACTS or singular(texts[-1]) in _NOT_ARTEFACTS or _verb_like(texts) \
            or all(t in GENERIC_NAME_WORDS or t in METHOD_CUES for t in texts):
        return []
    span = doc[picked[0].start : picked[-1].end]
    known = [m for m in mentions_of(doc) if m.kb_key and (m.start, m.end) == (span.start_char, span.end_char)]
    defined = picked[0].start == start and _defined_next(doc, span.end)
    if known and not defined:
        return []  # "we propose a contrastive loss": a known name, which the paper does not own
    # "We propose knowledge distillation: a small model ...": a known name, bare and defined, is the paper's
    rule = DEFINED if defined else DESCRIBED
    return [make_mention(span, rule, type=known[0].type if known else METHOD, proposes=True)]


def _defined_next(doc: Doc, i: int) -> bool:
    """A definition follows: ": ...", ", where/in which ...", "("."""
    if i >= len(doc):
        return False
    if doc[i].text in (":", "("):
        return True
    return doc[i].text == "," and i + 1 < len(doc) and doc[i + 1].lower_ in _DEFINING_AFTER_COMMA
