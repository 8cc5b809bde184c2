"""Shorthand series: "CIFAR-10/100", "ResNet-50/101", "PASCAL VOC 2007 and 2012"."""
from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.extract.entity_types import type_from_context
from kg.extract.lexicon import DATASET_CUES, DETERMINERS
from kg.extract.mentions import Mention, sentence_of
from kg.extract.names.shapes import name_shape


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


def shorthand_series(doc: Doc) -> list[Mention]:
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
