"""One canonical key per surface form, so "Vision Transformers", "vision-transformer" and
"Vision Transformer" all land on the same graph node whichever rule found them.

The one text normaliser: ingest folds accents with the same `strip_accents`, and evaluation matches gold
surface forms with the same `singular` (kg.evaluation.gold adds only its reading of annotations)."""
from __future__ import annotations

import re
from functools import lru_cache

from kg.ingest.text import strip_accents

_DASHES = re.compile(r"[\u2010-\u2015\u2212_/\-]")
_DROP = re.compile(r"[^\w\s+#.]")
_LOOSE_DOT = re.compile(r"\.(?!\d)")
_KEEP_S = ("ss", "us", "is", "ics", "as", "os", "ys")
_IES_WORDS = {"series", "species", "movies", "cookies", "zombies", "ties", "lies", "pies", "dies"}
# Words that end in -s but are not plurals.
_NOT_PLURAL = frozenset(
    """news means lens gas bias alias atlas canvas chaos ethos pathos cosmos thermos mathematics physics genetics
    its this has was does plus thus always perhaps whereas across towards sometimes""".split())
# "Two-dimensional", "2-D", "2 dimensional" and "2D" are one spelling of the same modifier.
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                 "eight": "8", "nine": "9"}
_DIMENSIONAL = re.compile(r"\b(?:(one|two|three|four|five|six|seven|eight|nine) dimensional|(\d) (?:dimensional|d))\b")


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """Cheap English singular for the last word of a lower-case name; leaves codes and short words alone."""
    if len(word) <= 3 or any(ch.isdigit() for ch in word) or not word.endswith("s") or word in _NOT_PLURAL:
        return word
    if word.endswith(_KEEP_S) and not word.endswith("ies"):
        return word
    if word.endswith("ies"):
        return word if word in _IES_WORDS else word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes", "zzes")):
        return word[:-2]
    return word[:-1]


def fold(text: str) -> str:
    """Lower case, accents stripped, dashes/slashes/punctuation to spaces, single spaces."""
    text = strip_accents(text).lower()
    text = _DASHES.sub(" ", text)
    text = _DROP.sub(" ", text)
    text = _LOOSE_DOT.sub(" ", text)
    return " ".join(text.split())


def normalise(text: str) -> str:
    """The entity key: folded text with "two-dimensional"/"2-D" written "2d" and its last word made singular."""
    words = _DIMENSIONAL.sub(_digit_d, fold(text)).split()
    if words:
        words[-1] = singular(words[-1])
    return " ".join(words)


def _digit_d(match: re.Match) -> str:
    return (_NUMBER_WORDS.get(match.group(1)) or match.group(2)) + "d"


def compact(text: str) -> str:
    """Key without any separators: lets "pre-training", "pre training" and "pretraining" meet."""
    return normalise(text).replace(" ", "")
