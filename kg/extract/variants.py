"""Whole names built on a known name: "Gumbel Tree-LSTM", "split-brain autoencoders", "Face R-FCN", "GATv2",
"MoCo v2", "WMT 2014 English-to-German".

A name rule (a proposal, "called X", a title prefix, a defined acronym's long form, a coined word) that covers
one KB match of a method or dataset names a variant of it; so does a version written on a known method and an
edition or language pair written after a known dataset. The variant becomes the entity and records its parent;
the parent is not something the paper uses merely because its name sits inside the variant's.
Pure functions over mentions; the corpus step calls them while it picks and identifies a paper's mentions.
"""
from __future__ import annotations

import re
from dataclasses import replace

from kg.extract.lexicon import GENERIC_NAME_WORDS, LANGUAGE_CODES, LANGUAGES, METHOD_CUES, PHRASE_STOP
from kg.extract.mentions import Mention
from kg.extract.model import DATASET, METHOD
from kg.extract.names.regimes import REGIME_VARIANT

# Rules whose span is a whole name as the paper writes it.
WHOLE_NAME_RULES = frozenset({"propose-verb", "called-name", "title-prefix", "title-name", "abbrev", "coined-name",
                              "span-name", "propose-phrase", "propose-defined", REGIME_VARIANT})
PARENT_TYPES = frozenset({METHOD, DATASET})
_WORD = re.compile(r"[A-Za-z0-9]+")
# Words that add nothing to a known name: "Transformer model", "our BERT", "BERT-based", and model sizes
# ("ViT-Huge", "BERT-Large"), which are the known name itself.
_EMPTY_WORDS = GENERIC_NAME_WORDS | METHOD_CUES | PHRASE_STOP | frozenset(
    "based like style variant version huge large base small tiny giant medium big mini lite xl xxl".split())
# A coined word is a variant only through a short prefix or suffix ("T-JEPA", "As-ViT"); longer additions are
# other names ("DeCLIP-ResNet50") or ordinary words ("NeRF-comparable").
_MAX_COINED_AFFIX = 3


def is_known_name(m: Mention) -> bool:
    return bool(m.kb_key) and m.rule.startswith("kb") and m.rule != "kb-blocked" and m.type in PARENT_TYPES


def covers(outer: Mention, inner: Mention) -> bool:
    """`inner` lies inside `outer` and is shorter."""
    return outer.start <= inner.start and inner.end <= outer.end and (outer.start, outer.end) != (inner.start, inner.end)


def adds_a_name(outer: Mention, inner: Mention) -> bool:
    """What the outer name adds to the inner one is a word of its own, not a generic one ("Scene", "Gumbel",
    "T"), so the whole is a new name rather than the known one with decoration."""
    rest = outer.text[: inner.start - outer.start] + " " + outer.text[inner.end - outer.start :]
    words = _WORD.findall(rest)
    if outer.rule == "coined-name" and sum(map(len, words)) > _MAX_COINED_AFFIX:
        return False
    return any(w.lower() not in _EMPTY_WORDS for w in words)


def whole_name_over(outer: Mention, inners: list[Mention]) -> Mention | None:
    """The one known name that `outer` is a variant of, or None. Two known names inside ("CRF-RNN") make a
    combination, not a variant of either."""
    if outer.rule not in WHOLE_NAME_RULES or outer.kb_key:
        return None
    known = [k for k in inners if is_known_name(k) and covers(outer, k)]
    if len(known) != 1 or len(known) != len(inners):
        return None
    parent = known[0]
    if outer.type not in (None, parent.type) or not (adds_a_name(outer, parent) or outer.rule == REGIME_VARIANT):
        return None  # a regime word ("full") is a stop word elsewhere, but before a technique it names one
    return parent


def take_parent(variant: Mention, parent: Mention) -> None:
    """The variant keeps the parent's identity as its `variant_of` and its type when it had none."""
    variant.variant_of = parent.kb_key
    variant.type = variant.type or parent.type


def spread_variants(items: list, texts: dict[str, str]) -> None:
    """A variant written again elsewhere in the paper ("split-brain autoencoders" in the abstract, after the
    title's "Split-Brain Autoencoders") was matched there as its parent alone: those mentions become the
    variant's. `items` are the corpus step's chosen mentions (`.field`, `.mention`, `.key`, `.kb`)."""
    variants = {}
    for r in items:
        if r.mention.variant_of and not r.kb:
            variants.setdefault(r.mention.variant_of, []).append(r)
    for r in items:
        for v in variants.get(r.key, ()) if r.kb else ():
            found = _written_around(texts.get(r.field, ""), v.mention.text, r.mention)
            if found:
                start, end = found
                text = texts[r.field][start:end]
                _become_variant(r, start, end, text, v.mention.variant_of, v.key)
                break


WHOLE_NAME_RULE = "whole-name"


def _become_variant(r, start: int, end: int, text: str, parent: str, key: str) -> None:
    """A chosen mention re-read as the whole name text[start:end], a variant of `parent` with its own key."""
    r.mention = replace(r.mention, start=start, end=end, text=text, rule=WHOLE_NAME_RULE, kb_key=None,
                        variant_of=parent)
    r.key, r.kb = key, False


