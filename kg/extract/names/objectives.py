"""Losses and objectives named by their modifiers: "a clipped surrogate objective", "a Cloze objective",
"the cycle consistency loss". GUIDELINES M1 counts a named loss or objective as a method; the KB knows the
common ones, this rule finds the rest by their shape, written once.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kg.extract.lexicon import GENERIC_NAME_WORDS, PHRASE_STOP
from kg.extract.mentions import Mention, make_mention
from kg.extract.model import METHOD
from kg.extract.names.shapes import indices_of, name_shape, run_starting_at

OBJECTIVE_NAME = "objective-name"
OBJECTIVE_HEADS = frozenset({"loss", "objective"})
MAX_MODIFIERS = 3
_NORM = re.compile(r"^[Ll][12]$")  # "an L1 loss"
# Modifiers that say which part of training, which quantity or which property, not which loss: "the
# training objective", "a lower validation loss", "the total loss", "a log loss" (a metric), "an unbounded
# loss".
_NOT_NAMING = frozenset(
    """training train validation test testing total overall final auxiliary additional main primary
    secondary whole entire combined joint weighted resulting original standard usual typical common
    same different single simple global local expected empirical average mean log zero-one 0-1 lower upper
    minimal minimum maximum optimal true learning optimization optimisation pretraining
    pre-training fine-tuning finetuning downstream task model data per-sample per-example sample
    example batch token sequence level long-run unbounded bounded convex non-convex nonconvex smooth
    non-smooth differentiable arbitrary generic own custom hand-designed handcrafted hand-crafted""".split()
) | GENERIC_NAME_WORDS | PHRASE_STOP


def objective_names(doc: Doc, words: list[Span]) -> list[Mention]:
    """A singular "loss"/"objective" under 1-3 naming modifiers, after a determiner or a preposition, is a
    method; the modifiers must name it (content words other than which-part-of-training words)."""
    out = []
    heads = indices_of(doc, OBJECTIVE_HEADS)
    index_of = {w.start: i for i, w in enumerate(words)} if heads else {}
    for token in heads:
        index = index_of.get(token)
        if index is None or words[index].text not in OBJECTIVE_HEADS:
            continue
        run = words[index]
        modifiers = _naming_modifiers(doc, words, index)
        if modifiers:
            out.append(make_mention(doc[modifiers[0].start : run.end], OBJECTIVE_NAME, type=METHOD))
    return out


OBJECTIVE_LIST = "objective-list"
_LIST_HEADS = frozenset({"objectives", "losses"})
_MAX_ITEM_WORDS = 5
_ITEM_STOP = frozenset({"which", "that", "where", "while", "to", "for", "with", "on", "by", "is", "are", "was", "were"})


def objective_lists(doc: Doc, words: list[Span]) -> list[Mention]:
    """"trained with three objectives, image-text contrastive learning, image-text matching and image-grounded
    text generation": the items listed right after "objectives"/"losses" are those objectives, methods
    (GUIDELINES P2), however their heads read as tasks elsewhere."""
    out = []
    for token in indices_of(doc, _LIST_HEADS):
        run = run_starting_at(words, token)
        if run is None or run.text not in _LIST_HEADS or run.end + 1 >= len(doc) or doc[run.end].text not in (",", ":"):
            continue
        items = _listed_items(doc, words, run.end + 1)
        if len(items) >= 2:
            out.extend(make_mention(item, OBJECTIVE_LIST, type=METHOD) for item in items)
    return out


def _listed_items(doc: Doc, words: list[Span], start: int) -> list[Span]:
    """Items separated by commas and "and"/"or", each up to five words after an article, until the clause ends;
    no list when an item runs longer (a sentence, not a list)."""
    items: list[Span] = []
    current: list[Span] = []
    i = start
    while i < len(doc):
        tok = doc[i]
        if tok.text == "(" and current:  # "a masked language model (MLM)": the item's short form
            close = next((j for j in range(i + 1, min(len(doc), i + 6)) if doc[j].text == ")"), None)
            if close is not None:
                i = close + 1
                continue
        ends_item = tok.text in (",", ";", ".", ":", "(", ")") or tok.lower_ in ("and", "or", *_ITEM_STOP)
        if ends_item:
            if current:
                items.append(doc[current[0].start : current[-1].end])
                current = []
            if tok.text == "," or tok.lower_ in ("and", "or"):
                i += 1
                continue
            break
        run = run_starting_at(words, i)
        if run is None:
            break
        if not current and run.text.lower() in ("a", "an", "the"):
            i = run.end
            continue
        if not current and run.text.lower() in PHRASE_STOP:
            break  # ", so that ...", ", which ...": the clause after the list
        current.append(run)
        if len(current) > _MAX_ITEM_WORDS:
            return []
        i = run.end
    if current:
        items.append(doc[current[0].start : current[-1].end])
    return items


def _naming_modifiers(doc: Doc, words: list[Span], index: int) -> list[Span]:
    """The modifier words right before the head, when a function word opens them and every one names."""
    modifiers: list[Span] = []
    i = index - 1
    while i >= 0 and len(modifiers) < MAX_MODIFIERS:
        run, nxt = words[i], words[i + 1]
        if doc[run.end : nxt.start].text.strip() or not _is_plain_word(run.text) or run.text.lower() in PHRASE_STOP:
            break
        modifiers.insert(0, run)
        i -= 1
    if not modifiers or any(m.text.lower() in _NOT_NAMING for m in modifiers):
        return []
    if modifiers[0].text[:1].isupper() and modifiers[0].text.endswith("ing"):
        return []  # "Adding a ... loss": a verb opening the sentence
    opener = doc[modifiers[0].start - 1] if modifiers[0].start else None
    if opener is None or not (opener.lower_ in PHRASE_STOP or opener.is_punct):
        return []  # "... decreases loss" or a longer phrase of content words: not a named objective
    return modifiers


def _is_plain_word(text: str) -> bool:
    """A word that can modify a loss: letters and hyphens, or a name ("Cloze", "InfoNCE", "L1")."""
    core = text.replace("-", "")
    return core.isalpha() or _NORM.match(text) is not None or name_shape(text) is not None
