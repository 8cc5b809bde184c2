"""Names the paper gives in its own words, lower-case ones included: "a phenomenon we call attention sink",
"a practice we call LLM-as-a-judge", "Our process reward model (PRM)"."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.extract.entity_types import type_from_context, type_from_name
from kg.extract.lexicon import CONCEPT_HEADS, PHRASE_STOP
from kg.extract.mentions import Mention, abbreviations_of, make_mention, mentions_of
from kg.extract.model import CONCEPT, METHOD
from kg.extract.names.shapes import indices_of, run_starting_at
from kg.extract.normalize import singular

WE_CALL = "we-call"
OUR_DEFINED = "our-defined"
MAX_CALLED_WORDS = 4
_PRONOUNS = frozenset({"it", "this", "them", "these", "they"})
# Words that end a name after "we call": a clause or a comparison starts ("we call X that ...", "X as ...").
_AFTER_NAME = PHRASE_STOP | frozenset({"which", "that", "whose", "who"})


def we_call_names(doc: Doc, words: list[Span]) -> list[Mention]:
    """"which we call speculative sampling", "we call it Foo": the words after "we call", up to punctuation or a
    function word, are the name the paper gives; it is the paper's own (a topic when a task head ends it)."""
    out = []
    for i in indices_of(doc, {"call"}):
        if i == 0 or doc[i - 1].lower_ != "we":
            continue
        start = i + 1 + (i + 1 < len(doc) and doc[i + 1].lower_ in _PRONOUNS)
        picked: list[Span] = []
        while start < len(doc) and len(picked) <= MAX_CALLED_WORDS:
            run = run_starting_at(words, start)
            if run is None or run.text.lower() in _AFTER_NAME or not any(c.isalpha() for c in run.text):
                break
            picked.append(run)
            start = run.end
        if not picked or len(picked) > MAX_CALLED_WORDS:
            continue
        span = doc[picked[0].start : picked[-1].end]
        if singular(picked[-1].text.lower()) in CONCEPT_HEADS:  # "a phenomenon we call property generalization"
            out.append(make_mention(span, WE_CALL, type=CONCEPT))
            continue
        kind = type_from_context(span) or type_from_name(span.text) or METHOD
        out.append(make_mention(span, WE_CALL, type=kind, proposes=True))
    return out


def our_defined_names(doc: Doc) -> list[Mention]:
    """"Our process reward model (PRM)": a name the paper defines right after "our" is its own, unless the KB
    knows it ("our multilayer perceptron (MLP)" is the paper's instance of a known model)."""
    known = [(m.start, m.end) for m in mentions_of(doc) if m.kb_key]
    out = []
    for a in abbreviations_of(doc):
        long = doc.char_span(a.long_start, a.long_end, alignment_mode="expand")
        short = doc.char_span(a.short_start, a.short_start + len(a.short), alignment_mode="expand")
        if long is None or short is None or long.start == 0 or doc[long.start - 1].lower_ != "our":
            continue
        if any(s <= a.long_start and a.long_end <= e for s, e in known):
            continue
        kind = type_from_name(long.text) or METHOD
        out.extend(make_mention(span, OUR_DEFINED, type=kind, proposes=True) for span in (long, short))
    return out