def _written_around(text: str, name: str, inner: Mention) -> tuple[int, int] | None:
    """Offsets of `name` (case and a plural s aside) in `text` around the inner mention, if it is there."""
    stem = name.lower().rstrip("s")
    low = text.lower()
    start = low.find(stem, max(0, inner.end - len(stem) - 1), inner.start + len(stem) + 1)
    while start != -1 and start <= inner.start:
        end = start + len(stem)
        if inner.end <= end + 1:
            end += 1 if low[end : end + 1] == "s" else 0
            return start, end
        start = low.find(stem, start + 1, inner.start + len(stem) + 1)
    return None


_VERSION = re.compile(r"^(?P<base>.*?[A-Za-z])[-\s]?[vV]\d+(\.\d+)?$")


def versioned_base(name: str) -> str | None:
    """"GATv2", "YOLOv3", "MoCo v2": the family name a numbered version is written on, else None."""
    found = _VERSION.match(name.strip())
    return found.group("base") if found else None


_VERSION_AFTER = re.compile(r"^[-\s]?[vV]\d+(\.\d+)?\b"
                            r"|^-(Chat|Instruct|Code|Coder|Math|Vision)\b")  # a tuned release: "Llama 2-Chat"


def extend_versions(items: list, texts: dict[str, str], key_of) -> None:
    """"MoCo v2", "Inception-v3", "Llama 2-Chat": a known method written with a version or a tuned release
    after it is that model, a variant of the known one (a size tag, "ViT-Huge", stays an alias). `key_of` turns the whole surface into the variant's key."""
    for r in items:
        if not r.kb or r.mention.type not in PARENT_TYPES:
            continue
        text = texts.get(r.field, "")
        found = _VERSION_AFTER.match(text[r.mention.end :])
        if found:
            end = r.mention.end + found.end()
            whole = text[r.mention.start : end]
            _become_variant(r, r.mention.start, end, whole, r.key, key_of(whole))


_LANGUAGES, _CODES = LANGUAGES, LANGUAGE_CODES
# A language pair written after a translation dataset: "English-to-German", "English–French", "En→De", "EN-DE".
_PAIR_AFTER = re.compile(rf"^[\s-]*(?:(?:{_LANGUAGES})\s*(?:-to-|\s+to\s+|[-\u2013\u2014\u2192/])\s*(?:{_LANGUAGES})"
                         rf"|(?:{_CODES})\s*[-\u2013\u2192/]\s*(?:{_CODES}))\b", re.I)
_EDITION_END = re.compile(r"[\s-]((19|20)\d\d|v?\d+(\.\d+)+|v\d+|['\u2019]\d\d)$", re.I)
_SUITE_END = re.compile(r"(\s+(games?|environments?|domains?|suite))+$", re.I)


def dataset_editions(items: list, texts: dict[str, str], known, key_of) -> None:
    """"WMT 2014 English-to-German", "PASCAL VOC 2012": an edition or a language pair written after a known dataset
    names a collection of its own, a variant of the family, unless the KB knows that form itself ("SQuAD 2.0",
    "Atari 2600"). `known(text, key)` says whether the KB reads `text` as `key`; `key_of` makes the variant's key."""
    for r in list(items):
        if not r.kb or r.mention.type != DATASET:
            continue
        text = texts.get(r.field, "")
        pair = _PAIR_AFTER.match(text[r.mention.end :])
        end = r.mention.end + (pair.end() if pair else 0)
        whole = text[r.mention.start : end]
        core = _SUITE_END.sub("", whole) if not pair else whole
        family, parent = r.key, r.mention.text
        if known(core, r.key) or not (pair or _EDITION_END.search(core)):
            if not _EDITION_END.search(core):
                continue
        else:
            _become_variant(r, r.mention.start, r.mention.start + len(core), core, family, key_of(core))
        items.extend(_next_editions(r, text, r.mention.start + len(core), family, parent, key_of))


# "SQuAD v1.1 and v2.0", "WMT 2014 English-to-German and English-to-French": the next edition shares the family.
_NEXT_EDITION = re.compile(rf"^\s*(?:,|and|or|,\s*and)\s+((?:v?\d+(?:\.\d+)+|v\d+|(?:{LANGUAGES})\s*(?:-to-|\s+to\s+|[-\u2013])"
                           rf"\s*(?:{LANGUAGES}))\b)", re.I)


def _next_editions(r, text: str, end: int, family: str, written: str, key_of) -> list:
    """The editions written right after `r` without their family name, each a variant of the family."""
    out, stem = [], _stem_of(text[r.mention.start : end])
    while stem:
        found = _NEXT_EDITION.match(text[end:])
        if not found:
            break
        start, end = end + found.start(1), end + found.end(1)
        name = f"{stem} {found.group(1)}"
        mention = replace(r.mention, start=start, end=end, text=text[start:end], rule=WHOLE_NAME_RULE, kb_key=None,
                          variant_of=family)
        out.append(replace(r, mention=mention, key=key_of(name), kb=False, expansion=name))  # named in full
    return out


def _stem_of(name: str) -> str:
    """"SQuAD v1.1" -> "SQuAD", "WMT 2014 English-to-German" -> "WMT 2014"; "" when nothing is cut."""
    pair = re.search(rf"\s+(?:{LANGUAGES})\s*(?:-to-|\s+to\s+|[-\u2013])\s*(?:{LANGUAGES})$", name, re.I)
    if pair:
        return name[: pair.start()]
    edition = re.search(r"[\s-]v?\d+(\.\d+)+$|[\s-]v\d+$", name)
    return name[: edition.start()] if edition else ""
