"""Names the paper gives in its own words, lower-case ones included: "a phenomenon we call attention sink",
"a practice we call LLM-as-a-judge", "Our process reward model (PRM)"."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.extract.entity_types import type_from_context, type_from_name
from kg.extract.lexicon import CONCEPT_HEADS, DATASET_CUES, METHOD_CUES, PHRASE_STOP
from kg.extract.mentions import Mention, abbreviations_of, make_mention, mentions_of
from kg.extract.model import CONCEPT, METHOD
from kg.extract.names.shapes import indices_of, is_capitalised, run_starting_at
from kg.extract.normalize import singular

WE_CALL = "we-call"
OUR_DEFINED = "our-defined"
APPOSITION = "own-apposition"
MAX_CALLED_WORDS = 4
_CALL = frozenset({"call"})
_PRONOUNS = frozenset({"it", "this", "them", "these", "they"})
# Words that end a name after "we call": a clause or a comparison starts ("we call X that ...", "X as ...").
_AFTER_NAME = PHRASE_STOP | frozenset({"which", "that", "whose", "who"})


def we_call_names(doc: Doc, words: list[Span]) -> list[Mention]:
    """"which we call speculative sampling", "we call it Foo", "We call the model CycleGAN", "we call the two best
    configurations VGG-16 and VGG-19": the name the paper gives is its own (a topic when a task head ends it)."""
    out = []
    for i in indices_of(doc, _CALL):
        if i == 0 or doc[i - 1].lower_ != "we":
            continue
        start = i + 1 + (i + 1 < len(doc) and doc[i + 1].lower_ in _PRONOUNS)
        if start < len(doc) and doc[start].lower_ in _OPENERS:
            out.extend(_names_after_the_thing_named(doc, words, start))
            continue
        span = _called_words(doc, words, start)
        if span is None:
            continue
        if singular(span[-1].lower_) in CONCEPT_HEADS:  # "a phenomenon we call property generalization"
            out.append(make_mention(span, WE_CALL, type=CONCEPT))
            continue
        kind = type_from_context(span) or type_from_name(span.text) or METHOD
        out.append(make_mention(span, WE_CALL, type=kind, proposes=True))
    return out


_OPENERS = frozenset({"the", "this", "these", "our", "such", "a", "an"})
_THING_WORDS = 6


def _called_words(doc: Doc, words: list[Span], start: int) -> Span | None:
    """The words from `start` up to punctuation or a function word."""
    return _words_while(words, start, lambda run: run.text.lower() not in _AFTER_NAME
                        and any(c.isalpha() for c in run.text))


def _words_while(words: list[Span], start: int, keep) -> Span | None:
    """The word runs from token `start` on that `keep` accepts, as one span of at most MAX_CALLED_WORDS words."""
    picked: list[Span] = []
    while len(picked) <= MAX_CALLED_WORDS:
        run = run_starting_at(words, start)
        if run is None or not keep(run):
            break
        picked.append(run)
        start = run.end
    if not picked or len(picked) > MAX_CALLED_WORDS:
        return None
    return picked[0].doc[picked[0].start : picked[-1].end]


def _names_after_the_thing_named(doc: Doc, words: list[Span], start: int) -> list[Mention]:
    """"We call the model CycleGAN": after a short phrase for the thing, the capitalised or coined names given."""
    out = []
    limit = min(len(doc), start + _THING_WORDS)
    i = start
    while i < limit:
        run = run_starting_at(words, i)
        if run is None or doc[i].is_punct:
            return []
        following = doc[run.end] if run.end < len(doc) else None
        modifies = following is not None and following.is_alpha and following.is_lower \
            and following.lower_ not in ("and", "or")
        if is_capitalised(run) and not modifies:
            break  # "the two best ConvNet configurations VGG-16 ...": ConvNet modifies a noun, VGG-16 is the name
        i = run.end
    else:
        return []
    while run is not None and is_capitalised(run):
        out.append(make_mention(run, WE_CALL, type=type_from_name(run.text) or METHOD, proposes=True))
        after = doc[run.end].lower_ if run.end < len(doc) else ""
        run = run_starting_at(words, run.end + 1) if after in ("and", "or", ",") else None
    return out


def our_defined_names(doc: Doc) -> list[Mention]:
    """"Our process reward model (PRM)", "Our Dense Passage Retriever (DPR)": a name the paper defines right after
    "our" is its own, unless it is a known name written as a common noun ("our multilayer perceptron (MLP)" is
    the paper's instance of a known model)."""
    known = [(m.start, m.end) for m in mentions_of(doc) if m.kb_key]
    out = []
    for a in abbreviations_of(doc):
        long = doc.char_span(a.long_start, a.long_end, alignment_mode="expand")
        short = doc.char_span(a.short_start, a.short_start + len(a.short), alignment_mode="expand")
        if long is None or short is None or long.start == 0 or doc[long.start - 1].lower_ != "our":
            continue
        proper = all(w[:1].isupper() for w in long.text.split())  # "Our Dense Passage Retriever (DPR)"
        if not proper and any(s <= a.long_start and a.long_end <= e for s, e in known):
            continue
        kind = type_from_name(long.text) or METHOD
        out.extend(make_mention(span, OUR_DEFINED, type=kind, proposes=True) for span in (long, short))
    return out


def named_in_apposition(doc: Doc, words: list[Span]) -> list[Mention]:
    """"Our detector, DEtection TRansformer or DETR, has ...", "A further contribution, Ghost Attention (GAtt),
    helps ...": a name set beside "our <noun>" or "contribution" is the paper's own."""
    out = []
    for i in indices_of(doc, _APPOSITION_OPENERS):
        if i + 3 >= len(doc):
            continue
        tok = doc[i]
        if tok.lower_ == "our" and _names_an_artefact(doc[i + 1].lower_) and doc[i + 2].text == ",":
            start = i + 3
        elif tok.lower_ in ("contribution", "contributions") and doc[i + 1].text in (",", ":"):
            start = i + 2
        else:
            continue
        name = _capitalised_name(words, start)
        if name is not None:
            out.append(make_mention(name, APPOSITION, type=type_from_name(name.text) or METHOD, proposes=True))
    return out


_APPOSITION_OPENERS = frozenset({"our", "contribution", "contributions"})


def _names_an_artefact(noun: str) -> bool:
    """"detector", "model", "benchmark", "retriever": a thing the paper built (not "results", "goal")."""
    return noun.isalpha() and (noun in METHOD_CUES or noun in DATASET_CUES or noun.endswith(("er", "or")))


def _capitalised_name(words: list[Span], start: int) -> Span | None:
    """The capitalised or coined words from `start` on ("Ghost Attention", "DEtection TRansformer")."""
    return _words_while(words, start, lambda run: is_capitalised(run) and run.text.lower() not in PHRASE_STOP)
