"""Names listed among known names of one kind: "agents built on ReAct, Reflexion and AutoGPT", "With Llama-2,
MPT, Falcon and Pythia". A capitalised word no rule claimed, in a comma/"and" list of at least two other names
whose known members are all methods (or all datasets), is one more of them."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from kg.extract.lexicon import NAME_STOP, PHRASE_STOP
from kg.extract.lists import listed_runs
from kg.extract.mentions import Mention, make_mention, mentions_of, text_of
from kg.extract.model import DATASET, METHOD

LISTED_NAME = "listed-name"
MIN_NAMED = 2  # listed names around the unknown one, at least one of them known


def names_listed_with_known(doc: Doc, words: list[Span]) -> list[Mention]:
    """Unclaimed capitalised words in lists of names, typed as the list's known members."""
    mentions = sorted(mentions_of(doc), key=lambda m: m.start)
    named = [m for m in mentions if m.kb_key and m.type in (METHOD, DATASET) or m.rule in _NAME_RULES]
    if len(named) < MIN_NAMED or not any(m.kb_key for m in named):
        return []
    text = text_of(doc)
    taken = bytearray(len(text) + 1)
    for m in mentions:
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    spans: dict[tuple[int, int], str] = {}
    for m in named:  # one item per stretch of text, the known reading first
        if m.kb_key or (m.start, m.end) not in spans:
            spans[(m.start, m.end)] = m.type if m.kb_key else _NAMED
    spans.update({(w.start_char, w.end_char): None for w in words
                  if text[w.start_char].isupper() and _unknown_name(w, taken)})
    items = sorted((start, end, kind) for (start, end), kind in spans.items())
    out = []
    for chain in listed_runs(text, items, lambda item: item[:2], MIN_NAMED + 1):
        kinds = {kind for *_, kind in chain if kind not in (None, _NAMED)}
        names = sum(1 for *_, kind in chain if kind is not None)
        if len(kinds) != 1 or names < MIN_NAMED or names == len(chain):
            continue
        kind = kinds.pop()
        for start, end, item_kind in chain:
            span = doc.char_span(start, end)
            if item_kind is None and span is not None:
                out.append(make_mention(span, LISTED_NAME, type=kind))
    return out


# Names the rules found by their shape ("AutoGPT", "MPT"): list members, though of no known kind.
_NAME_RULES = frozenset({"coined-name", "acronym"})
_NAMED = "named"


def _unknown_name(word: Span, taken: bytearray) -> bool:
    """A capitalised word no rule has claimed, not a sentence's first word or a stop word."""
    if any(taken[word.start_char : word.end_char]):
        return False
    text = word.text
    return text not in NAME_STOP and text.lower() not in PHRASE_STOP and not word.doc[word.start].is_sent_start


