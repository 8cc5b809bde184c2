"""Names in titles: the prefix before a colon ("BERT4Rec: ...") and capitalised pieces ending in a model noun."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.extract.entity_types import type_from_name
from kg.extract.lexicon import (DATASET_CUES, GENERIC_NAME_WORDS, TITLE_CONNECTORS, TITLE_NAME_HEADS, TITLE_PHRASE_VERBS,
                               TITLE_PREFIX_STOP)
from kg.extract.mentions import make_mention, mentions_of, text_of
from kg.extract.model import DATASET, METHOD
from kg.extract.names.shapes import DIMENSION, is_capitalised, is_compound_adjective, name_shape


_MAX_TITLE_PREFIX_WORDS = 4
# In a title name, "Transformer-Based Models" says only what the models build on ("Subcategory-aware
# CNNs" and "Character-Level Decoder" do name something).
_SAYS_NOTHING = frozenset({"based", "like", "style"})


def title_prefix(doc: Doc):
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
    if not named or not any(c.isupper() for c in text) or _phrase_not_name(prefix, doc[0]):
        return []
    kind = type_from_name(text) or (DATASET if _rest_is_dataset(doc[colon + 1 :]) else METHOD)
    return [make_mention(prefix, "title-prefix", type=kind, proposes=True)]


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
    if sum(w in TITLE_CONNECTORS for w in lowered) >= 2:
        return True  # "Get To The Point": function words title-cased, a phrase
    if any(w in TITLE_PHRASE_VERBS for w in lowered[1:]):
        return True  # "Order Matters", "Supervision Exists Everywhere": a sentence, not a name
    return lowered[0].endswith("ing") and lowered[-1] not in TITLE_NAME_HEADS


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


def title_names(doc: Doc, words: list[Span]):
    """Capitalised title pieces between connector words that end in a model noun are what the paper
    proposes: "Full-Resolution Residual Networks for ...", "... Using an Efficient Sub-Pixel
    Convolutional Neural Network". Pieces of generic words only ("Deep Neural Networks") are not."""
    text = text_of(doc)
    if text.upper() == text:
        return []  # a shouted title has no case to read
    out, piece = [], []
    known = {(m.start, m.end) for m in mentions_of(doc) if m.kb_key}
    known_method_ends = {m.end for m in mentions_of(doc) if m.kb_key and m.type == METHOD}
    for run in [*words, None]:
        if run is not None and piece and len(doc[piece[-1].end : run.start]):
            gap_ok = all(t.text in ("-", "\u2013") for t in doc[piece[-1].end : run.start])
        else:
            gap_ok = True
        capitalised = run is not None and (is_capitalised(run) or DIMENSION.match(run.text))
        if run is None or not gap_ok or run.text.lower() in TITLE_CONNECTORS or not capitalised:
            span = doc[piece[0].start : piece[-1].end] if piece else None
            if len(piece) >= 2 and _names_a_model(piece, span.end_char in known_method_ends) \
                    and (span.start_char, span.end_char) not in known:
                # The paper's own name opens the title or is introduced with "a/an" inside it ("... Using an
                # Efficient Sub-Pixel CNN"); "A Solvable Model of ..." opening the title describes the paper.
                first = piece[0].start
                own = first == 0 or first >= 2 and doc[first - 1].lower_ in ("a", "an")
                # "A Solvable Model of ...": a description of the paper; "A Point Set Generation Network for ...": a name
                described = first == 1 and doc[0].lower_ in ("a", "an") and span.end < len(doc) \
                    and doc[span.end].lower_ == "of" and not any(name_shape(p.text) for p in piece)
                if not described:
                    out.append(make_mention(span, "title-name", type=METHOD, proposes=own))
            piece = []
            if capitalised and run.text.lower() not in TITLE_CONNECTORS:
                piece = [run]
            continue
        piece.append(run)
    return out


def _names_a_model(piece: list[Span], ends_in_a_known_method: bool = False) -> bool:
    """The piece ends in a model noun or a known method ("Frustum PointNets") after a word of its own."""
    last = piece[-1].text.lower()
    first = piece[0].text.lower()
    if any(p.text.endswith(("'s", "\u2019s")) for p in piece):
        return False  # "BERT's Attention": a part of a named model, not a name
    if (last not in TITLE_NAME_HEADS and not ends_in_a_known_method) or len(piece) > 6 or first.endswith("ing") or first in TITLE_PREFIX_STOP:
        return False
    return any(p.text.lower() not in GENERIC_NAME_WORDS and p.text.lower() not in _INTENSIFIERS
               and not is_compound_adjective(p.text, _SAYS_NOTHING) for p in piece[:-1])


_INTENSIFIERS = frozenset({"very", "extremely", "highly", "ultra"})  # "Very Deep Networks" names no model
